//! The snapshot's data: what one torrent's folded answer holds ([`TrackerState`], its
//! [`Row`]s and their label arena), a torrent's cleaned listing ([`TorrentInfo`]), a view of
//! every torrent ([`View`]) and the [`Snapshot`] that `/metrics` encodes.

use std::collections::HashSet;
use std::sync::Arc;

use crate::classify::{message_decides, significant, Classifier, ErrorClass, Status, Verdict};
use crate::metrics::{
    GaugeSet, HostField, IdleField, IdleWindow, Sample, TrackerField, TrackerLabel, IDLE_WINDOWS,
};
use crate::redact::{clean_label, redact_message, MAX_LABEL, MAX_LONG_LABEL};

/// "No sample" in a [`Row`]'s optional values (which are never negative when present).
pub(super) const NONE: i64 = i64::MIN;

pub(super) fn opt(v: i64) -> Option<i64> {
    (v != NONE).then_some(v)
}

pub(super) fn sentinel(v: Option<i64>) -> i64 {
    v.unwrap_or(NONE)
}

/// One torrent × tracker (× endpoint × protocol) series set. Its labels live in the
/// label arena of its torrent's [`TrackerState`], pre-encoded (see [`RowRef`]).
#[derive(Debug, Clone)]
pub struct Row {
    /// `labels[start..split]`: the encoded labels up to the last label's name;
    /// `labels[split..end]`: the last label's raw value.
    pub(super) start: u32,
    pub(super) split: u32,
    pub(super) end: u32,
    pub status: Status,
    pub error: Option<ErrorClass>,
    pub verified: bool,
    pub updating: bool,
    pub(super) fails: i64,
    pub(super) seeders: i64,
    pub(super) leechers: i64,
    pub(super) downloaded: i64,
    pub(super) next_announce: i64,
    pub(super) min_announce: i64,
    /// Failures in a row before the tracker is given up (libtorrent keeps an `int`).
    pub fail_limit: i32,
    /// The class of the tracker's last own message ([`LastSaid`]): kept through network
    /// failures until the tracker answers again.
    pub said: Option<ErrorClass>,
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

    /// The row's value of `field` (`None`: no sample).
    pub fn value(&self, field: TrackerField) -> Option<i64> {
        match field {
            TrackerField::Fails => self.fails(),
            TrackerField::Seeders => self.seeders(),
            TrackerField::Leechers => self.leechers(),
            TrackerField::Downloaded => self.downloaded(),
            TrackerField::NextAnnounce => self.next_announce(),
            TrackerField::MinAnnounce => self.min_announce(),
            TrackerField::FailLimit => Some(i64::from(self.fail_limit)),
            TrackerField::Verified => Some(i64::from(self.verified)),
            TrackerField::Updating => Some(i64::from(self.updating)),
        }
    }

    /// The row's value of the label `label` (`None`: no sample).
    pub fn label(&self, label: TrackerLabel) -> Option<&'static str> {
        match label {
            TrackerLabel::Status => Some(self.status.as_str()),
            TrackerLabel::ErrorClass => self.error.map(ErrorClass::as_str),
            TrackerLabel::LastMessageClass => self.said.map(ErrorClass::as_str),
        }
    }

    /// Whether (and what) the row samples for a gauge, as a value or a label value.
    pub fn sample(&self, sample: Sample) -> Option<SampleOf> {
        match sample {
            Sample::Value(field) => self.value(field).map(SampleOf::Value),
            Sample::Label(name, label) => self.label(label).map(|v| SampleOf::Label(name, v)),
        }
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

/// One row's sample of a gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleOf {
    Value(i64),
    /// `(label name, label value)`.
    Label(&'static str, &'static str),
}

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
    /// Capacity: sums over the host's torrents of their listing (see [`Capacity`]).
    pub size: u64,
    pub all_time_upload: u64,
    pub all_time_download: u64,
    pub seeding: u64,
    /// Torrents and bytes idle, indexed by `IdleWindow as usize` ([`IDLE_WINDOWS`]).
    pub idle_torrents: [u64; IDLE_WINDOWS.len()],
    pub idle_bytes: [u64; IDLE_WINDOWS.len()],
    /// Bytes the host's torrents uploaded and downloaded since their previous listing (the
    /// poller adds them to its counters; never exported as such).
    pub upload_delta: u64,
    pub download_delta: u64,
    /// The exporter's own monotonic counters of the host's upload and download (set by the
    /// poller, which keeps them across polls; 0 in a view it did not make).
    pub uploaded_total: u64,
    pub downloaded_total: u64,
    /// What the host's trackers in error said, most torrents first, at most
    /// [`MAX_HOST_MESSAGES`] (for the landing page; never exported).
    pub messages: Vec<HostMessage>,
    /// Torrents whose every tracker (on any host) is in status error: they announce nowhere.
    pub stranded: u64,
    /// Torrents by the class of what their tracker on this host last said itself
    /// ([`LastSaid`]), indexed by [`ErrorClass::index`].
    pub said: [u64; ErrorClass::ALL.len()],
}

