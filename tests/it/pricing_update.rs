//! `driftcost pricing update` end to end against a local HTTP server that
//! serves the AWS Price List bulk API's layout: the offer index, a service's
//! region index, and each region's CSV offer file with its five-line
//! preamble and the real AmazonEC2 header row (from the import fixture).
//! The server honours `Range` requests and can stall mid-body, so a killed
//! download and its resumption are real.

use crate::support::cli::fixture;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const VERSION: &str = "20250912225308";

#[derive(Default)]
struct Served {
    files: Mutex<HashMap<String, Vec<u8>>>,
    /// Send this many bytes of a file body, then nothing more (the
    /// connection stays open): a download that hangs until it is killed.
    stall_after: Mutex<Option<usize>>,
    /// Announce the whole body, send this many bytes, then close the
    /// connection: a download cut off by the network.
    cut_after: Mutex<Option<usize>>,
    /// (path, Range header) of every request.
    requests: Mutex<Vec<(String, Option<String>)>>,
    /// Body bytes sent for offer files.
    sent: AtomicUsize,
}

impl Served {
    fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.files
            .lock()
            .unwrap()
            .insert(path.to_string(), body.into());
    }
}

async fn serve(State(s): State<Arc<Served>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    s.requests
        .lock()
        .unwrap()
        .push((path.clone(), range.clone()));
    let Some(body) = s.files.lock().unwrap().get(&path).cloned() else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::from("<Error><Code>AccessDenied</Code></Error>"))
            .unwrap();
    };
    let start = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok())
        .unwrap_or(0usize);
    if start >= body.len() && start > 0 {
        return Response::builder()
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .body(Body::empty())
            .unwrap();
    }
    let part = Bytes::copy_from_slice(&body[start..]);
    let mut response = Response::builder()
        .header(header::CONTENT_LENGTH, part.len())
        .header(header::CONTENT_TYPE, "text/csv");
    if start > 0 {
        response = response.status(StatusCode::PARTIAL_CONTENT).header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{}", body.len() - 1, body.len()),
        );
    }
    let offer = path.ends_with(".csv");
    let stall = *s.stall_after.lock().unwrap();
    let cut = *s.cut_after.lock().unwrap();
    let body = match (stall, cut) {
        (_, Some(n)) if offer && n < part.len() => {
            s.sent.fetch_add(n, Ordering::SeqCst);
            let head = part.slice(..n);
            // The head goes out; then the connection fails, as a network does.
            let fail = futures_util::stream::once(async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Err(std::io::Error::other("connection reset"))
            });
            Body::from_stream(futures_util::stream::iter([Ok(head)]).chain(fail))
        }
        (stall, _) => match stall {
            Some(n) if offer && n < part.len() => {
                s.sent.fetch_add(n, Ordering::SeqCst);
                let head = part.slice(..n);
                Body::from_stream(
                    futures_util::stream::iter([Ok::<_, Infallible>(head)])
                        .chain(futures_util::stream::pending()),
                )
            }
            _ => {
                if offer {
                    s.sent.fetch_add(part.len(), Ordering::SeqCst);
                }
                Body::from(part)
            }
        },
    };
    response.body(body).unwrap()
}

