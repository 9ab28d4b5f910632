//! Schedule expressions and the due rule.
//!
//! Accepted forms:
//! - standard 5-field cron `min hour dom mon dow` with Vixie semantics: day of
//!   week 0–7 (0 and 7 are Sunday) or names, and when both day of month and
//!   day of week are restricted a day matching *either* fires;
//! - the `cron` crate's 6/7-field form `sec min hour dom mon dow [year]`, with
//!   that crate's semantics (day of week 1–7 = Sunday–Saturday, and day of
//!   month AND day of week must both match);
//! - `@hourly`, `@daily`/`@midnight`, `@weekly` (Sunday 00:00),
//!   `@monthly`, `@yearly`/`@annually`;
//! - `@every <duration>` (humantime: `15m`, `2h 30m`): ticks at whole multiples
//!   of the interval since the Unix epoch, so they stay put across restarts.
//!
//! Times are computed in the schedule's time zone (UTC unless a job sets
//! one). On DST days a local time that does not exist (spring forward) has no
//! tick that day, and a local time that occurs twice (fall back) ticks once,
//! at its first occurrence.

use chrono::{DateTime, LocalResult, TimeDelta, TimeZone, Utc};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use chrono_tz::Tz;

const EXPECTED_FORMS: &str = "expected 5 fields (min hour dom mon dow), 6/7 fields (sec min hour dom mon dow [year]), \
     @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually or @every <duration>";

const FIVE_FIELD_NAMES: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];
const CRATE_FIELD_NAMES: [&str; 7] = [
    "second",
    "minute",
    "hour",
    "day-of-month",
    "month",
    "day-of-week",
    "year",
];

/// What a field accepts, for error messages (the crate's own messages are
/// multi-line and sometimes off by one).
fn field_syntax(field: &str, five: bool) -> String {
    let values = match field {
        "second" | "minute" => "0–59",
        "hour" => "0–23",
        "day-of-month" => "1–31",
        "month" => "1–12 or JAN–DEC",
        "day-of-week" if five => "0–7 (0 and 7 = Sunday) or SUN–SAT",
        "day-of-week" => "1–7 (1 = Sunday) or SUN–SAT",
        _ => "1970–2099",
    };
    format!("expected {values}, `*`, a list (1,5), a range (1-5) or a step (*/15)")
}

/// Why a schedule or time zone was rejected; each message quotes the input and
/// says what is expected, for `jobs check` to print next to file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("`{expr}` is empty; {EXPECTED_FORMS}")]
    Empty { expr: String },
    #[error("`{expr}` has {count} fields; {EXPECTED_FORMS}")]
    FieldCount { expr: String, count: usize },
    #[error("`{expr}`: {field} field `{value}` is invalid; {message}")]
    Field {
        expr: String,
        field: &'static str,
        value: String,
        message: String,
    },
    #[error("`{expr}` is not a cron expression: {message}; {EXPECTED_FORMS}")]
    Cron { expr: String, message: String },
    #[error("`{expr}` is not a known shorthand; {EXPECTED_FORMS}")]
    Shorthand { expr: String },
    #[error("`{expr}`: {message}; e.g. \"@every 15m\" or \"@every 2h\"")]
    Every { expr: String, message: String },
    #[error(
        "`{name}` is not an IANA time zone; use a name like \"Europe/Berlin\", \"America/New_York\" or \"UTC\""
    )]
    Timezone { name: String },
}

/// A parsed schedule with its time zone. Cheap to clone (shared): many
/// workspaces usually share a handful of expressions.
#[derive(Clone)]
pub struct Schedule {
    inner: Arc<Inner>,
}

struct Inner {
    source: String,
    tz: Tz,
    kind: Kind,
}

enum Kind {
    /// One schedule, or two when Vixie's day-of-month OR day-of-week applies;
    /// a time is a tick if it is a tick of any of them.
    Cron(Vec<cron::Schedule>),
    /// Interval in whole seconds, aligned to the Unix epoch.
    Every(i64),
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Schedule({:?} in {})", self.inner.source, self.inner.tz)
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.tz == Tz::UTC {
            f.write_str(&self.inner.source)
        } else {
            write!(f, "{} ({})", self.inner.source, self.inner.tz)
        }
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.inner.source == other.inner.source && self.inner.tz == other.inner.tz
    }
}

