//! Configuration: the command line (`cli.rs`) and the `--config.file` of Porla instances
//! (`file.rs`), checked into one [`Config`].
//!
//! A Porla instance is written one of two ways: as the `--porla.*` flags, or as a table of
//! `--config.file`. Both are read into an `InstanceSpec` and go through the one
//! `InstanceSpec::resolve`; with `--config.file`, the `--porla.*` flags other than the URL and
//! the credential are the defaults of every instance (`InstanceSpec::with_defaults`).
//! [`Instances`] holds which of the two modes runs. Every error is one line naming the flag, or
//! the file, the instance and the key.

mod cli;
mod file;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use url::Url;

use crate::classify::Classes;
use crate::defaults;
use crate::poller::PollConfig;
use crate::porla::{clean_token, token_problem, Auth, ClientConfig, PorlaTls, Secret, TlsOptions};
use crate::snapshot::PerTorrent;
use crate::webconfig::WebConfig;

pub use cli::{
    per_torrent_name, poll_mode_name, Cli, Command, LogFormat, LogLevel, PerTorrentFlag,
    PollModeFlag, PorlaUrl,
};

/// Bytes of `torrents.list` answer allowed per torrent of a page when checking that a page
/// fits the size limit. A real item is about 1.5 KB; long names and many labels stay under 4 KiB.
pub const PAGE_BYTES_PER_TORRENT: u64 = 4096;

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The Porla instances to poll, and how they are served.
    pub instances: Instances,
    pub poll: PollConfig,
    /// `--web.config.file`, read and checked at start (its TLS certificate and key are read again
    /// when they change, see [`crate::webconfig`]).
    pub web_config: Option<WebConfig>,
    pub read_header_timeout: Duration,
    pub listen: SocketAddr,
    pub telemetry_path: String,
    pub max_connections: usize,
    /// The tracker classes of each instance with a classes file, read at start, by instance
    /// name (`""` for the `--porla.*` instance); instances naming the same file share it.
    /// An instance without one uses the built-in patterns.
    pub classes: BTreeMap<String, Arc<Classes>>,
    /// The `per_torrent` setting of each instance of `--config.file` that has one, by instance
    /// name: it replaces `--collector.tracker.per-torrent` (in `poll.view`) for that instance.
    pub per_torrent: PerTorrentByInstance,
}

/// Instances' own `--collector.tracker.per-torrent`, by name.
type PerTorrentByInstance = BTreeMap<String, PerTorrent>;

impl Config {
    /// The poller settings of instance `name` (`""` for the `--porla.*` instance): the flags',
    /// with its own `per_torrent` if the file gives one.
    pub fn poll_of(&self, name: &str) -> PollConfig {
        let mut poll = self.poll.clone();
        if let Some(mode) = self.per_torrent.get(name) {
            poll.view.set_per_torrent(*mode);
        }
        poll
    }
}

/// The classes files of the instances, each file read once.
#[derive(Debug, Default)]
struct ClassesByInstance {
    by_instance: BTreeMap<String, Arc<Classes>>,
    by_file: BTreeMap<PathBuf, Arc<Classes>>,
}

impl ClassesByInstance {
    /// Reads instance `name`'s classes file (unless read already): a bad file is an error
    /// naming the setting, the file and the line.
    fn load(&mut self, name: &str, origin: Origin<'_>, file: Option<&Path>) -> anyhow::Result<()> {
        let Some(file) = file else { return Ok(()) };
        let classes = self.read(origin, file)?;
        self.by_instance.insert(name.to_owned(), classes);
        Ok(())
    }

    /// Reads a classes file once; `origin` names the setting in an error.
    fn read(&mut self, origin: Origin<'_>, file: &Path) -> anyhow::Result<Arc<Classes>> {
        if let Some(c) = self.by_file.get(file) {
            return Ok(c.clone());
        }
        let what = match origin {
            Origin::Flags => "--collector.tracker.classes-file".to_owned(),
            Origin::File(_) => origin.key("classes_file"),
        };
        let c = Arc::new(Classes::load(file).map_err(|e| anyhow!("{what}: {e}"))?);
        self.by_file.insert(file.to_path_buf(), c.clone());
        Ok(c)
    }
}

