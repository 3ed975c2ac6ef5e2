//! `paved outdated`: what is behind, and by how much. One row per app (its
//! pin, locked version, the newest its pin allows, the newest published, a
//! newer major with its migration, and why it is not up to date), then how
//! many apps run each blueprint version.

use paved_blueprint::outdated::{Adoption, AppVersions};
use serde_json::json;

use crate::fleet::{ADOPTION_HEADER, HEADER, adoption_cells, cells};

use crate::cli::{Format, Global, OutdatedArgs, TableFormat};
use crate::fleet;
use crate::inputs::{self, Setup};
use crate::table::{Table, markdown_cell};
use crate::{Failure, Outcome};

pub fn run(global: &Global, args: OutdatedArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?;
    let apps = setup.validate_apps(files, Format::Human)?;
    let rows = fleet::versions(&setup, &apps)?;
    let adoption = setup.catalog.adoption(&rows);
    match args.format {
        TableFormat::Json => {
            let value = json!({ "apps": rows, "adoption": adoption });
            outln!("{}", serde_json::to_string_pretty(&value).map_err(|e| Failure::Error(e.to_string()))?);
        }
        TableFormat::Table => out!("{}", text(&rows, &adoption)),
        TableFormat::Markdown => out!("{}", markdown(&rows, &adoption)),
    }
    let behind = rows.iter().filter(|r| !r.findings.is_empty()).count();
    if behind > 0 {
        eprintln!("{behind} of {} apps are behind or on a deprecated or yanked version", rows.len());
    }
    match args.exit_code && behind > 0 {
        true => Err(Failure::Findings),
        false => Ok(()),
    }
}

fn text(rows: &[AppVersions], adoption: &[Adoption]) -> String {
    let mut apps = Table::new(&HEADER);
    rows.iter().for_each(|r| apps.row(cells(r).to_vec()));
    let mut versions = Table::new(&ADOPTION_HEADER);
    adoption.iter().for_each(|a| versions.row(adoption_cells(a).to_vec()));
    format!("{}\n{}", apps.text(), versions.text())
}

fn markdown(rows: &[AppVersions], adoption: &[Adoption]) -> String {
    let mut out = String::from("## Blueprint versions of the apps\n\n");
    let mut apps = Table::new(&HEADER);
    rows.iter().for_each(|r| apps.row(cells(r).iter().map(|c| markdown_cell(c)).collect()));
    out.push_str(&apps.markdown());
    let behind = rows.iter().filter(|r| !r.findings.is_empty()).count();
    out.push_str(&format!("\n{behind} of {} apps need attention.\n\n## Apps per blueprint version\n\n", rows.len()));
    let mut versions = Table::new(&ADOPTION_HEADER);
    adoption.iter().for_each(|a| versions.row(adoption_cells(a).iter().map(|c| markdown_cell(c)).collect()));
    out.push_str(&versions.markdown());
    out
}
