//! The HTTP server (hyper 1): `/metrics`, `/-/healthy`, `/-/ready` and a landing page.
//!
//! Scrapes only encode the latest snapshot (on a blocking thread, so a big encode never stalls
//! the runtime); they never call Porla. Connections are limited by a semaphore, a client has
//! `HEADER_READ_TIMEOUT` to send its request head, and shutdown lets requests in flight
//! finish.

use std::collections::BTreeMap;
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
use tokio_util::either::Either;
use tokio_util::sync::CancellationToken;

use crate::metrics::{self, Format, SharedSnapshot};
use crate::snapshot::Snapshot;
use crate::webconfig::WebConfig;

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

    /// A target that serves a registry without a poller behind it (always ready).
    pub fn fixed(registry: Registry) -> Target {
        let snap = Snapshot { polls: 1, ..Snapshot::default() };
        Target::new(registry, Arc::new(arc_swap::ArcSwap::from_pointee(snap)))
    }
}

/// What the server serves.
#[derive(Clone)]
pub struct App {
    /// Served on the telemetry path: the `--porla.*` instance, or (with `--config.file`) the
    /// exporter's own registry.
    pub metrics: Target,
    /// `--config.file` instances, served at `/probe?target=<name>`.
    pub probes: BTreeMap<String, Target>,
    pub telemetry_path: String,
    /// `--web.config.file` (TLS, basic auth, headers).
    pub web: Option<WebConfig>,
    pub read_header_timeout: Duration,
}

impl App {
    /// An app serving one instance on `telemetry_path`, without web config.
    pub fn single(target: Target, telemetry_path: &str) -> App {
        App {
            metrics: target,
            probes: BTreeMap::new(),
            telemetry_path: telemetry_path.to_owned(),
            web: None,
            read_header_timeout: HEADER_READ_TIMEOUT,
        }
    }

    fn ready(&self) -> bool {
        if self.probes.is_empty() {
            self.metrics.ready()
        } else {
            self.probes.values().all(Target::ready)
        }
    }
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

fn landing<'a>(path: &str, probes: impl Iterator<Item = &'a String>) -> Response<Body> {
    let probes: String = probes
        .map(|p| {
            let p = html_escape(p);
            format!("<li><a href=\"/probe?target={p}\">/probe?target={p}</a></li>\n")
        })
        .collect();
    let html = format!(
        "<!DOCTYPE html>\n<html><head><title>porla-exporter</title></head><body>\n\
         <h1>porla-exporter</h1>\n<p>Prometheus exporter for the tracker announce state of a Porla BitTorrent daemon. Version {}.</p>\n\
         <ul>\n<li><a href=\"{path}\">{path}</a>: metrics</li>\n{probes}<li><a href=\"/-/healthy\">/-/healthy</a>: liveness</li>\n\
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

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Routes one request.
pub async fn handle(app: Arc<App>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let mut resp = route(&app, req).await;
    if let Some(web) = &app.web {
        for (k, v) in &web.headers {
            resp.headers_mut().insert(k.clone(), v.clone());
        }
    }
    Ok(resp)
}

async fn route(app: &App, req: Request<Incoming>) -> Response<Body> {
    if let Some(auth) = app.web.as_ref().and_then(|w| w.auth.clone()) {
        let header = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // bcrypt is slow on purpose: keep it off the runtime's threads.
        let ok = tokio::task::spawn_blocking(move || auth.check(header.as_deref()))
            .await
            .unwrap_or(false);
        if !ok {
            let mut r = text(StatusCode::UNAUTHORIZED, "Unauthorized\n");
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"porla-exporter\""),
            );
            return r;
        }
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path();
    let format = Format::negotiate(req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()));
    let gzip = accepts_gzip(&req);
    if path == app.telemetry_path {
        return scrape(&app.metrics, format, gzip).await;
    }
    match path {
        "/probe" if app.probes.is_empty() => text(
            StatusCode::NOT_FOUND,
            "/probe serves the instances of --config.file, and none is configured\n",
        ),
        "/probe" => match query_param(req.uri().query(), "target") {
            None => text(StatusCode::BAD_REQUEST, "missing parameter: target\n"),
            Some(name) => match app.probes.get(name.as_ref()) {
                Some(t) => scrape(t, format, gzip).await,
                None => text(StatusCode::NOT_FOUND, "unknown target: not an instance of --config.file\n"),
            },
        },
        "/" => landing(&app.telemetry_path, app.probes.keys()),
        "/-/healthy" => text(StatusCode::OK, "Healthy\n"),
        "/-/ready" if app.ready() => text(StatusCode::OK, "Ready\n"),
        "/-/ready" => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not ready: no poll of Porla has finished yet\n",
        ),
        _ => text(StatusCode::NOT_FOUND, "Not found\n"),
    }
}

/// Binds the listener; a clear error when the address is taken.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("--web.listen-address: cannot listen on {addr}: {e}"))
}

/// Serves until `shutdown` is cancelled, then lets requests in flight finish.
///
/// At most `max_connections` connections are served at once; more wait in the listen queue.
/// A client gets `read_header_timeout` for its TLS handshake and for each request's headers,
/// so slow or idle clients cannot hold the slots that scrapes need.
pub async fn serve(listener: TcpListener, app: App, max_connections: usize, shutdown: CancellationToken) {
    let tls = app.web.as_ref().and_then(|w| w.tls.clone()).map(tokio_rustls::TlsAcceptor::from);
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
        let acceptor = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let timeout = app.read_header_timeout;
            // The TLS handshake is bounded by the same timeout as a request's headers.
            let stream = match acceptor {
                None => Either::Left(stream),
                Some(acceptor) => match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
                    Ok(Ok(s)) => Either::Right(s),
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake timed out");
                        return;
                    }
                },
            };
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .keep_alive(true)
                .serve_connection(
                    TokioIo::new(stream),
                    hyper::service::service_fn(move |req| handle(app.clone(), req)),
                );
            if let Err(e) = watcher.watch(conn).await {
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
