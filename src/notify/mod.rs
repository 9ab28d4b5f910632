//! The notifier: one workspace's scan findings as messages, and their delivery.
//!
//! - [`message`]: the [`Notification`] every channel renders (versioned JSON).
//! - [`dedup`]: what to send given what was announced before (pure).
//! - [`render`]: email (text + HTML), Slack Block Kit, webhook JSON, GitHub issue Markdown (pure).
//! - [`send`]: delivery to one [`Target`] with bounded retries; one file per channel.
//!
//! Data flows one way: scan → [`dedup::notifications_for`] → (outbox) →
//! [`send::deliver`]. Nothing here reads plan or state values: items arrive
//! from the drift engine already masked, so no channel can leak a sensitive
//! value. Secrets for the channels come from environment variables named in
//! the target's configuration ([`Env`]), never from the configuration itself.

pub mod dedup;
pub mod message;
pub mod render;
pub mod send;
mod target;

pub use dedup::{Announced, CostThresholds, NotifyPolicy, Outgoing, notifications_for};
pub use message::{Notification, NotificationKind, RunRef};
pub use send::{Delivered, Delivery, NotifyError, Retry, deliver, deliver_with, idempotency_key};
pub use target::{
    EmailTarget, Env, GithubIssueTarget, SlackTarget, SmtpSecurity, Target, WebhookTarget,
};
