//! `cargo bench --bench attention [-- --sizes 10000,50000 --in-error 5 --prometheus 10000
//!  --minutes 10 --scrape-interval 15s --exporter PATH]`
//!
//! What `--collector.tracker.per-torrent=attention` saves against the default (`true`), on the
//! synthetic swarm of the `fake-porla` crate (the one `benches/scale.rs` polls) changed so
//! that exactly `--in-error` percent of the torrents have a tracker in error (their first
//! tracker fails with "Connection refused", three failures in a row) and every other tracker
//! works (no failures). Seeder counts stay as synthesised (0–49 per tracker), so a few torrents
//! also need attention for their few seeders; announces are in the future, so none is overdue.
//!
//! 1. **Series and text size.** For each N of `--sizes`: a fake Porla in process serves the
//!    swarm; the library's poller makes one full poll in each mode (default flags otherwise,
//!    so the default series cap applies; where it binds, past 40,000 torrents, the default mode
//!    once more with `--collector.max-series 0`), and
//!    the snapshot is encoded as text: samples, MiB, gzip MiB, torrents in the attention set.
//! 2. **A real Prometheus** (`prometheus` on the PATH; `--prometheus 0` skips it). One fake
//!    Porla with `--prometheus` torrents, its announces re-scheduled on the real clock (so none
//!    becomes overdue), and two real `porla-exporter` binaries polling it with default flags
//!    but for the mode. Each is scraped by a Prometheus of its own (every `--scrape-interval`,
//!    the shipped rules in rules/ loaded), both running at the same time for `--minutes` from
//!    the first scrape of a whole poll of each (`--exporter`: the binary, default this build's). The
//!    Prometheus processes' resident set (VmRSS) is read every 30 s; reported are the median
//!    and the last of these readings, the peak (VmHWM), and `prometheus_tsdb_head_series` at the
//!    end.
//!
//! Prints Markdown tables; the figures of docs/benchmarks.md come from one run.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use porla_exporter::app::Instance;
use porla_exporter::exposition::{self, Format};
use porla_exporter::poller::{unix_now, PollConfig, PollMode};
use porla_exporter::porla::{Auth, ClientConfig};
use porla_exporter::snapshot::{PerTorrent, ViewOptions};
use serde_json::{json, Value};

#[path = "support/mod.rs"]
mod support;
use support::{free_port, gzip_len, samples_of};

/// The tests' /proc reader.
#[path = "../tests/it/support/memory.rs"]
#[allow(dead_code)]
mod memory;

