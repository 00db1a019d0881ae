//! The fleet dashboard (dashboards/porla-fleet.json) on a global Prometheus, and the data links
//! of every dashboard. Rust only (no promtool, no jsonnet): the files are read as they are
//! committed.
//!
//! - The fleet dashboard reads only series that the federation `match[]` of docs/deployment.md
//!   ("Federation") carries to a global Prometheus; the `match[]` lines are read from the doc.
//! - docs/dashboards.md ("Fleet dashboard") names exactly the series the dashboard reads, each
//!   with a `match[]` line of deployment.md that carries it.
//! - Data links (Grafana's fieldConfig `links`) open dashboards of this repository and carry the
//!   data source, `job`, `instance` and the time range, from fields the panel keeps.

use crate::monitoring::*;

use std::collections::BTreeSet;

use serde_json::Value;

const FLEET: &str = "dashboards/porla-fleet.json";

/// The `match[]` series selectors of the federation scrape config(s) in docs/deployment.md:
/// every ```yaml block of the doc whose scrape_configs have `params: match[]`.
fn federation_match() -> Vec<String> {
    let doc = read("docs/deployment.md");
    let mut out = Vec::new();
    for block in doc.split("```yaml\n").skip(1) {
        let block = &block[..block.find("```").expect("unclosed ```yaml block")];
        if !block.contains("match[]") {
            continue;
        }
        let v: Value = serde_norway::from_str(block)
            .unwrap_or_else(|e| panic!("a yaml block of docs/deployment.md: {e}\n{block}"));
        for job in v["scrape_configs"].as_array().into_iter().flatten() {
            for m in job["params"]["match[]"].as_array().into_iter().flatten() {
                out.push(m.as_str().expect("match[] entries are strings").to_owned());
            }
        }
    }
    assert!(
        !out.is_empty(),
        "no federation match[] found in docs/deployment.md"
    );
    out
}

/// Whether `name` matches the anchored Prometheus regex `pattern` (RE2, as label matchers use
/// it), for the small subset the documented match[] lines use: alternatives `a|b`, `.*`, `.`
/// and literal characters. Any other regex syntax panics, so that a new pattern is never
/// misread as a literal.
fn regex_matches(pattern: &str, name: &str) -> bool {
    fn matches(p: &[u8], s: &[u8]) -> bool {
        match p {
            [] => s.is_empty(),
            [b'.', b'*', rest @ ..] => (0..=s.len()).any(|i| matches(rest, &s[i..])),
            [b'.', rest @ ..] => !s.is_empty() && matches(rest, &s[1..]),
            [c, rest @ ..] => {
                assert!(
                    !b"\\+?*()[]{}^$".contains(c),
                    "regex syntax {:?} is beyond this test's matcher: extend regex_matches",
                    *c as char
                );
                s.first() == Some(c) && matches(rest, &s[1..])
            }
        }
    }
    pattern
        .split('|')
        .any(|alt| matches(alt.as_bytes(), name.as_bytes()))
}

/// Whether the series selector `selector` (one match[] entry) selects series named `metric`.
/// Only name matchers are supported (`name`, `{__name__="..."}`, `{__name__=~"..."}`): a
/// match[] with other matchers would need the label values too.
fn selects(selector: &str, metric: &str) -> bool {
    let scanned = scan(selector).unwrap_or_else(|e| panic!("match[] {selector}: {e}"));
    assert_eq!(
        scanned.selectors.len(),
        1,
        "match[] {selector}: one selector"
    );
    let sel = &scanned.selectors[0];
    let mut ok = sel.metric.as_deref().is_none_or(|m| m == metric);
    for m in &sel.matchers {
        let (op, value) = if let Some(v) = m.strip_prefix("__name__=~") {
            ("=~", v)
        } else if let Some(v) = m.strip_prefix("__name__=") {
            ("=", v)
        } else {
            panic!("match[] {selector}: matcher {m} is beyond this test (name matchers only)");
        };
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or_else(|| panic!("match[] {selector}: {m} is not a double-quoted value"));
        ok &= match op {
            "=" => value == metric,
            _ => regex_matches(value, metric),
        };
    }
    ok
}

/// The metric names every panel target and query variable of a dashboard reads.
fn series_read(rel: &str) -> BTreeSet<String> {
    let d = json(rel);
    let mut out = BTreeSet::new();
    for (place, expr) in panel_and_variable_exprs(rel, &d) {
        for sel in scan(&expr)
            .unwrap_or_else(|e| panic!("{place}: {e}"))
            .selectors
        {
            out.insert(
                sel.metric
                    .unwrap_or_else(|| panic!("{place}: selector without a name: {expr}")),
            );
        }
    }
    out
}

