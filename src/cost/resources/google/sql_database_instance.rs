//! `google_sql_database_instance`: Cloud SQL for MySQL, PostgreSQL and SQL
//! Server, as Infracost prices it: vCPUs and memory per hour by
//! availability (`settings.availability_type`, ZONAL default; REGIONAL is
//! high availability), storage per GB-month (`settings.disk_size`, default
//! 10 GB; `settings.disk_type` PD_SSD default, PD_HDD; SQL Server is always
//! SSD), backups per GB from usage key `backup_storage_gb`, and the IPv4
//! address while idle (`settings.ip_configuration.ipv4_enabled`, default on).
//! A read replica (`replica_configuration`) adds a zonal "Replica" subresource.
//!
//! Tiers: `db-custom-<vCPUs>-<MB>`, `db-standard-<n>`/`db-n1-standard-<n>`
//! (3.75 GB per vCPU), `db-highmem-<n>`/`db-n1-highmem-<n>` (6.5 GB per vCPU),
//! `db-lightweight-<n>` (3.75 GB). Shared-core tiers (`db-f1-micro`,
//! `db-g1-small`), and MySQL on `db-n1-standard-<n>` (first-generation
//! per-machine SKUs, "DB [HA ]standard Intel N1 <n> VCPU"), are billed per
//! instance-hour. Enterprise Plus is not priced.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn db_name(version: &str) -> &'static str {
    let v = version.to_ascii_lowercase();
    if v.starts_with("postgres") {
        "PostgreSQL"
    } else if v.starts_with("sqlserver") {
        "SQL Server"
    } else {
        "MySQL"
    }
}

/// (vCPUs, GB of memory) of a dedicated-core tier.
pub(crate) fn tier_size(tier: &str) -> Option<(Decimal, Decimal)> {
    let t = tier.to_ascii_lowercase();
    let parts: Vec<&str> = t.split('-').collect();
    if let Some(rest) = t.strip_prefix("db-custom-") {
        let (cpu, mb) = rest.split_once('-')?;
        return Some((cpu.parse().ok()?, mb.parse::<Decimal>().ok()? / dec!(1024)));
    }
    let n: Decimal = parts.last()?.parse().ok()?;
    if t.starts_with("db-standard-") || t.starts_with("db-n1-standard-") {
        Some((n, n * dec!(3.75)))
    } else if t.starts_with("db-highmem-") || t.starts_with("db-n1-highmem-") {
        Some((n, n * dec!(6.5)))
    } else if t.starts_with("db-lightweight-") {
        Some((n, dec!(3.75)))
    } else {
        None
    }
}

fn sql(ctx_region: &str, description: String, unit: &'static str) -> crate::cost::PriceFilter {
    filter(
        "Cloud SQL",
        "ApplicationServices",
        ctx_region,
        unit,
        "on_demand",
    )
    .attr("description", description)
}

