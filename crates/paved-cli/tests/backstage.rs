//! Backstage: every `catalog-info.yaml` paved writes (each app's Component and
//! Resources, from `paved render --out`; each team's Group, from `paved
//! landing-zone --out`) and the Software Templates in `backstage/` validate
//! against Backstage's own published JSON schemas (`@backstage/catalog-model`,
//! `@backstage/plugin-scaffolder-common`, installed by
//! `scripts/install-backstage-schemas`), and against the name rules Backstage
//! checks in code rather than in its schemas. The templates scaffold exactly
//! what `paved new` writes, for every blueprint of the catalog.
//!
//! Without the schemas (no node or npm), the schema tests are skipped with a
//! message, except under CI, where they fail.

// A skipped test says so on stderr, where the test runner shows it.
#![allow(clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// Where the schemas are: `PAVED_BACKSTAGE_SCHEMAS`, else what the install script prints.
fn schemas_dir() -> Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("PAVED_BACKSTAGE_SCHEMAS") {
            return Some(PathBuf::from(dir));
        }
        let output =
            std::process::Command::new(common::root().join("scripts/install-backstage-schemas")).output().ok()?;
        output.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
    })
    .clone()
}

/// The schemas, or `None` (and a visible message) when they cannot be had outside CI.
fn schemas(test: &str) -> Option<Schemas> {
    match schemas_dir() {
        Some(dir) => Some(Schemas::load(&dir)),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run {test}: Backstage's schemas are missing (scripts/install-backstage-schemas)"
            );
            eprintln!("SKIPPED {test}: Backstage's schemas are missing (run scripts/install-backstage-schemas)");
            None
        }
    }
}

/// The base URI the schemas' relative ids (`ComponentV1alpha1`, `Entity`, `common`) resolve against.
const BASE: &str = "https://backstage.invalid/";

struct Schemas {
    /// Validators by `apiVersion` and `kind`'s schema file (`Component.v1alpha1`).
    validators: BTreeMap<String, jsonschema::Validator>,
}

impl Schemas {
    fn load(dir: &Path) -> Schemas {
        let read = |file: &str| -> Value {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            serde_json::from_str(&text).expect("schema is JSON")
        };
        let shared = ["Entity", "EntityMeta", "common"].map(|name| {
            (format!("{BASE}{name}"), jsonschema::Resource::from_contents(read(&format!("{name}.schema.json"))))
        });
        let registry = jsonschema::Registry::new().extend(shared).expect("registry").prepare().expect("registry");
        let mut validators = BTreeMap::new();
        for kind in
            ["Component.v1alpha1", "Resource.v1alpha1", "Group.v1alpha1", "Location.v1alpha1", "Template.v1beta3"]
        {
            let validator = jsonschema::options()
                .with_base_uri(BASE)
                .with_registry(&registry)
                .build(&read(&format!("{kind}.schema.json")))
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            validators.insert(kind.to_owned(), validator);
        }
        Schemas { validators }
    }

    /// Every problem of one entity: the schema of its kind, then Backstage's name rules.
    fn problems(&self, entity: &Value) -> Vec<String> {
        let kind = entity["kind"].as_str().unwrap_or_default();
        let file = match kind {
            "Template" => "Template.v1beta3".to_owned(),
            _ => format!("{kind}.v1alpha1"),
        };
        let Some(validator) = self.validators.get(&file) else { return vec![format!("no schema for kind `{kind}`")] };
        let mut out: Vec<String> =
            validator.iter_errors(entity).map(|e| format!("{}: {e}", e.instance_path())).collect();
        out.extend(name_rules(entity));
        out
    }
}

