//! Every blueprint test case and every fixture renders, in every environment,
//! to objects that pass the strict Kubernetes 1.31 schemas, the CRD schemas and
//! the security baseline; the output is snapshotted, one snapshot per case,
//! environment and file: `render__<test>@<case>__<env>__<file>.snap`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// Render one case, check every object, and return its snapshots by name
/// (`<case>__<env>__<file>`). A blueprint's test case renders with the version
/// it belongs to, whatever its pin would resolve to (`paved blueprint render`).
fn check_case(path: &Path) -> BTreeMap<String, String> {
    let rel = common::relative(path);
    let parts: Vec<&str> = rel.split('/').collect();
    let (case, tree) = match parts.as_slice() {
        ["blueprints", name, version, "tests", case, "app.yaml"] => {
            let tmp = tempfile::tempdir().expect("tempdir");
            let out = tmp.path().join("out");
            let id = format!("{name}@{version}");
            let result = common::paved()
                .args(["blueprint", "render", &id, "--case", case, "--out"])
                .arg(&out)
                .output()
                .expect("runs");
            assert!(result.status.success(), "{rel}: {}", String::from_utf8_lossy(&result.stderr));
            (format!("{name}__{version}__{case}"), common::read_tree(&out))
        }
        [.., case, "app.yaml"] => ((*case).to_owned(), common::render_tree(&rel, &[])),
        _ => panic!("{rel}: not an app file in a case folder"),
    };
    let problems = common::problems(&tree);
    assert!(problems.is_empty(), "{rel}: rendered objects are invalid:\n{}", problems.join("\n"));
    let objects = common::objects(&tree);
    assert!(!objects.is_empty(), "{rel}: nothing rendered");
    let parts = split_policies(common::snapshot_parts(&tree, part));
    parts.into_iter().map(|(part, text)| (format!("{case}__{part}"), text)).collect()
}

/// Each `manifests.yaml` snapshot with its network policies in a snapshot of
/// their own (`<env>__policies`), so that a composed app's objects stay small
/// enough to review; the documents are the file's, in its order.
fn split_policies(parts: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, text) in parts {
        let Some(env) = name.strip_suffix("__manifests.yaml") else {
            out.insert(name, text);
            continue;
        };
        let (header, contents) = text.split_once('\n').expect("a part starts with its header line");
        let (mut policies, mut rest) = (String::new(), String::new());
        for doc in contents.split_inclusive('\n').fold(Vec::<String>::new(), |mut docs, line| {
            if line == "---\n" || docs.is_empty() {
                docs.push(String::new());
            }
            docs.last_mut().expect("one document").push_str(line);
            docs
        }) {
            let is_policy = doc.contains("\nkind: NetworkPolicy\n") || doc.contains("\nkind: CiliumNetworkPolicy\n");
            if is_policy { &mut policies } else { &mut rest }.push_str(&doc);
        }
        out.insert(name.clone(), format!("{header}\n{rest}"));
        if !policies.is_empty() {
            out.insert(format!("{env}__policies"), format!("{header} (its network policies)\n{policies}"));
        }
    }
    out
}

/// The snapshot a rendered file belongs to, `None` for the files left out:
/// - each environment's `manifests.yaml` and `application.yaml`, and the
///   app's `azure-pipelines.yml`, have one snapshot each (`dev__manifests.yaml`,
///   `dev__application.yaml`, `azure-pipelines.yml`); so does any file a new
///   output adds;
/// - a `manifests.yaml`'s network policies have a snapshot of their own
///   (`dev__policies`), beside the other objects (`dev__manifests.yaml`);
/// - the chart is shown for `dev` only, as two snapshots (`dev__chart`: its
///   templates; `dev__chart-values`: `values.yaml` and its schema): in the
///   other environments it differs only in its values, which their
///   `manifests.yaml` shows, and the helm test (`helm.rs`) proves every chart,
///   in every environment, equal to its `manifests.yaml`;
/// - `policies/` is left out: it holds the network policies of
///   `manifests.yaml`, one per file, which the helm test also proves;
/// - `.paved-tree` only marks the folder as a tree paved wrote.
fn part(path: &str) -> Option<String> {
    // `<team>/<app>/<rest>`
    let rest: Vec<&str> = path.splitn(3, '/').nth(2)?.split('/').collect();
    match rest.as_slice() {
        [_, "policies", ..] => None,
        ["dev", "chart", "values.yaml" | "values.schema.json"] => Some("dev__chart-values".to_owned()),
        ["dev", "chart", ..] => Some("dev__chart".to_owned()),
        [_, "chart", ..] => None,
        _ => Some(rest.join("__")),
    }
}

#[test]
fn blueprint_test_cases() {
    insta::glob!("../../../blueprints", "*/*/tests/*/app.yaml", |path| {
        for (name, text) in check_case(path) {
            common::assert_part!(name, text);
        }
    });
}

#[test]
fn fixtures() {
    insta::glob!("../../../tests/fixtures", "*/app.yaml", |path| {
        for (name, text) in check_case(path) {
            common::assert_part!(name, text);
        }
    });
}

#[test]
fn examples() {
    insta::glob!("../../../examples", "*/app.yaml", |path| {
        for (name, text) in check_case(path) {
            common::assert_part!(name, text);
        }
    });
}
