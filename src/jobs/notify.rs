//! `[notify.<name>]` sections: the notification targets a job file defines
//! and its workspaces name in `notify = [...]`.
//!
//! ```toml
//! [notify.platform-email]
//! kind = "email"
//! to = ["platform@example.com"]
//! from = "driftcost <driftcost@example.com>"
//! smtp_host = "smtp.example.com"
//! tls = "starttls"               # or "implicit" (port 465) or "none" (local relays only)
//! username_env = "SMTP_USERNAME"
//! password_env = "SMTP_PASSWORD"
//!
//! [notify.slack-infra]
//! kind = "slack"
//! url_env = "SLACK_INFRA_WEBHOOK_URL"   # the URL is a secret: by env name
//! reminder = "24h"
//! ```
//! Every secret (password, token, webhook URL, HMAC key) is given as the name
//! of an environment variable (`*_env`); a field that would hold the value
//! itself is refused with the line and the `*_env` field to use instead.

use super::{Ctx, env_name_problem, show};
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;
use toml::{Spanned, Value};

/// A notification target as the job file defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyTarget {
    pub name: String,
    pub kind: NotifyKind,
    /// Notify again about drift still open after this long; `None`: only on change.
    pub reminder: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NotifyKind {
    Email(EmailTarget),
    Slack(SlackTarget),
    Webhook(WebhookTarget),
    GithubIssue(GithubIssueTarget),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmailTarget {
    pub to: Vec<String>,
    pub from: String,
    pub smtp_host: String,
    /// Defaults by `tls`: 587 starttls, 465 implicit, 25 none.
    pub smtp_port: u16,
    pub tls: SmtpTls,
    pub username_env: Option<String>,
    pub password_env: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    StartTls,
    Implicit,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlackTarget {
    /// Env variable holding the incoming-webhook URL.
    pub url_env: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebhookTarget {
    pub url_env: String,
    /// Env variable holding the HMAC-SHA256 signing key: webhooks are always
    /// signed, so a target without it is refused at load (by `jobs check`
    /// and the worker alike: this type cannot hold one).
    pub secret_env: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GithubIssueTarget {
    /// `owner/name`.
    pub repo: String,
    pub token_env: String,
    pub labels: Vec<String>,
    /// GitHub Enterprise API root, e.g. `https://github.example.com/api/v3`.
    pub base_url: Option<String>,
}

pub(super) type RawTarget = BTreeMap<Spanned<String>, Spanned<Value>>;

const KINDS: &str = "\"email\", \"slack\", \"webhook\" or \"github_issue\"";

fn fields_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "email" => &[
            "kind",
            "reminder",
            "to",
            "from",
            "smtp_host",
            "smtp_port",
            "tls",
            "username_env",
            "password_env",
        ],
        "slack" => &["kind", "reminder", "url_env"],
        "webhook" => &["kind", "reminder", "url_env", "secret_env"],
        "github_issue" => &[
            "kind",
            "reminder",
            "repo",
            "token_env",
            "labels",
            "base_url",
        ],
        _ => &[],
    }
}

/// A key that would carry a secret value rather than the name of the
/// variable holding it.
fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if k.ends_with("_env") {
        return false;
    }
    const WORDS: [&str; 10] = [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "credential",
        "auth",
        "hmac",
    ];
    WORDS.iter().any(|w| k.contains(w)) || k == "url" || (k.ends_with("_url") && k != "base_url")
}

fn secret_hint(kind: &str, key: &str) -> String {
    let known = fields_of(kind);
    let k = key.to_ascii_lowercase();
    let field = if k == "url" || k.ends_with("_url") {
        "url_env".to_string()
    } else if let Some(f) = known
        .iter()
        .find(|f| f.ends_with("_env") && k.contains(f.trim_end_matches("_env")))
    {
        f.to_string()
    } else {
        format!("{k}_env")
    };
    let example = match (kind, field.as_str()) {
        ("email", "password_env") => "SMTP_PASSWORD".to_string(),
        ("email", "username_env") => "SMTP_USERNAME".to_string(),
        ("slack", "url_env") => "SLACK_WEBHOOK_URL".to_string(),
        ("webhook", "url_env") => "DRIFT_WEBHOOK_URL".to_string(),
        ("webhook", "secret_env") => "DRIFT_WEBHOOK_SECRET".to_string(),
        ("github_issue", "token_env") => "GITHUB_TOKEN".to_string(),
        _ => field.trim_end_matches("_env").to_ascii_uppercase(),
    };
    let what = if k.contains("url") {
        "a webhook URL is a secret (anyone holding it can post)"
    } else {
        "this would put a secret in the job file"
    };
    format!(
        "{what}; put the value in an environment variable and name the variable instead: `{field} = \"{example}\"`"
    )
}

pub(super) fn parse_target(
    ctx: &mut Ctx,
    name: &str,
    table_span: Range<usize>,
    raw: &RawTarget,
) -> Option<NotifyTarget> {
    let field_name = |k: &str| format!("notify.{name}.{k}");
    let get = |k: &str| raw.iter().find(|(key, _)| key.get_ref() == k);
    let Some((_, kind_v)) = get("kind") else {
        ctx.invalid(
            table_span,
            &format!("notify.{name}"),
            format!("missing `kind`; expected kind = {KINDS}"),
        );
        return None;
    };
    let kind = match kind_v.get_ref().as_str() {
        Some(k) if !fields_of(k).is_empty() => k.to_string(),
        _ => {
            ctx.invalid(
                kind_v.span(),
                &field_name("kind"),
                format!(
                    "`{}` is not a notification kind; expected {KINDS}",
                    show(kind_v.get_ref())
                ),
            );
            return None;
        }
    };
    let errors_before = ctx.errors.len();
    for key in raw.keys() {
        let k = key.get_ref();
        if looks_secret(k) {
            ctx.invalid(key.span(), &field_name(k), secret_hint(&kind, k));
        } else if !fields_of(&kind).contains(&k.as_str()) {
            ctx.invalid(
                key.span(),
                &field_name(k),
                format!(
                    "unknown field for kind \"{kind}\"; expected one of: {}",
                    fields_of(&kind).join(", ")
                ),
            );
        }
    }

    // Typed accessors: each records its own error and yields None.
    let string = |ctx: &mut Ctx, k: &str, required: bool| -> Option<String> {
        match get(k) {
            None => {
                if required {
                    ctx.invalid(
                        table_span.clone(),
                        &field_name(k),
                        format!("missing; kind \"{kind}\" needs `{k}`"),
                    );
                }
                None
            }
            Some((_, v)) => match v.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => {
                    ctx.invalid(
                        v.span(),
                        &field_name(k),
                        "must be a non-empty string".into(),
                    );
                    None
                }
            },
        }
    };
    let env = |ctx: &mut Ctx, k: &str, s: Option<String>| -> Option<String> {
        let n = s?;
        if let Some(problem) = env_name_problem(&n) {
            let (_, v) = get(k).expect("present when a value was read");
            ctx.invalid(v.span(), &field_name(k), problem);
            return None;
        }
        Some(n)
    };

    let reminder = get("reminder").and_then(|(_, v)| {
        let s = v.get_ref().as_str().unwrap_or_default();
        match super::bounded_duration(s, super::MIN_REMINDER, super::MAX_REMINDER) {
            Ok(d) => Some(d),
            Err(e) => {
                ctx.invalid(
                    v.span(),
                    &field_name("reminder"),
                    format!("{e}; e.g. \"24h\" or \"7days\""),
                );
                None
            }
        }
    });

    let kind_value = match kind.as_str() {
        "email" => {
            let to = match get("to") {
                None => {
                    ctx.invalid(
                        table_span.clone(),
                        &field_name("to"),
                        "missing; kind \"email\" needs `to` (an address or a list)".into(),
                    );
                    Vec::new()
                }
                Some((_, v)) => {
                    let list: Vec<String> = match v.get_ref() {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(a) => a
                            .iter()
                            .map(|x| x.as_str().unwrap_or_default().to_string())
                            .collect(),
                        _ => vec![String::new()],
                    };
                    let bad: Vec<&String> = list.iter().filter(|a| !is_address(a)).collect();
                    if list.is_empty() || !bad.is_empty() {
                        ctx.invalid(
                            v.span(),
                            &field_name("to"),
                            format!(
                                "expected an email address or a list of them, e.g. [\"platform@example.com\"]; got {}",
                                show(v.get_ref())
                            ),
                        );
                    }
                    list
                }
            };
            let from = string(ctx, "from", true);
            if let (Some(f), Some((_, v))) = (&from, get("from")) {
                if !is_address(f) {
                    ctx.invalid(
                        v.span(),
                        &field_name("from"),
                        format!("`{f}` is not an email address; e.g. \"driftcost <driftcost@example.com>\""),
                    );
                }
            }
            let smtp_host = string(ctx, "smtp_host", true);
            let tls = match get("tls") {
                None => SmtpTls::StartTls,
                Some((_, v)) => match v.get_ref().as_str() {
                    Some("starttls") => SmtpTls::StartTls,
                    Some("implicit") => SmtpTls::Implicit,
                    Some("none") => SmtpTls::None,
                    _ => {
                        ctx.invalid(
                            v.span(),
                            &field_name("tls"),
                            format!("`{}` is not a TLS mode; expected \"starttls\" (port 587), \"implicit\" (port 465) or \"none\"", show(v.get_ref())),
                        );
                        SmtpTls::StartTls
                    }
                },
            };
            let smtp_port = match get("smtp_port") {
                None => match tls {
                    SmtpTls::StartTls => 587,
                    SmtpTls::Implicit => 465,
                    SmtpTls::None => 25,
                },
                Some((_, v)) => {
                    match v.get_ref().as_integer().and_then(|p| u16::try_from(p).ok()) {
                        Some(p) if p > 0 => p,
                        _ => {
                            ctx.invalid(
                                v.span(),
                                &field_name("smtp_port"),
                                format!(
                                    "`{}` is not a port; expected a number 1–65535",
                                    show(v.get_ref())
                                ),
                            );
                            0
                        }
                    }
                }
            };
            let u = string(ctx, "username_env", false);
            let username_env = env(ctx, "username_env", u);
            let p = string(ctx, "password_env", false);
            let password_env = env(ctx, "password_env", p);
            // What the mailer refuses at send time, refused here already.
            match (get("username_env"), get("password_env")) {
                (Some((k, _)), None) | (None, Some((k, _))) => ctx.invalid(
                    k.span(),
                    &field_name(k.get_ref()),
                    "set both `username_env` and `password_env`, or neither".into(),
                ),
                (Some((k, _)), Some(_)) if tls == SmtpTls::None => ctx.invalid(
                    k.span(),
                    &field_name("tls"),
                    "refusing to send SMTP credentials without TLS; use tls = \"starttls\" or \"implicit\"".into(),
                ),
                _ => {}
            }
            NotifyKind::Email(EmailTarget {
                to,
                from: from.unwrap_or_default(),
                smtp_host: smtp_host.unwrap_or_default(),
                smtp_port,
                tls,
                username_env,
                password_env,
            })
        }
        "slack" => {
            let u = string(ctx, "url_env", true);
            NotifyKind::Slack(SlackTarget {
                url_env: env(ctx, "url_env", u).unwrap_or_default(),
            })
        }
        "webhook" => {
            let u = string(ctx, "url_env", true);
            let url_env = env(ctx, "url_env", u).unwrap_or_default();
            // Webhooks are always signed: the worker has no unsigned mode.
            if get("secret_env").is_none() {
                ctx.invalid(
                    table_span.clone(),
                    &field_name("secret_env"),
                    "missing; webhooks are always signed (HMAC-SHA256): set secret_env to the name of the variable holding the key, e.g. secret_env = \"DRIFT_WEBHOOK_SECRET\"".into(),
                );
            }
            let s = string(ctx, "secret_env", false);
            NotifyKind::Webhook(WebhookTarget {
                url_env,
                secret_env: env(ctx, "secret_env", s).unwrap_or_default(),
            })
        }
        _ => {
            let repo = string(ctx, "repo", true);
            if let (Some(r), Some((_, v))) = (&repo, get("repo")) {
                let parts: Vec<&str> = r.split('/').collect();
                if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                    ctx.invalid(
                        v.span(),
                        &field_name("repo"),
                        format!("`{r}` is not a repository; expected \"owner/name\""),
                    );
                }
            }
            let t = string(ctx, "token_env", true);
            let token_env = env(ctx, "token_env", t).unwrap_or_default();
            let labels = match get("labels") {
                None => Vec::new(),
                Some((_, v)) => match v.get_ref().as_array() {
                    Some(a) if a.iter().all(|x| x.is_str()) => a
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect(),
                    _ => {
                        ctx.invalid(
                            v.span(),
                            &field_name("labels"),
                            "expected a list of label names, e.g. [\"drift\", \"infra\"]".into(),
                        );
                        Vec::new()
                    }
                },
            };
            let base_url = string(ctx, "base_url", false);
            if let (Some(u), Some((_, v))) = (&base_url, get("base_url")) {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    ctx.invalid(
                        v.span(),
                        &field_name("base_url"),
                        format!("`{u}` is not an http(s) URL; e.g. \"https://github.example.com/api/v3\""),
                    );
                }
            }
            NotifyKind::GithubIssue(GithubIssueTarget {
                repo: repo.unwrap_or_default(),
                token_env,
                labels,
                base_url,
            })
        }
    };
    (ctx.errors.len() == errors_before).then(|| NotifyTarget {
        name: name.to_string(),
        kind: kind_value,
        reminder,
    })
}

