//! Template environments, compiled once per blueprint version.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use minijinja::value::ViaDeserialize;
use minijinja::{Environment, Value};
use paved_blueprint::{Blueprint, Catalog};
use paved_spec::app::AppFile;
use paved_spec::platform::{Environment as PlatformEnv, Platform};

use crate::argocd::{application, policies_application};
use crate::chart::{ChartFiles, MARKER, chart};
use crate::context::{Context, ImageOverride};
use crate::netpol::{Directory, policies};
use crate::normalise::{Object, drop_nulls, normalise};

/// Why a render failed. For a valid app these are blueprint bugs (a template
/// error, output that is not YAML or not an object), which the blueprint's own
/// tests catch before publishing.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to compile or render, or its output is not YAML or not objects.
    #[error("blueprint `{blueprint}`, template `{template}`: {message}")]
    Template {
        /// The blueprint version's id, `NAME@VERSION`.
        blueprint: String,
        /// The template's name inside `templates/`, or `(compiling)` when the version failed to compile.
        template: String,
        /// What went wrong, with the template location when known.
        message: String,
    },
    /// The blueprint version (its id) is not in the engine's catalog.
    #[error("unknown blueprint `{0}`")]
    UnknownBlueprint(String),
}

/// One app in one environment.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The effective settings in this environment (merged and validated).
    pub app: &'a AppFile,
    /// The environment being rendered, from the platform file.
    pub environment: &'a PlatformEnv,
    /// The platform file.
    pub platform: &'a Platform,
    /// The blueprint version the app's pin resolved to.
    pub blueprint: &'a Blueprint,
    /// Image tag and digest given at render time.
    pub image: &'a ImageOverride,
    /// The other apps rendered with this one (their ports, for network policies).
    pub directory: &'a Directory,
}

/// Whether a render builds the Helm chart. Only the file tree holds charts:
/// commands that print, compare or check objects skip building them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charts {
    /// Build the chart.
    Build,
    /// Leave it out (`Rendered::chart` is `None`).
    Skip,
}

/// Everything one app renders in one environment: what every output (the
/// stream, the file tree, diffs, validation) is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The owning team.
    pub team: String,
    /// The app's name.
    pub app: String,
    /// The environment's name.
    pub environment: String,
    /// The Kubernetes objects, sorted (the plain manifests): the chart's
    /// objects and the network policies.
    pub objects: Vec<Object>,
    /// The Helm chart whose `helm template` yields `objects` without the
    /// network policies (the platform deploys those, through their own
    /// Application, in a project the team cannot use; see `argocd`); `None`
    /// when the render skipped it ([`Charts::Skip`]).
    pub chart: Option<ChartFiles>,
    /// The Argo CD Applications: the chart's, then the policies'.
    pub applications: Vec<Object>,
}

impl Rendered {
    /// Every object this app renders in this environment: its objects, then
    /// its Applications.
    pub fn all_objects(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter().chain(&self.applications)
    }
}

/// The compiled templates of one blueprint version.
#[derive(Debug)]
struct Compiled {
    env: Environment<'static>,
    /// The templates that are outputs (not `_` partials).
    names: Vec<String>,
    /// Whether any template names `app.spec_hash`, which costs a hash of the
    /// whole context to compute.
    uses_spec_hash: bool,
}

/// Every blueprint version's templates, each compiled once, on first use (so a
/// broken version only fails the apps that use it). Build once, render many.
#[derive(Debug)]
pub struct Engine {
    compiled: HashMap<String, OnceLock<Result<Compiled, String>>>,
    pipelines: crate::pipeline::Pipelines,
}

impl Engine {
    /// An engine for the blueprint versions of `catalog`.
    pub fn new(catalog: &Catalog) -> Engine {
        Engine {
            compiled: catalog.iter().map(|b| (b.id.clone(), OnceLock::new())).collect(),
            pipelines: crate::pipeline::environment(catalog),
        }
    }

    /// The app's Azure DevOps pipeline (`None` when the blueprint has no
    /// pipeline template). `app` is the app file as written: a pipeline is per
    /// app, not per environment.
    pub fn render_pipeline(
        &self,
        app: &AppFile,
        platform: &Platform,
        blueprint: &Blueprint,
    ) -> Result<Option<String>, RenderError> {
        let context = crate::pipeline::PipelineContext::new(app, platform, blueprint);
        crate::pipeline::render(&self.pipelines, blueprint, &context)
    }

