//! End to end with real terraform and the file-backed test provider: apply, change the fake
//! cloud behind terraform's back, and check that a refresh-only plan reports exactly that.
//!
//! `DRIFTCOST_UPDATE_FIXTURES=1 cargo test --test tf_provider_e2e` also rewrites
//! `tests/fixtures/drift_refresh_plan_changed_deleted_sensitive.json` and
//! `tests/fixtures/recorded_state_v4.json` from the run, with temp paths made stable.

use crate::support;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::terraform::{
    HANG_ON_READ_ENV, edit_cloud_object, ensure_mirror, state_ids, terraform, terraform_env,
    terraform_ok, write_workspace,
};

/// One resource of each type the provider serves; the db password comes from a sensitive
/// variable, the volume's tags reference a value unknown until apply.
const ALL_TYPES: &str = r#"
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  tags          = { Name = "web", env = "dev" }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
  }

  credit_specification {
    cpu_credits = "unlimited"
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = aws_instance.web.availability_zone
  size              = 100
  type              = "gp3"
  tags              = { attached_to = aws_instance.web.id }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  allocated_storage = 50
  username          = "app"
  password          = var.db_password
}

resource "aws_s3_bucket" "logs" {
  bucket = "driftcost-test-logs"
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "192.168.0.0/16"]
  }
}
"#;

const PASSWORD: (&str, &str) = ("TF_VAR_db_password", "initial-password");

fn refresh_only_plan(ws: &Path) -> Value {
    terraform_ok(
        ws,
        &[
            "plan",
            "-refresh-only",
            "-lock=false",
            "-input=false",
            "-json",
            "-out=p",
        ],
        &[PASSWORD],
    );
    let shown = terraform_ok(ws, &["show", "-json", "p"], &[]);
    serde_json::from_slice(&shown.stdout).expect("show -json prints JSON")
}

fn drift<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["resource_drift"]
        .as_array()
        .expect("resource_drift present")
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in resource_drift: {plan:#}"))
}

#[test]
fn refresh_only_plan_reports_out_of_band_changes_and_deletes() {
    ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let cloud = tmp.path().join("cloud");
    write_workspace(&ws, &cloud, "us-east-1", None, ALL_TYPES);

    let started = Instant::now();
    terraform_ok(&ws, &["init", "-input=false", "-no-color"], &[]);
    terraform_ok(
        &ws,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[PASSWORD],
    );
    let ids = state_ids(&ws);
    assert_eq!(ids.len(), 5, "{ids:?}");
    let instance_id = &ids["aws_instance.web"];
    assert!(instance_id.starts_with("i-"), "{instance_id}");

    // Reading back what apply wrote is not drift.
    let clean = refresh_only_plan(&ws);
    assert!(clean.get("resource_drift").is_none(), "{clean:#}");
    let state = std::fs::read_to_string(ws.join("terraform.tfstate")).unwrap();

    edit_cloud_object(&cloud, "aws_instance", instance_id, |o| {
        o["instance_type"] = json!("m5.large");
        o["tags"]["env"] = json!("prod");
        o["tags_all"]["env"] = json!("prod");
    });
    edit_cloud_object(
        &cloud,
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |o| {
            o["allocated_storage"] = json!(100);
            o["password"] = json!("rotated-by-hand");
        },
    );
    edit_cloud_object(
        &cloud,
        "aws_security_group",
        &ids["aws_security_group.web"],
        |o| {
            o["ingress"][0]["cidr_blocks"][1] = json!("0.0.0.0/0");
        },
    );
    std::fs::remove_file(cloud.join("aws_s3_bucket/driftcost-test-logs.json")).unwrap();

    let plan = refresh_only_plan(&ws);
    eprintln!(
        "init/apply/refresh/drift-plan cycle: {:?}",
        started.elapsed()
    );

    let instance = &drift(&plan, "aws_instance.web")["change"];
    assert_eq!(instance["actions"], json!(["update"]));
    assert_eq!(instance["before"]["instance_type"], "t3.micro");
    assert_eq!(instance["after"]["instance_type"], "m5.large");
    assert_eq!(instance["before"]["tags"]["env"], "dev");
    assert_eq!(instance["after"]["tags"]["env"], "prod");
    assert_eq!(
        instance["after"]["arn"],
        format!("arn:aws:ec2:us-east-1:000000000000:instance/{instance_id}")
    );

    let bucket = &drift(&plan, "aws_s3_bucket.logs")["change"];
    assert_eq!(bucket["actions"], json!(["delete"]));
    assert_eq!(bucket["after"], Value::Null);
    assert_eq!(bucket["before"]["bucket"], "driftcost-test-logs");

    let db = &drift(&plan, "aws_db_instance.orders")["change"];
    assert_eq!(db["actions"], json!(["update"]));
    assert_eq!(db["before"]["allocated_storage"], 50);
    assert_eq!(db["after"]["allocated_storage"], 100);
    assert_eq!(db["before_sensitive"]["password"], true);
    assert_eq!(db["after_sensitive"]["password"], true);

    let sg = &drift(&plan, "aws_security_group.web")["change"];
    assert_eq!(
        sg["before"]["ingress"][0]["cidr_blocks"][1],
        "192.168.0.0/16"
    );
    assert_eq!(sg["after"]["ingress"][0]["cidr_blocks"][1], "0.0.0.0/0");

    assert!(drift_of_unchanged_is_absent(&plan, "aws_ebs_volume.data"));

    if std::env::var_os("DRIFTCOST_UPDATE_FIXTURES").is_some() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::create_dir_all(&fixtures).unwrap();
        let stable = |text: &str| {
            text.replace(&cloud.display().to_string(), "/tmp/driftcost-test/cloud")
                .replace(&ws.display().to_string(), "/tmp/driftcost-test/ws")
        };
        let plan_text = serde_json::to_string_pretty(&plan).unwrap();
        std::fs::write(
            fixtures.join("drift_refresh_plan_changed_deleted_sensitive.json"),
            stable(&plan_text) + "\n",
        )
        .unwrap();
        std::fs::write(fixtures.join("recorded_state_v4.json"), stable(&state)).unwrap();
    }
}

