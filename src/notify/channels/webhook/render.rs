//! The generic webhook's body.

use crate::notify::message::Notification;

/// The versioned notification JSON, exactly the bytes that are signed and sent.
pub fn webhook_body(n: &Notification) -> Vec<u8> {
    n.to_json().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::render::tests::{assert_no_secret, detected};

    #[test]
    fn webhook_body_is_the_versioned_json() {
        let n = detected();
        let body = webhook_body(&n);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["version"], "1");
        assert_eq!(v["workspace"], "db-prod");
        assert_no_secret(std::str::from_utf8(&body).unwrap());
    }
}
