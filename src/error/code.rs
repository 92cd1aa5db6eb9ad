//! Problem Details codes: the documented ones as variants, the rest kept as sent.

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// A Problem Details `code`. The documented codes are variants; any other code is kept in
        /// `Other`, so new server codes never break decoding.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version of the crate does not know.
            Other(String),
        }

        impl ErrorCode {
            /// The code as sent by the server.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($wire => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_string()),
                }
            }
        }
    };
}

error_codes! {
    /// No or invalid authentication (401).
    Unauthorized = "unauthorized",
    /// Missing scope or resource not owned (403).
    Forbidden = "forbidden",
    /// The account is not active (403).
    AccountInactive = "account_inactive",
    /// Verification failed (403).
    VerificationFailed = "verification_failed",
    /// The PAYG storage limit is reached (403).
    CloudStorageLimitExceeded = "cloud_storage_limit_exceeded",
    /// The request failed validation; see the field errors (400).
    InvalidRequest = "invalid_request",
    /// A malformed pagination cursor (400).
    InvalidCursor = "invalid_cursor",
    /// Not a two-letter ISO country code (400).
    InvalidCountryCode = "invalid_country_code",
    /// The resource does not exist or is not the caller's (404).
    NotFound = "not_found",
    /// No VPS with that id (404).
    VpsNotFound = "vps_not_found",
    /// No API key with that id (404).
    ApiKeyNotFound = "api_key_not_found",
    /// The VPS is not ready for the operation (409).
    VpsNotReady = "vps_not_ready",
    /// An unpaid invoice blocks the change; resend with `cancelExistingInvoice` if offered (409).
    ExistingInvoiceBlocking = "existing_invoice_blocking",
    /// An overdue invoice blocks cancellation (409).
    CancellationBlockedOverdueInvoice = "cancellation_blocked_overdue_invoice",
    /// A payment is already being processed (409).
    InvoicePaymentInProgress = "invoice_payment_in_progress",
    /// A pending critical-credit invoice (409).
    CooldownActive = "cooldown_active",
    /// An upstream action failed (409, 502, 503).
    UpstreamFailed = "upstream_failed",
    /// The generic rate limit (429).
    RateLimitExceeded = "rate_limit_exceeded",
    /// A specific throttle (429).
    RateLimited = "rate_limited",
    /// An unexpected server error (500).
    InternalError = "internal_error",
    /// Billing account data is unavailable (503).
    UpstreamUnavailable = "upstream_unavailable",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_kept() {
        assert_eq!(ErrorCode::from("vps_not_found"), ErrorCode::VpsNotFound);
        assert_eq!(ErrorCode::from("brand_new_code"), ErrorCode::Other("brand_new_code".into()));
        assert_eq!(ErrorCode::from("brand_new_code").as_str(), "brand_new_code");
    }
}
