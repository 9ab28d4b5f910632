//! Generic webhook: POST the versioned notification JSON, signed so the
//! receiver can verify it came from us, with an idempotency key so it can
//! drop the duplicates an at-least-once outbox may send.
//!
//! Headers:
//! - `X-Driftcost-Event`: the notification kind (`drift_detected`, …);
//! - `X-Driftcost-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body
//!   bytes with the shared secret;
//! - `X-Driftcost-Idempotency-Key`: the same for every retry and re-send of
//!   this notification to this target.

use super::WebhookTarget;
use super::render::webhook_body;
use crate::notify::send::http::post;
use crate::notify::send::{Delivered, NotifyError, SendRequest, secret};

pub const EVENT_HEADER: &str = "X-Driftcost-Event";
pub const SIGNATURE_HEADER: &str = "X-Driftcost-Signature";
pub const IDEMPOTENCY_HEADER: &str = "X-Driftcost-Idempotency-Key";

/// `sha256=<hex HMAC-SHA256 of body>`, the value of [`SIGNATURE_HEADER`].
pub use crate::signature::sign as signature;

pub(crate) async fn send(
    t: &WebhookTarget,
    req: &SendRequest<'_>,
) -> Result<(Delivered, u32), NotifyError> {
    let (n, label, key, env, retry) = (req.n, req.label, req.key, req.env, req.retry);
    let url = secret(env, label, &t.url_env, "the webhook receiver's URL")?;
    let key_secret = secret(
        env,
        label,
        &t.secret_env,
        "the webhook signing secret shared with the receiver",
    )?;
    let body = webhook_body(n);
    let headers = [
        (EVENT_HEADER, n.kind.as_str().to_string()),
        (SIGNATURE_HEADER, signature(key_secret.as_bytes(), &body)),
        (IDEMPOTENCY_HEADER, key.to_string()),
    ];
    let (status, attempts) = post(
        label,
        &url,
        &headers,
        body,
        &[&url, &key_secret],
        hint,
        retry,
    )
    .await?;
    Ok((Delivered::Http { status }, attempts))
}

fn hint(status: u16) -> String {
    match status {
        401 | 403 => {
            "the receiver refused the signature; check that it uses the same secret".into()
        }
        404 | 405 => {
            "the receiver has no such endpoint; check the URL in the environment variable".into()
        }
        413 => "the receiver limits body size below this notification; raise its limit".into(),
        _ => "check the receiver's logs".into(),
    }
}
