//! The notifier: the [`Notification`] contract, and its delivery over each
//! channel.
//!
//! - [`message`]: the [`Notification`] every channel renders (versioned JSON).
//! - [`build`]: drift findings as a [`Notification`].
//! - [`channels`]: one folder per channel (email, Slack, webhook, GitHub
//!   issue), each with its `config` (read from job files), `render` (pure)
//!   and `send`; [`channels::Target`] is their registry.
//! - [`config`]: reading a job file's `[notify.<name>]` table, shared by the
//!   channels' configs: the one place a target is validated.
//! - [`render`]: the wording and money format every renderer shares.
//! - [`send`]: delivery to one [`Target`] with bounded retries, shared.
//!
//! Which notifications a scan warrants is decided above, in
//! `announce` (floor 8); this module knows nothing of scans. Nothing here reads
//! plan or state values: items arrive from the drift engine already masked,
//! so no channel can leak a sensitive value. Secrets for the channels come
//! from environment variables named in the target's configuration ([`Env`]),
//! never from the configuration itself.

pub mod build;
pub mod channels;
pub mod config;
pub mod message;
pub mod render;
pub mod send;

pub use channels::{
    EmailTarget, GithubIssueTarget, SlackTarget, SmtpSecurity, Target, WebhookTarget,
};
pub use message::{Notification, NotificationKind, RunRef};
pub use send::{Delivered, Delivery, NotifyError, Retry, deliver, deliver_with, idempotency_key};

/// Where secrets are read (see [`crate::env`]).
pub use crate::env::Env;
