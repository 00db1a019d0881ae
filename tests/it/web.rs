//! Serving securely and under load: TLS, client certificates, basic auth, headers,
//! multi-target /probe, slow clients, many concurrent scrapers.

use crate::support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;
use porla_exporter::config::Cli;
use support::binary::{self, Binary};
use support::fake_porla::{sample_torrents, synthetic_torrents, FakeAuth, FakePorla, Faults};
use support::memory::Memory;
use support::{eventually, get, sample};
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

/// A CA, a server certificate for `localhost` (server.crt/server.key, next to ca.crt) and a
/// client identity, written into a directory.
struct Pki {
    ca: PathBuf,
    client_pem: String,
    issuer: rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
    dir: PathBuf,
}

impl Pki {
    /// A new key pair and server certificate for `localhost` from the same CA, written over
    /// server.crt and server.key (each file rewritten in place, as a renewal job may). Returns
    /// the certificate (DER).
    fn rotate_server(&self) -> Vec<u8> {
        let (crt, key) = server_pair(&self.issuer);
        std::fs::write(self.dir.join("server.crt"), crt.pem()).unwrap();
        std::fs::write(self.dir.join("server.key"), key.serialize_pem()).unwrap();
        crt.der().to_vec()
    }

    /// The server certificate (DER) in server.crt now.
    fn server_der(&self) -> Vec<u8> {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_file(self.dir.join("server.crt"))
            .unwrap()
            .to_vec()
    }
}

fn server_pair(
    ca: &rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
) -> (rcgen::Certificate, rcgen::KeyPair) {
    let key = rcgen::KeyPair::generate().unwrap();
    let crt = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, ca)
        .unwrap();
    (crt, key)
}

fn pki(dir: &Path) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let (server, server_key) = server_pair(&ca);
    let client_key = KeyPair::generate().unwrap();
    let client = CertificateParams::new(vec!["prometheus".to_owned()])
        .unwrap()
        .signed_by(&client_key, &ca)
        .unwrap();
    let write = |name: &str, body: String| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    write("server.crt", server.pem());
    write("server.key", server_key.serialize_pem());
    Pki {
        ca: write("ca.crt", ca.pem()),
        client_pem: format!("{}{}", client.pem(), client_key.serialize_pem()),
        issuer: ca,
        dir: dir.to_owned(),
    }
}

/// Runs the real wiring (`app::run`) with these flags on a free loopback port.
async fn start(args: &[&str]) -> (String, CancellationToken, tokio::task::JoinHandle<()>) {
    let listener = porla_exporter::server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut argv = vec![
        "porla-exporter",
        "--poll.interval",
        "1s",
        "--porla.timeout",
        "2s",
    ];
    argv.extend_from_slice(args);
    let config = Cli::try_parse_from(argv).unwrap().into_config().unwrap();
    let token = CancellationToken::new();
    let t = token.clone();
    let task = tokio::spawn(async move {
        porla_exporter::app::run(config, listener, t, Default::default())
            .await
            .unwrap();
    });
    (format!("127.0.0.1:{port}"), token, task)
}

fn tls_client(pki: &Pki, identity: bool) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&pki.ca).unwrap()).unwrap();
    let mut b = reqwest::Client::builder()
        .add_root_certificate(ca)
        .timeout(Duration::from_secs(5));
    if identity {
        b = b.identity(reqwest::Identity::from_pem(pki.client_pem.as_bytes()).unwrap());
    }
    b.build().unwrap()
}

/// Writes `web_yml` as the web config next to the test PKI in `dir` and starts the exporter with
/// it against a healthy fake Porla. Returns the fake (keep it alive) and the HTTPS `/metrics` URL
/// on `localhost`, the name the server certificate carries.
async fn start_tls(
    dir: &Path,
    web_yml: &str,
) -> (
    FakePorla,
    String,
    CancellationToken,
    tokio::task::JoinHandle<()>,
) {
    let web = dir.join("web.yml");
    std::fs::write(&web, web_yml).unwrap();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let (addr, stop, task) = start(&[
        "--porla.url",
        &porla.url(),
        "--web.config.file",
        web.to_str().unwrap(),
    ])
    .await;
    let port = addr.rsplit(':').next().unwrap();
    (
        porla,
        format!("https://localhost:{port}/metrics"),
        stop,
        task,
    )
}

