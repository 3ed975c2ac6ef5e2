//! The rules of an app's configuration and composition: env references, files,
//! scratch volumes, init containers and sidecars, its cloud identity and its
//! migration. Each looks at one app's settings (the base, or one environment's
//! merged settings) on the positioned tree.

use std::collections::BTreeMap;

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment};

use super::rules::{Rules, int, key, quantity, string, ticked};
use crate::app::POD_FIELDS;
use crate::limits::MAX_FILES_BYTES;
use crate::platform::{Platform, PolicyFlavor};
use crate::syntax::{self, Problem};

/// Where the pod always has a writable `emptyDir`.
const TMP: &str = "/tmp";

/// Every rule of the composition settings.
pub(super) fn composition_rules(app: &Node, platform: &Platform, r: &mut Rules) {
    env_rules(app, &[], r);
    mount_rules(app, r);
    container_rules(app, platform, r);
    if let Some((client_id, _)) = app.get("identity").and_then(|i| i.get("azure")).and_then(|a| string(a, "clientId")) {
        let at = vec![key("identity"), key("azure"), key("clientId")];
        let check = syntax::object_id(client_id).map_err(|p| Problem {
            message: p.message.replace("object ID", "client ID"),
            hint: Some(
                "copy the managed identity's Client ID (not its Object ID or Principal ID), like `4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f`"
                    .into(),
            ),
        });
        r.check(at.clone(), check);
        if !platform.network_policy.flavors.contains(&PolicyFlavor::Cilium) {
            r.fail(
                at,
                false,
                format!(
                    "a workload identity signs in at `{}`, and the platform emits only Kubernetes NetworkPolicies, which cannot allow a host by name",
                    platform.azure.login_host
                ),
                Some("ask the platform team to enable the `cilium` flavor, which allows the sign-in host by name".into()),
            );
        }
    }
    if let Some(migrate) = app.get("migrate") {
        if matches!(migrate.kind, NodeKind::Map(ref e) if e.is_empty()) || matches!(migrate.kind, NodeKind::Null) {
            r.fail(
                vec![key("migrate")],
                true,
                "`migrate` says nothing to run".into(),
                Some("give the command, such as `migrate: {command: [/app/migrate], args: [up]}`".into()),
            );
        }
    }
}

/// The env variables of `node` (the app, or a container at `prefix`): each
/// reference names a valid Secret or ConfigMap and key, or one of the pod fields.
fn env_rules(node: &Node, prefix: &[Segment], r: &mut Rules) {
    let Some(NodeKind::Map(entries)) = node.get("env").map(|n| &n.kind) else { return };
    let at = |tail: &[Segment]| prefix.iter().chain([key("env")].iter()).chain(tail).cloned().collect::<Vec<_>>();
    for e in entries {
        if !prefix.is_empty() {
            if let Err(p) = syntax::env_var_name(&e.key) {
                r.fail(at(&[key(&e.key)]), true, p.message, p.hint);
            }
        }
        let value = &e.value;
        if !matches!(value.kind, NodeKind::Map(_)) {
            continue;
        }
        let here = |field: &str| at(&[key(&e.key), key(field)]);
        let source =
            ["secret", "configMap", "field"].into_iter().filter(|f| value.get(f).is_some()).collect::<Vec<_>>();
        match source.as_slice() {
            [] => r.fail(
                at(&[key(&e.key)]),
                false,
                "the value reads nothing: it has none of `secret`, `configMap`, `field`".into(),
                Some(
                    "write `{secret: NAME, key: KEY}`, `{configMap: NAME, key: KEY}` or `{field: metadata.name}`, or a plain string"
                        .into(),
                ),
            ),
            [_] => {}
            [first, second, ..] => r.fail(
                here(second),
                true,
                format!("the value reads both `{first}` and `{second}`"),
                Some("a variable has one source; keep one".into()),
            ),
        }
        reference_rules(value, &at(&[key(&e.key)]), r, |field, name| {
            format!("add the key to read, such as `{{{field}: {name}, key: password}}`")
        });
        if let Some((field, _)) = string(value, "field") {
            if !POD_FIELDS.contains(&field) {
                let hint = match syntax::did_you_mean(field, POD_FIELDS.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("paved passes {}", ticked(POD_FIELDS)),
                };
                r.fail(here("field"), false, format!("{} is not a pod field paved passes", quote(field)), Some(hint));
            }
            if value.get("key").is_some() {
                r.fail(here("key"), true, "a pod field has no key".into(), Some("remove `key`".into()));
            }
        }
    }
}

/// A path that something is mounted at, and what.
type Mounts = BTreeMap<String, String>;

