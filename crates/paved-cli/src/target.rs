//! Which environments a rendering command renders, and where its output
//! goes: one YAML stream on stdout (`-o -`) or a file tree (`--out DIR`,
//! written by `write.rs`).

use std::io::Write;

use paved_spec::platform::Platform;
use paved_spec::syntax;

use crate::{Failure, Outcome};

/// `-o` takes only `-`: a tree goes to `--out DIR`.
pub fn stdout_only(output: Option<&str>) -> Outcome {
    match output {
        Some(o) if o != "-" => {
            Err(Failure::Error(format!("`-o {o}`: only `-o -` (stdout) is supported; use `--out DIR` for a file tree")))
        }
        _ => Ok(()),
    }
}

/// Print a YAML stream; a reader that stops early (`| head`) is not an error.
pub fn print_stream(stream: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(stream.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The environments to render, in promotion order whatever order they were asked in.
pub fn chosen_environments(platform: &Platform, wanted: &[String]) -> Result<Vec<String>, Failure> {
    let known: Vec<&str> = platform.environment_names().collect();
    for env in wanted {
        if !known.contains(&env.as_str()) {
            let hint = match syntax::did_you_mean(env, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the platform's environments are {}", known.join(", ")),
            };
            return Err(Failure::Error(format!("--env: unknown environment `{env}`\n\nhelp: {hint}")));
        }
    }
    Ok(known.into_iter().filter(|k| wanted.is_empty() || wanted.iter().any(|w| w == k)).map(str::to_owned).collect())
}
