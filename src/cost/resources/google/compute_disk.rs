//! `google_compute_disk`: provisioned persistent-disk storage per GB-month,
//! plus provisioned IOPS for `pd-extreme` and `hyperdisk-extreme`. Instances
//! price their boot disks through [`disk_component`] so every disk is billed
//! the same way.
//!
//! Defaults (as Infracost applies them):
//! - `type` unset → `pd-standard`.
//! - `size` unset and no `image`/`snapshot` to take it from → Google's
//!   default size for the type: 500 GB pd-standard, 100 GB pd-ssd/pd-balanced,
//!   1,000 GB extreme/hyperdisk; noted.
//! - `size` unset but created from an image or snapshot → its size is not in
//!   the plan: storage shown without a cost and a note.
//! - extreme IOPS unset → 100,000 (pd-extreme) / 350,000 (hyperdisk-extreme).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The component name and the SKU description (region suffix removed) of
/// each persistent-disk type's capacity price.
fn kind(disk_type: &str) -> (&'static str, &'static str) {
    match disk_type {
        "pd-balanced" => (
            "Balanced provisioned storage (pd-balanced)",
            "Balanced PD Capacity",
        ),
        "pd-ssd" => ("SSD provisioned storage (pd-ssd)", "SSD backed PD Capacity"),
        "pd-extreme" => (
            "Extreme provisioned storage (pd-extreme)",
            "Extreme PD Capacity",
        ),
        "hyperdisk-extreme" => (
            "Hyperdisk provisioned storage (hyperdisk-extreme)",
            "Hyperdisk Extreme Capacity",
        ),
        _ => (
            "Standard provisioned storage (pd-standard)",
            "Storage PD Capacity",
        ),
    }
}

/// Storage for `count` disks of `size_gb` (`None`: not known at plan time).
pub(crate) fn disk_component(
    disk_type: &str,
    size_gb: Option<Decimal>,
    count: Decimal,
    ctx: &Ctx,
) -> ComponentSpec {
    let (name, description) = kind(disk_type);
    let f = filter(
        "Compute Engine",
        "Storage",
        ctx.region,
        "GB-Mo",
        "on_demand",
    )
    .attr("description", description);
    match size_gb {
        Some(size) => ComponentSpec::monthly(name, "GB", size * count, f),
        None => ComponentSpec::usage(name, "GB", None, f),
    }
}

/// How many references deep a size is followed (image → snapshot → disk …);
/// a cycle in the configuration stops here instead of looping.
const MAX_HOPS: u8 = 8;

/// The size of a disk, as far as the plan tells it: its `size`, else the size
/// of the image or snapshot it is made from when the configuration refers to
/// one the plan has, else the type's default unless it is made from an image
/// or snapshot the plan does not describe.
fn disk_size(disk: &Attrs, ctx: &Ctx, hops: u8) -> Option<Decimal> {
    if let Some(size) = disk.decimal("size") {
        return Some(size);
    }
    if hops == 0 {
        return None;
    }
    if let Some((image, image_ctx)) = ctx.referenced_ctx(&["image"]) {
        return image_size(&image, &image_ctx, hops - 1);
    }
    if let Some((_, snapshot_ctx)) = ctx.referenced_ctx(&["snapshot"]) {
        return snapshot_size(&snapshot_ctx, hops - 1);
    }
    (disk.str("image").is_none() && disk.str("snapshot").is_none())
        .then(|| default_size(disk.str("type").unwrap_or("pd-standard")))
}

/// An image's size: `disk_size_gb`, else the size of what it is made from
/// (`source_disk`, `source_image`, `source_snapshot`) when the plan has it.
pub(crate) fn image_size(image: &Attrs, ctx: &Ctx, hops: u8) -> Option<Decimal> {
    if let Some(size) = image.decimal("disk_size_gb") {
        return Some(size);
    }
    if hops == 0 {
        return None;
    }
    if let Some((disk, disk_ctx)) = ctx.referenced_ctx(&["source_disk"]) {
        return disk_size(&disk, &disk_ctx, hops - 1);
    }
    if let Some((source, source_ctx)) = ctx.referenced_ctx(&["source_image"]) {
        return image_size(&source, &source_ctx, hops - 1);
    }
    if let Some((snapshot, snapshot_ctx)) = ctx.referenced_ctx(&["source_snapshot"]) {
        return snapshot
            .decimal("disk_size_gb")
            .or_else(|| snapshot_size(&snapshot_ctx, hops - 1));
    }
    None
}

/// A snapshot's size: the size of its `source_disk` when the plan has it.
pub(crate) fn snapshot_size(ctx: &Ctx, hops: u8) -> Option<Decimal> {
    if hops == 0 {
        return None;
    }
    let (disk, disk_ctx) = ctx.referenced_ctx(&["source_disk"])?;
    disk_size(&disk, &disk_ctx, hops - 1)
}

