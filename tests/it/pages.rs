//! The web pages of `serve`, in a real headless Chromium (Debian's
//! `chromium` + `chromium-driver`, installed by `scripts/test-servers.sh
//! install`) against a real SQLite store whose runs a real worker recorded
//! from a real terraform scan: sign-in through the form, a notification's
//! link followed, every page loaded without console errors and without
//! horizontal scrolling at 400 px, screenshots under `target/screenshots/`;
//! plus CSRF refusal, cookie flags, roles and HTML escaping over plain HTTP.
//!
//! The WebDriver client is the few W3C commands used here, over the
//! `reqwest` the tests already build (no second HTTP/TLS stack).

use crate::support;
use driftcost::api::{StoreBackend, serve_listener};
use driftcost::store::{Role, RunResult, RunStatus, Store, Trigger};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const HOSTILE_WS: &str = "<img src=x onerror=alert(1)>\"'&ws";
const HOSTILE_VALUE: &str = "<script>alert('owned')</script>";

/// A chromedriver process and one browser session in it.
struct Browser {
    http: reqwest::Client,
    base: String,
    driver: Child,
}

fn find_chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    async fn start() -> Browser {
        let driver = find_chromedriver().expect(
            "chromedriver not found: run `scripts/test-servers.sh install` (Debian packages chromium and chromium-driver)",
        );
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{root}/status")).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--no-first-run", "--disable-extensions"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v: Value = http
            .post(format!("{root}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {v}"))
            .to_string();
        Browser {
            http,
            base: format!("{root}/session/{session}"),
            driver: child,
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("WebDriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.cmd(reqwest::Method::GET, path, None).await
    }

    async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    async fn url(&self) -> String {
        self.get("/url").await.as_str().unwrap().to_string()
    }

    /// The URL once it satisfies `ok` (a click's navigation may still be on its way).
    async fn wait_url(&self, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url().await;
            let ready = self.js("return document.readyState;").await == "complete";
            if (ok(&url) && ready) || Instant::now() > deadline {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn js(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap()
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.post(&format!("/element/{el}/value"), json!({ "text": text }))
            .await;
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.post(&format!("/element/{el}/click"), json!({})).await;
    }

    async fn text(&self) -> String {
        self.js("return document.body.innerText;")
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Console messages at level SEVERE since the last call.
    async fn console_errors(&self) -> Vec<Value> {
        self.post("/se/log", json!({"type": "browser"}))
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["level"] == "SEVERE")
            .collect()
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        use base64::Engine;
        let png = self.get("/screenshot").await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Lays the page out as a phone 400 CSS pixels wide would.
    async fn phone_width(&self, width: u32) {
        self.post(
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setDeviceMetricsOverride",
                   "params": {"width": width, "height": 860, "deviceScaleFactor": 1, "mobile": true}}),
        )
        .await;
    }

    async fn desktop(&self) {
        self.post(
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}}),
        )
        .await;
    }

    async fn cookie(&self, name: &str) -> Option<Value> {
        self.get("/cookie")
            .await
            .as_array()?
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
    }

    async fn quit(mut self) {
        let _ = self.http.delete(&self.base).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `app`: a real scan by a real worker (drift: instance_type changed out of
/// band), then a failed run; and a hostile workspace recorded through the
/// store with hostile attribute paths and values.
struct Fleet {
    _tmp: tempfile::TempDir,
    store: Store,
    base: String,
    scan_run: i64,
    run_url: String,
    shutdown: CancellationToken,
    read_token: String,
    trigger_token: String,
    admin_token: String,
}

async fn fleet() -> Fleet {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let cloud = tmp.path().join("cloud");
    support::terraform::applied_instance(&ws, &cloud);
    let ids = support::terraform::state_ids(&ws);
    support::terraform::edit_cloud_object(&cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["instance_type"] = "t3.large".into()
    });
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[notify.hook]\nkind = \"webhook\"\nurl_env = \"DC_TEST_HOOK_URL\"\nsecret_env = \"DC_TEST_HOOK_KEY\"\n\n\
         [[workspace]]\nname = \"app\"\ndir = \"../ws\"\nnotify = [\"hook\"]\nschedule = \"0 3 * * *\"\n",
    )
    .unwrap();
    let db = tmp.path().join("driftcost.db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mirror = support::terraform::ensure_mirror();
    let hook_url = format!("{}/hook", hook.uri());
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--all", "--store"])
        .arg(&db)
        .arg("--jobs")
        .arg(&jobs)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("TF_DATA_DIR")
        .env("DC_TEST_HOOK_URL", &hook_url)
        .env("DC_TEST_HOOK_KEY", "k")
        .env("TMPDIR", tmp.path())
        .env("DRIFTCOST_PUBLIC_URL", format!("{base}/"))
        .output()
        .unwrap();
    let said = support::cli::text(&out);
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "worker failed\n{said}"
    );

    let requests = hook.received_requests().await.unwrap();
    let n: Value = serde_json::from_slice(&requests.first().expect("a notification").body).unwrap();
    let run_url = n["run_url"].as_str().expect("run_url").to_string();

    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
    let scan_run = runs[0].id;
    assert_eq!(runs[0].status, RunStatus::Succeeded);

    // A failed scan of `app` with terraform's error text (markup in it).
    let (id, _) = store.enqueue("app", Trigger::Manual, None).await.unwrap();
    let claimed = store
        .claim("t", Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, id);
    let now = chrono::Utc::now();
    let failed = RunResult::bare(
        RunStatus::Failed,
        now - chrono::TimeDelta::seconds(3),
        now,
        Some("Error: <b>Invalid provider configuration</b> on main.tf line 3".into()),
    );
    assert!(store.complete(id, "t", &failed).await.unwrap());

    // The hostile workspace: name, attribute path and values with markup.
    let (hid, _) = store
        .enqueue(HOSTILE_WS, Trigger::Manual, None)
        .await
        .unwrap();
    store
        .claim("t", Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let item: driftcost::drift::DriftItem = serde_json::from_value(json!({
        "address": format!("aws_instance.x[\"{HOSTILE_VALUE}\"]"),
        "resource_type": "aws_instance",
        "name": "x",
        "kind": "changed",
        "cause": "changed_outside_terraform",
        "changes": [{
            "path": format!("tags[\"{HOSTILE_VALUE}\"]"),
            "before": {"kind": "value", "value": "<b>old</b>"},
            "after": {"kind": "value", "value": HOSTILE_VALUE},
            "sensitive": false,
            "fingerprint": "f1"
        }],
        "fingerprint": "f0"
    }))
    .unwrap();
    let later = now + chrono::TimeDelta::seconds(2);
    let mut hostile = RunResult::bare(RunStatus::Succeeded, now, later, None);
    hostile.drift_items = vec![item];
    assert!(store.complete(hid, "t", &hostile).await.unwrap());

    let read_token = store.create_token(Role::Read, "reader").await.unwrap();
    let trigger_token = store.create_token(Role::Trigger, "operator").await.unwrap();
    let admin_token = store.create_token(Role::Admin, "auditor").await.unwrap();

    let files = driftcost::jobs::load_dir(&jobs);
    let backend = StoreBackend::new(store.clone(), ["app".to_string()]);
    let backend = match files {
        Ok(files) => backend.with_schedules(driftcost::worker::scheduled(&files)),
        Err(_) => backend,
    };
    let shutdown = CancellationToken::new();
    let s = shutdown.clone();
    tokio::spawn(async move { serve_listener(listener, Arc::new(backend), s).await });
    Fleet {
        _tmp: tmp,
        store,
        base,
        scan_run,
        run_url,
        shutdown,
        read_token,
        trigger_token,
        admin_token,
    }
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                s.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The `name=value` of a `Set-Cookie` header named `name`, and the whole header.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<(String, String)> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| (v.split(';').next().unwrap().to_string(), v.to_string()))
}

