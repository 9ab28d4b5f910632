//! The test servers `scripts/test-servers.sh start` runs (its env file, or the
//! variables themselves in CI).

use sqlx::{Connection, PgConnection};
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

/// A fresh database on the test PostgreSQL; dropped by `drop_db`.
pub struct FreshDb {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDb {
    pub async fn new(test: &str) -> Option<FreshDb> {
        let admin_url = pg_url(test)?;
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).unwrap();
        let name = format!("dc_{}", hex::encode(bytes));
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
        Some(FreshDb {
            admin_url,
            name,
            url,
        })
    }

    pub async fn drop_db(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}
