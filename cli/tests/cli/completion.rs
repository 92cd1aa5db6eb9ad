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
