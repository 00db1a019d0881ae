//! The real binary: bad flags, version, secrets never in logs or metrics, signals.

use crate::support;

use std::process::Command;

use support::binary::{run_to_end, Binary, Ended};
use support::fake_porla::{hostile_torrents, FakeAuth, FakePorla};
use support::DownPort;

#[test]
fn bad_flags_exit_non_zero_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let empty = empty.to_str().unwrap();
    for (args, needle) in [
        (vec!["--poll.interval", "nonsense"], "--poll.interval"),
        (vec!["--bogus"], "--bogus"),
        (vec!["--porla.url", "ftp://x"], "--porla.url"),
        (vec!["--porla.concurrency", "0"], "--porla.concurrency"),
        (vec!["--log.format", "xml"], "--log.format"),
        (
            vec!["--porla.token-file", "/nonexistent/token"],
            "--porla.token-file",
        ),
        (vec!["--porla.token-file", empty], "empty"),
        (vec!["--porla.username", "u"], "PORLA_PASSWORD"),
        (
            vec!["--web.listen-address", "not-an-address"],
            "--web.listen-address",
        ),
        (
            vec!["--collector.tracker.per-torrent", "maybe"],
            "--collector.tracker.per-torrent",
        ),
    ] {
        let Ended {
            code, stderr: err, ..
        } = run_to_end(&args, &[]);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err:?}"
        );
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let Ended {
        code, stderr: err, ..
    } = run_to_end(&["--web.listen-address", &addr], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--web.listen-address") && err.contains(&addr),
        "{err}"
    );
}

#[test]
fn version_and_help() {
    let Ended {
        code, stdout: out, ..
    } = run_to_end(&["--version"], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains(env!("CARGO_PKG_VERSION")));
    let Ended {
        code, stdout: out, ..
    } = run_to_end(&["--help"], &[]);
    assert_eq!(code, Some(0));
    for flag in [
        "--porla.url",
        "--poll.interval",
        "--web.listen-address",
        "PORLA_TOKEN_FILE",
        "--collector.tracker.per-torrent",
    ] {
        assert!(out.contains(flag), "{flag} missing from --help");
    }
}

/// The binary polling every second.
fn start(args: &[&str], envs: &[(&str, &str)]) -> Binary {
    let mut args = args.to_vec();
    args.extend(["--poll.interval", "1s"]);
    Binary::start(&args, envs)
}

/// Every secret of the hostile fixture plus the credentials used below.
const SECRETS: &[&str] = &[
    "SECRETPASSKEY0123456789abcdef",
    "SECRETAUTHKEY",
    "SECRETPK",
    "SECRETPASSWORD",
    "SECRETWORD",
    "0123456789abcdef0123456789abcdef",
    "jwt-token-SECRET-1234",
    "login-password-SECRET-5678",
    "issued-jwt-SECRET-9999",
];

fn assert_no_secret(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} contains the secret {s:?}");
    }
}

