//! Security posture, judged by checkov, the scanner banks run over Kubernetes
//! manifests. Every object paved renders for the example apps (`examples/`,
//! rendered together, as CI renders them), for every blueprint test case, and
//! for the landing zones of `teams/` (the only RBAC objects paved writes) goes
//! through one run of checkov's Kubernetes framework, graph checks
//! (`CKV2_K8S_*`) included. Any failed check fails the test, which names the
//! check and its title, the object (kind/name), its app, environment,
//! blueprint version and case, the field checkov looked at, and checkov's
//! guideline.
//!
//! A blueprint test case renders as an app with that file would: by its pin,
//! so with the newest version the pin allows (as `helm.rs` does). The cases of
//! `api/1.0.0` pin `api@1` and render with the newest `api@1`: every case ever
//! published holds the newest version of its major to the bar. An app file
//! whose image has neither tag nor digest renders with the tag the pipeline
//! passes (`--image-tag`), since paved warns about such a file and what reaches
//! a cluster always has one.
//!
//! checkov's graph joins a NetworkPolicy to every pod its selector matches, in
//! any file and any namespace, so one case's policies (or a landing zone's
//! default deny, which selects every pod) would vouch for another case's pods
//! in `CKV2_K8S_6`. Each case in each environment is one cluster: the objects
//! written for checkov carry one more label, naming it, on their pod templates
//! and in their policies' pod selectors, and nothing else changes.
//!
//! The checks paved is not held to are in [`SKIPS`], each with its reason, and
//! in `docs/security-posture.md` (a test here holds the two together); an
//! object that skips a check itself (a `checkov.io/skip…` annotation) fails.
//! A probe an app file turns off (`probes.liveness: false`) fails checkov's
//! probe check on that app, and the test accepts that there ([`TURNED_OFF`]).
//!
//! `scripts/test` installs checkov (pinned, in its own virtualenv under
//! `~/.cache/paved/`) and sets `PAVED_CHECKOV`; without checkov the test says
//! it skipped, except under CI, where it fails. checkov runs offline: no
//! update check, nothing downloaded from its vendor's platform.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

/// A check paved is not held to, and why; `blueprint: None` for every object
/// paved renders, `Some(name)` for one blueprint's objects only.
struct Skip {
    check: &'static str,
    blueprint: Option<&'static str>,
    why: &'static str,
}

/// The one place checks are skipped. At most three apply to every blueprint
/// (issue 14); a skip for one blueprint (a worker that cannot be probed, say)
/// names it. Each has a row in `docs/security-posture.md`.
const SKIPS: &[Skip] = &[
    Skip {
        check: "CKV_K8S_11",
        blueprint: None,
        why: "CPU limits are optional: a CPU limit throttles a pod even while the node has CPU to spare, so paved sets \
              a CPU request and a memory limit, and a CPU limit only where the app file asks for one",
    },
    Skip {
        check: "CKV_K8S_43",
        blueprint: None,
        why: "digests are supplied at deploy time: the app file names a tag, and the pipeline commits the built \
              image's digest to the chart's `image.digest`, so what runs is pinned by digest",
    },
    Skip {
        check: "CKV_K8S_35",
        blueprint: None,
        why: "secrets come in through `envFrom`: the app file names Kubernetes Secrets, which reach the container as \
              environment variables, since the app file has no volumes to mount them as files",
    },
    Skip {
        check: "CKV_K8S_8",
        blueprint: Some("worker"),
        why: "a worker takes no traffic and often serves nothing a probe could ask: without a liveness probe of its \
              own (`probes.liveness`, an `exec` or a check of its metrics port), Kubernetes restarts it when its \
              process exits, and a probe paved invented would prove nothing",
    },
    Skip {
        check: "CKV_K8S_9",
        blueprint: Some("worker"),
        why: "a worker takes no traffic, so readiness gates nothing but a rollout; it declares a readiness probe \
              (`probes.readiness`) where it has a meaningful one",
    },
];

