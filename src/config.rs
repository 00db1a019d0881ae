//! Command-line flags (each also read from an environment variable) and their validation.
//!
//! [`Cli`] is what clap parses; [`Cli::into_config`] checks it and returns a [`Config`], or an
//! error whose one-line message names the offending flag.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use url::Url;

use crate::defaults::byte_size;
use crate::defaults::{self, duration};
use crate::poller::{PollConfig, PollMode};
use crate::porla::{clean_token, Auth, ClientConfig, Secret, TlsOptions};
use crate::snapshot::ViewOptions;
use crate::webconfig::WebConfig;

/// Bytes of `torrents.list` answer allowed per torrent of a page when checking that a page
/// fits the size limit. A real item is about 1.5 KB; long names and many labels stay under 4 KiB.
pub const PAGE_BYTES_PER_TORRENT: u64 = 4096;

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

/// One size value of a `--config.file`: bytes, or a text with a unit.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum SizeSpec {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Logfmt,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// Prometheus exporter for the tracker announce state of a Porla BitTorrent daemon.
#[derive(Debug, Parser)]
#[command(name = "porla-exporter", version = crate::generate::VERSION, about, long_about = None)]
pub struct Cli {
    /// Base URL of Porla's HTTP API (may carry a base path, e.g. http://host:1337/porla).
    #[arg(
        long = "porla.url",
        env = "PORLA_URL",
        default_value = defaults::PORLA_URL
    )]
    pub porla_url: String,

    /// File holding a Porla JWT (from `porla auth:token`); re-read when Porla answers 401.
    #[arg(long = "porla.token-file", env = "PORLA_TOKEN_FILE")]
    pub porla_token_file: Option<PathBuf>,

    /// A Porla JWT. Prefer --porla.token-file: flags are visible in the process list.
    #[arg(long = "porla.token", env = "PORLA_TOKEN", hide_env_values = true)]
    pub porla_token: Option<String>,

    /// Porla username, to log in at /api/v1/auth/login (with --porla.password-file or --porla.password).
    #[arg(long = "porla.username", env = "PORLA_USERNAME")]
    pub porla_username: Option<String>,

    /// File holding the Porla password.
    #[arg(long = "porla.password-file", env = "PORLA_PASSWORD_FILE")]
    pub porla_password_file: Option<PathBuf>,

    /// The Porla password. Prefer --porla.password-file: flags are visible in the process list.
    #[arg(
        long = "porla.password",
        env = "PORLA_PASSWORD",
        hide_env_values = true
    )]
    pub porla_password: Option<String>,

    /// Timeout of one request to Porla.
    #[arg(long = "porla.timeout", env = "PORLA_TIMEOUT", default_value = defaults::PORLA_TIMEOUT, value_parser = duration)]
    pub porla_timeout: Duration,

    /// Calls to Porla in flight at once. Porla answers on one event loop: keep it small.
    #[arg(long = "porla.concurrency", env = "PORLA_CONCURRENCY", default_value_t = defaults::PORLA_CONCURRENCY,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub porla_concurrency: u16,

    /// Torrents per torrents.list page.
    #[arg(long = "porla.page-size", env = "PORLA_PAGE_SIZE", default_value_t = defaults::PORLA_PAGE_SIZE,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub porla_page_size: u64,

    /// Largest answer read from Porla (bytes; KiB, MiB, GiB suffixes); a longer one is cut off
    /// and fails as too_large. Must fit a whole --porla.page-size page (4 KiB per torrent).
    #[arg(long = "porla.max-response-size", env = "PORLA_MAX_RESPONSE_SIZE", default_value = defaults::PORLA_MAX_RESPONSE_SIZE,
          value_parser = byte_size)]
    pub porla_max_response_size: u64,

    /// PEM file of CA certificates trusted for an https:// Porla URL, besides the built-in roots.
    #[arg(long = "porla.tls.ca-file", env = "PORLA_TLS_CA_FILE")]
    pub porla_tls_ca_file: Option<PathBuf>,

    /// PEM client certificate presented to Porla's TLS front (with --porla.tls.key-file).
    #[arg(long = "porla.tls.cert-file", env = "PORLA_TLS_CERT_FILE")]
    pub porla_tls_cert_file: Option<PathBuf>,

    /// PEM private key of --porla.tls.cert-file.
    #[arg(long = "porla.tls.key-file", env = "PORLA_TLS_KEY_FILE")]
    pub porla_tls_key_file: Option<PathBuf>,

    /// Name Porla's certificate must be valid for, if it differs from the URL's host.
    #[arg(long = "porla.tls.server-name", env = "PORLA_TLS_SERVER_NAME")]
    pub porla_tls_server_name: Option<String>,

    /// Accept any certificate from Porla's TLS front (encrypted, but not authenticated).
    #[arg(long = "porla.tls.insecure-skip-verify", env = "PORLA_TLS_INSECURE_SKIP_VERIFY",
          default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub porla_tls_insecure_skip_verify: bool,

    /// Time between polls of Porla.
    #[arg(long = "poll.interval", env = "PORLA_EXPORTER_POLL_INTERVAL", default_value = defaults::POLL_INTERVAL, value_parser = duration)]
    pub poll_interval: Duration,

    /// full: every torrent's trackers every interval; scheduled: only torrents whose announce
    /// is due, new or in flight, plus a slow full sweep.
    #[arg(
        long = "poll.mode",
        env = "PORLA_EXPORTER_POLL_MODE",
        value_enum,
        default_value_t = PollMode::default()
    )]
    pub poll_mode: PollMode,

    /// In scheduled mode, the longest a torrent's tracker data goes without a refresh.
    #[arg(long = "poll.full-sweep-interval", env = "PORLA_EXPORTER_POLL_FULL_SWEEP_INTERVAL", default_value = defaults::POLL_FULL_SWEEP_INTERVAL, value_parser = duration)]
    pub poll_full_sweep_interval: Duration,

    /// Address to listen on (`:port` listens on all interfaces).
    #[arg(
        long = "web.listen-address",
        env = "PORLA_EXPORTER_WEB_LISTEN_ADDRESS",
        default_value = defaults::WEB_LISTEN_ADDRESS
    )]
    pub web_listen_address: String,

    /// Path under which the metrics are served.
    #[arg(
        long = "web.telemetry-path",
        env = "PORLA_EXPORTER_WEB_TELEMETRY_PATH",
        default_value = defaults::WEB_TELEMETRY_PATH
    )]
    pub web_telemetry_path: String,

    /// Maximum concurrent HTTP connections.
    #[arg(long = "web.max-connections", env = "PORLA_EXPORTER_WEB_MAX_CONNECTIONS", default_value_t = defaults::WEB_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub web_max_connections: u32,

    /// Export per torrent × tracker series (false leaves only per-host aggregates).
    #[arg(long = "collector.tracker.per-torrent", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_PER_TORRENT",
          default_value_t = defaults::PER_TORRENT, action = clap::ArgAction::Set)]
    pub per_torrent: bool,

    /// One series per endpoint and protocol (adds `endpoint` and `protocol` labels).
    #[arg(long = "collector.tracker.per-endpoint", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_PER_ENDPOINT",
          default_value_t = defaults::PER_ENDPOINT, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub per_endpoint: bool,

    /// Also export the rarely read per torrent × tracker detail gauges: min_announce, verified, updating.
    #[arg(long = "collector.tracker.details", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_DETAILS",
          default_value_t = defaults::TRACKER_DETAILS, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub tracker_details: bool,

    /// How long past its scheduled time an announce counts as overdue.
    #[arg(long = "collector.overdue-grace", env = "PORLA_EXPORTER_COLLECTOR_OVERDUE_GRACE", default_value = defaults::OVERDUE_GRACE, value_parser = duration)]
    pub overdue_grace: Duration,

    /// Maximum number of per-torrent series (0 = unlimited); the rest is dropped and counted.
    #[arg(
        long = "collector.max-series",
        env = "PORLA_EXPORTER_COLLECTOR_MAX_SERIES",
        default_value_t = defaults::MAX_SERIES
    )]
    pub max_series: usize,

    /// TOML file naming several Porla instances, served as /probe?target=<name> (see docs/deployment.md).
    #[arg(long = "config.file", env = "PORLA_EXPORTER_CONFIG_FILE")]
    pub config_file: Option<PathBuf>,

    /// Prometheus exporter-toolkit web configuration file (TLS, basic auth, headers).
    #[arg(long = "web.config.file", env = "PORLA_EXPORTER_WEB_CONFIG_FILE")]
    pub web_config_file: Option<PathBuf>,

    /// Time a client has to send a request's headers (also bounds the TLS handshake).
    #[arg(long = "web.read-header-timeout", env = "PORLA_EXPORTER_WEB_READ_HEADER_TIMEOUT", default_value = defaults::WEB_READ_HEADER_TIMEOUT, value_parser = duration)]
    pub web_read_header_timeout: Duration,

    /// Log level.
    #[arg(
        long = "log.level",
        env = "PORLA_EXPORTER_LOG_LEVEL",
        value_enum,
        default_value = "info"
    )]
    pub log_level: LogLevel,

    /// Log format.
    #[arg(
        long = "log.format",
        env = "PORLA_EXPORTER_LOG_FORMAT",
        value_enum,
        default_value = "logfmt"
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Probe the running exporter's /-/healthy (for container health checks); exit 0 if healthy.
    Healthcheck,
    /// Print the man page or shell completions (for packagers; see src/generate.rs).
    #[command(hide = true)]
    Generate(crate::generate::Generate),
}

