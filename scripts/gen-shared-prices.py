#!/usr/bin/env python3
"""Write driftcost price rows from the public price data in ../shared/prices.

    scripts/gen-shared-prices.py [PRICES_DIR] [--check]

PRICES_DIR defaults to /work/shared/prices (its README names each file's source,
commit, date and licence). The source files are read, never copied: this script
writes our own rows, one source named per row, into pricing/aws/gen-*.csv:

  gen-rds-ec2shop.csv        RDS instances (MySQL, PostgreSQL, MariaDB; Single-AZ and
                             Multi-AZ; current and previous generation), storage,
                             IOPS, throughput, backup and magnetic I/O, from ec2.shop's
                             copies of the AWS pricing-page feed; instance prices
                             cross-checked with coroot where both have them
  gen-ebs-ec2shop.csv        EBS storage, IOPS (io2 tiers), throughput, magnetic I/O
  gen-ec2-coroot.csv         EC2 Linux on-demand instance hours (previous generation too)
  gen-elasticache-coroot.csv ElastiCache Redis and Memcached node hours
                             (coroot only per instance family that agreed with every
                             price another source has, else only rows another source
                             confirms: coroot's compute disagrees with the AWS Price
                             List copies in about 4 of 10 cross-checked rows, and its
                             Aurora prices are the I/O-Optimized ones, so not used)
  gen-eu-west-1-terracost.csv eu-west-1 load balancers (ALB, NLB, GWLB, Classic) and
                             RDS Provisioned IOPS storage/IOPS (no Outposts, no Reserved)

Rules (pricing/README.md): only the seven regions the tables cover; never a 0 price
from coroot (a known bug there); never a price copied to another region or scaled.
A price the hand-written tables (pricing/aws/*.csv without the gen- prefix) already
have is not written again: it is compared, and a disagreement is reported (the
hand-written row, usually newer, stays). Where two sources here disagree, the row is
left out and reported. --check exits 1 when the written files would change.
"""

import csv
import gzip
import io
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pricing" / "aws"
HEADER = [
    "cloud", "service", "product_family", "region", "attributes", "purchase_option",
    "unit", "start_usage_amount", "end_usage_amount", "price_usd", "effective_date",
    "source",
]

# The seven regions, by the location names AWS's feeds use.
REGIONS = {
    "US East (N. Virginia)": "us-east-1",
    "US East (Ohio)": "us-east-2",
    "US West (Oregon)": "us-west-2",
    "EU (Ireland)": "eu-west-1",
    "EU (Frankfurt)": "eu-central-1",
    "Asia Pacific (Singapore)": "ap-southeast-1",
    "Asia Pacific (Tokyo)": "ap-northeast-1",
}
CODES = set(REGIONS.values())

EC2SHOP_RDS = {
    "mysql": ("MySQL", "https://github.com/yeo/ec2.shop/blob/44337592ba03/data/rds/rds-mysql-ondemand.json"),
    "mariadb": ("MariaDB", "https://github.com/yeo/ec2.shop/blob/44337592ba03/data/rds/rds-mariadb-ondemand.json"),
    "postgresql": ("PostgreSQL", "https://github.com/yeo/ec2.shop/blob/44337592ba03/data/rds/rds-postgresql-ondemand.json"),
}
EC2SHOP_RDS_DATE = "2024-09-28"  # the feed's hawkFilePublicationDate
EC2SHOP_EBS = "https://github.com/yeo/ec2.shop/blob/576c890f33ae/data/ebs/ebs.json"
EC2SHOP_EBS_DATE = "2024-07-18"
COROOT = "https://github.com/coroot/cloud-pricing/blob/af03eada15b2/data/cloud-pricing.json.gz"
COROOT_DATE = "2024-08-09"
TERRACOST = "https://github.com/cycloidio/terracost/blob/c8064e8623e6/mysql/testdata/2023-02-23-pricing.sql.gz"
TERRACOST_DATE = "2023-02-23"

EC2_ATTRS = [("operatingSystem", "Linux"), ("tenancy", "Shared"), ("preInstalledSw", "NA"),
             ("licenseModel", "No License required"), ("capacitystatus", "Used")]


def dec(text):
    """Decimal text as the tables write it: no exponent, no trailing zeros."""
    d = Decimal(str(text))
    s = format(d.normalize(), "f")
    return s


def key(service, family, region, attrs, unit):
    return (service, family, region, tuple(sorted(attrs)), unit)


