//! The man page and the shell completions come from the CLI definition
//! (`porla-exporter generate man|completions SHELL`, src/generate.rs): every flag of `--help` is
//! in the man page's OPTIONS and in the bash completion's word list, and neither names a flag
//! `--help` lacks. The checks run on the binary's own output; the Debian package ships the
//! same text (scripts/package), and tests/tools/package.rs checks the installed files.

use std::collections::BTreeSet;

use crate::docs::help_flags;
use crate::support::binary::{run_to_end, Ended};

/// Every long flag of `--help`, `--help` and `--version` included.
fn help_long_flags() -> BTreeSet<String> {
    let mut flags: BTreeSet<String> = help_flags().into_keys().collect();
    flags.extend(["--help".to_owned(), "--version".to_owned()]);
    flags
}

fn generate(args: &[&str]) -> String {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    let Ended {
        code,
        stdout,
        stderr,
    } = run_to_end(&all, &[]);
    assert_eq!(code, Some(0), "generate {args:?}: {stderr}");
    assert!(stderr.is_empty(), "generate {args:?}: {stderr}");
    stdout
}

/// Long flags listed in the OPTIONS section of a roff man page (`.TP` then
/// `\fB\-\-flag\fR …`).
fn man_flags(roff: &str) -> BTreeSet<String> {
    let text = roff.replace("\\-", "-");
    let options = text
        .split_once(".SH OPTIONS\n")
        .expect("the man page has an OPTIONS section")
        .1;
    let options = options.split("\n.SH ").next().unwrap();
    let mut flags = BTreeSet::new();
    let mut lines = options.lines();
    while let Some(line) = lines.next() {
        if line != ".TP" {
            continue;
        }
        let item = lines.next().unwrap_or_default();
        for word in item.split(['|', ' ', ',']) {
            let word = word.trim_start_matches("\\fB").trim_end_matches("\\fR");
            if word.starts_with("--") {
                flags.insert(word.to_owned());
            }
        }
    }
    flags
}

/// Long flags the bash completion offers right after `porla-exporter`.
fn bash_flags(script: &str) -> BTreeSet<String> {
    let mut lines = script
        .lines()
        .skip_while(|l| l.trim() != "porla__exporter)");
    lines
        .next()
        .expect("the completion of the top-level command");
    let opts = lines
        .map(str::trim)
        .find_map(|l| l.strip_prefix("opts=\""))
        .expect("its opts=\"…\" line");
    opts.trim_end_matches('"')
        .split_whitespace()
        .filter(|w| w.starts_with("--"))
        .map(str::to_owned)
        .collect()
}

/// What differs between `--help` and a list of flags, one line per flag; empty if none.
fn differences(what: &str, help: &BTreeSet<String>, listed: &BTreeSet<String>) -> Vec<String> {
    let missing = help
        .difference(listed)
        .map(|f| format!("{f} is in --help but not in {what}"));
    let extra = listed
        .difference(help)
        .map(|f| format!("{f} is in {what} but not in --help"));
    missing.chain(extra).collect()
}

#[test]
fn man_page_lists_every_flag_of_help() {
    let help = help_long_flags();
    let man = generate(&["man"]);
    assert!(man.contains(".TH porla-exporter 1"), "{man}");
    let problems = differences("the man page", &help, &man_flags(&man));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The environment variable of each flag is there too (what a systemd user sets).
    for env in help_flags().into_values().filter_map(|f| f.env) {
        assert!(
            man.contains(&format!("\\fB{env}\\fR")),
            "the man page does not name {env}"
        );
    }
}

