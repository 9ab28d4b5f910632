//! `aws_acmpca_certificate_authority`: a monthly fee per private CA and a fee
//! per certificate issued, in AWS's volume tiers (first 1K, next 9K, over
//! 10K); a CA in short-lived certificate mode (`usage_mode =
//! SHORT_LIVED_CERTIFICATE`) has its own CA fee and one certificate rate.
//!
//! Usage (Infracost's key): `monthly_requests` (certificates issued);
//! without it the certificate line is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws(
            "AWSCertificateManager",
            "AWS Certificate Manager",
            ctx.region,
            unit,
        )
        .attr("usagetype", usagetype)
    };
    let short_lived = attrs
        .str("usage_mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("SHORT_LIVED_CERTIFICATE"));
    let certificates = ctx.usage.decimal("monthly_requests");
    if short_lived {
        p.push(ComponentSpec::monthly(
            "Private certificate authority (short-lived certificate mode)",
            "months",
            Decimal::ONE,
            filter("ShortLivedCertificatePrivateCA", "Months"),
        ));
        p.push(ComponentSpec::usage(
            "Certificates (short-lived)",
            "requests",
            certificates,
            filter("ShortLivedCertificatesIssued", "Certificates"),
        ));
    } else {
        p.push(ComponentSpec::monthly(
            "Private certificate authority",
            "months",
            Decimal::ONE,
            filter("PaidPrivateCA", "Months"),
        ));
        p.push(
            ComponentSpec::usage(
                "Certificates",
                "requests",
                certificates,
                filter("PrivateCertificatesIssued", "Certificates"),
            )
            .tier_names(&[
                "Certificates (first 1K)",
                "Certificates (next 9K)",
                "Certificates (over 10K)",
            ]),
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn general_purpose_ca_with_certificates_in_three_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_acmpca_certificate_authority.test:\n    monthly_requests: 20001\n";
        let r = price(
            "aws_acmpca_certificate_authority",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // CA $400; 1,000 × $0.75 = $750; 9,000 × $0.35 = $3,150; 10,001 × $0.001 = $10.001.
        assert_eq!(
            component(&r, "Private certificate authority").monthly_cost,
            Some(dec!(400))
        );
        assert_eq!(
            component(&r, "Certificates (first 1K)").monthly_cost,
            Some(dec!(750))
        );
        assert_eq!(
            component(&r, "Certificates (next 9K)").monthly_cost,
            Some(dec!(3150))
        );
        let over = component(&r, "Certificates (over 10K)");
        assert_eq!(over.monthly_quantity, Some(dec!(10001)));
        assert_eq!(over.monthly_cost, Some(dec!(10.001)));
    }

    #[test]
    fn short_lived_mode_and_no_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_acmpca_certificate_authority.test:\n    monthly_requests: 20001\n";
        let r = price(
            "aws_acmpca_certificate_authority",
            json!({"usage_mode": "SHORT_LIVED_CERTIFICATE"}),
            "us-east-1",
            Some(usage),
        );
        // CA $50; 20,001 × $0.058 = $1,160.058.
        assert_eq!(
            component(
                &r,
                "Private certificate authority (short-lived certificate mode)"
            )
            .monthly_cost,
            Some(dec!(50))
        );
        assert_eq!(
            component(&r, "Certificates (short-lived)").monthly_cost,
            Some(dec!(1160.058))
        );
        let r = price(
            "aws_acmpca_certificate_authority",
            json!({}),
            "us-east-1",
            None,
        );
        let c = component(&r, "Certificates (first 1K)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.75)));
    }
}
