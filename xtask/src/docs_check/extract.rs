//! Reads the markdown rendering of an endpoint page with a real markdown parser.
//!
//! The page is `## METHOD /path`, then `###` sections. The bullet lists of `Headers`,
//! `Parameters`, `Request Body`/`Request Schema` and `Response Schema` are read item by item; each
//! field item is ``- `path` (type[,null], required|optional)[: description] Example: `value` ``,
//! optionally followed by an `Allowed values: a, b, ` line (a trailing `, ` is an empty-string
//! value). `Responses` has one `#### STATUS - description` heading per status, each followed by a
//! ```` ```json ```` example. The `Response Schema` list documents the first 2xx status.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::Value;

use super::model::{self, Field, PageModel, Param, Rendering, RequestExample};

/// Parameter locations a `Parameters` item may name.
const LOCATIONS: [&str; 4] = ["path", "query", "header", "cookie"];

/// One inline piece of a list item: text, a code span, or a line break.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Code(String),
    Break,
}

/// A list item split into its parts: ``- `name` (attrs)…``.
#[derive(Debug, Default, PartialEq)]
struct Item {
    name: String,
    attrs: Vec<String>,
    example: Option<String>,
    enum_values: Option<Vec<String>>,
}

#[derive(Default)]
struct State {
    model: Option<PageModel>,
    section: String,
    status: Option<String>,
    heading: Option<(HeadingLevel, String)>,
    list_depth: usize,
    item: Option<Vec<Piece>>,
    code: Option<(String, String)>,
    schema_fields: Vec<Field>,
    curl_auth: Option<model::Auth>,
}

/// Extracts the page model from a markdown page. Fails when the page has no `## METHOD /path`
/// heading, i.e. is not an endpoint page.
pub fn extract(text: &str) -> Result<PageModel, String> {
    let mut state = State::default();
    for event in Parser::new(text) {
        state.event(event);
    }
    let mut model = state.model.ok_or("no `## METHOD /path` heading")?;
    if !state.schema_fields.is_empty() {
        match model.primary_status() {
            Some(status) => model.responses.entry(status).or_default().fields = state.schema_fields,
            None => model.unparsed.push("a Response Schema without any status under Responses".into()),
        }
    }
    if model.auth.is_none() {
        model.auth = state.curl_auth;
    }
    Ok(model)
}

impl State {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = self.heading.take() {
                    self.heading(level, text.trim());
                }
            }
            Event::Start(Tag::List(_)) => self.list_depth += 1,
            Event::End(TagEnd::List(_)) => self.list_depth = self.list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if self.list_depth == 1 => self.item = Some(Vec::new()),
            Event::End(TagEnd::Item) if self.list_depth == 1 => {
                if let Some(pieces) = self.item.take() {
                    self.item(pieces);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.trim().to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, body)) = self.code.take() {
                    self.code_block(&lang, &body);
                }
            }
            // `array<object>` parses as text plus an inline HTML tag: it is text here.
            Event::Text(text) | Event::InlineHtml(text) => self.text(Piece::Text(text.into_string())),
            Event::Code(code) => self.text(Piece::Code(code.into_string())),
            Event::SoftBreak | Event::HardBreak => self.text(Piece::Break),
            _ => {}
        }
    }

    fn text(&mut self, piece: Piece) {
        if let Some((_, body)) = &mut self.code {
            if let Piece::Text(text) = piece {
                body.push_str(&text);
            }
        } else if let Some((_, heading)) = &mut self.heading {
            match piece {
                Piece::Text(text) | Piece::Code(text) => heading.push_str(&text),
                Piece::Break => heading.push(' '),
            }
        } else if let Some(item) = &mut self.item {
            item.push(piece);
        }
    }

    fn heading(&mut self, level: HeadingLevel, text: &str) {
        match level {
            HeadingLevel::H2 if self.model.is_none() => {
                if let Some((method, path)) = model::route(text) {
                    self.model = Some(PageModel::new(Rendering::Markdown, &method, &path));
                }
            }
            HeadingLevel::H3 => {
                self.section = text.to_string();
                self.status = None;
            }
            HeadingLevel::H4 if self.section == "Responses" => {
                let code = text.split([' ', '-']).next().unwrap_or_default();
                self.status =
                    (code.len() == 3 && code.chars().all(|c| c.is_ascii_digit())).then(|| code.to_string());
                if let (Some(model), Some(status)) = (&mut self.model, &self.status) {
                    model.responses.entry(status.clone()).or_default();
                }
            }
            _ => {}
        }
    }

    fn item(&mut self, pieces: Vec<Piece>) {
        let Some(model) = &mut self.model else { return };
        let section = self.section.as_str();
        if section == "Headers" {
            let text = plain_text(&pieces);
            if let Some((_, scopes)) = text.split_once("Required API scope:") {
                model.scope = model::scopes(scopes);
            } else if model.auth.is_none() {
                model.auth = model::auth_in(&text);
            }
            return;
        }
        let is_params = section.ends_with("Parameters");
        let is_request = section.starts_with("Request Body") || section == "Request Schema";
        if !is_params && !is_request && section != "Response Schema" {
            return;
        }
        let item = match split_item(&pieces) {
            Ok(item) => item,
            Err(e) => return model.unparsed.push(format!("{section}: {e}: {}", plain_text(&pieces))),
        };
        if is_params {
            match param(&item) {
                Ok(param) => model.params.push(param),
                Err(e) => model.unparsed.push(format!("{section}: `{}`: {e}", item.name)),
            }
            return;
        }
        match field(&item) {
            // Whether the body itself is required is not said in this rendering: left unknown.
            Ok(field) if is_request => model.request_fields.push(field),
            Ok(field) => self.schema_fields.push(field),
            Err(e) => model.unparsed.push(format!("{section}: `{}`: {e}", item.name)),
        }
    }

    fn code_block(&mut self, lang: &str, body: &str) {
        let Some(model) = &mut self.model else { return };
        if lang.starts_with("json") {
            let value = match serde_json::from_str::<Value>(body) {
                Ok(value) => value,
                Err(e) => {
                    let at = self.status.as_deref().unwrap_or(&self.section);
                    return model.unparsed.push(format!("{at}: JSON example does not parse: {e}"));
                }
            };
            if let (true, Some(status)) = (self.section == "Responses", &self.status) {
                model.responses.entry(status.clone()).or_default().example = Some(value);
            } else if self.section.starts_with("Request Body") {
                let title = self.section.trim_start_matches("Request Body").trim();
                let title = if title.is_empty() { "Request Body" } else { title };
                model.request_examples.push(RequestExample { title: title.to_string(), value });
            }
        } else if body.trim_start().starts_with("curl ") {
            self.curl_auth = self.curl_auth.or(model::auth_in(body));
            if let Some(value) = model::curl_body(body) {
                model.request_examples.push(RequestExample { title: "cURL".into(), value });
            }
        }
    }
}

