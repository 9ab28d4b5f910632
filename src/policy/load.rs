//! Loading a policy folder: `.rego` files (Rego v1, or v0 for policies
//! written before OPA 1.0) and `data.json` / `data.yaml` documents.

use super::error::{PolicyError, locate};
use std::path::{Path, PathBuf};

/// The prefixes of the rules evaluated by convention, and of Rego unit tests.
const CONVENTION: &[&str] = &["deny", "violation", "warn"];
const TEST_PREFIX: &str = "test_";

/// A loaded policy folder, ready to evaluate many times (each evaluation
/// works on a copy of the parsed and analysed engine).
#[derive(Clone)]
pub struct PolicySet {
    pub(crate) dir: PathBuf,
    pub(crate) engine: regorus::Engine,
    pub(crate) packages: Vec<Package>,
}

/// One Rego package: one policy.
#[derive(Debug, Clone)]
pub(crate) struct Package {
    /// Without the `data.` prefix, e.g. `cost.monthly_cap`.
    pub name: String,
    /// The files declaring it, as shown in messages.
    pub files: Vec<String>,
    /// `deny`, `violation`, `warn` and their `_…` variants it declares.
    pub rules: Vec<String>,
    /// Its `test_*` rules.
    pub tests: Vec<String>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("dir", &self.dir)
            .field("packages", &self.packages)
            .finish()
    }
}

