//! The one error body every failing response carries:
//! `{"error": {"code": "…", "message": "…"}}`.
//!
//! Handlers return [`ApiError`]; responses made elsewhere (axum's 405, the
//! body-limit layer's 413, extractor rejections) are rewritten into the same
//! shape by [`json_errors`], so a client never has to parse plain text.

use super::backend::ApiBackendError;
use axum::Json;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// How much of a non-JSON error body is kept as the message.
const MAX_MESSAGE_BYTES: usize = 1024;

#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    www_authenticate: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code_for(status),
            message: message.into(),
            www_authenticate: None,
        }
    }

    /// The status answered (the run page shows decisions' errors as pages).
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 401 with the RFC 6750 challenge; `error` is `Some("invalid_token")`
    /// when a token was sent but is not valid.
    pub(crate) fn unauthorized(message: impl Into<String>, invalid_token: bool) -> Self {
        ApiError {
            www_authenticate: Some(if invalid_token {
                r#"Bearer realm="driftcost", error="invalid_token""#
            } else {
                r#"Bearer realm="driftcost""#
            }),
            ..Self::new(StatusCode::UNAUTHORIZED, message)
        }
    }

    /// 413, whichever layer noticed: the limit layer (by `Content-Length`)
    /// or the body extractor (a chunked body that kept going).
    pub(crate) fn body_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request body is larger than the {} KiB limit",
                super::MAX_BODY_BYTES / 1024
            ),
        )
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            www_authenticate: Some(r#"Bearer realm="driftcost", error="insufficient_scope""#),
            ..Self::new(StatusCode::FORBIDDEN, message)
        }
    }
}

impl From<ApiBackendError> for ApiError {
    fn from(e: ApiBackendError) -> Self {
        // The cause goes to the log; the client learns only the kind.
        tracing::error!(error = %e, "backend call failed");
        match e {
            ApiBackendError::Unavailable(_) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the run store is unavailable; retry later",
            ),
            ApiBackendError::Internal(_) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; the server log has the cause",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response();
        if let Some(challenge) = self.www_authenticate {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        res
    }
}

#[cfg(test)]
pub(crate) fn code_for_status(status: StatusCode) -> &'static str {
    code_for(status)
}

/// Stable machine-readable codes, one per status the API sends.
fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable_entity",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_client_error() => "client_error",
        _ => "internal",
    }
}

/// Outermost response mapper: an error response that is not JSON yet (made
/// by axum or tower-http, not by a handler) gets the standard error body, its
/// plain-text reason kept as the message. Headers such as `Allow` stay.
pub(crate) async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    // HTML is the pages' own error page, written for people.
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|t| !t.is_empty());
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return with_json_body(parts, ApiError::body_too_large());
    }
    let message = match (status, text) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => {
            let allow = parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("method not allowed on this path; allowed: {allow}")
        }
        (_, Some(text)) => text,
        // Handlers' 503s are JSON already: a bare one is the timeout layer's.
        (StatusCode::SERVICE_UNAVAILABLE, None) => {
            "the request took longer than the server's time limit; retry later".into()
        }
        (s, None) => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    with_json_body(parts, ApiError::new(status, message))
}

/// The original status and headers with `error`'s JSON body.
fn with_json_body(mut parts: axum::http::response::Parts, error: ApiError) -> Response {
    let fresh = error.into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let (fresh_parts, body): (_, Body) = fresh.into_parts();
    if let Some(retry) = fresh_parts.headers.get(header::RETRY_AFTER) {
        parts
            .headers
            .entry(header::RETRY_AFTER)
            .or_insert(retry.clone());
    }
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_json(res: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn plain_text_errors_become_json_and_keep_headers() {
        let res = Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET,HEAD")
            .body(Body::empty())
            .unwrap();
        let res = json_errors(res).await;
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(res.headers()[header::ALLOW], "GET,HEAD");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        let v = body_json(res).await;
        assert_eq!(v["error"]["code"], "method_not_allowed");
        assert!(v["error"]["message"].as_str().unwrap().contains("GET,HEAD"));

        let res = Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("Invalid URL: bad id"))
            .unwrap();
        let v = body_json(json_errors(res).await).await;
        assert_eq!(v["error"]["code"], "bad_request");
        assert_eq!(v["error"]["message"], "Invalid URL: bad id");
    }

    #[tokio::test]
    async fn a_bare_503_is_the_timeout_and_says_so_with_retry_after() {
        let res = Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::empty())
            .unwrap();
        let res = json_errors(res).await;
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "5");
        let v = body_json(res).await;
        assert_eq!(v["error"]["code"], "unavailable");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("time limit"),
            "{v}"
        );
    }

    #[tokio::test]
    async fn successes_and_json_errors_pass_untouched() {
        let ok = Response::new(Body::from("ok"));
        let res = json_errors(ok).await;
        let bytes = axum::body::to_bytes(res.into_body(), 10).await.unwrap();
        assert_eq!(&bytes[..], b"ok");

        let res = json_errors(ApiError::not_found("no run 7").into_response()).await;
        let v = body_json(res).await;
        assert_eq!(v["error"]["message"], "no run 7");
    }

    #[tokio::test]
    async fn backend_errors_hide_their_cause() {
        let e: ApiError = ApiBackendError::Internal("password=hunter2 in DSN".into()).into();
        let res = e.into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let v = body_json(res).await;
        assert!(!v.to_string().contains("hunter2"));

        let res =
            ApiError::from(ApiBackendError::Unavailable("pool timed out".into())).into_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "5");
    }
}
