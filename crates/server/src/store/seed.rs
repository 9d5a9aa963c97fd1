//! Loading a whole centre at once (the demo centre on first start, every test database, the
//! benchmarks' libraries) through the store's own row writers, ids kept as given.

use super::calls::{insert_calls, insert_transcript};
use super::rows::audit;
use super::sql::{args, Conn};
use super::SqlStore;
use crate::error::{Error, Result};
use kappa_demo::DemoData;
use kappa_domain::Role;

pub fn is_empty(conn: &dyn Conn) -> Result<bool> {
    Ok(conn.value::<i64>("SELECT COUNT(*) FROM users", args![])? == 0)
}

/// Writes the demo centre inside the caller's transaction, ids as the demo numbers them. All
/// demo accounts share the password `demo`, so they share one hash: hashing it once keeps first
/// start (and every test database) quick.
pub fn seed(tx: &dyn Conn, data: &DemoData, password_hash: &str) -> Result<()> {
    let store = SqlStore::new(tx);
    for team in &data.teams {
        store.insert_team(team)?;
    }
    for user in &data.users {
        store.insert_user(Some(user.id), user, password_hash)?;
    }
    for team in &data.teams {
        store.set_team_lead(team.id, team.lead_id)?;
    }
    for import in &data.imports {
        super::imports::insert(tx, import)?;
    }
    for term in &data.vocabulary.terms {
        super::vocabulary::insert_term(tx, term)?;
    }
    insert_calls(tx, &data.calls)?;
    for (call, lines) in &data.transcripts {
        insert_transcript(tx, *call, lines)?;
    }
    let admin = data
        .users
        .iter()
        .find(|u| u.role == Role::Admin)
        .map(|u| u.id);
    for card in &data.scorecards.cards {
        let created = card
            .versions
            .last()
            .map(|v| v.published_at.as_str())
            .unwrap_or_default();
        store.insert_scorecard(Some(card.id), &card.name, admin, created)?;
        for published in &card.versions {
            let definition = data
                .scorecards
                .version(published.id)
                .map(|v| v.definition)
                .ok_or(Error::Internal("demo version without definition".into()))?;
            // The card's lock is the highest of its versions' locks.
            store.insert_version(
                Some(published.id),
                card.id,
                published.version,
                &definition,
                card.lock_version,
                Some(&published.published_at),
            )?;
        }
    }
    for evaluation in &data.evaluations {
        store.insert_evaluation(Some(evaluation.id), evaluation)?;
    }
    for (evaluation, event) in &data.reviews.history {
        store.write_event(*evaluation, event)?;
    }
    for draft in &data.reviews.drafts {
        store.save_review_draft(draft)?;
    }
    for dispute in &data.reviews.disputes {
        store.insert_dispute(Some(dispute.id), dispute)?;
    }
    for plan in &data.sampling.plans {
        store.insert_plan(Some(plan.id), plan)?;
    }
    for run in &data.sampling.runs {
        store.insert_run(Some(run.id), run)?;
    }
    for assignment in &data.sampling.assignments {
        store.insert_assignment(Some(assignment.id), assignment, assignment.run_id)?;
    }
    for session in &data.calibration.sessions {
        let report = data
            .calibration
            .reports
            .iter()
            .find(|(id, _)| *id == session.id)
            .map(|(_, report)| report);
        store.insert_calibration_session(Some(session.id), session, report)?;
    }
    for score in &data.calibration.scores {
        store.insert_calibration_score(score)?;
    }
    for session in &data.coaching.sessions {
        super::coaching::insert_session(tx, Some(session.id), session)?;
    }
    for note in &data.coaching.notes {
        super::coaching::insert_note(tx, Some(note.id), note)?;
    }
    for item in &data.coaching.actions {
        super::coaching::insert_action(tx, Some(item.id), item)?;
    }
    for mark in &data.coaching.seen {
        super::coaching::insert_seen(tx, mark)?;
    }
    tx.follow_given_ids()?;
    // The demo centre is in Shanghai, its calls in Shanghai time.
    super::set_centre_time(tx, Some("Asia/Shanghai"), Some("monday"))?;
    audit(
        tx,
        None,
        "seed_demo",
        "database",
        None,
        &serde_json::json!({ "calls": data.calls.len(), "users": data.users.len() }),
    )?;
    Ok(())
}
