//! What the import's tests share: the sample exports under `tests/fixtures/import`.

/// A sample export's bytes, as the tool that wrote it left them.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
