//! The app's Azure DevOps pipeline: a short file extending the platform's
//! pipeline-template library, pinned by tag.
//!
//! The blueprint's `pipeline/azure-pipelines.yml.j2` is a minijinja template
//! in paved's pipeline syntax: `<< value >>`, `<% block %>`, `<# comment #>`.
//! Azure DevOps has its own `${{ }}`, `$( )` and `$[ ]`; with these delimiters
//! neither ever reads the other's. Values are JSON-escaped like everywhere
//! else (the same environment settings, `jinja.rs`). The output is not
//! Kubernetes objects, so it skips the objects' normaliser: it is parsed with
//! paved-yaml and written again by the one emitter (sorted keys, quoting),
//! under a header saying it is generated.

use std::collections::BTreeMap;

use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;
use paved_blueprint::{Blueprint, Catalog};
use paved_spec::app::{AppFile, BuildKind};
use paved_spec::platform::Platform;
use paved_spec::syntax;
use serde::Serialize;

use crate::RenderError;

/// The pipeline template's context: everything `azure-pipelines.yml.j2` sees.
/// Load-bearing like the manifest context: only add fields.
#[derive(Debug, Serialize)]
pub struct PipelineContext {
    /// The app's name.
    pub app: String,
    /// The owning team.
    pub team: String,
    /// The exact blueprint version, `api@1.0.0`.
    pub blueprint: String,
    /// The image repository, without tag or digest (the pipeline builds the tag).
    pub image_repository: String,
    /// How the code is built: `dotnet`, `maven`, `node`, `go` or `docker`.
    pub build_kind: String,
    /// The environments in promotion order, each with its deployment stage's
    /// id and the stage it waits for (the previous environment's, or `verify`).
    pub environments: Vec<PipelineEnvironment>,
    /// The library repository (`project/repository`).
    pub templates_repository: String,
    /// The library's pinned ref (`refs/tags/…`).
    pub templates_ref: String,
    /// The GitOps repository as Azure Repos names it (`project/repository`),
    /// from the platform's `gitops.repoUrl`; `None` when that is not an Azure
    /// Repos URL (the library's default applies).
    pub gitops_repository: Option<String>,
    /// The GitOps branch (`gitops.revision`).
    pub gitops_branch: String,
    /// The rendered tree's folder in the GitOps repository (`gitops.path`).
    pub gitops_path: String,
}

/// One environment's deployment stage.
#[derive(Debug, Serialize)]
pub struct PipelineEnvironment {
    /// The environment's name.
    pub name: String,
    /// The stage id: `deploy_<name>` with `-` made `_` (stage ids allow no `-`).
    pub stage: String,
    /// The stage this one waits for.
    pub depends_on: String,
}

impl PipelineContext {
    /// The context of `app` (as written) on `platform` with `blueprint`.
    pub fn new(app: &AppFile, platform: &Platform, blueprint: &Blueprint) -> PipelineContext {
        let mut previous = "verify".to_owned();
        let environments = platform
            .environments
            .iter()
            .map(|env| {
                let stage = format!("deploy_{}", env.name.replace('-', "_"));
                let depends_on = std::mem::replace(&mut previous, stage.clone());
                PipelineEnvironment { name: env.name.clone(), stage, depends_on }
            })
            .collect();
        PipelineContext {
            app: app.name.clone(),
            team: app.team.clone(),
            blueprint: blueprint.id.clone(),
            image_repository: syntax::image_ref(&app.image).map(|i| i.repository).unwrap_or_else(|_| app.image.clone()),
            build_kind: app.build.unwrap_or(BuildKind::Docker).as_str().to_owned(),
            environments,
            templates_repository: platform.pipelines.repository.clone(),
            templates_ref: platform.pipelines.r#ref.clone(),
            gitops_repository: azure_repos_name(&platform.gitops.repo_url),
            gitops_branch: platform.gitops.revision.clone(),
            gitops_path: platform.gitops.path.clone(),
        }
    }
}

/// `https://dev.azure.com/org/project/_git/repo` → `project/repo`.
fn azure_repos_name(url: &str) -> Option<String> {
    let (before, repository) = url.split_once("/_git/")?;
    let project = before.rsplit('/').next().filter(|p| !p.is_empty())?;
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty() && !repository.contains('/')).then(|| format!("{project}/{repository}"))
}

/// Every blueprint version's pipeline template, compiled once, under the
/// version's id; a template that does not compile is kept as its error and
/// reported when an app using it renders.
#[derive(Debug)]
pub(crate) struct Pipelines {
    env: Environment<'static>,
    broken: BTreeMap<String, String>,
}

/// The environment pipeline templates are rendered in: paved's safe
/// settings, in the pipeline delimiters.
pub(crate) fn environment(catalog: &Catalog) -> Pipelines {
    let syntax = SyntaxConfig::builder()
        .block_delimiters("<%", "%>")
        .variable_delimiters("<<", ">>")
        .comment_delimiters("<#", "#>")
        .build();
    let (mut env, syntax_error) = match syntax {
        Ok(syntax) => (crate::jinja::environment(Some(syntax)), None),
        // Not reachable with these delimiters; should it ever be, every
        // pipeline fails to render instead of rendering in `{{ }}`.
        Err(e) => (crate::jinja::environment(None), Some(format!("pipeline delimiters: {e}"))),
    };
    let mut broken = BTreeMap::new();
    for blueprint in catalog.iter() {
        if let Some(source) = &blueprint.pipeline {
            if let Some(message) = &syntax_error {
                broken.insert(blueprint.id.clone(), message.clone());
            } else if let Err(e) = env.add_template_owned(blueprint.id.clone(), source.clone()) {
                broken.insert(blueprint.id.clone(), e.to_string());
            }
        }
    }
    Pipelines { env, broken }
}

/// Render the pipeline of one app: the template's output, normalised, under a
/// header saying it is generated.
pub(crate) fn render(
    pipelines: &Pipelines,
    blueprint: &Blueprint,
    context: &PipelineContext,
) -> Result<Option<String>, RenderError> {
    if blueprint.pipeline.is_none() {
        return Ok(None);
    }
    let fail = |message: String| RenderError::Template {
        blueprint: blueprint.id.clone(),
        template: "pipeline/azure-pipelines.yml.j2".into(),
        message,
    };
    if let Some(message) = pipelines.broken.get(&blueprint.id) {
        return Err(fail(message.clone()));
    }
    let template = pipelines.env.get_template(&blueprint.id).map_err(|e| fail(e.to_string()))?;
    let text = template.render(context).map_err(|e| fail(e.to_string()))?;
    let node =
        paved_yaml::load_one(&text, paved_yaml::Limits::default()).map_err(|e| fail(format!("not valid YAML: {e}")))?;
    let mut out = format!(
        "# Generated by paved from the app file (blueprint {}).\n# Do not edit: edit app.yaml and run `paved render --pipelines`.\n",
        blueprint.id
    );
    paved_yaml::emit_to(&node.to_json(), &mut out);
    Ok(Some(out))
}
