//! The immutable snapshot that `/metrics` encodes.
//!
//! The poller turns what it learnt from Porla ([`TorrentData`]) into a [`View`]: label values
//! sanitised and redacted once, endpoints and protocol slots folded (or split per endpoint),
//! per-host aggregates summed. Scrapes only read the latest [`Snapshot`]; they never call Porla
//! and never compute more than the encoding.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::classify::{ErrorClass, Status};
use crate::defaults;
use crate::porla::{Endpoint, Slot, Tracker, TrackerList};
use crate::redact::{clean_label, redact_tracker_url, MAX_LABEL, MAX_LONG_LABEL};

/// What the exporter knows about one torrent.
#[derive(Debug, Clone)]
pub struct TorrentData {
    /// v1 hex when the torrent has a v1 hash, else v2 hex.
    pub key: String,
    pub has_v1: bool,
    pub has_v2: bool,
    pub name: String,
    pub session: String,
    pub category: Option<String>,
    pub paused: bool,
    /// The last `torrents.trackers.list` answer, `None` until one was received.
    pub trackers: Option<Arc<TrackerList>>,
    /// Unix time of that answer.
    pub trackers_at: Option<f64>,
}

/// How the view is built (from the `--collector.*` flags; defaults in [`crate::defaults`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewOptions {
    pub per_torrent: bool,
    pub per_endpoint: bool,
    /// Seconds past `next_announce` after which an announce counts as overdue.
    pub overdue_grace: f64,
    /// Maximum number of per-torrent series (0 = no limit).
    pub max_series: usize,
    /// Export the detail gauges too (`--collector.tracker.details`): see [`TRACKER_GAUGES`].
    pub tracker_details: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            per_torrent: defaults::PER_TORRENT,
            per_endpoint: defaults::PER_ENDPOINT,
            overdue_grace: defaults::default_duration(defaults::OVERDUE_GRACE).as_secs_f64(),
            max_series: defaults::MAX_SERIES,
            tracker_details: defaults::TRACKER_DETAILS,
        }
    }
}

/// Label values of a row, clean and shared: equal values (a tracker's redacted URL, a host,
/// a tier) point to one allocation however many torrents carry them.
#[derive(Debug, Clone)]
pub struct RowLabels {
    pub info_hash: Arc<str>,
    pub tracker_host: Arc<str>,
    pub tracker: Arc<str>,
    pub tier: Arc<str>,
    /// With `--collector.tracker.per-endpoint`: the endpoint and the protocol.
    pub endpoint: Option<(Arc<str>, &'static str)>,
}

/// Most labels a row carries: info_hash, tracker_host, tracker, tier, and per endpoint
/// endpoint and protocol.
pub const MAX_ROW_LABELS: usize = 6;

/// Room for a row's labels plus one (`status` or `class`).
pub type LabelBuf<'a> = [(&'static str, &'a str); MAX_ROW_LABELS + 1];

impl RowLabels {
    /// Writes the label pairs, in order, into `buf`; returns how many.
    pub fn fill<'a>(&'a self, buf: &mut LabelBuf<'a>) -> usize {
        buf[0] = ("info_hash", &self.info_hash);
        buf[1] = ("tracker_host", &self.tracker_host);
        buf[2] = ("tracker", &self.tracker);
        buf[3] = ("tier", &self.tier);
        match &self.endpoint {
            Some((endpoint, protocol)) => {
                buf[4] = ("endpoint", endpoint);
                buf[5] = ("protocol", protocol);
                6
            }
            None => 4,
        }
    }
}

/// One torrent × tracker (× endpoint × protocol) series set.
#[derive(Debug, Clone)]
pub struct Row {
    pub labels: RowLabels,
    pub status: Status,
    pub error: Option<ErrorClass>,
    pub fails: Option<i64>,
    pub seeders: Option<i64>,
    pub leechers: Option<i64>,
    pub downloaded: Option<i64>,
    pub next_announce: Option<i64>,
    pub min_announce: Option<i64>,
    pub fail_limit: i64,
    pub verified: bool,
    pub updating: bool,
}

impl Row {
    /// Series this row produces with or without the detail gauges (for the series cap): one
    /// per gauge of [`TRACKER_GAUGES`] that is exported and has a sample for this row.
    fn series(&self, details: bool) -> usize {
        TRACKER_GAUGES
            .iter()
            .filter(|g| g.exported(details) && g.sample.of(self).is_some())
            .count()
    }
}

