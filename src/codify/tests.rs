use super::*;
use crate::drift::{DriftMode, IgnoreRules, detect};
use crate::plan::parse_plan;
use serde_json::{Value, json};

/// One drifted instance: address, before, after, after_sensitive.
struct Drifted {
    address: &'static str,
    module: Option<&'static str>,
    index: Option<Value>,
    before: Value,
    after: Value,
    sensitive: Value,
}

fn drifted(address: &'static str, before: Value, after: Value) -> Drifted {
    Drifted {
        address,
        module: None,
        index: None,
        before,
        after,
        sensitive: json!({}),
    }
}

/// A refresh-only plan: `drift` in resource_drift, `drift` plus `quiet`
/// (address, values) in the refreshed state.
fn plan(drift: &[Drifted], quiet: &[(&str, Value)]) -> Plan {
    let type_name = |address: &str| {
        let base = strip_index(address);
        let parts: Vec<&str> = base.rsplitn(3, '.').collect();
        (parts[1].to_string(), parts[0].to_string())
    };
    let resource_drift: Vec<Value> = drift
        .iter()
        .map(|d| {
            let (ty, name) = type_name(d.address);
            let mut rc = json!({
                "address": d.address, "mode": "managed", "type": ty, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": [if d.after.is_null() { "delete" } else { "update" }], "before": d.before, "after": d.after,
                           "after_unknown": {}, "before_sensitive": d.sensitive,
                           "after_sensitive": d.sensitive}
            });
            if let Some(m) = d.module {
                rc["module_address"] = m.into();
            }
            if let Some(i) = &d.index {
                rc["index"] = i.clone();
            }
            rc
        })
        .collect();
    let mut resources: Vec<Value> = drift
        .iter()
        .map(|d| (d.address, d.after.clone()))
        .chain(quiet.iter().map(|(a, v)| (*a, v.clone())))
        .map(|(address, values)| {
            let (ty, name) = type_name(address);
            json!({"address": address, "mode": "managed", "type": ty, "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/aws",
                   "schema_version": 0, "values": values, "sensitive_values": {}})
        })
        .collect();
    resources.sort_by(|a, b| a["address"].as_str().cmp(&b["address"].as_str()));
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {}},
        "resource_drift": resource_drift,
        "resource_changes": [],
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}
    });
    parse_plan(&serde_json::to_vec(&doc).unwrap(), Path::new("plan.json")).unwrap()
}

fn run(files: &[(&str, &str)], plan: &Plan) -> Codified {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let result = detect(plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).unwrap();
    codify(dir.path(), plan, &result.items).unwrap()
}

const MAIN: &str = r#"# Web tier.
resource "aws_instance" "web" {
  ami           = "ami-123"   # pinned
  instance_type = "t3.micro" // resize with care
  monitoring    = false

  tags = {
    Name  = "web"
    owner = "alice"
  }

  root_block_device {
    volume_size = 8 # GiB
    volume_type = "gp2"
  }
}

variable "size" {
  default = "t3.small"
}

resource "aws_instance" "api" {
  ami           = "ami-123"
  instance_type = var.size
}
"#;

fn web(instance_type: &str, size: u64, owner: &str) -> Value {
    json!({"ami": "ami-123", "instance_type": instance_type, "monitoring": false,
           "id": "i-1", "tags": {"Name": "web", "owner": owner},
           "tags_all": {"Name": "web", "owner": owner},
           "root_block_device": [{"volume_size": size, "volume_type": "gp2"}]})
}

#[test]
fn literal_replaced_and_everything_else_kept_byte_for_byte() {
    let p = plan(
        &[drifted(
            "aws_instance.web",
            web("t3.micro", 8, "alice"),
            web("m5.large", 8, "alice"),
        )],
        &[],
    );
    let out = run(&[("main.tf", MAIN)], &p);
    assert_eq!(out.files.len(), 1, "{out:?}");
    let f = &out.files[0];
    assert_eq!(f.path, PathBuf::from("main.tf"));
    assert_eq!(
        f.updated,
        MAIN.replacen(
            "instance_type = \"t3.micro\" //",
            "instance_type = \"m5.large\" //",
            1
        )
    );
    assert!(
        f.diff.contains("-  instance_type = \"t3.micro\" // resize with care\n+  instance_type = \"m5.large\" // resize with care\n"),
        "{}",
        f.diff
    );
    assert!(
        f.diff.starts_with("--- a/main.tf\n+++ b/main.tf\n"),
        "{}",
        f.diff
    );
    assert_eq!(out.changes.len(), 1);
    let c = &out.changes[0];
    assert_eq!(c.addresses, vec!["aws_instance.web".to_string()]);
    assert_eq!(
        (c.attribute.as_str(), c.line, c.old.as_str(), c.new.as_str()),
        ("instance_type", 4, "\"t3.micro\"", "\"m5.large\"")
    );
    assert!(out.not_codified.is_empty(), "{:?}", out.not_codified);
}

