//! The shipped Alertmanager configuration (deploy/alertmanager/alertmanager.yml) through the
//! real engines: Debian's `prometheus` evaluates the mixin's alerts (rendered with short `for`
//! and keep-firing values through `_config`) for an exporter binary polling a fake Porla, and
//! sends them to Debian's `prometheus-alertmanager` running the shipped file, whose only
//! changes are shorter group_wait/group_interval/repeat_interval and the receiver's URL (a
//! webhook in this test that records every notification).
//!
//! Facts relied on, from the engines' sources:
//! - Prometheus evaluates a group's rules in order and sends each rule's alerts right after
//!   evaluating it (prometheus/prometheus, rules/manager.go, Group.Eval); `keep_firing_for`
//!   keeps an alert firing after its expression stopped returning it (rules/alerting.go).
//! - Alertmanager's inhibition compares the `equal` labels by value, a missing label being the
//!   empty string (prometheus/alertmanager, inhibit/inhibit.go, hasEqual); a group that was
//!   never notified as firing gets no "resolved" notification (notify/notify.go,
//!   DedupStage.needsUpdate).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::engines::{self, address, listening, render_mixin, webhook, Notifications, ROOT};
use crate::support::fake_porla::{
    list_item, slot, tracker, FakeAuth, FakePorla, FakeTorrent, Faults,
};
use crate::support::process::Process;
use crate::support::tools;

const SHIPPED: &str = "deploy/alertmanager/alertmanager.yml";

#[test]
fn shipped_configuration_passes_amtool_check_config() {
    let out = std::process::Command::new(tools::amtool())
        .args(["check-config", &format!("{ROOT}/{SHIPPED}")])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "amtool check-config: {text}");
    assert!(text.contains("2 inhibit rules"), "{text}");
}

/// The shipped file with only the timings shortened and the receiver pointed at `url`.
fn test_config(url: &str) -> String {
    let mut doc = crate::monitoring::yaml(SHIPPED);
    fn shorten(route: &mut Value) {
        let Some(r) = route.as_object_mut() else {
            return;
        };
        for (key, value) in [
            ("group_wait", "2s"),
            ("group_interval", "2s"),
            ("repeat_interval", "1h"),
        ] {
            if r.contains_key(key) {
                r.insert(key.to_owned(), json!(value));
            }
        }
        for child in r
            .get_mut("routes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            shorten(child);
        }
    }
    shorten(&mut doc["route"]);
    let mut hooks = 0;
    for receiver in doc["receivers"].as_array_mut().unwrap() {
        for hook in receiver["webhook_configs"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            hook["url"] = json!(url);
            hooks += 1;
        }
    }
    assert_eq!(hooks, 1, "the shipped file has one webhook receiver");
    serde_norway::to_string(&doc).unwrap()
}

const DOWN_HOST: &str = "tracker.down.example";
const UP_HOST: &str = "tracker.up.example";
/// Torrents whose trackers are all on DOWN_HOST (one or two trackers).
const ON_DOWN_HOST: usize = 60;
/// Torrents with a tracker on each host, and torrents on UP_HOST only.
const ON_BOTH: usize = 10;
const ON_UP_HOST: usize = 10;

/// The torrents, with DOWN_HOST's trackers failing or not.
fn torrents(down: bool, now: i64) -> Vec<FakeTorrent> {
    let state = |failing: bool| {
        if failing {
            slot(4, Some("Connection timed out"), false, -1, -1, now + 900)
        } else {
            slot(0, None, true, 12, 3, now + 900)
        }
    };
    let entry = |host: &str, tier: i64, i: usize| {
        let failing = down && host == DOWN_HOST;
        tracker(
            &format!("https://{host}/announce/{i:04}-{tier}"),
            tier,
            state(failing),
            crate::support::fake_porla::unused_slot(),
        )
    };
    (0..ON_DOWN_HOST + ON_BOTH + ON_UP_HOST)
        .map(|i| {
            let hash = format!("{:040x}", 0xabc000 + i);
            let item = list_item(Some(&hash), None, &format!("torrent {i}"));
            let trackers: Vec<Value> = if i < ON_DOWN_HOST {
                // Every third torrent has a second tracker on the same host (another URL).
                (0..1 + i64::from(i % 3 == 0))
                    .map(|t| entry(DOWN_HOST, t, i))
                    .collect()
            } else if i < ON_DOWN_HOST + ON_BOTH {
                vec![entry(DOWN_HOST, 0, i), entry(UP_HOST, 1, i)]
            } else {
                vec![entry(UP_HOST, 0, i)]
            };
            FakeTorrent {
                item,
                trackers: json!({ "trackers": trackers }),
            }
        })
        .collect()
}

