//! The emitter: JSON-shaped data to canonical block YAML.
//!
//! One function writes every byte of YAML paved produces, so output is
//! byte-identical run to run: mapping keys are sorted, indentation is two
//! spaces, sequences are indented under their key, and a string is written
//! plain only when no YAML 1.1 or 1.2 parser can read it as anything else.

use serde_json::Value;

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
    match value {
        Value::Object(map) if !map.is_empty() => write_map(map, 0, out),
        Value::Array(items) if !items.is_empty() => write_seq(items, 0, out),
        scalar => {
            write_scalar(scalar, out);
            out.push('\n');
        }
    }
}

fn indent(n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn sorted(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Write a non-empty mapping whose first key goes at the current position and
/// whose other keys are indented by `level` spaces.
fn write_map(map: &serde_json::Map<String, Value>, level: usize, out: &mut String) {
    for (i, (key, value)) in sorted(map).into_iter().enumerate() {
        if i > 0 {
            indent(level, out);
        }
        write_string(key, out);
        out.push(':');
        write_value_after_key(value, level, out);
    }
}

fn write_value_after_key(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            indent(level + 2, out);
            write_map(map, level + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            indent(level + 2, out);
            write_seq(items, level + 2, out);
        }
        scalar => {
            out.push(' ');
            write_scalar(scalar, out);
            out.push('\n');
        }
    }
}

/// Write a non-empty sequence whose first `- ` goes at the current position.
fn write_seq(items: &[Value], level: usize, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(level, out);
        }
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map(map, level + 2, out),
            Value::Array(inner) if !inner.is_empty() => write_seq(inner, level + 2, out),
            scalar => {
                write_scalar(scalar, out);
                out.push('\n');
            }
        }
    }
}

fn write_scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
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
