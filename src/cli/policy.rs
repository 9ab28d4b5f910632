//! `driftcost policy eval|test`: Rego policies on a plan, a cost report or
//! a drift report (exit 0 pass, 2 a failure or an approval needed, 1 error).

use super::common::write_or_print;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use driftcost::policy::{
    Evaluation, InputKind, Limits, PolicySet, mask_plan, render_json, render_markdown, render_table,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Evaluate the policies of a folder on one input (deny/violation fail, warn warns).
    Eval(EvalArgs),
    /// Run the Rego unit tests (`test_*` rules) of a folder, as `opa test` (exit 2 when one fails).
    Test(TestArgs),
    /// Print the `input` document policies see for a file (a plan with its sensitive values masked).
    Input(InputArgs),
}

/// The one document a command reads as `input`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["plan", "cost", "drift"])))]
pub struct InputArgs {
    /// terraform's plan JSON (`terraform show -json`), as `input` (sensitive values masked).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// driftcost's (Infracost-shaped) cost JSON (`cost breakdown --format json`), as `input`.
    #[arg(long)]
    cost: Option<PathBuf>,
    /// A drift report JSON (`drift --format json`, `scan --format json`), as `input`.
    #[arg(long)]
    drift: Option<PathBuf>,
}

impl InputArgs {
    /// Which input was given, and its file.
    fn which(&self) -> anyhow::Result<(InputKind, &PathBuf)> {
        Ok(match (&self.plan, &self.cost, &self.drift) {
            (Some(p), _, _) => (InputKind::Plan, p),
            (_, Some(c), _) => (InputKind::Cost, c),
            (_, _, Some(d)) => (InputKind::Drift, d),
            _ => anyhow::bail!("give one input: --plan, --cost or --drift"),
        })
    }
}

#[derive(Args)]
pub struct EvalArgs {
    /// Folder of .rego files (and data.json/data.yaml); repeat for several.
    #[arg(long = "policy", required = true)]
    policies: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Only packages named this or below it (as conftest); repeatable.
    #[arg(long)]
    namespace: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    limits: LimitArgs,
    /// Write the result here instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

#[derive(Args, Clone)]
pub struct LimitArgs {
    /// Time one policy (package) may take; a policy that runs longer is stopped with an error.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    pub policy_timeout: Duration,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            per_policy: self.policy_timeout,
        }
    }
}

/// `--policy DIR` on the commands that decide something (cost, comment).
#[derive(Args, Clone, Default)]
pub struct PolicyArgs {
    /// Folder of Rego policies to evaluate on the result (repeatable); exit 2 when one fails.
    #[arg(long = "policy")]
    pub policies: Vec<PathBuf>,
    /// Only the policy packages named this or below it; repeatable.
    #[arg(long = "policy-namespace", requires = "policies")]
    pub namespaces: Vec<String>,
    /// Time one policy (package) may take; a policy that runs longer is an error.
    #[arg(long = "policy-timeout", default_value = "5s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
}

impl PolicyArgs {
    /// The evaluation of every `--policy` folder on `input`, or `None` without `--policy`.
    pub fn evaluate(
        &self,
        kind: InputKind,
        input: &serde_json::Value,
    ) -> anyhow::Result<Option<Evaluation>> {
        if self.policies.is_empty() {
            return Ok(None);
        }
        evaluate_dirs(
            &self.policies,
            &self.namespaces,
            kind,
            input,
            Limits {
                per_policy: self.timeout,
            },
        )
        .map(Some)
    }
}

#[derive(Args)]
pub struct TestArgs {
    /// Folder of .rego files with `test_*` rules.
    dir: PathBuf,
    /// Only packages named this or below it; repeatable.
    #[arg(long)]
    namespace: Vec<String>,
    /// `table` (PASS/FAIL per test) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

pub fn run(cmd: PolicyCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PolicyCommand::Eval(a) => eval(a),
        PolicyCommand::Test(a) => test(a),
        PolicyCommand::Input(a) => {
            let (kind, path) = a.which()?;
            let input = load_input(kind, path)?;
            write_or_print(None, &serde_json::to_string_pretty(&input)?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let (kind, path) = args.input.which()?;
    let input = load_input(kind, path)?;
    let evaluation = evaluate_dirs(
        &args.policies,
        &args.namespace,
        kind,
        &input,
        args.limits.limits(),
    )?;
    let text = match args.format {
        Format::Table => render_table(&evaluation),
        Format::Json => render_json(kind, &evaluation),
        Format::Markdown => render_markdown(&evaluation),
    };
    write_or_print(args.out.as_deref(), &text)?;
    Ok(exit_code(&evaluation))
}

/// Loads every folder (failing on the first that does not load) and
/// evaluates each on `input`; the findings of all of them together.
pub fn evaluate_dirs(
    dirs: &[PathBuf],
    namespaces: &[String],
    kind: InputKind,
    input: &serde_json::Value,
    limits: Limits,
) -> anyhow::Result<Evaluation> {
    let mut all = Evaluation::default();
    for dir in dirs {
        let mut set = PolicySet::load(dir)?;
        set.filter_namespaces(namespaces)?;
        all.extend(set.evaluate(kind, input, limits)?);
    }
    Ok(all)
}

/// 2 when a policy failed or needs an approval, else 0.
pub fn exit_code(evaluation: &Evaluation) -> ExitCode {
    if evaluation.failed() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads one input document, checks it is the kind it was given as, and
/// masks a plan's sensitive values.
fn load_input(kind: InputKind, path: &Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} input {}", kind.as_str(), path.display()))?;
    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not JSON ({e}); --{} takes a JSON file",
            path.display(),
            e.line(),
            e.column(),
            kind.as_str()
        )
    })?;
    let (key, made_by) = match kind {
        InputKind::Plan => ("resource_changes", "`terraform show -json PLANFILE`"),
        InputKind::Cost => (
            "projects",
            "`driftcost cost breakdown --format json` (or Infracost's JSON)",
        ),
        InputKind::Drift => (
            "items",
            "`driftcost drift --format json` or `driftcost scan --format json`",
        ),
    };
    let looks_right = value.is_object()
        && (value.get(key).is_some()
            || (kind == InputKind::Plan && value.get("format_version").is_some()));
    if !looks_right {
        anyhow::bail!(
            "{} is not a {} document (no `{key}`); make it with {made_by}",
            path.display(),
            kind.as_str()
        );
    }
    if kind == InputKind::Plan {
        mask_plan(&mut value);
    }
    Ok(value)
}

fn test(args: TestArgs) -> anyhow::Result<ExitCode> {
    let mut set = PolicySet::load(&args.dir)?;
    set.filter_namespaces(&args.namespace)?;
    if set.test_count() == 0 {
        anyhow::bail!(
            "{} holds no test_* rule; write Rego unit tests (e.g. `test_denies_public_bucket if {{ … with input as … }}`) beside the policies",
            args.dir.display()
        );
    }
    let report = set.run_tests(args.limits.limits());
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report)?,
        Format::Table | Format::Markdown => report.render(),
    };
    write_or_print(None, &text)?;
    Ok(if report.failed() > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
