//! Rules a schema cannot express, and the loading of app and platform files.
//!
//! Checks run on the positioned tree, not on typed data, so that one run
//! reports every problem in a file: a field of the wrong type is reported by the
//! schema and skipped here, and every other field is still checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use paved_yaml::{Limits, Node, NodeKind, Segment, Span};

use crate::app::{APP_FIELDS, AppFile, OVERRIDABLE};
use crate::diagnostic::{Diagnostic, Finding, SourceFile, display_path};
use crate::platform::{Platform, PolicyFlavor};
use crate::schema::{self, SchemaKind};
use crate::syntax::{self, BlueprintRef, Problem, did_you_mean};
use crate::team::TeamFile;

/// What app validation needs to know about the blueprint an app names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlueprintRules {
    /// `api@1.0.0`, for messages.
    pub id: String,
    /// App fields the blueprint supports, beyond the ones every app has.
    pub supported: BTreeSet<String>,
    /// App fields the blueprint requires.
    pub required: BTreeSet<String>,
    /// Whether `replicas` may be a range (`min < max`).
    pub autoscaling: bool,
}

/// The longest string (value or key) an app or platform file may hold, in
/// bytes. Longer ones are reported alone, before any other check runs on them.
pub const MAX_STRING_BYTES: usize = 64 * 1024;

