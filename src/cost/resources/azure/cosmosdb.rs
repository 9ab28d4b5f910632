//! Azure Cosmos DB, shared by the types that hold throughput and data (SQL
//! databases and containers, MongoDB databases and collections, Cassandra
//! keyspaces and tables, Gremlin databases and graphs, tables), priced as
//! Infracost prices them. The account (`azurerm_cosmosdb_account`) is free;
//! each of these bills in every location of its account (`geo_location`; the
//! account's own `location` when the plan lists none):
//! - throughput: `throughput` RU/s as provisioned hours per 100 RU/s (×1.25
//!   in a `zone_redundant` location); else `autoscale_settings`'
//!   `max_throughput` × usage `max_request_units_utilization_percentage`
//!   (×1.5, the autoscale rate), usage-based until the percentage is given;
//!   else serverless: usage `monthly_serverless_request_units` per 1M RUs in
//!   the first location (Infracost reads the availability-zone flag from a
//!   key that does not exist, so serverless is never ×1.25; nor here).
//!   Accounts with multi-region writes (`enable_multiple_write_locations`, or
//!   azurerm 4's `multiple_write_locations_enabled`) use the multi-master
//!   meters, without the zone and autoscale factors, as Infracost does;
//! - transactional storage (usage `storage_gb`) per location, and with
//!   `analytical_storage_enabled` analytical storage (the same GB) and its
//!   write and read operations per 10K (usage
//!   `monthly_analytical_storage_write_operations` / `_read_operations`);
//! - backup per location: `backup.0.type` `Periodic` stores
//!   `storage_gb` × (⌊retention ÷ interval⌋ − 2) copies (`retention_in_hours`,
//!   default 8; `interval_in_minutes` ÷ 60, default 4; one copy when the
//!   retention is not longer than the interval; no line once the stored GB
//!   is 0, and never fewer than 0 copies, where Infracost would go negative);
//!   any other type, or none in the plan, is continuous backup of
//!   `storage_gb` (Infracost spells its default "Pereodic", which is not
//!   periodic);
//! - restored data (usage `monthly_restored_data_gb`) in the account's location.
//!
//! The account is found by the configuration's reference, else by its
//! `name` (in the same resource group when both say), as Infracost finds it
//! by name; a resource whose account is not in the plan is listed with a
//! note and no price.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

const SERVICE: &str = "Azure Cosmos DB";
const FAMILY: &str = "Databases";
const ACCOUNT: &str = "azurerm_cosmosdb_account";

/// The usage-file keys every Cosmos DB type reads.
pub(super) const USAGE_KEYS: &[&str] = &[
    "storage_gb",
    "max_request_units_utilization_percentage",
    "monthly_serverless_request_units",
    "monthly_analytical_storage_write_operations",
    "monthly_analytical_storage_read_operations",
    "monthly_restored_data_gb",
];

/// How a type reaches its account.
#[derive(Clone, Copy)]
pub(super) enum Parent {
    /// Its own `account_name` names the account.
    Account,
    /// Its `key` names a parent of `resource_type` (a keyspace, a database)
    /// whose `account_name` names the account; without a configuration
    /// reference, the parent is the one whose `field` equals `key`'s value.
    Via {
        key: &'static str,
        resource_type: &'static str,
        field: &'static str,
    },
}

/// Prices one Cosmos DB database, container, keyspace, table or graph.
pub(super) fn price(attrs: &Attrs, ctx: &Ctx, parent: Parent) -> Priced {
    let mut p = Priced::default();
    let account = match parent {
        Parent::Account => account_of(attrs, ctx),
        Parent::Via {
            key,
            resource_type,
            field,
        } => via(attrs, ctx, key, resource_type, field),
    };
    match account {
        Ok(account) => components(attrs, &account, ctx, &mut p),
        Err(why) => p.note(format!("{why}; not priced")),
    }
    p
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "unknown until apply".to_string(), |v| format!("`{v}`"))
}

