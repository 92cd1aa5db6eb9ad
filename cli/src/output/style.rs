//! Colour: only on a terminal, never with `NO_COLOR` set (<https://no-color.org>).

use std::io::IsTerminal;

use console::Style;

/// Whether to colour a stream that is (or is not) a terminal.
pub fn enabled(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether to colour stdout.
pub fn stdout() -> bool {
    enabled(std::io::stdout().is_terminal())
}

/// Whether to colour stderr.
pub fn stderr() -> bool {
    enabled(std::io::stderr().is_terminal())
}

/// A table cell, green for a good state, yellow for a stopped or waiting one, red for a failure;
/// other text unchanged.
pub fn status(cell: &str) -> String {
    let style = match cell {
        "running" | "active" | "ok" | "completed" => Style::new().green(),
        "stopped" | "pending" | "queued" | "in_progress" | "starting" | "stopping" => Style::new().yellow(),
        "suspended" | "failed" | "terminated" | "cancelled" | "blocked" => Style::new().red(),
        _ => return cell.to_string(),
    };
    style.force_styling(true).apply_to(cell).to_string()
}

/// `error:` in bold red when stderr takes colour.
pub fn error_prefix() -> String {
    let style = Style::new().red().bold().force_styling(true);
    if stderr() { style.apply_to("error:").to_string() } else { "error:".into() }
}
