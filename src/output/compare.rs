//! `cost diff --compare-to previous.json`: the past side of each project comes
//! from an earlier report (driftcost's own JSON, or Infracost's 0.1/0.2 JSON)
//! instead of the plan's `before` values, so a PR shows what changed since the
//! last recorded estimate, prices included.

use crate::cost::{
    Breakdown, ComponentStatus, CostComponent, HOURS_PER_MONTH, PriceFilter, ProjectCost,
    ResourceCost, ResourceMetadata, diff_breakdowns,
};
use crate::plan::{Action, Region, RegionSource};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Report versions whose `projects[].breakdown` we can read: ours, and the
/// Infracost JSON versions with the same shape.
const READABLE_VERSIONS: [&str; 3] = [super::JSON_VERSION, "0.1", "0.2"];

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    // The cause is named `error`, not `source`, so it is printed once (here)
    // rather than again by error-chain printers.
    #[error("cannot read previous report {}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("previous report {} is not a driftcost or Infracost JSON report: {error}; create one with `driftcost cost breakdown --format json`", path.display())]
    Invalid {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error("previous report {} has no \"version\"; driftcost reads its own JSON (version 1) and Infracost's (0.1, 0.2)", path.display())]
    MissingVersion { path: PathBuf },
    #[error("previous report {} has version {found:?}; driftcost reads its own JSON (version 1) and Infracost's (0.1, 0.2); regenerate it with `driftcost cost breakdown --format json`", path.display())]
    Version { path: PathBuf, found: String },
    #[error("previous report {} has no projects with a breakdown to compare to", path.display())]
    NoProjects { path: PathBuf },
    #[error("previous report {} has no project named {name:?} (it has {available}); pass the same --project-name as when it was made", path.display())]
    NoMatch {
        path: PathBuf,
        name: String,
        available: String,
    },
}

/// One project of a previous report: its `breakdown` becomes the new past side.
#[derive(Debug, Clone)]
pub struct PreviousProject {
    pub name: String,
    pub breakdown: Breakdown,
    /// The report file, so errors and notes can name it.
    pub source: PathBuf,
}

