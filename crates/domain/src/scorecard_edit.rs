//! The builder's edits as pure functions: new parts with unused keys, duplicates that stay
//! valid, moves. Keys are what answers refer to, so every edit keeps them unique.

use crate::coded;
use crate::people::LocalizedText;
use crate::scorecard::{
    AnswerType, ChoiceOption, Criterion, ScorecardDefinition, ScorecardSection, SectionKind,
};
use std::collections::BTreeSet;

fn text(en: &str, zh: &str) -> LocalizedText {
    LocalizedText {
        en: en.into(),
        zh: zh.into(),
    }
}

coded!(
    /// The kinds of answer a criterion can take, in the order the builder offers them; each
    /// code is also the `type` tag of its `AnswerType` in JSON.
    pub enum AnswerKind {
        YesNo => "yes_no",
        Scale => "scale",
        Points => "points",
        Choice => "choice",
    }
);

impl AnswerKind {
    pub fn of(t: &AnswerType) -> AnswerKind {
        match t {
            AnswerType::YesNo { .. } => AnswerKind::YesNo,
            AnswerType::Scale { .. } => AnswerKind::Scale,
            AnswerType::Points { .. } => AnswerKind::Points,
            AnswerType::Choice { .. } => AnswerKind::Choice,
        }
    }

    /// A sensible starting answer type of this kind, keeping the points where both have points.
    pub fn starter(self, from: &AnswerType) -> AnswerType {
        let points = match from {
            AnswerType::YesNo { points } | AnswerType::Scale { points, .. } => *points,
            AnswerType::Points { max } => *max,
            AnswerType::Choice { .. } => from.possible() as u32,
        }
        .max(1);
        match self {
            AnswerKind::YesNo => AnswerType::YesNo { points },
            AnswerKind::Scale => AnswerType::Scale {
                points,
                labels: [
                    text("Poor", "差"),
                    text("Weak", "较差"),
                    text("Fair", "一般"),
                    text("Good", "良好"),
                    text("Excellent", "优秀"),
                ],
            },
            AnswerKind::Points => AnswerType::Points { max: points },
            AnswerKind::Choice => AnswerType::Choice {
                options: vec![
                    ChoiceOption {
                        key: "met".into(),
                        label: text("Met", "达到"),
                        points,
                    },
                    ChoiceOption {
                        key: "partly".into(),
                        label: text("Partly met", "部分达到"),
                        points: points / 2,
                    },
                    ChoiceOption {
                        key: "missed".into(),
                        label: text("Missed", "未达到"),
                        points: 0,
                    },
                ],
            },
        }
    }
}

impl ScorecardDefinition {
    /// Where a new scorecard starts: one section with one yes/no criterion, titles to fill in.
    pub fn blank() -> ScorecardDefinition {
        let mut card = ScorecardDefinition {
            name: LocalizedText::default(),
            pass_mark: 80.0,
            sections: Vec::new(),
        };
        card.add_section();
        card
    }

    fn keys(&self) -> BTreeSet<String> {
        self.sections
            .iter()
            .flat_map(|s| {
                std::iter::once(s.key.clone()).chain(s.criteria.iter().map(|c| c.key.clone()))
            })
            .collect()
    }

    /// `prefix_1`, `prefix_2`, … the first one no section or criterion uses.
    pub fn unused_key(&self, prefix: &str) -> String {
        let keys = self.keys();
        (1..)
            .map(|n| format!("{prefix}_{n}"))
            .find(|k| !keys.contains(k))
            .expect("an unused key exists")
    }

    fn new_criterion(&self) -> Criterion {
        Criterion {
            key: self.unused_key("criterion"),
            title: LocalizedText::default(),
            guideline: LocalizedText::default(),
            answer_type: AnswerType::YesNo { points: 1 },
            allow_na: false,
            critical: None,
        }
    }

    pub fn add_section(&mut self) {
        let key = self.unused_key("section");
        let criterion = self.new_criterion();
        self.sections.push(ScorecardSection {
            key,
            title: LocalizedText::default(),
            weight: 10.0,
            kind: SectionKind::Standard,
            criteria: vec![criterion],
        });
    }

    pub fn add_criterion(&mut self, section: usize) {
        let criterion = self.new_criterion();
        if let Some(s) = self.sections.get_mut(section) {
            s.criteria.push(criterion);
        }
    }

    /// Puts a copy right after the original, with fresh keys for it and its criteria.
    pub fn duplicate_section(&mut self, section: usize) {
        let Some(mut copy) = self.sections.get(section).cloned() else {
            return;
        };
        copy.key = self.unused_key(&format!("{}_copy", copy.key));
        let mut taken = self.keys();
        taken.insert(copy.key.clone());
        for c in &mut copy.criteria {
            c.key = (1..)
                .map(|n| format!("{}_copy_{n}", c.key))
                .find(|k| !taken.contains(k))
                .expect("an unused key exists");
            taken.insert(c.key.clone());
        }
        self.sections.insert(section + 1, copy);
    }

