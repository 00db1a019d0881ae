//! Shared helpers of the monitoring-content tests (`rules` and `dashboards`, in tests/it/ and in
//! tests/tools/, and the Prometheus end-to-end test): loading the repository's YAML/JSON files,
//! the files scripts/mixin renders and their expressions, the dashboards' panels and variables,
//! and a small PromQL scanner that finds the selectors, range selectors and functions of an
//! expression without evaluating it. What needs jsonnet (the mixin's `_config`) is in
//! tests/tools/mixin.rs.
//!
//! The scanner is deliberately simple: it knows PromQL's lexical structure (strings, `{...}`
//! matchers, `[...]` ranges, identifiers, parentheses) and its keywords, which is all the lint
//! needs. Whether an expression is valid PromQL is left to promtool.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root (this crate's manifest directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parse a YAML file of the repository into a JSON value (all our YAML has string keys).
pub fn yaml(rel: &str) -> Value {
    serde_norway::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

pub fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid JSON: {e}"))
}

/// Files directly in `dir` (relative to the root) whose names end with `suffix`, sorted, as
/// paths relative to the root.
pub fn files(dir: &str, suffix: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(suffix))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    out.sort();
    out
}

/// Run a command in the repository root; panic with its output if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

pub fn output_text(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A scratch directory under the system temp dir, unique to this process and `name`.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("porla-exporter-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// --- the metrics contract and the rule files -------------------------------------------------

/// Every metric name in docs/metrics.md (backticked `porla_...` words).
pub fn contract_metrics() -> BTreeSet<String> {
    let text = read("docs/metrics.md");
    let mut out = BTreeSet::new();
    for chunk in text.split('`').skip(1).step_by(2) {
        let name: String = chunk
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.starts_with("porla_") && name.len() > "porla_".len() {
            out.insert(name);
        }
    }
    assert!(
        out.contains("porla_up"),
        "docs/metrics.md should list porla_up"
    );
    out
}

pub const ALERT_RULES: &str = "rules/porla-exporter.rules.yml";
pub const RECORDING_RULES: &str = "rules/porla-exporter.recording.yml";
pub const GRAFANA_ALERTS: &str = "alerting/grafana/porla-alerts.yaml";

/// All rules (alerting or recording) of a Prometheus rule file.
pub fn prometheus_rules(rel: &str) -> Vec<Value> {
    let doc = yaml(rel);
    let groups = doc["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("{rel}: no groups"));
    groups
        .iter()
        .flat_map(|g| {
            g["rules"]
                .as_array()
                .unwrap_or_else(|| panic!("{rel}: group without rules"))
                .clone()
        })
        .collect()
}

pub fn recording_rule_names() -> BTreeSet<String> {
    prometheus_rules(RECORDING_RULES)
        .iter()
        .map(|r| {
            r["record"]
                .as_str()
                .expect("recording rule without record")
                .to_string()
        })
        .collect()
}

/// Seconds of a Prometheus-style duration made of whole s, m and h parts ("10m", "1h30m").
pub fn duration_seconds(d: &str) -> u64 {
    let (mut total, mut n) = (0, 0);
    for c in d.chars() {
        match c {
            '0'..='9' => n = n * 10 + u64::from(c.to_digit(10).unwrap()),
            's' | 'm' | 'h' => {
                let unit = match c {
                    's' => 1,
                    'm' => 60,
                    _ => 3600,
                };
                total += n * unit;
                n = 0;
            }
            _ => panic!("unexpected duration {d}"),
        }
    }
    total
}

/// Metrics that issue 13 moves behind an opt-in flag: no rule, alert or dashboard may read
/// them, or it would be empty for most users.
pub const OPT_IN_METRICS: &[&str] = &[
    "porla_tracker_min_announce_timestamp_seconds",
    "porla_tracker_verified",
    "porla_tracker_updating",
];

// --- the files scripts/mixin renders --------------------------------------------------------

/// The files scripts/mixin renders, relative to the repository root.
pub const RENDERED: &[&str] = &[
    ALERT_RULES,
    RECORDING_RULES,
    GRAFANA_ALERTS,
    "dashboards/porla-capacity.json",
    "dashboards/porla-fleet.json",
    "dashboards/porla-tracker-drilldown.json",
    "dashboards/porla-tracker-health.json",
];

/// Every PromQL expression of a rendered tree (rules, Grafana alerts, dashboard targets and
/// variables), with the file it comes from.
pub fn rendered_exprs(dir: &Path) -> Vec<(String, String)> {
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

// --- PromQL scanning -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str,
    Num,
    Braces(String),
    Range(String),
    LParen,
    RParen,
    Other,
}

/// One vector selector: `metric{matchers}`, `metric` or `{matchers}`.
#[derive(Debug, Clone)]
pub struct Selector {
    pub metric: Option<String>,
    /// Matchers with whitespace outside strings removed, e.g. `job=~"$job"`.
    pub matchers: Vec<String>,
}

impl Selector {
    pub fn has(&self, matcher: &str) -> bool {
        self.matchers.iter().any(|m| m == matcher)
    }
}

/// One range `[...]`, with the function whose argument list directly contains it.
#[derive(Debug, Clone)]
pub struct RangeSel {
    pub function: Option<String>,
    pub range: String,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub selectors: Vec<Selector>,
    pub ranges: Vec<RangeSel>,
    pub functions: Vec<String>,
}

const MODIFIERS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];
const KEYWORDS: &[&str] = &[
    "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
];
const AGGREGATORS: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "count",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "quantile",
    "count_values",
    "group",
    "limitk",
    "limit_ratio",
];
/// Functions over a range whose window must follow the scrape interval.
pub const RATE_LIKE: &[&str] = &[
    "rate",
    "irate",
    "increase",
    "deriv",
    "delta",
    "idelta",
    "changes",
    "resets",
    "predict_linear",
    "holt_winters",
    "double_exponential_smoothing",
];

fn read_string(chars: &[char], start: usize) -> Result<usize, String> {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == '\\' && quote != '`' {
            i += 2;
            continue;
        }
        if chars[i] == quote {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err("unterminated string".into())
}

/// Index after the closing `close` of the group opened at `start`, skipping strings.
fn read_group(chars: &[char], start: usize, close: char) -> Result<usize, String> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' | '\'' | '`' => i = read_string(chars, i)?,
            c if c == close => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err(format!("unclosed `{}`", chars[start]))
}

fn tokenize(expr: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            // A comment runs to the end of the line.
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '\'' || c == '`' {
            i = read_string(&chars, i)?;
            toks.push(Tok::Str);
        } else if c == '{' {
            let end = read_group(&chars, i, '}')?;
            toks.push(Tok::Braces(chars[i + 1..end - 1].iter().collect()));
            i = end;
        } else if c == '[' {
            let end = read_group(&chars, i, ']')?;
            toks.push(Tok::Range(
                chars[i + 1..end - 1]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            ));
            i = end;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            toks.push(Tok::Num);
        } else if c == '$' {
            // A Grafana variable outside a string (e.g. `offset $__range`).
            i += 1;
            if chars.get(i) == Some(&'{') {
                i = read_group(&chars, i, '}')?;
            } else {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
            toks.push(Tok::Num);
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            toks.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c == '(' {
            toks.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            toks.push(Tok::RParen);
            i += 1;
        } else {
            toks.push(Tok::Other);
            i += 1;
        }
    }
    Ok(toks)
}

/// Remove whitespace outside strings.
pub fn normalize_matcher(m: &str) -> String {
    let chars: Vec<char> = m.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' | '\'' | '`' => {
                let end = read_string(&chars, i).unwrap_or(chars.len());
                out.extend(&chars[i..end]);
                i = end;
            }
            c if c.is_whitespace() => i += 1,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn split_matchers(content: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = content.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' | '\'' | '`' => i = read_string(&chars, i)?,
            ',' => {
                parts.push(chars[start..i].iter().collect::<String>());
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    parts.push(chars[start..].iter().collect());
    Ok(parts
        .iter()
        .map(|p| normalize_matcher(p))
        .filter(|p| !p.is_empty())
        .collect())
}

/// Find the selectors, ranges and functions of a PromQL expression.
pub fn scan(expr: &str) -> Result<Scan, String> {
    let toks = tokenize(expr)?;
    let mut scan = Scan::default();
    // Function (or None for a plain parenthesis) of each open parenthesis.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Ident(name) => {
                let lower = name.to_ascii_lowercase();
                let next = toks.get(i + 1);
                if MODIFIERS.contains(&name.as_str()) {
                    if next == Some(&Tok::LParen) {
                        // A label list: skip it.
                        let close = toks[i + 2..]
                            .iter()
                            .position(|t| *t == Tok::RParen)
                            .ok_or_else(|| format!("unclosed label list after `{name}`"))?;
                        i += 2 + close + 1;
                    } else {
                        i += 1;
                    }
                    continue;
                }
                if KEYWORDS.contains(&lower.as_str()) {
                    i += 1;
                    continue;
                }
                if next == Some(&Tok::LParen) {
                    scan.functions.push(name.clone());
                    stack.push(Some(name.clone()));
                    i += 2;
                    continue;
                }
                if AGGREGATORS.contains(&name.as_str()) {
                    // `sum by (...) (...)`: the modifier follows.
                    i += 1;
                    continue;
                }
                let matchers = match next {
                    Some(Tok::Braces(content)) => {
                        i += 1;
                        split_matchers(content)?
                    }
                    _ => Vec::new(),
                };
                scan.selectors.push(Selector {
                    metric: Some(name.clone()),
                    matchers,
                });
                i += 1;
            }
            Tok::Braces(content) => {
                scan.selectors.push(Selector {
                    metric: None,
                    matchers: split_matchers(content)?,
                });
                i += 1;
            }
            Tok::LParen => {
                stack.push(None);
                i += 1;
            }
            Tok::RParen => {
                stack.pop().ok_or("unbalanced `)`")?;
                i += 1;
            }
            Tok::Range(range) => {
                scan.ranges.push(RangeSel {
                    function: stack.last().cloned().flatten(),
                    range: range.clone(),
                });
                i += 1;
            }
            Tok::Str | Tok::Num | Tok::Other => i += 1,
        }
    }
    if !stack.is_empty() {
        return Err("unclosed `(`".into());
    }
    Ok(scan)
}

/// Names of the Grafana variables (`$name`, `${name}`, `${name:format}`) in a text.
pub fn template_variables(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' {
            let braced = chars.get(i + 1) == Some(&'{');
            let mut j = i + 1 + usize::from(braced);
            let start = j;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            // `$1` (regex group references in label_replace) is not a variable.
            if name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            {
                out.insert(name);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

// ---- dashboards: panels, variables and their expressions

/// The dashboards (file, uid), in the order the tests walk them.
pub const DASHBOARDS: &[(&str, &str)] = &[
    (
        "dashboards/porla-tracker-health.json",
        "porla-tracker-health",
    ),
    (
        "dashboards/porla-tracker-drilldown.json",
        "porla-tracker-drilldown",
    ),
    ("dashboards/porla-capacity.json", "porla-capacity"),
    ("dashboards/porla-fleet.json", "porla-fleet"),
];

/// The dashboards, parsed; fails if dashboards/ holds another set of files.
pub fn dashboards() -> Vec<(String, Value)> {
    let found = files("dashboards", ".json");
    let expected: Vec<_> = DASHBOARDS.iter().map(|(f, _)| f.to_string()).collect();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    assert_eq!(found, sorted_expected, "unexpected set of dashboards");
    expected
        .into_iter()
        .map(|rel| (rel.clone(), json(&rel)))
        .collect()
}

/// The variable `name` of a dashboard, if it has one.
pub fn variable<'a>(dashboard: &'a Value, name: &str) -> Option<&'a Value> {
    variables(dashboard).iter().find(|v| v["name"] == name)
}

/// All panels, including those nested in collapsed rows.
pub fn panels(dashboard: &Value) -> Vec<&Value> {
    fn walk<'a>(list: &'a Value, out: &mut Vec<&'a Value>) {
        for panel in list.as_array().into_iter().flatten() {
            out.push(panel);
            walk(&panel["panels"], out);
        }
    }
    let mut out = Vec::new();
    walk(&dashboard["panels"], &mut out);
    out
}

