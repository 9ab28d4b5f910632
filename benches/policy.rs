//! Policy speed: evaluating 20 Rego policies on a 10,000-resource plan
//! (read + parse + mask sensitive values + evaluate + render, as `policy
//! eval --plan` does once the folder is loaded), against costing the same
//! plan end to end (read + parse + price + check + render, as `cost
//! breakdown --plan` does once the price table is loaded). Goals (issue 13):
//! under 1 s, and under a fifth of the time to cost the plan.
//! `scripts/bench-policy.sh` prints the ratio.

use driftcost::cost::{CostOptions, estimate};
use driftcost::output::{CostReport, Format, write_report};
use driftcost::plan::load_plan;
use driftcost::policy::{InputKind, Limits, PolicySet, mask_plan, render_table};
use driftcost::pricing::PriceTable;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RESOURCES: usize = 10_000;
const POLICIES: usize = 20;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // As the driftcost binary does (src/main.rs); before divan starts threads.
    // SAFETY: first thing in main, before any thread is started.
    unsafe { driftcost::policy::no_library_backtraces() };
    divan::main();
}

/// A plan shaped like terraform's (as benches/cost.rs makes it): instances,
/// volumes, databases, buckets and security groups with tags and masks.
fn generated_plan() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut changes = Vec::with_capacity(RESOURCES);
        for i in 0..RESOURCES {
            let (ty, after) = match i % 5 {
                0 | 1 => ("aws_instance", json!({"instance_type": (["t3.micro", "m5.large", "c5.xlarge", "r5.large"][i % 4]), "availability_zone": "us-east-1a", "root_block_device": [{"volume_size": 30, "volume_type": "gp3"}], "tags": {"Name": format!("web-{i}"), "env": (["dev", "prod"][i % 2]), "owner": "platform"}})),
                2 => ("aws_ebs_volume", json!({"availability_zone": "us-east-1b", "size": 100 + i % 400, "type": "gp3", "tags": {"Name": format!("vol-{i}")}})),
                3 => ("aws_db_instance", json!({"instance_class": "db.m5.large", "engine": "postgres", "allocated_storage": 100, "password": "secret", "tags": {}})),
                _ => ("aws_s3_bucket", json!({"bucket": format!("bucket-{i}"), "acl": (["private", "public-read"][i % 2]), "tags": {"env": "prod"}})),
            };
            let name = format!("r{i}");
            let actions = match i % 4 {
                0 => json!(["create"]),
                1 => json!(["update"]),
                2 => json!(["no-op"]),
                _ => json!(["delete", "create"]),
            };
            changes.push(json!({
                "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": actions, "before": after.clone(), "after": after,
                    "after_unknown": {"id": true}, "before_sensitive": {"password": true}, "after_sensitive": {"password": true}}
            }));
        }
        let plan = json!({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes});
        let dir = std::env::temp_dir().join("driftcost-bench");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("policy-plan-10k.json");
        std::fs::write(&path, serde_json::to_vec(&plan).unwrap()).unwrap();
        path
    })
}

/// 20 policies: the three plan examples of `policies/examples/` and the
/// conftest- and Infracost-style policies below, taken in turn, each under
/// its own package name (so each is evaluated on its own).
fn policy_dir() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/examples");
        let dir = std::env::temp_dir().join("driftcost-bench/policies-20");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut all: Vec<(String, String)> = ["instance_families", "required_tags", "no_public_s3"]
            .iter()
            .map(|name| {
                let text =
                    std::fs::read_to_string(examples.join(name).join(format!("{name}.rego")))
                        .unwrap();
                let text = text.replace(&format!("package examples.{name}"), "package {pkg}");
                (name.to_string(), text)
            })
            .collect();
        all.extend(
            STYLE_POLICIES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string())),
        );
        for i in 0..POLICIES {
            let (name, text) = &all[i % all.len()];
            let text = text.replace("{pkg}", &format!("bench.p{i:02}_{name}"));
            assert!(text.contains(&format!("package bench.p{i:02}_{name}")));
            std::fs::write(dir.join(format!("p{i:02}.rego")), text).unwrap();
        }
        dir
    })
}

