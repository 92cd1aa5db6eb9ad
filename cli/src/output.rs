//! What the user sees: aligned tables and `key  value` blocks on stdout, JSON for scripts, a
//! progress line on stderr while waiting.

use std::io::{IsTerminal, Write};

use hostup::{BillingModel, WaitProgress};
use serde::Serialize;

/// Columns padded to their widest cell; no trailing spaces.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i == last { c.to_string() } else { format!("{c:<w$}", w = widths[i]) })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// `key  value` lines with the keys aligned; an empty key continues the previous entry.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let lines: Vec<String> = pairs.iter().map(|(k, v)| format!("{k:<width$}  {v}")).collect();
    lines.join("\n")
}

/// Pretty JSON on stdout.
pub fn json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot write JSON: {e}"),
    }
}

/// `PAYG` or `fixed, monthly`.
pub fn billing(model: Option<BillingModel>) -> String {
    model.map_or("-".into(), |m| m.to_string())
}

/// `99.00 SEK`.
pub fn money(amount: f64, currency: &str) -> String {
    format!("{amount:.2} {currency}")
}

/// The progress of a wait on stderr: one rewritten line on a terminal, a line per poll elsewhere.
pub fn progress(p: &WaitProgress) {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let frame = FRAMES[p.polls as usize % FRAMES.len()];
    let text = format!("{frame} {} after {:.1}s (poll {})", p.status, p.elapsed.as_secs_f64(), p.polls);
    let mut err = std::io::stderr();
    let _ = if err.is_terminal() { write!(err, "\r\x1b[K{text}") } else { writeln!(err, "{text}") };
}

/// Clears the progress line, on a terminal.
pub fn end_progress() {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[K");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_leave_the_last_column_unpadded() {
        let rows =
            vec![vec!["a".into(), "long value".into(), "x".into()], vec!["bb".into(), "v".into(), "".into()]];
        assert_eq!(table(&["K", "VALUE", "Z"], &rows), "K   VALUE       Z\na   long value  x\nbb  v");
    }
}
