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
//!   never notified as firing gets no "resolved" notification, and a notified group is notified
//!   again only when its set of firing or resolved alerts (told apart by their labels) changes,
//!   or repeat_interval passes: a new value or annotation is no change (notify/notify.go,
//!   DedupStage.needsUpdate).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::engines::{self, address, listening, render_mixin, webhook, Notifications, ROOT};
use crate::support::fake_porla::{
    list_item, slot, tracker, FakeAuth, FakePorla, FakeTorrent, Faults, Outage,
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

/// A Prometheus that scrapes `target` every second, evaluates `dir/alerts.yml` every second and
/// sends to the Alertmanager at `am_address`; returned once its first scrapes are in.
async fn alerting_prometheus(
    dir: &Path,
    am_address: &str,
    target: &str,
) -> (Process, engines::Prom) {
    let (prom_proc, prom) = engines::prometheus(
        "prometheus",
        &format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             rule_files:\n  - {alerts}\n\
             alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['{am_address}']\n\
             scrape_configs:\n  - job_name: porla-exporter\n    static_configs:\n      - targets: ['{target}']\n",
            alerts = dir.join("alerts.yml").display()
        ),
        dir,
        &[],
    );
    prom.wait_for(
        "porla_tracker_host_torrents{status=\"working\"} > 0",
        Duration::from_secs(60),
        "the first scrapes",
    )
    .await;
    (prom_proc, prom)
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
    let (mut prom_proc, prom) = alerting_prometheus(dir.path(), &am_address, &target).await;
    let minute = Duration::from_secs(60);
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

// ------------------------------------------------------------------------------------------
// A real outage's timing: every duration of the shipped rules and route divided by SCALE.

/// Every duration of the mixin's `_config` (the alerts' `for`, the keep-firing bounds) and of
/// the shipped route (group_wait, group_interval, repeat_interval) is divided by this: the
/// issue's real-world run, 30 times faster.
const SCALE: u64 = 30;

/// The mixin's alerts with every duration of `_config` divided by [`SCALE`] (whole seconds, at
/// least one): whatever durations the mixin has, shipped or future.
fn scaled_rules() -> String {
    let expr = format!(
        r#"
local r = import 'render/lib.libsonnet';
local lib = import 'lib.libsonnet';
local m = r.mixin(null);
local digits = '0123456789';
local isDuration(s) =
  std.length(s) > 1 && std.member(digits, s[0]) && std.member('smhd', s[std.length(s) - 1])
  && std.foldl(function(ok, c) ok && std.member(digits + 'smhd', c), std.stringChars(s), true);
local scale(v) =
  if std.isObject(v) then {{ [k]: scale(v[k]) for k in std.objectFields(v) }}
  else if std.isString(v) && isDuration(v) then lib.duration(std.max(1, std.floor(lib.seconds(v) / {SCALE})))
  else v;
r.yaml((m + {{ _config+:: scale(m._config) }}).prometheusAlerts)
"#
    );
    engines::jsonnet_string(&expr)
}

/// A Prometheus duration made of whole s, m and h parts, in seconds.
fn seconds(d: &str) -> u64 {
    let (mut total, mut n) = (0, 0);
    for c in d.chars() {
        match c {
            '0'..='9' => n = n * 10 + u64::from(c.to_digit(10).unwrap()),
            's' => (total, n) = (total + n, 0),
            'm' => (total, n) = (total + n * 60, 0),
            'h' => (total, n) = (total + n * 3600, 0),
            _ => panic!("not a duration: {d}"),
        }
    }
    total
}

/// The shipped file with every duration of its route divided by [`SCALE`] and the receiver
/// pointed at `url`; nothing else changed.
fn scaled_config(url: &str) -> String {
    let mut doc = crate::monitoring::yaml(SHIPPED);
    fn scale(route: &mut Value) {
        let Some(r) = route.as_object_mut() else {
            return;
        };
        for key in ["group_wait", "group_interval", "repeat_interval"] {
            if let Some(d) = r.get(key).and_then(Value::as_str) {
                let s = (seconds(d) / SCALE).max(1);
                r.insert(key.to_owned(), json!(format!("{s}s")));
            }
        }
        for child in r
            .get_mut("routes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            scale(child);
        }
    }
    scale(&mut doc["route"]);
    for receiver in doc["receivers"].as_array_mut().unwrap() {
        for hook in receiver["webhook_configs"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            hook["url"] = json!(url);
        }
    }
    serde_norway::to_string(&doc).unwrap()
}

const OUTAGE_HOST: &str = "tracker.outage.example";
const OTHER_HOST: &str = "tracker.other.example";
/// Torrents whose trackers are all on OUTAGE_HOST; the first UNREGISTERED of them the tracker
/// reports unregistered.
const ON_OUTAGE_HOST: usize = 60;
const UNREGISTERED: usize = 3;
/// Torrents with a tracker on both hosts, and on OTHER_HOST only.
const ON_BOTH_HOSTS: usize = 10;
const ON_OTHER_HOST: usize = 10;
/// Dead single-torrent hosts (`deadN.invalid`), whose torrents have no other tracker.
const DEAD_HOSTS: usize = 30;
/// The scaled announce interval (30m / SCALE) over which the host fails, and over which it
/// recovers (each torrent at its own retry).
const SPREAD: Duration = Duration::from_secs(60);
/// The scaled outage (40m / SCALE, as in the issue).
const OUTAGE: Duration = Duration::from_secs(80);

fn outage_torrents(now: i64) -> Vec<FakeTorrent> {
    let ok = || slot(0, None, true, 12, 3, now + 900);
    let unregistered = || {
        let mut s = slot(
            2,
            Some("tracker sent a failure message"),
            false,
            -1,
            -1,
            now + 900,
        );
        s["message"] = json!("Unregistered torrent");
        s
    };
    let dead = || {
        slot(
            5,
            Some("Host not found (authoritative)"),
            false,
            -1,
            -1,
            now + 900,
        )
    };
    let entry = |host: &str, tier: i64, i: usize, state: Value| {
        tracker(
            &format!("https://{host}/announce/{i:04}-{tier}"),
            tier,
            state,
            crate::support::fake_porla::unused_slot(),
        )
    };
    let all = ON_OUTAGE_HOST + ON_BOTH_HOSTS + ON_OTHER_HOST + DEAD_HOSTS;
    (0..all)
        .map(|i| {
            let hash = format!("{:040x}", 0xdef000 + i);
            let item = list_item(Some(&hash), None, &format!("torrent {i}"));
            let trackers: Vec<Value> = if i < UNREGISTERED {
                vec![entry(OUTAGE_HOST, 0, i, unregistered())]
            } else if i < ON_OUTAGE_HOST {
                // Every third torrent has a second tracker on the same host (another URL).
                (0..1 + i64::from(i % 3 == 0))
                    .map(|t| entry(OUTAGE_HOST, t, i, ok()))
                    .collect()
            } else if i < ON_OUTAGE_HOST + ON_BOTH_HOSTS {
                vec![
                    entry(OUTAGE_HOST, 0, i, ok()),
                    entry(OTHER_HOST, 1, i, ok()),
                ]
            } else if i < ON_OUTAGE_HOST + ON_BOTH_HOSTS + ON_OTHER_HOST {
                vec![entry(OTHER_HOST, 0, i, ok())]
            } else {
                let n = i - ON_OUTAGE_HOST - ON_BOTH_HOSTS - ON_OTHER_HOST;
                vec![entry(&format!("dead{n}.invalid"), 0, i, dead())]
            };
            FakeTorrent {
                item,
                trackers: json!({ "trackers": trackers }),
            }
        })
        .collect()
}

/// A notification's (alertname, status, tracker_host of the group or "-").
fn key(n: &Value) -> (String, String, String) {
    let s = |v: &Value| v.as_str().unwrap_or("-").to_owned();
    (
        s(&n["groupLabels"]["alertname"]),
        s(&n["status"]),
        s(&n["groupLabels"]["tracker_host"]),
    )
}

/// Waits until `done` holds for the notifications so far.
async fn wait_until(
    notes: &Notifications,
    within: Duration,
    what: &str,
    done: impl Fn(&[Value]) -> bool,
) {
    let deadline = Instant::now() + within;
    loop {
        let all = notes.all();
        if done(&all) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {within:?}; notifications so far: {:?}",
            all.iter().map(key).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The issue's outage, scaled: the shipped rules and route with every duration divided by 30,
/// a tracker host that fails torrent by torrent over the (scaled) announce interval, stays down
/// for the (scaled) 40 minutes and recovers torrent by torrent, with 3 of its torrents
/// unregistered, and 30 dead single-torrent hosts from the start. Counts the webhook's
/// notifications and checks each promise of issue 27 (item 5) on this one run:
/// - exactly one firing and at most one resolved notification about the host;
/// - no per-torrent alert of that host (none at all) in any notification;
/// - nothing resolved while the host is down;
/// - the unregistered torrents' alert keeps firing through the outage (and does not fire again);
/// - the 30 dead hosts give one notification;
/// - no notification carries more than the webhook's max_alerts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_in_real_timing_gives_one_notification_per_cause() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let rules = scaled_rules();
    std::fs::write(dir.path().join("alerts.yml"), &rules).unwrap();

    let (hook, notes) = webhook().await;
    let config = dir.path().join("alertmanager.yml");
    std::fs::write(&config, scaled_config(&hook)).unwrap();
    let check = std::process::Command::new(tools::amtool())
        .args(["check-config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    let (mut am, am_address) = listening(
        "alertmanager",
        &tools::alertmanager(),
        &[
            format!("--config.file={}", config.display()),
            format!("--storage.path={}", dir.path().join("am-data").display()),
            "--web.listen-address=127.0.0.1:0".to_owned(),
            "--cluster.listen-address=".to_owned(),
            "--log.level=info".to_owned(),
        ],
        dir.path(),
    );

    let porla = FakePorla::start(outage_torrents(now), FakeAuth::Disabled).await;
    let mut exporter = engines::exporter(&porla);
    exporter.ready().await;
    let target = address(&exporter.url);
    // Scrapes and evaluations every second: the shipped 30s, scaled.
    let (mut prom_proc, prom) = alerting_prometheus(dir.path(), &am_address, &target).await;
    let minute = Duration::from_secs(60);

    // ---- the steady state: the unregistered torrents, the dead hosts ----
    let is = |n: &Value, name: &str, status: &str| {
        n["groupLabels"]["alertname"] == name && n["status"] == status
    };
    wait_until(
        &notes,
        Duration::from_secs(120),
        "the unregistered torrents' notification",
        |all| {
            all.iter()
                .any(|n| is(n, "PorlaTorrentsUnregistered", "firing"))
        },
    )
    .await;
    // The dead hosts fail from the start too: their alerts fire in the same evaluations.
    tokio::time::sleep(Duration::from_secs(5)).await;
    am.assert_running();
    prom_proc.assert_running();

    // ---- the outage: torrent by torrent over the announce interval ----
    let down_at = Instant::now();
    let before_outage = notes.all().len();
    let outage = |up_at| Outage {
        host: OUTAGE_HOST.to_owned(),
        error: "Connection refused".to_owned(),
        down_at,
        up_at,
        spread: SPREAD,
    };
    porla.set_outage(Some(outage(None)));
    // After the spread every torrent fails there with libtorrent's words, and the unregistered
    // ones are no longer `unregistered` now: what the tracker said is kept.
    tokio::time::sleep_until((down_at + SPREAD + Duration::from_secs(5)).into()).await;
    prom.wait_for(
        &format!(
            "porla_tracker_host_errors{{tracker_host=\"{OUTAGE_HOST}\", class=\"unregistered\"}} == 0 \
             and on (tracker_host) porla_tracker_host_last_message_torrents{{class=\"unregistered\"}} == {UNREGISTERED} \
             and on (tracker_host) porla_tracker_host_torrents{{status=\"error\"}} == {}",
            ON_OUTAGE_HOST + ON_BOTH_HOSTS
        ),
        minute,
        "every torrent of the host failing, the unregistered ones kept",
    )
    .await;
    tokio::time::sleep_until((down_at + OUTAGE).into()).await;
    let while_down = notes.all().len();

    // ---- the recovery: torrent by torrent, at each one's retry ----
    porla.set_outage(Some(outage(Some(Instant::now()))));
    wait_until(
        &notes,
        SPREAD + Duration::from_secs(120),
        "the host's resolved notification",
        |all| {
            all.iter().any(|n| {
                is(n, "PorlaTrackerHostFailing", "resolved")
                    && n["groupLabels"]["tracker_host"] == OUTAGE_HOST
            })
        },
    )
    .await;
    // Watch a few group intervals more (10s scaled): nothing else comes.
    tokio::time::sleep(Duration::from_secs(15)).await;
    porla.set_outage(None);
    am.assert_running();
    prom_proc.assert_running();

    // ---- what the webhook received: every promise checked, every broken one reported ----
    let all = notes.all();
    let keys: Vec<_> = all.iter().map(key).collect();
    let entries: Vec<usize> = all
        .iter()
        .map(|n| n["alerts"].as_array().map_or(0, Vec::len))
        .collect();
    println!(
        "{} notifications (alertname, status, tracker_host): {keys:?}, alerts in each: {entries:?}",
        all.len()
    );
    let count = |name: &str, status: &str, host: &str| {
        keys.iter()
            .filter(|k| (k.0.as_str(), k.1.as_str(), k.2.as_str()) == (name, status, host))
            .count()
    };
    let alerts = |from: usize, to: usize| -> Vec<&Value> {
        all[from..to]
            .iter()
            .flat_map(|n| n["alerts"].as_array().unwrap())
            .collect()
    };
    let about_host = |a: &Value| a["labels"]["tracker_host"] == OUTAGE_HOST;
    let mut broken: Vec<String> = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            broken.push(what);
        }
    };
    // 1. Exactly one firing and at most one resolved notification about the host: during and
    //    after the outage nothing else names it.
    let host_notes: Vec<_> = all[before_outage..]
        .iter()
        .filter(|n| n["alerts"].as_array().unwrap().iter().any(about_host))
        .map(key)
        .collect();
    check(
        host_notes
            == [
                (
                    "PorlaTrackerHostFailing".into(),
                    "firing".into(),
                    OUTAGE_HOST.into(),
                ),
                (
                    "PorlaTrackerHostFailing".into(),
                    "resolved".into(),
                    OUTAGE_HOST.into(),
                ),
            ],
        format!(
            "the notifications about the host are not one firing and one resolved: {host_notes:?}"
        ),
    );
    // 2. No per-torrent alert of that host (nor any other) in any notification.
    let per_torrent = alerts(0, all.len())
        .iter()
        .filter(|a| !a["labels"]["info_hash"].is_null())
        .count();
    let of_host = alerts(0, all.len())
        .iter()
        .filter(|a| !a["labels"]["info_hash"].is_null() && about_host(a))
        .count();
    check(
        per_torrent == 0,
        format!("{per_torrent} per-torrent alerts were notified, {of_host} of them of the host"),
    );
    // 3. Nothing resolved while the host was down (nor after, but the host's own alert).
    let resolved_down = alerts(before_outage, while_down)
        .iter()
        .filter(|a| a["status"] == "resolved")
        .count();
    check(
        resolved_down == 0,
        format!("{resolved_down} alerts resolved while the host was down"),
    );
    let resolved_other = alerts(0, all.len())
        .iter()
        .filter(|a| {
            a["status"] == "resolved"
                && !(a["labels"]["alertname"] == "PorlaTrackerHostFailing" && about_host(a))
        })
        .count();
    check(
        resolved_other == 0,
        format!("{resolved_other} alerts other than the host's resolved"),
    );
    // 4. The unregistered torrents: one firing notification, before the outage, never resolved,
    //    still firing.
    let unregistered = (
        count("PorlaTorrentsUnregistered", "firing", OUTAGE_HOST),
        count("PorlaTorrentsUnregistered", "resolved", OUTAGE_HOST),
    );
    check(
        unregistered == (1, 0),
        format!("PorlaTorrentsUnregistered notified (firing, resolved) {unregistered:?} times, not (1, 0)"),
    );
    let still = prom
        .scalar(&format!(
            "count(ALERTS{{alertname=\"PorlaTorrentsUnregistered\", alertstate=\"firing\", tracker_host=\"{OUTAGE_HOST}\"}})"
        ))
        .await;
    check(
        still == Some(1.0),
        format!("PorlaTorrentsUnregistered is not firing after the outage: {still:?}"),
    );
    // 5. The dead hosts: one notification listing the 30 of them.
    let dead_notes: Vec<&Value> = all
        .iter()
        .filter(|n| {
            n["alerts"].as_array().unwrap().iter().any(|a| {
                a["labels"]["tracker_host"]
                    .as_str()
                    .is_some_and(|h| h.ends_with(".invalid"))
            })
        })
        .collect();
    let dead_hosts: std::collections::BTreeSet<&str> = dead_notes
        .iter()
        .flat_map(|n| n["alerts"].as_array().unwrap())
        .filter_map(|a| a["labels"]["tracker_host"].as_str())
        .filter(|h| h.ends_with(".invalid"))
        .collect();
    check(
        dead_notes.len() == 1 && dead_hosts.len() == DEAD_HOSTS,
        format!(
            "the {DEAD_HOSTS} dead hosts gave {} notifications naming {} of them",
            dead_notes.len(),
            dead_hosts.len()
        ),
    );
    // 6. Bounded: at most the webhook's max_alerts per notification, none left out here.
    let max_alerts = crate::monitoring::yaml(SHIPPED)["receivers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["webhook_configs"].as_array().cloned().unwrap_or_default())
        .filter_map(|h| h["max_alerts"].as_u64())
        .max();
    check(
        max_alerts.is_some_and(|m| m as usize >= DEAD_HOSTS),
        format!("the webhook's max_alerts bounds no notification: {max_alerts:?}"),
    );
    let largest = entries.iter().copied().max().unwrap_or(0);
    check(
        max_alerts.is_some_and(|m| largest <= m as usize)
            && all.iter().all(|n| n["truncatedAlerts"] == 0),
        format!("a notification carried {largest} alerts"),
    );
    check(
        all.len() == before_outage + 2 && before_outage == 2,
        format!(
            "{} notifications in all ({before_outage} before the outage), not 2 + 2",
            all.len()
        ),
    );
    assert!(
        broken.is_empty(),
        "broken promises:\n  {}",
        broken.join("\n  ")
    );
}
