//! The fleet views: `paved outdated` (table, Markdown, JSON, `--exit-code`
//! both ways, against a test catalog with a deprecated and a yanked version),
//! `paved images` (as rendered, and as deployed with a tree's
//! `promoted.yaml`), `paved graph --format svg` and `paved report`, on the
//! examples and on the test sets.

mod common;

use std::fs;
use std::path::Path;

use common::paved;

/// Run paved; its stdout, asserting the exit code.
fn stdout(args: &[&str], env: &[(&str, &str)], code: i32) -> String {
    let output = paved().args(args).envs(env.iter().copied()).output().expect("runs");
    let (out, err) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(code), "paved {args:?}\nstdout:\n{out}\nstderr:\n{err}");
    out.into_owned()
}

/// The repository's lock: the examples' versions.
const LOCK: (&str, &str) = ("PAVED_LOCK", "paved.lock");

#[test]
fn outdated_examples_are_up_to_date() {
    for format in ["table", "markdown", "json"] {
        let out = stdout(&["outdated", "examples", "--format", format, "--exit-code"], &[LOCK], 0);
        common::assert_part!(format!("examples__{format}"), out);
    }
}

#[test]
fn outdated_sets_are_unlocked() {
    let out = stdout(&["outdated", "tests/sets", "--format", "table"], &[], 0);
    insta::assert_snapshot!(out);
}

/// A copy of the catalog with api@1.0.0 deprecated and cronjob@1.0.0 yanked, and a
/// lock holding payments-api at api@1.0.0 and statement-export at cronjob@1.0.0
/// (fraud-score not locked at all).
fn behind() -> (tempfile::TempDir, String, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = tmp.path().join("blueprints");
    common::copy_dir(&common::root().join("blueprints"), &catalog);
    let catalog = catalog.to_string_lossy().into_owned();
    let mark = |args: &[&str]| stdout(&[&["--blueprints", &catalog, "blueprint"], args].concat(), &[], 0);
    mark(&["deprecate", "api@1.0.0", "--message", "move to api@1.2 with `paved upgrade`"]);
    mark(&["yank", "cronjob@1.0.0"]);
    let index = fs::read_to_string(common::root().join("blueprints/index.yaml")).expect("index");
    let digest = |id: &str| -> String {
        let (name, version) = id.split_once('@').expect("id");
        let node = paved_yaml::load_one(&index, paved_yaml::Limits::default()).expect("index loads").to_json();
        node["blueprints"][name][version]["digest"].as_str().expect("published").to_owned()
    };
    let lock = fs::read_to_string(common::root().join("paved.lock")).expect("lock");
    let mut lock = paved_yaml::load_one(&lock, paved_yaml::Limits::default()).expect("lock loads").to_json();
    let apps = lock["apps"].as_object_mut().expect("apps");
    apps.remove("payments/fraud-score");
    apps["payments/payments-api"] = serde_json::json!({ "blueprint": "api@1.0.0", "digest": digest("api@1.0.0") });
    apps["payments/statement-export"] =
        serde_json::json!({ "blueprint": "cronjob@1.0.0", "digest": digest("cronjob@1.0.0") });
    let path = tmp.path().join("paved.lock");
    fs::write(&path, paved_yaml::emit(&lock)).expect("write lock");
    let path = path.to_string_lossy().into_owned();
    (tmp, catalog, path)
}

#[test]
fn outdated_finds_deprecated_yanked_and_behind() {
    let (_tmp, catalog, lock) = behind();
    for format in ["table", "markdown", "json"] {
        let args = ["--blueprints", &catalog, "--lock", &lock, "outdated", "examples", "--format", format];
        let out = stdout(&args, &[], 0);
        common::assert_part!(format!("behind__{format}"), out);
        // The same, failing.
        let failing = stdout(&[&args[..], &["--exit-code"]].concat(), &[], 1);
        assert_eq!(failing, out);
    }
}

#[test]
fn images_as_rendered() {
    let table = stdout(&["images", "examples"], &[], 0);
    insta::assert_snapshot!("images_examples_table", table);
    let json = stdout(&["images", "examples", "--env", "prod", "--format", "json"], &[], 0);
    insta::assert_snapshot!("images_examples_prod_json", json);
    let markdown = stdout(&["images", "tests/sets/bank-core", "--env", "dev", "--format", "markdown"], &[], 0);
    insta::assert_snapshot!("images_bank_core_dev_markdown", markdown);
    let list = stdout(&["images", "tests/sets", "--format", "list"], &[], 0);
    insta::assert_snapshot!("images_sets_list", list);
}

