//! `hostup completion SHELL`: the completion script, generated from the command tree.

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::args::{Cli, Shell};

/// Prints the completion script for `shell` on stdout.
pub fn run(shell: Shell) {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    clap_complete::generate(target, &mut Cli::command(), "hostup", &mut std::io::stdout());
}
