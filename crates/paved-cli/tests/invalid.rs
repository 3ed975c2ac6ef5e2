//! Invalid app files: each exits 1, prints no objects, and reports every
//! problem with file:line:column, field and hint. The error output is the
//! snapshot.

mod common;

#[test]
fn invalid_app_files() {
    insta::glob!("../../../tests/invalid", "*/app.yaml", |path| {
        let rel = common::relative(path);
        let render = common::paved().args(["render", &rel]).output().expect("runs");
        assert_eq!(render.status.code(), Some(1), "{rel}: render should exit 1");
        assert!(render.stdout.is_empty(), "{rel}: render printed objects for invalid input");
        let validate = common::paved().args(["validate", &rel]).output().expect("runs");
        assert_eq!(validate.status.code(), Some(1), "{rel}: validate should exit 1");
        let stderr = String::from_utf8(validate.stderr).expect("utf-8");
        assert!(stderr.contains(&format!("{rel}:")), "{rel}: the report does not name file:line:column:\n{stderr}");
        assert!(stderr.contains("help:"), "{rel}: no hint in:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{rel}: paved panicked:\n{stderr}");
        // The render and validate reports are the same problems.
        assert_eq!(String::from_utf8_lossy(&render.stderr), stderr, "{rel}: render and validate disagree");
        insta::assert_snapshot!(stderr);
    });
}

#[test]
fn there_are_at_least_fifteen_invalid_files() {
    let count = std::fs::read_dir(common::root().join("tests/invalid")).expect("tests/invalid").count();
    assert!(count >= 15, "only {count} invalid app files");
}
