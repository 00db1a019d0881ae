//! `--web.config.file`: the Prometheus exporter-toolkit web configuration.
//!
//! The same YAML file node_exporter and blackbox_exporter read:
//!
//! ```yaml
//! tls_server_config:
//!   cert_file: server.crt
//!   key_file: server.key
//!   client_auth_type: RequireAndVerifyClientCert   # optional
//!   client_ca_file: ca.crt                        # optional
//!   min_version: TLS12                            # optional: TLS12 or TLS13
//! http_server_config:
//!   headers:
//!     Strict-Transport-Security: max-age=31536000
//! basic_auth_users:
//!   prometheus: $2y$10$...                         # bcrypt hash
//! ```
//!
//! Unknown keys are errors, as in exporter-toolkit. Relative paths are relative to the file.
//! `cipher_suites`, `curve_preferences`, `prefer_server_cipher_suites` and `max_version` are
//! accepted for compatibility; rustls's defaults (modern suites only) apply.
//!
//! The file is read at start. The server certificate and key it names are read again for new
//! connections whenever they change on disk (certificate rotation without a restart); a new pair
//! that does not load keeps the last good one in use (`CertFiles`). The rest of the file
//! (client CA, basic auth, headers) is read at start only.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context};
use serde::Deserialize;
use tokio_rustls::rustls;
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    tls_server_config: Option<TlsFile>,
    http_server_config: Option<HttpFile>,
    #[serde(default)]
    basic_auth_users: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsFile {
    cert_file: Option<PathBuf>,
    key_file: Option<PathBuf>,
    #[serde(default)]
    client_auth_type: Option<String>,
    client_ca_file: Option<PathBuf>,
    min_version: Option<String>,
    #[serde(default)]
    max_version: Option<String>,
    #[serde(default)]
    cipher_suites: Option<Vec<String>>,
    #[serde(default)]
    curve_preferences: Option<Vec<String>>,
    #[serde(default)]
    prefer_server_cipher_suites: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpFile {
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    http2: Option<bool>,
}

/// Headers exporter-toolkit allows in `http_server_config.headers`.
const ALLOWED_HEADERS: &[&str] = &[
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-XSS-Protection",
    "Content-Security-Policy",
];

/// The validated web configuration.
#[derive(Clone)]
pub struct WebConfig {
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// `client_auth_type: RequireAndVerifyClientCert`: a client without a certificate cannot
    /// get past the TLS handshake (the health check has none).
    pub client_cert_required: bool,
    pub headers: Vec<(hyper::header::HeaderName, hyper::header::HeaderValue)>,
    pub auth: Option<Arc<BasicAuth>>,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("tls", &self.tls.is_some())
            .field("headers", &self.headers.len())
            .field("basic_auth", &self.auth.is_some())
            .finish()
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}

impl WebConfig {
    /// Reads and checks the file: certificates and keys are loaded now, so a missing or bad
    /// one is a start-up error. Errors name `--web.config.file` and the offending key. The
    /// server certificate and key are read again later when they change (`CertFiles`).
    pub fn load(path: &Path) -> anyhow::Result<WebConfig> {
        let flag = "--web.config.file";
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{flag}: cannot read {}", path.display()))?;
        let file: File = if text.trim().is_empty() {
            File::default()
        } else {
            serde_norway::from_str(&text).map_err(|e| {
                anyhow!(
                    "{flag}: {}: {}",
                    path.display(),
                    e.to_string().replace('\n', " ")
                )
            })?
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let client_cert_required = file
            .tls_server_config
            .as_ref()
            .is_some_and(|t| t.client_auth_type.as_deref() == Some("RequireAndVerifyClientCert"));
        let tls = match file.tls_server_config {
            Some(t) => Some(Arc::new(
                tls_config(base, t).map_err(|e| anyhow!("{flag}: tls_server_config: {e:#}"))?,
            )),
            None => None,
        };
        let mut headers = Vec::new();
        if let Some(h) = file.http_server_config {
            if h.http2 == Some(true) {
                tracing::debug!(
                    "http_server_config.http2 is ignored: the exporter serves HTTP/1.1"
                );
            }
            for (k, v) in h.headers {
                let Some(allowed) = ALLOWED_HEADERS.iter().find(|a| a.eq_ignore_ascii_case(&k))
                else {
                    bail!(
                        "{flag}: http_server_config.headers: {k:?} is not one of {}",
                        ALLOWED_HEADERS.join(", ")
                    );
                };
                let value = hyper::header::HeaderValue::from_str(&v).map_err(|_| {
                    anyhow!("{flag}: http_server_config.headers: bad value for {allowed}")
                })?;
                // from_bytes lowercases the name (HTTP/1 header names are case-insensitive).
                let name = hyper::header::HeaderName::from_bytes(allowed.as_bytes())
                    .expect("allowed header names are valid");
                headers.push((name, value));
            }
        }
        let auth = if file.basic_auth_users.is_empty() {
            None
        } else {
            for (user, hash) in &file.basic_auth_users {
                if user.contains(':') {
                    bail!("{flag}: basic_auth_users: user {user:?} contains ':'");
                }
                hash.parse::<bcrypt::HashParts>().map_err(|_| {
                    anyhow!("{flag}: basic_auth_users: the hash of {user:?} is not a bcrypt hash")
                })?;
            }
            Some(Arc::new(BasicAuth {
                users: file.basic_auth_users,
                cache: Mutex::new(HashMap::new()),
            }))
        };
        Ok(WebConfig {
            tls,
            client_cert_required,
            headers,
            auth,
        })
    }
}

fn tls_config(base: &Path, t: TlsFile) -> anyhow::Result<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    let cert_file = t
        .cert_file
        .ok_or_else(|| anyhow!("cert_file is required"))?;
    let key_file = t.key_file.ok_or_else(|| anyhow!("key_file is required"))?;
    let cert_path = resolve(base, &cert_file);
    let key_path = resolve(base, &key_file);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let pair = CertFiles::load(cert_path, key_path, provider.clone())?;
    let versions: &[&rustls::SupportedProtocolVersion] = match t.min_version.as_deref() {
        None | Some("TLS12") => &[&rustls::version::TLS13, &rustls::version::TLS12],
        Some("TLS13") => &[&rustls::version::TLS13],
        Some(v @ ("TLS10" | "TLS11")) => bail!("min_version {v} is not supported (TLS12 or TLS13)"),
        Some(v) => bail!("min_version {v:?} is not one of TLS12, TLS13"),
    };
    if t.max_version.is_some()
        || t.cipher_suites.is_some()
        || t.curve_preferences.is_some()
        || t.prefer_server_cipher_suites.is_some()
    {
        tracing::debug!("tls_server_config: max_version, cipher_suites, curve_preferences and prefer_server_cipher_suites are ignored");
    }
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| anyhow!("{e}"))?;

    let client_auth = t.client_auth_type.as_deref().unwrap_or("NoClientCert");
    let roots = || -> anyhow::Result<Arc<rustls::RootCertStore>> {
        let ca = t
            .client_ca_file
            .as_ref()
            .ok_or_else(|| anyhow!("client_auth_type {client_auth} needs client_ca_file"))?;
        let ca_path = resolve(base, ca);
        let mut store = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_file_iter(&ca_path)
            .map_err(|e| anyhow!("client_ca_file {}: {e}", ca_path.display()))?
        {
            store
                .add(c.map_err(|e| anyhow!("client_ca_file {}: {e}", ca_path.display()))?)
                .map_err(|e| anyhow!("client_ca_file {}: {e}", ca_path.display()))?;
        }
        if store.is_empty() {
            bail!("client_ca_file {}: no certificate in it", ca_path.display());
        }
        Ok(Arc::new(store))
    };
    let verifier =
        |optional: bool| -> anyhow::Result<Arc<dyn rustls::server::danger::ClientCertVerifier>> {
            let b = rustls::server::WebPkiClientVerifier::builder_with_provider(
                roots()?,
                provider.clone(),
            );
            let b = if optional {
                b.allow_unauthenticated()
            } else {
                b
            };
            b.build()
                .map(|v| v as Arc<dyn rustls::server::danger::ClientCertVerifier>)
                .map_err(|e| anyhow!("client_ca_file: {e}"))
        };
    let builder = match client_auth {
        "NoClientCert" | "" => builder.with_no_client_auth(),
        "RequireAndVerifyClientCert" => builder.with_client_cert_verifier(verifier(false)?),
        "VerifyClientCertIfGiven" => builder.with_client_cert_verifier(verifier(true)?),
        "RequestClientCert" | "RequireAnyClientCert" => {
            bail!("client_auth_type {client_auth} (unverified client certificates) is not supported; use RequireAndVerifyClientCert or VerifyClientCertIfGiven")
        }
        other => bail!("client_auth_type {other:?} is not a known client auth type"),
    };
    let mut cfg = builder.with_cert_resolver(Arc::new(pair));
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(cfg)
}

