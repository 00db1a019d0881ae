//! The immutable snapshot that `/metrics` encodes.
//!
//! Each `torrents.trackers.list` answer is folded when it arrives ([`Tracked::fold`]) into what
//! the metrics need: the torrent's rows (label values sanitised, redacted and pre-encoded once,
//! endpoints and protocol slots folded or split per endpoint), its part of the per-host
//! aggregates, and the little the scheduler needs. The decoded answer is dropped at once.
//! A [`View`] only references the torrents' [`Info`] and [`Tracked`] parts; building one sums
//! the host aggregates and applies the series cap. Scrapes only read the latest [`Snapshot`];
//! they never call Porla and never compute more than the encoding.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::classify::{ErrorClass, Status};
use crate::defaults;
use crate::porla::{Endpoint, Slot, Tracker, TrackerList};
use crate::redact::{clean_label, redact_tracker_url, MAX_LABEL, MAX_LONG_LABEL};

/// What the exporter knows about one torrent, in the decoded form (the unit tests build views
/// from it with [`View::build`]; the poller folds answers on arrival instead).
#[cfg(test)]
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

/// "No sample" in a [`Row`]'s optional values (which are never negative when present).
const NONE: i64 = i64::MIN;

fn opt(v: i64) -> Option<i64> {
    (v != NONE).then_some(v)
}

fn sentinel(v: Option<i64>) -> i64 {
    v.unwrap_or(NONE)
}

/// One torrent × tracker (× endpoint × protocol) series set. Its labels live in the
/// [`Tracked::labels`] arena of its torrent, pre-encoded (see [`RowRef`]).
#[derive(Debug, Clone)]
pub struct Row {
    /// `labels[start..split]`: the encoded labels up to the last label's name;
    /// `labels[split..end]`: the last label's raw value.
    start: u32,
    split: u32,
    end: u32,
    pub status: Status,
    pub error: Option<ErrorClass>,
    pub verified: bool,
    pub updating: bool,
    fails: i64,
    seeders: i64,
    leechers: i64,
    downloaded: i64,
    next_announce: i64,
    min_announce: i64,
    pub fail_limit: i64,
}

impl Row {
    pub fn fails(&self) -> Option<i64> {
        opt(self.fails)
    }
    pub fn seeders(&self) -> Option<i64> {
        opt(self.seeders)
    }
    pub fn leechers(&self) -> Option<i64> {
        opt(self.leechers)
    }
    pub fn downloaded(&self) -> Option<i64> {
        opt(self.downloaded)
    }
    pub fn next_announce(&self) -> Option<i64> {
        opt(self.next_announce)
    }
    pub fn min_announce(&self) -> Option<i64> {
        opt(self.min_announce)
    }

    /// The gauges of [`TRACKER_GAUGES`] (bit `i` for entry `i`) that are exported and have a
    /// sample for this row: one series each (for the series cap).
    fn sampled(&self, details: bool) -> GaugeSet {
        TRACKER_GAUGES
            .iter()
            .enumerate()
            .filter(|(_, g)| g.exported(details) && g.sample.of(self).is_some())
            .fold(0, |set, (i, _)| set | 1 << i)
    }
}

/// A row with its labels: `prefix` is `info_hash="…",tracker_host="…",tracker="…",tier`
/// (per endpoint: `…,tier="…",endpoint="…",protocol`), every value already escaped the way
/// prometheus-client escapes label values; `last` is the last label's value (a tier number
/// or a protocol, which never need escaping).
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    pub row: &'a Row,
    pub prefix: &'a str,
    pub last: &'a str,
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

/// A set of [`TRACKER_GAUGES`] entries: bit `i` for entry `i`.
pub type GaugeSet = u32;

const _: () = assert!(TRACKER_GAUGES.len() <= GaugeSet::BITS as usize);

