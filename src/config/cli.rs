//! The command line: [`Cli`] is what clap parses (every flag also reads an environment
//! variable); [`Cli::into_config`] checks it into a [`Config`]. The `--porla.*` flags are one
//! Porla instance, checked like a table of `--config.file` (see [`super`]).
//!
//! The library's types know nothing of clap: flag spellings that are enums of the library live
//! here ([`PollModeFlag`] for [`PollMode`]).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;
use clap::parser::ValueSource;
use clap::{Parser, Subcommand, ValueEnum};

use super::{
    file, parse_listen_address, ClassesByInstance, Config, InstanceSpec, Instances, Origin,
    PerTorrentByInstance,
};
use crate::defaults::{self, byte_size, duration};
use crate::poller::{PollConfig, PollMode};
use crate::snapshot::{PerTorrent, ViewOptions};
use crate::webconfig::WebConfig;

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
    /// `--porla.url` (`PORLA_URL`), and whether it was given or is the default.
    #[command(flatten)]
    pub porla_url: PorlaUrl,

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
        default_value_t = PollModeFlag::from(PollMode::default())
    )]
    pub poll_mode: PollModeFlag,

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

    /// Which torrents' per torrent × tracker series are exported: true (every torrent),
    /// attention (only torrents that need attention: a tracker in error or failing, an overdue
    /// announce, few seeders; and for --collector.tracker.attention-hold after), false (per-host
    /// aggregates only).
    #[arg(long = "collector.tracker.per-torrent", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_PER_TORRENT",
          value_enum, default_value_t = PerTorrentFlag::from(ViewOptions::default().per_torrent_mode()))]
    pub per_torrent: PerTorrentFlag,

    /// With --collector.tracker.per-torrent=attention: how long a torrent stays exported after
    /// it last needed attention.
    #[arg(long = "collector.tracker.attention-hold", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_ATTENTION_HOLD",
          default_value = defaults::ATTENTION_HOLD, value_parser = duration)]
    pub attention_hold: Duration,

    /// With --collector.tracker.per-torrent=attention: a torrent whose best tracker reports fewer
    /// seeders than this needs attention (0: never for its seeders).
    #[arg(long = "collector.tracker.attention-few-seeders", env = "PORLA_EXPORTER_COLLECTOR_TRACKER_ATTENTION_FEW_SEEDERS",
          default_value_t = defaults::ATTENTION_FEW_SEEDERS)]
    pub attention_few_seeders: u32,

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

    /// File of your own `class regex` rules for tracker messages, checked before the built-in
    /// patterns (docs/metrics.md); read again on SIGHUP.
    #[arg(
        long = "collector.tracker.classes-file",
        env = "PORLA_EXPORTER_COLLECTOR_TRACKER_CLASSES_FILE",
        global = true
    )]
    pub classes_file: Option<PathBuf>,

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
    /// Probe the running exporter's /-/healthy (for container health checks), through TLS when
    /// --web.config.file turns it on; exit 0 if healthy.
    Healthcheck,
    /// Classify tracker messages, one a line (from FILEs, or stdin): print each one's class and the
    /// rule that decided, with --collector.tracker.classes-file first as at start.
    Classify(Classify),
    /// Print the man page or shell completions (for packagers; see src/generate.rs).
    #[command(hide = true)]
    Generate(crate::generate::Generate),
}

/// `porla-exporter classify [FILE]...`: tracker messages, one a line, classified as the exporter
/// classifies a tracker's failure message (docs/metrics.md, *Error classes*).
#[derive(Debug, clap::Args)]
pub struct Classify {
    /// Files of tracker messages, one a line; without any (or with `-`), stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `--poll.mode` as the command line spells it: `full` or `scheduled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PollModeFlag {
    /// Every torrent, every cycle.
    Full,
    /// New torrents, torrents whose earliest announce has passed (plus a margin), torrents
    /// with an announce in flight, and everything older than the full-sweep interval.
    Scheduled,
}

