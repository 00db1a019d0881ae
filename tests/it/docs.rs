//! The documentation cannot drift from the binary.
//!
//! The flag tables: `porla-exporter --help` is the truth. Every flag it lists (except `--help`
//! and `--version`) must have a row in README.md's `## Flags` table and in docs/deployment.md's
//! `## Configuration reference` table, with the same environment variable and default, and
//! every row of those tables must name a flag `--help` knows. The row format, for adding flags:
//!
//! ```text
//! | `--flag.name` | `ENV_VAR` | `default` | meaning … |
//! | `--flag.name` | `ENV_VAR` | | a flag without default: the default cell is empty |
//! ```
//!
//! The first three cells are compared exactly (backticks included); the meaning is free text.
//! A table row is a line starting with ``| `--``; rows are looked for between the section's
//! heading and the next `## ` heading.
//!
//! Also: every variable deploy/systemd/porla-exporter.env.example sets is one `--help` knows,
//! every `porla_*` metric the README and docs/deployment.md name exists in docs/metrics.md, and
//! the README's run command parses and starts (against a fake Porla).

use crate::monitoring::read;
use crate::support;
use support::binary::{self, Binary};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag {
    pub(crate) env: Option<String>,
    default: Option<String>,
}

/// Flags of `--help` (long form), with their environment variable and default.
pub(crate) fn help_flags() -> BTreeMap<String, Flag> {
    let out = binary::run_to_end(&["--help"], &[]);
    assert_eq!(out.code, Some(0));
    let help = out.stdout;
    let mut flags = BTreeMap::new();
    let mut current: Option<(String, Flag)> = None;
    for line in help.lines() {
        let t = line.trim();
        if line.starts_with("  ")
            && (t.starts_with("--") || t.starts_with('-'))
            && !line.starts_with("          ")
        {
            if let Some((name, f)) = current.take() {
                flags.insert(name, f);
            }
            let long = t
                .split(|c: char| c == ',' || c.is_whitespace())
                .find(|w| w.starts_with("--"))
                .unwrap()
                .to_owned();
            current = Some((
                long,
                Flag {
                    env: None,
                    default: None,
                },
            ));
        } else if let Some((_, f)) = current.as_mut() {
            if let Some(v) = t.strip_prefix("[env: ") {
                f.env = Some(
                    v.trim_end_matches(']')
                        .split('=')
                        .next()
                        .unwrap()
                        .to_owned(),
                );
            } else if let Some(v) = t.strip_prefix("[default: ") {
                f.default = Some(v.strip_suffix(']').unwrap().to_owned());
            }
        }
    }
    if let Some((name, f)) = current.take() {
        flags.insert(name, f);
    }
    flags.remove("--help");
    flags.remove("--version");
    assert!(
        flags.len() > 10,
        "parsed too few flags from --help: {flags:?}"
    );
    flags
}

/// The section of `doc` under `heading` (up to the next `## ` heading).
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no {heading:?} heading"));
    let rest = &doc[start + heading.len() + 2..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// Rows ``| `--flag` | env | default | …`` of a table: flag → (env cell, default cell).
fn table_rows(text: &str) -> BTreeMap<String, (String, String)> {
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `--")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let flag = cells[1].trim_matches('`').to_owned();
        if flag.contains(',') {
            continue; // "`--version`, `--help`"
        }
        let prev = rows.insert(flag.clone(), (cells[2].to_owned(), cells[3].to_owned()));
        assert!(prev.is_none(), "{flag} has two rows");
    }
    rows
}

fn cell(v: &Option<String>) -> String {
    v.as_ref().map(|v| format!("`{v}`")).unwrap_or_default()
}