pub fn variables(dashboard: &Value) -> &Vec<Value> {
    dashboard["templating"]["list"]
        .as_array()
        .expect("templating.list")
}

pub fn variable_query(var: &Value) -> String {
    match &var["query"] {
        Value::String(s) => s.clone(),
        Value::Object(o) => o["query"].as_str().unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

/// (where, expr) of every panel target, then the selector of every query variable.
pub fn panel_and_variable_exprs(rel: &str, dashboard: &Value) -> Vec<(String, String)> {
    let mut exprs = panel_exprs(rel, dashboard);
    for var in variables(dashboard).iter().filter(|v| v["type"] == "query") {
        let (selector, _) = label_values_parts(&variable_query(var)).unwrap();
        exprs.push((format!("{rel} variable {}", var["name"]), selector));
    }
    exprs
}

/// (where, expr) of every panel target.
pub fn panel_exprs(rel: &str, dashboard: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for panel in panels(dashboard) {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"]
                .as_str()
                .unwrap_or_else(|| panic!("{rel} panel {}: target without expr", panel["id"]));
            out.push((
                format!(
                    "{rel} panel {} ({}) target {}",
                    panel["id"], panel["title"], target["refId"]
                ),
                expr.to_string(),
            ));
        }
    }
    out
}

/// Split `label_values(<selector>, <label>)` into the selector and the label.
pub fn label_values_parts(query: &str) -> Option<(String, String)> {
    let inner = query
        .trim()
        .strip_prefix("label_values(")?
        .strip_suffix(')')?;
    let (selector, label) = inner.rsplit_once(',')?;
    Some((selector.trim().to_string(), label.trim().to_string()))
}

/// Self-test of the scanner, so that a broken scanner cannot make the lints pass vacuously.
#[test]
fn scanner_works() {
    let s = scan(
        r#"topk(20, sum by (job, instance) (rate(a_total{job=~"$job",instance=~"$instance"}[$__rate_interval])) * on (job, instance) group_left (name) b{job=~"$job"} or vector(0)) > bool 1 unless c"#,
    )
    .unwrap();
    let metrics: Vec<_> = s
        .selectors
        .iter()
        .map(|x| x.metric.clone().unwrap())
        .collect();
    assert_eq!(metrics, ["a_total", "b", "c"]);
    assert!(s.selectors[0].has(r#"job=~"$job""#) && s.selectors[0].has(r#"instance=~"$instance""#));
    assert!(!s.selectors[1].has(r#"instance=~"$instance""#));
    assert!(s.selectors[2].matchers.is_empty());
    assert_eq!(s.ranges.len(), 1);
    assert_eq!(s.ranges[0].function.as_deref(), Some("rate"));
    assert_eq!(s.ranges[0].range, "$__rate_interval");
    assert!(
        s.functions.contains(&"topk".to_string()) && s.functions.contains(&"vector".to_string())
    );

    let s = scan(
        r#"deriv(sum without (status) (porla:x:sum{ job = "a" , status!~"b,c" })[5m:]) - time()"#,
    )
    .unwrap();
    assert_eq!(s.selectors.len(), 1);
    assert_eq!(s.selectors[0].metric.as_deref(), Some("porla:x:sum"));
    assert_eq!(s.selectors[0].matchers, [r#"job="a""#, r#"status!~"b,c""#]);
    assert_eq!(s.ranges[0].function.as_deref(), Some("deriv"));

    let s = scan(r#"{__name__=~"porla_.*"} offset 5m"#).unwrap();
    assert_eq!(s.selectors.len(), 1);
    assert!(s.selectors[0].metric.is_none());
    assert!(scan("sum(a").is_err());

    assert_eq!(
        template_variables(
            r#"a{x=~"$job",y="${instance}",z="${tracker_host:regex}"}[$__rate_interval] "$1""#
        ),
        ["__rate_interval", "instance", "job", "tracker_host"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(
        label_values_parts(r#"label_values(porla_up{job=~"$job"}, instance)"#),
        Some((
            r#"porla_up{job=~"$job"}"#.to_string(),
            "instance".to_string()
        ))
    );
}
