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
    let command = args::Cli::command().version(cli_version()?.leak() as &str);
    clap_mangen::generate_to(command, out).map_err(failed)?;
    let pages = std::fs::read_dir(out).map_err(failed)?.count();
    Ok(format!(
        "man: {pages} pages in {} (try `man -l {}/hostup.1`)",
        xtask::display(out),
        xtask::display(out)
    ))
}

/// The CLI's version, as cargo resolves it (this file is compiled into the xtask, whose own
/// `CARGO_PKG_VERSION` is another).
fn cli_version() -> Result<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1"])
        .current_dir(xtask::workspace_root())
        .output()
        .map_err(|e| vec![format!("cannot run cargo metadata: {e}")])?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| vec![format!("cargo metadata did not answer JSON: {e}")])?;
    let packages = metadata["packages"].as_array().into_iter().flatten();
    packages
        .filter(|p| p["name"] == "hostup-cli")
        .find_map(|p| p["version"].as_str().map(String::from))
        .ok_or_else(|| vec!["cargo metadata lists no hostup-cli".to_string()])
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_gets_a_page() {
        let out = tempfile::tempdir().unwrap();
        super::run(out.path()).unwrap();
        let main = std::fs::read_to_string(out.path().join("hostup.1")).unwrap();
        assert!(main.starts_with(".ie") || main.contains(".TH hostup"), "{}", &main[..200.min(main.len())]);
        assert!(main.contains("Exit codes") && main.contains("HOSTUP_API_KEY"));
        assert!(main.contains(&format!("hostup {}", super::cli_version().unwrap())), "the CLI's version");
        for page in
            ["hostup-vps-list.1", "hostup-context-create.1", "hostup-completion.1", "hostup-vps-stop.1"]
        {
            assert!(out.path().join(page).exists(), "{page}");
        }
    }
}
