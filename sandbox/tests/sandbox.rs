//! The embedded sandbox (`hostup_sandbox`), driven through the typed client: every operation,
//! the stateful flows, credentials and the budget, and each fault knob. Every body the sandbox
//! sends is also checked against the spec's schemas with the xtask's validator.

#[path = "sandbox/access.rs"]
mod access;
#[path = "sandbox/devices.rs"]
mod devices;
#[path = "sandbox/faults.rs"]
mod faults;
#[path = "sandbox/flows.rs"]
mod flows;
#[path = "sandbox/keys_network.rs"]
mod keys_network;
#[path = "sandbox/lifecycle.rs"]
mod lifecycle;
#[path = "sandbox/lifecycle_flows.rs"]
mod lifecycle_flows;
#[path = "sandbox/operations.rs"]
mod operations;
#[path = "sandbox/payg_orders.rs"]
mod payg_orders;
#[path = "sandbox/recovery.rs"]
mod recovery;
#[path = "sandbox/recovery_gates.rs"]
mod recovery_gates;
#[path = "sandbox/spec_driven.rs"]
mod spec_driven;
#[path = "sandbox/support.rs"]
mod support;
