//! A compact description of a resource's attributes, from which both the terraform schema
//! and the "make this JSON object fit the schema" normalisation are derived, so the two
//! can never disagree.

use std::collections::{BTreeMap, HashMap};

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};
use tf_provider::value::ValueAny;

/// An object's attributes by name, as terraform sends and receives them.
pub type Obj = BTreeMap<String, ValueAny>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    String,
    Number,
    Bool,
    StringMap,
    StringList,
    /// `DynamicPseudoType` ("any"): terraform's state stores it as `{"value", "type"}`;
    /// over the wire (and in the object file) it is the pair `[type JSON, value]`.
    Any,
}

/// Who sets an attribute: the configuration, the provider, or either.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Required,
    Optional,
    Computed,
    OptionalComputed,
}

#[derive(Clone, Copy, Debug)]
pub struct Attr {
    pub name: &'static str,
    pub ty: Ty,
    pub mode: Mode,
    pub sensitive: bool,
    /// Changing it replaces the object, as with the real provider.
    pub force_new: bool,
}

/// A nested block, always a list (`max_items` 1 for the real provider's single blocks).
#[derive(Clone, Copy, Debug)]
pub struct BlockSpec {
    pub name: &'static str,
    pub max_items: Option<usize>,
    pub spec: &'static Spec,
}

#[derive(Debug)]
pub struct Spec {
    pub attrs: &'static [Attr],
    pub blocks: &'static [BlockSpec],
}

pub const fn attr(name: &'static str, ty: Ty, mode: Mode) -> Attr {
    Attr {
        name,
        ty,
        mode,
        sensitive: false,
        force_new: false,
    }
}

impl Attr {
    pub const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub const fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }
    pub fn is_computed(&self) -> bool {
        matches!(self.mode, Mode::Computed | Mode::OptionalComputed)
    }
}

impl Spec {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn schema(&self, description: &str) -> Schema {
        Schema {
            version: 0,
            block: self.block(description),
        }
    }

    fn block(&self, description: &str) -> Block {
        let attributes = self
            .attrs
            .iter()
            .map(|a| {
                let attr_type = match a.ty {
                    Ty::String => AttributeType::String,
                    Ty::Number => AttributeType::Number,
                    Ty::Bool => AttributeType::Bool,
                    Ty::StringMap => AttributeType::Map(Box::new(AttributeType::String)),
                    Ty::StringList => AttributeType::List(Box::new(AttributeType::String)),
                    Ty::Any => AttributeType::Any,
                };
                let constraint = match a.mode {
                    Mode::Required => AttributeConstraint::Required,
                    Mode::Optional => AttributeConstraint::Optional,
                    Mode::Computed => AttributeConstraint::Computed,
                    Mode::OptionalComputed => AttributeConstraint::OptionalComputed,
                };
                let attribute = Attribute {
                    attr_type,
                    description: Description::plain(a.name),
                    constraint,
                    sensitive: a.sensitive,
                    deprecated: false,
                };
                (a.name.to_string(), attribute)
            })
            .collect::<HashMap<_, _>>();
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                let inner = b.spec.block(b.name);
                let nested = match b.max_items {
                    Some(1) => NestedBlock::Optional(inner),
                    _ => NestedBlock::List(inner),
                };
                (b.name.to_string(), nested)
            })
            .collect();
        Block {
            version: 0,
            attributes,
            blocks,
            description: Description::plain(description),
            deprecated: false,
        }
    }

    /// Gives an object exactly the schema's keys: a hand-edited file may drop or add
    /// keys, and terraform rejects an object whose shape differs from the schema.
    pub fn normalize(&self, value: &ValueAny) -> Obj {
        let empty = Obj::new();
        let src = match value {
            ValueAny::Map(m) => m,
            _ => &empty,
        };
        let mut out = Obj::new();
        for a in self.attrs {
            out.insert(
                a.name.to_string(),
                src.get(a.name).cloned().unwrap_or(ValueAny::Null),
            );
        }
        for b in self.blocks {
            let items = match src.get(b.name) {
                Some(ValueAny::List(items)) => items
                    .iter()
                    .map(|item| ValueAny::Map(b.spec.normalize(item)))
                    .collect(),
                _ => Vec::new(),
            };
            out.insert(b.name.to_string(), ValueAny::List(items));
        }
        out
    }
}

