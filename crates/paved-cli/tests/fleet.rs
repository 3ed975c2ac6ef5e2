//! The fleet views: `paved outdated` (table, Markdown, JSON, `--exit-code`
//! both ways, against a test catalog with a deprecated and a yanked version),
//! `paved images` (as rendered, with init containers, sidecars, hooks and
//! jobs, and as deployed with a tree's `promoted.yaml`), `paved graph --format
//! svg` (drawn, and as a matrix past some hundred calls) and `paved report`, on
//! the examples, the test sets and the benchmark's generated apps. The browser
//! test of the report is `browser.rs`.

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

/// Each test set (`tests/sets/<case>`), with the arguments that give it its platform file.
fn sets() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(common::root().join("tests/sets")).expect("tests/sets") {
        let dir = entry.expect("entry").path();
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        let path = format!("tests/sets/{name}");
        let mut global = Vec::new();
        if dir.join("platform.yaml").is_file() {
            global = vec!["--platform".to_owned(), format!("{path}/platform.yaml")];
        }
        out.push((path, global));
    }
    out.sort();
    out
}

/// `global` arguments, then `args`.
fn with(global: &[String], args: &[&str]) -> Vec<String> {
    global.iter().cloned().chain(args.iter().map(|a| (*a).to_owned())).collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// The examples against the repository's lock, as a person runs it in the repository.
#[test]
fn outdated_of_examples() {
    for format in ["table", "markdown", "json"] {
        let out = stdout(&["outdated", "examples", "--format", format], &[LOCK], 0);
        common::assert_part!(format!("examples__{format}"), out);
    }
}

/// The test sets, with no lock: each app on the newest version its pin allows.
#[test]
fn outdated_of_sets() {
    for (path, global) in sets() {
        let args = with(&global, &["outdated", &path, "--format", "table", "--exit-code"]);
        let out = stdout(&strs(&args), &[], 0);
        common::assert_part!(path.replace('/', "__"), out);
    }
}

/// `--exit-code` passes when every app is locked to the newest version its pin allows
/// and none is deprecated or yanked: the lock `paved render` writes for the examples.
#[test]
fn outdated_exit_code_passes_when_up_to_date() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lock = tmp.path().join("paved.lock").to_string_lossy().into_owned();
    stdout(&["--lock", &lock, "render", "examples", "--out", &tmp.path().join("out").to_string_lossy()], &[], 0);
    let out = stdout(&["--lock", &lock, "outdated", "examples", "--format", "json", "--exit-code"], &[], 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let apps = json["apps"].as_array().expect("apps");
    assert_eq!(apps.len(), app_names(&common::root().join("examples")).len(), "{out}");
    for app in apps {
        assert_eq!(app["findings"], serde_json::json!([]), "{app}");
        assert_eq!(app["inLock"], true, "{app}");
        assert_eq!(app["locked"], app["allowed"], "{app}");
    }
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

/// Init containers, native sidecars, a migration Job (an Argo CD PreSync hook) and job
/// apps, from the blueprints' own test cases: every container of every pod spec.
#[test]
fn images_of_init_containers_sidecars_hooks_and_jobs() {
    let cases = [
        "blueprints/api/1.3.0/tests/identity-migrate",
        "blueprints/api/1.3.0/tests/composition",
        "blueprints/stateful/1.2.0/tests/backup-sidecar",
        "blueprints/job/1.0.0/tests",
    ];
    let table = stdout(&[&["images"], &cases[..], &["--env", "prod"]].concat(), &[], 0);
    insta::assert_snapshot!("images_composition_prod_table", table);
    for role in [" init ", " sidecar ", " hook ", " container "] {
        assert!(table.contains(role), "no `{}` row:\n{table}", role.trim());
    }
    let json = stdout(&[&["images"], &cases[..], &["--env", "prod", "--format", "json"]].concat(), &[], 0);
    insta::assert_snapshot!("images_composition_prod_json", json);
}

#[test]
fn images_as_rendered() {
    let table = stdout(&["images", "examples"], &[], 0);
    insta::assert_snapshot!("images_examples_table", table);
    let json = stdout(&["images", "examples", "--env", "prod", "--format", "json"], &[], 0);
    insta::assert_snapshot!("images_examples_prod_json", json);
    let markdown = stdout(&["images", "tests/sets/bank-core", "--env", "dev", "--format", "markdown"], &[], 0);
    insta::assert_snapshot!("images_bank_core_dev_markdown", markdown);
    for (path, global) in sets() {
        let list = stdout(&strs(&with(&global, &["images", &path, "--format", "list"])), &[], 0);
        common::assert_part!(format!("list__{}", path.replace('/', "__")), list);
    }
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
        format!("image:\n  tag: \"7.5.0\"\n  digest: {digest}\n"),
    )
    .expect("write");
    fs::write(out.join("payments/ledger-worker/test/promoted.yaml"), "image:\n  tag: \"7.0.1\"\n").expect("write");
    let rendered = stdout(&["images", "examples", "--format", "list"], &[], 0);
    let deployed = stdout(&["images", "examples", "--format", "list", "--out", &out_arg], &[], 0);
    let prod = stdout(&["images", "examples", "--env", "prod", "--out", &out_arg], &[], 0);
    assert!(deployed.contains(&format!("acr.bank.internal/payments/payments-api:7.5.0@{digest}")), "{deployed}");
    assert!(deployed.contains("acr.bank.internal/payments/ledger-worker:7.0.1\n"), "{deployed}");
    assert!(!rendered.contains("7.5.0") && !rendered.contains("7.0.1"), "{rendered}");
    insta::assert_snapshot!("images_examples_prod_deployed", prod);
    // A folder paved did not write is refused.
    let output = paved().args(["images", "examples", "--out", "examples"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a tree paved wrote"));
}

/// The names of the apps under `dir` (each `app.yaml`'s `name:`).
fn app_names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "app.yaml") {
                let text = fs::read_to_string(&path).expect("app.yaml");
                let name = text.lines().find_map(|l| l.strip_prefix("name: ")).expect("name");
                out.push(name.trim().to_owned());
            }
        }
    }
    out.sort();
    out
}

