//! Fleets through the real engines: the sharding, federation and remote-write blocks of
//! docs/deployment.md (the files of deploy/prometheus/ it quotes, see
//! `docs::deployment_scaling_blocks_are_the_tested_files`) run in Debian's Prometheus with only
//! addresses and ports substituted.
//!
//! Three shards (deploy/prometheus/shard.yml, modulus 3, plus remote-write.yml and the rules of
//! rules/), a global Prometheus (federation.yml) and a Prometheus started with
//! `--web.enable-remote-write-receiver` as the central store. Targets: three exporter binaries
//! with one fake Porla each (one of them with failing, rejected and overdue trackers), and one
//! exporter in multi-instance mode serving three fake Porlas through `/probe`.
//!
//! Prometheus's hashmod takes the MD5 sum of the source label values and keeps its last 8 bytes
//! as a big-endian integer modulo `modulus` (prometheus/prometheus, model/relabel/relabel.go).
//! The probe targets are named so that they hash to 0, 1 and 2 (seedbox1, seedbox2, seedbox4):
//! every shard gets a target whatever ports the single exporters get.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};

use crate::engines::{self, address, healthy, Prom, ROOT};
use crate::monitoring::{read, recording_rule_names};
use crate::support::binary::Binary;
use crate::support::fake_porla::{synthetic_torrents, FakeAuth, FakePorla, Faults};
use crate::support::process::Process;

const PROBE_NAMES: [&str; 3] = ["seedbox1", "seedbox2", "seedbox4"];

/// `text` with `from` replaced by `to`; `from` must occur exactly once (so that a change of the
/// documented file cannot silently turn a substitution into a no-op).
fn substitute_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "expected {from:?} once in:\n{text}"
    );
    text.replace(from, to)
}

/// Objects merged key by key (`b` wins for anything but objects): two documented blocks in one
/// prometheus.yml, as a user combines them.
fn merge(a: &mut Value, b: Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b,
    }
}

fn yaml_value(text: &str) -> Value {
    serde_norway::from_str(text).unwrap()
}