/// Reads a known string attribute.
pub fn get_str<'a>(obj: &'a Obj, name: &str) -> Option<&'a str> {
    match obj.get(name) {
        Some(ValueAny::String(s)) => Some(s),
        _ => None,
    }
}

pub fn get_num(obj: &Obj, name: &str) -> Option<i64> {
    match obj.get(name) {
        Some(ValueAny::Number(n)) => Some(*n),
        _ => None,
    }
}

pub fn is_null(obj: &Obj, name: &str) -> bool {
    matches!(obj.get(name), None | Some(ValueAny::Null))
}

/// Sets an attribute only where neither the configuration nor an earlier state gave it one.
pub fn default(obj: &mut Obj, name: &str, value: ValueAny) {
    if is_null(obj, name) {
        obj.insert(name.to_string(), value);
    }
}

pub fn string(s: impl Into<String>) -> ValueAny {
    ValueAny::String(s.into())
}

/// Whether anything inside is still unknown (then values derived from it are too).
pub fn has_unknown(value: &ValueAny) -> bool {
    match value {
        ValueAny::Unknown => true,
        ValueAny::List(items) => items.iter().any(has_unknown),
        ValueAny::Map(m) => m.values().any(has_unknown),
        _ => false,
    }
}

/// Replaces every unknown by null: after apply terraform accepts no unknowns.
pub fn clear_unknown(value: &mut ValueAny) {
    match value {
        ValueAny::Unknown => *value = ValueAny::Null,
        ValueAny::List(items) => items.iter_mut().for_each(clear_unknown),
        ValueAny::Map(m) => m.values_mut().for_each(clear_unknown),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: Spec = Spec {
        attrs: &[attr("cidr_blocks", Ty::StringList, Mode::Optional)],
        blocks: &[],
    };
    const OUTER: Spec = Spec {
        attrs: &[
            attr("name", Ty::String, Mode::Required),
            attr("id", Ty::String, Mode::Computed),
        ],
        blocks: &[BlockSpec {
            name: "ingress",
            max_items: None,
            spec: &INNER,
        }],
    };

    #[test]
    fn normalize_fills_missing_keys_and_drops_unknown_ones() {
        let edited: ValueAny =
            serde_json::from_str(r#"{"name": "web", "extra": 1, "ingress": [{}]}"#).unwrap();
        let obj = OUTER.normalize(&edited);
        assert_eq!(
            obj.keys().collect::<Vec<_>>(),
            ["id", "ingress", "name"],
            "exactly the schema's keys"
        );
        assert_eq!(obj["id"], ValueAny::Null);
        let ValueAny::List(ingress) = &obj["ingress"] else {
            panic!("ingress is a list")
        };
        assert_eq!(
            ingress[0],
            ValueAny::Map([("cidr_blocks".to_string(), ValueAny::Null)].into())
        );
    }

    #[test]
    fn missing_block_list_becomes_empty() {
        let obj = OUTER.normalize(&ValueAny::Null);
        assert_eq!(obj["ingress"], ValueAny::List(vec![]));
    }

    #[test]
    fn unknowns_are_found_and_cleared_at_any_depth() {
        let mut v = ValueAny::Map(
            [(
                "tags".to_string(),
                ValueAny::Map([("a".to_string(), ValueAny::Unknown)].into()),
            )]
            .into(),
        );
        assert!(has_unknown(&v));
        clear_unknown(&mut v);
        assert!(!has_unknown(&v));
    }
}
