//! Quote tokens: a random id mapped, on this server only, to the exact previewed request and its
//! commit. A token commits once, only the request it was issued for, and only before it expires
//! on this server's own clock (the agent supplies no time).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::refusal::Refusal;
use crate::registry::{CommitFn, Cost};

/// Where "now" comes from (a test moves it by hand).
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// A previewed request waiting for its commit.
pub struct Pending {
    /// The preview tool.
    pub tool: String,
    /// Its canonical arguments.
    pub arguments: Value,
    /// The price.
    pub cost: Option<Cost>,
    /// The commit.
    pub commit: CommitFn,
}

enum Slot {
    Pending { pending: Pending, expires: Instant },
    Used { at: Instant },
    Expired { at: Instant },
}

/// The session's tokens.
pub struct Tokens {
    lifetime: Duration,
    clock: Clock,
    slots: Mutex<HashMap<String, Slot>>,
}

/// How long a used or expired token is still recognised as such (rather than unknown).
const REMEMBERED: Duration = Duration::from_secs(3600);

impl Tokens {
    /// Tokens that live `lifetime`, on the real monotonic clock.
    pub fn new(lifetime: Duration) -> Self {
        Self::with_clock(lifetime, Arc::new(Instant::now))
    }

    /// Tokens on a given clock.
    pub fn with_clock(lifetime: Duration, clock: Clock) -> Self {
        Tokens { lifetime, clock, slots: Mutex::new(HashMap::new()) }
    }

    /// The lifetime of a new token.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A new token for `pending`.
    pub fn issue(&self, pending: Pending) -> Result<String, Refusal> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| {
            Refusal::new("internal", "no_randomness", format!("cannot make a token: {e}"), "Try again.")
        })?;
        let token: String =
            std::iter::once("hq_".to_string()).chain(bytes.iter().map(|b| format!("{b:02x}"))).collect();
        let now = (self.clock)();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.retain(|_, slot| match slot {
            Slot::Pending { .. } => true,
            Slot::Used { at } | Slot::Expired { at } => now.saturating_duration_since(*at) < REMEMBERED,
        });
        slots.insert(token.clone(), Slot::Pending { pending, expires: now + self.lifetime });
        Ok(token)
    }

    /// The pending request behind `token`, taken out so it can never commit again, when `tool`
    /// and `arguments` are the ones it was issued for. A token for another request stays valid for
    /// its own.
    pub fn take(&self, token: &str, tool: &str, arguments: &Value) -> Result<Pending, Refusal> {
        let now = (self.clock)();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let refuse =
            |code: &str, reason: &str, recovery: &str| Err(Refusal::new("token", code, reason, recovery));
        let again = "Call the preview tool again for a new quote and token.";
        match slots.get(token) {
            None => return refuse("token_unknown", "this token was never issued by this server", again),
            Some(Slot::Used { .. }) => {
                return refuse(
                    "token_used",
                    "this token has already been committed (a token commits once)",
                    again,
                );
            }
            Some(Slot::Expired { .. }) => return refuse("token_expired", "this token has expired", again),
            Some(Slot::Pending { expires, .. }) if now >= *expires => {
                slots.insert(token.to_string(), Slot::Expired { at: now });
                let reason = format!("this token has expired (quotes live {}s)", self.lifetime.as_secs());
                return refuse("token_expired", &reason, again);
            }
            Some(Slot::Pending { pending, .. })
                if pending.tool != tool || &pending.arguments != arguments =>
            {
                return refuse(
                    "token_mismatch",
                    "this token was issued for another request: a commit must restate the previewed tool \
                     and arguments exactly",
                    "Pass the `commitWith` object of the preview that issued the token, unchanged.",
                );
            }
            Some(Slot::Pending { .. }) => {}
        }
        match slots.insert(token.to_string(), Slot::Used { at: now }) {
            Some(Slot::Pending { pending, .. }) => Ok(pending),
            _ => unreachable!("checked above under the same lock"),
        }
    }
}
