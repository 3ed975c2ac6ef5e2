//! `paved validate`: app files, then the objects they render, against the
//! strict Kubernetes schemas of the platform's version, the CRD schemas, and
//! the security baseline.

use paved_render::{Charts, ImageOverride};
use paved_validate::SchemaSet;

use crate::cli::{Format, Global, ValidateArgs};
use crate::inputs::{self, Setup};
use crate::renders::Renders;
use crate::target::chosen_environments;
use crate::{Failure, Outcome, report};

pub fn run(global: &Global, args: ValidateArgs) -> Outcome {
    let format = args.report.format;
    let setup = Setup::load(global, format)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, format)?;
    let count = files.len();
    let apps = setup.validate_apps(files, format)?;
    report::warnings(&apps.iter().flat_map(|a| a.warnings.iter().cloned()).collect::<Vec<_>>(), format);
    let schemas =
        SchemaSet::for_version(&setup.platform.kubernetes_version).map_err(|e| Failure::Error(e.to_string()))?;
    let envs = chosen_environments(&setup.platform, &[])?;
    let rendered = Renders::new(&setup, &apps, &envs, &ImageOverride::default(), Charts::Skip).all()?;
    let mut problems = Vec::new();
    let mut objects = 0;
    for r in &rendered {
        for object in r.all_objects() {
            objects += 1;
            let mut violations = schemas.validate(&object.value);
            violations.extend(paved_validate::baseline(&object.value));
            for v in violations {
                problems.push(serde_json::json!({
                    "app": r.app, "team": r.team, "environment": r.environment,
                    "kind": object.kind(), "name": object.name(),
                    "pointer": v.pointer, "message": v.message,
                }));
            }
        }
    }
    if format == Format::Json {
        outln!("{}", serde_json::to_string_pretty(&problems).unwrap_or_default());
    } else {
        for p in &problems {
            eprintln!(
                "{}/{} ({}): {}/{}: {}: {}",
                p["team"].as_str().unwrap_or_default(),
                p["app"].as_str().unwrap_or_default(),
                p["environment"].as_str().unwrap_or_default(),
                p["kind"].as_str().unwrap_or_default(),
                p["name"].as_str().unwrap_or_default(),
                p["pointer"].as_str().filter(|s| !s.is_empty()).unwrap_or("/"),
                p["message"].as_str().unwrap_or_default()
            );
        }
    }
    if !problems.is_empty() {
        eprintln!("error: {} problems in rendered objects", problems.len());
        return Err(Failure::Findings);
    }
    eprintln!(
        "ok: {count} app files, {objects} objects in {} environments valid against Kubernetes {} schemas",
        envs.len(),
        setup.platform.kubernetes_version
    );
    Ok(())
}
