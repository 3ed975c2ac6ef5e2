//! App files: the blueprint decides which fields are allowed and required,
//! environments must exist, and the base and every environment's merged
//! settings pass the same rules.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ipnet::IpNet;
use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment, Span};

use super::rules::{Rules, finding, int, key, problem, quantity, string, ticked, unknown_environment};
use super::{environment, internal, into_diagnostics, load, over_long, schema_hint};
use crate::app::{APP_FIELDS, AppFile, FIELD_GATES, OVERRIDABLE, Protocol};
use crate::diagnostic::{Diagnostic, Finding, SourceFile};
use crate::limits::{MAX_PROBLEMS_PER_FILE, RESERVED_PREFIX};
use crate::platform::{Platform, PolicyFlavor};
use crate::schema::{self, SchemaKind};
use crate::syntax::{self, BlueprintRef, Problem};

/// What app validation needs to know about the blueprint an app names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlueprintRules {
    /// `api@1.0.0`, for messages.
    pub id: String,
    /// App fields the blueprint supports, beyond the ones every app has, and the
    /// parts of fields it supports ([`FIELD_GATES`]).
    pub supported: BTreeSet<String>,
    /// App fields the blueprint requires.
    pub required: BTreeSet<String>,
    /// Whether `replicas` may be a range (`min < max`).
    pub autoscaling: bool,
    /// The main port's protocol when the app names none; `http` when unset.
    pub default_protocol: Option<Protocol>,
    /// The requests the blueprint gives an app that names none: CPU, memory.
    pub default_requests: Option<(String, String)>,
    /// For each field or part of a field this version lacks and a later usable
    /// version of the same blueprint has, the first such version: so the
    /// message can name it, and how to move there.
    pub introduced: BTreeMap<String, LaterVersion>,
}

/// A later version of a blueprint: `api@1.2.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterVersion {
    /// `api@1.2.0`.
    pub id: String,
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

/// Fields every app has, whatever its blueprint.
const UNIVERSAL: &[&str] = &["name", "team", "blueprint", "image", "build", "environments"];

/// An app file that passed every check, with its effective settings per environment.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApp {
    pub file: Arc<SourceFile>,
    /// The file as written.
    pub app: AppFile,
    pub blueprint: BlueprintRef,
    /// The exact blueprint version the app renders with (`api@1.0.0`).
    pub blueprint_id: String,
    /// Where the app's `name` value is, for problems about the app as a whole.
    pub name_span: Span,
    /// The file as read, with positions (for problems found across apps).
    pub root: Node,
    /// Per environment, in promotion order: the base with that environment's
    /// overrides merged over it (`environments` removed).
    pub environments: Vec<(String, AppFile)>,
    /// What is allowed but likely a mistake (`latest` outside production, one
    /// host shared by every environment), placed like problems; the CLI prints
    /// them and renders anyway.
    pub warnings: Vec<Diagnostic>,
}

