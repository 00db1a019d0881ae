//! TLS to Porla through a real TLS front (tokio-rustls) in front of the fake Porla, with
//! certificates made here: private CA, client certificates, another name, expired, untrusted.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use porla_exporter::porla::{Auth, ClientConfig, TlsOptions};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, Issuer, KeyPair,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use support::binary::{run_to_end, Binary, Ended};
use support::fake_porla::{sample_torrents, FakeAuth, FakePorla};
use support::{exporter_with, poll_config, poll_errors, sample, Exporter};

/// A private CA, written as `ca.crt` into a directory, that signs what the tests need.
struct Pki {
    dir: tempfile::TempDir,
    ca: CertifiedIssuer<'static, KeyPair>,
    ca_file: PathBuf,
}

/// A certificate and key, in memory and as PEM files.
struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    cert_file: PathBuf,
    key_file: PathBuf,
}

impl Pki {
    fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let ca_file = dir.path().join("ca.crt");
        std::fs::write(&ca_file, ca.pem()).unwrap();
        Pki { dir, ca, ca_file }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A leaf for `names`, signed by `issuer` (this CA unless another is given).
    fn leaf(
        &self,
        tag: &str,
        names: &[&str],
        expired: bool,
        issuer: Option<&Issuer<'_, KeyPair>>,
    ) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap();
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let cert = params.signed_by(&key, issuer.unwrap_or(&self.ca)).unwrap();
        let cert_file = self.path(&format!("{tag}.crt"));
        let key_file = self.path(&format!("{tag}.key"));
        std::fs::write(&cert_file, cert.pem()).unwrap();
        std::fs::write(&key_file, key.serialize_pem()).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            cert_file,
            key_file,
        }
    }
}

/// A TLS front on 127.0.0.1 forwarding to the fake Porla; asks for a client certificate of
/// `client_ca` when given.
struct Front {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn front(leaf: &Leaf, upstream: std::net::SocketAddr, client_ca: Option<&Path>) -> Front {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            let pem = std::fs::read(ca).unwrap();
            use rustls::pki_types::pem::PemObject;
            for c in CertificateDer::pem_slice_iter(&pem) {
                roots.add(c.unwrap()).unwrap();
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(leaf.chain.clone(), leaf.key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(conn).await else {
                    return;
                };
                let Ok(mut up) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
            });
        }
    });
    Front { url, task }
}

async fn exporter(url: &str, tls: TlsOptions) -> Exporter {
    let mut cfg = ClientConfig::new(url.parse().unwrap(), Auth::None, Duration::from_secs(2));
    cfg.tls = tls
        .build(&|k: &str| format!("--porla.tls.{k}"))
        .expect("valid TLS options");
    exporter_with(cfg, poll_config()).await
}

fn trusting(pki: &Pki) -> TlsOptions {
    TlsOptions {
        ca_file: Some(pki.ca_file.clone()),
        ..TlsOptions::default()
    }
}

async fn assert_up(exp: &mut Exporter) {
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(1.0), "{body}");
    assert_eq!(sample(&body, "porla_torrents"), Some(6.0), "{body}");
}

/// The poll fails as `tls` with a message containing `says`, and is counted so.
async fn assert_tls_failure(exp: &mut Exporter, says: &str) {
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    eprintln!("tls failure: {err}");
    assert_eq!(err.class(), "tls", "{err}");
    assert!(err.to_string().contains(says), "{err}");
    let body = exp.poll_and_scrape().await;
    assert_eq!(sample(&body, "porla_up"), Some(0.0), "{body}");
    assert_eq!(poll_errors(&body, "tls"), Some(1.0), "{body}");
}

#[tokio::test]
async fn a_private_ca_is_trusted_with_the_ca_file_and_unknown_without() {
    let pki = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let leaf = pki.leaf("server", &["127.0.0.1", "localhost"], false, None);
    let front = front(&leaf, porla.addr, None).await;

    assert_up(&mut exporter(&front.url, trusting(&pki)).await).await;
    // reqwest's own TLS set-up (no option given) knows only the public roots.
    assert_tls_failure(
        &mut exporter(&front.url, TlsOptions::default()).await,
        "unknown CA",
    )
    .await;
}

