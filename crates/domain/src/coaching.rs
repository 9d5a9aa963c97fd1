//! Coaching: what a lead (or the reviewer who scored a call) tells an agent, the sessions where
//! they talk it through, and the action items they agree. The records and the rules on them
//! live here; who may do what is decided in `workflow::coaching`, the numbers in `progress`.

use crate::access::Role;
use crate::call_query::{Problem, QueryError};
use crate::coded;
use crate::people::{shown_length, LocalizedText, Team, User, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub type CoachingSessionId = u32;
pub type NoteId = u32;
pub type ActionItemId = u32;

/// A note's or a session summary's length, in characters: room for a paragraph or two.
pub const MAX_BODY: usize = 4_000;
/// An acknowledgement's comment, an action item's text, a reason to drop one.
pub const MAX_LINE: usize = 500;
/// Criteria a session focuses on, evaluations it links, moments a note marks: a session is an
/// hour's conversation, not a report.
pub const MAX_FOCUS: usize = 10;
pub const MAX_LINKED: usize = 20;
pub const MAX_MOMENTS: usize = 20;
/// The key a client sends with a new record so that sending it again finds the first.
pub const MAX_CLIENT_KEY: usize = 64;
/// How far back an agenda looks, at most (a quarter and a bit).
pub const MAX_PERIOD_DAYS: u32 = 120;
/// How far ahead a session may be scheduled or an action item fall due.
pub const MAX_AHEAD_DAYS: u32 = 365;

coded!(
    /// What a note is for.
    pub enum NoteKind {
        Praise => "praise",
        Improvement => "improvement",
        FollowUp => "follow_up",
    }
);

coded!(
    /// A session's life: prepared, put in the calendar, held, confirmed by the agent, done.
    pub enum SessionState {
        Draft => "draft",
        Scheduled => "scheduled",
        Delivered => "delivered",
        Acknowledged => "acknowledged",
        Closed => "closed",
    }
);

coded!(
    pub enum ActionOwner {
        Agent => "agent",
        Coach => "coach",
    }
);

coded!(
    pub enum ActionState {
        Open => "open",
        Done => "done",
        Dropped => "dropped",
    }
);

impl SessionState {
    /// Whether the coach may move a session from here to `to`. Acknowledging is the agent's
    /// step, not the coach's; a session can be held without being scheduled first.
    pub fn coach_may_move_to(self, to: SessionState) -> bool {
        use SessionState::*;
        matches!(
            (self, to),
            (Draft, Scheduled)
                | (Scheduled, Draft)
                | (Draft | Scheduled, Delivered)
                | (Delivered | Acknowledged, Closed)
        )
    }

    /// Its agent sees it: once it is in the calendar.
    pub fn shown_to_agent(self) -> bool {
        self != SessionState::Draft
    }

    /// Its content (focus, links, summary) may still change: until it is held.
    pub fn editable(self) -> bool {
        matches!(self, SessionState::Draft | SessionState::Scheduled)
    }

    /// Notes and action items may still be added: until it is closed.
    pub fn open(self) -> bool {
        self != SessionState::Closed
    }
}

/// A criterion across a card's versions: the card and the criterion's key, which versions keep.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CriterionRef {
    pub scorecard_id: u32,
    pub key: String,
}

/// A stretch of a call's recording, played from the note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub start_ms: u32,
    pub end_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachingNote {
    pub id: NoteId,
    pub agent_id: UserId,
    pub author_id: UserId,
    #[serde(default)]
    pub session_id: Option<CoachingSessionId>,
    #[serde(default)]
    pub evaluation_id: Option<u32>,
    /// Keys of criteria on the linked evaluation's pinned scorecard version.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Moments of the linked evaluation's call.
    #[serde(default)]
    pub moments: Vec<Moment>,
    pub kind: NoteKind,
    pub body: String,
    /// For coaches only: never shown to the agent.
    pub private: bool,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub acknowledged_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub client_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachingSession {
    pub id: CoachingSessionId,
    pub agent_id: UserId,
    pub coach_id: UserId,
    pub state: SessionState,
    /// The criteria the session works on.
    pub focus: Vec<CriterionRef>,
    /// Evaluations talked through.
    pub evaluation_ids: Vec<u32>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub scheduled_for: Option<NaiveDateTime>,
    /// What was agreed, for the agent to read once the session is held.
    #[serde(default)]
    pub summary: String,
    /// The days the agenda looked back over.
    pub period_days: u32,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub delivered_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub acknowledged_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub comment: String,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub closed_at: Option<NaiveDateTime>,
    /// Counts changes, so that an edit made on an old copy is refused.
    pub revision: u32,
    #[serde(default)]
    pub client_key: String,
    /// The sampling plan drawing the agent's calls since the session, for reviewers to score.
    #[serde(default)]
    pub follow_up_plan: Option<u32>,
}

/// Most calls a week a follow-up sample draws of one agent.
pub const MAX_FOLLOW_UP: u32 = 20;

/// "Sample this agent's next calls": how many a week.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRequest {
    pub calls_per_week: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: ActionItemId,
    pub agent_id: UserId,
    #[serde(default)]
    pub session_id: Option<CoachingSessionId>,
    pub created_by: UserId,
    pub owner: ActionOwner,
    pub text: String,
    #[serde(with = "crate::time::day")]
    pub due: NaiveDate,
    pub state: ActionState,
    /// Why it was dropped.
    #[serde(default)]
    pub reason: String,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub closed_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub client_key: String,
}

