//! `porla-exporter classify`: tracker messages, one a line, with their class and the rule that
//! decided. It agrees with what `/metrics` exports for the same messages, and reads and checks
//! `--collector.tracker.classes-file` as the exporter does at start.

use crate::support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;
use support::binary::{self, Binary, BIN};
use support::fake_porla::{
    list_item, slot, tracker, unused_slot, FakeAuth, FakePorla, FakeTorrent,
};
use support::*;

/// libtorrent's text when the tracker answered with a failure reason.
const FAILURE: &str = "tracker sent a failure message";

/// Messages of every kind: the user's rule decides the first, built-in families the next
/// ones, no pattern the last.
const MESSAGES: &[&str] = &[
    "Your upload went for a swim",
    "Unregistered torrent",
    "Torrent doesnt exsist",
    "Your client version is too old, please update",
    "Invalid PID",
    "Please wait 30 seconds between announces",
    "Database error (select)",
    "Bad connection ID",
    "Торрент заморожен",
    "种子已被删除",
    "Nothing to see here",
];

const RULES: &str = "# mine\naccess_denied went for a swim\n";

fn info_hash(i: usize) -> String {
    format!("{:040x}", i + 1)
}

/// Torrent `i`, failing at one tracker with message `MESSAGES[i]`.
fn torrent(i: usize, next: i64) -> FakeTorrent {
    let mut s = slot(3, Some(FAILURE), false, -1, -1, next);
    s["message"] = json!(MESSAGES[i]);
    FakeTorrent {
        item: list_item(Some(&info_hash(i)), None, &format!("torrent {i}")),
        trackers: json!({"trackers": [tracker(
            "https://t.example/announce/0123456789abcdef0123456789abcdef",
            0,
            s,
            unused_slot()
        )]}),
    }
}

/// `class` per info hash, from the per-torrent error series.
fn classes_in_metrics(body: &str) -> BTreeMap<String, String> {
    samples_of(body, "porla_tracker_last_error")
        .iter()
        .filter_map(|l| {
            let label = |k: &str| {
                l.split(&format!("{k}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_owned)
            };
            Some((label("info_hash")?, label("class")?))
        })
        .collect()
}

/// `class<TAB>rule<TAB>message` lines.
fn parse(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let class = f.next().unwrap().to_owned();
            let rule = f.next().expect("a rule").to_owned();
            let message = f.next().expect("the message").to_owned();
            (class, rule, message)
        })
        .collect()
}

fn write(dir: &std::path::Path, name: &str, body: &str) -> String {
    let f = dir.join(name);
    std::fs::write(&f, body).unwrap();
    f.to_str().unwrap().to_owned()
}

#[tokio::test]
async fn classify_agrees_with_what_metrics_exports() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "classes", RULES);
    let messages = write(dir.path(), "messages", &(MESSAGES.join("\n") + "\n"));

    let out = binary::run_to_end(
        &[
            "classify",
            "--collector.tracker.classes-file",
            &rules,
            &messages,
        ],
        &[],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let printed = parse(&out.stdout);
    assert_eq!(
        printed.iter().map(|p| p.2.as_str()).collect::<Vec<_>>(),
        MESSAGES,
        "one line per message, in order"
    );
    // Each line names what decided: the user's rule, a built-in family, or no pattern.
    assert_eq!(printed[0].1, format!("{rules}:2"));
    assert!(
        printed[1].1.starts_with("built-in: unregistered: "),
        "{printed:?}"
    );
    assert_eq!(
        printed.last().unwrap().1,
        "no pattern matched the tracker's message"
    );

    let far = porla_exporter::poller::unix_now() as i64 + 3600;
    let porla = FakePorla::start(
        (0..MESSAGES.len()).map(|i| torrent(i, far)).collect(),
        FakeAuth::Disabled,
    )
    .await;
    let mut exp = Binary::start(
        &[
            "--porla.url",
            &porla.url(),
            "--collector.tracker.classes-file",
            &rules,
        ],
        &[],
    );
    let body = exp
        .wait_for("/metrics", |b| {
            classes_in_metrics(b).len() == MESSAGES.len()
        })
        .await;
    let exported = classes_in_metrics(&body);
    for (i, (class, rule, message)) in printed.iter().enumerate() {
        assert_eq!(
            exported.get(&info_hash(i)),
            Some(class),
            "{message:?}: classify says {class} ({rule})"
        );
    }
    // Not one class for all: the messages were chosen to spread over the classes.
    let distinct: std::collections::BTreeSet<&String> = exported.values().collect();
    assert!(distinct.len() >= 6, "{exported:?}");
}

#[test]
fn classify_reads_stdin_and_skips_blank_lines() {
    let mut child = Command::new(BIN)
        .arg("classify")
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Torrent not found\r\n\n   \nRate limited, slow down")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = parse(&String::from_utf8(out.stdout).unwrap());
    let classes: Vec<&str> = printed.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(classes, ["unregistered", "rate_limited"], "{printed:?}");
    assert_eq!(printed[0].2, "Torrent not found", "no carriage return");
}

/// A bad classes file is refused by `classify` with the very line and exit code the exporter
/// gives at start; an unreadable message file is one line and exit code 1.
#[test]
fn classify_checks_the_classes_file_as_the_exporter_does() {
    let dir = tempfile::tempdir().unwrap();
    let messages = write(dir.path(), "messages", "Torrent not found\n");
    for body in [
        "# mine\n\nunregistered (unclosed\n",
        "access_denied ok\nderegistered gone\n",
        "timeout slow\n",
    ] {
        let f = write(dir.path(), "classes", body);
        let start = binary::run_to_end(
            &[
                "--porla.url",
                "http://127.0.0.1:9",
                "--collector.tracker.classes-file",
                &f,
            ],
            &[],
        );
        let classify = binary::run_to_end(
            &[
                "classify",
                "--collector.tracker.classes-file",
                &f,
                &messages,
            ],
            &[],
        );
        assert_eq!(start.code, Some(2), "{}", start.stderr);
        assert_eq!(classify.code, start.code, "{body:?}");
        assert_eq!(classify.stderr, start.stderr, "{body:?}");
        assert_eq!(classify.stderr.lines().count(), 1, "{}", classify.stderr);
        assert!(classify.stdout.is_empty(), "{}", classify.stdout);
    }
    // The environment variable, as at start.
    let f = write(dir.path(), "classes", "unregistered went for a swim\n");
    let swim = write(dir.path(), "swim", "Your upload went for a swim\n");
    let out = binary::run_to_end(
        &["classify", &swim],
        &[("PORLA_EXPORTER_COLLECTOR_TRACKER_CLASSES_FILE", &f)],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("unregistered\t{f}:1\tYour upload went for a swim\n")
    );

    let missing = dir.path().join("nope").to_str().unwrap().to_owned();
    let out = binary::run_to_end(&["classify", &missing], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("porla-exporter: classify: {missing}: ")),
        "{}",
        out.stderr
    );
}
