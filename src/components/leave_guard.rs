//! Leaving a page with work not yet kept asks first: closing or reloading the tab (the browser
//! asks), following a link to another page, and the browser's Back and Forward buttons (a
//! confirmation).

use leptos::ev;
use leptos::prelude::*;

/// Asks `question` before a click on a link to another page while `unsaved()`; answers the
/// function that stops asking.
pub fn guard_links(
    unsaved: impl Fn() -> bool + Copy + 'static,
    question: String,
) -> impl FnOnce() + Send + Sync {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let question = StoredValue::new(question);
    let listener = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        // Only links to other pages: in-page links stay where they are.
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href^='/']").ok().flatten());
        if link.is_some()
            && unsaved()
            && !window()
                .confirm_with_message(&question.get_value())
                .unwrap_or(true)
        {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        listener.as_ref().unchecked_ref(),
        true,
    );
    let listener = StoredValue::new_local(listener);
    move || {
        listener.try_with_value(|l| {
            let _ = window().remove_event_listener_with_callback_and_bool(
                "click",
                l.as_ref().unchecked_ref(),
                true,
            );
        });
    }
}

/// The browser's own question before the tab is closed or reloaded while `unsaved()`.
pub fn guard_unload(unsaved: impl Fn() -> bool + 'static) -> WindowListenerHandle {
    window_event_listener(ev::beforeunload, move |ev| {
        if unsaved() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    })
}

type BackGuard = (Box<dyn Fn() -> bool>, String, String);

thread_local! {
    /// The page that asks before history moves away from it: (unsaved?, question, its address).
    static BACK_GUARD: std::cell::RefCell<Option<BackGuard>> = const { std::cell::RefCell::new(None) };
}

/// Listens for Back and Forward before the router does (call it before the router exists): when
/// the guarded page has unsaved work and the answer is no, the router never hears of the move
/// and the page's address is put back.
pub fn install_back_guard() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let stay = BACK_GUARD.with(|g| {
            g.borrow()
                .as_ref()
                .and_then(|(unsaved, question, address)| {
                    (unsaved() && !window().confirm_with_message(question).unwrap_or(true))
                        .then(|| address.clone())
                })
        });
        if let Some(address) = stay {
            ev.stop_immediate_propagation();
            if let Ok(history) = window().history() {
                let _ =
                    history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
            }
        }
    });
    let _ =
        window().add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Asks `question` before Back or Forward leaves this page while `unsaved()`; answers the
/// function that stops asking.
pub fn guard_back(
    unsaved: impl Fn() -> bool + 'static,
    question: String,
) -> impl FnOnce() + Send + Sync {
    let location = window().location();
    let address = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    BACK_GUARD.with(|g| *g.borrow_mut() = Some((Box::new(unsaved), question, address)));
    || BACK_GUARD.with(|g| *g.borrow_mut() = None)
}
