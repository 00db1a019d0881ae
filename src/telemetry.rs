//! The exporter's self-telemetry, beside the data path: its own counters (updated by the poller
//! and the Porla client) and its build (`porla_exporter_build_info`). These form the *live*
//! part of every scrape: encoded fresh each time, unlike the snapshot part.

use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::metrics::{self, Metric, Unit};
use crate::porla::CallObserver;

type HistogramFamily = Family<Vec<(&'static str, String)>, Histogram, fn() -> Histogram>;

type CounterFamily = Family<Vec<(&'static str, String)>, Counter>;

/// The exporter's own counters.
#[derive(Debug)]
pub struct SelfMetrics {
    polls: CounterFamily,
    poll_errors: CounterFamily,
    rpc_requests: CounterFamily,
    pub vanished: Counter,
    /// Latency of calls to Porla, by method.
    rpc_duration: HistogramFamily,
    /// Calls to Porla the pacer currently allows in flight.
    pub concurrency: Gauge,
    /// Whether the last load of the tracker classes file succeeded (1) or not (0), and when
    /// one last succeeded: served only for an instance with a classes file.
    classes_reload_success: Gauge,
    classes_reload_last_success: Gauge<f64, std::sync::atomic::AtomicU64>,
    /// Handles of `rpc_requests` and `rpc_duration` by (method, outcome), so a call costs no
    /// label allocation once its pair was seen (a handful of pairs in all).
    handles: std::sync::Mutex<Vec<CallHandles>>,
}

/// The counter and histogram of one (method, outcome) pair.
#[derive(Debug)]
struct CallHandles {
    method: String,
    outcome: String,
    requests: Counter,
    duration: Histogram,
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
            classes_reload_success: Gauge::default(),
            classes_reload_last_success: Gauge::default(),
            handles: std::sync::Mutex::default(),
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

    /// A load of the tracker classes file (at start or on SIGHUP) ended: `ok`, at Unix time
    /// `at`. A failed load leaves the time of the last success.
    pub fn classes_loaded(&self, ok: bool, at: f64) {
        self.classes_reload_success.set(i64::from(ok));
        if ok {
            self.classes_reload_last_success.set(at);
        }
    }

    fn register(self: &Arc<Self>, r: &mut Registry) {
        register(r, &metrics::POLLS, self.polls.clone());
        register(r, &metrics::POLL_ERRORS, self.poll_errors.clone());
        register(r, &metrics::RPC_REQUESTS, self.rpc_requests.clone());
        register(r, &metrics::TORRENTS_VANISHED, self.vanished.clone());
        register(r, &metrics::RPC_DURATION, self.rpc_duration.clone());
        register(r, &metrics::RPC_CONCURRENCY, self.concurrency.clone());
    }
}

/// Registers `metric` of the contract as prometheus-client's registry wants it: the name
/// without the `_total` and unit suffixes and the help without its full stop (the registry
/// adds them back when it encodes), the unit declared.
fn register(r: &mut Registry, metric: &Metric, m: impl prometheus_client::registry::Metric) {
    let help = metric.help.strip_suffix('.').unwrap_or(metric.help);
    let name = metric.family();
    match metric.unit() {
        None => r.register(name, help, m),
        Some(Unit::Seconds) => r.register_with_unit(
            name.strip_suffix("_seconds").unwrap_or(name),
            help,
            prometheus_client::registry::Unit::Seconds,
            m,
        ),
        Some(Unit::Bytes) => r.register_with_unit(
            name.strip_suffix("_bytes").unwrap_or(name),
            help,
            prometheus_client::registry::Unit::Bytes,
            m,
        ),
    }
}

impl CallObserver for Arc<SelfMetrics> {
    fn observe(&self, method: &str, outcome: &str, seconds: f64) {
        let mut handles = self
            .handles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let i = match handles
            .iter()
            .position(|h| h.method == method && h.outcome == outcome)
        {
            Some(i) => i,
            None => {
                let requests = self
                    .rpc_requests
                    .get_or_create(&vec![
                        ("method", method.to_owned()),
                        ("outcome", outcome.to_owned()),
                    ])
                    .clone();
                let duration = self
                    .rpc_duration
                    .get_or_create(&vec![("method", method.to_owned())])
                    .clone();
                handles.push(CallHandles {
                    method: method.to_owned(),
                    outcome: outcome.to_owned(),
                    requests,
                    duration,
                });
                handles.len() - 1
            }
        };
        handles[i].requests.inc();
        handles[i].duration.observe(seconds);
    }
}

/// Static facts about the build, for `porla_exporter_build_info`.
#[derive(Debug, Clone)]
struct BuildInfo {
    version: &'static str,
    revision: &'static str,
    rustc: &'static str,
}

const BUILD_INFO: BuildInfo = BuildInfo {
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
struct BuildInfoCollector;

impl Collector for BuildInfoCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let b = &BUILD_INFO;
        let info = &metrics::BUILD_INFO;
        let mut m = enc.encode_descriptor(info.name, info.help, None, MetricType::Gauge)?;
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

/// The live part of an instance's metrics: the exporter's own counters and its build, and the
/// reload gauges of the tracker classes file when the instance has one (`classes_file`). The
/// snapshot part is encoded separately (see [`crate::exposition`]).
pub fn live_registry(self_metrics: &Arc<SelfMetrics>, classes_file: bool) -> Registry {
    let mut r = Registry::default();
    self_metrics.register(&mut r);
    if classes_file {
        register(
            &mut r,
            &metrics::CLASSES_RELOAD_SUCCESS,
            self_metrics.classes_reload_success.clone(),
        );
        register(
            &mut r,
            &metrics::CLASSES_RELOAD_LAST_SUCCESS,
            self_metrics.classes_reload_last_success.clone(),
        );
    }
    r.register_collector(Box::new(BuildInfoCollector));
    r
}
