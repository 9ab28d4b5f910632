//! The scheduler's side of the store: which workspaces are scheduled, and a
//! fired tick becomes a queued run. `worker` and `serve --with-worker` both
//! run the scheduler over these.

use crate::jobs::JobFile;
use crate::schedule::{ScheduleSink, ScheduledWorkspace, SinkError};
use crate::store::{Store, Trigger};
use chrono::{DateTime, Utc};

/// The scheduler's view of the store: fired ticks are queued runs.
pub struct StoreSink(pub Store);

impl ScheduleSink for StoreSink {
    async fn last_fired(&self, workspace: &str) -> Result<Option<DateTime<Utc>>, SinkError> {
        self.0
            .last_scheduled(workspace)
            .await
            .map_err(SinkError::new)
    }

    async fn fire(&self, workspace: &str, tick: DateTime<Utc>) -> Result<(), SinkError> {
        let (run, created) = self
            .0
            .enqueue(workspace, Trigger::Schedule, Some(tick))
            .await
            .map_err(SinkError::new)?;
        tracing::info!(workspace, run, created, %tick, "schedule fired");
        Ok(())
    }
}

/// The enabled workspaces that have a schedule, for the scheduler.
pub fn scheduled(files: &[JobFile]) -> Vec<ScheduledWorkspace> {
    files
        .iter()
        .flat_map(|f| &f.workspaces)
        .filter(|w| !w.disabled)
        .filter_map(|w| {
            Some(ScheduledWorkspace {
                workspace: w.name.clone(),
                schedule: w.schedule.clone()?,
                offset: w.jitter_offset(),
            })
        })
        .collect()
}
