//! The metrics contract: every metric the exporter serves, with its name, help, type and unit,
//! and the two tables of gauges with one series per row (per torrent × tracker, per tracker
//! host). Dashboards, rules and alerts depend on these names.
//!
//! Everything else reads from here: the collector ([`crate::collector`]) and the exporter's own
//! counters ([`crate::telemetry`]) take names and help from these entries, the series cap
//! ([`crate::snapshot::view`]) counts the series of [`TRACKER_GAUGES`], and the documentation
//! test (`tests/it/docs.rs`) checks docs/metrics.md against [`all`]. This module names things
//! only: which field of a row a gauge shows is a [`TrackerField`] or [`HostField`], read by the
//! rows themselves.

/// What kind of metric a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    Counter,
    Histogram,
}

impl Kind {
    /// As the exposition's `# TYPE` line (and docs/metrics.md) spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
            Kind::Histogram => "histogram",
        }
    }
}

/// The unit of a metric, as its name ends (see [`Metric::unit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `_seconds`: a duration, or with `_timestamp_seconds` a Unix time.
    Seconds,
    /// `_bytes`.
    Bytes,
}

/// One metric of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// The name as `/metrics` shows it: unit suffix and, for a counter, `_total` included.
    pub name: &'static str,
    /// The `# HELP` text as `/metrics` shows it.
    pub help: &'static str,
    pub kind: Kind,
}

impl Metric {
    /// The family name: the name without a counter's `_total`, which the encoder appends to
    /// the sample.
    pub fn family(&self) -> &'static str {
        self.name.strip_suffix("_total").unwrap_or(self.name)
    }

    /// The unit, as the name (before a counter's `_total`) ends: `None` for a count, a 0/1 flag
    /// or a constant 1.
    pub fn unit(&self) -> Option<Unit> {
        let name = self.family();
        if name.ends_with("_seconds") {
            Some(Unit::Seconds)
        } else if name.ends_with("_bytes") {
            Some(Unit::Bytes)
        } else {
            None
        }
    }
}

const fn gauge(name: &'static str, help: &'static str) -> Metric {
    Metric {
        name,
        help,
        kind: Kind::Gauge,
    }
}

const fn counter(name: &'static str, help: &'static str) -> Metric {
    Metric {
        name,
        help,
        kind: Kind::Counter,
    }
}

// ---------------------------------------------------------------- the snapshot part

pub const UP: Metric = gauge("porla_up", "1 if the last poll of Porla succeeded, else 0.");
pub const POLL_DURATION: Metric = gauge(
    "porla_exporter_poll_duration_seconds",
    "Duration of the last poll of Porla, successful or not.",
);
pub const LAST_POLL: Metric = gauge(
    "porla_exporter_last_poll_timestamp_seconds",
    "Unix time the last poll of Porla ended, successful or not.",
);
pub const LAST_SUCCESSFUL_POLL: Metric = gauge(
    "porla_exporter_last_successful_poll_timestamp_seconds",
    "Unix time the last successful poll of Porla ended.",
);
pub const TORRENTS: Metric = gauge(
    "porla_torrents",
    "Torrents seen in the last successful poll.",
);
pub const DROPPED_SERIES: Metric = gauge(
    "porla_exporter_dropped_series",
    "Per-torrent series left out of the last poll because of --collector.max-series.",
);
pub const TORRENT_INFO: Metric = gauge(
    "porla_torrent_info",
    "A metric with a constant 1 per torrent, labelled by name, session and category, for joins on info_hash.",
);
pub const TORRENTS_SIZE: Metric = gauge(
    "porla_torrents_size_bytes",
    "Bytes stored: the sum of the size of every torrent of the last successful poll.",
);
pub const UPLOADED: Metric = counter(
    "porla_uploaded_bytes_total",
    "Bytes the torrents uploaded since the exporter started: the sum of each torrent's increases of all-time upload; a torrent that goes takes nothing away.",
);
pub const MAX_SERIES: Metric = gauge(
    "porla_exporter_max_series",
    "The per-torrent series cap, --collector.max-series (0: no cap).",
);
pub const UNCAPPED_SERIES: Metric = gauge(
    "porla_exporter_uncapped_series",
    "Per-torrent series the cap counts that the last poll would serve without --collector.max-series (served plus dropped).",
);
pub const DROPPED_TORRENTS: Metric = gauge(
    "porla_exporter_dropped_torrents",
    "Torrents with per-torrent series left out of the last poll because of --collector.max-series.",
);
pub const POLL_INTERVAL: Metric = gauge(
    "porla_exporter_poll_interval_seconds",
    "The poll interval, --poll.interval: a poll longer than this no longer fits.",
);
pub const TORRENT_SIZE: Metric = gauge(
    "porla_torrent_size_bytes",
    "Bytes of the torrent's content (absent before its metadata arrived).",
);
pub const TORRENT_IDLE: Metric = gauge(
    "porla_torrent_idle_seconds",
    "Seconds since the torrent last uploaded; for a torrent that never did, the seconds it has been active.",
);
pub const TRACKERS_LAST_UPDATE: Metric = gauge(
    "porla_torrent_trackers_last_update_timestamp_seconds",
    "Unix time of the torrent's tracker data (its last torrents.trackers.list answer).",
);

