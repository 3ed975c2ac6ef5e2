//! The blueprint catalog.
//!
//! A blueprint version is a folder `blueprints/<name>/<version>/` holding
//! `blueprint.yaml` (what the blueprint is, which app fields it supports and
//! requires, its defaults), `templates/*.j2` (one output each) and
//! `tests/<case>/app.yaml` (example apps whose output is snapshot-tested).
//!
//! The catalog is embedded in the binary, so a given paved build always
//! renders the same way; `--blueprints DIR` loads a checked-out catalog
//! instead. Both go through [`Catalog::from_files`], so they cannot drift apart.
//! Each version folder is self-contained (no shared partials between
//! versions): a published version must never change because another did.

mod catalog;
pub mod index;
pub mod lock;
mod meta;
pub mod outdated;

pub use catalog::{Blueprint, Catalog, CatalogError, TestCase};
pub use meta::{BlueprintMeta, Defaults, FieldLists};
