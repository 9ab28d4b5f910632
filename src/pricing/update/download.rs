//! One resumable download: the body streams into `<dest>.partial`; a second
//! run asks for the rest with `Range: bytes=<have>-` and appends; only a
//! complete body (as long as the server said) is renamed to `dest`.

use super::{Progress, UpdateError};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// The partial file a download of `dest` writes to.
pub(crate) fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    dest.with_file_name(name)
}

/// Downloads `url` to `dest` (kept as it is when it already exists),
/// resuming a partial file left by an earlier, interrupted run.
pub(crate) async fn fetch_to_file(
    client: &reqwest::Client,
    url: &str,
    dest: &Path,
    label: &str,
    progress: &dyn Progress,
) -> Result<u64, UpdateError> {
    if let Ok(meta) = tokio::fs::metadata(dest).await {
        return Ok(meta.len());
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| UpdateError::Io { path, source }
    };
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(io(parent))?;
    }
    let partial = partial_path(dest);
    let have = tokio::fs::metadata(&partial)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().await.map_err(|e| UpdateError::Interrupted {
        url: url.to_string(),
        bytes: have,
        message: super::error_text(&e),
    })?;
    let status = response.status();
    let offset = match status {
        StatusCode::PARTIAL_CONTENT if have > 0 => {
            let start = response
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(content_range_start);
            if start != Some(have) {
                return Err(UpdateError::Http {
                    url: url.to_string(),
                    message: format!(
                        "asked for the rest from byte {have}, the server sent a different range ({}); delete {} and run again",
                        response
                            .headers()
                            .get(CONTENT_RANGE)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("no Content-Range"),
                        partial.display()
                    ),
                });
            }
            have
        }
        // The server ignored the range (or there was none): start over.
        StatusCode::OK => 0,
        StatusCode::RANGE_NOT_SATISFIABLE if have > 0 => {
            // The partial file is longer than the file now published: it is
            // from another version; start over next time.
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(UpdateError::Http {
                url: url.to_string(),
                message: format!(
                    "the server refused to resume at byte {have} (416): the partial download was removed; run the same command again"
                ),
            });
        }
        other => return Err(UpdateError::status(url, other.as_u16())),
    };
    let total = response.content_length().map(|n| n + offset);
    let mut file = if offset > 0 {
        tokio::fs::OpenOptions::new()
            .append(true)
            .open(&partial)
            .await
            .map_err(io(&partial))?
    } else {
        tokio::fs::File::create(&partial)
            .await
            .map_err(io(&partial))?
    };
    progress.start(label, total, offset);
    let mut written = offset;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                let _ = file.flush().await;
                progress.finish(label, false);
                return Err(UpdateError::Interrupted {
                    url: url.to_string(),
                    bytes: written,
                    message: super::error_text(&e),
                });
            }
        };
        file.write_all(&chunk).await.map_err(io(&partial))?;
        written += chunk.len() as u64;
        progress.advance(chunk.len() as u64);
    }
    file.flush().await.map_err(io(&partial))?;
    file.sync_all().await.map_err(io(&partial))?;
    drop(file);
    progress.finish(label, true);
    if let Some(total) = total
        && written != total
    {
        return Err(UpdateError::Interrupted {
            url: url.to_string(),
            bytes: written,
            message: format!("the server announced {total} bytes"),
        });
    }
    tokio::fs::rename(&partial, dest).await.map_err(io(dest))?;
    Ok(written)
}

/// The first byte of `bytes 100-199/200`.
fn content_range_start(value: &str) -> Option<u64> {
    let range = value.trim().strip_prefix("bytes ")?;
    let (start, _) = range.split_once('-')?;
    start.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_start_is_read() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes 0-0/*"), Some(0));
        assert_eq!(content_range_start("bytes */200"), None);
        assert_eq!(content_range_start("items 1-2/3"), None);
    }

    #[test]
    fn partial_files_sit_next_to_the_destination() {
        assert_eq!(
            partial_path(Path::new("/d/AmazonEC2/us-east-1/2025.offer")),
            Path::new("/d/AmazonEC2/us-east-1/2025.offer.partial")
        );
    }
}
