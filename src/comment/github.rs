//! Posting the comment on a GitHub pull request (octocrab; GitHub Enterprise
//! through the API URL).
//!
//! Requests, as GitHub documents them (pull-request comments are issue
//! comments):
//! - list: `GET /repos/{owner}/{repo}/issues/{pr}/comments?per_page=100&page=N`,
//!   following the `Link: rel="next"` header through every page;
//! - create: `POST /repos/{owner}/{repo}/issues/{pr}/comments`;
//! - update: `PATCH /repos/{owner}/{repo}/issues/comments/{id}`;
//! - delete: `DELETE /repos/{owner}/{repo}/issues/comments/{id}`;
//! - hide: GraphQL `minimizeComment` (classifier `OUTDATED`) with the
//!   comment's `node_id`, `POST {api}/graphql` (`{host}/api/graphql` when the
//!   API URL is GitHub Enterprise's `{host}/api/v3`).
//!
//! No retries: the CI job that runs the command is the retry.

use super::CommentError;
use crate::github::{CallError, ClientError, GithubClient, Method, parse_repo};
use serde_json::{Value, json};

/// What to do with the comments we posted earlier, as Infracost's
/// `comment github --behavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behavior {
    /// Edit our latest comment in place (no notification noise), or create one.
    #[default]
    Update,
    /// Always add a comment, leaving earlier ones alone.
    New,
    /// Collapse our earlier comments as outdated, then add one.
    HideAndNew,
    /// Delete our earlier comments, then add one.
    DeleteAndNew,
}

/// Where the comment goes; checked when made, so a typo fails before any
/// plan is priced or any request is sent.
#[derive(Debug, Clone)]
pub struct PullRequest {
    api_url: String,
    repo: String,
    number: u64,
}

