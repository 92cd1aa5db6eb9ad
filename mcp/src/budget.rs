//! The session's spending ceiling: the recurring increases of committed quotes add up, and a
//! commit that would take the sum past the ceiling is refused before it is sent.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::refusal::Refusal;
use crate::registry::Cost;

/// What has been committed so far, against an optional ceiling.
pub struct Budget {
    ceiling: Option<f64>,
    state: Mutex<Spent>,
}

#[derive(Clone, Debug, Default)]
struct Spent {
    amount: f64,
    /// The ceiling's currency: the one given, else the first committed quote's.
    currency: Option<String>,
}

impl Budget {
    /// A budget with at most `ceiling` of recurring increases per session, in `currency` (or the
    /// first committed quote's).
    pub fn new(ceiling: Option<f64>, currency: Option<String>) -> Self {
        Budget {
            ceiling,
            state: Mutex::new(Spent { amount: 0.0, currency: currency.map(|c| c.to_uppercase()) }),
        }
    }

    /// Reserves `cost` before a commit is sent, or refuses it.
    pub fn reserve(&self, cost: Option<&Cost>) -> Result<(), Refusal> {
        let Some(cost) = cost.filter(|c| c.recurring_increase > 0.0) else { return Ok(()) };
        let mut spent = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(ceiling) = self.ceiling else {
            spent.amount += cost.recurring_increase;
            return Ok(());
        };
        let currency = cost.currency.to_uppercase();
        if let Some(fixed) = spent.currency.as_deref().filter(|c| *c != currency) {
            return Err(Refusal::new(
                "spending_ceiling",
                "currency_mismatch",
                format!("the spending ceiling is in {fixed}, this quote is in {currency}"),
                "A person must restart the server with a ceiling in this currency.",
            ));
        }
        let after = spent.amount + cost.recurring_increase;
        if after > ceiling + 1e-9 {
            return Err(Refusal::new(
                "spending_ceiling",
                "spending_ceiling_exceeded",
                format!(
                    "committing would raise recurring costs by {:.2} {currency}, taking this session to {after:.2} \
                     of its {ceiling:.2} ceiling (already committed: {:.2})",
                    cost.recurring_increase, spent.amount
                ),
                "Nothing was sent. Pick a smaller change, or ask a person to raise the ceiling (--max-spend).",
            )
            .with_details(json!({"ceiling": ceiling, "spent": spent.amount, "currency": currency})));
        }
        spent.amount = after;
        spent.currency = Some(currency);
        Ok(())
    }

    /// Gives a reservation back (the commit was refused before it could reach the server).
    pub fn release(&self, cost: Option<&Cost>) {
        if let Some(cost) = cost.filter(|c| c.recurring_increase > 0.0) {
            let mut spent = self.state.lock().unwrap_or_else(|e| e.into_inner());
            spent.amount = (spent.amount - cost.recurring_increase).max(0.0);
        }
    }

    /// What a result shows: the ceiling, what is committed, and what is left.
    pub fn summary(&self) -> Value {
        let spent = self.state.lock().unwrap_or_else(|e| e.into_inner()).clone();
        json!({
            "ceiling": self.ceiling,
            "committedRecurringIncrease": spent.amount,
            "remaining": self.ceiling.map(|c| (c - spent.amount).max(0.0)),
            "currency": spent.currency,
        })
    }
}
