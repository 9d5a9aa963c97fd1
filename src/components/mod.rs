pub mod estimate;
pub mod field;
pub mod guard;
pub mod labels;
pub mod language_switch;
pub mod score;
pub mod shell;
pub mod state;