/// What Backstage's `FieldFormatEntityPolicy` checks beyond the schemas (its
/// `KubernetesValidatorFunctions` and `CommonValidatorFunctions`): names of at most 63
/// letters, digits and single `-`, `_`, `.` between them; namespaces that are DNS labels;
/// tags in lowercase; annotation keys `prefix/name`; references `kind:namespace/name`.
fn name_rules(entity: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.split(['-', '_', '.']).all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    let label_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    let meta = &entity["metadata"];
    let name = meta["name"].as_str().unwrap_or_default();
    if !name_ok(name) {
        out.push(format!("metadata.name `{name}` is not a Backstage name"));
    }
    if let Some(namespace) = meta["namespace"].as_str() {
        if !label_ok(namespace) {
            out.push(format!("metadata.namespace `{namespace}` is not a DNS label"));
        }
    }
    for tag in meta["tags"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        let ok = !tag.is_empty()
            && tag.len() <= 63
            && tag.split('-').all(|p| {
                !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ":+#".contains(c))
            });
        if !ok {
            out.push(format!("tag `{tag}` is not a Backstage tag"));
        }
    }
    for key in meta["annotations"].as_object().into_iter().flatten().map(|(k, _)| k) {
        let ok = match key.split_once('/') {
            Some((prefix, name)) => prefix.split('.').all(label_ok) && name_ok(name),
            None => name_ok(key),
        };
        if !ok {
            out.push(format!("annotation key `{key}` is not valid"));
        }
    }
    let spec = &entity["spec"];
    let mut refs: Vec<&str> = spec["dependsOn"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    refs.extend(spec["owner"].as_str());
    for reference in refs {
        let ok = reference.split_once(':').and_then(|(kind, rest)| {
            let (namespace, name) = rest.split_once('/')?;
            Some(!kind.is_empty() && label_ok(namespace) && name_ok(name))
        });
        if ok != Some(true) {
            out.push(format!("reference `{reference}` is not `kind:namespace/name`"));
        }
    }
    out
}

/// Every entity of every `catalog-info.yaml` (and `template.yaml`) in a tree, by file.
fn entities(tree: &BTreeMap<String, String>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, text) in tree.iter().filter(|(p, _)| p.ends_with("catalog-info.yaml") || p.ends_with("template.yaml")) {
        let docs = paved_yaml::load_all(text, paved_yaml::Limits::default()).expect("entities load");
        out.extend(docs.iter().map(|d| (path.clone(), d.to_json())));
    }
    out
}

fn check(what: &str, schemas: &Schemas, entities: &[(String, Value)]) {
    assert!(!entities.is_empty(), "{what}: no entities");
    let problems: Vec<String> = entities
        .iter()
        .flat_map(|(path, e)| schemas.problems(e).into_iter().map(move |p| format!("{path}: {p}")))
        .collect();
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
}