fn check_table(doc: &str, heading: &str) {
    let flags = help_flags();
    let rows = table_rows(section(&read(doc), heading));
    let mut problems = Vec::new();
    for (name, f) in &flags {
        match rows.get(name) {
            None => problems.push(format!("{name} is missing")),
            Some((env, default)) => {
                if *env != cell(&f.env) {
                    problems.push(format!(
                        "{name}: env cell {env:?}, --help says {:?}",
                        cell(&f.env)
                    ));
                }
                if *default != cell(&f.default) {
                    problems.push(format!(
                        "{name}: default cell {default:?}, --help says {:?}",
                        cell(&f.default)
                    ));
                }
            }
        }
    }
    for name in rows.keys().filter(|n| !flags.contains_key(*n)) {
        problems.push(format!("{name} is not a flag of --help"));
    }
    assert!(
        problems.is_empty(),
        "{doc} `{heading}` disagrees with --help:\n{}",
        problems.join("\n")
    );
}

#[test]
fn readme_flag_table_matches_help() {
    check_table("README.md", "## Flags");
}

#[test]
fn deployment_configuration_reference_matches_help() {
    check_table("docs/deployment.md", "## Configuration reference");
}

#[test]
fn systemd_environment_example_uses_real_variables() {
    let known: BTreeSet<String> = help_flags().into_values().filter_map(|f| f.env).collect();
    let example = read("deploy/systemd/porla-exporter.env.example");
    let mut set = Vec::new();
    for line in example.lines() {
        let l = line.trim_start_matches('#').trim();
        let Some((name, _)) = l.split_once('=') else {
            continue;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        set.push(name.to_owned());
    }
    assert!(set.len() > 5, "{set:?}");
    for name in set {
        // PORLA_EXPORTER_ARGS is the unit's own variable for extra command-line flags.
        assert!(
            known.contains(&name) || name == "PORLA_EXPORTER_ARGS",
            "porla-exporter.env.example sets {name}, which --help does not know"
        );
    }
}

/// `porla_*` metric names in `text` (without PromQL recording-rule names, which have colons).
fn metric_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("porla_") {
        let start = i + at;
        let word_start = start == 0
            || !(bytes[start - 1].is_ascii_alphanumeric()
                || bytes[start - 1] == b'_'
                || bytes[start - 1] == b'-'
                || bytes[start - 1] == b'/'
                || bytes[start - 1] == b'.');
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_lowercase()
                || bytes[end].is_ascii_digit()
                || bytes[end] == b'_')
        {
            end += 1;
        }
        let colon = end < bytes.len() && bytes[end] == b':';
        let name = &text[start..end];
        if word_start && !colon && !name.ends_with('_') && name != "porla_exporter" {
            names.insert(name.to_owned());
        }
        i = end.max(start + 1);
    }
    names
}

#[test]
fn metric_names_in_the_docs_exist() {
    let reference = read("docs/metrics.md");
    let known = metric_names(&reference);
    for doc in ["README.md", "docs/deployment.md"] {
        for name in metric_names(&read(doc)) {
            let base = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| name.strip_suffix(s))
                .unwrap_or(&name);
            assert!(
                known.contains(&name) || known.contains(base),
                "{doc} names {name}, which docs/metrics.md does not list"
            );
        }
    }
}

/// The README's run command, as written: its flags parse, and with the token file made the
/// way the README says just before, the exporter starts and polls (a fake Porla stands in
/// for the real one, and `cargo run --release --locked --` for the binary).
#[tokio::test]
async fn readme_run_command_works() {
    let readme = read("README.md");
    let run = section(&readme, "## Run it");
    let cmd = run
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("cargo run --release --locked -- "))
        .expect("the README's run command");
    let args: Vec<&str> = cmd
        .trim_start_matches("cargo run --release --locked -- ")
        .split_whitespace()
        .collect();
    let token_at = run
        .find("porla auth:token")
        .expect("the README says how to get a token");
    assert!(
        token_at < run.find(cmd).unwrap(),
        "the README must say how to get the token before the run command"
    );
    let porla = support::fake_porla::FakePorla::start(
        support::fake_porla::sample_torrents(),
        support::fake_porla::FakeAuth::Tokens(vec!["jwt-from-auth-token".into()]),
    )
    .await;
    // A home directory with the token file where the README puts it.
    let home = tempfile::tempdir().unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("~", home.path().to_str().unwrap())
                .replace("http://127.0.0.1:1337", &porla.url())
        })
        .collect();
    let token_file = args
        .iter()
        .position(|a| a == "--porla.token-file")
        .map(|i| args[i + 1].clone())
        .expect("the run command names a token file");
    std::fs::create_dir_all(Path::new(&token_file).parent().unwrap()).unwrap();
    std::fs::write(&token_file, "jwt-from-auth-token\n").unwrap();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut exp = Binary::start(&args, &[]);
    // Fails at once if the README's command exits.
    exp.wait_for_metrics("\nporla_up 1\n").await;
}

