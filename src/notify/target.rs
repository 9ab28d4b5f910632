//! Where notifications go, as configured per job. Secrets (SMTP password,
//! webhook URLs, signing secret, GitHub token) are never in the config: it
//! names the environment variables that hold them.

use serde::{Deserialize, Serialize};

/// One destination for a job's notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Email(EmailTarget),
    Slack(SlackTarget),
    Webhook(WebhookTarget),
    GithubIssue(GithubIssueTarget),
}

impl Target {
    /// Names the target in errors and logs without any secret: the kind and
    /// the host, repository or variable name.
    pub fn label(&self) -> String {
        match self {
            Target::Email(e) => format!("email via {}:{}", e.host, e.port()),
            Target::Slack(s) => format!("slack (${})", s.webhook_url_env),
            Target::Webhook(w) => format!("webhook (${})", w.url_env),
            Target::GithubIssue(g) => format!("github issue in {}", g.repo),
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a local relay or test sink; credentials are refused.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailTarget {
    pub host: String,
    /// Default: 587 for STARTTLS, 465 for TLS, 25 without.
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// `driftcost <drift@example.com>` or a bare address.
    pub from: String,
    pub to: Vec<String>,
    /// Variables holding the SMTP user and password; both or neither.
    #[serde(default)]
    pub username_env: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
}

impl EmailTarget {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackTarget {
    /// Variable holding the incoming webhook URL (the URL is the credential).
    pub webhook_url_env: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookTarget {
    /// Variable holding the receiver's URL.
    pub url_env: String,
    /// Variable holding the HMAC-SHA256 secret for `X-Driftcost-Signature`.
    pub secret_env: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubIssueTarget {
    /// `OWNER/NAME`.
    pub repo: String,
    /// Variable holding a token that may write issues in `repo`.
    pub token_env: String,
    /// GitHub Enterprise API root, e.g. `https://github.example.com/api/v3`.
    #[serde(default)]
    pub api_url: Option<String>,
    /// Labels for new issues; `driftcost` is always added (issues are found by it).
    #[serde(default)]
    pub labels: Vec<String>,
}

impl GithubIssueTarget {
    /// The label every driftcost issue carries; the search filters on it.
    pub const LABEL: &'static str = "driftcost";

    pub fn labels(&self) -> Vec<String> {
        let mut labels = vec![Self::LABEL.to_string()];
        for l in &self.labels {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
        labels
    }
}

/// Where secrets are read (see [`crate::env`]).
pub use crate::env::Env;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_target_kind_from_toml() {
        #[derive(Deserialize)]
        struct Job {
            notify: Vec<Target>,
        }
        let job: Job = toml::from_str(
            r#"
            [[notify]]
            kind = "email"
            host = "smtp.example.com"
            from = "driftcost <drift@example.com>"
            to = ["platform@example.com"]
            username_env = "SMTP_USER"
            password_env = "SMTP_PASSWORD"

            [[notify]]
            kind = "slack"
            webhook_url_env = "SLACK_WEBHOOK_URL"

            [[notify]]
            kind = "webhook"
            url_env = "DRIFT_HOOK_URL"
            secret_env = "DRIFT_HOOK_SECRET"

            [[notify]]
            kind = "github_issue"
            repo = "acme/infra"
            token_env = "GITHUB_TOKEN"
            api_url = "https://github.example.com/api/v3"
            labels = ["drift", "driftcost"]
            "#,
        )
        .unwrap();
        let labels: Vec<String> = job.notify.iter().map(Target::label).collect();
        assert_eq!(
            labels,
            vec![
                "email via smtp.example.com:587",
                "slack ($SLACK_WEBHOOK_URL)",
                "webhook ($DRIFT_HOOK_URL)",
                "github issue in acme/infra",
            ]
        );
        let Target::GithubIssue(g) = &job.notify[3] else {
            panic!()
        };
        assert_eq!(g.labels(), vec!["driftcost", "drift"]);
    }

    #[test]
    fn a_clear_secret_in_the_config_is_rejected() {
        let err = toml::from_str::<Target>(
            "kind = \"slack\"\nwebhook_url = \"https://hooks.slack.com/services/T/B/X\"\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown field `webhook_url`"),
            "{err}"
        );
    }
}