const ANNOUNCE_INTERVAL: i64 = 1800;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The swarm: `fake_porla::synthetic_torrents`, with `in_error` percent of the torrents (every
/// `100 / in_error`-th) failing on their first tracker and every other tracker working.
pub fn swarm(n: usize, in_error: usize, now: i64) -> Vec<fake_porla::FakeTorrent> {
    let every = (100 / in_error.max(1)).max(1);
    let mut torrents = fake_porla::synthetic_torrents(n, 42, now + 60, ANNOUNCE_INTERVAL);
    for (i, t) in torrents.iter_mut().enumerate() {
        let trackers = t.trackers["trackers"].as_array_mut().unwrap();
        for (k, tr) in trackers.iter_mut().enumerate() {
            let failing = in_error > 0 && i % every == 0 && k == 0;
            for ep in tr["endpoints"].as_array_mut().unwrap() {
                for slot in ep["info_hashes"].as_array_mut().unwrap() {
                    if slot["next_announce"].as_i64() == Some(i32::MIN as i64) {
                        continue; // the unused slot of a protocol the torrent lacks
                    }
                    let next = slot["next_announce"].as_i64().unwrap();
                    let (seeds, leechers) = (
                        slot["scrape_complete"].as_i64().unwrap_or(-1),
                        slot["scrape_incomplete"].as_i64().unwrap_or(-1),
                    );
                    *slot = if failing {
                        fake_porla::slot(3, Some("Connection refused"), false, -1, -1, next)
                    } else if seeds < 0 {
                        // A tracker the synthesiser made fail: working, with scrape data.
                        fake_porla::slot(0, None, true, 10 + (i % 40) as i64, 3, next)
                    } else {
                        fake_porla::slot(0, None, true, seeds, leechers, next)
                    };
                }
            }
        }
    }
    torrents
}

fn client(url: &str) -> ClientConfig {
    ClientConfig::new(url.parse().unwrap(), Auth::None, Duration::from_secs(120))
}

/// One full poll in `mode` (`max_series` 0: uncapped), encoded as text.
async fn measure(url: &str, mode: PerTorrent, max_series: Option<usize>) -> Value {
    let mut view = ViewOptions::default();
    view.set_per_torrent(mode);
    if let Some(m) = max_series {
        view.max_series = m;
    }
    let mut inst = Instance::new(
        client(url),
        PollConfig {
            mode: PollMode::Full,
            view,
            ..PollConfig::default()
        },
    )
    .unwrap();
    inst.poller.cycle().await;
    let snap = inst.target.load().unwrap().snapshot.clone();
    assert!(snap.up, "the poll failed");
    let v = snap.view.as_ref().unwrap();
    let attention = match (&v.shown, v.per_torrent) {
        (_, false) => 0,
        (None, true) => v.torrents,
        (Some(s), true) => s.iter().filter(|x| **x).count(),
    };
    let body = exposition::encode(&inst.target.registry, Some(&snap), Format::Text, 0);
    json!({
        "samples": samples_of(&body),
        "dropped": v.dropped_series,
        "text_mib": body.len() as f64 / 1048576.0,
        "gzip_mib": gzip_len(&body) as f64 / 1048576.0,
        "torrents_served": attention,
    })
}

fn series_and_sizes(sizes: &[usize], in_error: usize) {
    println!("\n**Series and text size** ({in_error} % of torrents in error, one full poll each, in process)\n");
    println!("| N | mode | torrents with rows | samples | dropped by cap | text MiB | gzip MiB | samples / default mode's |");
    println!("|---|---|---|---|---|---|---|---|");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for &n in sizes {
        rt.block_on(async {
            let porla = fake_porla::FakePorla::start(
                swarm(n, in_error, unix_now() as i64),
                fake_porla::FakeAuth::Disabled,
            )
            .await;
            porla.stop_recording();
            let url = porla.url();
            let full = measure(&url, PerTorrent::All, None).await;
            let base = full["samples"].as_f64().unwrap();
            let mut rows = vec![("true", full)];
            if n > 40_000 {
                // Where the default cap binds: what the default mode would serve without it.
                let uncapped = measure(&url, PerTorrent::All, Some(0)).await;
                rows.push(("true, --collector.max-series 0", uncapped));
            }
            let attention = measure(&url, PerTorrent::Attention, None).await;
            rows.push(("attention", attention));
            for (mode, r) in rows {
                eprintln!("{n} {mode}: {r}");
                println!(
                    "| {n} | {mode} | {} | {} | {} | {:.2} | {:.2} | {:.3} |",
                    r["torrents_served"],
                    r["samples"],
                    r["dropped"],
                    r["text_mib"].as_f64().unwrap(),
                    r["gzip_mib"].as_f64().unwrap(),
                    r["samples"].as_f64().unwrap() / base,
                );
            }
            porla.stop();
        });
    }
}

// ------------------------------------------------------------------ real Prometheus

/// A child process killed when dropped (only the ones this tool started).
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str) -> Option<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        reqwest::Client::new()
            .get(url)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn metric(body: &str, name: &str) -> Option<f64> {
    body.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

fn real_prometheus(n: usize, in_error: usize, minutes: u64, scrape_interval: &str, exporter: &str) {
    let version = Command::new("prometheus")
        .arg("--version")
        .output()
        .expect("prometheus (Debian package prometheus) on the PATH");
    let version = String::from_utf8_lossy(&version.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let porla = rt.block_on(async {
        let porla = fake_porla::FakePorla::start(
            swarm(n, in_error, unix_now() as i64),
            fake_porla::FakeAuth::Disabled,
        )
        .await;
        porla.stop_recording();
        porla
    });
    let roll = || {
        porla.set_announces(Some(fake_porla::Announces {
            now: unix_now() as i64,
            interval: ANNOUNCE_INTERVAL,
        }))
    };
    roll();
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for mode in ["true", "attention"] {
        let port = free_port();
        let exporter = Started(
            Command::new(exporter)
                .args(["--porla.url", &porla.url()])
                .args(["--collector.tracker.per-torrent", mode])
                .args(["--web.listen-address", &format!("127.0.0.1:{port}")])
                .args(["--log.level", "error"])
                .stdin(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let data = dir.path().join(format!("data-{mode}"));
        let config = dir.path().join(format!("prometheus-{mode}.yml"));
        let rule_files: Vec<String> = std::fs::read_dir(&rules)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .map(|p| format!("  - {}", p.display()))
            .collect();
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: {scrape_interval}\n  evaluation_interval: {scrape_interval}\nrule_files:\n{}\nscrape_configs:\n  - job_name: porla-exporter\n    scrape_timeout: 10s\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n",
                rule_files.join("\n")
            ),
        )
        .unwrap();
        let prom_port = free_port();
        let prometheus = Started(
            Command::new("prometheus")
                .arg(format!("--config.file={}", config.display()))
                .arg(format!("--storage.tsdb.path={}", data.display()))
                .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
                .arg("--log.level=warn")
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        runs.push((mode, port, prom_port, exporter, prometheus, Vec::new()));
    }
    // The window starts once each Prometheus has scraped a whole first poll of its exporter.
    let waiting = Instant::now();
    for (mode, _, prom_port, _, _, _) in &runs {
        loop {
            roll();
            let q = get(&format!(
                "http://127.0.0.1:{prom_port}/api/v1/query?query=porla_torrents"
            ))
            .unwrap_or_default();
            if q.contains(&format!("\"{n}\"")) {
                break;
            }
            assert!(
                waiting.elapsed() < Duration::from_secs(1800),
                "{mode}: no poll scraped after 30 minutes"
            );
            std::thread::sleep(Duration::from_secs(2));
        }
    }
    eprintln!(
        "first polls scraped after {:.0} s",
        waiting.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let window = Duration::from_secs(minutes * 60);
    let mut next_read = Instant::now();
    while started.elapsed() < window {
        roll();
        if Instant::now() >= next_read {
            next_read += Duration::from_secs(30);
            for (mode, _, _, _, prometheus, readings) in runs.iter_mut() {
                let m = memory::Memory::of(prometheus.0.id());
                readings.push(m.now as f64 / 1048576.0);
                eprintln!(
                    "{:>4}s {mode}: Prometheus RSS {:.1} MiB",
                    started.elapsed().as_secs(),
                    m.now as f64 / 1048576.0
                );
            }
        }
        std::thread::sleep(Duration::from_secs(5));
    }
    println!("\n**A real Prometheus** ({version}), {n} torrents, {in_error} % in error, scraping every {scrape_interval} for {minutes} minutes, shipped rules loaded\n");
    println!("| mode | samples per scrape | head series | Prometheus RSS MiB, median of readings | at the end | peak (VmHWM) | exporter peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|");
    for (mode, port, prom_port, exporter, prometheus, readings) in &runs {
        let own = get(&format!("http://127.0.0.1:{prom_port}/metrics")).unwrap_or_default();
        let up = get(&format!(
            "http://127.0.0.1:{prom_port}/api/v1/query?query=scrape_samples_scraped"
        ))
        .unwrap_or_default();
        let samples: Value = serde_json::from_str(&up).unwrap_or(Value::Null);
        let samples = samples["data"]["result"][0]["value"][1]
            .as_str()
            .unwrap_or("?")
            .to_owned();
        let m = memory::Memory::of(prometheus.0.id());
        let e = memory::Memory::of(exporter.0.id());
        let _ = port;
        println!(
            "| {mode} | {samples} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            metric(&own, "prometheus_tsdb_head_series").unwrap_or(f64::NAN),
            median(readings),
            readings.last().copied().unwrap_or(f64::NAN),
            m.peak_mib(),
            e.peak_mib(),
        );
    }
    drop(runs);
    porla.stop();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = arg(&args, "--sizes")
        .unwrap_or_else(|| "10000,50000".into())
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("--sizes: comma-separated torrent counts"))
        .collect();
    let in_error: usize = arg(&args, "--in-error").map_or(5, |s| s.parse().expect("--in-error"));
    let prometheus: usize =
        arg(&args, "--prometheus").map_or(10_000, |s| s.parse().expect("--prometheus"));
    let minutes: u64 = arg(&args, "--minutes").map_or(10, |s| s.parse().expect("--minutes"));
    let scrape_interval = arg(&args, "--scrape-interval").unwrap_or_else(|| "15s".into());
    if !sizes.is_empty() {
        series_and_sizes(&sizes, in_error);
    }
    if prometheus > 0 {
        // The exporter binary: this build's, or `--exporter PATH` (e.g. a release build).
        let exporter = arg(&args, "--exporter")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_porla-exporter").to_owned());
        real_prometheus(prometheus, in_error, minutes, &scrape_interval, &exporter);
    }
}
