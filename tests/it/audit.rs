//! The audit trail: every action that exists today is recorded (tokens
//! created and revoked from the CLI, scans triggered over the API and by the
//! scheduler, refused triggers), with who (label and role, never the token),
//! from where, what and the result; filters on the CLI and `GET /v1/audit`;
//! `audit verify` names entries changed or removed straight in the database,
//! on SQLite and PostgreSQL.

use crate::support::cli::driftcost;
use crate::support::servers::FreshDb;
use driftcost::api::{self, StoreBackend};
use driftcost::schedule::ScheduleSink;
use driftcost::store::{
    AuditAction, AuditEvent, AuditFilter, AuditProblem, AuditResult, AuditVia, Role, Store,
};
use driftcost::worker::StoreSink;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;
use std::path::Path;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

fn store_arg(path: &Path) -> String {
    path.display().to_string()
}

fn audit_lines(store: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "list", "--store", store, "--json"];
    args.extend(extra);
    let (code, out, err) = driftcost(&args);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn token_create_list_and_revoke_are_audited_without_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let store = store_arg(&db);
    let (code, secret, err) = driftcost(&[
        "token", "create", "--store", &store, "--role", "trigger", "--label", "ci-bot",
    ]);
    assert_eq!(code, 0, "{err}");
    let secret = secret.trim().to_string();
    assert!(secret.starts_with("dct_"));

    let (code, out, err) = driftcost(&["token", "list", "--store", &store, "--json"]);
    assert_eq!(code, 0, "{err}");
    let listed: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(listed["label"], "ci-bot");
    assert_eq!(listed["role"], "trigger");
    assert!(listed["revoked_at"].is_null());
    assert!(!out.contains(&secret));

    let (code, _, err) = driftcost(&["token", "revoke", "--store", &store, "1"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = driftcost(&["token", "list", "--store", &store]);
    assert_eq!(code, 0);
    assert!(out.contains("ci-bot"), "{out}");
    // Revoking what is not live is an error, and the attempt is recorded.
    let (code, _, err) = driftcost(&["token", "revoke", "--store", &store, "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("no live token with id 1"), "{err}");

    let entries = audit_lines(&store, &[]);
    let summary: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
                e["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("token_revoked", "token 1", "failed"),
            ("token_revoked", "token 1", "ok"),
            ("token_created", "token 1", "ok"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    for e in &entries {
        assert_eq!(e["via"], "cli");
        assert_eq!(e["remote"], "local");
        assert!(e["actor"].as_str().unwrap().starts_with("cli:"), "{e}");
    }
    assert!(
        entries[2]["detail"]
            .as_str()
            .unwrap()
            .contains("role trigger"),
        "{}",
        entries[2]
    );
    // The secret is nowhere in the store, only its hash.
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(dir.path().join("store.db-wal")).unwrap_or_default();
    for b in [&bytes, &wal] {
        assert!(
            !b.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the token secret is in the store"
        );
    }
}

async fn serve(store: &Store) -> (String, CancellationToken, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let backend = Arc::new(StoreBackend::new(store.clone(), ["web".to_string()]));
    let shutdown = CancellationToken::new();
    let s = shutdown.clone();
    let task = tokio::spawn(async move {
        api::serve_listener(listener, backend, s).await.unwrap();
    });
    (base, shutdown, task)
}

#[tokio::test]
async fn api_scan_triggers_are_audited_with_label_role_and_peer_and_admin_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&store_arg(&dir.path().join("s.db")))
        .await
        .unwrap();
    let trigger = store.create_token(Role::Trigger, "ci-bot").await.unwrap();
    let read = store.create_token(Role::Read, "dashboard").await.unwrap();
    let admin = store.create_token(Role::Admin, "").await.unwrap();
    let (base, shutdown, task) = serve(&store).await;
    let http = reqwest::Client::new();

    let r = http
        .post(format!("{base}/v1/workspaces/web/scans"))
        .bearer_auth(&trigger)
        .body(r#"{"reason":"after deploy"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let r = http
        .post(format!("{base}/v1/workspaces/web/scans"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Only admin reads the trail.
    let r = http
        .get(format!("{base}/v1/audit"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = http
        .get(format!(
            "{base}/v1/audit?action=scan_triggered&workspace=web"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let entries = body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{body}");
    let denied = &entries[0];
    assert_eq!(denied["actor"], "dashboard");
    assert_eq!(denied["role"], "read");
    assert_eq!(denied["result"], "denied");
    assert_eq!(denied["remote"], "127.0.0.1");
    let ok = &entries[1];
    assert_eq!(ok["actor"], "ci-bot");
    assert_eq!(ok["role"], "trigger");
    assert_eq!(ok["via"], "api");
    assert_eq!(ok["remote"], "127.0.0.1");
    assert_eq!(ok["target"], "run 1");
    assert_eq!(ok["result"], "ok");
    assert!(ok["detail"].as_str().unwrap().contains("after deploy"));
    assert!(body["next"].is_null());

    // Filters: actor, paging, a future `since`, a bad action.
    let get = |q: &str| {
        let http = http.clone();
        let admin = admin.clone();
        let url = format!("{base}/v1/audit?{q}");
        async move {
            let r = http.get(url).bearer_auth(&admin).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, b) = get("actor=ci-bot").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["entries"].as_array().unwrap().len(), 1);
    let (_, b) = get("limit=1").await;
    assert_eq!(b["entries"].as_array().unwrap().len(), 1);
    assert_eq!(b["next"], 2);
    let (_, b) = get("limit=1&before=2").await;
    assert_eq!(b["entries"][0]["id"], 1);
    let (_, b) = get("since=2999-01-01T00:00:00Z").await;
    assert!(b["entries"].as_array().unwrap().is_empty());
    let (_, b) = get("until=1h").await;
    assert!(b["entries"].as_array().unwrap().is_empty(), "{b}");
    let (s, b) = get("action=scan").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("scan_triggered")
    );

    // Never a token in the trail.
    let all = store.audit().list(&AuditFilter::default()).await.unwrap();
    let text = serde_json::to_string(&all).unwrap();
    for t in [&trigger, &read, &admin] {
        assert!(!text.contains(t.as_str()));
    }
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn scheduler_firings_are_audited() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let sink = StoreSink(store.clone());
    let tick = "2026-05-01T06:00:00Z".parse().unwrap();
    sink.fire("web", tick).await.unwrap();
    sink.fire("web", tick).await.unwrap();
    let entries = store
        .audit()
        .list(&AuditFilter {
            actor: Some("scheduler".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    for e in &entries {
        assert_eq!(e.event.via, AuditVia::Schedule);
        assert_eq!(e.event.action, AuditAction::ScanTriggered);
        assert_eq!(e.event.workspace.as_deref(), Some("web"));
        assert_eq!(e.event.target.as_deref(), Some("run 1"));
    }
    assert!(
        entries[0]
            .event
            .detail
            .as_deref()
            .unwrap()
            .contains("already queued")
    );
}

async fn four_entries(store: &Store) {
    for (i, ws) in ["a", "b", "c", "d"].iter().enumerate() {
        store
            .audit()
            .record(
                AuditEvent::new(format!("user{i}"), AuditVia::Page, AuditAction::SignIn)
                    .workspace(*ws)
                    .remote("10.0.0.7"),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn audit_verify_names_entries_changed_or_removed_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let url = store_arg(&db);
    let store = Store::open(&url).await.unwrap();
    four_entries(&store).await;
    store.close().await;

    let (code, out, err) = driftcost(&["audit", "verify", "--store", &url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("4 entries"), "{out}");
    let head = out
        .split("head ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{url}"))
        .await
        .unwrap();
    // The table refuses changes as it stands.
    let refused = sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE id = 3")
            .execute(&mut conn)
            .await
            .is_err()
    );
    // Someone with the file drops the guards and edits history.
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    let (code, out, _) = driftcost(&["audit", "verify", "--store", &url]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("entry 2 was changed"), "{out}");

    sqlx::query("DELETE FROM audit_log WHERE id = 3")
        .execute(&mut conn)
        .await
        .unwrap();
    let (code, out, _) = driftcost(&["audit", "verify", "--store", &url]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("entry 3 was removed"), "{out}");

    // Removing the newest entry leaves no gap: the head kept elsewhere catches it.
    sqlx::query("DELETE FROM audit_log WHERE id = 4")
        .execute(&mut conn)
        .await
        .unwrap();
    let (code, out, _) = driftcost(&["audit", "verify", "--store", &url, "--head", &head]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("entry 4 with the recorded head hash"), "{out}");
    conn.close().await.unwrap();

    let (code, _, err) = driftcost(&["audit", "verify", "--store", &url, "--head", "4:xyz"]);
    assert_eq!(code, 1);
    assert!(err.contains("--head"), "{err}");
}

#[test]
fn audit_list_filters_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = store_arg(&dir.path().join("s.db"));
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&url).await.unwrap();
        four_entries(&store).await;
        store
            .audit()
            .record(
                AuditEvent::new("ops", AuditVia::Api, AuditAction::ScanTriggered)
                    .workspace("b")
                    .result(AuditResult::Denied),
            )
            .await
            .unwrap();
        store.close().await;
    });
    assert_eq!(audit_lines(&url, &[]).len(), 5);
    let b = audit_lines(&url, &["--workspace", "b"]);
    assert_eq!(b.len(), 2);
    let signins = audit_lines(&url, &["--action", "sign_in", "--workspace", "b"]);
    assert_eq!(signins.len(), 1);
    assert_eq!(signins[0]["actor"], "user1");
    assert_eq!(audit_lines(&url, &["--actor", "ops"]).len(), 1);
    assert_eq!(audit_lines(&url, &["--limit", "2"]).len(), 2);
    assert_eq!(audit_lines(&url, &["--since", "1h"]).len(), 5);
    assert!(audit_lines(&url, &["--until", "1h"]).is_empty());
    let (code, _, err) = driftcost(&["audit", "list", "--store", &url, "--action", "login"]);
    assert_eq!(code, 1);
    assert!(err.contains("sign_in"), "{err}");
    let (code, _, err) = driftcost(&["audit", "list", "--store", &url, "--since", "yesterday"]);
    assert_eq!(code, 1);
    assert!(err.contains("--since") && err.contains("30d"), "{err}");
}

#[tokio::test]
async fn postgres_trail_filters_verifies_and_detects_tampering() {
    let Some(db) = FreshDb::new("postgres_trail_filters_verifies_and_detects_tampering").await
    else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    // Writers at once still make one unbroken chain.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.audit()
                .record(
                    AuditEvent::new(
                        format!("w{i}"),
                        AuditVia::Schedule,
                        AuditAction::ScanTriggered,
                    )
                    .workspace(if i % 2 == 0 { "even" } else { "odd" }),
                )
                .await
                .unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = store.audit().verify(None).await.unwrap();
    assert_eq!(v.entries, 8);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let even = store
        .audit()
        .list(&AuditFilter {
            workspace: Some("even".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(even.len(), 4);

    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'x' WHERE id = 5")
            .execute(&mut conn)
            .await
            .is_err()
    );
    sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET result = 'denied' WHERE id = 5")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE id = 7")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let v = store.audit().verify(None).await.unwrap();
    assert_eq!(
        v.problems,
        vec![
            AuditProblem::Changed { id: 5 },
            AuditProblem::Removed { first: 7, last: 7 }
        ]
    );
    let (code, out, _) = driftcost(&["audit", "verify", "--store", &db.url]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("entry 5 was changed") && out.contains("entry 7 was removed"));
    store.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn pull_request_plans_queued_by_the_github_webhook_are_audited() {
    use driftcost::api::{GithubWebhook, github_signature};
    use driftcost::comment::PrJobQueue;
    let store = Store::open("sqlite::memory:").await.unwrap();
    let secret = b"whsec-audit".to_vec();
    // Nobody works the queue here: only what the route records matters.
    let (queue, _jobs) = PrJobQueue::bounded(4);
    let webhook = GithubWebhook::new("DRIFTCOST_GITHUB_WEBHOOK_SECRET", secret.clone(), queue)
        .audited(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(api::serve_listener_with(
        listener,
        Arc::new(StoreBackend::new(store.clone(), Vec::<String>::new())),
        webhook,
        shutdown.clone(),
    ));
    let body = serde_json::json!({
        "action": "opened",
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": "a".repeat(40)},
            "head": {"ref": "bigger", "sha": "b".repeat(40)},
        },
        "repository": {"full_name": "acme/infra", "clone_url": "https://github.com/acme/infra.git"},
        "sender": {"login": "octocat"},
    })
    .to_string();
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/github/webhook"))
        .header("content-type", "application/json")
        .header("x-github-event", "pull_request")
        .header("x-github-delivery", "d-1")
        .header(
            "x-hub-signature-256",
            github_signature(&secret, body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let entries = store.audit().list(&AuditFilter::default()).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0].event;
    assert_eq!(e.actor, "github:octocat");
    assert_eq!(e.via, AuditVia::Webhook);
    assert_eq!(e.action, AuditAction::ScanTriggered);
    assert_eq!(e.remote.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        e.target.as_deref(),
        Some(format!("acme/infra#7 at {}", "b".repeat(40)).as_str())
    );
    shutdown.cancel();
    task.await.unwrap().unwrap();
}

/// The worker opens an issue for new drift and closes it when the drift is
/// gone (GitHub is a local wiremock server); both land in the trail.
#[tokio::test]
async fn github_issues_opened_and_closed_by_the_worker_are_audited() {
    use driftcost::jobs::JobFile;
    use driftcost::notify::NotificationKind;
    use driftcost::store::{NewOutboxMessage, RunResult, RunStatus, Trigger};
    use driftcost::worker::{Catalog, dispatch};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN_ENV: &str = "DRIFTCOST_AUDIT_TEST_GH_TOKEN";
    // SAFETY: only this test reads this variable.
    unsafe { std::env::set_var(TOKEN_ENV, "ghp_audit_test") };
    let github = MockServer::start().await;
    let marker = "<!-- driftcost:workspace=db-prod -->";
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .up_to_n_times(1)
        .mount(&github)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "number": 7, "html_url": "https://github.example.com/acme/infra/issues/7"
        })))
        .mount(&github)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"number": 7, "title": "driftcost: drift in workspace db-prod", "body": marker, "html_url": "x"}
        ])))
        .mount(&github)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues/7/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 1})))
        .mount(&github)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"number": 7})))
        .mount(&github)
        .await;

    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("jobs.toml");
    std::fs::write(
        &job,
        format!(
            "[[workspace]]\nname = \"db-prod\"\ndir = \".\"\nnotify = [\"gh\"]\n\n\
             [notify.gh]\nkind = \"github_issue\"\nrepo = \"acme/infra\"\ntoken_env = \"{TOKEN_ENV}\"\nbase_url = \"{}\"\n",
            github.uri()
        ),
    )
    .unwrap();
    let file = JobFile::load(&job).unwrap();
    let catalog = Catalog::new(std::slice::from_ref(&file));
    let store = Store::open("sqlite::memory:").await.unwrap();
    for (i, kind) in [
        NotificationKind::DriftDetected,
        NotificationKind::DriftResolved,
    ]
    .into_iter()
    .enumerate()
    {
        let (run, _) = store.enqueue("db-prod", Trigger::Api, None).await.unwrap();
        store
            .claim("w1", std::time::Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let now = chrono::Utc::now();
        let mut result = RunResult::bare(RunStatus::Succeeded, now, now, None);
        let n = crate::support::notify::notification(kind, "db-prod", &run.to_string());
        result.notifications.push(NewOutboxMessage {
            target: "gh".into(),
            kind: kind.as_str().into(),
            payload: serde_json::to_value(&n).unwrap(),
            idempotency_key: format!("k{i}"),
        });
        assert!(store.complete(run, "w1", &result).await.unwrap());
        let (sent, failed) =
            dispatch(&store, &catalog, "w1", std::time::Duration::from_secs(60)).await;
        assert_eq!((sent, failed), (1, 0));
    }
    let entries = store.audit().list(&AuditFilter::default()).await.unwrap();
    let got: Vec<(AuditAction, Option<String>, String, Option<String>)> = entries
        .iter()
        .map(|e| {
            (
                e.event.action,
                e.event.workspace.clone(),
                e.event.actor.clone(),
                e.event.target.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                AuditAction::IssueClosed,
                Some("db-prod".into()),
                "w1".into(),
                Some("acme/infra#7".into())
            ),
            (
                AuditAction::IssueOpened,
                Some("db-prod".into()),
                "w1".into(),
                Some("https://github.example.com/acme/infra/issues/7".into())
            ),
        ]
    );
    assert!(entries.iter().all(|e| e.event.via == AuditVia::Worker));
}

