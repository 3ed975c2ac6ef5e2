//! The loader: saphyr's event stream to a positioned [`Node`] tree.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as RawSpan, Tag};

use crate::node::{Entry, Node, NodeKind, Pos, Span};

/// Bounds that keep hostile input from exhausting memory or the stack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How deep mappings and sequences may nest.
    pub max_depth: usize,
    /// How many nodes a document may hold in all, counting every node an alias
    /// copies (this is what stops a "billion laughs" alias bomb).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 64, max_nodes: 100_000 }
    }
}

/// Why a text could not be loaded, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LoadError {
    pub message: String,
    pub span: Span,
    pub hint: Option<String>,
}

/// Load a text that must hold exactly one YAML document (an empty text is an
/// error: there is nothing to read).
pub fn load_one(source: &str, limits: Limits) -> Result<Node, LoadError> {
    let (node, mut problems) = load_one_lenient(source, limits)?;
    match problems.is_empty() {
        true => Ok(node),
        false => Err(problems.remove(0)),
    }
}

/// Like [`load_one`], but problems that leave the tree readable (a duplicate
/// key: the first value is kept) are returned beside it instead of ending the
/// load, so a caller can report them together with everything else.
pub fn load_one_lenient(source: &str, limits: Limits) -> Result<(Node, Vec<LoadError>), LoadError> {
    let (mut docs, problems) = load_stream(source, limits)?;
    match docs.len() {
        0 => Err(LoadError { message: "the file is empty".into(), span: Span::default(), hint: None }),
        1 => Ok((docs.remove(0), problems)),
        _ => {
            // Point at the `---` that starts the second document.
            let second = docs[1].span;
            let before = source.get(..second.start.offset).unwrap_or_default();
            let lines = LineIndex::new(source);
            let span = match before.rfind("---") {
                Some(at) => Span { start: lines.pos_of_offset(at), end: lines.pos_of_offset(at + 3) },
                None => second,
            };
            Err(LoadError {
                message: "the file holds more than one YAML document".into(),
                span,
                hint: Some(
                    "keep one document per file: remove the `---` and what follows, or move it to a file of its own"
                        .into(),
                ),
            })
        }
    }
}

/// Load every document of a YAML stream. Documents that hold nothing but
/// comments or a bare `null` are skipped.
pub fn load_all(source: &str, limits: Limits) -> Result<Vec<Node>, LoadError> {
    let (docs, mut problems) = load_stream(source, limits)?;
    match problems.is_empty() {
        true => Ok(docs),
        false => Err(problems.remove(0)),
    }
}

/// [`load_all`] without positions, for text paved made itself (template
/// output), where only the data matters: every span is empty, which saves
/// a large render about a tenth of its time. On an error, load again with
/// [`load_all`] to learn where it is.
pub fn load_all_unpositioned(source: &str, limits: Limits) -> Result<Vec<Node>, LoadError> {
    let (docs, mut problems) = load_stream_with(source, limits, false)?;
    match problems.is_empty() {
        true => Ok(docs),
        false => Err(problems.remove(0)),
    }
}

fn load_stream(source: &str, limits: Limits) -> Result<(Vec<Node>, Vec<LoadError>), LoadError> {
    load_stream_with(source, limits, true)
}

fn load_stream_with(source: &str, limits: Limits, positions: bool) -> Result<(Vec<Node>, Vec<LoadError>), LoadError> {
    let mut loader = Loader {
        lines: LineIndex::new(if positions { source } else { "" }),
        positions,
        limits,
        anchors: HashMap::new(),
        nodes: 0,
        aliased: false,
        soft: Vec::new(),
    };
    let mut parser = Parser::new_from_str(source);
    let mut docs = Vec::new();
    loop {
        let (event, _) = loader.next(&mut parser)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                loader.anchors.clear();
                loader.nodes = 0;
                let (event, span) = loader.next(&mut parser)?;
                let node = match event {
                    Event::DocumentEnd => None,
                    other => Some(loader.node(&mut parser, other, span, 0)?),
                };
                if node.is_some() {
                    let (end, span) = loader.next(&mut parser)?;
                    if !matches!(end, Event::DocumentEnd) {
                        return Err(loader.error("expected the end of the document", span));
                    }
                }
                if let Some(node) = node.filter(|n| n.kind != NodeKind::Null) {
                    docs.push(node);
                }
            }
            _ => {}
        }
    }
    Ok((docs, loader.soft))
}

struct Loader<'s> {
    lines: LineIndex<'s>,
    /// Whether spans are computed (see [`load_all_unpositioned`]).
    positions: bool,
    limits: Limits,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    /// Whether an alias was expanded (for the hint when there are too many values).
    aliased: bool,
    /// Problems that leave the tree readable.
    soft: Vec<LoadError>,
}

