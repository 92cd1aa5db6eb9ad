//! Code generation for the `hostup` crate: `openapi/hostup.yaml` in, Rust source out.
//!
//! `build.rs` calls [`generate`] and writes the result to `OUT_DIR`; `cargo xtask generate` calls the
//! same function and writes a readable copy for review. The spec stays truthful (problem+json errors,
//! plain string secrets); the rewrites that progenitor needs happen here, on a copy.

mod gates;
mod limits;
mod open_enum;
mod operations;
mod rewrite;
mod secrets;
mod wrap;

use std::path::Path;

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;

pub use open_enum::OpenEnum;
pub use operations::{OperationRow, ReplaySafe};

/// Rust path of the handwritten secret type that `x-hostup-secret` fields decode into.
const SECRET_TYPE: &str = "crate::Secret";
/// Module in the `hostup` crate that includes the generated open enums.
const OPEN_ENUM_MODULE: &str = "crate::open_enums";

/// Everything generated from one spec.
pub struct Generated {
    /// The progenitor client, builders and types.
    pub client: String,
    /// Open enums (known values plus a catch-all) for `x-open-enum` schemas.
    pub open_enums: String,
    /// A static table describing every operation (path template, auth, scopes, replay safety).
    pub operations: String,
    /// The `Action` enum of the gates (`x-hostup-gates`).
    pub gates: String,
    /// Secret pointers per schema (`x-hostup-secret`) and the `Redact` impls.
    pub secrets: String,
    /// `minimum`/`maximum` bounds as constants.
    pub limits: String,
}

/// Reads a YAML or JSON OpenAPI document into a JSON value, with strict 3.0.3 nullable
/// references (`oneOf` a `$ref` and `null`) read as `nullable: true` + `allOf` (see
/// `rewrite::nullable_refs`), the one form the generator and the repository's tools handle.
pub fn load_spec(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut spec: Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{} is not valid YAML: {e}", path.display()))?;
    rewrite::nullable_refs(&mut spec);
    Ok(spec)
}

/// Generates all Rust code for the spec at `path`.
pub fn generate(path: &Path) -> Result<Generated, String> {
    let spec = load_spec(path)?;
    generate_from_value(&spec)
}

/// Generates all Rust code for an already loaded spec.
pub fn generate_from_value(spec: &Value) -> Result<Generated, String> {
    let enums = open_enum::collect(spec)?;
    let operations = operations::collect(spec)?;
    let gates = gates::collect(spec)?;
    let secrets = secrets::collect(spec);
    let limits = limits::collect(spec)?;
    // Replaced schemas have no generated struct to implement `Redact` for.
    let replaced: Vec<String> = enums.iter().map(|e| e.name.clone()).collect();
    let (mut generator, openapi) = progenitor_for(spec, &enums)?;
    let client =
        generator.generate_tokens(&openapi).map_err(|e| format!("progenitor rejected the spec: {e}"))?;
    let client = wrap::rewrite(client)?;
    operations::check_names(&operations, &client.operation_names)?;

    Ok(Generated {
        client: route_path_encoding(prettyplease::unparse(&client.file))?,
        open_enums: pretty(open_enum::render(&enums))?,
        operations: pretty(operations::render(&operations))?,
        gates: pretty(gates::render(&gates))?,
        secrets: pretty(secrets::render(&secrets, &replaced))?,
        limits: pretty(limits::render(&limits)?)?,
    })
}

/// Generates progenitor's httpmock helpers (`MockServerExt` and a `When`/`Then` pair per operation)
/// for the spec at `path`, for a crate that depends on the client as `crate_path` (`"hostup"`): the
/// `hostup-testing` crate's build.rs calls it, so httpmock stays out of the library.
pub fn generate_mocks(path: &Path, crate_path: &str) -> Result<String, String> {
    let spec = load_spec(path)?;
    let enums = open_enum::collect(&spec)?;
    let (mut generator, openapi) = progenitor_for(&spec, &enums)?;
    // The mocks refer to the types progenitor registers while generating the client.
    generator.generate_tokens(&openapi).map_err(|e| format!("progenitor rejected the spec: {e}"))?;
    let mock_spec: openapiv3::OpenAPI =
        serde_json::from_value(rewrite::for_mocks(&rewrite::for_progenitor(&spec)))
            .map_err(|e| format!("the spec is not a valid OpenAPI 3.0 document: {e}"))?;
    let mocks = generator
        .httpmock(&mock_spec, crate_path)
        .map_err(|e| format!("progenitor could not generate mocks: {e}"))?;
    // An open enum in a query parameter keeps its replacement path; outside the client crate it
    // is reached through `types`, where the crate re-exports the open enums.
    let mocks = pretty(mocks)?;
    Ok(mocks.replace(&format!("{OPEN_ENUM_MODULE}::"), &format!("{crate_path}::types::")))
}

/// progenitor set up for this crate (builder interface, hooks, the secret and open-enum
/// replacements), and the spec as it should see it.
fn progenitor_for(spec: &Value, enums: &[OpenEnum]) -> Result<(Generator, openapiv3::OpenAPI), String> {
    let prepared = rewrite::for_progenitor(spec);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(prepared)
        .map_err(|e| format!("the spec is not a valid OpenAPI 3.0 document: {e}"))?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::runtime::Runtime))
        .with_hooks(progenitor::HooksMode::Expected)
        .with_derive("PartialEq")
        .with_replacement(rewrite::SECRET_SCHEMA, SECRET_TYPE, std::iter::empty::<TypeImpl>());
    for e in enums {
        settings.with_replacement(
            &e.name,
            format!("{OPEN_ENUM_MODULE}::{}", e.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    Ok((Generator::new(&settings), openapi))
}

/// Sends every path parameter through the crate's strict encoder (`crate::path_encoding`), which
/// also encodes `\`; progenitor's own leaves it, and URL parsing reads it as `/`.
fn route_path_encoding(code: String) -> Result<String, String> {
    const CALL: &str = "encode_path(&";
    if !code.contains(CALL) {
        return Err("the generated client no longer calls encode_path; update codegen's path rewrite".into());
    }
    Ok(code.replace(CALL, "crate::path_encoding::encode_path(&"))
}

fn pretty(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
