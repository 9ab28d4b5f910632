//! Bounded retries with exponential backoff, honouring `Retry-After`.
//!
//! What is retried: connection errors, timeouts, HTTP 429 and 5xx, SMTP 4xx.
//! What is not: any other 4xx, SMTP 5xx, bad configuration; retrying those
//! only delays the error message someone has to act on. A `Retry-After`
//! longer than [`Retry::max_retry_after`] ends the attempts with a retryable
//! error carrying the wait, so the outbox can reschedule instead of holding a
//! worker.
//!
//! The clock is injectable so tests run the backoff without waiting.

use super::NotifyError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Time as the retry loop sees it.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The real clock: `SystemTime::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// How hard one delivery tries.
#[derive(Clone)]
pub struct Retry {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: u32,
    /// Wait after the first failure; doubled after each further one.
    pub base_delay: Duration,
    /// Cap on the exponential wait.
    pub max_delay: Duration,
    /// Longest `Retry-After` waited in place.
    pub max_retry_after: Duration,
    pub clock: Arc<dyn Clock>,
}

impl Default for Retry {
    /// 5 attempts over about 15 s (1, 2, 4, 8 s), `Retry-After` up to 2 minutes.
    fn default() -> Self {
        Retry {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for Retry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retry")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("max_retry_after", &self.max_retry_after)
            .finish_non_exhaustive()
    }
}

impl Retry {
    /// The exponential wait before attempt `next` (2, 3, …).
    pub fn backoff(&self, next: u32) -> Duration {
        let factor = 2u32.saturating_pow(next.saturating_sub(2));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Why one attempt did not deliver.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Worth another attempt; `after` is the server's `Retry-After`.
    Transient {
        reason: String,
        after: Option<Duration>,
    },
    Permanent(NotifyError),
}

impl From<NotifyError> for Failure {
    fn from(e: NotifyError) -> Self {
        Failure::Permanent(e)
    }
}

/// Runs `attempt` until it succeeds, fails permanently or the attempts run
/// out. Returns the value and the number of attempts made.
pub(crate) async fn with_retries<T, F, Fut>(
    retry: &Retry,
    target: &str,
    mut attempt: F,
) -> Result<(T, u32), NotifyError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let max = retry.max_attempts.max(1);
    let mut n = 1;
    loop {
        match attempt().await {
            Ok(v) => return Ok((v, n)),
            Err(Failure::Permanent(e)) => return Err(e),
            Err(Failure::Transient { reason, after }) => {
                if let Some(wait) = after.filter(|w| *w > retry.max_retry_after) {
                    return Err(NotifyError::GaveUp {
                        target: target.to_string(),
                        attempts: n,
                        last: format!("{reason}; the server asked to wait {}s", wait.as_secs()),
                        retry_after: Some(wait),
                    });
                }
                if n >= max {
                    return Err(NotifyError::GaveUp {
                        target: target.to_string(),
                        attempts: n,
                        last: reason,
                        retry_after: None,
                    });
                }
                n += 1;
                let wait = after.unwrap_or_else(|| retry.backoff(n));
                tracing::warn!(target = target, attempt = n, wait_ms = wait.as_millis() as u64, reason = %reason, "notification not delivered, retrying");
                retry.clock.sleep(wait).await;
            }
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
/// Unparseable values are ignored (the exponential backoff applies).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How an HTTP answer is treated: 2xx delivered, 429 and 5xx retried
/// (`Retry-After` honoured on 429 and 503), anything else permanent.
pub(crate) fn http_transient(
    status: u16,
    retry_after: Option<&str>,
    now: SystemTime,
) -> Option<Option<Duration>> {
    match status {
        429 | 503 => Some(retry_after.and_then(|v| parse_retry_after(v, now))),
        500..=599 => Some(None),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A clock that records the waits asked for and returns at once.
    #[derive(Default)]
    pub(crate) struct FakeClock {
        pub(crate) slept: Mutex<Vec<Duration>>,
    }

    impl Clock for FakeClock {
        fn now(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        }
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
            self.slept.lock().unwrap().push(d);
            Box::pin(async {})
        }
    }

    fn policy(clock: Arc<FakeClock>) -> Retry {
        Retry {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(3),
            max_retry_after: Duration::from_secs(60),
            clock,
        }
    }

    #[tokio::test]
    async fn backs_off_exponentially_then_gives_up() {
        let clock = Arc::new(FakeClock::default());
        let calls = AtomicU32::new(0);
        let r: Result<((), u32), _> = with_retries(&policy(clock.clone()), "slack ($X)", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async {
                Err(Failure::Transient {
                    reason: "HTTP 500".into(),
                    after: None,
                })
            }
        })
        .await;
        let err = r.unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        assert_eq!(
            err.to_string(),
            "slack ($X): gave up after 4 attempts: HTTP 500"
        );
        assert!(err.is_retryable());
        assert_eq!(
            *clock.slept.lock().unwrap(),
            vec![
                Duration::from_secs(1),
                Duration::from_secs(2),
                Duration::from_secs(3)
            ]
        );
    }

    #[tokio::test]
    async fn honours_retry_after_and_stops_on_permanent() {
        let clock = Arc::new(FakeClock::default());
        let calls = AtomicU32::new(0);
        let r = with_retries(&policy(clock.clone()), "t", || {
            let k = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match k {
                    0 => Err(Failure::Transient {
                        reason: "HTTP 429".into(),
                        after: Some(Duration::from_secs(7)),
                    }),
                    _ => Ok("sent"),
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(r, ("sent", 2));
        assert_eq!(*clock.slept.lock().unwrap(), vec![Duration::from_secs(7)]);

        let r: Result<((), u32), _> = with_retries(&policy(clock.clone()), "t", || async {
            Err(Failure::Permanent(NotifyError::Config {
                target: "t".into(),
                message: "bad".into(),
            }))
        })
        .await;
        assert!(!r.unwrap_err().is_retryable());
    }

    #[tokio::test]
    async fn a_long_retry_after_is_handed_back_to_the_outbox() {
        let clock = Arc::new(FakeClock::default());
        let r: Result<((), u32), _> = with_retries(&policy(clock.clone()), "t", || async {
            Err(Failure::Transient {
                reason: "HTTP 429".into(),
                after: Some(Duration::from_secs(3600)),
            })
        })
        .await;
        let e = r.unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
        assert!(clock.slept.lock().unwrap().is_empty());
    }

    #[test]
    fn retry_after_seconds_or_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after(" 12 ", now),
            Some(Duration::from_secs(12))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            http_transient(429, Some("3"), now),
            Some(Some(Duration::from_secs(3)))
        );
        assert_eq!(http_transient(502, Some("3"), now), Some(None));
        assert_eq!(http_transient(404, None, now), None);
        assert_eq!(http_transient(200, None, now), None);
    }
}
