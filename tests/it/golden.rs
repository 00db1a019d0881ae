//! Golden end-to-end tests: fake Porla (real samples) → poll → GET /metrics → compare.

use crate::support;

use porla_exporter::porla::Auth;
use support::fake_porla::{hostile_torrents, sample_torrents, FakeAuth, FakePorla};
use support::*;

async fn golden(
    torrents: Vec<support::fake_porla::FakeTorrent>,
    poll: porla_exporter::poller::PollConfig,
    file: &str,
) -> String {
    let porla = FakePorla::start(torrents, FakeAuth::Tokens(vec!["tok".into()])).await;
    let mut exp = exporter(
        &porla.url(),
        Auth::Token(porla_exporter::porla::Secret::new("tok")),
        poll,
    )
    .await;
    let body = exp.poll_and_scrape().await;
    assert_golden(file, &stable(&body));
    assert_eq!(
        porla
            .batches_seen
            .load(std::sync::atomic::Ordering::Relaxed),
        0,
        "never a batch"
    );
    body
}

#[tokio::test]
async fn real_samples_folded() {
    let body = golden(sample_torrents(), poll_config(), "samples.txt").await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    assert_eq!(sample(&body, "porla_torrents"), Some(6.0));
}

#[tokio::test]
async fn real_samples_per_endpoint() {
    let mut poll = poll_config();
    poll.view.per_endpoint = true;
    golden(sample_torrents(), poll, "samples-per-endpoint.txt").await;
}

#[tokio::test]
async fn real_samples_aggregates_only() {
    let mut poll = poll_config();
    poll.view.per_torrent = false;
    let body = golden(sample_torrents(), poll, "samples-aggregates-only.txt").await;
    assert!(samples_of(&body, "porla_tracker_status").is_empty());
    assert!(samples_of(&body, "porla_torrent_info").is_empty());
    assert!(!samples_of(&body, "porla_tracker_host_torrents").is_empty());
}

#[tokio::test]
async fn hostile_torrents_folded() {
    golden(hostile_torrents(), poll_config(), "hostile.txt").await;
}

/// `--collector.tracker.details` adds min_announce, verified and updating back; everything
/// else is the default output, line for line, but the count of the series the cap counts
/// (`porla_exporter_uncapped_series`), which grows by exactly the detail series.
#[tokio::test]
async fn real_samples_with_details() {
    let mut poll = poll_config();
    poll.view.tracker_details = true;
    let body = golden(sample_torrents(), poll, "samples-details.txt").await;
    for name in [
        "porla_tracker_min_announce_timestamp_seconds",
        "porla_tracker_verified",
        "porla_tracker_updating",
    ] {
        assert!(!samples_of(&body, name).is_empty(), "{name}");
    }
    let lean =
        std::fs::read_to_string(support::fake_porla::fixtures_dir().join("metrics/samples.txt"))
            .unwrap();
    let details_only = ["min_announce", "tracker_verified", "tracker_updating"];
    let stable_body = stable(&body);
    let detail_series = stable_body
        .lines()
        .filter(|l| !l.starts_with('#') && details_only.iter().any(|d| l.contains(d)))
        .count();
    let uncapped = "porla_exporter_uncapped_series ";
    let count = |body: &str| -> usize {
        let line = body.lines().find(|l| l.starts_with(uncapped)).unwrap();
        line[uncapped.len()..].parse().unwrap()
    };
    assert_eq!(count(&stable_body), count(&lean) + detail_series);
    let without: Vec<&str> = stable_body
        .lines()
        .filter(|l| !details_only.iter().any(|d| l.contains(d)) && !l.starts_with(uncapped))
        .collect();
    let lean: Vec<&str> = lean.lines().filter(|l| !l.starts_with(uncapped)).collect();
    assert_eq!(without, lean, "details add series, change none");
}

#[tokio::test]
async fn lean_default_has_no_detail_series() {
    let body = golden(sample_torrents(), poll_config(), "samples.txt").await;
    for name in [
        "porla_tracker_min_announce_timestamp_seconds",
        "porla_tracker_verified",
        "porla_tracker_updating",
    ] {
        assert!(
            !body.contains(name),
            "{name} is behind --collector.tracker.details"
        );
    }
    for name in [
        "porla_tracker_fails",
        "porla_tracker_fail_limit",
        "porla_tracker_status",
        "porla_tracker_next_announce_timestamp_seconds",
        "porla_tracker_scrape_complete",
    ] {
        assert!(
            !samples_of(&body, name).is_empty(),
            "{name} stays in the default set"
        );
    }
}

#[test]
fn golden_diff_shows_reordered_and_duplicated_lines() {
    let golden = "a 1\nb 2\nc 3\n";
    // Same set of lines as the golden file, so a set difference would print nothing.
    let reordered = "b 2\na 1\nc 3\n";
    let duplicated = "a 1\nb 2\nb 2\nc 3\n";
    let changed = |d: &str, sign: char| {
        d.lines()
            .filter(|l| l.starts_with(sign) && !l.starts_with("+++") && !l.starts_with("---"))
            .map(|l| l[1..].to_owned())
            .collect::<Vec<_>>()
    };
    let d = line_diff(golden, reordered, "golden");
    assert_eq!(changed(&d, '-'), changed(&d, '+'), "{d}");
    assert_eq!(changed(&d, '+').len(), 1, "one line moved: {d}");
    let d = line_diff(golden, duplicated, "golden");
    assert_eq!(changed(&d, '+'), ["b 2"], "{d}");
    assert!(changed(&d, '-').is_empty(), "{d}");
    assert!(line_diff(golden, golden, "golden").is_empty());
}
