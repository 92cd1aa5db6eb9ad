//! Validation of JSON instances against an OpenAPI 3.0 document's schemas with a real JSON Schema
//! validator. The xtask checks fixtures with it; the sandbox checks requests with it.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema, so they are converted first (see
//! [`convert_schema`] and [`convert_document`]). Each validator's root is one converted schema whose
//! `#/components/...` references point at the converted spec, registered once as a schema resource.
//!
//! Features: `validate` (default) compiles validators with the `jsonschema` crate; without it only
//! the conversion is built, which is all a build script that derives schemas needs.

mod convert;
#[cfg(feature = "validate")]
mod validate;

pub use convert::{convert_document, convert_schema, is_named_map};
#[cfg(feature = "validate")]
pub use validate::{FieldViolation, Schema, Validators, Violation};
