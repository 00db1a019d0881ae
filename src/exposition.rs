//! Exposition: the text formats (OpenMetrics 1.0.0, Prometheus 0.0.4) and gzip.
//!
//! A scrape is two parts: the *live* part (the exporter's own counters and build, see
//! [`crate::telemetry`]), encoded at every scrape, and the *snapshot* part (see
//! [`crate::collector`]), which never changes between two polls. With gzip the body is one
//! RFC 1952 member that any decoder reads whole: one header, the live part's deflate data,
//! the snapshot part's deflate data (compressed once per poll and format, see
//! [`crate::published`]), a final block (`# EOF` in OpenMetrics) and one trailer whose CRC-32
//! and length cover everything. Each part but the last is raw deflate ended with a sync flush,
//! so the parts join into one deflate stream.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use prometheus_client::registry::Registry;

use crate::collector::snapshot_registry;
use crate::snapshot::Snapshot;

/// Exposition format of a scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenMetrics 1.0.0 text.
    OpenMetrics,
    /// The classic Prometheus text format 0.0.4.
    Text,
}

impl Format {
    /// Every format, for per-format tables.
    pub const ALL: [Format; 2] = [Format::OpenMetrics, Format::Text];

    /// Picks OpenMetrics when the `Accept` header asks for it, the classic format otherwise.
    pub fn negotiate(accept: Option<&str>) -> Format {
        match accept {
            Some(a) if a.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Text,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Text => prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        }
    }
}

/// One value per exposition format, by name (not by `Format as usize`).
#[derive(Debug, Default)]
pub struct PerFormat<T> {
    pub open_metrics: T,
    pub text: T,
}

impl<T> PerFormat<T> {
    pub fn get(&self, format: Format) -> &T {
        match format {
            Format::OpenMetrics => &self.open_metrics,
            Format::Text => &self.text,
        }
    }
}

/// Encodes a registry without OpenMetrics' closing `# EOF`.
pub fn encode_part<W: std::fmt::Write>(
    out: &mut W,
    registry: &Registry,
    format: Format,
) -> std::fmt::Result {
    match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode_registry(out, registry),
        Format::Text => prometheus_client::encoding::prometheus_text::encode(out, registry),
    }
}

/// Encodes the snapshot part (no trailer).
pub fn encode_snapshot<W: std::fmt::Write>(
    out: &mut W,
    snapshot: &Arc<Snapshot>,
    format: Format,
) -> std::fmt::Result {
    encode_part(out, &snapshot_registry(snapshot.clone()), format)
}

/// What closes an exposition: `# EOF` in OpenMetrics, nothing in the classic format.
pub fn encode_trailer<W: std::fmt::Write>(out: &mut W, format: Format) -> std::fmt::Result {
    match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode_eof(out),
        Format::Text => Ok(()),
    }
}

/// Encodes the live registry then the snapshot (when there is one), closed with `# EOF` in
/// OpenMetrics.
pub fn encode_to<W: std::fmt::Write>(
    out: &mut W,
    live: &Registry,
    snapshot: Option<&Arc<Snapshot>>,
    format: Format,
) -> std::fmt::Result {
    encode_part(out, live, format)?;
    if let Some(snap) = snapshot {
        encode_snapshot(out, snap, format)?;
    }
    encode_trailer(out, format)
}

/// Encodes the live registry and a snapshot into a string (tests and benchmarks).
pub fn encode(
    live: &Registry,
    snapshot: Option<&Arc<Snapshot>>,
    format: Format,
    capacity_hint: usize,
) -> String {
    let mut out = String::with_capacity(capacity_hint);
    // Writing into a String cannot fail; an error here would be a bug in an encoder.
    let r = encode_to(&mut out, live, snapshot, format);
    debug_assert!(r.is_ok(), "encoding failed");
    out
}

/// A piece of a gzip body: raw deflate data, with the CRC-32 and length of the text it holds.
/// A piece that is not the last ends with a sync flush (byte-aligned, not final), so pieces
/// compressed apart join into one deflate stream.
#[derive(Debug, Clone)]
pub struct DeflatePart {
    pub data: Bytes,
    crc: crc32fast::Hasher,
    len: u64,
}

/// How a [`DeflatePart`] ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartEnd {
    /// A sync flush: more parts follow.
    SyncFlush,
    /// The final block: the deflate stream ends here.
    Final,
}

struct DeflateWriter {
    enc: flate2::write::DeflateEncoder<Vec<u8>>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl std::fmt::Write for DeflateWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        use std::io::Write;
        self.crc.update(s.as_bytes());
        self.len += s.len() as u64;
        self.enc
            .write_all(s.as_bytes())
            .map_err(|_| std::fmt::Error)
    }
}

