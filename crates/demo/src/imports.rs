//! Calls the demo centre imported from its own telephony platform (a Tinet-style CDR): matched
//! to agents by agent code (工号), keyed by the platform's ids, with the columns no field took
//! kept as attributes. Brought in through the import rules, as a lead's import would be.

use kappa_domain::import::{CallBatch, IncomingCall};
use kappa_domain::store::MemoryStore;
use kappa_domain::{workflow, Direction, Language};
use rand::Rng;
use std::collections::BTreeMap;

/// The platform's name in the centre.
pub const SOURCE: &str = "tinet";

/// The last demo day's calls from the platform, 08:00 to 18:00.
pub fn generate(rng: &mut impl Rng, store: &mut MemoryStore) {
    let lead = store
        .users
        .iter()
        .find(|u| u.username == "lead1")
        .cloned()
        .expect("the demo has lead1");
    let day =
        chrono::NaiveDate::from_ymd_opt(crate::LAST_DAY.0, crate::LAST_DAY.1, crate::LAST_DAY.2)
            .expect("valid date");
    let queues = ["bookings", "changes", "refunds", "complaints"];
    let outcomes = [
        "resolved",
        "resolved",
        "resolved",
        "follow_up",
        "transferred",
    ];
    let calls = (0..36)
        .map(|n| {
            let started_at = day.and_hms_opt(8, 0, 0).expect("valid time")
                + chrono::Duration::seconds(n * 1000 + rng.gen_range(0..600));
            let hung_up_by = if rng.gen_bool(0.7) {
                "客户"
            } else {
                "坐席"
            };
            let ivr = format!("1>{}>{}", rng.gen_range(1..4), rng.gen_range(1..3));
            let attributes = BTreeMap::from([
                ("IVR 路径".to_string(), ivr),
                ("挂机方".to_string(), hung_up_by.to_string()),
                ("中继号".to_string(), format!("0108{:04}", 2000 + n % 4)),
            ]);
            // Twenty callers for 36 calls: some call again, and are found by their hash.
            let caller = rng.gen_range(0..20u64);
            IncomingCall {
                row: n as u64 + 2,
                external_id: format!("TN2026112500{:04}", 1200 + n),
                agent: (1001 + rng.gen_range(0..27)).to_string(),
                started_at,
                duration_s: rng.gen_range(60..720),
                customer_ref: format!("****{:04}", 1000 + caller * 379 % 9000),
                // As the platform's import masks it: the number's salted hash, here the demo's.
                caller_hash: Some(format!(
                    "{:016x}{:016x}",
                    0x9e37_79b9_7f4a_7c15u64.wrapping_mul(caller + 1),
                    0xbf58_476d_1ce4_e5b9u64.wrapping_mul(caller + 7)
                )),
                queue: queues[rng.gen_range(0..queues.len())].into(),
                direction: if rng.gen_bool(0.85) {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
                disposition: outcomes[rng.gen_range(0..outcomes.len())].into(),
                csat: rng.gen_bool(0.3).then(|| rng.gen_range(1..=5)),
                complaint: rng.gen_bool(0.08),
                language: Language::Zh,
                attributes,
            }
        })
        .collect();
    let batch = CallBatch {
        source: SOURCE.into(),
        calls,
    };
    let report = workflow::import_calls(store, &lead, batch, false).expect("the demo import");
    // Agents 1001–1027 are all in teams: every row is taken.
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
}