#[tokio::test]
async fn no_secret_in_logs_or_metrics_at_debug_level() {
    // Token auth, from a file; and a failing token first, so error paths log too.
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "jwt-token-SECRET-1234\n").unwrap();
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Tokens(vec!["other".into()])).await;
    for format in ["logfmt", "json"] {
        let mut exp = start(
            &[
                "--porla.url",
                &porla.url(),
                "--porla.token-file",
                token_file.to_str().unwrap(),
                "--log.level",
                "debug",
                "--log.format",
                format,
            ],
            &[],
        );
        exp.wait_for_metrics("porla_exporter_poll_errors_total{class=\"unauthorized\"}")
            .await;
        porla.set_auth(FakeAuth::Tokens(vec!["jwt-token-SECRET-1234".into()]));
        let body = exp.wait_for_metrics("\nporla_up 1\n").await;
        assert!(body.contains("REDACTED"), "{body}");
        assert_no_secret("/metrics", &body);
        let (code, logs) = exp.terminate();
        assert_eq!(code, Some(0), "{logs}");
        assert!(
            logs.contains("unauthorized") && logs.contains("shutting down"),
            "{logs}"
        );
        assert_no_secret("the logs", &logs);
        porla.set_auth(FakeAuth::Tokens(vec!["other".into()]));
    }

    // Login with a password from the environment; a wrong one first.
    let porla = FakePorla::start(
        hostile_torrents(),
        FakeAuth::Login {
            username: "exporter".into(),
            password: "something-else".into(),
            issued: "issued-jwt-SECRET-9999".into(),
        },
    )
    .await;
    let mut exp = start(
        &[
            "--porla.url",
            &porla.url(),
            "--porla.username",
            "exporter",
            "--log.level",
            "debug",
        ],
        &[("PORLA_PASSWORD", "login-password-SECRET-5678")],
    );
    exp.wait_for_metrics("class=\"login_rejected\"").await;
    porla.set_auth(FakeAuth::Login {
        username: "exporter".into(),
        password: "login-password-SECRET-5678".into(),
        issued: "issued-jwt-SECRET-9999".into(),
    });
    let body = exp.wait_for_metrics("\nporla_up 1\n").await;
    assert_no_secret("/metrics", &body);
    let (code, logs) = exp.terminate();
    assert_eq!(code, Some(0));
    assert_no_secret("the logs", &logs);
}

#[tokio::test]
async fn starts_with_porla_down_and_recovers_by_itself() {
    // Porla's port is taken but refuses connections until Porla comes up on it.
    let down = DownPort::reserve();
    let mut exp = start(
        &["--porla.url", &down.url()],
        &[("PORLA_EXPORTER_LOG_LEVEL", "debug")],
    );
    exp.wait_for_metrics("porla_exporter_poll_errors_total{class=\"connection\"}")
        .await;
    let healthy = reqwest::get(format!("{}/-/healthy", exp.url))
        .await
        .unwrap();
    assert_eq!(healthy.status(), 200);
    let _porla = FakePorla::serve(down.listen(), "", hostile_torrents(), FakeAuth::Disabled);
    exp.wait_for_metrics("\nporla_up 1\n").await;
    let (code, logs) = exp.terminate();
    assert_eq!(code, Some(0));
    assert!(logs.contains("poll of Porla failed"), "{logs}");
}

#[tokio::test]
async fn healthcheck_subcommand() {
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Disabled).await;
    let mut exp = start(&["--porla.url", &porla.url()], &[]);
    exp.wait_for_metrics("\nporla_up 1\n").await;
    let listen = exp.url.trim_start_matches("http://").to_owned();
    let ok = run_to_end(&["--web.listen-address", &listen, "healthcheck"], &[]);
    assert_eq!(ok.code, Some(0));
    exp.terminate();
    let down = run_to_end(&["--web.listen-address", &listen, "healthcheck"], &[]);
    assert_ne!(down.code, Some(0));
}

#[test]
fn two_credentials_or_credentials_with_config_file_exit_2_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let tok = dir.path().join("token");
    std::fs::write(&tok, "jwt\n").unwrap();
    let pw = dir.path().join("password");
    std::fs::write(&pw, "pw\n").unwrap();
    let inst = dir.path().join("instances.toml");
    std::fs::write(&inst, "[instances.a]\nurl = \"http://127.0.0.1:1\"\n").unwrap();
    let (tok, pw, inst) = (
        tok.to_str().unwrap(),
        pw.to_str().unwrap(),
        inst.to_str().unwrap(),
    );
    // (flags, environment, the two settings the line must name)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, [&'a str; 2]);
    let cases: Vec<Case> = vec![
        (
            vec!["--porla.token", "jwt", "--porla.token-file", tok],
            vec![],
            ["--porla.token ", "--porla.token-file"],
        ),
        (
            vec!["--porla.token-file", tok],
            vec![("PORLA_TOKEN", "jwt")],
            ["PORLA_TOKEN)", "PORLA_TOKEN_FILE"],
        ),
        (
            vec!["--porla.token-file", tok, "--porla.username", "u"],
            vec![("PORLA_PASSWORD_FILE", pw)],
            ["--porla.token-file", "--porla.username"],
        ),
        (
            vec!["--porla.username", "u", "--porla.password-file", pw],
            vec![("PORLA_TOKEN", "jwt")],
            ["PORLA_TOKEN", "--porla.username"],
        ),
        (
            vec!["--porla.username", "u", "--porla.password-file", pw],
            vec![("PORLA_PASSWORD", "pw")],
            ["PORLA_PASSWORD_FILE", "PORLA_PASSWORD)"],
        ),
        (
            vec!["--config.file", inst, "--porla.token-file", tok],
            vec![],
            ["--config.file", "--porla.token-file"],
        ),
        (
            vec!["--config.file", inst],
            vec![("PORLA_USERNAME", "u"), ("PORLA_PASSWORD", "pw")],
            ["--config.file", "PORLA_USERNAME"],
        ),
        (
            vec!["--config.file", inst],
            vec![("PORLA_TOKEN", "jwt")],
            ["--config.file", "PORLA_TOKEN"],
        ),
    ];
    for (args, envs, names) in cases {
        let Ended {
            code, stderr: err, ..
        } = run_to_end(&args, &envs);
        assert_eq!(code, Some(2), "{args:?} {envs:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line: {err:?}"
        );
        for n in names {
            assert!(
                err.contains(n),
                "{args:?} {envs:?}: {n} not named in {err:?}"
            );
        }
    }
}

