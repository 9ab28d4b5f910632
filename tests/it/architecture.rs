//! The module map of ARCHITECTURE.md, checked against the code: every
//! top-level module of `src/` sits on a floor, and a module may use only
//! modules on floors below its own (the shared helpers are the ground floor).
//! An import that runs sideways or back up the data flow, or a module that is
//! not on the map, fails this test with the file and line to look at.
//!
//! Test code (`#[cfg(test)]` modules from that line on, `tests.rs`,
//! `testing.rs`, `fixtures.rs`) may reach anywhere and is not read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The floors, lowest first. Keep in step with ARCHITECTURE.md.
const FLOORS: &[&[&str]] = &[
    // shared helpers, below everything: no stage of their own
    &["error_chain", "escape", "signature"],
    &["env", "git", "github"],
    // inputs: the plan model, price tables, schedules
    &["plan", "pricing", "schedule"],
    // stages that read inputs: costing, running terraform, reading state
    &["cost", "runner", "backend"],
    // what the cost and drift engines produce
    &["output", "drift"],
    // the notification contract and its channels (config, render, send)
    &["notify"],
    // job files: the configuration of every stage below
    &["jobs"],
    // one workspace end to end; drift PRs; the run store
    &["scan", "codify", "store"],
    // telling people: what a scan announces, PR comments, fleet reports
    &["announce", "comment", "report"],
    // running scans from the queue
    &["worker"],
    // the HTTP API on top of it all
    &["api"],
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/cost/engine.rs` → `cost`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "cli")).then(|| name.to_string())
}

/// `crate::NAME` paths in the non-test part of `text`, with their line
/// numbers; `crate::{a::X, b}` gives `a` and `b`, over several lines too.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut kept = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines.peek().is_some_and(|next| {
                let next = next.trim_start();
                ["mod ", "pub mod ", "pub(crate) mod "]
                    .iter()
                    .any(|m| next.starts_with(m))
            })
        {
            break;
        }
        // comments keep their line, without their text
        if !t.starts_with("//") {
            kept.push_str(line);
        }
        kept.push('\n');
    }
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in kept.match_indices("crate::") {
        let line = kept[..at].matches('\n').count() + 1;
        let after = &kept[at + "crate::".len()..];
        let Some(list) = after.strip_prefix('{') else {
            out.push((line, ident(after)));
            continue;
        };
        let (mut depth, mut item) = (0, String::new());
        for c in list.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push((line, ident(&item)));
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        out.push((line, ident(&item)));
    }
    out.retain(|(_, name)| !name.is_empty());
    out
}

#[test]
fn modules_import_only_floors_below_their_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        if matches!(name, "tests.rs" | "testing.rs" | "fixtures.rs") {
            continue;
        }
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(floor) = floor_of(&module) else {
            problems.push(format!(
                "{}: module `{module}` is not on the map: add it to FLOORS here and to ARCHITECTURE.md",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in crate_paths(&text) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            let Some(used_floor) = floor_of(&used) else {
                continue; // a name re-exported at the crate root, not a module
            };
            graph
                .entry(module.clone())
                .or_default()
                .insert(used.clone());
            if used_floor >= floor {
                problems.push(format!(
                    "{}:{line}: `{module}` (floor {floor}) uses `{used}` (floor {used_floor}): a module may use only floors below its own",
                    file.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports against the module map (ARCHITECTURE.md):\n{}\n\nthe graph as read: {graph:#?}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_sees_every_form_of_crate_path() {
    let text = "use crate::plan::Plan;\nuse crate::{\n    cost::{X, Y},\n    drift,\n};\nlet x = crate::store::open();\n// crate::api is a comment\n#[cfg(test)]\nmod tests {\n use crate::worker;\n}\n";
    let names: Vec<String> = crate_paths(text).into_iter().map(|(_, n)| n).collect();
    assert!(names.contains(&"plan".to_string()), "{names:?}");
    assert!(names.contains(&"cost".to_string()), "{names:?}");
    assert!(names.contains(&"drift".to_string()), "{names:?}");
    assert!(names.contains(&"store".to_string()), "{names:?}");
    assert!(!names.contains(&"api".to_string()), "{names:?}");
    assert!(!names.contains(&"worker".to_string()), "{names:?}");
    assert!(!names.contains(&"X".to_string()), "{names:?}");
}
