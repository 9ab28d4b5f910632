//! Errors in our messages: one line with every cause, because SDK and HTTP
//! errors put the useful part ("Connection refused") in a source; the start
//! of a server's answer on one line; and known secrets taken out of both.

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

/// The start of a server's answer, on one line (300 characters at most, `…`
/// where it was cut).
pub(crate) fn excerpt(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = one_line.trim();
    if trimmed.is_empty() {
        return "(empty answer)".into();
    }
    if trimmed.chars().count() <= 300 {
        return trimmed.to_string();
    }
    let mut out: String = trimmed.chars().take(299).collect();
    out.push('…');
    out
}

/// `text` with every secret of 4 characters or more replaced by `***`
/// (shorter ones would mangle the text while protecting nothing).
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_every_secret_but_not_short_ones() {
        assert_eq!(scrub("t=ghp_abc t=ghp_abc", &["ghp_abc"]), "t=*** t=***");
        assert_eq!(scrub("a b", &["a"]), "a b");
    }

    #[test]
    fn excerpt_is_one_line_and_bounded() {
        assert_eq!(excerpt("  \n"), "(empty answer)");
        assert_eq!(excerpt("<html>\n<b>502</b>"), "<html> <b>502</b>");
        let long = excerpt(&"x".repeat(1000));
        assert_eq!(long.chars().count(), 300);
        assert!(long.ends_with('…'));
    }
}