/// Signs in over plain HTTP (the form's own double-submit token): the
/// session cookie pair and the CSRF token of its forms.
async fn sign_in(base: &str, token: &str, tls: bool) -> (String, String, reqwest::Response) {
    let http = no_redirects();
    let mut get = http.get(format!("{base}/login"));
    if tls {
        get = get.header("x-forwarded-proto", "https");
    }
    let page = get.send().await.unwrap();
    let (login_cookie, _) = set_cookie(&page, "driftcost_login").expect("login cookie");
    let html = page.text().await.unwrap();
    let csrf = hidden(&html, "csrf");
    let mut post = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &login_cookie)
        .body(form(&[("token", token), ("csrf", &csrf), ("next", "/")]));
    if tls {
        post = post.header("x-forwarded-proto", "https");
    }
    let res = post.send().await.unwrap();
    assert_eq!(res.status(), 303, "sign-in with a valid token redirects");
    let (session, _) = set_cookie(&res, "driftcost_session").expect("session cookie");
    let home = http
        .get(format!("{base}/"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200);
    let csrf = hidden(&home.text().await.unwrap(), "csrf");
    (session, csrf, res)
}

fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no hidden {name} in {html}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_in_a_real_browser_sign_in_follow_a_link_and_fit_a_phone() {
    let f = fleet().await;
    assert_eq!(
        f.run_url,
        format!("{}/runs/{}", f.base, f.scan_run),
        "notifications link the page, not the JSON API"
    );
    let b = Browser::start().await;

    // The notification's link: sign-in first, then back to the run.
    b.goto(&f.run_url).await;
    let url = b.url().await;
    assert_eq!(
        url,
        format!("{}/login?next=%2Fruns%2F{}", f.base, f.scan_run),
        "{url}"
    );
    b.type_into("#token", &f.read_token).await;
    b.click("form.login button[type=submit]").await;
    assert_eq!(b.wait_url(|u| u == f.run_url).await, f.run_url);
    let text = b.text().await;
    for want in [
        &format!("Run #{} · app", f.scan_run),
        "aws_instance.web",
        "instance_type",
        "\"t3.large\"",
        "Cost of drift",
        "Timings (UTC)",
    ] {
        assert!(text.contains(want), "run page lacks {want:?}:\n{text}");
    }
    let session = b.cookie("driftcost_session").await.expect("session cookie");
    assert_eq!(session["httpOnly"], true, "{session}");
    assert_eq!(session["sameSite"], "Strict", "{session}");
    assert_eq!(session["secure"], false, "plain HTTP here: {session}");
    assert!(session["expiry"].as_i64().is_some(), "expiring: {session}");
    assert!(
        b.console_errors().await.is_empty(),
        "{:?}",
        b.console_errors().await
    );
    let shot = b.screenshot("run").await;
    eprintln!("screenshot: {}", shot.display());

    // The fleet: both workspaces, the hostile one as text, nothing injected.
    b.goto(&format!("{}/", f.base)).await;
    let text = b.text().await;
    assert!(text.contains("Fleet") && text.contains("app"), "{text}");
    assert!(
        text.contains(HOSTILE_WS),
        "hostile name shown as text:\n{text}"
    );
    assert!(text.contains("Open drift items per day") && text.contains("Failed scans per day"));
    assert!(
        text.contains("03:00 UTC"),
        "next scheduled run shown:\n{text}"
    );
    let injected = b
        .js("return document.querySelectorAll('script, img').length;")
        .await;
    assert_eq!(injected, 0);
    assert!(b.console_errors().await.is_empty());
    b.screenshot("fleet").await;

    // Sorting and the filter box, server-side.
    let names = "return Array.from(document.querySelectorAll('tbody th[scope=row] a')).map(a => a.textContent);";
    b.goto(&format!("{}/?sort=name&dir=desc", f.base)).await;
    assert_eq!(b.js(names).await, json!(["app", HOSTILE_WS]));
    // `app`'s latest run (the failed one) finished before the hostile one's.
    b.goto(&format!("{}/?sort=last_scan&dir=desc", f.base))
        .await;
    assert_eq!(b.js(names).await, json!([HOSTILE_WS, "app"]));
    b.click("thead th:nth-child(2) a").await;
    let url = b.wait_url(|u| u.ends_with("dir=asc")).await;
    assert!(url.ends_with("/?sort=last_scan&dir=asc"), "{url}");
    assert_eq!(b.js(names).await, json!(["app", HOSTILE_WS]));
    b.type_into("input[name=q]", "APP").await;
    b.click("form.filter button[type=submit]").await;
    b.wait_url(|u| u.contains("q=APP")).await;
    assert_eq!(b.js(names).await, json!(["app"]));

    // A workspace: open drift with its attribute path, charts, runs; a
    // `read` token sees no "Scan now".
    b.goto(&format!("{}/workspaces/app", f.base)).await;
    let text = b.text().await;
    for want in [
        "Workspace app",
        "Open drift",
        "instance_type",
        "Drift items per scan",
        "Cost of drift per scan",
        "failed",
    ] {
        assert!(
            text.contains(want),
            "workspace page lacks {want:?}:\n{text}"
        );
    }
    assert!(text.contains("needs a token with role “trigger”"), "{text}");
    let buttons = b
        .js("return Array.from(document.querySelectorAll('main button')).map(x => x.textContent);")
        .await;
    assert_eq!(buttons, json!([]));
    assert!(b.console_errors().await.is_empty());
    b.screenshot("workspace").await;

    // The hostile workspace's page, reached through its link.
    b.goto(&format!("{}/", f.base)).await;
    b.js("document.querySelectorAll('tbody th[scope=row] a')[0].click(); return 0;")
        .await;
    b.wait_url(|u| u.contains("/workspaces/%3C")).await;
    let text = b.text().await;
    assert!(text.contains(&format!("Workspace {HOSTILE_WS}")), "{text}");
    assert!(
        text.contains(HOSTILE_VALUE),
        "attribute value shown as text:\n{text}"
    );
    let injected = b
        .js("return document.querySelectorAll('script, img, b').length;")
        .await;
    assert_eq!(injected, 0);

    // The failed run shows terraform's error as text.
    let failed = f.store.list_runs(Some("app"), 1, None).await.unwrap()[0].id;
    b.goto(&format!("{}/runs/{failed}", f.base)).await;
    let text = b.text().await;
    assert!(text.contains("Terraform's error"), "{text}");
    assert!(
        text.contains("<b>Invalid provider configuration</b>"),
        "{text}"
    );

    // Every page at 400 px: nothing wider than the screen.
    b.phone_width(400).await;
    for path in [
        "/".to_string(),
        "/workspaces/app".to_string(),
        format!("/runs/{}", f.scan_run),
        format!("/runs/{failed}"),
        format!("/workspaces/{}", driftcost_path(HOSTILE_WS)),
    ] {
        b.goto(&format!("{}{path}", f.base)).await;
        let (scroll, inner) = (
            b.js("return document.documentElement.scrollWidth;").await,
            b.js("return window.innerWidth;").await,
        );
        assert_eq!(inner, 400, "{path}");
        assert!(
            scroll.as_i64().unwrap() <= 400,
            "{path} is {scroll} px wide at 400 px"
        );
        assert!(b.console_errors().await.is_empty(), "{path}");
    }
    b.goto(&format!("{}/", f.base)).await;
    b.screenshot("fleet-400px").await;
    b.goto(&format!("{}/runs/{}", f.base, f.scan_run)).await;
    b.screenshot("run-400px").await;
    b.desktop().await;

    // Sign out, sign in with a `trigger` token, press "Scan now".
    b.goto(&format!("{}/workspaces/app", f.base)).await;
    b.click("header form button").await;
    assert!(
        b.wait_url(|u| u.ends_with("/login"))
            .await
            .ends_with("/login")
    );
    b.goto(&format!("{}/login?next=/workspaces/app", f.base))
        .await;
    b.type_into("#token", &f.trigger_token).await;
    b.click("form.login button[type=submit]").await;
    let ws_url = format!("{}/workspaces/app", f.base);
    assert_eq!(b.wait_url(|u| u == ws_url).await, ws_url);
    b.click("main form button").await;
    let url = b.wait_url(|u| u.contains("/runs/")).await;
    let queued: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let run = f.store.get_run(queued).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Queued);
    assert_eq!(run.workspace, "app");
    assert!(b.text().await.contains("queued"));
    assert!(b.console_errors().await.is_empty());

    // The audit trail page, as an admin, on a phone.
    b.click("header form button").await;
    b.wait_url(|u| u.ends_with("/login")).await;
    b.goto(&format!("{}/login?next=%2Faudit", f.base)).await;
    b.type_into("#token", &f.admin_token).await;
    b.click("form.login button[type=submit]").await;
    let audit_url = format!("{}/audit", f.base);
    assert_eq!(b.wait_url(|u| u == audit_url).await, audit_url);
    b.phone_width(400).await;
    b.goto(&audit_url).await;
    let text = b.text().await;
    assert!(
        text.contains("Audit trail") && text.contains("Who"),
        "{text}"
    );
    // What people did through the pages is in the trail, by token label.
    let trail = f
        .store
        .audit()
        .list(&driftcost::store::AuditFilter::default())
        .await
        .unwrap();
    let did = |actor: &str, action: &str| {
        trail.iter().any(|e| {
            e.event.actor == actor
                && e.event.action.as_str() == action
                && e.event.via.as_str() == "page"
        })
    };
    assert!(did("operator", "sign_in"), "{trail:?}");
    assert!(did("operator", "scan_triggered"), "{trail:?}");
    assert!(did("auditor", "sign_in"), "{trail:?}");
    assert!(
        text.contains("operator") && text.contains("scan_triggered"),
        "the /audit page lists the trail: {text}"
    );
    let scroll = b.js("return document.documentElement.scrollWidth;").await;
    assert!(
        scroll.as_i64().unwrap() <= 400,
        "/audit is {scroll} px wide"
    );
    assert!(b.console_errors().await.is_empty());
    b.screenshot("audit-400px").await;

    b.quit().await;
    f.shutdown.cancel();
}