/// How many skips may apply to every blueprint.
const MAX_SKIPS_FOR_ALL: usize = 3;

/// Checks an app file turns off itself, beside the skips because they are
/// not paved's: `probes.liveness: false` renders no liveness probe, and
/// checkov reports that. It is the app team's choice, written in its app file
/// and reviewed there, so the test accepts that failure on that app's
/// workloads, in the environments where the probe is off, and nowhere else.
const TURNED_OFF: &[(&str, &str)] = &[("CKV_K8S_8", "liveness"), ("CKV_K8S_9", "readiness")];

/// The tag an app without one is rendered with: a CI build id, as the pipeline passes it.
const PIPELINE_TAG: &str = "4711";

/// The label that makes each case and environment a cluster of its own in checkov's graph.
const SCAN_LABEL: &str = "checkov-scan";

/// Where a written object came from.
#[derive(Debug, Clone)]
struct Origin {
    case: String,
    env: String,
    /// `team/app`, or the team for a landing zone.
    app: String,
    kind: String,
    name: String,
    /// `api@1.2.0`, or `landing zone`.
    blueprint: String,
    /// The probes its app file turns off in its environment (`liveness`).
    turned_off: BTreeSet<String>,
}

impl Origin {
    /// The blueprint's name (`api`), as [`Skip::blueprint`] names it.
    fn blueprint_name(&self) -> &str {
        self.blueprint.split('@').next().unwrap_or_default()
    }
}

fn checkov() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PAVED_CHECKOV") {
        return Some(PathBuf::from(path));
    }
    let cache = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/paved"));
    let cached = cache
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("checkov-"))
        .map(|e| e.path().join("bin/checkov"))
        .find(|p| p.is_file());
    cached.or_else(|| {
        let works = Command::new("checkov").arg("--version").output().is_ok_and(|o| o.status.success());
        works.then(|| PathBuf::from("checkov"))
    })
}

/// The probes the app `team/app` turns off (`probes.<kind>: false`) in `env`:
/// in its base settings, unless the environment's settings turn them on again.
fn turned_off(apps: &[Value], app: &str, env: &str) -> BTreeSet<String> {
    let Some(file) = apps.iter().find(|a| {
        format!("{}/{}", a["team"].as_str().unwrap_or_default(), a["name"].as_str().unwrap_or_default()) == app
    }) else {
        return BTreeSet::new();
    };
    let base = file["probes"].as_object().into_iter().flatten();
    let mut off: BTreeMap<String, bool> = base.map(|(k, v)| (k.clone(), v == &Value::Bool(false))).collect();
    for (kind, value) in file["environments"][env]["probes"].as_object().into_iter().flatten() {
        off.insert(kind.clone(), value == &Value::Bool(false));
    }
    off.into_iter().filter(|(_, off)| *off).map(|(kind, _)| kind).collect()
}

/// Whether an image reference names a tag or a digest.
fn pinned(image: &str) -> bool {
    image.contains('@') || image.rsplit('/').next().is_some_and(|last| last.contains(':'))
}

/// What the test renders: a case, its app files, how it is rendered.
struct Case {
    /// `examples`, or `<blueprint>/<version>/<case>`.
    name: String,
    /// What `paved render` is given.
    path: String,
    extra: Vec<String>,
    /// The app files, as written.
    apps: Vec<Value>,
}

fn app_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("app file");
    paved_yaml::load_one(&text, paved_yaml::Limits::default()).expect("app file loads").to_json()
}

