//! Zero-trust network policies from `calls`, `calledBy`, `ingress` and `metrics`.
//!
//! For each app and environment, in each flavor the platform enables, one
//! policy selects the app's pods and denies everything in both directions that
//! it does not list: DNS to kube-dns, one egress rule per `calls` entry, and one
//! ingress rule per caller (plus the ingress controller and monitoring when the
//! app asks for them), each limited to the port it needs.
//!
//! These policies are built here, as data, rather than in blueprint templates:
//! they need facts from other apps (a callee's port), and their rules are the
//! platform's, the same for every blueprint. `docs/network-policies.md` maps
//! each app-file construct to the rules it produces.

use std::collections::BTreeMap;

use paved_kinds::Owner;
use paved_spec::app::{AppFile, PortProtocol};
use paved_spec::platform::{Environment, Platform, PolicyFlavor};
use paved_spec::syntax::{self, Call, Caller};
use serde_json::{Map, Value, json};

use crate::context::Context;
use crate::normalise::Object;

/// Whether `object` is a network policy (a kind the kinds table gives to
/// [`Owner::Policies`]): such objects go to the policy project, never into a chart.
pub fn is_policy(object: &Object) -> bool {
    paved_kinds::by_kind(object.kind()).is_some_and(|k| k.owner == Owner::Policies)
}

/// What the policies of one app need to know about the other apps rendered
/// with it: each app's ports (the ones callers may reach), by team and name.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    ports: BTreeMap<(String, String), Vec<RulePort>>,
}

impl Directory {
    /// A directory of the apps rendered together (each app's file as written:
    /// ports do not differ per environment).
    pub fn new<'a>(apps: impl IntoIterator<Item = &'a AppFile>) -> Directory {
        Directory { ports: apps.into_iter().map(|a| ((a.team.clone(), a.name.clone()), caller_ports(a))).collect() }
    }

    /// The ports of `team/name` callers may reach, when it is in the rendered
    /// set (empty when it is not, or has none: then no port is named).
    fn ports(&self, team: &str, name: &str) -> Vec<RulePort> {
        self.ports.get(&(team.to_owned(), name.to_owned())).cloned().unwrap_or_default()
    }
}

/// One port a rule allows: its number and transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RulePort {
    port: u32,
    udp: bool,
}

impl RulePort {
    fn tcp(port: u32) -> RulePort {
        RulePort { port, udp: false }
    }

    fn protocol(self) -> &'static str {
        if self.udp { "UDP" } else { "TCP" }
    }
}

/// The ports an app's callers may reach: the main port and every port of
/// `ports` (pod ports: a `servicePort` in front changes nothing here).
fn caller_ports(app: &AppFile) -> Vec<RulePort> {
    let main = app.port.map(RulePort::tcp);
    let more = app
        .ports
        .iter()
        .flatten()
        .map(|(_, spec)| RulePort { port: spec.port(), udp: spec.protocol() == PortProtocol::Udp });
    main.into_iter().chain(more).collect()
}

/// A peer of the app in one rule, before it is written in a flavor's terms.
enum Peer {
    /// Pods of an app, in a namespace.
    App { namespace: String, name: String },
    /// Every pod of a namespace.
    Namespace { namespace: String },
    /// Pods with these labels in a namespace (ingress controller, monitoring).
    Pods { namespace: String, labels: BTreeMap<String, String> },
    /// A host name (Cilium only).
    Fqdn { host: String },
    /// An address range.
    Cidr { cidr: String },
}

/// One allowed direction: a peer and the ports (none: every port).
struct Rule {
    peer: Peer,
    ports: Vec<RulePort>,
}

