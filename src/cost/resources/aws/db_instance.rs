//! `aws_db_instance`: instance hours by class, engine and deployment, plus
//! provisioned storage (and IOPS/throughput where the storage type bills them)
//! and backup storage beyond the free allowance.
//!
//! Defaults assumed when the plan does not say:
//! - `engine`: `mysql` (noted);
//! - `multi_az`: false (Single-AZ);
//! - `allocated_storage`: 20 GB;
//! - `storage_type`: `io1` when `iops` is set, else `gp2` (the provider's default);
//! - gp3 baseline: 3,000 IOPS / 125 MiB/s below the engine's threshold
//!   (400 GB for MySQL, MariaDB and PostgreSQL, 200 GB for Oracle), 12,000 IOPS /
//!   500 MiB/s at or above it; SQL Server always 3,000 / 125;
//! - Oracle and SQL Server: their price depends on edition and license model,
//!   which the shipped tables do not distinguish, so their instance hours miss
//!   explicitly (noted) instead of borrowing another engine's price;
//! - Aurora engines are billed per `aws_rds_cluster_instance`, not here.
//!
//! - RDS Extended Support: a major version past its RDS standard support
//!   ([`PAST_STANDARD_SUPPORT`]) bills per vCPU-hour on top of the instance.
//!   vCPUs are read from the class size (`large` 2, `xlarge` 4, `Nxlarge`
//!   4·N, burstable `micro`–`medium` 2); no Extended Support price is
//!   shipped yet, so the line is listed as not priced (never $0) until a
//!   `--pricing-dir` supplies it.
//!
//! - Reserved: `reserved_instance_term` and `reserved_instance_payment_option`
//!   (Infracost's keys) price the hours at that reserved hourly rate (the
//!   upfront fee is not in the monthly cost, as in Infracost); a reserved rate
//!   not in the tables is "no price found", never the on-demand price.
//!
//! Usage: `additional_backup_storage_gb`, `monthly_standard_io_requests` (magnetic),
//! `reserved_instance_term`, `reserved_instance_payment_option`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Engine major versions whose RDS standard support had ended when this
/// list was written (AWS "RDS Extended Support" dates: MySQL 5.7 and
/// PostgreSQL 11 on 2024-02-29, PostgreSQL 12 on 2025-02-28).
const PAST_STANDARD_SUPPORT: &[(&str, &str, &str)] = &[
    ("mysql", "5.7", "MySQL 5.7"),
    ("postgres", "11", "PostgreSQL 11"),
    ("postgres", "12", "PostgreSQL 12"),
];

/// The major version RDS supports by (`5.7.44` → `5.7`, `12.19` → `12`).
fn past_standard_support(engine: &str, version: &str) -> Option<&'static str> {
    PAST_STANDARD_SUPPORT
        .iter()
        .find(|(e, major, _)| {
            *e == engine
                && (version == *major
                    || version
                        .strip_prefix(major)
                        .is_some_and(|rest| rest.starts_with('.')))
        })
        .map(|(_, _, label)| *label)
}