fn driftcost_path(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_need_their_csrf_token_roles_apply_and_cookies_are_flagged() {
    let f = fleet().await;
    let http = no_redirects();
    let base = &f.base;

    // Without a session: every page redirects to sign-in and back.
    let res = http
        .get(format!("{base}/runs/{}?x=1", f.scan_run))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/login?next=%2Fruns%2F{}%3Fx%3D1", f.scan_run).as_str()
    );
    let res = http
        .post(format!("{base}/workspaces/app/scan"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "no session: to sign-in, nothing queued");

    // The sign-in form itself needs its double-submit token.
    let res = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("token", &f.trigger_token), ("csrf", "1.2.3")]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(set_cookie(&res, "driftcost_session").is_none());

    // A wrong token: 401 with the form again, no session.
    let page = http.get(format!("{base}/login")).send().await.unwrap();
    let (login_cookie, flags) = set_cookie(&page, "driftcost_login").unwrap();
    assert!(
        flags.contains("HttpOnly") && flags.contains("SameSite=Strict"),
        "{flags}"
    );
    let csrf = hidden(&page.text().await.unwrap(), "csrf");
    let res = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &login_cookie)
        .body(form(&[("token", "dct_wrong"), ("csrf", &csrf)]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(set_cookie(&res, "driftcost_session").is_none());
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("That token is not valid")
    );

    // An off-site `next` is ignored.
    let page = http
        .get(format!("{base}/login?next=//evil.example/"))
        .send()
        .await
        .unwrap();
    let (login_cookie, _) = set_cookie(&page, "driftcost_login").unwrap();
    let html = page.text().await.unwrap();
    assert_eq!(hidden(&html, "next"), "/");

    // Over TLS (as the proxy says) the session cookie is Secure too.
    let (_, _, res) = sign_in(base, &f.read_token, true).await;
    let (_, flags) = set_cookie(&res, "driftcost_session").unwrap();
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Max-Age=28800",
        "Path=/",
    ] {
        assert!(flags.contains(flag), "{flags}");
    }
    let _ = login_cookie;

    // `read`: sees pages, cannot scan even with a valid CSRF token.
    let (read_session, read_csrf, _) = sign_in(base, &f.read_token, false).await;
    let post_scan = |session: String, body: String| {
        let http = http.clone();
        let url = format!("{base}/workspaces/app/scan");
        async move {
            http.post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", session)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    // The audit trail needs `admin`, as `GET /v1/audit` does.
    let audit = |session: String| {
        let http = http.clone();
        let url = format!("{base}/audit");
        async move {
            http.get(url)
                .header("cookie", session)
                .send()
                .await
                .unwrap()
        }
    };
    let res = audit(read_session.clone()).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("role `admin`"));
    let (admin_session, _, _) = sign_in(base, &f.admin_token, false).await;
    let res = audit(admin_session).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<th scope=\"col\">Who</th>"), "{html}");
    let before = f
        .store
        .list_runs(Some("app"), 100, None)
        .await
        .unwrap()
        .len();
    let res = post_scan(read_session.clone(), form(&[("csrf", &read_csrf)])).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("role `trigger`"));

    // `trigger`: refused without or with a wrong CSRF token, also another
    // session's; accepted with its own.
    let (session, csrf, _) = sign_in(base, &f.trigger_token, false).await;
    for body in [
        String::new(),
        form(&[("csrf", "0")]),
        form(&[("csrf", &read_csrf)]),
    ] {
        let res = post_scan(session.clone(), body.clone()).await;
        assert_eq!(res.status(), 403, "{body}");
        assert!(res.text().await.unwrap().contains("could not be accepted"));
    }
    assert_eq!(
        f.store
            .list_runs(Some("app"), 100, None)
            .await
            .unwrap()
            .len(),
        before
    );
    let res = post_scan(session.clone(), form(&[("csrf", &csrf)])).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/runs/"), "{location}");
    assert_eq!(
        f.store
            .list_runs(Some("app"), 100, None)
            .await
            .unwrap()
            .len(),
        before + 1
    );

    // Sign-out needs the token too; afterwards the cookie is cleared.
    let res = http
        .post(format!("{base}/logout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &session)
        .body("csrf=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // A revoked token's session ends at once.
    let tokens = f.store.list_tokens().await.unwrap();
    let reader = tokens.iter().find(|t| t.label == "reader").unwrap();
    assert!(f.store.revoke_token(reader.id).await.unwrap());
    let res = http
        .get(format!("{base}/"))
        .header("cookie", &read_session)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    // A forged cookie is no session.
    let forged = read_session.replacen("driftcost_session=1.", "driftcost_session=1.9", 1);
    let res = http
        .get(format!("{base}/"))
        .header("cookie", forged)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    // The bearer API is unchanged: JSON, bearer tokens, no cookies.
    let res = http
        .get(format!("{base}/v1/workspaces"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "a page session is not an API token");
    let res = http
        .get(format!("{base}/v1/workspaces"))
        .bearer_auth(&f.trigger_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Pages are served with a policy that forbids scripts outright.
    let res = http
        .get(format!("{base}/"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    f.shutdown.cancel();
}

/// The pages' two store reads (the fleet's days, a session's token by its
/// hash) answer alike on SQLite and PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_days_and_session_tokens_read_alike_on_sqlite_and_postgres() {
    let Some(db) = support::servers::FreshDb::new("pages::fleet_days_on_postgres").await else {
        return;
    };
    let pg_url = db.url.clone();
    let tmp = tempfile::tempdir().unwrap();
    let sqlite = tmp.path().join("s.db");
    let mut answers = Vec::new();
    for url in [sqlite.to_str().unwrap(), pg_url.as_str()] {
        let store = Store::open(url).await.unwrap();
        let t0 = chrono::Utc::now() - chrono::TimeDelta::days(5);
        let record = async |ws: &str, status, days: i64, drift: usize| {
            store.enqueue(ws, Trigger::Manual, None).await.unwrap();
            let run = store
                .claim("w", Duration::from_secs(60))
                .await
                .unwrap()
                .unwrap();
            let at = t0 + chrono::TimeDelta::days(days);
            let mut result = RunResult::bare(status, at, at, None);
            result.drift_items = (0..drift)
                .map(|i| {
                    serde_json::from_value(json!({
                        "address": format!("aws_instance.i{i}"), "resource_type": "aws_instance",
                        "name": "i", "kind": "changed", "cause": "changed_outside_terraform",
                        "changes": [], "fingerprint": format!("f{i}")
                    }))
                    .unwrap()
                })
                .collect();
            assert!(store.complete(run.id, "w", &result).await.unwrap());
        };
        record("a", RunStatus::Succeeded, 0, 3).await;
        record("b", RunStatus::Failed, 2, 0).await;
        record("b", RunStatus::Succeeded, 3, 2).await;
        record("a", RunStatus::TimedOut, 4, 0).await;
        let days = store.fleet_days(4, chrono::Utc::now()).await.unwrap();
        let secret = store.create_token(Role::Trigger, "t").await.unwrap();
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(secret.as_bytes()));
        assert_eq!(
            store.verify_token_sha256(&digest).await.unwrap(),
            Some(Role::Trigger)
        );
        assert_eq!(
            store.verify_token_sha256(&"0".repeat(64)).await.unwrap(),
            None
        );
        let id = store.list_tokens().await.unwrap()[0].id;
        store.revoke_token(id).await.unwrap();
        assert_eq!(store.verify_token_sha256(&digest).await.unwrap(), None);
        store.close().await;
        answers.push(
            days.iter()
                .map(|d| (d.open_drift, d.scans, d.failures))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(answers[0], vec![(3, 1, 1), (5, 1, 0), (5, 1, 1), (5, 0, 0)]);
    assert_eq!(answers[0], answers[1], "SQLite and PostgreSQL agree");
    db.drop_db().await;
}
