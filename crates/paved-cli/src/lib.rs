//! The paved command line.
//!
//! [`cli`] holds the clap types; each command's handler is a module of
//! [`commands`]. Handlers return [`Outcome`]s; only [`main`] turns them into
//! exit codes: 0 success, 1 a finding (invalid input, invalid output), 2 usage,
//! I/O or internal errors. Results go to stdout, messages to stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

/// `print!` that never panics: when stdout is closed early (`paved … | head`),
/// the rest of the output is dropped instead of crashing.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `println!` that never panics (see `out!`).
macro_rules! outln {
    () => { out!("\n") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod cli;
mod commands;
mod fleet;
mod inputs;
#[cfg(test)]
mod limits_doc;
mod renders;
mod report;
mod table;
mod target;
mod write;

use std::process::ExitCode;

use clap::Parser;

pub use cli::Cli;

/// How a command ended, beyond success.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: the input or output has problems (already reported on stderr).
    Findings,
    /// Exit 2: a usage, I/O or internal error, with its message.
    Error(String),
}

/// What a handler returns.
pub type Outcome = Result<(), Failure>;

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Error(e.to_string())
    }
}

/// Where to report a bug.
const BUG_REPORTS: &str = "https://dev.azure.com/bank/platform/_workitems (area: paved)";

/// A panic is a bug in paved, never the user's fault: say so in a few lines,
/// with what to report, instead of a Rust backtrace. `main` turns it into exit 2.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: this is a bug in paved (version {}): {message}{at}", env!("CARGO_PKG_VERSION"));
        eprintln!(
            "  an output directory holds its old tree or its new one, never a mix: paved swaps a tree in only when it is written in full"
        );
        eprintln!(
            "help: please report it at {BUG_REPORTS}, with the command you ran and the files it read (or a smaller set that shows the same)"
        );
    }));
}

/// Parse the arguments, run the command, return the exit code.
pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let run = || {
        write::fault("start");
        commands::run(cli)
    };
    match std::panic::catch_unwind(run) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Failure::Findings)) => ExitCode::from(1),
        Ok(Err(Failure::Error(message))) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        // The hook has said what happened.
        Err(_) => ExitCode::from(2),
    }
}
