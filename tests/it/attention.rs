//! `--collector.tracker.per-torrent=attention`: per-torrent rows only for the torrents that need
//! a person's attention, equal to the full mode's; the rest of `/metrics` unchanged; the hold
//! time; a flapping torrent; the flag through the environment.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use porla_exporter::porla::Auth;
use porla_exporter::snapshot::PerTorrent;
use support::binary::Binary;
use support::fake_porla::{FakeAuth, FakePorla};
use support::scenario::{failing, key, scenario, working};
use support::*;

const T0: i64 = CAPTURE_TIME as i64;

fn config(mode: PerTorrent) -> porla_exporter::poller::PollConfig {
    let mut c = poll_config();
    c.page_size = 1000;
    c.view.set_per_torrent(mode);
    c
}

/// The sample lines of `body` by their `info_hash` label (sorted), without the exporter's own.
fn by_torrent(body: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for l in body.lines().filter(|l| !l.starts_with('#')) {
        if let Some(rest) = l.split("info_hash=\"").nth(1) {
            let hash = rest.split('"').next().unwrap().to_owned();
            out.entry(hash).or_default().insert(l.to_owned());
        }
    }
    out
}

/// The lines of `body` without an `info_hash` label and without the exporter's own series
/// (timings and counters that differ between two exporters).
fn not_per_torrent(body: &str) -> BTreeSet<String> {
    body.lines()
        .filter(|l| !l.starts_with('#') && !l.contains("info_hash=\""))
        .filter(|l| !l.starts_with("porla_exporter_"))
        .map(str::to_owned)
        .collect()
}

fn is_info(line: &str) -> bool {
    line.starts_with("porla_torrent_info{")
}

/// Every torrent with a tracker in error, few seeders or an overdue announce has all its rows
/// in attention mode, each equal to the full mode's; plainly healthy torrents have none; the
/// per-torrent info, the host aggregates and the rest of `/metrics` are the full mode's.
#[tokio::test]
async fn rows_that_need_attention_equal_the_full_modes_and_healthy_ones_are_absent() {
    let s = scenario(T0, 30);
    let porla = FakePorla::start(s.torrents.clone(), FakeAuth::Disabled).await;
    let client = || client_config(&porla.url(), Auth::None);
    let mut full = exporter_clocked(client(), config(PerTorrent::All), capture_clock).await;
    let mut att = exporter_clocked(client(), config(PerTorrent::Attention), capture_clock).await;
    let (f, a) = (full.poll_and_scrape().await, att.poll_and_scrape().await);
    let (ft, at) = (by_torrent(&f), by_torrent(&a));
    assert_eq!(ft.len(), s.torrents.len(), "every torrent has its info");

    let rows = |lines: &BTreeSet<String>| -> BTreeSet<String> {
        lines.iter().filter(|l| !is_info(l)).cloned().collect()
    };
    // The torrents in error, read from the full mode's own series.
    let in_error: BTreeSet<&String> = ft
        .iter()
        .filter(|(_, ls)| {
            ls.iter()
                .any(|l| l.starts_with("porla_tracker_status{") && l.contains("status=\"error\""))
        })
        .map(|(h, _)| h)
        .collect();
    assert!(in_error.len() >= 3, "the scenario has torrents in error");
    let mut served = 0;
    for (hash, lines) in &ft {
        let mine = at.get(hash).cloned().unwrap_or_default();
        let info: Vec<&String> = lines.iter().filter(|l| is_info(l)).collect();
        assert_eq!(
            info,
            mine.iter().filter(|l| is_info(l)).collect::<Vec<_>>(),
            "{hash}: porla_torrent_info for every torrent"
        );
        let own = rows(&mine);
        if own.is_empty() {
            continue;
        }
        served += 1;
        assert_eq!(own, rows(lines), "{hash}: every row, as the full mode's");
    }
    for hash in &in_error {
        assert!(!rows(&at[*hash]).is_empty(), "{hash} is in error: its rows");
    }
    for hash in [&s.few_seeders, &s.overdue] {
        assert!(!rows(&at[hash]).is_empty(), "{hash}: its rows");
    }
    for hash in &s.healthy {
        assert!(!rows(&ft[hash]).is_empty(), "{hash}: rows in the full mode");
        assert!(rows(&at[hash]).is_empty(), "{hash} is healthy: no rows");
    }
    assert!(served < ft.len() - s.healthy.len() + 1, "{served} served");
    assert_eq!(
        not_per_torrent(&a),
        not_per_torrent(&f),
        "aggregates and the rest"
    );
}

