//! `lifecycle { ignore_changes = [...] }` from a workspace's `.tf` files.
//!
//! A refresh-only plan still lists drift in attributes the configuration
//! tells terraform to ignore, so the drift engine must drop them itself. Each
//! entry becomes an attribute-level ignore rule for that resource (all its
//! instances): `tags` → `aws_instance.web.tags` (and everything below),
//! `tags["Owner"]` → `aws_instance.web.tags.Owner`, `all` → every attribute.
//!
//! Only the `.tf` files directly in the given directory are read (terraform
//! does the same per module); `.tf.json` files are not read. Resources of a
//! child module are read by calling [`load_lifecycle_ignores`] on the module's
//! directory with its configuration path (`module.net`).

use super::DriftError;
use super::path::{Step, display, match_form};
use hcl::expr::{Expression, TraversalOperator};
use std::path::{Path, PathBuf};

/// One `ignore_changes` entry of one resource block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleIgnore {
    /// The `.tf` file it was read from, for messages.
    pub file: PathBuf,
    /// Configuration address: `aws_instance.web`, `module.net.aws_instance.web`.
    pub resource: String,
    /// The attribute path, `None` for `ignore_changes = all`.
    steps: Option<Vec<Step>>,
}

impl LifecycleIgnore {
    /// The attribute in terraform notation (`tags["Owner"]`), `None` for `all`.
    pub fn attribute(&self) -> Option<String> {
        self.steps.as_deref().map(display)
    }

    /// The glob this entry compiles to, matched like a workspace rule.
    pub(crate) fn glob(&self) -> String {
        match &self.steps {
            None => globset::escape(&self.resource),
            Some(steps) => format!(
                "{}.{}",
                globset::escape(&self.resource),
                globset::escape(&match_form(steps))
            ),
        }
    }
}

