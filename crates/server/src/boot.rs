//! The app's page as this server sends it: the built `index.html` with the visitor's session
//! and the site's mode written in as inert JSON, and preload links for the chunk files the
//! address's page needs, so the app starts without asking `/config.json` and `/api/session`,
//! and the browser fetches the page's code beside the main module (issue #22).
//!
//! The static build serves the same file unchanged: there the start script preloads the chunks
//! and the app reads its mode from `config.json`.

use crate::ApiContext;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kappa_domain::api::SessionInfo;
use kappa_domain::pages::page_at;
use kappa_domain::plan::QueueQuery;
use kappa_domain::vocabulary::Vocabulary;
use kappa_domain::{workflow, CallQuery, Capability, User};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// `index.html` cut where the per-request part goes, read again only when the file changes
/// (a rebuild under a running server).
#[derive(Default)]
pub struct IndexCache(Mutex<Option<(SystemTime, Arc<IndexTemplate>)>>);

impl IndexCache {
    fn template(&self, dist: &Path) -> Option<Arc<IndexTemplate>> {
        let file = dist.join("index.html");
        let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
        let mut cached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, template)) = cached.as_ref() {
            if *at == modified {
                return Some(template.clone());
            }
        }
        let template = Arc::new(IndexTemplate::parse(&std::fs::read_to_string(&file).ok()?));
        *cached = Some((modified, template.clone()));
        Some(template)
    }
}

/// The built page, split before its start script.
#[derive(Debug)]
pub struct IndexTemplate {
    head: String,
    tail: String,
    /// The folder of the wasm modules, `/pkg-<hash>/`.
    pkg: String,
    /// Each route pattern (`/calls/:id`) with the chunk files its page needs.
    routes: Vec<(String, Vec<String>)>,
}

const ROUTES_META: &str = "<meta name=\"kappa-routes\" content=\"";
const PKG_META: &str = "<meta name=\"kappa-pkg\" content=\"";
const START_SCRIPT: &str = "<script type=\"module\">";

impl IndexTemplate {
    /// Reads the route table the build wrote for the start script and empties it there: here
    /// the links are written by the server, so the script adds none. The `config.json`
    /// preload goes too, as the mode is in the page.
    pub fn parse(html: &str) -> IndexTemplate {
        let mut html = without_config_preload(html);
        let pkg = attribute_after(&html, PKG_META).unwrap_or_default();
        let mut routes = Vec::new();
        if let Some(start) = html.find(ROUTES_META).map(|i| i + ROUTES_META.len()) {
            if let Some(len) = html[start..].find('"') {
                let json = html[start..start + len]
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&");
                routes = serde_json::from_str(&json).unwrap_or_default();
                html.replace_range(start..start + len, "[]");
            }
        }
        let cut = html.find(START_SCRIPT).unwrap_or(html.len());
        IndexTemplate {
            tail: html[cut..].to_string(),
            head: html[..cut].to_string(),
            pkg,
            routes,
        }
    }

    /// The page for `path` (and its `query`), telling the app who `session` is. Without one (the
    /// database did not answer) it is the page as built, and the app asks for itself.
    /// The centre's `vocabulary` goes along for whoever is signed in: the pages name calls'
    /// queues from it without asking (the shell never reads it, so it carries no parser for it).
    pub fn render(
        &self,
        path: &str,
        query: &str,
        session: Option<&SessionInfo>,
        vocabulary: Option<&Vocabulary>,
    ) -> String {
        let mut page = String::with_capacity(self.head.len() + self.tail.len() + 1024);
        page.push_str(&self.head);
        if let Some(session) = session {
            let boot = Boot {
                mode: "server",
                session,
                vocabulary,
            };
            page.push_str("<script type=\"application/json\" id=\"kappa-boot\">");
            page.push_str(&inert_json(
                &serde_json::to_string(&boot).unwrap_or_default(),
            ));
            page.push_str("</script>");
        }
        // Signed out, every page but sign-in (in the shell) sends the visitor there; a page
        // the user's role may not open shows a refusal from the shell.
        let user = session.and_then(|s| s.user.as_ref());
        if let Some((user, opened)) = user.and_then(|u| {
            page_at(path)
                .filter(|p| p.opens_for(u.role))
                .map(|p| (u, p))
        }) {
            for file in self.chunks_of(opened.route) {
                page.push_str("<link rel=\"preload\" href=\"");
                page.push_str(&self.pkg);
                page.push_str(file);
                page.push_str("\" as=\"fetch\" type=\"application/wasm\" crossorigin>");
            }
            for read in first_reads(path, query, user) {
                page.push_str("<link rel=\"preload\" href=\"");
                page.push_str(&attribute_text(&read));
                page.push_str("\" as=\"fetch\" crossorigin>");
            }
        }
        page.push_str(&self.tail);
        page
    }