    pub fn duplicate_criterion(&mut self, section: usize, criterion: usize) {
        let Some(mut copy) = self
            .sections
            .get(section)
            .and_then(|s| s.criteria.get(criterion))
            .cloned()
        else {
            return;
        };
        copy.key = self.unused_key(&format!("{}_copy", copy.key));
        self.sections[section].criteria.insert(criterion + 1, copy);
    }

    /// The most a section adds to the score, in percentage points: its weight over the total
    /// weight of the non-bonus sections (bonus sections add theirs on top). `None` without any
    /// non-bonus weight, when no share can be computed.
    pub fn weight_share(&self, section: usize) -> Option<f64> {
        let total: f64 = self
            .sections
            .iter()
            .filter(|s| s.kind != SectionKind::Bonus && s.weight > 0.0)
            .map(|s| s.weight)
            .sum();
        let weight = self.sections.get(section)?.weight.max(0.0);
        (total > 0.0).then(|| 100.0 * weight / total)
    }

    /// Moves a section one place up (`-1`) or down (`1`); returns its new index when it moved.
    pub fn move_section(&mut self, section: usize, by: isize) -> Option<usize> {
        let to = section
            .checked_add_signed(by)
            .filter(|&to| to < self.sections.len() && section < self.sections.len())?;
        self.sections.swap(section, to);
        Some(to)
    }

    pub fn move_criterion(&mut self, section: usize, criterion: usize, by: isize) -> Option<usize> {
        let criteria = &mut self.sections.get_mut(section)?.criteria;
        let to = criterion
            .checked_add_signed(by)
            .filter(|&to| to < criteria.len() && criterion < criteria.len())?;
        criteria.swap(criterion, to);
        Some(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::validate;

    fn filled() -> ScorecardDefinition {
        let mut card = ScorecardDefinition::blank();
        card.name = text("Card", "");
        card.sections[0].title = text("Opening", "");
        card.sections[0].criteria[0].title = text("Greets", "");
        card
    }

    #[test]
    fn a_blank_card_needs_only_its_titles() {
        let paths: Vec<String> = validate(&ScorecardDefinition::blank())
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(
            paths,
            vec!["name", "sections[0].title", "sections[0].criteria[0].title"]
        );
        assert_eq!(validate(&filled()), vec![]);
    }

    #[test]
    fn new_and_duplicated_parts_keep_keys_unique_and_the_card_valid() {
        let mut card = filled();
        card.add_criterion(0);
        card.sections[0].criteria[1].title = text("Listens", "");
        card.duplicate_section(0);
        card.duplicate_criterion(1, 0);
        card.duplicate_section(0);
        assert_eq!(
            validate(&card),
            vec![],
            "{:#?}",
            card.sections
                .iter()
                .map(|s| (
                    &s.key,
                    s.criteria.iter().map(|c| &c.key).collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            card.sections
                .iter()
                .map(|s| s.key.as_str())
                .collect::<Vec<_>>(),
            vec!["section_1", "section_1_copy_2", "section_1_copy_1"]
        );
        assert_eq!(
            card.sections[2]
                .criteria
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            vec![
                "criterion_1_copy_1",
                "criterion_1_copy_1_copy_1",
                "criterion_2_copy_1"
            ]
        );
    }

    #[test]
    fn weight_shares_are_of_the_non_bonus_total() {
        // Opening 10 and Resolution 30 share 40: 25 % and 75 %; a bonus of 5 adds up to 12.5.
        let mut card = filled();
        card.add_section();
        card.add_section();
        card.sections[1].weight = 30.0;
        card.sections[2].weight = 5.0;
        card.sections[2].kind = SectionKind::Bonus;
        assert_eq!(
            [0, 1, 2].map(|i| card.weight_share(i)),
            [Some(25.0), Some(75.0), Some(12.5)]
        );
        card.sections[1].weight = 0.0;
        card.sections[0].weight = 0.0;
        assert_eq!(card.weight_share(0), None);
    }

    #[test]
    fn moves_stay_inside_the_list() {
        let mut card = filled();
        card.add_section();
        assert_eq!(card.move_section(0, -1), None);
        assert_eq!(card.move_section(0, 1), Some(1));
        assert_eq!(card.sections[1].key, "section_1");
        assert_eq!(card.move_section(1, 1), None);
        card.add_criterion(1);
        assert_eq!(card.move_criterion(1, 1, -1), Some(0));
        assert_eq!(card.sections[1].criteria[1].key, "criterion_1");
        assert_eq!(card.move_criterion(9, 0, 1), None);
    }

    #[test]
    fn changing_the_answer_kind_keeps_the_points() {
        let scale = AnswerKind::Scale.starter(&AnswerType::YesNo { points: 4 });
        assert_eq!(scale.possible(), 4.0);
        let choice = AnswerKind::Choice.starter(&scale);
        assert_eq!(choice.possible(), 4.0);
        assert_eq!(AnswerKind::of(&choice), AnswerKind::Choice);
        assert_eq!(AnswerKind::parse("points"), Some(AnswerKind::Points));
    }
}
