//! Names of the domain's coded values in the user's language.

use crate::i18n::*;
use kappa_domain::call::Speaker;
use kappa_domain::{Direction, Disposition, Language, Queue, Role, Section};

pub fn role(role: Role) -> &'static str {
    let i18n = use_i18n();
    match role {
        Role::Admin => t_string!(i18n, role.admin),
        Role::Lead => t_string!(i18n, role.lead),
        Role::Reviewer => t_string!(i18n, role.reviewer),
        Role::Agent => t_string!(i18n, role.agent),
    }
}

pub fn section(section: Section) -> &'static str {
    let i18n = use_i18n();
    match section {
        Section::Queue => t_string!(i18n, nav.queue),
        Section::Calls => t_string!(i18n, nav.calls),
        Section::Calibration => t_string!(i18n, nav.calibration),
        Section::Coaching => t_string!(i18n, nav.coaching),
        Section::Reports => t_string!(i18n, nav.reports),
        Section::Feedback => t_string!(i18n, nav.feedback),
        Section::Users => t_string!(i18n, nav.users),
        Section::Scorecards => t_string!(i18n, nav.scorecards),
    }
}

pub fn queue(queue: Queue) -> &'static str {
    let i18n = use_i18n();
    match queue {
        Queue::Bookings => t_string!(i18n, queue_name.bookings),
        Queue::Changes => t_string!(i18n, queue_name.changes),
        Queue::Cancellations => t_string!(i18n, queue_name.cancellations),
        Queue::Refunds => t_string!(i18n, queue_name.refunds),
        Queue::Complaints => t_string!(i18n, queue_name.complaints),
        Queue::Loyalty => t_string!(i18n, queue_name.loyalty),
    }
}

pub fn direction(direction: Direction) -> &'static str {
    let i18n = use_i18n();
    match direction {
        Direction::Inbound => t_string!(i18n, direction.inbound),
        Direction::Outbound => t_string!(i18n, direction.outbound),
    }
}

pub fn disposition(disposition: Disposition) -> &'static str {
    let i18n = use_i18n();
    match disposition {
        Disposition::Resolved => t_string!(i18n, disposition.resolved),
        Disposition::FollowUp => t_string!(i18n, disposition.follow_up),
        Disposition::Escalated => t_string!(i18n, disposition.escalated),
        Disposition::Transferred => t_string!(i18n, disposition.transferred),
        Disposition::Unresolved => t_string!(i18n, disposition.unresolved),
    }
}

pub fn language(language: Language) -> &'static str {
    let i18n = use_i18n();
    match language {
        Language::Zh => t_string!(i18n, language.zh),
        Language::En => t_string!(i18n, language.en),
    }
}

pub fn speaker(speaker: Speaker) -> &'static str {
    let i18n = use_i18n();
    match speaker {
        Speaker::Agent => t_string!(i18n, call.agent),
        Speaker::Customer => t_string!(i18n, call.customer_speaker),
    }
}

/// Why a link's filter was refused, in the user's language.
pub fn query_problem(problem: &kappa_domain::Problem) -> String {
    use kappa_domain::Problem;
    let i18n = use_i18n();
    match problem {
        Problem::NotADate => t_string!(i18n, calls.problem_date).to_string(),
        Problem::NotANumber => t_string!(i18n, calls.problem_number).to_string(),
        Problem::NotOneOf { allowed } => t_string!(i18n, calls.problem_one_of, allowed = allowed.join(", ")).to_string(),
        Problem::OutOfRange { min, max } => t_string!(i18n, calls.problem_range, min = *min, max = *max).to_string(),
        Problem::BelowMinimum { min } => t_string!(i18n, calls.problem_min, min = *min).to_string(),
        Problem::Contradicts { other } => t_string!(i18n, calls.problem_contradicts, other = other.clone()).to_string(),
    }
}

/// The message for an API error, translated when the code is one we know.
pub fn api_error(error: &crate::api::ApiError) -> String {
    use crate::api::ApiError;
    let i18n = use_i18n();
    match error {
        ApiError::Network(_) => t_string!(i18n, error.network).into(),
        ApiError::Unauthorized => t_string!(i18n, error.unauthorized).into(),
        ApiError::Forbidden => t_string!(i18n, error.forbidden).into(),
        ApiError::NotFound => t_string!(i18n, error.not_found).into(),
        ApiError::Rejected { code, message, .. } => match code.as_str() {
            "invalid_credentials" => t_string!(i18n, error.invalid_credentials).into(),
            "cannot_deactivate_self" => t_string!(i18n, error.cannot_deactivate_self).into(),
            // Anything else is a message written for people already; show it as sent.
            _ if !message.is_empty() => message.clone(),
            _ => t_string!(i18n, error.server).into(),
        },
    }
}
