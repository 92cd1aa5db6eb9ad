//! On a terminal (a pseudo-terminal here): the confirmation question answered yes and no, the
//! typed name for irreversible commands (a commit, a restore), the key prompt, colour and the
//! progress bar.

use std::process::Command;
use std::time::Duration;

use hostup::types::PowerState;
use hostup_sandbox::{Sandbox, fleet};
use rexpect::process::wait::WaitStatus;
use rexpect::session::PtySession;

use crate::common::Home;

/// Runs `command` on a pseudo-terminal (stdin, stdout and stderr), lets `talk` answer it, and
/// returns the exit code and everything it printed.
async fn on_terminal(command: Command, talk: impl FnOnce(&mut PtySession) + Send + 'static) -> (i32, String) {
    tokio::task::spawn_blocking(move || {
        let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
        talk(&mut session);
        let rest = session.exp_eof().unwrap();
        let code = match session.process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!("not exited: {other:?}"),
        };
        (code, rest)
    })
    .await
    .unwrap()
}

async fn power_state(sandbox: &Sandbox, id: &str) -> Option<PowerState> {
    sandbox.client().get_vps_details().id(id).send().await.unwrap().into_inner().power_state
}

#[tokio::test]
async fn stop_asks_and_does_nothing_unless_the_answer_is_yes() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let stop = || home.against(&sandbox, &["vps", "stop", id]).command;
    let (code, said) = on_terminal(stop(), |s| {
        s.exp_string("Continue? [y/N]").unwrap();
        s.send_line("n").unwrap();
    })
    .await;
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("not confirmed"), "{said}");
    assert_eq!(power_state(&sandbox, id).await, Some(PowerState::Running), "nothing was sent");

    let (code, said) = on_terminal(stop(), |s| {
        s.exp_string("About to stop").unwrap();
        s.exp_string("unsaved data is lost").unwrap();
        s.send_line("y").unwrap();
    })
    .await;
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("accepted"), "{said}");

    let refused = home.against(&sandbox, &["vps", "reset", fleet::ANNUAL_SEK]).run().await;
    assert_eq!(refused.code, 2, "without a terminal: {}", refused.stderr);
    assert!(refused.stderr.contains("add --yes"), "{}", refused.stderr);
    assert_eq!(power_state(&sandbox, fleet::ANNUAL_SEK).await, Some(PowerState::Running));
}

#[tokio::test]
async fn commit_needs_the_name_or_id_typed() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let name = sandbox.client().get_vps().id(id).send().await.unwrap().into_inner().name.unwrap();
    let commit = || home.against(&sandbox, &["vps", "commit", id, "--set", "bandwidthGb=4096"]).command;
    let limit = |sandbox: &Sandbox| {
        let client = sandbox.client();
        async move { client.get_vps_details().id(id).send().await.unwrap().into_inner().bandwidth.limit_gb }
    };
    let before = limit(&sandbox).await;

    let (code, said) = on_terminal(commit(), |s| {
        s.exp_string("cannot be taken back").unwrap();
        s.exp_string("to confirm:").unwrap();
        s.send_line("y").unwrap();
    })
    .await;
    assert_eq!(code, 2, "y is not enough: {said}");
    assert_eq!(limit(&sandbox).await, before, "not committed");

    let typed = name.clone();
    let (code, said) = on_terminal(commit(), move |s| {
        s.exp_string(&format!("Type {id} or {typed} to confirm:")).unwrap();
        s.send_line(&typed).unwrap();
    })
    .await;
    assert_eq!(code, 0, "{said}");
    assert_eq!(limit(&sandbox).await, 4096.0);

    let refused = home.against(&sandbox, &["vps", "commit", id, "--set", "bandwidthGb=2048"]).run().await;
    assert_eq!(refused.code, 2, "without a terminal: {}", refused.stderr);
    assert_eq!(limit(&sandbox).await, 4096.0);
}

#[tokio::test]
async fn the_key_prompt_the_colours_and_the_progress_bar() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(1500)).start().await;
    let home = Home::new();
    let key = sandbox.api_key().to_string();
    let create = home.hostup(&["context", "create", "tty", "--url", sandbox.url()]).command;
    let typed = key.clone();
    let (code, said) = on_terminal(create, move |s| {
        s.exp_string("API key for \"tty\":").unwrap();
        s.send_line(&typed).unwrap();
    })
    .await;
    assert_eq!(code, 0, "{said}");
    assert!(!said.contains(&key), "{said}");

    let (code, coloured) = on_terminal(home.hostup(&["vps", "list"]).command, |_| {}).await;
    assert_eq!(code, 0, "{coloured}");
    assert!(coloured.contains("\x1b[32mrunning"), "colour on a terminal: {coloured:?}");
    let plain = home.hostup(&["vps", "list"]).env("NO_COLOR", "1").command;
    let (code, plain) = on_terminal(plain, |_| {}).await;
    assert_eq!(code, 0);
    assert!(!plain.contains('\x1b'), "never with NO_COLOR: {plain:?}");

    let wait = home.hostup(&["vps", "restart", fleet::MONTHLY_SEK, "--wait"]).command;
    let (code, drawn) = on_terminal(wait, |_| {}).await;
    assert_eq!(code, 0, "{drawn}");
    assert!(drawn.contains(&format!("restart of {}", fleet::MONTHLY_SEK)), "{drawn:?}");
    assert!(drawn.contains("s]"), "elapsed time: {drawn:?}");
    assert!(!drawn.contains("(poll 1)\r\n"), "a bar, not lines: {drawn:?}");
}

#[tokio::test]
async fn recovery_commands_ask_on_a_terminal_a_restore_needs_the_id_typed() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::PAYG_CLOUD;
    home.against(&sandbox, &["vps", "snapshot", "create", id, "before", "--wait"]).run().await.ok();
    let restore = || home.against(&sandbox, &["vps", "snapshot", "restore", id, "before"]).command;
    let (code, said) = on_terminal(restore(), move |s| {
        s.exp_string("its disk").unwrap();
        s.exp_string(&format!("Type {id} to confirm:")).unwrap();
        s.send_line("y").unwrap();
    })
    .await;
    assert_eq!(code, 2, "y is not enough for a restore: {said}");
    assert!(said.contains("not confirmed"), "{said}");
    let (code, said) = on_terminal(restore(), move |s| {
        s.exp_string("to confirm:").unwrap();
        s.send_line(id).unwrap();
    })
    .await;
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("snapshot restore"), "{said}");

    let backups =
        sandbox.client().list_vps_backups().id(fleet::ANNUAL_SEK).send().await.unwrap().into_inner();
    let backup = backups.backups[0].id.clone();
    let delete = || home.against(&sandbox, &["vps", "backup", "delete", fleet::ANNUAL_SEK, &backup]).command;
    let (code, said) = on_terminal(delete(), |s| {
        s.exp_string("Continue? [y/N]").unwrap();
        s.send_line("n").unwrap();
    })
    .await;
    assert_eq!(code, 2, "{said}");
    let listed = |sandbox: &Sandbox| {
        let client = sandbox.client();
        async move {
            client.list_vps_backups().id(fleet::ANNUAL_SEK).send().await.unwrap().into_inner().backups.len()
        }
    };
    assert_eq!(listed(&sandbox).await, backups.backups.len(), "nothing was deleted");
    let (code, said) = on_terminal(delete(), |s| {
        s.exp_string("Continue? [y/N]").unwrap();
        s.send_line("y").unwrap();
    })
    .await;
    assert_eq!(code, 0, "{said}");
    assert_eq!(listed(&sandbox).await, backups.backups.len() - 1);
}
