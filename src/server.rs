//! The HTTP server (hyper 1): `/metrics`, `/-/healthy`, `/-/ready` and a landing page.
//!
//! Scrapes only encode the latest snapshot (on a blocking thread, so a big encode never stalls
//! the runtime); they never call Porla. Connections are limited by a semaphore, a client has
//! `HEADER_READ_TIMEOUT` to send its request head, and shutdown lets requests in flight
//! finish.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::metrics::{self, Format, SharedSnapshot};

/// Time a client has to send its request head.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Time requests in flight get to finish at shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// One Porla instance as the server sees it.
#[derive(Clone)]
pub struct Target {
    pub registry: Arc<Registry>,
    pub snapshot: SharedSnapshot,
    /// Size of the last body, to size the next buffer.
    last_size: Arc<AtomicUsize>,
}

impl Target {
    pub fn new(registry: Registry, snapshot: SharedSnapshot) -> Self {
        Target {
            registry: Arc::new(registry),
            snapshot,
            last_size: Arc::new(AtomicUsize::new(16 * 1024)),
        }
    }

    fn ready(&self) -> bool {
        self.snapshot.load().polls > 0
    }
}

/// What the server serves.
#[derive(Clone)]
pub struct App {
    pub target: Target,
    pub telemetry_path: String,
}

type Body = Full<Bytes>;

fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn accepts_gzip(req: &Request<Incoming>) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|enc| {
            let mut parts = enc.split(';');
            let name = parts.next().unwrap_or("").trim();
            let q0 = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !q0
        })
}

/// Encodes the target's registry, gzipped when asked.
pub async fn scrape(target: &Target, format: Format, gzip: bool) -> Response<Body> {
    let t = target.clone();
    let encoded = tokio::task::spawn_blocking(move || {
        let hint = t.last_size.load(Ordering::Relaxed);
        let body = metrics::encode(&t.registry, format, hint + hint / 8);
        t.last_size.store(body.len(), Ordering::Relaxed);
        if gzip {
            let mut enc = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 8),
                flate2::Compression::fast(),
            );
            enc.write_all(body.as_bytes())
                .and_then(|_| enc.finish())
                .map(|b| (Bytes::from(b), true))
        } else {
            Ok((Bytes::from(body), false))
        }
    })
    .await;
    match encoded {
        Ok(Ok((body, gzipped))) => {
            let mut r = Response::new(Full::new(body));
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            );
            if gzipped {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            h.insert(
                header::VARY,
                HeaderValue::from_static("Accept, Accept-Encoding"),
            );
            r
        }
        _ => {
            tracing::error!("encoding the metrics failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "encoding the metrics failed\n",
            )
        }
    }
}

fn landing(path: &str) -> Response<Body> {
    let html = format!(
        "<!DOCTYPE html>\n<html><head><title>porla-exporter</title></head><body>\n\
         <h1>porla-exporter</h1>\n<p>Prometheus exporter for the tracker announce state of a Porla BitTorrent daemon. Version {}.</p>\n\
         <ul>\n<li><a href=\"{path}\">{path}</a>: metrics</li>\n<li><a href=\"/-/healthy\">/-/healthy</a>: liveness</li>\n\
         <li><a href=\"/-/ready\">/-/ready</a>: ready once a first poll has finished</li>\n</ul>\n</body></html>\n",
        env!("CARGO_PKG_VERSION"),
        path = html_escape(path)
    );
    let mut r = Response::new(Full::new(Bytes::from(html)));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Routes one request.
pub async fn handle(app: Arc<App>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(r);
    }
    let path = req.uri().path();
    let resp = if path == app.telemetry_path {
        let accept = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        let format = Format::negotiate(accept);
        scrape(&app.target, format, accepts_gzip(&req)).await
    } else {
        match path {
            "/" => landing(&app.telemetry_path),
            "/-/healthy" => text(StatusCode::OK, "Healthy\n"),
            "/-/ready" if app.target.ready() => text(StatusCode::OK, "Ready\n"),
            "/-/ready" => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "Not ready: no poll of Porla has finished yet\n",
            ),
            _ => text(StatusCode::NOT_FOUND, "Not found\n"),
        }
    };
    Ok(resp)
}

/// Binds the listener; a clear error when the address is taken.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("--web.listen-address: cannot listen on {addr}: {e}"))
}

/// Serves until `shutdown` is cancelled, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    max_connections: usize,
    shutdown: CancellationToken,
) {
    let app = Arc::new(app);
    let permits = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("semaphore never closed"),
            _ = shutdown.cancelled() => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(s) => s,
                Err(e) => {
                    // EMFILE and friends: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.cancelled() => break,
        };
        let app = app.clone();
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .keep_alive(true)
            .serve_connection(
                TokioIo::new(stream),
                hyper::service::service_fn(move |req| handle(app.clone(), req)),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("connections still open at shutdown were closed"),
    }
}
