//! Coaching, decided once: who may write to which agent, what the agent sees, how sessions and
//! action items move, and the numbers coaching is judged by. Another team's agent, and any
//! record of theirs, answers exactly as a missing one.

use super::{display_name, missing, require, second, stored, Failure, Outcome};
use crate::access::Capability;
use crate::agreement::ALPHA_TENTATIVE;
use crate::call_query::{Problem, QueryError};
use crate::coaching::{
    self, Acknowledgement, ActionChange, ActionItem, ActionItemId, ActionState, Agenda,
    AgentCoaching, AgentRow, CoachingNote, CoachingSession, CoachingSessionId, CriterionRef,
    EffectQuery, EffectReport, FocusLine, LinkedEvaluation, NewActionItem, NewNote, NewSession,
    NoteId, NoteView, PeriodQuery, SessionEdit, SessionLine, SessionMove, SessionState,
    SessionView, TeamView, WaitingSession, MAX_BODY, MAX_LINE,
};
use crate::evaluation::Evaluation;
use crate::people::{LocalizedText, User, UserId};
use crate::progress::{self, Scored, ScoredCall, MAX_EFFECT_WEEKS};
use crate::refusal::{Entity, Refusal};
use crate::store::{Change, Store};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn invalid(problems: Vec<QueryError>) -> Outcome<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Refused(Refusal::InvalidInput(problems)))
    }
}

/// The agent `id`, for a coach whose teams hold them; to anyone else there is no such agent.
fn coached_agent(store: &(impl Store + ?Sized), actor: &User, id: UserId) -> Outcome<User> {
    require(actor, Capability::CoachAgents)?;
    let teams = store.teams()?;
    match store.user(id)? {
        Some(agent) if coaching::coaches(actor, &agent, &teams) => Ok(agent),
        _ => Err(missing(Entity::User)),
    }
}

fn coaches(store: &(impl Store + ?Sized), actor: &User, agent: UserId) -> Outcome<bool> {
    if !actor.role.can(Capability::CoachAgents) {
        return Ok(false);
    }
    let teams = store.teams()?;
    Ok(store
        .user(agent)?
        .is_some_and(|a| coaching::coaches(actor, &a, &teams)))
}

/// The agent reading their own coaching.
fn is_own(actor: &User, agent: UserId) -> bool {
    actor.id == agent && actor.role.can(Capability::ReadOwnFeedback)
}

fn period_check(days: u32) -> Outcome<()> {
    invalid(coaching::period_problem(days).into_iter().collect())
}

fn centre_now(
    store: &(impl Store + ?Sized),
    now: NaiveDateTime,
) -> Outcome<(NaiveDate, NaiveDateTime)> {
    let clock = store.clock(now)?;
    Ok((clock.today(now), clock.local(now)))
}

/// Each criterion's title, from the newest published version of its card that has it.
fn criterion_titles(
    store: &(impl Store + ?Sized),
    cards: impl IntoIterator<Item = u32>,
) -> Outcome<BTreeMap<CriterionRef, LocalizedText>> {
    let mut titles = BTreeMap::new();
    for card in cards.into_iter().collect::<BTreeSet<_>>() {
        let Some(detail) = store.scorecard(card)? else {
            continue;
        };
        // Oldest first, so that a newer version's title wins.
        for published in detail.versions.iter().rev() {
            let version = stored("published version", store.version(published.id)?)?;
            for c in version.definition.sections.iter().flat_map(|s| &s.criteria) {
                titles.insert(
                    CriterionRef {
                        scorecard_id: card,
                        key: c.key.clone(),
                    },
                    c.title.clone(),
                );
            }
        }
    }
    Ok(titles)
}

/// Scored calls with what grading them needs: their answers and pinned versions, loaded in a
/// few reads, graded later without the store (outside the connection, on the server).
pub struct Ungraded {
    calls: Vec<ScoredCall>,
    answers: HashMap<u32, crate::scorecard::Answers>,
    versions: HashMap<u32, crate::scorecard::ScorecardVersion>,
}

impl Ungraded {
    fn load(store: &(impl Store + ?Sized), mut calls: Vec<ScoredCall>) -> Outcome<Ungraded> {
        // Stores answer in any order; sums must not depend on it.
        calls.sort_by_key(|c| (c.call_at, c.evaluation_id));
        let ids: Vec<u32> = calls.iter().map(|c| c.evaluation_id).collect();
        let mut answers = HashMap::new();
        for chunk in ids.chunks(500) {
            answers.extend(store.answers_of(chunk)?);
        }
        let mut versions = HashMap::new();
        for call in &calls {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                versions.entry(call.scorecard_version_id)
            {
                slot.insert(stored(
                    "pinned version",
                    store.version(call.scorecard_version_id)?,
                )?);
            }
        }
        Ok(Ungraded {
            calls,
            answers,
            versions,
        })
    }

    /// Each call with its criteria's outcomes, graded on its pinned version.
    fn grade(self) -> Vec<Scored> {
        let Ungraded {
            calls,
            answers,
            versions,
        } = self;
        calls
            .into_iter()
            .map(|call| {
                let outcomes = match (
                    versions.get(&call.scorecard_version_id),
                    answers.get(&call.evaluation_id),
                ) {
                    (Some(v), Some(a)) => {
                        progress::criterion_outcomes(v.scorecard_id, &v.definition, a)
                    }
                    _ => Vec::new(),
                };
                Scored { call, outcomes }
            })
            .collect()
    }
}

fn with_outcomes(store: &(impl Store + ?Sized), calls: Vec<ScoredCall>) -> Outcome<Vec<Scored>> {
    Ok(Ungraded::load(store, calls)?.grade())
}

