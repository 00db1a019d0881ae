//! `--collector.tracker.per-torrent=attention` through a real Prometheus: two exporter binaries
//! poll the same fake Porla (trackers in error with several classes, an unregistered torrent,
//! one refusing the account, few seeders, overdue announces, healthy torrents), one in the
//! default mode and one in attention mode. One Prometheus scrapes both with every rule file
//! of rules/ loaded, whatever alerts they hold, their expressions untouched; only the timings
//! are shortened (`for: 2s`, no `keep_firing_for`) so that a test can wait for them. The
//! firing alerts of the two exporters (name and labels, less instance and job) must be the
//! same; then every torrent recovers, and both must resolve the same way (to nothing). Also every
//! dashboard panel gives both the same answer, or its description says what it shows in
//! attention mode.

use crate::engines::{self, address};
use crate::monitoring::{files, yaml};
use crate::support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;
use support::binary::Binary;
use support::fake_porla::{FakeAuth, FakePorla};
use support::scenario::{scenario, working};

/// Every rule file of rules/, alerts' `for` shortened to 2s and `keep_firing_for` removed,
/// written into `dir`; their paths, and the alert names.
fn rule_files(dir: &std::path::Path) -> (Vec<String>, BTreeSet<String>) {
    let mut paths = Vec::new();
    let mut alerts = BTreeSet::new();
    for rel in files("rules", ".yml") {
        let mut doc = yaml(&rel);
        for g in doc["groups"].as_array_mut().unwrap() {
            for r in g["rules"].as_array_mut().unwrap() {
                if let Some(name) = r["alert"].as_str() {
                    alerts.insert(name.to_owned());
                    r["for"] = json!("2s");
                    r.as_object_mut().unwrap().remove("keep_firing_for");
                }
            }
        }
        let out = dir.join(rel.replace('/', "_"));
        // JSON is YAML.
        std::fs::write(&out, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        paths.push(out.display().to_string());
    }
    (paths, alerts)
}

/// The firing alerts of `instance`: name and labels, less instance, job and alertstate.
async fn firing(prom: &engines::Prom, instance: &str) -> BTreeSet<String> {
    prom.query(&format!(
        "ALERTS{{alertstate=\"firing\", instance=\"{instance}\"}}"
    ))
    .await
    .unwrap()
    .iter()
    .map(|s| labels_except(s, &["__name__", "instance", "job", "alertstate"]))
    .collect()
}

/// The firing alerts of both instances once each set has stayed the same over three queries
/// two seconds apart (within `within`), and `settled` accepts the full mode's.
async fn settled(
    prom: &engines::Prom,
    full: &str,
    att: &str,
    within: Duration,
    accept: impl Fn(&BTreeSet<String>) -> bool,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let deadline = Instant::now() + within;
    let mut last: Option<(BTreeSet<String>, BTreeSet<String>)> = None;
    let mut same = 0;
    loop {
        let now = (firing(prom, full).await, firing(prom, att).await);
        if accept(&now.0) && last.as_ref() == Some(&now) {
            same += 1;
            if same >= 2 {
                return now;
            }
        } else {
            same = 0;
        }
        assert!(
            Instant::now() < deadline,
            "the alerts did not settle within {within:?}: last {now:?}"
        );
        last = Some(now);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

fn exporter(porla: &FakePorla, extra: &[&str]) -> Binary {
    let mut args = vec![
        "--porla.url",
        &porla.url()[..],
        "--poll.interval",
        "1s",
        "--poll.mode",
        "full",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Binary::start(&args, &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_alerts_fire_in_both_modes() {
    let now = porla_exporter::poller::unix_now() as i64;
    let s = scenario(now, 40);
    let porla = FakePorla::start(s.torrents.clone(), FakeAuth::Disabled).await;
    let mut full = exporter(&porla, &[]);
    let mut att = exporter(
        &porla,
        &[
            "--collector.tracker.per-torrent",
            "attention",
            "--collector.tracker.attention-hold",
            "3s",
        ],
    );
    full.ready().await;
    att.ready().await;
    let (fi, ai) = (address(&full.url), address(&att.url));

    let dir = tempfile::tempdir().unwrap();
    let (rules, alerts) = rule_files(dir.path());
    assert!(alerts.len() >= 5, "the shipped alerts: {alerts:?}");
    let rule_list: Vec<String> = rules.iter().map(|p| format!("  - {p}")).collect();
    let (_prom_process, prom) = engines::prometheus(
        "prometheus",
        &format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n{}\nscrape_configs:\n  - job_name: porla-exporter\n    static_configs:\n      - targets: ['{fi}', '{ai}']\n",
            rule_list.join("\n")
        ),
        dir.path(),
        &[],
    );
    prom.wait_for(
        "count(count_over_time(porla_up{job=\"porla-exporter\"}[1m]) >= 5) == 2",
        Duration::from_secs(60),
        "scrapes of both exporters",
    )
    .await;

    // Attention mode serves fewer per-torrent series: the healthy torrents' are absent.
    let count = |i: &str| format!("count(porla_tracker_status{{instance=\"{i}\"}})");
    let (nf, na) = (
        prom.scalar(&count(&fi)).await.unwrap(),
        prom.scalar(&count(&ai)).await.unwrap(),
    );
    assert!(na < nf, "attention {na} series, full {nf}");

    let (f, a) = settled(&prom, &fi, &ai, Duration::from_secs(90), |f| {
        f.iter()
            .map(|a| a.split(',').find(|l| l.starts_with("alertname=")).unwrap())
            .collect::<BTreeSet<_>>()
            .len()
            >= 3
    })
    .await;
    assert_eq!(
        a, f,
        "the firing alerts of attention mode and of the full mode"
    );
    panels_work_in_both_modes_or_say_so(&prom, &fi, &ai).await;

    // Every torrent recovers: both resolve, the same way.
    let healed: Vec<_> = s
        .torrents
        .iter()
        .cloned()
        .map(|t| working(t, 12, now + 3600))
        .collect();
    porla.set_torrents(healed);
    let (f, a) = settled(&prom, &fi, &ai, Duration::from_secs(90), |f| f.is_empty()).await;
    assert_eq!(a, f, "after recovery");
    // Past the hold, attention mode serves no per-torrent rows any more; the full mode does.
    let rows = prom
        .wait_for(
            &format!("absent(porla_tracker_status{{instance=\"{ai}\"}})"),
            Duration::from_secs(30),
            "the attention exporter without rows",
        )
        .await;
    assert!(!rows.is_empty());
    assert!(prom.scalar(&count(&fi)).await.unwrap() > 0.0);
}

/// Whether `expr` reads per-torrent series (raw or through the per-torrent recording rules),
/// which attention mode serves for some torrents only.
fn reads_rows(expr: &str) -> bool {
    expr.match_indices("porla_tracker_")
        .any(|(at, _)| !expr[at + "porla_tracker_".len()..].starts_with("host_"))
        || expr.contains("porla:torrent_")
        || expr.contains("porla:tracker_status")
        || expr.contains("porla_torrent_trackers_last_update")
}

/// A series' labels, less those in `skip`, as `name=value` joined by commas.
fn labels_except(s: &serde_json::Value, skip: &[&str]) -> String {
    let labels: Vec<String> = s["metric"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    labels.join(",")
}

/// `q` evaluated at Unix time `at`: each series' labels (less instance and job) and value.
async fn at_time(prom: &engines::Prom, q: &str, at: f64) -> BTreeSet<String> {
    let result = prom
        .query_at(q, Some(at))
        .await
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    result
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                labels_except(s, &["instance", "job"]),
                s["value"][1]
            )
        })
        .collect()
}

/// Every dashboard panel gives the same answer for both exporters, or says in its description
/// what it shows in attention mode; only panels that read per-torrent series say so.
async fn panels_work_in_both_modes_or_say_so(prom: &engines::Prom, fi: &str, ai: &str) {
    let at = porla_exporter::poller::unix_now().floor() - 2.0;
    let hosts: Vec<String> = prom
        .query(&format!(
            "group by (tracker_host) (porla_tracker_host_torrents{{instance=\"{fi}\"}})"
        ))
        .await
        .unwrap()
        .iter()
        .map(|s| s["metric"]["tracker_host"].as_str().unwrap().to_owned())
        .collect();
    assert!(hosts.len() >= 5, "{hosts:?}");
    let mut problems = Vec::new();
    let (mut differing, mut compared) = (0, 0);
    for rel in files("dashboards", ".json") {
        let d = crate::monitoring::json(&rel);
        for panel in crate::monitoring::panels(&d) {
            let says = panel["description"]
                .as_str()
                .unwrap_or("")
                .contains("In attention mode");
            let exprs: Vec<&str> = panel["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["expr"].as_str())
                .collect();
            let rows = exprs.iter().any(|e| reads_rows(e));
            let what = format!("{rel} panel {} ({})", panel["id"], panel["title"]);
            if says && !rows {
                problems.push(format!(
                    "{what}: speaks of attention mode but reads no per-torrent series"
                ));
            }
            if !rows {
                continue;
            }
            let mut differs = false;
            for e in &exprs {
                let per_host: Vec<&str> = if e.contains("$tracker_host") {
                    hosts.iter().map(String::as_str).collect()
                } else {
                    vec![""]
                };
                for host in per_host {
                    let q = |i: &str| {
                        crate::engines::substitute(e, host)
                            .replace("instance=~\".*\"", &format!("instance=\"{i}\""))
                    };
                    compared += 1;
                    if at_time(prom, &q(fi), at).await != at_time(prom, &q(ai), at).await {
                        differs = true;
                    }
                }
            }
            differing += usize::from(differs);
            if differs && !says {
                problems.push(format!(
                    "{what}: answers differently in attention mode, and its description does not say what it shows then"
                ));
            }
        }
    }
    assert!(compared > 10, "{compared} queries compared");
    assert!(
        differing > 0,
        "no panel differs: the comparison sees nothing"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
