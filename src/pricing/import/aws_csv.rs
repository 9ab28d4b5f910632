//! The AWS Price List bulk CSV offer files
//! (`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<OfferCode>/current[/<region>]/index.csv`).
//!
//! Layout: five metadata lines (`"FormatVersion"`, `"Disclaimer"`,
//! `"Publication Date"`, `"Version"`, `"OfferCode"`, each `"name","value"`),
//! then a header row starting with `SKU`, then one row per price dimension:
//! the pricing columns (`TermType`, `StartingRange`, `EndingRange`, `Unit`,
//! `PricePerUnit`, `Currency`, …) followed by the product's attributes under
//! display names (`"Instance Type"`, `usageType`, `"Region Code"`, …).
//!
//! Files are gigabytes, so they are streamed record by record and only rows of
//! families in [`crate::pricing::families::FAMILIES`] are kept.

use super::{Added, ImportError, ImportedTables, TableRow};
use crate::pricing::families::{FAMILIES, Family};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// Choices for one `pricing import --aws-csv` run.
#[derive(Debug, Clone, Default)]
pub struct AwsCsvOptions {
    /// Keep only these region codes; empty keeps every region.
    pub regions: Vec<String>,
}

/// Why a row of an offer file was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Reserved (or any non-`OnDemand`) term.
    NotOnDemand,
    NotUsd,
    /// (serviceCode, Product Family) is not declared in `families.rs`.
    FamilyNotUsed,
    /// Not one of `--regions`.
    OtherRegion,
    /// Neither `Region Code` nor a known `Location`.
    NoRegion,
    /// A family attribute is absent or empty in this row.
    MissingAttribute,
    /// A family attribute value holds `;` or `=`, which the table format
    /// uses as separators.
    UnwritableAttribute,
    /// The same price again (another SKU or file with identical values).
    Duplicate,
    /// Same family attributes as another row, different price: withheld.
    Conflicting,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::NotOnDemand => "not on-demand",
            SkipReason::NotUsd => "not USD",
            SkipReason::FamilyNotUsed => "family not priced by driftcost",
            SkipReason::OtherRegion => "other region",
            SkipReason::NoRegion => "no region",
            SkipReason::MissingAttribute => "missing family attribute",
            SkipReason::UnwritableAttribute => "attribute value with `;` or `=`",
            SkipReason::Duplicate => "duplicate",
            SkipReason::Conflicting => "ambiguous price (withheld)",
        })
    }
}

/// Where one offer file came from and which table its rows go to, when not
/// the defaults of `pricing import` (the local path; table `aws/<OfferCode>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferOrigin {
    /// The URL the file was downloaded from: named in every row's `source`.
    pub url: Option<String>,
    /// The table (relative path without `.csv`) the rows go to.
    pub table: Option<String>,
}

/// What happened to one input file, for the one-line summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSummary {
    pub path: PathBuf,
    pub origin: OfferOrigin,
    pub offer_code: String,
    pub version: String,
    pub publication_date: String,
    pub rows_read: u64,
    pub kept: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    /// (service, product family, attribute) → rows skipped for lacking it.
    pub missing_attributes: BTreeMap<(String, String, &'static str), u64>,
}

impl FileSummary {
    fn skip(&mut self, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// The table this file's rows go to (`aws/AmazonEC2`).
    pub fn table_name(&self) -> String {
        match &self.origin.table {
            Some(t) => t.clone(),
            None => format!("aws/{}", self.offer_code),
        }
    }
}

impl fmt::Display for FileSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} version {}: {} rows read, {} kept",
            self.path.display(),
            self.offer_code,
            self.version,
            self.rows_read,
            self.kept
        )?;
        for (i, (reason, n)) in self.skipped.iter().enumerate() {
            write!(
                f,
                "{}{n} {reason}",
                if i == 0 { "; skipped: " } else { ", " }
            )?;
        }
        Ok(())
    }
}

/// Imports one offer file into `into` (table `aws/<OfferCode>`).
pub fn import_aws_csv(
    path: &Path,
    opts: &AwsCsvOptions,
    into: &mut ImportedTables,
) -> Result<FileSummary, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    import_reader(file, path, &OfferOrigin::default(), opts, FAMILIES, into)
}

/// Imports one downloaded offer file, naming `origin.url` as every row's
/// source and writing to `origin.table` (`pricing update`).
pub fn import_aws_csv_from(
    path: &Path,
    origin: &OfferOrigin,
    opts: &AwsCsvOptions,
    into: &mut ImportedTables,
) -> Result<FileSummary, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    import_reader(file, path, origin, opts, FAMILIES, into)
}