/// (alertname, status) -> notifications, and the alerts' names per notification.
fn counts(notes: &[Value]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for n in notes {
        let name = n["groupLabels"]["alertname"]
            .as_str()
            .unwrap_or("?")
            .to_owned();
        let status = n["status"].as_str().unwrap_or("?").to_owned();
        *out.entry((name, status)).or_default() += 1;
    }
    out
}

/// Fails at once if a notification other than `allowed` (alertname, status) arrived.
fn assert_only(notes: &Notifications, allowed: &[(&str, &str)], phase: &str) {
    for n in notes.all() {
        let name = n["groupLabels"]["alertname"].as_str().unwrap_or("?");
        let status = n["status"].as_str().unwrap_or("?");
        assert!(
            allowed.contains(&(name, status)),
            "{phase}: unexpected notification {name} {status}: {n}"
        );
    }
}

/// Waits until a notification (alertname, status) has arrived, failing at once on any other.
async fn wait_notification(
    notes: &Notifications,
    want: (&str, &str),
    allowed: &[(&str, &str)],
    within: Duration,
    phase: &str,
) {
    let deadline = Instant::now() + within;
    loop {
        assert_only(notes, allowed, phase);
        if counts(&notes.all()).contains_key(&(want.0.to_owned(), want.1.to_owned())) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{phase}: no {} {} notification within {within:?}; got {:?}",
            want.0,
            want.1,
            counts(&notes.all())
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Debian's Alertmanager running [`test_config`] (checked by amtool first) with its storage in
/// `dir`, on a loopback port of its own: the process and its `host:port`.
fn start_alertmanager(dir: &Path, webhook: &str) -> (Process, String) {
    let config = dir.join("alertmanager.yml");
    std::fs::write(&config, test_config(webhook)).unwrap();
    let check = std::process::Command::new(tools::amtool())
        .args(["check-config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    listening(
        "alertmanager",
        &tools::alertmanager(),
        &[
            format!("--config.file={}", config.display()),
            format!("--storage.path={}", dir.join("am-data").display()),
            "--web.listen-address=127.0.0.1:0".to_owned(),
            "--cluster.listen-address=".to_owned(),
            // info: the `Listening on` line names the bound port.
            "--log.level=info".to_owned(),
        ],
        dir,
    )
}

/// Alertmanager's view of the alerts named `name`: (count, how many are inhibited).
async fn am_alerts(am: &str, name: &str) -> (usize, usize) {
    let r: Value = reqwest::Client::new()
        .get(format!("{am}/api/v2/alerts"))
        .query(&[("filter", format!("alertname=\"{name}\""))])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let alerts = r.as_array().cloned().unwrap_or_default();
    let inhibited = alerts
        .iter()
        .filter(|a| {
            a["status"]["inhibitedBy"]
                .as_array()
                .is_some_and(|v| !v.is_empty())
        })
        .count();
    (alerts.len(), inhibited)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_outage_notifies_once_per_group_and_a_porla_blip_notifies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;

    // The mixin with short durations; the bound (20s) is far longer than the blip below and
    // PorlaDown's `for` (5m, the default) far longer than the whole test.
    let rules = render_mixin(
        "prometheusAlerts",
        "trackerAlertsKeepFiringFor: '20s', inhibitorKeepFiringMargin: '5s', \
         alerts+: { PorlaTrackerHostFailing+: { 'for': '4s' }, \
         PorlaTorrentAllTrackersFailing+: { 'for': '4s' }, PorlaTrackerFailLimitReached+: { 'for': '4s' } }",
    );
    assert!(rules.contains("keep_firing_for: '20s'"), "{rules}");
    std::fs::write(dir.path().join("alerts.yml"), rules).unwrap();

    let (hook, notes) = webhook().await;
    let (mut am, am_address) = start_alertmanager(dir.path(), &hook);
    let am_url = format!("http://{am_address}");

    let porla = FakePorla::start(torrents(false, now), FakeAuth::Disabled).await;
    let mut exporter = engines::exporter(&porla);
    exporter.ready().await;
    let target = address(&exporter.url);
    let (mut prom_proc, prom) = engines::prometheus(
        "prometheus",
        &format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             rule_files:\n  - {alerts}\n\
             alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['{am_address}']\n\
             scrape_configs:\n  - job_name: porla-exporter\n    static_configs:\n      - targets: ['{target}']\n",
            alerts = dir.path().join("alerts.yml").display()
        ),
        dir.path(),
        &[],
    );
    let minute = Duration::from_secs(60);
    prom.wait_for(
        "porla_tracker_host_torrents{status=\"working\"} > 0",
        minute,
        "the first scrapes",
    )
    .await;
    am.assert_running();
    prom_proc.assert_running();

    // ---- 1. the tracker host goes down: one notification for the host's group ----
    porla.set_torrents(torrents(true, now));
    let host_firing = [("PorlaTrackerHostFailing", "firing")];
    wait_notification(&notes, host_firing[0], &host_firing, minute, "host outage").await;
    // Prometheus fires a per-torrent alert for every torrent whose trackers are all on the host,
    // each naming that host; Alertmanager holds them all back (inhibited by the host alert).
    prom.wait_for(
        &format!(
            "count(ALERTS{{alertname=\"PorlaTorrentAllTrackersFailing\", alertstate=\"firing\", tracker_host=\"{DOWN_HOST}\"}}) == {ON_DOWN_HOST}"
        ),
        minute,
        "a firing per-torrent alert for each torrent on the host",
    )
    .await;
    let deadline = Instant::now() + minute;
    loop {
        let (n, inhibited) = am_alerts(&am_url, "PorlaTorrentAllTrackersFailing").await;
        if n == ON_DOWN_HOST && inhibited == ON_DOWN_HOST {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Alertmanager has {n} per-torrent alerts, {inhibited} inhibited"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Torrents with a working tracker on the other host fire nothing.
    assert_eq!(
        prom.scalar("count(ALERTS{alertname=\"PorlaTorrentAllTrackersFailing\"})")
            .await,
        Some(ON_DOWN_HOST as f64)
    );
    let active_at = prom
        .scalar("ALERTS_FOR_STATE{alertname=\"PorlaTrackerHostFailing\"}")
        .await
        .expect("the host alert's activeAt");

    // ---- 2. Porla down for less than the bound: nothing resolves, nothing re-fires ----
    porla.set_faults(Faults {
        http_status: Some(503),
        ..Faults::default()
    });
    // Down long enough for its series to be gone for several evaluations, the alert still firing.
    prom.wait_for(
        "count_over_time((porla_up == 0)[30s:1s]) >= 6 and on () absent(porla_tracker_host_torrents) \
         and on () ALERTS{alertname=\"PorlaTrackerHostFailing\", alertstate=\"firing\"}",
        minute,
        "Porla down for 6s, its tracker series gone, the host alert still firing",
    )
    .await;
    assert_only(&notes, &host_firing, "Porla down");
    porla.set_faults(Faults::default());
    prom.wait_for(
        "porla_up == 1 and on () porla_tracker_host_torrents{status=\"error\"} > 0",
        minute,
        "Porla back",
    )
    .await;
    // The same alert, never reset: its activeAt is the one from before the blip. Watch the time
    // a re-fire would take (`for` 4s, group_wait 2s) plus a margin: no notification at all.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        assert_only(&notes, &host_firing, "after Porla came back");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        prom.scalar("ALERTS_FOR_STATE{alertname=\"PorlaTrackerHostFailing\"}")
            .await,
        Some(active_at),
        "the host alert was reset by the blip"
    );
    assert_eq!(counts(&notes.all()).values().sum::<usize>(), 1);

    // ---- 3. the host recovers: one resolved notification, after the bound ----
    porla.set_torrents(torrents(false, now));
    let recovered = Instant::now();
    let allowed = [
        ("PorlaTrackerHostFailing", "firing"),
        ("PorlaTrackerHostFailing", "resolved"),
    ];
    wait_notification(
        &notes,
        ("PorlaTrackerHostFailing", "resolved"),
        &allowed,
        Duration::from_secs(90),
        "recovery",
    )
    .await;
    assert!(
        recovered.elapsed() >= Duration::from_secs(18),
        "resolved {:?} after recovery, before the 20s bound",
        recovered.elapsed()
    );
    prom.wait_for(
        "absent(ALERTS{alertname=~\"PorlaTorrentAllTrackersFailing|PorlaTrackerHostFailing\"})",
        minute,
        "every alert resolved in Prometheus",
    )
    .await;
    // The per-torrent groups were never notified as firing, so they get no "resolved" either:
    // watch a few group intervals.
    let deadline = Instant::now() + Duration::from_secs(8);
    while Instant::now() < deadline {
        assert_only(&notes, &allowed, "after recovery");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let all = notes.all();
    let c = counts(&all);
    println!("notifications received by the webhook: {c:?}");
    assert_eq!(
        c,
        BTreeMap::from([
            (("PorlaTrackerHostFailing".into(), "firing".into()), 1),
            (("PorlaTrackerHostFailing".into(), "resolved".into()), 1),
        ])
    );
    for n in &all {
        assert_eq!(n["groupLabels"]["tracker_host"], DOWN_HOST, "{n}");
        for a in n["alerts"].as_array().unwrap() {
            let ann = &a["annotations"];
            assert!(
                ann["runbook_url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("docs/alerts.md#porlatrackerhostfailing")),
                "no runbook link: {a}"
            );
            assert!(
                ann["dashboard"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("/d/porla-tracker-drilldown/")
                        && d.contains(&format!("var-tracker_host={DOWN_HOST}"))),
                "no dashboard link: {a}"
            );
        }
    }
    am.assert_running();
    prom_proc.assert_running();
}

/// Posts `alerts` (label sets, firing now) to Alertmanager's API.
async fn post_alerts(am: &str, alerts: &[Value]) {
    let body: Vec<Value> = alerts
        .iter()
        .map(|labels| json!({ "labels": labels, "annotations": {} }))
        .collect();
    let r = reqwest::Client::new()
        .post(format!("{am}/api/v2/alerts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
}

/// The inhibit rules of the shipped file, alert by alert, in the real Alertmanager: which
/// alerts it holds back and which it lets through. Alert names and error classes that do not
/// exist yet (a per-torrent access-denied alert) are handled like today's. A host that refuses
/// the account (PorlaTrackerAccessDenied) explains the per-torrent alerts on it, as a failing
/// host does; unregistered torrents (PorlaTorrentsUnregistered) explain only themselves, which
/// the per-torrent rules already leave out (rules/tests/alerts.test.yml), so they hold nothing
/// back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inhibition_holds_back_exactly_the_explained_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let (hook, _notes) = webhook().await;
    let (mut am, am_address) = start_alertmanager(dir.path(), &hook);
    let am_url = format!("http://{am_address}");
    let job = "porla-exporter";
    let torrent = |id: &str, instance: &str, name: &str, host: Option<&str>| {
        let mut l = json!({
            "alertname": name, "severity": "warning", "job": job, "instance": instance,
            "info_hash": format!("{id:0>40}"), "name": format!("torrent {id}"),
        });
        if let Some(h) = host {
            l["tracker_host"] = json!(h);
        }
        l
    };
    let host_alert = |instance: &str, name: &str, host: &str| json!({"alertname": name, "severity": "warning", "job": job, "instance": instance, "tracker_host": host});
    let with_class = |mut l: Value, class: &str| {
        l["class"] = json!(class);
        l
    };
    // seedbox1: PorlaTrackerHostFailing for tracker.a, PorlaTrackerAccessDenied for tracker.r,
    // PorlaTorrentsUnregistered for tracker.u; seedbox2: PorlaDown.
    let sources = [
        host_alert("seedbox1", "PorlaTrackerHostFailing", "tracker.a"),
        with_class(
            host_alert("seedbox1", "PorlaTrackerAccessDenied", "tracker.r"),
            "access_denied",
        ),
        with_class(
            host_alert("seedbox1", "PorlaTorrentsUnregistered", "tracker.u"),
            "unregistered",
        ),
        json!({"alertname": "PorlaDown", "severity": "critical", "job": job, "instance": "seedbox2"}),
    ];
    // (alert, held back?)
    let cases: Vec<(Value, bool)> = vec![
        // Per-torrent alerts on the failing host of the same instance.
        (
            torrent(
                "1",
                "seedbox1",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.a"),
            ),
            true,
        ),
        (
            torrent(
                "2",
                "seedbox1",
                "PorlaTrackerFailLimitReached",
                Some("tracker.a"),
            ),
            true,
        ),
        // A future per-torrent alert with a future error class: the same.
        (
            {
                let mut l = torrent(
                    "3",
                    "seedbox1",
                    "PorlaTorrentAccessDenied",
                    Some("tracker.a"),
                );
                l["class"] = json!("access_denied");
                l
            },
            true,
        ),
        // A torrent whose trackers are on several hosts (no tracker_host): not explained.
        (
            torrent("4", "seedbox1", "PorlaTorrentAllTrackersFailing", None),
            false,
        ),
        // Another host, or the same host on another instance: not explained.
        (
            torrent(
                "5",
                "seedbox1",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.b"),
            ),
            false,
        ),
        (
            torrent(
                "6",
                "seedbox3",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.a"),
            ),
            false,
        ),
        // Host-level alerts are not held back by a host alert.
        (
            {
                let mut l = host_alert("seedbox1", "PorlaTorrentsUnregistered", "tracker.a");
                l["class"] = json!("unregistered");
                l
            },
            false,
        ),
        // The host refusing the account: the per-torrent alerts on it, of that instance.
        (
            torrent(
                "8",
                "seedbox1",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.r"),
            ),
            true,
        ),
        (
            torrent(
                "9",
                "seedbox1",
                "PorlaTrackerFailLimitReached",
                Some("tracker.r"),
            ),
            true,
        ),
        (
            torrent(
                "10",
                "seedbox3",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.r"),
            ),
            false,
        ),
        // ... not the host's other host-level alerts (another cause).
        (
            host_alert("seedbox1", "PorlaTrackerHostFailing", "tracker.r"),
            false,
        ),
        (
            host_alert("seedbox1", "PorlaAnnouncesOverdue", "tracker.r"),
            false,
        ),
        // Unregistered torrents on a host explain no other torrent there.
        (
            torrent(
                "11",
                "seedbox1",
                "PorlaTorrentAllTrackersFailing",
                Some("tracker.u"),
            ),
            false,
        ),
        (
            torrent(
                "12",
                "seedbox1",
                "PorlaTrackerFailLimitReached",
                Some("tracker.u"),
            ),
            false,
        ),
        // Porla down on seedbox2: all its tracker alerts, whatever their level or class.
        (
            host_alert("seedbox2", "PorlaTrackerHostFailing", "tracker.a"),
            true,
        ),
        (
            host_alert("seedbox2", "PorlaAnnouncesOverdue", "tracker.c"),
            true,
        ),
        (
            torrent("7", "seedbox2", "PorlaTorrentAllTrackersFailing", None),
            true,
        ),
        (
            {
                let mut l = host_alert("seedbox2", "PorlaTorrentsRateLimited", "tracker.c");
                l["class"] = json!("rate_limited");
                l
            },
            true,
        ),
        // ... but not the exporter's own alerts, nor other instances.
        (
            json!({"alertname": "PorlaExporterDataStale", "severity": "warning", "job": job, "instance": "seedbox2"}),
            false,
        ),
        (
            host_alert("seedbox3", "PorlaAnnouncesOverdue", "tracker.c"),
            false,
        ),
    ];
    let mut all: Vec<Value> = sources.to_vec();
    all.extend(cases.iter().map(|(l, _)| l.clone()));
    let deadline = Instant::now() + Duration::from_secs(30);
    // Alertmanager may not listen yet: post until it takes them.
    loop {
        am.assert_running();
        let ok = reqwest::Client::new()
            .get(format!("{am_url}/-/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "Alertmanager never got ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    post_alerts(&am_url, &all).await;

    // Alertmanager's view: every alert posted, and which are inhibited.
    let expected: BTreeMap<String, bool> = cases
        .iter()
        .map(|(l, held)| (l.to_string(), *held))
        .chain(sources.iter().map(|l| (l.to_string(), false)))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got: Vec<Value> = reqwest::get(format!("{am_url}/api/v2/alerts"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let seen: BTreeMap<String, bool> = got
            .iter()
            .map(|a| {
                let labels = all
                    .iter()
                    .find(|l| {
                        l.as_object()
                            .unwrap()
                            .iter()
                            .all(|(k, v)| a["labels"][k] == *v)
                            && a["labels"].as_object().unwrap().len()
                                == l.as_object().unwrap().len()
                    })
                    .unwrap_or_else(|| panic!("an alert nobody posted: {a}"));
                let held = a["status"]["inhibitedBy"]
                    .as_array()
                    .is_some_and(|v| !v.is_empty());
                (labels.to_string(), held)
            })
            .collect();
        if seen == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Alertmanager's inhibition differs:\n{}",
            expected
                .iter()
                .filter(|(k, v)| seen.get(*k) != Some(v))
                .map(|(k, v)| format!("  {k}: expected held back {v}, got {:?}", seen.get(k)))
                .collect::<Vec<_>>()
                .join("\n")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    am.assert_running();
}
