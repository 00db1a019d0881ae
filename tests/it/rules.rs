//! Tests of the alerting and recording rules and of the other files scripts/mixin renders from
//! the monitoring mixin (mixin/, jsonnet): what can be read from the committed files. The tests
//! that run jsonnet or promtool (fresh renders, a user's override of `_config`, the promtool
//! unit tests) are in tests/tools/rules.rs.

use crate::monitoring;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use monitoring::*;
use porla_exporter::classify::ErrorClass;
use serde_json::Value;

#[test]
fn mixin_script_rejects_a_bad_argument_in_one_line() {
    // Arguments are checked before jsonnet is looked for: this needs no jsonnet.
    let out = run(Command::new("bash").args(["scripts/mixin", "--no-such-flag"]));
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{}", output_text(&out));
    assert!(stderr.contains("--no-such-flag"), "{}", output_text(&out));
}

#[test]
fn no_rule_alert_or_dashboard_reads_an_opt_in_metric() {
    let exprs = rendered_exprs(&root());
    for (rel, expr) in &exprs {
        let scan = scan(expr).unwrap_or_else(|e| panic!("{rel}: cannot scan {expr}: {e}"));
        for metric in scan.selectors.iter().filter_map(|s| s.metric.as_deref()) {
            assert!(
                !OPT_IN_METRICS.contains(&metric),
                "{rel} reads {metric}, which is only exported with an opt-in flag: {expr}"
            );
        }
    }
    // The fail-limit alert stays: porla_tracker_fail_limit is in the default set.
    assert!(exprs
        .iter()
        .any(|(rel, e)| rel == ALERT_RULES && e.contains("porla_tracker_fail_limit")));
}

fn test_files() -> Vec<(String, Value)> {
    files("rules/tests", ".test.yml")
        .into_iter()
        .map(|rel| (rel.clone(), yaml(&rel)))
        .collect()
}

#[test]
fn every_alert_has_a_firing_and_a_silent_test_case() {
    let alerts: BTreeSet<String> = prometheus_rules(ALERT_RULES)
        .iter()
        .map(|r| {
            r["alert"]
                .as_str()
                .expect("alerting rule without name")
                .to_string()
        })
        .collect();
    assert!(
        alerts.len() >= 7,
        "expected the full alert set, got {alerts:?}"
    );

    let mut firing: BTreeMap<String, usize> = BTreeMap::new();
    let mut silent: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, doc) in test_files() {
        for group in doc["tests"]
            .as_array()
            .unwrap_or_else(|| panic!("{rel}: no tests"))
        {
            for case in group["alert_rule_test"].as_array().into_iter().flatten() {
                let name = case["alertname"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{rel}: case without alertname"));
                assert!(alerts.contains(name), "{rel} tests unknown alert {name}");
                let expected = case["exp_alerts"].as_array().map(Vec::len).unwrap_or(0);
                if expected > 0 {
                    *firing.entry(name.to_string()).or_default() += 1;
                    for alert in case["exp_alerts"].as_array().unwrap() {
                        let annotations = alert["exp_annotations"].as_object();
                        assert!(
                            annotations.is_some_and(
                                |a| a.contains_key("summary") && a.contains_key("description")
                            ),
                            "{rel}: firing case of {name} must check the annotations"
                        );
                        assert!(
                            alert["exp_labels"]["severity"].is_string(),
                            "{rel}: firing case of {name} must check the severity label"
                        );
                    }
                } else {
                    *silent.entry(name.to_string()).or_default() += 1;
                }
            }
        }
    }
    let no_fire: Vec<_> = alerts.iter().filter(|a| !firing.contains_key(*a)).collect();
    let no_silent: Vec<_> = alerts.iter().filter(|a| !silent.contains_key(*a)).collect();
    assert!(
        no_fire.is_empty(),
        "alerts without a test case where they fire: {no_fire:?}"
    );
    assert!(
        no_silent.is_empty(),
        "alerts without a test case where they must not fire: {no_silent:?}"
    );
}

#[test]
fn every_recording_rule_is_tested() {
    let mut tested = BTreeSet::new();
    for (_, doc) in test_files() {
        for group in doc["tests"].as_array().unwrap() {
            for case in group["promql_expr_test"].as_array().into_iter().flatten() {
                let expr = case["expr"].as_str().unwrap();
                let scan = scan(expr).unwrap_or_else(|e| panic!("cannot scan {expr}: {e}"));
                let has_samples = case["exp_samples"]
                    .as_array()
                    .is_some_and(|s| !s.is_empty());
                if has_samples {
                    tested.extend(scan.selectors.into_iter().filter_map(|s| s.metric));
                }
            }
        }
    }
    let untested: Vec<_> = recording_rule_names()
        .into_iter()
        .filter(|r| !tested.contains(r))
        .collect();
    assert!(
        untested.is_empty(),
        "recording rules without a promql_expr_test: {untested:?}"
    );
}

