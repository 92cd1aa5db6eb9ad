//! Property tests of the response decoders, starting from every success fixture (and the two error
//! envelopes). Valid variants (checked against the spec's JSON Schema first, so the generator
//! cannot drift) must decode; a single breakage must fail with `Error::Decode` naming the field's
//! JSON pointer (the object's, for a removed field); arbitrary bytes never panic.
//!
//! Two paths: *direct* decodes with `serde_json` exactly like the generated code and converts a
//! failure through the public `DecodeError::from_serde`,
//! which runs the crate's diagnosis (cheap, many cases); *client* serves the body from a loopback
//! server and makes the real call (fewer cases). Case counts, per test: 256 valid direct, 32 valid
//! client, 256 broken direct, 32 broken client, 256 arbitrary direct, 32 arbitrary client
//! (about a second in all on two cores); `PROPTEST_CASES=n` sets every count to n.

use std::cell::RefCell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use crate::breaks::{Break, write};
use crate::mutate::Tape;
use crate::responses::{FIXTURES, Fixture, call};
use crate::schema_walk::Spec;
use crate::support::SlotServer;

fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

/// The generator's state: the spec, its validators, and each fixture parsed with its schema.
struct World {
    spec: Spec,
    validators: xtask::schema::Validators,
    bodies: Vec<(String, Value)>,
}

impl World {
    fn new() -> Self {
        let spec = Spec::load();
        let validators = xtask::schema::Validators::new(&spec.doc);
        let bodies = FIXTURES
            .iter()
            .map(|f| {
                let pointer = xtask::fixtures::schema_for(&spec.doc, &format!("{}.json", f.name)).unwrap();
                (pointer, serde_json::from_str(&f.body()).unwrap())
            })
            .collect();
        World { spec, validators, bodies }
    }

    /// A valid variant of fixture `i`, checked against the spec.
    fn valid(&mut self, i: usize, t: &mut Tape, rate: u32) -> Value {
        let (pointer, body) = &self.bodies[i];
        let mut body = body.clone();
        let schema = self.spec.doc.pointer(pointer).unwrap();
        self.spec.vary(schema, &mut body, t, rate);
        let violations = self.violations(i, &body);
        assert!(
            violations.is_empty(),
            "the generator made an invalid body: {violations:?}\n{}",
            short(&body)
        );
        body
    }

    /// What the spec's JSON Schema says is wrong with `body` (open enums taken as open).
    fn violations(&mut self, i: usize, body: &Value) -> Vec<xtask::schema::Violation> {
        let pointer = &self.bodies[i].0;
        let mut closed = body.clone();
        self.spec.close_open_enums(self.spec.doc.pointer(pointer).unwrap(), &mut closed);
        self.validators.validate(pointer, &closed).unwrap()
    }

    /// A valid variant with one breakage, and the breakage; `None` when nothing can break.
    fn broken(&mut self, i: usize, t: &mut Tape, rate: u32) -> Option<(Value, Break)> {
        let mut body = self.valid(i, t, rate);
        let pointer = &self.bodies[i].0;
        let mut breaks = Vec::new();
        self.spec.breaks(self.spec.doc.pointer(pointer).unwrap(), &body, &mut Vec::new(), true, &mut breaks);
        let chosen = breaks.get(t.pick(breaks.len()))?.clone();
        chosen.apply(&mut body);
        let violations = self.violations(i, &body);
        let expected = chosen.pointer();
        assert!(
            violations.iter().any(|v| v.pointer == expected),
            "the spec accepts the broken body ({chosen:?}): {violations:?}"
        );
        Some((body, chosen))
    }
}

/// A body for a failure message, cut to a readable length.
fn short(body: &impl std::fmt::Display) -> String {
    let text = body.to_string();
    match text.char_indices().nth(1500) {
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], text.len()),
        None => text,
    }
}

fn text(body: &Value, t: &mut Tape) -> String {
    let mut out = String::new();
    write(body, t, &mut out);
    out
}

fn strategy() -> impl Strategy<Value = (usize, u64, u32)> {
    (0..FIXTURES.len(), any::<u64>(), 2u32..16)
}

/// Checks that a decode error names one of the `accepted` pointers (the first is exact).
fn names(result: hostup::Result<()>, fixture: &Fixture, accepted: &[String], body: &str) {
    match result {
        Err(hostup::Error::Decode(d)) => {
            let path = d.path.clone().unwrap_or_else(|| "(none)".into());
            assert!(
                accepted.contains(&path),
                "{}: {path} is not {accepted:?}: {d}\n{}",
                fixture.name,
                short(&body)
            );
            assert!(!d.to_string().contains('\n'), "a one-line error");
        }
        other => panic!(
            "{}: expected a decode error at {accepted:?}, got {other:?}\n{}",
            fixture.name,
            short(&body)
        ),
    }
}

