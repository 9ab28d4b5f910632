//! The yardstick `scripts/bench-cost.sh` times `driftcost cost breakdown`
//! against: read a plan file into `serde_json::Value` and write it back out
//! (pretty, to stdout), the least any program that reads and re-prints the
//! plan must do. Default allocator and no tuning, as a user would write it.
//!
//! `cargo run --profile bench --example json_roundtrip -- plan.json > /dev/null`

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .ok_or("usage: json_roundtrip PLAN.json")?;
    let bytes = std::fs::read(&path)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)?;
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(stdout);
    serde_json::to_writer_pretty(&mut out, &value)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
