//! Usage files in Infracost's format, so teams reuse the files they already have.
//!
//! ```yaml
//! version: 0.1
//! resource_type_default_usage:
//!   aws_lambda_function:
//!     monthly_requests: 1000000
//! resource_usage:
//!   aws_lambda_function.api:
//!     monthly_requests: 50000000
//!     request_duration_ms: 250
//!   aws_instance.web[*]:
//!     operating_system: windows
//!   aws_s3_bucket.logs:
//!     standard:
//!       storage_gb: 10000
//! ```
//! An exact address wins over a wildcard, which wins over the type default.

use super::attrs::decimal_from_number;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

type Yaml = serde_yaml_ng::Value;

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("cannot read usage file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("usage file {}: {message}; expected Infracost's format (version: 0.1, resource_usage:, resource_type_default_usage:)", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("usage file {} has version {found}; driftcost reads version 0.1 (Infracost's format)", path.display())]
    Version { path: PathBuf, found: String },
    #[error("usage file {}: {section}.{address}.{key} is {value}; usage quantities cannot be negative", path.display())]
    Negative {
        path: PathBuf,
        section: &'static str,
        address: String,
        key: String,
        value: String,
    },
    #[error("usage file {}: {section}.{address}.{key}: usage value too large ({value}); usage values must fit a decimal (at most 28 digits)", path.display())]
    TooLarge {
        path: PathBuf,
        section: &'static str,
        address: String,
        key: String,
        value: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsageFile {
    version: Yaml,
    #[serde(default)]
    resource_type_default_usage: BTreeMap<String, Yaml>,
    #[serde(default)]
    resource_usage: BTreeMap<String, Yaml>,
}

/// A parsed usage file.
#[derive(Debug, Default, Clone)]
pub struct UsageFile {
    exact: BTreeMap<String, Yaml>,
    wildcards: Vec<(String, Yaml)>,
    type_defaults: BTreeMap<String, Yaml>,
}

impl UsageFile {
    pub fn load(path: &Path) -> Result<Self, UsageError> {
        let text = std::fs::read_to_string(path).map_err(|source| UsageError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses YAML text; `path` only labels errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, UsageError> {
        let raw: RawUsageFile = serde_yaml_ng::from_str(text).map_err(|e| UsageError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let version = match &raw.version {
            Yaml::String(s) => s.clone(),
            Yaml::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        if version != "0.1" {
            return Err(UsageError::Version {
                path: path.to_path_buf(),
                found: version,
            });
        }
        for (section, entries) in [
            (
                "resource_type_default_usage",
                &raw.resource_type_default_usage,
            ),
            ("resource_usage", &raw.resource_usage),
        ] {
            for (address, usage) in entries {
                for (key, value) in flatten(usage) {
                    check_number(path, section, address, &key, value)?;
                }
            }
        }
        let mut file = UsageFile {
            type_defaults: raw.resource_type_default_usage,
            ..Default::default()
        };
        for (addr, usage) in raw.resource_usage {
            if addr.contains("[*]") {
                file.wildcards.push((addr, usage));
            } else {
                file.exact.insert(addr, usage);
            }
        }
        Ok(file)
    }

    /// The usage that applies to one resource, most specific first.
    pub fn for_resource(&self, address: &str, resource_type: &str) -> Usage<'_> {
        let mut layers = Vec::new();
        if let Some(u) = self.exact.get(address) {
            layers.push(u);
        }
        for (pattern, u) in &self.wildcards {
            if wildcard_matches(pattern, address) {
                layers.push(u);
            }
        }
        if let Some(u) = self.type_defaults.get(resource_type) {
            layers.push(u);
        }
        Usage { layers }
    }
}

/// Every leaf of a usage entry with its dotted key (`standard.storage_gb`).
fn flatten(usage: &Yaml) -> Vec<(String, &Yaml)> {
    let mut out = Vec::new();
    fn walk<'a>(prefix: &str, v: &'a Yaml, out: &mut Vec<(String, &'a Yaml)>) {
        match v {
            Yaml::Mapping(m) => {
                for (k, v) in m {
                    let k = match k {
                        Yaml::String(s) => s.clone(),
                        other => serde_yaml_ng::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    let key = if prefix.is_empty() {
                        k
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            other => out.push((prefix.to_string(), other)),
        }
    }
    walk("", usage, &mut out);
    out
}

/// Refuses a negative number, or one no decimal can hold.
fn check_number(
    path: &Path,
    section: &'static str,
    address: &str,
    key: &str,
    value: &Yaml,
) -> Result<(), UsageError> {
    let text = match value {
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
            s.trim().to_string()
        }
        _ => return Ok(()),
    };
    let err_fields = || {
        (
            path.to_path_buf(),
            address.to_string(),
            key.to_string(),
            text.clone(),
        )
    };
    let parsed = match value {
        Yaml::Number(n) => number_to_decimal(n),
        _ => Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .ok(),
    };
    let negative = text.trim_start().starts_with('-') && parsed.is_none_or(|d| !d.is_zero());
    if negative {
        let (path, address, key, value) = err_fields();
        return Err(UsageError::Negative {
            path,
            section,
            address,
            key,
            value,
        });
    }
    if parsed.is_none() {
        let (path, address, key, value) = err_fields();
        return Err(UsageError::TooLarge {
            path,
            section,
            address,
            key,
            value,
        });
    }
    Ok(())
}

fn number_to_decimal(n: &serde_yaml_ng::Number) -> Option<Decimal> {
    if let Some(i) = n.as_i64() {
        Some(Decimal::from(i))
    } else if let Some(u) = n.as_u64() {
        Some(Decimal::from(u))
    } else {
        let f = n.as_f64()?;
        if !f.is_finite() {
            return None;
        }
        decimal_from_number(&serde_json::Number::from_f64(f)?)
    }
}

impl UsageFile {
    /// What in the file no resource of `plan` will read, one warning each:
    /// keys no resource type reads, addresses that match no resource, and
    /// types driftcost does not price (as
    /// Infracost's `--sync-usage-file` users expect to be told).
    pub fn warnings(&self, plan: &crate::plan::Plan) -> Vec<String> {
        use crate::plan::Mode;
        let managed: Vec<&crate::plan::ResourceChange> = plan
            .resource_changes
            .iter()
            .filter(|rc| rc.mode == Mode::Managed)
            .collect();
        let mut out = Vec::new();
        let keys = |what: &str, resource_type: &str, usage: &Yaml, out: &mut Vec<String>| {
            if super::resources::price_fn(resource_type).is_none() {
                out.push(format!(
                    "usage file: {what}: {resource_type} is not a type driftcost prices, so its usage is not read"
                ));
                return;
            }
            let known = super::resources::usage_keys(resource_type);
            for (key, _) in flatten(usage) {
                if !known.contains(&key.as_str()) {
                    let expected = if known.is_empty() {
                        "it reads no usage keys".to_string()
                    } else {
                        format!("it reads {}", known.join(", "))
                    };
                    out.push(format!(
                        "usage file: {what}: {resource_type} does not read usage key `{key}` ({expected})"
                    ));
                }
            }
        };
        for (resource_type, usage) in &self.type_defaults {
            let what = format!("resource_type_default_usage.{resource_type}");
            // A default for a type this plan does not have is normal (one
            // usage file serves many plans); its keys are still checked.
            keys(&what, resource_type, usage, &mut out);
        }
        let entries = self
            .exact
            .iter()
            .map(|(a, u)| (a, u, false))
            .chain(self.wildcards.iter().map(|(a, u)| (a, u, true)));
        for (address, usage, wildcard) in entries {
            let what = format!("resource_usage.{address}");
            let matches = |rc: &&&crate::plan::ResourceChange| {
                if wildcard {
                    wildcard_matches(address, &rc.address)
                } else {
                    &rc.address == address
                }
            };
            match managed.iter().find(matches) {
                Some(rc) => keys(&what, &rc.resource_type, usage, &mut out),
                None => {
                    out.push(format!(
                        "usage file: {what} matches no resource in the plan; check the address (e.g. a count/for_each index or module path)"
                    ));
                    if let Some(t) = type_of_address(address) {
                        keys(&what, t, usage, &mut out);
                    }
                }
            }
        }
        out
    }
}

/// The resource type in an address (`module.a["x.y"].aws_instance.web[0]` → `aws_instance`).
fn type_of_address(address: &str) -> Option<&str> {
    let base = crate::plan::without_index(address.trim_end_matches("[*]"));
    let (rest, _name) = base.rsplit_once('.')?;
    let t = rest.rsplit_once('.').map_or(rest, |(_, t)| t);
    (!t.is_empty() && !t.contains(['[', ']', '"'])).then_some(t)
}

/// Usage values for one resource.
#[derive(Debug, Default, Clone)]
pub struct Usage<'a> {
    layers: Vec<&'a Yaml>,
}

impl Usage<'_> {
    pub fn none() -> Usage<'static> {
        Usage { layers: Vec::new() }
    }

    fn get(&self, key: &str) -> Option<&Yaml> {
        self.layers.iter().find_map(|layer| {
            // A dotted key may be written whole (`node_pool[0].nodes: 4`, as
            // Infracost's usage files write it) as well as nested.
            if let Some(whole) = layer.get(key).filter(|v| !v.is_null()) {
                return Some(whole);
            }
            let mut cur = *layer;
            for step in key.split('.') {
                cur = cur.get(step)?;
            }
            (!cur.is_null()).then_some(cur)
        })
    }

    /// A numeric usage value; nested keys are dotted (`standard.storage_gb`).
    pub fn decimal(&self, key: &str) -> Option<Decimal> {
        match self.get(key)? {
            Yaml::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Some(Decimal::from(i))
                } else if let Some(u) = n.as_u64() {
                    Some(Decimal::from(u))
                } else {
                    let f = n.as_f64()?;
                    decimal_from_number(&serde_json::Number::from_f64(f)?)
                }
            }
            Yaml::String(s) => Decimal::from_str(s.trim()).ok(),
            _ => None,
        }
    }

    /// Whether the usage file gives `key` at all (a value or a section).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Yaml::as_str)
    }
}

/// `aws_instance.web[*]` matches `aws_instance.web[0]` and `aws_instance.web["a"]`;
/// `[*]` may stand for any module or resource instance key.
fn wildcard_matches(pattern: &str, address: &str) -> bool {
    let (p, a) = (pattern.as_bytes(), address.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < p.len() {
        if p[i..].starts_with(b"[*]") {
            if j >= a.len() || a[j] != b'[' {
                return false;
            }
            let mut in_quotes = false;
            while j < a.len() {
                match a[j] {
                    b'"' => in_quotes = !in_quotes,
                    b']' if !in_quotes => break,
                    _ => {}
                }
                j += 1;
            }
            if j >= a.len() {
                return false;
            }
            i += 3;
            j += 1;
        } else {
            if j >= a.len() || p[i] != a[j] {
                return false;
            }
            i += 1;
            j += 1;
        }
    }
    j == a.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const FILE: &str = r#"
version: 0.1
resource_type_default_usage:
  aws_lambda_function:
    monthly_requests: 1000
    request_duration_ms: 100
resource_usage:
  aws_lambda_function.api:
    monthly_requests: 5000000
  module.m[*].aws_lambda_function.f[*]:
    request_duration_ms: 250.5
  aws_s3_bucket.logs:
    standard:
      storage_gb: 10000
"#;

    #[test]
    fn exact_then_wildcard_then_type_default() {
        let f = UsageFile::parse(FILE, Path::new("u.yml")).unwrap();
        let api = f.for_resource("aws_lambda_function.api", "aws_lambda_function");
        assert_eq!(api.decimal("monthly_requests"), Some(dec!(5000000)));
        assert_eq!(api.decimal("request_duration_ms"), Some(dec!(100)));
        let m = f.for_resource(
            "module.m[\"a\"].aws_lambda_function.f[0]",
            "aws_lambda_function",
        );
        assert_eq!(m.decimal("request_duration_ms"), Some(dec!(250.5)));
        assert_eq!(m.decimal("monthly_requests"), Some(dec!(1000)));
        let s3 = f.for_resource("aws_s3_bucket.logs", "aws_s3_bucket");
        assert_eq!(s3.decimal("standard.storage_gb"), Some(dec!(10000)));
        assert_eq!(s3.decimal("standard.monthly_tier_1_requests"), None);
    }

    #[test]
    fn wildcards_match_whole_index_only() {
        assert!(wildcard_matches(
            "aws_instance.web[*]",
            "aws_instance.web[12]"
        ));
        assert!(wildcard_matches(
            "aws_instance.web[*]",
            "aws_instance.web[\"a]b\"]"
        ));
        assert!(!wildcard_matches("aws_instance.web[*]", "aws_instance.web"));
        assert!(!wildcard_matches(
            "aws_instance.web[*]",
            "aws_instance.webx[0]"
        ));
    }

    #[test]
    fn bad_files_name_the_problem() {
        let e = UsageFile::parse("version: 0.2\n", Path::new("u.yml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("u.yml has version 0.2"), "{e}");
        let e = UsageFile::parse("version: 0.1\nresource_usages: {}\n", Path::new("u.yml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `resource_usages`"), "{e}");
        assert!(e.contains("line 2"), "{e}");
    }
}