/// Columns every offer file must have; errors name them as AWS spells them.
const TERM_TYPE: &str = "TermType";
const PRICE: &str = "PricePerUnit";
const CURRENCY: &str = "Currency";
const UNIT: &str = "Unit";
const START: &str = "StartingRange";
const END: &str = "EndingRange";
const EFFECTIVE_DATE: &str = "EffectiveDate";
const PRODUCT_FAMILY: &str = "Product Family";
const SERVICE_CODE: &str = "serviceCode";
const REGION_CODE: &str = "Region Code";
const LOCATION: &str = "Location";

/// Metadata lines allowed before the header (AWS writes five).
const MAX_PREAMBLE: usize = 20;

/// Reads one offer file: the metadata preamble, the header row, then every
/// price row, each kept in `into` or counted under the reason it was skipped.
pub(crate) fn import_reader<R: Read>(
    reader: R,
    path: &Path,
    origin: &OfferOrigin,
    opts: &AwsCsvOptions,
    families: &[Family],
    into: &mut ImportedTables,
) -> Result<FileSummary, ImportError> {
    let mut input = BufReader::with_capacity(1 << 20, reader);
    sniff(&mut input, path)?;
    let mut rows = Rows {
        rdr: csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(input),
        record: csv::StringRecord::new(),
        line: 0,
        path,
    };
    let meta = rows.preamble()?;
    let header_line = rows.line;
    let mut summary = FileSummary::from_preamble(path, &meta, header_line)?;
    summary.origin = origin.clone();
    let header = Header::parse(&rows.record, families, path, header_line)?;
    let rules = RowRules {
        header,
        header_line,
        families,
        regions: opts
            .regions
            .iter()
            .map(|r| r.trim().to_ascii_lowercase())
            .filter(|r| !r.is_empty())
            .collect(),
        source: summary.source(),
        path,
    };
    let table = summary.table_name();
    while rows.next()? {
        summary.rows_read += 1;
        let line = rows.line;
        let Some((row, family)) = rules.row(&rows.record, line, &mut summary)? else {
            continue;
        };
        let region = row.region.clone();
        match into.add(&table, row) {
            Added::New => summary.kept += 1,
            Added::Duplicate => summary.skip(SkipReason::Duplicate),
            Added::Conflicting => {
                if !summary.skipped.contains_key(&SkipReason::Conflicting) {
                    tracing::warn!(
                        file = %path.display(),
                        line,
                        "{} / {} in {region}: another row has the same {} but a different price; \
                         these prices are left out (declare the attribute that tells them apart in src/pricing/families.rs)",
                        family.service,
                        family.product_family,
                        family.attributes.join(", ")
                    );
                }
                summary.skip(SkipReason::Conflicting);
            }
        }
    }
    for ((service, family, attr), n) in &summary.missing_attributes {
        tracing::warn!(
            file = %path.display(),
            "{n} rows of {service} / {family} have no `{attr}` value; they were skipped"
        );
    }
    Ok(summary)
}

/// The CSV records of one file, with the line the last one started on.
struct Rows<'p, R: Read> {
    rdr: csv::Reader<BufReader<R>>,
    record: csv::StringRecord,
    line: u64,
    path: &'p Path,
}

impl<R: Read> Rows<'_, R> {
    /// The next record into `self.record`; false at the end of the file.
    fn next(&mut self) -> Result<bool, ImportError> {
        let more = self
            .rdr
            .read_record(&mut self.record)
            .map_err(|e| csv_error(e, self.path, self.line + 1))?;
        if let Some(p) = self.record.position() {
            self.line = p.line();
        }
        Ok(more)
    }

    /// The `"name","value"` metadata lines before the header; leaves the
    /// header row (the one starting with `SKU`) in `self.record`.
    fn preamble(&mut self) -> Result<HashMap<String, String>, ImportError> {
        let mut meta = HashMap::new();
        loop {
            if !self.next()? {
                return Err(not_offer(
                    self.path,
                    self.line.max(1),
                    "ends before the header row (the line starting with \"SKU\")".into(),
                ));
            }
            if self.record.get(0) == Some("SKU") {
                return Ok(meta);
            }
            if meta.len() >= MAX_PREAMBLE || self.record.len() != 2 {
                return Err(not_offer(
                    self.path,
                    self.line,
                    format!(
                        "expected a \"name\",\"value\" metadata line such as \"OfferCode\",\"AmazonEC2\", found {} fields",
                        self.record.len()
                    ),
                ));
            }
            meta.insert(
                self.record[0].trim().to_string(),
                self.record[1].trim().to_string(),
            );
        }
    }
}

fn not_offer(path: &Path, line: u64, message: String) -> ImportError {
    ImportError::NotOfferFile {
        path: path.to_path_buf(),
        line,
        message,
    }
}

