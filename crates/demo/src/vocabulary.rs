//! The demo travel desk's queues and outcomes: what its generator draws calls from, and the
//! vocabulary the demo centre starts with (its administrators may rename, add and retire).

use kappa_domain::coded;
use kappa_domain::vocabulary::{Term, TermKind, Vocabulary};
use kappa_domain::LocalizedText;

coded!(
    pub enum Queue {
        Bookings => "bookings",
        Changes => "changes",
        Cancellations => "cancellations",
        Refunds => "refunds",
        Complaints => "complaints",
        Loyalty => "loyalty",
    }
);

coded!(
    pub enum Disposition {
        Resolved => "resolved",
        FollowUp => "follow_up",
        Escalated => "escalated",
        Transferred => "transferred",
        Unresolved => "unresolved",
    }
);

impl Queue {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Queue::Bookings => ("Bookings", "预订"),
            Queue::Changes => ("Changes", "改签"),
            Queue::Cancellations => ("Cancellations", "退订"),
            Queue::Refunds => ("Refunds", "退款"),
            Queue::Complaints => ("Complaints", "投诉"),
            Queue::Loyalty => ("Loyalty", "会员"),
        }
    }
}

impl Disposition {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Disposition::Resolved => ("Resolved", "已解决"),
            Disposition::FollowUp => ("Follow-up", "待跟进"),
            Disposition::Escalated => ("Escalated", "已升级"),
            Disposition::Transferred => ("Transferred", "已转接"),
            Disposition::Unresolved => ("Unresolved", "未解决"),
        }
    }
}

/// Every queue and outcome of the desk, all in use.
pub fn vocabulary() -> Vocabulary {
    let term = |kind, code: &str, (en, zh): (&str, &str)| Term {
        kind,
        code: code.into(),
        name: LocalizedText {
            en: en.into(),
            zh: zh.into(),
        },
        active: true,
        revision: 1,
    };
    let queues = Queue::ALL
        .iter()
        .map(|q| term(TermKind::Queue, q.code(), q.names()));
    let outcomes = Disposition::ALL
        .iter()
        .map(|d| term(TermKind::Disposition, d.code(), d.names()));
    Vocabulary {
        terms: queues.chain(outcomes).collect(),
    }
}
