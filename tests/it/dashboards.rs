//! Lint of the Grafana dashboards (dashboards/*.json) and of the Grafana provisioning files
//! (dashboards/provisioning/, alerting/grafana/).
//!
//! The conventions checked here are the ones docs/dashboards.md promises: a `datasource`
//! variable used by every panel, target and query variable (no hard-coded data source uid);
//! the mixin's job selector and the `job` and `instance` variables applied to every selector; a
//! unit and a description on every panel; `$__rate_interval` in every rate-like range; unique panel
//! ids. The checks that need promtool or jsonnet (the mixin's `_config`) are in
//! tests/tools/dashboards.rs.

use crate::monitoring;

use std::collections::{BTreeMap, BTreeSet};

use monitoring::*;
use porla_exporter::classify::ErrorClass;
use serde_json::{json, Value};

const ALLOWED_VARIABLES: &[&str] = &[
    "datasource",
    "job",
    "instance",
    "tracker_host",
    "__rate_interval",
    "__interval",
    "__range",
];

fn datasource_ref() -> Value {
    json!({"type": "prometheus", "uid": "${datasource}"})
}

#[test]
fn datasource_variable_is_used_everywhere() {
    for (rel, d) in dashboards() {
        let ds =
            variable(&d, "datasource").unwrap_or_else(|| panic!("{rel}: no datasource variable"));
        assert_eq!(ds["type"], "datasource", "{rel}: datasource variable type");
        assert_eq!(
            ds["query"], "prometheus",
            "{rel}: datasource variable query"
        );

        for panel in panels(&d) {
            let id = &panel["id"];
            assert_eq!(
                panel["datasource"],
                datasource_ref(),
                "{rel} panel {id}: datasource"
            );
            let targets = panel["targets"]
                .as_array()
                .unwrap_or_else(|| panic!("{rel} panel {id}: no targets"));
            assert!(!targets.is_empty(), "{rel} panel {id}: no targets");
            for target in targets {
                assert_eq!(
                    target["datasource"],
                    datasource_ref(),
                    "{rel} panel {id} target {}: datasource",
                    target["refId"]
                );
            }
        }
        for var in variables(&d).iter().filter(|v| v["type"] == "query") {
            assert_eq!(
                var["datasource"],
                datasource_ref(),
                "{rel} variable {}: datasource",
                var["name"]
            );
        }
    }
}

/// Anywhere in the JSON: a `datasource` is the variable reference, never a fixed uid or name.
#[test]
fn no_hard_coded_datasource_uid() {
    fn walk(rel: &str, path: &str, v: &Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let here = format!("{path}.{k}");
                    if k == "datasource" && !(child.is_object() && child.get("query").is_some()) {
                        match child {
                            Value::Object(ds) => assert_eq!(
                                ds.get("uid").and_then(Value::as_str),
                                Some("${datasource}"),
                                "{rel}: {here} has a fixed data source"
                            ),
                            Value::String(s) => {
                                panic!("{rel}: {here} = {s:?}: use the datasource variable")
                            }
                            Value::Null => {}
                            other => panic!("{rel}: {here} = {other}"),
                        }
                    }
                    if k == "datasourceUid" {
                        panic!("{rel}: {here} is a fixed data source uid");
                    }
                    walk(rel, &here, child);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(rel, &format!("{path}[{i}]"), child);
                }
            }
            _ => {}
        }
    }
    for (rel, d) in dashboards() {
        walk(&rel, "", &d);
    }
}

