//! Cost engine speed: costing a 10,000-resource plan end to end (read + parse +
//! price) against merely parsing the same file into `serde_json::Value`, and
//! loading the pricing tables. Goal: costing ≤ 1.5× the parse.
//! `DRIFTCOST_BENCH_ONCE=<bench>` runs one bench once (for callgrind).
//! `scripts/bench-cost.sh` runs this and prints the ratio.

use driftcost::cost::{CostOptions, ProjectCost, estimate};
use driftcost::plan::{Plan, load_plan};
use driftcost::pricing::PriceTable;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;

const RESOURCES: usize = 10_000;
const REGIONS: [&str; 7] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
];

/// The binary's allocator, so the bench measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `DRIFTCOST_BENCH_ONCE=<bench>` runs that bench once, without divan, so
    // `valgrind --tool=callgrind` can count its instructions (the plan file and
    // the cached pricing table are made first, outside the count).
    if let Ok(name) = std::env::var("DRIFTCOST_BENCH_ONCE") {
        generated_plan();
        PriceTable::embedded();
        std::hint::black_box(match name.as_str() {
            "parse_value_baseline" => usize::from(!parse_value_baseline().is_null()),
            "cost_plan_end_to_end" => cost_plan_end_to_end_with_teardown(),
            "plan_load_only" => plan_load_only().resource_changes.len(),
            "pricing_table_load" => pricing_table_load(),
            "none" => 0,
            // the estimate as JSON, to check that a speed-up changed no figure
            "dump" => {
                let plan = load_plan(generated_plan()).unwrap();
                let project = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
                println!("{}", serde_json::to_string_pretty(&project).unwrap());
                0
            }
            other => panic!("unknown bench {other}"),
        });
        return;
    }
    divan::main();
}

/// A plan shaped like terraform's: resource_changes with before/after and
/// masks, planned_values, prior_state and configuration, over covered types.
fn generated_plan() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut changes = Vec::with_capacity(RESOURCES);
        let mut planned = Vec::with_capacity(RESOURCES);
        let mut config = Vec::new();
        for i in 0..RESOURCES {
            let region = REGIONS[i % REGIONS.len()];
            let (ty, after) = match i % 10 {
                0 | 1 => ("aws_instance", json!({"instance_type": (["t3.micro", "m5.large", "c5.xlarge", "r5.large"][i % 4]), "availability_zone": format!("{region}a"), "tenancy": "default", "ebs_optimized": false, "monitoring": i % 3 == 0, "root_block_device": [{"volume_size": 30, "volume_type": "gp3", "iops": 3000, "throughput": 125}], "ebs_block_device": [], "tags": {"Name": format!("web-{i}"), "team": "platform"}, "tags_all": {"Name": format!("web-{i}"), "team": "platform"}})),
                2 => ("aws_ebs_volume", json!({"availability_zone": format!("{region}b"), "size": 100 + i % 400, "type": (["gp2", "gp3", "io1", "st1"][i % 4]), "iops": 4000, "throughput": 250, "tags": {"Name": format!("vol-{i}")}})),
                3 => ("aws_db_instance", json!({"instance_class": "db.m5.large", "engine": "postgres", "multi_az": i % 2 == 0, "allocated_storage": 100, "storage_type": "gp2", "arn": format!("arn:aws:rds:{region}:123456789012:db:db-{i}"), "password": "secret", "tags": {}})),
                4 => ("aws_nat_gateway", json!({"connectivity_type": "public", "subnet_id": format!("subnet-{i}"), "tags": {}})),
                5 => ("aws_lb", json!({"load_balancer_type": (["application", "network"][i % 2]), "name": format!("lb-{i}"), "internal": false, "arn": format!("arn:aws:elasticloadbalancing:{region}:123456789012:loadbalancer/app/lb-{i}/abc")})),
                6 => ("aws_lambda_function", json!({"function_name": format!("fn-{i}"), "memory_size": 512, "architectures": ["x86_64"], "runtime": "python3.12"})),
                7 => ("aws_s3_bucket", json!({"bucket": format!("bucket-{i}"), "tags": {"env": "prod"}})),
                8 => ("aws_eip", json!({"domain": "vpc", "tags": {}})),
                _ => ("aws_security_group", json!({"name": format!("sg-{i}"), "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})),
            };
            let name = format!("r{i}");
            let address = format!("{ty}.{name}");
            let mut before = after.clone();
            if i % 5 == 0 {
                before["tags"] = json!({"Name": "old"});
            }
            let actions = match i % 4 {
                0 => json!(["create"]),
                1 => json!(["update"]),
                2 => json!(["no-op"]),
                _ => json!(["delete", "create"]),
            };
            let before = if i % 4 == 0 { Value::Null } else { before };
            changes.push(json!({
                "address": address, "mode": "managed", "type": ty, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": actions, "before": before, "after": after,
                    "after_unknown": {"id": true, "arn": true}, "before_sensitive": {}, "after_sensitive": {"password": true}}
            }));
            planned.push(json!({"address": address, "mode": "managed", "type": ty, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1, "values": after, "sensitive_values": {}}));
            config.push(json!({"address": address, "mode": "managed", "type": ty, "name": name,
                "provider_config_key": "aws", "expressions": {}, "schema_version": 1}));
        }
        let plan = json!({
            "format_version": "1.2", "terraform_version": "1.11.4",
            "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes,
            "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": []}}},
            "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                "expressions": {"region": {"constant_value": "us-east-1"}}}}, "root_module": {"resources": config}}
        });
        let dir = std::env::temp_dir().join("driftcost-bench");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plan-10k.json");
        std::fs::write(&path, serde_json::to_vec(&plan).unwrap()).unwrap();
        path
    })
}

/// Baseline: read the file and parse it into `serde_json::Value`.
#[divan::bench(sample_count = 10)]
fn parse_value_baseline() -> Value {
    let bytes = std::fs::read(generated_plan()).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// End to end: read, parse into the plan model, price every resource. The
/// plan and the estimate are returned, so divan frees them after the clock
/// stops, as it frees the baseline's `Value`: both sides time building, not
/// tearing down.
#[divan::bench(sample_count = 10)]
fn cost_plan_end_to_end() -> (Plan, ProjectCost) {
    let table = PriceTable::embedded();
    let plan = load_plan(generated_plan()).unwrap();
    let project = estimate(&plan, table, &CostOptions::default());
    (plan, project)
}

/// The same, also freeing the plan and the estimate inside the clock (what a
/// one-shot `driftcost cost breakdown` pays before it exits).
#[divan::bench(sample_count = 10)]
fn cost_plan_end_to_end_with_teardown() -> usize {
    let (plan, project) = cost_plan_end_to_end();
    let n = project.breakdown.resources.len();
    drop((plan, project));
    n
}

/// Only the typed plan load (read + parse into the plan model), to split the
/// end-to-end time into loading and pricing; freed outside the clock too.
#[divan::bench(sample_count = 10)]
fn plan_load_only() -> Plan {
    load_plan(generated_plan()).unwrap()
}

/// Loading and indexing the shipped pricing tables from scratch.
#[divan::bench(sample_count = 10)]
fn pricing_table_load() -> usize {
    PriceTable::load_embedded().unwrap().len()
}
