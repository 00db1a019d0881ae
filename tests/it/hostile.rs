//! Whatever answers at Porla's address: answers without end, lying lengths, answers that drip,
//! redirects, and one oversized trackers answer among good ones. The exporter keeps its
//! memory bounded, its deadline, and names each failure.

use crate::support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use porla_exporter::porla::{Auth, ClientConfig};
use serde_json::Value;
use support::binary::Binary;
use support::fake_porla::{sample_torrents, FakeAuth, FakePorla};
use support::memory::Memory;
use support::{poll_config, poll_errors, sample, Exporter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the hostile server answers.
#[derive(Clone, Debug)]
enum Mode {
    /// HTTP 503 with a short body.
    Unavailable,
    /// HTTP 200 without a length, then bytes for ever (until the client goes away).
    Endless,
    /// `Content-Length: 1 GB`, then nothing.
    LyingLength,
    /// `Content-Length: 1000`, then one byte a second.
    Drip,
    /// HTTP 307 to this Location.
    Redirect(String),
    /// Forward to the fake Porla; the trackers answer of the torrent `key` gets `pad` extra
    /// bytes of white space and no Content-Length (so it is cut off mid-stream).
    Proxy {
        upstream: String,
        key: Option<String>,
        pad: usize,
    },
}

struct Hostile {
    url: String,
    mode: Arc<Mutex<Mode>>,
    /// Bytes written by `Endless` answers (all connections).
    streamed: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    async fn start(mode: Mode) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mode = Arc::new(Mutex::new(mode));
        let streamed = Arc::new(AtomicU64::new(0));
        let (m, s) = (mode.clone(), streamed.clone());
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve_conn(conn, m.clone(), s.clone()));
            }
        });
        Hostile {
            url,
            mode,
            streamed,
            task,
        }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
}

/// Reads one request: (headers, body).
async fn read_request(conn: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = conn.read(&mut byte).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = conn.read(&mut byte).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&byte[..n]);
    }
    Some((head, body))
}

