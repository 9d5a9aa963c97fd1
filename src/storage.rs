//! The browser's `localStorage`, for what Kappa remembers on this device: the chosen language,
//! and in fixtures mode the demo session and the visitor's edits.

use serde::de::DeserializeOwned;

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&read_text(key)?).ok()
}

/// A kept value's text as stored, unparsed.
pub fn read_text(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

pub fn write<T: serde::Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (local(), serde_json::to_string(value)) {
        // A full or blocked storage loses the memory but never the page.
        let _ = s.set_item(key, &json);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}
