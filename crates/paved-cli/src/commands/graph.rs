//! `paved graph`: the call graph of a set of apps, as Mermaid, DOT or SVG.

use paved_render::graph::{self, GraphApp};

use crate::Outcome;
use crate::cli::{Format, Global, GraphArgs, GraphFormat};
use crate::inputs::{self, Setup};

pub fn run(global: &Global, args: GraphArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?;
    let apps = setup.validate_apps(files, Format::Human)?;
    let mut nodes = Vec::new();
    for app in &apps {
        let blueprint = setup.blueprint_of(app)?;
        nodes.push(GraphApp { app: &app.app, blueprint: &blueprint.meta.name });
    }
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid(&nodes),
        GraphFormat::Dot => graph::dot(&nodes),
        GraphFormat::Svg => graph::svg(&nodes),
    };
    out!("{text}");
    Ok(())
}