/// The per torrent × tracker gauges, in exposition order. This one table drives both the
/// collector (what `/metrics` shows) and the series cap ([`Row::sampled`]).
///
/// `fail_limit` stays in the default set (not a detail) so the fail-limit alert
/// (`fails >= fail_limit`) keeps working unchanged.
pub const TRACKER_GAUGES: &[TrackerGauge] = &[
    TrackerGauge {
        name: "porla_tracker_fails",
        help: "Consecutive failed announces to the tracker.",
        sample: Sample::Value(Row::fails),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_complete",
        help: "Seeders according to the tracker (absent while unknown).",
        sample: Sample::Value(Row::seeders),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_incomplete",
        help: "Leechers according to the tracker (absent while unknown).",
        sample: Sample::Value(Row::leechers),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_scrape_downloaded",
        help: "Completed downloads according to the tracker (absent while unknown).",
        sample: Sample::Value(Row::downloaded),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_next_announce_timestamp_seconds",
        help: "Unix time of the next scheduled announce (absent when unscheduled).",
        sample: Sample::Value(Row::next_announce),
        details: false,
    },
    TrackerGauge {
        name: "porla_tracker_min_announce_timestamp_seconds",
        help: "Unix time before which no announce may be sent (absent when unset).",
        sample: Sample::Value(Row::min_announce),
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

/// A torrent's listing, label values cleaned: `porla_torrent_info` and the info hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// v1 hex when the torrent has a v1 hash, else v2 hex: the poller's key, and the `info_hash`
    /// label value as it is (40 or 64 lowercase hex digits: see [`crate::porla::Torrent::hashes`]).
    pub key: Arc<str>,
    pub name: Box<str>,
    pub session: Arc<str>,
    pub category: Arc<str>,
    pub has_v1: bool,
    pub has_v2: bool,
    pub paused: bool,
}

impl Info {
    /// Cleans the listing's label values; equal session and category values are shared
    /// through `interner`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        key: &str,
        has_v1: bool,
        has_v2: bool,
        name: &str,
        session: &str,
        category: Option<&str>,
        paused: bool,
        interner: &mut Interner,
    ) -> Info {
        Info {
            key: Arc::from(key),
            name: clean_label(name, MAX_LONG_LABEL).into(),
            session: interner.get(&clean_label(session, MAX_LABEL)),
            category: interner.get(&clean_label(category.unwrap_or(""), MAX_LABEL)),
            has_v1,
            has_v2,
            paused,
        }
    }

    pub fn labels(&self) -> [(&'static str, &str); 4] {
        [
            ("info_hash", &self.key),
            ("name", &self.name),
            ("session", &self.session),
            ("category", &self.category),
        ]
    }
}

/// Hands out one shared allocation per distinct label value (kept by the poller across
/// cycles; [`Interner::prune`] forgets values nothing uses any more).
#[derive(Debug, Default)]
pub struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(a.clone());
        a
    }

    /// Drops the values only the interner still holds.
    pub fn prune(&mut self) {
        self.0.retain(|a| Arc::strong_count(a) > 1);
    }
}

/// One torrent's part of a host's aggregates: its trackers on that host, folded.
#[derive(Debug, Clone)]
struct HostPart {
    host: Arc<str>,
    status: Status,
    seeders: i64,
    leechers: i64,
    downloaded: i64,
    /// Error classes (bit [`ErrorClass::index`]) of the host's trackers in error.
    classes: u16,
    /// Earliest `next_announce` of the host's trackers with no announce in flight (overdue
    /// once `now` is past it by more than the grace).
    earliest_next: i64,
}

/// One `torrents.trackers.list` answer, folded on arrival.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// Unix time of the answer.
    pub at: f64,
    /// An announce was in flight on a usable slot.
    pub updating: bool,
    /// Earliest usable `next_announce` plus the announce margin still ahead of `at`: the
    /// scheduler asks again once `now` reaches it.
    pub due_from: Option<f64>,
    hosts: Box<[HostPart]>,
    /// Empty without per-torrent series.
    rows: Box<[Row]>,
    labels: Box<str>,
}