fn linked(store: &(impl Store + ?Sized), e: &Evaluation) -> Outcome<LinkedEvaluation> {
    let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
    Ok(LinkedEvaluation {
        id: e.id,
        scorecard_id: version.scorecard_id,
        call_id: e.call_id,
        submitted_at: e.submitted_at,
        scorecard_name: version.definition.name,
        score: e.score,
        passed: e.passed,
    })
}

fn note_view(
    store: &(impl Store + ?Sized),
    note: CoachingNote,
    names: &mut BTreeMap<UserId, String>,
) -> Outcome<NoteView> {
    let author = name(store, note.author_id, names)?;
    let (mut call_id, mut recording, mut criteria_titles) = (None, None, Vec::new());
    if let Some(e) = note
        .evaluation_id
        .map(|id| store.evaluation(id))
        .transpose()?
        .flatten()
    {
        call_id = Some(e.call_id);
        recording = store.call(e.call_id)?.and_then(|c| c.recording);
        let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
        let titles: HashMap<&str, &LocalizedText> = version
            .definition
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .map(|c| (c.key.as_str(), &c.title))
            .collect();
        criteria_titles = note
            .criteria
            .iter()
            .map(|k| {
                titles
                    .get(k.as_str())
                    .map(|t| (*t).clone())
                    .unwrap_or_default()
            })
            .collect();
    }
    Ok(NoteView {
        note,
        author,
        call_id,
        recording,
        criteria_titles,
    })
}

fn name(
    store: &(impl Store + ?Sized),
    id: UserId,
    names: &mut BTreeMap<UserId, String>,
) -> Outcome<String> {
    if let Some(n) = names.get(&id) {
        return Ok(n.clone());
    }
    let n = display_name(store, id)?;
    names.insert(id, n.clone());
    Ok(n)
}

// ---- Reads ----

/// The signed-in agent's own progress and coaching: what they may see of it.
pub fn my_coaching(
    store: &(impl Store + ?Sized),
    actor: &User,
    query: PeriodQuery,
    now: NaiveDateTime,
) -> Outcome<AgentCoaching> {
    require(actor, Capability::ReadOwnFeedback)?;
    progress_and_coaching(store, actor.clone(), false, query, now)
}

/// One agent's progress and coaching as a coach whose teams hold them sees it: everything,
/// private notes and drafts included.
pub fn agent_coaching(
    store: &(impl Store + ?Sized),
    actor: &User,
    agent_id: UserId,
    query: PeriodQuery,
    now: NaiveDateTime,
) -> Outcome<AgentCoaching> {
    let agent = coached_agent(store, actor, agent_id)?;
    progress_and_coaching(store, agent, true, query, now)
}

fn progress_and_coaching(
    store: &(impl Store + ?Sized),
    agent: User,
    coach_view: bool,
    query: PeriodQuery,
    now: NaiveDateTime,
) -> Outcome<AgentCoaching> {
    period_check(query.days)?;
    let (today, local_now) = centre_now(store, now)?;
    let clock = store.clock(now)?;
    let from = today - Duration::days(i64::from(query.days) - 1);
    let calls = store.scored_calls(
        Some(&[agent.id]),
        from.and_hms_opt(0, 0, 0).unwrap_or(local_now),
    )?;
    let scored = with_outcomes(store, calls)?;
    let titles = criterion_titles(
        store,
        scored
            .iter()
            .flat_map(|s| s.outcomes.iter().map(|o| o.criterion.scorecard_id)),
    )?;
    let refs: Vec<&ScoredCall> = scored.iter().map(|s| &s.call).collect();
    let (score, pass_rate) = progress::score_and_pass_rate(&refs);
    let trend = progress::trend(&refs, from, today, |d| clock.week_of(d));
    let all: Vec<&Scored> = scored.iter().collect();
    let criteria = progress::criterion_rates(&all, &titles);

    let mut names = BTreeMap::new();
    let mut sessions_by_id = BTreeMap::new();
    let mut sessions = Vec::new();
    let mut all_sessions = store.coaching_sessions(Some(&[agent.id]))?;
    all_sessions.sort_by_key(|s| {
        std::cmp::Reverse((
            s.scheduled_for.or(s.delivered_at).unwrap_or(s.created_at),
            s.id,
        ))
    });
    let focus_titles = criterion_titles(
        store,
        all_sessions
            .iter()
            .flat_map(|s| s.focus.iter().map(|f| f.scorecard_id)),
    )?;
    for s in all_sessions {
        if !coach_view && !s.state.shown_to_agent() {
            continue;
        }
        sessions.push(SessionLine {
            id: s.id,
            state: s.state,
            coach: name(store, s.coach_id, &mut names)?,
            focus: s
                .focus
                .iter()
                .map(|f| focus_titles.get(f).cloned().unwrap_or_default())
                .collect(),
            scheduled_for: s.scheduled_for,
            delivered_at: s.delivered_at,
            acknowledged_at: s.acknowledged_at,
            created_at: s.created_at,
        });
        sessions_by_id.insert(s.id, s);
    }
    let mut notes = Vec::new();
    let mut all_notes = store.coaching_notes(Some(&[agent.id]))?;
    all_notes.sort_by_key(|n| std::cmp::Reverse((n.created_at, n.id)));
    for n in all_notes {
        let session = n.session_id.and_then(|id| sessions_by_id.get(&id));
        if coach_view || (n.session_id.is_none() || session.is_some()) && n.shown_to_agent(session)
        {
            notes.push(note_view(store, n, &mut names)?);
        }
    }
    let actions = visible_actions(
        store.action_items(Some(&[agent.id]))?,
        coach_view,
        &sessions_by_id,
    );
    Ok(AgentCoaching {
        agent_id: agent.id,
        agent: agent.display_name,
        days: query.days,
        today,
        n: refs.len() as u32,
        score,
        pass_rate,
        trend,
        criteria,
        sessions,
        notes,
        actions,
        coach_view,
    })
}

