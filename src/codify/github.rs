//! Opening (or updating) the drift pull request through GitHub's REST API
//! (octocrab; GitHub Enterprise through the API URL).
//!
//! Requests, as GitHub documents them:
//! 1. base: `GET /repos/{o}/{r}/git/ref/heads/{base}` → `object.sha`;
//! 2. branch: `GET /repos/{o}/{r}/git/ref/heads/{branch}`; when it exists,
//!    `PATCH /repos/{o}/{r}/git/refs/heads/{branch}` `{sha, force: true}` (it
//!    starts again from the base), else `POST /repos/{o}/{r}/git/refs`;
//! 3. per file: `GET /repos/{o}/{r}/contents/{path}?ref={branch}` (its blob
//!    sha, and its text, which must be the text we edited), then
//!    `PUT /repos/{o}/{r}/contents/{path}` `{message, content, sha, branch}`;
//! 4. `GET /repos/{o}/{r}/pulls?state=open&head={o}:{branch}`: `PATCH` the
//!    open pull request's title and body, or `POST /repos/{o}/{r}/pulls`.
//!
//! No retries: the job that runs the command is the retry, and every step
//! converges when run again.

use crate::github::{Answer, CallError, ClientError, GithubClient, Method};
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Where the pull request goes; checked when made.
#[derive(Debug, Clone)]
pub struct PrTarget {
    api_url: String,
    owner: String,
    name: String,
    base: String,
    branch: String,
}

impl PrTarget {
    /// `api_url`: `https://api.github.com` or `https://HOST/api/v3`;
    /// `repo`: `OWNER/NAME`; `base`: the branch to merge into.
    pub fn new(api_url: &str, repo: &str, base: &str, branch: &str) -> Result<Self, PrError> {
        let (owner, name) = crate::github::parse_repo(repo).ok_or_else(|| PrError::BadRepo {
            repo: repo.to_string(),
        })?;
        let api_url = crate::github::api_base(api_url).map_err(|reason| PrError::BadApiUrl {
            url: api_url.to_string(),
            reason,
        })?;
        if base.is_empty() || base.contains(char::is_whitespace) || base.contains("..") {
            return Err(PrError::BadBranch {
                branch: base.to_string(),
            });
        }
        Ok(PrTarget {
            api_url: api_url.to_string(),
            owner: owner.to_string(),
            name: name.to_string(),
            base: base.to_string(),
            branch: branch.to_string(),
        })
    }

    pub fn branch(&self) -> &str {
        &self.branch
    }
}

/// `driftcost/drift-<workspace>-<8 hex of the drift fingerprints>`: the same
/// drift always lands on the same branch, new drift on a new one.
pub fn branch_name<'a>(workspace: &str, fingerprints: impl IntoIterator<Item = &'a str>) -> String {
    let mut fps: Vec<&str> = fingerprints.into_iter().collect();
    fps.sort_unstable();
    fps.dedup();
    let hash = Sha256::digest(fps.join("\n").as_bytes());
    let ws: String = workspace
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let ws = ws.trim_matches(['.', '-']);
    let ws = if ws.is_empty() { "workspace" } else { ws };
    format!("driftcost/drift-{ws}-{}", &hex::encode(hash)[..8])
}

/// One file to write: its path in the repository, the text we edited (what
/// the base branch must hold) and the new text.
#[derive(Debug, Clone)]
pub struct PrFile {
    pub path: String,
    pub original: String,
    pub updated: String,
}

/// What happened, for the command's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub number: u64,
    pub url: String,
    /// `false`: an open pull request from the branch was updated.
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PrError {
    #[error("--repo {repo:?} is not OWNER/NAME (e.g. acme/infra)")]
    BadRepo { repo: String },
    #[error("--github-api-url {url:?} is not a URL ({reason})")]
    BadApiUrl { url: String, reason: String },
    #[error("--base {branch:?} is not a branch name")]
    BadBranch { branch: String },
    #[error("cannot create the GitHub client ({reason})")]
    Client { reason: String },
    #[error("{doing}: HTTP {status} from GitHub: {message}; {hint}")]
    Http {
        doing: String,
        status: u16,
        message: String,
        hint: String,
    },
    #[error("{doing}: cannot reach GitHub ({reason}); check --github-api-url and the network")]
    Network { doing: String, reason: String },
    #[error("{doing}: {what}; check that --github-api-url points at the GitHub API")]
    Unexpected { doing: String, what: String },
    #[error(
        "{path} on {base} is not the file that was edited here; run from a checkout of {base} (and check --repo-path)"
    )]
    Outdated { path: String, base: String },
}

