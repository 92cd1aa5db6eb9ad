//! Integration tests: every test talks to a server on loopback; nothing leaves the machine.

mod access_helpers;
mod access_ops;
mod api_shape;
mod bad_input;
mod devices_flows;
mod devices_helpers;
mod devices_ops;
mod iso_helpers;
mod lifecycle_helpers;
mod lifecycle_ops;
mod operations;
mod paths;
mod payg;
mod power;
mod rate_limits;
mod recovery_guarded;
mod recovery_helpers;
mod recovery_ops;
mod recovery_payg;
mod retries;
mod secrets;
mod support;
mod values;
