//! Read-only helpers for walking an OpenAPI document held as a JSON value: JSON pointers,
//! internal `$ref` resolution, operations and media types.

use serde_json::Value;

/// HTTP methods an OpenAPI 3.0 path item may hold, in the order the spec lists them.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub use hostup_schema::is_named_map;

/// Longest `$ref` chain followed before giving up (guards against reference cycles).
const MAX_REF_HOPS: usize = 32;

/// Escapes one reference token for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one (unescaped) token to a JSON pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Formats a JSON pointer into the spec for messages: `#/paths/...`.
pub fn location(pointer: &str) -> String {
    format!("#{pointer}")
}

/// Decodes `%XX` escapes, as used in `$ref` URI fragments. Invalid escapes are kept verbatim.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Turns a `$ref` string into a JSON pointer into the same document, if it is an internal ref.
pub fn ref_pointer(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
}

/// Resolves an internal `$ref` string against `doc`.
pub fn resolve_ref<'a>(doc: &'a Value, reference: &str) -> Result<(String, &'a Value), String> {
    let pointer = ref_pointer(reference)
        .ok_or_else(|| format!("`{reference}` is not a reference into this document"))?;
    match doc.pointer(&pointer) {
        Some(target) => Ok((pointer, target)),
        None => Err(format!("`{reference}` does not resolve")),
    }
}

/// Follows `$ref` on a non-schema object (response, parameter, request body, example, header)
/// until it reaches the object itself. Returns the object and its pointer.
pub fn deref<'a>(doc: &'a Value, pointer: String, value: &'a Value) -> Result<(String, &'a Value), String> {
    let (mut pointer, mut value) = (pointer, value);
    for _ in 0..MAX_REF_HOPS {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => (pointer, value) = resolve_ref(doc, reference)?,
            None => return Ok((pointer, value)),
        }
    }
    Err(format!("{}: `$ref` chain too long or cyclic", location(&pointer)))
}

/// True for JSON media types: `application/json` and any `…+json` type, ignoring parameters.
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// One operation in the document.
pub struct Operation<'a> {
    /// Path template, e.g. `/api/v2/vps/{id}`.
    pub path: &'a str,
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// JSON pointer to the operation object.
    pub pointer: String,
    /// The operation object.
    pub value: &'a Value,
    /// The path item that holds the operation (after resolving a path-item `$ref`).
    pub path_item: &'a Value,
    /// JSON pointer to that path item.
    pub path_item_pointer: String,
}

impl Operation<'_> {
    /// The operationId, if the operation has one.
    pub fn id(&self) -> Option<&str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// `GET /path`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation in `paths`, in document order. Path items whose `$ref` does not resolve are
/// skipped (the structure lint reports them).
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Ok((item_pointer, item)) = deref(doc, join("/paths", path), item) else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push(Operation {
                    path,
                    method,
                    pointer: join(&item_pointer, method),
                    value: op,
                    path_item: item,
                    path_item_pointer: item_pointer.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_fragments_decode() {
        let pointer = join(&join("/paths", "/api/v2/vps/{id}"), "application/problem+json");
        assert_eq!(pointer, "/paths/~1api~1v2~1vps~1{id}/application~1problem+json");
        let reference = "#/paths/~1api~1v2~1vps~1%7Bid%7D/application~1problem%2Bjson";
        assert_eq!(ref_pointer(reference).as_deref(), Some(pointer.as_str()));
        assert_eq!(ref_pointer("other.yaml#/x"), None);
    }

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("application/problem+json"));
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(!is_json_media_type("text/plain"));
    }
}
