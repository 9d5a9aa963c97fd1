//! Coaching records in rows: sessions, notes and action items, and the scored calls progress
//! is computed from.

use super::rows;
use super::sql::{args, Arg, Conn, Row};
use super::{id_list, json};
use kappa_domain::coaching::{ActionItem, CoachingNote, CoachingSession};
use kappa_domain::notices::{NoticeKind, SeenMark};
use kappa_domain::progress::ScoredCall;
use kappa_domain::scorecard::Answers;
use kappa_domain::store::Loaded;
use kappa_domain::time::{date_stamp, stamp};
use kappa_domain::UserId;
use std::collections::BTreeMap;

pub const SESSION_COLUMNS: &str = "id, agent_id, coach_id, state, focus, evaluation_ids, scheduled_for, summary, period_days, created_at, delivered_at, acknowledged_at, comment, closed_at, revision, client_key, follow_up_plan";

fn session_from_row(r: &dyn Row) -> Loaded<CoachingSession> {
    Ok(CoachingSession {
        id: r.get(0)?,
        agent_id: r.get(1)?,
        coach_id: r.get(2)?,
        state: rows::coded(r, 3)?,
        focus: rows::json(r, 4)?,
        evaluation_ids: rows::json(r, 5)?,
        scheduled_for: rows::maybe(r, 6, rows::time)?,
        summary: r.get(7)?,
        period_days: r.get(8)?,
        created_at: rows::time(r, 9)?,
        delivered_at: rows::maybe(r, 10, rows::time)?,
        acknowledged_at: rows::maybe(r, 11, rows::time)?,
        comment: r.get(12)?,
        closed_at: rows::maybe(r, 13, rows::time)?,
        revision: r.get(14)?,
        client_key: r.get(15)?,
        follow_up_plan: r.get(16)?,
    })
}

pub const NOTE_COLUMNS: &str = "id, agent_id, author_id, session_id, evaluation_id, criteria, moments, kind, body, private, created_at, acknowledged_at, comment, client_key";

fn note_from_row(r: &dyn Row) -> Loaded<CoachingNote> {
    Ok(CoachingNote {
        id: r.get(0)?,
        agent_id: r.get(1)?,
        author_id: r.get(2)?,
        session_id: r.get(3)?,
        evaluation_id: r.get(4)?,
        criteria: rows::json(r, 5)?,
        moments: rows::json(r, 6)?,
        kind: rows::coded(r, 7)?,
        body: r.get(8)?,
        private: r.get(9)?,
        created_at: rows::time(r, 10)?,
        acknowledged_at: rows::maybe(r, 11, rows::time)?,
        comment: r.get(12)?,
        client_key: r.get(13)?,
    })
}

pub const ACTION_COLUMNS: &str =
    "id, agent_id, session_id, created_by, owner, text, due, state, reason, created_at, closed_at, client_key";

fn action_from_row(r: &dyn Row) -> Loaded<ActionItem> {
    Ok(ActionItem {
        id: r.get(0)?,
        agent_id: r.get(1)?,
        session_id: r.get(2)?,
        created_by: r.get(3)?,
        owner: rows::coded(r, 4)?,
        text: r.get(5)?,
        due: rows::date(r, 6)?,
        state: rows::coded(r, 7)?,
        reason: r.get(8)?,
        created_at: rows::time(r, 9)?,
        closed_at: rows::maybe(r, 10, rows::time)?,
        client_key: r.get(11)?,
    })
}

pub fn session(conn: &dyn Conn, id: u32) -> Loaded<Option<CoachingSession>> {
    conn.first(
        &format!("SELECT {SESSION_COLUMNS} FROM coaching_sessions WHERE id = ?1"),
        args![id],
        session_from_row,
    )
}

pub fn sessions(conn: &dyn Conn, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingSession>> {
    conn.all(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM coaching_sessions{}",
            of_agents(agents)
        ),
        &[],
        session_from_row,
    )
}

pub fn note(conn: &dyn Conn, id: u32) -> Loaded<Option<CoachingNote>> {
    conn.first(
        &format!("SELECT {NOTE_COLUMNS} FROM coaching_notes WHERE id = ?1"),
        args![id],
        note_from_row,
    )
}

