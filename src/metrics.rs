//! Metric names, help texts and the encoding of a [`Snapshot`]. No I/O.
//!
//! Two parts share one prometheus-client [`Registry`]:
//! - [`SelfMetrics`]: the exporter's own counters, updated by the poller and the Porla client;
//! - [`SnapshotCollector`]: a [`Collector`] that encodes the latest snapshot at every scrape, so
//!   series of torrents and trackers that disappeared are gone at the next poll.
//!
//! The crate escapes label values (`\`, `"`, newline) in both text formats; the tests in
//! `tests/exposition.rs` prove it with hostile strings.

use std::sync::Arc;

use arc_swap::ArcSwap;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::{Registry, Unit};

use crate::classify::{ErrorClass, Status};
use crate::porla::CallObserver;
use crate::snapshot::{HostRow, LabelBuf, Row, Snapshot};

type HistogramFamily = Family<Vec<(&'static str, String)>, Histogram, fn() -> Histogram>;

type CounterFamily = Family<Vec<(&'static str, String)>, Counter>;

/// The exporter's own counters.
#[derive(Debug)]
pub struct SelfMetrics {
    pub polls: CounterFamily,
    pub poll_errors: CounterFamily,
    pub rpc_requests: CounterFamily,
    pub vanished: Counter,
    /// Latency of calls to Porla, by method.
    pub rpc_duration: HistogramFamily,
    /// Calls to Porla the pacer currently allows in flight.
    pub concurrency: Gauge,
}

fn rpc_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

impl Default for SelfMetrics {
    fn default() -> Self {
        SelfMetrics {
            polls: Family::default(),
            poll_errors: Family::default(),
            rpc_requests: Family::default(),
            vanished: Counter::default(),
            rpc_duration: Family::new_with_constructor(rpc_histogram),
            concurrency: Gauge::default(),
        }
    }
}

impl SelfMetrics {
    pub fn poll(&self, ok: bool) {
        let result = if ok { "success" } else { "failure" };
        self.polls
            .get_or_create(&vec![("result", result.to_owned())])
            .inc();
    }

    pub fn poll_error(&self, class: &str) {
        self.poll_errors
            .get_or_create(&vec![("class", class.to_owned())])
            .inc();
    }

    fn register(self: &Arc<Self>, r: &mut Registry) {
        r.register(
            "porla_exporter_polls",
            "Polls of Porla made, by result",
            self.polls.clone(),
        );
        r.register(
            "porla_exporter_poll_errors",
            "Failed polls of Porla, by cause",
            self.poll_errors.clone(),
        );
        r.register(
            "porla_exporter_rpc_requests",
            "Calls to Porla, by JSON-RPC method and outcome",
            self.rpc_requests.clone(),
        );
        r.register(
            "porla_exporter_torrents_vanished",
            "Torrents removed between torrents.list and their torrents.trackers.list",
            self.vanished.clone(),
        );
        r.register_with_unit(
            "porla_exporter_rpc_duration",
            "Latency of calls to Porla, by JSON-RPC method",
            Unit::Seconds,
            self.rpc_duration.clone(),
        );
        r.register(
            "porla_exporter_rpc_concurrency",
            "Calls to Porla the adaptive pacer currently allows in flight",
            self.concurrency.clone(),
        );
    }
}

impl CallObserver for Arc<SelfMetrics> {
    fn observe(&self, method: &str, outcome: &str, seconds: f64) {
        self.rpc_requests
            .get_or_create(&vec![
                ("method", method.to_owned()),
                ("outcome", outcome.to_owned()),
            ])
            .inc();
        self.rpc_duration
            .get_or_create(&vec![("method", method.to_owned())])
            .observe(seconds);
    }
}

/// Static facts about the build, for `porla_exporter_build_info`.
#[derive(Debug, Clone)]
pub struct BuildInfo {
    pub version: &'static str,
    pub revision: &'static str,
    pub rustc: &'static str,
}

pub const BUILD_INFO: BuildInfo = BuildInfo {
    version: env!("CARGO_PKG_VERSION"),
    revision: match option_env!("PORLA_EXPORTER_REVISION") {
        Some(r) => r,
        None => "unknown",
    },
    rustc: match option_env!("PORLA_EXPORTER_RUSTC") {
        Some(r) => r,
        None => "unknown",
    },
};

/// `porla_exporter_build_info`.
#[derive(Debug)]
pub struct BuildInfoCollector;

impl Collector for BuildInfoCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let b = &BUILD_INFO;
        let mut m = enc.encode_descriptor(
            "porla_exporter_build_info",
            "A metric with a constant 1 labelled by the exporter's version, revision and rustc version.",
            None,
            MetricType::Gauge,
        )?;
        let labels = [
            ("version", b.version),
            ("revision", b.revision),
            ("rustc_version", b.rustc),
        ];
        ConstGauge::new(1i64).encode(m.encode_family(&labels)?)
    }
}