/// Action items in the order a list shows them: open by due day, then the rest newest first.
/// The agent sees those of no session or of a session they see.
fn visible_actions(
    mut actions: Vec<ActionItem>,
    coach_view: bool,
    sessions: &BTreeMap<CoachingSessionId, CoachingSession>,
) -> Vec<ActionItem> {
    actions.retain(|a| coach_view || a.session_id.is_none_or(|id| sessions.contains_key(&id)));
    actions.sort_by(|a, b| {
        let open = |x: &ActionItem| x.state != ActionState::Open;
        open(a).cmp(&open(b)).then_with(|| {
            if a.state == ActionState::Open {
                (a.due, a.id).cmp(&(b.due, b.id))
            } else {
                (b.closed_at, b.id).cmp(&(a.closed_at, a.id))
            }
        })
    });
    actions
}

/// The lead's team view: one row per agent of their teams (every agent for an admin).
pub fn coaching_team(
    store: &(impl Store + ?Sized),
    actor: &User,
    query: PeriodQuery,
    now: NaiveDateTime,
) -> Outcome<TeamView> {
    require(actor, Capability::CoachAgents)?;
    period_check(query.days)?;
    let (today, local_now) = centre_now(store, now)?;
    let clock = store.clock(now)?;
    let users = store.users()?;
    let teams = store.teams()?;
    let agents = coaching::coached_agents(actor, &users, &teams);
    let ids: Vec<UserId> = agents.iter().map(|a| a.id).collect();
    let from = today - Duration::days(i64::from(query.days) - 1);
    // The sparkline: eight weeks, each point the mean of the four weeks up to it, so that each
    // has calls enough to mean something.
    let spark_from = clock.week_of(today) - Duration::weeks(7);
    let since = from.min(spark_from - Duration::weeks(3));
    let mut calls = if ids.is_empty() {
        Vec::new()
    } else {
        store.scored_calls(Some(&ids), since.and_hms_opt(0, 0, 0).unwrap_or(local_now))?
    };
    calls.sort_by_key(|c| (c.call_at, c.evaluation_id));
    let mut by_agent: HashMap<UserId, Vec<&ScoredCall>> = HashMap::new();
    for c in &calls {
        by_agent.entry(c.agent_id).or_default().push(c);
    }
    // Everything the rows count, read once for the whole team rather than once an agent.
    let mut sessions_of: HashMap<UserId, Vec<CoachingSession>> = HashMap::new();
    for s in store.coaching_sessions(Some(&ids))? {
        sessions_of.entry(s.agent_id).or_default().push(s);
    }
    let mut notes_of: HashMap<UserId, Vec<CoachingNote>> = HashMap::new();
    for n in store.coaching_notes(Some(&ids))? {
        notes_of.entry(n.agent_id).or_default().push(n);
    }
    let mut actions_of: HashMap<UserId, Vec<ActionItem>> = HashMap::new();
    for a in store.action_items(Some(&ids))? {
        actions_of.entry(a.agent_id).or_default().push(a);
    }
    let mut unread_of: HashMap<UserId, Vec<NaiveDateTime>> = HashMap::new();
    for (agent, at) in store.unacknowledged(&ids)? {
        unread_of.entry(agent).or_default().push(at);
    }
    let mut rows = Vec::new();
    let mut waiting = Vec::new();
    for agent in agents {
        let everything = by_agent.remove(&agent.id).unwrap_or_default();
        let mine: Vec<&ScoredCall> = everything
            .iter()
            .copied()
            .filter(|c| c.call_at.date() >= from)
            .collect();
        let (score, pass_rate) = progress::score_and_pass_rate(&mine);
        let sparkline = (0..8)
            .map(|w| {
                let end = spark_from + Duration::weeks(w + 1);
                let window: Vec<f64> = everything
                    .iter()
                    .filter(|c| {
                        let day = c.call_at.date();
                        day < end && day >= end - Duration::weeks(4)
                    })
                    .map(|c| c.score)
                    .collect();
                crate::stats::mean_interval(&window, 0.95, 100.0).map(|e| e.value)
            })
            .collect();
        let sessions = sessions_of.remove(&agent.id).unwrap_or_default();
        let notes = notes_of.remove(&agent.id).unwrap_or_default();
        let actions = actions_of.remove(&agent.id).unwrap_or_default();
        let shown: BTreeMap<CoachingSessionId, &CoachingSession> = sessions
            .iter()
            .filter(|s| s.state.shown_to_agent())
            .map(|s| (s.id, s))
            .collect();
        let mut waits: Vec<NaiveDateTime> = unread_of.remove(&agent.id).unwrap_or_default();
        for s in &sessions {
            if s.state == SessionState::Delivered {
                let at = s.delivered_at.unwrap_or(s.created_at);
                waits.push(at);
                waiting.push(WaitingSession {
                    id: s.id,
                    agent_id: agent.id,
                    agent: agent.display_name.clone(),
                    delivered_at: at,
                });
            }
        }
        waits.extend(
            notes
                .iter()
                .filter(|n| {
                    n.acknowledged_at.is_none()
                        && n.session_id.is_none_or(|id| shown.contains_key(&id))
                        && n.shown_to_agent(n.session_id.and_then(|id| shown.get(&id).copied()))
                })
                .map(|n| n.created_at),
        );
        let last_coached = sessions
            .iter()
            .filter_map(|s| s.delivered_at)
            .chain(notes.iter().filter(|n| !n.private).map(|n| n.created_at))
            .max();
        rows.push(AgentRow {
            agent_id: agent.id,
            agent: agent.display_name.clone(),
            team_id: agent.team_id,
            n: mine.len() as u32,
            score,
            pass_rate,
            sparkline,
            open_actions: actions
                .iter()
                .filter(|a| a.state == ActionState::Open)
                .count() as u32,
            overdue_actions: actions.iter().filter(|a| a.overdue(today)).count() as u32,
            unacknowledged: waits.len() as u32,
            waiting_since: waits.iter().min().copied(),
            last_coached,
        });
    }
    waiting.sort_by_key(|w| (w.delivered_at, w.id));
    Ok(TeamView {
        days: query.days,
        today,
        rows,
        waiting,
    })
}

