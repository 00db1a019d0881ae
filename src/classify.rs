//! Tracker status and error classes: the bounded vocabularies exported as labels.
//!
//! Raw error texts come from libtorrent, asio, the OS or the tracker itself and vary
//! (docs/porla.md §11); they are never exported. [`ErrorClass::classify`] maps them onto a
//! small fixed set.

use crate::porla::Slot;

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

/// Normalised class of a tracker error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorClass {
    ConnectionRefused,
    Timeout,
    Dns,
    Network,
    Tls,
    Http4xx,
    Http5xx,
    TrackerFailure,
    Unregistered,
    Other,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 10] = [
        ErrorClass::ConnectionRefused,
        ErrorClass::Timeout,
        ErrorClass::Dns,
        ErrorClass::Network,
        ErrorClass::Tls,
        ErrorClass::Http4xx,
        ErrorClass::Http5xx,
        ErrorClass::TrackerFailure,
        ErrorClass::Unregistered,
        ErrorClass::Other,
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
            ErrorClass::TrackerFailure => "tracker_failure",
            ErrorClass::Unregistered => "unregistered",
            ErrorClass::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Classifies libtorrent's `last_error` text and the tracker's `message`.
    pub fn classify(error: &str, message: &str) -> ErrorClass {
        let e = error.to_ascii_lowercase();
        let m = message.to_ascii_lowercase();
        let has = |hay: &str, needles: &[&str]| needles.iter().any(|n| hay.contains(n));

        const UNREGISTERED: &[&str] = &[
            "unregistered",
            "not registered",
            "torrent not found",
            "unknown torrent",
            "torrent does not exist",
            "not authorized",
            "not authorised",
            "info_hash not found",
            "infohash not found",
            "torrent has been deleted",
            "trumped",
        ];
        if has(&m, UNREGISTERED) || has(&e, UNREGISTERED) {
            return ErrorClass::Unregistered;
        }
        if e.contains("failure message") || (!m.is_empty() && e.contains("tracker")) {
            return ErrorClass::TrackerFailure;
        }
        if has(&e, &["refused"]) {
            return ErrorClass::ConnectionRefused;
        }
        if has(&e, &["timed out", "timeout", "timer expired"]) {
            return ErrorClass::Timeout;
        }
        if has(
            &e,
            &[
                "host not found",
                "name or service",
                "no address associated",
                "name resolution",
                "resolve",
                "nodename",
            ],
        ) {
            return ErrorClass::Dns;
        }
        if has(&e, &["ssl", "tls", "certificate", "handshake"]) {
            return ErrorClass::Tls;
        }
        if let Some(code) = http_status(&e) {
            return if code >= 500 {
                ErrorClass::Http5xx
            } else {
                ErrorClass::Http4xx
            };
        }
        if has(
            &e,
            &[
                "internal server error",
                "bad gateway",
                "service unavailable",
                "gateway timeout",
            ],
        ) {
            return ErrorClass::Http5xx;
        }
        if has(
            &e,
            &[
                "not found",
                "forbidden",
                "unauthorized",
                "bad request",
                "too many requests",
                "gone",
            ],
        ) {
            return ErrorClass::Http4xx;
        }
        if has(
            &e,
            &[
                "unreachable",
                "reset",
                "end of file",
                "broken pipe",
                "no route",
                "aborted",
                "network is down",
            ],
        ) {
            return ErrorClass::Network;
        }
        ErrorClass::Other
    }
}

/// A 4xx/5xx status code standing alone in an error text ("HTTP 503", "error 404: ...").
fn http_status(e: &str) -> Option<u16> {
    e.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|c| (400..600).contains(c))
        .filter(|_| e.contains("http") || e.contains("error") || e.len() <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass::*;

    #[test]
    fn real_porla_errors_classify() {
        assert_eq!(
            ErrorClass::classify("Connection refused", ""),
            ConnectionRefused
        );
        assert_eq!(ErrorClass::classify("timed out", ""), Timeout);
        assert_eq!(
            ErrorClass::classify(
                "tracker sent a failure message",
                "Requested download is not authorized for use with this tracker."
            ),
            Unregistered
        );
        assert_eq!(
            ErrorClass::classify("tracker sent a failure message", "Rate limited, slow down"),
            TrackerFailure
        );
        assert_eq!(
            ErrorClass::classify("tracker sent a failure message", "Unregistered torrent"),
            Unregistered
        );
        assert_eq!(
            ErrorClass::classify("Host not found (authoritative)", ""),
            Dns
        );
        assert_eq!(ErrorClass::classify("Service Unavailable", ""), Http5xx);
        assert_eq!(ErrorClass::classify("HTTP error 502", ""), Http5xx);
        assert_eq!(ErrorClass::classify("Not Found", ""), Http4xx);
        assert_eq!(ErrorClass::classify("certificate verify failed", ""), Tls);
        assert_eq!(ErrorClass::classify("Network is unreachable", ""), Network);
        assert_eq!(ErrorClass::classify("something odd", ""), Other);
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
}
