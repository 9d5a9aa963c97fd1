//! Who may do what. The server enforces these on every route; the SPA only uses them to hide
//! navigation that would end in a 403 anyway.

use crate::coded;
use serde::{Deserialize, Serialize};

coded!(
    pub enum Role {
        Admin => "admin",
        Lead => "lead",
        Reviewer => "reviewer",
        Agent => "agent",
    }
);

impl Role {
    pub fn can(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            Role::Admin => true,
            // Leads own how their teams are scored, so they build scorecards too.
            Role::Lead => !matches!(
                capability,
                ManageUsers | ManageVocabulary | ReadAudit | ReadOwnFeedback
            ),
            Role::Reviewer => matches!(
                capability,
                ReviewCalls | BrowseCalls | ListPeople | Calibrate
            ),
            Role::Agent => matches!(capability, ReadOwnFeedback),
        }
    }

    /// Navigation sections in display order; the first is where the user lands after sign-in.
    /// Only sections that exist: a link to a page with nothing behind it would pretend to be an
    /// empty one.
    pub fn sections(self) -> Vec<Section> {
        Section::ALL
            .into_iter()
            .filter(|s| s.is_available() && self.can(s.capability()))
            .collect()
    }

    pub fn home(self) -> Section {
        self.sections()[0]
    }
}

/// A permission checked by the server. Kept coarse on purpose: a capability per user task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Work an assignment queue and score calls.
    ReviewCalls,
    /// Search and listen to any call in the library.
    BrowseCalls,
    /// See teams and agents (needed to filter calls by them).
    ListPeople,
    /// Set up calibration sessions and read every reviewer's alignment.
    RunCalibration,
    /// Score in the calibration sessions one takes part in and read one's own alignment.
    Calibrate,
    CoachAgents,
    ViewReports,
    ReadOwnFeedback,
    ManageUsers,
    /// Name the centre's queues and outcomes.
    ManageVocabulary,
    /// Bring the centre's call records in from its own platform.
    ImportCalls,
    /// Read what everyone did: every lead's imports, not only one's own.
    ReadAudit,
    ManageScorecards,
    /// Draw samples of calls and hand them out to reviewers.
    ManageSampling,
    /// Change a submitted evaluation (with a reason) and rule on disputes.
    ArbitrateDisputes,
}

/// A top-level page of the app, one per user task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Queue,
    Calls,
    Disputes,
    Sampling,
    Calibration,
    Coaching,
    Reports,
    Feedback,
    Users,
    Scorecards,
    Vocabulary,
    Import,
}

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Queue,
        Section::Calls,
        Section::Disputes,
        Section::Sampling,
        Section::Calibration,
        Section::Coaching,
        Section::Reports,
        Section::Feedback,
        Section::Users,
        Section::Scorecards,
        Section::Vocabulary,
        Section::Import,
    ];

    pub fn capability(self) -> Capability {
        match self {
            Section::Queue => Capability::ReviewCalls,
            Section::Calls => Capability::BrowseCalls,
            Section::Disputes => Capability::ArbitrateDisputes,
            Section::Sampling => Capability::ManageSampling,
            Section::Calibration => Capability::Calibrate,
            Section::Coaching => Capability::CoachAgents,
            Section::Reports => Capability::ViewReports,
            Section::Feedback => Capability::ReadOwnFeedback,
            Section::Users => Capability::ManageUsers,
            Section::Scorecards => Capability::ManageScorecards,
            Section::Vocabulary => Capability::ManageVocabulary,
            Section::Import => Capability::ImportCalls,
        }
    }

    /// Whether the section's capability is built. Reports are not yet: their page says so, and
    /// the navigation leaves them out.
    pub fn is_available(self) -> bool {
        self != Section::Reports
    }

    pub fn path(self) -> &'static str {
        match self {
            Section::Queue => "/queue",
            Section::Calls => "/calls",
            Section::Disputes => "/disputes",
            Section::Sampling => "/sampling",
            Section::Calibration => "/calibration",
            Section::Coaching => "/coaching",
            Section::Reports => "/reports",
            Section::Feedback => "/me",
            Section::Users => "/users",
            Section::Scorecards => "/scorecards",
            Section::Vocabulary => "/vocabulary",
            Section::Import => "/import",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_follows_the_brief_for_each_role() {
        use Section::*;
        assert_eq!(Role::Reviewer.sections(), vec![Queue, Calls, Calibration]);
        assert_eq!(
            Role::Lead.sections(),
            vec![
                Queue,
                Calls,
                Disputes,
                Sampling,
                Calibration,
                Coaching,
                Scorecards,
                Import
            ]
        );
        assert_eq!(Role::Agent.sections(), vec![Feedback]);
        assert_eq!(
            Role::Admin.sections(),
            vec![
                Queue,
                Calls,
                Disputes,
                Sampling,
                Calibration,
                Coaching,
                Feedback,
                Users,
                Scorecards,
                Vocabulary,
                Import
            ]
        );
    }

    #[test]
    fn agents_cannot_browse_other_peoples_calls() {
        assert!(!Role::Agent.can(Capability::BrowseCalls));
        assert!(!Role::Agent.can(Capability::ListPeople));
    }

    #[test]
    fn only_admins_manage_users_and_only_admins_and_leads_build_scorecards() {
        for role in [Role::Lead, Role::Reviewer, Role::Agent] {
            assert!(!role.can(Capability::ManageUsers), "{role:?}");
            assert!(!role.can(Capability::ManageVocabulary), "{role:?}");
        }
        for role in [Role::Reviewer, Role::Agent] {
            assert!(!role.can(Capability::ImportCalls), "{role:?}");
        }
        assert!(
            Role::Lead.can(Capability::ImportCalls) && Role::Admin.can(Capability::ImportCalls)
        );
        for role in [Role::Reviewer, Role::Agent] {
            assert!(!role.can(Capability::ManageScorecards), "{role:?}");
            assert!(!role.can(Capability::ManageSampling), "{role:?}");
            assert!(!role.can(Capability::ArbitrateDisputes), "{role:?}");
        }
        assert!(
            Role::Lead.can(Capability::ManageSampling)
                && Role::Admin.can(Capability::ManageSampling)
        );
        assert!(Role::Admin.can(Capability::ManageUsers));
        assert!(
            Role::Lead.can(Capability::ManageScorecards)
                && Role::Admin.can(Capability::ManageScorecards)
        );
    }

    #[test]
    fn every_role_has_a_home() {
        assert_eq!(Role::Agent.home(), Section::Feedback);
        assert_eq!(Role::Reviewer.home(), Section::Queue);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
    }
}
