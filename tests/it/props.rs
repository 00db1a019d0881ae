//! Property tests over everything that meets untrusted input: decoding Porla's answers,
//! tracker-URL redaction, label cleaning and exposition, and the folding rules of
//! docs/metrics.md ("Folding endpoints and protocols").

use crate::support;

use std::cell::RefCell;
use std::collections::HashSet;

use porla_exporter::classify::{ErrorClass, Status};
use porla_exporter::porla::{decode_envelope, TorrentsPage, TrackerList};
use porla_exporter::redact::redact_tracker_url;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use support::fake_porla::{list_item, FakeAuth, FakePorla, FakeTorrent};
use support::{poll_config, sample, Exporter, CAPTURE_TIME};

/// A marker planted in answers: no error text may repeat it.
const MARK: &str = "SECRETMARK";

// ---------------------------------------------------------------------------------------
// Decoding: JSON texts built from the real shapes, any field replaced by any value, absent
// or null, extra keys, huge numbers, invalid UTF-8.

fn json_leaf() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        Just(b"null".to_vec()),
        any::<bool>().prop_map(|b| b.to_string().into_bytes()),
        any::<i64>().prop_map(|n| n.to_string().into_bytes()),
        any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::to_vec(&f).unwrap()),
        prop::sample::select(vec![
            "-1",
            "-2",
            "-2147483648",
            "2147483648",
            "18446744073709551616",
            "-9223372036854775809",
            "1e400",
            "-1e400",
            "1e-400",
            "123456789012345678901234567890.5",
            "-0",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        any::<String>().prop_map(|s| serde_json::to_vec(&s).unwrap()),
        "[a-z]{0,8}".prop_map(|s| serde_json::to_vec(&format!(
            "https://t.example/announce?passkey={MARK}{s}"
        ))
        .unwrap()),
        // A string literal holding invalid UTF-8.
        prop::collection::vec(any::<u8>(), 0..24).prop_map(|mut b| {
            b.retain(|c| *c != b'"' && *c != b'\\' && *c >= 0x20);
            b.push(0xff);
            let mut out = b"\"".to_vec();
            out.extend(b);
            out.push(b'"');
            out
        }),
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "fails",
            "last_error",
            "message",
            "info_hash",
            "result",
            "error",
            "trackers",
            "torrents",
            "url",
            "endpoints",
            "info_hashes",
            "code",
            "name",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{0,10}",
    ]
    .boxed()
}

/// One key and its JSON text, or the key left out.
type Field = Option<(String, Vec<u8>)>;

fn object(fields: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let mut out = b"{".to_vec();
    for (i, (k, v)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend(serde_json::to_vec(&k).unwrap());
        out.push(b':');
        out.extend(v);
    }
    out.push(b'}');
    out
}

fn array(items: Vec<Vec<u8>>) -> Vec<u8> {
    let mut out = b"[".to_vec();
    out.extend(items.join(&b","[..]));
    out.push(b']');
    out
}

fn json_value() -> BoxedStrategy<Vec<u8>> {
    json_leaf()
        .prop_recursive(3, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(array),
                prop::collection::vec((key(), inner), 0..4).prop_map(object),
            ]
        })
        .boxed()
}

/// An object of the real shape: each known key absent, kept, or replaced by any value, plus
/// extra keys.
fn shaped(
    template: Value,
    children: Vec<(&'static str, BoxedStrategy<Vec<u8>>)>,
) -> BoxedStrategy<Vec<u8>> {
    let Value::Object(map) = template else {
        unreachable!()
    };
    let mut fields: Vec<BoxedStrategy<Field>> = Vec::new();
    for (k, v) in map {
        let real = serde_json::to_vec(&v).unwrap();
        let child = children
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, s)| s.clone());
        let kept = match child {
            Some(s) => s,
            None => Just(real).boxed(),
        };
        let k2 = k.clone();
        fields.push(
            prop_oneof![
                1 => Just(None),
                6 => kept.prop_map(move |v| Some((k.clone(), v))),
                2 => json_value().prop_map(move |v| Some((k2.clone(), v))),
            ]
            .boxed(),
        );
    }
    (fields, prop::collection::vec((key(), json_value()), 0..2))
        .prop_map(|(known, extra)| object(known.into_iter().flatten().chain(extra).collect()))
        .boxed()
}

