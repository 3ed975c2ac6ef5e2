//! Landing zones (`paved landing-zone`): the teams in `teams/` render, every
//! object passes the strict Kubernetes 1.31 and CRD schemas and the label
//! baseline, the output is snapshotted per team, environment and file
//! (`landing__team_landing_zones@<team>__<env>__<file>.snap`), and the apps' Argo CD
//! Applications fit the projects their team's landing zone makes. Invalid team
//! files exit 1 with file:line:column; their reports are snapshotted.

mod common;

use std::collections::BTreeMap;

use paved_validate::SchemaSet;
use serde_json::Value;

/// Render team files to a tree: path → contents.
fn landing_tree(paths: &[&str], extra: &[&str]) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("zones");
    let result =
        common::paved().arg("landing-zone").args(paths).args(extra).arg("--out").arg(&out).output().expect("runs");
    assert!(result.status.success(), "landing-zone {paths:?} failed:\n{}", String::from_utf8_lossy(&result.stderr));
    common::read_tree(&out)
}

fn documents(text: &str) -> Vec<Value> {
    paved_yaml::load_all(text, paved_yaml::Limits::default()).expect("YAML loads").iter().map(|n| n.to_json()).collect()
}

/// Every object of one team in one environment, by `Kind/name`.
fn zone(tree: &BTreeMap<String, String>, team: &str, env: &str) -> BTreeMap<String, Value> {
    let mut objects = BTreeMap::new();
    for file in ["cluster.yaml", "argocd.yaml"] {
        let text = tree.get(&format!("{team}/{env}/{file}")).unwrap_or_else(|| panic!("no {team}/{env}/{file}"));
        for object in documents(text) {
            let key = format!("{}/{}", object["kind"].as_str().unwrap_or_default(), object["metadata"]["name"]);
            objects.insert(key.replace('"', ""), object);
        }
    }
    objects
}

#[test]
fn team_landing_zones() {
    let schemas = SchemaSet::for_version("1.31").expect("vendored 1.31");
    insta::glob!("../../../teams", "*.yaml", |path| {
        let rel = common::relative(path);
        let tree = landing_tree(&[&rel], &[]);
        let mut count = 0;
        // `catalog-info.yaml` is the team's Backstage Group, not a Kubernetes object
        // (`backstage.rs` holds it to Backstage's schemas).
        for (file, text) in tree.iter().filter(|(p, _)| p.ends_with(".yaml") && !p.ends_with("catalog-info.yaml")) {
            for object in documents(text) {
                count += 1;
                let problems: Vec<String> = schemas
                    .validate(&object)
                    .into_iter()
                    .chain(paved_validate::baseline(&object))
                    .map(|v| v.to_string())
                    .collect();
                assert!(problems.is_empty(), "{rel}: {file}: {} is invalid: {problems:?}", object["kind"]);
            }
        }
        assert!(count >= 15, "{rel}: only {count} objects");
        // One snapshot per file (`payments__dev__cluster.yaml`); `.paved-tree` only marks the tree.
        let part = |path: &str| (path != ".paved-tree").then(|| path.replace('/', "__"));
        for (name, text) in common::snapshot_parts(&tree, part) {
            common::assert_part!(name, text);
        }
    });
}

