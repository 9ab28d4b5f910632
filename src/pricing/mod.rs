//! Pricing tables: loading the shipped (or user-supplied) tables and looking
//! prices up, plus `pricing import` from the clouds' official price lists.
//!
//! The tables are CSV files under `pricing/` at the repository root (read with
//! polars); the shipped ones are embedded in the binary so `driftcost` works
//! from any directory, offline.

pub mod families;
mod filter;
pub mod import;
mod table;

pub use filter::PriceFilter;
pub(crate) use filter::canonical_key;
pub use table::{PriceTable, PricingError, Tier};
