//! The documentation speaks to its readers: no issue numbers or other references into this
//! project's own history, no bare section numbers of another page, and the dashboards and panels
//! docs/alerts.md sends a reader to are named as Grafana shows them.

use crate::monitoring::{files, json, read, root};

use std::collections::BTreeSet;
use std::path::Path;

/// docs/*.md, README.md and every README under deploy/ (relative to the root).
fn user_docs() -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let path = format!("{rel}/{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &path, out);
            } else if name.starts_with("README") {
                out.push(path);
            }
        }
    }
    let mut docs = files("docs", ".md");
    docs.push("README.md".into());
    walk(&root().join("deploy"), "deploy", &mut docs);
    assert!(docs.iter().any(|d| d.starts_with("deploy/")));
    docs
}

/// The places in `text` that speak of this project's issues: "issue 17", "Issue #17",
/// "issues 13 and 20". A link to another project's issue tracker is a source, and fine, and so is
/// another project's pull request ("Porla's PR #373").
fn issue_references(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"(?i)\bissues?\s+#?\d+").unwrap();
    text.lines()
        .filter(|l| !l.contains("/issues/") && !l.contains("/pull/"))
        .flat_map(|l| re.find_iter(l).map(|m| m.as_str().trim().to_string()))
        .collect()
}

#[test]
fn the_issue_check_finds_what_it_names() {
    let found = issue_references(
        "As issue 17 says.\nIssue #3, issues 13 and 20.\nSee PR #12, port 10337, an issue in 2 places",
    );
    assert_eq!(found, ["issue 17", "Issue #3", "issues 13"]);
    assert!(issue_references("https://github.com/o/r/issues/12 (issue 12 there)").is_empty());
}

#[test]
fn user_docs_name_no_issue_of_this_project() {
    for doc in user_docs() {
        let found = issue_references(&read(&doc));
        assert!(
            found.is_empty(),
            "{doc} speaks of this project's issues, which mean nothing to a reader: {found:?}"
        );
    }
}

#[test]
fn user_docs_cite_sections_of_other_pages_by_link() {
    // docs/porla.md numbers its sections and refers to them as §N itself; another page links to
    // the section instead of writing "docs/porla.md §5.3".
    for doc in user_docs() {
        if doc == "docs/porla.md" {
            continue;
        }
        let text = read(&doc);
        let bad: Vec<&str> = text.lines().filter(|l| l.contains('§')).collect();
        assert!(
            bad.is_empty(),
            "{doc}: a section number of another page; link to it instead: {bad:?}"
        );
    }
}

#[test]
fn alerts_doc_names_real_dashboards_and_panels() {
    // Every *italic* phrase of docs/alerts.md is a dashboard title or a panel title, as Grafana
    // shows them, except the few listed here, which are not.
    const NOT_GRAFANA: &[&str] = &["Status → Targets", "Targets", "and"];
    let mut titles = BTreeSet::new();
    for rel in files("dashboards", ".json") {
        let d = json(&rel);
        titles.insert(d["title"].as_str().unwrap().to_string());
        let mut panels: Vec<&serde_json::Value> = d["panels"].as_array().unwrap().iter().collect();
        while let Some(p) = panels.pop() {
            titles.insert(p["title"].as_str().unwrap_or_default().to_string());
            panels.extend(p["panels"].as_array().into_iter().flatten());
        }
    }
    // A single * on each side (not **bold**), the phrase may wrap onto the next line.
    let text = read("docs/alerts.md")
        .replace("\n  ", " ")
        .replace('\n', " ");
    let re = regex::Regex::new(r"(?:^|[^*\w])\*([^*\s][^*]*?[^*\s]|[^*\s])\*(?:[^*\w]|$)").unwrap();
    let mut named = 0;
    for c in re.captures_iter(&text) {
        let phrase = &c[1];
        if NOT_GRAFANA.contains(&phrase) {
            continue;
        }
        named += 1;
        assert!(
            titles.contains(phrase),
            "docs/alerts.md names *{phrase}*, which is no dashboard or panel title"
        );
    }
    assert!(named >= 5, "found only {named} dashboard or panel names");
    assert!(
        text.contains("*Porla / Tracker health*"),
        "the health dashboard by its title"
    );
}
