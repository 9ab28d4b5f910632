//! The workspace's `.tf` files as hcl-edit trees (spans kept), and the blocks
//! drift points at: `resource "TYPE" "NAME"` and local `module` calls.

use super::CodifyError;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

pub(crate) struct TfFile {
    /// Relative to the workspace directory (`main.tf`, `../modules/web/main.tf`).
    pub rel: PathBuf,
    pub text: String,
    pub body: Body,
}

/// Every `.tf` file read so far, by module directory (relative, `""` is the root).
pub(crate) struct Config {
    root: PathBuf,
    pub files: Vec<TfFile>,
    dirs: BTreeMap<PathBuf, Vec<usize>>,
    /// `resource` blocks by (module dir, type, name): (file, index in its body).
    resources: HashMap<(PathBuf, String, String), (usize, usize)>,
}

/// Where a module call leads, or why we do not follow it.
pub(crate) enum ModuleDir {
    Local(PathBuf),
    NotCodifiable(String),
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, CodifyError> {
        let mut c = Config {
            root: root.to_path_buf(),
            files: Vec::new(),
            dirs: BTreeMap::new(),
            resources: HashMap::new(),
        };
        c.load_dir(Path::new(""))?;
        if c.dirs[Path::new("")].is_empty() {
            return Err(CodifyError::NoTfFiles {
                dir: root.to_path_buf(),
            });
        }
        Ok(c)
    }

    /// Indexes into `files` of the `.tf` files of module directory `rel`, read once.
    pub fn load_dir(&mut self, rel: &Path) -> Result<Vec<usize>, CodifyError> {
        if let Some(ids) = self.dirs.get(rel) {
            return Ok(ids.clone());
        }
        let dir = self.root.join(rel);
        let read_err = |source| CodifyError::Read {
            path: dir.clone(),
            source,
        };
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(read_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
            .collect();
        names.sort();
        let mut ids = Vec::new();
        for path in names {
            let text = std::fs::read_to_string(&path).map_err(|source| CodifyError::Read {
                path: path.clone(),
                source,
            })?;
            let body = hcl_edit::parser::parse_body(&text).map_err(|e| CodifyError::Hcl {
                file: path.clone(),
                line: e.location().line(),
                column: e.location().column(),
                message: e.message().to_string(),
            })?;
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            for (at, s) in body.iter().enumerate() {
                let Some(b) = s.as_block().filter(|b| b.has_ident("resource")) else {
                    continue;
                };
                if let [ty, n] = b.labels.as_slice() {
                    let key = (
                        rel.to_path_buf(),
                        ty.as_str().to_string(),
                        n.as_str().to_string(),
                    );
                    self.resources.entry(key).or_insert((self.files.len(), at));
                }
            }
            ids.push(self.files.len());
            self.files.push(TfFile {
                rel: normalize(&rel.join(name)),
                text,
                body,
            });
        }
        self.dirs.insert(rel.to_path_buf(), ids.clone());
        Ok(ids)
    }

    /// Whether module directory `rel` exists under the workspace.
    pub fn root_exists(&self, rel: &Path) -> bool {
        self.root.join(rel).is_dir()
    }

    /// The `resource "TYPE" "NAME"` block of module directory `dir` (loaded
    /// with [`Config::load_dir`]), with the file it is in.
    pub fn resource(&self, dir: &Path, ty: &str, name: &str) -> Option<(usize, &Block)> {
        let key = (dir.to_path_buf(), ty.to_string(), name.to_string());
        let &(file, at) = self.resources.get(&key)?;
        let block = self.files[file].body.get(at)?.as_block()?;
        Some((file, block))
    }

    /// Follows `module "NAME"` from module directory `parent`. Only local
    /// sources (`./…`, `../…`) called once without `count`/`for_each` are
    /// followed: otherwise a literal in the module is shared by other callers.
    pub fn module(&self, parent: &Path, files: &[usize], name: &str) -> ModuleDir {
        let calls: Vec<&Block> = files
            .iter()
            .flat_map(|&f| self.files[f].body.get_blocks("module"))
            .collect();
        let Some(call) = calls.iter().find(|b| b.has_exact_labels(&[name])) else {
            return ModuleDir::NotCodifiable(format!(
                "no `module \"{name}\"` block in the .tf files of {}",
                shown(parent)
            ));
        };
        let source = match call.body.get_attribute("source").map(|a| &a.value) {
            Some(Expression::String(s)) => s.value().to_string(),
            _ => {
                return ModuleDir::NotCodifiable(format!("module.{name} has no literal `source`"));
            }
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            return ModuleDir::NotCodifiable(format!(
                "in module.{name} from `{source}`, which is not in this repository's workspace; change it in that module or expose a variable"
            ));
        }
        if call.body.has_attribute("count") || call.body.has_attribute("for_each") {
            return ModuleDir::NotCodifiable(format!(
                "module.{name} has count/for_each: a literal in it is shared by every instance of the module"
            ));
        }
        let dir = normalize(&parent.join(&source));
        let callers = calls
            .iter()
            .filter(|b| match b.body.get_attribute("source").map(|a| &a.value) {
                Some(Expression::String(s)) => normalize(&parent.join(s.value().as_str())) == dir,
                _ => false,
            })
            .count();
        if callers > 1 {
            return ModuleDir::NotCodifiable(format!(
                "module.{name}'s source `{source}` is called {callers} times: a literal in it is shared by every caller"
            ));
        }
        ModuleDir::Local(dir)
    }
}

/// `.` for the root module directory in messages.
pub(crate) fn shown(rel: &Path) -> String {
    if rel.as_os_str().is_empty() {
        "the workspace directory".into()
    } else {
        rel.display().to_string()
    }
}

/// Resolves `.` and `..` lexically, keeping leading `..` that leave the root.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ => parts.push(c),
            },
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// 1-based line of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// The whitespace that starts the line holding byte offset `at`.
pub(crate) fn indent_at(text: &str, at: usize) -> String {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_module_paths() {
        assert_eq!(
            normalize(Path::new("./modules/web/../db/main.tf")),
            PathBuf::from("modules/db/main.tf")
        );
        assert_eq!(
            normalize(Path::new("../shared/x")),
            PathBuf::from("../shared/x")
        );
    }
}