impl Loader<'_> {
    fn next<'a>(&self, parser: &mut Parser<'a, impl saphyr_parser::Input>) -> Result<(Event<'a>, RawSpan), LoadError> {
        match parser.next_event() {
            Some(Ok(pair)) => Ok(pair),
            Some(Err(e)) => {
                let m = *e.marker();
                let pos = self.lines.pos(m.line(), m.col());
                // The scanner counts open flow collections (`[`, `{`) itself
                // and gives up past 255, before any event reaches `node`.
                if e.info().contains("recursion limit") {
                    return Err(self.too_deep(Span { start: pos, end: pos }));
                }
                Err(self.lines.explain(e.info(), pos))
            }
            None => Err(LoadError { message: "unexpected end of input".into(), span: Span::default(), hint: None }),
        }
    }

    fn span(&self, raw: RawSpan) -> Span {
        if !self.positions {
            return Span::default();
        }
        Span {
            start: self.lines.pos(raw.start.line(), raw.start.col()),
            end: self.lines.pos(raw.end.line(), raw.end.col()),
        }
    }

    fn too_deep(&self, span: Span) -> LoadError {
        LoadError {
            message: format!("values are nested more than {} levels deep", self.limits.max_depth),
            span,
            hint: Some("paved's files nest a few levels at most; check the indentation and the brackets".into()),
        }
    }

    fn error(&self, message: impl Into<String>, raw: RawSpan) -> LoadError {
        LoadError { message: message.into(), span: self.span(raw), hint: None }
    }

    fn count(&mut self, n: usize, raw: RawSpan) -> Result<(), LoadError> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(LoadError {
                message: format!("the document has more than {} values", self.limits.max_nodes),
                span: self.span(raw),
                hint: Some(match self.aliased {
                    true => "aliases (`*name`) count every value they copy; this looks like an alias bomb".into(),
                    false => {
                        "paved's files hold a few hundred values at most; check that this is the file you meant".into()
                    }
                }),
            });
        }
        Ok(())
    }

    fn check_tag(&self, tag: &Option<Cow<'_, Tag>>, expected: &[&str], raw: RawSpan) -> Result<(), LoadError> {
        let Some(tag) = tag else { return Ok(()) };
        if tag.is_yaml_core_schema() && expected.contains(&tag.suffix.as_str()) {
            return Ok(());
        }
        // As written: `!!python/object`, not `tag:yaml.org,2002:python/object`.
        let shown = match tag.handle.as_str() {
            "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
            _ => tag.to_string(),
        };
        Err(LoadError {
            message: format!("the tag `{shown}` is not allowed here"),
            span: self.span(raw),
            hint: Some("paved reads plain data; remove the tag".into()),
        })
    }

    fn node<'a>(
        &mut self,
        parser: &mut Parser<'a, impl saphyr_parser::Input>,
        event: Event<'a>,
        raw: RawSpan,
        depth: usize,
    ) -> Result<Node, LoadError> {
        if depth > self.limits.max_depth {
            return Err(self.too_deep(self.span(raw)));
        }
        let (node, anchor) = match event {
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(self.error("unknown alias", raw));
                };
                let (mut node, size) = (node.clone(), *size);
                self.aliased = true;
                self.count(size, raw)?;
                node.span = self.span(raw);
                return Ok(node);
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, raw)?;
                let kind = self.scalar(&text, style, &tag, raw)?;
                (Node { kind, span: self.span(raw) }, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                self.check_tag(&tag, &["seq"], raw)?;
                self.count(1, raw)?;
                let mut items = Vec::new();
                let end = loop {
                    let (event, span) = self.next(parser)?;
                    if let Event::SequenceEnd = event {
                        break span;
                    }
                    items.push(self.node(parser, event, span, depth + 1)?);
                };
                let span = Span { start: self.span(raw).start, end: self.span(end).end };
                (Node { kind: NodeKind::Seq(items), span }, anchor)
            }
            Event::MappingStart(anchor, tag) => {
                self.check_tag(&tag, &["map"], raw)?;
                self.count(1, raw)?;
                let mut entries: Vec<Entry> = Vec::new();
                // Where each key is: a short search in a small mapping; an
                // index past SMALL_MAP keys (a search per key would be
                // quadratic in a hostile mapping).
                let mut seen: HashMap<String, usize> = HashMap::new();
                let find =
                    |entries: &[Entry], seen: &HashMap<String, usize>, key: &str| match entries.len() <= SMALL_MAP {
                        true => entries.iter().position(|e| e.key == key),
                        false => seen.get(key).copied(),
                    };
                let end = loop {
                    let (event, key_raw) = self.next(parser)?;
                    if let Event::MappingEnd = event {
                        break key_raw;
                    }
                    let merge_key = matches!(&event, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let key_node = self.node(parser, event, key_raw, depth + 1)?;
                    let key = match key_node.kind {
                        NodeKind::String(s) => s,
                        NodeKind::Int(i) => i.to_string(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Float(f) => f.to_string(),
                        NodeKind::Null => "null".into(),
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            return Err(LoadError {
                                message: "a key must be a plain string".into(),
                                span: key_node.span,
                                hint: None,
                            });
                        }
                    };
                    if merge_key {
                        return Err(LoadError {
                            message: "merge keys (`<<`) are not supported".into(),
                            span: key_node.span,
                            hint: Some("write the keys out; environment differences go under `environments`".into()),
                        });
                    }
                    let (event, span) = self.next(parser)?;
                    let value = self.node(parser, event, span, depth + 1)?;
                    if let Some(first) = find(&entries, &seen, &key).map(|i| &entries[i]) {
                        self.soft.push(LoadError {
                            message: format!("duplicate key `{key}`"),
                            span: key_node.span,
                            hint: Some(format!(
                                "`{key}` is already set at line {}; keep one",
                                first.key_span.start.line
                            )),
                        });
                        continue;
                    }
                    entries.push(Entry { key, key_span: key_node.span, value });
                    match entries.len().cmp(&(SMALL_MAP + 1)) {
                        std::cmp::Ordering::Less => {}
                        std::cmp::Ordering::Equal => {
                            seen.extend(entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)));
                        }
                        std::cmp::Ordering::Greater => {
                            seen.insert(entries[entries.len() - 1].key.clone(), entries.len() - 1);
                        }
                    }
                };
                let span = Span { start: self.span(raw).start, end: self.span(end).end };
                (Node { kind: NodeKind::Map(entries), span }, anchor)
            }
            _ => return Err(self.error("unexpected YAML event", raw)),
        };
        if anchor != 0 {
            let size = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Ok(node)
    }

    fn scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: &Option<Cow<'_, Tag>>,
        raw: RawSpan,
    ) -> Result<NodeKind, LoadError> {
        if let Some(tag) = tag {
            self.check_tag(&Some(tag.clone()), &["str", "int", "float", "bool", "null"], raw)?;
            let resolved = resolve_plain(text);
            let ok = match tag.suffix.as_str() {
                "str" => return Ok(NodeKind::String(text.to_owned())),
                "int" => matches!(resolved, NodeKind::Int(_)),
                "float" => matches!(resolved, NodeKind::Float(_) | NodeKind::Int(_)),
                "bool" => matches!(resolved, NodeKind::Bool(_)),
                _ => matches!(resolved, NodeKind::Null),
            };
            if !ok {
                return Err(self.error(format!("`{text}` is not a valid `{tag}`"), raw));
            }
            return Ok(match (tag.suffix.as_str(), resolved) {
                ("float", NodeKind::Int(i)) => NodeKind::Float(i as f64),
                (_, kind) => kind,
            });
        }
        Ok(match style {
            ScalarStyle::Plain => resolve_plain(text),
            _ => NodeKind::String(text.to_owned()),
        })
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|e| 1 + count_nodes(&e.value)).sum::<usize>(),
        _ => 1,
    }
}

