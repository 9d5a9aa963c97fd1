//! The same export in every encoding Kappa detects, each written by iconv
//! (`tests/fixtures/import/encodings.sh`), reads to the same calls.

mod common;
use common::fixture;

use kappa_import::check::check_file;
use kappa_import::encoding::SourceEncoding;
use kappa_import::mapping::{Mapped, Mapping};
use kappa_import::table::sniff;
use std::ops::ControlFlow;

#[test]
fn every_encoding_reads_alike() {
    for (name, encoding, delimiter) in [
        ("excel_unicode_text.txt", SourceEncoding::Utf16Le, '\t'),
        ("utf16be_bom.txt", SourceEncoding::Utf16Be, '\t'),
        ("utf8_bom.csv", SourceEncoding::Utf8Bom, ','),
        ("gbk.csv", SourceEncoding::Gb18030, ','),
    ] {
        let bytes = fixture(name);
        let shape = sniff(&bytes).unwrap();
        assert_eq!(
            (shape.encoding, shape.delimiter),
            (encoding, delimiter),
            "{name}"
        );
        let preview = kappa_import::check::preview(&bytes, &shape, 5, false).unwrap();
        // The byte-order mark is not part of the first header.
        assert_eq!(preview.columns[0], "通话ID", "{name}");
        let mapping = Mapping::suggested(&preview.columns);
        let mut calls = Vec::new();
        let report = check_file(&bytes[..], &shape, &mapping, &|u| u, "s", false, &mut |c| {
            calls.push(c);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!((report.valid, report.rejected), (2, 0), "{name}");
        assert_eq!(calls[0].duration_s, 245, "{name}");
        assert_eq!(calls[1].duration_s, 61, "{name}");
        assert_eq!(
            calls[1].queue,
            Some(Mapped::Unmapped("理财".to_string())),
            "{name}"
        );
    }
}
