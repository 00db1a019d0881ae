//! Views and the series cap: a [`View`] references every torrent's listing and folded tracker
//! data (nothing is copied), sums the per-host aggregates, decides which torrents' rows are
//! served (all of them, or in attention mode those that need a person's attention: see
//! [`Attention`]) and which rows the series cap (`--collector.max-series`) leaves out, counting
//! the series of each served row from the metrics contract's [`TRACKER_GAUGES`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::data::{
    opt, HostError, HostMessage, HostRow, KnownTorrent, LastSaid, Row, Said, View,
    MAX_HOST_MESSAGES,
};
use crate::classify::{ErrorClass, Status};
use crate::defaults;
use crate::metrics::{GaugeSet, Sample, TRACKER_GAUGES};

/// Which torrents' per torrent × tracker rows are exported (`--collector.tracker.per-torrent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PerTorrent {
    /// Every torrent's (`true`, the default).
    #[default]
    All,
    /// Only the torrents that need attention, and those that did within the hold time
    /// (`attention`): see [`Attention`].
    Attention,
    /// None: per-host aggregates only (`false`).
    Off,
}

/// How the view is built (from the `--collector.*` flags; defaults in [`crate::defaults`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewOptions {
    /// Rows are folded and exported (`--collector.tracker.per-torrent` `true` or `attention`).
    pub per_torrent: bool,
    /// With `per_torrent`: only the rows of the torrents in the attention set are served.
    pub attention: bool,
    /// Seconds a torrent stays in the attention set after it last needed attention.
    pub attention_hold: f64,
    /// A torrent whose best tracker reports fewer seeders than this needs attention (0: never).
    pub attention_few_seeders: i64,
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
            attention: false,
            attention_hold: defaults::default_duration(defaults::ATTENTION_HOLD).as_secs_f64(),
            attention_few_seeders: i64::from(defaults::ATTENTION_FEW_SEEDERS),
            per_endpoint: defaults::PER_ENDPOINT,
            overdue_grace: defaults::default_duration(defaults::OVERDUE_GRACE).as_secs_f64(),
            max_series: defaults::MAX_SERIES,
            tracker_details: defaults::TRACKER_DETAILS,
        }
    }
}

impl ViewOptions {
    /// Sets which torrents' rows are exported.
    pub fn set_per_torrent(&mut self, mode: PerTorrent) {
        self.per_torrent = mode != PerTorrent::Off;
        self.attention = mode == PerTorrent::Attention;
    }

    /// Which torrents' rows are exported.
    pub fn per_torrent_mode(&self) -> PerTorrent {
        match (self.per_torrent, self.attention) {
            (false, _) => PerTorrent::Off,
            (true, false) => PerTorrent::All,
            (true, true) => PerTorrent::Attention,
        }
    }
}

/// The attention set of one Porla instance, kept by its poller across polls: each torrent in
/// it, by key, with the Unix time it last needed attention. A torrent needs attention while
/// any of its trackers is in status error, has failed (`fails` > 0) or last said a failure of
/// its own (`porla_tracker_last_message`), an announce of it is
/// overdue (as `porla_tracker_host_announces_overdue` counts), or its best tracker reports
/// fewer seeders than [`ViewOptions::attention_few_seeders`]. It stays in the set for
/// [`ViewOptions::attention_hold`] after that, so a torrent flapping at the edge keeps its
/// series instead of losing and re-creating them at every poll. Only the torrents in the set
/// are held (a key and a time each); a torrent that left Porla leaves the set.
#[derive(Debug, Clone, Default)]
pub struct Attention {
    last_needed: HashMap<Arc<str>, f64>,
}

impl Attention {
    /// Torrents in the set.
    pub fn len(&self) -> usize {
        self.last_needed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.last_needed.is_empty()
    }
}

/// Whether a torrent with these rows needs attention now (overdue is decided by the caller).
fn needs_attention(rows: &[Row], overdue: bool, few_seeders: i64) -> bool {
    overdue
        || rows.iter().any(|r| {
            r.status == Status::Error
                || r.fails().is_some_and(|f| f > 0)
                // What the tracker last said of its own was a failure (kept through
                // network failures): porla_tracker_last_message.
                || r.said.is_some()
        })
        || rows
            .iter()
            .filter_map(Row::seeders)
            .max()
            .is_some_and(|s| s < few_seeders)
}

