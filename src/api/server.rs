//! The connection loop under the router: hyper's HTTP/1 server with a
//! header-read timeout (which also closes idle keep-alive connections) and a
//! cap on open connections, so clients that connect and send nothing cannot
//! hold the server's file descriptors; and hyper's own answers to requests it
//! cannot parse (400, 414, 431, written before any router runs) rewritten
//! into the API's JSON error body.

use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use serde_json::json;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// How long a client has to send a request's headers, from the moment it
/// connects or its previous response was sent (so also the idle timeout of
/// a keep-alive connection).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; more wait in the listen backlog until one
/// closes. Below the usual 1024 open files, leaving room for the store.
pub const MAX_CONNECTIONS: usize = 512;

/// Connection limits of [`crate::api::serve_listener_limited`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// Serves `app` on `listener` until `shutdown`; then stops accepting, lets
/// open connections finish their request and returns.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: CancellationToken,
) {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    loop {
        let slot = tokio::select! {
            _ = shutdown.cancelled() => break,
            s = Arc::clone(&slots).acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = shutdown.cancelled() => break,
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) => {
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) {
                        // Out of file descriptors, most likely: wait for some to close.
                        tracing::error!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    continue;
                }
            },
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        // The peer address, for the audit trail (`ConnectInfo` in handlers).
        let service = TowerToHyperService::new(tower_layer::Layer::layer(
            &axum::Extension(ConnectInfo(peer)),
            app.clone(),
        ));
        let conn = http.serve_connection(TokioIo::new(JsonParseErrors::new(stream)), service);
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let result = tokio::select! {
                r = conn.as_mut() => r,
                _ = shutdown.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    // Every slot back means every connection has ended.
    let _ = slots.acquire_many(max as u32).await;
}

/// The connection's socket, with hyper's automatic error answers rewritten.
///
/// hyper answers a request it cannot parse itself, before any service runs:
/// a bare head `HTTP/1.1 400|414|431 …` with `content-length: 0`, then closes.
/// The router never sends such a head (every error it makes carries the JSON
/// body), so a write that is exactly that head is hyper's, and is replaced by
/// the same head with the API's JSON error body.
struct JsonParseErrors<S> {
    inner: S,
    /// Replacement bytes still to write, from `pos`.
    pending: Vec<u8>,
    pos: usize,
}

impl<S> JsonParseErrors<S> {
    fn new(inner: S) -> Self {
        JsonParseErrors {
            inner,
            pending: Vec::new(),
            pos: 0,
        }
    }
}

impl<S: AsyncWrite + Unpin> JsonParseErrors<S> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.pos < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.pos..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pos += n;
        }
        self.pending.clear();
        self.pos = 0;
        Poll::Ready(Ok(()))
    }
}

/// hyper's bodiless parse-error head in `buf`, as a JSON error response.
fn rewrite_parse_error(buf: &[u8]) -> Option<Vec<u8>> {
    let (code, message) = if buf.starts_with(b"HTTP/1.1 400 ") {
        (
            "bad_request",
            "the request is not valid HTTP/1.1: its request line or a header could not be parsed",
        )
    } else if buf.starts_with(b"HTTP/1.1 414 ") {
        ("uri_too_long", "the request URI is too long")
    } else if buf.starts_with(b"HTTP/1.1 431 ") {
        (
            "headers_too_large",
            "the request headers are too large or too many (at most 100 headers)",
        )
    } else {
        return None;
    };
    let head = std::str::from_utf8(buf).ok()?;
    let head = head.strip_suffix("\r\n\r\n")?;
    if head.contains("\r\n\r\n") {
        return None;
    }
    let mut lines: Vec<&str> = head.split("\r\n").collect();
    let cl = lines
        .iter()
        .position(|l| l.eq_ignore_ascii_case("content-length: 0"))?;
    lines.remove(cl);
    let body = json!({"error": {"code": code, "message": message}}).to_string();
    let mut out = lines.join("\r\n");
    out.push_str(&format!(
        "\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    Some(out.into_bytes())
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonParseErrors<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonParseErrors<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if let Some(replacement) = rewrite_parse_error(buf) {
            this.pending = replacement;
            this.pos = 0;
            // Written now or on the flush hyper does next.
            if let Poll::Ready(Err(e)) = this.poll_pending(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }

    /// Not vectored: hyper then hands over each message head in one buffer,
    /// which is what the rewrite looks at.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodiless_parse_error_heads_are_rewritten() {
        let head = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Fri, 04 Dec 2026 22:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite_parse_error(head).unwrap()).unwrap();
        let (h, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(h.starts_with("HTTP/1.1 431 "), "{h}");
        assert!(h.contains("content-type: application/json"), "{h}");
        assert!(h.contains("date: "), "{h}");
        assert!(
            h.contains(&format!("content-length: {}", body.len())),
            "{h}"
        );
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "headers_too_large");

        // The router's own errors carry a body and pass untouched.
        assert!(
            rewrite_parse_error(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n").is_none()
        );
        assert!(rewrite_parse_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite_parse_error(b"{\"error\": 1}").is_none());
    }
}
