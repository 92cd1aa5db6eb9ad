//! `hostup vps jobs list|cancel`.

use hostup::Client;
use hostup::prelude::*;
use hostup::types::{ActiveJob, CancelJobType};

use super::{Session, cell, confirm};
use crate::args::recovery::Jobs;
use crate::confirm::Risk;
use crate::failure::Failure;

pub async fn run(client: &Client, session: &Session, command: &Jobs) -> Result<(), Failure> {
    match command {
        Jobs::List(vps) => {
            let jobs = client.list_vps_active_jobs().id(&vps.id).send().await?.into_inner();
            let headers = ["JOB", "TYPE", "STATUS"];
            session.printer.listing(&headers, &jobs.jobs, |j: &ActiveJob| {
                vec![cell(j.job_id.as_deref()), cell(j.job_type.as_ref()), cell(j.status.as_deref())]
            })
        }
        Jobs::Cancel { vps, job_type } => {
            let job_type: CancelJobType = job_type.parse().map_err(|_| {
                Failure::Usage(format!(
                    "unknown job type {job_type:?}: not a jobType the API cancels (see --help)"
                ))
            })?;
            let what = format!("cancel the active {job_type} job of {}", vps.id);
            confirm(session, &what, "the job stops part way and its result is discarded", Risk::Destructive)?;
            let answer = client.cancel_job(&vps.id, job_type).await?;
            // Nothing to cancel is an answer, not a failure.
            let cancelled = if answer.cancelled { "yes".to_string() } else { "no".to_string() };
            let fields = [
                ("vps", vps.id.clone()),
                ("type", job_type.to_string()),
                ("cancelled", cancelled),
                ("reason", cell(answer.reason.as_deref())),
            ];
            session.printer.record(&answer, &fields)
        }
    }
}
