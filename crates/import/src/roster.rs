//! A roster file (username, name, role, team, agent code), read through the same rows as call
//! records: each row becomes an entry with its role and team resolved, or its problems. Whether
//! an entry opens or updates an account, and the checks of usernames, names and codes, are the
//! domain's, applied to each entry as to a form.

use crate::field::normalized;
use crate::problem::{ImportProblem, Refusal};
use crate::table::{read_rows, Columns, Row, Shape};
use kappa_domain::people::{Team, TeamId};
use kappa_domain::Role;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::ops::ControlFlow;

kappa_domain::coded!(
    pub enum RosterField {
        Username => "username",
        DisplayName => "display_name",
        Role => "role",
        Team => "team",
        AgentCode => "agent_code",
    }
);

impl RosterField {
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            RosterField::Username => &[
                "username",
                "user",
                "login",
                "account",
                "用户名",
                "账号",
                "登录名",
            ],
            RosterField::DisplayName => &[
                "displayname",
                "name",
                "fullname",
                "姓名",
                "名字",
                "显示名",
                "显示名称",
            ],
            RosterField::Role => &["role", "角色", "岗位"],
            RosterField::Team => &["team", "group", "班组", "团队", "小组", "组别"],
            RosterField::AgentCode => &[
                "agentcode",
                "agentid",
                "cno",
                "code",
                "工号",
                "坐席工号",
                "座席工号",
            ],
        }
    }
}

/// One person as the roster gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub row: u64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub agent_code: Option<String>,
}

/// The roles as rosters name them, in both languages.
pub fn role(text: &str) -> Option<Role> {
    match text.trim().to_lowercase().as_str() {
        "agent" | "坐席" | "座席" | "客服" | "话务员" => Some(Role::Agent),
        "reviewer" | "qa" | "质检员" | "质检" => Some(Role::Reviewer),
        "lead" | "team lead" | "supervisor" | "组长" | "班长" | "主管" => Some(Role::Lead),
        "admin" | "administrator" | "管理员" => Some(Role::Admin),
        _ => None,
    }
}

/// A team by its number or by its name in either language.
fn team(text: &str, teams: &[Team]) -> Option<TeamId> {
    let text = text.trim();
    teams
        .iter()
        .find(|t| {
            t.id.to_string() == text || t.name.en.eq_ignore_ascii_case(text) || t.name.zh == text
        })
        .map(|t| t.id)
}

/// Reads every row of a roster; a file whose header lacks a username or a role column is
/// refused before any row.
pub fn read_roster<R: Read>(
    input: R,
    shape: &Shape,
    teams: &[Team],
    each: &mut dyn FnMut(Result<RosterEntry, Vec<Refusal>>),
) -> Result<(), Refusal> {
    let mut positions: Option<Vec<Option<usize>>> = None;
    let mut refused = None;
    read_rows(input, shape, &mut |columns, row| {
        let at = match &positions {
            Some(at) => at.clone(),
            None => match locate(columns) {
                Ok(at) => positions.insert(at).clone(),
                Err(e) => {
                    refused = Some(e);
                    return ControlFlow::Break(());
                }
            },
        };
        each(match row {
            Ok(row) => entry(columns, &at, &row, teams),
            Err(e) => Err(vec![e]),
        });
        ControlFlow::Continue(())
    })?;
    refused.map_or(Ok(()), Err)
}

/// Where each roster field's column is, by header.
fn locate(columns: &Columns) -> Result<Vec<Option<usize>>, Refusal> {
    let at: Vec<Option<usize>> = RosterField::ALL
        .into_iter()
        .map(|field| {
            columns
                .names
                .iter()
                .position(|name| field.synonyms().contains(&normalized(name).as_str()))
        })
        .collect();
    for required in [RosterField::Username, RosterField::Role] {
        if at[required as usize].is_none() {
            return Err(Refusal::new(ImportProblem::ColumnNotMapped).with_value(required.code()));
        }
    }
    Ok(at)
}