impl PolicySet {
    /// Loads every `.rego` file under `dir` (hidden folders skipped) and its
    /// data documents. A file that does not parse is an error naming
    /// `file:line:col`.
    pub fn load(dir: &Path) -> Result<PolicySet, PolicyError> {
        let meta = std::fs::metadata(dir).map_err(|e| PolicyError::Folder {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !meta.is_dir() {
            return Err(PolicyError::Folder {
                dir: dir.to_path_buf(),
                reason: "is not a folder".into(),
            });
        }
        let mut rego = Vec::new();
        let mut data = Vec::new();
        walk(dir, &mut rego, &mut data)?;
        if rego.is_empty() {
            return Err(PolicyError::Empty {
                dir: dir.to_path_buf(),
            });
        }
        let mut engine = regorus::Engine::new();
        let mut packages: Vec<Package> = Vec::new();
        for file in &rego {
            let text = std::fs::read_to_string(file).map_err(|e| PolicyError::Read {
                file: file.clone(),
                reason: e.to_string(),
            })?;
            let shown = file.display().to_string();
            let package = add_module(&mut engine, &shown, &text)?;
            let (rules, tests) = declared_rules(&engine, &shown, &text);
            match packages.iter_mut().find(|p| p.name == package) {
                Some(p) => {
                    p.files.push(shown);
                    for r in rules {
                        if !p.rules.contains(&r) {
                            p.rules.push(r);
                        }
                    }
                    for t in tests {
                        if !p.tests.contains(&t) {
                            p.tests.push(t);
                        }
                    }
                }
                None => packages.push(Package {
                    name: package,
                    files: vec![shown],
                    rules,
                    tests,
                }),
            }
        }
        for file in &data {
            add_data(&mut engine, file)?;
        }
        packages.sort_by(|a, b| a.name.cmp(&b.name));
        // regorus analyses the modules (schedule, loop hoisting) on an
        // engine's first evaluation; every evaluation works on a copy of this
        // one, so do it once here. A failure is left for the evaluation to
        // report (it names the package and rule there, as before).
        let _ = engine.eval_query("true".to_string(), false);
        Ok(PolicySet {
            dir: dir.to_path_buf(),
            engine,
            packages,
        })
    }

    /// Keeps only the packages named `namespace` or below it (`cost` keeps
    /// `cost` and `cost.cap`), as conftest's `--namespace`; several
    /// namespaces keep the union. A namespace matching nothing is an error.
    pub fn filter_namespaces(&mut self, namespaces: &[String]) -> Result<(), PolicyError> {
        if namespaces.is_empty() {
            return Ok(());
        }
        for ns in namespaces {
            if !self.packages.iter().any(|p| in_namespace(&p.name, ns)) {
                return Err(PolicyError::UnknownNamespace {
                    namespace: ns.clone(),
                    dir: self.dir.clone(),
                    known: self.package_names().join(", "),
                });
            }
        }
        self.packages
            .retain(|p| namespaces.iter().any(|ns| in_namespace(&p.name, ns)));
        Ok(())
    }

    /// The packages (policies) in this folder, sorted.
    pub fn package_names(&self) -> Vec<String> {
        self.packages.iter().map(|p| p.name.clone()).collect()
    }

    /// The folder this set was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn in_namespace(package: &str, ns: &str) -> bool {
    let ns = ns.strip_prefix("data.").unwrap_or(ns);
    package == ns
        || package
            .strip_prefix(ns)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn walk(dir: &Path, rego: &mut Vec<PathBuf>, data: &mut Vec<PathBuf>) -> Result<(), PolicyError> {
    let entries = std::fs::read_dir(dir).map_err(|e| PolicyError::Folder {
        dir: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| PolicyError::Folder {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, rego, data)?;
        } else if name.ends_with(".rego") {
            rego.push(path);
        } else if matches!(name.as_str(), "data.json" | "data.yaml" | "data.yml") {
            data.push(path);
        }
    }
    Ok(())
}

/// Parses one module as Rego v1 and, if that fails, as v0 (policies written
/// for OPA before 1.0, e.g. `deny[msg] { … }`). When both fail, the error of
/// the syntax the file looks written in is reported.
fn add_module(
    engine: &mut regorus::Engine,
    shown: &str,
    text: &str,
) -> Result<String, PolicyError> {
    engine.set_rego_v0(false);
    let v1 = match engine.add_policy(shown.to_string(), text.to_string()) {
        Ok(pkg) => return Ok(strip_data(&pkg)),
        Err(e) => e,
    };
    engine.set_rego_v0(true);
    let v0 = engine.add_policy(shown.to_string(), text.to_string());
    engine.set_rego_v0(false);
    let err = match v0 {
        Ok(pkg) => return Ok(strip_data(&pkg)),
        Err(v0) => {
            if looks_v1(text) {
                v1
            } else {
                v0
            }
        }
    };
    let (location, message, snippet) = locate(&format!("{err:#}"), shown);
    Err(PolicyError::Syntax {
        location,
        message,
        snippet,
    })
}

fn looks_v1(text: &str) -> bool {
    text.contains("rego.v1")
        || text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == "if" || w == "contains")
}

fn strip_data(pkg: &str) -> String {
    pkg.strip_prefix("data.").unwrap_or(pkg).to_string()
}

/// The convention and test rules a module declares: rule-head names found
/// at the start of a line, each confirmed by regorus' own parse.
fn declared_rules(engine: &regorus::Engine, shown: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let mut rules = Vec::new();
    let mut tests = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("default ").unwrap_or(line).trim_start();
        let name: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let convention = CONVENTION
            .iter()
            .any(|c| name == *c || name.strip_prefix(c).is_some_and(|r| r.starts_with('_')));
        let test = name.starts_with(TEST_PREFIX);
        if !(convention || test) || rules.contains(&name) || tests.contains(&name) {
            continue;
        }
        if engine
            .has_declared_rule_rooted_at(shown, &name)
            .unwrap_or(false)
        {
            if test {
                tests.push(name);
            } else {
                rules.push(name);
            }
        }
    }
    (rules, tests)
}

fn add_data(engine: &mut regorus::Engine, file: &Path) -> Result<(), PolicyError> {
    let text = std::fs::read_to_string(file).map_err(|e| PolicyError::Read {
        file: file.to_path_buf(),
        reason: e.to_string(),
    })?;
    let is_json = file.extension().is_some_and(|e| e == "json");
    let value: serde_json::Value = if is_json {
        serde_json::from_str(&text).map_err(|e| PolicyError::Data {
            file: file.to_path_buf(),
            message: format!("line {} column {}: {e}", e.line(), e.column()),
        })?
    } else {
        serde_yaml_ng::from_str(&text).map_err(|e| PolicyError::Data {
            file: file.to_path_buf(),
            message: match e.location() {
                Some(l) => format!("line {} column {}: {e}", l.line(), l.column()),
                None => e.to_string(),
            },
        })?
    };
    if !value.is_object() {
        return Err(PolicyError::Data {
            file: file.to_path_buf(),
            message: "the document is not an object".into(),
        });
    }
    let value: regorus::Value = serde_json::from_value(value).map_err(|e| PolicyError::Data {
        file: file.to_path_buf(),
        message: e.to_string(),
    })?;
    engine.add_data(value).map_err(|e| PolicyError::Data {
        file: file.to_path_buf(),
        message: format!("{e:#} (another data file sets the same key)"),
    })
}
