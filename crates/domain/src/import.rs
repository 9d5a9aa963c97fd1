//! Calls brought in from a centre's own platform, in batches: each call is matched to its
//! agent (agent code, then username) and keyed by (source, external id), so importing the same
//! export again changes nothing and a later export of a call updates it, except that a call
//! already evaluated keeps its agent and start (the difference is reported, not applied). The
//! file's reading and mapping are `kappa-import`'s; what a batch does to the centre is decided
//! here, for the browser and the server alike.

use crate::call::{Call, CallId, CallOrigin, Direction, Language};
use crate::coded;
use crate::people::{User, UserId};
use crate::vocabulary::{TermKind, Vocabulary};
use crate::Role;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Calls a batch holds at most: one transaction's worth, so other users' writes never wait long
/// and an interrupted import resumes from its last batch.
pub const BATCH: usize = 5_000;
/// Longest platform id: Genesys and Amazon Connect ids are 36-character UUIDs.
pub const MAX_EXTERNAL_ID: usize = 128;
/// Longest caller as shown (a number, or its masked last digits).
pub const MAX_CUSTOMER_REF: usize = 128;
/// Attributes a call keeps at most (an export's columns are bounded by the same number), each
/// header and value bounded.
pub const MAX_ATTRIBUTES: usize = 500;
pub const MAX_ATTRIBUTE_NAME: usize = 100;
pub const MAX_ATTRIBUTE_VALUE: usize = 1_000;

/// One call of a batch, checked and mapped by the file's mapping; its agent still as the
/// source names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingCall {
    /// Its row in the file, for the report.
    pub row: u64,
    pub external_id: String,
    /// An agent code or a username.
    pub agent: String,
    /// The centre's local time.
    #[serde(with = "crate::time::iso")]
    pub started_at: NaiveDateTime,
    pub duration_s: u32,
    /// The caller as shown: masked where the source is set to mask.
    pub customer_ref: String,
    /// The masked caller's salted hash.
    #[serde(default)]
    pub caller_hash: Option<String>,
    /// A queue's code in the centre's vocabulary.
    pub queue: String,
    pub direction: Direction,
    /// An outcome's code in the centre's vocabulary.
    pub disposition: String,
    pub csat: Option<u8>,
    pub complaint: bool,
    pub language: Language,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// Calls of one source, at most [`BATCH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallBatch {
    pub source: String,
    pub calls: Vec<IncomingCall>,
}

coded!(
    /// Why a call of a batch was not taken.
    pub enum RowProblem {
        /// No account has this agent code or username.
        UnknownAgent => "unknown_agent",
        /// The account it names does not take calls.
        NotAnAgent => "not_an_agent",
        /// The agent is in no team, so the call would belong to none.
        NoTeam => "no_team",
        UnknownQueue => "unknown_queue",
        UnknownOutcome => "unknown_outcome",
        /// An earlier call of the batch has the same id.
        DuplicateId => "duplicate_id",
        /// Empty, or longer than [`MAX_EXTERNAL_ID`].
        BadId => "bad_id",
        /// A caller, an attribute's name or value, or their number over its bound.
        TooLong => "too_long",
    }
);

impl RowProblem {
    pub fn describe(self, zh: bool) -> &'static str {
        match (self, zh) {
            (RowProblem::UnknownAgent, false) => "no account has this agent code or username",
            (RowProblem::UnknownAgent, true) => "没有账号使用此工号或用户名",
            (RowProblem::NotAnAgent, false) => "this account is not an agent's",
            (RowProblem::NotAnAgent, true) => "此账号不是坐席",
            (RowProblem::NoTeam, false) => "the agent is in no team",
            (RowProblem::NoTeam, true) => "该坐席不属于任何团队",
            (RowProblem::UnknownQueue, false) => "not one of the centre's queues",
            (RowProblem::UnknownQueue, true) => "不是本中心的队列",
            (RowProblem::UnknownOutcome, false) => "not one of the centre's outcomes",
            (RowProblem::UnknownOutcome, true) => "不是本中心的处理结果",
            (RowProblem::DuplicateId, false) => "the same call id as an earlier row",
            (RowProblem::DuplicateId, true) => "与前面某行的通话 ID 相同",
            (RowProblem::BadId, false) => "the call id is empty or longer than 128 characters",
            (RowProblem::BadId, true) => "通话 ID 为空或超过 128 个字符",
            (RowProblem::TooLong, false) => "longer than Kappa keeps",
            (RowProblem::TooLong, true) => "超出 Kappa 保存的长度",
        }
    }
}

