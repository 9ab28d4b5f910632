//! The `configuration` section of a plan: provider blocks (for the region) and
//! per-resource expressions (for references such as an autoscaling group's
//! launch template).

use serde::Deserialize;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

#[derive(Debug, Default, Deserialize)]
pub struct Configuration {
    #[serde(default)]
    pub provider_config: BTreeMap<String, ProviderConfig>,
    #[serde(default)]
    pub root_module: ModuleConfig,
}

#[derive(Debug, Default, Deserialize)]
pub struct ProviderConfig {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub module_address: Option<String>,
    #[serde(default)]
    pub expressions: Value,
}

impl ProviderConfig {
    /// A constant expression's value (`region = "eu-west-1"`), else the names it
    /// references (`region = var.region` gives `["var.region"]`).
    pub fn expression(&self, key: &str) -> ExpressionValue<'_> {
        expression_value(self.expressions.get(key))
    }
}

/// What a configuration expression is, as far as a plan can tell.
#[derive(Debug, PartialEq)]
pub enum ExpressionValue<'a> {
    Constant(&'a Value),
    References(Vec<&'a str>),
    Absent,
}

pub(crate) fn expression_value(expr: Option<&Value>) -> ExpressionValue<'_> {
    let Some(expr) = expr else {
        return ExpressionValue::Absent;
    };
    if let Some(c) = expr.get("constant_value") {
        return ExpressionValue::Constant(c);
    }
    if let Some(refs) = expr.get("references").and_then(Value::as_array) {
        return ExpressionValue::References(refs.iter().filter_map(Value::as_str).collect());
    }
    ExpressionValue::Absent
}

#[derive(Debug, Default, Deserialize)]
pub struct ModuleConfig {
    #[serde(default)]
    pub resources: Vec<ResourceConfig>,
    #[serde(default)]
    pub module_calls: BTreeMap<String, ModuleCall>,
    /// `resources` by (data?, type, name), built on the first lookup: every
    /// resource of a plan looks its block up, and a scan per lookup is
    /// quadratic in plans of thousands of resources.
    #[serde(skip)]
    index: OnceLock<HashMap<String, usize>>,
}

impl ModuleConfig {
    fn resource(&self, resource_type: &str, name: &str, data: bool) -> Option<&ResourceConfig> {
        let index = self.index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.resources.len());
            for (i, r) in self.resources.iter().enumerate() {
                let data = r.mode.as_deref() == Some("data");
                // The first block wins, as a linear search would.
                index
                    .entry(resource_key(data, &r.resource_type, &r.name))
                    .or_insert(i);
            }
            index
        });
        // Every resource looks its block up, once per side: reuse one key buffer.
        thread_local! {
            static KEY: RefCell<String> = const { RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            key.clear();
            write_resource_key(key, data, resource_type, name);
            index.get(key.as_str()).map(|&i| &self.resources[i])
        })
    }
}

fn resource_key(data: bool, resource_type: &str, name: &str) -> String {
    let mut key = String::with_capacity(resource_type.len() + name.len() + 2);
    write_resource_key(&mut key, data, resource_type, name);
    key
}

fn write_resource_key(key: &mut String, data: bool, resource_type: &str, name: &str) {
    key.push(if data { 'd' } else { 'm' });
    key.push_str(resource_type);
    key.push('\u{0}');
    key.push_str(name);
}

#[derive(Debug, Default, Deserialize)]
pub struct ModuleCall {
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub module: ModuleConfig,
}

#[derive(Debug, Default, Deserialize)]
pub struct ResourceConfig {
    pub address: String,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub provider_config_key: Option<String>,
    #[serde(default)]
    pub expressions: Value,
}

impl ResourceConfig {
    /// References made by the expression at `path` (`["launch_template", "id"]`);
    /// nested blocks are arrays in the JSON, and their first element is used.
    pub fn references(&self, path: &[&str]) -> Vec<&str> {
        let mut cur = &self.expressions;
        for (i, step) in path.iter().enumerate() {
            let next = match cur {
                Value::Array(items) => items.first().and_then(|v| v.get(step)),
                other => other.get(step),
            };
            let Some(next) = next else {
                return Vec::new();
            };
            cur = next;
            if i + 1 == path.len()
                && let Value::Array(items) = cur
                && let Some(first) = items.first()
            {
                cur = first;
            }
        }
        match expression_value(Some(cur)) {
            ExpressionValue::References(r) => r,
            _ => Vec::new(),
        }
    }
}

