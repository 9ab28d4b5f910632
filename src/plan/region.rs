//! Which cloud region a resource lives in, and how sure we are of it.

use super::config::ExpressionValue;
use super::{Plan, ResourceChange};
use serde::Serialize;
use serde_json::Value;

/// A resolved region and where it came from, so output can say when it is a guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: String,
    pub source: RegionSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "detail")]
pub enum RegionSource {
    /// From one of the resource's own attributes (`region`, `availability_zone`, `arn`).
    Resource(String),
    /// From the `region` of the provider block the resource uses.
    Provider(String),
    /// No region anywhere in the plan: the default was assumed.
    DefaultGuess,
}

impl Region {
    pub fn is_guess(&self) -> bool {
        self.source == RegionSource::DefaultGuess
    }

    /// The guess for a resource that names no region: `--default-region` when
    /// it is one of this cloud's (`belongs`), else the cloud's own default.
    pub(crate) fn guess(default: &str, belongs: fn(&str) -> bool, cloud_default: &str) -> Region {
        let code = if belongs(default) {
            default
        } else {
            cloud_default
        };
        Region {
            code: code.to_string(),
            source: RegionSource::DefaultGuess,
        }
    }
}

impl Plan {
    /// Region of one resource. `values` is the `before` or `after` object being
    /// priced; the provider block is consulted when the resource does not say.
    pub fn region_of(&self, rc: &ResourceChange, values: Option<&Value>, default: &str) -> Region {
        // Google and Azure name their locations their own way.
        if let Some(region) = super::region_google::region_of(self, rc, values, default)
            .or_else(|| super::region_azure::region_of(self, rc, values, default))
        {
            return region;
        }
        if let Some(region) = values.and_then(region_from_values) {
            return region;
        }
        if let Some(region) = self.provider_region(rc) {
            return region;
        }
        Region {
            code: default.to_string(),
            source: RegionSource::DefaultGuess,
        }
    }

    fn provider_region(&self, rc: &ResourceChange) -> Option<Region> {
        self.provider_attr(rc, "region")
    }

    /// The provider block's `key` (a constant, or a root variable it names).
    pub(super) fn provider_attr(&self, rc: &ResourceChange, key: &str) -> Option<Region> {
        let cfg = self.configuration.as_ref()?;
        let resource = cfg.resource(
            rc.module_address.as_deref(),
            &rc.resource_type,
            &rc.name,
            rc.mode == super::Mode::Data,
        );
        let local_name = rc
            .provider_name
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| rc.resource_type.split('_').next().unwrap_or(""));
        let provider = cfg.provider_for(
            rc.module_address.as_deref(),
            resource.and_then(|r| r.provider_config_key.as_deref()),
            local_name,
        )?;
        let label = match &provider.alias {
            Some(alias) => format!("{}.{alias}", provider.name),
            None => provider.name.clone(),
        };
        match provider.expression(key) {
            ExpressionValue::Constant(Value::String(s)) if !s.is_empty() => Some(Region {
                code: s.clone(),
                source: RegionSource::Provider(label),
            }),
            ExpressionValue::References(refs) if provider.module_address.is_none() => refs
                .iter()
                .filter_map(|r| r.strip_prefix("var."))
                .find_map(|var| self.variable(var).and_then(Value::as_str))
                .filter(|s| !s.is_empty())
                .map(|s| Region {
                    code: s.to_string(),
                    source: RegionSource::Provider(label.clone()),
                }),
            _ => None,
        }
    }
}

fn region_from_values(values: &Value) -> Option<Region> {
    let s = |k: &str| {
        values
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(r) = s("region") {
        return Some(Region {
            code: r.to_string(),
            source: RegionSource::Resource("region".into()),
        });
    }
    if let Some(r) = s("availability_zone").and_then(region_from_zone) {
        return Some(Region {
            code: r,
            source: RegionSource::Resource("availability_zone".into()),
        });
    }
    if let Some(r) = s("arn").and_then(region_from_arn) {
        return Some(Region {
            code: r,
            source: RegionSource::Resource("arn".into()),
        });
    }
    None
}

/// `us-east-1a` → `us-east-1`; local and wavelength zones (`us-west-2-lax-1a`)
/// belong to their parent region.
pub(crate) fn region_from_zone(zone: &str) -> Option<String> {
    let parts: Vec<&str> = zone.split('-').collect();
    let mut i = 1;
    // partitions such as us-gov-west-1 and us-iso-east-1
    if parts.len() > 3 && matches!(parts[1], "gov" | "iso" | "isob" | "isof" | "isoe") {
        i = 2;
    }
    let area = parts.get(i)?;
    let num = parts.get(i + 1)?;
    let digits: String = num.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || parts[0].len() != 2 || area.is_empty() {
        return None;
    }
    Some(format!("{}-{}-{digits}", parts[..i].join("-"), area))
}

fn region_from_arn(arn: &str) -> Option<String> {
    let mut parts = arn.split(':');
    if parts.next()? != "arn" {
        return None;
    }
    let region = parts.nth(2)?;
    (!region.is_empty()).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_map_to_their_region() {
        assert_eq!(region_from_zone("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(
            region_from_zone("ap-northeast-1c").as_deref(),
            Some("ap-northeast-1")
        );
        assert_eq!(
            region_from_zone("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(
            region_from_zone("us-gov-west-1b").as_deref(),
            Some("us-gov-west-1")
        );
        assert_eq!(region_from_zone("garbage"), None);
    }

    #[test]
    fn arn_region_is_the_fourth_field() {
        assert_eq!(
            region_from_arn("arn:aws:rds:eu-west-1:123:db:x").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(region_from_arn("arn:aws:iam::123:role/x"), None);
    }
}
