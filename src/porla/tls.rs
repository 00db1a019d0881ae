//! TLS to Porla (usually an HTTPS reverse proxy in front of it): extra trusted CAs, a client
//! certificate, a name to verify other than the URL's host, or no verification at all.
//!
//! Without any of these settings the client keeps reqwest's own rustls set-up (the webpki
//! roots), so the normal path is unchanged. With one of them, [`TlsOptions::build`] makes a
//! rustls `ClientConfig` on the same roots plus the given CA file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// TLS settings of one Porla instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// PEM file of CA certificates trusted in addition to the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate (chain) and its key.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// Name the server certificate must be valid for, instead of the URL's host.
    pub server_name: Option<String>,
    /// Accept any server certificate (still encrypted, no longer authenticated).
    pub insecure_skip_verify: bool,
}

/// The TLS set-up of one Porla instance, made once at start from [`TlsOptions`] (its files are
/// read then, not again).
#[derive(Debug, Clone)]
pub struct PorlaTls {
    /// The settings it was made from.
    pub options: TlsOptions,
    pub config: rustls::ClientConfig,
}

/// Names of the settings in error messages: the flag, or the `--config.file` key.
pub type Naming<'a> = &'a dyn Fn(&str) -> String;

impl TlsOptions {
    /// Nothing set: reqwest's default TLS applies.
    pub fn is_default(&self) -> bool {
        *self == TlsOptions::default()
    }

    /// Reads the files and makes the rustls configuration (`None` when nothing is set). Errors
    /// are one line naming the setting through `name` (given `ca-file`, `cert-file`, …).
    pub fn build(&self, name: Naming<'_>) -> anyhow::Result<Option<PorlaTls>> {
        if self.is_default() {
            return Ok(None);
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(path) = &self.ca_file {
            let what = name("ca-file");
            let certs = read_certs(&what, path)?;
            for c in certs {
                roots.add(c).map_err(|e| {
                    anyhow!(
                        "{what}: {}: not a usable CA certificate: {e}",
                        path.display()
                    )
                })?;
            }
        }
        let server_name = match &self.server_name {
            Some(n) => Some(ServerName::try_from(n.trim().to_owned()).map_err(|_| {
                anyhow!(
                    "{}: {n:?} is not a DNS name or IP address",
                    name("server-name")
                )
            })?),
            None => None,
        };
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| anyhow!("{}: {e}", name("ca-file")))?;
        let verifier = Arc::new(Verifier {
            inner: webpki,
            name: server_name,
            check_certificate: !self.insecure_skip_verify,
        });
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| anyhow!("TLS set-up: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let mut config = match (&self.cert_file, &self.key_file) {
            (None, None) => builder.with_no_client_auth(),
            (Some(_), None) => bail!("{} needs {}", name("cert-file"), name("key-file")),
            (None, Some(_)) => bail!("{} needs {}", name("key-file"), name("cert-file")),
            (Some(cert), Some(key)) => {
                let chain = read_certs(&name("cert-file"), cert)?;
                let key_what = name("key-file");
                let text = read(&key_what, key)?;
                let key_der = PrivateKeyDer::from_pem_slice(&text).map_err(|e| {
                    anyhow!(
                        "{key_what}: {}: no usable PEM private key: {e}",
                        key.display()
                    )
                })?;
                builder.with_client_auth_cert(chain, key_der).map_err(|e| {
                    anyhow!(
                        "{} / {key_what}: the certificate and key do not go together: {e}",
                        name("cert-file")
                    )
                })?
            }
        };
        // Porla's API is HTTP/1.1; reqwest does not add ALPN to a preconfigured set-up.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Some(PorlaTls {
            options: self.clone(),
            config,
        }))
    }
}

fn read(what: &str, path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow!("{what}: cannot read {}: {e}", path.display()))
}

fn read_certs(what: &str, path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let text = read(what, path)?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("{what}: {}: bad PEM: {e}", path.display()))?;
    if certs.is_empty() {
        bail!("{what}: {} holds no PEM certificate", path.display());
    }
    Ok(certs)
}

/// The webpki verifier, checking against a configured name instead of the URL's host. With
/// `--porla.tls.insecure-skip-verify` it accepts any certificate, but still checks the handshake
/// signatures (the peer holds the key of the certificate it sent).
#[derive(Debug)]
struct Verifier {
    inner: Arc<WebPkiServerVerifier>,
    name: Option<ServerName<'static>>,
    check_certificate: bool,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.check_certificate {
            return Ok(ServerCertVerified::assertion());
        }
        let name = self.name.as_ref().unwrap_or(server_name);
        self.inner
            .verify_server_cert(end_entity, intermediates, name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The rustls error somewhere in a reqwest error's chain, if the failure was TLS.
pub fn find_tls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        // `io::Error::source` skips the error it wraps: look inside it.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(r) = find_tls_error(inner) {
                return Some(r);
            }
        }
        cur = err.source();
    }
    None
}

/// What failed, in the operator's words.
pub fn describe(e: &rustls::Error) -> String {
    use rustls::Error as E;
    use CertificateError as C;
    let what = match e {
        E::InvalidCertificate(C::UnknownIssuer) => {
            "unknown CA: the certificate's issuer is not trusted (add it with --porla.tls.ca-file)"
        }
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            "name mismatch: the certificate is not valid for the host name (see --porla.tls.server-name)"
        }
        E::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            "expired: the certificate has expired"
        }
        E::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            "not valid yet: the certificate's validity starts in the future"
        }
        E::InvalidCertificate(C::Revoked) => "revoked: the certificate was revoked",
        E::InvalidCertificate(C::BadSignature) => "bad signature on the certificate",
        E::AlertReceived(_) => "the TLS front refused the handshake (client certificate missing or not accepted?)",
        E::InvalidMessage(_) => {
            "not TLS: the server at this https:// URL does not speak TLS"
        }
        _ => "",
    };
    if what.is_empty() {
        format!("TLS handshake failed: {e}")
    } else {
        format!("{what} ({e})")
    }
}