async fn serve_conn(mut conn: TcpStream, mode: Arc<Mutex<Mode>>, streamed: Arc<AtomicU64>) {
    // One request per connection, then close: keeps the server simple.
    let Some((_, body)) = read_request(&mut conn).await else {
        return;
    };
    let mode = mode.lock().unwrap().clone();
    match mode {
        Mode::Unavailable => {
            let _ = conn
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy")
                .await;
        }
        Mode::Endless => {
            let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"result\":[";
            if conn.write_all(head).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 256 * 1024];
            while conn.write_all(&chunk).await.is_ok() {
                streamed.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
        }
        Mode::LyingLength => {
            let _ = conn
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{")
                .await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Mode::Drip => {
            if conn
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                .await
                .is_err()
            {
                return;
            }
            for _ in 0..1000 {
                if conn.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Mode::Redirect(location) => {
            let _ = conn
                .write_all(
                    format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .await;
        }
        Mode::Proxy { upstream, key, pad } => {
            let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let answer = reqwest::Client::new()
                .post(format!("{upstream}/api/v1/jsonrpc"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let ih = &req["params"]["info_hash"];
            let hit = req["method"] == "torrents.trackers.list"
                && key.as_deref().is_some_and(|k| {
                    ih.as_str() == Some(k) || ih.get(0).and_then(Value::as_str) == Some(k)
                });
            if hit {
                let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
                let _ = conn.write_all(head).await;
                let _ = conn.write_all(&vec![b' '; pad]).await;
                let _ = conn.write_all(&answer).await;
            } else {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    answer.len()
                );
                let _ = conn.write_all(head.as_bytes()).await;
                let _ = conn.write_all(&answer).await;
            }
        }
    }
    let _ = conn.shutdown().await;
}

/// An in-process exporter for a client configuration the test chooses.
async fn exporter(cfg: ClientConfig) -> Exporter {
    support::exporter_with(cfg, poll_config()).await
}

fn config(url: &str, limit: u64) -> ClientConfig {
    let mut c = support::client_config(url, Auth::None);
    c.max_response_size = limit;
    c
}

#[tokio::test]
async fn an_endless_answer_is_cut_at_the_limit_and_fails_as_too_large() {
    let hostile = Hostile::start(Mode::Endless).await;
    let limit = 1 << 20;
    let mut exp = exporter(config(&hostile.url, limit)).await;
    let started = Instant::now();
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    assert_eq!(err.class(), "too_large", "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&limit.to_string()) && text.contains("--porla.max-response-size"),
        "the log text gives the limit and the flag: {text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopped at the limit, not at the timeout: {:?}",
        started.elapsed()
    );
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(0.0));
    assert_eq!(poll_errors(&body, "too_large"), Some(1.0), "{body}");
    assert_eq!(
        sample(
            &body,
            "porla_exporter_rpc_requests_total{method=\"torrents.list\",outcome=\"too_large\"}"
        ),
        Some(2.0)
    );
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    let hostile = Hostile::start(Mode::LyingLength).await;
    let mut exp = exporter(config(&hostile.url, 1 << 20)).await;
    let started = Instant::now();
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    assert_eq!(err.class(), "too_large", "{err}");
    assert!(err.to_string().contains("Content-Length"), "{err}");
    // The server sends one byte and then waits 30 s: reading would end in the 2 s timeout.
    assert!(
        started.elapsed() < Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_answer_dripping_one_byte_a_second_hits_the_whole_call_deadline() {
    let hostile = Hostile::start(Mode::Drip).await;
    // Timeout 2 s (see `config`); every byte comes well within any per-read timeout.
    let mut exp = exporter(config(&hostile.url, 32 << 20)).await;
    let started = Instant::now();
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    let took = started.elapsed();
    assert_eq!(err.class(), "timeout", "{err}");
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(6),
        "the 2 s deadline covers the body: {took:?}"
    );
}

#[tokio::test]
async fn a_redirect_is_refused_and_named_without_its_query() {
    let hostile = Hostile::start(Mode::Redirect(
        "https://porla.example.net/porla/api/v1/jsonrpc?token=SECRET-IN-QUERY#frag".into(),
    ))
    .await;
    let mut exp = exporter(config(&hostile.url, 32 << 20)).await;
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    assert_eq!(err.class(), "redirect", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("307") && text.contains("https://porla.example.net/porla/api/v1/jsonrpc"),
        "{text}"
    );
    assert!(
        !text.contains("SECRET") && !text.contains("token=") && !text.contains('?'),
        "{text}"
    );
    // A relative Location is named in full, resolved against Porla's URL.
    hostile.set(Mode::Redirect("/login?next=SECRET".into()));
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    assert_eq!(err.class(), "redirect");
    assert!(
        err.to_string().contains(&format!("{}/login;", hostile.url)),
        "{err}"
    );
    let body = exp.poll_and_scrape().await;
    assert_eq!(poll_errors(&body, "redirect"), Some(1.0), "{body}");
}

#[tokio::test]
async fn an_oversized_trackers_answer_fails_that_torrent_only() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let hostile = Hostile::start(Mode::Proxy {
        upstream: porla.url(),
        key: None,
        pad: 0,
    })
    .await;
    // page size 2 (support::poll_config) needs 8 KiB; 64 KiB holds every real answer.
    let mut exp = exporter(config(&hostile.url, 64 << 10)).await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    let torrents = porla.torrents();
    let key = torrents[0].info_hash();
    let key = key.as_str().or_else(|| key[0].as_str()).unwrap().to_owned();
    let series = format!("porla_tracker_status{{info_hash=\"{key}\"");
    let before = body.lines().filter(|l| l.starts_with(&series)).count();
    assert!(before > 0, "the torrent has tracker series: {body}");

    hostile.set(Mode::Proxy {
        upstream: porla.url(),
        key: Some(key.clone()),
        pad: 200 << 10,
    });
    let (_, stats) = exp.poller.poll_once().await.expect("the poll succeeds");
    assert_eq!(stats.failed, 1, "{stats:?}");
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    assert_eq!(
        body.lines().filter(|l| l.starts_with(&series)).count(),
        before,
        "the torrent keeps its older tracker data"
    );
    assert_eq!(
        sample(
            &body,
            "porla_exporter_rpc_requests_total{method=\"torrents.trackers.list\",outcome=\"too_large\"}"
        ),
        Some(2.0),
        "{body}"
    );
    assert_eq!(poll_errors(&body, "too_large"), None, "{body}");
}

/// Safety property, not a performance figure: with the default limit (32 MiB) the real
/// binary's peak memory while something streams endlessly at Porla's address stays far
/// below 128 MiB above its idle peak (without a limit it reaches GiBs within the timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peak_memory_stays_bounded_while_porla_streams_without_end() {
    let hostile = Hostile::start(Mode::Unavailable).await;
    let mut exp = Binary::start(&["--porla.url", &hostile.url, "--poll.interval", "1s"], &[]);
    let count = |body: &str, class: &str| poll_errors(body, class).unwrap_or(0.0);
    exp.wait_for("/metrics", |b| count(b, "http_5xx") >= 2.0)
        .await;
    let idle = Memory::of(exp.pid()).peak;

    hostile.set(Mode::Endless);
    exp.wait_for("/metrics", |b| count(b, "too_large") >= 4.0)
        .await;
    let peak = Memory::of(exp.pid()).peak;
    let streamed = hostile.streamed.load(Ordering::Relaxed);
    let (_, log) = exp.terminate();

    let above = peak.saturating_sub(idle);
    eprintln!(
        "idle VmHWM {} KiB, peak VmHWM {} KiB, {} KiB above idle; {} MiB streamed at it",
        idle / 1024,
        peak / 1024,
        above / 1024,
        streamed >> 20
    );
    assert!(
        above < 128 << 20,
        "peak memory {} MiB above idle",
        above >> 20
    );
    let line = log
        .lines()
        .find(|l| l.contains("too_large"))
        .unwrap_or_else(|| panic!("no too_large log line in:\n{log}"));
    assert!(
        line.contains("33554432") && line.contains("--porla.max-response-size"),
        "{line}"
    );
}