/// The two modes of the exporter: exactly one of them runs.
#[derive(Debug, Clone)]
pub enum Instances {
    /// The one Porla of the `--porla.*` flags, served on `--web.telemetry-path`.
    Single(Box<ClientConfig>),
    /// The named Porla instances of `--config.file` (at least one, sorted by name), each served
    /// at `/probe?target=<name>`.
    Named(Vec<(String, ClientConfig)>),
}

/// Where an instance is written, for error messages: each setting is named as the user wrote it.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    /// The `--porla.*` flags (each with its environment variable).
    Flags,
    /// The table `[instances.<name>]` of `--config.file`.
    File(&'a str),
}

impl Origin<'_> {
    /// A setting, written as a key of the file (`token_file`, `tls_ca_file`, ...), as the user
    /// wrote it: `--porla.token-file`, or `--config.file: instance "a": token_file`.
    fn key(self, key: &str) -> String {
        match self {
            Origin::Flags => flag_name(key),
            Origin::File(name) => format!("--config.file: instance {name:?}: {key}"),
        }
    }

    /// A setting as one of two in a message (after [`Origin::prefix`]):
    /// `--porla.token-file (PORLA_TOKEN_FILE)`, or `token_file`.
    fn setting(self, key: &str) -> String {
        match self {
            Origin::Flags => format!("{} ({})", flag_name(key), flag_env(key)),
            Origin::File(_) => key.to_owned(),
        }
    }

    /// The start of a message about several settings of the instance.
    fn prefix(self) -> String {
        match self {
            Origin::Flags => String::new(),
            Origin::File(name) => format!("--config.file: instance {name:?}: "),
        }
    }
}

/// The `--porla.*` flag of a file key: `tls_ca_file` → `--porla.tls.ca-file`.
fn flag_name(key: &str) -> String {
    match key.strip_prefix("tls_") {
        Some(rest) => format!("--porla.tls.{}", rest.replace('_', "-")),
        None => format!("--porla.{}", key.replace('_', "-")),
    }
}

/// The environment variable of a file key's flag: `tls_ca_file` → `PORLA_TLS_CA_FILE`.
fn flag_env(key: &str) -> String {
    format!("PORLA_{}", key.to_ascii_uppercase())
}

/// One Porla instance as written, before it is checked: the `--porla.*` flags, or a table of
/// `--config.file` (whose keys name the fields; a file has no inline `token` or `password`).
/// `None` is "not given".
#[derive(Debug, Clone, Default)]
struct InstanceSpec {
    url: String,
    token_file: Option<PathBuf>,
    token: Option<String>,
    username: Option<String>,
    password_file: Option<PathBuf>,
    password: Option<String>,
    timeout: Option<Duration>,
    max_response_size: Option<u64>,
    tls_ca_file: Option<PathBuf>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    tls_server_name: Option<String>,
    tls_insecure_skip_verify: Option<bool>,
    /// `--collector.tracker.classes-file`, or the table's `classes_file`.
    classes_file: Option<PathBuf>,
    /// The table's `per_torrent` (the flag's applies to the instances without one).
    per_torrent: Option<PerTorrent>,
}

impl InstanceSpec {
    /// Takes each setting this instance leaves out from `defaults` (the `--porla.*` flags):
    /// timeout, size limit, TLS and the classes file. Never the URL or the credential: an instance of
    /// `--config.file` names its own.
    fn with_defaults(self, defaults: &InstanceSpec) -> InstanceSpec {
        let d = defaults.clone();
        InstanceSpec {
            timeout: self.timeout.or(d.timeout),
            max_response_size: self.max_response_size.or(d.max_response_size),
            tls_ca_file: self.tls_ca_file.or(d.tls_ca_file),
            tls_cert_file: self.tls_cert_file.or(d.tls_cert_file),
            tls_key_file: self.tls_key_file.or(d.tls_key_file),
            tls_server_name: self.tls_server_name.or(d.tls_server_name),
            tls_insecure_skip_verify: self.tls_insecure_skip_verify.or(d.tls_insecure_skip_verify),
            classes_file: self.classes_file.or(d.classes_file),
            ..self
        }
    }

    /// The TLS settings, their files read and checked (`None`: none set, reqwest's own set-up);
    /// an error names the setting as `origin` writes it.
    fn tls(&self, origin: Origin<'_>) -> anyhow::Result<Option<PorlaTls>> {
        TlsOptions {
            ca_file: self.tls_ca_file.clone(),
            cert_file: self.tls_cert_file.clone(),
            key_file: self.tls_key_file.clone(),
            server_name: self.tls_server_name.clone(),
            insecure_skip_verify: self.tls_insecure_skip_verify.unwrap_or(false),
        }
        .build(&|k: &str| origin.key(&format!("tls_{}", k.replace('-', "_"))))
    }