/// The sample a per torrent × tracker gauge takes from a [`Row`].
#[derive(Clone, Copy)]
pub enum Sample {
    /// A value; no sample while `None`.
    Value(fn(&Row) -> Option<i64>),
    /// Constant 1 with one more label, `(name, value)`; no sample while the value is `None`.
    Label(&'static str, fn(&Row) -> Option<&'static str>),
}

impl Sample {
    /// Whether (and what) the row samples, as a value or a label value.
    pub fn of(&self, row: &Row) -> Option<SampleOf> {
        match self {
            Sample::Value(f) => f(row).map(SampleOf::Value),
            Sample::Label(name, f) => f(row).map(|v| SampleOf::Label(name, v)),
        }
    }
}

/// One row's sample of a gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleOf {
    Value(i64),
    /// `(label name, label value)`.
    Label(&'static str, &'static str),
}

/// One per torrent × tracker gauge of the metrics contract.
pub struct TrackerGauge {
    pub name: &'static str,
    pub help: &'static str,
    pub sample: Sample,
    /// Exported only with `--collector.tracker.details`.
    pub details: bool,
}

impl TrackerGauge {
    pub fn exported(&self, details: bool) -> bool {
        details || !self.details
    }
}

/// The per torrent × tracker gauges, in exposition order. This one table drives both the
/// collector (what `/metrics` shows) and the series cap ([`Row::series`]).
///
/// `fail_limit` stays in the default set (not a detail) so the fail-limit alert
/// (`fails >= fail_limit`) keeps working unchanged.
pub const TRACKER_GAUGES: &[TrackerGauge] = &[
    TrackerGauge {
        name: "porla_tracker_fails",
        help: "Consecutive failed announces to the tracker.",
        sample: Sample::Value(|r| r.fails),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_complete",
        help: "Seeders according to the tracker (absent while unknown).",
        sample: Sample::Value(|r| r.seeders),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_incomplete",
        help: "Leechers according to the tracker (absent while unknown).",
        sample: Sample::Value(|r| r.leechers),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_downloaded",
        help: "Completed downloads according to the tracker (absent while unknown).",
        sample: Sample::Value(|r| r.downloaded),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_next_announce_timestamp_seconds",
        help: "Unix time of the next scheduled announce (absent when unscheduled).",
        sample: Sample::Value(|r| r.next_announce),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_min_announce_timestamp_seconds",
        help: "Unix time before which no announce may be sent (absent when unset).",
        sample: Sample::Value(|r| r.min_announce),
        details: true,
    },
    TrackerGauge {
        name: "porla_tracker_fail_limit",
        help: "Failures in a row before the tracker is given up; 0 means unlimited.",
        sample: Sample::Value(|r| Some(r.fail_limit)),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_verified",
        help: "1 once the tracker sent a valid response.",
        sample: Sample::Value(|r| Some(i64::from(r.verified))),
        details: true,
    },
    TrackerGauge {
        name: "porla_tracker_updating",
        help: "1 while an announce to the tracker is in flight.",
        sample: Sample::Value(|r| Some(i64::from(r.updating))),
        details: true,
    },
    TrackerGauge {
        name: "porla_tracker_status",
        help: "Constant 1; the status label carries the tracker's status (working, updating, queued, error, inactive).",
        sample: Sample::Label("status", |r| Some(r.status.as_str())),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_last_error",
        help: "Constant 1 while the tracker is in status error; the class label carries the normalised error class.",
        sample: Sample::Label("class", |r| r.error.map(ErrorClass::as_str)),
        details: false,
    },
];

/// Per tracker host aggregates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostRow {
    pub host: String,
    /// Torrents by their best status on the host, indexed by `Status as usize`.
    pub by_status: [u64; Status::ALL.len()],
    pub seeders: u64,
    pub leechers: u64,
    pub downloaded: u64,
    pub reporting: u64,
    pub overdue: u64,
    /// Torrents in error by class, indexed by [`ErrorClass::index`].
    pub errors: [u64; ErrorClass::ALL.len()],
}

/// `porla_torrent_info` labels and the age of the torrent's tracker data.
#[derive(Debug, Clone)]
pub struct InfoRow {
    pub info_hash: Arc<str>,
    pub name: Box<str>,
    pub session: Arc<str>,
    pub category: Arc<str>,
    pub trackers_at: Option<f64>,
}

