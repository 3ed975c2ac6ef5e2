//! The platform file: what is true for the whole organisation.

use std::collections::BTreeSet;

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment};

use super::rules::{Rules, key, string};
use super::validate_file;
use crate::diagnostic::{Diagnostic, Finding, SourceFile};
use crate::platform::Platform;
use crate::schema::SchemaKind;
use crate::syntax::{self, Problem};

/// Load and check a platform file.
pub fn validate_platform(file: SourceFile) -> Result<Platform, Vec<Diagnostic>> {
    let empty = "see `schemas/platform.schema.json` for the platform file's fields";
    validate_file(file, SchemaKind::Platform, empty, &platform_rules)
}

fn platform_rules(root: &Node) -> Vec<Finding> {
    let mut r = Rules { out: Vec::new() };
    if let Some((version, _)) = string(root, "kubernetesVersion") {
        let ok = version.split_once('.').is_some_and(|(major, minor)| {
            major == "1" && !minor.is_empty() && minor.chars().all(|c| c.is_ascii_digit())
        });
        if !ok {
            r.fail(
                vec![key("kubernetesVersion")],
                false,
                format!("{} is not a Kubernetes minor version", quote(version)),
                Some("write it like `\"1.31\"` (quoted)".into()),
            );
        }
    }
    if let Some(NodeKind::Seq(envs)) = root.get("environments").map(|n| &n.kind) {
        let mut seen = BTreeSet::new();
        let mut clusters = BTreeSet::new();
        for (i, env) in envs.iter().enumerate() {
            let at = |field: &str| vec![key("environments"), Segment::Index(i), key(field)];
            if let Some((name, _)) = string(env, "name") {
                r.check(at("name"), syntax::dns_label(name, 63));
                if !seen.insert(name.to_owned()) {
                    r.fail(at("name"), false, format!("environment {} is listed twice", quote(name)), None);
                }
            }
            if let Some((cluster, _)) = string(env, "cluster") {
                if !cluster.starts_with("https://") || cluster.len() <= "https://".len() {
                    r.fail(
                        at("cluster"),
                        false,
                        format!("{} is not an https:// URL", quote(cluster)),
                        Some("give the cluster's API server, such as `https://dev.k8s.bank.internal`".into()),
                    );
                }
            }
            if let Some((domain, _)) = string(env, "ingressDomain") {
                r.check(at("ingressDomain"), syntax::dns_subdomain(domain));
            }
            if let Some((pattern, _)) = string(env, "namespace") {
                r.check(at("namespace"), syntax::dns_label(&pattern.replace("{team}", "team"), 63));
                if !pattern.contains("{team}") {
                    r.fail(
                        at("namespace"),
                        false,
                        format!("{} does not contain `{{team}}`: every team would share one namespace", quote(pattern)),
                        Some("write a pattern such as `\"{team}\"` or `\"{team}-prod\"`".into()),
                    );
                }
            }
            let cluster = string(env, "cluster").map(|(c, _)| c);
            let pattern = string(env, "namespace").map_or("{team}", |(p, _)| p);
            if let Some(cluster) = cluster {
                if !clusters.insert((cluster.to_owned(), pattern.to_owned())) {
                    r.fail(
                        at("namespace"),
                        false,
                        format!("another environment on {} names namespaces {} too", quote(cluster), quote(pattern)),
                        Some("environments sharing a cluster need different namespace patterns, such as `\"{team}-test\"`".into()),
                    );
                }
            }
        }
    }
    r.each_string(root, "registries", |s| {
        let (host, port) = match s.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (s, None),
        };
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if !port_ok || syntax::dns_subdomain(host).is_err() {
            return Err(Problem {
                message: format!("{} is not a registry host", quote(s)),
                hint: Some(
                    "write the host, optionally with a port, like `acr.bank.internal` or `registry.local:5000`".into(),
                ),
            });
        }
        Ok(())
    });
    if let Some((reference, _)) = root.get("pipelines").and_then(|n| string(n, "ref")) {
        if !reference.starts_with("refs/tags/") || reference.len() <= "refs/tags/".len() {
            r.fail(
                vec![key("pipelines"), key("ref")],
                false,
                format!("{} is not a tag", quote(reference)),
                Some("pin a tag, like `refs/tags/pipeline-templates-v1.0.0`: a branch would change every pipeline without review".into()),
            );
        }
    }
    for section in ["ingress", "monitoring"] {
        if let Some((ns, _)) = root.get(section).and_then(|n| string(n, "namespace")) {
            r.check(vec![key(section), key("namespace")], syntax::dns_label(ns, 63));
        }
    }
    if let Some(policy) = root.get("networkPolicy") {
        if let Some(NodeKind::Seq(items)) = policy.get("flavors").map(|n| &n.kind) {
            let mut seen = BTreeSet::new();
            for (i, item) in items.iter().enumerate() {
                if let NodeKind::String(s) = &item.kind {
                    if !seen.insert(s.as_str()) {
                        r.fail(
                            vec![key("networkPolicy"), key("flavors"), Segment::Index(i)],
                            false,
                            format!("{} is listed twice", quote(s)),
                            None,
                        );
                    }
                }
            }
        }
    }
    r.out
}