#[test]
fn nested_block_and_map_key_and_computed_tags_all() {
    let mut after = web("t3.micro", 20, "bob");
    after["tags_all"]["env"] = "prod".into();
    let p = plan(
        &[drifted(
            "aws_instance.web",
            web("t3.micro", 8, "alice"),
            after,
        )],
        &[],
    );
    let out = run(&[("main.tf", MAIN)], &p);
    let f = &out.files[0];
    assert_eq!(
        f.updated,
        MAIN.replace("volume_size = 8 # GiB", "volume_size = 20 # GiB")
            .replace("owner = \"alice\"", "owner = \"bob\"")
    );
    let attrs: Vec<&str> = out.changes.iter().map(|c| c.attribute.as_str()).collect();
    assert_eq!(
        attrs,
        vec!["tags.owner", "root_block_device[0].volume_size"]
    );
    assert_eq!(
        out.not_codified,
        vec![NotCodified {
            address: "aws_instance.web".into(),
            attribute: Some("tags_all.env".into()),
            reason: "computed by the provider, not set in the configuration".into(),
        }]
    );
}

#[test]
fn variable_is_not_codified_and_says_which() {
    let api = |t: &str| json!({"ami": "ami-123", "instance_type": t, "id": "i-2"});
    let p = plan(
        &[drifted(
            "aws_instance.api",
            api("t3.small"),
            api("m5.xlarge"),
        )],
        &[],
    );
    let out = run(&[("main.tf", MAIN)], &p);
    assert!(out.files.is_empty());
    assert_eq!(out.not_codified.len(), 1);
    let n = &out.not_codified[0];
    assert_eq!(n.attribute.as_deref(), Some("instance_type"));
    assert!(n.reason.contains("`var.size`"), "{}", n.reason);
}

#[test]
fn sensitive_is_not_codified_and_its_value_is_nowhere() {
    const OLD: &str = "literal-old-Secret-123";
    const NEW: &str = "rotated-NEW-Secret-456";
    let tf = format!(
        "resource \"aws_db_instance\" \"db\" {{\n  instance_class = \"db.t3.micro\"\n  password       = \"{OLD}\"\n}}\n"
    );
    let db = |class: &str, pw: &str| json!({"instance_class": class, "password": pw, "id": "db-1"});
    let mut d = drifted(
        "aws_db_instance.db",
        db("db.t3.micro", OLD),
        db("db.m5.large", NEW),
    );
    d.sensitive = json!({"password": true});
    let out = run(&[("main.tf", &tf)], &plan(&[d], &[]));
    assert_eq!(out.changes.len(), 1);
    assert_eq!(out.changes[0].attribute, "instance_class");
    assert_eq!(out.not_codified.len(), 1);
    assert_eq!(out.not_codified[0].attribute.as_deref(), Some("password"));
    assert!(out.not_codified[0].reason.starts_with("sensitive"));
    let everything = format!("{out:?}{}", serde_json::to_string(&out).unwrap());
    assert!(!everything.contains(NEW));
    // The old literal is the user's own code, kept in the file as it was, but
    // shown nowhere: the diff's context line masks it.
    assert!(out.files[0].updated.contains(OLD));
    let diff = &out.files[0].diff;
    assert!(!diff.contains(OLD), "{diff}");
    assert!(diff.contains(" password       = \"(sensitive)\""), "{diff}");
    let shown = format!("{:?}{:?}", out.changes, out.not_codified);
    assert!(!shown.contains(OLD));
}

#[test]
fn missing_resource_and_deleted_resource() {
    let s3 = |b: &str| json!({"bucket": b, "id": b});
    let mut gone = drifted("aws_s3_bucket.gone", s3("x"), Value::Null);
    gone.after = Value::Null;
    let p = plan(
        &[drifted("aws_s3_bucket.logs", s3("a"), s3("b")), gone],
        &[],
    );
    let out = run(&[("main.tf", MAIN)], &p);
    assert!(out.files.is_empty());
    let reasons: Vec<(&str, &str)> = out
        .not_codified
        .iter()
        .map(|n| (n.address.as_str(), n.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|(a, r)| *a == "aws_s3_bucket.logs"
        && r.contains("no `resource \"aws_s3_bucket\" \"logs\"` block")));
    assert!(
        reasons
            .iter()
            .any(|(a, r)| *a == "aws_s3_bucket.gone" && r.starts_with("deleted outside terraform"))
    );
}