impl FileSummary {
    fn from_preamble(
        path: &Path,
        meta: &HashMap<String, String>,
        header_line: u64,
    ) -> Result<FileSummary, ImportError> {
        let offer_code = meta
            .get("OfferCode")
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| {
                not_offer(
                    path,
                    header_line,
                    "no \"OfferCode\" metadata line before the header".into(),
                )
            })?;
        Ok(FileSummary {
            path: path.to_path_buf(),
            version: meta.get("Version").cloned().unwrap_or_default(),
            publication_date: meta.get("Publication Date").cloned().unwrap_or_default(),
            offer_code,
            ..FileSummary::default()
        })
    }

    /// Every imported row names the file, offer, version and publication date it came from.
    fn source(&self) -> Arc<str> {
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "?".to_string()
            } else {
                s.to_string()
            }
        };
        let from = match &self.origin.url {
            Some(url) => url.clone(),
            None => self.path.display().to_string(),
        };
        Arc::from(format!(
            "{from} (AWS Price List {} version {}, published {})",
            self.offer_code,
            or_unknown(&self.version),
            or_unknown(&self.publication_date),
        ))
    }
}

/// What decides whether a price row is kept, and how it reads.
struct RowRules<'a> {
    header: Header,
    header_line: u64,
    families: &'a [Family],
    /// Lower-case region codes to keep; empty keeps every region.
    regions: Vec<String>,
    source: Arc<str>,
    path: &'a Path,
}

impl<'a> RowRules<'a> {
    /// The row as a table row with its family, `None` when it is skipped
    /// (counted in `summary`), or an error naming the line and column.
    fn row(
        &self,
        record: &csv::StringRecord,
        line: u64,
        summary: &mut FileSummary,
    ) -> Result<Option<(TableRow, &'a Family)>, ImportError> {
        let header = &self.header;
        if record.len() != header.width {
            return Err(ImportError::Csv {
                path: self.path.to_path_buf(),
                line,
                message: format!(
                    "{} fields where the header at line {} has {}",
                    record.len(),
                    self.header_line,
                    header.width
                ),
            });
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if cell(header.term_type) != "OnDemand" {
            summary.skip(SkipReason::NotOnDemand);
            return Ok(None);
        }
        if cell(header.currency) != "USD" {
            summary.skip(SkipReason::NotUsd);
            return Ok(None);
        }
        let service = match header.service_code.map(cell) {
            Some(s) if !s.is_empty() => s,
            _ => summary.offer_code.as_str(),
        };
        let product_family = cell(header.product_family);
        let Some((fi, family)) = self
            .families
            .iter()
            .enumerate()
            .find(|(_, f)| f.service == service && f.product_family == product_family)
        else {
            summary.skip(SkipReason::FamilyNotUsed);
            return Ok(None);
        };
        let region = match header.region_code.map(cell) {
            Some(r) if !r.is_empty() => Some(r),
            _ => header.location.map(cell).and_then(region_of_location),
        };
        let Some(region) = region else {
            summary.skip(SkipReason::NoRegion);
            return Ok(None);
        };
        if !self.regions.is_empty() && !self.regions.iter().any(|r| r == region) {
            summary.skip(SkipReason::OtherRegion);
            return Ok(None);
        }
        let service = service.to_string();
        let attributes = match attributes(header, fi, family, region, &cell) {
            Ok(a) => a,
            Err(Skipped::Missing(name)) => {
                let key = (service, product_family.to_string(), name);
                *summary.missing_attributes.entry(key).or_default() += 1;
                summary.skip(SkipReason::MissingAttribute);
                return Ok(None);
            }
            Err(Skipped::Unwritable) => {
                summary.skip(SkipReason::UnwritableAttribute);
                return Ok(None);
            }
        };
        let bad = |column: &'static str, message: String| ImportError::BadValue {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        };
        let unit = cell(header.unit);
        if unit.is_empty() {
            return Err(bad(
                UNIT,
                "is empty: every on-demand price needs a unit".into(),
            ));
        }
        let price_text = cell(header.price);
        let price = Decimal::from_str(price_text)
            .or_else(|_| Decimal::from_scientific(price_text))
            .ok()
            .filter(|p| !p.is_sign_negative())
            .ok_or_else(|| {
                bad(
                    PRICE,
                    format!("`{price_text}` is not a price (a non-negative decimal)"),
                )
            })?;
        let start = match cell(header.start) {
            "" => Decimal::ZERO,
            s => Decimal::from_str(s).map_err(|_| bad(START, format!("`{s}` is not a number")))?,
        };
        let end = match cell(header.end) {
            "" | "Inf" => None,
            s => Some(
                Decimal::from_str(s)
                    .map_err(|_| bad(END, format!("`{s}` is not a number or Inf")))?,
            ),
        };
        let effective_date = date_part(cell(header.effective_date)).ok_or_else(|| {
            bad(
                EFFECTIVE_DATE,
                format!(
                    "`{}` is not a date (YYYY-MM-DD)",
                    cell(header.effective_date)
                ),
            )
        })?;
        let row = TableRow {
            cloud: "aws",
            service,
            product_family: product_family.to_string(),
            region: region.to_string(),
            attributes,
            purchase_option: "on_demand",
            unit: unit.to_string(),
            start,
            end,
            price,
            effective_date: effective_date.to_string(),
            source: Arc::clone(&self.source),
        };
        Ok(Some((row, family)))
    }
}

/// Why a row's family attributes cannot be kept.
enum Skipped {
    /// The attribute has no value in this row.
    Missing(&'static str),
    /// A value with `;` or `=`, which the table's attribute column cannot hold.
    Unwritable,
}

/// The family's declared attributes of one row, sorted by name; `usagetype`
/// without its region prefix.
fn attributes<'r>(
    header: &Header,
    fi: usize,
    family: &Family,
    region: &str,
    cell: &impl Fn(usize) -> &'r str,
) -> Result<Vec<(&'static str, String)>, Skipped> {
    let mut attributes = Vec::with_capacity(family.attributes.len());
    for (ai, name) in family.attributes.iter().enumerate() {
        let value = header.family_columns[fi][ai].map(cell).unwrap_or("");
        if value.is_empty() {
            return Err(Skipped::Missing(name));
        }
        let value = if *name == "usagetype" {
            strip_region_prefix(value, region)
        } else {
            value
        };
        if value.contains([';', '=']) {
            return Err(Skipped::Unwritable);
        }
        attributes.push((*name, value.to_string()));
    }
    attributes.sort_unstable();
    Ok(attributes)
}

/// Refuses the look-alike files users download by mistake, before the CSV
/// reader turns them into confusing field-count errors.
fn sniff<R: Read>(input: &mut BufReader<R>, path: &Path) -> Result<(), ImportError> {
    let head = input.fill_buf().map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"\x1f\x8b") {
        return Err(ImportError::Compressed {
            path: path.to_path_buf(),
        });
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Err(ImportError::JsonOffer {
            path: path.to_path_buf(),
        }),
        Some(b'<') => Err(not_offer(
            path,
            1,
            "starts with `<`: an HTML or XML page (an error page, a proxy's sign-in page?), not a CSV offer file".into(),
        )),
        _ => Ok(()),
    }
}

