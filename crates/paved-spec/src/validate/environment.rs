//! Rules that depend on which environment an app's merged settings are for.
//!
//! Production runs only pinned images: `latest` names whatever was pushed last,
//! so what runs would depend on when a node pulls it. Elsewhere that is a
//! warning, as a missing tag is. And a full host name outside every
//! environment's ingress domain is used unchanged in each of them, so several
//! clusters claim one name: worth a warning, since a partner-facing host can
//! be meant that way.
//!
//! Warnings are findings like errors, placed the same way, but they never stop
//! a render: [`super::ValidApp::warnings`] carries them to the CLI.

use std::collections::BTreeMap;

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment, Span};

use super::rules::{finding, key, string};
use crate::diagnostic::Finding;
use crate::platform::{Environment, Platform};
use crate::syntax;

/// The errors of one environment's merged settings that come from the
/// environment itself: an unpinned `latest` image in production.
pub(super) fn environment_rules(app: &Node, env: &Environment, platform: &Platform) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(repository) = latest_image(app).filter(|_| platform.is_production(env)) {
        out.push(finding(
            vec![key("image")],
            false,
            format!(
                "the tag `latest` is not a version: production environment {} would run whatever it names when a node pulls it",
                quote(&env.name)
            ),
            Some(pin_hint(&repository)),
        ));
    }
    out
}

/// The warnings of an app over all its environments (`effective`: each
/// environment's name and merged settings), one per place in the file, naming
/// the environments it concerns.
pub(super) fn warnings(effective: &[(String, Node)], platform: &Platform) -> Vec<(Span, Finding)> {
    let mut found: BTreeMap<(Span, Kind), Seen> = BTreeMap::new();
    for (name, app) in effective {
        let Some(env) = platform.environment(name) else { continue };
        if let Some(repository) = latest_image(app).filter(|_| !platform.is_production(env)) {
            let path = vec![key("image")];
            let span = app.span_at(&path, false);
            found.entry((span, Kind::Latest)).or_insert_with(|| Seen::new(path, repository)).envs.push(name);
        }
        for (path, host) in ingress_hosts(app) {
            if !host.contains('.') || syntax::dns_subdomain(&host).is_err() || in_some_domain(&host, platform) {
                continue;
            }
            let span = app.span_at(&path, false);
            found.entry((span, Kind::SharedHost)).or_insert_with(|| Seen::new(path, host)).envs.push(name);
        }
    }
    let mut out = Vec::new();
    for ((span, kind), Seen { path, value, envs }) in found {
        let finding = match kind {
            Kind::Latest => finding(
                path,
                false,
                format!(
                    "the tag `latest` is not a version: {} run whatever it names when a node pulls it",
                    and_list(&envs)
                ),
                Some(pin_hint(&value)),
            ),
            // One environment using a host of its own is a choice, not a slip.
            Kind::SharedHost if envs.len() < 2 => continue,
            Kind::SharedHost => {
                let short = value.split('.').next().unwrap_or_default();
                let example = platform
                    .environments
                    .first()
                    .map(|e| format!(" ({})", quote(&format!("{short}.{}", e.ingress_domain))))
                    .unwrap_or_default();
                finding(
                    path,
                    false,
                    format!(
                        "{} is outside every environment's ingress domain, so {} route this same host",
                        quote(&value),
                        and_list(&envs)
                    ),
                    Some(format!(
                        "write a name without a dot, like {}, for a host per environment{example}; or give each environment its host under `environments.<name>.ingress`",
                        quote(short)
                    )),
                )
            }
        };
        out.push((span, finding));
    }
    out
}

/// One place of the file a warning is about: its path, the repository or
/// host written there, and the environments whose settings hold it.
struct Seen<'a> {
    path: Vec<Segment>,
    value: String,
    envs: Vec<&'a str>,
}

impl Seen<'_> {
    fn new(path: Vec<Segment>, value: String) -> Self {
        Seen { path, value, envs: Vec::new() }
    }
}

/// What a warning is about; with its place, it says which warnings are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Latest,
    SharedHost,
}

/// The repository of `image` when it runs the tag `latest` (no digest pins it).
fn latest_image(app: &Node) -> Option<String> {
    let (image, _) = string(app, "image")?;
    let image = syntax::image_ref(image).ok()?;
    (image.digest.is_none() && image.tag.as_deref().is_some_and(syntax::is_latest)).then_some(image.repository)
}

fn pin_hint(repository: &str) -> String {
    format!(
        "pin a version, like {}, or leave the tag out and let the pipeline set it (`--image-tag`, or `image.tag` in the chart's values)",
        quote(&format!("{repository}:1.4.2"))
    )
}

/// Every `ingress.host` of the settings, with its path.
fn ingress_hosts(app: &Node) -> Vec<(Vec<Segment>, String)> {
    let items: Vec<(Vec<Segment>, &Node)> = match app.get("ingress") {
        Some(node @ Node { kind: NodeKind::Map(_), .. }) => vec![(vec![key("ingress")], node)],
        Some(Node { kind: NodeKind::Seq(items), .. }) => {
            items.iter().enumerate().map(|(i, n)| (vec![key("ingress"), Segment::Index(i)], n)).collect()
        }
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|(mut path, item)| {
            let (host, _) = string(item, "host")?;
            path.push(key("host"));
            Some((path, host.to_owned()))
        })
        .collect()
}

/// Whether `host` is an environment's ingress domain or a name under it.
fn in_some_domain(host: &str, platform: &Platform) -> bool {
    platform.environments.iter().any(|e| {
        let domain = e.ingress_domain.as_str();
        host.eq_ignore_ascii_case(domain)
            || host.len() > domain.len()
                && host.is_char_boundary(host.len() - domain.len() - 1)
                && host[host.len() - domain.len() - 1..].eq_ignore_ascii_case(&format!(".{domain}"))
    })
}

/// `` `dev` ``, `` `dev` and `test` ``, `` `dev`, `test` and `prod` ``.
fn and_list(names: &[&str]) -> String {
    let ticked: Vec<String> = names.iter().map(|n| quote(n)).collect();
    match ticked.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
