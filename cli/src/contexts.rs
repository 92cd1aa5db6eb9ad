//! Stored contexts: named API keys and base URLs in `hostup/config.yaml` under the platform's
//! config folder (`$XDG_CONFIG_HOME` or `~/.config` on Linux), written owner-only and refused when
//! others could read it, as ssh does with its keys.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use hostup::Secret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::failure::Failure;

/// The config file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Store {
    /// The context used when neither `--context` nor `HOSTUP_API_KEY` says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    /// Contexts by name.
    #[serde(default)]
    pub contexts: BTreeMap<String, StoredContext>,
}

/// One context: a key and where to send it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoredContext {
    /// The API's base URL; the default HostUp URL when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The API key.
    pub api_key: Secret,
}

/// The config file's path.
pub fn config_path() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("se", "HostUp", "hostup")
        .map(|dirs| dirs.config_dir().join("config.yaml"))
        .ok_or_else(|| Failure::Usage("no home folder: cannot find the config folder for contexts".into()))
}

impl Store {
    /// Reads the store; an absent file is an empty store.
    pub fn load(path: &Path) -> Result<Store, Failure> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Store::default()),
            Err(e) => return Err(Failure::Usage(format!("cannot read {}: {e}", path.display()))),
        };
        refuse_if_shared(path)?;
        // serde's messages can quote a value, and a value here may be a key: give the place only.
        serde_yaml_ng::from_str(&text).map_err(|e| {
            let at = e.location().map(|l| format!(" at line {}, column {}", l.line(), l.column()));
            Failure::Usage(format!(
                "{} is not a valid context file{} (expected `active: NAME` and \
                 `contexts: {{NAME: {{apiKey: KEY, baseUrl: URL}}}}`)",
                path.display(),
                at.unwrap_or_default()
            ))
        })
    }

    /// Writes the store owner-only, through a temporary file so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<(), Failure> {
        let failed = |e: std::io::Error| Failure::Usage(format!("cannot write {}: {e}", path.display()));
        let text = serde_yaml_ng::to_string(self)
            .map_err(|e| Failure::Usage(format!("cannot encode the contexts: {e}")))?;
        if let Some(dir) = path.parent() {
            create_private_dir(dir).map_err(failed)?;
        }
        let temporary = path.with_extension("yaml.tmp");
        let mut file = private_file(&temporary).map_err(failed)?;
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)?;
        fs::rename(&temporary, path).map_err(failed)
    }

    /// The named context, or an error that lists the known ones.
    pub fn get(&self, name: &str) -> Result<&StoredContext, Failure> {
        self.contexts.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.contexts.keys().map(String::as_str).collect();
            let known = if known.is_empty() { "none yet".to_string() } else { known.join(", ") };
            Failure::Usage(format!(
                "no context named {name:?} (known: {known}); create it with `hostup context create {name}`"
            ))
        })
    }
}

/// A short, stable fingerprint of a key: enough to tell keys apart, useless for recovering one.
pub fn fingerprint(key: &Secret) -> String {
    let digest = Sha256::digest(key.expose().as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(unix)]
fn refuse_if_shared(path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::Usage(format!(
            "refusing to use {}: it holds API keys and others can access it (mode {:03o}); \
             run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_shared(_path: &Path) -> Result<(), Failure> {
    // The per-user profile folder's ACL already keeps other users out.
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_and_hide_the_key() {
        let a = fingerprint(&Secret::new("hu_live_aaaaaaaaaaaaaaaa"));
        assert_eq!(a.len(), "sha256:".len() + 12);
        assert_ne!(a, fingerprint(&Secret::new("hu_live_aaaaaaaaaaaaaaab")));
        assert!(!a.contains("hu_live"));
    }
}
