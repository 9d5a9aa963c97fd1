//! Every page of the app, named once: its address, the section whose capability opens it, and
//! its page group, the wasm chunk its code travels in with the pages used together. The app's
//! guard (src/components/guard.rs), the build's chunk table and size budgets (crates/xtask) and
//! the server's page (crates/server/src/boot.rs) read it; src/app.rs routes each address to its
//! component, and each page's module names its group in `split_page!`, which the build checks
//! against this table.

use crate::access::{Role, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRoute {
    /// Literal segments and `:parameters`, as in `/calls/:id`.
    pub route: &'static str,
    /// The section whose capability opens the page; `None`: anyone signed in, the server
    /// deciding per record (an evaluation, readable by its agent).
    pub section: Option<Section>,
    /// The page group: `split_<group>.wasm`.
    pub group: &'static str,
}

const fn page(route: &'static str, section: Option<Section>, group: &'static str) -> PageRoute {
    PageRoute {
        route,
        section,
        group,
    }
}

/// In matching order: a literal segment before a parameter in the same place.
pub const PAGES: [PageRoute; 23] = [
    page("/queue", Some(Section::Queue), "work"),
    page("/review/:id", Some(Section::Queue), "work"),
    page("/evaluations/:id", None, "work"),
    page("/calls", Some(Section::Calls), "work"),
    page("/calls/:id", Some(Section::Calls), "work"),
    page("/disputes", Some(Section::Disputes), "work"),
    page("/sampling", Some(Section::Sampling), "setup"),
    page("/sampling/:id", Some(Section::Sampling), "setup"),
    page("/users", Some(Section::Users), "setup"),
    page("/scorecards", Some(Section::Scorecards), "setup"),
    page("/scorecards/:id", Some(Section::Scorecards), "setup"),
    page("/vocabulary", Some(Section::Vocabulary), "setup"),
    // Alone: the file reader (encodings, CSV, JSON, workbooks) is no other page's weight.
    page("/import", Some(Section::Import), "import"),
    // Calibration is scored in the review workspace: its pages travel with the reviewer's.
    page("/calibration", Some(Section::Calibration), "work"),
    page("/calibration/history", Some(Section::Calibration), "work"),
    page("/calibration/:id", Some(Section::Calibration), "work"),
    page("/me", Some(Section::Feedback), "me"),
    page("/account", None, "me"),
    // What waits for whoever is signed in, whatever their role.
    page("/inbox", None, "me"),
    page("/coaching", Some(Section::Coaching), "me"),
    page("/coaching/agents/:id", Some(Section::Coaching), "me"),
    // Its agent reads a session too: the server decides per record.
    page("/coaching/sessions/:id", None, "me"),
    page("/reports", Some(Section::Reports), "me"),
];

impl PageRoute {
    /// Whether `path` is this page's address: as many segments, each the same or, for a
    /// parameter, not empty.
    pub fn matches(&self, path: &str) -> bool {
        let mut route = self.route.split('/');
        let mut here = path.split('/');
        loop {
            match (route.next(), here.next()) {
                (None, None) => return true,
                (Some(part), Some(segment)) if part.starts_with(':') && !segment.is_empty() => {}
                (Some(part), Some(segment)) if part == segment => {}
                _ => return false,
            }
        }
    }

    /// Whether someone with `role` may open the page.
    pub fn opens_for(&self, role: Role) -> bool {
        self.section.is_none_or(|s| role.can(s.capability()))
    }
}

/// The page at `path` (no query), if any.
pub fn page_at(path: &str) -> Option<&'static PageRoute> {
    PAGES.iter().find(|p| p.matches(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_find_their_pages() {
        assert_eq!(page_at("/calls").map(|p| p.route), Some("/calls"));
        assert_eq!(page_at("/calls/7").map(|p| p.route), Some("/calls/:id"));
        assert_eq!(
            page_at("/calibration/history").map(|p| p.route),
            Some("/calibration/history")
        );
        assert_eq!(
            page_at("/calibration/4").map(|p| p.route),
            Some("/calibration/:id")
        );
        for missing in ["/", "/signin", "/calls/", "/calls/7/x", "/nope", ""] {
            assert_eq!(page_at(missing), None, "{missing}");
        }
    }

    #[test]
    fn every_section_opens_at_a_page_of_its_own() {
        for section in Section::ALL {
            assert_eq!(
                page_at(section.path()).and_then(|p| p.section),
                Some(section)
            );
        }
    }

    #[test]
    fn each_address_is_named_once_and_reachable() {
        for (i, page) in PAGES.iter().enumerate() {
            let sample = page.route.replace(":id", "12");
            assert_eq!(page_at(&sample), Some(&PAGES[i]), "{}", page.route);
        }
    }

    #[test]
    fn a_page_opens_for_the_roles_of_its_section() {
        let users = page_at("/users").unwrap();
        assert!(users.opens_for(Role::Admin) && !users.opens_for(Role::Lead));
        let evaluation = page_at("/evaluations/3").unwrap();
        assert!(Role::ALL.iter().all(|r| evaluation.opens_for(*r)));
    }
}
