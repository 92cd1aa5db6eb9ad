//! Path parameters, percent-encoded so an id can never become more than one path segment.
//!
//! progenitor's own encoder leaves `\` alone, and URL parsing reads `\` as `/` in http(s) URLs:
//! an id like `x\..\y` would then address another VPS. build.rs points the generated client here
//! instead. Dot segments (`.`, `..`, also when percent-encoded) are still collapsed by URL parsing;
//! the `pre` hook refuses those.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything except RFC 3986 unreserved characters is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encodes one path segment.
pub(crate) fn encode_path(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

#[cfg(test)]
#[path = "../tests/unit/path_encoding.rs"]
mod tests;
