//! Every image an app deploys, read from what it renders (`paved images`,
//! `paved report`).
//!
//! The images are read from the rendered objects, not from the app file: every
//! container and init container of every pod spec, found through the kinds
//! table's `pod_spec` pointers. So init containers, native sidecars and a
//! migration Job are listed as they are deployed, and a kind or container a
//! later blueprint adds is listed without a change here.

use serde::Serialize;
use serde_json::Value;

use crate::engine::Rendered;

/// One container of one workload, and the image it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageUse {
    /// The owning team.
    pub team: String,
    /// The app.
    pub app: String,
    /// The environment.
    pub environment: String,
    /// The workload's kind (`Deployment`, `CronJob`, `Job`, ...).
    pub kind: String,
    /// The workload's name.
    pub workload: String,
    /// The container's name.
    pub container: String,
    /// What the container is to the pod.
    pub role: Role,
    /// The image reference as rendered (or as deployed, once [`ImageUse::promote`]d).
    pub image: String,
    /// Whether the container runs the app's own image, which the pipeline promotes
    /// (`image.tag`, `image.digest` in `promoted.yaml`).
    pub app_image: bool,
}

/// What a container is to its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// A container of `containers`.
    Container,
    /// An init container, run to completion before the containers start.
    Init,
    /// A native sidecar: an init container with `restartPolicy: Always`, beside the app for its whole life.
    Sidecar,
    /// A container of an Argo CD hook run around each deploy rather than as part of it
    /// (an object annotated `argocd.argoproj.io/hook` with a phase other than `Sync`):
    /// the migration Job, run before every sync (`PreSync`). A `Sync` hook, as the `job`
    /// blueprint's Job, is the app's own work: its containers are [`Role::Container`].
    Hook,
}

impl Role {
    /// The role as one word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Container => "container",
            Role::Init => "init",
            Role::Sidecar => "sidecar",
            Role::Hook => "hook",
        }
    }
}

/// Where an object says it is an Argo CD sync hook.
const HOOK: &str = "/metadata/annotations/argocd.argoproj.io~1hook";

/// The images of one app in one environment, in object order, then the pod's own order
/// (init containers first, as they start). `app_repository` is the app's image without tag
/// or digest: a container whose image is in it runs the app's own image.
pub fn images_of(rendered: &Rendered, app_repository: &str) -> Vec<ImageUse> {
    let mut out = Vec::new();
    for object in &rendered.objects {
        let Some(pointer) = paved_kinds::by_kind(object.kind()).and_then(|k| k.pod_spec) else { continue };
        let Some(spec) = object.value.pointer(pointer) else { continue };
        let hook = object
            .value
            .pointer(HOOK)
            .and_then(Value::as_str)
            .is_some_and(|phases| phases.split(',').any(|phase| phase.trim() != "Sync"));
        let lists = [("initContainers", true), ("containers", false)];
        for (list, init) in lists {
            for container in spec.get(list).and_then(Value::as_array).into_iter().flatten() {
                let image = container.get("image").and_then(Value::as_str).unwrap_or_default().to_owned();
                let role = match (init, container.get("restartPolicy").and_then(Value::as_str)) {
                    (false, _) if hook => Role::Hook,
                    (false, _) => Role::Container,
                    (true, Some("Always")) => Role::Sidecar,
                    (true, _) => Role::Init,
                };
                out.push(ImageUse {
                    team: rendered.team.clone(),
                    app: rendered.app.clone(),
                    environment: rendered.environment.clone(),
                    kind: object.kind().to_owned(),
                    workload: object.name().to_owned(),
                    container: container.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    role,
                    app_image: repository(&image) == app_repository,
                    image,
                });
            }
        }
    }
    out
}

/// An image reference without its tag and digest.
pub fn repository(image: &str) -> &str {
    let without_digest = image.split_once('@').map_or(image, |(name, _)| name);
    // A `:` after the last `/` starts the tag; one before it is a registry's port.
    match without_digest.rfind(':') {
        Some(colon) if !without_digest[colon..].contains('/') => &without_digest[..colon],
        _ => without_digest,
    }
}

/// The tag of an image reference, if any.
fn tag(image: &str) -> Option<&str> {
    let without_digest = image.split_once('@').map_or(image, |(name, _)| name);
    let colon = without_digest.rfind(':')?;
    (!without_digest[colon..].contains('/')).then(|| &without_digest[colon + 1..])
}

/// The digest of an image reference, if any.
fn digest(image: &str) -> Option<&str> {
    image.split_once('@').map(|(_, digest)| digest)
}

impl ImageUse {
    /// The image as deployed once the chart's values are overlaid with what the pipeline
    /// promoted (`promoted.yaml`, a Helm values file: `image.repository`, `image.tag`,
    /// `image.digest`). Helm merges a values file key by key, a null removing the key, and
    /// the chart writes an empty tag or digest as none. Only the app's own image is a chart
    /// value; other containers keep theirs.
    pub fn promote(&mut self, promoted: &Value) {
        let Some(values) = promoted.get("image").filter(|_| self.app_image) else { return };
        let field = |key: &str, current: Option<&str>| -> Option<String> {
            match values.get(key) {
                None => current.map(str::to_owned),
                Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            }
        };
        let repository = field("repository", Some(repository(&self.image))).unwrap_or_default();
        let tag = field("tag", tag(&self.image)).filter(|t| !t.is_empty());
        let digest = field("digest", digest(&self.image)).filter(|d| !d.is_empty());
        let mut image = repository;
        if let Some(tag) = tag {
            image.push(':');
            image.push_str(&tag);
        }
        if let Some(digest) = digest {
            image.push('@');
            image.push_str(&digest);
        }
        self.image = image;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_at_the_right_colon() {
        assert_eq!(
            repository("acr.bank.internal:5000/payments/api:1.2@sha256:ab"),
            "acr.bank.internal:5000/payments/api"
        );
        assert_eq!(repository("acr.bank.internal:5000/payments/api"), "acr.bank.internal:5000/payments/api");
        assert_eq!(tag("acr.bank.internal:5000/payments/api"), None);
        assert_eq!(tag("acr/payments/api:1.2@sha256:ab"), Some("1.2"));
        assert_eq!(digest("acr/payments/api@sha256:ab"), Some("sha256:ab"));
    }

    fn app_image(image: &str) -> ImageUse {
        ImageUse {
            team: "payments".into(),
            app: "api".into(),
            environment: "prod".into(),
            kind: "Deployment".into(),
            workload: "api".into(),
            container: "app".into(),
            role: Role::Container,
            image: image.into(),
            app_image: true,
        }
    }

    #[test]
    fn promotion_overlays_values_as_helm_merges_them() {
        let mut one = app_image("acr/payments/api:1.0@sha256:old");
        one.promote(&serde_json::json!({ "image": { "tag": "1.5.0" } }));
        assert_eq!(one.image, "acr/payments/api:1.5.0@sha256:old");
        one.promote(&serde_json::json!({ "image": { "digest": null } }));
        assert_eq!(one.image, "acr/payments/api:1.5.0");
        one.promote(&serde_json::json!({ "image": { "tag": "", "digest": "sha256:new" } }));
        assert_eq!(one.image, "acr/payments/api@sha256:new");
        let mut sidecar = ImageUse { app_image: false, ..app_image("acr/platform/proxy:2") };
        sidecar.promote(&serde_json::json!({ "image": { "tag": "9" } }));
        assert_eq!(sidecar.image, "acr/platform/proxy:2");
    }
}
