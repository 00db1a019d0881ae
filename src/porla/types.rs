//! Types of the two JSON-RPC methods the exporter calls, parsed tolerantly.
//!
//! Porla's shapes are documented in `docs/porla.md` §4 and §5. Every field is optional here:
//! a missing key or a `null` becomes the type's default (or `None`), so a field Porla drops or
//! a future version renames degrades one value, not the whole poll. Sentinels (`-1` scrape
//! counts, `-2147483648` announce times) are kept raw here and turned into absence by
//! [`Slot`]'s accessors.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Deserialises `null` and a missing key alike into `T::default()`.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `result` of `torrents.list`.
#[derive(Debug, Default, Deserialize)]
pub struct TorrentsPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub torrents: Vec<Torrent>,
    /// Number of torrents that passed the (empty) filter, over all pages.
    #[serde(default)]
    pub torrents_total: Option<u64>,
}

/// One torrent of `torrents.list`; only the fields the exporter uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Torrent {
    /// `[v1hex|null, v2hex|null]`, kept verbatim: `torrents.trackers.list` needs exactly this value.
    #[serde(default)]
    pub info_hash: Value,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub session: String,
    /// Absent when the torrent has no category.
    #[serde(default)]
    pub category: Option<String>,
    /// libtorrent's `paused` flag, read from `flags` (the only flag the exporter needs).
    #[serde(default, rename = "flags", deserialize_with = "has_paused_flag")]
    pub paused: bool,
    /// Bytes of the torrent's content; -1 (no metadata yet) is kept raw, see [`Torrent::size`].
    #[serde(default, deserialize_with = "lenient_i64")]
    pub size: Option<i64>,
    /// Payload bytes uploaded over the torrent's life (kept across restarts).
    #[serde(default, deserialize_with = "lenient_i64")]
    pub all_time_upload: Option<i64>,
    /// Payload bytes downloaded over the torrent's life (kept across restarts).
    #[serde(default, deserialize_with = "lenient_i64")]
    pub all_time_download: Option<i64>,
    /// Seconds since the last upload (relative, not a Unix time); -1 = never.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub last_upload: Option<i64>,
    /// Seconds the torrent has been seeding (libtorrent's `seeding_duration`).
    #[serde(default, deserialize_with = "lenient_i64")]
    pub seeding_duration: Option<i64>,
    /// Seconds the torrent has been active, not paused (libtorrent's `active_duration`).
    #[serde(default, deserialize_with = "lenient_i64")]
    pub active_duration: Option<i64>,
}

/// Reads an integer field tolerantly: a number (a float is truncated), else `None` (`null`,
/// an absent key, a string or anything else), so a changed field degrades one value only.
fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        _ => None,
    })
}

/// Reads `flags` (an array of strings; an integer in porla/docs) as "contains `paused`".
fn has_paused_flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("torrent flags")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut paused = false;
            while let Some(flag) = seq.next_element::<Value>()? {
                paused |= flag.as_str() == Some("paused");
            }
            Ok(paused)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_none<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(V)
}

impl Torrent {
    /// The v1 and v2 hashes, lowercased, when present and of the right length.
    pub fn hashes(&self) -> (Option<String>, Option<String>) {
        fn hex(v: Option<&Value>, len: usize) -> Option<String> {
            let s = v?.as_str()?;
            (s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| s.to_ascii_lowercase())
        }
        match &self.info_hash {
            Value::Array(a) => (hex(a.first(), 40), hex(a.get(1), 64)),
            v @ Value::String(s) if s.len() == 40 => (hex(Some(v), 40), None),
            v @ Value::String(_) => (None, hex(Some(v), 64)),
            _ => (None, None),
        }
    }

    /// True when libtorrent's `paused` flag is set.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Bytes of the torrent's content: `None` before its metadata arrived (`size` -1) or
    /// when the field is missing.
    pub fn size(&self) -> Option<u64> {
        non_negative(self.size)
    }

    /// All-time payload bytes uploaded (`None` when missing).
    pub fn uploaded(&self) -> Option<u64> {
        non_negative(self.all_time_upload)
    }

    /// All-time payload bytes downloaded (`None` when missing).
    pub fn downloaded(&self) -> Option<u64> {
        non_negative(self.all_time_download)
    }

    /// Seconds spent seeding (`None` when missing).
    pub fn seeding_seconds(&self) -> Option<u64> {
        non_negative(self.seeding_duration)
    }

    /// Seconds spent active, not paused (`None` when missing).
    pub fn active_seconds(&self) -> Option<u64> {
        non_negative(self.active_duration)
    }

    /// Seconds since the last upload: `None` when it never uploaded (`last_upload` -1) or the
    /// field is missing; tell the two apart with [`Torrent::never_uploaded`].
    pub fn last_upload_ago(&self) -> Option<u64> {
        non_negative(self.last_upload)
    }

    /// True when Porla says the torrent never uploaded (`last_upload` -1).
    pub fn never_uploaded(&self) -> bool {
        self.last_upload.is_some_and(|s| s < 0)
    }
}

fn non_negative(v: Option<i64>) -> Option<u64> {
    v.filter(|n| *n >= 0).map(|n| n as u64)
}

