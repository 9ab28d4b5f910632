//! What to announce after a scan: the scan's findings as
//! [`Notification`](crate::notify::Notification)s, deduplicated against what
//! was announced before. Pure; the worker queues the result in the store's
//! outbox and [`crate::notify`] delivers it.
//!
//! - [`build`]: a scan's analysis as a notification (`Notification::from_analysis`,
//!   through the notifier's `Notification::from_drift`).
//! - [`dedup`]: which notifications a scan warrants, given the last announcement.
//! - [`policy`]: the `policy_failed` notification of a run's policy results,
//!   deduplicated the same way.

pub mod build;
pub mod dedup;
pub mod policy;

pub use build::drift_fingerprints;
pub use dedup::{Announced, CostThresholds, NotifyPolicy, Outgoing, notifications_for};
pub use policy::policy_notification;
