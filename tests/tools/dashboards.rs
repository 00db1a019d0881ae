//! The dashboards' conventions that need jsonnet or promtool: their uids are the mixin's
//! `_config.dashboardUids`, every selector carries the mixin's job selector, and every query
//! parses as PromQL (tests/it/dashboards.rs checks the rest of docs/dashboards.md's promises).

use crate::engines::substitute;
use crate::mixin::*;
use crate::monitoring::*;
use crate::support::tools::promtool;

use std::collections::BTreeSet;
use std::process::Command;

const JOB: &str = r#"job=~"$job""#;
const INSTANCE: &str = r#"instance=~"$instance""#;

#[test]
fn dashboards_have_stable_uids_titles_and_schema() {
    let configured: BTreeSet<String> = config_dashboards()
        .into_iter()
        .map(|(_, uid)| uid)
        .collect();
    let mut uids = BTreeSet::new();
    for ((rel, d), (_, uid)) in dashboards().iter().zip(DASHBOARDS) {
        assert_eq!(d["uid"], *uid, "{rel}: uid");
        assert!(
            configured.contains(*uid),
            "{rel}: uid {uid} missing from the mixin's _config.dashboardUids"
        );
        assert!(uids.insert(uid.to_string()));
        assert!(
            d["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{rel}: title"
        );
        assert!(
            d["description"].as_str().is_some_and(|t| !t.is_empty()),
            "{rel}: description"
        );
        let schema = d["schemaVersion"].as_i64().unwrap_or(0);
        assert!((36..=41).contains(&schema), "{rel}: schemaVersion {schema}");
        assert!(
            d["id"].is_null(),
            "{rel}: id must be null so that the file imports anywhere"
        );
        assert!(
            d.get("__inputs").is_none(),
            "{rel}: the datasource variable replaces __inputs"
        );
    }
    assert_eq!(
        configured.len(),
        DASHBOARDS.len(),
        "the mixin's _config.dashboardUids names other dashboards"
    );
}

#[test]
fn every_selector_filters_on_job_and_instance() {
    // The mixin's job selector, then the $job and $instance variables.
    let configured = config_matchers();
    for (rel, d) in dashboards() {
        let host_var = variable(&d, "tracker_host").is_some();
        for (place, expr) in panel_exprs(&rel, &d) {
            let scan = scan(&expr).unwrap_or_else(|e| panic!("{place}: cannot scan {expr}: {e}"));
            assert!(!scan.selectors.is_empty(), "{place}: no selector in {expr}");
            for sel in &scan.selectors {
                let name = sel.metric.as_deref().unwrap_or("{...}");
                assert!(
                    sel.has(&configured) && sel.has(JOB) && sel.has(INSTANCE),
                    "{place}: {name} lacks {configured}, {JOB} and {INSTANCE}: {expr}"
                );
                if host_var {
                    assert!(
                        sel.has(r#"tracker_host="$tracker_host""#)
                            || !name.starts_with("porla_tracker"),
                        "{place}: {name} should filter on tracker_host=\"$tracker_host\": {expr}"
                    );
                }
            }
        }
    }
}

/// Every panel query and variable query, with the variables replaced, parses as PromQL.
#[test]
fn dashboard_exprs_parse() {
    let promtool = promtool();
    let mut yaml = String::from("groups:\n  - name: dashboard-exprs\n    rules:\n");
    let mut places = Vec::new();
    for (rel, d) in dashboards() {
        for (place, expr) in panel_and_variable_exprs(&rel, &d) {
            let quoted = serde_json::to_string(&substitute(&expr, "tracker.example.org")).unwrap();
            yaml.push_str(&format!(
                "      - record: expr_{}\n        expr: {quoted}\n",
                places.len()
            ));
            places.push(place);
        }
    }
    let dir = scratch_dir("dashboard-exprs");
    let file = dir.join("exprs.yml");
    std::fs::write(&file, yaml).unwrap();
    let out = run(Command::new(&promtool).args(["check", "rules"]).arg(&file));
    assert!(
        out.status.success(),
        "some dashboard query is not valid PromQL (expr_N = place N of {places:#?})\n{}",
        output_text(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}
