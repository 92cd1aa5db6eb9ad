#!/usr/bin/env bash
# What a dependent crate's first build costs (BENCHMARKS.md, section 6): clean `cargo build` of a
# fresh crate on hostup (a `git archive` of REV, plus tokio) against a plain reqwest + serde +
# tokio crate with the same TLS, each with its own target directory, interleaved (a b a b ...).
# Prints wall time and CPU time (user+sys of cargo and all it ran) with the load average.
# Usage: scripts/downstream-build.sh [REV] [ROUNDS]   (work in /tmp/hostup-downstream)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-HEAD}"
rounds="${2:-2}"
dir=/tmp/hostup-downstream
rm -rf "$dir" && mkdir -p "$dir/hostup" "$dir/a/src" "$dir/b/src"
git -C "$repo" archive "$rev" | tar x -C "$dir/hostup"

cat >"$dir/a/Cargo.toml" <<'EOF'
[package]
name = "a"
version = "0.1.0"
edition = "2024"

[dependencies]
hostup = { path = "../hostup" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
cat >"$dir/a/src/main.rs" <<'EOF'
#[tokio::main]
async fn main() {
    let client = hostup::Client::builder().api_key("k").build().unwrap();
    let _ = client.list_vps().send().await;
}
EOF
# The same TLS as hostup's `rustls` feature: rustls with the aws-lc-rs provider and the platform
# verifier (edit both lines if hostup's TLS changes).
cat >"$dir/b/Cargo.toml" <<'EOF'
[package]
name = "b"
version = "0.1.0"
edition = "2024"

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "rustls"] }
rustls = { version = "0.23", default-features = false, features = ["aws-lc-rs", "std", "tls12", "logging"] }
rustls-platform-verifier = "0.7"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
cat >"$dir/b/src/main.rs" <<'EOF'
#[derive(serde::Deserialize, Debug)]
struct Vps {
    id: String,
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    if let Ok(r) = client.get("https://cloud.hostup.se/api/v2/vps").send().await {
        let _: Result<Vec<Vps>, _> = r.json().await;
    }
}
EOF
(cd "$dir/a" && cargo fetch -q) && (cd "$dir/b" && cargo fetch -q)

TIMEFORMAT='%R %U %S'
for round in $(seq 1 "$rounds"); do
  for c in a b; do
    rm -rf "$dir/$c/target"
    load=$(cut -d' ' -f1 /proc/loadavg)
    t=$( { time (cd "$dir/$c" && cargo build --offline -q 2>"$dir/$c.err"); } 2>&1 )
    read -r real user sys <<<"$t"
    printf 'round %s %s: wall %.1f s, cpu %.1f s (load %s -> %s)\n' "$round" "$c" "$real" \
      "$(echo "$user + $sys" | bc)" "$load" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