class Rows:
    """Rows to write, with the cross-checks against the hand-written tables."""

    def __init__(self, handmade):
        self.handmade = handmade  # key -> {start: (end, price, file)}
        self.files = {}  # file -> list of rows
        self.written = {}  # key -> {start: (end, price, file)}
        self.agree = 0
        self.disagree = []

    def add(self, file, service, family, region, attrs, unit, tiers, date, source):
        """tiers: [(start, end or None, price)]; all tiers of one filter at once."""
        if region not in CODES:
            return False
        k = key(service, family, region, attrs, unit)
        for other in (self.handmade, self.written):
            if k in other:
                have = other[k]
                same = len(have) == len(tiers) and all(
                    dec(s) in have and have[dec(s)][0] == (dec(e) if e is not None else "")
                    and Decimal(have[dec(s)][1]) == Decimal(str(p))
                    for s, e, p in tiers
                )
                if same:
                    self.agree += 1
                else:
                    self.disagree.append((k, {s: v[:2] for s, v in have.items()},
                                          [(dec(s), e, dec(p)) for s, e, p in tiers], source,
                                          sorted({v[2] for v in have.values()})))
                return False
        self.written[k] = {dec(s): (dec(e) if e is not None else "", dec(p), file) for s, e, p in tiers}
        for s, e, p in tiers:
            self.files.setdefault(file, []).append([
                "aws", service, family, region, ";".join(f"{a}={v}" for a, v in attrs),
                "on_demand", unit, dec(s), dec(e) if e is not None else "", dec(p), date, source,
            ])
        return True


def load_handmade():
    out = {}
    for path in sorted(OUT.glob("*.csv")):
        if path.name.startswith("gen-"):
            continue
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                attrs = [tuple(a.split("=", 1)) for a in row["attributes"].split(";") if a]
                k = key(row["service"], row["product_family"], row["region"], attrs, row["unit"])
                end = row["end_usage_amount"]
                end = "" if end in ("", "Inf") else dec(end)
                out.setdefault(k, {})[dec(row["start_usage_amount"])] = (end, dec(row["price_usd"]), path.name)
    return out


# ---------------------------------------------------------------- ec2.shop RDS

INSTANCE = re.compile(r"^Database Instance (?P<engine>\S+) No license required db (?P<cls>\S+) .* "
                      r"(?P<dep>Single-AZ|Multi-AZ) (?P<gen>Current|Previous) Generation$")
# ec2.shop key (without the AZ part) -> (family, usage type suffix, unit)
RDS_OTHER = [
    (re.compile(r"^Database Storage (Single|Multi) AZ General Purpose$"), "Database Storage", "GP2-Storage", "GB-Mo"),
    (re.compile(r"^Database Storage (Single|Multi) AZ General Purpose-GP3$"), "Database Storage", "GP3-Storage", "GB-Mo"),
    (re.compile(r"^Database Storage (Single|Multi) AZ Magnetic$"), "Database Storage", "StorageUsage", "GB-Mo"),
    (re.compile(r"^Database Storage (Single|Multi) AZ Provisioned IOPS$"), "Database Storage", "PIOPS-Storage", "GB-Mo"),
    (re.compile(r"^Database Storage (Single|Multi) AZ Provisioned IOPS-IO2$"), "Database Storage", "IO2-Storage", "GB-Mo"),
    (re.compile(r"^Provisioned GP3 IOPS (Single|Multi) AZ$"), "Provisioned IOPS", "GP3-PIOPS", "IOPS-Mo"),
    (re.compile(r"^Provisioned IOPS (Single|Multi) AZ$"), "Provisioned IOPS", "PIOPS", "IOPS-Mo"),
    (re.compile(r"^Provisioned IO2 IOPS (Single|Multi) AZ$"), "Provisioned IOPS", "IO2-PIOPS", "IOPS-Mo"),
    (re.compile(r"^Provisioned Throughput (Single|Multi) AZ$"), "Provisioned Throughput", "GP3-Throughput", "MiBps-Mo"),
]