/// Escapes a label value as prometheus-client's text encoders do (`\`, `"`, newline).
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let e = match b {
            b'\\' => "\\\\",
            b'"' => "\\\"",
            b'\n' => "\\n",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(e);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// How [`Tracked::fold`] folds an answer.
#[derive(Debug, Clone, Copy)]
pub struct FoldOptions {
    pub per_torrent: bool,
    pub per_endpoint: bool,
    /// The scheduler's announce margin, in seconds.
    pub margin: f64,
}

impl Tracked {
    /// Folds one answer for the torrent `info` received at `at`.
    pub fn fold(
        info: &Info,
        list: &TrackerList,
        at: f64,
        opts: FoldOptions,
        interner: &mut Interner,
    ) -> Tracked {
        let (has_v1, has_v2) = (info.has_v1, info.has_v2);
        let mut updating = false;
        let mut due_from: Option<f64> = None;
        for tr in &list.trackers {
            for (_, _, s) in usable_slots(tr, has_v1, has_v2) {
                updating |= s.updating;
                if let Some(n) = s.next_announce() {
                    let d = n as f64 + opts.margin;
                    if d > at {
                        due_from = Some(due_from.map_or(d, |x| x.min(d)));
                    }
                }
            }
        }

        // Per-host aggregates always come from the folded groups.
        let folded: Vec<(GroupKey, Group, Folded)> = group(has_v1, has_v2, list, false)
            .into_iter()
            .map(|(k, g)| {
                let f = fold(&g.slots);
                (k, g, f)
            })
            .collect();
        let mut per_host: Vec<HostPart> = Vec::new();
        for (_, g, f) in &folded {
            let i = match per_host.iter().position(|h| *h.host == *g.host) {
                Some(i) => i,
                None => {
                    per_host.push(HostPart {
                        host: interner.get(&g.host),
                        status: f.status,
                        seeders: sentinel(f.seeders),
                        leechers: sentinel(f.leechers),
                        downloaded: sentinel(f.downloaded),
                        classes: 0,
                        earliest_next: NONE,
                    });
                    per_host.len() - 1
                }
            };
            let h = &mut per_host[i];
            h.status = h.status.min(f.status);
            h.seeders = h.seeders.max(sentinel(f.seeders));
            h.leechers = h.leechers.max(sentinel(f.leechers));
            h.downloaded = h.downloaded.max(sentinel(f.downloaded));
            if let Some(c) = f.error {
                h.classes |= 1 << c.index();
            }
            if !f.updating {
                if let Some(n) = f.next_announce {
                    if h.earliest_next == NONE || n < h.earliest_next {
                        h.earliest_next = n;
                    }
                }
            }
        }

        let mut rows = Vec::new();
        let mut labels = String::new();
        if opts.per_torrent {
            let groups = if opts.per_endpoint {
                group(has_v1, has_v2, list, true)
                    .into_iter()
                    .map(|(k, g)| {
                        let f = fold(&g.slots);
                        (k, g, f)
                    })
                    .collect()
            } else {
                folded
            };
            rows.reserve_exact(groups.len());
            for ((tier, tracker, endpoint, protocol), g, f) in groups {
                let start = labels.len();
                labels.push_str("info_hash=\"");
                escape_into(&mut labels, &info.key);
                labels.push_str("\",tracker_host=\"");
                escape_into(&mut labels, &g.host);
                labels.push_str("\",tracker=\"");
                escape_into(&mut labels, &tracker);
                labels.push_str("\",tier");
                let split = if opts.per_endpoint {
                    let _ = write!(labels, "=\"{tier}\",endpoint=\"");
                    escape_into(&mut labels, &clean_label(&endpoint, MAX_LABEL));
                    labels.push_str("\",protocol");
                    let split = labels.len();
                    labels.push_str(protocol);
                    split
                } else {
                    let split = labels.len();
                    let _ = write!(labels, "{tier}");
                    split
                };
                rows.push(Row {
                    start: start as u32,
                    split: split as u32,
                    end: labels.len() as u32,
                    status: f.status,
                    error: f.error,
                    verified: g.verified,
                    updating: f.updating,
                    fails: sentinel(f.fails),
                    seeders: sentinel(f.seeders),
                    leechers: sentinel(f.leechers),
                    downloaded: sentinel(f.downloaded),
                    next_announce: sentinel(f.next_announce),
                    min_announce: sentinel(f.min_announce),
                    fail_limit: g.fail_limit,
                });
            }
        }
        Tracked {
            at,
            updating,
            due_from,
            hosts: per_host.into_boxed_slice(),
            rows: rows.into_boxed_slice(),
            labels: labels.into_boxed_str(),
        }
    }

    fn row_ref<'a>(&'a self, row: &'a Row) -> RowRef<'a> {
        RowRef {
            row,
            prefix: &self.labels[row.start as usize..row.split as usize],
            last: &self.labels[row.split as usize..row.end as usize],
        }
    }
}

/// One torrent in a view: its listing and its folded tracker data (`None` until an answer).
#[derive(Debug, Clone)]
pub struct Entry {
    pub info: Arc<Info>,
    pub trackers: Option<Arc<Tracked>>,
}

/// Everything derived from Porla at one successful poll.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub torrents: usize,
    /// The torrents, by key.
    pub entries: Vec<Entry>,
    pub hosts: Vec<HostRow>,
    /// Per-torrent series left out because of `--collector.max-series`.
    pub dropped_series: usize,
    /// Whether per-torrent series are exported (`--collector.per-torrent`).
    pub per_torrent: bool,
    /// Rows left out by the series cap, by their index over all rows (`None`: none).
    pub capped: Option<Vec<bool>>,
    /// The tracker gauges with a descriptor: every exported value gauge once a row is served,
    /// a label gauge (status, last error) only when a served row has its label.
    pub described: GaugeSet,
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
    has_v1: bool,
    has_v2: bool,
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
            for (endpoint, proto, slot) in usable_slots(tr, has_v1, has_v2) {
                add(
                    (tr.tier, url.redacted.clone(), endpoint.address(), proto),
                    &mut std::iter::once(slot),
                );
            }
        } else {
            let key = (tr.tier, url.redacted.clone(), String::new(), "");
            add(
                key,
                &mut usable_slots(tr, has_v1, has_v2).map(|(_, _, s)| s),
            );
        }
    }
    groups
}

