//! Email notifications through a REAL SMTP server: the aiosmtpd sink started by
//! `scripts/test-servers.sh start`, which writes every message it accepts into a
//! maildir. Each test sends, then finds its own message there by Message-ID and
//! checks headers, both bodies, and that the sensitive value never left.
//! Without the sink these tests fail, unless `DRIFTCOST_SKIP_SERVER_TESTS=1`.

use crate::support;
use crate::support::notify as notify_support;

use driftcost::notify::{
    Delivered, EmailTarget, Env, NotificationKind, NotifyError, Retry, SmtpSecurity, Target,
    deliver_with,
};
use notify_support::{FakeClock, assert_no_secret, notification};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Port and maildir of the SMTP sink, from the environment or `.test-servers/env`.
fn sink(test: &str) -> Option<(u16, PathBuf)> {
    let vars = support::servers::vars(
        test,
        "SMTP sink",
        &["DRIFTCOST_TEST_SMTP_PORT", "DRIFTCOST_TEST_SMTP_MAILDIR"],
    )?;
    let dir = PathBuf::from(&vars["DRIFTCOST_TEST_SMTP_MAILDIR"]);
    // aiosmtpd's Mailbox only creates the maildir's subfolders when it creates the
    // folder itself; a sink started on an existing empty folder answers 500 without them.
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    Some((
        vars["DRIFTCOST_TEST_SMTP_PORT"]
            .parse()
            .expect("DRIFTCOST_TEST_SMTP_PORT is a port"),
        dir,
    ))
}

fn target(port: u16) -> EmailTarget {
    EmailTarget {
        host: "127.0.0.1".into(),
        port: Some(port),
        security: SmtpSecurity::None,
        from: "driftcost <drift@driftcost.test>".into(),
        to: vec![
            "platform@example.test".into(),
            "Oncall <oncall@example.test>".into(),
        ],
        username_env: None,
        password_env: None,
    }
}

