//! Template environments, compiled once per blueprint version.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use minijinja::value::ViaDeserialize;
use minijinja::{AutoEscape, Environment, State, UndefinedBehavior, Value, context};
use paved_blueprint::{Blueprint, Catalog};
use paved_spec::app::AppFile;
use paved_spec::platform::{Environment as PlatformEnv, Platform};

use crate::argocd::{application, policies_application};
use crate::chart::{ChartFiles, MARKER, chart};
use crate::context::{Context, ImageOverride};
use crate::netpol::{Directory, policies};
use crate::normalise::{Object, normalise};

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

/// The context variable that switches `value()` to chart mode. Not a
/// template API: templates never read it.
const CHART_MODE: &str = "__paved_chart_mode";

/// Everything one app renders in one environment.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The Kubernetes objects, sorted (the plain manifests): the chart's
    /// objects and the network policies.
    pub objects: Vec<Object>,
    /// The app's network policies (also in `objects`). They are not in the
    /// chart: the platform deploys them, through their own Application, in a
    /// project the team cannot use (see `argocd`).
    pub policies: Vec<Object>,
    /// The Helm chart whose `helm template` yields `objects` without `policies`.
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
        self.objects(input, &context, false, policies)
    }

    /// Render one app in one environment to its objects and its Helm chart.
    pub fn render_all(&self, input: &Input<'_>) -> Result<Outputs, RenderError> {
        let context = Context::new(input.app, input.environment, input.platform, input.blueprint, input.image);
        // The policies are data, the same in both passes: built once.
        let policies = policies(input.app, &context, input.environment, input.platform, input.directory);
        let objects = self.objects(input, &context, false, policies.clone())?;
        let marked = self.objects(input, &context, true, Vec::new())?;
        let chart = chart(&marked, &context, input.blueprint).map_err(|message| RenderError::Template {
            blueprint: input.blueprint.id.clone(),
            template: "(chart)".into(),
            message,
        })?;
        let applications = vec![
            application(&context, input.environment, input.platform, &objects),
            policies_application(&context, input.environment, input.platform),
        ];
        Ok(Outputs { objects, policies, chart, applications })
    }

    fn objects(
        &self,
        input: &Input<'_>,
        context: &Context,
        chart_mode: bool,
        policies: Vec<Object>,
    ) -> Result<Vec<Object>, RenderError> {
        let id = &input.blueprint.id;
        let cell = self.compiled.get(id).ok_or_else(|| RenderError::UnknownBlueprint(id.clone()))?;
        let (env, names) = cell.get_or_init(|| compile(input.blueprint)).as_ref().map_err(|message| {
            RenderError::Template { blueprint: id.clone(), template: "(compiling)".into(), message: message.clone() }
        })?;
        let mut objects = policies;
        let values = context! { ..Value::from_serialize(context), ..context! { __paved_chart_mode => chart_mode } };
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
    // Helm value): a plain render gets the value itself, a chart render a
    // marker that becomes a `.Values` reference (see `chart.rs`).
    env.add_function("value", |state: &State, name: String, value: Value| -> Value {
        match state.lookup(CHART_MODE).is_some_and(|v| v.is_true()) {
            true => Value::from_iter([(MARKER, Value::from(name)), ("default", value)]),
            false => value,
        }
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
