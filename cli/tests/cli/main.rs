//! The `hostup` binary as people and scripts run it, against sandboxes started in this process.

mod access;
mod bulk;
mod commands;
mod common;
mod completion;
#[cfg(unix)]
mod confirm;
mod contexts;
mod devices;
mod lifecycle;
mod mcp;
mod output;
mod reboot_wait;
mod recovery;
mod sandbox_serve;
mod unconfirmed;