/// The server certificate and key of `tls_server_config`, read again for new connections when
/// either file changes: rustls asks [`ResolvesServerCert::resolve`] for them at every handshake,
/// and a look at both files' metadata (no read) tells whether they changed.
///
/// exporter-toolkit (prometheus/exporter-toolkit, web/tls_config.go) reads both files at every
/// handshake through `tls.Config.GetCertificate`, and the whole web config through
/// `GetConfigForClient`; a file that does not load there fails the handshake. Here a new pair
/// that does not load (a missing file, bad PEM, a key that does not match the certificate, or
/// a rotation caught half written) leaves the last good pair in use, and the reason is logged
/// once per change of the files, not once per connection.
#[derive(Debug)]
struct CertFiles {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<rustls::crypto::CryptoProvider>,
    state: Mutex<Served>,
}

/// What [`CertFiles`] serves, and the files' metadata when it last tried to load them.
#[derive(Debug)]
struct Served {
    pair: Arc<CertifiedKey>,
    seen: [Option<FileStamp>; 2],
}

/// What a file's metadata says of its content: a write changes the modification time and
/// usually the size; a replacement (rename, a Kubernetes secret's symlink swap) the inode.
/// `None` when the file cannot be looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(unix)]
    changed: (i64, i64),
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Some(FileStamp {
            modified: m.modified().ok(),
            len: m.len(),
            #[cfg(unix)]
            inode: (m.dev(), m.ino()),
            #[cfg(unix)]
            changed: (m.ctime(), m.ctime_nsec()),
        })
    }
}

