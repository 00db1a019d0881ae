//! Tracker URL redaction and label-value hygiene.
//!
//! Private trackers put the member's passkey in the announce URL: as a path segment
//! (`/announce/<key>`, `/<key>/announce`) or as a query value (`?passkey=…`, `?authkey=…`,
//! `?pk=…`). The exporter never exports or logs a tracker URL before it went through
//! [`redact_tracker_url`]:
//! - user info (`user:pass@`) and the fragment are dropped;
//! - every query value is replaced by `REDACTED` (announce URLs carry no query value worth
//!   showing, and an allow-list of secret names would miss the next tracker's spelling);
//! - every path segment that looks like a key is replaced by `REDACTED`.
//!
//! A URL that does not parse yields `unparseable` and the host `unknown`: its raw text is never
//! shown.

use std::borrow::Cow;

use url::Url;

pub const REDACTED: &str = "REDACTED";

/// What [`redact_tracker_url`] makes of a URL that does not parse.
const UNPARSEABLE: &str = "unparseable";

/// Maximum length, in characters, of the `tracker` and `name` labels.
pub const MAX_LONG_LABEL: usize = 200;
/// Maximum length, in characters, of other string labels.
pub const MAX_LABEL: usize = 128;

/// A redacted tracker URL and its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerUrl {
    pub redacted: String,
    pub host: String,
}

/// Redacts a tracker URL (see the module docs).
pub fn redact_tracker_url(raw: &str) -> TrackerUrl {
    let Ok(url) = Url::parse(raw.trim()) else {
        return TrackerUrl {
            redacted: UNPARSEABLE.into(),
            host: "unknown".into(),
        };
    };
    let host = url
        .host_str()
        .map(|h| {
            h.trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase()
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into());

    let mut out = format!("{}://", url.scheme());
    if let Some(h) = url.host_str() {
        out.push_str(&h.to_ascii_lowercase());
    }
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    if let Some(segments) = url.path_segments() {
        for seg in segments {
            out.push('/');
            out.push_str(if looks_like_key(seg) { REDACTED } else { seg });
        }
    }
    if let Some(query) = url.query() {
        let mut first = true;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            out.push(if first { '?' } else { '&' });
            first = false;
            match pair.split_once('=') {
                Some((k, _)) => {
                    out.push_str(&clean_label(k, 32));
                    out.push('=');
                    out.push_str(REDACTED);
                }
                // A bare query word can be a key too (`?0123abcd…`).
                None if looks_like_key(pair) => out.push_str(REDACTED),
                None => out.push_str(&clean_label(pair, 32)),
            }
        }
    }
    TrackerUrl {
        redacted: clean_label(&out, MAX_LONG_LABEL).into_owned(),
        host: clean_label(&host, MAX_LABEL).into_owned(),
    }
}

/// Makes a tracker's message (or libtorrent's error text) safe to show a person: every URL in
/// it goes through [`redact_tracker_url`] (one that does not parse becomes `REDACTED`), the value
/// after a secret-looking name (`passkey=…`, `authkey: …`, `token=…`) and every bare key-like
/// word (see `looks_like_secret_word`) become `REDACTED`; then it is cleaned and cut like a
/// label value ([`clean_label`], at `max` characters).
///
/// Trackers quote the announce URL back ("Invalid passkey for
/// https://t.example/announce/0123…"), or the passkey alone ("Passkey 0123… not found").
pub fn redact_message(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(4 * max));
    // The previous word, to recognise `passkey=` / `key:` before a value.
    let mut after_secret_name = false;
    let mut rest = text;
    while !rest.is_empty() {
        // A run of word characters (or the URL that starts here).
        let word_end = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '%' | '~')))
            .unwrap_or(rest.len());
        if word_end == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            if !matches!(c, '=' | ':' | ' ' | '"' | '\'') {
                after_secret_name = false;
            }
            continue;
        }
        let word = &rest[..word_end];
        if rest[word_end..].starts_with("://") {
            let url_end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..url_end].trim_end_matches(['.', ',', ';', ')', ']', '!', '?']);
            let u = redact_tracker_url(url);
            out.push_str(if u.redacted == UNPARSEABLE {
                REDACTED
            } else {
                &u.redacted
            });
            rest = &rest[url.len()..];
            after_secret_name = false;
            continue;
        }
        let value_of_secret = after_secret_name
            && (out.ends_with('=')
                || word.chars().any(|c| c.is_ascii_digit())
                || word.chars().count() >= 16);
        if value_of_secret || looks_like_secret_word(word) {
            out.push_str(REDACTED);
        } else {
            out.push_str(word);
        }
        after_secret_name = is_secret_name(word);
        rest = &rest[word_end..];
    }
    clean_label(&out, max).into_owned()
}

/// A name whose value is a secret: `passkey`, `authkey`, `torrent_pass`, `key`, `token`, `pk`…
fn is_secret_name(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    ["key", "pass", "token", "secret", "auth", "sid"]
        .iter()
        .any(|n| w.contains(n))
        || matches!(w.as_str(), "pk" | "uk" | "k" | "uid" | "apikey")
}

/// A word of a message that may be a passkey or another secret: 20 or more word characters,
/// or 10 or more that mix letters and digits (passkeys are 32 or 40 hex digits, some trackers use
/// 10-character base62 keys). Words of a language, port numbers and versions stay.
fn looks_like_secret_word(word: &str) -> bool {
    let n = word.chars().count();
    let digits = word.chars().any(|c| c.is_ascii_digit());
    let letters = word.chars().any(|c| c.is_alphabetic());
    n >= 20 && (digits || word.is_ascii()) || (n >= 10 && digits && letters)
}