#[test]
fn app_entities_are_valid_backstage_entities() {
    let Some(schemas) = schemas("app_entities_are_valid_backstage_entities") else { return };
    for path in [
        "examples",
        "tests/sets/bank-core",
        "tests/sets/cilium-only",
        "tests/sets/four-environments",
        "tests/sets/kubernetes-only",
        "blueprints/api/1.3.0/tests",
        "blueprints/job/1.0.0/tests",
    ] {
        let dir = common::root().join(path);
        let mut args = Vec::new();
        if dir.join("platform.yaml").is_file() {
            args = vec!["--platform".to_owned(), format!("{path}/platform.yaml")];
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let tree = common::render_tree(path, &args);
        let found = entities(&tree);
        check(path, &schemas, &found);
        // Every app has its Component, and every reference within the set resolves.
        let components = found.iter().filter(|(_, e)| e["kind"] == "Component").count();
        assert_eq!(components, tree.keys().filter(|p| p.ends_with("/catalog-info.yaml")).count(), "{path}");
        let defined: Vec<String> = found
            .iter()
            .map(|(_, e)| {
                let kind = e["kind"].as_str().unwrap_or_default().to_lowercase();
                format!(
                    "{kind}:{}/{}",
                    e["metadata"]["namespace"].as_str().unwrap_or("default"),
                    e["metadata"]["name"].as_str().unwrap_or_default()
                )
            })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for entity in &defined {
            assert!(seen.insert(entity), "{path}: `{entity}` is defined twice");
        }
        for (file, e) in &found {
            for dependency in e["spec"]["dependsOn"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                assert!(defined.iter().any(|d| d == dependency), "{path}: {file}: `{dependency}` is not defined");
            }
        }
    }
}

/// The schemas do judge: entities Backstage would refuse are refused here too.
#[test]
fn the_schemas_refuse_what_backstage_refuses() {
    let Some(schemas) = schemas("the_schemas_refuse_what_backstage_refuses") else { return };
    let good = serde_json::json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": { "name": "payments-api", "namespace": "payments" },
        "spec": { "type": "api", "lifecycle": "production", "owner": "group:default/payments" },
    });
    assert_eq!(schemas.problems(&good), Vec::<String>::new());
    let mut no_owner = good.clone();
    no_owner["spec"].as_object_mut().expect("spec").remove("owner");
    let mut bad_lifecycle = good.clone();
    bad_lifecycle["spec"]["lifecycle"] = serde_json::json!(3);
    let mut bad_name = good.clone();
    bad_name["metadata"]["name"] = serde_json::json!("payments api");
    let mut bad_reference = good.clone();
    bad_reference["spec"]["dependsOn"] = serde_json::json!(["ledger-db"]);
    for (what, entity) in [
        ("no owner", no_owner),
        ("a number as lifecycle", bad_lifecycle),
        ("a space in the name", bad_name),
        ("a bare reference", bad_reference),
    ] {
        assert!(!schemas.problems(&entity).is_empty(), "{what} passes");
    }
}

#[test]
fn team_groups_are_valid_backstage_entities() {
    let Some(schemas) = schemas("team_groups_are_valid_backstage_entities") else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let result = common::paved().args(["landing-zone", "teams", "--out"]).arg(&out).output().expect("runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let tree = common::read_tree(&out);
    let found = entities(&tree);
    check("teams", &schemas, &found);
    let groups: Vec<&str> = found.iter().filter_map(|(_, e)| e["metadata"]["name"].as_str()).collect();
    assert_eq!(groups, ["payments", "web"]);
    for (_, group) in &found {
        let annotations = group["metadata"]["annotations"].as_object().expect("annotations");
        assert!(annotations.contains_key("paved.io/entra-id-admins-group"), "{group}");
        assert!(annotations.contains_key("paved.io/entra-id-developers-group"), "{group}");
    }
}

#[test]
fn templates_are_valid_backstage_templates() {
    let Some(schemas) = schemas("templates_are_valid_backstage_templates") else { return };
    let tree = common::read_tree(&common::root().join("backstage"));
    let found = entities(&tree);
    check("backstage/", &schemas, &found);
}

/// The Software Templates scaffold what `paved new` writes for every blueprint of the
/// catalog: `backstage/templates/<blueprint>/` holds `template.yaml` and, in
/// `skeleton/`, the app file and pipeline of `paved new` with the name and team as the
/// template's values. `PAVED_UPDATE_BACKSTAGE=1` (or `scripts/backstage-templates`)
/// writes them afresh; otherwise a stale file fails, naming that command.
#[test]
fn templates_scaffold_what_paved_new_writes() {
    let expected = expected_templates();
    let dir = common::root().join("backstage");
    if std::env::var_os("PAVED_UPDATE_BACKSTAGE").is_some() {
        let _ = std::fs::remove_dir_all(dir.join("templates"));
        for (path, text) in &expected {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, text).expect("write");
        }
    }
    let actual = common::read_tree(&dir);
    let stale: Vec<&String> =
        expected.keys().chain(actual.keys()).filter(|p| expected.get(*p) != actual.get(*p)).collect();
    assert!(
        stale.is_empty(),
        "backstage/ is stale: {stale:?}\nhelp: run `scripts/backstage-templates` and commit the result"
    );
}

/// Placeholders `paved new` writes that the template turns into its values.
const NAME: &str = "scaffolded-app";
const TEAM: &str = "scaffolded-team";

