//! paved's security baseline: what every rendered object must meet, whatever the blueprint.
//!
//! The blueprints set these defaults; this check proves they survived every template, every
//! override and every blueprint version, object by object. It mirrors the Kubernetes Pod
//! Security Standard "restricted" plus paved's own rules (writable `/tmp` on a read-only
//! root, requests and a memory limit, no service-account token, recommended labels).

use serde_json::{Map, Value};

use paved_jsonschema::pointer::escape as escape_token;
use paved_jsonschema::quote;

use crate::{Violation, normalise};

/// Labels every object carries (the Kubernetes recommended labels), so ownership, cost and
/// policy tooling can select anything paved rendered.
const REQUIRED_LABELS: [&str; 5] = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
];
const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
const MANAGER: &str = "paved";

/// The security baseline every rendered object must meet (paved's secure defaults).
/// Returns violations, sorted and deduplicated; empty when compliant.
///
/// Every object needs the recommended `app.kubernetes.io/*` labels with
/// `app.kubernetes.io/managed-by: paved`. Workloads (the kinds with a pod spec in
/// [`paved_kinds::KINDS`]: Deployment, StatefulSet, CronJob, Job, Pod) additionally need, on
/// every container and init container: a non-root user, a read-only root filesystem with an
/// `emptyDir` mounted at `/tmp`, no privilege escalation, all capabilities dropped, the
/// `RuntimeDefault` seccomp profile, CPU and memory requests and a memory limit; and on the
/// pod: no service-account token mounted. Privileged containers and host namespaces are
/// rejected as well.
///
/// Settings that Kubernetes inherits from the pod (`runAsNonRoot`, `seccompProfile`) count
/// at either level, with the container's own value taking precedence, as in the kubelet.
pub fn baseline(object: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    labels(object, &mut out);
    names(object, &mut out);
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default();
    if let Some(pod_spec_pointer) = pod_spec_pointer(kind) {
        match object.pointer(pod_spec_pointer).and_then(Value::as_object) {
            Some(pod) => pod_spec(pod, pod_spec_pointer, &mut out),
            None => out.push(Violation::new(pod_spec_pointer, format!("missing pod spec of `{kind}`"))),
        }
    }
    normalise(out)
}

/// Names the API server would reject even though the schemas accept any
/// string: object names (DNS-1123 subdomains; Services need a DNS-1035 label),
/// namespaces (DNS-1123 labels) and label values (at most 63 characters).
fn names(object: &Value, out: &mut Vec<Violation>) {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default();
    if let Some(name) = object.pointer("/metadata/name").and_then(Value::as_str) {
        let ok = if kind == "Service" {
            name.len() <= 63 && name.starts_with(|c: char| c.is_ascii_lowercase()) && is_label(name)
        } else {
            name.len() <= 253 && name.split('.').all(|part| part.len() <= 63 && is_label(part))
        };
        if !ok {
            let rule = if kind == "Service" {
                "a DNS-1035 label (at most 63 characters, starting with a letter)"
            } else {
                "a DNS-1123 subdomain"
            };
            out.push(Violation::new("/metadata/name", format!("{} is not {rule}", quote(name))));
        }
    }
    if let Some(namespace) = object.pointer("/metadata/namespace").and_then(Value::as_str) {
        if namespace.len() > 63 || !is_label(namespace) {
            out.push(Violation::new(
                "/metadata/namespace",
                format!("{} is not a DNS-1123 label (at most 63 characters)", quote(namespace)),
            ));
        }
    }
    for at in ["/metadata/labels", "/spec/template/metadata/labels"] {
        for (key, value) in object.pointer(at).and_then(Value::as_object).into_iter().flatten() {
            let value = value.as_str().unwrap_or_default();
            let ok = value.len() <= 63
                && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && (value.is_empty()
                    || (value.starts_with(|c: char| c.is_ascii_alphanumeric())
                        && value.ends_with(|c: char| c.is_ascii_alphanumeric())));
            if !ok {
                out.push(Violation::new(
                    format!("{at}/{}", escape_token(key)),
                    format!(
                        "{} is not a valid label value (at most 63 characters of letters, digits, `-`, `_`, `.`)",
                        quote(value)
                    ),
                ));
            }
        }
    }
}

/// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit.
fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Where the pod spec of a workload kind lives (the kinds table's `pod_spec`); `None` for
/// kinds without pods. By kind alone: the schema check judges the apiVersion.
fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    paved_kinds::by_kind(kind)?.pod_spec
}

fn labels(object: &Value, out: &mut Vec<Violation>) {
    let labels = object.pointer("/metadata/labels").and_then(Value::as_object);
    for name in REQUIRED_LABELS {
        let pointer = format!("/metadata/labels/{}", escape_token(name));
        match labels.and_then(|l| l.get(name)) {
            None => out.push(Violation::new(pointer, format!("missing label `{name}`"))),
            Some(Value::String(value)) if value.is_empty() => {
                out.push(Violation::new(pointer, format!("label `{name}` is empty")));
            }
            Some(Value::String(value)) if name == MANAGED_BY && value != MANAGER => {
                out.push(Violation::new(
                    pointer,
                    format!("label `{name}` must be `{MANAGER}`, found {}", quote(value)),
                ));
            }
            Some(Value::String(_)) => {}
            Some(_) => out.push(Violation::new(pointer, format!("label `{name}` must be a string"))),
        }
    }
}

fn pod_spec(pod: &Map<String, Value>, at: &str, out: &mut Vec<Violation>) {
    if pod.get("automountServiceAccountToken") != Some(&Value::Bool(false)) {
        out.push(Violation::new(
            format!("{at}/automountServiceAccountToken"),
            "`automountServiceAccountToken` must be false",
        ));
    }
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        if pod.get(field) == Some(&Value::Bool(true)) {
            out.push(Violation::new(format!("{at}/{field}"), format!("`{field}` must not be true")));
        }
    }

    let pod_security = pod.get("securityContext");
    let pod_run_as_non_root = pod_security.and_then(|s| s.get("runAsNonRoot"));
    let pod_seccomp = pod_security.and_then(|s| s.pointer("/seccompProfile/type"));
    // Volume names backed by an emptyDir: the only writable scratch space paved allows.
    let empty_dirs: Vec<&str> = pod
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.get("emptyDir").is_some())
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .collect();
    let pod_view = PodView { run_as_non_root: pod_run_as_non_root, seccomp_type: pod_seccomp, empty_dirs: &empty_dirs };

    let mut containers = 0;
    for list in ["containers", "initContainers"] {
        for (i, container) in pod.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
            containers += 1;
            self::container(container, &format!("{at}/{list}/{i}"), &pod_view, out);
        }
    }
    if containers == 0 {
        out.push(Violation::new(format!("{at}/containers"), "no containers"));
    }
}

/// What a container inherits from its pod.
struct PodView<'a> {
    run_as_non_root: Option<&'a Value>,
    seccomp_type: Option<&'a Value>,
    empty_dirs: &'a [&'a str],
}

