//! What a resource file sees while it is priced: the region, its usage,
//! and the plan around it (references to other resources by address).

use super::attrs::Attrs;
use super::usage::{Usage, UsageFile};
use crate::plan::{Mode, Plan, ResourceChange, without_index as without_index_of};
use foldhash::HashMap;
use std::sync::OnceLock;
/// Region used when neither the resource nor its provider block names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Settings for one estimate.
#[derive(Debug, Clone)]
pub struct CostOptions {
    pub project_name: String,
    pub default_region: String,
    pub usage: UsageFile,
}

impl Default for CostOptions {
    fn default() -> Self {
        CostOptions {
            project_name: "main".into(),
            default_region: DEFAULT_REGION.into(),
            usage: UsageFile::default(),
        }
    }
}

/// What a resource file sees besides the resource's own attributes.
pub struct Ctx<'c, 'p> {
    pub region: &'c str,
    pub usage: Usage<'c>,
    pub address: &'c str,
    pub(super) resource: &'p ResourceChange,
    pub(super) plan: &'p Plan,
    pub(super) by_address: &'c OnceLock<AddressIndex<'p>>,
    /// Whether the `before` side is being priced (references then read `before` too).
    pub(super) past: bool,
}

pub(super) struct AddressIndex<'a> {
    exact: HashMap<&'a str, &'a ResourceChange>,
    without_index: HashMap<&'a str, &'a ResourceChange>,
}

impl<'c, 'p> Ctx<'c, 'p> {
    /// The attributes of the resource that this resource's configuration
    /// expression at `path` refers to (an autoscaling group's
    /// `["launch_template", "id"]` gives the launch template), from the same
    /// side of the plan being priced.
    pub fn referenced(&self, path: &[&str]) -> Option<Attrs<'p>> {
        self.referenced_ctx(path).map(|(attrs, _)| attrs)
    }

    /// The resource this resource's configuration expression at `path` refers
    /// to, with a context of its own (its address, no usage) so that a chain
    /// of references can be followed (a disk's image's source snapshot's
    /// source disk), from the same side of the plan being priced.
    pub fn referenced_ctx(&self, path: &[&str]) -> Option<(Attrs<'p>, Ctx<'c, 'p>)> {
        let plan = self.plan;
        let cfg = plan.configuration.as_ref()?;
        let rc = self.resource;
        let rcfg = cfg.resource(
            rc.module_address.as_deref(),
            &rc.resource_type,
            &rc.name,
            rc.mode == Mode::Data,
        )?;
        let index = self.by_address.get_or_init(|| AddressIndex::new(plan));
        let prefix = rc
            .module_address
            .as_deref()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        for reference in rcfg.references(path) {
            let parts: Vec<&str> = reference.split('.').collect();
            let take = if parts.first() == Some(&"data") { 3 } else { 2 };
            if parts.len() < take {
                continue;
            }
            let base = format!("{prefix}{}", parts[..take].join("."));
            let found = index
                .exact
                .get(base.as_str())
                .copied()
                .or_else(|| index.without_index.get(without_index_of(&base)).copied());
            if let Some(found) = found {
                let side = if self.past {
                    found.change.before_value()
                } else {
                    found.change.after_value()
                };
                if let Some(v) = side
                    .or_else(|| found.change.after_value())
                    .or_else(|| found.change.before_value())
                {
                    let ctx = Ctx {
                        region: self.region,
                        usage: Usage::none(),
                        address: found.address.as_str(),
                        resource: found,
                        plan,
                        by_address: self.by_address,
                        past: self.past,
                    };
                    return Some((Attrs::new(v), ctx));
                }
            }
        }
        None
    }
}