impl ActionItem {
    /// Still open after its due day (the centre's day).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state == ActionState::Open && self.due < today
    }

    /// Whether `user` may mark it done or drop it: its coach side always, the agent only an
    /// item they own.
    pub fn settled_by(&self, user: &User, coaches: bool) -> bool {
        coaches || (self.owner == ActionOwner::Agent && self.agent_id == user.id)
    }
}

impl CoachingNote {
    /// What the agent sees: their own notes, never a private one, and a session's notes only
    /// once it has been held.
    pub fn shown_to_agent(&self, session: Option<&CoachingSession>) -> bool {
        !self.private
            && session.is_none_or(|s| {
                matches!(
                    s.state,
                    SessionState::Delivered | SessionState::Acknowledged | SessionState::Closed
                )
            })
    }
}

/// Team scope, the rule for coaching and reports: an admin coaches every agent, a lead the
/// agents of the teams they lead (one or several); no one else coaches.
pub fn coaches(actor: &User, agent: &User, teams: &[Team]) -> bool {
    if agent.role != Role::Agent {
        return false;
    }
    match actor.role {
        Role::Admin => true,
        Role::Lead => agent.team_id.is_some_and(|team| {
            teams
                .iter()
                .any(|t| t.id == team && t.lead_id == Some(actor.id))
        }),
        Role::Reviewer | Role::Agent => false,
    }
}

/// The agents `actor` coaches, by name.
pub fn coached_agents<'u>(actor: &User, users: &'u [User], teams: &[Team]) -> Vec<&'u User> {
    let mut agents: Vec<&User> = users.iter().filter(|u| coaches(actor, u, teams)).collect();
    agents.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    agents
}

// ---- Requests ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    pub agent_id: UserId,
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_FOCUS>")]
    pub focus: Vec<CriterionRef>,
    #[serde(default, deserialize_with = "crate::bounded::vec::<_, _, MAX_LINKED>")]
    pub evaluation_ids: Vec<u32>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub scheduled_for: Option<NaiveDateTime>,
    #[serde(default)]
    pub summary: String,
    pub period_days: u32,
    pub client_key: String,
}

/// A draft or scheduled session's content, as its editor read it at `revision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEdit {
    pub revision: u32,
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_FOCUS>")]
    pub focus: Vec<CriterionRef>,
    #[serde(default, deserialize_with = "crate::bounded::vec::<_, _, MAX_LINKED>")]
    pub evaluation_ids: Vec<u32>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub scheduled_for: Option<NaiveDateTime>,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionMove {
    pub revision: u32,
    pub to: SessionState,
}