/// vCPUs of an RDS class from its size, where the size says it.
pub(super) fn vcpus(class: &str) -> Option<Decimal> {
    let mut parts = class.split('.');
    let (_db, family, size) = (parts.next()?, parts.next()?, parts.next()?);
    let burstable = family.starts_with('t');
    Some(match size {
        "micro" | "small" if family == "t2" => Decimal::ONE,
        "micro" | "small" | "medium" if burstable => Decimal::TWO,
        "large" => Decimal::TWO,
        "xlarge" => dec!(4),
        s => {
            let n: u32 = s.strip_suffix("xlarge")?.parse().ok()?;
            Decimal::from(n) * dec!(4)
        }
    })
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let engine = attrs.str("engine").unwrap_or_else(|| {
        p.note("engine unknown; assumed mysql");
        "mysql"
    });
    if engine.starts_with("aurora") {
        p.note("Aurora instances are billed per aws_rds_cluster_instance");
        return p;
    }
    let multi_az = attrs.bool("multi_az").unwrap_or(false);
    let deployment = if multi_az { "Multi-AZ" } else { "Single-AZ" };
    let class = attrs.str("instance_class").unwrap_or("unknown");
    let database_engine = match engine {
        "mysql" => "MySQL",
        "postgres" => "PostgreSQL",
        "mariadb" => "MariaDB",
        e if e.starts_with("oracle") => {
            p.note("Oracle prices depend on edition and license model; no price is shipped");
            "Oracle"
        }
        e if e.starts_with("sqlserver") => {
            p.note("SQL Server prices depend on edition and license model; no price is shipped");
            "SQL Server"
        }
        other => other,
    };
    let instance = ComponentSpec::hourly(
        format!("Database instance (on-demand, {deployment}, {class})"),
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonRDS", "Database Instance", ctx.region, "Hrs")
            .attr("instanceType", class)
            .attr("databaseEngine", database_engine)
            .attr("deploymentOption", deployment),
    );
    let instance = match reserved_option(ctx, &mut p.notes) {
        Some(option) => super::instance::reserved(instance, option),
        None => instance,
    };
    p.push(instance);
    if let Some(label) = attrs
        .str("engine_version")
        .and_then(|v| past_standard_support(engine, v))
    {
        let filter = PriceFilter::aws("AmazonRDS", "Extended Support", ctx.region, "vCPU-Hrs")
            .attr("databaseEngine", database_engine)
            .attr("engineMajorVersion", label);
        let name = format!("Extended support ({label})");
        match vcpus(class) {
            Some(n) => p.push(ComponentSpec::hourly(name, "vCPU-hours", n, filter)),
            None => {
                p.note(format!(
                    "{label} is past RDS standard support: Extended Support is billed per vCPU-hour, and the vCPUs of {class} are not known; not priced"
                ));
                p.push(ComponentSpec::usage(name, "vCPU-hours", None, filter));
            }
        }
        p.note(format!(
            "{label} is past RDS standard support: Extended Support is billed per vCPU-hour on top of the instance (no shipped price yet; supply one with --pricing-dir)"
        ));
    }

    let storage_gb = attrs.decimal("allocated_storage").unwrap_or(dec!(20));
    let iops = attrs.decimal("iops").filter(|i| !i.is_zero());
    let storage_type =
        attrs
            .str("storage_type")
            .unwrap_or(if iops.is_some() { "io1" } else { "gp2" });
    // Multi-AZ rows carry their own usage types (`RDS:Multi-AZ-GP2-Storage`).
    let ut = |suffix: &str| {
        if multi_az {
            format!("RDS:Multi-AZ-{suffix}")
        } else {
            format!("RDS:{suffix}")
        }
    };
    let filter = |family: &'static str, usagetype: String, unit: &'static str| {
        PriceFilter::aws("AmazonRDS", family, ctx.region, unit).attr("usagetype", usagetype)
    };
    let storage = |name: &str, suffix: &str| {
        ComponentSpec::monthly(
            name,
            "GB",
            storage_gb,
            filter("Database Storage", ut(suffix), "GB-Mo"),
        )
    };
    match storage_type {
        "gp3" => {
            p.push(storage("Storage (general purpose SSD, gp3)", "GP3-Storage"));
            let (base_iops, base_mibps) = gp3_baseline(engine, storage_gb);
            if let Some(extra) = iops.map(|i| i - base_iops).filter(|e| *e > Decimal::ZERO) {
                p.push(ComponentSpec::monthly(
                    format!("Provisioned GP3 IOPS (above {})", thousands(base_iops)),
                    "IOPS",
                    extra,
                    filter("Provisioned IOPS", ut("GP3-PIOPS"), "IOPS-Mo"),
                ));
            }
            let throughput = attrs.decimal("storage_throughput");
            if let Some(extra) = throughput
                .map(|t| t - base_mibps)
                .filter(|e| *e > Decimal::ZERO)
            {
                p.push(ComponentSpec::monthly(
                    format!("Provisioned GP3 throughput (above {base_mibps} MiBps)"),
                    "MiBps",
                    extra,
                    filter("Provisioned Throughput", ut("GP3-Throughput"), "MiBps-Mo"),
                ));
            }
        }
        "io1" | "io2" => {
            let (label, storage_suffix, iops_suffix) = if storage_type == "io1" {
                ("io1", "PIOPS-Storage", "PIOPS")
            } else {
                ("io2", "IO2-Storage", "IO2-PIOPS")
            };
            p.push(storage(
                &format!("Storage (provisioned IOPS SSD, {label})"),
                storage_suffix,
            ));
            p.push(ComponentSpec::monthly(
                "Provisioned IOPS",
                "IOPS",
                iops.unwrap_or(dec!(1000)),
                filter("Provisioned IOPS", ut(iops_suffix), "IOPS-Mo"),
            ));
            if iops.is_none() {
                p.note("iops unknown; assumed the 1,000 IOPS minimum");
            }
        }
        "standard" => {
            p.push(storage("Storage (magnetic)", "StorageUsage"));
            p.push(
                ComponentSpec::usage(
                    "I/O requests",
                    "1M requests",
                    ctx.usage.decimal("monthly_standard_io_requests"),
                    filter("System Operation", ut("StorageIOUsage"), "IOs"),
                )
                .per(dec!(1000000)),
            );
        }
        _ => p.push(storage("Storage (general purpose SSD, gp2)", "GP2-Storage")),
    }
    if attrs.bool("performance_insights_enabled").unwrap_or(false) {
        if attrs
            .decimal("performance_insights_retention_period")
            .is_some_and(|days| days > dec!(7))
        {
            p.push(performance_insights_retention(ctx, class, None));
        }
        if let Some(api) = performance_insights_api(ctx) {
            p.push(api);
        }
    }
    p.push(ComponentSpec::usage(
        "Additional backup storage",
        "GB",
        ctx.usage.decimal("additional_backup_storage_gb"),
        filter(
            "Storage Snapshot",
            "RDS:ChargedBackupUsage".to_string(),
            "GB-Mo",
        ),
    ));
    p
}

