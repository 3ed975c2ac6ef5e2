//! Template environments, compiled once per blueprint version.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use minijinja::value::ViaDeserialize;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
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

/// Everything one app renders in one environment.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The Kubernetes objects, sorted (the plain manifests): the chart's
    /// objects and the network policies.
    pub objects: Vec<Object>,
    /// The Helm chart whose `helm template` yields `objects` without the
    /// network policies: the platform deploys those, through their own
    /// Application, in a project the team cannot use (see `argocd`).
    pub chart: ChartFiles,
    /// The Argo CD Applications: the chart's, then the policies'.
    pub applications: Vec<Object>,
}

/// The compiled templates of one blueprint version: its environment and the
/// names of the templates that are outputs.
type Compiled = (Environment<'static>, Vec<String>);

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

    /// Render one app in one environment to normalised objects, sorted.
    pub fn render(&self, input: &Input<'_>) -> Result<Vec<Object>, RenderError> {
        let context = Context::new(input.app, input.environment, input.platform, input.blueprint, input.image);
        let policies = policies(input.app, &context, input.environment, input.platform, input.directory);
        Ok(plain(&self.marked(input, &context)?, policies))
    }

    /// Render one app in one environment to its objects and its Helm chart.
    ///
    /// The templates render once, with markers where `value()` was called;
    /// the chart is built from the markers, and the plain objects are the
    /// same objects with each marker replaced by its value.
    pub fn render_all(&self, input: &Input<'_>) -> Result<Outputs, RenderError> {
        self.render_outputs(input, true)
    }

    /// [`Engine::render_all`], with the chart left empty unless `with_chart`:
    /// commands that only compare or check objects skip building it.
    pub fn render_outputs(&self, input: &Input<'_>, with_chart: bool) -> Result<Outputs, RenderError> {
        let context = Context::new(input.app, input.environment, input.platform, input.blueprint, input.image);
        let policies = policies(input.app, &context, input.environment, input.platform, input.directory);
        let marked = self.marked(input, &context)?;
        let objects = plain(&marked, policies);
        let chart = match with_chart {
            true => chart(&marked, &context, input.blueprint).map_err(|message| RenderError::Template {
                blueprint: input.blueprint.id.clone(),
                template: "(chart)".into(),
                message,
            })?,
            false => ChartFiles::new(),
        };
        let applications = vec![
            application(&context, input.environment, input.platform, &objects),
            policies_application(&context, input.environment, input.platform),
        ];
        Ok(Outputs { objects, chart, applications })
    }

    /// The blueprint's objects with a marker for each `value()`, sorted.
    fn marked(&self, input: &Input<'_>, context: &Context) -> Result<Vec<Object>, RenderError> {
        let id = &input.blueprint.id;
        let cell = self.compiled.get(id).ok_or_else(|| RenderError::UnknownBlueprint(id.clone()))?;
        let (env, names) = cell.get_or_init(|| compile(input.blueprint)).as_ref().map_err(|message| {
            RenderError::Template { blueprint: id.clone(), template: "(compiling)".into(), message: message.clone() }
        })?;
        let mut objects = Vec::new();
        let values = Value::from_serialize(context);
        for name in names {
            let fail =
                |message: String| RenderError::Template { blueprint: id.clone(), template: name.clone(), message };
            let template = env.get_template(name).map_err(|e| fail(describe(&e)))?;
            let text = template.render(&values).map_err(|e| fail(describe(&e)))?;
            objects.extend(normalise(&text).map_err(fail)?);
        }
        objects.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(objects)
    }
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

/// One environment per blueprint version: strict undefined (a typo is an
/// error, never an empty field), every interpolated value written as JSON
/// (which YAML reads as the same scalar, so no value can add structure), and
/// no `safe` filter (which would switch that off).
fn compile(blueprint: &Blueprint) -> Result<Compiled, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|_| AutoEscape::Json);
    env.remove_filter("safe");
    env.set_recursion_limit(32);
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
    Ok((env, names))
}
