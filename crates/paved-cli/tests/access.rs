//! Who may do what in a team's namespace, asked of a real API server (`cluster/`): the
//! table "Who may do what" in `docs/landing-zones.md` holds for every team of `teams/`,
//! in every environment, for the team's admins group, its developers group and every
//! ServiceAccount in its namespace (the landing zone's, the example apps', `default`),
//! verb by verb, by SubjectAccessReviews; every namespaced resource the server serves
//! and the table does not name is refused to all of them. Then the attacks the table
//! rules out are tried as an attacker would, impersonating a developer and an admin, and
//! each is Forbidden by the server.
//!
//! Skipped with a message without `scripts/install-kube-apiserver`, except under CI.

#![allow(clippy::print_stderr)]

mod cluster;
mod common;

use std::collections::{BTreeMap, BTreeSet};

use cluster::{Cluster, Etcd};
use serde_json::{Value, json};

/// The verbs asked about: `write` in the table is the first seven; nobody gets
/// `deletecollection` or `impersonate` (which would let its holder act as another account).
const VERBS: [&str; 9] =
    ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate"];

/// A resource as the table writes it: `resource[/subresource][.group]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Resource {
    group: String,
    resource: String,
    subresource: String,
}

impl Resource {
    fn parse(text: &str) -> Resource {
        let (path, group) = text.split_once('.').unwrap_or((text, ""));
        let (resource, subresource) = path.split_once('/').unwrap_or((path, ""));
        Resource { group: group.to_owned(), resource: resource.to_owned(), subresource: subresource.to_owned() }
    }
}

/// The table: its subject columns, and per row the resources and each column's verbs.
#[derive(Debug)]
struct Table {
    columns: Vec<String>,
    rows: Vec<(Vec<Resource>, Vec<BTreeSet<String>>)>,
}

impl Table {
    /// The verbs `column` may use on `resource`: its row's, or none when no row names it.
    fn allowed(&self, column: &str, resource: &Resource) -> BTreeSet<String> {
        let at = self.columns.iter().position(|c| c == column).unwrap_or_else(|| panic!("no column `{column}`"));
        self.rows
            .iter()
            .find(|(resources, _)| resources.contains(resource))
            .map(|(_, cells)| cells[at].clone())
            .unwrap_or_default()
    }
}

/// The table under "## Who may do what" in docs/landing-zones.md. A cell is `write`
/// (get, list, watch, create, update, patch, delete), `read` (get, list, watch), `–`
/// (nothing) or a list of verbs.
fn access_table() -> Table {
    let docs = std::fs::read_to_string(common::root().join("docs/landing-zones.md")).expect("landing-zones.md");
    let section = docs.split("\n## Who may do what\n").nth(1).expect("a section `## Who may do what`");
    let mut lines = section.lines().skip_while(|l| !l.starts_with("| resource |")).take_while(|l| l.starts_with('|'));
    let cells = |line: &str| line.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect::<Vec<_>>();
    let columns: Vec<String> = cells(lines.next().expect("the header"))[1..].to_vec();
    let mut rows = Vec::new();
    for line in lines.skip(1) {
        let cells = cells(line);
        let resources: Vec<Resource> = cells[0].split('`').skip(1).step_by(2).map(Resource::parse).collect();
        let verbs = cells[1..]
            .iter()
            .map(|cell| match cell.as_str() {
                "write" => VERBS[..7].iter().map(|v| (*v).to_owned()).collect(),
                "read" => ["get", "list", "watch"].iter().map(|v| (*v).to_owned()).collect(),
                "–" | "-" => BTreeSet::new(),
                verbs => verbs.split(',').map(|v| v.trim().to_owned()).collect(),
            })
            .collect::<Vec<BTreeSet<String>>>();
        assert_eq!(verbs.len(), columns.len(), "a row of the access table has too few cells: {line}");
        rows.push((resources, verbs));
    }
    assert!(rows.len() >= 8, "the access table has only {} rows", rows.len());
    Table { columns, rows }
}

/// Someone the server is asked about: a user and groups, and the table's column for them.
#[derive(Debug)]
struct Subject {
    column: &'static str,
    user: String,
    groups: Vec<String>,
}

