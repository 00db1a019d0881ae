//! The rules, alerts and dashboards through jsonnet and promtool: the committed files are a fresh
//! render of the mixin, scripts/mixin renders for another job, a user's override of `_config`
//! reaches every output, and promtool checks the rules and runs their unit tests
//! (tests/it/rules.rs reads the committed files without them).

use crate::mixin::*;
use crate::monitoring::*;
use crate::support::tools::{jsonnet, promtool};

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn copy_into(rel: &str, dest_root: &Path) {
    let dest = dest_root.join(rel);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(root().join(rel), dest).unwrap();
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
    // The threshold, then the hysteresis that holds a firing alert down to `recover`.
    assert!(expr.contains(") > 0.75 or ("), "threshold: {expr}");
    assert!(
        expr.ends_with(r#") > 0.1 and on (job, instance, tracker_host) ALERTS{job="porla", env="prod", alertname="PorlaTrackerHostFailing", alertstate="firing"})"#),
        "hysteresis: {expr}"
    );
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
    assert_eq!(steps(&ratio), [0.75], "failing ratio threshold line");
    assert!(ratio["targets"][0]["expr"].as_str().unwrap().starts_with(
        r#"porla:tracker_host_torrents:failing_ratio{job="porla", env="prod",job=~"$job""#
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
            // Prometheus's own series: `up`, and `ALERTS`, which the host alerts read for
            // their hysteresis (docs/alerts.md).
            assert!(
                contract.contains(metric) || metric == "up" || metric == "ALERTS",
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

/// The tracker alerts keep firing through a Porla outage (keep_firing_for); the alerts about
/// the exporter and Porla themselves do not, or they would hide a recovery. The alerts that
/// silence per-torrent alerts in deploy/alertmanager/alertmanager.yml keep firing longer than
/// the alerts they silence (by `_config.inhibitorKeepFiringMargin`), so that they never resolve
/// first and let those out as new notifications.
#[test]
fn tracker_alerts_keep_firing_through_a_porla_outage() {
    let instance_level = [
        "PorlaExporterAbsent",
        "PorlaExporterDown",
        "PorlaDown",
        "PorlaExporterDataStale",
    ];
    let config = mixin_config();
    let bound = duration_seconds(config["trackerAlertsKeepFiringFor"].as_str().unwrap());
    let margin = duration_seconds(config["inhibitorKeepFiringMargin"].as_str().unwrap());
    assert!(margin > 0);
    // The sources of the inhibit rule whose targets are the per-torrent alerts (info_hash).
    let am = yaml("deploy/alertmanager/alertmanager.yml");
    let rule = am["inhibit_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["target_matchers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m.as_str().unwrap().starts_with("info_hash"))
        })
        .expect("an inhibit rule silencing the per-torrent alerts");
    let inhibitors: Vec<String> = rule["source_matchers"][0]
        .as_str()
        .unwrap()
        .trim_start_matches("alertname=~\"")
        .trim_end_matches('"')
        .split('|')
        .map(str::to_owned)
        .collect();
    assert!(!inhibitors.is_empty());
    let rules = prometheus_rules(ALERT_RULES);
    for name in &inhibitors {
        assert!(
            rules.iter().any(|r| r["alert"] == name.as_str()),
            "inhibitor {name} is no alert of the mixin"
        );
    }
    for r in rules {
        let name = r["alert"].as_str().unwrap();
        if instance_level.contains(&name) {
            assert!(r["keep_firing_for"].is_null(), "{name}: keep_firing_for");
            continue;
        }
        let kept = duration_seconds(r["keep_firing_for"].as_str().unwrap());
        if inhibitors.iter().any(|i| i == name) {
            assert_eq!(kept, bound + margin, "{name}: keep_firing_for (inhibitor)");
        } else {
            assert_eq!(kept, bound, "{name}: keep_firing_for");
        }
    }
}
