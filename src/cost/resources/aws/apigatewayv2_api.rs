//! `aws_apigatewayv2_api`: HTTP APIs bill requests (metered in 512 KB steps)
//! in two tiers (first 300M, over 300M); WebSocket APIs bill messages
//! (metered in 32 KB steps; first 1B, over 1B) and connection minutes.
//!
//! Usage (Infracost's keys): `monthly_requests`, `request_size_kb` (HTTP);
//! `monthly_messages`, `message_size_kb`, `monthly_connection_mins`
//! (WebSocket). Sizes default to one metering step; lines without their
//! count stay usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let protocol = attrs.str("protocol_type").unwrap_or("HTTP");
    if protocol.eq_ignore_ascii_case("websocket") {
        let messages = metered(&mut p, ctx, "monthly_messages", "message_size_kb", dec!(32));
        p.push(
            ComponentSpec::usage(
                "Messages",
                "1M messages",
                messages,
                PriceFilter::aws("AmazonApiGateway", "WebSocket", ctx.region, "Messages")
                    .attr("usagetype", "ApiGatewayMessage"),
            )
            .per(dec!(1000000))
            .tier_names(&["Messages (first 1B)", "Messages (over 1B)"]),
        );
        p.push(
            ComponentSpec::usage(
                "Connection duration",
                "1M minutes",
                ctx.usage.decimal("monthly_connection_mins"),
                PriceFilter::aws("AmazonApiGateway", "WebSocket", ctx.region, "Minutes")
                    .attr("usagetype", "ApiGatewayMinute"),
            )
            .per(dec!(1000000)),
        );
    } else {
        let requests = metered(
            &mut p,
            ctx,
            "monthly_requests",
            "request_size_kb",
            dec!(512),
        );
        p.push(
            ComponentSpec::usage(
                "Requests",
                "1M requests",
                requests,
                PriceFilter::aws("AmazonApiGateway", "API Calls", ctx.region, "Requests")
                    .attr("usagetype", "ApiGatewayHttpRequest"),
            )
            .per(dec!(1000000))
            .tier_names(&["Requests (first 300M)", "Requests (over 300M)"]),
        );
    }
    p
}

/// The count under `count_key`, times the metering steps of `size_key`.
fn metered(
    p: &mut Priced,
    ctx: &Ctx,
    count_key: &str,
    size_key: &str,
    step_kb: Decimal,
) -> Option<Decimal> {
    let count = ctx.usage.decimal(count_key)?;
    let steps = ctx
        .usage
        .decimal(size_key)
        .filter(|kb| *kb > step_kb)
        .map_or(Decimal::ONE, |kb| (kb / step_kb).ceil());
    p.mul(&format!("{count_key} × {size_key}"), count, steps)
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn http_requests_in_512kb_steps_and_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_apigatewayv2_api.test:\n    monthly_requests: 500000000\n    request_size_kb: 1000\n";
        let r = price(
            "aws_apigatewayv2_api",
            json!({"protocol_type": "HTTP"}),
            "us-east-1",
            Some(usage),
        );
        // 1000 KB = 2 steps → 1,000M billed: 300 × $1.00 + 700 × $0.90 = $930.
        let first = component(&r, "Requests (first 300M)");
        assert_eq!(first.monthly_quantity, Some(dec!(300)));
        assert_eq!(first.monthly_cost, Some(dec!(300)));
        assert_eq!(
            component(&r, "Requests (over 300M)").monthly_cost,
            Some(dec!(630))
        );
        let r = price(
            "aws_apigatewayv2_api",
            json!({"protocol_type": "HTTP"}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Requests (first 300M)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn websocket_messages_and_minutes() {
        let usage = "version: 0.1\nresource_usage:\n  aws_apigatewayv2_api.test:\n    monthly_messages: 750000000\n    message_size_kb: 64\n    monthly_connection_mins: 10000000\n";
        let r = price(
            "aws_apigatewayv2_api",
            json!({"protocol_type": "WEBSOCKET"}),
            "us-east-1",
            Some(usage),
        );
        // 64 KB = 2 steps → 1,500M messages: 1,000 × $1.00 + 500 × $0.80 = $1,400;
        // 10M minutes × $0.25 per 1M = $2.50.
        assert_eq!(
            component(&r, "Messages (first 1B)").monthly_cost,
            Some(dec!(1000))
        );
        assert_eq!(
            component(&r, "Messages (over 1B)").monthly_cost,
            Some(dec!(400))
        );
        assert_eq!(
            component(&r, "Connection duration").monthly_cost,
            Some(dec!(2.5))
        );
        assert_eq!(r.monthly_cost, Some(dec!(1402.5)));
    }
}