fn slot_json() -> BoxedStrategy<Vec<u8>> {
    shaped(
        json!({
            "complete_sent": false, "fails": 2, "last_error": {"message": "Connection refused", "value": 111},
            "message": "", "min_announce": 1795683202, "next_announce": 1795684958,
            "scrape_complete": 1, "scrape_downloaded": -1, "scrape_incomplete": 0,
            "start_sent": true, "updating": false
        }),
        vec![],
    )
}

fn trackers_answer() -> BoxedStrategy<Vec<u8>> {
    let endpoint = shaped(
        json!({"enabled": true, "info_hashes": [], "local_endpoint": ["192.168.1.10", 6881]}),
        vec![(
            "info_hashes",
            prop::collection::vec(slot_json(), 0..3)
                .prop_map(array)
                .boxed(),
        )],
    );
    let tracker = shaped(
        json!({"endpoints": [], "fail_limit": 0, "source": 1, "tier": 0, "trackerid": "",
               "url": "https://t.example/SECRETMARK0123456789abcdef/announce", "verified": true}),
        vec![(
            "endpoints",
            prop::collection::vec(endpoint, 0..3)
                .prop_map(array)
                .boxed(),
        )],
    );
    let result = shaped(
        json!({"trackers": []}),
        vec![(
            "trackers",
            prop::collection::vec(tracker, 0..3).prop_map(array).boxed(),
        )],
    );
    envelope(result)
}

fn torrents_answer() -> BoxedStrategy<Vec<u8>> {
    let mut item = list_item(Some(&"ab".repeat(20)), None, "name");
    item["category"] = json!("tv");
    let item = shaped(item, vec![]);
    let result = shaped(
        json!({"order_by": "queue_position", "page": 0, "page_size": 50, "torrents": [], "torrents_total": 3}),
        vec![(
            "torrents",
            prop::collection::vec(item, 0..3).prop_map(array).boxed(),
        )],
    );
    envelope(result)
}

fn envelope(result: BoxedStrategy<Vec<u8>>) -> BoxedStrategy<Vec<u8>> {
    let error = shaped(
        json!({"code": -1, "data": null, "message": "Torrent not found"}),
        vec![],
    );
    prop_oneof![
        6 => shaped(json!({"id": 1, "jsonrpc": "2.0", "result": null}), vec![("result", result)]),
        1 => shaped(json!({"id": 1, "jsonrpc": "2.0", "error": null}), vec![("error", error)]),
        1 => json_value(),
        // Cut anywhere.
        1 => (trackers_placeholder(), any::<prop::sample::Index>()).prop_map(|(b, i)| {
            let n = i.index(b.len() + 1);
            b[..n].to_vec()
        }),
    ]
    .boxed()
}

fn trackers_placeholder() -> BoxedStrategy<Vec<u8>> {
    Just(
        std::fs::read(
            support::fake_porla::fixtures_dir()
                .join("porla/samples/torrents.trackers.list-mixed.json"),
        )
        .unwrap(),
    )
    .boxed()
}

