//! `paved blueprint …`: the catalog as the platform team sees it and changes it.
//!
//! Reading: `list` (every version with its status and digest), `show` (one
//! version's fields and changelog), `verify` (no published folder changed),
//! `render` (a version's own test cases) and `diff` (what moving between two
//! versions does to rendered output). Changing the catalog folder (never the
//! embedded catalog): `new` (copy a version to start the next), `publish`
//! (check a version, then record its digest in `index.yaml`), `deprecate` and
//! `yank`.

use std::path::{Path, PathBuf};

use paved_blueprint::index::{Index, Publication};
use paved_blueprint::{Blueprint, Catalog};
use paved_render::{Charts, diff};
use paved_spec::ValidApp;
use paved_validate::SchemaSet;

use crate::cli::{BlueprintCommand, DiffFormat, Format, Global};
use crate::inputs::{self, Setup};
use crate::renders::{pipelines, render_with};
use crate::{Failure, Outcome, write};

pub fn run(global: &Global, command: BlueprintCommand) -> Outcome {
    // Commands that change the catalog work on its folder (`--blueprints`,
    // default `blueprints/`), never on the catalog embedded in the binary.
    let writes = matches!(
        command,
        BlueprintCommand::New { .. }
            | BlueprintCommand::Publish { .. }
            | BlueprintCommand::Deprecate { .. }
            | BlueprintCommand::Yank { .. }
    );
    let folder = global.blueprints.clone().unwrap_or_else(|| PathBuf::from("blueprints"));
    if writes && !folder.is_dir() {
        return Err(Failure::Error(format!(
            "no blueprint catalog folder at `{}`; pass --blueprints DIR",
            folder.display()
        )));
    }
    let on_disk;
    let global = if writes {
        on_disk = Global { blueprints: Some(folder.clone()), ..global.clone() };
        &on_disk
    } else {
        global
    };
    let setup = Setup::load(global, Format::Human)?;
    match command {
        BlueprintCommand::List => {
            outln!("{:<10} {:<9} {:<12} digest", "blueprint", "version", "status");
            for b in setup.catalog.iter() {
                outln!(
                    "{:<10} {:<9} {:<12} {}",
                    b.meta.name,
                    b.meta.version,
                    status(b, setup.catalog.has_index()),
                    b.digest
                );
            }
            Ok(())
        }
        BlueprintCommand::Show { blueprint } => show(&setup, &blueprint),
        BlueprintCommand::New { name, from, version } => new_version(&setup, &folder, &name, &from, &version),
        BlueprintCommand::Publish { blueprint } => publish(&setup, &folder, &blueprint),
        BlueprintCommand::Deprecate { blueprint, message } => {
            mark(&setup, &folder, &blueprint, |p| p.deprecated = Some(message.clone()))
        }
        BlueprintCommand::Yank { blueprint } => mark(&setup, &folder, &blueprint, |p| p.yanked = true),
        BlueprintCommand::Render { blueprint, case, out } => {
            let b = find(&setup.catalog, &blueprint)?;
            let mut apps = setup.test_case_apps(b)?;
            if let Some(case) = &case {
                apps.retain(|a| a.file.name.ends_with(&format!("/tests/{case}/app.yaml")));
                if apps.is_empty() {
                    return Err(Failure::Error(format!("`{blueprint}` has no test case `{case}`")));
                }
            }
            let apps: Vec<ValidApp> = apps
                .into_iter()
                .map(|mut a| {
                    a.blueprint_id = b.id.clone();
                    a
                })
                .collect();
            let rendered = render_with(&setup, &apps, b, Charts::Build)?;
            match out {
                Some(dir) => {
                    let pipelines = pipelines(&setup, &apps)?;
                    write::tree(&dir, paved_render::output::tree(&rendered, &pipelines), &[])
                }
                None => {
                    out!("{}", paved_render::output::stream(&rendered));
                    Ok(())
                }
            }
        }
        BlueprintCommand::Diff { from, to, apps, format, exit_code } => {
            let (a, b) = (find(&setup.catalog, &from)?, find(&setup.catalog, &to)?);
            let apps = match apps.is_empty() {
                true => setup.test_case_apps(a)?,
                false => {
                    let all = setup
                        .validate_apps(inputs::read_all(&inputs::discover(&apps)?, Format::Human)?, Format::Human)?;
                    // Only the apps of this blueprint: a cronjob does not become an api.
                    all.into_iter().filter(|app| app.blueprint.name == a.meta.name).collect()
                }
            };
            let changes = diff::diff(
                &render_with(&setup, &apps, a, Charts::Skip)?,
                &render_with(&setup, &apps, b, Charts::Skip)?,
            );
            out!(
                "{}",
                match format {
                    DiffFormat::Text => diff::text(&changes),
                    DiffFormat::Markdown => diff::markdown(&changes),
                    DiffFormat::Json => diff::json(&changes),
                }
            );
            match exit_code && !changes.is_empty() {
                true => Err(Failure::Findings),
                false => Ok(()),
            }
        }
        BlueprintCommand::Verify => {
            if !setup.catalog.has_index() {
                return Err(Failure::Error("the catalog has no index.yaml: nothing is published".into()));
            }
            let problems = setup.catalog.verify();
            for p in &problems {
                eprintln!("error: {p}");
            }
            if problems.is_empty() {
                eprintln!("ok: every published blueprint version is as it was published");
                Ok(())
            } else {
                eprintln!(
                    "\nhelp: a published version is immutable; undo the change and make it in a new version (`paved blueprint new`)"
                );
                Err(Failure::Findings)
            }
        }
    }
}

