//! `paved landing-zone`: team files to the landing zone of each team in each
//! environment, as a stream or a file tree.

use paved_render::landing::{ContainerDefaults, landing_zone};
use paved_render::output;

use crate::cli::{Global, LandingZoneArgs};
use crate::inputs::{self, Setup};
use crate::target::{chosen_environments, print_stream, stdout_only};
use crate::{Failure, Outcome, write};

pub fn run(global: &Global, args: LandingZoneArgs) -> Outcome {
    stdout_only(args.target.output.as_deref())?;
    let setup = Setup::load(global, args.report.format)?;
    let envs = chosen_environments(&setup.platform, &args.target.envs)?;
    let teams = inputs::load_teams(&args.paths, &setup.platform, args.report.format)?;
    let defaults = ContainerDefaults::from_catalog(&setup.catalog)
        .ok_or_else(|| Failure::Error("the blueprint catalog is empty: no container defaults to give".into()))?;
    let mut zones = Vec::new();
    for env in &envs {
        let Some(environment) = setup.platform.environment(env) else { continue };
        for team in teams.values().filter(|team| team.uses(env)) {
            zones.push(landing_zone(team, environment, &setup.platform, &defaults));
        }
    }
    match &args.target.out {
        Some(dir) => {
            let mut files = output::landing_tree(&zones);
            files.extend(output::landing_team_files(teams.values()));
            write::tree(dir, files, &[])
        }
        None => print_stream(&output::landing_stream(&zones)),
    }
}
