//! `aws_secretsmanager_secret`: a monthly charge per secret, plus API calls per
//! 10,000. Each replica (`replica` block) is billed as a secret of its own in
//! the replica's region.
//!
//! Usage: `monthly_requests`. Defaults: without it the API line is
//! usage-based; secret versions do not change the price.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let secret = |region: &str| {
        PriceFilter::aws("AWSSecretsManager", "Secret", region, "Secrets-Mo")
            .attr("usagetype", "AWSSecretsManager-Secrets")
    };
    let mut p = Priced::default();
    p.push(ComponentSpec::monthly(
        "Secret",
        "months",
        Decimal::ONE,
        secret(ctx.region),
    ));
    for replica in attrs.blocks("replica") {
        if let Some(region) = replica.str("region") {
            p.push(ComponentSpec::monthly(
                format!("Replica secret ({region})"),
                "months",
                Decimal::ONE,
                secret(region),
            ));
        }
    }
    p.push(
        ComponentSpec::usage(
            "API requests",
            "10k requests",
            ctx.usage.decimal("monthly_requests"),
            PriceFilter::aws(
                "AWSSecretsManager",
                "API Request",
                ctx.region,
                "API Requests",
            )
            .attr("usagetype", "AWSSecretsManagerAPIRequest"),
        )
        .per(dec!(10000)),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn secret_month_plus_api_calls() {
        let usage = "version: 0.1\nresource_usage:\n  aws_secretsmanager_secret.test:\n    monthly_requests: 50000\n";
        let r = price(
            "aws_secretsmanager_secret",
            json!({"name": "db"}),
            "us-east-1",
            Some(usage),
        );
        // $0.40 secret + 50,000 calls = 5 × 10k × $0.05 = $0.25; total $0.65.
        assert_eq!(component(&r, "API requests").monthly_cost, Some(dec!(0.25)));
        assert_eq!(r.monthly_cost, Some(dec!(0.65)));
    }

    #[test]
    fn replicas_are_priced_in_their_own_region() {
        let r = price(
            "aws_secretsmanager_secret",
            json!({"replica": [{"region": "us-east-1"}]}),
            "eu-west-1",
            None,
        );
        let replica = component(&r, "Replica secret (us-east-1)");
        assert_eq!(replica.price_filter.region, "us-east-1");
        assert_eq!(replica.monthly_cost, Some(dec!(0.4)));
        assert!(component(&r, "API requests").usage_based);
    }
}
