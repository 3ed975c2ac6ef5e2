//! One module per command.

mod blueprint;
mod check;
mod completions;
mod diff;
mod explain;
mod graph;
mod images;
mod landing_zone;
mod new;
mod outdated;
mod render;
mod report;
mod schema;
mod upgrade;
mod validate;

use crate::Outcome;
use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Render(args) => render::run(&cli.global, args),
        Command::Validate(args) => validate::run(&cli.global, args),
        Command::Check(args) => check::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::New(args) => new::run(&cli.global, args),
        Command::Graph(args) => graph::run(&cli.global, args),
        Command::Outdated(args) => outdated::run(&cli.global, args),
        Command::Images(args) => images::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::LandingZone(args) => landing_zone::run(&cli.global, args),
        Command::Upgrade(args) => upgrade::run(&cli.global, args),
        Command::Blueprint(command) => blueprint::run(&cli.global, command),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Completions(args) => completions::run(args),
    }
}