#[test]
fn valid_variants_decode() {
    let world = RefCell::new(World::new());
    runner(256)
        .run(&strategy(), |(i, seed, rate)| {
            let t = &mut Tape::new(seed);
            let body = text(&world.borrow_mut().valid(i, t, rate), t);
            let fixture = &FIXTURES[i];
            (fixture.decode)(body.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}\n{}", fixture.name, short(&body)));
            Ok(())
        })
        .unwrap();
}

#[test]
fn broken_variants_name_the_field() {
    let world = RefCell::new(World::new());
    runner(256)
        .run(&strategy(), |(i, seed, rate)| {
            let t = &mut Tape::new(seed);
            let Some((body, chosen)) = world.borrow_mut().broken(i, t, rate) else { return Ok(()) };
            let body = text(&body, t);
            names((FIXTURES[i].decode)(body.as_bytes()), &FIXTURES[i], &chosen.accepted(), &body);
            Ok(())
        })
        .unwrap();
}

/// Runs each case through the real client, against a loopback server that serves the body. A case
/// gives the body and the pointer its decode error must name (`None`: it must decode).
fn through_the_client(
    cases: u32,
    case: impl FnMut(&mut World, usize, &mut Tape, u32) -> Option<(Value, Option<Vec<String>>)>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(SlotServer::start());
    let client = crate::support::client_with(&server.base, hostup::RetryPolicy::disabled());
    let (world, case) = (RefCell::new(World::new()), RefCell::new(case));
    runner(cases)
        .run(&strategy(), |(i, seed, rate)| {
            let t = &mut Tape::new(seed);
            let made = (case.borrow_mut())(&mut world.borrow_mut(), i, t, rate);
            let Some((body, expected)) = made else { return Ok(()) };
            let (fixture, body) = (&FIXTURES[i], text(&body, t));
            server.set(fixture.status, fixture.content_type(), body.as_bytes());
            let result = runtime.block_on(crate::support::guard(call(&client, fixture)));
            match expected {
                None => fixture.expect_valid(result, &body),
                Some(accepted) => names(result, fixture, &accepted, &body),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn valid_variants_decode_through_the_client() {
    through_the_client(32, |world, i, t, rate| Some((world.valid(i, t, rate), None)));
}

#[test]
fn broken_variants_through_the_client_name_the_field() {
    through_the_client(32, |world, i, t, rate| {
        let (body, chosen) = world.broken(i, t, rate)?;
        Some((body, Some(chosen.accepted())))
    });
}

#[test]
fn arbitrary_bytes_never_panic_and_say_what_happened() {
    let fixtures: Vec<String> = FIXTURES.iter().map(Fixture::body).collect();
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        // A fixture cut short, or with a byte changed.
        (0..FIXTURES.len(), any::<usize>(), any::<u8>()).prop_map(move |(i, at, byte)| {
            let mut b = fixtures[i].clone().into_bytes();
            let at = at % b.len();
            if byte % 2 == 0 {
                b.truncate(at)
            } else {
                b[at] = byte
            }
            b
        }),
    ];
    runner(256)
        .run(&(0..FIXTURES.len(), bytes), |(i, body)| {
            if let Err(e) = (FIXTURES[i].decode)(&body) {
                let line = e.to_string();
                assert!(matches!(e, hostup::Error::Decode(_)) && !line.is_empty() && !line.contains('\n'));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_bodies_through_the_client_end_in_a_typed_error() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(SlotServer::start());
    let client = crate::support::client_with(&server.base, hostup::RetryPolicy::disabled());
    let statuses = [200u16, 202, 400, 404, 409, 429, 500, 502, 503];
    let input = (0..FIXTURES.len(), 0..statuses.len(), prop::collection::vec(any::<u8>(), 0..256));
    runner(32)
        .run(&input, |(i, s, body)| {
            server.set(statuses[s], "application/json", &body);
            let result = runtime.block_on(crate::support::guard(call(&client, &FIXTURES[i])));
            if let Err(e) = result {
                assert!(
                    matches!(e, hostup::Error::Decode(_) | hostup::Error::Api(_) | hostup::Error::Legacy(_)),
                    "{e:?}"
                );
                assert!(!e.to_string().contains('\n'), "{e}");
            }
            Ok(())
        })
        .unwrap();
    assert!(server.count() >= 32);
}