fn csv_error(e: csv::Error, path: &Path, next_line: u64) -> ImportError {
    let line = e.position().map(|p| p.line()).unwrap_or(next_line);
    match e.into_kind() {
        csv::ErrorKind::Io(source) => ImportError::Read {
            path: path.to_path_buf(),
            source,
        },
        csv::ErrorKind::Utf8 { err, .. } => ImportError::Csv {
            path: path.to_path_buf(),
            line,
            message: format!("not UTF-8: {err}"),
        },
        other => ImportError::Csv {
            path: path.to_path_buf(),
            line,
            message: format!("{other:?}"),
        },
    }
}

/// Column positions, resolved once from the header row.
struct Header {
    width: usize,
    term_type: usize,
    price: usize,
    currency: usize,
    unit: usize,
    start: usize,
    end: usize,
    effective_date: usize,
    product_family: usize,
    service_code: Option<usize>,
    region_code: Option<usize>,
    location: Option<usize>,
    /// Per family (same order as the families slice), per declared
    /// attribute: its column, if the file has one.
    family_columns: Vec<Vec<Option<usize>>>,
}

impl Header {
    fn parse(
        record: &csv::StringRecord,
        families: &[Family],
        path: &Path,
        line: u64,
    ) -> Result<Header, ImportError> {
        let find = |name: &str| record.iter().position(|h| h.trim() == name);
        let need = |name: &'static str| {
            find(name).ok_or_else(|| ImportError::MissingColumn {
                path: path.to_path_buf(),
                line,
                column: name,
            })
        };
        let mut by_attribute: HashMap<String, usize> = HashMap::new();
        for (i, h) in record.iter().enumerate() {
            by_attribute.entry(attribute_name(h)).or_insert(i);
        }
        let region_code = find(REGION_CODE);
        let location = find(LOCATION);
        if region_code.is_none() && location.is_none() {
            return Err(ImportError::MissingColumn {
                path: path.to_path_buf(),
                line,
                column: REGION_CODE,
            });
        }
        Ok(Header {
            width: record.len(),
            term_type: need(TERM_TYPE)?,
            price: need(PRICE)?,
            currency: need(CURRENCY)?,
            unit: need(UNIT)?,
            start: need(START)?,
            end: need(END)?,
            effective_date: need(EFFECTIVE_DATE)?,
            product_family: need(PRODUCT_FAMILY)?,
            service_code: find(SERVICE_CODE),
            region_code,
            location,
            family_columns: families
                .iter()
                .map(|f| {
                    f.attributes
                        .iter()
                        .map(|a| by_attribute.get(*a).copied())
                        .collect()
                })
                .collect(),
        })
    }
}

