//! What the platform changes inside the guest: SSH password login (read live through the guest
//! agent, so read once and never polled) and the hostname (checked against the spec's rule and
//! the server's own `validationRules` before it is sent).

use crate::error::ActionBlocked;
use crate::gates::{HostnameGate, PasswordLoginGate};
use crate::types::{
    Hostname, HostnameChangeRequest, HostnameChangeResult, HostnameState, SshPasswordLoginRequest,
    SshPasswordLoginResult,
};
use crate::{Client, Error, Result};

/// Checks a hostname against the spec's rule (`Hostname`: a fully qualified domain name of at
/// most 253 characters, labels of 1 to 63 letters, digits and hyphens, no hyphen at either end)
/// without sending anything.
///
/// ```
/// assert!(hostup::hostname("web-01.example.com").is_ok());
/// let err = hostup::hostname("-web.example.com").unwrap_err();
/// assert!(err.to_string().contains("hostname"));
/// assert!(hostup::hostname(&format!("{}.example.com", "a".repeat(64))).is_err()); // a label over 63
/// ```
///
/// # Errors
/// [`Error::InvalidOption`] (key `hostname`) with the rule it breaks.
pub fn hostname(name: &str) -> Result<Hostname> {
    Hostname::try_from(name).map_err(|e| Error::InvalidOption {
        key: "hostname".into(),
        reason: format!("{name:?} is not a valid hostname: {e}"),
    })
}

impl HostnameState {
    /// `Ok` when `name` keeps the server's own `validationRules` (its maximum length and its
    /// pattern), which may be stricter than the spec's rule ([`hostname`] checks that one). A
    /// pattern this client cannot compile is not held against the name: the server still checks.
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getVpsHostname.200.json"));
    /// let mut state: hostup::types::HostnameState = serde_json::from_str(json).unwrap();
    /// assert!(state.ensure_accepts("web-01.example.com").is_ok());
    /// state.validation_rules.pattern = "^[a-z0-9.-]+$".into();
    /// assert!(state.ensure_accepts("Web-01.example.com").unwrap_err().to_string().contains("hostname"));
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (key `hostname`) naming the rule it breaks.
    pub fn ensure_accepts(&self, name: &str) -> Result<()> {
        let rules = &self.validation_rules;
        let refuse = |rule: String| Err(Error::InvalidOption { key: "hostname".into(), reason: rule });
        if i64::try_from(name.chars().count()).unwrap_or(i64::MAX) > rules.max_length_chars {
            return refuse(format!(
                "{name:?} is longer than the server's {} characters",
                rules.max_length_chars
            ));
        }
        if let Ok(pattern) = regress::Regex::new(&rules.pattern)
            && pattern.find(name).is_none()
        {
            return refuse(format!("{name:?} breaks the server's rule: {}", rules.pattern_description));
        }
        Ok(())
    }
}

fn not_available(reason: Option<String>) -> Error {
    let reason = reason.unwrap_or_else(|| "the guest agent could not be asked".into());
    Error::Blocked(Box::new(ActionBlocked {
        action: "available".into(),
        reason: Some(format!("{reason} (install and start qemu-guest-agent in the VPS)")),
        code: None,
        blockers: Vec::new(),
    }))
}

pub(crate) async fn set_password_login(
    client: &Client,
    vps_id: &str,
    enabled: bool,
) -> Result<SshPasswordLoginResult> {
    // One live read of the guest for its gates: the docs ask not to query it more than needed.
    let state = client.get_vps_ssh_password_login().id(vps_id).send().await?.into_inner();
    if !state.available {
        return Err(not_available(state.reason));
    }
    match enabled {
        true => PasswordLoginGate::Enable.check(&state.actions)?,
        false => PasswordLoginGate::Disable.check(&state.actions)?,
    }
    let body = SshPasswordLoginRequest { enabled };
    Ok(client.set_vps_ssh_password_login().id(vps_id).body(body).send().await?.into_inner())
}

pub(crate) async fn set_hostname(client: &Client, vps_id: &str, name: &str) -> Result<HostnameChangeResult> {
    let hostname = hostname(name)?;
    let state = client.get_vps_hostname().id(vps_id).send().await?.into_inner();
    HostnameGate::Change.check(&state.actions)?;
    state.ensure_accepts(name)?;
    let body = HostnameChangeRequest { hostname };
    Ok(client.set_vps_hostname().id(vps_id).body(body).send().await?.into_inner())
}
