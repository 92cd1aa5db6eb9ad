//! Helpers: clients with quick retries, waiting for jobs, and checking recorded bodies against the
//! spec with the xtask's JSON Schema validator.

use std::time::Duration;

use hostup::types::OperationStatus;
use hostup::{Client, Error, RetryPolicy};
use hostup_sandbox::{Exchange, Sandbox};

/// A plain HTTP client, for looking at raw answers.
pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// A client for the sandbox with short backoffs, so retry tests stay fast.
pub fn quick_client(sandbox: &Sandbox, retry: RetryPolicy) -> Client {
    let retry =
        retry.with_initial_backoff(Duration::from_millis(5)).with_max_backoff(Duration::from_millis(20));
    Client::builder().api_key(sandbox.api_key()).base_url(sandbox.url()).retry(retry).build().unwrap()
}

/// Polls `GET /api/jobs/{id}` until the operation is completed; panics after five seconds.
pub async fn wait_job(client: &Client, job_id: &str) {
    for _ in 0..100 {
        let job = client.get_job().job_id(job_id).send().await.unwrap().into_inner();
        let operation = job.operation.expect("the sandbox sends the v2 operation");
        let data = job.data.expect("the sandbox sends the legacy data");
        assert_eq!(data.is_completed, Some(operation.status == OperationStatus::Completed));
        if operation.status == OperationStatus::Completed {
            assert!(operation.result.is_some() && data.finished_at.is_some());
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {job_id} did not complete");
}

/// The typed error of a failed call.
pub fn error<T>(result: hostup::Result<T>) -> Error {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// The spec and a validator for its schemas.
pub struct Spec {
    doc: serde_json::Value,
    validators: xtask::schema::Validators,
}

impl Spec {
    pub fn load() -> Self {
        let doc = hostup_codegen::load_spec(&xtask::default_spec()).unwrap();
        let validators = xtask::schema::Validators::new(&doc);
        Spec { doc, validators }
    }

    /// How `body` breaks the schema of `operation`'s `status` response; `None` when the spec
    /// documents no such response.
    pub fn violations(
        &mut self,
        operation: &str,
        status: u16,
        body: &serde_json::Value,
    ) -> Option<Vec<String>> {
        let schema = xtask::fixtures::schema_for(&self.doc, &format!("{operation}.{status}.json")).ok()?;
        let found = self.validators.validate(&schema, body).unwrap();
        Some(found.iter().map(|v| format!("{}: {}", v.display_pointer(), v.reason)).collect())
    }
}

/// Checks every recorded body whose operation and status the spec documents against that
/// response's schema. Returns how many bodies were checked.
pub fn assert_bodies_match_the_spec(exchanges: &[Exchange]) -> usize {
    let mut spec = Spec::load();
    let (mut checked, mut failures) = (0, Vec::new());
    for exchange in exchanges {
        let Some(operation) = exchange.operation.as_deref() else { continue };
        if exchange.status == 204 {
            // No Content: the spec documents no body, and none may be sent.
            assert!(exchange.body.is_empty(), "{} {}: a 204 with a body", exchange.method, exchange.path);
            checked += 1;
            continue;
        }
        let body = exchange
            .json()
            .unwrap_or_else(|| panic!("{} {}: body is not JSON", exchange.method, exchange.path));
        let Some(violations) = spec.violations(operation, exchange.status, &body) else { continue };
        let at = format!("{operation} {} ({})", exchange.status, exchange.path);
        failures.extend(violations.into_iter().map(|v| format!("{at}: {v}")));
        checked += 1;
    }
    assert!(failures.is_empty(), "bodies that break the spec:\n{}", failures.join("\n"));
    checked
}
