//! Scorecards and all their versions as plain data: what the static demo ships in
//! `scorecards.json` and keeps in the browser. It decides nothing; `workflow` does.

use crate::scorecard::{ScorecardDetail, ScorecardVersion};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScorecardLibrary {
    pub cards: Vec<ScorecardDetail>,
    /// Published versions with their definitions; drafts live in their card.
    pub versions: Vec<ScorecardVersion>,
}

impl ScorecardLibrary {
    /// A published version, or an open draft, by its row id.
    pub fn version(&self, id: u32) -> Option<ScorecardVersion> {
        self.versions
            .iter()
            .find(|v| v.id == id)
            .cloned()
            .or_else(|| {
                self.cards.iter().find_map(|c| {
                    c.draft
                        .as_ref()
                        .filter(|d| d.id == id)
                        .map(|d| ScorecardVersion {
                            id,
                            scorecard_id: c.id,
                            version: d.version,
                            published: false,
                            definition: d.definition.clone(),
                        })
                })
            })
    }

    /// The row id the next new version gets: one above every published version and draft.
    pub(crate) fn next_version_id(&self) -> u32 {
        let drafts = self
            .cards
            .iter()
            .filter_map(|c| c.draft.as_ref().map(|d| d.id));
        self.versions
            .iter()
            .map(|v| v.id)
            .chain(drafts)
            .max()
            .unwrap_or(0)
            + 1
    }
}
