//! Azure DevOps pipelines, judged by Microsoft's schema (through
//! `check-jsonschema`'s built-in `vendor.azure-pipelines`): every generated
//! `azure-pipelines.yml`, and every template of `pipeline-templates/` (with the
//! template transform). Without `check-jsonschema` the tests say they
//! skipped, except under CI, where they fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn check_jsonschema() -> Option<()> {
    let ok = Command::new("check-jsonschema").arg("--version").output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run this test: check-jsonschema is missing (pip install check-jsonschema)"
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!("SKIPPED: check-jsonschema not found (pip install check-jsonschema)");
    }
    None
}

fn validate(files: &[PathBuf], template: bool) {
    let mut cmd = Command::new("check-jsonschema");
    cmd.args(["--builtin-schema", "vendor.azure-pipelines", "--regex-variant", "python"]);
    if template {
        cmd.args(["--data-transform", "azure-pipelines"]);
    }
    let out = cmd.args(files).output().expect("check-jsonschema runs");
    assert!(
        out.status.success(),
        "Microsoft's Azure Pipelines schema rejects:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Files under `dir` whose name ends with one of `suffixes`, sorted.
fn files(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, suffixes, out);
        } else if suffixes.iter().any(|s| path.to_string_lossy().ends_with(s)) {
            out.push(path);
        }
    }
}

#[test]
fn generated_pipelines_validate_against_microsofts_schema() {
    if check_jsonschema().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut written = Vec::new();
    let root = common::root();
    // Every blueprint version's test cases, rendered with that version.
    let listed = std::str::from_utf8(&common::paved().args(["blueprint", "list"]).output().expect("runs").stdout)
        .expect("utf-8")
        .to_owned();
    for (i, line) in listed.lines().skip(1).enumerate() {
        let mut words = line.split_whitespace();
        let id = format!("{}@{}", words.next().expect("name"), words.next().expect("version"));
        let out = tmp.path().join(format!("blueprint{i}"));
        let result = common::paved().args(["blueprint", "render", &id, "--out"]).arg(&out).output().expect("runs");
        assert!(result.status.success(), "{id}: {}", String::from_utf8_lossy(&result.stderr));
        files(&out, &["azure-pipelines.yml"], &mut written);
    }
    let mut sources = vec!["tests/fixtures".to_owned(), "examples".to_owned()];
    let mut sets: Vec<PathBuf> =
        std::fs::read_dir(root.join("tests/sets")).into_iter().flatten().flatten().map(|e| e.path()).collect();
    sets.sort();
    sources.extend(sets.iter().map(|s| common::relative(s)));
    for (i, source) in sources.iter().enumerate() {
        let out = tmp.path().join(format!("tree{i}"));
        let mut cmd = common::paved();
        cmd.args(["render", source, "--out"]).arg(&out);
        let platform = root.join(source).join("platform.yaml");
        if platform.is_file() {
            cmd.arg("--platform").arg(platform);
        }
        let result = cmd.output().expect("runs");
        assert!(result.status.success(), "{source}: {}", String::from_utf8_lossy(&result.stderr));
        files(&out, &["azure-pipelines.yml"], &mut written);
    }
    assert!(written.len() >= 20, "only {} pipelines", written.len());
    validate(&written, false);
}

#[test]
fn the_template_library_validates_against_microsofts_schema() {
    if check_jsonschema().is_none() {
        return;
    }
    let mut templates = Vec::new();
    files(&common::root().join("pipeline-templates"), &[".yml", ".yaml"], &mut templates);
    assert!(templates.len() >= 4, "only {} templates", templates.len());
    validate(&templates, true);
}

/// The generated pipeline of an app in `tests/sets/four-environments` (a
/// platform with four environments) hands all four to the library in
/// promotion order, and the library's deploy template, expanded the way Azure
/// DevOps expands `${{ each }}`, makes one stage per environment, each
/// depending on the one before.
#[test]
fn four_environments_make_four_chained_deployment_stages() {
    let set = "tests/sets/four-environments";
    let tree = common::render_tree(set, &["--platform", &format!("{set}/platform.yaml")]);
    let (path, pipeline) = tree.iter().find(|(p, _)| p.ends_with("azure-pipelines.yml")).expect("a pipeline");
    let pipeline = paved_yaml::load_one(pipeline, paved_yaml::Limits::default()).expect("loads").to_json();
    let environments = pipeline["extends"]["parameters"]["environments"].as_array().expect("environments").clone();
    let names: Vec<&str> = environments.iter().filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(names, ["dev", "test", "acc", "prod"], "{path}: not in promotion order");

    let deploy =
        std::fs::read_to_string(common::root().join("pipeline-templates/stages/deploy.yml")).expect("deploy template");
    let deploy = paved_yaml::load_one(&deploy, paved_yaml::Limits::default()).expect("loads").to_json();
    let stages = expand_each(&deploy["stages"], &environments);
    let ids: Vec<&str> = stages.iter().filter_map(|s| s["stage"].as_str()).collect();
    assert_eq!(ids, ["deploy_dev", "deploy_test", "deploy_acc", "deploy_prod"]);
    // Each stage waits for the one before (and may list more, such as the
    // stage whose outputs it reads).
    let depends: Vec<Option<&str>> = stages.iter().map(|s| first(&s["dependsOn"])).collect();
    assert_eq!(depends, [Some("verify"), Some("deploy_dev"), Some("deploy_test"), Some("deploy_acc")]);
}

/// Expand `- ${{ each env in parameters.environments }}: [items]` over
/// `environments`, replacing `${{ env.FIELD }}` in string values: the one
/// construct of Azure DevOps' template language this test needs.
fn expand_each(stages: &Value, environments: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for item in stages.as_array().into_iter().flatten() {
        let Some(map) = item.as_object() else { continue };
        for (key, body) in map {
            let Some(variable) =
                key.strip_prefix("${{ each ").and_then(|k| k.split_once(" in parameters.environments }}"))
            else {
                continue;
            };
            let variable = variable.0.trim();
            for env in environments {
                for template in body.as_array().into_iter().flatten() {
                    out.push(substitute(template, variable, env));
                }
            }
        }
    }
    out
}

fn substitute(value: &Value, variable: &str, env: &Value) -> Value {
    match value {
        Value::String(s) => {
            let mut text = s.clone();
            for (field, v) in env.as_object().into_iter().flatten() {
                let v = v.as_str().unwrap_or_default();
                text = text.replace(&format!("${{{{ {variable}.{field} }}}}"), v);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, variable, env)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), substitute(v, variable, env))).collect())
        }
        other => other.clone(),
    }
}

/// `dependsOn` is a stage name or a list of them; the first one.
fn first(depends_on: &Value) -> Option<&str> {
    match depends_on {
        Value::String(s) => Some(s),
        Value::Array(items) => items.first().and_then(Value::as_str),
        _ => None,
    }
}
