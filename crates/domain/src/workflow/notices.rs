//! What waits for each person, decided once from the records and their "seen" markers.

use super::{second, Outcome};
use crate::access::Capability;
use crate::coaching::{ActionOwner, ActionState, SessionState};
use crate::notices::{Notice, NoticeKind, NoticeSeen, SeenMark, DUE_SOON_DAYS};
use crate::people::User;
use crate::refusal::{Entity, Refusal};
use crate::store::{Change, Store};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashSet};

/// Everything waiting for `actor`, newest first.
pub fn notices(
    store: &(impl Store + ?Sized),
    actor: &User,
    now: NaiveDateTime,
) -> Outcome<Vec<Notice>> {
    let seen: HashSet<(NoticeKind, u32)> = store.seen_marks(actor.id)?.into_iter().collect();
    let fresh = |kind: NoticeKind, id: u32| !seen.contains(&(kind, id));
    let mut list = Vec::new();
    let mut add = |kind, id, at, path: String| list.push(Notice { kind, id, at, path });
    if actor.role.can(Capability::ReadOwnFeedback) {
        let today = store.clock(now)?.today(now);
        for e in store.evaluations_of_agent(actor.id)? {
            if e.seen_at.is_none() {
                add(
                    NoticeKind::Evaluation,
                    e.id,
                    e.submitted_at,
                    format!("/evaluations/{}", e.id),
                );
            }
        }
        // The sessions the agent sees, and which of them is held.
        let sessions: BTreeMap<u32, SessionState> = store
            .coaching_sessions(Some(&[actor.id]))?
            .into_iter()
            .filter(|s| s.state.shown_to_agent())
            .map(|s| {
                if s.state == SessionState::Delivered {
                    add(
                        NoticeKind::Session,
                        s.id,
                        s.delivered_at.unwrap_or(s.created_at),
                        format!("/coaching/sessions/{}", s.id),
                    );
                }
                (s.id, s.state)
            })
            .collect();
        let page_of = |session: Option<u32>| match session {
            Some(id) => format!("/coaching/sessions/{id}"),
            None => "/me".to_string(),
        };
        for n in store.coaching_notes(Some(&[actor.id]))? {
            let held = n.session_id.is_none_or(|id| {
                sessions.get(&id).is_some_and(|s| {
                    matches!(
                        s,
                        SessionState::Delivered | SessionState::Acknowledged | SessionState::Closed
                    )
                })
            });
            if !n.private && held && n.acknowledged_at.is_none() && fresh(NoticeKind::Note, n.id) {
                add(NoticeKind::Note, n.id, n.created_at, page_of(n.session_id));
            }
        }
        for a in store.action_items(Some(&[actor.id]))? {
            let shown = a.session_id.is_none_or(|id| sessions.contains_key(&id));
            let due_soon = a.due <= today + chrono::Duration::days(DUE_SOON_DAYS);
            if shown
                && a.owner == ActionOwner::Agent
                && a.state == ActionState::Open
                && due_soon
                && fresh(NoticeKind::ActionDue, a.id)
            {
                let at = a.due.and_hms_opt(0, 0, 0).unwrap_or(a.created_at);
                add(NoticeKind::ActionDue, a.id, at, page_of(a.session_id));
            }
        }
        for d in store.disputes(None, Some(actor.id))? {
            if let Some(ruling) = &d.ruling {
                if fresh(NoticeKind::DisputeRuled, d.id) {
                    add(
                        NoticeKind::DisputeRuled,
                        d.id,
                        ruling.ruled_at,
                        format!("/evaluations/{}", d.evaluation_id),
                    );
                }
            }
        }
    }
    if actor.role.can(Capability::Calibrate) {
        for s in store.calibration_sessions()? {
            if s.revealed_at.is_some() || !s.scores(actor.id) {
                continue;
            }
            let scored = store
                .calibration_scores(s.id)?
                .iter()
                .filter(|c| c.user_id == actor.id)
                .count();
            if scored < s.call_ids.len() {
                add(
                    NoticeKind::Calibration,
                    s.id,
                    s.deadline,
                    format!("/calibration/{}", s.id),
                );
            }
        }
    }
    list.sort_by_key(|n| std::cmp::Reverse((n.at, n.id)));
    Ok(list)
}

/// Marks one of `actor`'s own notices seen, for the kinds a marker clears; anything else of
/// theirs, or anyone else's, answers as missing. Marking again changes nothing.
pub fn mark_notice_seen(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    seen: NoticeSeen,
    now: NaiveDateTime,
) -> Outcome<Vec<Notice>> {
    super::require(actor, Capability::ReadOwnFeedback)?;
    let own = match seen.kind {
        NoticeKind::Note => store
            .coaching_note(seen.id)?
            .is_some_and(|n| n.agent_id == actor.id && !n.private),
        NoticeKind::ActionDue => store
            .action_item(seen.id)?
            .is_some_and(|a| a.agent_id == actor.id),
        NoticeKind::DisputeRuled => store
            .dispute(seen.id)?
            .is_some_and(|d| d.agent_id == actor.id),
        _ => false,
    };
    if !own {
        return Err(Refusal::NotFound(Entity::Notice).into());
    }
    if !store.seen_marks(actor.id)?.contains(&(seen.kind, seen.id)) {
        store.write(
            Some(actor.id),
            Change::NoticeSeen(SeenMark {
                user_id: actor.id,
                kind: seen.kind,
                id: seen.id,
                at: second(now),
            }),
        )?;
    }
    notices(store, actor, now)
}
