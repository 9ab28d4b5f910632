//! Checks on job-file values that must hold before the worker trusts them:
//! bounded durations, workspace names, secrets written where only names of
//! environment variables belong, and git sources that carry credentials or
//! could be read by git as options.
//!
//! The bounds are explicit constants so the CLI's own flags can use the same
//! ones; each check returns a message that says what to write instead.

use std::time::Duration;

/// Shortest per-run `timeout`: `0s` would fail every run at once.
pub const MIN_TIMEOUT: Duration = Duration::from_secs(1);
/// Longest per-run `timeout`: a day. Longer is a typo (and a deadline that
/// far out overflows the clock).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
/// Shortest `reminder` of a notification target.
pub const MIN_REMINDER: Duration = Duration::from_secs(60);
/// Longest `reminder` of a notification target: a year.
pub const MAX_REMINDER: Duration = Duration::from_secs(366 * 24 * 3600);
/// Longest workspace name, in characters (it names files, runs and URLs).
pub const MAX_WORKSPACE_NAME_CHARS: usize = 128;

/// `text` as a duration within `min..=max`, or a message naming the range.
pub fn bounded_duration(text: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration ({e}); e.g. \"15m\""))?;
    if d < min || d > max {
        return Err(format!(
            "`{text}` is out of range; expected {} to {}",
            humantime::format_duration(min),
            humantime::format_duration(max)
        ));
    }
    Ok(d)
}

/// Why `name` cannot be a workspace name, if it cannot: it names run
/// directories, store rows and URL path segments.
pub fn workspace_name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars > MAX_WORKSPACE_NAME_CHARS {
        return Some(format!(
            "is {chars} characters long; at most {MAX_WORKSPACE_NAME_CHARS} are allowed"
        ));
    }
    if name.chars().any(char::is_control) {
        return Some(
            "contains a control character (newline, tab, …); use letters, digits, `-`, `_` or `.`"
                .into(),
        );
    }
    if name.contains('/') || name.contains('\\') {
        return Some(format!(
            "`{name}` contains a path separator; use letters, digits, `-`, `_` or `.`"
        ));
    }
    if name.contains("..") {
        return Some(format!(
            "`{name}` contains `..`; use letters, digits, `-`, `_` or single dots"
        ));
    }
    None
}

/// Words of an identifier, lower-cased: split at `_`, `-`, `.`, spaces and
/// camel-case humps (`dbPassword` → db, password; `KMSKeyId` → kms, key, id).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that are a secret on their own, also as the end of a compound
/// (`dbpassword`, `accesstoken`, `clientsecret`).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
];
/// Exact words that are secrets.
const SECRET_EXACT: &[&str] = &["pwd", "secrets", "tokens", "passwords", "apikey"];
/// What makes a `key` a secret key (`api_key`, `access_key`, `privatekey`);
/// `kms_key`, `public_key`, `hash_key` or `ssh_key` name or hold no secret.
const SECRET_KEY_KINDS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "client",
    "encryption",
    "decryption",
    "master",
    "signing",
    "account",
    "storage",
    "shared",
    "auth",
    "sas",
    "hmac",
    "admin",
    "subscription",
    "service",
    "webhook",
    "deploy",
    "session",
    "license",
    "primary",
    "secondary",
];
/// After a secret word, these still mean the value itself (`secret_string`,
/// `password_value`); any other word makes it a reference to a secret or a
/// setting about it (`key_name`, `kms_key_id`, `password_length`).
const VALUE_WORDS: &[&str] = &[
    "value",
    "string",
    "plain",
    "plaintext",
    "text",
    "raw",
    "data",
    "b64",
    "base64",
    "pem",
    "content",
    "contents",
];

/// Whether a variable or setting named `name` would hold a secret value.
/// Word-based: `db_password`, `apiKey`, `client_secret`, `GITHUB_TOKEN` are;
/// `key_name`, `ssh_key_name`, `kms_key_id`, `monkey`, `secret_arn`,
/// `password_length` are not.
pub fn name_looks_secret(name: &str) -> bool {
    let w = words(name);
    (0..w.len()).any(|i| {
        let word = w[i].as_str();
        let secret = SECRET_EXACT.contains(&word)
            || SECRET_WORDS.iter().any(|s| word.ends_with(s))
            || (matches!(word, "key" | "keys")
                && (w.len() == 1 || (i > 0 && SECRET_KEY_KINDS.contains(&w[i - 1].as_str()))))
            || SECRET_KEY_KINDS
                .iter()
                .any(|k| word.len() > k.len() && word.strip_suffix("key") == Some(k));
        secret && w[i + 1..].iter().all(|x| VALUE_WORDS.contains(&x.as_str()))
    })
}

