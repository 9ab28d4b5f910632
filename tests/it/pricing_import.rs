//! `driftcost pricing import` end to end: the real binary converts an AWS
//! Price List CSV offer file, and `cost breakdown --pricing-dir` prices a plan
//! with what it wrote.

use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn driftcost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .env_remove("DRIFTCOST_PRICING_DIR")
        .output()
        .expect("driftcost runs")
}

fn decimal(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn imported_prices_are_used_by_cost_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("prices");
    let offer = fixture("aws_price_list_ec2_nat_gateway.csv");
    let import = driftcost(&[
        "pricing",
        "import",
        "--aws-csv",
        offer.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--regions",
        "us-east-1,us-east-2",
    ]);
    let stdout = String::from_utf8_lossy(&import.stdout);
    assert!(
        import.status.success(),
        "import failed: {stdout}\n{}",
        String::from_utf8_lossy(&import.stderr)
    );
    // One summary line for the file, naming what was read and kept.
    let summary = stdout.lines().next().unwrap();
    // How many rows are kept depends on which families driftcost prices
    // (src/pricing/families.rs grows); the reading and the reasons do not.
    assert!(
        summary.contains("AmazonEC2 version 20250912225308: 8 rows read, "),
        "{summary}"
    );
    assert!(summary.contains("skipped: 2 not on-demand"), "{summary}");
    assert!(summary.contains("1 other region"), "{summary}");

    let table = std::fs::read_to_string(out_dir.join("aws/AmazonEC2.csv")).unwrap();
    assert!(
        table.contains(
            "aws,AmazonEC2,NAT Gateway,us-east-2,usagetype=NatGateway-Hours,on_demand,Hrs,0,,0.045,2025-09-01,"
        ),
        "{table}"
    );

    let plan = fixture("plan_nat_gateway_us_east_2.json");
    let cost = driftcost(&[
        "cost",
        "breakdown",
        "--pricing-dir",
        out_dir.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        cost.status.success(),
        "{}",
        String::from_utf8_lossy(&cost.stderr)
    );
    let report: Value = serde_json::from_slice(&cost.stdout).unwrap();
    let resource = &report["projects"][0]["breakdown"]["resources"][0];
    assert_eq!(resource["name"], "aws_nat_gateway.main");
    let hours = resource["costComponents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "NAT gateway")
        .expect("NAT gateway component");
    assert_eq!(hours["status"], "priced");
    assert_eq!(
        decimal(&hours["price"]),
        Decimal::from_str("0.045").unwrap()
    );
    // 0.045 USD/hour × 730 hours = 32.85 USD/month.
    assert_eq!(
        decimal(&hours["monthlyCost"]),
        Decimal::from_str("32.85").unwrap()
    );
    assert_eq!(
        decimal(&report["totalMonthlyCost"]),
        Decimal::from_str("32.85").unwrap()
    );
}

#[test]
fn a_json_offer_file_is_refused_with_what_to_download() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("index.json");
    std::fs::write(
        &json,
        "{\n  \"formatVersion\" : \"v1.0\",\n  \"offerCode\" : \"AmazonEC2\",\n  \"products\" : {}\n}\n",
    )
    .unwrap();
    let out = driftcost(&[
        "pricing",
        "import",
        "--aws-csv",
        json.to_str().unwrap(),
        "--out",
        dir.path().join("prices").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("is an AWS Price List JSON offer file: download the CSV offer file instead"),
        "{stderr}"
    );
    assert!(!dir.path().join("prices").exists());
}
