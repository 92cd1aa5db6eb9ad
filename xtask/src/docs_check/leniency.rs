//! The deliberate differences between HostUp's pages and `openapi/hostup.yaml`, in one place.
//!
//! Two kinds:
//!
//! - [`RULES`]: how the comparison reads a page, built into [`super::compare`]. Each applies to
//!   every page and is listed here with its reason; the two that change a verdict are the
//!   functions below the table ([`number_variance_allows`], [`unrenderable_enum_value`]).
//! - [`LENIENCIES`]: single differences the spec makes on purpose, each naming the operation, the
//!   kind of drift, where it is and why. A drift listed here does not fail the check, and is shown
//!   with its reason under `--all`. An entry whose reason starts with `TODO: spec fix pending` is a
//!   transcription error in the spec awaiting its fix; those are always shown.
//!
//! Matching: `operation` is an operationId or `*`; `location` is exact or ends in `*` (a prefix,
//! e.g. `response *`); `path` is exact or `*`.

use super::drift::{Direction, Drift, Kind};
use super::model::Rendering;

/// A built-in comparison rule, documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// What the rule does.
    pub rule: &'static str,
    /// Why.
    pub reason: &'static str,
}

/// The comparison rules every page is read with.
pub const RULES: &[Rule] = &[
    Rule {
        rule: "children of an object the page lists without children are not compared",
        reason: "the page then describes the object by example only (`operatingSystem`, deprecated `pricing`, \
                 legacy `data`, the summary's `overdueInvoices`, `paymentInvoice`, the `resources` map, \
                 `extensions`); the spec models those children from the examples, all optional. The \
                 examples still must validate and may not carry keys the spec does not declare",
    },
    Rule {
        rule: "in responses a spec `number` matches a page `integer`; in requests and parameters a spec \
               `integer` matches a page `number`",
        reason: "the spec may be wider than the page where the server writes and narrower where the client \
                 writes: every value the page allows then still decodes or is still accepted. The other \
                 direction (a spec `integer` for a documented response `number`) would fail on 12.5, so it \
                 is drift",
    },
    Rule {
        rule: "on plain-text pages an empty-string enum value in the spec is not expected on the page",
        reason: "the plain-text rendering lists one value per line and cannot show an empty one; the \
                 markdown rendering shows it as a trailing `, `",
    },
    Rule {
        rule: "field and parameter examples shown as text match if their JSON reading or their string \
               reading validates",
        reason: "pages render every example as text, so `99` may stand for the number or the string",
    },
    Rule {
        rule: "keys in body examples are checked only under objects that declare properties",
        reason: "free-form objects (`additionalProperties: true` without properties, e.g. `resources`, \
                 `paymentInvoice`) and maps (`usage_log`) accept any key by design",
    },
];

/// One deliberate difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    /// The operationId, or `*`.
    pub operation: &'static str,
    /// The kind of drift it excuses.
    pub kind: Kind,
    /// `response 200`, `response *`, `request`, `parameter`, `operation`.
    pub location: &'static str,
    /// The field path or parameter name, or `*`.
    pub path: &'static str,
    /// Why the spec differs on purpose.
    pub reason: &'static str,
}

