//! `paved images`: every image each app deploys in each environment (the
//! app's containers, its init containers and sidecars, its migration job), as
//! rendered, or with `--out DIR` as deployed (the tree's `promoted.yaml`
//! applied). The list a scanner or a registry import takes as input.

use std::collections::BTreeSet;

use crate::cli::{Format, Global, ImagesArgs, ImagesFormat};
use crate::fleet::{self, IMAGES_HEADER, image_cells};
use crate::inputs::{self, Setup};
use crate::table::{Table, markdown_cell};
use crate::target::chosen_environments;
use crate::{Failure, Outcome};

pub fn run(global: &Global, args: ImagesArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    let envs = chosen_environments(&setup.platform, &args.envs)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?;
    let apps = setup.validate_apps(files, Format::Human)?;
    let uses = fleet::images(&setup, &apps, &envs, args.out.as_deref())?;
    match args.format {
        ImagesFormat::Json => {
            outln!("{}", serde_json::to_string_pretty(&uses).map_err(|e| Failure::Error(e.to_string()))?);
        }
        ImagesFormat::List => {
            let distinct: BTreeSet<&str> = uses.iter().map(|u| u.image.as_str()).collect();
            distinct.iter().for_each(|image| outln!("{image}"));
        }
        ImagesFormat::Table | ImagesFormat::Markdown => {
            let mut table = Table::new(&IMAGES_HEADER);
            let markdown = args.format == ImagesFormat::Markdown;
            for cells in uses.iter().map(image_cells) {
                table.row(cells.iter().map(|c| if markdown { markdown_cell(c) } else { c.clone() }).collect());
            }
            out!("{}", if markdown { table.markdown() } else { table.text() });
        }
    }
    Ok(())
}
