//! Restoring a backup onto a new, billed PAYG Cloud VM. It creates a Cloud VM as a deployment
//! does, so it is checked as one before anything is sent: the backup's `canRestore` gate, then the
//! account's Cloud access (`canDeploy` and its blockers) and the PAYG quota the new VM takes. Like a
//! deployment it has no idempotency key: an answer that never arrives is reported as "may have
//! been created", never sent again.

use crate::areas::backups;
use crate::areas::deploy::{check_quota, ensure_deployable, may_have_reached_the_server};
use crate::areas::recovery::{JobKind, RecoveryJob};
use crate::error::Unconfirmed;
use crate::limits::PAYG_RESTORE_REQUEST_CPU_CORES_MAX;
use crate::types::{BackupList, PaygRestoreRequest, PaygRestoreResult};
use crate::{Client, Error, Result};

/// The answer to a restore onto a new Cloud VM: the server's body and the job to wait for, when
/// it sent one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PaygRestore {
    /// The server's answer (the new VM's id in `vps_id` when sent; unknown fields in `extra`).
    pub result: PaygRestoreResult,
    /// The restore job, when the server returned an operation.
    pub job: Option<RecoveryJob>,
}

/// The size the new VM will have, as far as it is known before sending: what the request gives,
/// else the source VPS's cores and memory (the docs: copied within the supported limits), and for
/// storage the backup's own size, the least the VM can hold (the docs' rule for it was not
/// captured). `None` where nothing tells.
struct Size {
    cpu_cores: Option<u64>,
    memory_gb: Option<u64>,
    storage_gb: Option<u64>,
}

fn whole(value: f64) -> Option<u64> {
    (value.is_finite() && value > 0.0).then(|| value.ceil() as u64)
}

async fn size(
    client: &Client,
    vps_id: &str,
    backups: &BackupList,
    backup_id: &str,
    request: &PaygRestoreRequest,
) -> Result<Size> {
    let (mut cpu_cores, mut memory_gb) =
        (request.cpu_cores.map(|c| c.get()), request.memory_gb.map(|m| m.get()));
    if cpu_cores.is_none() || memory_gb.is_none() {
        let source = client.get_vps_details().id(vps_id).send().await?.into_inner();
        let max = PAYG_RESTORE_REQUEST_CPU_CORES_MAX;
        cpu_cores = cpu_cores.or_else(|| whole(source.cpu_cores).map(|c| c.min(max)));
        memory_gb = memory_gb.or_else(|| whole(source.memory_gb));
    }
    let backup_size = backups.backups.iter().find(|b| b.id == backup_id).and_then(|b| b.size_gb);
    let storage_gb = request.storage_gb.map(|s| s.get()).or_else(|| backup_size.and_then(whole));
    Ok(Size { cpu_cores, memory_gb, storage_gb })
}

pub(crate) async fn restore_to_payg(
    client: &Client,
    vps_id: &str,
    backup_id: &str,
    request: PaygRestoreRequest,
) -> Result<PaygRestore> {
    let backups = backups::list(client, vps_id).await?;
    backups.ensure_can_restore(backup_id)?;
    ensure_deployable(&client.get_payg_deployment_options().send().await?.into_inner())?;
    let size = size(client, vps_id, &backups, backup_id, &request).await?;
    let limits = client.get_payg_limits().send().await?.into_inner();
    check_quota(&limits, size.cpu_cores, size.memory_gb, size.storage_gb)?;
    let look_for = request.name.clone();
    let sent = client.restore_vps_backup_to_payg().id(vps_id).backup_id(backup_id).body(request).send().await;
    let result = match sent {
        Ok(answer) => answer.into_inner(),
        Err(e) if may_have_reached_the_server(&e) => {
            return Err(Error::Unconfirmed(Box::new(Unconfirmed {
                what: "restore to a new PAYG VM".into(),
                look_for,
                attempt_key: None,
                source: e,
            })));
        }
        Err(e) => return Err(e),
    };
    let target = result.vps_id.clone().unwrap_or_else(|| backup_id.to_string());
    let job =
        result.operation.clone().map(|op| RecoveryJob::new(vps_id, JobKind::PaygRestore, &target, Some(op)));
    Ok(PaygRestore { result, job })
}