/// Parses an IANA time-zone name (`Europe/Berlin`, `UTC`).
pub fn parse_timezone(name: &str) -> Result<Tz, ScheduleError> {
    Tz::from_str(name.trim()).map_err(|_| ScheduleError::Timezone {
        name: name.to_string(),
    })
}

impl Schedule {
    /// Parses `expr` (any accepted form, see the module doc) for zone `tz`.
    pub fn parse(expr: &str, tz: Tz) -> Result<Schedule, ScheduleError> {
        let source = expr.trim().to_string();
        let kind = parse_kind(&source)?;
        Ok(Schedule {
            inner: Arc::new(Inner { source, tz, kind }),
        })
    }

    /// In UTC.
    pub fn parse_utc(expr: &str) -> Result<Schedule, ScheduleError> {
        Self::parse(expr, Tz::UTC)
    }

    /// The expression as written (trimmed).
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    pub fn timezone(&self) -> Tz {
        self.inner.tz
    }

    /// The first tick strictly after `t`.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.inner.kind {
            Kind::Every(secs) => {
                let n = t.timestamp().div_euclid(*secs);
                DateTime::from_timestamp((n + 1) * secs, 0)
            }
            Kind::Cron(crons) => crons.iter().filter_map(|c| self.cron_next(c, t)).min(),
        }
    }

    /// The last tick at or before `t`.
    pub fn latest_at_or_before(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.inner.kind {
            Kind::Every(secs) => {
                let n = t.timestamp().div_euclid(*secs);
                DateTime::from_timestamp(n * secs, 0)
            }
            Kind::Cron(crons) => crons.iter().filter_map(|c| self.cron_prev(c, t)).max(),
        }
    }

    fn cron_next(&self, c: &cron::Schedule, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let tz = self.inner.tz;
        if tz == Tz::UTC {
            return c.after(&t).next();
        }
        // The crate yields both instants of an ambiguous local time; keep the
        // first occurrence only, and never an instant at or before `t` (which
        // an ambiguous local time just after `t` in local terms can be).
        c.after(&t.with_timezone(&tz))
            .take(4)
            .map(|d| d.with_timezone(&Utc))
            .find(|d| *d > t && !self.is_second_occurrence(*d))
    }

    fn cron_prev(&self, c: &cron::Schedule, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // The crate's backwards search is strictly before its argument;
        // a nanosecond later makes it "at or before `t`".
        let t1 = t + TimeDelta::nanoseconds(1);
        let tz = self.inner.tz;
        if tz == Tz::UTC {
            return c.after(&t1).next_back();
        }
        c.after(&t1.with_timezone(&tz))
            .rev()
            .take(4)
            .map(|d| d.with_timezone(&Utc))
            .find(|d| *d <= t && !self.is_second_occurrence(*d))
    }

    fn is_second_occurrence(&self, d: DateTime<Utc>) -> bool {
        let tz = self.inner.tz;
        let local = d.with_timezone(&tz).naive_local();
        matches!(tz.from_local_datetime(&local), LocalResult::Ambiguous(_, later) if later.with_timezone(&Utc) == d)
    }
}

fn parse_kind(expr: &str) -> Result<Kind, ScheduleError> {
    if expr.is_empty() {
        return Err(ScheduleError::Empty {
            expr: expr.to_string(),
        });
    }
    if let Some(rest) = expr.strip_prefix('@') {
        let lower = rest.to_ascii_lowercase();
        if let Some(d) = lower.strip_prefix("every") {
            return parse_every(expr, d.trim());
        }
        let six = match lower.as_str() {
            "hourly" => "0 0 * * * *",
            "daily" | "midnight" => "0 0 0 * * *",
            "weekly" => "0 0 0 * * SUN",
            "monthly" => "0 0 0 1 * *",
            "yearly" | "annually" => "0 0 0 1 1 *",
            _ => {
                return Err(ScheduleError::Shorthand {
                    expr: expr.to_string(),
                });
            }
        };
        return Ok(Kind::Cron(vec![
            cron::Schedule::from_str(six).expect("shorthand expansions parse"),
        ]));
    }
    let fields: Vec<&str> = expr.split_whitespace().collect();
    match fields.len() {
        5 => parse_five(expr, &fields),
        6 | 7 => parse_crate_form(expr, &fields).map(|c| Kind::Cron(vec![c])),
        count => Err(ScheduleError::FieldCount {
            expr: expr.to_string(),
            count,
        }),
    }
}

