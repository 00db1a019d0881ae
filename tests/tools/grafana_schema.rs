//! Every rendered dashboard checked by Grafana's own schema: the TypeScript types of
//! `@grafana/schema` (npm, Apache-2.0), pinned with its lock file in tests/tools/grafana-schema/.
//! Each dashboard is written as a typed literal, the dashboard model and each panel's `options`
//! and `fieldConfig` against its panel type's own types, and TypeScript's compiler (from the same
//! lock file) checks them. What the check allows beyond Grafana's types is listed, with its
//! reasons, at the top of tests/tools/grafana-schema/check.ts. `scripts/test` runs `npm ci` there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::monitoring::*;
use crate::support::tools::node;

const CHECK_DIR: &str = "tests/tools/grafana-schema";

/// The check's folder, with its node_modules installed; else a one-line panic saying how.
fn check_dir() -> PathBuf {
    let dir = root().join(CHECK_DIR);
    for package in ["typescript", "@grafana/schema"] {
        assert!(
            dir.join("node_modules").join(package).join("package.json").is_file(),
            "{package} is not installed in {CHECK_DIR}: `npm ci --prefix {CHECK_DIR}` (needs node and npm), or run scripts/test, which does"
        );
    }
    dir
}

/// The TypeScript source of one dashboard's checks: the whole dashboard typed as Grafana's
/// `Dashboard`, then one constant per panel typed as its panel type's options and field config.
fn typed_literals(check_ts: &Path, dashboard: &Value) -> String {
    let mut ts = format!(
        "import type {{ Dashboard, Panel }} from {};\n\n",
        serde_json::to_string(&check_ts.with_extension("").display().to_string()).unwrap()
    );
    ts.push_str(&format!(
        "export const dashboard: Dashboard = {};\n",
        serde_json::to_string_pretty(dashboard).unwrap()
    ));
    for (i, panel) in panels(dashboard).into_iter().enumerate() {
        let kind = panel["type"].as_str().unwrap_or_default();
        if kind == "row" {
            // A row has no options or field config; the dashboard model checks it.
            continue;
        }
        let mut checked = serde_json::Map::new();
        for key in ["options", "fieldConfig"] {
            if let Some(v) = panel.get(key) {
                checked.insert(key.to_string(), v.clone());
            }
        }
        ts.push_str(&format!(
            "\n// panel id {} {:?}\nexport const panel_{i}: Panel<{}> = {};\n",
            panel["id"],
            panel["title"].as_str().unwrap_or_default(),
            serde_json::to_string(kind).unwrap(),
            serde_json::to_string_pretty(&Value::Object(checked)).unwrap()
        ));
    }
    ts
}

/// Writes the typed literals of `dashboards` (name → dashboard) into a scratch directory and runs
/// tsc there; returns tsc's result.
fn tsc(scratch: &str, dashboards: &[(String, Value)]) -> Output {
    let dir = check_dir();
    let out_dir = scratch_dir(scratch);
    let check_ts = dir.join("check.ts");
    let mut files = Vec::new();
    for (rel, d) in dashboards {
        let name = Path::new(rel).file_stem().unwrap().to_str().unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{rel}"
        );
        let file = out_dir.join(format!("{name}.ts"));
        std::fs::write(&file, typed_literals(&check_ts, d)).unwrap();
        files.push(file.display().to_string());
    }
    // The check's own compiler options, for these files.
    let tsconfig = serde_json::json!({
        "extends": dir.join("tsconfig.json").display().to_string(),
        "files": files,
    });
    std::fs::write(
        out_dir.join("tsconfig.json"),
        serde_json::to_string_pretty(&tsconfig).unwrap(),
    )
    .unwrap();
    let out = run(Command::new(node())
        .arg(dir.join("node_modules/typescript/bin/tsc"))
        .args(["--pretty", "false", "-p"])
        .arg(out_dir.join("tsconfig.json")));
    let _ = std::fs::remove_dir_all(&out_dir);
    out
}

fn rendered_dashboards() -> Vec<(String, Value)> {
    let found = files("dashboards", ".json");
    assert!(!found.is_empty(), "no dashboards in dashboards/");
    found
        .into_iter()
        .map(|rel| (rel.clone(), json(&rel)))
        .collect()
}

#[test]
fn the_check_pins_its_packages() {
    // Exact versions in package.json, and the lock file holds those with their hashes: what
    // `npm ci` installs is what was checked.
    let package: Value = json(&format!("{CHECK_DIR}/package.json"));
    let lock: Value = json(&format!("{CHECK_DIR}/package-lock.json"));
    let deps = package["devDependencies"].as_object().unwrap();
    assert!(deps.contains_key("@grafana/schema") && deps.contains_key("typescript"));
    for (name, version) in deps {
        let version = version.as_str().unwrap();
        assert!(
            version.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "{name}: {version} is not an exact version"
        );
        let locked = &lock["packages"][format!("node_modules/{name}")];
        assert_eq!(
            locked["version"], version,
            "{name}: the lock file holds another version"
        );
        assert!(
            locked["integrity"]
                .as_str()
                .is_some_and(|i| i.starts_with("sha512-")),
            "{name}: no integrity hash in the lock file"
        );
    }
}

