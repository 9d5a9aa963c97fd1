//! Kappa's QA model and every rule the browser and the server must agree on.
//!
//! Nothing here does I/O: the server wraps these types in SQL, the browser in fixtures, and both
//! call the same functions so that the two modes behave alike.

pub mod access;
pub mod agreement;
pub mod api;
pub mod bounded;
pub mod calibration;
pub mod call;
pub mod call_query;
pub mod coaching;
pub mod code;
pub mod display;
pub mod evaluation;
pub mod file_import;
pub mod import;
pub mod notices;
pub mod pages;
pub mod people;
pub mod plan;
pub mod progress;
pub mod refusal;
pub mod review;
pub mod sampling;
pub mod scorecard;
pub mod scorecard_edit;
pub mod scorecard_library;
pub mod stats;
pub mod store;
pub mod time;
pub mod vocabulary;
mod wire;
pub mod workflow;

pub use access::{Capability, Role, Section};
pub use call::{Call, CallId, CallOrigin, Direction, Language, TranscriptLine};
pub use call_query::{CallQuery, CallSort, Page, Problem, QueryError, SortDir, SortField};
pub use people::{LocalizedText, Team, TeamId, User, UserId};
pub use refusal::{Code, Entity, Refusal};
