//! `google_secret_manager_secret_version`: one active version, stored in
//! every location its secret (the `secret` the configuration refers to)
//! replicates to, plus access operations per 10,000 from the usage file
//! (`monthly_access_operations`).

use super::secret_manager::{access_operations, replication_locations, secret_filter};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let locations = match ctx.referenced(&["secret"]) {
        Some(secret) => replication_locations(&secret),
        None => {
            p.note("the version's secret is not in the plan; one replication location assumed");
            Decimal::ONE
        }
    };
    p.push(ComponentSpec::monthly(
        "Active secret versions",
        "versions",
        locations,
        secret_filter(ctx.region, "Secret version replica storage", "Mo"),
    ));
    p.push(access_operations(ctx));
    p
}

#[cfg(test)]
mod tests {
    use super::super::testing::price_in_plan;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_version_is_stored_in_each_replica_of_its_secret() {
        // 2 replicas × $0.06 = $0.12; 25,000 accesses = 2.5 × $0.03 = $0.075
        let usage = "version: 0.1\nresource_usage:\n  google_secret_manager_secret_version.v:\n    monthly_access_operations: 25000\n";
        let r = price_in_plan(
            &[
                (
                    "google_secret_manager_secret.s",
                    json!({"replication": [{"user_managed": [{"replicas": [
                    {"location": "us-east1"}, {"location": "us-west1"}]}]}]}),
                ),
                (
                    "google_secret_manager_secret_version.v",
                    json!({"enabled": true}),
                ),
            ],
            &[(
                "google_secret_manager_secret_version.v",
                &["secret"],
                "google_secret_manager_secret.s",
            )],
            Some(usage),
            "google_secret_manager_secret_version.v",
        );
        assert_eq!(
            component(&r, "Active secret versions").monthly_cost,
            Some(dec!(0.12))
        );
        assert_eq!(
            component(&r, "Access operations").monthly_cost,
            Some(dec!(0.075))
        );
    }

    #[test]
    fn a_version_without_its_secret_counts_one_location() {
        let r = price(
            "google_secret_manager_secret_version",
            json!({"secret": "projects/p/secrets/s"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Active secret versions").monthly_cost,
            Some(dec!(0.06))
        );
        assert_eq!(
            component(&r, "Access operations").status,
            ComponentStatus::UsageMissing
        );
    }
}
