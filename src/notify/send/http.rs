//! One POST of a JSON body, classified for the retry loop; shared by Slack
//! and the generic webhook.

use super::NotifyError;
use super::retry::{Failure, Retry, http_transient, with_retries};
use super::scrub;
use crate::error_chain::excerpt;
use std::sync::OnceLock;
use std::time::Duration;

/// One client for the process: connection pools and TLS setup are reused.
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("driftcost/", env!("CARGO_PKG_VERSION")))
            // A webhook URL is a credential; never follow it elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client builds (rustls with aws-lc-rs)")
    })
}

/// What the status code means for the person fixing the configuration.
pub(crate) type Hint = fn(u16) -> String;

/// POSTs `body` with `headers` until delivered, returning the status and attempts.
pub(crate) async fn post(
    target: &str,
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
    secrets: &[&str],
    hint: Hint,
    retry: &Retry,
) -> Result<(u16, u32), NotifyError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| NotifyError::Config {
        target: target.to_string(),
        message: format!("the URL in its environment variable is not valid ({e})"),
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(NotifyError::Config {
            target: target.to_string(),
            message: "the URL in its environment variable must start with https://".into(),
        });
    }
    with_retries(retry, target, || {
        let mut req = client()
            .post(parsed.clone())
            .header("content-type", "application/json")
            .body(body.clone());
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        async move {
            let resp = req.send().await.map_err(|e| Failure::Transient {
                reason: scrub(&chain(&e.without_url()), secrets),
                after: None,
            })?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            if resp.status().is_success() {
                return Ok(status);
            }
            let text = resp.text().await.unwrap_or_default();
            let message = scrub(&excerpt(&text), secrets);
            match http_transient(status, retry_after.as_deref(), retry.clock.now()) {
                Some(after) => Err(Failure::Transient {
                    reason: format!("HTTP {status}: {message}"),
                    after,
                }),
                None => Err(Failure::Permanent(NotifyError::Http {
                    target: target.to_string(),
                    status,
                    message,
                    hint: hint(status),
                })),
            }
        }
    })
    .await
}

pub(crate) use crate::error_chain::error_chain as chain;
