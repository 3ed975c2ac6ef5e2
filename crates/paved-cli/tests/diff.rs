//! `paved diff --base REV` in a temporary git repository: a change to an app
//! shows up as the right object and field; no change is no difference.

mod common;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.email=ci@bank.internal", "-c", "user.name=paved tests", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn diff(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = common::paved()
        .current_dir(dir)
        .args(["diff", "examples/", "--base", "HEAD", "--env", "prod"])
        .args(extra)
        .output()
        .expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).expect("utf-8"))
}

#[test]
fn diff_shows_what_a_change_does_object_by_object() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    common::copy_dir(&common::root().join("examples"), &repo.join("examples"));
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "base"]);

    let (code, text) = diff(repo, &["--exit-code"]);
    assert_eq!((code, text.as_str()), (0, "no differences\n"), "an unchanged tree differs");

    // More memory for payments-api in prod, and a new app.
    let app = repo.join("examples/payments-api/app.yaml");
    let source = std::fs::read_to_string(&app).expect("app").replace("memory: 1Gi", "memory: 2Gi");
    std::fs::write(&app, source).expect("write");
    let (_, markdown) = diff(repo, &["--format", "markdown"]);
    insta::assert_snapshot!(markdown);
    common::copy_dir(&common::root().join("blueprints/cronjob/1.0.0/tests/minimal"), &repo.join("examples/new-job"));

    let (code, text) = diff(repo, &["--exit-code"]);
    assert_eq!(code, 1, "differences exit 1 with --exit-code");
    assert!(text.contains("payments/payments-api (prod)\n  ~ Deployment payments/payments-api\n"), "{text}");
    assert!(text.contains("/spec/template/spec/containers/0/resources/limits/memory: \"1Gi\" → \"2Gi\""), "{text}");
    assert!(text.contains("+ CronJob "), "the new app's objects are added:\n{text}");
    let (code, _) = diff(repo, &[]);
    assert_eq!(code, 0, "without --exit-code, differences are not a failure");

    let (_, json) = diff(repo, &["--format", "json"]);
    let changes: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let deployment = changes
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["kind"] == "Deployment" && c["app"] == "payments/payments-api")
        .expect("the Deployment changed");
    assert_eq!(deployment["change"], "changed");
    assert_eq!(deployment["fields"][0]["before"], "1Gi");
}

#[test]
fn diff_needs_a_real_revision() {
    let tmp = tempfile::tempdir().expect("tempdir");
    git(tmp.path(), &["init", "-q"]);
    common::copy_dir(&common::root().join("examples"), &tmp.path().join("examples"));
    let out =
        common::paved().current_dir(tmp.path()).args(["diff", "examples/", "--base", "nope"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`nope` is not a commit"));
}
