//! Rebuilds the library when a shipped price table changes: `include_dir!`
//! (src/pricing/table.rs) embeds `pricing/`, but on stable Rust it cannot
//! tell cargo which files it read, so an edited table would otherwise leave
//! a binary (and tests) with the old prices.
fn main() {
    println!("cargo:rerun-if-changed=pricing");
}
