//! Test-only: views built from decoded answers ([`TorrentData`], [`View::build`]; the poller
//! folds answers on arrival instead), and the answers the unit tests of this folder build.

use std::sync::Arc;

use serde_json::json;

use super::data::{Interner, KnownTorrent, TorrentInfo, TrackerState, View};
use super::fold::FoldOptions;
use super::view::ViewOptions;
use crate::classify::Classifier;
use crate::porla::{Endpoint, Slot, Tracker, TrackerList, TIME_UNSET};

/// What the exporter knows about one torrent, in the decoded form (the unit tests build views
/// from it with [`View::build`]; the poller folds answers on arrival instead).
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

impl View {
    /// Builds the view from decoded torrent data (unit tests); `now` is the poll's Unix time.
    /// The poller folds answers on arrival and calls [`View::assemble`].
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
        let builtin = Classifier::builtin();
        let entries = torrents
            .into_iter()
            .map(|t| t.fold(fopts, &builtin, &mut interner))
            .collect();
        View::assemble(entries, opts, now)
    }
}

impl TorrentData {
    /// The torrent as the poller keeps it: its listing cleaned, its answer (if any) folded.
    pub fn fold(
        &self,
        opts: FoldOptions,
        classifier: &Classifier,
        interner: &mut Interner,
    ) -> KnownTorrent {
        let info = TorrentInfo::new(
            &self.key,
            self.has_v1,
            self.has_v2,
            &self.name,
            &self.session,
            self.category.as_deref(),
            self.paused,
            interner,
        );
        let trackers = self.trackers.as_ref().map(|l| {
            Arc::new(TrackerState::fold(
                &info,
                l,
                self.trackers_at.unwrap_or(0.0),
                None,
                opts,
                classifier,
                interner,
            ))
        });
        KnownTorrent {
            info: Arc::new(info),
            trackers,
        }
    }
}

pub(super) fn slot(fails: i64, err: Option<&str>, start_sent: bool, seeds: i64, next: i64) -> Slot {
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

pub(super) fn endpoint(ip: &str, slots: [Slot; 2]) -> Endpoint {
    Endpoint {
        local_endpoint: json!([ip, 6881]),
        enabled: true,
        info_hashes: slots.to_vec(),
    }
}

pub(super) fn torrent(trackers: Vec<Tracker>, v1: bool, v2: bool) -> TorrentData {
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

pub(super) fn unused() -> Slot {
    slot(0, None, false, -1, TIME_UNSET)
}

/// A working tracker on its own host `t{i}.example`, in tier `i`.
pub(super) fn numbered_tracker(i: i64) -> Tracker {
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
