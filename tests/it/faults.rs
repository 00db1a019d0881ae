//! A sick Porla, fault by fault: the exporter keeps serving, tells the truth in `porla_up` and
//! its counters, presents nothing stale as fresh, and recovers at the next cycle.

use crate::support;

use std::time::Duration;

use porla_exporter::porla::{Auth, Secret};
use support::fake_porla::{sample_torrents, synthetic_torrents, FakeAuth, FakePorla, Faults};
use support::*;

fn token_auth() -> (FakeAuth, Auth) {
    (
        FakeAuth::Tokens(vec!["good-token".into()]),
        Auth::Token(Secret::new("good-token")),
    )
}

async fn setup() -> (FakePorla, Exporter) {
    let (fa, a) = token_auth();
    let porla = FakePorla::start(sample_torrents(), fa).await;
    let exp = exporter(&porla.url(), a, poll_config()).await;
    (porla, exp)
}

/// Porla's login for user "u" with `password`, answered with the token `issued`.
fn fake_login(password: &str, issued: &str) -> FakeAuth {
    FakeAuth::Login {
        username: "u".into(),
        password: password.into(),
        issued: issued.into(),
    }
}

/// A fake Porla taking [`fake_login`]`(password, issued)` and an exporter logging in to it as
/// "u" with `sent`.
async fn login_setup(password: &str, issued: &str, sent: &str) -> (FakePorla, Exporter) {
    let porla = FakePorla::start(sample_torrents(), fake_login(password, issued)).await;
    let auth = Auth::Login {
        username: "u".into(),
        password: Secret::new(sent),
    };
    let exp = exporter(&porla.url(), auth, poll_config()).await;
    (porla, exp)
}

/// A token file in `dir` holding "old-token", a fake Porla taking that token, and the
/// exporter's auth reading the file.
async fn token_file_setup(dir: &std::path::Path) -> (std::path::PathBuf, FakePorla, Auth) {
    let path = dir.join("token");
    std::fs::write(&path, "old-token\n").unwrap();
    let porla = FakePorla::start(
        sample_torrents(),
        FakeAuth::Tokens(vec!["old-token".into()]),
    )
    .await;
    let auth = Auth::token_file(path.clone()).unwrap();
    (path, porla, auth)
}

/// Asserts the scrape shows a failed poll of `class` and no Porla-derived series.
fn assert_down(body: &str, class: &str) {
    assert_eq!(sample(body, "porla_up"), Some(0.0), "{body}");
    assert_eq!(poll_errors(body, class), Some(1.0), "{body}");
    assert!(
        samples_of(body, "porla_tracker_status").is_empty(),
        "stale tracker series kept"
    );
    assert!(
        samples_of(body, "porla_tracker_host_torrents").is_empty(),
        "stale host series kept"
    );
    assert!(sample(body, "porla_torrents").is_none());
    assert!(sample(body, "porla_exporter_last_poll_timestamp_seconds").is_some());
}

/// After the fault is cleared, one cycle brings everything back.
async fn assert_recovers(porla: &FakePorla, exp: &mut Exporter) {
    porla.set_faults(Faults::default());
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    assert_eq!(sample(&body, "porla_torrents"), Some(6.0));
    assert_eq!(samples_of(&body, "porla_tracker_status").len(), 10);
}

#[tokio::test]
async fn healthy_then_http_500_then_recovers() {
    let (porla, mut exp) = setup().await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    porla.set_faults(Faults {
        http_status: Some(500),
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "http_5xx");
    assert_eq!(
        sample(
            &body,
            "porla_exporter_rpc_requests_total{method=\"torrents.list\",outcome=\"http_5xx\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(&body, "porla_exporter_polls_total{result=\"failure\"}"),
        Some(1.0)
    );
    assert_recovers(&porla, &mut exp).await;
}

#[tokio::test]
async fn other_http_status_is_classified() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        http_status: Some(404),
        ..Faults::default()
    });
    assert_down(&exp.poll_and_scrape().await, "http_other");
}

