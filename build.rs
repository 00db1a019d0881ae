//! Fills the `revision` and `rustc_version` labels of `porla_exporter_build_info` for every
//! build: the git commit when built from a checkout, and the version of the compiler cargo
//! runs. `PORLA_EXPORTER_REVISION` / `PORLA_EXPORTER_RUSTC` set in the environment win (the
//! Dockerfile passes them, since its build context has no `.git`); without either source the
//! label stays `unknown`. The same revision goes into `--version` (`PORLA_EXPORTER_VERSION_LINE`),
//! left out where unknown.

use std::path::Path;
use std::process::Command;

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

fn from_env(name: &str) -> Option<String> {
    println!("cargo:rerun-if-env-changed={name}");
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty() && v != "unknown")
}

/// The commit of the checkout at `dir`, and the files whose change means a new commit. Only a
/// checkout of this crate counts: in an unpacked crate (`cargo install` from crates.io, the
/// verify build of `cargo package`), git would find whatever repository holds the directory,
/// such as a home directory kept in git.
fn git_revision(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| output(Command::new("git").arg("-C").arg(dir).args(args));
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), dir) || dir.join(".cargo_vcs_info.json").exists() {
        return None;
    }
    let rev = git(&["rev-parse", "HEAD"])?;
    // Rebuild when HEAD moves: HEAD itself (checkout), the branch's ref (commit) and
    // packed-refs (gc). `--git-path` resolves them for worktrees too.
    let mut watch = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.push(branch);
    }
    for p in watch {
        if let Some(path) = git(&["rev-parse", "--git-path", &p]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(rev)
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json` (`"git": {"sha1": "…"}`): the
/// revision of a crate built from crates.io.
fn packaged_revision(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let value = after
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let sha = &value[..value.find('"')?];
    (sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit())).then(|| sha.to_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let revision = from_env("PORLA_EXPORTER_REVISION")
        .or_else(|| git_revision(Path::new(&dir)))
        .or_else(|| packaged_revision(Path::new(&dir)))
        .unwrap_or_else(|| "unknown".into());
    // "rustc 1.91.0 (f8297e351 2025-10-28)" → "1.91.0", as the Dockerfile writes it.
    let rustc = from_env("PORLA_EXPORTER_RUSTC")
        .or_else(|| {
            let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
            output(Command::new(rustc).arg("--version"))
                .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=PORLA_EXPORTER_REVISION={revision}");
    println!("cargo:rustc-env=PORLA_EXPORTER_RUSTC={rustc}");
    // What `--version` and the man page show: the revision only where it is known.
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let line = if revision == "unknown" {
        version
    } else {
        format!("{version} (revision {revision})")
    };
    println!("cargo:rustc-env=PORLA_EXPORTER_VERSION_LINE={line}");
}
