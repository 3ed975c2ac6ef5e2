//! Everything the repository renders, found as the other tests find it, so a new example,
//! blueprint test case, fixture or set of apps is applied without an edit here: every
//! blueprint test case (with its own version, as `paved blueprint render` does), every
//! fixture, the example apps together, and every set of apps with its own platform file
//! when it has one; grouped by platform file, with the landing zones of every team they
//! name (`teams/<team>.yaml` where there is one, else a generated team file with roomy
//! quotas), and for the embedded platform every team of `teams/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common;

/// What renders with one platform file.
#[derive(Debug)]
pub struct Platform {
    /// The platform file, relative to the repository root; `None` for the embedded one.
    pub file: Option<String>,
    /// Its environments, in promotion order.
    pub environments: Vec<String>,
    /// The namespace Argo CD runs in, where the Applications and AppProjects go.
    pub argocd_namespace: String,
    /// The landing-zone tree of every team (`<team>/<env>/cluster.yaml`, `argocd.yaml`).
    pub zones: BTreeMap<String, String>,
    /// Everything rendered with it.
    pub cases: Vec<Case>,
}

/// One rendered case: a blueprint test case, a fixture, the examples or a set.
#[derive(Debug)]
pub struct Case {
    /// Where it comes from (`blueprints/api/1.0.0/tests/minimal`, `examples`, ...).
    pub name: String,
    /// The tree `render --out` wrote.
    pub tree: BTreeMap<String, String>,
}

impl Platform {
    /// A label for messages.
    pub fn label(&self) -> &str {
        self.file.as_deref().unwrap_or("the embedded platform")
    }

    /// The landing-zone files of `env`, the cluster's before Argo CD's.
    pub fn zone_files(&self, env: &str) -> Vec<(&str, &str)> {
        let mut files: Vec<(&str, &str)> = Vec::new();
        for suffix in ["cluster.yaml", "argocd.yaml"] {
            let end = format!("/{env}/{suffix}");
            files.extend(self.zones.iter().filter(|(p, _)| p.ends_with(&end)).map(|(p, t)| (p.as_str(), t.as_str())));
        }
        files
    }

    /// Whether `team` has a landing zone in `env` (an app renders only where its team is).
    fn team_uses(&self, team: &str, env: &str) -> bool {
        self.zones.contains_key(&format!("{team}/{env}/cluster.yaml"))
    }

    /// A case's files to apply in `env`: each app's `manifests.yaml` and
    /// `application.yaml`, for the apps whose team uses `env`.
    pub fn case_files<'a>(&self, case: &'a Case, env: &str) -> Vec<(&'a str, &'a str)> {
        case.tree
            .iter()
            .filter(|(path, _)| {
                let parts: Vec<&str> = path.split('/').collect();
                matches!(parts.as_slice(), [team, _, e, "manifests.yaml" | "application.yaml"]
                    if *e == env && self.team_uses(team, env))
            })
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect()
    }
}

/// Paths under `dir` matching `parts` (`*` matches one folder level), sorted.
fn glob(dir: &Path, parts: &[&str], out: &mut Vec<String>) {
    match parts {
        [] => {}
        [last] => {
            if dir.join(last).exists() {
                out.push(common::relative(&dir.join(last)));
            }
        }
        ["*", rest @ ..] => {
            let mut entries: Vec<_> =
                std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
            entries.sort();
            for entry in entries.into_iter().filter(|p| p.is_dir()) {
                glob(&entry, rest, out);
            }
        }
        [first, rest @ ..] => glob(&dir.join(first), rest, out),
    }
}

fn matching(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    glob(&common::root(), &pattern.split('/').collect::<Vec<_>>(), &mut out);
    out
}

/// A YAML file of the repository as JSON.
fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(common::root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    paved_yaml::load_one(&text, paved_yaml::Limits::default()).expect("loads").to_json()
}

