//! Completion scripts for each shell, generated from the command tree.

use crate::common::Home;

#[tokio::test]
async fn completions_for_every_shell() {
    let home = Home::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef hostup"),
        ("fish", "complete -c hostup"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = home.hostup(&["completion", shell]).run().await;
        let script = run.ok();
        assert!(script.contains(marker), "{shell}: {}", &script[..script.len().min(300)]);
        for word in ["context", "vps", "all-matching", "no-header"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let bash = home.hostup(&["completion", "bash"]).run().await;
    let path = home.path().join("hostup.bash");
    std::fs::write(&path, &bash.stdout).unwrap();
    if let Ok(status) = std::process::Command::new("bash").arg("-n").arg(&path).status() {
        assert!(status.success(), "bash accepts the script");
    }
    let unknown = home.hostup(&["completion", "tcsh"]).run().await;
    assert_eq!(unknown.code, 2);
}

/// `hostup completion bash | head -1`: the reader leaves after a line; the script is larger than a
/// pipe holds, so the writer meets a closed pipe and must end quietly, not panic.
#[test]
fn a_closed_pipe_ends_the_script_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let home = Home::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["completion", "bash"])
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}