#[tokio::test]
async fn garbage_body_is_a_decode_error() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        raw_body: Some("<html>502 Bad Gateway</html>".into()),
        ..Faults::default()
    });
    assert_down(&exp.poll_and_scrape().await, "decode");
    assert_recovers(&porla, &mut exp).await;
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        raw_body: Some(r#"{"id":1,"jsonrpc":"2.0","result":{"torrents":[{"info_hash":["#.into()),
        ..Faults::default()
    });
    assert_down(&exp.poll_and_scrape().await, "decode");
}

#[tokio::test]
async fn dispatcher_error_without_id_fails_the_list() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        raw_body: Some(
            r#"{"error":{"code":-32603,"data":"boom","message":"Internal error"}}"#.into(),
        ),
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "rpc_error");
    assert_recovers(&porla, &mut exp).await;
}

#[tokio::test]
async fn porla_that_never_answers_times_out() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        hang: true,
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    let body = exp.poll_and_scrape().await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "bounded by --porla.timeout"
    );
    assert_down(&body, "timeout");
    assert_recovers(&porla, &mut exp).await;
}

#[tokio::test]
async fn slow_answers_beyond_the_timeout_time_out() {
    let (porla, mut exp) = setup().await;
    porla.set_faults(Faults {
        delay: Duration::from_secs(3),
        ..Faults::default()
    });
    assert_down(&exp.poll_and_scrape().await, "timeout");
}

#[tokio::test]
async fn porla_down_at_start_then_up() {
    // Porla's port is taken but refuses connections until Porla comes up on it.
    let down = DownPort::reserve();
    let (fa, a) = token_auth();
    let mut exp = exporter(&down.url(), a, poll_config()).await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "connection");
    let ready = get(&format!("{}/-/ready", exp.url), None).await;
    assert_eq!(
        ready.status, 200,
        "ready once a poll finished, even a failed one"
    );
    let porla = FakePorla::serve(down.listen(), "", sample_torrents(), fa);
    assert_recovers(&porla, &mut exp).await;
}

#[tokio::test]
async fn porla_goes_down_mid_run() {
    let (porla, mut exp) = setup().await;
    exp.poll_and_scrape().await;
    let addr = porla.addr;
    porla.stop();
    drop(porla);
    eventually(
        "the stopped fake Porla to refuse connections",
        Duration::from_secs(10),
        || async {
            let refused = tokio::net::TcpStream::connect(addr).await.err()?;
            (refused.kind() == std::io::ErrorKind::ConnectionRefused).then_some(())
        },
    )
    .await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "connection");
}