fn parse_every(expr: &str, d: &str) -> Result<Kind, ScheduleError> {
    let every = |message: String| ScheduleError::Every {
        expr: expr.to_string(),
        message,
    };
    if d.is_empty() {
        return Err(every("needs an interval".into()));
    }
    let dur = humantime::parse_duration(d)
        .map_err(|e| every(format!("`{d}` is not a duration ({e})")))?;
    if dur < Duration::from_secs(1) || dur.subsec_nanos() != 0 {
        return Err(every(format!(
            "`{d}` must be a whole number of seconds, at least 1s"
        )));
    }
    let secs = i64::try_from(dur.as_secs()).map_err(|_| every(format!("`{d}` is too long")))?;
    Ok(Kind::Every(secs))
}

/// The `cron` crate's own form, checked field by field on failure so the
/// error can name the field.
fn parse_crate_form(expr: &str, fields: &[&str]) -> Result<cron::Schedule, ScheduleError> {
    cron::Schedule::from_str(&fields.join(" ")).map_err(|e| {
        blame_field(expr, fields, &CRATE_FIELD_NAMES, |i, v| {
            let mut probe = vec!["*"; fields.len()];
            probe[0] = "0";
            probe[i] = v;
            probe.join(" ")
        })
        .unwrap_or_else(|| ScheduleError::Cron {
            expr: expr.to_string(),
            message: e.to_string(),
        })
    })
}

/// Vixie cron: translate day of week to the crate's numbering, prepend a
/// zero seconds field, and split into two schedules when day of month and
/// day of week are both restricted (either may match).
fn parse_five(expr: &str, f: &[&str]) -> Result<Kind, ScheduleError> {
    let dow = five_field_dow(f[4]).map_err(|message| ScheduleError::Field {
        expr: expr.to_string(),
        field: "day-of-week",
        value: f[4].to_string(),
        message,
    })?;
    let restricted = |s: &str| !(s.starts_with('*') || s == "?");
    let exprs = if restricted(f[2]) && restricted(f[4]) {
        vec![
            format!("0 {} {} {} {} *", f[0], f[1], f[2], f[3]),
            format!("0 {} {} * {} {}", f[0], f[1], f[3], dow),
        ]
    } else {
        vec![format!("0 {} {} {} {} {}", f[0], f[1], f[2], f[3], dow)]
    };
    let mut out = Vec::with_capacity(exprs.len());
    for e in exprs {
        out.push(cron::Schedule::from_str(&e).map_err(|err| {
            blame_field(expr, &f[..4], &FIVE_FIELD_NAMES, |i, v| {
                let mut probe = ["*"; 6];
                probe[0] = "0";
                probe[i + 1] = v;
                probe.join(" ")
            })
            .unwrap_or_else(|| ScheduleError::Cron {
                expr: expr.to_string(),
                message: err.to_string(),
            })
        })?);
    }
    Ok(Kind::Cron(out))
}

