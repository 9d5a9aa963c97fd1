use crate::access::Role;
use serde::{Deserialize, Serialize};

pub type UserId = u32;
pub type TeamId = u32;

/// Text that the data itself carries in both languages (team names, queue labels from a CRM).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    pub en: String,
    pub zh: String,
}

impl LocalizedText {
    pub fn get(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The team an agent works in, or the team a lead leads.
    pub team_id: Option<TeamId>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: LocalizedText,
    pub lead_id: Option<UserId>,
}

/// Agents of one team (or all agents), sorted by name, for filters and pickers.
pub fn agents_of(users: &[User], team: Option<TeamId>) -> Vec<&User> {
    let mut agents: Vec<&User> = users
        .iter()
        .filter(|u| u.role == Role::Agent && (team.is_none() || u.team_id == team))
        .collect();
    agents.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    agents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: UserId, name: &str, role: Role, team: Option<TeamId>) -> User {
        User { id, username: format!("u{id}"), display_name: name.into(), role, team_id: team, active: true }
    }

    #[test]
    fn agents_of_a_team_excludes_other_roles_and_teams() {
        let users = vec![
            user(1, "Zoe", Role::Agent, Some(1)),
            user(2, "Amy", Role::Agent, Some(1)),
            user(3, "Lead", Role::Lead, Some(1)),
            user(4, "Bob", Role::Agent, Some(2)),
        ];
        let names: Vec<_> = agents_of(&users, Some(1)).iter().map(|u| u.id).collect();
        assert_eq!(names, vec![2, 1]);
        assert_eq!(agents_of(&users, None).len(), 3);
    }
}
