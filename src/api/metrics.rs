//! `GET /metrics` in the Prometheus text exposition format (0.0.4), written by
//! hand: four families do not justify a metrics registry, and the numbers are
//! read from the store at scrape time, so every worker and API process sharing
//! one store reports the same values.

use super::backend::Metrics;
use crate::escape::prometheus_label as escape_label;
use std::fmt::Write;

/// `Content-Type` of the exposition format.
pub(crate) const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Statuses a run leaves again; everything else is final.
const ACTIVE: [&str; 2] = ["queued", "running"];
/// Final statuses, always exposed (as 0 when absent) so series do not appear
/// and vanish.
const FINISHED: [&str; 4] = ["succeeded", "failed", "timed_out", "cancelled"];

pub(crate) fn render(m: &Metrics) -> String {
    let mut out = String::with_capacity(2048);
    let count = |status: &str| m.runs_by_status.get(status).copied().unwrap_or(0);

    family(
        &mut out,
        "driftcost_runs_total",
        "counter",
        "Finished runs recorded in the run store, by final status.",
    );
    let extra = m
        .runs_by_status
        .keys()
        .map(String::as_str)
        .filter(|s| !ACTIVE.contains(s) && !FINISHED.contains(s));
    for status in FINISHED.into_iter().chain(extra) {
        sample(
            &mut out,
            "driftcost_runs_total",
            &[("status", status)],
            &count(status).to_string(),
        );
    }

    family(
        &mut out,
        "driftcost_runs_active",
        "gauge",
        "Runs queued or running now, by status.",
    );
    for status in ACTIVE {
        sample(
            &mut out,
            "driftcost_runs_active",
            &[("status", status)],
            &count(status).to_string(),
        );
    }

    let h = &m.scan_durations;
    family(
        &mut out,
        "driftcost_scan_duration_seconds",
        "histogram",
        "Wall time of finished scans, from claim to completion.",
    );
    for (bound, n) in &h.buckets {
        sample(
            &mut out,
            "driftcost_scan_duration_seconds_bucket",
            &[("le", &float(*bound))],
            &n.to_string(),
        );
    }
    sample(
        &mut out,
        "driftcost_scan_duration_seconds_bucket",
        &[("le", "+Inf")],
        &h.count.to_string(),
    );
    sample(
        &mut out,
        "driftcost_scan_duration_seconds_sum",
        &[],
        &float(h.sum_seconds),
    );
    sample(
        &mut out,
        "driftcost_scan_duration_seconds_count",
        &[],
        &h.count.to_string(),
    );

    family(
        &mut out,
        "driftcost_drifted_workspaces",
        "gauge",
        "Workspaces whose latest finished scan found drift.",
    );
    sample(
        &mut out,
        "driftcost_drifted_workspaces",
        &[],
        &m.drifted_workspaces.to_string(),
    );

    family(
        &mut out,
        "driftcost_queue_depth",
        "gauge",
        "Runs waiting to be claimed by a worker.",
    );
    sample(
        &mut out,
        "driftcost_queue_depth",
        &[],
        &m.queue_depth.to_string(),
    );
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: &str) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape_label(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// Go-style float text: `+Inf`, `-Inf`, `NaN`, else Rust's shortest form.
fn float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::backend::ScanDurations;

    fn example() -> Metrics {
        Metrics {
            runs_by_status: [
                ("succeeded", 7),
                ("failed", 2),
                ("queued", 3),
                ("odd\"one", 1),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            scan_durations: ScanDurations::from_seconds([0.5, 12.25, 90.0]),
            drifted_workspaces: 4,
            queue_depth: 3,
        }
    }

    #[test]
    fn exposes_every_family_with_help_and_type() {
        let text = render(&example());
        for (name, kind) in [
            ("driftcost_runs_total", "counter"),
            ("driftcost_runs_active", "gauge"),
            ("driftcost_scan_duration_seconds", "histogram"),
            ("driftcost_drifted_workspaces", "gauge"),
            ("driftcost_queue_depth", "gauge"),
        ] {
            assert!(text.contains(&format!("# TYPE {name} {kind}\n")), "{name}");
            assert!(text.contains(&format!("# HELP {name} ")), "{name}");
        }
        assert!(text.contains("driftcost_runs_total{status=\"succeeded\"} 7\n"));
        assert!(text.contains("driftcost_runs_total{status=\"cancelled\"} 0\n"));
        assert!(text.contains("driftcost_runs_total{status=\"odd\\\"one\"} 1\n"));
        assert!(text.contains("driftcost_runs_active{status=\"queued\"} 3\n"));
        assert!(!text.contains("driftcost_runs_total{status=\"queued\"}"));
        assert!(text.contains("driftcost_scan_duration_seconds_bucket{le=\"1\"} 1\n"));
        assert!(text.contains("driftcost_scan_duration_seconds_bucket{le=\"30\"} 2\n"));
        assert!(text.contains("driftcost_scan_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("driftcost_scan_duration_seconds_sum 102.75\n"));
        assert!(text.contains("driftcost_scan_duration_seconds_count 3\n"));
        assert!(text.contains("driftcost_drifted_workspaces 4\n"));
        assert!(text.contains("driftcost_queue_depth 3\n"));
    }

    #[test]
    fn each_family_is_declared_once_before_its_samples() {
        let text = render(&example());
        let mut declared = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let name = rest.split(' ').next().unwrap();
                assert!(!declared.contains(&name.to_string()), "{name} twice");
                declared.push(name.to_string());
            } else if !line.starts_with('#') {
                let metric = line.split(['{', ' ']).next().unwrap();
                let family = declared.last().expect("sample before any TYPE");
                assert!(metric.starts_with(family.as_str()), "{line} under {family}");
            }
        }
    }

    #[test]
    fn empty_store_is_a_valid_histogram() {
        let text = render(&Metrics::default());
        assert!(text.contains("driftcost_scan_duration_seconds_bucket{le=\"+Inf\"} 0\n"));
        assert!(text.contains("driftcost_scan_duration_seconds_sum 0\n"));
        assert_eq!(float(f64::INFINITY), "+Inf");
        assert_eq!(float(f64::NAN), "NaN");
    }
}
