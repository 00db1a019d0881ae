//! A seedbox whose landing page must put the host in trouble first: 30 dead trackers with a
//! single torrent each, one big host with most of its torrents in error, one host whose
//! announces are overdue, and 25 healthy hosts (shared by tests/it/landing.rs and the browser
//! test).

use serde_json::json;

use super::fake_porla::{list_item, slot, tracker, unused_slot, FakeTorrent};

/// Dead single-torrent trackers (`dead00.example` …), each with its one torrent in error.
pub const DEAD: usize = 30;
/// Healthy hosts (`fine00.example` …), two working torrents each.
pub const HEALTHY: usize = 25;
/// The host in trouble: `BIG_ERRORS` of its `BIG_TORRENTS` torrents in error.
pub const BIG: &str = "tracker.example";
pub const BIG_TORRENTS: usize = 8;
pub const BIG_ERRORS: usize = 5;
/// The host whose `LATE_TORRENTS` torrents are an hour overdue for their announce.
pub const LATE: &str = "slow.example";
pub const LATE_TORRENTS: usize = 3;

/// The torrents, with announce times relative to `now` (Unix seconds, the exporter's clock).
pub fn seedbox(now: i64) -> Vec<FakeTorrent> {
    let mut n = 0u32;
    let mut torrent = |host: &str, state: serde_json::Value| {
        n += 1;
        FakeTorrent {
            item: list_item(Some(&format!("{n:040x}")), None, &format!("torrent {n}")),
            trackers: json!({"trackers": [tracker(
                &format!("https://{host}/announce"),
                0,
                state,
                unused_slot()
            )]}),
        }
    };
    let working = || slot(0, None, true, 10, 2, now + 1800);
    let failing = || slot(3, Some("Connection refused"), false, -1, -1, now + 1800);
    let overdue = || slot(0, None, true, 10, 2, now - 3600);
    let mut out = Vec::new();
    for i in 0..DEAD {
        out.push(torrent(&format!("dead{i:02}.example"), failing()));
    }
    for i in 0..BIG_TORRENTS {
        out.push(torrent(
            BIG,
            if i < BIG_ERRORS { failing() } else { working() },
        ));
    }
    for _ in 0..LATE_TORRENTS {
        out.push(torrent(LATE, overdue()));
    }
    for i in 0..HEALTHY {
        for _ in 0..2 {
            out.push(torrent(&format!("fine{i:02}.example"), working()));
        }
    }
    out
}

/// The hosts as the page must list them: in sight, then folded behind "N more hosts".
pub fn expected_hosts() -> (Vec<String>, Vec<String>) {
    let screenful = porla_exporter::landing::SCREENFUL_HOSTS;
    // The most errors first; then the single-torrent dead ones (by name), the overdue host,
    // the healthy ones.
    let mut order = vec![BIG.to_string()];
    order.extend((0..DEAD).map(|i| format!("dead{i:02}.example")));
    order.push(LATE.to_string());
    order.extend((0..HEALTHY).map(|i| format!("fine{i:02}.example")));
    // A screenful is shown; past it, the hosts in trouble with more than one torrent stay.
    let (mut shown, mut folded) = (Vec::new(), Vec::new());
    for (i, host) in order.into_iter().enumerate() {
        if i < screenful || host == BIG || host == LATE {
            shown.push(host);
        } else {
            folded.push(host);
        }
    }
    (shown, folded)
}

/// The landing page's host rows as served or as a browser's DOM has them: the host names in
/// sight, in order, and the `<details>` fold, if any: its summary and its host names.
pub fn listed_hosts(page: &str) -> (Vec<String>, Option<(String, Vec<String>)>) {
    fn names(html: &str) -> Vec<String> {
        html.split("<tr>")
            .filter_map(|r| r.strip_prefix("<td>"))
            .map(|r| r[..r.find("</td>").unwrap()].to_string())
            .collect()
    }
    let start = page
        .find("<table class=\"trackers\">")
        .unwrap_or_else(|| panic!("no host table: {page}"));
    let page = &page[start..];
    // The host tables end where the messages begin (or the section ends).
    let end = ["<h3>", "</section>"]
        .iter()
        .filter_map(|m| page.find(m))
        .min()
        .unwrap();
    let page = &page[..end];
    match page.find("<details") {
        None => (names(page), None),
        Some(at) => {
            let fold = &page[at..];
            let summary = &fold[fold.find("<summary>").unwrap() + "<summary>".len()..];
            let summary = summary[..summary.find("</summary>").unwrap()].to_string();
            (names(&page[..at]), Some((summary, names(fold))))
        }
    }
}
