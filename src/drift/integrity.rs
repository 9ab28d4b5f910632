//! State integrity: each scan records the recorded state's lineage, serial
//! and sha256, and compares with the previous scan of the same workspace.
//!
//! Terraform only moves a state's serial forward and keeps its lineage, and
//! one serial names exactly one content. So a serial that went back (a restored
//! backup, a bucket version rollback), a new lineage (a different or re-created
//! state at the same key) or new bytes under the same serial (a hand-edited
//! state) is an alert of its own, whatever the drift check says.

use super::fingerprint::sha256_hex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What one scan saw of the recorded state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityRecord {
    pub lineage: String,
    pub serial: u64,
    /// sha256 hex of the state object's bytes exactly as read from the backend.
    pub sha256: String,
}

impl IntegrityRecord {
    /// Reads lineage and serial from the state object's bytes and hashes them.
    pub fn from_state_bytes(bytes: &[u8]) -> Result<Self, IntegrityError> {
        let v: Value = serde_json::from_slice(bytes).map_err(|e| IntegrityError::NotState {
            message: format!("not JSON ({e})"),
        })?;
        let lineage =
            v.get("lineage")
                .and_then(Value::as_str)
                .ok_or_else(|| IntegrityError::NotState {
                    message: "no \"lineage\" string".into(),
                })?;
        let serial =
            v.get("serial")
                .and_then(Value::as_u64)
                .ok_or_else(|| IntegrityError::NotState {
                    message: "no \"serial\" number".into(),
                })?;
        Ok(IntegrityRecord {
            lineage: lineage.to_string(),
            serial,
            sha256: sha256_hex(bytes),
        })
    }
}

/// Something about the recorded state that terraform itself would never do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntegrityAlert {
    SerialRolledBack {
        previous: u64,
        current: u64,
    },
    LineageChanged {
        previous: String,
        current: String,
    },
    HashChangedAtSameSerial {
        serial: u64,
        previous_sha256: String,
        current_sha256: String,
    },
}

impl fmt::Display for IntegrityAlert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntegrityAlert::SerialRolledBack { previous, current } => write!(
                f,
                "state serial went back from {previous} to {current}: an older state was restored; check the backend's object versions before the next apply"
            ),
            IntegrityAlert::LineageChanged { previous, current } => write!(
                f,
                "state lineage changed from {previous} to {current}: a different state now sits at this workspace's key"
            ),
            IntegrityAlert::HashChangedAtSameSerial { serial, .. } => write!(
                f,
                "state content changed at the same serial {serial}: the state was edited outside terraform"
            ),
        }
    }
}

/// Compares this scan's record with the previous one (none on a first scan).
/// A changed lineage makes serials incomparable, so it is the only alert then.
pub fn check(previous: Option<&IntegrityRecord>, current: &IntegrityRecord) -> Vec<IntegrityAlert> {
    let Some(prev) = previous else {
        return Vec::new();
    };
    if prev.lineage != current.lineage {
        return vec![IntegrityAlert::LineageChanged {
            previous: prev.lineage.clone(),
            current: current.lineage.clone(),
        }];
    }
    if current.serial < prev.serial {
        return vec![IntegrityAlert::SerialRolledBack {
            previous: prev.serial,
            current: current.serial,
        }];
    }
    if current.serial == prev.serial && current.sha256 != prev.sha256 {
        return vec![IntegrityAlert::HashChangedAtSameSerial {
            serial: current.serial,
            previous_sha256: prev.sha256.clone(),
            current_sha256: current.sha256.clone(),
        }];
    }
    Vec::new()
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error(
        "the recorded state is not a terraform state object: {message}; pass the raw bytes read from the backend"
    )]
    NotState { message: String },
    #[error("cannot read integrity records {}: {source}; check the path and its permissions", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("integrity records {} are not valid JSON ({message}); move the file aside to start over (the next scan records afresh)", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("cannot write integrity records {}: {source}; check that the directory exists and is writable", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where the last record per workspace is kept between scans.
pub trait IntegrityStore {
    fn last(&self, workspace: &str) -> Option<IntegrityRecord>;
    fn record(&mut self, workspace: &str, rec: IntegrityRecord) -> Result<(), IntegrityError>;
}

/// For tests and one-shot runs.
#[derive(Debug, Default, Clone)]
pub struct MemoryIntegrityStore {
    records: BTreeMap<String, IntegrityRecord>,
}

impl IntegrityStore for MemoryIntegrityStore {
    fn last(&self, workspace: &str) -> Option<IntegrityRecord> {
        self.records.get(workspace).cloned()
    }

    fn record(&mut self, workspace: &str, rec: IntegrityRecord) -> Result<(), IntegrityError> {
        self.records.insert(workspace.to_string(), rec);
        Ok(())
    }
}