/// The agent's confirmation, with what they want to say.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Acknowledgement {
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewNote {
    pub agent_id: UserId,
    #[serde(default)]
    pub session_id: Option<CoachingSessionId>,
    #[serde(default)]
    pub evaluation_id: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::bounded::vec::<_, _, { crate::bounded::MAX_CRITERIA }>"
    )]
    pub criteria: Vec<String>,
    #[serde(default, deserialize_with = "crate::bounded::vec::<_, _, MAX_MOMENTS>")]
    pub moments: Vec<Moment>,
    pub kind: NoteKind,
    pub body: String,
    #[serde(default)]
    pub private: bool,
    pub client_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewActionItem {
    pub agent_id: UserId,
    #[serde(default)]
    pub session_id: Option<CoachingSessionId>,
    pub owner: ActionOwner,
    pub text: String,
    #[serde(with = "crate::time::day")]
    pub due: NaiveDate,
    pub client_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionChange {
    pub state: ActionState,
    #[serde(default)]
    pub reason: String,
}

// ---- What the pages read ----

/// A note with what its reader needs beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    #[serde(flatten)]
    pub note: CoachingNote,
    pub author: String,
    /// The linked evaluation's call, to play its moments.
    #[serde(default)]
    pub call_id: Option<crate::call::CallId>,
    /// That call's recording file, when it has one.
    #[serde(default)]
    pub recording: Option<String>,
    /// The linked criteria's titles, in the note's order.
    #[serde(default)]
    pub criteria_titles: Vec<LocalizedText>,
}

/// An evaluation a session or an agenda links to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedEvaluation {
    pub id: u32,
    pub scorecard_id: u32,
    pub call_id: crate::call::CallId,
    #[serde(with = "crate::time::iso")]
    pub submitted_at: NaiveDateTime,
    pub scorecard_name: LocalizedText,
    pub score: f64,
    pub passed: bool,
}

/// A criterion a session works on, with the reviewers' agreement on it where it is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusLine {
    pub criterion: CriterionRef,
    pub title: LocalizedText,
    /// Krippendorff's α from the last revealed calibration session that scored it (coaches only).
    #[serde(default)]
    pub alpha: Option<f64>,
    #[serde(default)]
    pub calibration_id: Option<u32>,
    /// α below [`crate::agreement::ALPHA_TENTATIVE`]: coaching may be chasing reviewer noise.
    #[serde(default)]
    pub unreliable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub session: CoachingSession,
    pub agent: String,
    pub coach: String,
    pub focus: Vec<FocusLine>,
    pub evaluations: Vec<LinkedEvaluation>,
    pub notes: Vec<NoteView>,
    pub actions: Vec<ActionItem>,
    /// Read by a coach (private notes included), not by the agent.
    pub coach_view: bool,
    /// The centre's day, for "overdue".
    #[serde(with = "crate::time::day")]
    pub today: NaiveDate,
}

/// A session as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionLine {
    pub id: CoachingSessionId,
    pub state: SessionState,
    pub coach: String,
    pub focus: Vec<LocalizedText>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub scheduled_for: Option<NaiveDateTime>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub delivered_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub acknowledged_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
}

/// One agent's QA progress and coaching, as the agent or their coach reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentCoaching {
    pub agent_id: UserId,
    pub agent: String,
    pub days: u32,
    #[serde(with = "crate::time::day")]
    pub today: NaiveDate,
    /// Evaluations of calls in the period.
    pub n: u32,
    pub score: Option<crate::stats::Estimate>,
    pub pass_rate: Option<crate::stats::Estimate>,
    pub trend: crate::progress::Trend,
    pub criteria: Vec<crate::progress::CriterionRate>,
    pub sessions: Vec<SessionLine>,
    pub notes: Vec<NoteView>,
    pub actions: Vec<ActionItem>,
    pub coach_view: bool,
}

/// What a new session starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    pub agent_id: UserId,
    pub agent: String,
    pub days: u32,
    /// The criteria that cost most points over the period.
    pub weakest: Vec<crate::progress::CriterionLoss>,
    pub open_actions: Vec<ActionItem>,
    /// The period's evaluations, failed ones first, each newest first.
    pub evaluations: Vec<LinkedEvaluation>,
}

/// One agent of the lead's teams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub agent_id: UserId,
    pub agent: String,
    pub team_id: Option<crate::people::TeamId>,
    pub n: u32,
    pub score: Option<crate::stats::Estimate>,
    pub pass_rate: Option<crate::stats::Estimate>,
    /// The mean score of the four weeks up to each of the last eight, oldest first; `None`
    /// where those weeks have too few calls.
    pub sparkline: Vec<Option<f64>>,
    pub open_actions: u32,
    pub overdue_actions: u32,
    /// Evaluations, notes and held sessions the agent has not acknowledged.
    pub unacknowledged: u32,
    /// Since when the oldest of them has waited.
    #[serde(with = "crate::time::maybe_iso", default)]
    pub waiting_since: Option<NaiveDateTime>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub last_coached: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub days: u32,
    #[serde(with = "crate::time::day")]
    pub today: NaiveDate,
    pub rows: Vec<AgentRow>,
    /// Held sessions waiting for their agent's acknowledgement, oldest first.
    pub waiting: Vec<WaitingSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingSession {
    pub id: CoachingSessionId,
    pub agent_id: UserId,
    pub agent: String,
    #[serde(with = "crate::time::iso")]
    pub delivered_at: NaiveDateTime,
}

