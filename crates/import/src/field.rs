//! Kappa's call fields a source column can fill, and the header names platforms and Chinese
//! spreadsheets use for each, so that a mapping starts from a good guess.

use serde::{Deserialize, Serialize};

kappa_domain::coded!(
    pub enum Field {
        ExternalId => "external_id",
        ParentId => "parent_id",
        Agent => "agent",
        StartedAt => "started_at",
        EndedAt => "ended_at",
        Duration => "duration",
        Caller => "caller",
        Queue => "queue",
        Direction => "direction",
        Outcome => "outcome",
        Complaint => "complaint",
        Csat => "csat",
        Language => "language",
    }
);

impl Field {
    pub fn label(self, zh: bool) -> &'static str {
        use Field::*;
        match (self, zh) {
            (ExternalId, false) => "Call id",
            (ExternalId, true) => "通话 ID",
            (ParentId, false) => "First call of a transfer",
            (ParentId, true) => "转接前的首通通话",
            (Agent, false) => "Agent (agent code or username)",
            (Agent, true) => "坐席（工号或用户名）",
            (StartedAt, false) => "Start time",
            (StartedAt, true) => "开始时间",
            (EndedAt, false) => "End time",
            (EndedAt, true) => "结束时间",
            (Duration, false) => "Duration",
            (Duration, true) => "通话时长",
            (Caller, false) => "Caller number",
            (Caller, true) => "主叫号码",
            (Queue, false) => "Queue",
            (Queue, true) => "队列",
            (Direction, false) => "Direction",
            (Direction, true) => "呼叫方向",
            (Outcome, false) => "Outcome",
            (Outcome, true) => "处理结果",
            (Complaint, false) => "Complaint",
            (Complaint, true) => "投诉",
            (Csat, false) => "Satisfaction",
            (Csat, true) => "满意度",
            (Language, false) => "Language",
            (Language, true) => "语言",
        }
    }

    /// Header spellings that mean this field, compared as [`normalized`] leaves them.
    fn synonyms(self) -> &'static [&'static str] {
        use Field::*;
        match self {
            ExternalId => &[
                "callid",
                "contactid",
                "conversationid",
                "callsid",
                "sid",
                "uuid",
                "uniqueid",
                "id",
                "cdrid",
                "通话id",
                "呼叫id",
                "通话编号",
                "通话流水号",
                "流水号",
                "会话id",
                "唯一标识",
                "话单id",
                "记录id",
            ],
            ParentId => &[
                "parentid",
                "parentcallsid",
                "initialcontactid",
                "previouscontactid",
                "originalcallid",
                "relatedcallid",
                "blegid",
                "主通话id",
                "原通话id",
                "首通通话id",
                "关联通话id",
                "转接来源",
            ],
            Agent => &[
                "agentid",
                "agentcode",
                "agent",
                "cno",
                "agentusername",
                "username",
                "userid",
                "agentname",
                "users",
                "usersinteracted",
                "坐席工号",
                "座席工号",
                "工号",
                "坐席",
                "座席",
                "坐席编号",
                "座席编号",
                "客服工号",
                "客服",
            ],
            StartedAt => &[
                "starttime",
                "start",
                "startstamp",
                "starttimestamp",
                "initiationtimestamp",
                "conversationstart",
                "datecreated",
                "calltime",
                "begintime",
                "date",
                "time",
                "开始时间",
                "通话开始时间",
                "呼叫时间",
                "呼入时间",
                "来电时间",
                "开始",
            ],
            EndedAt => &[
                "endtime",
                "end",
                "endstamp",
                "endtimestamp",
                "disconnecttimestamp",
                "conversationend",
                "hanguptime",
                "enddate",
                "结束时间",
                "通话结束时间",
                "挂机时间",
                "结束",
            ],
            Duration => &[
                "duration",
                "durationsec",
                "durations",
                "talktime",
                "talkduration",
                "talkdurations",
                "billsec",
                "callduration",
                "agentinteractionduration",
                "agentagentinteractionduration",
                "通话时长",
                "时长",
                "通话时长秒",
                "通话时长s",
                "通话时间",
            ],
            Caller => &[
                "ani",
                "caller",
                "callerid",
                "callernumber",
                "callfrom",
                "from",
                "callingnumber",
                "calleridnumber",
                "customerendpointaddress",
                "customernumber",
                "remote",
                "src",
                "主叫号码",
                "主叫",
                "客户号码",
                "来电号码",
                "主叫号",
            ],
            Queue => &[
                "queue",
                "queuename",
                "skillgroup",
                "skillgroupname",
                "技能组",
                "技能组名称",
                "队列",
                "队列名称",
            ],
            Direction => &[
                "direction",
                "calldirection",
                "initiationmethod",
                "originatingdirection",
                "calltype",
                "communicationtype",
                "contacttype",
                "呼叫方向",
                "方向",
                "呼叫类型",
                "通话类型",
                "通话方向",
            ],
            Outcome => &[
                "outcome",
                "disposition",
                "wrapup",
                "wrapupcode",
                "result",
                "status",
                "通话结果",
                "处理结果",
                "结果",
                "小结",
                "话后小结",
                "通话状态",
            ],
            Complaint => &["complaint", "iscomplaint", "投诉", "是否投诉", "投诉标记"],
            Csat => &[
                "csat",
                "satisfaction",
                "satisfactionindex",
                "surveyscore",
                "满意度",
                "满意度评价",
                "客户满意度",
                "评价",
            ],
            Language => &["language", "lang", "语言"],
        }
    }
}

