//! `aws_cloudwatch_metric_alarm`: alarm metrics per month, standard (period of
//! 60 s or more) or high resolution (under 60 s). An alarm on
//! `metric_query` blocks counts the queries that carry a `metric` (expressions
//! are free) and takes its resolution from the first metric's period. An
//! anomaly-detection alarm (a band comparison operator) is billed as three
//! alarms per metric, as AWS bills its upper/lower band metrics.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const ANOMALY_OPERATORS: &[&str] = &[
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let queries = attrs.blocks("metric_query");
    let (metrics, period) = if queries.is_empty() {
        (Decimal::ONE, attrs.decimal("period"))
    } else {
        let with_metric: Vec<Attrs> = queries.iter().filter_map(|q| q.block("metric")).collect();
        let period = with_metric.iter().find_map(|m| m.decimal("period"));
        (Decimal::from(with_metric.len()), period)
    };
    if metrics.is_zero() {
        p.note("no metric_query carries a metric, so there is no alarm metric to bill");
        return p;
    }
    let anomaly = attrs
        .str("comparison_operator")
        .is_some_and(|op| ANOMALY_OPERATORS.contains(&op));
    // A missing period (unknown until apply) is taken as standard resolution.
    let standard = period.is_none_or(|s| s >= dec!(60));
    let (name, usagetype) = if standard {
        ("Standard resolution", "CW:AlarmMonitorUsage")
    } else {
        ("High resolution", "CW:HighResAlarmMonitorUsage")
    };
    let (name, unit, quantity) = if anomaly {
        (
            format!("{name} anomaly detection"),
            "alarms",
            metrics * dec!(3),
        )
    } else {
        (name.to_string(), "alarm metrics", metrics)
    };
    p.push(ComponentSpec::monthly(
        name,
        unit,
        quantity,
        PriceFilter::aws("AmazonCloudWatch", "Alarm", ctx.region, "Alarms")
            .attr("usagetype", usagetype),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn standard_and_high_resolution_by_period() {
        let r = price(
            "aws_cloudwatch_metric_alarm",
            json!({"comparison_operator": "GreaterThanOrEqualToThreshold", "period": 120}),
            "us-east-1",
            None,
        );
        // 1 alarm metric × $0.10 = $0.10.
        assert_eq!(
            component(&r, "Standard resolution").monthly_cost,
            Some(dec!(0.1))
        );
        let r = price(
            "aws_cloudwatch_metric_alarm",
            json!({"comparison_operator": "GreaterThanOrEqualToThreshold", "period": 10}),
            "eu-west-1",
            None,
        );
        // 1 alarm metric × $0.30 = $0.30.
        assert_eq!(
            component(&r, "High resolution").monthly_cost,
            Some(dec!(0.3))
        );
    }

    #[test]
    fn metric_queries_count_metrics_not_expressions() {
        let q = |id: &str, period: u32| json!({"id": id, "metric": [{"metric_name": "m", "period": period}]});
        let r = price(
            "aws_cloudwatch_metric_alarm",
            json!({"comparison_operator": "GreaterThanOrEqualToThreshold",
                   "metric_query": [{"id": "e1", "expression": "m2/m1", "metric": []}, q("m1", 120), q("m2", 120)]}),
            "us-east-1",
            None,
        );
        // 2 metrics × $0.10 = $0.20.
        let c = component(&r, "Standard resolution");
        assert_eq!(c.monthly_quantity, Some(dec!(2)));
        assert_eq!(c.monthly_cost, Some(dec!(0.2)));
    }

    #[test]
    fn anomaly_detection_is_three_alarms_per_metric() {
        let r = price(
            "aws_cloudwatch_metric_alarm",
            json!({"comparison_operator": "GreaterThanUpperThreshold",
                   "metric_query": [{"id": "e1", "expression": "ANOMALY_DETECTION_BAND(m1)"},
                                    {"id": "m1", "metric": [{"metric_name": "CPUUtilization", "period": 30}]}]}),
            "us-east-1",
            None,
        );
        // 1 metric × 3 = 3 high-resolution alarms × $0.30 = $0.90.
        let c = component(&r, "High resolution anomaly detection");
        assert_eq!(c.unit, "alarms");
        assert_eq!(c.monthly_quantity, Some(dec!(3)));
        assert_eq!(c.monthly_cost, Some(dec!(0.9)));
    }
}