/// Messages kept per host for the landing page at most.
pub const MAX_HOST_MESSAGES: usize = 10;

/// One thing a host's trackers in error said, and how many of the host's torrents in error
/// it was said to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostMessage {
    /// Redacted and cut (see [`Said::shown`]).
    pub text: Arc<str>,
    /// The tracker's message (else libtorrent's error text).
    pub by_message: bool,
    pub verdict: Verdict,
    pub torrents: u64,
    /// For the tracker's own message: Unix time since when it has said it (the earliest over
    /// the torrents counted), in whole seconds.
    pub since: Option<i64>,
    /// The tracker's last own message, kept while the tracker fails otherwise (what it fails
    /// with now is counted on a line of its own).
    pub kept: bool,
}

impl HostRow {
    /// The host's value of `field`.
    pub fn value(&self, field: HostField) -> u64 {
        match field {
            HostField::Seeders => self.seeders,
            HostField::Leechers => self.leechers,
            HostField::Downloaded => self.downloaded,
            HostField::Reporting => self.reporting,
            HostField::Overdue => self.overdue,
            HostField::Stranded => self.stranded,
            HostField::Size => self.size,
            HostField::AllTimeUpload => self.all_time_upload,
            HostField::AllTimeDownload => self.all_time_download,
            HostField::Seeding => self.seeding,
            HostField::UploadedTotal => self.uploaded_total,
            HostField::DownloadedTotal => self.downloaded_total,
        }
    }

    /// The host's idle torrents or bytes in window `w`.
    pub fn idle(&self, field: IdleField, w: IdleWindow) -> u64 {
        match field {
            IdleField::Torrents => self.idle_torrents[w as usize],
            IdleField::Bytes => self.idle_bytes[w as usize],
        }
    }

    /// Adds one torrent's capacity figures (a torrent counts in each of its hosts).
    pub(super) fn add_capacity(&mut self, c: &Capacity) {
        let size = c.size().unwrap_or(0);
        self.size += size;
        self.all_time_upload += c.uploaded().unwrap_or(0);
        self.all_time_download += c.downloaded().unwrap_or(0);
        self.seeding += c.seeding();
        for w in IDLE_WINDOWS {
            if c.idle_in(w) {
                self.idle_torrents[w as usize] += 1;
                self.idle_bytes[w as usize] += size;
            }
        }
        self.upload_delta += c.upload_delta();
        self.download_delta += c.download_delta();
    }
}

/// One torrent's capacity figures, read from its `torrents.list` item at every poll (no
/// extra call to Porla), sentinels and missing fields turned into absence or 0.
///
/// Kept compact (56 bytes, absence as a sentinel rather than `Option`'s 16-byte pairs): a
/// torrent's record is held in the poller's known torrents, in the next cycle's while it is
/// built, and in the published view, so every byte here counts three or four times per
/// torrent at the peak of a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    size: u64,
    uploaded: u64,
    downloaded: u64,
    upload_delta: u64,
    download_delta: u64,
    seeding: u32,
    idle: u32,
    never_uploaded: bool,
}

/// "Absent" in a [`Capacity`]'s byte counts (no torrent holds 2⁶⁴ − 1 bytes).
const NO_BYTES: u64 = u64::MAX;
/// "Absent" in a [`Capacity`]'s idle seconds (136 years).
const NO_SECONDS: u32 = u32::MAX;

impl Default for Capacity {
    /// Nothing known: no size, counts or idle time, 0 seeding, no deltas.
    fn default() -> Capacity {
        Capacity::new(CapacityFigures::default())
    }
}

