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