/// The reserved `purchase_option` the usage file asks for with Infracost's
/// keys for RDS (`reserved_instance_term`: 1_year | 3_year,
/// `reserved_instance_payment_option`: no_upfront | partial_upfront |
/// all_upfront; RDS reservations are all of the standard class); `None` when
/// it asks for none, or (noted) when a value is not one RDS sells.
pub(super) fn reserved_option(ctx: &Ctx, notes: &mut Vec<String>) -> Option<&'static str> {
    let term = ctx.usage.str("reserved_instance_term")?;
    let payment = ctx
        .usage
        .str("reserved_instance_payment_option")
        .unwrap_or("");
    let option = match (term, payment) {
        ("1_year", "no_upfront") => "reserved_standard_1yr_no_upfront",
        ("1_year", "partial_upfront") => "reserved_standard_1yr_partial_upfront",
        ("1_year", "all_upfront") => "reserved_standard_1yr_all_upfront",
        ("3_year", "no_upfront") => "reserved_standard_3yr_no_upfront",
        ("3_year", "partial_upfront") => "reserved_standard_3yr_partial_upfront",
        ("3_year", "all_upfront") => "reserved_standard_3yr_all_upfront",
        _ => {
            notes.push(format!(
                "reserved instance ignored, priced on-demand: reserved_instance_term {term:?}, reserved_instance_payment_option {payment:?}; expected 1_year|3_year and no_upfront|partial_upfront|all_upfront"
            ));
            return None;
        }
    };
    if payment != "no_upfront" {
        notes.push(format!(
            "reserved ({term}, {payment}): the hourly rate only; the upfront fee is not in the monthly cost (as Infracost)"
        ));
    }
    Some(option)
}

