//! The background poll loop: the only code that talks to Porla.
//!
//! Each cycle lists every torrent (`torrents.list`, all pages, de-duplicated by info hash),
//! asks for the trackers of the torrents that are due (all of them in `full` mode), folds each
//! answer as it arrives, builds a [`View`] and hands a new [`Snapshot`] over to a [`Publish`]
//! (implemented on the server's side, by the `published` module), waiting until scrapes can
//! read it. A failed cycle hands over `porla_up 0` without Porla-derived data and retries with a
//! growing delay capped at the poll interval. The poller knows nothing of formats or compression.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::classify::Classes;
use crate::defaults;
use crate::porla::{Client, Error, Torrent};
use crate::snapshot::{
    Attention, Capacity, FoldOptions, Interner, KnownTorrent, Limits, PollFailure, Snapshot,
    TorrentInfo, TrackerState, View, ViewOptions,
};
use crate::telemetry::SelfMetrics;

/// Which torrents get a `torrents.trackers.list` call in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PollMode {
    /// Every torrent, every cycle.
    Full,
    #[default]
    /// New torrents, torrents whose earliest announce has passed (plus a margin), torrents
    /// with an announce in flight, and everything older than the full-sweep interval.
    Scheduled,
}

/// Poller settings (from the flags; `Default` is the flags' defaults, see [`crate::defaults`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PollConfig {
    pub interval: Duration,
    pub concurrency: usize,
    pub page_size: u64,
    pub mode: PollMode,
    /// Longest time a torrent's tracker data may go without a refresh in scheduled mode.
    pub full_sweep_interval: Duration,
    /// Wait after a scheduled announce before asking, so the answer has arrived.
    pub announce_margin: Duration,
    /// A call slower than this makes the pacer back off (see [`Pacer`]).
    pub slow_call: Duration,
    pub view: ViewOptions,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval: defaults::default_duration(defaults::POLL_INTERVAL),
            concurrency: usize::from(defaults::PORLA_CONCURRENCY),
            page_size: defaults::PORLA_PAGE_SIZE,
            mode: PollMode::default(),
            full_sweep_interval: defaults::default_duration(defaults::POLL_FULL_SWEEP_INTERVAL),
            announce_margin: defaults::ANNOUNCE_MARGIN,
            slow_call: defaults::SLOW_CALL,
            view: ViewOptions::default(),
        }
    }
}

/// "Now" as Unix time in seconds (announce times are compared with it): the wall clock
/// ([`unix_now`]) unless a test injects its own through [`Poller::with_clock`].
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

/// The wall clock.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Counts of one cycle, for logs and tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CycleStats {
    pub torrents: usize,
    pub tracker_calls: usize,
    pub vanished: usize,
    /// Torrents whose trackers call failed with a call-level error (kept with older data).
    pub failed: usize,
}

/// The state one cycle's listing and calls share.
struct Sweep<'a> {
    /// The previous cycle's torrents; what is left at the end was not listed again.
    known: &'a mut HashMap<Arc<str>, KnownTorrent>,
    /// The torrents' capacity figures before a failed poll (which forgets `known`), so that
    /// upload made meanwhile is counted at the next success.
    baseline: &'a mut HashMap<Arc<str>, Capacity>,
    /// This cycle's torrents, by key.
    next: HashMap<Arc<str>, KnownTorrent>,
    interner: &'a mut Interner,
    stats: CycleStats,
    /// Call-level failures by class: how many, and one example message.
    call_errors: HashMap<&'static str, (usize, String)>,
}

