//! Helpers shared by the integration tests: run the real binary from the
//! workspace root, read back what it wrote, and judge rendered objects with
//! the real validators.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use paved_validate::SchemaSet;

/// The repository root (tests run the binary from there, with relative paths,
/// so snapshots never hold machine paths).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// The paved binary, run from the repository root, without colour.
pub fn paved() -> Command {
    let mut cmd = Command::cargo_bin("paved").expect("paved binary");
    // No lock file unless a test asks for one: tests run in parallel from the
    // repository root and must not write paved.lock there.
    cmd.current_dir(root()).env("NO_COLOR", "1").env("PAVED_LOCK", "none").env_remove("CLICOLOR_FORCE");
    cmd
}

/// Where the paved binary is (for running it through another program).
pub fn paved_bin() -> PathBuf {
    PathBuf::from(paved().get_program())
}

/// A path relative to the repository root, with `/` separators.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Read every file under `dir` (relative path → text), sorted.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read_to_string(&path).expect("utf-8 file"));
            }
        }
    }
    files
}

/// `paved render PATH --out TMP` (plus `extra` arguments), then the tree it wrote.
pub fn render_tree(path: &str, extra: &[&str]) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let assert = paved().arg("render").arg(path).arg("--out").arg(&out).args(extra).assert();
    let output = assert.get_output();
    assert!(output.status.success(), "render {path} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    read_tree(&out)
}

/// A tree cut into snapshots a person can review: `part` names the snapshot
/// each file belongs to (`None` leaves the file out), and each snapshot holds
/// its files under `=== path ===` headers, in the tree's order. So the parts,
/// read in order, hold what one snapshot of the whole tree would, and a change
/// shows up in the snapshot of the one file that changed.
pub fn snapshot_parts(
    tree: &BTreeMap<String, String>,
    part: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    let mut parts = BTreeMap::<String, String>::new();
    for (path, contents) in tree {
        if let Some(name) = part(path) {
            parts.entry(name).or_default().push_str(&format!("=== {path} ===\n{contents}"));
        }
    }
    parts
}

/// Assert one of the several snapshots a case of `insta::glob!` owns. Inside
/// the glob closure, insta names a snapshot `<module>__<test>@<suffix>`, the
/// suffix being the input file's path; this sets the suffix to `suffix`
/// instead (the case, then what the snapshot holds: an environment and file,
/// or a team and app; `/` written `__`), so a case's snapshots sort together
/// and each one's name says what it holds. A macro,
/// not a function, so that insta takes the test's name and module from where
/// it is used. (Not every test file uses it, as with the functions here.)
#[allow(unused_macros)]
macro_rules! assert_part {
    ($suffix:expr, $text:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix($suffix);
        settings.bind(|| insta::assert_snapshot!($text));
    }};
}
#[allow(unused_imports)]
pub(crate) use assert_part;

/// Every object of every `manifests.yaml` and `application.yaml` in the tree, with where it came from.
pub fn objects(tree: &BTreeMap<String, String>) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for (path, contents) in
        tree.iter().filter(|(p, _)| p.ends_with("/manifests.yaml") || p.ends_with("/application.yaml"))
    {
        let docs = paved_yaml::load_all(contents, paved_yaml::Limits::default()).expect("rendered YAML loads");
        out.extend(docs.into_iter().map(|d| (path.clone(), d.to_json())));
    }
    out
}

/// Problems of rendered objects against the strict Kubernetes 1.31 and CRD
/// schemas, the security baseline and the replica rules; empty when all is well.
pub fn problems(tree: &BTreeMap<String, String>) -> Vec<String> {
    let schemas = SchemaSet::for_version("1.31").expect("vendored 1.31");
    let mut out = replica_rules(tree);
    for (path, object) in objects(tree) {
        let kind = object["kind"].as_str().unwrap_or_default().to_owned();
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        for v in schemas.validate(&object).into_iter().chain(paved_validate::baseline(&object)) {
            out.push(format!("{path}: {kind}/{name}: {v}"));
        }
    }
    out
}

/// Within each app and environment: a workload has `replicas` exactly when no
/// HorizontalPodAutoscaler owns it, and a PodDisruptionBudget exists exactly
/// when the fewest replicas is two or more.
fn replica_rules(tree: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, contents) in tree.iter().filter(|(p, _)| p.ends_with("manifests.yaml")) {
        let docs: Vec<serde_json::Value> = paved_yaml::load_all(contents, paved_yaml::Limits::default())
            .expect("rendered YAML loads")
            .iter()
            .map(paved_yaml::Node::to_json)
            .collect();
        let find = |kind: &str, name: &str| docs.iter().find(|d| d["kind"] == kind && d["metadata"]["name"] == name);
        for workload in docs.iter().filter(|d| d["kind"] == "Deployment" || d["kind"] == "StatefulSet") {
            let name = workload["metadata"]["name"].as_str().unwrap_or_default();
            let hpa = find("HorizontalPodAutoscaler", name);
            let replicas = workload["spec"].get("replicas");
            let min = match (hpa, replicas) {
                (Some(_), Some(_)) => {
                    out.push(format!("{path}: {name}: `replicas` is set although an autoscaler owns it"));
                    continue;
                }
                (None, None) => {
                    out.push(format!("{path}: {name}: no `replicas` and no autoscaler"));
                    continue;
                }
                (Some(hpa), None) => hpa["spec"]["minReplicas"].as_i64().unwrap_or_default(),
                (None, Some(replicas)) => replicas.as_i64().unwrap_or_default(),
            };
            let pdb = find("PodDisruptionBudget", name).is_some();
            if pdb != (min >= 2) {
                out.push(format!("{path}: {name}: min replicas {min} but PodDisruptionBudget present: {pdb}"));
            }
        }
    }
    out
}

/// Copy a folder tree (for tests that change a catalog or an app).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("ls").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