#[test]
fn zones_follow_the_team_file_and_the_platform() {
    let tree = landing_tree(&["teams"], &[]);
    // web uses dev and prod only; payments every environment.
    let folders: Vec<&str> = tree.keys().filter_map(|p| p.strip_suffix("/cluster.yaml")).collect();
    assert_eq!(folders, ["payments/dev", "payments/prod", "payments/test", "web/dev", "web/prod"]);

    let role =
        |team: &str, env: &str| zone(&tree, team, env)["RoleBinding/paved-team-developers"]["roleRef"]["name"].clone();
    assert_eq!(role("payments", "dev"), "paved-team-developer");
    assert_eq!(role("payments", "test"), "paved-team-developer");
    assert_eq!(role("payments", "prod"), "paved-team-viewer", "developers may only read in production");
    let admins = &zone(&tree, "payments", "prod")["RoleBinding/paved-team-admins"];
    assert_eq!(
        admins["roleRef"],
        serde_json::json!({
            "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "paved-team-admin"
        })
    );
    // No built-in ClusterRole is bound: `admin` and `edit` write network policies.
    for (key, object) in zone(&tree, "payments", "dev") {
        if key.starts_with("RoleBinding/") {
            assert_eq!(object["roleRef"]["kind"], "Role", "{key}");
        }
    }
    // The policy deployer lives outside the team's namespace, where Argo CD finds it.
    let dev = zone(&tree, "payments", "dev");
    let policy_deployer = &dev["ServiceAccount/paved-policy-deployer-payments"]["metadata"];
    assert_eq!(policy_deployer["namespace"], "kube-system");
    assert_eq!(
        dev["AppProject/payments-dev-policies"]["spec"]["destinationServiceAccounts"][0]["defaultServiceAccount"],
        "kube-system:paved-policy-deployer-payments"
    );
    assert_eq!(admins["subjects"][0]["name"], "4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f");

    let hard = |team: &str, env: &str| zone(&tree, team, env)["ResourceQuota/paved-quota"]["spec"]["hard"].clone();
    assert_eq!(hard("payments", "dev")["requests.cpu"], "20");
    assert_eq!(hard("payments", "prod")["requests.cpu"], "40", "the prod override");
    assert_eq!(hard("payments", "prod")["requests.storage"], "500Gi", "kept from the team's quota");
    assert_eq!(hard("web", "dev")["requests.cpu"], "8", "a plain number is a quantity too");
    assert_eq!(hard("web", "prod")["requests.memory"], "16Gi");
    assert!(hard("web", "prod").get("requests.storage").is_none());

    let dev = zone(&tree, "payments", "dev");
    let namespace = &dev["Namespace/payments"]["metadata"]["labels"];
    for mode in ["enforce", "audit", "warn"] {
        assert_eq!(namespace[format!("pod-security.kubernetes.io/{mode}")], "restricted");
    }
    assert_eq!(namespace["paved.io/team"], "payments");
    // The LimitRange gives what the blueprints request by default: the smallest of them.
    let limits = &dev["LimitRange/paved-container-defaults"]["spec"]["limits"][0];
    assert_eq!(limits["defaultRequest"], serde_json::json!({ "cpu": "100m", "memory": "256Mi" }));
    assert_eq!(limits["default"], serde_json::json!({ "memory": "256Mi" }));
    // Default deny both ways plus DNS, in both flavors of the default platform.
    assert_eq!(dev["NetworkPolicy/paved-default-deny"]["spec"]["podSelector"], serde_json::json!({}));
    assert_eq!(
        dev["NetworkPolicy/paved-default-deny"]["spec"]["policyTypes"],
        serde_json::json!(["Ingress", "Egress"])
    );
    assert_eq!(dev["CiliumNetworkPolicy/paved-default-deny"]["spec"]["enableDefaultDeny"]["egress"], true);

    let project = &dev["AppProject/payments-dev"]["spec"];
    assert_eq!(project["sourceRepos"], serde_json::json!(["https://dev.azure.com/bank/platform/_git/gitops"]));
    assert_eq!(
        project["destinations"],
        serde_json::json!([{ "server": "https://dev.k8s.bank.internal", "namespace": "payments" }])
    );
    assert_eq!(project["clusterResourceWhitelist"], serde_json::json!([]));
    let blacklisted: Vec<&str> = project["namespaceResourceBlacklist"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["kind"].as_str())
        .collect();
    for kind in ["ResourceQuota", "LimitRange", "NetworkPolicy", "CiliumNetworkPolicy"] {
        assert!(blacklisted.contains(&kind), "the team's project must not create {kind}");
    }
}

