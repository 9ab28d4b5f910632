//! Numbers as people read them: money rounded to cents by the one rule of
//! [`crate::cost::money`] with thousands separators, signed deltas, percentages. JSON never goes through here; it
//! keeps full precision.

use crate::cost::money::grouped;
use rust_decimal::Decimal;

pub(crate) use crate::cost::money::{signed_usd as signed_money, usd as money};

/// Change from `past` to `future` in percent (`+12.5%`), or `None` when the
/// past cost is zero and a percentage would mean nothing.
pub(crate) fn percent(past: Decimal, future: Decimal) -> Option<String> {
    if past.is_zero() {
        return None;
    }
    let pct = rounded((future - past) / past.abs() * Decimal::ONE_HUNDRED, 1).normalize();
    let sign = if pct.is_sign_positive() && !pct.is_zero() {
        "+"
    } else {
        ""
    };
    Some(format!("{sign}{pct}%"))
}

/// `+$41.08 (+12.5%)`, or just `+$41.08` when there was nothing before.
pub(crate) fn change(past: Decimal, future: Decimal) -> String {
    let delta = signed_money(future - past);
    match percent(past, future) {
        Some(p) => format!("{delta} ({p})"),
        None => delta,
    }
}

/// A quantity for people: up to 4 decimals below 1 (so 0.0005 GB is not shown
/// as 0), up to 2 above, thousands separated, no trailing zeros.
pub(crate) fn quantity(d: Decimal) -> String {
    let dp = if d.abs() < Decimal::ONE { 4 } else { 2 };
    let q = rounded(d, dp).normalize();
    let sign = if q.is_sign_negative() && !q.is_zero() {
        "-"
    } else {
        ""
    };
    let abs = q.abs();
    format!("{sign}{}", grouped(abs, abs.scale()))
}

fn rounded(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, crate::cost::money::ROUNDING)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_rounds_to_cents_and_groups_thousands() {
        assert_eq!(money(dec!(1234567.891)), "$1,234,567.89");
        assert_eq!(money(dec!(5)), "$5.00");
        assert_eq!(money(dec!(0.005)), "$0.01");
        assert_eq!(money(dec!(-1000.5)), "-$1,000.50");
        assert_eq!(money(dec!(-0.001)), "$0.00");
        assert_eq!(money(dec!(999.999)), "$1,000.00");
    }

    #[test]
    fn deltas_carry_their_sign() {
        assert_eq!(signed_money(dec!(12)), "+$12.00");
        assert_eq!(signed_money(dec!(-3.5)), "-$3.50");
        assert_eq!(signed_money(dec!(0.001)), "$0.00");
        assert_eq!(change(dec!(100), dec!(112.5)), "+$12.50 (+12.5%)");
        assert_eq!(change(dec!(100), dec!(50)), "-$50.00 (-50%)");
        assert_eq!(change(dec!(0), dec!(50)), "+$50.00");
        assert_eq!(percent(dec!(3), dec!(3)).as_deref(), Some("0%"));
    }

    #[test]
    fn quantities_keep_small_fractions() {
        assert_eq!(quantity(dec!(730)), "730");
        assert_eq!(quantity(dec!(1000)), "1,000");
        assert_eq!(quantity(dec!(0.00054)), "0.0005");
        assert_eq!(quantity(dec!(12.345)), "12.35");
        assert_eq!(quantity(dec!(-2)), "-2");
    }
}