impl InfoRow {
    pub fn labels(&self) -> [(&'static str, &str); 4] {
        [
            ("info_hash", &self.info_hash),
            ("name", &self.name),
            ("session", &self.session),
            ("category", &self.category),
        ]
    }
}

/// Hands out one shared allocation per distinct label value.
#[derive(Default)]
struct Interner(std::collections::HashSet<Arc<str>>);

impl Interner {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(a.clone());
        a
    }
}

/// Everything derived from Porla at one successful poll.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub torrents: usize,
    pub infos: Vec<InfoRow>,
    pub rows: Vec<Row>,
    pub hosts: Vec<HostRow>,
    /// Per-torrent series left out because of `--collector.max-series`.
    pub dropped_series: usize,
    /// Whether the detail gauges are exported (`--collector.tracker.details`).
    pub details: bool,
}

/// A failed poll: the error's bounded class and its message (which carries no secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollFailure {
    pub class: &'static str,
    pub message: String,
}

/// What `/metrics` encodes: Porla-derived data of the last poll (if it succeeded) and poll meta.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub up: bool,
    /// Polls finished so far, successful or not; `/-/ready` wants one.
    pub polls: u64,
    pub last_poll_duration: Option<f64>,
    pub last_poll_at: Option<f64>,
    pub last_success_at: Option<f64>,
    /// `None` when the last poll failed: nothing stale is presented as fresh.
    pub view: Option<Arc<View>>,
    /// Why the last poll failed (`None` after a success), for the landing page.
    pub last_error: Option<PollFailure>,
}

/// One torrent's trackers on one host, folded: the best state over them, the error classes
/// of those in error, and whether any announce is overdue.
struct HostFold {
    best: Folded,
    classes: Vec<ErrorClass>,
    overdue: bool,
}

/// A folded announce state over several slots.
#[derive(Debug, Clone, PartialEq)]
struct Folded {
    status: Status,
    error: Option<ErrorClass>,
    fails: Option<i64>,
    seeders: Option<i64>,
    leechers: Option<i64>,
    downloaded: Option<i64>,
    next_announce: Option<i64>,
    min_announce: Option<i64>,
    updating: bool,
}

fn fold(slots: &[&Slot]) -> Folded {
    let status = slots
        .iter()
        .map(|s| Status::of_slot(s))
        .min()
        .unwrap_or(Status::Inactive);
    let error = if status == Status::Error {
        slots
            .iter()
            .filter(|s| Status::of_slot(s) == Status::Error)
            .min_by_key(|s| s.fails)
            .map(|s| ErrorClass::classify(s.error_text().unwrap_or(""), &s.message))
    } else {
        None
    };
    Folded {
        status,
        error,
        fails: slots.iter().map(|s| s.fails.max(0)).min(),
        seeders: slots.iter().filter_map(|s| s.seeders()).max(),
        leechers: slots.iter().filter_map(|s| s.leechers()).max(),
        downloaded: slots.iter().filter_map(|s| s.downloaded()).max(),
        next_announce: slots.iter().filter_map(|s| s.next_announce()).min(),
        min_announce: slots.iter().filter_map(|s| s.min_announce()).min(),
        updating: slots.iter().any(|s| s.updating),
    }
}

/// The slots of a tracker that count: enabled endpoints (loopback ones only when there are no
/// others), protocols the torrent has. Yields `(endpoint, protocol, slot)`.
fn usable_slots<'a>(
    t: &'a Tracker,
    has_v1: bool,
    has_v2: bool,
) -> impl Iterator<Item = (&'a Endpoint, &'static str, &'a Slot)> + 'a {
    let enabled = || t.endpoints.iter().filter(|e| e.enabled);
    let any_public = enabled().any(|e| !e.is_loopback());
    enabled()
        .filter(move |e| !(any_public && e.is_loopback()))
        .flat_map(move |e| {
            [(0usize, "v1", has_v1), (1, "v2", has_v2)]
                .into_iter()
                .filter(|(_, _, has)| *has)
                .filter_map(move |(i, proto, _)| e.info_hashes.get(i).map(|s| (e, proto, s)))
        })
}

impl TorrentData {
    /// Every announce slot that counts for this torrent (see [`usable_slots`]), over all its
    /// trackers: what the metrics fold, and what the poller's scheduling looks at.
    pub fn usable_slots(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.trackers
            .iter()
            .flat_map(|l| &l.trackers)
            .flat_map(move |t| usable_slots(t, self.has_v1, self.has_v2).map(|(_, _, s)| s))
    }
}

#[derive(Default)]
struct Group<'a> {
    host: String,
    verified: bool,
    fail_limit: i64,
    slots: Vec<&'a Slot>,
}

