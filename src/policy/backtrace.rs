//! Library error backtraces off unless asked for.
//!
//! regorus makes (and drops) `anyhow` errors as part of evaluating ordinary
//! policies. With `RUST_BACKTRACE=1` in the environment (common in CI and
//! developer shells) `anyhow` captures a backtrace for each of them: in
//! `perf`, a tenth of the time of 20 policies on a 10,000-resource plan was
//! the unwinder (`libgcc_s`, `Backtrace::create`). Error backtraces follow
//! `RUST_LIB_BACKTRACE` before `RUST_BACKTRACE`, so setting the first to `0`
//! (unless the user set it) stops those captures while panics still print
//! their backtrace under `RUST_BACKTRACE`.

/// Sets `RUST_LIB_BACKTRACE=0` unless it is set already.
///
/// # Safety
///
/// Call it first thing in `main`, before any other thread is started: it
/// changes the process environment (see [`std::env::set_var`]).
pub unsafe fn no_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: the caller guarantees no other thread runs yet.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
}