/// One Porla instance of a `--config.file`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InstanceSpec {
    url: String,
    token_file: Option<PathBuf>,
    username: Option<String>,
    password_file: Option<PathBuf>,
    timeout: Option<String>,
    max_response_size: Option<SizeSpec>,
    tls_ca_file: Option<PathBuf>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    tls_server_name: Option<String>,
    tls_insecure_skip_verify: Option<bool>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InstancesFile {
    instances: std::collections::BTreeMap<String, InstanceSpec>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The Porla instance of the `--porla.*` flags, served on the telemetry path; `None` with
    /// `--config.file`.
    pub client: Option<ClientConfig>,
    /// Instances of `--config.file`, served at `/probe?target=<name>`.
    pub targets: Vec<(String, ClientConfig)>,
    pub poll: PollConfig,
    /// `--web.config.file`, read and checked once.
    pub web_config: Option<WebConfig>,
    pub read_header_timeout: Duration,
    pub listen: SocketAddr,
    pub telemetry_path: String,
    pub max_connections: usize,
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

fn read_secret(flag: &str, path: &PathBuf) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag}: cannot read {}", path.display()))?;
    let t = text.trim();
    if t.is_empty() {
        bail!("{flag}: {} is empty", path.display());
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

/// Reads a `--config.file` of Porla instances.
fn read_instances(
    path: &std::path::Path,
    timeout: Duration,
    max_response_size: u64,
    page_size: u64,
    tls: &TlsOptions,
) -> anyhow::Result<Vec<(String, ClientConfig)>> {
    let defaults = tls;
    let flag = "--config.file";
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag}: cannot read {}", path.display()))?;
    let file: InstancesFile = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "{flag}: {}: {}",
            path.display(),
            e.message().replace('\n', " ")
        )
    })?;
    if file.instances.is_empty() {
        bail!("{flag}: {} names no [instances.<name>]", path.display());
    }
    let mut out = Vec::new();
    for (name, spec) in file.instances {
        let what = format!("{flag}: instance {name:?}");
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            bail!("{what}: names may use letters, digits, - and _ only");
        }
        let url = porla_url(&format!("{what}: url"), &spec.url)?;
        let auth = match (spec.token_file, spec.username, spec.password_file) {
            (Some(t), None, None) => {
                Auth::token_file(t).map_err(|e| anyhow!("{what}: token_file: {e}"))?
            }
            (None, Some(u), Some(p)) => Auth::Login {
                username: u,
                password: read_secret(&format!("{what}: password_file"), &p)?,
            },
            (None, None, None) => Auth::None,
            _ => bail!("{what}: give either token_file, or username with password_file"),
        };
        let timeout = match spec.timeout {
            Some(t) => duration(&t).map_err(|e| anyhow!("{what}: timeout: {e}"))?,
            None => timeout,
        };
        let max_response_size = match spec.max_response_size {
            Some(SizeSpec::Bytes(n)) if n > 0 => n,
            Some(SizeSpec::Bytes(_)) => bail!("{what}: max_response_size: must be more than 0"),
            Some(SizeSpec::Text(t)) => {
                byte_size(&t).map_err(|e| anyhow!("{what}: max_response_size: {e}"))?
            }
            None => max_response_size,
        };
        check_page_fits(
            &format!("{what}: max_response_size"),
            max_response_size,
            page_size,
        )?;
        // Each key falls back to its --porla.tls.* flag.
        let tls = TlsOptions {
            ca_file: spec.tls_ca_file.or_else(|| defaults.ca_file.clone()),
            cert_file: spec.tls_cert_file.or_else(|| defaults.cert_file.clone()),
            key_file: spec.tls_key_file.or_else(|| defaults.key_file.clone()),
            server_name: spec
                .tls_server_name
                .or_else(|| defaults.server_name.clone()),
            insecure_skip_verify: spec
                .tls_insecure_skip_verify
                .unwrap_or(defaults.insecure_skip_verify),
        };
        let tls = tls.build(&|k: &str| format!("{what}: tls_{}", k.replace('-', "_")))?;
        out.push((
            name,
            ClientConfig {
                url,
                auth,
                timeout,
                max_response_size,
                tls,
            },
        ));
    }
    Ok(out)
}

