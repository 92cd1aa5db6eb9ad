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

/// The irreversible confirmation: type the VPS's id, or its name when a terminal asks.
pub(crate) async fn irreversible(
    client: &hostup::Client,
    session: &Session,
    id: &str,
    what: &str,
    consequence: &str,
) -> Result<(), crate::failure::Failure> {
    use crate::confirm::{self, Confirmation, Risk};
    let mut accepted = vec![id.to_string()];
    // The name is only worth a request when someone will be asked to type it.
    if !session.yes
        && confirm::interactive()
        && let Ok(vps) = client.get_vps().id(id).send().await
        && let Some(name) = vps.into_inner().name.filter(|n| !n.is_empty())
    {
        accepted.push(name);
    }
    Confirmation { what, consequence, risk: Risk::Irreversible(accepted) }.ask(session.yes)
}
