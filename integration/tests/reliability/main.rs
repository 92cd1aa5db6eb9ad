//! Reliability (issue 7): every call either succeeds or fails with an error that says what happened,
//! nothing leaks, and a mutation is never silently repeated.
//!
//! Every server is on loopback: a scripted raw-TCP server (`support::ScriptServer`) for faults that
//! need byte-level control, and the embedded sandbox for whole flows. Each call runs under a
//! generous hang guard (`support::guard`); timings are asserted only as lower bounds.
//!
//! Property-test case counts are fixed per test (see `decode_props.rs`) so the whole target stays
//! within a few seconds; `PROPTEST_CASES` overrides them for a longer local run.

mod alloc;
mod breaks;
mod concurrency;
mod decode_props;
mod faults;
mod huge_bodies;
mod mutate;
mod paths;
mod rate_headers;
mod redirects;
mod responses;
mod schema_walk;
mod secrets;
mod storms;
mod support;
