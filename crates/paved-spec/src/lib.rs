//! The app, platform and team files: their types, JSON schemas, and validation.
//!
//! Everything a person writes goes through here before anything is rendered:
//! the file is parsed with positions ([`paved_yaml`]), checked against the JSON
//! schema generated from the types in [`app`] and [`platform`] (the same schema
//! editors use), then checked against rules a schema cannot express
//! ([`validate`]). Every problem in a file is collected, each with the file,
//! line, column, field path and a hint ([`Diagnostic`]), so a person fixes a
//! file in one pass.

pub mod app;
mod calls;
mod diagnostic;
pub mod migrate;
pub mod platform;
mod schema;
pub mod syntax;
pub mod team;
mod validate;

pub use calls::{CallReport, check_calls};
pub use diagnostic::{Diagnostic, SourceFile, display_path};
pub use schema::{FieldDoc, SchemaKind, explain, reference_markdown, schema, schema_text};
pub use validate::{
    BlueprintRules, MAX_PROBLEMS_PER_FILE, MAX_STRING_BYTES, ValidApp, validate_app, validate_platform, validate_team,
};
