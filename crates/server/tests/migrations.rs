//! Migrations applied to databases written by earlier versions of Kappa.

use kappa_server::db::MIGRATIONS;
use kappa_server::Db;
use rusqlite::Connection;

/// A database at schema version `n`, as a Kappa of that version left it.
fn database_at(path: &std::path::Path, n: usize) -> Connection {
    let conn = Connection::open(path).unwrap();
    for sql in &MIGRATIONS[..n] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", n).unwrap();
    conn
}

/// Before issue #19 a double submit stored two evaluations of one call by one reviewer on one
/// scorecard. The migration keeps the earliest, sets the others aside as duplicates (named in
/// the audit log), and from then on the database itself refuses a second one.
#[test]
fn duplicates_stored_before_the_rule_are_settled_and_a_new_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kappa.db");
    let conn = database_at(&path, 5);
    conn.execute_batch(
        "INSERT INTO teams (id, name_en, name_zh) VALUES (1, 'T', 'T');
         INSERT INTO users (id, username, display_name, role, team_id, password_hash) VALUES
           (1, 'rev', 'Rev', 'reviewer', 1, 'x'), (2, 'agent', 'Agent', 'agent', 1, 'x');
         INSERT INTO calls (id, started_at, duration_s, agent_id, team_id, queue, direction, disposition, complaint, language, customer_ref)
           VALUES (7, '2026-11-01T09:00:00', 60, 2, 1, 'billing', 'inbound', 'resolved', 0, 'en', 'C-1');
         INSERT INTO scorecards (id, name, created_by, created_at) VALUES (1, '{}', 1, '2026-10-01T00:00:00'), (2, '{}', 1, '2026-10-01T00:00:00');
         INSERT INTO scorecard_versions (id, scorecard_id, version, status, definition) VALUES
           (1, 1, 1, 'published', '{}'), (2, 1, 2, 'published', '{}'), (3, 2, 1, 'published', '{}');
         INSERT INTO evaluations (id, call_id, scorecard_version_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at) VALUES
           (10, 7, 1, 1, 2, 'submitted', 90, 1, '2026-11-02T09:00:00', '2026-11-02T09:00:00'),
           (11, 7, 1, 1, 2, 'submitted', 90, 1, '2026-11-02T09:00:00', '2026-11-02T09:00:00'),
           (12, 7, 2, 1, 2, 'submitted', 70, 0, '2026-11-03T09:00:00', '2026-11-03T09:00:00'),
           (13, 7, 3, 1, 2, 'submitted', 80, 1, '2026-11-03T09:00:00', '2026-11-03T09:00:00');
         INSERT INTO answers (evaluation_id, criterion_key, value) VALUES (11, 'greet', '\"yes\"');",
    )
    .unwrap();
    drop(conn);

    let db = Db::open(&path).unwrap();
    db.with(|conn| {
        let status = |id: u32| -> String {
            conn.query_row("SELECT status FROM evaluations WHERE id = ?1", [id], |r| r.get(0)).unwrap()
        };
        assert_eq!(
            [status(10), status(11), status(12), status(13)],
            ["submitted", "duplicate", "duplicate", "submitted"],
            "the earliest per card is kept, another card's stays"
        );
        let settled: Vec<(u32, String)> = conn
            .prepare("SELECT entity_id, detail FROM audit_log WHERE action = 'evaluation_settled_as_duplicate' ORDER BY entity_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(settled.iter().map(|s| s.0).collect::<Vec<_>>(), [11, 12]);
        assert!(settled[0].1.contains("\"kept\":10"), "{}", settled[0].1);
        let answers: i64 = conn.query_row("SELECT COUNT(*) FROM answers WHERE evaluation_id = 11", [], |r| r.get(0))?;
        assert_eq!(answers, 1, "nothing of a duplicate is deleted");
        let again = conn.execute(
            "INSERT INTO evaluations (call_id, scorecard_version_id, scorecard_id, reviewer_id, agent_id, status, created_at)
             VALUES (7, 2, 1, 1, 2, 'submitted', '2026-11-04T09:00:00')",
            [],
        );
        assert!(again.is_err(), "the unique index refuses a second evaluation on the card");
        let fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        assert!(fk, "references are enforced again after the migration");
        Ok(())
    })
    .unwrap();
}

/// Issue #21: a session's title came to be kept in both languages. A title from before goes to
/// the language its script says, so each reader still sees it and the other slot waits.
#[test]
fn session_titles_from_before_keep_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kappa.db");
    let conn = database_at(&path, 9);
    conn.execute_batch(
        "INSERT INTO teams (id, name_en, name_zh) VALUES (1, 'T', 'T');
         INSERT INTO users (id, username, display_name, role, team_id, password_hash) VALUES (1, 'lead', 'Lead', 'lead', 1, 'x');
         INSERT INTO scorecards (id, name, created_by, created_at) VALUES (1, '{}', 1, '2026-10-01T00:00:00');
         INSERT INTO scorecard_versions (id, scorecard_id, version, status, definition) VALUES (1, 1, 1, 'published', '{}');
         INSERT INTO calibration_sessions (id, title, scorecard_version_id, call_ids, participants, deadline, visibility, threshold, created_by, created_at) VALUES
           (1, 'October calibration', 1, '[]', '[]', '2026-10-30T00:00:00', 'blind', 10, 1, '2026-10-01T00:00:00'),
           (2, '十月校准 bookings', 1, '[]', '[]', '2026-10-30T00:00:00', 'blind', 10, 1, '2026-10-01T00:00:00');",
    )
    .unwrap();
    drop(conn);

    let db = Db::open(&path).unwrap();
    db.with(|conn| {
        let title = |id: u32| -> serde_json::Value {
            let text: String = conn
                .query_row(
                    "SELECT title FROM calibration_sessions WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            serde_json::from_str(&text).unwrap()
        };
        assert_eq!(
            title(1),
            serde_json::json!({ "en": "October calibration", "zh": "" })
        );
        assert_eq!(
            title(2),
            serde_json::json!({ "en": "", "zh": "十月校准 bookings" })
        );
        Ok(())
    })
    .unwrap();
}
