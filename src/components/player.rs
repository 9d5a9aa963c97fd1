//! A call's recording: play, seek, speed, a progress bar with time, and the transcript following
//! playback (the line being spoken is highlighted, any line plays from its start). The call page
//! shows it; the review workspace drives it with its shortcuts and evidence marks too.

use crate::components::labels;
use crate::format;
use crate::i18n::*;
use kappa_domain::TranscriptLine;
use leptos::prelude::*;

pub const SPEEDS: [f64; 5] = [0.75, 1.0, 1.25, 1.5, 2.0];
const STEP_MS: i64 = 5_000;

/// Playback state shared with the rest of the workspace.
#[derive(Clone, Copy)]
pub struct Playback {
    audio: NodeRef<leptos::html::Audio>,
    pub now_ms: RwSignal<u32>,
    pub duration_ms: RwSignal<u32>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
}

impl Playback {
    pub fn new(duration_s: u32) -> Playback {
        Playback {
            audio: NodeRef::new(),
            now_ms: RwSignal::new(0),
            duration_ms: RwSignal::new(duration_s * 1000),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
        }
    }

    fn element(&self) -> Option<web_sys::HtmlAudioElement> {
        self.audio.try_get().flatten()
    }

    pub fn toggle(&self) {
        if let Some(a) = self.element() {
            if a.paused() {
                let _ = a.play();
            } else {
                let _ = a.pause();
            }
        }
    }

    pub fn seek_to(&self, ms: u32) {
        let ms = ms.min(self.duration_ms.get_untracked());
        if let Some(a) = self.element() {
            a.set_current_time(f64::from(ms) / 1000.0);
        }
        self.now_ms.set(ms);
    }

    /// Seeks and plays from there: what choosing a transcript line or an evidence mark means.
    pub fn play_from(&self, ms: u32) {
        self.seek_to(ms);
        if let Some(a) = self.element() {
            let _ = a.play();
        }
    }

    pub fn step(&self, forward: bool) {
        let now = i64::from(self.now_ms.get_untracked());
        self.seek_to((now + if forward { STEP_MS } else { -STEP_MS }).max(0) as u32);
    }

    pub fn set_speed(&self, speed: f64) {
        if let Some(a) = self.element() {
            a.set_playback_rate(speed);
        }
        self.speed.set(speed);
    }

    /// The next speed up or down the ladder.
    pub fn nudge_speed(&self, faster: bool) {
        let at = SPEEDS
            .iter()
            .position(|s| *s == self.speed.get_untracked())
            .unwrap_or(1);
        let next = if faster {
            (at + 1).min(SPEEDS.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        self.set_speed(SPEEDS[next]);
    }
}

/// A playback position as people read it: 0:42.
pub fn clock(ms: u32) -> String {
    format::duration(ms / 1000)
}

#[component]
pub fn Player(
    playback: Playback,
    src: String,
    transcript: Vec<TranscriptLine>,
    lang: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = playback;
    // The element can report once more after the page is gone: its signals are disposed then.
    let on_time = move |_| {
        if let Some(a) = p.element() {
            p.now_ms.try_set((a.current_time() * 1000.0) as u32);
        }
    };
    let on_meta = move |_| {
        if let Some(a) = p.element() {
            let d = a.duration();
            if d.is_finite() && d > 0.0 {
                p.duration_ms.try_set((d * 1000.0) as u32);
            }
        }
    };
    view! {
        <div class="player-bar">
            <audio node_ref=p.audio preload="metadata" src=src on:timeupdate=on_time on:loadedmetadata=on_meta
                on:play=move |_| { p.playing.try_set(true); } on:pause=move |_| { p.playing.try_set(false); }></audio>
            <button type="button" class="button button-small" on:click=move |_| p.step(false) title=move || t_string!(i18n, review.back_5) aria-keyshortcuts="J">
                "−5 s"
            </button>
            <button type="button" class="button button-primary player-toggle" on:click=move |_| p.toggle() data-testid="play"
                aria-label=move || if p.playing.get() { t_string!(i18n, review.pause) } else { t_string!(i18n, review.play) }>
                <span aria-hidden="true">{move || if p.playing.get() { "❚❚" } else { "▶" }}</span>
            </button>
            <button type="button" class="button button-small" on:click=move |_| p.step(true) title=move || t_string!(i18n, review.forward_5) aria-keyshortcuts="L">
                "+5 s"
            </button>
            <label class="player-speed">
                <span class="visually-hidden">{t!(i18n, review.speed)}</span>
                <select on:change=move |ev| { if let Ok(s) = event_target_value(&ev).parse::<f64>() { p.set_speed(s); } }>
                    {SPEEDS.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.to_string() selected=move || p.speed.get() == s>{format!("{s}×")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <input type="range" class="player-progress" min="0" step="100" data-testid="position"
                max=move || p.duration_ms.get().to_string()
                prop:value=move || p.now_ms.get().to_string()
                aria-label=move || t_string!(i18n, review.position)
                aria-valuetext=move || format!("{} / {}", clock(p.now_ms.get()), clock(p.duration_ms.get()))
                on:input=move |ev| { if let Ok(ms) = event_target_value(&ev).parse::<u32>() { p.seek_to(ms); } }/>
            <span class="player-time num-inline" data-testid="time">{move || format!("{} / {}", clock(p.now_ms.get()), clock(p.duration_ms.get()))}</span>
        </div>
        <ol class="transcript transcript-scroll" lang=lang aria-label=move || t_string!(i18n, call.transcript)>
            {transcript.into_iter().map(|line| {
                let (start, end) = (line.start_ms, line.end_ms);
                let speaking = move || p.now_ms.get() >= start && p.now_ms.get() < end;
                view! {
                    <li class=format!("turn turn-{}", line.speaker.code()) class:speaking=speaking>
                        <button type="button" class="turn-time" on:click=move |_| p.play_from(start)
                            aria-label=move || format!("{} {}", t_string!(i18n, call.seek), clock(start))>
                            {clock(start)}
                        </button>
                        <span class="turn-speaker" lang=move || if format::is_zh() { "zh-CN" } else { "en" }>{move || labels::speaker(line.speaker)}</span>
                        <span class="turn-text">{line.text.clone()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
