//! Scale benchmark: the exporter against a simulated Porla with N torrents, everything of the
//! scale issues in one run.
//!
//! `cargo bench --bench scale [-- --sizes 1000,10000,50000 --runs 3 --service-us 250
//!  --hour-cycles 120 --scheduled-point 100000 --matcher-sizes 10,10000
//!  [--constant-matcher-bin PATH]]`
//!
//! Last (unless `--matcher-sizes 0`), the classifier's memory: for each N of `--matcher-sizes`,
//! one simulator whose failing trackers carry tracker messages (`--tracker-messages`), and the
//! real binary and a build of it with the `bench-constant-matcher` feature (the matcher replaced
//! by a constant) run alternately against it as below, `--runs` times each: the difference of
//! their peak RSS is what the classifier adds. Then the time to classify a message, in process.
//!
//! For each N of `--sizes` and run, fresh processes (this binary in other roles):
//! - a simulated Porla (`--role sim`) that serves N synthetic torrents on one thread, holding
//!   each call for the service time like Porla's single event loop;
//! - an exporter (`--role exporter`, the library's poller in process) that measures a full
//!   sweep against two floors (below), its CPU, the text encode of the snapshot alone (ns per
//!   sample, no HTTP), the series count and scrape size with and
//!   without `--collector.tracker.details` and with the default `--collector.max-series`, and
//!   (unless `--hour-cycles 0`) one virtual hour of scheduled polling against full mode;
//! - the real `porla-exporter` binary with default flags but `--poll.mode full --poll.interval
//!   1s` (full polls back to back): peak RSS, the whole uncompressed `/metrics` response (time
//!   and samples per second) and gzip scrapes back to back for at least 18 s and two polls (the
//!   slowest scrape is the figure).
//!
//! Then (unless `--scheduled-point 0`) the real binary with default flags (scheduled mode,
//! 30 s interval) against `--scheduled-point` torrents, the simulator re-scheduling announces on
//! the real clock: first-sight poll, scheduled polls, peak RSS, scrapes, the series cap.
//!
//! Floors of a full sweep: *old* = the simulator's service sleeps plus answer building; *new* =
//! the time the simulator has a request in hand: its thread's CPU time (HTTP handling included,
//! from its own thread clock) plus its measured sleeps.
//!
//! The parent prints medians over the runs as Markdown tables.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use porla_exporter::app::Instance;
use porla_exporter::exposition::{self, Format};
use porla_exporter::poller::{PollConfig, PollMode};
use porla_exporter::porla::{Auth, ClientConfig};
use porla_exporter::snapshot::ViewOptions;
use serde_json::{json, Value};

#[path = "support/mod.rs"]
mod support;
use support::{free_port, gzip_len, samples_of};

const T0: i64 = 1_795_683_205;
const INTERVAL: i64 = 30;
const ANNOUNCE_INTERVAL: i64 = 1800;
/// How long gzip scrapes run against the binary's polls (and at least two polls).
const GZIP_WINDOW: Duration = Duration::from_secs(18);

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match arg(&args, "--role").as_deref() {
        Some("sim") => sim(&args),
        Some("exporter") => exporter(&args),
        _ => parent(&args),
    }
}

// ------------------------------------------------------------------ simulated Porla

fn sim(args: &[String]) {
    let n: usize = arg(args, "--n").unwrap().parse().unwrap();
    let service = Duration::from_micros(arg(args, "--service-us").unwrap().parse().unwrap());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut torrents = fake_porla::synthetic_torrents(n, 42, T0 + 1, ANNOUNCE_INTERVAL);
        if args.iter().any(|a| a == "--tracker-messages") {
            with_tracker_messages(&mut torrents);
        }
        let porla = fake_porla::FakePorla::start(torrents, fake_porla::FakeAuth::Disabled).await;
        porla.stop_recording();
        porla.set_service_time(service);
        println!("LISTEN {}", porla.url());
        std::io::stdout().flush().unwrap();
        // Serve until the parent closes our stdin.
        let _ =
            tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
    });
}

/// Starts a simulator for `n` torrents; returns it and its URL.
fn start_sim(n: usize, service_us: &str) -> (Child, String) {
    start_sim_with(n, service_us, &[])
}