/// Reads every `*.tf` file in `dir` (sorted by name, not recursive).
/// `module` is the configuration path of the module that directory holds
/// (`None` for the root module, `Some("module.net")` for a child).
pub fn load_lifecycle_ignores(
    dir: &Path,
    module: Option<&str>,
) -> Result<Vec<LifecycleIgnore>, DriftError> {
    let read_err = |source| DriftError::ReadTf {
        path: dir.to_path_buf(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let src = std::fs::read_to_string(&file).map_err(|source| DriftError::ReadTf {
            path: file.clone(),
            source,
        })?;
        out.extend(parse_lifecycle_ignores(&src, &file, module)?);
    }
    Ok(out)
}

/// Parses one file's text; `file` only labels errors and results.
pub fn parse_lifecycle_ignores(
    src: &str,
    file: &Path,
    module: Option<&str>,
) -> Result<Vec<LifecycleIgnore>, DriftError> {
    let body = hcl::parse(src).map_err(|e| hcl_error(file, e))?;
    let mut out = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "resource") {
        let [rtype, name] = block.labels() else {
            continue;
        };
        let resource = match module {
            Some(m) => format!("{m}.{}.{}", rtype.as_str(), name.as_str()),
            None => format!("{}.{}", rtype.as_str(), name.as_str()),
        };
        for lifecycle in block
            .body()
            .blocks()
            .filter(|b| b.identifier() == "lifecycle")
        {
            for attr in lifecycle
                .body()
                .attributes()
                .filter(|a| a.key() == "ignore_changes")
            {
                for steps in entries(attr.expr()).map_err(|entry| DriftError::IgnoreChanges {
                    file: file.to_path_buf(),
                    resource: resource.clone(),
                    entry,
                })? {
                    out.push(LifecycleIgnore {
                        file: file.to_path_buf(),
                        resource: resource.clone(),
                        steps,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn hcl_error(file: &Path, e: hcl::Error) -> DriftError {
    match e {
        hcl::Error::Parse(p) => DriftError::Hcl {
            file: file.to_path_buf(),
            line: p.location().line(),
            column: p.location().column(),
            message: p.message().to_string(),
        },
        other => DriftError::Hcl {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: other.to_string(),
        },
    }
}

/// The entries of `ignore_changes`; `Err` carries the entry that cannot be read.
fn entries(expr: &Expression) -> Result<Vec<Option<Vec<Step>>>, String> {
    match expr {
        Expression::Variable(v) if v.as_str() == "all" => Ok(vec![None]),
        Expression::String(s) if s == "all" => Ok(vec![None]),
        Expression::Array(items) => items
            .iter()
            .map(|i| entry_steps(i, true).map(Some))
            .collect(),
        other => Err(other.to_string()),
    }
}

fn entry_steps(expr: &Expression, allow_quoted: bool) -> Result<Vec<Step>, String> {
    match expr {
        Expression::Variable(v) => Ok(vec![Step::Key(v.as_str().to_string())]),
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else {
                return Err(expr.to_string());
            };
            let mut steps = vec![Step::Key(root.as_str().to_string())];
            for op in &t.operators {
                steps.push(match op {
                    TraversalOperator::GetAttr(id) => Step::Key(id.as_str().to_string()),
                    TraversalOperator::LegacyIndex(n) => Step::Index(*n as usize),
                    TraversalOperator::Index(Expression::Number(n)) => {
                        Step::Index(n.as_u64().ok_or_else(|| expr.to_string())? as usize)
                    }
                    TraversalOperator::Index(Expression::String(s)) => Step::Key(s.clone()),
                    _ => return Err(expr.to_string()),
                });
            }
            Ok(steps)
        }
        // Terraform 0.11 style `"tags"`, still accepted with a warning.
        Expression::String(s) if allow_quoted => {
            let body = hcl::parse(&format!("x = {s}\n")).map_err(|_| s.clone())?;
            let attr = body.attributes().next().ok_or_else(|| s.clone())?;
            entry_steps(attr.expr(), false)
        }
        other => Err(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TF: &str = r#"
resource "aws_instance" "web" {
  ami = "ami-1"
  lifecycle {
    ignore_changes = [tags["Owner"], root_block_device[0].volume_size, "user_data"]
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
  lifecycle {
    ignore_changes = all
  }
}

resource "aws_instance" "plain" {
  lifecycle {
    create_before_destroy = true
  }
}
"#;

    #[test]
    fn reads_entries() {
        let got = parse_lifecycle_ignores(TF, Path::new("main.tf"), None).unwrap();
        let globs: Vec<String> = got.iter().map(LifecycleIgnore::glob).collect();
        assert_eq!(
            globs,
            vec![
                "aws_instance.web.tags.Owner",
                "aws_instance.web.root_block_device.0.volume_size",
                "aws_instance.web.user_data",
                "aws_s3_bucket.logs",
            ]
        );
        assert_eq!(got[0].attribute().as_deref(), Some("tags.Owner"));
        assert_eq!(got[3].attribute(), None);
        let m = parse_lifecycle_ignores(TF, Path::new("main.tf"), Some("module.net")).unwrap();
        assert_eq!(m[0].resource, "module.net.aws_instance.web");
    }

    #[test]
    fn bad_hcl_names_file_and_line() {
        let src = "resource \"a\" \"b\" {\n  x = 1\n  y = = 2\n}\n";
        let err = parse_lifecycle_ignores(src, Path::new("ws/main.tf"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ws/main.tf:3"), "{err}");
    }

    #[test]
    fn unreadable_entry_names_resource() {
        let src = "resource \"a\" \"b\" {\n lifecycle {\n ignore_changes = [upper(x)]\n }\n}\n";
        let err = parse_lifecycle_ignores(src, Path::new("m.tf"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.b") && err.contains("m.tf"), "{err}");
    }

    #[test]
    fn reads_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), TF).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not hcl {").unwrap();
        let got = load_lifecycle_ignores(dir.path(), None).unwrap();
        assert_eq!(got.len(), 4);
    }
}
