//! Scale benchmark: the exporter against a simulated Porla with N torrents.
//!
//! `cargo bench --bench scale [-- --sizes 1000,10000,50000 --runs 3 --service-us 250]`
//!
//! For each N and run, two fresh processes (this binary in other roles): a simulated Porla that
//! serves N synthetic torrents on one thread, holding each call for the service time like
//! Porla's single event loop; and an exporter that measures:
//! - full-sweep cycle time against the floor (the simulator's own busy time for those calls);
//! - tracker RPCs in one virtual hour of scheduled polling (30 s interval) against full mode,
//!   and the staleness that costs (age of the oldest tracker data at each cycle);
//! - exporter CPU seconds per full cycle and its peak RSS;
//! - `/metrics` encode time and body size (per-torrent series on), gzip time and size;
//! - gzip scrape latency over HTTP while idle, and over 18 s of full polls back to back (the
//!   slowest scrape is the figure).
//!
//! The parent prints medians over the runs as a Markdown table.

#[path = "../tests/support/fake_porla.rs"]
mod fake_porla;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use porla_exporter::app::Instance;
use porla_exporter::exposition::{self, DeflatePart, Format};
use porla_exporter::poller::{PollConfig, PollMode};
use porla_exporter::porla::{Auth, ClientConfig};
use serde_json::{json, Value};

const T0: i64 = 1_795_683_205;
const INTERVAL: i64 = 30;
const ANNOUNCE_INTERVAL: i64 = 1800;
/// How long gzip scrapes run against full polls back to back.
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
        let torrents = fake_porla::synthetic_torrents(n, 42, T0 + 1, ANNOUNCE_INTERVAL);
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

// ------------------------------------------------------------------ exporter side

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

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap();
    kb / 1024.0
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

fn poll_config(mode: PollMode) -> PollConfig {
    PollConfig {
        interval: Duration::from_secs(INTERVAL as u64),
        mode,
        page_size: 1000,
        full_sweep_interval: Duration::from_secs(ANNOUNCE_INTERVAL as u64),
        ..PollConfig::default()
    }
}