/// A value of a per torrent × tracker row (see `Row::value` in [`crate::snapshot::data`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackerField {
    Fails,
    Seeders,
    Leechers,
    Downloaded,
    NextAnnounce,
    MinAnnounce,
    FailLimit,
    Verified,
    Updating,
}

/// A label value of a per torrent × tracker row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackerLabel {
    /// The row's status (always one).
    Status,
    /// The row's error class (only while in status error).
    ErrorClass,
    /// The class of the tracker's last own message (only while one is kept).
    LastMessageClass,
}

/// The sample a per torrent × tracker gauge takes from a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A value; no sample while the row has none.
    Value(TrackerField),
    /// Constant 1 with one more label named `.0`; no sample while the row has no such value.
    Label(&'static str, TrackerLabel),
}

/// One per torrent × tracker gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerGauge {
    pub metric: Metric,
    pub sample: Sample,
    /// Exported only with `--collector.tracker.details`.
    pub details: bool,
}

impl TrackerGauge {
    pub fn exported(&self, details: bool) -> bool {
        details || !self.details
    }
}

/// A set of [`TRACKER_GAUGES`] entries: bit `i` for entry `i`.
pub type GaugeSet = u32;

const _: () = assert!(TRACKER_GAUGES.len() <= GaugeSet::BITS as usize);

const fn tracker(
    name: &'static str,
    help: &'static str,
    sample: Sample,
    details: bool,
) -> TrackerGauge {
    TrackerGauge {
        metric: gauge(name, help),
        sample,
        details,
    }
}

/// The per torrent × tracker gauges, in exposition order. This one table drives both the
/// collector (what `/metrics` shows) and the series cap (one series per exported gauge a row
/// has a sample of).
///
/// `fail_limit` stays in the default set (not a detail) so the fail-limit alert
/// (`fails >= fail_limit`) keeps working unchanged.
pub const TRACKER_GAUGES: &[TrackerGauge] = &[
    tracker(
        "porla_tracker_fails",
        "Consecutive failed announces to the tracker.",
        Sample::Value(TrackerField::Fails),
        false,
    ),
    tracker(
        "porla_tracker_scrape_complete",
        "Seeders according to the tracker (absent while unknown).",
        Sample::Value(TrackerField::Seeders),
        false,
    ),
    tracker(
        "porla_tracker_scrape_incomplete",
        "Leechers according to the tracker (absent while unknown).",
        Sample::Value(TrackerField::Leechers),
        false,
    ),
    tracker(
        "porla_tracker_scrape_downloaded",
        "Completed downloads according to the tracker (absent while unknown).",
        Sample::Value(TrackerField::Downloaded),
        false,
    ),
    tracker(
        "porla_tracker_next_announce_timestamp_seconds",
        "Unix time of the next scheduled announce (absent when unscheduled).",
        Sample::Value(TrackerField::NextAnnounce),
        false,
    ),
    tracker(
        "porla_tracker_min_announce_timestamp_seconds",
        "Unix time before which no announce may be sent (absent when unset).",
        Sample::Value(TrackerField::MinAnnounce),
        true,
    ),
    tracker(
        "porla_tracker_fail_limit",
        "Failures in a row before the tracker is given up; 0 means unlimited.",
        Sample::Value(TrackerField::FailLimit),
        false,
    ),
    tracker(
        "porla_tracker_verified",
        "1 once the tracker sent a valid response.",
        Sample::Value(TrackerField::Verified),
        true,
    ),
    tracker(
        "porla_tracker_updating",
        "1 while an announce to the tracker is in flight.",
        Sample::Value(TrackerField::Updating),
        true,
    ),
    tracker(
        "porla_tracker_status",
        "Constant 1; the status label carries the tracker's status (working, updating, queued, error, inactive).",
        Sample::Label("status", TrackerLabel::Status),
        false,
    ),
    tracker(
        "porla_tracker_last_error",
        "Constant 1 while the tracker is in status error; the class label carries the normalised error class.",
        Sample::Label("class", TrackerLabel::ErrorClass),
        false,
    ),
    tracker(
        "porla_tracker_last_message",
        "Constant 1 while the tracker's last answer of its own was a failure message; the class label carries its error class. Kept through network failures until the tracker answers again.",
        Sample::Label("class", TrackerLabel::LastMessageClass),
        false,
    ),
];

