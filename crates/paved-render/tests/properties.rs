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
    let blueprint = prop::sample::select(vec!["api@1", "api@1.0", "worker@1", "cronjob@1", "stateful@1", "job@1"]);
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
        workload(),
        composition(),
    )
        .prop_map(
            |(
                (name, team, blueprint, tag, port),
                (env, replicas, resources, ingress, metrics),
                (prod, calls),
                more,
                composed,
            )| {
                // Neither a cron job nor a one-off job runs all the time.
                let runs_once = blueprint.starts_with("cronjob") || blueprint.starts_with("job");
                let mut app = Map::new();
                app.insert("name".into(), json!(name));
                app.insert("team".into(), json!(team));
                app.insert("blueprint".into(), json!(blueprint));
                app.insert("image".into(), json!(format!("acr.bank.internal/{team}/{name}:{tag}")));
                if !runs_once {
                    app.insert("port".into(), json!(port));
                }
                if blueprint.starts_with("cronjob") {
                    app.insert("schedule".into(), json!("*/15 * * * *"));
                }
                if blueprint.starts_with("stateful") {
                    app.insert("storage".into(), json!({ "size": "10Gi" }));
                }
                if !env.is_empty() {
                    app.insert("env".into(), json!(env));
                }
                if let Some(replicas) = replicas.filter(|_| !runs_once) {
                    app.insert("replicas".into(), replicas);
                }
                if let Some((cpu, memory)) = resources {
                    app.insert("resources".into(), json!({ "cpu": cpu, "memory": memory }));
                }
                if ingress && blueprint.starts_with("api") {
                    app.insert("ingress".into(), json!({ "host": name }));
                }
                if metrics && !runs_once {
                    app.insert("metrics".into(), json!({ "port": 9090 }));
                }
                if !calls.is_empty() {
                    app.insert("calls".into(), json!(calls));
                }
                if let Some(n) = prod.filter(|_| !runs_once) {
                    app.insert("environments".into(), json!({ "prod": { "replicas": n } }));
                }
                // The fields of the newer versions, where the pin allows them.
                if blueprint != "api@1.0" {
                    let name = blueprint.split('@').next().unwrap_or_default();
                    more.add_to(&mut app, name);
                    composed.add_to(&mut app, name);
                }
                Value::Object(app)
            },
        )
}

