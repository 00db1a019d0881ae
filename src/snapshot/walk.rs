//! The encoder's walk: every served per torrent × tracker row with its pre-encoded labels, in
//! exposition order, once per gauge at every scrape.

use super::data::{Row, RowRef, TrackerState, View};

impl TrackerState {
    fn row_ref<'a>(&'a self, row: &'a Row) -> RowRef<'a> {
        RowRef {
            row,
            prefix: &self.labels[row.start as usize..row.split as usize],
            last: &self.labels[row.split as usize..row.end as usize],
        }
    }
}

impl View {
    /// Whether the rows of torrent `entries[i]` are served (see [`View::shown`]).
    pub fn serves(&self, i: usize) -> bool {
        self.shown.as_ref().is_none_or(|s| s[i])
    }

    /// Calls `f` on each served per torrent × tracker row, in exposition order, without those
    /// the cap left out (nor, in attention mode, those of torrents not in the set); stops at
    /// the first error.
    ///
    /// The encoder's hot path, walked once per gauge. Each torrent's rows and labels are
    /// allocations of their own, spread over the heap, reached through its [`TrackerState`]:
    /// taken one row at a time, each step waits for memory the step before it found. So a block
    /// of torrents is taken in two passes whose loads do not depend on each other, which the CPU
    /// overlaps: one over their `TrackerState`s, one over the first row of each; then the
    /// block's rows are collected (their label slices only pointed at, not read) and `f` runs
    /// on each. The label bytes are first read by `f`, as it encodes them.
    pub fn try_for_each_row<E>(
        &self,
        mut f: impl FnMut(RowRef<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        const BLOCK: usize = 64;
        let mut states: Vec<(&TrackerState, usize)> = Vec::with_capacity(BLOCK);
        let mut block: Vec<RowRef<'_>> = Vec::with_capacity(4 * BLOCK);
        let mut i = 0usize;
        for (c, chunk) in self.entries.chunks(BLOCK).enumerate() {
            states.clear();
            let mut touched = 0usize;
            for (k, e) in chunk.iter().enumerate() {
                let Some(t) = e.trackers.as_deref() else {
                    continue;
                };
                if self.serves(c * BLOCK + k) {
                    touched = touched.wrapping_add(t.rows.len());
                    states.push((t, i));
                }
                i += t.rows.len();
            }
            for &(t, _) in &states {
                if let Some(r) = t.rows.first() {
                    touched = touched.wrapping_add(r.start as usize);
                }
            }
            // `touched` only keeps those loads: their values are not needed.
            std::hint::black_box(touched);
            block.clear();
            for &(t, first) in &states {
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
            .enumerate()
            .filter_map(|(k, e)| e.trackers.as_deref().map(|t| (self.serves(k), t)))
            .flat_map(|(on, t)| t.rows.iter().map(move |r| (on, t.row_ref(r))))
            .enumerate()
            .filter(move |(i, (on, _))| *on && capped.is_none_or(|c| !c[*i]))
            .map(|(_, (_, r))| r)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{numbered_tracker, torrent, TorrentData};
    use super::super::view::ViewOptions;
    use super::*;

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
