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

/// What the command line and the environment say.
#[derive(Debug, Default)]
pub struct Given<'a> {
    /// `--context NAME`.
    pub context: Option<&'a str>,
    /// `--base-url URL`.
    pub base_url: Option<&'a str>,
    /// `HOSTUP_API_KEY`, when set and not blank.
    pub env_key: Option<String>,
    /// `HOSTUP_BASE_URL`, when set and not blank.
    pub env_url: Option<String>,
}

impl Given<'_> {
    /// The flags, with the environment as it is.
    pub fn flags<'a>(context: Option<&'a str>, base_url: Option<&'a str>) -> Given<'a> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Given { context, base_url, env_key: env(ENV_API_KEY), env_url: env(ENV_BASE_URL) }
    }
}

/// Resolves the credentials from the stored contexts at the platform's config path.
pub fn resolve(given: Given) -> Result<Credentials, Failure> {
    choose(given, || Store::load(&config_path()?))
}

/// The precedence itself. A context is taken with its own URL unless a flag or
/// `HOSTUP_BASE_URL` says otherwise, and a key from the environment never goes to a context's
/// URL; the store is only read when a context is needed.
fn choose(given: Given, store: impl FnOnce() -> Result<Store, Failure>) -> Result<Credentials, Failure> {
    let flag_url = given.base_url.map(String::from);
    if let Some(name) = given.context {
        let store = store()?;
        let context = store.get(name)?;
        return Ok(Credentials {
            key: context.api_key.clone(),
            base_url: flag_url.or_else(|| context.base_url.clone()),
            source: Source::ContextFlag(name.to_string()),
        });
    }
    if let Some(key) = given.env_key {
        return Ok(Credentials {
            key: Secret::new(key),
            base_url: flag_url.or(given.env_url),
            source: Source::Environment,
        });
    }
    let store = store()?;
    let Some(name) = store.active.clone() else {
        return Err(Failure::Usage(format!(
            "no API key: run `hostup context create NAME` (or set {ENV_API_KEY}), \
             or add --sandbox to try against a simulated account"
        )));
    };
    let context = store.get(&name)?;
    Ok(Credentials {
        key: context.api_key.clone(),
        base_url: flag_url.or(given.env_url).or_else(|| context.base_url.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contexts::StoredContext;

    fn store() -> Result<Store, Failure> {
        let mut store = Store { active: Some("sandbox".into()), ..Store::default() };
        let context =
            |key: &str, url: &str| StoredContext { api_key: Secret::new(key), base_url: Some(url.into()) };
        store.contexts.insert("sandbox".into(), context("k_sandbox", "http://127.0.0.1:1"));
        store.contexts.insert("prod".into(), context("k_prod", "https://prod.example"));
        Ok(store)
    }

    fn untouched() -> Result<Store, Failure> {
        panic!("the store is not read when the environment has the key")
    }

    #[test]
    fn a_key_from_the_environment_never_goes_to_a_contexts_url() {
        let given = Given { env_key: Some("k_env".into()), ..Given::default() };
        let chosen = choose(given, untouched).unwrap();
        assert_eq!(
            (chosen.key.expose(), chosen.base_url, chosen.source),
            ("k_env", None, Source::Environment)
        );
    }

    #[test]
    fn the_context_flag_brings_its_url_and_beats_the_environment() {
        let given = Given {
            context: Some("prod"),
            env_key: Some("k_env".into()),
            env_url: Some("http://127.0.0.1:2".into()),
            ..Given::default()
        };
        let chosen = choose(given, store).unwrap();
        assert_eq!(
            (chosen.key.expose(), chosen.base_url.as_deref()),
            ("k_prod", Some("https://prod.example"))
        );
    }

    #[test]
    fn the_active_context_comes_last_and_its_url_yields_to_flag_and_environment() {
        let chosen = choose(Given::default(), store).unwrap();
        assert_eq!(
            (chosen.key.expose(), chosen.base_url.as_deref()),
            ("k_sandbox", Some("http://127.0.0.1:1"))
        );
        let env_url = Given { env_url: Some("http://127.0.0.1:2".into()), ..Given::default() };
        assert_eq!(choose(env_url, store).unwrap().base_url.as_deref(), Some("http://127.0.0.1:2"));
        let flag =
            Given { base_url: Some("http://127.0.0.1:3"), env_url: Some("x".into()), ..Given::default() };
        assert_eq!(choose(flag, store).unwrap().base_url.as_deref(), Some("http://127.0.0.1:3"));
        assert!(matches!(choose(Given::default(), || Ok(Store::default())), Err(Failure::Usage(_))));
    }
}
