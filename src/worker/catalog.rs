//! The workspaces a worker knows, by name, with their job file's concurrency limit.

use super::policies::LoadedPolicies;
use crate::jobs::{CostThreshold, JobFile, NotifyTarget, Workspace};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Loaded once at start; a run for a name not in here fails with a clear error
/// (the job files changed under a queued run).
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    workspaces: BTreeMap<String, (Arc<Workspace>, Option<Arc<Semaphore>>)>,
    /// Notification targets by name, over all files (a name defined in two
    /// files keeps the first; `jobs check` lists both files).
    targets: BTreeMap<String, NotifyTarget>,
    /// Policy folders, each loaded once however many workspaces name it.
    policies: BTreeMap<PathBuf, LoadedPolicies>,
}

impl Catalog {
    pub fn new(files: &[JobFile]) -> Self {
        let mut workspaces = BTreeMap::new();
        let mut targets = BTreeMap::new();
        let mut policies = BTreeMap::new();
        for file in files {
            for (name, t) in &file.notify {
                targets.entry(name.clone()).or_insert_with(|| t.clone());
            }
            let group = file.concurrency.map(|n| Arc::new(Semaphore::new(n.max(1))));
            for ws in &file.workspaces {
                for dir in &ws.policies {
                    policies
                        .entry(dir.clone())
                        .or_insert_with(|| LoadedPolicies::load(dir));
                }
                workspaces.insert(ws.name.clone(), (Arc::new(ws.clone()), group.clone()));
            }
        }
        Catalog {
            workspaces,
            targets,
            policies,
        }
    }

    /// The targets a workspace's `notify` list names.
    pub fn targets(&self, workspace: &str) -> Vec<&NotifyTarget> {
        self.workspaces
            .get(workspace)
            .map(|(ws, _)| {
                ws.notify
                    .iter()
                    .filter_map(|n| self.targets.get(n))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn target(&self, name: &str) -> Option<&NotifyTarget> {
        self.targets.get(name)
    }

    pub fn cost_threshold(&self, workspace: &str) -> Option<&CostThreshold> {
        self.workspaces
            .get(workspace)
            .and_then(|(ws, _)| ws.cost_threshold.as_ref())
    }

    /// The policy folders of a workspace, in the order its job file lists them.
    pub fn policies(&self, workspace: &str) -> Vec<LoadedPolicies> {
        self.workspaces
            .get(workspace)
            .map(|(ws, _)| {
                ws.policies
                    .iter()
                    .filter_map(|d| self.policies.get(d).cloned())
                    .collect()
            })
            .unwrap_or_default()
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
