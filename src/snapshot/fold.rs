//! Folding: each `torrents.trackers.list` answer becomes, on arrival, what the metrics and the
//! scheduler need ([`TrackerState`]): the torrent's rows (label values sanitised, redacted and
//! escaped once into one arena, endpoints and protocol slots folded or split per endpoint),
//! its part of the per-host aggregates, and when to ask again. The decoded answer is then
//! dropped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::sync::Arc;

use super::data::{
    sentinel, Capacity, CapacityFigures, Errors, HostError, HostPart, Interner, LastSaid, Row,
    Said, TorrentInfo, TrackerState, NONE,
};
use crate::classify::{Classifier, Status, Verdict};
use crate::porla::{Endpoint, Slot, Torrent, Tracker, TrackerList};
use crate::redact::{clean_label, redact_tracker_url, MAX_LABEL};

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

/// How [`TrackerState::fold`] folds an answer.
#[derive(Debug, Clone, Copy)]
pub struct FoldOptions {
    pub per_torrent: bool,
    pub per_endpoint: bool,
    /// The scheduler's announce margin, in seconds.
    pub margin: f64,
}

impl Capacity {
    /// A torrent's capacity figures from its `torrents.list` item. `previous` is what the
    /// torrent's previous listing said (`None` when first seen): upload and download grow by
    /// what went up since, and by nothing when a count went down or is missing.
    pub fn from_listing(t: &Torrent, previous: Option<&Capacity>) -> Capacity {
        let (uploaded, downloaded) = (t.uploaded(), t.downloaded());
        let grown = |now: Option<u64>, before: Option<u64>| match (now, before) {
            (Some(n), Some(b)) => n.saturating_sub(b),
            _ => 0,
        };
        let never_uploaded = t.never_uploaded();
        Capacity::new(CapacityFigures {
            size: t.size(),
            uploaded,
            downloaded,
            seeding: t.seeding_seconds().unwrap_or(0),
            idle: if never_uploaded {
                t.active_seconds()
            } else {
                t.last_upload_ago()
            },
            never_uploaded,
            upload_delta: grown(uploaded, previous.and_then(|p| p.uploaded())),
            download_delta: grown(downloaded, previous.and_then(|p| p.downloaded())),
        })
    }
}

