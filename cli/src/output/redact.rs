//! Secret fields (the spec's `x-hostup-secret`) replaced by `[redacted]` in what the CLI prints.

use serde_json::Value;

/// What a redacted secret prints as.
pub const REDACTED: &str = "[redacted]";

/// The JSON pointers of the spec's secret fields, relative to the resource that holds them.
// TODO(issue 13): the library's pointers generated from `x-hostup-secret` replace this list.
fn secret_pointers() -> &'static [&'static str] {
    &["/access/rootPassword"]
}

/// Replaces every secret field of `resource` that holds a value.
pub fn secrets(resource: &mut Value) {
    for pointer in secret_pointers() {
        if let Some(secret) = resource.pointer_mut(pointer).filter(|v| !v.is_null()) {
            *secret = Value::from(REDACTED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_replaced_and_nulls_kept() {
        let mut vps = json!({"id": "vps_1", "access": {"rootPassword": "hunter2", "username": "root"}});
        secrets(&mut vps);
        assert_eq!(vps, json!({"id": "vps_1", "access": {"rootPassword": REDACTED, "username": "root"}}));
        let mut none = json!({"access": {"rootPassword": null}});
        secrets(&mut none);
        assert_eq!(none["access"]["rootPassword"], Value::Null);
    }
}
