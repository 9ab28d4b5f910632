//! `google_cloud_run_v2_job`: the CPU and memory a job's tasks hold while
//! they run, as Infracost prices it: seconds = `monthly_job_executions` ×
//! `template.task_count` (default 1) × `average_task_execution_mins` × 60,
//! times the first container's vCPUs (default 1) or GiB (default 512Mi),
//! at Cloud Run's jobs rates in the job's region. Without both usage values
//! the lines are usage-based. Regions in Cloud Run's tier 2 name their lines
//! "(tier 2)".

use super::cloud_run::{limits, tier_2};
use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let job = attrs.block("template");
    let resources = job
        .and_then(|t| t.block("template"))
        .and_then(|t| t.block("containers"))
        .and_then(|c| c.block("resources"));
    let (cpus, memory) = limits(
        resources.and_then(|r| r.str("limits.cpu")),
        resources.and_then(|r| r.str("limits.memory")),
        &mut p,
    );
    let tasks = job
        .and_then(|t| t.decimal("task_count"))
        .unwrap_or(Decimal::ONE);
    let seconds = match (
        ctx.usage.decimal("monthly_job_executions"),
        ctx.usage.decimal("average_task_execution_mins"),
    ) {
        (Some(executions), Some(minutes)) => p
            .mul("monthly_job_executions × task_count", executions, tasks)
            .and_then(|runs| {
                p.mul(
                    "runs × average_task_execution_mins",
                    runs,
                    minutes * dec!(60),
                )
            }),
        _ => None,
    };
    let mut times = |per: Decimal, what: &str| seconds.and_then(|s| p.mul(what, s, per));
    let (cpu_seconds, gib_seconds) = (
        times(cpus, "seconds × vCPUs"),
        times(memory, "seconds × GiB"),
    );
    let (cpu_name, memory_name) = if tier_2(ctx.region) {
        (
            "CPU allocation time (tier 2)",
            "Memory allocation time (tier 2)",
        )
    } else {
        ("CPU allocation time", "Memory allocation time")
    };
    let jobs = |description: &'static str, unit: &'static str| {
        filter(
            "Cloud Run",
            "ApplicationServices",
            ctx.region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    p.push(ComponentSpec::usage(
        cpu_name,
        "vCPU-seconds",
        cpu_seconds,
        jobs("Jobs CPU", "vCPU-s"),
    ));
    p.push(ComponentSpec::usage(
        memory_name,
        "GiB-seconds",
        gib_seconds,
        jobs("Jobs Memory", "GiB-s"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_cloud_run_v2_job";

    #[test]
    fn task_time_comes_from_executions_tasks_and_minutes() {
        // 50,000 executions × 1 task × 10 min × 60 = 30,000,000 s × 1 vCPU × $0.0000216
        // = $648.00; × 0.5 GiB = 15,000,000 GiB-s × $0.0000024 = $36.00
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_v2_job.test:\n    monthly_job_executions: 50000\n    average_task_execution_mins: 10\n";
        let after = json!({"location": "europe-west3", "template": [{"task_count": 1,
            "template": [{"containers": [{"image": "hello"}]}]}]});
        let r = price(T, after, "europe-west3", Some(usage));
        let cpu = component(&r, "CPU allocation time (tier 2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(30000000)));
        assert_eq!(cpu.monthly_cost.map(|c| c.normalize()), Some(dec!(648)));
        let memory = component(&r, "Memory allocation time (tier 2)");
        assert_eq!(memory.monthly_quantity, Some(dec!(15000000)));
        assert_eq!(memory.monthly_cost.map(|c| c.normalize()), Some(dec!(36)));
    }

    #[test]
    fn tasks_and_limits_multiply_and_missing_usage_is_said() {
        // 10 executions × 3 tasks × 2 min × 60 = 3,600 s × 2 vCPUs = 7,200 vCPU-s;
        // × 1 GiB = 3,600 GiB-s; tier 1 names in us-central1
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_v2_job.test:\n    monthly_job_executions: 10\n    average_task_execution_mins: 2\n";
        let after = json!({"location": "us-central1", "template": [{"task_count": 3,
            "template": [{"containers": [{"resources": [{"limits": {"cpu": "2000m", "memory": "1Gi"}}]}]}]}]});
        let r = price(T, after.clone(), "us-central1", Some(usage));
        assert_eq!(
            component(&r, "CPU allocation time").monthly_quantity,
            Some(dec!(7200))
        );
        assert_eq!(
            component(&r, "Memory allocation time").monthly_quantity,
            Some(dec!(3600))
        );
        let r = price(T, after, "europe-west3", None);
        assert_eq!(component(&r, "CPU allocation time").monthly_quantity, None);
        let r = price(T, json!({"location": "europe-west3"}), "europe-west3", None);
        assert_eq!(
            component(&r, "CPU allocation time (tier 2)").status,
            ComponentStatus::UsageMissing
        );
    }
}