/// The evaluation interval of the Grafana group holding rule `title`.
fn group_interval<'a>(doc: &'a Value, title: &str) -> &'a str {
    doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["title"] == title)
        })
        .and_then(|g| g["interval"].as_str())
        .unwrap()
}

/// Each Grafana rule is the Prometheus rule split in two: query A is the value, C the
/// comparison. Together they must give back the Prometheus expression exactly.
#[test]
fn grafana_rules_match_prometheus_rules() {
    let prometheus: BTreeMap<String, Value> = prometheus_rules(ALERT_RULES)
        .into_iter()
        .map(|r| (r["alert"].as_str().unwrap().to_string(), r))
        .collect();
    let doc = yaml(GRAFANA_ALERTS);
    let grafana: BTreeMap<String, Value> = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().clone())
        .map(|r| (r["title"].as_str().unwrap().to_string(), r))
        .collect();
    // The alerts about single torrents never notify (severity info, routed to no receiver in
    // deploy/alertmanager/alertmanager.yml); Grafana, which cannot route to no one, leaves them out.
    let notified: BTreeMap<&String, &Value> = prometheus
        .iter()
        .filter(|(_, r)| r["labels"]["severity"] != "info")
        .collect();
    assert!(
        notified.len() < prometheus.len(),
        "some alerts never notify"
    );
    assert_eq!(
        notified.keys().copied().collect::<Vec<_>>(),
        grafana.keys().collect::<Vec<_>>(),
        "Prometheus and Grafana define different alerts"
    );

    for (name, prom) in notified {
        let graf = &grafana[name];
        let data = graf["data"].as_array().unwrap();
        let by_ref = |r: &str| -> &Value {
            data.iter()
                .find(|q| q["refId"] == r)
                .unwrap_or_else(|| panic!("{name}: no query {r}"))
        };
        let (a, b, c) = (by_ref("A"), by_ref("B"), by_ref("C"));
        assert_eq!(graf["condition"], "C", "{name}: condition");
        assert_eq!(b["model"]["type"], "reduce", "{name}: B");
        assert_eq!(b["model"]["expression"], "A", "{name}: B must reduce A");
        assert_eq!(c["model"]["type"], "threshold", "{name}: C");
        assert_eq!(c["model"]["expression"], "B", "{name}: C must threshold B");

        let value = a["model"]["expr"].as_str().unwrap();
        let evaluator = &c["model"]["conditions"][0]["evaluator"];
        let op = match evaluator["type"].as_str().unwrap() {
            "gt" => ">",
            "lt" => "<",
            other => panic!("{name}: unexpected evaluator {other}"),
        };
        let threshold = evaluator["params"][0]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}: no threshold"));
        let expr = prom["expr"].as_str().unwrap();
        let mut plain = format!("{value} {op} {threshold}");
        let mut wrapped = format!("({value}) {op} {threshold}");
        // A recovery threshold (Grafana's unloadEvaluator) is Prometheus's hysteresis: once
        // firing, the alert holds while the value is past it.
        let unload = &c["model"]["conditions"][0]["unloadEvaluator"];
        if !unload.is_null() {
            let back = match unload["type"].as_str().unwrap() {
                "lt" => ">",
                "gt" => "<",
                other => panic!("{name}: unexpected recovery evaluator {other}"),
            };
            assert_eq!(
                back, op,
                "{name}: the recovery threshold is on the other side"
            );
            let recover = unload["params"][0].as_f64().unwrap();
            assert!(
                (op == ">" && recover < threshold) || (op == "<" && recover > threshold),
                "{name}: recovery {recover} is not past the threshold {threshold}"
            );
            let hold = format!(
                " or (({value}) {op} {recover} and on (job, instance, tracker_host) ALERTS{{job=\"porla-exporter\", alertname=\"{name}\", alertstate=\"firing\"}})"
            );
            plain.push_str(&hold);
            wrapped.push_str(&hold);
        }
        assert!(
            expr == plain || expr == wrapped,
            "{name}: Prometheus expr\n  {expr}\nis not Grafana's query + threshold\n  {wrapped}"
        );

        assert_eq!(prom["for"], graf["for"], "{name}: for");
        // No false "resolved": the same bound in both forms. Grafana resolves a vanished series
        // after missing_series_evals_to_resolve evaluations, so they must span the bound too.
        assert_eq!(
            prom["keep_firing_for"], graf["keepFiringFor"],
            "{name}: keep_firing_for"
        );
        if let Some(bound) = prom["keep_firing_for"].as_str() {
            let evals = graf["missing_series_evals_to_resolve"]
                .as_u64()
                .unwrap_or_else(|| panic!("{name}: no missing_series_evals_to_resolve"));
            let interval = duration_seconds(group_interval(&doc, name));
            assert!(
                evals * interval > duration_seconds(bound),
                "{name}: {evals} evaluations of {interval}s do not span keep_firing_for {bound}"
            );
        }
        assert_eq!(
            prom["labels"]["severity"], graf["labels"]["severity"],
            "{name}: severity"
        );
        assert_eq!(
            prom["annotations"]["runbook_url"], graf["annotations"]["runbook_url"],
            "{name}: runbook_url"
        );
        let grafana_form = |v: &Value| v.as_str().unwrap().replace("$values.B.Value", "$value");
        for key in ["summary", "description"] {
            assert_eq!(
                prom["annotations"][key].as_str().unwrap(),
                grafana_form(&graf["annotations"][key]),
                "{name}: {key} differs beyond $value -> $values.B.Value"
            );
        }
    }
}