impl Cli {
    /// The credential of the `--porla.*` flags (each flag and its environment variable are one
    /// setting). Two kinds at once, or any of them with `--config.file`, is an error naming both.
    fn porla_auth(&self) -> anyhow::Result<Auth> {
        let token = self
            .porla_token
            .is_some()
            .then_some("--porla.token (PORLA_TOKEN)");
        let token_file = self
            .porla_token_file
            .is_some()
            .then_some("--porla.token-file (PORLA_TOKEN_FILE)");
        let login = if self.porla_username.is_some() {
            Some("--porla.username (PORLA_USERNAME)")
        } else if self.porla_password_file.is_some() {
            Some("--porla.password-file (PORLA_PASSWORD_FILE)")
        } else {
            self.porla_password
                .is_some()
                .then_some("--porla.password (PORLA_PASSWORD)")
        };
        let given: Vec<&str> = [token, token_file, login].into_iter().flatten().collect();
        if let Some(file) = &self.config_file {
            if let Some(first) = given.first() {
                bail!(
                    "--config.file ({}) and {first} cannot be used together: give each instance's credential in the file",
                    file.display()
                );
            }
            return Ok(Auth::None);
        }
        if let [a, b, ..] = given[..] {
            bail!("{a} and {b} are both set: give one credential only");
        }
        if let Some(path) = &self.porla_token_file {
            // Read once now: the client uses this content, and reads the file again on 401 only.
            return Auth::token_file(path.clone()).map_err(|e| anyhow!("--porla.token-file: {e}"));
        }
        if let Some(t) = &self.porla_token {
            return clean_token(t)
                .map(Auth::Token)
                .ok_or_else(|| anyhow!("--porla.token (PORLA_TOKEN) is empty"));
        }
        let password = match (&self.porla_password_file, &self.porla_password) {
            (Some(_), Some(_)) => bail!(
                "--porla.password-file (PORLA_PASSWORD_FILE) and --porla.password (PORLA_PASSWORD) are both set: give one"
            ),
            (Some(p), None) => Some(read_secret("--porla.password-file", p)?),
            (None, Some(p)) if p.is_empty() => bail!("--porla.password (PORLA_PASSWORD) is empty"),
            (None, Some(p)) => Some(Secret::new(p.as_str())),
            (None, None) => None,
        };
        match (&self.porla_username, password) {
            (Some(user), Some(password)) => Ok(Auth::Login {
                username: user.clone(),
                password,
            }),
            (Some(_), None) => bail!(
                "--porla.username needs --porla.password-file or --porla.password (PORLA_PASSWORD)"
            ),
            (None, Some(_)) => {
                bail!("--porla.password-file and --porla.password need --porla.username")
            }
            (None, None) => Ok(Auth::None),
        }
    }

