//! `driftcost pricing update`: the pricing tables refreshed from AWS's public
//! Price List bulk API (no credentials). The offer index names each
//! service's region index; the region index names each region's current
//! offer file; each region's CSV offer file is downloaded (streamed to disk,
//! resumable) and read by the same importer as `pricing import`.
//!
//! Nothing half is written: every file is downloaded and read before the
//! first table is written, each table is written next to its place and
//! renamed, and a download that was cut off stays as `*.partial` for the
//! next run to finish with a `Range` request. A downloaded file that turns out
//! not to be an offer file is removed, so the next run fetches it again.
//!
//! Output, under `--out`: `aws/<OfferCode>/<region>.csv` per service and
//! region (the `pricing import` table format; every row's `source` names the
//! URL, version and publication date), and `pricing-update.json`, the
//! manifest of every file read (URL, version, publication date, rows).

mod download;
mod index;

use super::import::{AwsCsvOptions, ImportError, ImportedTables, OfferOrigin, import_aws_csv_from};
use index::{OfferIndex, RegionIndex, absolute};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where AWS publishes the Price List bulk files.
pub const DEFAULT_BASE_URL: &str = "https://pricing.us-east-1.amazonaws.com";

/// The regions the shipped tables cover; `pricing update` refreshes these
/// unless `--region` names others.
pub const DEFAULT_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
];

/// The downloads folder under `--out` (offer files and `*.partial`).
pub const DOWNLOADS_DIR: &str = ".pricing-update";

/// The manifest file under `--out`.
pub const MANIFEST: &str = "pricing-update.json";

/// Why an update failed; each message names the URL or file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{url}: HTTP {status}: {hint}")]
    Status {
        url: String,
        status: u16,
        hint: String,
    },
    #[error(
        "{url}: download cut off after {bytes} bytes ({message}); run the same command again to resume it"
    )]
    Interrupted {
        url: String,
        bytes: u64,
        message: String,
    },
    #[error("{url} is not {what}: {message}; check --base-url")]
    BadIndex {
        url: String,
        what: &'static str,
        message: String,
    },
    #[error("{message}")]
    Unknown { message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Writing the tables failed (the message names the table and what to do).
    #[error(transparent)]
    Write(ImportError),
    #[error("offer file {url}: {source}")]
    Import {
        url: String,
        #[source]
        source: ImportError,
    },
}

impl UpdateError {
    fn status(url: &str, status: u16) -> UpdateError {
        let hint = match status {
            404 => "not found: check the service code (`--service AmazonEC2`) and --base-url",
            403 => {
                "refused: the Price List bulk API needs no credentials; check a proxy or --base-url"
            }
            500..=599 => "the server failed; try again later",
            _ => "unexpected answer; check --base-url",
        };
        UpdateError::Status {
            url: url.to_string(),
            status,
            hint: hint.to_string(),
        }
    }
}

/// The error and its causes on one line (reqwest hides the useful part in
/// the source chain).
fn error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let message = s.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = s.source();
    }
    text
}

/// Bytes moving, for a progress bar (the CLI draws one on a terminal).
pub trait Progress: Sync {
    /// A download starts (or resumes at `done` bytes of `total`).
    fn start(&self, label: &str, total: Option<u64>, done: u64);
    fn advance(&self, bytes: u64);
    fn finish(&self, label: &str, complete: bool);
}

/// No progress shown.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: Option<u64>, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self, _: &str, _: bool) {}
}

/// What to refresh.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    pub base_url: String,
    /// Offer codes (`AmazonEC2`); empty: every service driftcost prices.
    pub services: Vec<String>,
    /// Region codes; empty: [`DEFAULT_REGIONS`].
    pub regions: Vec<String>,
    pub out: PathBuf,
    /// Keep the downloaded offer files after a successful update.
    pub keep_downloads: bool,
}

/// One offer file read, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRecord {
    pub service: String,
    pub region: String,
    pub url: String,
    pub version: String,
    pub publication_date: String,
    /// The table written, relative to `--out`.
    pub table: String,
    pub bytes: u64,
    pub rows_read: u64,
    pub prices_kept: u64,
    /// When this update read the file (UTC, RFC 3339).
    pub updated_at: String,
}

/// What one update did.
#[derive(Debug, Default)]
pub struct UpdateSummary {
    pub files: Vec<FileRecord>,
    /// (service, region) pairs asked for that the service does not offer.
    pub not_offered: Vec<(String, String)>,
    /// Tables written (path, rows).
    pub written: Vec<(PathBuf, usize)>,
    /// Bytes downloaded by this run (resumed files count only the rest).
    pub downloaded_bytes: u64,
}

/// One region's offer file to fetch.
struct Planned {
    service: String,
    region: String,
    url: String,
    version: String,
    dest: PathBuf,
}

