//! Bringing a centre's call records in: the file's encoding and shape, its rows, the mapping of
//! its columns and values onto Kappa's fields, and each row checked. Pure code over bytes and
//! plain data, so the browser previews a file with exactly the rules the server imports it by.

pub mod check;
pub mod encoding;
pub mod field;
pub mod mapping;
pub mod preset;
pub mod problem;
pub mod roster;
pub mod table;
pub mod value;
pub mod workbook;