pub fn notes(conn: &dyn Conn, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingNote>> {
    conn.all(
        &format!(
            "SELECT {NOTE_COLUMNS} FROM coaching_notes{}",
            of_agents(agents)
        ),
        &[],
        note_from_row,
    )
}

pub fn action(conn: &dyn Conn, id: u32) -> Loaded<Option<ActionItem>> {
    conn.first(
        &format!("SELECT {ACTION_COLUMNS} FROM action_items WHERE id = ?1"),
        args![id],
        action_from_row,
    )
}

pub fn actions(conn: &dyn Conn, agents: Option<&[UserId]>) -> Loaded<Vec<ActionItem>> {
    conn.all(
        &format!(
            "SELECT {ACTION_COLUMNS} FROM action_items{}",
            of_agents(agents)
        ),
        &[],
        action_from_row,
    )
}

/// The `WHERE` clause that keeps the rows of `agents` (all when `None`). Ids are numbers:
/// written inline, as `id_list` explains.
fn of_agents(agents: Option<&[UserId]>) -> String {
    match agents {
        Some([]) => " WHERE 1 = 0".to_string(),
        Some(list) => format!(" WHERE agent_id IN ({})", id_list(list)),
        None => String::new(),
    }
}

/// Submitted evaluations the agents of `agents` have not acknowledged: who and when.
pub fn unacknowledged(
    conn: &dyn Conn,
    agents: &[UserId],
) -> Loaded<Vec<(UserId, chrono::NaiveDateTime)>> {
    if agents.is_empty() {
        return Ok(Vec::new());
    }
    conn.all(
        &format!("SELECT agent_id, submitted_at FROM evaluations WHERE status = 'submitted' AND acknowledged_at IS NULL AND agent_id IN ({})", id_list(agents)),
        &[],
        |r| Ok((r.get(0)?, rows::time(r, 1)?)),
    )
}

/// Submitted evaluations of calls from `since`, joined to their calls' times.
pub fn scored_calls(
    conn: &dyn Conn,
    agents: Option<&[UserId]>,
    since: chrono::NaiveDateTime,
) -> Loaded<Vec<ScoredCall>> {
    let agents = match agents {
        Some([]) => return Ok(Vec::new()),
        // Ids are numbers: written inline, as `id_list` explains.
        Some(list) => format!("AND e.agent_id IN ({})", id_list(list)),
        None => String::new(),
    };
    conn.all(
        &format!("SELECT e.id, e.agent_id, c.started_at, e.scorecard_version_id, e.score, e.passed FROM evaluations e JOIN calls c ON c.id = e.call_id WHERE e.status = 'submitted' AND c.started_at >= ?1 {agents}"),
        args![stamp(since)],
        |r| {
            Ok(ScoredCall {
                evaluation_id: r.get(0)?,
                agent_id: r.get(1)?,
                call_at: rows::time(r, 2)?,
                scorecard_version_id: r.get(3)?,
                score: r.get(4)?,
                passed: r.get(5)?,
            })
        },
    )
}

/// The answers of many evaluations in one statement.
pub fn answers_of(conn: &dyn Conn, ids: &[u32]) -> Loaded<Vec<(u32, Answers)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_evaluation: BTreeMap<u32, Answers> = BTreeMap::new();
    conn.each(
        &format!(
            "SELECT evaluation_id, criterion_key, value FROM answers WHERE evaluation_id IN ({})",
            id_list(ids)
        ),
        &[],
        &mut |r| {
            by_evaluation
                .entry(r.get(0)?)
                .or_default()
                .insert(r.get(1)?, rows::json(r, 2)?);
            Ok(())
        },
    )?;
    Ok(by_evaluation.into_iter().collect())
}

pub fn insert_session(conn: &dyn Conn, id: Option<u32>, s: &CoachingSession) -> Loaded<u32> {
    conn.insert(
        &format!("INSERT INTO coaching_sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id"),
        args![id, s.agent_id, s.coach_id, s.state.code(), json(&s.focus)?, json(&s.evaluation_ids)?, s.scheduled_for.map(stamp), &s.summary, s.period_days, stamp(s.created_at), s.delivered_at.map(stamp), s.acknowledged_at.map(stamp), &s.comment, s.closed_at.map(stamp), s.revision, &s.client_key, s.follow_up_plan],
    )
}

pub fn insert_note(conn: &dyn Conn, id: Option<u32>, n: &CoachingNote) -> Loaded<u32> {
    conn.insert(
        &format!("INSERT INTO coaching_notes ({NOTE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id"),
        args![id, n.agent_id, n.author_id, n.session_id, n.evaluation_id, json(&n.criteria)?, json(&n.moments)?, n.kind.code(), &n.body, n.private, stamp(n.created_at), n.acknowledged_at.map(stamp), &n.comment, &n.client_key],
    )
}

