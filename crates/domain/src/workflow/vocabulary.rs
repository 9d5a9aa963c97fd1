//! The centre's queues and outcomes: everyone signed in reads them (an agent's call names its
//! queue); administrators define, rename and retire them; leads define the ones their imports
//! need.

use super::{echo, missing, require, Outcome};
use crate::access::Capability;
use crate::call_query::{Problem, QueryError};
use crate::people::{shown_length, LocalizedText, User};
use crate::refusal::{Entity, Refusal};
use crate::store::{Change, Store};
use crate::vocabulary::{
    term_code_problem, NewTerm, Term, TermEdit, TermKind, Vocabulary, MAX_TERMS_PER_KIND,
    MAX_TERM_NAME,
};

pub fn vocabulary(store: &(impl Store + ?Sized), _actor: &User) -> Outcome<Vocabulary> {
    Ok(store.vocabulary()?)
}

/// Whether `actor` may add terms: administrators, and leads, who meet a queue the centre has
/// not named yet in the file they import (renaming and retiring stay with administrators).
pub fn may_define_terms(actor: &User) -> Outcome<()> {
    if actor.role.can(Capability::ImportCalls) {
        return Ok(());
    }
    Ok(require(actor, Capability::ManageVocabulary)?)
}

/// Adds a queue or outcome. Defining the same term again (a retry after a lost answer) returns
/// it unchanged; another term's code is refused as taken.
pub fn define_term(store: &mut (impl Store + ?Sized), actor: &User, new: NewTerm) -> Outcome<Term> {
    may_define_terms(actor)?;
    let vocabulary = store.vocabulary()?;
    let name = new.name.trimmed();
    if let Some(existing) = vocabulary.find(new.kind, &new.code) {
        if existing.name == name {
            return Ok(existing.clone());
        }
        return Err(Refusal::InvalidInput(vec![QueryError::new(
            "code",
            echo(&new.code),
            Problem::Taken,
        )])
        .into());
    }
    let mut problems: Vec<QueryError> = term_code_problem(&new.code)
        .map(|p| QueryError::new("code", echo(&new.code), p))
        .into_iter()
        .collect();
    problems.extend(name_problems(&vocabulary, new.kind, &name, None));
    if vocabulary.of(new.kind).count() >= MAX_TERMS_PER_KIND {
        problems.push(QueryError::new(
            "code",
            echo(&new.code),
            Problem::OutOfRange {
                min: 1,
                max: MAX_TERMS_PER_KIND as u32,
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let term = Term {
        kind: new.kind,
        code: new.code,
        name,
        active: true,
        revision: 1,
    };
    store.write(Some(actor.id), Change::TermDefined(term.clone()))?;
    Ok(term)
}

/// Renames a term or retires it (or brings it back). The calls and plans naming it keep its
/// code, so they follow the new name.
pub fn edit_term(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    kind: TermKind,
    code: &str,
    edit: TermEdit,
) -> Outcome<Term> {
    require(actor, Capability::ManageVocabulary)?;
    let vocabulary = store.vocabulary()?;
    let current = vocabulary
        .find(kind, code)
        .ok_or(missing(Entity::Term))?
        .clone();
    let name = edit.name.trimmed();
    if current.name == name && current.active == edit.active {
        // Already so: a repeated edit, or one that changes nothing.
        return Ok(current);
    }
    if current.revision != edit.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::Term).into());
    }
    let problems = name_problems(&vocabulary, kind, &name, Some(code));
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let revision = current.revision + 1;
    store.write(
        Some(actor.id),
        Change::TermEdited {
            kind,
            code: code.to_string(),
            name: name.clone(),
            active: edit.active,
            revision,
        },
    )?;
    Ok(Term {
        name,
        active: edit.active,
        revision,
        ..current
    })
}

/// A term needs a name in at least one language, each at most [`MAX_TERM_NAME`] long and not
/// another term's of the same kind (two "Billing" queues could not be told apart in a picker).
fn name_problems(
    vocabulary: &Vocabulary,
    kind: TermKind,
    name: &LocalizedText,
    own_code: Option<&str>,
) -> Vec<QueryError> {
    if name.shown_length() == 0 {
        return vec![QueryError::new("name", String::new(), Problem::Required)];
    }
    let mut problems = Vec::new();
    for (field, text, zh) in [("name_en", &name.en, false), ("name_zh", &name.zh, true)] {
        if shown_length(text) > MAX_TERM_NAME {
            problems.push(QueryError::new(
                field,
                echo(text),
                Problem::Length {
                    min: 0,
                    max: MAX_TERM_NAME as u32,
                },
            ));
        } else if !text.is_empty()
            && vocabulary.of(kind).any(|t| {
                Some(t.code.as_str()) != own_code && t.name.get(zh).eq_ignore_ascii_case(text)
            })
        {
            problems.push(QueryError::new(field, echo(text), Problem::Taken));
        }
    }
    problems
}