/// What a new session for the agent starts from: the criteria that cost most points over the
/// period, the open action items, and the period's evaluations, failed ones first.
pub fn agenda(
    store: &(impl Store + ?Sized),
    actor: &User,
    agent_id: UserId,
    query: PeriodQuery,
    now: NaiveDateTime,
) -> Outcome<Agenda> {
    let agent = coached_agent(store, actor, agent_id)?;
    period_check(query.days)?;
    let (today, local_now) = centre_now(store, now)?;
    let from = today - Duration::days(i64::from(query.days) - 1);
    let calls = store.scored_calls(
        Some(&[agent.id]),
        from.and_hms_opt(0, 0, 0).unwrap_or(local_now),
    )?;
    let in_period: BTreeSet<u32> = calls.iter().map(|c| c.evaluation_id).collect();
    let scored = with_outcomes(store, calls)?;
    let titles = criterion_titles(
        store,
        scored
            .iter()
            .flat_map(|s| s.outcomes.iter().map(|o| o.criterion.scorecard_id)),
    )?;
    let all: Vec<&Scored> = scored.iter().collect();
    let mut evaluations: Vec<LinkedEvaluation> = Vec::new();
    for e in store.evaluations_of_agent(agent.id)? {
        if in_period.contains(&e.id) {
            evaluations.push(linked(store, &e)?);
        }
    }
    // Failed ones first: they are what a session talks through.
    evaluations.sort_by_key(|e| (e.passed, std::cmp::Reverse((e.submitted_at, e.id))));
    evaluations.truncate(coaching::MAX_LINKED);
    let mut open_actions: Vec<ActionItem> = store
        .action_items(Some(&[agent.id]))?
        .into_iter()
        .filter(|a| a.state == ActionState::Open)
        .collect();
    open_actions.sort_by_key(|a| (a.due, a.id));
    Ok(Agenda {
        agent_id: agent.id,
        agent: agent.display_name,
        days: query.days,
        weakest: progress::weakest_criteria(&all, &titles, 5),
        open_actions,
        evaluations,
    })
}

/// A session for its coach side, or for its agent once it is in the calendar (without private
/// notes); to anyone else it does not exist.
pub fn coaching_session(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = store
        .coaching_session(id)?
        .ok_or(missing(Entity::CoachingSession))?;
    let coach_view = coaches(store, actor, session.agent_id)?;
    if !(coach_view || is_own(actor, session.agent_id) && session.state.shown_to_agent()) {
        return Err(missing(Entity::CoachingSession));
    }
    session_view(store, session, coach_view, now)
}

fn session_view(
    store: &(impl Store + ?Sized),
    mut session: CoachingSession,
    coach_view: bool,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let (today, _) = centre_now(store, now)?;
    let mut names = BTreeMap::new();
    let titles = criterion_titles(store, session.focus.iter().map(|f| f.scorecard_id))?;
    let alphas = if coach_view {
        focus_agreement(store, &session.focus)?
    } else {
        BTreeMap::new()
    };
    let focus = session
        .focus
        .iter()
        .map(|f| {
            let found = alphas.get(f).copied();
            FocusLine {
                criterion: f.clone(),
                title: titles.get(f).cloned().unwrap_or_default(),
                alpha: found.map(|(a, _)| a),
                calibration_id: found.map(|(_, s)| s),
                unreliable: found.is_some_and(|(a, _)| a < ALPHA_TENTATIVE),
            }
        })
        .collect();
    let mut evaluations = Vec::new();
    for id in &session.evaluation_ids {
        if let Some(e) = store.evaluation(*id)? {
            evaluations.push(linked(store, &e)?);
        }
    }
    let mut notes = Vec::new();
    let mut all_notes: Vec<CoachingNote> = store
        .coaching_notes(Some(&[session.agent_id]))?
        .into_iter()
        .filter(|n| n.session_id == Some(session.id))
        .collect();
    all_notes.sort_by_key(|n| (n.created_at, n.id));
    for n in all_notes {
        if coach_view || n.shown_to_agent(Some(&session)) {
            notes.push(note_view(store, n, &mut names)?);
        }
    }
    let mut actions: Vec<ActionItem> = store
        .action_items(Some(&[session.agent_id]))?
        .into_iter()
        .filter(|a| a.session_id == Some(session.id))
        .collect();
    actions.sort_by_key(|a| (a.due, a.id));
    if !coach_view
        && !matches!(
            session.state,
            SessionState::Delivered | SessionState::Acknowledged | SessionState::Closed
        )
    {
        // The summary is the coach's preparation until the session is held.
        session.summary.clear();
    }
    Ok(SessionView {
        agent: name(store, session.agent_id, &mut names)?,
        coach: name(store, session.coach_id, &mut names)?,
        focus,
        evaluations,
        notes,
        actions,
        coach_view,
        today,
        session,
    })
}