fn check_error(e: &porla_exporter::porla::Error) -> Result<(), TestCaseError> {
    prop_assert!(
        ["decode", "rpc_error", "not_found"].contains(&e.class()),
        "untyped failure: {e:?}"
    );
    prop_assert!(
        !e.to_string().contains(MARK),
        "answer text in an error: {e}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    /// Decoding never panics; a failure is a typed error that repeats no text of the answer;
    /// everything read from a decoded answer can be used.
    #[test]
    fn decoding_trackers_answers_never_panics(body in trackers_answer()) {
        match decode_envelope::<TrackerList>(&body) {
            Ok(list) => {
                for t in &list.trackers {
                    let r = redact_tracker_url(&t.url);
                    prop_assert!(!r.redacted.contains(MARK) && !r.host.contains(MARK), "{r:?}");
                    for e in &t.endpoints {
                        let _ = (e.address(), e.is_loopback());
                        for s in &e.info_hashes {
                            let _ = (s.seeders(), s.leechers(), s.downloaded(), s.next_announce(), s.min_announce());
                            let _ = ErrorClass::classify(s.error_text().unwrap_or(""), &s.message);
                            let _ = Status::of_slot(s);
                        }
                    }
                }
            }
            Err(e) => check_error(&e)?,
        }
    }

    #[test]
    fn decoding_torrent_pages_never_panics(body in torrents_answer()) {
        match decode_envelope::<TorrentsPage>(&body) {
            Ok(page) => {
                for t in &page.torrents {
                    let (v1, v2) = t.hashes();
                    prop_assert!(v1.is_none_or(|h| h.len() == 40) && v2.is_none_or(|h| h.len() == 64));
                    let _ = t.is_paused();
                }
            }
            Err(e) => check_error(&e)?,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Redaction: a secret in any documented place never survives, whatever the URL's length.

fn secret() -> BoxedStrategy<String> {
    prop_oneof![
        "[0-9a-f]{32}",
        "[0-9a-f]{40}",
        "[A-Za-z0-9]{24,64}",
        "[A-Za-z0-9_-]{8,23}",
    ]
    .prop_filter("a key mixes letters and digits", |s| {
        s.chars().any(|c| c.is_ascii_digit()) && s.chars().any(|c| c.is_ascii_alphabetic())
    })
    .boxed()
}

fn host() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-z]{1,12}(\\.[a-z]{2,6}){1,2}",
        "(25[0-5]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|1[0-9][0-9]|[1-9]?[0-9])){3}",
        Just("[2001:db8::1]".to_owned()),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(Config { cases: 1024, failure_persistence: None, ..Config::default() })]

    #[test]
    fn secrets_never_survive_redaction(
        scheme in prop::sample::select(vec!["http", "https", "udp", "HTTPS"]),
        host in host(),
        port in prop::option::of(1u16..),
        pad in prop::collection::vec("[a-z]{1,10}", 0..40),
        secret in secret(),
        qvalue in "[A-Za-z0-9%._~-]{1,64}",
        qname in prop_oneof![
            prop::sample::select(vec!["passkey", "authkey", "pk", "PASSKEY", "torrent_pass", "key"]).prop_map(str::to_owned),
            "[a-z_]{1,12}",
        ],
        place in 0usize..6,
        before in "(&[a-z_]{1,8}=[a-z0-9]{0,8}){0,3}",
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let pad: String = pad.iter().map(|s| format!("/{s}")).collect();
        let base = format!("{scheme}://{host}{port}{pad}");
        let (url, hidden) = match place {
            0 => (format!("{base}/announce/{secret}"), secret.clone()),
            1 => (format!("{base}/{secret}/announce"), secret.clone()),
            2 => (format!("{base}/announce.php?info_hash=x{before}&{qname}=SeCrEt{qvalue}"), format!("SeCrEt{qvalue}")),
            3 => (format!("{base}/announce?{qname}=SeCrEt{qvalue}{before}"), format!("SeCrEt{qvalue}")),
            4 => (format!("{scheme}://user:{secret}@{host}{port}{pad}/announce"), secret.clone()),
            _ => (format!("{base}/announce#{secret}"), secret.clone()),
        };
        let r = redact_tracker_url(&url);
        for label in [&r.redacted, &r.host] {
            prop_assert!(!label.contains(&hidden), "{url} -> {label}");
            // Nor a recognisable part of it (a cut label keeps no half key either).
            if hidden.len() >= 16 {
                prop_assert!(!label.contains(&hidden[..12]), "{url} -> {label}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Through the real wiring: the fake Porla answers generated torrents, the exporter polls
// them and the scrape is read back.

struct Rig {
    rt: tokio::runtime::Runtime,
    porla: FakePorla,
    exp: RefCell<Exporter>,
}

fn rig() -> Rig {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (porla, exp) = rt.block_on(async {
        let porla = FakePorla::start(Vec::new(), FakeAuth::Disabled).await;
        // The detail gauges too (min announce, updating): the folding rules below cover them.
        let mut poll = poll_config();
        poll.view.tracker_details = true;
        let exp = support::exporter(&porla.url(), porla_exporter::porla::Auth::None, poll).await;
        (porla, exp)
    });
    Rig {
        rt,
        porla,
        exp: RefCell::new(exp),
    }
}

impl Rig {
    fn scrape(&self, torrents: Vec<FakeTorrent>) -> String {
        self.porla.set_torrents(torrents);
        let mut exp = self.exp.borrow_mut();
        self.rt.block_on(exp.poll_and_scrape())
    }
}

/// One parsed sample: name, labels in order, value.
type Parsed = (String, Vec<(String, String)>, f64);

/// A strict reader of the text exposition format: every line is a comment or a sample with
/// a valid name, valid label names, properly escaped label values and a number.
fn parse_exposition(body: &str) -> Result<Vec<Parsed>, String> {
    let name_ok = |s: &str, colon: bool| {
        let mut c = s.chars();
        c.next()
            .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || (colon && f == ':'))
            && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || (colon && x == ':'))
    };
    let mut out = Vec::new();
    for line in body.lines() {
        if line.is_empty() {
            return Err("empty line".into());
        }
        if let Some(rest) = line.strip_prefix('#') {
            let mut w = rest.split_whitespace();
            match w.next() {
                Some("HELP" | "TYPE" | "UNIT") => {
                    if !w.next().is_some_and(|n| name_ok(n, true)) {
                        return Err(format!("bad comment: {line}"));
                    }
                }
                Some("EOF") => {}
                _ => return Err(format!("bad comment: {line}")),
            }
            continue;
        }
        let end = line
            .find(['{', ' '])
            .ok_or_else(|| format!("no value: {line}"))?;
        let name = &line[..end];
        if !name_ok(name, true) {
            return Err(format!("bad metric name: {line}"));
        }
        let mut rest = &line[end..];
        let mut labels = Vec::new();
        if let Some(r) = rest.strip_prefix('{') {
            rest = r;
            loop {
                if let Some(r) = rest.strip_prefix('}') {
                    rest = r;
                    break;
                }
                let eq = rest
                    .find('=')
                    .ok_or_else(|| format!("bad labels: {line}"))?;
                let lname = &rest[..eq];
                if !name_ok(lname, false) {
                    return Err(format!("bad label name {lname:?}: {line}"));
                }
                rest = rest[eq + 1..]
                    .strip_prefix('"')
                    .ok_or_else(|| format!("unquoted label value: {line}"))?;
                let mut value = String::new();
                let mut chars = rest.char_indices();
                let close = loop {
                    match chars.next() {
                        Some((i, '"')) => break i,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, '\\')) => value.push('\\'),
                            Some((_, '"')) => value.push('"'),
                            Some((_, 'n')) => value.push('\n'),
                            other => return Err(format!("bad escape {other:?}: {line}")),
                        },
                        Some((_, c)) => value.push(c),
                        None => return Err(format!("unterminated label value: {line}")),
                    }
                };
                labels.push((lname.to_owned(), value));
                rest = &rest[close + 1..];
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
        }
        let mut w = rest
            .strip_prefix(' ')
            .ok_or_else(|| format!("no space before the value: {line}"))?
            .split(' ');
        let value = w.next().unwrap_or("");
        let v: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            v => v.parse().map_err(|_| format!("bad value {v:?}: {line}"))?,
        };
        if let Some(ts) = w.next() {
            ts.parse::<f64>()
                .map_err(|_| format!("bad timestamp: {line}"))?;
        }
        if w.next().is_some() {
            return Err(format!("trailing text: {line}"));
        }
        out.push((name.to_owned(), labels, v));
    }
    Ok(out)
}

fn v1(i: usize) -> String {
    format!("{:040x}", 0xabc0_0000 + i)
}

fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[\\\\\"\n\t\r{},= a-zA-Z\u{0}-\u{1f}\u{7f}\u{200b}\u{fffd}é]{0,40}",
        "[a-z]{150,320}",
    ]
    .boxed()
}

