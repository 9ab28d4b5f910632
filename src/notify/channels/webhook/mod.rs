//! Generic webhook: the versioned notification JSON, signed (HMAC-SHA256)
//! so the receiver can verify it came from us.

mod config;
pub(crate) mod render;
pub(crate) mod send;

pub use config::WebhookTarget;
pub use render::webhook_body;
pub use send::{EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signature};
