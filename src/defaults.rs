//! The default of every setting, in one place: the flags in [`crate::config`] take their
//! defaults from here, and so do the library's `Default` impls ([`crate::poller::PollConfig`],
//! [`crate::snapshot::ViewOptions`]), so a test built on `Default` runs what users run.
//!
//! Durations and sizes are written as the flags read them; [`duration`] and [`byte_size`] parse
//! them.

use std::time::Duration;

/// `--porla.url`.
pub const PORLA_URL: &str = "http://127.0.0.1:1337";
/// `--porla.timeout`.
pub const PORLA_TIMEOUT: &str = "10s";
/// `--porla.concurrency`.
pub const PORLA_CONCURRENCY: u16 = 2;
/// `--porla.max-response-size`: far above any real answer (a 1,000-torrent `torrents.list` page
/// is about 1.5 MB, a trackers answer about 1 KB).
pub const PORLA_MAX_RESPONSE_SIZE: &str = "32MiB";
/// `--porla.page-size`.
pub const PORLA_PAGE_SIZE: u64 = 1000;
/// `--poll.interval`.
pub const POLL_INTERVAL: &str = "30s";
/// `--poll.full-sweep-interval`.
pub const POLL_FULL_SWEEP_INTERVAL: &str = "30m";
/// `--collector.tracker.per-torrent` (`true`: every torrent; see [`ATTENTION_HOLD`]).
pub const PER_TORRENT: bool = true;
/// `--collector.tracker.attention-hold`: how long a torrent stays in the attention set after it
/// last needed attention. At least the alerts' `keep_firing_for` (10m, 11m for the alerts that
/// silence others: mixin/config.libsonnet), so that a recovered torrent's rows outlive its alerts.
pub const ATTENTION_HOLD: &str = "15m";
/// `--collector.tracker.attention-few-seeders`: a torrent whose best tracker reports fewer
/// seeders than this needs attention; the mixin's `dashboardThresholds.fewSeeders`.
pub const ATTENTION_FEW_SEEDERS: u32 = 2;
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

/// Parses a size in bytes: `1048576`, `512KiB`, `32MiB`, `1GiB` (also kB, MB, GB).
pub fn byte_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let mult: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "kB" | "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        u => {
            return Err(format!(
                "unknown unit {u:?} (use e.g. 1048576, 512KiB, 32MiB)"
            ))
        }
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (use e.g. 1048576, 512KiB, 32MiB)"))?;
    n.checked_mul(mult)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{s:?} must be more than 0 and less than 16 EiB"))
}

/// [`PORLA_MAX_RESPONSE_SIZE`] in bytes (it parses: see the test).
pub(crate) fn default_max_response_size() -> u64 {
    byte_size(PORLA_MAX_RESPONSE_SIZE)
        .unwrap_or_else(|e| panic!("default size {PORLA_MAX_RESPONSE_SIZE:?}: {e}"))
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
            super::ATTENTION_HOLD,
            super::WEB_READ_HEADER_TIMEOUT,
        ] {
            assert!(super::duration(d).is_ok(), "{d}");
        }
        assert_eq!(super::default_max_response_size(), 32 << 20);
        assert!(super::WEB_LISTEN_ADDRESS.ends_with(&super::PORT.to_string()));
    }
}
