//! The server driven as an MCP client drives it: rmcp's client over the same async read/write
//! transport stdio uses (an in-memory duplex here), against a sandbox started in this process.

mod access_writes;
mod account_writes;
mod area_reads;
mod billing_writes;
mod common;
mod device_writes;
mod lifecycle_writes;
mod network_writes;
mod parts;
mod reads;
mod recovery_writes;
mod secrets;
mod settings;
mod writes;
