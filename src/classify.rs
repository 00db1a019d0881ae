//! Tracker status and error classes: the bounded vocabularies exported as labels.
//!
//! A tracker in error carries two texts (docs/porla.md §5.3): libtorrent's `last_error`
//! ("Connection refused", "timed out", "tracker sent a failure message", …) and, when the tracker
//! answered with a failure, the tracker's own `message`. Neither is ever exported. A
//! [`Classifier`] maps them onto [`ErrorClass`], a small fixed set:
//!
//! - when libtorrent says the tracker sent a failure message, the tracker's message decides:
//!   the user's own rules first ([`UserRules`]), then the built-in patterns
//!   (`classify/patterns.rs`: families of subject × verdict, each with the tracker software it
//!   was drawn from), else
//!   `tracker_failure`;
//! - otherwise libtorrent's text decides, and it only ever maps to the network classes,
//!   `bad_response` or `blocked`: an HTTP "401 Unauthorized" from a web server is `http_4xx`, never
//!   `access_denied`.
//!
//! Matching is case-insensitive with Unicode lowercasing (Cyrillic and others), so Russian and
//! Chinese wordings match like English ones. [`Classifier::explain`] names the rule that decided
//! (`porla-exporter classify`).

mod meaning;
mod patterns;
mod reload;
mod rules;

use std::sync::Arc;

use crate::porla::Slot;

pub use reload::Classes;
pub use rules::{RulesError, UserRules};

/// Status of one announce slot, or of a folded tracker (docs/porla.md §5.3, the web UI's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    // Declared from best to worst: `Ord` ranks them for folding.
    Working,
    Updating,
    Queued,
    Error,
    Inactive,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Working,
        Status::Updating,
        Status::Queued,
        Status::Error,
        Status::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Working => "working",
            Status::Updating => "updating",
            Status::Queued => "queued",
            Status::Error => "error",
            Status::Inactive => "inactive",
        }
    }

    /// The first rule that applies: updating, error, working, inactive, else queued.
    pub fn of_slot(s: &Slot) -> Status {
        if s.updating {
            Status::Updating
        } else if s.fails > 0 && s.error_text().is_some() {
            Status::Error
        } else if s.start_sent {
            Status::Working
        } else if s.next_announce().is_none() {
            Status::Inactive
        } else {
            Status::Queued
        }
    }
}

/// Normalised class of a tracker error: the `class` label (docs/metrics.md).
///
/// The names are a contract of dashboards and alerts. The declaration order is the order of the
/// series in `/metrics`; [`ErrorClass::index`] is its place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorClass {
    // From libtorrent's error text.
    ConnectionRefused,
    Timeout,
    Dns,
    Network,
    Tls,
    Http4xx,
    Http5xx,
    BadResponse,
    Blocked,
    // From the tracker's failure message.
    TrackerFailure,
    Unregistered,
    AccessDenied,
    RateLimited,
    TrackerUnavailable,
    BadRequest,
    // Neither.
    Other,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 16] = [
        ErrorClass::ConnectionRefused,
        ErrorClass::Timeout,
        ErrorClass::Dns,
        ErrorClass::Network,
        ErrorClass::Tls,
        ErrorClass::Http4xx,
        ErrorClass::Http5xx,
        ErrorClass::BadResponse,
        ErrorClass::Blocked,
        ErrorClass::TrackerFailure,
        ErrorClass::Unregistered,
        ErrorClass::AccessDenied,
        ErrorClass::RateLimited,
        ErrorClass::TrackerUnavailable,
        ErrorClass::BadRequest,
        ErrorClass::Other,
    ];

    /// The classes that come from the tracker's failure message: the only ones a user's rule may
    /// name (no new label values: cardinality stays bounded).
    pub const FROM_TRACKER_MESSAGE: [ErrorClass; 6] = [
        ErrorClass::Unregistered,
        ErrorClass::AccessDenied,
        ErrorClass::RateLimited,
        ErrorClass::TrackerUnavailable,
        ErrorClass::BadRequest,
        ErrorClass::TrackerFailure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::ConnectionRefused => "connection_refused",
            ErrorClass::Timeout => "timeout",
            ErrorClass::Dns => "dns",
            ErrorClass::Network => "network",
            ErrorClass::Tls => "tls",
            ErrorClass::Http4xx => "http_4xx",
            ErrorClass::Http5xx => "http_5xx",
            ErrorClass::BadResponse => "bad_response",
            ErrorClass::Blocked => "blocked",
            ErrorClass::TrackerFailure => "tracker_failure",
            ErrorClass::Unregistered => "unregistered",
            ErrorClass::AccessDenied => "access_denied",
            ErrorClass::RateLimited => "rate_limited",
            ErrorClass::TrackerUnavailable => "tracker_unavailable",
            ErrorClass::BadRequest => "bad_request",
            ErrorClass::Other => "other",
        }
    }

    /// The class with this label value.
    pub fn from_name(name: &str) -> Option<ErrorClass> {
        ErrorClass::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Whether the class comes from the tracker's failure message (see
    /// [`ErrorClass::FROM_TRACKER_MESSAGE`]).
    pub fn is_from_tracker_message(self) -> bool {
        ErrorClass::FROM_TRACKER_MESSAGE.contains(&self)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Classifies libtorrent's `last_error` text and the tracker's `message` with the built-in
    /// patterns only (see [`Classifier`] for the user's rules).
    pub fn classify(error: &str, message: &str) -> ErrorClass {
        Classifier::builtin().classify(error, message)
    }
}

/// Maps a tracker's error texts onto an [`ErrorClass`]: the user's rules (if any) before the
/// built-in patterns. Cheap to clone (the rules are shared).
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    user: Option<Arc<UserRules>>,
}

