//! The vendored schemas, embedded at build time, compiled lazily at run time.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use jsonschema::{Draft, Registry, Validator};
use paved_kinds::{KINDS, Kind, Schema};
use serde_json::Value;

use paved_jsonschema::pointer::escape as escape_token;

use crate::{Error, Violation, message, normalise};

/// `schemas/kubernetes/v<major>.<minor>/`: the strict schemas of `kubernetes-validate`.
static KUBERNETES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../schemas/kubernetes");
/// `schemas/crds/`: CRD schemas from datree's CRDs-catalog, the same for every version.
static CRDS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../schemas/crds");

/// The file of each version directory holding the `$defs` every kind file refers to
/// (`"$ref": "/api/_definitions.json#/$defs/..."`). Registered once per [`SchemaSet`] so the
/// 1.3 MB of definitions is parsed and indexed once, not once per kind.
const DEFINITIONS_FILE: &str = "_definitions.json";
/// Used to check the `metadata` of custom resources: CRD schemas only say `type: object`.
const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// A compiled schema and what the schema itself does not check.
struct Compiled {
    validator: Validator,
    /// For CRDs: the top-level fields the schema names. Their schemas leave the top level
    /// open (no `additionalProperties: false`), so a misspelt `spec` would pass unnoticed.
    top_level_fields: Option<BTreeSet<String>>,
}

/// One kind of a [`SchemaSet`]: its embedded source and, once needed, its validator.
struct Slot {
    api_version: &'static str,
    kind: &'static str,
    /// Where the schema comes from: the Kubernetes files or the CRD files.
    schema: Schema,
    source: &'static [u8],
    compiled: OnceLock<Result<Compiled, String>>,
}

/// The definitions of one version, registered for `$ref` resolution.
struct Definitions {
    registry: Registry<'static>,
    /// The `$id` the kind files refer to, e.g. `https://kubernetes.io/api/_definitions.json`.
    id: String,
}

/// Compiled validators for the strict Kubernetes schemas of one Kubernetes version plus the
/// vendored CRD schemas.
///
/// Compiling a schema is the expensive part (milliseconds, against microseconds to validate
/// one object), so each schema is compiled at most once, lazily, on first use, behind a
/// [`OnceLock`]: a render of 1,000 apps compiles the Deployment schema once, and a render
/// without an Ingress never compiles the Ingress schema. The set is `Send + Sync` and
/// `'static`, so any number of render threads can share it without coordination.
pub struct SchemaSet {
    /// `"1.31"`.
    version: &'static str,
    /// Sorted by (apiVersion, kind).
    slots: Vec<Slot>,
    definitions: OnceLock<Result<Definitions, String>>,
    object_meta: OnceLock<Result<Validator, String>>,
}

impl fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let compiled: Vec<String> = self
            .slots
            .iter()
            .filter(|s| s.compiled.get().is_some())
            .map(|s| format!("{} {}", s.api_version, s.kind))
            .collect();
        f.debug_struct("SchemaSet")
            .field("version", &self.version)
            .field("kinds", &self.slots.len())
            .field("compiled", &compiled)
            .finish_non_exhaustive()
    }
}

/// Every vendored version, built on first use (cheap: no schema is parsed here).
fn all_sets() -> &'static [SchemaSet] {
    static SETS: OnceLock<Vec<SchemaSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut sets: Vec<SchemaSet> = KUBERNETES
            .dirs()
            .filter_map(|dir| {
                let name = dir.path().file_name()?.to_str()?;
                let version = name.strip_prefix('v')?;
                minor_key(version).map(|_| SchemaSet::new(version, dir))
            })
            .collect();
        sets.sort_by_key(|s| minor_key(s.version));
        sets
    })
}