    /// Checks the instance and reads its files (secrets, TLS): a missing or bad one is an error
    /// now, at start. `page_size` is `--porla.page-size`, which a whole answer must hold.
    fn resolve(self, origin: Origin<'_>, page_size: u64) -> anyhow::Result<ClientConfig> {
        let url = porla_url(&origin.key("url"), &self.url)?;
        let auth = self.credential(origin)?;
        let timeout = self
            .timeout
            .unwrap_or_else(|| defaults::default_duration(defaults::PORLA_TIMEOUT));
        if timeout.is_zero() {
            bail!("{}: must be more than 0", origin.key("timeout"));
        }
        let max_response_size = self
            .max_response_size
            .unwrap_or_else(defaults::default_max_response_size);
        check_page_fits(
            &origin.key("max_response_size"),
            max_response_size,
            page_size,
        )?;
        let tls = self.tls(origin)?;
        Ok(ClientConfig {
            url,
            auth,
            timeout,
            max_response_size,
            tls,
        })
    }

    /// The credential: none, a token, a token file, or a username with a password (file). Two
    /// kinds at once is an error naming both.
    fn credential(&self, origin: Origin<'_>) -> anyhow::Result<Auth> {
        let token = self.token.is_some().then_some("token");
        let token_file = self.token_file.is_some().then_some("token_file");
        let login = if self.username.is_some() {
            Some("username")
        } else if self.password_file.is_some() {
            Some("password_file")
        } else {
            self.password.is_some().then_some("password")
        };
        let given: Vec<&str> = [token, token_file, login].into_iter().flatten().collect();
        if let [a, b, ..] = given[..] {
            bail!(
                "{}{} and {} are both set: give one credential only",
                origin.prefix(),
                origin.setting(a),
                origin.setting(b)
            );
        }
        if let Some(path) = &self.token_file {
            // Read once now: the client uses this content, and reads the file again on 401 only.
            return Auth::token_file(path.clone())
                .map_err(|e| anyhow!("{}: {e}", origin.key("token_file")));
        }
        if let Some(t) = &self.token {
            let token = clean_token(t).ok_or_else(|| {
                anyhow!("{}{} is empty", origin.prefix(), origin.setting("token"))
            })?;
            if let Some(what) = token_problem(token.expose()) {
                bail!(
                    "{}{} holds {what}, not a token alone (a JWT is one word)",
                    origin.prefix(),
                    origin.setting("token")
                );
            }
            return Ok(Auth::Token(token));
        }
        let password = match (&self.password_file, &self.password) {
            (Some(_), Some(_)) => bail!(
                "{}{} and {} are both set: give one",
                origin.prefix(),
                origin.setting("password_file"),
                origin.setting("password")
            ),
            (Some(p), None) => Some(read_secret(&origin.key("password_file"), p)?),
            (None, Some(p)) if p.is_empty() => {
                bail!("{}{} is empty", origin.prefix(), origin.setting("password"))
            }
            (None, Some(p)) => Some(Secret::new(p.as_str())),
            (None, None) => None,
        };
        // A file holds a password in a file only; the flags also take it inline.
        let password_keys = match origin {
            Origin::Flags => format!(
                "{} or {}",
                origin.setting("password_file"),
                origin.setting("password")
            ),
            Origin::File(_) => origin.setting("password_file"),
        };
        let password_key = if self.password_file.is_some() {
            "password_file"
        } else {
            "password"
        };
        match (&self.username, password) {
            (Some(user), Some(password)) => Ok(Auth::Login {
                username: user.clone(),
                password,
            }),
            (Some(_), None) => bail!(
                "{}{} needs {password_keys}",
                origin.prefix(),
                origin.setting("username")
            ),
            (None, Some(_)) => bail!(
                "{}{} needs {}",
                origin.prefix(),
                origin.setting(password_key),
                origin.setting("username")
            ),
            (None, None) => Ok(Auth::None),
        }
    }
}