/// The Price List JSON attribute name for a CSV column header: the header's
/// words in lowerCamelCase with punctuation dropped and each word's tail
/// lower-cased (`Instance Type` → `instanceType`, `Volume API Name` →
/// `volumeApiName`, `Pre Installed S/W` → `preInstalledSw`, `usageType` →
/// `usagetype`, `CapacityStatus` → `capacitystatus`), which is how AWS derives
/// the CSV headers from the JSON names.
pub(crate) fn attribute_name(header: &str) -> String {
    let mut name = String::with_capacity(header.len());
    for word in header.split_whitespace() {
        let mut chars = word.chars().filter(char::is_ascii_alphanumeric);
        let Some(first) = chars.next() else { continue };
        if name.is_empty() {
            name.push(first.to_ascii_lowercase());
        } else {
            name.push(first.to_ascii_uppercase());
        }
        name.extend(chars.map(|c| c.to_ascii_lowercase()));
    }
    name
}

/// Region prefixes AWS puts on usage types (`USE2-NatGateway-Hours`). Used
/// only to recognise a prefix on us-east-1 rows, which usually have none and
/// whose own usage types may start with upper-case words (`VPN-…`).
const USAGE_TYPE_REGION_CODES: &[&str] = &[
    "USE1", "USE2", "USW1", "USW2", "UGE1", "UGW1", "CAN1", "CAN2", "EU", "EUW2", "EUW3", "EUC1",
    "EUC2", "EUN1", "EUS1", "EUS2", "APE1", "APE2", "APN1", "APN2", "APN3", "APS1", "APS2", "APS3",
    "APS4", "APS5", "APS6", "APS7", "APS8", "MES1", "MEC1", "ILC1", "SAE1", "AFS1", "MXC1",
];

/// `usagetype` without its region prefix, as the tables and price filters
/// spell it. A prefix is a leading upper-case code of letters and digits
/// followed by `-`; outside us-east-1 every usage type carries one, so any
/// such code is taken (new regions work without a code change), while in
/// us-east-1 only a known region code is.
pub(crate) fn strip_region_prefix<'a>(usagetype: &'a str, region: &str) -> &'a str {
    let Some((code, rest)) = usagetype.split_once('-') else {
        return usagetype;
    };
    let is_code = code.len() >= 2
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if is_code
        && !rest.is_empty()
        && (region != "us-east-1" || USAGE_TYPE_REGION_CODES.contains(&code))
    {
        rest
    } else {
        usagetype
    }
}

/// Region codes for the `Location` names of files without a `Region Code`
/// column (older offer files).
const LOCATIONS: &[(&str, &str)] = &[
    ("US East (N. Virginia)", "us-east-1"),
    ("US East (Ohio)", "us-east-2"),
    ("US West (N. California)", "us-west-1"),
    ("US West (Oregon)", "us-west-2"),
    ("AWS GovCloud (US-East)", "us-gov-east-1"),
    ("AWS GovCloud (US-West)", "us-gov-west-1"),
    ("AWS GovCloud (US)", "us-gov-west-1"),
    ("Canada (Central)", "ca-central-1"),
    ("Canada West (Calgary)", "ca-west-1"),
    ("Mexico (Central)", "mx-central-1"),
    ("South America (Sao Paulo)", "sa-east-1"),
    ("EU (Ireland)", "eu-west-1"),
    ("EU (London)", "eu-west-2"),
    ("EU (Paris)", "eu-west-3"),
    ("EU (Frankfurt)", "eu-central-1"),
    ("EU (Zurich)", "eu-central-2"),
    ("EU (Stockholm)", "eu-north-1"),
    ("EU (Milan)", "eu-south-1"),
    ("EU (Spain)", "eu-south-2"),
    ("Asia Pacific (Tokyo)", "ap-northeast-1"),
    ("Asia Pacific (Seoul)", "ap-northeast-2"),
    ("Asia Pacific (Osaka)", "ap-northeast-3"),
    ("Asia Pacific (Osaka-Local)", "ap-northeast-3"),
    ("Asia Pacific (Singapore)", "ap-southeast-1"),
    ("Asia Pacific (Sydney)", "ap-southeast-2"),
    ("Asia Pacific (Jakarta)", "ap-southeast-3"),
    ("Asia Pacific (Melbourne)", "ap-southeast-4"),
    ("Asia Pacific (Malaysia)", "ap-southeast-5"),
    ("Asia Pacific (Thailand)", "ap-southeast-7"),
    ("Asia Pacific (Mumbai)", "ap-south-1"),
    ("Asia Pacific (Hyderabad)", "ap-south-2"),
    ("Asia Pacific (Hong Kong)", "ap-east-1"),
    ("Asia Pacific (Taipei)", "ap-east-2"),
    ("Middle East (Bahrain)", "me-south-1"),
    ("Middle East (UAE)", "me-central-1"),
    ("Israel (Tel Aviv)", "il-central-1"),
    ("Africa (Cape Town)", "af-south-1"),
];