/// An image's size as [`image_size`] follows it.
pub(crate) fn known_image_size(image: &Attrs, ctx: &Ctx) -> Option<Decimal> {
    image_size(image, ctx, MAX_HOPS)
}

/// A snapshot's size as [`snapshot_size`] follows it.
pub(crate) fn known_snapshot_size(ctx: &Ctx) -> Option<Decimal> {
    snapshot_size(ctx, MAX_HOPS)
}

/// A stored copy of disk data (a snapshot, an image) of `size_gb` per
/// GB-month, usage-based when the size is not known or zero.
pub(crate) fn stored_copy(
    size_gb: Option<Decimal>,
    description: &'static str,
    ctx: &Ctx,
) -> ComponentSpec {
    ComponentSpec::usage(
        "Storage",
        "GB",
        size_gb.filter(|s| !s.is_zero()),
        filter(
            "Compute Engine",
            "Storage",
            ctx.region,
            "GB-Mo",
            "on_demand",
        )
        .attr("description", description),
    )
}

fn default_size(disk_type: &str) -> Decimal {
    match disk_type {
        "pd-ssd" | "pd-balanced" => dec!(100),
        "pd-extreme" | "hyperdisk-extreme" => dec!(1000),
        _ => dec!(500),
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let disk_type = attrs.str("type").unwrap_or("pd-standard");
    if !matches!(
        disk_type,
        "pd-standard" | "pd-balanced" | "pd-ssd" | "pd-extreme" | "hyperdisk-extreme"
    ) {
        p.note(format!(
            "disk type {disk_type:?} is not one driftcost prices; priced as pd-standard"
        ));
    }
    let from_source = || {
        ctx.referenced_ctx(&["image"])
            .map(|(image, image_ctx)| image_size(&image, &image_ctx, MAX_HOPS))
            .or_else(|| {
                ctx.referenced_ctx(&["snapshot"])
                    .map(|(_, snapshot_ctx)| snapshot_size(&snapshot_ctx, MAX_HOPS))
            })
            .flatten()
    };
    let size = match attrs.decimal("size").or_else(from_source) {
        Some(s) => Some(s),
        None if attrs.str("image").is_some()
            || attrs.str("snapshot").is_some()
            || ctx.referenced(&["image"]).is_some()
            || ctx.referenced(&["snapshot"]).is_some() =>
        {
            p.note("disk size comes from its image or snapshot and is not in the plan; storage shown without a cost");
            None
        }
        None => {
            let d = default_size(disk_type);
            p.note(format!(
                "size not set; {disk_type} default of {d} GB assumed"
            ));
            Some(d)
        }
    };
    p.push(disk_component(disk_type, size, Decimal::ONE, ctx));
    let iops = match disk_type {
        "pd-extreme" => Some(("Extreme PD IOPS", dec!(100000))),
        "hyperdisk-extreme" => Some(("Hyperdisk Extreme IOPS", dec!(350000))),
        _ => None,
    };
    if let Some((description, default)) = iops {
        let n = attrs
            .decimal("provisioned_iops")
            .filter(|n| !n.is_zero())
            .unwrap_or(default);
        p.push(ComponentSpec::monthly(
            "Provisioned IOPS",
            "IOPS",
            n,
            filter(
                "Compute Engine",
                "Storage",
                ctx.region,
                "IOPS-Mo",
                "on_demand",
            )
            .attr("description", description),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::super::testing::price_in_plan;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    /// An image of 30 GB, an image made from it, a 20 GB disk, its snapshot
    /// and an image of the snapshot, as Infracost's compute_disk test has them.
    fn chain() -> Vec<(&'static str, serde_json::Value)> {
        let zone = || json!({"type": "pd-standard", "zone": "us-central1-a"});
        vec![
            ("google_compute_image.sized", json!({"disk_size_gb": 30})),
            ("google_compute_image.copy", json!({})),
            (
                "google_compute_disk.sized",
                json!({"size": 20, "zone": "us-central1-a"}),
            ),
            (
                "google_compute_snapshot.snap",
                json!({"zone": "us-central1-a"}),
            ),
            ("google_compute_image.of_snap", json!({})),
            ("google_compute_disk.from_image", zone()),
            ("google_compute_disk.from_copy", zone()),
            ("google_compute_disk.from_snap", zone()),
            ("google_compute_disk.from_snap_image", zone()),
        ]
    }

    const CHAIN_REFS: &[(&str, &[&str], &str)] = &[
        (
            "google_compute_image.copy",
            &["source_image"],
            "google_compute_image.sized",
        ),
        (
            "google_compute_snapshot.snap",
            &["source_disk"],
            "google_compute_disk.sized",
        ),
        (
            "google_compute_image.of_snap",
            &["source_snapshot"],
            "google_compute_snapshot.snap",
        ),
        (
            "google_compute_disk.from_image",
            &["image"],
            "google_compute_image.sized",
        ),
        (
            "google_compute_disk.from_copy",
            &["image"],
            "google_compute_image.copy",
        ),
        (
            "google_compute_disk.from_snap",
            &["snapshot"],
            "google_compute_snapshot.snap",
        ),
        (
            "google_compute_disk.from_snap_image",
            &["image"],
            "google_compute_image.of_snap",
        ),
    ];

    #[test]
    fn a_disk_made_from_an_image_or_snapshot_in_the_plan_takes_its_size() {
        // image 30 GB → 30 GB × $0.04 = $1.20 (directly or through an image of it);
        // snapshot of a 20 GB disk → 20 GB × $0.04 = $0.80 (directly or through an image)
        let resources = chain();
        for (disk, gb, cost) in [
            ("google_compute_disk.from_image", dec!(30), dec!(1.20)),
            ("google_compute_disk.from_copy", dec!(30), dec!(1.20)),
            ("google_compute_disk.from_snap", dec!(20), dec!(0.80)),
            ("google_compute_disk.from_snap_image", dec!(20), dec!(0.80)),
        ] {
            let r = price_in_plan(&resources, CHAIN_REFS, None, disk);
            let c = component(&r, "Standard provisioned storage (pd-standard)");
            assert_eq!(c.monthly_quantity, Some(gb), "{disk}");
            assert_eq!(r.monthly_cost, Some(cost), "{disk}");
        }
        // An image of the snapshot is the snapshot's size: 20 GB × $0.05 = $1.00
        let r = price_in_plan(&resources, CHAIN_REFS, None, "google_compute_image.of_snap");
        assert_eq!(r.monthly_cost, Some(dec!(1.00)));
    }

    #[test]
    fn standard_disk_defaults_to_500_gb() {
        // 500 GB × $0.04 = $20.00
        let r = price(
            "google_compute_disk",
            json!({"zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        let c = component(&r, "Standard provisioned storage (pd-standard)");
        assert_eq!(c.monthly_quantity, Some(dec!(500)));
        assert_eq!(r.monthly_cost, Some(dec!(20.00)));
    }

    #[test]
    fn ssd_disk_of_a_given_size() {
        // 100 GB × $0.17 = $17.00; unset size → 100 GB default
        let r = price(
            "google_compute_disk",
            json!({"type": "pd-ssd", "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(17.00)));
        // 20 GB pd-standard × $0.04 = $0.80
        let r = price(
            "google_compute_disk",
            json!({"size": 20, "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(0.80)));
    }

    #[test]
    fn balanced_disk_of_the_default_size() {
        // unset size → 100 GB pd-balanced × $0.10 = $10.00
        let r = price(
            "google_compute_disk",
            json!({"type": "pd-balanced", "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        let c = component(&r, "Balanced provisioned storage (pd-balanced)");
        assert_eq!(c.monthly_quantity, Some(dec!(100)));
        assert_eq!(c.monthly_cost.map(|c| c.normalize()), Some(dec!(10)));
    }

    #[test]
    fn extreme_disks_bill_iops() {
        // 40 GB × $0.125 = $5.00; 5,000 IOPS × $0.065 = $325.00
        let r = price(
            "google_compute_disk",
            json!({"type": "pd-extreme", "size": 40, "provisioned_iops": 5000, "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Provisioned IOPS").monthly_cost,
            Some(dec!(325.00))
        );
        assert_eq!(r.monthly_cost, Some(dec!(330.00)));
        // hyperdisk default: 1,000 GB × $0.125 = $125; 350,000 IOPS × $0.032 = $11,200
        let r = price(
            "google_compute_disk",
            json!({"type": "hyperdisk-extreme", "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(11325.00)));
    }

    #[test]
    fn size_from_an_image_is_not_guessed() {
        let r = price(
            "google_compute_disk",
            json!({"image": "debian-cloud/debian-12", "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert_eq!(r.monthly_cost, None);
        assert_eq!(
            component(&r, "Standard provisioned storage (pd-standard)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn a_region_without_a_price_says_so() {
        let r = price(
            "google_compute_disk",
            json!({"size": 10, "zone": "me-west1-a"}),
            "me-west1",
            None,
        );
        assert_eq!(r.monthly_cost, None);
        assert_eq!(
            component(&r, "Standard provisioned storage (pd-standard)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