fn status(b: &Blueprint, has_index: bool) -> &'static str {
    match (&b.publication, has_index) {
        (_, false) => "unindexed",
        (None, true) => "unpublished",
        (Some(p), _) if p.yanked => "yanked",
        (Some(p), _) if p.deprecated.is_some() => "deprecated",
        (Some(_), _) => "published",
    }
}

fn show(setup: &Setup, wanted: &str) -> Outcome {
    let (name, version) = wanted.split_once('@').unwrap_or((wanted, ""));
    let b = setup
        .catalog
        .iter()
        .filter(|b| b.meta.name == name && (version.is_empty() || b.meta.version.to_string() == version))
        .last()
        .ok_or_else(|| {
            let known: Vec<String> = setup.catalog.iter().map(|b| b.id.clone()).collect();
            Failure::Error(format!("no blueprint `{wanted}`\n\nhelp: the catalog has {}", known.join(", ")))
        })?;
    outln!("{} ({})", b.id, status(b, setup.catalog.has_index()));
    outln!();
    outln!("{}", b.meta.description);
    outln!();
    let list = |fields: &std::collections::BTreeSet<String>| fields.iter().cloned().collect::<Vec<_>>().join(", ");
    outln!("fields:   {}", list(&b.meta.fields.supported));
    outln!("requires: {}", list(&b.meta.fields.required));
    outln!("autoscales: {}", if b.meta.autoscaling { "yes" } else { "no" });
    if let Some(deprecated) = b.publication.as_ref().and_then(|p| p.deprecated.as_ref()) {
        outln!("deprecated: {deprecated}");
    }
    outln!("digest:   {}", b.digest);
    if let Some(entry) = setup.catalog.changelog_entry(&b.meta.name, &b.meta.version) {
        outln!();
        outln!("{entry}");
    }
    Ok(())
}

fn find<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Blueprint, Failure> {
    catalog.get(id).ok_or_else(|| {
        let known: Vec<String> = catalog.iter().map(|b| b.id.clone()).collect();
        Failure::Error(format!("no blueprint version `{id}`\n\nhelp: the catalog has {}", known.join(", ")))
    })
}

