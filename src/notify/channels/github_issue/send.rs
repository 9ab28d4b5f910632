//! GitHub issue per workspace (octocrab; GitHub Enterprise through `api_url`).
//!
//! The issue is found by listing the repository's open issues labelled
//! `driftcost` and matching the hidden marker in the body
//! (`<!-- driftcost:workspace=<name> -->`), never by title. Then:
//! - drift detected, changed or reminded: update the body, or open the issue
//!   with the configured labels;
//! - drift resolved: comment, then close (nothing when no issue is open);
//! - cost threshold, integrity alert: comment, or open the issue;
//! - scan failed: nothing (the issue tracks drift, not scan health).
//!
//! Each retry starts again from the search, so a retried create finds the
//! issue a lost answer had already created instead of opening a second one.

use super::GithubIssueTarget;
use super::render::{github_comment, github_issue, workspace_marker};
use crate::github::{Answer, CallError, ClientError, GithubClient, Method};
use crate::notify::message::{Notification, NotificationKind};
use crate::notify::send::retry::{Failure, Retry, http_transient, with_retries};
use crate::notify::send::{Delivered, NotifyError, SendRequest, secret};
use serde_json::{Value, json};

/// Open issues read while looking for the marker (100 per page).
const MAX_PAGES: u32 = 10;

pub(crate) async fn send(
    t: &GithubIssueTarget,
    req: &SendRequest<'_>,
) -> Result<(Delivered, u32), NotifyError> {
    let (n, label, env, retry) = (req.n, req.label, req.env, req.retry);
    if n.kind == NotificationKind::ScanFailed {
        return Ok((
            Delivered::Skipped {
                reason: "scan failures are not tracked in the drift issue".into(),
            },
            0,
        ));
    }
    let (owner, name) = crate::github::parse_repo(&t.repo).ok_or_else(|| NotifyError::Config {
        target: label.to_string(),
        message: format!("`repo` = {:?} is not OWNER/NAME", t.repo),
    })?;
    let token = secret(
        env,
        label,
        &t.token_env,
        "a GitHub token that may write issues in the repository",
    )?;
    let api_url = t.api_url.as_deref().unwrap_or("https://api.github.com");
    let gh = GithubClient::new(api_url, &token).map_err(|e| NotifyError::Config {
        target: label.to_string(),
        message: match e {
            ClientError::BadUrl(reason) => {
                format!("`api_url` = {api_url:?} is not a URL ({reason})")
            }
            ClientError::Build(reason) => format!("cannot create the GitHub client ({reason})"),
        },
    })?;
    let api = Api {
        gh: &gh,
        t,
        repo: format!("/repos/{owner}/{name}"),
        label,
        retry,
    };
    let marker = workspace_marker(&n.workspace);
    with_retries(retry, label, || api.apply(n, &marker)).await
}

struct Api<'a> {
    gh: &'a GithubClient,
    t: &'a GithubIssueTarget,
    /// `/repos/{owner}/{name}`.
    repo: String,
    label: &'a str,
    retry: &'a Retry,
}

