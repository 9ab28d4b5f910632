//! Run-store values for tests that write runs through the library.

use driftcost::drift::{DriftCause, DriftItem, DriftKind};

/// A drifted (changed outside terraform) resource with no attribute changes.
pub fn drift_item(address: &str) -> DriftItem {
    let (resource_type, name) = address.split_once('.').unwrap_or((address, address));
    DriftItem {
        address: address.into(),
        resource_type: resource_type.into(),
        name: name.into(),
        module_address: None,
        kind: DriftKind::Changed,
        cause: DriftCause::ChangedOutsideTerraform,
        actions: Vec::new(),
        changes: Vec::new(),
        fingerprint: format!("fp-{address}"),
        priceable_before: None,
        priceable_after: None,
    }
}
