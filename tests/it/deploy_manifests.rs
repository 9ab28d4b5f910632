//! The deployment files under `deploy/` checked offline: the Kubernetes manifests (kinds,
//! image, real driftcost subcommands and flags, secrets from `Secret`s, probes on a
//! `/healthz` that `serve` really answers, resources, non-root), the Dockerfile, the
//! GitHub Action and the GitLab example (every `driftcost …` they run parses), and the
//! cost gate they share, on real `cost diff` output.

use serde::Deserialize;
use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn driftcost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

fn yaml_docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|d| Value::deserialize(d).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .filter(|v| !v.is_null())
        .collect()
}

fn manifests() -> Vec<(PathBuf, Value)> {
    let dir = root().join("deploy/kubernetes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no manifests in {}", dir.display());
    files
        .into_iter()
        .flat_map(|f| yaml_docs(&f).into_iter().map(move |d| (f.clone(), d)))
        .collect()
}

fn s<'a>(v: &'a Value, path: &str) -> &'a str {
    get(v, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not a string in {v:?}"))
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = v;
    for key in path.split('.') {
        cur = match key.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[key],
        };
    }
    cur
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|seq| {
            seq.iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    other => panic!("not a string: {other:?}"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `driftcost ARGS --help` succeeds: every subcommand and flag (and flag value clap
/// checks) in ARGS is real. Returns the help text of the deepest subcommand.
fn assert_real_invocation(args: &[String], what: &str) -> String {
    let mut with_help: Vec<&str> = args.iter().map(String::as_str).collect();
    with_help.push("--help");
    let out = driftcost(&with_help);
    assert!(
        out.status.success(),
        "{what}: `driftcost {}` is not a real invocation:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The subcommand path of ARGS (leading words), e.g. `["cost", "diff"]`.
fn subcommand_path(args: &[String]) -> Vec<String> {
    args.iter()
        .take_while(|a| !a.starts_with('-'))
        .cloned()
        .collect()
}

/// The Dockerfile's user id (its `USER uid:gid` line).
fn dockerfile_uid() -> i64 {
    let text = std::fs::read_to_string(root().join("deploy/Dockerfile")).unwrap();
    let user = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("USER "))
        .expect("USER in the Dockerfile");
    user.split(':').next().unwrap().trim().parse().unwrap()
}

/// name → keys of every Secret in the manifests.
fn secrets(docs: &[(PathBuf, Value)]) -> BTreeMap<String, BTreeSet<String>> {
    docs.iter()
        .filter(|(_, d)| s(d, "kind") == "Secret")
        .map(|(_, d)| {
            let mut keys = BTreeSet::new();
            for field in ["stringData", "data"] {
                if let Some(m) = d[field].as_mapping() {
                    keys.extend(m.keys().map(|k| k.as_str().unwrap().to_string()));
                }
            }
            (s(d, "metadata.name").to_string(), keys)
        })
        .collect()
}

/// Every job file in the manifests' ConfigMaps, by ConfigMap name.
fn job_configmaps(docs: &[(PathBuf, Value)]) -> BTreeMap<String, BTreeMap<String, String>> {
    docs.iter()
        .filter(|(_, d)| s(d, "kind") == "ConfigMap")
        .map(|(_, d)| {
            let files = d["data"]
                .as_mapping()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().unwrap().to_string(),
                        v.as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (s(d, "metadata.name").to_string(), files)
        })
        .collect()
}

/// Environment variable names a job file needs: `env = [...]` and every `*_env` field.
fn env_names_in_job_file(text: &str) -> BTreeSet<String> {
    fn walk(v: &toml::Value, out: &mut BTreeSet<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    match (k.as_str(), v) {
                        ("env", toml::Value::Array(a)) => {
                            out.extend(a.iter().filter_map(|x| x.as_str().map(String::from)));
                        }
                        (k, toml::Value::String(name)) if k.ends_with("_env") => {
                            out.insert(name.clone());
                        }
                        _ => walk(v, out),
                    }
                }
            }
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(&text.parse::<toml::Table>().unwrap().into(), &mut out);
    out
}

/// Names that hold secrets; they must come from a Secret, never a literal.
fn looks_secret(name: &str) -> bool {
    ["TOKEN", "SECRET", "PASSWORD", "KEY", "STORE", "WEBHOOK_URL"]
        .iter()
        .any(|w| name.contains(w))
}

struct Workload<'a> {
    file: &'a Path,
    kind: &'a str,
    pod: &'a Value,
}

fn workloads(docs: &[(PathBuf, Value)]) -> Vec<Workload<'_>> {
    docs.iter()
        .filter_map(|(f, d)| {
            let pod = match s(d, "kind") {
                "Deployment" => get(d, "spec.template.spec"),
                "CronJob" => get(d, "spec.jobTemplate.spec.template.spec"),
                _ => return None,
            };
            Some(Workload {
                file: f,
                kind: d["kind"].as_str().unwrap(),
                pod,
            })
        })
        .collect()
}

#[test]
fn manifests_have_known_kinds_and_the_workloads_we_promise() {
    let docs = manifests();
    let known: BTreeSet<(&str, &str)> = [
        ("v1", "Secret"),
        ("v1", "ConfigMap"),
        ("v1", "Service"),
        ("apps/v1", "Deployment"),
        ("batch/v1", "CronJob"),
    ]
    .into();
    for (file, d) in &docs {
        let pair = (s(d, "apiVersion"), s(d, "kind"));
        assert!(
            known.contains(&pair),
            "{}: unknown {pair:?}",
            file.display()
        );
        assert!(!s(d, "metadata.name").is_empty());
    }
    let kinds: Vec<&str> = workloads(&docs).iter().map(|w| w.kind).collect();
    assert!(
        kinds.contains(&"CronJob") && kinds.contains(&"Deployment"),
        "{kinds:?}"
    );
}

#[test]
fn workloads_run_real_driftcost_commands_the_right_way() {
    let docs = manifests();
    let secrets = secrets(&docs);
    let configmaps = job_configmaps(&docs);
    let uid = dockerfile_uid();
    let version = env!("CARGO_PKG_VERSION");
    let services: Vec<&Value> = docs
        .iter()
        .filter(|(_, d)| s(d, "kind") == "Service")
        .map(|(_, d)| d)
        .collect();
    for w in workloads(&docs) {
        let at = format!("{} {}", w.file.display(), w.kind);
        let pod = w.pod;
        // Non-root, as the image's user.
        assert_eq!(
            pod["securityContext"]["runAsNonRoot"],
            Value::Bool(true),
            "{at}"
        );
        assert_eq!(
            pod["securityContext"]["runAsUser"].as_i64(),
            Some(uid),
            "{at}"
        );
        if w.kind == "CronJob" {
            let policy = s(pod, "restartPolicy");
            assert!(policy == "Never" || policy == "OnFailure", "{at}");
        }
        let volumes: BTreeMap<String, &Value> = pod["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| (s(v, "name").to_string(), v))
            .collect();
        let containers = pod["containers"].as_sequence().unwrap();
        assert!(!containers.is_empty(), "{at}");
        for c in containers {
            let image = s(c, "image");
            let (repo, tag) = image.rsplit_once(':').unwrap_or((image, ""));
            assert!(repo.ends_with("/driftcost"), "{at}: image {image}");
            assert_eq!(tag, version, "{at}: image tag follows the crate version");
            if !c["command"].is_null() {
                assert_eq!(strings(&c["command"]), vec!["driftcost"], "{at}");
            }
            let args = strings(&c["args"]);
            let help = assert_real_invocation(&args, &at);
            let sub = subcommand_path(&args);
            match w.kind {
                "CronJob" => {
                    assert_eq!(sub, vec!["worker"], "{at}");
                    assert!(args.contains(&"--once".to_string()), "{at}");
                }
                "Deployment" => {
                    assert_eq!(sub, vec!["serve"], "{at}");
                    assert!(args.contains(&"--with-worker".to_string()), "{at}");
                }
                _ => unreachable!(),
            }

            // Environment: secrets by secretKeyRef to a Secret that has the key; every
            // DRIFTCOST_* variable is one the command reads.
            let mut env_names = BTreeSet::new();
            for e in c["env"].as_sequence().unwrap() {
                let name = s(e, "name");
                env_names.insert(name.to_string());
                let secret_ref = &e["valueFrom"]["secretKeyRef"];
                if looks_secret(name) {
                    assert!(e["value"].is_null(), "{at}: {name} is a literal");
                    assert!(!secret_ref.is_null(), "{at}: {name} not from a Secret");
                }
                if !secret_ref.is_null() {
                    let (sname, key) = (s(secret_ref, "name"), s(secret_ref, "key"));
                    assert!(
                        secrets.get(sname).is_some_and(|keys| keys.contains(key)),
                        "{at}: {name} from Secret {sname} key {key}, which the manifests do not define"
                    );
                }
                if name.starts_with("DRIFTCOST_") && name != "DRIFTCOST_LOG" {
                    assert!(
                        help.contains(name),
                        "{at}: `driftcost {}` does not read {name}",
                        sub.join(" ")
                    );
                }
            }
            assert!(env_names.contains("DRIFTCOST_STORE"), "{at}: no store");

            // Resources.
            for r in ["requests.cpu", "requests.memory", "limits.memory"] {
                assert!(
                    !get(&c["resources"], r).is_null(),
                    "{at}: resources.{r} not set"
                );
            }
            let sc = &c["securityContext"];
            assert_eq!(sc["allowPrivilegeEscalation"], Value::Bool(false), "{at}");

            // Mounts: every mount has a volume; the jobs ConfigMap exists, and its job
            // files' env names are all given to the container.
            let mut jobs_dir = None;
            for m in c["volumeMounts"].as_sequence().unwrap() {
                let v = volumes
                    .get(s(m, "name"))
                    .unwrap_or_else(|| panic!("{at}: mount {} has no volume", s(m, "name")));
                if let Some(cm) = v["configMap"]["name"].as_str() {
                    let files = configmaps
                        .get(cm)
                        .unwrap_or_else(|| panic!("{at}: ConfigMap {cm} not defined"));
                    for (file, text) in files {
                        for needed in env_names_in_job_file(text) {
                            assert!(
                                env_names.contains(&needed),
                                "{at}: {cm}/{file} needs {needed}, not set on the container"
                            );
                        }
                    }
                    jobs_dir = Some(s(m, "mountPath").to_string());
                }
            }
            let jobs_arg = args
                .iter()
                .position(|a| a == "--jobs")
                .map(|i| args[i + 1].clone());
            assert_eq!(jobs_arg, jobs_dir, "{at}: --jobs is the mounted ConfigMap");

            if w.kind == "Deployment" {
                let listen = args
                    .iter()
                    .position(|a| a == "--listen")
                    .map(|i| args[i + 1].clone())
                    .expect("--listen");
                let (host, port) = listen.rsplit_once(':').unwrap();
                assert_eq!(
                    host, "0.0.0.0",
                    "{at}: reachable from the kubelet and Service"
                );
                let port: i64 = port.parse().unwrap();
                let ports = c["ports"].as_sequence().unwrap();
                let named = ports
                    .iter()
                    .find(|p| p["containerPort"].as_i64() == Some(port))
                    .unwrap_or_else(|| panic!("{at}: no containerPort {port}"));
                let port_name = s(named, "name");
                for probe in ["livenessProbe", "readinessProbe"] {
                    let http = &c[probe]["httpGet"];
                    assert_eq!(s(http, "path"), "/healthz", "{at}: {probe}");
                    let p = &http["port"];
                    assert!(
                        p.as_i64() == Some(port) || p.as_str() == Some(port_name),
                        "{at}: {probe} on {p:?}, serve listens on {port}"
                    );
                }
                let svc = services
                    .iter()
                    .find(|svc| !svc["spec"]["selector"].is_null())
                    .expect("a Service for the Deployment");
                for sp in svc["spec"]["ports"].as_sequence().unwrap() {
                    let t = &sp["targetPort"];
                    assert!(
                        t.as_i64() == Some(port) || t.as_str() == Some(port_name),
                        "Service targetPort {t:?}, serve listens on {port}"
                    );
                }
            }
        }
    }
}

#[test]
fn configmap_job_files_pass_jobs_check() {
    let docs = manifests();
    for (name, files) in job_configmaps(&docs) {
        let dir = tempfile::tempdir().unwrap();
        for (file, text) in &files {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let out = driftcost(&["jobs", "check", dir.path().to_str().unwrap()]);
        assert!(
            out.status.success(),
            "ConfigMap {name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = String::new();
    stream.read_to_string(&mut buf).ok()?;
    Some(buf)
}

/// The Deployment's own arguments (on loopback, with a SQLite store and the ConfigMap's job
/// files, without the worker, which would reach out to git) serve what its probes ask for.
#[test]
fn the_deployment_serves_healthz_where_its_probes_look() {
    let docs = manifests();
    let w = workloads(&docs)
        .into_iter()
        .find(|w| w.kind == "Deployment")
        .unwrap();
    let c = &w.pod["containers"][0];
    let path = s(&c["livenessProbe"]["httpGet"], "path").to_string();
    let tmp = tempfile::tempdir().unwrap();
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    for (_, files) in job_configmaps(&docs) {
        for (file, text) in files {
            std::fs::write(jobs.join(file), text).unwrap();
        }
    }
    let port = free_port();
    let mut args = strings(&c["args"]);
    args.retain(|a| a != "--with-worker");
    for i in 0..args.len() {
        match args[i].as_str() {
            "--listen" => args[i + 1] = format!("127.0.0.1:{port}"),
            "--jobs" => args[i + 1] = jobs.display().to_string(),
            "--work-dir" => args[i + 1] = tmp.path().join("work").display().to_string(),
            _ => {}
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(&args)
        .env("DRIFTCOST_STORE", tmp.path().join("store.db"))
        .env_remove("DRIFTCOST_GITHUB_WEBHOOK_SECRET")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut answer = None;
    while Instant::now() < deadline {
        if let Some(a) = http_get(port, &path) {
            answer = Some(a);
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("serve exited {status}: {err}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.expect("serve answered within 30 s");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"ok\""), "{answer}");
}

/// Every line of a shell script that runs `driftcost …`, continuation lines joined.
fn driftcost_invocations(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "driftcost")?;
            // `command -v driftcost` and the like only name it.
            if at > 0 && matches!(words[at - 1], "-v" | "which" | "command") {
                return None;
            }
            Some(
                words[at + 1..]
                    .iter()
                    .take_while(|w| !matches!(**w, ">" | "|" | "&&" | ";" | ">>" | "||"))
                    .map(|w| w.trim_matches('"').to_string())
                    .collect(),
            )
        })
        .collect()
}

/// Subcommands and `--flags` of an invocation whose values are shell expressions exist.
fn assert_flags_exist(args: &[String], what: &str) {
    let sub = subcommand_path(args);
    let help = assert_real_invocation(&sub, what);
    for a in args.iter().filter(|a| a.starts_with("--")) {
        let flag = a.split('=').next().unwrap();
        assert!(
            help.contains(&format!("{flag} "))
                || help.contains(&format!("{flag}\n"))
                || help.contains(&format!("{flag}="))
                || help.contains(&format!("{flag} <")),
            "{what}: `driftcost {}` has no {flag}",
            sub.join(" ")
        );
    }
}

#[test]
fn the_github_action_is_composite_and_runs_real_commands() {
    let path = root().join("deploy/github-action/action.yml");
    let docs = yaml_docs(&path);
    let action = &docs[0];
    assert_eq!(s(action, "runs.using"), "composite");
    let inputs: BTreeSet<String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    for want in ["path", "github-token", "behavior", "max-monthly-increase"] {
        assert!(inputs.contains(want), "input {want}");
    }
    let text = std::fs::read_to_string(&path).unwrap();
    for used in text.split("${{ inputs.").skip(1) {
        let name = used.split([' ', '}']).next().unwrap();
        assert!(inputs.contains(name), "inputs.{name} is not declared");
    }
    let mut seen = Vec::new();
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        if let Some(run) = step["run"].as_str() {
            assert!(
                step["shell"].is_string(),
                "composite run steps need a shell"
            );
            for inv in driftcost_invocations(run) {
                assert_flags_exist(&inv, "action.yml");
                seen.push(subcommand_path(&inv).join(" "));
            }
        }
    }
    assert!(seen.contains(&"comment github".to_string()), "{seen:?}");
    assert!(seen.contains(&"cost diff".to_string()), "{seen:?}");
    // The gate script it calls is where it looks for it.
    assert!(text.contains("$GITHUB_ACTION_PATH/../ci/cost_gate.py"));
    assert!(root().join("deploy/ci/cost_gate.py").is_file());
}

#[test]
fn the_gitlab_example_runs_real_commands() {
    let path = root().join("deploy/gitlab/driftcost.gitlab-ci.yml");
    let docs = yaml_docs(&path);
    let ci = docs[0].as_mapping().unwrap();
    let mut seen = Vec::new();
    for (name, job) in ci {
        let Some(script) = job["script"].as_sequence() else {
            continue;
        };
        for line in script {
            for inv in driftcost_invocations(line.as_str().unwrap()) {
                assert_flags_exist(&inv, &format!("job {name:?}"));
                seen.push(subcommand_path(&inv).join(" "));
            }
        }
    }
    assert!(seen.contains(&"cost diff".to_string()), "{seen:?}");
    assert!(seen.contains(&"worker".to_string()), "{seen:?}");
}

#[test]
fn the_dockerfile_is_multi_stage_pinned_verified_and_non_root() {
    let text = std::fs::read_to_string(root().join("deploy/Dockerfile")).unwrap();
    let lines: Vec<String> = text
        .replace("\\\n", " ")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let froms: Vec<&String> = lines.iter().filter(|l| l.starts_with("FROM ")).collect();
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    for f in &froms {
        assert!(!f.contains(":latest"), "unpinned base image: {f}");
    }
    let arg = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("ARG {name}=")))
            .map(str::to_string)
    };
    for tool in ["TERRAFORM", "TOFU"] {
        let v = arg(&format!("{tool}_VERSION"))
            .unwrap_or_else(|| panic!("ARG {tool}_VERSION not pinned"));
        assert!(semver::Version::parse(&v).is_ok(), "{tool}_VERSION={v}");
        for arch in ["AMD64", "ARM64"] {
            let sum = arg(&format!("{tool}_SHA256_{arch}"))
                .unwrap_or_else(|| panic!("ARG {tool}_SHA256_{arch} not pinned"));
            assert!(
                sum.len() == 64 && sum.chars().all(|c| c.is_ascii_hexdigit()),
                "{tool}_SHA256_{arch}={sum:?} is not a SHA256"
            );
        }
    }
    assert!(
        text.contains("sha256sum -c"),
        "downloads are checked against SHA256"
    );
    // The last stage runs as a non-root user and starts driftcost.
    let last_from = lines.iter().rposition(|l| l.starts_with("FROM ")).unwrap();
    let last: Vec<&String> = lines[last_from..].iter().collect();
    let user = last
        .iter()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("USER in the runtime stage");
    assert_ne!(user.split(':').next(), Some("0"));
    assert_ne!(user.split(':').next(), Some("root"));
    assert!(last.iter().any(|l| *l == "ENTRYPOINT [\"driftcost\"]"));
    // Files copied from the build context exist; driftcost commands run in it are real.
    for l in &lines {
        if let Some(rest) = l.strip_prefix("COPY ") {
            if rest.starts_with("--from") || rest.starts_with(". ") {
                continue;
            }
            let src = rest.split_whitespace().next().unwrap();
            assert!(
                root().join(src).exists(),
                "COPY {src}: not in the repository"
            );
        }
        if l.starts_with("RUN ") {
            for inv in driftcost_invocations(l) {
                assert_flags_exist(&inv, "Dockerfile");
            }
        }
    }
    // `cargo build --locked` in the image needs a lock file that matches Cargo.toml.
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(root())
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Cargo.lock is stale (cargo build --locked fails): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The gate on real `cost diff` JSON: exact decimals, exit 2 above the limit.
#[test]
fn the_cost_gate_sums_real_reports_exactly() {
    let Ok(py) = which("python3") else {
        panic!("python3 is needed for deploy/ci/cost_gate.py");
    };
    let tmp = tempfile::tempdir().unwrap();
    // A plan that creates priced resources: the monthly bill rises.
    let plan = root().join("tests/fixtures/plan_compute_create.json");
    let report = tmp.path().join("r.json");
    let out = driftcost(&[
        "cost",
        "diff",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let diff: rust_decimal::Decimal = v["diffTotalMonthlyCost"].as_str().unwrap().parse().unwrap();
    assert!(diff > rust_decimal::Decimal::ZERO, "{diff}");
    let twice = diff * rust_decimal::Decimal::TWO;
    let gate = |limit: &str| {
        Command::new(&py)
            .arg(root().join("deploy/ci/cost_gate.py"))
            .arg(limit)
            .arg(&report)
            .arg(&report)
            .output()
            .unwrap()
    };
    // Exactly at the limit passes; a hair below the sum fails.
    let at = gate(&twice.to_string());
    assert_eq!(
        at.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&at.stderr)
    );
    let just_below = twice - rust_decimal::Decimal::new(1, 10);
    let over = gate(&just_below.to_string());
    assert_eq!(
        over.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&over.stdout)
    );
    let none = gate("none");
    assert_eq!(none.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&none.stdout).contains(&format!("total: +{twice}")));
    let bad = gate("lots");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'lots'"));
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|f| f.is_file())
        })
        .ok_or(())
}