fn entry(
    columns: &Columns,
    at: &[Option<usize>],
    row: &Row,
    teams: &[Team],
) -> Result<RosterEntry, Vec<Refusal>> {
    let get = |field: RosterField| at[field as usize].and_then(|i| row.get(i));
    let name = |field: RosterField| {
        at[field as usize]
            .map(|i| columns.names[i].as_str())
            .unwrap_or(field.code())
    };
    let mut problems = Vec::new();
    let mut refuse = |problem: ImportProblem, field: RosterField, value: Option<&str>| {
        let mut r = Refusal::new(problem)
            .at_row(row.number)
            .in_column(name(field));
        if let Some(v) = value {
            r = r.with_value(v);
        }
        problems.push(r);
    };
    let username = get(RosterField::Username);
    if username.is_none() {
        refuse(ImportProblem::MissingValue, RosterField::Username, None);
    }
    let role = match get(RosterField::Role) {
        None => {
            refuse(ImportProblem::MissingValue, RosterField::Role, None);
            None
        }
        Some(v) => {
            let found = role(v);
            if found.is_none() {
                refuse(ImportProblem::UnknownValue, RosterField::Role, Some(v));
            }
            found
        }
    };
    let team_id = get(RosterField::Team).and_then(|v| {
        let found = team(v, teams);
        if found.is_none() {
            refuse(ImportProblem::UnknownValue, RosterField::Team, Some(v));
        }
        found
    });
    match (username, role) {
        (Some(username), Some(role)) if problems.is_empty() => Ok(RosterEntry {
            row: row.number,
            username: username.to_string(),
            // A roster without names shows each person by their username until one is given.
            display_name: get(RosterField::DisplayName)
                .unwrap_or(username)
                .to_string(),
            role,
            team_id,
            agent_code: get(RosterField::AgentCode).map(str::to_string),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::sniff;
    use kappa_domain::people::LocalizedText;

    fn teams() -> Vec<Team> {
        vec![Team {
            id: 1,
            name: LocalizedText {
                en: "Bookings & Changes".into(),
                zh: "预订与改签".into(),
            },
            lead_id: None,
        }]
    }

    fn read(file: &str) -> Result<Vec<Result<RosterEntry, Vec<Refusal>>>, Refusal> {
        let shape = sniff(file.as_bytes()).unwrap();
        let mut entries = Vec::new();
        read_roster(file.as_bytes(), &shape, &teams(), &mut |e| entries.push(e))?;
        Ok(entries)
    }

    #[test]
    fn chinese_headers_roles_and_team_names() {
        let entries = read(
            "用户名,姓名,角色,班组,工号\n\
             wangfang,王芳,坐席,预订与改签,1001\n\
             lili,李丽,质检员,,\n\
             zhou,,组长,1,\n",
        )
        .unwrap();
        let first = entries[0].as_ref().unwrap();
        assert_eq!(
            (
                first.username.as_str(),
                first.display_name.as_str(),
                first.role,
                first.team_id
            ),
            ("wangfang", "王芳", Role::Agent, Some(1))
        );
        assert_eq!(first.agent_code.as_deref(), Some("1001"));
        let second = entries[1].as_ref().unwrap();
        assert_eq!(
            (second.role, second.team_id, second.agent_code.as_deref()),
            (Role::Reviewer, None, None)
        );
        // No name given: the username shows until one is.
        assert_eq!(entries[2].as_ref().unwrap().display_name, "zhou");
    }

    #[test]
    fn unknown_roles_and_teams_are_named_and_a_roster_needs_usernames_and_roles() {
        let entries = read("username,role,team\nana,chef,Kitchen\n,agent,\n").unwrap();
        let problems: Vec<(ImportProblem, Option<&str>)> = entries[0]
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|p| (p.problem, p.column.as_deref()))
            .collect();
        assert_eq!(
            problems,
            [
                (ImportProblem::UnknownValue, Some("role")),
                (ImportProblem::UnknownValue, Some("team"))
            ]
        );
        assert_eq!(
            entries[1].as_ref().unwrap_err()[0].problem,
            ImportProblem::MissingValue
        );
        assert_eq!(
            read("name,team\nAna,1\n").unwrap_err().problem,
            ImportProblem::ColumnNotMapped
        );
    }
}