/// Krippendorff's α of each criterion from the last revealed calibration session that scored
/// it, with that session's id.
fn focus_agreement(
    store: &(impl Store + ?Sized),
    focus: &[CriterionRef],
) -> Outcome<BTreeMap<CriterionRef, (f64, u32)>> {
    let mut found = BTreeMap::new();
    if focus.is_empty() {
        return Ok(found);
    }
    let mut revealed: Vec<_> = store
        .calibration_sessions()?
        .into_iter()
        .filter(|s| s.revealed_at.is_some())
        .collect();
    revealed.sort_by_key(|s| std::cmp::Reverse((s.revealed_at, s.id)));
    for session in revealed {
        let version = stored(
            "calibrated version",
            store.version(session.scorecard_version_id)?,
        )?;
        let wanted: Vec<&CriterionRef> = focus
            .iter()
            .filter(|f| f.scorecard_id == version.scorecard_id && !found.contains_key(*f))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let report = super::calibration::revealed_report(store, &session, &version)?;
        for f in wanted {
            if let Some(alpha) = report
                .criteria
                .iter()
                .find(|c| c.key == f.key)
                .and_then(|c| c.agreement.krippendorff_alpha)
            {
                found.insert(f.clone(), (alpha, session.id));
            }
        }
        if found.len() == focus.len() {
            break;
        }
    }
    Ok(found)
}

/// Did coaching work: the session's focus criteria in the weeks before it was held and since,
/// against similar agents not coached on them.
pub fn coaching_effect(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    query: EffectQuery,
    now: NaiveDateTime,
) -> Outcome<EffectReport> {
    Ok(effect_inputs(store, actor, id, query, now)?.report())
}

/// What "did coaching work?" is computed from, loaded: the server computes the report after
/// the connection is returned, as it grades every agent's calls in the window.
pub struct EffectInputs {
    session: CoachingSession,
    weeks: u32,
    held_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    calls: Ungraded,
    coached: BTreeSet<(UserId, CriterionRef)>,
    titles: BTreeMap<CriterionRef, LocalizedText>,
}

pub fn effect_inputs(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    query: EffectQuery,
    now: NaiveDateTime,
) -> Outcome<EffectInputs> {
    let session = store
        .coaching_session(id)?
        .ok_or(missing(Entity::CoachingSession))?;
    if !coaches(store, actor, session.agent_id)? {
        require(actor, Capability::CoachAgents)?;
        return Err(missing(Entity::CoachingSession));
    }
    if !(1..=MAX_EFFECT_WEEKS).contains(&query.weeks) {
        return Err(Refusal::InvalidInput(vec![QueryError::new(
            "weeks",
            query.weeks.to_string(),
            Problem::OutOfRange {
                min: 1,
                max: MAX_EFFECT_WEEKS,
            },
        )])
        .into());
    }
    let clock = store.clock(now)?;
    let local_now = clock.local(now);
    let held_at = session.delivered_at.map(|d| clock.local(d));
    let mut calls = Vec::new();
    let mut coached = BTreeSet::new();
    if let Some(held_at) = held_at {
        let ((from, _), (_, to)) = progress::effect_windows(held_at, query.weeks, local_now);
        calls = store
            .scored_calls(None, from)?
            .into_iter()
            .filter(|c| c.call_at < to)
            .collect();
        for s in store.coaching_sessions(None)? {
            let Some(at) = s.delivered_at.map(|d| clock.local(d)) else {
                continue;
            };
            if s.agent_id != session.agent_id && at >= from && at < to {
                coached.extend(s.focus.iter().map(|f| (s.agent_id, f.clone())));
            }
        }
    }
    Ok(EffectInputs {
        titles: criterion_titles(store, session.focus.iter().map(|f| f.scorecard_id))?,
        calls: Ungraded::load(store, calls)?,
        session,
        weeks: query.weeks,
        held_at,
        now: local_now,
        coached,
    })
}

impl EffectInputs {
    pub fn report(self) -> EffectReport {
        let Some(held_at) = self.held_at else {
            return EffectReport {
                session_id: self.session.id,
                weeks: self.weeks,
                held_at: None,
                criteria: Vec::new(),
            };
        };
        let scored = self.calls.grade();
        let criteria = progress::effect(&progress::EffectInput {
            agent: self.session.agent_id,
            focus: &self.session.focus,
            held_at,
            weeks: self.weeks,
            now: self.now,
            scored: &scored,
            coached: &self.coached,
            labels: &self.titles,
        });
        EffectReport {
            session_id: self.session.id,
            weeks: self.weeks,
            held_at: Some(held_at),
            criteria,
        }
    }
}

// ---- Commands ----

fn key_and_text(key: &str, fields: &[(&str, &str, usize, usize)]) -> Vec<QueryError> {
    let mut problems: Vec<QueryError> = coaching::client_key_problem(key).into_iter().collect();
    for (field, text, min, max) in fields {
        problems.extend(coaching::text_problem(field, text, *min, *max));
    }
    problems
}

/// Each focus criterion must be on a published version of its card.
fn focus_problems(
    store: &(impl Store + ?Sized),
    focus: &[CriterionRef],
) -> Outcome<Vec<QueryError>> {
    let titles = criterion_titles(store, focus.iter().map(|f| f.scorecard_id))?;
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, f) in focus.iter().enumerate() {
        if !titles.contains_key(f) || !seen.insert(f) {
            problems.push(QueryError::new(
                format!("focus[{i}]"),
                format!(
                    "{}:{}",
                    f.scorecard_id,
                    f.key.chars().take(64).collect::<String>()
                ),
                Problem::NotOnScorecard,
            ));
        }
    }
    Ok(problems)
}

/// Linked evaluations must be the agent's own, submitted ones.
fn linked_problems(
    store: &(impl Store + ?Sized),
    agent: UserId,
    ids: &[u32],
) -> Outcome<Vec<QueryError>> {
    let mut problems = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match store.evaluation(*id)? {
            Some(e) if e.agent_id == agent => {}
            Some(_) => problems.push(QueryError::new(
                format!("evaluation_ids[{i}]"),
                id.to_string(),
                Problem::OtherAgent,
            )),
            None => return Err(missing(Entity::Evaluation)),
        }
    }
    Ok(problems)
}

