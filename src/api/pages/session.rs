//! Sign-in sessions and CSRF tokens for the pages, stateless: everything is
//! signed with one HMAC-SHA256 key, nothing is stored.
//!
//! - The session cookie holds `1.<expires unix>.<sha256 of the token>.<nonce>.<mac>`:
//!   the token's stored hash (never the secret), so every request checks
//!   the token is still live and reads its current role; revoking a token
//!   ends its sessions at once. It expires after [`SESSION_TTL`].
//! - The CSRF token of a signed-in form is `mac("csrf", nonce)`: bound to
//!   the session, checked in constant time on every POST.
//! - The sign-in form (no session yet) uses a signed double-submit token: a
//!   cookie and a hidden field that must be equal and carry a valid mac.
//! - The key comes from [`SESSION_KEY_ENV`] (at least 32 characters; all
//!   replicas behind one load balancer need the same) or, unset, is random per
//!   process: sessions then end when `serve` restarts.

use axum::http::{HeaderMap, HeaderValue, header};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use subtle::ConstantTimeEq;

/// How long a sign-in lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);
/// How long the sign-in form may stay open before it must be reloaded.
pub const LOGIN_FORM_TTL: Duration = Duration::from_secs(3600);
/// Environment variable holding the session signing key.
pub const SESSION_KEY_ENV: &str = "DRIFTCOST_SESSION_KEY";
/// Shortest accepted [`SESSION_KEY_ENV`] value, in characters.
pub const MIN_KEY_CHARS: usize = 32;

pub(crate) const SESSION_COOKIE: &str = "driftcost_session";
pub(crate) const LOGIN_CSRF_COOKIE: &str = "driftcost_login";

/// Why [`SESSION_KEY_ENV`] cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SessionKeyError {
    #[error(
        "{SESSION_KEY_ENV} is set but has {0} characters; use at least {MIN_KEY_CHARS} random characters (e.g. `openssl rand -hex 32`), or unset it for a key generated per process"
    )]
    TooShort(usize),
    #[error("{SESSION_KEY_ENV} is not valid UTF-8; use hex or base64 text")]
    NotText,
    #[error("the operating system gave no randomness for the session key: {0}")]
    NoRandomness(String),
}

/// The HMAC key pages sign sessions and CSRF tokens with.
#[derive(Clone)]
pub struct SessionKey(Arc<[u8; 32]>);

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

impl SessionKey {
    /// A key derived from `secret` (sha256 of it).
    pub fn from_secret(secret: &str) -> Result<SessionKey, SessionKeyError> {
        let n = secret.chars().count();
        if n < MIN_KEY_CHARS {
            return Err(SessionKeyError::TooShort(n));
        }
        Ok(SessionKey(Arc::new(
            Sha256::digest(secret.as_bytes()).into(),
        )))
    }

    /// A fresh random key.
    pub fn random() -> Result<SessionKey, SessionKeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| SessionKeyError::NoRandomness(e.to_string()))?;
        Ok(SessionKey(Arc::new(bytes)))
    }

    /// From [`SESSION_KEY_ENV`]; `None` when it is unset.
    pub fn from_env() -> Result<Option<SessionKey>, SessionKeyError> {
        match std::env::var(SESSION_KEY_ENV) {
            Ok(v) => SessionKey::from_secret(&v).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(SessionKeyError::NotText),
        }
    }

    fn mac(&self, parts: &[&str]) -> String {
        // A key of any length is valid for HMAC.
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(self.0.as_slice()) else {
            return String::new();
        };
        for p in parts {
            m.update(p.as_bytes());
            m.update(b"\x1f");
        }
        hex::encode(m.finalize().into_bytes())
    }

    fn verify(&self, parts: &[&str], presented: &str) -> bool {
        let expected = self.mac(parts);
        !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
    }
}

/// The process's key: [`SESSION_KEY_ENV`] when set and valid, else random.
/// `serve` checks the variable at start-up (see [`check_session_key_env`]),
/// so an invalid one never reaches here in practice; if it does, the pages
/// refuse every session rather than use a weak key.
pub(crate) fn process_key() -> Option<SessionKey> {
    static KEY: OnceLock<Option<SessionKey>> = OnceLock::new();
    KEY.get_or_init(|| match SessionKey::from_env() {
        Ok(Some(k)) => Some(k),
        Ok(None) => {
            tracing::info!(
                "no {SESSION_KEY_ENV}: page sign-ins use a key generated for this process and end when it stops"
            );
            SessionKey::random()
                .map_err(|e| tracing::error!(error = %e, "no session key"))
                .ok()
        }
        Err(e) => {
            tracing::error!(error = %e, "page sign-in disabled");
            None
        }
    })
    .clone()
}

/// For `serve`'s start-up: an error when [`SESSION_KEY_ENV`] is set but unusable.
pub fn check_session_key_env() -> Result<(), SessionKeyError> {
    SessionKey::from_env().map(drop)
}

/// The sha256 (lowercase hex) of a token secret, as the store keeps it.
pub(crate) fn token_sha256(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

fn random_hex() -> Option<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).ok()?;
    Some(hex::encode(b))
}

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Session {
    pub(crate) token_sha256: String,
    pub(crate) expires: i64,
    nonce: String,
}

impl Session {
    /// The CSRF token forms of this session carry.
    pub(crate) fn csrf(&self, key: &SessionKey) -> String {
        key.mac(&["csrf", &self.nonce])
    }

    pub(crate) fn csrf_ok(&self, key: &SessionKey, presented: &str) -> bool {
        key.verify(&["csrf", &self.nonce], presented)
    }
}

