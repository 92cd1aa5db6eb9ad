//! Gates come from the spec: every gate object is marked, and a gate or a gate object added to a
//! copy of the spec comes out of codegen as an enum variant or a new enum, with no Rust edit.

use std::path::Path;

use serde_json::{Value, json};

const GATE_REF: &str = "#/components/schemas/ActionGate";

fn spec() -> Value {
    hostup_codegen::load_spec(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/hostup.yaml")).unwrap()
}

fn refers_to_gate(prop: &Value) -> bool {
    prop.to_string().contains(&format!("\"{GATE_REF}\""))
}

#[test]
fn every_gate_object_of_the_spec_is_marked() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut marked = 0;
    for (name, schema) in schemas {
        let props = schema.get("properties").and_then(Value::as_object);
        let gates = props.into_iter().flatten().filter(|(_, p)| refers_to_gate(p)).count();
        let all_gates = gates > 0 && gates == props.map_or(0, |p| p.len());
        let is_marked = schema.get("x-hostup-gates").is_some();
        assert_eq!(
            all_gates, is_marked,
            "{name}: a schema of gates only must say `x-hostup-gates: <EnumName>`"
        );
        marked += usize::from(is_marked);
    }
    let generated = hostup_codegen::generate_from_value(&spec).unwrap();
    assert_eq!(generated.gates.matches("pub enum ").count(), marked);
    for name in
        ["Action", "SnapshotGate", "SnapshotScheduleGate", "BackupGate", "BackupScheduleGate", "CommitGate"]
    {
        assert!(generated.gates.contains(&format!("pub enum {name} {{")), "{name}");
    }
}

#[test]
fn a_gate_added_to_a_copy_of_the_spec_is_generated() {
    let mut spec = spec();
    let schemas = &mut spec["components"]["schemas"];
    // A new gate on an existing gate object, left out of `required`: optional.
    schemas["SnapshotActions"]["properties"]["canMigrate"] = json!({"$ref": GATE_REF});
    // A new gate object of a new resource.
    schemas["DiskActions"] = json!({"type": "object", "x-hostup-gates": "DiskGate", "required": ["canAttach"],
        "description": "The disk gates.", "properties": {"canAttach": {"$ref": GATE_REF}}});
    let generated = hostup_codegen::generate_from_value(&spec).unwrap();
    let gates = &generated.gates;
    assert!(gates.contains("Migrate,") && gates.contains("\"canMigrate\""), "{gates}");
    assert!(gates.contains("SnapshotGate::Migrate => actions.can_migrate.as_ref()"), "{gates}");
    assert!(
        gates.contains("pub enum DiskGate {") && gates.contains("DiskGate::Attach => &actions.can_attach")
    );
    assert!(generated.client.contains("pub struct DiskActions"), "progenitor generates the gate object");
}