/// The per-torrent series of one torrent (sample lines without their value).
fn series_of(body: &str, hash: &str) -> BTreeSet<String> {
    by_torrent(body)
        .remove(hash)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| !is_info(l))
        .map(|l| l.rsplit_once(' ').unwrap().0.to_owned())
        .collect()
}

/// A torrent failing every other poll keeps its rows at every poll and makes no more series
/// than the full mode does for it; once it recovers for good its rows stay, with the full
/// mode's values, for the hold time, then leave.
#[tokio::test]
async fn a_flapping_torrent_keeps_its_series_and_the_hold_outlasts_recovery() {
    let s = scenario(T0, 6);
    let flapper = s.healthy[0].clone();
    let at = |k: &str| s.torrents.iter().position(|t| key(t) == k).unwrap();
    let i = at(&flapper);
    let mut sick = s.torrents.clone();
    sick[i] = failing(sick[i].clone(), 2);
    let mut well = s.torrents.clone();
    well[i] = working(well[i].clone(), 12, T0 + 100_000);
    for t in [&mut sick, &mut well] {
        // Announces far ahead all along (the clock moves below), only the flapper changes.
        for (k, x) in t.iter_mut().enumerate() {
            if s.healthy.contains(&key(x)) && k != i {
                *x = working(x.clone(), 12, T0 + 100_000);
            }
        }
    }
    let porla = FakePorla::start(sick.clone(), FakeAuth::Disabled).await;
    let clock = TestClock::at(T0);
    let client = || client_config(&porla.url(), Auth::None);
    let attention = config(PerTorrent::Attention);
    let hold = attention.view.attention_hold as i64;
    let mut full = exporter_clocked(client(), config(PerTorrent::All), clock.now_fn()).await;
    let mut att = exporter_clocked(client(), attention, clock.now_fn()).await;

    let (mut seen_full, mut seen_att) = (BTreeSet::new(), BTreeSet::new());
    let mut after_two = 0;
    let mut now = T0;
    let mut last_needed = now;
    for poll in 0..30 {
        if poll % 2 == 0 {
            last_needed = now;
        }
        porla.set_torrents(if poll % 2 == 0 {
            sick.clone()
        } else {
            well.clone()
        });
        clock.set(now);
        let (f, a) = (full.poll_and_scrape().await, att.poll_and_scrape().await);
        let mine = series_of(&a, &flapper);
        assert!(!mine.is_empty(), "poll {poll}: the flapper's rows");
        assert_eq!(
            by_torrent(&a)[&flapper],
            by_torrent(&f)[&flapper],
            "poll {poll}: as the full mode"
        );
        seen_att.extend(mine);
        seen_full.extend(series_of(&f, &flapper));
        if poll == 1 {
            after_two = seen_att.len();
        }
        now += 30;
    }
    assert_eq!(seen_att, seen_full, "no series the full mode has not");
    assert_eq!(
        seen_att.len(),
        after_two,
        "no new series after the first flap"
    );

    // Recovered for good.
    porla.set_torrents(well.clone());
    for t in [now, last_needed + hold - 1] {
        clock.set(t);
        let (f, a) = (full.poll_and_scrape().await, att.poll_and_scrape().await);
        assert_eq!(
            by_torrent(&a)[&flapper],
            by_torrent(&f)[&flapper],
            "held at {t}, current values"
        );
        assert!(a.contains(&format!("porla_tracker_status{{info_hash=\"{flapper}\"")));
        assert!(a.contains("status=\"working\""));
    }
    clock.set(last_needed + hold);
    let a = att.poll_and_scrape().await;
    assert!(series_of(&a, &flapper).is_empty(), "the hold ran out");
    assert!(
        !a.contains(&format!(
            "porla_torrent_trackers_last_update_timestamp_seconds{{info_hash=\"{flapper}\""
        )),
        "nor its update time"
    );
    assert!(a.contains(&format!("porla_torrent_info{{info_hash=\"{flapper}\"")));
}

