//! Bar charts as inline SVG, laid out on the server: a title, a y axis with
//! its unit and round ticks, an x axis with its label, one bar per point
//! (negative values hang below the zero line), and beside each chart a
//! table of the same numbers. No script, so the pages work without one.
//!
//! Geometry is computed in `Decimal` like the values it draws (money is never
//! a float here either) and written with one decimal place.

use super::format::money;
use maud::{Markup, html};
use rust_decimal::Decimal;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
const LEFT: i64 = 72;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 52;
/// Widest bar, so one or two points do not fill the chart.
const MAX_BAR: i64 = 56;
/// Most x labels written under the axis; the table has all of them.
const MAX_X_LABELS: usize = 6;

/// What the y values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Whole things (drift items, failures): ticks are whole numbers.
    Count,
    /// US dollars per month.
    UsdPerMonth,
}

impl Unit {
    fn label(self, value: Decimal) -> String {
        match self {
            Unit::Count => value.normalize().to_string(),
            Unit::UsdPerMonth => money(value),
        }
    }
}

/// One chart: `points` are (x label, value); `None` is a point without a
/// value (an unpriced cost), drawn as no bar and said in the table.
#[derive(Debug, Clone)]
pub(crate) struct BarChart<'a> {
    /// Unique on the page (element ids are made from it).
    pub id: &'a str,
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub unit: Unit,
    pub points: Vec<(String, Option<Decimal>)>,
    /// What the table calls a missing value.
    pub missing: &'a str,
}

/// The y axis: from `min` to `max` (0 within) in steps of `step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Axis {
    pub min: Decimal,
    pub max: Decimal,
    pub step: Decimal,
}

/// A round axis (steps of 1, 2 or 5 × 10ⁿ, about four of them) holding every
/// value and zero. Counts step by whole numbers.
pub(crate) fn axis(values: impl IntoIterator<Item = Decimal>, unit: Unit) -> Axis {
    let (mut lo, mut hi) = (Decimal::ZERO, Decimal::ZERO);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let span = hi - lo;
    let floor = match unit {
        Unit::Count => Decimal::ONE,
        Unit::UsdPerMonth => Decimal::new(1, 2),
    };
    if span.is_zero() {
        return Axis {
            min: Decimal::ZERO,
            max: floor.max(Decimal::ONE),
            step: floor.max(Decimal::ONE),
        };
    }
    let raw = span / Decimal::from(4);
    let mut magnitude = Decimal::ONE;
    while magnitude * Decimal::TEN <= raw {
        magnitude *= Decimal::TEN;
    }
    while magnitude > raw && magnitude > Decimal::new(1, 6) {
        magnitude /= Decimal::TEN;
    }
    let step = [1, 2, 5, 10]
        .iter()
        .map(|m| magnitude * Decimal::from(*m))
        .find(|s| *s >= raw)
        .unwrap_or(magnitude * Decimal::TEN)
        .max(floor);
    Axis {
        min: (lo / step).floor() * step,
        max: (hi / step).ceil() * step,
        step,
    }
}

fn px(d: Decimal) -> String {
    d.round_dp(1).normalize().to_string()
}