/// A call of the batch not taken: which row, which field, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRefusal {
    pub row: u64,
    pub external_id: String,
    pub field: String,
    pub problem: RowProblem,
}

/// What a later export says differently about a call already evaluated, which keeps its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub row: u64,
    pub call_id: CallId,
    /// `agent` or `started_at`.
    pub field: String,
    pub kept: String,
    pub offered: String,
}

/// What a batch does (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub rejected: Vec<RowRefusal>,
    pub conflicts: Vec<Conflict>,
}

/// The batch's decision: the report, and the calls to write (new ones with id 0, the store's
/// to give; updated ones with their own).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchPlan {
    pub report: BatchReport,
    pub new: Vec<Call>,
    pub updated: Vec<Call>,
}

/// Who a source's agent key names: an agent code first (platforms export those), then a
/// username, both regardless of case.
pub struct AgentIndex<'a> {
    by_code: HashMap<String, &'a User>,
    by_username: HashMap<String, &'a User>,
}

impl<'a> AgentIndex<'a> {
    pub fn new(users: &'a [User]) -> Self {
        let mut by_code = HashMap::new();
        let mut by_username = HashMap::new();
        for u in users {
            if let Some(code) = &u.agent_code {
                by_code.insert(code.to_lowercase(), u);
            }
            by_username.insert(u.username.to_lowercase(), u);
        }
        AgentIndex {
            by_code,
            by_username,
        }
    }

    pub fn find(&self, key: &str) -> Option<&'a User> {
        let key = key.trim().to_lowercase();
        self.by_code
            .get(&key)
            .or_else(|| self.by_username.get(&key))
            .copied()
    }
}

