//! The landing page's host table as served: the hosts in trouble first (the most torrents in
//! error, then the most overdue), and past a screenful the healthy and single-torrent hosts
//! folded behind a count, with no script (tests/tools/browser.rs reads the same in Chromium).

use crate::support::fake_porla::{FakeAuth, FakePorla};
use crate::support::seedbox::*;
use crate::support::*;

use porla_exporter::porla::Auth;

#[tokio::test]
async fn hosts_in_trouble_come_first_and_the_rest_folds() {
    let porla = FakePorla::start(seedbox(CAPTURE_TIME as i64), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    let page = get(&format!("{}/", exp.url), None).await;
    assert_eq!(page.status, 200);
    let page = page.body;

    let (want_shown, want_folded) = expected_hosts();
    let (shown, fold) = listed_hosts(&page);
    assert_eq!(shown, want_shown, "hosts in sight");
    let (summary, folded) = fold.expect("a <details> fold");
    assert_eq!(folded, want_folded, "folded hosts");
    assert_eq!(
        summary,
        format!(
            "{} more hosts (healthy, or a single torrent)",
            want_folded.len()
        )
    );
    assert_eq!(shown.len() + folded.len(), DEAD + HEALTHY + 2);
    // The big host's row: its torrents in error and their class.
    let row = page
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<td>{BIG}</td>")))
        .unwrap();
    let cells: Vec<&str> = row
        .split("<td")
        .skip(1)
        .map(|c| &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()])
        .collect();
    // host, working, updating, queued, error, inactive, overdue, errors by class
    assert_eq!(cells[4], BIG_ERRORS.to_string(), "{row}");
    assert_eq!(cells[1], (BIG_TORRENTS - BIG_ERRORS).to_string(), "{row}");
    assert!(cells[7].contains(&BIG_ERRORS.to_string()), "{row}");
    let late = page
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<td>{LATE}</td>")))
        .unwrap();
    assert!(
        late.contains(&format!("<td>{LATE_TORRENTS}</td><td class=\"errors\">")),
        "the overdue column: {late}"
    );
    // Folded by HTML alone, closed until a person opens it.
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<details open"), "{page}");
}

#[tokio::test]
async fn few_hosts_fold_nothing() {
    // Under a screenful, every host is in sight, in trouble first.
    let mut torrents = seedbox(CAPTURE_TIME as i64);
    torrents.retain(|t| {
        let url = t.trackers["trackers"][0]["url"].as_str().unwrap();
        !url.contains("dead") && !url.contains("fine1") && !url.contains("fine2")
    });
    let porla = FakePorla::start(torrents, FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    let page = get(&format!("{}/", exp.url), None).await.body;
    let (shown, fold) = listed_hosts(&page);
    let mut want = vec![BIG.to_string(), LATE.to_string()];
    want.extend((0..10).map(|i| format!("fine{i:02}.example")));
    assert_eq!(shown, want);
    assert!(fold.is_none(), "{page}");
}