/// Runs one update; see the module documentation.
pub async fn update(
    opts: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<UpdateSummary, UpdateError> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(120))
        .user_agent(concat!("driftcost/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| UpdateError::Http {
            url: opts.base_url.clone(),
            message: error_text(&e),
        })?;
    let mut summary = UpdateSummary::default();
    let planned = plan(&client, opts, &mut summary).await?;
    let downloads = opts.out.join(DOWNLOADS_DIR);
    let mut sizes = Vec::with_capacity(planned.len());
    for p in &planned {
        let before = tokio::fs::metadata(download::partial_path(&p.dest))
            .await
            .map(|m| m.len())
            .unwrap_or(0);
        let existed = tokio::fs::metadata(&p.dest).await.is_ok();
        let label = format!("{} {}", p.service, p.region);
        let size = download::fetch_to_file(&client, &p.url, &p.dest, &label, progress).await?;
        if !existed {
            summary.downloaded_bytes += size - before.min(size);
        }
        sizes.push(size);
    }
    let mut tables = ImportedTables::default();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (p, size) in planned.iter().zip(sizes) {
        let table = format!("aws/{}/{}", p.service, p.region);
        let origin = OfferOrigin {
            url: Some(p.url.clone()),
            table: Some(table.clone()),
        };
        let import_opts = AwsCsvOptions {
            regions: vec![p.region.clone()],
        };
        let file = import_aws_csv_from(&p.dest, &origin, &import_opts, &mut tables)
            .inspect_err(|_| {
                // A bad file is not kept for the next run to trust.
                let _ = std::fs::remove_file(&p.dest);
            })
            .map_err(|source| UpdateError::Import {
                url: p.url.clone(),
                source,
            })?;
        if file.offer_code != p.service {
            let _ = std::fs::remove_file(&p.dest);
            return Err(UpdateError::BadIndex {
                url: p.url.clone(),
                what: "the offer file the region index names",
                message: format!(
                    "its OfferCode is `{}`, the region index is for `{}`",
                    file.offer_code, p.service
                ),
            });
        }
        summary.files.push(FileRecord {
            service: p.service.clone(),
            region: p.region.clone(),
            url: p.url.clone(),
            version: if file.version.is_empty() {
                p.version.clone()
            } else {
                file.version.clone()
            },
            publication_date: file.publication_date.clone(),
            table: format!("{table}.csv"),
            bytes: size,
            rows_read: file.rows_read,
            prices_kept: file.kept,
            updated_at: now.clone(),
        });
    }
    let written = tables.write(&opts.out).map_err(UpdateError::Write)?;
    summary.written = written.into_iter().map(|w| (w.path, w.rows)).collect();
    write_manifest(&opts.out, &summary.files)?;
    if !opts.keep_downloads {
        for p in &planned {
            let _ = std::fs::remove_file(&p.dest);
        }
        remove_empty_dirs(&downloads);
    }
    Ok(summary)
}

