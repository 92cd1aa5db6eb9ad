//! Which key and base URL a command uses: flags, then the environment, then the active context.

use hostup::{Client, ClientBuilder, ENV_API_KEY, ENV_BASE_URL, Secret};

use crate::contexts::{Store, config_path};
use crate::failure::Failure;

/// Where the key came from, for error messages.
#[derive(Debug, PartialEq)]
pub enum Source {
    /// `--context NAME`.
    ContextFlag(String),
    /// `HOSTUP_API_KEY`.
    Environment,
    /// The active context.
    ActiveContext(String),
}

/// A key and the base URL to send it to (`None`: the default URL).
#[derive(Debug)]
pub struct Credentials {
    pub key: Secret,
    pub base_url: Option<String>,
    pub source: Source,
}

/// Reads the environment variable, treating an empty value as unset.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Resolves the credentials. A context is taken whole (its key with its URL), so a key from the
/// environment is never sent to a URL stored for another key.
pub fn resolve(context_flag: Option<&str>, base_url_flag: Option<&str>) -> Result<Credentials, Failure> {
    let flag_url = base_url_flag.map(String::from);
    if let Some(name) = context_flag {
        let store = Store::load(&config_path()?)?;
        let context = store.get(name)?;
        return Ok(Credentials {
            key: context.api_key.clone(),
            base_url: flag_url.or_else(|| context.base_url.clone()),
            source: Source::ContextFlag(name.to_string()),
        });
    }
    if let Some(key) = env(ENV_API_KEY) {
        return Ok(Credentials {
            key: Secret::new(key),
            base_url: flag_url.or_else(|| env(ENV_BASE_URL)),
            source: Source::Environment,
        });
    }
    let store = Store::load(&config_path()?)?;
    let Some(name) = store.active.clone() else {
        return Err(Failure::Usage(format!(
            "no API key: run `hostup context create NAME` (or set {ENV_API_KEY}), \
             or add --sandbox to try against a simulated account"
        )));
    };
    let context = store.get(&name)?;
    Ok(Credentials {
        key: context.api_key.clone(),
        base_url: flag_url.or_else(|| env(ENV_BASE_URL)).or_else(|| context.base_url.clone()),
        source: Source::ActiveContext(name),
    })
}

/// A client for the resolved credentials.
pub fn client(credentials: Credentials) -> Result<Client, Failure> {
    let mut builder = ClientBuilder::new().api_key(credentials.key);
    if let Some(url) = credentials.base_url {
        builder = builder.base_url(url);
    }
    builder.build().map_err(|e| match &credentials.source {
        Source::Environment => Failure::Hostup(e),
        Source::ContextFlag(name) | Source::ActiveContext(name) => {
            Failure::Usage(format!("context {name:?}: {e}"))
        }
    })
}