/// `files` and `volumes`: paths, sources, modes, sizes, and no path used twice
/// or inside `/tmp` or a volume. Returns every mount path, with what it is.
fn mount_rules(app: &Node, r: &mut Rules) -> Mounts {
    let mut mounts: Mounts = BTreeMap::new();
    let storage = app.get("storage").and_then(|s| string(s, "path")).map_or("/data", |(p, _)| p);
    if app.get("storage").is_some() {
        mounts.insert(storage.to_owned(), "the storage volume".into());
    }
    let mut volume_paths = Vec::new();
    if let Some(NodeKind::Map(entries)) = app.get("volumes").map(|n| &n.kind) {
        for e in entries {
            let at = vec![key("volumes"), key(&e.key)];
            if let Err(p) = syntax::mount_path(&e.key) {
                r.fail(at, true, p.message, p.hint);
                continue;
            }
            if let Some(size) = quantity(&e.value, "size") {
                r.check(vec![key("volumes"), key(&e.key), key("size")], syntax::container_memory(&size));
            }
            if let Some(first) = mounts.insert(e.key.clone(), format!("`volumes[\"{}\"]`", e.key)) {
                r.fail(
                    at,
                    true,
                    format!("{} is also {first}", quote(&e.key)),
                    Some("mount one thing at a path".into()),
                );
                continue;
            }
            volume_paths.push(e.key.clone());
        }
    }
    let Some(NodeKind::Map(entries)) = app.get("files").map(|n| &n.kind) else { return mounts };
    let mut content_bytes = 0;
    for e in entries {
        let at = vec![key("files"), key(&e.key)];
        let here = |field: &str| vec![key("files"), key(&e.key), key(field)];
        if let Err(p) = syntax::mount_path(&e.key) {
            r.fail(at, true, p.message, p.hint);
            continue;
        }
        let inside = std::iter::once(TMP.to_owned())
            .chain(volume_paths.iter().cloned())
            .find(|dir| syntax::path_within(&e.key, dir) && e.key != *dir);
        if let Some(dir) = inside {
            r.fail(
                at.clone(),
                true,
                format!("{} is inside {}, which is writable scratch space", quote(&e.key), quote(&dir)),
                Some("mount the file where the app reads configuration, such as `/etc/app/…`".into()),
            );
        } else if syntax::path_within(&e.key, storage) && app.get("storage").is_some() {
            r.fail(
                at.clone(),
                true,
                format!("{} is inside the storage volume at {}", quote(&e.key), quote(storage)),
                Some("mount the file outside the data directory".into()),
            );
        } else if let Some(first) = mounts.insert(e.key.clone(), format!("`files[\"{}\"]`", e.key)) {
            r.fail(
                at.clone(),
                true,
                format!("{} is also {first}", quote(&e.key)),
                Some("mount one thing at a path".into()),
            );
        }
        let value = &e.value;
        let sources: Vec<&str> =
            ["content", "secret", "configMap"].into_iter().filter(|f| value.get(f).is_some()).collect();
        match sources.as_slice() {
            [] => r.fail(
                at.clone(),
                false,
                "the file has no source: none of `content`, `secret`, `configMap`".into(),
                Some("write `{content: TEXT}`, or `{secret: NAME, key: KEY}` / `{configMap: NAME, key: KEY}`".into()),
            ),
            [_] => {}
            [first, second, ..] => r.fail(
                here(second),
                true,
                format!("the file has two sources, `{first}` and `{second}`"),
                Some("a file has one source; keep one".into()),
            ),
        }
        if let Some((content, _)) = string(value, "content") {
            // As the annotation Argo CD writes holds it: a JSON string, quotes excluded.
            content_bytes += serde_json::to_string(content).map_or(content.len(), |json| json.len() - 2);
            if value.get("key").is_some() {
                r.fail(
                    here("key"),
                    true,
                    "`key` goes with `secret` or `configMap`".into(),
                    Some("remove `key`".into()),
                );
            }
        }
        reference_rules(value, &at, r, |_, _| {
            format!("add the key that is the file, such as `key: {}`", file_name(&e.key))
        });
        match value.get("mode").map(|m| &m.kind) {
            Some(NodeKind::String(mode)) => {
                r.check(here("mode"), syntax::file_mode(mode));
            }
            Some(NodeKind::Int(n)) => r.fail(
                here("mode"),
                false,
                format!("`{n}` is a decimal number here; YAML reads `0644` without quotes as 644"),
                Some(format!("quote the octal mode, like `mode: \"0{n}\"`")),
            ),
            _ => {}
        }
    }
    if content_bytes > MAX_FILES_BYTES {
        r.fail(
            vec![key("files")],
            true,
            format!(
                "the files' content is {content_bytes} bytes as JSON, more than the limit of {MAX_FILES_BYTES} bytes (200 KiB)"
            ),
            Some(
                "Argo CD copies the ConfigMap into an annotation of at most 256 KiB; keep large data in a ConfigMap of its own and mount one key with `{configMap: NAME, key: KEY}`"
                    .into(),
            ),
        );
    }
    mounts
}

