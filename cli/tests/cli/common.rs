//! Running the `hostup` binary as a script would: a child process with its own config folder
//! (so no test ever reads or writes the real one), no inherited HostUp variables, optional
//! stdin, checked on its stdout, stderr and exit code.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use hostup_sandbox::Sandbox;
use serde_json::Value;

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and parses stdout as JSON.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, 0, "{}", self.stderr);
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        &self.stdout
    }

    /// Asserts that `text` appears in neither stream.
    pub fn never_shows(&self, text: &str) {
        assert!(!self.stdout.contains(text) && !self.stderr.contains(text), "{text:?} printed: {self:?}");
    }
}

/// A home of its own for one test: `$HOME` and `$XDG_CONFIG_HOME` point into a temporary folder.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    /// Where the contexts are stored.
    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config").join("hostup").join("config.yaml")
    }

    /// `hostup args..`, with nothing from the environment.
    pub fn hostup(&self, args: &[&str]) -> Invocation {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hostup"));
        command
            .args(args)
            .env_remove("HOSTUP_API_KEY")
            .env_remove("HOSTUP_BASE_URL")
            .env_remove("NO_COLOR")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"));
        Invocation { command, stdin: Vec::new() }
    }

    /// `hostup args..` with the sandbox's URL and key in the environment.
    pub fn against(&self, sandbox: &Sandbox, args: &[&str]) -> Invocation {
        self.hostup(args).env("HOSTUP_BASE_URL", sandbox.url()).env("HOSTUP_API_KEY", sandbox.api_key())
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// One run being prepared.
pub struct Invocation {
    pub command: Command,
    stdin: Vec<u8>,
}

impl Invocation {
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.command.env(name, value);
        self
    }

    /// What the child reads on stdin (a pipe, so not a terminal).
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = text.as_bytes().to_vec();
        self
    }

    /// Runs off the async runtime's threads so an in-process sandbox keeps serving.
    pub async fn run(self) -> Run {
        let Invocation { mut command, stdin } = self;
        tokio::task::spawn_blocking(move || {
            command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = command.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            let _ = pipe.write_all(&stdin);
            drop(pipe);
            let output = child.wait_with_output().unwrap();
            Run {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        })
        .await
        .unwrap()
    }
}

/// Reads one request's head and body from a scripted server's connection; returns its request
/// line.
pub fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).unwrap_or(0);
        data.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length || n == 0 {
                return text.lines().next().unwrap_or("").to_string();
            }
        } else if n == 0 {
            return String::new();
        }
    }
}
