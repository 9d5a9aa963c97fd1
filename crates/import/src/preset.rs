//! Mappings for the call-record exports of common platforms, from the field lists in their
//! public documentation (`tests/fixtures/import/README.md` names each source). A preset is a
//! starting point: the lead sees it applied and can change any of it before the dry run.

use crate::field::{ColumnMap, Field};
use crate::mapping::{Defaults, Mapping, ValueMaps};
use crate::value::DurationUnit;
use kappa_domain::call::Direction;

kappa_domain::coded!(
    pub enum Preset {
        AmazonConnect => "amazon_connect",
        GenesysCloud => "genesys_cloud",
        Twilio => "twilio",
        AliyunCcc => "aliyun_ccc",
        Tinet => "tinet",
        Freeswitch => "freeswitch",
        Yeastar => "yeastar",
    }
);

impl Preset {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Preset::AmazonConnect, false) => "Amazon Connect contact records",
            (Preset::AmazonConnect, true) => "Amazon Connect 联系记录",
            (Preset::GenesysCloud, false) => "Genesys Cloud conversation details",
            (Preset::GenesysCloud, true) => "Genesys Cloud 会话详情",
            (Preset::Twilio, false) => "Twilio calls",
            (Preset::Twilio, true) => "Twilio 通话记录",
            (Preset::AliyunCcc, false) => "Alibaba Cloud Contact Center call records",
            (Preset::AliyunCcc, true) => "阿里云云联络中心通话记录",
            (Preset::Tinet, false) => "Tinet-style Chinese call records",
            (Preset::Tinet, true) => "天润融通式通话记录",
            (Preset::Freeswitch, false) => "FreeSWITCH CDR (mod_cdr_csv)",
            (Preset::Freeswitch, true) => "FreeSWITCH 话单（mod_cdr_csv）",
            (Preset::Yeastar, false) => "Yeastar PBX CDR",
            (Preset::Yeastar, true) => "Yeastar 交换机话单",
        }
    }

    /// Where a JSON answer keeps its calls, for the platforms that answer with a document.
    pub fn records(self) -> Option<&'static str> {
        match self {
            Preset::GenesysCloud => Some("conversations"),
            Preset::AliyunCcc => Some("Data.List"),
            _ => None,
        }
    }

    /// The columns of an export that comes without a header row, when this platform writes
    /// such files and `first_row` is not its header: FreeSWITCH's `example` template.
    pub fn headerless(self, first_row: &[String]) -> Option<Vec<String>> {
        const FREESWITCH: [&str; 15] = [
            "caller_id_name",
            "caller_id_number",
            "destination_number",
            "context",
            "start_stamp",
            "answer_stamp",
            "end_stamp",
            "duration",
            "billsec",
            "hangup_cause",
            "uuid",
            "bleg_uuid",
            "accountcode",
            "read_codec",
            "write_codec",
        ];
        match self {
            Preset::Freeswitch if !first_row.iter().any(|c| c == "uuid") => {
                // The compiled-in template writes the first 13 of these.
                Some(
                    FREESWITCH[..first_row.len().clamp(13, 15)]
                        .iter()
                        .map(|c| c.to_string())
                        .collect(),
                )
            }
            _ => None,
        }
    }

    pub fn mapping(self) -> Mapping {
        use Field::*;
        let mut values = ValueMaps::default();
        let mut duration_unit = DurationUnit::Auto;
        let mut agent_pattern = None;
        let columns: &[(Field, &str)] = match self {
            Preset::AmazonConnect => &[
                (ExternalId, "ContactId"),
                (ParentId, "InitialContactId"),
                (Agent, "Agent.Username"),
                (StartedAt, "InitiationTimestamp"),
                (EndedAt, "DisconnectTimestamp"),
                (Caller, "CustomerEndpoint.Address"),
                (Queue, "Queue.Name"),
                (Direction, "InitiationMethod"),
                (Outcome, "DisconnectReason"),
                (Csat, "Attributes.postCallSurveyScore"),
                (Complaint, "Attributes.complaint"),
            ],
            Preset::GenesysCloud => &[
                (ExternalId, "conversationId"),
                (Agent, "participants[purpose=agent].userId"),
                (StartedAt, "conversationStart"),
                (EndedAt, "conversationEnd"),
                (Caller, "participants[purpose=customer].sessions[0].ani"),
                (Queue, "participants[purpose=acd].participantName"),
                (Direction, "originatingDirection"),
            ],
            Preset::Twilio => {
                agent_pattern = Some("client:{agent}".to_string());
                // An agent's leg of a call that came in is dialled by <Dial>. The customer's
                // number is on the parent leg, not on the agent's, so no caller is mapped.
                values
                    .direction
                    .insert("outbound-dial".to_string(), self::Direction::Inbound);
                &[
                    (ExternalId, "Sid"),
                    (ParentId, "ParentCallSid"),
                    (Agent, "To"),
                    (Agent, "From"),
                    (StartedAt, "StartTime"),
                    (EndedAt, "EndTime"),
                    (Duration, "Duration"),
                    (Direction, "Direction"),
                    (Outcome, "Status"),
                ]
            }
            Preset::AliyunCcc => {
                agent_pattern = Some("{agent}@*".to_string());
                &[
                    (ExternalId, "ContactId"),
                    (Agent, "AgentIds"),
                    (StartedAt, "StartTime"),
                    (EndedAt, "ReleaseTime"),
                    (Duration, "CallDuration"),
                    (Caller, "CallingNumber"),
                    (Queue, "SkillGroupNames"),
                    (Direction, "ContactType"),
                    (Outcome, "ContactDisposition"),
                    (Csat, "SatisfactionDescription"),
                ]
            }
            Preset::Tinet => &[
                (ExternalId, "唯一标识"),
                (Agent, "座席工号"),
                (StartedAt, "开始时间"),
                (EndedAt, "结束时间"),
                (Duration, "通话时长"),
                (Caller, "客户号码"),
                (Queue, "队列名称"),
                (Direction, "呼叫类型"),
                (Outcome, "接听状态"),
                (Csat, "满意度"),
                (Complaint, "投诉"),
            ],
            Preset::Freeswitch => {
                duration_unit = DurationUnit::Seconds;
                // The dialplan context says where a call came from.
                values
                    .direction
                    .insert("public".to_string(), self::Direction::Inbound);
                values
                    .direction
                    .insert("default".to_string(), self::Direction::Outbound);
                &[
                    (ExternalId, "uuid"),
                    (Agent, "accountcode"),
                    (StartedAt, "start_stamp"),
                    (EndedAt, "end_stamp"),
                    (Duration, "billsec"),
                    (Caller, "caller_id_number"),
                    (Direction, "context"),
                    (Outcome, "hangup_cause"),
                ]
            }
            Preset::Yeastar => {
                duration_unit = DurationUnit::Seconds;
                // The extension is in "Call To" for calls in, in "Call From" for calls out (so
                // the customer's number moves too, and no caller is mapped).
                agent_pattern = Some("*<{agent}>".to_string());
                &[
                    (ExternalId, "ID"),
                    (Agent, "Call To"),
                    (Agent, "Call From"),
                    (StartedAt, "Time"),
                    (Duration, "Talk Duration"),
                    (Direction, "Communication Type"),
                    (Outcome, "Status"),
                ]
            }
        };
        Mapping {
            columns: columns
                .iter()
                .map(|(field, column)| ColumnMap {
                    field: *field,
                    column: column.to_string(),
                })
                .collect(),
            values,
            duration_unit,
            source_offset_minutes: None,
            mask_callers: false,
            day_first: false,
            agent_pattern,
            defaults: Defaults::default(),
        }
    }
}

/// How a file is read, from its start (for a workbook, the whole file): its shape as guessed,
/// with what the lead chose over the guess — the platform's preset (where its calls sit,
/// whether it has a header row), the workbook's sheet, the confirmed text encoding. The
/// browser's preview, its static demo and the server all start here.
pub fn shape_of(
    head: &[u8],
    preset: Option<Preset>,
    sheet: Option<String>,
    encoding: Option<crate::encoding::SourceEncoding>,
) -> Result<crate::table::Shape, crate::problem::Refusal> {
    let mut shape = crate::table::sniff(head)?;
    shape.sheet = sheet;
    if let Some(encoding) = encoding {
        shape.encoding = encoding;
    }
    if let Some(preset) = preset {
        shape.records = preset.records().map(str::to_string);
        shape.headerless = preset.headerless(&crate::table::first_record(head, &shape)?);
    }
    Ok(shape)
}
