//! porla-exporter: Porla's tracker announce state as Prometheus metrics.
//!
//! Data flows one way, down this chain; a module imports only modules above it (the test
//! `chain` below reads the sources and fails otherwise):
//!
//! 1. [`defaults`] (every setting's default), [`redact`] (URL redaction, label hygiene).
//! 2. [`porla`]: the JSON-RPC client, the only code that talks to Porla; [`classify`]: the
//!    status and error class of an announce slot.
//! 3. [`metrics`]: the contract, every metric's name, help, type and unit, and the two gauge
//!    tables (per torrent × tracker, per tracker host).
//! 4. [`snapshot`]: its [`data`](snapshot::data) types; each answer folded into rows on arrival
//!    ([`fold`](snapshot::fold)); views assembled and capped ([`view`](snapshot::view)); the
//!    encoder's [`walk`](snapshot::walk) over the rows.
//! 5. [`telemetry`]: the exporter's own counters and build info, the live part of each scrape.
//! 6. [`poller`]: lists, fetches and folds, builds the view and hands each new snapshot over
//!    through its [`Publish`](poller::Publish) trait. It knows no format, no compression, no
//!    server.
//! 7. [`collector`] and [`exposition`]: the snapshot as text in both formats, and gzip parts.
//! 8. [`published`]: the latest snapshot as served. It implements the poller's `Publish`:
//!    compresses the formats gzip scrapes ask for, then swaps the snapshot in, before the
//!    poller goes on, so a scrape never compresses what a poll brought.
//! 9. [`landing`] (the page `/`), [`webconfig`] (TLS, basic auth, headers), [`server`]
//!    (hyper 1: `/metrics`, `/probe`, `/-/healthy`, `/-/ready`), [`healthcheck`] (the
//!    `healthcheck` subcommand's client of the server).
//! 10. [`generate`]: the man page and shell completions of a command-line definition (the
//!     hidden `generate` subcommand).
//! 11. [`config`] (flags into a validated [`config::Config`]) and [`app`] (one client, poller
//!     and latest snapshot per Porla instance, and the server over them).
//!
//! Only the poller talks to Porla; a scrape never does.

pub mod app;
pub mod classify;
pub mod collector;
pub mod config;
pub mod defaults;
pub mod exposition;
pub mod generate;
pub mod healthcheck;
pub mod landing;
pub mod metrics;
pub mod poller;
pub mod porla;
pub mod published;
pub mod redact;
pub mod server;
pub mod snapshot;
pub mod telemetry;
pub mod webconfig;

/// Keeps the chain above true: reads every library source file and fails when a module uses
/// (through a `crate::` or, inside a folder, a `super::` path) a module further down.
#[cfg(test)]
mod chain {
    use std::path::Path;

    /// The library's modules, top of the chain first (a folder's submodules may be listed on
    /// their own; otherwise a folder is one module). Keep in step with the crate docs above.
    const CHAIN: &[&str] = &[
        "defaults",
        "redact",
        "porla",
        "classify",
        "metrics",
        "snapshot::data",
        "snapshot::fold",
        "snapshot::view",
        "snapshot::walk",
        "snapshot::testing",
        "snapshot",
        "telemetry",
        "poller",
        "collector",
        "exposition",
        "published",
        "landing",
        "webconfig",
        "server",
        "healthcheck",
        "generate",
        "config",
        "app",
    ];

