//! `driftcost report` and `GET /v1/report` on a small store whose figures are
//! worked out by hand below, on SQLite and PostgreSQL: JSON shape, CSV and
//! Parquet read back, HTML escaping, errors.
//!
//! The store (times back from the moment the test starts, `T`; the report
//! covers `T-10d` to now):
//! - `web` (a.toml): succeeded T-25d and T-20d (baseline) with drift `old`
//!   (aws_instance, $10/month); T-9d `old` ($10); T-8d failed; T-7d `old` +
//!   `new1` (aws_security_group `ingress[0].cidr_blocks[1]`, $30); T-5d
//!   `new1` ($20): `old` resolved after 20 days; T-2d no drift: `new1`
//!   resolved after 5 days; T-1d timed out.
//!   → 6 scans, 2 failed, 1 drift event, 2 resolved (20d, 5d: mean 12.5d),
//!   nothing open, $0 now; over the period 10×24h + 10×48h + 30×48h + 20×72h
//!   dollar-hours / 730 = 3600/730 USD.
//! - `db` (a.toml): T-6d `d1` (aws_db_instance: instance_class, tags.team)
//!   unpriced; T-3d `d1` + `d2` (tags.team), $50.
//!   → 2 scans, 2 drift events, 2 open, oldest 6 days, $50 now; the period
//!   cost is $50 × 72h / 730 and partly unpriced.
//! - `api` (b.toml): one cancelled run: no scans, no failure rate.

use crate::support::cli::driftcost;
use crate::support::servers::FreshDb;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use driftcost::report::FleetReport;
use driftcost::store::Store;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;
use std::str::FromStr;

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// SQL that writes the store described above (runs back from `t`); the same
/// text runs on SQLite and PostgreSQL.
fn scenario_sql(t: DateTime<Utc>) -> String {
    let day = |d: i64| ts(t - TimeDelta::days(d));
    let mut sql = String::new();
    let mut id = 0;
    let mut run = |sql: &mut String,
                   ws: &str,
                   status: &str,
                   days: i64,
                   cost: Option<&str>,
                   items: &[(&str, &str, &[&str])]| {
        id += 1;
        let at = day(days);
        sql.push_str(&format!(
            "INSERT INTO runs (id, workspace, triggered_by, status, queued_at, started_at, finished_at, duration_ms, drift_count, cost_delta) \
             VALUES ({id}, '{ws}', 'schedule', '{status}', '{at}', '{at}', '{at}', 1000, {}, {});\n",
            items.len(),
            cost.map_or("NULL".to_string(), |c| format!("'{c}'")),
        ));
        for (seq, (fp, rtype, paths)) in items.iter().enumerate() {
            let changes: Vec<Value> = paths
                .iter()
                .map(|p| serde_json::json!({"path": p, "before": "a", "after": "b", "sensitive": false, "fingerprint": "x"}))
                .collect();
            let item = serde_json::json!({"address": format!("{rtype}.{fp}"), "resource_type": rtype, "changes": changes, "fingerprint": fp});
            sql.push_str(&format!(
                "INSERT INTO drift_items (run_id, seq, address, resource_type, kind, fingerprint, item) \
                 VALUES ({id}, {seq}, '{rtype}.{fp}', '{rtype}', 'changed', '{fp}', '{item}');\n"
            ));
        }
    };
    let old: (&str, &str, &[&str]) = ("old", "aws_instance", &["tags.owner"]);
    let new1: (&str, &str, &[&str]) =
        ("new1", "aws_security_group", &["ingress[0].cidr_blocks[1]"]);
    let d1: (&str, &str, &[&str]) = ("d1", "aws_db_instance", &["instance_class", "tags.team"]);
    let d2: (&str, &str, &[&str]) = ("d2", "aws_db_instance", &["tags.team"]);
    run(&mut sql, "web", "succeeded", 25, Some("10"), &[old]);
    run(&mut sql, "web", "succeeded", 20, Some("10"), &[old]);
    run(&mut sql, "web", "succeeded", 9, Some("10"), &[old]);
    run(&mut sql, "web", "failed", 8, None, &[]);
    run(&mut sql, "web", "succeeded", 7, Some("30"), &[old, new1]);
    run(&mut sql, "web", "succeeded", 5, Some("20"), &[new1]);
    run(&mut sql, "web", "succeeded", 2, None, &[]);
    run(&mut sql, "web", "timed_out", 1, None, &[]);
    run(&mut sql, "db", "succeeded", 6, None, &[d1]);
    run(&mut sql, "db", "succeeded", 3, Some("50"), &[d1, d2]);
    run(&mut sql, "api", "cancelled", 4, None, &[]);
    sql
}