/// What the README says you see without Porla is what the binary prints.
#[tokio::test]
async fn readme_quotes_the_real_lines_without_porla() {
    let readme = read("README.md");
    let run = section(&readme, "## Run it");
    assert!(run.contains("porla_up 0"), "the README must say porla_up 0");
    let down = support::DownPort::reserve();
    let dead = down.url();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "t\n").unwrap();
    let mut exp = Binary::start(
        &[
            "--porla.url",
            &dead,
            "--porla.token-file",
            token.to_str().unwrap(),
        ],
        &[],
    );
    let body = exp.wait_for_metrics("\nporla_up 0\n").await;
    let (_, logs) = exp.terminate();
    assert!(body.contains("\nporla_up 0\n"), "{body}");
    // The README quotes the warn line from `level=warn` to its `class=...` field.
    let quoted = run
        .lines()
        .find(|l| l.contains("level=warn") && l.contains("poll of Porla failed"))
        .expect("the README quotes the warn line");
    let from = quoted.find("level=warn").unwrap();
    let quoted = quoted[from..].split(" error=").next().unwrap();
    assert!(
        logs.lines().any(|l| l.contains(quoted)),
        "the README quotes {quoted:?}, the binary prints:\n{logs}"
    );
}

/// docs/deployment.md quotes the warn line of a start without credential as the binary prints it.
#[tokio::test]
async fn deployment_quotes_the_real_no_credential_line() {
    let doc = read("docs/deployment.md");
    let quoted = doc
        .lines()
        .find(|l| l.contains("level=warn") && l.contains("no Porla credential"))
        .expect("docs/deployment.md quotes the no-credential warn line");
    // From `level=warn` to the end of `message="…"`.
    let from = quoted.find("level=warn").unwrap();
    let quoted = &quoted[from..];
    let msg_end = quoted.find("message=\"").unwrap() + "message=\"".len();
    let quoted = &quoted[..msg_end + quoted[msg_end..].find('"').unwrap() + 1];
    let down = support::DownPort::reserve();
    let dead = down.url();
    let mut exp = Binary::start(&["--porla.url", &dead], &[]);
    // The line is written before the server starts: once /-/healthy answers, it is out.
    exp.wait_for("/-/healthy", |_| true).await;
    let (_, logs) = exp.terminate();
    assert!(
        logs.lines().any(|l| l.contains(quoted)),
        "docs/deployment.md quotes {quoted:?}, the binary prints:\n{logs}"
    );
}

