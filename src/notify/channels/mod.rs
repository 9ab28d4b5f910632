//! The notification channels, one folder each, with the same inner shape
//! (as Vector lays out its sinks):
//!
//! - `config.rs`: the channel's settings as a job file's `[notify.<name>]`
//!   table gives them, and their validation ([`ChannelConfig`]);
//! - `render.rs`: the [`Notification`](super::Notification) in the channel's
//!   format (pure);
//! - `send.rs`: delivery, with the shared retries and HTTP helpers of
//!   [`super::send`].
//!
//! Adding a channel is one folder plus one line in [`channels!`] below.
//! Secrets (SMTP password, webhook URLs, signing secret, GitHub token) are
//! never in the config: it names the environment variables that hold them.

pub mod email;
pub mod github_issue;
pub mod slack;
pub mod webhook;

pub use email::{EmailTarget, SmtpSecurity};
pub use github_issue::GithubIssueTarget;
pub use slack::SlackTarget;
pub use webhook::WebhookTarget;

use super::config::{Fields, Problem, RawTarget, looks_secret, secret_hint, show};
use super::send::{Delivered, NotifyError, SendRequest};
use std::ops::Range;

/// A channel's configuration: what its `[notify.<name>]` table holds.
pub trait ChannelConfig: Sized {
    /// The `kind = "…"` that selects this channel.
    const KIND: &'static str;
    /// The channel's own keys (besides `kind` and the job's shared ones).
    const FIELDS: &'static [&'static str];
    /// Example variable names for its `*_env` keys, shown when a secret is
    /// written into the file instead.
    const ENV_EXAMPLES: &'static [(&'static str, &'static str)];

    /// Reads the channel's keys; every problem is recorded in `f`.
    fn parse(f: &mut Fields) -> Option<Self>;

    /// Names the target in errors, logs and idempotency keys without any
    /// secret: the kind and the host, repository or variable name.
    fn label(&self) -> String;
}

/// The registry: one line per channel, `Variant(ConfigType) => module`.
macro_rules! channels {
    ($($variant:ident($config:ty) => $module:ident),+ $(,)?) => {
        /// One destination for a job's notifications.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Target {
            $($variant($config)),+
        }

        /// Every channel's `kind`, as job files spell it.
        pub const KINDS: &[&str] = &[$(<$config as ChannelConfig>::KIND),+];

        impl Target {
            /// See [`ChannelConfig::label`].
            pub fn label(&self) -> String {
                match self {
                    $(Target::$variant(c) => c.label()),+
                }
            }

            /// The `kind` this target was configured with.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Target::$variant(_) => <$config as ChannelConfig>::KIND),+
                }
            }

            /// The keys and `*_env` examples of the channel called `kind`.
            fn keys_of(
                kind: &str,
            ) -> Option<(&'static [&'static str], &'static [(&'static str, &'static str)])> {
                $(if kind == <$config as ChannelConfig>::KIND {
                    return Some((
                        <$config as ChannelConfig>::FIELDS,
                        <$config as ChannelConfig>::ENV_EXAMPLES,
                    ));
                })+
                None
            }

            fn parse_kind(kind: &str, f: &mut Fields) -> Option<Target> {
                $(if kind == <$config as ChannelConfig>::KIND {
                    return <$config as ChannelConfig>::parse(f).map(Target::$variant);
                })+
                None
            }

            /// Sends `n` over this target's channel.
            pub(crate) async fn send(
                &self,
                request: &SendRequest<'_>,
            ) -> Result<(Delivered, u32), NotifyError> {
                match self {
                    $(Target::$variant(c) => $module::send::send(c, request).await),+
                }
            }
        }
    };
}

channels! {
    Email(EmailTarget) => email,
    Slack(SlackTarget) => slack,
    Webhook(WebhookTarget) => webhook,
    GithubIssue(GithubIssueTarget) => github_issue,
}

