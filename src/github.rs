//! What the three GitHub clients share (the issue sender in `notify`, the
//! comment bot in `comment`, drift PRs in `codify`): how an octocrab error
//! reads in our messages, and which API base URLs we accept.

/// octocrab's error with its causes on one line, without the backtrace some
/// variants append (it would bury the one line users need).
pub(crate) fn error_text(e: &octocrab::Error) -> String {
    let s = crate::error_chain::error_chain(e);
    match s.find("\n\nFound at") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `api_url` without a trailing slash, if it is an http(s) URL with a host:
/// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise.
/// The error is the reason to show next to the URL.
pub(crate) fn api_base(api_url: &str) -> Result<&str, String> {
    let api_url = api_url.trim_end_matches('/');
    let host = api_url
        .strip_prefix("https://")
        .or_else(|| api_url.strip_prefix("http://"))
        .and_then(|rest| rest.split('/').next());
    if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
        return Err("expected https://api.github.com or https://HOST/api/v3".into());
    }
    Ok(api_url)
}