/// A [`Capacity`]'s figures in their natural types (absence as `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapacityFigures {
    /// Bytes of content; `None` before the metadata arrived (`size` -1).
    pub size: Option<u64>,
    /// All-time payload bytes uploaded and downloaded (`None` when Porla gives none).
    pub uploaded: Option<u64>,
    pub downloaded: Option<u64>,
    /// Seconds spent seeding.
    pub seeding: u64,
    /// Seconds idle: since the last upload, or for a torrent that never uploaded, the
    /// seconds it has been active (it could have uploaded all that time); `None` when Porla
    /// gives neither.
    pub idle: Option<u64>,
    /// Porla says it never uploaded (`last_upload` -1).
    pub never_uploaded: bool,
    /// Bytes uploaded and downloaded since the torrent's previous listing: 0 when first seen,
    /// never negative (a count that went down counts nothing).
    pub upload_delta: u64,
    pub download_delta: u64,
}

impl Capacity {
    /// Packs `f`. Byte counts at the sentinel read as absent; seconds saturate just below it
    /// (136 years).
    pub fn new(f: CapacityFigures) -> Capacity {
        let secs = |s: u64| {
            u32::try_from(s)
                .unwrap_or(NO_SECONDS - 1)
                .min(NO_SECONDS - 1)
        };
        Capacity {
            size: f.size.unwrap_or(NO_BYTES),
            uploaded: f.uploaded.unwrap_or(NO_BYTES),
            downloaded: f.downloaded.unwrap_or(NO_BYTES),
            upload_delta: f.upload_delta,
            download_delta: f.download_delta,
            seeding: secs(f.seeding),
            idle: f.idle.map_or(NO_SECONDS, secs),
            never_uploaded: f.never_uploaded,
        }
    }

    /// The figures back in their natural types.
    #[cfg(test)]
    pub fn figures(&self) -> CapacityFigures {
        CapacityFigures {
            size: self.size(),
            uploaded: self.uploaded(),
            downloaded: self.downloaded(),
            seeding: self.seeding(),
            idle: self.idle(),
            never_uploaded: self.never_uploaded,
            upload_delta: self.upload_delta,
            download_delta: self.download_delta,
        }
    }

    /// Bytes of content; `None` before the metadata arrived.
    pub fn size(&self) -> Option<u64> {
        (self.size != NO_BYTES).then_some(self.size)
    }

    /// All-time payload bytes uploaded (`None` when Porla gives none).
    pub fn uploaded(&self) -> Option<u64> {
        (self.uploaded != NO_BYTES).then_some(self.uploaded)
    }

    /// All-time payload bytes downloaded (`None` when Porla gives none).
    pub fn downloaded(&self) -> Option<u64> {
        (self.downloaded != NO_BYTES).then_some(self.downloaded)
    }

    /// Seconds spent seeding.
    pub fn seeding(&self) -> u64 {
        u64::from(self.seeding)
    }

    /// Seconds idle (see [`CapacityFigures::idle`]).
    pub fn idle(&self) -> Option<u64> {
        (self.idle != NO_SECONDS).then_some(u64::from(self.idle))
    }

    /// Bytes uploaded since the torrent's previous listing.
    pub fn upload_delta(&self) -> u64 {
        self.upload_delta
    }

    /// Bytes downloaded since the torrent's previous listing.
    pub fn download_delta(&self) -> u64 {
        self.download_delta
    }

    /// Whether the torrent counts as idle in window `w`.
    pub fn idle_in(&self, w: IdleWindow) -> bool {
        match w.seconds() {
            Some(s) => self.idle().is_some_and(|i| i >= s),
            None => self.never_uploaded,
        }
    }
}

