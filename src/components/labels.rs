//! Names of the domain's coded values in the user's language.

use crate::i18n::*;
use kappa_domain::call::Speaker;
use kappa_domain::vocabulary::{TermKind, Vocabulary};
use kappa_domain::{Code, Direction, Language, Role, Section};
use leptos::prelude::*;

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
        Section::Disputes => t_string!(i18n, nav.disputes),
        Section::Sampling => t_string!(i18n, nav.sampling),
        Section::Calibration => t_string!(i18n, nav.calibration),
        Section::Coaching => t_string!(i18n, nav.coaching),
        Section::Reports => t_string!(i18n, nav.reports),
        Section::Feedback => t_string!(i18n, nav.feedback),
        Section::Users => t_string!(i18n, nav.users),
        Section::Scorecards => t_string!(i18n, nav.scorecards),
        Section::Vocabulary => t_string!(i18n, nav.vocabulary),
        Section::Import => t_string!(i18n, nav.import),
    }
}

/// A queue's name from the centre's vocabulary; its code until that has loaded, or when the
/// centre never named it.
pub fn queue(code: &str) -> String {
    term(TermKind::Queue, code)
}

pub fn direction(direction: Direction) -> &'static str {
    let i18n = use_i18n();
    match direction {
        Direction::Inbound => t_string!(i18n, direction.inbound),
        Direction::Outbound => t_string!(i18n, direction.outbound),
    }
}

/// An outcome's name from the centre's vocabulary (see [`queue`]).
pub fn disposition(code: &str) -> String {
    term(TermKind::Disposition, code)
}

/// The options a picker of `kind` offers: the active terms, and `selected` even when retired
/// or never named, so a filter already set shows as it is.
pub fn term_options(kind: TermKind, selected: Option<String>) -> impl IntoView {
    let zh = crate::format::is_zh();
    let mut options: Vec<(String, String)> = crate::session::use_session().vocabulary.with(|v| {
        v.iter()
            .flat_map(|v| v.offered(kind, selected.as_deref()))
            .map(|t| (t.code.clone(), t.name.pick(zh).to_string()))
            .collect()
    });
    if let Some(code) = &selected {
        if !options.iter().any(|(c, _)| c == code) {
            options.push((code.clone(), code.clone()));
        }
    }
    options
        .into_iter()
        .map(|(code, name)| {
            let chosen = selected.as_ref() == Some(&code);
            view! { <option value=code selected=chosen>{name}</option> }
        })
        .collect_view()
}

fn term(kind: TermKind, code: &str) -> String {
    let zh = crate::format::is_zh();
    vocabulary().with(|v| match v {
        Some(v) => v.name(kind, code, zh).to_string(),
        None => code.to_string(),
    })
}