/// The account `attrs`' `account_name` names (by configuration reference in
/// `ctx`, else by name), or why there is none.
fn account_of<'p>(attrs: &Attrs, ctx: &Ctx<'_, 'p>) -> Result<Attrs<'p>, String> {
    if let Some((found, fctx)) = ctx.referenced_ctx(&["account_name"])
        && fctx.resource.resource_type == ACCOUNT
    {
        return Ok(found);
    }
    let name = attrs.str("account_name");
    account_named(ctx, name, attrs.str("resource_group_name")).ok_or_else(|| {
        format!(
            "the Cosmos DB account {} (account_name of {}) is not in the plan",
            shown(name),
            ctx.address
        )
    })
}

/// The account of the parent `key` names (a table's keyspace, a
/// collection's database), or why there is none.
fn via<'p>(
    attrs: &Attrs,
    ctx: &Ctx<'_, 'p>,
    key: &str,
    resource_type: &str,
    field: &str,
) -> Result<Attrs<'p>, String> {
    if let Some((parent, pctx)) = ctx.referenced_ctx(&[key])
        && pctx.resource.resource_type == resource_type
    {
        return account_of(&parent, &pctx);
    }
    let value = attrs.str(key);
    let group = attrs.str("resource_group_name");
    let account = attrs.str("account_name");
    let parent = value.and_then(|value| {
        ctx.find_resource(
            &[resource_type],
            |v| {
                v.get(field).and_then(Value::as_str) == Some(value)
                    && account
                        .is_none_or(|a| v.get("account_name").and_then(Value::as_str) == Some(a))
            },
            group,
        )
    });
    let Some(parent) = parent else {
        return Err(format!(
            "the {resource_type} its {key} names ({}) is not in the plan",
            shown(value)
        ));
    };
    let name = parent.str("account_name");
    account_named(ctx, name, parent.str("resource_group_name")).ok_or_else(|| {
        format!(
            "the Cosmos DB account {} of the {resource_type} its {key} names is not in the plan",
            shown(name)
        )
    })
}

/// The account called `name`, preferring one in resource group `group`.
fn account_named<'p>(
    ctx: &Ctx<'_, 'p>,
    name: Option<&str>,
    group: Option<&str>,
) -> Option<Attrs<'p>> {
    let name = name?;
    ctx.find_resource(
        &[ACCOUNT],
        |v| v.get("name").and_then(Value::as_str) == Some(name),
        group,
    )
}

/// One location of the account: where it bills, and whether it is zone redundant.
struct Location {
    code: String,
    zone_redundant: bool,
}

