//! Which price-list attributes identify a price, per (service, product family).
//!
//! Resource files build [`crate::cost::PriceFilter`]s with exactly these
//! attribute names, the shipped tables carry exactly these, and
//! `pricing import` keeps exactly these columns of the AWS Price List, so the
//! three always agree. Names are the AWS Price List's JSON attribute names;
//! `usagetype` has its region prefix (`USE2-`, `EUC1-`, …) removed.

pub struct Family {
    pub service: &'static str,
    pub product_family: &'static str,
    pub attributes: &'static [&'static str],
}

pub const FAMILIES: &[Family] = &[
    // --- network (nat gateway, load balancers, eip, route53, logs, kms, secrets, sqs, sns)
    Family {
        service: "AmazonEC2",
        product_family: "NAT Gateway",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Application",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Network",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Gateway",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonVPC",
        product_family: "VPC Public IPv4 Address",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRoute53",
        product_family: "DNS Zone",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRoute53",
        product_family: "DNS Query",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Data Payload",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    Family {
        service: "awskms",
        product_family: "Encryption Key",
        attributes: &["usagetype"],
    },
    Family {
        service: "awskms",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSecretsManager",
        product_family: "Secret",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSecretsManager",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSQueueService",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonSNS",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
];

/// The family entry for a service and product family.
pub fn family(service: &str, product_family: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .find(|f| f.service == service && f.product_family == product_family)
}