/// Why a git URL may not be used, if it may not: credentials in it (a user
/// in an http(s) URL, a password anywhere, a token in the query) or a value
/// git would read as an option. An SSH user (`git@github.com:org/repo.git`,
/// `ssh://git@host/repo`) is not a credential.
pub fn git_url_problem(url: &str) -> Option<String> {
    const USE: &str = "job files hold no secrets: use a git credential helper, an SSH key, or `GIT_ASKPASS`/`GIT_CONFIG_*` in the worker's environment";
    if url.starts_with('-') {
        return Some(
            "starts with `-`, which git would read as an option; give the repository's clone URL"
                .into(),
        );
    }
    if url.chars().any(char::is_control) {
        return Some("contains a control character; give the repository's clone URL".into());
    }
    let shown = super::redact_url(url);
    if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            let ssh = matches!(scheme.as_str(), "ssh" | "git+ssh" | "ssh+git");
            if userinfo.contains(':') || !ssh {
                return Some(format!(
                    "`{shown}` carries credentials (user or password before `@`); {USE}"
                ));
            }
        }
        if let Some(q) = rest.find('?') {
            let query = &rest[q + 1..];
            let query = query.split('#').next().unwrap_or("");
            for pair in query.split('&') {
                let key = pair.split('=').next().unwrap_or("");
                let k = key.to_ascii_lowercase();
                if name_looks_secret(key)
                    || matches!(k.as_str(), "sig" | "signature" | "auth" | "key")
                    || k.starts_with("x-amz-")
                {
                    return Some(format!(
                        "`{shown}` carries a credential in its query (`{key}=`); {USE}"
                    ));
                }
            }
        }
        return None;
    }
    // scp-like `[user@]host:path`: the host part ends at the first `:`
    // after the last `@` before any `/`.
    let head = &url[..url.find('/').unwrap_or(url.len())];
    if let Some((userinfo, host)) = head.rsplit_once('@')
        && host.contains(':')
        && userinfo.contains(':')
    {
        return Some(format!(
            "`{shown}` carries a password (`user:password@host`); {USE}"
        ));
    }
    None
}

/// Why a git ref may not be used, if it may not.
pub fn git_ref_problem(reference: &str) -> Option<String> {
    if reference.starts_with('-') {
        return Some(format!(
            "`{reference}` starts with `-`, which git would read as an option; give a branch, tag or commit"
        ));
    }
    if reference
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        return Some(
            "contains whitespace or a control character; give a branch, tag or commit".into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_by_word() {
        for n in [
            "password",
            "db_password",
            "DB_PASSWORD",
            "dbPassword",
            "admin-password",
            "dbpassword",
            "secret",
            "client_secret",
            "clientSecret",
            "secret_string",
            "token",
            "github_token",
            "GITHUB_TOKEN",
            "accessToken",
            "api_key",
            "apiKey",
            "apikey",
            "access_key",
            "secret_key",
            "AWS_SECRET_ACCESS_KEY",
            "private_key",
            "privatekey",
            "storage_account_key",
            "key",
            "passphrase",
            "credentials",
            "pwd",
            "password_value",
        ] {
            assert!(name_looks_secret(n), "{n} should look secret");
        }
        for n in [
            "key_name",
            "ssh_key_name",
            "kms_key_id",
            "kms_key_arn",
            "KmsKeyId",
            "monkey",
            "keyvault_name",
            "key_vault_id",
            "public_key",
            "ssh_key",
            "hash_key",
            "partition_key",
            "secret_name",
            "secret_arn",
            "password_length",
            "token_ttl",
            "env",
            "region",
            "turkey",
            "secretary",
            "tokenizer_version",
        ] {
            assert!(!name_looks_secret(n), "{n} should not look secret");
        }
    }

    #[test]
    fn git_urls_with_credentials_or_options() {
        for ok in [
            "https://github.com/org/infra.git",
            "git@github.com:org/infra.git",
            "ssh://git@github.com/org/infra.git",
            "ssh://git@github.com:2222/org/infra.git",
            "file:///srv/git/infra.git",
            "/srv/git/infra.git",
            "github.com:org/repo@v1.git",
            "https://host/org/repo.git?ref=x",
        ] {
            assert_eq!(git_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "https://bot:hunter2@github.com/org/infra.git",
            "https://x-access-token:ghs_abc@github.com/org/infra.git",
            "https://ghp_abcdefghijklmnop@github.com/org/infra.git",
            "https://user@github.com/org/infra.git",
            "ssh://git:hunter2@github.com/org/infra.git",
            "git:hunter2@github.com:org/infra.git",
            "https://gitlab.com/org/infra.git?access_token=glpat-xyz",
            "https://gitlab.com/org/infra.git?private_token=xyz",
            "https://dev.azure.com/o/p/_git/r?sig=abc",
            "--upload-pack=touch /tmp/pwned",
            "-c core.sshCommand=x",
        ] {
            let p = git_url_problem(bad).unwrap_or_else(|| panic!("{bad} accepted"));
            for secret in ["hunter2", "ghs_abc", "ghp_abcdefghijklmnop", "glpat-xyz"] {
                assert!(!p.contains(secret), "{p}");
            }
        }
        assert!(git_ref_problem("--upload-pack=touch /tmp/x").is_some());
        assert!(git_ref_problem("main").is_none());
        assert!(git_ref_problem("refs/tags/v1.2").is_none());
    }

    #[test]
    fn durations_are_bounded() {
        assert_eq!(
            bounded_duration("15m", MIN_TIMEOUT, MAX_TIMEOUT),
            Ok(Duration::from_secs(900))
        );
        let e = bounded_duration("0s", MIN_TIMEOUT, MAX_TIMEOUT).unwrap_err();
        assert!(e.contains("out of range; expected 1s to 1day"), "{e}");
        let e = bounded_duration("500000000000y", MIN_TIMEOUT, MAX_TIMEOUT).unwrap_err();
        assert!(e.contains("500000000000y"), "{e}");
        assert!(bounded_duration("soon", MIN_TIMEOUT, MAX_TIMEOUT).is_err());
    }

    #[test]
    fn workspace_names() {
        assert!(workspace_name_problem("network-prod").is_none());
        assert!(workspace_name_problem("odd name.v2").is_none());
        assert!(workspace_name_problem("a/b").is_some());
        assert!(workspace_name_problem("..").is_some());
        assert!(workspace_name_problem("a\nb").is_some());
        assert!(workspace_name_problem("a\u{7f}b").is_some());
        assert!(workspace_name_problem(&"x".repeat(128)).is_none());
        assert!(workspace_name_problem(&"x".repeat(129)).is_some());
    }
}
