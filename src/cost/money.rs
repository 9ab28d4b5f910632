//! Money for people: the one rounding rule every command, page and
//! notification uses, so `scan`, `runs show`, the worker summary, email and
//! Slack never disagree by a cent.
//!
//! **Rule:** amounts are rounded to cents **half away from zero** (half-up
//! on magnitudes: 30.365 → 30.37, −30.365 → −30.37), the way AWS bills and
//! Infracost displays. JSON keeps full precision and is never rounded.

use rust_decimal::{Decimal, RoundingStrategy};

/// The rounding strategy of [`round_cents`]: half away from zero.
pub const ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// `d` rounded to cents by the one rule, with exactly two decimals.
pub fn round_cents(d: Decimal) -> Decimal {
    let mut c = d.round_dp_with_strategy(2, ROUNDING);
    c.rescale(2);
    c
}

/// `$1,234.57`; negative amounts as `-$1,234.57`.
pub fn usd(d: Decimal) -> String {
    let cents = round_cents(d);
    let sign = if cents.is_sign_negative() && !cents.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", grouped(cents.abs(), 2))
}

/// A delta with an explicit sign: `+$12.00`, `-$3.50`, `$0.00` when nothing changes.
pub fn signed_usd(d: Decimal) -> String {
    let cents = round_cents(d);
    if cents.is_zero() {
        usd(Decimal::ZERO)
    } else if cents.is_sign_positive() {
        format!("+{}", usd(cents))
    } else {
        usd(cents)
    }
}

/// A signed amount without the currency sign or grouping (`+30.37`, `-3.50`,
/// `+0.00`), for lines that say `USD` after it.
pub fn signed_amount(d: Decimal) -> String {
    let cents = round_cents(d);
    if cents.is_sign_negative() && !cents.is_zero() {
        cents.to_string()
    } else {
        format!("+{}", cents.abs())
    }
}

/// Non-negative `d` with exactly `dp` decimals and `,` between thousands.
pub(crate) fn grouped(d: Decimal, dp: u32) -> String {
    let mut fixed = d;
    fixed.rescale(dp);
    let s = fixed.to_string();
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn one_rule_rounds_half_away_from_zero_never_truncates() {
        // t3.medium 0.0416 × 730 = 30.368: truncating shows 30.36.
        assert_eq!(signed_amount(dec!(30.368)), "+30.37");
        assert_eq!(round_cents(dec!(30.365)), dec!(30.37));
        assert_eq!(round_cents(dec!(-30.365)), dec!(-30.37));
        // Banker's rounding would give 0.12.
        assert_eq!(round_cents(dec!(0.125)), dec!(0.13));
        assert_eq!(signed_amount(dec!(-3.5)), "-3.50");
        assert_eq!(signed_amount(dec!(-0.001)), "+0.00");
        assert_eq!(usd(dec!(1234567.895)), "$1,234,567.90");
        assert_eq!(signed_usd(dec!(-0.005)), "-$0.01");
        assert_eq!(round_cents(dec!(5)).to_string(), "5.00");
    }
}
