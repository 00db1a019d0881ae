//! Tests of the alerting and recording rules: rules/config.toml, the files rules/generate.py makes
//! from it (Prometheus rules and Grafana alert provisioning), and the promtool unit tests.
//!
//! Needs python3 (3.11+) and promtool on PATH; a missing promtool fails the tests.

mod monitoring;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use monitoring::*;
use serde_json::Value;

#[test]
fn scanner_works() {
    scanner_self_test();
}

#[test]
fn generated_files_are_up_to_date() {
    let out = run(Command::new("python3").args(["rules/generate.py", "--check"]));
    assert!(
        out.status.success(),
        "generated rule files differ from rules/config.toml; run `python3 rules/generate.py`\n{}",
        output_text(&out)
    );
}

#[test]
fn generator_check_detects_a_stale_file() {
    let dir = scratch_dir("generate-check");
    for rel in [ALERT_RULES, RECORDING_RULES, GRAFANA_ALERTS] {
        copy_into(rel, &dir);
    }
    let check = || {
        run(Command::new("python3")
            .args(["rules/generate.py", "--check", "--out"])
            .arg(&dir))
    };
    let out = check();
    assert!(
        out.status.success(),
        "copies of the generated files should pass --check\n{}",
        output_text(&out)
    );

    let tampered = dir.join(GRAFANA_ALERTS);
    let text = std::fs::read_to_string(&tampered).unwrap() + "# edited by hand\n";
    std::fs::write(&tampered, text).unwrap();
    let out = check();
    assert_eq!(
        out.status.code(),
        Some(1),
        "--check must fail on an edited file\n{}",
        output_text(&out)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("porla-alerts.yaml"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn promtool_check_rules_passes() {
    let promtool = promtool();
    let rule_files = files("rules", ".yml");
    let mut expected = [ALERT_RULES, RECORDING_RULES];
    expected.sort();
    assert_eq!(rule_files, expected, "unexpected rule files in rules/");
    for rel in rule_files {
        let out = run(Command::new(&promtool).args(["check", "rules", &rel]));
        assert!(
            out.status.success(),
            "promtool check rules {rel} failed\n{}",
            output_text(&out)
        );
    }
}

#[test]
fn promtool_unit_tests_pass() {
    let promtool = promtool();
    let tests = files("rules/tests", ".test.yml");
    assert!(
        tests.len() >= 2,
        "expected promtool tests in rules/tests/*.test.yml"
    );
    let out = run(Command::new(&promtool).args(["test", "rules"]).args(&tests));
    assert!(
        out.status.success(),
        "promtool test rules failed\n{}",
        output_text(&out)
    );
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
    assert_eq!(
        prometheus.keys().collect::<Vec<_>>(),
        grafana.keys().collect::<Vec<_>>(),
        "Prometheus and Grafana define different alerts"
    );

    for (name, prom) in &prometheus {
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
        let plain = format!("{value} {op} {threshold}");
        let wrapped = format!("({value}) {op} {threshold}");
        assert!(
            expr == plain || expr == wrapped,
            "{name}: Prometheus expr\n  {expr}\nis not Grafana's query + threshold\n  {wrapped}"
        );

        assert_eq!(prom["for"], graf["for"], "{name}: for");
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

#[test]
fn rules_use_only_contract_metrics_and_the_configured_job() {
    let contract = contract_metrics();
    let recorded = recording_rule_names();
    let matcher = config_matchers();
    let mut exprs: Vec<(String, String)> = Vec::new();
    for rel in [ALERT_RULES, RECORDING_RULES] {
        for rule in prometheus_rules(rel) {
            exprs.push((rel.to_string(), rule["expr"].as_str().unwrap().to_string()));
        }
    }
    let grafana = yaml(GRAFANA_ALERTS);
    for group in grafana["groups"].as_array().unwrap() {
        for rule in group["rules"].as_array().unwrap() {
            for query in rule["data"].as_array().unwrap() {
                if let Some(expr) = query["model"]["expr"].as_str() {
                    exprs.push((GRAFANA_ALERTS.to_string(), expr.to_string()));
                }
            }
        }
    }
    for (rel, expr) in exprs {
        let scan = scan(&expr).unwrap_or_else(|e| panic!("{rel}: cannot scan {expr}: {e}"));
        assert!(!scan.selectors.is_empty(), "{rel}: no selector in {expr}");
        for sel in &scan.selectors {
            let metric = sel
                .metric
                .as_deref()
                .unwrap_or_else(|| panic!("{rel}: selector without metric in {expr}"));
            assert!(
                contract.contains(metric) || metric == "up",
                "{rel}: {metric} is not in docs/metrics.md (expr: {expr})"
            );
            assert!(
                !recorded.contains(metric),
                "{rel}: rules must not read recording rule {metric}"
            );
            assert!(
                sel.has(&matcher),
                "{rel}: selector {metric} lacks {matcher} (expr: {expr})"
            );
        }
    }
}