/// docs/metrics.md documents exactly the metrics contract (`porla_exporter::metrics`): it names
/// every metric the exporter serves and no other, and each of its table rows gives the
/// contract's type (and, per torrent × tracker, marks exactly the *details* gauges).
#[test]
fn metrics_md_documents_the_contract() {
    use porla_exporter::metrics::{self, Kind, TRACKER_GAUGES};
    let reference = read("docs/metrics.md");
    let documented = metric_names(&reference);
    let mut problems = Vec::new();
    for m in metrics::all() {
        if !documented.contains(m.name) {
            problems.push(format!("{} is not documented", m.name));
        }
    }
    for name in &documented {
        let served = metrics::all().any(|m| {
            m.name == name
                || (m.kind == Kind::Histogram
                    && ["_bucket", "_sum", "_count"]
                        .iter()
                        .any(|s| name.strip_suffix(s) == Some(m.name)))
        });
        if !served {
            problems.push(format!("{name} is documented but not in the contract"));
        }
    }
    let mut rows = 0;
    for line in reference.lines().filter(|l| l.starts_with("| `porla_")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_start_matches('`');
        let name = &name[..name.find(['`', '{']).unwrap_or(name.len())];
        let Some(m) = metrics::all().find(|m| m.name == name) else {
            continue; // reported above
        };
        rows += 1;
        if cells[2] != m.kind.as_str() {
            problems.push(format!(
                "{name}: type {:?}, the contract says {:?}",
                cells[2],
                m.kind.as_str()
            ));
        }
        if let Some(g) = TRACKER_GAUGES.iter().find(|g| g.metric.name == name) {
            if cells[1].contains("(*details*)") != g.details {
                problems.push(format!(
                    "{name}: marked *details* {}, the contract says {}",
                    cells[1].contains("(*details*)"),
                    g.details
                ));
            }
        }
    }
    assert!(rows > 20, "read only {rows} table rows of docs/metrics.md");
    assert!(
        problems.is_empty(),
        "docs/metrics.md disagrees with src/metrics.rs:\n{}",
        problems.join("\n")
    );
}

/// The sharding, federation and remote-write blocks of docs/deployment.md are the files of
/// deploy/prometheus/ that the fleet test (tests/tools/fleet.rs) runs: each block follows the
/// link to its file and quotes the file without its leading comment lines.
#[test]
fn deployment_scaling_blocks_are_the_tested_files() {
    let doc = read("docs/deployment.md");
    for file in ["shard.yml", "federation.yml", "remote-write.yml"] {
        let rel = format!("deploy/prometheus/{file}");
        let link = format!("](../{rel})");
        let at = doc
            .find(&link)
            .unwrap_or_else(|| panic!("docs/deployment.md does not link {rel}"));
        let block = doc[at..]
            .split("```yaml\n")
            .nth(1)
            .and_then(|b| b.split("```\n").next())
            .unwrap_or_else(|| panic!("no YAML block after the link to {rel}"));
        let text = read(&rel);
        let body: String = text
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        if block != body {
            panic!(
                "docs/deployment.md's block differs from {rel}:\n{}",
                support::line_diff(&body, block, &rel)
            );
        }
    }
}

/// The compose stack's Prometheus sends its alerts to the stack's Alertmanager, which runs the
/// shipped configuration (checked statically: no container engine in the tests).
#[test]
fn compose_stack_routes_alerts_through_alertmanager() {
    let compose = crate::monitoring::yaml("deploy/docker-compose/docker-compose.yml");
    let am = &compose["services"]["alertmanager"];
    let command: Vec<&str> = am["command"]
        .as_array()
        .expect("an alertmanager service with a command")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let config = command
        .iter()
        .find_map(|a| a.strip_prefix("--config.file="))
        .expect("--config.file");
    assert!(command.iter().any(|a| a.starts_with("--storage.path=")));
    assert!(command.contains(&"--cluster.listen-address="));
    let mounts: Vec<&str> = am["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        mounts.contains(&format!("../alertmanager/alertmanager.yml:{config}:ro").as_str()),
        "the alertmanager service mounts deploy/alertmanager/alertmanager.yml at {config}: {mounts:?}"
    );
    let port = am["ports"][0].as_str().unwrap();
    assert_eq!(port, "127.0.0.1:9093:9093");
    let depends: Vec<&str> = compose["services"]["prometheus"]["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(depends.contains(&"alertmanager"), "{depends:?}");
    let prom = crate::monitoring::yaml("deploy/docker-compose/prometheus.yml");
    assert_eq!(
        prom["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"][0],
        "alertmanager:9093"
    );
}

/// The `porla auth:token` commands in `text`: for each place that runs it (not a mention in
/// prose, where a quote follows), what follows `auth:token` up to a redirect, the end of a
/// subshell or of a quoted script.
fn token_commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for (at, _) in line.match_indices("auth:token") {
            let rest = &line[at + "auth:token".len()..];
            if rest.starts_with(['`', '\'', '"']) {
                continue;
            }
            let end = rest.find(['>', ')', '\'', '|']).unwrap_or(rest.len());
            found.push(rest[..end].trim().to_owned());
        }
    }
    found
}

