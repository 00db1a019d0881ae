//! The collector over a [`Snapshot`]: `porla_up`, poll meta and every Porla-derived series, as
//! prometheus-client descriptors. Names and help come from the metrics contract
//! ([`crate::metrics`]); the per torrent × tracker gauges from its [`TRACKER_GAUGES`], the table
//! that also drives the series cap, the per host ones from its [`HOST_GAUGES`]. No I/O, no
//! format choice.
//!
//! The crate escapes label values (`\`, `"`, newline) in both text formats; the tests in
//! `tests/it/exposition.rs` prove it with hostile strings.

use std::sync::Arc;

use prometheus_client::collector::Collector;
use std::fmt::Write as _;

use prometheus_client::encoding::{
    DescriptorEncoder, EncodeLabel, EncodeLabelSet, EncodeMetric, LabelSetEncoder,
};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::classify::{ErrorClass, Status};
use crate::metrics::{
    self, HostGauge, HostSample, Kind, Metric, TrackerGauge, HOST_GAUGES, IDLE_WINDOWS,
    TRACKER_GAUGES,
};
use crate::snapshot::{HostRow, SampleOf, Snapshot, View};

/// Encodes one snapshot: `porla_up`, poll meta and every Porla-derived series.
#[derive(Debug)]
pub struct SnapshotCollector {
    snapshot: Arc<Snapshot>,
}

/// A registry holding only the collector of `snapshot`.
pub fn snapshot_registry(snapshot: Arc<Snapshot>) -> Registry {
    let mut r = Registry::default();
    r.register_collector(Box::new(SnapshotCollector { snapshot }));
    r
}

/// A row's labels for prometheus-client: the pre-encoded prefix is written through the label
/// *key* encoder (which writes verbatim), the last value through the value encoder (which
/// escapes), then the extra `status`/`class` label if any. The text encoders produce exactly
/// what the same labels as separate pairs would give (tests/it/golden.rs holds the output).
struct PreEncoded<'a> {
    prefix: &'a str,
    last: &'a str,
    extra: Option<(&'static str, &'static str)>,
}

impl EncodeLabelSet for PreEncoded<'_> {
    fn encode(&self, enc: &mut LabelSetEncoder) -> Result<(), std::fmt::Error> {
        let mut label = enc.encode_label();
        let mut key = label.encode_label_key()?;
        key.write_str(self.prefix)?;
        let mut value = key.encode_label_value()?;
        value.write_str(self.last)?;
        value.finish()?;
        if let Some(extra) = self.extra {
            extra.encode(enc.encode_label())?;
        }
        Ok(())
    }
}

/// One per torrent × tracker gauge of [`TRACKER_GAUGES`] (entry `index`) over the rows, if
/// the view describes it ([`View::described`], decided when the view was assembled).
fn tracker_gauge(
    enc: &mut DescriptorEncoder,
    index: usize,
    g: &TrackerGauge,
    view: &View,
) -> Result<(), std::fmt::Error> {
    if view.described & (1 << index) == 0 {
        return Ok(());
    }
    let mut m = enc.encode_descriptor(g.metric.name, g.metric.help, None, MetricType::Gauge)?;
    view.try_for_each_row(|r| {
        let Some(s) = r.row.sample(g.sample) else {
            return Ok(());
        };
        let mut labels = PreEncoded {
            prefix: r.prefix,
            last: r.last,
            extra: None,
        };
        match s {
            SampleOf::Value(v) => ConstGauge::new(v).encode(m.encode_family(&labels)?),
            SampleOf::Label(name, value) => {
                labels.extra = Some((name, value));
                ConstGauge::new(1i64).encode(m.encode_family(&labels)?)
            }
        }
    })
}

/// A gauge with one sample and no labels. Units are in the contract's names (no `# UNIT`
/// line, as the snapshot part has always been served).
fn single<V: prometheus_client::encoding::EncodeGaugeValue + Clone>(
    enc: &mut DescriptorEncoder,
    metric: &Metric,
    value: V,
) -> Result<(), std::fmt::Error> {
    let g = ConstGauge::new(value);
    g.encode(enc.encode_descriptor(metric.name, metric.help, None, g.metric_type())?)
}

