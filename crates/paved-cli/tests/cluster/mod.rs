//! A real Kubernetes API server for the tests, as envtest runs one: etcd and
//! kube-apiserver on free loopback ports, token authentication, RBAC authorization, no
//! controller manager (so `--endpoint-reconciler-type=none` and no ServiceAccount
//! admission), the CRDs of Argo CD, Cilium and the Prometheus operator installed.
//! `scripts/install-kube-apiserver` builds the programs; [`tools`] finds them.
//!
//! One etcd per test process ([`Etcd`]); a [`Cluster`] is an API server on its own etcd
//! prefix, so each environment gets an empty cluster in a few seconds (namespaces never
//! finish deleting without a controller manager, so a cluster is never reused for
//! another environment). Every process is stopped when its owner is dropped, and also
//! when the test process ends any other way ([`watchdog`]).
//!
//! Two controllers' duties that the tests rely on are done here instead, as the
//! controller manager would: ClusterRole aggregation (`admin`, `edit` and `view` are
//! empty until it runs) and a ResourceQuota's status (quota admission refuses every pod
//! until the quota's usage is known).

#![allow(dead_code, clippy::print_stderr)]

pub mod rendered;
pub mod watchdog;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use watchdog::Watched;

/// The programs and CRDs `scripts/install-kube-apiserver` installs.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The folder that holds `bin/`, `crds/` and `etc/`.
    pub dir: PathBuf,
}

impl Tools {
    fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("bin").join(name)
    }
}

/// The installed tools, from `PAVED_KUBE` or an earlier run of
/// `scripts/install-kube-apiserver`. `None`, after saying that `test` skipped, when they
/// are not installed; under CI a missing install fails the test instead.
pub fn tools(test: &str) -> Option<Tools> {
    let dir = match std::env::var_os("PAVED_KUBE") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Command::new(crate::common::root().join("scripts/install-kube-apiserver"))
            .arg("--installed")
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())),
    };
    match dir {
        Some(dir) => {
            let tools = Tools { dir };
            for program in ["etcd", "kube-apiserver", "kubectl"] {
                assert!(tools.bin(program).is_file(), "{}: no bin/{program}", tools.dir.display());
            }
            Some(tools)
        }
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run {test}: no API server (run scripts/install-kube-apiserver, or set PAVED_KUBE)"
            );
            eprintln!(
                "SKIPPED {test}: no API server installed (run scripts/install-kube-apiserver: 10 to 20 minutes \
                 once; or set PAVED_KUBE)"
            );
            None
        }
    }
}

/// A free TCP port on the loopback address (free when asked; the servers bind it
/// moments later).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("address").port()
}

/// Wait until `ready` holds, or panic with `what` and the server's log.
fn wait_for(what: &str, server: &Watched, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(server.is_running(), "{what} stopped while starting:\n{}", server.log_tail());
        assert!(started.elapsed() < timeout, "{what} not ready after {timeout:?}:\n{}", server.log_tail());
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// etcd, for every [`Cluster`] of the test process.
#[derive(Debug)]
pub struct Etcd {
    tools: Tools,
    url: String,
    process: Watched,
    clusters: AtomicUsize,
    dir: tempfile::TempDir,
}

impl Etcd {
    /// Start etcd on free loopback ports, with its data in a temporary folder.
    pub fn start(tools: &Tools) -> Etcd {
        let dir = tempfile::tempdir().expect("tempdir");
        let (client, peer) = (free_port(), free_port());
        let url = format!("http://127.0.0.1:{client}");
        let peer_url = format!("http://127.0.0.1:{peer}");
        let args = [
            "--name=paved".to_owned(),
            format!("--data-dir={}", dir.path().join("data").display()),
            format!("--listen-client-urls={url}"),
            format!("--advertise-client-urls={url}"),
            format!("--listen-peer-urls={peer_url}"),
            format!("--initial-advertise-peer-urls={peer_url}"),
            format!("--initial-cluster=paved={peer_url}"),
            // Test data: losing it in a power cut costs nothing, and fsync costs seconds.
            "--unsafe-no-fsync".to_owned(),
            "--log-level=warn".to_owned(),
        ];
        let process = Watched::start("etcd", &tools.bin("etcd"), &args, &dir.path().join("etcd.log"));
        wait_for("etcd", &process, Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", client)).is_ok()
        });
        Etcd { tools: tools.clone(), url, process, clusters: AtomicUsize::new(0), dir }
    }

    /// The process id, for the tests that show it stops.
    pub fn pid(&self) -> u32 {
        self.process.pid
    }
}

