//! Reads the plain-text rendering of an endpoint page (the text of the HTML page).
//!
//! Layout: a title and description; `Required API scope: …`; sections on lines of their own
//! (`Path Parameters`, `Query Parameters`, `Headers`, `Body`, `Responses`); then the route line
//! `METHOD https://host/path`, a `cURL` example, `Response` with the first success status's JSON
//! and optional `Request Body <title>` JSON examples.
//!
//! A field (or parameter) line is `name type[null][ · flags…][ · Example: value]`, where the type
//! has nullability glued on (`stringnull`) and flags are `required`, `enum`, `min: N`. After an
//! `enum` field, single-word lines are its values; an empty-string value cannot be shown in this
//! rendering. Any other line (descriptions) is skipped. In `Responses`, a line starting with a
//! status code opens that status.

use serde_json::Value;

use super::model::{self, Field, PageModel, Param, Rendering, RequestExample};

/// One parsed field or parameter line.
#[derive(Debug, PartialEq)]
struct Line {
    name: String,
    ty: String,
    nullable: bool,
    required: bool,
    is_enum: bool,
    min: Option<f64>,
    example: Option<String>,
}

/// Where the lines being read belong.
#[derive(Debug, Clone, PartialEq)]
enum Section {
    Other,
    Params(&'static str),
    Body,
    Responses(Option<String>),
}

/// Extracts the page model from a plain-text page. Fails when the page has no
/// `METHOD https://host/path` line, i.e. is not an endpoint page.
pub fn extract(text: &str) -> Result<PageModel, String> {
    let lines = lines_with_offsets(text);
    let route_at = lines
        .iter()
        .position(|(_, line)| line.contains("://") && model::route(line).is_some())
        .ok_or("no `METHOD https://host/path` line")?;
    let (method, path) = model::route(lines[route_at].1).ok_or("unreadable route line")?;
    let mut model = PageModel::new(Rendering::PlainText, &method, &path);
    let section_auth = read_sections(&mut model, &lines[..route_at]);
    read_trailer(&mut model, text, &lines[route_at + 1..]);
    model.auth = model.auth.or(section_auth);
    Ok(model)
}

fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end())
        })
        .collect()
}

/// Reads everything above the route line. Returns the authentication the prose names, if any.
fn read_sections(model: &mut PageModel, lines: &[(usize, &str)]) -> Option<model::Auth> {
    let mut section = Section::Other;
    let mut auth = None;
    // The list and index of the last field read, while it is an `enum` field taking values.
    let mut open_enum: Option<usize> = None;
    for (_, line) in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(next) = section_header(line) {
            if next == Section::Body {
                model.request_body_required = Some(false);
            }
            section = next;
            open_enum = None;
            continue;
        }
        if let Some(scopes) = line.strip_prefix("Required API scope:") {
            model.scope = model::scopes(scopes);
            continue;
        }
        if section == Section::Other {
            auth = auth.or(model::auth_in(line));
            continue;
        }
        if let (Section::Responses(_), Some(status)) = (&section, status_code(line)) {
            model.responses.entry(status.clone()).or_default();
            section = Section::Responses(Some(status));
            open_enum = None;
            continue;
        }
        if section == Section::Body && line == "required" && model.request_fields.is_empty() {
            model.request_body_required = Some(true);
            continue;
        }
        match parse_line(line) {
            Ok(Some(parsed)) => open_enum = add(model, &section, parsed, line),
            // A single word after an `enum` field is one of its values; other lines are prose.
            Ok(None) if !line.contains(char::is_whitespace) => {
                let values =
                    open_enum.and_then(|at| fields_of(model, &section)?.get_mut(at)?.enum_values.as_mut());
                if let Some(values) = values {
                    values.push(line.to_string());
                }
            }
            Ok(None) => {}
            Err(e) => model.unparsed.push(format!("{line}: {e}")),
        }
    }
    auth
}

fn section_header(line: &str) -> Option<Section> {
    Some(match line {
        "Authentication" | "Context" | "Headers" => Section::Other,
        "Path Parameters" => Section::Params("path"),
        "Query Parameters" => Section::Params("query"),
        "Header Parameters" => Section::Params("header"),
        "Body" => Section::Body,
        "Responses" => Section::Responses(None),
        _ => return None,
    })
}