/// `--porla.url` (flag or `PORLA_URL`) with `--config.file`: before, the URL was silently
/// ignored; now the exporter stops at start with one line naming both.
#[test]
fn porla_url_with_config_file_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("instances.toml");
    std::fs::write(&inst, "[instances.a]\nurl = \"http://127.0.0.1:1\"\n").unwrap();
    let inst = inst.to_str().unwrap();
    // The file alone passes the instance checks: the run gets as far as the next bad flag.
    let Ended { code, stderr, .. } =
        run_to_end(&["--config.file", inst, "--web.telemetry-path", "bad"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--web.telemetry-path"), "{stderr}");
    for (args, envs) in [
        (
            vec!["--config.file", inst, "--porla.url", "http://127.0.0.1:2"],
            vec![],
        ),
        (
            vec!["--config.file", inst],
            vec![("PORLA_URL", "http://127.0.0.1:2")],
        ),
        (
            vec![],
            vec![
                ("PORLA_EXPORTER_CONFIG_FILE", inst),
                ("PORLA_URL", "http://127.0.0.1:2"),
            ],
        ),
    ] {
        let Ended {
            code, stderr: err, ..
        } = run_to_end(&args, &envs);
        assert_eq!(code, Some(2), "{args:?} {envs:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
        assert!(
            err.contains("--config.file") && err.contains("--porla.url (PORLA_URL)"),
            "{args:?} {envs:?}: {err}"
        );
    }
}

#[tokio::test]
async fn no_credential_is_one_warn_line_at_start() {
    let down = DownPort::reserve();
    let mut exp = start(
        &[
            "--porla.url",
            &down.url().replace("http://", "http://user:SECRETWORD@"),
        ],
        &[],
    );
    exp.wait_for_metrics("porla_exporter_poll_errors_total{class=\"connection\"}")
        .await;
    let (_, logs) = exp.terminate();
    let warned: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("no Porla credential is set"))
        .collect();
    assert_eq!(warned.len(), 1, "{logs}");
    assert!(warned[0].contains("level=warn"), "{}", warned[0]);
    assert_no_secret("the logs", &logs);

    // With a credential there is no such line.
    let mut exp = start(&["--porla.url", &down.url()], &[("PORLA_TOKEN", "jwt")]);
    exp.wait_for_metrics("porla_exporter_poll_errors_total{class=\"connection\"}")
        .await;
    let (_, logs) = exp.terminate();
    assert!(!logs.contains("no Porla credential"), "{logs}");
}

#[tokio::test]
async fn tokens_from_file_or_environment_are_trimmed_and_lose_bearer() {
    let porla = FakePorla::start(
        hostile_torrents(),
        FakeAuth::Tokens(vec!["jwt-token-SECRET-1234".into()]),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "Bearer jwt-token-SECRET-1234\r\n").unwrap();
    let mut from_file = start(
        &["--porla.url", &porla.url()],
        &[("PORLA_TOKEN_FILE", file.to_str().unwrap())],
    );
    from_file.wait_for_metrics("\nporla_up 1\n").await;
    from_file.terminate();
    let mut from_env = start(
        &["--porla.url", &porla.url()],
        &[("PORLA_TOKEN", "  Bearer jwt-token-SECRET-1234\n")],
    );
    from_env.wait_for_metrics("\nporla_up 1\n").await;
    from_env.terminate();
}

#[tokio::test]
async fn build_info_names_the_commit_and_the_compiler() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = Command::new("git")
        .args(["-C", dir, "rev-parse", "HEAD"])
        .output();
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .expect("rustc --version (the toolchain that built this test)");
    let rustc = String::from_utf8_lossy(&rustc.stdout)
        .split_whitespace()
        .nth(1)
        .expect("a version")
        .to_owned();
    let mut exp = start(
        &["--porla.url", "http://127.0.0.1:9"],
        &[("PORLA_TOKEN", "t")],
    );
    let body = exp.wait_for_metrics("porla_exporter_build_info{").await;
    exp.terminate();
    let line = samples_of_build_info(&body);
    assert!(
        line.contains(&format!("rustc_version=\"{rustc}\"")),
        "{line}"
    );
    match git {
        // Built from a checkout (this test runs from one, unless the sources were exported).
        Ok(out)
            if out.status.success() && std::env::var_os("PORLA_EXPORTER_REVISION").is_none() =>
        {
            let head = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            assert!(
                line.contains(&format!("revision=\"{head}\"")),
                "HEAD {head}: {line}"
            );
        }
        _ => assert!(!line.contains("revision=\"\""), "{line}"),
    }
}