#[tokio::test]
async fn torrents_removed_mid_poll_are_skipped_and_counted() {
    let (porla, mut exp) = setup().await;
    let keys: Vec<String> = porla
        .torrents()
        .iter()
        .map(|t| t.info_hash()[0].as_str().unwrap().to_owned())
        .collect();
    porla.set_faults(Faults {
        vanish: vec![keys[0].clone()],
        invalid: vec![keys[1].clone()],
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    assert_eq!(
        sample(&body, "porla_exporter_torrents_vanished_total"),
        Some(2.0)
    );
    assert_eq!(sample(&body, "porla_torrents"), Some(4.0));
    for k in &keys[..2] {
        assert!(
            !body.contains(k.as_str()),
            "vanished torrent {k} still exported"
        );
    }
    assert_eq!(
        sample(&body, "porla_exporter_rpc_requests_total{method=\"torrents.trackers.list\",outcome=\"not_found\"}"),
        Some(2.0)
    );
}

#[tokio::test]
async fn one_torrents_internal_error_does_not_fail_the_poll() {
    let (porla, mut exp) = setup().await;
    let key = porla.torrents()[0].info_hash()[0]
        .as_str()
        .unwrap()
        .to_owned();
    porla.set_faults(Faults {
        internal_error: vec![key.clone()],
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    assert_eq!(sample(&body, "porla_torrents"), Some(6.0));
    assert!(
        body.contains(&format!("porla_torrent_info{{info_hash=\"{key}\"")),
        "the torrent is listed"
    );
    assert!(
        !body.contains(&format!("porla_tracker_status{{info_hash=\"{key}\"")),
        "no tracker data was ever received for it"
    );
    assert_eq!(
        sample(&body, "porla_exporter_rpc_requests_total{method=\"torrents.trackers.list\",outcome=\"rpc_error\"}"),
        Some(1.0)
    );
}

#[tokio::test]
async fn disappeared_torrents_disappear_at_the_next_poll() {
    let (porla, mut exp) = setup().await;
    let body = exp.poll_and_scrape().await;
    let gone = porla.torrents()[0].clone();
    let key = gone.info_hash()[0].as_str().unwrap().to_owned();
    assert!(body.contains(&key));
    porla.set_torrents(porla.torrents()[1..].to_vec());
    let body = exp.poll_and_scrape().await;
    assert!(!body.contains(&key), "no stale series");
    assert_eq!(sample(&body, "porla_torrents"), Some(5.0));
}

#[tokio::test]
async fn list_shrinking_between_pages_is_tolerated() {
    let (porla, mut exp) = setup().await;
    // Page size 2: after page 0 two torrents vanish, so page 2 is past the end (-2).
    porla.set_faults(Faults {
        shrink_after_first_page: 2,
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    let n = sample(&body, "porla_torrents").unwrap();
    assert!((2.0..=4.0).contains(&n), "{n}");
    let infos = samples_of(&body, "porla_torrent_info");
    let mut hashes: Vec<&str> = infos
        .iter()
        .map(|l| &l[l.find('"').unwrap() + 1..][..40])
        .collect();
    let before = hashes.len();
    hashes.dedup();
    assert_eq!(before, hashes.len(), "de-duplicated by info hash");
}

#[tokio::test]
async fn hybrid_torrents_are_asked_for_with_their_exact_pair() {
    let now = CAPTURE_TIME as i64;
    let torrents = synthetic_torrents(40, 7, now, 600);
    let hybrids = torrents
        .iter()
        .filter(|t| t.info_hash()[0].is_string() && t.info_hash()[1].is_string())
        .count();
    assert!(hybrids > 0);
    let porla = FakePorla::start(torrents, FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(
        sample(&body, "porla_exporter_torrents_vanished_total"),
        Some(0.0),
        "a hybrid was asked for by v1 alone"
    );
    assert_eq!(sample(&body, "porla_torrents"), Some(40.0));
    for (method, params) in porla.calls() {
        if method == "torrents.trackers.list" {
            assert!(params["info_hash"].is_array(), "{params}");
        }
    }
}

#[tokio::test]
async fn base_path_is_honoured() {
    let (fa, a) = token_auth();
    let porla = FakePorla::start_on(
        "127.0.0.1:0".parse().unwrap(),
        "/porla",
        sample_torrents(),
        fa,
    )
    .await;
    let mut exp = exporter(&porla.url(), a, poll_config()).await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
}

// ----- authentication -----

#[tokio::test]
async fn wrong_token_is_unauthorized() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Tokens(vec!["right".into()])).await;
    let mut exp = exporter(
        &porla.url(),
        Auth::Token(Secret::new("wrong")),
        poll_config(),
    )
    .await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "unauthorized");
}

#[tokio::test]
async fn login_then_relogin_after_401() {
    let (porla, mut exp) = login_setup("p", "jwt-1", "p").await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    assert_eq!(porla.logins(), 1);
    // Porla restarts with a new secret: the old token now gets 401.
    porla.set_auth(fake_login("p", "jwt-2"));
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    assert_eq!(porla.logins(), 2, "one login again, not one per call");
    assert_eq!(
        sample(
            &body,
            "porla_exporter_rpc_requests_total{method=\"auth.login\",outcome=\"ok\"}"
        ),
        Some(2.0)
    );
}

#[tokio::test]
async fn rejected_login_is_classified() {
    let (_porla, mut exp) = login_setup("right", "jwt", "wrong").await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "login_rejected");
    assert_eq!(
        sample(
            &body,
            "porla_exporter_rpc_requests_total{method=\"auth.login\",outcome=\"login_rejected\"}"
        ),
        Some(1.0)
    );
}

#[tokio::test]
async fn token_file_is_reread_after_401() {
    let dir = tempfile::tempdir().unwrap();
    let (path, porla, auth) = token_file_setup(dir.path()).await;
    // The content read at start is what the client sends: the file is not read again until a
    // 401 (here it holds garbage until the rotation below).
    std::fs::write(&path, "not-a-token\n").unwrap();
    let mut exp = exporter(&porla.url(), auth, poll_config()).await;
    assert_eq!(sample(&exp.poll_and_scrape().await, "porla_up"), Some(1.0));
    // The operator rotates the token (Porla's secret changed).
    porla.set_auth(FakeAuth::Tokens(vec!["new-token".into()]));
    std::fs::write(&path, "new-token\n").unwrap();
    assert_eq!(sample(&exp.poll_and_scrape().await, "porla_up"), Some(1.0));
}

#[tokio::test]
async fn slow_porla_makes_the_exporter_back_off() {
    let (porla, _) = setup().await;
    let mut poll = poll_config();
    poll.concurrency = 4;
    poll.slow_call = Duration::from_millis(200);
    let mut exp = exporter(&porla.url(), Auth::Token(Secret::new("good-token")), poll).await;
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_exporter_rpc_concurrency"), Some(4.0));
    // Porla's answers slow down (still within the timeout): fewer calls in flight.
    porla.set_faults(Faults {
        delay: Duration::from_millis(300),
        ..Faults::default()
    });
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0));
    assert_eq!(
        sample(&body, "porla_exporter_rpc_concurrency"),
        Some(1.0),
        "{body}"
    );
    // Fast again: the pacer opens up.
    porla.set_faults(Faults::default());
    exp.poll_and_scrape().await;
    let body = exp.poll_and_scrape().await;
    assert!(sample(&body, "porla_exporter_rpc_concurrency").unwrap() > 1.0);
}

/// The `torrents.list` answer for page 0 of `n` torrents of the shape of `list_item`, named
/// `torrent {i}` with v1 hash `{i:040x}`, as text: one item serialised once, filled in `n` times.
fn prepared_list_page(n: usize) -> String {
    let template = serde_json::to_string(&support::fake_porla::list_item(
        Some("@HASH@"),
        None,
        "@NAME@",
    ))
    .unwrap();
    let mut items = String::with_capacity(n * (template.len() + 48));
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        items.push_str(
            &template
                .replacen("@HASH@", &format!("{i:040x}"), 1)
                .replacen("@NAME@", &format!("torrent {i}"), 1),
        );
    }
    format!(
        r#"{{"id":1,"jsonrpc":"2.0","result":{{"order_by":"queue_position","order_by_dir":"asc","page":0,"page_size":{n},"torrents":[{items}],"torrents_total":{n},"torrents_total_unfiltered":{n}}}}}"#
    )
}

