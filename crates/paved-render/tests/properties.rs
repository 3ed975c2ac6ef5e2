//! Property: any generated app that passes validation renders, in every
//! environment, to objects that pass the strict Kubernetes and CRD schemas
//! and the security baseline, whose YAML reads back as the same data, and
//! renders the same twice. Free-text values (env vars) are arbitrary strings,
//! so hostile values are part of every run. The fuzz target (`fuzz/`) drives
//! the same check with arbitrary bytes.

#[path = "support/pipeline.rs"]
mod pipeline;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{Map, Value, json};

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,18}[a-z0-9]"
}

fn app() -> impl Strategy<Value = Value> {
    let blueprint = prop::sample::select(vec!["api@1", "api@1.0", "worker@1", "cronjob@1", "stateful@1"]);
    let env = prop::collection::btree_map("[A-Z_][A-Z0-9_]{0,12}", any::<String>(), 0..4);
    let replicas = prop_oneof![
        (1u32..20).prop_map(|n| json!(n)),
        (1u32..5, 0u32..10).prop_map(|(min, extra)| json!({ "min": min, "max": min + extra })),
    ];
    let cpu = prop::sample::select(vec!["100m", "0.5", "2", "250m", "1500m"]);
    let memory = prop::sample::select(vec!["128Mi", "1Gi", "512Mi", "2Gi"]);
    let tag = "[a-z0-9][a-z0-9._-]{0,20}";
    (
        (name(), "[a-z][a-z0-9]{0,10}", blueprint, tag, 1024u32..65535),
        (env, prop::option::of(replicas), prop::option::of((cpu, memory)), any::<bool>(), any::<bool>()),
        (prop::option::of(1u32..10), prop::collection::vec(name(), 0..3)),
    )
        .prop_map(
            |((name, team, blueprint, tag, port), (env, replicas, resources, ingress, metrics), (prod, calls))| {
                let mut app = Map::new();
                app.insert("name".into(), json!(name));
                app.insert("team".into(), json!(team));
                app.insert("blueprint".into(), json!(blueprint));
                app.insert("image".into(), json!(format!("acr.bank.internal/{team}/{name}:{tag}")));
                if !blueprint.starts_with("cronjob") {
                    app.insert("port".into(), json!(port));
                }
                if blueprint.starts_with("cronjob") {
                    app.insert("schedule".into(), json!("*/15 * * * *"));
                }
                if !env.is_empty() {
                    app.insert("env".into(), json!(env));
                }
                if let Some(replicas) = replicas.filter(|_| !blueprint.starts_with("cronjob")) {
                    app.insert("replicas".into(), replicas);
                }
                if let Some((cpu, memory)) = resources {
                    app.insert("resources".into(), json!({ "cpu": cpu, "memory": memory }));
                }
                if ingress && blueprint.starts_with("api") {
                    app.insert("ingress".into(), json!({ "host": name }));
                }
                if metrics && !blueprint.starts_with("cronjob") {
                    app.insert("metrics".into(), json!({ "port": 9090 }));
                }
                if !calls.is_empty() {
                    app.insert("calls".into(), json!(calls));
                }
                if let Some(n) = prod.filter(|_| !blueprint.starts_with("cronjob")) {
                    app.insert("environments".into(), json!({ "prod": { "replicas": n } }));
                }
                Value::Object(app)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn valid_apps_render_to_valid_objects(app in app()) {
        let text = paved_yaml::emit(&app);
        // Refusals are allowed (the generator can make a name too long for the
        // Application, say); a valid app must render right, or check_app panics.
        let _ = pipeline::check_app(&text);
    }
}

/// The generator mostly makes valid apps, so the property is not vacuous.
#[test]
fn most_generated_apps_are_valid() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = app();
    let (mut valid, total) = (0, 64);
    for _ in 0..total {
        let app = strategy.new_tree(&mut runner).expect("generates").current();
        if pipeline::check_app(&paved_yaml::emit(&app)).is_ok() {
            valid += 1;
        }
    }
    assert!(valid * 2 > total, "only {valid} of {total} generated apps are valid");
}

/// What the fuzzer kept (`tests/fuzz-regressions/`: the valid apps of its
/// minimised corpus and the smallest of the rest) goes through the same check
/// on every run: no input may panic, and every valid one must render right.
#[test]
fn fuzz_regressions_replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-regressions");
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("tests/fuzz-regressions").flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    let (mut valid, mut total) = (0, 0);
    for entry in entries {
        let bytes = std::fs::read(entry.path()).expect("reads");
        total += 1;
        // The CLI refuses text that is not UTF-8 before parsing; so does the fuzz target.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if pipeline::check_app(text).is_ok() {
                valid += 1;
            }
        }
    }
    assert!(total >= 400, "only {total} regression inputs");
    assert!(valid >= 150, "only {valid} of {total} regression inputs are valid apps");
}