/// Load and check an app file. `resolve` looks the blueprint up in the
/// catalog (given the pin and the app's `team/name`, for its lock entry).
pub fn validate_app(
    file: SourceFile,
    platform: &Platform,
    resolve: &dyn Fn(&BlueprintRef, &str) -> Result<BlueprintRules, Problem>,
) -> Result<ValidApp, Vec<Diagnostic>> {
    let file = Arc::new(file);
    let (root, soft) = load(&file, "an app file is a mapping with at least `name`, `team`, `blueprint` and `image`")?;
    if let Some(diagnostics) = over_long(SchemaKind::App, &file, &root) {
        return Err(diagnostics);
    }
    let mut findings: Vec<(Span, Finding)> = Vec::new();
    let mut add = |node: &Node, list: Vec<Finding>| {
        // A file with thousands of mistakes is not read by a person; placing
        // each costs a search of its mapping, so stop at a bound (each
        // problem of the base may come again from every environment).
        for f in list.into_iter().take((4 * MAX_PROBLEMS_PER_FILE + 1).saturating_sub(findings.len())) {
            let span = node.span_at(&f.path, f.at_key);
            findings.push((span, f));
        }
    };
    if !matches!(root.kind, NodeKind::Map(_)) {
        add(
            &root,
            vec![finding(
                vec![],
                false,
                format!("expected a mapping of fields, found {}", root.type_name()),
                Some("an app file starts with `name:`, `team:`, `blueprint:` and `image:`".into()),
            )],
        );
        return Err(into_diagnostics(SchemaKind::App, &file, &root, findings, soft));
    }
    add(&root, schema::check(SchemaKind::App, &root));

    // The blueprint decides which fields are allowed and required.
    let mut blueprint = None;
    let mut rules = None;
    if let Some((text, _)) = string(&root, "blueprint") {
        match syntax::blueprint_ref(text) {
            Ok(r) => {
                let id = format!(
                    "{}/{}",
                    string(&root, "team").map(|(t, _)| t).unwrap_or_default(),
                    string(&root, "name").map(|(n, _)| n).unwrap_or_default()
                );
                match resolve(&r, &id) {
                    Ok(found) => rules = Some(found),
                    Err(p) => add(&root, vec![problem(key("blueprint"), p)]),
                }
                blueprint = Some(r);
            }
            Err(p) => add(&root, vec![problem(key("blueprint"), p)]),
        }
    }

    // Environment names must exist on the platform.
    let env_names: Vec<&str> = platform.environment_names().collect();
    let overrides: BTreeMap<String, &Node> = match root.get("environments").map(|n| &n.kind) {
        Some(NodeKind::Map(entries)) => {
            for entry in entries {
                if let Some(unknown) = unknown_environment(&entry.key, &env_names) {
                    add(&root, vec![unknown]);
                }
            }
            entries.iter().map(|e| (e.key.clone(), &e.value)).collect()
        }
        _ => BTreeMap::new(),
    };

    // Fields (and parts of fields) the blueprint does not support, wherever they are written.
    if let Some(rules) = &rules {
        let mut list = unsupported(&root, vec![], rules, blueprint.as_ref());
        for (name, node) in &overrides {
            // Fields an environment may not set at all are the schema's to report.
            let found = unsupported(node, vec![key("environments"), key(name)], rules, blueprint.as_ref());
            list.extend(found.into_iter().filter(|f| match f.path.get(2) {
                Some(Segment::Key(k)) => OVERRIDABLE.contains(&k.as_str()),
                _ => false,
            }));
        }
        add(&root, list);
    }

    // Check the base and every environment's merged settings; a problem in the
    // base shows in every environment, and is reported once.
    let base = without_environments(&root);
    let mut effective = Vec::new();
    for env in &env_names {
        let merged = match overrides.get(*env) {
            Some(over) => base.merged(over),
            None => base.clone(),
        };
        // A partial override (`replicas: {max: 8}` over a number) can leave
        // the merged settings incomplete; the schema says what is missing.
        if overrides.contains_key(*env) {
            add(&merged, schema::check(SchemaKind::App, &merged));
        }
        add(&merged, app_rules(&merged, platform, rules.as_ref()));
        if let Some(environment) = platform.environment(env) {
            add(&merged, environment::environment_rules(&merged, environment, platform));
        }
        effective.push((env.to_string(), merged));
    }

    if !findings.is_empty() || !soft.is_empty() {
        return Err(into_diagnostics(SchemaKind::App, &file, &root, findings, soft));
    }
    let typed = |node: &Node| serde_json::from_value::<AppFile>(node.to_json());
    let blueprint_id = rules.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    let (app, blueprint) = match (typed(&root), blueprint) {
        (Ok(app), Some(blueprint)) => (app, blueprint),
        (Err(e), _) => return Err(vec![internal(&file, e.to_string())]),
        (_, None) => return Err(vec![internal(&file, "no blueprint".into())]),
    };
    let warnings = environment::warnings(&effective, platform);
    let warnings = into_diagnostics(SchemaKind::App, &file, &root, warnings, Vec::new());
    let mut environments = Vec::new();
    for (env, node) in effective {
        match typed(&node) {
            Ok(app) => environments.push((env, app)),
            Err(e) => return Err(vec![internal(&file, e.to_string())]),
        }
    }
    let name_span = root.get("name").map(|n| n.span).unwrap_or_default();
    Ok(ValidApp { file, app, blueprint, blueprint_id, name_span, root, environments, warnings })
}

