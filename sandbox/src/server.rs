//! The HTTP side: an accept loop on a loopback socket, one hyper connection per client, and the
//! steps every request goes through before and after its handler: counting, faults, the budget,
//! the route from the spec (404, or 405 with `Allow`), credentials and scopes, the request's
//! validation, error rendering, rate-limit and `Date` headers.
//!
//! The connections are served with hyper directly (not `axum::serve`) because a dropped connection
//! needs a service that can fail: hyper closes the connection without a response when it does.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, header};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::api::{Api, Operation, Route, validate};
use super::auth::Keys;
use super::faults::Faults;
use super::handlers;
use super::ids::Ids;
use super::limits::Budget;
use super::model::State;
use super::problem::{Context, Fail, Flavor, render};
use super::stats::{Counters, Exchange, Recorder};
use super::views::iso;

/// Everything the handlers and the request pipeline share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub api: Arc<Api>,
    pub state: Mutex<State>,
    pub ids: Ids,
    pub keys: Keys,
    pub budget: Budget,
    pub faults: Faults,
    pub counters: Counters,
    pub job_duration: Duration,
    /// How long after it was placed a pending order is paid; `None`: never.
    pub order_payment: Option<Duration>,
    pub recorder: Option<Recorder>,
}

impl Shared {
    /// The world, with finished jobs applied.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.settle(Instant::now());
        crate::lifecycle::settle(&mut state, self.faults.now());
        state
    }

    pub fn bump(&self, counter: impl Fn(&Counters) -> &AtomicU64) {
        Counters::bump(counter(&self.counters));
    }
}

/// The error a service returns to make hyper close the connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the sandbox's drop fault")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until the task is aborted; aborting it also ends every connection, since
/// they live in its `JoinSet`.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or similar: let the pressure pass instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| handle(shared.clone(), request));
                    // No header timeout: idle keep-alive connections stay open as long as the client
                    // keeps them, so a pause in a benchmark never meets a connection closed under it.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .header_read_timeout(None)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The largest request body read; a bigger one is refused.
const MAX_BODY: usize = 4 << 20;

/// One request, from the socket to the socket.
async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    shared.bump(|c| &c.requests);
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let faults = shared.faults.roll();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.drop {
        shared.bump(|c| &c.dropped);
        return Err(Dropped);
    }
    let budget = shared.budget.take();
    let api = shared.api.clone();
    let route = api.route(&method, &path);
    let flavor = route.flavor();
    let operation = match &route {
        Route::Operation(op, _) => Some(op.id.clone()),
        _ => None,
    };
    let response = if let Some(seconds) = budget.retry_after {
        shared.bump(|c| &c.rate_limited);
        Fail::rate_limited(seconds).into_response()
    } else if faults.error {
        shared.bump(|c| &c.injected_errors);
        Fail::unavailable().into_response()
    } else {
        match route {
            Route::Operation(op, params) => match answer(&shared, op, params, request).await {
                Ok(response) | Err(response) => response,
            },
            Route::WrongMethod { allow, .. } => {
                Fail::method_not_allowed(&path, &method, &allow).into_response()
            }
            Route::Unknown(_) => Fail::not_found(format!("No route {method} {path}.")).into_response(),
        }
    };
    let mut response = finish(&shared, response, flavor, &path, faults.html);
    let offset = shared.faults.clock_offset();
    budget.apply(response.headers_mut(), offset);
    // Set here so a skewed clock shows; hyper adds `Date` only when a response has none.
    if let Ok(date) = header::HeaderValue::from_str(&httpdate::fmt_http_date(shared.faults.now())) {
        response.headers_mut().insert(header::DATE, date);
    }
    if let Some(recorder) = &shared.recorder {
        response = record(recorder, response, operation, &method, &path).await;
    }
    Ok(response)
}

/// Credentials, then the request's parameters and body, then the operation's handler.
async fn answer(
    shared: &Shared,
    op: &Operation,
    params: Vec<(String, String)>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Response<Body>> {
    shared.keys.check(op, request.headers()).map_err(IntoResponse::into_response)?;
    let query = request.uri().query().map(str::to_string);
    let body = axum::body::to_bytes(Body::new(request.into_body()), MAX_BODY).await.map_err(|_| {
        Fail::invalid("", "body_too_large", format!("The body is larger than {MAX_BODY} bytes."))
            .into_response()
    })?;
    let call =
        validate(&shared.api, op, params, query.as_deref(), &body).map_err(IntoResponse::into_response)?;
    handlers::dispatch(shared, &call).map_err(IntoResponse::into_response)
}

/// Renders a handler's [`Fail`], if it returned one.
fn finish(
    shared: &Shared,
    mut response: Response<Body>,
    flavor: Flavor,
    path: &str,
    html: bool,
) -> Response<Body> {
    let Some(fail) = response.extensions_mut().remove::<Fail>() else { return response };
    let request_id = match flavor {
        Flavor::V2 => shared.ids.public("req_"),
        Flavor::Legacy => shared.ids.uuid(),
    };
    let ctx = Context { flavor, path, request_id, timestamp: iso(shared.faults.now()), html };
    render(fail, &ctx)
}

/// Keeps a copy of the exchange; the body is buffered to copy it.
async fn record(
    recorder: &Recorder,
    response: Response<Body>,
    operation: Option<String>,
    method: &axum::http::Method,
    path: &str,
) -> Response<Body> {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    recorder.push(Exchange {
        operation,
        method: method.to_string(),
        path: path.to_string(),
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body.clone(),
    });
    Response::from_parts(parts, Body::from(body))
}
