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
use paved_spec::app::AppFile;
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
/// with it: each app's port, by team and name.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    ports: BTreeMap<(String, String), Option<u32>>,
}

impl Directory {
    /// A directory of `(team, name, port)`.
    pub fn new<'a>(apps: impl IntoIterator<Item = (&'a str, &'a str, Option<u32>)>) -> Directory {
        Directory { ports: apps.into_iter().map(|(t, n, p)| ((t.to_owned(), n.to_owned()), p)).collect() }
    }

    /// The port of `team/name` when it is in the rendered set and has one.
    fn port(&self, team: &str, name: &str) -> Option<u32> {
        self.ports.get(&(team.to_owned(), name.to_owned())).copied().flatten()
    }
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

/// One allowed direction: a peer and the TCP port (none: every port).
struct Rule {
    peer: Peer,
    port: Option<u32>,
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
            Ok(Call::App { app: name }) => {
                Rule { port: directory.port(&app.team, &name), peer: Peer::App { namespace: namespace.clone(), name } }
            }
            Ok(Call::TeamApp { team, app: name }) => Rule {
                port: directory.port(&team, &name),
                peer: Peer::App { namespace: environment.namespace_for(&team), name },
            },
            Ok(Call::Fqdn { host, port }) => Rule { peer: Peer::Fqdn { host }, port: Some(u32::from(port)) },
            Ok(Call::Cidr { cidr, port }) => Rule { peer: Peer::Cidr { cidr }, port: Some(u32::from(port)) },
            // Validation has rejected anything else.
            Err(_) => continue,
        };
        egress.push(rule);
    }
    let mut ingress = Vec::new();
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
            ingress.push(Rule { peer, port: Some(port) });
        }
        if app.ingress.is_some() {
            let controller = &platform.ingress;
            let peer = Peer::Pods { namespace: controller.namespace.clone(), labels: controller.pod_labels.clone() };
            ingress.push(Rule { peer, port: Some(port) });
        }
    }
    if let Some(metrics) = &context.app.metrics {
        let monitoring = &platform.monitoring;
        let peer = Peer::Pods { namespace: monitoring.namespace.clone(), labels: monitoring.pod_labels.clone() };
        ingress.push(Rule { peer, port: Some(metrics.port) });
    }
    flavors(platform)
        .into_iter()
        .map(|flavor| match flavor {
            PolicyFlavor::Kubernetes => kubernetes(context, &ingress, &egress),
            PolicyFlavor::Cilium => cilium(context, &ingress, &egress),
        })
        .collect()
}

fn metadata(context: &Context) -> Value {
    json!({
        "name": context.app.name,
        "namespace": context.app.namespace,
        "labels": context.labels,
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
fn kubernetes(context: &Context, ingress: &[Rule], egress: &[Rule]) -> Object {
    let ports = |port: Option<u32>| match port {
        Some(port) => json!([{ "protocol": "TCP", "port": port }]),
        None => Value::Null,
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
    egress_rules.extend(egress.iter().filter_map(|r| Some(json!({ "to": [peer(&r.peer)?], "ports": ports(r.port) }))));
    let ingress_rules: Vec<Value> =
        ingress.iter().filter_map(|r| Some(json!({ "from": [peer(&r.peer)?], "ports": ports(r.port) }))).collect();
    object(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(context),
        "spec": {
            "podSelector": { "matchLabels": context.selector },
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress_rules,
            "egress": egress_rules,
        },
    }))
}

/// A CiliumNetworkPolicy (cilium.io/v2), which can also allow hosts by name.
fn cilium(context: &Context, ingress: &[Rule], egress: &[Rule]) -> Object {
    let to_ports = |port: Option<u32>| match port {
        Some(port) => json!([{ "ports": [{ "port": port.to_string(), "protocol": "TCP" }] }]),
        None => Value::Null,
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
    let with_ports = |mut rule: Value, port: Option<u32>| {
        if let (Some(map), ports @ Value::Array(_)) = (rule.as_object_mut(), to_ports(port)) {
            map.insert("toPorts".into(), ports);
        }
        rule
    };
    let mut egress_rules = vec![cilium_dns()];
    egress_rules.extend(egress.iter().map(|r| with_ports(peer(&r.peer, true), r.port)));
    let ingress_rules: Vec<Value> = ingress.iter().map(|r| with_ports(peer(&r.peer, false), r.port)).collect();
    let mut spec = json!({
        "endpointSelector": { "matchLabels": context.selector },
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
        "metadata": metadata(context),
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
