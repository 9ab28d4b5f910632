//! What drift does to the monthly bill: one resource's cost as recorded and
//! as it is now ([`CostEffect`]), and their sums over a set of drifted
//! resources ([`CostTotals`]). Priced by [`super::pricing`]; shown by the
//! drift report, stored with each run, and sent in notifications.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Monthly cost of one drifted resource as recorded and as it is now; the
/// caller prices both sides with the cost engine (`None`: not priced).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostEffect {
    pub monthly_before: Option<Decimal>,
    pub monthly_after: Option<Decimal>,
    /// Components of this resource without a price (usage-based without
    /// usage, or no price found) on the side that has more of them; the
    /// monthly costs leave them out, so when not 0 they are lower bounds.
    /// Records written before this field read as 0.
    #[serde(default)]
    pub unpriced_components: usize,
}

impl CostEffect {
    pub fn delta(&self) -> Option<Decimal> {
        Some(self.monthly_after? - self.monthly_before?)
    }
}

/// The sums over several resources' [`CostEffect`]s: each side over the
/// resources priced on that side, the delta over those priced on both
/// (`None`: nothing to sum), and every unpriced component.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CostTotals {
    pub monthly_before: Option<Decimal>,
    pub monthly_after: Option<Decimal>,
    pub delta: Option<Decimal>,
    pub unpriced_components: usize,
}

impl CostTotals {
    pub fn of<'a>(costs: impl IntoIterator<Item = &'a CostEffect>) -> CostTotals {
        let costs: Vec<&CostEffect> = costs.into_iter().collect();
        let sum = |f: &dyn Fn(&CostEffect) -> Option<Decimal>| -> Option<Decimal> {
            let vals: Vec<Decimal> = costs.iter().filter_map(|c| f(c)).collect();
            (!vals.is_empty()).then(|| vals.into_iter().sum::<Decimal>().normalize())
        };
        CostTotals {
            monthly_before: sum(&|c| c.monthly_before),
            monthly_after: sum(&|c| c.monthly_after),
            delta: sum(&|c| c.delta()),
            unpriced_components: costs.iter().map(|c| c.unpriced_components).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn sides_sum_over_what_is_priced_and_the_delta_over_both() {
        let costs = [
            CostEffect {
                monthly_before: Some(dec!(10)),
                monthly_after: Some(dec!(12.50)),
                unpriced_components: 0,
            },
            CostEffect {
                monthly_before: None,
                monthly_after: Some(dec!(3)),
                unpriced_components: 2,
            },
        ];
        assert_eq!(
            CostTotals::of(&costs),
            CostTotals {
                monthly_before: Some(dec!(10)),
                monthly_after: Some(dec!(15.5)),
                delta: Some(dec!(2.5)),
                unpriced_components: 2,
            }
        );
        assert_eq!(CostTotals::of([]), CostTotals::default());
    }
}