async fn wait_ready(client: &reqwest::Client, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(r) = client.get(url).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(Instant::now() < deadline, "{url} never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn tls_with_basic_auth_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki(dir.path());
    let hash = bcrypt::hash("right-password", 4).unwrap();
    let (_porla, url, stop, task) = start_tls(dir.path(), &format!(
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: '{hash}'\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n"
        )).await;
    let client = tls_client(&pki, false);

    let ok = client
        .get(&url)
        .basic_auth("prometheus", Some("right-password"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["x-frame-options"], "deny");
    assert!(ok
        .text()
        .await
        .unwrap()
        .contains("porla_exporter_build_info"));

    let wrong = client
        .get(&url)
        .basic_auth("prometheus", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().contains_key("www-authenticate"));
    let unknown = client
        .get(&url)
        .basic_auth("someone", Some("right-password"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    let none = client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401, "no credentials");
    let landing = client
        .get(url.replace("/metrics", "/"))
        .send()
        .await
        .unwrap();
    assert_eq!(landing.status(), 401, "the landing page is protected too");
    // The health endpoints answer without credentials (server::OPEN_PATHS): they say nothing
    // but "Healthy" and "Ready", and health checks have no password to send.
    let healthy = client
        .get(url.replace("/metrics", "/-/healthy"))
        .send()
        .await
        .unwrap();
    assert_eq!(healthy.status(), 200);
    // Ready once a poll has finished, which may not be yet: anything but 401.
    let ready = client
        .get(url.replace("/metrics", "/-/ready"))
        .send()
        .await
        .unwrap();
    assert!(
        [200, 503].contains(&ready.status().as_u16()),
        "{}",
        ready.status()
    );
    let post = client
        .post(url.replace("/metrics", "/-/healthy"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405, "open to GET and HEAD only");

    // Plain HTTP on the TLS port gets no answer.
    let plain = reqwest::Client::new()
        .get(url.replacen("https://", "http://", 1))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(
        plain.is_err() || plain.unwrap().status() != 200,
        "served metrics without TLS"
    );

    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn client_certificates_required() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki(dir.path());
    let (_porla, url, stop, _task) = start_tls(dir.path(), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  min_version: TLS13\n").await;
    assert!(
        tls_client(&pki, false).get(&url).send().await.is_err(),
        "no client certificate must be refused"
    );
    let r = tls_client(&pki, true).get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    stop.cancel();
}

#[test]
fn bad_certificates_are_clear_errors_at_start() {
    let dir = tempfile::tempdir().unwrap();
    pki(dir.path());
    std::fs::write(dir.path().join("garbage.crt"), "not a certificate").unwrap();
    for (body, needle) in [
        ("tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n", "missing.crt"),
        ("tls_server_config:\n  cert_file: garbage.crt\n  key_file: server.key\n", "garbage.crt"),
        ("tls_server_config:\n  cert_file: server.crt\n  key_file: ca.crt\n", "key_file"),
        ("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n", "client_ca_file"),
    ] {
        let web = dir.path().join("web.yml");
        std::fs::write(&web, body).unwrap();
        let binary::Ended { code, stderr: err, .. } = binary::run_to_end(&["--web.config.file", web.to_str().unwrap(), "--web.listen-address", "127.0.0.1:0"], &[]);
        assert_eq!(code, Some(2), "{body}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("--web.config.file") && err.contains(needle), "{body}: {err}");
    }
}

/// GETs `url` on a new connection (a new client each time: no pooled connection) and returns
/// the status and the server certificate (DER) that connection got.
async fn served_cert(pki: &Pki, url: &str) -> Result<(u16, Vec<u8>), reqwest::Error> {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&pki.ca).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .tls_info(true)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let r = client.get(url).send().await?;
    let der = r
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|t| t.peer_certificate())
        .expect("a TLS connection has a peer certificate")
        .to_vec();
    Ok((r.status().as_u16(), der))
}

/// Rotation without a restart: a new key pair written over the files of `--web.config.file`
/// is served to the very next connection (the files' metadata is looked at every handshake).
#[tokio::test]
async fn rotated_certificate_is_served_to_the_next_connection() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki(dir.path());
    let (_porla, url, stop, task) = start_tls(
        dir.path(),
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n",
    )
    .await;
    wait_ready(&tls_client(&pki, false), &url).await;
    let first = pki.server_der();
    assert_eq!(served_cert(&pki, &url).await.unwrap(), (200, first.clone()));

    for _ in 0..2 {
        let rotated = pki.rotate_server();
        assert_ne!(rotated, first);
        assert_eq!(
            served_cert(&pki, &url).await.unwrap(),
            (200, rotated),
            "the next connection gets the new certificate"
        );
    }
    stop.cancel();
    task.await.unwrap();
}

/// A new certificate or key that does not load (bad PEM, a key of another certificate, a
/// missing file) keeps the last good pair: the exporter keeps serving, and logs why once per
/// change of the files, not once per connection. The real binary, for its log.
#[tokio::test]
async fn broken_certificate_keeps_the_last_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki(dir.path());
    let web = dir.path().join("web.yml");
    std::fs::write(
        &web,
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n",
    )
    .unwrap();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exporter = Binary::start(
        &[
            "--porla.url",
            &porla.url(),
            "--web.config.file",
            web.to_str().unwrap(),
        ],
        &[],
    );
    let url = format!(
        "{}/metrics",
        exporter
            .url
            .replacen("http://127.0.0.1", "https://localhost", 1)
    );
    let good = pki.server_der();
    let deadline = Instant::now() + Duration::from_secs(20);
    while served_cert(&pki, &url).await.ok() != Some((200, good.clone())) {
        assert!(
            Instant::now() < deadline,
            "never served over TLS:\n{}",
            exporter.logs()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let crt = dir.path().join("server.crt");
    let key = dir.path().join("server.key");
    let good_crt = std::fs::read_to_string(&crt).unwrap();
    let (_, other_key) = server_pair(&pki.issuer);
    // (what, how to break the files, what the log line must say)
    type Break<'a> = (&'a str, Box<dyn Fn() + 'a>, &'a str);
    let breaks: [Break; 3] = [
        (
            "bad PEM",
            Box::new(|| std::fs::write(&crt, "not a certificate\n").unwrap()),
            "cert_file",
        ),
        (
            "the key of another certificate",
            Box::new(|| {
                std::fs::write(&crt, &good_crt).unwrap();
                std::fs::write(&key, other_key.serialize_pem()).unwrap();
            }),
            "not the key of the certificate",
        ),
        (
            "a missing key file",
            Box::new(|| std::fs::remove_file(&key).unwrap()),
            "key_file",
        ),
    ];
    let refused = |logs: &str| -> Vec<String> {
        logs.lines()
            .filter(|l| l.contains("does not load"))
            .map(str::to_owned)
            .collect()
    };
    for (n, (what, apply, why)) in breaks.iter().enumerate() {
        apply();
        for _ in 0..3 {
            assert_eq!(
                served_cert(&pki, &url).await.unwrap(),
                (200, good.clone()),
                "{what}: the last good certificate, and the metrics"
            );
        }
        let logged = refused(&exporter.logs());
        assert_eq!(
            logged.len(),
            n + 1,
            "{what}: one line per change, not per connection: {logged:#?}"
        );
        assert!(
            logged[n].contains("level=warn") && logged[n].contains(why),
            "{what}: {}",
            logged[n]
        );
    }

    // docs/deployment.md quotes the line as the binary prints it (level, target and message).
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deployment.md"))
            .unwrap();
    let quoted = doc
        .lines()
        .find(|l| l.starts_with("level=warn") && l.contains("does not load"))
        .expect("docs/deployment.md quotes the refused-certificate line");
    let quoted = &quoted[..quoted.find("\" ").expect("a message=\"…\" field") + 1];
    assert!(
        refused(&exporter.logs())[0].contains(quoted),
        "docs/deployment.md quotes {quoted:?}"
    );

    // Repaired: the new pair is served, and no further refusal is logged.
    let rotated = pki.rotate_server();
    assert_eq!(served_cert(&pki, &url).await.unwrap(), (200, rotated));
    let logs = exporter.logs();
    assert_eq!(refused(&logs).len(), breaks.len(), "{logs}");
    assert!(logs.contains("new connections get the new ones"), "{logs}");
}

#[tokio::test]
async fn probe_serves_each_instance_and_isolates_a_sick_one() {
    let good = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let sick = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    sick.set_faults(Faults {
        hang: true,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("instances.toml");
    std::fs::write(
        &file,
        format!("[instances.seedbox1]\nurl = {:?}\n[instances.seedbox2]\nurl = {:?}\ntimeout = \"5s\"\n", good.url(), sick.url()),
    )
    .unwrap();
    let (addr, stop, _task) = start(&["--config.file", file.to_str().unwrap()]).await;
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    wait_ready(&client, &format!("{base}/-/ready")).await;

    let one = get(&format!("{base}/probe?target=seedbox1"), None)
        .await
        .body;
    assert!(one.contains("\nporla_up 1\n"), "{one}");
    assert!(one.contains("porla_tracker_status{"));
    let two = get(&format!("{base}/probe?target=seedbox2"), None)
        .await
        .body;
    assert!(two.contains("\nporla_up 0\n"));
    assert!(two.contains("porla_exporter_poll_errors_total{class=\"timeout\"}"));
    assert_eq!(
        get(&format!("{base}/probe?target=nope"), None).await.status,
        404
    );
    assert_eq!(get(&format!("{base}/probe"), None).await.status, 400);
    let own = get(&format!("{base}/metrics"), None).await.body;
    assert!(own.contains("porla_exporter_build_info"));
    assert!(
        !own.contains("porla_up"),
        "instances are only served at /probe"
    );
    // The sick instance's calls hang for their whole 5 s timeout, and they never hold up the
    // healthy one: it keeps polling every second, so two more polls come within 4 s even on a
    // loaded machine, where a healthy poll that waited for a sick call could make at most one.
    let polls =
        |body: &str| sample(body, "porla_exporter_polls_total{result=\"success\"}").unwrap_or(0.0);
    let (before, base) = (polls(&one), &base);
    eventually(
        "two more polls of the healthy instance (it stalled)",
        Duration::from_secs(4),
        || async move {
            let later = get(&format!("{base}/probe?target=seedbox1"), None)
                .await
                .body;
            (polls(&later) >= before + 2.0).then_some(())
        },
    )
    .await;
    stop.cancel();
}

#[tokio::test]
async fn slow_clients_cannot_starve_scrapes() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let (addr, stop, _task) = start(&[
        "--porla.url",
        &porla.url(),
        "--web.max-connections",
        "4",
        "--web.read-header-timeout",
        "1s",
    ])
    .await;
    // Take every connection slot with clients that never finish their request head.
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(s);
    }
    let started = Instant::now();
    let r = reqwest::Client::new()
        .get(format!("http://{addr}/metrics"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("a scrape got through once the slow clients timed out");
    assert_eq!(r.status(), 200);
    eprintln!(
        "scrape behind 4 slowloris clients answered after {:?}",
        started.elapsed()
    );
    stop.cancel();
}

/// Nice value and name of each thread of a process, from /proc.
fn thread_nices(pid: u32) -> Vec<(String, i64)> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .filter_map(|t| {
            let dir = t.ok()?.path();
            let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
            let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
            // Fields after the parenthesised name: state is field 3, nice field 19.
            let nice = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(16)?
                .parse()
                .ok()?;
            Some((comm.trim().to_owned(), nice))
        })
        .collect()
}

/// Polls run at a lower CPU priority than scrapes: the pollers' threads (their workers and the
/// blocking threads that assemble views and compress snapshot parts) have the server's nice
/// value + 10, whichever thread started them; every other thread keeps the server's.
#[tokio::test]
async fn polls_run_at_a_lower_priority_than_scrapes() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = Binary::start(&["--porla.url", &porla.url(), "--poll.interval", "1s"], &[]);
    // Two polls: the pollers' blocking threads have assembled and freed views by then.
    exp.wait_for("/metrics", |b| {
        b.contains("porla_exporter_polls_total{result=\"success\"} 2")
    })
    .await;
    let own: i64 = thread_nices(std::process::id())
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .unwrap();
    let threads = thread_nices(exp.pid());
    let polls: Vec<_> = threads
        .iter()
        .filter(|(name, _)| name == porla_exporter::app::POLL_THREAD_NAME)
        .collect();
    assert!(
        polls.len() >= 2,
        "the pollers have threads of their own: {threads:?}"
    );
    let want = (own + i64::from(porla_exporter::app::POLL_NICE)).min(19);
    for (name, nice) in &threads {
        let expected = if name == porla_exporter::app::POLL_THREAD_NAME {
            want
        } else {
            own
        };
        assert_eq!(*nice, expected, "thread {name}: {threads:?}");
    }
}

/// 50 clients scrape the real binary as fast as they can for 3 s while it polls every second
/// (2,000 torrents, full mode). Clients read the body as a stream, so the memory measured is
/// the exporter's own (its peak RSS, from /proc).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_scrapers_while_polling() {
    let porla = FakePorla::start(
        synthetic_torrents(2000, 1, 1_795_683_205, 1800),
        FakeAuth::Disabled,
    )
    .await;
    porla.stop_recording();
    let mut exp = Binary::start(
        &[
            "--porla.url",
            &porla.url(),
            "--poll.mode",
            "full",
            "--poll.interval",
            "1s",
        ],
        &[],
    );
    let url = format!("{}/metrics", exp.url);
    exp.ready().await;
    let rss_idle = Memory::of(exp.pid()).peak_mib();
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut req = client.get(&url).timeout(Duration::from_secs(20));
                if i % 2 == 0 {
                    req = req.header("Accept-Encoding", "gzip");
                }
                let mut bytes = 0;
                let ok = match req.send().await {
                    Ok(mut r) if r.status() == 200 => loop {
                        match r.chunk().await {
                            Ok(Some(c)) => bytes += c.len(),
                            Ok(None) => break bytes > 1000,
                            Err(_) => break false,
                        }
                    },
                    _ => false,
                };
                if ok {
                    lat.push(t.elapsed());
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    let rss_peak = Memory::of(exp.pid()).peak_mib();
    drop(exp);
    lat.sort();
    let p = |q: f64| lat[((lat.len() - 1) as f64 * q) as usize];
    eprintln!(
        "load (debug build): {} scrapes by 50 clients in 3 s, {errors} errors, latency p50 {:?} p99 {:?} max {:?}, exporter peak RSS {rss_idle:.1} MiB idle, {rss_peak:.1} MiB under load",
        lat.len(),
        p(0.5),
        p(0.99),
        lat.last().unwrap()
    );
    assert_eq!(errors, 0);
    assert!(lat.len() >= 50, "every client got through at least once");
    assert!(
        *lat.last().unwrap() < Duration::from_secs(15),
        "bounded latency"
    );
    assert!(rss_peak < 256.0, "bounded memory: peak {rss_peak:.1} MiB");
}

/// `porla-exporter healthcheck` with the web config the exporter runs with, through the
/// environment as the image's HEALTHCHECK gets it: healthy with basic auth (the health endpoint
/// needs no password), with TLS, and with client certificates required (the server's refusal of
/// the missing certificate ends a completed handshake). Without the web config, the health
/// check speaks plain HTTP to the TLS port and fails, saying why on one line.
#[test]
fn healthcheck_works_with_every_web_config() {
    let dir = tempfile::tempdir().unwrap();
    let _pki = pki(dir.path());
    let hash = bcrypt::hash("right-password", 4).unwrap();
    let auth = format!("basic_auth_users:\n  prometheus: '{hash}'\n");
    let tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
    let mtls =
        format!("{tls}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
    for (name, yml, is_tls) in [
        ("basic-auth.yml", auth.clone(), false),
        ("tls-basic-auth.yml", format!("{tls}{auth}"), true),
        ("mtls.yml", mtls, true),
    ] {
        let web = dir.path().join(name);
        std::fs::write(&web, &yml).unwrap();
        let web = web.to_str().unwrap();
        let env = [("PORLA_EXPORTER_WEB_CONFIG_FILE", web)];
        let exp = Binary::start(&["--porla.url", "http://127.0.0.1:9"], &env);
        let listen = exp.url.trim_start_matches("http://").to_owned();
        let listen_env = ("PORLA_EXPORTER_WEB_LISTEN_ADDRESS", listen.as_str());
        let ok = binary::run_to_end(&["healthcheck"], &[env[0], listen_env]);
        assert_eq!(ok.code, Some(0), "{name}: {}", ok.stderr);
        assert!(ok.stderr.is_empty(), "{name}: {}", ok.stderr);
        // The same with flags.
        let ok = binary::run_to_end(
            &[
                "--web.listen-address",
                &listen,
                "--web.config.file",
                web,
                "healthcheck",
            ],
            &[],
        );
        assert_eq!(ok.code, Some(0), "{name}: {}", ok.stderr);
        if is_tls {
            let plain = binary::run_to_end(&["healthcheck"], &[listen_env]);
            assert_eq!(
                plain.code,
                Some(1),
                "{name}: plain HTTP to TLS: {}",
                plain.stderr
            );
            assert_eq!(plain.stderr.lines().count(), 1, "{}", plain.stderr);
            assert!(
                plain.stderr.starts_with("healthcheck: "),
                "{}",
                plain.stderr
            );
        }
        drop(exp);
        let down = binary::run_to_end(&["healthcheck"], &[env[0], listen_env]);
        assert_eq!(down.code, Some(1), "{name}: nothing listens any more");
        assert!(down.stderr.starts_with("healthcheck: "), "{}", down.stderr);
    }
}

/// The example web config in deploy/web loads as the exporter loads it (basic auth and the
/// headers, no TLS), and so does its commented TLS block once uncommented, with a certificate
/// and key where it names them.
#[test]
fn the_example_web_config_loads() {
    use porla_exporter::webconfig::WebConfig;
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/web/web-config.yml");
    let web = WebConfig::load(&example).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(web.auth.is_some() && web.tls.is_none(), "{web:?}");
    assert_eq!(web.headers.len(), 2, "{web:?}");

    let text = std::fs::read_to_string(&example).unwrap();
    let mut in_tls = false;
    let uncommented: String = text
        .lines()
        .map(|l| {
            if l == "# tls_server_config:" {
                in_tls = true;
            } else if !l.starts_with("#  ") {
                in_tls = false;
            }
            let l = if in_tls { &l[2..] } else { l };
            format!("{l}\n")
        })
        .collect();
    assert!(
        uncommented.contains("\ntls_server_config:\n  cert_file: tls.crt\n"),
        "{uncommented}"
    );
    let dir = tempfile::tempdir().unwrap();
    pki(dir.path());
    std::fs::copy(dir.path().join("server.crt"), dir.path().join("tls.crt")).unwrap();
    std::fs::copy(dir.path().join("server.key"), dir.path().join("tls.key")).unwrap();
    let file = dir.path().join("web-config.yml");
    std::fs::write(&file, &uncommented).unwrap();
    let web = WebConfig::load(&file).unwrap_or_else(|e| panic!("{e:#}\n{uncommented}"));
    assert!(web.tls.is_some() && web.auth.is_some(), "{web:?}");
}
