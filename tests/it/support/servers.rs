//! The test servers `scripts/test-servers.sh start` runs (its env file, or the
//! variables themselves in CI).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The `DRIFTCOST_TEST_*` variables, from the environment or else from
/// `.test-servers/env`, when all of `wanted` are there. `None` (after saying
/// so) when they are not and `DRIFTCOST_SKIP_SERVER_TESTS=1`; otherwise the
/// test fails, saying how to start `what`.
pub fn vars(test: &str, what: &str, wanted: &[&str]) -> Option<HashMap<String, String>> {
    let mut vars: HashMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("DRIFTCOST_TEST_"))
        .collect();
    let env_file = env_file();
    if !wanted.iter().all(|k| vars.contains_key(*k))
        && let Ok(text) = std::fs::read_to_string(&env_file)
    {
        for line in text.lines() {
            if let Some((k, v)) = line.trim().trim_start_matches("export ").split_once('=')
                && k.starts_with("DRIFTCOST_TEST_")
            {
                vars.insert(k.to_owned(), v.trim_matches('"').to_owned());
            }
        }
    }
    if wanted.iter().all(|k| vars.contains_key(*k)) {
        return Some(vars);
    }
    if std::env::var("DRIFTCOST_SKIP_SERVER_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED {test}: DRIFTCOST_SKIP_SERVER_TESTS=1 and no {what} configured");
        return None;
    }
    panic!(
        "{test} needs the {what}: run `scripts/test-servers.sh install` once, then \
         `scripts/test-servers.sh start` (it writes {}), or set DRIFTCOST_SKIP_SERVER_TESTS=1 to skip",
        env_file.display()
    );
}

/// The admin URL of the test PostgreSQL.
pub fn pg_url(test: &str) -> Option<String> {
    vars(test, "test PostgreSQL", &["DRIFTCOST_TEST_PG_URL"])
        .map(|mut v| v.remove("DRIFTCOST_TEST_PG_URL").unwrap_or_default())
}

fn env_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".test-servers/env")
}
