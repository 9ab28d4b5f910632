//! `driftcost pricing import`: the clouds' official price lists turned into
//! driftcost pricing tables, so users refresh prices without waiting for a
//! release.
//!
//! One file per source format (`aws_csv.rs`: the AWS Price List bulk CSV
//! offer files). Every format produces [`TableRow`]s into one
//! [`ImportedTables`], which merges them across input files, drops exact
//! repeats, withholds ambiguous prices (the engine then says "no price found"
//! instead of quoting a wrong one) and writes the tables in the column order
//! of `pricing/*.csv`, ready for `--pricing-dir`.
//!
//! Invariant: only attributes declared in [`super::families`] are kept, named
//! as the resource files' price filters name them, so imported rows are found
//! by exactly the lookups the shipped rows are.

mod aws_csv;
mod azure_retail;
mod gcp_billing;

#[cfg(test)]
pub(crate) use aws_csv::is_region_code;
pub use aws_csv::{
    AwsCsvOptions, FileSummary, OfferOrigin, SkipReason, import_aws_csv, import_aws_csv_from,
};
pub use azure_retail::{
    AzurePage, import_azure_retail_page, imports_family as azure_retail_imports_family,
};
pub use gcp_billing::{GcpPage, import_gcp_billing_page};

use super::table::COLUMNS;
use crate::pricing::canonical_key;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why an import failed. Each message names the file (and line, column) and
/// what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} is an AWS Price List JSON offer file: download the CSV offer file instead (the same URL ending in index.csv instead of index.json)",
        path.display()
    )]
    JsonOffer { path: PathBuf },
    #[error(
        "{} is gzip-compressed: decompress it first (`gunzip`), then pass the index.csv",
        path.display()
    )]
    Compressed { path: PathBuf },
    #[error("{} line {line}: {message}: is this an AWS Price List CSV offer file (index.csv)?", path.display())]
    NotOfferFile {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{} line {line}: missing column `{column}`: is this an AWS Price List CSV offer file (index.csv)?", path.display())]
    MissingColumn {
        path: PathBuf,
        line: u64,
        column: &'static str,
    },
    #[error("{} line {line}, column `{column}`: {message}", path.display())]
    BadValue {
        path: PathBuf,
        line: u64,
        column: &'static str,
        message: String,
    },
    #[error("{} line {line}: not valid CSV ({message}): the file may be truncated or corrupted; download it again", path.display())]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// A page of an online price feed (Azure Retail Prices, Google Cloud
    /// Billing Catalog) that is not what the feed serves.
    #[error("{page}: {message}")]
    Feed { page: String, message: String },
    #[error("cannot write pricing table {}: {source}; check that --out is a writable directory", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One price row of a driftcost pricing table, as written to disk.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub cloud: &'static str,
    pub service: String,
    pub product_family: String,
    pub region: String,
    /// Sorted by name, so equal filters serialize equally.
    pub attributes: Vec<(&'static str, String)>,
    pub purchase_option: &'static str,
    pub unit: String,
    pub start: Decimal,
    pub end: Option<Decimal>,
    pub price: Decimal,
    pub effective_date: String,
    /// Shared by every row of one input file.
    pub source: Arc<str>,
}

impl TableRow {
    /// The pricing table's index key (what a `PriceFilter` looks up).
    fn filter_key(&self) -> String {
        canonical_key(
            self.cloud,
            &self.service,
            &self.product_family,
            &self.region,
            self.attributes.iter().map(|(k, v)| (*k, v.as_str())),
            self.purchase_option,
            &self.unit,
        )
    }

    fn attributes_text(&self) -> String {
        let mut s = String::new();
        for (i, (k, v)) in self.attributes.iter().enumerate() {
            if i > 0 {
                s.push(';');
            }
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        s
    }
}

/// What [`ImportedTables::add`] did with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// The same price (filter, tier start, price) was already imported.
    Duplicate,
    /// Another row has the same filter and tier start but a different price or
    /// tier end: the family's attributes do not identify one price, so the
    /// whole filter is left out of the tables.
    Conflicting,
}

/// Rows imported so far, grouped by output table (`aws/AmazonEC2.csv`).
#[derive(Debug, Default)]
pub struct ImportedTables {
    tables: BTreeMap<String, Vec<TableRow>>,
    /// Tier key (filter key + start) → (table, row index), across all tables,
    /// because the loader refuses a price repeated in two files as well.
    tiers: HashMap<String, (String, usize)>,
    ambiguous: HashSet<String>,
}

/// One table written by [`ImportedTables::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenTable {
    pub path: PathBuf,
    pub rows: usize,
    /// Filters withheld because two rows disagreed on their price.
    pub ambiguous_filters: usize,
}

impl ImportedTables {
    /// Adds one row to the table `name` (a relative path without `.csv`).
    pub fn add(&mut self, name: &str, row: TableRow) -> Added {
        let filter = row.filter_key();
        let tier = format!("{filter}#{}", row.start);
        if let Some((table, i)) = self.tiers.get(&tier) {
            let first = &self.tables[table][*i];
            if first.price == row.price && first.end == row.end {
                return Added::Duplicate;
            }
            self.ambiguous.insert(filter);
            return Added::Conflicting;
        }
        let rows = self.tables.entry(name.to_string()).or_default();
        self.tiers.insert(tier, (name.to_string(), rows.len()));
        rows.push(row);
        Added::New
    }

    /// Rows that will be written (ambiguous filters left out).
    pub fn rows(&self, name: &str) -> Vec<&TableRow> {
        self.tables
            .get(name)
            .into_iter()
            .flatten()
            .filter(|r| !self.ambiguous.contains(&r.filter_key()))
            .collect()
    }