/// A path segment that looks like a secret: long and key-like, or shorter but mixing
/// letters and digits (passkeys are hex or base62; `announce.php`, `a`, `tracker` are not).
fn looks_like_key(seg: &str) -> bool {
    let keyish = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '%' | '=' | '~');
    if seg.len() >= 24 && seg.chars().all(|c| keyish(c) || c == '.') {
        return true;
    }
    seg.len() >= 8
        && seg.chars().all(keyish)
        && seg.chars().any(|c| c.is_ascii_digit())
        && seg.chars().any(|c| c.is_ascii_alphabetic())
}

/// Makes a string safe and bounded as a label value: control characters other than `\n` and
/// `\t` become spaces (the encoder escapes `\n`, `"` and `\`), and the value is cut at `max`
/// characters, ending in `…` when cut. Input is already valid UTF-8 (answers are decoded
/// lossily).
/// Borrows `s` when it is fine as it is (the common case).
pub fn clean_label(s: &str, max: usize) -> Cow<'_, str> {
    let needs_work = s.len() > max || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    if s.chars().nth(max).is_some() {
        out.pop();
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(u: &str) -> String {
        redact_tracker_url(u).redacted
    }

    #[test]
    fn passkey_styles_are_redacted() {
        let key = "0123456789abcdef0123456789abcdef";
        for (raw, want) in [
            (
                format!("https://t.example.org/announce/{key}"),
                "https://t.example.org/announce/REDACTED",
            ),
            (
                format!("https://t.example.org/{key}/announce"),
                "https://t.example.org/REDACTED/announce",
            ),
            (
                format!("https://t.example.org/announce.php?passkey={key}"),
                "https://t.example.org/announce.php?passkey=REDACTED",
            ),
            (
                format!("http://t.example.org:2710/announce?authkey={key}&uid=42"),
                "http://t.example.org:2710/announce?authkey=REDACTED&uid=REDACTED",
            ),
            (
                format!("http://t.example.org/a/announce?pk={key}"),
                "http://t.example.org/a/announce?pk=REDACTED",
            ),
            (
                format!("https://user:{key}@t.example.org/announce#frag"),
                "https://t.example.org/announce",
            ),
            (
                "https://t.example.org/tracker.php/a1b2c3d4e5/announce".into(),
                "https://t.example.org/tracker.php/REDACTED/announce",
            ),
        ] {
            let got = r(&raw);
            assert_eq!(got, want, "for {raw}");
            assert!(!got.contains(key));
        }
    }

    #[test]
    fn ordinary_urls_are_kept() {
        assert_eq!(
            r("udp://tracker.opentrackr.org:1337/announce"),
            "udp://tracker.opentrackr.org:1337/announce"
        );
        assert_eq!(
            r("http://127.0.0.1:6969/announce"),
            "http://127.0.0.1:6969/announce"
        );
        assert_eq!(
            redact_tracker_url("HTTP://Tracker.Example.ORG/announce").host,
            "tracker.example.org"
        );
        assert_eq!(
            redact_tracker_url("udp://[2001:db8::1]:6969/announce").host,
            "2001:db8::1"
        );
    }

    #[test]
    fn unparseable_urls_are_not_shown() {
        let t = redact_tracker_url("not a url with secret 0123456789abcdef");
        assert_eq!(t.redacted, "unparseable");
        assert_eq!(t.host, "unknown");
    }

    #[test]
    fn messages_lose_their_secrets() {
        let key = "0123456789abcdef0123456789abcdef";
        for (raw, want) in [
            (
                format!("Invalid passkey for https://t.example.org/announce/{key} (re-download)"),
                "Invalid passkey for https://t.example.org/announce/REDACTED (re-download)".to_owned(),
            ),
            (
                format!("unregistered torrent: http://t.example.org:2710/announce.php?passkey={key}&x=1."),
                "unregistered torrent: http://t.example.org:2710/announce.php?passkey=REDACTED&x=REDACTED.".into(),
            ),
            (format!("Passkey {key} not found"), "Passkey REDACTED not found".into()),
            (format!("passkey={key}"), "passkey=REDACTED".into()),
            ("The supplied key: aB3dE6gH9k, is not valid".into(), "The supplied key: REDACTED, is not valid".into()),
            ("authkey: Zq7".into(), "authkey: REDACTED".into()),
            (format!("ключ {} неверный", key.to_uppercase()), "ключ REDACTED неверный".into()),
            ("bad url http:// oops".into(), "bad url REDACTED oops".into()),
        ] {
            let got = redact_message(&raw, 200);
            assert_eq!(got, want, "for {raw}");
            assert!(!got.to_lowercase().contains(&key[..10]), "{got}");
        }
        // Ordinary wordings stay as they are.
        for kept in [
            "Unregistered torrent",
            "Port 6881 is blacklisted.",
            "Your client uTorrent/3.5.5 is not on the whitelist",
            "Passkey not found",
            "Torrent not registered with this tracker.",
            "Торрент не зарегистрирован на трекере",
            "种子未在本站注册",
            "Request too frequent (min interval 1800 s)",
        ] {
            assert_eq!(redact_message(kept, 200), kept);
        }
        let long = redact_message(&"word ".repeat(100), 200);
        assert_eq!(long.chars().count(), 200);
        assert!(long.ends_with('…'));
        assert_eq!(redact_message("a\u{7}b", 200), "a b");
    }

    #[test]
    fn labels_are_capped_and_cleaned() {
        let long = "é".repeat(500);
        let c = clean_label(&long, 200);
        assert_eq!(c.chars().count(), 200);
        assert!(c.ends_with('…'));
        assert_eq!(clean_label("a\u{0}b\rc\td\ne", 50), "a b c\td\ne");
        assert_eq!(clean_label("exact", 5), "exact");
    }
}
