//! Shared test support. An exporter starts one of two ways, both here: in process with its
//! poller driven cycle by cycle and an injected clock ([`exporter`], [`exporter_clocked`]), or
//! as the real binary ([`binary::Binary`], a [`process::Process`] like every program a test
//! starts). Also: the fake Porla (the `fake-porla` crate), the external tools ([`tools`], for
//! the `tools` target only), a process's memory ([`memory`]), waiting with a deadline
//! ([`wait_until`], [`eventually`]), a Porla address that is down ([`DownPort`]) and golden
//! files.
//!
//! Both test targets compile this module: `tests/it/` (`cargo test`, Rust alone) and
//! `tests/tools/` (`--features external-tools`, the tests that run external programs).

pub use ::fake_porla;
pub mod binary;
pub mod memory;
pub mod process;
pub mod scenario;
pub mod seedbox;
/// The external programs. Without the `external-tools` feature this module does not exist, so
/// no test of the `it` target can call a tool through it; with the feature the `it` target
/// compiles it without using it.
#[cfg(feature = "external-tools")]
#[allow(dead_code)]
pub mod tools;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use porla_exporter::app::Instance;
use porla_exporter::poller::{PollConfig, PollMode, Poller};
use porla_exporter::porla::{Auth, ClientConfig};
use porla_exporter::server::{self, Routes, Target};
use tokio_util::sync::CancellationToken;

/// The time the real samples were captured (their announce times are around it).
pub const CAPTURE_TIME: f64 = 1_795_683_205.0;

pub fn capture_clock() -> f64 {
    CAPTURE_TIME
}

/// A clock the test sets, injected into a poller as its "now" (whole Unix seconds). Each test
/// owns its clock: the schedule follows wall-clock time (`SystemTime`), which
/// `tokio::time::pause` would not move.
#[derive(Clone, Debug)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    pub fn at(unix: i64) -> Self {
        TestClock(Arc::new(AtomicI64::new(unix)))
    }

    pub fn set(&self, unix: i64) {
        self.0.store(unix, Ordering::SeqCst);
    }

    /// The clock as the poller takes it.
    pub fn now_fn(&self) -> impl Fn() -> f64 + Send + Sync + 'static {
        let now = self.0.clone();
        move || now.load(Ordering::SeqCst) as f64
    }
}

/// An exporter whose server runs on 127.0.0.1 and whose poller the test drives.
pub struct Exporter {
    pub url: String,
    pub poller: Poller,
    /// What the server publishes (the poller's latest snapshot).
    pub target: Target,
    shutdown: CancellationToken,
}

impl Drop for Exporter {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

pub fn poll_config() -> PollConfig {
    PollConfig {
        interval: Duration::from_secs(30),
        mode: PollMode::Full,
        page_size: 2,
        ..PollConfig::default()
    }
}

pub fn client_config(porla_url: &str, auth: Auth) -> ClientConfig {
    ClientConfig::new(porla_url.parse().unwrap(), auth, Duration::from_secs(2))
}

pub async fn exporter(porla_url: &str, auth: Auth, poll: PollConfig) -> Exporter {
    exporter_with(client_config(porla_url, auth), poll).await
}

/// An exporter for a client configuration the test makes (size limit, TLS, …).
pub async fn exporter_with(client: ClientConfig, poll: PollConfig) -> Exporter {
    exporter_clocked(client, poll, capture_clock).await
}

/// An exporter whose poller reads "now" from `clock`.
pub async fn exporter_clocked(
    client: ClientConfig,
    poll: PollConfig,
    clock: impl Fn() -> f64 + Send + Sync + 'static,
) -> Exporter {
    exporter_classified(client, poll, clock, None).await
}

/// An exporter whose poller reads "now" from `clock` and classifies tracker errors with
/// `classes` (`None`: the built-in patterns).
pub async fn exporter_classified(
    client: ClientConfig,
    poll: PollConfig,
    clock: impl Fn() -> f64 + Send + Sync + 'static,
    classes: Option<Arc<porla_exporter::classify::Classes>>,
) -> Exporter {
    let instance = Instance::with_classes(client, poll, classes).unwrap();
    let listener = server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    let target = instance.target.clone();
    let routes = Routes::single(instance.target, "/metrics");
    tokio::spawn(server::serve(listener, routes, 16, shutdown.clone()));
    Exporter {
        url,
        poller: instance.poller.with_clock(clock),
        target,
        shutdown,
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

pub async fn get(url: &str, accept: Option<&str>) -> Reply {
    let mut req = reqwest::Client::new().get(url);
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let resp = req.send().await.expect("GET");
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.unwrap(),
    }
}

impl Exporter {
    pub async fn metrics(&self) -> String {
        let r = get(&format!("{}/metrics", self.url), None).await;
        assert_eq!(r.status, 200);
        r.body
    }

    /// One published poll cycle, then the metrics.
    pub async fn poll_and_scrape(&mut self) -> String {
        self.poller.cycle().await;
        self.metrics().await
    }
}

/// The value of the sample whose line starts with `series` (name plus labels), if any.
pub fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            l.strip_prefix(series)
                .and_then(|rest| rest.strip_prefix(' '))
        })
        .map(|v| v.trim().parse().expect("sample value"))
}

