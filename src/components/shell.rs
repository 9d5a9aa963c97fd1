//! The frame around every signed-in page: top bar, role-based navigation, demo banner and the
//! keyboard-shortcut overlay.

use crate::api::Mode;
use crate::components::labels;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::Section;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// Shortcuts of the page on screen, listed after the app's own in the `?` overlay; the page
/// sets them while it is shown, so their words travel with its chunk.
#[derive(Clone, Copy)]
pub struct PageShortcuts(pub RwSignal<Vec<(&'static str, String)>>);

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = use_session();
    provide_context(PageShortcuts(RwSignal::new(Vec::new())));
    let show_help = RwSignal::new(false);
    let help_key = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "?" && !typing_in_a_field(&ev) {
            ev.prevent_default();
            show_help.update(|v| *v = !*v);
        } else if ev.key() == "Escape" {
            show_help.set(false);
        }
    });
    on_cleanup(move || help_key.remove());
    view! {
        <div class="app">
            <a class="skip-link" href="#main">{t!(use_i18n(), shell.skip)}</a>
            <Show when=move || session.api.get().mode == Mode::Fixtures>
                <DemoBanner/>
            </Show>
            <TopBar show_help/>
            <div class="app-body">
                <SideNav/>
                <main id="main" tabindex="-1">{children()}</main>
            </div>
            <Show when=move || show_help.get()>
                <ShortcutHelp show_help/>
            </Show>
        </div>
    }
}

/// Shortcuts must not fire while the user types into a form field.
pub fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

#[component]
fn DemoBanner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reset = move |_| {
        session.api().reset_demo();
        let _ = window().location().reload();
    };
    view! {
        <aside class="demo-banner" aria-label=move || t_string!(i18n, demo.label)>
            <span class="demo-tag" aria-hidden="true">"DEMO"</span>
            <span>{t!(i18n, demo.banner)}</span>
            <button type="button" class="link-button" on:click=reset>{t!(i18n, demo.reset)}</button>
        </aside>
    }
}

#[component]
fn TopBar(show_help: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signed out locally even if the server is unreachable: the cookie expires anyway.
            let _ = session.api().sign_out().await;
            session.user.set(None);
            navigate("/signin", Default::default());
        });
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"κ"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
                <span class="brand-tagline">{t!(i18n, tagline)}</span>
            </A>
            <div class="topbar-actions">
                <button type="button" class="icon-button" on:click=move |_| show_help.set(true)
                    aria-label=move || t_string!(i18n, shell.shortcuts) title=move || t_string!(i18n, shell.shortcuts)>"?"</button>
                <LanguageSwitch class="button button-quiet"/>
                {move || session.user.get().map(|_| view! { <InboxLink/> })}
                {move || session.user.get().map(|user| view! {
                    <div class="account" aria-label=move || t_string!(i18n, shell.account) role="group">
                        <A href="/account" attr:class="account-name" attr:title=move || t_string!(i18n, shell.account_link)>{user.display_name.clone()}</A>
                        <span class="badge">{labels::role(user.role)}</span>
                    </div>
                    <button type="button" class="button button-quiet" on:click=sign_out.clone()>{t!(i18n, shell.sign_out)}</button>
                })}
            </div>
        </header>
    }
}

/// How many notices wait for the signed-in user, as the pages last counted them; `None` until
/// one has (the shell itself counts nothing: the pages bring that code).
#[derive(Clone, Copy)]
pub struct Waiting(pub RwSignal<Option<usize>>);

/// The way to what waits for me, with how many things do.
#[component]
fn InboxLink() -> impl IntoView {
    let i18n = use_i18n();
    let waiting = use_context::<Waiting>().map(|w| w.0);
    let count = move || waiting.and_then(|w| w.get()).filter(|n| *n > 0);
    view! {
        <A href="/inbox" attr:class="inbox-link">
            <span class="inbox-word">{t!(i18n, shell.inbox)}</span>
            {move || count().map(|n| view! { " " <span class="badge badge-count" data-testid="notice-count">{n}</span> })}
        </A>
    }
}

/// Fetches a section's page code while the pointer rests on (or focus reaches) its navigation
/// link, so the click finds it there. The app provides it (src/app.rs knows the pages): the
/// shell imports no page.
#[derive(Clone, Copy)]
pub struct PagePreload(pub fn(Section));

impl PagePreload {
    fn fetch(self, section: Section) {
        (self.0)(section)
    }
}

#[component]
fn SideNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let preload = expect_context::<PagePreload>();
    move || {
        session.user.get().map(|user| {
            view! {
                <nav class="sidenav" aria-label=move || t_string!(i18n, nav.label)>
                    <ul>
                        {user.role.sections().into_iter().map(|section| view! {
                            <li on:pointerenter=move |_| preload.fetch(section) on:focusin=move |_| preload.fetch(section)>
                                <A href=section.path()>{move || labels::section(section)}</A>
                            </li>
                        }).collect_view()}
                    </ul>
                </nav>
            }
        })
    }
}

#[component]
fn ShortcutHelp(show_help: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let page_keys = expect_context::<PageShortcuts>().0;
    let close = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = close.get() {
            let _ = button.focus();
        }
    });
    let rows = move || {
        [
            ("?", t_string!(i18n, shortcuts.help)),
            ("/", t_string!(i18n, shortcuts.filters)),
            ("[", t_string!(i18n, shortcuts.prev_page)),
            ("]", t_string!(i18n, shortcuts.next_page)),
            ("Ctrl+S", t_string!(i18n, shortcuts.save_draft)),
            ("Alt+↑ / Alt+↓", t_string!(i18n, shortcuts.move_item)),
        ]
        .into_iter()
        .map(|(key, what)| (key, what.to_string()))
        .chain(page_keys.get())
        .map(|(key, what)| view! { <tr><td><kbd>{key}</kbd></td><td>{what}</td></tr> })
        .collect_view()
    };
    view! {
        <div class="overlay" on:click=move |_| show_help.set(false)>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" on:click=|ev| ev.stop_propagation()>
                <h2 id="shortcuts-title">{t!(i18n, shortcuts.title)}</h2>
                <table class="shortcut-table"><tbody>{rows}</tbody></table>
                <button type="button" class="button" node_ref=close on:click=move |_| show_help.set(false)>{t!(i18n, shortcuts.close)}</button>
            </div>
        </div>
    }
}