impl BarChart<'_> {
    /// The chart and its table, side by side where there is room.
    pub(crate) fn render(&self) -> Markup {
        html! {
            div.chart {
                figure {
                    figcaption id=(format!("{}-title", self.id)) { (self.title) }
                    (self.svg())
                }
                (self.table())
            }
        }
    }

    fn summary(&self) -> String {
        let valued: Vec<Decimal> = self.points.iter().filter_map(|p| p.1).collect();
        match (self.points.first(), self.points.last()) {
            (Some(first), Some(last)) => format!(
                "{} points from {} to {}; highest {}; latest {}. The table beside it has every value.",
                self.points.len(),
                first.0,
                last.0,
                valued
                    .iter()
                    .max()
                    .map_or_else(|| self.missing.to_string(), |v| self.unit.label(*v)),
                last.1
                    .map_or_else(|| self.missing.to_string(), |v| self.unit.label(v)),
            ),
            _ => "No data yet.".to_string(),
        }
    }

    /// The SVG alone.
    pub(crate) fn svg(&self) -> Markup {
        let axis = axis(self.points.iter().filter_map(|p| p.1), self.unit);
        let plot_w = Decimal::from(WIDTH - LEFT - RIGHT);
        let plot_h = Decimal::from(HEIGHT - TOP - BOTTOM);
        let left = Decimal::from(LEFT);
        let top = Decimal::from(TOP);
        let span = axis.max - axis.min;
        let y_of = |v: Decimal| top + (axis.max - v) / span * plot_h;
        let zero = y_of(Decimal::ZERO);
        let n = self.points.len().max(1);
        let slot = plot_w / Decimal::from(n);
        let bar_w = (slot * Decimal::new(7, 1))
            .min(Decimal::from(MAX_BAR))
            .max(Decimal::ONE);
        let mut ticks = Vec::new();
        let mut t = axis.min;
        while t <= axis.max {
            ticks.push(t);
            t += axis.step;
        }
        let every = n.div_ceil(MAX_X_LABELS).max(1);
        let bottom = top + plot_h;
        let id = self.id;
        html! {
            svg.bars viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
                aria-labelledby=(format!("{id}-t {id}-d")) preserveAspectRatio="xMidYMid meet" {
                title id=(format!("{id}-t")) { (self.title) }
                desc id=(format!("{id}-d")) { (self.summary()) }
                @for tick in &ticks {
                    line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(px(y_of(*tick))) y2=(px(y_of(*tick))) {}
                    text.tick x=(LEFT - 6) y=(px(y_of(*tick) + Decimal::from(4))) text-anchor="end" {
                        (self.unit.label(*tick))
                    }
                }
                @for (i, (label, value)) in self.points.iter().enumerate() {
                    @let x = left + slot * Decimal::from(i as i64) + (slot - bar_w) / Decimal::TWO;
                    @if let Some(v) = value {
                        @let (y, h) = if *v >= Decimal::ZERO { (y_of(*v), zero - y_of(*v)) } else { (zero, y_of(*v) - zero) };
                        rect class=(if *v < Decimal::ZERO { "bar neg" } else { "bar" })
                            x=(px(x)) y=(px(y)) width=(px(bar_w)) height=(px(h)) {
                            title { (label) ": " (self.unit.label(*v)) }
                        }
                    }
                    @if i % every == 0 {
                        text.tick x=(px(x + bar_w / Decimal::TWO)) y=(px(bottom + Decimal::from(16))) text-anchor="middle" {
                            (label)
                        }
                    }
                }
                line.axis x1=(LEFT) x2=(WIDTH - RIGHT) y1=(px(zero)) y2=(px(zero)) {}
                line.axis x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(px(bottom)) {}
                text.axis-label x=(px(left + plot_w / Decimal::TWO)) y=(HEIGHT - 8) text-anchor="middle" {
                    (self.x_label)
                }
                text.axis-label transform=(format!("translate(14 {}) rotate(-90)", px(top + plot_h / Decimal::TWO)))
                    text-anchor="middle" { (self.y_label) }
                @if self.points.is_empty() {
                    text.tick x=(px(left + plot_w / Decimal::TWO)) y=(px(top + plot_h / Decimal::TWO)) text-anchor="middle" {
                        "No data yet"
                    }
                }
            }
        }
    }

    /// The numbers of the chart as a table.
    pub(crate) fn table(&self) -> Markup {
        html! {
            div.scroll role="region" aria-label=(format!("{} (table)", self.title)) tabindex="0" {
                table.numbers {
                    caption { (self.title) " — numbers" }
                    thead { tr { th scope="col" { (self.x_label) } th scope="col" class="num" { (self.y_label) } } }
                    tbody {
                        @for (label, value) in &self.points {
                            tr {
                                th scope="row" { (label) }
                                td.num { (value.map_or_else(|| self.missing.to_string(), |v| self.unit.label(v))) }
                            }
                        }
                        @if self.points.is_empty() {
                            tr { td colspan="2" { "No data yet." } }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn chart(points: Vec<(&str, Option<Decimal>)>, unit: Unit) -> String {
        BarChart {
            id: "c",
            title: "Cost of drift",
            x_label: "Run",
            y_label: "USD per month",
            unit,
            points: points
                .into_iter()
                .map(|(l, v)| (l.to_string(), v))
                .collect(),
            missing: "not priced",
        }
        .render()
        .into_string()
    }

    #[test]
    fn axes_are_round_and_hold_zero_and_every_value() {
        assert_eq!(
            axis([dec!(3), dec!(17)], Unit::Count),
            Axis {
                min: dec!(0),
                max: dec!(20),
                step: dec!(5)
            }
        );
        assert_eq!(
            axis([dec!(-12.5), dec!(40)], Unit::UsdPerMonth),
            Axis {
                min: dec!(-20),
                max: dec!(40),
                step: dec!(20)
            }
        );
        // Counts never step by fractions.
        assert_eq!(axis([dec!(1)], Unit::Count).step, dec!(1));
        assert_eq!(
            axis([dec!(2)], Unit::Count),
            Axis {
                min: dec!(0),
                max: dec!(2),
                step: dec!(1)
            }
        );
        // Nothing or only zeros: a 0..1 axis, not a division by zero.
        assert_eq!(
            axis([], Unit::Count),
            Axis {
                min: dec!(0),
                max: dec!(1),
                step: dec!(1)
            }
        );
        assert_eq!(axis([dec!(0)], Unit::UsdPerMonth).max, dec!(1));
        let a = axis([dec!(0.03)], Unit::UsdPerMonth);
        assert!(a.max >= dec!(0.03) && a.step >= dec!(0.01), "{a:?}");
    }

    #[test]
    fn bars_scale_to_the_axis_and_negative_ones_hang_below_zero() {
        let svg = chart(
            vec![("#1", Some(dec!(40))), ("#2", Some(dec!(-20)))],
            Unit::UsdPerMonth,
        );
        // Plot area 16..208 (192 px) over -20..40: zero at y=144.
        assert!(
            svg.contains(r#"class="bar" x="182" y="16" width="56" height="128""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="bar neg" x="458" y="144" width="56" height="64""#),
            "{svg}"
        );
        assert!(svg.contains("<title>#2: -$20.00</title>"), "{svg}");
        // Title, axis labels with unit, ticks in dollars.
        for want in [
            "<title id=\"c-t\">Cost of drift</title>",
            ">Run</text>",
            ">USD per month</text>",
            ">$40.00</text>",
            ">-$20.00</text>",
        ] {
            assert!(svg.contains(want), "{want} missing in {svg}");
        }
    }

    #[test]
    fn missing_values_are_said_not_drawn_as_zero() {
        let html = chart(vec![("#1", None), ("#2", Some(dec!(5)))], Unit::UsdPerMonth);
        assert_eq!(html.matches("<rect").count(), 1);
        assert!(html.contains("<td class=\"num\">not priced</td>"), "{html}");
        assert!(html.contains("<td class=\"num\">$5.00</td>"));
    }

    #[test]
    fn labels_are_escaped_and_thinned_under_the_axis() {
        let points: Vec<(String, Option<Decimal>)> = (0..30)
            .map(|i| (format!("<d{i}>"), Some(Decimal::from(i))))
            .collect();
        let html = BarChart {
            id: "x",
            title: "t<script>",
            x_label: "Day",
            y_label: "Drift items",
            unit: Unit::Count,
            points,
            missing: "-",
        }
        .render()
        .into_string();
        assert!(!html.contains("<script>") && !html.contains("<d1>"));
        assert!(html.contains("t&lt;script&gt;"));
        // 30 points: every 5th labelled under the axis, all 30 in the table.
        assert_eq!(html.matches("text-anchor=\"middle\">&lt;d").count(), 6);
        assert_eq!(html.matches("<th scope=\"row\">&lt;d").count(), 30);
    }

    #[test]
    fn an_empty_chart_says_so() {
        let html = chart(vec![], Unit::Count);
        assert!(html.contains("No data yet"));
        assert!(!html.contains("<rect"));
    }
}
