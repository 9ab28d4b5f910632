//! Ignore rules: which drift a workspace does not want to hear about.
//!
//! A rule is a glob (the `globset` crate) over a dotted string that names a
//! resource or one of its attributes, with `!` to re-include. Rules apply in
//! order and the **last matching rule wins**, as in `.gitignore`. Blank lines
//! and lines starting with `#` are skipped, so a rule file can be passed as is.
//!
//! Each resource is offered to the globs under three names; a rule matches if
//! it matches any of them:
//! - short: `type.name` (`aws_instance.web`), the same for every instance and
//!   every module that declares it;
//! - configuration: `module.net.aws_instance.web` (module path, no instance keys);
//! - full: the address with each `[key]` turned into a `.key` segment:
//!   `module.net.eu.aws_instance.web.0` for `module.net["eu"].aws_instance.web[0]`.
//!
//! An attribute appends its path in the same dotted form: `tags.Owner`,
//! `root_block_device.0.volume_size`. In a rule, `[0]`, `[*]` and `["Owner"]`
//! are rewritten to `.0`, `.*` and `.Owner` before compiling, so terraform's
//! notation works; any other `[...]` is a glob character class. `*` matches any
//! characters including dots (`*.*.tags_all.*` ignores every `tags_all` key).
//!
//! A rule that matches a resource (or a parent attribute) covers everything
//! below it: `aws_s3_bucket.logs` ignores the bucket whatever happened to it,
//! `aws_instance.*.tags` ignores every tag change, and a later
//! `!aws_instance.web.tags.Owner` brings one tag back.
//!
//! Rules from `lifecycle { ignore_changes = [...] }` (see [`super::lifecycle`])
//! come first, so a workspace rule can override them. They match attributes
//! only: `ignore_changes = all` hides attribute drift, not a deleted resource.

use super::DriftError;
use super::lifecycle::LifecycleIgnore;
use super::path::{Step, address_match_form, match_form, normalize_rule};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A compiled, ordered list of ignore rules.
#[derive(Debug, Clone)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
    set: GlobSet,
}

#[derive(Debug, Clone)]
struct Rule {
    text: String,
    negated: bool,
    from_lifecycle: bool,
}

impl Default for IgnoreRules {
    fn default() -> Self {
        IgnoreRules {
            rules: Vec::new(),
            set: GlobSet::empty(),
        }
    }
}

/// The names a resource is matched under (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    bases: Vec<String>,
}

impl Target {
    pub(crate) fn new(address: &str, resource_type: &str, name: &str) -> Self {
        let mut bases: Vec<String> = Vec::with_capacity(3);
        for base in [
            format!("{resource_type}.{name}"),
            address_match_form(address, false),
            address_match_form(address, true),
        ] {
            if !bases.contains(&base) {
                bases.push(base);
            }
        }
        Target { bases }
    }
}

impl IgnoreRules {
    /// Compiles the workspace's rules after the lifecycle-derived ones.
    pub fn new<S: AsRef<str>>(
        workspace_rules: &[S],
        lifecycle: &[LifecycleIgnore],
    ) -> Result<Self, DriftError> {
        let mut rules = Vec::new();
        let mut builder = GlobSetBuilder::new();
        for l in lifecycle {
            let pattern = l.glob();
            builder.add(compile(&pattern, &pattern)?);
            rules.push(Rule {
                text: format!(
                    "{} (lifecycle.ignore_changes in {})",
                    pattern,
                    l.file.display()
                ),
                negated: false,
                from_lifecycle: true,
            });
        }
        for raw in workspace_rules {
            let line = raw.as_ref().trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, body) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            builder.add(compile(&normalize_rule(body), line)?);
            rules.push(Rule {
                text: line.to_string(),
                negated,
                from_lifecycle: false,
            });
        }
        let set = builder.build().map_err(|e| DriftError::InvalidIgnoreRule {
            rule: "(rule set)".into(),
            message: e.to_string(),
        })?;
        Ok(IgnoreRules { rules, set })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether the whole resource is ignored (workspace rules only).
    pub(crate) fn resource_ignored(&self, target: &Target, seen: &mut [bool]) -> bool {
        self.decide(target.bases.iter().cloned(), false, seen)
    }

    /// Whether one attribute change is ignored.
    pub(crate) fn attribute_ignored(
        &self,
        target: &Target,
        steps: &[Step],
        seen: &mut [bool],
    ) -> bool {
        let candidates = target.bases.iter().flat_map(|base| {
            (0..=steps.len()).map(move |n| {
                if n == 0 {
                    base.clone()
                } else {
                    format!("{base}.{}", match_form(&steps[..n]))
                }
            })
        });
        self.decide(candidates, true, seen)
    }

