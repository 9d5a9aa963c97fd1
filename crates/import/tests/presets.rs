//! Every preset on a sample export of its platform, written from the platform's documented
//! fields by another tool (`tests/fixtures/import/generate_fixtures.py`, Python and iconv), so
//! that the parser is not checked against itself.

mod common;
use common::fixture;

use chrono::{Duration, NaiveDateTime};
use kappa_domain::call::Direction;
use kappa_import::check::{check_file, FileReport};
use kappa_import::encoding::SourceEncoding;
use kappa_import::mapping::{Caller, Mapped, SourceCall};
use kappa_import::preset::Preset;
use kappa_import::problem::ImportProblem;
use kappa_import::table::{sniff, FileFormat, Shape};
use std::ops::ControlFlow;

/// The demo centre's clock: Shanghai, UTC+8 all year.
fn shanghai(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::hours(8)
}

fn import(name: &str, preset: Preset) -> (FileReport, Vec<SourceCall>) {
    let bytes = fixture(name);
    let mut shape = sniff(&bytes).unwrap();
    shape.records = preset.records().map(str::to_string);
    import_as(&bytes, &shape, preset)
}

fn import_as(bytes: &[u8], shape: &Shape, preset: Preset) -> (FileReport, Vec<SourceCall>) {
    let mut calls = Vec::new();
    let report = check_file(
        bytes,
        shape,
        &preset.mapping(),
        &shanghai,
        "salt",
        false,
        &mut |call| {
            calls.push(call);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    (report, calls)
}

/// Rows read, to import, refused, and naming no agent.
fn counts(report: &FileReport) -> (u64, u64, u64, u64) {
    (
        report.rows,
        report.valid,
        report.rejected,
        report.without_agent,
    )
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn amazon_connect_contact_records() {
    let (report, calls) = import("amazon_connect_ctr.ndjson", Preset::AmazonConnect);
    // The abandoned contact reached no agent: left out, not refused.
    assert_eq!(counts(&report), (7, 6, 0, 1));
    let first = &calls[0];
    assert_eq!(first.agent, "1001");
    // 14:00:05Z is 22:00:05 in Shanghai; 14:08:02Z less 14:00:05Z is 477 s.
    assert_eq!(first.started_at, at("2026-11-03 22:00:05"));
    assert_eq!(first.duration_s, 477);
    assert_eq!(first.queue, Some(Mapped::Unmapped("Support".to_string())));
    assert_eq!(first.csat, Some(5));
    let transferred = &calls[2];
    assert_eq!(transferred.parent_id, Some(calls[1].external_id.clone()));
    assert!(transferred.complaint);
    assert_eq!(calls[3].direction, Some(Direction::Outbound));
    assert_eq!(first.attributes["Attributes.intent"], "order_status");
}

#[test]
fn genesys_cloud_conversation_details() {
    let (report, calls) = import("genesys_conversation_details.json", Preset::GenesysCloud);
    assert_eq!(counts(&report), (6, 5, 0, 1));
    let first = &calls[0];
    assert_eq!(first.agent, "9b1d2f3e-1001-4a5b-8c6d-7e8f90a1b001");
    // Milliseconds dropped: Kappa keeps times to the second.
    assert_eq!(first.started_at, at("2026-11-03 22:00:05"));
    assert_eq!(first.duration_s, 477);
    assert_eq!(
        first.caller,
        Some(Caller::Plain("+14155550101".to_string()))
    );
    assert_eq!(first.queue, Some(Mapped::Unmapped("Support".to_string())));
    assert_eq!(calls[2].direction, Some(Direction::Outbound));
}

#[test]
fn twilio_calls() {
    let (report, calls) = import("twilio_calls.csv", Preset::Twilio);
    // Five legs reach no agent's client: the parents of dialled calls and a busy number.
    assert_eq!(counts(&report), (10, 5, 5, 0));
    assert!(report
        .problems
        .iter()
        .all(|p| p.problem == ImportProblem::UnknownValue && p.column.as_deref() == Some("To")));
    let first = &calls[0];
    assert_eq!(first.agent, "1001");
    assert_eq!(
        first.parent_id.as_deref(),
        Some("CA5eed0000000000000000000000000001")
    );
    assert_eq!(first.direction, Some(Direction::Inbound));
    // RFC 2822 in GMT: 14:01:10 +0000 is 22:01:10 in Shanghai.
    assert_eq!(first.started_at, at("2026-11-03 22:01:10"));
    assert_eq!(first.duration_s, 422);
    // Two agents' legs of one call come under the same first call.
    assert_eq!(calls[1].parent_id, calls[2].parent_id);
    // An agent calling out from the browser client.
    assert_eq!(calls[4].agent, "1001");
    assert_eq!(calls[4].direction, Some(Direction::Outbound));
}

#[test]
fn aliyun_contact_center_call_records() {
    let (report, calls) = import("aliyun_ccc_cdr.json", Preset::AliyunCcc);
    assert_eq!(counts(&report), (7, 6, 0, 1));
    let first = &calls[0];
    assert_eq!(first.agent, "1001");
    // Epoch milliseconds, placed in the centre's time.
    assert_eq!(first.started_at, at("2026-11-03 09:00:05"));
    assert_eq!(first.duration_s, 347);
    assert_eq!(first.queue, Some(Mapped::Unmapped("售后服务".to_string())));
    assert_eq!(first.csat, Some(4));
    // A transferred call names its first agent.
    assert_eq!(calls[1].agent, "1002");
    assert_eq!(calls[2].direction, Some(Direction::Outbound));
}

#[test]
fn a_gb18030_tinet_style_export() {
    let bytes = fixture("tinet_cdr.csv");
    let shape = sniff(&bytes).unwrap();
    assert_eq!(
        (shape.encoding, shape.format),
        (SourceEncoding::Gb18030, FileFormat::Csv)
    );
    let (report, calls) = import("tinet_cdr.csv", Preset::Tinet);
    // The call that rang out in the queue reached no 座席工号.
    assert_eq!(counts(&report), (8, 7, 0, 1));
    let first = &calls[0];
    assert_eq!(first.started_at, at("2026-11-03 09:00:05"));
    // 00:05:47 of talk.
    assert_eq!(first.duration_s, 347);
    assert_eq!(first.csat, Some(4));
    let complaint = &calls[1];
    assert!(complaint.complaint);
    assert_eq!(complaint.csat, Some(2));
    assert_eq!(
        complaint.queue,
        Some(Mapped::Unmapped("账单咨询".to_string()))
    );
    assert_eq!(calls[3].direction, Some(Direction::Outbound));
    assert_eq!(first.attributes["来电地区"], "浙江杭州");
}

#[test]
fn freeswitch_cdr_csv() {
    let (report, calls) = import("freeswitch.csv", Preset::Freeswitch);
    // Calls in carry their agent on the other leg, which this file does not hold.
    assert_eq!(counts(&report), (8, 3, 0, 5));
    let first = &calls[0];
    assert_eq!(first.agent, "1001");
    assert_eq!(first.direction, Some(Direction::Outbound));
    assert_eq!(first.duration_s, 233);
    assert_eq!(
        first.outcome,
        Some(Mapped::Unmapped("NORMAL_CLEARING".to_string()))
    );
}

#[test]
fn freeswitch_as_mod_cdr_csv_writes_it_without_a_header() {
    let bytes = fixture("freeswitch_master.csv");
    let mut shape = sniff(&bytes).unwrap();
    // The first record is a call, not a header.
    let first = kappa_import::table::first_record(&bytes, &shape).unwrap();
    assert_eq!(first[0], "13800138001");
    shape.headerless = Preset::Freeswitch.headerless(&first);
    assert_eq!(shape.headerless.as_ref().map(Vec::len), Some(15));
    let (report, calls) = import_as(&bytes, &shape, Preset::Freeswitch);
    // The same eight calls as the file with a header.
    assert_eq!(counts(&report), (8, 3, 0, 5));
    assert_eq!(calls[0].external_id, "7f3c2a10-0005-11f1-9a3e-525400000005");
    // A file with its header needs no names.
    let named = kappa_import::table::first_record(&fixture("freeswitch.csv"), &shape).unwrap();
    assert_eq!(Preset::Freeswitch.headerless(&named), None);
}

#[test]
fn yeastar_cdr() {
    let (report, calls) = import("yeastar.csv", Preset::Yeastar);
    // An internal call between extensions is no customer call.
    assert_eq!(counts(&report), (8, 7, 1, 0));
    assert_eq!(report.problems[0].value.as_deref(), Some("Internal"));
    assert_eq!(calls[0].agent, "1001");
    assert_eq!(calls[0].direction, Some(Direction::Inbound));
    // Calling out, the extension is in "Call From".
    assert_eq!(calls[2].agent, "1001");
    assert_eq!(calls[2].direction, Some(Direction::Outbound));
    assert_eq!(calls[2].duration_s, 233);
}