impl Classifier {
    /// The built-in patterns only.
    pub fn builtin() -> Classifier {
        Classifier::default()
    }

    /// The user's rules, checked before the built-in patterns.
    pub fn with_rules(rules: UserRules) -> Classifier {
        Classifier {
            user: Some(Arc::new(rules)),
        }
    }

    /// Classifies libtorrent's `last_error` text and the tracker's `message`.
    ///
    /// The tracker's message decides only when libtorrent says the tracker sent a failure (or
    /// gives no text of its own): a message left over from an earlier answer does not make a
    /// timeout a tracker failure.
    pub fn classify(&self, error: &str, message: &str) -> ErrorClass {
        self.verdict(error, message).class
    }

    /// The class and what decided it (see [`Classifier::classify`]).
    pub fn verdict(&self, error: &str, message: &str) -> Verdict {
        self.decide(error, message).0
    }

    /// The class and, in words, the rule that decided it: a line of the user's classes file
    /// (`path:line`), a built-in family (`built-in: class: family`), no pattern, or libtorrent's
    /// error text. What `porla-exporter classify` prints; the same decision as
    /// [`Classifier::verdict`].
    pub fn explain(&self, error: &str, message: &str) -> (Verdict, String) {
        let (verdict, rule) = self.decide(error, message);
        let words = match rule {
            Rule::User(line) => {
                let origin = self.user.as_ref().map_or("", |u| u.origin());
                format!("{origin}:{line}")
            }
            Rule::BuiltIn(family) => format!("built-in: {}: {family}", verdict.class.as_str()),
            Rule::NoPattern => "no pattern matched the tracker's message".to_string(),
            Rule::ErrorText => "libtorrent's error text".to_string(),
        };
        (verdict, words)
    }

    fn decide(&self, error: &str, message: &str) -> (Verdict, Rule) {
        let (error, message) = significant(error, message);
        if message_decides(error, message) {
            if let Some((c, line)) = self.user.as_ref().and_then(|u| u.decide(message)) {
                let v = Verdict {
                    class: c,
                    by: Decider::UserRule,
                };
                return (v, Rule::User(line));
            }
            return match builtin_family(message) {
                Some(f) => (
                    Verdict {
                        class: f.class,
                        by: Decider::BuiltIn,
                    },
                    Rule::BuiltIn(f.name),
                ),
                None => (
                    Verdict {
                        class: ErrorClass::TrackerFailure,
                        by: Decider::NoPattern,
                    },
                    Rule::NoPattern,
                ),
            };
        }
        let class = if is_tracker_failure(error) {
            ErrorClass::TrackerFailure
        } else {
            libtorrent_class(error)
        };
        let v = Verdict {
            class,
            by: Decider::ErrorText,
        };
        (v, Rule::ErrorText)
    }
}

/// The rule behind a [`Verdict`], for [`Classifier::explain`].
enum Rule {
    User(usize),
    BuiltIn(&'static str),
    NoPattern,
    ErrorText,
}

/// libtorrent's text for a tracker's failure (errors::tracker_failure), as Porla reports it with
/// the tracker's message: what [`classify_lines`] classifies each line with.
pub const TRACKER_FAILURE_TEXT: &str = "tracker sent a failure message";

/// `porla-exporter classify`: each non-blank line of `input` is a tracker's failure message,
/// classified as the exporter classifies it (libtorrent's text "tracker sent a failure
/// message", the user's rules, then the built-in families). Writes one line per message:
/// `class<TAB>rule<TAB>message` (see [`Classifier::explain`]). Bytes that are not UTF-8 are
/// replaced, as Porla's JSON would carry them.
pub fn classify_lines(
    classifier: &Classifier,
    mut input: impl std::io::BufRead,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut raw = Vec::new();
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&raw);
        let message = line.trim_end_matches(['\n', '\r']);
        if message.trim().is_empty() {
            continue;
        }
        let (verdict, rule) = classifier.explain(TRACKER_FAILURE_TEXT, message);
        writeln!(out, "{}\t{rule}\t{message}", verdict.class.as_str())?;
    }
}

/// Tracker messages are a line or two; a long one (an HTML error page passed on as the reason) is
/// classified by its start, which bounds the work per tracker in error at every poll.
pub const MESSAGE_HEAD: usize = 1024;

fn head(message: &str) -> &str {
    if message.len() <= MESSAGE_HEAD {
        return message;
    }
    let mut end = MESSAGE_HEAD;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    &message[..end]
}

/// What decided a [`Verdict`]: the landing page marks tracker messages no pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decider {
    /// A rule of the user's classes file matched the tracker's message.
    UserRule,
    /// A built-in pattern matched the tracker's message.
    BuiltIn,
    /// The tracker's message decided but no pattern matched it: `tracker_failure`.
    NoPattern,
    /// libtorrent's error text decided (the tracker's message did not).
    ErrorText,
}