fn drift_of_unchanged_is_absent(plan: &Value, address: &str) -> bool {
    plan["resource_drift"]
        .as_array()
        .is_some_and(|d| d.iter().all(|r| r["address"] != address))
}

/// Processes whose environment carries this workspace's `TF_DATA_DIR`: terraform passes its
/// environment to the provider, so this finds the provider a run started.
fn processes_of(ws: &Path) -> Vec<u32> {
    let needle = format!("TF_DATA_DIR={}", ws.join(".terraform").display());
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(environ) = std::fs::read(entry.path().join("environ"))
            && environ
                .split(|b| *b == 0)
                .any(|var| var == needle.as_bytes())
        {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn hang_hook_blocks_read_and_provider_exits_when_terraform_is_killed() {
    ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let cloud = tmp.path().join("cloud");
    write_workspace(
        &ws,
        &cloud,
        "eu-west-1",
        None,
        r#"resource "aws_s3_bucket" "b" { bucket = "hang-test" }"#,
    );
    terraform_ok(&ws, &["init", "-input=false", "-no-color"], &[]);
    terraform_ok(&ws, &["apply", "-auto-approve", "-no-color"], &[]);

    let mut cmd = std::process::Command::new("terraform");
    cmd.args(["plan", "-refresh-only", "-lock=false", "-no-color"])
        .current_dir(&ws)
        .env_remove("RUST_BACKTRACE")
        .env(HANG_ON_READ_ENV, "hang-test")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in terraform_env(&ws) {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        child.try_wait().unwrap().is_none(),
        "plan finished although read should hang"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    // The orphaned provider notices its parent is gone and exits.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_of(&ws).is_empty() {
        assert!(
            Instant::now() < deadline,
            "provider still running: {:?}",
            processes_of(&ws)
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Without the hook the same plan completes.
    let out = terraform(
        &ws,
        &["plan", "-refresh-only", "-lock=false", "-no-color"],
        &[],
    );
    assert!(out.status.success());
}

/// The checked-in capture stays readable by driftcost's own plan model.
#[test]
fn captured_fixture_parses_with_the_plan_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drift_refresh_plan_changed_deleted_sensitive.json");
    let plan = driftcost::plan::load_plan(&path).expect("fixture parses");
    let mut drifted: Vec<&str> = plan
        .resource_drift
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    drifted.sort();
    assert_eq!(
        drifted,
        [
            "aws_db_instance.orders",
            "aws_instance.web",
            "aws_s3_bucket.logs",
            "aws_security_group.web"
        ]
    );
}
