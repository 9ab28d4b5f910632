//! Slack incoming webhook: POST the Block Kit message to the URL held in the
//! configured environment variable. The URL is the credential.

use super::SlackTarget;
use super::render::slack;
use crate::notify::send::http::post;
use crate::notify::send::{Delivered, NotifyError, SendRequest, secret};

pub(crate) async fn send(
    t: &SlackTarget,
    req: &SendRequest<'_>,
) -> Result<(Delivered, u32), NotifyError> {
    let (n, label, env, retry) = (req.n, req.label, req.env, req.retry);
    let url = secret(
        env,
        label,
        &t.webhook_url_env,
        "the Slack incoming webhook URL",
    )?;
    let body = serde_json::to_vec(&slack(n)).expect("a Slack message serializes");
    let (status, attempts) = post(label, &url, &[], body, &[&url], hint, retry).await?;
    Ok((Delivered::Http { status }, attempts))
}

/// Slack's documented webhook errors and what to do about them.
fn hint(status: u16) -> String {
    match status {
        400 => "Slack rejected the message (invalid_payload); report it as a driftcost bug".into(),
        403 => "the webhook is not allowed to post (invalid_token or action_prohibited); create a new incoming webhook".into(),
        404 => "no such webhook (no_service); check the URL in the environment variable".into(),
        410 => "the channel was archived or the webhook removed (channel_is_archived); create a new incoming webhook".into(),
        _ => "check the Slack app's incoming webhook".into(),
    }
}
