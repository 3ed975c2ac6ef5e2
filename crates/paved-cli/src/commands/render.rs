//! `paved render`: apps to Kubernetes objects, as a stream or a file tree.

use paved_jsonschema::quote;
use paved_render::output;
use paved_render::{Charts, ImageOverride};
use paved_spec::ValidApp;
use paved_spec::platform::Platform;
use paved_spec::syntax;

use crate::cli::{Global, RenderArgs};
use crate::inputs::{self, Setup};
use crate::renders::{Renders, pipelines};
use crate::target::{chosen_environments, print_stream, stdout_only};
use crate::{Failure, Outcome, report, write};

pub fn run(global: &Global, args: RenderArgs) -> Outcome {
    stdout_only(args.target.output.as_deref())?;
    let image = image_override(&args)?;
    let setup = Setup::load(global, args.report.format)?;
    let envs = chosen_environments(&setup.platform, &args.target.envs)?;
    latest_tag(&setup.platform, &image, &envs)?;
    let files = inputs::read_all(&inputs::discover(&args.paths)?, args.report.format)?;
    let apps = setup.validate_apps(files, args.report.format)?;
    report::warnings(&apps.iter().flat_map(|a| a.warnings.iter().cloned()).collect::<Vec<_>>(), args.report.format);
    warn_untagged(&apps, &image, &envs);
    warn_deprecated(&setup, &apps);
    // --locked fails before anything is written; otherwise the lock records
    // the versions after the render worked.
    if setup.is_locked() {
        setup.update_lock(&apps)?;
    }
    if args.pipelines {
        for (app, outputs) in apps.iter().zip(pipelines(&setup, &apps)?) {
            let (Some(pipeline), Some(path)) = (outputs.pipeline, inputs::pipeline_beside(app)) else { continue };
            if fs_err::read_to_string(&path).ok().as_deref() != Some(pipeline.as_str()) {
                write::file(&path, &pipeline)?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    match &args.target.out {
        Some(dir) => {
            let renders = Renders::new(&setup, &apps, &envs, &image, Charts::Build);
            // What the pipeline promoted stays, for every environment still rendered.
            let keep = renders.promoted_files();
            let per_app = output::tree_files_of_apps(&pipelines(&setup, &apps)?);
            // Each app and environment is rendered, written out and dropped.
            write::tree_with(dir, output::TREE_MARKER_TEXT, &keep, &|staging| {
                per_app.iter().try_for_each(|(path, contents)| staging.write(path, contents))?;
                renders.for_each(&|rendered| {
                    output::files_of(&rendered).iter().try_for_each(|(path, contents)| staging.write(path, contents))
                })
            })?;
        }
        None => {
            // All or nothing: the stream is printed once every render worked
            // (the objects of each batch are dropped once written out as text).
            let renders = Renders::new(&setup, &apps, &envs, &image, Charts::Skip);
            let mut stream = String::new();
            renders.in_batches(&mut |batch| {
                stream.push_str(&output::stream(&batch));
                Ok(())
            })?;
            print_stream(&stream)?;
        }
    }
    // Only a render that worked records its versions.
    setup.update_lock(&apps)
}

/// An image without tag or digest runs whatever `latest` is when a node pulls
/// it. That is legitimate for a preview (the pipeline sets the tag later), so
/// it is a warning, not an error.
fn warn_untagged(apps: &[ValidApp], image: &ImageOverride, envs: &[String]) {
    if image.tag.is_some() || image.digest.is_some() {
        return;
    }
    for app in apps {
        let untagged: Vec<&str> = app
            .environments
            .iter()
            .filter(|(env, _)| envs.contains(env))
            .filter(|(_, effective)| {
                syntax::image_ref(&effective.image).is_ok_and(|i| i.tag.is_none() && i.digest.is_none())
            })
            .map(|(env, _)| env.as_str())
            .collect();
        if !untagged.is_empty() {
            eprintln!(
                "warning: {}: `image` has no tag or digest in {}; pass `--image-tag` or `--image-digest` to pin what runs",
                app.file.name,
                untagged.join(", ")
            );
        }
    }
}

/// `--image-tag latest` deploys whatever `latest` names when a node pulls it,
/// as `latest` in an app file does: refused when a production environment is
/// rendered (exit 1), a warning otherwise. A digest given too pins the image.
fn latest_tag(platform: &Platform, image: &ImageOverride, envs: &[String]) -> Outcome {
    let Some(tag) = image.tag.as_deref().filter(|t| syntax::is_latest(t) && image.digest.is_none()) else {
        return Ok(());
    };
    let production = envs.iter().find(|e| platform.environment(e).is_some_and(|env| platform.is_production(env)));
    if let Some(env) = production {
        eprintln!(
            "error: --image-tag: {} is not a version: production environment {} would run whatever it names when a node pulls it\n\nhelp: pass the version the pipeline built, like `--image-tag 1.4.2`, or pin the image with `--image-digest`",
            quote(tag),
            quote(env)
        );
        return Err(Failure::Findings);
    }
    eprintln!(
        "warning: --image-tag: {} is not a version: {} run whatever it names when a node pulls it; pass the version the pipeline built",
        quote(tag),
        envs.iter().map(|e| quote(e)).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// A deprecated blueprint version still renders, with a warning saying why
/// and what to use instead.
fn warn_deprecated(setup: &Setup, apps: &[ValidApp]) {
    for app in apps {
        let Ok(blueprint) = setup.blueprint_of(app) else { continue };
        if let Some(message) = blueprint.publication.as_ref().and_then(|p| p.deprecated.as_ref()) {
            eprintln!("warning: {}: blueprint {} is deprecated: {message}", app.file.name, blueprint.id);
        }
    }
}

fn image_override(args: &RenderArgs) -> Result<ImageOverride, Failure> {
    if let Some(tag) = &args.image_tag {
        syntax::image_tag(tag).map_err(|p| usage("--image-tag", p))?;
    }
    if let Some(digest) = &args.image_digest {
        syntax::image_digest(digest).map_err(|p| usage("--image-digest", p))?;
    }
    Ok(ImageOverride { tag: args.image_tag.clone(), digest: args.image_digest.clone() })
}

fn usage(flag: &str, p: syntax::Problem) -> Failure {
    let hint = p.hint.map(|h| format!("\n\nhelp: {h}")).unwrap_or_default();
    Failure::Error(format!("{flag}: {}{hint}", p.message))
}
