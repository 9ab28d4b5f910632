//! Cost components: what a resource file asks to be priced, and what the engine returns.

use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// Hours in a billing month, as AWS and Infracost count them.
pub const HOURS_PER_MONTH: Decimal = dec!(730);

/// How much of a component a resource uses, in the price table's unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Quantity {
    /// Per hour, all month (an instance: 1 per hour).
    Hourly(Decimal),
    /// Per month (GB of storage provisioned).
    Monthly(Decimal),
    /// Per month, from the usage file; `None` when the file does not say.
    Usage(Option<Decimal>),
}

/// One line a resource file asks the engine to price.
#[derive(Debug, Clone)]
pub struct ComponentSpec {
    pub name: String,
    /// Unit shown to people ("hours", "GB", "1M requests").
    pub unit: &'static str,
    /// Table units per shown unit (1,000,000 when the table prices per request
    /// and we show "1M requests"). Quantities stay in table units, so the cost
    /// is `quantity × price` exactly.
    pub unit_multiplier: Decimal,
    pub quantity: Quantity,
    pub filter: PriceFilter,
    /// Names for the table's tiers, in order (Infracost's "Requests (first
    /// 333M)"); empty means `name` plus a generated tier label.
    pub tier_names: &'static [&'static str],
    /// Price every unit at the paid tiers, leaving out a free tier the table
    /// starts with (AWS's account-wide free tiers, which one resource cannot
    /// claim; Infracost's "beyond the free tier" prices).
    pub beyond_free_tier: bool,
    /// Name every tier, even when the quantity stays in the first, with
    /// short figures (`Duration (first 6B)`), as Infracost names Lambda's.
    pub short_tier_labels: bool,
}

impl ComponentSpec {
    pub fn hourly(
        name: impl Into<String>,
        unit: &'static str,
        per_hour: Decimal,
        filter: PriceFilter,
    ) -> Self {
        Self::new(name, unit, Quantity::Hourly(per_hour), filter)
    }

    pub fn monthly(
        name: impl Into<String>,
        unit: &'static str,
        per_month: Decimal,
        filter: PriceFilter,
    ) -> Self {
        Self::new(name, unit, Quantity::Monthly(per_month), filter)
    }

    /// A usage-based component; `None` shows as "usage-based" with no cost.
    pub fn usage(
        name: impl Into<String>,
        unit: &'static str,
        per_month: Option<Decimal>,
        filter: PriceFilter,
    ) -> Self {
        Self::new(name, unit, Quantity::Usage(per_month), filter)
    }

    fn new(
        name: impl Into<String>,
        unit: &'static str,
        quantity: Quantity,
        filter: PriceFilter,
    ) -> Self {
        ComponentSpec {
            name: name.into(),
            unit,
            unit_multiplier: Decimal::ONE,
            quantity,
            filter,
            tier_names: &[],
            beyond_free_tier: false,
            short_tier_labels: false,
        }
    }

    /// Names each tier of the price (every tier line, even when the usage
    /// stays in the first, and the usage-based line, take these names).
    pub fn tier_names(mut self, names: &'static [&'static str]) -> Self {
        self.tier_names = names;
        self
    }

    /// Labels tiers as Infracost does for Lambda: see [`ComponentSpec::short_tier_labels`].
    pub fn short_tier_labels(mut self) -> Self {
        self.short_tier_labels = true;
        self
    }

    /// Prices from the first paid tier on: see [`ComponentSpec::beyond_free_tier`].
    pub fn beyond_free_tier(mut self) -> Self {
        self.beyond_free_tier = true;
        self
    }

    /// Shows quantities in units of `multiplier` table units.
    pub fn per(mut self, multiplier: Decimal) -> Self {
        self.unit_multiplier = multiplier;
        self
    }
}

/// What a resource file returns for one resource.
#[derive(Debug, Default)]
pub struct Priced {
    pub components: Vec<ComponentSpec>,
    /// Named parts billed separately (an instance's root volume).
    pub subresources: Vec<(String, Vec<ComponentSpec>)>,
    /// Parts of a part, as `(parent, name, components)`: an AKS default node
    /// pool's `os_disk` under `default_node_pool`. Shown under the
    /// subresource called `parent` (added after the others when there is none).
    pub nested: Vec<(String, String, Vec<ComponentSpec>)>,
    /// Assumptions worth telling the reader (a default applied, a reference not resolved).
    pub notes: Vec<String>,
    /// Arithmetic that did not fit a decimal (`monthly_requests × request_duration_ms`):
    /// the estimate is refused with these named.
    pub too_large: Vec<String>,
}

impl Priced {
    /// `a × b`, or `None` (recorded as too large, naming `what`) when the
    /// product does not fit a decimal: usage values of 1e15 × 1e15 must be
    /// an error, never a panic.
    pub fn mul(&mut self, what: &str, a: Decimal, b: Decimal) -> Option<Decimal> {
        let product = a.checked_mul(b);
        if product.is_none() {
            self.too_large.push(what.to_string());
        }
        product
    }

    pub fn push(&mut self, c: ComponentSpec) {
        self.components.push(c);
    }

    /// Adds `components` as the subresource `name` of the subresource `parent`.
    pub fn push_nested(
        &mut self,
        parent: impl Into<String>,
        name: impl Into<String>,
        components: Vec<ComponentSpec>,
    ) {
        self.nested.push((parent.into(), name.into(), components));
    }

    pub fn note(&mut self, n: impl Into<String>) {
        self.notes.push(n.into());
    }
}

/// Whether a component got a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ComponentStatus {
    Priced,
    /// Usage-based and the usage file gives no value: shown, never counted as $0.
    UsageMissing,
    /// The pricing tables have no row for the filter.
    NoPriceFound,
}

/// A priced line of the breakdown, shaped like Infracost's `costComponents[]`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostComponent {
    pub name: String,
    pub unit: String,
    pub hourly_quantity: Option<Decimal>,
    pub monthly_quantity: Option<Decimal>,
    /// Price per shown unit.
    pub price: Option<Decimal>,
    pub hourly_cost: Option<Decimal>,
    pub monthly_cost: Option<Decimal>,
    pub usage_based: bool,
    pub status: ComponentStatus,
    /// Left out of JSON when unknown (a line read back from a previous report).
    #[serde(skip_serializing_if = "filter_unknown")]
    pub price_filter: PriceFilter,
}

fn filter_unknown(f: &PriceFilter) -> bool {
    f.cloud.is_empty()
}

pub(crate) fn hourly_of(monthly: Decimal) -> Decimal {
    (monthly / HOURS_PER_MONTH).round_dp(10).normalize()
}