/// Creates or resets the branch, writes the files, and opens the pull
/// request or updates the open one from that branch.
pub async fn open_pr(
    target: &PrTarget,
    token: &str,
    title: &str,
    body: &str,
    files: &[PrFile],
) -> Result<Opened, PrError> {
    let client = GithubClient::new(&target.api_url, token).map_err(|e| match e {
        ClientError::BadUrl(reason) => PrError::BadApiUrl {
            url: target.api_url.clone(),
            reason,
        },
        ClientError::Build(reason) => PrError::Client { reason },
    })?;
    let gh = Github {
        client,
        t: target,
        repo: format!("/repos/{}/{}", target.owner, target.name),
    };
    let base_sha = gh.base_sha().await?;
    gh.reset_branch(&base_sha).await?;
    for f in files {
        gh.put_file(f, title).await?;
    }
    gh.pull_request(title, body).await
}

struct Github<'a> {
    client: GithubClient,
    t: &'a PrTarget,
    /// `/repos/{owner}/{name}`.
    repo: String,
}

impl Github<'_> {
    async fn base_sha(&self) -> Result<String, PrError> {
        let doing = format!("reading branch {}", self.t.base);
        let route = format!("{}/git/ref/heads/{}", self.repo, self.t.base);
        let v = self.ok(&doing, Method::Get, &route, None).await?;
        v["object"]["sha"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.unexpected(&doing, "the ref has no object.sha"))
    }

    async fn reset_branch(&self, sha: &str) -> Result<(), PrError> {
        let branch = &self.t.branch;
        let doing = format!("creating branch {branch}");
        let route = format!("{}/git/ref/heads/{branch}", self.repo);
        let answer = self.call(&doing, Method::Get, &route, None).await?;
        if answer.status == 404 {
            let create = json!({ "ref": format!("refs/heads/{branch}"), "sha": sha });
            let route = format!("{}/git/refs", self.repo);
            self.ok(&doing, Method::Post, &route, Some(&create)).await?;
        } else {
            self.check(&doing, &answer)?;
            let update = json!({ "sha": sha, "force": true });
            let route = format!("{}/git/refs/heads/{branch}", self.repo);
            self.ok(
                &format!("resetting branch {branch}"),
                Method::Patch,
                &route,
                Some(&update),
            )
            .await?;
        }
        Ok(())
    }

    async fn put_file(&self, f: &PrFile, message: &str) -> Result<(), PrError> {
        let doing = format!("updating {}", f.path);
        let route = format!("{}/contents/{}", self.repo, encode_path(&f.path));
        let current = self
            .ok(
                &doing,
                Method::Get,
                &format!("{route}?ref={}", self.t.branch),
                None,
            )
            .await?;
        let sha = current["sha"]
            .as_str()
            .ok_or_else(|| self.unexpected(&doing, "the file has no sha (is it a directory?)"))?;
        let text = current["content"]
            .as_str()
            .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok());
        if text.as_deref() != Some(f.original.as_bytes()) {
            return Err(PrError::Outdated {
                path: f.path.clone(),
                base: self.t.base.clone(),
            });
        }
        let put = json!({
            "message": message,
            "content": base64::engine::general_purpose::STANDARD.encode(f.updated.as_bytes()),
            "sha": sha,
            "branch": self.t.branch,
        });
        self.ok(&doing, Method::Put, &route, Some(&put)).await?;
        Ok(())
    }

    async fn pull_request(&self, title: &str, body: &str) -> Result<Opened, PrError> {
        let doing = format!("opening the pull request from {}", self.t.branch);
        let route = format!(
            "{}/pulls?state=open&head={}:{}&per_page=100",
            self.repo, self.t.owner, self.t.branch
        );
        let list = self.ok(&doing, Method::Get, &route, None).await?;
        let open = list
            .as_array()
            .ok_or_else(|| self.unexpected(&doing, "the pull request list is not an array"))?
            .iter()
            .find(|p| p["head"]["ref"].as_str().is_none_or(|r| r == self.t.branch))
            .and_then(|p| p["number"].as_u64());
        let (answer, created) = match open {
            Some(n) => {
                let update = json!({ "title": title, "body": body });
                let route = format!("{}/pulls/{n}", self.repo);
                (
                    self.ok(&doing, Method::Patch, &route, Some(&update))
                        .await?,
                    false,
                )
            }
            None => {
                let create = json!({
                    "title": title,
                    "head": self.t.branch,
                    "base": self.t.base,
                    "body": body,
                    "maintainer_can_modify": true,
                });
                let route = format!("{}/pulls", self.repo);
                (
                    self.ok(&doing, Method::Post, &route, Some(&create)).await?,
                    true,
                )
            }
        };
        let number = answer["number"]
            .as_u64()
            .ok_or_else(|| self.unexpected(&doing, "the pull request has no number"))?;
        Ok(Opened {
            number,
            url: answer["html_url"].as_str().unwrap_or_default().to_string(),
            created,
        })
    }

    /// A call that must succeed (2xx).
    async fn ok(
        &self,
        doing: &str,
        method: Method,
        route: &str,
        body: Option<&Value>,
    ) -> Result<Value, PrError> {
        let answer = self.call(doing, method, route, body).await?;
        self.check(doing, &answer)?;
        Ok(answer.body)
    }

    fn check(&self, doing: &str, answer: &Answer) -> Result<(), PrError> {
        if answer.is_success() {
            return Ok(());
        }
        Err(PrError::Http {
            doing: doing.to_string(),
            status: answer.status,
            message: answer.message.clone(),
            hint: hint(answer.status, &self.t.base),
        })
    }

    async fn call(
        &self,
        doing: &str,
        method: Method,
        route: &str,
        body: Option<&Value>,
    ) -> Result<Answer, PrError> {
        self.client
            .call(method, route, body)
            .await
            .map_err(|e| match e {
                CallError::Network(reason) => PrError::Network {
                    doing: doing.to_string(),
                    reason,
                },
                CallError::NotJson(what) => self.unexpected(doing, &what),
            })
    }

    fn unexpected(&self, doing: &str, what: &str) -> PrError {
        PrError::Unexpected {
            doing: doing.to_string(),
            what: what.to_string(),
        }
    }
}

