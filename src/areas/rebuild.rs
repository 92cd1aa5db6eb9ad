//! Reinstalling a VPS from a template: the template must be one this VPS offers, the
//! `canRebuild` gate open and a [`Confirmation`] given for this VPS (a rebuild wipes its OS
//! disk); then the VPS is followed until it runs again.

use crate::follow::{Until, until_running};
use crate::types::{OsTemplate, TemplateList, VpsStatus};
use crate::{Action, Client, Confirmation, Result, WaitOptions};

impl TemplateList {
    /// The template with this id, or else with this name (case-insensitive).
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/listVpsTemplates.200.json"));
    /// let list: hostup::types::TemplateList = serde_json::from_str(json).unwrap();
    /// assert_eq!(list.find("debian 12").unwrap().id, "os_01hxa3b4c5d6e7f8g9h0j1k2m4");
    /// assert!(list.find("Windows").is_none());
    /// ```
    pub fn find(&self, id_or_name: &str) -> Option<&OsTemplate> {
        let by_id = self.data.iter().find(|t| t.id == id_or_name);
        by_id.or_else(|| self.data.iter().find(|t| t.name.eq_ignore_ascii_case(id_or_name)))
    }
}

/// Checks, rebuilds, and follows the VPS until it runs again.
pub(crate) async fn rebuild(
    client: &Client,
    vps_id: &str,
    template: &str,
    confirmation: &Confirmation,
    wait: WaitOptions,
) -> Result<VpsStatus> {
    confirmation.covers(vps_id, "rebuilding")?;
    let templates = client.list_vps_templates().id(vps_id).send().await?.into_inner();
    let Some(chosen) = templates.find(template) else {
        let offered: Vec<String> = templates.data.iter().map(|t| format!("{} ({})", t.id, t.name)).collect();
        return Err(crate::areas::cancel::invalid(
            "templateId",
            format!("{template:?} is not offered for {vps_id}; offered: {}", offered.join(", ")),
        ));
    };
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(Action::Rebuild)?;
    let body = crate::types::RebuildRequest {
        template_id: chosen.id.parse().map_err(|e| crate::areas::cancel::invalid("templateId", e))?,
    };
    let answer = client.rebuild_vps().id(vps_id).body(body).send().await?.into_inner();
    until_running(client, vps_id, answer.operation.as_ref(), Until::RunningAgain, &wait).await
}
