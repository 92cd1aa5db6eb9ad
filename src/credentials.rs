//! Which credentials a request carries: Bearer on v2 routes, `X-API-Key` on legacy ones, none on
//! the operations the spec marks public (`security: []`). A client built without a key
//! ([`ClientBuilder::public_only`](crate::ClientBuilder::public_only)) refuses every other
//! operation before sending.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::operations::OperationSpec;
use crate::{Error, Result, Secret};

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// The API key and the two headers made from it (marked sensitive, so never logged).
pub(crate) struct Credentials {
    api_key: Secret,
    bearer: HeaderValue,
    legacy_key: HeaderValue,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("api_key", &self.api_key).finish_non_exhaustive()
    }
}

impl Credentials {
    pub(crate) fn new(api_key: Secret) -> Result<Self> {
        let sensitive = |value: String| {
            let mut header = HeaderValue::from_str(&value).map_err(|_| {
                Error::Config("the API key contains characters that cannot be sent in a header".into())
            })?;
            header.set_sensitive(true);
            Ok::<_, Error>(header)
        };
        Ok(Credentials {
            bearer: sensitive(format!("Bearer {}", api_key.expose()))?,
            legacy_key: sensitive(api_key.expose().to_string())?,
            api_key,
        })
    }

    /// The key, for scrubbing it from error bodies.
    pub(crate) fn key(&self) -> &str {
        self.api_key.expose()
    }
}

/// Adds the operation's credentials; `Err` (a configuration error) when it needs a key the client
/// does not have.
pub(crate) fn apply(
    credentials: Option<&Credentials>,
    op: &OperationSpec,
    headers: &mut HeaderMap,
) -> std::result::Result<(), String> {
    match credentials {
        _ if op.public => {}
        None => {
            return Err(format!(
                "{} needs an API key, and this client was built without one (for the public operations \
                 only); set {} or call ClientBuilder::api_key",
                op.id,
                crate::ENV_API_KEY
            ));
        }
        Some(c) if op.legacy_auth => {
            headers.insert(X_API_KEY, c.legacy_key.clone());
        }
        Some(c) => {
            headers.insert(AUTHORIZATION, c.bearer.clone());
        }
    }
    Ok(())
}
