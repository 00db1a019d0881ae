//! Capacity: the per tracker host sums of the torrents' listing (bytes stored, upload,
//! download, seeding time, idle weight), the exporter's own upload and download counters, the
//! per-torrent size and idle time, and the exporter's headroom (series cap, poll interval).
//! Everything starts from the real daemon's `torrents.list` items (tests/fixtures/porla/samples).

use crate::support;

use std::collections::BTreeMap;

use porla_exporter::porla::Auth;
use serde_json::json;
use support::fake_porla::{sample_torrents, FakeAuth, FakePorla, FakeTorrent, Faults};
use support::*;

/// The host part of a tracker URL, as the exporter's `tracker_host` label has it.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
    rest[..end].to_ascii_lowercase()
}

/// The distinct tracker hosts of a torrent.
fn hosts(t: &FakeTorrent) -> Vec<String> {
    let mut out: Vec<String> = t.trackers["trackers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tr| host_of(tr["url"].as_str().unwrap()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The real daemon's torrents, each given its own size, upload and idle time (the captured
/// items all say 262144 bytes, nothing uploaded, `last_upload` -1). Torrent `i` keeps the
/// captured -1 ("never uploaded") when `i` is even. The captured trackers all ran on
/// 127.0.0.1: the first torrent moves to a second host, and the fourth (two trackers on
/// 127.0.0.1 and one closed) gets its first tracker there, so that it counts on both hosts.
fn torrents() -> Vec<FakeTorrent> {
    let mut out = sample_torrents();
    let moved = |url: &str| url.replacen("127.0.0.1", "tracker.two.example", 1);
    for tr in out[0].trackers["trackers"].as_array_mut().unwrap() {
        tr["url"] = json!(moved(tr["url"].as_str().unwrap()));
    }
    let first = &mut out[3].trackers["trackers"][0]["url"];
    *first = json!(moved(first.as_str().unwrap()));
    for (i, t) in out.iter_mut().enumerate() {
        let i = i as i64;
        t.item["size"] = json!((i + 1) << 30);
        t.item["total_done"] = json!((i + 1) << 30);
        if i % 2 == 1 {
            t.item["all_time_upload"] = json!(i * 1_000_000);
            t.item["last_upload"] = json!(i * 10 * 86_400);
        }
        t.item["active_duration"] = json!(40 * 86_400);
        t.item["seeding_duration"] = json!(1000 * (i + 1));
    }
    out
}

fn host_sample(body: &str, metric: &str, host: &str) -> Option<f64> {
    sample(body, &format!("{metric}{{tracker_host=\"{host}\"}}"))
}

fn idle(body: &str, metric: &str, host: &str, window: &str) -> Option<f64> {
    sample(
        body,
        &format!("{metric}{{tracker_host=\"{host}\",idle=\"{window}\"}}"),
    )
}

/// Per host, the bytes stored equal the sum of `size` over the torrents with a tracker on that
/// host in Porla's own listing (a torrent on several hosts counts in each), and so do the
/// all-time upload, the seeding time and the idle torrents and bytes per window.
#[tokio::test]
async fn host_sums_equal_the_listing() {
    let torrents = torrents();
    let porla = FakePorla::start(torrents.clone(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let body = exp.poll_and_scrape().await;

    // What Porla's listing says, summed by host here (the checking torrent has no tracker
    // answer's endpoints, but its trackers still name hosts).
    let mut want: BTreeMap<String, [i64; 9]> = BTreeMap::new();
    for t in &torrents {
        let it = &t.item;
        let size = it["size"].as_i64().unwrap();
        let last = it["last_upload"].as_i64().unwrap();
        let idle = if last < 0 {
            it["active_duration"].as_i64().unwrap()
        } else {
            last
        };
        for h in hosts(t) {
            let w = want.entry(h).or_default();
            w[0] += size;
            w[1] += it["all_time_upload"].as_i64().unwrap();
            w[2] += it["seeding_duration"].as_i64().unwrap();
            for (k, days) in [(3, 7), (5, 30)] {
                if idle >= days * 86_400 {
                    w[k] += 1;
                    w[k + 1] += size;
                }
            }
            if last < 0 {
                w[7] += 1;
                w[8] += size;
            }
        }
    }
    assert_eq!(want.len(), 2, "{want:?}");
    assert!(
        torrents.iter().any(|t| hosts(t).len() > 1),
        "a torrent counts on two hosts"
    );
    for (host, w) in &want {
        let got = [
            host_sample(&body, "porla_tracker_host_size_bytes", host),
            host_sample(&body, "porla_tracker_host_all_time_upload_bytes", host),
            host_sample(&body, "porla_tracker_host_seeding_seconds", host),
            idle(&body, "porla_tracker_host_idle_torrents", host, "7d"),
            idle(&body, "porla_tracker_host_idle_bytes", host, "7d"),
            idle(&body, "porla_tracker_host_idle_torrents", host, "30d"),
            idle(&body, "porla_tracker_host_idle_bytes", host, "30d"),
            idle(&body, "porla_tracker_host_idle_torrents", host, "never"),
            idle(&body, "porla_tracker_host_idle_bytes", host, "never"),
        ];
        let got: Vec<i64> = got
            .iter()
            .map(|v| v.unwrap_or_else(|| panic!("{host}: a sample is missing\n{body}")) as i64)
            .collect();
        assert_eq!(got, w.to_vec(), "{host}");
        // Nothing was seen going up yet: the counters start at 0.
        assert_eq!(
            host_sample(&body, "porla_tracker_host_uploaded_bytes_total", host),
            Some(0.0)
        );
    }
    // Per instance, every torrent counts once.
    let all: i64 = torrents
        .iter()
        .map(|t| t.item["size"].as_i64().unwrap())
        .sum();
    assert_eq!(sample(&body, "porla_torrents_size_bytes"), Some(all as f64));
    assert_eq!(sample(&body, "porla_uploaded_bytes_total"), Some(0.0));
    // Per torrent: size, and idle time (a never-uploaded torrent's active time).
    for t in &torrents {
        let key = t.item["info_hash"][0].as_str().unwrap();
        assert_eq!(
            sample(
                &body,
                &format!("porla_torrent_size_bytes{{info_hash=\"{key}\"}}")
            ),
            t.item["size"].as_f64()
        );
        let last = t.item["last_upload"].as_i64().unwrap();
        let idle = if last < 0 { 40 * 86_400 } else { last };
        assert_eq!(
            sample(
                &body,
                &format!("porla_torrent_idle_seconds{{info_hash=\"{key}\"}}")
            ),
            Some(idle as f64)
        );
    }
    // The counters are counters, the units in the names.
    assert!(body.contains("# TYPE porla_tracker_host_uploaded_bytes_total counter"));
    assert!(body.contains("# TYPE porla_tracker_host_size_bytes gauge"));
}

/// A torrent without metadata (`size` -1) stores nothing and has no size series; a missing or
/// null field degrades that value only.
#[tokio::test]
async fn size_minus_one_and_missing_fields_are_absence() {
    let mut torrents = torrents();
    torrents[0].item["size"] = json!(-1);
    torrents[1]
        .item
        .as_object_mut()
        .unwrap()
        .remove("all_time_upload");
    torrents[1].item["last_upload"] = json!(null);
    let porla = FakePorla::start(torrents.clone(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    let key = |t: &FakeTorrent| t.item["info_hash"][0].as_str().unwrap().to_owned();
    assert_eq!(
        sample(
            &body,
            &format!(
                "porla_torrent_size_bytes{{info_hash=\"{}\"}}",
                key(&torrents[0])
            )
        ),
        None
    );
    assert_eq!(
        sample(
            &body,
            &format!(
                "porla_torrent_idle_seconds{{info_hash=\"{}\"}}",
                key(&torrents[1])
            )
        ),
        None,
        "no last_upload: idle time unknown"
    );
    let total: f64 = samples_of(&body, "porla_tracker_host_size_bytes")
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    let want: i64 = torrents[1..]
        .iter()
        .map(|t| t.item["size"].as_i64().unwrap() * hosts(t).len() as i64)
        .sum();
    assert_eq!(total as i64, want);
}

/// The upload counter grows by what the torrents uploaded between polls and never goes down:
/// not when a torrent is removed (its all-time upload leaves the gauge), not when a torrent's
/// count goes backwards, and upload made while Porla could not be read is counted once it can.
#[tokio::test]
async fn the_upload_counter_never_goes_down() {
    let mut torrents = torrents();
    let porla = FakePorla::start(torrents.clone(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let host = hosts(&torrents[1])[0].clone();
    let on_host: Vec<usize> = (0..torrents.len())
        .filter(|&i| hosts(&torrents[i]).contains(&host))
        .collect();
    assert!(on_host.len() >= 2, "{host} holds several torrents");
    let counter =
        |body: &str| host_sample(body, "porla_tracker_host_uploaded_bytes_total", &host).unwrap();
    let gauge =
        |body: &str| host_sample(body, "porla_tracker_host_all_time_upload_bytes", &host).unwrap();
    let body = exp.poll_and_scrape().await;
    assert_eq!(counter(&body), 0.0);

    // Two torrents of the host upload 5 MB and 7 MB.
    let (a, b) = (on_host[0], on_host[1]);
    let up = |t: &FakeTorrent| t.item["all_time_upload"].as_i64().unwrap();
    torrents[a].item["all_time_upload"] = json!(up(&torrents[a]) + 5_000_000);
    torrents[b].item["all_time_upload"] = json!(up(&torrents[b]) + 7_000_000);
    porla.set_torrents(torrents.clone());
    let body = exp.poll_and_scrape().await;
    assert_eq!(counter(&body), 12_000_000.0);
    let instance = |body: &str| sample(body, "porla_uploaded_bytes_total").unwrap();
    assert_eq!(instance(&body), 12_000_000.0);
    let before_removal = gauge(&body);

    // Torrent a is removed: the present sum falls, the counter does not.
    let mut fewer = torrents.clone();
    let removed = fewer.remove(a);
    porla.set_torrents(fewer.clone());
    let body = exp.poll_and_scrape().await;
    assert_eq!(gauge(&body), before_removal - up(&removed) as f64);
    assert_eq!(counter(&body), 12_000_000.0);
    assert_eq!(instance(&body), 12_000_000.0);

    // A count that goes backwards (a re-added torrent) counts nothing, then grows from there.
    let b = fewer
        .iter()
        .position(|t| t.item["info_hash"] == torrents[b].item["info_hash"])
        .unwrap();
    fewer[b].item["all_time_upload"] = json!(1_000);
    porla.set_torrents(fewer.clone());
    let body = exp.poll_and_scrape().await;
    assert_eq!(counter(&body), 12_000_000.0);
    fewer[b].item["all_time_upload"] = json!(3_000);
    porla.set_torrents(fewer.clone());
    let body = exp.poll_and_scrape().await;
    assert_eq!(counter(&body), 12_002_000.0);

    // Porla cannot be read for a poll while torrent b uploads 1 MB: counted at the next success.
    porla.set_faults(Faults {
        http_status: Some(500),
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(0.0));
    fewer[b].item["all_time_upload"] = json!(1_003_000);
    porla.set_torrents(fewer.clone());
    porla.set_faults(Faults::default());
    let body = exp.poll_and_scrape().await;
    assert_eq!(counter(&body), 13_002_000.0);
    assert_eq!(instance(&body), 13_002_000.0);
}

/// The headroom series: the cap, what the cap would serve without it, the torrents it leaves
/// out, the poll interval.
#[tokio::test]
async fn headroom_is_exported() {
    let torrents = torrents();
    let porla = FakePorla::start(torrents.clone(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let body = exp.poll_and_scrape().await;
    let served = sample(&body, "porla_exporter_uncapped_series").unwrap();
    assert!(served > 0.0);
    assert_eq!(sample(&body, "porla_exporter_dropped_torrents"), Some(0.0));
    assert_eq!(
        sample(&body, "porla_exporter_poll_interval_seconds"),
        Some(30.0)
    );
    assert_eq!(
        sample(&body, "porla_exporter_max_series"),
        Some(porla_exporter::defaults::MAX_SERIES as f64)
    );

    // A cap below what the torrents need leaves some torrents out and says how many.
    let mut cfg = poll_config();
    cfg.view.max_series = 8;
    let mut capped = exporter(&porla.url(), Auth::None, cfg).await;
    let body = capped.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_exporter_max_series"), Some(8.0));
    assert_eq!(
        sample(&body, "porla_exporter_uncapped_series"),
        Some(served)
    );
    let dropped = sample(&body, "porla_exporter_dropped_series").unwrap();
    let dropped_torrents = sample(&body, "porla_exporter_dropped_torrents").unwrap();
    assert!(dropped > 0.0 && dropped_torrents >= 1.0, "{body}");
    // The torrents left out are those with fewer status series (one per row) than uncapped.
    let rows = |body: &str| -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for l in samples_of(body, "porla_tracker_status") {
            let key = l
                .split("info_hash=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            *out.entry(key.to_owned()).or_insert(0) += 1;
        }
        out
    };
    let (all, kept) = (rows(&exp.metrics().await), rows(&body));
    let short = all
        .iter()
        .filter(|(k, n)| kept.get(*k).copied().unwrap_or(0) < **n)
        .count();
    assert!(short >= 1);
    assert_eq!(dropped_torrents as usize, short, "{body}");

    // A failed poll keeps the limits (they are the exporter's, not Porla's).
    porla.set_faults(Faults {
        http_status: Some(500),
        ..Faults::default()
    });
    let body = capped.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_exporter_max_series"), Some(8.0));
    assert_eq!(
        sample(&body, "porla_exporter_poll_interval_seconds"),
        Some(30.0)
    );
    assert_eq!(sample(&body, "porla_exporter_uncapped_series"), None);
}