/// Resolve a plain scalar by the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return NodeKind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    if let Some(kind) = resolve_int(text) {
        return kind;
    }
    if is_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return NodeKind::Float(f);
        }
    }
    NodeKind::String(text.to_owned())
}

fn resolve_int(text: &str) -> Option<NodeKind> {
    let (radix, digits, negative) = if let Some(rest) = text.strip_prefix("0o") {
        (8, rest, false)
    } else if let Some(rest) = text.strip_prefix("0x") {
        (16, rest, false)
    } else {
        let (negative, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        (10, digits, negative)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(v) => NodeKind::Int(if negative { -v } else { v }),
        // Too large for i64: keep the magnitude as a float, as JSON would.
        Err(_) => {
            let f = digits.parse::<f64>().unwrap_or(f64::INFINITY);
            NodeKind::Float(if negative { -f } else { f })
        }
    })
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - start;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// The last `[` or `{` opened on an earlier line and not closed before
/// `text` ends (quotes and comments skipped), with its byte offset. Flow
/// collections spanning lines are rare in hand-written files; an unclosed one
/// is a common typo.
fn unclosed_bracket(text: &str) -> Option<(char, usize)> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut offset = 0;
    let last_line_start = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
    for line in text.split_inclusive('\n') {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' if matches!(previous, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                    '#' if previous == ' ' || i == 0 => break,
                    '[' | '{' => stack.push((c, offset + i)),
                    ']' | '}' => {
                        stack.pop();
                    }
                    _ => {}
                },
            }
            previous = c;
        }
        offset += line.len();
    }
    stack.last().copied().filter(|(_, at)| *at < last_line_start)
}

/// Mappings up to this many keys find duplicates by searching their entries.
const SMALL_MAP: usize = 16;

