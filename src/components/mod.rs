pub mod guard;
pub mod labels;
pub mod language_switch;
pub mod shell;
pub mod state;