#[test]
fn job_and_instance_variables_are_multi_select_queries() {
    for (rel, d) in dashboards() {
        for name in ["job", "instance"] {
            let var = variable(&d, name).unwrap_or_else(|| panic!("{rel}: no {name} variable"));
            assert_eq!(var["type"], "query", "{rel}: {name} type");
            assert_eq!(var["multi"], true, "{rel}: {name} multi");
            assert_eq!(var["includeAll"], true, "{rel}: {name} includeAll");
            assert!(
                label_values_parts(&variable_query(var)).is_some(),
                "{rel}: {name} should use label_values()"
            );
        }
        // Variables are ordered so that each can filter on the ones before it.
        let order: Vec<_> = variables(&d)
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            order[..3],
            ["datasource", "job", "instance"],
            "{rel}: variable order"
        );
    }
    let (rel, drilldown) = &dashboards()[1];
    let host = variable(drilldown, "tracker_host")
        .unwrap_or_else(|| panic!("{rel}: no tracker_host variable"));
    let (selector, label) =
        label_values_parts(&variable_query(host)).expect("tracker_host uses label_values()");
    assert_eq!(label, "tracker_host");
    assert!(
        selector.starts_with("porla_tracker_host_torrents{"),
        "{rel}: tracker_host from {selector}"
    );
}