/// Performance Insights retention beyond the free 7 days: per vCPU-month of
/// the class (priced per instance family, `PI_LTR:M5`), or for Aurora
/// Serverless v2 (`capacity_units` is `Some`) per ACU of
/// `capacity_units_per_hr` (usage-based without it).
pub(super) fn performance_insights_retention(
    ctx: &Ctx,
    class: &str,
    capacity_units: Option<Option<Decimal>>,
) -> ComponentSpec {
    let filter = |usagetype: String, unit: &'static str| {
        PriceFilter::aws("AmazonRDS", "Performance Insights", ctx.region, unit)
            .attr("usagetype", usagetype)
    };
    if let Some(acu) = capacity_units {
        return ComponentSpec::usage(
            "Performance Insights Long Term Retention (serverless)",
            "ACUs",
            acu,
            filter("PI_LTR_FMR:Serverless".to_string(), "ACU-Mo"),
        );
    }
    let family = class
        .strip_prefix("db.")
        .and_then(|c| c.split('.').next())
        .unwrap_or(class)
        .to_ascii_uppercase();
    ComponentSpec::usage(
        format!(
            "Performance Insights Long Term Retention ({})",
            class.to_ascii_lowercase()
        ),
        "vCPU-month",
        vcpus(class),
        filter(format!("PI_LTR:{family}"), "vCPU-Mo"),
    )
}

/// Performance Insights API requests beyond the free allowance, per 1,000
/// (`monthly_additional_performance_insights_requests`; usage-based without
/// it, and not listed when it is 0, as in Infracost).
pub(super) fn performance_insights_api(ctx: &Ctx) -> Option<ComponentSpec> {
    let requests = ctx
        .usage
        .decimal("monthly_additional_performance_insights_requests");
    if requests.is_some_and(|r| r.is_zero()) {
        return None;
    }
    Some(
        ComponentSpec::usage(
            "Performance Insights API",
            "1000 requests",
            requests,
            PriceFilter::aws("AmazonRDS", "Performance Insights", ctx.region, "API Calls")
                .attr("usagetype", "PI_API".to_string()),
        )
        .per(dec!(1000)),
    )
}