impl PullRequest {
    /// `api_url`: `https://api.github.com`, or `https://HOST/api/v3` for
    /// GitHub Enterprise; `repo`: `OWNER/NAME`.
    pub fn new(api_url: &str, repo: &str, number: u64) -> Result<Self, CommentError> {
        if parse_repo(repo).is_none() {
            return Err(CommentError::BadRepo {
                repo: repo.to_string(),
            });
        }
        let api_url =
            crate::github::api_base(api_url).map_err(|reason| CommentError::BadApiUrl {
                url: api_url.to_string(),
                reason,
            })?;
        Ok(PullRequest {
            api_url: api_url.to_string(),
            repo: repo.to_string(),
            number,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostAction {
    Created,
    Updated,
}

/// What happened, for the command's one-line report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub action: PostAction,
    pub id: u64,
    pub url: String,
    /// Earlier comments of ours minimized (hide-and-new) or deleted (delete-and-new).
    pub hidden: usize,
    pub deleted: usize,
}

/// Pages of comments read at most (100 each) before giving up the search.
const MAX_PAGES: u32 = 1_000;

/// Posts `body` on the pull request according to `behavior`. Our earlier
/// comments are those whose body contains `marker`.
pub async fn post_comment(
    pr: &PullRequest,
    token: &str,
    body: &str,
    marker: &str,
    behavior: Behavior,
) -> Result<Posted, CommentError> {
    let gh = Github::new(pr, token)?;
    let ours = match behavior {
        Behavior::New => Vec::new(),
        _ => gh.marked_comments(marker).await?,
    };
    // Earlier comments go before the new one is added, as Infracost does; a
    // failure in between leaves no comment, and the next CI run adds it.
    let (mut hidden, mut deleted) = (0, 0);
    if behavior == Behavior::DeleteAndNew {
        for c in &ours {
            gh.delete(c.id).await?;
            deleted += 1;
        }
    }
    if behavior == Behavior::HideAndNew {
        let graphql = Github {
            rest: client(&graphql_base(&gh.api_url), token)?,
            api_url: gh.api_url.clone(),
            base: gh.base.clone(),
            ..gh
        };
        for c in &ours {
            graphql.minimize(c).await?;
            hidden += 1;
        }
    }
    let mut posted = match (behavior, ours.last()) {
        (Behavior::Update, Some(existing)) => gh.update(existing.id, body).await?,
        _ => gh.create(body).await?,
    };
    posted.hidden = hidden;
    posted.deleted = deleted;
    Ok(posted)
}

/// The body of our latest comment (the last one whose body contains
/// `marker`), if any: the webhook reads its head-commit marker to skip a
/// commit it already commented on.
pub async fn find_comment(
    pr: &PullRequest,
    token: &str,
    marker: &str,
) -> Result<Option<String>, CommentError> {
    let gh = Github::new(pr, token)?;
    Ok(gh.marked_comments(marker).await?.pop().map(|c| c.body))
}

/// The pull request's current head commit (`GET /repos/{owner}/{repo}/pulls/{n}`,
/// `head.sha`): the webhook compares it with the commit it planned, so a
/// late delivery for an older push never overwrites a newer comment.
pub async fn pull_request_head(pr: &PullRequest, token: &str) -> Result<String, CommentError> {
    let gh = Github::new(pr, token)?;
    let doing = "reading the pull request's head commit";
    let route = format!("{}/pulls/{}", gh.base, gh.pr);
    let (v, _) = gh.call(doing, Method::Get, &route, None).await?;
    v["head"]["sha"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| gh.unexpected(doing, "the pull request has no head.sha"))
}

/// GitHub Enterprise serves REST under `/api/v3` and GraphQL at `/api/graphql`.
fn graphql_base(api_url: &str) -> String {
    match api_url.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api"),
        None => api_url.to_string(),
    }
}

fn client(url: &str, token: &str) -> Result<GithubClient, CommentError> {
    GithubClient::new(url, token).map_err(|e| match e {
        ClientError::BadUrl(reason) => CommentError::BadApiUrl {
            url: url.to_string(),
            reason,
        },
        ClientError::Build(reason) => CommentError::Client { reason },
    })
}

struct Github<'a> {
    rest: GithubClient,
    api_url: String,
    repo: &'a str,
    pr: u64,
    /// `/repos/{owner}/{name}`.
    base: String,
}

impl<'a> Github<'a> {
    /// The REST client for one pull request; the repository must be OWNER/NAME.
    fn new(pr: &'a PullRequest, token: &str) -> Result<Self, CommentError> {
        let (owner, name) = parse_repo(&pr.repo).ok_or_else(|| CommentError::BadRepo {
            repo: pr.repo.clone(),
        })?;
        Ok(Github {
            rest: client(&pr.api_url, token)?,
            api_url: pr.api_url.clone(),
            repo: &pr.repo,
            pr: pr.number,
            base: format!("/repos/{owner}/{name}"),
        })
    }
}

struct Existing {
    id: u64,
    node_id: String,
    body: String,
}

impl Github<'_> {
    /// Our comments (body contains `marker`), oldest first, over every page.
    async fn marked_comments(&self, marker: &str) -> Result<Vec<Existing>, CommentError> {
        let doing = "listing the pull request's comments";
        let mut found = Vec::new();
        let mut page = 1;
        for _ in 0..MAX_PAGES {
            let route = format!(
                "{}/issues/{}/comments?per_page=100&page={page}",
                self.base, self.pr
            );
            let (list, link) = self.call(doing, Method::Get, &route, None).await?;
            let comments = list
                .as_array()
                .ok_or_else(|| self.unexpected(doing, "the comment list is not an array"))?;
            for c in comments {
                if let Some(body) = c["body"].as_str().filter(|b| b.contains(marker)) {
                    let id = c["id"]
                        .as_u64()
                        .ok_or_else(|| self.unexpected(doing, "a comment has no id"))?;
                    found.push(Existing {
                        id,
                        node_id: c["node_id"].as_str().unwrap_or_default().to_string(),
                        body: body.to_string(),
                    });
                }
            }
            match link.as_deref().and_then(|l| next_page(l, page)) {
                Some(next) => page = next,
                None => break,
            }
        }
        Ok(found)
    }

    async fn create(&self, body: &str) -> Result<Posted, CommentError> {
        let doing = "creating the comment";
        let route = format!("{}/issues/{}/comments", self.base, self.pr);
        let (c, _) = self
            .call(doing, Method::Post, &route, Some(&json!({ "body": body })))
            .await?;
        self.posted(doing, PostAction::Created, &c)
    }

    async fn update(&self, id: u64, body: &str) -> Result<Posted, CommentError> {
        let doing = format!("updating comment {id}");
        let route = format!("{}/issues/comments/{id}", self.base);
        let (c, _) = self
            .call(
                &doing,
                Method::Patch,
                &route,
                Some(&json!({ "body": body })),
            )
            .await?;
        self.posted(&doing, PostAction::Updated, &c)
    }

    async fn delete(&self, id: u64) -> Result<(), CommentError> {
        let route = format!("{}/issues/comments/{id}", self.base);
        self.call(
            &format!("deleting comment {id}"),
            Method::Delete,
            &route,
            None,
        )
        .await?;
        Ok(())
    }

