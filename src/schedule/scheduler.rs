//! The scheduling loop: sleep until the earliest next fire time, ask the sink
//! to queue what is due, repeat, until cancelled.
//!
//! A min-heap holds one `(next fire time, workspace)` pair per workspace, so a
//! wake-up costs O(log n) per due workspace, never a scan of all of them.
//! Per workspace the loop keeps the last fired tick; the sink persists it (the
//! run store), so after a restart nothing fires twice and a missed schedule
//! runs once (see [`due`]).
//!
//! First sight (the sink has no last-fired tick): "now" is the baseline, so a
//! new workspace first runs at its next tick, not for ticks before the
//! scheduler started; with [`SchedulerOptions::run_on_start`] it instead runs
//! its latest tick right away. The baseline is not persisted: if the
//! scheduler restarts before a workspace's first tick, the new start is the
//! new baseline.
//!
//! Job-file changes are picked up by cancelling and starting a new scheduler;
//! the persisted ticks make that safe.

use super::spec::{FirstRun, Schedule, due, first_baseline, to_delta};
use chrono::{DateTime, TimeDelta, Utc};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A failure of the sink (the run store); the scheduler logs it and retries
/// that workspace after [`SchedulerOptions::retry_after`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub Box<dyn std::error::Error + Send + Sync>);

impl SinkError {
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        SinkError(e.into())
    }
}

/// Where fired ticks are remembered and runs are queued: implemented over
/// the run store.
pub trait ScheduleSink: Send + Sync + 'static {
    /// The last tick the schedule fired for this workspace (persisted across
    /// restarts), or `None` if it never fired.
    fn last_fired(
        &self,
        workspace: &str,
    ) -> impl Future<Output = Result<Option<DateTime<Utc>>, SinkError>> + Send;
    /// Queue a run for `tick` and record `tick` as last fired (the store
    /// dedups: never two runs of one workspace at once).
    fn fire(
        &self,
        workspace: &str,
        tick: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), SinkError>> + Send;
}

/// Wall-clock time as the scheduler sees it; tests use [`TokioClock`] so a
/// paused tokio clock drives both "now" and the sleeps.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// `base` plus the tokio time elapsed since creation: with
/// `tokio::time::pause()` the wall clock moves only when the test advances it.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    base: DateTime<Utc>,
    start: tokio::time::Instant,
}

impl TokioClock {
    pub fn starting_at(base: DateTime<Utc>) -> Self {
        TokioClock {
            base,
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        self.base + to_delta(self.start.elapsed())
    }
}

/// One workspace to schedule.
#[derive(Debug, Clone)]
pub struct ScheduledWorkspace {
    pub workspace: String,
    pub schedule: Schedule,
    /// Its place in the jitter window ([`super::jitter_offset`]).
    pub offset: Duration,
}

#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// A workspace that never fired runs its latest tick at start instead of
    /// waiting for its next one.
    pub run_on_start: bool,
    /// Wait after a sink error before asking again for that workspace.
    pub retry_after: Duration,
    /// Re-read the clock at least this often, so a wall-clock step (NTP,
    /// suspend) is noticed within this long.
    pub max_sleep: Duration,
}

impl Default for SchedulerOptions {
    fn default() -> Self {
        SchedulerOptions {
            run_on_start: false,
            retry_after: Duration::from_secs(30),
            max_sleep: Duration::from_secs(60),
        }
    }
}

/// What a scheduler did before it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchedulerStats {
    pub fired: u64,
    pub sink_errors: u64,
}

struct Entry {
    workspace: Box<str>,
    schedule: Schedule,
    offset: TimeDelta,
    /// The last fired tick, or the baseline; `None` until read from the sink.
    last: Option<DateTime<Utc>>,
}

/// Hand the runtime back after this many workspaces handled in one go, so a
/// burst of 10,000 due workspaces does not starve other tasks.
const YIELD_EVERY: u32 = 256;

pub struct Scheduler<S, C = SystemClock> {
    entries: Vec<Entry>,
    heap: BinaryHeap<Reverse<(DateTime<Utc>, u32)>>,
    sink: S,
    clock: C,
    options: SchedulerOptions,
    stats: SchedulerStats,
}

impl<S: ScheduleSink, C: Clock> Scheduler<S, C> {
    pub fn new(workspaces: Vec<ScheduledWorkspace>, sink: S, clock: C) -> Self {
        Self::with_options(workspaces, sink, clock, SchedulerOptions::default())
    }

