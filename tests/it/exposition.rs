//! The exposition stays valid whatever Porla sends: a strict parser reads every line, label
//! values round-trip through the escaping, no series is duplicated, and the server negotiates
//! the format and compression.

use crate::support;

use std::collections::HashSet;
use std::io::Read;

use porla_exporter::porla::Auth;
use porla_exporter::redact::{clean_label, MAX_LONG_LABEL};
use support::fake_porla::{
    hostile_torrents, sample_torrents, synthetic_torrents, FakeAuth, FakePorla,
};
use support::*;

#[derive(Debug)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
}

fn valid_name(n: &str) -> bool {
    let mut c = n.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_' || ch == ':')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
}

/// Parses one sample line strictly (text format 0.0.4 / OpenMetrics label syntax).
fn parse_sample(line: &str) -> Result<Sample, String> {
    let (name, rest) = match line.find(['{', ' ']) {
        Some(i) => line.split_at(i),
        None => return Err("no value".into()),
    };
    if !valid_name(name) {
        return Err(format!("bad metric name {name:?}"));
    }
    let mut labels = Vec::new();
    let mut chars = rest.chars().peekable();
    if chars.peek() == Some(&'{') {
        chars.next();
        loop {
            if chars.peek() == Some(&'}') {
                chars.next();
                break;
            }
            let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=')).collect();
            if !valid_name(&key) || chars.next() != Some('=') || chars.next() != Some('"') {
                return Err(format!("bad label start {key:?}"));
            }
            let mut value = String::new();
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some('\\') => value.push('\\'),
                        Some('"') => value.push('"'),
                        Some('n') => value.push('\n'),
                        other => return Err(format!("bad escape {other:?}")),
                    },
                    Some('"') => break,
                    Some('\n') => return Err("raw newline in a label value".into()),
                    Some(c) => value.push(c),
                    None => return Err("unterminated label value".into()),
                }
            }
            labels.push((key, value));
            match chars.next() {
                Some(',') => {}
                Some('}') => break,
                other => return Err(format!("expected , or }} got {other:?}")),
            }
        }
    }
    let value: String = chars.collect();
    let value = value.trim_start();
    if value.is_empty() || value.contains(' ') || value.parse::<f64>().is_err() {
        return Err(format!("bad value {value:?}"));
    }
    Ok(Sample {
        name: name.to_owned(),
        labels,
    })
}

/// Checks a whole text-format body; returns its samples.
fn check_text(body: &str) -> Vec<Sample> {
    let mut typed = HashSet::new();
    let mut series = HashSet::new();
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().unwrap().to_owned();
            assert!(
                typed.insert(name.clone()),
                "line {i}: second TYPE for {name}"
            );
            continue;
        }
        if line.starts_with("# HELP ") || line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        assert!(!line.starts_with('#'), "line {i}: unknown comment {line:?}");
        let s = parse_sample(line).unwrap_or_else(|e| panic!("line {i}: {e}: {line:?}"));
        let family = ["_total", "_info", "_bucket", "_sum", "_count", "_created"]
            .iter()
            .find_map(|suf| s.name.strip_suffix(suf).filter(|b| typed.contains(*b)));
        assert!(
            typed.contains(&s.name) || family.is_some(),
            "line {i}: sample before its TYPE: {line}"
        );
        let mut keys: Vec<_> = s.labels.iter().map(|(k, _)| k.clone()).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "line {i}: repeated label name");
        assert!(
            series.insert(format!("{}{:?}", s.name, s.labels)),
            "line {i}: duplicate series {line}"
        );
        out.push(s);
    }
    out
}