/// Plan policies written for this bench in the styles people use with
/// conftest on `terraform show -json` (Rego v0 `deny[msg] { … }` with
/// `input.resource_changes[_]`, v1 `deny contains msg if`, `violation`
/// objects, `warn`, `deny_*`) and Infracost's `deny[out]` with `failed`.
/// `{pkg}` is replaced by the package name.
const STYLE_POLICIES: &[(&str, &str)] = &[
    (
        "ebs_encrypted",
        r#"package {pkg}

deny[msg] {
  r := input.resource_changes[_]
  r.type == "aws_ebs_volume"
  r.change.actions[_] != "delete"
  not r.change.after.encrypted
  msg := sprintf("%s: EBS volume is not encrypted", [r.address])
}
"#,
    ),
    (
        "deletes",
        r#"package {pkg}

warn[msg] {
  r := input.resource_changes[_]
  r.change.actions[_] == "delete"
  msg := sprintf("%s will be destroyed", [r.address])
}
"#,
    ),
    (
        "volume_size",
        r#"package {pkg}

max_gib := 400

violation[{"msg": msg, "details": {"size": size}}] {
  r := input.resource_changes[_]
  r.type == "aws_ebs_volume"
  size := r.change.after.size
  size > max_gib
  msg := sprintf("%s: %d GiB is more than %d GiB", [r.address, size, max_gib])
}
"#,
    ),
    (
        "databases",
        r#"package {pkg}

import rego.v1

allowed_engines := {"postgres", "mysql", "aurora-postgresql"}

databases contains r if {
  some r in input.resource_changes
  r.type == "aws_db_instance"
  not "delete" in r.change.actions
}

deny contains msg if {
  some r in databases
  not r.change.after.engine in allowed_engines
  msg := sprintf("%s: engine %q is not allowed", [r.address, r.change.after.engine])
}

deny_storage contains msg if {
  some r in databases
  r.change.after.allocated_storage > 1000
  msg := sprintf("%s: %d GiB of storage needs a review", [r.address, r.change.after.allocated_storage])
}

warn_multi_az contains msg if {
  some r in databases
  not r.change.after.multi_az
  msg := sprintf("%s is not multi-AZ", [r.address])
}
"#,
    ),
    (
        "blast_radius",
        r#"package {pkg}

import rego.v1

changed(action) := count([r | some r in input.resource_changes; action in r.change.actions])

warn contains msg if {
  n := changed("create")
  n > 1000
  msg := sprintf("%d resources are created", [n])
}

deny contains msg if {
  n := changed("delete")
  n > 5000
  msg := sprintf("%d resources are destroyed", [n])
}
"#,
    ),
    (
        "instance_size",
        r#"package {pkg}

large := {"xlarge", "2xlarge", "4xlarge", "8xlarge"}

deny[out] {
  r := input.resource_changes[_]
  r.type == "aws_instance"
  size := split(r.change.after.instance_type, ".")[1]
  out := {
    "msg": sprintf("%s: instance size %s", [r.address, size]),
    "failed": count({size} & large) > 0,
  }
}
"#,
    ),
    (
        "name_tag",
        r#"package {pkg}

import rego.v1

named := {"aws_instance", "aws_ebs_volume"}

deny_missing_name contains msg if {
  some r in input.resource_changes
  r.mode == "managed"
  r.type in named
  not r.change.after.tags.Name
  msg := sprintf("%s has no Name tag", [r.address])
}
"#,
    ),
    (
        "providers",
        r#"package {pkg}

deny[msg] {
  r := input.resource_changes[_]
  not startswith(r.provider_name, "registry.terraform.io/hashicorp/")
  msg := sprintf("%s uses provider %s, which is not approved", [r.address, r.provider_name])
}
"#,
    ),
    (
        "zones",
        r#"package {pkg}

import rego.v1

allowed_zones := {"us-east-1a", "us-east-1b", "us-east-1c"}

deny contains msg if {
  some r in input.resource_changes
  az := r.change.after.availability_zone
  not az in allowed_zones
  msg := sprintf("%s: zone %s is not allowed", [r.address, az])
}
"#,
    ),
    (
        "open_ssh",
        r#"package {pkg}

import rego.v1

deny contains msg if {
  some r in input.resource_changes
  r.type == "aws_security_group"
  some rule in r.change.after.ingress
  "0.0.0.0/0" in rule.cidr_blocks
  rule.from_port <= 22
  rule.to_port >= 22
  msg := sprintf("%s opens SSH to the world", [r.address])
}
"#,
    ),
];

fn policy_set() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| PolicySet::load(policy_dir()).unwrap())
}

/// Read, parse, mask, evaluate 20 policies and render the findings (the
/// policy folder is loaded once, as the worker and `cost --policy` load it
/// once per run).
#[divan::bench(sample_count = 10)]
fn policy_eval_20_on_10k_plan() -> String {
    let bytes = std::fs::read(generated_plan()).unwrap();
    let mut plan: Value = serde_json::from_slice(&bytes).unwrap();
    mask_plan(&mut plan);
    let eval = policy_set()
        .evaluate(InputKind::Plan, &plan, Limits::default())
        .unwrap();
    assert!(eval.findings.len() > POLICIES, "the policies found nothing");
    render_table(&eval)
}

/// Loading (parsing) the 20 policy files.
#[divan::bench(sample_count = 10)]
fn policy_load_20() -> PolicySet {
    PolicySet::load(policy_dir()).unwrap()
}

/// Costing the same plan end to end as `cost breakdown --plan` does (read,
/// parse, price, check, render the table), the price table loaded once.
#[divan::bench(sample_count = 10)]
fn cost_same_plan_end_to_end() -> usize {
    let plan = load_plan(generated_plan()).unwrap();
    let project = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
    drop(plan);
    project.check_inputs().unwrap();
    let report = CostReport::new(vec![project], "2026-01-01T00:00:00Z".into());
    let mut out = Vec::new();
    write_report(Format::Table, &report, false, &mut out).unwrap();
    out.len()
}
