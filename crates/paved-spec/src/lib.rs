//! The app, platform and team files: their types, JSON schemas, and validation.
//!
//! Everything a person writes goes through here before anything is rendered:
//! the file is parsed with positions ([`paved_yaml`]), checked against the JSON
//! schema generated from the types in [`app`] and [`platform`] (the same schema
//! editors use), then checked against rules a schema cannot express
//! ([`validate_app`], [`validate_platform`], [`validate_team`]; the value
//! checks are [`syntax`]). Every problem in a file is collected, each with the
//! file, line, column, field path and a hint ([`Diagnostic`]), so a person
//! fixes a file in one pass. Rules about a set of files together (an app
//! defined twice, an app without its team file, a team described twice, both
//! ends of every call) come after, on the valid files ([`duplicate_apps`],
//! [`check_teams`], [`validate_teams`], [`check_calls`]). The bounds on what
//! people write are in [`limits`].

pub mod app;
mod calls;
mod diagnostic;
pub mod limits;
pub mod migrate;
pub mod platform;
mod schema;
mod set;
pub mod syntax;
pub mod team;
mod validate;

pub use calls::{CallReport, check_calls};
pub use diagnostic::{Diagnostic, SourceFile, display_path};
pub use limits::{MAX_PROBLEMS_PER_FILE, MAX_STRING_BYTES};
pub use schema::{FieldDoc, SchemaKind, explain, reference_markdown, schema, schema_text};
pub use set::{check_teams, duplicate_apps, validate_teams};
pub use validate::{BlueprintRules, LaterVersion, ValidApp, validate_app, validate_platform, validate_team};