fn hostile_torrent(i: usize) -> BoxedStrategy<FakeTorrent> {
    let url = prop_oneof![
        any_text(),
        (any_text(), 0u32..3).prop_map(|(s, k)| match k {
            0 => format!("https://t.example/announce/{MARK}0123456789abcdef?x={s}"),
            1 => format!("udp://{s}:80/announce?passkey={MARK}"),
            _ => format!("http://t.example/{s}/announce"),
        }),
    ];
    let tracker = (url, 0i64..2, any_text(), any_text(), any::<bool>()).prop_map(
        |(url, tier, message, error, failing)| {
            let mut s = support::fake_porla::slot(
                if failing { 3 } else { 0 },
                failing.then_some(error.as_str()),
                !failing,
                5,
                2,
                CAPTURE_TIME as i64 + 600,
            );
            s["message"] = json!(message);
            support::fake_porla::tracker(&url, tier, s, support::fake_porla::unused_slot())
        },
    );
    (
        any_text(),
        prop::option::of(any_text()),
        any_text(),
        prop::collection::vec(tracker, 0..4),
    )
        .prop_map(move |(name, category, session, trackers)| {
            let mut item = list_item(Some(&v1(i)), None, &name);
            match category {
                Some(c) => item["category"] = json!(c),
                None => {
                    item.as_object_mut().unwrap().remove("category");
                }
            }
            item["session"] = json!(session);
            FakeTorrent {
                item,
                trackers: json!({ "trackers": trackers }),
            }
        })
        .boxed()
}

