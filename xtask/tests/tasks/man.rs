//! `cargo xtask man`: one page per command of the CLI, written by the xtask binary.

use std::process::Command;

#[test]
fn every_command_gets_a_page() {
    let out = tempfile::tempdir().unwrap();
    let run =
        Command::new(env!("CARGO_BIN_EXE_xtask")).arg("man").arg("--out").arg(out.path()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let main = std::fs::read_to_string(out.path().join("hostup.1")).unwrap();
    assert!(main.starts_with(".ie") || main.contains(".TH hostup"), "{}", &main[..200.min(main.len())]);
    assert!(main.contains("Exit codes") && main.contains("HOSTUP_API_KEY"));
    assert!(main.contains(&format!("hostup {}", xtask::cli_version().unwrap())), "the CLI's version");
    for page in ["hostup-vps-list.1", "hostup-context-create.1", "hostup-completion.1", "hostup-vps-stop.1"] {
        assert!(out.path().join(page).exists(), "{page}");
    }
}