/// The network policies of one app in one environment, in every flavor the
/// platform enables.
pub(crate) fn policies(
    app: &AppFile,
    context: &Context,
    environment: &Environment,
    platform: &Platform,
    directory: &Directory,
) -> Vec<Object> {
    let namespace = &context.app.namespace;
    let mut egress = Vec::new();
    for entry in app.calls.iter().flatten() {
        let rule = match syntax::call(entry) {
            Ok(Call::App { app: name }) => Rule {
                ports: directory.ports(&app.team, &name),
                peer: Peer::App { namespace: namespace.clone(), name },
            },
            Ok(Call::TeamApp { team, app: name }) => Rule {
                ports: directory.ports(&team, &name),
                peer: Peer::App { namespace: environment.namespace_for(&team), name },
            },
            Ok(Call::Fqdn { host, port }) => {
                Rule { peer: Peer::Fqdn { host }, ports: vec![RulePort::tcp(u32::from(port))] }
            }
            Ok(Call::Cidr { cidr, port }) => {
                Rule { peer: Peer::Cidr { cidr }, ports: vec![RulePort::tcp(u32::from(port))] }
            }
            // Validation has rejected anything else.
            Err(_) => continue,
        };
        egress.push(rule);
    }
    let mut ingress = Vec::new();
    let open = caller_ports(app);
    if let Some(port) = app.port {
        for entry in app.called_by.iter().flatten() {
            let peer = match syntax::caller(entry) {
                Ok(Caller::App { app: name }) => Peer::App { namespace: namespace.clone(), name },
                Ok(Caller::TeamApp { team, app: name }) => {
                    Peer::App { namespace: environment.namespace_for(&team), name }
                }
                Ok(Caller::Team { team }) => Peer::Namespace { namespace: environment.namespace_for(&team) },
                Err(_) => continue,
            };
            ingress.push(Rule { peer, ports: open.clone() });
        }
        // The ingress controller routes to the main port only.
        if app.ingress.is_some() {
            let controller = &platform.ingress;
            let peer = Peer::Pods { namespace: controller.namespace.clone(), labels: controller.pod_labels.clone() };
            ingress.push(Rule { peer, ports: vec![RulePort::tcp(port)] });
        }
    }
    if let Some(metrics) = &context.app.metrics {
        let monitoring = &platform.monitoring;
        let peer = Peer::Pods { namespace: monitoring.namespace.clone(), labels: monitoring.pod_labels.clone() };
        ingress.push(Rule { peer, ports: vec![RulePort::tcp(metrics.port)] });
    }
    // A workload identity signs in at Entra ID, by name, as an `https://` call would.
    if context.app.azure_identity.is_some() {
        egress.push(Rule {
            peer: Peer::Fqdn { host: platform.azure.login_host.clone() },
            ports: vec![RulePort::tcp(443)],
        });
    }
    let app_pods = Subject { name: &context.app.name, labels: &context.labels, selector: &context.selector };
    let mut out: Vec<Object> = flavors(platform)
        .into_iter()
        .map(|flavor| match flavor {
            PolicyFlavor::Kubernetes => kubernetes(context, &app_pods, &ingress, &egress),
            PolicyFlavor::Cilium => cilium(context, &app_pods, &ingress, &egress),
        })
        .collect();
    // The migration's pods: the app's egress, and nothing may call them.
    if let Some(migrate) = &context.app.migrate {
        let pods = Subject { name: &migrate.name, labels: &migrate.labels, selector: &migrate.selector };
        out.extend(flavors(platform).into_iter().map(|flavor| match flavor {
            PolicyFlavor::Kubernetes => kubernetes(context, &pods, &[], &egress),
            PolicyFlavor::Cilium => cilium(context, &pods, &[], &egress),
        }));
    }
    out
}

/// The pods a policy selects, and how it is named and labelled.
struct Subject<'a> {
    name: &'a str,
    labels: &'a BTreeMap<String, String>,
    selector: &'a BTreeMap<String, String>,
}

fn metadata(context: &Context, subject: &Subject<'_>) -> Value {
    json!({
        "name": subject.name,
        "namespace": context.app.namespace,
        "labels": subject.labels,
        "annotations": context.annotations,
    })
}

