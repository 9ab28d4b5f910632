//! `/login` (paste an API token once; a session cookie follows) and
//! `/logout`. After sign-in the browser goes back to `next` when it is a
//! path on this site (`/login?next=/runs/42`), else to `/`.

use super::audit::{self, Event};
use super::layout::{Nav, document, error_page, html_response};
use super::session::{
    self, LOGIN_CSRF_COOKIE, LOGIN_FORM_TTL, SESSION_COOKIE, SESSION_KEY_ENV, SESSION_TTL,
};
use super::{PagesState, csrf_refused, current, now_unix, safe_next, see_other};
use crate::api::backend::ApiBackend;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginForm {
    token: Option<String>,
    csrf: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogoutForm {
    csrf: Option<String>,
}

fn sign_in_disabled() -> Response {
    error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        "Sign-in is not available",
        &format!(
            "The server has no usable session key. Set {SESSION_KEY_ENV} to at least 32 random characters (or unset it) and restart `driftcost serve`; the server log says what is wrong."
        ),
    )
}

/// The form, with a fresh double-submit token in a cookie and a field.
fn form_page<B>(
    state: &PagesState<B>,
    headers: &HeaderMap,
    next: &str,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let Some(key) = &state.key else {
        return sign_in_disabled();
    };
    let Some(token) = session::login_token(key, now_unix()) else {
        return sign_in_disabled();
    };
    let body = html! {
        h1 { "Sign in" }
        @if let Some(p) = problem { div.alert role="alert" { p { (p) } } }
        form.login method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            label for="token" { "API token" }
            input #token type="password" name="token" required autocomplete="current-password"
                aria-describedby="token-help" spellcheck="false";
            p #token-help .muted {
                "Paste a token from " code { "driftcost token create" } ". It is checked once; the browser then keeps a sign-in cookie for "
                (SESSION_TTL.as_secs() / 3600) " hours, never the token."
            }
            button type="submit" { "Sign in" }
        }
    };
    let mut res = html_response(status, document("Sign in", Nav::None, None, body));
    res.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(
            LOGIN_CSRF_COOKIE,
            &token,
            LOGIN_FORM_TTL,
            session::over_tls(headers),
        ),
    );
    res
}

pub(crate) async fn form<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let next = safe_next(q.next.as_deref()).to_string();
    if let Ok(Some(_)) = current(&state, &headers).await {
        return see_other(&next);
    }
    form_page(&state, &headers, &next, None, StatusCode::OK)
}

pub(crate) async fn submit<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Some(key) = state.key.clone() else {
        return sign_in_disabled();
    };
    let f = form.map(|Form(f)| f).unwrap_or_default();
    let next = safe_next(f.next.as_deref()).to_string();
    let cookie = session::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let field = f.csrf.as_deref().unwrap_or_default();
    if !session::login_token_ok(&key, cookie, field, now_unix()) {
        sign_in_failed(&state, &headers, "sign-in form token missing or invalid").await;
        return csrf_refused(None);
    }
    let secret = f.token.as_deref().map(str::trim).unwrap_or_default();
    let role = if secret.is_empty() {
        None
    } else {
        match state.backend.verify_token(secret).await {
            Ok(r) => r,
            Err(e) => return super::layout::backend_error(None, &e),
        }
    };
    let Some(role) = role else {
        sign_in_failed(&state, &headers, "token unknown or revoked").await;
        return form_page(
            &state,
            &headers,
            &next,
            Some(
                "That token is not valid: it is unknown or was revoked. Check that you pasted all of it.",
            ),
            StatusCode::UNAUTHORIZED,
        );
    };
    let Some(value) = session::issue(&key, &session::token_sha256(secret), now_unix()) else {
        return sign_in_disabled();
    };
    let actor = match state.backend.identify(secret).await {
        Ok(Some(c)) if !c.label.is_empty() => c.label,
        _ => format!("{} token", role.as_str()),
    };
    audit::record(
        &*state.backend,
        &actor,
        &Event {
            action: "sign_in",
            role: Some(role),
            remote: audit::remote(&headers),
            workspace: None,
            target: None,
            result: "ok",
            detail: None,
        },
    )
    .await;
    let tls = session::over_tls(&headers);
    let mut res = see_other(&next);
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, &value, SESSION_TTL, tls),
    );
    h.append(
        header::SET_COOKIE,
        session::set_cookie(LOGIN_CSRF_COOKIE, "", Duration::ZERO, tls),
    );
    res
}

/// Records a refused sign-in: who is unknown, so the actor is `anonymous`;
/// `why` says which check refused it (never the token).
async fn sign_in_failed<B: ApiBackend>(state: &PagesState<B>, headers: &HeaderMap, why: &str) {
    audit::record(
        &*state.backend,
        "anonymous",
        &Event {
            action: "sign_in_failed",
            role: None,
            remote: audit::remote(headers),
            workspace: None,
            target: None,
            result: "denied",
            detail: Some(why),
        },
    )
    .await;
}

pub(crate) async fn logout<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let viewer = match current(&state, &headers).await {
        Ok(Some(v)) => v,
        Ok(None) => return see_other("/login"),
        Err(res) => return res,
    };
    let csrf = form.ok().and_then(|Form(f)| f.csrf);
    if !super::csrf_ok(&state, &viewer, csrf.as_deref()) {
        return csrf_refused(Some(&viewer));
    }
    let mut res = see_other("/login");
    res.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(
            SESSION_COOKIE,
            "",
            Duration::ZERO,
            session::over_tls(&headers),
        ),
    );
    res
}
