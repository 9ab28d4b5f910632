//! `driftcost audit list|verify`: the audit trail from the store.

use super::runs::{StoreArgs, runtime};
use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use driftcost::report::parse_since;
use driftcost::store::{AuditAction, AuditEntry, AuditFilter, AuditHead};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Entries newest first, filtered like `GET /v1/audit`.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only entries at or after this: a period back from now (`30d`, `12h`) or an RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
        /// Only entries before this (same forms as --since).
        #[arg(long)]
        until: Option<String>,
        /// Only this actor (a token label, `cli:USER`, `scheduler`, …).
        #[arg(long)]
        actor: Option<String>,
        /// Only this action (token_created, token_revoked, scan_triggered, …).
        #[arg(long)]
        action: Option<String>,
        /// Only entries about this workspace.
        #[arg(long)]
        workspace: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// As JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Recomputes the hash chain: exit 0 intact, 2 when an entry was changed or removed.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// The head printed by an earlier verify (`ID:SHA256`), kept elsewhere:
        /// catches the newest entries being removed.
        #[arg(long)]
        head: Option<String>,
    },
}

/// A time bound: a period back from now or an RFC 3339 time.
pub(crate) fn time_bound(flag: &str, text: &str) -> anyhow::Result<DateTime<Utc>> {
    parse_since(text, Utc::now()).map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
}

pub(crate) fn parse_action(text: &str) -> anyhow::Result<AuditAction> {
    text.parse::<AuditAction>()
        .map_err(|e| anyhow::anyhow!("--action: {e}"))
}

pub fn run(c: AuditCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            AuditCommand::List {
                store,
                since,
                until,
                actor,
                action,
                workspace,
                limit,
                json,
            } => {
                let filter = AuditFilter {
                    since: since
                        .as_deref()
                        .map(|t| time_bound("since", t))
                        .transpose()?,
                    until: until
                        .as_deref()
                        .map(|t| time_bound("until", t))
                        .transpose()?,
                    actor,
                    action: action.as_deref().map(parse_action).transpose()?,
                    workspace,
                    before: None,
                    limit: Some(limit),
                };
                let s = store.open_existing().await?;
                let entries = s.audit().list(&filter).await?;
                if json {
                    for e in &entries {
                        println!("{}", serde_json::to_string(e)?);
                    }
                } else {
                    print_entries(&entries);
                }
                Ok(ExitCode::SUCCESS)
            }
            AuditCommand::Verify { store, head } => {
                let head: Option<AuditHead> = head
                    .as_deref()
                    .map(|h| {
                        h.parse()
                            .map_err(|e: String| anyhow::anyhow!("--head: {e}"))
                    })
                    .transpose()?;
                let s = store.open_existing().await?;
                let v = s
                    .audit()
                    .verify(head.as_ref())
                    .await
                    .context("reading the audit trail")?;
                for p in &v.problems {
                    println!("TAMPERED: {p}");
                }
                match &v.head {
                    Some(h) => println!("{} entries; head {h}", v.entries),
                    None => println!("the audit trail is empty"),
                }
                if v.problems.is_empty() {
                    println!("audit trail intact");
                    Ok(ExitCode::SUCCESS)
                } else {
                    Ok(ExitCode::from(2))
                }
            }
        }
    })
}

fn print_entries(entries: &[AuditEntry]) {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
    table.set_header(vec![
        "id",
        "at",
        "actor",
        "role",
        "via",
        "from",
        "action",
        "workspace",
        "target",
        "result",
        "detail",
    ]);
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    for e in entries {
        let ev = &e.event;
        table.add_row(vec![
            e.id.to_string(),
            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ev.actor.clone(),
            ev.role.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
            ev.via.to_string(),
            dash(&ev.remote),
            ev.action.to_string(),
            dash(&ev.workspace),
            dash(&ev.target),
            ev.result.to_string(),
            dash(&ev.detail),
        ]);
    }
    println!("{table}");
}
