//! Values built to inject YAML or template syntax come out as the same
//! strings: no value can add structure to the output.

mod common;

use serde_json::Value;

#[test]
fn hostile_values_round_trip_exactly() {
    let path = "tests/fixtures/hostile-values/app.yaml";
    let source = std::fs::read_to_string(common::root().join(path)).expect("fixture");
    let app = paved_yaml::load_one(&source, paved_yaml::Limits::default()).expect("fixture loads").to_json();
    let env = app["env"].as_object().expect("the fixture sets env");
    assert!(env.len() >= 20, "the fixture should hold many hostile values");

    let tree = common::render_tree(path, &[]);
    let mut deployments = 0;
    for (file, object) in common::objects(&tree) {
        if object["kind"] != "Deployment" {
            continue;
        }
        deployments += 1;
        let container = &object["spec"]["template"]["spec"]["containers"][0];
        let rendered: Vec<(String, Value)> = container["env"]
            .as_array()
            .expect("env list")
            .iter()
            .map(|var| (var["name"].as_str().expect("name").to_owned(), var["value"].clone()))
            .collect();
        // paved sorts variables by name.
        let mut expected: Vec<(String, Value)> = env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(rendered, expected, "{file}: env values changed");
        for field in ["command", "args"] {
            if let Some(list) = app.get(field) {
                assert_eq!(&container[field], list, "{file}: {field} changed");
            }
        }
        // The objects are still exactly the objects a template writes: the
        // values added no keys and no documents.
        let keys: Vec<&str> = container.as_object().expect("container").keys().map(String::as_str).collect();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "args",
                "command",
                "env",
                "image",
                "imagePullPolicy",
                "livenessProbe",
                "name",
                "ports",
                "readinessProbe",
                "resources",
                "securityContext",
                "volumeMounts"
            ],
            "{file}"
        );
    }
    assert_eq!(deployments, 3, "one Deployment per environment");
    let problems = common::problems(&tree);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Kubernetes tooling reads YAML 1.1 (where `yes` is a boolean and `0777` a
/// number). PyYAML is a YAML 1.1 reader, independent of paved's own parser:
/// it must read the same strings back.
#[test]
fn a_yaml_1_1_reader_reads_the_same_strings() {
    let has_pyyaml =
        std::process::Command::new("python3").args(["-c", "import yaml"]).status().is_ok_and(|s| s.success());
    #[allow(clippy::print_stderr)]
    if !has_pyyaml {
        assert!(std::env::var_os("CI").is_none(), "CI must run this test: python3 with PyYAML is missing");
        eprintln!(
            "SKIPPED a_yaml_1_1_reader_reads_the_same_strings: python3 with PyYAML not found (pip install pyyaml)"
        );
        return;
    }
    let path = "tests/fixtures/hostile-values/app.yaml";
    let source = std::fs::read_to_string(common::root().join(path)).expect("fixture");
    let app = paved_yaml::load_one(&source, paved_yaml::Limits::default()).expect("fixture loads").to_json();
    let tree = common::render_tree(path, &[]);
    for (file, contents) in tree.iter().filter(|(p, _)| p.ends_with("manifests.yaml")) {
        let script = "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), contents.as_bytes()).expect("write");
        let output = child.wait_with_output().expect("python3 finishes");
        assert!(output.status.success(), "PyYAML could not read {file}");
        let docs: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON from python");
        let deployment = docs.iter().find(|d| d["kind"] == "Deployment").expect("a Deployment");
        let container = &deployment["spec"]["template"]["spec"]["containers"][0];
        for var in container["env"].as_array().expect("env") {
            let name = var["name"].as_str().expect("name");
            assert_eq!(var["value"], app["env"][name], "{file}: PyYAML reads `{name}` differently");
        }
        for field in ["command", "args"] {
            assert_eq!(container[field], app[field], "{file}: PyYAML reads `{field}` differently");
        }
    }
}
