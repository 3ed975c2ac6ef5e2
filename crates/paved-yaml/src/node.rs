//! The positioned YAML tree.

use serde_json::Value;

/// A position in a source text. Line and column count from 1 (columns in
/// characters); `offset` is the byte offset, for tools that slice the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

/// A range in a source text: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    /// Length in bytes (never negative).
    pub fn len(&self) -> usize {
        self.end.offset.saturating_sub(self.start.offset)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A YAML value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// What a [`Node`] holds. Mappings keep their source order; keys are strings
/// (a scalar key such as `8080:` is kept as the text `8080`).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// One step of a path into a tree: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// What [`Node::walk`] calls for each node: its path, the node, and the key
/// span of the mapping entry it is the value of.
pub type Visit<'a> = dyn FnMut(&[Segment], &Node, Option<Span>) + 'a;

impl Node {
    /// The entry for `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The value at `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The node at `path`, if it exists.
    pub fn at(&self, path: &[Segment]) -> Option<&Node> {
        let mut node = self;
        for segment in path {
            node = match (segment, &node.kind) {
                (Segment::Key(key), NodeKind::Map(_)) => node.get(key)?,
                (Segment::Index(i), NodeKind::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Visit every node, parents first, with its path from `self`; a value of
    /// a mapping entry comes with the entry's key span.
    pub fn walk(&self, visit: &mut Visit<'_>) {
        fn go(node: &Node, key: Option<Span>, path: &mut Vec<Segment>, visit: &mut Visit<'_>) {
            visit(path, node, key);
            match &node.kind {
                NodeKind::Map(entries) => {
                    for e in entries {
                        path.push(Segment::Key(e.key.clone()));
                        go(&e.value, Some(e.key_span), path, visit);
                        path.pop();
                    }
                }
                NodeKind::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Segment::Index(i));
                        go(item, None, path, visit);
                        path.pop();
                    }
                }
                _ => {}
            }
        }
        go(self, None, &mut Vec::new(), visit);
    }

    /// The best span for a problem at `path`: the node itself when it exists, else
    /// the deepest ancestor that does. Points at the key when `key_of_last` is set
    /// and the last segment is a present key (for "unknown field" problems).
    pub fn span_at(&self, path: &[Segment], key_of_last: bool) -> Span {
        let mut node = self;
        for (i, segment) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            match (segment, &node.kind) {
                (Segment::Key(key), NodeKind::Map(_)) => match node.entry(key) {
                    Some(entry) if last && key_of_last => return entry.key_span,
                    Some(entry) => node = &entry.value,
                    None => return node.span,
                },
                (Segment::Index(i), NodeKind::Seq(items)) => match items.get(*i) {
                    Some(item) => node = item,
                    None => return node.span,
                },
                _ => return node.span,
            }
        }
        node.span
    }

    /// A short name of the node's type, for messages (`string`, `mapping`, ...).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Int(_) => "integer",
            NodeKind::Float(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Seq(_) => "list",
            NodeKind::Map(_) => "mapping",
        }
    }

    /// Deep merge `over` onto `self`, base first: mappings merge key by key
    /// (recursively); anything else in `over` replaces what is in `self`. Keys
    /// new in `over` come after the base's keys, in `over`'s order.
    pub fn merged(&self, over: &Node) -> Node {
        match (&self.kind, &over.kind) {
            (NodeKind::Map(base), NodeKind::Map(top)) => {
                let mut entries: Vec<Entry> = base.clone();
                // Large mappings are merged by an index of keys, so that
                // merging two of them (a hostile file) is not quadratic.
                let mut index: Option<std::collections::HashMap<String, usize>> = (base.len() + top.len() > 64)
                    .then(|| entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect());
                for entry in top {
                    let found = match &index {
                        Some(index) => index.get(&entry.key).copied(),
                        None => entries.iter().position(|e| e.key == entry.key),
                    };
                    match found {
                        Some(i) => {
                            let existing = &mut entries[i];
                            existing.value = existing.value.merged(&entry.value);
                            existing.key_span = entry.key_span;
                        }
                        None => {
                            if let Some(index) = &mut index {
                                index.insert(entry.key.clone(), entries.len());
                            }
                            entries.push(entry.clone());
                        }
                    }
                }
                Node { kind: NodeKind::Map(entries), span: over.span }
            }
            _ => over.clone(),
        }
    }

    /// The node as JSON data. Non-finite floats have no JSON form and become
    /// strings spelled as in YAML (`.inf`, `-.inf`, `.nan`), which schema
    /// validation then rejects by type, quoting what the author wrote.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or_else(|| {
                Value::String(
                    match (f.is_nan(), f.is_sign_negative()) {
                        (true, _) => ".nan",
                        (false, true) => "-.inf",
                        (false, false) => ".inf",
                    }
                    .into(),
                )
            }),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                Value::Object(entries.iter().map(|e| (e.key.clone(), e.value.to_json())).collect())
            }
        }
    }
}
