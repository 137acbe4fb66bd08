//! A parsed JSON or TOML value: just the shapes redline reads. Both texts are read into this one
//! small type (by `serde_json` and [`crate::toml`]) because every deserialisation target costs the
//! wasm its own code, and `serde_json::Value` costs more than this.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value of a JSON or TOML document. TOML's keys and strings are borrowed from the text where
/// they hold no escape: a configuration of thousands of profiles is read without a copy of each.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Integer(i64),
    /// A number with a fraction, or too large for an `i64`; redline reads none.
    Float,
    Text(Cow<'a, str>),
    List(Vec<Node<'a>>),
    Table(Table<'a>),
}

/// The entries of a table, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table<'a>(pub Vec<(Cow<'a, str>, Node<'a>)>);

impl<'a> Table<'a> {
    /// The value of `key`; the last one where a (JSON) text repeats it, as JavaScript reads it.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &Cow<'a, str>> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl Node<'_> {
    /// How a message names the kind of value.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Integer(_) | Node::Float => "a number",
            Node::Text(_) => "a string",
            Node::List(_) => "an array",
            Node::Table(_) => "a table",
        }
    }
}

// JSON's strings are copied (serde's borrowing visitors would cost the wasm more than the copies of
// a page's few signals cost in time).
impl<'de> Deserialize<'de> for Node<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node<'static>, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'static>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON or TOML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'static>, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'static>, E> {
        Ok(Node::Integer(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'static>, E> {
        Ok(i64::try_from(value).map_or(Node::Float, Node::Integer))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node<'static>, E> {
        Ok(Node::Float)
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'static>, E> {
        Ok(Node::Text(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'static>, E> {
        Ok(Node::Text(Cow::Owned(value)))
    }

    fn visit_unit<E>(self) -> Result<Node<'static>, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node<'static>, E> {
        Ok(Node::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Node<'static>, A::Error> {
        let mut list = Vec::new();
        while let Some(item) = items.next_element()? {
            list.push(item);
        }
        Ok(Node::List(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Node<'static>, A::Error> {
        let mut table = Vec::new();
        while let Some((key, value)) = entries.next_entry::<String, Node>()? {
            table.push((Cow::Owned(key), value));
        }
        Ok(Node::Table(Table(table)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_toml_alike() {
        let json: Node =
            serde_json::from_str(r#"{"a": [1, "x", true, null, 1.5], "b": {"c": 18446744073709551615}, "a": 2}"#)
                .unwrap();
        let Node::Table(table) = &json else { panic!("{json:?}") };
        assert_eq!(table.get("a"), Some(&Node::Integer(2)), "the last repeated key wins, as in JavaScript");
        assert_eq!(table.keys().count(), 3);
        let toml = crate::config::toml::parse("a = [1, 2]\n[b]\nc = \"d\"\n").unwrap();
        let Node::Table(table) = &toml else { panic!("{toml:?}") };
        assert_eq!(table.get("a"), Some(&Node::List(vec![Node::Integer(1), Node::Integer(2)])));
        assert_eq!(table.get("b").map(Node::kind), Some("a table"));
    }
}
