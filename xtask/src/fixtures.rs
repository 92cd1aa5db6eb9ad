//! `cargo xtask fixtures`: the spec's operation examples, written out as one JSON file each.
//!
//! The spec is the source: `openapi/examples/` is regenerated from it and never edited by hand.
//! File names say where an example comes from, and so which schema it must satisfy:
//!
//! - `<operationId>.<status>.json` — a response's `example`;
//! - `<operationId>.<status>.<name>.json` — a response's named `examples`;
//! - `<operationId>.request.json` — a request body's `example`;
//! - `<operationId>.request.<name>.json` — a request body's named `examples`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use serde_yaml_ng::Value as Yaml;

use crate::spec::{self, Operation};

/// The file-name segment used for request bodies.
const REQUEST: &str = "request";

/// Where one fixture file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureSource {
    /// File name inside the examples directory.
    pub file_name: String,
    /// JSON pointer to the example value in the spec.
    pub example: String,
}

/// Every fixture the spec produces, sorted by file name. An operation without an operationId, or
/// two examples mapping to one file name, is an error.
pub fn sources(doc: &Value) -> Result<Vec<FixtureSource>, Vec<String>> {
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for op in spec::operations(doc) {
        let Some(id) = op.id().filter(|id| !id.is_empty()) else {
            problems.push(format!(
                "{}: {} has no operationId to name its fixtures",
                spec::location(&op.pointer),
                op.label()
            ));
            continue;
        };
        for (kind, owner_pointer, owner) in owners(&op) {
            let Ok((pointer, owner)) = spec::deref(doc, owner_pointer, owner) else {
                continue;
            };
            for (media_pointer, media) in json_media_types(&pointer, owner) {
                let mut found = Vec::new();
                if media.get("example").is_some() {
                    found.push((format!("{id}.{kind}.json"), format!("{media_pointer}/example")));
                }
                for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten()
                {
                    let at = spec::join(&spec::join(&media_pointer, "examples"), name);
                    let Ok((resolved, example)) = spec::deref(doc, at, example) else {
                        continue;
                    };
                    if example.get("value").is_some() {
                        found.push((format!("{id}.{kind}.{name}.json"), format!("{resolved}/value")));
                    }
                }
                for (file_name, example) in found {
                    if file_name.contains(['/', '\\']) || file_name.starts_with('.') {
                        problems.push(format!(
                            "{}: `{file_name}` is not a usable file name",
                            spec::location(&example)
                        ));
                    } else if let Some(first) = by_name.get(&file_name) {
                        problems.push(format!(
                            "{}: the example at {} already produces {file_name}",
                            spec::location(&example),
                            spec::location(first)
                        ));
                    } else {
                        by_name.insert(file_name, example);
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(by_name.into_iter().map(|(file_name, example)| FixtureSource { file_name, example }).collect())
}

/// The request body and responses of an operation: `(file-name segment, pointer, object)`.
fn owners<'a>(op: &Operation<'a>) -> Vec<(String, String, &'a Value)> {
    let mut out = Vec::new();
    if let Some(body) = op.value.get("requestBody") {
        out.push((REQUEST.to_string(), format!("{}/requestBody", op.pointer), body));
    }
    let responses = op.value.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        let pointer = spec::join(&format!("{}/responses", op.pointer), status);
        out.push((status.clone(), pointer, response));
    }
    out
}

/// The JSON media types of a request body or response, with their pointers.
fn json_media_types<'a>(pointer: &str, owner: &'a Value) -> Vec<(String, &'a Value)> {
    let content = owner.get("content").and_then(Value::as_object);
    content
        .into_iter()
        .flatten()
        .filter(|(media_type, _)| spec::is_json_media_type(media_type))
        .map(|(media_type, media)| (spec::join(&format!("{pointer}/content"), media_type), media))
        .collect()
}

/// The schema (a JSON pointer into the spec) that the fixture `file_name` must satisfy, read from
/// its name: the operation, then `request` or the response status.
pub fn schema_for(doc: &Value, file_name: &str) -> Result<String, String> {
    let stem = file_name.strip_suffix(".json").ok_or("a fixture must be a .json file")?;
    let operations = spec::operations(doc);
    let op = operations
        .iter()
        .filter(|op| op.id().is_some_and(|id| stem.strip_prefix(id).is_some_and(|r| r.starts_with('.'))))
        .max_by_key(|op| op.id().map_or(0, str::len))
        .ok_or_else(|| format!("`{stem}` does not start with an operationId of the spec"))?;
    let id = op.id().unwrap_or_default();
    let kind = stem[id.len() + 1..].split('.').next().unwrap_or_default();
    let (owner_pointer, owner) = if kind == REQUEST {
        let body = op.value.get("requestBody").ok_or_else(|| format!("{id} has no request body"))?;
        (format!("{}/requestBody", op.pointer), body)
    } else {
        let response = op
            .value
            .get("responses")
            .and_then(|r| r.get(kind))
            .ok_or_else(|| format!("{id} has no `{kind}` response"))?;
        let pointer = spec::join(&format!("{}/responses", op.pointer), kind);
        (pointer, response)
    };
    let (pointer, owner) = spec::deref(doc, owner_pointer, owner)?;
    json_media_types(&pointer, owner)
        .into_iter()
        .find(|(_, media)| media.get("schema").is_some())
        .map(|(media_pointer, _)| format!("{media_pointer}/schema"))
        .ok_or_else(|| format!("{id} `{kind}` has no JSON media type with a schema"))
}

/// Looks up a JSON pointer in a YAML value, which keeps the document's key order.
fn yaml_pointer<'a>(root: &'a Yaml, pointer: &str) -> Option<&'a Yaml> {
    let mut node = root;
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        while let Yaml::Tagged(tagged) = node {
            node = &tagged.value;
        }
        node = match node {
            Yaml::Mapping(map) => map.iter().find_map(|(k, v)| {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    _ => return None,
                };
                (key == token).then_some(v)
            })?,
            Yaml::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Renders the value at `pointer` as pretty JSON (2-space indent, keys in the spec's order,
/// trailing newline).
pub fn render(yaml: &Yaml, pointer: &str) -> Result<String, String> {
    let value = yaml_pointer(yaml, pointer)
        .ok_or_else(|| format!("{} not found in the YAML", spec::location(pointer)))?;
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| format!("{} is not representable as JSON: {e}", spec::location(pointer)))?;
    text.push('\n');
    Ok(text)
}

/// Every fixture the spec at `spec_path` produces: file name → (example pointer, contents).
pub fn expected(spec_path: &Path) -> Result<BTreeMap<String, (String, String)>, Vec<String>> {
    let file = crate::display(spec_path);
    let prefix = |problems: Vec<String>| -> Vec<String> {
        problems.into_iter().map(|p| format!("{file}: {p}")).collect()
    };
    let doc = hostup_codegen::load_spec(spec_path).map_err(|e| vec![e])?;
    let text = std::fs::read_to_string(spec_path).map_err(|e| vec![format!("cannot read {file}: {e}")])?;
    let yaml: Yaml =
        serde_yaml_ng::from_str(&text).map_err(|e| vec![format!("{file} is not valid YAML: {e}")])?;
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for source in sources(&doc).map_err(prefix)? {
        match render(&yaml, &source.example) {
            Ok(contents) => {
                out.insert(source.file_name, (source.example, contents));
            }
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(prefix(problems)) }
}

/// The `.json` files currently in `dir` (none if it does not exist), sorted.
pub fn existing(dir: &Path) -> Result<Vec<String>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot list {}: {e}", crate::display(dir))),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", crate::display(dir)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// `cargo xtask fixtures [--check]`: writes (or with `check`, only compares) the fixtures of the
/// spec at `spec_path` into `dir`, removing `.json` files the spec no longer produces. Returns a
/// summary line, or one message per missing, stale or different file.
pub fn run(spec_path: &Path, dir: &Path, check: bool) -> Result<String, Vec<String>> {
    let expected = expected(spec_path)?;
    let existing = existing(dir).map_err(|e| vec![e])?;
    let shown = crate::display(dir);
    let hint = "run `cargo xtask fixtures`";
    let mut problems = Vec::new();
    let (mut written, mut removed) = (0, 0);
    for (name, (example, contents)) in &expected {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        if check {
            problems.push(match current {
                None => format!("{shown}/{name}: missing; {hint}"),
                Some(current) => format!(
                    "{shown}/{name}: differs from the spec example at {} (first at line {}); {hint}",
                    spec::location(example),
                    first_difference(&current, contents)
                ),
            });
            continue;
        }
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, contents))
            .map_err(|e| vec![format!("cannot write {shown}/{name}: {e}")])?;
        written += 1;
    }
    for name in existing.iter().filter(|n| !expected.contains_key(*n)) {
        if check {
            problems.push(format!("{shown}/{name}: stale, the spec has no example for it; {hint}"));
            continue;
        }
        std::fs::remove_file(dir.join(name))
            .map_err(|e| vec![format!("cannot remove {shown}/{name}: {e}")])?;
        removed += 1;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(if check {
        format!("fixtures: {} files in {shown} match the spec", expected.len())
    } else {
        format!("fixtures: {} files in {shown} ({written} written, {removed} removed)", expected.len())
    })
}

/// 1-based line number of the first line where two texts differ.
fn first_difference(a: &str, b: &str) -> usize {
    let mut a_lines = a.lines();
    let mut b_lines = b.lines();
    let mut line = 1;
    while let (Some(x), Some(y)) = (a_lines.next(), b_lines.next()) {
        if x != y {
            return line;
        }
        line += 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {"/a/{id}": {"post": {
                "operationId": "doIt",
                "requestBody": {"content": {"application/json": {
                    "schema": {"type": "object"},
                    "examples": {"small": {"summary": "s", "value": {"z": 1, "a": 2}}}
                }}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object"}, "example": {}}}},
                    "4XX": {"$ref": "#/components/responses/Bad"}
                }
            }}},
            "components": {"responses": {"Bad": {"content": {"application/problem+json": {
                "schema": {"type": "object"}, "example": {"code": "x"}
            }}}}}
        })
    }

    #[test]
    fn names_follow_the_convention() {
        let names: Vec<_> = sources(&doc()).unwrap().into_iter().map(|s| s.file_name).collect();
        assert_eq!(names, ["doIt.200.json", "doIt.4XX.json", "doIt.request.small.json"]);
    }

    #[test]
    fn names_map_back_to_schemas() {
        let media = "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema";
        assert_eq!(schema_for(&doc(), "doIt.request.small.json").unwrap(), media);
        assert_eq!(
            schema_for(&doc(), "doIt.4XX.json").unwrap(),
            "/components/responses/Bad/content/application~1problem+json/schema"
        );
        assert!(schema_for(&doc(), "other.200.json").is_err());
        assert!(schema_for(&doc(), "doIt.201.json").is_err());
    }

    #[test]
    fn rendering_keeps_yaml_key_order() {
        let yaml: Yaml = serde_yaml_ng::from_str("a:\n  200:\n    z: 1\n    a: [x, 2.5]\n").unwrap();
        assert_eq!(
            render(&yaml, "/a/200").unwrap(),
            "{\n  \"z\": 1,\n  \"a\": [\n    \"x\",\n    2.5\n  ]\n}\n"
        );
    }
}
