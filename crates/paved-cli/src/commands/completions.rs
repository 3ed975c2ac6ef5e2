//! `paved completions SHELL`: a script that completes paved's commands,
//! subcommands and options in bash, zsh, fish or PowerShell, generated from
//! the clap types, so it always knows every command of this binary.

use clap::CommandFactory;
use clap_complete::Shell as Generator;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::target::print_stream;
use crate::{Failure, Outcome};

pub fn run(args: CompletionsArgs) -> Outcome {
    let generator = match args.shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::Powershell => Generator::PowerShell,
    };
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut command, "paved", &mut script);
    let script = String::from_utf8(script)
        .map_err(|_| Failure::Error("the completion script is not UTF-8; this is a bug in paved".into()))?;
    print_stream(&script)
}
