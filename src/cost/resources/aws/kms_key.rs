//! `aws_kms_key`: a customer managed key costs a flat amount per month, plus
//! API requests per 10,000, named as Infracost names them. Requests with
//! asymmetric keys (RSA, ECC, SM2 key specs) have their own rate, except
//! RSA_2048, which has its own line at the symmetric rate; HMAC keys are
//! priced like symmetric ones. Symmetric keys also list ECC and RSA
//! `GenerateDataKeyPair` requests, always usage-based (no usage key counts
//! them apart from `monthly_requests`, as in Infracost).
//!
//! AWS does not bill a key while it is scheduled for deletion (a destroyed
//! `aws_kms_key` leaves the plan, so its cost drops out of the delta at once).
//! Disabled keys are still billed. Each rotated backing key adds to the
//! monthly charge; rotation history is not in the plan, so it is left out.
//!
//! Usage: `monthly_requests`. Defaults: `key_spec` (or the older
//! `customer_master_key_spec`) absent means `SYMMETRIC_DEFAULT`; without
//! `monthly_requests` the requests line is usage-based. The account-wide free
//! tier of 20,000 requests is not subtracted.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let spec = attrs
        .str("key_spec")
        .or_else(|| attrs.str("customer_master_key_spec"))
        .unwrap_or("SYMMETRIC_DEFAULT");
    let asymmetric = ["RSA_", "ECC_", "SM2"].iter().any(|p| spec.starts_with(p));
    let mut p = Priced::default();
    p.push(ComponentSpec::monthly(
        "Customer master key",
        "months",
        Decimal::ONE,
        PriceFilter::aws("awskms", "Encryption Key", ctx.region, "Keys-Mo")
            .attr("usagetype", "KMS-Keys"),
    ));
    let (name, usagetype) = if spec == "RSA_2048" {
        ("Requests (RSA 2048)", "KMS-Requests-Asymmetric-RSA_2048")
    } else if asymmetric {
        ("Requests (asymmetric)", "KMS-Requests-Asymmetric")
    } else {
        ("Requests", "KMS-Requests")
    };
    let requests = |name: &'static str, usagetype: &str, quantity| {
        ComponentSpec::usage(
            name,
            "10k requests",
            quantity,
            PriceFilter::aws("awskms", "API Request", ctx.region, "Requests")
                .attr("usagetype", usagetype),
        )
        .per(dec!(10000))
    };
    p.push(requests(
        name,
        usagetype,
        ctx.usage.decimal("monthly_requests"),
    ));
    if !asymmetric {
        p.push(requests(
            "ECC GenerateDataKeyPair requests",
            "KMS-Requests-GenerateDatakeyPair-ECC",
            None,
        ));
        p.push(requests(
            "RSA GenerateDataKeyPair requests",
            "KMS-Requests-GenerateDatakeyPair-RSA",
            None,
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str =
        "version: 0.1\nresource_usage:\n  aws_kms_key.test:\n    monthly_requests: 1000000\n";

    #[test]
    fn symmetric_key_and_requests() {
        let r = price(
            "aws_kms_key",
            json!({"is_enabled": true}),
            "us-east-1",
            Some(USAGE),
        );
        // $1.00 key + 1,000,000 requests = 100 × 10k × $0.03 = $3.00; total $4.00.
        let req = component(&r, "Requests");
        assert_eq!(req.monthly_quantity, Some(dec!(100)));
        assert_eq!(req.price, Some(dec!(0.03)));
        assert_eq!(r.monthly_cost, Some(dec!(4)));
    }

    #[test]
    fn asymmetric_key_requests_cost_more() {
        let r = price(
            "aws_kms_key",
            json!({"customer_master_key_spec": "ECC_NIST_P256", "key_usage": "SIGN_VERIFY"}),
            "us-east-1",
            Some(USAGE),
        );
        // $1.00 key + 100 × 10k × $0.15 = $15.00; total $16.00.
        assert_eq!(
            component(&r, "Requests (asymmetric)").monthly_cost,
            Some(dec!(15))
        );
        assert_eq!(r.monthly_cost, Some(dec!(16)));
    }

    /// Infracost's `kms_key_test` golden (us-east-1): a symmetric key lists
    /// requests at $0.03 and ECC and RSA GenerateDataKeyPair requests at $0.10
    /// per 10k, all usage-based; RSA_2048 has "Requests (RSA 2048)" at $0.03.
    #[test]
    fn components_match_infracosts_golden() {
        let r = price("aws_kms_key", json!({}), "us-east-1", None);
        assert_eq!(
            component(&r, "Customer master key").monthly_cost,
            Some(dec!(1))
        );
        for name in [
            "ECC GenerateDataKeyPair requests",
            "RSA GenerateDataKeyPair requests",
        ] {
            let c = component(&r, name);
            assert_eq!(c.status, ComponentStatus::UsageMissing, "{name}");
            assert_eq!(c.unit, "10k requests");
            assert_eq!(c.price, Some(dec!(0.10)), "{name}");
        }
        let rsa = price(
            "aws_kms_key",
            json!({"customer_master_key_spec": "RSA_2048"}),
            "us-east-1",
            Some(USAGE),
        );
        // 100 × 10k × $0.03 = $3.00
        let req = component(&rsa, "Requests (RSA 2048)");
        assert_eq!(req.price, Some(dec!(0.03)));
        assert_eq!(req.monthly_cost, Some(dec!(3)));
    }

    #[test]
    fn key_month_is_priced_in_every_region_and_requests_wait_for_usage() {
        let r = price(
            "aws_kms_key",
            json!({"key_spec": "HMAC_256"}),
            "ap-northeast-1",
            None,
        );
        assert_eq!(
            component(&r, "Customer master key").monthly_cost,
            Some(dec!(1))
        );
        assert_ne!(component(&r, "Requests").status, ComponentStatus::Priced);
    }
}