#[test]
fn match_subset_works() {
    assert!(regex_matches("porla.*:.*", "porla:instance_exporter_up"));
    assert!(!regex_matches("porla.*:.*", "porla_up"));
    assert!(regex_matches("a|b_.*", "b_c") && regex_matches("a|b_.*", "a"));
    assert!(!regex_matches("a|b_.*", "ab") && !regex_matches("a", "a_"));
    assert!(regex_matches("p.x", "p_x") && !regex_matches("p.x", "px"));
    assert!(std::panic::catch_unwind(|| regex_matches("porla_(up|torrents)", "porla_up")).is_err());
    assert!(selects(
        r#"{__name__=~"porla_up|porla_torrents"}"#,
        "porla_torrents"
    ));
    assert!(!selects(r#"{__name__=~"porla_up|porla_torrents"}"#, "up"));
    assert!(selects(r#"{__name__="up"}"#, "up") && !selects(r#"{__name__="up"}"#, "upx"));
    assert!(selects("porla_up", "porla_up") && !selects("porla_up", "porla_torrents"));
    assert!(std::panic::catch_unwind(|| selects(r#"{job="x"}"#, "up")).is_err());
}

/// A global Prometheus that federates with the documented match[] has every series the fleet
/// dashboard reads.
#[test]
fn fleet_dashboard_reads_only_series_the_documented_federation_carries() {
    let lines = federation_match();
    let read = series_read(FLEET);
    assert!(read.len() >= 4, "{FLEET}: too few series found: {read:?}");
    let missing: Vec<_> = read
        .iter()
        .filter(|m| !lines.iter().any(|l| selects(l, m)))
        .collect();
    assert!(
        missing.is_empty(),
        "{FLEET} reads {missing:?}, which no federation match[] of docs/deployment.md carries \
         ({lines:?}): read a recording rule (porla:..., carried) or extend the match[]"
    );
    // What it reads beyond porla_up and porla_torrents are recording rules of this repository.
    let recorded = recording_rule_names();
    for m in read.iter().filter(|m| m.contains(':')) {
        assert!(recorded.contains(m), "{FLEET}: {m} is not a recording rule");
    }
}

/// The table of docs/dashboards.md's fleet section: series → the match[] line quoted for it.
fn documented_fleet_series() -> Vec<(String, String)> {
    let doc = read("docs/dashboards.md");
    let heading = "## Fleet dashboard (global Prometheus)\n";
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/dashboards.md: no {heading:?}"));
    let section = &doc[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        // Cells split on `|` not escaped as `\|` (a regex alternative inside a cell).
        let cells: Vec<String> = line
            .replace(r"\|", "\u{0}")
            .split('|')
            .map(|c| c.trim().replace('\u{0}', "|"))
            .collect();
        let series = cells[1].trim_matches('`').to_owned();
        let quoted = cells[3].trim_matches('`').to_owned();
        rows.push((series, quoted));
    }
    rows
}

#[test]
fn fleet_section_of_the_docs_names_exactly_the_series_the_dashboard_reads() {
    let rows = documented_fleet_series();
    let documented: BTreeSet<String> = rows.iter().map(|(s, _)| s.clone()).collect();
    assert_eq!(
        documented.len(),
        rows.len(),
        "docs/dashboards.md: a series listed twice"
    );
    assert_eq!(
        documented,
        series_read(FLEET),
        "docs/dashboards.md's fleet table against what {FLEET} reads"
    );
    let lines = federation_match();
    for (series, quoted) in rows {
        assert!(
            lines.contains(&quoted),
            "docs/dashboards.md quotes {quoted} for {series}: not a match[] line of docs/deployment.md ({lines:?})"
        );
        assert!(
            selects(&quoted, &series),
            "docs/dashboards.md: {quoted} does not carry {series}"
        );
    }
}

/// `${name}`, `${name:format}` and `$name` references of a link text, as written (e.g.
/// `__data.fields.instance`, `__data.fields[0]`, `job:queryparam`).
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').expect("unclosed ${");
            out.push(inner[..end].to_owned());
            rest = &inner[end + 1..];
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

/// Every data link opens a dashboard of this repository with the data source, job, instance
/// and time range, and names only variables or fields the panel has.
#[test]
fn data_links_open_dashboards_with_their_variables() {
    let mut dashboards = std::collections::BTreeMap::new();
    for rel in files("dashboards", ".json") {
        let d = json(&rel);
        dashboards.insert(d["uid"].as_str().unwrap().to_owned(), (rel, d));
    }
    let mut fleet_links = 0;
    for (rel, d) in dashboards.values() {
        let own_vars: BTreeSet<String> = variables(d)
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect();
        for panel in panels(d) {
            let place = format!("{rel} panel {}", panel["id"]);
            let transformations = panel["transformations"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let excluded = |field: &str| {
                transformations
                    .iter()
                    .any(|t| t["id"] == "organize" && t["options"]["excludeByName"][field] == true)
            };
            let matrix_row = transformations
                .iter()
                .find(|t| t["id"] == "groupingToMatrix")
                .map(|t| t["options"]["rowField"].as_str().unwrap().to_owned());
            // The field a `${__data.fields...}` reference reads, or None for a variable.
            let field = |r: &str| -> Option<String> {
                let f = r.strip_prefix("__data.fields")?;
                if let Some(name) = f.strip_prefix('.') {
                    assert!(
                        !excluded(name),
                        "{place}: links read {name}, which organize hides"
                    );
                    assert!(
                        matrix_row.is_none(),
                        "{place}: a matrix has no field {name}: use __data.fields[0]"
                    );
                    Some(name.to_owned())
                } else {
                    assert_eq!(f, "[0]", "{place}: only field 0 by index");
                    Some(matrix_row.clone().unwrap_or_else(|| {
                        panic!("{place}: __data.fields[0] without a groupingToMatrix")
                    }))
                }
            };
            let links = panel["fieldConfig"]["defaults"]["links"]
                .as_array()
                .cloned();
            for link in links.into_iter().flatten() {
                let url = link["url"].as_str().expect("link url");
                let title = link["title"].as_str().expect("link title");
                let uid = url
                    .strip_prefix("/d/")
                    .and_then(|r| r.split(['/', '?']).next())
                    .unwrap_or_else(|| panic!("{place}: {url} is no /d/<uid>/ link"));
                let (_, target) = dashboards
                    .get(uid)
                    .unwrap_or_else(|| panic!("{place}: {url}: no dashboard with uid {uid}"));
                let target_vars: BTreeSet<String> = variables(target)
                    .iter()
                    .map(|v| v["name"].as_str().unwrap().to_owned())
                    .collect();
                let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
                let mut carried = BTreeSet::new();
                let mut time_range = false;
                for param in query.split('&') {
                    if let Some((key, value)) = param.split_once('=') {
                        let var = key
                            .strip_prefix("var-")
                            .unwrap_or_else(|| panic!("{place}: {url}: parameter {key}"));
                        let refs = references(value);
                        assert_eq!(refs.len(), 1, "{place}: {url}: {param}");
                        match field(&refs[0]) {
                            Some(f) => assert_eq!(f, var, "{place}: {url}: {param} reads {f}"),
                            None => assert_eq!(refs[0], var, "{place}: {url}: {param}"),
                        }
                        carried.insert(var.to_owned());
                    } else {
                        let refs = references(param);
                        assert_eq!(refs.len(), 1, "{place}: {url}: {param}");
                        match refs[0].split_once(':') {
                            Some((var, "queryparam")) => {
                                carried.insert(var.to_owned());
                            }
                            _ if refs[0] == "__url_time_range" => time_range = true,
                            _ => panic!("{place}: {url}: {param}"),
                        }
                    }
                }
                for var in &carried {
                    assert!(
                        target_vars.contains(var),
                        "{place}: {url} sets {var}, which {uid} does not have"
                    );
                    assert!(
                        own_vars.contains(var),
                        "{place}: {url} carries {var}, which {rel} does not have"
                    );
                }
                for var in ["datasource", "job", "instance"] {
                    assert!(carried.contains(var), "{place}: {url} does not carry {var}");
                }
                assert!(time_range, "{place}: {url} drops the time range");
                for r in references(title) {
                    assert!(
                        field(&r).is_some() || own_vars.contains(&r),
                        "{place}: link title {title}: {r}"
                    );
                }
                if rel == FLEET && uid == "porla-tracker-health" {
                    fleet_links += 1;
                }
            }
        }
    }
    assert!(
        fleet_links >= 2,
        "both fleet tables should link every row to the tracker health dashboard"
    );
}
