//! Scheduler cost with 10,000 workspaces: the next-fire computation for all
//! of them, the due rule for all of them, one real scheduler pass (startup
//! read of every last-fired tick, then one tick firing all 10,000, each
//! re-queued), and the memory the scheduler holds per workspace.
//!
//! `cargo bench --bench schedule`; allocations are counted by divan's
//! `AllocProfiler` (bytes per run ÷ 10,000 = bytes per workspace).
//!
//! Measured 2026-11 on the 2-core dev machine with `--profile dev`
//! (unoptimised, so upper bounds): next_fire_all 32 ms (3.2 µs per
//! workspace), due_all 30 ms, scheduler_pass_all_due 86 ms for 10,000 reads +
//! 10,000 fires + 10,000 re-queues; build_scheduler 1.7 ms and 720 KB
//! (56 B entry + 16 B heap slot = 72 B per workspace, plus its name); a parsed
//! schedule is a few hundred bytes, shared by every workspace that uses it.
//! A wake-up touches only the due workspaces (heap pop + push, O(log n)).

use chrono::{DateTime, Utc};
use driftcost::schedule::{
    Schedule, ScheduleSink, ScheduledWorkspace, Scheduler, SinkError, TokioClock, due,
    jitter_offset, next_fire, parse_timezone,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

const WORKSPACES: usize = 10_000;

fn main() {
    divan::main();
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-04T10:20:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A fleet as job files produce it: a dozen expressions (some in local time
/// zones) shared by many workspaces, each with its jitter offset.
fn fleet() -> Vec<ScheduledWorkspace> {
    let berlin = parse_timezone("Europe/Berlin").unwrap();
    let ny = parse_timezone("America/New_York").unwrap();
    let exprs = [
        Schedule::parse_utc("@hourly").unwrap(),
        Schedule::parse_utc("*/15 * * * *").unwrap(),
        Schedule::parse_utc("0 6 * * 1-5").unwrap(),
        Schedule::parse_utc("0 0 13 * 5").unwrap(),
        Schedule::parse_utc("30 */10 * * * *").unwrap(),
        Schedule::parse_utc("@daily").unwrap(),
        Schedule::parse_utc("@every 20m").unwrap(),
        Schedule::parse("0 9 * * 1-5", berlin).unwrap(),
        Schedule::parse("0 */4 * * *", berlin).unwrap(),
        Schedule::parse("30 7 * * *", ny).unwrap(),
        Schedule::parse("@weekly", ny).unwrap(),
        Schedule::parse_utc("0 2 1 * *").unwrap(),
    ];
    (0..WORKSPACES)
        .map(|i| {
            let workspace = format!("team-{:03}/workspace-{i:05}", i % 97);
            ScheduledWorkspace {
                offset: jitter_offset(&workspace, Duration::from_secs(600)),
                schedule: exprs[i % exprs.len()].clone(),
                workspace,
            }
        })
        .collect()
}

/// Next fire time (jitter applied) of all 10,000 workspaces.
#[divan::bench(sample_count = 20)]
fn next_fire_all(bencher: divan::Bencher) {
    let fleet = fleet();
    let now = now();
    bencher.bench(|| {
        fleet
            .iter()
            .filter_map(|w| next_fire(&w.schedule, w.offset, now))
            .max()
    });
}

/// The due rule for all 10,000 (what a full rescan on wake-up would cost;
/// the scheduler only evaluates the workspaces whose heap entry is due).
#[divan::bench(sample_count = 20)]
fn due_all(bencher: divan::Bencher) {
    let fleet = fleet();
    let now = now();
    let last = now - chrono::TimeDelta::hours(3);
    bencher.bench(|| {
        fleet
            .iter()
            .filter(|w| due(&w.schedule, w.offset, Some(last), now).is_some())
            .count()
    });
}

/// Memory the scheduler itself holds: divan's allocation count for building
/// it from a ready list (the shared schedules are not copied).
#[divan::bench(sample_count = 20)]
fn build_scheduler(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let fleet: Vec<ScheduledWorkspace> = fleet()
                .into_iter()
                .map(|mut w| {
                    w.workspace.shrink_to_fit();
                    w
                })
                .collect();
            (rt, fleet)
        })
        .bench_local_values(|(rt, fleet)| {
            let _guard = rt.enter();
            let s = Scheduler::new(fleet, NullSink::default(), TokioClock::starting_at(now()));
            s.next_wake()
        });
}

/// Memory of one parsed cron schedule (shared by every workspace using that
/// expression and zone).
#[divan::bench(sample_count = 20)]
fn parse_one_schedule() -> Schedule {
    Schedule::parse_utc(divan::black_box("0 6 * * 1-5")).unwrap()
}

/// One real pass on a paused clock: read 10,000 last-fired ticks (40 days
/// ago, so every schedule has missed ticks), fire the latest missed tick of
/// each (once, not once per missed tick), compute and push each next fire time.
#[divan::bench(sample_count = 10)]
fn scheduler_pass_all_due(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let last = now() - chrono::TimeDelta::days(40);
            let fleet = fleet();
            let sink = NullSink {
                last: fleet.iter().map(|w| (w.workspace.clone(), last)).collect(),
                ..NullSink::default()
            };
            (fleet, sink)
        })
        .bench_local_values(|(fleet, sink)| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            rt.block_on(async move {
                let cancel = CancellationToken::new();
                let sink = NullSink {
                    stop: Some((cancel.clone(), WORKSPACES)),
                    ..sink
                };
                let s = Scheduler::new(fleet, sink, TokioClock::starting_at(now()));
                s.run(cancel).await
            })
        });
}

#[derive(Default)]
struct NullSink {
    last: HashMap<String, DateTime<Utc>>,
    fired: AtomicUsize,
    stop: Option<(CancellationToken, usize)>,
}

impl ScheduleSink for NullSink {
    async fn last_fired(&self, workspace: &str) -> Result<Option<DateTime<Utc>>, SinkError> {
        Ok(self.last.get(workspace).copied())
    }
    async fn fire(&self, _workspace: &str, _tick: DateTime<Utc>) -> Result<(), SinkError> {
        let n = self.fired.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some((cancel, at)) = &self.stop
            && n >= *at
        {
            cancel.cancel();
        }
        Ok(())
    }
}