/// Groups a torrent's slots by output labels: (tier, tracker) when folding, plus (endpoint,
/// protocol) per endpoint. Trackers whose redacted labels collide share a group, so no two
/// series ever carry the same labels.
/// Output labels of a group: (tier, redacted tracker URL, endpoint, protocol).
type GroupKey = (i64, String, String, &'static str);

fn group<'a>(
    t: &'a TorrentData,
    list: &'a TrackerList,
    per_endpoint: bool,
) -> BTreeMap<GroupKey, Group<'a>> {
    let mut groups: BTreeMap<GroupKey, Group<'a>> = BTreeMap::new();
    for tr in &list.trackers {
        let url = redact_tracker_url(&tr.url);
        let mut add = |key: GroupKey, slots: &mut dyn Iterator<Item = &'a Slot>| {
            let g = groups.entry(key).or_default();
            g.host.clone_from(&url.host);
            g.verified |= tr.verified;
            g.fail_limit = g.fail_limit.max(tr.fail_limit);
            g.slots.extend(slots);
        };
        if per_endpoint {
            for (endpoint, proto, slot) in usable_slots(tr, t.has_v1, t.has_v2) {
                add(
                    (tr.tier, url.redacted.clone(), endpoint.address(), proto),
                    &mut std::iter::once(slot),
                );
            }
        } else {
            let key = (tr.tier, url.redacted.clone(), String::new(), "");
            add(
                key,
                &mut usable_slots(tr, t.has_v1, t.has_v2).map(|(_, _, s)| s),
            );
        }
    }
    groups
}

