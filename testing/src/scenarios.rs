//! Scenarios that take more than one answer on the same route: a 429 before the body, a job that
//! runs for a few polls, a power action from 202 to the new power state.
//!
//! httpmock serves the first mock (the oldest) that matches, and a mock cannot change its answer.
//! A [`Sequence`] is two mocks on one route: the first matches only for the first `n` requests (a
//! custom matcher counts them), the second answers every request after that.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockRequest, Method, Mock, MockServer, Then};
use serde_json::json;

use super::fixtures::{problem, vps_status};
use super::mock::MockServerExt;
use hostup::PowerAction;
use hostup::types::{Operation, OperationAccepted, OperationStatus};

/// Two mocks on one route: `first` answers the first requests, `after` the rest.
pub struct Sequence<'a> {
    /// The mock that answered (or answers) the first requests.
    pub first: Mock<'a>,
    /// The mock that answers every request after those.
    pub after: Mock<'a>,
}

impl Sequence<'_> {
    /// Requests answered by both mocks together.
    pub async fn hits(&self) -> usize {
        self.first.calls_async().await + self.after.calls_async().await
    }
}

/// Serves `first` to the first `n` requests matching `method` and `path`, then `after`.
fn sequence<'a>(
    server: &'a MockServer,
    method: Method,
    path: &str,
    n: usize,
    first: impl FnOnce(Then),
    after: impl FnOnce(Then),
) -> Sequence<'a> {
    let (method, path) = (method.to_string(), path.to_string());
    let on_route = move |req: &HttpMockRequest| {
        req.method_str().eq_ignore_ascii_case(&method) && req.uri().path() == path
    };
    let seen = Arc::new(AtomicUsize::new(0));
    let (route, counter) = (on_route.clone(), seen.clone());
    let first = server.mock(|when, then| {
        when.is_true(move |req| route(req) && counter.fetch_add(1, Ordering::SeqCst) < n);
        first(then);
    });
    let after = server.mock(|when, then| {
        when.is_true(on_route);
        after(then);
    });
    Sequence { first, after }
}

/// Answers `method path` with 429 `rate_limit_exceeded` and `Retry-After: 0` `limited` times, then
/// with `body` (200, JSON). The client retries a 429 on every method, so a call succeeds when
/// `limited` is below its attempts ([`fast_retries`](super::fast_retries) allows 4).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> hostup::Result<()> {
/// use hostup_testing::{self as testing, Method, MockServer};
///
/// let server = MockServer::start_async().await;
/// let details = testing::vps_details().id("vps_x").build();
/// let seq = testing::rate_limited_then_ok(&server, Method::GET, "/api/v2/vps/vps_x/details", 2, &details);
/// let client = testing::client_for(&server);
/// client.get_vps_details().id("vps_x").send().await?;
/// assert_eq!(seq.first.calls_async().await, 2);
/// # Ok(()) }
/// ```
pub fn rate_limited_then_ok<'a, T: serde::Serialize>(
    server: &'a MockServer,
    method: Method,
    path: &str,
    limited: usize,
    body: &T,
) -> Sequence<'a> {
    let body = serde_json::to_value(body).expect("the body serializes to JSON");
    let limit = problem(429, "rate_limit_exceeded", "Too many requests. Retry after the time given.");
    sequence(
        server,
        method,
        path,
        limited,
        |then| {
            then.status(429)
                .header("content-type", "application/problem+json")
                .header("retry-after", "0")
                .json_body_obj(&limit);
        },
        |then| {
            then.status(200).header("content-type", "application/json").json_body(body);
        },
    )
}

/// The operation a power action returns in its 202, polled at `/api/jobs/{job_id}`.
pub fn operation(job_id: &str) -> Operation {
    Operation {
        job_id: job_id.to_string(),
        poll_url: format!("/api/jobs/{job_id}"),
        status: OperationStatus::Queued,
        result: None,
    }
}

fn job_body(job_id: &str, status: OperationStatus) -> serde_json::Value {
    json!({"operation": Operation { status, ..operation(job_id) }})
}

/// Mocks `GET /api/jobs/{job_id}`: `in_progress` until the `polls`-th poll, which answers
/// `completed`. Put [`operation`]`(job_id)` in the power action's 202.
pub fn operation_completes<'a>(server: &'a MockServer, job_id: &str, polls: usize) -> Sequence<'a> {
    let (running, done) =
        (job_body(job_id, OperationStatus::InProgress), job_body(job_id, OperationStatus::Completed));
    let path = format!("/api/jobs/{job_id}");
    sequence(
        server,
        Method::GET,
        &path,
        polls.saturating_sub(1),
        |then| {
            then.status(200).header("content-type", "application/json").json_body(running);
        },
        |then| {
            then.status(200).header("content-type", "application/json").json_body(done);
        },
    )
}

/// The mocks of [`power_action_completes`].
pub struct PowerMocks<'a> {
    /// `POST /api/v2/vps/{id}/actions/<action>`, answering 202 with the operation.
    pub action: Mock<'a>,
    /// The job's polls.
    pub job: Sequence<'a>,
    /// `GET /api/v2/vps/{id}/status`, answering the action's target power state.
    pub status: Mock<'a>,
}

/// Mocks a power action from its 202 to the end: the action route answers 202 with job
/// `job_<vps_id>`, the job completes on the `polls`-th poll, and the status then reports the
/// action's target state. Mock `getVpsDetails` yourself ([`vps_details`](super::vps_details)):
/// [`ClientExt::power`](hostup::ClientExt::power) reads the gate there first.
pub fn power_action_completes<'a>(
    server: &'a MockServer,
    vps_id: &str,
    action: PowerAction,
    polls: usize,
) -> PowerMocks<'a> {
    let job_id = format!("job_{vps_id}");
    let accepted = OperationAccepted { operation: Some(operation(&job_id)) };
    let action_mock = match action {
        PowerAction::Start => server.start_vps(|when, then| {
            when.id(vps_id);
            then.accepted(&accepted);
        }),
        PowerAction::Shutdown => server.shutdown_vps(|when, then| {
            when.id(vps_id);
            then.accepted(&accepted);
        }),
        PowerAction::Stop => server.stop_vps(|when, then| {
            when.id(vps_id);
            then.accepted(&accepted);
        }),
        PowerAction::Restart | PowerAction::ForceRestart => server.restart_vps(|when, then| {
            when.id(vps_id);
            then.accepted(&accepted);
        }),
        PowerAction::Reset => server.reset_vps(|when, then| {
            when.id(vps_id);
            then.accepted(&accepted);
        }),
        // An action added to `hostup` later: its route follows the gate (`canX` -> `actions/x`).
        other => {
            let verb = other.gate().gate_name().trim_start_matches("can").to_ascii_lowercase();
            let path = format!("/api/v2/vps/{vps_id}/actions/{verb}");
            server.mock(|when, then| {
                when.method(Method::POST).path(path);
                then.status(202).json_body_obj(&accepted);
            })
        }
    };
    let job = operation_completes(server, &job_id, polls);
    let status = vps_status(vps_id, action.target_state());
    let status = server.get_vps_status(|when, then| {
        when.id(vps_id);
        then.ok(&status);
    });
    PowerMocks { action: action_mock, job, status }
}
