//! `kind = "github_issue"`:
//!
//! ```toml
//! [notify.issues]
//! kind = "github_issue"
//! repo = "acme/infra"
//! token_env = "GITHUB_TOKEN"
//! labels = ["drift"]
//! base_url = "https://github.example.com/api/v3"   # GitHub Enterprise only
//! ```

use crate::notify::channels::ChannelConfig;
use crate::notify::config::Fields;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubIssueTarget {
    /// `OWNER/NAME`.
    pub repo: String,
    /// Variable holding a token that may write issues in `repo`.
    pub token_env: String,
    /// GitHub Enterprise API root, e.g. `https://github.example.com/api/v3`.
    pub api_url: Option<String>,
    /// Labels for new issues; `driftcost` is always added (issues are found by it).
    pub labels: Vec<String>,
}

impl GithubIssueTarget {
    /// The label every driftcost issue carries; the search filters on it.
    pub const LABEL: &'static str = "driftcost";

    pub fn labels(&self) -> Vec<String> {
        let mut labels = vec![Self::LABEL.to_string()];
        for l in &self.labels {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
        labels
    }
}

impl ChannelConfig for GithubIssueTarget {
    const KIND: &'static str = "github_issue";
    const FIELDS: &'static [&'static str] = &["repo", "token_env", "labels", "base_url"];
    const ENV_EXAMPLES: &'static [(&'static str, &'static str)] = &[("token_env", "GITHUB_TOKEN")];

    fn label(&self) -> String {
        format!("github issue in {}", self.repo)
    }

    fn parse(f: &mut Fields) -> Option<Self> {
        let repo = f.string("repo", true);
        if let Some(r) = &repo {
            let parts: Vec<&str> = r.split('/').collect();
            if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                f.invalid(
                    "repo",
                    format!("`{r}` is not a repository; expected \"owner/name\""),
                );
            }
        }
        let token_env = f.env_name("token_env", true);
        let labels = match f.get("labels") {
            None => Vec::new(),
            Some((_, v)) => match v.get_ref().as_array() {
                Some(a) if a.iter().all(|x| x.is_str()) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => {
                    f.invalid(
                        "labels",
                        "expected a list of label names, e.g. [\"drift\", \"infra\"]".into(),
                    );
                    Vec::new()
                }
            },
        };
        let api_url = f.string("base_url", false);
        if let Some(u) = &api_url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            f.invalid(
                "base_url",
                format!("`{u}` is not an http(s) URL; e.g. \"https://github.example.com/api/v3\""),
            );
        }
        Some(GithubIssueTarget {
            repo: repo?,
            token_env: token_env?,
            api_url,
            labels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driftcost_label_comes_first_once() {
        let t = GithubIssueTarget {
            repo: "acme/infra".into(),
            token_env: "GITHUB_TOKEN".into(),
            api_url: None,
            labels: vec!["drift".into(), "driftcost".into()],
        };
        assert_eq!(t.labels(), vec!["driftcost", "drift"]);
    }
}