/// One per tracker host gauge or counter of [`HOST_GAUGES`] over the hosts.
fn host_gauge(
    enc: &mut DescriptorEncoder,
    g: &HostGauge,
    hosts: &[HostRow],
) -> Result<(), std::fmt::Error> {
    let counter = g.metric.kind == Kind::Counter;
    let kind = if counter {
        MetricType::Counter
    } else {
        MetricType::Gauge
    };
    let mut m = enc.encode_descriptor(g.metric.family(), g.metric.help, None, kind)?;
    for h in hosts {
        let host = ("tracker_host", h.host.as_str());
        match g.sample {
            HostSample::Value(field) if counter => {
                ConstCounter::new(h.value(field)).encode(m.encode_family(&[host])?)?;
            }
            HostSample::Value(field) => {
                ConstGauge::new(h.value(field) as i64).encode(m.encode_family(&[host])?)?;
            }
            HostSample::ByIdle(field) => {
                for w in IDLE_WINDOWS {
                    let labels = [host, ("idle", w.as_str())];
                    ConstGauge::new(h.idle(field, w) as i64).encode(m.encode_family(&labels)?)?;
                }
            }
            HostSample::ByStatus => {
                for s in Status::ALL {
                    let labels = [host, ("status", s.as_str())];
                    ConstGauge::new(h.by_status[s as usize] as i64)
                        .encode(m.encode_family(&labels)?)?;
                }
            }
            HostSample::ByClass => {
                for c in ErrorClass::ALL {
                    let labels = [host, ("class", c.as_str())];
                    ConstGauge::new(h.errors[c.index()] as i64)
                        .encode(m.encode_family(&labels)?)?;
                }
            }
            HostSample::ByLastMessageClass => {
                for c in ErrorClass::ALL {
                    let labels = [host, ("class", c.as_str())];
                    ConstGauge::new(h.said[c.index()] as i64).encode(m.encode_family(&labels)?)?;
                }
            }
        }
    }
    Ok(())
}

impl Collector for SnapshotCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let snap = &self.snapshot;
        single(&mut enc, &metrics::UP, i64::from(snap.up))?;
        if let Some(d) = snap.last_poll_duration {
            single(&mut enc, &metrics::POLL_DURATION, d)?;
        }
        if let Some(t) = snap.last_poll_at {
            single(&mut enc, &metrics::LAST_POLL, t)?;
        }
        if let Some(t) = snap.last_success_at {
            single(&mut enc, &metrics::LAST_SUCCESSFUL_POLL, t)?;
        }
        if let Some(limits) = snap.limits {
            single(&mut enc, &metrics::MAX_SERIES, limits.max_series as i64)?;
            single(&mut enc, &metrics::POLL_INTERVAL, limits.poll_interval)?;
        }
        let Some(view) = snap.view.as_deref() else {
            return Ok(());
        };
        single(&mut enc, &metrics::TORRENTS, view.torrents as i64)?;
        single(&mut enc, &metrics::TORRENTS_SIZE, view.size as i64)?;
        let uploaded = &metrics::UPLOADED;
        ConstCounter::new(view.uploaded_total).encode(enc.encode_descriptor(
            uploaded.family(),
            uploaded.help,
            None,
            MetricType::Counter,
        )?)?;
        single(
            &mut enc,
            &metrics::DROPPED_SERIES,
            view.dropped_series as i64,
        )?;
        single(
            &mut enc,
            &metrics::UNCAPPED_SERIES,
            view.uncapped_series as i64,
        )?;
        single(
            &mut enc,
            &metrics::DROPPED_TORRENTS,
            view.dropped_torrents as i64,
        )?;

        if view.per_torrent && !view.entries.is_empty() {
            let info = &metrics::TORRENT_INFO;
            let mut m = enc.encode_descriptor(info.name, info.help, None, MetricType::Gauge)?;
            for e in &view.entries {
                ConstGauge::new(1i64).encode(m.encode_family(&e.info.labels())?)?;
            }
            let update = &metrics::TRACKERS_LAST_UPDATE;
            let mut m = enc.encode_descriptor(update.name, update.help, None, MetricType::Gauge)?;
            // Per torrent like the rows: in attention mode, those of the torrents in the set.
            for (i, e) in view.entries.iter().enumerate() {
                if let Some(t) = e.trackers.as_ref().filter(|_| view.serves(i)) {
                    let labels = [("info_hash", &*e.info.key)];
                    ConstGauge::new(t.at).encode(m.encode_family(&labels)?)?;
                }
            }
            // Capacity per torrent: what the idle-weight table needs, and no more; in attention
            // mode, of the torrents in the set (the host aggregates count every torrent).
            let served = || {
                (view.entries.iter().enumerate())
                    .filter(|(i, _)| view.serves(*i))
                    .map(|(_, e)| e)
            };
            let size = &metrics::TORRENT_SIZE;
            let mut m = enc.encode_descriptor(size.name, size.help, None, MetricType::Gauge)?;
            for e in served() {
                if let Some(bytes) = e.capacity.size() {
                    let labels = [("info_hash", &*e.info.key)];
                    ConstGauge::new(bytes as i64).encode(m.encode_family(&labels)?)?;
                }
            }
            let idle = &metrics::TORRENT_IDLE;
            let mut m = enc.encode_descriptor(idle.name, idle.help, None, MetricType::Gauge)?;
            for e in served() {
                if let Some(seconds) = e.capacity.idle() {
                    let labels = [("info_hash", &*e.info.key)];
                    ConstGauge::new(seconds as i64).encode(m.encode_family(&labels)?)?;
                }
            }
        }

        for (i, g) in TRACKER_GAUGES.iter().enumerate() {
            tracker_gauge(&mut enc, i, g, view)?;
        }

        if view.hosts.is_empty() {
            return Ok(());
        }
        for g in HOST_GAUGES {
            host_gauge(&mut enc, g, &view.hosts)?;
        }
        Ok(())
    }
}