/// A value of a per tracker host row (see `HostRow::value` in [`crate::snapshot::data`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostField {
    Seeders,
    Leechers,
    Downloaded,
    Reporting,
    Overdue,
    Stranded,
    /// Bytes stored: the sum of the torrents' `size`.
    Size,
    /// Sums of the torrents' all-time upload and download (gauges: they fall when a torrent
    /// goes).
    AllTimeUpload,
    AllTimeDownload,
    /// Sum of the torrents' seeding time.
    Seeding,
    /// The exporter's monotonic counters of upload and download.
    UploadedTotal,
    DownloadedTotal,
}

/// What a per-host idle gauge counts in each window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleField {
    Torrents,
    Bytes,
}

/// The fixed idle windows of the per-host idle aggregates (label `idle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleWindow {
    /// Idle for at least 7 days.
    Days7,
    /// Idle for at least 30 days.
    Days30,
    /// Never uploaded, whatever its age.
    Never,
}

/// Every idle window, in exposition order.
pub const IDLE_WINDOWS: [IdleWindow; 3] =
    [IdleWindow::Days7, IdleWindow::Days30, IdleWindow::Never];

impl IdleWindow {
    /// The `idle` label value.
    pub fn as_str(self) -> &'static str {
        match self {
            IdleWindow::Days7 => "7d",
            IdleWindow::Days30 => "30d",
            IdleWindow::Never => "never",
        }
    }

    /// The window's least idle time (`None`: never uploaded).
    pub fn seconds(self) -> Option<u64> {
        match self {
            IdleWindow::Days7 => Some(7 * 86_400),
            IdleWindow::Days30 => Some(30 * 86_400),
            IdleWindow::Never => None,
        }
    }
}

/// The series a per tracker host gauge has for each host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostSample {
    /// One, labelled by host only.
    Value(HostField),
    /// One per status (label `status`), every status present.
    ByStatus,
    /// One per error class (label `class`), every class present.
    ByClass,
    /// One per error class (label `class`) of the trackers' last own messages, every class
    /// present.
    ByLastMessageClass,
    /// One per idle window (label `idle`), every window present.
    ByIdle(IdleField),
}

/// One per tracker host gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostGauge {
    pub metric: Metric,
    pub sample: HostSample,
}

const fn host(name: &'static str, help: &'static str, sample: HostSample) -> HostGauge {
    HostGauge {
        metric: gauge(name, help),
        sample,
    }
}

