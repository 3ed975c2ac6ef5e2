//! `paved new NAME --team T --blueprint B`: write a valid starting `app.yaml`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use paved_render::output::paths::PIPELINE;
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
    let pipeline_path = dir.join(PIPELINE);
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
    let text = app_file(&args, &pin, &registry, schema.as_deref(), &blueprint.meta.fields.required);
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

/// The starting app file: the schema modeline (editors complete and check
/// the file against it), then the fields in the order people read them, each
/// written by the emitter (so every value is quoted as YAML needs), and what
/// the blueprint requires besides, with example values.
fn app_file(args: &NewArgs, pin: &str, registry: &str, schema: Option<&str>, required: &BTreeSet<String>) -> String {
    let mut text = String::new();
    if let Some(schema) = schema {
        text.push_str(&format!("# yaml-language-server: $schema={schema}\n"));
    }
    let mut fields = vec![
        ("name", json!(args.name)),
        ("team", json!(args.team)),
        ("blueprint", json!(pin)),
        ("image", json!(format!("{registry}/{}/{}", args.team, args.name))),
    ];
    if required.contains("port") {
        fields.push(("port", json!(8080)));
    }
    if required.contains("schedule") {
        fields.push(("schedule", json!("0 3 * * *")));
    }
    if required.contains("storage") {
        fields.push(("storage", json!({ "size": "10Gi" })));
    }
    for (field, value) in fields {
        if field == "schedule" {
            text.push_str("# An example: every day at 03:00 (minute hour day-of-month month day-of-week)\n");
        }
        // One field at a time: the emitter sorts a mapping's keys.
        paved_yaml::emit_to(&Value::Object(Map::from_iter([(field.to_owned(), value)])), &mut text);
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_file_keeps_its_field_order_and_explains_the_schedule() {
        let args = NewArgs { name: "nightly".into(), team: "payments".into(), blueprint: "cronjob".into(), dir: None };
        let required = BTreeSet::from(["schedule".to_owned()]);
        let text = app_file(&args, "cronjob@1", "acr.bank.internal", Some("schemas/app.schema.json"), &required);
        let fields: Vec<&str> = text.lines().filter_map(|l| l.split_once(':').map(|(k, _)| k)).collect();
        assert_eq!(
            fields,
            ["# yaml-language-server", "name", "team", "blueprint", "image", "# An example", "schedule"],
            "{text}"
        );
        assert!(text.starts_with("# yaml-language-server: $schema=schemas/app.schema.json\n"), "{text}");
        assert!(text.contains("\n# An example: every day at 03:00"), "{text}");
    }
}
