//! The real binary, started the one way the tests start it: on loopback port 0, with a clean
//! environment, as a [`Process`] (its output in a file, killed when the test drops it). The
//! test learns the port from the start line the binary logs (`listen=` in logfmt, `"listen":`
//! in JSON): no port is picked before it binds.

use std::process::Command;
use std::time::{Duration, Instant};

use super::process::Process;

pub const BIN: &str = env!("CARGO_BIN_EXE_porla-exporter");

/// How a run of the binary ended: its exit code (`None` if a signal ended it) and output.
pub struct Ended {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary to its end with a clean environment.
pub fn run_to_end(args: &[&str], envs: &[(&str, &str)]) -> Ended {
    let out = Command::new(BIN)
        .args(args)
        .env_clear()
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    Ended {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A running exporter process this test started (and stops).
pub struct Binary {
    process: Process,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Binary {
    /// Starts the binary with `args` and `envs` only, on a port of 127.0.0.1 it picks; returns
    /// once it logged the address it bound. So it must log at `info` (the default) or `debug`:
    /// the start line is an info line.
    pub fn start(args: &[&str], envs: &[(&str, &str)]) -> Binary {
        let quiet = |level: &str| matches!(level, "warn" | "error");
        let flag = args
            .windows(2)
            .any(|w| w[0] == "--log.level" && quiet(w[1]))
            || args
                .iter()
                .any(|a| a.strip_prefix("--log.level=").is_some_and(quiet));
        let env = envs
            .iter()
            .any(|(k, v)| *k == "PORLA_EXPORTER_LOG_LEVEL" && quiet(v));
        assert!(
            !(flag || env),
            "Binary::start reads the bound address from the info line `porla-exporter starting`: \
             start the binary at log level info or debug"
        );
        let mut process = Process::spawn(
            "the exporter",
            Command::new(BIN)
                .args(args)
                .args(["--web.listen-address", "127.0.0.1:0"])
                .env_clear()
                .envs(envs.iter().copied()),
        );
        let listen =
            process.wait_for_output("the start line with the address it bound", bound_address);
        Binary {
            process,
            url: format!("http://{listen}"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// What the process printed so far (stdout and stderr).
    pub fn logs(&mut self) -> String {
        self.process.output()
    }

    /// GETs `path` until its body satisfies `pred` (30 s at most); fails at once if the process
    /// exits meanwhile.
    pub async fn wait_for(&mut self, path: &str, pred: impl Fn(&str) -> bool) -> String {
        self.poll(path, Duration::from_secs(30), |_, body| pred(body))
            .await
    }

    /// GETs `path` until `answered` accepts the status and body (`within` at most), failing at
    /// once if the process exits meanwhile; returns the body.
    async fn poll(
        &mut self,
        path: &str,
        within: Duration,
        answered: impl Fn(u16, &str) -> bool,
    ) -> String {
        let url = format!("{}{path}", self.url);
        let deadline = Instant::now() + within;
        loop {
            self.process.assert_running();
            if let Ok(r) = reqwest::get(&url).await {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                if answered(status, &body) {
                    return body;
                }
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting at {url}; the exporter's output:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `/metrics` contains `needle`.
    pub async fn wait_for_metrics(&mut self, needle: &str) -> String {
        self.wait_for("/metrics", |b| b.contains(needle)).await
    }

    /// Waits for `/-/ready` (a first poll of every instance has finished).
    pub async fn ready(&mut self) {
        self.poll("/-/ready", Duration::from_secs(20), |status, _| {
            status == 200
        })
        .await;
    }

    /// Sends SIGHUP (the exporter reads its classes files again).
    pub fn hangup(&self) {
        signal(self.process.id(), Signal::Hangup);
    }

    /// Sends SIGTERM, waits for the exit (10 s at most): (exit code, output).
    pub fn terminate(mut self) -> (Option<i32>, String) {
        sigterm(self.process.id());
        let status = super::wait_until(
            "the exporter's exit on SIGTERM",
            Duration::from_secs(10),
            || self.process.exited(),
        );
        (status.code(), self.logs())
    }
}

/// The `listen` field of the exporter's start line (`porla-exporter starting`), in logfmt
/// (`listen=127.0.0.1:41853`) or JSON (`"listen":"127.0.0.1:41853"`).
fn bound_address(log: &str) -> Option<String> {
    let line = log
        .lines()
        .find(|l| l.contains("porla-exporter starting"))?;
    let (_, rest) = line
        .split_once(" listen=")
        .or_else(|| line.split_once("\"listen\":\""))?;
    rest.split([' ', '"']).next().map(str::to_owned)
}

fn sigterm(pid: u32) {
    signal(pid, Signal::Terminate);
}

/// The signals the tests send.
#[derive(Debug, Clone, Copy)]
enum Signal {
    Terminate,
    Hangup,
}

/// Sends `sig` to `pid`, a child of this process (with kill(2): procps' `kill` may be absent).
#[cfg(target_os = "linux")]
fn signal(pid: u32, sig: Signal) {
    let n = match sig {
        Signal::Terminate => libc::SIGTERM,
        Signal::Hangup => libc::SIGHUP,
    };
    // SAFETY: kill(2) reads no memory of ours; `pid` is a child not yet waited for, so it still
    // names that process.
    let rc = unsafe { libc::kill(pid as libc::pid_t, n) };
    assert_eq!(
        rc,
        0,
        "{sig:?} to {pid}: {}",
        std::io::Error::last_os_error()
    );
}

#[cfg(not(target_os = "linux"))]
fn signal(pid: u32, sig: Signal) {
    let name = match sig {
        Signal::Terminate => "-TERM",
        Signal::Hangup => "-HUP",
    };
    let pid = pid.to_string();
    Command::new("kill").args([name, &pid]).status().unwrap();
}