/// The per tracker host gauges and counters (label `tracker_host`), in exposition order. Never
/// capped.
pub const HOST_GAUGES: &[HostGauge] = &[
    host(
        "porla_tracker_host_torrents",
        "Torrents with a tracker on this host, by their best status there.",
        HostSample::ByStatus,
    ),
    host(
        "porla_tracker_host_scrape_complete",
        "Sum of seeders over the host's torrents that report scrape data.",
        HostSample::Value(HostField::Seeders),
    ),
    host(
        "porla_tracker_host_scrape_incomplete",
        "Sum of leechers over the host's torrents that report scrape data.",
        HostSample::Value(HostField::Leechers),
    ),
    host(
        "porla_tracker_host_scrape_downloaded",
        "Sum of completed downloads over the host's torrents that report them.",
        HostSample::Value(HostField::Downloaded),
    ),
    host(
        "porla_tracker_host_scrape_reporting_torrents",
        "Torrents whose trackers on this host report scrape data.",
        HostSample::Value(HostField::Reporting),
    ),
    host(
        "porla_tracker_host_announces_overdue",
        "Torrents whose next announce on this host is overdue by more than the grace period.",
        HostSample::Value(HostField::Overdue),
    ),
    host(
        "porla_tracker_host_errors",
        "Torrents in status error on this host, by error class.",
        HostSample::ByClass,
    ),
    host(
        "porla_tracker_host_stranded_torrents",
        "Torrents with a tracker on this host whose every tracker is in status error: they announce nowhere.",
        HostSample::Value(HostField::Stranded),
    ),
    host(
        "porla_tracker_host_last_message_torrents",
        "Torrents whose tracker on this host last answered with a failure message of its own, by its error class; kept through network failures until the tracker answers again.",
        HostSample::ByLastMessageClass,
    ),
    // Capacity, from the torrents' listing (a torrent counts in each of its hosts).
    host(
        "porla_tracker_host_size_bytes",
        "Bytes stored: the sum of the size of the host's torrents.",
        HostSample::Value(HostField::Size),
    ),
    host(
        "porla_tracker_host_all_time_upload_bytes",
        "Sum of the all-time upload of the host's torrents; falls when a torrent goes (rates: porla_tracker_host_uploaded_bytes_total).",
        HostSample::Value(HostField::AllTimeUpload),
    ),
    host(
        "porla_tracker_host_all_time_download_bytes",
        "Sum of the all-time download of the host's torrents; falls when a torrent goes (rates: porla_tracker_host_downloaded_bytes_total).",
        HostSample::Value(HostField::AllTimeDownload),
    ),
    host(
        "porla_tracker_host_seeding_seconds",
        "Sum of the seeding time of the host's torrents.",
        HostSample::Value(HostField::Seeding),
    ),
    host(
        "porla_tracker_host_idle_torrents",
        "Torrents of the host with no upload for at least 7 or 30 days (idle=\"7d\", \"30d\") or never (idle=\"never\").",
        HostSample::ByIdle(IdleField::Torrents),
    ),
    host(
        "porla_tracker_host_idle_bytes",
        "Bytes stored by the host's torrents with no upload for at least 7 or 30 days (idle=\"7d\", \"30d\") or never (idle=\"never\").",
        HostSample::ByIdle(IdleField::Bytes),
    ),
    HostGauge {
        metric: counter(
            "porla_tracker_host_uploaded_bytes_total",
            "Bytes the host's torrents uploaded since the exporter started: the sum of each torrent's increases of all-time upload; a torrent that goes takes nothing away.",
        ),
        sample: HostSample::Value(HostField::UploadedTotal),
    },
    HostGauge {
        metric: counter(
            "porla_tracker_host_downloaded_bytes_total",
            "Bytes the host's torrents downloaded since the exporter started: the sum of each torrent's increases of all-time download; a torrent that goes takes nothing away.",
        ),
        sample: HostSample::Value(HostField::DownloadedTotal),
    },
];

// ---------------------------------------------------------------- the live part