/// Characters between two checkpoints of a long line.
const STRIDE: usize = 32;

/// Maps saphyr's (line, character column) markers to [`Pos`] with byte offsets.
struct LineIndex<'s> {
    /// The byte offset where each line starts.
    starts: Vec<usize>,
    /// For each line longer than [`STRIDE`] bytes (by index), the byte offset
    /// of every `STRIDE`th character, so that finding a column never walks a
    /// whole long line: a one-line file of many values would otherwise take
    /// time quadratic in its length. Indexed by line; empty (no allocation)
    /// for short lines.
    checkpoints: Vec<Vec<usize>>,
    source: &'s str,
}

impl<'s> LineIndex<'s> {
    fn new(source: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let checkpoints = starts
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                let end = starts.get(index + 1).copied().unwrap_or(source.len());
                match end - start > STRIDE {
                    true => source[start..end].char_indices().step_by(STRIDE).map(|(i, _)| start + i).collect(),
                    false => Vec::new(),
                }
            })
            .collect();
        LineIndex { starts, checkpoints, source }
    }

    /// Turn a parser error into the most useful message: the parser reports
    /// where it gave up, which for two common mistakes is not where the
    /// mistake is.
    fn explain(&self, info: &str, pos: Pos) -> LoadError {
        let before = self.source.get(..pos.offset).unwrap_or_default();
        let line_end = self.source[pos.offset..].find('\n').map(|i| pos.offset + i).unwrap_or(self.source.len());
        // A tab in indentation: point at the first line indented with one.
        if info.contains("tab") {
            let upto = &self.source[..line_end];
            let mut offset = 0;
            for line in upto.split_inclusive('\n') {
                let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
                if let Some(i) = line[..indent].find('\t') {
                    let at = self.pos_of_offset(offset + i);
                    return LoadError {
                        message: "a tab is used for indentation".into(),
                        span: Span { start: at, end: self.pos_of_offset(offset + i + 1) },
                        hint: Some("YAML is indented with spaces, never tabs".into()),
                    };
                }
                offset += line.len();
            }
        }
        // A character YAML does not allow in a file (a control character
        // such as NUL, or a BOM past the start): name it.
        if info.contains("unprintable") {
            if let Some(c) = self.source.get(pos.offset..).and_then(|rest| rest.chars().next()) {
                return LoadError {
                    message: format!("the file holds the character U+{:04X}, which YAML does not allow", c as u32),
                    span: Span { start: pos, end: self.pos_of_offset(pos.offset + c.len_utf8()) },
                    hint: Some(
                        "remove it; inside a double-quoted value it can be written as an escape, such as `\\u0000`"
                            .into(),
                    ),
                };
            }
        }
        // YAML bounds a key written without `?` to 1024 characters; past
        // that, the parser no longer sees the `:` as ending a key.
        if info.contains("mapping values are not allowed") {
            let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
            let key = before[line_start..].trim_start();
            if key.chars().count() > 1024 {
                let start = self.pos_of_offset(pos.offset - key.len());
                return LoadError {
                    message: format!("a key of {} characters: YAML allows at most 1024", key.chars().count()),
                    span: Span { start, end: pos },
                    hint: Some("shorten the key".into()),
                };
            }
        }
        // An unclosed `[` or `{`: the parser stumbles on a later line.
        if let Some((open, at)) = unclosed_bracket(before) {
            let close = if open == '[' { ']' } else { '}' };
            let start = self.pos_of_offset(at);
            return LoadError {
                message: format!("`{open}` is never closed"),
                span: Span { start, end: self.pos_of_offset(at + 1) },
                hint: Some(format!("add `{close}` at the end of the list on line {}", start.line)),
            };
        }
        LoadError { message: format!("invalid YAML: {info}"), span: Span { start: pos, end: pos }, hint: None }
    }

    /// The position of a byte offset.
    fn pos_of_offset(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self.source.get(start..offset).map(|s| s.chars().count()).unwrap_or(0);
        Pos { line: line as u32, column: column as u32 + 1, offset }
    }

    /// `line` counts from 1, `col` from 0 in characters.
    fn pos(&self, line: usize, col: usize) -> Pos {
        let line = line.max(1);
        let Some(&start) = self.starts.get(line - 1) else {
            return Pos { line: line as u32, column: col as u32 + 1, offset: self.source.len() };
        };
        let (from, skip) = match self.checkpoints.get(line - 1) {
            Some(marks) if !marks.is_empty() => {
                let k = (col / STRIDE).min(marks.len() - 1);
                (marks[k], col - k * STRIDE)
            }
            _ => (start, col),
        };
        let rest = &self.source[from..];
        let byte = rest.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(rest.len());
        Pos { line: line as u32, column: col as u32 + 1, offset: from + byte }
    }
}