/// What a picture says, for a snapshot a person can review: its size, then every text
/// drawn, one a line, in drawing order, and how many arrows.
fn picture_text(svg: &str) -> String {
    let size = svg.lines().next().unwrap_or_default().split(" xmlns").next().unwrap_or_default().to_owned();
    let mut out = format!("{size}>\n");
    let mut rest = svg;
    while let Some(start) = rest.find("<tspan") {
        let after = &rest[start..];
        let open = after.find('>').expect("tag ends") + 1;
        let close = after.find("</tspan>").expect("tspan closes");
        out.push_str(&after[open..close]);
        out.push('\n');
        rest = &after[close..];
    }
    out.push_str(&format!("arrows: {}\n", svg.matches("<path ").count()));
    out
}

/// The SVG names every app and team, is the same on every run, and draws a box per team.
#[test]
fn graph_svg_of_examples_and_sets() {
    let mut cases = vec![("examples".to_owned(), Vec::new())];
    cases.extend(sets());
    for (path, global) in cases {
        let args = with(&global, &["graph", &path, "--format", "svg"]);
        let svg = stdout(&strs(&args), &[], 0);
        assert_eq!(svg, stdout(&strs(&args), &[], 0), "{path}: not deterministic");
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"), "{path}:\n{svg}");
        assert!(!svg.contains("<?xml"), "{path}: the XML declaration stays out of an HTML page");
        for app in app_names(&common::root().join(&path)) {
            assert!(svg.contains(&format!(">{app} (")), "{path}: `{app}` is not drawn");
        }
        common::assert_part!(path.replace('/', "__"), picture_text(&svg));
    }
}

/// Apps the benchmark generates (`scripts/bench.py`, seeded), into `dir`.
fn generate(apps: usize, dir: &Path) {
    let status = std::process::Command::new("python3")
        .arg(common::root().join("scripts/bench.py"))
        .args(["--generate-only", "--apps", &apps.to_string()])
        .arg("--dir")
        .arg(dir)
        .status()
        .expect("python3 runs");
    assert!(status.success());
}

/// Past some hundred calls, a matrix of calls between teams (drawing them one by one
/// would take minutes, and show nothing a person can follow).
#[test]
fn graph_svg_of_many_calls_is_a_matrix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let apps = tmp.path().join("apps");
    generate(300, &apps);
    let run = || {
        let output = paved().args(["graph", "--format", "svg"]).arg(&apps).output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let svg = run();
    assert_eq!(svg, run(), "not deterministic");
    assert!(svg.contains("too many to draw one by one"), "{svg}");
    for label in [">payments<", ">ledger<", ">ingress controller<", ">outside the cluster<"] {
        assert!(svg.contains(label), "no {label} in the matrix");
    }
}

/// The page without its pictures (each `<svg>` … `</svg>` as `<svg/>`), for a snapshot.
fn without_pictures(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        out.push_str("<svg/>");
        let end = rest[start..].find("</svg>").expect("svg closes") + start + "</svg>".len();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn report_is_one_static_page() {
    let mut cases = vec![("examples".to_owned(), vec!["--lock".to_owned(), "paved.lock".to_owned()])];
    cases.extend(sets());
    for (path, global) in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("report");
        let out_arg = out.to_string_lossy().into_owned();
        stdout(&strs(&with(&global, &["report", &path, "--out", &out_arg])), &[], 0);
        let page = fs::read_to_string(out.join("index.html")).expect("index.html");
        check_static(&path, &page);
        for section in ["id=\"versions\"", "id=\"adoption\"", "id=\"graphs\"", "id=\"images\"", "id=\"graph-dev\""] {
            assert!(page.contains(section), "{path}: no {section}");
        }
        for app in app_names(&common::root().join(&path)) {
            assert!(page.contains(&format!("<td>{app}</td>")), "{path}: `{app}` is not in the tables");
        }
        if path == "examples" {
            insta::assert_snapshot!("report_examples_without_pictures", without_pictures(&page));
        }
    }
}

/// No script, no network: nothing is loaded from anywhere.
fn check_static(what: &str, page: &str) {
    let lower = page.to_lowercase();
    for banned in ["<script", "<link", "<iframe", "<img", "src=", "@import", "url(http", "javascript:", " on"] {
        let found = match banned {
            // An event handler attribute (`onload=`) would run script.
            " on" => lower.match_indices(" on").any(|(i, _)| {
                lower[i + 3..].chars().take_while(char::is_ascii_alphabetic).count() > 0
                    && lower[i + 3..].trim_start_matches(|c: char| c.is_ascii_alphabetic()).starts_with('=')
            }),
            _ => lower.contains(banned),
        };
        assert!(!found, "{what}: the page holds `{banned}`");
    }
    assert!(lower.contains("content-security-policy\" content=\"default-src 'none'"), "{what}: no CSP");
}

/// The report of the benchmark's apps (`scripts/bench --report` times 1,000 of them).
#[test]
fn report_of_generated_apps() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let apps = tmp.path().join("apps");
    generate(60, &apps);
    let out = tmp.path().join("report");
    let output = paved().args(["report"]).arg(&apps).arg("--out").arg(&out).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let page = fs::read_to_string(out.join("index.html")).expect("index.html");
    check_static("60 generated apps", &page);
    for app in app_names(&apps) {
        assert!(page.contains(&format!(">{app} (")), "`{app}` is not in the call graph");
    }
}