/// A new session, as a draft, or scheduled when it has a date. Sent again with the same key
/// (a retry after a lost answer, a second tab), it answers with the session it made.
pub fn create_session(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    new: NewSession,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let agent = coached_agent(store, actor, new.agent_id)?;
    if let Some(earlier) = store
        .coaching_sessions(Some(&[agent.id]))?
        .into_iter()
        .find(|s| s.coach_id == actor.id && s.client_key == new.client_key)
    {
        return session_view(store, earlier, true, now);
    }
    let mut problems = key_and_text(&new.client_key, &[("summary", &new.summary, 0, MAX_BODY)]);
    problems.extend(coaching::period_problem(new.period_days));
    if let Some(at) = new.scheduled_for {
        problems.extend(coaching::ahead_problem("scheduled_for", at, now));
    }
    problems.extend(focus_problems(store, &new.focus)?);
    problems.extend(linked_problems(store, agent.id, &new.evaluation_ids)?);
    invalid(problems)?;
    let session = CoachingSession {
        id: 0,
        agent_id: agent.id,
        coach_id: actor.id,
        state: if new.scheduled_for.is_some() {
            SessionState::Scheduled
        } else {
            SessionState::Draft
        },
        focus: new.focus,
        evaluation_ids: new.evaluation_ids,
        scheduled_for: new.scheduled_for.map(second),
        summary: new.summary.trim().to_string(),
        period_days: new.period_days,
        created_at: second(now),
        delivered_at: None,
        acknowledged_at: None,
        comment: String::new(),
        closed_at: None,
        revision: 1,
        client_key: new.client_key,
        follow_up_plan: None,
    };
    let id = store.write(Some(actor.id), Change::CoachingSessionCreated(session))?;
    reloaded(store, id, true, now)
}

/// The session as a change left it.
fn reloaded(
    store: &(impl Store + ?Sized),
    id: CoachingSessionId,
    coach_view: bool,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = stored("coaching session", store.coaching_session(id)?)?;
    session_view(store, session, coach_view, now)
}

/// The session for a coach whose teams hold its agent; to anyone else it does not exist.
fn coached_session(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
) -> Outcome<CoachingSession> {
    require(actor, Capability::CoachAgents)?;
    match store.coaching_session(id)? {
        Some(s) if coaches(store, actor, s.agent_id)? => Ok(s),
        _ => Err(missing(Entity::CoachingSession)),
    }
}

pub fn edit_session(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    edit: SessionEdit,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = coached_session(store, actor, id)?;
    let summary = edit.summary.trim().to_string();
    let scheduled_for = edit.scheduled_for.map(second);
    let same = session.focus == edit.focus
        && session.evaluation_ids == edit.evaluation_ids
        && session.scheduled_for == scheduled_for
        && session.summary == summary;
    if same {
        // Already so: a repeated edit, or one that changes nothing.
        return session_view(store, session, true, now);
    }
    if session.revision != edit.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::CoachingSession).into());
    }
    if !session.state.editable() {
        return Err(Refusal::WrongSessionState(session.state).into());
    }
    let mut problems: Vec<QueryError> = coaching::text_problem("summary", &summary, 0, MAX_BODY)
        .into_iter()
        .collect();
    match scheduled_for {
        Some(at) if Some(at) != session.scheduled_for => {
            problems.extend(coaching::ahead_problem("scheduled_for", at, now))
        }
        None if session.state == SessionState::Scheduled => {
            problems.push(QueryError::new("scheduled_for", "", Problem::Required))
        }
        _ => {}
    }
    problems.extend(focus_problems(store, &edit.focus)?);
    problems.extend(linked_problems(
        store,
        session.agent_id,
        &edit.evaluation_ids,
    )?);
    invalid(problems)?;
    store.write(
        Some(actor.id),
        Change::CoachingSessionEdited {
            id,
            focus: edit.focus,
            evaluation_ids: edit.evaluation_ids,
            scheduled_for,
            summary,
            revision: session.revision + 1,
        },
    )?;
    reloaded(store, id, true, now)
}

/// The coach's steps: into or out of the calendar, held, closed.
pub fn move_session(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    step: SessionMove,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = coached_session(store, actor, id)?;
    if session.state == step.to {
        // The retry of a step already taken.
        return session_view(store, session, true, now);
    }
    if session.revision != step.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::CoachingSession).into());
    }
    if !session.state.coach_may_move_to(step.to) {
        return Err(Refusal::WrongSessionState(session.state).into());
    }
    if step.to == SessionState::Scheduled && session.scheduled_for.is_none() {
        invalid(vec![QueryError::new(
            "scheduled_for",
            "",
            Problem::Required,
        )])?;
    }
    store.write(
        Some(actor.id),
        Change::CoachingSessionMoved {
            id,
            state: step.to,
            at: second(now),
            revision: session.revision + 1,
        },
    )?;
    reloaded(store, id, true, now)
}

/// The agent confirms a held session, with an optional comment; the first confirmation is kept.
pub fn acknowledge_session(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    ack: Acknowledgement,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    require(actor, Capability::ReadOwnFeedback)?;
    let session = match store.coaching_session(id)? {
        Some(s) if is_own(actor, s.agent_id) && s.state.shown_to_agent() => s,
        _ => return Err(missing(Entity::CoachingSession)),
    };
    if session.acknowledged_at.is_some() {
        return session_view(store, session, false, now);
    }
    if session.state != SessionState::Delivered {
        return Err(Refusal::WrongSessionState(session.state).into());
    }
    let comment = ack.comment.trim().to_string();
    invalid(
        coaching::text_problem("comment", &comment, 0, MAX_LINE)
            .into_iter()
            .collect(),
    )?;
    store.write(
        Some(actor.id),
        Change::CoachingSessionAcknowledged {
            id,
            at: second(now),
            comment,
            revision: session.revision + 1,
        },
    )?;
    reloaded(store, id, false, now)
}

