//! Escaping text for the formats we write, in one place: HTML (cost reports,
//! email), Markdown (cost tables, PR comments) and the inline HTML GitHub
//! Markdown allows (drift tables, issue bodies). Every value that came from a
//! plan, a job file or a server goes through one of these before it is
//! written into a document.

/// Text for HTML content and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match html_entity(ch) {
            Some(e) => out.push_str(e),
            None => out.push(ch),
        }
    }
    out
}

/// The entity for a character that is markup in HTML content or a quoted
/// attribute value; `None` for every other character.
fn html_entity(ch: char) -> Option<&'static str> {
    Some(match ch {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ => return None,
    })
}

/// Text for a Markdown table cell or list item: HTML-significant characters
/// as entities (a for_each key can hold `"<script>`), `|` as an entity so it
/// cannot split a cell, Markdown punctuation backslash-escaped so an address
/// never turns into emphasis or a link.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if let Some(e) = html_entity(ch) {
            out.push_str(e);
            continue;
        }
        match ch {
            '|' => out.push_str("&#124;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Text inside inline HTML in GitHub Markdown (`<code>`, `<summary>`, table
/// cells of HTML lists), where backslash escapes do not work: HTML and
/// Markdown punctuation as numeric entities, `@` too so no value mentions
/// anyone, newlines as spaces so a value cannot end the line it is on.
pub fn markdown_in_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '|' | '*' | '_' | '`' | '[' | ']' | '\\' | '~' | '#' | '!' | '@' => {
                out.push_str("&#");
                out.push_str(&(c as u32).to_string());
                out.push(';');
            }
            c => out.push(c),
        }
    }
    out
}

/// Slack's three control characters in mrkdwn (`&`, `<`, `>`), as Slack documents.
pub fn slack_mrkdwn(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Prometheus label value: backslash, double quote and newline escaped.
pub fn prometheus_label(v: &str) -> String {
    v.replace('\\', r"\\")
        .replace('"', r#"\""#)
        .replace('\n', r"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn markdown_cannot_split_a_cell_or_start_a_link() {
        assert_eq!(
            markdown("a|b [x](y) *z*\nw"),
            "a&#124;b \\[x\\](y) \\*z\\* w"
        );
    }

    #[test]
    fn slack_and_prometheus_escape_their_own_controls() {
        assert_eq!(slack_mrkdwn("<!here> & co"), "&lt;!here&gt; &amp; co");
        assert_eq!(prometheus_label("a\\b\"c\nd"), r#"a\\b\"c\nd"#);
    }

    #[test]
    fn markdown_in_html_uses_entities_and_mentions_no_one() {
        assert_eq!(
            markdown_in_html("<b>@team|x</b>"),
            "&lt;b&gt;&#64;team&#124;x&lt;/b&gt;"
        );
    }
}