/// What a kubectl run said.
#[derive(Debug)]
pub struct Outcome {
    /// Whether it exited 0.
    pub success: bool,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error: errors, and the server's warnings (`Warning: ...`).
    pub stderr: String,
}

impl Outcome {
    /// Every error and warning, one per line: empty when the server accepted
    /// everything without a word.
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> =
            self.stderr.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
        if !self.success && problems.is_empty() {
            problems.push("kubectl failed without a message".to_owned());
        }
        problems
    }
}

/// An API server on its own etcd prefix: an empty cluster.
#[derive(Debug)]
pub struct Cluster {
    tools: Tools,
    process: Watched,
    kubeconfig: PathBuf,
    dir: tempfile::TempDir,
}

/// The token the tests authenticate with: a member of `system:masters`, which may also
/// impersonate anyone.
const TOKEN: &str = "paved-test-admin-token";

impl Cluster {
    /// Start an API server on a fresh etcd prefix, wait until it is ready, install the
    /// CRDs and aggregate the built-in ClusterRoles.
    pub fn start(etcd: &Etcd) -> Cluster {
        let tools = etcd.tools.clone();
        let dir = tempfile::tempdir().expect("tempdir");
        let number = etcd.clusters.fetch_add(1, Ordering::SeqCst);
        let port = free_port();
        let tokens = dir.path().join("tokens.csv");
        std::fs::write(&tokens, format!("{TOKEN},paved-test-admin,paved-test-admin,\"system:masters\"\n"))
            .expect("token file");
        let key = tools.dir.join("etc/service-account.key");
        let certs = dir.path().join("certs");
        let args = [
            format!("--etcd-servers={}", etcd.url),
            format!("--etcd-prefix=/cluster-{number}"),
            "--bind-address=127.0.0.1".to_owned(),
            "--advertise-address=127.0.0.1".to_owned(),
            format!("--secure-port={port}"),
            format!("--cert-dir={}", certs.display()),
            format!("--token-auth-file={}", tokens.display()),
            "--authorization-mode=RBAC".to_owned(),
            // No controller manager runs: nothing would keep the endpoints or create the
            // ServiceAccounts that the ServiceAccount admission plugin waits for.
            "--endpoint-reconciler-type=none".to_owned(),
            "--disable-admission-plugins=ServiceAccount".to_owned(),
            "--service-account-issuer=https://127.0.0.1".to_owned(),
            format!("--service-account-key-file={}", key.display()),
            format!("--service-account-signing-key-file={}", key.display()),
            // Addresses for Services' cluster IPs, allocated in etcd; no traffic goes there.
            "--service-cluster-ip-range=10.0.0.0/24".to_owned(),
            "--enable-priority-and-fairness=false".to_owned(),
            "--profiling=false".to_owned(),
        ];
        let process =
            Watched::start("kube-apiserver", &tools.bin("kube-apiserver"), &args, &dir.path().join("apiserver.log"));
        let kubeconfig = dir.path().join("kubeconfig");
        let config = json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{ "name": "paved", "cluster": {
                "server": format!("https://127.0.0.1:{port}"),
                // The server's self-signed certificate, with the CA that signed it.
                "certificate-authority": certs.join("apiserver.crt"),
            } }],
            "users": [{ "name": "admin", "user": { "token": TOKEN } }],
            "contexts": [{ "name": "paved", "context": { "cluster": "paved", "user": "admin" } }],
            "current-context": "paved",
        });
        std::fs::write(&kubeconfig, config.to_string()).expect("kubeconfig");
        let cluster = Cluster { tools, process, kubeconfig, dir };
        wait_for("kube-apiserver", &cluster.process, Duration::from_secs(90), || {
            certs.join("apiserver.crt").is_file() && cluster.kubectl(&["get", "--raw", "/readyz"], None).success
        });
        cluster.install_crds();
        cluster.aggregate_cluster_roles();
        cluster
    }

    /// The API server's process id, for the tests that show it stops.
    pub fn pid(&self) -> u32 {
        self.process.pid
    }

    /// Run kubectl against this cluster, as its admin, with `stdin` as input.
    pub fn kubectl(&self, args: &[&str], stdin: Option<&str>) -> Outcome {
        let mut command = Command::new(self.tools.bin("kubectl"));
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"))
            .args(args)
            .env_remove("KUBECONFIG")
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("kubectl runs");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().expect("stdin");
            let text = text.to_owned();
            // Written from a thread: kubectl may answer before it has read everything.
            std::thread::spawn(move || std::io::Write::write_all(&mut pipe, text.as_bytes()));
        }
        let output = child.wait_with_output().expect("kubectl finishes");
        Outcome {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `kubectl` that must succeed without a warning; its output.
    pub fn must(&self, args: &[&str], stdin: Option<&str>) -> String {
        let outcome = self.kubectl(args, stdin);
        assert!(outcome.success && outcome.problems().is_empty(), "kubectl {args:?}:\n{}", outcome.stderr);
        outcome.stdout
    }

    /// Server-side apply of YAML or JSON objects, with strict field validation (an
    /// unknown or duplicate field is an error, not a warning).
    pub fn apply(&self, objects: &str) -> Outcome {
        self.kubectl(
            &[
                "apply",
                "--server-side",
                "--field-manager=paved-test",
                "--validate=strict",
                "--force-conflicts",
                "-f",
                "-",
            ],
            Some(objects),
        )
    }

    /// Create objects as a dry run on the server: every admission plugin judges them,
    /// nothing is stored.
    pub fn dry_run(&self, objects: &str) -> Outcome {
        self.kubectl(&["create", "--dry-run=server", "--validate=strict", "-o", "name", "-f", "-"], Some(objects))
    }

    /// Delete objects, without waiting for finalizers (nothing runs them here).
    pub fn delete(&self, objects: &str) -> Outcome {
        self.kubectl(&["delete", "--ignore-not-found", "--wait=false", "-f", "-"], Some(objects))
    }

    /// Install the CRDs and wait until each is served.
    fn install_crds(&self) {
        let crds = self.tools.dir.join("crds");
        let crds = crds.to_str().expect("utf-8 path");
        self.must(&["apply", "--server-side", "--field-manager=paved-test", "-f", crds], None);
        self.must(&["wait", "--for=condition=Established", "--timeout=60s", "-f", crds], None);
    }

    /// What the controller manager's ClusterRole aggregation does: every ClusterRole with
    /// an `aggregationRule` gets the rules of the ClusterRoles its selectors match (the
    /// bootstrap `admin`, `edit` and `view` hold no rules of their own).
    fn aggregate_cluster_roles(&self) {
        let roles: Value =
            serde_json::from_str(&self.must(&["get", "clusterroles", "-o", "json"], None)).expect("clusterroles");
        let mut roles = roles["items"].as_array().cloned().unwrap_or_default();
        let matches = |role: &Value, selector: &Value| {
            selector["matchLabels"]
                .as_object()
                .is_some_and(|labels| labels.iter().all(|(k, v)| &role["metadata"]["labels"][k] == v))
        };
        // Aggregated roles aggregate into others (`edit` into `admin`): until nothing changes.
        let mut changed = true;
        while changed {
            changed = false;
            for at in 0..roles.len() {
                let Some(selectors) = roles[at]["aggregationRule"]["clusterRoleSelectors"].as_array() else { continue };
                let mut rules: Vec<Value> = Vec::new();
                for source in roles.iter().filter(|r| selectors.iter().any(|s| matches(r, s))) {
                    for rule in source["rules"].as_array().into_iter().flatten() {
                        if !rules.contains(rule) {
                            rules.push(rule.clone());
                        }
                    }
                }
                if roles[at]["rules"] != Value::Array(rules.clone()) {
                    roles[at]["rules"] = Value::Array(rules);
                    changed = true;
                }
            }
        }
        let updated: Vec<Value> = roles.into_iter().filter(|r| r.get("aggregationRule").is_some()).collect();
        let list = json!({ "apiVersion": "v1", "kind": "List", "items": updated });
        self.must(&["replace", "-f", "-"], Some(&list.to_string()));
    }

    /// What the controller manager's quota controller does for a new ResourceQuota: its
    /// status holds the hard limits and, nothing running yet, zero usage. Quota admission
    /// refuses every pod (dry runs too) in a namespace whose quota has no status.
    pub fn settle_quotas(&self) {
        let quotas: Value = serde_json::from_str(&self.must(&["get", "resourcequotas", "-A", "-o", "json"], None))
            .expect("resourcequotas");
        for quota in quotas["items"].as_array().into_iter().flatten() {
            let hard = &quota["spec"]["hard"];
            let used: BTreeMap<&String, &str> =
                hard.as_object().into_iter().flatten().map(|(resource, _)| (resource, "0")).collect();
            let patch = json!({ "status": { "hard": hard, "used": used } }).to_string();
            let name = quota["metadata"]["name"].as_str().unwrap_or_default();
            let namespace = quota["metadata"]["namespace"].as_str().unwrap_or_default();
            self.must(
                &[
                    "patch",
                    "resourcequota",
                    name,
                    "-n",
                    namespace,
                    "--subresource=status",
                    "--type=merge",
                    "-p",
                    &patch,
                ],
                None,
            );
        }
    }

    /// Create a namespace the platform owns (Argo CD's), as the platform would.
    pub fn create_namespace(&self, name: &str) {
        let namespace = json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": name } });
        self.must(&["apply", "--server-side", "--field-manager=paved-test", "-f", "-"], Some(&namespace.to_string()));
    }
}