#[test]
fn every_dashboard_type_checks_against_grafana_schema() {
    let dashboards = rendered_dashboards();
    let out = tsc("grafana-schema", &dashboards);
    assert!(
        out.status.success(),
        "the dashboards do not type-check against @grafana/schema\n{}",
        output_text(&out)
    );
    // Every panel was checked against its own type's options.
    let checked: usize = dashboards
        .iter()
        .map(|(_, d)| panels(d).iter().filter(|p| p["type"] != "row").count())
        .sum();
    assert!(checked > 0, "no panel was checked");
}

/// The first panel of `dashboard` of type `kind` whose `at` (a JSON pointer below the panel) is an
/// object with a key: renames that key to `misspelled(key)`; returns the misspelled key.
fn misspell(dashboard: &mut Value, kind: &str, at: &str) -> String {
    // Top-level panels: the rendered dashboards have no rows.
    let all = dashboard["panels"].as_array_mut().expect("panels");
    for panel in all {
        if panel["type"] != kind {
            continue;
        }
        if let Some(obj) = panel.pointer_mut(at).and_then(Value::as_object_mut) {
            if let Some(key) = obj.keys().next().cloned() {
                let value = obj.remove(&key).unwrap();
                // A letter dropped from the middle: "showHeader" → "showHeder".
                let mut wrong: Vec<char> = key.chars().collect();
                wrong.remove(wrong.len() / 2);
                let wrong: String = wrong.into_iter().collect();
                obj.insert(wrong.clone(), value);
                return wrong;
            }
        }
    }
    panic!("no {kind} panel with a key at {at}");
}

#[test]
fn a_misspelled_key_fails_the_check() {
    // One mutation per file, each in a place the check types differently: panel options of each
    // type, a panel type's own field config, a standard field option, the dashboard model, and a
    // panel type the check does not know. One tsc run checks them all.
    let (_, original) = rendered_dashboards()
        .into_iter()
        .find(|(rel, _)| rel.ends_with("porla-tracker-health.json"))
        .expect("dashboards/porla-tracker-health.json");
    let mut mutated = Vec::new();
    let mut expected = Vec::new();
    for (what, kind, at) in [
        ("timeseries options", "timeseries", "/options"),
        ("table options", "table", "/options"),
        ("stat options", "stat", "/options"),
        ("timeseries legend", "timeseries", "/options/legend"),
        (
            "timeseries field config",
            "timeseries",
            "/fieldConfig/defaults/custom",
        ),
        (
            "table field config",
            "table",
            "/fieldConfig/defaults/custom",
        ),
        ("standard field option", "stat", "/fieldConfig/defaults"),
    ] {
        let mut d = original.clone();
        let wrong = misspell(&mut d, kind, at);
        expected.push((what.to_string(), format!("'\"{wrong}\"'")));
        mutated.push((format!("mutated-{}", mutated.len()), d));
    }
    // An override's property id: `custom.` and a key the panel type's field config lacks.
    let mut d = original.clone();
    let property = d["panels"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|p| {
            p["fieldConfig"]["overrides"]
                .as_array_mut()
                .into_iter()
                .flatten()
        })
        .flat_map(|o| o["properties"].as_array_mut().into_iter().flatten())
        .find(|p| p["id"].as_str().is_some_and(|id| id.starts_with("custom.")))
        .expect("an override of a custom field option");
    let wrong = format!("{}x", property["id"].as_str().unwrap());
    property["id"] = Value::from(wrong.clone());
    expected.push(("override property".into(), format!("'\"{wrong}\"'")));
    mutated.push((format!("mutated-{}", mutated.len()), d));
    let mut d = original.clone();
    let refresh = d.as_object_mut().unwrap().remove("refresh").unwrap();
    d["refesh"] = refresh;
    expected.push(("dashboard model".into(), "'\"refesh\"'".into()));
    mutated.push((format!("mutated-{}", mutated.len()), d));
    let mut d = original;
    let kind = d["panels"][0]["type"].as_str().unwrap().to_string();
    d["panels"][0]["type"] = Value::from(format!("{kind}x"));
    expected.push(("panel type".into(), format!("\"{kind}x\"")));
    mutated.push((format!("mutated-{}", mutated.len()), d));

    let out = tsc("grafana-schema-mutated", &mutated);
    let text = output_text(&out);
    assert!(
        !out.status.success(),
        "no mutation failed the check\n{text}"
    );
    // tsc names a misspelled key with the quotes of the JSON literal: '"legnd"'.
    for ((name, _), (what, wrong)) in mutated.iter().zip(&expected) {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!("{name}.ts(")) && l.contains(wrong.as_str())),
            "{what}: {wrong} passed the check\n{text}"
        );
    }
}
