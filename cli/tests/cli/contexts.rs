//! Contexts: created from stdin, listed by fingerprint, switched, taken in the documented order,
//! refused when others can read them; the key is never printed.

use std::os::unix::fs::PermissionsExt;

use hostup_sandbox::{Sandbox, fleet};

use crate::common::{Home, Run};

const WRONG_KEY: &str = "hu_wrong_key_aaaaaaaaaaaaaaaaaaaaaaaa";

async fn create(home: &Home, name: &str, key: &str, url: &str) -> Run {
    home.hostup(&["context", "create", name, "--url", url]).stdin(&format!("{key}\n")).run().await
}

#[tokio::test]
async fn create_stores_the_key_owner_only_and_list_shows_only_a_fingerprint() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let key = sandbox.api_key();
    let created = create(&home, "dev", key, sandbox.url()).await;
    created.ok();
    created.never_shows(key);
    assert!(created.stderr.contains("sha256:"), "{}", created.stderr);

    let file = home.config_file();
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(file.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    assert!(std::fs::read_to_string(&file).unwrap().contains(key), "the key is stored");

    let table = home.hostup(&["context", "list"]).run().await;
    table.never_shows(key);
    let row = table.ok().lines().nth(1).unwrap().to_string();
    assert!(row.starts_with("*") && row.contains("dev") && row.contains(sandbox.url()), "{row}");
    let listed = home.hostup(&["context", "list", "-o", "json"]).run().await;
    listed.never_shows(key);
    let listed = listed.json();
    assert_eq!(listed[0]["name"], "dev");
    assert_eq!(listed[0]["active"], true);
    assert!(listed[0]["keyFingerprint"].as_str().unwrap().starts_with("sha256:"));

    let again = create(&home, "dev", key, sandbox.url()).await;
    assert_eq!(again.code, 2, "an existing context is not overwritten: {}", again.stderr);
    let empty = home.hostup(&["context", "create", "none"]).stdin("\n").run().await;
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    let bad_url = create(&home, "plain", key, "http://example.com").await;
    assert_eq!(bad_url.code, 2, "plain http to a remote host is refused: {}", bad_url.stderr);
}

#[tokio::test]
async fn the_active_context_is_used_and_use_switches_it() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    create(&home, "good", sandbox.api_key(), sandbox.url()).await.ok();
    create(&home, "bad", WRONG_KEY, sandbox.url()).await.ok();
    let refused = home.hostup(&["vps", "list"]).run().await;
    assert_eq!(refused.code, 1, "the last created is active, and its key is wrong: {}", refused.stderr);
    assert!(refused.stderr.contains("401"), "{}", refused.stderr);

    home.hostup(&["context", "use", "good"]).run().await.ok();
    let listed = home.hostup(&["vps", "list"]).run().await;
    assert!(listed.ok().contains(fleet::PAYG_CLOUD));
    listed.never_shows(sandbox.api_key());
    let unknown = home.hostup(&["context", "use", "nope"]).run().await;
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("known: bad, good"), "{}", unknown.stderr);

    home.hostup(&["context", "delete", "good"]).run().await.ok();
    let gone = home.hostup(&["vps", "list"]).run().await;
    assert_eq!(gone.code, 2, "deleting the active context leaves none active: {}", gone.stderr);
    assert!(gone.stderr.contains("no API key"), "{}", gone.stderr);
}

#[tokio::test]
async fn flags_beat_the_environment_which_beats_the_active_context() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    create(&home, "good", sandbox.api_key(), sandbox.url()).await.ok();
    create(&home, "bad", WRONG_KEY, sandbox.url()).await.ok();
    let list = |args: &[&str]| home.hostup(&[&["vps", "list"][..], args].concat());

    let env_wins = list(&[]).env("HOSTUP_API_KEY", sandbox.api_key()).env("HOSTUP_BASE_URL", sandbox.url());
    env_wins.run().await.ok();
    let flag_wins = list(&["--context", "good"]).env("HOSTUP_API_KEY", WRONG_KEY).run().await;
    flag_wins.ok();
    let flag_picks_bad = list(&["--context", "bad"]).env("HOSTUP_API_KEY", sandbox.api_key()).run().await;
    assert_eq!(flag_picks_bad.code, 1, "{}", flag_picks_bad.stderr);

    let url_flag_wins = list(&["--context", "good", "--base-url", "http://127.0.0.1:9"]).run().await;
    assert_eq!(url_flag_wins.code, 5, "--base-url beats the context's URL: {}", url_flag_wins.stderr);
    home.hostup(&["context", "use", "good"]).run().await.ok();
    let env_url_wins = list(&[]).env("HOSTUP_BASE_URL", "http://127.0.0.1:9").run().await;
    assert_eq!(
        env_url_wins.code, 5,
        "HOSTUP_BASE_URL beats the active context's URL: {}",
        env_url_wins.stderr
    );
    let unknown = list(&["--context", "nope"]).run().await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    for run in [&flag_picks_bad, &url_flag_wins, &env_url_wins, &unknown] {
        run.never_shows(sandbox.api_key());
        run.never_shows(WRONG_KEY);
    }
}

#[tokio::test]
async fn a_file_others_can_read_is_refused() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    create(&home, "dev", sandbox.api_key(), sandbox.url()).await.ok();
    let file = home.config_file();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [&["vps", "list"][..], &["context", "list"], &["context", "use", "dev"]] {
        let run = home.hostup(args).run().await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("mode 644") && run.stderr.contains("chmod 600"), "{}", run.stderr);
        run.never_shows(sandbox.api_key());
    }
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    home.hostup(&["vps", "list"]).run().await.ok();

    std::fs::write(&file, "contexts: [1, 2").unwrap();
    let broken = home.hostup(&["context", "list"]).run().await;
    assert_eq!(broken.code, 2, "{}", broken.stderr);
    assert!(broken.stderr.contains("not a valid context file"), "{}", broken.stderr);
    assert!(home.path().exists());
}

#[tokio::test]
async fn a_context_can_point_at_hostup_sandbox_serve() {
    use std::io::BufRead;
    let home = Home::new();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["sandbox", "serve", "--quiet"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap()).read_line(&mut url).unwrap();
    let url = url.trim();
    create(&home, "local", hostup_sandbox::DEFAULT_API_KEY, url).await.ok();
    let listed = home.hostup(&["vps", "list", "-o", "json"]).run().await;
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(listed.json().as_array().map(Vec::len), Some(fleet::ALL.len()));
    listed.never_shows(hostup_sandbox::DEFAULT_API_KEY);
}