    /// Validates the flags. The error's message is one line naming the flag.
    pub fn into_config(self) -> anyhow::Result<Config> {
        let url = porla_url("--porla.url", &self.porla_url)?;
        let auth = self.porla_auth()?;
        if self.poll_interval < Duration::from_secs(1) {
            bail!("--poll.interval: must be at least 1s");
        }
        if self.porla_timeout.is_zero() {
            bail!("--porla.timeout: must be more than 0");
        }
        let tls = TlsOptions {
            ca_file: self.porla_tls_ca_file,
            cert_file: self.porla_tls_cert_file,
            key_file: self.porla_tls_key_file,
            server_name: self.porla_tls_server_name,
            insecure_skip_verify: self.porla_tls_insecure_skip_verify,
        };
        // Read once, now, so that a bad file is a start-up error naming the flag. With
        // --config.file this only checks the flags: each instance makes its own set-up.
        let built = tls.build(&|k: &str| format!("--porla.tls.{k}"))?;
        let (client, targets) = match &self.config_file {
            Some(file) => (
                None,
                read_instances(
                    file,
                    self.porla_timeout,
                    self.porla_max_response_size,
                    self.porla_page_size,
                    &tls,
                )?,
            ),
            None => {
                check_page_fits(
                    "--porla.max-response-size",
                    self.porla_max_response_size,
                    self.porla_page_size,
                )?;
                (
                    Some(ClientConfig {
                        url,
                        auth,
                        timeout: self.porla_timeout,
                        max_response_size: self.porla_max_response_size,
                        tls: built,
                    }),
                    Vec::new(),
                )
            }
        };
        // Read once, here, so that a bad file is a start-up error naming the flag.
        let web_config = self
            .web_config_file
            .as_deref()
            .map(WebConfig::load)
            .transpose()?;
        if self.web_read_header_timeout.is_zero() {
            bail!("--web.read-header-timeout: must be more than 0");
        }
        let path = self.web_telemetry_path;
        if !path.starts_with('/') || path.len() < 2 || path.starts_with("/-/") {
            bail!("--web.telemetry-path: {path:?} must start with / and not be / or under /-/");
        }
        Ok(Config {
            client,
            targets,
            web_config,
            read_header_timeout: self.web_read_header_timeout,
            poll: PollConfig {
                interval: self.poll_interval,
                concurrency: usize::from(self.porla_concurrency),
                page_size: self.porla_page_size,
                mode: self.poll_mode,
                full_sweep_interval: self.poll_full_sweep_interval.max(self.poll_interval),
                view: ViewOptions {
                    per_torrent: self.per_torrent,
                    per_endpoint: self.per_endpoint,
                    overdue_grace: self.overdue_grace.as_secs_f64(),
                    max_series: self.max_series,
                    tracker_details: self.tracker_details,
                },
                announce_margin: defaults::ANNOUNCE_MARGIN,
                slow_call: defaults::SLOW_CALL,
            },
            listen: parse_listen_address(&self.web_listen_address)?,
            telemetry_path: path,
            max_connections: self.web_max_connections as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Config> {
        let mut v = vec!["porla-exporter"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v)
            .map_err(|e| anyhow!("{e}"))?
            .into_config()
    }

    #[test]
    fn defaults_are_sane() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.listen.port(), defaults::PORT);
        assert_eq!(c.client.unwrap().url.as_str(), "http://127.0.0.1:1337/");
        assert_eq!(c.poll.interval, Duration::from_secs(30));
        assert_eq!(c.telemetry_path, "/metrics");
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
            let e = parse(args).unwrap_err().to_string();
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
        assert!(c.client.is_none());
        let names: Vec<_> = c.targets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b-2"]);
        assert_eq!(c.targets[1].1.timeout, Duration::from_secs(3));
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
            let e = parse(&["--config.file", bad.to_str().unwrap()])
                .unwrap_err()
                .to_string();
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
        let c = parse(&[]).unwrap().client.unwrap();
        assert_eq!(c.max_response_size, 32 << 20);
        assert!(c.tls.is_none(), "no TLS option: reqwest's own set-up");
        // 8192 torrents × 4 KiB = 32 MiB fits; one more does not.
        parse(&["--porla.page-size", "8192"]).unwrap();
        let e = parse(&["--porla.page-size", "8193"])
            .unwrap_err()
            .to_string();
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
        let t = &c.targets;
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
            let e = parse(&["--config.file", f.to_str().unwrap()])
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(needle) && e.contains("instance \"a\""),
                "{body}: {e}"
            );
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