/// Finds the first field that fails on its own (all other fields `*`).
fn blame_field(
    expr: &str,
    fields: &[&str],
    names: &[&'static str],
    probe: impl Fn(usize, &str) -> String,
) -> Option<ScheduleError> {
    let five = names.len() == FIVE_FIELD_NAMES.len();
    fields.iter().enumerate().find_map(|(i, v)| {
        cron::Schedule::from_str(&probe(i, v))
            .err()
            .map(|_| ScheduleError::Field {
                expr: expr.to_string(),
                field: names[i],
                value: v.to_string(),
                message: field_syntax(names[i], five),
            })
    })
}

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Standard day of week (0–7, 0 and 7 Sunday, or names) as a list of the
/// crate's day names, or `*` when every day is included.
fn five_field_dow(field: &str) -> Result<String, String> {
    if field == "*" || field == "?" {
        return Ok("*".into());
    }
    let mut days = [false; 7];
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => {
                let step: usize = s
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("step `{s}` must be a whole number ≥ 1"))?;
                (b, Some(step))
            }
            None => (item, None),
        };
        let (lo, hi) = if base == "*" {
            (0, 6)
        } else if let Some((a, b)) = base.split_once('-') {
            (day_number(a)?, day_number(b)?)
        } else {
            let d = day_number(base)?;
            (d, if step.is_some() { 6 } else { d })
        };
        if lo > hi {
            return Err(format!(
                "range `{base}` runs backwards; write the lower day first"
            ));
        }
        for d in (lo..=hi).step_by(step.unwrap_or(1)) {
            days[d % 7] = true;
        }
    }
    if days.iter().all(|d| *d) {
        return Ok("*".into());
    }
    Ok(days
        .iter()
        .zip(DAY_NAMES)
        .filter(|(on, _)| **on)
        .map(|(_, n)| n)
        .collect::<Vec<_>>()
        .join(","))
}

fn day_number(s: &str) -> Result<usize, String> {
    if let Ok(n) = s.parse::<usize>() {
        return if n <= 7 {
            Ok(n)
        } else {
            Err(format!(
                "`{s}` is out of range; days of week are 0–7 (0 and 7 = Sunday) or SUN–SAT"
            ))
        };
    }
    let lower = s.to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|n| lower.len() >= 3 && n.to_ascii_lowercase() == lower[..3])
        .filter(|_| {
            [
                "sunday",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
            ]
            .iter()
            .any(|full| full.starts_with(&lower))
        })
        .ok_or_else(|| format!("`{s}` is not a day; use 0–7 (0 and 7 = Sunday) or SUN, MON, … SAT"))
}

/// Where `workspace` sits in a jitter window of `max`: a stable offset in
/// `[0, max)` from a hash of its name, so thousands of workspaces on one
/// schedule spread out while each keeps its slot across restarts.
pub fn jitter_offset(workspace: &str, max: Duration) -> Duration {
    let ms = max.as_millis();
    if ms == 0 {
        return Duration::ZERO;
    }
    let digest = Sha256::digest(workspace.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    let n = u128::from_be_bytes(first) % ms;
    Duration::from_millis(n as u64)
}

/// The tick to run now, if any: the latest tick `t` with
/// `last_fired < t` and `t + offset <= now`.
///
/// - `last_fired` is the last *tick* that fired (schedule time, before
///   jitter), as persisted by the store; after downtime with many missed
///   ticks only the latest is returned, so a workspace runs once, not once per
///   missed tick.
/// - `None` (never fired) is never due: the scheduler takes "now" as the
///   baseline on first sight so ticks from before it started are not run
///   (unless its `run_on_start` option is set).
pub fn due(
    schedule: &Schedule,
    offset: Duration,
    last_fired: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let last = last_fired?;
    let tick = schedule.latest_at_or_before(now.checked_sub_signed(to_delta(offset))?)?;
    (tick > last).then_some(tick)
}

/// What a workspace that never fired does when first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstRun {
    /// Its latest tick (at or before now, jitter applied) is due at once:
    /// `worker --once`, and the scheduler with `run_on_start`.
    LatestTick,
    /// It waits for its next tick: the long-running scheduler by default.
    NextTick,
}

/// What stands in for `last_fired` for a workspace that never fired, seen
/// at `now`: just before its latest tick ([`FirstRun::LatestTick`], which
/// makes that tick due) or `now` less its jitter ([`FirstRun::NextTick`]).
pub fn first_baseline(
    schedule: &Schedule,
    offset: Duration,
    now: DateTime<Utc>,
    first: FirstRun,
) -> DateTime<Utc> {
    let baseline = now.checked_sub_signed(to_delta(offset)).unwrap_or(now);
    match (first, schedule.latest_at_or_before(baseline)) {
        (FirstRun::LatestTick, Some(t)) => t
            .checked_sub_signed(TimeDelta::nanoseconds(1))
            .unwrap_or(baseline),
        _ => baseline,
    }
}