fn samples_of_build_info(body: &str) -> String {
    body.lines()
        .find(|l| l.starts_with("porla_exporter_build_info{"))
        .expect("porla_exporter_build_info")
        .to_owned()
}

/// A token file holding Porla's log lines besides the token (what `porla auth:token` writes at
/// its default log level: the log goes to stdout too) stops the exporter at start: exit 2, one
/// line naming the file, how many lines it holds and the command that writes the token alone,
/// and nothing of the file itself. The same for a token given in the environment.
#[test]
fn a_token_file_holding_more_than_a_token_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJwb3JsYSJ9.SECRETSIG";
    let log = "[2026-12-06 21:00:00.000000] [0x00007f0000000000] [info]    Migrating database from version 0 to 9";
    let mut text = String::new();
    for _ in 0..12 {
        text.push_str(log);
        text.push('\n');
    }
    text.push_str(jwt);
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    // The exporter started on the token file as it is now.
    let run_on_file = || {
        run_to_end(
            &[
                "--porla.url",
                "http://127.0.0.1:9",
                "--porla.token-file",
                file,
            ],
            &[],
        )
    };
    let out = run_on_file();
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    let want = format!(
        "porla-exporter: --porla.token-file: token file {file}: it holds 13 lines, not a token alone"
    );
    assert!(
        out.stderr.starts_with(&want),
        "{}\nwanted {want}",
        out.stderr
    );
    assert!(
        out.stderr.contains(porla_exporter::porla::TOKEN_RECIPE),
        "the line gives the command: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("SECRETSIG") && !out.stderr.contains("Migrating"));

    // One line that is no token either: Porla's own line when it cannot load its configuration.
    std::fs::write(
        &path,
        "[2026-12-06 21:00:00.000000] [0x00007f0000000000] [fatal]   Failed to load configuration\n",
    )
    .unwrap();
    let out = run_on_file();
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("it holds one line with spaces"),
        "{}",
        out.stderr
    );

    // The environment's token is checked the same way.
    let out = run_to_end(
        &["--porla.url", "http://127.0.0.1:9"],
        &[("PORLA_TOKEN", &text)],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert!(
        out.stderr
            .contains("--porla.token (PORLA_TOKEN) holds 13 lines"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("SECRETSIG"));
}