/// A `{secret: NAME, key: KEY}` or `{configMap: NAME, key: KEY}` reference
/// (an env value's or a file's, at `at`): a valid object name and key, and a
/// key at all; `hint(field, name)` says which key to add.
fn reference_rules(value: &Node, at: &[Segment], r: &mut Rules, hint: impl Fn(&str, &str) -> String) {
    let here = |field: &str| at.iter().cloned().chain([key(field)]).collect::<Vec<_>>();
    for field in ["secret", "configMap"] {
        let Some((name, _)) = string(value, field) else { continue };
        r.check(here(field), syntax::dns_subdomain(name));
        match string(value, "key") {
            Some((k, _)) => r.check(here("key"), syntax::data_key(k)),
            None if value.get("key").is_none() => {
                r.fail(at.to_vec(), false, format!("`{field}: {name}` names no key"), Some(hint(field, name)));
            }
            None => {}
        }
    }
}

/// The last part of a path: a likely key for a file.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `init` and `sidecars`: names, pinned images from allowed registries, env,
/// resources, and ports that are the sidecars' own.
fn container_rules(app: &Node, platform: &Platform, r: &mut Rules) {
    let app_name = string(app, "name").map(|(n, _)| n).unwrap_or_default();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut app_ports: Vec<i64> = int(app, "port").into_iter().collect();
    if let Some(NodeKind::Map(entries)) = app.get("ports").map(|n| &n.kind) {
        app_ports.extend(entries.iter().filter_map(|e| match &e.value.kind {
            NodeKind::Int(n) => Some(*n),
            _ => int(&e.value, "port"),
        }));
    }
    for field in ["init", "sidecars"] {
        let Some(NodeKind::Seq(items)) = app.get(field).map(|n| &n.kind) else { continue };
        for (i, item) in items.iter().enumerate() {
            let at = |tail: &str| vec![key(field), Segment::Index(i), key(tail)];
            if let Some((name, _)) = string(item, "name") {
                let check = syntax::dns_label(name, 63).and_then(|()| match name == app_name {
                    true => Err(Problem::new(format!("{} is the app's own container's name", quote(name)))
                        .with_hint("name the container after what it does, such as `wait-for-db` or `log-shipper`")),
                    false => Ok(()),
                });
                r.check(at("name"), check);
                if let Some(first) = names.insert(name.to_owned(), format!("`{field}[{i}]`")) {
                    r.fail(
                        at("name"),
                        false,
                        format!("{} is also the name of {first}", quote(name)),
                        Some("give each container its own name".into()),
                    );
                }
            }
            if let Some((image, _)) = string(item, "image") {
                let check = syntax::image_ref(image).and_then(|parsed| {
                    if !platform.registries.iter().any(|allowed| allowed.eq_ignore_ascii_case(&parsed.registry)) {
                        let allowed: Vec<&str> = platform.registries.iter().map(String::as_str).collect();
                        return Err(Problem::new(format!("registry {} is not allowed", quote(&parsed.registry)))
                            .with_hint(format!("the platform allows {}", ticked(&allowed))));
                    }
                    match (&parsed.tag, &parsed.digest) {
                        (None, None) => Err(Problem::new(format!("{} is not pinned", quote(image))).with_hint(
                            "pin it with a tag or digest, like `…:1.2.3`: only the app's own image gets its tag at deploy time",
                        )),
                        (Some(tag), None) if syntax::is_latest(tag) => Err(Problem::new(format!(
                            "{} runs whatever `latest` is when a node pulls it",
                            quote(image)
                        ))
                        .with_hint("pin a version tag or a digest")),
                        _ => Ok(()),
                    }
                });
                r.check(at("image"), check);
            }
            env_rules(item, &[key(field), Segment::Index(i)], r);
            if let Some(resources) = item.get("resources") {
                if let Some(cpu) = quantity(resources, "cpu") {
                    r.check(
                        vec![key(field), Segment::Index(i), key("resources"), key("cpu")],
                        syntax::cpu_quantity(&cpu),
                    );
                }
                if let Some(memory) = quantity(resources, "memory") {
                    r.check(
                        vec![key(field), Segment::Index(i), key("resources"), key("memory")],
                        syntax::container_memory(&memory),
                    );
                }
            }
            match (field, int(item, "port")) {
                ("init", Some(_)) => r.fail(
                    at("port"),
                    true,
                    "an init container ends before the app starts: it has no port".into(),
                    Some("remove `port`, or make it a sidecar".into()),
                ),
                ("sidecars", Some(port)) if app_ports.contains(&port) => r.fail(
                    at("port"),
                    false,
                    format!("port {port} is also a port of the app's container"),
                    Some("the containers of a pod share its ports: choose another".into()),
                ),
                ("sidecars", Some(port)) => app_ports.push(port),
                _ => {}
            }
        }
    }
}
