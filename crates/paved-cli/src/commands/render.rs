//! `paved render`: apps to Kubernetes objects, as a stream or a file tree.

use std::io::Write;

use rayon::prelude::*;

use paved_render::argocd::PROMOTED;
use paved_render::output::{self, AppOutputs, Rendered};
use paved_render::{Directory, ImageOverride, Input};
use paved_spec::ValidApp;
use paved_spec::platform::Platform;
use paved_spec::syntax;

use crate::cli::{Global, RenderArgs};
use crate::inputs::{self, Setup};
use crate::{Failure, Outcome, write};

pub fn run(global: &Global, args: RenderArgs) -> Outcome {
    stdout_only(args.output.as_deref())?;
    let image = image_override(&args)?;
    let setup = Setup::load(global, args.report.format)?;
    let envs = chosen_environments(&setup.platform, &args.envs)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, args.report.format)?;
    let apps = setup.validate_apps(files, args.report.format)?;
    warn_untagged(&apps, &image, &envs);
    warn_deprecated(&setup, &apps);
    let charts = if args.out.is_some() { Charts::Build } else { Charts::Skip };
    let rendered = render_all(&setup, &apps, &envs, &image, charts)?;
    // Only a render that worked records its versions.
    setup.update_lock(&apps)?;
    if args.pipelines {
        for (app, outputs) in apps.iter().zip(pipelines(&setup, &apps)?) {
            let (Some(pipeline), Some(path)) = (outputs.pipeline, inputs::pipeline_beside(app)) else { continue };
            if fs_err::read_to_string(&path).ok().as_deref() != Some(pipeline.as_str()) {
                write::file(&path, &pipeline)?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    match &args.out {
        Some(dir) => {
            let files = output::tree(&rendered, &pipelines(&setup, &apps)?);
            // What the pipeline promoted stays, for every environment still rendered.
            let rendered_folders: std::collections::BTreeSet<String> =
                files.keys().filter_map(|p| p.strip_suffix("manifests.yaml")).map(str::to_owned).collect();
            let keep = |path: &str| {
                path.strip_suffix(PROMOTED)
                    .is_some_and(|folder| folder.ends_with('/') && rendered_folders.contains(folder))
            };
            write::tree(dir, files, &keep)
        }
        None => print_stream(&output::stream(&rendered)),
    }
}

/// `-o` takes only `-`: a tree goes to `--out DIR`.
pub fn stdout_only(output: Option<&str>) -> Outcome {
    match output {
        Some(o) if o != "-" => {
            Err(Failure::Error(format!("`-o {o}`: only `-o -` (stdout) is supported; use `--out DIR` for a file tree")))
        }
        _ => Ok(()),
    }
}

/// Print a YAML stream; a reader that stops early (`| head`) is not an error.
pub fn print_stream(stream: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(stream.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// An image without tag or digest runs whatever `latest` is when a node pulls
/// it. That is legitimate for a preview (the pipeline sets the tag later), so
/// it is a warning, not an error.
fn warn_untagged(apps: &[ValidApp], image: &ImageOverride, envs: &[String]) {
    if image.tag.is_some() || image.digest.is_some() {
        return;
    }
    for app in apps {
        let untagged: Vec<&str> = app
            .environments
            .iter()
            .filter(|(env, _)| envs.contains(env))
            .filter(|(_, effective)| {
                syntax::image_ref(&effective.image).is_ok_and(|i| i.tag.is_none() && i.digest.is_none())
            })
            .map(|(env, _)| env.as_str())
            .collect();
        if !untagged.is_empty() {
            eprintln!(
                "warning: {}: `image` has no tag or digest in {}; pass `--image-tag` or `--image-digest` to pin what runs",
                app.file.name,
                untagged.join(", ")
            );
        }
    }
}

/// A deprecated blueprint version still renders, with a warning saying why
/// and what to use instead.
fn warn_deprecated(setup: &Setup, apps: &[ValidApp]) {
    for app in apps {
        let Ok(blueprint) = setup.blueprint_of(app) else { continue };
        if let Some(message) = blueprint.publication.as_ref().and_then(|p| p.deprecated.as_ref()) {
            eprintln!("warning: {}: blueprint {} is deprecated: {message}", app.file.name, blueprint.id);
        }
    }
}

fn image_override(args: &RenderArgs) -> Result<ImageOverride, Failure> {
    if let Some(tag) = &args.image_tag {
        syntax::image_tag(tag).map_err(|p| usage("--image-tag", p))?;
    }
    if let Some(digest) = &args.image_digest {
        syntax::image_digest(digest).map_err(|p| usage("--image-digest", p))?;
    }
    Ok(ImageOverride { tag: args.image_tag.clone(), digest: args.image_digest.clone() })
}

fn usage(flag: &str, p: syntax::Problem) -> Failure {
    let hint = p.hint.map(|h| format!("\n\nhelp: {h}")).unwrap_or_default();
    Failure::Error(format!("{flag}: {}{hint}", p.message))
}

/// The environments to render, in promotion order whatever order they were asked in.
pub fn chosen_environments(platform: &Platform, wanted: &[String]) -> Result<Vec<String>, Failure> {
    let known: Vec<&str> = platform.environment_names().collect();
    for env in wanted {
        if !known.contains(&env.as_str()) {
            let hint = match syntax::did_you_mean(env, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the platform's environments are {}", known.join(", ")),
            };
            return Err(Failure::Error(format!("--env: unknown environment `{env}`\n\nhelp: {hint}")));
        }
    }
    Ok(known.into_iter().filter(|k| wanted.is_empty() || wanted.iter().any(|w| w == k)).map(str::to_owned).collect())
}

/// What each app renders once: its pipeline.
pub fn pipelines(setup: &Setup, apps: &[ValidApp]) -> Result<Vec<AppOutputs>, Failure> {
    apps.iter()
        .map(|app| {
            let blueprint = setup.blueprint_of(app)?;
            let pipeline = setup
                .engine
                .render_pipeline(&app.app, &setup.platform, blueprint)
                .map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))?;
            Ok(AppOutputs { team: app.app.team.clone(), app: app.app.name.clone(), pipeline })
        })
        .collect()
}

/// Render every app in every chosen environment, in output order: environment
/// (promotion order), then team and app.
/// Whether a render builds the Helm charts (only output trees need them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charts {
    Build,
    Skip,
}

pub fn render_all(
    setup: &Setup,
    apps: &[ValidApp],
    envs: &[String],
    image: &ImageOverride,
    charts: Charts,
) -> Result<Vec<Rendered>, Failure> {
    let directory = Directory::new(apps.iter().map(|a| (a.app.team.as_str(), a.app.name.as_str(), a.app.port)));
    // Every (environment, app) renders on its own, in parallel; the results
    // come back in this order, environments first, whatever the threads did.
    let jobs: Vec<(&String, &ValidApp)> = envs.iter().flat_map(|env| apps.iter().map(move |app| (env, app))).collect();
    let rendered: Vec<Option<Rendered>> = jobs
        .par_iter()
        .map(|&(env, app)| {
            let Some(environment) = setup.platform.environment(env) else { return Ok(None) };
            let Some((_, effective)) = app.environments.iter().find(|(name, _)| name == env) else { return Ok(None) };
            let input = Input {
                app: effective,
                environment,
                platform: &setup.platform,
                blueprint: setup.blueprint_of(app)?,
                image,
                directory: &directory,
            };
            let outputs = setup
                .engine
                .render_outputs(&input, charts == Charts::Build)
                .map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))?;
            Ok(Some(Rendered {
                team: app.app.team.clone(),
                app: app.app.name.clone(),
                environment: env.clone(),
                objects: outputs.objects,
                policies: outputs.policies,
                chart: outputs.chart,
                applications: outputs.applications,
            }))
        })
        .collect::<Result<_, Failure>>()?;
    Ok(rendered.into_iter().flatten().collect())
}