/// The deliberate differences, by operation.
pub const LENIENCIES: &[Leniency] = &[
    Leniency {
        operation: "*",
        kind: Kind::FieldMissingFromPage,
        location: "response *",
        path: "blockerReasons",
        reason: concat!(
            "`ProblemDetails` is one schema for every v2 error; the convert-to-cloud page puts the PAYG ",
            "blockers at its top level in one rendering (`extensions.blockerReasons` in the other), so the ",
            "shared shape declares the optional member for the lifecycle routes (issue 17)"
        ),
    },
    Leniency {
        operation: "*",
        kind: Kind::FieldMissingFromPage,
        location: "response *",
        path: "actions",
        reason: concat!(
            "`ProblemDetails` is one schema for every v2 error; the add-disk page puts the refused ",
            "`canAddDisk` gate at the top level of its 403 `cloud_storage_limit_exceeded`, so the shared ",
            "shape declares the optional member (issue 18)"
        ),
    },
    Leniency {
        operation: "getVpsDetails",
        kind: Kind::EnumValuesMissingFromPage,
        location: "response 200",
        path: "serviceStatus",
        reason: concat!(
            "`ServiceStatus` is a shared open enum: the spec takes the union of the values the pages list, ",
            "and the summary page (`getVps`) adds `expired` and `fraud`"
        ),
    },
    Leniency {
        operation: "getVpsDetails",
        kind: Kind::EnumValuesMissingFromPage,
        location: "response 200",
        path: "powerState",
        reason: concat!(
            "`PowerState` is a shared open enum: the spec takes the union of the values the pages list, ",
            "and the summary page (`getVps`) adds `starting`, `stopping`, `provisioning` and `error`"
        ),
    },
    Leniency {
        operation: "getVpsDetails",
        kind: Kind::EnumValuesMissingFromPage,
        location: "response 200",
        path: "billing.billingCycle",
        reason: concat!(
            "`BillingCycle` is a shared open enum: the spec takes the union of the values the pages list, ",
            "and the summary page (`getVps`) lists the empty value (no cycle set), decoded as `NotSet`"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::FieldMissingFromPage,
        location: "response *",
        path: "retryAfter",
        reason: concat!(
            "`LegacyError` is one schema for every legacy error status, the union of the fields they list ",
            "(all optional): only 429 lists `retryAfter`"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::FieldMissingFromPage,
        location: "response 429",
        path: "code",
        reason: concat!(
            "`LegacyError` is one schema for every legacy error status, the union of the fields they list ",
            "(all optional): 429 lists no `code`"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::FieldMissingFromPage,
        location: "response 429",
        path: "timestamp",
        reason: concat!(
            "`LegacyError` is one schema for every legacy error status, the union of the fields they list ",
            "(all optional): 429 lists no `timestamp`"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::StatusMissingFromPage,
        location: "response 400",
        path: "",
        reason: concat!(
            "the legacy API's error codes seen across the docs include `BAD_REQUEST` ",
            "(hostup-related-endpoints.md, 9.1); the page lists only 401, 403, 429 and 504"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::StatusMissingFromPage,
        location: "response 404",
        path: "",
        reason: concat!(
            "the legacy API's error codes seen across the docs include `NOT_FOUND` ",
            "(hostup-related-endpoints.md, 9.1); the page lists only 401, 403, 429 and 504"
        ),
    },
    Leniency {
        operation: "getLegacyVmDetails",
        kind: Kind::StatusMissingFromPage,
        location: "response 500",
        path: "",
        reason: concat!(
            "the legacy API's error codes seen across the docs include `INTERNAL_ERROR` ",
            "(hostup-related-endpoints.md, 9.1); the page lists only 401, 403, 429 and 504"
        ),
    },
];

/// The entry excusing `drift` of `operation`, if any.
pub fn find(operation: &str, drift: &Drift) -> Option<&'static Leniency> {
    LENIENCIES.iter().find(|l| matches(l, operation, drift))
}

/// True when the entry excuses `drift` of `operation`.
pub fn matches(leniency: &Leniency, operation: &str, drift: &Drift) -> bool {
    let location = match leniency.location.strip_suffix('*') {
        Some(prefix) => drift.location.starts_with(prefix),
        None => drift.location == leniency.location,
    };
    (leniency.operation == "*" || leniency.operation == operation)
        && leniency.kind == drift.kind
        && location
        && (leniency.path == "*" || leniency.path == drift.path)
}

/// True when a spec enum value cannot appear on a page of this rendering (see [`RULES`]).
pub fn unrenderable_enum_value(rendering: Rendering, value: &str) -> bool {
    rendering == Rendering::PlainText && value.is_empty()
}

/// True when a page type and a different spec type still agree (see [`RULES`]).
pub fn number_variance_allows(page: &str, spec: &str, direction: Direction) -> bool {
    match direction {
        Direction::Response => page == "integer" && spec == "number",
        Direction::Request => page == "number" && spec == "integer",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn drift(kind: Kind, location: &str, path: &str) -> Drift {
        Drift {
            kind,
            location: location.into(),
            path: path.into(),
            page: Value::Null,
            spec: Value::Null,
            line: String::new(),
            lenient: None,
        }
    }

    #[test]
    fn entries_match_by_operation_kind_location_and_path() {
        let retry = drift(Kind::FieldMissingFromPage, "response 401", "retryAfter");
        assert!(find("getLegacyVmDetails", &retry).is_some());
        assert!(find("getVps", &retry).is_none());
        assert!(
            find("getLegacyVmDetails", &drift(Kind::FieldMissingFromSpec, "response 401", "retryAfter"))
                .is_none()
        );
        assert!(
            find("getLegacyVmDetails", &drift(Kind::FieldMissingFromPage, "response 401", "code")).is_none()
        );
    }

    #[test]
    fn every_entry_has_a_reason_and_is_unique() {
        for (i, a) in LENIENCIES.iter().enumerate() {
            assert!(a.reason.len() > 20, "{a:?}");
            assert!(
                !LENIENCIES[..i].iter().any(|b| (b.operation, b.kind, b.location, b.path)
                    == (a.operation, a.kind, a.location, a.path))
            );
        }
    }

    #[test]
    fn number_variance_depends_on_direction() {
        assert!(number_variance_allows("integer", "number", Direction::Response));
        assert!(!number_variance_allows("number", "integer", Direction::Response));
        assert!(number_variance_allows("number", "integer", Direction::Request));
        assert!(!number_variance_allows("integer", "number", Direction::Request));
    }
}