    /// The chunk files the build lists for a route of the page table.
    fn chunks_of(&self, route: &str) -> &[String] {
        self.routes
            .iter()
            .find(|(r, _)| r == route)
            .map_or(&[], |(_, files)| files.as_slice())
    }
}

/// The API reads a page starts with as it opens (the first `LocalResource`s of its component in
/// src/pages, URLs as src/api/mod.rs writes them), for a user who may open it. Preloaded with
/// the page, they download while its code does instead of after it. chunks.spec.ts fails when a
/// page stops asking for what is preloaded here: each URL must be fetched once.
fn first_reads(path: &str, query: &str, user: &User) -> Vec<String> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let numeric = |id: &str| id.bytes().all(|b| b.is_ascii_digit());
    // Every page counts what waits for its reader as it opens (the top bar's inbox).
    let mut reads = vec!["/api/notices".to_string()];
    reads.extend(page_reads(&segments, numeric, query, user));
    reads
}

fn page_reads(
    segments: &[&str],
    numeric: impl Fn(&str) -> bool,
    query: &str,
    user: &User,
) -> Vec<String> {
    match segments {
        ["calls"] => vec![
            "/api/directory".into(),
            format!(
                "/api/calls?{}",
                CallQuery::from_query_string(query).0.to_query_string()
            ),
        ],
        ["queue"] => {
            let mut reads = vec![
                format!(
                    "/api/queue?{}",
                    QueueQuery::from_query_string(query).0.to_query_string()
                ),
                "/api/directory".into(),
            ];
            if user.role.can(Capability::ManageSampling) {
                reads.push("/api/plans".into());
            }
            // The notice of calibration sessions waiting for the reader's scores.
            if user.role.can(Capability::Calibrate) {
                reads.push("/api/calibration".into());
            }
            reads
        }
        ["me"] => vec!["/api/feedback".into(), "/api/me/coaching?days=90".into()],
        ["calibration"] => vec!["/api/calibration".into()],
        ["review", id] if numeric(id) => vec![format!("/api/calls/{id}")],
        ["scorecards", id] if numeric(id) => vec![format!("/api/scorecards/{id}")],
        _ => Vec::new(),
    }
}

/// Text safe inside a double-quoted attribute.
fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// What the app reads at start instead of asking (`Api::from_page` in src/api/mod.rs).
#[derive(serde::Serialize)]
struct Boot<'a> {
    mode: &'static str,
    session: &'a SessionInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    vocabulary: Option<&'a Vocabulary>,
}

/// JSON that cannot end its `<script>` element early: `<`, `>` and `&` appear only inside
/// strings there (a display name may hold `</script>`), where their `\u` escapes mean the same.
fn inert_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn without_config_preload(html: &str) -> String {
    let Some(at) = html.find("href=\"/config.json\"") else {
        return html.to_string();
    };
    let start = html[..at].rfind('<').unwrap_or(at);
    let end = html[at..].find('>').map_or(html.len(), |i| at + i + 1);
    format!("{}{}", &html[..start], &html[end..])
}

fn attribute_after(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(prefix)? + prefix.len();
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_string())
}