/// Every copy of the token recipe is the one docs/deployment.md explains (and the exporter's
/// error about a token file quotes): `--db :memory:` so that the daemon's database is left
/// alone, `--log-level warning` so that Porla's log (on stdout) stays out of the file, and the
/// configuration given with `--config-file`; the container forms take it from the container's
/// environment. None uses `PORLA_DB`, which the configuration file overrides.
#[test]
fn every_token_recipe_is_the_documented_one() {
    let recipe = porla_exporter::porla::TOKEN_RECIPE;
    let deployment = read("docs/deployment.md");
    assert!(
        section(&deployment, "## Before you start: a Porla token").contains(recipe),
        "docs/deployment.md must show {recipe:?}"
    );
    let options = recipe
        .strip_prefix("porla auth:token ")
        .expect("the recipe runs porla auth:token");
    let container = options
        .strip_prefix("--config-file /etc/porla/porla.toml ")
        .expect("the recipe names the configuration file");
    for file in [
        "README.md",
        "docs/deployment.md",
        "deploy/systemd/porla-exporter.service",
        "deploy/debian/README.Debian",
        "deploy/docker-compose/README.md",
        "deploy/docker-compose/setup.sh",
    ] {
        let text = read(file);
        let commands = token_commands(&text);
        assert!(!commands.is_empty(), "{file} makes no token");
        for c in &commands {
            assert!(
                c == options || c == container,
                "{file} runs `porla auth:token {c}`, not the recipe `{recipe}` (or `{container}` in a container)"
            );
        }
        for line in text.lines().filter(|l| l.contains("PORLA_DB")) {
            assert!(
                token_commands(line).is_empty(),
                "{file}: PORLA_DB in a token command: {line}"
            );
        }
    }
    // The check sees a wrong copy.
    let old = "PORLA_CONFIG_FILE=/etc/porla/porla.toml PORLA_DB=:memory: porla auth:token > token";
    assert_eq!(token_commands(old), [""]);
    assert!(token_commands("`porla auth:token` prints a token").is_empty());
}

/// README.md names every subcommand of `--help` as `porla-exporter <command>`.
#[test]
fn readme_names_every_subcommand() {
    let readme = read("README.md");
    for c in crate::generate::help_commands() {
        assert!(
            readme.contains(&format!("`porla-exporter {c}")),
            "README.md does not name `porla-exporter {c}`"
        );
    }
}

/// docs/metrics.md's `classify` example is what the binary prints: the rules file of the
/// example above it, the messages of its `printf`, the lines below.
#[test]
fn metrics_md_classify_example_is_real() {
    let doc = read("docs/metrics.md");
    let block_after = |marker: &str| -> String {
        let from = &doc[doc
            .find(marker)
            .unwrap_or_else(|| panic!("{marker:?} in docs/metrics.md"))..];
        let body = from.split_once("```\n").expect("a code block").1;
        body.split_once("```\n").expect("its end").0.to_owned()
    };
    let rules = block_after("#### Your own patterns");
    assert!(rules.starts_with("# my-tracker.example"), "{rules}");
    let example = block_after("#### Trying a message");
    let mut lines = example.lines();
    let command = lines.next().unwrap();
    let quoted = command
        .strip_prefix("$ printf '")
        .and_then(|r| r.split_once('\''))
        .expect("$ printf '…' as the first line")
        .0
        .replace("\\n", "\n");
    let want: Vec<&str> = lines.filter(|l| !l.starts_with("    |")).collect();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("classes");
    std::fs::write(&file, &rules).unwrap();
    let mut child = std::process::Command::new(binary::BIN)
        .args([
            "classify",
            "--collector.tracker.classes-file",
            file.to_str().unwrap(),
        ])
        .env_clear()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), quoted.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout)
        .unwrap()
        .replace(file.to_str().unwrap(), "/etc/porla-exporter/classes");
    assert_eq!(got.lines().collect::<Vec<_>>(), want);
}
