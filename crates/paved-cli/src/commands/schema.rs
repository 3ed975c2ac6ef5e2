//! `paved schema`: print the JSON schema generated from the types.

use crate::Outcome;
use crate::cli::SchemaArgs;

pub fn run(args: SchemaArgs) -> Outcome {
    if args.markdown {
        out!("{}", paved_spec::reference_markdown(args.file.kind()));
    } else {
        out!("{}", paved_spec::schema_text(args.file.kind()));
    }
    Ok(())
}