fn service_account(column: &'static str, namespace: &str, name: &str) -> Subject {
    Subject {
        column,
        user: format!("system:serviceaccount:{namespace}:{name}"),
        groups: vec![
            "system:serviceaccounts".into(),
            format!("system:serviceaccounts:{namespace}"),
            "system:authenticated".into(),
        ],
    }
}

/// A team's landing zone in one environment, and a cluster holding it and the examples.
struct Environment {
    cluster: Cluster,
    /// The team files, by team.
    teams: BTreeMap<String, Value>,
    production: bool,
}

/// Start a cluster for `env` of the embedded platform with the landing zones of `teams/`
/// and the example apps (so their ServiceAccounts exist).
fn environment(etcd: &Etcd, env: &str) -> Environment {
    let cluster = Cluster::start(etcd);
    cluster.create_namespace("argocd");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("zones");
    let result =
        common::paved().args(["landing-zone", "teams", "--env", env, "--out"]).arg(&out).output().expect("runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let zones = common::read_tree(&out);
    let mut files: Vec<(&str, &str)> = Vec::new();
    for suffix in ["/cluster.yaml", "/argocd.yaml"] {
        files.extend(zones.iter().filter(|(p, _)| p.ends_with(suffix)).map(|(p, t)| (p.as_str(), t.as_str())));
    }
    assert_eq!(cluster.check(&format!("landing zones in {env}"), &cluster::objects(&files)), Vec::<String>::new());
    cluster.settle_quotas();
    let apps = common::render_tree("examples", &["--env", env, "--teams", "teams"]);
    let files: Vec<(&str, &str)> =
        apps.iter().filter(|(p, _)| p.ends_with("/manifests.yaml")).map(|(p, t)| (p.as_str(), t.as_str())).collect();
    assert_eq!(cluster.check(&format!("examples in {env}"), &cluster::objects(&files)), Vec::<String>::new());

    let mut teams = BTreeMap::new();
    for team in cluster::rendered::repository_teams() {
        if zones.contains_key(&format!("{team}/{env}/cluster.yaml")) {
            let text = std::fs::read_to_string(common::root().join(format!("teams/{team}.yaml"))).expect("team file");
            teams.insert(team, paved_yaml::load_one(&text, paved_yaml::Limits::default()).expect("loads").to_json());
        }
    }
    // The embedded platform marks its production environment.
    let platform = std::fs::read_to_string(common::root().join("platform.yaml")).expect("platform.yaml");
    let platform = paved_yaml::load_one(&platform, paved_yaml::Limits::default()).expect("loads").to_json();
    let production =
        platform["environments"].as_array().into_iter().flatten().any(|e| e["name"] == env && e["production"] == true);
    Environment { cluster, teams, production }
}

/// Ask the server `subject` × `resources` × every verb in `namespace` (one kubectl run):
/// the verbs allowed, per resource.
fn allowed(
    cluster: &Cluster,
    subject: &Subject,
    namespace: &str,
    resources: &[Resource],
) -> BTreeMap<Resource, BTreeSet<String>> {
    let mut reviews = Vec::new();
    for resource in resources {
        for verb in VERBS {
            reviews.push(json!({
                "apiVersion": "authorization.k8s.io/v1",
                "kind": "SubjectAccessReview",
                "spec": {
                    "user": subject.user,
                    "groups": subject.groups,
                    "resourceAttributes": {
                        "namespace": namespace, "verb": verb, "group": resource.group,
                        "resource": resource.resource, "subresource": resource.subresource,
                    },
                },
            }));
        }
    }
    // kubectl prints one JSON object per review, one after the other.
    let output = cluster.must(&["create", "-o", "json", "-f", "-"], Some(&cluster::list(&reviews)));
    let items: Vec<Value> =
        serde_json::Deserializer::from_str(&output).into_iter().collect::<Result<_, _>>().expect("reviews as JSON");
    let mut allowed: BTreeMap<Resource, BTreeSet<String>> =
        resources.iter().map(|r| (r.clone(), BTreeSet::new())).collect();
    assert_eq!(items.len(), reviews.len(), "one answer per review");
    for answer in items {
        let attributes = &answer["spec"]["resourceAttributes"];
        let text = |field: &str| attributes[field].as_str().unwrap_or_default().to_owned();
        let resource = Resource { group: text("group"), resource: text("resource"), subresource: text("subresource") };
        if answer["status"]["allowed"] == true {
            allowed.entry(resource).or_default().insert(text("verb"));
        }
    }
    allowed
}

/// Every namespaced resource the server serves (`resource.group`), with the table's.
fn resources(cluster: &Cluster, table: &Table) -> Vec<Resource> {
    let served = cluster.must(&["api-resources", "--namespaced=true", "-o", "name"], None);
    let mut all: BTreeSet<Resource> = served.lines().map(Resource::parse).collect();
    all.extend(table.rows.iter().flat_map(|(r, _)| r.iter().cloned()));
    all.into_iter().collect()
}

#[test]
fn the_access_table_holds_when_the_server_is_asked() {
    let Some(tools) = cluster::tools("the_access_table_holds_when_the_server_is_asked") else { return };
    let table = access_table();
    let etcd = Etcd::start(&tools);
    let mut wrong = Vec::new();
    let mut asked = 0;
    for env in ["dev", "test", "prod"] {
        let environment = environment(&etcd, env);
        let cluster = &environment.cluster;
        let resources = resources(cluster, &table);
        for (team, file) in &environment.teams {
            // The embedded platform's namespace pattern is `{team}`.
            let namespace = team.as_str();
            let group = |role: &str| file["groups"][role].as_str().expect("group id").to_owned();
            let developers = if environment.production { "developers in production" } else { "developers" };
            let mut subjects = vec![
                Subject {
                    column: "admins",
                    user: format!("an-admin-of-{team}"),
                    groups: vec![group("admins"), "system:authenticated".into()],
                },
                Subject {
                    column: developers,
                    user: format!("a-developer-of-{team}"),
                    groups: vec![group("developers"), "system:authenticated".into()],
                },
                service_account("app deploy account", namespace, "paved-deployer"),
                service_account("policy deploy account", "kube-system", &format!("paved-policy-deployer-{namespace}")),
            ];
            let accounts = cluster.must(&["get", "serviceaccounts", "-n", namespace, "-o", "name"], None);
            let mut others: BTreeSet<String> =
                accounts.lines().filter_map(|l| l.strip_prefix("serviceaccount/")).map(str::to_owned).collect();
            others.remove("paved-deployer");
            // Every namespace has `default` where a controller manager runs.
            others.insert("default".to_owned());
            assert!(
                others.len() >= 2 || team != "payments",
                "{team}: the examples' ServiceAccounts are missing: {others:?}"
            );
            subjects.extend(others.iter().map(|name| service_account("other service accounts", namespace, name)));
            for subject in &subjects {
                let answers = allowed(cluster, subject, namespace, &resources);
                for (resource, verbs) in answers {
                    asked += VERBS.len();
                    let expected = table.allowed(subject.column, &resource);
                    if verbs != expected {
                        wrong.push(format!(
                            "{env}: {} ({}) on {resource:?} in `{namespace}`: the server allows {verbs:?}, the table {expected:?}",
                            subject.user, subject.column
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{asked} questions asked of the API server");
    assert!(wrong.is_empty(), "the access table does not hold:\n{}", wrong.join("\n"));
}

/// The attacks the landing zone closes, tried against the server as an attacker would:
/// with kubectl, impersonating a developer of `payments` in `dev` (where developers may
/// do the most) and then one of its admins.
#[test]
fn attacks_through_the_api_are_forbidden() {
    let Some(tools) = cluster::tools("attacks_through_the_api_are_forbidden") else { return };
    let etcd = Etcd::start(&tools);
    let environment = environment(&etcd, "dev");
    let cluster = &environment.cluster;
    let payments = &environment.teams["payments"];
    let as_group = |role: &str| format!("--as-group={}", payments["groups"][role].as_str().expect("group id"));
    let (developers_group, admins_group) = (as_group("developers"), as_group("admins"));
    let developer = ["--as=mallory", developers_group.as_str()];
    let admin = ["--as=trudy", admins_group.as_str()];
    let try_as = |who: &[&str; 2], namespace: &str, object: Value| {
        let args = [who[0], who[1], "-n", namespace, "create", "-f", "-"];
        cluster.kubectl(&args, Some(&object.to_string()))
    };
    let forbidden = |what: &str, outcome: cluster::Outcome| {
        assert!(
            !outcome.success && outcome.stderr.to_lowercase().contains("forbidden"),
            "{what} was not Forbidden:\n{}{}",
            outcome.stdout,
            outcome.stderr
        );
        eprintln!("{what}: {}", outcome.stderr.trim());
        outcome.stderr
    };

    // The control: the developer may deploy, so what follows fails for what it is.
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "innocent" },
        "spec": { "selector": { "matchLabels": { "app": "innocent" } }, "template": {
            "metadata": { "labels": { "app": "innocent" } }, "spec": pod_spec("paved-deployer") } },
    });
    let outcome = try_as(&developer, "payments", deployment);
    assert!(outcome.success, "the developer may not even deploy:\n{}", outcome.stderr);

    // 1. Open the namespace with a policy of one's own.
    let allow_all = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": { "name": "allow-all" },
        "spec": { "podSelector": {}, "ingress": [{}], "egress": [{}], "policyTypes": ["Ingress", "Egress"] },
    });
    forbidden("a developer creating a NetworkPolicy", try_as(&developer, "payments", allow_all.clone()));
    forbidden("an admin creating a NetworkPolicy", try_as(&admin, "payments", allow_all));
    let cilium = json!({
        "apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": { "name": "allow-all" },
        "spec": { "endpointSelector": {}, "egress": [{ "toEntities": ["all"] }] },
    });
    forbidden("a developer creating a CiliumNetworkPolicy", try_as(&developer, "payments", cilium));

    // 2. Act as the account that may write policies: a pod running as it, or a token for it.
    let policy_account = "paved-policy-deployer-payments";
    let pod = json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "borrowed-identity" }, "spec": pod_spec(policy_account) });
    forbidden("a developer's pod running as the policy deploy account", try_as(&developer, "kube-system", pod.clone()));
    forbidden("an admin's pod running as the policy deploy account", try_as(&admin, "kube-system", pod));
    let token = [developer[0], developer[1], "-n", "kube-system", "create", "token", policy_account];
    forbidden("a developer asking for the policy deploy account's token", cluster.kubectl(&token, None));
    // A namesake in the team's namespace is another identity, with no right to policies.
    let namesake = service_account("other service accounts", "payments", policy_account);
    let answers = allowed(cluster, &namesake, "payments", &[Resource::parse("networkpolicies.networking.k8s.io")]);
    assert!(answers.values().all(BTreeSet::is_empty), "the namesake may write policies: {answers:?}");

    // 3. Grant oneself more: a RoleBinding to `admin` (or to the policy role).
    let binding = |role_kind: &str, role: &str, group: &str| {
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": { "name": format!("more-{role}") },
            "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role },
            "subjects": [{ "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group }],
        })
    };
    let developers_id = payments["groups"]["developers"].as_str().expect("id");
    forbidden(
        "a developer binding `admin`",
        try_as(&developer, "payments", binding("ClusterRole", "admin", developers_id)),
    );
    let refusal = forbidden(
        "an admin binding `admin`",
        try_as(&admin, "payments", binding("ClusterRole", "admin", developers_id)),
    );
    // Refused for the network policies `admin` writes (the server lists what is not held).
    assert!(refusal.contains("\"networkpolicies\""), "refused for another reason:\n{refusal}");
    forbidden(
        "an admin binding the policy role",
        try_as(&admin, "payments", binding("Role", "paved-network-policies", developers_id)),
    );
    // Admins may still share what they hold: the escalation rules, not a missing right, stop them.
    let outcome = try_as(&admin, "payments", binding("Role", "paved-team-developer", developers_id));
    assert!(outcome.success, "an admin may not share the developer role:\n{}", outcome.stderr);
}

/// A restricted pod spec running as `account`.
fn pod_spec(account: &str) -> Value {
    json!({
        "serviceAccountName": account,
        "securityContext": { "runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": { "type": "RuntimeDefault" } },
        "containers": [{
            "name": "main", "image": "acr.bank.internal/tools/shell:1.0.0",
            "resources": { "requests": { "cpu": "100m", "memory": "64Mi" }, "limits": { "memory": "64Mi" } },
            "securityContext": { "allowPrivilegeEscalation": false, "capabilities": { "drop": ["ALL"] } },
        }],
    })
}
