//! Account SSH keys: a public key line checked and fingerprinted locally before it is sent (the
//! fingerprint is the one `ssh-keygen -l` prints, so a person can compare it by eye), the keys as
//! a cursor-paginated stream, and rename, delete and the reset of a VPS's keys behind their gates.

use std::num::NonZeroU64;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use futures::{Stream, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};

use crate::areas::recovery::Destructive;
use crate::gates::SshKeyGate;
use crate::paginate::{Page, paginate};
use crate::types::{
    Operation, OperationStatus, SshKey, SshKeyCreateRequest, SshKeyName, SshKeyRenameRequest, SshKeyRenamed,
    SshKeyResetRequest, SshKeyResetRequestKeyIdsItem, SshKeyType,
};
use crate::{Action, Client, Confirmation, Error, Result, WaitOptions};

/// A checked OpenSSH public key line (the contents of a `.pub` file).
///
/// ```
/// let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIATFqRBnwwcK1zQg/QSwAA0z6/JIH9gcFwkPlmVHeXL3 ops@example.com";
/// let key = hostup::SshKeyLine::parse(line).unwrap();
/// assert_eq!(key.algorithm, "ssh-ed25519");
/// assert_eq!(key.comment.as_deref(), Some("ops@example.com"));
/// assert_eq!(key.fingerprint, "SHA256:Ppq8z2RsYekUKfPnyrY4imKWJofUq2NtHFiBCPNwk7A"); // as ssh-keygen -l prints it
/// assert!(hostup::SshKeyLine::parse("ssh-ed25519 not-base64!").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SshKeyLine {
    /// The key type as written (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, ...).
    pub algorithm: String,
    /// The family the API reports in `keyType`.
    pub key_type: SshKeyType,
    /// `SHA256:` and the unpadded base64 of the SHA-256 of the key blob, as `ssh-keygen -l -E
    /// sha256` prints it.
    pub fingerprint: String,
    /// The comment after the key, if any.
    pub comment: Option<String>,
    /// The line as it is sent: type, base64 blob and comment, one space apart.
    pub line: String,
}

/// Key types and how many length-prefixed fields their blob holds after the type name.
const KNOWN_TYPES: [(&str, usize); 8] = [
    ("ssh-ed25519", 1),
    ("ssh-rsa", 2),
    ("ssh-dss", 4),
    ("ecdsa-sha2-nistp256", 2),
    ("ecdsa-sha2-nistp384", 2),
    ("ecdsa-sha2-nistp521", 2),
    ("sk-ssh-ed25519@openssh.com", 2),
    ("sk-ecdsa-sha2-nistp256@openssh.com", 3),
];

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidOption { key: "publicKey".into(), reason: reason.into() }
}

/// Reads one SSH wire-format string (a big-endian u32 length, then the bytes).
fn read_field<'a>(blob: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = blob.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    let (field, rest) = (rest.get(..len)?, &rest[len..]);
    *blob = rest;
    Some(field)
}

impl SshKeyLine {
    /// Checks a public key line: one line, a known type, a base64 blob that decodes, whose own
    /// type name matches the line's and whose fields are complete with nothing after them.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (key `publicKey`) naming the rule the line breaks.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            return Err(invalid("this is a private key; give the public key (the .pub file)"));
        }
        if text.lines().count() > 1 {
            return Err(invalid("one key per call: the text holds several lines"));
        }
        let mut parts = text.splitn(3, char::is_whitespace);
        let algorithm = parts.next().unwrap_or_default();
        let Some(&(_, fields)) = KNOWN_TYPES.iter().find(|(name, _)| *name == algorithm) else {
            let known: Vec<&str> = KNOWN_TYPES.iter().map(|(n, _)| *n).collect();
            return Err(invalid(format!("unknown key type {algorithm:?}; expected one of {known:?}")));
        };
        let encoded = parts.next().unwrap_or_default();
        let blob = STANDARD
            .decode(encoded)
            .map_err(|e| invalid(format!("the key after {algorithm} is not valid base64 ({e})")))?;
        let mut rest = blob.as_slice();
        let named = read_field(&mut rest).ok_or_else(|| invalid("the key blob is cut short"))?;
        if named != algorithm.as_bytes() {
            let named = String::from_utf8_lossy(named);
            return Err(invalid(format!("the line says {algorithm} but the key blob says {named:?}")));
        }
        for n in 0..fields {
            if read_field(&mut rest).is_none_or(|f| f.is_empty()) {
                return Err(invalid(format!(
                    "the {algorithm} key blob is cut short (field {} missing)",
                    n + 1
                )));
            }
        }
        if !rest.is_empty() {
            return Err(invalid(format!("{} stray bytes after the {algorithm} key", rest.len())));
        }
        let comment = parts.next().map(str::trim).filter(|c| !c.is_empty()).map(String::from);
        let fingerprint = format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob)));
        let line = match &comment {
            Some(comment) => format!("{algorithm} {encoded} {comment}"),
            None => format!("{algorithm} {encoded}"),
        };
        Ok(SshKeyLine {
            algorithm: algorithm.to_string(),
            key_type: key_type(algorithm),
            fingerprint,
            comment,
            line,
        })
    }
}