thread_local! {
    static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The centre's queues and outcomes, asked for the first time a page names one: the server's
/// page carries them (`kappa-boot`), otherwise the data source is asked. Only pages call this,
/// so the shell carries none of it.
fn vocabulary() -> RwSignal<Option<Vocabulary>> {
    let session = crate::session::use_session();
    if !ASKED.with(|asked| asked.replace(true)) {
        match from_page() {
            Some(v) => session.vocabulary.set(Some(v)),
            None => leptos::task::spawn_local(async move {
                match session.api().vocabulary().await {
                    Ok(v) => session.vocabulary.set(Some(v)),
                    // Asked again by the next page that names a term.
                    Err(_) => ASKED.with(|asked| asked.set(false)),
                }
            }),
        }
    }
    session.vocabulary
}

fn from_page() -> Option<Vocabulary> {
    #[derive(serde::Deserialize)]
    struct Boot {
        vocabulary: Option<Vocabulary>,
    }
    let text = document().get_element_by_id("kappa-boot")?.text_content()?;
    serde_json::from_str::<Boot>(&text).ok()?.vocabulary
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
        Problem::NotOneOf { allowed } => {
            t_string!(i18n, calls.problem_one_of, allowed = allowed.join(", ")).to_string()
        }
        Problem::OutOfRange { min, max } => {
            t_string!(i18n, calls.problem_range, min = *min, max = *max).to_string()
        }
        Problem::BelowMinimum { min } => t_string!(i18n, calls.problem_min, min = *min).to_string(),
        Problem::Contradicts { other } => {
            t_string!(i18n, calls.problem_contradicts, other = other.clone()).to_string()
        }
        Problem::Length { min, max } => {
            t_string!(i18n, calls.problem_length, min = *min, max = *max).to_string()
        }
        Problem::Characters { allowed } => {
            t_string!(i18n, calls.problem_characters, allowed = allowed.clone()).to_string()
        }
        Problem::NoSuchTeam => t_string!(i18n, calls.problem_no_team).to_string(),
        Problem::Required => t_string!(i18n, calls.problem_required).to_string(),
        Problem::NoPublishedScorecard => t_string!(i18n, calls.problem_no_scorecard).to_string(),
        Problem::NotAReviewer => t_string!(i18n, calls.problem_not_reviewer).to_string(),
        Problem::NotOnScorecard => t_string!(i18n, calls.problem_not_on_scorecard).to_string(),
        Problem::OtherAgent => t_string!(i18n, calls.problem_other_agent).to_string(),
        Problem::Taken => t_string!(i18n, calls.problem_taken).to_string(),
        Problem::NoSuchCall => t_string!(i18n, calls.problem_no_call).to_string(),
        Problem::NotInFuture => t_string!(i18n, calls.problem_not_future).to_string(),
        Problem::TooFarAhead { days } => {
            t_string!(i18n, calls.problem_too_far_ahead, days = *days).to_string()
        }
        Problem::Incomplete { missing } => {
            t_string!(i18n, calls.problem_incomplete, missing = missing.join(", ")).to_string()
        }
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
        ApiError::Rejected { code, message, .. } => match code {
            Code::InvalidCredentials => t_string!(i18n, error.invalid_credentials).into(),
            Code::TooManyAttempts => t_string!(i18n, error.too_many_attempts).into(),
            Code::CannotDeactivateSelf => t_string!(i18n, error.cannot_deactivate_self).into(),
            Code::StaleDraft => t_string!(i18n, error.stale_draft).into(),
            Code::Archived => t_string!(i18n, error.archived).into(),
            Code::NothingToPublish => t_string!(i18n, error.nothing_to_publish).into(),
            Code::InvalidDocument => t_string!(i18n, error.invalid_document).into(),
            Code::PayloadTooLarge => t_string!(i18n, error.payload_too_large).into(),
            Code::RequestTimeout => t_string!(i18n, error.request_timeout).into(),
            Code::InvalidInput | Code::InvalidQuery => t_string!(i18n, error.invalid_input).into(),
            Code::UsernameTaken => t_string!(i18n, error.username_taken).into(),
            Code::WrongPassword => t_string!(i18n, error.wrong_password).into(),
            Code::ResetOwnPassword => t_string!(i18n, error.reset_own_password).into(),
            Code::DraftVersion => t_string!(i18n, error.draft_version).into(),
            Code::IncompleteEvaluation => t_string!(i18n, error.incomplete_evaluation).into(),
            Code::UnknownCriteria => t_string!(i18n, error.unknown_criteria).into(),
            Code::AnswerDoesNotFit => t_string!(i18n, error.answer_does_not_fit).into(),
            Code::ScoreNotFinite => t_string!(i18n, error.score_not_finite).into(),
            Code::CrossSite => t_string!(i18n, error.cross_site).into(),
            Code::AssignmentClosed => t_string!(i18n, error.assignment_closed).into(),
            Code::NoReplacement => t_string!(i18n, error.no_replacement).into(),
            Code::NoEligibleReviewer => t_string!(i18n, error.no_eligible_reviewer).into(),
            Code::DisputeWindowClosed => t_string!(i18n, error.dispute_window_closed).into(),
            Code::DisputeLimitReached => t_string!(i18n, error.dispute_limit_reached).into(),
            Code::DisputeAlreadyOpen => t_string!(i18n, error.dispute_already_open).into(),
            Code::DisputeAlreadyRuled => t_string!(i18n, error.dispute_already_ruled).into(),
            Code::OwnReview => t_string!(i18n, error.own_review).into(),
            Code::NotAScorer => t_string!(i18n, error.not_a_scorer).into(),
            Code::SessionRevealed => t_string!(i18n, error.session_revealed).into(),
            Code::AlreadyScored => t_string!(i18n, error.already_scored).into(),
            Code::NotRevealed => t_string!(i18n, error.not_revealed).into(),
            Code::NotSessionLead => t_string!(i18n, error.not_session_lead).into(),
            Code::TooFewScores => t_string!(i18n, error.too_few_scores).into(),
            Code::AlreadyEvaluated => t_string!(i18n, error.already_evaluated).into(),
            Code::EmptyReviewerPool => t_string!(i18n, error.empty_reviewer_pool).into(),
            Code::ChangedSinceOpened => t_string!(i18n, error.changed_since_opened).into(),
            Code::PlanArchived => t_string!(i18n, error.plan_archived).into(),
            Code::CannotChangeOwnRole => t_string!(i18n, error.cannot_change_own_role).into(),
            Code::OpenAssignments => t_string!(i18n, error.open_assignments).into(),
            Code::WrongSessionState => t_string!(i18n, error.wrong_session_state).into(),
            Code::WrongImportState => t_string!(i18n, error.wrong_import_state).into(),
            Code::Unauthorized => t_string!(i18n, error.unauthorized).into(),
            Code::Forbidden => t_string!(i18n, error.forbidden).into(),
            Code::NotFound => t_string!(i18n, error.not_found).into(),
            Code::MalformedJson
            | Code::InvalidJsonData
            | Code::JsonContentTypeRequired
            | Code::UnreadableBody
            | Code::InvalidPath
            | Code::MethodNotAllowed => t_string!(i18n, error.bad_request).into(),
            Code::Internal | Code::Unavailable => t_string!(i18n, error.server).into(),
            // A code from a newer server: its own words are all there is.
            Code::Unknown if !message.is_empty() => message.clone(),
            Code::Unknown => t_string!(i18n, error.server).into(),
        },
    }
}

