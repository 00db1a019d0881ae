//! What a person sees: the real exporter binary, fed by the fake Porla, read by a real browser
//! (Debian's `chromium-headless-shell`, `--dump-dom`) and by `curl`.
//!
//! - `/metrics` in a browser and with `curl --compressed` shows every series the plain text
//!   has. Both send `Accept-Encoding: gzip` and decode only the first gzip member, so these
//!   tests need a gzip body of one member.
//! - `/` shows each instance's state: Porla's address, the last poll (succeeded with N
//!   torrents, or failed with its class), the tracker hosts, and the links.
//!
//! The tools are found on PATH (or in /usr/bin); a missing one fails the test with one line
//! saying how to get it.

use crate::support;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::binary::Binary;
use support::fake_porla::{hostile_torrents, sample_torrents, FakeAuth, FakePorla};
use support::{tools, DownPort};

/// The binary with a long interval: the series set stays the same between the reads compared.
fn start(args: &[&str]) -> Binary {
    let mut args = args.to_vec();
    args.extend(["--poll.interval", "1h"]);
    Binary::start(&args, &[])
}

/// A page as a program reads it: no compression (reqwest here has no gzip support).
async fn plain(exp: &Binary, path: &str) -> String {
    let r = reqwest::get(format!("{}{path}", exp.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// The DOM Chromium builds for `url`, serialised.
fn chromium_dom(url: &str) -> String {
    let chromium = tools::chromium();
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a serialised DOM with tags removed and entities decoded.
fn dom_text(dom: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Series (name and labels) of the sample lines of an exposition.
fn series(body: &str) -> BTreeSet<String> {
    body.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.rsplit_once(' ').map_or(l, |(s, _)| s).to_owned())
        .collect()
}

fn assert_same_series(what: &str, plain: &str, seen: &str) {
    let want = series(plain);
    let got = series(seen);
    assert!(
        want.iter().any(|s| s.starts_with("porla_tracker_")),
        "the fixture must produce tracker series"
    );
    let missing: Vec<&String> = want.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "{what} lacks {} of {} series, e.g. {:?}",
        missing.len(),
        want.len(),
        &missing[..missing.len().min(5)]
    );
}

/// Needs a single-member gzip body: Chromium sends `Accept-Encoding: gzip`.
#[tokio::test]
async fn browser_shows_every_series_of_metrics() {
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Disabled).await;
    let mut exp = start(&["--porla.url", &porla.url()]);
    exp.ready().await;
    let plain = plain(&exp, "/metrics").await;
    assert!(plain.contains("\nporla_up 1\n"), "{plain}");
    let dom = chromium_dom(&format!("{}/metrics", exp.url));
    assert_same_series("/metrics in Chromium", &plain, &dom_text(&dom));
}

/// Needs a single-member gzip body, like the browser.
#[tokio::test]
async fn curl_compressed_shows_every_series_of_metrics() {
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Disabled).await;
    let mut exp = start(&["--porla.url", &porla.url()]);
    exp.ready().await;
    let plain = plain(&exp, "/metrics").await;
    let url = format!("{}/metrics", exp.url);
    assert_same_series("curl", &plain, &tools::curl_text(&[&url]));
    assert_same_series(
        "curl --compressed",
        &plain,
        &tools::curl_text(&["--compressed", &url]),
    );
}

/// The hosts of `porla_tracker_host_torrents`, with their torrents by status.
fn host_counts(metrics: &str) -> Vec<(String, String, u64)> {
    metrics
        .lines()
        .filter_map(|l| l.strip_prefix("porla_tracker_host_torrents{"))
        .map(|rest| {
            let field = |name: &str| {
                rest.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .unwrap()
                    .to_owned()
            };
            let n = rest.rsplit_once(' ').unwrap().1.parse().unwrap();
            (field("tracker_host"), field("status"), n)
        })
        .collect()
}

#[tokio::test]
async fn landing_page_shows_each_instance_in_a_browser_and_curl() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("instances.toml");
    let down = DownPort::reserve();
    let dead = down.url();
    let healthy_url = porla.url().replace("http://", "http://someone:SECRETPW@");
    std::fs::write(
        &file,
        format!(
            "[instances.healthy]\nurl = \"{healthy_url}\"\n[instances.failing]\nurl = \"{dead}\"\n"
        ),
    )
    .unwrap();
    let mut exp = start(&["--config.file", file.to_str().unwrap()]);
    exp.ready().await;
    let healthy = plain(&exp, "/probe?target=healthy").await;
    let torrents = support::sample(&healthy, "porla_torrents").expect("porla_torrents") as u64;
    let hosts = host_counts(&healthy);
    assert!(!hosts.is_empty());

    let via_curl = tools::curl_text(&[&format!("{}/", exp.url)]);
    let dom = chromium_dom(&format!("{}/", exp.url));
    for (what, page) in [("curl", via_curl), ("Chromium", dom)] {
        assert!(
            !page.contains("SECRETPW") && !page.contains("someone"),
            "{what}: credential shown"
        );
        let section = |id: &str| {
            let start = page
                .find(&format!("<section id=\"instance-{id}\">"))
                .unwrap_or_else(|| panic!("{what}: no section for {id}: {page}"));
            let end = page[start..].find("</section>").unwrap() + start;
            page[start..end].to_owned()
        };
        let ok = section("healthy");
        assert!(ok.contains(&porla.url()), "{what}: {ok}");
        assert!(
            ok.contains(&format!("{torrents} torrents seen")),
            "{what}: {ok}"
        );
        assert!(ok.contains("succeeded"), "{what}: {ok}");
        let text = dom_text(&ok);
        for (host, status, n) in &hosts {
            assert!(
                text.contains(host.as_str()),
                "{what}: host {host} missing: {ok}"
            );
            // The row of the host has the count under the status' column.
            let row = ok
                .split("<tr>")
                .find(|r| dom_text(r).starts_with(host.as_str()))
                .unwrap();
            let cells: Vec<String> = row
                .split("<td")
                .skip(2)
                .map(|c| dom_text(&format!("<td{c}")))
                .collect();
            let col = ["working", "updating", "queued", "error", "inactive"]
                .iter()
                .position(|s| s == status)
                .unwrap();
            assert_eq!(
                cells[col].trim(),
                n.to_string(),
                "{what}: {host} {status}: {row}"
            );
        }
        let bad = section("failing");
        assert!(bad.contains(&dead), "{what}: {bad}");
        assert!(
            bad.contains("failed") && bad.contains("<code>connection</code>"),
            "{what}: {bad}"
        );
        assert!(bad.contains("cannot connect to Porla"), "{what}: {bad}");
        for link in [
            "/metrics",
            "/-/healthy",
            "/-/ready",
            "/probe?target=healthy",
        ] {
            assert!(
                page.contains(&format!("href=\"{link}\"")),
                "{what}: link {link}"
            );
        }
    }
}

