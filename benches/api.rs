//! Trigger latency of the HTTP API under loopback load: `concurrency` clients
//! each send `POST /v1/workspaces/{name}/scans` back to back over keep-alive
//! connections to a real listener on 127.0.0.1, with a trigger token checked on
//! every request. The backend is the in-memory double from the API tests, so
//! this measures the HTTP layer (parse, auth, routing, JSON, tracing layer),
//! not the run store. Prints p50/p90/p99/max per concurrency level.
//!
//! `scripts/bench-api.sh` runs it (release by default, `--dev` for a quick
//! unoptimised run, `--wrk` to drive it with wrk instead of the built-in
//! client). Knobs: `DRIFTCOST_BENCH_REQUESTS` (total per level, default
//! 20000), `DRIFTCOST_BENCH_CONCURRENCY` (comma list, default 1,8,32,128),
//! `DRIFTCOST_BENCH_SERVE=1` (only serve, print the address, run until killed;
//! for an external load generator).

#[path = "../tests/it/support/memory_backend.rs"]
mod memory_backend;

use driftcost::api;
use memory_backend::{MemoryBackend, TRIGGER};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

const WORKSPACES: usize = 100;

fn main() {
    let requests: usize = env_or("DRIFTCOST_BENCH_REQUESTS", "20000").parse().unwrap();
    let levels: Vec<usize> = env_or("DRIFTCOST_BENCH_CONCURRENCY", "1,8,32,128")
        .split(',')
        .map(|c| c.trim().parse().unwrap())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let names: Vec<String> = (0..WORKSPACES).map(|i| format!("ws-{i:03}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let backend = Arc::new(MemoryBackend::new(&refs));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        if std::env::var_os("DRIFTCOST_BENCH_SERVE").is_some() {
            println!("listening on {addr} token {TRIGGER}");
            api::serve_listener(listener, backend, shutdown)
                .await
                .unwrap();
            return;
        }
        let server = tokio::spawn(api::serve_listener(listener, backend, shutdown.clone()));
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1024)
            .build()
            .unwrap();
        let urls: Arc<Vec<String>> = Arc::new(
            names
                .iter()
                .map(|n| format!("http://{addr}/v1/workspaces/{n}/scans"))
                .collect(),
        );

        println!("trigger latency, {requests} requests per level, loopback, keep-alive");
        println!("concurrency      p50      p90      p99      max    req/s");
        for &c in &levels {
            // Warm-up: open the connections.
            load(&client, &urls, c, c * 4).await;
            let started = Instant::now();
            let mut lat = load(&client, &urls, c, requests).await;
            let wall = started.elapsed();
            lat.sort_unstable();
            let pct =
                |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1];
            println!(
                "{c:>11} {:>8} {:>8} {:>8} {:>8} {:>8.0}",
                fmt(pct(0.50)),
                fmt(pct(0.90)),
                fmt(pct(0.99)),
                fmt(*lat.last().unwrap()),
                lat.len() as f64 / wall.as_secs_f64()
            );
        }
        shutdown.cancel();
        server.await.unwrap().unwrap();
    });
}

/// `total` triggers spread over `concurrency` tasks; each request's latency.
async fn load(
    client: &reqwest::Client,
    urls: &Arc<Vec<String>>,
    concurrency: usize,
    total: usize,
) -> Vec<Duration> {
    let mut tasks = Vec::with_capacity(concurrency);
    for worker in 0..concurrency {
        let client = client.clone();
        let urls = Arc::clone(urls);
        let n = total / concurrency + usize::from(worker < total % concurrency);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(n);
            for i in 0..n {
                let url = &urls[(worker * 7919 + i) % urls.len()];
                let t = Instant::now();
                let res = client.post(url).bearer_auth(TRIGGER).send().await.unwrap();
                assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
                res.bytes().await.unwrap();
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0}µs")
    } else {
        format!("{:.2}ms", us / 1000.0)
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}
