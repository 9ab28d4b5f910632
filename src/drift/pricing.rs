//! Pricing drift with the cost engine, without giving it a sensitive value.
//!
//! The engine prices `resource_changes` (before and after); the drift engine
//! hands it one synthetic change per drifted resource whose sides are the
//! item's `priceable_before` / `priceable_after` (sensitive leaves removed).
//! Typical use, keeping the plan's `configuration` for region resolution:
//!
//! ```ignore
//! let mut p = plan;                        // the refresh-only plan
//! p.resource_changes = drift::pricing::pricing_changes(&result);
//! let estimate = cost::estimate(&p, &table, &opts);
//! let costs = drift::pricing::cost_effects(&result, &estimate);
//! ```

use super::CostEffect;
use super::item::DriftResult;
use crate::cost::{Breakdown, ProjectCost, ResourceCost};
use crate::plan::{Action, Change, Mode, ResourceChange};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One change per drifted resource that has at least one priceable side:
/// both sides → `update`, before only → `delete`, after only → `create`.
pub fn pricing_changes(result: &DriftResult) -> Vec<ResourceChange> {
    result
        .items
        .iter()
        .filter_map(|item| {
            let before = item.priceable_before.clone();
            let after = item.priceable_after.clone();
            let action = match (&before, &after) {
                (Some(_), Some(_)) => Action::Update,
                (Some(_), None) => Action::Delete,
                (None, Some(_)) => Action::Create,
                (None, None) => return None,
            };
            Some(ResourceChange {
                address: item.address.clone(),
                module_address: item.module_address.clone(),
                mode: Mode::Managed,
                resource_type: item.resource_type.clone(),
                name: item.name.clone(),
                index: None,
                provider_name: String::new(),
                previous_address: None,
                action_reason: None,
                change: Change {
                    actions: vec![action],
                    before,
                    after,
                    after_unknown: None,
                    before_sensitive: None,
                    after_sensitive: None,
                    replace_paths: None,
                },
            })
        })
        .collect()
}

/// Monthly cost per drifted address from an estimate of [`pricing_changes`].
/// A side that does not exist (deleted, not yet recorded) costs `0` when the
/// other side was priced; unsupported resources get no entry.
pub fn cost_effects(result: &DriftResult, estimate: &ProjectCost) -> BTreeMap<String, CostEffect> {
    let monthly = |b: &Breakdown, address: &str| -> Option<Option<Decimal>> {
        b.resources
            .iter()
            .find(|r| r.name == address)
            .map(|r| r.monthly_cost)
    };
    let unpriced = |b: &Breakdown, address: &str| -> usize {
        b.resources
            .iter()
            .find(|r| r.name == address)
            .map_or(0, ResourceCost::unpriced_components)
    };
    let mut out = BTreeMap::new();
    for item in &result.items {
        let before = monthly(&estimate.past_breakdown, &item.address);
        let after = monthly(&estimate.breakdown, &item.address);
        if before.is_none() && after.is_none() {
            continue;
        }
        let side = |found: Option<Option<Decimal>>, exists: bool| match found {
            Some(cost) => cost,
            None if !exists => Some(Decimal::ZERO),
            None => None,
        };
        out.insert(
            item.address.clone(),
            CostEffect {
                monthly_before: side(before, item.priceable_before.is_some()),
                monthly_after: side(after, item.priceable_after.is_some()),
                unpriced_components: unpriced(&estimate.past_breakdown, &item.address)
                    .max(unpriced(&estimate.breakdown, &item.address)),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ResourceMetadata;
    use crate::drift::{DriftMode, IgnoreRules, detect};
    use crate::plan::parse_plan;
    use rust_decimal_macros::dec;
    use std::path::Path;

    fn cost(name: &str, monthly: Decimal) -> ResourceCost {
        ResourceCost {
            name: name.into(),
            resource_type: String::new(),
            metadata: ResourceMetadata::default(),
            hourly_cost: None,
            monthly_cost: Some(monthly),
            cost_components: Vec::new(),
            subresources: Vec::new(),
        }
    }

    #[test]
    fn changes_and_effects() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/drift_sensitive_password.json");
        let plan = parse_plan(&std::fs::read(&path).unwrap(), &path).unwrap();
        let result = detect(&plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).unwrap();
        let changes = pricing_changes(&result);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].change.actions, vec![Action::Update]);
        let after = changes[0].change.after.as_ref().unwrap();
        assert_eq!(after["allocated_storage"], 50);
        assert!(after.get("password").is_none());

        let estimate = ProjectCost {
            name: "ws".into(),
            metadata: Default::default(),
            past_breakdown: Breakdown {
                resources: vec![cost("aws_db_instance.main", dec!(14.71))],
                ..Default::default()
            },
            breakdown: Breakdown {
                resources: vec![cost("aws_db_instance.main", dec!(17.71))],
                ..Default::default()
            },
            diff: Breakdown::default(),
            summary: Default::default(),
            unsupported_resources: Vec::new(),
        };
        let effects = cost_effects(&result, &estimate);
        assert_eq!(
            effects["aws_db_instance.main"],
            CostEffect {
                monthly_before: Some(dec!(14.71)),
                monthly_after: Some(dec!(17.71)),
                unpriced_components: 0,
            }
        );
    }

    #[test]
    fn deleted_resource_costs_zero_after() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/drift_refresh_only_tags_nested_delete.json");
        let plan = parse_plan(&std::fs::read(&path).unwrap(), &path).unwrap();
        let result = detect(&plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).unwrap();
        let changes = pricing_changes(&result);
        let bucket = changes
            .iter()
            .find(|c| c.address == "aws_s3_bucket.logs")
            .unwrap();
        assert_eq!(bucket.change.actions, vec![Action::Delete]);
        let estimate = ProjectCost {
            name: "ws".into(),
            metadata: Default::default(),
            past_breakdown: Breakdown {
                resources: vec![cost("aws_s3_bucket.logs", dec!(2.30))],
                ..Default::default()
            },
            breakdown: Breakdown::default(),
            diff: Breakdown::default(),
            summary: Default::default(),
            unsupported_resources: Vec::new(),
        };
        let effects = cost_effects(&result, &estimate);
        assert_eq!(effects.len(), 1);
        assert_eq!(
            effects["aws_s3_bucket.logs"].monthly_after,
            Some(Decimal::ZERO)
        );
        assert_eq!(effects["aws_s3_bucket.logs"].delta(), Some(dec!(-2.30)));
    }
}
