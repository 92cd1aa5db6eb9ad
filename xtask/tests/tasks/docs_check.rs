//! `cargo xtask docs-check` on HostUp's documentation pages (`../shared/seeds/` beside the
//! repository) and on edited copies of them: each edit must produce exactly its drift line.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xtask::docs_check::{self, Options, Outcome, leniency};

/// Markers that tell the seed pages apart, whatever their file names.
const MD_DETAILS: &str = "## GET /api/v2/vps/{id}/details\n";
const MD_SUMMARY: &str = "## GET /api/v2/vps/{id}\n";
const PLAIN_SUMMARY: &str = "\nGET https://cloud.hostup.se/api/v2/vps/{id}\n";
const PLAIN_LEGACY: &str = "\nGET https://cloud.hostup.se/api/vm/{vmid}/details\n";
const PLAIN_CONFIG: &str = "\nPOST https://cloud.hostup.se/api/v2/vps/{id}/actions/config\n";

/// The seed directory; fails loudly when it is missing rather than passing without pages.
fn seeds_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    assert!(
        dir.is_dir(),
        "the documentation pages are missing: expected them in {} (`shared/` must sit beside the \
         repository, as on CI)",
        dir.display()
    );
    dir
}

fn seed_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(seeds_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    paths.sort();
    assert!(!paths.is_empty(), "no pages in {}", seeds_dir().display());
    paths
}

/// The text of the one seed page containing `marker`.
fn seed(marker: &str) -> String {
    let texts: Vec<String> = seed_paths()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|text| text.contains(marker))
        .collect();
    assert_eq!(texts.len(), 1, "expected exactly one seed page containing {marker:?}");
    texts.into_iter().next().unwrap()
}

/// `text` with the first `from` replaced; `from` must occur.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the seed page no longer contains {from:?}");
    text.replacen(from, to, 1)
}

/// `text` without the part from `start` up to (not including) `end`, or to the end of the text.
fn cut(text: &str, start: &str, end: Option<&str>) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("the seed page no longer contains {start:?}"));
    let to = end.map_or(text.len(), |end| from + text[from..].find(end).expect("end marker"));
    format!("{}{}", &text[..from], &text[to..])
}

fn options(pages: Vec<PathBuf>, json: bool) -> Options {
    Options { pages, spec: xtask::default_spec(), json, coverage: false, all: false }
}

/// Checks `text` written to a temporary file named `name`.
fn check_text(name: &str, text: &str, json: bool) -> Outcome {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(name);
    std::fs::write(&path, text).unwrap();
    docs_check::run(&options(vec![path], json))
}

/// The drift lines of a human report (indented lines).
fn drift_lines(outcome: &Outcome) -> Vec<String> {
    outcome.stdout.lines().filter_map(|l| l.strip_prefix("  ")).map(str::to_string).collect()
}

