//! One folder per user task.

pub mod calibration;
pub mod calls;
pub mod coaching;
pub mod me;
pub mod queue;
pub mod reports;
pub mod scorecards;
pub mod signin;
pub mod users;