/// Whether `code` is an AWS region code (of the locations above).
#[cfg(test)]
pub(crate) fn is_region_code(code: &str) -> bool {
    LOCATIONS.iter().any(|(_, c)| *c == code)
}

fn region_of_location(location: &str) -> Option<&'static str> {
    LOCATIONS
        .iter()
        .find(|(name, _)| *name == location)
        .map(|(_, code)| *code)
}

/// `2025-09-01` from `2025-09-01` or `2025-09-01T00:00:00Z`.
fn date_part(text: &str) -> Option<&str> {
    let date = text.get(..10)?;
    let b = date.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    (ok && (text.len() == 10 || text[10..].starts_with('T'))).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// Families as the tests need them, independent of what other resource
    /// files declare in `families.rs`.
    const TEST_FAMILIES: &[Family] = &[
        Family {
            service: "AmazonEC2",
            product_family: "NAT Gateway",
            attributes: &["usagetype"],
        },
        Family {
            service: "AmazonS3",
            product_family: "Storage",
            attributes: &["storageClass", "volumeType"],
        },
        Family {
            service: "AmazonEC2",
            product_family: "Storage",
            attributes: &["volumeApiName"],
        },
    ];

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    fn import(
        path: &Path,
        regions: &[&str],
        tables: &mut ImportedTables,
    ) -> Result<FileSummary, ImportError> {
        let opts = AwsCsvOptions {
            regions: regions.iter().map(|r| r.to_string()).collect(),
        };
        let file = File::open(path).unwrap();
        import_reader(
            file,
            path,
            &OfferOrigin::default(),
            &opts,
            TEST_FAMILIES,
            tables,
        )
    }

    fn import_text(text: &str) -> Result<(FileSummary, ImportedTables), ImportError> {
        let mut tables = ImportedTables::default();
        let s = import_reader(
            text.as_bytes(),
            Path::new("index.csv"),
            &OfferOrigin::default(),
            &AwsCsvOptions::default(),
            TEST_FAMILIES,
            &mut tables,
        )?;
        Ok((s, tables))
    }

    fn attrs(row: &TableRow) -> Vec<(&str, &str)> {
        row.attributes
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect()
    }

    #[test]
    fn header_names_become_price_list_attribute_names() {
        for (header, json) in [
            ("Instance Type", "instanceType"),
            ("Operating System", "operatingSystem"),
            ("Pre Installed S/W", "preInstalledSw"),
            ("Volume API Name", "volumeApiName"),
            ("usageType", "usagetype"),
            ("CapacityStatus", "capacitystatus"),
            ("Database Engine", "databaseEngine"),
            ("Deployment Option", "deploymentOption"),
            ("License Model", "licenseModel"),
            ("Cache Engine", "cacheEngine"),
            ("Storage Class", "storageClass"),
            ("Group", "group"),
            ("Tenancy", "tenancy"),
            ("Max IOPS/volume", "maxIopsvolume"),
            ("Instance Capacity - 10xlarge", "instanceCapacity10xlarge"),
            ("vCPU", "vcpu"),
            ("Region Code", "regionCode"),
        ] {
            assert_eq!(attribute_name(header), json, "{header}");
        }
    }

    #[test]
    fn region_prefixes_are_stripped_from_usage_types() {
        for (usagetype, region, want) in [
            ("USE2-NatGateway-Hours", "us-east-2", "NatGateway-Hours"),
            ("EU-NatGateway-Bytes", "eu-west-1", "NatGateway-Bytes"),
            (
                "APN1-EBS:VolumeUsage.gp3",
                "ap-northeast-1",
                "EBS:VolumeUsage.gp3",
            ),
            // A region AWS opens later, with a code not listed here.
            ("XYZ9-NatGateway-Hours", "xy-new-9", "NatGateway-Hours"),
            ("NatGateway-Hours", "us-east-1", "NatGateway-Hours"),
            ("USE1-NatGateway-Hours", "us-east-1", "NatGateway-Hours"),
            // us-east-1 usage types that merely start with upper case.
            ("VPN-Usage-Hours", "us-east-1", "VPN-Usage-Hours"),
            ("EBS:VolumeUsage.gp3", "us-east-1", "EBS:VolumeUsage.gp3"),
            ("TimedStorage-ByteHrs", "us-east-1", "TimedStorage-ByteHrs"),
        ] {
            assert_eq!(strip_region_prefix(usagetype, region), want, "{usagetype}");
        }
    }

    #[test]
    fn ec2_offer_keeps_on_demand_usd_rows_of_declared_families() {
        let mut tables = ImportedTables::default();
        let path = fixture("aws_price_list_ec2_nat_gateway.csv");
        let s = import(&path, &[], &mut tables).unwrap();
        assert_eq!(s.offer_code, "AmazonEC2");
        assert_eq!(s.version, "20250912225308");
        assert_eq!(s.publication_date, "2025-09-12T22:53:08Z");
        assert_eq!(s.rows_read, 8);
        assert_eq!(s.kept, 4);
        assert_eq!(
            s.skipped,
            BTreeMap::from([(SkipReason::NotOnDemand, 2), (SkipReason::FamilyNotUsed, 2)])
        );
        let rows = tables.rows("aws/AmazonEC2");
        type Price<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, Decimal);
        let got: Vec<Price> = rows
            .iter()
            .map(|r| (r.region.as_str(), attrs(r), r.unit.as_str(), r.price))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "us-east-1",
                    vec![("usagetype", "NatGateway-Hours")],
                    "Hrs",
                    dec!(0.045)
                ),
                (
                    "us-east-1",
                    vec![("usagetype", "NatGateway-Bytes")],
                    "GB",
                    dec!(0.045)
                ),
                (
                    "us-east-2",
                    vec![("usagetype", "NatGateway-Hours")],
                    "Hrs",
                    dec!(0.045)
                ),
                (
                    "eu-west-1",
                    vec![("usagetype", "NatGateway-Hours")],
                    "Hrs",
                    dec!(0.048)
                ),
            ]
        );
        let r = rows[0];
        assert_eq!((r.start, r.end), (Decimal::ZERO, None));
        assert_eq!(r.effective_date, "2025-09-01");
        assert_eq!(r.purchase_option, "on_demand");
        assert!(
            r.source.ends_with(
                "aws_price_list_ec2_nat_gateway.csv (AWS Price List AmazonEC2 version 20250912225308, published 2025-09-12T22:53:08Z)"
            ),
            "{}",
            r.source
        );
        assert_eq!(
            s.to_string(),
            format!(
                "{}: AmazonEC2 version 20250912225308: 8 rows read, 4 kept; skipped: 2 not on-demand, 2 family not priced by driftcost",
                path.display()
            )
        );
    }

    #[test]
    fn regions_option_keeps_only_those_regions() {
        let mut tables = ImportedTables::default();
        let path = fixture("aws_price_list_ec2_nat_gateway.csv");
        let s = import(&path, &["us-east-2", " EU-WEST-1"], &mut tables).unwrap();
        assert_eq!(s.kept, 2);
        assert_eq!(s.skipped[&SkipReason::OtherRegion], 2);
        let regions: Vec<&str> = tables
            .rows("aws/AmazonEC2")
            .iter()
            .map(|r| r.region.as_str())
            .collect();
        assert_eq!(regions, ["us-east-2", "eu-west-1"]);
    }

    #[test]
    fn tiered_prices_keep_their_ranges() {
        let mut tables = ImportedTables::default();
        let path = fixture("aws_price_list_s3_tiered_storage.csv");
        let s = import(&path, &[], &mut tables).unwrap();
        assert_eq!((s.rows_read, s.kept), (4, 3), "{s}");
        let rows = tables.rows("aws/AmazonS3");
        let tiers: Vec<(Decimal, Option<Decimal>, Decimal)> =
            rows.iter().map(|r| (r.start, r.end, r.price)).collect();
        assert_eq!(
            tiers,
            [
                (dec!(0), Some(dec!(51200)), dec!(0.023)),
                (dec!(51200), Some(dec!(512000)), dec!(0.022)),
                (dec!(512000), None, dec!(0.021)),
            ]
        );
        assert_eq!(
            attrs(rows[0]),
            [
                ("storageClass", "General Purpose"),
                ("volumeType", "Standard")
            ]
        );
        assert_eq!(rows[0].unit, "GB-Mo");
    }

    const EC2_HEADER: &str = "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"x\"\n\"Publication Date\",\"2025-09-12T22:53:08Z\"\n\"Version\",\"20250912225308\"\n\"OfferCode\",\"AmazonEC2\"\n\"SKU\",\"OfferTermCode\",\"RateCode\",\"TermType\",\"PriceDescription\",\"EffectiveDate\",\"StartingRange\",\"EndingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"Product Family\",\"serviceCode\",\"Location\",\"Location Type\",\"Volume API Name\",\"usageType\",\"operation\",\"Region Code\"\n";

    #[test]
    fn rows_without_family_attributes_or_usd_are_counted_not_kept() {
        let text = format!(
            "{EC2_HEADER}\
             \"S1\",\"JRTCKXETXF\",\"S1.JRTCKXETXF.6YS6EN2CT7\",\"OnDemand\",\"d\",\"2025-09-01\",\"0\",\"Inf\",\"GB-Mo\",\"0.0800000000\",\"USD\",\"Storage\",\"AmazonEC2\",\"US East (N. Virginia)\",\"AWS Region\",\"gp3\",\"EBS:VolumeUsage.gp3\",\"CreateVolume-Gp3\",\"us-east-1\"\n\
             \"S2\",\"JRTCKXETXF\",\"S2.JRTCKXETXF.6YS6EN2CT7\",\"OnDemand\",\"d\",\"2025-09-01\",\"0\",\"Inf\",\"GB-Mo\",\"0.0800000000\",\"USD\",\"Storage\",\"AmazonEC2\",\"US East (N. Virginia)\",\"AWS Region\",,\"EBS:VolumeUsage.gp3\",\"CreateVolume-Gp3\",\"us-east-1\"\n\
             \"S3\",\"JRTCKXETXF\",\"S3.JRTCKXETXF.6YS6EN2CT7\",\"OnDemand\",\"d\",\"2025-09-01\",\"0\",\"Inf\",\"GB-Mo\",\"0.5300000000\",\"CNY\",\"Storage\",\"AmazonEC2\",\"China (Ningxia)\",\"AWS Region\",\"gp3\",\"CNW1-EBS:VolumeUsage.gp3\",\"CreateVolume-Gp3\",\"cn-northwest-1\"\n\
             \"S4\",\"JRTCKXETXF\",\"S4.JRTCKXETXF.6YS6EN2CT7\",\"OnDemand\",\"d\",\"2025-09-01T00:00:00Z\",\"0\",\"Inf\",\"GB-Mo\",\"0.0000000000\",\"USD\",\"Storage\",\"AmazonEC2\",\"EU (Ireland)\",\"AWS Region\",\"gp3\",\"EU-EBS:VolumeUsage.gp3\",\"CreateVolume-Gp3\",\n"
        );
        let (s, tables) = import_text(&text).unwrap();
        assert_eq!(s.kept, 2, "{s}");
        assert_eq!(s.skipped[&SkipReason::MissingAttribute], 1);
        assert_eq!(s.skipped[&SkipReason::NotUsd], 1);
        assert_eq!(
            s.missing_attributes,
            BTreeMap::from([(("AmazonEC2".into(), "Storage".into(), "volumeApiName"), 1)])
        );
        let rows = tables.rows("aws/AmazonEC2");
        // No Region Code: the Location name gives it. A zero price is a price.
        assert_eq!(rows[1].region, "eu-west-1");
        assert_eq!(rows[1].price, Decimal::ZERO);
        assert_eq!(rows[1].effective_date, "2025-09-01");
    }

    #[test]
    fn errors_name_the_line_and_column_and_what_to_do() {
        let e = import_text(&format!(
            "{EC2_HEADER}\"S1\",\"J\",\"R\",\"OnDemand\",\"d\",\"2025-09-01\",\"0\",\"Inf\",\"GB-Mo\",\"abc\",\"USD\",\"Storage\",\"AmazonEC2\",\"US East (N. Virginia)\",\"AWS Region\",\"gp3\",\"EBS:VolumeUsage.gp3\",\"CreateVolume-Gp3\",\"us-east-1\"\n"
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "index.csv line 7, column `PricePerUnit`: `abc` is not a price (a non-negative decimal)"
        );

        let e = import_text(&EC2_HEADER.replace("\"PricePerUnit\",", "")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "index.csv line 6: missing column `PricePerUnit`: is this an AWS Price List CSV offer file (index.csv)?"
        );

        let e =
            import_text("{\n  \"formatVersion\" : \"v1.0\",\n  \"offerCode\" : \"AmazonEC2\"\n}")
                .unwrap_err();
        assert!(
            e.to_string().contains(
                "is an AWS Price List JSON offer file: download the CSV offer file instead"
            ),
            "{e}"
        );

        let e =
            import_text("\n  <!DOCTYPE html>\n<html><body>Sign in</body></html>\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "index.csv line 1: starts with `<`: an HTML or XML page (an error page, a proxy's sign-in page?), not a CSV offer file: is this an AWS Price List CSV offer file (index.csv)?"
        );

        let e =
            import_text("cloud,service,product_family\naws,AmazonEC2,NAT Gateway\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("index.csv line 1: expected a \"name\",\"value\" metadata line"),
            "{e}"
        );

        let e = import_text(&format!("{EC2_HEADER}\"S1\",\"J\"\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "index.csv line 7: not valid CSV (2 fields where the header at line 6 has 19): the file may be truncated or corrupted; download it again"
        );
    }
}
