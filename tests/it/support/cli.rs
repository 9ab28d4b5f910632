//! Running the built `driftcost` binary the way a user does, and the fixture files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `driftcost ARGS` with nothing from the developer's environment that would
/// change its answer (backtraces, a pricing dir, a GitHub token): exit code,
/// stdout, stderr.
pub fn driftcost(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("DRIFTCOST_PRICING_DIR")
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A finished command's exit code, stdout and stderr, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