/// Reads the offer index and the services' region indexes into the list of
/// files to fetch.
async fn plan(
    client: &reqwest::Client,
    opts: &UpdateOptions,
    summary: &mut UpdateSummary,
) -> Result<Vec<Planned>, UpdateError> {
    let offers_url = absolute(&opts.base_url, "/offers/v1.0/aws/index.json");
    let offers: OfferIndex =
        get_json(client, &offers_url, "the AWS Price List offer index").await?;
    tracing::debug!(url = %offers_url, published = %offers.publication_date, "offer index");
    let services = services(opts, &offers, &offers_url)?;
    let explicit_regions = !opts.regions.is_empty();
    let regions: Vec<String> = if explicit_regions {
        opts.regions
            .iter()
            .map(|r| r.trim().to_ascii_lowercase())
            .filter(|r| !r.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect()
    };
    let mut planned = Vec::new();
    for service in services {
        let path = offers.offers[&service]
            .current_region_index_url
            .clone()
            .unwrap_or_else(|| format!("/offers/v1.0/aws/{service}/current/region_index.json"));
        let url = absolute(&opts.base_url, &path);
        let index: RegionIndex = get_json(client, &url, "an AWS Price List region index").await?;
        tracing::debug!(%url, published = %index.publication_date, "region index");
        for region in &regions {
            let Some(entry) = index.regions.get(region) else {
                summary.not_offered.push((service.clone(), region.clone()));
                continue;
            };
            let (csv, version) = entry.csv().ok_or_else(|| UpdateError::BadIndex {
                url: url.clone(),
                what: "an AWS Price List region index",
                message: format!(
                    "region {region}'s currentVersionUrl `{}` does not end in /<version>/<region>/index.json",
                    entry.current_version_url
                ),
            })?;
            if !safe_segment(&version) {
                return Err(UpdateError::BadIndex {
                    url: url.clone(),
                    what: "an AWS Price List region index",
                    message: format!("region {region}'s version `{version}` is not a plain name"),
                });
            }
            let dest = opts
                .out
                .join(DOWNLOADS_DIR)
                .join(&service)
                .join(region)
                .join(format!("{version}.offer"));
            planned.push(Planned {
                service: service.clone(),
                region: region.clone(),
                url: absolute(&opts.base_url, &csv),
                version,
                dest,
            });
        }
    }
    if planned.is_empty() {
        let asked: Vec<String> = summary
            .not_offered
            .iter()
            .map(|(s, r)| format!("{s} in {r}"))
            .collect();
        return Err(UpdateError::Unknown {
            message: format!(
                "nothing to update: the Price List has no offer file for {}; check --region (region codes such as eu-west-1)",
                asked.join(", ")
            ),
        });
    }
    Ok(planned)
}

/// The services to refresh: the ones asked for (each must be in the offer
/// index), else every service driftcost prices that the index lists.
fn services(
    opts: &UpdateOptions,
    offers: &OfferIndex,
    url: &str,
) -> Result<Vec<String>, UpdateError> {
    if opts.services.is_empty() {
        let ours: BTreeSet<&str> = super::families::FAMILIES
            .iter()
            .map(|f| f.service)
            .collect();
        return Ok(ours
            .into_iter()
            .filter(|s| offers.offers.contains_key(*s))
            .map(str::to_string)
            .collect());
    }
    let mut out = Vec::new();
    for s in &opts.services {
        let s = s.trim();
        if offers.offers.contains_key(s) {
            if safe_segment(s) && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
            continue;
        }
        let hint = offers
            .offers
            .keys()
            .find(|k| k.eq_ignore_ascii_case(s))
            .map(|k| format!(": did you mean `{k}`?"))
            .unwrap_or_else(|| {
                let ours: BTreeSet<&str> = super::families::FAMILIES
                    .iter()
                    .map(|f| f.service)
                    .collect();
                format!(
                    "; services driftcost prices: {}",
                    ours.into_iter().collect::<Vec<_>>().join(", ")
                )
            });
        return Err(UpdateError::Unknown {
            message: format!("service `{s}` is not in the offer index {url}{hint}"),
        });
    }
    Ok(out)
}

/// A name that is safe as one path segment.
fn safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// GETs a (small) JSON index.
async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
    what: &'static str,
) -> Result<T, UpdateError> {
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| UpdateError::Http {
            url: url.to_string(),
            message: error_text(&e),
        })?;
    if !response.status().is_success() {
        return Err(UpdateError::status(url, response.status().as_u16()));
    }
    let body = response.bytes().await.map_err(|e| UpdateError::Http {
        url: url.to_string(),
        message: error_text(&e),
    })?;
    serde_json::from_slice(&body).map_err(|e| UpdateError::BadIndex {
        url: url.to_string(),
        what,
        message: format!(
            "{e} (it starts: {})",
            crate::error_chain::excerpt(&String::from_utf8_lossy(&body[..body.len().min(120)]))
        ),
    })
}

/// The manifest: earlier records of other (service, region) pairs are kept,
/// this run's replace theirs.
fn write_manifest(out: &Path, files: &[FileRecord]) -> Result<(), UpdateError> {
    #[derive(Serialize, Deserialize, Default)]
    struct Manifest {
        files: Vec<FileRecord>,
    }
    let path = out.join(MANIFEST);
    let io = |source| UpdateError::Io {
        path: path.clone(),
        source,
    };
    let mut by_key: BTreeMap<(String, String), FileRecord> = BTreeMap::new();
    if let Ok(text) = std::fs::read(&path) {
        // An unreadable old manifest is replaced, not fatal.
        if let Ok(old) = serde_json::from_slice::<Manifest>(&text) {
            for f in old.files {
                by_key.insert((f.service.clone(), f.region.clone()), f);
            }
        }
    }
    for f in files {
        by_key.insert((f.service.clone(), f.region.clone()), f.clone());
    }
    let manifest = Manifest {
        files: by_key.into_values().collect(),
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| UpdateError::Io {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    std::fs::create_dir_all(out).map_err(io)?;
    let tmp = out.join(format!("{MANIFEST}.partial"));
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}

/// Removes `dir` and its empty subfolders, bottom up; keeps anything with files.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                remove_empty_dirs(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_from_indexes_are_checked() {
        assert!(safe_segment("AmazonEC2"));
        assert!(safe_segment("20250912225308"));
        assert!(!safe_segment(".."));
        assert!(!safe_segment("a/b"));
        assert!(!safe_segment(""));
    }

    #[test]
    fn manifest_keeps_other_regions_and_replaces_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let rec = |region: &str, version: &str| FileRecord {
            service: "AmazonEC2".into(),
            region: region.into(),
            url: format!("http://x/{version}/{region}/index.csv"),
            version: version.into(),
            publication_date: "2025-09-12T22:53:08Z".into(),
            table: format!("aws/AmazonEC2/{region}.csv"),
            bytes: 1,
            rows_read: 1,
            prices_kept: 1,
            updated_at: "2026-12-05T00:00:00Z".into(),
        };
        write_manifest(dir.path(), &[rec("us-east-1", "1"), rec("eu-west-1", "1")]).unwrap();
        write_manifest(dir.path(), &[rec("us-east-1", "2")]).unwrap();
        let text = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["region"], "eu-west-1");
        assert_eq!(files[1]["version"], "2");
        assert_eq!(files[1]["publicationDate"], "2025-09-12T22:53:08Z");
    }
}
