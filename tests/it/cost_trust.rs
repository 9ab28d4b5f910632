//! Cost output a CI gate can trust: sensitive values never shown, unpriced
//! components counted next to every total, `cost diff` as Infracost's diff,
//! usage files checked, arithmetic that cannot panic, a disk priced once.

use crate::support;

use support::cli::driftcost;

fn fixture(name: &str) -> String {
    support::cli::fixture(name).display().to_string()
}

fn cost(cmd: &str, plan: &str, format: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["cost", cmd, "--plan", plan, "--format", format];
    args.extend_from_slice(extra);
    driftcost(&args)
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn a_sensitive_instance_type_is_priced_but_never_shown() {
    let plan = fixture("plan_sensitive_instance_type.json");
    for cmd in ["breakdown", "diff"] {
        for format in ["table", "json", "markdown", "html"] {
            let (code, stdout, stderr) = cost(cmd, &plan, format, &[]);
            assert_eq!(code, 0, "{cmd} {format}: {stderr}");
            assert!(
                !stdout.contains("m5.xlarge") && !stderr.contains("m5.xlarge"),
                "{cmd} {format} shows the sensitive value:\n{stdout}"
            );
            assert!(stdout.contains("(sensitive)"), "{cmd} {format}:\n{stdout}");
            // Priced from the real value: m5.xlarge 0.192 × 730 = 140.16, root 8 GB gp2 0.80.
            let total = if format == "json" {
                "140.96"
            } else {
                "$140.96"
            };
            assert!(stdout.contains(total), "{cmd} {format}:\n{stdout}");
        }
    }
}

#[test]
fn unpriced_components_are_counted_next_to_the_totals_in_every_format() {
    let plan = fixture("cost_diff_update_create_destroy.json");
    let (code, stdout, _) = cost("breakdown", &plan, "json", &[]);
    assert_eq!(code, 0);
    let v = json(&stdout);
    // NAT data processed, S3 Standard's five lines (storage, two request
    // tiers, Select scanned and returned), Lambda requests, duration and
    // ephemeral storage (usage-based at the default size, as Infracost shows it).
    assert_eq!(v["unpricedComponents"], 9, "{stdout}");
    assert_eq!(v["projects"][0]["breakdown"]["unpricedComponents"], 9);
    // Before: the bucket's five lines.
    assert_eq!(v["pastUnpricedComponents"], 5);
    for format in ["table", "markdown", "html"] {
        let (_, stdout, _) = cost("breakdown", &plan, format, &[]);
        assert!(
            stdout.contains("not in the totals: 9 components after the plan and 5 components before it without a price"),
            "{format}:\n{stdout}"
        );
    }
}

#[test]
fn cost_diff_shows_only_changes_with_paired_components_and_totals() {
    let plan = fixture("cost_diff_update_create_destroy.json");
    let (code, diff, stderr) = cost("diff", &plan, "table", &[]);
    assert_eq!(code, 0, "{stderr}");
    let (_, breakdown, _) = cost("breakdown", &plan, "table", &[]);
    assert_ne!(diff, breakdown, "diff must not be the breakdown");
    let line = |starts: &str| {
        diff.lines()
            .find(|l| l.trim_start().starts_with(starts))
            .unwrap_or_else(|| panic!("no line {starts:?} in\n{diff}"))
            .to_string()
    };
    // Updated: before → after, and the instance line paired.
    let app = line("~ aws_instance.app (updated)");
    assert!(
        app.contains("$31.97") && app.contains("$141.76") && app.ends_with("+$109.79"),
        "{app}"
    );
    let usage = line("~ Instance usage (Linux/UNIX, on-demand, t3.medium → m5.xlarge)");
    assert!(
        usage.contains("$30.37") && usage.contains("$140.16") && usage.ends_with("+$109.79"),
        "{usage}"
    );
    // Created and destroyed; a destroyed resource's change is negative.
    assert!(line("+ aws_nat_gateway.new (created)").ends_with("+$32.85"));
    assert!(line("- aws_ebs_volume.old (destroyed)").ends_with("-$8.00"));
    // Unchanged resources and components are left out.
    assert!(!diff.contains("aws_s3_bucket.logs"), "{diff}");
    assert!(!diff.contains("root_block_device"), "{diff}");
    // 31.968 + 8 → 141.76 + 32.85
    assert!(line("Monthly cost before").ends_with("$39.97"));
    assert!(line("Monthly cost after").ends_with("$174.61"));
    assert!(line("Change").ends_with("+$134.64 (+336.9%)"), "{diff}");
    // JSON keeps the contract: the diff holds the changed resources, a destroyed one negative.
    let (_, stdout, _) = cost("diff", &plan, "json", &[]);
    let v = json(&stdout);
    let resources = v["projects"][0]["diff"]["resources"].as_array().unwrap();
    let old = resources
        .iter()
        .find(|r| r["name"] == "aws_ebs_volume.old")
        .unwrap();
    assert_eq!(old["monthlyCost"], "-8");
    assert_eq!(v["diffTotalMonthlyCost"], "134.642");
    // The HTML page is the diff too.
    let (_, html, _) = cost("diff", &plan, "html", &[]);
    assert!(html.contains("t3.medium → m5.xlarge") && !html.contains("aws_s3_bucket.logs"));
}

fn usage_file(body: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("usage.yml");
    std::fs::write(&p, body).unwrap();
    let s = p.display().to_string();
    (dir, s)
}

#[test]
fn usage_values_that_cannot_be_right_are_refused_with_the_key() {
    let plan = fixture("cost_diff_update_create_destroy.json");
    let (_d, neg) = usage_file(
        "version: 0.1\nresource_usage:\n  aws_nat_gateway.new:\n    monthly_data_processed_gb: -5\n",
    );
    let (code, stdout, stderr) = cost("breakdown", &plan, "table", &["--usage-file", &neg]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("resource_usage.aws_nat_gateway.new.monthly_data_processed_gb is -5; usage quantities cannot be negative"),
        "{stderr}"
    );
    // 1e15 requests × 1e15 ms panicked in rust_decimal.
    let (_d, big) = usage_file(
        "version: 0.1\nresource_usage:\n  aws_lambda_function.api:\n    monthly_requests: 1e15\n    request_duration_ms: 1e15\n",
    );
    let (code, stdout, stderr) = cost("breakdown", &plan, "json", &["--usage-file", &big]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(
            "aws_lambda_function.api: usage value too large: monthly_requests × request_duration_ms"
        ),
        "{stderr}"
    );
    let (_d, huge) = usage_file(
        "version: 0.1\nresource_type_default_usage:\n  aws_sqs_queue:\n    monthly_requests: 1e40\n",
    );
    let (code, _, stderr) = cost("breakdown", &plan, "json", &["--usage-file", &huge]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "resource_type_default_usage.aws_sqs_queue.monthly_requests: usage value too large"
        ),
        "{stderr}"
    );
}

