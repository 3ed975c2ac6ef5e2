//! `paved new NAME --team T --blueprint B`: write a valid starting `app.yaml`.

use std::path::{Path, PathBuf};

use paved_spec::SourceFile;
use paved_spec::syntax::{self, BlueprintRef};

use crate::cli::{Format, Global, NewArgs};
use crate::inputs::Setup;
use crate::{Failure, Outcome, report};

pub fn run(global: &Global, args: NewArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    syntax::dns_label(&args.name, 40).map_err(|p| problem("NAME", p))?;
    syntax::dns_label(&args.team, 63).map_err(|p| problem("--team", p))?;
    let pin = pin(&setup, &args.blueprint)?;
    let blueprint = setup
        .catalog
        .resolve(&syntax::blueprint_ref(&pin).map_err(|p| problem("--blueprint", p))?)
        .map_err(|p| problem("--blueprint", p))?;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(&args.name));
    let path = dir.join("app.yaml");
    let pipeline_path = dir.join("azure-pipelines.yml");
    for existing in [&path, &pipeline_path] {
        if existing.exists() {
            return Err(Failure::Error(format!(
                "`{}` already exists; paved new never overwrites a file",
                existing.display()
            )));
        }
    }
    let registry = setup.platform.registries.first().cloned().unwrap_or_default();
    let schema = schema_reference(&dir, setup.platform.app_schema_url.as_deref());
    let mut text = String::new();
    if let Some(schema) = schema {
        text.push_str(&format!("# yaml-language-server: $schema={schema}\n"));
    }
    text.push_str(&format!(
        "name: {}\nteam: {}\nblueprint: {pin}\nimage: {registry}/{}/{}\n",
        args.name, args.team, args.team, args.name
    ));
    let required = &blueprint.meta.fields.required;
    if required.contains("port") {
        text.push_str("port: 8080\n");
    }
    if required.contains("schedule") {
        text.push_str("schedule: \"0 3 * * *\"   # every day at 03:00\n");
    }
    if required.contains("storage") {
        text.push_str("storage:\n  size: 10Gi\n");
    }
    // What we write must pass our own checks.
    let file = SourceFile { name: path.to_string_lossy().into_owned(), text: text.clone() };
    let resolve = |r: &BlueprintRef, _: &str| setup.catalog.rules(r);
    let valid = match paved_spec::validate_app(file, &setup.platform, &resolve) {
        Ok(valid) => valid,
        Err(diagnostics) => {
            report::print(&diagnostics, Format::Human);
            return Err(Failure::Error("the new app file would not be valid; this is a bug in paved".into()));
        }
    };
    let pipeline = setup
        .engine
        .render_pipeline(&valid.app, &setup.platform, blueprint)
        .map_err(|e| Failure::Error(e.to_string()))?;
    fs_err::create_dir_all(&dir)?;
    create_new(&path, &text)?;
    eprintln!("wrote {} (blueprint {})", path.display(), blueprint.id);
    if let Some(pipeline) = pipeline {
        create_new(&pipeline_path, &pipeline)?;
        eprintln!("wrote {}", pipeline_path.display());
    }
    Ok(())
}

/// Write a file that must not exist yet.
fn create_new(path: &Path, text: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    let mut file = fs_err::OpenOptions::from_options(options).open(path)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    Ok(())
}

fn problem(what: &str, p: syntax::Problem) -> Failure {
    let hint = p.hint.map(|h| format!("\n\nhelp: {h}")).unwrap_or_default();
    Failure::Error(format!("{what}: {}{hint}", p.message))
}

/// A bare blueprint name is pinned to its newest major version (`api` → `api@1`).
fn pin(setup: &Setup, wanted: &str) -> Result<String, Failure> {
    if wanted.contains('@') {
        return Ok(wanted.to_owned());
    }
    let newest = setup.catalog.iter().filter(|b| b.meta.name == wanted).map(|b| b.meta.version.major).max();
    match newest {
        Some(major) => Ok(format!("{wanted}@{major}")),
        None => {
            let names: Vec<&str> = setup.catalog.iter().map(|b| b.meta.name.as_str()).collect();
            let hint = syntax::did_you_mean(wanted, names.iter().copied())
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| {
                    let mut names = names.clone();
                    names.dedup();
                    format!("the catalog has {}", names.join(", "))
                });
            Err(Failure::Error(format!("--blueprint: unknown blueprint `{wanted}`\n\nhelp: {hint}")))
        }
    }
}

/// A relative path to `schemas/app.schema.json` in a parent folder (a
/// monorepo), or else the platform's schema URL.
fn schema_reference(dir: &Path, url: Option<&str>) -> Option<String> {
    // Resolve `..` lexically: the folder may not exist yet.
    let mut absolute = PathBuf::new();
    for part in std::path::absolute(dir).ok()?.components() {
        match part {
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            std::path::Component::CurDir => {}
            other => absolute.push(other),
        }
    }
    let mut ups = String::new();
    for ancestor in absolute.ancestors() {
        if ancestor.join("schemas/app.schema.json").is_file() {
            return Some(format!("{ups}schemas/app.schema.json"));
        }
        ups.push_str("../");
    }
    url.map(str::to_owned)
}
