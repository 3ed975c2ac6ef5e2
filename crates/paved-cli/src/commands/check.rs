//! `paved check`: is what is committed what paved renders now?
//!
//! Two kinds of committed output are checked: the `azure-pipelines.yml`
//! beside each app file (written by `paved new`), and, with `--out DIR`, a
//! tree written by `paved render --out DIR` (every file, and no file paved
//! would not write). A difference exits 1 with a diff and the command that
//! fixes it.

use std::collections::BTreeMap;
use std::path::Path;

use similar::TextDiff;

use paved_render::output::{self, TREE_MARKER, paths};
use paved_render::{Charts, ImageOverride};

use crate::cli::{CheckArgs, Global};
use crate::inputs::{self, Setup};
use crate::renders::{Renders, pipelines};
use crate::target::chosen_environments;
use crate::{Failure, Outcome};

pub fn run(global: &Global, args: CheckArgs) -> Outcome {
    let setup = Setup::load(global, args.report.format)?;
    let paths = inputs::discover(&args.paths)?;
    let apps = setup.validate_apps(inputs::read_all(&paths, args.report.format)?, args.report.format)?;
    setup.update_lock(&apps)?;
    let per_app = pipelines(&setup, &apps)?;
    let mut stale = 0;

    // Pipelines committed beside app files.
    for (app, outputs) in apps.iter().zip(&per_app) {
        let (Some(expected), Some(path)) = (&outputs.pipeline, inputs::pipeline_beside(app)) else { continue };
        if let Ok(committed) = fs_err::read_to_string(&path) {
            stale += compare(&path.to_string_lossy(), Some(&committed), Some(expected));
        }
    }

    // The rendered tree.
    if let Some(out) = &args.out {
        let envs = chosen_environments(&setup.platform, &[])?;
        let rendered = Renders::new(&setup, &apps, &envs, &ImageOverride::default(), Charts::Build).all()?;
        let expected = output::tree(&rendered, &per_app);
        let committed = read_tree(out)?;
        let names: std::collections::BTreeSet<&String> = expected.keys().chain(committed.keys()).collect();
        for name in names {
            let shown = out.join(name).to_string_lossy().into_owned();
            stale += compare(&shown, committed.get(name).map(String::as_str), expected.get(name).map(String::as_str));
        }
    }

    if stale > 0 {
        let paths: Vec<String> = args.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let mut fix = String::from("paved render --pipelines");
        if let Some(platform) = &global.platform {
            fix.push_str(&format!(" --platform {}", platform.display()));
        }
        if let Some(blueprints) = &global.blueprints {
            fix.push_str(&format!(" --blueprints {}", blueprints.display()));
        }
        fix.push_str(&format!(" {}", paths.join(" ")));
        if let Some(out) = &args.out {
            fix.push_str(&format!(" --out {}", out.display()));
        }
        eprintln!(
            "error: {stale} files are not what paved renders now\n\nhelp: run `{}` and commit the result",
            fix.trim()
        );
        return Err(Failure::Findings);
    }
    eprintln!("ok: committed output is current ({} apps)", apps.len());
    Ok(())
}

/// Print what differs between the committed and the expected text; 1 when stale.
fn compare(path: &str, committed: Option<&str>, expected: Option<&str>) -> usize {
    match (committed, expected) {
        (Some(a), Some(b)) if a == b => 0,
        (Some(a), Some(b)) => {
            let diff = TextDiff::from_lines(a, b);
            out!(
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("{path} (committed)"), &format!("{path} (rendered now)"))
            );
            1
        }
        (None, Some(_)) => {
            outln!("missing: {path}");
            1
        }
        (Some(_), None) => {
            outln!("not rendered by paved: {path}");
            1
        }
        (None, None) => 0,
    }
}

/// Every file under `dir` (relative path → text); the tree must be paved's.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, Failure> {
    if !dir.join(TREE_MARKER).is_file() {
        return Err(Failure::Error(format!(
            "`{}` is not a tree written by `paved render --out` (no `{TREE_MARKER}`)",
            dir.display()
        )));
    }
    // The pipeline's promotions are not paved's to check; a `promoted.yaml`
    // anywhere else would be deployed, so it is reported.
    crate::write::files_under(dir, &|path| !paths::is_promoted(path))
}