fn is_address(s: &str) -> bool {
    let addr = match (s.find('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    };
    let mut parts = addr.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !addr.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised() {
        for k in [
            "password",
            "smtp_password",
            "token",
            "secret",
            "url",
            "webhook_url",
            "api_key",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in [
            "password_env",
            "url_env",
            "token_env",
            "base_url",
            "to",
            "repo",
            "labels",
        ] {
            assert!(!looks_secret(k), "{k}");
        }
        assert!(secret_hint("email", "password").contains("`password_env = \"SMTP_PASSWORD\"`"));
        assert!(
            secret_hint("email", "smtp_password").contains("`password_env = \"SMTP_PASSWORD\"`")
        );
        assert!(secret_hint("slack", "webhook_url").contains("`url_env = \"SLACK_WEBHOOK_URL\"`"));
        assert!(secret_hint("github_issue", "token").contains("`token_env = \"GITHUB_TOKEN\"`"));
        assert!(secret_hint("github_issue", "api_key").contains("`api_key_env = \"API_KEY\"`"));
    }

    #[test]
    fn addresses() {
        assert!(is_address("a@example.com"));
        assert!(is_address("driftcost <a@example.com>"));
        assert!(!is_address("a"));
        assert!(!is_address("a@b@c.com"));
    }
}