fn key_type(algorithm: &str) -> SshKeyType {
    match algorithm {
        "ssh-rsa" => SshKeyType::Rsa,
        "ssh-dss" => SshKeyType::Dsa,
        a if a.contains("ed25519") => SshKeyType::Ed25519,
        _ => SshKeyType::Ecdsa,
    }
}

/// A key the server stored, with the fingerprint computed locally from the line that was sent.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AddedSshKey {
    /// The key as the server answered.
    pub key: SshKey,
    /// The fingerprint of the line that was sent ([`SshKeyLine::fingerprint`]).
    pub fingerprint: String,
}

impl AddedSshKey {
    /// Whether the server's `fingerprint` is the local one; `None` when the server sent none.
    pub fn server_agrees(&self) -> Option<bool> {
        self.key.fingerprint.as_deref().map(|f| f == self.fingerprint)
    }
}

fn key_name(name: &str) -> Result<SshKeyName> {
    SshKeyName::try_from(name)
        .map_err(|e| Error::InvalidOption { key: "name".into(), reason: format!("key name {name:?} is {e}") })
}

pub(crate) fn stream(
    client: Client,
    page_size: u64,
) -> impl Stream<Item = Result<SshKey>> + Send + Unpin + 'static {
    let (min, max) = (crate::limits::LIST_SSH_KEYS_LIMIT_MIN, crate::limits::LIST_SSH_KEYS_LIMIT_MAX);
    let limit = NonZeroU64::new(page_size).filter(|n| (min..=max).contains(&n.get()));
    paginate(move |cursor| {
        let client = client.clone();
        async move {
            let limit = limit.ok_or_else(|| {
                Error::InvalidRequest(format!("limit: the page size must be {min} to {max}, not {page_size}"))
            })?;
            let mut request = client.list_ssh_keys().limit(limit);
            if let Some(cursor) = cursor {
                request = request.cursor(cursor);
            }
            let page = request.send().await?.into_inner();
            Ok(Page::new(page.data, page.next_cursor).with_has_more(page.has_more))
        }
    })
    .boxed()
}

pub(crate) async fn add(client: &Client, name: &str, public_key: &str) -> Result<AddedSshKey> {
    let name = key_name(name)?;
    let key = SshKeyLine::parse(public_key)?;
    let public_key = key.line.as_str().try_into().map_err(|e| invalid(format!("{e}")))?;
    let body = SshKeyCreateRequest { name, public_key };
    let stored = client.create_ssh_key().body(body).send().await?.into_inner();
    Ok(AddedSshKey { key: stored, fingerprint: key.fingerprint })
}

/// The account key `key_id`, found by walking the list (there is no single-key read).
async fn find(client: &Client, key_id: &str) -> Result<SshKey> {
    let mut keys = stream(client.clone(), crate::limits::LIST_SSH_KEYS_LIMIT_MAX);
    while let Some(key) = keys.try_next().await? {
        if key.id == key_id {
            return Ok(key);
        }
    }
    Err(Error::InvalidRequest(format!("no SSH key {key_id} on this account (GET /api/v2/ssh-keys)")))
}

pub(crate) async fn rename(client: &Client, key_id: &str, name: &str) -> Result<SshKeyRenamed> {
    let name = key_name(name)?;
    if let Some(actions) = find(client, key_id).await?.actions {
        SshKeyGate::Rename.check(&actions)?;
    }
    let body = SshKeyRenameRequest { name };
    Ok(client.rename_ssh_key().id(key_id).body(body).send().await?.into_inner())
}

pub(crate) async fn delete(client: &Client, key_id: &str, confirm: &Confirmation) -> Result<()> {
    confirm.covers(key_id, "deleting an SSH key")?;
    if let Some(actions) = find(client, key_id).await?.actions {
        SshKeyGate::Delete.check(&actions)?;
    }
    client.delete_ssh_key().id(key_id).send().await?;
    Ok(())
}

