//! End to end with a real Prometheus: two exporter binaries fed by fake Porlas (one with
//! failing, rejected and overdue trackers, one healthy) are scraped by Debian's `prometheus`
//! with the recording and alerting rules loaded. Then every PromQL expression of every
//! dashboard panel, dashboard variable, rule and Grafana alert rule runs through Prometheus'
//! HTTP API: each must parse and return data, alerts must fire for the sick instance only, and
//! each Grafana alert condition must select exactly what the matching Prometheus rule selects.

use crate::engines::{self, address, exporter, healthy, substitute, ROOT};
use crate::monitoring::{
    files, json, panels, prometheus_rules, yaml, ALERT_RULES, GRAFANA_ALERTS, RECORDING_RULES,
};
use crate::support;

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use support::fake_porla::{synthetic_torrents, FakeAuth, FakePorla, Faults};

fn labels(sample: &Value) -> BTreeSet<(String, String)> {
    sample["metric"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| *k != "__name__")
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn value(sample: &Value) -> f64 {
    sample["value"][1].as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_rule_and_alert_query_works_against_prometheus() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let sick = engines::sick_porla().await;
    let well = FakePorla::start(
        healthy(synthetic_torrents(60, 3, now + 600, 1800)),
        FakeAuth::Disabled,
    )
    .await;

    let mut e1 = exporter(&sick);
    let e2 = exporter(&well);
    let (sick_instance, well_instance) = (address(&e1.url), address(&e2.url));
    e1.wait_for_metrics("porla_exporter_poll_errors_total{")
        .await;
    sick.set_faults(Faults::default());

    let dir = tempfile::tempdir().unwrap();
    let (_prom_process, prom) = engines::prometheus(
        "prometheus",
        &format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {root}/rules/porla-exporter.rules.yml\n  - {root}/rules/porla-exporter.recording.yml\n\
             scrape_configs:\n  - job_name: porla-exporter\n    static_configs:\n      - targets: ['{sick_instance}', '{well_instance}']\n",
            root = ROOT
        ),
        dir.path(),
        &[],
    );

    // Wait for a handful of scrapes of both targets and a few rule evaluations.
    prom.wait_for(
        "count(count_over_time(porla_up{job=\"porla-exporter\"}[1m]) >= 6) == 2 and on() count(porla:tracker_host_torrents:sum) > 0",
        Duration::from_secs(60),
        "scrapes of both exporters",
    )
    .await;

    // ---- dashboards: every panel target and every query variable ----
    let (mut checked, mut failures) = engines::dashboards_without_data(&prom).await;

    // ---- tables that merge several queries: Grafana's merge joins two rows only where their
    // common columns agree, and a metric name is a column (__name__), so no such query may
    // return one (grafana/grafana packages/grafana-data/src/transformations/transformers/merge.ts).
    for rel in files("dashboards", ".json") {
        let d = json(&rel);
        for panel in panels(&d) {
            let merged = panel["transformations"]
                .as_array()
                .is_some_and(|ts| ts.iter().any(|t| t["id"] == "merge"));
            for target in panel["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|_| merged)
            {
                checked += 1;
                let q = substitute(target["expr"].as_str().unwrap(), "127.0.0.1");
                let named = prom
                    .query(&q)
                    .await
                    .map(|r| r.iter().any(|s| s["metric"].get("__name__").is_some()));
                if named != Ok(false) {
                    failures.push(format!(
                        "{rel} panel {} target {}: a merged table's query returns a metric name (or fails: {named:?}): {q}",
                        panel["id"], target["refId"]
                    ));
                }
            }
        }
    }

    // ---- recording rules: all return data ----
    for r in prometheus_rules(RECORDING_RULES) {
        checked += 1;
        let name = r["record"].as_str().unwrap();
        match prom.query(name).await {
            Ok(v) if v.is_empty() => failures.push(format!("recording rule {name}: no data")),
            Ok(_) => {}
            Err(e) => failures.push(format!("recording rule {name}: {e}")),
        }
    }

    // ---- alerting rules: fire for the sick instance only, or stay quiet ----
    // The sick Porla's failing hosts carry a few torrents each: small hosts
    // (PorlaTrackerHostFailing, for hosts of 10 torrents or more, stays quiet).
    let must_fire = [
        "PorlaTrackerSmallHostFailing",
        "PorlaTorrentAllTrackersFailing",
        "PorlaTorrentsUnregistered",
        "PorlaAnnouncesOverdue",
        "PorlaTrackerFailLimitReached",
    ];
    let mut prom_alerts: HashMap<String, String> = HashMap::new();
    for r in prometheus_rules(ALERT_RULES) {
        checked += 1;
        let name = r["alert"].as_str().unwrap().to_owned();
        let expr = r["expr"].as_str().unwrap().to_owned();
        match prom.query(&expr).await {
            Err(e) => failures.push(format!("alert {name}: {e}")),
            Ok(v) => {
                let instances: BTreeSet<String> = v
                    .iter()
                    .filter_map(|s| s["metric"]["instance"].as_str().map(str::to_owned))
                    .collect();
                if must_fire.contains(&name.as_str()) {
                    if !instances.contains(&sick_instance) || instances.contains(&well_instance) {
                        failures.push(format!("alert {name}: fires for {instances:?}, expected the sick instance only"));
                    }
                } else if !v.is_empty() {
                    failures.push(format!("alert {name}: fires with a healthy Porla: {v:?}"));
                }
            }
        }
        prom_alerts.insert(name, expr);
    }

    // ---- Grafana alert rules: query A through threshold C selects what the Prometheus rule selects ----
    let grafana = yaml(GRAFANA_ALERTS);
    let mut grafana_titles = BTreeSet::new();
    for g in grafana["groups"].as_array().unwrap() {
        for r in g["rules"].as_array().unwrap() {
            checked += 1;
            let title = r["title"].as_str().unwrap().to_owned();
            grafana_titles.insert(title.clone());
            let data = r["data"].as_array().unwrap();
            let model = |id: &str| {
                data.iter()
                    .find(|d| d["refId"].as_str() == Some(id))
                    .map(|d| d["model"].clone())
                    .unwrap()
            };
            let a = model("A")["expr"].as_str().unwrap().to_owned();
            let evaluator = model("C")["conditions"][0]["evaluator"].clone();
            let threshold = evaluator["params"][0].as_f64().unwrap();
            let op = evaluator["type"].as_str().unwrap().to_owned();
            let Some(prom_expr) = prom_alerts.get(&title) else {
                failures.push(format!("Grafana alert {title} has no Prometheus rule"));
                continue;
            };
            let (ga, pa) = (prom.query(&a).await, prom.query(prom_expr).await);
            let (Ok(ga), Ok(pa)) = (ga, pa) else {
                failures.push(format!("Grafana alert {title}: a query failed"));
                continue;
            };
            let firing: BTreeSet<_> = ga
                .iter()
                .filter(|s| match op.as_str() {
                    "gt" => value(s) > threshold,
                    "lt" => value(s) < threshold,
                    other => panic!("{title}: unexpected evaluator {other}"),
                })
                .map(labels)
                .collect();
            let expected: BTreeSet<_> = pa.iter().map(labels).collect();
            if firing != expected {
                failures.push(format!(
                    "Grafana alert {title} selects {firing:?}, the Prometheus rule {expected:?}"
                ));
            }
        }
    }
    // The alerts about single torrents (severity info) never notify: Grafana leaves them out.
    let never_notified: BTreeSet<String> = prometheus_rules(ALERT_RULES)
        .iter()
        .filter(|r| r["labels"]["severity"] == "info")
        .map(|r| r["alert"].as_str().unwrap().to_owned())
        .collect();
    let prom_titles: BTreeSet<String> = prom_alerts
        .keys()
        .filter(|k| !never_notified.contains(*k))
        .cloned()
        .collect();
    assert_eq!(grafana_titles, prom_titles, "the same alerts in both forms");

    assert!(checked > 60, "only {checked} expressions found");
    assert!(
        failures.is_empty(),
        "{} of {checked} expressions failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
