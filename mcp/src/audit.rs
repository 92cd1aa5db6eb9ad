//! The write log: one JSON line per quote issued and per commit (committed or refused), on stderr
//! or in a file, with the arguments the spec marks `x-hostup-secret` redacted. Tokens are logged by
//! a short prefix only.

use std::io::Write;
use std::sync::Mutex;

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Where writes are logged.
pub struct Audit {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl Audit {
    /// A log written to `sink` (stderr, a file).
    pub fn new(sink: Box<dyn Write + Send>) -> Self {
        Audit { sink: Mutex::new(sink) }
    }

    /// One event: `quote`, `commit` or `refused`, for `tool`, with its arguments (the `secrets`
    /// among them shown as `[redacted]`) and outcome.
    pub fn record(
        &self,
        event: &str,
        tool: &str,
        token: Option<&str>,
        arguments: &Value,
        secrets: &[String],
        outcome: Value,
    ) {
        let mut arguments = arguments.clone();
        for name in secrets {
            hostup::redact::redact_pointers(&mut arguments, &[&format!("/{name}")]);
        }
        let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let token = token.map(|t| t.chars().take(11).collect::<String>() + "…");
        let line = json!({
            "at": at, "event": event, "tool": tool, "token": token, "arguments": arguments, "outcome": outcome,
        });
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        // A log that cannot be written must not turn a committed change into a failure.
        let _ = writeln!(sink, "{line}").and_then(|()| sink.flush());
    }
}