async fn hostile_exporter() -> (FakePorla, Exporter) {
    let porla = FakePorla::start(hostile_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    (porla, exp)
}

#[tokio::test]
async fn hostile_strings_round_trip_through_both_formats() {
    let (porla, exp) = hostile_exporter().await;
    let original = porla.torrents()[0].item["name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(original.contains('"') && original.contains('\\') && original.contains('\n'));
    for accept in [None, Some("application/openmetrics-text; version=1.0.0")] {
        let r = get(&format!("{}/metrics", exp.url), accept).await;
        let samples = check_text(&r.body);
        let info = samples
            .iter()
            .find(|s| {
                s.name == "porla_torrent_info"
                    && s.labels[0].1 == "1111111111111111111111111111111111111111"
            })
            .expect("hostile torrent exported");
        assert_eq!(
            info.labels[1].1,
            clean_label(&original, MAX_LONG_LABEL),
            "name survives escaping"
        );
        assert_eq!(info.labels[3].1, "tv\"\\", "category survives escaping");
        assert!(info.labels[1].1.chars().count() <= MAX_LONG_LABEL);
    }
}

#[tokio::test]
async fn every_label_value_is_capped() {
    let (_porla, exp) = hostile_exporter().await;
    for s in check_text(&exp.metrics().await) {
        for (k, v) in s.labels {
            assert!(v.chars().count() <= MAX_LONG_LABEL, "{k} too long");
        }
    }
}

#[tokio::test]
async fn synthetic_load_has_no_duplicate_series_in_any_mode() {
    let porla = FakePorla::start(
        synthetic_torrents(300, 3, CAPTURE_TIME as i64, 1800),
        FakeAuth::Disabled,
    )
    .await;
    for per_endpoint in [false, true] {
        let mut poll = poll_config();
        poll.page_size = 50;
        poll.view.per_endpoint = per_endpoint;
        let mut exp = exporter(&porla.url(), Auth::None, poll).await;
        let body = exp.poll_and_scrape().await;
        let samples = check_text(&body);
        assert!(samples.len() > 3000, "{}", samples.len());
        assert!(!body.contains("announce/0"), "passkey path segment leaked");
    }
}

#[tokio::test]
async fn format_negotiation() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    let url = format!("{}/metrics", exp.url);

    let text = get(&url, Some("text/plain")).await;
    assert_eq!(
        text.headers["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert!(!text.body.contains("# EOF"));
    assert!(text
        .body
        .contains("# TYPE porla_exporter_polls_total counter"));

    // What Prometheus sends.
    let om = get(&url, Some("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")).await;
    assert!(om.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text; version=1.0.0"));
    assert!(om.body.ends_with("# EOF\n"));
    assert!(om.body.contains("# TYPE porla_exporter_polls counter"));
}

#[tokio::test]
async fn gzip_when_accepted() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    let url = format!("{}/metrics", exp.url);
    let plain = get_gzip(&url, None).await;
    assert!(plain.contains("porla_up 1"));
    let resp = reqwest::Client::new()
        .get(&url)
        .header("Accept-Encoding", "gzip;q=0, identity")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
    let identity = resp.text().await.unwrap();
    assert_eq!(
        stable(&identity),
        stable(&plain),
        "the first gzip member alone holds the whole text"
    );
    assert!(!samples_of(&plain, "porla_tracker_status").is_empty());
}

/// A gzip scrape (with `accept` as the Accept header, if any): it must come gzipped, as one
/// member; returns the text.
async fn get_gzip(url: &str, accept: Option<&str>) -> String {
    let mut req = reqwest::Client::new()
        .get(url)
        .header("Accept-Encoding", "gzip");
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    one_member(&resp.bytes().await.unwrap())
}

/// Decodes the first gzip member only (what browsers, curl and many HTTP libraries read),
/// checking its CRC-32 and length, and that nothing follows it.
fn one_member(bytes: &[u8]) -> String {
    let mut d = flate2::bufread::GzDecoder::new(bytes);
    let mut plain = String::new();
    d.read_to_string(&mut plain).expect("one valid gzip member");
    assert!(
        d.into_inner().is_empty(),
        "one gzip member, nothing after it"
    );
    plain
}

/// Gzip scrapes reuse the snapshot part compressed once per poll: it must follow every poll,
/// and the OpenMetrics form must still end with `# EOF`.
#[tokio::test]
async fn gzip_cache_follows_each_poll() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let url = format!("{}/metrics", exp.url);
    let gz = |accept| get_gzip(&url, Some(accept));
    exp.poller.cycle().await;
    let gone = porla.torrents()[0].info_hash()[0]
        .as_str()
        .unwrap()
        .to_owned();
    let first = gz("text/plain").await;
    assert!(first.contains(&gone));
    assert_eq!(first, gz("text/plain").await, "cached between polls");
    porla.set_torrents(porla.torrents()[1..].to_vec());
    exp.poller.cycle().await;
    let second = gz("text/plain").await;
    assert!(!second.contains(&gone), "a new poll, a new cache");
    assert!(second.contains("porla_exporter_polls_total{result=\"success\"} 2"));
    let om = gz("application/openmetrics-text; version=1.0.0").await;
    assert!(
        om.ends_with("# EOF\n") && om.matches("# EOF").count() == 1,
        "{}",
        &om[om.len() - 200..]
    );
}

#[tokio::test]
async fn other_endpoints() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let calls_before = porla.calls().len();
    assert_eq!(
        get(&format!("{}/-/healthy", exp.url), None).await.status,
        200
    );
    assert_eq!(
        get(&format!("{}/-/ready", exp.url), None).await.status,
        503,
        "not ready before a poll"
    );
    let landing = get(&format!("{}/", exp.url), None).await;
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("href=\"/metrics\""));
    assert_eq!(get(&format!("{}/nope", exp.url), None).await.status, 404);
    let before_poll = exp.metrics().await;
    assert_eq!(sample(&before_poll, "porla_up"), Some(0.0));
    assert_eq!(
        porla.calls().len(),
        calls_before,
        "serving never calls Porla"
    );
    exp.poller.cycle().await;
    assert_eq!(get(&format!("{}/-/ready", exp.url), None).await.status, 200);
    let post = reqwest::Client::new()
        .post(format!("{}/metrics", exp.url))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
}

/// No scrape pays for a poll: once a gzip scrape asked for a format, the snapshot part of that
/// format is compressed when the poller hands a snapshot over, before it is swapped in, and only
/// that format.
#[tokio::test]
async fn poller_precompresses_the_formats_scraped() {
    use porla_exporter::exposition::Format;
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let url = format!("{}/metrics", exp.url);
    exp.poller.cycle().await;
    let published = exp.target.load().unwrap();
    assert!(
        !published.is_compressed(Format::Text),
        "nothing compressed before a gzip scrape asked"
    );
    assert!(get_gzip(&url, None).await.contains("porla_up 1"));
    assert!(
        published.is_compressed(Format::Text),
        "the first gzip scrape of a format compresses it"
    );
    exp.poller.cycle().await;
    let next = exp.target.load().unwrap();
    assert_eq!(next.snapshot.polls, 2);
    assert!(
        next.is_compressed(Format::Text),
        "compressed at the hand-over, before it was swapped in"
    );
    assert!(
        !next.is_compressed(Format::OpenMetrics),
        "a format nobody scraped is not compressed"
    );
}