/// Render one case: `(name, platform file, command arguments)`.
fn render(name: &str, platform: Option<&str>, args: &[&str]) -> Case {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let mut command = common::paved();
    if let Some(file) = platform {
        command.args(["--platform", file]);
    }
    let result = command.args(args).arg("--out").arg(&out).output().expect("paved runs");
    assert!(result.status.success(), "{name}: {}", String::from_utf8_lossy(&result.stderr));
    Case { name: name.to_owned(), tree: common::read_tree(&out) }
}

/// Every case, rendered, grouped by platform file, with the landing zones.
pub fn everything() -> Vec<Platform> {
    let mut by_platform: BTreeMap<Option<String>, Vec<Case>> = BTreeMap::new();
    for app in matching("blueprints/*/*/tests/*/app.yaml") {
        let parts: Vec<&str> = app.split('/').collect();
        let (blueprint, version, case) = (parts[1], parts[2], parts[4]);
        let id = format!("{blueprint}@{version}");
        let name = app.trim_end_matches("/app.yaml");
        by_platform.entry(None).or_default().push(render(name, None, &["blueprint", "render", &id, "--case", case]));
    }
    for app in matching("tests/fixtures/*/app.yaml") {
        let folder = app.trim_end_matches("/app.yaml");
        by_platform.entry(None).or_default().push(render(folder, None, &["render", folder]));
    }
    by_platform.entry(None).or_default().push(render("examples", None, &["render", "examples"]));
    for readme in matching("tests/sets/*/README.md") {
        let set = readme.trim_end_matches("/README.md");
        let platform = Some(format!("{set}/platform.yaml")).filter(|p| common::root().join(p).is_file());
        let case = render(set, platform.as_deref(), &["render", set]);
        by_platform.entry(platform).or_default().push(case);
    }
    by_platform.into_iter().map(|(file, cases)| platform(file, cases)).collect()
}

/// The teams of `teams/`.
pub fn repository_teams() -> BTreeSet<String> {
    std::fs::read_dir(common::root().join("teams"))
        .expect("teams/")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".yaml").map(str::to_owned))
        .collect()
}

fn platform(file: Option<String>, cases: Vec<Case>) -> Platform {
    let settings = load(file.as_deref().unwrap_or("platform.yaml"));
    let environments: Vec<String> = settings["environments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .collect();
    let argocd_namespace = settings["gitops"]["argocdNamespace"].as_str().unwrap_or("argocd").to_owned();

    // Every team an app names, and for the embedded platform every team of `teams/`.
    let mut teams: BTreeSet<String> = cases
        .iter()
        .flat_map(|c| c.tree.keys().filter(|p| p.ends_with("/manifests.yaml")))
        .filter_map(|p| p.split('/').next().map(str::to_owned))
        .collect();
    if file.is_none() {
        teams.extend(repository_teams());
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, team) in teams.iter().enumerate() {
        let source = common::root().join("teams").join(format!("{team}.yaml"));
        let target = dir.path().join(format!("{team}.yaml"));
        if source.is_file() {
            std::fs::copy(&source, &target).expect("copy team file");
        } else {
            // Group IDs of a made-up team; quotas roomy enough for any test case's pod.
            let text = format!(
                "team: {team}\ngroups:\n  admins: {n:08x}-0000-4000-8000-00000000000a\n  \
                 developers: {n:08x}-0000-4000-8000-00000000000d\nquota:\n  cpu: \"64\"\n  memory: 256Gi\n  \
                 storage: 10Ti\n"
            );
            std::fs::write(&target, text).expect("write team file");
        }
    }
    let out = dir.path().join("zones");
    let mut command = common::paved();
    if let Some(file) = &file {
        command.args(["--platform", file]);
    }
    let result = command.arg("landing-zone").arg(dir.path()).arg("--out").arg(&out).output().expect("paved runs");
    assert!(
        result.status.success(),
        "landing zones of {teams:?} ({}): {}",
        file.as_deref().unwrap_or("embedded platform"),
        String::from_utf8_lossy(&result.stderr)
    );
    let zones = common::read_tree(&out);
    Platform { file, environments, argocd_namespace, zones, cases }
}
