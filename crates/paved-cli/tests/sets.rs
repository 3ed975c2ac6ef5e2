//! Sets of apps rendered together (`tests/sets/<case>/`, each with a README
//! saying what it covers, its apps in sub-folders and, optionally, its own
//! `platform.yaml`): the network policies are snapshotted, one snapshot per
//! set and app, and their meaning is checked as data; the call graph is
//! snapshotted in both formats. Sets that must fail
//! (`tests/invalid-sets/<case>/`) have their report snapshotted.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// `--platform` for a set that brings its own platform file.
fn platform_args(dir: &Path) -> Vec<String> {
    let platform = dir.join("platform.yaml");
    match platform.is_file() {
        true => vec!["--platform".into(), common::relative(&platform)],
        false => Vec::new(),
    }
}

fn is_policy(object: &Value) -> bool {
    object["kind"] == "NetworkPolicy" || object["kind"] == "CiliumNetworkPolicy"
}

/// The app files of a set, as JSON, by `team/name`.
fn app_files(dir: &Path) -> BTreeMap<String, Value> {
    let mut apps = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("set folder") {
        let file = entry.expect("entry").path().join("app.yaml");
        if file.is_file() {
            let text = std::fs::read_to_string(&file).expect("app file");
            let app = paved_yaml::load_one(&text, paved_yaml::Limits::default()).expect("loads").to_json();
            apps.insert(
                format!("{}/{}", app["team"].as_str().unwrap_or_default(), app["name"].as_str().unwrap_or_default()),
                app,
            );
        }
    }
    apps
}

#[test]
fn network_policies_of_sets() {
    insta::glob!("../../../tests/sets", "*/README.md", |readme| {
        let dir = readme.parent().expect("set folder");
        let rel = common::relative(dir);
        let platform = platform_args(dir);
        let mut args: Vec<&str> = vec!["--env", "dev"];
        args.extend(platform.iter().map(String::as_str));
        let tree = common::render_tree(&rel, &args);
        let problems = common::problems(&tree);
        assert!(problems.is_empty(), "{rel}: invalid objects:\n{}", problems.join("\n"));
        check_policy_semantics(&rel, &app_files(dir), &tree);
        // One snapshot per app (`bank-core__ledger__ledger-api`): a set's
        // policies together are too many to review.
        let set = dir.file_name().expect("set name").to_string_lossy();
        let mut parts = BTreeMap::<String, String>::new();
        for (file, object) in common::objects(&tree).into_iter().filter(|(_, o)| is_policy(o)) {
            let app: Vec<&str> = file.split('/').take(2).collect();
            let text = parts.entry(format!("{set}__{}", app.join("__"))).or_default();
            text.push_str(&format!("=== {file} ===\n{}", paved_yaml::emit(&object)));
        }
        for (name, text) in parts {
            common::assert_part!(name, text);
        }
    });
}

#[test]
fn call_graphs_of_sets() {
    insta::glob!("../../../tests/sets", "*/README.md", |readme| {
        let dir = readme.parent().expect("set folder");
        let rel = common::relative(dir);
        let mut text = String::new();
        for format in ["mermaid", "dot"] {
            let mut cmd = common::paved();
            cmd.args(["graph", &rel, "--format", format]).args(platform_args(dir));
            let out = cmd.output().expect("runs");
            assert!(out.status.success(), "{rel}: graph failed: {}", String::from_utf8_lossy(&out.stderr));
            text.push_str(&format!("=== {format} ===\n{}", String::from_utf8(out.stdout).expect("utf-8")));
        }
        insta::assert_snapshot!(text);
    });
}

#[test]
fn invalid_sets() {
    insta::glob!("../../../tests/invalid-sets", "*/README.md", |readme| {
        let dir = readme.parent().expect("set folder");
        let rel = common::relative(dir);
        for command in ["render", "validate"] {
            let mut cmd = common::paved();
            cmd.args([command, &rel]).args(platform_args(dir));
            let out = cmd.output().expect("runs");
            assert_eq!(out.status.code(), Some(1), "{rel}: {command} should exit 1");
            assert!(out.stdout.is_empty(), "{rel}: {command} printed objects");
        }
        let mut cmd = common::paved();
        cmd.args(["validate", &rel]).args(platform_args(dir));
        let stderr = String::from_utf8(cmd.output().expect("runs").stderr).expect("utf-8");
        assert!(stderr.contains("help:"), "{rel}: no hint:\n{stderr}");
        insta::assert_snapshot!(stderr);
    });
}