/// The environment variable selects the mode (the start log says which); so does an instance
/// of `--config.file`, served at /probe.
#[tokio::test]
async fn the_mode_comes_from_the_environment_and_the_config_file() {
    // The binary reads the real clock.
    let now = porla_exporter::poller::unix_now() as i64;
    let s = scenario(now, 4);
    let porla = FakePorla::start(s.torrents.clone(), FakeAuth::Disabled).await;
    let mut b = Binary::start(
        &[],
        &[
            ("PORLA_URL", &porla.url()),
            ("PORLA_EXPORTER_COLLECTOR_TRACKER_PER_TORRENT", "attention"),
        ],
    );
    let body = b.wait_for_metrics("porla_torrent_info{").await;
    assert!(b.logs().contains("per_torrent=attention"), "{}", b.logs());
    let healthy = &s.healthy[0];
    assert!(body.contains(&format!("porla_torrent_info{{info_hash=\"{healthy}\"")));
    assert!(!body.contains(&format!("porla_tracker_status{{info_hash=\"{healthy}\"")));
    assert!(body.contains(&format!(
        "porla_tracker_status{{info_hash=\"{}\"",
        s.few_seeders
    )));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("instances.toml");
    std::fs::write(
        &file,
        format!(
            "[instances.att]\nurl = \"{u}\"\nper_torrent = \"attention\"\n[instances.all]\nurl = \"{u}\"\n",
            u = porla.url()
        ),
    )
    .unwrap();
    let mut b = Binary::start(&["--config.file", file.to_str().unwrap()], &[]);
    let all = b
        .wait_for("/probe?target=all", |b| b.contains("porla_torrent_info{"))
        .await;
    let att = b
        .wait_for("/probe?target=att", |b| b.contains("porla_torrent_info{"))
        .await;
    let status = format!("porla_tracker_status{{info_hash=\"{healthy}\"");
    assert!(all.contains(&status) && !att.contains(&status));
}

/// The defaults agree with the shipped mixin: the hold outlasts every alert's
/// `keep_firing_for`, so a recovered torrent's rows outlive its alerts, and the seeder
/// threshold is the one of the few-seeders panels, so they list every such torrent.
#[test]
fn the_defaults_follow_the_mixin() {
    use crate::monitoring::{duration_seconds, json, prometheus_rules, ALERT_RULES};
    use porla_exporter::defaults;
    let hold = duration_seconds(defaults::ATTENTION_HOLD);
    let longest = prometheus_rules(ALERT_RULES)
        .iter()
        .filter_map(|r| r["keep_firing_for"].as_str().map(duration_seconds))
        .max()
        .expect("alerts with keep_firing_for");
    assert!(hold >= longest, "hold {hold}s < keep_firing_for {longest}s");
    let capacity = json("dashboards/porla-capacity.json");
    let few: Vec<String> = crate::monitoring::panels(&capacity)
        .iter()
        .flat_map(|p| p["targets"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["expr"].as_str().map(str::to_owned))
        .filter_map(|e| {
            e.split("porla:torrent_seeders:max")
                .nth(1)
                .and_then(|rest| rest.split(") < ").nth(1).or(rest.split("} < ").nth(1)))
                .map(|v| {
                    v.split(|c: char| !c.is_ascii_digit())
                        .next()
                        .unwrap()
                        .to_owned()
                })
        })
        .collect();
    assert!(!few.is_empty(), "the few-seeders panels' threshold");
    for f in few {
        assert_eq!(f, defaults::ATTENTION_FEW_SEEDERS.to_string());
    }
}