/// Did coaching work: each focus criterion before and since the session, against similar
/// agents who were not coached on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectReport {
    pub session_id: CoachingSessionId,
    pub weeks: u32,
    /// The session's held time on the centre's clock; `None` while it has not been held.
    #[serde(with = "crate::time::maybe_iso", default)]
    pub held_at: Option<NaiveDateTime>,
    pub criteria: Vec<crate::progress::CriterionEffect>,
}

/// The period a progress or team read covers: days back from today.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodQuery {
    #[serde(default = "default_days")]
    pub days: u32,
}

fn default_days() -> u32 {
    90
}

impl Default for PeriodQuery {
    fn default() -> Self {
        PeriodQuery {
            days: default_days(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EffectQuery {
    #[serde(default = "default_weeks")]
    pub weeks: u32,
}

fn default_weeks() -> u32 {
    4
}

// ---- Checks on what a request says (who may send it is the workflow's) ----

/// A text field of `min..=max` characters as shown; `None` when it fits.
pub fn text_problem(field: &str, text: &str, min: usize, max: usize) -> Option<QueryError> {
    let length = shown_length(text);
    if length == 0 && min > 0 {
        return Some(QueryError::new(field, "", Problem::Required));
    }
    (length > max).then(|| {
        QueryError::new(
            field,
            "",
            Problem::Length {
                min: min as u32,
                max: max as u32,
            },
        )
    })
}

pub fn client_key_problem(key: &str) -> Option<QueryError> {
    let fits = (1..=MAX_CLIENT_KEY).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!fits).then(|| {
        QueryError::new(
            "client_key",
            key.chars().take(MAX_CLIENT_KEY).collect::<String>(),
            Problem::Characters {
                allowed: "1-64 of a-z A-Z 0-9 - _".into(),
            },
        )
    })
}

pub fn period_problem(days: u32) -> Option<QueryError> {
    (!(7..=MAX_PERIOD_DAYS).contains(&days)).then(|| {
        QueryError::new(
            "period_days",
            days.to_string(),
            Problem::OutOfRange {
                min: 7,
                max: MAX_PERIOD_DAYS,
            },
        )
    })
}

/// Moments must lie inside the call, each ending after it starts.
pub fn moment_problems(moments: &[Moment], duration_s: u32) -> Vec<QueryError> {
    let end = duration_s.saturating_mul(1000);
    moments
        .iter()
        .enumerate()
        .filter(|(_, m)| m.start_ms >= m.end_ms || m.end_ms > end)
        .map(|(i, m)| {
            QueryError::new(
                format!("moments[{i}]"),
                format!("{}-{}", m.start_ms, m.end_ms),
                Problem::OutOfRange { min: 0, max: end },
            )
        })
        .collect()
}

/// An instant from now to a year ahead (a session's date).
pub fn ahead_problem(field: &str, at: NaiveDateTime, now: NaiveDateTime) -> Option<QueryError> {
    if at < now - chrono::Duration::hours(1) {
        Some(QueryError::new(
            field,
            crate::time::stamp(at),
            Problem::NotInFuture,
        ))
    } else if at > now + chrono::Duration::days(MAX_AHEAD_DAYS.into()) {
        Some(QueryError::new(
            field,
            crate::time::stamp(at),
            Problem::TooFarAhead {
                days: MAX_AHEAD_DAYS,
            },
        ))
    } else {
        None
    }
}

/// A due day from today to a year ahead.
pub fn due_problem(due: NaiveDate, today: NaiveDate) -> Option<QueryError> {
    if due < today {
        Some(QueryError::new(
            "due",
            crate::time::date_stamp(due),
            Problem::NotInFuture,
        ))
    } else if due > today + chrono::Duration::days(MAX_AHEAD_DAYS.into()) {
        Some(QueryError::new(
            "due",
            crate::time::date_stamp(due),
            Problem::TooFarAhead {
                days: MAX_AHEAD_DAYS,
            },
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Team;

    fn user(id: u32, role: Role, team: Option<u32>) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: format!("U{id}"),
            role,
            team_id: team,
            active: true,
            agent_code: None,
        }
    }

    #[test]
    fn a_lead_coaches_the_agents_of_every_team_they_lead_and_no_other() {
        let teams = [
            Team {
                id: 1,
                name: "A".into(),
                lead_id: Some(2),
            },
            Team {
                id: 2,
                name: "B".into(),
                lead_id: Some(3),
            },
            Team {
                id: 3,
                name: "C".into(),
                lead_id: Some(2),
            },
        ];
        let (admin, lead, other_lead, reviewer) = (
            user(1, Role::Admin, None),
            user(2, Role::Lead, Some(1)),
            user(3, Role::Lead, Some(2)),
            user(4, Role::Reviewer, None),
        );
        let agents = [
            user(10, Role::Agent, Some(1)),
            user(11, Role::Agent, Some(2)),
            user(12, Role::Agent, Some(3)),
            user(13, Role::Agent, None),
        ];
        let scope = |who: &User| -> Vec<u32> {
            agents
                .iter()
                .filter(|a| coaches(who, a, &teams))
                .map(|a| a.id)
                .collect()
        };
        assert_eq!(scope(&admin), [10, 11, 12, 13]);
        assert_eq!(scope(&lead), [10, 12], "both of lead 2's teams");
        assert_eq!(scope(&other_lead), [11]);
        assert!(scope(&reviewer).is_empty());
        assert!(
            !coaches(&admin, &lead, &teams),
            "only agents are coached here"
        );
    }

    #[test]
    fn sessions_move_forward_and_only_the_agent_acknowledges() {
        use SessionState::*;
        assert!(Draft.coach_may_move_to(Scheduled) && Scheduled.coach_may_move_to(Draft));
        assert!(Draft.coach_may_move_to(Delivered) && Scheduled.coach_may_move_to(Delivered));
        assert!(Delivered.coach_may_move_to(Closed) && Acknowledged.coach_may_move_to(Closed));
        for state in SessionState::ALL {
            assert!(!Closed.coach_may_move_to(state), "{state:?}");
            assert!(!state.coach_may_move_to(Acknowledged), "{state:?}");
        }
        assert!(!Delivered.coach_may_move_to(Draft) && !Acknowledged.coach_may_move_to(Delivered));
        assert!(!Draft.shown_to_agent() && Scheduled.shown_to_agent());
    }

    #[test]
    fn private_notes_and_notes_of_a_session_not_yet_held_stay_with_the_coach() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut note = CoachingNote {
            id: 1,
            agent_id: 10,
            author_id: 2,
            session_id: Some(1),
            evaluation_id: None,
            criteria: vec![],
            moments: vec![],
            kind: NoteKind::Improvement,
            body: "Offer the callback".into(),
            private: false,
            created_at: at,
            acknowledged_at: None,
            comment: String::new(),
            client_key: "k".into(),
        };
        let mut session = CoachingSession {
            id: 1,
            agent_id: 10,
            coach_id: 2,
            state: SessionState::Scheduled,
            focus: vec![],
            evaluation_ids: vec![],
            scheduled_for: Some(at),
            summary: String::new(),
            period_days: 30,
            created_at: at,
            delivered_at: None,
            acknowledged_at: None,
            comment: String::new(),
            closed_at: None,
            revision: 1,
            client_key: "s".into(),
            follow_up_plan: None,
        };
        assert!(!note.shown_to_agent(Some(&session)));
        session.state = SessionState::Delivered;
        assert!(note.shown_to_agent(Some(&session)));
        note.private = true;
        assert!(!note.shown_to_agent(Some(&session)) && !note.shown_to_agent(None));
    }

    #[test]
    fn moments_lie_inside_the_call_and_keys_are_plain() {
        let ok = Moment {
            start_ms: 1_000,
            end_ms: 5_000,
        };
        let reversed = Moment {
            start_ms: 5_000,
            end_ms: 1_000,
        };
        let beyond = Moment {
            start_ms: 1_000,
            end_ms: 61_000,
        };
        let problems = moment_problems(&[ok, reversed, beyond], 60);
        assert_eq!(
            problems
                .iter()
                .map(|p| p.field.as_str())
                .collect::<Vec<_>>(),
            ["moments[1]", "moments[2]"]
        );
        assert!(client_key_problem("a1-b_2").is_none());
        assert!(client_key_problem("").is_some() && client_key_problem("a b").is_some());
        assert!(client_key_problem(&"x".repeat(65)).is_some());
    }
}