    /// Writes every non-empty table as `dir/<name>.csv`, replacing older
    /// imports of the same table, in a stable order.
    pub fn write(&self, dir: &Path) -> Result<Vec<WrittenTable>, ImportError> {
        let mut written = Vec::new();
        for (name, all) in &self.tables {
            let mut rows: Vec<&TableRow> = Vec::with_capacity(all.len());
            let mut withheld = HashSet::new();
            for r in all {
                let key = r.filter_key();
                if self.ambiguous.contains(&key) {
                    withheld.insert(key);
                } else {
                    rows.push(r);
                }
            }
            if rows.is_empty() {
                continue;
            }
            rows.sort_by(|a, b| {
                (
                    &a.service,
                    &a.product_family,
                    &a.region,
                    &a.attributes,
                    &a.unit,
                )
                    .cmp(&(
                        &b.service,
                        &b.product_family,
                        &b.region,
                        &b.attributes,
                        &b.unit,
                    ))
                    .then(a.start.cmp(&b.start))
            });
            let path = dir.join(format!("{name}.csv"));
            write_table(&path, &rows).map_err(|source| ImportError::Write {
                path: path.clone(),
                source,
            })?;
            written.push(WrittenTable {
                path,
                rows: rows.len(),
                ambiguous_filters: withheld.len(),
            });
        }
        Ok(written)
    }
}

/// Writes next to the target and renames, so an interrupted import never
/// leaves a half table for `--pricing-dir` to choke on.
fn write_table(path: &Path, rows: &[&TableRow]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("csv.partial");
    {
        let mut w = csv::Writer::from_path(&tmp)?;
        w.write_record(COLUMNS)?;
        for (i, r) in rows.iter().enumerate() {
            // A feed that gives only tier starts (Azure's `tierMinimumUnits`):
            // a tier ends where the filter's next one starts, or it would be
            // charged over the next tiers' usage too.
            let end = r.end.or_else(|| {
                rows.get(i + 1)
                    .filter(|n| n.start > r.start && n.filter_key() == r.filter_key())
                    .map(|n| n.start)
            });
            let end = end.map(|e| e.normalize().to_string()).unwrap_or_default();
            w.write_record([
                r.cloud,
                &r.service,
                &r.product_family,
                &r.region,
                &r.attributes_text(),
                r.purchase_option,
                &r.unit,
                &r.start.normalize().to_string(),
                &end,
                &r.price.normalize().to_string(),
                &r.effective_date,
                &r.source,
            ])?;
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::PriceFilter;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;

    fn row(region: &str, usagetype: &str, start: Decimal, price: Decimal) -> TableRow {
        TableRow {
            cloud: "aws",
            service: "AmazonEC2".into(),
            product_family: "NAT Gateway".into(),
            region: region.into(),
            attributes: vec![("usagetype", usagetype.into())],
            purchase_option: "on_demand",
            unit: "Hrs".into(),
            start,
            end: None,
            price,
            effective_date: "2025-09-01".into(),
            source: Arc::from("index.csv (AmazonEC2, version 1)"),
        }
    }

    #[test]
    fn repeats_are_dropped_and_disagreements_withheld() {
        let mut t = ImportedTables::default();
        let a = row("us-east-1", "NatGateway-Hours", dec!(0), dec!(0.045));
        assert_eq!(t.add("aws/AmazonEC2", a.clone()), Added::New);
        assert_eq!(t.add("aws/AmazonEC2", a), Added::Duplicate);
        let b = row("us-east-2", "NatGateway-Hours", dec!(0), dec!(0.045));
        assert_eq!(t.add("aws/AmazonEC2", b.clone()), Added::New);
        let c = row("us-east-2", "NatGateway-Hours", dec!(0), dec!(0.05));
        // A different table does not make the same filter unambiguous.
        assert_eq!(t.add("aws/AmazonVPC", c), Added::Conflicting);
        let kept = t.rows("aws/AmazonEC2");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].region, "us-east-1");
    }

    #[test]
    fn written_tables_load_and_are_found_by_price_filters() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = ImportedTables::default();
        t.add(
            "aws/AmazonEC2",
            row("us-east-2", "NatGateway-Hours", dec!(0), dec!(0.0450000000)),
        );
        let mut tier2 = row("us-east-2", "NatGateway-Hours", dec!(0), dec!(0.045));
        tier2.region = "eu-west-1".into();
        tier2.end = Some(dec!(10240));
        t.add("aws/AmazonEC2", tier2.clone());
        tier2.start = dec!(10240.000);
        tier2.end = None;
        tier2.price = dec!(0);
        t.add("aws/AmazonEC2", tier2);
        let written = t.write(dir.path()).unwrap();
        assert_eq!(
            written,
            vec![WrittenTable {
                path: dir.path().join("aws/AmazonEC2.csv"),
                rows: 3,
                ambiguous_filters: 0
            }]
        );
        let text = std::fs::read_to_string(&written[0].path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "aws,AmazonEC2,NAT Gateway,eu-west-1,usagetype=NatGateway-Hours,on_demand,Hrs,0,10240,0.045,2025-09-01,\"index.csv (AmazonEC2, version 1)\""
        );
        assert!(lines[2].contains(",Hrs,10240,,0,"), "{}", lines[2]);
        let table = PriceTable::load_dir(dir.path()).unwrap();
        let f = PriceFilter::aws("AmazonEC2", "NAT Gateway", "us-east-2", "Hrs")
            .attr("usagetype", "NatGateway-Hours");
        assert_eq!(table.lookup(&f).unwrap()[0].price, dec!(0.045));
    }
}
