//! Where a `google_*` resource lives, as the Google provider resolves it: the
//! resource's own `region`, else its `zone` (`us-central1-a` → `us-central1`),
//! else a regional `location` (GKE clusters, buckets, SQL replicas), else the
//! provider block's `region` or `zone`; failing all, the default is a guess
//! (`us-central1`, Infracost's default, unless `--default-region` is a Google region).

use super::region::{Region, RegionSource};
use super::{Plan, ResourceChange};
use serde_json::Value;

/// Region Infracost assumes for Google resources that name none.
pub(crate) const GOOGLE_DEFAULT_REGION: &str = "us-central1";

/// `None` for resources that are not Google's.
pub(super) fn region_of(
    plan: &Plan,
    rc: &ResourceChange,
    values: Option<&Value>,
    default: &str,
) -> Option<Region> {
    if !rc.resource_type.starts_with("google_") {
        return None;
    }
    let own = |k: &str| {
        values
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let from = |code: String, attr: &str| Region {
        code,
        source: RegionSource::Resource(attr.to_string()),
    };
    if let Some(r) = own("region").filter(|r| is_region(r)) {
        return Some(from(r.to_string(), "region"));
    }
    if let Some(r) = own("zone").and_then(region_from_zone) {
        return Some(from(r, "zone"));
    }
    if let Some(loc) = own("location") {
        let loc = loc.to_ascii_lowercase();
        if is_region(&loc) {
            return Some(from(loc, "location"));
        }
        if let Some(r) = region_from_zone(&loc) {
            return Some(from(r, "location"));
        }
    }
    if let Some(r) = plan
        .provider_attr(rc, "region")
        .filter(|r| is_region(&r.code))
    {
        return Some(r);
    }
    if let Some(mut r) = plan.provider_attr(rc, "zone")
        && let Some(code) = region_from_zone(&r.code)
    {
        r.code = code;
        return Some(r);
    }
    Some(Region::guess(default, is_region, GOOGLE_DEFAULT_REGION))
}

/// `us-central1`, `europe-west4`, `northamerica-northeast2`: two words, the
/// second ending in digits.
pub(crate) fn is_region(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(area), Some(place), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let digits = place.trim_start_matches(|c: char| c.is_ascii_lowercase());
    !area.is_empty()
        && area.chars().all(|c| c.is_ascii_lowercase())
        && digits.len() < place.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether `s` names a zone (`us-central1-a`) rather than a region.
pub fn is_zone(s: &str) -> bool {
    region_from_zone(s).is_some()
}

/// `us-central1-a` → `us-central1`.
pub(crate) fn region_from_zone(zone: &str) -> Option<String> {
    let (region, letter) = zone.rsplit_once('-')?;
    (is_region(region) && !letter.is_empty() && letter.chars().all(|c| c.is_ascii_lowercase()))
        .then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;
    use serde_json::json;
    use std::path::Path;

    fn plan(after: Value, provider: Value) -> Plan {
        let p = json!({
            "format_version": "1.2",
            "resource_changes": [{
                "address": "google_compute_instance.vm", "mode": "managed",
                "type": "google_compute_instance", "name": "vm",
                "provider_name": "registry.terraform.io/hashicorp/google",
                "change": {"actions": ["create"], "before": null, "after": after}
            }],
            "configuration": {
                "provider_config": {"google": {"name": "google", "expressions": provider}},
                "root_module": {"resources": [{"address": "google_compute_instance.vm",
                    "mode": "managed", "type": "google_compute_instance", "name": "vm",
                    "provider_config_key": "google"}]}
            }
        });
        parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap()
    }

    fn resolve(after: Value, provider: Value, default: &str) -> Region {
        let p = plan(after, provider);
        let rc = &p.resource_changes[0];
        p.region_of(rc, rc.change.after_value(), default)
    }

    #[test]
    fn zones_and_regions_are_recognised() {
        assert!(is_region("us-central1"));
        assert!(is_region("northamerica-northeast2"));
        assert!(!is_region("us-east-1"));
        assert!(!is_region("eastus"));
        assert_eq!(
            region_from_zone("europe-west4-b").as_deref(),
            Some("europe-west4")
        );
        assert_eq!(region_from_zone("us-central1"), None);
    }

    #[test]
    fn the_resource_zone_wins_over_the_provider() {
        let r = resolve(
            json!({"zone": "asia-southeast1-b"}),
            json!({"region": {"constant_value": "europe-west1"}}),
            "us-east-1",
        );
        assert_eq!(r.code, "asia-southeast1");
        assert_eq!(r.source, RegionSource::Resource("zone".into()));
        let r = resolve(json!({"location": "EUROPE-WEST1"}), json!({}), "us-east-1");
        assert_eq!(r.code, "europe-west1");
    }

    #[test]
    fn the_provider_region_or_zone_is_next() {
        let r = resolve(
            json!({}),
            json!({"region": {"constant_value": "europe-west1"}}),
            "us-east-1",
        );
        assert_eq!(r.code, "europe-west1");
        assert_eq!(r.source, RegionSource::Provider("google".into()));
        let r = resolve(
            json!({}),
            json!({"zone": {"constant_value": "us-east1-c"}}),
            "us-east-1",
        );
        assert_eq!(r.code, "us-east1");
    }

    #[test]
    fn nothing_anywhere_is_a_named_guess() {
        let r = resolve(json!({"location": "US"}), json!({}), "us-east-1");
        assert_eq!(r.code, "us-central1");
        assert!(r.is_guess());
        let r = resolve(json!({}), json!({}), "europe-west4");
        assert_eq!(r.code, "europe-west4");
        assert!(r.is_guess());
    }
}