/// The most problems reported for one file; past it, a last problem says
/// that more are not shown.
pub const MAX_PROBLEMS_PER_FILE: usize = 100;

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

    // Fields the blueprint does not support, wherever they are written.
    if let Some(rules) = &rules {
        let unsupported = |node: &Node, prefix: Vec<Segment>| {
            let NodeKind::Map(entries) = &node.kind else { return Vec::new() };
            entries
                .iter()
                .filter(|e| {
                    APP_FIELDS.contains(&e.key.as_str())
                        && !UNIVERSAL.contains(&e.key.as_str())
                        && !rules.supported.contains(&e.key)
                })
                .map(|e| {
                    let mut path = prefix.clone();
                    path.push(key(&e.key));
                    let supported: Vec<&str> = rules.supported.iter().map(String::as_str).collect();
                    finding(
                        path,
                        true,
                        format!("`{}` is not supported by blueprint `{}`", e.key, rules.id),
                        Some(format!("`{}` supports {}", rules.id, ticked(&supported))),
                    )
                })
                .collect()
        };
        let mut list = unsupported(&root, vec![]);
        for (name, node) in &overrides {
            // Fields an environment may not set at all are the schema's to report.
            let found = unsupported(node, vec![key("environments"), key(name)]);
            list.extend(
                found
                    .into_iter()
                    .filter(|f| matches!(f.path.last(), Some(Segment::Key(k)) if OVERRIDABLE.contains(&k.as_str()))),
            );
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
    let mut environments = Vec::new();
    for (env, node) in effective {
        match typed(&node) {
            Ok(app) => environments.push((env, app)),
            Err(e) => return Err(vec![internal(&file, e.to_string())]),
        }
    }
    let name_span = root.get("name").map(|n| n.span).unwrap_or_default();
    Ok(ValidApp { file, app, blueprint, blueprint_id, name_span, root, environments })
}

/// Load and check a platform file.
pub fn validate_platform(file: SourceFile) -> Result<Platform, Vec<Diagnostic>> {
    let empty = "see `schemas/platform.schema.json` for the platform file's fields";
    validate_file(file, SchemaKind::Platform, empty, &platform_rules)
}

/// Check a team file (`teams/<team>.yaml`) against its schema and the platform:
/// every problem, with positions, or the team.
pub fn validate_team(file: SourceFile, platform: &Platform) -> Result<TeamFile, Vec<Diagnostic>> {
    let name = file.name.clone();
    let empty = "a team file needs `team`, `groups` and `quota`; see `docs/team-file.md`";
    validate_file(file, SchemaKind::Team, empty, &|root| team_rules(root, &name, platform))
}

/// A file of one kind, whole: parsed, strings bounded, checked against its
/// schema and `rules`, every problem reported with its position; or its data.
fn validate_file<T: serde::de::DeserializeOwned>(
    file: SourceFile,
    kind: SchemaKind,
    empty_hint: &str,
    rules: &dyn Fn(&Node) -> Vec<Finding>,
) -> Result<T, Vec<Diagnostic>> {
    let file = Arc::new(file);
    let (root, soft) = load(&file, empty_hint)?;
    if let Some(diagnostics) = over_long(kind, &file, &root) {
        return Err(diagnostics);
    }
    let mut list = schema::check(kind, &root);
    list.extend(rules(&root));
    let findings: Vec<(Span, Finding)> = list.into_iter().map(|f| (root.span_at(&f.path, f.at_key), f)).collect();
    if !findings.is_empty() || !soft.is_empty() {
        return Err(into_diagnostics(kind, &file, &root, findings, soft));
    }
    serde_json::from_value(root.to_json()).map_err(|e| vec![internal(&file, e.to_string())])
}

/// Parse the file; a YAML problem is the one diagnostic (nothing else can be
/// checked), with a hint even when the parser has none.
fn load(file: &Arc<SourceFile>, empty_hint: &str) -> Result<(Node, Vec<Diagnostic>), Vec<Diagnostic>> {
    let diagnostic = |e: paved_yaml::LoadError| {
        let hint = e.hint.unwrap_or_else(|| {
            if file.text.trim().is_empty() {
                empty_hint.to_owned()
            } else {
                "check the indentation (spaces, never tabs) and quote values that hold `: ` or `#`".into()
            }
        });
        Diagnostic { file: file.clone(), span: e.span, field: String::new(), message: e.message, hint: Some(hint) }
    };
    match paved_yaml::load_one_lenient(&file.text, Limits::default()) {
        Ok((node, soft)) => Ok((node, soft.into_iter().map(diagnostic).collect())),
        Err(e) => Err(vec![diagnostic(e)]),
    }
}

/// Strings longer than [`MAX_STRING_BYTES`], when there are any: the only
/// problems reported then, so no other check spends time on them.
fn over_long(kind: SchemaKind, file: &Arc<SourceFile>, root: &Node) -> Option<Vec<Diagnostic>> {
    let limit = MAX_STRING_BYTES;
    let hint = || {
        Some("values in paved's files are short; a long text (a certificate, a whole config file) belongs in a Secret or ConfigMap of its own".to_owned())
    };
    let mut found = Vec::new();
    root.walk(&mut |path, node, key| {
        if let (Some(_), Some(Segment::Key(k))) = (key, path.last()) {
            if k.len() > limit {
                let message =
                    format!("the key is {} bytes long, more than the limit of {limit} bytes (64 KiB)", k.len());
                found.push(finding(path.to_vec(), true, message, hint()));
            }
        }
        if let NodeKind::String(s) = &node.kind {
            if s.len() > limit {
                let message =
                    format!("the value is {} bytes long, more than the limit of {limit} bytes (64 KiB)", s.len());
                found.push(finding(path.to_vec(), false, message, hint()));
            }
        }
    });
    if found.is_empty() {
        return None;
    }
    let findings = found.into_iter().map(|f| (root.span_at(&f.path, f.at_key), f)).collect();
    Some(into_diagnostics(kind, file, root, findings, Vec::new()))
}

fn internal(file: &Arc<SourceFile>, message: String) -> Diagnostic {
    Diagnostic {
        file: file.clone(),
        span: Span::default(),
        field: String::new(),
        message: format!("could not read the file after checking it: {message}"),
        hint: Some("this is a bug in paved; please report it with the file".into()),
    }
}

/// Tie findings to the file: sort by position, drop repeats, and name each
/// problem by its path in the file as written (a problem found in an
/// environment's merged settings may sit under `environments.<env>`).
fn into_diagnostics(
    kind: SchemaKind,
    file: &Arc<SourceFile>,
    root: &Node,
    findings: Vec<(Span, Finding)>,
    soft: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut paths: HashMap<Span, Vec<Segment>> = HashMap::new();
    index_paths(root, &mut paths);
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .map(|(span, f)| {
            let path = paths.get(&span).cloned().unwrap_or(f.path);
            let hint = f.hint.or_else(|| schema_hint(kind, &path));
            let span = first_line(&file.text, span);
            Diagnostic { file: file.clone(), span, field: display_path(&path), message: f.message, hint }
        })
        .chain(soft)
        .collect();
    out.sort_by(|a, b| (a.span.start, &a.message).cmp(&(b.span.start, &b.message)));
    out.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    if out.len() > MAX_PROBLEMS_PER_FILE {
        out.truncate(MAX_PROBLEMS_PER_FILE);
        out.push(Diagnostic {
            file: file.clone(),
            span: Span::default(),
            field: String::new(),
            message: format!("more problems in this file are not shown: only the first {MAX_PROBLEMS_PER_FILE} are"),
            hint: Some("fix these and run paved again".into()),
        });
    }
    out
}

/// A problem about a whole mapping (a missing field) points at its first
/// line, not at every line of it.
fn first_line(text: &str, span: Span) -> Span {
    if span.end.line <= span.start.line {
        return span;
    }
    let rest = text.get(span.start.offset..).unwrap_or_default();
    let len = rest.find('\n').unwrap_or(rest.len());
    let mut end = span.start;
    end.offset += len;
    end.column += rest[..len].chars().count() as u32;
    Span { start: span.start, end }
}

fn index_paths(root: &Node, out: &mut HashMap<Span, Vec<Segment>>) {
    root.walk(&mut |path, node, key| {
        if let Some(key) = key {
            out.entry(key).or_insert_with(|| path.to_vec());
        }
        out.entry(node.span).or_insert_with(|| path.to_vec());
    });
}

fn without_environments(root: &Node) -> Node {
    let mut base = root.clone();
    if let NodeKind::Map(entries) = &mut base.kind {
        entries.retain(|e| e.key != "environments");
    }
    base
}

fn key(k: &str) -> Segment {
    Segment::Key(k.to_owned())
}

fn finding(path: Vec<Segment>, at_key: bool, message: String, hint: Option<String>) -> Finding {
    Finding { path, at_key, message, hint }
}

fn problem(path_end: Segment, p: Problem) -> Finding {
    finding(vec![path_end], false, p.message, p.hint)
}

fn ticked(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// The string at `node[field]`, if it is one (a wrong type is the schema's to report).
fn string<'a>(node: &'a Node, field: &str) -> Option<(&'a str, &'a Node)> {
    let value = node.get(field)?;
    match &value.kind {
        NodeKind::String(s) => Some((s.as_str(), value)),
        _ => None,
    }
}

/// A quantity written as a string or a plain number, as text.
fn quantity(node: &Node, field: &str) -> Option<String> {
    match &node.get(field)?.kind {
        NodeKind::String(s) => Some(s.clone()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) if f.is_finite() => Some(f.to_string()),
        // `.inf`, `.nan`, as written.
        NodeKind::Float(_) => node.get(field)?.to_json().as_str().map(str::to_owned),
        _ => None,
    }
}

fn int(node: &Node, field: &str) -> Option<i64> {
    match node.get(field)?.kind {
        NodeKind::Int(i) => Some(i),
        _ => None,
    }
}

/// Collects findings under a path prefix.
struct Rules {
    out: Vec<Finding>,
}

impl Rules {
    fn check(&mut self, path: Vec<Segment>, result: Result<impl Sized, Problem>) {
        if let Err(p) = result {
            self.out.push(finding(path, false, p.message, p.hint));
        }
    }

    fn fail(&mut self, path: Vec<Segment>, at_key: bool, message: String, hint: Option<String>) {
        self.out.push(finding(path, at_key, message, hint));
    }

    /// Check each string of the list at `node[field]`.
    fn each_string(&mut self, node: &Node, field: &str, check: impl Fn(&str) -> Result<(), Problem>) {
        let Some(NodeKind::Seq(items)) = node.get(field).map(|n| &n.kind) else { return };
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let NodeKind::String(s) = &item.kind {
                self.check(vec![key(field), Segment::Index(i)], check(s));
                if !seen.insert(s.as_str()) {
                    self.fail(
                        vec![key(field), Segment::Index(i)],
                        false,
                        format!("`{s}` is listed twice"),
                        Some("remove the repeat".into()),
                    );
                }
            }
        }
    }
}