impl Sweep<'_> {
    /// Takes one listed torrent (unless its key was listed already) and queues its trackers
    /// call when it is due.
    fn listed(
        &mut self,
        t: Torrent,
        cfg: &PollConfig,
        now: f64,
        due_tx: &tokio::sync::mpsc::UnboundedSender<(Arc<TorrentInfo>, serde_json::Value)>,
    ) {
        let (v1, v2) = t.hashes();
        let Some(key) = v1.as_deref().or(v2.as_deref()) else {
            tracing::debug!("skipping a torrent without a readable info hash");
            return;
        };
        if self.next.contains_key(key) {
            return;
        }
        self.stats.torrents += 1;
        let old = self.known.remove(key);
        let before = self.baseline.remove(key);
        let previous = old.as_ref().map(|o| &o.capacity).or(before.as_ref());
        let capacity = Capacity::from_listing(&t, previous);
        let is_due = due(cfg, old.as_ref().and_then(|o| o.trackers.as_deref()), now);
        let info = TorrentInfo::new(
            key,
            v1.is_some(),
            v2.is_some(),
            &t.name,
            &t.session,
            t.category.as_deref(),
            t.is_paused(),
            self.interner,
        );
        let (info, trackers) = match old {
            // An unchanged listing keeps its shared info (and the views share it too).
            Some(o) if *o.info == info => (o.info, o.trackers),
            Some(o) => (Arc::new(info), o.trackers),
            None => (Arc::new(info), None),
        };
        if is_due {
            // The receiver lives as long as the cycle.
            let _ = due_tx.send((info.clone(), t.info_hash));
        }
        self.next.insert(
            info.key.clone(),
            KnownTorrent {
                info,
                trackers,
                capacity,
            },
        );
    }
}

/// Is this torrent's tracker data due for a refresh?
fn due(cfg: &PollConfig, old: Option<&TrackerState>, now: f64) -> bool {
    let Some(old) = old else { return true };
    if cfg.mode == PollMode::Full || now - old.at >= cfg.full_sweep_interval.as_secs_f64() {
        return true;
    }
    // Folded from the same slots the metrics fold (an unused v2 slot of a v1 torrent or a
    // disabled endpoint never makes a torrent due): an announce in flight, or the earliest
    // announce after the answer (plus the margin) has passed.
    old.updating || old.due_from.is_some_and(|d| d <= now)
}

/// Where the poller hands each new snapshot over. The returned future ends once the snapshot is
/// what scrapes read, with whatever they need of it ready: the poller waits for it (and counts
/// the wait in its poll interval), so no scrape pays for a poll.
pub trait Publish: Send + Sync {
    fn publish(&self, snapshot: Snapshot) -> BoxFuture<'_, ()>;
}

/// Polls one Porla instance and hands its snapshots over.
pub struct Poller {
    client: Arc<Client>,
    cfg: PollConfig,
    metrics: Arc<SelfMetrics>,
    publish: Arc<dyn Publish>,
    /// Cycles finished so far, successful or not.
    polls: u64,
    /// When the last successful cycle ended.
    last_success_at: Option<f64>,
    /// What is known of each torrent between cycles (listing and folded tracker data), by key.
    known: HashMap<Arc<str>, KnownTorrent>,
    /// Shared label values (hosts, sessions, categories), pruned after each cycle.
    interner: Interner,
    clock: Clock,
    failures: u32,
    /// Series dropped by the cap at the last poll (to log changes only).
    last_dropped: usize,
    /// See [`Sweep::baseline`]; empty after a successful poll.
    baseline: HashMap<Arc<str>, Capacity>,
    /// The monotonic upload and download counters of each tracker host with torrents, kept
    /// across polls (see [`Poller::count_transfers`]).
    transfers: HashMap<String, (u64, u64)>,
    /// The instance's upload counter (every torrent once).
    uploaded: u64,
    /// The torrents in the attention set and when each last needed attention (attention
    /// mode; see [`Attention`]).
    attention: Attention,
    pacer: Arc<Pacer>,
    /// The classifier of tracker errors, swapped by reloads of the classes file.
    classes: Arc<Classes>,
    /// The classifier generation the known tracker errors were classified with.
    generation: u64,
}

