//! Explaining a body that did not decode: where in the JSON it went wrong, and a short excerpt
//! with secrets blanked out. The secrets are the spec's: every property marked `x-hostup-secret`
//! ([`SECRET_FIELD_NAMES`]), whatever schema it sits in; the API key is scrubbed by the caller.

use crate::redact::SECRET_FIELD_NAMES;

/// Longest excerpt kept in an error, in bytes.
const EXCERPT_BYTES: usize = 160;

/// True when a JSON pointer (`/access/rootPassword`) goes through a secret field.
pub(crate) fn is_secret_path(pointer: &str) -> bool {
    pointer.split('/').any(|segment| SECRET_FIELD_NAMES.contains(&segment))
}

/// The JSON pointer (`/billing/amount`) of the value being read at byte `offset`.
pub(crate) fn json_pointer_at(body: &[u8], offset: usize) -> String {
    enum Frame {
        Object { key: Option<String>, expecting_key: bool },
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let end = offset.min(body.len());
    while i < end {
        match body[i] {
            b'{' => stack.push(Frame::Object { key: None, expecting_key: true }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array(index)) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i = string_end(body, start);
                if let Some(Frame::Object { key, expecting_key: true }) = stack.last_mut() {
                    let raw = &body[start..i];
                    *key = Some(
                        serde_json::from_slice::<String>(&[b"\"", raw, b"\""].concat())
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()),
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut pointer = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(index) => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
        }
    }
    pointer
}

/// Where the value at fault ends, for an error that a type's own `Deserialize` raised (an untagged
/// enum that matched no variant). serde_json has no position for such an error and gives the one
/// where the enclosing object or array stopped parsing: for the container's last member that is
/// past the closing bracket, which would name the container instead of the member. A member that is
/// not the last is always followed by `,`, so when `}`, `]` or the end follows the bracket, the
/// bracket is the container's own and the offset steps back before it. (Followed by `,`, the two
/// cases look the same and the offset is kept.)
pub(crate) fn custom_error_offset(body: &[u8], offset: usize) -> usize {
    let offset = offset.min(body.len());
    let closes = offset > 0 && matches!(body[offset - 1], b'}' | b']');
    let next = body[offset..].iter().find(|b| !b.is_ascii_whitespace());
    if closes && next != Some(&b',') { offset - 1 } else { offset }
}

/// Byte offset of a serde_json error position (1-based line and column).
pub(crate) fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, text) in body.split(|b| *b == b'\n').enumerate() {
        if n + 1 == line {
            return (offset + column).min(body.len());
        }
        offset += text.len() + 1;
    }
    body.len()
}

/// A short excerpt of `body` around `offset`, with secret values blanked and the text made
/// printable on one line.
pub(crate) fn excerpt(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_BYTES / 2).min(body.len());
    let end = (start + EXCERPT_BYTES).min(body.len());
    let text = redact(&String::from_utf8_lossy(body));
    // Slice after redaction, on char boundaries of the redacted text.
    let mut lo = start.min(text.len());
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = end.min(text.len()).max(lo);
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let mut out: String = text[lo..hi].chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if lo > 0 {
        out.insert(0, '…');
    }
    if hi < text.len() {
        out.push('…');
    }
    out
}

/// Blanks the value of every key that is a secret field (`"rootPassword": "…"`), whatever its type:
/// a secret sent as a number or an object is still a secret.
pub(crate) fn redact(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let key_end = string_end(bytes, i + 1);
        let key = &text[i + 1..key_end.min(text.len())];
        let mut j = key_end + 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b':' && SECRET_FIELD_NAMES.contains(&key) {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() {
                // A string keeps its quotes; the scan resumes after the closing one.
                let (start, end, resume) = if bytes[j] == b'"' {
                    let end = string_end(bytes, j + 1);
                    (j + 1, end, end + 1)
                } else {
                    let end = value_end(bytes, j);
                    (j, end, end.max(j + 1))
                };
                out.push_str(&text[copied..start]);
                out.push_str("[redacted]");
                copied = end.min(text.len());
                i = resume;
                continue;
            }
        }
        i = key_end + 1;
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// End of a non-string JSON value starting at `from`: a number, literal, object or array (brackets
/// counted, strings inside skipped), or the end of input.
fn value_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return i,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Index of the closing quote of a string starting at `from` (or the end of input).
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i.min(bytes.len())
}

#[cfg(test)]
#[path = "../tests/unit/diagnose.rs"]
mod tests;