/// The item's text with code spans inlined, for messages and free-text items.
fn plain_text(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) | Piece::Code(text) => out.push_str(text),
            Piece::Break => out.push('\n'),
        }
    }
    out
}

/// Joins adjacent text pieces (the parser may split one run of text into several events).
fn merge_text(pieces: &[Piece]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(text),
            _ => out.push(piece.clone()),
        }
    }
    out
}

/// Splits ``- `name` (a, b, c): description Example: `x` `` plus an optional `Allowed values:`
/// line into its parts.
fn split_item(pieces: &[Piece]) -> Result<Item, String> {
    let pieces = merge_text(pieces);
    let (Some(Piece::Code(name)), Some(Piece::Text(after))) = (pieces.first(), pieces.get(1)) else {
        return Err("expected ``- `name` (type, …)``".into());
    };
    let attrs = after
        .trim_start()
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .map(|(attrs, _)| attrs)
        .ok_or("expected `(type, …)` after the name")?;
    let mut item = Item {
        name: name.clone(),
        attrs: attrs.split(',').map(|a| a.trim().to_string()).collect(),
        ..Item::default()
    };
    for (i, piece) in pieces.iter().enumerate() {
        let Piece::Text(text) = piece else { continue };
        if let (true, Some(Piece::Code(value))) = (text.trim_end().ends_with("Example:"), pieces.get(i + 1)) {
            item.example = Some(value.clone());
        }
        let after_break = i > 0 && pieces[i - 1] == Piece::Break;
        if let (true, Some(values)) = (after_break, text.trim_start().strip_prefix("Allowed values:")) {
            item.enum_values = Some(values.split(',').map(|v| v.trim().to_string()).collect());
        }
    }
    Ok(item)
}

fn field(item: &Item) -> Result<Field, String> {
    if !model::is_field_path(&item.name) {
        return Err("not a field path".into());
    }
    let mut field = Field {
        path: item.name.clone(),
        ty: String::new(),
        nullable: false,
        required: false,
        enum_values: item.enum_values.clone(),
        example: item.example.clone(),
    };
    for attr in &item.attrs {
        match attr.as_str() {
            "null" => field.nullable = true,
            "required" => field.required = true,
            "optional" => field.required = false,
            t if model::is_type(t) && field.ty.is_empty() => field.ty = t.to_string(),
            other => return Err(format!("unknown attribute `{other}`")),
        }
    }
    if field.ty.is_empty() {
        return Err("no type".into());
    }
    Ok(field)
}

