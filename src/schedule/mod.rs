//! When each workspace is scanned: cron schedules, jitter, the due rule, and
//! the long-running loop that queues runs when they fall due.
//!
//! - [`spec`]: schedule expressions (5-field cron, the `cron` crate's
//!   6/7-field form, `@hourly`…, `@every 15m`) in UTC or an IANA time zone.
//! - [`due`](fn@due): the pure rule deciding whether (and for which tick) a
//!   workspace is due; [`jitter_offset`]: where a workspace sits inside its
//!   jitter window.
//! - [`scheduler`]: the tokio loop over a min-heap of next fire times; it only
//!   asks a [`ScheduleSink`] what last fired and tells it what to queue.
//! - [`duration`]: the accepted ranges of durations (lease, grace, run
//!   timeout), shared by the CLI flags and the job files.
//!
//! This module never runs terraform and never touches the run store directly:
//! the store's side is the [`ScheduleSink`] the integrator implements
//! (`worker::StoreSink`). How many scans run at once is the worker's business.

pub mod duration;
pub mod scheduler;
pub mod spec;

pub use duration::{DurationError, DurationLimits};
pub use scheduler::{
    Clock, ScheduleSink, ScheduledWorkspace, Scheduler, SchedulerOptions, SchedulerStats,
    SinkError, SystemClock, TokioClock,
};
pub use spec::{
    FirstRun, Schedule, ScheduleError, Tz, due, due_from, first_baseline, jitter_offset, next_fire,
    parse_timezone,
};