/// The examples, together, then every blueprint test case.
fn cases() -> Vec<Case> {
    let root = common::root();
    let examples: Vec<Value> = sorted_dirs(&root.join("examples"))
        .iter()
        .map(|d| d.join("app.yaml"))
        .filter(|f| f.is_file())
        .map(|f| app_file(&f))
        .collect();
    let mut cases =
        vec![Case { name: "examples".to_owned(), path: "examples".to_owned(), extra: Vec::new(), apps: examples }];
    for blueprint in sorted_dirs(&root.join("blueprints")) {
        for version in sorted_dirs(&blueprint) {
            for case in sorted_dirs(&version.join("tests")) {
                let path = case.join("app.yaml");
                if !path.is_file() {
                    continue;
                }
                let app = app_file(&path);
                let image = app["image"].as_str().unwrap_or_default();
                let extra =
                    if pinned(image) { Vec::new() } else { vec!["--image-tag".to_owned(), PIPELINE_TAG.to_owned()] };
                let rel = common::relative(&path);
                // blueprints/<name>/<version>/tests/<case>/app.yaml → <name>/<version>/<case>
                let parts: Vec<&str> = rel.split('/').collect();
                let name = format!("{}/{}/{}", parts[1], parts[2], parts[4]);
                cases.push(Case { name, path: rel, extra, apps: vec![app] });
            }
        }
    }
    cases
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn landing_zones() -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("zones");
    let result = common::paved().args(["landing-zone", "teams/", "--out"]).arg(&out).output().expect("runs");
    assert!(result.status.success(), "landing-zone teams/ failed:\n{}", String::from_utf8_lossy(&result.stderr));
    common::read_tree(&out)
}

/// The objects of a rendered tree with their origin: the manifests and
/// Applications of an app tree (`team/app/env/…`), every file of a landing-zone
/// tree (`team/env/…`).
fn objects_of(case: &str, apps: &[Value], tree: &BTreeMap<String, String>, landing: bool) -> Vec<(Origin, Value)> {
    let mut out = Vec::new();
    for (path, text) in tree {
        let parts: Vec<&str> = path.split('/').collect();
        let (app, env) = match (landing, parts.as_slice()) {
            (true, [team, env, file]) if file.ends_with(".yaml") => ((*team).to_owned(), *env),
            (false, [team, app, env, "manifests.yaml" | "application.yaml"]) => (format!("{team}/{app}"), *env),
            _ => continue,
        };
        let documents = paved_yaml::load_all(text, paved_yaml::Limits::default()).expect("rendered YAML loads");
        for object in documents.iter().map(paved_yaml::Node::to_json) {
            let origin = Origin {
                case: case.to_owned(),
                env: env.to_owned(),
                app: app.clone(),
                kind: object["kind"].as_str().unwrap_or_default().to_owned(),
                name: object["metadata"]["name"].as_str().unwrap_or_default().to_owned(),
                blueprint: String::new(),
                turned_off: turned_off(apps, &app, env),
            };
            out.push((origin, object));
        }
    }
    // Applications carry no blueprint annotation: an app's objects share its blueprint.
    let mut blueprints = BTreeMap::new();
    for (origin, object) in &out {
        if let Some(b) = object["metadata"]["annotations"]["paved.io/blueprint"].as_str() {
            blueprints.insert((origin.app.clone(), origin.env.clone()), b.to_owned());
        }
    }
    for (origin, _) in &mut out {
        origin.blueprint = if landing {
            "landing zone".to_owned()
        } else {
            blueprints.get(&(origin.app.clone(), origin.env.clone())).cloned().unwrap_or_default()
        };
    }
    out
}

