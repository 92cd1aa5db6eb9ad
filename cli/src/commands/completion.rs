//! `hostup completion SHELL`: the completion script, generated from the command tree.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::args::{Cli, Shell};

/// Prints the completion script for `shell` on stdout. Generated into memory first: clap_complete
/// panics when its writer fails, and a closed pipe (`| head`) is not worth a panic.
pub fn run(shell: Shell) {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "hostup", &mut script);
    let _ = std::io::stdout().lock().write_all(&script);
}