/// A page of `--porla.page-size 100000` is read whole: the size limit and the deadline allow it
/// and every torrent decodes. The fake sends that page as a prepared body: building and
/// serialising 100,000 JSON trees at the call (a debug build) took most of the test's sixteen
/// seconds, and is not what it tests. The prepared body is first checked against the fake's
/// own answer for three such torrents.
#[tokio::test]
async fn a_100000_torrent_answer_is_read_whole() {
    let torrents = |n: usize| -> Vec<support::fake_porla::FakeTorrent> {
        (0..n)
            .map(|i| support::fake_porla::FakeTorrent {
                item: support::fake_porla::list_item(
                    Some(&format!("{i:040x}")),
                    None,
                    &format!("torrent {i}"),
                ),
                trackers: serde_json::json!({"trackers": []}),
            })
            .collect()
    };
    let small = FakePorla::start(torrents(3), FakeAuth::Disabled).await;
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/jsonrpc", small.url()))
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"torrents.list","params":{"page":0,"page_size":3}}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let as_json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(
        as_json(&prepared_list_page(3)),
        as_json(&answer),
        "the prepared page is what the fake answers"
    );

    let n = 100_000;
    let porla = FakePorla::start(Vec::new(), FakeAuth::Disabled).await;
    porla.set_faults(Faults {
        raw_body: Some(prepared_list_page(n)),
        ..Faults::default()
    });
    let mut cfg = client_config(&porla.url(), Auth::None);
    cfg.timeout = Duration::from_secs(60); // a ~60 MB answer, parsed by a debug build
    cfg.max_response_size = n as u64 * 4096; // what --porla.page-size 100000 needs
    let client = porla_exporter::porla::Client::new(cfg, None).unwrap();
    let page = client
        .torrents_page(0, n as u64)
        .await
        .expect("a 100,000-torrent page");
    assert_eq!(page.torrents.len(), n);
    assert_eq!(page.torrents_total, Some(n as u64));
    assert_eq!(
        page.torrents[n - 1].hashes().0.unwrap(),
        format!("{:040x}", n - 1)
    );
}