impl TrackerState {
    /// Folds one answer for the torrent `info` received at `at`, its trackers in error
    /// classified by `classifier`. `prev` is the torrent's state from its previous answer, if
    /// any: the last own messages of its trackers carry over from it ([`LastSaid`]).
    #[allow(clippy::too_many_arguments)]
    pub fn fold(
        info: &TorrentInfo,
        list: &TrackerList,
        at: f64,
        prev: Option<&TrackerState>,
        opts: FoldOptions,
        classifier: &Classifier,
        interner: &mut Interner,
    ) -> TrackerState {
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
                let f = fold(&g.slots, classifier, interner);
                (k, g, f)
            })
            .collect();
        let mut per_host: Vec<HostPart> = Vec::new();
        let mut host_errors: Vec<HostError> = Vec::new();
        let before: &[LastSaid] = prev.and_then(|p| p.said.as_deref()).unwrap_or(&[]);
        let mut said: Vec<LastSaid> = Vec::new();
        for ((tier, tracker, _, _), g, f) in &folded {
            let i = match per_host.iter().position(|h| *h.host == *g.host) {
                Some(i) => i,
                None => {
                    per_host.push(HostPart {
                        host: interner.get(&g.host),
                        status: f.status,
                        seeders: sentinel(f.seeders),
                        leechers: sentinel(f.leechers),
                        downloaded: sentinel(f.downloaded),
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
            if let (Some(v), Some(said)) = (f.verdict, &f.said) {
                host_errors.push(HostError {
                    host: i as u32,
                    said: said.clone(),
                    verdict: v,
                });
            }
            if !f.updating {
                if let Some(n) = f.next_announce {
                    if h.earliest_next == NONE || n < h.earliest_next {
                        h.earliest_next = n;
                    }
                }
            }
            if let Some(s) = last_said(before, *tier, tracker, i as u32, f, at, interner) {
                said.push(s);
            }
        }

        let mut rows = Vec::new();
        let mut row_errors: Vec<(u32, Arc<Said>)> = Vec::new();
        let mut labels = String::new();
        if opts.per_torrent {
            let groups = if opts.per_endpoint {
                group(has_v1, has_v2, list, true)
                    .into_iter()
                    .map(|(k, g)| {
                        let f = fold(&g.slots, classifier, interner);
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
                if let Some(said) = &f.said {
                    row_errors.push((rows.len() as u32, said.clone()));
                }
                // The row's (tier, tracker) last own message; its rows are contiguous.
                let mut kept = said
                    .iter_mut()
                    .find(|s| s.tier == tier && *s.tracker == *tracker);
                if let Some(s) = kept.as_deref_mut() {
                    if s.rows.0 == s.rows.1 {
                        s.rows = (rows.len() as u32, rows.len() as u32);
                    }
                    s.rows.1 += 1;
                }
                rows.push(Row {
                    start: start as u32,
                    split: split as u32,
                    end: labels.len() as u32,
                    status: f.status,
                    error: f.verdict.map(|v| v.class),
                    verified: g.verified,
                    updating: f.updating,
                    fails: sentinel(f.fails),
                    seeders: sentinel(f.seeders),
                    leechers: sentinel(f.leechers),
                    downloaded: sentinel(f.downloaded),
                    next_announce: sentinel(f.next_announce),
                    min_announce: sentinel(f.min_announce),
                    fail_limit: g.fail_limit.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
                    said: kept.map(|s| s.verdict.class),
                });
            }
        }
        TrackerState {
            at,
            updating,
            due_from,
            hosts: per_host.into_boxed_slice(),
            rows: rows.into_boxed_slice(),
            labels: labels.into_boxed_str(),
            errors: (!host_errors.is_empty() || !row_errors.is_empty()).then(|| {
                Box::new(Errors {
                    rows: row_errors.into_boxed_slice(),
                    hosts: host_errors.into_boxed_slice(),
                })
            }),
            said: (!said.is_empty()).then(|| said.into_boxed_slice()),
        }
    }
}

impl TrackerState {
    /// This state with its trackers in error classified by `classifier` (after a reload of
    /// the classes file), from what they said when the answer was folded: `None` when no
    /// verdict changes (always for a torrent without trackers in error). Porla is not asked.
    pub fn reclassify(&self, classifier: &Classifier) -> Option<TrackerState> {
        if self.errors.is_none() && self.said.is_none() {
            return None;
        }
        // A copy of a state in error, at a reload only; dropped when no verdict changed.
        let mut next = self.clone();
        let mut changed = false;
        for s in next.said.iter_mut().flat_map(|s| s.iter_mut()) {
            let v = s.said.verdict(classifier);
            changed |= s.verdict != v;
            s.verdict = v;
            for row in &mut next.rows[s.rows.0 as usize..s.rows.1 as usize] {
                row.said = Some(v.class);
            }
        }
        let Some(errors) = next.errors.as_mut() else {
            return changed.then_some(next);
        };
        for e in errors.hosts.iter_mut() {
            let v = e.said.verdict(classifier);
            changed |= e.verdict != v;
            e.verdict = v;
        }
        for (i, said) in errors.rows.iter() {
            let row = &mut next.rows[*i as usize];
            let class = Some(said.verdict(classifier).class);
            changed |= row.error != class;
            row.error = class;
        }
        changed.then_some(next)
    }
}

/// The last own message of the (tier, tracker) folded as `f` on host part `host`, from this
/// answer and the torrent's previous ones (`before`):
/// - the tracker failed with a message of its own (the message decides the class): that one,
///   dated from the first answer in a row with its class;
/// - it answered (status working): none, the tracker has spoken again;
/// - it fails otherwise (libtorrent's text: refused, timed out, DNS...), or is between
///   announces: what it said before, kept.
fn last_said(
    before: &[LastSaid],
    tier: i64,
    tracker: &str,
    host: u32,
    f: &Folded,
    at: f64,
    interner: &mut Interner,
) -> Option<LastSaid> {
    let old = before
        .iter()
        .find(|s| s.tier == tier && *s.tracker == *tracker);
    let (said, verdict, current) = match (&f.said, f.verdict) {
        (Some(s), Some(v)) if s.by_message => (s.clone(), v, true),
        _ if f.status == Status::Working => return None,
        _ => {
            let o = old?;
            (o.said.clone(), o.verdict, false)
        }
    };
    let since = old
        .filter(|o| o.verdict.class == verdict.class)
        .map_or(at, |o| o.since);
    Some(LastSaid {
        tier,
        tracker: old.map_or_else(|| interner.get(tracker), |o| o.tracker.clone()),
        host,
        said,
        verdict,
        since,
        current,
        rows: (0, 0),
    })
}

/// A folded announce state over several slots.
#[derive(Debug, Clone, PartialEq)]
struct Folded {
    status: Status,
    /// While in error: what the tracker said and its class.
    said: Option<Arc<Said>>,
    verdict: Option<Verdict>,
    fails: Option<i64>,
    seeders: Option<i64>,
    leechers: Option<i64>,
    downloaded: Option<i64>,
    next_announce: Option<i64>,
    min_announce: Option<i64>,
    updating: bool,
}

fn fold(slots: &[&Slot], classifier: &Classifier, interner: &mut Interner) -> Folded {
    let status = slots
        .iter()
        .map(|s| Status::of_slot(s))
        .min()
        .unwrap_or(Status::Inactive);
    let said = if status == Status::Error {
        slots
            .iter()
            .filter(|s| Status::of_slot(s) == Status::Error)
            .min_by_key(|s| s.fails)
            .map(|s| interner.said(s.error_text().unwrap_or(""), &s.message))
    } else {
        None
    };
    let verdict = said.as_ref().map(|s| s.verdict(classifier));
    Folded {
        status,
        said,
        verdict,
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

#[cfg(test)]
mod tests {
    use super::super::data::View;
    use super::super::testing::{endpoint, slot, torrent, unused};
    use super::super::view::ViewOptions;
    use crate::classify::{ErrorClass, Status};
    use crate::porla::Tracker;

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
}

#[cfg(test)]
mod reclassify_tests {
    use super::super::data::{Interner, TrackerState, View};
    use super::super::testing::{endpoint, slot, torrent, unused, TorrentData};
    use super::super::view::ViewOptions;
    use super::FoldOptions;
    use crate::classify::{Classifier, Decider, ErrorClass, UserRules};
    use crate::porla::Tracker;
    use crate::snapshot::KnownTorrent;

    const FAILURE: &str = "tracker sent a failure message";

    /// A tracker on `host` whose (only) slot failed with the tracker's `message`.
    fn failing(host: &str, tier: i64, message: &str) -> Tracker {
        let mut s = slot(2, Some(FAILURE), false, -1, 100);
        s.message = message.into();
        Tracker {
            url: format!("https://{host}/announce/0123456789abcdef0123456789abcdef"),
            tier,
            endpoints: vec![endpoint("10.0.0.1", [s, unused()])],
            ..Default::default()
        }
    }

    /// Torrent `key` with `trackers`, folded with per-torrent series.
    fn fold(
        key: &str,
        trackers: Vec<Tracker>,
        classifier: &Classifier,
        interner: &mut Interner,
    ) -> KnownTorrent {
        let opts = FoldOptions {
            per_torrent: true,
            per_endpoint: false,
            margin: 0.0,
        };
        TorrentData {
            key: key.into(),
            ..torrent(trackers, true, false)
        }
        .fold(opts, classifier, interner)
    }

    /// A reload reclassifies rows and host aggregates from the interned texts; an unchanged
    /// verdict gives no new state; healthy torrents carry no texts.
    #[test]
    fn reclassify_uses_what_the_tracker_said() {
        let mut interner = Interner::default();
        let builtin = Classifier::builtin();
        let msg = "Your upload went for a swim";
        let t = fold(
            &"a".repeat(40),
            vec![
                failing("t.example", 0, msg),
                failing("t.example", 1, "Unregistered torrent"),
            ],
            &builtin,
            &mut interner,
        );
        // The same texts elsewhere share one allocation.
        let u = fold(
            &"b".repeat(40),
            vec![failing("t.example", 0, msg)],
            &builtin,
            &mut interner,
        );
        assert_eq!(interner.said_count(), 2);
        let state = t.trackers.as_deref().unwrap();
        let classes: Vec<_> = state.rows.iter().map(|r| r.error).collect();
        assert_eq!(
            classes,
            [
                Some(ErrorClass::TrackerFailure),
                Some(ErrorClass::Unregistered)
            ]
        );
        assert_eq!(
            state.reclassify(&builtin).map(|_| ()),
            None,
            "nothing changed"
        );

        let mine =
            Classifier::with_rules(UserRules::parse("f", "access_denied went for a swim").unwrap());
        let next = state.reclassify(&mine).expect("a verdict changed");
        let classes: Vec<_> = next.rows.iter().map(|r| r.error).collect();
        assert_eq!(
            classes,
            [
                Some(ErrorClass::AccessDenied),
                Some(ErrorClass::Unregistered)
            ]
        );
        // The classes of the first host's trackers in error, as its aggregates count them.
        let host_classes = |s: &TrackerState| {
            let mut c: Vec<_> = s
                .errors
                .as_deref()
                .unwrap()
                .hosts
                .iter()
                .filter(|e| e.host == 0)
                .map(|e| e.verdict.class)
                .collect();
            c.sort();
            c.dedup();
            c
        };
        assert_eq!(
            host_classes(&next),
            [ErrorClass::Unregistered, ErrorClass::AccessDenied]
        );
        assert!(!host_classes(state).contains(&ErrorClass::AccessDenied));
        // And back: the built-ins again.
        let back = next.reclassify(&builtin).unwrap();
        assert_eq!(host_classes(&back), host_classes(state));

        // The view counts torrents per message and class, on the landing page's side.
        let v = View::assemble(vec![t.clone(), u.clone()], &ViewOptions::default(), 0.0);
        let m = &v.hosts[0].messages;
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!((&*m[0].text, m[0].torrents), (msg, 2));
        assert_eq!(m[0].verdict.by, Decider::NoPattern);
        assert_eq!((&*m[1].text, m[1].torrents), ("Unregistered torrent", 1));
        assert_eq!(m[1].verdict.by, Decider::BuiltIn);
        assert_eq!(v.hosts[0].errors[ErrorClass::TrackerFailure.index()], 2);

        let healthy = fold(
            &"c".repeat(40),
            vec![Tracker {
                url: "http://h.example/announce".into(),
                endpoints: vec![endpoint(
                    "10.0.0.1",
                    [slot(0, None, true, 1, 100), unused()],
                )],
                ..Default::default()
            }],
            &builtin,
            &mut interner,
        );
        assert!(healthy.trackers.as_deref().unwrap().errors.is_none());
        drop((t, u, next, back, v));
        interner.prune();
        assert_eq!(interner.said_count(), 0, "pruned once nothing uses them");
    }

    /// Messages are redacted, counted once per torrent, and at most ten per host.
    #[test]
    fn host_messages_are_bounded_and_redacted() {
        let mut interner = Interner::default();
        let builtin = Classifier::builtin();
        let key = "0123456789abcdef0123456789abcdef";
        let mut torrents = Vec::new();
        for i in 0..30u32 {
            // Message i is said to i + 1 torrents; the first carries a passkey URL.
            for j in 0..=i {
                let msg =
                    format!("failure number {i} for https://t.example/announce?passkey={key}");
                torrents.push(fold(
                    &format!("{:040x}", i * 100 + j),
                    vec![failing("t.example", 0, &msg), failing("t.example", 1, &msg)],
                    &builtin,
                    &mut interner,
                ));
            }
        }
        let v = View::assemble(torrents, &ViewOptions::default(), 0.0);
        let m = &v.hosts[0].messages;
        assert_eq!(m.len(), 10);
        assert_eq!(m[0].torrents, 30, "two trackers, one torrent: counted once");
        assert!(m.windows(2).all(|w| w[0].torrents >= w[1].torrents));
        for x in m {
            assert!(!x.text.contains(key), "{}", x.text);
            assert!(x.text.contains("passkey=REDACTED"), "{}", x.text);
        }
    }
}

#[cfg(test)]
mod capacity_tests {
    use super::*;
    use crate::porla::TorrentsPage;

    /// The real daemon's listing (tests/fixtures/porla/samples): sizes known, nothing uploaded
    /// (`last_upload` -1), so a never-uploaded torrent's idle time is its active time.
    #[test]
    fn capacity_from_the_real_listing() {
        let answer: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/porla/samples/torrents.list.json"
        ))
        .unwrap();
        let page: TorrentsPage = serde_json::from_value(answer["result"].clone()).unwrap();
        assert_eq!(page.torrents.len(), 4);
        for (t, item) in page
            .torrents
            .iter()
            .zip(answer["result"]["torrents"].as_array().unwrap())
        {
            let c = Capacity::from_listing(t, None).figures();
            assert_eq!(c.size, item["size"].as_u64());
            assert_eq!(c.uploaded, Some(0));
            assert!(c.never_uploaded);
            assert_eq!(c.idle, item["active_duration"].as_u64());
            assert_eq!(c.seeding, item["seeding_duration"].as_u64().unwrap());
            assert_eq!((c.upload_delta, c.download_delta), (0, 0));
        }
    }

    /// The compact record gives back what it was given: absence stays absence, 0 stays 0, and
    /// seconds beyond 136 years saturate instead of reading as absent.
    #[test]
    fn capacity_packs_and_unpacks() {
        use crate::snapshot::CapacityFigures;
        assert!(std::mem::size_of::<Capacity>() <= 56);
        for f in [
            CapacityFigures::default(),
            CapacityFigures {
                size: Some(0),
                uploaded: Some(0),
                downloaded: Some(0),
                seeding: 0,
                idle: Some(0),
                never_uploaded: true,
                upload_delta: 0,
                download_delta: 0,
            },
            CapacityFigures {
                size: Some(i64::MAX as u64),
                uploaded: Some(1 << 50),
                downloaded: None,
                seeding: 86_400 * 365,
                idle: Some(86_400 * 30),
                never_uploaded: false,
                upload_delta: u64::MAX - 1,
                download_delta: 7,
            },
        ] {
            assert_eq!(Capacity::new(f).figures(), f);
        }
        let long = Capacity::new(CapacityFigures {
            seeding: u64::MAX,
            idle: Some(u64::MAX),
            ..CapacityFigures::default()
        });
        assert_eq!(long.seeding(), u64::from(u32::MAX - 1));
        assert_eq!(long.idle(), Some(u64::from(u32::MAX - 1)));
        assert_eq!(Capacity::default().figures(), CapacityFigures::default());
    }

    /// Upload grows by what went up since the previous listing, never by a negative amount,
    /// and not from a missing count.
    #[test]
    fn deltas_never_go_negative() {
        let t = |up: Option<i64>, last: i64| -> Torrent {
            let mut v = serde_json::json!({"size": -1, "last_upload": last});
            if let Some(up) = up {
                v["all_time_upload"] = up.into();
            }
            serde_json::from_value(v).unwrap()
        };
        let first = Capacity::from_listing(&t(Some(100), 5), None);
        assert_eq!(
            (first.size(), first.idle(), first.upload_delta()),
            (None, Some(5), 0)
        );
        let more = Capacity::from_listing(&t(Some(250), 0), Some(&first));
        assert_eq!(more.upload_delta(), 150);
        let less = Capacity::from_listing(&t(Some(10), 0), Some(&more));
        assert_eq!(less.upload_delta(), 0);
        let missing = Capacity::from_listing(&t(None, 0), Some(&less));
        assert_eq!((missing.uploaded(), missing.upload_delta()), (None, 0));
        let back = Capacity::from_listing(&t(Some(50), 0), Some(&missing));
        assert_eq!(
            back.upload_delta(),
            0,
            "no count before: nothing to compare with"
        );
    }
}

#[cfg(test)]
mod last_said_tests {
    use std::sync::Arc;

    use super::super::data::{Interner, KnownTorrent, TorrentInfo, TrackerState, View};
    use super::super::testing::{endpoint, slot, torrent, unused};
    use super::super::view::ViewOptions;
    use super::FoldOptions;
    use crate::classify::{Classifier, ErrorClass, Status};
    use crate::porla::{Slot, Tracker, TrackerList};

    /// Two trackers of one torrent on `t.example` (tiers 0 and 1): the first's slot `first`,
    /// the second always refused by the network.
    fn answer(first: Slot) -> TrackerList {
        let on = |tier: i64, s: Slot| Tracker {
            url: format!("https://t.example/announce/{tier}0123456789abcdef0123456789abcde"),
            tier,
            endpoints: vec![endpoint("10.0.0.1", [s, unused()])],
            ..Default::default()
        };
        TrackerList {
            trackers: vec![
                on(0, first),
                on(1, slot(3, Some("Connection refused"), false, -1, 100)),
            ],
        }
    }

    /// Rows per torrent, none per endpoint, as `--collector.tracker.per-torrent=true` folds.
    const PER_TORRENT: FoldOptions = FoldOptions {
        per_torrent: true,
        per_endpoint: false,
        margin: 0.0,
    };

    /// The listing's facts of torrent `key`: running, named "n", in session "s".
    fn info_of(key: &str, interner: &mut Interner) -> TorrentInfo {
        TorrentInfo::new(key, true, false, "n", "s", None, false, interner)
    }

    fn said(message: &str) -> Slot {
        let mut s = slot(2, Some("tracker sent a failure message"), false, -1, 100);
        s.message = message.into();
        s
    }

    /// What the tracker said itself outlives the network failures that follow, dated from its
    /// first answer; libtorrent's own texts are never kept; an answer clears it. Exported as a
    /// row label and per host, where the current error class keeps saying what happens now.
    #[test]
    fn the_last_own_message_outlives_network_failures() {
        let mut interner = Interner::default();
        let builtin = Classifier::builtin();
        let t = torrent(vec![], true, false);
        let opts = PER_TORRENT;
        let mut prev: Option<Arc<TrackerState>> = None;
        let mut step = |first: Slot, at: f64| {
            let info = info_of(&t.key, &mut interner);
            let state = Arc::new(TrackerState::fold(
                &info,
                &answer(first),
                at,
                prev.as_deref(),
                opts,
                &builtin,
                &mut interner,
            ));
            prev = Some(state.clone());
            let v = View::assemble(
                vec![KnownTorrent {
                    info: Arc::new(info),
                    trackers: Some(state),
                    capacity: Default::default(),
                }],
                &ViewOptions::default(),
                at,
            );
            let rows: Vec<(Option<ErrorClass>, Option<ErrorClass>)> =
                v.rows().map(|r| (r.row.error, r.row.said)).collect();
            (rows, v.hosts[0].clone())
        };
        use ErrorClass::*;
        let (rows, host) = step(said("Unregistered torrent"), 100.0);
        assert_eq!(
            rows,
            [
                (Some(Unregistered), Some(Unregistered)),
                (Some(ConnectionRefused), None)
            ]
        );
        assert_eq!(host.said[Unregistered.index()], 1);
        assert_eq!(host.stranded, 1, "every tracker in error");
        let mut since: Vec<_> = host.messages.iter().map(|m| (&*m.text, m.since)).collect();
        since.sort();
        assert_eq!(
            since,
            [
                ("Connection refused", None),
                ("Unregistered torrent", Some(100))
            ]
        );

        // The tracker cannot be reached: its last word stays, dated from its first answer.
        let (rows, host) = step(slot(3, Some("Connection refused"), false, -1, 200), 200.0);
        assert_eq!(
            rows,
            [
                (Some(ConnectionRefused), Some(Unregistered)),
                (Some(ConnectionRefused), None)
            ]
        );
        assert_eq!(host.said[Unregistered.index()], 1);
        assert_eq!(host.errors[Unregistered.index()], 0, "what happens now");
        assert_eq!(host.errors[ConnectionRefused.index()], 1);
        let kept: Vec<_> = host.messages.iter().filter(|m| m.kept).collect();
        assert_eq!(kept.len(), 1, "{:?}", host.messages);
        assert_eq!(
            (&*kept[0].text, kept[0].since, kept[0].torrents),
            ("Unregistered torrent", Some(100), 1)
        );
        // Between announces too.
        let (rows, _) = step(slot(0, None, false, -1, 300), 300.0);
        assert_eq!(rows[0].1, Some(Unregistered));

        // The same class again keeps its date; another one starts its own.
        let (_, host) = step(said("Torrent not registered with this tracker"), 400.0);
        assert_eq!(
            host.messages
                .iter()
                .find(|m| !m.kept && m.by_message)
                .unwrap()
                .since,
            Some(100)
        );
        let (rows, host) = step(said("Your passkey is invalid"), 500.0);
        assert_eq!(rows[0], (Some(AccessDenied), Some(AccessDenied)));
        assert_eq!(
            (
                host.said[Unregistered.index()],
                host.said[AccessDenied.index()]
            ),
            (0, 1)
        );
        assert_eq!(
            host.messages.iter().find(|m| m.by_message).unwrap().since,
            Some(500)
        );

        // The tracker answers: nothing is kept, and the torrent announces somewhere.
        let (rows, host) = step(slot(0, None, true, 5, 900), 600.0);
        assert_eq!(rows, [(None, None), (Some(ConnectionRefused), None)]);
        assert_eq!(host.said, [0; ErrorClass::ALL.len()]);
        assert_eq!(host.stranded, 0);
        assert_eq!(host.by_status[Status::Working as usize], 1);
        // Nothing to carry: a network failure after it keeps nothing.
        let (rows, _) = step(slot(1, Some("Connection refused"), false, -1, 700), 700.0);
        assert_eq!(rows[0], (Some(ConnectionRefused), None));
    }

    /// A reload of the classes file classifies the kept messages again, rows included, from
    /// the words the tracker said: no answer needed.
    #[test]
    fn a_reload_reclassifies_the_kept_messages() {
        use crate::classify::UserRules;
        let mut interner = Interner::default();
        let builtin = Classifier::builtin();
        let t = torrent(vec![], true, false);
        let info = info_of(&t.key, &mut interner);
        let opts = PER_TORRENT;
        let mut fold = |first: Slot, prev: Option<&TrackerState>| {
            TrackerState::fold(
                &info,
                &answer(first),
                1.0,
                prev,
                opts,
                &builtin,
                &mut interner,
            )
        };
        let said_it = fold(said("Torrent went for a swim"), None);
        let kept = fold(
            slot(3, Some("Connection refused"), false, -1, 200),
            Some(&said_it),
        );
        assert_eq!(kept.rows[0].said, Some(ErrorClass::TrackerFailure));
        let mine =
            Classifier::with_rules(UserRules::parse("f", "unregistered went for a swim").unwrap());
        let next = kept
            .reclassify(&mine)
            .expect("the kept message's class changed");
        assert_eq!(next.rows[0].said, Some(ErrorClass::Unregistered));
        assert_eq!(
            next.rows[0].error,
            Some(ErrorClass::ConnectionRefused),
            "what happens now"
        );
        assert_eq!(
            next.said.as_deref().unwrap()[0].verdict.class,
            ErrorClass::Unregistered
        );
        assert!(next.reclassify(&mine).is_none(), "nothing changes twice");
    }
}