/// Add the scan label to a workload's pod template and to a NetworkPolicy's
/// pod selector (see the module comment); every other object stays as rendered.
fn isolate(object: &mut Value, cluster: &str) {
    let kind = object["kind"].as_str().unwrap_or_default().to_owned();
    let labels = if kind == "NetworkPolicy" {
        Some("/spec/podSelector/matchLabels".to_owned())
    } else {
        paved_kinds::by_kind(&kind)
            .and_then(|k| k.pod_spec)
            .map(|spec| format!("{}/metadata/labels", spec.strip_suffix("/spec").unwrap_or(spec)))
    };
    let Some(pointer) = labels else { return };
    let mut at = &mut *object;
    for key in pointer.split('/').skip(1) {
        let Value::Object(map) = at else { return };
        at = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = at {
        map.insert(SCAN_LABEL.to_owned(), Value::String(cluster.to_owned()));
    }
}

/// Write each object to a file of its own under `dir`, named so a person can
/// find it; returns file → origin.
fn write_all(dir: &Path, objects: Vec<(Origin, Value)>) -> BTreeMap<PathBuf, Origin> {
    let mut written = BTreeMap::new();
    for (origin, mut object) in objects {
        let case = origin.case.replace('/', "__");
        let cluster = format!("{case}.{}", origin.env);
        isolate(&mut object, &cluster.replace("__", "."));
        let folder = dir.join(&case).join(&origin.env).join(&origin.app);
        std::fs::create_dir_all(&folder).expect("mkdir");
        let file = folder.join(format!("{}-{}.yaml", origin.kind.to_lowercase(), origin.name));
        assert!(!written.contains_key(&file), "{file:?} written twice");
        std::fs::write(&file, paved_yaml::emit_documents([&object])).expect("write");
        written.insert(file, origin);
    }
    written
}

/// One run of checkov over `dir`: its reports (one per framework; here one).
fn run(checkov: &Path, dir: &Path) -> Vec<Value> {
    let out = Command::new(checkov)
        .args(["--framework", "kubernetes", "--output", "json", "--compact", "--skip-download", "--directory"])
        .arg(dir)
        .env("CKV_SKIP_PACKAGE_UPDATE_CHECK", "true")
        .output()
        .expect("checkov runs");
    // 0: nothing failed; 1: something failed; anything else: checkov broke.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "checkov failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("checkov's JSON does not parse ({e}):\n{}", String::from_utf8_lossy(&out.stderr));
    });
    match report {
        Value::Array(reports) => reports,
        report => vec![report],
    }
}

/// Every record of a kind (`failed_checks`, `passed_checks`, …) in the reports.
fn records<'a>(reports: &'a [Value], kind: &'a str) -> impl Iterator<Item = &'a Value> {
    reports.iter().flat_map(move |r| r["results"][kind].as_array().into_iter().flatten())
}

/// The skip that covers a failed check on an object, if any.
fn skip_for(check: &str, origin: &Origin) -> Option<&'static Skip> {
    SKIPS.iter().find(|s| s.check == check && s.blueprint.is_none_or(|b| b == origin.blueprint_name()))
}