    /// A fresh "has this rule matched" tracker for [`Self::unmatched`].
    pub(crate) fn tracker(&self) -> Vec<bool> {
        vec![false; self.rules.len()]
    }

    /// Workspace rules that matched nothing: likely typos or stale rules.
    pub(crate) fn unmatched(&self, seen: &[bool]) -> Vec<String> {
        self.rules
            .iter()
            .zip(seen)
            .filter(|(r, s)| !r.from_lifecycle && !**s)
            .map(|(r, _)| r.text.clone())
            .collect()
    }

    fn decide(
        &self,
        candidates: impl Iterator<Item = String>,
        attribute_level: bool,
        seen: &mut [bool],
    ) -> bool {
        if self.rules.is_empty() {
            return false;
        }
        let mut last: Option<usize> = None;
        let mut hits = Vec::new();
        for c in candidates {
            self.set.matches_into(c.as_str(), &mut hits);
            for &i in &hits {
                if self.rules[i].from_lifecycle && !attribute_level {
                    continue;
                }
                seen[i] = true;
                last = Some(last.map_or(i, |l| l.max(i)));
            }
        }
        last.is_some_and(|i| !self.rules[i].negated)
    }
}

fn compile(pattern: &str, original: &str) -> Result<globset::Glob, DriftError> {
    GlobBuilder::new(pattern)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map_err(|e| DriftError::InvalidIgnoreRule {
            rule: original.to_string(),
            message: e.kind().to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Step {
        Step::Key(s.into())
    }

    fn rules(r: &[&str]) -> IgnoreRules {
        IgnoreRules::new(r, &[]).unwrap()
    }

    #[test]
    fn attribute_and_resource_rules_with_negation() {
        let r = rules(&[
            "aws_instance.*.tags.LastScanned",
            "*.*.tags_all.*",
            "aws_s3_bucket.logs",
            "aws_instance.web.tags",
            "!aws_instance.web.tags.Owner",
            "aws_nothing.here",
        ]);
        let mut seen = r.tracker();
        let web = Target::new("aws_instance.web[0]", "aws_instance", "web");
        let logs = Target::new("module.a.aws_s3_bucket.logs", "aws_s3_bucket", "logs");
        let db = Target::new("aws_db_instance.main", "aws_db_instance", "main");
        assert!(r.attribute_ignored(&web, &[k("tags"), k("LastScanned")], &mut seen));
        assert!(r.attribute_ignored(&web, &[k("tags"), k("Team")], &mut seen));
        assert!(!r.attribute_ignored(&web, &[k("tags"), k("Owner")], &mut seen));
        assert!(r.attribute_ignored(&db, &[k("tags_all"), k("x")], &mut seen));
        assert!(!r.attribute_ignored(&db, &[k("tags"), k("x")], &mut seen));
        assert!(r.resource_ignored(&logs, &mut seen));
        assert!(!r.resource_ignored(&web, &mut seen));
        assert_eq!(r.unmatched(&seen), vec!["aws_nothing.here".to_string()]);
    }

    #[test]
    fn module_and_index_forms() {
        let r = rules(&[
            "module.net.aws_security_group.*.ingress[*].cidr_blocks",
            "module.net.eu.aws_instance.web.0",
        ]);
        let mut seen = r.tracker();
        let sg = Target::new(
            "module.net[\"eu\"].aws_security_group.web",
            "aws_security_group",
            "web",
        );
        assert!(r.attribute_ignored(
            &sg,
            &[
                k("ingress"),
                Step::Index(0),
                k("cidr_blocks"),
                Step::Index(1)
            ],
            &mut seen
        ));
        let i0 = Target::new(
            "module.net[\"eu\"].aws_instance.web[0]",
            "aws_instance",
            "web",
        );
        let i1 = Target::new(
            "module.net[\"eu\"].aws_instance.web[1]",
            "aws_instance",
            "web",
        );
        assert!(r.resource_ignored(&i0, &mut seen));
        assert!(!r.resource_ignored(&i1, &mut seen));
    }

    #[test]
    fn comments_blank_lines_and_bad_globs() {
        let r = rules(&["# comment", "", "  "]);
        assert!(r.is_empty());
        let err = IgnoreRules::new(&["aws_instance.{web"], &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("aws_instance.{web"), "{err}");
    }
}