/// `12000` → `12,000`, as Infracost writes the gp3 baseline in its names.
fn thousands(n: Decimal) -> String {
    let digits = n.trunc().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The IOPS and MiB/s that gp3 storage includes for free, per RDS's docs.
fn gp3_baseline(engine: &str, storage_gb: Decimal) -> (Decimal, Decimal) {
    let threshold = if engine.starts_with("sqlserver") {
        None
    } else if engine.starts_with("oracle") {
        Some(dec!(200))
    } else {
        Some(dec!(400))
    };
    match threshold {
        Some(t) if storage_gb >= t => (dec!(12000), dec!(500)),
        _ => (dec!(3000), dec!(125)),
    }
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn single_az_mysql_with_default_gp2_storage() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.xlarge"}),
            "eu-central-1",
            None,
        );
        // 0.32 $/h (eu-central-1, MySQL, db.t3.xlarge) × 730 h = 233.6
        let i = component(&r, "Database instance (on-demand, Single-AZ, db.t3.xlarge)");
        assert_eq!(i.monthly_cost, Some(dec!(233.6)));
        let s = component(&r, "Storage (general purpose SSD, gp2)");
        assert_eq!(s.monthly_quantity, Some(dec!(20)));
        assert_eq!(
            s.price_filter.to_string(),
            "aws AmazonRDS \"Database Storage\" in eu-central-1, usagetype=RDS:GP2-Storage, on_demand per GB-Mo"
        );
        // 20 GB × 0.137 $/GB-Mo (eu-central-1 gp2, pricing/aws/gen-rds-ec2shop.csv) = 2.74
        assert_eq!(s.monthly_cost, Some(dec!(2.74)));
        assert_eq!(r.monthly_cost, Some(dec!(236.34)));
        let b = component(&r, "Additional backup storage");
        assert_eq!(b.status, ComponentStatus::UsageMissing);
        assert!(b.usage_based);
    }

    #[test]
    fn postgres_and_mariadb_use_their_own_rows() {
        let pg = price(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.r5.12xlarge"}),
            "ap-northeast-1",
            None,
        );
        // 7.2 $/h × 730 h = 5256
        assert_eq!(
            component(
                &pg,
                "Database instance (on-demand, Single-AZ, db.r5.12xlarge)"
            )
            .monthly_cost,
            Some(dec!(5256))
        );
        let maria = price(
            "aws_db_instance",
            json!({"engine": "mariadb", "instance_class": "db.m5.24xlarge"}),
            "us-east-2",
            None,
        );
        // 8.208 $/h × 730 h = 5991.84, + 20 GB gp2 × 0.115 $/GB-Mo (us-east-2) = 2.3
        assert_eq!(maria.monthly_cost, Some(dec!(5994.14)));
    }

    #[test]
    fn multi_az_uses_multi_az_rows_for_instance_and_storage() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.xlarge", "multi_az": true,
                   "allocated_storage": 100, "storage_type": "gp2"}),
            "us-east-1",
            None,
        );
        let i = component(&r, "Database instance (on-demand, Multi-AZ, db.t3.xlarge)");
        assert!(
            i.price_filter
                .to_string()
                .contains("deploymentOption=Multi-AZ")
        );
        // The Multi-AZ row, never the Single-AZ one: 0.544 $/h (ec2.shop, us-east-1
        // MySQL db.t3.xlarge Multi-AZ; Single-AZ is 0.272) × 730 h = 397.12.
        assert_eq!(i.monthly_cost, Some(dec!(397.12)));
        let s = component(&r, "Storage (general purpose SSD, gp2)");
        assert!(
            s.price_filter
                .to_string()
                .contains("usagetype=RDS:Multi-AZ-GP2-Storage")
        );
        assert_eq!(s.monthly_quantity, Some(dec!(100)));
        // 100 GB × 0.23 $/GB-Mo (us-east-1 Multi-AZ gp2) = 23.
        assert_eq!(s.monthly_cost, Some(dec!(23)));
        assert_eq!(r.monthly_cost, Some(dec!(420.12)));
    }

    #[test]
    fn eu_west_1_prices_gp2_storage() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.xlarge"}),
            "eu-west-1",
            None,
        );
        // 20 GB × 0.127 $/GB-Mo (eu-west-1 gp2, Single-AZ) = 2.54
        let s = component(&r, "Storage (general purpose SSD, gp2)");
        assert_eq!(s.monthly_cost, Some(dec!(2.54)));
        // 0.288 $/h × 730 = 210.24, plus storage
        assert_eq!(r.monthly_cost, Some(dec!(212.78)));
    }

    #[test]
    fn gp3_bills_only_iops_and_throughput_above_the_baseline() {
        // 100 GB < 400 GB: baseline 3,000 IOPS / 125 MiB/s.
        let small = price(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.t3.xlarge", "storage_type": "gp3",
                   "allocated_storage": 100, "iops": 5000, "storage_throughput": 200}),
            "us-east-1",
            None,
        );
        // Named with the baseline, as Infracost names it.
        let iops = component(&small, "Provisioned GP3 IOPS (above 3,000)");
        assert_eq!(iops.monthly_quantity, Some(dec!(2000))); // 5000 − 3000
        assert!(
            iops.price_filter
                .to_string()
                .contains("usagetype=RDS:GP3-PIOPS")
        );
        let tp = component(&small, "Provisioned GP3 throughput (above 125 MiBps)");
        assert_eq!(tp.monthly_quantity, Some(dec!(75))); // 200 − 125
        // 0.29 $/h (us-east-1, PostgreSQL) × 730 = 211.7, + 100 GB × 0.115 = 11.5,
        // + 2,000 IOPS × 0.02 = 40, + 75 MiB/s × 0.08 $/MiBps-Mo (ec2.shop) = 6.
        assert_eq!(tp.monthly_cost, Some(dec!(6)));
        assert_eq!(small.monthly_cost, Some(dec!(269.2)));

        // 400 GB ≥ 400 GB: baseline 12,000 IOPS / 500 MiB/s, so 12,000 IOPS is free.
        let large = price(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.t3.xlarge", "storage_type": "gp3",
                   "allocated_storage": 400, "iops": 12000, "storage_throughput": 500}),
            "us-east-1",
            None,
        );
        let names: Vec<String> = large.all_components().into_iter().map(|(n, _)| n).collect();
        assert!(!names.iter().any(|n| n.contains("(above ")), "{names:?}");
        assert_eq!(
            component(&large, "Storage (general purpose SSD, gp3)").monthly_quantity,
            Some(dec!(400))
        );
    }

    #[test]
    fn io1_bills_storage_and_provisioned_iops() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.xlarge",
                   "allocated_storage": 200, "iops": 3000}),
            "us-west-2",
            None,
        );
        // storage_type absent + iops set → io1.
        let s = component(&r, "Storage (provisioned IOPS SSD, io1)");
        assert_eq!(s.monthly_quantity, Some(dec!(200)));
        assert!(
            s.price_filter
                .to_string()
                .contains("usagetype=RDS:PIOPS-Storage")
        );
        let i = component(&r, "Provisioned IOPS");
        assert_eq!(i.monthly_quantity, Some(dec!(3000)));
        assert!(i.price_filter.to_string().contains("usagetype=RDS:PIOPS,"));
    }

    #[test]
    fn magnetic_storage_has_usage_based_io_requests() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.xlarge", "storage_type": "standard"}),
            "us-east-1",
            Some(
                "version: 0.1\nresource_usage:\n  aws_db_instance.test:\n    monthly_standard_io_requests: 5000000\n",
            ),
        );
        assert_eq!(
            component(&r, "Storage (magnetic)").monthly_quantity,
            Some(dec!(20))
        );
        let io = component(&r, "I/O requests");
        assert_eq!(io.monthly_quantity, Some(dec!(5))); // 5,000,000 shown per 1M
        assert_eq!(io.unit, "1M requests");
    }

    #[test]
    fn commercial_and_aurora_engines_are_explicit() {
        let r = price(
            "aws_db_instance",
            json!({"engine": "oracle-se2", "instance_class": "db.t3.xlarge", "license_model": "license-included"}),
            "us-east-1",
            None,
        );
        let i = component(&r, "Database instance (on-demand, Single-AZ, db.t3.xlarge)");
        assert_eq!(i.status, ComponentStatus::NoPriceFound);
        assert!(r.metadata.notes.iter().any(|n| n.contains("Oracle")));
        let a = price(
            "aws_db_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.r5.12xlarge"}),
            "us-east-1",
            None,
        );
        assert!(a.cost_components.is_empty());
    }

    /// Infracost's `db_instance_test` golden (us-east-1):
    /// `mysql-1yr-no-upfront-multi-az` (db.t3.large, MySQL, Multi-AZ) with
    /// `reserved_instance_term: 1_year`, `reserved_instance_payment_option:
    /// no_upfront` is "Database instance (reserved, Multi-AZ, db.t3.large)",
    /// 730 hours, $139.72; and `gp3["multi_az"]` (400 GB, 14,000 IOPS) bills
    /// "Provisioned GP3 IOPS (above 12,000)" 2,000 IOPS.
    #[test]
    fn reserved_rates_from_the_usage_file() {
        let usage = "version: 0.1\nresource_usage:\n  aws_db_instance.test:\n    reserved_instance_term: 1_year\n    reserved_instance_payment_option: no_upfront\n";
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.large", "multi_az": true}),
            "us-east-1",
            Some(usage),
        );
        let i = component(&r, "Database instance (reserved, Multi-AZ, db.t3.large)");
        assert_eq!(i.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(139.72)));
        assert_eq!(
            i.price_filter.purchase_option,
            "reserved_standard_1yr_no_upfront"
        );
        // A term RDS does not sell is said, and priced on-demand.
        let usage = "version: 0.1\nresource_usage:\n  aws_db_instance.test:\n    reserved_instance_term: 2_year\n    reserved_instance_payment_option: no_upfront\n";
        let r = price(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.large"}),
            "us-east-1",
            Some(usage),
        );
        component(&r, "Database instance (on-demand, Single-AZ, db.t3.large)");
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("reserved_instance_term"))
        );
        let gp3 = price(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.t4g.small", "storage_type": "gp3",
                   "allocated_storage": 400, "iops": 14000, "multi_az": true}),
            "us-east-1",
            None,
        );
        let iops = component(&gp3, "Provisioned GP3 IOPS (above 12,000)");
        assert_eq!(iops.monthly_quantity, Some(dec!(2000)));
    }
}
