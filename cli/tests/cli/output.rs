//! Every output format of every listing, one JSON shape per resource, secrets redacted.

use hostup_sandbox::{Sandbox, fleet};
use serde_json::Value;

use crate::common::Home;

/// Runs `args` in each format and checks them against each other: the table has the header and
/// `rows` lines, `--no-header` drops only the header, JSON is an array of `rows`, YAML is the
/// same document, and `columns=` picks a table column and a JSON field.
async fn every_format(
    home: &Home,
    sandbox: &Sandbox,
    args: &[&str],
    rows: usize,
    header: &str,
    field: &str,
) -> Value {
    let with = |extra: &[&str]| home.against(sandbox, &[args, extra].concat());
    let table = with(&[]).stdin("").run().await;
    let lines: Vec<&str> = table.ok().lines().collect();
    assert_eq!(lines.len(), rows + 1, "{args:?}: {}", table.stdout);
    assert!(lines[0].starts_with(header), "{args:?}: {}", lines[0]);

    let bare = with(&["--no-header"]).run().await;
    let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let bare: Vec<String> = bare.ok().lines().map(words).collect();
    assert_eq!(bare, lines[1..].iter().map(|l| words(l)).collect::<Vec<_>>(), "{args:?}");

    let json = with(&["-o", "json"]).run().await.json();
    assert_eq!(json.as_array().map(Vec::len), Some(rows), "{args:?}: {json}");
    let yaml = with(&["-o", "yaml"]).run().await;
    let yaml: Value = serde_yaml_ng::from_str(yaml.ok()).unwrap();
    assert_eq!(yaml, json, "{args:?}: YAML and JSON are the same document");

    let first_column = header.to_lowercase();
    let columns = format!("columns={first_column},{field}");
    let picked = with(&["-o", &columns]).run().await;
    let picked: Vec<&str> = picked.ok().lines().collect();
    assert_eq!(picked[0].split_whitespace().collect::<Vec<_>>(), [header, &field.to_uppercase()], "{args:?}");
    let first = json[0].pointer(&format!("/{}", field.replace('.', "/"))).unwrap();
    let shown = first.as_str().map_or_else(|| first.to_string(), String::from);
    assert!(picked[1].ends_with(&shown), "{args:?}: {} should end with {shown}", picked[1]);
    let unknown = with(&["-o", "columns=nosuchfield"]).run().await;
    assert_eq!(unknown.code, 2, "{args:?}: {}", unknown.stderr);
    json
}

#[tokio::test]
async fn every_listing_in_every_format() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let all = fleet::ALL.len();
    let list = every_format(&home, &sandbox, &["vps", "list"], all, "ID", "billing.currencyCode").await;
    assert_eq!(list[0]["id"], fleet::PAYG_CLOUD, "the spec's VpsSummary");
    assert_eq!(list[0]["billing"]["isPayg"], true);

    // The per-VPS result listing of bulk actions (power actions share it; see bulk.rs).
    let two = ["vps", "preview", fleet::MONTHLY_SEK, fleet::QUARTERLY_EUR, "--set", "bandwidthGb=4096"];
    let quotes = every_format(&home, &sandbox, &two, 2, "ID", "result.priceChange.currencyCode").await;
    assert_eq!(quotes[0]["vpsId"], fleet::MONTHLY_SEK);
    assert_eq!(quotes[1]["result"]["dryRun"], true, "the spec's ResourceChangeResult: {quotes}");

    let key = sandbox.api_key();
    home.hostup(&["context", "create", "dev", "--url", sandbox.url()]).stdin(key).run().await.ok();
    let contexts = every_format(&home, &sandbox, &["context", "list"], 1, "ACTIVE", "keyFingerprint").await;
    assert_eq!(contexts[0]["name"], "dev");
    assert!(!contexts.to_string().contains(key));
}

#[tokio::test]
async fn records_print_the_spec_resource_and_redact_secrets() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let details = sandbox.client().get_vps_details().id(id).send().await.unwrap().into_inner();
    let password = details.access.root_password.as_ref().unwrap().expose().to_string();

    for format in ["table", "json", "yaml", "columns=id,access.rootPassword"] {
        let run = home.against(&sandbox, &["vps", "show", id, "-o", format]).run().await;
        run.ok();
        run.never_shows(&password);
        if format != "table" {
            assert!(run.stdout.contains("[redacted]"), "{format}: {}", run.stdout);
        }
    }
    let yaml = home.against(&sandbox, &["vps", "show", id, "-o", "yaml"]).run().await;
    let mut yaml: Value = serde_yaml_ng::from_str(yaml.ok()).unwrap();
    let mut json = home.against(&sandbox, &["vps", "show", id, "-o", "json"]).run().await.json();
    // The sandbox stamps the usage log with the time of the request.
    for value in [&mut yaml, &mut json] {
        value.as_object_mut().unwrap().remove("usageLog");
    }
    assert_eq!(yaml, json);
    assert_eq!(json["id"], id, "the spec's VpsDetails");
    assert_eq!(json["access"]["rootPassword"], "[redacted]");

    let shown =
        home.against(&sandbox, &["vps", "show", id, "-o", "json", "--show-secrets"]).run().await.json();
    assert_eq!(shown["access"]["rootPassword"], password.as_str(), "--show-secrets shows it");

    let columns = home
        .against(&sandbox, &["vps", "show", id, "-o", "columns=hostname,billing.currencyCode"])
        .run()
        .await;
    let lines: Vec<&str> = columns.ok().lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["HOSTNAME", "BILLING.CURRENCYCODE"]);
    assert!(lines[1].ends_with("SEK"), "{}", lines[1]);

    let quote = ["vps", "preview", id, "--set", "bandwidthGb=4096", "-o", "yaml"];
    let quote: Value = serde_yaml_ng::from_str(home.against(&sandbox, &quote).run().await.ok()).unwrap();
    assert_eq!(quote["dryRun"], true, "the spec's ResourceChangeResult: {quote}");
}
