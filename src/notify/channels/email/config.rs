//! `kind = "email"`:
//!
//! ```toml
//! [notify.platform-email]
//! kind = "email"
//! to = ["platform@example.com"]
//! from = "driftcost <driftcost@example.com>"
//! smtp_host = "smtp.example.com"
//! tls = "starttls"               # or "implicit" (port 465) or "none" (local relays only)
//! smtp_port = 587                # default by tls: 587, 465, 25
//! username_env = "SMTP_USERNAME"
//! password_env = "SMTP_PASSWORD"
//! ```

use crate::notify::channels::ChannelConfig;
use crate::notify::config::{Fields, show};
use toml::Value;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a local relay or test sink; credentials are refused.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailTarget {
    pub host: String,
    /// Default: 587 for STARTTLS, 465 for TLS, 25 without.
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    /// `driftcost <drift@example.com>` or a bare address.
    pub from: String,
    pub to: Vec<String>,
    /// Variables holding the SMTP user and password; both or neither.
    pub username_env: Option<String>,
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

impl ChannelConfig for EmailTarget {
    const KIND: &'static str = "email";
    const FIELDS: &'static [&'static str] = &[
        "to",
        "from",
        "smtp_host",
        "smtp_port",
        "tls",
        "username_env",
        "password_env",
    ];
    const ENV_EXAMPLES: &'static [(&'static str, &'static str)] = &[
        ("password_env", "SMTP_PASSWORD"),
        ("username_env", "SMTP_USERNAME"),
    ];

    fn label(&self) -> String {
        format!("email via {}:{}", self.host, self.port())
    }

    fn parse(f: &mut Fields) -> Option<Self> {
        let to = match f.get("to") {
            None => {
                f.missing(
                    "to",
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
                if list.is_empty() || !list.iter().all(|a| is_address(a)) {
                    f.invalid(
                        "to",
                        format!(
                            "expected an email address or a list of them, e.g. [\"platform@example.com\"]; got {}",
                            show(v.get_ref())
                        ),
                    );
                }
                list
            }
        };
        let from = f.string("from", true);
        if let Some(a) = &from
            && !is_address(a)
        {
            f.invalid(
                "from",
                format!(
                    "`{a}` is not an email address; e.g. \"driftcost <driftcost@example.com>\""
                ),
            );
        }
        let host = f.string("smtp_host", true);
        let security = match f.get("tls") {
            None => SmtpSecurity::Starttls,
            Some((_, v)) => match v.get_ref().as_str() {
                Some("starttls") => SmtpSecurity::Starttls,
                Some("implicit") => SmtpSecurity::Tls,
                Some("none") => SmtpSecurity::None,
                _ => {
                    f.invalid(
                        "tls",
                        format!(
                            "`{}` is not a TLS mode; expected \"starttls\" (port 587), \"implicit\" (port 465) or \"none\"",
                            show(v.get_ref())
                        ),
                    );
                    SmtpSecurity::Starttls
                }
            },
        };
        let port = f.get("smtp_port").and_then(|(_, v)| {
            match v.get_ref().as_integer().and_then(|p| u16::try_from(p).ok()) {
                Some(p) if p > 0 => Some(p),
                _ => {
                    f.invalid(
                        "smtp_port",
                        format!(
                            "`{}` is not a port; expected a number 1–65535",
                            show(v.get_ref())
                        ),
                    );
                    None
                }
            }
        });
        let username_env = f.env_name("username_env", false);
        let password_env = f.env_name("password_env", false);
        // What the mailer refuses at send time, refused here already.
        match (f.get("username_env"), f.get("password_env")) {
            (Some((k, _)), None) | (None, Some((k, _))) => f.invalid_at(
                k.span(),
                k.get_ref(),
                "set both `username_env` and `password_env`, or neither".into(),
            ),
            (Some((k, _)), Some(_)) if security == SmtpSecurity::None => f.invalid_at(
                k.span(),
                "tls",
                "refusing to send SMTP credentials without TLS; use tls = \"starttls\" or \"implicit\"".into(),
            ),
            _ => {}
        }
        Some(EmailTarget {
            host: host?,
            port,
            security,
            from: from?,
            to,
            username_env,
            password_env,
        })
    }
}

/// `a@example.com` or `Name <a@example.com>`.
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
    fn addresses() {
        assert!(is_address("a@example.com"));
        assert!(is_address("driftcost <a@example.com>"));
        assert!(!is_address("a"));
        assert!(!is_address("a@b@c.com"));
    }
}