/// Why a place in a scorecard is rejected, in the user's language.
pub fn invalid(problem: &kappa_domain::scorecard::Invalid) -> String {
    use kappa_domain::scorecard::Invalid;
    let i18n = use_i18n();
    match problem {
        Invalid::Empty => t_string!(i18n, invalid.empty).to_string(),
        Invalid::TooLong { max } => t_string!(i18n, invalid.too_long, max = *max).to_string(),
        Invalid::PassMarkRange => t_string!(i18n, invalid.pass_mark_range).to_string(),
        Invalid::NoSections => t_string!(i18n, invalid.no_sections).to_string(),
        Invalid::NoWeightedSection => t_string!(i18n, invalid.no_weighted_section).to_string(),
        Invalid::NegativeWeight => t_string!(i18n, invalid.negative_weight).to_string(),
        Invalid::WeightTooLarge { max } => {
            t_string!(i18n, invalid.weight_too_large, max = *max).to_string()
        }
        Invalid::NoCriteria => t_string!(i18n, invalid.no_criteria).to_string(),
        Invalid::BadKey => t_string!(i18n, invalid.bad_key).to_string(),
        Invalid::DuplicateKey { key } => {
            t_string!(i18n, invalid.duplicate_key, key = key.clone()).to_string()
        }
        Invalid::BonusNotApplicable => t_string!(i18n, invalid.bonus_na).to_string(),
        Invalid::BonusCritical => t_string!(i18n, invalid.bonus_critical).to_string(),
        Invalid::ZeroPoints => t_string!(i18n, invalid.zero_points).to_string(),
        Invalid::TooFewOptions => t_string!(i18n, invalid.too_few_options).to_string(),
        Invalid::NoOptionEarns => t_string!(i18n, invalid.no_option_earns).to_string(),
        Invalid::DuplicateOption { key } => {
            t_string!(i18n, invalid.duplicate_option, key = key.clone()).to_string()
        }
        Invalid::TooManyCriteria { max } => {
            t_string!(i18n, invalid.too_many_criteria, max = *max).to_string()
        }
        Invalid::TooManyPoints { max } => {
            t_string!(i18n, invalid.too_many_points, max = *max).to_string()
        }
        // The parser's own words stay as they are: they quote the file.
        Invalid::Unreadable {
            line,
            column,
            detail,
        } => t_string!(
            i18n,
            invalid.unreadable,
            line = *line,
            column = *column,
            detail = detail.clone()
        )
        .to_string(),
    }
}

/// Which scoring rule decided a line of an explanation; `title` names a criterion by key.
pub fn rule(rule: &kappa_domain::scorecard::Rule, title: impl Fn(&str) -> String) -> String {
    use kappa_domain::scorecard::Rule;
    let i18n = use_i18n();
    match rule {
        Rule::Scored => t_string!(i18n, score.rule_scored).to_string(),
        Rule::NotApplicable => t_string!(i18n, score.rule_na).to_string(),
        Rule::Unanswered => t_string!(i18n, score.rule_unanswered).to_string(),
        Rule::CriticalFailSection => t_string!(i18n, score.rule_critical_section).to_string(),
        Rule::CriticalFailAll => t_string!(i18n, score.rule_critical_all).to_string(),
        Rule::SectionFailedBy { criterion } => {
            t_string!(i18n, score.rule_section_failed, item = title(criterion)).to_string()
        }
        Rule::AllOrNothingMissed { criterion } => {
            t_string!(i18n, score.rule_all_or_nothing, item = title(criterion)).to_string()
        }
        Rule::AutoFailedBy { criterion } => {
            t_string!(i18n, score.rule_auto_failed, item = title(criterion)).to_string()
        }
        Rule::SectionNotApplicable => t_string!(i18n, score.rule_section_na).to_string(),
    }
}