impl View {
    /// Builds the view from the torrents' data; `now` is the poll's Unix time.
    pub fn build<'a>(
        torrents: impl IntoIterator<Item = &'a TorrentData>,
        opts: &ViewOptions,
        now: f64,
    ) -> View {
        let mut view = View {
            details: opts.tracker_details,
            ..View::default()
        };
        let mut hosts: BTreeMap<String, HostRow> = BTreeMap::new();
        let mut series = 0usize;
        let mut interned = Interner::default();

        for t in torrents {
            view.torrents += 1;
            let info_hash: Arc<str> = Arc::from(clean_label(&t.key, MAX_LABEL));
            if opts.per_torrent {
                view.infos.push(InfoRow {
                    info_hash: info_hash.clone(),
                    name: clean_label(&t.name, MAX_LONG_LABEL).into(),
                    session: interned.get(&clean_label(&t.session, MAX_LABEL)),
                    category: interned
                        .get(&clean_label(t.category.as_deref().unwrap_or(""), MAX_LABEL)),
                    trackers_at: t.trackers_at,
                });
            }
            let Some(list) = &t.trackers else { continue };

            // Per-host aggregates always come from the folded view.
            let mut per_host: BTreeMap<&str, HostFold> = BTreeMap::new();
            // Each group is folded once, for the aggregates and (folding) for the rows.
            let folded: Vec<(GroupKey, Group, Folded)> = group(t, list, false)
                .into_iter()
                .map(|(k, g)| {
                    let f = fold(&g.slots);
                    (k, g, f)
                })
                .collect();
            for (_, g, f) in &folded {
                let overdue = !t.paused
                    && !f.updating
                    && f.next_announce
                        .is_some_and(|n| now - n as f64 > opts.overdue_grace);
                let e = per_host.entry(g.host.as_str()).or_insert_with(|| HostFold {
                    best: f.clone(),
                    classes: Vec::new(),
                    overdue: false,
                });
                let acc = &mut e.best;
                acc.status = acc.status.min(f.status);
                acc.seeders = acc.seeders.max(f.seeders);
                acc.leechers = acc.leechers.max(f.leechers);
                acc.downloaded = acc.downloaded.max(f.downloaded);
                if let Some(c) = f.error {
                    if !e.classes.contains(&c) {
                        e.classes.push(c);
                    }
                }
                e.overdue |= overdue;
            }
            for (
                host,
                HostFold {
                    best: f,
                    classes,
                    overdue,
                },
            ) in per_host
            {
                let h = hosts.entry(host.to_owned()).or_insert_with(|| HostRow {
                    host: host.to_owned(),
                    ..HostRow::default()
                });
                h.by_status[f.status as usize] += 1;
                if f.seeders.is_some() || f.leechers.is_some() || f.downloaded.is_some() {
                    h.reporting += 1;
                }
                h.seeders += f.seeders.unwrap_or(0) as u64;
                h.leechers += f.leechers.unwrap_or(0) as u64;
                h.downloaded += f.downloaded.unwrap_or(0) as u64;
                h.overdue += u64::from(overdue);
                if f.status == Status::Error {
                    for c in classes {
                        h.errors[c.index()] += 1;
                    }
                }
            }

            if !opts.per_torrent {
                continue;
            }
            let rows: Vec<(GroupKey, Group, Folded)> = if opts.per_endpoint {
                group(t, list, true)
                    .into_iter()
                    .map(|(k, g)| {
                        let f = fold(&g.slots);
                        (k, g, f)
                    })
                    .collect()
            } else {
                folded
            };
            for ((tier, tracker, endpoint, protocol), g, f) in rows {
                let labels = RowLabels {
                    info_hash: info_hash.clone(),
                    tracker_host: interned.get(&g.host),
                    tracker: interned.get(&tracker),
                    tier: interned.get(&tier.to_string()),
                    endpoint: opts
                        .per_endpoint
                        .then(|| (interned.get(&clean_label(&endpoint, MAX_LABEL)), protocol)),
                };
                let row = Row {
                    labels,
                    status: f.status,
                    error: f.error,
                    fails: f.fails,
                    seeders: f.seeders,
                    leechers: f.leechers,
                    downloaded: f.downloaded,
                    next_announce: f.next_announce,
                    min_announce: f.min_announce,
                    fail_limit: g.fail_limit,
                    verified: g.verified,
                    updating: f.updating,
                };
                let n = row.series(opts.tracker_details);
                if opts.max_series > 0 && series + n > opts.max_series {
                    view.dropped_series += n;
                    continue;
                }
                series += n;
                view.rows.push(row);
            }
        }
        view.hosts = hosts.into_values().collect();
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::porla::TIME_UNSET;
    use serde_json::json;

    fn slot(fails: i64, err: Option<&str>, start_sent: bool, seeds: i64, next: i64) -> Slot {
        Slot {
            fails,
            last_error: err.map(|e| json!(e)),
            start_sent,
            scrape_complete: Some(seeds),
            scrape_incomplete: Some(-1),
            scrape_downloaded: Some(-1),
            next_announce: Some(next),
            min_announce: Some(TIME_UNSET),
            ..Default::default()
        }
    }

    fn endpoint(ip: &str, slots: [Slot; 2]) -> Endpoint {
        Endpoint {
            local_endpoint: json!([ip, 6881]),
            enabled: true,
            info_hashes: slots.to_vec(),
        }
    }

    fn torrent(trackers: Vec<Tracker>, v1: bool, v2: bool) -> TorrentData {
        TorrentData {
            key: "a".repeat(40),
            has_v1: v1,
            has_v2: v2,
            name: "n".into(),
            session: "default".into(),
            category: None,
            paused: false,
            trackers: Some(Arc::new(TrackerList { trackers })),
            trackers_at: Some(0.0),
        }
    }

    fn unused() -> Slot {
        slot(0, None, false, -1, TIME_UNSET)
    }

    #[test]
    fn fold_takes_the_best_endpoint_and_only_owned_protocols() {
        // v1-only torrent: the v2 slot says "error" but must be ignored.
        let tr = Tracker {
            url: "udp://t.example:1/announce".into(),
            endpoints: vec![
                endpoint(
                    "10.0.0.1",
                    [
                        slot(3, Some("timed out"), false, -1, 2000),
                        slot(5, Some("Connection refused"), false, -1, 1000),
                    ],
                ),
                endpoint("10.0.0.2", [slot(0, None, true, 40, 3000), unused()]),
                endpoint(
                    "127.0.0.1",
                    [
                        slot(9, Some("Connection refused"), false, 99, 500),
                        unused(),
                    ],
                ),
            ],
            ..Default::default()
        };
        let v = View::build(
            &[torrent(vec![tr], true, false)],
            &ViewOptions::default(),
            10_000.0,
        );
        assert_eq!(v.rows.len(), 1);
        let r = &v.rows[0];
        assert_eq!(r.status, Status::Working);
        assert_eq!(r.fails, Some(0));
        assert_eq!(
            r.seeders,
            Some(40),
            "loopback endpoint ignored when others exist"
        );
        assert_eq!(r.next_announce, Some(2000), "earliest over usable slots");
        assert_eq!(r.leechers, None, "-1 is absence");
        assert_eq!(r.min_announce, None, "INT32_MIN is absence");
        assert_eq!(r.error, None);
    }

    #[test]
    fn per_endpoint_splits_and_host_counts_torrents_once() {
        let mk = |url: &str| Tracker {
            url: url.into(),
            endpoints: vec![endpoint(
                "10.0.0.1",
                [
                    slot(2, Some("Connection refused"), false, -1, 100),
                    slot(0, None, true, 7, 100),
                ],
            )],
            ..Default::default()
        };
        let t = torrent(
            vec![
                mk("udp://h.example:1/announce"),
                mk("http://h.example:2/announce"),
            ],
            true,
            true,
        );
        let opts = ViewOptions {
            per_endpoint: true,
            ..Default::default()
        };
        let v = View::build(&[t], &opts, 100.0);
        assert_eq!(v.rows.len(), 4);
        let protos: Vec<_> = v
            .rows
            .iter()
            .map(|r| r.labels.endpoint.as_ref().unwrap().1)
            .collect();
        assert_eq!(protos, ["v1", "v2", "v1", "v2"]);
        assert_eq!(v.hosts.len(), 1);
        assert_eq!(
            v.hosts[0].by_status.iter().sum::<u64>(),
            1,
            "one torrent on one host"
        );
        assert_eq!(v.hosts[0].by_status[Status::Working as usize], 1);
        assert_eq!(v.hosts[0].seeders, 7);
    }

    #[test]
    fn colliding_redacted_urls_fold_into_one_series() {
        let mk = |key: &str, fails: i64| Tracker {
            url: format!("https://t.example/{key}/announce"),
            endpoints: vec![endpoint(
                "10.0.0.1",
                [slot(fails, Some("timed out"), false, -1, 100), unused()],
            )],
            ..Default::default()
        };
        let t = torrent(
            vec![mk("aaaaaaaaaaaaaaaa1111", 4), mk("bbbbbbbbbbbbbbbb2222", 2)],
            true,
            false,
        );
        let v = View::build(&[t], &ViewOptions::default(), 100.0);
        assert_eq!(v.rows.len(), 1);
        assert_eq!(v.rows[0].fails, Some(2));
        assert_eq!(v.rows[0].error, Some(ErrorClass::Timeout));
    }

    #[test]
    fn no_endpoints_is_inactive_without_samples() {
        let tr = Tracker {
            url: "http://t.example/announce".into(),
            ..Default::default()
        };
        let v = View::build(
            &[torrent(vec![tr], true, false)],
            &ViewOptions::default(),
            0.0,
        );
        assert_eq!(v.rows[0].status, Status::Inactive);
        assert_eq!(v.rows[0].fails, None);
        assert_eq!(v.hosts[0].by_status[Status::Inactive as usize], 1);
    }

    #[test]
    fn overdue_needs_grace_and_skips_paused() {
        let tr = Tracker {
            url: "http://t.example/announce".into(),
            endpoints: vec![endpoint(
                "10.0.0.1",
                [slot(0, None, true, 1, 1000), unused()],
            )],
            ..Default::default()
        };
        let opts = ViewOptions::default();
        let t = torrent(vec![tr], true, false);
        assert_eq!(
            View::build(std::slice::from_ref(&t), &opts, 1200.0).hosts[0].overdue,
            0
        );
        assert_eq!(
            View::build(std::slice::from_ref(&t), &opts, 1400.0).hosts[0].overdue,
            1
        );
        let paused = TorrentData { paused: true, ..t };
        assert_eq!(View::build(&[paused], &opts, 1400.0).hosts[0].overdue, 0);
    }

    #[test]
    fn series_cap_drops_and_counts() {
        let tr = |i: i64| Tracker {
            url: format!("http://t{i}.example/announce"),
            tier: i,
            endpoints: vec![endpoint(
                "10.0.0.1",
                [slot(0, None, true, 1, 1000), unused()],
            )],
            ..Default::default()
        };
        let t = torrent((0..3).map(tr).collect(), true, false);
        let opts = ViewOptions {
            max_series: 15,
            tracker_details: true,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &opts, 0.0);
        // Each row: status, fail_limit, verified, updating + fails, seeders, next = 7 series.
        assert_eq!(v.rows.len(), 2);
        assert_eq!(v.dropped_series, 7);
        // By default (no details): status, fail_limit + fails, seeders, next = 5 series.
        let lean = ViewOptions {
            max_series: 12,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &lean, 0.0);
        assert_eq!(v.rows.len(), 2);
        assert_eq!(v.dropped_series, 5);
        assert_eq!(v.hosts.len(), 3, "aggregates are never capped");
    }
}
