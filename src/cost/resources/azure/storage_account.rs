//! `azurerm_storage_account`: blob and file storage, priced by account kind
//! (`account_kind`, default StorageV2), tier (`account_tier`), replication
//! (`account_replication_type`) and access tier (`access_tier`, default Hot;
//! Premium accounts bill as Premium, StorageV1 as Standard), with the
//! components Infracost shows for each combination, all from usage:
//! capacity (`storage_gb`; Hot in tiers of the first 50 TB, next 450 TB and
//! over 500 TB), file data at rest, snapshots and metadata, iterative and
//! ordinary write, list, read and other operations, data retrieval and
//! write, blob index tags and early deletion. Replications an account kind
//! does not offer are not priced, and say so.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const CAPACITY_TIERS: &[&str] = &[
    "Capacity (first 50TB)",
    "Capacity (next 450TB)",
    "Capacity (over 500TB)",
];

/// The usage-file keys the type reads.
pub(super) const USAGE_KEYS: &[&str] = &[
    "storage_gb",
    "monthly_iterative_read_operations",
    "monthly_read_operations",
    "monthly_iterative_write_operations",
    "monthly_write_operations",
    "monthly_list_and_create_container_operations",
    "monthly_other_operations",
    "monthly_data_retrieval_gb",
    "monthly_data_write_gb",
    "blob_index_tags",
    "data_at_rest_storage_gb",
    "snapshots_storage_gb",
    "metadata_at_rest_storage_gb",
    "early_deletion_gb",
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    BlockBlob,
    File,
    Blob,
    V1,
    V2,
}

struct Account {
    kind: Kind,
    premium: bool,
    nfsv3: bool,
    replication: String,
    access: String,
}