/// Failed checks, one paragraph per check, one line per object (its
/// environments together), for a person fixing a template.
fn describe(failures: &[(&Value, &Origin)]) -> String {
    /// Blueprint, case, app, object, the fields checkov looked at.
    type Key = (String, String, String, String, String);
    let mut by_check: BTreeMap<(String, String), BTreeMap<Key, BTreeSet<String>>> = BTreeMap::new();
    let mut guidelines = BTreeMap::new();
    for (record, origin) in failures {
        let id = record["check_id"].as_str().unwrap_or_default().to_owned();
        let title = record["check_name"].as_str().unwrap_or_default().to_owned();
        let guideline = record["guideline"]
            .as_str()
            .map(|g| format!("guideline: {g}"))
            .or_else(|| record["check_class"].as_str().map(|c| format!("no guideline offline; the check is `{c}`")))
            .unwrap_or_default();
        guidelines.insert(id.clone(), guideline);
        // The graph checks judge the Pods checkov derives from a workload.
        let resource_kind = record["resource"].as_str().unwrap_or_default().split('.').next().unwrap_or_default();
        let object = if resource_kind == origin.kind || resource_kind.is_empty() {
            format!("{}/{}", origin.kind, origin.name)
        } else {
            format!("{}/{} (its {resource_kind})", origin.kind, origin.name)
        };
        let keys: Vec<&str> = record["check_result"]["evaluated_keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let key = (origin.blueprint.clone(), origin.case.clone(), origin.app.clone(), object, keys.join(", "));
        by_check.entry((id, title)).or_default().entry(key).or_default().insert(origin.env.clone());
    }
    let mut text = String::new();
    for ((id, title), objects) in &by_check {
        text.push_str(&format!("\n{id} {title} ({} objects)\n  {}\n", objects.len(), guidelines[id]));
        for ((blueprint, case, app, object, keys), envs) in objects {
            let envs: Vec<&str> = envs.iter().map(String::as_str).collect();
            text.push_str(&format!(
                "  {blueprint}: {object}, app {app}, environments {}, case {case}{}\n",
                envs.join(", "),
                if keys.is_empty() { String::new() } else { format!("; checkov looked at {keys}") }
            ));
        }
    }
    text
}

#[test]
fn every_rendered_object_passes_checkov() {
    let Some(checkov) = checkov() else {
        assert!(std::env::var_os("CI").is_none(), "CI must run this test: no checkov (run scripts/test)");
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "SKIPPED every_rendered_object_passes_checkov: no checkov found (scripts/test installs it, or set \
                 PAVED_CHECKOV)"
            );
        }
        return;
    };
    // checkov passes over every path with a folder whose name starts with a
    // dot, as temporary folders' names do by default.
    let scan = tempfile::Builder::new().prefix("paved-checkov-").tempdir().expect("tempdir");
    let dir = scan.path().canonicalize().expect("temporary folder");
    let mut objects = Vec::new();
    for case in cases() {
        let extra: Vec<&str> = case.extra.iter().map(String::as_str).collect();
        objects.extend(objects_of(&case.name, &case.apps, &common::render_tree(&case.path, &extra), false));
    }
    objects.extend(objects_of("teams", &[], &landing_zones(), true));
    for (origin, object) in &objects {
        let annotations = object["metadata"]["annotations"].as_object().into_iter().flatten();
        let skips: Vec<&String> = annotations.map(|(k, _)| k).filter(|k| k.starts_with("checkov.io/skip")).collect();
        assert!(
            skips.is_empty(),
            "{}/{} ({}, {}) skips checks itself with {skips:?}: skips live in SKIPS in this test, with a reason, and \
             in docs/security-posture.md",
            origin.kind,
            origin.name,
            origin.case,
            origin.env
        );
    }
    assert!(objects.len() >= 300, "only {} objects", objects.len());
    let written = write_all(&dir, objects);

    let reports = run(&checkov, &dir);
    let parsing: Vec<&Value> =
        reports.iter().flat_map(|r| r["results"]["parsing_errors"].as_array()).flatten().collect();
    assert!(parsing.is_empty(), "checkov could not read {parsing:?}");
    let skipped: Vec<&Value> = records(&reports, "skipped_checks").collect();
    assert!(skipped.is_empty(), "checkov skipped checks the test did not ask it to skip: {skipped:?}");

    // checkov judged every object it has checks for; a file it silently
    // passed over would otherwise pass.
    let origin_of = |record: &Value| {
        let file = record["file_abs_path"].as_str().unwrap_or_default();
        written
            .get(Path::new(file))
            .unwrap_or_else(|| panic!("checkov reports on a file the test did not write: {file}"))
    };
    let judged: BTreeSet<&Path> = records(&reports, "passed_checks")
        .chain(records(&reports, "failed_checks"))
        .filter_map(|r| r["file_abs_path"].as_str())
        .map(Path::new)
        .collect();
    let judged_kinds = ["Deployment", "StatefulSet", "CronJob", "Service", "ServiceAccount", "Ingress", "RoleBinding"];
    let unjudged: Vec<&Origin> = written
        .iter()
        .filter(|(file, origin)| judged_kinds.contains(&origin.kind.as_str()) && !judged.contains(file.as_path()))
        .map(|(_, origin)| origin)
        .collect();
    assert!(
        unjudged.is_empty(),
        "checkov judged none of {} objects it has checks for, such as {:?}",
        unjudged.len(),
        unjudged.first()
    );

    let mut failures = Vec::new();
    let mut accepted = BTreeMap::<String, usize>::new();
    for record in records(&reports, "failed_checks") {
        let origin = origin_of(record);
        let check = record["check_id"].as_str().unwrap_or_default();
        let app_choice = TURNED_OFF.iter().any(|(c, probe)| *c == check && origin.turned_off.contains(*probe));
        if let Some(skip) = skip_for(check, origin) {
            *accepted.entry(format!("{} (skipped)", skip.check)).or_default() += 1;
        } else if app_choice {
            *accepted.entry(format!("{check} (turned off in the app file)")).or_default() += 1;
        } else {
            failures.push((record, origin));
        }
    }
    #[allow(clippy::print_stderr)]
    {
        let passed = records(&reports, "passed_checks").count();
        eprintln!("checkov: {passed} checks passed on {} objects; failures accepted: {accepted:?}", written.len());
    }
    assert!(
        failures.is_empty(),
        "checkov fails {} checks on what paved renders:\n{}\nhelp: fix what renders the object (a blueprint's \
         templates, in a new version; the landing zone, in paved-render); where paved must not be held to a check, \
         add it to SKIPS in crates/paved-cli/tests/checkov.rs with its reason and document it in \
         docs/security-posture.md",
        failures.len(),
        describe(&failures)
    );
}