fn without_environments(root: &Node) -> Node {
    let mut base = root.clone();
    if let NodeKind::Map(entries) = &mut base.kind {
        entries.retain(|e| e.key != "environments");
    }
    base
}

/// The fields of `node` (the app, or one environment's overrides, at `prefix`)
/// that the blueprint version does not support, and the parts of fields
/// ([`FIELD_GATES`]) it does not have. Where a later version has one, the
/// problem names it and how to move there.
fn unsupported(node: &Node, prefix: Vec<Segment>, rules: &BlueprintRules, pin: Option<&BlueprintRef>) -> Vec<Finding> {
    let NodeKind::Map(entries) = &node.kind else { return Vec::new() };
    let at = |tail: &[Segment]| prefix.iter().chain(tail).cloned().collect::<Vec<_>>();
    let mut out = Vec::new();
    for e in entries {
        let field = e.key.as_str();
        if !APP_FIELDS.contains(&field) || UNIVERSAL.contains(&field) || rules.supported.contains(field) {
            continue;
        }
        out.push(match rules.introduced.get(field) {
            Some(later) => needs_later(at(&[key(field)]), &format!("`{field}`"), rules, later, pin),
            None => {
                let supported: Vec<&str> = rules
                    .supported
                    .iter()
                    .map(String::as_str)
                    .filter(|f| !FIELD_GATES.iter().any(|(gate, _)| gate == f))
                    .collect();
                let hint = match (field, rules.id.split('@').next()) {
                    ("strategy", Some("cronjob")) => {
                        "a CronJob has no rollout: each run starts from the current spec; remove `strategy`".to_owned()
                    }
                    _ => format!("`{}` supports {}", rules.id, ticked(&supported)),
                };
                finding(
                    at(&[key(field)]),
                    true,
                    format!("`{field}` is not supported by blueprint `{}`", rules.id),
                    Some(hint),
                )
            }
        });
    }
    for (gate, what) in FIELD_GATES {
        if rules.supported.contains(*gate) {
            continue;
        }
        for path in gated(node, gate) {
            let path = at(&path);
            out.push(match rules.introduced.get(*gate) {
                Some(later) => needs_later(path, what, rules, later, pin),
                None => finding(path, true, format!("{what} is not supported by blueprint `{}`", rules.id), None),
            });
        }
    }
    out
}

