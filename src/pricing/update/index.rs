//! The two JSON indexes of the AWS Price List bulk API: the offer index
//! (`/offers/v1.0/aws/index.json`: one entry per service) and a service's
//! region index (`/offers/v1.0/aws/<OfferCode>/current/region_index.json`:
//! one entry per region with the URL of that region's current offer file).

use serde::Deserialize;
use std::collections::BTreeMap;

/// `/offers/v1.0/aws/index.json`, the fields we read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OfferIndex {
    #[serde(default)]
    pub publication_date: String,
    pub offers: BTreeMap<String, Offer>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Offer {
    /// `/offers/v1.0/aws/AmazonEC2/current/region_index.json`.
    pub current_region_index_url: Option<String>,
}

/// `/offers/v1.0/aws/<OfferCode>/current/region_index.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RegionIndex {
    #[serde(default)]
    pub publication_date: String,
    pub regions: BTreeMap<String, RegionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RegionEntry {
    /// `/offers/v1.0/aws/AmazonEC2/20250912225308/us-east-1/index.json`.
    pub current_version_url: String,
}

impl RegionEntry {
    /// The CSV offer file next to the JSON one, and its version (the path
    /// segment after the offer code), or `None` when the URL is not shaped
    /// `…/<version>/<region>/index.json`.
    pub fn csv(&self) -> Option<(String, String)> {
        let base = self.current_version_url.strip_suffix("index.json")?;
        let mut parts = base.trim_end_matches('/').rsplit('/');
        let _region = parts.next().filter(|s| !s.is_empty())?;
        let version = parts.next().filter(|s| !s.is_empty())?;
        Some((format!("{base}index.csv"), version.to_string()))
    }
}

/// A path from an index (`/offers/…`) made absolute against the base URL;
/// an absolute URL is taken as it is.
pub(crate) fn absolute(base_url: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!(
            "{}/{}",
            base_url.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape AWS publishes (abridged: the real disclaimer is longer and
    /// there are ~200 offers and ~40 regions).
    const OFFERS: &str = r#"{
  "formatVersion" : "v1.0",
  "disclaimer" : "This pricing list is for informational purposes only.",
  "publicationDate" : "2025-09-15T17:02:38Z",
  "offers" : {
    "AmazonEC2" : {
      "offerCode" : "AmazonEC2",
      "versionIndexUrl" : "/offers/v1.0/aws/AmazonEC2/index.json",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/current/index.json",
      "currentRegionIndexUrl" : "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
      "savingsPlanVersionIndexUrl" : "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/index.json",
      "currentSavingsPlanIndexUrl" : "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json"
    },
    "AWSSupportBusiness" : {
      "offerCode" : "AWSSupportBusiness",
      "versionIndexUrl" : "/offers/v1.0/aws/AWSSupportBusiness/index.json",
      "currentVersionUrl" : "/offers/v1.0/aws/AWSSupportBusiness/current/index.json"
    }
  }
}"#;

    const REGIONS: &str = r#"{
  "formatVersion" : "v1.0",
  "disclaimer" : "This pricing list is for informational purposes only.",
  "publicationDate" : "2025-09-12T22:53:08Z",
  "regions" : {
    "eu-west-1" : {
      "regionCode" : "eu-west-1",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/20250912225308/eu-west-1/index.json"
    },
    "us-east-1" : {
      "regionCode" : "us-east-1",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/20250912225308/us-east-1/index.json"
    }
  }
}"#;

    #[test]
    fn offer_index_gives_region_index_urls() {
        let idx: OfferIndex = serde_json::from_str(OFFERS).unwrap();
        assert_eq!(idx.publication_date, "2025-09-15T17:02:38Z");
        assert_eq!(
            idx.offers["AmazonEC2"].current_region_index_url.as_deref(),
            Some("/offers/v1.0/aws/AmazonEC2/current/region_index.json")
        );
        assert_eq!(
            idx.offers["AWSSupportBusiness"].current_region_index_url,
            None
        );
    }

    #[test]
    fn region_index_gives_csv_urls_and_versions() {
        let idx: RegionIndex = serde_json::from_str(REGIONS).unwrap();
        assert_eq!(idx.publication_date, "2025-09-12T22:53:08Z");
        assert_eq!(
            idx.regions["eu-west-1"].csv(),
            Some((
                "/offers/v1.0/aws/AmazonEC2/20250912225308/eu-west-1/index.csv".to_string(),
                "20250912225308".to_string()
            ))
        );
        let odd = RegionEntry {
            current_version_url: "/somewhere/else.json".into(),
        };
        assert_eq!(odd.csv(), None);
        let short = RegionEntry {
            current_version_url: "index.json".into(),
        };
        assert_eq!(short.csv(), None);
    }

    #[test]
    fn paths_are_joined_to_the_base_url() {
        assert_eq!(
            absolute("http://127.0.0.1:9/", "/offers/v1.0/aws/index.json"),
            "http://127.0.0.1:9/offers/v1.0/aws/index.json"
        );
        assert_eq!(
            absolute("https://pricing.us-east-1.amazonaws.com", "offers/x"),
            "https://pricing.us-east-1.amazonaws.com/offers/x"
        );
        assert_eq!(absolute("http://a", "https://b/c"), "https://b/c");
    }
}