/// What the trackers said, as a person reads it in a browser and with curl: per host, the
/// messages with their torrents and class; a message no pattern matched is marked with the hint;
/// a passkey the trackers quote (in a URL, after a name, or bare) never appears.
#[tokio::test]
async fn landing_page_shows_what_the_trackers_said_without_a_passkey() {
    use serde_json::json;
    use support::fake_porla::{list_item, slot, tracker, unused_slot, FakeTorrent};
    const KEY: &str = "5f0c3e9a1b2d4c6e8f0a1b2c3d4e5f60";
    let failing = |i: u32, message: String| {
        let mut s = slot(
            2,
            Some("tracker sent a failure message"),
            false,
            -1,
            -1,
            4_102_444_800,
        );
        s["message"] = json!(message);
        FakeTorrent {
            item: list_item(Some(&format!("{i:040x}")), None, &format!("torrent {i}")),
            trackers: json!({"trackers": [tracker(
                &format!("https://t.example/announce/{KEY}"),
                0,
                s,
                unused_slot()
            )]}),
        }
    };
    let mut torrents: Vec<FakeTorrent> = (1..=3)
        .map(|i| {
            failing(
                i,
                format!("Unregistered torrent https://t.example/announce/{KEY}"),
            )
        })
        .collect();
    torrents.push(failing(
        4,
        format!("Your upload went for a swim, ask staff with key {KEY}"),
    ));
    torrents.push(failing(
        5,
        format!("Passkey {} not valid here", KEY.to_uppercase()),
    ));
    let porla = FakePorla::start(torrents, FakeAuth::Disabled).await;
    let mut exp = start(&["--porla.url", &porla.url()]);
    exp.ready().await;

    let via_curl = tools::curl_text(&[&format!("{}/", exp.url)]);
    let dom = chromium_dom(&format!("{}/", exp.url));
    for (what, page) in [("curl", via_curl), ("Chromium", dom)] {
        assert!(
            !page.to_lowercase().contains(&KEY[..12]),
            "{what}: a passkey is shown: {page}"
        );
        let start = page
            .find("<table class=\"messages\">")
            .unwrap_or_else(|| panic!("{what}: no messages table: {page}"));
        let table = &page[start..start + page[start..].find("</table>").unwrap()];
        let rows: Vec<Vec<String>> = table
            .split("<tr>")
            .skip(2)
            .map(|r| {
                r.split("<td")
                    .skip(1)
                    .map(|c| {
                        let text = dom_text(&format!("<td{c}")).trim().to_owned();
                        // The tracker's own messages carry their age, "(for 2s)": its
                        // value depends on the clock.
                        match text.find(" (for ") {
                            Some(at) => {
                                let end = at + text[at..].find(')').unwrap() + 1;
                                format!("{}{}", &text[..at], &text[end..])
                            }
                            None => text,
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            table.matches("class=\"age\"").count(),
            3,
            "{what}: every message of a tracker's own has its age: {table}"
        );
        let want = [
            [
                "t.example",
                "3",
                "unregistered",
                "Unregistered torrent https://t.example/announce/REDACTED",
            ],
            [
                "t.example",
                "1",
                "access_denied",
                "Passkey REDACTED not valid here",
            ],
            [
                "t.example",
                "1",
                "tracker_failure",
                "Your upload went for a swim, ask staff with key REDACTED (no pattern matched)",
            ],
        ];
        assert_eq!(rows, want, "{what}: {table}");
        let text = dom_text(&page);
        assert!(
            text.contains("--collector.tracker.classes-file"),
            "{what}: no hint: {text}"
        );
    }
}

/// The seedbox of 30 dead single-torrent trackers, as a person sees it in a browser: the host
/// with the most torrents in error on top, the overdue one in sight, and the healthy and
/// single-torrent hosts past a screenful folded, closed, behind "N more hosts" (HTML alone:
/// the page has no script).
#[tokio::test]
async fn landing_page_puts_hosts_in_trouble_first_in_a_browser() {
    use support::seedbox::*;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let porla = FakePorla::start(seedbox(now), FakeAuth::Disabled).await;
    let mut exp = start(&["--porla.url", &porla.url()]);
    exp.ready().await;
    let dom = chromium_dom(&format!("{}/", exp.url));
    let (want_shown, want_folded) = expected_hosts();
    let (shown, fold) = listed_hosts(&dom);
    assert_eq!(shown, want_shown, "hosts in sight: {dom}");
    assert_eq!(shown[0], BIG, "the host with the most errors first");
    let (summary, folded) = fold.unwrap_or_else(|| panic!("no fold in the DOM: {dom}"));
    assert_eq!(folded, want_folded);
    assert_eq!(
        dom_text(&summary),
        format!(
            "{} more hosts (healthy, or a single torrent)",
            want_folded.len()
        )
    );
    // Closed: the browser shows the summary line alone until it is clicked.
    let details = &dom[dom.find("<details").unwrap()..];
    let tag = &details[..details.find('>').unwrap()];
    assert!(!tag.contains("open"), "the fold is open: {tag}");
    assert!(!dom.contains("<script"), "{dom}");
}