/// The registry of `/metrics` when instances are served at `/probe`: the build only.
pub fn own_registry() -> Registry {
    let mut r = Registry::default();
    r.register_collector(Box::new(BuildInfoCollector));
    r
}

/// Encodes one snapshot: `porla_up`, poll meta and every Porla-derived series.
#[derive(Debug)]
pub struct SnapshotCollector {
    snapshot: Arc<Snapshot>,
}

/// Where the latest snapshot lives: the poller stores, scrapes load. Never blocks either side.
pub type SharedSnapshot = Arc<ArcSwap<Snapshot>>;

/// The live part of an instance's metrics: the exporter's own counters and its build. The
/// snapshot part is encoded separately (and cached, gzipped, per snapshot): see [`encode_to`].
pub fn live_registry(self_metrics: &Arc<SelfMetrics>) -> Registry {
    let mut r = Registry::default();
    self_metrics.register(&mut r);
    r.register_collector(Box::new(BuildInfoCollector));
    r
}

fn snapshot_registry(snapshot: Arc<Snapshot>) -> Registry {
    let mut r = Registry::default();
    r.register_collector(Box::new(SnapshotCollector { snapshot }));
    r
}

/// Encodes a registry without OpenMetrics' closing `# EOF`.
fn encode_part<W: std::fmt::Write>(
    out: &mut W,
    registry: &Registry,
    format: Format,
) -> std::fmt::Result {
    match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode_registry(out, registry),
        Format::Text => prometheus_client::encoding::prometheus_text::encode(out, registry),
    }
}

/// Encodes the live registry then the snapshot (when there is one), closed with `# EOF` in
/// OpenMetrics.
pub fn encode_to<W: std::fmt::Write>(
    out: &mut W,
    live: &Registry,
    snapshot: Option<&Arc<Snapshot>>,
    format: Format,
) -> std::fmt::Result {
    encode_part(out, live, format)?;
    if let Some(snap) = snapshot {
        encode_part(out, &snapshot_registry(snap.clone()), format)?;
    }
    encode_trailer(out, format)
}

/// What closes an exposition: `# EOF` in OpenMetrics, nothing in the classic format.
pub fn encode_trailer<W: std::fmt::Write>(out: &mut W, format: Format) -> std::fmt::Result {
    match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode_eof(out),
        Format::Text => Ok(()),
    }
}

/// Encodes the live registry (no trailer) into `out`.
pub fn encode_live<W: std::fmt::Write>(
    out: &mut W,
    live: &Registry,
    format: Format,
) -> std::fmt::Result {
    encode_part(out, live, format)
}

/// The snapshot part, gzipped, encoded once per snapshot and format (on the first gzip scrape
/// after a poll). A snapshot never changes, so this is never stale; it is a few MiB at most
/// (1.6 MiB for 10,000 torrents), where the text would be 35 MiB.
pub fn gzipped_snapshot(snapshot: &Arc<Snapshot>, format: Format) -> bytes::Bytes {
    snapshot.gzipped[format as usize]
        .get_or_init(|| {
            struct Io<W: std::io::Write>(W);
            impl<W: std::io::Write> std::fmt::Write for Io<W> {
                fn write_str(&mut self, s: &str) -> std::fmt::Result {
                    self.0.write_all(s.as_bytes()).map_err(|_| std::fmt::Error)
                }
            }
            let mut w = Io(flate2::write::GzEncoder::new(
                Vec::new(),
                flate2::Compression::fast(),
            ));
            let r = encode_part(&mut w, &snapshot_registry(snapshot.clone()), format);
            debug_assert!(r.is_ok(), "encoding into memory failed");
            bytes::Bytes::from(w.0.finish().unwrap_or_default())
        })
        .clone()
}

fn gauge<'a, I, F>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    items: I,
    mut sample: F,
) -> Result<(), std::fmt::Error>
where
    I: IntoIterator<Item = &'a Row>,
    F: FnMut(&'a Row) -> Option<i64>,
{
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        return Ok(());
    }
    let mut m = enc.encode_descriptor(name, help, unit, MetricType::Gauge)?;
    for row in items {
        if let Some(v) = sample(row) {
            let mut buf: LabelBuf = Default::default();
            let n = row.labels.fill(&mut buf);
            ConstGauge::new(v).encode(m.encode_family(&&buf[..n])?)?;
        }
    }
    Ok(())
}

