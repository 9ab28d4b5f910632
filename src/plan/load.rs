//! Reading a plan file, with errors that say what the file is and what to pass instead.

use super::Plan;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Why a plan file could not be used. Each message names the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read plan file {}: {source}; pass the JSON written by `terraform show -json <planfile>`", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is a binary terraform plan, not JSON: convert it with `terraform show -json {} > plan.json` and pass plan.json", path.display(), path.display())]
    BinaryPlan { path: PathBuf },
    #[error("{} is empty: write it with `terraform show -json <planfile> > {}`", path.display(), path.display())]
    Empty { path: PathBuf },
    #[error("{} is not JSON (line {line}, column {column}: {message}); pass the output of `terraform show -json <planfile>`", path.display())]
    NotJson {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} ends early at line {line}, column {column}: the file is truncated; write it again with `terraform show -json <planfile>`", path.display())]
    Truncated {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{} is a terraform state file (state version {version}), not a plan: run `terraform plan -out=plan.out` and pass the output of `terraform show -json plan.out`", path.display())]
    StateFile { path: PathBuf, version: String },
    #[error("{} holds state values, not a plan (`terraform show -json` was run without a plan file): pass `terraform show -json <planfile>`", path.display())]
    StateJson { path: PathBuf },
    #[error("{} has plan format_version \"{found}\", but driftcost reads formats 0.1, 0.2 (terraform 0.12–1.0) and 1.x (terraform 1.1 and later, OpenTofu): write it with one of those or upgrade driftcost", path.display())]
    UnsupportedFormat { path: PathBuf, found: String },
    #[error("{} is {what}, not a plan: pass the output of `terraform show -json <planfile>`", path.display())]
    NotAPlan { path: PathBuf, what: String },
    #[error("{} is UTF-16 text that cannot be decoded ({message}); write it as UTF-8: `terraform show -json plan.out | Out-File -Encoding utf8 plan.json` in PowerShell", path.display())]
    BadUtf16 { path: PathBuf, message: String },
    #[error("{} is a failed plan (\"errored\": true): {reason}; fix the error `terraform plan` reports and plan again", path.display())]
    Errored { path: PathBuf, reason: String },
    #[error("{} is an incomplete plan (\"complete\": false): {reason}; a refresh-only plan must be complete before its drift can be trusted, plan again once the deferred changes can be planned", path.display())]
    Incomplete { path: PathBuf, reason: String },
    #[error("{}: {field} is {found}, not an object; the file was edited or is not from `terraform show -json`", path.display())]
    NotAnObject {
        path: PathBuf,
        field: String,
        found: &'static str,
    },
    #[error("{} line {line}, column {column}: a change's `actions` holds an {message}; write the file with `terraform show -json` (terraform up to 1.11, OpenTofu) or upgrade driftcost", path.display())]
    UnknownAction {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} is not a terraform plan: {message} (line {line}, column {column}); pass the output of `terraform show -json <planfile>`", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Reads and parses a plan file.
pub fn load_plan(path: &Path) -> Result<Plan, PlanError> {
    let bytes = std::fs::read(path).map_err(|source| PlanError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_plan(&bytes, path)
}

/// Parses plan JSON already in memory; `path` only labels errors.
///
/// A UTF-8 byte order mark is skipped and UTF-16 (what PowerShell's `>`
/// writes) is decoded. A plan terraform marked `"errored": true` is refused
/// with terraform's reason; an incomplete one is accepted here (a normal
/// plan with deferred changes can still be priced) and refused by
/// [`Plan::ensure_complete`] where drift is read from it.
pub fn parse_plan(bytes: &[u8], path: &Path) -> Result<Plan, PlanError> {
    let path_buf = || path.to_path_buf();
    let decoded;
    let bytes = match decode_text(bytes, path)? {
        Some(text) => {
            decoded = text;
            decoded.as_bytes()
        }
        None => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
    };
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(PlanError::BinaryPlan { path: path_buf() });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty { path: path_buf() });
    }
    let plan: Plan = match serde_json::from_slice(bytes) {
        Ok(plan) => plan,
        Err(e) => return Err(diagnose(bytes, path, e)),
    };
    check_format(&plan.format_version, path)?;
    if plan.resource_changes.is_empty()
        && plan.resource_drift.is_empty()
        && plan.planned_values.is_none()
        && plan.configuration.is_none()
        && plan.prior_state_raw.is_none()
    {
        return Err(what_it_is(bytes, path));
    }
    if plan.errored == Some(true) {
        return Err(PlanError::Errored {
            path: path_buf(),
            reason: errored_reason(&plan),
        });
    }
    check_values(&plan, path)?;
    Ok(plan)
}

