//! The bilingual starter scorecards shipped with the demo, and their published history.

use chrono::{NaiveDate, NaiveDateTime};
use kappa_domain::api::PublishRequest;
use kappa_domain::scorecard::{DraftSave, ScorecardDefinition};
use kappa_domain::scorecard_library::ScorecardLibrary;
use kappa_domain::store::MemoryStore;
use kappa_domain::{workflow, User};

/// A demo scorecard: its versions in publishing order, each with when it was published.
#[derive(Debug, Clone)]
pub struct DemoScorecard {
    pub versions: Vec<(ScorecardDefinition, NaiveDateTime)>,
}

fn parse(json: &str) -> ScorecardDefinition {
    serde_json::from_str(json).expect("starter templates are valid JSON scorecards (tested)")
}

/// Customer-service call and sales/retention call: drawn from the competencies contact centres
/// hire for (greeting and standard speech, listening, business knowledge, problem resolution,
/// complaint handling, identity verification as a critical item, closing).
pub fn templates() -> Vec<ScorecardDefinition> {
    vec![
        parse(include_str!("../templates/customer-service.json")),
        parse(include_str!("../templates/sales-retention.json")),
    ]
}

fn day(m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("valid date")
}

/// The service scorecard has two versions: in October the centre moved five points of weight
/// from knowledge to resolution, so evaluations before and after score differently.
pub fn demo_scorecards() -> Vec<DemoScorecard> {
    let mut templates = templates().into_iter();
    let (service, sales) = (
        templates.next().expect("service template"),
        templates.next().expect("sales template"),
    );
    let mut service_v1 = service.clone();
    for section in &mut service_v1.sections {
        match section.key.as_str() {
            "knowledge" => section.weight = 25.0,
            "resolution" => section.weight = 20.0,
            _ => {}
        }
    }
    vec![
        DemoScorecard {
            versions: vec![(service_v1, day(8, 20)), (service, day(10, 12))],
        },
        DemoScorecard {
            versions: vec![(sales, day(9, 1))],
        },
    ]
}

/// The demo scorecards replayed through the same rules an author's edits go through: created,
/// published, edited into the next version and published again by `author`, in seeding order,
/// so ids match a fresh database.
pub fn library(cards: &[DemoScorecard], author: &User) -> ScorecardLibrary {
    let mut store = MemoryStore::default();
    for card in cards {
        let mut versions = card.versions.iter();
        let Some((first, at)) = versions.next() else {
            continue;
        };
        let created = workflow::create_scorecard(&mut store, author, first.clone(), *at)
            .expect("the author builds scorecards");
        let id = created.id;
        let mut lock = workflow::publish(
            &mut store,
            author,
            id,
            PublishRequest {
                lock_version: created.lock_version,
            },
            *at,
        )
        .expect("starter templates are valid (tested)")
        .lock_version;
        for (definition, at) in versions {
            lock = workflow::save_draft(
                &mut store,
                author,
                id,
                DraftSave {
                    lock_version: lock,
                    definition: definition.clone(),
                },
            )
            .expect("published cards accept a new draft")
            .lock_version;
            workflow::publish(
                &mut store,
                author,
                id,
                PublishRequest { lock_version: lock },
                *at,
            )
            .expect("starter templates are valid (tested)");
        }
    }
    store.scorecards
}

#[cfg(test)]
mod tests {
    use super::*;
    use kappa_domain::scorecard::{validate, AnswerType};
    use kappa_domain::LocalizedText;

    fn bilingual(text: &LocalizedText, at: &str) {
        assert!(
            !text.en.trim().is_empty() && !text.zh.trim().is_empty(),
            "{at} needs both languages: {text:?}"
        );
    }

    #[test]
    fn every_demo_version_is_valid_and_fully_bilingual() {
        for card in demo_scorecards() {
            for (definition, _) in &card.versions {
                assert_eq!(validate(definition), vec![], "{}", definition.name.en);
                bilingual(&definition.name, "name");
                for s in &definition.sections {
                    bilingual(&s.title, &s.key);
                    for c in &s.criteria {
                        bilingual(&c.title, &c.key);
                        match &c.answer_type {
                            AnswerType::Scale { labels, .. } => {
                                labels.iter().for_each(|l| bilingual(l, &c.key))
                            }
                            AnswerType::Choice { options } => {
                                options.iter().for_each(|o| bilingual(&o.label, &o.key))
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn identity_verification_is_a_critical_item_in_both_templates() {
        for t in templates() {
            let verify = t
                .sections
                .iter()
                .flat_map(|s| &s.criteria)
                .find(|c| c.key == "verify_identity")
                .expect("has identity check");
            assert_eq!(
                verify.critical,
                Some(kappa_domain::scorecard::Critical::FailAll)
            );
        }
    }
}
