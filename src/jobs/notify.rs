//! `[notify.<name>]` sections: the notification targets a job file defines
//! and its workspaces name in `notify = [...]`.
//!
//! ```toml
//! [notify.platform-email]
//! kind = "email"                 # or "slack", "webhook", "github_issue"
//! to = ["platform@example.com"]
//! # … the channel's own keys: see crate::notify::channels::<kind>::config
//! reminder = "24h"               # notify again about drift still open after this long
//! ```
//! The channel's keys are read and validated by the notifier's own config
//! types ([`Target::from_table`]), so `jobs check` and the worker accept
//! exactly the same targets; this file adds what every target of a job has:
//! its name and `reminder`.

use super::Ctx;
use super::validate::{MAX_REMINDER, MIN_REMINDER, bounded_duration};
use crate::notify::Target;
use crate::notify::config::RawTarget;
use std::ops::Range;
use std::time::Duration;

/// A notification target as the job file defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyTarget {
    pub name: String,
    /// Where and how to deliver: the notifier's own type.
    pub target: Target,
    /// Notify again about drift still open after this long; `None`: only on change.
    pub reminder: Option<Duration>,
}

/// Keys of `[notify.<name>]` read here rather than by the channel.
const SHARED_KEYS: &[&str] = &["reminder"];

pub(super) fn parse_target(
    ctx: &mut Ctx,
    name: &str,
    table_span: Range<usize>,
    raw: &RawTarget,
) -> Option<NotifyTarget> {
    let target = Target::from_table(name, table_span, raw, SHARED_KEYS);
    let target = match target {
        Ok(t) => Some(t),
        Err(problems) => {
            for p in problems {
                ctx.invalid(p.span, &p.field, p.message);
            }
            None
        }
    };
    let before = ctx.errors.len();
    let reminder = raw
        .iter()
        .find(|(k, _)| k.get_ref() == "reminder")
        .and_then(|(_, v)| {
            let s = v.get_ref().as_str().unwrap_or_default();
            match bounded_duration(s, MIN_REMINDER, MAX_REMINDER) {
                Ok(d) => Some(d),
                Err(e) => {
                    ctx.invalid(
                        v.span(),
                        &format!("notify.{name}.reminder"),
                        format!("{e}; e.g. \"24h\" or \"7days\""),
                    );
                    None
                }
            }
        });
    let target = target?;
    (ctx.errors.len() == before).then(|| NotifyTarget {
        name: name.to_string(),
        target,
        reminder,
    })
}