/// The one due rule of every caller (the scheduler, `worker --once`): [`due`]
/// with [`first_baseline`] standing in for a workspace that never fired.
pub fn due_from(
    schedule: &Schedule,
    offset: Duration,
    last_fired: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    first: FirstRun,
) -> Option<DateTime<Utc>> {
    let last = last_fired.unwrap_or_else(|| first_baseline(schedule, offset, now, first));
    due(schedule, offset, Some(last), now)
}

/// When a workspace on `schedule` with `offset` next fires after `now`
/// (jitter applied), for summaries; the scheduler itself uses [`due`].
pub fn next_fire(
    schedule: &Schedule,
    offset: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let offset = to_delta(offset);
    schedule
        .next_after(now.checked_sub_signed(offset)?)?
        .checked_add_signed(offset)
}

pub(crate) fn to_delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn next_n(s: &Schedule, from: &str, n: usize) -> Vec<String> {
        let mut t = at(from);
        (0..n)
            .map(|_| {
                t = s.next_after(t).unwrap();
                t.to_rfc3339()
            })
            .collect()
    }

    #[test]
    fn five_field_every_five_minutes() {
        let s = Schedule::parse_utc("*/5 * * * *").unwrap();
        assert_eq!(
            next_n(&s, "2026-03-01T10:02:30Z", 3),
            [
                "2026-03-01T10:05:00+00:00",
                "2026-03-01T10:10:00+00:00",
                "2026-03-01T10:15:00+00:00"
            ]
        );
        // strictly after: a tick exactly at `t` is not "next"
        assert_eq!(
            s.next_after(at("2026-03-01T10:05:00Z")).unwrap(),
            at("2026-03-01T10:10:00Z")
        );
        assert_eq!(
            s.latest_at_or_before(at("2026-03-01T10:05:00Z")).unwrap(),
            at("2026-03-01T10:05:00Z")
        );
        assert_eq!(
            s.latest_at_or_before(at("2026-03-01T10:04:59.9Z")).unwrap(),
            at("2026-03-01T10:00:00Z")
        );
    }

    #[test]
    fn five_field_day_of_week_is_vixie_numbering() {
        // 1-5 is Monday to Friday in standard cron (the crate would read Sunday to Thursday)
        let s = Schedule::parse_utc("0 9 * * 1-5").unwrap();
        // 2026-03-06 is a Friday
        assert_eq!(
            next_n(&s, "2026-03-06T10:00:00Z", 2),
            ["2026-03-09T09:00:00+00:00", "2026-03-10T09:00:00+00:00"]
        );
        let sun0 = Schedule::parse_utc("0 0 * * 0").unwrap();
        let sun7 = Schedule::parse_utc("0 0 * * 7").unwrap();
        let sun = Schedule::parse_utc("0 0 * * sun").unwrap();
        let want = ["2026-03-08T00:00:00+00:00"];
        assert_eq!(next_n(&sun0, "2026-03-06T00:00:00Z", 1), want);
        assert_eq!(next_n(&sun7, "2026-03-06T00:00:00Z", 1), want);
        assert_eq!(next_n(&sun, "2026-03-06T00:00:00Z", 1), want);
        let weekend = Schedule::parse_utc("30 6 * * 6-7").unwrap();
        assert_eq!(
            next_n(&weekend, "2026-03-06T00:00:00Z", 2),
            ["2026-03-07T06:30:00+00:00", "2026-03-08T06:30:00+00:00"]
        );
    }

    #[test]
    fn five_field_dom_or_dow() {
        // the 13th OR any Friday (Vixie): 2026-03-06 Fri, 2026-03-13 Fri+13th, then 2026-03-20 Fri
        let s = Schedule::parse_utc("0 0 13 * 5").unwrap();
        assert_eq!(
            next_n(&s, "2026-03-01T00:00:00Z", 3),
            [
                "2026-03-06T00:00:00+00:00",
                "2026-03-13T00:00:00+00:00",
                "2026-03-20T00:00:00+00:00"
            ]
        );
        // only the latest of both is "latest at or before"
        assert_eq!(
            s.latest_at_or_before(at("2026-04-14T00:00:00Z")).unwrap(),
            at("2026-04-13T00:00:00Z")
        );
    }

    #[test]
    fn six_and_seven_field_crate_form() {
        let s = Schedule::parse_utc("30 */15 * * * *").unwrap();
        assert_eq!(
            next_n(&s, "2026-03-01T10:00:00Z", 2),
            ["2026-03-01T10:00:30+00:00", "2026-03-01T10:15:30+00:00"]
        );
        let s = Schedule::parse_utc("0 0 12 1 1 * 2027").unwrap();
        assert_eq!(
            next_n(&s, "2026-03-01T00:00:00Z", 1),
            ["2027-01-01T12:00:00+00:00"]
        );
        assert_eq!(s.next_after(at("2027-06-01T00:00:00Z")), None);
    }

    #[test]
    fn shorthands() {
        let from = "2026-03-04T10:20:00Z"; // a Wednesday
        let first = |e: &str| next_n(&Schedule::parse_utc(e).unwrap(), from, 1).remove(0);
        assert_eq!(first("@hourly"), "2026-03-04T11:00:00+00:00");
        assert_eq!(first("@daily"), "2026-03-05T00:00:00+00:00");
        assert_eq!(first("@midnight"), "2026-03-05T00:00:00+00:00");
        assert_eq!(first("@weekly"), "2026-03-08T00:00:00+00:00");
        assert_eq!(first("@monthly"), "2026-04-01T00:00:00+00:00");
        assert_eq!(first("@yearly"), "2027-01-01T00:00:00+00:00");
        assert_eq!(first("@annually"), "2027-01-01T00:00:00+00:00");
        assert_eq!(first("@HOURLY"), "2026-03-04T11:00:00+00:00");
        assert_eq!(first("@every 15m"), "2026-03-04T10:30:00+00:00");
        assert_eq!(first("@every 7m"), "2026-03-04T10:21:00+00:00"); // epoch-aligned
    }

    #[test]
    fn errors_name_the_field_and_the_forms() {
        let e = Schedule::parse_utc("*/5 * * *").unwrap_err().to_string();
        assert!(
            e.starts_with(
                "`*/5 * * *` has 4 fields; expected 5 fields (min hour dom mon dow), 6/7 fields"
            ),
            "{e}"
        );
        assert!(e.contains("@hourly"), "{e}");
        let e = Schedule::parse_utc("61 * * * *").unwrap_err().to_string();
        assert!(e.contains("minute field `61` is invalid"), "{e}");
        let e = Schedule::parse_utc("0 25 * * *").unwrap_err().to_string();
        assert!(e.contains("hour field `25` is invalid"), "{e}");
        let e = Schedule::parse_utc("0 0 * foo *").unwrap_err().to_string();
        assert!(e.contains("month field `foo` is invalid"), "{e}");
        let e = Schedule::parse_utc("0 0 * * 8").unwrap_err().to_string();
        assert!(
            e.contains("day-of-week field `8` is invalid; `8` is out of range"),
            "{e}"
        );
        let e = Schedule::parse_utc("0 0 0 32 * *").unwrap_err().to_string();
        assert!(e.contains("day-of-month field `32` is invalid"), "{e}");
        let e = Schedule::parse_utc("@fortnightly").unwrap_err().to_string();
        assert!(e.contains("`@fortnightly` is not a known shorthand"), "{e}");
        let e = Schedule::parse_utc("@every soon").unwrap_err().to_string();
        assert!(e.contains("`soon` is not a duration"), "{e}");
        let e = Schedule::parse_utc("").unwrap_err().to_string();
        assert!(e.contains("is empty"), "{e}");
        let e = parse_timezone("Europe/Berln").unwrap_err().to_string();
        assert!(e.contains("`Europe/Berln` is not an IANA time zone"), "{e}");
    }

    #[test]
    fn time_zone_and_dst() {
        let ny = parse_timezone("America/New_York").unwrap();
        let s = Schedule::parse("0 9 * * *", ny).unwrap();
        // EST (UTC-5) before 2026-03-08, EDT (UTC-4) after
        assert_eq!(
            next_n(&s, "2026-03-06T15:00:00Z", 3),
            [
                "2026-03-07T14:00:00+00:00",
                "2026-03-08T13:00:00+00:00",
                "2026-03-09T13:00:00+00:00"
            ]
        );
        // 02:30 does not exist on 2026-03-08 in New York: no tick that day
        let s = Schedule::parse("30 2 * * *", ny).unwrap();
        assert_eq!(
            next_n(&s, "2026-03-07T00:00:00Z", 3),
            [
                "2026-03-07T07:30:00+00:00",
                "2026-03-09T06:30:00+00:00",
                "2026-03-10T06:30:00+00:00"
            ]
        );
        // 01:30 happens twice on 2026-11-01 (fall back): one tick, the first (EDT, UTC-4)
        let s = Schedule::parse("30 1 * * *", ny).unwrap();
        assert_eq!(
            next_n(&s, "2026-10-31T12:00:00Z", 2),
            ["2026-11-01T05:30:00+00:00", "2026-11-02T06:30:00+00:00"]
        );
        // between the two occurrences, the latest tick is the first one
        assert_eq!(
            s.latest_at_or_before(at("2026-11-01T06:45:00Z")).unwrap(),
            at("2026-11-01T05:30:00Z")
        );
        assert_eq!(
            s.next_after(at("2026-11-01T06:00:00Z")).unwrap(),
            at("2026-11-02T06:30:00Z")
        );
        assert_eq!(s.to_string(), "30 1 * * * (America/New_York)");
    }

    #[test]
    fn due_fires_once_for_the_latest_missed_tick() {
        let s = Schedule::parse_utc("@hourly").unwrap();
        let last = Some(at("2026-03-01T10:00:00Z"));
        // nothing new yet
        assert_eq!(
            due(&s, Duration::ZERO, last, at("2026-03-01T10:59:59Z")),
            None
        );
        // exactly on the tick
        assert_eq!(
            due(&s, Duration::ZERO, last, at("2026-03-01T11:00:00Z")),
            Some(at("2026-03-01T11:00:00Z"))
        );
        // after 5 hours down: the latest missed tick only
        assert_eq!(
            due(&s, Duration::ZERO, last, at("2026-03-01T15:20:00Z")),
            Some(at("2026-03-01T15:00:00Z"))
        );
        // jitter shifts when a tick is due, not which tick it is
        let j = Duration::from_secs(90);
        assert_eq!(due(&s, j, last, at("2026-03-01T11:01:29Z")), None);
        assert_eq!(
            due(&s, j, last, at("2026-03-01T11:01:30Z")),
            Some(at("2026-03-01T11:00:00Z"))
        );
        assert_eq!(
            next_fire(&s, j, at("2026-03-01T11:01:29Z")),
            Some(at("2026-03-01T11:01:30Z"))
        );
        assert_eq!(
            next_fire(&s, j, at("2026-03-01T11:01:30Z")),
            Some(at("2026-03-01T12:01:30Z"))
        );
        // never fired: never due (the scheduler sets a baseline)
        assert_eq!(
            due(&s, Duration::ZERO, None, at("2026-03-01T15:20:00Z")),
            None
        );
    }

    #[test]
    fn jitter_is_bounded_stable_and_spread() {
        let max = Duration::from_secs(600);
        let offsets: Vec<Duration> = (0..1000)
            .map(|i| jitter_offset(&format!("ws-{i}"), max))
            .collect();
        assert!(offsets.iter().all(|o| *o < max));
        assert_eq!(jitter_offset("ws-7", max), offsets[7]);
        assert_eq!(
            jitter_offset("network-prod", max),
            jitter_offset("network-prod", max)
        );
        assert_eq!(jitter_offset("x", Duration::ZERO), Duration::ZERO);
        // spread: every minute-wide bucket of the 10-minute window is used
        let mut buckets = [0usize; 10];
        for o in &offsets {
            buckets[(o.as_secs() / 60) as usize] += 1;
        }
        assert!(
            buckets.iter().all(|b| (50..=150).contains(b)),
            "{buckets:?}"
        );
    }
}