fn jobs_dir(root: &Path) -> std::path::PathBuf {
    let jobs = root.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("a.toml"),
        "[[workspace]]\nname = \"web\"\ndir = \".\"\n\n[[workspace]]\nname = \"db\"\ndir = \".\"\n",
    )
    .unwrap();
    std::fs::write(
        jobs.join("b.toml"),
        "[[workspace]]\nname = \"api\"\ndir = \".\"\n",
    )
    .unwrap();
    jobs
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

fn close_to(got: Decimal, want: Decimal, tolerance: &str) -> bool {
    (got - want).abs() <= Decimal::from_str(tolerance).unwrap()
}

/// The hand-worked figures, on the JSON of either store.
fn check_json(r: &Value) {
    assert_eq!(r["version"], "1");
    let ws = |name: &str| {
        r["workspaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["workspace"] == name)
            .unwrap_or_else(|| panic!("no {name} in {r}"))
            .clone()
    };
    let web = ws("web");
    assert_eq!(web["job_file"], "a.toml");
    assert_eq!(web["scans"], 6);
    assert_eq!(web["failed_scans"], 2);
    assert!((web["failure_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(web["drift_events"], 1);
    assert_eq!(web["resolved"], 2);
    assert_eq!(web["mean_time_to_resolve_seconds"], 1_080_000);
    assert_eq!(web["max_time_to_resolve_seconds"], 1_728_000);
    assert_eq!(web["open_drift_items"], 0);
    assert!(web["oldest_open_drift_seconds"].is_null());
    assert_eq!(dec(&web["monthly_cost_of_drift_now"]), Decimal::ZERO);
    let want = Decimal::from(3600) / Decimal::from(730);
    assert!(
        close_to(dec(&web["cost_of_drift_in_period"]), want, "0.0000001"),
        "{web}"
    );
    assert_eq!(web["period_cost_partly_unpriced"], false);
    assert_eq!(web["top_resource_type"], "aws_security_group");

    let db = ws("db");
    assert_eq!(db["scans"], 2);
    assert_eq!(db["drift_events"], 2);
    assert_eq!(db["resolved"], 0);
    assert!(db["mean_time_to_resolve_seconds"].is_null());
    assert_eq!(db["open_drift_items"], 2);
    let age = db["oldest_open_drift_seconds"].as_i64().unwrap();
    assert!((6 * 86_400..6 * 86_400 + 600).contains(&age), "{age}");
    assert_eq!(dec(&db["monthly_cost_of_drift_now"]), Decimal::from(50));
    let want = Decimal::from(50 * 72) / Decimal::from(730);
    assert!(
        close_to(dec(&db["cost_of_drift_in_period"]), want, "0.01"),
        "{db}"
    );
    assert_eq!(db["period_cost_partly_unpriced"], true);

    let api = ws("api");
    assert_eq!(api["job_file"], "b.toml");
    assert_eq!(api["scans"], 0);
    assert!(api["failure_rate"].is_null());

    let a = &r["job_files"][0];
    assert_eq!(a["name"], "a.toml");
    assert_eq!(a["workspaces"], 2);
    assert_eq!(a["scans"], 8);
    assert_eq!(a["failed_scans"], 2);
    assert_eq!(a["failure_rate"], 0.25);
    assert_eq!(a["drift_events"], 3);
    assert_eq!(a["mean_time_to_resolve_seconds"], 1_080_000);
    assert_eq!(a["open_drift_items"], 2);
    assert_eq!(a["drifted_workspaces"], 1);
    assert_eq!(dec(&a["monthly_cost_of_drift_now"]), Decimal::from(50));
    assert_eq!(r["job_files"][1]["name"], "b.toml");
    assert_eq!(r["totals"]["workspaces"], 3);
    assert_eq!(r["totals"]["scans"], 8);

    let types: Vec<(String, u64)> = r["top_resource_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["resource_type"].as_str().unwrap().to_string(),
                t["drift_events"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("aws_db_instance".to_string(), 2),
            ("aws_security_group".to_string(), 1)
        ]
    );
    let attrs: Vec<(String, String, u64)> = r["top_attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["resource_type"].as_str().unwrap().to_string(),
                t["attribute"].as_str().unwrap().to_string(),
                t["drift_events"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        attrs,
        [
            ("aws_db_instance", "tags.team", 2),
            ("aws_db_instance", "instance_class", 1),
            ("aws_security_group", "ingress[*].cidr_blocks[*]", 1),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
    );
}

async fn write_scenario_sqlite(path: &Path, t: DateTime<Utc>) {
    let store = Store::open(&path.display().to_string()).await.unwrap();
    store.close().await;
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::raw_sql(&scenario_sql(t))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[test]
fn report_figures_formats_and_errors_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = jobs_dir(dir.path());
    let db = dir.path().join("driftcost.db");
    let t = Utc::now();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(write_scenario_sqlite(&db, t));
    let since = (t - TimeDelta::days(10)).to_rfc3339();
    let store = db.display().to_string();
    let jobs_s = jobs.display().to_string();
    let base = [
        "report", "--store", &store, "--jobs", &jobs_s, "--since", &since,
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        driftcost(&args)
    };

    let (code, out, err) = run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    check_json(&serde_json::from_str(&out).unwrap());
    // Nothing on stderr: no sqlx statement logs (slow ones were WARN lines).
    assert_eq!(err, "", "report stderr must be empty");

    // CSV: one row per workspace, the figures as above.
    let (code, out, err) = run(&["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    let web = records
        .iter()
        .find(|r| &r[col("workspace")] == "web")
        .unwrap();
    assert_eq!(&web[col("scans")], "6");
    assert_eq!(&web[col("job_file")], "a.toml");
    assert_eq!(&web[col("mean_time_to_resolve_seconds")], "1080000");
    let cost = Decimal::from_str(&web[col("cost_of_drift_in_period_usd")]).unwrap();
    assert!(close_to(
        cost,
        Decimal::from(3600) / Decimal::from(730),
        "0.0000001"
    ));
    let api = records
        .iter()
        .find(|r| &r[col("workspace")] == "api")
        .unwrap();
    assert_eq!(&api[col("failure_rate")], "", "unknown is empty, not 0");

    let (code, out, err) = run(&["--format", "csv", "--by", "job-file"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("job_file,workspaces,scans,"), "{out}");
    assert!(out.contains("\na.toml,2,8,2,0.25,3,"), "{out}");

    // Parquet: read back with polars' own reader.
    let pq = dir.path().join("fleet.parquet");
    let (code, _, err) = run(&["--format", "parquet", "--out", &pq.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let file = std::fs::File::open(&pq).unwrap();
    use polars::prelude::SerReader;
    let df = polars::prelude::ParquetReader::new(file).finish().unwrap();
    assert_eq!(df.height(), 3);
    let scans = df.column("scans").unwrap();
    use polars::prelude::ChunkAgg;
    assert_eq!(scans.u64().unwrap().sum(), Some(8));
    assert!(matches!(
        df.column("monthly_cost_of_drift_now_usd").unwrap().dtype(),
        polars::prelude::DataType::Decimal(_, _)
    ));

    // Table and HTML carry the same figures, rounded to cents for people.
    let (code, out, err) = run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4.93"), "3600/730 = 4.93…\n{out}");
    assert!(out.contains("unpriced"), "{out}");
    assert!(out.contains("tags.team"), "{out}");
    let html = dir.path().join("r.html");
    let (code, _, err) = run(&["--format", "html", "--out", &html.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<th scope=\"row\">web</th>"), "{page}");
    assert!(page.contains("ingress[*].cidr_blocks[*]"));

    // Errors: exit 1, saying what to do; nothing written.
    let (code, _, err) = run(&["--format", "parquet"]);
    assert_eq!(code, 1);
    assert!(err.contains("--out"), "{err}");
    let (code, _, err) = driftcost(&[
        "report", "--store", &store, "--jobs", &jobs_s, "--since", "lately",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--since") && err.contains("30d"), "{err}");
    let missing = dir.path().join("nope.db").display().to_string();
    let (code, _, err) = driftcost(&["report", "--store", &missing]);
    assert_eq!(code, 1);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!Path::new(&missing).exists());
    let (code, _, err) = run(&["--format", "json", "--out", "/nonexistent-dir/r.json"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent-dir"), "{err}");
}

#[test]
fn html_report_escapes_hostile_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let t = Utc::now();
    let hostile = "<script>alert(1)</script>";
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&db.display().to_string()).await.unwrap();
        store.close().await;
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display()))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO runs (workspace, triggered_by, status, queued_at, finished_at, drift_count) VALUES ($1, 'api', 'succeeded', $2, $2, 0)",
        )
        .bind(hostile)
        .bind(ts(t - TimeDelta::hours(1)))
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
    let (code, out, err) = driftcost(&[
        "report",
        "--store",
        &db.display().to_string(),
        "--jobs",
        &dir.path().join("jobs").display().to_string(),
        "--format",
        "html",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(hostile));
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn report_figures_on_postgres_and_over_the_api() {
    let Some(db) = FreshDb::new("report_figures_on_postgres_and_over_the_api").await else {
        return;
    };
    let t = Utc::now();
    let store = Store::open(&db.url).await.unwrap();
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(&scenario_sql(t))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let files = |w: &str| match w {
        "web" | "db" => Some("a.toml".to_string()),
        "api" => Some("b.toml".to_string()),
        _ => None,
    };
    let report = FleetReport::load(&store, t - TimeDelta::days(10), &files)
        .await
        .unwrap();
    check_json(&serde_json::to_value(&report).unwrap());

    // GET /v1/report: the same document, for a read token.
    let token = store
        .create_token(driftcost::store::Role::Read, "grafana")
        .await
        .unwrap();
    let backend = std::sync::Arc::new(
        driftcost::api::StoreBackend::new(store.clone(), ["web".into(), "db".into(), "api".into()])
            .with_job_files([
                ("web".to_string(), "a.toml".to_string()),
                ("db".to_string(), "a.toml".to_string()),
                ("api".to_string(), "b.toml".to_string()),
            ]),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(driftcost::api::serve_listener(
        listener,
        backend,
        shutdown.clone(),
    ));
    let http = reqwest::Client::new();
    let since = (t - TimeDelta::days(10)).to_rfc3339();
    let r = http
        .get(format!("{base}/v1/report"))
        .query(&[("since", since.as_str())])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    check_json(&r.json().await.unwrap());
    let r = http
        .get(format!("{base}/v1/report?since=soon"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::BAD_REQUEST);
    let r = http.get(format!("{base}/v1/report")).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::UNAUTHORIZED);
    shutdown.cancel();
    task.await.unwrap().unwrap();
    store.close().await;
    db.drop_db().await;
}

// ---- drift episodes kept as runs complete = episodes computed from history

/// A drift item with one attribute change, as the drift engine stores it.
fn drift_item(fp: &str, rtype: &str, path: &str) -> driftcost::drift::DriftItem {
    serde_json::from_value(serde_json::json!({
        "address": format!("{rtype}.{fp}"), "resource_type": rtype, "name": fp,
        "kind": "changed", "cause": "changed_outside_terraform",
        "changes": [{"path": path, "before": {"kind": "value", "value": "a"},
                     "after": {"kind": "value", "value": "b"}, "sensitive": false,
                     "fingerprint": format!("{fp}-{path}")}],
        "fingerprint": fp,
    }))
    .unwrap()
}

/// Runs through the queue as the worker records them: two workspaces
/// interleaved, hours back from `t`, failed and timed-out runs in between.
/// `a`: x · failed · x · none · x+y · timed out · y · y ($7)
/// `b`: z ($3) · z · failed · (nothing after: z open)
async fn complete_runs(store: &Store, t: DateTime<Utc>) {
    use driftcost::drift::CostEffect;
    use driftcost::store::{RunResult, RunStatus, Trigger};
    type Step = (
        &'static str,
        Option<RunStatus>,
        &'static [&'static str],
        Option<i64>,
    );
    let steps: &[Step] = &[
        ("a", None, &["x"], None),
        ("b", None, &["z"], Some(3)),
        ("a", Some(RunStatus::Failed), &[], None),
        ("a", None, &["x"], Some(2)),
        ("b", None, &["z"], Some(3)),
        ("a", None, &[], None),
        ("a", None, &["x", "y"], Some(5)),
        ("b", Some(RunStatus::Failed), &[], None),
        ("a", Some(RunStatus::TimedOut), &[], None),
        ("a", None, &["y"], None),
        ("a", None, &["y"], Some(7)),
    ];
    let n = steps.len() as i64;
    for (i, (ws, failed, fps, cost)) in steps.iter().enumerate() {
        let (_, _) = store.enqueue(ws, Trigger::Api, None).await.unwrap();
        let claimed = store
            .claim("w1", std::time::Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let at = t - TimeDelta::hours(10 * (n - i as i64));
        let mut result = RunResult::bare(
            failed.unwrap_or(RunStatus::Succeeded),
            at - TimeDelta::seconds(30),
            at,
            failed.map(|_| "terraform failed".to_string()),
        );
        if failed.is_none() {
            result.drift_items = fps
                .iter()
                .map(|fp| drift_item(fp, "aws_instance", &format!("tags.{fp}")))
                .collect();
            if let (Some(c), Some(first)) = (cost, fps.first()) {
                result.costs.insert(
                    format!("aws_instance.{first}"),
                    CostEffect {
                        monthly_before: Some(Decimal::ZERO),
                        monthly_after: Some(Decimal::from(*c)),
                        unpriced_components: 0,
                    },
                );
            }
        }
        assert!(store.complete(claimed.id, "w1", &result).await.unwrap());
    }
}

/// The episodes of the whole history by the gaps-and-islands query the
/// report used before episodes were kept: (workspace, fingerprint, first, resolved).
const ISLANDS: &str = "WITH s AS (SELECT id, workspace, finished_at, \
    ROW_NUMBER() OVER (PARTITION BY workspace ORDER BY id) AS rn FROM runs WHERE status = 'succeeded'), \
    i AS (SELECT s.workspace, d.fingerprint, s.rn, \
          s.rn - ROW_NUMBER() OVER (PARTITION BY s.workspace, d.fingerprint ORDER BY s.rn) AS island \
          FROM drift_items d JOIN s ON s.id = d.run_id), \
    e AS (SELECT workspace, fingerprint, MIN(rn) AS first_rn, MAX(rn) AS last_rn FROM i \
          GROUP BY workspace, fingerprint, island) \
    SELECT e.workspace, e.fingerprint, f.finished_at AS first_at, r.finished_at AS resolved_at \
    FROM e JOIN s f ON f.workspace = e.workspace AND f.rn = e.first_rn \
    LEFT JOIN s r ON r.workspace = e.workspace AND r.rn = e.last_rn + 1";

/// Forgets every kept episode, span and mark, as in a store written before
/// migration 0009: the next report folds the history again.
const FORGET: &str = "DELETE FROM drift_episodes; DELETE FROM drift_spans; \
    DELETE FROM drift_episode_marks; UPDATE drift_fold_state SET swept_through = 0;";

type Episode = (String, String, DateTime<Utc>, Option<DateTime<Utc>>);

/// What the report reads, in one order, comparable.
async fn read_input(
    store: &Store,
    since: DateTime<Utc>,
) -> (
    Vec<Episode>,
    Vec<(
        String,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<Decimal>,
    )>,
    Vec<(String, DateTime<Utc>, i64)>,
    std::collections::BTreeMap<(String, String), DateTime<Utc>>,
    Vec<Vec<String>>,
) {
    let input = store.report_input(since).await.unwrap();
    let mut episodes: Vec<Episode> = input
        .episodes
        .iter()
        .map(|e| {
            (
                e.workspace.clone(),
                e.fingerprint.clone(),
                e.first_at,
                e.resolved_at,
            )
        })
        .collect();
    episodes.sort();
    let attributes = input
        .episodes
        .iter()
        .map(|e| e.attributes.clone())
        .collect();
    let mut runs: Vec<_> = input
        .drift_runs
        .iter()
        .map(|r| (r.workspace.clone(), r.finished_at, r.next_at, r.cost_delta))
        .collect();
    runs.sort();
    let mut latest: Vec<_> = input
        .latest
        .iter()
        .map(|l| (l.workspace.clone(), l.finished_at, l.drift_count))
        .collect();
    latest.sort();
    (
        episodes,
        runs,
        latest,
        input.first_seen.into_iter().collect(),
        attributes,
    )
}

async fn episodes_match_history(
    store: &Store,
    t: DateTime<Utc>,
    islands: Vec<Episode>,
    forget: impl AsyncFn(),
) {
    let at = |i: i64| t - TimeDelta::hours(10 * (11 - i));
    let all = t - TimeDelta::days(30);
    let mid = at(5); // after `a`'s second x began: open when this period begins
    let kept_all = read_input(store, all).await;
    let kept_mid = read_input(store, mid).await;

    // By hand: `a`'s x from run 0 to run 5 (the failed run 2 does not break
    // it), x again from 6 to 9, y from 6 (open); `b`'s z from 1 (open).
    let want: Vec<Episode> = vec![
        ("a".into(), "x".into(), at(0), Some(at(5))),
        ("a".into(), "x".into(), at(6), Some(at(9))),
        ("a".into(), "y".into(), at(6), None),
        ("b".into(), "z".into(), at(1), None),
    ];
    assert_eq!(kept_all.0, want);
    let mut islands = islands;
    islands.sort();
    assert_eq!(
        kept_all.0, islands,
        "kept episodes differ from the history's islands"
    );
    assert_eq!(
        kept_all.1,
        vec![
            ("a".into(), at(0), Some(at(3)), None),
            ("a".into(), at(3), Some(at(5)), Some(Decimal::from(2))),
            ("a".into(), at(6), Some(at(9)), Some(Decimal::from(5))),
            ("a".into(), at(9), Some(at(10)), None),
            ("a".into(), at(10), None, Some(Decimal::from(7))),
            ("b".into(), at(1), Some(at(4)), Some(Decimal::from(3))),
            ("b".into(), at(4), None, Some(Decimal::from(3))),
        ],
        "spans: each drifting succeeded run until the next succeeded one"
    );
    assert_eq!(
        kept_all.2,
        vec![("a".into(), at(10), 1), ("b".into(), at(4), 1)]
    );
    assert!(
        kept_all
            .4
            .iter()
            .all(|a| a.len() == 1 && a[0].starts_with("tags."))
    );
    // Open when the mid period began: `a`'s first x (resolved at 5, in it) and
    // `b`'s z; their first sightings go back to run 0 and run 1.
    assert_eq!(kept_mid.3.get(&("b".into(), "z".into())), Some(&at(1)));
    assert_eq!(kept_mid.3.get(&("a".into(), "x".into())), Some(&at(0)));

    // Computed again from the history alone: the same.
    forget().await;
    assert_eq!(read_input(store, all).await, kept_all);
    forget().await;
    assert_eq!(read_input(store, mid).await, kept_mid);
}

#[tokio::test]
async fn episodes_kept_as_runs_complete_equal_the_history_on_sqlite() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("driftcost.db");
    let url = format!("sqlite:{}", path.display());
    let store = Store::open(&path.display().to_string()).await.unwrap();
    let t = Utc::now().trunc_subsecs(6); // the store keeps microseconds
    complete_runs(&store, t).await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let islands: Vec<Episode> = sqlx::query_as(ISLANDS).fetch_all(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let forget = async || {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(FORGET).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    };
    episodes_match_history(&store, t, islands, forget).await;
    store.close().await;
}

#[tokio::test]
async fn episodes_kept_as_runs_complete_equal_the_history_on_postgres() {
    use sqlx::Connection;
    let Some(db) =
        FreshDb::new("episodes_kept_as_runs_complete_equal_the_history_on_postgres").await
    else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    let t = Utc::now().trunc_subsecs(6); // the store keeps microseconds
    complete_runs(&store, t).await;
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let islands: Vec<Episode> = sqlx::query_as(ISLANDS).fetch_all(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let url = db.url.clone();
    let forget = async || {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(FORGET).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    };
    episodes_match_history(&store, t, islands, forget).await;
    store.close().await;
    db.drop_db().await;
}