/// A class and what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Verdict {
    pub class: ErrorClass,
    pub by: Decider,
}

/// Whether the tracker's message decides the class of these two texts (trimmed), rather than
/// libtorrent's error text: it does when there is one and libtorrent says the tracker sent a
/// failure, or says nothing of its own.
pub fn message_decides(error: &str, message: &str) -> bool {
    !message.is_empty() && (error.is_empty() || is_tracker_failure(error))
}

/// The parts of libtorrent's text and the tracker's message that classification reads: both
/// trimmed, the message cut to its first [`MESSAGE_HEAD`] bytes. Keeping only these keeps
/// every class the same.
pub fn significant<'a>(error: &'a str, message: &'a str) -> (&'a str, &'a str) {
    (error.trim(), head(message.trim()))
}

/// libtorrent's text for "the tracker answered with a failure reason" (errors::tracker_failure,
/// arvidn/libtorrent src/error_code.cpp: "tracker sent a failure message"); the tracker's reason is
/// in `message`.
fn is_tracker_failure(error: &str) -> bool {
    let e = error.to_ascii_lowercase();
    e.contains("failure message") || e.contains("tracker sent")
}

/// The built-in family the message is in, if any: the first that matches
/// (classify/patterns.rs). With the `bench-constant-matcher` feature (benches/scale.rs only), no
/// family is read and every message is `tracker_failure`: the bench's baseline for what the
/// matcher adds to memory.
fn builtin_family(message: &str) -> Option<&'static meaning::Family> {
    if cfg!(feature = "bench-constant-matcher") {
        return None;
    }
    meaning::first(patterns::FAMILIES, message)
}

/// Classifies libtorrent's (or asio's, or the OS's) error text: network classes, `bad_response`
/// or `blocked` only. Sources: arvidn/libtorrent src/error_code.cpp (libtorrent and HTTP
/// categories, "blocked by SSRF mitigation", "blocked by IDNA ban"), boost asio's error texts.
fn libtorrent_class(error: &str) -> ErrorClass {
    let e = error.to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| e.contains(n));
    if e.is_empty() {
        return ErrorClass::Other;
    }
    // libtorrent refused to contact the tracker.
    if has(&[
        "ssrf",
        "idna",
        "blocked",
        "ip filter",
        "port filter",
        "port-filter",
    ]) {
        return ErrorClass::Blocked;
    }
    // The answer was not a valid tracker response.
    if has(&[
        "invalid tracker response",
        "bencod",
        "bdecode",
        "invalid peer dictionary",
        "missing or invalid",
        "udp tracker response",
        "invalid transaction id",
        "invalid action field",
        "failed to decompress",
        "invalid http header",
        "parse failed",
        "expected value",
        "expected string",
        "expected colon",
        "expected digit",
        "limit exceeded",
        "depth exceeded",
        "not a dictionary",
        "invalid response",
        // curl (curl/curl lib/strerror.c): CURLE_WEIRD_SERVER_REPLY; a redirect without a target.
        "weird server reply",
        "location header",
    ]) {
        return ErrorClass::BadResponse;
    }
    if let Some(code) = http_status(&e) {
        return if code >= 500 {
            ErrorClass::Http5xx
        } else {
            ErrorClass::Http4xx
        };
    }
    if has(&[
        "ssl",
        "tls",
        "certificate",
        "handshake",
        "stream truncated",
        "wrong version number",
        "unknown ca",
        "verify failed",
        // OpenSSL reasons without "ssl" in them.
        "hostname mismatch",
        "bad record mac",
        "decryption failed",
        "unknown protocol",
        "no shared cipher",
        "unexpected eof while reading",
        "short read",
    ]) {
        return ErrorClass::Tls;
    }
    if has(&["refused"]) {
        return ErrorClass::ConnectionRefused;
    }
    if has(&[
        "host not found",
        "name or service",
        "no address associated",
        "name resolution",
        "resolve",
        "nodename",
        "no such host",
        "no data record",
        "associated address",
        "invalid hostname",
        // Windows WSANO_DATA.
        "no data of the requested type",
    ]) {
        return ErrorClass::Dns;
    }
    if has(&[
        "internal server error",
        "not implemented",
        "bad gateway",
        "service unavailable",
        "gateway timeout",
        "gateway time-out",
        "http version not supported",
        "insufficient storage",
    ]) {
        return ErrorClass::Http5xx;
    }
    if has(&[
        "bad request",
        "unauthorized",
        "payment required",
        "forbidden",
        "not found",
        "method not allowed",
        "not acceptable",
        "proxy authentication required",
        "request timeout",
        "request time-out",
        "conflict",
        "gone",
        "length required",
        "precondition failed",
        "too large",
        "uri too long",
        "unsupported media type",
        "too many requests",
        "unavailable for legal reasons",
    ]) {
        return ErrorClass::Http4xx;
    }
    // Windows WSAETIMEDOUT ("… did not properly respond after a period of time …"),
    // Transmission's "Tracker did not respond".
    if has(&[
        "timed out",
        "timeout",
        "timer expired",
        "did not respond",
        "did not properly respond",
    ]) {
        return ErrorClass::Timeout;
    }
    if has(&[
        "unreachable",
        "reset",
        "end of file",
        "eof",
        "broken pipe",
        "no route",
        "abort",
        "network is down",
        "network failure",
        "host is down",
        "not connected",
        "connection closed",
        "operation canceled",
        "operation cancelled",
        "no buffer space",
        "address not available",
        "cannot assign requested address",
        "address family not supported",
        "resource temporarily unavailable",
        // Windows WSAECONNRESET; curl's (lib/strerror.c) and Transmission's connection failures.
        "forcibly closed",
        "connect to server",
        "connect to tracker",
        "empty reply",
        "receiving data",
        "sending data",
        "no response",
    ]) {
        return ErrorClass::Network;
    }
    ErrorClass::Other
}