/// `"email", "slack", "webhook" or "github_issue"`.
fn kinds_text() -> String {
    let quoted: Vec<String> = KINDS.iter().map(|k| format!("\"{k}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

impl Target {
    /// Reads one `[notify.<name>]` table of a job file: its `kind`, then the
    /// channel's own keys. `shared` are keys the caller reads itself (e.g.
    /// `reminder`), accepted for every kind. `Err` holds every problem.
    pub fn from_table(
        name: &str,
        table_span: Range<usize>,
        raw: &RawTarget,
        shared: &[&str],
    ) -> Result<Target, Vec<Problem>> {
        let problem = |span: Range<usize>, field: String, message: String| Problem {
            span,
            field,
            message,
        };
        let Some((_, kind_v)) = raw.iter().find(|(k, _)| k.get_ref() == "kind") else {
            return Err(vec![problem(
                table_span,
                format!("notify.{name}"),
                format!("missing `kind`; expected kind = {}", kinds_text()),
            )]);
        };
        let known = kind_v
            .get_ref()
            .as_str()
            .and_then(|k| Some((k, Self::keys_of(k)?)));
        let Some((kind, (fields, examples))) = known else {
            return Err(vec![problem(
                kind_v.span(),
                format!("notify.{name}.kind"),
                format!(
                    "`{}` is not a notification kind; expected {}",
                    show(kind_v.get_ref()),
                    kinds_text()
                ),
            )]);
        };
        let mut f = Fields::new(name, kind, table_span, raw);
        let mut accepted = vec!["kind"];
        accepted.extend_from_slice(shared);
        accepted.extend_from_slice(fields);
        for key in raw.keys() {
            let k = key.get_ref();
            if looks_secret(k) {
                f.invalid_at(key.span(), k, secret_hint(fields, examples, k));
            } else if !accepted.contains(&k.as_str()) {
                f.invalid_at(
                    key.span(),
                    k,
                    format!(
                        "unknown field for kind \"{kind}\"; expected one of: {}",
                        accepted.join(", ")
                    ),
                );
            }
        }
        let target = Self::parse_kind(kind, &mut f);
        match target {
            Some(t) if !f.has_problems() => Ok(t),
            _ => Err(f.into_problems()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(kind: &str, key: &str) -> String {
        let (fields, examples) = Target::keys_of(kind).unwrap();
        secret_hint(fields, examples, key)
    }

    #[test]
    fn secret_hints_name_the_channels_env_field() {
        assert!(hint("email", "password").contains("`password_env = \"SMTP_PASSWORD\"`"));
        assert!(hint("email", "smtp_password").contains("`password_env = \"SMTP_PASSWORD\"`"));
        assert!(hint("slack", "webhook_url").contains("`url_env = \"SLACK_WEBHOOK_URL\"`"));
        assert!(hint("github_issue", "token").contains("`token_env = \"GITHUB_TOKEN\"`"));
        assert!(hint("github_issue", "api_key").contains("`api_key_env = \"API_KEY\"`"));
    }

    #[test]
    fn every_kind_is_listed_in_the_message() {
        assert_eq!(
            kinds_text(),
            "\"email\", \"slack\", \"webhook\" or \"github_issue\""
        );
    }

    /// Every `[notify.<name>]` table of `text`, read as the job loader does.
    fn read(text: &str) -> Vec<Result<Target, Vec<Problem>>> {
        use std::collections::BTreeMap;
        use toml::Spanned;
        #[derive(serde::Deserialize)]
        struct File {
            notify: BTreeMap<String, Spanned<RawTarget>>,
        }
        let f: File = toml::from_str(text).unwrap();
        f.notify
            .iter()
            .map(|(name, t)| Target::from_table(name, t.span(), t.get_ref(), &["reminder"]))
            .collect()
    }

    #[test]
    fn every_kind_is_read_from_its_job_file_table() {
        let got = read(
            r#"
            [notify.a-mail]
            kind = "email"
            smtp_host = "smtp.example.com"
            from = "driftcost <drift@example.com>"
            to = "platform@example.com"
            username_env = "SMTP_USER"
            password_env = "SMTP_PASSWORD"
            reminder = "24h"

            [notify.b-slack]
            kind = "slack"
            url_env = "SLACK_WEBHOOK_URL"

            [notify.c-hook]
            kind = "webhook"
            url_env = "DRIFT_HOOK_URL"
            secret_env = "DRIFT_HOOK_SECRET"

            [notify.d-issues]
            kind = "github_issue"
            repo = "acme/infra"
            token_env = "GITHUB_TOKEN"
            base_url = "https://github.example.com/api/v3"
            "#,
        );
        let labels: Vec<String> = got.iter().map(|t| t.as_ref().unwrap().label()).collect();
        assert_eq!(
            labels,
            [
                "email via smtp.example.com:587",
                "slack ($SLACK_WEBHOOK_URL)",
                "webhook ($DRIFT_HOOK_URL)",
                "github issue in acme/infra",
            ]
        );
        let Ok(Target::GithubIssue(g)) = &got[3] else {
            panic!("{:?}", got[3])
        };
        assert_eq!(
            g.api_url.as_deref(),
            Some("https://github.example.com/api/v3")
        );
    }

    #[test]
    fn a_secret_in_the_table_is_refused_with_the_env_field_to_use() {
        let got = read(
            "[notify.chat]\nkind = \"slack\"\nwebhook_url = \"https://hooks.slack.com/services/T/B/X\"\n",
        );
        let problems = got[0].as_ref().unwrap_err();
        let text: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        assert_eq!(
            text,
            [
                "notify.chat.webhook_url: a webhook URL is a secret (anyone holding it can post); put the value in an environment variable and name the variable instead: `url_env = \"SLACK_WEBHOOK_URL\"`",
                "notify.chat.url_env: missing; kind \"slack\" needs `url_env`",
            ]
        );
        assert!(!format!("{problems:?}").contains("hooks.slack.com"));
    }

    #[test]
    fn labels_name_no_secret() {
        let t = Target::Slack(SlackTarget {
            webhook_url_env: "SLACK_WEBHOOK_URL".into(),
        });
        assert_eq!(t.label(), "slack ($SLACK_WEBHOOK_URL)");
        assert_eq!(t.kind(), "slack");
    }
}
