//! `azurerm_lb_outbound_rule`: an outbound rule per hour, billed like a load
//! balancing rule ([`super::lb_rule`]).

use super::lb_rule::rule_usage;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(rule_usage(ctx.region));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn an_outbound_rule_costs_what_a_rule_does() {
        // 730 h × $0.01 = $7.30
        let r = price(
            "azurerm_lb_outbound_rule",
            json!({"name": "OutboundRule", "location": "westeurope", "protocol": "Tcp"}),
            "westeurope",
            None,
        );
        assert_eq!(component(&r, "Rule usage").monthly_cost, Some(dec!(7.30)));
    }
}