/// `result` of `torrents.trackers.list`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TrackerList {
    #[serde(default, deserialize_with = "null_as_default")]
    pub trackers: Vec<Tracker>,
}

/// One `announce_entry`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Tracker {
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tier: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub fail_limit: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub verified: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub endpoints: Vec<Endpoint>,
}

/// One local listen socket announcing to a tracker.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    /// `[ip, port]`.
    #[serde(default)]
    pub local_endpoint: Value,
    #[serde(default = "yes", deserialize_with = "null_as_true")]
    pub enabled: bool,
    /// Index 0: v1 announce state, index 1: v2 announce state.
    #[serde(default, deserialize_with = "null_as_default")]
    pub info_hashes: Vec<Slot>,
}

fn yes() -> bool {
    true
}

fn null_as_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(true))
}

impl Endpoint {
    /// The local endpoint as `ip:port` (`[ip]:port` for IPv6), `unknown` when unreadable.
    pub fn address(&self) -> String {
        let (ip, port) = match &self.local_endpoint {
            Value::Array(a) => (a.first().and_then(Value::as_str), a.get(1)),
            _ => (None, None),
        };
        let Some(ip) = ip else {
            return "unknown".to_owned();
        };
        let port = port.map(|p| p.to_string()).unwrap_or_default();
        if ip.contains(':') {
            format!("[{ip}]:{port}")
        } else {
            format!("{ip}:{port}")
        }
    }

    /// True for 127.0.0.0/8 and ::1.
    pub fn is_loopback(&self) -> bool {
        match &self.local_endpoint {
            Value::Array(a) => a
                .first()
                .and_then(Value::as_str)
                .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
                .is_some_and(|ip| ip.is_loopback()),
            _ => false,
        }
    }
}

/// libtorrent's "never scheduled" time (`time_point32::min()`).
pub const TIME_UNSET: i64 = i32::MIN as i64;

/// The announce state of one protocol on one endpoint.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Slot {
    #[serde(default, deserialize_with = "null_as_default")]
    pub fails: i64,
    /// A string in Porla up to v0.41 and main; an object `{message, value}` in the rewrite.
    #[serde(default)]
    pub last_error: Option<Value>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub updating: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub start_sent: bool,
    #[serde(default)]
    pub scrape_complete: Option<i64>,
    #[serde(default)]
    pub scrape_incomplete: Option<i64>,
    #[serde(default)]
    pub scrape_downloaded: Option<i64>,
    #[serde(default)]
    pub next_announce: Option<i64>,
    #[serde(default)]
    pub min_announce: Option<i64>,
}

fn count(v: Option<i64>) -> Option<i64> {
    v.filter(|n| *n >= 0)
}

fn time(v: Option<i64>) -> Option<i64> {
    v.filter(|t| *t != TIME_UNSET && *t > 0)
}

impl Slot {
    pub fn seeders(&self) -> Option<i64> {
        count(self.scrape_complete)
    }
    pub fn leechers(&self) -> Option<i64> {
        count(self.scrape_incomplete)
    }
    pub fn downloaded(&self) -> Option<i64> {
        count(self.scrape_downloaded)
    }
    pub fn next_announce(&self) -> Option<i64> {
        time(self.next_announce)
    }
    pub fn min_announce(&self) -> Option<i64> {
        time(self.min_announce)
    }

    /// The error text, when an error is recorded (`null` and `""` mean none).
    pub fn error_text(&self) -> Option<&str> {
        let text = match self.last_error.as_ref()? {
            Value::String(s) => s.as_str(),
            Value::Object(o) => o.get("message").and_then(Value::as_str).unwrap_or("error"),
            Value::Null => return None,
            _ => "error",
        };
        (!text.is_empty()).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_read_as_paused_in_any_shape() {
        let t: Torrent =
            serde_json::from_str(r#"{"info_hash":["a",null],"flags":["auto_managed","paused"]}"#)
                .unwrap();
        assert!(t.is_paused());
        let t: Torrent = serde_json::from_str(r#"{"flags":["auto_managed"]}"#).unwrap();
        assert!(!t.is_paused());
        // porla/docs documents an integer; null and absent happen too.
        for body in [r#"{"flags":32}"#, r#"{"flags":null}"#, r#"{}"#] {
            let t: Torrent = serde_json::from_str(body).unwrap();
            assert!(!t.is_paused(), "{body}");
        }
    }

    #[test]
    fn nulls_and_absent_keys_become_defaults() {
        let s: Slot = serde_json::from_str(
            r#"{"fails":null,"last_error":null,"scrape_complete":-1,"next_announce":-2147483648}"#,
        )
        .unwrap();
        assert_eq!(s.fails, 0);
        assert_eq!(s.seeders(), None);
        assert_eq!(s.next_announce(), None);
        assert_eq!(s.error_text(), None);
        let s: Slot =
            serde_json::from_str(r#"{"last_error":{"message":"Connection refused","value":111}}"#)
                .unwrap();
        assert_eq!(s.error_text(), Some("Connection refused"));
        let e: Endpoint =
            serde_json::from_str(r#"{"local_endpoint":["2001:db8::1",6881],"enabled":null}"#)
                .unwrap();
        assert!(e.enabled);
        assert_eq!(e.address(), "[2001:db8::1]:6881");
    }
}