/// What `porla auth:token` wrote when Porla logged at its default level: its log lines (on
/// stdout, like the token) and then the JWT (Porla's own wording, src/data/migrate.cpp).
const TOKEN_WITH_LOG: &str = "[2026-12-06 21:00:00.000000] [0x00007f0000000000] [info]    Migrating database from version 0 to 9\n\
[2026-12-06 21:00:00.000100] [0x00007f0000000000] [info]    Creating 'addtorrentparams' table\n\
eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJwb3JsYSJ9.c2lnbmF0dXJl\n";

/// A token file that Porla's log lines went into, found when Porla answers 401 and the file is
/// read again: the poll fails as `token_file` (not `connection`: the request is never sent), the
/// landing page says it is the token file and how many lines it holds, and nothing of the file
/// shows.
#[tokio::test]
async fn token_file_with_log_lines_at_a_reread_is_a_token_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, porla, auth) = token_file_setup(dir.path()).await;
    let mut exp = exporter(&porla.url(), auth, poll_config()).await;
    assert_eq!(sample(&exp.poll_and_scrape().await, "porla_up"), Some(1.0));
    porla.set_auth(FakeAuth::Tokens(vec!["new-token".into()]));
    std::fs::write(&path, TOKEN_WITH_LOG).unwrap();
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "token_file");
    assert_eq!(poll_errors(&body, "connection"), None, "{body}");
    let page = get(&format!("{}/", exp.url), None).await.body;
    let shown = format!(
        "token file {}: it holds 3 lines, not a token alone",
        path.display()
    );
    assert!(page.contains(&shown), "{page}");
    assert!(
        !page.contains("eyJ") && !page.contains("Migrating"),
        "{page}"
    );
    // Rewritten with the token alone: the next poll succeeds.
    porla.set_auth(FakeAuth::Tokens(vec!["eyJ.new.token".into()]));
    std::fs::write(&path, "eyJ.new.token\n").unwrap();
    assert_eq!(sample(&exp.poll_and_scrape().await, "porla_up"), Some(1.0));
}

/// A request that cannot be built is never a `connection` failure: a token no header can carry
/// (only reachable by building `Auth` directly; the flag, the file and the login answer are
/// checked before) fails the poll as `request`, and a login answer whose token holds a line
/// break fails as `decode`, Porla's answer being at fault.
#[tokio::test]
async fn requests_that_cannot_be_built_are_not_connection_errors() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Tokens(vec!["t".into()])).await;
    let mut exp = exporter(
        &porla.url(),
        Auth::Token(Secret::new("two\nlines")),
        poll_config(),
    )
    .await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "request");
    assert_eq!(porla.count_calls("torrents.list"), 0, "nothing was sent");

    let (_porla, mut exp) = login_setup("p", "jwt\nand a log line", "p").await;
    let body = exp.poll_and_scrape().await;
    assert_down(&body, "decode");
    assert!(
        body.contains(
            "porla_exporter_rpc_requests_total{method=\"auth.login\",outcome=\"decode\"}"
        ),
        "{body}"
    );
}
