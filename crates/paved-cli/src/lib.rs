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
mod inputs;
mod report;
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

/// Parse the arguments, run the command, return the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::Error(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
