//! What the monitoring tests of this target need jsonnet for: the mixin's `_config` (its job
//! selector and dashboard uids) and scripts/mixin, which renders the committed files.

use std::process::{Command, Output};

use serde_json::Value;

use crate::monitoring::{normalize_matcher, output_text, run};
use crate::support::tools::jsonnet;

/// Run scripts/mixin with `args`, with jsonnet's directory on PATH (so that a missing jsonnet
/// fails in `jsonnet()` with its install hint, not inside the script).
pub fn mixin(args: &[&str]) -> Output {
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
/// Evaluate a jsonnet expression in the repository root (`-J .`, so `import "mixin/..."`
/// works) and parse its JSON output.
pub fn jsonnet_eval(expr: &str) -> Value {
    let out = run(Command::new(jsonnet()).args(["-J", ".", "-e", expr]));
    assert!(
        out.status.success(),
        "jsonnet -e {expr} failed\n{}",
        output_text(&out)
    );
    serde_json::from_slice(&out.stdout).expect("jsonnet prints JSON")
}

/// The mixin's default `_config` (mixin/config.libsonnet), as JSON.
pub fn mixin_config() -> Value {
    jsonnet_eval(r#"(import "mixin/mixin.libsonnet")._config"#)
}

/// `_config.porlaExporterSelector` of the mixin, with spaces removed.
pub fn config_matchers() -> String {
    let config = mixin_config();
    let selector = config["porlaExporterSelector"]
        .as_str()
        .expect("_config.porlaExporterSelector is a string");
    normalize_matcher(selector)
}

/// `_config.dashboardUids` of the mixin: (key, uid) pairs.
pub fn config_dashboards() -> Vec<(String, String)> {
    let config = mixin_config();
    config["dashboardUids"]
        .as_object()
        .expect("_config.dashboardUids is an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("uid is a string").to_string()))
        .collect()
}