impl CertFiles {
    /// Reads the pair now: at start, a pair that does not load is an error (exit 2).
    fn load(
        cert: PathBuf,
        key: PathBuf,
        provider: Arc<rustls::crypto::CryptoProvider>,
    ) -> anyhow::Result<CertFiles> {
        // Looked at before reading, so that a change while reading is seen at the next handshake.
        let seen = [FileStamp::of(&cert), FileStamp::of(&key)];
        let pair = Arc::new(read_pair(&cert, &key, &provider)?);
        Ok(CertFiles {
            cert,
            key,
            provider,
            state: Mutex::new(Served { pair, seen }),
        })
    }

    /// The pair to serve: the files' if they changed and load, else the last good one.
    fn current(&self) -> Arc<CertifiedKey> {
        let now = [FileStamp::of(&self.cert), FileStamp::of(&self.key)];
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.seen == now {
            return state.pair.clone();
        }
        state.seen = now;
        match read_pair(&self.cert, &self.key, &self.provider) {
            Ok(pair) => {
                state.pair = Arc::new(pair);
                tracing::info!(
                    cert_file = %self.cert.display(),
                    key_file = %self.key.display(),
                    "--web.config.file: the TLS certificate and key changed; new connections get the new ones"
                );
            }
            Err(e) => tracing::warn!(
                cert_file = %self.cert.display(),
                key_file = %self.key.display(),
                error = format!("{e:#}"),
                "--web.config.file: the TLS certificate or key changed but does not load; new connections still get the last good ones"
            ),
        }
        state.pair.clone()
    }
}

impl ResolvesServerCert for CertFiles {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current())
    }
}

/// Reads a certificate chain and its private key, and checks that they belong together.
fn read_pair(
    cert: &Path,
    key: &Path,
    provider: &rustls::crypto::CryptoProvider,
) -> anyhow::Result<CertifiedKey> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| anyhow!("cert_file {}: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("cert_file {}: {e}", cert.display()))?;
    if chain.is_empty() {
        bail!("cert_file {}: no certificate in it", cert.display());
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| anyhow!("key_file {}: {e}", key.display()))?;
    CertifiedKey::from_der(chain, key_der, provider).map_err(|e| match e {
        rustls::Error::InconsistentKeys(_) => anyhow!(
            "key_file {}: not the key of the certificate in cert_file {}",
            key.display(),
            cert.display()
        ),
        e => anyhow!("cert_file/key_file: {e}"),
    })
}

/// Users and bcrypt hashes, with a cache of verified credentials (bcrypt is slow on purpose;
/// exporter-toolkit caches too). The cache holds a SHA-256 of the credentials, never them.
pub struct BasicAuth {
    users: BTreeMap<String, String>,
    cache: Mutex<HashMap<[u8; 32], bool>>,
}

