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