#[tokio::test]
async fn a_name_mismatch_is_named_and_server_name_verifies_another_name() {
    let pki = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let leaf = pki.leaf("server", &["porla.internal"], false, None);
    let front = front(&leaf, porla.addr, None).await;

    assert_tls_failure(
        &mut exporter(&front.url, trusting(&pki)).await,
        "name mismatch",
    )
    .await;
    let named = TlsOptions {
        server_name: Some("porla.internal".into()),
        ..trusting(&pki)
    };
    assert_up(&mut exporter(&front.url, named).await).await;
    let wrong = TlsOptions {
        server_name: Some("other.internal".into()),
        ..trusting(&pki)
    };
    assert_tls_failure(&mut exporter(&front.url, wrong).await, "name mismatch").await;
}

#[tokio::test]
async fn an_expired_certificate_is_named() {
    let pki = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let leaf = pki.leaf("server", &["127.0.0.1"], true, None);
    let front = front(&leaf, porla.addr, None).await;
    assert_tls_failure(&mut exporter(&front.url, trusting(&pki)).await, "expired").await;
}

#[tokio::test]
async fn a_client_certificate_is_presented_when_the_front_asks() {
    let pki = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let leaf = pki.leaf("server", &["127.0.0.1"], false, None);
    let front = front(&leaf, porla.addr, Some(&pki.ca_file)).await;
    let client = pki.leaf("client", &["prometheus"], false, None);

    assert_tls_failure(&mut exporter(&front.url, trusting(&pki)).await, "TLS").await;
    let with_cert = TlsOptions {
        cert_file: Some(client.cert_file.clone()),
        key_file: Some(client.key_file.clone()),
        ..trusting(&pki)
    };
    assert_up(&mut exporter(&front.url, with_cert).await).await;
}

#[tokio::test]
async fn insecure_skip_verify_accepts_an_untrusted_certificate() {
    let pki = Pki::new();
    let other = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    // Signed by a CA nobody trusts, for another name, and expired.
    let leaf = pki.leaf("server", &["elsewhere.invalid"], true, Some(&other.ca));
    let front = front(&leaf, porla.addr, None).await;
    let insecure = TlsOptions {
        insecure_skip_verify: true,
        ..TlsOptions::default()
    };
    assert_up(&mut exporter(&front.url, insecure).await).await;
}

#[tokio::test]
async fn plain_http_behind_an_https_url_is_a_tls_failure() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let url = format!("https://{}", porla.addr);
    let mut exp = exporter(&url, TlsOptions::default()).await;
    let err = exp.poller.poll_once().await.expect_err("the poll fails");
    assert_eq!(err.class(), "tls", "{err}");
}