/// The apps' Applications name their team's projects, and each project admits
/// what its Application deploys: the chart's kinds in the team's project
/// (nothing blacklisted), the policies in the policy project (whitelisted),
/// all in the team's namespace on the environment's cluster.
#[test]
fn app_applications_fit_their_landing_zone() {
    let zones = landing_tree(&["teams"], &[]);
    let apps = common::render_tree("examples", &[]);
    let mut checked = 0;
    for (path, text) in apps.iter().filter(|(p, _)| p.ends_with("/application.yaml")) {
        let parts: Vec<&str> = path.split('/').collect();
        let (team, env) = (parts[0], parts[2]);
        let folder = path.trim_end_matches("/application.yaml");
        let zone = zone(&zones, team, env);
        for application in documents(text) {
            let spec = &application["spec"];
            let project_name = spec["project"].as_str().expect("project");
            let project = &zone
                .get(&format!("AppProject/{project_name}"))
                .unwrap_or_else(|| panic!("{path}: project `{project_name}` is not in {team}'s landing zone in {env}"))
                ["spec"];
            assert!(
                project["destinations"].as_array().into_iter().flatten().any(|d| d == &spec["destination"]),
                "{path}: {project_name} does not admit {}",
                spec["destination"]
            );
            assert!(project["sourceRepos"].as_array().into_iter().flatten().any(|r| r == &spec["source"]["repoURL"]));
            // What this Application deploys: the chart's objects, or the policies.
            let source = spec["source"]["path"].as_str().expect("path");
            let deployed: Vec<Value> = if source.ends_with("/policies") {
                apps.iter()
                    .filter(|(p, _)| p.starts_with(&format!("{folder}/policies/")))
                    .flat_map(|(_, t)| documents(t))
                    .collect()
            } else {
                documents(&apps[&format!("{folder}/manifests.yaml")])
                    .into_iter()
                    .filter(|o| !o["kind"].as_str().unwrap_or_default().ends_with("NetworkPolicy"))
                    .collect()
            };
            assert!(!deployed.is_empty(), "{path}: {source} deploys nothing");
            for object in deployed {
                let kind = &object["kind"];
                let group = object["apiVersion"].as_str().unwrap_or_default().rsplit_once('/').map_or("", |(g, _)| g);
                let listed = |list: &str| {
                    project[list]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|k| &k["kind"] == kind && k["group"] == group))
                };
                let admitted = match project.get("namespaceResourceWhitelist") {
                    Some(_) => listed("namespaceResourceWhitelist"),
                    None => !listed("namespaceResourceBlacklist"),
                };
                assert!(admitted, "{path}: {project_name} refuses {kind} {}", object["metadata"]["name"]);
                assert_eq!(object["metadata"]["namespace"], spec["destination"]["namespace"], "{path}: {kind}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} objects checked");
}

#[test]
fn invalid_team_files() {
    insta::glob!("../../../tests/invalid-teams", "*/*.yaml", |path| {
        let rel = common::relative(path);
        let result = common::paved().args(["landing-zone", &rel]).output().expect("runs");
        assert_eq!(result.status.code(), Some(1), "{rel}: should exit 1");
        assert!(result.stdout.is_empty(), "{rel}: printed objects for an invalid team file");
        let stderr = String::from_utf8(result.stderr).expect("utf-8");
        assert!(stderr.contains(&format!("{rel}:")), "{rel}: the report does not name file:line:column:\n{stderr}");
        assert!(stderr.contains("help:"), "{rel}: no hint in:\n{stderr}");
        insta::assert_snapshot!(stderr);
    });
}

#[test]
fn one_team_one_file_and_known_environments() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for dir in ["a", "b"] {
        std::fs::create_dir(tmp.path().join(dir)).expect("mkdir");
        std::fs::copy(common::root().join("teams/web.yaml"), tmp.path().join(dir).join("web.yaml")).expect("copy");
    }
    let result =
        common::paved().arg("landing-zone").arg(tmp.path().join("a")).arg(tmp.path().join("b")).output().expect("runs");
    assert_eq!(result.status.code(), Some(1), "a second file for a team is a finding");
    assert!(String::from_utf8_lossy(&result.stderr).contains("team `web` is also described in"));

    let result = common::paved().args(["landing-zone", "teams", "--env", "prd"]).output().expect("runs");
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("did you mean `prod`?"));

    // --env narrows; a team that does not use the environment gets nothing there.
    let tree = landing_tree(&["teams"], &["--env", "test"]);
    let folders: Vec<&str> = tree.keys().filter_map(|p| p.strip_suffix("/cluster.yaml")).collect();
    assert_eq!(folders, ["payments/test"]);

    // An app tree and a landing-zone tree never replace each other.
    let apps = tmp.path().join("apps");
    let result = common::paved().args(["render", "examples"]).arg("--out").arg(&apps).output().expect("runs");
    assert!(result.status.success());
    let result = common::paved().args(["landing-zone", "teams"]).arg("--out").arg(&apps).output().expect("runs");
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("holds the tree `paved render --out` wrote"));
    assert!(apps.join("payments/payments-api/dev/manifests.yaml").is_file(), "the app tree is intact");
}

/// With `--teams`, every app's team needs a team file, and an app renders only
/// in the environments its team uses (its Applications name projects that
/// exist only there).
#[test]
fn apps_follow_their_team_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("storefront");
    std::fs::create_dir(&app).expect("mkdir");
    std::fs::write(
        app.join("app.yaml"),
        "name: storefront\nteam: web\nblueprint: worker@1\nimage: acr.bank.internal/web/storefront:1.0.0\n",
    )
    .expect("write");
    let teams = common::root().join("teams");
    let result = common::paved().arg("--teams").arg(&teams).arg("render").arg(&app).output().expect("runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let stream = String::from_utf8_lossy(&result.stdout);
    assert!(stream.contains("# dev/storefront") && stream.contains("# prod/storefront"));
    assert!(!stream.contains("# test/"), "team web does not use test");
    assert!(stream.contains("project: web-prod-policies"));

    let lonely = tmp.path().join("teams");
    std::fs::create_dir(&lonely).expect("mkdir");
    std::fs::copy(teams.join("payments.yaml"), lonely.join("payments.yaml")).expect("copy");
    let result = common::paved().arg("--teams").arg(&lonely).arg("validate").arg(&app).output().expect("runs");
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("team `web` has no team file in") && stderr.contains("app.yaml:2:7"), "{stderr}");
}

/// Team files are bounded like app and platform files.
#[test]
fn team_files_have_the_string_limit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(common::root().join("teams/web.yaml")).expect("web")
        + &format!("note: \"{}\"\n", "x".repeat(70_000));
    std::fs::write(tmp.path().join("web.yaml"), text).expect("write");
    let result = common::paved().arg("landing-zone").arg(tmp.path()).output().expect("runs");
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("more than the limit of 65536 bytes"), "{stderr}");
}