/// [`start_sim`] with more simulator options (`--tracker-messages`).
fn start_sim_with(n: usize, service_us: &str, extra: &[&str]) -> (Child, String) {
    let me = std::env::current_exe().unwrap();
    let mut sim = Command::new(me)
        .args([
            "--role",
            "sim",
            "--n",
            &n.to_string(),
            "--service-us",
            service_us,
        ])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("LISTEN ")
        .expect("simulator address")
        .to_owned();
    (sim, url)
}

fn stop(mut child: Child) {
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
}

// ------------------------------------------------------------------ helpers

/// The tests' /proc reader (peak RSS).
#[path = "../tests/it/support/memory.rs"]
#[allow(dead_code)] // the bench reads the peak only
mod memory;

static NOW: AtomicI64 = AtomicI64::new(T0);
fn virtual_clock() -> f64 {
    NOW.load(Ordering::SeqCst) as f64
}

fn cpu_seconds() -> f64 {
    // utime + stime of this process, from /proc (clock ticks of 1/100 s on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn sim_call(url: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let r: Value = reqwest::Client::new()
        .post(format!("{url}/api/v1/jsonrpc"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["result"].clone()
}

fn stat(v: &Value, key: &str) -> f64 {
    v[key].as_u64().unwrap() as f64
}

fn poll_config(mode: PollMode, view: ViewOptions) -> PollConfig {
    PollConfig {
        interval: Duration::from_secs(INTERVAL as u64),
        mode,
        full_sweep_interval: Duration::from_secs(ANNOUNCE_INTERVAL as u64),
        view,
        ..PollConfig::default()
    }
}

fn client(url: &str) -> ClientConfig {
    ClientConfig::new(url.parse().unwrap(), Auth::None, Duration::from_secs(60))
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn max(v: &[f64]) -> f64 {
    v.iter().cloned().fold(f64::NAN, f64::max)
}

/// The `q` quantile (nearest rank) of `v`.
fn percentile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]
}

// ------------------------------------------------------------------ exporter side

/// Series served and scrape sizes of the latest snapshot of `inst`.
fn sizes_of(inst: &Instance, prefix: &str, out: &mut serde_json::Map<String, Value>) {
    let snap = inst.target.load().unwrap().snapshot.clone();
    assert!(snap.up, "the measured poll failed");
    let dropped = snap.view.as_ref().unwrap().dropped_series;
    let body = exposition::encode(&inst.target.registry, Some(&snap), Format::Text, 0);
    out.insert(format!("{prefix}_samples"), json!(samples_of(&body)));
    out.insert(format!("{prefix}_dropped"), json!(dropped));
    out.insert(
        format!("{prefix}_text_mib"),
        json!(body.len() as f64 / 1048576.0),
    );
    out.insert(
        format!("{prefix}_gzip_mib"),
        json!(gzip_len(&body) as f64 / 1048576.0),
    );
}

/// Discards what the encoder writes, through a 64 KiB buffer as a scrape's chunks do.
struct Discard {
    buf: Vec<u8>,
}

impl std::fmt::Write for Discard {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.buf.extend_from_slice(s.as_bytes());
        if self.buf.len() >= 64 * 1024 {
            std::hint::black_box(&self.buf);
            self.buf.clear();
        }
        Ok(())
    }
}