fn new_version(setup: &Setup, folder: &Path, name: &str, from: &str, version: &str) -> Outcome {
    let source = find(&setup.catalog, &format!("{name}@{from}"))?;
    let new: semver::Version =
        version.parse().map_err(|_| Failure::Error(format!("--version: `{version}` is not a semantic version")))?;
    if new <= source.meta.version {
        return Err(Failure::Error(format!("--version: {new} is not newer than {}", source.meta.version)));
    }
    let target = folder.join(name).join(version);
    if target.exists() {
        return Err(Failure::Error(format!("`{}` already exists", target.display())));
    }
    copy_dir(&folder.join(name).join(from), &target)?;
    let meta = target.join("blueprint.yaml");
    let text = fs_err::read_to_string(&meta)?;
    let node = paved_yaml::load_one(&text, paved_yaml::Limits::default())
        .map_err(|e| Failure::Error(format!("{}: {e}", meta.display())))?;
    let span = node
        .get("version")
        .map(|v| v.span)
        .ok_or_else(|| Failure::Error(format!("{}: no `version`", meta.display())))?;
    let old = &text[span.start.offset..span.end.offset];
    let replaced = format!("{}{}{}", &text[..span.start.offset], old.replace(from, version), &text[span.end.offset..]);
    write::file(&meta, &replaced)?;
    eprintln!(
        "created {} from {name}@{from}; add a `## {version}` entry to {} (with a `### Rendered output` section), then `paved blueprint publish {name}@{version}`",
        target.display(),
        folder.join(name).join("CHANGELOG.md").display()
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Failure> {
    fs_err::create_dir_all(to)?;
    for entry in fs_err::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs_err::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Change one published version's entry in index.yaml.
fn mark(setup: &Setup, folder: &Path, id: &str, change: impl Fn(&mut Publication)) -> Outcome {
    let blueprint = find(&setup.catalog, id)?;
    let mut index = setup.catalog.index().cloned().unwrap_or_default();
    let entry = index
        .blueprints
        .get_mut(&blueprint.meta.name)
        .and_then(|v| v.get_mut(&blueprint.meta.version))
        .ok_or_else(|| Failure::Error(format!("`{id}` is not published")))?;
    change(entry);
    write::file(&folder.join("index.yaml"), &index.to_text())?;
    eprintln!("updated {} in {}", id, folder.join("index.yaml").display());
    Ok(())
}

/// Check a version and record it in index.yaml. Refuses, listing every
/// reason, unless: every test case renders objects that pass the strict
/// schemas and the baseline; CHANGELOG.md has an entry for the version with a
/// `### Rendered output` section; and the semver rules hold against the
/// previous published version of the same major (a patch keeps the fields, a
/// minor only adds optional ones; both leave the previous version's test
/// cases rendering the same unless the entry lists the kinds that change), or,
/// for a new major, the folder holds a `migration.yaml`.
fn publish(setup: &Setup, folder: &Path, id: &str) -> Outcome {
    let blueprint = find(&setup.catalog, id)?;
    if blueprint.publication.is_some() {
        return Err(Failure::Error(format!("`{id}` is already published; a published version never changes")));
    }
    let mut refusals: Vec<String> = Vec::new();

    // 1. Every test case renders and validates.
    if blueprint.tests.is_empty() {
        refusals.push(format!("`{id}` has no test cases (tests/<case>/app.yaml)"));
    }
    let schemas =
        SchemaSet::for_version(&setup.platform.kubernetes_version).map_err(|e| Failure::Error(e.to_string()))?;
    let apps = setup.test_case_apps(blueprint)?;
    for r in render_with(setup, &apps, blueprint, Charts::Skip)? {
        for object in r.all_objects() {
            for v in schemas.validate(&object.value).into_iter().chain(paved_validate::baseline(&object.value)) {
                refusals.push(format!(
                    "test case {}/{} ({}): {} {}: {v}",
                    r.team,
                    r.app,
                    r.environment,
                    object.kind(),
                    object.name()
                ));
            }
        }
    }

    // 2. A changelog entry with a rendered-output section.
    let entry = setup.catalog.changelog_entry(&blueprint.meta.name, &blueprint.meta.version);
    let rendered_output = entry.as_deref().and_then(|e| e.split("### Rendered output").nth(1)).map(str::to_owned);
    match (&entry, &rendered_output) {
        (None, _) => refusals.push(format!("CHANGELOG.md has no `## {}` entry", blueprint.meta.version)),
        (Some(_), None) => refusals.push(format!(
            "the CHANGELOG.md entry for {} has no `### Rendered output` section",
            blueprint.meta.version
        )),
        _ => {}
    }

    // 3. Semantic versioning against the previous published version.
    let previous = setup
        .catalog
        .iter()
        .filter(|b| {
            b.meta.name == blueprint.meta.name && b.publication.is_some() && b.meta.version < blueprint.meta.version
        })
        .last();
    if let Some(previous) = previous {
        let (old, new) = (&previous.meta, &blueprint.meta);
        if new.version.major != old.version.major {
            match &blueprint.migration {
                None => refusals
                    .push(format!("a new major version needs a migration (`{}/migration.yaml`)", blueprint.folder)),
                Some(text) => {
                    let parsed = paved_yaml::load_one(text, paved_yaml::Limits::default())
                        .map_err(|e| e.message)
                        .and_then(|n| {
                            serde_json::from_value::<paved_spec::migrate::Migration>(n.to_json())
                                .map_err(|e| e.to_string())
                        });
                    if let Err(e) = parsed {
                        refusals.push(format!("`{}/migration.yaml` is not a migration: {e}", blueprint.folder));
                    }
                }
            }
        } else {
            let patch = new.version.minor == old.version.minor;
            if patch && (new.fields != old.fields || new.autoscaling != old.autoscaling) {
                refusals.push(format!("a patch version keeps the fields of {}; this one changes them", previous.id));
            }
            if !patch {
                let removed: Vec<&String> = old.fields.supported.difference(&new.fields.supported).collect();
                let required: Vec<&String> = new.fields.required.difference(&old.fields.required).collect();
                if !removed.is_empty() {
                    refusals.push(format!("a minor version only adds fields; it drops {removed:?}"));
                }
                if !required.is_empty() {
                    refusals.push(format!("a minor version only adds optional fields; it requires {required:?}"));
                }
            }
            let earlier = setup.test_case_apps(previous)?;
            let changes = diff::diff(
                &render_with(setup, &earlier, previous, Charts::Skip)?,
                &render_with(setup, &earlier, blueprint, Charts::Skip)?,
            );
            // The annotation naming the blueprint version always changes.
            let changes: Vec<_> = changes.into_iter().filter(|c| !c.only_blueprint_annotation()).collect();
            if !changes.is_empty() {
                let section = rendered_output.unwrap_or_default();
                let mut kinds: Vec<&str> = changes.iter().map(|c| c.key.kind.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                let unlisted: Vec<&&str> = kinds.iter().filter(|k| !section.contains(**k)).collect();
                if !unlisted.is_empty() {
                    refusals.push(format!(
                        "{} objects of {}'s test cases render differently ({}); list the change under `### Rendered output`, naming {}",
                        changes.len(),
                        previous.id,
                        kinds.join(", "),
                        unlisted.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
    }

    if !refusals.is_empty() {
        for r in &refusals {
            eprintln!("error: {r}");
        }
        eprintln!("\nrefused to publish {id}: {} problems", refusals.len());
        return Err(Failure::Findings);
    }
    let mut index: Index = setup.catalog.index().cloned().unwrap_or_default();
    index.blueprints.entry(blueprint.meta.name.clone()).or_default().insert(
        blueprint.meta.version.clone(),
        Publication { digest: blueprint.digest.clone(), deprecated: None, yanked: false },
    );
    write::file(&folder.join("index.yaml"), &index.to_text())?;
    eprintln!("published {id} ({})", blueprint.digest);
    Ok(())
}