/// The HTTP status in an error text: leading ("404 Not Found", "429 (unknown HTTP error)": the
/// texts of libtorrent's http_category) or standing alone next to "http"/"error" ("HTTP error 502").
fn http_status(e: &str) -> Option<u16> {
    let in_range = |c: &u16| (400..600).contains(c);
    let b = e.as_bytes();
    if b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit) && b.get(3).is_none_or(|c| *c == b' ')
    {
        return e[..3].parse().ok().filter(in_range);
    }
    if !(e.contains("http") || e.contains("error")) {
        return None;
    }
    e.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .find(in_range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass::*;

    const FAILURE: &str = "tracker sent a failure message";

    /// Classifies each message of `cases` as a tracker's failure reason; lists every one not in its
    /// class.
    fn assert_classes(cases: &[(ErrorClass, &[&str])]) {
        let mut wrong = Vec::new();
        for (want, messages) in cases {
            for m in *messages {
                let got = ErrorClass::classify(FAILURE, m);
                if got != *want {
                    wrong.push(format!("{m:?} is {}, want {}", got.as_str(), want.as_str()));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn real_porla_errors_classify() {
        // The captures in tests/fixtures/porla/samples (opentracker on loopback).
        assert_eq!(
            ErrorClass::classify("Connection refused", ""),
            ConnectionRefused
        );
        assert_eq!(ErrorClass::classify("timed out", ""), Timeout);
        assert_eq!(
            ErrorClass::classify(
                FAILURE,
                "Requested download is not authorized for use with this tracker."
            ),
            Unregistered
        );
        assert_eq!(
            ErrorClass::classify(FAILURE, "something new"),
            TrackerFailure
        );
        assert_eq!(ErrorClass::classify(FAILURE, ""), TrackerFailure);
        assert_eq!(ErrorClass::classify("something odd", ""), Other);
    }

    #[test]
    fn the_message_decides_only_for_a_tracker_failure() {
        // A warning left in `message` by an earlier answer does not turn a timeout into a refusal.
        assert_eq!(
            ErrorClass::classify("timed out", "Unregistered torrent"),
            Timeout
        );
        // No libtorrent text at all: the message is all there is.
        assert_eq!(
            ErrorClass::classify("", "Unregistered torrent"),
            Unregistered
        );
    }

    #[test]
    fn libtorrent_text_never_reads_as_a_tracker_refusal() {
        for (text, want) in [
            ("401 Unauthorized", Http4xx),
            ("403 Forbidden", Http4xx),
            ("404 Not Found", Http4xx),
            ("429 (unknown HTTP error)", Http4xx),
            ("503 Service Unavailable", Http5xx),
            ("504 Gateway Timeout", Http5xx),
            ("HTTP error 502", Http5xx),
            ("blocked by SSRF mitigation", Blocked),
            ("unexpected end of file in bencoded string", BadResponse),
            ("Host not found (authoritative)", Dns),
        ] {
            assert_eq!(ErrorClass::classify(text, ""), want, "{text}");
        }
    }

    #[test]
    fn names_round_trip() {
        for c in ErrorClass::ALL {
            assert_eq!(ErrorClass::from_name(c.as_str()), Some(c));
            assert_eq!(ErrorClass::ALL[c.index()], c);
        }
        assert_eq!(ErrorClass::from_name("unauthorized"), None);
        assert!(Unregistered.is_from_tracker_message() && !Http4xx.is_from_tracker_message());
    }

    #[test]
    fn the_users_rules_come_first() {
        let rules =
            UserRules::parse("rules.txt", "rate_limited  (?i)^unregistered torrent$\n").unwrap();
        let c = Classifier::with_rules(rules);
        assert_eq!(c.classify(FAILURE, "Unregistered torrent"), RateLimited);
        assert_eq!(
            c.classify(FAILURE, "Unregistered torrent: Dupe"),
            Unregistered
        );
        assert_eq!(
            c.verdict(FAILURE, "no pattern knows this").by,
            Decider::NoPattern
        );
        assert_eq!(c.classify("timed out", "Unregistered torrent"), Timeout);
    }

    #[test]
    fn a_long_message_is_classified_by_its_start() {
        let long = format!("Torrent not found{}", "é".repeat(5000));
        assert_eq!(ErrorClass::classify(FAILURE, &long), Unregistered);
        let late = format!("{}Torrent not found", "x ".repeat(1000));
        assert_eq!(ErrorClass::classify(FAILURE, &late), TrackerFailure);
        assert_eq!(head("ab"), "ab");
        assert!(head(&"é".repeat(600)).len() <= MESSAGE_HEAD);
    }

    #[test]
    fn status_rules_follow_the_web_ui() {
        let mut s = Slot {
            next_announce: Some(crate::porla::TIME_UNSET),
            ..Default::default()
        };
        assert_eq!(Status::of_slot(&s), Status::Inactive);
        s.next_announce = Some(1_795_684_805);
        assert_eq!(Status::of_slot(&s), Status::Queued);
        s.start_sent = true;
        assert_eq!(Status::of_slot(&s), Status::Working);
        s.fails = 2;
        s.last_error = Some("timed out".into());
        assert_eq!(Status::of_slot(&s), Status::Error);
        s.updating = true;
        assert_eq!(Status::of_slot(&s), Status::Updating);
        assert!(
            Status::Working < Status::Updating
                && Status::Queued < Status::Error
                && Status::Error < Status::Inactive
        );
    }
    /// The kinds of misses issue 25 lists, in wordings written for this test (no tracker's
    /// exact text): a family of subject × verdict takes them without listing them.
    #[test]
    fn families_take_unlisted_wordings_of_the_same_meaning() {
        let cases: &[(ErrorClass, &[&str])] = &[
            // Client bans and version demands.
            (
                AccessDenied,
                &[
                    "Your client version is too old, please update",
                    "uTorrent 2.2.1 is banned here",
                    "This client is not in the allowed list",
                    "Please upgrade to qBittorrent 4.3 or later",
                    "客户端版本过低",
                    "Ваш клиент устарел",
                ],
            ),
            // Class, VIP, credit, slot and waiting-time restrictions.
            (
                AccessDenied,
                &[
                    "Only VIP members may download this torrent",
                    "This torrent is not available to your class",
                    "Your user class is too low",
                    "Not enough bonus points",
                    "Insufficient upload credit",
                    "No free slots left",
                    "You must wait 24 hours before leeching new torrents",
                    "您的等级不够",
                    "魔力值不足",
                    "Ваш класс слишком низкий",
                ],
            ),
            // PID and announce-key systems.
            (
                AccessDenied,
                &[
                    "Invalid PID",
                    "Your PID has been reset",
                    "Announce key not found",
                    "Unknown RSS key",
                    "错误：秘钥无效",
                ],
            ),
            // Minimum-interval wordings without "interval".
            (
                RateLimited,
                &[
                    "Please wait 30 seconds between announces",
                    "Announced too recently",
                    "You are announcing faster than allowed",
                    "Next announce allowed in 5 minutes",
                    "Announce too early",
                    "请求太频繁",
                    "Слишком частые запросы",
                ],
            ),
            // Terse database and peer-store failures.
            (
                TrackerUnavailable,
                &[
                    "Database error (select)",
                    "Error (insert)",
                    "peers update failed",
                    "Could not save peer",
                    "Peer store error",
                    "查询失败",
                    "Не удалось обновить пиров",
                ],
            ),
            // UDP connection ids and parameter formats.
            (
                BadRequest,
                &[
                    "Bad connection ID",
                    "connection id mismatch",
                    "uploaded must be a number",
                    "left is not an integer",
                    "port out of range",
                ],
            ),
            // An absent torrent: unknown, not allowed, frozen, not reviewed, misspelt.
            (
                Unregistered,
                &[
                    "Torrent is unknown",
                    "Torrent unknown to this tracker",
                    "Torrent frozen",
                    "This torrent has not been reviewed",
                    "Torrent doesnt exsist",
                    "Torrent does not exists",
                    "unregistred torrent",
                    "Infohash not in whitelist",
                    "Раздача не найдена",
                    "Торрент заморожен",
                    "种子已冻结",
                ],
            ),
        ];
        assert_classes(cases);
    }

    /// Refusals and faults that name the torrent stay out of `unregistered`: the torrent is fine.
    #[test]
    fn a_torrent_named_in_a_refusal_or_a_fault_is_not_unregistered() {
        for m in [
            "You are not allowed to download this torrent",
            "You are banned from this torrent",
            "Your torrent limit is reached",
            "You cannot download this torrent: your ratio is too low",
            "Tracker maintenance: torrents not available",
            "torrent updates disabled",
            "Torrent being announced as complete but no record found.",
        ] {
            let got = ErrorClass::classify(FAILURE, m);
            assert_ne!(got, Unregistered, "{m}");
        }
    }

    /// The meanings heldout3-messages.tsv's blind scoring missed, in wordings written for this
    /// test (in no fixture): each family widened from it takes variants no one listed.
    #[test]
    fn the_third_sets_widening_takes_unlisted_wordings() {
        let cases: &[(ErrorClass, &[&str])] = &[
            // The user told they may not: you × cannot, run out; level, right or privilege ×
            // taken away; registered users and guests; a session key; a step to take first.
            (
                AccessDenied,
                &[
                    "Sorry, you cannot leech on this tracker",
                    "You are not able to use the tracker",
                    "Leeching has been disabled for you",
                    "You ran out of seeding points",
                    "Your HP is exhausted",
                    "Your rank does not allow leeching",
                    "User level not allowed",
                    "Your right to download has been suspended",
                    "Download privilige disabled",
                    "Members only!",
                    "Only registered members may announce",
                    "Guests are not allowed to announce",
                    "Your session has expired, please download the torrent again",
                    "Please activate your profile first",
                ],
            ),
            // Clients turned away: called bad, unknown or fake; banned in French and Swedish.
            (
                AccessDenied,
                &[
                    "Unrecognized client",
                    "Fake client detected",
                    "Ce client est interdit",
                    "Client non autorisé sur ce tracker",
                    "Din klient är förbjuden",
                    "Identifiant inconnu",
                    "Abnormal download speed",
                ],
            ),
            // The torrent absent, invalid, blocked or gone with its post; French and Swedish.
            (
                Unregistered,
                &[
                    "Le torrent n'existe pas",
                    "Torrent pas trouvé",
                    "Torrenten finns inte",
                    "Torrent is invalid",
                    "Invalid torrent id",
                    "This torrent is not in our tracker",
                    "Torrent is blocked",
                    "Blocked torrent",
                    "Attachment not found",
                    "No such topic",
                ],
            ),
            // The tracker's database unreachable or full; a bare hexadecimal code.
            (
                TrackerUnavailable,
                &[
                    "Could not connect to database: Too many connections",
                    "DB connect failed",
                    "Database unreachable",
                    "Error: 0x00ff",
                    "Error 0x1F",
                ],
            ),
            // A minimal interval not respected.
            (
                RateLimited,
                &[
                    "Minimal announce interval not respected",
                    "Please respect the minimal interval",
                ],
            ),
            // A parameter named as a missing or invalid key; a request, action or peer the
            // tracker cannot place; the torrent's hash or file malformed.
            (
                BadRequest,
                &[
                    "Missing key: left",
                    "missing parameter: peer_id",
                    "Invalid key: left",
                    "Unknown peer",
                    "No such peer",
                    "Unknown request",
                    "Unrecognised command",
                    "Wrong request",
                    "Invalid torrent hash",
                    "Torrent hash invalid",
                    "Invalid torrent file",
                ],
            ),
        ];
        assert_classes(cases);
    }

    /// The precedence cases the third set's widening touched.
    #[test]
    fn the_third_sets_widening_keeps_the_precedence() {
        for (m, want) in [
            // The database's connection limit is the tracker's trouble, not the user's limit
            // nor announcing too often; the user's own connection limit stays a refusal.
            (
                "Can't connect to MySQL: Too many connections",
                TrackerUnavailable,
            ),
            ("database error: too many connections", TrackerUnavailable),
            ("Too many connections from your IP", AccessDenied),
            // A passkey the request lacks is refused (docs/metrics.md; a missing parameter until
            // heldout5's scoring), one sent but wrong or malformed too, and so is a per-user key.
            ("Missing parameter: passkey", AccessDenied),
            ("Invalid key: passkey", AccessDenied),
            ("The passkey is missing", AccessDenied),
            ("Invalid key! Please re-download the torrent", AccessDenied),
            // A code with words is read by its words.
            ("Error: 0x0002 user not found", AccessDenied),
            // "you × may not" is last: the torrent absent, a malformed request, the tracker's
            // trouble and announcing too often win.
            (
                "You can't leech this torrent, it has been deleted",
                Unregistered,
            ),
            ("You cannot announce without a peer_id", BadRequest),
            (
                "You cannot download now, the tracker is offline",
                TrackerUnavailable,
            ),
            (
                "You cannot announce more often than every 30 minutes",
                RateLimited,
            ),
            // A refused right to a torrent is the user's; a guest's tracker switched off too.
            (
                "Your rights to this torrent have been removed",
                AccessDenied,
            ),
            ("Tracker disabled for guests", AccessDenied),
            ("Tracker disabled", TrackerUnavailable),
            // A cheat check's speed wins over the word "event"; the client's copy of the file.
            ("Upload speed too high, event logged", AccessDenied),
            (
                "Invalid .torrent file, please download it again",
                BadRequest,
            ),
        ] {
            assert_eq!(ErrorClass::classify(FAILURE, m), want, "{m}");
        }
    }

    /// The fourth set's widening was made at the level of lexicons (subjects and verdicts in
    /// en, zh, ru, es, fr, de, pt), not of its rows: none of these wordings is in a fixture.
    #[test]
    fn the_fourth_sets_lexicons_take_unlisted_wordings() {
        let cases: &[(ErrorClass, &[&str])] = &[
            // The torrent absent, withdrawn, inactive, off the whitelist or on a block list.
            (
                Unregistered,
                &[
                    "种子不存在",
                    "El torrent no existe",
                    "Torrent desconocido",
                    "Le torrent n'est pas enregistré",
                    "Torrent nicht vorhanden",
                    "Torrent não encontrado",
                    "Torrent pendiente de aprobación",
                    "Torrent abgelehnt",
                    "Torrent deactivated",
                    "This torrent is locked",
                    "Torrent is not published yet",
                    "Torrent is not on the whitelist of this tracker",
                    "Torrent is on the blacklist",
                    "Info hash is on the blacklist",
                    "该资源已下架",
                    "种子已失效",
                    "种子不在本站",
                    "该种子已被锁定",
                    "用户上传的种子已被删除",
                ],
            ),
            // Accounts, keys, announce URLs, clients, proxies, ratio and credit refused.
            (
                AccessDenied,
                &[
                    "用户不存在",
                    "用户已被冻结",
                    "会员已过期",
                    "Usuario no encontrado",
                    "Utilisateur désactivé",
                    "Benutzer gesperrt",
                    "Tu cuenta está deshabilitada",
                    "错误的uid值",
                    "Clave de acceso inválida",
                    "Ungültiger Schlüssel",
                    "Invalid announce URL, please re-download the torrent",
                    // With heldout5's narrowing, the announce URL is the user's key refused only
                    // where the message says to re-download (a plain one is a request: the fifth
                    // set's tests).
                    "种子的tracker地址错误，请重新下载种子",
                    "Cliente no permitido",
                    "Client nicht erlaubt",
                    "Modified client detected",
                    "VPN connections are not allowed",
                    "Tor exit node detected",
                    "禁止使用代理访问",
                    "Your IP is on the blacklist",
                    "上传量不足，无法下载",
                    "Your traffic is too low to leech",
                    "Tu ratio es demasiado bajo",
                ],
            ),
            (
                RateLimited,
                &[
                    "Demasiadas solicitudes, espera",
                    "Intervalle minimum non respecté",
                    "Zu oft angefragt",
                ],
            ),
            // The tracker's backends: database, cluster, replicas, its own setup.
            (
                TrackerUnavailable,
                &[
                    "Datenbankfehler",
                    "数据库连接超时",
                    "Database timeout",
                    "Upstream timeout",
                    "Master node unreachable",
                    "集群连接超时",
                    "Replica lag, please try later",
                    "Connection failed: too many connections",
                    "Server misconfigured",
                    "Failed to update peer",
                    "Erreur interne du serveur",
                ],
            ),
            // Parameters of the torrent and requests the tracker cannot read.
            (
                BadRequest,
                &[
                    "Torrent parameters missing",
                    "种子参数错误",
                    "Client sent malformed data",
                    "请求格式错误",
                    "Unsupported request",
                ],
            ),
            // A feature the tracker keeps off.
            (TrackerFailure, &["Scrape not permitted on this tracker"]),
        ];
        assert_classes(cases);
    }

    /// What the fourth set's lexicons must not read into a message: no false `unregistered`, and
    /// the precedence kept.
    #[test]
    fn the_fourth_sets_lexicons_keep_the_precedence() {
        for (m, want) in [
            // A torrent's parameters, or a field of the request beside the torrent, are the
            // request's.
            ("Invalid torrent params", BadRequest),
            ("种子的info_hash无效", BadRequest),
            // A refusal near the torrent stays a refusal: the user's access, IP, client.
            ("Torrent access blocked for you", AccessDenied),
            ("Torrent: your IP is on the blacklist", AccessDenied),
            ("Your client is on the blacklist", AccessDenied),
            ("passkey无效，请重新下载种子", AccessDenied),
            // A key or user found missing in the database is the user's, not the tracker's.
            ("Passkey not found in database", AccessDenied),
            ("User not found in database, login failed", AccessDenied),
            // A bad request that names a credential stays the credential's.
            ("Bad request: passkey missing", AccessDenied),
            // Words that only look like the new subjects.
            ("Le compteur de téléchargement est invalide", BadRequest),
            ("种子发布成功", TrackerFailure),
            ("你只能下载自己发布的种子", TrackerFailure),
            ("Proxy error", TrackerFailure),
            ("Cluster of peers full", TrackerFailure),
            // Maintenance still wins over a torrent named beside it.
            (
                "Torrent updates disabled during maintenance",
                TrackerUnavailable,
            ),
        ] {
            assert_eq!(ErrorClass::classify(FAILURE, m), want, "{m}");
        }
    }

    /// The fifth set's widening: Portuguese without accents, Slovenian and its Slavic
    /// neighbours, torrents "not recognized", requests that could not be parsed, the client's data
    /// bad or negative, hexadecimal identifiers read as values. None of these wordings is in a
    /// fixture.
    #[test]
    fn the_fifth_sets_lexicons_take_unlisted_wordings() {
        let cases: &[(ErrorClass, &[&str])] = &[
            (
                Unregistered,
                &[
                    "Torrent ni najden na sledilniku",
                    "Torrent ne postoji",
                    "Торрент не постоји",
                    "Torrent nie istnieje w bazie",
                    "Torrent neexistuje",
                    "Torrent je bil izbrisan",
                    "Torrent je blokiran",
                    "Torrent ni registriran",
                    "Unrecognised torrent",
                    "Info hash not recognized by this tracker",
                    "Torrent nao reconhecido",
                    "Torrent inativo",
                    "种子未识别",
                    // An identifier between the torrent and the verdict reads as a value.
                    "Torrent with info_hash 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b is unknown here",
                    "Torrent 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d nie został znaleziony",
                ],
            ),
            (
                AccessDenied,
                &[
                    "Uporabnik ne obstaja",
                    "Korisnik nije pronađen",
                    "Użytkownik nie istnieje",
                    "Uživatel je zablokován",
                    "User 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d does not exist",
                    "Račun je onemogočen",
                    "Vaš račun ne obstaja",
                    "Conta bloqueada pelo administrador",
                    "Conta inativa",
                    "Usuario nao encontrado",
                    "Usuário não existe",
                    "Identificação do usuário ausente",
                    "Falta la identificación del usuario",
                    "Download key unknown",
                    "Your torrent client is not recognized",
                    "Cliente não reconhecido",
                    "Klient ni dovoljen",
                    "Tracker URL wrong, download the torrent again from the site",
                    "Announce URL outdated, please redownload the .torrent",
                    "Missing argument: passkey",
                    "Missing key: authkey",
                ],
            ),
            (
                TrackerUnavailable,
                &[
                    "Notranja napaka strežnika",
                    "Napaka pri povezavi s podatkovno bazo",
                    "Greška baze podataka",
                    "Błąd bazy danych",
                    "Chyba databáze",
                    "Peer nije ažuriran",
                    "Peer nie został zapisany",
                    "Torrent nebyl uložen",
                    "Tracker je v vzdrževanju",
                ],
            ),
            (
                BadRequest,
                &[
                    "Request could not be parsed",
                    "Unparsable query string",
                    "Failed to parse announce",
                    "请求解析失败",
                    "Could not parse query",
                    "Dados inválidos",
                    "Datos del cliente incorrectos",
                    "Corrupt data sent by client",
                    "Uploaded cannot be negative",
                    "Left je negativen",
                    "Wartość ujemna: downloaded",
                    "Missing parameters: info_hash, port",
                    "Tracker URL is invalid",
                    "announce URL malformed",
                    "Peer ni bil najden",
                ],
            ),
            (TrackerFailure, &["Scrape não permitido neste tracker"]),
        ];
        assert_classes(cases);
    }

    /// What the fifth set's lexicons must not read into a message: no false `unregistered`, the
    /// precedence kept, and words that only look like the new ones.
    #[test]
    fn the_fifth_sets_lexicons_keep_the_precedence() {
        for (m, want) in [
            // A plain announce URL called invalid is the request's; the same said of the
            // user's copy of the torrent (re-download) is the key refused.
            ("种子的tracker地址错误", BadRequest),
            ("Invalid tracker URL", BadRequest),
            ("Tracker URL invalid: re-download the torrent", AccessDenied),
            // A missing passkey is refused; other missing keys are the request's, and a passkey
            // among several missing parameters too.
            ("Missing key: passkey!", AccessDenied),
            ("Missing key: numwant", BadRequest),
            (
                "Missing parameters: passkey, info_hash, peer_id",
                BadRequest,
            ),
            // A key, user or client not recognised stays refused, not the torrent.
            ("The passkey was not recognised", AccessDenied),
            ("Torrent client not recognised", AccessDenied),
            ("Torrent download key ni najden", AccessDenied),
            // The tracker's failed write, not a torrent withdrawn.
            ("Torrent ni bil izbrisan", TrackerUnavailable),
            // A credit below zero is the user's, not the request's.
            ("Dein Guthaben ist negativ", AccessDenied),
            // "por conta de" (because of) is no account: the torrent decides.
            ("Torrent pendente por conta da moderação", Unregistered),
            // A feature the tracker keeps off, in Portuguese.
            ("Scrape desativado", TrackerFailure),
            // Words that only look like the new subjects or verdicts: hex letters alone stay
            // words, a word ending like an identifier is no identifier.
            ("Dead: no seeders for 30 days", Unregistered),
            ("Dataset updated", TrackerFailure),
            ("Računalnik ne deluje", TrackerFailure),
            ("Conta de uploads atualizada", TrackerFailure),
            ("Prepoznan odjemalec", TrackerFailure),
            // The Laguna peer event texts stay as they were: no peer is "not found" there.
            ("Nepričakovan dogodek Started", TrackerFailure),
            // An unregistered user is refused in the Slavic languages too, and a client "não é
            // reconhecido" (is not recognised) like one "não reconhecido".
            ("Niezarejestrowany użytkownik", AccessDenied),
            ("Neregistrirani korisnik", AccessDenied),
            ("Seu cliente nao e reconhecido", AccessDenied),
            ("O torrent não é reconhecido", Unregistered),
        ] {
            assert_eq!(ErrorClass::classify(FAILURE, m), want, "{m}");
        }
    }

    /// `explain` is `verdict` with the rule in words, for `porla-exporter classify`.
    #[test]
    fn explain_names_the_deciding_rule() {
        let c = Classifier::builtin();
        let (v, rule) = c.explain(FAILURE, "Torrent not found");
        assert_eq!(v, c.verdict(FAILURE, "Torrent not found"));
        assert_eq!(rule, "built-in: unregistered: torrent × absent");
        let (v, rule) = c.explain(FAILURE, "went for a swim");
        assert_eq!((v.class, v.by), (TrackerFailure, Decider::NoPattern));
        assert_eq!(rule, "no pattern matched the tracker's message");
        assert_eq!(c.explain("timed out", "").1, "libtorrent's error text");
        let user =
            Classifier::with_rules(UserRules::parse("mine", "# x\naccess_denied swim").unwrap());
        let (v, rule) = user.explain(FAILURE, "went for a swim");
        assert_eq!((v.class, v.by), (AccessDenied, Decider::UserRule));
        assert_eq!(rule, "mine:2");

        let mut out = Vec::new();
        classify_lines(
            &user,
            &b"went for a swim\r\n\n  \nTorrent not found"[..],
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "access_denied\tmine:2\twent for a swim\n\
             unregistered\tbuilt-in: unregistered: torrent × absent\tTorrent not found\n"
        );
    }
}
