//! The same inputs give the same bytes, whatever the machine around them:
//! thread count, locale, time zone, working directory, and the blueprint
//! catalog embedded or read from disk. (Argument order and repeated runs are
//! in `cli.rs`.) Each check renders every example and every set, so many apps
//! render in parallel.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// Render every example app and every set as a tree, from `cwd`, with
/// `paths` relative to it and the environment variables `env`.
fn render(cwd: &Path, prefix: &str, env: &[(&str, &str)], extra: &[&str]) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut all = BTreeMap::new();
    for set in ["examples", "tests/sets/bank-core", "tests/sets/four-environments"] {
        let out = tmp.path().join(set.replace('/', "-"));
        let mut command = common::paved();
        command.current_dir(cwd).arg("render").arg(format!("{prefix}{set}")).arg("--out").arg(&out);
        let platform = common::root().join(set).join("platform.yaml");
        if platform.is_file() {
            command.arg("--platform").arg(&platform);
        }
        command.args(extra);
        for (key, value) in env {
            command.env(key, value);
        }
        let result = command.output().expect("runs");
        assert!(result.status.success(), "{set} with {env:?}: {}", String::from_utf8_lossy(&result.stderr));
        for (path, contents) in common::read_tree(&out) {
            all.insert(format!("{set}/{path}"), contents);
        }
    }
    all
}

fn assert_same(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>, what: &str) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: different files");
    for (path, contents) in a {
        assert!(contents == &b[path], "{what}: {path} differs");
    }
}

#[test]
fn output_does_not_depend_on_threads_locale_time_zone_or_working_directory() {
    let root = common::root();
    let baseline = render(&root, "", &[("RAYON_NUM_THREADS", "1")], &[]);
    assert!(baseline.len() > 100, "only {} files", baseline.len());

    for threads in ["2", "7", "32"] {
        let other = render(&root, "", &[("RAYON_NUM_THREADS", threads)], &[]);
        assert_same(&baseline, &other, &format!("RAYON_NUM_THREADS={threads}"));
    }
    let foreign =
        [("LANG", "tr_TR.UTF-8"), ("LC_ALL", "tr_TR.UTF-8"), ("TZ", "Pacific/Chatham"), ("RAYON_NUM_THREADS", "3")];
    assert_same(&baseline, &render(&root, "", &foreign, &[]), "Turkish locale, Chatham time zone");

    // From a subfolder, with the paths written relative to it.
    let sub = root.join("crates/paved-cli");
    assert_same(&baseline, &render(&sub, "../../", &[], &[]), "run from crates/paved-cli");

    // The catalog read from disk is the embedded one.
    let blueprints = root.join("blueprints");
    let on_disk = render(&root, "", &[], &["--blueprints", blueprints.to_str().expect("utf-8 path")]);
    assert_same(&baseline, &on_disk, "--blueprints blueprints/");
}

#[test]
fn landing_zones_do_not_depend_on_threads_or_time_zone() {
    let run = |env: &[(&str, &str)]| {
        let mut command = common::paved();
        command.args(["landing-zone", "teams"]);
        for (key, value) in env {
            command.env(key, value);
        }
        let result = command.output().expect("runs");
        assert!(result.status.success());
        result.stdout
    };
    let one = run(&[("RAYON_NUM_THREADS", "1")]);
    assert!(!one.is_empty());
    assert_eq!(one, run(&[("RAYON_NUM_THREADS", "8"), ("TZ", "America/St_Johns"), ("LC_ALL", "de_DE.UTF-8")]));
}

/// The objects of one app in one environment, rendered from `app` (an app
/// file's text), by kind and name, as parsed data.
fn objects(app: &str) -> BTreeMap<(String, String), serde_json::Value> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("app.yaml");
    std::fs::write(&file, app).expect("write");
    let output = common::paved().args(["render", "-e", "prod", "--lock", "none"]).arg(&file).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stream = String::from_utf8(output.stdout).expect("utf-8");
    let limits = paved_yaml::Limits { max_depth: 128, max_nodes: 1_000_000 };
    paved_yaml::load_all(&stream, limits)
        .expect("loads")
        .iter()
        .map(paved_yaml::Node::to_json)
        .map(|o| ((o["kind"].as_str().unwrap_or_default().to_owned(), o["metadata"]["name"].to_string()), o))
        .collect()
}

fn names_of(objects: &BTreeMap<(String, String), serde_json::Value>, kind: &str) -> Vec<String> {
    objects.keys().filter(|(k, _)| k == kind).map(|(_, name)| name.trim_matches('"').to_owned()).collect()
}

/// A changed file is a new ConfigMap, and the pod template names it, so the
/// pods roll; the same file renders the same bytes.
#[test]
fn a_changed_file_renames_its_configmap_and_rolls_the_pods() {
    let app = std::fs::read_to_string(common::root().join("examples/ledger-api/app.yaml")).expect("example");
    let before = objects(&app);
    assert_eq!(before, objects(&app), "an unchanged app renders the same");
    let changed = objects(&app.replace("posting-batch: 200", "posting-batch: 500"));

    let (old, new) = (names_of(&before, "ConfigMap"), names_of(&changed, "ConfigMap"));
    let hashed = |names: &[String]| names.iter().find(|n| n.starts_with("ledger-api-files-")).cloned().expect("files");
    assert_ne!(hashed(&old), hashed(&new), "the files' ConfigMap is renamed");
    let template = |objects: &BTreeMap<(String, String), serde_json::Value>| {
        objects[&("Deployment".to_owned(), "\"ledger-api\"".to_owned())]["spec"]["template"].clone()
    };
    let (old_pod, new_pod) = (template(&before), template(&changed));
    assert_ne!(old_pod, new_pod, "the pod template changes, so the pods roll");
    assert!(new_pod.to_string().contains(&hashed(&new)), "the pods mount the new ConfigMap");
    // Only the ConfigMaps and what names them changed.
    for (key, object) in &before {
        if key.0 != "ConfigMap" && key.0 != "Deployment" {
            assert_eq!(Some(object), changed.get(key), "{key:?} changed with the file");
        }
    }
}

/// A one-off Job is named by its spec: a changed app is a new Job (its pod
/// template cannot change in place), an unchanged one keeps its name.
#[test]
fn a_changed_job_is_a_new_job_and_an_unchanged_one_keeps_its_name() {
    let app = std::fs::read_to_string(common::root().join("examples/ledger-backfill/app.yaml")).expect("example");
    let name = |app: &str| {
        let jobs = names_of(&objects(app), "Job");
        assert_eq!(jobs.len(), 1, "{jobs:?}");
        jobs[0].clone()
    };
    let first = name(&app);
    assert!(first.starts_with("ledger-backfill-") && first.len() == "ledger-backfill-".len() + 10, "{first}");
    assert_eq!(first, name(&app), "an unchanged job keeps its name");
    assert_ne!(first, name(&app.replace("2026-11-30", "2026-12-31")), "new arguments, new Job");
    assert_ne!(first, name(&app.replace("memory: 512Mi", "memory: 1Gi")), "new resources, new Job");
}
