//! Every blueprint test case and every fixture renders, in every environment,
//! to objects that pass the strict Kubernetes 1.31 schemas, the CRD schemas and
//! the security baseline; the output is snapshotted, one snapshot per case.

mod common;

use std::path::Path;

/// Render one case, check every object, and return the snapshot text. A
/// blueprint's test case renders with the version it belongs to, whatever
/// its pin would resolve to (`paved blueprint render`).
fn check_case(path: &Path) -> String {
    let rel = common::relative(path);
    let parts: Vec<&str> = rel.split('/').collect();
    let tree = match parts.as_slice() {
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
            common::read_tree(&out)
        }
        _ => common::render_tree(&rel, &[]),
    };
    let problems = common::problems(&tree);
    assert!(problems.is_empty(), "{rel}: rendered objects are invalid:\n{}", problems.join("\n"));
    let objects = common::objects(&tree);
    assert!(!objects.is_empty(), "{rel}: nothing rendered");
    common::snapshot_text(&tree)
}

#[test]
fn blueprint_test_cases() {
    insta::glob!("../../../blueprints", "*/*/tests/*/app.yaml", |path| {
        insta::assert_snapshot!(check_case(path));
    });
}

#[test]
fn fixtures() {
    insta::glob!("../../../tests/fixtures", "*/app.yaml", |path| {
        insta::assert_snapshot!(check_case(path));
    });
}

#[test]
fn examples() {
    insta::glob!("../../../examples", "*/app.yaml", |path| {
        insta::assert_snapshot!(check_case(path));
    });
}