fn client(url: &str) -> ClientConfig {
    ClientConfig::new(url.parse().unwrap(), Auth::None, Duration::from_secs(60))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// One scrape as Prometheus makes it (gzip accepted); returns its latency.
async fn scrape(url: &str) -> f64 {
    let t = Instant::now();
    let r = reqwest::Client::new()
        .get(url)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let _ = r.bytes().await.unwrap();
    t.elapsed().as_secs_f64()
}

fn exporter(args: &[String]) {
    let n: usize = arg(args, "--n").unwrap().parse().unwrap();
    let url = arg(args, "--url").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(async move {
        // Full mode: a warm-up cycle, then the measured one.
        let mut full = Instance::new(client(&url), poll_config(PollMode::Full)).unwrap();
        full.poller.cycle().await;
        let before = sim_call(&url, "sim.stats", json!({})).await;
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        full.poller.cycle().await;
        let cycle = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        let after = sim_call(&url, "sim.stats", json!({})).await;
        let busy =
            (after["busy_ns"].as_u64().unwrap() - before["busy_ns"].as_u64().unwrap()) as f64 / 1e9;
        let peak_polling = peak_rss_mib();
        let snap = full.target.latest().unwrap().snapshot.clone();
        assert!(snap.up, "the measured poll failed");
        let series_rows = snap.view.as_ref().unwrap().rows().count();

        // Encoding, per-torrent on: the whole text (what a scrape without gzip costs), and the
        // gzipped snapshot part (computed once per poll, then reused by gzip scrapes).
        let mut enc = Vec::new();
        let mut body = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            body = exposition::encode(&full.target.registry, Some(&snap), Format::Text, body.len());
            enc.push(t.elapsed().as_secs_f64());
        }
        let t = Instant::now();
        let gz = DeflatePart::snapshot(&snap, Format::Text);
        let gzip_time = t.elapsed().as_secs_f64();
        let samples = body.lines().filter(|l| !l.starts_with('#')).count();
        let body_mib = body.len() as f64 / 1048576.0;
        drop(body);
        let (encode3, samples3) = encode_three_trackers(n);

        // Scrape latency, idle and during a poll.
        let listener = porla_exporter::server::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let murl = format!("http://{}/metrics", listener.local_addr().unwrap());
        let app = porla_exporter::server::App::single(full.target.clone(), "/metrics");
        let stop = tokio_util::sync::CancellationToken::new();
        tokio::spawn(porla_exporter::server::serve(
            listener,
            app,
            64,
            stop.clone(),
        ));
        let mut idle = Vec::new();
        for _ in 0..5 {
            idle.push(scrape(&murl).await);
        }
        // Full polls back to back for at least GZIP_WINDOW, gzip scrapes all along: the slowest
        // is the figure (the poller compresses the snapshot part before publishing).
        let mut poller = full.poller;
        let polling = tokio::spawn(async move {
            let t = Instant::now();
            while t.elapsed() < GZIP_WINDOW {
                poller.cycle().await;
            }
        });
        let mut busy_scrapes = Vec::new();
        while !polling.is_finished() {
            busy_scrapes.push(scrape(&murl).await);
        }
        stop.cancel();
        let peak_after_scrapes = peak_rss_mib();

        // Scheduled mode over one virtual hour, with the simulator re-scheduling announces.
        NOW.store(T0, Ordering::SeqCst);
        sim_call(
            &url,
            "sim.announces",
            json!({"now": T0, "interval": ANNOUNCE_INTERVAL}),
        )
        .await;
        let mut sched = Instance::new(client(&url), poll_config(PollMode::Scheduled)).unwrap();
        sched.poller = sched.poller.with_clock(virtual_clock);
        sched.poller.cycle().await; // first sight: every torrent, as in full mode
        let s0 = sim_call(&url, "sim.stats", json!({})).await["trackers_calls"]
            .as_u64()
            .unwrap();
        let cycles = 3600 / INTERVAL;
        let mut max_age: f64 = 0.0;
        let mut ages = Vec::new();
        for i in 1..=cycles {
            let now = T0 + i * INTERVAL;
            NOW.store(now, Ordering::SeqCst);
            sim_call(
                &url,
                "sim.announces",
                json!({"now": now, "interval": ANNOUNCE_INTERVAL}),
            )
            .await;
            sched.poller.cycle().await;
            let snap = sched.target.latest().unwrap().snapshot.clone();
            let view = snap.view.as_ref().expect("scheduled poll failed");
            let oldest = view
                .entries
                .iter()
                .filter_map(|e| e.trackers.as_ref().map(|t| t.at))
                .fold(f64::MAX, f64::min);
            let mean = view
                .entries
                .iter()
                .filter_map(|e| e.trackers.as_ref().map(|t| t.at))
                .map(|a| now as f64 - a)
                .sum::<f64>()
                / view.entries.len() as f64;
            max_age = max_age.max(now as f64 - oldest);
            ages.push(mean);
        }
        let s1 = sim_call(&url, "sim.stats", json!({})).await["trackers_calls"]
            .as_u64()
            .unwrap();
        let scheduled_rpcs = (s1 - s0) as f64;
        let full_rpcs = (n as i64 * cycles) as f64;

        json!({
            "n": n,
            "full_cycle_s": cycle,
            "floor_s": busy,
            "ratio": cycle / busy,
            "cpu_s_per_cycle": cpu,
            "peak_rss_mib": peak_polling,
            "peak_rss_mib_after_scrapes": peak_after_scrapes,
            "tracker_rows": series_rows,
            "samples": samples,
            "encode_ms": median(enc) * 1e3,
            "encode_3trackers_ms": encode3 * 1e3,
            "samples_3trackers": samples3,
            "body_mib": body_mib,
            "gzip_ms": gzip_time * 1e3,
            "gzip_mib": gz.data.len() as f64 / 1048576.0,
            "scrape_idle_ms": median(idle) * 1e3,
            "scrape_polling_ms": median(busy_scrapes.clone()) * 1e3,
            "scrape_polling_max_ms": busy_scrapes.iter().cloned().fold(0.0, f64::max) * 1e3,
            "scrapes_during_poll": busy_scrapes.len(),
            "scheduled_rpcs_per_hour": scheduled_rpcs,
            "full_rpcs_per_hour": full_rpcs,
            "rpc_reduction": full_rpcs / scheduled_rpcs.max(1.0),
            "scheduled_max_age_s": max_age,
            "scheduled_mean_age_s": median(ages),
        })
    });
    println!("RESULT {result}");
}

// ------------------------------------------------------------------ parent