/// Reads every project of a previous driftcost or Infracost JSON report.
pub fn load_previous(path: &Path) -> Result<Vec<PreviousProject>, CompareError> {
    let text = std::fs::read_to_string(path).map_err(|error| CompareError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let file: ReportFile = serde_json::from_str(&text).map_err(|error| CompareError::Invalid {
        path: path.to_path_buf(),
        error,
    })?;
    let version = match file.version {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(CompareError::MissingVersion {
                path: path.to_path_buf(),
            });
        }
    };
    if !READABLE_VERSIONS.contains(&version.as_str()) {
        return Err(CompareError::Version {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let projects: Vec<PreviousProject> = file
        .projects
        .into_iter()
        .filter_map(|p| {
            Some(PreviousProject {
                name: p.name,
                breakdown: p.breakdown?.into_breakdown(),
                source: path.to_path_buf(),
            })
        })
        .collect();
    if projects.is_empty() {
        return Err(CompareError::NoProjects {
            path: path.to_path_buf(),
        });
    }
    Ok(projects)
}

/// The previous project with this name, else the only one the report has.
pub fn match_previous<'a>(
    previous: &'a [PreviousProject],
    name: &str,
) -> Result<&'a PreviousProject, CompareError> {
    if let Some(p) = previous.iter().find(|p| p.name == name) {
        return Ok(p);
    }
    match previous {
        [only] => Ok(only),
        _ => Err(CompareError::NoMatch {
            path: previous
                .first()
                .map(|p| p.source.clone())
                .unwrap_or_default(),
            name: name.to_string(),
            available: if previous.is_empty() {
                "none".into()
            } else {
                previous
                    .iter()
                    .map(|p| format!("{:?}", p.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        }),
    }
}

/// Makes the previous report's breakdown this project's past side and
/// recomputes the diff the same way the engine does. Call before
/// [`super::CostReport::new`], which sums the sides.
pub fn apply_previous(project: &mut ProjectCost, previous: &PreviousProject) {
    project.past_breakdown = previous.breakdown.clone();
    project.diff = diff_breakdowns(&project.past_breakdown, &project.breakdown);
}

// --- the subset of the report we read; everything else is ignored, so
// Infracost's extra fields (metadata, tags, summary) never fail the load.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReportFile {
    #[serde(default)]
    version: Option<Value>,
    #[serde(default)]
    projects: Vec<ProjectFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProjectFile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    breakdown: Option<BreakdownFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BreakdownFile {
    #[serde(default)]
    resources: Vec<ResourceFile>,
    #[serde(default)]
    total_hourly_cost: Option<Decimal>,
    #[serde(default)]
    total_monthly_cost: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceFile {
    name: String,
    #[serde(default)]
    resource_type: Option<String>,
    #[serde(default)]
    metadata: Value,
    #[serde(default)]
    hourly_cost: Option<Decimal>,
    #[serde(default)]
    monthly_cost: Option<Decimal>,
    #[serde(default)]
    cost_components: Vec<ComponentFile>,
    #[serde(default)]
    subresources: Vec<ResourceFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ComponentFile {
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    hourly_quantity: Option<Decimal>,
    #[serde(default)]
    monthly_quantity: Option<Decimal>,
    #[serde(default)]
    price: Option<Decimal>,
    #[serde(default)]
    hourly_cost: Option<Decimal>,
    #[serde(default)]
    monthly_cost: Option<Decimal>,
    #[serde(default)]
    usage_based: bool,
    #[serde(default)]
    status: Option<ComponentStatus>,
}

impl BreakdownFile {
    fn into_breakdown(self) -> Breakdown {
        let resources: Vec<ResourceCost> = self
            .resources
            .into_iter()
            .map(ResourceFile::into_resource)
            .collect();
        let monthly = self.total_monthly_cost.unwrap_or_else(|| {
            resources
                .iter()
                .filter_map(|r| r.monthly_cost)
                .sum::<Decimal>()
        });
        Breakdown {
            total_hourly_cost: self
                .total_hourly_cost
                .unwrap_or_else(|| (monthly / HOURS_PER_MONTH).round_dp(10))
                .normalize(),
            total_monthly_cost: monthly.normalize(),
            unpriced_components: crate::cost::count_unpriced(&resources),
            resources,
        }
    }
}

impl ResourceFile {
    fn into_resource(self) -> ResourceCost {
        let metadata = metadata(&self.metadata);
        let region = metadata
            .region
            .as_ref()
            .map(|r| r.code.clone())
            .unwrap_or_default();
        ResourceCost {
            name: self.name,
            resource_type: self.resource_type.unwrap_or_default(),
            metadata,
            hourly_cost: self.hourly_cost,
            monthly_cost: self.monthly_cost,
            cost_components: self
                .cost_components
                .into_iter()
                .map(|c| c.into_component(&region))
                .collect(),
            subresources: self
                .subresources
                .into_iter()
                .map(ResourceFile::into_resource)
                .collect(),
        }
    }
}

impl ComponentFile {
    fn into_component(self, region: &str) -> CostComponent {
        let status = self
            .status
            .unwrap_or(match (self.monthly_cost, self.price) {
                (Some(_), _) => ComponentStatus::Priced,
                (None, _) if self.usage_based => ComponentStatus::UsageMissing,
                (None, None) => ComponentStatus::NoPriceFound,
                (None, Some(_)) => ComponentStatus::Priced,
            });
        CostComponent {
            name: self.name,
            unit: self.unit,
            hourly_quantity: self.hourly_quantity,
            monthly_quantity: self.monthly_quantity,
            price: self.price,
            hourly_cost: self.hourly_cost,
            monthly_cost: self.monthly_cost,
            usage_based: self.usage_based,
            status,
            // A report does not record which table row priced a line.
            price_filter: PriceFilter {
                cloud: "",
                service: "",
                product_family: "",
                region: region.to_string(),
                attributes: Vec::new(),
                purchase_option: "",
                unit: "",
            },
        }
    }
}

/// Our resource metadata (region, actions, notes); Infracost's free-form
/// metadata simply yields none of them.
fn metadata(v: &Value) -> ResourceMetadata {
    let region = v.get("region").and_then(|r| {
        let code = r.get("code")?.as_str()?.to_string();
        let source = r.get("source");
        let detail = || {
            source
                .and_then(|s| s.get("detail"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let source = match source.and_then(|s| s.get("kind")).and_then(Value::as_str) {
            Some("resource") => RegionSource::Resource(detail()),
            Some("defaultGuess") => RegionSource::DefaultGuess,
            _ => RegionSource::Provider(detail()),
        };
        Some(Region { code, source })
    });
    let actions = v
        .get("actions")
        .and_then(|a| serde_json::from_value::<Vec<Action>>(a.clone()).ok())
        .unwrap_or_default();
    let notes = v
        .get("notes")
        .and_then(|n| serde_json::from_value::<Vec<String>>(n.clone()).ok())
        .unwrap_or_default();
    ResourceMetadata {
        region,
        actions,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{SCRIPT_ADDRESS, priced, project, resource, sample_project};
    use crate::output::{CostReport, Format, render};
    use rust_decimal_macros::dec;
    use std::io::Write;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn our_own_report_round_trips_and_leaves_nothing_to_diff() {
        let report = CostReport::new(vec![sample_project()], String::new());
        let file = write(&render(Format::Json, &report));
        let previous = load_previous(file.path()).unwrap();
        assert_eq!(previous.len(), 1);
        assert_eq!(previous[0].name, "prod");
        let b = &previous[0].breakdown;
        assert_eq!(b.total_monthly_cost, dec!(57.634));
        let web = b
            .resources
            .iter()
            .find(|r| r.name == SCRIPT_ADDRESS)
            .unwrap();
        assert_eq!(web.metadata.actions, vec![Action::Update]);
        assert_eq!(
            web.subresources[0].cost_components[0].monthly_cost,
            Some(dec!(1.6))
        );
        let nat = &b.resources[0];
        assert!(nat.metadata.region.as_ref().unwrap().is_guess());
        assert_eq!(nat.cost_components[1].status, ComponentStatus::UsageMissing);
        assert_eq!(nat.cost_components[1].monthly_quantity, None);
        let big = b
            .resources
            .iter()
            .find(|r| r.name == "aws_instance.big")
            .unwrap();
        assert_eq!(big.cost_components[0].status, ComponentStatus::NoPriceFound);

        let mut now = sample_project();
        apply_previous(&mut now, match_previous(&previous, "prod").unwrap());
        assert_eq!(now.past_breakdown.total_monthly_cost, dec!(57.634));
        assert!(now.diff.resources.is_empty(), "{:#?}", now.diff.resources);
        assert_eq!(now.diff.total_monthly_cost, Decimal::ZERO);
    }

    #[test]
    fn infracost_json_is_read_and_becomes_the_past_side() {
        let file = write(
            r#"{
              "version": "0.2", "currency": "USD",
              "projects": [{
                "name": "infra/prod", "metadata": {"path": "plan.json", "type": "terraform_plan_json"},
                "pastBreakdown": {"resources": [], "totalHourlyCost": "0", "totalMonthlyCost": "0"},
                "breakdown": {"resources": [{
                    "name": "aws_ebs_volume.data", "metadata": {}, "hourlyCost": "0.0109589041", "monthlyCost": "8",
                    "costComponents": [{"name": "Storage (gp3)", "unit": "GB", "hourlyQuantity": "0.137",
                        "monthlyQuantity": "100", "price": "0.08", "hourlyCost": "0.0109589041", "monthlyCost": "8"}]
                  }, {
                    "name": "aws_lambda_function.old", "metadata": {}, "hourlyCost": null, "monthlyCost": null,
                    "costComponents": [{"name": "Requests", "unit": "1M requests", "hourlyQuantity": null,
                        "monthlyQuantity": null, "price": "0.2", "hourlyCost": null, "monthlyCost": null,
                        "usageBased": true}]
                  }],
                  "totalHourlyCost": "0.0109589041", "totalMonthlyCost": "8"},
                "diff": {"resources": [], "totalHourlyCost": "0", "totalMonthlyCost": "0"},
                "summary": {"unsupportedResourceCounts": {}}
              }],
              "totalHourlyCost": "0.0109589041", "totalMonthlyCost": "8", "timeGenerated": "2024-01-01T00:00:00Z",
              "summary": {}
            }"#,
        );
        let previous = load_previous(file.path()).unwrap();
        // Names differ, but the report has one project: it is the match.
        let prev = match_previous(&previous, "prod").unwrap();
        let lambda = &prev.breakdown.resources[1].cost_components[0];
        assert_eq!(lambda.status, ComponentStatus::UsageMissing);
        assert_eq!(lambda.price, Some(dec!(0.2)));

        let mut now = project(
            "prod",
            vec![],
            vec![resource(
                "aws_ebs_volume.data",
                "aws_ebs_volume",
                &[Action::NoOp],
                vec![priced("Storage (gp3)", "GB", dec!(250), dec!(0.08))],
                vec![],
            )],
        );
        apply_previous(&mut now, prev);
        assert_eq!(now.past_breakdown.total_monthly_cost, dec!(8));
        assert_eq!(now.diff.total_monthly_cost, dec!(12));
        let names: Vec<&str> = now.diff.resources.iter().map(|r| r.name.as_str()).collect();
        // The volume grew; the lambda is gone.
        assert_eq!(names, ["aws_ebs_volume.data", "aws_lambda_function.old"]);
        assert_eq!(now.diff.resources[0].monthly_cost, Some(dec!(12)));
        let report = CostReport::new(vec![now], String::new());
        assert_eq!(report.past_total_monthly_cost, dec!(8));
        assert_eq!(report.diff_total_monthly_cost, dec!(12));
    }

    #[test]
    fn projects_match_by_name_when_there_are_several() {
        let two = CostReport::new(
            vec![
                project("a", vec![], vec![]),
                project(
                    "b",
                    vec![],
                    vec![resource(
                        "aws_ebs_volume.x",
                        "aws_ebs_volume",
                        &[],
                        vec![priced("Storage", "GB", dec!(10), dec!(0.1))],
                        vec![],
                    )],
                ),
            ],
            String::new(),
        );
        let file = write(&render(Format::Json, &two));
        let previous = load_previous(file.path()).unwrap();
        assert_eq!(
            match_previous(&previous, "b")
                .unwrap()
                .breakdown
                .total_monthly_cost,
            dec!(1)
        );
        let err = match_previous(&previous, "c").unwrap_err().to_string();
        assert!(err.contains(&file.path().display().to_string()), "{err}");
        assert!(
            err.contains("no project named \"c\" (it has \"a\", \"b\")"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let missing = Path::new("/nonexistent/previous.json");
        let err = load_previous(missing).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot read previous report /nonexistent/previous.json"),
            "{err}"
        );

        let invalid = write("{ not json");
        let err = load_previous(invalid.path()).unwrap_err().to_string();
        let name = invalid.path().display().to_string();
        assert!(
            err.contains(&name) && err.contains("is not a driftcost or Infracost JSON report"),
            "{err}"
        );

        let wrong = write(r#"{"version": "7", "projects": []}"#);
        let err = load_previous(wrong.path()).unwrap_err().to_string();
        assert!(
            err.contains(&wrong.path().display().to_string()) && err.contains("has version \"7\""),
            "{err}"
        );

        let unversioned = write(r#"{"projects": []}"#);
        let err = load_previous(unversioned.path()).unwrap_err();
        assert!(matches!(err, CompareError::MissingVersion { .. }), "{err}");

        let empty = write(r#"{"version": "1", "projects": []}"#);
        let err = load_previous(empty.path()).unwrap_err();
        assert!(matches!(err, CompareError::NoProjects { .. }), "{err}");
    }
}