/// What the policies mean, checked as data for every app of the set:
/// - both directions are denied by default;
/// - DNS egress to kube-dns on UDP and TCP 53 comes first;
/// - exactly one more egress rule per `calls` entry (the NetworkPolicy leaves
///   out host names, which only the CiliumNetworkPolicy can allow);
/// - every ingress rule names a peer, and every rule to or from an app of the
///   set, a host or a range is limited to a port.
fn check_policy_semantics(rel: &str, apps: &BTreeMap<String, Value>, tree: &BTreeMap<String, String>) {
    let mut seen = 0;
    for (file, policy) in common::objects(tree).into_iter().filter(|(_, o)| is_policy(o)) {
        seen += 1;
        let team = policy["metadata"]["labels"]["app.kubernetes.io/part-of"].as_str().unwrap_or_default();
        let name = policy["metadata"]["name"].as_str().unwrap_or_default();
        let at = format!("{rel}: {file}: {} {name}", policy["kind"]);
        let app = apps.get(&format!("{team}/{name}")).unwrap_or_else(|| panic!("{at}: no app file"));
        let calls: Vec<&str> = app["calls"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let in_set = |entry: &str| {
            let id = if entry.contains('/') { entry.to_owned() } else { format!("{team}/{entry}") };
            entry.starts_with("https://") || entry.contains(':') || apps.contains_key(&id)
        };
        let spec = &policy["spec"];
        let egress = spec["egress"].as_array().cloned().unwrap_or_default();
        let mut ingress = spec["ingress"].as_array().cloned().unwrap_or_default();
        // Cilium: a lone empty rule admits no one (it only pins ingress isolation).
        if policy["kind"] == "CiliumNetworkPolicy" && ingress == [serde_json::json!({})] {
            ingress.clear();
        }
        if policy["kind"] == "NetworkPolicy" {
            assert_eq!(
                spec["policyTypes"],
                serde_json::json!(["Ingress", "Egress"]),
                "{at}: not default deny both ways"
            );
            let dns = &egress[0];
            assert_eq!(
                dns["to"][0]["podSelector"]["matchLabels"]["k8s-app"], "kube-dns",
                "{at}: first egress is not DNS"
            );
            assert_eq!(dns["ports"].as_array().map(Vec::len), Some(2), "{at}: DNS needs UDP and TCP 53");
            let expected = calls.iter().filter(|c| !c.starts_with("https://")).count();
            assert_eq!(egress.len(), 1 + expected, "{at}: not one egress rule per dependency");
            for (rule, entry) in egress[1..].iter().zip(calls.iter().filter(|c| !c.starts_with("https://"))) {
                if in_set(entry) {
                    assert!(rule["ports"].is_array(), "{at}: egress to `{entry}` is not limited to a port");
                }
            }
            for rule in &ingress {
                assert!(rule["from"].as_array().is_some_and(|f| !f.is_empty()), "{at}: ingress rule without a peer");
                assert!(rule["ports"].is_array(), "{at}: ingress rule not limited to a port");
            }
        } else {
            assert_eq!(
                spec["enableDefaultDeny"],
                serde_json::json!({"ingress": true, "egress": true}),
                "{at}: not default deny"
            );
            let dns = &egress[0];
            assert_eq!(
                dns["toEndpoints"][0]["matchLabels"]["k8s:k8s-app"], "kube-dns",
                "{at}: first egress is not DNS"
            );
            assert!(dns["toPorts"][0]["rules"]["dns"].is_array(), "{at}: no DNS proxy rule for toFQDNs");
            assert_eq!(egress.len(), 1 + calls.len(), "{at}: not one egress rule per dependency");
            for (rule, entry) in egress[1..].iter().zip(&calls) {
                if in_set(entry) {
                    assert!(rule["toPorts"].is_array(), "{at}: egress to `{entry}` is not limited to a port");
                }
            }
            for rule in &ingress {
                let peers = rule["fromEndpoints"].as_array().or(rule["fromCIDR"].as_array());
                assert!(peers.is_some_and(|p| !p.is_empty()), "{at}: ingress rule without a peer");
                assert!(rule["toPorts"].is_array(), "{at}: ingress rule not limited to a port");
            }
        }
        let callers = app["calledBy"].as_array().map(Vec::len).unwrap_or(0)
            + usize::from(app.get("ingress").is_some())
            + usize::from(app.get("metrics").is_some());
        assert_eq!(ingress.len(), callers, "{at}: not one ingress rule per caller");
    }
    assert!(seen > 0, "{rel}: no network policies rendered");
}