#[test]
fn bash_completion_lists_every_flag_of_help() {
    let help = help_long_flags();
    let script = generate(&["completions", "bash"]);
    assert!(script.contains("complete -F _porla__exporter"), "{script}");
    let problems = differences("the bash completion", &help, &bash_flags(&script));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn zsh_and_fish_completions_name_the_flags() {
    let help = help_long_flags();
    let zsh = generate(&["completions", "zsh"]);
    let fish = generate(&["completions", "fish"]);
    for flag in &help {
        // zsh: '--porla.url=[…]' (a flag with a value), '--help[…]'; fish: -l porla.url
        assert!(
            zsh.contains(&format!("'{flag}=[")) || zsh.contains(&format!("'{flag}[")),
            "the zsh completion lacks {flag}"
        );
        let name = flag.trim_start_matches("--");
        assert!(
            fish.contains(&format!(" -l {name} ")),
            "the fish completion lacks {flag}"
        );
    }
}

/// The man page and bash checks find a flag that is missing: the man page and the completion with one
/// flag taken out fail them.
#[test]
fn a_missing_flag_is_found() {
    let help = help_long_flags();
    let man = generate(&["man"]).replace("\\fB\\-\\-poll.interval\\fR", "\\fBpoll.interval\\fR");
    assert_eq!(
        differences("the man page", &help, &man_flags(&man)),
        ["--poll.interval is in --help but not in the man page"]
    );
    let bash = generate(&["completions", "bash"]).replace(" --log.format ", " ");
    assert_eq!(
        differences("the bash completion", &help, &bash_flags(&bash)),
        ["--log.format is in --help but not in the bash completion"]
    );
}

#[test]
fn generate_is_hidden_and_refuses_unknown_shells() {
    let help = run_to_end(&["--help"], &[]).stdout;
    assert!(help.contains("healthcheck"), "{help}");
    assert!(!help.contains("generate"), "{help}");
    let Ended { code, stderr, .. } = run_to_end(&["generate", "completions", "tcsh"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("tcsh"), "{stderr}");
}

/// `--version` names the commit the binary was built from where build.rs knew it (the git
/// checkout, or `PORLA_EXPORTER_REVISION`), and the version alone where not.
#[test]
fn version_names_the_revision() {
    let out = run_to_end(&["--version"], &[]).stdout;
    let version = env!("CARGO_PKG_VERSION");
    // build.rs sets it for every target of the package, this test included.
    let revision = env!("PORLA_EXPORTER_REVISION");
    if revision == "unknown" {
        assert_eq!(out.trim_end(), format!("porla-exporter {version}"));
        return;
    }
    assert_eq!(
        out.trim_end(),
        format!("porla-exporter {version} (revision {revision})")
    );
    // In a checkout, and without an override in the environment (the Dockerfile's), it is the
    // commit checked out.
    let head = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if let (Some(head), None) = (head, std::env::var_os("PORLA_EXPORTER_REVISION")) {
        assert_eq!(revision, head);
    }
}

/// The crate as `cargo package` ships it (issue 19: ready to publish): the sources, the build
/// script, the manifest and lock file, the README, CHANGELOG, docs and the systemd files the
/// README links to; no tests, fixtures (real Porla captures), benchmarks or the fake Porla.
#[test]
fn the_crate_package_holds_sources_and_docs_but_no_tests() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["package", "--locked", "--list", "--allow-dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo package --list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "src/main.rs",
        "src/lib.rs",
        "docs/metrics.md",
        "deploy/systemd/porla-exporter.service",
    ] {
        assert!(
            files.contains(needed),
            "{needed} is not packaged: {files:?}"
        );
    }
    let unwanted: Vec<&String> = files
        .iter()
        .filter(|f| {
            [
                "tests/",
                "benches/",
                "fake-porla/",
                "mixin/",
                "dashboards/",
                "target/",
            ]
            .iter()
            .any(|p| f.starts_with(p))
        })
        .collect();
    assert!(unwanted.is_empty(), "packaged but not needed: {unwanted:?}");
}

/// No completion script offers the hidden `generate` (clap_complete lists hidden subcommands
/// unless they are taken out), and each still offers `healthcheck`.
#[test]
fn completions_do_not_offer_generate() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = generate(&["completions", shell]);
        assert!(!script.contains("generate"), "{shell} offers generate");
        assert!(script.contains("healthcheck"), "{shell} lost healthcheck");
    }
}

/// A reader that stops early (`generate man | head -1`) ends `generate` quietly with exit 0:
/// the closed pipe is no error to report. The pipe's reading end is closed before the binary
/// starts, so its first write meets the closed pipe whatever the size of the text (a text that
/// fits the pipe's buffer would otherwise be written whole before a reader could stop).
#[test]
fn generate_into_a_closed_pipe_ends_quietly() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Command, Stdio};
    for args in [&["man"][..], &["completions", "bash"][..]] {
        let mut fds = [0; 2];
        // SAFETY: pipe(2) writes two new descriptors into `fds`, which outlives the call.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: both descriptors were just made by pipe(2) and are owned by nothing else.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        drop(read);
        let out = Command::new(crate::support::binary::BIN)
            .arg("generate")
            .args(args)
            .env_clear()
            .stdout(Stdio::from(write))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// The visible subcommands of `--help` (the `Commands:` section, without clap's `help`).
pub(crate) fn help_commands() -> Vec<String> {
    let help = run_to_end(&["--help"], &[]).stdout;
    let section = help
        .split_once("Commands:\n")
        .expect("--help has a Commands section")
        .1;
    section
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

/// Every subcommand of `--help` is in the man page's SUBCOMMANDS and in the completions.
#[test]
fn man_page_and_completions_name_every_subcommand() {
    let commands = help_commands();
    assert!(
        commands.iter().any(|c| c == "classify") && commands.iter().any(|c| c == "healthcheck"),
        "{commands:?}"
    );
    let man = generate(&["man"]).replace("\\-", "-");
    let bash = generate(&["completions", "bash"]);
    let zsh = generate(&["completions", "zsh"]);
    let fish = generate(&["completions", "fish"]);
    for c in &commands {
        assert!(
            man.contains(&format!("\\fBporla-exporter {c}\\fR")),
            "{c} is not in the man page"
        );
        for (shell, script) in [("bash", &bash), ("zsh", &zsh), ("fish", &fish)] {
            assert!(
                script.contains(c.as_str()),
                "{c} is not in the {shell} completion"
            );
        }
    }
}
