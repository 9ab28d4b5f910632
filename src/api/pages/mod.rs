//! The web pages of `serve`: server-rendered HTML (maud escapes every value
//! by default), one stylesheet, no script, inline SVG charts with their
//! numbers beside them.
//!
//! - `/` the fleet, `/workspaces/{name}` one workspace, `/runs/{id}` one run,
//!   `/audit` the audit trail; `/login` and `/logout`; `POST
//!   /workspaces/{name}/scan` is the "Scan now" button; `POST
//!   /runs/{id}/decide` the approve/reject form of a run (role approver).
//! - Sign-in: an API token pasted once on `/login` becomes a signed session
//!   cookie (`session.rs`). Pages need role `read`, "Scan now" `trigger`, as
//!   the API does; the bearer API is unchanged. A page opened without a
//!   session redirects to `/login?next=<the page>` and back after sign-in.
//! - Every form carries a CSRF token; a POST without a valid one is refused
//!   with 403 and changes nothing.
//! - Pages read only through [`ApiBackend`], like the JSON API.

mod audit;
mod charts;
mod fleet;
mod format;
mod layout;
mod login;
mod run;
pub(crate) mod session;
mod view;
mod workspace;

use super::backend::{ApiBackend, Role};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use session::{SESSION_COOKIE, Session, SessionKey};
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// What every page handler gets.
pub(crate) struct PagesState<B> {
    pub(crate) backend: Arc<B>,
    /// `None` when no usable key exists: every sign-in is refused.
    pub(crate) key: Option<SessionKey>,
}

impl<B> Clone for PagesState<B> {
    fn clone(&self) -> Self {
        PagesState {
            backend: Arc::clone(&self.backend),
            key: self.key.clone(),
        }
    }
}

/// A signed-in person: the role of their token (read live) and the CSRF
/// token their forms carry.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub(crate) role: Role,
    pub(crate) csrf: String,
    pub(crate) session: Session,
}

/// The page routes over `backend`; each answers 503 after `timeout`.
pub(crate) fn router<B: ApiBackend>(backend: Arc<B>, timeout: Duration) -> Router {
    let state = PagesState {
        backend,
        key: session::process_key(),
    };
    Router::new()
        .route("/", get(fleet::page::<B>))
        .route("/workspaces/{name}", get(workspace::page::<B>))
        .route("/workspaces/{name}/scan", post(workspace::scan::<B>))
        .route("/runs/{id}", get(run::page::<B>))
        .route("/runs/{id}/decide", post(run::decide::<B>))
        .route("/audit", get(audit::page::<B>))
        .route("/login", get(login::form::<B>).post(login::submit::<B>))
        .route("/logout", post(login::logout::<B>))
        .route(layout::STYLE_PATH, get(|| async { layout::stylesheet() }))
        .route_layer(RequestBodyLimitLayer::new(super::MAX_BODY_BYTES))
        .route_layer(DefaultBodyLimit::max(super::MAX_BODY_BYTES))
        .route_layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .with_state(state)
}

pub(crate) fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The session of this request, if its cookie is valid and its token live;
/// the token's current role comes from the backend.
async fn current<B: ApiBackend>(
    state: &PagesState<B>,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, Response> {
    let (Some(key), Some(value)) = (&state.key, session::cookie(headers, SESSION_COOKIE)) else {
        return Ok(None);
    };
    let Some(session) = session::open(key, value, now_unix()) else {
        return Ok(None);
    };
    let role = state
        .backend
        .verify_token_sha256(&session.token_sha256)
        .await
        .map_err(|e| layout::backend_error(None, &e))?;
    Ok(role.map(|role| Viewer {
        role,
        csrf: session.csrf(key),
        session,
    }))
}

/// The viewer of a page that needs `required`: without a session, a
/// redirect to sign-in that comes back to `uri`; with too weak a role, 403.
pub(crate) async fn require<B: ApiBackend>(
    state: &PagesState<B>,
    headers: &HeaderMap,
    uri: &Uri,
    required: Role,
) -> Result<Viewer, Response> {
    match current(state, headers).await? {
        Some(v) if v.role.allows(required) => Ok(v),
        Some(v) => Err(forbidden(&v, required)),
        None => Err(to_login(uri, headers)),
    }
}

pub(crate) fn forbidden(v: &Viewer, required: Role) -> Response {
    layout::error_page(
        StatusCode::FORBIDDEN,
        Some(v),
        "Not allowed with this token",
        &format!(
            "This needs a token with role `{}` or higher; you signed in with a `{}` token. Sign out and sign in with a stronger one.",
            required.as_str(),
            v.role.as_str()
        ),
    )
}

/// 303 to `/login?next=<path and query>`; a stale session cookie is cleared.
fn to_login(uri: &Uri, headers: &HeaderMap) -> Response {
    let next = uri.path_and_query().map_or("/", |p| p.as_str());
    let location = format!("/login?next={}", format::query_value(next));
    let mut res = see_other(&location);
    if session::cookie(headers, SESSION_COOKIE).is_some() {
        res.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(
                SESSION_COOKIE,
                "",
                Duration::ZERO,
                session::over_tls(headers),
            ),
        );
    }
    res
}

/// A 303 See Other to a same-site path.
pub(crate) fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// 403 for a form whose CSRF token is missing or wrong.
pub(crate) fn csrf_refused(viewer: Option<&Viewer>) -> Response {
    layout::error_page(
        StatusCode::FORBIDDEN,
        viewer,
        "The form could not be accepted",
        "It was not sent from a page of this site, or it is too old. Reload the page and try again.",
    )
}

/// Whether a form's CSRF field belongs to the viewer's session.
pub(crate) fn csrf_ok<B>(state: &PagesState<B>, viewer: &Viewer, field: Option<&str>) -> bool {
    match (&state.key, field) {
        (Some(key), Some(f)) => viewer.session.csrf_ok(key, f),
        _ => false,
    }
}

/// Where to go after sign-in: `next` only when it is a path on this site
/// (`/…`, not `//host` or `/\host`, no control characters), else `/`.
pub(crate) fn safe_next(next: Option<&str>) -> &str {
    let Some(n) = next else { return "/" };
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && !n.starts_with("/\\")
        && n.len() <= 2048
        && !n
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace())
        && !n.starts_with("/login")
        && !n.starts_with("/logout");
    if ok { n } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_only_a_same_site_path() {
        assert_eq!(safe_next(Some("/runs/42")), "/runs/42");
        assert_eq!(safe_next(Some("/?q=prod&sort=cost")), "/?q=prod&sort=cost");
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "javascript:alert(1)",
            "runs/42",
            "",
            "/login?next=/x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