impl Poller {
    pub fn new(
        client: Arc<Client>,
        mut cfg: PollConfig,
        metrics: Arc<SelfMetrics>,
        publish: Arc<dyn Publish>,
    ) -> Self {
        cfg.concurrency = cfg.concurrency.max(1);
        metrics.concurrency.set(cfg.concurrency as i64);
        let pacer = Arc::new(Pacer::new(cfg.concurrency, cfg.slow_call));
        Poller {
            client,
            cfg,
            metrics,
            publish,
            polls: 0,
            last_success_at: None,
            known: HashMap::new(),
            interner: Interner::default(),
            clock: Arc::new(unix_now),
            failures: 0,
            last_dropped: 0,
            baseline: HashMap::new(),
            transfers: HashMap::new(),
            uploaded: 0,
            attention: Attention::default(),
            pacer,
            classes: Arc::new(Classes::builtin()),
            generation: 0,
        }
    }

    /// Classifies tracker errors with `classes` (the built-in patterns by default), and
    /// reclassifies what it knows at the first poll after each reload of its file.
    pub fn with_classes(mut self, classes: Arc<Classes>) -> Self {
        self.generation = classes.current().0;
        self.classes = classes;
        self
    }

    /// Classifies the known tracker errors again when the classes changed since they were
    /// classified (a reload of the classes file), from what the trackers said when their
    /// answer was folded: no torrent is asked for again. Returns the classifier to fold this
    /// cycle's answers with.
    fn reclassify(&mut self) -> crate::classify::Classifier {
        let (generation, classifier) = self.classes.current();
        if generation == self.generation {
            return classifier;
        }
        self.generation = generation;
        let mut changed = 0usize;
        for k in self.known.values_mut() {
            if let Some(next) = k
                .trackers
                .as_deref()
                .and_then(|t| t.reclassify(&classifier))
            {
                k.trackers = Some(Arc::new(next));
                changed += 1;
            }
        }
        tracing::info!(
            torrents = changed,
            "tracker errors classified again with the reloaded classes file"
        );
        classifier
    }

