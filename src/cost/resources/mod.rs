//! Which resource types driftcost prices, which are free, and which it does not know.
//!
//! One file per resource type under `<cloud>/`, each exposing
//! `pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced`, and one line for
//! it in that cloud's `REGISTRY` (name, price function, usage-file keys).

use super::attrs::Attrs;
use super::component::Priced;
use super::ctx::Ctx;
use std::collections::HashMap;
use std::sync::LazyLock;

pub(crate) mod aws;
pub(crate) mod azure;
pub(crate) mod google;

/// The signature every resource file implements.
pub(crate) type PriceFn = fn(&Attrs, &Ctx) -> Priced;

/// One priced resource type: what a cloud's `REGISTRY` line says.
pub(crate) struct Registration {
    resource_type: &'static str,
    price: PriceFn,
    usage_keys: UsageKeys,
}

#[derive(Clone, Copy)]
enum UsageKeys {
    List(&'static [&'static str]),
    /// Keys built from the resource file's own tables (S3's storage classes).
    Computed(fn() -> &'static [&'static str]),
}

/// A priced type that reads no usage-file keys; add them with [`Registration::keys`].
pub(crate) const fn priced(resource_type: &'static str, price: PriceFn) -> Registration {
    Registration {
        resource_type,
        price,
        usage_keys: UsageKeys::List(&[]),
    }
}

impl Registration {
    /// The usage-file keys the type reads (nested keys dotted, as `standard.storage_gb`).
    pub(crate) const fn keys(self, keys: &'static [&'static str]) -> Registration {
        Registration {
            usage_keys: UsageKeys::List(keys),
            ..self
        }
    }

    /// As [`Registration::keys`], built once by the resource file.
    pub(crate) const fn computed_keys(self, keys: fn() -> &'static [&'static str]) -> Registration {
        Registration {
            usage_keys: UsageKeys::Computed(keys),
            ..self
        }
    }
}

/// Every cloud's registry, in one index.
fn registered(resource_type: &str) -> Option<&'static Registration> {
    static INDEX: LazyLock<HashMap<&'static str, &'static Registration>> = LazyLock::new(|| {
        aws::REGISTRY
            .iter()
            .chain(google::REGISTRY)
            .chain(azure::REGISTRY)
            .map(|r| (r.resource_type, r))
            .collect()
    });
    INDEX.get(resource_type).copied()
}

pub(crate) enum Coverage {
    Priced(PriceFn),
    /// Billed at nothing by the cloud (IAM, VPC, security groups, …).
    Free,
    /// Not known to driftcost: listed with a count, never priced at $0.
    Unsupported,
}

pub(crate) fn coverage(resource_type: &str) -> Coverage {
    if let Some(f) = price_fn(resource_type) {
        return Coverage::Priced(f);
    }
    if aws::free::is_free(resource_type)
        || google::is_free(resource_type)
        || azure::is_free(resource_type)
    {
        return Coverage::Free;
    }
    Coverage::Unsupported
}

/// Every priced resource type, for docs and tests.
pub fn supported_types() -> Vec<&'static str> {
    aws::REGISTRY
        .iter()
        .chain(google::REGISTRY)
        .chain(azure::REGISTRY)
        .map(|r| r.resource_type)
        .collect()
}

/// The price function of a priced type, whatever its cloud.
pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    registered(resource_type).map(|r| r.price)
}

/// The usage-file keys a priced type reads, whatever its cloud.
pub(crate) fn usage_keys(resource_type: &str) -> &'static [&'static str] {
    registered(resource_type).map_or(&[], |r| match r.usage_keys {
        UsageKeys::List(keys) => keys,
        UsageKeys::Computed(keys) => keys(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_registered_once_under_its_own_cloud() {
        let mut seen = std::collections::HashSet::new();
        for (prefix, registry) in [
            ("aws_", aws::REGISTRY),
            ("google_", google::REGISTRY),
            ("azurerm_", azure::REGISTRY),
        ] {
            for r in registry {
                assert!(r.resource_type.starts_with(prefix), "{}", r.resource_type);
                assert!(
                    seen.insert(r.resource_type),
                    "{} registered twice",
                    r.resource_type
                );
                assert!(price_fn(r.resource_type).is_some());
            }
        }
        assert_eq!(seen.len(), supported_types().len());
        assert!(
            usage_keys("aws_s3_bucket").len() > 10,
            "computed keys are read"
        );
        assert_eq!(
            usage_keys("aws_lb"),
            [
                "new_connections",
                "active_connections",
                "processed_bytes_gb",
                "rule_evaluations"
            ]
        );
        assert!(usage_keys("aws_iam_role").is_empty() && price_fn("aws_iam_role").is_none());
    }
}