/// The workload fields of api 1.2, worker 1.1, cronjob 1.1 and stateful 1.1,
/// each present or not; annotation values are arbitrary strings.
#[derive(Debug, Clone)]
struct Workload {
    protocol: Option<&'static str>,
    extra_port: Option<(u32, bool)>,
    probe: Option<Value>,
    limits: Option<&'static str>,
    run_as: Option<u32>,
    annotations: std::collections::BTreeMap<String, String>,
    grace: Option<&'static str>,
    recreate: bool,
    tuning: Option<(u32, u32, &'static str)>,
}

fn workload() -> impl Strategy<Value = Workload> {
    let probe = prop_oneof![
        Just(json!(false)),
        Just(json!("/healthz")),
        Just(json!({ "tcp": true, "period": "15s" })),
        Just(json!({ "exec": ["/bin/check", "--quick"], "timeout": "3s", "failureThreshold": 5 })),
        "[a-zA-Z0-9 $:{}#-]{0,12}".prop_map(|header| json!({ "http": "/ready", "headers": { "X-Probe": header } })),
    ];
    (
        (
            prop::option::of(prop::sample::select(vec!["http", "grpc", "tcp"])),
            prop::option::of((20000u32..30000, any::<bool>())),
        ),
        (
            prop::option::of(probe),
            prop::option::of(prop::sample::select(vec!["2Gi", "4Gi"])),
            prop::option::of(10000u32..70000),
        ),
        prop::collection::btree_map("[a-z]{1,8}\\.example\\.com/[a-z]{1,8}", any::<String>(), 0..3),
        (prop::option::of(prop::sample::select(vec!["30s", "2m", "1h30m"])), any::<bool>()),
        prop::option::of((0u32..6, 0u32..10, prop::sample::select(vec!["30m", "2h"]))),
    )
        .prop_map(|((protocol, extra_port), (probe, limits, run_as), annotations, (grace, recreate), tuning)| {
            Workload { protocol, extra_port, probe, limits, run_as, annotations, grace, recreate, tuning }
        })
}

impl Workload {
    fn add_to(&self, app: &mut Map<String, Value>, blueprint: &str) {
        let has_port = app.contains_key("port");
        if let (Some(protocol), true, false) = (self.protocol, has_port, blueprint == "worker") {
            // An ingress needs an HTTP port.
            if protocol == "http" || !app.contains_key("ingress") {
                app.insert("protocol".into(), json!(protocol));
            }
        }
        if let (Some((port, udp)), true) = (self.extra_port, has_port) {
            let spec = if udp { json!({ "port": port, "protocol": "UDP" }) } else { json!(port) };
            app.insert("ports".into(), json!({ "extra": spec }));
        }
        if let (Some(probe), false) = (&self.probe, matches!(blueprint, "cronjob" | "job")) {
            // A check of the main port needs one; a gRPC port answers no path.
            let path_like = probe.is_string() || probe.get("http").is_some() || probe.get("tcp").is_some();
            let grpc = app.get("protocol") == Some(&json!("grpc"));
            if !(path_like && (!has_port || grpc)) {
                app.insert("probes".into(), json!({ "readiness": probe }));
            }
        }
        if let Some(limit) = self.limits {
            let resources = app.entry("resources").or_insert_with(|| json!({}));
            resources["limits"] = json!({ "memory": limit });
        }
        if let Some(user) = self.run_as {
            app.insert("runAs".into(), json!({ "user": user }));
        }
        if !self.annotations.is_empty() {
            app.insert("annotations".into(), json!(self.annotations));
        }
        if let Some(grace) = self.grace {
            app.insert("terminationGracePeriod".into(), json!(grace));
        }
        if self.recreate && matches!(blueprint, "api" | "worker") {
            app.insert("strategy".into(), json!("recreate"));
        }
        if let (Some((retries, failed, deadline)), true) = (self.tuning, matches!(blueprint, "cronjob" | "job")) {
            app.insert("backoffLimit".into(), json!(retries));
            app.insert("deadline".into(), json!(deadline));
            if blueprint == "cronjob" {
                app.insert("history".into(), json!({ "failed": failed }));
            }
        }
    }
}

/// The composition fields of api 1.3, worker 1.2, cronjob 1.2, stateful 1.2
/// and job 1.0, each present or not; file content is an arbitrary string.
#[derive(Debug, Clone)]
struct Composition {
    secret_env: Option<(String, String)>,
    field_env: Option<&'static str>,
    file: Option<(String, Option<&'static str>)>,
    secret_file: bool,
    scratch: Option<(&'static str, bool)>,
    tmp: Option<&'static str>,
    init: bool,
    sidecar: Option<u32>,
    identity: bool,
    migrate: bool,
}

fn composition() -> impl Strategy<Value = Composition> {
    (
        (
            prop::option::of((name(), "[a-zA-Z0-9._-]{1,20}")),
            prop::option::of(prop::sample::select(vec![
                "metadata.name",
                "metadata.namespace",
                "spec.nodeName",
                "status.podIP",
            ])),
        ),
        (
            prop::option::of((any::<String>(), prop::option::of(prop::sample::select(vec!["0400", "0440", "0644"])))),
            any::<bool>(),
        ),
        (
            prop::option::of((prop::sample::select(vec!["64Mi", "1Gi", "2Gi"]), any::<bool>())),
            prop::option::of(prop::sample::select(vec!["256Mi", "4Gi"])),
        ),
        (any::<bool>(), prop::option::of(30000u32..31000), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |((secret_env, field_env), (file, secret_file), (scratch, tmp), (init, sidecar, identity, migrate))| {
                Composition { secret_env, field_env, file, secret_file, scratch, tmp, init, sidecar, identity, migrate }
            },
        )
}

impl Composition {
    fn add_to(&self, app: &mut Map<String, Value>, blueprint: &str) {
        let env = app.entry("env").or_insert_with(|| json!({}));
        if let Some((secret, key)) = &self.secret_env {
            env["DB_PASSWORD"] = json!({ "secret": secret, "key": key });
        }
        if let Some(field) = self.field_env {
            env["POD_FIELD"] = json!({ "field": field });
        }
        if env.as_object().is_some_and(Map::is_empty) {
            app.remove("env");
        }
        let mut files = Map::new();
        if let Some((content, mode)) = &self.file {
            let mut file = json!({ "content": content });
            if let Some(mode) = mode {
                file["mode"] = json!(mode);
            }
            files.insert("/etc/app/settings.yaml".into(), file);
        }
        if self.secret_file {
            files.insert(
                "/etc/app/tls/tls.key".into(),
                json!({ "secret": "app-tls", "key": "tls.key", "mode": "0400" }),
            );
        }
        if !files.is_empty() {
            app.insert("files".into(), Value::Object(files));
        }
        let mut volumes = Map::new();
        if let Some((size, memory)) = self.scratch {
            volumes.insert("/var/cache/app".into(), json!({ "size": size, "memory": memory }));
        }
        if let Some(size) = self.tmp {
            volumes.insert("/tmp".into(), json!({ "size": size }));
        }
        if !volumes.is_empty() {
            app.insert("volumes".into(), Value::Object(volumes));
        }
        if self.init {
            app.insert(
                "init".into(),
                json!([{ "name": "wait-for-db", "image": "acr.bank.internal/platform/wait-for:2.2.4", "args": ["db:5432"] }]),
            );
        }
        if let Some(port) = self.sidecar {
            app.insert(
                "sidecars".into(),
                json!([{ "name": "exporter", "image": "acr.bank.internal/platform/exporter:1.0.0", "port": port }]),
            );
        }
        if self.identity {
            app.insert("identity".into(), json!({ "azure": { "clientId": "7b0e6e52-3c1f-4a8e-9d2a-5f6b7c8d9e0f" } }));
        }
        if self.migrate && matches!(blueprint, "api" | "worker" | "stateful") {
            app.insert("migrate".into(), json!({ "args": ["migrate", "up"] }));
        }
    }
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
