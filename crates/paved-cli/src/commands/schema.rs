//! `paved schema`: print the JSON schema generated from the types.

use paved_spec::SchemaKind;

use crate::Outcome;
use crate::cli::{SchemaArgs, SchemaFile};

pub fn kind(file: SchemaFile) -> SchemaKind {
    match file {
        SchemaFile::App => SchemaKind::App,
        SchemaFile::Platform => SchemaKind::Platform,
        SchemaFile::Team => SchemaKind::Team,
    }
}

pub fn run(args: SchemaArgs) -> Outcome {
    if args.markdown {
        out!("{}", paved_spec::reference_markdown(kind(args.file)));
    } else {
        out!("{}", paved_spec::schema_text(kind(args.file)));
    }
    Ok(())
}
