//! The real server under concurrent requests (loopback only, bounded in count and time): two
//! tabs or a retry after a lost answer must not make a second record.

mod common;

use common::server::{free_port, http, sign_in, start, submission};
use std::collections::BTreeSet;

/// Some submissions at the same moment, each on its own connection; answers (status, body).
fn all_at_once(port: u16, cookie: &str, bodies: Vec<String>) -> Vec<(u16, String)> {
    all_at_once_to(port, cookie, "POST", "/api/evaluations", bodies)
}

/// Some requests to one route at the same moment, each on its own connection.
fn all_at_once_to(
    port: u16,
    cookie: &str,
    method: &'static str,
    path: &'static str,
    bodies: Vec<String>,
) -> Vec<(u16, String)> {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(bodies.len()));
    let threads: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (barrier, cookie) = (barrier.clone(), cookie.to_string());
            std::thread::spawn(move || {
                barrier.wait();
                let (status, _, body) =
                    http(port, method, path, Some(&cookie), Some(&body)).unwrap();
                (status, body)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn evaluation_id(body: &str) -> u64 {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["evaluation"]["id"]
        .as_u64()
        .unwrap_or_else(|| panic!("no evaluation in {body}"))
}

/// Calls nobody has evaluated in the demo.
fn unevaluated_calls() -> Vec<u32> {
    let data = &common::demo().0;
    let evaluated: BTreeSet<u32> = data.evaluations.iter().map(|e| e.call_id).collect();
    data.calls
        .iter()
        .map(|c| c.id)
        .filter(|id| !evaluated.contains(id))
        .collect()
}

/// Issue #19: two identical submissions at the same moment both answered 201 and stored two
/// evaluations (a third, later, a third).
#[test]
fn concurrent_submissions_of_one_call_store_one_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "reviewer1", "demo");
    let calls = unevaluated_calls();

    // The same submission eight times at once, then once more later: a retry after a lost
    // answer gets the evaluation already stored.
    let same = submission(calls[0]);
    let mut answers = all_at_once(port, &cookie, vec![same.clone(); 8]);
    answers.push(
        http(port, "POST", "/api/evaluations", Some(&cookie), Some(&same))
            .map(|(s, _, b)| (s, b))
            .unwrap(),
    );
    assert!(answers.iter().all(|(s, b)| *s == 201 || panic!("{s}: {b}")));
    let ids: BTreeSet<u64> = answers.iter().map(|(_, b)| evaluation_id(b)).collect();
    assert_eq!(
        ids.len(),
        1,
        "every answer names the one evaluation: {ids:?}"
    );

    // Eight different submissions of another call at once: one is stored, the others are
    // refused, naming it.
    let mut different: Vec<String> = (0..8)
        .map(|i| {
            let mut body: serde_json::Value = serde_json::from_str(&submission(calls[1])).unwrap();
            body["feedback"] = format!("Version {i} of my feedback").into();
            body.to_string()
        })
        .collect();
    different.reverse();
    let answers = all_at_once(port, &cookie, different);
    let stored: Vec<u64> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| evaluation_id(b))
        .collect();
    assert_eq!(stored.len(), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        let error: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(error["error"]["code"], "already_evaluated", "{body}");
        assert_eq!(error["error"]["evaluation"], stored[0], "{body}");
    }

    // What the agent and the reports read: one evaluation of each call by this reviewer.
    let (_, _, page) = http(
        port,
        "GET",
        &format!("/api/calls/{}", calls[1]),
        Some(&cookie),
        None,
    )
    .unwrap();
    let page: serde_json::Value = serde_json::from_str(&page).unwrap();
    assert_eq!(
        page["evaluations"].as_array().map(Vec::len),
        Some(1),
        "{page}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Issue #21: two leads editing one plan at once. The same edit twice (two tabs, a retry) makes
/// one revision; different edits from one revision: one is kept, the others are refused as
/// stale, and nothing is overwritten.
#[test]
fn concurrent_edits_of_one_plan_keep_one_and_refuse_the_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "lead1", "demo");
    let spec = serde_json::to_value(&common::demo().0.sampling.plans[0].spec).unwrap();
    let edit = |name: &str, revision: u32| {
        let mut spec = spec.clone();
        spec["name"] = name.into();
        serde_json::json!({ "spec": spec, "revision": revision }).to_string()
    };

    let same = all_at_once_to(
        port,
        &cookie,
        "PUT",
        "/api/plans/1",
        vec![edit("Renamed once", 1); 6],
    );
    assert!(same.iter().all(|(s, b)| *s == 200 || panic!("{s}: {b}")));
    let revisions: BTreeSet<u64> = same
        .iter()
        .map(|(_, b)| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["plan"]["revision"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(revisions, BTreeSet::from([2]), "one edit, one revision");

    let different = (0..6).map(|i| edit(&format!("Edit {i}"), 2)).collect();
    let answers = all_at_once_to(port, &cookie, "PUT", "/api/plans/1", different);
    let kept: Vec<&String> = answers
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(kept.len(), 1, "{answers:?}");
    assert!(answers
        .iter()
        .filter(|(s, _)| *s != 200)
        .all(|(s, b)| *s == 409 && b.contains("changed_since_opened")));
    let (_, _, now) = http(port, "GET", "/api/plans/1", Some(&cookie), None).unwrap();
    let now: serde_json::Value = serde_json::from_str(&now).unwrap();
    let winner: serde_json::Value = serde_json::from_str(kept[0]).unwrap();
    assert_eq!(now["plan"]["spec"]["name"], winner["plan"]["spec"]["name"]);
    assert_eq!(now["plan"]["revision"], 3);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Issue #23: a coaching session sent from two tabs at once, or retried after a lost answer,
/// is one session; an action item marked done by the agent while the lead drops it is settled
/// once, and the one who came second is told it changed.
#[test]
fn concurrent_coaching_writes_make_one_record_and_settle_an_item_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let lead = sign_in(port, "lead1", "demo");
    let agent_id = common::demo()
        .0
        .users
        .iter()
        .find(|u| u.username == "agent3")
        .unwrap()
        .id;
    let session = serde_json::json!({ "agent_id": agent_id, "focus": [{ "scorecard_id": 1, "key": "recap" }], "period_days": 30, "client_key": "two-tabs" }).to_string();
    let answers = all_at_once_to(
        port,
        &lead,
        "POST",
        "/api/coaching/sessions",
        vec![session; 6],
    );
    assert!(answers.iter().all(|(s, b)| *s == 201 || panic!("{s}: {b}")));
    let ids: BTreeSet<u64> = answers
        .iter()
        .map(|(_, b)| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["session"]["id"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one session: {ids:?}");
    let session_id = *ids.iter().next().unwrap();

    let due = (chrono::Utc::now() + chrono::Duration::days(5))
        .format("%Y-%m-%d")
        .to_string();
    let item = serde_json::json!({ "agent_id": agent_id, "session_id": session_id, "owner": "agent", "text": "Recap every booking", "due": due, "client_key": "item" }).to_string();
    let (status, _, made) = http(
        port,
        "POST",
        "/api/coaching/actions",
        Some(&lead),
        Some(&item),
    )
    .unwrap();
    assert_eq!(status, 201, "{made}");
    let item_id = serde_json::from_str::<serde_json::Value>(&made).unwrap()["id"]
        .as_u64()
        .unwrap();
    let (status, _, held) = http(
        port,
        "POST",
        &format!("/api/coaching/sessions/{session_id}/state"),
        Some(&lead),
        Some(r#"{"revision":1,"to":"delivered"}"#),
    )
    .unwrap();
    assert_eq!(status, 200, "{held}");

    let agent = sign_in(port, "agent3", "demo");
    let path = format!("/api/coaching/actions/{item_id}/state");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let race = |cookie: String, body: &'static str| {
        let (barrier, path) = (barrier.clone(), path.clone());
        std::thread::spawn(move || {
            barrier.wait();
            http(port, "POST", &path, Some(&cookie), Some(body))
                .map(|(s, _, b)| (s, b))
                .unwrap()
        })
    };
    let done = race(agent, r#"{"state":"done"}"#);
    let dropped = race(
        lead.clone(),
        r#"{"state":"dropped","reason":"Covered in the team meeting"}"#,
    );
    let answers = [done.join().unwrap(), dropped.join().unwrap()];
    let kept: Vec<_> = answers.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(kept.len(), 1, "{answers:?}");
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(
        refused
            .iter()
            .all(|(s, b)| *s == 409 && b.contains("changed_since_opened")),
        "{answers:?}"
    );
    let (_, _, now) = http(
        port,
        "GET",
        &format!("/api/coaching/sessions/{session_id}"),
        Some(&lead),
        None,
    )
    .unwrap();
    let now: serde_json::Value = serde_json::from_str(&now).unwrap();
    let winner: serde_json::Value = serde_json::from_str(&kept[0].1).unwrap();
    assert_eq!(
        now["actions"][0]["state"], winner["state"],
        "what was kept is what won"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Two administrators (or two tabs) adding one queue at once, and renaming one from the same
/// revision: one term, and one rename; the other rename is refused as stale.
#[test]
fn concurrent_term_writes_make_one_term_and_refuse_the_stale_rename() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "admin", "demo");
    let new = serde_json::json!({ "kind": "queue", "code": "vip", "name": { "en": "VIP", "zh": "贵宾" } });
    let answers = all_at_once_to(
        port,
        &cookie,
        "POST",
        "/api/vocabulary",
        vec![new.to_string(); 6],
    );
    assert!(answers.iter().all(|(s, b)| *s == 201 || panic!("{s}: {b}")));
    let renames: Vec<String> = ["Members", "Club", "Loyalty club", "Frequent flyers"]
        .iter()
        .map(|en| {
            serde_json::json!({ "name": { "en": en, "zh": "" }, "active": true, "revision": 1 })
                .to_string()
        })
        .collect();
    let answers = all_at_once_to(
        port,
        &cookie,
        "PUT",
        "/api/vocabulary/queue/loyalty",
        renames,
    );
    let saved = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(saved, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!(*status, 409, "{body}");
        assert!(body.contains("changed_since_opened"), "{body}");
    }
    let (_, _, body) = http(port, "GET", "/api/vocabulary", Some(&cookie), None).unwrap();
    let vocabulary: serde_json::Value = serde_json::from_str(&body).unwrap();
    let terms = vocabulary["terms"].as_array().unwrap();
    assert_eq!(terms.iter().filter(|t| t["code"] == "vip").count(), 1);
    let loyalty = terms.iter().find(|t| t["code"] == "loyalty").unwrap();
    assert_eq!(loyalty["revision"], 2);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// The state of import `id` once its job has left `running` (the job reads in the background).
fn settled(port: u16, cookie: &str, id: u64, running: &str) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let (status, _, body) = http(
            port,
            "GET",
            &format!("/api/imports/{id}"),
            Some(cookie),
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let import: serde_json::Value = serde_json::from_str(&body).unwrap();
        if import["state"] != running {
            return import;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {running}: {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn call_count(port: u16, cookie: &str) -> u64 {
    let (_, _, body) = http(port, "GET", "/api/health", Some(cookie), None).unwrap();
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["calls"]
        .as_u64()
        .unwrap()
}

/// A lead's browser uploads a GB18030 export with Chinese headers (three tabs at once: one
/// import), asks for its dry run (nothing written), then commits it from four tabs at once:
/// one commit, exactly the dry run's new calls, the rows refused downloadable; another lead
/// finds no such import.
#[test]
fn a_file_uploaded_twice_and_committed_from_four_tabs_is_imported_once() {
    use common::server::http_bytes;
    use kappa_import::mapping::ReadingSettings;
    use kappa_import::preset::Preset;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "lead1", "demo");
    let file = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/import/tinet_cdr.csv"),
    )
    .unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
    let uploads: Vec<_> = (0..3)
        .map(|_| {
            let (barrier, cookie, file) = (barrier.clone(), cookie.clone(), file.clone());
            std::thread::spawn(move || {
                barrier.wait();
                http_bytes(
                    port,
                    "POST",
                    "/api/imports?name=tinet_cdr.csv",
                    Some(&cookie),
                    "text/csv",
                    &file,
                )
                .unwrap()
            })
        })
        .collect();
    let ids: BTreeSet<u64> = uploads
        .into_iter()
        .map(|t| {
            let (status, _, body) = t.join().unwrap();
            assert_eq!(status, 201, "{body}");
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one import for one file: {ids:?}");
    let id = *ids.first().unwrap();
    let mut mapping = Preset::Tinet.mapping();
    mapping
        .values
        .queue
        .insert("售后服务".into(), "changes".into());
    mapping
        .values
        .queue
        .insert("账单咨询".into(), "refunds".into());
    for answered in ["座席接听", "双方接听"] {
        mapping
            .values
            .outcome
            .insert(answered.into(), "resolved".into());
    }
    let reading = ReadingSettings {
        preset: Some(Preset::Tinet),
        mapping,
        sheet: None,
        encoding: None,
        zh: true,
    };
    let before = call_count(port, &cookie);
    let request = serde_json::json!({
        "source": "tinet", "reading": serde_json::to_string(&reading).unwrap(), "revision": 1
    });
    let (status, _, body) = http(
        port,
        "POST",
        &format!("/api/imports/{id}/dry-run"),
        Some(&cookie),
        Some(&request.to_string()),
    )
    .unwrap();
    assert_eq!(status, 202, "{body}");
    let checked = settled(port, &cookie, id, "checking");
    assert_eq!(checked["state"], "checked", "{checked}");
    let dry_run = &checked["dry_run"];
    let new = dry_run["new"].as_u64().unwrap();
    assert!(
        new > 0 && dry_run["refused"].as_u64() > Some(0),
        "{checked}"
    );
    assert_eq!(checked["file_report"]["encoding"], "gb18030", "{checked}");
    assert_eq!(
        call_count(port, &cookie),
        before,
        "a dry run writes nothing"
    );
    let other = sign_in(port, "lead2", "demo");
    let (status, _, body) = http(
        port,
        "GET",
        &format!("/api/imports/{id}"),
        Some(&other),
        None,
    )
    .unwrap();
    assert_eq!(status, 404, "{body}");
    let path: &'static str = format!("/api/imports/{id}/commit").leak();
    let step = serde_json::json!({ "revision": checked["revision"] }).to_string();
    let answers = all_at_once_to(port, &cookie, "POST", path, vec![step; 4]);
    assert!(answers.iter().all(|(s, b)| *s == 202 || panic!("{s}: {b}")));
    let committed = settled(port, &cookie, id, "committing");
    assert_eq!(committed["state"], "committed", "{committed}");
    assert_eq!(committed["committed"]["new"], new, "{committed}");
    assert_eq!(committed["committed"]["refused"], dry_run["refused"]);
    assert_eq!(call_count(port, &cookie), before + new);
    let db = common::server::database(dir.path());
    let started: i64 = common::server::stored(
        &db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'import_commit_started'",
        &[],
    );
    assert_eq!(started, 1, "one commit however often it was asked");
    // The staged copy is gone once no pass will read it again; no upload is left half-written.
    let left: Vec<String> = std::fs::read_dir(dir.path().join("imports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter().all(|f| f.ends_with(".csv")),
        "only the refused rows stay: {left:?}"
    );
    // A stale commit (from before the dry run it would commit) is refused.
    let stale = serde_json::json!({ "revision": 1 }).to_string();
    let (status, _, body) = http(port, "POST", path, Some(&cookie), Some(&stale)).unwrap();
    assert_eq!(status, 409, "{body}");
    // A file without a name is refused before it is read.
    let (status, _, body) = http_bytes(
        port,
        "POST",
        "/api/imports",
        Some(&cookie),
        "text/csv",
        b"id\n1\n",
    )
    .unwrap();
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("file_name"), "{body}");
    // The rows the file's own checks refused come back with their cells, to fix.
    let (status, head, body) = http(
        port,
        "GET",
        &format!("/api/imports/{id}/rejected.csv"),
        Some(&cookie),
        None,
    )
    .unwrap();
    if checked["file_report"]["rejected"].as_u64().unwrap() > 0 {
        assert_eq!(status, 200, "{body}");
        assert!(head.to_ascii_lowercase().contains("text/csv"), "{head}");
        assert!(body.contains("唯一标识"), "{body}");
    } else {
        assert_eq!(status, 404, "{body}");
    }
    let (status, _, _) = http(
        port,
        "GET",
        &format!("/api/imports/{id}/rejected.csv"),
        Some(&other),
        None,
    )
    .unwrap();
    assert_eq!(status, 404);
    server.kill().unwrap();
    server.wait().unwrap();
}
