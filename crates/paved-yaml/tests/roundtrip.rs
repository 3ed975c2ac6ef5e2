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
