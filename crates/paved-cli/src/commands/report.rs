//! `paved report --out DIR`: one static HTML page of the fleet (`DIR/index.html`):
//! the outdated table, a chart of blueprint-version adoption, the call graph of
//! each environment and the image inventory. No network, no script.

use paved_render::graph::{self, GraphApp};
use paved_render::report::{self, Bar, Report, Table};

use crate::cli::{Format, Global, ReportPageArgs};
use crate::fleet::{self, HEADER, IMAGES_HEADER, cells, image_cells};
use crate::inputs::{self, Setup};
use crate::target::chosen_environments;
use crate::{Outcome, write};

/// The page's file in `--out`.
const PAGE: &str = "index.html";

pub fn run(global: &Global, args: ReportPageArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    let envs = chosen_environments(&setup.platform, &args.envs)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?;
    let apps = setup.validate_apps(files, Format::Human)?;

    let versions = fleet::versions(&setup, &apps)?;
    let adoption = setup.catalog.adoption(&versions);
    let images = fleet::images(&setup, &apps, &envs, None)?;
    let mut graphs = Vec::new();
    for env in &envs {
        let mut nodes = Vec::new();
        for app in fleet::apps_in(&apps, env) {
            let Some((_, effective)) = app.environments.iter().find(|(e, _)| e == env) else { continue };
            nodes.push(GraphApp { app: effective, blueprint: &setup.blueprint_of(app)?.meta.name });
        }
        graphs.push((env.clone(), graph::svg(&nodes)));
    }
    let subject = match args.paths.is_empty() {
        true => ".".to_owned(),
        false => args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
    };
    let page = Report {
        subject,
        outdated: Table {
            header: HEADER.iter().map(|h| (*h).to_owned()).collect(),
            rows: versions.iter().map(|v| cells(v).to_vec()).collect(),
        },
        attention: versions.iter().filter(|v| !v.findings.is_empty()).count(),
        adoption: adoption
            .iter()
            .map(|a| Bar {
                label: format!("{}@{}", a.blueprint, a.version),
                apps: a.apps,
                status: match (&a.deprecated, a.yanked) {
                    (_, true) => "yanked",
                    (Some(_), false) => "deprecated",
                    (None, false) => "published",
                }
                .to_owned(),
            })
            .collect(),
        graphs,
        images: Table {
            header: IMAGES_HEADER.iter().map(|h| (*h).to_owned()).collect(),
            rows: images.iter().map(|u| image_cells(u).to_vec()).collect(),
        },
    };
    fs_err::create_dir_all(&args.out)?;
    let path = args.out.join(PAGE);
    write::file(&path, &report::html(&page))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