def rds_ec2shop(prices, rows, coroot_db, report):
    """Instance hours per engine, plus the storage-side prices, which the engine
    does not key by database engine: written only when all three engines agree."""
    other = {}  # (region, family, usagetype, unit) -> {engine: (price, rateCode, url)}
    for name, (engine, url) in EC2SHOP_RDS.items():
        data = json.load(open(prices / f"ec2shop-rds-{name}-ondemand.json"), parse_float=Decimal)
        for location, items in data["regions"].items():
            region = REGIONS.get(location)
            if region is None:
                continue
            per_class = {}
            for label, v in items.items():
                m = INSTANCE.match(label)
                if m:
                    cls = v.get("Instance Type") or f"db.{m['cls']}"
                    per_class.setdefault((cls, m["dep"]), []).append((Decimal(v["price"]), v["rateCode"], m["gen"]))
                    continue
                for pattern, family, suffix, unit in RDS_OTHER:
                    mm = pattern.match(label)
                    if mm:
                        ut = f"RDS:{suffix}" if mm.group(1) == "Single" else f"RDS:Multi-AZ-{suffix}"
                        other.setdefault((region, family, ut, unit), {})[engine] = (Decimal(v["price"]), v["rateCode"], url)
                if label == "Storage Snapshot":
                    other.setdefault((region, "Storage Snapshot", "RDS:ChargedBackupUsage", "GB-Mo"), {})[engine] = (Decimal(v["price"]), v["rateCode"], url)
                if label == "System Operation Magnetic":
                    other.setdefault((region, "System Operation", "RDS:StorageIOUsage", "IOs"), {})[engine] = (Decimal(v["price"]), v["rateCode"], url)
            for (cls, dep), found in sorted(per_class.items()):
                if len({p for p, _, _ in found}) != 1:
                    report.append(f"ec2.shop {engine} {cls} {dep} {region}: two prices {found}; left out")
                    continue
                price, rate, gen = found[0]
                if price <= 0:
                    continue
                check = coroot_db.get((region, engine, cls, dep))
                if check is not None and check > 0 and check != price:
                    report.append(f"RDS {engine} {cls} {dep} {region}: ec2.shop {price} vs coroot {check}; left out")
                    continue
                if check is not None and check > 0:
                    rows.coroot_agree = getattr(rows, "coroot_agree", 0) + 1
                attrs = [("instanceType", cls), ("databaseEngine", engine), ("deploymentOption", dep)]
                rows.add("gen-rds-ec2shop.csv", "AmazonRDS", "Database Instance", region, attrs, "Hrs",
                         [(0, None, price)], EC2SHOP_RDS_DATE,
                         f"{url} ({location}, rateCode {rate}, {gen.lower()} generation)")
    for (region, family, ut, unit), by_engine in sorted(other.items()):
        values = {p for p, _, _ in by_engine.values()}
        if len(values) != 1:
            report.append(f"RDS {family} {ut} {region}: engines disagree {by_engine}; left out")
            continue
        price = values.pop()
        if price <= 0:
            continue
        engines = ", ".join(sorted(by_engine))
        rates = "; ".join(f"{e} {r}" for e, (_, r, _) in sorted(by_engine.items()))
        url = next(iter(by_engine.values()))[2]
        rows.add("gen-rds-ec2shop.csv", "AmazonRDS", family, region, [("usagetype", ut)], unit,
                 [(0, None, price)], EC2SHOP_RDS_DATE,
                 f"{url.rsplit('/', 1)[0]}/rds-<engine>-ondemand.json (same price for {engines}; rateCodes {rates})")


# ---------------------------------------------------------------- ec2.shop EBS

EBS_STORAGE = {
    "Storage General Purpose gp2 GB Mo": "gp2",
    "Storage General Purpose gp3 GB Mo": "gp3",
    "Storage Provisioned IOPS io1 GB Mo": "io1",
    "Storage Provisioned IOPS io2 GB month": "io2",
    "Storage Cold HDD sc1 GB Mo": "sc1",
    "Storage Throughput Optimized HDD st1 GB Mo": "st1",
    "Storage Magnetic standard GB Mo": "standard",
}
# io2 IOPS tiers: bounds as the EBS pricing page states them for every region.
IO2_TIERS = [
    ("Provisioned EBS IOPS io2 Volumes per IOPS Mo", 0, 32000),
    ("Provisioned EBS IOPS Tier 2 io2 Volumes per IOPS Mo", 32000, 64000),
    ("Provisioned EBS IOPS Tier 3 io2 Volumes per IOPS Mo", 64000, None),
]