/// The rules for one app's settings (the base, or an environment's merged settings).
fn app_rules(app: &Node, platform: &Platform, rules: Option<&BlueprintRules>) -> Vec<Finding> {
    let mut r = Rules { out: Vec::new() };
    if let Some((name, _)) = string(app, "name") {
        let check = syntax::dns_label(name, 40).and_then(|()| match name.chars().next() {
            // Service names must start with a letter (DNS-1035).
            Some(c) if c.is_ascii_digit() => Err(Problem {
                message: format!("`{name}` starts with a digit"),
                hint: Some(
                    "start the name with a letter: it also names the app's Service, and Service names must".into(),
                ),
            }),
            // The landing zone's objects share the team's namespace.
            _ if name.starts_with(RESERVED_PREFIX) => Err(Problem {
                message: format!("`{name}` starts with `{RESERVED_PREFIX}`, which is reserved"),
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
                        format!("registry `{}` is not allowed", image.registry),
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
            r.check(vec![key("resources"), key("memory")], syntax::memory_quantity(&memory));
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
    if let Some(NodeKind::Map(entries)) = app.get("probes").map(|n| &n.kind) {
        for e in entries {
            if let NodeKind::String(path) = &e.value.kind {
                // Probes may carry a query (`/_cluster/health?local=true`).
                let without_query = path.split_once('?').map(|(p, _)| p).unwrap_or(path);
                r.check(vec![key("probes"), key(&e.key)], syntax::http_path(without_query));
            }
        }
    }
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
            let check = if host.contains('.') { syntax::dns_subdomain(host) } else { syntax::dns_label(host, 63) };
            let mut p = path.clone();
            p.push(key("host"));
            r.check(p.clone(), check);
            let route =
                (host.to_owned(), string(item, "path").map(|(s, _)| s.to_owned()).unwrap_or_else(|| "/".into()));
            if !routes.insert(route.clone()) {
                r.fail(p, false, format!("the route `{}{}` is listed twice", route.0, route.1), None);
            }
        }
        if let Some((http, _)) = string(item, "path") {
            let mut p = path.clone();
            p.push(key("path"));
            r.check(p, syntax::http_path(http));
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
                    format!("`{text}` is the same as `{first}`, listed before"),
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
            message: format!("`{s}` names a host, and the platform emits only Kubernetes NetworkPolicies"),
            hint: Some(format!(
                "a NetworkPolicy can only allow addresses, not host names; call the host's address range as `CIDR:port`, or ask the platform team to enable the `cilium` flavor (which can allow `{host}` by name)"
            )),
        }),
        syntax::Call::Cidr { cidr, .. } if cidr_prefix(&cidr).is_some_and(|(v6, prefix)| prefix < if v6 { 32 } else { 8 }) => {
            Err(Problem {
                message: format!("`{s}` opens a range wider than /8 (IPv4) or /32 (IPv6)"),
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
                    message: format!("`{path}` cannot hold the volume"),
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
    let (address, prefix) = cidr.rsplit_once('/')?;
    Some((address.contains(':'), prefix.parse().ok()?))
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

/// The first sentence of a field's description, as a hint: where a check has
/// nothing better to say, the field's own documentation.
fn schema_hint(kind: SchemaKind, path: &[Segment]) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    schema::explain_short(schema::schema(kind), path, "")
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
                format!("`{version}` is not a Kubernetes minor version"),
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
                    r.fail(at("name"), false, format!("environment `{name}` is listed twice"), None);
                }
            }
            if let Some((cluster, _)) = string(env, "cluster") {
                if !cluster.starts_with("https://") || cluster.len() <= "https://".len() {
                    r.fail(
                        at("cluster"),
                        false,
                        format!("`{cluster}` is not an https:// URL"),
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
                        format!("`{pattern}` does not contain `{{team}}`: every team would share one namespace"),
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
                        format!("another environment on `{cluster}` names namespaces `{pattern}` too"),
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
                message: format!("`{s}` is not a registry host"),
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
                format!("`{reference}` is not a tag"),
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
                            format!("`{s}` is listed twice"),
                            None,
                        );
                    }
                }
            }
        }
    }
    r.out
}

/// The prefix of the landing zone's object names; app names may not use it.
pub const RESERVED_PREFIX: &str = "paved-";

/// Namespaces a team may never be given: the cluster's own, and Argo CD's.
const SYSTEM_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// `environments.<name>` when `name` is not one of the platform's environments.
fn unknown_environment(name: &str, names: &[&str]) -> Option<Finding> {
    if names.contains(&name) {
        return None;
    }
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("the platform's environments are {}", ticked(names)),
    };
    Some(finding(vec![key("environments"), key(name)], true, format!("unknown environment `{name}`"), Some(hint)))
}

