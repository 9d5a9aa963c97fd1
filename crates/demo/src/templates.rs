//! The bilingual starter scorecards shipped with the demo, and their published history.

use chrono::{NaiveDate, NaiveDateTime};
use kappa_domain::scorecard::{PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardVersion};

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
    vec![parse(include_str!("../templates/customer-service.json")), parse(include_str!("../templates/sales-retention.json"))]
}

fn day(m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("valid date")
}

/// The service scorecard has two versions: in October the centre moved five points of weight
/// from knowledge to resolution, so evaluations before and after score differently.
pub fn demo_scorecards() -> Vec<DemoScorecard> {
    let mut templates = templates().into_iter();
    let (service, sales) = (templates.next().expect("service template"), templates.next().expect("sales template"));
    let mut service_v1 = service.clone();
    for section in &mut service_v1.sections {
        match section.key.as_str() {
            "knowledge" => section.weight = 25.0,
            "resolution" => section.weight = 20.0,
            _ => {}
        }
    }
    vec![DemoScorecard { versions: vec![(service_v1, day(8, 20)), (service, day(10, 12))] }, DemoScorecard { versions: vec![(sales, day(9, 1))] }]
}

/// The demo scorecards as the API shows them, numbered in seeding order exactly as a fresh
/// database numbers them, so fixtures and server agree on every id.
pub fn as_published(cards: &[DemoScorecard]) -> (Vec<ScorecardDetail>, Vec<ScorecardVersion>) {
    let (mut details, mut versions) = (Vec::new(), Vec::new());
    for (i, card) in cards.iter().enumerate() {
        let scorecard_id = i as u32 + 1;
        let mut published = Vec::new();
        for (n, (definition, at)) in card.versions.iter().enumerate() {
            let id = versions.len() as u32 + 1;
            versions.push(ScorecardVersion { id, scorecard_id, version: n as u32 + 1, published: true, definition: definition.clone() });
            published.push(PublishedVersion { id, version: n as u32 + 1, published_at: at.format("%Y-%m-%dT%H:%M:%S").to_string() });
        }
        published.reverse();
        let name = card.versions.last().map(|v| v.0.name.clone()).unwrap_or_default();
        details.push(ScorecardDetail { id: scorecard_id, name, archived: false, draft: None, versions: published });
    }
    (details, versions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kappa_domain::scorecard::{validate, AnswerType};
    use kappa_domain::LocalizedText;

    fn bilingual(text: &LocalizedText, at: &str) {
        assert!(!text.en.trim().is_empty() && !text.zh.trim().is_empty(), "{at} needs both languages: {text:?}");
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
                            AnswerType::Scale { labels, .. } => labels.iter().for_each(|l| bilingual(l, &c.key)),
                            AnswerType::Choice { options } => options.iter().for_each(|o| bilingual(&o.label, &o.key)),
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
            let verify = t.sections.iter().flat_map(|s| &s.criteria).find(|c| c.key == "verify_identity").expect("has identity check");
            assert_eq!(verify.critical, Some(kappa_domain::scorecard::Critical::FailAll));
        }
    }
}