impl DeflatePart {
    /// Compresses what `encode` writes (fast level: a scrape-sized text).
    pub fn compress(
        end: PartEnd,
        encode: impl FnOnce(&mut dyn std::fmt::Write) -> std::fmt::Result,
    ) -> DeflatePart {
        use std::io::Write;
        let mut w = DeflateWriter {
            enc: flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast()),
            crc: crc32fast::Hasher::new(),
            len: 0,
        };
        // Writing into memory cannot fail; an error here would be a bug in an encoder.
        let r = encode(&mut w);
        debug_assert!(r.is_ok(), "encoding into memory failed");
        let mut data = match end {
            PartEnd::Final => w.enc.finish().unwrap_or_default(),
            PartEnd::SyncFlush => {
                // flate2's flush is a sync flush: the data so far, byte-aligned, not final.
                let _ = w.enc.flush();
                std::mem::take(w.enc.get_mut())
            }
        };
        // Kept until the next poll: without the growth slack.
        data.shrink_to_fit();
        DeflatePart {
            data: Bytes::from(data),
            crc: w.crc,
            len: w.len,
        }
    }

    /// The snapshot part of `format`, ended with a sync flush (compressed before a snapshot is
    /// swapped in).
    pub fn snapshot(snapshot: &Arc<Snapshot>, format: Format) -> DeflatePart {
        DeflatePart::compress(PartEnd::SyncFlush, |mut w| {
            encode_snapshot(&mut w, snapshot, format)
        })
    }
}

/// The gzip member header (RFC 1952): deflate, no flags, no time, OS unknown.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// One gzip member made of deflate parts (every one but the last ended with a sync flush, the
/// last with the final block): the header, the parts' data, and a trailer whose CRC-32 and
/// length cover all the parts. Returned as pieces to send in order; a part's data is shared,
/// not copied.
pub fn gzip_member(parts: &[&DeflatePart]) -> Vec<Bytes> {
    let mut crc = crc32fast::Hasher::new();
    let mut len = 0u64;
    let mut out = Vec::with_capacity(parts.len() + 2);
    out.push(Bytes::from_static(&GZIP_HEADER));
    for p in parts {
        crc.combine(&p.crc);
        len += p.len;
        out.push(p.data.clone());
    }
    let mut trailer = Vec::with_capacity(8);
    trailer.extend_from_slice(&crc.finalize().to_le_bytes());
    // ISIZE: the length modulo 2^32.
    trailer.extend_from_slice(&(len as u32).to_le_bytes());
    out.push(Bytes::from(trailer));
    out
}

/// The closing part of `format` (the final block, with `# EOF` in OpenMetrics): the same at
/// every scrape, so compressed once.
fn closing_part(format: Format) -> &'static DeflatePart {
    static CLOSING: PerFormat<OnceLock<DeflatePart>> = PerFormat {
        open_metrics: OnceLock::new(),
        text: OnceLock::new(),
    };
    CLOSING.get(format).get_or_init(|| {
        DeflatePart::compress(PartEnd::Final, |mut w| encode_trailer(&mut w, format))
    })
}

/// The whole gzip body of a scrape: live part, snapshot part (if any), closing part.
pub fn gzip_scrape(live: &Registry, snapshot: Option<&DeflatePart>, format: Format) -> Vec<Bytes> {
    let live = DeflatePart::compress(PartEnd::SyncFlush, |mut w| {
        encode_part(&mut w, live, format)
    });
    let mut parts = vec![&live];
    parts.extend(snapshot);
    parts.push(closing_part(format));
    gzip_member(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(end: PartEnd, s: &'static str) -> DeflatePart {
        DeflatePart::compress(end, |w| w.write_str(s))
    }

    #[test]
    fn parts_join_into_one_member() {
        let a = part(PartEnd::SyncFlush, "alpha\n");
        let b = part(PartEnd::SyncFlush, &*"beta\n".repeat(1000).leak());
        let c = part(PartEnd::Final, "# EOF\n");
        let body: Vec<u8> = gzip_member(&[&a, &b, &c]).concat();
        // GzDecoder reads one member only, and checks CRC-32 and length.
        let mut text = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, format!("alpha\n{}# EOF\n", "beta\n".repeat(1000)));
        // Nothing after the one member.
        let mut d = flate2::bufread::GzDecoder::new(&body[..]);
        std::io::copy(&mut d, &mut std::io::sink()).unwrap();
        assert!(d.into_inner().is_empty(), "one member, nothing after it");
    }

    #[test]
    fn an_empty_closing_part_still_ends_the_stream() {
        let a = part(PartEnd::SyncFlush, "x 1\n");
        let c = part(PartEnd::Final, "");
        let body: Vec<u8> = gzip_member(&[&a, &c]).concat();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "x 1\n");
    }
}
