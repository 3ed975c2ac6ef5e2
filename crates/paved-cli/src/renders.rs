//! Rendering a set of apps: every (environment, app) pair, in parallel, in
//! output order. Every command that renders apps (`render`, `validate`,
//! `check`, `diff`, `upgrade`, `blueprint`) does it through this module.

use std::collections::BTreeSet;

use rayon::prelude::*;

use paved_blueprint::Blueprint;
use paved_render::output::AppOutputs;
use paved_render::output::paths::EnvFolder;
use paved_render::{Charts, Directory, ImageOverride, Input, Rendered};
use paved_spec::ValidApp;

use crate::inputs::Setup;
use crate::target::chosen_environments;
use crate::{Failure, Outcome};

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
        let directory = Directory::new(apps.iter().map(|a| &a.app));
        let jobs = envs
            .iter()
            .flat_map(|env| apps.iter().map(move |app| (env, app)))
            .filter(|(env, app)| {
                setup.platform.environment(env).is_some() && app.environments.iter().any(|(e, _)| e == *env)
            })
            .collect();
        Renders { setup, jobs, directory, image, charts }
    }

    /// The pipeline's files (`promoted.yaml`) in the tree folders these
    /// renders fill: a new tree keeps them.
    pub fn promoted_files(&self) -> Vec<String> {
        let files: BTreeSet<String> = self
            .jobs
            .iter()
            .map(|(env, app)| EnvFolder { team: &app.app.team, app: &app.app.name, environment: env }.promoted())
            .collect();
        files.into_iter().collect()
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
        setup.engine.render(&input, self.charts).map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))
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

/// Render `apps` with `blueprint`, whatever their pins say, in every
/// environment (`blueprint render`, `blueprint diff`, `publish`, `upgrade`).
pub fn render_with(
    setup: &Setup,
    apps: &[ValidApp],
    blueprint: &Blueprint,
    charts: Charts,
) -> Result<Vec<Rendered>, Failure> {
    let forced: Vec<ValidApp> = apps
        .iter()
        .cloned()
        .map(|mut a| {
            a.blueprint_id = blueprint.id.clone();
            a
        })
        .collect();
    let envs = chosen_environments(&setup.platform, &[])?;
    Renders::new(setup, &forced, &envs, &ImageOverride::default(), charts).all()
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