impl Api<'_> {
    /// One full attempt: find the issue, then act on it.
    /// Comments on issue `number` with what changed.
    async fn comment(&self, number: u64, n: &Notification) -> Result<(), Failure> {
        let comment = json!({ "body": github_comment(n) });
        let path = format!("{}/issues/{number}/comments", self.repo);
        self.call(Method::Post, &path, Some(&comment)).await?;
        Ok(())
    }

    async fn apply(&self, n: &Notification, marker: &str) -> Result<Delivered, Failure> {
        let existing = self.find(marker).await?;
        let issues = format!("{}/issues", self.repo);
        match (n.kind, existing) {
            (NotificationKind::DriftResolved, None) => Ok(Delivered::Skipped {
                reason: "no open drift issue for this workspace".into(),
            }),
            (NotificationKind::DriftResolved, Some(number)) => {
                self.comment(number, n).await?;
                let close = json!({ "state": "closed", "state_reason": "completed" });
                self.call(Method::Patch, &format!("{issues}/{number}"), Some(&close))
                    .await?;
                Ok(Delivered::IssueClosed { number })
            }
            (
                NotificationKind::DriftDetected
                | NotificationKind::DriftChanged
                | NotificationKind::Reminder,
                Some(number),
            ) => {
                let text = github_issue(n);
                let update = json!({ "title": text.title, "body": text.body });
                self.call(Method::Patch, &format!("{issues}/{number}"), Some(&update))
                    .await?;
                Ok(Delivered::IssueUpdated { number })
            }
            (_, Some(number)) => {
                self.comment(number, n).await?;
                Ok(Delivered::IssueCommented { number })
            }
            (_, None) => {
                let text = github_issue(n);
                let create =
                    json!({ "title": text.title, "body": text.body, "labels": self.t.labels() });
                let created = self.call(Method::Post, &issues, Some(&create)).await?;
                let number = created["number"]
                    .as_u64()
                    .ok_or_else(|| self.unexpected("the created issue has no number"))?;
                Ok(Delivered::IssueOpened {
                    number,
                    url: created["html_url"].as_str().unwrap_or_default().to_string(),
                })
            }
        }
    }

    /// The number of the open issue whose body carries `marker`.
    async fn find(&self, marker: &str) -> Result<Option<u64>, Failure> {
        for page in 1..=MAX_PAGES {
            let route = format!(
                "{}/issues?state=open&labels={}&per_page=100&page={page}",
                self.repo,
                GithubIssueTarget::LABEL
            );
            let list = self.call(Method::Get, &route, None).await?;
            let issues = list
                .as_array()
                .ok_or_else(|| self.unexpected("the issue list is not an array"))?;
            let hit = issues.iter().find(|i| {
                i.get("pull_request").is_none()
                    && i["body"].as_str().is_some_and(|b| b.contains(marker))
            });
            if let Some(issue) = hit {
                return Ok(issue["number"].as_u64());
            }
            if issues.len() < 100 {
                break;
            }
        }
        Ok(None)
    }

    async fn call(
        &self,
        method: Method,
        route: &str,
        body: Option<&Value>,
    ) -> Result<Value, Failure> {
        let answer = self
            .gh
            .call(method, route, body)
            .await
            .map_err(|e| match e {
                CallError::Network(reason) => Failure::Transient {
                    reason,
                    after: None,
                },
                CallError::NotJson(what) => self.unexpected(&what),
            })?;
        if answer.is_success() {
            return Ok(answer.body);
        }
        let Answer {
            status,
            message,
            retry_after,
            rate_limited,
            ..
        } = answer;
        // A secondary rate limit answers 403 with Retry-After; the primary one 403/429 with no requests left.
        let transient = http_transient(status, retry_after.as_deref(), self.retry.clock.now())
            .or_else(|| {
                (status == 403 && (retry_after.is_some() || rate_limited)).then(|| {
                    retry_after.as_deref().and_then(|v| {
                        crate::notify::send::retry::parse_retry_after(v, self.retry.clock.now())
                    })
                })
            });
        match transient {
            Some(after) => Err(Failure::Transient {
                reason: format!("HTTP {status} from GitHub: {message}"),
                after,
            }),
            None => Err(Failure::Permanent(NotifyError::Http {
                target: self.label.to_string(),
                status,
                message,
                hint: self.hint(status),
            })),
        }
    }

    fn hint(&self, status: u16) -> String {
        let repo = &self.t.repo;
        let env = &self.t.token_env;
        match status {
            401 => format!("the token in {env} is invalid or expired; create a new one"),
            403 => {
                format!("the token in {env} may not write issues in {repo}; grant it issues: write")
            }
            404 => format!(
                "repository {repo} not found, or the token in {env} cannot see it; check `repo` (and `api_url` for GitHub Enterprise)"
            ),
            410 => format!("issues are disabled in {repo}; enable them or use another target"),
            422 => format!("GitHub refused the issue; check the labels configured for {repo}"),
            _ => "check GitHub's status and the token's permissions".into(),
        }
    }

    fn unexpected(&self, what: &str) -> Failure {
        Failure::Permanent(NotifyError::Config {
            target: self.label.to_string(),
            message: format!("{what}; check that `api_url` points at the GitHub API"),
        })
    }
}
