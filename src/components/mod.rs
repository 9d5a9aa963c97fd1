pub mod guard;
pub mod labels;
pub mod shell;
pub mod state;
