//! Template environments, compiled once per blueprint version.

use std::collections::{BTreeMap, HashMap};

use minijinja::value::ViaDeserialize;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use paved_blueprint::{Blueprint, Catalog};
use paved_spec::app::AppFile;
use paved_spec::platform::{Environment as PlatformEnv, Platform};

use crate::context::{Context, ImageOverride};
use crate::normalise::{Object, normalise};

/// Why a render failed. For a valid app these are blueprint bugs (a template
/// error, output that is not YAML or not an object), which the blueprint's own
/// tests catch before publishing.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("blueprint `{blueprint}`, template `{template}`: {message}")]
    Template { blueprint: String, template: String, message: String },
    #[error("unknown blueprint `{0}`")]
    UnknownBlueprint(String),
}

/// One app in one environment.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The effective settings in this environment (merged and validated).
    pub app: &'a AppFile,
    pub environment: &'a PlatformEnv,
    pub platform: &'a Platform,
    pub blueprint: &'a Blueprint,
    pub image: &'a ImageOverride,
}

/// Every blueprint version's templates, compiled. Build once, render many.
#[derive(Debug)]
pub struct Engine {
    environments: HashMap<String, (Environment<'static>, Vec<String>)>,
}

impl Engine {
    /// Compile the templates of every blueprint version in `catalog`.
    pub fn new(catalog: &Catalog) -> Result<Engine, RenderError> {
        let mut environments = HashMap::new();
        for blueprint in catalog.iter() {
            environments.insert(blueprint.id.clone(), compile(blueprint)?);
        }
        Ok(Engine { environments })
    }

    /// Render one app in one environment to normalised objects, sorted.
    pub fn render(&self, input: &Input<'_>) -> Result<Vec<Object>, RenderError> {
        let (env, names) = self
            .environments
            .get(&input.blueprint.id)
            .ok_or_else(|| RenderError::UnknownBlueprint(input.blueprint.id.clone()))?;
        let context = Value::from_serialize(Context::new(
            input.app,
            input.environment,
            input.platform,
            input.blueprint,
            input.image,
        ));
        let mut objects = Vec::new();
        for name in names {
            let fail = |message: String| RenderError::Template {
                blueprint: input.blueprint.id.clone(),
                template: name.clone(),
                message,
            };
            let template = env.get_template(name).map_err(|e| fail(describe(&e)))?;
            let text = template.render(&context).map_err(|e| fail(describe(&e)))?;
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
fn compile(blueprint: &Blueprint) -> Result<(Environment<'static>, Vec<String>), RenderError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|_| AutoEscape::Json);
    env.remove_filter("safe");
    env.set_recursion_limit(32);
    // Marks a value that may change at deploy time without a new render (a
    // Helm value). Plain manifests get the value itself.
    env.add_function("value", |_name: String, value: Value| value);
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
        env.add_template_owned(name.clone(), source.clone()).map_err(|e| RenderError::Template {
            blueprint: blueprint.id.clone(),
            template: name.clone(),
            message: describe(&e),
        })?;
        // Files starting with `_` are partials for `{% import %}`, not outputs.
        if !name.rsplit('/').next().unwrap_or(name).starts_with('_') {
            names.push(name.clone());
        }
    }
    Ok((env, names))
}
