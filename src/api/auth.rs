//! Bearer-token authorization, run as route middleware so it happens before
//! any extractor reads the request body.
//!
//! The token never leaves this module: it is not logged, not echoed in error
//! messages, and is checked by the backend (which hashes it and compares in
//! constant time).

use super::backend::{ApiBackend, Caller, Role};
use super::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// State of one route group's guard: the backend and the role it requires.
pub(crate) struct Guard<B> {
    pub(crate) backend: Arc<B>,
    pub(crate) required: Role,
}

impl<B> Clone for Guard<B> {
    fn clone(&self) -> Self {
        Guard {
            backend: Arc::clone(&self.backend),
            required: self.required,
        }
    }
}

/// Middleware: 401 without a valid token, 403 when its role is too weak.
/// On success the [`Caller`] is in the request's extensions; a scan trigger
/// or an approval refused for too weak a role is recorded in the audit trail.
pub(crate) async fn require_role<B: ApiBackend>(
    State(guard): State<Guard<B>>,
    mut req: Request,
    next: Next,
) -> Response {
    match authorize(&*guard.backend, req.headers(), guard.required).await {
        Ok(caller) => {
            tracing::debug!(role = caller.role.as_str(), "authorized");
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err((e, caller)) => {
            if let Some(caller) = &caller
                && guard.required == Role::Approver
            {
                super::approvals::record_denied(
                    &*guard.backend,
                    caller,
                    crate::store::AuditVia::Api,
                    super::audit::remote(req.extensions()),
                    req.uri().path(),
                )
                .await;
            }
            if let Some(caller) = caller
                && guard.required == Role::Trigger
            {
                let workspace = req
                    .uri()
                    .path()
                    .strip_prefix("/v1/workspaces/")
                    .and_then(|p| p.strip_suffix("/scans"))
                    .map(str::to_string);
                super::audit::record_scan_denied(
                    &*guard.backend,
                    &caller,
                    super::audit::remote(req.extensions()),
                    workspace,
                )
                .await;
            }
            e.into_response()
        }
    }
}

/// The caller, or the error and (for a valid token of too weak a role) who it was.
async fn authorize<B: ApiBackend>(
    backend: &B,
    headers: &HeaderMap,
    required: Role,
) -> Result<Caller, (ApiError, Option<Caller>)> {
    let secret = bearer_token(headers).map_err(|e| (e, None))?;
    let caller = backend
        .identify(secret)
        .await
        .map_err(|e| (e.into(), None))?
        .ok_or_else(|| {
            (
                ApiError::unauthorized("the bearer token is not valid", true),
                None,
            )
        })?;
    if caller.role.allows(required) {
        Ok(caller)
    } else {
        Err((
            ApiError::forbidden(format!(
                "this needs a token with role `{}` or higher; this token has role `{}`",
                required.as_str(),
                caller.role.as_str()
            )),
            Some(caller),
        ))
    }
}

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive).
fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let missing = || {
        ApiError::unauthorized(
            "missing bearer token; send `Authorization: Bearer <token>` (tokens come from `driftcost token create`)",
            false,
        )
    };
    let value = headers.get(header::AUTHORIZATION).ok_or_else(missing)?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid ASCII", true))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(|| {
        ApiError::unauthorized("the Authorization header must be `Bearer <token>`", true)
    })?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::unauthorized(
            "the Authorization header must be `Bearer <token>`",
            true,
        ));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn reads_bearer_tokens() {
        assert_eq!(bearer_token(&with("Bearer abc")).unwrap(), "abc");
        assert_eq!(bearer_token(&with("bearer  abc ")).unwrap(), "abc");
        assert!(bearer_token(&HeaderMap::new()).is_err());
        assert!(bearer_token(&with("Basic dXNlcjpwdw==")).is_err());
        assert!(bearer_token(&with("Bearer")).is_err());
        assert!(bearer_token(&with("Bearer   ")).is_err());
    }

    #[test]
    fn error_messages_never_echo_the_token() {
        let e = bearer_token(&with("Token s3cr3t")).unwrap_err();
        assert!(!format!("{e:?}").contains("s3cr3t"));
    }
}
