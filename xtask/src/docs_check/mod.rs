//! `cargo xtask docs-check PAGE...`: compares HostUp's endpoint documentation pages with the spec
//! and reports drift.
//!
//! A page is read into a [`model::PageModel`] by [`extract`] (markdown) or [`plain`] (plain
//! text), compared with the spec's operation for the same method and path by [`compare`] (the spec
//! side resolved by [`shape`]), and every difference ([`drift`]) not listed in [`leniency`] is
//! drift; [`report`] renders the result. Exit codes: 0 clean, 1 drift, 2 a page
//! that cannot be checked (unreadable, empty, not an endpoint page), a spec that does not load, or
//! bad arguments.

pub mod compare;
pub mod drift;
pub mod extract;
pub mod leniency;
pub mod model;
pub mod plain;
pub mod report;
pub mod shape;

use std::path::{Path, PathBuf};

use crate::schema::Validators;
use model::PageModel;
use report::PageResult;

/// What to check and how to report.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The page files.
    pub pages: Vec<PathBuf>,
    /// The spec.
    pub spec: PathBuf,
    /// Print a JSON array of drift objects instead of the human report.
    pub json: bool,
    /// Print the coverage table instead of the human report.
    pub coverage: bool,
    /// Also list the deliberate differences, with their reasons.
    pub all: bool,
}

/// What a run prints and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// 0 clean, 1 drift, 2 error.
    pub code: u8,
}

/// Reads a page in either rendering. The error says why the text is not an endpoint page.
pub fn read_page(text: &str) -> Result<PageModel, String> {
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let markdown = extract::extract(text);
    if markdown.is_ok() {
        return markdown;
    }
    plain::extract(text).map_err(|_| {
        "not a HostUp endpoint page: it has neither a `## METHOD /path` heading (markdown rendering) nor a \
         `METHOD https://host/path` line (plain-text rendering)"
            .to_string()
    })
}

/// Checks every page against the spec. Pages that cannot be read are reported on standard
/// error; the others are still checked.
pub fn run(options: &Options) -> Outcome {
    let mut stderr = String::new();
    if options.pages.is_empty() {
        return Outcome { stdout: String::new(), stderr: "docs-check: no PAGE given\n".into(), code: 2 };
    }
    let doc = match hostup_codegen::load_spec(&options.spec) {
        Ok(doc) => doc,
        Err(e) => {
            let stderr = format!("docs-check: {}: {e}\n", crate::display(&options.spec));
            return Outcome { stdout: String::new(), stderr, code: 2 };
        }
    };
    let mut validators = Validators::new(&doc);
    let mut results = Vec::new();
    for path in &options.pages {
        match load(path) {
            Ok(page) => results.push(PageResult {
                file: file_name(path),
                rendering: page.rendering,
                comparison: compare::compare(&doc, &mut validators, &page),
            }),
            Err(e) => stderr.push_str(&format!("docs-check: {}: {e}\n", path.display())),
        }
    }
    let stdout = if options.json {
        report::json(&results, options.all)
    } else if options.coverage {
        report::coverage(&results)
    } else {
        report::human(&results, options.all)
    };
    let drift = results.iter().any(|r| r.comparison.real().next().is_some());
    let code = if !stderr.is_empty() { 2 } else { u8::from(drift) };
    Outcome { stdout, stderr, code }
}

fn load(path: &Path) -> Result<PageModel, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    read_page(&text)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