    /// Uses `clock` for "now" (announce times are compared with it) instead of the wall clock.
    pub fn with_clock(mut self, clock: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// One cycle: list, fetch due trackers, build the view. Does not publish.
    ///
    /// Listing and tracker calls overlap: each `torrents.list` page's due torrents join the
    /// call stream as soon as the page is decoded, and each answer is folded as it arrives,
    /// so the end of the cycle only assembles the view.
    pub async fn poll_once(&mut self) -> Result<(View, CycleStats), Error> {
        let classifier = self.reclassify();
        let classifier = &classifier;
        let now = (self.clock)();
        let cfg = &self.cfg;
        // Sized for as many torrents as last time: growing the table by rehashing would hold
        // the old and the new table at once, at the poll's peak of memory.
        let expected = self.known.len().max(self.baseline.len());
        let sweep = std::sync::Mutex::new(Sweep {
            known: &mut self.known,
            baseline: &mut self.baseline,
            next: HashMap::with_capacity(expected),
            interner: &mut self.interner,
            stats: CycleStats::default(),
            call_errors: HashMap::new(),
        });
        let lock = || {
            sweep
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let (tx, mut rx) =
            tokio::sync::mpsc::unbounded_channel::<(Arc<TorrentInfo>, serde_json::Value)>();

        // Lists every torrent, page by page, tolerant of the list changing meanwhile, and
        // de-duplicated by key.
        let client = &self.client;
        let listing = async {
            let mut page = 0u64;
            loop {
                let res = match client.torrents_page(page, cfg.page_size).await {
                    Ok(r) => r,
                    // -2 "Invalid page - too large": the list shrank under us; we have it all.
                    Err(Error::Rpc { code: -2, .. }) if page > 0 => break,
                    Err(e) => return Err(e),
                };
                let n = res.torrents.len();
                let total = res.torrents_total.unwrap_or(0);
                {
                    let mut st = lock();
                    for t in res.torrents {
                        st.listed(t, cfg, now, &tx);
                    }
                }
                page += 1;
                if n == 0 || (n as u64) < cfg.page_size || page * cfg.page_size >= total {
                    break;
                }
            }
            drop(tx);
            Ok::<(), Error>(())
        };

        let clock = &self.clock;
        let pacer = &self.pacer;
        let gauge = &self.metrics.concurrency;
        let fold = FoldOptions {
            per_torrent: cfg.view.per_torrent,
            per_endpoint: cfg.view.per_endpoint,
            margin: cfg.announce_margin.as_secs_f64(),
        };
        let calls = async {
            let mut calls = stream::poll_fn(|cx| rx.poll_recv(cx))
                .map(|(info, ih)| async move {
                    let turn = pacer.acquire().await;
                    let started = Instant::now();
                    let r = client.trackers(&ih).await;
                    pacer.release(turn, started.elapsed()).await;
                    gauge.set(pacer.limit() as i64);
                    (info, r, clock())
                })
                .buffer_unordered(cfg.concurrency);
            while let Some((info, r, at)) = calls.next().await {
                let mut st = lock();
                st.stats.tracker_calls += 1;
                match r {
                    // Folded on arrival: the decoded answer is dropped here.
                    Ok(list) => {
                        let st = &mut *st;
                        if let Some(d) = st.next.get_mut(&info.key) {
                            d.trackers = Some(Arc::new(TrackerState::fold(
                                &info,
                                &list,
                                at,
                                d.trackers.as_deref(),
                                fold,
                                classifier,
                                st.interner,
                            )));
                        }
                    }
                    Err(e) if e.is_not_found() => {
                        st.stats.vanished += 1;
                        st.next.remove(&info.key);
                    }
                    Err(e) if e.is_call_level() => {
                        st.stats.failed += 1;
                        let entry = st
                            .call_errors
                            .entry(e.class())
                            .or_insert((0, e.to_string()));
                        entry.0 += 1;
                    }
                    // Porla itself is sick: the cycle fails; dropping `calls` cancels the rest.
                    Err(e) => return Err(e),
                }
            }
            Ok::<(), Error>(())
        };
        // The first error (of the listing or of a call) ends the cycle and cancels the rest.
        let joined = futures_util::future::try_join(listing, calls).await;
        let Sweep {
            next,
            stats,
            call_errors,
            ..
        } = sweep
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = joined {
            // What this cycle listed stays the baseline of the transfer counters.
            for (key, k) in next {
                self.baseline.insert(key, k.capacity);
            }
            return Err(e);
        }
        for (class, (n, example)) in call_errors {
            tracing::warn!(class, torrents = n, example = %example, "torrents.trackers.list failed for some torrents; keeping their previous tracker data");
        }
        if stats.vanished > 0 {
            self.metrics.vanished.inc_by(stats.vanished as u64);
            tracing::debug!(
                torrents = stats.vanished,
                "torrents removed during the poll were skipped"
            );
        }

        // The view only references the torrents' parts; summing the host aggregates is off
        // the runtime's threads, and so is freeing the previous cycle's leftovers.
        let opts = self.cfg.view.clone();
        let mut entries: Vec<KnownTorrent> = next.values().cloned().collect();
        let previous = std::mem::take(&mut self.known);
        let mut attention = std::mem::take(&mut self.attention);
        let (view, attention) = tokio::task::spawn_blocking(move || {
            drop(previous);
            entries.sort_unstable_by(|a, b| a.info.key.cmp(&b.info.key));
            let view = View::assemble_with(entries, &opts, now, &mut attention);
            (view, attention)
        })
        .await
        .expect("building a view never panics");
        self.attention = attention;
        if self.cfg.view.per_torrent && self.cfg.view.attention {
            tracing::debug!(
                torrents = self.attention.len(),
                "torrents in the attention set (--collector.tracker.per-torrent=attention)"
            );
        }
        self.interner.prune();
        self.known = next;
        self.baseline = HashMap::new();
        let mut view = view;
        self.count_transfers(&mut view);
        if view.dropped_series > 0 && view.dropped_series != self.last_dropped {
            tracing::warn!(
                dropped = view.dropped_series,
                limit = self.cfg.view.max_series,
                "per-torrent series over --collector.max-series were left out; per-host aggregates are complete"
            );
        }
        self.last_dropped = view.dropped_series;
        Ok((view, stats))
    }

    /// Adds each host's upload and download since the previous listing of its torrents to the
    /// host's counters and writes them into `view`. A torrent counts in each of its hosts; a
    /// torrent that goes takes nothing away; a host left without torrents is forgotten (should
    /// it come back, its counters start again from 0, which `rate()` reads as a reset).
    fn count_transfers(&mut self, view: &mut View) {
        let mut next = HashMap::with_capacity(view.hosts.len());
        for h in &mut view.hosts {
            let (up, down) = self.transfers.remove(&h.host).unwrap_or((0, 0));
            let totals = (
                up.saturating_add(h.upload_delta),
                down.saturating_add(h.download_delta),
            );
            (h.uploaded_total, h.downloaded_total) = totals;
            next.insert(h.host.clone(), totals);
        }
        self.transfers = next;
        self.uploaded = self.uploaded.saturating_add(view.upload_delta);
        view.uploaded_total = self.uploaded;
    }

    /// One cycle: polls, hands the new snapshot over, returns the delay until the next.
    pub async fn cycle(&mut self) -> Duration {
        let started = Instant::now();
        let result = self.poll_once().await;
        let duration = started.elapsed().as_secs_f64();
        let ended = (self.clock)();
        self.polls += 1;
        let mut snap = Snapshot {
            up: false,
            polls: self.polls,
            last_poll_duration: Some(duration),
            last_poll_at: Some(ended),
            last_success_at: self.last_success_at,
            limits: Some(Limits {
                max_series: self.cfg.view.max_series,
                poll_interval: self.cfg.interval.as_secs_f64(),
            }),
            ..Snapshot::default()
        };
        let delay = match result {
            Ok((view, stats)) => {
                self.metrics.poll(true);
                if self.failures > 0 {
                    tracing::info!(after_failures = self.failures, "Porla is reachable again");
                }
                self.failures = 0;
                tracing::debug!(
                    torrents = stats.torrents,
                    tracker_calls = stats.tracker_calls,
                    vanished = stats.vanished,
                    duration_seconds = duration,
                    "poll finished"
                );
                snap.up = true;
                self.last_success_at = Some(ended);
                snap.last_success_at = Some(ended);
                snap.view = Some(Arc::new(view));
                self.cfg.interval.saturating_sub(started.elapsed())
            }
            Err(e) => {
                self.metrics.poll(false);
                self.metrics.poll_error(e.class());
                self.failures += 1;
                // Keep nothing: a failed cycle must not present old tracker data as fresh,
                // and the next success re-reads everything. Only the capacity figures stay, as
                // the baseline of the upload and download counters.
                for (key, k) in self.known.drain() {
                    self.baseline.insert(key, k.capacity);
                }
                tracing::warn!(class = e.class(), error = %e, consecutive_failures = self.failures, "poll of Porla failed");
                snap.last_error = Some(PollFailure {
                    class: e.class(),
                    message: e.to_string(),
                });
                backoff(self.failures, self.cfg.interval)
            }
        };
        // Handing over takes what the published side needs (compressing for gzip scrapes) and
        // counts against the delay.
        let handing_over = Instant::now();
        self.publish.publish(snap).await;
        delay.saturating_sub(handing_over.elapsed())
    }

    /// Runs cycles until `shutdown` is cancelled.
    pub async fn run(mut self, shutdown: CancellationToken) {
        loop {
            let delay = tokio::select! {
                d = self.cycle() => d,
                _ = shutdown.cancelled() => return,
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }
}

/// Adaptive pacing of calls to Porla, which answers every call on one event loop.
///
/// Additive increase, multiplicative decrease: a call slower than `slow` halves the number
/// of calls allowed in flight (down to 1); a fast call (under `slow / 8`) lets one more in,
/// up to the configured concurrency. At a limit of 1, each slow call is followed by a pause as
/// long as the call took, so Porla's loop spends at most half its time on the exporter
/// instead of queueing ever more work.
#[derive(Debug)]
pub struct Pacer {
    max: usize,
    slow: Duration,
    sem: tokio::sync::Semaphore,
    /// Current limit (permits in circulation).
    limit: std::sync::atomic::AtomicUsize,
    /// Permits to swallow on release, to shrink the limit.
    debt: std::sync::atomic::AtomicUsize,
}

/// A slot from the pacer.
pub struct Turn<'a>(tokio::sync::SemaphorePermit<'a>);

impl Pacer {
    pub fn new(max: usize, slow: Duration) -> Pacer {
        Pacer {
            max,
            slow,
            sem: tokio::sync::Semaphore::new(max),
            limit: max.into(),
            debt: 0.into(),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn acquire(&self) -> Turn<'_> {
        Turn(
            self.sem
                .acquire()
                .await
                .expect("pacer semaphore is never closed"),
        )
    }

    /// Returns a slot after a call that took `took`, adapting the limit.
    pub async fn release(&self, turn: Turn<'_>, took: Duration) {
        use std::sync::atomic::Ordering::Relaxed;
        let limit = self.limit.load(Relaxed);
        if took >= self.slow {
            let target = (limit / 2).max(1);
            if target < limit {
                self.limit.store(target, Relaxed);
                self.debt.fetch_add(limit - target, Relaxed);
                tracing::debug!(
                    limit = target,
                    took_ms = took.as_millis() as u64,
                    "Porla answers slowly; fewer calls in flight"
                );
            } else {
                // Already one at a time: leave Porla's loop idle as long as the call took.
                tokio::time::sleep(took.min(self.slow * 8)).await;
            }
        } else if took < self.slow / 8 && limit < self.max && self.debt.load(Relaxed) == 0 {
            self.limit.store(limit + 1, Relaxed);
            self.sem.add_permits(1);
        }
        // Pay shrink debt by not returning this permit.
        let owed = self.debt.load(Relaxed);
        if owed > 0
            && self
                .debt
                .compare_exchange(owed, owed - 1, Relaxed, Relaxed)
                .is_ok()
        {
            turn.0.forget();
        }
    }
}

/// Delay after `failures` consecutive failed polls: 1 s, 2 s, 4 s, … capped at the interval.
pub fn backoff(failures: u32, interval: Duration) -> Duration {
    let exp = Duration::from_secs(1u64 << failures.saturating_sub(1).min(16));
    exp.min(interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pacer_halves_on_slow_calls_and_recovers_on_fast_ones() {
        let p = Pacer::new(4, Duration::from_millis(100));
        let t = p.acquire().await;
        p.release(t, Duration::from_millis(150)).await;
        assert_eq!(p.limit(), 2);
        let t = p.acquire().await;
        p.release(t, Duration::from_millis(150)).await;
        assert_eq!(p.limit(), 1);
        // Debt is paid as slots come back: the next release swallows the last extra permit
        // and does not grow the limit yet.
        let t = p.acquire().await;
        p.release(t, Duration::from_millis(1)).await;
        assert_eq!(p.limit(), 1);
        assert_eq!(p.sem.available_permits(), 1);
        for _ in 0..3 {
            let t = p.acquire().await;
            p.release(t, Duration::from_millis(1)).await;
        }
        assert_eq!(p.limit(), 4);
        assert_eq!(p.sem.available_permits(), 4);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let i = Duration::from_secs(30);
        let got: Vec<u64> = (1..=7).map(|f| backoff(f, i).as_secs()).collect();
        assert_eq!(got, [1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(backoff(100, i), i);
    }
}