impl Configuration {
    /// The module config for a `module_address` such as `module.a["x"].module.b`
    /// (instance keys do not matter in configuration).
    pub fn module(&self, module_address: Option<&str>) -> Option<&ModuleConfig> {
        let mut module = &self.root_module;
        let Some(addr) = module_address else {
            return Some(module);
        };
        for name in module_names(addr) {
            module = &module.module_calls.get(&name)?.module;
        }
        Some(module)
    }

    /// The resource block a planned resource came from.
    pub fn resource(
        &self,
        module_address: Option<&str>,
        resource_type: &str,
        name: &str,
        data: bool,
    ) -> Option<&ResourceConfig> {
        self.module(module_address)?
            .resource(resource_type, name, data)
    }

    /// The provider block a resource uses: its `provider_config_key` when it
    /// names one, else the default (unaliased) block of that provider, first in
    /// the resource's module, then in each parent up to the root (terraform's
    /// own inheritance for implicit providers).
    pub fn provider_for(
        &self,
        module_address: Option<&str>,
        provider_config_key: Option<&str>,
        provider_local_name: &str,
    ) -> Option<&ProviderConfig> {
        if let Some(key) = provider_config_key {
            if let Some(p) = self.provider_config.get(key) {
                return Some(p);
            }
            // Older terraform writes module keys as `child:aws`, newer ones use
            // the full module address; try both before falling back.
            if let Some((module, provider)) = key.rsplit_once(':') {
                let alt = if module.starts_with("module.") {
                    format!("{}:{provider}", module_names(module).join("."))
                } else {
                    format!("module.{module}:{provider}")
                };
                if let Some(p) = self.provider_config.get(&alt) {
                    return Some(p);
                }
            }
        }
        let mut modules: Vec<String> = module_address.map(module_names).unwrap_or_default();
        loop {
            let found = self.provider_config.values().find(|p| {
                p.name == provider_local_name
                    && p.alias.is_none()
                    && p.module_address
                        .as_deref()
                        .map(module_names)
                        .unwrap_or_default()
                        == modules
            });
            if found.is_some() {
                return found;
            }
            modules.pop()?;
        }
    }
}

/// `module.a["x"].module.b[0]` → `["a", "b"]`.
pub(crate) fn module_names(addr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = addr;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        names.push(after[..end].to_string());
        rest = &after[end..];
        // skip an instance key, which may contain dots inside quotes
        if rest.starts_with('[') {
            let mut in_quotes = false;
            let mut close = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '"' => in_quotes = !in_quotes,
                    ']' if !in_quotes => {
                        close = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[close..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_skip_instance_keys() {
        assert_eq!(
            module_names("module.a[\"x.y\"].module.b[0]"),
            vec!["a", "b"]
        );
        assert_eq!(module_names("module.net"), vec!["net"]);
    }

    #[test]
    fn provider_lookup_walks_up_to_root_and_honours_aliases() {
        let cfg: Configuration = serde_json::from_value(serde_json::json!({
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}},
                "aws.west": {"name": "aws", "alias": "west", "expressions": {"region": {"constant_value": "us-west-2"}}}
            },
            "root_module": {}
        }))
        .unwrap();
        let p = cfg
            .provider_for(
                Some("module.a.module.b"),
                Some("module.a.module.b:aws"),
                "aws",
            )
            .unwrap();
        assert_eq!(
            p.expression("region"),
            ExpressionValue::Constant(&serde_json::json!("eu-west-1"))
        );
        let west = cfg.provider_for(None, Some("aws.west"), "aws").unwrap();
        assert_eq!(west.alias.as_deref(), Some("west"));
    }

    #[test]
    fn references_descend_into_nested_blocks() {
        let r: ResourceConfig = serde_json::from_value(serde_json::json!({
            "address": "aws_autoscaling_group.g",
            "expressions": {"launch_template": [{"id": {"references": ["aws_launch_template.lt.id", "aws_launch_template.lt"]}}]}
        }))
        .unwrap();
        assert_eq!(
            r.references(&["launch_template", "id"]),
            vec!["aws_launch_template.lt.id", "aws_launch_template.lt"]
        );
        assert!(r.references(&["launch_configuration"]).is_empty());
    }
}
