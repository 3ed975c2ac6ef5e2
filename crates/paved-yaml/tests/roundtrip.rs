//! Every string written by the emitter reads back as the same string, and
//! documents keep their shape.

use paved_yaml::{Limits, NodeKind, emit, emit_documents, load_all, load_one};
use serde_json::{Value, json};

fn roundtrip(value: &Value) -> Value {
    let text = emit(value);
    load_one(&text, Limits::default()).unwrap_or_else(|e| panic!("emitted YAML does not load: {e}\n{text}")).to_json()
}

#[test]
fn hostile_strings_round_trip() {
    let strings = [
        "",
        " ",
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "N",
        "null",
        "Null",
        "~",
        "true",
        "False",
        "0777",
        "0x1F",
        "1e3",
        "1_000",
        "1:20",
        "2024-01-01",
        ".5",
        "-1",
        "+1",
        ".inf",
        ".NaN",
        "-",
        "--",
        "---",
        "...",
        "a: b",
        "a:b",
        "key:",
        "#comment",
        "a #b",
        "{{ .Values.x }}",
        "${{ parameters.x }}",
        "$(var)",
        "$[ x ]",
        "line1\nline2",
        "line\r\n",
        "tab\there",
        "quote\"s",
        "single'q",
        "back\\slash",
        "!!python/object:os.system",
        "&anchor",
        "*alias",
        "|",
        ">",
        "@at",
        "`tick`",
        "%percent",
        "[a, b]",
        "{a: b}",
        "\u{0}nul",
        "\u{85}nel",
        "\u{2028}ls",
        "\u{feff}bom",
        "ünïcödé",
        "🚀",
        "   leading",
        "trailing   ",
        "=",
        "<<",
        "?",
        "? x",
        "acr.bank.internal/team/app:1.2.3",
        "Europe/Amsterdam",
        "/healthz",
        "//double",
        "100m",
        "128Mi",
    ];
    for s in strings {
        let value = json!({ "k": s, s: "key" });
        assert_eq!(roundtrip(&value), value, "string {s:?}");
        let value = json!([s]);
        assert_eq!(roundtrip(&value), value, "list item {s:?}");
    }
}

#[test]
fn plain_strings_stay_plain() {
    assert_eq!(
        emit(&json!({"name": "payments-api", "image": "acr.bank.internal/p/a:1.2"})),
        "image: acr.bank.internal/p/a:1.2\nname: payments-api\n"
    );
    assert_eq!(emit(&json!({"v": "yes", "num": "8080", "q": "128Mi"})), "num: \"8080\"\nq: \"128Mi\"\nv: \"yes\"\n");
}

#[test]
fn structure_round_trips_with_sorted_keys() {
    let value = json!({
        "spec": {"containers": [{"name": "a", "ports": [{"containerPort": 8080}], "args": []}], "empty": {}},
        "apiVersion": "v1", "nested": [[1, 2], [], [{"x": null}]], "f": 0.5, "b": false
    });
    let text = emit(&value);
    assert_eq!(
        text,
        "apiVersion: v1\nb: false\nf: 0.5\nnested:\n  - - 1\n    - 2\n  - []\n  - - x: null\nspec:\n  containers:\n    - args: []\n      name: a\n      ports:\n        - containerPort: 8080\n  empty: {}\n"
    );
    assert_eq!(roundtrip(&value), value);
}

#[test]
fn documents_are_separated() {
    let docs = [json!({"a": 1}), json!({"b": 2})];
    let text = emit_documents(&docs);
    assert_eq!(text, "---\na: 1\n---\nb: 2\n");
    let loaded: Vec<Value> = load_all(&text, Limits::default()).expect("loads").iter().map(|n| n.to_json()).collect();
    assert_eq!(loaded, docs);
}

#[test]
fn loader_reports_positions_and_problems() {
    let node = load_one("name: a\nport: 8080\nlist:\n  - x\n", Limits::default()).expect("loads");
    let port = node.get("port").expect("port");
    assert_eq!((port.span.start.line, port.span.start.column), (2, 7));
    assert_eq!(port.kind, NodeKind::Int(8080));
    let entry = node.entry("list").expect("list");
    assert_eq!((entry.key_span.start.line, entry.key_span.start.column), (3, 1));

    let err = load_one("a: 1\nb: 2\na: 3\n", Limits::default()).expect_err("duplicate");
    assert_eq!(err.message, "duplicate key `a`");
    assert_eq!(err.span.start.line, 3);

    let err = load_one("a: !!python/object:os.system x\n", Limits::default()).expect_err("tag");
    assert!(err.message.contains("tag"), "{}", err.message);

    let err = load_one("a: 1\n---\nb: 2\n", Limits::default()).expect_err("two docs");
    assert!(err.message.contains("more than one"), "{}", err.message);

    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    let err = load_one(bomb, Limits::default()).expect_err("bomb");
    assert!(err.message.contains("more than"), "{}", err.message);

    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let err = load_one(&deep, Limits::default()).expect_err("deep");
    assert!(err.message.contains("nested"), "{}", err.message);
}

