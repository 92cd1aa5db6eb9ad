//! Why a command failed, its one-line message and its exit code.

use hostup::{Error, ErrorCode};

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// A library error; its kind picks the code.
    Hostup(Error),
    /// Refused before sending: a gate or quote says no (3).
    Blocked(String),
    /// Bad arguments or configuration, or a destructive command not confirmed (2).
    Usage(String),
    /// Some VPSes of a bulk action failed; the result table says which (the first one's code).
    Partial { failed: usize, total: usize, code: u8 },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Hostup(error)
    }
}

impl Failure {
    /// 1 API error, 2 usage/config, 3 blocked, 4 timeout, 5 transport, 6 outcome unconfirmed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Blocked(_) => 3,
            Failure::Hostup(e) => exit_code(e),
            Failure::Partial { code, .. } => *code,
        }
    }

    /// One line, with the request id when the server gave one.
    pub fn message(&self) -> String {
        match self {
            Failure::Usage(text) | Failure::Blocked(text) => text.clone(),
            Failure::Hostup(e) => match e.request_id() {
                Some(id) if !e.to_string().contains(id) => format!("{e} [request {id}]"),
                _ => e.to_string(),
            },
            Failure::Partial { failed, total, .. } => format!("{failed} of {total} failed"),
        }
    }
}

fn exit_code(error: &Error) -> u8 {
    let gate_conflict = match error {
        Error::Api(api) => {
            api.problem.extensions.contains_key("gate")
                || matches!(api.code, Some(ErrorCode::ExistingInvoiceBlocking | ErrorCode::VpsNotReady))
        }
        _ => false,
    };
    match error {
        Error::Config(_) | Error::InvalidRequest(_) | Error::InvalidOption { .. } => 2,
        Error::Blocked(_) | Error::WrongBillingModel(_) | Error::QuotaExceeded(_) => 3,
        Error::Timeout(_) | Error::WaitTimeout { .. } | Error::RateLimited(_) => 4,
        Error::Transport(_) => 5,
        // Not a failure the server reported: the create may have happened; check before retrying.
        Error::Unconfirmed(_) => 6,
        _ if gate_conflict => 3,
        _ => 1,
    }
}