/// A torrent's listing, label values cleaned: `porla_torrent_info` and the info hash.
#[derive(Debug, Clone, PartialEq)]
pub struct TorrentInfo {
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

impl TorrentInfo {
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
    ) -> TorrentInfo {
        TorrentInfo {
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
/// cycles; [`Interner::prune`] forgets values nothing uses any more), and one per distinct
/// pair of texts a tracker in error carries ([`Said`]).
#[derive(Debug, Default)]
pub struct Interner {
    labels: HashSet<Arc<str>>,
    said: HashSet<SaidKey>,
    /// The key being looked up (no allocation per lookup).
    scratch: String,
}

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.labels.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.labels.insert(a.clone());
        a
    }

    /// The shared [`Said`] of libtorrent's `error` text and the tracker's `message` (only the
    /// parts classification reads are kept: see [`crate::classify::significant`]).
    pub fn said(&mut self, error: &str, message: &str) -> Arc<Said> {
        let (error, message) = significant(error, message);
        self.scratch.clear();
        self.scratch.push_str(error);
        self.scratch.push('\0');
        self.scratch.push_str(message);
        if let Some(s) = self.said.get(self.scratch.as_str()) {
            return s.0.clone();
        }
        let by_message = message_decides(error, message);
        let shown = if by_message { message } else { error };
        let s = Arc::new(Said {
            key: self.scratch.as_str().into(),
            split: error.len() as u32,
            shown: redact_message(shown, MAX_SHOWN).into(),
            by_message,
        });
        self.said.insert(SaidKey(s.clone()));
        s
    }

    /// The number of distinct pairs of texts kept.
    #[cfg(test)]
    pub(super) fn said_count(&self) -> usize {
        self.said.len()
    }

    /// Drops the values only the interner still holds.
    pub fn prune(&mut self) {
        self.labels.retain(|a| Arc::strong_count(a) > 1);
        self.said.retain(|s| Arc::strong_count(&s.0) > 1);
    }
}

/// Characters of a tracker's message shown on the landing page at most.
pub const MAX_SHOWN: usize = 200;

/// What a tracker in error said: libtorrent's error text and the tracker's message, kept
/// (interned, once per distinct pair) so that a reload of the classes file can classify them
/// again without asking Porla, and the words shown to a person, redacted.
#[derive(Debug, PartialEq, Eq)]
pub struct Said {
    /// `error`, a NUL, `message`.
    key: Box<str>,
    split: u32,
    /// The text that decides the class (the message, or libtorrent's text when it decides),
    /// redacted ([`redact_message`]) and cut to [`MAX_SHOWN`] characters. Never a label value.
    pub shown: Arc<str>,
    /// Whether the tracker's message decides the class (else libtorrent's text does).
    pub by_message: bool,
}

impl Said {
    /// libtorrent's error text (trimmed).
    pub fn error(&self) -> &str {
        &self.key[..self.split as usize]
    }

    /// The tracker's message (trimmed, at most its first 1,024 bytes).
    pub fn message(&self) -> &str {
        &self.key[self.split as usize + 1..]
    }

    /// The class and what decided it, with `classifier`.
    pub fn verdict(&self, classifier: &Classifier) -> Verdict {
        classifier.verdict(self.error(), self.message())
    }
}

/// A [`Said`] in the interner's set, looked up by its key.
#[derive(Debug)]
struct SaidKey(Arc<Said>);

impl std::borrow::Borrow<str> for SaidKey {
    fn borrow(&self) -> &str {
        &self.0.key
    }
}

impl std::hash::Hash for SaidKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.key.as_ref().hash(state);
    }
}

impl PartialEq for SaidKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for SaidKey {}

/// One torrent's part of a host's aggregates: its trackers on that host, folded.
#[derive(Debug, Clone)]
pub(super) struct HostPart {
    pub(super) host: Arc<str>,
    pub(super) status: Status,
    pub(super) seeders: i64,
    pub(super) leechers: i64,
    pub(super) downloaded: i64,
    /// Earliest `next_announce` of the host's trackers with no announce in flight (overdue
    /// once `now` is past it by more than the grace).
    pub(super) earliest_next: i64,
}

/// One `torrents.trackers.list` answer, folded on arrival.
#[derive(Debug, Clone)]
pub struct TrackerState {
    /// Unix time of the answer.
    pub at: f64,
    /// An announce was in flight on a usable slot.
    pub updating: bool,
    /// Earliest usable `next_announce` plus the announce margin still ahead of `at`: the
    /// scheduler asks again once `now` reaches it.
    pub due_from: Option<f64>,
    pub(super) hosts: Box<[HostPart]>,
    /// Empty without per-torrent series.
    pub(super) rows: Box<[Row]>,
    pub(super) labels: Box<str>,
    /// What its trackers in error said: `None` while none is in error.
    pub(super) errors: Option<Box<Errors>>,
    /// What its trackers last said themselves, kept across answers until each answers again:
    /// `None` while none has a message kept (a healthy torrent carries none).
    pub(super) said: Option<Box<[LastSaid]>>,
}

/// The last own message of one (tier, tracker) of a torrent: a failure the tracker itself
/// answered (its message decides the class), kept through the network failures that follow
/// ("Connection refused" says nothing about the torrent) until the tracker answers again,
/// with success or with another message of its own.
#[derive(Debug, Clone)]
pub(super) struct LastSaid {
    pub(super) tier: i64,
    /// The redacted tracker URL (interned: shared by every torrent of the tracker).
    pub(super) tracker: Arc<str>,
    /// Index of the tracker's host part in [`TrackerState::hosts`].
    pub(super) host: u32,
    pub(super) said: Arc<Said>,
    pub(super) verdict: Verdict,
    /// Unix time of the first answer in a row with this class.
    pub(super) since: f64,
    /// Whether the tracker fails with this very message now (else it fails otherwise, or is
    /// between announces).
    pub(super) current: bool,
    /// Its rows (per-torrent series), `rows.0..rows.1` in [`TrackerState::rows`].
    pub(super) rows: (u32, u32),
}