fn quick_retry() -> Retry {
    Retry {
        max_attempts: 3,
        clock: Arc::new(FakeClock::default()),
        ..Retry::default()
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// The sink's file holding `message_id`, waiting briefly for it to land.
fn find_message(maildir: &Path, message_id: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir(maildir.join("new")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            if text.contains(message_id) {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "message {message_id} never reached {}",
            maildir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A parsed RFC 5322 message: unfolded headers (lowercase names) and the body.
struct Mail {
    headers: Vec<(String, String)>,
    body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw
            .split_once("\n\n")
            .expect("headers end with a blank line");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                headers
                    .last_mut()
                    .unwrap()
                    .1
                    .push_str(line.trim_start_matches(['\t']));
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        Mail {
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }

    /// The decoded parts of a multipart body, by content type.
    fn parts(&self) -> HashMap<String, String> {
        let ct = self.header("content-type");
        let boundary = ct
            .split("boundary=")
            .nth(1)
            .expect("multipart has a boundary")
            .trim_matches('"')
            .to_string();
        let mut out = HashMap::new();
        for chunk in self.body.split(&format!("--{boundary}")).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            let part = Mail::parse(chunk.trim_start_matches('\n'));
            let ctype = part
                .header("content-type")
                .split(';')
                .next()
                .unwrap()
                .trim()
                .to_string();
            let cte = part
                .headers
                .iter()
                .find(|(k, _)| k == "content-transfer-encoding")
                .map(|(_, v)| v.to_ascii_lowercase())
                .unwrap_or_default();
            let decoded = match cte.as_str() {
                "quoted-printable" => decode_qp(&part.body),
                "base64" => decode_base64(&part.body),
                _ => part.body.clone(),
            };
            out.insert(ctype, decoded);
        }
        out
    }
}

fn decode_qp(s: &str) -> String {
    let mut bytes = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).unwrap()
}

fn decode_base64(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn sensitive_drift_email_reaches_the_sink_with_both_bodies_and_no_secret() {
    let Some((port, maildir)) =
        sink("sensitive_drift_email_reaches_the_sink_with_both_bodies_and_no_secret")
    else {
        return;
    };
    let workspace = unique("db-prod");
    let n = notification(NotificationKind::DriftDetected, &workspace, &unique("run"));
    let target = Target::Email(target(port));
    let d = deliver_with(&target, &n, &Env::fixed::<&str, &str>([]), &quick_retry())
        .await
        .unwrap();
    assert_eq!(d.attempts, 1);
    assert_eq!(d.target, format!("email via 127.0.0.1:{port}"));
    let Delivered::Email { message_id } = &d.outcome else {
        panic!("{d:?}")
    };
    assert!(message_id.ends_with("@driftcost.test>"), "{message_id}");

    let raw = find_message(&maildir, message_id);
    assert_no_secret("the raw message", &raw);
    let mail = Mail::parse(&raw);
    assert_eq!(mail.header("from"), "driftcost <drift@driftcost.test>");
    assert_eq!(
        mail.header("to"),
        "platform@example.test, Oncall <oncall@example.test>"
    );
    assert_eq!(
        mail.header("subject"),
        format!("[driftcost] drift in {workspace}: 1 resource, +$4.60/mo")
    );
    assert_eq!(mail.header("message-id"), message_id);
    assert!(mail.header("date").contains(':'));
    assert!(
        mail.header("content-type")
            .starts_with("multipart/alternative"),
        "{}",
        mail.header("content-type")
    );
    // The sink records the SMTP envelope too.
    assert_eq!(mail.header("x-mailfrom"), "drift@driftcost.test");
    assert_eq!(
        mail.header("x-rcptto"),
        "platform@example.test, oncall@example.test"
    );

    let parts = mail.parts();
    let text = &parts["text/plain"];
    let html = &parts["text/html"];
    for (what, body) in [("text/plain", text), ("text/html", html)] {
        assert!(body.contains("aws_db_instance.main"), "{what}: {body}");
        assert!(
            body.contains("allocated_storage: 20 → 50"),
            "{what}: {body}"
        );
        assert!(
            body.contains("password: (sensitive value changed)"),
            "{what}: {body}"
        );
        assert!(body.contains("$14.71 → $19.31 (+$4.60)"), "{what}: {body}");
        assert!(
            body.contains("state serial went back from 5 to 4"),
            "{what}: {body}"
        );
        assert_no_secret(what, body);
    }
    assert!(html.contains("<table"), "{html}");
    assert!(text.starts_with(&format!("Drift in {workspace}")), "{text}");
}

#[tokio::test]
async fn the_same_notification_keeps_its_message_id() {
    let Some((port, maildir)) = sink("the_same_notification_keeps_its_message_id") else {
        return;
    };
    let n = notification(
        NotificationKind::DriftResolved,
        &unique("net"),
        &unique("run"),
    );
    let target = Target::Email(target(port));
    let env = Env::fixed::<&str, &str>([]);
    let first = deliver_with(&target, &n, &env, &quick_retry())
        .await
        .unwrap();
    let again = deliver_with(&target, &n, &env, &quick_retry())
        .await
        .unwrap();
    assert_eq!(
        first.outcome, again.outcome,
        "a re-sent notification is recognisable as the same"
    );
    let Delivered::Email { message_id } = &first.outcome else {
        panic!()
    };
    let mail = Mail::parse(&find_message(&maildir, message_id));
    assert_eq!(
        mail.header("subject"),
        format!("[driftcost] drift resolved in {}", n.workspace)
    );
    assert!(mail.parts()["text/plain"].contains("No longer drifting: aws_db_instance.main."));
}

#[tokio::test]
async fn configuration_errors_name_the_fix_and_are_not_retried() {
    let mut with_auth = target(25);
    with_auth.username_env = Some("DRIFTCOST_SMTP_USER".into());
    with_auth.password_env = Some("DRIFTCOST_SMTP_PASSWORD".into());
    let n = notification(NotificationKind::DriftDetected, "ws", "run-1");

    let missing = deliver_with(
        &Target::Email(with_auth.clone()),
        &n,
        &Env::fixed([("DRIFTCOST_SMTP_USER", "u")]),
        &quick_retry(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "email via 127.0.0.1:25: environment variable DRIFTCOST_SMTP_PASSWORD is not set or empty; set it to the SMTP password"
    );

    let env = Env::fixed([
        ("DRIFTCOST_SMTP_USER", "u"),
        ("DRIFTCOST_SMTP_PASSWORD", "pa55-w0rd-xyz"),
    ]);
    let plain = deliver_with(&Target::Email(with_auth), &n, &env, &quick_retry())
        .await
        .unwrap_err();
    assert!(matches!(plain, NotifyError::Config { .. }), "{plain}");
    assert!(
        plain
            .to_string()
            .contains("refusing to send SMTP credentials without TLS"),
        "{plain}"
    );
    assert!(!plain.to_string().contains("pa55-w0rd-xyz"));

    let mut bad_from = target(25);
    bad_from.from = "not an address".into();
    let e = deliver_with(&Target::Email(bad_from), &n, &env, &quick_retry())
        .await
        .unwrap_err();
    assert!(
        e.to_string().starts_with(
            "email via 127.0.0.1:25: `from` = \"not an address\" is not an email address"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_retried_then_reported() {
    // A port nothing listens on: bind, take the number, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = Arc::new(FakeClock::default());
    let retry = Retry {
        max_attempts: 3,
        clock: clock.clone(),
        ..Retry::default()
    };
    let n = notification(NotificationKind::DriftDetected, "ws", "run-1");
    let e = deliver_with(
        &Target::Email(target(port)),
        &n,
        &Env::fixed::<&str, &str>([]),
        &retry,
    )
    .await
    .unwrap_err();
    assert!(e.is_retryable(), "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "email via 127.0.0.1:{port}: gave up after 3 attempts: SMTP: "
        )),
        "{text}"
    );
    assert!(text.to_lowercase().contains("connection refused"), "{text}");
    assert_eq!(
        *clock.slept.lock().unwrap(),
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn starttls_is_required_not_opportunistic() {
    let Some((port, _)) = sink("starttls_is_required_not_opportunistic") else {
        return;
    };
    // The sink offers no STARTTLS: the message must not go out in clear.
    let mut t = target(port);
    t.security = SmtpSecurity::Starttls;
    let n = notification(NotificationKind::DriftDetected, "ws", "run-1");
    let e = deliver_with(
        &Target::Email(t),
        &n,
        &Env::fixed::<&str, &str>([]),
        &quick_retry(),
    )
    .await
    .unwrap_err();
    assert!(!e.is_retryable(), "{e}");
    assert!(e.to_string().contains("check `security`"), "{e}");
}

#[tokio::test]
async fn implicit_tls_against_a_plain_server_is_a_configuration_error() {
    let Some((port, _)) = sink("implicit_tls_against_a_plain_server_is_a_configuration_error")
    else {
        return;
    };
    let mut t = target(port);
    t.security = SmtpSecurity::Tls;
    let n = notification(NotificationKind::DriftDetected, "ws", "run-1");
    let e = deliver_with(
        &Target::Email(t),
        &n,
        &Env::fixed::<&str, &str>([]),
        &quick_retry(),
    )
    .await
    .unwrap_err();
    assert!(!e.is_retryable(), "{e}");
    assert!(e.to_string().contains("check `security`"), "{e}");
}