/// GitHub's anchor for a Markdown heading.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn alerts_have_severity_summary_description_and_runbook() {
    let docs = read("docs/alerts.md");
    let anchors: BTreeSet<String> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .map(anchor)
        .collect();
    for rule in prometheus_rules(ALERT_RULES) {
        let name = rule["alert"].as_str().unwrap();
        let severity = rule["labels"]["severity"].as_str().unwrap_or_default();
        assert!(
            ["critical", "warning", "info"].contains(&severity),
            "{name}: severity {severity:?}"
        );
        let ann = &rule["annotations"];
        assert!(
            ann["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{name}: summary"
        );
        let description = ann["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("{{ $labels.") || description.contains("{{ $value"),
            "{name}: description should quote values"
        );
        let runbook = ann["runbook_url"].as_str().unwrap_or_default();
        let (page, fragment) = runbook
            .split_once('#')
            .unwrap_or_else(|| panic!("{name}: runbook_url without anchor"));
        assert!(
            page.ends_with("docs/alerts.md"),
            "{name}: runbook_url should point at docs/alerts.md"
        );
        assert!(
            anchors.contains(fragment),
            "{name}: docs/alerts.md has no heading for #{fragment}"
        );
        assert!(
            fragment == anchor(name),
            "{name}: runbook anchor should be the alert's name"
        );
    }
}

/// Without jsonnet, scripts/mixin says in one line how to install it (exit 2), instead of a
/// shell error.
#[test]
fn mixin_script_without_jsonnet_says_how_to_install_it() {
    let empty = scratch_dir("mixin-no-jsonnet");
    let out = run(Command::new("/bin/bash")
        .arg("scripts/mixin")
        .arg("--check")
        .env("PATH", &empty));
    std::fs::remove_dir_all(&empty).ok();
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{}", output_text(&out));
    assert!(
        stderr.contains("apt-get install jsonnet"),
        "{}",
        output_text(&out)
    );
}

/// PorlaTrackerAccessDenied fires on access_denied and on no other class: its promtool test
/// ("access denied" in rules/tests/alerts.test.yml) feeds every class the exporter serves
/// (src/classify.rs), so a class added to the exporter is added to the test too.
#[test]
fn access_denied_test_feeds_every_error_class() {
    let doc = yaml("rules/tests/alerts.test.yml");
    let group = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "access denied")
        .expect("the promtool test group \"access denied\"");
    let fed: BTreeSet<String> = group["input_series"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["series"].as_str())
        .filter(|s| s.starts_with("porla_tracker_host_errors{"))
        .filter_map(|s| {
            let (_, rest) = s.split_once("class=\"")?;
            Some(rest.split('"').next()?.to_string())
        })
        .collect();
    let all: BTreeSet<String> = ErrorClass::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(fed, all, "classes fed to the access-denied test");
    let cases = group["alert_rule_test"].as_array().unwrap();
    assert!(cases.iter().any(|c| {
        c["alertname"] == "PorlaTrackerAccessDenied"
            && c["exp_alerts"].as_array().is_some_and(|a| {
                a.iter()
                    .all(|a| a["exp_labels"]["class"] == "access_denied")
            })
    }));
}