// ---- notification_target_changed

/// Writes `jobs/a.toml` with the given `[notify.*]` sections (one workspace
/// notifying all of them) and loads the directory as the worker does.
fn job_files(dir: &Path, targets: &[(&str, &str)]) -> Vec<driftcost::jobs::JobFile> {
    let jobs = dir.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    let names: Vec<String> = targets.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let mut text = format!(
        "[[workspace]]\nname = \"prod\"\ndir = \".\"\nnotify = [{}]\n",
        names.join(", ")
    );
    for (name, body) in targets {
        text.push_str(&format!("\n[notify.{name}]\n{body}\n"));
    }
    std::fs::write(jobs.join("a.toml"), text).unwrap();
    driftcost::jobs::load_dir(&jobs).unwrap()
}

/// Loads job files whose targets change (added, changed, removed, the same)
/// and checks the trail names what changed (destinations by env var name).
async fn notification_target_changes_are_audited(store: &Store, dir: &Path) {
    let slack = "kind = \"slack\"\nurl_env = \"DC_AUDIT_TEST_SLACK_URL\"";
    let slack2 = "kind = \"slack\"\nurl_env = \"DC_AUDIT_TEST_SLACK_URL_2\"";
    let hook = "kind = \"webhook\"\nurl_env = \"DC_AUDIT_TEST_HOOK_URL\"\nsecret_env = \"DC_AUDIT_TEST_HOOK_SECRET\"";
    let note = async |targets: &[(&str, &str)]| {
        store
            .note_notification_targets(
                &job_files(dir, targets),
                "worker (cli:test)",
                AuditVia::Worker,
            )
            .await
            .unwrap()
    };
    let first = note(&[("chat", slack)]).await;
    assert_eq!(first.len(), 1);
    let e = &first[0].event;
    assert_eq!(e.action, AuditAction::NotificationTargetChanged);
    assert_eq!(e.via, AuditVia::Worker);
    assert_eq!(e.actor, "worker (cli:test)");
    assert!(e.target.as_deref().unwrap().ends_with("a.toml"), "{e:?}");
    assert_eq!(
        e.detail.as_deref(),
        Some("first seen: added chat (slack ($DC_AUDIT_TEST_SLACK_URL))")
    );
    // Loaded again unchanged: nothing recorded.
    assert!(note(&[("chat", slack)]).await.is_empty());
    // A destination changed (by env var name) and a target added.
    let changed = note(&[("chat", slack2), ("hook", hook)]).await;
    assert_eq!(changed.len(), 1);
    let detail = changed[0].event.detail.clone().unwrap();
    assert!(
        detail.contains(
            "changed chat (slack ($DC_AUDIT_TEST_SLACK_URL) → slack ($DC_AUDIT_TEST_SLACK_URL_2))"
        ),
        "{detail}"
    );
    assert!(detail.contains("added hook"), "{detail}");
    // One removed.
    let removed = note(&[("hook", hook)]).await;
    assert_eq!(
        removed[0].event.detail.as_deref(),
        Some("removed chat (slack ($DC_AUDIT_TEST_SLACK_URL_2))")
    );
    // The trail lists them, filtered by action, and still verifies.
    let listed = store
        .audit()
        .list(&AuditFilter {
            action: Some(AuditAction::NotificationTargetChanged),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);
    assert!(
        store
            .audit()
            .verify(None)
            .await
            .unwrap()
            .problems
            .is_empty()
    );
}

#[tokio::test]
async fn notification_target_changes_are_audited_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&store_arg(&dir.path().join("store.db")))
        .await
        .unwrap();
    notification_target_changes_are_audited(&store, dir.path()).await;
    store.close().await;
}

#[tokio::test]
async fn notification_target_changes_are_audited_on_postgres() {
    let Some(db) = FreshDb::new("notification_target_changes_are_audited_on_postgres").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db.url).await.unwrap();
    notification_target_changes_are_audited(&store, dir.path()).await;
    store.close().await;
    db.drop_db().await;
}
