//! The result of a comparison: [`Drift`] (one difference, of a [`Kind`]) and [`Comparison`] (all
//! differences of one page, with field counts).

use serde_json::Value;

/// What kind of difference a [`Drift`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The page's method and path are not in the spec.
    OperationMissingFromSpec,
    /// Part of the page could not be read.
    Unparsed,
    /// A status on the page is not in the spec.
    StatusMissingFromSpec,
    /// A status in the spec is not on the page.
    StatusMissingFromPage,
    /// The required scopes differ.
    Scope,
    /// The authentication scheme differs.
    Auth,
    /// A parameter on the page is not in the spec.
    ParameterMissingFromSpec,
    /// A parameter in the spec is not on the page.
    ParameterMissingFromPage,
    /// The page documents a body (request or response) the spec does not have.
    BodyMissingFromSpec,
    /// The spec has a body the page does not document.
    BodyMissingFromPage,
    /// A field on the page is not in the spec.
    FieldMissingFromSpec,
    /// A field in the spec is not on the page (only inside objects the page describes in full).
    FieldMissingFromPage,
    /// The type differs.
    Type,
    /// Required or optional differs.
    Required,
    /// Nullability differs.
    Nullable,
    /// A parameter's minimum differs.
    Minimum,
    /// The page lists enum values the spec does not have.
    EnumValuesMissingFromSpec,
    /// The spec has enum values the page does not list.
    EnumValuesMissingFromPage,
    /// An example on the page does not validate against the spec's schema.
    Example,
    /// A key in an example on the page is not declared by the spec.
    ExampleFieldMissingFromSpec,
}

impl Kind {
    /// The kebab-case name used in `--json` output and the leniency table.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OperationMissingFromSpec => "operation-missing-from-spec",
            Kind::Unparsed => "unparsed",
            Kind::StatusMissingFromSpec => "status-missing-from-spec",
            Kind::StatusMissingFromPage => "status-missing-from-page",
            Kind::Scope => "scope",
            Kind::Auth => "auth",
            Kind::ParameterMissingFromSpec => "parameter-missing-from-spec",
            Kind::ParameterMissingFromPage => "parameter-missing-from-page",
            Kind::BodyMissingFromSpec => "body-missing-from-spec",
            Kind::BodyMissingFromPage => "body-missing-from-page",
            Kind::FieldMissingFromSpec => "field-missing-from-spec",
            Kind::FieldMissingFromPage => "field-missing-from-page",
            Kind::Type => "type",
            Kind::Required => "required",
            Kind::Nullable => "nullable",
            Kind::Minimum => "minimum",
            Kind::EnumValuesMissingFromSpec => "enum-values-missing-from-spec",
            Kind::EnumValuesMissingFromPage => "enum-values-missing-from-page",
            Kind::Example => "example",
            Kind::ExampleFieldMissingFromSpec => "example-field-missing-from-spec",
        }
    }
}

/// Which side of the wire a schema describes; decides the integer/number variance rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client: parameters and request bodies.
    Request,
    /// Sent by the server.
    Response,
}

/// One difference between a page and the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// What kind of difference.
    pub kind: Kind,
    /// `operation`, `page`, `parameter`, `request` or `response STATUS`.
    pub location: String,
    /// The field path, parameter name, example title or JSON pointer; empty for the whole
    /// location.
    pub path: String,
    /// What the page says.
    pub page: Value,
    /// What the spec says.
    pub spec: Value,
    /// The human report line (without indentation).
    pub line: String,
    /// Why the difference is deliberate, when the leniency table lists it.
    pub lenient: Option<&'static str>,
}

/// Field counts of one page and its operation in the spec (see [`super::compare::compare`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Parameters, request fields and response fields (summed over statuses) on the page.
    pub documented: usize,
    /// The same counted in the spec, nested objects expanded (map values are not).
    pub in_spec: usize,
}

/// The result of comparing one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The spec's operationId, or `METHOD /path` when the spec has no such operation.
    pub operation: String,
    /// `METHOD /path` as the page gives it.
    pub route: String,
    /// Every difference, in page order, lenient ones included (see [`Drift::lenient`]).
    pub drifts: Vec<Drift>,
    /// Field counts.
    pub coverage: Coverage,
}

impl Comparison {
    /// The differences the leniency table does not excuse.
    pub fn real(&self) -> impl Iterator<Item = &Drift> {
        self.drifts.iter().filter(|d| d.lenient.is_none())
    }
}
