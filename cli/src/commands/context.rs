//! `hostup context create|use|list|delete`: named API keys and base URLs, stored owner-only.

use std::io::{IsTerminal, Read};

use hostup::{ClientBuilder, Secret};
use serde::Serialize;

use super::Session;
use crate::args::Context;
use crate::contexts::{Store, StoredContext, config_path, fingerprint};
use crate::failure::Failure;

/// Runs one `context` command.
pub fn run(session: &Session, command: &Context) -> Result<(), Failure> {
    let path = config_path()?;
    let mut store = Store::load(&path)?;
    match command {
        Context::Create { name, url } => {
            if store.contexts.contains_key(name) {
                return Err(Failure::Usage(format!(
                    "a context named {name:?} exists: delete it first (`hostup context delete {name}`)"
                )));
            }
            let key = read_key(name)?;
            // Builds a client (no request is sent) so a bad URL is refused now, not at first use.
            let mut builder = ClientBuilder::new().api_key(key.clone());
            if let Some(url) = url {
                builder = builder.base_url(url.clone());
            }
            builder.build()?;
            let note = format!("context {name:?} created and active (key {})", fingerprint(&key));
            store.contexts.insert(name.clone(), StoredContext { base_url: url.clone(), api_key: key });
            store.active = Some(name.clone());
            store.save(&path)?;
            session.progress.note(&note);
        }
        Context::Use { name } => {
            store.get(name)?;
            store.active = Some(name.clone());
            store.save(&path)?;
            session.progress.note(&format!("using context {name:?}"));
        }
        Context::Delete { name } => {
            store.get(name)?;
            store.contexts.remove(name);
            if store.active.as_deref() == Some(name.as_str()) {
                store.active = None;
            }
            store.save(&path)?;
            session.progress.note(&format!("deleted context {name:?}"));
        }
        Context::List => return list(session, &store),
    }
    Ok(())
}

/// One context as `context list` prints it: never the key, only its fingerprint.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    name: String,
    active: bool,
    base_url: String,
    key_fingerprint: String,
}

impl hostup::redact::Redact for Listed {
    // A fingerprint, never the key.
    const SECRET_POINTERS: &'static [&'static str] = &[];
}

fn list(session: &Session, store: &Store) -> Result<(), Failure> {
    let rows: Vec<Listed> = store
        .contexts
        .iter()
        .map(|(name, context)| Listed {
            name: name.clone(),
            active: store.active.as_deref() == Some(name.as_str()),
            base_url: context.base_url.clone().unwrap_or_else(|| hostup::DEFAULT_BASE_URL.into()),
            key_fingerprint: fingerprint(&context.api_key),
        })
        .collect();
    session.printer.listing(&["ACTIVE", "NAME", "BASE URL", "KEY"], &rows, |row| {
        let active = if row.active { "*" } else { "" };
        vec![active.into(), row.name.clone(), row.base_url.clone(), row.key_fingerprint.clone()]
    })
}

/// The key: typed without echo on a terminal, else the whole of stdin (`pass hostup | hostup
/// context create prod`).
fn read_key(name: &str) -> Result<Secret, Failure> {
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("API key for {name:?}: "))
            .map_err(|e| Failure::Usage(format!("cannot read the key: {e}")))?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read the key from stdin: {e}")))?;
        text
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(Failure::Usage("no API key given".into()));
    }
    Ok(Secret::new(key))
}