/// Starts the server on 127.0.0.1 (on its own runtime thread); its base URL.
fn start(served: Arc<Served>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = axum::Router::new().fallback(serve).with_state(served);
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

/// The import fixture's preamble and header (the real AmazonEC2 header row).
fn preamble_and_header() -> String {
    let text = std::fs::read_to_string(fixture("aws_price_list_ec2_nat_gateway.csv")).unwrap();
    text.lines().take(6).map(|l| format!("{l}\n")).collect()
}

/// The fixture's price rows for one region (by its `Region Code` cell).
fn rows_of(region: &str) -> String {
    let text = std::fs::read_to_string(fixture("aws_price_list_ec2_nat_gateway.csv")).unwrap();
    text.lines()
        .skip(6)
        .filter(|l| l.contains(&format!(",\"{region}\",")))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `n` reserved-term rows (skipped by the importer), to make a file big
/// enough to be cut off mid-way.
fn padding(n: usize) -> String {
    let text = std::fs::read_to_string(fixture("aws_price_list_ec2_nat_gateway.csv")).unwrap();
    let reserved = text
        .lines()
        .find(|l| l.contains(",\"Reserved\","))
        .unwrap()
        .to_string();
    (0..n)
        .map(|i| {
            format!(
                "{}\n",
                reserved.replacen("2223B6PCG6QAUYY6", &format!("PAD{i:013}"), 2)
            )
        })
        .collect()
}

fn offer_csv(region: &str, pad: usize) -> String {
    format!(
        "{}{}{}",
        preamble_and_header(),
        padding(pad),
        rows_of(region)
    )
}

fn csv_path(region: &str) -> String {
    format!("/offers/v1.0/aws/AmazonEC2/{VERSION}/{region}/index.csv")
}

/// A server with the offer index, AmazonEC2's region index (us-east-2,
/// eu-west-1) and their offer files.
fn price_list(pad: usize) -> (Arc<Served>, String) {
    let served = Arc::new(Served::default());
    served.put(
        "/offers/v1.0/aws/index.json",
        r#"{
  "formatVersion" : "v1.0",
  "disclaimer" : "This pricing list is for informational purposes only.",
  "publicationDate" : "2025-09-15T17:02:38Z",
  "offers" : {
    "AmazonEC2" : {
      "offerCode" : "AmazonEC2",
      "versionIndexUrl" : "/offers/v1.0/aws/AmazonEC2/index.json",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/current/index.json",
      "currentRegionIndexUrl" : "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
      "savingsPlanVersionIndexUrl" : "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/index.json",
      "currentSavingsPlanIndexUrl" : "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json"
    }
  }
}"#,
    );
    served.put(
        "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
        format!(
            r#"{{
  "formatVersion" : "v1.0",
  "disclaimer" : "This pricing list is for informational purposes only.",
  "publicationDate" : "2025-09-12T22:53:08Z",
  "regions" : {{
    "us-east-2" : {{
      "regionCode" : "us-east-2",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/{VERSION}/us-east-2/index.json"
    }},
    "eu-west-1" : {{
      "regionCode" : "eu-west-1",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/{VERSION}/eu-west-1/index.json"
    }}
  }}
}}"#
        ),
    );
    for region in ["us-east-2", "eu-west-1"] {
        served.put(&csv_path(region), offer_csv(region, pad));
    }
    let url = start(Arc::clone(&served));
    (served, url)
}

fn update_command(base: &str, out: &Path, regions: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_driftcost"));
    c.args([
        "pricing",
        "update",
        "--service",
        "AmazonEC2",
        "--region",
        regions,
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        base,
    ])
    .env_remove("DRIFTCOST_PRICING_DIR")
    .env_remove("RUST_BACKTRACE");
    c
}