/// `"West US"` → `westus`, as the provider stores locations.
fn normalize(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn components(attrs: &Attrs, account: &Attrs, ctx: &Ctx, p: &mut Priced) {
    // The account's location: where restored data bills, and the one
    // location when the plan lists no geo_location.
    let home = account
        .str("location")
        .map(normalize)
        .unwrap_or_else(|| ctx.region.to_string());
    let mut locations: Vec<Location> = account
        .blocks("geo_location")
        .iter()
        .filter_map(|g| {
            Some(Location {
                code: normalize(g.str("location")?),
                zone_redundant: g.bool("zone_redundant") == Some(true),
            })
        })
        .collect();
    if locations.is_empty() {
        locations.push(Location {
            code: home.clone(),
            zone_redundant: false,
        });
    }
    let multi_master = account.bool("enable_multiple_write_locations") == Some(true)
        || account.bool("multiple_write_locations_enabled") == Some(true);
    let sku = if multi_master { "mRUs" } else { "RUs" };
    let usage = |key: &str| ctx.usage.decimal(key);

    if let Some(ru) = attrs.decimal("throughput") {
        throughput(p, &locations, sku, Some(ru / dec!(100)), false);
    } else if let Some(max) = attrs.decimal("autoscale_settings.0.max_throughput") {
        let used = usage("max_request_units_utilization_percentage")
            .and_then(|pct| p.mul("max_throughput × utilization", max, pct))
            .map(|ru| ru / dec!(10000));
        throughput(p, &locations, sku, used, true);
    } else {
        p.push(ComponentSpec::usage(
            "Provisioned throughput (serverless)",
            "1M RU",
            usage("monthly_serverless_request_units").map(|n| n / dec!(1000000)),
            meter(
                &locations[0].code,
                "1M",
                "Azure Cosmos DB serverless",
                "RUs",
                "1M RUs",
            ),
        ));
    }

    let storage = usage("storage_gb");
    let analytical = account.bool("analytical_storage_enabled") == Some(true);
    let per_10k = |key: &str| usage(key).map(|n| n / dec!(10000));
    for l in &locations {
        let name = location_name(&l.code);
        p.push(ComponentSpec::usage(
            format!("Transactional storage ({name})"),
            "GB",
            storage,
            meter(&l.code, "GB", "Azure Cosmos DB", sku, "Data Stored"),
        ));
        if analytical {
            let analytics = |unit, meter_name| {
                meter(
                    &l.code,
                    unit,
                    "Azure Cosmos DB Analytics Storage",
                    "Standard",
                    meter_name,
                )
            };
            p.push(ComponentSpec::usage(
                format!("Analytical storage ({name})"),
                "GB",
                storage,
                analytics("GB", "Data Stored"),
            ));
            p.push(ComponentSpec::usage(
                format!("Analytical write operations ({name})"),
                "10K operations",
                per_10k("monthly_analytical_storage_write_operations"),
                analytics("10K", "Write Operations"),
            ));
            p.push(ComponentSpec::usage(
                format!("Analytical read operations ({name})"),
                "10K operations",
                per_10k("monthly_analytical_storage_read_operations"),
                analytics("10K", "Read Operations"),
            ));
        }
    }

    let periodic = account
        .str("backup.0.type")
        .is_some_and(|t| t.eq_ignore_ascii_case("periodic"));
    let (label, product, backup_sku, backup_meter, stored) = if periodic {
        let copies = periodic_copies(account);
        let stored = storage.and_then(|gb| p.mul("storage_gb × backup copies", gb, copies));
        (
            "Periodic backup",
            "Azure Cosmos DB Snapshot",
            "Standard",
            "Data Stored",
            stored,
        )
    } else {
        (
            "Continuous backup",
            "Azure Cosmos DB - PITR",
            "Backup",
            "Continuous Backup",
            storage,
        )
    };
    // Nothing is stored when the copies (or the data) come to 0 GB.
    if stored != Some(Decimal::ZERO) {
        for l in &locations {
            p.push(ComponentSpec::usage(
                format!("{label} ({})", location_name(&l.code)),
                "GB",
                stored,
                meter(&l.code, "GB", product, backup_sku, backup_meter),
            ));
        }
    }
    p.push(ComponentSpec::usage(
        "Restored data",
        "GB",
        usage("monthly_restored_data_gb"),
        meter(
            &home,
            "GB",
            "Azure Cosmos DB - PITR",
            "Backup",
            "Data Restore",
        ),
    ));
}

/// Provisioned (or autoscale) throughput per location, in hundreds of RU/s
/// per hour; `hundreds` is `None` while autoscale waits for its usage.
fn throughput(
    p: &mut Priced,
    locations: &[Location],
    sku: &str,
    hundreds: Option<Decimal>,
    autoscale: bool,
) {
    let single_master = sku == "RUs";
    let meter_name = if single_master {
        "100 RU/s"
    } else {
        "100 Multi-master RU/s"
    };
    let kind = if autoscale {
        "autoscale"
    } else {
        "provisioned"
    };
    for l in locations {
        let factor = match (single_master, autoscale, l.zone_redundant) {
            (true, true, _) => dec!(1.5),
            (true, false, true) => dec!(1.25),
            _ => Decimal::ONE,
        };
        let per_hour = hundreds.map(|h| h * factor);
        let name = format!(
            "Provisioned throughput ({kind}, {})",
            location_name(&l.code)
        );
        let filter = meter(&l.code, "Hrs", "Azure Cosmos DB", sku, meter_name);
        let c = match per_hour {
            Some(h) if !autoscale => ComponentSpec::hourly(name, "RU/s x 100", h, filter),
            _ => ComponentSpec::usage(
                name,
                "RU/s x 100",
                per_hour.map(|h| h * HOURS_PER_MONTH),
                filter,
            ),
        };
        p.push(c.per(HOURS_PER_MONTH));
    }
}

/// Backup copies Cosmos DB bills beyond the two it keeps free, as Infracost
/// counts them: ⌊retention ÷ interval⌋ − 2 (never below 0), or 1 when the
/// retention is not longer than the interval.
fn periodic_copies(account: &Attrs) -> Decimal {
    let interval = account
        .decimal("backup.0.interval_in_minutes")
        .map_or(dec!(4), |m| m / dec!(60));
    let retention = account
        .decimal("backup.0.retention_in_hours")
        .unwrap_or(dec!(8));
    if retention > interval && !interval.is_zero() {
        ((retention / interval).floor() - dec!(2)).max(Decimal::ZERO)
    } else {
        Decimal::ONE
    }
}

fn meter(
    region: &str,
    unit: &'static str,
    product: &str,
    sku: &str,
    meter_name: &str,
) -> PriceFilter {
    filter(SERVICE, FAMILY, region, unit)
        .attr("productName", product)
        .attr("skuName", sku)
        .attr("meterName", meter_name)
}

/// The display name Azure gives a location (`az account list-locations`),
/// as Infracost names each location's line; the code itself for others.
fn location_name(code: &str) -> String {
    let name = match code {
        "eastus" => "East US",
        "eastus2" => "East US 2",
        "southcentralus" => "South Central US",
        "westus2" => "West US 2",
        "westus3" => "West US 3",
        "australiaeast" => "Australia East",
        "southeastasia" => "Southeast Asia",
        "northeurope" => "North Europe",
        "swedencentral" => "Sweden Central",
        "uksouth" => "UK South",
        "westeurope" => "West Europe",
        "centralus" => "Central US",
        "southafricanorth" => "South Africa North",
        "centralindia" => "Central India",
        "eastasia" => "East Asia",
        "japaneast" => "Japan East",
        "koreacentral" => "Korea Central",
        "canadacentral" => "Canada Central",
        "francecentral" => "France Central",
        "germanywestcentral" => "Germany West Central",
        "italynorth" => "Italy North",
        "norwayeast" => "Norway East",
        "polandcentral" => "Poland Central",
        "switzerlandnorth" => "Switzerland North",
        "uaenorth" => "UAE North",
        "brazilsouth" => "Brazil South",
        "israelcentral" => "Israel Central",
        "qatarcentral" => "Qatar Central",
        "northcentralus" => "North Central US",
        "westus" => "West US",
        "japanwest" => "Japan West",
        "westcentralus" => "West Central US",
        "southafricawest" => "South Africa West",
        "australiacentral" => "Australia Central",
        "australiacentral2" => "Australia Central 2",
        "australiasoutheast" => "Australia Southeast",
        "koreasouth" => "Korea South",
        "southindia" => "South India",
        "westindia" => "West India",
        "canadaeast" => "Canada East",
        "francesouth" => "France South",
        "germanynorth" => "Germany North",
        "norwaywest" => "Norway West",
        "switzerlandwest" => "Switzerland West",
        "ukwest" => "UK West",
        "uaecentral" => "UAE Central",
        "brazilsoutheast" => "Brazil Southeast",
        "usgovvirginia" => "US Gov Virginia",
        "usgovarizona" => "US Gov Arizona",
        "usgovtexas" => "US Gov Texas",
        other => other,
    };
    name.to_string()
}

/// Plans for the Cosmos DB types' tests.
#[cfg(test)]
pub(super) mod testing {
    use serde_json::{Map, Value, json};

    /// A reference to `address`'s `attr` as terraform's configuration shows it.
    pub(in super::super) fn refers(address: &str, attr: &str) -> Value {
        json!({"references": [format!("{address}.{attr}"), address]})
    }

    /// A plan creating resource group `example-resources` (eastus), the
    /// account `azurerm_cosmosdb_account.acct` (named `acct`, in that group,
    /// with `account`'s values over those) and `resources`: (address, values,
    /// configuration expressions). Values referring to others are written as
    /// terraform's plan shows them (known names, unknown ids left out).
    pub(in super::super) fn plan(account: Value, resources: &[(&str, Value, Value)]) -> Value {
        let mut acct = json!({"name": "acct", "resource_group_name": "example-resources",
            "location": "eastus", "offer_type": "Standard"});
        for (k, v) in account.as_object().cloned().unwrap_or_default() {
            acct[k] = v;
        }
        let mut all = vec![
            (
                "azurerm_resource_group.example",
                json!({"name": "example-resources", "location": "eastus"}),
                json!({}),
            ),
            (
                "azurerm_cosmosdb_account.acct",
                acct,
                json!({"resource_group_name": refers("azurerm_resource_group.example", "name")}),
            ),
        ];
        all.extend(resources.iter().cloned());
        let (mut changes, mut config) = (Vec::new(), Vec::new());
        for (address, after, expressions) in all {
            let (kind, name) = address.split_once('.').unwrap();
            changes.push(json!({"address": address, "mode": "managed", "type": kind, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {"id": true}}}));
            config.push(
                json!({"address": address, "mode": "managed", "type": kind, "name": name,
                "provider_config_key": "azurerm", "expressions": expressions}),
            );
        }
        let mut plan = Map::new();
        plan.insert("format_version".into(), json!("1.2"));
        plan.insert("resource_changes".into(), Value::Array(changes));
        plan.insert(
            "configuration".into(),
            json!({"root_module": {"resources": config}}),
        );
        Value::Object(plan)
    }

    /// Prices `<resource_type>.x`, a child with 1,000 RU/s of an account in
    /// westus, and checks it bills there: 10 × 100 RU/s × 730 h × $0.008 = $58.40.
    pub(in super::super) fn bills_in_the_accounts_location(resource_type: &str) {
        let address = format!("{resource_type}.x");
        let account = json!({"geo_location": [{"location": "westus", "failover_priority": 0}]});
        let p = plan(account, &[child(&address, json!({"throughput": 1000}))]);
        let r = super::super::price_in_plan(p, None, &address);
        let c =
            crate::cost::testing::component(&r, "Provisioned throughput (provisioned, West US)");
        assert_eq!(c.monthly_cost, Some(rust_decimal_macros::dec!(58.40)));
        assert_eq!(r.resource_type, resource_type);
    }

    /// A child of the account named by reference (`account_name`).
    pub(in super::super) fn child(address: &str, values: Value) -> (&str, Value, Value) {
        let mut after = json!({"name": "db", "resource_group_name": "example-resources", "account_name": "acct"});
        for (k, v) in values.as_object().cloned().unwrap_or_default() {
            after[k] = v;
        }
        (
            address,
            after,
            json!({"account_name": refers("azurerm_cosmosdb_account.acct", "name")}),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{child, plan};
    use super::{location_name, periodic_copies};
    use crate::cost::testing::component;
    use crate::cost::{Attrs, ComponentStatus, ResourceCost};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    const DB: &str = "azurerm_cosmosdb_sql_database.db";

    fn priced(account: Value, db: Value, usage: Option<&str>) -> ResourceCost {
        let plan = plan(account, &[child(DB, db)]);
        super::super::price_in_plan(plan, usage, DB)
    }

    fn usage(body: &str) -> String {
        format!("version: 0.1\nresource_usage:\n  {DB}:\n{body}")
    }

    /// (monthly quantity, monthly cost) of component `name`.
    fn line(r: &ResourceCost, name: &str) -> (Option<Decimal>, Option<Decimal>) {
        let c = component(r, name);
        (c.monthly_quantity, c.monthly_cost)
    }

    fn two_regions() -> Value {
        json!({"geo_location": [
            {"location": "westus", "failover_priority": 0, "zone_redundant": false},
            {"location": "centralus", "failover_priority": 1, "zone_redundant": true}],
            "backup": [{"type": "Continuous"}]})
    }

    #[test]
    fn provisioned_throughput_bills_per_location_and_zone_redundancy_a_quarter_more() {
        let r = priced(two_regions(), json!({"throughput": 500}), None);
        // 500 RU/s = 5 × 100 RU/s × 730 h × $0.008 = $29.20
        assert_eq!(
            line(&r, "Provisioned throughput (provisioned, West US)"),
            (Some(dec!(5)), Some(dec!(29.20)))
        );
        // zone redundant: 5 × 1.25 = 6.25 × 730 × $0.008 = $36.50
        let c = component(&r, "Provisioned throughput (provisioned, Central US)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(6.25)), Some(dec!(36.50)))
        );
        // shown per 100 RU/s a month: $0.008 × 730
        assert_eq!(c.price, Some(dec!(5.84)));
        assert_eq!(c.unit, "RU/s x 100");
    }

    #[test]
    fn autoscale_bills_the_used_share_of_its_maximum_at_one_and_a_half_times() {
        let u = usage("    max_request_units_utilization_percentage: 50\n");
        let r = priced(
            two_regions(),
            json!({"autoscale_settings": [{"max_throughput": 6000}]}),
            Some(&u),
        );
        // 6,000 × 50% = 3,000 RU/s = 30 × 1.5 = 45 × 730 × $0.008 = $262.80,
        // zone redundancy not counted again
        for region in ["West US", "Central US"] {
            assert_eq!(
                line(&r, &format!("Provisioned throughput (autoscale, {region})")),
                (Some(dec!(45)), Some(dec!(262.80)))
            );
        }
        let r = priced(
            two_regions(),
            json!({"autoscale_settings": [{"max_throughput": 6000}]}),
            None,
        );
        let c = component(&r, "Provisioned throughput (autoscale, West US)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(5.84)));
    }

    #[test]
    fn without_throughput_it_is_serverless_in_the_first_location() {
        let u = usage("    monthly_serverless_request_units: 10000000\n");
        let r = priced(two_regions(), json!({}), Some(&u));
        // 10M RUs = 10 × $0.279 (westus) = $2.79; zone redundancy not counted
        assert_eq!(
            line(&r, "Provisioned throughput (serverless)"),
            (Some(dec!(10)), Some(dec!(2.79)))
        );
        assert_eq!(
            component(&r, "Provisioned throughput (serverless)")
                .price_filter
                .region,
            "westus"
        );
        let r = priced(two_regions(), json!({}), None);
        let c = component(&r, "Provisioned throughput (serverless)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.279)));
    }

    #[test]
    fn multi_region_writes_use_the_multi_master_meter_without_the_zone_factor() {
        for flag in [
            "enable_multiple_write_locations",
            "multiple_write_locations_enabled",
        ] {
            let mut account = two_regions();
            account[flag] = json!(true);
            let r = priced(account, json!({"throughput": 1000}), None);
            let c = component(&r, "Provisioned throughput (provisioned, Central US)");
            // 10 × 100 RU/s, not × 1.25; no multi-master price is shipped
            assert_eq!(c.monthly_quantity, Some(dec!(10)), "{flag}");
            assert_eq!(c.status, ComponentStatus::NoPriceFound);
            let attrs = &c.price_filter.attributes;
            assert!(attrs.contains(&("meterName", "100 Multi-master RU/s".into())));
            assert!(attrs.contains(&("skuName", "mRUs".into())));
            assert!(
                component(&r, "Transactional storage (West US)")
                    .price_filter
                    .attributes
                    .contains(&("skuName", "mRUs".into()))
            );
        }
    }

    #[test]
    fn storage_and_analytical_storage_bill_from_usage_per_location() {
        let mut account = two_regions();
        account["analytical_storage_enabled"] = json!(true);
        let u = usage(
            "    storage_gb: 1000\n    monthly_analytical_storage_write_operations: 1000000\n    monthly_analytical_storage_read_operations: 1000000\n",
        );
        let r = priced(account, json!({"throughput": 400}), Some(&u));
        // 1,000 GB × $0.25 in both locations
        assert_eq!(
            line(&r, "Transactional storage (West US)"),
            (Some(dec!(1000)), Some(dec!(250)))
        );
        assert_eq!(
            line(&r, "Transactional storage (Central US)"),
            (Some(dec!(1000)), Some(dec!(250)))
        );
        // analytical: 1,000 GB × $0.03; 1M writes = 100 × 10K × $0.055; reads × $0.0054
        assert_eq!(
            line(&r, "Analytical storage (West US)"),
            (Some(dec!(1000)), Some(dec!(30)))
        );
        assert_eq!(
            line(&r, "Analytical write operations (West US)"),
            (Some(dec!(100)), Some(dec!(5.5)))
        );
        assert_eq!(
            line(&r, "Analytical read operations (West US)"),
            (Some(dec!(100)), Some(dec!(0.54)))
        );
        // no analytical lines without analytical_storage_enabled
        let r = priced(two_regions(), json!({"throughput": 400}), Some(&u));
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| !n.starts_with("Analytical"))
        );
    }

    #[test]
    fn continuous_backup_and_restores_bill_per_gb() {
        let u = usage("    storage_gb: 1000\n    monthly_restored_data_gb: 3000\n");
        let r = priced(two_regions(), json!({"throughput": 400}), Some(&u));
        // 1,000 GB × $0.20 (westus), × $0.246 (centralus)
        assert_eq!(
            line(&r, "Continuous backup (West US)"),
            (Some(dec!(1000)), Some(dec!(200)))
        );
        assert_eq!(
            line(&r, "Continuous backup (Central US)"),
            (Some(dec!(1000)), Some(dec!(246)))
        );
        // restores in the account's own location (eastus): 3,000 GB × $0.15
        let c = component(&r, "Restored data");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(3000)), Some(dec!(450)))
        );
        assert_eq!(c.price_filter.region, "eastus");
    }

    #[test]
    fn an_account_without_a_backup_type_in_the_plan_is_priced_as_continuous() {
        let mut account = two_regions();
        account.as_object_mut().unwrap().remove("backup");
        let u = usage("    storage_gb: 10\n");
        let r = priced(account, json!({"throughput": 400}), Some(&u));
        // 10 GB × $0.20, as Infracost prices an account whose backup it cannot read
        assert_eq!(
            line(&r, "Continuous backup (West US)"),
            (Some(dec!(10)), Some(dec!(2)))
        );
    }

    #[test]
    fn periodic_backup_bills_the_copies_beyond_two() {
        let account = |backup: Value| {
            json!({"geo_location": [{"location": "westus", "failover_priority": 0}],
                   "backup": [backup]})
        };
        let u = usage("    storage_gb: 1000\n");
        // every 240 minutes, kept 16 hours: 4 copies, 2 billed: 2,000 GB × $0.15
        let r = priced(
            account(
                json!({"type": "Periodic", "interval_in_minutes": 240, "retention_in_hours": 16}),
            ),
            json!({"throughput": 400}),
            Some(&u),
        );
        assert_eq!(
            line(&r, "Periodic backup (West US)"),
            (Some(dec!(2000)), Some(dec!(300)))
        );
        // the defaults (4 h, 8 h) keep 2 copies, both free: no backup line at all
        let r = priced(
            account(json!({"type": "Periodic"})),
            json!({"throughput": 400}),
            Some(&u),
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| !n.contains("backup"))
        );
        // without usage the line waits for storage_gb
        let r = priced(
            account(json!({"type": "Periodic"})),
            json!({"throughput": 400}),
            None,
        );
        let c = component(&r, "Periodic backup (West US)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.15)));
    }

    #[test]
    fn backup_copies_count_as_infracost_counts_them_and_never_below_zero() {
        let copies = |backup: Value| {
            let account = json!({"backup": [backup]});
            periodic_copies(&Attrs::new(&account))
        };
        assert_eq!(
            copies(json!({"interval_in_minutes": 240, "retention_in_hours": 16})),
            dec!(2)
        );
        assert_eq!(copies(json!({})), Decimal::ZERO);
        // 90 minutes, 8 hours: ⌊5.33⌋ − 2 = 3
        assert_eq!(
            copies(json!({"interval_in_minutes": 90, "retention_in_hours": 8})),
            dec!(3)
        );
        // retention not longer than the interval: one copy
        assert_eq!(
            copies(json!({"interval_in_minutes": 480, "retention_in_hours": 8})),
            Decimal::ONE
        );
        // 4 h interval, 6 h retention: ⌊1.5⌋ − 2 would be −1
        assert_eq!(copies(json!({"retention_in_hours": 6})), Decimal::ZERO);
    }

    #[test]
    fn an_account_without_geo_locations_bills_in_its_own_location() {
        let r = priced(
            json!({"backup": [{"type": "Periodic"}]}),
            json!({"autoscale_settings": [{"max_throughput": 4000}]}),
            None,
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "Provisioned throughput (autoscale, East US)",
                "Transactional storage (East US)",
                "Periodic backup (East US)",
                "Restored data"
            ]
        );
        // eastus periodic backup $0.12 per GB
        assert_eq!(
            component(&r, "Periodic backup (East US)").price,
            Some(dec!(0.12))
        );
    }

    #[test]
    fn an_account_whose_locations_are_unknown_bills_where_the_resource_lives() {
        // location and geo_location locations unknown until apply: the
        // database's own region (its resource group's eastus)
        let mut p = plan(
            json!({"geo_location": [{"failover_priority": 0}]}),
            &[child(DB, json!({"throughput": 400}))],
        );
        p["resource_changes"][1]["change"]["after"]
            .as_object_mut()
            .unwrap()
            .remove("location");
        let r = super::super::price_in_plan(p, None, DB);
        // 4 × 100 RU/s × 730 h × $0.008
        let c = component(&r, "Provisioned throughput (provisioned, East US)");
        assert_eq!(c.monthly_cost, Some(dec!(23.36)));
        assert_eq!(component(&r, "Restored data").price_filter.region, "eastus");
    }

    #[test]
    fn the_account_is_found_by_name_when_the_configuration_does_not_refer_to_it() {
        // account_name written as a literal: the account with that name, in the same group
        let other = (
            "azurerm_cosmosdb_account.other",
            json!({"name": "acct", "resource_group_name": "elsewhere", "location": "eastus",
                   "geo_location": [{"location": "westeurope", "failover_priority": 0}]}),
            json!({}),
        );
        let literal = (
            DB,
            json!({"name": "db", "resource_group_name": "example-resources", "account_name": "acct",
                   "throughput": 400}),
            json!({"account_name": {"constant_value": "acct"}}),
        );
        let p = plan(two_regions(), &[other, literal]);
        let r = super::super::price_in_plan(p, None, DB);
        assert!(
            r.all_components()
                .iter()
                .any(|(n, _)| n == "Provisioned throughput (provisioned, Central US)"),
            "{:?}",
            r.all_components()
        );
    }

    #[test]
    fn an_account_outside_the_plan_is_said_and_nothing_is_priced() {
        let missing = (
            DB,
            json!({"name": "db", "resource_group_name": "example-resources",
                   "account_name": "in-another-module", "throughput": 400}),
            json!({"account_name": {"constant_value": "in-another-module"}}),
        );
        let r = super::super::price_in_plan(plan(two_regions(), &[missing]), None, DB);
        assert!(r.all_components().is_empty());
        assert_eq!(r.monthly_cost, None);
        let notes = &r.metadata.notes;
        assert!(
            notes
                .iter()
                .any(|n| n.contains("`in-another-module`") && n.contains("not priced")),
            "{notes:?}"
        );
    }

    #[test]
    fn a_location_without_shipped_prices_says_so() {
        let account = json!({"geo_location": [{"location": "westeurope", "failover_priority": 0}]});
        let r = priced(account, json!({"throughput": 400}), None);
        let c = component(&r, "Provisioned throughput (provisioned, West Europe)");
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
        assert_eq!(c.monthly_cost, None);
        assert_eq!(c.price_filter.region, "westeurope");
    }

    #[test]
    fn locations_are_named_as_azure_names_them() {
        assert_eq!(location_name("westus"), "West US");
        assert_eq!(location_name("southeastasia"), "Southeast Asia");
        assert_eq!(location_name("newregion"), "newregion");
    }
}
