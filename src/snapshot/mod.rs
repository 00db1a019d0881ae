//! The immutable snapshot that `/metrics` encodes, one room per concern:
//!
//! - [`data`]: the types, from one torrent's folded tracker data ([`TrackerState`], its
//!   [`Row`]s and their label arena) to the [`Snapshot`] of a poll;
//! - [`fold`]: each `torrents.trackers.list` answer folded on arrival into a [`TrackerState`]
//!   (label values sanitised, redacted and escaped once); the decoded answer is dropped at once;
//! - [`view`]: a [`View`] of every torrent (it only references their parts), the per-host sums
//!   and the series cap;
//! - [`walk`]: the encoder's walk over the served rows.
//!
//! Scrapes only read the latest [`Snapshot`]; they never call Porla and never compute more
//! than the encoding. The rest of the crate imports the names re-exported here.

pub mod data;
pub mod fold;
#[cfg(test)]
mod testing;
pub mod view;
pub mod walk;

pub use data::{
    Capacity, CapacityFigures, HostMessage, HostRow, Interner, KnownTorrent, Limits, PollFailure,
    Row, RowRef, SampleOf, Snapshot, TorrentInfo, TrackerState, View,
};
pub use fold::FoldOptions;
pub use view::{Attention, PerTorrent, ViewOptions};
