//! `driftcost demo` as an installed binary: no build-folder paths in its defaults,
//! runs from any folder with the demo files it embeds, and a failure says what to
//! do in one line and leaves nothing behind.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::terraform::ensure_mirror;

/// The binary copied out of the build folder, as `cargo install` would place it.
fn installed_binary(into: &Path) -> PathBuf {
    let bin = into.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let dest = bin.join("driftcost");
    std::fs::copy(env!("CARGO_BIN_EXE_driftcost"), &dest).unwrap();
    dest
}

/// Runs the demo from `cwd` with a private temp dir and none of the machine's settings
/// that would point it at a mirror.
fn demo(bin: &Path, cwd: &Path, tmp: &Path, args: &[&str], path: Option<&str>) -> Output {
    let mut cmd = Command::new(bin);
    cmd.arg("demo")
        .args(args)
        .current_dir(cwd)
        .env("TMPDIR", tmp)
        .env_remove("DRIFTCOST_TF_MIRROR")
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("CARGO_MANIFEST_DIR");
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The last non-empty line of stderr is the error, on one line, and says what to do.
fn error_line(stderr: &str) -> &str {
    let line = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(line.starts_with("error: "), "{stderr}");
    line
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn demo_help_shows_no_build_folder_path() {
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["demo", "--help"])
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    let build_folder = env!("CARGO_MANIFEST_DIR");
    assert!(
        !stdout.contains(build_folder),
        "defaults point into the build folder:\n{stdout}"
    );
}

#[test]
fn installed_binary_runs_the_demo_from_any_folder_with_embedded_files() {
    let mirror = ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let elsewhere = tmp.path().join("elsewhere");
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&tmpdir).unwrap();
    let out = demo(
        &bin,
        &elsewhere,
        &tmpdir,
        &["--mirror", mirror.to_str().unwrap()],
        None,
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("2 drifted, 1 without drift"), "{stdout}");
    assert!(stdout.contains("+$79.42"), "{stdout}");
    // It worked in a temp dir of its own (kept for inspection), not in the cwd.
    assert!(entries(&elsewhere).is_empty(), "{:?}", entries(&elsewhere));
    let kept = entries(&tmpdir);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("driftcost-demo-"), "{kept:?}");
    assert!(tmpdir.join(&kept[0]).join("report.md").is_file());
}

#[test]
fn outside_the_source_tree_without_a_mirror_it_fails_in_one_line_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let elsewhere = tmp.path().join("elsewhere");
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&tmpdir).unwrap();
    let out = demo(&bin, &elsewhere, &tmpdir, &[], None);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let line = error_line(&stderr);
    assert!(line.contains("--mirror"), "{line}");
    assert!(line.contains("DRIFTCOST_TF_MIRROR"), "{line}");
    assert!(line.contains("source tree"), "{line}");
    assert!(
        stderr.lines().filter(|l| l.starts_with("error")).count() == 1,
        "{stderr}"
    );
    assert!(entries(&tmpdir).is_empty(), "{:?}", entries(&tmpdir));
    assert!(entries(&elsewhere).is_empty(), "{:?}", entries(&elsewhere));
}

#[test]
fn without_terraform_it_says_how_to_get_it_and_leaves_nothing() {
    let mirror = ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let tmpdir = tmp.path().join("tmp");
    let empty_path = tmp.path().join("empty-path");
    std::fs::create_dir_all(&tmpdir).unwrap();
    std::fs::create_dir_all(&empty_path).unwrap();
    let out = demo(
        &bin,
        tmp.path(),
        &tmpdir,
        &["--mirror", mirror.to_str().unwrap()],
        Some(empty_path.to_str().unwrap()),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let line = error_line(&stderr);
    assert!(line.contains("terraform"), "{line}");
    assert!(line.contains("PATH"), "{line}");
    assert_eq!(
        stderr.lines().filter(|l| !l.trim().is_empty()).count(),
        1,
        "{stderr}"
    );
    assert!(entries(&tmpdir).is_empty(), "{:?}", entries(&tmpdir));
}

#[test]
fn a_failure_after_apply_removes_the_demo_dir_it_made() {
    let mirror = ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    // A change to a resource the workspace does not have: found only after apply.
    let changes = tmp.path().join("changes.toml");
    std::fs::write(
        &changes,
        "[[change]]\nworkspace = \"shop-prod\"\naddress = \"aws_instance.not_there\"\ndelete = true\n",
    )
    .unwrap();
    for dir_arg in [None, Some(tmp.path().join("demo-here"))] {
        let mut args = vec![
            "--mirror".to_string(),
            mirror.display().to_string(),
            "--changes".to_string(),
            changes.display().to_string(),
        ];
        if let Some(d) = &dir_arg {
            args.extend(["--dir".to_string(), d.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = demo(&bin, tmp.path(), &tmpdir, &args, None);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
        let line = error_line(&stderr);
        assert!(line.contains("aws_instance.not_there"), "{line}");
        assert!(line.contains("changes.toml"), "{line}");
        assert!(entries(&tmpdir).is_empty(), "{:?}", entries(&tmpdir));
        if let Some(d) = &dir_arg {
            assert!(!d.exists(), "{} left behind", d.display());
        }
    }
}

#[test]
fn an_unknown_workspace_in_the_changes_is_refused_before_anything_is_made() {
    let mirror = ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let changes = tmp.path().join("changes.toml");
    std::fs::write(
        &changes,
        "[[change]]\nworkspace = \"nope\"\naddress = \"aws_instance.web\"\ndelete = true\n",
    )
    .unwrap();
    let out = demo(
        &bin,
        tmp.path(),
        &tmpdir,
        &[
            "--mirror",
            mirror.to_str().unwrap(),
            "--changes",
            changes.to_str().unwrap(),
        ],
        None,
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let line = error_line(&stderr);
    assert!(line.contains("`nope`"), "{line}");
    assert!(line.contains("shop-prod"), "{line}");
    assert_eq!(
        stderr.lines().filter(|l| !l.trim().is_empty()).count(),
        1,
        "{stderr}"
    );
    assert!(entries(&tmpdir).is_empty(), "{:?}", entries(&tmpdir));
}

#[test]
fn a_non_empty_dir_is_refused_and_kept() {
    let mirror = ensure_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let bin = installed_binary(tmp.path());
    let mine = tmp.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("keep.txt"), "mine").unwrap();
    let out = demo(
        &bin,
        tmp.path(),
        tmp.path(),
        &[
            "--mirror",
            mirror.to_str().unwrap(),
            "--dir",
            mine.to_str().unwrap(),
        ],
        None,
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let line = error_line(&stderr);
    assert!(line.contains("not empty"), "{line}");
    assert_eq!(entries(&mine), vec!["keep.txt".to_string()]);
}