#[test]
fn images_as_deployed_take_what_the_pipeline_promoted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    stdout(&["render", "examples", "--out", &out_arg], &[], 0);
    let digest = format!("sha256:{}", "ab".repeat(32));
    fs::write(
        out.join("payments/payments-api/prod/promoted.yaml"),
        format!("image:\n  tag: \"1.5.0\"\n  digest: {digest}\n"),
    )
    .expect("write");
    fs::write(out.join("payments/ledger-worker/test/promoted.yaml"), "image:\n  tag: \"2.0.1\"\n").expect("write");
    let rendered = stdout(&["images", "examples", "--format", "list"], &[], 0);
    let deployed = stdout(&["images", "examples", "--format", "list", "--out", &out_arg], &[], 0);
    let prod = stdout(&["images", "examples", "--env", "prod", "--out", &out_arg], &[], 0);
    assert!(deployed.contains(&format!("acr.bank.internal/payments/payments-api:1.5.0@{digest}")), "{deployed}");
    assert!(deployed.contains("acr.bank.internal/payments/ledger-worker:2.0.1\n"), "{deployed}");
    assert!(!rendered.contains("1.5.0") && !rendered.contains("2.0.1"), "{rendered}");
    insta::assert_snapshot!("images_examples_prod_deployed", prod);
    // A folder paved did not write is refused.
    let output = paved().args(["images", "examples", "--out", "examples"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a tree paved wrote"));
}

/// The SVG names every app and team, is the same on every run, and draws a box per team.
#[test]
fn graph_svg_of_examples_and_sets() {
    for (path, apps) in [
        ("examples", vec!["payments-api", "ledger-db", "fraud-score", "statement-export", "ledger-worker"]),
        ("tests/sets/bank-core", vec!["ledger-api", "checkout", "mobile-bff", "settlement-export"]),
    ] {
        let svg = stdout(&["graph", path, "--format", "svg"], &[], 0);
        assert_eq!(svg, stdout(&["graph", path, "--format", "svg"], &[], 0), "{path}: not deterministic");
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"), "{path}:\n{svg}");
        assert!(!svg.contains("<?xml"), "{path}: the XML declaration stays out of an HTML page");
        for app in apps {
            assert!(svg.contains(&format!(">{app} (")), "{path}: `{app}` is not drawn");
        }
        assert!(svg.contains(">team payments<"), "{path}: the payments team has no box");
    }
}

#[test]
fn report_is_one_static_page() {
    for path in ["examples", "tests/sets"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("report");
        let out_arg = out.to_string_lossy().into_owned();
        stdout(&["--lock", "none", "report", path, "--out", &out_arg], &[], 0);
        let page = fs::read_to_string(out.join("index.html")).expect("index.html");
        check_static(path, &page);
        for section in ["id=\"versions\"", "id=\"adoption\"", "id=\"graphs\"", "id=\"images\"", "id=\"graph-dev\""] {
            assert!(page.contains(section), "{path}: no {section}");
        }
    }
}

/// No script, no network: nothing is loaded from anywhere.
fn check_static(what: &str, page: &str) {
    let lower = page.to_lowercase();
    for banned in ["<script", "<link", "<iframe", "<img", "src=", "@import", "url(http", "javascript:"] {
        assert!(!lower.contains(banned), "{what}: the page holds `{banned}`");
    }
    assert!(lower.contains("content-security-policy\" content=\"default-src 'none'"), "{what}: no CSP");
}

/// The report of the benchmark's apps (`scripts/bench --report` times it).
#[test]
fn report_of_generated_apps() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let apps = tmp.path().join("apps");
    let status = std::process::Command::new("python3")
        .arg(common::root().join("scripts/bench.py"))
        .args(["--generate-only", "--apps", "60"])
        .arg("--dir")
        .arg(&apps)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let out = tmp.path().join("report");
    let output = paved().args(["--lock", "none", "report"]).arg(&apps).arg("--out").arg(&out).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let page = fs::read_to_string(out.join("index.html")).expect("index.html");
    check_static("60 generated apps", &page);
    assert!(Path::new(&out.join("index.html")).is_file());
}