/// The instances each shard scrapes (job porla-exporter, both scrape jobs).
async fn scraped(shard: &Prom) -> BTreeSet<String> {
    shard
        .query("group by (instance) (up{job=\"porla-exporter\"})")
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s["metric"]["instance"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_federation_and_remote_write_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let minute = Duration::from_secs(60);

    // ---- Porla daemons and exporters ----
    let sick = engines::sick_porla().await;
    let mut porlas = Vec::new();
    for seed in 1..=5u64 {
        porlas.push(
            FakePorla::start(
                healthy(synthetic_torrents(30, seed, now + 600, 1800)),
                FakeAuth::Disabled,
            )
            .await,
        );
    }
    let mut single: Vec<Binary> = vec![engines::exporter(&sick)];
    single.push(engines::exporter(&porlas[0]));
    single.push(engines::exporter(&porlas[1]));
    single[0]
        .wait_for_metrics("porla_exporter_poll_errors_total{")
        .await;
    sick.set_faults(Faults::default());
    let sick_instance = address(&single[0].url);
    let instances_toml = dir.path().join("instances.toml");
    std::fs::write(
        &instances_toml,
        PROBE_NAMES
            .iter()
            .zip(&porlas[2..])
            .map(|(name, p)| format!("[instances.{name}]\nurl = \"{}\"\n", p.url()))
            .collect::<String>(),
    )
    .unwrap();
    let mut multi = Binary::start(
        &[
            "--config.file",
            instances_toml.to_str().unwrap(),
            "--poll.interval",
            "1s",
            "--poll.mode",
            "full",
        ],
        &[],
    );
    for e in single.iter_mut().chain([&mut multi]) {
        e.ready().await;
    }
    let mut targets: BTreeSet<String> = single.iter().map(|e| address(&e.url)).collect();
    targets.extend(PROBE_NAMES.iter().map(|s| s.to_string()));

    // ---- the central store: a Prometheus receiving remote write ----
    let (mut central_proc, central) = engines::prometheus(
        "central",
        "global:\n  scrape_interval: 1s\n",
        dir.path(),
        &["--web.enable-remote-write-receiver"],
    );

    // ---- three shards: shard.yml + remote-write.yml, addresses substituted ----
    let shard_doc = read("deploy/prometheus/shard.yml");
    let remote_doc = substitute_once(
        &read("deploy/prometheus/remote-write.yml"),
        "http://mimir.example.internal/api/v1/push",
        &format!("{}/api/v1/write", central.url),
    );
    let single_targets: Vec<String> = single
        .iter()
        .map(|e| format!("\"{}\"", address(&e.url)))
        .collect();
    let mut shards = Vec::new();
    for i in 0..3 {
        let mut text = substitute_once(
            &shard_doc,
            "[\"seedbox1.example.internal:10337\", \"seedbox2.example.internal:10337\"]",
            &format!("[{}]", single_targets.join(", ")),
        );
        text = substitute_once(
            &text,
            "[\"seedbox3\", \"seedbox4\"]",
            &format!("[\"{}\"]", PROBE_NAMES.join("\", \"")),
        );
        text = substitute_once(
            &text,
            "porla-exporter.example.internal:10337",
            &address(&multi.url),
        );
        // The shard number: its external label and the hash both of its jobs keep.
        text = substitute_once(&text, "shard: \"0\"", &format!("shard: \"{i}\""));
        assert_eq!(text.matches("regex: \"0\"").count(), 2, "{text}");
        text = text.replace("regex: \"0\"", &format!("regex: \"{i}\""));
        let mut config = yaml_value(&text);
        merge(&mut config, yaml_value(&remote_doc));
        merge(
            &mut config,
            json!({
                "global": { "scrape_interval": "1s", "evaluation_interval": "1s" },
                "rule_files": [
                    format!("{ROOT}/rules/porla-exporter.rules.yml"),
                    format!("{ROOT}/rules/porla-exporter.recording.yml"),
                ],
            }),
        );
        shards.push(engines::prometheus(
            &format!("shard-{i}"),
            &serde_norway::to_string(&config).unwrap(),
            dir.path(),
            &[],
        ));
    }

    // ---- the global Prometheus: federation.yml, the shards' addresses substituted ----
    let mut federation = read("deploy/prometheus/federation.yml");
    for (i, (_, shard)) in shards.iter().enumerate() {
        federation = substitute_once(
            &federation,
            &format!("prometheus-shard-{i}:9090"),
            &shard.address(),
        );
    }
    let mut global_config = yaml_value(&federation);
    merge(
        &mut global_config,
        json!({ "global": { "scrape_interval": "1s" } }),
    );
    let (mut global_proc, global) = engines::prometheus(
        "global",
        &serde_norway::to_string(&global_config).unwrap(),
        dir.path(),
        &[],
    );

    // ---- 1. every target is scraped by exactly one shard, every shard scrapes some ----
    let deadline = std::time::Instant::now() + minute;
    let by_shard = loop {
        let mut by_shard = Vec::new();
        for (_, shard) in &shards {
            by_shard.push(scraped(shard).await);
        }
        let all: BTreeSet<String> = by_shard.iter().flatten().cloned().collect();
        if all == targets {
            break by_shard;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the shards scrape {by_shard:?}, expected {targets:?} between them"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    println!("targets by shard: {by_shard:?}");
    let mut owners: BTreeMap<&String, usize> = BTreeMap::new();
    for set in &by_shard {
        for t in set {
            *owners.entry(t).or_default() += 1;
        }
    }
    assert!(
        owners.values().all(|&n| n == 1),
        "a target scraped by several shards: {by_shard:?}"
    );
    assert!(
        by_shard.iter().all(|s| !s.is_empty()),
        "a shard without targets: {by_shard:?}"
    );
    let sick_shard = by_shard
        .iter()
        .position(|s| s.contains(&sick_instance))
        .unwrap();

    // ---- 2. the global Prometheus: recording rules and the fleet view, federated only ----
    let n = targets.len();
    let fleet_series = [
        "up{job=\"porla-exporter\"}".to_owned(),
        "porla_up".to_owned(),
        "porla_torrents".to_owned(),
        "time() - porla_exporter_last_successful_poll_timestamp_seconds".to_owned(),
        "sum by (job, instance, shard) (porla_tracker_host_torrents{status=\"error\"}) \
         / sum by (job, instance, shard) (porla_tracker_host_torrents{status!=\"inactive\"})"
            .to_owned(),
    ];
    for q in &fleet_series {
        // One series per instance, each with the shard it came from.
        global
            .wait_for(
                &format!("count(count by (instance, shard) ({q})) == {n}"),
                minute,
                &format!("{q} for every instance"),
            )
            .await;
    }
    global
        .wait_for(
            &format!(
                "sum by (class) (porla_tracker_host_errors{{instance=\"{sick_instance}\"}}) > 0"
            ),
            minute,
            "the sick instance's torrents by error class",
        )
        .await;
    // Every recording rule but the per-torrent ones (`porla:torrent_*`, one series per torrent,
    // which federation.yml leaves on the shards) reaches the global Prometheus.
    let (per_torrent, fleet_level): (Vec<String>, Vec<String>) = recording_rule_names()
        .into_iter()
        .partition(|r| r.starts_with("porla:torrent_"));
    assert!(!per_torrent.is_empty() && !fleet_level.is_empty());
    for rule in fleet_level {
        global
            .wait_for(&rule, minute, &format!("recording rule {rule}"))
            .await;
    }
    for q in per_torrent
        .iter()
        .map(String::as_str)
        .chain(["porla_tracker_status"])
    {
        assert_eq!(
            global.query(q).await,
            Ok(vec![]),
            "the global Prometheus holds per-torrent series: {q}"
        );
    }

    // ---- 3. the dashboards on the central store and on the sick instance's shard ----
    let settled = format!(
        "count(count_over_time(porla_up{{job=\"porla-exporter\"}}[1m]) >= 6) == {n} \
         and on () count(porla:tracker_host_torrents:sum) > 0"
    );
    central
        .wait_for(&settled, minute, "remote-written data")
        .await;
    let (_, sick_prom) = &shards[sick_shard];
    sick_prom
        .wait_for(
            &format!(
                "count_over_time(porla_up{{instance=\"{sick_instance}\"}}[1m]) >= 6 \
                 and on () count(porla:tracker_host_torrents:sum) > 0"
            ),
            minute,
            "the sick instance's data",
        )
        .await;
    let mut failures = Vec::new();
    for (level, prom) in [("central store", &central), ("shard", sick_prom)] {
        let (checked, missing) = engines::dashboards_without_data(prom).await;
        assert!(checked > 30, "only {checked} dashboard queries found");
        println!("{level} ({}): {checked} dashboard queries", prom.name);
        failures.extend(missing.into_iter().map(|f| format!("{level}: {f}")));
    }
    assert!(
        failures.is_empty(),
        "{} dashboard queries without data:\n{}",
        failures.len(),
        failures.join("\n")
    );

    let procs: Vec<&mut Process> = shards
        .iter_mut()
        .map(|(p, _)| p)
        .chain([&mut global_proc, &mut central_proc])
        .collect();
    for p in procs {
        p.assert_running();
    }
}
