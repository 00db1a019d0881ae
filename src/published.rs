//! The latest snapshot, as the server serves it: what the poller hands over after each poll.
//!
//! A [`ServedSnapshot`] is one [`Snapshot`] plus what scrapes of it reuse: its snapshot part
//! compressed (raw deflate, see [`crate::exposition`]) per exposition format. The
//! [`LatestSnapshot`] holds the one scrapes read. It takes each new snapshot from the poller
//! (it implements the poller's [`Publish`]): it compresses, off the runtime's threads, every
//! format that gzip scrapes asked for recently, then swaps it in, before the poller goes on. So
//! no scrape pays for a poll; only the first gzip scrape of a format does, once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use arc_swap::ArcSwap;
use futures_util::future::BoxFuture;

use crate::exposition::{DeflatePart, Format, PerFormat};
use crate::poller::Publish;
use crate::snapshot::Snapshot;

/// A format that a gzip scrape asked for within this many polls is compressed before the
/// snapshot is swapped in (so a scrape interval up to this many poll intervals never
/// compresses the snapshot).
pub const WANTED_FOR_POLLS: u64 = 8;

/// One snapshot and its compressed snapshot parts. Never changes once a part is set.
#[derive(Debug, Default)]
pub struct ServedSnapshot {
    pub snapshot: Arc<Snapshot>,
    compressed: PerFormat<OnceLock<DeflatePart>>,
}

impl ServedSnapshot {
    /// `snapshot` with its snapshot part compressed for each of `formats`.
    fn build(snapshot: Snapshot, formats: &[Format]) -> ServedSnapshot {
        let s = ServedSnapshot {
            snapshot: Arc::new(snapshot),
            compressed: PerFormat::default(),
        };
        for &f in formats {
            s.compressed(f);
        }
        s
    }

    /// The snapshot part of `format`, compressed now unless it was before it was swapped in
    /// (or by an earlier scrape).
    pub fn compressed(&self, format: Format) -> &DeflatePart {
        self.compressed
            .get(format)
            .get_or_init(|| DeflatePart::snapshot(&self.snapshot, format))
    }

    /// Whether the snapshot part of `format` is compressed already.
    pub fn is_compressed(&self, format: Format) -> bool {
        self.compressed.get(format).get().is_some()
    }
}

/// Where the latest [`ServedSnapshot`] lives (the poller's hand-over stores, scrapes load;
/// neither blocks the other), and which formats gzip scrapes asked for.
#[derive(Debug, Default)]
pub struct LatestSnapshot {
    current: ArcSwap<ServedSnapshot>,
    /// Per format: 1 + the poll count of the snapshot the last gzip scrape read (0: never).
    gzip_asked: PerFormat<AtomicU64>,
}

impl LatestSnapshot {
    pub fn load(&self) -> Arc<ServedSnapshot> {
        self.current.load_full()
    }

    /// The snapshot part of `format` for a gzip scrape of `served`, recording the scrape so
    /// that format is compressed ahead for the next snapshots too.
    pub fn gzip_part<'s>(&self, served: &'s ServedSnapshot, format: Format) -> &'s DeflatePart {
        self.gzip_scraped(format, served);
        served.compressed(format)
    }

    /// Records a gzip scrape of `format` that read `served`.
    fn gzip_scraped(&self, format: Format, served: &ServedSnapshot) {
        self.gzip_asked
            .get(format)
            .fetch_max(served.snapshot.polls + 1, Ordering::Relaxed);
    }

    /// The formats to compress for the snapshot of poll number `polls`: those a gzip scrape
    /// asked for within the last [`WANTED_FOR_POLLS`] polls.
    fn wanted(&self, polls: u64) -> Vec<Format> {
        Format::ALL
            .into_iter()
            .filter(|&f| {
                let asked = self.gzip_asked.get(f).load(Ordering::Relaxed);
                asked > 0 && polls.saturating_sub(asked - 1) <= WANTED_FOR_POLLS
            })
            .collect()
    }
}

impl Publish for LatestSnapshot {
    /// Compresses the snapshot part for the formats gzip scrapes ask for, off the runtime's
    /// threads, then swaps the snapshot in: no scrape pays for a poll.
    fn publish(&self, snapshot: Snapshot) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let wanted = self.wanted(snapshot.polls);
            let served = if wanted.is_empty() {
                ServedSnapshot::build(snapshot, &[])
            } else {
                let compressing = Instant::now();
                let s =
                    tokio::task::spawn_blocking(move || ServedSnapshot::build(snapshot, &wanted))
                        .await
                        .expect("compressing a snapshot never panics");
                tracing::debug!(
                    seconds = compressing.elapsed().as_secs_f64(),
                    "snapshot part compressed for gzip scrapes"
                );
                s
            };
            // The previous snapshot is freed off the runtime's threads too (unless a scrape
            // still holds it, which then frees it).
            let previous = self.current.swap(Arc::new(served));
            tokio::task::spawn_blocking(move || drop(previous));
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_scraped_recently_are_wanted() {
        let s = LatestSnapshot::default();
        assert!(s.wanted(1).is_empty(), "nothing scraped yet");
        let p = ServedSnapshot::build(
            Snapshot {
                polls: 3,
                ..Snapshot::default()
            },
            &[],
        );
        s.gzip_scraped(Format::OpenMetrics, &p);
        assert_eq!(s.wanted(4), [Format::OpenMetrics]);
        assert_eq!(s.wanted(3 + WANTED_FOR_POLLS), [Format::OpenMetrics]);
        assert!(
            s.wanted(4 + WANTED_FOR_POLLS).is_empty(),
            "no longer asked for"
        );
        let built = ServedSnapshot::build(Snapshot::default(), &[Format::Text]);
        assert!(built.is_compressed(Format::Text));
        assert!(!built.is_compressed(Format::OpenMetrics));
    }

    /// The hand-over compresses the wanted formats before the snapshot is swapped in, and
    /// only those.
    #[tokio::test]
    async fn the_hand_over_compresses_wanted_formats_before_swapping() {
        let latest = LatestSnapshot::default();
        let poll = |polls| Snapshot {
            polls,
            ..Snapshot::default()
        };
        latest.publish(poll(1)).await;
        let served = latest.load();
        assert_eq!(served.snapshot.polls, 1);
        assert!(!served.is_compressed(Format::Text), "nobody asked yet");
        latest.gzip_part(&served, Format::Text);
        latest.publish(poll(2)).await;
        let served = latest.load();
        assert_eq!(served.snapshot.polls, 2);
        assert!(served.is_compressed(Format::Text));
        assert!(!served.is_compressed(Format::OpenMetrics));
    }
}