fn container(container: &Value, at: &str, pod: &PodView<'_>, out: &mut Vec<Violation>) {
    let security = container.get("securityContext");
    let setting = |path: &str| security.and_then(|s| s.pointer(path));
    let mut require = |field: &str, ok: bool, message: &str| {
        if !ok {
            out.push(Violation::new(format!("{at}/securityContext/{field}"), message));
        }
    };
    let yes = Some(&Value::Bool(true));
    let no = Some(&Value::Bool(false));

    // The container's own value wins over the pod's, so an explicit `false` on the
    // container is a violation even when the pod says `true`.
    let run_as_non_root = setting("/runAsNonRoot").or(pod.run_as_non_root);
    require(
        "runAsNonRoot",
        run_as_non_root == yes,
        "`runAsNonRoot` must be true (on the container or the pod securityContext)",
    );
    require(
        "readOnlyRootFilesystem",
        setting("/readOnlyRootFilesystem") == yes,
        "`readOnlyRootFilesystem` must be true",
    );
    require(
        "allowPrivilegeEscalation",
        setting("/allowPrivilegeEscalation") == no,
        "`allowPrivilegeEscalation` must be false",
    );
    require("privileged", setting("/privileged") != yes, "`privileged` must not be true");
    let drops_all = setting("/capabilities/drop")
        .and_then(Value::as_array)
        .is_some_and(|drop| drop.iter().any(|c| c.as_str() == Some("ALL")));
    require("capabilities/drop", drops_all, "`capabilities.drop` must contain `ALL`");
    let seccomp = setting("/seccompProfile/type").or(pod.seccomp_type);
    require(
        "seccompProfile/type",
        seccomp.and_then(Value::as_str) == Some("RuntimeDefault"),
        "`seccompProfile.type` must be `RuntimeDefault` (on the container or the pod securityContext)",
    );

    tmp_mount(container, at, pod.empty_dirs, out);

    for (path, name) in [
        ("/requests/cpu", "resources.requests.cpu"),
        ("/requests/memory", "resources.requests.memory"),
        ("/limits/memory", "resources.limits.memory"),
    ] {
        let set = container
            .get("resources")
            .and_then(|r| r.pointer(path))
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        if !set {
            out.push(Violation::new(format!("{at}/resources{path}"), format!("`{name}` must be set")));
        }
    }
}

