//! `kind = "webhook"`:
//!
//! ```toml
//! [notify.hook]
//! kind = "webhook"
//! url_env = "DRIFT_WEBHOOK_URL"
//! secret_env = "DRIFT_WEBHOOK_SECRET"   # required: webhooks are always signed
//! ```

use crate::notify::channels::ChannelConfig;
use crate::notify::config::Fields;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// Variable holding the receiver's URL.
    pub url_env: String,
    /// Variable holding the HMAC-SHA256 secret for `X-Driftcost-Signature`:
    /// webhooks are always signed, so a target without it is refused.
    pub secret_env: String,
}

impl ChannelConfig for WebhookTarget {
    const KIND: &'static str = "webhook";
    const FIELDS: &'static [&'static str] = &["url_env", "secret_env"];
    const ENV_EXAMPLES: &'static [(&'static str, &'static str)] = &[
        ("url_env", "DRIFT_WEBHOOK_URL"),
        ("secret_env", "DRIFT_WEBHOOK_SECRET"),
    ];

    fn label(&self) -> String {
        format!("webhook (${})", self.url_env)
    }

    fn parse(f: &mut Fields) -> Option<Self> {
        let url_env = f.env_name("url_env", true);
        // Webhooks are always signed: there is no unsigned mode.
        if f.get("secret_env").is_none() {
            f.missing(
                "secret_env",
                "missing; webhooks are always signed (HMAC-SHA256): set secret_env to the name of the variable holding the key, e.g. secret_env = \"DRIFT_WEBHOOK_SECRET\"".into(),
            );
        }
        let secret_env = f.env_name("secret_env", false);
        Some(WebhookTarget {
            url_env: url_env?,
            secret_env: secret_env?,
        })
    }
}
