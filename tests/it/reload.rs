//! The user's tracker classes file (`--collector.tracker.classes-file`): it wins over the
//! built-in patterns, a bad one stops the exporter at start, SIGHUP reads it again and what
//! the exporter already knows is classified again at the next poll, without asking Porla for
//! the torrents that are not due; a file that breaks keeps the rules in use.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use porla_exporter::classify::Classes;
use porla_exporter::poller::PollMode;
use porla_exporter::porla::Auth;
use serde_json::json;
use support::binary::{self, Binary};
use support::fake_porla::{
    list_item, slot, tracker, unused_slot, FakeAuth, FakePorla, FakeTorrent,
};
use support::*;

const T0: i64 = 1_795_683_205;
/// libtorrent's text when the tracker answered with a failure reason.
const FAILURE: &str = "tracker sent a failure message";
/// A wording no built-in pattern knows: `tracker_failure` until the user's file names it.
const SWIM: &str = "Your upload went for a swim";
const PASSKEY: &str = "0123456789abcdef0123456789abcdef";

/// Torrent `i` on `host`: failing with the tracker's `message` when there is one, else
/// working; its next announce at `next`.
fn torrent(i: u32, host: &str, message: Option<&str>, next: i64) -> FakeTorrent {
    let v1 = format!("{i:040x}");
    let state = match message {
        Some(m) => {
            let mut s = slot(2, Some(FAILURE), false, -1, -1, next);
            s["message"] = json!(m);
            s
        }
        None => slot(0, None, true, 5, 1, next),
    };
    FakeTorrent {
        item: list_item(Some(&v1), None, &format!("torrent {i}")),
        trackers: json!({"trackers": [tracker(
            &format!("https://{host}/announce/{PASSKEY}"),
            0,
            state,
            unused_slot()
        )]}),
    }
}

