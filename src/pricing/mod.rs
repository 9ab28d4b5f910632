//! Pricing tables: loading the shipped (or user-supplied) tables and looking
//! prices up, plus `pricing import` from the clouds' official price lists and `pricing
//! update` from AWS's Price List bulk API.
//!
//! The tables are CSV files under `pricing/` at the repository root (read with
//! polars); the shipped ones are embedded in the binary so `driftcost` works
//! from any directory, offline.

pub mod families;
mod filter;
pub mod import;
mod table;
pub mod update;

pub use filter::PriceFilter;
pub(crate) use filter::canonical_key;
pub use table::{PriceTable, PricingError, Tier};
