//! How many statements a read costs: a page is read in a few, not a few per line.

mod common;

use common::{demo, test_app};
use kappa_domain::plan::QueueQuery;
use kappa_domain::workflow;
use kappa_server::store::SqlStore;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use std::sync::atomic::{AtomicUsize, Ordering};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

fn count(_: TraceEvent<'_>) {
    STATEMENTS.fetch_add(1, Ordering::Relaxed);
}

/// Issue #19: `GET /api/queue` read each line's call, agent, reviewer and plan one by one,
/// about four statements per line (N+1). A page now costs the same few statements however
/// many lines it holds.
#[test]
fn a_queue_page_is_read_in_a_few_statements() {
    let t = test_app();
    let lead = demo()
        .0
        .users
        .iter()
        .find(|u| u.username == "lead1")
        .unwrap()
        .clone();
    let (query, errors) = QueueQuery::from_query_string("show=all");
    assert!(errors.is_empty());
    let (lines, statements) =
        t.db.with(|conn| {
            conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count));
            STATEMENTS.store(0, Ordering::Relaxed);
            let page = workflow::queue(
                &SqlStore::new(conn),
                &lead,
                query,
                kappa_server::http::now(),
            )
            .unwrap();
            let statements = STATEMENTS.load(Ordering::Relaxed);
            conn.trace_v2(TraceEventCodes::empty(), None);
            Ok((page.items.len(), statements))
        })
        .unwrap();
    assert!(lines >= 40, "a full page to read: {lines} lines");
    // The assignments and their count, the calls, people, plans, the done lines' scores, and the
    // progress tally: one read each, whatever the page holds.
    assert!(statements <= 9, "{statements} statements for {lines} lines");
}
