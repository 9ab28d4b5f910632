//! Durations people write (`--lease 60s`, `timeout = "10m"`), checked against
//! the range where they make sense before anything uses them: a zero lease
//! lets several workers run one scan at once, and a lease or timeout of a
//! million years overflows the clock arithmetic that uses it.
//!
//! The CLI's flags and the job files' fields share these limits, so a value
//! accepted in one place is accepted in the other.

use std::time::Duration;

/// The range a duration setting accepts, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationLimits {
    pub min: Duration,
    pub max: Duration,
}

const DAY: u64 = 24 * 60 * 60;

/// A claim lease (`--lease`): renewed every third of it, so under a second
/// leaves no room for a slow database round trip; over a day a dead worker's
/// runs wait too long.
pub const LEASE: DurationLimits = DurationLimits {
    min: Duration::from_secs(1),
    max: Duration::from_secs(DAY),
};

/// Time in-flight runs get after shutdown is asked (`--grace`); zero cancels at once.
pub const GRACE: DurationLimits = DurationLimits {
    min: Duration::ZERO,
    max: Duration::from_secs(DAY),
};

/// How long one terraform step may take (`timeout` in job files, `scan --timeout`).
pub const RUN_TIMEOUT: DurationLimits = DurationLimits {
    min: Duration::from_secs(1),
    max: Duration::from_secs(7 * DAY),
};

/// Why a duration setting was refused; names the setting and the accepted range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("{setting} {text:?} is not a duration ({reason}); write e.g. `90s`, `10m` or `2h`")]
    Unparsable {
        setting: String,
        text: String,
        reason: String,
    },
    #[error("{setting} {text:?} is out of range: use between {min} and {max}")]
    OutOfRange {
        setting: String,
        text: String,
        min: String,
        max: String,
    },
}

impl DurationLimits {
    /// Parses `text` (humantime: `90s`, `10m`, `1h 30m`) and checks the range;
    /// `setting` names the flag or field in the error (`--lease`, `timeout`).
    pub fn parse(&self, setting: &str, text: &str) -> Result<Duration, DurationError> {
        let d = humantime::parse_duration(text.trim()).map_err(|e| DurationError::Unparsable {
            setting: setting.to_string(),
            text: text.to_string(),
            reason: e.to_string(),
        })?;
        self.check(setting, text, d)
    }

    /// Checks an already parsed duration; `text` is how the user wrote it.
    pub fn check(&self, setting: &str, text: &str, d: Duration) -> Result<Duration, DurationError> {
        if d < self.min || d > self.max {
            return Err(DurationError::OutOfRange {
                setting: setting.to_string(),
                text: text.to_string(),
                min: humantime::format_duration(self.min).to_string(),
                max: humantime::format_duration(self.max).to_string(),
            });
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_huge_values_are_refused_naming_the_setting() {
        for (limits, text) in [
            (LEASE, "0s"),
            (LEASE, "1000000y"),
            (RUN_TIMEOUT, "0s"),
            (RUN_TIMEOUT, "500000000000y"),
            (GRACE, "1000000y"),
        ] {
            let e = limits.parse("--flag", text).unwrap_err().to_string();
            assert!(e.starts_with("--flag "), "{e}");
            assert!(e.contains("out of range"), "{e}");
        }
        let e = LEASE.parse("--lease", "soon").unwrap_err().to_string();
        assert!(e.contains("--lease \"soon\" is not a duration"), "{e}");
    }

    #[test]
    fn sensible_values_pass() {
        assert_eq!(LEASE.parse("--lease", "60s"), Ok(Duration::from_secs(60)));
        assert_eq!(GRACE.parse("--grace", "0s"), Ok(Duration::ZERO));
        assert_eq!(
            RUN_TIMEOUT.parse("timeout", "1h 30m"),
            Ok(Duration::from_secs(5400))
        );
    }
}