/// `200`, or `404 Not found…`: the status code.
fn status_code(line: &str) -> Option<String> {
    let code = line.split(' ').next()?;
    let number: u16 = code.parse().ok()?;
    (code.len() == 3 && (100..600).contains(&number)).then(|| code.to_string())
}

/// The field list a section's lines go into.
fn fields_of<'m>(model: &'m mut PageModel, section: &Section) -> Option<&'m mut Vec<Field>> {
    match section {
        Section::Body => Some(&mut model.request_fields),
        Section::Responses(Some(status)) => {
            Some(&mut model.responses.entry(status.clone()).or_default().fields)
        }
        _ => None,
    }
}

/// Records a parsed line where the section says; returns its index when it opens an enum list.
fn add(model: &mut PageModel, section: &Section, line: Line, text: &str) -> Option<usize> {
    if let Section::Params(location) = section {
        model.params.push(Param {
            name: line.name,
            location: location.to_string(),
            ty: line.ty,
            required: line.required,
            min: line.min,
            example: line.example,
        });
        return None;
    }
    let is_enum = line.is_enum;
    let field = Field {
        path: line.name,
        ty: line.ty,
        nullable: line.nullable,
        required: line.required,
        enum_values: is_enum.then(Vec::new),
        example: line.example,
    };
    let Some(fields) = fields_of(model, section) else {
        model.unparsed.push(format!("{text}: a field outside any status"));
        return None;
    };
    fields.push(field);
    is_enum.then(|| fields.len() - 1)
}

