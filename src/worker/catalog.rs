//! The workspaces a worker knows, by name, with their job file's concurrency limit.

use crate::jobs::{JobFile, Workspace};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Loaded once at start; a run for a name not in here fails with a clear error
/// (the job files changed under a queued run).
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    workspaces: BTreeMap<String, (Arc<Workspace>, Option<Arc<Semaphore>>)>,
}

impl Catalog {
    pub fn new(files: &[JobFile]) -> Self {
        let mut workspaces = BTreeMap::new();
        for file in files {
            let group: Option<Arc<Semaphore>> = None; // SCHED-MERGE
            for ws in &file.workspaces {
                workspaces.insert(ws.name.clone(), (Arc::new(ws.clone()), group.clone()));
            }
        }
        Catalog { workspaces }
    }

    pub fn get(&self, name: &str) -> Option<(&Workspace, Option<Arc<Semaphore>>)> {
        self.workspaces
            .get(name)
            .map(|(ws, group)| (ws.as_ref(), group.clone()))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.workspaces.contains_key(name)
    }

    pub fn workspaces(&self) -> impl Iterator<Item = &Workspace> {
        self.workspaces.values().map(|(ws, _)| ws.as_ref())
    }

    pub fn len(&self) -> usize {
        self.workspaces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.workspaces.is_empty()
    }
}