/// A note to an agent: from a coach whose teams hold them, or from the reviewer who scored the
/// evaluation it is about. Sent again with the same key, it answers with the note it made.
pub fn write_note(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    new: NewNote,
    now: NaiveDateTime,
) -> Outcome<NoteView> {
    let coach = actor.role.can(Capability::CoachAgents);
    if !coach && !actor.role.can(Capability::ReviewCalls) {
        return Err(Refusal::Forbidden.into());
    }
    // Who may write it, before what it says.
    let evaluation = match new.evaluation_id {
        Some(id) => match store.evaluation(id)? {
            Some(e) if e.readable_by(actor) && (coach || e.reviewer_id == actor.id) => Some(e),
            _ => return Err(missing(Entity::Evaluation)),
        },
        None => None,
    };
    if coach {
        coached_agent(store, actor, new.agent_id)?;
    } else if evaluation
        .as_ref()
        .is_none_or(|e| e.agent_id != new.agent_id)
    {
        // A reviewer writes only about an evaluation they scored, to its agent.
        return Err(missing(Entity::User));
    }
    let session = match new.session_id {
        Some(id) => match store.coaching_session(id)? {
            Some(s) if coach && s.agent_id == new.agent_id => Some(s),
            _ => return Err(missing(Entity::CoachingSession)),
        },
        None => None,
    };
    if let Some(earlier) = store
        .coaching_notes(Some(&[new.agent_id]))?
        .into_iter()
        .find(|n| n.author_id == actor.id && n.client_key == new.client_key)
    {
        return note_view(store, earlier, &mut BTreeMap::new());
    }
    if let Some(s) = &session {
        if !s.state.open() {
            return Err(Refusal::WrongSessionState(s.state).into());
        }
    }
    let body = new.body.trim().to_string();
    let mut problems = key_and_text(&new.client_key, &[("body", &body, 1, MAX_BODY)]);
    match &evaluation {
        Some(e) => {
            if e.agent_id != new.agent_id {
                problems.push(QueryError::new(
                    "evaluation_id",
                    e.id.to_string(),
                    Problem::OtherAgent,
                ));
            }
            let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
            let keys: BTreeSet<&str> = version
                .definition
                .sections
                .iter()
                .flat_map(|s| &s.criteria)
                .map(|c| c.key.as_str())
                .collect();
            for (i, key) in new.criteria.iter().enumerate() {
                if !keys.contains(key.as_str()) {
                    problems.push(QueryError::new(
                        format!("criteria[{i}]"),
                        key.chars().take(64).collect::<String>(),
                        Problem::NotOnScorecard,
                    ));
                }
            }
            let call = stored("evaluated call", store.call(e.call_id)?)?;
            problems.extend(coaching::moment_problems(&new.moments, call.duration_s));
        }
        None => {
            // Criteria and moments belong to an evaluation's card and call.
            if !new.criteria.is_empty() || !new.moments.is_empty() {
                problems.push(QueryError::new("evaluation_id", "", Problem::Required));
            }
        }
    }
    invalid(problems)?;
    let note = CoachingNote {
        id: 0,
        agent_id: new.agent_id,
        author_id: actor.id,
        session_id: new.session_id,
        evaluation_id: new.evaluation_id,
        criteria: new.criteria,
        moments: new.moments,
        kind: new.kind,
        body,
        private: new.private,
        created_at: second(now),
        acknowledged_at: None,
        comment: String::new(),
        client_key: new.client_key,
    };
    let id = store.write(Some(actor.id), Change::CoachingNoteWritten(note))?;
    let note = stored("coaching note", store.coaching_note(id)?)?;
    note_view(store, note, &mut BTreeMap::new())
}

/// The agent confirms a note they can see; the first confirmation is kept.
pub fn acknowledge_note(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: NoteId,
    ack: Acknowledgement,
    now: NaiveDateTime,
) -> Outcome<NoteView> {
    require(actor, Capability::ReadOwnFeedback)?;
    let note = match store.coaching_note(id)? {
        Some(n) if is_own(actor, n.agent_id) => n,
        _ => return Err(missing(Entity::CoachingNote)),
    };
    let session = note
        .session_id
        .map(|s| store.coaching_session(s))
        .transpose()?
        .flatten();
    if !note.shown_to_agent(session.as_ref()) {
        return Err(missing(Entity::CoachingNote));
    }
    if note.acknowledged_at.is_none() {
        let comment = ack.comment.trim().to_string();
        invalid(
            coaching::text_problem("comment", &comment, 0, MAX_LINE)
                .into_iter()
                .collect(),
        )?;
        store.write(
            Some(actor.id),
            Change::CoachingNoteAcknowledged {
                id,
                at: second(now),
                comment,
            },
        )?;
    }
    let note = stored("coaching note", store.coaching_note(id)?)?;
    note_view(store, note, &mut BTreeMap::new())
}