    pub fn with_options(
        workspaces: Vec<ScheduledWorkspace>,
        sink: S,
        clock: C,
        options: SchedulerOptions,
    ) -> Self {
        assert!(
            workspaces.len() <= u32::MAX as usize,
            "more than u32::MAX workspaces"
        );
        let now = clock.now();
        let entries: Vec<Entry> = workspaces
            .into_iter()
            .map(|w| Entry {
                workspace: w.workspace.into_boxed_str(),
                schedule: w.schedule,
                offset: to_delta(w.offset),
                last: None,
            })
            .collect();
        // Every workspace is looked at once at start: read its last tick, fire
        // what was missed, then it waits for its next tick.
        let heap = (0..entries.len() as u32)
            .map(|i| Reverse((now, i)))
            .collect();
        Scheduler {
            entries,
            heap,
            sink,
            clock,
            options,
            stats: SchedulerStats::default(),
        }
    }

    /// Runs until `cancel` fires. A sink call in flight is finished first (so
    /// a run is never half-queued); nothing new starts after cancellation.
    pub async fn run(mut self, cancel: CancellationToken) -> SchedulerStats {
        let mut handled = 0u32;
        loop {
            if cancel.is_cancelled() {
                break;
            }
            let now = self.clock.now();
            let ready = match self.heap.peek() {
                Some(Reverse((at, idx))) if *at <= now => Some(*idx),
                _ => None,
            };
            if let Some(idx) = ready {
                self.heap.pop();
                self.handle(idx, now).await;
                handled += 1;
                if handled.is_multiple_of(YIELD_EVERY) {
                    tokio::task::yield_now().await;
                }
                continue;
            }
            let wait = match self.heap.peek() {
                Some(Reverse((at, _))) => (*at - now)
                    .to_std()
                    .unwrap_or_default()
                    .min(self.options.max_sleep),
                None => self.options.max_sleep,
            };
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::debug!(fired = self.stats.fired, "scheduler stopped");
        self.stats
    }

    /// The earliest time any workspace is next looked at.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.heap.peek().map(|Reverse((at, _))| *at)
    }