/// Every client route. The page carries who is signed in, so it is never stored, and a cache
/// that keeps it anyway keys it by the cookie: after signing out, Back shows no one's data.
/// Asset-like paths (a dot in the last segment) that name no file are missing, not a route:
/// a chunk gone after a deploy is a failed fetch the app reports, not a page of HTML.
pub async fn index_page(State(ctx): State<ApiContext>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') && last != "index.html" {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let Some(template) = ctx.index.template(&ctx.config.dist) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    // A database that does not answer still gets the app to its error state, not a JSON error
    // where a page was expected.
    let session = match crate::auth::session_info(&ctx, &headers).await {
        Ok(session) => Some(session),
        Err(e) => {
            tracing::warn!("the app's page without a session: {e}");
            None
        }
    };
    let reader = session.as_ref().and_then(|s| s.user.clone());
    let vocabulary = match reader {
        Some(reader) => ctx
            .db
            .view(move |store| workflow::vocabulary(store, &reader))
            .await
            .inspect_err(|e| tracing::warn!("the app's page without the vocabulary: {e}"))
            .ok(),
        None => None,
    };
    let path = if last == "index.html" { "/" } else { path };
    let query = uri.query().unwrap_or("");
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
            (VARY, "Cookie"),
        ],
        template.render(path, query, session.as_ref(), vocabulary.as_ref()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kappa_domain::Role;

    const BUILT: &str = concat!(
        "<head><link rel=\"preload\" href=\"/config.json\" as=\"fetch\" crossorigin />",
        "<meta name=\"kappa-pkg\" content=\"/pkg-0123456789abcdef/\">",
        "<meta name=\"kappa-routes\" content=\"[[&quot;/calls&quot;,[&quot;split_work.wasm&quot;,&quot;chunk_6.wasm&quot;]],",
        "[&quot;/calls/:id&quot;,[&quot;split_work.wasm&quot;]]]\">",
        "<script type=\"module\">start()</script></head><body></body>"
    );

    fn signed_out() -> SessionInfo {
        SessionInfo {
            user: None,
            demo: true,
            needs_admin: false,
        }
    }

    fn signed_in(role: Role) -> SessionInfo {
        SessionInfo {
            user: Some(User {
                id: 7,
                username: "someone".into(),
                display_name: "</script><script>alert(1)</script>".into(),
                role,
                team_id: None,
                active: true,
                agent_code: None,
            }),
            demo: false,
            needs_admin: false,
        }
    }

    #[test]
    fn the_page_carries_the_session_and_preloads_its_chunks_for_the_signed_in() {
        let template = IndexTemplate::parse(BUILT);
        let page = template.render("/calls", "", Some(&signed_out()), None);
        assert!(!page.contains("config.json"), "{page}");
        assert!(page.contains("content=\"[]\""), "{page}");
        assert!(page.contains(
            "<script type=\"application/json\" id=\"kappa-boot\">{\"mode\":\"server\",\"session\":{\"user\":null,\"demo\":true,\"needs_admin\":false}}</script>"
        ), "{page}");
        assert!(
            !page.contains(".wasm"),
            "signed out, every page sends to sign-in"
        );
        assert!(page.ends_with("<script type=\"module\">start()</script></head><body></body>"));

        let lead = signed_in(Role::Lead);
        let page = template.render("/calls", "", Some(&lead), None);
        assert!(page.contains("<link rel=\"preload\" href=\"/pkg-0123456789abcdef/split_work.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin><link rel=\"preload\" href=\"/pkg-0123456789abcdef/chunk_6.wasm\""), "{page}");
        assert_eq!(
            page.matches("<script").count(),
            2,
            "the display name stays text: {page}"
        );
        let detail = template.render("/calls/7", "", Some(&lead), None);
        assert_eq!(detail.matches(".wasm").count(), 1, "{detail}");
        for path in ["/", "/calls/", "/calls/7/x", "/signin"] {
            assert!(
                !template
                    .render(path, "", Some(&lead), None)
                    .contains(".wasm"),
                "{path}"
            );
        }
    }

    #[test]
    fn the_signed_in_page_carries_the_vocabulary_as_inert_text() {
        use kappa_domain::vocabulary::{Term, TermKind};
        let vocabulary = Vocabulary {
            terms: vec![Term {
                kind: TermKind::Queue,
                code: "vip".into(),
                name: kappa_domain::LocalizedText {
                    en: "</script><b>VIP".into(),
                    zh: "贵宾".into(),
                },
                active: true,
                revision: 1,
            }],
        };
        let lead = signed_in(Role::Lead);
        let page = IndexTemplate::parse(BUILT).render("/calls", "", Some(&lead), Some(&vocabulary));
        assert!(
            page.contains("\"vocabulary\":{\"terms\":[{\"kind\":\"queue\",\"code\":\"vip\""),
            "{page}"
        );
        assert!(page.contains("贵宾"), "{page}");
        assert_eq!(page.matches("<script").count(), 2, "{page}");
    }

    #[test]
    fn without_a_session_the_page_is_as_built_and_the_app_asks() {
        let page = IndexTemplate::parse(BUILT).render("/calls", "", None, None);
        assert!(
            !page.contains("kappa-boot") && !page.contains("rel=\"preload\""),
            "{page}"
        );
        assert!(page.ends_with("<script type=\"module\">start()</script></head><body></body>"));
    }

    #[test]
    fn nothing_in_the_session_can_end_its_script() {
        assert_eq!(
            inert_json(r#"{"name":"</script><script>alert(1)</script>&"}"#),
            r#"{"name":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u0026"}"#
        );
    }
}