fn run(mut c: Command) -> (i32, String, String) {
    let o: Output = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every table file under `dir/aws` (there must be none after a failure).
fn tables(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("aws")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn update_writes_region_tables_that_cost_breakdown_uses() {
    let (_served, base) = price_list(0);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices");
    let (code, stdout, stderr) = run(update_command(
        &base,
        &out,
        "us-east-2,eu-west-1,ap-south-2",
    ));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "AmazonEC2 us-east-2: version {VERSION}, published 2025-09-12T22:53:08Z: 1 rows read, 1 prices kept ({base}{})",
            csv_path("us-east-2")
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("AmazonEC2 ap-south-2: not offered in this region"),
        "{stdout}"
    );
    let table = std::fs::read_to_string(out.join("aws/AmazonEC2/us-east-2.csv")).unwrap();
    assert!(
        table.contains(&format!(
            "aws,AmazonEC2,NAT Gateway,us-east-2,usagetype=NatGateway-Hours,on_demand,Hrs,0,,0.045,2025-09-01,\"{base}{} (AWS Price List AmazonEC2 version {VERSION}, published 2025-09-12T22:53:08Z)\"",
            csv_path("us-east-2")
        )),
        "{table}"
    );
    let eu = std::fs::read_to_string(out.join("aws/AmazonEC2/eu-west-1.csv")).unwrap();
    assert!(
        eu.contains(",eu-west-1,usagetype=NatGateway-Hours,"),
        "{eu}"
    );
    assert!(!eu.contains("us-east-2"), "{eu}");

    // The manifest records every file's URL, version and publication date.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("pricing-update.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{manifest}");
    for f in files {
        assert_eq!(f["publicationDate"], "2025-09-12T22:53:08Z");
        assert_eq!(f["version"], VERSION);
        assert!(f["url"].as_str().unwrap().starts_with(&base));
    }
    // Downloads are removed after a successful update.
    assert!(!out.join(".pricing-update").exists());

    let plan = fixture("plan_nat_gateway_us_east_2.json");
    let (code, json, stderr) = crate::support::cli::driftcost(&[
        "cost",
        "breakdown",
        "--pricing-dir",
        out.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let nat = report["projects"][0]["breakdown"]["resources"][0]["costComponents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "NAT gateway")
        .cloned()
        .unwrap();
    assert_eq!(nat["status"], "priced", "{nat}");
}

#[test]
fn a_killed_download_resumes_where_it_stopped() {
    // ~2 MB offer file; the server sends the first 600 kB and then hangs.
    let (served, base) = price_list(4_000);
    let total = served.files.lock().unwrap()[&csv_path("us-east-2")].len();
    let cut = 600_000;
    assert!(total > 2 * cut, "{total}");
    *served.stall_after.lock().unwrap() = Some(cut);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices");
    let partial = out.join(format!(
        ".pricing-update/AmazonEC2/us-east-2/{VERSION}.offer.partial"
    ));
    let mut first = update_command(&base, &out, "us-east-2");
    let mut child = first
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let have = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        if have as usize >= cut {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the download never reached {cut} bytes ({have})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        tables(&out),
        Vec::<String>::new(),
        "a killed update wrote a table"
    );
    assert_eq!(std::fs::metadata(&partial).unwrap().len() as usize, cut);

    *served.stall_after.lock().unwrap() = None;
    served.sent.store(0, Ordering::SeqCst);
    let (code, stdout, stderr) = run(update_command(&base, &out, "us-east-2"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    // Only the rest was asked for and sent.
    let ranges: Vec<Option<String>> = served
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| *p == csv_path("us-east-2"))
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(ranges, [None, Some(format!("bytes={cut}-"))]);
    assert_eq!(served.sent.load(Ordering::SeqCst), total - cut);
    assert!(
        stdout.contains(&format!("downloaded {} bytes", total - cut)),
        "{stdout}"
    );
    assert!(stdout.contains("4001 rows read, 1 prices kept"), "{stdout}");
    let table = std::fs::read_to_string(out.join("aws/AmazonEC2/us-east-2.csv")).unwrap();
    assert!(
        table.contains(",us-east-2,usagetype=NatGateway-Hours,on_demand,Hrs,0,,0.045,"),
        "{table}"
    );
}

#[test]
fn garbage_offer_files_are_refused_naming_the_url_and_nothing_is_written() {
    let header = preamble_and_header();
    let good = offer_csv("us-east-2", 0);
    let cases: Vec<(&str, String, String)> = vec![
        (
            "html",
            "<!DOCTYPE html>\n<html><body>Sign in to the proxy</body></html>\n".into(),
            "line 1: starts with `<`: an HTML or XML page".into(),
        ),
        (
            // Cut mid-row, as a proxy that drops the connection but keeps a
            // short Content-Length would leave it.
            "truncated",
            good[..good.len() - 60].to_string(),
            "line 7: not valid CSV (".into(),
        ),
        (
            "wrong header",
            format!(
                "{}{}",
                header.replace("\"PricePerUnit\",", ""),
                rows_of("us-east-2")
            ),
            "line 6: missing column `PricePerUnit`".into(),
        ),
    ];
    for (what, body, want) in cases {
        let (served, base) = price_list(0);
        served.put(&csv_path("us-east-2"), body);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("prices");
        let (code, stdout, stderr) = run(update_command(&base, &out, "us-east-2,eu-west-1"));
        assert_eq!(code, 1, "{what}: {stdout}\n{stderr}");
        let url = format!("{base}{}", csv_path("us-east-2"));
        assert!(
            stderr.contains(&format!("offer file {url}:")),
            "{what}: {stderr}"
        );
        assert!(stderr.contains(&want), "{what}: {stderr}");
        // Not even the good eu-west-1 file's table, and no manifest.
        assert_eq!(tables(&out), Vec::<String>::new(), "{what}");
        assert!(!out.join("pricing-update.json").exists(), "{what}");
        // The bad download is not kept for the next run to trust.
        let kept = out.join(format!(
            ".pricing-update/AmazonEC2/us-east-2/{VERSION}.offer"
        ));
        assert!(!kept.exists(), "{what}");
    }
}

#[test]
fn unknown_services_and_bad_indexes_say_what_to_fix() {
    let (served, base) = price_list(0);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices");
    let mut c = update_command(&base, &out, "us-east-2");
    c.args(["--service", "amazonec2"]);
    let (code, _, stderr) = run(c);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("service `amazonec2` is not in the offer index"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `AmazonEC2`?"), "{stderr}");

    served.put(
        "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
        "<html>maintenance</html>",
    );
    let (code, _, stderr) = run(update_command(&base, &out, "us-east-2"));
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "{base}/offers/v1.0/aws/AmazonEC2/current/region_index.json is not an AWS Price List region index"
        )),
        "{stderr}"
    );

    let (code, _, stderr) = run(update_command(
        &format!("{base}/nothing-here"),
        &out,
        "us-east-2",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("/nothing-here/offers/v1.0/aws/index.json: HTTP 404"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_missing_price_names_the_update_that_fills_it() {
    let (served, base) = price_list(0);
    // A region the shipped tables do not cover. Its offer file is made from
    // the us-east-2 row with the region renamed: test data for this local
    // server only, never a shipped price.
    let region = "ca-central-1";
    let ca = offer_csv("us-east-2", 0)
        .replace("US East (Ohio)", "Canada (Central)")
        .replace("USE2-", "CAN1-")
        .replace("\"us-east-2\"", &format!("\"{region}\""));
    served.put(&csv_path(region), ca);
    served.put(
        "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
        format!(
            r#"{{"formatVersion":"v1.0","publicationDate":"2025-09-12T22:53:08Z","regions":{{"{region}":{{"regionCode":"{region}","currentVersionUrl":"/offers/v1.0/aws/AmazonEC2/{VERSION}/{region}/index.json"}}}}}}"#
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let text = std::fs::read_to_string(fixture("plan_nat_gateway_us_east_2.json")).unwrap();
    std::fs::write(&plan, text.replace("us-east-2", region)).unwrap();
    let breakdown = |pricing_dir: Option<&Path>| {
        let mut args = vec!["cost", "breakdown", "--plan", plan.to_str().unwrap()];
        if let Some(d) = pricing_dir {
            args.extend(["--pricing-dir", d.to_str().unwrap()]);
        }
        crate::support::cli::driftcost(&args)
    };
    let (code, table, stderr) = breakdown(None);
    assert_eq!(code, 0, "{stderr}");
    let command = format!("driftcost pricing update --service AmazonEC2 --region {region}");
    assert!(
        table.contains(&format!(
            "no price found for aws AmazonEC2 \"NAT Gateway\" in {region}, usagetype=NatGateway-Hours, on_demand per Hrs; fill it with `{command}`"
        )),
        "{table}"
    );

    // Running that command (against the local server) fills it.
    let out = dir.path().join("prices");
    let (code, stdout, stderr) = run(update_command(&base, &out, region));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (code, table, stderr) = breakdown(Some(&out));
    assert_eq!(code, 0, "{stderr}");
    assert!(!table.contains("usagetype=NatGateway-Hours"), "{table}");
    assert!(table.contains("32.85"), "{table}");
}

#[test]
fn a_download_cut_off_by_the_network_says_so_and_the_next_run_resumes() {
    let (served, base) = price_list(4_000);
    let total = served.files.lock().unwrap()[&csv_path("us-east-2")].len();
    let cut = 300_000;
    *served.cut_after.lock().unwrap() = Some(cut);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices");
    let (code, stdout, stderr) = run(update_command(&base, &out, "us-east-2"));
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let url = format!("{base}{}", csv_path("us-east-2"));
    assert!(
        stderr.contains(&format!("{url}: download cut off after ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("run the same command again to resume it"),
        "{stderr}"
    );
    assert_eq!(tables(&out), Vec::<String>::new());
    let partial = out.join(format!(
        ".pricing-update/AmazonEC2/us-east-2/{VERSION}.offer.partial"
    ));
    let kept = std::fs::metadata(&partial).unwrap().len() as usize;
    assert!(kept > 0 && kept <= cut, "{kept}");

    *served.cut_after.lock().unwrap() = None;
    let (code, stdout, stderr) = run(update_command(&base, &out, "us-east-2"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("downloaded {} bytes", total - kept)),
        "{stdout}"
    );
    assert!(stdout.contains("4001 rows read, 1 prices kept"), "{stdout}");
}
