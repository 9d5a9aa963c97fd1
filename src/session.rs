//! Who is signed in and which data source answers, shared with every component by context.

use crate::api::Api;
use kappa_domain::vocabulary::Vocabulary;
use kappa_domain::User;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Session {
    pub api: RwSignal<Api>,
    pub user: RwSignal<Option<User>>,
    /// False until the data source and the signed-in user are known.
    pub ready: RwSignal<bool>,
    /// The demo centre is loaded: its accounts share the password `demo`.
    pub demo: RwSignal<bool>,
    /// A new installation nobody can sign in to yet: the operator must create an administrator.
    pub needs_admin: RwSignal<bool>,
    /// The centre's queues and outcomes, once someone is signed in.
    pub vocabulary: RwSignal<Option<Vocabulary>>,
}

impl Session {
    pub fn api(&self) -> Api {
        self.api.get_untracked()
    }

    /// Forgets the user locally when the server says the session is gone; guards then send
    /// them to the sign-in page.
    pub fn expire_if_unauthorized(&self, error: &crate::api::ApiError) {
        if *error == crate::api::ApiError::Unauthorized {
            self.user.set(None);
        }
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