/// The objects of YAML files (multi-document streams), in order.
pub fn objects(files: &[(&str, &str)]) -> Vec<Value> {
    files
        .iter()
        .flat_map(|(path, text)| {
            paved_yaml::load_all(text, paved_yaml::Limits::default())
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .iter()
                .map(paved_yaml::Node::to_json)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Objects as one `v1` List, which kubectl takes as it takes a stream.
pub fn list(objects: &[Value]) -> String {
    json!({ "apiVersion": "v1", "kind": "List", "items": objects }).to_string()
}

/// A workload's pod template as a Pod in the workload's namespace, named after it, as its
/// controller would make it, for a dry run: Pod Security only warns about a workload's
/// template, and refuses the Pod.
pub fn pod_of(object: &Value) -> Option<Value> {
    let kind = paved_kinds::by_type(object["apiVersion"].as_str()?, object["kind"].as_str()?)?;
    // A Pod is applied as itself.
    let template = object.pointer(kind.pod_spec?.strip_suffix("/spec").filter(|t| !t.is_empty())?)?;
    let mut metadata = json!({
        "name": format!("{}-{}", object["metadata"]["name"].as_str()?, kind.kind.to_lowercase()),
        "namespace": object["metadata"]["namespace"],
    });
    for field in ["labels", "annotations"] {
        if let Some(value) = template["metadata"].get(field) {
            metadata[field] = value.clone();
        }
    }
    let mut spec = template["spec"].clone();
    // A StatefulSet's controller gives each pod a volume per claim template, named after
    // it, holding the pod's claim (`<template>-<statefulset>-<ordinal>`).
    for claim in object["spec"]["volumeClaimTemplates"].as_array().into_iter().flatten() {
        let name = claim["metadata"]["name"].as_str()?;
        let volume = json!({ "name": name, "persistentVolumeClaim": {
            "claimName": format!("{name}-{}-0", object["metadata"]["name"].as_str()?),
        } });
        match spec["volumes"].as_array_mut() {
            Some(volumes) => volumes.push(volume),
            None => spec["volumes"] = json!([volume]),
        }
    }
    Some(json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec }))
}

impl Cluster {
    /// Apply `objects` (server-side apply, strict field validation), then dry-run every
    /// workload's pod template as a Pod: every error and every warning, each after `what`.
    pub fn check(&self, what: &str, objects: &[Value]) -> Vec<String> {
        let mut problems: Vec<String> =
            self.apply(&list(objects)).problems().into_iter().map(|p| format!("{what}: {p}")).collect();
        let pods: Vec<Value> = objects.iter().filter_map(pod_of).collect();
        if !pods.is_empty() {
            let outcome = self.dry_run(&list(&pods));
            problems.extend(outcome.problems().into_iter().map(|p| format!("{what}: as a Pod: {p}")));
        }
        problems
    }

    /// Delete `objects`, so the next case starts from the landing zone alone (two cases
    /// may render the same name with a different, immutable selector).
    pub fn remove(&self, objects: &[Value]) {
        let outcome = self.delete(&list(objects));
        assert!(outcome.success, "deleting failed:\n{}", outcome.stderr);
    }
}
