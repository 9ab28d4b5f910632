//! `driftcost token create|list|revoke`: the API's bearer tokens. Creating
//! and revoking are recorded in the audit trail (who: `cli:$USER`).

use super::runs::{StoreArgs, runtime};
use anyhow::bail;
use clap::Subcommand;
use driftcost::store::{AuditAction, AuditEvent, AuditResult, AuditVia, Role, Store, TokenInfo};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Creates an API bearer token; the secret is printed once and stored only hashed.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// What the token may do, each role including the ones before it: read
        /// results, also trigger scans, also approve or reject runs that wait for
        /// an approval (approver), or administer (admin also reads the audit trail).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who or what the token is for (shown in the audit trail as who acted).
        #[arg(long, default_value = "")]
        label: String,
        /// Start a new store at the default place (`driftcost.db` beside the jobs
        /// directory) if there is none; an explicit --store is created when missing.
        #[arg(long)]
        create_store: bool,
    },
    /// Every token: id, role, label, created, revoked (never secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// As JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Revokes a token by id (the first column of `token list`); takes effect at once.
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// The token's id.
        id: i64,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Read,
    Trigger,
    Approver,
    Admin,
}

/// Who acts from the command line: the login name, as `cli:NAME`.
pub(crate) fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".into());
    format!("cli:{user}")
}

/// An audit event done on this host through the command line.
pub(crate) fn cli_event(action: AuditAction) -> AuditEvent {
    AuditEvent::new(cli_actor(), AuditVia::Cli, action).remote("local")
}

pub fn run(c: TokenCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            TokenCommand::Create {
                store,
                role,
                label,
                create_store,
            } => {
                // A token lands in one store; a store silently started in the
                // wrong folder would hold a token `serve` never sees.
                let s = if create_store || store.store.is_some() {
                    Store::open(&store.url()).await?
                } else {
                    store.open_existing().await.map_err(|e| {
                        anyhow::anyhow!("{e}; to start a new store there, add --create-store")
                    })?
                };
                let role = match role {
                    RoleArg::Read => Role::Read,
                    RoleArg::Trigger => Role::Trigger,
                    RoleArg::Approver => Role::Approver,
                    RoleArg::Admin => Role::Admin,
                };
                let secret = s.create_token(role, &label).await?;
                let id = s.identify_token(&secret).await?.map(|t| t.id);
                s.audit()
                    .record(
                        cli_event(AuditAction::TokenCreated)
                            .target(id.map_or("token".into(), |id| format!("token {id}")))
                            .detail(format!("role {role}, label {label:?}")),
                    )
                    .await?;
                eprintln!("token created; it is shown once and stored only as a hash:");
                println!("{secret}");
                Ok(ExitCode::SUCCESS)
            }
            TokenCommand::List { store, json } => {
                let s = store.open_existing().await?;
                let tokens = s.list_tokens().await?;
                if json {
                    for t in &tokens {
                        println!("{}", serde_json::to_string(t)?);
                    }
                } else {
                    print_tokens(&tokens);
                }
                Ok(ExitCode::SUCCESS)
            }
            TokenCommand::Revoke { store, id } => {
                let s = store.open_existing().await?;
                let revoked = s.revoke_token(id).await?;
                let event = cli_event(AuditAction::TokenRevoked).target(format!("token {id}"));
                if revoked {
                    s.audit().record(event).await?;
                    eprintln!("token {id} revoked");
                    Ok(ExitCode::SUCCESS)
                } else {
                    s.audit()
                        .record(
                            event
                                .result(AuditResult::Failed)
                                .detail("no live token with this id"),
                        )
                        .await?;
                    bail!(
                        "no live token with id {id} in {}; `driftcost token list` shows the ids (a revoked token stays revoked)",
                        store.url()
                    )
                }
            }
        }
    })
}

fn print_tokens(tokens: &[TokenInfo]) {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
    table.set_header(vec!["id", "role", "label", "created", "revoked"]);
    for t in tokens {
        table.add_row(vec![
            t.id.to_string(),
            t.role.to_string(),
            t.label.clone(),
            t.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            t.revoked_at
                .map(|r| r.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    println!("{table}");
}
