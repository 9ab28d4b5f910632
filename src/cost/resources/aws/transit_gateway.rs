//! Transit gateway attachment hours and data processed, shared by
//! `aws_ec2_transit_gateway_vpc_attachment` and VPN connections that end
//! on a transit gateway (`aws_vpn_connection`). The price-list `operation`
//! tells the attachment kinds apart (`TransitGatewayVPC`, `TransitGatewayVPN`).

use crate::cost::{ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(super) fn attachment(p: &mut Priced, ctx: &Ctx, operation: &str) {
    let filter = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonVPC", "Transit Gateway", ctx.region, unit)
            .attr("usagetype", usagetype)
            .attr("operation", operation)
    };
    p.push(ComponentSpec::hourly(
        "Transit gateway attachment",
        "hours",
        Decimal::ONE,
        filter("TransitGateway-Hours", "Hrs"),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        filter("TransitGateway-Bytes", "GB"),
    ));
}