fn param(item: &Item) -> Result<Param, String> {
    let mut param = Param {
        name: item.name.clone(),
        location: String::new(),
        ty: String::new(),
        required: false,
        min: None,
        example: item.example.clone(),
    };
    for attr in &item.attrs {
        match attr.as_str() {
            "required" => param.required = true,
            "optional" => param.required = false,
            l if LOCATIONS.contains(&l) => param.location = l.to_string(),
            t if model::is_type(t) => param.ty = t.to_string(),
            other => match other.strip_prefix("min:").map(|n| n.trim().parse::<f64>()) {
                Some(Ok(min)) => param.min = Some(min),
                _ => return Err(format!("unknown attribute `{other}`")),
            },
        }
    }
    if param.location.is_empty() || param.ty.is_empty() {
        return Err("expected `(location, type, …)`".into());
    }
    Ok(param)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs_check::model::Auth;
    use serde_json::json;

    const PAGE: &str = "\
## GET /api/v2/vps/{id}/details

**Get detailed VPS state**

### Headers

- `Authorization`: Bearer YOUR_API_KEY
- Required API scope: `read:vm`

### Parameters

- `id` (path, string, required): Public VPS ID. Example: `vps_01`

### Response Schema

- `productName` (string,null, required) Example: `VPS XS`
- `billing` (object, required)
- `billing.billingCycle` (string, required): Canonical `cycle`. Example: `monthly`
  Allowed values: monthly, free, 
- `usageLog` (array<object>, required)
- `usageLog[].totalGb` (number, optional) Example: `1.5`

### Responses

#### 200 - Detailed VPS state.
```json
{\"productName\": null}
```

#### 404 - Not found.
```json
{\"status\": 404}
```
";

    #[test]
    fn reads_route_headers_params_fields_and_examples() {
        let page = extract(PAGE).unwrap();
        assert_eq!((page.method.as_str(), page.path.as_str()), ("GET", "/api/v2/vps/{id}/details"));
        assert_eq!(page.scope, ["read:vm"]);
        assert_eq!(page.auth, Some(Auth::Bearer));
        assert_eq!(page.params.len(), 1);
        let id = &page.params[0];
        assert_eq!(
            (id.name.as_str(), id.location.as_str(), id.ty.as_str(), id.required),
            ("id", "path", "string", true)
        );
        assert_eq!(id.example.as_deref(), Some("vps_01"));
        assert!(page.unparsed.is_empty(), "{:?}", page.unparsed);

        let ok = &page.responses["200"];
        let paths: Vec<_> = ok.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["productName", "billing", "billing.billingCycle", "usageLog", "usageLog[].totalGb"]
        );
        assert!(ok.fields[0].nullable && ok.fields[0].required);
        assert_eq!(ok.fields[0].example.as_deref(), Some("VPS XS"));
        let cycle = &ok.fields[2];
        assert_eq!(
            cycle.enum_values.as_deref(),
            Some(&["monthly".to_string(), "free".into(), "".into()][..])
        );
        assert_eq!(cycle.example.as_deref(), Some("monthly"));
        assert_eq!(ok.fields[3].ty, "array<object>");
        assert!(!ok.fields[4].required);
        assert_eq!(ok.example, Some(json!({"productName": null})));
        assert!(page.responses["404"].fields.is_empty());
        assert_eq!(page.responses["404"].example, Some(json!({"status": 404})));
    }

    #[test]
    fn a_curl_block_gives_auth_and_request_body() {
        let page = "## POST /api/vm/{vmid}/status\n\n### Request Example\n\n```bash\ncurl -X POST \"u\" \\\n  \
                    -H \"X-API-Key: K\" \\\n  -d '{\"action\": \"start\"}'\n```\n";
        let page = extract(page).unwrap();
        assert_eq!(page.auth, Some(Auth::ApiKey));
        assert_eq!(
            page.request_examples,
            [RequestExample { title: "cURL".into(), value: json!({"action": "start"}) }]
        );
    }

    #[test]
    fn odd_items_are_reported_not_guessed() {
        let page = "## GET /a\n\n### Response Schema\n\n- `a` (strange, required)\n- just words\n\n### Responses\n\n#### 200 - OK\n";
        let page = extract(page).unwrap();
        assert_eq!(page.unparsed.len(), 2, "{:?}", page.unparsed);
        assert!(page.unparsed[0].contains("unknown attribute `strange`"));
    }

    #[test]
    fn a_readme_is_not_an_endpoint_page() {
        assert!(extract("# Project\n\n## Usage\n\nRun it.\n").is_err());
        assert!(extract("").is_err());
    }
}