pub fn insert_action(conn: &dyn Conn, id: Option<u32>, a: &ActionItem) -> Loaded<u32> {
    conn.insert(
        &format!("INSERT INTO action_items ({ACTION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"),
        args![id, a.agent_id, a.session_id, a.created_by, a.owner.code(), &a.text, date_stamp(a.due), a.state.code(), &a.reason, stamp(a.created_at), a.closed_at.map(stamp), &a.client_key],
    )
}

/// Writes a decided coaching change; `None` when the change is not a coaching one.
pub fn apply(conn: &dyn Conn, change: &kappa_domain::store::Change) -> Loaded<Option<u32>> {
    use kappa_domain::coaching::SessionState;
    use kappa_domain::store::Change;
    let run = |sql: &str, args: &[Arg]| conn.execute(sql, args);
    Ok(Some(match change {
        Change::CoachingSessionCreated(s) => insert_session(conn, None, s)?,
        Change::CoachingSessionEdited {
            id,
            focus,
            evaluation_ids,
            scheduled_for,
            summary,
            revision,
        } => {
            run("UPDATE coaching_sessions SET focus = ?1, evaluation_ids = ?2, scheduled_for = ?3, summary = ?4, revision = ?5 WHERE id = ?6",
                args![json(focus)?, json(evaluation_ids)?, scheduled_for.map(stamp), summary, revision, id])?;
            *id
        }
        Change::CoachingSessionMoved {
            id,
            state,
            at,
            revision,
        } => {
            match state {
                SessionState::Delivered | SessionState::Closed => {
                    let column = if *state == SessionState::Delivered {
                        "delivered_at"
                    } else {
                        "closed_at"
                    };
                    run(
                        &format!("UPDATE coaching_sessions SET state = ?1, revision = ?2, {column} = ?3 WHERE id = ?4"),
                        args![state.code(), revision, stamp(*at), id],
                    )?;
                }
                _ => {
                    run(
                        "UPDATE coaching_sessions SET state = ?1, revision = ?2 WHERE id = ?3",
                        args![state.code(), revision, id],
                    )?;
                }
            }
            *id
        }
        Change::CoachingSessionAcknowledged {
            id,
            at,
            comment,
            revision,
        } => {
            run("UPDATE coaching_sessions SET state = 'acknowledged', acknowledged_at = ?1, comment = ?2, revision = ?3 WHERE id = ?4",
                args![stamp(*at), comment, revision, id])?;
            *id
        }
        Change::CoachingNoteWritten(n) => insert_note(conn, None, n)?,
        Change::CoachingNoteAcknowledged { id, at, comment } => {
            run(
                "UPDATE coaching_notes SET acknowledged_at = ?1, comment = ?2 WHERE id = ?3",
                args![stamp(*at), comment, id],
            )?;
            *id
        }
        Change::ActionItemCreated(a) => insert_action(conn, None, a)?,
        Change::ActionItemSettled {
            id,
            state,
            reason,
            at,
        } => {
            run(
                "UPDATE action_items SET state = ?1, reason = ?2, closed_at = ?3 WHERE id = ?4",
                args![state.code(), reason, at.map(stamp), id],
            )?;
            *id
        }
        Change::CoachingFollowUpSet { id, plan, revision } => {
            run(
                "UPDATE coaching_sessions SET follow_up_plan = ?1, revision = ?2 WHERE id = ?3",
                args![plan, revision, id],
            )?;
            *id
        }
        Change::NoticeSeen(m) => {
            conn.insert(
                "INSERT INTO seen_marks (user_id, kind, item_id, at) VALUES (?1, ?2, ?3, ?4) RETURNING item_id",
                args![m.user_id, m.kind.code(), m.id, stamp(m.at)],
            )?
        }
        _ => return Ok(None),
    }))
}

pub fn seen_marks(conn: &dyn Conn, user: UserId) -> Loaded<Vec<(NoticeKind, u32)>> {
    conn.all(
        "SELECT kind, item_id FROM seen_marks WHERE user_id = ?1",
        args![user],
        |r| Ok((rows::coded(r, 0)?, r.get(1)?)),
    )
}

pub fn insert_seen(conn: &dyn Conn, m: &SeenMark) -> Loaded<()> {
    conn.execute(
        "INSERT INTO seen_marks (user_id, kind, item_id, at) VALUES (?1, ?2, ?3, ?4)",
        args![m.user_id, m.kind.code(), m.id, stamp(m.at)],
    )?;
    Ok(())
}
