//! The test servers `scripts/test-servers.sh start` runs (its env file, or the
//! variables themselves in CI).
#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;

/// The admin URL of the test PostgreSQL; `None` (after saying so) when
/// `DRIFTCOST_SKIP_SERVER_TESTS=1` and none is configured.
pub fn pg_url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var("DRIFTCOST_TEST_PG_URL") {
        return Some(url);
    }
    let env_file = Path::new(env!("CARGO_MANIFEST_DIR")).join(".test-servers/env");
    if let Ok(text) = std::fs::read_to_string(&env_file) {
        for line in text.lines() {
            if let Some(("DRIFTCOST_TEST_PG_URL", v)) =
                line.trim().trim_start_matches("export ").split_once('=')
            {
                return Some(v.trim_matches('"').to_owned());
            }
        }
    }
    if std::env::var("DRIFTCOST_SKIP_SERVER_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED {test}: DRIFTCOST_SKIP_SERVER_TESTS=1 and no PostgreSQL configured");
        return None;
    }
    panic!(
        "{test} needs the test PostgreSQL: run `scripts/test-servers.sh start` (it writes {}), \
         or set DRIFTCOST_SKIP_SERVER_TESTS=1 to skip",
        env_file.display()
    );
}