/// The classes of the failing per-torrent series, sorted.
fn torrent_classes(body: &str) -> Vec<String> {
    let mut v: Vec<String> = samples_of(body, "porla_tracker_last_error")
        .iter()
        .filter_map(|l| l.split("class=\"").nth(1))
        .filter_map(|r| r.split('"').next())
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

fn host_errors(body: &str, host: &str, class: &str) -> Option<f64> {
    sample(
        body,
        &format!("porla_tracker_host_errors{{tracker_host=\"{host}\",class=\"{class}\"}}"),
    )
}

/// In scheduled mode, a reload reclassifies the known errors at the next poll from the texts
/// kept when the answers were folded: Porla is not asked for any torrent that is not due.
#[tokio::test]
async fn a_reload_reclassifies_at_the_next_poll_without_asking_porla() {
    let far = T0 + 1000;
    let torrents = vec![
        torrent(1, "t.example", Some(SWIM), far),
        torrent(2, "t.example", Some(SWIM), far),
        torrent(3, "t.example", Some("Unregistered torrent"), far),
        torrent(4, "t.example", None, far),
    ];
    let porla = FakePorla::start(torrents, FakeAuth::Disabled).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("classes");
    std::fs::write(
        &file,
        "# nothing of mine matches yet\nunregistered ^nothing$\n",
    )
    .unwrap();
    let classes = Arc::new(Classes::load(&file).unwrap());
    let mut poll = poll_config();
    poll.mode = PollMode::Scheduled;
    poll.page_size = 100;
    poll.full_sweep_interval = Duration::from_secs(1800);
    let clock = TestClock::at(T0);
    let mut exp = exporter_classified(
        client_config(&porla.url(), Auth::None),
        poll,
        clock.now_fn(),
        Some(classes.clone()),
    )
    .await;

    let body = exp.poll_and_scrape().await;
    assert_eq!(porla.count_calls("torrents.trackers.list"), 4);
    assert_eq!(
        torrent_classes(&body),
        ["tracker_failure", "tracker_failure", "unregistered"]
    );
    assert_eq!(
        host_errors(&body, "t.example", "tracker_failure"),
        Some(2.0)
    );

    // The user teaches the exporter the wording and reloads.
    std::fs::write(&file, "access_denied went for a swim\n").unwrap();
    porla_exporter::app::reload(&[(classes.clone(), vec![])]);
    porla.clear_calls();
    clock.set(T0 + 10);
    let body = exp.poll_and_scrape().await;
    assert_eq!(
        porla.count_calls("torrents.trackers.list"),
        0,
        "no torrent was due: none was asked for again"
    );
    assert_eq!(porla.count_calls("torrents.list"), 1);
    assert_eq!(
        torrent_classes(&body),
        ["access_denied", "access_denied", "unregistered"]
    );
    assert_eq!(host_errors(&body, "t.example", "access_denied"), Some(2.0));
    assert_eq!(
        host_errors(&body, "t.example", "tracker_failure"),
        Some(0.0)
    );
    assert_eq!(host_errors(&body, "t.example", "unregistered"), Some(1.0));

    // The landing page says it with the words, never the passkey.
    let page = get(&format!("{}/", exp.url), None).await.body;
    assert!(
        page.contains("<td>2</td><td class=\"class\">access_denied <small>(your rule)</small></td><td class=\"message\">Your upload went for a swim <small class=\"age\">(for "),
        "{page}"
    );
    assert!(!page.contains(PASSKEY));

    // A broken file keeps the rules in use.
    std::fs::write(&file, "access_denied (unclosed\n").unwrap();
    porla_exporter::app::reload(&[(classes.clone(), vec![])]);
    clock.set(T0 + 20);
    let body = exp.poll_and_scrape().await;
    assert_eq!(
        torrent_classes(&body),
        ["access_denied", "access_denied", "unregistered"]
    );
}

/// A classes file for the binary, in `dir`.
fn classes_file(dir: &std::path::Path, body: &str) -> String {
    let f = dir.join("classes");
    std::fs::write(&f, body).unwrap();
    f.to_str().unwrap().to_owned()
}

#[test]
fn a_bad_classes_file_stops_the_exporter_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for (body, line, problem) in [
        ("# mine\n\nunregistered (unclosed\n", 3, "bad pattern"),
        (
            "access_denied ok\nderegistered gone\n",
            2,
            "unknown class \"deregistered\"",
        ),
        (
            "timeout slow\n",
            1,
            "class \"timeout\" comes from libtorrent",
        ),
    ] {
        let f = classes_file(dir.path(), body);
        let out = binary::run_to_end(
            &[
                "--porla.url",
                "http://127.0.0.1:9",
                "--collector.tracker.classes-file",
                &f,
            ],
            &[],
        );
        assert_eq!(out.code, Some(2), "{body:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
        let want =
            format!("porla-exporter: --collector.tracker.classes-file: {f}:{line}: {problem}");
        assert!(
            out.stderr.starts_with(&want),
            "{}\nwanted {want}",
            out.stderr
        );
    }
    // The same through the environment variable.
    let f = classes_file(dir.path(), "unregistered (\n");
    let out = binary::run_to_end(
        &["--porla.url", "http://127.0.0.1:9"],
        &[("PORLA_EXPORTER_COLLECTOR_TRACKER_CLASSES_FILE", &f)],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{f}:1: bad pattern")),
        "{}",
        out.stderr
    );
}

/// The real binary: the file wins over the built-ins; SIGHUP reads it again and the next poll
/// reclassifies; a broken file on SIGHUP keeps the rules, drops the reload gauge to 0 and says
/// why in the log; the fixed file brings it back to 1.
#[tokio::test]
async fn the_binary_reloads_its_classes_file_on_sighup() {
    let far = porla_exporter::poller::unix_now() as i64 + 3600;
    let porla = FakePorla::start(
        vec![
            torrent(1, "t.example", Some(SWIM), far),
            torrent(2, "t.example", Some("Unregistered torrent"), far),
        ],
        FakeAuth::Disabled,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    // "Unregistered torrent" is `unregistered` by the built-ins; the file says otherwise.
    let f = classes_file(dir.path(), "tracker_unavailable ^unregistered torrent$\n");
    let mut exp = Binary::start(
        &[
            "--porla.url",
            &porla.url(),
            "--poll.interval",
            "1s",
            "--collector.tracker.classes-file",
            &f,
        ],
        &[],
    );
    let body = exp
        .wait_for("/metrics", |b| torrent_classes(b).len() == 2)
        .await;
    assert_eq!(
        torrent_classes(&body),
        ["tracker_failure", "tracker_unavailable"]
    );
    assert_eq!(
        sample(&body, "porla_exporter_classes_reload_success"),
        Some(1.0)
    );
    let first = sample(
        &body,
        "porla_exporter_classes_reload_last_success_timestamp_seconds",
    )
    .expect("the time of the load at start");
    let tracker_calls = |b: &str| {
        sample(
            b,
            "porla_exporter_rpc_requests_total{method=\"torrents.trackers.list\",outcome=\"ok\"}",
        )
    };

    // Rewritten and reloaded: the next poll classifies with the new rules.
    std::fs::write(
        &f,
        "access_denied went for a swim\nunregistered ^unregistered torrent$\n",
    )
    .unwrap();
    exp.hangup();
    let body = exp
        .wait_for("/metrics", |b| {
            torrent_classes(b) == ["access_denied", "unregistered"]
        })
        .await;
    assert_eq!(
        tracker_calls(&body),
        Some(2.0),
        "no torrent was asked for again"
    );
    let second = sample(
        &body,
        "porla_exporter_classes_reload_last_success_timestamp_seconds",
    )
    .unwrap();
    assert!(second >= first);
    let logs = exp.logs();
    assert!(
        logs.lines()
            .any(|l| l.contains("tracker classes file reloaded") && l.contains("rules=2")),
        "{logs}"
    );

    // Broken: the rules stay, the gauge says so, the log says why (file and line).
    std::fs::write(&f, "# broken\naccess_denied (unclosed\n").unwrap();
    exp.hangup();
    let body = exp
        .wait_for("/metrics", |b| {
            sample(b, "porla_exporter_classes_reload_success") == Some(0.0)
        })
        .await;
    assert_eq!(
        sample(
            &body,
            "porla_exporter_classes_reload_last_success_timestamp_seconds"
        ),
        Some(second)
    );
    let logs = exp.logs();
    let warn = logs
        .lines()
        .find(|l| l.contains("tracker classes file not reloaded"))
        .unwrap_or_else(|| panic!("no warn line:\n{logs}"));
    assert!(
        warn.contains("level=warn") && warn.contains(&format!("{f}:2: bad pattern")),
        "{warn}"
    );
    // A poll later the classes are the same.
    let polls = sample(&body, "porla_exporter_polls_total{result=\"success\"}").unwrap();
    let body = exp
        .wait_for("/metrics", |b| {
            sample(b, "porla_exporter_polls_total{result=\"success\"}").is_some_and(|p| p > polls)
        })
        .await;
    assert_eq!(torrent_classes(&body), ["access_denied", "unregistered"]);

    // Fixed: back to 1.
    std::fs::write(&f, "access_denied went for a swim\n").unwrap();
    exp.hangup();
    let body = exp
        .wait_for("/metrics", |b| {
            sample(b, "porla_exporter_classes_reload_success") == Some(1.0)
                && torrent_classes(b) == ["access_denied", "unregistered"]
        })
        .await;
    assert!(!body.contains(PASSKEY));
    let (code, _) = exp.terminate();
    assert_eq!(code, Some(0));
}

/// In multi-instance mode each reload line names the instances that use the file
/// (`target_name`), comma-separated when several share it: which Porla's classification
/// changed, or kept its old rules, is read from the line itself.
#[tokio::test]
async fn reload_lines_name_the_instances_in_multi_instance_mode() {
    let dir = tempfile::tempdir().unwrap();
    let shared = classes_file(dir.path(), "access_denied went for a swim\n");
    let own = dir.path().join("own-classes");
    std::fs::write(&own, "unregistered ^unregistered torrent$\n").unwrap();
    let instances = dir.path().join("instances.toml");
    std::fs::write(
        &instances,
        format!(
            "[instances.seedbox1]\nurl = \"http://127.0.0.1:9\"\nclasses_file = {shared:?}\n\
             [instances.seedbox2]\nurl = \"http://127.0.0.1:9\"\nclasses_file = {shared:?}\n\
             [instances.seedbox3]\nurl = \"http://127.0.0.1:9\"\nclasses_file = {own:?}\n"
        ),
    )
    .unwrap();
    let mut exp = Binary::start(&["--config.file", instances.to_str().unwrap()], &[]);
    // Breaks the shared file: its line is a warning naming both instances.
    std::fs::write(&shared, "access_denied (unclosed\n").unwrap();
    exp.hangup();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let lines = loop {
        let logs = exp.logs();
        let lines: Vec<String> = logs
            .lines()
            .filter(|l| l.contains("tracker classes file"))
            .filter(|l| l.contains("reloaded"))
            .map(str::to_owned)
            .collect();
        if lines.len() >= 2 {
            break lines;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no reload lines:\n{logs}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(lines.len(), 2, "one line per file: {lines:#?}");
    let shared_line = lines
        .iter()
        .find(|l| l.contains(&shared))
        .expect("a line for the shared file");
    assert!(
        shared_line.contains("level=warn") && shared_line.contains("target_name=seedbox1,seedbox2"),
        "{shared_line}"
    );
    let own_line = lines
        .iter()
        .find(|l| l.contains("own-classes"))
        .expect("a line for seedbox3's file");
    assert!(
        own_line.contains("level=info") && own_line.contains("target_name=seedbox3"),
        "{own_line}"
    );
}
