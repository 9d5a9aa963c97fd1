//! Leaving a page with work not yet kept asks first: closing or reloading the tab (the browser
//! asks) and following a link to another page (a confirmation).

use leptos::ev;
use leptos::prelude::*;

/// Asks `question` before a click on a link to another page while `unsaved()`; answers the
/// function that stops asking.
pub fn guard_links(unsaved: impl Fn() -> bool + Copy + 'static, question: String) -> impl FnOnce() + Send + Sync {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let question = StoredValue::new(question);
    let listener = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        // Only links to other pages: in-page links stay where they are.
        let link = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("a[href^='/']").ok().flatten());
        if link.is_some() && unsaved() && !window().confirm_with_message(&question.get_value()).unwrap_or(true) {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let _ = window().add_event_listener_with_callback_and_bool("click", listener.as_ref().unchecked_ref(), true);
    let listener = StoredValue::new_local(listener);
    move || {
        listener.try_with_value(|l| {
            let _ = window().remove_event_listener_with_callback_and_bool("click", l.as_ref().unchecked_ref(), true);
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