    /// The chain entry a module path (`snapshot::fold::Group` or `porla::tls`) belongs to: the
    /// longest entry it starts with.
    fn entry(path: &[&str]) -> Option<usize> {
        CHAIN
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let parts: Vec<&str> = e.split("::").collect();
                path.len() >= parts.len() && path[..parts.len()] == parts[..]
            })
            .max_by_key(|(_, e)| e.len())
            .map(|(i, _)| i)
    }

    /// The code of a source file without its comments and without its unit tests (which may
    /// use anything).
    fn code(source: &str) -> String {
        let source = source
            .find("#[cfg(test)]\nmod tests")
            .map_or(source, |at| &source[..at]);
        source
            .lines()
            .map(|l| l.find("//").map_or(l, |at| &l[..at]))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The module paths `code` uses, written in the file of module `module`: `crate::a::b`
    /// (each name of a `crate::{a, b}` group too) and, in a folder's file, `super::a`.
    fn uses(module: &[&str], code: &str) -> Vec<Vec<String>> {
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let path_at = |rest: &str| -> Vec<String> {
            let mut parts = Vec::new();
            let mut rest = rest;
            loop {
                let end = rest.find(|c: char| !ident(c)).unwrap_or(rest.len());
                if end == 0 {
                    break;
                }
                parts.push(rest[..end].to_owned());
                match rest[end..].strip_prefix("::") {
                    Some(r) if r.starts_with(ident) => rest = r,
                    _ => break,
                }
            }
            parts
        };
        let mut found = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            if at > 0 && code[..at].ends_with(ident) {
                continue; // `porla_exporter::crate`-like words, not a path
            }
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    let p = path_at(item.trim());
                    if !p.is_empty() {
                        found.push(p);
                    }
                }
            } else {
                found.push(path_at(rest));
            }
        }
        if module.len() > 1 {
            let parent = &module[..module.len() - 1];
            for (at, _) in code.match_indices("super::") {
                if at > 0 && code[..at].ends_with(ident) {
                    continue;
                }
                let mut p: Vec<String> = parent.iter().map(|s| s.to_string()).collect();
                p.extend(path_at(&code[at + "super::".len()..]));
                found.push(p);
            }
        }
        found
    }

    /// Problems of one file of module `module`.
    fn problems(module: &[&str], source: &str) -> Vec<String> {
        let name = module.join("::");
        let Some(own) = entry(module) else {
            return vec![format!(
                "{name} has no place in the chain (CHAIN in src/lib.rs)"
            )];
        };
        let mut out = Vec::new();
        for used in uses(module, &code(source)) {
            let parts: Vec<&str> = used.iter().map(String::as_str).collect();
            match entry(&parts) {
                Some(i) if i <= own => {}
                Some(i) => out.push(format!(
                    "{name} uses crate::{}, which comes after it ({})",
                    used.join("::"),
                    CHAIN[i]
                )),
                None => out.push(format!(
                    "{name} uses crate::{}, which is no module of the chain",
                    used.join("::")
                )),
            }
        }
        out
    }

    /// Every library source file (not lib.rs, not the binary's main.rs) with its module path.
    fn sources(dir: &Path, module: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            if path.is_dir() {
                module.push(stem);
                sources(&path, module, out);
                module.pop();
            } else if path.extension().is_some_and(|e| e == "rs") {
                if module.is_empty() && (stem == "lib" || stem == "main") {
                    continue;
                }
                let mut m = module.clone();
                if stem != "mod" {
                    m.push(stem);
                }
                out.push((m, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    #[test]
    fn no_module_imports_one_further_down_the_chain() {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut Vec::new(),
            &mut files,
        );
        assert!(files.len() >= CHAIN.len(), "{} files read", files.len());
        let mut all = Vec::new();
        for (module, source) in &files {
            let parts: Vec<&str> = module.iter().map(String::as_str).collect();
            all.extend(problems(&parts, source));
        }
        for e in CHAIN {
            assert!(
                files.iter().any(|(m, _)| m.join("::") == *e),
                "CHAIN lists {e}, which has no source file"
            );
        }
        assert!(all.is_empty(), "the chain is broken:\n{}", all.join("\n"));
    }

    /// The check finds what it is for: a poller that imports the published side, a fold that
    /// uses the view beside it, and a module nobody placed.
    #[test]
    fn the_check_sees_imports_down_the_chain() {
        assert_eq!(
            problems(&["poller"], "use crate::published::LatestSnapshot;\n").len(),
            1
        );
        assert_eq!(
            problems(&["poller"], "use crate::{defaults, server::Routes};\n").len(),
            1
        );
        assert_eq!(
            problems(&["snapshot", "fold"], "use super::view::ViewOptions;\n").len(),
            1
        );
        assert!(problems(&["snapshot", "view"], "use super::data::View;\n").is_empty());
        assert!(problems(&["poller"], "// see crate::published\n").is_empty());
        assert!(problems(
            &["poller"],
            "use crate::snapshot::View;\n#[cfg(test)]\nmod tests {\n    use crate::app::Instance;\n}\n"
        )
        .is_empty());
        assert_eq!(problems(&["newcomer"], "").len(), 1);
    }
}
