//! The fake cloud: one JSON file per object, `<cloud_dir>/<type>/<id>.json`. Tests change
//! or delete these files behind terraform's back to produce real drift.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tf_provider::value::ValueAny;

use crate::spec::Obj;

/// Environment variable naming the cloud directory when the provider block does not.
pub const CLOUD_DIR_ENV: &str = "DRIFTCOST_TEST_CLOUD_DIR";
/// Environment variable naming a resource id (or `*`) whose `read` never returns.
pub const HANG_ON_READ_ENV: &str = "DRIFTCOST_TEST_PROVIDER_HANG_ON_READ";
/// The account id in every ARN, as LocalStack and moto use.
pub const ACCOUNT_ID: &str = "000000000000";

/// Provider configuration, known only after `configure`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub cloud_dir: PathBuf,
    pub region: String,
    pub default_tags: Obj,
}

/// Resources are created before `configure` runs, so they share the settings through this.
pub type SharedSettings = Arc<RwLock<Option<Settings>>>;

impl Settings {
    fn path(&self, type_name: &str, id: &str) -> PathBuf {
        self.cloud_dir.join(type_name).join(format!("{id}.json"))
    }

    /// The object's file content, `None` when the file is gone (deleted out of band).
    pub fn load(&self, type_name: &str, id: &str) -> io::Result<Option<ValueAny>> {
        match std::fs::read(self.path(type_name, id)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn save(&self, type_name: &str, id: &str, obj: &Obj) -> io::Result<()> {
        let path = self.path(type_name, id);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = serde_json::to_string_pretty(obj).map_err(io::Error::other)?;
        text.push('\n');
        // Write then rename, so a reader never sees half a file.
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }

    pub fn remove(&self, type_name: &str, id: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(type_name, id)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!("arn:aws:{service}:{}:{ACCOUNT_ID}:{resource}", self.region)
    }
}

/// `len` random lowercase hex digits; ids only need to be unique, not secret.
pub fn random_hex(len: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}

/// Whether `read` of this id must hang, to let callers test their timeouts.
pub fn hang_on_read(id: &str) -> bool {
    match std::env::var(HANG_ON_READ_ENV) {
        Ok(v) => v == "*" || v == id,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_hex_has_the_length_asked_and_differs_between_calls() {
        let a = random_hex(17);
        let b = random_hex(17);
        assert_eq!(a.len(), 17);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn files_round_trip_and_a_deleted_file_reads_as_gone() {
        let dir = std::env::temp_dir().join(format!("driftcost-store-{}", random_hex(8)));
        let settings = Settings {
            cloud_dir: dir.clone(),
            region: "eu-west-1".into(),
            default_tags: Obj::new(),
        };
        let obj: Obj = [("size".to_string(), ValueAny::Number(8))].into();
        settings.save("aws_ebs_volume", "vol-1", &obj).unwrap();
        let loaded = settings.load("aws_ebs_volume", "vol-1").unwrap();
        assert_eq!(loaded, Some(ValueAny::Map(obj)));
        settings.remove("aws_ebs_volume", "vol-1").unwrap();
        assert_eq!(settings.load("aws_ebs_volume", "vol-1").unwrap(), None);
        assert_eq!(
            settings.arn("ec2", "volume/vol-1"),
            "arn:aws:ec2:eu-west-1:000000000000:volume/vol-1"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
