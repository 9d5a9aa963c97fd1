use crate::i18n::*;
use leptos::prelude::*;

/// Switches between English and Chinese; the button names the other language in that language,
/// and that visible name is its accessible name too (WCAG 2.5.3, label in name): "Switch
/// language" is only its tooltip.
#[component]
pub fn LanguageSwitch(#[prop(into)] class: String) -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        let other = if i18n.get_locale() == Locale::en {
            Locale::zh_CN
        } else {
            Locale::en
        };
        i18n.set_locale(other);
    };
    view! {
        <button type="button" class=class on:click=switch
            title=move || t_string!(i18n, shell.switch_language)
            lang=move || if i18n.get_locale() == Locale::en { "zh-CN" } else { "en" }>
            {t!(i18n, shell.other_language)}
        </button>
    }
}
