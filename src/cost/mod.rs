//! The cost engine: resource → cost components → price lookup → monthly cost.
//!
//! Resource files under `resources/<cloud>/` only read attributes and list
//! components with their price filters; the engine looks prices up, applies
//! usage and tiers, and sums. The engine never does I/O: callers load the plan,
//! the usage file and the pricing tables.

mod attrs;
mod breakdown;
mod component;
mod ctx;
mod diff;
mod engine;
pub mod money;
pub(crate) mod resources;
mod sensitive;
#[cfg(test)]
pub(crate) mod testing;
mod tiers;
mod usage;

/// The key of one price lives with the tables it indexes; resource files name it from here.
pub use crate::pricing::PriceFilter;
pub use attrs::Attrs;
pub use breakdown::{
    Breakdown, CostInputError, PriceMiss, ProjectCost, ProjectMetadata, ResourceCost,
    ResourceMetadata, Summary, count_unpriced,
};
pub use component::{
    ComponentSpec, ComponentStatus, CostComponent, HOURS_PER_MONTH, Priced, Quantity,
};
pub use ctx::{CostOptions, Ctx, DEFAULT_REGION};
pub(crate) use diff::diff_breakdowns;
pub use engine::estimate;
pub use money::{round_cents, signed_amount, signed_usd, usd};
pub use resources::supported_types;
pub use sensitive::HIDDEN as SENSITIVE_SHOWN_AS;
pub use usage::{Usage, UsageError, UsageFile};
