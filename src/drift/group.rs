//! Grouping identical changes across resources, so a report says "tag
//! `owner` changed from alice to bob on 40 instances" once instead of 40 times.

use super::fingerprint::canonical_json;
use super::item::{DisplayValue, DriftItem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One attribute change shared by several resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeGroup {
    pub path: String,
    pub before: DisplayValue,
    pub after: DisplayValue,
    pub sensitive: bool,
    /// Sorted, each once.
    pub addresses: Vec<String>,
}

/// Groups changes with the same path, before and after (sensitive changes at
/// the same path group together: their values are not known to differ).
/// Largest groups first, then by path; includes groups of one.
pub fn group(items: &[DriftItem]) -> Vec<ChangeGroup> {
    let mut groups: BTreeMap<(String, String, String, bool), ChangeGroup> = BTreeMap::new();
    for item in items {
        for c in &item.changes {
            let key = (
                c.path.clone(),
                display_key(&c.before),
                display_key(&c.after),
                c.sensitive,
            );
            let g = groups.entry(key).or_insert_with(|| ChangeGroup {
                path: c.path.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
                sensitive: c.sensitive,
                addresses: Vec::new(),
            });
            g.addresses.push(item.address.clone());
        }
    }
    let mut out: Vec<ChangeGroup> = groups
        .into_values()
        .map(|mut g| {
            g.addresses.sort();
            g.addresses.dedup();
            g
        })
        .collect();
    // Stable sort keeps the (path, before, after) order among equal sizes.
    out.sort_by_key(|g| std::cmp::Reverse(g.addresses.len()));
    out
}

fn display_key(v: &DisplayValue) -> String {
    canonical_json(&serde_json::to_value(v).expect("display values serialize"))
}
