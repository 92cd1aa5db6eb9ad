//! The typed confirmation a destructive helper needs: made for one resource, so that a
//! confirmation given for one VPS can never let another be wiped or ended.

use crate::{Error, Result};

/// An explicit "yes, destroy it" for one resource, required by the helpers that wipe or end a VPS
/// ([`LifecycleExt::rebuild`](crate::LifecycleExt::rebuild), [`LifecycleExt::cancel_vps_service`](crate::LifecycleExt::cancel_vps_service)).
///
/// ```
/// let yes = hostup::Confirmation::destroys("vps_01hxa3b4c5d6e7f8g9h0j1k2m3");
/// assert_eq!(yes.resource(), "vps_01hxa3b4c5d6e7f8g9h0j1k2m3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Confirmation {
    resource: String,
}

impl Confirmation {
    /// Confirms that the destructive action may go ahead on `resource` (a VPS id).
    pub fn destroys(resource: impl Into<String>) -> Self {
        Confirmation { resource: resource.into() }
    }

    /// The resource this confirmation was given for.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// `Ok` only for the resource it names.
    pub(crate) fn covers(&self, resource: &str, action: &str) -> Result<()> {
        if self.resource == resource {
            return Ok(());
        }
        Err(Error::InvalidRequest(format!(
            "{action} of {resource} needs a confirmation for {resource}; the one given is for {}",
            self.resource
        )))
    }
}