impl Plan {
    /// Refuses a plan terraform could not finish (`"complete": false`, written
    /// by terraform 1.8+ when changes were deferred): drift read from it could
    /// say "no drift" about resources terraform never looked at. Plans without
    /// the field (older terraform) are complete.
    pub fn ensure_complete(&self, path: &Path) -> Result<(), PlanError> {
        if self.complete != Some(false) {
            return Ok(());
        }
        let mut reasons: Vec<String> = self
            .deferred_changes
            .iter()
            .map(|d| {
                let address = d
                    .resource_change
                    .as_ref()
                    .map(|r| r.address.as_str())
                    .unwrap_or("?");
                format!("{address} deferred ({})", d.reason)
            })
            .collect();
        if reasons.is_empty() {
            reasons.push("terraform did not say which changes were deferred".into());
        }
        Err(PlanError::Incomplete {
            path: path.to_path_buf(),
            reason: reasons.join(", "),
        })
    }
}

/// Terraform's reason for an errored plan: the problems of failed checks, when
/// the plan records them (the error itself is only in `terraform plan`'s output).
fn errored_reason(plan: &Plan) -> String {
    let mut problems = Vec::new();
    if let Some(Value::Array(checks)) = &plan.checks {
        for check in checks {
            for instance in check
                .get("instances")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let address = instance
                    .pointer("/address/to_display")
                    .or_else(|| check.pointer("/address/to_display"))
                    .and_then(Value::as_str)
                    .unwrap_or("a check");
                for p in instance
                    .get("problems")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(m) = p.get("message").and_then(Value::as_str) {
                        problems.push(format!("{address}: {m}"));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        "terraform stopped planning on an error, and the plan JSON does not carry the message (see the output of `terraform plan`)".into()
    } else {
        problems.join("; ")
    }
}

/// `before`/`after` must be objects (or null) in every change: anything else
/// is a hand-edited or foreign file, and pricing it would guess.
fn check_values(plan: &Plan, path: &Path) -> Result<(), PlanError> {
    let lists = [
        ("resource_changes", &plan.resource_changes),
        ("resource_drift", &plan.resource_drift),
    ];
    for (list, changes) in lists {
        for (i, rc) in changes.iter().enumerate() {
            for (side, value) in [("before", &rc.change.before), ("after", &rc.change.after)] {
                let found = match value {
                    None | Some(Value::Null) | Some(Value::Object(_)) => continue,
                    Some(Value::Array(_)) => "a list",
                    Some(Value::String(_)) => "a string",
                    Some(Value::Number(_)) => "a number",
                    Some(Value::Bool(_)) => "a boolean",
                };
                return Err(PlanError::NotAnObject {
                    path: path.to_path_buf(),
                    field: format!("{list}[{i}] ({}) change.{side}", rc.address),
                    found,
                });
            }
        }
    }
    Ok(())
}

/// UTF-16 text (with a byte order mark, or ASCII JSON with every other byte
/// zero, as PowerShell writes it) decoded to a `String`; `None` when the
/// bytes are not UTF-16.
fn decode_text(bytes: &[u8], path: &Path) -> Result<Option<String>, PlanError> {
    let little = if bytes.starts_with(b"\xFF\xFE") {
        Some((true, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((false, 2))
    } else if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        Some((true, 0))
    } else if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        Some((false, 0))
    } else {
        None
    };
    let Some((little, skip)) = little else {
        return Ok(None);
    };
    let body = &bytes[skip..];
    if !body.len().is_multiple_of(2) {
        return Err(PlanError::BadUtf16 {
            path: path.to_path_buf(),
            message: "odd number of bytes: the file is truncated".into(),
        });
    }
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16(&units)
        .map(|s| Some(s.trim_start_matches('\u{feff}').to_string()))
        .map_err(|e| PlanError::BadUtf16 {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// A JSON object that parsed as a plan but holds none of a plan's parts:
/// say what it is instead.
fn what_it_is(bytes: &[u8], path: &Path) -> PlanError {
    let map = serde_json::from_slice::<serde_json::Map<String, Value>>(bytes).unwrap_or_default();
    let what = if map.contains_key("provider_schemas") {
        "provider schemas (`terraform providers schema -json`)".to_string()
    } else if map.contains_key("values") {
        return PlanError::StateJson {
            path: path.to_path_buf(),
        };
    } else if map.contains_key("valid") && map.contains_key("diagnostics") {
        "the output of `terraform validate -json`".to_string()
    } else {
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        format!(
            "JSON with only {} (no resource_changes, planned_values, prior_state or configuration): `terraform show -json` without a plan file writes this for an empty state",
            keys.join(", ")
        )
    };
    PlanError::NotAPlan {
        path: path.to_path_buf(),
        what,
    }
}

fn check_format(version: &str, path: &Path) -> Result<(), PlanError> {
    let mut parts = version.split('.');
    let supported = match (parts.next(), parts.next()) {
        (Some("1"), Some(minor)) => minor.parse::<u32>().is_ok(),
        (Some("0"), Some("1" | "2")) => true,
        _ => false,
    };
    if supported && parts.next().is_none() {
        Ok(())
    } else {
        Err(PlanError::UnsupportedFormat {
            path: path.to_path_buf(),
            found: version.to_string(),
        })
    }
}

/// Top-level keys we look at to tell a state file from a plan.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    format_version: Option<Value>,
    #[serde(default)]
    version: Option<Value>,
    #[serde(default)]
    lineage: Option<IgnoredAny>,
    #[serde(default)]
    values: Option<IgnoredAny>,
    #[serde(default)]
    serial: Option<IgnoredAny>,
    #[serde(default)]
    modules: Option<IgnoredAny>,
    #[serde(default)]
    provider_schemas: Option<IgnoredAny>,
}

fn diagnose(bytes: &[u8], path: &Path, err: serde_json::Error) -> PlanError {
    use serde_json::error::Category;
    let path_buf = path.to_path_buf();
    match err.classify() {
        Category::Eof => {
            return PlanError::Truncated {
                path: path_buf,
                line: err.line(),
                column: err.column(),
            };
        }
        Category::Syntax | Category::Io => {
            return PlanError::NotJson {
                path: path_buf,
                line: err.line(),
                column: err.column(),
                message: strip_position(&err.to_string()),
            };
        }
        Category::Data => {}
    }
    let message = strip_position(&err.to_string());
    if message.starts_with("unknown variant") {
        return PlanError::UnknownAction {
            path: path_buf,
            line: err.line(),
            column: err.column(),
            message,
        };
    }
    if let Ok(probe) = serde_json::from_slice::<Probe>(bytes) {
        if probe.format_version.is_none()
            && (probe.lineage.is_some()
                || (probe.version.as_ref().is_some_and(Value::is_u64)
                    && (probe.serial.is_some() || probe.modules.is_some())))
        {
            return PlanError::StateFile {
                path: path_buf,
                version: probe
                    .version
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "?".into()),
            };
        }
        if let Some(Value::String(v)) = &probe.format_version
            && let Err(e) = check_format(v, path)
        {
            return e;
        }
        if probe.format_version.is_some() && probe.values.is_some() {
            return PlanError::StateJson { path: path_buf };
        }
        if probe.provider_schemas.is_some() {
            return PlanError::NotAPlan {
                path: path_buf,
                what: "provider schemas (`terraform providers schema -json`)".into(),
            };
        }
        if probe.format_version.is_none() {
            return PlanError::NotAPlan {
                path: path_buf,
                what: "JSON without a plan's format_version".into(),
            };
        }
    }
    PlanError::Invalid {
        path: path_buf,
        line: err.line(),
        column: err.column(),
        message,
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(pos) => msg[..pos].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        parse_plan(json.as_bytes(), Path::new("p.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn names_each_kind_of_bad_input() {
        assert!(err("").contains("p.json is empty"));
        assert!(err("not json").contains("p.json is not JSON (line 1"));
        assert!(err(r#"{"format_version": "1.2", "resource_changes": ["#).contains("truncated"));
        assert!(
            err(r#"{"version": 4, "serial": 3, "lineage": "x", "resources": []}"#)
                .contains("state file (state version 4)")
        );
        assert!(
            err(r#"{"format_version": "1.0", "values": {"root_module": {}}}"#)
                .contains("holds state values")
        );
        assert!(
            err(r#"{"format_version": "2.0", "resource_changes": []}"#)
                .contains("format_version \"2.0\"")
        );
        assert!(
            err(r#"{"format_version": "1.2", "resource_changes": 7}"#)
                .contains("is not a terraform plan")
        );
        assert!(err("PK\u{3}\u{4}rest").contains("binary terraform plan"));
    }

    fn ok(bytes: &[u8]) -> Plan {
        parse_plan(bytes, Path::new("p.json")).unwrap()
    }

    const MINIMAL: &str = r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_instance.a", "type": "aws_instance", "name": "a", "change": {"actions": ["create"], "before": null, "after": {"instance_type": "t3.micro"}}}]}"#;

    #[test]
    fn byte_order_mark_and_utf16_are_read() {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(MINIMAL.as_bytes());
        assert_eq!(ok(&bom).resource_changes.len(), 1);
        // PowerShell `>`: UTF-16 LE with a byte order mark.
        let mut le = vec![0xFF, 0xFE];
        le.extend(MINIMAL.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(ok(&le).resource_changes[0].address, "aws_instance.a");
        // Big endian, no byte order mark.
        let be: Vec<u8> = MINIMAL.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(ok(&be).resource_changes.len(), 1);
        let mut broken = vec![0xFF, 0xFE];
        broken.extend([0x00, 0xD8, 0x41, 0x00]);
        let e = parse_plan(&broken, Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.json is UTF-16") && e.contains("Out-File -Encoding utf8"),
            "{e}"
        );
    }

    #[test]
    fn terraform_0_12_to_1_0_formats_are_read_and_errors_name_what_is_read() {
        for v in ["0.1", "0.2", "1.0", "1.2", "1.10"] {
            ok(MINIMAL.replace("1.2", v).as_bytes());
        }
        for v in ["0.3", "2.0", "1", "1.x"] {
            let e = err(&MINIMAL.replace("\"1.2\"", &format!("\"{v}\"")));
            assert!(e.contains(&format!("format_version \"{v}\"")), "{e}");
            assert!(e.contains("0.1, 0.2") && e.contains("1.x"), "{e}");
        }
    }

    #[test]
    fn files_that_are_not_plans_say_what_they_are() {
        let e = err(
            r#"{"format_version": "1.0", "provider_schemas": {"registry.terraform.io/hashicorp/aws": {}}}"#,
        );
        assert!(e.contains("is provider schemas"), "{e}");
        let e = err(r#"{"format_version":"1.0"}"#);
        assert!(e.contains("p.json is JSON with only format_version"), "{e}");
        assert!(e.contains("not a plan"), "{e}");
        let e = err(
            r#"{"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": []}}}"#,
        );
        assert!(e.contains("holds state values"), "{e}");
        let e = err(r#"{"version": 3, "serial": 1, "modules": []}"#);
        assert!(e.contains("state file (state version 3)"), "{e}");
        let e = err(r#"{"version": 1, "serial": 1, "modules": [{"path": ["root"]}]}"#);
        assert!(e.contains("state file (state version 1)"), "{e}");
        let e = err(r#"{"terraform_version": "1.11.4", "platform": "linux_amd64"}"#);
        assert!(e.contains("not a plan"), "{e}");
    }

    #[test]
    fn errored_plans_are_refused_with_terraforms_reason() {
        let e = err(&MINIMAL.replace(
            "\"resource_changes\"",
            r#""errored": true, "checks": [{"address": {"to_display": "check.up"}, "status": "fail", "instances": [{"address": {"to_display": "check.up"}, "status": "fail", "problems": [{"message": "endpoint returned 503"}]}]}], "resource_changes""#,
        ));
        assert!(e.contains("failed plan (\"errored\": true)"), "{e}");
        assert!(e.contains("check.up: endpoint returned 503"), "{e}");
        let e = err(&MINIMAL.replace(
            "\"resource_changes\"",
            r#""errored": true, "resource_changes""#,
        ));
        assert!(e.contains("see the output of `terraform plan`"), "{e}");
        // Older plans have no `errored`: fine.
        ok(MINIMAL.as_bytes());
    }

    #[test]
    fn incomplete_plans_are_refused_where_completeness_matters() {
        let plan = ok(MINIMAL
            .replace(
                "\"resource_changes\"",
                r#""complete": false, "deferred_changes": [{"reason": "provider_config_unknown", "resource_change": {"address": "aws_s3_bucket.b"}}], "resource_changes""#,
            )
            .as_bytes());
        let e = plan
            .ensure_complete(Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("incomplete plan"), "{e}");
        assert!(
            e.contains("aws_s3_bucket.b deferred (provider_config_unknown)"),
            "{e}"
        );
        ok(MINIMAL.as_bytes())
            .ensure_complete(Path::new("p.json"))
            .unwrap();
    }

    #[test]
    fn values_that_cannot_be_right_are_refused_with_the_field() {
        let e = err(&MINIMAL.replace(r#"{"instance_type": "t3.micro"}"#, r#""t3.micro""#));
        assert!(
            e.contains("p.json: resource_changes[0] (aws_instance.a) change.after is a string, not an object"),
            "{e}"
        );
        let e = err(&MINIMAL.replace(r#"["create"]"#, r#"["create", "explode"]"#));
        assert!(e.contains("p.json line 1, column"), "{e}");
        assert!(e.contains("unknown variant `explode`"), "{e}");
    }

    #[test]
    fn missing_file_names_path() {
        let e = load_plan(Path::new("/nonexistent/plan.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot read plan file /nonexistent/plan.json"),
            "{e}"
        );
    }
}