#[test]
fn variable_queries_filter_on_the_variables_before_them() {
    for (rel, d) in dashboards() {
        let mut before: Vec<String> = Vec::new();
        for var in variables(&d) {
            let name = var["name"].as_str().unwrap().to_string();
            if var["type"] == "query" {
                let query = variable_query(var);
                let (selector, _) =
                    label_values_parts(&query).unwrap_or_else(|| panic!("{rel}: {name}: {query}"));
                let scan = scan(&selector).unwrap_or_else(|e| panic!("{rel}: {name}: {e}"));
                assert_eq!(
                    scan.selectors.len(),
                    1,
                    "{rel}: {name}: one selector expected in {query}"
                );
                for earlier in before.iter().filter(|v| *v == "job" || *v == "instance") {
                    let matcher = format!(r#"{earlier}=~"${earlier}""#);
                    assert!(
                        scan.selectors[0].has(&matcher),
                        "{rel}: variable {name} should filter on {matcher}: {query}"
                    );
                }
            }
            before.push(name);
        }
    }
}

#[test]
fn panels_have_title_description_unit_and_position() {
    for (rel, d) in dashboards() {
        for panel in panels(&d) {
            let id = &panel["id"];
            assert!(
                panel["title"]
                    .as_str()
                    .is_some_and(|t| !t.trim().is_empty()),
                "{rel} panel {id}: title"
            );
            assert!(
                panel["description"]
                    .as_str()
                    .is_some_and(|t| t.trim().len() >= 20),
                "{rel} panel {id}: description"
            );
            assert!(
                panel["fieldConfig"]["defaults"]["unit"]
                    .as_str()
                    .is_some_and(|u| !u.is_empty()),
                "{rel} panel {id}: fieldConfig.defaults.unit"
            );
            let grid = &panel["gridPos"];
            for key in ["x", "y", "w", "h"] {
                assert!(grid[key].is_u64(), "{rel} panel {id}: gridPos.{key}");
            }
            let (x, w) = (grid["x"].as_u64().unwrap(), grid["w"].as_u64().unwrap());
            assert!(
                w > 0 && x + w <= 24,
                "{rel} panel {id}: gridPos outside the 24 columns"
            );
        }
    }
}

#[test]
fn panel_ids_are_unique() {
    for (rel, d) in dashboards() {
        let mut seen = BTreeSet::new();
        for panel in panels(&d) {
            let id = panel["id"]
                .as_u64()
                .unwrap_or_else(|| panic!("{rel}: panel {} without numeric id", panel["title"]));
            assert!(seen.insert(id), "{rel}: panel id {id} used twice");
        }
    }
}

#[test]
fn range_functions_use_rate_interval() {
    for (rel, d) in dashboards() {
        for (place, expr) in panel_exprs(&rel, &d) {
            for range in scan(&expr).unwrap().ranges {
                let function = range.function.as_deref().unwrap_or("");
                if RATE_LIKE.contains(&function) {
                    assert_eq!(
                        range.range, "$__rate_interval",
                        "{place}: {function}() must use [$__rate_interval]: {expr}"
                    );
                } else {
                    assert!(
                        ["$__rate_interval", "$__interval", "$__range"]
                            .contains(&range.range.as_str()),
                        "{place}: range [{}] should be a Grafana interval variable: {expr}",
                        range.range
                    );
                }
            }
        }
    }
}

#[test]
fn only_known_template_variables_are_used() {
    for (rel, d) in dashboards() {
        let defined: BTreeSet<String> = variables(&d)
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect();
        let mut texts = panel_exprs(&rel, &d);
        for var in variables(&d).iter().filter(|v| v["type"] == "query") {
            texts.push((
                format!("{rel} variable {}", var["name"]),
                variable_query(var),
            ));
        }
        for (place, text) in texts {
            for name in template_variables(&text) {
                assert!(
                    ALLOWED_VARIABLES.contains(&name.as_str()),
                    "{place}: ${name} is not an allowed variable"
                );
                assert!(
                    name.starts_with("__") || defined.contains(&name),
                    "{place}: ${name} is not defined"
                );
            }
        }
    }
}

/// Prometheus' own series of a scrape target (prometheus/prometheus scrape/scrape.go): the
/// Capacity dashboard's "what monitoring costs" panels read them for the exporter's job.
const SCRAPE_SERIES: &[&str] = &[
    "scrape_samples_scraped",
    "scrape_duration_seconds",
    "scrape_samples_post_metric_relabeling",
];

#[test]
fn dashboards_use_only_contract_metrics_and_recording_rules() {
    let contract = contract_metrics();
    let recorded = recording_rule_names();
    let mut used_recorded = BTreeSet::new();
    for (rel, d) in dashboards() {
        for (place, expr) in panel_and_variable_exprs(&rel, &d) {
            for sel in scan(&expr).unwrap().selectors {
                let metric = sel
                    .metric
                    .unwrap_or_else(|| panic!("{place}: selector without metric name: {expr}"));
                if recorded.contains(&metric) {
                    used_recorded.insert(metric);
                } else if !SCRAPE_SERIES.contains(&metric.as_str()) {
                    assert!(
                        contract.contains(&metric),
                        "{place}: {metric} is neither in docs/metrics.md nor a recording rule"
                    );
                }
            }
        }
    }
    assert!(
        !used_recorded.is_empty(),
        "the dashboards should use the recording rules"
    );
}

#[test]
fn grafana_alert_file_has_the_required_fields() {
    let doc = yaml(GRAFANA_ALERTS);
    assert_eq!(doc["apiVersion"], 1, "apiVersion");
    let groups = doc["groups"].as_array().expect("groups");
    assert!(!groups.is_empty());
    let mut uids = BTreeSet::new();
    let all: usize = groups
        .iter()
        .map(|g| g["rules"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(all >= 6, "expected the full alert set");
    for group in groups {
        for key in ["name", "folder", "interval"] {
            assert!(
                group[key].as_str().is_some_and(|s| !s.is_empty()),
                "group {key}"
            );
        }
        assert!(group["orgId"].is_u64(), "group orgId");
        let rules = group["rules"].as_array().expect("group rules");
        assert!(!rules.is_empty(), "group without rules");
        for rule in rules {
            let title = rule["title"].as_str().expect("rule title");
            let uid = rule["uid"].as_str().expect("rule uid");
            assert!(
                uid.len() <= 40 && uids.insert(uid.to_string()),
                "{title}: uid {uid} too long or duplicated"
            );
            assert!(
                rule["for"].as_str().is_some_and(|s| !s.is_empty()),
                "{title}: for"
            );
            assert!(
                rule["annotations"]["summary"]
                    .as_str()
                    .is_some_and(|s| !s.is_empty()),
                "{title}: summary"
            );
            assert!(
                rule["annotations"]["description"].is_string(),
                "{title}: description"
            );
            assert!(
                rule["annotations"]["runbook_url"].is_string(),
                "{title}: runbook_url"
            );
            assert!(rule["labels"]["severity"].is_string(), "{title}: severity");
            assert!(
                ["OK", "NoData", "Alerting", "KeepLast"]
                    .contains(&rule["noDataState"].as_str().unwrap_or("")),
                "{title}: noDataState"
            );
            assert!(
                ["OK", "Error", "Alerting", "KeepLast"]
                    .contains(&rule["execErrState"].as_str().unwrap_or("")),
                "{title}: execErrState"
            );
            let data = rule["data"].as_array().expect("rule data");
            let condition = rule["condition"].as_str().expect("rule condition");
            assert!(
                data.iter().any(|q| q["refId"] == condition),
                "{title}: condition {condition} is not a query"
            );
            for query in data {
                let ds = query["datasourceUid"].as_str().expect("datasourceUid");
                if query["model"]["expr"].is_string() {
                    assert_eq!(
                        ds, "${DS_PROMETHEUS_UID}",
                        "{title}: Prometheus queries use the placeholder uid"
                    );
                } else {
                    assert_eq!(ds, "__expr__", "{title}: expressions use __expr__");
                }
                assert_eq!(query["refId"], query["model"]["refId"], "{title}: refId");
            }
        }
    }
}

/// The links from alerts to dashboard panels (Grafana's __dashboardUid__/__panelId__ and the
/// Prometheus `dashboard` annotation) point at panels that exist.
#[test]
fn alert_links_point_at_existing_panels() {
    let mut panel_ids: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for (_, d) in dashboards() {
        panel_ids.insert(
            d["uid"].as_str().unwrap().to_string(),
            panels(&d)
                .iter()
                .map(|p| p["id"].as_u64().unwrap())
                .collect(),
        );
    }
    let exists = |uid: &str, id: u64| panel_ids.get(uid).is_some_and(|ids| ids.contains(&id));

    let doc = yaml(GRAFANA_ALERTS);
    for group in doc["groups"].as_array().unwrap() {
        for rule in group["rules"].as_array().unwrap() {
            let ann = &rule["annotations"];
            let uid = ann["__dashboardUid__"].as_str().expect("__dashboardUid__");
            let id: u64 = ann["__panelId__"]
                .as_str()
                .expect("__panelId__ is a string")
                .parse()
                .unwrap();
            assert!(
                exists(uid, id),
                "{}: no panel {id} in dashboard {uid}",
                rule["title"]
            );
        }
    }
    for rule in prometheus_rules(ALERT_RULES) {
        let link = rule["annotations"]["dashboard"]
            .as_str()
            .expect("dashboard annotation");
        let rest = link
            .split("/d/")
            .nth(1)
            .unwrap_or_else(|| panic!("{}: bad link {link}", rule["alert"]));
        let uid = rest.split(['/', '?']).next().unwrap();
        let id: u64 = rest
            .split("viewPanel=")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{}: no viewPanel in {link}", rule["alert"]));
        assert!(
            exists(uid, id),
            "{}: no panel {id} in dashboard {uid}",
            rule["alert"]
        );
    }
}

#[test]
fn grafana_example_and_provisioning_files_parse() {
    let contact = yaml("alerting/grafana/contact-points.example.yaml");
    assert_eq!(contact["apiVersion"], 1);
    let points = contact["contactPoints"].as_array().expect("contactPoints");
    let names: BTreeSet<_> = points.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for point in points {
        assert!(!point["receivers"].as_array().expect("receivers").is_empty());
    }

    let policies = yaml("alerting/grafana/notification-policies.example.yaml");
    assert_eq!(policies["apiVersion"], 1);
    let tree = &policies["policies"][0];
    assert!(tree["receiver"].is_string(), "root policy receiver");
    let porla = tree["routes"].as_array().expect("routes").iter().find(|r| {
        r["object_matchers"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m[0] == "grafana_folder")
    });
    let porla = porla.expect("a route for the Porla folder");
    assert!(
        names.contains(porla["receiver"].as_str().unwrap()),
        "the Porla route uses the example contact point"
    );
    for rel in [
        "alerting/grafana/contact-points.example.yaml",
        "alerting/grafana/notification-policies.example.yaml",
    ] {
        assert!(
            read(rel).starts_with("# EXAMPLE"),
            "{rel} must say it is an example in its first line"
        );
    }
    let folder = &yaml(GRAFANA_ALERTS)["groups"][0]["folder"];
    assert_eq!(
        porla["object_matchers"][0][2], *folder,
        "the example route matches the alerts' folder"
    );

    let providers = yaml("dashboards/provisioning/dashboards.yaml");
    assert_eq!(providers["apiVersion"], 1);
    let provider = &providers["providers"][0];
    assert_eq!(provider["type"], "file");
    assert!(provider["options"]["path"]
        .as_str()
        .is_some_and(|p| p.starts_with('/')));

    let datasources = yaml("dashboards/provisioning/datasource.yaml");
    assert_eq!(datasources["apiVersion"], 1);
    assert_eq!(datasources["datasources"][0]["type"], "prometheus");
    assert_eq!(datasources["datasources"][0]["uid"], "prometheus");
}

/// The values of the `class` label the exporter serves (src/classify.rs).
fn exporter_classes() -> BTreeSet<String> {
    ErrorClass::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// The panels that show the tracker error class (a legend or a table column of the `class`
/// label of porla_tracker_host_errors or porla_tracker_last_error) colour every class the
/// exporter serves, and only those, by what to do (mixin/classes.libsonnet), and their
/// descriptions link the table of what each class means. A class added to the exporter but
/// not to the mixin, or one left over in the mixin, fails here.
#[test]
fn class_panels_colour_every_error_class_and_link_their_meaning() {
    let all = exporter_classes();
    let mut coloured = BTreeSet::new();
    for (rel, d) in dashboards() {
        for panel in panels(&d) {
            let id = &panel["id"];
            let overrides = panel["fieldConfig"]["overrides"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            // Value mappings of a table's `error class` column.
            let mapped: BTreeSet<String> = overrides
                .iter()
                .filter(|o| o["matcher"] == json!({"id": "byName", "options": "error class"}))
                .flat_map(|o| o["properties"].as_array().cloned().unwrap_or_default())
                .filter(|p| p["id"] == "mappings")
                .flat_map(|p| p["value"].as_array().cloned().unwrap_or_default())
                .flat_map(|m| {
                    m["options"]
                        .as_object()
                        .map(|o| o.keys().cloned().collect::<Vec<_>>())
                        .unwrap_or_default()
                })
                .collect();
            // Fixed colours of the series or matrix columns named after a class ("^timeout$",
            // "^timeout \(").
            let named: BTreeSet<String> = overrides
                .iter()
                .filter(|o| o["matcher"]["id"] == "byRegexp")
                .filter_map(|o| o["matcher"]["options"].as_str())
                .map(|re| {
                    re.trim_start_matches('^')
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect::<String>()
                })
                .collect();
            for set in [&mapped, &named] {
                if !set.is_disjoint(&all) {
                    assert_eq!(
                        set, &all,
                        "{rel} panel {id}: the coloured classes differ from the exporter's"
                    );
                    coloured.insert(format!("{rel} {id}"));
                }
            }
            let exprs: Vec<&str> = panel["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["expr"].as_str())
                .collect();
            let tracker_classes = exprs.iter().any(|e| {
                e.contains("porla_tracker_host_errors") || e.contains("porla_tracker_last_error")
            });
            let legend_or_column = panel["targets"].as_array().into_iter().flatten().any(|t| {
                t["legendFormat"]
                    .as_str()
                    .is_some_and(|l| l.contains("{{class}}"))
            }) || panel["transformations"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| {
                    t["options"]["renameByName"]["class"].is_string()
                        || t["options"]["columnField"] == "class"
                });
            if tracker_classes && legend_or_column {
                assert!(
                    panel["description"]
                        .as_str()
                        .is_some_and(|d| d.contains("docs/metrics.md#error-classes")),
                    "{rel} panel {id} shows error classes: its description should link docs/metrics.md#error-classes"
                );
            }
        }
    }
    assert!(
        coloured.len() >= 5,
        "expected the class panels of the health and drill-down dashboards to be coloured: {coloured:?}"
    );
}