impl BasicAuth {
    /// Checks an `Authorization` header value. Slow the first time (bcrypt): call off the
    /// async runtime's threads.
    pub fn check(&self, header: Option<&str>) -> bool {
        use base64::Engine;
        use sha2::Digest;
        let Some(encoded) = header.and_then(|h| {
            h.strip_prefix("Basic ")
                .or_else(|| h.strip_prefix("basic "))
        }) else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(text) = String::from_utf8(decoded) else {
            return false;
        };
        let Some((user, password)) = text.split_once(':') else {
            return false;
        };
        let key: [u8; 32] = sha2::Sha256::digest(text.as_bytes()).into();
        if let Some(ok) = self.cache.lock().expect("auth cache").get(&key) {
            return *ok;
        }
        // Unknown users still cost a bcrypt round, so timing does not tell users apart.
        const DUMMY: &str = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
        let hash = self.users.get(user).map(String::as_str).unwrap_or(DUMMY);
        let ok = bcrypt::verify(password, hash).unwrap_or(false) && self.users.contains_key(user);
        let mut cache = self.cache.lock().expect("auth cache");
        if cache.len() > 1024 {
            cache.clear();
        }
        cache.insert(key, ok);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn bad_files_name_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        for (body, needle) in [
            (
                "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n",
                "missing.crt",
            ),
            (
                "tls_server_config:\n  key_file: k\n",
                "cert_file is required",
            ),
            ("bogus: 1\n", "bogus"),
            ("basic_auth_users:\n  u: plaintext\n", "not a bcrypt hash"),
            ("http_server_config:\n  headers:\n    X-Evil: 1\n", "X-Evil"),
        ] {
            let p = write(dir.path(), "web.yml", body);
            let e = WebConfig::load(&p).unwrap_err().to_string();
            assert!(
                e.contains(needle) && e.starts_with("--web.config.file"),
                "{body:?}: {e}"
            );
            assert!(!e.contains('\n'), "{e:?}");
        }
        let e = WebConfig::load(&dir.path().join("absent.yml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"));
    }

    #[test]
    fn basic_auth_checks_bcrypt_and_caches() {
        let hash = bcrypt::hash("s3cret", 4).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "web.yml",
            &format!("basic_auth_users:\n  prom: '{hash}'\n"),
        );
        let auth = WebConfig::load(&p).unwrap().auth.unwrap();
        use base64::Engine;
        let h = |s: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            )
        };
        assert!(auth.check(Some(&h("prom:s3cret"))));
        assert!(auth.check(Some(&h("prom:s3cret"))), "cached");
        assert!(!auth.check(Some(&h("prom:wrong"))));
        assert!(!auth.check(Some(&h("other:s3cret"))));
        assert!(!auth.check(None));
        assert!(!auth.check(Some("Bearer x")));
    }

    /// A self-signed certificate for `localhost` and its key, as PEM.
    fn pair() -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn served(files: &CertFiles) -> Vec<u8> {
        files.current().cert[0].to_vec()
    }

    fn der(pem: &str) -> Vec<u8> {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_slice(pem.as_bytes())
            .unwrap()
            .to_vec()
    }

    #[test]
    fn cert_files_follow_a_rotation_and_keep_the_last_good_pair() {
        let dir = tempfile::tempdir().unwrap();
        let (crt, key) = (dir.path().join("s.crt"), dir.path().join("s.key"));
        let (a_crt, a_key) = pair();
        std::fs::write(&crt, &a_crt).unwrap();
        std::fs::write(&key, &a_key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let files = CertFiles::load(crt.clone(), key.clone(), provider).unwrap();
        assert_eq!(served(&files), der(&a_crt));
        // Unchanged files: the same pair, not read again.
        assert!(Arc::ptr_eq(&files.current(), &files.current()));

        // Broken in each way: the last good pair stays.
        let (b_crt, b_key) = pair();
        for (crt_body, key_body) in [
            (Some("not a certificate"), None),
            (Some(a_crt.as_str()), Some(b_key.as_str())),
            (Some(""), None),
        ] {
            if let Some(b) = crt_body {
                std::fs::write(&crt, b).unwrap();
            }
            if let Some(b) = key_body {
                std::fs::write(&key, b).unwrap();
            }
            assert_eq!(served(&files), der(&a_crt), "{crt_body:?} {key_body:?}");
        }
        std::fs::remove_file(&key).unwrap();
        assert_eq!(served(&files), der(&a_crt), "key file gone");

        // A good new pair is served at once.
        std::fs::write(&crt, &b_crt).unwrap();
        std::fs::write(&key, &b_key).unwrap();
        assert_eq!(served(&files), der(&b_crt));
    }
}
