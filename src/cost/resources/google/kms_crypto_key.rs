//! `google_kms_crypto_key`: Cloud KMS key versions per month and
//! cryptographic operations per 10,000, as Infracost prices them:
//! - the algorithm and protection level come from `version_template`
//!   (default: software symmetric encryption);
//! - key versions are the usage file's `key_versions`, else one version per
//!   `rotation_period` over a 30-day month (2,592,000 s ÷ period), else
//!   usage-based;
//! - HSM RSA 3072/4096 and ECDSA P-256/P-384 keys are priced in two tiers
//!   ("first 2K", "over 2K" key versions);
//! - operations are the usage file's `monthly_key_operations`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Seconds in the 30-day month Infracost divides the rotation period into.
const SECONDS_PER_MONTH: Decimal = dec!(2592000);

/// The key-version and operation descriptions for an algorithm and
/// protection level (Infracost's SKU description filters), and whether the
/// key versions are tiered at 2,000.
fn kind(algorithm: &str, protection: &str) -> Option<(String, String, bool)> {
    let algorithm = algorithm.to_ascii_uppercase();
    let symmetric = algorithm == "GOOGLE_SYMMETRIC_ENCRYPTION";
    match protection.to_ascii_uppercase().as_str() {
        "SOFTWARE" if symmetric => Some((
            "Active software symmetric key versions".into(),
            "Cryptographic operations with a software symmetric".into(),
            false,
        )),
        "SOFTWARE" => Some((
            "Software asymmetric".into(),
            "Software asymmetric cryptographic".into(),
            false,
        )),
        "HSM" if symmetric => Some((
            "HSM symmetric".into(),
            "HSM symmetric cryptographic".into(),
            false,
        )),
        "HSM" if algorithm == "EC_SIGN_P256_SHA256" => Some((
            "HSM ECDSA P-256".into(),
            "HSM cryptographic operations with an ECDSA P-256".into(),
            true,
        )),
        "HSM" if algorithm == "EC_SIGN_P384_SHA384" => Some((
            "HSM ECDSA P-384".into(),
            "HSM cryptographic operations with an ECDSA P-384".into(),
            true,
        )),
        "HSM" => {
            // RSA_SIGN_PSS_2048_SHA256, RSA_DECRYPT_OAEP_3072_SHA256, …
            let bits = algorithm.split('_').nth(3)?;
            Some((
                format!("HSM RSA {bits}"),
                format!("HSM cryptographic operations with a RSA {bits}"),
                matches!(bits, "3072" | "4096"),
            ))
        }
        _ => None,
    }
}

/// Key versions a rotation period (`"100000s"`) creates in a month.
fn versions_per_month(period: &str) -> Option<Decimal> {
    let seconds: Decimal = period.trim().trim_end_matches('s').parse().ok()?;
    (seconds > Decimal::ZERO).then(|| SECONDS_PER_MONTH.checked_div(seconds))?
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let template = attrs.block("version_template");
    let algorithm = template
        .and_then(|t| t.str("algorithm"))
        .unwrap_or("GOOGLE_SYMMETRIC_ENCRYPTION");
    let protection = template
        .and_then(|t| t.str("protection_level"))
        .unwrap_or("SOFTWARE");
    let Some((key_description, ops_description, tiered)) = kind(algorithm, protection) else {
        p.note(format!(
            "protection level {protection:?} with algorithm {algorithm:?} is not one driftcost prices (SOFTWARE or HSM)"
        ));
        return p;
    };
    let versions = ctx.usage.decimal("key_versions").or_else(|| {
        attrs
            .str("rotation_period")
            .and_then(versions_per_month)
            .map(|v| v.round_dp(4))
    });
    let kms = |description: String, unit: &'static str| {
        filter(
            "Cloud Key Management Service (KMS)",
            "ApplicationServices",
            ctx.region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    let keys = ComponentSpec::usage(
        "Key versions",
        "months",
        versions,
        kms(key_description, "Mo"),
    );
    p.push(if tiered {
        keys.tier_names(&["Key versions (first 2K)", "Key versions (over 2K)"])
    } else {
        keys
    });
    p.push(ComponentSpec::usage(
        "Operations",
        "10k operations",
        ctx.usage
            .decimal("monthly_key_operations")
            .map(|n| n / dec!(10000)),
        kms(ops_description, "10K"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_kms_crypto_key";

    #[test]
    fn a_software_key_without_usage_is_usage_based() {
        let r = price(T, json!({"name": "k"}), "us-central1", None);
        let c = component(&r, "Key versions");
        assert_eq!(
            (c.status, c.price),
            (ComponentStatus::UsageMissing, Some(dec!(0.06)))
        );
        assert_eq!(component(&r, "Operations").price, Some(dec!(0.03)));
        assert_eq!(r.monthly_cost, None);
    }

    #[test]
    fn rotation_sets_the_versions() {
        // 2,592,000 s ÷ 100,000 s = 25.92 versions × $0.06 = $1.5552;
        // 10,000 operations = 1 × 10k × $0.03
        let usage = "version: 0.1\nresource_usage:\n  google_kms_crypto_key.test:\n    monthly_key_operations: 10000\n";
        let r = price(
            T,
            json!({"rotation_period": "100000s"}),
            "us-central1",
            Some(usage),
        );
        let c = component(&r, "Key versions");
        assert_eq!(c.monthly_quantity, Some(dec!(25.92)));
        assert_eq!(c.monthly_cost, Some(dec!(1.5552)));
        assert_eq!(component(&r, "Operations").monthly_cost, Some(dec!(0.03)));
    }

    #[test]
    fn hsm_ecdsa_keys_are_tiered_at_2000() {
        // 2,000 × $2.50 = $5,000; 3,000 × $1.00 = $3,000; 1 × 10k ops × $0.15
        let usage = "version: 0.1\nresource_usage:\n  google_kms_crypto_key.test:\n    key_versions: 5000\n    monthly_key_operations: 10000\n";
        let r = price(
            T,
            json!({"version_template": [{"algorithm": "EC_SIGN_P256_SHA256", "protection_level": "HSM"}]}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Key versions (first 2K)").monthly_cost,
            Some(dec!(5000.00))
        );
        assert_eq!(
            component(&r, "Key versions (over 2K)").monthly_cost,
            Some(dec!(3000.00))
        );
        assert_eq!(component(&r, "Operations").monthly_cost, Some(dec!(0.15)));
        // without usage, only the first tier's line, usage-based
        let r = price(
            T,
            json!({"version_template": [{"algorithm": "EC_SIGN_P256_SHA256", "protection_level": "HSM"}]}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Key versions (first 2K)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn keys_without_a_shipped_price_say_so() {
        let usage =
            "version: 0.1\nresource_usage:\n  google_kms_crypto_key.test:\n    key_versions: 1\n";
        let r = price(
            T,
            json!({"version_template": [{"algorithm": "RSA_SIGN_PSS_2048_SHA256", "protection_level": "HSM"}]}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Key versions").status,
            ComponentStatus::NoPriceFound
        );
        assert_eq!(r.monthly_cost, None);
        // an external key manager is not priced at all, and says so
        let r = price(
            T,
            json!({"version_template": [{"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protection_level": "EXTERNAL"}]}),
            "us-central1",
            None,
        );
        assert!(r.cost_components.is_empty());
    }
}
