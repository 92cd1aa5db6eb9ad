//! Issue 12, item 9: the library leaves the process's TLS state alone. Its own test binary, so that
//! no other test has chosen a crypto provider first.

/// A plain `reqwest::Client::new()` works before and after a hostup client is built (reqwest's
/// features unify with hostup's, so a provider-less reqwest would panic here), hostup installs no
/// process-wide provider, and the application can still install its own afterwards.
#[cfg(feature = "rustls")]
#[test]
fn plain_reqwest_clients_and_the_process_provider_are_left_alone() {
    let before = reqwest::Client::new();
    let client =
        hostup::Client::builder().api_key("hu_tls_test_key").build().expect("hostup builds its own TLS");
    let after = reqwest::Client::new();
    assert!(rustls::crypto::CryptoProvider::get_default().is_none(), "hostup installed a default provider");
    rustls::crypto::aws_lc_rs::default_provider()
        .install_default()
        .expect("the application can still choose the process's provider");
    let again =
        hostup::Client::builder().api_key("hu_tls_test_key").build().expect("and hostup still builds");
    drop((before, client, after, again));
}
