//! The Debian package of `scripts/package`, checked as a user would get it, without installing
//! it on this machine: lintian on the .deb, then the package unpacked into a temporary root
//! (`dpkg-deb -x`) where systemd-analyze verifies the unit, man renders the man page, bash loads
//! the completion and the installed binary runs.
//!
//! The .deb is `$PORLA_EXPORTER_DEB`, or else this version's newest in target/debian/ (scripts/test
//! runs `scripts/package --no-build` before the tests). Without one, each test fails saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::monitoring::run;
use crate::support::tools;

const NAME: &str = "porla-exporter";

/// The .deb under test.
fn deb() -> PathBuf {
    if let Some(p) = std::env::var_os("PORLA_EXPORTER_DEB") {
        return PathBuf::from(p);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debian");
    let prefix = format!("{NAME}_{}-", env!("CARGO_PKG_VERSION"));
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".deb")
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    match newest {
        Some(e) => e.path(),
        None => panic!(
            "no {prefix}*.deb in {}: run scripts/package first (or set PORLA_EXPORTER_DEB)",
            dir.display()
        ),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The package unpacked into a fresh temporary root (the files, and its control files under
/// `DEBIAN/`).
fn unpacked() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let deb = deb();
    for (flag, dest) in [
        ("-x", root.path().to_path_buf()),
        ("-e", root.path().join("DEBIAN")),
    ] {
        let out = run(Command::new(tools::dpkg_deb())
            .arg(flag)
            .arg(&deb)
            .arg(&dest));
        assert!(
            out.status.success(),
            "dpkg-deb {flag}: {}",
            text(&out.stderr)
        );
    }
    root
}

/// lintian reports no error and no warning; each tag the package overrides has its reason
/// written on the comment line above it.
#[test]
fn lintian_reports_no_errors_or_warnings() {
    let out = run(Command::new(tools::lintian())
        .args(["--fail-on", "error,warning", "--tag-display-limit", "0"])
        .arg(deb()));
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "lintian:\n{report}");
    assert!(
        !report
            .lines()
            .any(|l| l.starts_with("E: ") || l.starts_with("W: ")),
        "lintian:\n{report}"
    );
    let root = unpacked();
    let overrides =
        std::fs::read_to_string(root.path().join("usr/share/lintian/overrides").join(NAME))
            .unwrap();
    let lines: Vec<&str> = overrides.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        assert!(
            i > 0 && lines[i - 1].starts_with("# "),
            "lintian override {line:?} has no reason on the line above it"
        );
    }
}

/// The files a user gets, where Debian looks for them; the settings file is a conffile.
#[test]
fn package_installs_its_files_where_debian_looks() {
    let root = unpacked();
    let r = root.path();
    for path in [
        "usr/bin/porla-exporter",
        "usr/lib/systemd/system/porla-exporter.service",
        "etc/default/porla-exporter",
        "usr/share/man/man1/porla-exporter.1.gz",
        "usr/share/bash-completion/completions/porla-exporter",
        "usr/share/zsh/vendor-completions/_porla-exporter",
        "usr/share/fish/vendor_completions.d/porla-exporter.fish",
        "usr/share/doc/porla-exporter/README.Debian",
        "usr/share/doc/porla-exporter/copyright",
        "usr/share/porla-exporter/dashboards/porla-tracker-health.json",
        "usr/share/porla-exporter/rules/porla-exporter.rules.yml",
        "usr/share/porla-exporter/rules/porla-exporter.recording.yml",
        "usr/share/porla-exporter/alerting/grafana/porla-alerts.yaml",
        "usr/share/porla-exporter/mixin/mixin.libsonnet",
        "usr/share/porla-exporter/mixin/render/dashboards.jsonnet",
    ] {
        assert!(r.join(path).is_file(), "the package lacks /{path}");
    }
    let conffiles = std::fs::read_to_string(r.join("DEBIAN/conffiles")).unwrap();
    assert!(
        conffiles
            .lines()
            .any(|l| l == "/etc/default/porla-exporter"),
        "/etc/default/porla-exporter is not a conffile: {conffiles:?}"
    );
    // PORLA_URL commented out: a user who switches to --config.file has nothing to remove.
    let env = std::fs::read_to_string(r.join("etc/default/porla-exporter")).unwrap();
    assert!(
        !env.lines()
            .any(|l| l.trim_start().starts_with("PORLA_URL=")),
        "{env}"
    );
    assert!(env.contains("\n#PORLA_URL="), "{env}");
}

/// Installing neither enables nor starts the service: the maintainer scripts enable it only
/// where it was enabled before (an upgrade), and start nothing.
#[test]
fn installing_does_not_enable_or_start_the_service() {
    let root = unpacked();
    let postinst = std::fs::read_to_string(root.path().join("DEBIAN/postinst")).unwrap();
    for line in postinst.lines().map(str::trim) {
        assert!(
            !(line.contains("deb-systemd-invoke") && line.contains(" start ")),
            "postinst starts the service: {line}"
        );
        assert!(!line.contains("systemctl enable"), "postinst: {line}");
    }
    let enable = postinst
        .lines()
        .position(|l| l.contains("deb-systemd-helper enable"))
        .expect("postinst re-enables a unit that was enabled");
    assert!(
        postinst
            .lines()
            .take(enable)
            .any(|l| l.contains("was-enabled")),
        "postinst enables the unit without checking it was enabled before:\n{postinst}"
    );
}

