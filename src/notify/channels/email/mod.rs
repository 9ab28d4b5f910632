//! Email over SMTP: a plain-text and an HTML body, STARTTLS or TLS required
//! unless the target says `tls = "none"` (local relays only, no credentials).

mod config;
pub(crate) mod render;
pub(crate) mod send;

pub use config::{EmailTarget, SmtpSecurity};
pub use render::{EmailBody, email};
