//! The frame every page shares: document head, skip link, navigation
//! (landmarks: banner, navigation, main, contentinfo), the sign-out form,
//! security headers; and the HTML error pages.

use super::Viewer;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// The stylesheet, served at [`STYLE_PATH`].
pub(crate) const STYLESHEET: &str = include_str!("style.css");
pub(crate) const STYLE_PATH: &str = "/static/style.css";

/// Which navigation entry the page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Fleet,
    Audit,
    None,
}

/// A full page around `body`.
pub(crate) fn document(title: &str, nav: Nav, viewer: Option<&Viewer>, body: Markup) -> Markup {
    let current = |n: Nav| (nav == n).then_some("page");
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · driftcost" }
                link rel="stylesheet" href=(STYLE_PATH);
                // No favicon request (and no 404 in the console).
                link rel="icon" href="data:,";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header {
                    nav aria-label="Main" {
                        a.brand href="/" { "driftcost" }
                        a href="/" aria-current=[current(Nav::Fleet)] { "Fleet" }
                        a href="/audit" aria-current=[current(Nav::Audit)] { "Audit trail" }
                        @if let Some(v) = viewer {
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(v.csrf);
                                span.who { "Signed in (" (v.role.as_str()) ") " }
                                button.secondary type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    (body)
                }
                footer {
                    "driftcost · times in UTC · money is monthly, in USD"
                }
            }
        }
    }
}

/// `markup` as an HTML response with the pages' security headers.
pub(crate) fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut res = (status, markup.into_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// An error page: what happened and what to do.
pub(crate) fn error_page(
    status: StatusCode,
    viewer: Option<&Viewer>,
    title: &str,
    message: &str,
) -> Response {
    let body = html! {
        h1 { (title) }
        p { (message) }
        p { a href="/" { "Back to the fleet" } }
    };
    html_response(status, document(title, Nav::None, viewer, body))
}

/// 503/500 page for a store that did not answer; the cause goes to the log only.
pub(crate) fn backend_error(viewer: Option<&Viewer>, e: &crate::api::ApiBackendError) -> Response {
    tracing::error!(error = %e, "page could not read the run store");
    let status = match e {
        crate::api::ApiBackendError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        crate::api::ApiBackendError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let mut res = error_page(
        status,
        viewer,
        "The run store did not answer",
        "Try again in a moment; the server log has the cause.",
    );
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    res
}

/// The stylesheet response (open, cacheable for an hour).
pub(crate) fn stylesheet() -> Response {
    let mut res = STYLESHEET.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}