/// Refuses a page size whose pages could not fit the size limit.
fn check_page_fits(what: &str, limit: u64, page_size: u64) -> anyhow::Result<()> {
    let need = page_size.saturating_mul(PAGE_BYTES_PER_TORRENT);
    if need > limit {
        bail!(
            "{what}: {limit} bytes cannot hold a --porla.page-size page of {page_size} torrents (allow {PAGE_BYTES_PER_TORRENT} bytes per torrent: at least {need}); raise the size limit or lower --porla.page-size"
        );
    }
    Ok(())
}

/// Parses `:port`, `host:port` or `[v6]:port`.
pub fn parse_listen_address(s: &str) -> anyhow::Result<SocketAddr> {
    let s = s.trim();
    let full = if s.starts_with(':') {
        format!("0.0.0.0{s}")
    } else {
        s.to_owned()
    };
    if let Ok(a) = full.parse() {
        return Ok(a);
    }
    use std::net::ToSocketAddrs;
    full.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            anyhow!("--web.listen-address: {s:?} is not an address like :10337 or 127.0.0.1:10337")
        })
}

fn read_secret(what: &str, path: &Path) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{what}: cannot read {}", path.display()))?;
    let t = text.trim();
    if t.is_empty() {
        bail!("{what}: {} is empty", path.display());
    }
    Ok(Secret::new(t))
}

