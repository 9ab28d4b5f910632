//! Connections, migrations and the few things the two SQL dialects disagree on.
//!
//! Most statements are written once and run on both backends: sqlx accepts
//! `$1` placeholders on SQLite too, and [`on_pool!`] expands one body for each
//! pool type. What differs (locking clauses, NUMERIC casts) comes from [`Dialect`].

use super::error::StoreError;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteArgumentValue, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, Database, Postgres, Sqlite, Transaction};
use std::borrow::Cow;
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$pool` bound to the SQLite or the PostgreSQL pool and
/// `$d` to its [`Dialect`]; the body is type-checked once per backend.
macro_rules! on_pool {
    ($store:expr, $pool:ident, $d:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::db::Pool::Sqlite($pool) => {
                #[allow(unused_variables)]
                let $d = $crate::store::db::Dialect::Sqlite;
                $body
            }
            $crate::store::db::Pool::Postgres($pool) => {
                #[allow(unused_variables)]
                let $d = $crate::store::db::Dialect::Postgres;
                $body
            }
        }
    };
}
pub(crate) use on_pool;

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// A decimal parameter going into a money column (TEXT on SQLite, NUMERIC on PostgreSQL).
    pub(crate) fn money(self, param: &str) -> String {
        match self {
            Dialect::Sqlite => param.to_string(),
            Dialect::Postgres => format!("CAST({param} AS NUMERIC)"),
        }
    }

    /// Row locking for queue claims: other claimers skip rows we are taking.
    /// SQLite has one writer at a time, so the statement alone is enough.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }
}

/// Starts a transaction that will write. SQLite must take the write lock up
/// front (`BEGIN IMMEDIATE`): a deferred transaction that upgrades later fails
/// with SQLITE_BUSY instead of waiting when another writer got there first.
pub(crate) trait WritePool {
    type Db: Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl WritePool for SqlitePool {
    type Db = Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl WritePool for PgPool {
    type Db = Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// A timestamp as a query parameter. PostgreSQL gets a TIMESTAMPTZ; SQLite
/// gets fixed-width UTC text (`2024-05-01T12:00:00.000000Z`) so that comparing
/// and sorting the text compares and sorts the times.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ts(pub DateTime<Utc>);

impl Ts {
    fn sqlite_text(&self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

/// Both backends keep microseconds; trimming before storing makes a value
/// read back equal to the value written.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

impl sqlx::Type<Sqlite> for Ts {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, Sqlite> for Ts {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        sqlx::Encode::<Sqlite>::encode(self.sqlite_text(), buf)
    }
}

impl sqlx::Type<Postgres> for Ts {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <DateTime<Utc> as sqlx::Type<Postgres>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, Postgres> for Ts {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        sqlx::Encode::<Postgres>::encode_by_ref(&self.0, buf)
    }
}

/// Migrations are compiled in (no files needed at run time). Add a new file
/// to both folders and to both lists; a test checks the lists match the folders.
pub(crate) const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "run store",
        include_str!("migrations/sqlite/0001_run_store.sql"),
    ),
    (
        2,
        "notify state",
        include_str!("migrations/sqlite/0002_notify_state.sql"),
    ),
    (4, "audit", include_str!("migrations/sqlite/0004_audit.sql")),
    (
        6,
        "run cost unpriced components",
        include_str!("migrations/sqlite/0006_run_cost_unpriced.sql"),
    ),
    (
        7,
        "policy results",
        include_str!("migrations/sqlite/0007_policy_results.sql"),
    ),
    (
        8,
        "approvals",
        include_str!("migrations/sqlite/0008_approvals.sql"),
    ),
    (
        9,
        "drift episodes",
        include_str!("migrations/sqlite/0009_drift_episodes.sql"),
    ),
    (
        10,
        "notification targets seen",
        include_str!("migrations/sqlite/0010_notify_targets_seen.sql"),
    ),
];
pub(crate) const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "run store",
        include_str!("migrations/postgres/0001_run_store.sql"),
    ),
    (
        2,
        "notify state",
        include_str!("migrations/postgres/0002_notify_state.sql"),
    ),
    (
        4,
        "audit",
        include_str!("migrations/postgres/0004_audit.sql"),
    ),
    (
        6,
        "run cost unpriced components",
        include_str!("migrations/postgres/0006_run_cost_unpriced.sql"),
    ),
    (
        7,
        "policy results",
        include_str!("migrations/postgres/0007_policy_results.sql"),
    ),
    (
        8,
        "approvals",
        include_str!("migrations/postgres/0008_approvals.sql"),
    ),
    (
        9,
        "drift episodes",
        include_str!("migrations/postgres/0009_drift_episodes.sql"),
    ),
    (
        10,
        "notification targets seen",
        include_str!("migrations/postgres/0010_notify_targets_seen.sql"),
    ),
];

fn migrator(list: &[(i64, &'static str, &'static str)]) -> Migrator {
    let migrations = list
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// Statements slower than this are logged at debug level: a report over
/// months of runs or a migration of a large store is slow by nature, and
/// sqlx's default (a WARN line per statement on stderr) reads like a fault.
const SLOW_STATEMENT: Duration = Duration::from_secs(1);

/// sqlx logs every statement at debug and slow ones at warn by default; ours
/// go to trace and debug, so a user's stderr carries only what driftcost says.
fn quiet<O: ConnectOptions>(opts: O) -> O {
    opts.log_statements(log::LevelFilter::Trace)
        .log_slow_statements(log::LevelFilter::Debug, SLOW_STATEMENT)
}

/// How long a writer waits for SQLite's single write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// Opens the pool named by `url` and brings its schema up to date. With
/// `create` false a SQLite file that does not exist is an error, and nothing
/// is created.
pub(crate) async fn open(url: &str, create: bool) -> Result<Pool, StoreError> {
    let url = url.trim();
    let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url).await?
    } else {
        if let Some((scheme, _)) = url.split_once("://")
            && scheme != "sqlite"
            && !scheme.contains(['/', '\\'])
        {
            return Err(StoreError::BadUrl {
                url: redact(url),
                message: format!("unsupported scheme `{scheme}`"),
            });
        }
        open_sqlite(url, create).await?
    };
    tracing::debug!(store = %redact(url), "run store opened and migrated");
    Ok(pool)
}

async fn open_sqlite(url: &str, create: bool) -> Result<Pool, StoreError> {
    let bad = |message: String| StoreError::BadUrl {
        url: url.to_string(),
        message,
    };
    let memory = url == "sqlite::memory:" || url == "sqlite://:memory:" || url == ":memory:";
    let opts = if memory {
        SqliteConnectOptions::from_str("sqlite::memory:").map_err(|e| bad(e.to_string()))?
    } else if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).map_err(|e| bad(e.to_string()))?
    } else if url.is_empty() {
        return Err(bad("empty".into()));
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    let target = if memory {
        "sqlite::memory:".to_string()
    } else {
        opts.get_filename().display().to_string()
    };
    if !memory && !create && !opts.get_filename().exists() {
        return Err(StoreError::Missing { path: target });
    }
    let opts = quiet(opts)
        .create_if_missing(create)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Normal)
        .journal_mode(if memory {
            SqliteJournalMode::Memory
        } else {
            SqliteJournalMode::Wal
        });
    // Every connection to `:memory:` is a database of its own: keep exactly one, forever.
    let pool_opts = if memory {
        SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        SqlitePoolOptions::new().max_connections(4)
    };
    let pool = pool_opts
        .connect_with(opts)
        .await
        .map_err(|source| StoreError::Connect {
            target: target.clone(),
            source,
        })?;
    let m = migrator(SQLITE_MIGRATIONS);
    // Two processes opening a new file at once race on the first migration
    // (SQLite migrations take no lock); the loser sees it applied on retry.
    if let Err(first) = m.run(&pool).await {
        tracing::debug!(error = %first, "retrying run store migration once");
        tokio::time::sleep(Duration::from_millis(100)).await;
        m.run(&pool)
            .await
            .map_err(|source| StoreError::Migrate { target, source })?;
    }
    Ok(Pool::Sqlite(pool))
}

async fn open_postgres(url: &str) -> Result<Pool, StoreError> {
    let opts = quiet(
        PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
            url: redact(url),
            message: e.to_string(),
        })?,
    );
    let target = format!(
        "postgres://{}:{}/{}",
        opts.get_host(),
        opts.get_port(),
        opts.get_database().unwrap_or("")
    );
    // One direct connection first: a wrong host or password fails at once
    // instead of after the pool's acquire timeout.
    let probe = PgConnection::connect_with(&opts)
        .await
        .map_err(|source| StoreError::Connect {
            target: target.clone(),
            source,
        })?;
    let _ = probe.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(15))
        .connect_with(opts)
        .await
        .map_err(|source| StoreError::Connect {
            target: target.clone(),
            source,
        })?;
    // The migrator takes an advisory lock: workers starting together are fine.
    migrator(POSTGRES_MIGRATIONS)
        .run(&pool)
        .await
        .map_err(|source| StoreError::Migrate { target, source })?;
    Ok(Pool::Postgres(pool))
}

/// A URL for messages: the password, if any, replaced.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn sqlite_text_sorts_as_time() {
        let a = Ts("2024-05-01T12:00:00Z".parse().unwrap());
        let b = Ts("2024-05-01T12:00:00.000001Z".parse().unwrap());
        let c = Ts("2024-05-01T12:00:00.5Z".parse().unwrap());
        assert_eq!(a.sqlite_text(), "2024-05-01T12:00:00.000000Z");
        assert!(a.sqlite_text() < b.sqlite_text() && b.sqlite_text() < c.sqlite_text());
    }

    /// Captured log text (the global subscriber of this test binary).
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn slow_statements_are_logged_at_debug_not_as_warnings() {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        let Pool::Sqlite(pool) = open("sqlite::memory:", true).await.unwrap() else {
            unreachable!()
        };
        // Longer and longer statements until one is slow on this machine.
        let mut rows: i64 = 1 << 21;
        let text = loop {
            let n: i64 = sqlx::query_scalar(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1) \
                 SELECT COUNT(*) FROM c",
            )
            .bind(rows)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(n, rows);
            let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
            if text.contains("slow statement") || rows > 1 << 30 {
                break text;
            }
            rows *= 2;
        };
        let slow: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("slow statement"))
            .collect();
        assert!(!slow.is_empty(), "no statement was slow:\n{text}");
        for line in slow {
            assert!(line.contains("DEBUG") && !line.contains("WARN"), "{line}");
        }
    }

    #[test]
    fn migration_lists_match_the_folders() {
        for (dir, list) in [
            ("sqlite", SQLITE_MIGRATIONS),
            ("postgres", POSTGRES_MIGRATIONS),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src/store/migrations")
                .join(dir);
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let versions: Vec<i64> = files
                .iter()
                .map(|f| f.split('_').next().unwrap().parse().unwrap())
                .collect();
            let listed: Vec<i64> = list.iter().map(|m| m.0).collect();
            assert_eq!(versions, listed, "{dir}: files {files:?}");
        }
    }
}
