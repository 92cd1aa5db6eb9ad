//! `cargo xtask man [--out DIR]`: the `hostup` manual, one page per command (`hostup.1`,
//! `hostup-vps-list.1`, ...), written by clap_mangen from the CLI's own command tree.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

/// The CLI's command line. `cli/src/args.rs` depends on clap and serde_json only, so it is read
/// here as it is instead of building the whole CLI (and the library) for the xtask.
#[path = "../../cli/src/args.rs"]
#[allow(dead_code)]
mod args;

/// Where the pages go unless `--out` says otherwise: `target/man`.
pub fn default_out() -> PathBuf {
    xtask::workspace_root().join("target").join("man")
}

/// Writes every page into `out`.
pub fn run(out: &Path) -> Result<String, Vec<String>> {
    let failed =
        |e: std::io::Error| vec![format!("cannot write the manual into {}: {e}", xtask::display(out))];
    std::fs::create_dir_all(out).map_err(failed)?;
    // clap without its `string` feature takes &'static str; the xtask exits right after.
    let command = args::Cli::command().version(xtask::cli_version()?.leak() as &str);
    clap_mangen::generate_to(command, out).map_err(failed)?;
    let pages = std::fs::read_dir(out).map_err(failed)?.count();
    Ok(format!(
        "man: {pages} pages in {} (try `man -l {}/hostup.1`)",
        xtask::display(out),
        xtask::display(out)
    ))
}
