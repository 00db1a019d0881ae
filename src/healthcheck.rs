//! `porla-exporter healthcheck`: asks the running exporter for `/-/healthy`, with the same
//! `--web.listen-address` and `--web.config.file` it runs with, so it works under every web
//! configuration the server accepts:
//!
//! - **Basic auth:** the server answers `/-/healthy` and `/-/ready` without credentials (they
//!   say only "Healthy" and "Ready"), so the health check needs no password. A bcrypt hash in
//!   the web config could not give it one anyway.
//! - **TLS:** the web config names a server certificate, so the health check speaks TLS. It
//!   does not verify the certificate (it connects to its own listener on a loopback address,
//!   where the certificate's names rarely fit, and it sends nothing secret), but rustls still
//!   checks that the server holds the certificate's key.
//! - **Client certificates required** (`client_auth_type: RequireAndVerifyClientCert`): the
//!   health check has none to give. It counts the server's refusal at the end of the TLS
//!   handshake, the `certificate_required` alert, as healthy: the listener is up and completed
//!   a handshake, which is all a client without a certificate can be shown.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::porla::TlsOptions;
use crate::webconfig::WebConfig;

/// How long the health check waits to connect, and then for each read or write.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// The request the health check sends.
const REQUEST: &[u8] = b"GET /-/healthy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

/// How the server showed that it is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Healthy {
    /// `/-/healthy` answered 200.
    Answered,
    /// TLS with client certificates required: the handshake completed and the server then
    /// refused the missing client certificate.
    ClientCertificateRequired,
}

/// Checks the exporter listening at `listen` (an unspecified address means this machine's
/// loopback), as configured by `web_config` (`--web.config.file`). The error is one line
/// saying what failed.
pub fn check(listen: SocketAddr, web_config: Option<&Path>) -> Result<Healthy, String> {
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let web = match web_config {
        Some(p) => Some(WebConfig::load(p).map_err(|e| format!("{e:#}"))?),
        None => None,
    };
    let tls = web.as_ref().is_some_and(|w| w.tls.is_some());
    let client_cert_required = web.as_ref().is_some_and(|w| w.client_cert_required);
    let tcp = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("{addr}: {e}"))?;
    tcp.set_read_timeout(Some(TIMEOUT))
        .and_then(|()| tcp.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| format!("{addr}: {e}"))?;
    let answer = if tls {
        let mut conn = rustls::StreamOwned::new(client(addr)?, tcp);
        match exchange(&mut conn) {
            Err(e) if client_cert_required && refused_for_certificate(&e) => {
                return Ok(Healthy::ClientCertificateRequired)
            }
            r => r,
        }
    } else {
        let mut tcp = tcp;
        exchange(&mut tcp)
    }
    .map_err(|e| format!("{addr}: {e}"))?;
    let status = answer.lines().next().unwrap_or("an empty answer");
    if status.starts_with("HTTP/1.1 200") {
        Ok(Healthy::Answered)
    } else {
        Err(format!("{addr}: /-/healthy answered {status}"))
    }
}

/// A TLS client for the exporter's own listener: any certificate, no client certificate.
fn client(addr: SocketAddr) -> Result<rustls::ClientConnection, String> {
    let options = TlsOptions {
        insecure_skip_verify: true,
        ..TlsOptions::default()
    };
    let config = options
        .build(&|s| s.to_owned())
        .map_err(|e| format!("{e:#}"))?
        .ok_or("TLS set-up: nothing to set up")?
        .config;
    let name = rustls::pki_types::ServerName::IpAddress(addr.ip().into());
    rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| format!("TLS set-up: {e}"))
}

/// Sends the request and reads the answer's head: up to the end of the status line is
/// enough, and a server that closes without a TLS close_notify after it is no failure.
fn exchange(stream: &mut (impl Read + Write)) -> std::io::Result<String> {
    stream.write_all(REQUEST)?;
    stream.flush()?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if answer.windows(2).any(|w| w == b"\r\n") || answer.len() > 16 * 1024 {
                    break;
                }
            }
            Err(e) if !answer.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        }
    }
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// The server ended the handshake asking for the client certificate the health check lacks.
fn refused_for_certificate(e: &std::io::Error) -> bool {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|e| {
            matches!(
                e,
                rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired)
            )
        })
}