/// The `porla_exporter_poll_errors_total` sample of `class`, if any.
pub fn poll_errors(body: &str, class: &str) -> Option<f64> {
    sample(
        body,
        &format!("porla_exporter_poll_errors_total{{class=\"{class}\"}}"),
    )
}

/// Lines of samples of metric `name` (exact name, any labels).
pub fn samples_of<'a>(body: &'a str, name: &str) -> Vec<&'a str> {
    body.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|r| r.starts_with('{') || r.starts_with(' '))
        })
        .collect()
}

/// The body without series that vary from run to run (durations and latencies), with the
/// samples of the exporter's own counter families sorted (prometheus-client keeps a family's
/// label sets in a hash map, so their order varies).
pub fn stable(body: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, out: &mut String| {
        block.sort_unstable();
        for l in block.drain(..) {
            out.push_str(l);
            out.push('\n');
        }
    };
    for l in body.lines() {
        // The build's commit and compiler (build.rs) vary from build to build.
        if l.starts_with("porla_exporter_build_info{") {
            let version = l
                .split("version=\"")
                .nth(1)
                .and_then(|v| v.split('"').next());
            out.push_str(&format!(
                "porla_exporter_build_info{{version=\"{}\",revision=\"<revision>\",rustc_version=\"<rustc>\"}} 1\n",
                version.unwrap_or("?")
            ));
            continue;
        }
        if l.starts_with("porla_exporter_poll_duration_seconds")
            || l.starts_with("porla_exporter_rpc_duration_seconds")
        {
            continue;
        }
        if l.starts_with("porla_exporter_") && l.contains('{') {
            block.push(l);
            continue;
        }
        flush(&mut block, &mut out);
        out.push_str(l);
        out.push('\n');
    }
    flush(&mut block, &mut out);
    out
}

/// Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it.
pub fn assert_golden(name: &str, actual: &str) {
    let path = fake_porla::fixtures_dir().join("metrics").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let diff = line_diff(&expected, actual, &format!("{} (golden)", path.display()));
        panic!(
            "{} differs from the output (UPDATE_GOLDEN=1 rewrites it):\n{diff}",
            path.display()
        );
    }
}

/// A unified line diff in order, so a reordered, duplicated or missing line shows.
pub fn line_diff(expected: &str, actual: &str, expected_name: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header(expected_name, "output")
        .to_string()
}

/// Calls `probe` every 20 ms until it gives a value, for `within` at most; then fails naming
/// `what` it waited for. Blocks the thread: for conditions outside this process (a child's log).
pub fn wait_until<T>(what: &str, within: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "waited {within:?} for {what} in vain"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// [`wait_until`] for an async `probe`: the test's runtime keeps running meanwhile.
pub async fn eventually<T, F>(what: &str, within: Duration, mut probe: impl FnMut() -> F) -> T
where
    F: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "waited {within:?} for {what} in vain"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A loopback port that is bound but not listening: connections to it are refused (a Porla that
/// is down) and no other socket can take it, so its address can be handed out before anything
/// serves there. [`DownPort::listen`] brings it up on the same port.
pub struct DownPort {
    socket: tokio::net::TcpSocket,
    pub addr: SocketAddr,
}

impl DownPort {
    pub fn reserve() -> DownPort {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        DownPort { socket, addr }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts listening on the port (within a tokio runtime).
    pub fn listen(self) -> tokio::net::TcpListener {
        self.socket.listen(1024).unwrap()
    }
}
