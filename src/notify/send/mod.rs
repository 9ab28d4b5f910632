//! Delivering one notification to one target: the shared part (errors,
//! idempotency keys, secrets from the environment, bounded retries in
//! [`retry`], HTTP posting in `http`); each channel's own `send.rs` under
//! [`super::channels`] does the rest.
//!
//! Every error names the target ([`Target::label`]) and what to fix. Secrets
//! (tokens, passwords, webhook URLs, signing keys) are read from the
//! environment at send time, never logged, and scrubbed from any server
//! answer quoted in an error.

pub(crate) mod http;
pub mod retry;

pub use retry::{Clock, Retry, SystemClock};

use super::channels::Target;
use super::message::Notification;
use crate::env::Env;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// What a successful delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub target: String,
    /// 1 when the first attempt succeeded.
    pub attempts: u32,
    pub outcome: Delivered,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Accepted by the SMTP server.
    Email {
        message_id: String,
    },
    /// Slack or the webhook receiver answered 2xx.
    Http {
        status: u16,
    },
    IssueOpened {
        number: u64,
        url: String,
    },
    IssueUpdated {
        number: u64,
    },
    IssueCommented {
        number: u64,
    },
    IssueClosed {
        number: u64,
    },
    /// Nothing to do on this channel (e.g. resolved drift with no open issue).
    Skipped {
        reason: String,
    },
}

/// Why a notification was not delivered. Only [`NotifyError::GaveUp`] is
/// worth sending again later ([`NotifyError::is_retryable`]); the others need
/// someone to change the configuration or the environment first.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("{target}: environment variable {var} is not set or empty; set it to {what}")]
    MissingEnv {
        target: String,
        var: String,
        what: &'static str,
    },
    #[error("{target}: {message}")]
    Config { target: String, message: String },
    #[error(
        "{target}: SMTP authentication failed ({message}); check the user and password in {username_env} and {password_env}"
    )]
    SmtpAuth {
        target: String,
        message: String,
        username_env: String,
        password_env: String,
    },
    #[error(
        "{target}: the SMTP server refused the message ({message}); check the from/to addresses and the server's relay rules"
    )]
    SmtpRejected { target: String, message: String },
    #[error("{target}: HTTP {status}: {message}; {hint}")]
    Http {
        target: String,
        status: u16,
        message: String,
        hint: String,
    },
    #[error("{target}: gave up after {attempts} attempt{}: {last}", if *attempts == 1 { "" } else { "s" })]
    GaveUp {
        target: String,
        attempts: u32,
        last: String,
        /// What the server asked to wait, when it was too long to wait in place.
        retry_after: Option<Duration>,
    },
}

impl NotifyError {
    /// The failure was temporary (server errors, rate limits, connection
    /// problems): the outbox should try again later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, NotifyError::GaveUp { .. })
    }

    /// The server's `Retry-After`, when it asked for more than the retry loop waits.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            NotifyError::GaveUp { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// What a channel's `send` is given besides its own config: the
/// notification, the target's label (for errors and logs), the idempotency
/// key, where secrets are read, and how to retry.
#[derive(Clone, Copy)]
pub(crate) struct SendRequest<'a> {
    pub n: &'a Notification,
    pub label: &'a str,
    pub key: &'a str,
    pub env: &'a Env,
    pub retry: &'a Retry,
}

/// Sends `n` to `target` with the default retries ([`Retry::default`]).
pub async fn deliver(
    target: &Target,
    n: &Notification,
    env: &Env,
) -> Result<Delivery, NotifyError> {
    deliver_with(target, n, env, &Retry::default()).await
}

/// Sends `n` to `target`, retrying as `retry` says.
pub async fn deliver_with(
    target: &Target,
    n: &Notification,
    env: &Env,
    retry: &Retry,
) -> Result<Delivery, NotifyError> {
    let label = target.label();
    let key = idempotency_key(n, target);
    let request = SendRequest {
        n,
        label: &label,
        key: &key,
        env,
        retry,
    };
    let (outcome, attempts) = target.send(&request).await?;
    tracing::info!(target = %label, workspace = %n.workspace, kind = n.kind.as_str(), attempts, "notification delivered");
    Ok(Delivery {
        target: label,
        attempts,
        outcome,
    })
}

/// Stable for one notification to one target, so a receiver can drop the
/// duplicate an at-least-once outbox may send: sha256 of run id, kind,
/// workspace and target, hex.
pub fn idempotency_key(n: &Notification, target: &Target) -> String {
    let text = format!(
        "driftcost-notification-v1\n{}\n{}\n{}\n{}",
        n.run_id,
        n.kind.as_str(),
        n.workspace,
        target.label()
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Reads a secret named in the config.
pub(crate) fn secret(
    env: &Env,
    target: &str,
    var: &str,
    what: &'static str,
) -> Result<String, NotifyError> {
    env.var(var).ok_or_else(|| NotifyError::MissingEnv {
        target: target.to_string(),
        var: var.to_string(),
        what,
    })
}

/// Every secret (and, for webhook URLs, its URL path) is taken out of text
/// quoted from a server or a client library.
pub(crate) use crate::error_chain::scrub;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::channels::{SlackTarget, WebhookTarget};
    use crate::notify::render::tests::detected;

    #[test]
    fn idempotency_key_is_stable_per_notification_and_target() {
        let n = detected();
        let slack = Target::Slack(SlackTarget {
            webhook_url_env: "S".into(),
        });
        let hook = Target::Webhook(WebhookTarget {
            url_env: "U".into(),
            secret_env: "K".into(),
        });
        let k = idempotency_key(&n, &slack);
        assert_eq!(k, idempotency_key(&n.clone(), &slack));
        assert_eq!(k.len(), 64);
        assert_ne!(k, idempotency_key(&n, &hook));
        let mut later = n.clone();
        later.run_id = "run-43".into();
        assert_ne!(k, idempotency_key(&later, &slack));
    }

    #[test]
    fn errors_say_what_to_fix() {
        let e = secret(
            &Env::fixed([("A", "")]),
            "slack ($A)",
            "A",
            "the Slack incoming webhook URL",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "slack ($A): environment variable A is not set or empty; set it to the Slack incoming webhook URL"
        );
        assert!(!e.is_retryable());
        assert_eq!(
            scrub(
                "error for https://hooks.slack.com/services/T0/B0/xyzzy",
                &["https://hooks.slack.com/services/T0/B0/xyzzy"]
            ),
            "error for ***"
        );
    }
}
