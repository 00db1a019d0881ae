//! Tests of the alerting and recording rules: the monitoring mixin (mixin/, jsonnet), the files
//! scripts/mixin renders from it (Prometheus rules, Grafana alert provisioning, dashboards), a
//! user's override of its `_config`, and the promtool unit tests.
//!
//! Needs jsonnet and promtool on PATH (`apt-get install -y jsonnet prometheus`); a missing tool
//! fails the tests.

use crate::monitoring;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use monitoring::*;
use serde_json::Value;

/// The files scripts/mixin renders, relative to the repository root.
const RENDERED: &[&str] = &[
    ALERT_RULES,
    RECORDING_RULES,
    GRAFANA_ALERTS,
    "dashboards/porla-capacity.json",
    "dashboards/porla-fleet.json",
    "dashboards/porla-tracker-drilldown.json",
    "dashboards/porla-tracker-health.json",
];

/// Run scripts/mixin with `args`, with jsonnet's directory on PATH (so that a missing jsonnet
/// fails in `jsonnet()` with its install hint, not inside the script).
fn mixin(args: &[&str]) -> std::process::Output {
    let jsonnet = jsonnet();
    let mut path = vec![jsonnet.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    run(Command::new("bash")
        .arg("scripts/mixin")
        .args(args)
        .env("PATH", std::env::join_paths(path).unwrap()))
}

#[test]
fn rendered_files_are_up_to_date() {
    let out = mixin(&["--check"]);
    assert!(
        out.status.success(),
        "committed files differ from a fresh render of mixin/; run `scripts/mixin`\n{}",
        output_text(&out)
    );
}

#[test]
fn mixin_check_detects_a_stale_file() {
    let dir = scratch_dir("mixin-check");
    for rel in RENDERED {
        copy_into(rel, &dir);
    }
    let check = || mixin(&["--check", "--out", dir.to_str().unwrap()]);
    let out = check();
    assert!(
        out.status.success(),
        "copies of the rendered files should pass --check\n{}",
        output_text(&out)
    );

    for (rel, edit) in [
        (GRAFANA_ALERTS, "# edited by hand\n"),
        ("dashboards/porla-capacity.json", " "),
    ] {
        let tampered = dir.join(rel);
        let original = std::fs::read_to_string(&tampered).unwrap();
        std::fs::write(&tampered, original.clone() + edit).unwrap();
        let out = check();
        assert_eq!(
            out.status.code(),
            Some(1),
            "--check must fail on an edited {rel}\n{}",
            output_text(&out)
        );
        let file_name = Path::new(rel).file_name().unwrap().to_str().unwrap();
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(file_name),
            "--check must name {rel}\n{}",
            output_text(&out)
        );
        std::fs::write(&tampered, original).unwrap();
    }
    std::fs::remove_file(dir.join(RECORDING_RULES)).unwrap();
    let out = check();
    assert_eq!(
        out.status.code(),
        Some(1),
        "--check must fail on a missing file"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn mixin_script_rejects_a_bad_argument_in_one_line() {
    let out = mixin(&["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{}", output_text(&out));
    assert!(stderr.contains("--no-such-flag"), "{}", output_text(&out));
}

/// Every PromQL expression of a rendered tree (rules, Grafana alerts, dashboard targets and
/// variables), with the file it comes from.
fn rendered_exprs(dir: &Path) -> Vec<(String, String)> {
    let mut exprs = Vec::new();
    let load_yaml = |rel: &str| -> Value {
        serde_norway::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap()
    };
    for rel in [ALERT_RULES, RECORDING_RULES] {
        for group in load_yaml(rel)["groups"].as_array().unwrap() {
            for rule in group["rules"].as_array().unwrap() {
                exprs.push((rel.to_string(), rule["expr"].as_str().unwrap().to_string()));
            }
        }
    }
    for group in load_yaml(GRAFANA_ALERTS)["groups"].as_array().unwrap() {
        for rule in group["rules"].as_array().unwrap() {
            for query in rule["data"].as_array().unwrap() {
                if let Some(expr) = query["model"]["expr"].as_str() {
                    exprs.push((GRAFANA_ALERTS.to_string(), expr.to_string()));
                }
            }
        }
    }
    for rel in &RENDERED[3..] {
        let d: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap();
        collect_dashboard_exprs(rel, &d, &mut exprs);
    }
    exprs
}

/// Targets' `expr` and query variables' `query` anywhere in a dashboard.
fn collect_dashboard_exprs(rel: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            if let Some(expr) = map.get("expr").and_then(Value::as_str) {
                out.push((rel.to_string(), expr.to_string()));
            }
            if map.get("type").and_then(Value::as_str) == Some("query") {
                if let Some(query) = map.get("query").and_then(Value::as_str) {
                    let selector = label_values_parts(query)
                        .map(|(selector, _)| selector)
                        .unwrap_or_else(|| query.to_string());
                    out.push((rel.to_string(), selector));
                }
            }
            map.values()
                .for_each(|child| collect_dashboard_exprs(rel, child, out));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|child| collect_dashboard_exprs(rel, child, out)),
        _ => {}
    }
}

/// Every selector of every rendered expression carries `matcher`, and none names `absent`.
fn assert_every_selector_has(dir: &Path, matcher: &str, absent: &str) {
    let exprs = rendered_exprs(dir);
    assert!(exprs.len() > 60, "only {} expressions found", exprs.len());
    let files: BTreeSet<&str> = exprs.iter().map(|(rel, _)| rel.as_str()).collect();
    assert_eq!(files.len(), RENDERED.len(), "expressions from every file");
    for (rel, expr) in &exprs {
        assert!(!expr.contains(absent), "{rel}: {absent} is left in {expr}");
        let scan = scan(expr).unwrap_or_else(|e| panic!("{rel}: cannot scan {expr}: {e}"));
        for sel in &scan.selectors {
            assert!(
                sel.has(matcher),
                "{rel}: selector {:?} lacks {matcher} (expr: {expr})",
                sel.metric
            );
        }
    }
}

/// The job selector of `_config` reaches every query of every committed file, including the
/// recording rules and the dashboards' variables.
#[test]
fn the_configured_job_selector_is_in_every_query() {
    assert_eq!(config_matchers(), r#"job="porla-exporter""#);
    assert_every_selector_has(&root(), r#"job="porla-exporter""#, "__never__");
}

/// `scripts/mixin --selector ... --out DIR`, the command for a user who knows no jsonnet,
/// renders every file for another job, and promtool accepts the rules.
#[test]
fn mixin_script_renders_for_another_job() {
    let dir = scratch_dir("mixin-selector");
    let out = mixin(&[
        "--selector",
        r#"job="porla""#,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", output_text(&out));
    for rel in RENDERED {
        assert!(
            dir.join(rel).is_file(),
            "{rel} not rendered into {}",
            dir.display()
        );
    }
    assert_every_selector_has(&dir, r#"job="porla""#, "porla-exporter\"");
    let out = run(Command::new(promtool())
        .args(["check", "rules"])
        .arg(dir.join(ALERT_RULES))
        .arg(dir.join(RECORDING_RULES)));
    assert!(out.status.success(), "{}", output_text(&out));
    std::fs::remove_dir_all(&dir).ok();
}

/// A user imports the mixin as jsonnet-bundler installs it
/// (`vendor/github.com/porla-exporter/porla-exporter/mixin`) and overrides `_config` with `+::`:
/// the selector and a threshold reach the alerts, both rule files, Grafana's alerts and the
/// dashboards' threshold lines.
#[test]
fn a_config_override_reaches_every_output() {
    let dir = scratch_dir("mixin-override");
    let vendored = dir.join("vendor/github.com/porla-exporter/porla-exporter");
    std::fs::create_dir_all(&vendored).unwrap();
    std::os::unix::fs::symlink(root().join("mixin"), vendored.join("mixin")).unwrap();
    let main = dir.join("main.jsonnet");
    std::fs::write(
        &main,
        r#"local porla = (import 'github.com/porla-exporter/porla-exporter/mixin/mixin.libsonnet') + {
  _config+:: {
    porlaExporterSelector: 'job="porla", env="prod"',
    alerts+: { PorlaTrackerHostFailing+: { threshold: 0.75, 'for': '42m' } },
    dashboardThresholds+: { pollDurationCritical: 99 },
  },
};
{
  alerts: porla.prometheusAlerts,
  rules: porla.prometheusRules,
  grafana: porla.grafanaAlerts,
  dashboards: porla.grafanaDashboards,
}
"#,
    )
    .unwrap();
    let out = run(Command::new(jsonnet())
        .arg("-J")
        .arg(dir.join("vendor"))
        .arg(&main));
    assert!(out.status.success(), "{}", output_text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();

    let rule = |name: &str| -> Value {
        v["alerts"]["groups"][0]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["alert"] == name)
            .unwrap_or_else(|| panic!("no alert {name}"))
            .clone()
    };
    let failing = rule("PorlaTrackerHostFailing");
    let expr = failing["expr"].as_str().unwrap();
    assert!(expr.ends_with("> 0.75"), "threshold: {expr}");
    assert!(
        expr.contains(r#"porla_tracker_host_torrents{job="porla", env="prod", status="error"}"#),
        "selector: {expr}"
    );
    assert_eq!(failing["for"], "42m");
    assert!(failing["annotations"]["description"]
        .as_str()
        .unwrap()
        .contains("threshold 75%, for 42m"));
    // Untouched alerts keep their defaults but get the new selector.
    let down = rule("PorlaDown");
    assert_eq!(down["expr"], r#"porla_up{job="porla", env="prod"} < 1"#);
    assert_eq!(down["for"], "5m");

    let recording = v["rules"]["groups"][0]["rules"].as_array().unwrap();
    assert!(!recording.is_empty());
    for r in recording {
        let expr = r["expr"].as_str().unwrap();
        assert!(
            expr.contains(r#"{job="porla", env="prod""#) && !expr.contains("porla-exporter"),
            "recording rule {}: {expr}",
            r["record"]
        );
    }

    let grafana = v["grafana"]["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "PorlaTrackerHostFailing")
        .unwrap();
    assert_eq!(grafana["for"], "42m");
    assert_eq!(
        grafana["data"][2]["model"]["conditions"][0]["evaluator"]["params"][0],
        0.75
    );
    assert!(grafana["data"][0]["model"]["expr"]
        .as_str()
        .unwrap()
        .contains(r#"job="porla", env="prod""#));

    // Dashboards: the selector in every query, the threshold in the threshold lines.
    let dashboards = v["dashboards"].as_object().unwrap();
    assert_eq!(dashboards.len(), 4);
    let text = serde_json::to_string(&v["dashboards"]).unwrap();
    assert!(
        !text.contains("porla-exporter\\\""),
        "default selector left in a dashboard"
    );
    let health = &dashboards["porla-tracker-health.json"];
    let panel = |d: &Value, id: u64| -> Value {
        d["panels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    let steps = |p: &Value| -> Vec<f64> {
        p["fieldConfig"]["defaults"]["thresholds"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["value"].as_f64())
            .collect()
    };
    let ratio = panel(health, 10);
    assert_eq!(steps(&ratio), [0.75], "error ratio threshold line");
    assert!(ratio["targets"][0]["expr"].as_str().unwrap().starts_with(
        r#"porla:tracker_host_torrents:error_ratio{job="porla", env="prod",job=~"$job""#
    ));
    let hosts = panel(health, 5);
    assert!(hosts["targets"][0]["expr"]
        .as_str()
        .unwrap()
        .contains("> 0.75)"));
    let fleet = &dashboards["porla-fleet.json"];
    assert_eq!(
        steps(&panel(fleet, 3)),
        [0.75],
        "fleet error ratio threshold line"
    );
    assert!(panel(fleet, 1)["targets"][4]["expr"].as_str().unwrap().contains(
        r#"(porla:instance_tracker_host_torrents:error_ratio{job="porla", env="prod",job=~"$job""#
    ));
    let capacity = &dashboards["porla-capacity.json"];
    assert_eq!(
        steps(&panel(capacity, 5)),
        [10.0, 99.0],
        "poll duration thresholds"
    );
    let job_var = capacity["templating"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "job")
        .unwrap();
    assert_eq!(
        job_var["query"],
        r#"label_values(porla_up{job="porla", env="prod"}, job)"#
    );
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