/// Decides a batch against what the centre holds: its people, its vocabulary, the calls of
/// this source the batch names (`existing`) and which of those are evaluated.
pub fn plan_batch(
    batch: CallBatch,
    users: &[User],
    vocabulary: &Vocabulary,
    existing: &[Call],
    evaluated: &HashSet<CallId>,
) -> BatchPlan {
    let agents = AgentIndex::new(users);
    let by_id: HashMap<&str, &Call> = existing
        .iter()
        .filter_map(|c| c.origin.as_ref().map(|o| (o.external_id.as_str(), c)))
        .collect();
    let names: HashMap<UserId, &str> = users.iter().map(|u| (u.id, u.username.as_str())).collect();
    let mut plan = BatchPlan::default();
    let mut seen: HashSet<String> = HashSet::new();
    for incoming in batch.calls {
        let refuse = |field: &str, problem| RowRefusal {
            row: incoming.row,
            external_id: incoming.external_id.chars().take(MAX_EXTERNAL_ID).collect(),
            field: field.into(),
            problem,
        };
        let refusal = if incoming.external_id.trim().is_empty()
            || incoming.external_id.chars().count() > MAX_EXTERNAL_ID
        {
            Some(refuse("external_id", RowProblem::BadId))
        } else if !seen.insert(incoming.external_id.clone()) {
            Some(refuse("external_id", RowProblem::DuplicateId))
        } else if vocabulary.find(TermKind::Queue, &incoming.queue).is_none() {
            Some(refuse("queue", RowProblem::UnknownQueue))
        } else if vocabulary
            .find(TermKind::Disposition, &incoming.disposition)
            .is_none()
        {
            Some(refuse("disposition", RowProblem::UnknownOutcome))
        } else if incoming.customer_ref.chars().count() > MAX_CUSTOMER_REF {
            Some(refuse("customer_ref", RowProblem::TooLong))
        } else if incoming.attributes.len() > MAX_ATTRIBUTES
            || incoming.attributes.iter().any(|(k, v)| {
                k.chars().count() > MAX_ATTRIBUTE_NAME || v.chars().count() > MAX_ATTRIBUTE_VALUE
            })
        {
            Some(refuse("attributes", RowProblem::TooLong))
        } else {
            None
        };
        if let Some(refusal) = refusal {
            plan.report.rejected.push(refusal);
            continue;
        }
        let agent = match agents.find(&incoming.agent) {
            None => Err(RowProblem::UnknownAgent),
            Some(u) if u.role != Role::Agent => Err(RowProblem::NotAnAgent),
            Some(u) => u.team_id.map(|team| (u.id, team)).ok_or(RowProblem::NoTeam),
        };
        let (agent_id, team_id) = match agent {
            Ok(found) => found,
            Err(problem) => {
                plan.report.rejected.push(refuse("agent", problem));
                continue;
            }
        };
        let row = incoming.row;
        let mut call = Call {
            id: 0,
            started_at: incoming.started_at,
            duration_s: incoming.duration_s,
            agent_id,
            team_id,
            queue: incoming.queue,
            direction: incoming.direction,
            disposition: incoming.disposition,
            csat: incoming.csat,
            complaint: incoming.complaint,
            language: incoming.language,
            customer_ref: incoming.customer_ref,
            caller_hash: incoming.caller_hash,
            recording: None,
            origin: Some(CallOrigin {
                source: batch.source.clone(),
                external_id: incoming.external_id,
            }),
            attributes: incoming.attributes,
        };
        let Some(before) = call
            .origin
            .as_ref()
            .and_then(|o| by_id.get(o.external_id.as_str()))
        else {
            plan.report.new += 1;
            plan.new.push(call);
            continue;
        };
        call.id = before.id;
        call.recording = before.recording.clone();
        if evaluated.contains(&before.id) {
            // An evaluation scored this agent on this call at this time: those stay.
            if call.agent_id != before.agent_id {
                let name = |id| names.get(&id).copied().unwrap_or_default().to_string();
                plan.report.conflicts.push(Conflict {
                    row,
                    call_id: before.id,
                    field: "agent".into(),
                    kept: name(before.agent_id),
                    offered: name(call.agent_id),
                });
                call.agent_id = before.agent_id;
                call.team_id = before.team_id;
            }
            if call.started_at != before.started_at {
                plan.report.conflicts.push(Conflict {
                    row,
                    call_id: before.id,
                    field: "started_at".into(),
                    kept: crate::time::stamp(before.started_at),
                    offered: crate::time::stamp(call.started_at),
                });
                call.started_at = before.started_at;
            }
        }
        if call == **before {
            plan.report.unchanged += 1;
        } else {
            plan.report.updated += 1;
            plan.updated.push(call);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: UserId, username: &str, code: Option<&str>) -> User {
        User {
            id,
            username: username.into(),
            display_name: username.into(),
            role: Role::Agent,
            team_id: Some(1),
            active: true,
            agent_code: code.map(Into::into),
        }
    }

    #[test]
    fn an_agent_code_is_matched_before_a_username_and_case_does_not_matter() {
        let users = [
            user(1, "1001", None),
            user(2, "wang.fang", Some("CS-1001")),
            user(3, "li.na", Some("1001")),
        ];
        let index = AgentIndex::new(&users);
        assert_eq!(index.find("1001").map(|u| u.id), Some(3));
        assert_eq!(index.find(" cs-1001 ").map(|u| u.id), Some(2));
        assert_eq!(index.find("WANG.FANG").map(|u| u.id), Some(2));
        assert_eq!(index.find("nobody").map(|u| u.id), None);
    }
}
