//! The JSON contract (`"version": "1"`, documented in `JSON.md`): Infracost's
//! field names and shapes, decimals as strings with full precision, so tools
//! that read Infracost JSON read ours unchanged.

use super::CostReport;

pub(crate) fn render(report: &CostReport) -> String {
    serde_json::to_string_pretty(report).expect("a cost report always serializes")
}

/// [`render`] written as it is made, so a large report is never held whole
/// in memory; the same bytes, followed by a newline.
/// Generic over the writer: serde_json makes many small writes, and through
/// `dyn Write` each one was a call instead of an inlined buffer copy.
pub(crate) fn write<W: std::io::Write + ?Sized>(
    report: &CostReport,
    out: &mut W,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{SCRIPT_ADDRESS, sample_project};
    use serde_json::{Value, json};

    fn rendered() -> Value {
        let report = CostReport::new(vec![sample_project()], "2025-06-01T12:00:00Z".into());
        serde_json::from_str(&render(&report)).unwrap()
    }

    #[test]
    fn streamed_json_is_the_rendered_json() {
        let report = CostReport::new(vec![sample_project()], "2025-06-01T12:00:00Z".into());
        let mut streamed = Vec::new();
        write(&report, &mut streamed).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            format!("{}\n", render(&report))
        );
    }

    #[test]
    fn top_level_fields_match_infracost() {
        let v = rendered();
        for key in [
            "version",
            "currency",
            "projects",
            "totalHourlyCost",
            "totalMonthlyCost",
            "pastTotalHourlyCost",
            "pastTotalMonthlyCost",
            "diffTotalHourlyCost",
            "diffTotalMonthlyCost",
            "timeGenerated",
            "summary",
        ] {
            assert!(v.get(key).is_some(), "missing top-level {key}");
        }
        assert_eq!(v["version"], "1");
        assert_eq!(v["currency"], "USD");
        assert_eq!(v["timeGenerated"], "2025-06-01T12:00:00Z");
        // Past: 7.592 + 0.64 + 8; future: 32.85 + 15.184 + 1.6 + 8.
        assert_eq!(v["pastTotalMonthlyCost"], "16.232");
        assert_eq!(v["totalMonthlyCost"], "57.634");
        assert_eq!(v["diffTotalMonthlyCost"], "41.402");
        assert_eq!(
            v["summary"]["unsupportedResourceCounts"],
            json!({"aws_foo": 3})
        );
        assert_eq!(v["summary"]["totalNoPriceResources"], 2);
        // Next to the totals: how many components they leave out.
        assert_eq!(v["unpricedComponents"], 2);
        assert_eq!(v["pastUnpricedComponents"], 0);
        assert_eq!(v["projects"][0]["breakdown"]["unpricedComponents"], 2);
        assert_eq!(v["projects"][0]["diff"]["unpricedComponents"], 2);
    }

    #[test]
    fn projects_carry_three_breakdowns_and_a_summary() {
        let v = rendered();
        let p = &v["projects"][0];
        assert_eq!(p["name"], "prod");
        assert_eq!(p["metadata"]["path"], "prod.plan.json");
        for side in ["pastBreakdown", "breakdown", "diff"] {
            for key in ["resources", "totalHourlyCost", "totalMonthlyCost"] {
                assert!(p[side].get(key).is_some(), "missing {side}.{key}");
            }
            assert!(
                p[side]["totalMonthlyCost"].is_string(),
                "{side} total not a string"
            );
        }
        assert_eq!(p["diff"]["totalMonthlyCost"], "41.402");
        for key in [
            "totalDetectedResources",
            "totalSupportedResources",
            "totalUnsupportedResources",
            "totalUsageBasedResources",
            "totalNoPriceResources",
            "unsupportedResourceCounts",
            "noPriceResourceCounts",
        ] {
            assert!(p["summary"].get(key).is_some(), "missing summary.{key}");
        }
        // The unchanged volume is not in the diff; the updated web instance is.
        let diff_names: Vec<&str> = p["diff"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert!(diff_names.contains(&SCRIPT_ADDRESS));
        assert!(!diff_names.contains(&"aws_ebs_volume.data"));
    }

    #[test]
    fn resources_and_components_use_infracost_names_and_string_decimals() {
        let v = rendered();
        let web = v["projects"][0]["breakdown"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == SCRIPT_ADDRESS)
            .unwrap()
            .clone();
        assert_eq!(web["resourceType"], "aws_instance");
        assert_eq!(web["monthlyCost"], "16.784");
        assert!(web["hourlyCost"].is_string());
        let c = &web["costComponents"][0];
        assert_eq!(c["name"], "Instance usage");
        assert_eq!(c["unit"], "hours");
        assert_eq!(c["monthlyQuantity"], "730");
        assert_eq!(c["price"], "0.0208");
        assert_eq!(c["monthlyCost"], "15.184");
        assert!(c["hourlyQuantity"].is_string());
        assert_eq!(c["usageBased"], false);
        let sub = &web["subresources"][0];
        assert_eq!(sub["name"], "root_block_device");
        assert_eq!(sub["costComponents"][0]["monthlyCost"], "1.6");
    }

    #[test]
    fn usage_based_components_without_usage_are_null_not_zero() {
        let v = rendered();
        let nat = &v["projects"][0]["breakdown"]["resources"][0];
        assert_eq!(nat["name"], "aws_nat_gateway.main");
        let data = &nat["costComponents"][1];
        assert_eq!(data["name"], "Data processed");
        assert_eq!(data["usageBased"], true);
        for key in [
            "hourlyQuantity",
            "monthlyQuantity",
            "hourlyCost",
            "monthlyCost",
        ] {
            assert_eq!(data[key], Value::Null, "{key} should be null");
        }
        assert_eq!(data["price"], "0.045");
        assert_eq!(data["status"], "usageMissing");
    }
}
