//! The engine's result: per-resource costs before and after a plan, the delta,
//! and a summary. Field names follow Infracost's JSON so its readers read ours.

use super::component::CostComponent;
use crate::plan::Region;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One costed resource (or a subresource such as an instance's root volume).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceCost {
    /// The resource address (`module.x.aws_instance.web[0]`).
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_type: String,
    pub metadata: ResourceMetadata,
    pub hourly_cost: Option<Decimal>,
    pub monthly_cost: Option<Decimal>,
    pub cost_components: Vec<CostComponent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subresources: Vec<ResourceCost>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Plan actions for this resource (`["update"]`, `["delete","create"]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<crate::plan::Action>,
    /// Assumptions made while pricing (a default applied, a region guessed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ResourceCost {
    /// Every component of this resource and its subresources, with the
    /// subresource name prefixed (`root_block_device: Storage`).
    pub fn all_components(&self) -> Vec<(String, &CostComponent)> {
        let mut out: Vec<(String, &CostComponent)> = self
            .cost_components
            .iter()
            .map(|c| (c.name.clone(), c))
            .collect();
        for sub in &self.subresources {
            for (name, c) in sub.all_components() {
                out.push((format!("{}: {name}", sub.name), c));
            }
        }
        out
    }

    pub fn has_usage_based(&self) -> bool {
        self.any_component(&|c| c.usage_based)
    }

    /// Whether any component of this resource or its subresources matches,
    /// without building the names [`ResourceCost::all_components`] builds.
    pub(crate) fn any_component(&self, f: &dyn Fn(&CostComponent) -> bool) -> bool {
        self.cost_components.iter().any(f) || self.subresources.iter().any(|s| s.any_component(f))
    }

    /// Components of this resource and its subresources without a cost
    /// (usage-based without usage, or no price found): its total leaves them out.
    pub fn unpriced_components(&self) -> usize {
        self.cost_components
            .iter()
            .filter(|c| c.monthly_cost.is_none())
            .count()
            + self
                .subresources
                .iter()
                .map(ResourceCost::unpriced_components)
                .sum::<usize>()
    }
}

/// Unpriced components of all `resources` (see [`ResourceCost::unpriced_components`]).
pub fn count_unpriced(resources: &[ResourceCost]) -> usize {
    resources
        .iter()
        .map(ResourceCost::unpriced_components)
        .sum()
}

/// Resources and totals for one side of the plan (past, future) or the diff.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Breakdown {
    pub resources: Vec<ResourceCost>,
    pub total_hourly_cost: Decimal,
    pub total_monthly_cost: Decimal,
    /// Components without a price (usage-based without usage, or no price
    /// found) that the totals leave out: a total with any is a lower bound.
    pub unpriced_components: usize,
}

/// Counts a reader needs to trust the totals: what was not priced and why.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub total_detected_resources: usize,
    pub total_supported_resources: usize,
    pub total_unsupported_resources: usize,
    pub total_usage_based_resources: usize,
    /// Resources that are free (IAM, VPC, security groups, …).
    pub total_no_price_resources: usize,
    pub unsupported_resource_counts: BTreeMap<String, usize>,
    pub no_price_resource_counts: BTreeMap<String, usize>,
    /// Usage-based components the usage file gave no value for (shown, not priced).
    pub usage_based_components_without_usage: usize,
    /// Components whose price filter matched no row of the pricing tables,
    /// one entry per filter with the resources that asked for it (a plan with
    /// thousands of resources of one type in an unpriced region has one
    /// entry, not thousands).
    pub price_not_found: Vec<PriceMiss>,
    /// Resources whose region was not in the plan, so the default was assumed.
    pub region_guessed_resources: usize,
    /// Inputs that cannot be right; a caller must refuse the estimate when
    /// there are any ([`ProjectCost::check_inputs`]). Never serialized.
    #[serde(skip)]
    pub input_errors: Vec<CostInputError>,
}

/// A number in the plan or the usage file that cannot be right, found while
/// pricing; the message names the resource and field and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CostInputError {
    #[error(
        "{address}: {field} is {value}; a size or quantity cannot be negative: correct it in the configuration (or the usage file) and plan again"
    )]
    Negative {
        address: String,
        field: String,
        value: String,
    },
    #[error(
        "{address}: {field} is {value}, too large to be a size or quantity (over 1,000,000,000,000); correct it and plan again"
    )]
    TooLarge {
        address: String,
        field: String,
        value: String,
    },
    #[error(
        "{address}: usage value too large: {what} does not fit a money amount; check the usage file's values for this resource"
    )]
    UsageTooLarge { address: String, what: String },
}

/// The components that found no price under one filter (`message` names it).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceMiss {
    /// The component's name (as the first resource listed shows it).
    pub component: String,
    pub message: String,
    /// Addresses of the resources with this component, in plan order.
    pub resources: Vec<String>,
}

impl Summary {
    /// Adds one resource's component without a price to the entry for its
    /// filter; `index` maps messages to entries (kept by the caller so a
    /// large plan groups in linear time).
    pub(crate) fn add_price_miss(
        &mut self,
        index: &mut foldhash::HashMap<String, usize>,
        resource: String,
        component: String,
        message: String,
    ) {
        if let Some(&i) = index.get(&message) {
            self.price_not_found[i].resources.push(resource);
            return;
        }
        index.insert(message.clone(), self.price_not_found.len());
        self.price_not_found.push(PriceMiss {
            component,
            message,
            resources: vec![resource],
        });
    }
}

/// One project (a plan, a workspace): Infracost's `projects[]` entry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectCost {
    pub name: String,
    pub metadata: ProjectMetadata,
    pub past_breakdown: Breakdown,
    pub breakdown: Breakdown,
    pub diff: Breakdown,
    pub summary: Summary,
    /// Unsupported resource addresses, so nobody mistakes them for $0.
    pub unsupported_resources: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform_version: Option<String>,
    pub default_region: String,
}

impl ProjectCost {
    /// Refuses an estimate made from inputs that cannot be right (negative
    /// sizes, values too large to compute with): all of them, one per line.
    pub fn check_inputs(&self) -> Result<(), String> {
        let errors = &self.summary.input_errors;
        if errors.is_empty() {
            return Ok(());
        }
        Err(errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    pub fn diff_total_monthly_cost(&self) -> Decimal {
        self.breakdown.total_monthly_cost - self.past_breakdown.total_monthly_cost
    }
}
