//! The scheduler's side of the store: which workspaces are scheduled, and a
//! fired tick becomes a queued run. `worker` and `serve --with-worker` both
//! run the scheduler over these.

use crate::jobs::JobFile;
use crate::schedule::{ScheduleSink, ScheduledWorkspace, SinkError};
use crate::store::{AuditAction, AuditEvent, AuditVia, Store, Trigger};
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
        let event = AuditEvent::new("scheduler", AuditVia::Schedule, AuditAction::ScanTriggered)
            .workspace(workspace)
            .target(format!("run {run}"))
            .detail(if created {
                format!("queued for the tick at {}", tick.to_rfc3339())
            } else {
                format!(
                    "tick at {}: a run was already queued or running",
                    tick.to_rfc3339()
                )
            });
        if let Err(e) = self.0.audit().record(event).await {
            tracing::error!(error = %e, "cannot write the audit trail");
        }
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