/// The snapshot part's text encode alone, in process (no HTTP, no client): best and median of
/// 15, in ns per sample. The whole response's figure is the binary's; this one is what the
/// encoder itself costs, with less of the machine's noise in it.
fn encode_alone(inst: &Instance, samples: usize, out: &mut serde_json::Map<String, Value>) {
    let snap = inst.target.load().unwrap().snapshot.clone();
    let mut times: Vec<f64> = (0..15)
        .map(|_| {
            let mut sink = Discard {
                buf: Vec::with_capacity(80 * 1024),
            };
            let t = Instant::now();
            exposition::encode_snapshot(&mut sink, &snap, Format::Text).unwrap();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let per = |s: f64| s * 1e9 / samples.max(1) as f64;
    out.insert("encode_best_ns".into(), json!(per(times[0])));
    out.insert(
        "encode_median_ns".into(),
        json!(per(times[times.len() / 2])),
    );
}

fn exporter(args: &[String]) {
    let n: usize = arg(args, "--n").unwrap().parse().unwrap();
    let url = arg(args, "--url").unwrap();
    let hour_cycles: i64 = arg(args, "--hour-cycles").unwrap().parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(async move {
        let mut out = serde_json::Map::new();
        // Full mode, default view options: a warm-up cycle, then the measured one.
        let mut full = Instance::new(
            client(&url),
            poll_config(PollMode::Full, ViewOptions::default()),
        )
        .unwrap();
        full.poller.cycle().await;
        let before = sim_call(&url, "sim.stats", json!({})).await;
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        full.poller.cycle().await;
        let cycle = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        let after = sim_call(&url, "sim.stats", json!({})).await;
        let d = |k: &str| (stat(&after, k) - stat(&before, k)) / 1e9;
        let old_floor = d("busy_ns");
        let (sim_cpu, sim_slept) = (d("thread_cpu_ns"), d("slept_ns"));
        assert!(sim_cpu > 0.0, "no thread clock in the simulator");
        let new_floor = sim_cpu + sim_slept;
        let calls = (stat(&after, "trackers_calls") - stat(&before, "trackers_calls"))
            + (stat(&after, "list_calls") - stat(&before, "list_calls"));
        out.insert("full_cycle_s".into(), json!(cycle));
        out.insert("old_floor_s".into(), json!(old_floor));
        out.insert("old_ratio".into(), json!(cycle / old_floor));
        out.insert("new_floor_s".into(), json!(new_floor));
        out.insert("new_ratio".into(), json!(cycle / new_floor));
        out.insert("sim_cpu_s".into(), json!(sim_cpu));
        out.insert("sim_slept_s".into(), json!(sim_slept));
        out.insert("sim_cpu_us_per_call".into(), json!(sim_cpu * 1e6 / calls));
        out.insert("cpu_s_per_cycle".into(), json!(cpu));
        sizes_of(&full, "default", &mut out);
        let served = out["default_samples"].as_u64().unwrap_or(0) as usize;
        encode_alone(&full, served, &mut out);
        drop(full);

        // Series and sizes without the cap, lean default and with the detail gauges.
        for (prefix, details) in [("lean", false), ("details", true)] {
            let view = ViewOptions {
                max_series: 0,
                tracker_details: details,
                ..ViewOptions::default()
            };
            let mut inst = Instance::new(client(&url), poll_config(PollMode::Full, view)).unwrap();
            inst.poller.cycle().await;
            sizes_of(&inst, prefix, &mut out);
        }

        // Scheduled mode over `hour_cycles` virtual cycles (120 = one hour), the simulator
        // re-scheduling announces.
        if hour_cycles > 0 {
            NOW.store(T0, Ordering::SeqCst);
            let announces = |now: i64| json!({"now": now, "interval": ANNOUNCE_INTERVAL});
            sim_call(&url, "sim.announces", announces(T0)).await;
            let mut sched = Instance::new(
                client(&url),
                poll_config(PollMode::Scheduled, ViewOptions::default()),
            )
            .unwrap();
            sched.poller = sched.poller.with_clock(virtual_clock);
            sched.poller.cycle().await; // first sight: every torrent, as in full mode
            let s0 = stat(
                &sim_call(&url, "sim.stats", json!({})).await,
                "trackers_calls",
            );
            let mut max_age: f64 = 0.0;
            let mut ages = Vec::new();
            for i in 1..=hour_cycles {
                let now = T0 + i * INTERVAL;
                NOW.store(now, Ordering::SeqCst);
                sim_call(&url, "sim.announces", announces(now)).await;
                sched.poller.cycle().await;
                let snap = sched.target.load().unwrap().snapshot.clone();
                let view = snap.view.as_ref().expect("scheduled poll failed");
                let at: Vec<f64> = view
                    .entries
                    .iter()
                    .filter_map(|e| e.trackers.as_ref().map(|t| t.at))
                    .collect();
                let oldest = at.iter().cloned().fold(f64::MAX, f64::min);
                max_age = max_age.max(now as f64 - oldest);
                ages.push(at.iter().map(|a| now as f64 - a).sum::<f64>() / at.len() as f64);
            }
            let s1 = stat(
                &sim_call(&url, "sim.stats", json!({})).await,
                "trackers_calls",
            );
            // Per hour, whatever the number of cycles run.
            let per_hour = 3600.0 / (hour_cycles * INTERVAL) as f64;
            let scheduled = (s1 - s0) * per_hour;
            let full_rpcs = n as f64 * 3600.0 / INTERVAL as f64;
            out.insert("scheduled_rpcs_per_hour".into(), json!(scheduled));
            out.insert("full_rpcs_per_hour".into(), json!(full_rpcs));
            out.insert(
                "rpc_reduction".into(),
                json!(full_rpcs / scheduled.max(1.0)),
            );
            out.insert("scheduled_max_age_s".into(), json!(max_age));
            out.insert("scheduled_mean_age_s".into(), json!(median(ages)));
        }
        Value::Object(out)
    });
    println!("RESULT {result}");
}

// ------------------------------------------------------------------ the real binary

/// Value of the first sample of `name` (with or without labels) in a text exposition.
fn metric(body: &str, name: &str) -> Option<f64> {
    body.lines()
        .find(|l| {
            l.strip_prefix(name)
                .is_some_and(|r| r.starts_with(' ') || r.starts_with('{'))
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

fn successful_polls(body: &str) -> f64 {
    metric(body, "porla_exporter_polls_total{result=\"success\"}").unwrap_or(0.0)
}

/// One scrape; returns its latency and raw body. Gzip scrapes reuse one connection, as
/// Prometheus does; uncompressed ones open a fresh one each, as curl does.
/// Size of the last scrape's body, to size the next one's buffer.
static LAST_BODY_LEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

async fn scrape(http: &reqwest::Client, url: &str, gzip: bool) -> Option<(f64, Vec<u8>)> {
    let t = Instant::now();
    let mut req = http.get(url);
    if gzip {
        req = req.header("Accept-Encoding", "gzip");
    }
    let r = req.send().await.ok()?;
    if !r.status().is_success() {
        return None;
    }
    // Read chunk by chunk into a buffer sized like the last answer (curl streams the body too):
    // growing one chunk at a time would time the client's reallocations, not the exporter.
    let mut r = r;
    let mut body = Vec::with_capacity(LAST_BODY_LEN.load(Ordering::Relaxed));
    while let Some(chunk) = r.chunk().await.ok()? {
        body.extend_from_slice(&chunk);
    }
    let took = t.elapsed().as_secs_f64();
    LAST_BODY_LEN.store(body.len(), Ordering::Relaxed);
    Some((took, body))
}

/// Uncompressed `/metrics` of an idle exporter: the real binary polls once (full mode, a poll
/// interval of an hour), then the whole text response is read 7 times, each on a fresh
/// connection as curl does. Nothing else runs meanwhile, as when Python's prometheus_client
/// encode is timed, so this is the figure to compare with it.
fn idle_plain(sim_url: &str) -> Value {
    let port = free_port();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_porla-exporter"))
        .args(["--porla.url", sim_url])
        .args(["--poll.mode", "full", "--poll.interval", "1h"])
        .args(["--web.listen-address", &format!("127.0.0.1:{port}")])
        .args(["--log.level", "error"])
        .spawn()
        .unwrap();
    let out = rt.block_on(async {
        let url = format!("http://127.0.0.1:{port}/metrics");
        let deadline = Instant::now() + Duration::from_secs(1200);
        let mut body = String::new();
        while Instant::now() < deadline {
            if let Some((_, b)) = scrape(&reqwest::Client::new(), &url, false).await {
                body = String::from_utf8(b).unwrap();
                if successful_polls(&body) >= 1.0 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(
            successful_polls(&body) >= 1.0,
            "the idle binary made no poll"
        );
        let mut times = Vec::new();
        for _ in 0..7 {
            let (s, b) = scrape(&reqwest::Client::new(), &url, false)
                .await
                .expect("scrape failed");
            times.push(s);
            body = String::from_utf8(b).unwrap();
        }
        let samples = samples_of(&body) as f64;
        let ms = median(times);
        json!({"idle_plain_ms": ms * 1e3, "idle_samples_per_s": samples / ms})
    });
    let _ = child.kill();
    let _ = child.wait();
    out
}

/// Runs the real binary (default flags; `full` adds `--poll.mode full --poll.interval 1s`)
/// against the simulator: waits for its first successful poll, then scrapes gzip back to back
/// (an uncompressed scrape every 5 s) until `window` has passed and two more polls succeeded.
/// In scheduled mode the simulator re-schedules announces on the real clock meanwhile.
fn run_binary(sim_url: &str, n: usize, full: bool, window: Duration) -> Value {
    run_binary_of(
        env!("CARGO_BIN_EXE_porla-exporter").as_ref(),
        sim_url,
        n,
        full,
        window,
    )
}

/// [`run_binary`] with another build of the exporter (the constant matcher's).
fn run_binary_of(
    bin: &std::path::Path,
    sim_url: &str,
    n: usize,
    full: bool,
    window: Duration,
) -> Value {
    let port = free_port();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let announces = || json!({"now": unix_now(), "interval": ANNOUNCE_INTERVAL});
    if !full {
        rt.block_on(sim_call(sim_url, "sim.announces", announces()));
    }
    let mut cmd = Command::new(bin);
    cmd.args(["--porla.url", sim_url]);
    if full {
        cmd.args(["--poll.mode", "full", "--poll.interval", "1s"]);
    }
    let mut child = cmd
        .args(["--web.listen-address", &format!("127.0.0.1:{port}")])
        .args(["--log.level", "error"])
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = rt.block_on(async {
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}/metrics");
        let started = Instant::now();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        // The first successful poll (first sight of every torrent in scheduled mode).
        let deadline = started + Duration::from_secs(1200);
        let mut polls0 = 0.0;
        let mut first_poll_s = f64::NAN;
        while Instant::now() < deadline {
            if !full {
                sim_call(sim_url, "sim.announces", announces()).await;
            }
            if let Some((_, b)) = scrape(&http, &url, false).await {
                let body = text(b);
                polls0 = successful_polls(&body);
                if polls0 >= 1.0 {
                    first_poll_s =
                        metric(&body, "porla_exporter_poll_duration_seconds").unwrap_or(f64::NAN);
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(polls0 >= 1.0, "the binary made no successful poll");
        let calls0 = stat(
            &sim_call(sim_url, "sim.stats", json!({})).await,
            "trackers_calls",
        );
        let mut plain = Vec::new();
        let mut gz = Vec::new();
        let mut last_plain = Instant::now() - Duration::from_secs(60);
        let mut body = String::new();
        let mut polls = polls0;
        let mut calls1 = calls0;
        let t = Instant::now();
        while t.elapsed() < window || polls < polls0 + 2.0 {
            if last_plain.elapsed() >= Duration::from_secs(5) {
                if !full {
                    sim_call(sim_url, "sim.announces", announces()).await;
                }
                let (s, b) = scrape(&reqwest::Client::new(), &url, false)
                    .await
                    .expect("scrape failed");
                plain.push(s);
                body = text(b);
                polls = successful_polls(&body);
                // Tracker calls up to this count of polls (a poll may be under way: close enough).
                calls1 = stat(
                    &sim_call(sim_url, "sim.stats", json!({})).await,
                    "trackers_calls",
                );
                last_plain = Instant::now();
                continue;
            }
            gz.push(scrape(&http, &url, true).await.expect("scrape failed").0);
            assert!(t.elapsed() < Duration::from_secs(1800), "polls stalled");
        }
        // Some uncompressed scrapes back to back too, for the median.
        for _ in 0..4 {
            plain.push(
                scrape(&reqwest::Client::new(), &url, false)
                    .await
                    .expect("scrape failed")
                    .0,
            );
        }
        let rss = memory::Memory::of(pid).peak_mib();
        let samples = samples_of(&body) as f64;
        let plain_s = median(plain);
        json!({
            "n": n,
            "peak_rss_mib": rss,
            "samples": samples,
            "dropped": metric(&body, "porla_exporter_dropped_series").unwrap_or(f64::NAN),
            "plain_ms": plain_s * 1e3,
            "samples_per_s": samples / plain_s,
            "plain_mib": body.len() as f64 / 1048576.0,
            "gzip_median_ms": median(gz.clone()) * 1e3,
            // The first gzip scrape may pay for compressing the snapshot part (the poller has not
            // seen that format asked for yet); every later one must not.
            "gzip_first_ms": gz.first().copied().unwrap_or(f64::NAN) * 1e3,
            "gzip_max_ms": max(gz.get(1..).unwrap_or_default()) * 1e3,
            "gzip_p99_ms": percentile(gz.get(1..).unwrap_or_default(), 0.99) * 1e3,
            "gzip_scrapes": gz.len(),
            "window_s": t.elapsed().as_secs_f64(),
            "polls_in_window": polls - polls0,
            "first_poll_s": first_poll_s,
            "last_poll_s": metric(&body, "porla_exporter_poll_duration_seconds")
                .unwrap_or(f64::NAN),
            "tracker_calls_per_poll": (calls1 - calls0) / (polls - polls0).max(1.0),
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    out
}

// ------------------------------------------------------------------ parent

/// A table: result key, heading, decimals.
type Columns = &'static [(&'static str, &'static str, usize)];

fn table(title: &str, columns: Columns, results: &[Vec<Value>]) {
    println!("\n{title}\n");
    let heads: Vec<&str> = columns.iter().map(|(_, h, _)| *h).collect();
    println!("| {} |", heads.join(" | "));
    println!("|{}", "---|".repeat(columns.len()));
    for runs in results {
        let cells: Vec<String> = columns
            .iter()
            .map(|(k, _, prec)| {
                let v = median(runs.iter().filter_map(|r| r[*k].as_f64()).collect());
                format!("{v:.prec$}")
            })
            .collect();
        println!("| {} |", cells.join(" | "));
    }
}

fn parent(args: &[String]) {
    let sizes: Vec<usize> = arg(args, "--sizes")
        .unwrap_or_else(|| "1000,10000,50000".into())
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("--sizes: comma-separated torrent counts"))
        .collect();
    let runs: usize = arg(args, "--runs").map_or(3, |r| r.parse().expect("--runs"));
    let service_us = arg(args, "--service-us").unwrap_or_else(|| "250".into());
    let hour_cycles = arg(args, "--hour-cycles").unwrap_or_else(|| "120".into());
    let scheduled_point: usize =
        arg(args, "--scheduled-point").map_or(100_000, |r| r.parse().expect("--scheduled-point"));
    let matcher_sizes: Vec<usize> = arg(args, "--matcher-sizes")
        .unwrap_or_else(|| "10,10000".into())
        .split(',')
        .filter(|s| !s.is_empty() && *s != "0")
        .map(|s| {
            s.parse()
                .expect("--matcher-sizes: comma-separated torrent counts")
        })
        .collect();
    let me = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut results: Vec<Vec<Value>> = Vec::new();
    for &n in &sizes {
        let mut per_run = Vec::new();
        for run in 0..runs {
            let (sim, url) = start_sim(n, &service_us);
            let out = Command::new(&me)
                .args(["--role", "exporter", "--n", &n.to_string(), "--url", &url])
                .args(["--hour-cycles", &hour_cycles])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let Some(json) = text.lines().find_map(|l| l.strip_prefix("RESULT ")) else {
                panic!(
                    "run {run} for N={n} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            let mut v: Value = serde_json::from_str(json).unwrap();
            let bin = run_binary(&url, n, true, GZIP_WINDOW);
            let idle = idle_plain(&url);
            stop(sim);
            for (k, x) in bin.as_object().unwrap() {
                v[format!("bin_{k}")] = x.clone();
            }
            for (k, x) in idle.as_object().unwrap() {
                v[format!("bin_{k}")] = x.clone();
            }
            v["n"] = json!(n);
            eprintln!(
                "N={n} run {run} ({:.0} s so far): {v}",
                started.elapsed().as_secs_f64()
            );
            per_run.push(v);
        }
        results.push(per_run);
    }
    let mut scheduled = Vec::new();
    if scheduled_point > 0 {
        let (sim, url) = start_sim(scheduled_point, &service_us);
        let v = run_binary(&url, scheduled_point, false, GZIP_WINDOW);
        stop(sim);
        eprintln!("scheduled N={scheduled_point}: {v}");
        scheduled.push(vec![v]);
    }

    println!(
        "\nmedians of {runs} runs, simulated service time {service_us} µs per call, \
         total {:.0} s",
        started.elapsed().as_secs_f64()
    );
    table(
        "Full sweep (in process, default flags, full mode)",
        FLOOR,
        &results,
    );
    table(
        "Real binary, default flags + `--poll.mode full --poll.interval 1s` (polls back to back)",
        BINARY,
        &results,
    );
    table("Series and scrape size (text format)", SERIES, &results);
    if hour_cycles != "0" {
        table(
            &format!("Scheduled vs full mode, {hour_cycles} virtual cycles of 30 s, per hour"),
            HOUR,
            &results,
        );
    }
    if scheduled_point > 0 {
        table(
            "Real binary, default flags (scheduled mode, 30 s interval, --collector.max-series 500000)",
            SCHEDULED,
            &scheduled,
        );
    }
    if !matcher_sizes.is_empty() {
        classifier_memory(args, &matcher_sizes, runs, &service_us);
    }
}

const FLOOR: Columns = &[
    ("n", "N", 0),
    ("full_cycle_s", "full cycle s", 2),
    ("old_floor_s", "old floor s (sleeps + answers)", 2),
    ("old_ratio", "cycle/old floor", 3),
    ("new_floor_s", "new floor s (request in hand)", 2),
    ("new_ratio", "cycle/new floor", 3),
    ("sim_cpu_us_per_call", "simulator CPU µs/call", 1),
    ("cpu_s_per_cycle", "exporter CPU s/cycle", 2),
];

const BINARY: Columns = &[
    ("n", "N", 0),
    ("bin_peak_rss_mib", "peak RSS MiB", 1),
    ("bin_samples", "samples served", 0),
    ("bin_dropped", "dropped by cap", 0),
    ("bin_plain_mib", "text MiB", 1),
    ("bin_plain_ms", "uncompressed /metrics ms", 1),
    ("bin_samples_per_s", "samples/s", 0),
    ("bin_idle_plain_ms", "idle uncompressed /metrics ms", 1),
    ("bin_idle_samples_per_s", "idle samples/s", 0),
    ("encode_best_ns", "encode alone ns/sample (best)", 0),
    ("encode_median_ns", "encode alone ns/sample (median)", 0),
    ("bin_gzip_median_ms", "gzip scrape median ms", 1),
    ("bin_gzip_first_ms", "first gzip scrape ms", 1),
    ("bin_gzip_p99_ms", "gzip scrape p99 ms (after the first)", 1),
    (
        "bin_gzip_max_ms",
        "slowest gzip scrape ms (after the first)",
        1,
    ),
    ("bin_gzip_scrapes", "gzip scrapes", 0),
    ("bin_polls_in_window", "polls meanwhile", 0),
];

const SERIES: Columns = &[
    ("n", "N", 0),
    ("lean_samples", "series (lean default)", 0),
    ("lean_text_mib", "MiB", 2),
    ("lean_gzip_mib", "gzip MiB", 2),
    ("details_samples", "series (--collector.tracker.details)", 0),
    ("details_text_mib", "MiB", 2),
    ("details_gzip_mib", "gzip MiB", 2),
    ("default_samples", "served with default cap", 0),
    ("default_dropped", "dropped by default cap", 0),
];

const HOUR: Columns = &[
    ("n", "N", 0),
    ("scheduled_rpcs_per_hour", "scheduled RPC/h", 0),
    ("full_rpcs_per_hour", "full RPC/h", 0),
    ("rpc_reduction", "reduction ×", 1),
    ("scheduled_max_age_s", "oldest data s", 0),
    ("scheduled_mean_age_s", "mean age s", 0),
];

const SCHEDULED: Columns = &[
    ("n", "N", 0),
    (
        "first_poll_s",
        "first poll s (first sight, all torrents)",
        1,
    ),
    ("last_poll_s", "scheduled poll s", 2),
    ("tracker_calls_per_poll", "tracker calls per poll", 0),
    ("peak_rss_mib", "peak RSS MiB", 1),
    ("samples", "samples served", 0),
    ("dropped", "dropped by cap", 0),
    ("plain_ms", "uncompressed /metrics ms", 1),
    ("samples_per_s", "samples/s", 0),
    ("gzip_median_ms", "gzip scrape median ms", 1),
    ("gzip_first_ms", "first gzip scrape ms", 1),
    ("gzip_p99_ms", "gzip scrape p99 ms (after the first)", 1),
    ("gzip_max_ms", "slowest gzip scrape ms (after the first)", 1),
];

// ------------------------------------------------------------------ the classifier's memory

/// Tracker messages for the simulator (`--tracker-messages`): the texts of the table test
/// (tests/fixtures/classes/tracker-messages.tsv, real messages of tracker software).
const MESSAGE_TABLE: &str = include_str!("../tests/fixtures/classes/tracker-messages.tsv");

fn table_messages() -> Vec<&'static str> {
    MESSAGE_TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(2))
        .collect()
}

/// Gives every fourth torrent's first tracker a tracker failure with a message of the table:
/// every other one as it is (shared by many torrents), the others with the torrent's number
/// appended (one distinct text per torrent, as trackers that quote an id send them). So the
/// classifier sees N/8 distinct messages at every poll, and the interned texts grow with N.
fn with_tracker_messages(torrents: &mut [fake_porla::FakeTorrent]) {
    let texts = table_messages();
    for (i, t) in torrents.iter_mut().enumerate().filter(|(i, _)| i % 4 == 0) {
        let text = texts[(i / 4) % texts.len()];
        let message = if (i / 4) % 2 == 0 {
            text.to_owned()
        } else {
            format!("{text} (id {i})")
        };
        let used: Vec<bool> = (0..2).map(|k| !t.item["info_hash"][k].is_null()).collect();
        let Some(endpoints) = t.trackers["trackers"][0]["endpoints"].as_array_mut() else {
            continue;
        };
        for ep in endpoints {
            for (k, used) in used.iter().enumerate() {
                if !used {
                    continue;
                }
                let s = &mut ep["info_hashes"][k];
                s["fails"] = json!(3);
                s["last_error"] = json!("tracker sent a failure message");
                s["message"] = json!(message);
                s["start_sent"] = json!(false);
            }
        }
    }
}

/// The exporter built with the `bench-constant-matcher` feature (every tracker message
/// `tracker_failure`, no pattern read): `--constant-matcher-bin PATH`, or built here into
/// target/bench-constant-matcher (its own target directory: the first build compiles every
/// dependency once more).
fn constant_matcher_bin(args: &[String]) -> std::path::PathBuf {
    if let Some(p) = arg(args, "--constant-matcher-bin") {
        return p.into();
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target").join("bench-constant-matcher");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--locked",
            "--features",
            "bench-constant-matcher",
            "--bin",
            "porla-exporter",
            "--target-dir",
        ])
        .arg(&target)
        .status()
        .expect("cargo build of the constant matcher");
    assert!(
        status.success(),
        "cargo build of the constant matcher failed"
    );
    target.join("release").join("porla-exporter")
}

/// What the classifier adds to peak RSS: the real binary and the constant matcher's build,
/// alternately against one simulator whose failing trackers carry tracker messages, with full
/// polls back to back and scrapes as in the binary table (`run_binary`). Then the time to
/// classify a message in process: every table message, and 1 KiB of subject words without a
/// verdict (every stem searched, every subject tried: about the most work a message can cost).
fn classifier_memory(args: &[String], sizes: &[usize], runs: usize, service_us: &str) {
    let constant = constant_matcher_bin(args);
    // `--patterns-bin PATH`: another build in place of this one (an earlier commit, say).
    let patterns: std::path::PathBuf = arg(args, "--patterns-bin")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_porla-exporter").into())
        .into();
    println!("\nThe classifier's memory: real binary against the constant matcher's build, polls back to back\n");
    println!("| N | peak RSS MiB (patterns) | peak RSS MiB (constant matcher) | added MiB | per run: patterns / constant |");
    println!("|---|---|---|---|---|");
    for &n in sizes {
        let (sim, url) = start_sim_with(n, service_us, &["--tracker-messages"]);
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for run in 0..runs {
            for (bin, into) in [(&patterns, &mut with), (&constant, &mut without)] {
                let v = run_binary_of(bin, &url, n, true, GZIP_WINDOW);
                eprintln!("classifier memory N={n} run {run} {}: {v}", bin.display());
                into.push(v["peak_rss_mib"].as_f64().unwrap());
            }
        }
        stop(sim);
        let runs_text: Vec<String> = with
            .iter()
            .zip(&without)
            .map(|(a, b)| format!("{a:.2} / {b:.2}"))
            .collect();
        let (a, b) = (median(with.clone()), median(without.clone()));
        println!(
            "| {n} | {a:.2} | {b:.2} | {:+.2} | {} |",
            a - b,
            runs_text.join(", ")
        );
    }

    let c = porla_exporter::classify::Classifier::builtin();
    let failure = porla_exporter::classify::TRACKER_FAILURE_TEXT;
    let texts = table_messages();
    // Per message, the best of 20: its cost without the preemptions of a shared machine.
    let best_of = |m: &str| {
        (0..20)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(c.classify(failure, std::hint::black_box(m)));
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let per_message: Vec<f64> = texts.iter().map(|t| best_of(t)).collect();
    let long: String = "torrent client peers account version "
        .repeat(40)
        .chars()
        .take(porla_exporter::classify::MESSAGE_HEAD)
        .collect();
    let long_time = best_of(&long);
    println!(
        "\nClassifying a message (in process, built-in families): median {:.1} µs, slowest {:.1} µs \
         over the {} table messages; 1 KiB of subject words and no verdict: {:.1} µs (best of 20 each)",
        median(per_message.clone()) * 1e6,
        max(&per_message) * 1e6,
        texts.len(),
        long_time * 1e6
    );
}
