//! The one GitHub REST client of the crate, shared by the issue sender in
//! `notify`, the comment bot in `comment` and drift PRs in `codify`: how the
//! client is built (token, GitHub Enterprise base URL, timeouts), how one call
//! is made and its answer read, how an octocrab error reads in our messages,
//! and how the token is kept out of every message.
//!
//! Each caller keeps only what is its own: the routes it calls, what a status
//! means for it (hints, retries) and its error type.

use crate::error_chain::{excerpt, scrub};
use octocrab::Octocrab;
use serde_json::Value;
use std::time::Duration;

/// octocrab's error with its causes on one line, without the backtrace some
/// variants append (it would bury the one line users need).
pub(crate) fn error_text(e: &octocrab::Error) -> String {
    let s = crate::error_chain::error_chain(e);
    match s.find("\n\nFound at") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `api_url` without a trailing slash, if it is an http(s) URL with a host:
/// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise.
/// The error is the reason to show next to the URL.
pub(crate) fn api_base(api_url: &str) -> Result<&str, String> {
    let api_url = api_url.trim_end_matches('/');
    let host = api_url
        .strip_prefix("https://")
        .or_else(|| api_url.strip_prefix("http://"))
        .and_then(|rest| rest.split('/').next());
    if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
        return Err("expected https://api.github.com or https://HOST/api/v3".into());
    }
    Ok(api_url)
}

/// `OWNER/NAME` split in two, if both parts are names GitHub allows.
pub(crate) fn parse_repo(s: &str) -> Option<(&str, &str)> {
    let (owner, name) = s.split_once('/')?;
    (is_name(owner) && is_name(name)).then_some((owner, name))
}

fn is_name(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

/// Why a client could not be made; the reason to show next to the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientError {
    /// The API URL is not one octocrab accepts.
    BadUrl(String),
    /// The HTTP client itself could not be built.
    Build(String),
}

/// A call that got no usable answer. The text is already scrubbed of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// Nothing came back (connection, timeout, reading the body).
    Network(String),
    /// A 2xx answer that is not JSON: the API URL points somewhere else.
    NotJson(String),
}

/// One answer from GitHub. `body` is the JSON answer (null when empty, or when
/// an error answer is not JSON); `message` is GitHub's `message` on an error
/// answer, else the start of the answer, with the token scrubbed.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
    pub message: String,
    /// The `Link` header (pagination).
    pub link: Option<String>,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    /// `X-RateLimit-Remaining: 0`.
    pub rate_limited: bool,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A GitHub REST client for one token.
pub(crate) struct GithubClient {
    rest: Octocrab,
    token: String,
}

impl GithubClient {
    /// A client for `api_url` (`https://api.github.com`, GitHub Enterprise's
    /// `https://HOST/api/v3`, or its `https://HOST/api` for GraphQL), with
    /// 10 s to connect and 30 s to read or write.
    pub fn new(api_url: &str, token: &str) -> Result<Self, ClientError> {
        let rest = Octocrab::builder()
            .personal_token(token.to_string())
            .base_uri(api_url)
            .map_err(|e| ClientError::BadUrl(error_text(&e)))?
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(30)))
            .set_write_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| ClientError::Build(error_text(&e)))?;
        Ok(GithubClient {
            rest,
            token: token.to_string(),
        })
    }

    /// One request to `route` (a path below the API URL). Any status is an
    /// [`Answer`]; what a status means is the caller's to say.
    pub async fn call(
        &self,
        method: Method,
        route: &str,
        body: Option<&Value>,
    ) -> Result<Answer, CallError> {
        let c = &self.rest;
        let sent = match method {
            Method::Get => c._get(route).await,
            Method::Post => c._post(route, body).await,
            Method::Patch => c._patch(route, body).await,
            Method::Put => c._put(route, body).await,
            Method::Delete => c._delete(route, body).await,
        };
        let resp = sent.map_err(|e| CallError::Network(self.scrub(&error_text(&e))))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let link = header("link");
        let retry_after = header("retry-after");
        let rate_limited = resp
            .headers()
            .get("x-ratelimit-remaining")
            .is_some_and(|v| v.as_bytes() == b"0");
        let text = c.body_to_string(resp).await.map_err(|e| {
            CallError::Network(format!(
                "reading GitHub's answer: {}",
                self.scrub(&error_text(&e))
            ))
        })?;
        let mut answer = Answer {
            status,
            body: Value::Null,
            message: String::new(),
            link,
            retry_after,
            rate_limited,
        };
        if answer.is_success() {
            if !text.trim().is_empty() {
                answer.body = serde_json::from_str(&text).map_err(|e| {
                    CallError::NotJson(format!("GitHub's answer is not JSON ({e})"))
                })?;
            }
            return Ok(answer);
        }
        answer.body = serde_json::from_str(&text).unwrap_or(Value::Null);
        let message = answer.body["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| excerpt(&text));
        answer.message = self.scrub(&message);
        Ok(answer)
    }

    /// GitHub never echoes the token, but a proxy's error page might.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, &[&self.token])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_must_be_owner_slash_name() {
        assert_eq!(parse_repo("acme/infra"), Some(("acme", "infra")));
        assert_eq!(
            parse_repo("acme/infra.github.io"),
            Some(("acme", "infra.github.io"))
        );
        for bad in [
            "acme",
            "/infra",
            "acme/",
            "acme/in fra",
            "acme/infra/x",
            "a;b/c",
        ] {
            assert_eq!(parse_repo(bad), None, "{bad}");
        }
    }
}