    async fn handle(&mut self, idx: u32, now: DateTime<Utc>) {
        let retry = now
            .checked_add_signed(to_delta(self.options.retry_after))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let e = &self.entries[idx as usize];
        let mut last = match e.last {
            Some(l) => l,
            None => match self.sink.last_fired(&e.workspace).await {
                Ok(Some(l)) => l,
                Ok(None) => first_baseline(
                    &e.schedule,
                    e.offset.to_std().unwrap_or_default(),
                    now,
                    if self.options.run_on_start {
                        FirstRun::LatestTick
                    } else {
                        FirstRun::NextTick
                    },
                ),
                Err(err) => {
                    tracing::warn!(workspace = &*e.workspace, error = %err, "cannot read when the schedule last fired; retrying");
                    self.stats.sink_errors += 1;
                    self.heap.push(Reverse((retry, idx)));
                    return;
                }
            },
        };
        let e = &mut self.entries[idx as usize];
        e.last = Some(last);
        let offset = e.offset.to_std().unwrap_or_default();
        if let Some(tick) = due(&e.schedule, offset, Some(last), now) {
            match self.sink.fire(&e.workspace, tick).await {
                Ok(()) => {
                    tracing::debug!(workspace = &*e.workspace, %tick, "fired");
                    self.stats.fired += 1;
                    last = tick;
                    e.last = Some(tick);
                }
                Err(err) => {
                    tracing::warn!(workspace = &*e.workspace, %tick, error = %err, "cannot queue the scheduled run; retrying");
                    self.stats.sink_errors += 1;
                    self.heap.push(Reverse((retry, idx)));
                    return;
                }
            }
        }
        match e.schedule.next_after(last) {
            Some(next) => self.heap.push(Reverse((
                next.checked_add_signed(e.offset)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
                idx,
            ))),
            None => {
                tracing::info!(workspace = &*e.workspace, schedule = %e.schedule, "schedule has no more ticks")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::jitter_offset;
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    type Fired = (String, DateTime<Utc>, DateTime<Utc>);

    #[derive(Clone, Default)]
    struct MemorySink {
        last: Arc<Mutex<BTreeMap<String, DateTime<Utc>>>>,
        /// (workspace, tick, when fired)
        fired: Arc<Mutex<Vec<Fired>>>,
        fail_next: Arc<Mutex<u32>>,
        clock: Option<TokioClock>,
    }

    impl ScheduleSink for MemorySink {
        async fn last_fired(&self, workspace: &str) -> Result<Option<DateTime<Utc>>, SinkError> {
            Ok(self.last.lock().unwrap().get(workspace).copied())
        }
        async fn fire(&self, workspace: &str, tick: DateTime<Utc>) -> Result<(), SinkError> {
            {
                let mut f = self.fail_next.lock().unwrap();
                if *f > 0 {
                    *f -= 1;
                    return Err(SinkError::new("store is down"));
                }
            }
            let at = self.clock.map(|c| c.now()).unwrap_or(tick);
            self.last.lock().unwrap().insert(workspace.into(), tick);
            self.fired
                .lock()
                .unwrap()
                .push((workspace.into(), tick, at));
            Ok(())
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ws(name: &str, expr: &str, offset: Duration) -> ScheduledWorkspace {
        ScheduledWorkspace {
            workspace: name.into(),
            schedule: Schedule::parse_utc(expr).unwrap(),
            offset,
        }
    }

    fn fired(sink: &MemorySink) -> Vec<(String, String, String)> {
        sink.fired
            .lock()
            .unwrap()
            .iter()
            .map(|(w, t, a)| (w.clone(), t.to_rfc3339(), a.to_rfc3339()))
            .collect()
    }

    /// Starts a scheduler at `start` on the paused clock; returns its handle.
    fn spawn(
        list: Vec<ScheduledWorkspace>,
        sink: &mut MemorySink,
        start: &str,
        options: SchedulerOptions,
    ) -> (CancellationToken, tokio::task::JoinHandle<SchedulerStats>) {
        let clock = TokioClock::starting_at(at(start));
        sink.clock = Some(clock);
        let cancel = CancellationToken::new();
        let s = Scheduler::with_options(list, sink.clone(), clock, options);
        (cancel.clone(), tokio::spawn(s.run(cancel)))
    }

    /// Lets virtual time pass: with the clock paused, tokio jumps straight to
    /// each timer, so the scheduler wakes at exactly its deadlines.
    async fn advance(d: Duration) {
        tokio::time::sleep(d).await;
    }

    #[tokio::test(start_paused = true)]
    async fn fires_on_time_once_per_tick() {
        let mut sink = MemorySink::default();
        let list = vec![
            ws("five", "*/5 * * * *", Duration::ZERO),
            ws("six", "30 */10 * * * *", Duration::ZERO),
            ws("hourly", "@hourly", Duration::ZERO),
        ];
        let (cancel, task) = spawn(list, &mut sink, "2026-03-01T09:58:00Z", Default::default());
        advance(Duration::from_secs(17 * 60 + 1)).await; // to 10:15:01
        cancel.cancel();
        let stats = task.await.unwrap();
        let got = fired(&sink);
        let want: Vec<(String, String, String)> = [
            ("five", "2026-03-01T10:00:00+00:00"),
            ("hourly", "2026-03-01T10:00:00+00:00"),
            ("five", "2026-03-01T10:05:00+00:00"),
            ("six", "2026-03-01T10:00:30+00:00"),
            ("five", "2026-03-01T10:10:00+00:00"),
            ("six", "2026-03-01T10:10:30+00:00"),
            ("five", "2026-03-01T10:15:00+00:00"),
        ]
        .iter()
        .map(|(w, t)| (w.to_string(), t.to_string(), t.to_string()))
        .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        let mut want_sorted = want.clone();
        want_sorted.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        // each fired exactly at its tick (virtual time), none twice, none early
        assert_eq!(got_sorted, want_sorted);
        assert_eq!(stats.fired, 7);
    }

    #[tokio::test(start_paused = true)]
    async fn missed_ticks_after_downtime_fire_once() {
        let mut sink = MemorySink::default();
        // last fired at 03:00; the worker was down until 09:20
        sink.last
            .lock()
            .unwrap()
            .insert("a".into(), at("2026-03-01T03:00:00Z"));
        let (cancel, task) = spawn(
            vec![ws("a", "@hourly", Duration::ZERO)],
            &mut sink,
            "2026-03-01T09:20:00Z",
            Default::default(),
        );
        advance(Duration::from_secs(60 * 60)).await; // to 10:20
        cancel.cancel();
        task.await.unwrap();
        assert_eq!(
            fired(&sink),
            [
                (
                    "a".into(),
                    "2026-03-01T09:00:00+00:00".into(),
                    "2026-03-01T09:20:00+00:00".into()
                ),
                (
                    "a".into(),
                    "2026-03-01T10:00:00+00:00".into(),
                    "2026-03-01T10:00:00+00:00".into()
                ),
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn restart_does_not_fire_twice() {
        let mut sink = MemorySink::default();
        let list = || vec![ws("a", "*/10 * * * *", Duration::ZERO)];
        sink.last
            .lock()
            .unwrap()
            .insert("a".into(), at("2026-03-01T10:00:00Z"));
        // restarted at 10:00:05, right after the 10:00 tick fired
        let (cancel, task) = spawn(
            list(),
            &mut sink,
            "2026-03-01T10:00:05Z",
            Default::default(),
        );
        advance(Duration::from_secs(5 * 60)).await;
        cancel.cancel();
        task.await.unwrap();
        assert!(fired(&sink).is_empty(), "{:?}", fired(&sink));
    }

    #[tokio::test(start_paused = true)]
    async fn first_sight_waits_for_next_tick_unless_run_on_start() {
        let mut sink = MemorySink::default();
        let (cancel, task) = spawn(
            vec![ws("new", "@hourly", Duration::ZERO)],
            &mut sink,
            "2026-03-01T09:20:00Z",
            Default::default(),
        );
        advance(Duration::from_secs(30 * 60)).await;
        assert!(fired(&sink).is_empty());
        advance(Duration::from_secs(15 * 60)).await;
        cancel.cancel();
        task.await.unwrap();
        assert_eq!(
            fired(&sink),
            [(
                "new".into(),
                "2026-03-01T10:00:00+00:00".into(),
                "2026-03-01T10:00:00+00:00".into()
            )]
        );

        let mut sink = MemorySink::default();
        let (cancel, task) = spawn(
            vec![ws("new", "@hourly", Duration::ZERO)],
            &mut sink,
            "2026-03-01T09:20:00Z",
            SchedulerOptions {
                run_on_start: true,
                ..Default::default()
            },
        );
        advance(Duration::from_secs(1)).await;
        cancel.cancel();
        task.await.unwrap();
        assert_eq!(
            fired(&sink),
            [(
                "new".into(),
                "2026-03-01T09:00:00+00:00".into(),
                "2026-03-01T09:20:00+00:00".into()
            )]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn jitter_delays_within_the_window() {
        let mut sink = MemorySink::default();
        let max = Duration::from_secs(300);
        let list: Vec<_> = (0..50)
            .map(|i| {
                let name = format!("ws-{i}");
                let offset = jitter_offset(&name, max);
                ws(&name, "@hourly", offset)
            })
            .collect();
        let (cancel, task) = spawn(list, &mut sink, "2026-03-01T09:59:00Z", Default::default());
        advance(Duration::from_secs(10 * 60)).await;
        cancel.cancel();
        task.await.unwrap();
        let f = sink.fired.lock().unwrap().clone();
        assert_eq!(f.len(), 50);
        let tick = at("2026-03-01T10:00:00Z");
        let mut distinct = std::collections::BTreeSet::new();
        for (name, t, when) in &f {
            assert_eq!(*t, tick);
            let expected = tick + to_delta(jitter_offset(name, max));
            // fired at its offset (to the timer's millisecond), inside [tick, tick + max)
            assert!(
                *when >= expected && *when < expected + TimeDelta::milliseconds(2),
                "{name} {when} {expected}"
            );
            assert!(*when < tick + to_delta(max));
            distinct.insert(when.timestamp());
        }
        assert!(
            distinct.len() > 40,
            "offsets should spread: {}",
            distinct.len()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn time_zone_schedule_fires_at_local_time() {
        let mut sink = MemorySink::default();
        let berlin = crate::schedule::parse_timezone("Europe/Berlin").unwrap();
        let list = vec![ScheduledWorkspace {
            workspace: "eu".into(),
            schedule: Schedule::parse("0 9 * * *", berlin).unwrap(),
            offset: Duration::ZERO,
        }];
        // 2026-03-29: Berlin switches to CEST (UTC+2) at 01:00Z
        let (cancel, task) = spawn(list, &mut sink, "2026-03-28T00:00:00Z", Default::default());
        advance(Duration::from_secs(48 * 3600)).await;
        cancel.cancel();
        task.await.unwrap();
        let ticks: Vec<String> = fired(&sink).into_iter().map(|f| f.1).collect();
        assert_eq!(
            ticks,
            ["2026-03-28T08:00:00+00:00", "2026-03-29T07:00:00+00:00"]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn sink_errors_retry_and_fire_once() {
        let mut sink = MemorySink::default();
        sink.last
            .lock()
            .unwrap()
            .insert("a".into(), at("2026-03-01T09:00:00Z"));
        *sink.fail_next.lock().unwrap() = 2;
        let (cancel, task) = spawn(
            vec![ws("a", "@hourly", Duration::ZERO)],
            &mut sink,
            "2026-03-01T09:59:00Z",
            Default::default(),
        );
        advance(Duration::from_secs(5 * 60)).await;
        cancel.cancel();
        let stats = task.await.unwrap();
        assert_eq!(stats.sink_errors, 2);
        assert_eq!(
            fired(&sink),
            [(
                "a".into(),
                "2026-03-01T10:00:00+00:00".into(),
                "2026-03-01T10:01:00+00:00".into()
            )]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn cancel_stops_promptly_while_sleeping() {
        let mut sink = MemorySink::default();
        let (cancel, task) = spawn(
            vec![ws("a", "@yearly", Duration::ZERO)],
            &mut sink,
            "2026-03-01T00:00:00Z",
            Default::default(),
        );
        tokio::task::yield_now().await;
        let before = tokio::time::Instant::now();
        cancel.cancel();
        let stats = tokio::time::timeout(Duration::from_millis(10), task)
            .await
            .expect("scheduler did not stop within 10ms of virtual time")
            .unwrap();
        assert_eq!(stats.fired, 0);
        assert!(before.elapsed() < Duration::from_millis(10));
    }

    #[tokio::test(start_paused = true)]
    async fn ten_thousand_workspaces_each_fire_once_per_tick() {
        let mut sink = MemorySink::default();
        let hourly = Schedule::parse_utc("@hourly").unwrap();
        let list: Vec<_> = (0..10_000)
            .map(|i| {
                let name = format!("ws-{i:05}");
                ScheduledWorkspace {
                    offset: jitter_offset(&name, Duration::from_secs(600)),
                    workspace: name,
                    schedule: hourly.clone(),
                }
            })
            .collect();
        let (cancel, task) = spawn(list, &mut sink, "2026-03-01T09:59:00Z", Default::default());
        advance(Duration::from_secs(12 * 60)).await;
        cancel.cancel();
        let stats = task.await.unwrap();
        assert_eq!(stats.fired, 10_000);
        let names: std::collections::BTreeSet<String> = sink
            .fired
            .lock()
            .unwrap()
            .iter()
            .map(|f| f.0.clone())
            .collect();
        assert_eq!(names.len(), 10_000);
    }

    /// `worker --once` asks [`crate::schedule::due_from`] with
    /// [`FirstRun::LatestTick`]; the scheduler with `run_on_start` must fire
    /// exactly that tick at start, for never-fired and fired workspaces alike,
    /// with and without jitter.
    #[tokio::test(start_paused = true)]
    async fn once_and_the_scheduler_agree_on_what_is_due() {
        use crate::schedule::due_from;
        let starts = [
            "2026-03-01T09:58:00Z",
            "2026-03-01T10:00:00Z",
            "2026-03-01T10:03:30Z",
            "2026-03-02T00:00:10Z",
        ];
        let lasts = [
            None,
            Some("2026-03-01T09:00:00Z"),
            Some("2026-03-01T10:00:00Z"),
            Some("2026-02-01T00:00:00Z"),
        ];
        let schedules = ["*/5 * * * *", "@hourly", "@daily", "0 10 * * *"];
        let offsets = [
            Duration::ZERO,
            Duration::from_secs(150),
            Duration::from_secs(3599),
        ];
        for start in starts {
            for last in lasts {
                for expr in schedules {
                    for offset in offsets {
                        let schedule = Schedule::parse_utc(expr).unwrap();
                        let last = last.map(at);
                        let once =
                            due_from(&schedule, offset, last, at(start), FirstRun::LatestTick);
                        let mut sink = MemorySink::default();
                        if let Some(l) = last {
                            sink.last.lock().unwrap().insert("w".into(), l);
                        }
                        let options = SchedulerOptions {
                            run_on_start: true,
                            ..Default::default()
                        };
                        let (cancel, task) =
                            spawn(vec![ws("w", expr, offset)], &mut sink, start, options);
                        // The scheduler looks at every workspace once at start.
                        tokio::task::yield_now().await;
                        advance(Duration::from_millis(1)).await;
                        cancel.cancel();
                        task.await.unwrap();
                        let at_start: Vec<DateTime<Utc>> = sink
                            .fired
                            .lock()
                            .unwrap()
                            .iter()
                            .filter(|f| f.2 <= at(start) + TimeDelta::milliseconds(1))
                            .map(|f| f.1)
                            .collect();
                        assert_eq!(
                            at_start.first().copied(),
                            once,
                            "{expr} offset {offset:?} last {last:?} at {start}"
                        );
                    }
                }
            }
        }
    }
}
