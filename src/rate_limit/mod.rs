//! HostUp's rate limits: reading the headers ([`headers`]) and keeping a client inside the budget
//! ([`governor`]).

pub(crate) mod governor;
pub(crate) mod headers;

pub use headers::RateLimit;
