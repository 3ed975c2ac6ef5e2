//! `paved render`: apps to Kubernetes objects, as a stream or a file tree.

use std::collections::BTreeSet;
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
    stdout_only(args.target.output.as_deref())?;
    let image = image_override(&args)?;
    let setup = Setup::load(global, args.report.format)?;
    let envs = chosen_environments(&setup.platform, &args.target.envs)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, args.report.format)?;
    let apps = setup.validate_apps(files, args.report.format)?;
    warn_untagged(&apps, &image, &envs);
    warn_deprecated(&setup, &apps);
    // --locked fails before anything is written; otherwise the lock records
    // the versions after the render worked.
    if setup.is_locked() {
        setup.update_lock(&apps)?;
    }
    if args.pipelines {
        for (app, outputs) in apps.iter().zip(pipelines(&setup, &apps)?) {
            let (Some(pipeline), Some(path)) = (outputs.pipeline, inputs::pipeline_beside(app)) else { continue };
            if fs_err::read_to_string(&path).ok().as_deref() != Some(pipeline.as_str()) {
                write::file(&path, &pipeline)?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    match &args.target.out {
        Some(dir) => {
            let renders = Renders::new(&setup, &apps, &envs, &image, Charts::Build);
            // What the pipeline promoted stays, for every environment still rendered.
            let keep: Vec<String> = renders.folders().into_iter().map(|folder| format!("{folder}{PROMOTED}")).collect();
            let per_app = output::tree_files_of_apps(&pipelines(&setup, &apps)?);
            // Each app and environment is rendered, written out and dropped.
            write::tree_with(dir, output::TREE_MARKER_TEXT, &keep, &|staging| {
                per_app.iter().try_for_each(|(path, contents)| staging.write(path, contents))?;
                renders.for_each(&|rendered| {
                    output::files_of(&rendered).iter().try_for_each(|(path, contents)| staging.write(path, contents))
                })
            })?;
        }
        None => {
            // All or nothing: the stream is printed once every render worked
            // (the objects of each batch are dropped once written out as text).
            let renders = Renders::new(&setup, &apps, &envs, &image, Charts::Skip);
            let mut stream = String::new();
            renders.in_batches(&mut |batch| {
                stream.push_str(&output::stream(&batch));
                Ok(())
            })?;
            print_stream(&stream)?;
        }
    }
    // Only a render that worked records its versions.
    setup.update_lock(&apps)
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
    apps.par_iter()
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

/// Whether a render builds the Helm charts (only output trees need them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charts {
    Build,
    Skip,
}

/// What a set of apps renders: every (environment, app) pair, each rendered on
/// its own, in output order (environment in promotion order, then team and app).
pub struct Renders<'a> {
    setup: &'a Setup,
    jobs: Vec<(&'a String, &'a ValidApp)>,
    directory: Directory,
    image: &'a ImageOverride,
    charts: Charts,
}

impl<'a> Renders<'a> {
    pub fn new(
        setup: &'a Setup,
        apps: &'a [ValidApp],
        envs: &'a [String],
        image: &'a ImageOverride,
        charts: Charts,
    ) -> Renders<'a> {
        let directory = Directory::new(apps.iter().map(|a| (a.app.team.as_str(), a.app.name.as_str(), a.app.port)));
        let jobs = envs
            .iter()
            .flat_map(|env| apps.iter().map(move |app| (env, app)))
            .filter(|(env, app)| {
                setup.platform.environment(env).is_some() && app.environments.iter().any(|(e, _)| e == *env)
            })
            .collect();
        Renders { setup, jobs, directory, image, charts }
    }

    /// The tree folders (`<team>/<app>/<env>/`) these renders fill.
    pub fn folders(&self) -> BTreeSet<String> {
        self.jobs.iter().map(|(env, app)| format!("{}/{}/{env}/", app.app.team, app.app.name)).collect()
    }

    /// Render one (environment, app) pair.
    fn one(&self, env: &String, app: &ValidApp) -> Result<Rendered, Failure> {
        let setup = self.setup;
        let environment =
            setup.platform.environment(env).ok_or_else(|| Failure::Error(format!("no environment `{env}`")))?;
        let effective = app
            .environments
            .iter()
            .find(|(name, _)| name == env)
            .map(|(_, effective)| effective)
            .ok_or_else(|| Failure::Error(format!("{}: no settings for `{env}`", app.file.name)))?;
        let input = Input {
            app: effective,
            environment,
            platform: &setup.platform,
            blueprint: setup.blueprint_of(app)?,
            image: self.image,
            directory: &self.directory,
        };
        let outputs = setup
            .engine
            .render_outputs(&input, self.charts == Charts::Build)
            .map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))?;
        Ok(Rendered {
            team: app.app.team.clone(),
            app: app.app.name.clone(),
            environment: env.clone(),
            objects: outputs.objects,
            chart: outputs.chart,
            applications: outputs.applications,
        })
    }

    /// Every render, in parallel, collected in output order.
    pub fn all(&self) -> Result<Vec<Rendered>, Failure> {
        first_error_in_order(self.jobs.par_iter().map(|&(env, app)| self.one(env, app)).collect())
    }

    /// The renders in output order, in parallel batches, each batch handed to
    /// `each` in turn: memory holds one batch, not the whole set.
    pub fn in_batches(&self, each: &mut dyn FnMut(Vec<Rendered>) -> Outcome) -> Outcome {
        for batch in self.jobs.chunks(BATCH) {
            each(first_error_in_order(batch.par_iter().map(|&(env, app)| self.one(env, app)).collect())?)?;
        }
        Ok(())
    }

    /// Render each pair and hand it to `each` as soon as it is ready, in
    /// parallel and in no particular order (for writing a tree's files).
    ///
    /// Every pair is tried, so that when several fail the one reported is the
    /// first in output order, whatever the threads did: a pull-request check
    /// must say the same thing on every run.
    pub fn for_each(&self, each: &(dyn Fn(Rendered) -> Outcome + Sync)) -> Outcome {
        let outcomes: Vec<Outcome> = self.jobs.par_iter().map(|&(env, app)| each(self.one(env, app)?)).collect();
        outcomes.into_iter().collect()
    }
}

/// The renders, or the first failure in output order (not the first a thread hit).
fn first_error_in_order(results: Vec<Result<Rendered, Failure>>) -> Result<Vec<Rendered>, Failure> {
    results.into_iter().collect()
}

/// How many renders a batch holds when output must stay in order.
const BATCH: usize = 512;

/// Render every app in every chosen environment, in output order.
pub fn render_all(
    setup: &Setup,
    apps: &[ValidApp],
    envs: &[String],
    image: &ImageOverride,
    charts: Charts,
) -> Result<Vec<Rendered>, Failure> {
    Renders::new(setup, apps, envs, image, charts).all()
}