fn porla_url(what: &str, raw: &str) -> anyhow::Result<Url> {
    let url = Url::parse(raw).map_err(|e| anyhow!("{what}: {raw:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        bail!("{what}: {raw:?} must be an http:// or https:// URL with a host");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::byte_size;
    use crate::poller::PollMode;
    use crate::snapshot::ViewOptions;
    use clap::Parser;

    fn parse(args: &[&str]) -> anyhow::Result<Config> {
        let mut v = vec!["porla-exporter"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v)
            .map_err(|e| anyhow!("{e}"))?
            .into_config()
    }

    /// The error these flags are refused with.
    fn error(args: &[&str]) -> String {
        parse(args).unwrap_err().to_string()
    }

    /// The one instance of the `--porla.*` flags.
    fn single(c: Config) -> ClientConfig {
        match c.instances {
            Instances::Single(client) => *client,
            Instances::Named(_) => panic!("expected the --porla.* instance"),
        }
    }

    /// The instances of `--config.file`.
    fn named(c: Config) -> Vec<(String, ClientConfig)> {
        match c.instances {
            Instances::Named(named) => named,
            Instances::Single(_) => panic!("expected the --config.file instances"),
        }
    }

    #[test]
    fn defaults_are_sane() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.listen.port(), defaults::PORT);
        assert_eq!(c.poll.interval, Duration::from_secs(30));
        assert_eq!(c.telemetry_path, "/metrics");
        assert_eq!(single(c).url.as_str(), "http://127.0.0.1:1337/");
    }

    /// The defaults users get, and the library's `Default` impls agree with them.
    #[test]
    fn defaults_users_get() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.poll.mode, PollMode::Scheduled);
        assert_eq!(c.poll.view.max_series, 500_000);
        assert_eq!(c.poll.interval, Duration::from_secs(30));
        assert_eq!(c.poll.concurrency, 2);
        assert!(!c.poll.view.tracker_details);
        assert!(c.poll.view.per_torrent && !c.poll.view.per_endpoint);
        assert_eq!(c.poll, PollConfig::default());
        assert_eq!(c.poll.view, ViewOptions::default());
    }

    #[test]
    fn bad_values_name_the_flag() {
        for (args, flag) in [
            (&["--porla.url", "ftp://x"][..], "--porla.url"),
            (&["--porla.url", "::nope"][..], "--porla.url"),
            (
                &["--web.listen-address", "nope"][..],
                "--web.listen-address",
            ),
            (
                &["--web.telemetry-path", "metrics"][..],
                "--web.telemetry-path",
            ),
            (
                &["--porla.token-file", "/nonexistent/token"][..],
                "--porla.token-file",
            ),
            (
                &[
                    "--porla.username",
                    "u",
                    "--porla.password-file",
                    "/nonexistent",
                ][..],
                "--porla.password-file",
            ),
        ] {
            let e = error(args);
            assert!(e.contains(flag), "{args:?}: {e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn instances_file() {
        let dir = tempfile::tempdir().unwrap();
        let tok = dir.path().join("tok");
        std::fs::write(&tok, "t\n").unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            format!("[instances.a]\nurl = \"http://10.0.0.5:1337\"\ntoken_file = {:?}\n[instances.b-2]\nurl = \"http://h/porla\"\ntimeout = \"3s\"\n", tok),
        )
        .unwrap();
        let c = parse(&["--config.file", good.to_str().unwrap()]).unwrap();
        let t = named(c);
        let names: Vec<_> = t.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b-2"]);
        assert_eq!(t[1].1.timeout, Duration::from_secs(3));
        for (body, needle) in [
            ("[instances.a]\nurl = \"ftp://x\"\n", "url"),
            ("[instances.a]\nurl = \"http://x\"\nbogus = 1\n", "bogus"),
            (
                "[instances.a]\nurl = \"http://x\"\nusername = \"u\"\n",
                "password_file",
            ),
            ("[instances.\"a b\"]\nurl = \"http://x\"\n", "letters"),
            ("instances = {}\n", "names no"),
            ("not toml", "--config.file"),
        ] {
            let bad = dir.path().join("bad.toml");
            std::fs::write(&bad, body).unwrap();
            let e = error(&["--config.file", bad.to_str().unwrap()]);
            assert!(
                e.contains(needle) && e.contains("--config.file"),
                "{body:?}: {e}"
            );
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
    }

    #[test]
    fn per_torrent_switch_takes_false() {
        let c = parse(&[
            "--collector.tracker.per-torrent=false",
            "--collector.tracker.per-endpoint",
        ])
        .unwrap();
        assert!(!c.poll.view.per_torrent);
        assert!(c.poll.view.per_endpoint);
    }

    /// `--collector.tracker.per-torrent` takes `true`, `attention` and `false`; the hold and
    /// the seeder threshold are flags of their own; a bad value names the flag.
    #[test]
    fn per_torrent_takes_attention() {
        for (value, mode) in [
            ("true", PerTorrent::All),
            ("attention", PerTorrent::Attention),
            ("false", PerTorrent::Off),
        ] {
            let c = parse(&["--collector.tracker.per-torrent", value]).unwrap();
            assert_eq!(c.poll.view.per_torrent_mode(), mode, "{value}");
            assert_eq!(per_torrent_name(mode), value);
        }
        assert_eq!(
            parse(&[]).unwrap().poll.view.per_torrent_mode(),
            PerTorrent::All
        );
        let c = parse(&[
            "--collector.tracker.per-torrent=attention",
            "--collector.tracker.attention-hold=20m",
            "--collector.tracker.attention-few-seeders=5",
        ])
        .unwrap();
        assert_eq!(c.poll.view.attention_hold, 1200.0);
        assert_eq!(c.poll.view.attention_few_seeders, 5);
        let e = parse(&["--collector.tracker.per-torrent", "some"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--collector.tracker.per-torrent"), "{e}");
    }

    /// An instance of `--config.file` may set its own `per_torrent` (a boolean or the flag's
    /// spelling); the others take the flag's. A bad value is one line naming the instance.
    #[test]
    fn per_torrent_per_instance() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_instances(
            dir.path(),
            "[instances.a]\nurl = \"http://h\"\nper_torrent = \"attention\"\n[instances.b]\nurl = \"http://h\"\nper_torrent = false\n[instances.c]\nurl = \"http://h\"\n[instances.d]\nurl = \"http://h\"\nper_torrent = true\n",
        );
        let c = parse(&[
            "--config.file",
            f.to_str().unwrap(),
            "--collector.tracker.per-torrent",
            "false",
        ])
        .unwrap();
        let modes: Vec<PerTorrent> = ["a", "b", "c", "d"]
            .iter()
            .map(|n| c.poll_of(n).view.per_torrent_mode())
            .collect();
        assert_eq!(
            modes,
            [
                PerTorrent::Attention,
                PerTorrent::Off,
                PerTorrent::Off,
                PerTorrent::All
            ]
        );
        for bad in ["\"sometimes\"", "3"] {
            let f = write_instances(
                dir.path(),
                &format!("[instances.a]\nurl = \"http://h\"\nper_torrent = {bad}\n"),
            );
            let e = error(&["--config.file", f.to_str().unwrap()]);
            assert!(
                e.contains("instance \"a\"") || e.contains("per_torrent"),
                "{bad}: {e}"
            );
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
    }

    // Size limits (--porla.max-response-size, --porla.page-size).

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(byte_size("1048576"), Ok(1 << 20));
        assert_eq!(byte_size("512KiB"), Ok(512 << 10));
        assert_eq!(byte_size("32MiB"), Ok(32 << 20));
        assert_eq!(byte_size("1GiB"), Ok(1 << 30));
        assert_eq!(byte_size("2 MB"), Ok(2_000_000));
        for bad in ["", "0", "MiB", "12XB", "-1", "99999999999GiB"] {
            assert!(byte_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn default_limit_and_page_fit() {
        let c = single(parse(&[]).unwrap());
        assert_eq!(c.max_response_size, 32 << 20);
        assert!(c.tls.is_none(), "no TLS option: reqwest's own set-up");
        // 8192 torrents × 4 KiB = 32 MiB fits; one more does not.
        parse(&["--porla.page-size", "8192"]).unwrap();
        let e = error(&["--porla.page-size", "8193"]);
        assert!(
            e.contains("--porla.max-response-size") && e.contains("--porla.page-size"),
            "{e}"
        );
        parse(&[
            "--porla.page-size",
            "20000",
            "--porla.max-response-size",
            "100MiB",
        ])
        .unwrap();
    }

    #[test]
    fn instances_take_their_own_limit_and_tls() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("i.toml");
        std::fs::write(
            &f,
            "[instances.a]\nurl = \"https://h\"\nmax_response_size = \"8MiB\"\ntls_server_name = \"porla.internal\"\ntls_insecure_skip_verify = true\n[instances.b]\nurl = \"http://h\"\nmax_response_size = 4194304\n[instances.c]\nurl = \"http://h\"\n",
        )
        .unwrap();
        let c = parse(&[
            "--config.file",
            f.to_str().unwrap(),
            "--porla.max-response-size",
            "16MiB",
            "--porla.tls.server-name",
            "flag.internal",
        ])
        .unwrap();
        let t = named(c);
        assert_eq!(t[0].1.max_response_size, 8 << 20);
        assert_eq!(
            t[0].1.tls.as_ref().unwrap().options.server_name.as_deref(),
            Some("porla.internal")
        );
        assert!(t[0].1.tls.as_ref().unwrap().options.insecure_skip_verify);
        assert_eq!(t[1].1.max_response_size, 4 << 20);
        assert_eq!(
            t[2].1.max_response_size,
            16 << 20,
            "the flag is the default"
        );
        for (body, needle) in [
            ("max_response_size = \"lots\"", "max_response_size"),
            ("max_response_size = 0", "max_response_size"),
            ("max_response_size = 1024", "page-size"),
            ("tls_cert_file = \"/nonexistent\"", "tls_key_file"),
            ("tls_ca_file = \"/nonexistent\"", "tls_ca_file"),
        ] {
            std::fs::write(&f, format!("[instances.a]\nurl = \"https://h\"\n{body}\n")).unwrap();
            let e = error(&["--config.file", f.to_str().unwrap()]);
            assert!(
                e.contains(needle) && e.contains("instance \"a\""),
                "{body}: {e}"
            );
            assert!(!e.contains('\n'), "{e}");
        }
    }

    // One config path: the --porla.* flags and a file's table resolve alike.

    /// A `--config.file` with these tables, in `dir`.
    fn write_instances(dir: &Path, body: &str) -> PathBuf {
        let f = dir.join("instances.toml");
        std::fs::write(&f, body).unwrap();
        f
    }

    #[test]
    fn a_given_porla_url_with_config_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_instances(
            dir.path(),
            "[instances.a]\nurl = \"http://10.0.0.5:1337\"\n",
        );
        let f = f.to_str().unwrap();
        // Without --porla.url the file runs; its default is no reason to refuse.
        assert_eq!(named(parse(&["--config.file", f]).unwrap()).len(), 1);
        // Given, even with the default's value, it is one line naming both.
        for url in ["http://10.0.0.9:1337", defaults::PORLA_URL] {
            let e = error(&["--config.file", f, "--porla.url", url]);
            assert!(
                e.starts_with("--config.file (")
                    && e.contains("--porla.url (PORLA_URL) cannot be used together"),
                "{e}"
            );
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
        // So is a credential flag, as before.
        let tok = dir.path().join("tok");
        std::fs::write(&tok, "t").unwrap();
        let e = error(&[
            "--config.file",
            f,
            "--porla.token-file",
            tok.to_str().unwrap(),
        ]);
        assert!(
            e.contains("--porla.token-file (PORLA_TOKEN_FILE) cannot be used together"),
            "{e}"
        );
    }

    #[test]
    fn flags_and_a_file_table_resolve_alike() {
        let dir = tempfile::tempdir().unwrap();
        let tok = dir.path().join("tok");
        std::fs::write(&tok, "Bearer t\n").unwrap();
        let tok = tok.to_str().unwrap();
        let from_flags = single(
            parse(&[
                "--porla.url",
                "https://h:8443/porla",
                "--porla.token-file",
                tok,
                "--porla.timeout",
                "3s",
                "--porla.max-response-size",
                "8MiB",
                "--porla.tls.server-name",
                "porla.internal",
                "--porla.tls.insecure-skip-verify",
            ])
            .unwrap(),
        );
        let f = write_instances(
            dir.path(),
            &format!("[instances.a]\nurl = \"https://h:8443/porla\"\ntoken_file = {tok:?}\ntimeout = \"3s\"\nmax_response_size = \"8MiB\"\ntls_server_name = \"porla.internal\"\ntls_insecure_skip_verify = true\n"),
        );
        let (_, from_file) = named(parse(&["--config.file", f.to_str().unwrap()]).unwrap())
            .pop()
            .unwrap();
        for c in [&from_flags, &from_file] {
            assert_eq!(c.url.as_str(), "https://h:8443/porla");
            assert_eq!(c.timeout, Duration::from_secs(3));
            assert_eq!(c.max_response_size, 8 << 20);
            assert!(
                matches!(&c.auth, Auth::TokenFile { path, token } if path.to_str() == Some(tok) && token.expose() == "t"),
                "{:?}",
                c.auth
            );
        }
        assert_eq!(
            from_flags.tls.as_ref().map(|t| &t.options),
            from_file.tls.as_ref().map(|t| &t.options)
        );
        assert!(from_file.tls.unwrap().options.insecure_skip_verify);
    }

    /// The same mistake, written as flags and as a table: the same check, each naming the
    /// setting as the user wrote it.
    #[test]
    fn one_check_names_the_flag_or_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "secret").unwrap();
        let pw = pw.to_str().unwrap();
        let pw_key = format!("password_file = {pw:?}");
        for (flags, table, flag_says, file_says) in [
            (
                &["--porla.username", "u"][..],
                "username = \"u\"",
                "--porla.username (PORLA_USERNAME) needs --porla.password-file (PORLA_PASSWORD_FILE) or --porla.password (PORLA_PASSWORD)",
                "instance \"a\": username needs password_file",
            ),
            (
                &["--porla.password-file", pw][..],
                pw_key.as_str(),
                "--porla.password-file (PORLA_PASSWORD_FILE) needs --porla.username (PORLA_USERNAME)",
                "instance \"a\": password_file needs username",
            ),
            (
                &["--porla.token-file", "/t", "--porla.username", "u"][..],
                "token_file = \"/t\"\nusername = \"u\"",
                "--porla.token-file (PORLA_TOKEN_FILE) and --porla.username (PORLA_USERNAME) are both set",
                "instance \"a\": token_file and username are both set",
            ),
            (
                &["--porla.token-file", "/nonexistent/t"][..],
                "token_file = \"/nonexistent/t\"",
                "--porla.token-file: ",
                "instance \"a\": token_file: ",
            ),
            (
                &["--porla.tls.cert-file", "/c"][..],
                "tls_cert_file = \"/c\"",
                "--porla.tls.cert-file needs --porla.tls.key-file",
                "instance \"a\": tls_cert_file needs ",
            ),
        ] {
            let e = error(flags);
            assert!(e.contains(flag_says), "{flags:?}: {e}");
            let f = write_instances(
                dir.path(),
                &format!("[instances.a]\nurl = \"http://h\"\n{table}\n"),
            );
            let e = error(&["--config.file", f.to_str().unwrap()]);
            assert!(e.starts_with("--config.file: ") && e.contains(file_says), "{table}: {e}");
            assert!(!e.contains('\n'), "{e:?}");
        }
    }

    /// The --porla.* flags other than the URL and the credential are every instance's defaults.
    #[test]
    fn file_instances_default_to_the_flags() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_instances(
            dir.path(),
            "[instances.own]\nurl = \"http://h\"\ntimeout = \"3s\"\n[instances.plain]\nurl = \"http://h\"\n",
        );
        let t = named(
            parse(&[
                "--config.file",
                f.to_str().unwrap(),
                "--porla.timeout",
                "7s",
            ])
            .unwrap(),
        );
        assert_eq!(t[0].0, "own");
        assert_eq!(t[0].1.timeout, Duration::from_secs(3));
        assert_eq!(
            t[1].1.timeout,
            Duration::from_secs(7),
            "the flag is the default"
        );
        // A zero timeout is refused in the file as on the command line.
        let f = write_instances(
            dir.path(),
            "[instances.a]\nurl = \"http://h\"\ntimeout = \"0s\"\n",
        );
        let e = error(&["--config.file", f.to_str().unwrap()]);
        assert!(
            e.contains("instance \"a\": timeout: must be more than 0"),
            "{e}"
        );
    }

    /// `--collector.tracker.classes-file` is read at start, and is every file instance's
    /// default; a table's `classes_file` wins; instances naming one file share it; a bad file
    /// is one line naming the setting, the file and the line.
    #[test]
    fn classes_files_are_read_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        std::fs::write(&good, "unregistered ^gone$\n").unwrap();
        let own = dir.path().join("own");
        std::fs::write(&own, "access_denied ^nope$\naccess_denied ^never$\n").unwrap();
        let bad = dir.path().join("bad");
        std::fs::write(&bad, "# fine\n\nunregistered (unclosed\n").unwrap();
        let (good_s, own_s, bad_s) = (
            good.to_str().unwrap(),
            own.to_str().unwrap(),
            bad.to_str().unwrap(),
        );

        let c = parse(&[]).unwrap();
        assert!(c.classes.is_empty(), "built-in patterns only");
        let c = parse(&["--collector.tracker.classes-file", good_s]).unwrap();
        assert_eq!(c.classes[""].rules(), 1);

        let e = error(&["--collector.tracker.classes-file", bad_s]);
        assert!(
            e.starts_with(&format!(
                "--collector.tracker.classes-file: {bad_s}:3: bad pattern"
            )),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e:?}");

        let f = write_instances(
            dir.path(),
            &format!("[instances.a]\nurl = \"http://h\"\n[instances.b]\nurl = \"http://h\"\nclasses_file = {own_s:?}\n[instances.c]\nurl = \"http://h\"\n"),
        );
        let c = parse(&[
            "--config.file",
            f.to_str().unwrap(),
            "--collector.tracker.classes-file",
            good_s,
        ])
        .unwrap();
        assert_eq!(c.classes["a"].rules(), 1, "the flag is the default");
        assert_eq!(c.classes["b"].rules(), 2);
        assert!(Arc::ptr_eq(&c.classes["a"], &c.classes["c"]), "read once");
        let c = parse(&["--config.file", f.to_str().unwrap()]).unwrap();
        assert_eq!(c.classes.keys().collect::<Vec<_>>(), ["b"]);

        let f = write_instances(
            dir.path(),
            &format!("[instances.a]\nurl = \"http://h\"\nclasses_file = {bad_s:?}\n"),
        );
        let e = error(&["--config.file", f.to_str().unwrap()]);
        assert!(
            e.starts_with(&format!(
                "--config.file: instance \"a\": classes_file: {bad_s}:3: bad pattern"
            )),
            "{e}"
        );
        // The flag's file is named by the flag, even when only instances use it.
        let f = write_instances(dir.path(), "[instances.a]\nurl = \"http://h\"\n");
        let e = error(&[
            "--config.file",
            f.to_str().unwrap(),
            "--collector.tracker.classes-file",
            bad_s,
        ]);
        assert!(e.starts_with("--collector.tracker.classes-file: "), "{e}");
    }

    #[test]
    fn poll_mode_flag_maps_to_the_library() {
        assert_eq!(single_mode(&["--poll.mode", "full"]), PollMode::Full);
        assert_eq!(
            single_mode(&["--poll.mode", "scheduled"]),
            PollMode::Scheduled
        );
        for mode in [PollMode::Full, PollMode::Scheduled] {
            let name = poll_mode_name(mode);
            assert_eq!(single_mode(&["--poll.mode", &name]), mode, "{name}");
        }
        assert_eq!(poll_mode_name(PollMode::Scheduled), "scheduled");
    }

    fn single_mode(args: &[&str]) -> PollMode {
        parse(args).unwrap().poll.mode
    }
}