/// Checks an edited page and asserts it reports exactly `expected` and fails with code 1.
fn assert_drift(name: &str, text: &str, expected: &str) {
    let outcome = check_text(name, text, false);
    assert_eq!(drift_lines(&outcome), [expected], "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(outcome.stderr.is_empty(), "{}", outcome.stderr);
}

#[test]
fn every_seed_page_checks_clean_against_the_spec() {
    let pages = seed_paths();
    let outcome = docs_check::run(&options(pages.clone(), false));
    assert_eq!(outcome.code, 0, "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(drift_lines(&outcome).is_empty(), "{}", outcome.stdout);
    let clean = outcome.stdout.lines().filter(|l| l.contains("): clean")).count();
    assert_eq!(clean, pages.len(), "{}", outcome.stdout);
    for operation in ["getVpsDetails", "getVps", "getLegacyVmDetails", "changeVpsResources"] {
        assert!(
            outcome.stdout.contains(&format!(": {operation} (")),
            "{operation} not checked:\n{}",
            outcome.stdout
        );
    }
}

#[test]
fn every_leniency_is_needed_by_some_seed_page() {
    let doc = hostup_codegen::load_spec(&xtask::default_spec()).unwrap();
    let mut validators = xtask::schema::Validators::new(&doc);
    let mut used = vec![false; leniency::LENIENCIES.len()];
    for path in seed_paths() {
        let page = docs_check::read_page(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let comparison = docs_check::compare::compare(&doc, &mut validators, &page);
        for drift in &comparison.drifts {
            for (i, entry) in leniency::LENIENCIES.iter().enumerate() {
                used[i] |= leniency::matches(entry, &comparison.operation, drift);
            }
        }
    }
    let unused: Vec<_> =
        leniency::LENIENCIES.iter().zip(used).filter(|(_, used)| !used).map(|(l, _)| l).collect();
    assert!(unused.is_empty(), "leniencies no seed page needs (remove them): {unused:#?}");
}

#[test]
fn a_field_added_to_a_markdown_page_is_missing_from_the_spec() {
    let page = edit(
        &seed(MD_DETAILS),
        "- `billing.isPayg` (boolean, required) Example: `false`\n",
        "- `billing.isPayg` (boolean, required) Example: `false`\n\
         - `billing.periodYears` (integer,null, optional) Example: `1`\n",
    );
    assert_drift("details.md", &page, "response 200 field billing.periodYears: missing from spec");
}

#[test]
fn a_field_added_to_a_plain_text_page_is_missing_from_the_spec() {
    let page = edit(
        &seed(PLAIN_SUMMARY),
        "bandwidth.hasOverage boolean required · Example: false\n",
        "bandwidth.hasOverage boolean required · Example: false\n\
         bandwidth.usagePercent number required · Example: 1.25\n",
    );
    assert_drift("summary.txt", &page, "response 200 field bandwidth.usagePercent: missing from spec");
}

#[test]
fn an_enum_value_added_to_a_markdown_page_is_missing_from_the_spec() {
    let page = edit(
        &seed(MD_DETAILS),
        "Allowed values: active, pending, suspended, terminated, cancelled, unknown\n",
        "Allowed values: active, pending, suspended, terminated, cancelled, unknown, paused\n",
    );
    assert_drift(
        "details.md",
        &page,
        r#"response 200 field serviceStatus: enum values on page, not in spec: "paused""#,
    );
}

#[test]
fn an_enum_value_added_to_a_plain_text_page_is_missing_from_the_spec() {
    let page = edit(&seed(PLAIN_CONFIG), "annually\nbiennially\n", "annually\nbiennially\nweekly\n");
    assert_drift(
        "config.txt",
        &page,
        r#"request field billingCycle: enum values on page, not in spec: "weekly""#,
    );
}

#[test]
fn a_field_turned_nullable_on_a_markdown_page() {
    let page = edit(
        &seed(MD_DETAILS),
        "- `billing.amount` (number, required)",
        "- `billing.amount` (number,null, required)",
    );
    assert_drift(
        "details.md",
        &page,
        "response 200 field billing.amount: nullable differs: page nullable, spec not nullable",
    );
}

#[test]
fn a_field_turned_nullable_on_a_plain_text_page() {
    let page = edit(
        &seed(PLAIN_SUMMARY),
        "\nbilling.amount number required",
        "\nbilling.amount numbernull required",
    );
    assert_drift(
        "summary.txt",
        &page,
        "response 200 field billing.amount: nullable differs: page nullable, spec not nullable",
    );
}

#[test]
fn a_status_removed_from_a_markdown_page_is_in_the_spec_only() {
    let page = cut(&seed(MD_DETAILS), "#### 500 - ", None);
    assert_drift("details.md", &page, "status 500: in spec, not on page");
}

#[test]
fn a_status_removed_from_a_plain_text_page_is_in_the_spec_only() {
    let page = cut(&seed(PLAIN_CONFIG), "\n500 Internal error.", Some(PLAIN_CONFIG));
    assert_drift("config.txt", &page, "status 500: in spec, not on page");
}

#[test]
fn a_status_added_to_a_page_is_missing_from_the_spec() {
    // 409: a status the legacy routes do not send (the spec declares their 400 and 404).
    let page = edit(&seed(PLAIN_LEGACY), "\n429\n", "\n409\nerror string\nmessage string\n429\n");
    assert_drift("legacy.txt", &page, "status 409: on page, not in spec");
}

#[test]
fn a_type_changed_on_a_plain_text_page() {
    let page = edit(
        &seed(PLAIN_CONFIG),
        "\npriceChange.amount number required",
        "\npriceChange.amount string required",
    );
    assert_drift(
        "config.txt",
        &page,
        "response 200 field priceChange.amount: type differs: page string, spec number",
    );
}

#[test]
fn a_type_changed_on_a_markdown_page() {
    let page = edit(
        &seed(MD_SUMMARY),
        "- `billing.periodYears` (integer,null",
        "- `billing.periodYears` (boolean,null",
    );
    assert_drift(
        "summary.md",
        &page,
        "response 200 field billing.periodYears: type differs: page boolean, spec integer",
    );
}

#[test]
fn a_required_field_turned_optional() {
    let page = edit(&seed(PLAIN_CONFIG), "\nresources object required", "\nresources object");
    assert_drift(
        "config.txt",
        &page,
        "request field resources: required differs: page optional, spec required",
    );
}

#[test]
fn an_example_that_no_longer_validates() {
    let page = edit(&seed(MD_SUMMARY), "\"amount\": 99,", "\"amount\": \"99\",");
    assert_drift(
        "summary.md",
        &page,
        r#"response 200 example: /billing/amount: "99" is not of type "number""#,
    );
}

#[test]
fn a_field_example_that_no_longer_validates() {
    let page = edit(
        &seed(PLAIN_SUMMARY),
        "serviceStatus string · enum · Example: active",
        "serviceStatus string · enum · Example: asleep",
    );
    let outcome = check_text("summary.txt", &page, false);
    let lines = drift_lines(&outcome);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("response 200 field serviceStatus: example asleep does not validate: "),
        "{lines:?}"
    );
}

#[test]
fn an_example_key_the_spec_does_not_declare() {
    let page = edit(
        &seed(PLAIN_LEGACY),
        "\"vm_status\": \"string\",",
        "\"vm_status\": \"string\",\n    \"region\": \"string\",",
    );
    assert_drift("legacy.txt", &page, "response 200 example field data.region: missing from spec");
}

#[test]
fn scope_and_auth_changes() {
    let page = edit(&seed(PLAIN_CONFIG), "Required API scope: write:vm", "Required API scope: write:billing");
    assert_drift("config.txt", &page, "scope: page write:billing, spec write:vm");
    let page = edit(
        &seed(MD_DETAILS),
        "-H \"Authorization: Bearer YOUR_API_KEY\"",
        "-H \"X-API-Key: YOUR_API_KEY\"",
    );
    let page = edit(&page, "- `Authorization`: Bearer YOUR_API_KEY", "- `X-API-Key`: YOUR_API_KEY");
    assert_drift("details.md", &page, "auth: page api-key, spec bearer");
}

#[test]
fn json_output_has_one_object_per_drift() {
    let page = edit(
        &seed(MD_DETAILS),
        "- `billing.amount` (number, required)",
        "- `billing.amount` (string, required)",
    );
    let outcome = check_text("details.md", &page, true);
    assert_eq!(outcome.code, 1);
    let drifts: Value = serde_json::from_str(&outcome.stdout).expect("JSON output");
    let drifts = drifts.as_array().unwrap();
    assert_eq!(drifts.len(), 1, "{drifts:#?}");
    let drift = &drifts[0];
    assert_eq!(drift["operation"], "getVpsDetails");
    assert_eq!(drift["kind"], "type");
    assert_eq!(drift["location"], "response 200");
    assert_eq!(drift["path"], "billing.amount");
    assert_eq!(drift["page_value"], "string");
    assert_eq!(drift["spec_value"], "number");
    assert_eq!(drift["lenient"], Value::Null);
}

#[test]
fn coverage_is_a_markdown_table_with_a_row_per_page() {
    let pages = seed_paths();
    let outcome = docs_check::run(&Options { coverage: true, ..options(pages.clone(), false) });
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "| operation | fields documented | documented fields in the spec | fields in the spec |"
    );
    // Every documented field of the seed pages is in the spec.
    for row in &lines[2..] {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], cells[3], "{row}");
    }
    assert_eq!(lines.len(), 2 + pages.len(), "{}", outcome.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("| getVpsDetails (GET /api/v2/vps/{id}/details, markdown) | "))
    );
}

#[test]
fn a_page_that_is_not_an_endpoint_page_is_a_clear_error() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/not-an-endpoint.md");
    let outcome = docs_check::run(&options(vec![readme], false));
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(outcome.stderr.contains("not-an-endpoint.md: not a HostUp endpoint page"), "{}", outcome.stderr);

    let outcome = check_text("empty.md", "", false);
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(outcome.stderr.contains("empty.md: the file is empty"), "{}", outcome.stderr);
}

#[test]
fn the_command_exits_1_on_drift_and_2_on_a_non_endpoint_page() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("details.md");
    std::fs::write(&page, cut(&seed(MD_DETAILS), "#### 500 - ", None)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("docs-check").arg(&page).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("\n  status 500: in spec, not on page\n"), "{stdout}");

    let readme = xtask::workspace_root().join("README.md");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("docs-check").arg(&readme).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a HostUp endpoint page"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