/// A header as the synonyms are written: lower case, without spaces, punctuation, brackets or
/// a unit in brackets (`通话时长(秒)`, `Call Duration(s)`).
pub fn normalized(header: &str) -> String {
    let mut text = header.trim().to_lowercase();
    for unit in [
        "(秒)",
        "（秒）",
        "(s)",
        "（s）",
        "(sec)",
        "(ms)",
        "(毫秒)",
        "（毫秒）",
    ] {
        text = text.replace(unit, "");
    }
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A suggested field for each header: the first header whose spelling names a field takes it.
pub fn suggest(headers: &[String]) -> Vec<Option<Field>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let key = normalized(h);
            let field = Field::ALL
                .into_iter()
                .find(|f| !taken.contains(f) && f.synonyms().contains(&key.as_str()))?;
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// Which column fills a field: its header, as the file names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    pub field: Field,
    pub column: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(headers: &[&str]) -> Vec<Option<Field>> {
        suggest(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn chinese_and_platform_headers_are_recognised() {
        assert_eq!(
            suggested(&[
                "通话ID",
                "坐席工号",
                "开始时间",
                "通话时长(秒)",
                "主叫号码",
                "技能组",
                "呼叫方向",
                "投诉",
                "满意度",
                "备注"
            ]),
            [
                Some(Field::ExternalId),
                Some(Field::Agent),
                Some(Field::StartedAt),
                Some(Field::Duration),
                Some(Field::Caller),
                Some(Field::Queue),
                Some(Field::Direction),
                Some(Field::Complaint),
                Some(Field::Csat),
                None
            ]
        );
        assert_eq!(
            suggested(&[
                "ContactId",
                "Agent.Username",
                "InitiationTimestamp",
                "Queue.Name",
                "CustomerEndpoint.Address"
            ]),
            [
                Some(Field::ExternalId),
                Some(Field::Agent),
                Some(Field::StartedAt),
                Some(Field::Queue),
                Some(Field::Caller)
            ]
        );
        assert_eq!(
            suggested(&["Call ID", "Cno", "start_time", "Call Duration(s)"]),
            [
                Some(Field::ExternalId),
                Some(Field::Agent),
                Some(Field::StartedAt),
                Some(Field::Duration)
            ]
        );
    }

    #[test]
    fn a_field_is_suggested_once() {
        assert_eq!(
            suggested(&["uuid", "call_id", "开始", "开始时间"]),
            [Some(Field::ExternalId), None, Some(Field::StartedAt), None]
        );
    }
}
