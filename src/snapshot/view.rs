//! Views and the series cap: a [`View`] references every torrent's listing and folded tracker
//! data (nothing is copied), sums the per-host aggregates and decides which rows the series
//! cap (`--collector.max-series`) leaves out, counting the series of each row from the
//! metrics contract's [`TRACKER_GAUGES`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::data::{
    opt, HostError, HostMessage, HostRow, KnownTorrent, LastSaid, Row, Said, View,
    MAX_HOST_MESSAGES,
};
use crate::classify::{ErrorClass, Status};
use crate::defaults;
use crate::metrics::{GaugeSet, Sample, TRACKER_GAUGES};

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
    /// Sums the host aggregates of `entries` (in exposition order) and applies the series cap.
    pub fn assemble(entries: Vec<KnownTorrent>, opts: &ViewOptions, now: f64) -> View {
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
            size += e.capacity.size.unwrap_or(0);
            upload_delta += e.capacity.upload_delta;
            let Some(t) = &e.trackers else { continue };
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
