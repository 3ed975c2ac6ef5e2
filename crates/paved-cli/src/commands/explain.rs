//! `paved explain FIELD`: a field's description, type and default.

use crate::cli::ExplainArgs;
use crate::{Failure, Outcome};

pub fn run(args: ExplainArgs) -> Outcome {
    let doc = paved_spec::explain(args.file.kind(), &args.field).map_err(|known| {
        let hint = match paved_spec::syntax::did_you_mean(
            args.field.rsplit('.').next().unwrap_or_default(),
            known.iter().map(String::as_str),
        ) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("fields here: {}", known.join(", ")),
        };
        Failure::Error(format!("unknown field `{}`\n\nhelp: {hint}", args.field))
    })?;
    let types = if doc.types.is_empty() { String::new() } else { format!(" ({})", doc.types.join(" or ")) };
    outln!("{}{types}", doc.path);
    outln!();
    outln!("{}", doc.description);
    if let Some(default) = &doc.default {
        outln!();
        outln!("default: {default}");
    }
    if !doc.allowed.is_empty() {
        outln!();
        outln!("one of: {}", doc.allowed.join(", "));
    }
    if !doc.fields.is_empty() {
        outln!();
        outln!("fields: {}", doc.fields.join(", "));
    }
    Ok(())
}
