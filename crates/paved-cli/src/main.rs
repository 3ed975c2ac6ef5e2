//! The `paved` binary: all behaviour lives in the `paved_cli` library.

use std::process::ExitCode;

fn main() -> ExitCode {
    paved_cli::main()
}