impl From<PollModeFlag> for PollMode {
    fn from(flag: PollModeFlag) -> PollMode {
        match flag {
            PollModeFlag::Full => PollMode::Full,
            PollModeFlag::Scheduled => PollMode::Scheduled,
        }
    }
}

impl From<PollMode> for PollModeFlag {
    fn from(mode: PollMode) -> PollModeFlag {
        match mode {
            PollMode::Full => PollModeFlag::Full,
            PollMode::Scheduled => PollModeFlag::Scheduled,
        }
    }
}

/// `--collector.tracker.per-torrent` as the command line spells it: `true`, `attention` or
/// `false` (the flag was a boolean before `attention`: its spellings keep their meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerTorrentFlag {
    /// Every torrent's series.
    #[value(name = "true")]
    True,
    /// Only the torrents that need attention (and within the hold time after).
    Attention,
    /// None: per-host aggregates only.
    #[value(name = "false")]
    False,
}

impl From<PerTorrentFlag> for PerTorrent {
    fn from(flag: PerTorrentFlag) -> PerTorrent {
        match flag {
            PerTorrentFlag::True => PerTorrent::All,
            PerTorrentFlag::Attention => PerTorrent::Attention,
            PerTorrentFlag::False => PerTorrent::Off,
        }
    }
}

impl From<PerTorrent> for PerTorrentFlag {
    fn from(mode: PerTorrent) -> PerTorrentFlag {
        match mode {
            PerTorrent::All => PerTorrentFlag::True,
            PerTorrent::Attention => PerTorrentFlag::Attention,
            PerTorrent::Off => PerTorrentFlag::False,
        }
    }
}

