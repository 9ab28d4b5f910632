//! The one HMAC-SHA256 signature scheme of the crate, `sha256=<hex>` over the
//! exact body bytes: our outgoing webhooks are signed with it
//! (`X-Driftcost-Signature`) and GitHub's incoming ones are checked with it
//! (`X-Hub-Signature-256`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// `sha256=<hex HMAC-SHA256 of body under secret>`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret, body).finalize().into_bytes())
    )
}

/// The 32-byte MAC of a well-formed `sha256=<64 hex digits>` header value.
pub fn parse(header: Option<&str>) -> Option<Vec<u8>> {
    let hex_sig = header?.trim().strip_prefix("sha256=")?;
    if hex_sig.len() != 64 {
        return None;
    }
    hex::decode(hex_sig).ok()
}

/// Whether `header` signs `body` under `secret`, compared in constant time
/// (`Mac::verify_slice`, never `==`).
pub fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(sig) = parse(header) else {
        return false;
    };
    mac(secret, body).verify_slice(&sig).is_ok()
}

fn mac(secret: &[u8], body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length: longer ones are hashed, shorter ones padded.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_4231_and_githubs_documented_example() {
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            sign(b"It's a Secret to Everybody", b"Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }

    #[test]
    fn verify_accepts_only_the_right_signature() {
        let sig = sign(b"s3", b"{}");
        assert!(verify(b"s3", b"{}", Some(&sig)));
        assert!(!verify(b"s4", b"{}", Some(&sig)));
        assert!(!verify(b"s3", b"{ }", Some(&sig)));
        assert!(!verify(b"s3", b"{}", None));
        assert!(!verify(b"s3", b"{}", Some("sha256=zz")));
        assert!(!verify(
            b"s3",
            b"{}",
            Some(&sig.replace("sha256=", "sha1="))
        ));
    }
}