def ebs_ec2shop(prices, rows, report):
    data = json.load(open(prices / "ec2shop-ebs.json"), parse_float=Decimal)
    for location, items in data["regions"].items():
        region = REGIONS.get(location)
        if region is None:
            continue
        src = lambda label: f"{EC2SHOP_EBS} ({location}, \"{label}\", rateCode {items[label]['rateCode']})"
        f = "gen-ebs-ec2shop.csv"
        for label, api in EBS_STORAGE.items():
            if label in items and Decimal(items[label]["price"]) > 0:
                rows.add(f, "AmazonEC2", "Storage", region, [("volumeApiName", api)], "GB-Mo",
                         [(0, None, Decimal(items[label]["price"]))], EC2SHOP_EBS_DATE, src(label))
        simple = [
            ("Provisioned Throughput gp3 per GiBps mo", "Provisioned Throughput", "EBS:VolumeP-Throughput.gp3", "GiBps-mo"),
            ("Provisioned EBS IOPS gp3 Volumes per IOPS Mo", "System Operation", "EBS:VolumeP-IOPS.gp3", "IOPS-Mo"),
            ("Provisioned EBS IOPS io1 Volumes per IOPS Mo", "System Operation", "EBS:VolumeP-IOPS.piops", "IOPS-Mo"),
            ("Provisioned EBS I O Requests standard Volumes per IOs", "System Operation", "EBS:VolumeIOUsage", "IOs"),
        ]
        for label, family, ut, unit in simple:
            if label in items and Decimal(items[label]["price"]) > 0:
                rows.add(f, "AmazonEC2", family, region, [("usagetype", ut)], unit,
                         [(0, None, Decimal(items[label]["price"]))], EC2SHOP_EBS_DATE, src(label))
        if all(label in items for label, _, _ in IO2_TIERS):
            tiers = [(s, e, Decimal(items[label]["price"])) for label, s, e in IO2_TIERS]
            rows.add(f, "AmazonEC2", "System Operation", region, [("usagetype", "EBS:VolumeP-IOPS.io2")], "IOPS-Mo",
                     tiers, EC2SHOP_EBS_DATE,
                     f"{EC2SHOP_EBS} ({location}, io2 IOPS tiers 1-3, rateCodes "
                     + ", ".join(items[label]["rateCode"] for label, _, _ in IO2_TIERS)
                     + "; tier bounds 32,000/64,000 IOPS from https://aws.amazon.com/ebs/pricing/)")
        elif any(label in items for label, _, _ in IO2_TIERS):
            report.append(f"EBS io2 IOPS {region}: not every tier listed; left out")


# ---------------------------------------------------------------- coroot

def coroot(prices):
    return json.load(gzip.open(prices / "coroot-cloud-pricing.json.gz"), parse_float=Decimal)["aws"]


COROOT_DB_ENGINES = {"mysql": "MySQL", "postgres": "PostgreSQL",
                     "aurora-mysql": "Aurora MySQL", "aurora-postgresql": "Aurora PostgreSQL"}


def coroot_db_map(data):
    out = {}
    for region, engines in data["managed_db"].items():
        for eng, classes in engines.items():
            engine = COROOT_DB_ENGINES.get(eng)
            if engine is None:
                continue
            for cls, deps in classes.items():
                for dep_key, dep in (("single_az", "Single-AZ"), ("multi_az", "Multi-AZ")):
                    p = deps.get(dep_key, {}).get("on_demand")
                    if p is not None:
                        out[(region, engine, cls, dep)] = Decimal(p)
    return out


# ---------------------------------------------------------------- terracost (eu-west-1)

PRODUCT = re.compile(r"^INSERT INTO `pricing_products` VALUES \((\d+),'aws','(\w+)','([^']*)','([^']*)',(NULL|'[^']*'),'(.*)'\);$")
PRICE = re.compile(r"^INSERT INTO `pricing_product_prices` VALUES \(\d+,(\d+),'\w+','(\w+)','([^']*)',([\d.]+),'(.*)'\);$")