/// An agreed next step, owned by the agent or the coach. Sent again with the same key, it
/// answers with the item it made.
pub fn create_action(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    new: NewActionItem,
    now: NaiveDateTime,
) -> Outcome<ActionItem> {
    let agent = coached_agent(store, actor, new.agent_id)?;
    let session = match new.session_id {
        Some(id) => match store.coaching_session(id)? {
            Some(s) if s.agent_id == agent.id => Some(s),
            _ => return Err(missing(Entity::CoachingSession)),
        },
        None => None,
    };
    if let Some(earlier) = store
        .action_items(Some(&[agent.id]))?
        .into_iter()
        .find(|a| a.created_by == actor.id && a.client_key == new.client_key)
    {
        return Ok(earlier);
    }
    if let Some(s) = &session {
        if !s.state.open() {
            return Err(Refusal::WrongSessionState(s.state).into());
        }
    }
    let text = new.text.trim().to_string();
    let (today, _) = centre_now(store, now)?;
    let mut problems = key_and_text(&new.client_key, &[("text", &text, 1, MAX_LINE)]);
    problems.extend(coaching::due_problem(new.due, today));
    invalid(problems)?;
    let item = ActionItem {
        id: 0,
        agent_id: agent.id,
        session_id: new.session_id,
        created_by: actor.id,
        owner: new.owner,
        text,
        due: new.due,
        state: ActionState::Open,
        reason: String::new(),
        created_at: second(now),
        closed_at: None,
        client_key: new.client_key,
    };
    let id = store.write(Some(actor.id), Change::ActionItemCreated(item))?;
    stored("action item", store.action_item(id)?)
}

/// Done, dropped (with a reason) or open again. The agent marks their own items done; the coach
/// side settles any.
pub fn settle_action(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: ActionItemId,
    change: ActionChange,
    now: NaiveDateTime,
) -> Outcome<ActionItem> {
    let item = store.action_item(id)?.ok_or(missing(Entity::ActionItem))?;
    let coach = coaches(store, actor, item.agent_id)?;
    let seen_by_agent = is_own(actor, item.agent_id)
        && match item.session_id {
            Some(s) => store
                .coaching_session(s)?
                .is_some_and(|s| s.state.shown_to_agent()),
            None => true,
        };
    if !coach && !seen_by_agent {
        return Err(missing(Entity::ActionItem));
    }
    if !item.settled_by(actor, coach) || (!coach && change.state != ActionState::Done) {
        return Err(Refusal::Forbidden.into());
    }
    if item.state == change.state {
        return Ok(item);
    }
    if item.state != ActionState::Open && change.state != ActionState::Open {
        // Done by one, dropped by another: the second learns the first.
        return Err(Refusal::ChangedSinceOpened(Entity::ActionItem).into());
    }
    let reason = change.reason.trim().to_string();
    let min = usize::from(change.state == ActionState::Dropped);
    invalid(
        coaching::text_problem("reason", &reason, min, MAX_LINE)
            .into_iter()
            .collect(),
    )?;
    store.write(
        Some(actor.id),
        Change::ActionItemSettled {
            id,
            state: change.state,
            reason: if change.state == ActionState::Dropped {
                reason
            } else {
                String::new()
            },
            at: (change.state != ActionState::Open).then(|| second(now)),
        },
    )?;
    stored("action item", store.action_item(id)?)
}

/// From a held session: a weekly sampling plan of the agent's calls since, scored by reviewers
/// other than the coach, so that the effect is measured on calls the coach did not pick. Asked
/// again, it answers with the plan it made.
pub fn follow_up_sample(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CoachingSessionId,
    request: coaching::FollowUpRequest,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = coached_session(store, actor, id)?;
    require(actor, Capability::ManageSampling)?;
    if session.follow_up_plan.is_some() {
        return reloaded(store, id, true, now);
    }
    let Some(held) = session.delivered_at else {
        return Err(Refusal::WrongSessionState(session.state).into());
    };
    if !(1..=coaching::MAX_FOLLOW_UP).contains(&request.calls_per_week) {
        return Err(Refusal::InvalidInput(vec![QueryError::new(
            "calls_per_week",
            request.calls_per_week.to_string(),
            Problem::OutOfRange {
                min: 1,
                max: coaching::MAX_FOLLOW_UP,
            },
        )])
        .into());
    }
    let agent = stored("coached agent", store.user(session.agent_id)?)?;
    // The card the session worked on, or the one the agent was last scored on.
    let card = match session.focus.first() {
        Some(f) => Some(f.scorecard_id),
        None => {
            let mut scored = store.evaluations_of_agent(agent.id)?;
            scored.sort_by_key(|e| std::cmp::Reverse((e.submitted_at, e.id)));
            match scored.first() {
                Some(e) => store
                    .version(e.scorecard_version_id)?
                    .map(|v| v.scorecard_id),
                None => None,
            }
        }
    };
    let Some(scorecard_id) = card else {
        return Err(Refusal::InvalidInput(vec![QueryError::new(
            "scorecard_id",
            "",
            Problem::NoPublishedScorecard,
        )])
        .into());
    };
    let reviewers: Vec<UserId> = store
        .users()?
        .into_iter()
        .filter(|u| u.id != actor.id && u.role == crate::access::Role::Reviewer && u.may_review())
        .map(|u| u.id)
        .collect();
    let held_day = store.clock(held)?.today(held);
    let spec = crate::plan::PlanSpec {
        name: LocalizedText {
            en: format!("Follow-up after coaching: {}", agent.display_name),
            zh: format!("辅导后跟进：{}", agent.display_name),
        },
        population: format!(
            "agent={}&from={}",
            agent.id,
            crate::time::date_stamp(held_day)
        ),
        rolling_days: None,
        exclude_evaluated: true,
        exclude_assigned: true,
        min_duration_s: None,
        scorecard_id,
        reviewers,
        conflicts: Vec::new(),
        due_days: 7,
        strategy: crate::sampling::Strategy::Total {
            n: request.calls_per_week,
        },
        seed: 1_000 + id,
        recurrence: crate::plan::Recurrence::Weekly,
    };
    let plan = super::create_plan(store, actor, spec, now)?.plan.id;
    store.write(
        Some(actor.id),
        Change::CoachingFollowUpSet {
            id,
            plan,
            revision: session.revision + 1,
        },
    )?;
    reloaded(store, id, true, now)
}
