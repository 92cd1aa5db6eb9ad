//! Aligned text: tables with a header line and `key  value` blocks.

use super::style;

/// Columns padded to their widest cell, two spaces apart, no trailing spaces; status words
/// coloured when `color` is set (after padding, so escapes never skew the widths).
pub fn table(headers: Option<&[String]>, rows: &[Vec<String>], color: bool) -> String {
    let columns = headers.map_or_else(|| rows.first().map_or(0, Vec::len), <[String]>::len);
    let mut widths = vec![0; columns];
    for row in headers.into_iter().chain(rows.iter().map(Vec::as_slice)) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String], paint: bool| {
        let last = cells.len().saturating_sub(1);
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = if i == last { 0 } else { widths[i].saturating_sub(cell.chars().count()) };
                let text = if paint { style::status(cell) } else { cell.clone() };
                format!("{text}{}", " ".repeat(pad))
            })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut lines: Vec<String> = headers.map(|h| line(h, false)).into_iter().collect();
    lines.extend(rows.iter().map(|row| line(row, color)));
    lines.join("\n")
}

/// `key  value` lines with the keys aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let lines: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{k:<width$}  {v}").trim_end().to_string()).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn tables_align_and_leave_the_last_column_unpadded() {
        let rows = vec![strings(&["a", "long value", "x"]), strings(&["bb", "v", ""])];
        let headers = strings(&["K", "VALUE", "Z"]);
        assert_eq!(table(Some(&headers), &rows, false), "K   VALUE       Z\na   long value  x\nbb  v");
        assert_eq!(table(None, &rows, false), "a   long value  x\nbb  v");
    }

    #[test]
    fn colour_does_not_change_the_alignment() {
        let rows = vec![strings(&["running", "x"]), strings(&["stopped", "y"])];
        let painted = table(None, &rows, true);
        assert!(painted.contains('\x1b'));
        let plain: String = console::strip_ansi_codes(&painted).into_owned();
        assert_eq!(plain, table(None, &rows, false));
    }
}
