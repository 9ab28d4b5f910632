//! Policy speed: evaluating 20 Rego policies on a 10,000-resource plan
//! (read + parse + mask sensitive values + evaluate), against costing the
//! same plan end to end. Goals (issue 13): under 1 s, and under a fifth of
//! the time to cost the plan. `scripts/bench-policy.sh` prints the ratio.

use driftcost::cost::{CostOptions, ProjectCost, estimate};
use driftcost::plan::{Plan, load_plan};
use driftcost::policy::{Evaluation, InputKind, Limits, PolicySet, mask_plan};
use driftcost::pricing::PriceTable;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RESOURCES: usize = 10_000;
const POLICIES: usize = 20;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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

/// 20 policies: the four plan examples of `policies/examples/`, each five
/// times under another package name (so each is evaluated on its own).
fn policy_dir() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/examples");
        let dir = std::env::temp_dir().join("driftcost-bench/policies-20");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let names = [
            "instance_families",
            "required_tags",
            "no_public_s3",
            "monthly_cost_cap",
        ];
        let plan_names = &names[..3];
        for i in 0..POLICIES {
            let name = plan_names[i % plan_names.len()];
            let text =
                std::fs::read_to_string(examples.join(name).join(format!("{name}.rego"))).unwrap();
            let text = text.replace(
                &format!("package examples.{name}"),
                &format!("package bench.p{i:02}_{name}"),
            );
            std::fs::write(dir.join(format!("p{i:02}.rego")), text).unwrap();
        }
        dir
    })
}

fn policy_set() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| PolicySet::load(policy_dir()).unwrap())
}

/// Read, parse, mask and evaluate 20 policies (the policy folder is loaded
/// once, as the worker and `cost --policy` load it once per run).
#[divan::bench(sample_count = 10)]
fn policy_eval_20_on_10k_plan() -> Evaluation {
    let bytes = std::fs::read(generated_plan()).unwrap();
    let mut plan: Value = serde_json::from_slice(&bytes).unwrap();
    mask_plan(&mut plan);
    policy_set()
        .evaluate(InputKind::Plan, &plan, Limits::default())
        .unwrap()
}

/// Loading (parsing) the 20 policy files.
#[divan::bench(sample_count = 10)]
fn policy_load_20() -> PolicySet {
    PolicySet::load(policy_dir()).unwrap()
}

/// Costing the same plan end to end (read, parse, price), for the ratio.
#[divan::bench(sample_count = 10)]
fn cost_same_plan_end_to_end() -> (Plan, ProjectCost) {
    let plan = load_plan(generated_plan()).unwrap();
    let project = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
    (plan, project)
}
