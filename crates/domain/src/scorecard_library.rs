//! Scorecards and all their versions held in memory, changed by the same rules the server
//! applies in SQL. The static demo keeps one of these in the browser; the demo generator builds
//! the shipped one by replaying the centre's history through it, so ids match the server's.

use crate::scorecard::{self, check_save, Draft, DraftSave, EditConflict, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion, ValidationError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScorecardLibrary {
    pub cards: Vec<ScorecardDetail>,
    /// Published versions with their definitions; drafts live in their card.
    pub versions: Vec<ScorecardVersion>,
}

/// Why a change was refused, mirroring the server's answers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LibraryError {
    #[error("no such scorecard")]
    NotFound,
    #[error(transparent)]
    Conflict(#[from] EditConflict),
    #[error("There is no draft to publish: every version is already published.")]
    NothingToPublish,
    #[error("the scorecard has {} problem(s)", .0.len())]
    Invalid(Vec<ValidationError>),
}

impl ScorecardLibrary {
    /// Unarchived first, then by id: the order the server lists them in; `pinned` are the
    /// version ids that submitted evaluations pinned, one per evaluation.
    pub fn list(&self, pinned: impl IntoIterator<Item = u32>) -> Vec<ScorecardSummary> {
        let mut list: Vec<_> = self.cards.iter().map(ScorecardDetail::summary).collect();
        for version in pinned {
            let card = self.versions.iter().find(|v| v.id == version).map(|v| v.scorecard_id);
            if let Some(summary) = list.iter_mut().find(|s| Some(s.id) == card) {
                summary.evaluations += 1;
            }
        }
        list.sort_by_key(|c| (c.archived, c.id));
        list
    }

    pub fn detail(&self, id: u32) -> Result<ScorecardDetail, LibraryError> {
        self.cards.iter().find(|c| c.id == id).cloned().ok_or(LibraryError::NotFound)
    }

    /// A published version, or an open draft, by its row id.
    pub fn version(&self, id: u32) -> Option<ScorecardVersion> {
        self.versions.iter().find(|v| v.id == id).cloned().or_else(|| {
            self.cards.iter().find_map(|c| {
                c.draft.as_ref().filter(|d| d.id == id).map(|d| ScorecardVersion { id, scorecard_id: c.id, version: d.version, published: false, definition: d.definition.clone() })
            })
        })
    }

    fn next_version_id(&self) -> u32 {
        let drafts = self.cards.iter().filter_map(|c| c.draft.as_ref().map(|d| d.id));
        self.versions.iter().map(|v| v.id).chain(drafts).max().unwrap_or(0) + 1
    }

    /// A new scorecard starts as draft v1 at save 1; drafts may be incomplete.
    pub fn create(&mut self, definition: ScorecardDefinition) -> ScorecardDetail {
        let id = self.cards.iter().map(|c| c.id).max().unwrap_or(0) + 1;
        let draft = Draft { id: self.next_version_id(), version: 1, lock_version: 1, definition };
        let card = ScorecardDetail { id, name: draft.definition.name.clone(), archived: false, lock_version: 1, draft: Some(draft), versions: Vec::new() };
        self.cards.push(card.clone());
        card
    }

    fn card_mut(&mut self, id: u32) -> Result<&mut ScorecardDetail, LibraryError> {
        self.cards.iter_mut().find(|c| c.id == id).ok_or(LibraryError::NotFound)
    }

    pub fn save_draft(&mut self, id: u32, save: DraftSave) -> Result<ScorecardDetail, LibraryError> {
        let next_id = self.next_version_id();
        let card = self.card_mut(id)?;
        let lock_version = check_save(card.archived, card.lock_version, save.lock_version)?;
        let (draft_id, version) = match &card.draft {
            Some(d) => (d.id, d.version),
            None => (next_id, card.versions.first().map_or(1, |v| v.version + 1)),
        };
        card.name = save.definition.name.clone();
        card.lock_version = lock_version;
        card.draft = Some(Draft { id: draft_id, version, lock_version, definition: save.definition });
        Ok(card.clone())
    }

    /// Freezes the draft as the next published version; `now` is when, as the server writes it.
    pub fn publish(&mut self, id: u32, lock_version: u32, now: &str) -> Result<ScorecardDetail, LibraryError> {
        let card = self.card_mut(id)?;
        let draft = card.draft.clone().ok_or(LibraryError::NothingToPublish)?;
        check_save(card.archived, card.lock_version, lock_version)?;
        let problems = scorecard::validate(&draft.definition);
        if !problems.is_empty() {
            return Err(LibraryError::Invalid(problems));
        }
        card.draft = None;
        card.versions.insert(0, PublishedVersion { id: draft.id, version: draft.version, published_at: now.into() });
        let card = card.clone();
        self.versions.push(ScorecardVersion { id: draft.id, scorecard_id: id, version: draft.version, published: true, definition: draft.definition });
        Ok(card)
    }

    pub fn set_archived(&mut self, id: u32, archived: bool) -> Result<ScorecardDetail, LibraryError> {
        let card = self.card_mut(id)?;
        card.archived = archived;
        Ok(card.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::LocalizedText;
    use crate::scorecard::{AnswerType, Criterion, ScorecardSection, SectionKind};

    fn definition(name: &str, weight: f64) -> ScorecardDefinition {
        let text = |s: &str| LocalizedText { en: s.into(), zh: String::new() };
        ScorecardDefinition {
            name: text(name),
            pass_mark: 80.0,
            sections: vec![ScorecardSection {
                key: "s".into(),
                title: text("Section"),
                weight,
                kind: SectionKind::Standard,
                criteria: vec![Criterion { key: "c".into(), title: text("Criterion"), guideline: LocalizedText::default(), answer_type: AnswerType::YesNo { points: 1 }, allow_na: false, critical: None }],
            }],
        }
    }

    #[test]
    fn versions_are_numbered_and_kept_as_the_server_does() {
        let mut lib = ScorecardLibrary::default();
        let card = lib.create(definition("A", 10.0));
        assert_eq!((card.id, card.draft.as_ref().map(|d| (d.id, d.version, d.lock_version))), (1, Some((1, 1, 1))));
        let published = lib.publish(1, 1, "2026-11-01T09:00:00").unwrap();
        assert_eq!(published.versions.iter().map(|v| (v.id, v.version)).collect::<Vec<_>>(), vec![(1, 1)]);
        assert_eq!(lib.publish(1, 1, "x"), Err(LibraryError::NothingToPublish));

        // Editing the published card starts draft v2 at the next save, with the next row id.
        let second = lib.create(definition("B", 10.0));
        assert_eq!(second.draft.as_ref().map(|d| d.id), Some(2));
        let draft = lib.save_draft(1, DraftSave { lock_version: 1, definition: definition("A", 20.0) }).unwrap().draft.unwrap();
        assert_eq!((draft.id, draft.version, draft.lock_version), (3, 2, 2));
        assert_eq!(
            lib.save_draft(1, DraftSave { lock_version: 1, definition: definition("A", 30.0) }),
            Err(LibraryError::Conflict(EditConflict::Stale { yours: 1, current: 2 })),
            "a second editor who also started from the published card is refused"
        );
        lib.publish(1, 2, "2026-11-02T09:00:00").unwrap();
        // The lock survives publishing: an editor who opened v1 cannot revert v2 by saving now.
        assert_eq!(
            lib.save_draft(1, DraftSave { lock_version: 1, definition: definition("A", 10.0) }),
            Err(LibraryError::Conflict(EditConflict::Stale { yours: 1, current: 2 }))
        );
        assert_eq!(lib.version(1).unwrap().definition.sections[0].weight, 10.0, "v1 is unchanged for ever");
        assert_eq!(lib.version(3).unwrap().definition.sections[0].weight, 20.0);
        assert_eq!(lib.version(2).map(|v| v.published), Some(false), "drafts are readable by row id too");
        let counts: Vec<u32> = lib.list([1, 3, 3, 9]).iter().map(|s| s.evaluations).collect();
        assert_eq!(counts, vec![3, 0], "evaluations count for the card of the version they pinned");
    }

    #[test]
    fn publishing_refuses_an_invalid_draft_and_archived_cards_refuse_edits() {
        let mut lib = ScorecardLibrary::default();
        lib.create(definition("A", -1.0));
        match lib.publish(1, 1, "now") {
            Err(LibraryError::Invalid(problems)) => assert!(problems.iter().any(|p| p.path == "sections[0].weight"), "{problems:?}"),
            other => panic!("{other:?}"),
        }
        lib.set_archived(1, true).unwrap();
        assert_eq!(lib.save_draft(1, DraftSave { lock_version: 1, definition: definition("A", 1.0) }), Err(LibraryError::Conflict(EditConflict::Archived)));
        assert!(lib.list([])[0].archived);
    }
}
