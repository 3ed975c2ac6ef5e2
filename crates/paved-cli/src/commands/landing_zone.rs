//! `paved landing-zone`: team files to the landing zone of each team in each
//! environment, as a stream or a file tree.

use paved_render::landing::{ContainerDefaults, landing_zone};
use paved_render::output;
use std::sync::Arc;

use paved_spec::team::TeamFile;
use paved_spec::{Diagnostic, SourceFile};

use super::render::{chosen_environments, print_stream, stdout_only};
use crate::cli::{Global, LandingZoneArgs};
use crate::inputs::{self, Setup};
use crate::{Failure, Outcome, report, write};

pub fn run(global: &Global, args: LandingZoneArgs) -> Outcome {
    stdout_only(args.output.as_deref())?;
    let setup = Setup::load(global, args.report.format)?;
    let envs = chosen_environments(&setup.platform, &args.envs)?;
    let mut teams: Vec<(Arc<SourceFile>, TeamFile)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for file in inputs::read_all(&inputs::discover_teams(&args.paths)?, args.report.format)? {
        let source = Arc::new(file.clone());
        match paved_spec::validate_team(file, &setup.platform) {
            Ok(team) => teams.push((source, team)),
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
    teams.sort_by(|a, b| (&a.1.team, &a.0.name).cmp(&(&b.1.team, &b.0.name)));
    for pair in teams.windows(2) {
        if pair[0].1.team == pair[1].1.team {
            problems.push(Diagnostic {
                file: pair[1].0.clone(),
                span: Default::default(),
                field: "team".into(),
                message: format!("team `{}` is also described in `{}`", pair[1].1.team, pair[0].0.name),
                hint: Some("a team has one team file; remove one of them".into()),
            });
        }
    }
    if !problems.is_empty() {
        report::print(&problems, args.report.format);
        return Err(Failure::Findings);
    }
    let defaults = ContainerDefaults::from_catalog(&setup.catalog)
        .ok_or_else(|| Failure::Error("the blueprint catalog is empty: no container defaults to give".into()))?;
    let mut zones = Vec::new();
    for env in &envs {
        let Some(environment) = setup.platform.environment(env) else { continue };
        for (_, team) in teams.iter().filter(|(_, team)| team.uses(env)) {
            zones.push(landing_zone(team, environment, &setup.platform, &defaults));
        }
    }
    match &args.out {
        Some(dir) => write::tree(dir, output::landing_tree(&zones), &[]),
        None => print_stream(&output::landing_stream(&zones)),
    }
}