fn single<V: prometheus_client::encoding::EncodeGaugeValue + Clone>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    value: V,
) -> Result<(), std::fmt::Error> {
    let g = ConstGauge::new(value);
    g.encode(enc.encode_descriptor(name, help, unit, g.metric_type())?)
}

fn host_gauge<F>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    hosts: &[HostRow],
    value: F,
) -> Result<(), std::fmt::Error>
where
    F: Fn(&HostRow) -> u64,
{
    if hosts.is_empty() {
        return Ok(());
    }
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for h in hosts {
        let labels = [("tracker_host", h.host.as_str())];
        ConstGauge::new(value(h) as i64).encode(m.encode_family(&labels)?)?;
    }
    Ok(())
}

impl Collector for SnapshotCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let snap = &self.snapshot;
        single(
            &mut enc,
            "porla_up",
            "1 if the last poll of Porla succeeded, else 0.",
            None,
            i64::from(snap.up),
        )?;
        if let Some(d) = snap.last_poll_duration {
            single(
                &mut enc,
                "porla_exporter_poll_duration_seconds",
                "Duration of the last poll of Porla, successful or not.",
                None,
                d,
            )?;
        }
        if let Some(t) = snap.last_poll_at {
            single(
                &mut enc,
                "porla_exporter_last_poll_timestamp_seconds",
                "Unix time the last poll of Porla ended, successful or not.",
                None,
                t,
            )?;
        }
        if let Some(t) = snap.last_success_at {
            single(
                &mut enc,
                "porla_exporter_last_successful_poll_timestamp_seconds",
                "Unix time the last successful poll of Porla ended.",
                None,
                t,
            )?;
        }
        let Some(view) = snap.view.as_deref() else {
            return Ok(());
        };
        single(
            &mut enc,
            "porla_torrents",
            "Torrents seen in the last successful poll.",
            None,
            view.torrents as i64,
        )?;
        single(
            &mut enc,
            "porla_exporter_dropped_series",
            "Per-torrent series left out of the last poll because of --collector.max-series.",
            None,
            view.dropped_series as i64,
        )?;

        if !view.infos.is_empty() {
            let mut m = enc.encode_descriptor(
                "porla_torrent_info",
                "A metric with a constant 1 per torrent, labelled by name, session and category, for joins on info_hash.",
                None,
                MetricType::Gauge,
            )?;
            for i in &view.infos {
                ConstGauge::new(1i64).encode(m.encode_family(&i.labels())?)?;
            }
            let mut m = enc.encode_descriptor(
                "porla_torrent_trackers_last_update_timestamp_seconds",
                "Unix time of the torrent's tracker data (its last torrents.trackers.list answer).",
                None,
                MetricType::Gauge,
            )?;
            for i in &view.infos {
                if let Some(t) = i.trackers_at {
                    ConstGauge::new(t).encode(m.encode_family(&[("info_hash", &*i.info_hash)])?)?;
                }
            }
        }

        let rows = &view.rows;
        gauge(
            &mut enc,
            "porla_tracker_fails",
            "Consecutive failed announces to the tracker.",
            None,
            rows,
            |r| r.fails,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_scrape_complete",
            "Seeders according to the tracker (absent while unknown).",
            None,
            rows,
            |r| r.seeders,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_scrape_incomplete",
            "Leechers according to the tracker (absent while unknown).",
            None,
            rows,
            |r| r.leechers,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_scrape_downloaded",
            "Completed downloads according to the tracker (absent while unknown).",
            None,
            rows,
            |r| r.downloaded,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_next_announce_timestamp_seconds",
            "Unix time of the next scheduled announce (absent when unscheduled).",
            None,
            rows,
            |r| r.next_announce,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_min_announce_timestamp_seconds",
            "Unix time before which no announce may be sent (absent when unset).",
            None,
            rows,
            |r| r.min_announce,
        )?;
        gauge(
            &mut enc,
            "porla_tracker_fail_limit",
            "Failures in a row before the tracker is given up; 0 means unlimited.",
            None,
            rows,
            |r| Some(r.fail_limit),
        )?;
        gauge(
            &mut enc,
            "porla_tracker_verified",
            "1 once the tracker sent a valid response.",
            None,
            rows,
            |r| Some(i64::from(r.verified)),
        )?;
        gauge(
            &mut enc,
            "porla_tracker_updating",
            "1 while an announce to the tracker is in flight.",
            None,
            rows,
            |r| Some(i64::from(r.updating)),
        )?;
        if !rows.is_empty() {
            let mut m = enc.encode_descriptor(
                "porla_tracker_status",
                "Constant 1; the status label carries the tracker's status (working, updating, queued, error, inactive).",
                None,
                MetricType::Gauge,
            )?;
            for r in rows {
                let mut buf: LabelBuf = Default::default();
                let n = r.labels.fill(&mut buf);
                buf[n] = ("status", r.status.as_str());
                ConstGauge::new(1i64).encode(m.encode_family(&&buf[..=n])?)?;
            }
        }
        if rows.iter().any(|r| r.error.is_some()) {
            let mut m = enc.encode_descriptor(
                "porla_tracker_last_error",
                "Constant 1 while the tracker is in status error; the class label carries the normalised error class.",
                None,
                MetricType::Gauge,
            )?;
            for r in rows {
                if let Some(c) = r.error {
                    let mut buf: LabelBuf = Default::default();
                    let n = r.labels.fill(&mut buf);
                    buf[n] = ("class", c.as_str());
                    ConstGauge::new(1i64).encode(m.encode_family(&&buf[..=n])?)?;
                }
            }
        }

        let hosts = &view.hosts;
        if !hosts.is_empty() {
            let mut m = enc.encode_descriptor(
                "porla_tracker_host_torrents",
                "Torrents with a tracker on this host, by their best status there.",
                None,
                MetricType::Gauge,
            )?;
            for h in hosts {
                for s in Status::ALL {
                    let labels = [("tracker_host", h.host.as_str()), ("status", s.as_str())];
                    ConstGauge::new(h.by_status[s as usize] as i64)
                        .encode(m.encode_family(&labels)?)?;
                }
            }
        }
        host_gauge(
            &mut enc,
            "porla_tracker_host_scrape_complete",
            "Sum of seeders over the host's torrents that report scrape data.",
            hosts,
            |h| h.seeders,
        )?;
        host_gauge(
            &mut enc,
            "porla_tracker_host_scrape_incomplete",
            "Sum of leechers over the host's torrents that report scrape data.",
            hosts,
            |h| h.leechers,
        )?;
        host_gauge(
            &mut enc,
            "porla_tracker_host_scrape_downloaded",
            "Sum of completed downloads over the host's torrents that report them.",
            hosts,
            |h| h.downloaded,
        )?;
        host_gauge(
            &mut enc,
            "porla_tracker_host_scrape_reporting_torrents",
            "Torrents whose trackers on this host report scrape data.",
            hosts,
            |h| h.reporting,
        )?;
        host_gauge(
            &mut enc,
            "porla_tracker_host_announces_overdue",
            "Torrents whose next announce on this host is overdue by more than the grace period.",
            hosts,
            |h| h.overdue,
        )?;
        if !hosts.is_empty() {
            let mut m = enc.encode_descriptor(
                "porla_tracker_host_errors",
                "Torrents in status error on this host, by error class.",
                None,
                MetricType::Gauge,
            )?;
            for h in hosts {
                for c in ErrorClass::ALL {
                    let labels = [("tracker_host", h.host.as_str()), ("class", c.as_str())];
                    ConstGauge::new(h.errors[c.index()] as i64)
                        .encode(m.encode_family(&labels)?)?;
                }
            }
        }
        Ok(())
    }
}

/// Exposition format of a scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Format {
    /// OpenMetrics 1.0.0 text.
    OpenMetrics,
    /// The classic Prometheus text format 0.0.4.
    Text,
}

impl Format {
    /// Picks OpenMetrics when the `Accept` header asks for it, the classic format otherwise.
    pub fn negotiate(accept: Option<&str>) -> Format {
        match accept {
            Some(a) if a.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Text,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Text => prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        }
    }
}

/// Encodes the live registry and a snapshot into a string (tests and benchmarks).
pub fn encode(
    live: &Registry,
    snapshot: Option<&Arc<Snapshot>>,
    format: Format,
    capacity_hint: usize,
) -> String {
    let mut out = String::with_capacity(capacity_hint);
    // Writing into a String cannot fail; an error here would be a bug in an encoder.
    let r = encode_to(&mut out, live, snapshot, format);
    debug_assert!(r.is_ok(), "encoding failed");
    out
}