impl View {
    /// Builds the view from decoded torrent data (unit tests); `now` is the poll's Unix time.
    /// The poller folds answers on arrival and calls [`View::assemble`].
    #[cfg(test)]
    pub fn build<'a>(
        torrents: impl IntoIterator<Item = &'a TorrentData>,
        opts: &ViewOptions,
        now: f64,
    ) -> View {
        let mut interner = Interner::default();
        let fopts = FoldOptions {
            per_torrent: opts.per_torrent,
            per_endpoint: opts.per_endpoint,
            margin: 0.0,
        };
        let entries = torrents
            .into_iter()
            .map(|t| {
                let info = Info::new(
                    &t.key,
                    t.has_v1,
                    t.has_v2,
                    &t.name,
                    &t.session,
                    t.category.as_deref(),
                    t.paused,
                    &mut interner,
                );
                let trackers = t.trackers.as_ref().map(|l| {
                    Arc::new(Tracked::fold(
                        &info,
                        l,
                        t.trackers_at.unwrap_or(0.0),
                        fopts,
                        &mut interner,
                    ))
                });
                Entry {
                    info: Arc::new(info),
                    trackers,
                }
            })
            .collect();
        View::assemble(entries, opts, now)
    }

    /// Sums the host aggregates of `entries` (in exposition order) and applies the series cap.
    pub fn assemble(entries: Vec<Entry>, opts: &ViewOptions, now: f64) -> View {
        let mut hosts: BTreeMap<&str, HostRow> = BTreeMap::new();
        let mut series = 0usize;
        let mut dropped = 0usize;
        let mut capped: Option<Vec<bool>> = None;
        let mut index = 0usize;
        let mut described: GaugeSet = 0;
        // Value gauges are described whenever a row is served, with or without a sample.
        let value_gauges = TRACKER_GAUGES
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                g.exported(opts.tracker_details) && matches!(g.sample, Sample::Value(_))
            })
            .fold(0, |set: GaugeSet, (i, _)| set | 1 << i);
        let total_rows: usize = entries
            .iter()
            .filter_map(|e| e.trackers.as_ref())
            .map(|t| t.rows.len())
            .sum();
        for e in &entries {
            let Some(t) = &e.trackers else { continue };
            for p in t.hosts.iter() {
                let h = hosts.entry(&p.host).or_insert_with(|| HostRow {
                    host: p.host.to_string(),
                    ..HostRow::default()
                });
                h.by_status[p.status as usize] += 1;
                let (s, l, d) = (opt(p.seeders), opt(p.leechers), opt(p.downloaded));
                if s.is_some() || l.is_some() || d.is_some() {
                    h.reporting += 1;
                }
                h.seeders += s.unwrap_or(0) as u64;
                h.leechers += l.unwrap_or(0) as u64;
                h.downloaded += d.unwrap_or(0) as u64;
                let overdue = !e.info.paused
                    && opt(p.earliest_next).is_some_and(|n| now - n as f64 > opts.overdue_grace);
                h.overdue += u64::from(overdue);
                if p.status == Status::Error {
                    for c in ErrorClass::ALL {
                        if p.classes & (1 << c.index()) != 0 {
                            h.errors[c.index()] += 1;
                        }
                    }
                }
            }
            if !opts.per_torrent {
                continue;
            }
            for row in t.rows.iter() {
                let sampled = row.sampled(opts.tracker_details);
                let n = sampled.count_ones() as usize;
                if opts.max_series > 0 && series + n > opts.max_series {
                    dropped += n;
                    capped.get_or_insert_with(|| vec![false; total_rows])[index] = true;
                } else {
                    series += n;
                    described |= sampled | value_gauges;
                }
                index += 1;
            }
        }
        let hosts = hosts.into_values().collect();
        View {
            torrents: entries.len(),
            entries,
            hosts,
            dropped_series: dropped,
            per_torrent: opts.per_torrent,
            capped,
            described,
        }
    }

    /// Calls `f` on each per torrent × tracker row, in exposition order, without those the
    /// cap left out; stops at the first error.
    ///
    /// The encoder's hot path, walked once per gauge. Each torrent's rows and labels are
    /// allocations of their own, spread over the heap, reached through its [`Tracked`]: taken
    /// one row at a time, each step waits for memory the step before it found. So a block of
    /// torrents is taken in passes whose loads do not depend on each other, which the CPU
    /// overlaps: their `Tracked`, then their rows, then the rows' labels; then `f` runs on
    /// the block.
    pub fn try_for_each_row<E>(
        &self,
        mut f: impl FnMut(RowRef<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        const BLOCK: usize = 64;
        let mut tracked: Vec<(&Tracked, usize)> = Vec::with_capacity(BLOCK);
        let mut block: Vec<RowRef<'_>> = Vec::with_capacity(4 * BLOCK);
        let mut i = 0usize;
        for chunk in self.entries.chunks(BLOCK) {
            tracked.clear();
            let mut touched = 0usize;
            for t in chunk.iter().filter_map(|e| e.trackers.as_deref()) {
                touched = touched.wrapping_add(t.rows.len());
                tracked.push((t, i));
                i += t.rows.len();
            }
            for &(t, _) in &tracked {
                if let Some(r) = t.rows.first() {
                    touched = touched.wrapping_add(r.start as usize);
                }
            }
            // `touched` only keeps those loads: their values are not needed.
            std::hint::black_box(touched);
            block.clear();
            for &(t, first) in &tracked {
                for (j, r) in t.rows.iter().enumerate() {
                    if self.capped.as_ref().is_none_or(|c| !c[first + j]) {
                        block.push(t.row_ref(r));
                    }
                }
            }
            for r in block.drain(..) {
                f(r)?;
            }
        }
        Ok(())
    }

    /// The per torrent × tracker rows, in exposition order, without those the cap left out.
    #[cfg(test)]
    pub fn rows(&self) -> impl Iterator<Item = RowRef<'_>> + '_ {
        let capped = self.capped.as_deref();
        self.entries
            .iter()
            .filter_map(|e| e.trackers.as_deref())
            .flat_map(|t| t.rows.iter().map(move |r| t.row_ref(r)))
            .enumerate()
            .filter(move |(i, _)| capped.is_none_or(|c| !c[*i]))
            .map(|(_, r)| r)
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
        assert_eq!(v.rows().count(), 1);
        let r = v.rows().next().unwrap().row;
        assert_eq!(r.status, Status::Working);
        assert_eq!(r.fails(), Some(0));
        assert_eq!(
            r.seeders(),
            Some(40),
            "loopback endpoint ignored when others exist"
        );
        assert_eq!(r.next_announce(), Some(2000), "earliest over usable slots");
        assert_eq!(r.leechers(), None, "-1 is absence");
        assert_eq!(r.min_announce(), None, "INT32_MIN is absence");
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
        assert_eq!(v.rows().count(), 4);
        let protos: Vec<_> = v.rows().map(|r| r.last).collect();
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
        assert_eq!(v.rows().count(), 1);
        assert_eq!(v.rows().next().unwrap().row.fails(), Some(2));
        assert_eq!(
            v.rows().next().unwrap().row.error,
            Some(ErrorClass::Timeout)
        );
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
        assert_eq!(v.rows().next().unwrap().row.status, Status::Inactive);
        assert_eq!(v.rows().next().unwrap().row.fails(), None);
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

    /// A working tracker on its own host `t{i}.example`, in tier `i`.
    fn numbered_tracker(i: i64) -> Tracker {
        Tracker {
            url: format!("http://t{i}.example/announce"),
            tier: i,
            endpoints: vec![endpoint(
                "10.0.0.1",
                [slot(0, None, true, 1, 1000), unused()],
            )],
            ..Default::default()
        }
    }

    #[test]
    fn series_cap_drops_and_counts() {
        let t = torrent((0..3).map(numbered_tracker).collect(), true, false);
        let opts = ViewOptions {
            max_series: 15,
            tracker_details: true,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &opts, 0.0);
        // Each row: status, fail_limit, verified, updating + fails, seeders, next = 7 series.
        assert_eq!(v.rows().count(), 2);
        assert_eq!(v.dropped_series, 7);
        // By default (no details): status, fail_limit + fails, seeders, next = 5 series.
        let lean = ViewOptions {
            max_series: 12,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &lean, 0.0);
        assert_eq!(v.rows().count(), 2);
        assert_eq!(v.dropped_series, 5);
        assert_eq!(v.hosts.len(), 3, "aggregates are never capped");
    }

    /// Which tracker gauges get a descriptor is decided once, when the view is assembled:
    /// exported value gauges once a row is served, label gauges only with a served label.
    #[test]
    fn described_gauges_follow_the_served_rows() {
        let bit = |name: &str| 1 << TRACKER_GAUGES.iter().position(|g| g.name == name).unwrap();
        let t = torrent((0..2).map(numbered_tracker).collect(), true, false);
        let v = View::build(std::slice::from_ref(&t), &ViewOptions::default(), 0.0);
        for name in [
            "porla_tracker_fails",
            "porla_tracker_scrape_incomplete",
            "porla_tracker_status",
        ] {
            assert_ne!(v.described & bit(name), 0, "{name} is described");
        }
        for name in ["porla_tracker_last_error", "porla_tracker_verified"] {
            assert_eq!(v.described & bit(name), 0, "{name} is not described");
        }
        let details = ViewOptions {
            tracker_details: true,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &details, 0.0);
        assert_ne!(v.described & bit("porla_tracker_verified"), 0);
        let none_served = ViewOptions {
            max_series: 1,
            ..Default::default()
        };
        let v = View::build(std::slice::from_ref(&t), &none_served, 0.0);
        assert_eq!(v.described, 0, "no row served, no tracker gauge described");
    }

    /// The encoder's walk (blocks of torrents) yields exactly the rows of the plain walk, in
    /// order, across block boundaries, torrents without tracker data, and the series cap.
    #[test]
    fn encoder_walk_equals_the_plain_walk() {
        let torrents: Vec<TorrentData> = (0..300)
            .map(|i| {
                let mut t = torrent((0..i % 4).map(numbered_tracker).collect(), true, false);
                t.key = format!("{i:040x}");
                if i % 7 == 0 {
                    t.trackers = None;
                }
                t
            })
            .collect();
        for max_series in [0, 1, 5, 777, 1_000_000] {
            let opts = ViewOptions {
                max_series,
                ..Default::default()
            };
            let v = View::build(&torrents, &opts, 0.0);
            let plain: Vec<(&str, &str)> = v.rows().map(|r| (r.prefix, r.last)).collect();
            let mut walked = Vec::new();
            v.try_for_each_row(|r| {
                walked.push((r.prefix.to_owned(), r.last.to_owned()));
                Ok::<(), ()>(())
            })
            .unwrap();
            let walked: Vec<(&str, &str)> = walked
                .iter()
                .map(|(p, l)| (p.as_str(), l.as_str()))
                .collect();
            assert_eq!(walked, plain, "max_series {max_series}");
            if max_series == 777 {
                assert!(v.capped.is_some() && !plain.is_empty(), "the cap applies");
            }
        }
    }
}
