//! Announce-aware polling: trackers are asked for when something can have changed.

use crate::support;

use std::collections::HashSet;
use std::time::Duration;

use porla_exporter::poller::PollMode;
use porla_exporter::porla::Auth;
use support::fake_porla::{
    hostile_torrents, synthetic_torrents, Announces, FakeAuth, FakePorla, FakeTorrent,
};
use support::*;

const T0: i64 = 1_795_683_205;
const MARGIN: i64 = 15;

fn scheduled() -> porla_exporter::poller::PollConfig {
    let mut c = poll_config();
    c.mode = PollMode::Scheduled;
    c.page_size = 1000;
    c.full_sweep_interval = Duration::from_secs(1800);
    c.announce_margin = Duration::from_secs(MARGIN as u64);
    c
}

fn key(t: &FakeTorrent) -> String {
    t.info_hash()[0]
        .as_str()
        .or(t.info_hash()[1].as_str())
        .unwrap()
        .to_owned()
}

/// Scheduled announces over the torrent's enabled slots, read from the fixture.
fn announces(t: &FakeTorrent) -> Vec<i64> {
    t.trackers["trackers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|tr| tr["endpoints"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["enabled"] != false)
        .flat_map(|e| e["info_hashes"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s["next_announce"].as_i64())
        .filter(|n| *n != i32::MIN as i64)
        .collect()
}

/// The announce schedule as Porla reports it at `at` (past announces re-scheduled 1800 s on).
fn rolled(n: i64, at: i64) -> i64 {
    if n <= at {
        n + ((at - n) / 1800 + 1) * 1800
    } else {
        n
    }
}

fn asked_for(porla: &FakePorla) -> HashSet<String> {
    porla
        .calls()
        .into_iter()
        .filter(|(m, _)| m == "torrents.trackers.list")
        .map(|(_, p)| {
            p["info_hash"][0]
                .as_str()
                .or(p["info_hash"][1].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn scheduled_mode_asks_only_when_an_announce_is_due() {
    // Announces scheduled after T0, so none has happened at T0.
    let torrents = synthetic_torrents(200, 11, T0 + 1, 1800);
    let porla = FakePorla::start(torrents.clone(), FakeAuth::Disabled).await;
    let clock = TestClock::at(T0);
    let client = client_config(&porla.url(), Auth::None);
    let mut exp = exporter_clocked(client, scheduled(), clock.now_fn()).await;

    // New torrents are asked for at once.
    clock.set(T0);
    porla.set_announces(Some(Announces {
        now: T0,
        interval: 1800,
    }));
    let body = exp.poll_and_scrape().await;
    assert_eq!(asked_for(&porla).len(), 200);
    assert_eq!(samples_of(&body, "porla_torrent_info").len(), 200);

    // Nothing changed: only the list.
    porla.clear_calls();
    let body = exp.poll_and_scrape().await;
    assert_eq!(porla.count_calls("torrents.trackers.list"), 0);
    assert_eq!(porla.count_calls("torrents.list"), 1);
    assert_eq!(
        samples_of(&body, "porla_torrent_info").len(),
        200,
        "the snapshot stays whole"
    );
    assert!(samples_of(&body, "porla_tracker_status").len() >= 200);
    assert_eq!(sample(&body, "porla_up"), Some(1.0));

    // Five minutes later: exactly the torrents whose earliest announce (plus margin) passed.
    let t1 = T0 + 300;
    clock.set(t1);
    porla.set_announces(Some(Announces {
        now: t1,
        interval: 1800,
    }));
    porla.clear_calls();
    let body = exp.poll_and_scrape().await;
    let expected: HashSet<String> = torrents
        .iter()
        .filter(|t| announces(t).iter().any(|n| n + MARGIN <= t1))
        .map(key)
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < 100,
        "{}",
        expected.len()
    );
    assert_eq!(asked_for(&porla), expected);
    // Their data is fresh, the others keep their age.
    let fresh = body
        .lines()
        .filter(|l| l.starts_with("porla_torrent_trackers_last_update_timestamp_seconds"))
        .filter(|l| l.ends_with(&format!(" {t1}")) || l.ends_with(&format!(" {t1}.0")))
        .count();
    assert_eq!(fresh, expected.len());

    // A new torrent is asked for at the next cycle, alone.
    let mut more = torrents.clone();
    let newcomer = synthetic_torrents(201, 99, t1, 1800).pop().unwrap();
    more.push(newcomer.clone());
    porla.set_torrents(more);
    porla.clear_calls();
    exp.poll_and_scrape().await;
    assert_eq!(asked_for(&porla), HashSet::from([key(&newcomer)]));

    // Past the full-sweep interval everything is refreshed.
    let t2 = T0 + 1801;
    clock.set(t2);
    porla.set_announces(Some(Announces {
        now: t2,
        interval: 1800,
    }));
    porla.clear_calls();
    exp.poll_and_scrape().await;
    // Swept: everything last fetched at T0. Of those fetched at t1, only the ones with an
    // announce (as scheduled at t1) passed since.
    let mut fetched_at_t1 = expected.clone();
    fetched_at_t1.insert(key(&newcomer));
    let expected_t2: HashSet<String> = torrents
        .iter()
        .chain([&newcomer])
        .filter(|t| {
            !fetched_at_t1.contains(&key(t))
                || announces(t)
                    .iter()
                    .map(|n| rolled(*n, t1))
                    .any(|n| n + MARGIN <= t2 && n + MARGIN > t1)
        })
        .map(key)
        .collect();
    assert!(expected_t2.len() > 200 - expected.len());
    let asked = asked_for(&porla);
    let diff: Vec<_> = asked.symmetric_difference(&expected_t2).collect();
    assert!(diff.is_empty(), "asked for vs expected differ in {diff:?}");
}

#[tokio::test]
async fn announces_in_flight_are_asked_for_again() {
    // The hybrid hostile torrent has a slot with `updating: true`.
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, scheduled()).await;
    exp.poll_and_scrape().await;
    porla.clear_calls();
    exp.poll_and_scrape().await;
    assert_eq!(
        asked_for(&porla),
        HashSet::from(["1111111111111111111111111111111111111111".to_owned()])
    );
}

#[tokio::test]
async fn full_mode_asks_for_every_torrent_every_cycle() {
    let porla = FakePorla::start(synthetic_torrents(50, 5, T0, 1800), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poll_and_scrape().await;
    exp.poll_and_scrape().await;
    assert_eq!(porla.count_calls("torrents.trackers.list"), 100);
}

#[tokio::test]
async fn unused_protocol_slots_never_make_a_torrent_due() {
    // The real paused sample is v1-only, but libtorrent keeps a v2 slot with an announce time
    // (1795683112) that passes between these two cycles: it must not count.
    let porla = FakePorla::start(support::fake_porla::sample_torrents(), FakeAuth::Disabled).await;
    let clock = TestClock::at(T0 - 200);
    let client = client_config(&porla.url(), Auth::None);
    let mut exp = exporter_clocked(client, scheduled(), clock.now_fn()).await;
    exp.poll_and_scrape().await;
    porla.clear_calls();
    clock.set(T0);
    exp.poll_and_scrape().await;
    let asked = asked_for(&porla);
    assert!(
        asked.contains("4c467d4066e030e7456af9a4167acb3efcfcf2f0"),
        "the mixed sample's tier-2 v1 announce (1795683160) is due: {asked:?}"
    );
    assert!(
        !asked.contains("cbbe188757aea1da37d51c5e7b8c1800fb66d8ee"),
        "{asked:?}"
    );
}
