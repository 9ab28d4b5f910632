//! `google_secret_manager_secret`: active secret versions (the usage file's
//! `active_secret_versions` × the replication locations), access operations
//! per 10,000 (`monthly_access_operations`) and rotation notifications
//! (`monthly_rotation_notifications`), all at the price beyond the free tier,
//! as Infracost prices them.

use super::secret_manager::{access_operations, replication_locations, secret_filter};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let locations = replication_locations(attrs);
    let versions = ctx
        .usage
        .decimal("active_secret_versions")
        .and_then(|v| p.mul("active_secret_versions × replicas", v, locations));
    p.push(ComponentSpec::usage(
        "Active secret versions",
        "versions",
        versions,
        secret_filter(ctx.region, "Secret version replica storage", "Mo"),
    ));
    p.push(access_operations(ctx));
    p.push(ComponentSpec::usage(
        "Rotation notifications",
        "rotations",
        ctx.usage.decimal("monthly_rotation_notifications"),
        secret_filter(ctx.region, "Secret rotate operations", "Count"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_secret_manager_secret";
    const USAGE: &str = "version: 0.1\nresource_usage:\n  google_secret_manager_secret.test:\n    active_secret_versions: 1000\n    monthly_access_operations: 2000\n    monthly_rotation_notifications: 10\n";

    #[test]
    fn versions_are_multiplied_by_the_replicas() {
        // 3 replicas × 1,000 versions × $0.06 = $180; 0.2 × 10K × $0.03 = $0.006;
        // 10 rotations × $0.05 = $0.50
        let after = json!({"replication": [{"user_managed": [{"replicas": [
            {"location": "us-east1"}, {"location": "us-west1"}, {"location": "europe-west1"}]}]}]});
        let r = price(T, after, "us-central1", Some(USAGE));
        let v = component(&r, "Active secret versions");
        assert_eq!(v.monthly_quantity, Some(dec!(3000)));
        assert_eq!(v.monthly_cost, Some(dec!(180.00)));
        assert_eq!(
            component(&r, "Access operations").monthly_quantity,
            Some(dec!(0.2))
        );
        assert_eq!(
            component(&r, "Access operations").monthly_cost,
            Some(dec!(0.006))
        );
        assert_eq!(
            component(&r, "Rotation notifications").monthly_cost,
            Some(dec!(0.50))
        );
    }

    #[test]
    fn automatic_replication_is_one_location_and_no_usage_is_usage_based() {
        let after = json!({"replication": [{"auto": [{}]}]});
        let r = price(T, after.clone(), "us-central1", Some(USAGE));
        assert_eq!(
            component(&r, "Active secret versions").monthly_cost,
            Some(dec!(60.00))
        );
        let r = price(T, after, "us-central1", None);
        for name in [
            "Active secret versions",
            "Access operations",
            "Rotation notifications",
        ] {
            assert_eq!(
                component(&r, name).status,
                ComponentStatus::UsageMissing,
                "{name}"
            );
        }
        assert_eq!(r.monthly_cost, None);
    }
}
