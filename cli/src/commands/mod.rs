//! The commands, one file per group; each is a few library calls and a print.

pub mod access;
pub mod completion;
pub mod context;
pub mod devices;
pub mod lifecycle;
pub mod mcp;
pub mod network;
pub mod payg;
pub mod power;
pub mod recovery;
pub mod vps;

use crate::output::Printer;
use crate::output::progress::Mode;

/// What every command needs besides the client: how to print, how to show progress, and whether
/// destructive steps were confirmed with `--yes`.
#[derive(Clone, Debug)]
pub struct Session {
    /// Results on stdout.
    pub printer: Printer,
    /// Progress and notes on stderr.
    pub progress: Mode,
    /// `--yes`.
    pub yes: bool,
}