/// The gauges of [`TRACKER_GAUGES`] (bit `i` for entry `i`) that are exported and have a
/// sample for `row`: one series each.
fn sampled(row: &Row, details: bool) -> GaugeSet {
    TRACKER_GAUGES
        .iter()
        .enumerate()
        .filter(|(_, g)| g.exported(details) && row.sample(g.sample).is_some())
        .fold(0, |set, (i, _)| set | 1 << i)
}

/// A host's messages: torrents per (text, by_message, decider, class, kept), with the shared
/// text and, for the trackers' own messages, since when the earliest torrent has had it. Texts
/// that read the same once redacted share an entry.
type Messages<'a> = BTreeMap<
    (&'a str, bool, crate::classify::Decider, ErrorClass, bool),
    (&'a Arc<str>, u64, Option<i64>),
>;

/// Since when (whole seconds) the tracker of host part `part` has said `s`, when `s` is its own
/// message now.
fn own_since(said: &[LastSaid], part: usize, s: &Arc<Said>) -> Option<i64> {
    said.iter()
        .filter(|l| l.current && l.host as usize == part && Arc::ptr_eq(&l.said, s))
        .map(|l| l.since as i64)
        .min()
}

/// A host's messages, most torrents first (then by text), at most [`MAX_HOST_MESSAGES`].
fn top_messages(messages: Messages<'_>) -> Vec<HostMessage> {
    let mut out: Vec<HostMessage> = messages
        .into_iter()
        .map(
            |((_, by_message, by, class, kept), (text, torrents, since))| HostMessage {
                text: text.clone(),
                by_message,
                verdict: crate::classify::Verdict { class, by },
                torrents,
                since,
                kept,
            },
        )
        .collect();
    // Stable: equal counts keep the text order of the map.
    out.sort_by_key(|m| std::cmp::Reverse(m.torrents));
    out.truncate(MAX_HOST_MESSAGES);
    out
}

impl View {
    /// Sums the host aggregates of `entries` (in exposition order) and applies the series cap,
    /// with an attention set of its own (a fresh one: no hold from earlier polls).
    pub fn assemble(entries: Vec<KnownTorrent>, opts: &ViewOptions, now: f64) -> View {
        View::assemble_with(entries, opts, now, &mut Attention::default())
    }

    /// Sums the host aggregates of `entries` (in exposition order), decides in attention mode
    /// which torrents' rows are served (updating `attention`, the instance's set kept across
    /// polls) and applies the series cap to the served rows.
    pub fn assemble_with(
        entries: Vec<KnownTorrent>,
        opts: &ViewOptions,
        now: f64,
        attention: &mut Attention,
    ) -> View {
        let attending = opts.per_torrent && opts.attention;
        let mut shown: Option<Vec<bool>> = attending.then(|| Vec::with_capacity(entries.len()));
        if !attending {
            attention.last_needed.clear();
        }
        let mut hosts: BTreeMap<&str, HostRow> = BTreeMap::new();
        // What the hosts' trackers in error said.
        let mut messages_by_host: HashMap<&str, Messages<'_>> = HashMap::new();
        let mut series = 0usize;
        let mut dropped = 0usize;
        let mut dropped_torrents = 0usize;
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
        let (mut size, mut upload_delta) = (0u64, 0u64);
        for e in &entries {
            size += e.capacity.size().unwrap_or(0);
            upload_delta += e.capacity.upload_delta();
            let Some(t) = &e.trackers else {
                if let Some(s) = shown.as_mut() {
                    s.push(false);
                }
                continue;
            };
            let mut overdue_any = false;
            // Announcing nowhere: every tracker of the torrent is in error.
            let stranded = !t.hosts.is_empty() && t.hosts.iter().all(|p| p.status == Status::Error);
            let said: &[LastSaid] = t.said.as_deref().unwrap_or(&[]);
            for (part, p) in t.hosts.iter().enumerate() {
                let h = hosts.entry(&p.host).or_insert_with(|| HostRow {
                    host: p.host.to_string(),
                    ..HostRow::default()
                });
                h.by_status[p.status as usize] += 1;
                h.add_capacity(&e.capacity);
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
                overdue_any |= overdue;
                h.stranded += u64::from(stranded);
                let kept: Vec<&LastSaid> =
                    said.iter().filter(|s| s.host as usize == part).collect();
                // Each class once per torrent.
                for c in ErrorClass::ALL {
                    if kept.iter().any(|s| s.verdict.class == c) {
                        h.said[c.index()] += 1;
                    }
                }
                // What a tracker said before it started failing otherwise: a line of its own.
                for (k, s) in kept.iter().enumerate() {
                    if s.current || kept[..k].iter().any(|o| Arc::ptr_eq(&o.said, &s.said)) {
                        continue;
                    }
                    let said = &s.said;
                    let since = s.since as i64;
                    let m = messages_by_host
                        .entry(&p.host)
                        .or_default()
                        .entry((
                            &said.shown,
                            said.by_message,
                            s.verdict.by,
                            s.verdict.class,
                            true,
                        ))
                        .or_insert((&said.shown, 0, None));
                    m.1 += 1;
                    m.2 = Some(m.2.map_or(since, |x: i64| x.min(since)));
                }
                if p.status == Status::Error {
                    if let Some(errors) = &t.errors {
                        let mine: Vec<&HostError> = errors
                            .hosts
                            .iter()
                            .filter(|e| e.host as usize == part)
                            .collect();
                        // Each class and each message once per torrent.
                        for c in ErrorClass::ALL {
                            if mine.iter().any(|e| e.verdict.class == c) {
                                h.errors[c.index()] += 1;
                            }
                        }
                        let messages = messages_by_host.entry(&p.host).or_default();
                        for (k, e) in mine.iter().enumerate() {
                            if mine[..k].iter().any(|o| Arc::ptr_eq(&o.said, &e.said)) {
                                continue;
                            }
                            let s = &e.said;
                            let since = own_since(said, part, s);
                            let m = messages
                                .entry((
                                    &s.shown,
                                    s.by_message,
                                    e.verdict.by,
                                    e.verdict.class,
                                    false,
                                ))
                                .or_insert((&s.shown, 0, None));
                            m.1 += 1;
                            if let Some(since) = since {
                                m.2 = Some(m.2.map_or(since, |x: i64| x.min(since)));
                            }
                        }
                    }
                }
            }
            if !opts.per_torrent {
                continue;
            }
            let mut left_out = false;
            if let Some(s) = shown.as_mut() {
                let needs = needs_attention(&t.rows, overdue_any, opts.attention_few_seeders);
                if needs {
                    attention.last_needed.insert(e.info.key.clone(), now);
                }
                let held = needs
                    || attention
                        .last_needed
                        .get(&e.info.key)
                        .is_some_and(|&at| now - at < opts.attention_hold);
                s.push(held);
                if !held {
                    // Not served: its rows keep their place in the cap's index.
                    index += t.rows.len();
                    continue;
                }
            }
            for row in t.rows.iter() {
                let sampled = sampled(row, opts.tracker_details);
                let n = sampled.count_ones() as usize;
                if opts.max_series > 0 && series + n > opts.max_series {
                    dropped += n;
                    left_out |= n > 0;
                    capped.get_or_insert_with(|| vec![false; total_rows])[index] = true;
                } else {
                    series += n;
                    described |= sampled | value_gauges;
                }
                index += 1;
            }
            dropped_torrents += usize::from(left_out);
        }
        for (host, messages) in messages_by_host {
            if let Some(h) = hosts.get_mut(host) {
                h.messages = top_messages(messages);
            }
        }
        if let Some(s) = &shown {
            // The set keeps the torrents served now: the others' hold ran out, or they left.
            let served: std::collections::HashSet<&str> = entries
                .iter()
                .zip(s)
                .filter(|(_, &on)| on)
                .map(|(e, _)| &*e.info.key)
                .collect();
            attention.last_needed.retain(|k, _| served.contains(&**k));
        }
        let hosts = hosts.into_values().collect();
        View {
            torrents: entries.len(),
            entries,
            hosts,
            dropped_series: dropped,
            dropped_torrents,
            size,
            upload_delta,
            uploaded_total: 0,
            uncapped_series: series + dropped,
            per_torrent: opts.per_torrent,
            capped,
            shown,
            described,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{endpoint, numbered_tracker, slot, torrent, unused, TorrentData};
    use super::*;
    use crate::porla::Tracker;

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
        // One torrent, partly left out; what the cap would serve without it: all three rows.
        assert_eq!((v.dropped_torrents, v.uncapped_series), (1, 21));
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
        let bit = |name: &str| {
            1 << TRACKER_GAUGES
                .iter()
                .position(|g| g.metric.name == name)
                .unwrap()
        };
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
}

#[cfg(test)]
mod attention_tests {
    use super::super::testing::{endpoint, slot, torrent, unused, TorrentData};
    use super::*;
    use crate::porla::Tracker;

    fn attention() -> ViewOptions {
        let mut o = ViewOptions::default();
        o.set_per_torrent(PerTorrent::Attention);
        o
    }

    /// Torrent `i` (its own key) with `trackers`.
    fn numbered(i: usize, trackers: Vec<Tracker>) -> TorrentData {
        let mut t = torrent(trackers, true, false);
        t.key = format!("{i:040x}");
        t
    }

    /// A tracker on host `t{tier}.example` with one slot: `fails` (in error when > 0 with an
    /// error text), `seeds` seeders, next announce at `next`.
    fn tracker(tier: i64, fails: i64, seeds: i64, next: i64) -> Tracker {
        let error = (fails > 0).then_some("Connection refused");
        Tracker {
            url: format!("http://t{tier}.example/announce"),
            tier,
            endpoints: vec![endpoint(
                "10.0.0.1",
                [slot(fails, error, fails == 0, seeds, next), unused()],
            )],
            ..Default::default()
        }
    }

    fn healthy(i: usize) -> TorrentData {
        numbered(
            i,
            vec![tracker(0, 0, 20, 90_000), tracker(1, 0, 30, 90_000)],
        )
    }

    /// The served rows of torrent `key`: (labels, status, fails, seeders).
    /// Folds `torrents` with per-torrent rows and assembles them under `opts` at `now`, as the
    /// collector does, keeping the attention set in `set`.
    fn assemble(
        torrents: &[TorrentData],
        opts: &ViewOptions,
        now: f64,
        set: &mut Attention,
    ) -> View {
        let mut interner = crate::snapshot::Interner::default();
        let fopts = super::super::FoldOptions {
            per_torrent: true,
            per_endpoint: false,
            margin: 0.0,
        };
        let c = crate::classify::Classifier::builtin();
        let entries = torrents
            .iter()
            .map(|t| t.fold(fopts, &c, &mut interner))
            .collect();
        View::assemble_with(entries, opts, now, set)
    }

    fn rows_of(v: &View, key: &str) -> Vec<(String, Status, Option<i64>, Option<i64>)> {
        v.rows()
            .filter(|r| r.prefix.contains(&format!("info_hash=\"{key}\"")))
            .map(|r| {
                (
                    format!("{}{}", r.prefix, r.last),
                    r.row.status,
                    r.row.fails(),
                    r.row.seeders(),
                )
            })
            .collect()
    }

    /// Each reason puts a torrent in the set with every one of its rows, as the full mode
    /// serves them; a plainly healthy torrent stays out.
    #[test]
    fn each_reason_serves_every_row_of_the_torrent() {
        let torrents = vec![
            healthy(0),
            // One of two trackers in error.
            numbered(
                1,
                vec![tracker(0, 3, -1, 90_000), tracker(1, 0, 30, 90_000)],
            ),
            // Fewer seeders than the threshold on its best tracker.
            numbered(2, vec![tracker(0, 0, 1, 90_000), tracker(1, 0, 0, 90_000)]),
            // An announce overdue (now 1400, grace 300).
            numbered(3, vec![tracker(0, 0, 20, 90_000), tracker(1, 0, 30, 1000)]),
            healthy(4),
        ];
        let now = 1400.0;
        let full = View::build(&torrents, &ViewOptions::default(), now);
        let att = View::build(&torrents, &attention(), now);
        for i in [1, 2, 3] {
            let key = format!("{i:040x}");
            let rows = rows_of(&att, &key);
            assert_eq!(rows.len(), 2, "torrent {i}: every tracker's row");
            assert_eq!(rows, rows_of(&full, &key), "torrent {i}: as the full mode");
        }
        for i in [0, 4] {
            assert!(
                rows_of(&att, &format!("{i:040x}")).is_empty(),
                "torrent {i}"
            );
            assert_eq!(rows_of(&full, &format!("{i:040x}")).len(), 2);
        }
        assert_eq!(att.shown, Some(vec![false, true, true, true, false]));
        assert_eq!(
            att.hosts, full.hosts,
            "aggregates do not depend on the mode"
        );
        assert_eq!(att.torrents, full.torrents);
        // The threshold is a setting: at 0 seeders never count.
        let mut no_seeders = attention();
        no_seeders.attention_few_seeders = 0;
        let v = View::build(&torrents, &no_seeders, now);
        assert_eq!(v.shown, Some(vec![false, true, false, true, false]));
        // And overdue follows the grace.
        let mut long_grace = attention();
        long_grace.overdue_grace = 600.0;
        let v = View::build(&torrents, &long_grace, now);
        assert_eq!(v.shown, Some(vec![false, true, true, false, false]));
    }

    /// A tracker that failed but is not in error (libtorrent counts `fails` with no error text
    /// kept) still needs attention.
    #[test]
    fn failures_without_an_error_need_attention() {
        let mut tr = tracker(0, 0, 20, 90_000);
        tr.endpoints[0].info_hashes[0].fails = 2;
        let torrents = vec![numbered(0, vec![tr]), healthy(1)];
        let v = View::build(&torrents, &attention(), 0.0);
        assert_eq!(v.shown, Some(vec![true, false]));
        assert_eq!(v.rows().next().unwrap().row.status, Status::Working);
    }

    /// The series cap counts the served rows only: in attention mode it binds later.
    #[test]
    fn the_cap_counts_what_is_served() {
        let mut torrents: Vec<TorrentData> = (0..10).map(healthy).collect();
        torrents.push(numbered(
            10,
            vec![tracker(0, 3, -1, 90_000), tracker(1, 3, -1, 90_000)],
        ));
        let mut opts = attention();
        // Two rows in error: status, last_error, fail_limit, fails, next = 5 series each.
        opts.max_series = 10;
        let v = View::build(&torrents, &opts, 0.0);
        assert_eq!((v.rows().count(), v.dropped_series), (2, 0));
        opts.max_series = 5;
        let v = View::build(&torrents, &opts, 0.0);
        assert_eq!((v.rows().count(), v.dropped_series), (1, 5));
    }

    /// A recovered torrent stays for the hold time with its current rows, then leaves; the set
    /// holds only the torrents served.
    #[test]
    fn the_hold_keeps_a_recovered_torrent_then_lets_it_go() {
        let failing = vec![numbered(0, vec![tracker(0, 3, -1, 5000)]), healthy(1)];
        let recovered = vec![numbered(0, vec![tracker(0, 0, 20, 5000)]), healthy(1)];
        let opts = attention();
        let hold = opts.attention_hold;
        let mut set = Attention::default();
        let build = |t: &[TorrentData], now: f64, set: &mut Attention| assemble(t, &opts, now, set);
        let v = build(&failing, 100.0, &mut set);
        assert_eq!(v.shown, Some(vec![true, false]));
        assert_eq!(set.len(), 1);
        let key = format!("{:040x}", 0);
        for at in [130.0, 100.0 + hold - 1.0] {
            let v = build(&recovered, at, &mut set);
            assert_eq!(v.shown, Some(vec![true, false]), "held at {at}");
            let full = View::build(&recovered, &ViewOptions::default(), at);
            assert_eq!(rows_of(&v, &key), rows_of(&full, &key), "current values");
        }
        let v = build(&recovered, 100.0 + hold, &mut set);
        assert_eq!(v.shown, Some(vec![false, false]), "the hold ran out");
        assert!(set.is_empty());
        // A torrent that leaves Porla leaves the set.
        build(&failing, 2000.0, &mut set);
        assert_eq!(set.len(), 1);
        build(&failing[1..], 2030.0, &mut set);
        assert!(set.is_empty());
        // Out of attention mode, nothing is kept.
        build(&failing, 3000.0, &mut set);
        let v = assemble(&failing, &ViewOptions::default(), 3030.0, &mut set);
        assert!(v.shown.is_none() && set.is_empty());
    }

    /// A torrent failing every other poll keeps its rows at every poll: the served label sets
    /// are the same from the first poll on.
    #[test]
    fn a_flapping_torrent_keeps_its_rows() {
        let failing = vec![
            numbered(0, vec![tracker(0, 1, -1, 90_000), tracker(1, 0, 9, 90_000)]),
            healthy(1),
        ];
        let recovered = vec![
            numbered(0, vec![tracker(0, 0, 9, 90_000), tracker(1, 0, 9, 90_000)]),
            healthy(1),
        ];
        let opts = attention();
        let mut set = Attention::default();
        let mut first: Option<Vec<String>> = None;
        for poll in 0..40 {
            let t = if poll % 2 == 0 { &failing } else { &recovered };
            let v = assemble(t, &opts, 1000.0 + 30.0 * poll as f64, &mut set);
            let labels: Vec<String> = v
                .rows()
                .map(|r| format!("{}{}", r.prefix, r.last))
                .collect();
            assert_eq!(labels.len(), 2, "poll {poll}");
            match &first {
                None => first = Some(labels),
                Some(f) => assert_eq!(&labels, f, "poll {poll}"),
            }
        }
    }
}