fn hint(status: u16, base: &str) -> String {
    match status {
        401 => "the token is invalid or expired; create a new one".into(),
        403 => {
            "the token may not write here; grant it contents: write and pull requests: write".into()
        }
        404 => format!(
            "not found: check --repo, --base {base}, --repo-path, and that the token can see the repository"
        ),
        409 => "the branch changed while we wrote it; run the command again".into(),
        422 => "GitHub refused the request; run the command again, or check the branch protection"
            .into(),
        _ => "check GitHub's status and the token's permissions".into(),
    }
}

/// Each path segment percent-encoded except unreserved characters.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_is_stable_and_safe() {
        let a = branch_name("prod/eu web", ["f2", "f1"]);
        assert_eq!(a, branch_name("prod/eu web", ["f1", "f2", "f1"]));
        assert!(a.starts_with("driftcost/drift-prod-eu-web-"), "{a}");
        assert_eq!(a.len(), "driftcost/drift-prod-eu-web-".len() + 8);
        assert_ne!(a, branch_name("prod/eu web", ["f1"]));
    }

    #[test]
    fn targets_are_checked() {
        assert!(PrTarget::new("https://api.github.com", "acme/infra", "main", "b").is_ok());
        assert!(matches!(
            PrTarget::new("https://api.github.com", "acme", "main", "b"),
            Err(PrError::BadRepo { .. })
        ));
        assert!(matches!(
            PrTarget::new("api.github.com", "acme/infra", "main", "b"),
            Err(PrError::BadApiUrl { .. })
        ));
        assert_eq!(
            encode_path("envs/prod web/main.tf"),
            "envs/prod%20web/main.tf"
        );
    }
}
