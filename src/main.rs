//! The `driftcost` binary: parse arguments, call the library, print, exit code.

mod cli;

/// Plans parse into millions of small values that are freed again at once;
/// mimalloc does both in well under half of glibc's time (`scripts/bench-cost.sh`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // SAFETY: first thing in main, before any thread is started.
    unsafe { driftcost::policy::no_library_backtraces() };
    cli::main()
}
