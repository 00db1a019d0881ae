//! The collector over a [`Snapshot`]: `porla_up`, poll meta and every Porla-derived series, as
//! prometheus-client descriptors. The per torrent × tracker gauges come from
//! [`TRACKER_GAUGES`], the table that also drives the series cap. No I/O, no format choice.
//!
//! The crate escapes label values (`\`, `"`, newline) in both text formats; the tests in
//! `tests/it/exposition.rs` prove it with hostile strings.

use std::sync::Arc;

use prometheus_client::collector::Collector;
use std::fmt::Write as _;

use prometheus_client::encoding::{
    DescriptorEncoder, EncodeLabel, EncodeLabelSet, EncodeMetric, LabelSetEncoder,
};
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::{Registry, Unit};

use crate::classify::{ErrorClass, Status};
use crate::snapshot::{HostRow, SampleOf, Snapshot, TrackerGauge, View, TRACKER_GAUGES};

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
/// what the same labels as separate pairs would give (tests/golden.rs holds the output).
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
    let mut m = enc.encode_descriptor(g.name, g.help, None, MetricType::Gauge)?;
    view.try_for_each_row(|r| {
        let Some(s) = g.sample.of(r.row) else {
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

/// A per tracker host gauge labelled by host only: name, help, value.
type HostGauge = (&'static str, &'static str, fn(&HostRow) -> u64);

/// The per tracker host gauges labelled by host only, in exposition order.
const HOST_GAUGES: &[HostGauge] = &[
    (
        "porla_tracker_host_scrape_complete",
        "Sum of seeders over the host's torrents that report scrape data.",
        |h| h.seeders,
    ),
    (
        "porla_tracker_host_scrape_incomplete",
        "Sum of leechers over the host's torrents that report scrape data.",
        |h| h.leechers,
    ),
    (
        "porla_tracker_host_scrape_downloaded",
        "Sum of completed downloads over the host's torrents that report them.",
        |h| h.downloaded,
    ),
    (
        "porla_tracker_host_scrape_reporting_torrents",
        "Torrents whose trackers on this host report scrape data.",
        |h| h.reporting,
    ),
    (
        "porla_tracker_host_announces_overdue",
        "Torrents whose next announce on this host is overdue by more than the grace period.",
        |h| h.overdue,
    ),
];

fn host_gauge(
    enc: &mut DescriptorEncoder,
    (name, help, value): &HostGauge,
    hosts: &[HostRow],
) -> Result<(), std::fmt::Error> {
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

        if view.per_torrent && !view.entries.is_empty() {
            let mut m = enc.encode_descriptor(
                "porla_torrent_info",
                "A metric with a constant 1 per torrent, labelled by name, session and category, for joins on info_hash.",
                None,
                MetricType::Gauge,
            )?;
            for e in &view.entries {
                ConstGauge::new(1i64).encode(m.encode_family(&e.info.labels())?)?;
            }
            let mut m = enc.encode_descriptor(
                "porla_torrent_trackers_last_update_timestamp_seconds",
                "Unix time of the torrent's tracker data (its last torrents.trackers.list answer).",
                None,
                MetricType::Gauge,
            )?;
            for e in &view.entries {
                if let Some(t) = &e.trackers {
                    let labels = [("info_hash", &*e.info.key)];
                    ConstGauge::new(t.at).encode(m.encode_family(&labels)?)?;
                }
            }
        }

        for (i, g) in TRACKER_GAUGES.iter().enumerate() {
            tracker_gauge(&mut enc, i, g, view)?;
        }

        let hosts = &view.hosts;
        if hosts.is_empty() {
            return Ok(());
        }
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
        for g in HOST_GAUGES {
            host_gauge(&mut enc, g, hosts)?;
        }
        let mut m = enc.encode_descriptor(
            "porla_tracker_host_errors",
            "Torrents in status error on this host, by error class.",
            None,
            MetricType::Gauge,
        )?;
        for h in hosts {
            for c in ErrorClass::ALL {
                let labels = [("tracker_host", h.host.as_str()), ("class", c.as_str())];
                ConstGauge::new(h.errors[c.index()] as i64).encode(m.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}