/// Instance and storage components at `availability` (ZONAL or REGIONAL).
fn instance(attrs: &Attrs, ctx: &Ctx, availability: &str, p: &mut Priced) -> Vec<ComponentSpec> {
    let db = db_name(attrs.str("database_version").unwrap_or("MYSQL"));
    let avail = if availability == "REGIONAL" {
        "Regional"
    } else {
        "Zonal"
    };
    let lower = avail.to_ascii_lowercase();
    let tier = attrs.str("settings.0.tier").unwrap_or("db-f1-micro");
    let mut out = Vec::new();
    let legacy_n1 = tier
        .to_ascii_lowercase()
        .strip_prefix("db-n1-standard-")
        .and_then(|n| n.parse::<u32>().ok());
    if let (Some(n), "MySQL") = (legacy_n1, db) {
        // MySQL keeps the first-generation per-machine SKUs for db-n1-standard tiers.
        let ha = if availability == "REGIONAL" {
            "HA "
        } else {
            ""
        };
        out.push(ComponentSpec::hourly(
            format!("SQL instance ({tier}, {lower})"),
            "hours",
            Decimal::ONE,
            sql(
                ctx.region,
                format!("DB {ha}standard Intel N1 {n} VCPU running"),
                "Hrs",
            ),
        ));
    } else if let Some((cpus, mem)) = tier_size(tier) {
        out.push(ComponentSpec::hourly(
            format!("vCPUs ({}, {lower})", cpus.normalize()),
            "hours",
            cpus,
            sql(
                ctx.region,
                format!("Cloud SQL for {db}: {avail} - vCPU"),
                "Hrs",
            ),
        ));
        out.push(
            ComponentSpec::monthly(
                format!("Memory ({} GB, {lower})", mem.normalize()),
                "GB",
                mem * HOURS_PER_MONTH,
                sql(
                    ctx.region,
                    format!("Cloud SQL for {db}: {avail} - RAM"),
                    "GB-Hrs",
                ),
            )
            .per(HOURS_PER_MONTH),
        );
    } else if matches!(tier, "db-f1-micro" | "db-g1-small") {
        let size = if tier == "db-f1-micro" {
            "Micro"
        } else {
            "Small"
        };
        out.push(ComponentSpec::hourly(
            format!("SQL instance ({tier}, {lower})"),
            "hours",
            Decimal::ONE,
            sql(
                ctx.region,
                format!("Cloud SQL for {db}: {avail} - {size} instance"),
                "Hrs",
            ),
        ));
    } else {
        p.note(format!(
            "tier {tier:?} is not one driftcost can read; the instance is not priced"
        ));
    }
    let hdd = attrs.str("settings.0.disk_type") == Some("PD_HDD") && db != "SQL Server";
    let (label, kind) = if hdd {
        ("HDD", "Low cost storage")
    } else {
        ("SSD", "Standard storage")
    };
    let size = attrs
        .decimal("settings.0.disk_size")
        .filter(|s| !s.is_zero())
        .unwrap_or(dec!(10));
    out.push(ComponentSpec::monthly(
        format!("Storage ({label}, {lower})"),
        "GB",
        size,
        sql(
            ctx.region,
            format!("Cloud SQL for {db}: {avail} - {kind}"),
            "GB-Mo",
        ),
    ));
    out
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs
        .str("settings.0.edition")
        .is_some_and(|e| e.eq_ignore_ascii_case("enterprise_plus"))
    {
        p.note("Enterprise Plus edition is not priced");
        return p;
    }
    let availability = attrs
        .str("settings.0.availability_type")
        .unwrap_or("ZONAL")
        .to_ascii_uppercase();
    p.components = instance(attrs, ctx, &availability, &mut p);
    p.push(ComponentSpec::usage(
        "Backups",
        "GB",
        ctx.usage.decimal("backup_storage_gb"),
        sql(ctx.region, "Cloud SQL: Backups".to_string(), "GB-Mo"),
    ));
    if attrs.bool("settings.0.ip_configuration.0.ipv4_enabled") != Some(false) {
        p.push(ComponentSpec::hourly(
            "IP address (if unused)",
            "hours",
            Decimal::ONE,
            sql("global", "IP address idling - hour".to_string(), "Hrs"),
        ));
    }
    if attrs.len("replica_configuration") > 0 {
        let replica = instance(attrs, ctx, "ZONAL", &mut p);
        p.subresources.push(("Replica".to_string(), replica));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::testing::{component, price};
    use crate::cost::{ComponentStatus, CostComponent};
    use serde_json::json;

    fn db(version: &str, tier: &str, availability: &str) -> serde_json::Value {
        json!({"region": "us-central1", "database_version": version,
               "settings": [{"tier": tier, "availability_type": availability,
                             "ip_configuration": [{"ipv4_enabled": true}]}]})
    }

    #[test]
    fn tiers_give_vcpus_and_memory() {
        assert_eq!(tier_size("db-custom-2-7680"), Some((dec!(2), dec!(7.5))));
        assert_eq!(tier_size("db-standard-4"), Some((dec!(4), dec!(15))));
        assert_eq!(tier_size("db-n1-highmem-2"), Some((dec!(2), dec!(13))));
        assert_eq!(tier_size("db-f1-micro"), None);
    }

    /// The line `name` of an instance of `version` on `tier` at `availability`.
    fn line(version: &str, tier: &str, availability: &str, name: &str) -> CostComponent {
        let r = price(
            "google_sql_database_instance",
            db(version, tier, availability),
            "us-central1",
            None,
        );
        component(&r, name).clone()
    }

    #[test]
    fn mysql_on_a_legacy_n1_standard_tier_bills_the_instance() {
        // MySQL db-n1-standard-4 zonal: 730 h × $0.2702 = $197.246; regional 730 × $0.5404 = $394.492
        let c = line(
            "MYSQL_8_0",
            "db-n1-standard-4",
            "ZONAL",
            "SQL instance (db-n1-standard-4, zonal)",
        );
        assert_eq!(c.monthly_quantity, Some(dec!(730)));
        assert_eq!(c.monthly_cost, Some(dec!(197.2460)));
        let name = "SQL instance (db-n1-standard-4, regional)";
        let c = line("MYSQL_8_0", "db-n1-standard-4", "REGIONAL", name);
        assert_eq!(c.monthly_cost, Some(dec!(394.4920)));
        // PostgreSQL on the same tier bills vCPUs and memory: 4 × 730 × $0.0413 = $120.596
        let c = line(
            "POSTGRES_15",
            "db-n1-standard-4",
            "ZONAL",
            "vCPUs (4, zonal)",
        );
        assert_eq!(c.monthly_cost, Some(dec!(120.5960)));
    }

    #[test]
    fn shared_core_tiers_bill_the_instance() {
        // db-f1-micro regional PostgreSQL: 730 × $0.021 = $15.33; db-g1-small zonal MySQL 730 × $0.035 = $25.55
        let name = "SQL instance (db-f1-micro, regional)";
        let c = line("POSTGRES_15", "db-f1-micro", "REGIONAL", name);
        assert_eq!(c.monthly_cost, Some(dec!(15.330)));
        let c = line(
            "MYSQL_8_0",
            "db-g1-small",
            "ZONAL",
            "SQL instance (db-g1-small, zonal)",
        );
        assert_eq!(c.monthly_cost, Some(dec!(25.550)));
    }

    #[test]
    fn zonal_custom_instance() {
        // vCPU 730 × 0.0413 = 30.149; RAM 3.75 GB × 730 × 0.007 = 19.1625;
        // 10 GB SSD × 0.17 = 1.70; IP 730 × 0.01 = 7.30
        let r = price(
            "google_sql_database_instance",
            db("POSTGRES_15", "db-custom-1-3840", "ZONAL"),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "vCPUs (1, zonal)").monthly_cost,
            Some(dec!(30.149))
        );
        let mem = component(&r, "Memory (3.75 GB, zonal)");
        assert_eq!(mem.monthly_quantity, Some(dec!(3.75)));
        assert_eq!(mem.monthly_cost, Some(dec!(19.1625)));
        assert_eq!(
            component(&r, "Storage (SSD, zonal)").monthly_cost,
            Some(dec!(1.70))
        );
        assert_eq!(
            component(&r, "IP address (if unused)").monthly_cost,
            Some(dec!(7.30))
        );
        assert_eq!(
            component(&r, "Backups").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn regional_doubles_and_backups_from_usage() {
        // 2 vCPU × 730 × 0.0826 = 120.596; 7.5 GB × 730 × 0.014 = 76.65; 10 × 0.34 = 3.40;
        // backups 100 GB × 0.08 = 8.00
        let usage = "version: 0.1\nresource_usage:\n  google_sql_database_instance.test:\n    backup_storage_gb: 100\n";
        let r = price(
            "google_sql_database_instance",
            db("MYSQL_8_0", "db-custom-2-7680", "REGIONAL"),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "vCPUs (2, regional)").monthly_cost,
            Some(dec!(120.596))
        );
        assert_eq!(
            component(&r, "Memory (7.5 GB, regional)").monthly_cost,
            Some(dec!(76.65))
        );
        assert_eq!(
            component(&r, "Storage (SSD, regional)").monthly_cost,
            Some(dec!(3.40))
        );
        assert_eq!(component(&r, "Backups").monthly_cost, Some(dec!(8.00)));
    }

    #[test]
    fn replica_hdd_shared_and_enterprise_plus() {
        let mut v = db("MYSQL_8_0", "db-custom-1-3840", "REGIONAL");
        v["replica_configuration"] = json!([{"failover_target": false}]);
        v["settings"][0]["disk_type"] = json!("PD_HDD");
        let r = price("google_sql_database_instance", v, "us-central1", None);
        component(&r, "Storage (HDD, regional)");
        component(&r, "Replica: vCPUs (1, zonal)");
        let r = price(
            "google_sql_database_instance",
            db("SQLSERVER_2019_WEB", "db-f1-micro", "ZONAL"),
            "us-central1",
            None,
        );
        let c = component(&r, "SQL instance (db-f1-micro, zonal)");
        assert_eq!(
            c.price_filter.attributes[0].1,
            "Cloud SQL for SQL Server: Zonal - Micro instance"
        );
        let mut v = db("POSTGRES_15", "db-custom-1-3840", "ZONAL");
        v["settings"][0]["edition"] = json!("ENTERPRISE_PLUS");
        let r = price("google_sql_database_instance", v, "us-central1", None);
        assert!(r.cost_components.is_empty());
    }
}
