//! The cost engine: resource → cost components → price lookup → monthly cost.
//!
//! Resource files under `resources/<cloud>/` only read attributes and list
//! components with their price filters; the engine looks prices up, applies
//! usage and tiers, and sums. The engine never does I/O: callers load the plan,
//! the usage file and the pricing tables.

mod attrs;
mod breakdown;
mod component;
mod engine;
pub mod money;
mod price_filter;
pub(crate) mod resources;
mod sensitive;
#[cfg(test)]
pub(crate) mod testing;
mod usage;

pub use attrs::Attrs;
pub use breakdown::{
    Breakdown, CostInputError, PriceMiss, ProjectCost, ProjectMetadata, ResourceCost,
    ResourceMetadata, Summary, count_unpriced,
};
pub use component::{
    ComponentSpec, ComponentStatus, CostComponent, HOURS_PER_MONTH, Priced, Quantity,
};
pub(crate) use engine::diff_breakdowns;
pub use engine::{CostOptions, Ctx, DEFAULT_REGION, estimate};
pub use money::{round_cents, signed_amount, signed_usd, usd};
pub use price_filter::PriceFilter;
pub(crate) use price_filter::canonical_key;
pub use resources::supported_types;
pub use sensitive::HIDDEN as SENSITIVE_SHOWN_AS;
pub use usage::{Usage, UsageError, UsageFile};