fn labels_of(name: &str) -> Value {
    json!({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name })
}

fn namespace_selector(namespace: &str) -> Value {
    json!({ "matchLabels": { "kubernetes.io/metadata.name": namespace } })
}

/// A NetworkPolicy (networking.k8s.io/v1). Naming both policy types makes it
/// deny everything in both directions that its rules do not allow.
fn kubernetes(context: &Context, subject: &Subject<'_>, ingress: &[Rule], egress: &[Rule]) -> Object {
    let ports = |ports: &[RulePort]| match ports {
        [] => Value::Null,
        ports => ports.iter().map(|p| json!({ "protocol": p.protocol(), "port": p.port })).collect(),
    };
    let peer = |peer: &Peer| -> Option<Value> {
        Some(match peer {
            Peer::App { namespace, name } => json!({
                "namespaceSelector": namespace_selector(namespace),
                "podSelector": { "matchLabels": labels_of(name) },
            }),
            Peer::Namespace { namespace } => json!({ "namespaceSelector": namespace_selector(namespace) }),
            Peer::Pods { namespace, labels } => json!({
                "namespaceSelector": namespace_selector(namespace),
                "podSelector": { "matchLabels": labels },
            }),
            Peer::Cidr { cidr } => json!({ "ipBlock": { "cidr": cidr } }),
            // Validation refuses FQDN calls when only this flavor is enabled;
            // with Cilium too, the CiliumNetworkPolicy allows them (policies add up).
            Peer::Fqdn { .. } => return None,
        })
    };
    let mut egress_rules = vec![kubernetes_dns()];
    egress_rules
        .extend(egress.iter().filter_map(|r| Some(json!({ "to": [peer(&r.peer)?], "ports": ports(&r.ports) }))));
    let ingress_rules: Vec<Value> =
        ingress.iter().filter_map(|r| Some(json!({ "from": [peer(&r.peer)?], "ports": ports(&r.ports) }))).collect();
    object(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(context, subject),
        "spec": {
            "podSelector": { "matchLabels": subject.selector },
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress_rules,
            "egress": egress_rules,
        },
    }))
}

/// A CiliumNetworkPolicy (cilium.io/v2), which can also allow hosts by name.
fn cilium(context: &Context, subject: &Subject<'_>, ingress: &[Rule], egress: &[Rule]) -> Object {
    let to_ports = |ports: &[RulePort]| match ports {
        [] => Value::Null,
        ports => {
            let ports: Vec<Value> =
                ports.iter().map(|p| json!({ "port": p.port.to_string(), "protocol": p.protocol() })).collect();
            json!([{ "ports": ports }])
        }
    };
    let peer = |peer: &Peer, to: bool| -> Value {
        let endpoints = if to { "toEndpoints" } else { "fromEndpoints" };
        match peer {
            Peer::App { namespace, name } => json!({ endpoints: [endpoint(namespace, labels_of(name))] }),
            Peer::Namespace { namespace } => json!({ endpoints: [endpoint(namespace, json!({}))] }),
            Peer::Pods { namespace, labels } => json!({ endpoints: [endpoint(namespace, json!(labels))] }),
            Peer::Fqdn { host } => json!({ "toFQDNs": [{ "matchName": host }] }),
            Peer::Cidr { cidr } => json!({ if to { "toCIDR" } else { "fromCIDR" }: [cidr] }),
        }
    };
    let with_ports = |mut rule: Value, ports: &[RulePort]| {
        if let (Some(map), ports @ Value::Array(_)) = (rule.as_object_mut(), to_ports(ports)) {
            map.insert("toPorts".into(), ports);
        }
        rule
    };
    let mut egress_rules = vec![cilium_dns()];
    egress_rules.extend(egress.iter().map(|r| with_ports(peer(&r.peer, true), &r.ports)));
    let ingress_rules: Vec<Value> = ingress.iter().map(|r| with_ports(peer(&r.peer, false), &r.ports)).collect();
    let mut spec = json!({
        "endpointSelector": { "matchLabels": subject.selector },
        "enableDefaultDeny": { "ingress": true, "egress": true },
        "egress": egress_rules,
    });
    // With no one to admit, one empty rule: it allows nothing, and makes sure
    // Cilium isolates ingress even where `enableDefaultDeny` is not honoured
    // (versions before 1.16, and 1.16.0).
    spec["ingress"] = match ingress_rules.is_empty() {
        true => json!([{}]),
        false => Value::Array(ingress_rules),
    };
    object(json!({
        "apiVersion": "cilium.io/v2",
        "kind": "CiliumNetworkPolicy",
        "metadata": metadata(context, subject),
        "spec": spec,
    }))
}