fn expected_templates() -> BTreeMap<String, String> {
    let catalog = paved_blueprint::Catalog::embedded().expect("catalog");
    let mut names: Vec<String> = catalog
        .iter()
        .filter(|b| b.publication.as_ref().is_some_and(|p| !p.yanked))
        .map(|b| b.meta.name.clone())
        .collect();
    names.dedup();
    let mut files = BTreeMap::new();
    let mut targets = Vec::new();
    for name in &names {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("app");
        let result = common::paved()
            .args(["new", NAME, "--team", TEAM, "--blueprint", name, "--dir"])
            .arg(&dir)
            .output()
            .expect("runs");
        assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
        let blueprint = catalog
            .iter()
            .filter(|b| &b.meta.name == name && b.publication.as_ref().is_some_and(|p| !p.yanked))
            .last()
            .expect("published");
        for file in ["app.yaml", "azure-pipelines.yml"] {
            let text = std::fs::read_to_string(dir.join(file)).expect("paved new wrote it");
            let text = text.replace(NAME, "${{ values.name }}").replace(TEAM, "${{ values.team }}");
            files.insert(format!("templates/{name}/skeleton/{file}"), text);
        }
        files.insert(format!("templates/{name}/template.yaml"), template(name, &blueprint.meta.description));
        targets.push(format!("./templates/{name}/template.yaml"));
    }
    let location = serde_json::json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Location",
        "metadata": {
            "name": "paved-templates",
            "description": "paved's Software Templates, one per blueprint: register this file in Backstage",
        },
        "spec": { "type": "url", "targets": targets },
    });
    files.insert("catalog-info.yaml".to_owned(), header(&paved_yaml::emit(&location)));
    files
}

fn header(yaml: &str) -> String {
    format!("# Generated by `scripts/backstage-templates` from what `paved new` writes; do not edit.\n{yaml}")
}

fn template(blueprint: &str, description: &str) -> String {
    let label = |pattern: &str, max: u64, title: &str, help: &str| serde_json::json!({ "title": title, "type": "string", "pattern": pattern, "maxLength": max, "description": help });
    let template = serde_json::json!({
        "apiVersion": "scaffolder.backstage.io/v1beta3",
        "kind": "Template",
        "metadata": {
            "name": format!("paved-{blueprint}"),
            "title": format!("A new {blueprint} app (paved)"),
            "description": description,
            "tags": ["paved", blueprint],
        },
        "spec": {
            "owner": "group:default/platform",
            "type": blueprint,
            "parameters": [
                {
                    "title": "The app",
                    "required": ["name", "team"],
                    "properties": {
                        "name": label("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", 40, "Name", "The app's name: lowercase letters, digits and `-`; every object is named from it"),
                        "team": label("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", 63, "Team", "The owning team, as in its team file (teams/<team>.yaml)"),
                    },
                },
                {
                    "title": "The repository",
                    "required": ["repoUrl"],
                    "properties": {
                        "repoUrl": {
                            "title": "Repository",
                            "type": "string",
                            "ui:field": "RepoUrlPicker",
                            "ui:options": { "allowedHosts": ["dev.azure.com"] },
                        },
                    },
                },
            ],
            "steps": [
                {
                    "id": "fetch",
                    "name": "Write app.yaml and azure-pipelines.yml, as `paved new` does",
                    "action": "fetch:template",
                    "input": { "url": "./skeleton", "values": { "name": "${{ parameters.name }}", "team": "${{ parameters.team }}" } },
                },
                {
                    "id": "publish",
                    "name": "Publish to Azure Repos",
                    "action": "publish:azure",
                    "input": { "repoUrl": "${{ parameters.repoUrl }}", "description": format!("{blueprint} app ${{{{ parameters.name }}}} of team ${{{{ parameters.team }}}}") },
                },
            ],
            "output": {
                "links": [{ "title": "Repository", "url": "${{ steps.publish.output.remoteUrl }}" }],
            },
        },
    });
    header(&paved_yaml::emit(&template))
}