pub const BUILD_INFO: Metric = gauge(
    "porla_exporter_build_info",
    "A metric with a constant 1 labelled by the exporter's version, revision and rustc version.",
);
pub const POLLS: Metric = counter(
    "porla_exporter_polls_total",
    "Polls of Porla made, by result.",
);
pub const POLL_ERRORS: Metric = counter(
    "porla_exporter_poll_errors_total",
    "Failed polls of Porla, by cause.",
);
pub const RPC_REQUESTS: Metric = counter(
    "porla_exporter_rpc_requests_total",
    "Calls to Porla, by JSON-RPC method and outcome.",
);
pub const TORRENTS_VANISHED: Metric = counter(
    "porla_exporter_torrents_vanished_total",
    "Torrents removed between torrents.list and their torrents.trackers.list.",
);
pub const RPC_DURATION: Metric = Metric {
    name: "porla_exporter_rpc_duration_seconds",
    help: "Latency of calls to Porla, by JSON-RPC method.",
    kind: Kind::Histogram,
};
pub const RPC_CONCURRENCY: Metric = gauge(
    "porla_exporter_rpc_concurrency",
    "Calls to Porla the adaptive pacer currently allows in flight.",
);
pub const CLASSES_RELOAD_SUCCESS: Metric = gauge(
    "porla_exporter_classes_reload_success",
    "1 if the last load of the tracker classes file succeeded, else 0 (the rules loaded before stay in use).",
);
pub const CLASSES_RELOAD_LAST_SUCCESS: Metric = gauge(
    "porla_exporter_classes_reload_last_success_timestamp_seconds",
    "Unix time of the last successful load of the tracker classes file.",
);

/// Every metric of the contract: the live part's, then the snapshot part's, each in
/// exposition order.
pub fn all() -> impl Iterator<Item = &'static Metric> {
    const LIVE: &[Metric] = &[
        POLLS,
        POLL_ERRORS,
        RPC_REQUESTS,
        TORRENTS_VANISHED,
        RPC_DURATION,
        RPC_CONCURRENCY,
        CLASSES_RELOAD_SUCCESS,
        CLASSES_RELOAD_LAST_SUCCESS,
        BUILD_INFO,
    ];
    const SNAPSHOT: &[Metric] = &[
        UP,
        POLL_DURATION,
        LAST_POLL,
        LAST_SUCCESSFUL_POLL,
        TORRENTS,
        TORRENTS_SIZE,
        UPLOADED,
        DROPPED_SERIES,
        MAX_SERIES,
        UNCAPPED_SERIES,
        DROPPED_TORRENTS,
        POLL_INTERVAL,
        TORRENT_INFO,
        TRACKERS_LAST_UPDATE,
        TORRENT_SIZE,
        TORRENT_IDLE,
    ];
    LIVE.iter()
        .chain(SNAPSHOT)
        .chain(TRACKER_GAUGES.iter().map(|g| &g.metric))
        .chain(HOST_GAUGES.iter().map(|g| &g.metric))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names are unique, follow the naming rules the contract promises (a `porla_` prefix,
    /// `_total` on counters only) and help texts end with a full stop, as prometheus-client's
    /// registry writes them.
    #[test]
    fn the_contract_keeps_its_own_rules() {
        let mut seen = std::collections::BTreeSet::new();
        for m in all() {
            assert!(seen.insert(m.name), "{} twice", m.name);
            assert!(m.name.starts_with("porla_"), "{}", m.name);
            assert_eq!(
                m.name.ends_with("_total"),
                m.kind == Kind::Counter,
                "{}",
                m.name
            );
            assert!(m.help.ends_with('.'), "{}: {:?}", m.name, m.help);
        }
        assert_eq!(
            seen.len(),
            9 + 16 + TRACKER_GAUGES.len() + HOST_GAUGES.len()
        );
    }

    /// The durations and Unix times are in seconds, counts and flags have no unit; a counter's
    /// `_total` does not hide its unit.
    #[test]
    fn the_unit_is_read_from_the_name() {
        let announce = |f| {
            TRACKER_GAUGES
                .iter()
                .find(|g| g.sample == Sample::Value(f))
                .unwrap()
                .metric
        };
        for m in [
            POLL_DURATION,
            LAST_POLL,
            LAST_SUCCESSFUL_POLL,
            TRACKERS_LAST_UPDATE,
            RPC_DURATION,
            CLASSES_RELOAD_LAST_SUCCESS,
            announce(TrackerField::NextAnnounce),
            announce(TrackerField::MinAnnounce),
            counter("porla_busy_seconds_total", "Time spent busy."),
        ] {
            assert_eq!(m.unit(), Some(Unit::Seconds), "{}", m.name);
        }
        for m in [
            UP,
            TORRENTS,
            POLLS,
            RPC_CONCURRENCY,
            CLASSES_RELOAD_SUCCESS,
            announce(TrackerField::Fails),
            HOST_GAUGES[0].metric,
        ] {
            assert_eq!(m.unit(), None, "{}", m.name);
        }
    }
}
