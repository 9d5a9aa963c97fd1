use crate::access::Role;
use serde::{Deserialize, Serialize};

pub type UserId = u32;
pub type TeamId = u32;

/// Characters that take no room on screen: zero-width spaces and joiners, direction marks,
/// the byte-order mark, the soft hyphen, Hangul fillers. A name of these alone reads as empty.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// A name's or title's length as its checks count it: the trimmed text's characters, or 0 when
/// nothing in it would show.
pub fn shown_length(text: &str) -> usize {
    if text.chars().all(invisible) {
        0
    } else {
        text.trim().chars().count()
    }
}

/// Text that the data itself carries in both languages (team names, scorecard texts, plan names,
/// session titles). A plain string is read as one language's text: names kept before they had
/// two, and clients that send one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LocalizedText {
    pub en: String,
    pub zh: String,
}

// By hand rather than `#[serde(untagged)]`: that buffers every value and costs each page that
// reads a name kilobytes of wasm.
impl<'de> Deserialize<'de> for LocalizedText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Wire;
        impl<'de> serde::de::Visitor<'de> for Wire {
            type Value = LocalizedText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or one per language as {\"en\", \"zh\"}")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<LocalizedText, E> {
                Ok(text.into())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LocalizedText, A::Error> {
                let mut text = LocalizedText::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "en" => text.en = map.next_value()?,
                        "zh" => text.zh = map.next_value()?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(text)
            }
        }
        d.deserialize_any(Wire)
    }
}

/// One text for both languages: it goes where its script says, Chinese to `zh`, the rest to `en`;
/// [`LocalizedText::pick`] shows it to readers of the other language too.
impl From<&str> for LocalizedText {
    fn from(text: &str) -> Self {
        let chinese = text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        if chinese {
            LocalizedText {
                en: String::new(),
                zh: text.into(),
            }
        } else {
            LocalizedText {
                en: text.into(),
                zh: String::new(),
            }
        }
    }
}

impl LocalizedText {
    /// Both languages trimmed, as a name or title is kept.
    pub fn trimmed(&self) -> LocalizedText {
        LocalizedText {
            en: self.en.trim().into(),
            zh: self.zh.trim().into(),
        }
    }

    /// The longer of the two texts as its checks count it; 0 when neither would show.
    pub fn shown_length(&self) -> usize {
        shown_length(&self.en).max(shown_length(&self.zh))
    }

    pub fn get(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }

    /// The text in the wanted language, or in the other one when it was left empty.
    pub fn pick(&self, zh: bool) -> &str {
        let (wanted, other) = if zh {
            (&self.zh, &self.en)
        } else {
            (&self.en, &self.zh)
        };
        if wanted.trim().is_empty() {
            other
        } else {
            wanted
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
    /// The agent code (工号) platforms export calls under: unique, what an import matches an
    /// agent by before the username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_code: Option<String>,
}

impl User {
    /// May score calls today: an active account whose role reviews (reviewers, leads, admins).
    pub fn may_review(&self) -> bool {
        self.active && self.role.can(crate::access::Capability::ReviewCalls)
    }

    /// May score this agent's calls: nobody reviews their own.
    pub fn may_review_calls_of(&self, agent: UserId) -> bool {
        self.may_review() && self.id != agent
    }
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

    /// Issue #19: a display name of zero-width characters only was accepted.
    #[test]
    fn text_of_invisible_characters_counts_as_empty() {
        assert_eq!(shown_length("\u{200B}\u{200C}\u{FEFF} \u{2060}"), 0);
        assert_eq!(shown_length("  Ann Lee "), 7);
        assert_eq!(shown_length("王\u{200B}芳"), 3);
    }

    /// Issue #21: plan names and session titles came to have two languages; what was kept, or
    /// is sent, as one string still reads, in the language its script says.
    #[test]
    fn a_plain_string_reads_as_the_language_of_its_script() {
        let old: LocalizedText = serde_json::from_str(r#""Weekly QA""#).unwrap();
        assert_eq!((old.en.as_str(), old.zh.as_str()), ("Weekly QA", ""));
        let zh: LocalizedText = serde_json::from_str(r#""每周质检""#).unwrap();
        assert_eq!((zh.en.as_str(), zh.zh.as_str()), ("", "每周质检"));
        assert_eq!(zh.pick(false), "每周质检");
        let both: LocalizedText =
            serde_json::from_str(r#"{"en":"Weekly QA","zh":"每周质检"}"#).unwrap();
        assert_eq!(
            (both.pick(false), both.pick(true)),
            ("Weekly QA", "每周质检")
        );
        assert_eq!(
            LocalizedText {
                en: " a ".into(),
                zh: "\u{200B}".into()
            }
            .shown_length(),
            1
        );
    }

    fn user(id: UserId, name: &str, role: Role, team: Option<TeamId>) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: name.into(),
            role,
            team_id: team,
            active: true,
            agent_code: None,
        }
    }

    #[test]
    fn a_text_missing_in_one_language_falls_back_to_the_other() {
        let only_zh = LocalizedText {
            en: String::new(),
            zh: "问候".into(),
        };
        assert_eq!(only_zh.pick(false), "问候");
        let both = LocalizedText {
            en: "Greeting".into(),
            zh: "问候".into(),
        };
        assert_eq!((both.pick(false), both.pick(true)), ("Greeting", "问候"));
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