/// A reviewer's answer to a criterion, as the preview and the evaluation page show it.
pub fn answer(
    criterion: &kappa_domain::scorecard::Criterion,
    answer: Option<&kappa_domain::scorecard::Answer>,
) -> String {
    use kappa_domain::scorecard::{Answer, AnswerType};
    let i18n = use_i18n();
    let zh = crate::format::is_zh();
    match (answer, &criterion.answer_type) {
        (None, _) => t_string!(i18n, preview.unanswered).to_string(),
        (Some(Answer::Yes), _) => t_string!(i18n, preview.yes).to_string(),
        (Some(Answer::No), _) => t_string!(i18n, preview.no).to_string(),
        (Some(Answer::NotApplicable), _) => t_string!(i18n, preview.na).to_string(),
        (Some(Answer::Scale(level)), AnswerType::Scale { labels, .. }) => {
            format!(
                "{level} · {}",
                labels
                    .get(usize::from(*level).saturating_sub(1))
                    .map(|l| l.pick(zh).to_string())
                    .unwrap_or_default()
            )
        }
        (Some(Answer::Scale(level)), _) => level.to_string(),
        (Some(Answer::Points(p)), _) => p.to_string(),
        (Some(Answer::Choice(key)), AnswerType::Choice { options }) => options
            .iter()
            .find(|o| &o.key == key)
            .map(|o| o.label.pick(zh).to_string())
            .unwrap_or_else(|| key.clone()),
        (Some(Answer::Choice(key)), _) => key.clone(),
    }
}

/// Where a sampled call was drawn from: its stratum (`agent:12`, `queue:refunds`, …) or targeted
/// rule, named as people say it.
/// What a stratum is drawn by, as it reads inside a sentence ("stratified by team").
pub fn stratum_field(field: kappa_domain::sampling::StratumField) -> &'static str {
    let i18n = use_i18n();
    match field {
        kappa_domain::sampling::StratumField::Team => t_string!(i18n, sampling.field_team),
        kappa_domain::sampling::StratumField::Queue => t_string!(i18n, sampling.field_queue),
        kappa_domain::sampling::StratumField::Disposition => {
            t_string!(i18n, sampling.field_disposition)
        }
        kappa_domain::sampling::StratumField::Agent => t_string!(i18n, sampling.field_agent),
    }
}

/// A stratum with what kind it is ("Agent: 王芳", "Queue: Bookings"), where the value alone
/// would not say why the call was drawn; rules ("Complaint") say it themselves.
pub fn stratum_described(stratum: &str, directory: &kappa_domain::api::Directory) -> String {
    let value = self::stratum(stratum, directory);
    let field = stratum
        .split_once(':')
        .and_then(|(field, _)| kappa_domain::sampling::StratumField::parse(field));
    match field {
        Some(field) => format!(
            "{}{}{value}",
            crate::format::capitalized(stratum_field(field)),
            if crate::format::is_zh() { "：" } else { ": " }
        ),
        None => value,
    }
}

pub fn stratum(stratum: &str, directory: &kappa_domain::api::Directory) -> String {
    let i18n = use_i18n();
    let zh = crate::format::is_zh();
    let (field, value) = stratum.split_once(':').unwrap_or((stratum, ""));
    let id = value.parse::<u32>().ok();
    let known = match field {
        "agent" => directory
            .users
            .iter()
            .find(|u| Some(u.id) == id)
            .map(|u| u.display_name.clone()),
        "team" => directory
            .teams
            .iter()
            .find(|t| Some(t.id) == id)
            .map(|t| t.name.pick(zh).to_string()),
        "queue" => Some(queue(value)),
        "disposition" => Some(disposition(value)),
        "all" | "random" => Some(t_string!(i18n, sampling.stratum_random).to_string()),
        "complaint" => Some(t_string!(i18n, sampling.stratum_complaint).to_string()),
        "low_csat" => Some(t_string!(i18n, sampling.stratum_low_csat).to_string()),
        _ => None,
    };
    known.unwrap_or_else(|| stratum.to_string())
}