fn parent(args: &[String]) {
    let sizes: Vec<usize> = arg(args, "--sizes")
        .unwrap_or_else(|| "1000,10000,50000".into())
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let runs: usize = arg(args, "--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let service_us = arg(args, "--service-us").unwrap_or_else(|| "250".into());
    let me = std::env::current_exe().unwrap();
    let mut rows = Vec::new();
    for &n in &sizes {
        let mut results: Vec<Value> = Vec::new();
        for run in 0..runs {
            let mut sim = Command::new(&me)
                .args([
                    "--role",
                    "sim",
                    "--n",
                    &n.to_string(),
                    "--service-us",
                    &service_us,
                ])
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
            let out = Command::new(&me)
                .args(["--role", "exporter", "--n", &n.to_string(), "--url", &url])
                .output()
                .unwrap();
            let binary_rss = binary_peak_rss(&url);
            drop(sim.stdin.take());
            let _ = sim.kill();
            let _ = sim.wait();
            let text = String::from_utf8_lossy(&out.stdout);
            let Some(json) = text.lines().find_map(|l| l.strip_prefix("RESULT ")) else {
                panic!(
                    "run {run} for N={n} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            let mut v: Value = serde_json::from_str(json).unwrap();
            v["binary_peak_rss_mib"] = json!(binary_rss);
            eprintln!("N={n} run {run}: {v}");
            results.push(v);
        }
        let med = |k: &str| median(results.iter().map(|r| r[k].as_f64().unwrap()).collect());
        rows.push(COLUMNS.iter().map(|(k, _, _)| med(k)).collect::<Vec<f64>>());
    }
    println!("\nmedians of {runs} runs, simulated service time {service_us} µs per call\n");
    println!(
        "| {} |",
        COLUMNS
            .iter()
            .map(|(_, h, _)| *h)
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|{}", "---|".repeat(COLUMNS.len()));
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .zip(COLUMNS)
            .map(|(v, (_, _, prec))| format!("{v:.prec$}"))
            .collect();
        println!("| {} |", cells.join(" | "));
    }
}

/// Encode time (median of 5) and sample count of `/metrics` for `n` torrents with exactly 3
/// trackers each (the synthetic mix has 1–3), per-torrent series on.
fn encode_three_trackers(n: usize) -> (f64, usize) {
    use porla_exporter::porla::{Torrent, TrackerList};
    use porla_exporter::snapshot::{Snapshot, TorrentData, View, ViewOptions};
    let torrents: Vec<TorrentData> =
        fake_porla::synthetic_torrents(n, 7, T0 + 1, ANNOUNCE_INTERVAL)
            .into_iter()
            .map(|t| {
                let mut trackers = t.trackers["trackers"].as_array().unwrap().clone();
                let first = trackers[0].clone();
                while trackers.len() < 3 {
                    let mut extra = first.clone();
                    let k = trackers.len();
                    extra["url"] = json!(format!("udp://backup{k}.example:6969/announce"));
                    extra["tier"] = json!(k);
                    trackers.push(extra);
                }
                let list: TrackerList =
                    serde_json::from_value(json!({ "trackers": trackers })).unwrap();
                let item: Torrent = serde_json::from_value(t.item).unwrap();
                let (v1, v2) = item.hashes();
                TorrentData {
                    key: v1.clone().or(v2.clone()).unwrap(),
                    has_v1: v1.is_some(),
                    has_v2: v2.is_some(),
                    name: item.name,
                    session: item.session,
                    category: item.category,
                    paused: false,
                    trackers: Some(std::sync::Arc::new(list)),
                    trackers_at: Some(T0 as f64),
                }
            })
            .collect();
    let view = View::build(&torrents, &ViewOptions::default(), T0 as f64);
    let snap = Snapshot {
        up: true,
        polls: 1,
        view: Some(std::sync::Arc::new(view)),
        ..Snapshot::default()
    };
    let snap = std::sync::Arc::new(snap);
    let registry = porla_exporter::telemetry::live_registry(&std::sync::Arc::new(
        porla_exporter::telemetry::SelfMetrics::default(),
    ));
    let mut times = Vec::new();
    let mut samples = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let body = exposition::encode(&registry, Some(&snap), Format::Text, 0);
        times.push(t.elapsed().as_secs_f64());
        samples = body.lines().filter(|l| !l.starts_with('#')).count();
    }
    (median(times), samples)
}

/// Peak RSS of the real porla-exporter binary after two full polls of the simulator and one
/// scrape (read from /proc while it runs).
fn binary_peak_rss(sim_url: &str) -> f64 {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_porla-exporter"))
        .args([
            "--porla.url",
            sim_url,
            "--poll.mode",
            "full",
            "--poll.interval",
            "1s",
        ])
        .args([
            "--porla.timeout",
            "60s",
            "--web.listen-address",
            &format!("127.0.0.1:{port}"),
            "--log.level",
            "error",
        ])
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = format!("http://127.0.0.1:{port}/metrics");
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            let body = match reqwest::get(&url).await {
                Ok(r) => r.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            let polls = body
                .lines()
                .find(|l| l.starts_with("porla_exporter_polls_total{result=\"success\"}"))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0);
            if polls >= 2.0 || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap()
        / 1024.0
}

/// Result keys, column headings and decimals of the summary table.
const COLUMNS: &[(&str, &str, usize)] = &[
    ("n", "N", 0),
    ("full_cycle_s", "full cycle s", 2),
    ("floor_s", "floor s", 2),
    ("ratio", "cycle/floor", 3),
    ("cpu_s_per_cycle", "CPU s/cycle", 2),
    ("binary_peak_rss_mib", "binary peak RSS MiB", 1),
    ("peak_rss_mib", "bench process peak RSS MiB", 1),
    ("samples", "samples", 0),
    ("encode_ms", "text encode ms", 1),
    ("samples_3trackers", "samples (3 trackers each)", 0),
    ("encode_3trackers_ms", "text encode ms (3 trackers each)", 1),
    ("body_mib", "body MiB", 1),
    ("gzip_ms", "gzip once per poll ms", 1),
    ("gzip_mib", "gzip MiB", 2),
    ("scrape_idle_ms", "gzip scrape idle ms", 1),
    ("scrape_polling_ms", "gzip scrape during poll ms", 1),
    (
        "scrape_polling_max_ms",
        "slowest gzip scrape, polls back to back ms",
        1,
    ),
    ("scheduled_rpcs_per_hour", "scheduled RPC/h", 0),
    ("full_rpcs_per_hour", "full RPC/h", 0),
    ("rpc_reduction", "reduction ×", 1),
    ("scheduled_max_age_s", "max age s", 0),
    ("scheduled_mean_age_s", "mean age s", 0),
];