/// A new session for the token with hash `token_sha256`: its cookie value.
pub(crate) fn issue(key: &SessionKey, token_sha256: &str, now: i64) -> Option<String> {
    let expires = now + SESSION_TTL.as_secs() as i64;
    let nonce = random_hex()?;
    let exp = expires.to_string();
    let mac = key.mac(&["session", "1", &exp, token_sha256, &nonce]);
    Some(format!("1.{exp}.{token_sha256}.{nonce}.{mac}"))
}

/// The session a cookie value carries, when its mac is ours and it has not expired.
pub(crate) fn open(key: &SessionKey, value: &str, now: i64) -> Option<Session> {
    let mut it = value.split('.');
    let (v, exp, digest, nonce, mac) = (it.next()?, it.next()?, it.next()?, it.next()?, it.next()?);
    if v != "1" || it.next().is_some() {
        return None;
    }
    if !key.verify(&["session", v, exp, digest, nonce], mac) {
        return None;
    }
    let expires: i64 = exp.parse().ok()?;
    (now < expires).then(|| Session {
        token_sha256: digest.to_string(),
        expires,
        nonce: nonce.to_string(),
    })
}

/// A token for the sign-in form: the same value goes in a cookie and a
/// hidden field.
pub(crate) fn login_token(key: &SessionKey, now: i64) -> Option<String> {
    let nonce = random_hex()?;
    let exp = (now + LOGIN_FORM_TTL.as_secs() as i64).to_string();
    let mac = key.mac(&["login", &exp, &nonce]);
    Some(format!("{exp}.{nonce}.{mac}"))
}

/// Whether the sign-in form's field and cookie are one valid, unexpired token.
pub(crate) fn login_token_ok(key: &SessionKey, cookie: &str, field: &str, now: i64) -> bool {
    if !bool::from(cookie.as_bytes().ct_eq(field.as_bytes())) {
        return false;
    }
    let mut it = field.split('.');
    let (Some(exp), Some(nonce), Some(mac), None) = (it.next(), it.next(), it.next(), it.next())
    else {
        return false;
    };
    key.verify(&["login", exp, nonce], mac) && exp.parse::<i64>().is_ok_and(|e| now < e)
}

/// Whether the browser reached us over TLS (the proxy in front says so).
pub(crate) fn over_tls(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_proto || forwarded
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, `Secure` over TLS.
/// `max_age` 0 deletes the cookie.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        max_age.as_secs()
    );
    // Names are ours and values hex, digits and dots: always a valid header.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The value of cookie `name` in the request, if sent once or more (first wins).
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SessionKey {
        SessionKey::from_secret(&"k".repeat(40)).unwrap()
    }

    #[test]
    fn sessions_open_only_with_our_key_and_before_expiry() {
        let k = key();
        let v = issue(&k, "ab12", 1000).unwrap();
        let s = open(&k, &v, 1001).unwrap();
        assert_eq!(s.token_sha256, "ab12");
        assert_eq!(s.expires, 1000 + SESSION_TTL.as_secs() as i64);
        assert!(open(&k, &v, s.expires).is_none(), "expired");
        let other = SessionKey::from_secret(&"o".repeat(40)).unwrap();
        assert!(open(&other, &v, 1001).is_none(), "other key");
        // Any changed part breaks the mac.
        let forged = v.replacen("ab12", "ab13", 1);
        assert!(open(&k, &forged, 1001).is_none());
        let longer = v.replacen(
            &format!("1.{}", s.expires),
            &format!("1.{}", s.expires + 9),
            1,
        );
        assert!(open(&k, &longer, 1001).is_none());
        assert!(open(&k, "", 1001).is_none());
        assert!(open(&k, &format!("{v}.x"), 1001).is_none());
    }

    #[test]
    fn csrf_is_bound_to_the_session() {
        let k = key();
        let a = open(&k, &issue(&k, "t", 0).unwrap(), 1).unwrap();
        let b = open(&k, &issue(&k, "t", 0).unwrap(), 1).unwrap();
        assert!(a.csrf_ok(&k, &a.csrf(&k)));
        assert!(!a.csrf_ok(&k, &b.csrf(&k)));
        assert!(!a.csrf_ok(&k, ""));
    }

    #[test]
    fn login_token_needs_cookie_and_field_equal_signed_and_fresh() {
        let k = key();
        let t = login_token(&k, 100).unwrap();
        assert!(login_token_ok(&k, &t, &t, 101));
        assert!(!login_token_ok(&k, &t, "x", 101));
        let other = login_token(&k, 100).unwrap();
        assert!(!login_token_ok(&k, &t, &other, 101));
        assert!(!login_token_ok(
            &k,
            &t,
            &t,
            100 + LOGIN_FORM_TTL.as_secs() as i64
        ));
        let unsigned = "999999999999.00.00";
        assert!(!login_token_ok(&k, unsigned, unsigned, 101));
    }

    #[test]
    fn short_keys_are_refused_with_the_variable_named() {
        let e = SessionKey::from_secret("short").unwrap_err().to_string();
        assert!(
            e.contains(SESSION_KEY_ENV) && e.contains("5 characters"),
            "{e}"
        );
    }

    #[test]
    fn cookie_flags_and_parsing() {
        let c = set_cookie("a", "1.2", SESSION_TTL, true);
        let c = c.to_str().unwrap();
        for flag in [
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=28800",
        ] {
            assert!(c.contains(flag), "{c}");
        }
        assert!(
            !set_cookie("a", "b", SESSION_TTL, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("x=1; a=2.3 ; b=4"));
        assert_eq!(cookie(&h, "a"), Some("2.3"));
        assert_eq!(cookie(&h, "c"), None);
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(over_tls(&h));
        assert!(!over_tls(&HeaderMap::new()));
    }
}