#[test]
fn any_names_urls_and_messages_give_a_scrape_that_parses_without_duplicates() {
    let rig = rig();
    let torrents = (1usize..5).prop_flat_map(|n| (0..n).map(hostile_torrent).collect::<Vec<_>>());
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&torrents, |torrents| {
            let n = torrents.len();
            let body = rig.scrape(torrents);
            let parsed = parse_exposition(&body).map_err(TestCaseError::fail)?;
            let mut seen = HashSet::new();
            for (name, labels, _) in &parsed {
                let mut key = labels.clone();
                key.sort();
                let mut names: Vec<_> = labels.iter().map(|(k, _)| k).collect();
                names.sort();
                prop_assert!(
                    names.windows(2).all(|w| w[0] != w[1]),
                    "a label twice: {name} {labels:?}"
                );
                prop_assert!(
                    seen.insert((name.clone(), key)),
                    "duplicate series {name} {labels:?}"
                );
                for (_, v) in labels {
                    prop_assert!(v.chars().count() <= 200, "uncapped label {v:?}");
                    prop_assert!(
                        !v.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                        "control character in {v:?}"
                    );
                }
            }
            prop_assert!(!body.contains(MARK), "a secret reached the scrape");
            prop_assert_eq!(sample(&body, "porla_up"), Some(1.0));
            prop_assert_eq!(
                parsed
                    .iter()
                    .filter(|(n, _, _)| n == "porla_torrent_info")
                    .count(),
                n
            );
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// Folding: any endpoints and slots, checked against docs/metrics.md's rules computed here.

#[derive(Clone, Debug)]
struct GenSlot {
    fails: i64,
    error: bool,
    updating: bool,
    start_sent: bool,
    seeds: i64,
    leechers: i64,
    next: i64,
    min: i64,
}

#[derive(Clone, Debug)]
struct GenEndpoint {
    enabled: bool,
    loopback: bool,
    slots: Vec<GenSlot>,
}

const UNSET: i64 = i32::MIN as i64;

fn gen_slot() -> impl Strategy<Value = GenSlot> {
    let time = prop_oneof![
        Just(UNSET),
        Just(0i64),
        (CAPTURE_TIME as i64 - 3600)..(CAPTURE_TIME as i64 + 3600)
    ];
    let count = prop_oneof![Just(-1i64), 0i64..1000];
    (
        -1i64..5,
        any::<bool>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
        count.clone(),
        count,
        time.clone(),
        time,
    )
        .prop_map(
            |(fails, error, updating, start_sent, seeds, leechers, next, min)| GenSlot {
                fails,
                error,
                updating,
                start_sent,
                seeds,
                leechers,
                next,
                min,
            },
        )
}

fn gen_endpoint() -> impl Strategy<Value = GenEndpoint> {
    (
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.3),
        prop::collection::vec(gen_slot(), 0..3),
    )
        .prop_map(|(enabled, loopback, slots)| GenEndpoint {
            enabled,
            loopback,
            slots,
        })
}

/// Per-slot status, as docs/metrics.md states it.
fn doc_status(s: &GenSlot) -> &'static str {
    if s.updating {
        "updating"
    } else if s.fails > 0 && s.error {
        "error"
    } else if s.start_sent {
        "working"
    } else if s.next == UNSET || s.next <= 0 {
        "inactive"
    } else {
        "queued"
    }
}

fn rank(status: &str) -> usize {
    ["working", "updating", "queued", "error", "inactive"]
        .iter()
        .position(|s| *s == status)
        .unwrap()
}

/// (has_v1, has_v2, endpoints) of one torrent.
type FoldCase = (bool, bool, Vec<GenEndpoint>);

