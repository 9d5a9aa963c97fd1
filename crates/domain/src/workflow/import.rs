//! Importing a centre's call records, a batch at a time: leads and administrators only; a dry
//! run decides exactly as the commit does and writes nothing.

use super::{echo, require, Outcome};
use crate::access::Capability;
use crate::call_query::{Problem, QueryError};
use crate::import::{plan_batch, BatchReport, CallBatch, BATCH};
use crate::people::{User, UserId};
use crate::refusal::Refusal;
use crate::store::{Change, Store};
use crate::vocabulary::term_code_problem;

/// Decides `batch` and, unless `dry_run`, writes it as one change.
pub fn import_calls(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    batch: CallBatch,
    dry_run: bool,
) -> Outcome<BatchReport> {
    require(actor, Capability::ImportCalls)?;
    import(store, Some(actor.id), batch, dry_run)
}

/// The operator at the server's console (`kappa-server import`): files too large for a browser.
pub fn import_calls_as_operator(
    store: &mut (impl Store + ?Sized),
    batch: CallBatch,
    dry_run: bool,
) -> Outcome<BatchReport> {
    import(store, None, batch, dry_run)
}

/// Decides `batch` and, unless `dry_run`, writes it.
pub(super) fn import(
    store: &mut (impl Store + ?Sized),
    actor: Option<UserId>,
    batch: CallBatch,
    dry_run: bool,
) -> Outcome<BatchReport> {
    let source = batch.source.clone();
    let plan = decide(store, batch)?;
    let nothing = plan.new.is_empty() && plan.updated.is_empty();
    if !dry_run && !nothing {
        store.write(
            actor,
            Change::CallsImported {
                source,
                new: plan.new,
                updated: plan.updated,
            },
        )?;
    }
    Ok(plan.report)
}

/// What `batch` would do, read from the store and writing nothing: a dry run's batch is
/// decided on a reader, never holding the writer.
pub(super) fn decide(
    store: &(impl Store + ?Sized),
    batch: CallBatch,
) -> Outcome<crate::import::BatchPlan> {
    let mut problems = Vec::new();
    // A source is named like a term: it goes in addresses and the audit unescaped.
    if let Some(problem) = term_code_problem(&batch.source) {
        problems.push(QueryError::new("source", echo(&batch.source), problem));
    }
    if batch.calls.len() > BATCH {
        problems.push(QueryError::new(
            "calls",
            batch.calls.len().to_string(),
            Problem::OutOfRange {
                min: 0,
                max: BATCH as u32,
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let ids: Vec<String> = batch.calls.iter().map(|c| c.external_id.clone()).collect();
    let existing = store.calls_by_origin(&batch.source, &ids)?;
    // Only a call imported before can have been evaluated: a batch of new calls (every batch
    // of a first import) does not read the evaluations at all.
    let evaluated = if existing.is_empty() {
        Default::default()
    } else {
        store.evaluated_calls()?
    };
    Ok(plan_batch(
        batch,
        &store.users()?,
        &store.vocabulary()?,
        &existing,
        &evaluated,
    ))
}