def terracost_rows(prices):
    """eu-west-1 on-demand USD rows: (sku, service, family, product attrs, unit, price, price attrs).
    The dump lists prices before products, so both are read before they are joined."""
    products, raw = {}, []
    with gzip.open(prices / "terracost-2023-02-23-pricing.sql.gz", "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = PRODUCT.match(line)
            if m:
                pid, sku, loc, service, family, attrs = m.groups()
                products[int(pid)] = (sku, loc, service, None if family == "NULL" else family[1:-1],
                                      json.loads(attrs.replace('\\"', '"')))
                continue
            m = PRICE.match(line)
            if m:
                raw.append(m.groups())
    out = []
    for pid, currency, unit, price, attrs in raw:
        p = products.get(int(pid))
        if p is None:
            continue
        attrs = json.loads(attrs.replace('\\"', '"'))
        sku, loc, service, family, pattrs = p
        if loc != "eu-west-1" or currency != "USD" or attrs.get("TermType") != "OnDemand":
            continue
        if "Outpost" in pattrs.get("UsageType", ""):  # Outposts and Outpost rows
            continue
        out.append((sku, service, family, pattrs, unit, Decimal(price), attrs))
    return out


def terracost(tc, rows, report):
    """eu-west-1 load balancers and RDS Provisioned IOPS rows."""
    found = {}
    for sku, service, family, pattrs, unit, price, attrs in tc:
        ut = pattrs.get("UsageType", "")
        if not ut.startswith("EU-"):
            continue
        usagetype = ut[len("EU-"):]
        target = None
        if service == "AWSELB" and family in ("Load Balancer-Application", "Load Balancer-Network",
                                              "Load Balancer-Gateway", "Load Balancer"):
            if usagetype in ("LoadBalancerUsage", "LCUUsage", "DataProcessing-Bytes"):
                target = ("AWSELB", family)
        elif service == "AmazonRDS" and usagetype in ("RDS:PIOPS", "RDS:Multi-AZ-PIOPS"):
            target = ("AmazonRDS", "Provisioned IOPS")
        elif service == "AmazonRDS" and usagetype in ("RDS:PIOPS-Storage", "RDS:Multi-AZ-PIOPS-Storage"):
            target = ("AmazonRDS", "Database Storage")
        if target is None:
            continue
        if attrs.get("EndingRange") not in (None, "", "Inf"):
            report.append(f"terracost {usagetype}: tiered; left out")
            continue
        found.setdefault((target, usagetype, unit), set()).add((price, sku))
    for ((service, family), usagetype, unit), values in sorted(found.items()):
        distinct = {p for p, _ in values}
        if len(distinct) != 1:
            report.append(f"terracost eu-west-1 {family} {usagetype}: {sorted(distinct)} disagree; left out")
            continue
        price = distinct.pop()
        if price <= 0:
            continue
        skus = ", ".join(sorted(s for _, s in values)[:4])
        rows.add("gen-eu-west-1-terracost.csv", service, family, "eu-west-1", [("usagetype", usagetype)], unit,
                 [(0, None, price)], TERRACOST_DATE,
                 f"{TERRACOST} (AWS Price List rows for EU-{usagetype}, SKU {skus})")


def terracost_checks(tc):
    """eu-west-1 Linux instance and cache node hours, to cross-check coroot."""
    ec2, cache = {}, {}
    for sku, service, family, a, unit, price, attrs in tc:
        if unit != "Hrs":
            continue
        if (service == "AmazonEC2" and family == "Compute Instance" and a.get("OperatingSystem") == "Linux"
                and a.get("Tenancy") == "Shared" and a.get("PreInstalledSW") == "NA"
                and a.get("LicenseModel") == "No License required" and a.get("CapacityStatus") == "Used"):
            ec2.setdefault(("eu-west-1", a["InstanceType"]), set()).add(price)
        if service == "AmazonElastiCache" and family == "Cache Instance" and "InstanceType" in a:
            cache.setdefault(("eu-west-1", a["InstanceType"], a.get("CacheEngine")), set()).add(price)
    one = lambda d: {k: next(iter(v)) for k, v in d.items() if len(v) == 1}
    return one(ec2), one(cache)


# ---------------------------------------------------------------- coroot, checked per family

def family_of(node):
    """`m5` of `m5.large`, `cache.m5` of `cache.m5.large`."""
    return node.rsplit(".", 1)[0]


def trusted_families(candidates, checks, report, what):
    """A family is trusted when at least three of its coroot prices were checked
    against another source and all agreed; coroot's prices of other families are
    written only where another source agrees row by row."""
    seen = {}
    for k, price in candidates.items():
        other = checks.get(k)
        if other is None:
            continue
        fam = family_of(k[1])
        ok, n = seen.get(fam, (0, 0))
        seen[fam] = (ok + (Decimal(other) == price), n + 1)
    trusted = {f for f, (ok, n) in seen.items() if n >= 3 and ok == n}
    for f, (ok, n) in sorted(seen.items()):
        if f not in trusted:
            report.append(f"coroot {what} {f}: {ok} of {n} checked prices agree; only rows another source confirms")
    return trusted


def ec2_coroot(data, rows, tc_ec2, report):
    cands = {}
    for region, types in data["compute"].items():
        if region not in CODES:
            continue
        for itype, v in types.items():
            price = v.get("on_demand")
            if "." in itype and price is not None and Decimal(price) > 0:
                cands[(region, itype)] = Decimal(price)
    checks = dict(tc_ec2)
    for k, tiers in rows.handmade.items():
        if k[0] == "AmazonEC2" and k[1] == "Compute Instance" and "0" in tiers:
            a = dict(k[3])
            if a.get("operatingSystem") == "Linux" and a.get("tenancy") == "Shared":
                checks.setdefault((k[2], a["instanceType"]), Decimal(tiers["0"][1]))
    trusted = trusted_families(cands, checks, report, "EC2")
    for (region, itype), price in sorted(cands.items()):
        confirmed = checks.get((region, itype)) == price
        if family_of(itype) not in trusted and not confirmed:
            continue
        note = "confirmed by the eu-west-1 AWS Price List rows in " + TERRACOST if (region, itype) in tc_ec2 and confirmed \
            else f"family {family_of(itype)} agreed with every cross-checked price"
        rows.add("gen-ec2-coroot.csv", "AmazonEC2", "Compute Instance", region,
                 [("instanceType", itype)] + EC2_ATTRS, "Hrs", [(0, None, price)],
                 COROOT_DATE, f"{COROOT} (aws.compute.{region}, Linux on_demand; {note})")


def elasticache_coroot(data, rows, tc_cache, report):
    engines = {"redis": "Redis", "memcached": "Memcached", "valkey": "Valkey"}
    cands = {}
    for region, by_engine in data["managed_cache"].items():
        if region not in CODES:
            continue
        for eng, nodes in by_engine.items():
            for node, v in nodes.items():
                price = v.get("on_demand")
                if eng in engines and price is not None and Decimal(price) > 0:
                    cands[(region, node, engines[eng])] = Decimal(price)
    checks = dict(tc_cache)
    for k, tiers in rows.handmade.items():
        if k[0] == "AmazonElastiCache" and k[1] == "Cache Instance" and "0" in tiers:
            a = dict(k[3])
            checks.setdefault((k[2], a["instanceType"], a.get("cacheEngine")), Decimal(tiers["0"][1]))
    trusted = trusted_families(cands, checks, report, "ElastiCache")
    for (region, node, engine), price in sorted(cands.items()):
        confirmed = checks.get((region, node, engine)) == price
        if family_of(node) not in trusted and not confirmed:
            continue
        note = "confirmed by another source" if confirmed \
            else f"family {family_of(node)} agreed with every cross-checked price"
        rows.add("gen-elasticache-coroot.csv", "AmazonElastiCache", "Cache Instance", region,
                 [("instanceType", node), ("cacheEngine", engine)], "Hrs",
                 [(0, None, price)], COROOT_DATE,
                 f"{COROOT} (aws.managed_cache.{region}, {engine} on_demand; {note})")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv
    prices = Path(args[0]) if args else Path("/work/shared/prices")
    rows = Rows(load_handmade())
    report = []
    data = coroot(prices)
    db = coroot_db_map(data)
    tc = terracost_rows(prices)
    tc_ec2, tc_cache = terracost_checks(tc)
    rds_ec2shop(prices, rows, db, report)
    terracost(tc, rows, report)
    ebs_ec2shop(prices, rows, report)
    ec2_coroot(data, rows, tc_ec2, report)
    elasticache_coroot(data, rows, tc_cache, report)
    changed = False
    for name, body in sorted(rows.files.items()):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(sorted(body, key=lambda r: (r[1], r[2], r[3], r[4], r[6], Decimal(r[7]))))
        path = OUT / name
        old = path.read_text() if path.exists() else None
        if old != buf.getvalue():
            changed = True
            if not check:
                path.write_text(buf.getvalue())
        print(f"{name}: {len(body)} rows", file=sys.stderr)
    print(f"agree with hand-written or earlier rows: {rows.agree}; ec2.shop RDS = coroot: "
          f"{getattr(rows, 'coroot_agree', 0)}", file=sys.stderr)
    for k, have, new, source, files in rows.disagree:
        print(f"DISAGREE {k}: kept {files} {have}, left out {new} from {source.split(' (')[0]}", file=sys.stderr)
    for line in report:
        print(line, file=sys.stderr)
    if check and changed:
        print("pricing/aws/gen-*.csv are not what the script writes: run it", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
