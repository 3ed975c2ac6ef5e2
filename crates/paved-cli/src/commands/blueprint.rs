//! `paved blueprint list | show | verify`: the catalog as the platform team sees it.

use paved_blueprint::Blueprint;

use crate::cli::{BlueprintCommand, Format, Global};
use crate::inputs::Setup;
use crate::{Failure, Outcome};

pub fn run(global: &Global, command: BlueprintCommand) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    match command {
        BlueprintCommand::List => {
            println!("{:<10} {:<9} {:<12} digest", "blueprint", "version", "status");
            for b in setup.catalog.iter() {
                println!(
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
    println!("{} ({})", b.id, status(b, setup.catalog.has_index()));
    println!();
    println!("{}", b.meta.description);
    println!();
    let list = |fields: &std::collections::BTreeSet<String>| fields.iter().cloned().collect::<Vec<_>>().join(", ");
    println!("fields:   {}", list(&b.meta.fields.supported));
    println!("requires: {}", list(&b.meta.fields.required));
    println!("autoscales: {}", if b.meta.autoscaling { "yes" } else { "no" });
    if let Some(deprecated) = b.publication.as_ref().and_then(|p| p.deprecated.as_ref()) {
        println!("deprecated: {deprecated}");
    }
    println!("digest:   {}", b.digest);
    if let Some(entry) = setup.catalog.changelog_entry(&b.meta.name, &b.meta.version) {
        println!();
        println!("{entry}");
    }
    Ok(())
}