impl Account {
    fn hot(&self) -> bool {
        self.access == "Hot"
    }
    fn cool(&self) -> bool {
        self.access == "Cool"
    }
    /// The price list's `productName` for this account's blobs or files.
    fn product(&self) -> &'static str {
        let (standard, premium) = match self.kind {
            Kind::BlockBlob | Kind::Blob => ("Blob Storage", "Premium Block Blob"),
            Kind::V1 => ("General Block Blob", "Premium Block Blob"),
            Kind::File => ("Files v2", "Premium Files"),
            Kind::V2 if self.nfsv3 => (
                "General Block Blob v2 Hierarchical Namespace",
                "Premium Block Blob v2 Hierarchical Namespace",
            ),
            // The LRS Hot prices are published under "Blob Storage".
            Kind::V2 if self.replication == "LRS" && self.hot() => {
                ("Blob Storage", "Premium Block Blob")
            }
            Kind::V2 => ("General Block Blob v2", "Premium Block Blob"),
        };
        if self.premium { premium } else { standard }
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let kind_name = attrs.str("account_kind").unwrap_or("StorageV2");
    let kind = match kind_name.to_ascii_lowercase().as_str() {
        "blockblobstorage" => Kind::BlockBlob,
        "filestorage" => Kind::File,
        "blobstorage" => Kind::Blob,
        "storage" => Kind::V1,
        "storagev2" => Kind::V2,
        other => {
            p.note(format!(
                "account_kind `{other}` is not a storage account kind; the account is not priced"
            ));
            return p;
        }
    };
    let premium = attrs
        .str("account_tier")
        .is_some_and(|t| t.eq_ignore_ascii_case("premium"));
    // The provider also accepts `RAGRS` and `RAGZRS` for the price list's
    // `RA-GRS` and `RA-GZRS`.
    let replication = match attrs
        .str("account_replication_type")
        .unwrap_or("LRS")
        .to_ascii_uppercase()
        .as_str()
    {
        "RAGRS" => "RA-GRS".to_string(),
        "RAGZRS" => "RA-GZRS".to_string(),
        other => other.to_string(),
    };
    let offered: &[&str] = match kind {
        _ if premium => &["LRS", "ZRS"],
        Kind::BlockBlob | Kind::Blob => &["LRS", "GRS", "RA-GRS"],
        Kind::V1 => &["LRS", "ZRS", "GRS", "RA-GRS"],
        Kind::V2 => &["LRS", "ZRS", "GRS", "RA-GRS", "GZRS", "RA-GZRS"],
        Kind::File => &["LRS", "GRS", "ZRS"],
    };
    if !offered.contains(&replication.as_str()) {
        p.note(format!(
            "{kind_name} {} accounts do not offer {replication} replication; the account is not priced",
            if premium { "Premium" } else { "Standard" }
        ));
        return p;
    }
    let access = if premium {
        "Premium".to_string()
    } else if kind == Kind::V1 {
        "Standard".to_string()
    } else {
        title_case(attrs.str("access_tier").unwrap_or("Hot"))
    };
    let a = Account {
        kind,
        premium,
        nfsv3: attrs.bool("nfsv3_enabled").unwrap_or(false),
        replication,
        access,
    };
    let sku = format!("{} {}", a.access, a.replication);
    let meter = |unit: &'static str, meter: &str| {
        filter("Storage", "Storage", ctx.region, unit)
            .attr("productName", a.product())
            .attr("skuName", sku.clone())
            .attr("meterName", meter.to_string())
    };
    let gb = |key: &str| ctx.usage.decimal(key);
    let per = |key: &str, n: Decimal| ctx.usage.decimal(key).map(|v| v / n);
    let file = a.kind == Kind::File;
    let v2 = a.kind == Kind::V2;

    if !file {
        let storage = gb("storage_gb");
        let c = ComponentSpec::usage("Capacity", "GB", storage, meter("GB", "Data Stored"));
        // Hot capacity is tiered: its lines are named once the amount is known.
        p.push(if a.hot() && storage.is_some() {
            c.tier_names(CAPACITY_TIERS)
        } else {
            c
        });
    } else {
        let (rest, snaps) = if a.premium {
            ("Provisioned", "Snapshots")
        } else {
            ("Data Stored", "Data Stored")
        };
        p.push(ComponentSpec::usage(
            "Data at rest",
            "GB",
            gb("data_at_rest_storage_gb"),
            meter("GB", rest),
        ));
        p.push(ComponentSpec::usage(
            "Snapshots",
            "GB",
            gb("snapshots_storage_gb"),
            meter("GB", snaps),
        ));
        if !a.premium {
            p.push(ComponentSpec::usage(
                "Metadata at rest",
                "GB",
                gb("metadata_at_rest_storage_gb"),
                meter("GB", "Metadata"),
            ));
        }
    }
    let nfs_standard_v2 = v2 && a.nfsv3 && !a.premium;
    if nfs_standard_v2 {
        p.push(ComponentSpec::usage(
            "Iterative write operations",
            "100 operations",
            per("monthly_iterative_write_operations", dec!(100)),
            meter("100", "Iterative Write Operations"),
        ));
    }
    let premium_files = file && a.premium;
    if !premium_files {
        p.push(ComponentSpec::usage(
            "Write operations",
            "10k operations",
            per("monthly_write_operations", dec!(10000)),
            meter("10K", "Write Operations"),
        ));
        let (name, meter_name) = if file {
            ("List operations", "List Operations")
        } else {
            (
                "List and create container operations",
                "List and Create Container Operations",
            )
        };
        p.push(ComponentSpec::usage(
            name,
            "10k operations",
            per("monthly_list_and_create_container_operations", dec!(10000)),
            meter("10K", meter_name),
        ));
    }
    if nfs_standard_v2 {
        p.push(ComponentSpec::usage(
            "Iterative read operations",
            "10k operations",
            per("monthly_iterative_read_operations", dec!(10000)),
            meter("10K", "Iterative Read Operations"),
        ));
    }
    if !premium_files {
        // StorageV1 GRS accounts publish reads under "Other Operations" and
        // other operations under "Delete Operations", at the same prices.
        let v1 = a.kind == Kind::V1;
        let read = if v1 && (a.replication == "GRS" || a.replication == "RA-GRS") {
            "Other Operations"
        } else {
            "Read Operations"
        };
        p.push(ComponentSpec::usage(
            "Read operations",
            "10k operations",
            per("monthly_read_operations", dec!(10000)),
            meter("10K", read),
        ));
        p.push(ComponentSpec::usage(
            "All other operations",
            "10k operations",
            per("monthly_other_operations", dec!(10000)),
            meter(
                "10K",
                if v1 {
                    "Delete Operations"
                } else {
                    "Other Operations"
                },
            ),
        ));
    }
    if a.cool() {
        p.push(ComponentSpec::usage(
            "Data retrieval",
            "GB",
            gb("monthly_data_retrieval_gb"),
            meter("GB", "Data Retrieval"),
        ));
    }
    if a.kind == Kind::BlockBlob && a.cool() {
        p.push(ComponentSpec::usage(
            "Data write",
            "GB",
            gb("monthly_data_write_gb"),
            meter("GB", "Data Write"),
        ));
    }
    let no_index = file
        || a.kind == Kind::V1
        || (matches!(a.kind, Kind::BlockBlob | Kind::Blob) && a.premium)
        || (v2 && (a.nfsv3 || a.premium));
    if !no_index {
        p.push(ComponentSpec::usage(
            "Blob index",
            "10k tags",
            per("blob_index_tags", dec!(10000)),
            meter("10K", "Index Tags"),
        ));
    }
    if matches!(a.kind, Kind::V2 | Kind::File) && a.cool() {
        p.push(ComponentSpec::usage(
            "Early deletion",
            "GB",
            gb("early_deletion_gb"),
            meter("GB", "Early Delete"),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    fn account(attrs: Value, usage: &str) -> crate::cost::ResourceCost {
        let usage =
            format!("version: 0.1\nresource_usage:\n  azurerm_storage_account.test:\n{usage}");
        price("azurerm_storage_account", attrs, "westus", Some(&usage))
    }

    fn names(r: &crate::cost::ResourceCost) -> Vec<String> {
        r.all_components().into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn hot_capacity_bills_in_infracosts_tiers() {
        // StorageV2 LRS Hot: 51,200 GB × $0.0208 = $1,064.96; the next
        // 512,000 GB × $0.019968 = $10,223.62; 436,800 GB × $0.019136 = $8,358.60
        let r = account(
            json!({"location": "westus", "account_tier": "Standard", "account_replication_type": "LRS"}),
            "    storage_gb: 1000000\n    monthly_write_operations: 1000000\n",
        );
        for (name, qty, cost) in [
            ("Capacity (first 50TB)", dec!(51200), dec!(1064.96)),
            ("Capacity (next 450TB)", dec!(512000), dec!(10223.62)),
            ("Capacity (over 500TB)", dec!(436800), dec!(8358.60)),
        ] {
            let c = component(&r, name);
            assert_eq!(c.monthly_quantity, Some(qty), "{name}");
            assert_eq!(c.monthly_cost.map(|c| c.round_dp(2)), Some(cost), "{name}");
        }
        // 100 × 10k writes × $0.055 = $5.50
        assert_eq!(
            component(&r, "Write operations").monthly_cost,
            Some(dec!(5.50))
        );
        // Hot has no retrieval or early deletion; blob index is listed
        let n = names(&r);
        assert!(n.contains(&"Blob index".to_string()));
        assert!(
            !n.iter()
                .any(|n| n == "Data retrieval" || n == "Early deletion")
        );
    }

    #[test]
    fn cool_v2_adds_retrieval_and_early_deletion_and_ragrs_is_ra_grs() {
        // RAGRS Cool: 4,000,000 GB × $0.0288 = $115,200; early deletion 4,000 GB × $0.035 = $140
        let r = account(
            json!({"location": "westus", "account_kind": "StorageV2", "account_tier": "Standard",
                   "account_replication_type": "RAGRS", "access_tier": "Cool"}),
            "    storage_gb: 4000000\n    early_deletion_gb: 4000\n    monthly_data_retrieval_gb: 4000\n",
        );
        let c = component(&r, "Capacity");
        assert_eq!(c.monthly_cost, Some(dec!(115200)));
        assert_eq!(
            component(&r, "Early deletion").monthly_cost,
            Some(dec!(140))
        );
        assert_eq!(component(&r, "Data retrieval").monthly_cost, Some(dec!(40)));
    }

    #[test]
    fn premium_files_bill_provisioned_and_snapshots_only() {
        // Premium LRS files: 50,000 GB × $0.176 = $8,800; snapshots × $0.15 = $7,500
        let r = account(
            json!({"location": "westus", "account_kind": "FileStorage", "account_tier": "Premium",
                   "account_replication_type": "LRS", "access_tier": "Hot"}),
            "    data_at_rest_storage_gb: 50000\n    snapshots_storage_gb: 50000\n",
        );
        assert_eq!(names(&r), ["Data at rest", "Snapshots"]);
        assert_eq!(component(&r, "Data at rest").monthly_cost, Some(dec!(8800)));
        assert_eq!(component(&r, "Snapshots").monthly_cost, Some(dec!(7500)));
    }

    #[test]
    fn storage_v1_grs_reads_at_the_other_operations_meter() {
        // V1 GRS: 3,000,000 GB × $0.048 = $144,000; no blob index
        let r = account(
            json!({"location": "westus", "account_kind": "Storage", "account_tier": "Standard",
                   "account_replication_type": "GRS"}),
            "    storage_gb: 3000000\n    monthly_read_operations: 300000\n",
        );
        assert_eq!(component(&r, "Capacity").monthly_cost, Some(dec!(144000)));
        assert_eq!(
            component(&r, "Read operations").status,
            ComponentStatus::Priced
        );
        assert!(!names(&r).contains(&"Blob index".to_string()));
    }

    #[test]
    fn replication_a_kind_lacks_is_not_priced_and_other_regions_say_no_price() {
        let r = price(
            "azurerm_storage_account",
            json!({"location": "westus", "account_kind": "BlockBlobStorage", "account_tier": "Premium",
                   "account_replication_type": "GRS"}),
            "westus",
            None,
        );
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("GRS")));
        let r = price(
            "azurerm_storage_account",
            json!({"location": "northeurope", "account_tier": "Standard", "account_replication_type": "LRS"}),
            "northeurope",
            None,
        );
        assert_eq!(
            component(&r, "Capacity").status,
            ComponentStatus::NoPriceFound
        );
    }
}