/// What the trackers in error of one torrent said, on the side of its [`TrackerState`] (a
/// healthy torrent carries none): enough to classify them again after a reload of the
/// classes file without asking Porla, and to count the messages per host.
#[derive(Debug, Clone)]
pub(super) struct Errors {
    /// Each row in error: its index in `rows` and what its tracker said.
    pub(super) rows: Box<[(u32, Arc<Said>)]>,
    /// Each folded tracker in error: its host part's index, what it said, its verdict.
    pub(super) hosts: Box<[HostError]>,
}

/// A folded tracker in error, for its host's part.
#[derive(Debug, Clone)]
pub(super) struct HostError {
    pub(super) host: u32,
    pub(super) said: Arc<Said>,
    pub(super) verdict: Verdict,
}

/// One torrent in a view: its listing and its folded tracker data (`None` until an answer).
#[derive(Debug, Clone)]
pub struct KnownTorrent {
    pub info: Arc<TorrentInfo>,
    pub trackers: Option<Arc<TrackerState>>,
    /// From this poll's listing.
    pub capacity: Capacity,
}

/// Everything derived from Porla at one successful poll.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub torrents: usize,
    /// The torrents, by key.
    pub entries: Vec<KnownTorrent>,
    pub hosts: Vec<HostRow>,
    /// Per-torrent series left out because of `--collector.max-series`.
    pub dropped_series: usize,
    /// Torrents with at least one series left out by the cap.
    pub dropped_torrents: usize,
    /// Bytes stored by every torrent (each once).
    pub size: u64,
    /// Bytes every torrent uploaded since its previous listing, and the poller's counter of
    /// them (0 in a view it did not make).
    pub upload_delta: u64,
    pub uploaded_total: u64,
    /// The per-torrent series the cap counts that this view would serve without the cap
    /// (served plus dropped).
    pub uncapped_series: usize,
    /// Whether per-torrent series are exported (`--collector.tracker.per-torrent` `true` or
    /// `attention`; see `shown`).
    pub per_torrent: bool,
    /// Rows left out by the series cap, by their index over all rows (`None`: none).
    pub capped: Option<Vec<bool>>,
    /// In attention mode, whether each torrent's rows are served, by its index in `entries`
    /// (`None`: every torrent's, or none without per-torrent series). The series cap applies to
    /// the served rows only.
    pub shown: Option<Vec<bool>>,
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
    /// The exporter's limits, served as headroom metrics (`None` in a snapshot no poller made).
    pub limits: Option<Limits>,
}

/// The limits of an instance's poller: the series cap and the poll interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// `--collector.max-series` (0: no cap).
    pub max_series: usize,
    /// `--poll.interval`, in seconds.
    pub poll_interval: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows are the bulk of the snapshot (docs/benchmarks.md): what a tracker in error said is
    /// kept on the side of its [`TrackerState`], never in a [`Row`].
    #[test]
    fn rows_stay_small() {
        assert!(
            std::mem::size_of::<Row>() <= 72,
            "{}",
            std::mem::size_of::<Row>()
        );
        assert!(std::mem::size_of::<Option<Box<Errors>>>() == std::mem::size_of::<usize>());
    }

    #[test]
    fn said_is_interned_once_per_pair() {
        let mut i = Interner::default();
        let a = i.said(" tracker sent a failure message ", "  Gone  ");
        let b = i.said("tracker sent a failure message", "Gone");
        assert!(Arc::ptr_eq(&a, &b), "trimmed alike");
        assert_eq!(
            (a.error(), a.message()),
            ("tracker sent a failure message", "Gone")
        );
        assert!(a.by_message && &*a.shown == "Gone");
        let c = i.said("timed out", "Gone");
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(
            !c.by_message && &*c.shown == "timed out",
            "libtorrent's text decides"
        );
        // The message is kept up to the part classification reads.
        let long = i.said("", &"x".repeat(5000));
        assert_eq!(long.message().len(), crate::classify::MESSAGE_HEAD);
        assert_eq!(i.said_count(), 3);
        drop((a, b, c, long));
        i.prune();
        assert_eq!(i.said_count(), 0);
    }
}
