//! Slack incoming webhook: a Block Kit message, posted to the URL held in
//! the configured environment variable (the URL is the credential).

mod config;
pub(crate) mod render;
pub(crate) mod send;

pub use config::SlackTarget;
pub use render::{SLACK_MAX_BLOCKS, SLACK_MAX_TEXT, slack};