/// A read-only root filesystem needs somewhere to write: `/tmp`, backed by an `emptyDir` so
/// it is per-pod scratch space that disappears with the pod.
fn tmp_mount(container: &Value, at: &str, empty_dirs: &[&str], out: &mut Vec<Violation>) {
    let mounts = container.get("volumeMounts").and_then(Value::as_array);
    let tmp =
        mounts.into_iter().flatten().enumerate().find(|(_, m)| {
            m.get("mountPath").and_then(Value::as_str).is_some_and(|p| p.trim_end_matches('/') == "/tmp")
        });
    match tmp {
        None => out.push(Violation::new(
            format!("{at}/volumeMounts"),
            "no volumeMount at `/tmp` (a read-only root filesystem needs an `emptyDir` there)",
        )),
        Some((i, mount)) => {
            let name = mount.get("name").and_then(Value::as_str).unwrap_or_default();
            if !empty_dirs.contains(&name) {
                out.push(Violation::new(
                    format!("{at}/volumeMounts/{i}/name"),
                    format!("volume `{name}` mounted at `/tmp` must be an `emptyDir` volume of the pod"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels() -> Value {
        json!({
            "app.kubernetes.io/name": "payments-api",
            "app.kubernetes.io/instance": "payments-api-prod",
            "app.kubernetes.io/component": "api",
            "app.kubernetes.io/part-of": "payments",
            "app.kubernetes.io/managed-by": "paved"
        })
    }

    fn pod_spec() -> Value {
        json!({
            "automountServiceAccountToken": false,
            "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "app",
                "image": "acr.bank.internal/payments/payments-api:1.0.0",
                "securityContext": {
                    "readOnlyRootFilesystem": true,
                    "allowPrivilegeEscalation": false,
                    "capabilities": {"drop": ["ALL"]}
                },
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "128Mi"}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]
            }],
            "volumes": [{"name": "tmp", "emptyDir": {}}]
        })
    }

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "payments-api", "labels": labels()},
            "spec": {"template": {"spec": pod_spec()}}
        })
    }

    fn cronjob() -> Value {
        json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "report", "labels": labels()},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec()}}}}
        })
    }

    const C0: &str = "/spec/template/spec/containers/0";

    #[test]
    fn compliant_objects_pass() {
        assert_eq!(baseline(&deployment()), vec![]);
        assert_eq!(baseline(&cronjob()), vec![]);
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": labels()}});
        assert_eq!(baseline(&service), vec![]);
    }

    /// Both pods of the full CRD-free kit also pass when every setting is on the container.
    #[test]
    fn container_level_settings_count() {
        let mut d = deployment();
        let pod = &mut d["spec"]["template"]["spec"];
        pod.as_object_mut().expect("pod").remove("securityContext");
        pod["containers"][0]["securityContext"]["runAsNonRoot"] = json!(true);
        pod["containers"][0]["securityContext"]["seccompProfile"] = json!({"type": "RuntimeDefault"});
        assert_eq!(baseline(&d), vec![]);
    }

    #[test]
    fn every_missing_setting_is_reported() {
        let d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "x"},
            "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "i"}]}}}
        });
        let expected = vec![
            Violation::new(
                "/metadata/labels/app.kubernetes.io~1component",
                "missing label `app.kubernetes.io/component`",
            ),
            Violation::new(
                "/metadata/labels/app.kubernetes.io~1instance",
                "missing label `app.kubernetes.io/instance`",
            ),
            Violation::new(
                "/metadata/labels/app.kubernetes.io~1managed-by",
                "missing label `app.kubernetes.io/managed-by`",
            ),
            Violation::new("/metadata/labels/app.kubernetes.io~1name", "missing label `app.kubernetes.io/name`"),
            Violation::new("/metadata/labels/app.kubernetes.io~1part-of", "missing label `app.kubernetes.io/part-of`"),
            Violation::new(
                "/spec/template/spec/automountServiceAccountToken",
                "`automountServiceAccountToken` must be false",
            ),
            Violation::new(format!("{C0}/resources/limits/memory"), "`resources.limits.memory` must be set"),
            Violation::new(format!("{C0}/resources/requests/cpu"), "`resources.requests.cpu` must be set"),
            Violation::new(format!("{C0}/resources/requests/memory"), "`resources.requests.memory` must be set"),
            Violation::new(
                format!("{C0}/securityContext/allowPrivilegeEscalation"),
                "`allowPrivilegeEscalation` must be false",
            ),
            Violation::new(format!("{C0}/securityContext/capabilities/drop"), "`capabilities.drop` must contain `ALL`"),
            Violation::new(
                format!("{C0}/securityContext/readOnlyRootFilesystem"),
                "`readOnlyRootFilesystem` must be true",
            ),
            Violation::new(
                format!("{C0}/securityContext/runAsNonRoot"),
                "`runAsNonRoot` must be true (on the container or the pod securityContext)",
            ),
            Violation::new(
                format!("{C0}/securityContext/seccompProfile/type"),
                "`seccompProfile.type` must be `RuntimeDefault` (on the container or the pod securityContext)",
            ),
            Violation::new(
                format!("{C0}/volumeMounts"),
                "no volumeMount at `/tmp` (a read-only root filesystem needs an `emptyDir` there)",
            ),
        ];
        assert_eq!(baseline(&d), expected);
    }

    /// Breaks one setting at a time on a compliant object: exactly that one is reported.
    #[test]
    fn each_setting_is_checked_on_its_own() {
        type Break = fn(&mut Value);
        let cases: [(&str, Break, &str); 13] = [
            (
                "runAsNonRoot on pod",
                |p| p["securityContext"]["runAsNonRoot"] = json!(false),
                "/containers/0/securityContext/runAsNonRoot",
            ),
            (
                "container overrides pod runAsNonRoot",
                |p| p["containers"][0]["securityContext"]["runAsNonRoot"] = json!(false),
                "/containers/0/securityContext/runAsNonRoot",
            ),
            (
                "readOnlyRootFilesystem",
                |p| p["containers"][0]["securityContext"]["readOnlyRootFilesystem"] = json!(false),
                "/containers/0/securityContext/readOnlyRootFilesystem",
            ),
            (
                "allowPrivilegeEscalation",
                |p| p["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = json!(true),
                "/containers/0/securityContext/allowPrivilegeEscalation",
            ),
            (
                "drop",
                |p| p["containers"][0]["securityContext"]["capabilities"]["drop"] = json!(["NET_RAW"]),
                "/containers/0/securityContext/capabilities/drop",
            ),
            (
                "container seccomp overrides pod",
                |p| p["containers"][0]["securityContext"]["seccompProfile"] = json!({"type": "Unconfined"}),
                "/containers/0/securityContext/seccompProfile/type",
            ),
            (
                "tmp volume not emptyDir",
                |p| p["volumes"][0] = json!({"name": "tmp", "hostPath": {"path": "/tmp"}}),
                "/containers/0/volumeMounts/0/name",
            ),
            ("tmp volume missing", |p| p["volumes"] = json!([]), "/containers/0/volumeMounts/0/name"),
            (
                "cpu request",
                |p| {
                    p["containers"][0]["resources"]["requests"].as_object_mut().expect("requests").remove("cpu");
                },
                "/containers/0/resources/requests/cpu",
            ),
            (
                "memory request",
                |p| {
                    p["containers"][0]["resources"]["requests"].as_object_mut().expect("requests").remove("memory");
                },
                "/containers/0/resources/requests/memory",
            ),
            (
                "memory limit",
                |p| p["containers"][0]["resources"]["limits"] = json!({"cpu": "1"}),
                "/containers/0/resources/limits/memory",
            ),
            ("token", |p| p["automountServiceAccountToken"] = json!(true), "/automountServiceAccountToken"),
            (
                "privileged",
                |p| p["containers"][0]["securityContext"]["privileged"] = json!(true),
                "/containers/0/securityContext/privileged",
            ),
        ];
        for (name, breaks, pointer) in cases {
            for (object, pod_at) in
                [(deployment(), "/spec/template/spec"), (cronjob(), "/spec/jobTemplate/spec/template/spec")]
            {
                let mut object = object;
                breaks(object.pointer_mut(pod_at).expect("pod spec"));
                let got = baseline(&object);
                let pointers: Vec<&str> = got.iter().map(|v| v.pointer.as_str()).collect();
                assert_eq!(pointers, vec![format!("{pod_at}{pointer}")], "{name}: {got:?}");
            }
        }
    }

    #[test]
    fn init_containers_are_checked() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["initContainers"] = json!([{"name": "migrate", "image": "i"}]);
        let got = baseline(&d);
        // 9 container settings minus the two it inherits from the pod securityContext.
        assert_eq!(got.len(), 7, "{got:?}");
        assert!(got.iter().all(|v| v.pointer.starts_with("/spec/template/spec/initContainers/0/")), "{got:?}");
    }

    #[test]
    fn managed_by_must_be_paved() {
        let mut d = deployment();
        d["metadata"]["labels"]["app.kubernetes.io/managed-by"] = json!("Helm");
        assert_eq!(
            baseline(&d),
            vec![Violation::new(
                "/metadata/labels/app.kubernetes.io~1managed-by",
                "label `app.kubernetes.io/managed-by` must be `paved`, found `Helm`"
            )]
        );
    }

    #[test]
    fn workload_without_pod_spec() {
        let job = json!({"kind": "Job", "metadata": {"labels": labels()}, "spec": {}});
        assert_eq!(baseline(&job), vec![Violation::new("/spec/template/spec", "missing pod spec of `Job`")]);
    }

    #[test]
    fn bare_pod_is_a_workload() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": labels()}, "spec": pod_spec()});
        assert_eq!(baseline(&pod), vec![]);
        let mut host = pod.clone();
        host["spec"]["hostNetwork"] = json!(true);
        assert_eq!(baseline(&host), vec![Violation::new("/spec/hostNetwork", "`hostNetwork` must not be true")]);
    }
}