/// The skips are few, named once each, and documented: every row of the skip
/// table in `docs/security-posture.md` is a skip here and every skip has a row
/// (check and blueprint; the reasons are worded for each reader).
#[test]
fn skips_are_few_and_documented() {
    let for_all = SKIPS.iter().filter(|s| s.blueprint.is_none()).count();
    assert!(for_all <= MAX_SKIPS_FOR_ALL, "{for_all} checks skipped for every blueprint; at most {MAX_SKIPS_FOR_ALL}");
    let ours: BTreeSet<(String, String)> = SKIPS
        .iter()
        .map(|s| (s.check.to_owned(), s.blueprint.map_or("every blueprint".to_owned(), |b| format!("`{b}`"))))
        .collect();
    assert_eq!(ours.len(), SKIPS.len(), "a check is skipped twice for the same blueprints");
    assert!(SKIPS.iter().all(|s| !s.why.is_empty()), "a skip without a reason");

    let doc =
        std::fs::read_to_string(common::root().join("docs/security-posture.md")).expect("docs/security-posture.md");
    let section = doc.split("\n## ").find(|s| s.starts_with("Skipped checks")).expect("a section `## Skipped checks`");
    let documented: BTreeSet<(String, String)> = section
        .lines()
        .filter(|l| l.starts_with("| `CKV"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect();
    assert_eq!(ours, documented, "SKIPS and the skip table of docs/security-posture.md differ");
}

/// A probe is off where the app file says `false`, and on again where an
/// environment gives it a path.
#[test]
fn probes_an_app_turns_off_are_known_per_environment() {
    let app = serde_json::json!({
        "name": "grpc-api", "team": "payments",
        "probes": {"liveness": false, "readiness": "/ready"},
        "environments": {"prod": {"probes": {"liveness": "/live"}}, "test": {"probes": {"readiness": false}}},
    });
    let off = |env: &str| turned_off(std::slice::from_ref(&app), "payments/grpc-api", env);
    assert_eq!(off("dev"), BTreeSet::from(["liveness".to_owned()]));
    assert_eq!(off("prod"), BTreeSet::new());
    assert_eq!(off("test"), BTreeSet::from(["liveness".to_owned(), "readiness".to_owned()]));
    assert_eq!(turned_off(std::slice::from_ref(&app), "payments/other", "dev"), BTreeSet::new());
}