const COUNTED: &str = r#"resource "aws_instance" "pool" {
  count         = 2
  ami           = "ami-123"
  instance_type = "t3.micro"
}
"#;

fn pool(t: &str, i: u64) -> Value {
    json!({"ami": "ami-123", "instance_type": t, "id": format!("i-{i}")})
}

#[test]
fn count_instance_only_when_every_instance_agrees() {
    let mut one = drifted(
        "aws_instance.pool[0]",
        pool("t3.micro", 0),
        pool("m5.large", 0),
    );
    one.index = Some(json!(0));
    let p = plan(&[one], &[("aws_instance.pool[1]", pool("t3.micro", 1))]);
    let out = run(&[("main.tf", COUNTED)], &p);
    assert!(out.files.is_empty());
    let reason = &out.not_codified[0].reason;
    assert!(
        reason.contains("shared by 2 instances") && reason.contains("aws_instance.pool[1]"),
        "{reason}"
    );

    let mut a = drifted(
        "aws_instance.pool[0]",
        pool("t3.micro", 0),
        pool("m5.large", 0),
    );
    a.index = Some(json!(0));
    let mut b = drifted(
        "aws_instance.pool[1]",
        pool("t3.micro", 1),
        pool("m5.large", 1),
    );
    b.index = Some(json!(1));
    let out = run(&[("main.tf", COUNTED)], &plan(&[a, b], &[]));
    assert_eq!(
        out.files[0].updated,
        COUNTED.replace("\"t3.micro\"", "\"m5.large\"")
    );
    assert_eq!(out.changes.len(), 1);
    assert_eq!(
        out.changes[0].addresses,
        vec!["aws_instance.pool[0]", "aws_instance.pool[1]"]
    );
}

#[test]
fn local_module_is_edited_remote_module_is_not() {
    let root = r#"module "app" {
  source = "./modules/app"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
"#;
    let app = "resource \"aws_instance\" \"this\" {\n  instance_type = \"t3.micro\"\n}\n";
    let mut inner = drifted(
        "module.app.aws_instance.this",
        json!({"instance_type": "t3.micro"}),
        json!({"instance_type": "t3.large"}),
    );
    inner.module = Some("module.app");
    let mut remote = drifted(
        "module.vpc.aws_vpc.this",
        json!({"cidr_block": "10.0.0.0/16"}),
        json!({"cidr_block": "10.1.0.0/16"}),
    );
    remote.module = Some("module.vpc");
    let out = run(
        &[("main.tf", root), ("modules/app/main.tf", app)],
        &plan(&[inner, remote], &[]),
    );
    assert_eq!(out.files.len(), 1);
    assert_eq!(out.files[0].path, PathBuf::from("modules/app/main.tf"));
    assert!(out.files[0].updated.contains("\"t3.large\""));
    assert_eq!(out.not_codified.len(), 1);
    assert!(
        out.not_codified[0]
            .reason
            .contains("terraform-aws-modules/vpc/aws"),
        "{:?}",
        out.not_codified
    );
}

#[test]
fn an_added_key_rewrites_the_literal_map_keeping_its_layout() {
    let tf = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags = {\n    Name = \"b\"\n  }\n}\n";
    let p = plan(
        &[drifted(
            "aws_s3_bucket.b",
            json!({"bucket": "b", "tags": {"Name": "b"}}),
            json!({"bucket": "b", "tags": {"Name": "b", "cost-center": "42"}}),
        )],
        &[],
    );
    let out = run(&[("main.tf", tf)], &p);
    assert_eq!(
        out.files[0].updated,
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags = {\n    Name        = \"b\"\n    cost-center = \"42\"\n  }\n}\n"
    );
    assert_eq!(out.changes[0].attribute, "tags");
}

#[test]
fn module_addresses_split_into_calls() {
    assert_eq!(
        module_calls("module.a.module.b"),
        vec![Some("a".to_string()), Some("b".to_string())]
    );
    assert_eq!(
        module_calls("module.a[\"x.]\"].module.b"),
        vec![None, Some("b".to_string())]
    );
}

#[test]
fn invalid_hcl_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.tf"),
        "resource \"a\" \"b\" {\n  x = \n}\n",
    )
    .unwrap();
    let p = plan(&[], &[]);
    let err = codify(dir.path(), &p, &[]).err().unwrap().to_string();
    assert!(err.contains("bad.tf:"), "{err}");
}