#[test]
fn bad_tls_files_exit_2_with_one_line_naming_the_setting() {
    let pki = Pki::new();
    let client = pki.leaf("client", &["prometheus"], false, None);
    let garbage = pki.path("garbage.pem");
    std::fs::write(&garbage, "not a PEM file\n").unwrap();
    let other_key = pki.path("other.key");
    std::fs::write(&other_key, KeyPair::generate().unwrap().serialize_pem()).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--porla.tls.ca-file".into(), "/nonexistent/ca.pem".into()],
            "--porla.tls.ca-file",
        ),
        (
            vec!["--porla.tls.ca-file".into(), s(&garbage)],
            "--porla.tls.ca-file",
        ),
        (
            vec![
                "--porla.tls.cert-file".into(),
                s(&client.cert_file),
                "--porla.tls.key-file".into(),
                "/nonexistent/key.pem".into(),
            ],
            "--porla.tls.key-file",
        ),
        (
            vec![
                "--porla.tls.cert-file".into(),
                s(&client.cert_file),
                "--porla.tls.key-file".into(),
                s(&garbage),
            ],
            "--porla.tls.key-file",
        ),
        (
            vec![
                "--porla.tls.cert-file".into(),
                s(&garbage),
                "--porla.tls.key-file".into(),
                s(&client.key_file),
            ],
            "--porla.tls.cert-file",
        ),
        (
            vec!["--porla.tls.cert-file".into(), s(&client.cert_file)],
            "--porla.tls.key-file",
        ),
        (
            vec![
                "--porla.tls.cert-file".into(),
                s(&client.cert_file),
                "--porla.tls.key-file".into(),
                s(&other_key),
            ],
            "do not go together",
        ),
        (
            vec!["--porla.tls.server-name".into(), "bad name!".into()],
            "--porla.tls.server-name",
        ),
        (
            vec!["--porla.max-response-size".into(), "lots".into()],
            "--porla.max-response-size",
        ),
        (
            vec![
                "--porla.max-response-size".into(),
                "1MiB".into(),
                "--porla.page-size".into(),
                "1000".into(),
            ],
            "--porla.page-size",
        ),
    ];
    for (args, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let Ended { code, stderr, .. } = run_to_end(&args, &[]);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "{args:?}: one line: {stderr}"
        );
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // The same checks for an instance of --config.file, named by its key.
    let file = pki.path("instances.toml");
    std::fs::write(
        &file,
        format!(
            "[instances.a]\nurl = \"https://127.0.0.1:1\"\ntls_ca_file = {:?}\n",
            s(&garbage)
        ),
    )
    .unwrap();
    let Ended { code, stderr, .. } = run_to_end(&["--config.file", &s(&file)], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("instance \"a\"") && stderr.contains("tls_ca_file"),
        "{stderr}"
    );
}

/// The binary, with a `--config.file` instance behind the TLS front (private CA, client
/// certificate, own size limit), and `--porla.tls.insecure-skip-verify` logging its warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_speaks_tls_from_flags_and_from_the_config_file() {
    let pki = Pki::new();
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let leaf = pki.leaf("server", &["porla.internal"], false, None);
    let front = front(&leaf, porla.addr, Some(&pki.ca_file)).await;
    let client = pki.leaf("client", &["prometheus"], false, None);

    let file = pki.path("instances.toml");
    std::fs::write(
        &file,
        format!(
            "[instances.tls]\nurl = {:?}\nmax_response_size = \"1MiB\"\ntls_ca_file = {:?}\ntls_cert_file = {:?}\ntls_key_file = {:?}\ntls_server_name = \"porla.internal\"\n",
            front.url, pki.ca_file, client.cert_file, client.key_file
        ),
    )
    .unwrap();
    let mut exp = Binary::start(
        &[
            "--config.file",
            file.to_str().unwrap(),
            "--porla.page-size",
            "100",
            "--poll.interval",
            "1s",
        ],
        &[],
    );
    let ok = exp
        .wait_for("/probe?target=tls", |b| sample(b, "porla_up") == Some(1.0))
        .await;
    assert_eq!(sample(&ok, "porla_torrents"), Some(6.0), "{ok}");
    exp.terminate();

    // Environment variables work like the flags.
    let (cert, key) = (
        client.cert_file.to_str().unwrap(),
        client.key_file.to_str().unwrap(),
    );
    let mut exp = Binary::start(
        &["--poll.interval", "1s"],
        &[
            ("PORLA_URL", &front.url),
            ("PORLA_TLS_INSECURE_SKIP_VERIFY", "true"),
            ("PORLA_TLS_CERT_FILE", cert),
            ("PORLA_TLS_KEY_FILE", key),
        ],
    );
    exp.wait_for("/metrics", |b| sample(b, "porla_up") == Some(1.0))
        .await;
    let (_, log) = exp.terminate();
    let warn = log
        .lines()
        .find(|l| l.contains("insecure-skip-verify"))
        .unwrap_or_else(|| panic!("no warning in:\n{log}"));
    assert!(warn.contains("level=warn"), "{warn}");
}