    /// `self` must be the GraphQL client ([`graphql_base`]).
    async fn minimize(&self, c: &Existing) -> Result<(), CommentError> {
        let doing = format!("hiding comment {}", c.id);
        if c.node_id.is_empty() {
            return Err(self.unexpected(&doing, "the comment has no node_id"));
        }
        let query = json!({
            "query": "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }",
            "variables": { "id": c.node_id },
        });
        let (answer, _) = self
            .call(&doing, Method::Post, "/graphql", Some(&query))
            .await?;
        // GraphQL reports failures with 200 and an `errors` list.
        if let Some(errors) = answer["errors"].as_array().filter(|e| !e.is_empty()) {
            let message = errors
                .iter()
                .filter_map(|e| e["message"].as_str())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(CommentError::Http {
                doing,
                repo: self.repo.to_string(),
                pr: self.pr,
                status: 200,
                message: self.rest.scrub(&message),
                hint: "the token may not minimize comments in this repository; grant it pull requests: write, or use --behavior delete-and-new".into(),
            });
        }
        Ok(())
    }

    fn posted(&self, doing: &str, action: PostAction, c: &Value) -> Result<Posted, CommentError> {
        Ok(Posted {
            action,
            id: c["id"]
                .as_u64()
                .ok_or_else(|| self.unexpected(doing, "GitHub's answer has no comment id"))?,
            url: c["html_url"].as_str().unwrap_or_default().to_string(),
            hidden: 0,
            deleted: 0,
        })
    }

    /// One request that must succeed; the JSON answer (null when empty) and the `Link` header.
    async fn call(
        &self,
        doing: &str,
        method: Method,
        route: &str,
        body: Option<&Value>,
    ) -> Result<(Value, Option<String>), CommentError> {
        let answer = self
            .rest
            .call(method, route, body)
            .await
            .map_err(|e| match e {
                CallError::Network(reason) => CommentError::Network {
                    doing: doing.to_string(),
                    repo: self.repo.to_string(),
                    pr: self.pr,
                    reason,
                },
                CallError::NotJson(what) => self.unexpected(doing, &what),
            })?;
        if answer.is_success() {
            return Ok((answer.body, answer.link));
        }
        Err(CommentError::Http {
            doing: doing.to_string(),
            repo: self.repo.to_string(),
            pr: self.pr,
            status: answer.status,
            message: answer.message,
            hint: hint(answer.status),
        })
    }

    fn unexpected(&self, doing: &str, what: &str) -> CommentError {
        CommentError::Unexpected {
            doing: doing.to_string(),
            repo: self.repo.to_string(),
            pr: self.pr,
            what: what.to_string(),
        }
    }
}

fn hint(status: u16) -> String {
    match status {
        401 => "the token is invalid or expired; set a valid one".into(),
        403 => "the token may not comment on this pull request; grant it pull requests: write (fine-grained) or repo scope (classic)".into(),
        404 => "repository or PR not found, or the token cannot see it; check --repo, --pr and, for GitHub Enterprise, --github-api-url".into(),
        410 => "issues and pull-request comments are disabled or the PR is locked".into(),
        422 => "GitHub refused the comment body".into(),
        _ => "check GitHub's status and try again".into(),
    }
}

/// The `page` of the `rel="next"` link, if it goes forward.
fn next_page(link: &str, current: u32) -> Option<u32> {
    let next = link.split(',').find(|part| part.contains("rel=\"next\""))?;
    let url = next.trim().strip_prefix('<')?.split('>').next()?;
    let query = url.split_once('?')?.1;
    let page = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))?
        .parse::<u32>()
        .ok()?;
    (page > current).then_some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_follows_only_forward_next_links() {
        let link = r#"<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=5>; rel="last""#;
        assert_eq!(next_page(link, 1), Some(2));
        let last = r#"<https://x/y?page=1>; rel="prev", <https://x/y?page=1>; rel="first""#;
        assert_eq!(next_page(last, 2), None);
        assert_eq!(next_page(r#"<https://x/y?page=1>; rel="next""#, 3), None);
        assert_eq!(next_page("garbage", 1), None);
    }

    #[test]
    fn enterprise_graphql_lives_beside_v3() {
        assert_eq!(
            graphql_base("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api"
        );
        assert_eq!(
            graphql_base("https://api.github.com"),
            "https://api.github.com"
        );
    }

    #[test]
    fn pull_request_checks_repo_and_api_url() {
        let pr = PullRequest::new("https://ghe.example.com/api/v3/", "acme/infra", 7).unwrap();
        assert_eq!(pr.api_url, "https://ghe.example.com/api/v3");
        for (url, repo) in [
            ("https://api.github.com", "acme"),
            ("ftp://x", "acme/infra"),
            ("https://", "acme/infra"),
            ("api.github.com", "acme/infra"),
        ] {
            let err = PullRequest::new(url, repo, 1).unwrap_err().to_string();
            assert!(
                err.starts_with("--repo") || err.starts_with("--github-api-url"),
                "{err}"
            );
        }
    }

    #[test]
    fn not_found_says_what_to_check() {
        assert!(hint(404).starts_with("repository or PR not found, or the token cannot see it"));
        assert!(hint(401).contains("token"));
        assert!(hint(403).contains("token"));
    }
}
