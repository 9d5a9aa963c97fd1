//! Workbooks written by another tool (openpyxl, see `tests/fixtures/import`), read through the
//! same pass as every file.

mod common;
use common::fixture;

use kappa_import::check::check_file;
use kappa_import::field::Field;
use kappa_import::mapping::{Caller, Mapped, Mapping};
use kappa_import::problem::ImportProblem;
use kappa_import::table::{sniff, FileFormat};
use kappa_import::workbook::sheet_names;
use std::ops::ControlFlow;

#[test]
fn a_chosen_sheet_of_an_openpyxl_workbook_reads_with_dates_durations_and_codes() {
    let bytes = fixture("chinese_cdr.xlsx");
    assert_eq!(sheet_names(&bytes).unwrap(), ["说明", "通话记录"]);
    let mut shape = sniff(&bytes).unwrap();
    assert_eq!(shape.format, FileFormat::Xlsx);
    shape.sheet = Some("通话记录".to_string());
    let preview = kappa_import::check::preview(&bytes, &shape, 10, false).unwrap();
    let mapping = Mapping::suggested(&preview.columns);
    assert_eq!(mapping.column(Field::Csat), Some("满意度"));
    let mut calls = Vec::new();
    let report = check_file(
        &bytes[..],
        &shape,
        &mapping,
        &|u| u,
        "s",
        true,
        &mut |call| {
            calls.push(call);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(
        (report.rows, report.valid, report.rejected),
        (3, 3, 0),
        "{:?}",
        report.problems
    );
    assert_eq!(calls[0].agent, "1001");
    assert_eq!(calls[0].started_at.to_string(), "2026-11-03 09:15:00");
    assert_eq!(calls[0].duration_s, 245);
    assert_eq!(
        calls[0].caller,
        Some(Caller::Plain("13800138000".to_string()))
    );
    assert_eq!(calls[0].csat, Some(4));
    // A formula's text is kept as text: it is neutralised where it is written out.
    assert_eq!(calls[0].attributes["备注"], "=SUM(1,2)");
    assert_eq!(calls[1].duration_s, 720);
    assert_eq!(calls[2].queue, Some(Mapped::Unmapped("信用卡".to_string())));
    assert_eq!(calls[2].duration_s, 95);
    assert_eq!(calls[2].started_at.to_string(), "2026-11-04 14:00:00");

    shape.sheet = Some("Sheet9".to_string());
    let refused = kappa_import::check::preview(&bytes, &shape, 10, false).unwrap_err();
    assert_eq!(refused.problem, ImportProblem::NoSuchSheet);
}

#[test]
fn a_roster_workbook_resolves_roles_and_teams_in_either_language() {
    use kappa_domain::{LocalizedText, Role, Team};
    use kappa_import::roster::read_roster;
    let teams: Vec<Team> = [
        ("Bookings & Changes", "预订与改签"),
        ("Refunds & Complaints", "退款与投诉"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (en, zh))| Team {
        id: i as u32 + 1,
        name: LocalizedText {
            en: en.to_string(),
            zh: zh.to_string(),
        },
        lead_id: None,
    })
    .collect();
    let bytes = fixture("roster.xlsx");
    let shape = sniff(&bytes).unwrap();
    let mut entries = Vec::new();
    read_roster(&bytes[..], &shape, &teams, &mut |e| entries.push(e)).unwrap();
    assert_eq!(entries.len(), 5);
    let wang = entries[0].as_ref().unwrap();
    assert_eq!(
        (wang.role, wang.team_id, wang.agent_code.as_deref()),
        (Role::Agent, Some(1), Some("2001"))
    );
    assert_eq!(entries[1].as_ref().unwrap().team_id, Some(2));
    assert_eq!(entries[2].as_ref().unwrap().role, Role::Reviewer);
    let intern = entries[3].as_ref().unwrap_err();
    assert_eq!(
        (intern[0].problem, intern[0].value.as_deref()),
        (ImportProblem::UnknownValue, Some("实习生"))
    );
    assert_eq!(
        entries[4].as_ref().unwrap_err()[0].problem,
        ImportProblem::MissingValue
    );
}