/// Where `node` uses the part of a field a gate names.
fn gated(node: &Node, gate: &str) -> Vec<Vec<Segment>> {
    match gate {
        "resources.limits" | "replicas.cpu" => {
            let (field, part) = gate.split_once('.').unwrap_or((gate, ""));
            match node.get(field).and_then(|n| n.get(part)) {
                Some(_) => vec![vec![key(field), key(part)]],
                None => Vec::new(),
            }
        }
        "env.references" => match node.get("env").map(|n| &n.kind) {
            Some(NodeKind::Map(entries)) => entries
                .iter()
                .filter(|e| matches!(e.value.kind, NodeKind::Map(_)))
                .map(|e| vec![key("env"), key(&e.key)])
                .collect(),
            _ => Vec::new(),
        },
        "probes.check" => match node.get("probes").map(|n| &n.kind) {
            Some(NodeKind::Map(entries)) => entries
                .iter()
                .filter(|e| matches!(e.value.kind, NodeKind::Map(_) | NodeKind::Bool(_)))
                .map(|e| vec![key("probes"), key(&e.key)])
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// "`x` needs blueprint `api@1.2.0` or newer", with how to move there: `paved
/// upgrade` when the app's pin allows that version, `--to` the version when not.
fn needs_later(
    path: Vec<Segment>,
    what: &str,
    rules: &BlueprintRules,
    later: &LaterVersion,
    pin: Option<&BlueprintRef>,
) -> Finding {
    let name = later.id.split('@').next().unwrap_or_default();
    let hint = match pin {
        Some(pin) if pin.allows(name, later.major, later.minor, later.patch) => format!(
            "run `paved upgrade` to move the app (and `paved.lock`) to the newest version its pin `{pin}` allows"
        ),
        _ if pin.is_some_and(|p| p.major != later.major) => {
            format!("run `paved upgrade --to {name}@{}` (a new major version: read its migration)", later.major)
        }
        _ => format!("run `paved upgrade --to {name}@{}.{}` to move the app to it", later.major, later.minor),
    };
    finding(
        path,
        true,
        format!("{what} needs blueprint `{}` or newer; this app renders with `{}`", later.id, rules.id),
        Some(hint),
    )
}

/// The rules for one app's settings (the base, or an environment's merged settings).
fn app_rules(app: &Node, platform: &Platform, rules: Option<&BlueprintRules>) -> Vec<Finding> {
    let mut r = Rules { out: Vec::new() };
    if let Some((name, _)) = string(app, "name") {
        let check = syntax::dns_label(name, 40).and_then(|()| match name.chars().next() {
            // Service names must start with a letter (DNS-1035).
            Some(c) if c.is_ascii_digit() => Err(Problem {
                message: format!("{} starts with a digit", quote(name)),
                hint: Some(
                    "start the name with a letter: it also names the app's Service, and Service names must".into(),
                ),
            }),
            // The landing zone's objects share the team's namespace.
            _ if name.starts_with(RESERVED_PREFIX) => Err(Problem {
                message: format!("{} starts with `{RESERVED_PREFIX}`, which is reserved", quote(name)),
                hint: Some(format!(
                    "the landing zone's objects are named `{RESERVED_PREFIX}…` in every team namespace; choose another name"
                )),
            }),
            _ => Ok(()),
        });
        r.check(vec![key("name")], check);
    }
    if let Some((team, _)) = string(app, "team") {
        let check = syntax::dns_label(team, 63).and_then(|()| {
            // Every environment's namespace for the team must be a valid name too,
            // and so must the Argo CD Applications (label values; the policies'
            // is the longer).
            // (An invalid name is reported on its own; it says nothing here.)
            let app_name =
                string(app, "name").map(|(n, _)| n).filter(|n| syntax::dns_label(n, 40).is_ok()).unwrap_or_default();
            for env in &platform.environments {
                let application = env.policies_application_for(team, app_name);
                if application.len() > 63 {
                    return Err(Problem {
                        message: format!(
                            "the Argo CD Application `{application}` would be {} characters long, more than 63",
                            application.len()
                        ),
                        hint: Some("shorten the team or app name".into()),
                    });
                }
                let namespace = env.namespace_for(team);
                if let Err(p) = syntax::dns_label(&namespace, 63) {
                    return Err(Problem {
                        message: format!(
                            "team `{team}` gives the namespace `{namespace}` in `{}`, which is not valid: {}",
                            env.name, p.message
                        ),
                        hint: Some(format!(
                            "use a shorter team name; the platform names namespaces `{}`",
                            env.namespace
                        )),
                    });
                }
            }
            Ok(())
        });
        r.check(vec![key("team")], check);
    }
    if let Some((image, _)) = string(app, "image") {
        match syntax::image_ref(image) {
            Ok(image) => {
                if !platform.registries.iter().any(|allowed| allowed.eq_ignore_ascii_case(&image.registry)) {
                    let allowed: Vec<&str> = platform.registries.iter().map(String::as_str).collect();
                    r.fail(
                        vec![key("image")],
                        false,
                        format!("registry {} is not allowed", quote(&image.registry)),
                        Some(format!("the platform allows {}", ticked(&allowed))),
                    );
                }
            }
            Err(p) => r.check(vec![key("image")], Err::<(), _>(p)),
        }
    }
    if let Some(NodeKind::Map(entries)) = app.get("env").map(|n| &n.kind) {
        for e in entries {
            if let Err(p) = syntax::env_var_name(&e.key) {
                r.fail(vec![key("env"), key(&e.key)], true, p.message, p.hint);
            }
        }
    }
    r.each_string(app, "secrets", syntax::dns_subdomain);
    if let Some(resources) = app.get("resources") {
        if let Some(cpu) = quantity(resources, "cpu") {
            r.check(vec![key("resources"), key("cpu")], syntax::cpu_quantity(&cpu));
        }
        if let Some(memory) = quantity(resources, "memory") {
            r.check(vec![key("resources"), key("memory")], syntax::container_memory(&memory));
        }
    }
    if let Some(replicas) = app.get("replicas") {
        if let (Some(min), Some(max)) = (int(replicas, "min"), int(replicas, "max")) {
            if min > max {
                r.fail(
                    vec![key("replicas"), key("min")],
                    false,
                    format!("`min` ({min}) is greater than `max` ({max})"),
                    Some("swap them, or set `replicas` to one number".into()),
                );
            } else if min < max && rules.is_some_and(|b| !b.autoscaling) {
                let id = rules.map(|b| b.id.as_str()).unwrap_or_default();
                r.fail(
                    vec![key("replicas")],
                    false,
                    format!("blueprint `{id}` does not autoscale"),
                    Some(format!("give one number, such as `replicas: {min}`")),
                );
            }
        }
    }
    // Ports, probes, limits, identity, annotations and timings.
    super::workload::workload_rules(app, rules, &mut r);
    // Env references, files, volumes, init containers, sidecars, identity, migration.
    super::composition::composition_rules(app, platform, &mut r);
    let ingress_items: Vec<(Vec<Segment>, &Node)> = match app.get("ingress").map(|n| &n.kind) {
        Some(NodeKind::Map(_)) => app.get("ingress").map(|n| vec![(vec![key("ingress")], n)]).unwrap_or_default(),
        Some(NodeKind::Seq(items)) => {
            items.iter().enumerate().map(|(i, n)| (vec![key("ingress"), Segment::Index(i)], n)).collect()
        }
        _ => Vec::new(),
    };
    let mut routes = BTreeSet::new();
    for (path, item) in ingress_items {
        if let Some((host, _)) = string(item, "host") {
            let mut p = path.clone();
            p.push(key("host"));
            r.check(p.clone(), syntax::ingress_host(host));
            let route =
                (host.to_owned(), string(item, "path").map(|(s, _)| s.to_owned()).unwrap_or_else(|| "/".into()));
            if !routes.insert(route.clone()) {
                r.fail(
                    p,
                    false,
                    format!("the route {} is listed twice", quote(&format!("{}{}", route.0, route.1))),
                    None,
                );
            }
        }
        if let Some((http, _)) = string(item, "path") {
            let mut p = path.clone();
            p.push(key("path"));
            r.check(p, syntax::ingress_path(http, platform.ingress.paths));
        }
    }
    if let Some(metrics) = app.get("metrics") {
        if let Some((path, _)) = string(metrics, "path") {
            r.check(vec![key("metrics"), key("path")], syntax::http_path(path));
        }
        if metrics.get("port").is_none()
            && app.get("port").is_none()
            && matches!(metrics.kind, NodeKind::Map(_) | NodeKind::Null)
        {
            r.fail(
                vec![key("metrics")],
                true,
                "missing field `port`: the app has no `port` to serve metrics on".into(),
                Some("set `metrics.port`, such as `metrics: {port: 9090}`".into()),
            );
        }
    }
    // The same dependency written two ways (`web` and `shop/web` in team
    // `shop`, `https://h` and `https://h:443`) is still listed twice.
    let own_team = string(app, "team").map(|(t, _)| t.to_owned()).unwrap_or_default();
    for (field, canonical) in [
        (
            "calls",
            &(|s: &str, team: &str| syntax::call(s).ok().map(|c| canonical_call(c, team)))
                as &dyn Fn(&str, &str) -> Option<String>,
        ),
        ("calledBy", &|s: &str, team: &str| syntax::caller(s).ok().map(|c| canonical_caller(c, team))),
    ] {
        let Some(NodeKind::Seq(items)) = app.get(field).map(|n| &n.kind) else { continue };
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let NodeKind::String(text) = &item.kind else { continue };
            let Some(key) = canonical(text, &own_team) else { continue };
            match seen.get(&key) {
                Some(first) if *first != text.as_str() => r.fail(
                    vec![key_segment(field), Segment::Index(i)],
                    false,
                    format!("{} is the same as {}, listed before", quote(text), quote(first)),
                    Some("remove one of them".into()),
                ),
                _ => {
                    seen.insert(key, text);
                }
            }
        }
    }
    let kubernetes_only = !platform.network_policy.flavors.contains(&PolicyFlavor::Cilium);
    r.each_string(app, "calls", |s| match syntax::call(s)? {
        syntax::Call::Fqdn { host, .. } if kubernetes_only => Err(Problem {
            message: format!("{} names a host, and the platform emits only Kubernetes NetworkPolicies", quote(s)),
            hint: Some(format!(
                "a NetworkPolicy can only allow addresses, not host names; call the host's address range as `CIDR:port`, or ask the platform team to enable the `cilium` flavor (which can allow {} by name)",
                quote(&host)
            )),
        }),
        syntax::Call::Cidr { cidr, .. } if cidr_prefix(&cidr).is_some_and(|(v6, prefix)| prefix < if v6 { 32 } else { 8 }) => {
            Err(Problem {
                message: format!("{} opens a range wider than /8 (IPv4) or /32 (IPv6)", quote(s)),
                hint: Some("name the range the dependency lives in; a range this wide can include the cluster's own pods and defeats the default deny".into()),
            })
        }
        _ => Ok(()),
    });
    r.each_string(app, "calledBy", |s| syntax::caller(s).map(drop));
    if let Some((schedule, _)) = string(app, "schedule") {
        r.check(vec![key("schedule")], syntax::cron_schedule(schedule));
    }
    if let Some((tz, _)) = string(app, "timeZone") {
        r.check(vec![key("timeZone")], syntax::time_zone(tz));
    }
    if let Some(storage) = app.get("storage") {
        if let Some((size, _)) = string(storage, "size") {
            r.check(vec![key("storage"), key("size")], syntax::memory_quantity(size));
        }
        if let Some((path, _)) = string(storage, "path") {
            let check = syntax::http_path(path).and_then(|()| match path.trim_end_matches('/') {
                "" | "/tmp" => Err(Problem {
                    message: format!("{} cannot hold the volume", quote(path)),
                    hint: Some("mount it at a directory of its own, such as `/data`".into()),
                }),
                _ => Ok(()),
            });
            r.check(vec![key("storage"), key("path")], check);
        }
        if let Some((class, _)) = string(storage, "class") {
            r.check(vec![key("storage"), key("class")], syntax::dns_subdomain(class));
        }
    }
    if let Some(rules) = rules {
        for field in &rules.required {
            if app.get(field).is_none() {
                r.fail(
                    vec![key(field)],
                    true,
                    format!("missing field `{field}`, which blueprint `{}` requires", rules.id),
                    Some(match field.as_str() {
                        "port" => "add the port the app listens on, such as `port: 8080`".to_owned(),
                        "schedule" => {
                            "add when it runs, such as `schedule: \"0 3 * * *\"` (every day at 03:00)".to_owned()
                        }
                        "storage" => "add its volume, such as `storage: {size: 10Gi, path: /data}`".to_owned(),
                        _ => schema_hint(SchemaKind::App, &[key(field)]).unwrap_or_default(),
                    }),
                );
            }
        }
    }
    r.out
}

/// Whether a CIDR is IPv6, and its prefix length.
fn cidr_prefix(cidr: &str) -> Option<(bool, u8)> {
    let range: IpNet = cidr.parse().ok()?;
    Some((matches!(range, IpNet::V6(_)), range.prefix_len()))
}

fn key_segment(k: &str) -> Segment {
    Segment::Key(k.to_owned())
}

/// One spelling per dependency: `team/app`, `https://host:port`, `cidr:port`.
fn canonical_call(call: syntax::Call, team: &str) -> String {
    match call {
        syntax::Call::App { app } => format!("{team}/{app}"),
        syntax::Call::TeamApp { team, app } => format!("{team}/{app}"),
        syntax::Call::Fqdn { host, port } => format!("https://{}:{port}", host.to_ascii_lowercase()),
        syntax::Call::Cidr { cidr, port } => format!("{cidr}:{port}"),
    }
}

/// One spelling per caller: `team/app` or `team/*`.
fn canonical_caller(caller: syntax::Caller, team: &str) -> String {
    match caller {
        syntax::Caller::App { app } => format!("{team}/{app}"),
        syntax::Caller::TeamApp { team, app } => format!("{team}/{app}"),
        syntax::Caller::Team { team } => format!("{team}/*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::DEFAULT_PLATFORM;
    use crate::validate::validate_platform;

    /// The problems of an app file, one line each, as `--format short` prints them.
    fn problems(text: &str) -> Vec<String> {
        let platform = SourceFile { name: "platform.yaml".into(), text: DEFAULT_PLATFORM.into() };
        let platform = validate_platform(platform).unwrap_or_else(|problems| panic!("{problems:?}"));
        let rules = BlueprintRules {
            id: "worker@1.0.0".into(),
            supported: ["env"].into_iter().map(str::to_owned).collect(),
            ..BlueprintRules::default()
        };
        let file = SourceFile { name: "app.yaml".into(), text: text.into() };
        match validate_app(file, &platform, &|_, _| Ok(rules.clone())) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    const APP: &str = "name: shop\nteam: web\nblueprint: worker@1\nimage: acr.bank.internal/web/shop:1.0.0\n";

    #[test]
    fn a_valid_app_has_no_problems() {
        assert_eq!(problems(APP), Vec::<String>::new());
    }

    /// Every field of the app file is an app field, `build` too: an environment
    /// that sets it is told it cannot differ, not that it is unknown.
    #[test]
    fn fields_an_environment_may_not_change() {
        let text = format!("{APP}environments:\n  dev:\n    build: go\n    replica: 2\n");
        assert_eq!(
            problems(&text),
            [
                "app.yaml:7:5: environments.dev.build: `build` cannot differ per environment (set it once at the top level; environments may change `replicas`, `resources`, `env`, `secrets`, `ingress`, `image`)",
                "app.yaml:8:5: environments.dev.replica: unknown field `replica` (did you mean `replicas`?)",
            ]
        );
    }

    #[test]
    fn fields_the_blueprint_does_not_support() {
        let text = format!("{APP}port: 8080\nbuild: go\n");
        assert_eq!(
            problems(&text),
            ["app.yaml:5:1: port: `port` is not supported by blueprint `worker@1.0.0` (`worker@1.0.0` supports `env`)"]
        );
    }
}