    /// Render one app in one environment: its objects, its Helm chart (unless
    /// `charts` is [`Charts::Skip`]) and its Argo CD Applications.
    ///
    /// The templates render once, with markers where `value()` was called;
    /// the chart is built from the markers, and the plain objects are the
    /// same objects with each marker replaced by its value.
    pub fn render(&self, input: &Input<'_>, charts: Charts) -> Result<Rendered, RenderError> {
        let compiled = self.compiled(input.blueprint)?;
        let mut context = Context::new(input.app, input.environment, input.platform, input.blueprint, input.image);
        if compiled.uses_spec_hash {
            context = context.with_spec_hash(input.blueprint);
        }
        let policies = policies(input.app, &context, input.environment, input.platform, input.directory);
        let marked = marked(input.blueprint, compiled, &context)?;
        let objects = plain(&marked, policies);
        let chart = match charts {
            Charts::Build => Some(chart(&marked, &context, input.blueprint).map_err(|message| {
                RenderError::Template { blueprint: input.blueprint.id.clone(), template: "(chart)".into(), message }
            })?),
            Charts::Skip => None,
        };
        let applications = vec![
            application(&context, input.environment, input.platform, &objects),
            policies_application(&context, input.environment, input.platform),
        ];
        Ok(Rendered {
            team: input.app.team.clone(),
            app: input.app.name.clone(),
            environment: input.environment.name.clone(),
            objects,
            chart,
            applications,
        })
    }

    /// The blueprint version's templates, compiled on first use.
    fn compiled(&self, blueprint: &Blueprint) -> Result<&Compiled, RenderError> {
        let id = &blueprint.id;
        let cell = self.compiled.get(id).ok_or_else(|| RenderError::UnknownBlueprint(id.clone()))?;
        cell.get_or_init(|| compile(blueprint)).as_ref().map_err(|message| RenderError::Template {
            blueprint: id.clone(),
            template: "(compiling)".into(),
            message: message.clone(),
        })
    }
}

/// The blueprint's objects with a marker for each `value()`, sorted.
fn marked(blueprint: &Blueprint, compiled: &Compiled, context: &Context) -> Result<Vec<Object>, RenderError> {
    let id = &blueprint.id;
    let mut objects = Vec::new();
    let values = Value::from_serialize(context);
    for name in &compiled.names {
        let fail = |message: String| RenderError::Template { blueprint: id.clone(), template: name.clone(), message };
        let template = compiled.env.get_template(name).map_err(|e| fail(describe(&e)))?;
        let text = template.render(&values).map_err(|e| fail(describe(&e)))?;
        objects.extend(normalise(&text).map_err(fail)?);
    }
    objects.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(objects)
}

/// The plain objects: the marked ones with each marker replaced by its value
/// (what `value()` returns outside a chart), and the policies, sorted.
fn plain(marked: &[Object], policies: Vec<Object>) -> Vec<Object> {
    fn unmark(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) if map.contains_key(MARKER) => {
                *value = map.remove("default").unwrap_or(serde_json::Value::Null);
                // A value that holds another `value()` (no blueprint does today).
                unmark(value);
            }
            serde_json::Value::Object(map) => map.values_mut().for_each(unmark),
            serde_json::Value::Array(items) => items.iter_mut().for_each(unmark),
            _ => {}
        }
    }
    let mut objects = policies;
    for object in marked {
        let mut value = object.value.clone();
        unmark(&mut value);
        // A value that is null leaves its field out, as in the templates.
        drop_nulls(&mut value);
        objects.push(Object { value });
    }
    objects.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    objects
}

fn describe(error: &minijinja::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    message
}

/// One environment per blueprint version, with paved's safe settings
/// (`jinja.rs`) and paved's two additions: `value()` and `merge`.
fn compile(blueprint: &Blueprint) -> Result<Compiled, String> {
    let mut env = crate::jinja::environment(None);
    // Marks a value that may change at deploy time without a new render (a
    // Helm value): a marker holding the name and the value. The chart turns
    // it into a `.Values` reference (see `chart.rs`), the plain objects into
    // the value itself (`plain`).
    env.add_function("value", |name: String, value: Value| -> Value {
        Value::from_iter([(MARKER, Value::from(name)), ("default", value)])
    });
    // `labels | merge(more)`: a mapping with the keys of both, `more` winning.
    env.add_filter(
        "merge",
        |base: ViaDeserialize<BTreeMap<String, String>>, more: ViaDeserialize<BTreeMap<String, String>>| {
            let mut merged = base.0;
            merged.extend(more.0);
            Value::from_serialize(merged)
        },
    );
    let mut names = Vec::new();
    for (name, source) in &blueprint.templates {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| format!("template `{name}`: {}", describe(&e)))?;
        // Files starting with `_` are partials for `{% import %}`, not outputs.
        if !name.rsplit('/').next().unwrap_or(name).starts_with('_') {
            names.push(name.clone());
        }
    }
    let uses_spec_hash = blueprint.templates.iter().any(|(_, source)| source.contains("spec_hash"));
    Ok(Compiled { env, names, uses_spec_hash })
}