#[test]
fn repeated_blocks_are_matched_by_their_values_not_their_order() {
    // Terraform orders set blocks by hash: ingress[0] is the second block here.
    let tf = r#"resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;
    let sg = |first: &str| {
        json!({"ingress": [
            {"from_port": 443, "cidr_blocks": [first]},
            {"from_port": 22, "cidr_blocks": ["10.0.0.0/8"]}
        ]})
    };
    let p = plan(
        &[drifted(
            "aws_security_group.sg",
            sg("0.0.0.0/0"),
            sg("192.168.0.0/16"),
        )],
        &[],
    );
    let out = run(&[("main.tf", tf)], &p);
    assert_eq!(
        out.files[0].updated,
        tf.replace("[\"0.0.0.0/0\"]", "[\"192.168.0.0/16\"]"),
        "{out:?}"
    );
    assert_eq!(out.changes[0].attribute, "ingress[0].cidr_blocks[0]");

    // Two blocks alike: we cannot tell which one drifted.
    let twins = tf
        .replace("from_port   = 22", "from_port   = 443")
        .replace("10.0.0.0/8", "0.0.0.0/0");
    let both = |first: &str| {
        json!({"ingress": [
            {"from_port": 443, "cidr_blocks": [first]},
            {"from_port": 443, "cidr_blocks": ["0.0.0.0/0"]}
        ]})
    };
    let p = plan(
        &[drifted(
            "aws_security_group.sg",
            both("0.0.0.0/0"),
            both("1.1.1.1/32"),
        )],
        &[],
    );
    let out = run(&[("main.tf", &twins)], &p);
    assert!(out.files.is_empty());
    assert!(
        out.not_codified[0]
            .reason
            .contains("2 `ingress` blocks could be ingress[0]"),
        "{:?}",
        out.not_codified
    );
}

#[test]
fn for_each_instances_share_the_literal() {
    let tf = "resource \"aws_instance\" \"by_env\" {\n  for_each      = toset([\"a\", \"b\"])\n  instance_type = \"t3.micro\"\n}\n";
    let inst = |t: &str| json!({"instance_type": t});
    let mut a = drifted(
        "aws_instance.by_env[\"a\"]",
        inst("t3.micro"),
        inst("t3.large"),
    );
    a.index = Some(json!("a"));
    let p = plan(&[a], &[("aws_instance.by_env[\"b\"]", inst("t3.micro"))]);
    let out = run(&[("main.tf", tf)], &p);
    assert!(out.files.is_empty());
    assert!(
        out.not_codified[0]
            .reason
            .contains("aws_instance.by_env[\"b\"]"),
        "{:?}",
        out.not_codified
    );
}

/// The literal is found by the steps the change carries, never by reading
/// its display string back: a path shown in any notation edits the same literal.
#[test]
fn steps_carried_by_the_change_locate_the_literal() {
    let p = plan(
        &[drifted(
            "aws_instance.web",
            web("t3.micro", 8, "alice"),
            web("t3.micro", 20, "alice"),
        )],
        &[],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN).unwrap();
    let mut items = detect(&p, None, DriftMode::RefreshOnly, &IgnoreRules::default())
        .unwrap()
        .items;
    let change = &mut items[0].changes[0];
    assert_eq!(crate::drift::display_path(&change.steps), change.path);
    change.path = "root block device #1 → volume size".into();
    let out = codify(dir.path(), &p, &items).unwrap();
    assert_eq!(
        out.files[0].updated,
        MAIN.replace("volume_size = 8 # GiB", "volume_size = 20 # GiB")
    );
    assert_eq!(out.changes[0].attribute, "root_block_device[0].volume_size");
}

/// Items read back from a drift report carry no steps (the JSON contract has
/// the display path only); codify says so instead of guessing.
#[test]
fn items_read_back_from_json_say_they_cannot_be_codified() {
    let p = plan(
        &[drifted(
            "aws_instance.web",
            web("t3.micro", 8, "alice"),
            web("t3.micro", 20, "alice"),
        )],
        &[],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN).unwrap();
    let items = detect(&p, None, DriftMode::RefreshOnly, &IgnoreRules::default())
        .unwrap()
        .items;
    let json = serde_json::to_value(&items).unwrap();
    assert!(json[0]["changes"][0].get("steps").is_none(), "{json}");
    let read_back: Vec<DriftItem> = serde_json::from_value(json).unwrap();
    let out = codify(dir.path(), &p, &read_back).unwrap();
    assert!(out.files.is_empty());
    assert_eq!(
        out.not_codified,
        vec![NotCodified {
            address: "aws_instance.web".into(),
            attribute: Some("root_block_device[0].volume_size".into()),
            reason: NO_STEPS.into(),
        }]
    );
}
