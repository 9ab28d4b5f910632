//! What the three GitHub clients share (the issue sender in `notify`, the
//! comment bot in `comment`, drift PRs in `codify`): how an octocrab error
//! reads in our messages.

/// octocrab's error with its causes on one line, without the backtrace some
/// variants append (it would bury the one line users need).
pub(crate) fn error_text(e: &octocrab::Error) -> String {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let c = cause.to_string();
        if !s.contains(&c) {
            s.push_str(": ");
            s.push_str(&c);
        }
        source = cause.source();
    }
    match s.find("\n\nFound at") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