/// The flavors the platform enables, each once, in a fixed order.
fn flavors(platform: &Platform) -> Vec<PolicyFlavor> {
    let mut flavors = platform.network_policy.flavors.clone();
    flavors.sort();
    flavors.dedup();
    flavors
}

/// Egress to the cluster DNS (kube-dns in kube-system), as a NetworkPolicy rule.
fn kubernetes_dns() -> Value {
    json!({
        "to": [{
            "namespaceSelector": namespace_selector("kube-system"),
            "podSelector": { "matchLabels": { "k8s-app": "kube-dns" } },
        }],
        "ports": [{ "protocol": "UDP", "port": 53 }, { "protocol": "TCP", "port": 53 }],
    })
}

/// Cilium endpoints: pods with `labels` in `namespace`.
fn endpoint(namespace: &str, labels: Value) -> Value {
    let mut selector = Map::new();
    selector.insert("k8s:io.kubernetes.pod.namespace".into(), Value::from(namespace));
    for (k, v) in labels.as_object().into_iter().flatten() {
        selector.insert(format!("k8s:{k}"), v.clone());
    }
    json!({ "matchLabels": selector })
}

/// Egress to the cluster DNS as a Cilium rule, through Cilium's DNS proxy
/// (`rules.dns`): the proxy sees every lookup, which is how `toFQDNs` learns
/// the addresses a host name has.
fn cilium_dns() -> Value {
    json!({
        "toEndpoints": [endpoint("kube-system", json!({ "k8s-app": "kube-dns" }))],
        "toPorts": [{
            "ports": [{ "port": "53", "protocol": "UDP" }, { "port": "53", "protocol": "TCP" }],
            "rules": { "dns": [{ "matchPattern": "*" }] },
        }],
    })
}

/// A namespace's baseline, under every app's own policies: every pod denied
/// in both directions but DNS, in each flavor the platform enables. Pods that
/// no app policy selects (a debug pod, a job started by hand) stay isolated.
pub(crate) fn namespace_baseline(metadata: &Value, platform: &Platform) -> Vec<Object> {
    flavors(platform)
        .into_iter()
        .map(|flavor| match flavor {
            PolicyFlavor::Kubernetes => object(json!({
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": metadata,
                "spec": {
                    "podSelector": {},
                    "policyTypes": ["Ingress", "Egress"],
                    "egress": [kubernetes_dns()],
                },
            })),
            PolicyFlavor::Cilium => object(json!({
                "apiVersion": "cilium.io/v2",
                "kind": "CiliumNetworkPolicy",
                "metadata": metadata,
                "spec": {
                    "endpointSelector": {},
                    "enableDefaultDeny": { "ingress": true, "egress": true },
                    "egress": [cilium_dns()],
                    // An empty rule admits no one; see `cilium`.
                    "ingress": [{}],
                },
            })),
        })
        .collect()
}

/// Drop the nulls (unrestricted ports) the way the normaliser does for templates.
fn object(mut value: Value) -> Object {
    crate::normalise::drop_nulls(&mut value);
    Object { value }
}
