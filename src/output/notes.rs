//! What a reader must know before trusting a project's total: components left
//! unpriced, resource types not supported, free resources, guesses. Every
//! renderer shows the same sentences, so they are built once here.

use super::format::money;
use crate::cost::{ComponentStatus, ProjectCost};
use std::collections::BTreeMap;

/// The notes of one project, one self-contained sentence each, in the order
/// readers act on them: missing usage, missing prices, unsupported types,
/// free resources, guesses and other assumptions.
pub(crate) fn project_notes(project: &ProjectCost) -> Vec<String> {
    let mut out = Vec::new();
    for r in &project.breakdown.resources {
        for (name, c) in r.all_components() {
            if c.status == ComponentStatus::UsageMissing {
                let price = c
                    .price
                    .map(|p| format!(" ({} per {})", money_precise(p), c.unit))
                    .unwrap_or_default();
                out.push(format!(
                    "{} → {name}{price} is usage-based: set it in a usage file",
                    r.name
                ));
            }
        }
    }
    for miss in &project.summary.price_not_found {
        const SHOWN: usize = 3;
        let mut who = miss.resources[..miss.resources.len().min(SHOWN)].join(", ");
        if miss.resources.len() > SHOWN {
            who.push_str(&format!(" and {} more", miss.resources.len() - SHOWN));
        }
        out.push(format!("{who} → {}: {}", miss.component, miss.message));
    }
    for (resource_type, n) in &project.summary.unsupported_resource_counts {
        out.push(format!("not priced: {n} × {resource_type}"));
    }
    let free = project.summary.total_no_price_resources;
    if free > 0 {
        out.push(format!(
            "{free} free resource{} (no charge): {}",
            plural(free),
            counts(&project.summary.no_price_resource_counts)
        ));
    }
    let guessed = project.summary.region_guessed_resources;
    if guessed > 0 {
        out.push(format!(
            "region guessed for {guessed} resource{}: assumed {}; set the provider's region or --default-region",
            plural(guessed),
            project.metadata.default_region
        ));
    }
    for r in &project.breakdown.resources {
        for note in &r.metadata.notes {
            out.push(format!("{}: {note}", r.name));
        }
    }
    out
}

/// A unit price keeps the digits that matter (`$0.045`, `$0.0000166667`),
/// since rounding it to cents would show most request prices as `$0.00`.
fn money_precise(p: rust_decimal::Decimal) -> String {
    if p.abs() >= rust_decimal::Decimal::ONE {
        money(p)
    } else {
        format!("${}", p.normalize())
    }
}

fn counts(by_type: &BTreeMap<String, usize>) -> String {
    by_type
        .iter()
        .map(|(t, n)| format!("{n} × {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a total leaves out: `None` when every component has a price.
pub(crate) fn unpriced_sentence(after: usize, before: usize) -> Option<String> {
    let side = |n: usize, when: &str| (n > 0).then(|| format!("{n} component{} {when}", plural(n)));
    let parts: Vec<String> = [side(after, "after the plan"), side(before, "before it")]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "not in the totals: {} without a price (usage-based without usage, or no price found); the totals are lower bounds",
            parts.join(" and ")
        )
    })
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::sample_project;

    #[test]
    fn notes_name_every_reason_a_total_may_be_short() {
        let notes = project_notes(&sample_project());
        let expected = [
            "aws_nat_gateway.main → Data processed ($0.045 per GB) is usage-based: set it in a usage file",
            "aws_instance.big → Instance usage: no price found for aws AmazonEC2 \"Compute Instance\" in us-east-1, instanceType=x9.huge, on_demand per Hrs",
            "not priced: 3 × aws_foo",
            "2 free resources (no charge): 1 × aws_iam_role, 1 × aws_vpc",
            "region guessed for 1 resource: assumed us-east-1; set the provider's region or --default-region",
        ];
        for line in expected {
            assert!(
                notes.iter().any(|n| n == line),
                "missing {line:?} in {notes:#?}"
            );
        }
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("aws_nat_gateway.main: region not found")),
            "{notes:#?}"
        );
    }
}