/// A mode as `--collector.tracker.per-torrent` spells it (`true`, `attention`, `false`).
pub fn per_torrent_name(mode: PerTorrent) -> String {
    PerTorrentFlag::from(mode)
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// A poll mode as `--poll.mode` spells it (`scheduled`, `full`), for logs.
pub fn poll_mode_name(mode: PollMode) -> String {
    PollModeFlag::from(mode)
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// `--porla.url`, and whether the user gave it (on the command line or as `PORLA_URL`) rather
/// than leaving the default: with `--config.file` a given URL is an error, the default is not.
/// Clap's derive cannot tell the two apart, so this one flag is added by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PorlaUrl {
    pub value: String,
    pub given: bool,
}

impl PorlaUrl {
    /// The argument's id (the derive would have used the field name).
    const ID: &'static str = "porla_url";
}

impl clap::Args for PorlaUrl {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.arg(
            clap::Arg::new(Self::ID)
                .long("porla.url")
                .env("PORLA_URL")
                .value_name("PORLA_URL")
                .default_value(defaults::PORLA_URL)
                .action(clap::ArgAction::Set)
                .help(
                    "Base URL of Porla's HTTP API (may carry a base path, e.g. http://host:1337/porla)",
                ),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for PorlaUrl {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let value = m
            .get_one::<String>(Self::ID)
            .cloned()
            .unwrap_or_else(|| defaults::PORLA_URL.to_owned());
        let given = matches!(
            m.value_source(Self::ID),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        );
        Ok(PorlaUrl { value, given })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Cli {
    /// The Porla instance of the `--porla.*` flags. Unset timeout and size take the flags'
    /// defaults, so with `--config.file` each is an instance's default.
    fn porla_spec(&self) -> InstanceSpec {
        InstanceSpec {
            url: self.porla_url.value.clone(),
            token_file: self.porla_token_file.clone(),
            token: self.porla_token.clone(),
            username: self.porla_username.clone(),
            password_file: self.porla_password_file.clone(),
            password: self.porla_password.clone(),
            timeout: Some(self.porla_timeout),
            max_response_size: Some(self.porla_max_response_size),
            tls_ca_file: self.porla_tls_ca_file.clone(),
            tls_cert_file: self.porla_tls_cert_file.clone(),
            tls_key_file: self.porla_tls_key_file.clone(),
            tls_server_name: self.porla_tls_server_name.clone(),
            tls_insecure_skip_verify: Some(self.porla_tls_insecure_skip_verify),
            classes_file: self.classes_file.clone(),
            per_torrent: None,
        }
    }

    /// The `--porla.*` flags that name one instance: the URL (only when given) and the
    /// credentials. With `--config.file` they are an error, since each instance names its own.
    fn porla_instance_flags(&self) -> Vec<String> {
        [
            ("url", self.porla_url.given),
            ("token", self.porla_token.is_some()),
            ("token_file", self.porla_token_file.is_some()),
            ("username", self.porla_username.is_some()),
            ("password_file", self.porla_password_file.is_some()),
            ("password", self.porla_password.is_some()),
        ]
        .into_iter()
        .filter(|(_, given)| *given)
        .map(|(key, _)| Origin::Flags.setting(key))
        .collect()
    }

    /// The Porla instances: the flags' one, or the file's, each resolved the same way;
    /// and the classes of the instances with a classes file, by name (see [`Config::classes`]).
    fn instances(&self) -> anyhow::Result<(Instances, ClassesByInstance, PerTorrentByInstance)> {
        let flags = self.porla_spec();
        let mut classes = ClassesByInstance::default();
        let Some(path) = &self.config_file else {
            classes.load("", Origin::Flags, flags.classes_file.as_deref())?;
            let client = flags.resolve(Origin::Flags, self.porla_page_size)?;
            return Ok((
                Instances::Single(Box::new(client)),
                classes,
                PerTorrentByInstance::new(),
            ));
        };
        if let Some(first) = self.porla_instance_flags().first() {
            bail!(
                "--config.file ({}) and {first} cannot be used together: give each instance's url and credential in the file",
                path.display()
            );
        }
        // The --porla.tls.* flags are the instances' defaults: a bad file is named by its flag.
        flags.tls(Origin::Flags)?;
        // So is the classes file of the flag.
        if let Some(f) = &flags.classes_file {
            classes.read(Origin::Flags, f)?;
        }
        let mut per_torrent = PerTorrentByInstance::new();
        let named = file::read(path)?
            .into_iter()
            .map(|(name, spec)| {
                if let Some(mode) = spec.per_torrent {
                    per_torrent.insert(name.clone(), mode);
                }
                let spec = spec.with_defaults(&flags);
                classes.load(&name, Origin::File(&name), spec.classes_file.as_deref())?;
                let client = spec.resolve(Origin::File(&name), self.porla_page_size)?;
                Ok((name, client))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok((Instances::Named(named), classes, per_torrent))
    }

    /// Validates the flags. The error's message is one line naming the flag.
    pub fn into_config(self) -> anyhow::Result<Config> {
        if self.poll_interval < Duration::from_secs(1) {
            bail!("--poll.interval: must be at least 1s");
        }
        if self.porla_timeout.is_zero() {
            bail!("--porla.timeout: must be more than 0");
        }
        let (instances, classes, per_torrent) = self.instances()?;
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
            instances,
            classes: classes.by_instance,
            per_torrent,
            web_config,
            read_header_timeout: self.web_read_header_timeout,
            poll: PollConfig {
                interval: self.poll_interval,
                concurrency: usize::from(self.porla_concurrency),
                page_size: self.porla_page_size,
                mode: self.poll_mode.into(),
                full_sweep_interval: self.poll_full_sweep_interval.max(self.poll_interval),
                view: ViewOptions {
                    per_torrent: PerTorrent::from(self.per_torrent) != PerTorrent::Off,
                    attention: PerTorrent::from(self.per_torrent) == PerTorrent::Attention,
                    attention_hold: self.attention_hold.as_secs_f64(),
                    attention_few_seeders: i64::from(self.attention_few_seeders),
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
