//! The emitter: JSON-shaped data to canonical block YAML.
//!
//! One function writes every byte of YAML paved produces, so output is
//! byte-identical run to run: mapping keys are sorted, indentation is two
//! spaces, sequences are indented under their key, and a string is written
//! plain only when no YAML 1.1 or 1.2 parser can read it as anything else.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Ways a caller can bend the emitter for another consumer of the text (Helm
/// chart templates), without the emitter knowing about it.
pub trait Hooks {
    /// Text to write verbatim in place of `map` (a marker the caller put in
    /// the data), or `None` to emit the map as usual.
    fn raw(&self, map: &Map<String, Value>) -> Option<String> {
        let _ = map;
        None
    }

    /// Rewrite the text of a scalar as emitted (already quoted as YAML).
    fn scalar<'a>(&self, text: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(text)
    }
}

/// No hooks: plain YAML.
struct Plain;

impl Hooks for Plain {}

/// A whole stream: each document starts with `---`.
pub fn emit_documents<'a>(docs: impl IntoIterator<Item = &'a Value>) -> String {
    let mut out = String::new();
    for doc in docs {
        out.push_str("---\n");
        emit_to(doc, &mut out);
    }
    out
}

/// One document, without a leading `---`.
pub fn emit(value: &Value) -> String {
    let mut out = String::new();
    emit_to(value, &mut out);
    out
}

/// Append one document to `out`, ending with a newline.
pub fn emit_to(value: &Value, out: &mut String) {
    emit_with(value, out, &Plain);
}

/// Append one document to `out`, with `hooks`.
pub fn emit_with(value: &Value, out: &mut String, hooks: &dyn Hooks) {
    let mut w = Writer { out, hooks };
    match value {
        Value::Object(map) if w.hooks.raw(map).is_none() && !map.is_empty() => w.map(map, 0),
        Value::Array(items) if !items.is_empty() => w.seq(items, 0),
        scalar => {
            w.scalar(scalar);
            w.out.push('\n');
        }
    }
}

struct Writer<'a> {
    out: &'a mut String,
    hooks: &'a dyn Hooks,
}

fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

impl Writer<'_> {
    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    /// Whether a value is written on the line of its key (scalars, empty
    /// collections, and maps the hooks replace).
    fn is_inline(&self, value: &Value) -> bool {
        match value {
            Value::Object(map) => map.is_empty() || self.hooks.raw(map).is_some(),
            Value::Array(items) => items.is_empty(),
            _ => true,
        }
    }

    /// Write a non-empty mapping whose first key goes at the current position
    /// and whose other keys are indented by `level` spaces.
    fn map(&mut self, map: &Map<String, Value>, level: usize) {
        for (i, (key, value)) in sorted(map).into_iter().enumerate() {
            if i > 0 {
                self.indent(level);
            }
            self.string(key);
            self.out.push(':');
            self.after_key(value, level);
        }
    }

    fn after_key(&mut self, value: &Value, level: usize) {
        if self.is_inline(value) {
            self.out.push(' ');
            self.scalar(value);
            self.out.push('\n');
            return;
        }
        self.out.push('\n');
        self.indent(level + 2);
        match value {
            Value::Object(map) => self.map(map, level + 2),
            Value::Array(items) => self.seq(items, level + 2),
            _ => {}
        }
    }

    /// Write a non-empty sequence whose first `- ` goes at the current position.
    fn seq(&mut self, items: &[Value], level: usize) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.indent(level);
            }
            self.out.push_str("- ");
            if self.is_inline(item) {
                self.scalar(item);
                self.out.push('\n');
                continue;
            }
            match item {
                Value::Object(map) => self.map(map, level + 2),
                Value::Array(inner) => self.seq(inner, level + 2),
                _ => {}
            }
        }
    }

    fn scalar(&mut self, value: &Value) {
        let start = self.out.len();
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Number(n) => self.out.push_str(&n.to_string()),
            Value::String(s) => write_string(s, self.out),
            Value::Object(map) => match self.hooks.raw(map) {
                Some(raw) => {
                    self.out.push_str(&raw);
                    return;
                }
                None => self.out.push_str("{}"),
            },
            Value::Array(_) => self.out.push_str("[]"),
        }
        self.rewrite_from(start);
    }

    fn string(&mut self, s: &str) {
        let start = self.out.len();
        write_string(s, self.out);
        self.rewrite_from(start);
    }

    /// Let the hooks rewrite the scalar just written (from `start`); written
    /// in place, so plain YAML allocates nothing per scalar.
    fn rewrite_from(&mut self, start: usize) {
        if let Cow::Owned(text) = self.hooks.scalar(&self.out[start..]) {
            self.out.truncate(start);
            self.out.push_str(&text);
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        write_double_quoted(s, out);
    }
}

/// Whether `s` can be written unquoted and still read back as the same string
/// by YAML 1.1 and YAML 1.2 parsers. Deliberately conservative: anything in
/// doubt is quoted.
fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    // Only a small set of characters, and never a space or a flow/comment indicator.
    let charset =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-' | b'@' | b'+' | b'=' | b':');
    if !bytes.iter().all(|&b| charset(b)) {
        return false;
    }
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'/') {
        // Starts with a digit, sign, dot or indicator: numbers, dates, `-`, `:`...
        // Allowed only when it cannot be numeric, which is hard to prove in
        // YAML 1.1 (sexagesimal `1:20`, `1_000`, `0b1`, dates): quote it.
        return false;
    }
    // `:` is a mapping indicator at the end; `key:value` is fine in block context
    // but some parsers disagree, so only allow it before a character that is not a space
    // and never at the end.
    if s.ends_with(':') || s.starts_with('/') && s.contains("//") {
        return false;
    }
    // YAML 1.1 booleans and nulls in any case (`Yes`, `OFF`, `y`, `N`, `Null`, `~`).
    let lower = s.to_ascii_lowercase();
    !matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "nan" | "inf")
        && s != "="
}

fn write_double_quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Characters YAML does not allow raw in a double-quoted scalar, or that some
/// parsers treat as line breaks.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
    )
}