/// Parses a field or parameter line. `Ok(None)` when the line is not shaped like one (prose);
/// an error when it is (a field path, then a type word) but carries a flag this reader does not
/// know.
fn parse_line(line: &str) -> Result<Option<Line>, String> {
    let (head, example) = split_example(line);
    let mut words = head.split_whitespace().filter(|w| *w != "·");
    let (Some(name), Some(ty)) = (words.next(), words.next()) else {
        return Ok(None);
    };
    let (Some((ty, nullable)), true) = (model::glued_type(ty), model::is_field_path(name)) else {
        return Ok(None);
    };
    let mut parsed =
        Line { name: name.to_string(), ty, nullable, required: false, is_enum: false, min: None, example };
    while let Some(word) = words.next() {
        match word {
            "required" => parsed.required = true,
            "enum" => parsed.is_enum = true,
            "min:" | "max:" => {
                let bound = words.next().and_then(|n| n.parse::<f64>().ok());
                let bound = bound.ok_or_else(|| format!("`{word}` without a number"))?;
                if word == "min:" {
                    parsed.min = Some(bound);
                }
            }
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    Ok(Some(parsed))
}

/// Splits off `· Example: value` (fields), ` Example: value` (parameters) or a bare trailing
/// `Example` (a parameter whose example is not shown).
fn split_example(line: &str) -> (&str, Option<String>) {
    for marker in [" · Example: ", " Example: "] {
        if let Some((head, example)) = line.split_once(marker) {
            return (head, Some(example.trim().to_string()));
        }
    }
    for marker in [" · Example", " Example"] {
        if let Some(head) = line.strip_suffix(marker) {
            return (head, None);
        }
    }
    (line, None)
}

/// Reads the lines after the route: the cURL example and the JSON examples.
fn read_trailer(model: &mut PageModel, text: &str, lines: &[(usize, &str)]) {
    let mut curl = String::new();
    let mut in_curl = false;
    let mut i = 0;
    while i < lines.len() {
        let (_, line) = lines[i];
        i += 1;
        let title = line.trim().strip_prefix("Request Body").map(str::trim);
        if line.trim() != "Response" && title.is_none() {
            if line.trim() == "cURL" {
                in_curl = true;
            } else if in_curl {
                curl.push_str(line);
                curl.push('\n');
            }
            continue;
        }
        in_curl = false;
        let start = lines.get(i).map_or(text.len(), |(offset, _)| *offset);
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        let value = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                model.unparsed.push(format!("{}: JSON example does not parse: {e}", line.trim()));
                continue;
            }
            None => continue,
        };
        let end = start + stream.byte_offset();
        while i < lines.len() && lines[i].0 < end {
            i += 1;
        }
        match title {
            Some(title) => model.request_examples.push(RequestExample { title: title.to_string(), value }),
            None => match model.primary_status() {
                Some(status) => model.responses.entry(status).or_default().example = Some(value),
                None => model.unparsed.push("a Response example without any status".into()),
            },
        }
    }
    model.auth = model::auth_in(&curl);
    if let Some(value) = model::curl_body(&curl)
        && !model.request_examples.iter().any(|e| e.value == value)
    {
        model.request_examples.push(RequestExample { title: "cURL".into(), value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs_check::model::Auth;
    use serde_json::json;

    const PAGE: &str = "\
Get VPS details

Return one VPS.

Authentication

Required API scope: read:vm

Use Authorization: Bearer <token> for API keys.

Path Parameters

vmid integer · min: 1 required Example

Unique vmid identifier

Headers

Accept Example

Body

required
application/json
resources object required · Example: {\"bandwidthGb\":4096}

Option keys.

dryRun boolean · Example: true
Responses

200 VPS details.
primaryIp stringnull · Example: 192.0.2.10
serviceStatus string · enum · Example: active
active
fraud
billing.billingCycle stringnull · enum required · Example: annually

Canonical billing cycle. Use `isPayg`.

monthly
free
billing.periodYears integernull · Example: 1
usageLog array<object>
404
error string
GET https://cloud.hostup.se/api/vm/{vmid}/details
For AI assistants
cURL
curl -X GET \"https://cloud.hostup.se/api/vm/10415/details\" \\
  -H \"X-API-Key: YOUR_API_KEY\"
Response
{
  \"primaryIp\": null
}
Request Body Preview
{\"dryRun\": true}
";

    #[test]
    fn reads_route_scope_params_body_and_statuses() {
        let page = extract(PAGE).unwrap();
        assert!(page.unparsed.is_empty(), "{:?}", page.unparsed);
        assert_eq!((page.method.as_str(), page.path.as_str()), ("GET", "/api/vm/{vmid}/details"));
        assert_eq!(page.scope, ["read:vm"]);
        assert_eq!(page.auth, Some(Auth::ApiKey), "the cURL example wins over the prose");
        let vmid = &page.params[0];
        assert_eq!(
            (vmid.name.as_str(), vmid.location.as_str(), vmid.ty.as_str()),
            ("vmid", "path", "integer")
        );
        assert_eq!((vmid.required, vmid.min, vmid.example.as_deref()), (true, Some(1.0), None));
        assert_eq!(page.request_body_required, Some(true));
        let request: Vec<_> = page.request_fields.iter().map(|f| (f.path.as_str(), f.required)).collect();
        assert_eq!(request, [("resources", true), ("dryRun", false)]);
        assert_eq!(page.request_fields[0].example.as_deref(), Some("{\"bandwidthGb\":4096}"));
        assert_eq!(
            page.request_examples,
            [RequestExample { title: "Preview".into(), value: json!({"dryRun": true}) }]
        );

        let ok = &page.responses["200"];
        let primary = &ok.fields[0];
        assert_eq!((primary.ty.as_str(), primary.nullable, primary.required), ("string", true, false));
        assert_eq!(ok.fields[1].enum_values.as_deref(), Some(&["active".to_string(), "fraud".into()][..]));
        let cycle = &ok.fields[2];
        assert!(cycle.nullable && cycle.required);
        assert_eq!(cycle.enum_values.as_deref(), Some(&["monthly".to_string(), "free".into()][..]));
        assert_eq!(ok.fields[3].enum_values, None);
        assert_eq!(ok.fields[4].ty, "array<object>");
        assert_eq!(ok.example, Some(json!({"primaryIp": null})));
        assert_eq!(page.responses["404"].fields[0].path, "error");
    }

    #[test]
    fn field_lines() {
        let line = parse_line("billing.amount number required · Example: 199").unwrap().unwrap();
        assert_eq!((line.name.as_str(), line.ty.as_str(), line.required), ("billing.amount", "number", true));
        assert_eq!(line.example.as_deref(), Some("199"));
        let line = parse_line("id string required Example: vps_01").unwrap().unwrap();
        assert_eq!(line.example.as_deref(), Some("vps_01"));
        assert_eq!(parse_line("Canonical billing cycle. Use it.").unwrap(), None);
        assert_eq!(parse_line("active").unwrap(), None);
        assert!(parse_line("name string · sortable").is_err());
    }

    #[test]
    fn a_text_without_a_route_line_is_not_an_endpoint_page() {
        assert!(extract("Some notes\n\nGET the thing\n").is_err());
        assert!(extract("").is_err());
    }
}