/// The rules of a team file beyond its schema: names that make valid
/// namespaces and projects, group IDs, quantities, known environments.
fn team_rules(root: &Node, file_name: &str, platform: &Platform) -> Vec<Finding> {
    let mut r = Rules { out: Vec::new() };
    if let Some((team, _)) = string(root, "team") {
        let check = syntax::dns_label(team, 63).and_then(|()| {
            let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if stem != team {
                return Err(Problem::new(format!("the team is `{team}`, but the file is `{stem}.yaml`"))
                    .with_hint(format!("a team file is `teams/<team>.yaml`: name it `{team}.yaml`, or fix `team`")));
            }
            for env in &platform.environments {
                let namespace = env.namespace_for(team);
                let taken = SYSTEM_NAMESPACES
                    .iter()
                    .chain([&platform.gitops.argocd_namespace.as_str(), &platform.ingress.namespace.as_str(), &platform.monitoring.namespace.as_str()])
                    .any(|n| *n == namespace);
                if taken {
                    return Err(Problem::new(format!(
                        "team `{team}` would be given the namespace `{namespace}` in `{}`, which belongs to the platform",
                        env.name
                    ))
                    .with_hint("a team's admins get `admin` in its namespace: choose another team name"));
                }
                if let Err(p) = syntax::dns_label(&namespace, 63) {
                    return Err(Problem::new(format!(
                        "team `{team}` gives the namespace `{namespace}` in `{}`, which is not valid: {}",
                        env.name, p.message
                    ))
                    .with_hint(format!("use a shorter team name; the platform names namespaces `{}`", env.namespace)));
                }
                let project = env.policy_project_for(team);
                if project.len() > 63 {
                    return Err(Problem::new(format!(
                        "the Argo CD project `{project}` would be {} characters long, more than 63",
                        project.len()
                    ))
                    .with_hint("use a shorter team name"));
                }
            }
            Ok(())
        });
        r.check(vec![key("team")], check);
    }
    if let Some(groups) = root.get("groups") {
        for role in ["admins", "developers"] {
            if let Some((id, _)) = string(groups, role) {
                r.check(vec![key("groups"), key(role)], syntax::object_id(id));
            }
        }
    }
    let quota_rules = |r: &mut Rules, quota: &Node, at: &[Segment]| {
        let path = |field: &str| at.iter().cloned().chain([key(field)]).collect::<Vec<_>>();
        if let Some(cpu) = quantity(quota, "cpu") {
            r.check(path("cpu"), syntax::cpu_quantity(&cpu));
        }
        for field in ["memory", "storage"] {
            if let Some(size) = quantity(quota, field) {
                r.check(path(field), syntax::memory_quantity(&size));
            }
        }
    };
    if let Some(quota) = root.get("quota") {
        quota_rules(&mut r, quota, &[key("quota")]);
    }
    if let Some(NodeKind::Map(entries)) = root.get("environments").map(|n| &n.kind) {
        if entries.is_empty() {
            r.fail(
                vec![key("environments")],
                false,
                "lists no environment".into(),
                Some("name the environments the team uses, or leave `environments` out for all of them".into()),
            );
        }
        let names: Vec<&str> = platform.environment_names().collect();
        for entry in entries {
            r.out.extend(unknown_environment(&entry.key, &names));
            if let Some(quota) = entry.value.get("quota") {
                quota_rules(&mut r, quota, &[key("environments"), key(&entry.key), key("quota")]);
            }
        }
    }
    r.out
}