impl<'p> Ctx<'_, 'p> {
    /// The resources `rc`'s configuration expression `attr` refers to, as
    /// addresses (`aws_ecs_cluster.main`, module prefix included; variables
    /// and locals are not resources). Empty when the plan has no configuration.
    pub fn referenced_addresses(&self, rc: &ResourceChange, attr: &str) -> Vec<String> {
        let Some(cfg) = self.plan.configuration.as_ref() else {
            return Vec::new();
        };
        let prefix = rc
            .module_address
            .as_deref()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        cfg.resource(
            rc.module_address.as_deref(),
            &rc.resource_type,
            &rc.name,
            false,
        )
        .map(|r| {
            r.references(&[attr])
                .into_iter()
                .filter_map(|reference| {
                    let parts: Vec<&str> = reference.split('.').collect();
                    (parts.len() >= 2 && parts[0] != "var" && parts[0] != "local")
                        .then(|| format!("{prefix}{}.{}", parts[0], parts[1]))
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// `rc`'s values on the side being priced, else the other side.
    pub(crate) fn side_of(&self, rc: &'p ResourceChange) -> Option<&'p serde_json::Value> {
        if self.past {
            rc.change.before_value().or(rc.change.after_value())
        } else {
            rc.change.after_value().or(rc.change.before_value())
        }
    }

    /// The plan's resource of one of `types` whose values (on the side being
    /// priced) `matches`, preferring one in resource group `group`: for
    /// parents named by name or id where the configuration holds no usable
    /// reference (a Cosmos DB database's account, a file share's storage
    /// account, a function app's service plan).
    pub fn find_resource(
        &self,
        types: &[&str],
        matches: impl Fn(&serde_json::Value) -> bool,
        group: Option<&str>,
    ) -> Option<Attrs<'p>> {
        let found: Vec<&'p serde_json::Value> = self
            .plan
            .resource_changes
            .iter()
            .filter(|rc| types.contains(&rc.resource_type.as_str()))
            .filter_map(|rc| self.side_of(rc))
            .filter(|v| matches(v))
            .collect();
        let in_group = group.and_then(|g| {
            found
                .iter()
                .find(|v| v.get("resource_group_name").and_then(|n| n.as_str()) == Some(g))
        });
        in_group.or(found.first()).map(|v| Attrs::new(v))
    }

    /// The `aws_ebs_volume` of this plan that bills a disk this resource also
    /// lists (an instance's `ebs_block_device`): the volume whose `id` is
    /// `volume_id`, or the one an `aws_volume_attachment` attaches at
    /// `device_name` to this resource (by id, or by reference in the
    /// configuration when ids are not known yet). The volume's own resource
    /// prices it, so the caller leaves the block out instead of billing it twice.
    pub fn volume_priced_elsewhere(
        &self,
        volume_id: Option<&str>,
        device_name: Option<&str>,
        own_id: Option<&str>,
    ) -> Option<&'p str> {
        let plan = self.plan;
        let managed = || {
            plan.resource_changes
                .iter()
                .filter(|rc| rc.mode == Mode::Managed)
        };
        let text = |rc: &'p ResourceChange, key: &str| -> Option<&'p str> {
            self.side_of(rc)?
                .get(key)?
                .as_str()
                .filter(|s| !s.is_empty())
        };
        let volume_with_id = |id: &str| {
            managed()
                .filter(|rc| rc.resource_type == "aws_ebs_volume")
                .find(|rc| {
                    [rc.change.before_value(), rc.change.after_value()]
                        .into_iter()
                        .flatten()
                        .any(|v| v.get("id").and_then(|i| i.as_str()) == Some(id))
                })
                .map(|rc| rc.address.as_str())
        };
        if let Some(found) = volume_id.and_then(volume_with_id) {
            return Some(found);
        }
        let device_name = device_name?;
        let refers = |att: &ResourceChange, attr: &str| self.referenced_addresses(att, attr);
        let own_base = without_index_of(self.address);
        for att in managed().filter(|rc| rc.resource_type == "aws_volume_attachment") {
            if text(att, "device_name") != Some(device_name) {
                continue;
            }
            let same_instance = match (own_id, text(att, "instance_id")) {
                (Some(own), Some(theirs)) => own == theirs,
                _ => refers(att, "instance_id").iter().any(|r| r == own_base),
            };
            if !same_instance {
                continue;
            }
            if let Some(found) = text(att, "volume_id").and_then(volume_with_id) {
                return Some(found);
            }
            for reference in refers(att, "volume_id") {
                if let Some(v) = managed()
                    .filter(|rc| rc.resource_type == "aws_ebs_volume")
                    .find(|rc| without_index_of(&rc.address) == reference)
                {
                    return Some(v.address.as_str());
                }
            }
        }
        None
    }
}

impl<'a> AddressIndex<'a> {
    fn new(plan: &'a Plan) -> Self {
        let mut exact = HashMap::default();
        let mut without_index = HashMap::default();
        for rc in &plan.resource_changes {
            exact.insert(rc.address.as_str(), rc);
            without_index
                .entry(without_index_of(&rc.address))
                .or_insert(rc);
        }
        AddressIndex {
            exact,
            without_index,
        }
    }
}