#[test]
fn scalars_resolve_by_the_core_schema() {
    let node =
        load_one("a: yes\nb: 0o17\nc: 1.5\nd: ~\ne: '1'\nf: 0x10\ng: 12abc\n", Limits::default()).expect("loads");
    assert_eq!(node.to_json(), json!({"a": "yes", "b": 15, "c": 1.5, "d": null, "e": "1", "f": 16, "g": "12abc"}));
}

#[test]
fn json_flow_is_yaml() {
    let node = load_one(r#"labels: {"app.kubernetes.io/name":"a","x":["b",1]}"#, Limits::default()).expect("loads");
    assert_eq!(node.to_json(), json!({"labels": {"app.kubernetes.io/name": "a", "x": ["b", 1]}}));
}

/// Positions on a long line (found through checkpoints, not by walking the
/// line) are the same as counting characters from the line's start, multibyte
/// characters included.
#[test]
fn positions_on_long_lines_are_exact() {
    let items: Vec<String> =
        (0..3000).map(|i| if i % 3 == 0 { format!("\"é{i}🏦\"") } else { i.to_string() }).collect();
    let text = format!("k: 1\nx: [{}]\n", items.join(", "));
    let node = load_one(&text, Limits::default()).expect("loads");
    let NodeKind::Seq(list) = &node.get("x").expect("x").kind else { panic!("a list") };
    let line = text.lines().nth(1).expect("line 2");
    let line_start = text.find("x: [").expect("start");
    for (item, written) in list.iter().zip(&items) {
        let start = item.span.start;
        assert_eq!(start.line, 2);
        assert_eq!(&text[start.offset..start.offset + written.len()], written.as_str());
        let column = line[..start.offset - line_start].chars().count() as u32 + 1;
        assert_eq!(start.column, column, "{written}");
    }
}

/// The bounds a hostile file runs into say what they are.
#[test]
fn bounds_are_named() {
    let deep = format!("x: {}{}", "[".repeat(300), "]".repeat(300));
    let err = load_one(&deep, Limits::default()).expect_err("deep");
    assert_eq!(err.message, "values are nested more than 64 levels deep");

    let wide = format!("x: [{}]", vec!["1"; 100_001].join(","));
    let err = load_one(&wide, Limits::default()).expect_err("wide");
    assert_eq!(err.message, "the document has more than 100000 values");
    assert!(!err.hint.unwrap_or_default().contains("alias"), "no alias was used");

    let err = load_one(&format!("{}: 1\n", "k".repeat(2000)), Limits::default()).expect_err("long key");
    assert_eq!(err.message, "a key of 2000 characters: YAML allows at most 1024");

    let err = load_one("a: \"x\"\nb: x\u{0}y\n", Limits::default()).expect_err("nul");
    assert_eq!(err.message, "the file holds the character U+0000, which YAML does not allow");
    assert_eq!((err.span.start.line, err.span.start.column), (2, 5));

    let err = load_one("a: !!python/object:os.system x\n", Limits::default()).expect_err("tag");
    assert_eq!(err.message, "the tag `!!python/object:os.system` is not allowed here");

    let node = load_one("a: .inf\nb: -.inf\nc: .nan\n", Limits::default()).expect("loads");
    assert_eq!(node.to_json(), json!({"a": ".inf", "b": "-.inf", "c": ".nan"}));
}

/// Merging many keys over many keys keeps the base's order, then the new keys.
#[test]
fn large_merges_keep_order_and_override() {
    let base: Vec<String> = (0..100).map(|i| format!("k{i}: {i}")).collect();
    let over: Vec<String> = (50..150).map(|i| format!("k{i}: over")).collect();
    let base = load_one(&format!("{{{}}}", base.join(", ")), Limits::default()).expect("base");
    let over = load_one(&format!("{{{}}}", over.join(", ")), Limits::default()).expect("over");
    let merged = base.merged(&over);
    let NodeKind::Map(entries) = &merged.kind else { panic!("a mapping") };
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    let expected: Vec<String> = (0..150).map(|i| format!("k{i}")).collect();
    assert_eq!(keys, expected.iter().map(String::as_str).collect::<Vec<_>>());
    let merged = merged.to_json();
    assert_eq!(merged["k10"], json!(10));
    assert_eq!(merged["k60"], json!("over"));
    assert_eq!(merged["k149"], json!("over"));
}
