//! The command line through the real binary: exit codes, output forms,
//! determinism, the file tree, `new`, `schema` and `explain`.

mod common;

use std::fs;

use common::paved;

fn stdout_of(args: &[&str]) -> String {
    let out = paved().args(args).output().expect("runs");
    assert!(out.status.success(), "paved {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn exit_code(args: &[&str]) -> (i32, String) {
    let out = paved().args(args).output().expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn committed_schemas_are_fresh() {
    for (args, file) in [
        (&["schema"][..], "schemas/app.schema.json"),
        (&["schema", "platform"][..], "schemas/platform.schema.json"),
        (&["schema", "--markdown"][..], "docs/app-file.md"),
        (&["schema", "platform", "--markdown"][..], "docs/platform-file.md"),
        (&["schema", "team"][..], "schemas/team.schema.json"),
        (&["schema", "team", "--markdown"][..], "docs/team-file.md"),
    ] {
        let generated = stdout_of(args);
        let committed = fs::read_to_string(common::root().join(file)).expect("committed schema");
        assert!(generated == committed, "{file} is stale: run `scripts/generate` ({})", args.join(" "));
    }
}

#[test]
fn examples_render_in_every_environment_and_validate() {
    let stream = stdout_of(&["render", "examples/"]);
    for env in ["dev", "test", "prod"] {
        for app in ["payments-api", "fraud-score", "ledger-worker", "statement-export", "ledger-db"] {
            assert!(stream.contains(&format!("# {env}/{app}\n")), "no objects for {app} in {env}");
        }
    }
    let docs = paved_yaml::load_all(&stream, paved_yaml::Limits::default()).expect("stream loads");
    assert!(docs.len() > 40, "only {} objects", docs.len());
    let (code, stderr) = exit_code(&["validate", "examples/"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn output_is_byte_identical_across_runs_and_argument_order() {
    let first = stdout_of(&["render", "examples/"]);
    assert_eq!(first, stdout_of(&["render", "examples/"]));
    let forward = stdout_of(&[
        "render",
        "examples/fraud-score",
        "examples/ledger-api/app.yaml",
        "examples/ledger-backfill",
        "examples/ledger-db",
        "examples/ledger-worker/app.yaml",
        "examples/payments-api/app.yaml",
        "examples/statement-export",
    ]);
    let backward = stdout_of(&[
        "render",
        "examples/statement-export/app.yaml",
        "examples/fraud-score/app.yaml",
        "examples/ledger-worker",
        "examples/ledger-backfill/app.yaml",
        "examples/ledger-db/app.yaml",
        "examples/payments-api",
        "examples/ledger-api",
        "examples/payments-api/app.yaml",
    ]);
    assert_eq!(forward, first);
    assert_eq!(backward, first);
    assert_eq!(
        stdout_of(&["render", "examples/", "--env", "prod", "--env", "dev"]),
        stdout_of(&["render", "--env", "dev", "--env", "prod", "examples/"])
    );
}

#[test]
fn env_selects_environments_and_unknown_ones_are_usage_errors() {
    let prod = stdout_of(&["render", "examples/payments-api", "--env", "prod"]);
    assert!(prod.contains("# prod/payments-api") && !prod.contains("# dev/") && !prod.contains("# test/"));
    assert!(prod.contains("kind: HorizontalPodAutoscaler"), "prod autoscales payments-api");
    let dev = stdout_of(&["render", "examples/payments-api", "-e", "dev"]);
    assert!(!dev.contains("kind: HorizontalPodAutoscaler"));
    let (code, stderr) = exit_code(&["render", "examples/", "--env", "prd"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `prod`?"), "{stderr}");
}

#[test]
fn image_tag_and_digest_come_from_the_command_line() {
    let digest = format!("sha256:{}", "ab".repeat(32));
    let out =
        stdout_of(&["render", "examples/payments-api", "-e", "dev", "--image-tag", "2.0.0", "--image-digest", &digest]);
    assert!(out.contains(&format!("image: acr.bank.internal/payments/payments-api:2.0.0@{digest}\n")), "{out}");
    let (code, stderr) = exit_code(&["render", "examples/", "--image-digest", "sha256:nope"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _) = exit_code(&["render", "examples/", "--image-tag", "bad tag"]);
    assert_eq!(code, 2);
    // `latest` is a finding when production renders, a warning otherwise, and
    // nothing to say when a digest pins the image.
    let (code, stderr) = exit_code(&["render", "examples/payments-api", "--image-tag", "latest"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("production environment `prod`"), "{stderr}");
    let (code, stderr) = exit_code(&["render", "examples/payments-api", "-e", "dev", "--image-tag", "latest"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: --image-tag: `latest` is not a version"), "{stderr}");
    let (code, stderr) =
        exit_code(&["render", "examples/payments-api", "--image-tag", "latest", "--image-digest", &digest]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("latest"), "{stderr}");
}

#[test]
fn out_writes_a_marked_tree_and_replaces_only_its_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("tree");
    let out_arg = out.to_str().expect("utf-8 path");
    stdout_of(&["render", "examples/", "--out", out_arg]);
    let tree = common::read_tree(&out);
    assert!(tree.contains_key(".paved-tree"));
    for app in [
        "payments/payments-api",
        "payments/fraud-score",
        "payments/ledger-worker",
        "payments/statement-export",
        "payments/ledger-db",
    ] {
        for env in ["dev", "test", "prod"] {
            for file in [
                "manifests.yaml",
                "application.yaml",
                "chart/Chart.yaml",
                "chart/values.yaml",
                "chart/values.schema.json",
            ] {
                assert!(tree.contains_key(&format!("{app}/{env}/{file}")), "no {app}/{env}/{file}");
            }
        }
    }

    // A second render replaces the tree: files of apps no longer rendered go.
    stdout_of(&["render", "examples/ledger-db", "--out", out_arg, "--env", "dev"]);
    let tree = common::read_tree(&out);
    let folders: std::collections::BTreeSet<&str> = tree
        .keys()
        .filter_map(|p| p.split_once("/chart/").map(|(f, _)| f).or(p.rsplit_once('/').map(|(f, _)| f)))
        .collect();
    assert_eq!(
        folders.into_iter().collect::<Vec<_>>(),
        vec!["payments/ledger-db", "payments/ledger-db/dev", "payments/ledger-db/dev/policies"],
        "{:?}",
        tree.keys().collect::<Vec<_>>()
    );

    // Invalid input leaves the previous tree untouched.
    let (code, _) = exit_code(&["render", "tests/invalid", "--out", out_arg]);
    assert_eq!(code, 1);
    assert_eq!(common::read_tree(&out), tree);

    // A folder paved did not write is never replaced.
    let foreign = tmp.path().join("mine");
    fs::create_dir(&foreign).expect("mkdir");
    fs::write(foreign.join("notes.txt"), "keep me").expect("write");
    let (code, stderr) = exit_code(&["render", "examples/", "--out", foreign.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not written by paved"), "{stderr}");
    assert_eq!(fs::read_to_string(foreign.join("notes.txt")).expect("kept"), "keep me");

    // Nor is a file.
    let file = tmp.path().join("file");
    fs::write(&file, "x").expect("write");
    assert_eq!(exit_code(&["render", "examples/", "--out", file.to_str().expect("utf-8")]).0, 2);
    // No staging folders are left behind.
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("paved-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn new_writes_a_valid_app_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (name, blueprint) in
        [("my-api", "api"), ("my-worker", "worker@1"), ("my-job", "cronjob"), ("my-db", "stateful")]
    {
        let dir = tmp.path().join(name);
        let dir_arg = dir.to_str().expect("utf-8");
        let (code, stderr) =
            exit_code(&["new", name, "--team", "payments", "--blueprint", blueprint, "--dir", dir_arg]);
        assert_eq!(code, 0, "{stderr}");
        let text = fs::read_to_string(dir.join("app.yaml")).expect("written");
        assert!(text.starts_with("# yaml-language-server: $schema="), "{text}");
        assert!(text.contains(&format!("name: {name}\n")));
        let app = dir.join("app.yaml");
        assert_eq!(exit_code(&["validate", app.to_str().expect("utf-8")]).0, 0, "{text}");
        let pipeline = fs::read_to_string(dir.join("azure-pipelines.yml")).expect("pipeline written beside app.yaml");
        assert!(
            pipeline.starts_with("# Generated by paved") && pipeline.contains(&format!("app: {name}\n")),
            "{pipeline}"
        );
        let (code, stderr) =
            exit_code(&["new", name, "--team", "payments", "--blueprint", blueprint, "--dir", dir_arg]);
        assert_eq!(code, 2);
        assert!(stderr.contains("already exists"), "{stderr}");
        assert_eq!(fs::read_to_string(dir.join("app.yaml")).expect("kept"), text);
    }
    let (code, stderr) = exit_code(&["new", "x", "--team", "payments", "--blueprint", "apu"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `api`?"), "{stderr}");
    let (code, _) = exit_code(&["new", "Bad_Name", "--team", "payments", "--blueprint", "api"]);
    assert_eq!(code, 2);
}

#[test]
fn explain_prints_a_fields_documentation() {
    let out = stdout_of(&["explain", "replicas.min"]);
    assert!(out.starts_with("replicas.min (an integer)\n"), "{out}");
    assert!(out.contains("The fewest pods"), "{out}");
    let out = stdout_of(&["explain", "environments.prod.resources"]);
    assert!(out.contains("fields: cpu, memory"), "{out}");
    let out = stdout_of(&["explain", "concurrency"]);
    assert!(out.contains("one of: Allow, Forbid, Replace"), "{out}");
    let (code, stderr) = exit_code(&["explain", "replica"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `replicas`?"), "{stderr}");
}

#[test]
fn a_platform_file_replaces_the_embedded_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let platform = tmp.path().join("platform.yaml");
    let text = fs::read_to_string(common::root().join("platform.yaml"))
        .expect("platform.yaml")
        .replace("name: prod", "name: live")
        .replace("namespace: \"{team}\"", "namespace: \"{team}-live\"");
    fs::write(&platform, text).expect("write");
    let p = platform.to_str().expect("utf-8");
    let out = stdout_of(&["render", "examples/ledger-db", "--platform", p, "--env", "live"]);
    assert!(out.contains("namespace: payments-live\n"), "{out}");
    // An app's `environments.prod` now names no environment.
    let (code, stderr) = exit_code(&["render", "examples/payments-api", "--platform", p]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown environment `prod`"), "{stderr}");

    fs::write(&platform, "kubernetesVersion: 1.31\nenvironments: []\nregistry: x\n").expect("write");
    let (code, stderr) = exit_code(&["render", "examples/", "--platform", p]);
    assert_eq!(code, 1);
    for expected in [
        "unknown field `registry`",
        "did you mean `registries`?",
        "expected a string, found number `1.31`",
        "must not be empty",
        ":3:1",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

/// The platform file states what its cluster admits and how nodes pull:
/// `ingress.paths` decides which ingress paths validate, and
/// `imagePullPolicy` reaches templates as `platform.image_pull_policy`.
#[test]
fn the_platform_file_sets_ingress_paths_and_the_pull_policy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("app.yaml");
    fs::write(
        &app,
        "name: shop\nteam: web\nblueprint: api@1.1\nimage: acr.bank.internal/web/shop:1.0.0\nport: 8080\ningress: {host: shop, path: /api/v1.0}\n",
    )
    .expect("write");
    let app = app.to_str().expect("utf-8");
    let (code, stderr) = exit_code(&["render", app, "--lock", "none"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`/api/v1.0` contains `.`") && stderr.contains("did you mean `/api`?"), "{stderr}");

    let embedded = fs::read_to_string(common::root().join("platform.yaml")).expect("platform.yaml");
    let platform = tmp.path().join("platform.yaml");
    fs::write(&platform, embedded.replace("paths: strict", "paths: any")).expect("write");
    let p = platform.to_str().expect("utf-8");
    let out = stdout_of(&["render", app, "--lock", "none", "--platform", p, "-e", "dev"]);
    assert!(out.contains("path: /api/v1.0\n"), "{out}");

    // A version written against the new context field renders the platform's policy.
    let catalog = tmp.path().join("blueprints");
    let target = catalog.join("api/1.1.0");
    common::copy_dir(&common::root().join("blueprints/api/1.1.0"), &target);
    let template = target.join("templates/deployment.yaml.j2");
    let text = fs::read_to_string(&template).expect("template");
    assert!(text.contains("imagePullPolicy: IfNotPresent"), "the published template hard-codes its policy");
    fs::write(&template, text.replace("IfNotPresent", "{{ platform.image_pull_policy }}")).expect("write");
    let catalog = catalog.to_str().expect("utf-8");
    let render = |platform: &str| {
        stdout_of(&["render", app, "--lock", "none", "--blueprints", catalog, "--platform", platform, "-e", "dev"])
    };
    assert!(render(p).contains("imagePullPolicy: Always\n"), "the default is Always");
    fs::write(
        &platform,
        embedded
            .replace("paths: strict", "paths: any")
            .replace("imagePullPolicy: Always", "imagePullPolicy: IfNotPresent"),
    )
    .expect("write");
    assert!(render(p).contains("imagePullPolicy: IfNotPresent\n"));
}

#[test]
fn a_catalog_on_disk_renders_like_the_embedded_one() {
    let embedded = stdout_of(&["render", "examples/"]);
    let on_disk = stdout_of(&["render", "examples/", "--blueprints", "blueprints"]);
    assert_eq!(embedded, on_disk);
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(exit_code(&["render", "does/not/exist"]).0, 2);
    assert_eq!(exit_code(&["render", "docs"]).0, 2);
    assert_eq!(exit_code(&["frobnicate"]).0, 2);
    assert_eq!(exit_code(&["render", "examples/", "-o", "file.yaml"]).0, 2);
    assert_eq!(exit_code(&["render", "examples/", "--blueprints", "does/not/exist"]).0, 2);
}

#[test]
fn json_format_is_for_machines() {
    let out = paved().args(["validate", "tests/invalid", "--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let items = items.as_array().expect("array");
    assert!(items.len() >= 15);
    for item in items {
        for field in ["file", "line", "column", "field", "message"] {
            assert!(item.get(field).is_some(), "{item} lacks {field}");
        }
    }
}

#[test]
fn a_template_typo_is_an_error_never_an_empty_field() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = tmp.path().join("blueprints");
    let source = common::root().join("blueprints/api/1.0.0");
    let target = catalog.join("api/1.0.0");
    common::copy_dir(&source, &target);
    let template = target.join("templates/service.yaml.j2");
    let text = fs::read_to_string(&template).expect("template").replace("{{ app.name }}", "{{ app.nmae }}");
    fs::write(&template, text).expect("write");
    let out = paved()
        .args(["render", "examples/payments-api", "--blueprints", catalog.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "printed objects after a template error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("service.yaml.j2") && stderr.contains("undefined"), "{stderr}");
}

#[test]
fn calls_outside_the_rendered_set_are_notes_under_verbose() {
    let quiet = paved().args(["render", "examples/payments-api"]).output().expect("runs");
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("note:"));
    let verbose = paved().args(["render", "examples/payments-api", "--verbose"]).output().expect("runs");
    assert!(verbose.status.success());
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(
        stderr.contains("`payments-api` calls `payments/ledger-db`, which is not among the apps rendered"),
        "{stderr}"
    );
    // A caller named in `calledBy` but not rendered is noted the same way.
    assert!(
        stderr.contains("`payments-api` accepts calls from `web/checkout`, which is not among the apps rendered"),
        "{stderr}"
    );
    // Rendered together, the same call is checked and limited to the callee's port.
    let together = stdout_of(&["render", "examples/", "--env", "dev"]);
    assert!(together.contains("            - port: \"5432\"\n"), "the Cilium rule to ledger-db names its port");
}

#[test]
fn argo_cd_applications_ignore_replicas_an_autoscaler_owns() {
    let prod = stdout_of(&["render", "examples/payments-api", "--env", "prod"]);
    let docs = paved_yaml::load_all(&prod, paved_yaml::Limits::default()).expect("loads");
    let app = docs.iter().map(|d| d.to_json()).find(|d| d["kind"] == "Application").expect("an Application in -o -");
    assert_eq!(app["spec"]["project"], "payments-prod");
    assert_eq!(app["spec"]["destination"]["server"], "https://prod.k8s.bank.internal");
    assert_eq!(app["spec"]["source"]["path"], "apps/payments/payments-api/prod/chart");
    assert_eq!(
        app["spec"]["ignoreDifferences"],
        serde_json::json!([{"group": "apps", "kind": "Deployment", "name": "payments-api", "jsonPointers": ["/spec/replicas"]}])
    );
    assert_eq!(app["spec"]["syncPolicy"]["syncOptions"], serde_json::json!(["CreateNamespace=false"]));
    let dev = stdout_of(&["render", "examples/payments-api", "--env", "dev"]);
    assert!(dev.contains("kind: Application") && !dev.contains("ignoreDifferences"), "no autoscaler in dev");
}

#[test]
fn check_passes_on_fresh_output_and_fails_on_stale_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("tree");
    let out_arg = out.to_str().expect("utf-8");
    stdout_of(&["render", "examples/", "--out", out_arg]);
    assert_eq!(exit_code(&["check", "examples/", "--out", out_arg]).0, 0);

    let file = out.join("payments/ledger-db/prod/chart/values.yaml");
    let text = fs::read_to_string(&file).expect("values").replace("\"16.4\"", "\"16.3\"");
    fs::write(&file, text).expect("write");
    fs::write(out.join("payments/stray.yaml"), "kind: Secret\n").expect("write");
    // `promoted.yaml` is the pipeline's only beside a chart; anywhere else
    // (here, where the policy Application would sync it) it is a stray file.
    fs::write(out.join("payments/ledger-db/dev/policies/promoted.yaml"), "kind: NetworkPolicy\n").expect("write");
    fs::write(out.join("payments/ledger-db/dev/promoted.yaml"), "image:\n  tag: \"1\"\n").expect("write");
    let result = paved().args(["check", "examples/", "--out", out_arg]).output().expect("runs");
    assert_eq!(result.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains("-  tag: \"16.3\"\n+  tag: \"16.4\"\n"), "{stdout}");
    assert!(stdout.contains("not rendered by paved:") && stdout.contains("stray.yaml"), "{stdout}");
    assert!(stdout.contains("policies/promoted.yaml"), "{stdout}");
    assert!(!stdout.contains("ledger-db/dev/promoted.yaml"), "the pipeline's file is not paved's to check:\n{stdout}");
    assert!(String::from_utf8_lossy(&result.stderr).contains("paved render --pipelines examples/ --out"));

    // A pipeline written by `paved new` must stay current too.
    let app = tmp.path().join("svc");
    let app_arg = app.to_str().expect("utf-8");
    assert_eq!(exit_code(&["new", "svc", "--team", "payments", "--blueprint", "api", "--dir", app_arg]).0, 0);
    assert_eq!(exit_code(&["check", app_arg]).0, 0);
    let text = fs::read_to_string(app.join("app.yaml")).expect("app").replace("port: 8080", "port: 8080\nbuild: go");
    fs::write(app.join("app.yaml"), text).expect("write");
    let (code, _) = exit_code(&["check", app_arg]);
    assert_eq!(code, 1, "the pipeline no longer matches `build: go`");
    stdout_of(&["render", app_arg, "--pipelines"]);
    assert!(fs::read_to_string(app.join("azure-pipelines.yml")).expect("pipeline").contains("buildKind: go\n"));
    assert_eq!(exit_code(&["check", app_arg]).0, 0);
}

#[test]
fn what_the_pipeline_promoted_survives_a_new_render() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("tree");
    let out_arg = out.to_str().expect("utf-8");
    stdout_of(&["render", "examples/", "--out", out_arg]);
    let promoted = out.join("payments/payments-api/prod/promoted.yaml");
    let digest = format!("sha256:{}", "c".repeat(64));
    fs::write(&promoted, format!("image:\n  tag: \"1.5.0\"\n  digest: {digest}\n")).expect("write");
    assert_eq!(exit_code(&["check", "examples/", "--out", out_arg]).0, 0, "check leaves the pipeline's file alone");
    stdout_of(&["render", "examples/", "--out", out_arg]);
    assert!(fs::read_to_string(&promoted).expect("kept").contains(&digest));
    let app = fs::read_to_string(out.join("payments/payments-api/prod/application.yaml")).expect("application");
    assert!(app.contains("- \"../promoted.yaml\"") && app.contains("ignoreMissingValueFiles: true"), "{app}");
    // An environment no longer rendered takes its promotion with it.
    stdout_of(&["render", "examples/", "--out", out_arg, "--env", "dev"]);
    assert!(!promoted.exists());
}

/// A copy of the catalog to change in a test.
fn catalog_copy(tmp: &std::path::Path) -> std::path::PathBuf {
    let catalog = tmp.join("blueprints");
    common::copy_dir(&common::root().join("blueprints"), &catalog);
    catalog
}

#[test]
fn published_blueprints_are_immutable() {
    assert_eq!(exit_code(&["blueprint", "verify"]).0, 0, "the embedded catalog is as published");
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    assert_eq!(exit_code(&["blueprint", "verify", "--blueprints", dir]).0, 0);
    // Line endings do not count.
    let pdb = catalog.join("api/1.0.0/templates/pdb.yaml.j2");
    let text = fs::read_to_string(&pdb).expect("template");
    fs::write(&pdb, text.replace('\n', "\r\n")).expect("write");
    assert_eq!(exit_code(&["blueprint", "verify", "--blueprints", dir]).0, 0, "CRLF is the same content");
    // Anything else does.
    fs::write(&pdb, text.replace("maxUnavailable: 1", "maxUnavailable: 2")).expect("write");
    let (code, stderr) = exit_code(&["blueprint", "verify", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("api@1.0.0 changed after it was published"), "{stderr}");
}

#[test]
fn only_published_versions_resolve_and_deprecation_warns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    // A version in the making: a folder not in index.yaml.
    common::copy_dir(&catalog.join("api/1.3.0"), &catalog.join("api/1.4.0"));
    let meta = catalog.join("api/1.4.0/blueprint.yaml");
    fs::write(&meta, fs::read_to_string(&meta).expect("meta").replace("version: 1.3.0", "version: 1.4.0"))
        .expect("write");
    let out =
        paved().args(["render", "examples/payments-api", "-e", "dev", "--blueprints", dir]).output().expect("runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("paved.io/blueprint: api@1.3.0"),
        "api@1 stays on the published 1.3.0"
    );
    let list = stdout_of(&["blueprint", "list", "--blueprints", dir]);
    assert!(list.contains("api        1.4.0     unpublished"), "{list}");

    // Deprecated: still renders, with a warning. Yanked: never chosen again.
    let index = catalog.join("index.yaml");
    let text = fs::read_to_string(&index).expect("index");
    let deprecated = text.replace("      digest:", "      deprecated: use api@2\n      digest:");
    fs::write(&index, &deprecated).expect("write");
    let out =
        paved().args(["render", "examples/payments-api", "-e", "dev", "--blueprints", dir]).output().expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("blueprint api@1.3.0 is deprecated: use api@2"));
    fs::write(&index, text.replace("      digest:", "      yanked: true\n      digest:")).expect("write");
    let (code, stderr) = exit_code(&["render", "examples/payments-api", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`api@1.4.0` is not published"), "{stderr}");
}

#[test]
fn the_lock_file_records_and_holds_exact_versions() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lock = tmp.path().join("paved.lock");
    let lock_arg = lock.to_str().expect("utf-8");
    // A missing entry is resolved and written; --locked then passes.
    let (code, _) = exit_code(&["render", "examples/ledger-db", "--lock", lock_arg]);
    assert_eq!(code, 0);
    let text = fs::read_to_string(&lock).expect("written");
    assert!(text.contains("payments/ledger-db:\n    blueprint: stateful@1.2.0\n    digest: sha256:"), "{text}");
    assert_eq!(exit_code(&["render", "examples/ledger-db", "--lock", lock_arg, "--locked"]).0, 0);
    // A new app would change the lock: --locked fails and writes nothing.
    let (code, stderr) = exit_code(&["render", "examples/", "--lock", lock_arg, "--locked"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("would change: payments/payments-api: api@1.3.0"), "{stderr}");
    assert_eq!(fs::read_to_string(&lock).expect("unchanged"), text);

    // A newer published version does not move a locked app.
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    common::copy_dir(&catalog.join("stateful/1.2.0"), &catalog.join("stateful/1.3.0"));
    let meta = catalog.join("stateful/1.3.0/blueprint.yaml");
    fs::write(&meta, fs::read_to_string(&meta).expect("meta").replace("version: 1.2.0", "version: 1.3.0"))
        .expect("write");
    let listed = stdout_of(&["blueprint", "list", "--blueprints", dir]);
    let digest = listed
        .lines()
        .find(|l| l.starts_with("stateful   1.3.0"))
        .and_then(|l| l.split_whitespace().last())
        .expect("digest");
    let index = catalog.join("index.yaml");
    let mut lines: Vec<String> = fs::read_to_string(&index).expect("index").lines().map(str::to_owned).collect();
    // The index lists blueprints by name: the new version goes last under `stateful`, before `worker`.
    let at = lines.iter().position(|l| l == "  worker:").expect("worker in the index");
    lines.insert(at, format!("    \"1.3.0\":\n      digest: {digest}"));
    fs::write(&index, lines.join("\n") + "\n").expect("write");
    assert_eq!(
        exit_code(&["blueprint", "verify", "--blueprints", dir]).0,
        0,
        "{}",
        fs::read_to_string(&index).unwrap_or_default()
    );
    let locked = stdout_of(&["render", "examples/ledger-db", "-e", "dev", "--blueprints", dir, "--lock", lock_arg]);
    assert!(locked.contains("paved.io/blueprint: stateful@1.2.0"), "the lock holds 1.2.0");
    let fresh = stdout_of(&["render", "examples/ledger-db", "-e", "dev", "--blueprints", dir, "--lock", "none"]);
    assert!(fresh.contains("paved.io/blueprint: stateful@1.3.0"), "without a lock, the newest published version");

    // A locked version whose folder changed is an error.
    let template = catalog.join("stateful/1.2.0/templates/pdb.yaml.j2");
    fs::write(&template, fs::read_to_string(&template).expect("t").replace("maxUnavailable: 1", "maxUnavailable: 2"))
        .expect("w");
    let (code, stderr) = exit_code(&["render", "examples/ledger-db", "--blueprints", dir, "--lock", lock_arg]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`stateful@1.2.0` is not what paved.lock locked"), "{stderr}");
}

#[test]
fn publish_checks_the_changelog_and_semver() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    let (code, stderr) =
        exit_code(&["blueprint", "new", "api", "--from", "1.3.0", "--version", "1.4.0", "--blueprints", dir]);
    assert_eq!(code, 0, "{stderr}");
    // A minor that changes existing output without saying so.
    let pdb = catalog.join("api/1.4.0/templates/pdb.yaml.j2");
    fs::write(&pdb, fs::read_to_string(&pdb).expect("t").replace("maxUnavailable: 1", "maxUnavailable: 2")).expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "api@1.4.0", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("CHANGELOG.md has no `## 1.4.0` entry"), "{stderr}");
    let changelog = catalog.join("api/CHANGELOG.md");
    let text = fs::read_to_string(&changelog).expect("changelog");
    let entry = "## 1.4.0\n\nLooser budget.\n\n### Rendered output\n\nNothing changes.\n\n";
    fs::write(&changelog, text.replacen("## 1.3.0", &format!("{entry}## 1.3.0"), 1)).expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "api@1.4.0", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("render differently") && stderr.contains("PodDisruptionBudget"), "{stderr}");
    // Listed: published, and verify holds.
    let listed = fs::read_to_string(&changelog)
        .expect("c")
        .replace("Nothing changes.", "- PodDisruptionBudget: `maxUnavailable` 1 → 2.");
    fs::write(&changelog, listed).expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "api@1.4.0", "--blueprints", dir]);
    assert_eq!(code, 0, "{stderr}");
    assert!(fs::read_to_string(catalog.join("index.yaml")).expect("index").contains("\"1.4.0\":"));
    assert_eq!(exit_code(&["blueprint", "verify", "--blueprints", dir]).0, 0);
    assert_eq!(exit_code(&["blueprint", "publish", "api@1.4.0", "--blueprints", dir]).0, 2, "published twice");
    // A patch may not change fields.
    exit_code(&["blueprint", "new", "worker", "--from", "1.0.0", "--version", "1.0.1", "--blueprints", dir]);
    let meta = catalog.join("worker/1.0.1/blueprint.yaml");
    fs::write(
        &meta,
        fs::read_to_string(&meta).expect("m").replace("supported: [command,", "supported: [port, command,"),
    )
    .expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "worker@1.0.1", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("a patch version keeps the fields"), "{stderr}");
    // Deprecate and yank write the index.
    assert_eq!(
        exit_code(&["blueprint", "deprecate", "api@1.0.0", "--message", "use api@1.3", "--blueprints", dir]).0,
        0
    );
    assert_eq!(exit_code(&["blueprint", "yank", "api@1.1.0", "--blueprints", dir]).0, 0);
    let list = stdout_of(&["blueprint", "list", "--blueprints", dir]);
    assert!(list.contains("api        1.0.0     deprecated") && list.contains("api        1.1.0     yanked"), "{list}");
}

#[test]
fn upgrade_shows_the_rendered_diff_before_moving_the_lock() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lock = tmp.path().join("paved.lock");
    let list = stdout_of(&["blueprint", "list"]);
    let digest =
        list.lines().find(|l| l.starts_with("api        1.0.0")).and_then(|l| l.split_whitespace().last()).expect("d");
    fs::write(&lock, format!("apps:\n  payments/payments-api:\n    blueprint: api@1.0.0\n    digest: {digest}\n"))
        .expect("w");
    let lock_arg = lock.to_str().expect("utf-8");
    let before = fs::read_to_string(&lock).expect("lock");
    let out =
        paved().args(["upgrade", "examples/payments-api", "--dry-run", "--lock", lock_arg]).output().expect("runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("payments/payments-api: api@1.0.0 → api@1.3.0"), "{stdout}");
    assert!(
        stdout.contains("topologyKey: kubernetes.io/hostname"),
        "the rendered diff shows the new spread:\n{stdout}"
    );
    assert_eq!(fs::read_to_string(&lock).expect("lock"), before, "a dry run writes nothing");
    assert_eq!(exit_code(&["upgrade", "examples/payments-api", "--lock", lock_arg]).0, 0);
    assert!(fs::read_to_string(&lock).expect("lock").contains("blueprint: api@1.3.0"));
}

#[test]
fn upgrade_across_a_major_rewrites_the_pin_and_applies_the_migration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    // api 2.0.0 drops `metrics`; its migration deletes the field from app files.
    assert_eq!(
        exit_code(&["blueprint", "new", "api", "--from", "1.3.0", "--version", "2.0.0", "--blueprints", dir]).0,
        0
    );
    let meta = catalog.join("api/2.0.0/blueprint.yaml");
    fs::write(&meta, fs::read_to_string(&meta).expect("m").replace(" metrics,", "")).expect("w");
    for case in ["composition", "full", "podinfo"] {
        fs::remove_dir_all(catalog.join("api/2.0.0/tests").join(case)).expect("a case with metrics");
    }
    let (code, stderr) = exit_code(&["blueprint", "publish", "api@2.0.0", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("needs a migration"), "{stderr}");
    fs::write(catalog.join("api/2.0.0/migration.yaml"), "operations:\n  - delete: {path: metrics}\n").expect("w");
    let changelog = catalog.join("api/CHANGELOG.md");
    let entry = "## 2.0.0\n\nNo ServiceMonitor.\n\n### Rendered output\n\n- ServiceMonitor removed.\n\n";
    fs::write(
        &changelog,
        fs::read_to_string(&changelog).expect("c").replacen("## 1.3.0", &format!("{entry}## 1.3.0"), 1),
    )
    .expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "api@2.0.0", "--blueprints", dir]);
    assert_eq!(code, 0, "{stderr}");

    let app_dir = tmp.path().join("app");
    fs::create_dir_all(&app_dir).expect("mkdir");
    let original = fs::read_to_string(common::root().join("examples/payments-api/app.yaml")).expect("app");
    fs::write(app_dir.join("app.yaml"), &original).expect("w");
    let app = app_dir.to_str().expect("utf-8");
    let lock = tmp.path().join("paved.lock");
    let lock_arg = lock.to_str().expect("utf-8");
    stdout_of(&["render", app, "--blueprints", dir, "--lock", lock_arg]);
    assert!(fs::read_to_string(&lock).expect("lock").contains("api@1.3.0"));

    let dry = stdout_of(&["upgrade", app, "--to", "api@2", "--dry-run", "--blueprints", dir, "--lock", lock_arg]);
    assert!(dry.contains("-blueprint: api@1\n+blueprint: api@2\n"), "{dry}");
    assert!(dry.contains("-metrics:\n-  port: 9090\n"), "{dry}");
    assert!(dry.contains("- ServiceMonitor "), "the rendered diff shows the ServiceMonitor go:\n{dry}");
    assert_eq!(fs::read_to_string(app_dir.join("app.yaml")).expect("app"), original, "a dry run writes nothing");

    stdout_of(&["upgrade", app, "--level", "major", "--blueprints", dir, "--lock", lock_arg]);
    let upgraded = fs::read_to_string(app_dir.join("app.yaml")).expect("app");
    assert_eq!(
        upgraded,
        original.replace("blueprint: api@1\n", "blueprint: api@2\n").replace("metrics:\n  port: 9090\n", "")
    );
    assert!(upgraded.starts_with("# yaml-language-server"), "comments are kept");
    assert!(fs::read_to_string(&lock).expect("lock").contains("api@2.0.0"));
}

#[test]
fn publish_catches_objects_added_or_removed_by_a_minor() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_copy(tmp.path());
    let dir = catalog.to_str().expect("utf-8");
    exit_code(&["blueprint", "new", "worker", "--from", "1.2.0", "--version", "1.3.0", "--blueprints", dir]);
    // A minor that drops the disruption budget: objects removed, no field changed.
    fs::remove_file(catalog.join("worker/1.3.0/templates/pdb.yaml.j2")).expect("rm");
    let changelog = catalog.join("worker/CHANGELOG.md");
    let entry = "## 1.3.0\n\nTidier.\n\n### Rendered output\n\nNothing changes.\n\n";
    fs::write(
        &changelog,
        fs::read_to_string(&changelog).expect("c").replacen("## 1.2.0", &format!("{entry}## 1.2.0"), 1),
    )
    .expect("w");
    let (code, stderr) = exit_code(&["blueprint", "publish", "worker@1.3.0", "--blueprints", dir]);
    assert_eq!(code, 1);
    assert!(stderr.contains("render differently (PodDisruptionBudget)"), "{stderr}");
}

#[test]
fn upgrade_rewrites_a_narrow_pin_and_never_half_upgrades() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app_dir = tmp.path().join("app");
    fs::create_dir_all(&app_dir).expect("mkdir");
    let original = fs::read_to_string(common::root().join("examples/payments-api/app.yaml"))
        .expect("app")
        .replace("blueprint: api@1\n", "blueprint: \"api@1.0\"  # held back\n");
    fs::write(app_dir.join("app.yaml"), &original).expect("w");
    let app = app_dir.to_str().expect("utf-8");
    let lock = tmp.path().join("paved.lock");
    let lock_arg = lock.to_str().expect("utf-8");
    stdout_of(&["render", app, "--lock", lock_arg]);
    assert!(fs::read_to_string(&lock).expect("lock").contains("api@1.0.0"));
    assert_eq!(
        exit_code(&["upgrade", app, "--to", "apii@1", "--lock", lock_arg]).0,
        2,
        "an unknown blueprint is an error"
    );
    // --locked refuses before anything is written.
    let (code, _) = exit_code(&["upgrade", app, "--to", "api@1.1", "--locked", "--lock", lock_arg]);
    assert_eq!(code, 2);
    assert_eq!(fs::read_to_string(app_dir.join("app.yaml")).expect("app"), original);
    // The pin is rewritten as precisely as it was written, comment and quotes kept.
    stdout_of(&["upgrade", app, "--to", "api@1.1", "--lock", lock_arg]);
    let upgraded = fs::read_to_string(app_dir.join("app.yaml")).expect("app");
    assert!(upgraded.contains("blueprint: \"api@1.1\"  # held back\n"), "{upgraded}");
    assert!(fs::read_to_string(&lock).expect("lock").contains("api@1.1.0"));
    assert_eq!(exit_code(&["render", app, "--locked", "--lock", lock_arg]).0, 0, "pin and lock agree");
}

/// An app whose lock holds a version without a field it uses is told which
/// version has the field, and that `paved upgrade` moves it there (its pin
/// allows that version); after the upgrade it renders.
#[test]
fn a_field_the_locked_version_lacks_names_the_version_and_paved_upgrade() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let list = stdout_of(&["blueprint", "list"]);
    let digest =
        list.lines().find(|l| l.starts_with("api        1.1.0")).and_then(|l| l.split_whitespace().last()).expect("d");
    let lock = tmp.path().join("paved.lock");
    fs::write(&lock, format!("apps:\n  payments/fraud-score:\n    blueprint: api@1.1.0\n    digest: {digest}\n"))
        .expect("w");
    let lock_arg = lock.to_str().expect("utf-8");
    let (code, stderr) = exit_code(&["render", "examples/fraud-score", "--lock", lock_arg, "--format", "short"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "protocol: `protocol` needs blueprint `api@1.2.0` or newer; this app renders with `api@1.1.0` (run `paved upgrade` to move the app (and `paved.lock`) to the newest version its pin `api@1` allows)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("resources.limits: `resources.limits` needs blueprint `api@1.2.0`"), "{stderr}");
    assert_eq!(exit_code(&["upgrade", "examples/fraud-score", "--lock", lock_arg]).0, 0);
    assert!(fs::read_to_string(&lock).expect("lock").contains("blueprint: api@1.3.0"), "the newest its pin allows");
    assert_eq!(exit_code(&["render", "examples/fraud-score", "--lock", lock_arg]).0, 0);
}