/// `(1, 31)` for `"1.31"`; `None` unless the text is exactly `<major>.<minor>`.
fn minor_key(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

impl SchemaSet {
    fn new(version: &'static str, dir: &'static Dir<'static>) -> Self {
        // One slot per row of the kinds table whose schema this version vendors.
        let mut slots: Vec<Slot> = KINDS
            .iter()
            .filter_map(|k| {
                let file = match k.schema {
                    Schema::Kubernetes(file) => dir.get_file(dir.path().join(file))?,
                    Schema::Crd(file) => CRDS.get_file(file)?,
                };
                Some(Slot::new(k, file.contents()))
            })
            .collect();
        slots.sort_by_key(|s| (s.api_version, s.kind));
        Self { version, slots, definitions: OnceLock::new(), object_meta: OnceLock::new() }
    }

    /// The set for a Kubernetes minor version like `"1.31"` (a leading `v` and a patch
    /// version, `"v1.31.4"`, are accepted and ignored: schemas do not change in patch
    /// releases).
    ///
    /// Only vendored versions are known: validating against a neighbouring version's schema
    /// would pass fields the target cluster rejects, or reject fields it accepts.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownKubernetesVersion`], listing the vendored versions, when `kube_version`
    /// is not one of them.
    pub fn for_version(kube_version: &str) -> Result<&'static SchemaSet, Error> {
        let trimmed = kube_version.trim();
        let trimmed = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let minor = match trimmed.splitn(3, '.').collect::<Vec<_>>().as_slice() {
            [major, minor, ..] => format!("{major}.{minor}"),
            _ => trimmed.to_owned(),
        };
        let sets = all_sets();
        sets.iter().find(|s| s.version == minor).ok_or_else(|| Error::UnknownKubernetesVersion {
            requested: kube_version.to_owned(),
            known: sets.iter().map(|s| s.version.to_owned()).collect(),
        })
    }

    /// The Kubernetes minor version of this set, e.g. `"1.31"`.
    pub fn kube_version(&self) -> &'static str {
        self.version
    }

    /// (apiVersion, kind) pairs this set knows, sorted.
    pub fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        self.slots.iter().map(|s| (s.api_version, s.kind)).collect()
    }

    /// Validate one object (apiVersion + kind pick the schema).
    ///
    /// Returns every problem found, sorted and deduplicated; empty when the object is valid.
    /// An object whose apiVersion/kind has no vendored schema yields a violation saying so and
    /// listing what is known: an unvalidated object must never pass silently.
    ///
    /// Custom resources get two checks their CRD schemas leave out: unknown top-level fields,
    /// and `metadata` against the Kubernetes `ObjectMeta` schema of this version.
    pub fn validate(&self, object: &Value) -> Vec<Violation> {
        let Some(map) = object.as_object() else {
            return vec![Violation::new("", format!("expected a mapping, found {}", message::describe(object)))];
        };
        let mut problems = Vec::new();
        let mut text_field = |name: &str| match map.get(name) {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                problems.push(Violation::new(
                    format!("/{name}"),
                    format!("expected a string, found {}", message::describe(other)),
                ));
                None
            }
            None => {
                problems.push(Violation::new("", format!("missing field `{name}`")));
                None
            }
        };
        let (api_version, kind) = (text_field("apiVersion"), text_field("kind"));
        let (Some(api_version), Some(kind)) = (api_version, kind) else {
            return normalise(problems);
        };

        let Some(slot) = self.slots.iter().find(|s| s.api_version == api_version && s.kind == kind) else {
            return vec![self.unknown_kind(api_version, kind)];
        };
        let compiled = match slot.compiled(self) {
            Ok(compiled) => compiled,
            Err(reason) => {
                return vec![Violation::new(
                    "",
                    format!("the vendored schema of `{api_version}` `{kind}` cannot be used: {reason}"),
                )];
            }
        };

        problems.extend(compiled.validator.iter_errors(object).flat_map(|e| message::violations(&e, "")));
        if let Some(fields) = &compiled.top_level_fields {
            problems.extend(
                map.keys()
                    .filter(|k| !fields.contains(k.as_str()))
                    .map(|k| Violation::new(format!("/{}", escape_token(k)), format!("unknown field `{k}`"))),
            );
        }
        if let Schema::Crd(_) = slot.schema {
            if let Some(metadata) = map.get("metadata").filter(|m| m.is_object()) {
                match self.object_meta() {
                    Ok(validator) => problems
                        .extend(validator.iter_errors(metadata).flat_map(|e| message::violations(&e, "/metadata"))),
                    Err(reason) => problems.push(Violation::new(
                        "/metadata",
                        format!("the vendored `ObjectMeta` schema cannot be used: {reason}"),
                    )),
                }
            }
        }
        normalise(problems)
    }

    /// Says which kinds are known. When the kind exists under another apiVersion (the usual
    /// mistake: `extensions/v1beta1` Ingress), points at `apiVersion` and names the right one.
    fn unknown_kind(&self, api_version: &str, kind: &str) -> Violation {
        let same_kind: Vec<String> =
            self.slots.iter().filter(|s| s.kind == kind).map(|s| format!("`{}`", s.api_version)).collect();
        if !same_kind.is_empty() {
            return Violation::new(
                "/apiVersion",
                format!(
                    "no schema for `{kind}` in apiVersion `{api_version}` (Kubernetes {}); known apiVersion: {}",
                    self.version,
                    same_kind.join(", ")
                ),
            );
        }
        let known: Vec<String> = self.slots.iter().map(|s| format!("`{} {}`", s.api_version, s.kind)).collect();
        Violation::new(
            "/kind",
            format!(
                "no schema vendored for `{api_version} {kind}` (Kubernetes {}); known kinds: {}",
                self.version,
                known.join(", ")
            ),
        )
    }

    fn definitions(&self) -> Result<&Definitions, String> {
        self.definitions
            .get_or_init(|| {
                let path = format!("v{}/{DEFINITIONS_FILE}", self.version);
                let file = KUBERNETES.get_file(&path).ok_or_else(|| format!("`{path}` is not vendored"))?;
                let contents: Value =
                    serde_json::from_slice(file.contents()).map_err(|e| format!("`{path}` is not valid JSON: {e}"))?;
                let id = contents
                    .get("$id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("`{path}` has no `$id`"))?
                    .to_owned();
                let registry = Registry::new()
                    .draft(Draft::Draft202012)
                    .add(&id, contents)
                    .and_then(|builder| builder.prepare())
                    .map_err(|e| format!("`{path}` cannot be registered: {e}"))?;
                Ok(Definitions { registry, id })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn object_meta(&self) -> Result<&Validator, String> {
        self.object_meta
            .get_or_init(|| {
                let definitions = self.definitions()?;
                let schema = serde_json::json!({
                    "$ref": format!("{}#/$defs/{OBJECT_META}", definitions.id)
                });
                jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .offline()
                    .with_registry(&definitions.registry)
                    .build(&schema)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Slot {
    fn new(row: &Kind, source: &'static [u8]) -> Self {
        Self { api_version: row.api_version, kind: row.kind, schema: row.schema, source, compiled: OnceLock::new() }
    }

    fn compiled(&self, set: &SchemaSet) -> Result<&Compiled, String> {
        self.compiled.get_or_init(|| self.compile(set)).as_ref().map_err(Clone::clone)
    }

    fn compile(&self, set: &SchemaSet) -> Result<Compiled, String> {
        let schema: Value = serde_json::from_slice(self.source).map_err(|e| format!("not valid JSON: {e}"))?;
        // Kubernetes files declare draft 2020-12; CRD files declare nothing, and 2020-12 is
        // also what their OpenAPI v3 keywords mean. Pinned so a change of the crate's default
        // cannot change results. `offline()`: a reference outside the registry is an error,
        // never a download (the crate is built without its HTTP and file resolvers, too).
        let options = jsonschema::options().with_draft(Draft::Draft202012).offline();
        match self.schema {
            Schema::Kubernetes(_) => {
                let definitions = set.definitions()?;
                let validator =
                    options.with_registry(&definitions.registry).build(&schema).map_err(|e| e.to_string())?;
                Ok(Compiled { validator, top_level_fields: None })
            }
            Schema::Crd(_) => {
                let top_level_fields =
                    schema.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect());
                let validator = options.build(&schema).map_err(|e| e.to_string())?;
                Ok(Compiled { validator, top_level_fields })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set() -> &'static SchemaSet {
        SchemaSet::for_version("1.31").expect("1.31 is vendored")
    }

    fn pointers(v: &[Violation]) -> Vec<&str> {
        v.iter().map(|v| v.pointer.as_str()).collect()
    }

    #[test]
    fn schema_set_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<SchemaSet>();
    }

    #[test]
    fn versions_are_looked_up_by_minor() {
        assert_eq!(set().kube_version(), "1.31");
        assert!(std::ptr::eq(set(), SchemaSet::for_version("v1.31.4").expect("patch is ignored")));
        let err = SchemaSet::for_version("1.12").expect_err("1.12 is not vendored");
        assert_eq!(err, Error::UnknownKubernetesVersion { requested: "1.12".into(), known: vec!["1.31".into()] });
        assert!(err.to_string().contains("vendored versions: `1.31`"), "{err}");
    }

    /// Every row of the kinds table has its schema embedded, in every vendored version.
    /// (That the files are the schemas of those kinds, and that every vendored file has a
    /// row, is tested where the table is, in `paved-kinds`.)
    #[test]
    fn every_kind_has_a_slot() {
        let mut rows: Vec<(&str, &str)> = KINDS.iter().map(|k| (k.api_version, k.kind)).collect();
        rows.sort();
        for set in all_sets() {
            assert_eq!(set.kinds(), rows, "Kubernetes {}", set.version);
        }
    }

    /// Every vendored schema compiles (a broken vendoring shows here, not in a user's run).
    #[test]
    fn every_schema_compiles() {
        let set = set();
        for slot in &set.slots {
            if let Err(e) = slot.compiled(set) {
                panic!("{} {}: {e}", slot.api_version, slot.kind);
            }
        }
        set.object_meta().expect("ObjectMeta compiles");
    }

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "payments-api", "labels": {"app.kubernetes.io/name": "payments-api"}},
            "spec": {
                "selector": {"matchLabels": {"app.kubernetes.io/name": "payments-api"}},
                "template": {
                    "metadata": {"labels": {"app.kubernetes.io/name": "payments-api"}},
                    "spec": {"containers": [{
                        "name": "app",
                        "image": "acr.bank.internal/payments/payments-api:1.0.0",
                        "ports": [{"containerPort": 8080, "name": "http"}],
                        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "128Mi"}},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}}
                    }]}
                }
            }
        })
    }

    #[test]
    fn minimal_deployment_is_valid() {
        assert_eq!(set().validate(&deployment()), vec![]);
    }

    #[test]
    fn unknown_field_is_reported_at_its_pointer() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = json!("Always");
        d["spec"]["replica"] = json!(2);
        assert_eq!(
            set().validate(&d),
            vec![
                Violation::new("/spec/replica", "unknown field `replica`"),
                Violation::new("/spec/template/spec/containers/0/imagePullPolicyy", "unknown field `imagePullPolicyy`"),
            ]
        );
    }

    #[test]
    fn wrong_type_is_reported() {
        let mut d = deployment();
        d["spec"]["replicas"] = json!("two");
        d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = json!("8080");
        assert_eq!(
            set().validate(&d),
            vec![
                Violation::new("/spec/replicas", "expected an integer, found string `two`"),
                Violation::new(
                    "/spec/template/spec/containers/0/ports/0/containerPort",
                    "expected an integer, found string `8080`"
                ),
            ]
        );
    }

    #[test]
    fn missing_required_field_is_reported() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"][0].as_object_mut().expect("container").remove("name");
        assert_eq!(
            set().validate(&d),
            vec![Violation::new("/spec/template/spec/containers/0", "missing field `name`")]
        );
    }

    /// int-or-string (`targetPort`, probe `port`) and quantities (`cpu: 1` or `"100m"`) take
    /// both forms; anything else reads as a type error, not as a `oneOf` dump.
    #[test]
    fn int_or_string_and_quantities() {
        let mut d = deployment();
        let c = &mut d["spec"]["template"]["spec"]["containers"][0];
        c["readinessProbe"]["httpGet"]["port"] = json!(8080);
        c["resources"]["requests"]["cpu"] = json!(1);
        c["resources"]["requests"]["memory"] = json!(0.5);
        assert_eq!(set().validate(&d), vec![]);

        let c = &mut d["spec"]["template"]["spec"]["containers"][0];
        c["readinessProbe"]["httpGet"]["port"] = json!(true);
        c["resources"]["limits"]["memory"] = json!(["1Gi"]);
        assert_eq!(
            set().validate(&d),
            vec![
                Violation::new(
                    "/spec/template/spec/containers/0/readinessProbe/httpGet/port",
                    "expected a string or an integer, found boolean `true`"
                ),
                Violation::new(
                    "/spec/template/spec/containers/0/resources/limits/memory",
                    "expected a string or a number, found a list"
                ),
            ]
        );
    }

    /// Schema quirk: every field is nullable (`["integer", "null"]`), so `replicas: null`
    /// passes; but int-or-string is `oneOf` two nullable types, so a `null` port matches both
    /// branches and fails (reported as `must not be null`). Rendered output should never carry nulls; this pins the behaviour.
    #[test]
    fn nullable_quirks() {
        let mut d = deployment();
        d["spec"]["replicas"] = Value::Null;
        assert_eq!(set().validate(&d), vec![]);
        d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"] = Value::Null;
        assert_eq!(
            set().validate(&d),
            vec![Violation::new("/spec/template/spec/containers/0/readinessProbe/httpGet/port", "must not be null")]
        );
    }

    #[test]
    fn unknown_kind_lists_what_is_known() {
        let v = set().validate(&json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "x"}}));
        assert_eq!(pointers(&v), vec!["/kind"]);
        assert!(
            v[0].message.starts_with(
                "no schema vendored for `apps/v1 DaemonSet` (Kubernetes 1.31); known kinds: `apps/v1 Deployment`"
            ),
            "{}",
            v[0].message
        );
        assert!(v[0].message.contains("`cilium.io/v2 CiliumNetworkPolicy`"), "{}", v[0].message);

        let v = set().validate(&json!({"apiVersion": "extensions/v1beta1", "kind": "Ingress"}));
        assert_eq!(
            v,
            vec![Violation::new(
                "/apiVersion",
                "no schema for `Ingress` in apiVersion `extensions/v1beta1` (Kubernetes 1.31); known apiVersion: `networking.k8s.io/v1`"
            )]
        );
    }

    #[test]
    fn missing_or_malformed_type_fields() {
        assert_eq!(
            set().validate(&json!({"kind": 3})),
            vec![
                Violation::new("", "missing field `apiVersion`"),
                Violation::new("/kind", "expected a string, found integer `3`"),
            ]
        );
        assert_eq!(set().validate(&json!([])), vec![Violation::new("", "expected a mapping, found a list")]);
    }

    #[test]
    fn other_kubernetes_kinds_validate() {
        let service = json!({
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"},
            "spec": {"selector": {"app": "a"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}
        });
        assert_eq!(set().validate(&service), vec![]);
        let cronjob = json!({
            "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "a"},
            "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "a", "image": "i"}]
            }}}}}
        });
        assert_eq!(set().validate(&cronjob), vec![]);
        let job = json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "a"},
            "spec": {"backoffLimit": 0, "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "a", "image": "i"}]
            }}}
        });
        assert_eq!(set().validate(&job), vec![]);
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
            "spec": {"containers": [{"name": "a", "image": "i", "imagePullPolicyy": "Always"}]}
        });
        assert_eq!(
            set().validate(&pod),
            vec![Violation::new("/spec/containers/0/imagePullPolicyy", "unknown field `imagePullPolicyy`")]
        );
        let binding = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "a"},
            "subjects": [{"kind": "Group", "name": "team"}]
        });
        assert_eq!(set().validate(&binding), vec![Violation::new("", "missing field `roleRef`")]);
    }

    // --- CRDs -------------------------------------------------------------------------

    #[test]
    fn cilium_network_policy() {
        let policy = json!({
            "apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
            "metadata": {"name": "payments-api", "namespace": "payments"},
            "spec": {
                "endpointSelector": {"matchLabels": {"app.kubernetes.io/name": "payments-api"}},
                "ingress": [{"fromEndpoints": [{"matchLabels": {"app.kubernetes.io/name": "web"}}],
                             "toPorts": [{"ports": [{"port": "8080", "protocol": "TCP"}]}]}]
            }
        });
        assert_eq!(set().validate(&policy), vec![]);

        let mut bad = policy.clone();
        bad["spec"]["ingres"] = json!([]);
        assert_eq!(set().validate(&bad), vec![Violation::new("/spec/ingres", "unknown field `ingres`")]);

        // The schema's own alternatives: a rule needs a direction and a subject selector.
        let empty = json!({
            "apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
            "metadata": {"name": "x"}, "spec": {}
        });
        assert_eq!(
            set().validate(&empty),
            vec![
                Violation::new("/spec", "must set at least one of `ingress`, `ingressDeny`, `egress`, `egressDeny`"),
                Violation::new("/spec", "must set exactly one of `endpointSelector`, `nodeSelector`"),
            ]
        );
    }

    #[test]
    fn cilium_clusterwide_network_policy() {
        let policy = json!({
            "apiVersion": "cilium.io/v2", "kind": "CiliumClusterwideNetworkPolicy",
            "metadata": {"name": "dns"},
            "spec": {"endpointSelector": {}, "egress": [{"toEndpoints": [{}]}]}
        });
        assert_eq!(set().validate(&policy), vec![]);
    }

    #[test]
    fn service_monitor() {
        let monitor = json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": {"name": "payments-api"},
            "spec": {
                "selector": {"matchLabels": {"app.kubernetes.io/name": "payments-api"}},
                "endpoints": [{"port": "http", "path": "/metrics", "interval": "30s"}]
            }
        });
        assert_eq!(set().validate(&monitor), vec![]);

        let mut bad = monitor.clone();
        bad["spec"]["endpoints"][0]["pathh"] = json!("/metrics");
        bad["spec"]["endpoints"][0]["interval"] = json!("30 seconds");
        assert_eq!(
            set().validate(&bad),
            vec![
                Violation::new(
                    "/spec/endpoints/0/interval",
                    "string `30 seconds` does not match the pattern `^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`"
                ),
                Violation::new("/spec/endpoints/0/pathh", "unknown field `pathh`"),
            ]
        );
    }

    #[test]
    fn argo_cd_application() {
        let app = json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": "payments-api-prod", "namespace": "argocd"},
            "spec": {
                "project": "payments",
                "source": {"repoURL": "https://git.bank.internal/gitops.git", "path": "payments/payments-api/prod", "targetRevision": "main"},
                "destination": {"server": "https://kubernetes.default.svc", "namespace": "payments-prod"},
                "syncPolicy": {"automated": {"prune": true, "selfHeal": true}}
            }
        });
        assert_eq!(set().validate(&app), vec![]);

        let mut bad = app.clone();
        bad["spec"]["destinaton"] = bad["spec"]["destination"].take();
        bad["spec"].as_object_mut().expect("spec").remove("destination");
        assert_eq!(
            set().validate(&bad),
            vec![
                Violation::new("/spec", "missing field `destination`"),
                Violation::new("/spec/destinaton", "unknown field `destinaton`"),
            ]
        );
    }

    #[test]
    fn argo_cd_app_project() {
        let project = json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
            "metadata": {"name": "payments", "namespace": "argocd"},
            "spec": {
                "sourceRepos": ["https://git.bank.internal/gitops.git"],
                "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "payments-*"}]
            }
        });
        assert_eq!(set().validate(&project), vec![]);

        let mut bad = project.clone();
        bad["spec"]["sourceRepo"] = json!([]);
        bad["spec"]["destinations"] = json!("payments-*");
        assert_eq!(
            set().validate(&bad),
            vec![
                Violation::new("/spec/destinations", "expected a list, found string `payments-*`"),
                Violation::new("/spec/sourceRepo", "unknown field `sourceRepo`"),
            ]
        );
    }

    /// What paved adds to CRD schemas: their top level and `metadata` are open.
    #[test]
    fn crd_top_level_and_metadata_are_strict() {
        let monitor = json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": {"name": "a", "label": {"x": "y"}, "annotations": {"n": 1}},
            "specc": {},
            "spec": {"selector": {}, "endpoints": []}
        });
        assert_eq!(
            set().validate(&monitor),
            vec![
                Violation::new("/metadata/annotations/n", "expected a string, found integer `1`"),
                Violation::new("/metadata/label", "unknown field `label`"),
                Violation::new("/specc", "unknown field `specc`"),
            ]
        );
    }

    #[test]
    fn validation_is_thread_safe_and_compiles_once() {
        let set = set();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| assert_eq!(set.validate(&deployment()), vec![]));
            }
        });
        let slot = set.slots.iter().find(|s| s.kind == "Deployment").expect("Deployment slot");
        let first: *const Compiled = slot.compiled(set).expect("compiled");
        let again: *const Compiled = slot.compiled(set).expect("compiled");
        assert!(std::ptr::eq(first, again));
    }

    /// Timing for the report; not an assertion. Run with
    /// `cargo test -p paved-validate --release -- --ignored --nocapture timings`.
    #[test]
    #[ignore = "timing report, run by hand"]
    #[allow(clippy::print_stderr)]
    fn timings() {
        use std::time::Instant;
        let set = set();
        let t = Instant::now();
        set.definitions().expect("definitions");
        let definitions = t.elapsed();
        let slot = set.slots.iter().find(|s| s.kind == "Deployment").expect("Deployment slot");
        let t = Instant::now();
        slot.compiled(set).expect("compiles");
        let compile = t.elapsed();
        let d = deployment();
        let t = Instant::now();
        assert!(set.validate(&d).is_empty());
        let first = t.elapsed();
        let n = 10_000u32;
        let t = Instant::now();
        for _ in 0..n {
            assert!(set.validate(&d).is_empty());
        }
        let each = t.elapsed() / n;
        let crd = set.slots.iter().find(|s| s.kind == "Application").expect("Application");
        let t = Instant::now();
        crd.compiled(set).expect("compiles");
        let crd_compile = t.elapsed();
        let t = Instant::now();
        for slot in &set.slots {
            slot.compiled(set).expect("compiles");
        }
        let rest = t.elapsed();
        eprintln!(
            "parse+index _definitions.json: {definitions:?}\ncompile Deployment: {compile:?}\n\
             validate one Deployment: first {first:?}, then {each:?} each\n\
             compile Application CRD: {crd_compile:?}\ncompile the other {} kinds: {rest:?}",
            set.slots.len() - 2
        );
    }
}