/// One JSON file `{"version": "1", "workspaces": {name: record}}`, rewritten
/// atomically (temp file in the same directory, fsync, rename) so a crash
/// never leaves half a file.
#[derive(Debug)]
pub struct JsonFileIntegrityStore {
    path: PathBuf,
    records: BTreeMap<String, IntegrityRecord>,
}

#[derive(Serialize, Deserialize)]
struct FileContents {
    version: String,
    workspaces: BTreeMap<String, IntegrityRecord>,
}

impl JsonFileIntegrityStore {
    /// Opens the file, or starts empty when it does not exist yet.
    pub fn open(path: &Path) -> Result<Self, IntegrityError> {
        let records = match std::fs::read(path) {
            Ok(bytes) => {
                let c: FileContents =
                    serde_json::from_slice(&bytes).map_err(|e| IntegrityError::Corrupt {
                        path: path.to_path_buf(),
                        message: e.to_string(),
                    })?;
                c.workspaces
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(source) => {
                return Err(IntegrityError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Ok(JsonFileIntegrityStore {
            path: path.to_path_buf(),
            records,
        })
    }

    fn save(&self) -> Result<(), IntegrityError> {
        let write_err = |source| IntegrityError::Write {
            path: self.path.clone(),
            source,
        };
        let contents = FileContents {
            version: "1".into(),
            workspaces: self.records.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&contents).expect("records serialize");
        let file_name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "integrity.json".into());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let tmp = self
            .path
            .with_file_name(format!(".{file_name}.tmp-{}-{nanos}", std::process::id()));
        let written = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if let Err(source) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(write_err(source));
        }
        Ok(())
    }
}

impl IntegrityStore for JsonFileIntegrityStore {
    fn last(&self, workspace: &str) -> Option<IntegrityRecord> {
        self.records.get(workspace).cloned()
    }

    fn record(&mut self, workspace: &str, rec: IntegrityRecord) -> Result<(), IntegrityError> {
        let old = self.records.insert(workspace.to_string(), rec);
        if let Err(e) = self.save() {
            // Keep memory and disk in step.
            match old {
                Some(o) => self.records.insert(workspace.to_string(), o),
                None => self.records.remove(workspace),
            };
            return Err(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(lineage: &str, serial: u64, sha: &str) -> IntegrityRecord {
        IntegrityRecord {
            lineage: lineage.into(),
            serial,
            sha256: sha.into(),
        }
    }

    #[test]
    fn alerts() {
        let prev = rec("L", 5, "aa");
        assert!(check(None, &prev).is_empty());
        assert!(check(Some(&prev), &rec("L", 5, "aa")).is_empty());
        assert!(check(Some(&prev), &rec("L", 6, "bb")).is_empty());
        assert_eq!(
            check(Some(&prev), &rec("L", 4, "cc")),
            vec![IntegrityAlert::SerialRolledBack {
                previous: 5,
                current: 4
            }]
        );
        assert!(matches!(
            check(Some(&prev), &rec("M", 1, "cc"))[..],
            [IntegrityAlert::LineageChanged { .. }]
        ));
        let same = check(Some(&prev), &rec("L", 5, "dd"));
        assert!(matches!(
            same[..],
            [IntegrityAlert::HashChangedAtSameSerial { serial: 5, .. }]
        ));
        assert!(same[0].to_string().contains("same serial 5"));
    }

    #[test]
    fn record_from_state_bytes() {
        let bytes = br#"{"version": 4, "serial": 7, "lineage": "abc", "resources": []}"#;
        let r = IntegrityRecord::from_state_bytes(bytes).unwrap();
        assert_eq!((r.lineage.as_str(), r.serial), ("abc", 7));
        assert_eq!(r.sha256, sha256_hex(bytes));
        assert!(IntegrityRecord::from_state_bytes(b"{}").is_err());
    }

    #[test]
    fn stores_remember_the_last_record() {
        let mut mem = MemoryIntegrityStore::default();
        mem.record("ws", rec("L", 1, "a")).unwrap();
        mem.record("ws", rec("L", 2, "b")).unwrap();
        assert_eq!(mem.last("ws"), Some(rec("L", 2, "b")));
        assert_eq!(mem.last("other"), None);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("integrity.json");
        let mut file = JsonFileIntegrityStore::open(&path).unwrap();
        assert_eq!(file.last("ws"), None);
        file.record("ws", rec("L", 3, "c")).unwrap();
        file.record("ws2", rec("M", 1, "d")).unwrap();
        let reopened = JsonFileIntegrityStore::open(&path).unwrap();
        assert_eq!(reopened.last("ws"), Some(rec("L", 3, "c")));
        assert_eq!(reopened.last("ws2"), Some(rec("M", 1, "d")));
        // Only the target file is left behind, no temp files.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        std::fs::write(&path, "{not json").unwrap();
        let e = JsonFileIntegrityStore::open(&path).unwrap_err().to_string();
        assert!(
            e.contains("integrity.json") && e.contains("not valid JSON"),
            "{e}"
        );
    }
}
