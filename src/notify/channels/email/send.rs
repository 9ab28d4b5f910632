//! Email over SMTP (lettre): STARTTLS (required, never opportunistic),
//! implicit TLS, or no TLS for a local relay. One multipart/alternative
//! message with the plain-text and HTML bodies.
//!
//! The Message-ID is derived from the idempotency key, so a re-sent
//! notification carries the same id and mail tools can fold duplicates.

use super::render::email;
use super::{EmailTarget, SmtpSecurity};
use crate::notify::send::http::chain;
use crate::notify::send::retry::{Failure, with_retries};
use crate::notify::send::{Delivered, NotifyError, SendRequest, scrub, secret};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub(crate) async fn send(
    t: &EmailTarget,
    req: &SendRequest<'_>,
) -> Result<(Delivered, u32), NotifyError> {
    let (n, label, key, env, retry) = (req.n, req.label, req.key, req.env, req.retry);
    let config = |message: String| NotifyError::Config {
        target: label.to_string(),
        message,
    };
    let from: Mailbox = t.from.parse().map_err(|e| {
        config(format!(
            "`from` = {:?} is not an email address ({e})",
            t.from
        ))
    })?;
    if t.to.is_empty() {
        return Err(config("`to` is empty; list at least one recipient".into()));
    }
    let to: Vec<Mailbox> =
        t.to.iter()
            .map(|a| {
                a.parse()
                    .map_err(|e| config(format!("`to` entry {a:?} is not an email address ({e})")))
            })
            .collect::<Result<_, _>>()?;
    let credentials = match (&t.username_env, &t.password_env) {
        (Some(u), Some(p)) => Some((
            secret(env, label, u, "the SMTP user name")?,
            secret(env, label, p, "the SMTP password")?,
        )),
        (None, None) => None,
        _ => {
            return Err(config(
                "set both `username_env` and `password_env`, or neither".into(),
            ));
        }
    };
    if credentials.is_some() && t.security == SmtpSecurity::None {
        return Err(config(
            "refusing to send SMTP credentials without TLS; use security = \"starttls\" or \"tls\""
                .into(),
        ));
    }

    let body = email(n);
    let message_id = format!("<{key}@{}>", from.email.domain());
    let mut builder = Message::builder()
        .from(from)
        .subject(body.subject)
        .message_id(Some(message_id.clone()));
    for m in to {
        builder = builder.to(m);
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(body.text, body.html))
        .map_err(|e| config(format!("cannot build the message ({e})")))?;

    let transport = transport(t, credentials.clone())
        .map_err(|e| config(format!("`host` = {:?} is not usable ({e})", t.host)))?;
    let secrets: Vec<&str> = credentials
        .as_ref()
        .map(|(u, p)| vec![u.as_str(), p.as_str()])
        .unwrap_or_default();
    let (_, attempts) = with_retries(retry, label, || async {
        match transport.send(message.clone()).await {
            Ok(_) => Ok(()),
            Err(e) => Err(classify(&e, t, label, &secrets)),
        }
    })
    .await?;
    Ok((Delivered::Email { message_id }, attempts))
}

fn transport(
    t: &EmailTarget,
    credentials: Option<(String, String)>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let builder = match t.security {
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&t.host)?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&t.host)?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&t.host),
    };
    let mut builder = builder
        .port(t.port())
        .timeout(Some(Duration::from_secs(30)));
    if let Some((user, password)) = credentials {
        builder = builder.credentials(Credentials::new(user, password));
    }
    Ok(builder.build())
}

/// lettre reports a failed TLS handshake (wrong `security` for the port, a
/// certificate the server's name does not match) as a connection error; it is
/// a configuration problem that retrying cannot fix.
fn tls_failure(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(err) = next {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        next = err.source();
    }
    false
}

/// SMTP 4xx, timeouts and connection problems are retried; 5xx, TLS and
/// authentication problems need a person.
fn classify(
    e: &lettre::transport::smtp::Error,
    t: &EmailTarget,
    label: &str,
    secrets: &[&str],
) -> Failure {
    let message = scrub(&chain(e), secrets);
    let code = e.status().map(|c| c.to_string());
    let auth_code = matches!(code.as_deref(), Some("530" | "534" | "535" | "538"));
    if auth_code || (e.is_client() && message.contains("authentication")) {
        return Failure::Permanent(NotifyError::SmtpAuth {
            target: label.to_string(),
            message,
            username_env: t
                .username_env
                .clone()
                .unwrap_or_else(|| "(username_env)".into()),
            password_env: t
                .password_env
                .clone()
                .unwrap_or_else(|| "(password_env)".into()),
        });
    }
    if e.is_permanent() {
        return Failure::Permanent(NotifyError::SmtpRejected {
            target: label.to_string(),
            message,
        });
    }
    if e.is_tls() || e.is_client() || tls_failure(e) {
        return Failure::Permanent(NotifyError::Config {
            target: label.to_string(),
            message: format!(
                "{message}; check `security` (starttls on 587, tls on 465) and the server's certificate"
            ),
        });
    }
    Failure::Transient {
        reason: format!("SMTP: {message}"),
        after: None,
    }
}