#[test]
fn usage_keys_and_addresses_nothing_reads_are_warned_about() {
    let plan = fixture("cost_diff_update_create_destroy.json");
    let (_d, usage) = usage_file(
        "version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000\n    request_duration_ms: 100\nresource_usage:\n  aws_lambda_function.api[*]:\n    monthly_request: 5\n  aws_lambda_function.gone:\n    monthly_requests: 7\n  aws_nat_gateway.new:\n    monthly_data_processed_gb: 10\n",
    );
    let (code, stdout, stderr) = cost("breakdown", &plan, "json", &["--usage-file", &usage]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let expect = [
        "usage file: resource_usage.aws_lambda_function.api[*] matches no resource in the plan",
        "usage file: resource_usage.aws_lambda_function.api[*]: aws_lambda_function does not read usage key `monthly_request` (it reads monthly_requests, request_duration_ms)",
        "usage file: resource_usage.aws_lambda_function.gone matches no resource in the plan",
    ];
    for e in expect {
        assert!(
            warnings.iter().any(|w| w.starts_with(e)),
            "{e:?} not in {warnings:#?}"
        );
        assert!(stderr.contains(e), "{e:?} not on stderr: {stderr}");
    }
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    // The type default and the exact address were used: 10 GB × 0.045.
    let nat = v["projects"][0]["breakdown"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "aws_nat_gateway.new")
        .unwrap();
    let monthly: rust_decimal::Decimal = nat["monthlyCost"].as_str().unwrap().parse().unwrap();
    assert_eq!(monthly, rust_decimal_macros::dec!(33.3));
}

#[test]
fn negative_sizes_in_the_plan_are_refused_with_the_field() {
    let text = std::fs::read_to_string(fixture("cost_diff_update_create_destroy.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["resource_changes"][0]["change"]["after"]["root_block_device"][0]["volume_size"] =
        (-20).into();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("neg.json");
    std::fs::write(&p, v.to_string()).unwrap();
    let (code, stdout, stderr) = cost("breakdown", p.to_str().unwrap(), "table", &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("neg.json: aws_instance.app: change.after.root_block_device[0].volume_size is -20; a size or quantity cannot be negative"),
        "{stderr}"
    );
}

#[test]
fn a_volume_attached_with_aws_volume_attachment_is_priced_once() {
    let plan = fixture("plan_ebs_volume_attached_and_in_block_device.json");
    let (code, stdout, stderr) = cost("breakdown", &plan, "json", &[]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    // t3.micro 0.0104 × 730 = 7.592; root 8 GB gp3 0.64; the 100 GB gp3 volume 8.00 once.
    assert_eq!(v["totalMonthlyCost"], "16.232", "{stdout}");
    let web = &v["projects"][0]["breakdown"]["resources"][0];
    assert_eq!(web["name"], "aws_instance.web");
    assert!(
        web["metadata"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n
                .as_str()
                .unwrap()
                .contains("priced as aws_ebs_volume.data")),
        "{web:#}"
    );
}

#[test]
fn rds_extended_support_is_listed_as_not_priced_never_zero() {
    let plan = fixture("plan_rds_mysql57_extended_support.json");
    let (code, stdout, stderr) = cost("breakdown", &plan, "json", &[]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    let db = &v["projects"][0]["breakdown"]["resources"][0];
    let ext = db["costComponents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Extended support (MySQL 5.7)")
        .unwrap_or_else(|| panic!("{db:#}"));
    assert_eq!(ext["status"], "noPriceFound");
    assert_eq!(ext["monthlyCost"], serde_json::Value::Null);
    // db.m5.large: 2 vCPUs × 730 hours.
    assert_eq!(ext["monthlyQuantity"], "1460");
    assert!(v["unpricedComponents"].as_u64().unwrap() >= 1);
    let (_, table, _) = cost("breakdown", &plan, "table", &[]);
    let line = table
        .lines()
        .find(|l| l.contains("Extended support (MySQL 5.7)"))
        .unwrap();
    assert!(line.ends_with("no price"), "{line}");
    assert!(
        table.contains("no price found for aws AmazonRDS \"Extended Support\" in us-east-1"),
        "{table}"
    );
}
