//! Errors in our messages: one line with every cause, because SDK and HTTP
//! errors put the useful part ("Connection refused") in a source.

/// The error and its causes on one line ("error sending request: tcp
/// connect error: Connection refused"); a cause already quoted by the one
/// above it is not repeated.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