pub(crate) async fn reset(
    client: &Client,
    vps_id: &str,
    key_ids: &[&str],
    confirm: &Destructive,
) -> Result<SshKeysReset> {
    confirm.check(vps_id, "resetting the SSH keys (the VPS may restart to apply them)")?;
    if key_ids.is_empty() {
        return Err(Error::InvalidRequest("keyIds: name at least one account key to install".into()));
    }
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(Action::ResetSshKeys)?;
    let offered = client.list_vps_ssh_keys().id(vps_id).send().await?.into_inner().ssh_keys;
    let unknown: Vec<&str> =
        key_ids.iter().copied().filter(|id| !offered.iter().any(|k| k.id == *id)).collect();
    if !unknown.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "keyIds: {unknown:?} are not keys of this account as {vps_id} sees them (GET /api/v2/vps/{vps_id}/ssh-keys)"
        )));
    }
    let key_ids = key_ids.iter().map(|id| SshKeyResetRequestKeyIdsItem::try_from(*id));
    let key_ids =
        key_ids.collect::<Result<Vec<_>, _>>().map_err(|e| Error::InvalidRequest(format!("keyIds: {e}")))?;
    let body = SshKeyResetRequest { key_ids };
    // A POST: never sent twice once it may have reached the server.
    let accepted = client.reset_vps_ssh_keys().id(vps_id).body(body).send().await?.into_inner();
    Ok(SshKeysReset { vps_id: vps_id.to_string(), operation: accepted.operation })
}

/// A VPS's SSH key reset the server accepted (202): the operation to follow, since a running VPS
/// restarts to apply the keys (a stopped one takes them at its next boot: `completed` at once).
/// The request is never sent again.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SshKeysReset {
    /// The VPS.
    pub vps_id: String,
    /// The operation to follow; `None` when the answer carried none (nothing to wait for).
    pub operation: Option<Operation>,
}

impl SshKeysReset {
    /// True when nothing is left to wait for: no operation, or one already `completed`.
    pub fn is_finished(&self) -> bool {
        self.operation.as_ref().is_none_or(|op| op.status == OperationStatus::Completed)
    }

    /// Follows the operation (`GET /api/jobs/{jobId}` with backoff) until it is `completed`;
    /// returns at once when the reset is already finished.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
    /// let reset = client.replace_vps_ssh_keys(vps, &["ssh_01hxa3b4c5d6e7f8g9h0j1k2m3"], hostup::Destructive::confirm(vps)).await?;
    /// reset.wait(&client, hostup::WaitOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OperationFailed`], [`Error::WaitTimeout`] with the last status, the poll's own error.
    pub async fn wait(&self, client: &Client, options: WaitOptions) -> Result<()> {
        match &self.operation {
            Some(operation) => crate::areas::jobs::follow(client, operation, "SSH key reset", &options).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_must_match_its_type_and_be_whole() {
        let ed = "AAAAC3NzaC1lZDI1NTE5AAAAIATFqRBnwwcK1zQg/QSwAA0z6/JIH9gcFwkPlmVHeXL3";
        assert!(SshKeyLine::parse(&format!("ssh-ed25519 {ed}")).is_ok());
        // The docs' example key says 32 bytes of key material and carries 29.
        let docs = "AAAAC3NzaC1lZDI1NTE5AAAAIE9wZW5BUElFeGFtcGxlS2V5TWF0ZXJpYWwxMjM0";
        assert!(
            SshKeyLine::parse(&format!("ssh-ed25519 {docs}")).unwrap_err().to_string().contains("cut short")
        );
        let err = SshKeyLine::parse(&format!("ssh-rsa {ed}")).unwrap_err().to_string();
        assert!(err.contains("publicKey") && err.contains("ssh-ed25519"), "{err}");
        let short = STANDARD.encode(b"\0\0\0\x0bssh-ed25519\0\0\0\x20abc");
        assert!(
            SshKeyLine::parse(&format!("ssh-ed25519 {short}")).unwrap_err().to_string().contains("cut short")
        );
        assert!(SshKeyLine::parse("ssh-foo AAAA").unwrap_err().to_string().contains("unknown key type"));
        assert!(SshKeyLine::parse("").is_err());
        assert!(
            SshKeyLine::parse("-----BEGIN OPENSSH PRIVATE KEY-----")
                .unwrap_err()
                .to_string()
                .contains("private")
        );
        let two = format!("ssh-ed25519 {ed}\nssh-ed25519 {ed}");
        assert!(SshKeyLine::parse(&two).unwrap_err().to_string().contains("one key"));
    }
}
