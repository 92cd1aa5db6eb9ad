//! The one confirmation step of every destructive command: on a terminal it asks, elsewhere
//! `--yes` is required, so a script never blocks on a prompt and never acts by accident.

use std::io::{BufRead, IsTerminal, Write};

use crate::failure::Failure;

/// How much is at stake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Risk {
    /// Interrupts or loses unsaved state, but the VPS can be brought back: answer `y`.
    Destructive,
    /// Cannot be taken back (money spent, an invoice cancelled, data gone): type one of these,
    /// the VPS's id or name.
    Irreversible(Vec<String>),
}

/// A destructive step to confirm: `what` is about to happen (`stop vps_...`), `consequence`
/// says what it costs.
#[derive(Clone, Debug)]
pub struct Confirmation<'a> {
    /// The action, as a sentence fragment: `stop vps_...`.
    pub what: &'a str,
    /// What it costs: `the guest gets no chance to shut down; unsaved data is lost`.
    pub consequence: &'a str,
    /// How to confirm.
    pub risk: Risk,
}

/// Whether a question can be asked: stdin and stderr are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

impl Confirmation<'_> {
    /// Asks on a terminal (stdin and stderr), or accepts `--yes`; otherwise refuses.
    pub fn ask(&self, yes: bool) -> Result<(), Failure> {
        if yes {
            return Ok(());
        }
        if !interactive() {
            return Err(Failure::Usage(format!(
                "refusing to {} without confirmation: add --yes (stdin is not a terminal)",
                self.what
            )));
        }
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "About to {}: {}.", self.what, self.consequence);
        let _ = match &self.risk {
            Risk::Destructive => write!(err, "Continue? [y/N] "),
            Risk::Irreversible(accepted) => write!(err, "Type {} to confirm: ", accepted.join(" or ")),
        };
        let _ = err.flush();
        drop(err);
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if self.accepts(answer.trim()) {
            Ok(())
        } else {
            Err(Failure::Usage(format!("not confirmed: did not {}", self.what)))
        }
    }

    fn accepts(&self, answer: &str) -> bool {
        match &self.risk {
            Risk::Destructive => matches!(answer.to_lowercase().as_str(), "y" | "yes"),
            Risk::Irreversible(accepted) => !answer.is_empty() && accepted.iter().any(|a| a == answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_strictly() {
        let stop = Confirmation { what: "stop x", consequence: "c", risk: Risk::Destructive };
        assert!(stop.accepts("y") && stop.accepts("YES"));
        assert!(!stop.accepts("") && !stop.accepts("no") && !stop.accepts("yess"));
        let commit = Confirmation { risk: Risk::Irreversible(vec!["vps_1".into(), "web".into()]), ..stop };
        assert!(commit.accepts("vps_1") && commit.accepts("web"));
        assert!(!commit.accepts("y") && !commit.accepts("") && !commit.accepts("vps_"));
    }

    #[test]
    fn yes_skips_the_question() {
        let stop = Confirmation { what: "stop x", consequence: "c", risk: Risk::Destructive };
        assert!(stop.ask(true).is_ok());
    }
}
