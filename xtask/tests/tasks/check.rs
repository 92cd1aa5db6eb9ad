//! `cargo xtask check` on the real spec, on broken fixtures and on broken specs.

use std::process::Command;

use crate::common::*;
use serde_json::{Value, json};

const DETAILS: &str = "getVpsDetails.200.json";

fn check(spec: &std::path::Path, examples: &std::path::Path) -> Result<String, Vec<String>> {
    xtask::check::run(spec, examples)
}

#[test]
fn real_spec_and_committed_fixtures_pass() {
    let summary = check(&xtask::default_spec(), &xtask::default_examples())
        .unwrap_or_else(|f| panic!("check failed:\n{}", f.join("\n")));
    assert!(summary.starts_with("check: ok"), "{summary}");
}

#[test]
fn every_fixture_generated_from_the_spec_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("examples");
    xtask::fixtures::run(&xtask::default_spec(), &dir, false).unwrap();
    let count = std::fs::read_dir(&dir).unwrap().count();
    assert!(count > 0, "the spec produced no fixtures");
    let summary =
        check(&xtask::default_spec(), &dir).unwrap_or_else(|f| panic!("check failed:\n{}", f.join("\n")));
    assert!(summary.contains(&format!("{count} fixtures")), "{summary}");
}

/// Edits the getVpsDetails 200 fixture in a temp copy and runs the check.
fn check_edited_details(edit: impl FnOnce(&mut Value)) -> Result<String, Vec<String>> {
    let (_tmp, dir) = copy_examples();
    let path = dir.join(DETAILS);
    let mut fixture = read_json(&path);
    edit(&mut fixture);
    write_json(&path, &fixture);
    check(&xtask::default_spec(), &dir)
}

#[test]
fn wrong_type_fails_naming_file_pointer_and_reason() {
    let failures = check_edited_details(|f| f["billing"]["amount"] = json!("99")).unwrap_err();
    assert_reported(&failures, &[DETAILS, ": /billing/amount: ", r#""99" is not of type "number""#]);
    assert_eq!(failures.len(), 1, "{failures:?}");
}

#[test]
fn every_failure_is_reported() {
    let failures = check_edited_details(|f| {
        f["billing"]["amount"] = json!("99");
        f["bandwidth"]["usedGb"] = json!(true);
        f.as_object_mut().unwrap().remove("pinned");
    })
    .unwrap_err();
    assert_reported(&failures, &[DETAILS, "/billing/amount"]);
    assert_reported(&failures, &[DETAILS, "/bandwidth/usedGb", "is not of type"]);
    assert_reported(&failures, &[DETAILS, "\"pinned\" is a required property"]);
}

#[test]
fn null_passes_for_a_nullable_field() {
    check_edited_details(|f| f["powerState"] = Value::Null)
        .unwrap_or_else(|f| panic!("null powerState rejected:\n{}", f.join("\n")));
    check_edited_details(|f| f["operatingSystem"] = Value::Null)
        .unwrap_or_else(|f| panic!("null operatingSystem rejected:\n{}", f.join("\n")));
}

#[test]
fn null_fails_for_a_non_nullable_field() {
    let failures = check_edited_details(|f| f["id"] = Value::Null).unwrap_err();
    assert_reported(&failures, &[DETAILS, ": /id: ", "null is not of type \"string\""]);
}

#[test]
fn nullable_enum_still_rejects_unknown_values() {
    let failures = check_edited_details(|f| f["powerState"] = json!("melting")).unwrap_err();
    assert_reported(&failures, &[DETAILS, ": /powerState: ", "\"melting\""]);
}

#[test]
fn fixture_without_a_matching_operation_fails() {
    let (_tmp, dir) = copy_examples();
    std::fs::write(dir.join("noSuchOperation.200.json"), "{}").unwrap();
    let failures = check(&xtask::default_spec(), &dir).unwrap_err();
    assert_reported(&failures, &["noSuchOperation.200.json", "operationId"]);
}

#[test]
fn broken_embedded_example_fails_naming_its_location() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    schemas["VpsBilling"]["properties"]["amount"]["example"] = json!("lots");
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    assert_reported(
        &failures,
        &[
            "spec.yaml#/components/schemas/VpsBilling/properties/amount/example: /: ",
            "\"lots\" is not of type \"number\"",
        ],
    );
}

/// Points the first `$ref` found under `value` at a schema that does not exist.
fn break_first_ref(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get_mut("$ref") {
                *reference = json!("#/components/schemas/DoesNotExist");
                return true;
            }
            map.values_mut().any(break_first_ref)
        }
        Value::Array(items) => items.iter_mut().any(break_first_ref),
        _ => false,
    }
}

#[test]
fn dangling_ref_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    assert!(break_first_ref(&mut spec["paths"]), "the spec has no $ref");
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    assert_reported(
        &failures,
        &["spec.yaml: #/paths/", "#/components/schemas/DoesNotExist", "does not resolve"],
    );
}

#[test]
fn operation_without_operation_id_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    let first = operations_mut(&mut spec).remove(0);
    first.as_object_mut().unwrap().remove("operationId").unwrap();
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    assert_reported(&failures, &["spec.yaml: #/paths/", "has no operationId"]);
}

#[test]
fn duplicate_operation_id_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    let mut ops = operations_mut(&mut spec);
    assert!(ops.len() >= 2, "need two operations");
    let id = ops[0]["operationId"].clone();
    ops[1]["operationId"] = id.clone();
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    let id = id.as_str().unwrap();
    assert_reported(&failures, &[&format!("operationId `{id}`"), "already used"]);
}

#[test]
fn undeclared_path_parameter_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    spec["paths"]["/api/v2/things/{thingId}"] = json!({"get": {
        "operationId": "getThing",
        "responses": {"204": {"description": "No content."}}
    }});
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    assert_reported(&failures, &["path parameter `thingId`", "not declared"]);
}

#[test]
fn openapi_3_1_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = load_spec();
    spec["openapi"] = json!("3.1.0");
    let path = write_spec(tmp.path(), &spec);
    let failures = check(&path, &xtask::default_examples()).unwrap_err();
    assert_reported(&failures, &["#/openapi", "3.1.0", "not 3.0.x"]);
}

#[test]
fn binary_exits_non_zero_and_prints_every_failure() {
    let (_tmp, dir) = copy_examples();
    let path = dir.join(DETAILS);
    let mut fixture = read_json(&path);
    fixture["billing"]["amount"] = json!("99");
    fixture["id"] = Value::Null;
    write_json(&path, &fixture);
    let output =
        Command::new(env!("CARGO_BIN_EXE_xtask")).arg("check").arg("--examples").arg(&dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains(r#"/billing/amount: "99" is not of type "number""#), "{stderr}");
    assert!(stderr.contains(": /id: null is not of type"), "{stderr}");

    let ok = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(stdout.starts_with("check: ok"), "{stdout}");
}