fn fold_torrent(i: usize, (has_v1, has_v2, eps): &FoldCase) -> FakeTorrent {
    let v2 = format!("{:064x}", 0xdef0_0000usize + i);
    let (a, b) = (has_v1.then(|| v1(i)), has_v2.then_some(v2));
    let item = list_item(a.as_deref(), b.as_deref(), &format!("fold-{i}"));
    let endpoints: Vec<Value> = eps
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let ip = match (e.loopback, n % 2) {
                (true, 0) => "127.0.0.1".to_owned(),
                (true, _) => "::1".to_owned(),
                (false, 0) => format!("10.0.0.{}", n + 1),
                (false, _) => format!("2001:db8::{}", n + 1),
            };
            let slots: Vec<Value> = e
                .slots
                .iter()
                .map(|s| {
                    json!({
                        "complete_sent": false, "fails": s.fails,
                        "last_error": if s.error { json!("Connection refused") } else { Value::Null },
                        "message": "", "min_announce": s.min, "next_announce": s.next,
                        "scrape_complete": s.seeds, "scrape_downloaded": -1,
                        "scrape_incomplete": s.leechers, "start_sent": s.start_sent,
                        "updating": s.updating
                    })
                })
                .collect();
            json!({"enabled": e.enabled, "info_hashes": slots, "local_endpoint": [ip, 6881 + n]})
        })
        .collect();
    let tracker = json!({
        "endpoints": endpoints, "fail_limit": 0, "source": 1, "tier": 0, "trackerid": "",
        "url": format!("http://fold{i}.example/announce"), "verified": true
    });
    FakeTorrent {
        item,
        trackers: json!({ "trackers": [tracker] }),
    }
}

/// The slots docs/metrics.md says count.
fn usable(case: &FoldCase) -> Vec<&GenSlot> {
    let (has_v1, has_v2, eps) = case;
    let enabled: Vec<_> = eps.iter().filter(|e| e.enabled).collect();
    let any_public = enabled.iter().any(|e| !e.loopback);
    enabled
        .into_iter()
        .filter(|e| !(any_public && e.loopback))
        .flat_map(|e| {
            [(0, *has_v1), (1, *has_v2)]
                .into_iter()
                .filter(|(_, has)| *has)
                .filter_map(|(i, _)| e.slots.get(i))
        })
        .collect()
}

#[test]
fn folded_values_follow_the_documented_rules() {
    let rig = rig();
    let case = prop_oneof![Just((true, false)), Just((false, true)), Just((true, true))]
        .prop_flat_map(|(a, b)| {
            prop::collection::vec(gen_endpoint(), 0..4).prop_map(move |eps| (a, b, eps))
        });
    let cases = prop::collection::vec(case, 1..4);
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&cases, |cases| {
            let torrents = cases.iter().enumerate().map(|(i, c)| fold_torrent(i, c)).collect();
            let body = rig.scrape(torrents);
            for (i, case) in cases.iter().enumerate() {
                let key = if case.0 { v1(i) } else { format!("{:064x}", 0xdef0_0000usize + i) };
                let labels = format!(
                    "{{info_hash=\"{key}\",tracker_host=\"fold{i}.example\",tracker=\"http://fold{i}.example/announce\",tier=\"0\""
                );
                let get = |metric: &str| sample(&body, &format!("{metric}{labels}}}"));
                let slots = usable(case);
                let status = slots
                    .iter()
                    .map(|s| doc_status(s))
                    .min_by_key(|s| rank(s))
                    .unwrap_or("inactive");
                let got_status = sample(
                    &body,
                    &format!("porla_tracker_status{labels},status=\"{status}\"}}"),
                );
                prop_assert_eq!(got_status, Some(1.0), "status {} for {:?}", status, case);
                let expect = |v: Option<i64>| v.map(|n| n as f64);
                prop_assert_eq!(
                    get("porla_tracker_fails"),
                    expect(slots.iter().map(|s| s.fails.max(0)).min()),
                    "fails {:?}", case
                );
                prop_assert_eq!(
                    get("porla_tracker_scrape_complete"),
                    expect(slots.iter().map(|s| s.seeds).filter(|n| *n >= 0).max()),
                    "seeders {:?}", case
                );
                prop_assert_eq!(
                    get("porla_tracker_scrape_incomplete"),
                    expect(slots.iter().map(|s| s.leechers).filter(|n| *n >= 0).max()),
                    "leechers {:?}", case
                );
                let time = |t: i64| (t != UNSET && t > 0).then_some(t);
                prop_assert_eq!(
                    get("porla_tracker_next_announce_timestamp_seconds"),
                    expect(slots.iter().filter_map(|s| time(s.next)).min()),
                    "next announce {:?}", case
                );
                prop_assert_eq!(
                    get("porla_tracker_min_announce_timestamp_seconds"),
                    expect(slots.iter().filter_map(|s| time(s.min)).min()),
                    "min announce {:?}", case
                );
                prop_assert_eq!(
                    get("porla_tracker_updating"),
                    Some(if slots.iter().any(|s| s.updating) { 1.0 } else { 0.0 }),
                    "updating {:?}", case
                );
            }
            Ok(())
        })
        .unwrap();
}
