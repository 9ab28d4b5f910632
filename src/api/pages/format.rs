//! How the pages write money, times, durations and URL path segments.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// `$1,234.57`, `-$3.10`: rounded half away from zero to cents once, for display.
pub(crate) fn money(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let neg = r.is_sign_negative() && !r.is_zero();
    let text = format!("{:.2}", r.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${grouped}.{frac}", if neg { "-" } else { "" })
}

/// A monthly cost change, or what to say when it has no price (never $0).
pub(crate) fn money_or_unpriced(d: Option<Decimal>) -> String {
    d.map_or_else(|| "not priced".to_string(), |d| format!("{}/mo", money(d)))
}

/// `2026-03-05 14:02 UTC`.
pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `1 h 02 min`, `3 min 05 s`, `12.3 s`, `450 ms`.
pub(crate) fn duration_ms(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    } else if ms < 3_600_000 {
        format!("{} min {:02} s", ms / 60_000, (ms % 60_000) / 1000)
    } else {
        format!("{} h {:02} min", ms / 3_600_000, (ms % 3_600_000) / 60_000)
    }
}

/// How long ago `t` was, roughly: `just now`, `5 min ago`, `3 h ago`, `2 days ago`.
pub(crate) fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - t).num_seconds();
    if s < 60 {
        "just now".into()
    } else if s < 3600 {
        format!("{} min ago", s / 60)
    } else if s < 86_400 {
        format!("{} h ago", s / 3600)
    } else {
        let d = s / 86_400;
        format!("{d} day{} ago", if d == 1 { "" } else { "s" })
    }
}

/// One URL path segment: every byte but RFC 3986's unreserved ones is
/// percent-encoded, so a workspace named `a/b?c` links to itself.
pub(crate) fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query-string value (same rule as [`path_segment`]).
pub(crate) fn query_value(s: &str) -> String {
    path_segment(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_rounds_once_and_groups_thousands() {
        assert_eq!(money(dec!(1234567.005)), "$1,234,567.01");
        assert_eq!(money(dec!(-3.1)), "-$3.10");
        assert_eq!(money(dec!(-0.001)), "$0.00");
        assert_eq!(money(dec!(999.999)), "$1,000.00");
        assert_eq!(money(dec!(12)), "$12.00");
        assert_eq!(money_or_unpriced(None), "not priced");
        assert_eq!(money_or_unpriced(Some(dec!(5))), "$5.00/mo");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_ms(450), "450 ms");
        assert_eq!(duration_ms(12_345), "12.3 s");
        assert_eq!(duration_ms(185_000), "3 min 05 s");
        assert_eq!(duration_ms(3_720_000), "1 h 02 min");
    }

    #[test]
    fn path_segments_keep_only_unreserved_bytes() {
        assert_eq!(path_segment("prod-eu_1.x~"), "prod-eu_1.x~");
        assert_eq!(path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(path_segment("<é>"), "%3C%C3%A9%3E");
    }
}
