//! The key of one price in the pricing tables.

use serde::Serialize;
use std::fmt;

/// Everything that selects one price: the table is indexed on exactly these
/// fields, so a filter either hits one row (or one tier set) or misses, and a
/// miss is reported with the filter itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceFilter {
    pub cloud: &'static str,
    pub service: &'static str,
    pub product_family: &'static str,
    pub region: String,
    /// Attribute name → value; names follow the AWS Price List attribute names
    /// (`instanceType`, `volumeApiName`, `usagetype` without its region prefix).
    #[serde(serialize_with = "attrs_as_map")]
    pub attributes: Vec<(&'static str, String)>,
    pub purchase_option: &'static str,
    /// The unit the table prices in (`Hrs`, `GB-Mo`, `Requests`, …).
    pub unit: &'static str,
}

fn attrs_as_map<S: serde::Serializer>(
    attrs: &[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(attrs.len()))?;
    for (k, v) in attrs {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl PriceFilter {
    /// An on-demand AWS price; add attributes with [`PriceFilter::attr`].
    pub fn aws(
        service: &'static str,
        product_family: &'static str,
        region: &str,
        unit: &'static str,
    ) -> Self {
        PriceFilter {
            cloud: "aws",
            service,
            product_family,
            region: region.to_string(),
            attributes: Vec::new(),
            purchase_option: "on_demand",
            unit,
        }
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.push((name, value.into()));
        self
    }

    /// What to say when the tables have no price for this filter: the filter
    /// (region included) and, for AWS and Google, the command that fetches it.
    pub fn miss_message(&self) -> String {
        if self.cloud == "google" {
            format!(
                "no price found for {self}; the shipped Google tables have no price for {} in {}: import the Cloud Billing Catalog with `driftcost pricing import --gcp-billing --out DIR` (API key in $GOOGLE_API_KEY) and pass DIR as --pricing-dir",
                self.service, self.region
            )
        } else if self.cloud == "aws" && self.region != "global" {
            format!(
                "no price found for {self}; fill it with `driftcost pricing update --service {} --region {}` and pass its --out directory as --pricing-dir",
                self.service, self.region
            )
        } else if self.cloud == "azure"
            && self.region != "global"
            && super::import::azure_retail_imports_family(self.service, self.product_family)
        {
            format!(
                "no price found for {self}; fill it with `driftcost pricing import --azure-retail --azure-filter \"serviceName eq '{}' and armRegionName eq '{}'\" --out DIR` and pass DIR as --pricing-dir",
                self.service, self.region
            )
        } else {
            format!(
                "no price found for {self}; supply it in a --pricing-dir table (see pricing/README.md)"
            )
        }
    }

    /// Writes the canonical index key into `key` (which is cleared first), so
    /// lookups can reuse one buffer; must agree with [`crate::pricing`]'s row key.
    pub(crate) fn write_key(&self, key: &mut String) {
        key.clear();
        // Filters have a handful of attributes: sort them on the stack.
        const INLINE: usize = 16;
        let n = self.attributes.len();
        let mut inline = [("", ""); INLINE];
        let mut spilled = Vec::new();
        let attrs: &mut [(&str, &str)] = if n <= INLINE {
            &mut inline[..n]
        } else {
            spilled.resize(n, ("", ""));
            &mut spilled
        };
        for (slot, (k, v)) in attrs.iter_mut().zip(&self.attributes) {
            *slot = (k, v.as_str());
        }
        attrs.sort_unstable();
        write_canonical_key(
            key,
            self.cloud,
            self.service,
            self.product_family,
            &self.region,
            attrs.iter().copied(),
            self.purchase_option,
            self.unit,
        );
    }
}

/// Builds the index key; attributes must already be sorted by name.
pub(crate) fn canonical_key<'a>(
    cloud: &str,
    service: &str,
    family: &str,
    region: &str,
    attrs: impl Iterator<Item = (&'a str, &'a str)>,
    purchase_option: &str,
    unit: &str,
) -> String {
    let mut key = String::with_capacity(128);
    write_canonical_key(
        &mut key,
        cloud,
        service,
        family,
        region,
        attrs,
        purchase_option,
        unit,
    );
    key
}

#[allow(clippy::too_many_arguments)]
pub(super) fn write_canonical_key<'a>(
    key: &mut String,
    cloud: &str,
    service: &str,
    family: &str,
    region: &str,
    attrs: impl Iterator<Item = (&'a str, &'a str)>,
    purchase_option: &str,
    unit: &str,
) {
    for part in [cloud, service, family, region] {
        key.push_str(part);
        key.push('|');
    }
    for (i, (k, v)) in attrs.enumerate() {
        if i > 0 {
            key.push(';');
        }
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    key.push('|');
    key.push_str(purchase_option);
    key.push('|');
    key.push_str(unit);
}

impl fmt::Display for PriceFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} \"{}\" in {}",
            self.cloud, self.service, self.product_family, self.region
        )?;
        for (k, v) in &self.attributes {
            write!(f, ", {k}={v}")?;
        }
        write!(f, ", {} per {}", self.purchase_option, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_miss_names_the_region_and_the_command_that_fills_it() {
        let f = PriceFilter::aws("AmazonS3", "Storage", "eu-west-1", "GB-Mo")
            .attr("usagetype", "TimedStorage-ByteHrs");
        assert_eq!(
            f.miss_message(),
            "no price found for aws AmazonS3 \"Storage\" in eu-west-1, usagetype=TimedStorage-ByteHrs, on_demand per GB-Mo; \
             fill it with `driftcost pricing update --service AmazonS3 --region eu-west-1` and pass its --out directory as --pricing-dir"
        );
        let mut a = PriceFilter::aws("Virtual Network", "NAT Gateway", "southeastasia", "Hrs")
            .attr("meterName", "Standard Gateway");
        a.cloud = "azure";
        assert!(
            a.miss_message().ends_with(
                "fill it with `driftcost pricing import --azure-retail --azure-filter \"serviceName eq 'Virtual Network' and armRegionName eq 'southeastasia'\" --out DIR` and pass DIR as --pricing-dir"
            ),
            "{}",
            a.miss_message()
        );
        // Families the Retail importer cannot fill faithfully are not sent to it.
        let mut sql = PriceFilter::aws("SQL Database", "Compute", "southeastasia", "Hrs")
            .attr("productName", "General Purpose - Compute Gen5")
            .attr("skuName", "4 vCore");
        sql.cloud = "azure";
        assert!(
            sql.miss_message()
                .ends_with("; supply it in a --pricing-dir table (see pricing/README.md)"),
            "{}",
            sql.miss_message()
        );
        let g = PriceFilter::aws("AmazonRoute53", "DNS Zone", "global", "HostedZone");
        assert!(
            g.miss_message()
                .ends_with("; supply it in a --pricing-dir table (see pricing/README.md)"),
            "{}",
            g.miss_message()
        );
    }
}