/// The installed unit passes `systemd-analyze verify` in the unpacked root, and runs the
/// binary the package installs.
#[test]
fn unit_passes_systemd_analyze_verify() {
    let root = unpacked();
    let unit = root
        .path()
        .join("usr/lib/systemd/system/porla-exporter.service");
    // ExecReload= runs /bin/kill, which the package does not ship but depends on (procps):
    // verify checks the programs in the root it is given, so the dependency's program is put
    // there, and the package must declare it.
    let control = std::fs::read_to_string(root.path().join("DEBIAN/control")).unwrap();
    let depends = control
        .lines()
        .find_map(|l| l.strip_prefix("Depends:"))
        .unwrap_or_default();
    assert!(
        depends.split(',').any(|d| d.trim().starts_with("procps")),
        "the unit runs /bin/kill: the package must depend on procps: {control}"
    );
    std::fs::create_dir_all(root.path().join("bin")).unwrap();
    std::fs::copy("/bin/kill", root.path().join("bin/kill"))
        .expect("/bin/kill (Debian package procps)");
    let out = run(Command::new(tools::systemd_analyze())
        .arg("verify")
        .arg(format!("--root={}", root.path().display()))
        .arg("--recursive-errors=no")
        .arg(&unit));
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "systemd-analyze verify:\n{report}");
    assert!(
        report.trim().is_empty(),
        "systemd-analyze verify:\n{report}"
    );
    let text = std::fs::read_to_string(&unit).unwrap();
    let exec = text
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("ExecStart=");
    // The package's own binary, never a copy systemd would find first in /usr/local/bin.
    assert_eq!(
        exec.split_whitespace().next(),
        Some("/usr/bin/porla-exporter"),
        "{exec}"
    );
    assert!(root.path().join("usr/bin/porla-exporter").is_file());
}

/// `man -l` renders the installed man page without a warning, with the flags in it.
#[test]
fn man_page_renders() {
    let root = unpacked();
    let page = root.path().join("usr/share/man/man1/porla-exporter.1.gz");
    let out = run(Command::new(tools::man())
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat"));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "man -l: {stderr}");
    assert!(stderr.trim().is_empty(), "man -l warns: {stderr}");
    for needle in [
        "NAME",
        "porla-exporter",
        "--porla.url",
        "PORLA_URL",
        "FILES",
    ] {
        assert!(
            stdout.contains(needle),
            "man page lacks {needle:?}:\n{stdout}"
        );
    }
}

/// bash sources the installed completion, which registers a completion for porla-exporter.
#[test]
fn bash_completion_loads() {
    let root = unpacked();
    let file = root
        .path()
        .join("usr/share/bash-completion/completions/porla-exporter");
    let out = run(Command::new("bash")
        .arg("--noprofile")
        .arg("--norc")
        .arg("-c")
        .arg(r#"set -e; source "$1"; complete -p porla-exporter"#)
        .arg("bash")
        .arg(&file));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bash: {stderr}");
    assert!(stderr.is_empty(), "bash: {stderr}");
    assert!(
        stdout.starts_with("complete ") && stdout.trim_end().ends_with(" porla-exporter"),
        "{stdout}"
    );
}

/// The installed binary runs: `--version` and `--help`.
#[test]
fn installed_binary_runs() {
    let root = unpacked();
    let bin = root.path().join("usr/bin/porla-exporter");
    let out = run(Command::new(&bin).arg("--version").env_clear());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let version = text(&out.stdout);
    assert!(
        version.starts_with(&format!("porla-exporter {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let out = run(Command::new(&bin).arg("--help").env_clear());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    for flag in ["--porla.url", "--web.listen-address", "--config.file"] {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
}

/// The unit of deploy/systemd, installed by hand as docs/deployment.md says (the binary in
/// /usr/local/bin, the unit in /etc/systemd/system), passes `systemd-analyze verify` too, and
/// differs from the package's copy in its ExecStart= line only.
#[test]
fn hand_installed_unit_passes_systemd_analyze_verify() {
    let package = unpacked();
    let root = tempfile::tempdir().unwrap();
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/systemd/porla-exporter.service");
    let unit_dir = root.path().join("etc/systemd/system");
    std::fs::create_dir_all(&unit_dir).unwrap();
    let unit = unit_dir.join("porla-exporter.service");
    std::fs::copy(&source, &unit).unwrap();
    std::fs::create_dir_all(root.path().join("usr/local/bin")).unwrap();
    std::fs::copy(
        package.path().join("usr/bin/porla-exporter"),
        root.path().join("usr/local/bin/porla-exporter"),
    )
    .unwrap();
    std::fs::create_dir_all(root.path().join("bin")).unwrap();
    std::fs::copy("/bin/kill", root.path().join("bin/kill"))
        .expect("/bin/kill (Debian package procps)");
    let out = run(Command::new(tools::systemd_analyze())
        .arg("verify")
        .arg(format!("--root={}", root.path().display()))
        .arg("--recursive-errors=no")
        .arg(&unit));
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "systemd-analyze verify:\n{report}");
    assert!(
        report.trim().is_empty(),
        "systemd-analyze verify:\n{report}"
    );

    let hand = std::fs::read_to_string(&source).unwrap();
    let packaged = std::fs::read_to_string(
        package
            .path()
            .join("usr/lib/systemd/system/porla-exporter.service"),
    )
    .unwrap();
    let differing: Vec<(&str, &str)> = hand
        .lines()
        .zip(packaged.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(hand.lines().count(), packaged.lines().count());
    assert_eq!(
        differing,
        [(
            "ExecStart=/usr/local/bin/porla-exporter $PORLA_EXPORTER_ARGS",
            "ExecStart=/usr/bin/porla-exporter $PORLA_EXPORTER_ARGS"
        )]
    );
}
