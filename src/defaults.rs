//! The default of every setting, in one place: the flags in [`crate::config`] take their
//! defaults from here, and so do the library's `Default` impls ([`crate::poller::PollConfig`],
//! [`crate::snapshot::ViewOptions`]), so a test built on `Default` runs what users run.
//!
//! Durations are written as the flags read them (humantime); [`duration`] parses them.

use std::time::Duration;

/// `--porla.url`.
pub const PORLA_URL: &str = "http://127.0.0.1:1337";
/// `--porla.timeout`.
pub const PORLA_TIMEOUT: &str = "10s";
/// `--porla.concurrency`.
pub const PORLA_CONCURRENCY: u16 = 2;
/// `--porla.page-size`.
pub const PORLA_PAGE_SIZE: u64 = 1000;
/// `--poll.interval`.
pub const POLL_INTERVAL: &str = "30s";
/// `--poll.full-sweep-interval`.
pub const POLL_FULL_SWEEP_INTERVAL: &str = "30m";
/// `--collector.tracker.per-torrent`.
pub const PER_TORRENT: bool = true;
/// `--collector.tracker.per-endpoint`.
pub const PER_ENDPOINT: bool = false;
/// `--collector.tracker.details`.
pub const TRACKER_DETAILS: bool = false;
/// `--collector.overdue-grace`.
pub const OVERDUE_GRACE: &str = "5m";
/// `--collector.max-series`.
pub const MAX_SERIES: usize = 500_000;
/// Default listen port: outside the 9100–9999 range of the Prometheus default-port registry,
/// which is fully allocated.
pub const PORT: u16 = 10337;
/// `--web.listen-address`.
pub const WEB_LISTEN_ADDRESS: &str = ":10337";
/// `--web.telemetry-path`.
pub const WEB_TELEMETRY_PATH: &str = "/metrics";
/// `--web.max-connections`.
pub const WEB_MAX_CONNECTIONS: u32 = 64;
/// `--web.read-header-timeout`.
pub const WEB_READ_HEADER_TIMEOUT: &str = "10s";

/// Not flags: wait after a scheduled announce before asking, so the answer has arrived.
pub const ANNOUNCE_MARGIN: Duration = Duration::from_secs(15);
/// Not a flag: a call to Porla slower than this makes the pacer back off.
pub const SLOW_CALL: Duration = Duration::from_millis(500);

/// Parses a duration as the flags take it (`30s`, `5m`, `1h`).
pub fn duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (use e.g. 30s, 5m, 1h)"))
}

/// A default duration of this module (they all parse: see the test).
pub(crate) fn default_duration(s: &'static str) -> Duration {
    duration(s).unwrap_or_else(|e| panic!("default duration {s:?}: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_durations_parse() {
        for d in [
            super::PORLA_TIMEOUT,
            super::POLL_INTERVAL,
            super::POLL_FULL_SWEEP_INTERVAL,
            super::OVERDUE_GRACE,
            super::WEB_READ_HEADER_TIMEOUT,
        ] {
            assert!(super::duration(d).is_ok(), "{d}");
        }
        assert!(super::WEB_LISTEN_ADDRESS.ends_with(&super::PORT.to_string()));
    }
}
