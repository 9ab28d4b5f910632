//! Keeping values terraform marks sensitive out of cost output.
//!
//! Resources are priced from their real values (an instance type marked
//! sensitive still selects its price row), then every text the estimate
//! shows (component names, units, price filters, notes, price-miss messages)
//! has each sensitive value replaced by [`HIDDEN`]. The values come from the
//! plan's `before_sensitive`/`after_sensitive` masks of every change, so a
//! value one resource reads from another (a launch template's instance type)
//! is hidden too.

use super::breakdown::{Breakdown, ProjectCost, ResourceCost};
use crate::plan::Plan;
use serde_json::Value;

/// What a sensitive value is shown as.
pub const HIDDEN: &str = "(sensitive)";

/// The note added to a resource whose shown text had a sensitive value removed.
pub(crate) const NOTE: &str =
    "a pricing attribute is marked sensitive: priced from its value, which is not shown";

/// The sensitive values of a plan, longest first (so a value containing a
/// shorter one is replaced whole).
#[derive(Debug, Default)]
pub(crate) struct Secrets {
    values: Vec<String>,
    /// All values at once: a text holding none (nearly every text) is
    /// passed in one scan, however many secrets the plan has.
    any: Option<aho_corasick::AhoCorasick>,
}

impl Secrets {
    pub(crate) fn of_plan(plan: &Plan) -> Secrets {
        let mut values = Vec::new();
        for rc in plan.resource_changes.iter().chain(&plan.resource_drift) {
            let c = &rc.change;
            for (v, m) in [
                (&c.before, &c.before_sensitive),
                (&c.after, &c.after_sensitive),
            ] {
                // Masks are small and mostly `{}`: only walk a value whose mask marks something.
                if let (Some(v), Some(m)) = (v, m)
                    && any_true(m)
                {
                    collect(v, m, false, &mut values);
                }
            }
        }
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        // Building fails only past the automaton's size limits; then every
        // text takes the token-by-token path.
        let any = aho_corasick::AhoCorasick::new(&values).ok();
        Secrets { values, any }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every sensitive value (as a whole token) replaced, or
    /// `None` when it holds none.
    pub(crate) fn scrub(&self, text: &str) -> Option<String> {
        if self.any.as_ref().is_some_and(|any| !any.is_match(text)) {
            return None;
        }
        let mut out: Option<String> = None;
        for secret in &self.values {
            let cur = out.as_deref().unwrap_or(text);
            if let Some(replaced) = replace_token(cur, secret) {
                out = Some(replaced);
            }
        }
        out
    }

    /// Scrubs a whole estimate in place.
    pub(crate) fn scrub_project(&self, p: &mut ProjectCost) {
        if self.is_empty() {
            return;
        }
        for b in [&mut p.past_breakdown, &mut p.breakdown, &mut p.diff] {
            self.scrub_breakdown(b);
        }
        for miss in &mut p.summary.price_not_found {
            self.scrub_in_place(&mut miss.component);
            self.scrub_in_place(&mut miss.message);
        }
    }

    fn scrub_breakdown(&self, b: &mut Breakdown) {
        for r in &mut b.resources {
            if self.scrub_resource(r) && !r.metadata.notes.iter().any(|n| n == NOTE) {
                r.metadata.notes.push(NOTE.to_string());
            }
        }
    }

    /// Whether anything was replaced.
    fn scrub_resource(&self, r: &mut ResourceCost) -> bool {
        let mut hit = false;
        for c in &mut r.cost_components {
            hit |= self.scrub_in_place(&mut c.name);
            hit |= self.scrub_in_place(&mut c.unit);
            for (_, v) in &mut c.price_filter.attributes {
                hit |= self.scrub_in_place(v);
            }
        }
        for n in &mut r.metadata.notes {
            hit |= self.scrub_in_place(n);
        }
        for s in &mut r.subresources {
            hit |= self.scrub_in_place(&mut s.name);
            hit |= self.scrub_resource(s);
        }
        hit
    }

    fn scrub_in_place(&self, text: &mut String) -> bool {
        match self.scrub(text) {
            Some(s) => {
                *text = s;
                true
            }
            None => false,
        }
    }
}

fn any_true(mask: &Value) -> bool {
    match mask {
        Value::Bool(b) => *b,
        Value::Object(m) => m.values().any(any_true),
        Value::Array(a) => a.iter().any(any_true),
        _ => false,
    }
}

static TRUE: Value = Value::Bool(true);
static NULL: Value = Value::Null;

/// Leaves of `value` under a `true` in `mask` (or under `inherited`).
fn collect(value: &Value, mask: &Value, inherited: bool, out: &mut Vec<String>) {
    let here = inherited || matches!(mask, Value::Bool(true));
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                let sub = if here {
                    &TRUE
                } else {
                    mask.get(k).unwrap_or(&NULL)
                };
                collect(v, sub, here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let sub = if here {
                    &TRUE
                } else {
                    mask.get(i).unwrap_or(&NULL)
                };
                collect(v, sub, here, out);
            }
        }
        Value::String(s) if here && !s.trim().is_empty() => out.push(s.clone()),
        Value::Number(n) if here => out.push(n.to_string()),
        _ => {}
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// `text` with whole-token occurrences of `secret` replaced by [`HIDDEN`].
fn replace_token(text: &str, secret: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    let mut from = 0;
    let mut hit = false;
    while let Some(pos) = text[from..].find(secret) {
        let start = from + pos;
        let end = start + secret.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c))
            || secret.chars().next().is_some_and(|c| !is_word(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !is_word(c))
            || secret.chars().next_back().is_some_and(|c| !is_word(c));
        if before_ok && after_ok {
            out.push_str(&text[last..start]);
            out.push_str(HIDDEN);
            last = end;
            hit = true;
            from = end;
        } else {
            from = start + secret.chars().next().map_or(1, char::len_utf8);
        }
    }
    hit.then(|| {
        out.push_str(&text[last..]);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_only() {
        assert_eq!(
            replace_token(
                "Instance usage (Linux/UNIX, on-demand, m5.xlarge)",
                "m5.xlarge"
            )
            .as_deref(),
            Some("Instance usage (Linux/UNIX, on-demand, (sensitive))")
        );
        assert_eq!(replace_token("xm5.xlarge", "m5.xlarge"), None);
        assert_eq!(replace_token("m5.xlarge.y", "m5.xlarge"), None);
        assert_eq!(
            replace_token("EBSOptimized:r3.xlarge", "r3.xlarge").as_deref(),
            Some("EBSOptimized:(sensitive)")
        );
    }

    #[test]
    fn values_under_a_true_mask_are_collected() {
        let mut out = Vec::new();
        collect(
            &serde_json::json!({"a": "x", "b": {"c": "y", "d": 5}, "e": ["z"], "f": "keep"}),
            &serde_json::json!({"a": true, "b": true, "e": [true], "f": false}),
            false,
            &mut out,
        );
        out.sort();
        assert_eq!(out, vec!["5", "x", "y", "z"]);
    }
}
