//! `kind = "slack"`:
//!
//! ```toml
//! [notify.slack-infra]
//! kind = "slack"
//! url_env = "SLACK_INFRA_WEBHOOK_URL"   # the URL is a secret: by env name
//! ```

use crate::notify::channels::ChannelConfig;
use crate::notify::config::Fields;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlackTarget {
    /// Variable holding the incoming webhook URL (the URL is the credential).
    pub webhook_url_env: String,
}

impl ChannelConfig for SlackTarget {
    const KIND: &'static str = "slack";
    const FIELDS: &'static [&'static str] = &["url_env"];
    const ENV_EXAMPLES: &'static [(&'static str, &'static str)] =
        &[("url_env", "SLACK_WEBHOOK_URL")];

    fn label(&self) -> String {
        format!("slack (${})", self.webhook_url_env)
    }

    fn parse(f: &mut Fields) -> Option<Self> {
        Some(SlackTarget {
            webhook_url_env: f.env_name("url_env", true)?,
        })
    }
}
