//! terraform's machine-readable UI stream (`-json`): diagnostics and refresh progress.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One diagnostic, as terraform reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: String,
    pub summary: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(file), Some(line)) = (&self.filename, self.line) {
            write!(f, "{file} line {line}: ")?;
        }
        write!(f, "{}", self.summary)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail.trim())?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Line {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    diagnostic: Option<RawDiagnostic>,
    #[serde(default)]
    hook: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawDiagnostic {
    #[serde(default)]
    severity: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    range: Option<Range>,
}

#[derive(Deserialize)]
struct Range {
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    start: Option<Pos>,
}

#[derive(Deserialize)]
struct Pos {
    #[serde(default)]
    line: Option<u64>,
}

/// What a `-json` stream said: its diagnostics and the resources it refreshed.
#[derive(Debug, Default)]
pub(crate) struct StreamSummary {
    pub diagnostics: Vec<Diagnostic>,
    pub refreshed: Vec<String>,
}

impl StreamSummary {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == "error")
    }
}

/// Reads a `-json` UI stream; lines that are not JSON are skipped.
pub(crate) fn parse_stream(bytes: &[u8]) -> StreamSummary {
    let mut out = StreamSummary::default();
    for line in bytes.split(|b| *b == b'\n') {
        let Ok(line) = serde_json::from_slice::<Line>(line) else {
            continue;
        };
        match line.kind.as_str() {
            "diagnostic" => {
                if let Some(d) = line.diagnostic {
                    out.diagnostics.push(Diagnostic {
                        severity: d.severity,
                        summary: d.summary,
                        detail: d.detail,
                        filename: d.range.as_ref().and_then(|r| r.filename.clone()),
                        line: d.range.and_then(|r| r.start).and_then(|p| p.line),
                    });
                }
            }
            "refresh_complete" => {
                if let Some(addr) = line
                    .hook
                    .as_ref()
                    .and_then(|h| h.pointer("/resource/addr"))
                    .and_then(|a| a.as_str())
                {
                    out.refreshed.push(addr.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// Best effort for plain-text errors (`Error: …` blocks on stderr), used when a
/// command failed before its JSON stream started.
pub(crate) fn parse_text_errors(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches(['│', '╷', '╵', ' ']))
        .collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(summary) = l.strip_prefix("Error: ") {
            let detail: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !l.starts_with("Error: "))
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .take(6)
                .collect();
            out.push(Diagnostic {
                severity: "error".into(),
                summary: summary.trim().to_string(),
                detail: detail.join(" "),
                filename: None,
                line: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_diagnostics_and_refresh_progress() {
        let stream = br#"{"@level":"info","@message":"Terraform 1.11.4","type":"version","terraform":"1.11.4"}
{"@level":"info","type":"refresh_complete","hook":{"resource":{"addr":"aws_instance.web"},"id_key":"id","id_value":"i-1"}}
{"@level":"error","@message":"Error: Unsupported argument","type":"diagnostic","diagnostic":{"severity":"error","summary":"Unsupported argument","detail":"An argument named \"foo\" is not expected here.","range":{"filename":"main.tf","start":{"line":3,"column":3,"byte":40},"end":{"line":3,"column":6,"byte":43}}}}
not json
"#;
        let s = parse_stream(stream);
        assert_eq!(s.refreshed, vec!["aws_instance.web"]);
        let errors: Vec<String> = s.errors().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "main.tf line 3: Unsupported argument: An argument named \"foo\" is not expected here."
            ]
        );
    }

    #[test]
    fn reads_boxed_text_errors() {
        let text = "╷\n│ Error: Failed to query available provider packages\n│ \n│ Could not retrieve the list of available versions.\n╵\n";
        let d = parse_text_errors(text);
        assert_eq!(d[0].summary, "Failed to query available provider packages");
        assert_eq!(
            d[0].detail,
            "Could not retrieve the list of available versions."
        );
    }
}
