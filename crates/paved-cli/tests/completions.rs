//! `paved completions SHELL` through the real binary: each shell's script
//! knows every subcommand, including the `blueprint` subcommands. The names
//! come from the clap types, so a new command is checked without editing this
//! test.

use assert_cmd::Command;
use clap::CommandFactory;

/// Every subcommand name, nested ones too (`blueprint publish` gives `blueprint` and `publish`).
fn subcommands(command: &clap::Command) -> Vec<String> {
    let mut names = Vec::new();
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        names.push(sub.get_name().to_owned());
        names.extend(subcommands(sub));
    }
    names
}

/// Whether `word` stands in `script` as a word of its own (`new`, not only inside `renew`).
fn mentions(script: &str, word: &str) -> bool {
    let part_of_a_name = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
    script.match_indices(word).any(|(at, _)| {
        !part_of_a_name(script[..at].chars().next_back()) && !part_of_a_name(script[at + word.len()..].chars().next())
    })
}

#[test]
fn each_shells_script_mentions_every_subcommand() {
    let names = subcommands(&paved_cli::Cli::command());
    for expected in ["render", "landing-zone", "completions", "blueprint", "publish", "yank", "diff"] {
        assert!(names.iter().any(|n| n == expected), "`{expected}` is not a subcommand: {names:?}");
    }
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out =
            Command::cargo_bin("paved").expect("paved binary").args(["completions", shell]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(script.contains("paved"), "{shell}: the script does not name paved");
        let missing: Vec<&String> = names.iter().filter(|name| !mentions(&script, name)).collect();
        assert!(missing.is_empty(), "{shell}: the script does not mention {missing:?}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::cargo_bin("paved").expect("paved binary").args(["completions", "tcsh"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bash") && stderr.contains("powershell"), "the error lists the shells:\n{stderr}");
}
