//! The HTTP server (hyper 1): `/metrics`, `/-/healthy`, `/-/ready` and a landing page.
//!
//! Scrapes only encode the latest published snapshot (on a blocking thread, so a big encode never
//! stalls the runtime) or send its pre-compressed part; they never call Porla. Connections are
//! limited by a semaphore, a client has `--web.read-header-timeout` to send its request head, and
//! shutdown lets requests in flight finish.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
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

use crate::defaults;
use crate::exposition::{self, Format};
use crate::published::{LatestSnapshot, ServedSnapshot};
use crate::webconfig::WebConfig;

/// Time requests in flight get to finish at shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// One Porla instance as the server sees it: the live registry (the exporter's counters) and
/// the latest snapshot.
#[derive(Clone)]
pub struct Target {
    pub registry: Arc<Registry>,
    /// `None` for a target without a poller behind it (the exporter's own `/metrics` with
    /// `--config.file`).
    pub latest: Option<Arc<LatestSnapshot>>,
    /// Porla's address for the landing page (no credential: [`crate::porla::display_url`]).
    pub porla: Option<String>,
}

impl Target {
    pub fn new(registry: Registry, latest: Arc<LatestSnapshot>) -> Self {
        Target {
            registry: Arc::new(registry),
            latest: Some(latest),
            porla: None,
        }
    }

    fn ready(&self) -> bool {
        self.latest
            .as_ref()
            .is_none_or(|l| l.load().snapshot.polls > 0)
    }

    /// A target that serves a registry without a poller behind it (always ready).
    pub fn without_poller(registry: Registry) -> Target {
        Target {
            registry: Arc::new(registry),
            latest: None,
            porla: None,
        }
    }

    /// The same target, showing Porla's address on the landing page.
    pub fn with_porla(mut self, url: &url::Url) -> Target {
        self.porla = Some(crate::porla::display_url(url));
        self
    }

    /// The latest snapshot as served, if this target has a poller.
    pub fn load(&self) -> Option<Arc<ServedSnapshot>> {
        self.latest.as_ref().map(|l| l.load())
    }
}

/// What the server serves, and where.
#[derive(Clone)]
pub struct Routes {
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

impl Routes {
    /// Routes serving one instance on `telemetry_path`, without web config, with the default
    /// `--web.read-header-timeout`.
    pub fn single(target: Target, telemetry_path: &str) -> Routes {
        Routes {
            metrics: target,
            probes: BTreeMap::new(),
            telemetry_path: telemetry_path.to_owned(),
            web: None,
            read_header_timeout: defaults::default_duration(defaults::WEB_READ_HEADER_TIMEOUT),
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

/// Response bodies: small fixed ones, or a scrape streamed in chunks.
pub type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).map_err(|never| match never {}).boxed()
}

fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
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

/// Size of the chunks a scrape is streamed in.
const CHUNK: usize = 64 * 1024;
/// A client that takes longer than this to accept one chunk has its scrape aborted.
const CHUNK_SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// An `io::Write` that streams 64 KiB chunks into the response body.
struct ChunkSink {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<Frame<Bytes>, std::io::Error>>,
    rt: tokio::runtime::Handle,
}

impl ChunkSink {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.send_frame(chunk)
    }

    fn send_frame(&mut self, chunk: Bytes) -> std::io::Result<()> {
        self.rt
            .block_on(
                self.tx
                    .send_timeout(Ok(Frame::data(chunk)), CHUNK_SEND_TIMEOUT),
            )
            .map_err(|_| std::io::Error::other("the client stopped reading"))
    }

    /// Sends what is buffered, then `bytes` in chunks (slices: no copy).
    fn send_bytes(&mut self, bytes: Bytes) -> std::io::Result<()> {
        self.send()?;
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + CHUNK).min(bytes.len());
            self.send_frame(bytes.slice(at..end))?;
            at = end;
        }
        Ok(())
    }
}

impl std::io::Write for ChunkSink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        // Send first what would not fit: the buffer keeps its one allocation of CHUNK bytes
        // instead of doubling past it (a block of 128 KiB, which malloc would mmap and unmap
        // for every chunk; see `tune_malloc` in main.rs).
        if self.buf.len() + data.len() > CHUNK {
            self.send()?;
        }
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// `fmt::Write` over an `io::Write`, for prometheus-client's encoders.
struct FmtIo<W: std::io::Write>(W);

impl<W: std::io::Write> std::fmt::Write for FmtIo<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|_| std::fmt::Error)
    }
}

/// Encodes the target's metrics on a blocking thread and streams them in chunks, so memory per
/// scrape stays at a few chunks whatever the number of torrents.
///
/// With gzip (what Prometheus asks for, and browsers and `curl --compressed`) the body is one
/// gzip member: the live part (the exporter's counters) compressed per scrape, then the
/// snapshot part, compressed before the snapshot was swapped in (see [`crate::published`]), then
/// the closing part, under one header and one trailer (see [`crate::exposition`]).
pub async fn scrape(target: &Target, format: Format, gzip: bool) -> Response<Body> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let registry = target.registry.clone();
    let latest = target.latest.clone();
    let served = target.load();
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut sink = ChunkSink {
            buf: Vec::with_capacity(CHUNK),
            tx,
            rt,
        };
        let result = if gzip {
            let snapshot_part = match (&latest, &served) {
                (Some(latest), Some(s)) => Some(latest.gzip_part(s, format)),
                _ => None,
            };
            exposition::gzip_scrape(&registry, snapshot_part, format)
                .into_iter()
                .try_for_each(|piece| sink.send_bytes(piece))
        } else {
            let mut w = FmtIo(&mut sink);
            let snapshot = served.as_ref().map(|s| &s.snapshot);
            exposition::encode_to(&mut w, &registry, snapshot, format)
                .map_err(|_| std::io::Error::other("encoding failed"))
                .and_then(|_| sink.send())
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, "scrape aborted");
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut r = Response::new(StreamBody::new(stream).boxed());
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Encoding"),
    );
    r
}

/// The landing page (`crate::landing`), from the latest snapshots.
fn landing(routes: &Routes) -> Response<Body> {
    use crate::landing::Section;
    fn section<'a>(name: Option<&'a str>, t: &'a Target, link: String) -> Section<'a> {
        Section {
            name,
            porla: t.porla.as_deref(),
            metrics_link: link,
            snapshot: t.load().map(|s| s.snapshot.clone()),
        }
    }
    let sections: Vec<Section<'_>> = if routes.probes.is_empty() {
        vec![section(
            None,
            &routes.metrics,
            routes.telemetry_path.clone(),
        )]
    } else {
        routes
            .probes
            .iter()
            .map(|(name, t)| {
                let query: String = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("target", name)
                    .finish();
                section(Some(name), t, format!("/probe?{query}"))
            })
            .collect()
    };
    let mut r = Response::new(full(crate::landing::render(
        &routes.telemetry_path,
        &sections,
    )));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Routes one request.
pub async fn handle(
    routes: Arc<Routes>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let mut resp = route(&routes, req).await;
    if let Some(web) = &routes.web {
        for (k, v) in &web.headers {
            resp.headers_mut().insert(k.clone(), v.clone());
        }
    }
    Ok(resp)
}

/// Paths served without basic auth: they answer only "Healthy" and "Ready" (or that no poll
/// has finished yet), and health checks (a container's, Kubernetes' probes, `porla-exporter
/// healthcheck`) have no password to send. Prometheus and exporter-toolkit keep them behind
/// basic auth, and their users keep asking for this (prometheus/prometheus#9166,
/// prometheus/exporter-toolkit#111); docs/deployment.md says why it is safe here.
pub const OPEN_PATHS: &[&str] = &["/-/healthy", "/-/ready"];

async fn route(routes: &Routes, req: Request<Incoming>) -> Response<Body> {
    let open = OPEN_PATHS.contains(&req.uri().path());
    if let Some(auth) = routes
        .web
        .as_ref()
        .and_then(|w| w.auth.clone())
        .filter(|_| !open)
    {
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
    let format = Format::negotiate(
        req.headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok()),
    );
    let gzip = accepts_gzip(&req);
    if path == routes.telemetry_path {
        return scrape(&routes.metrics, format, gzip).await;
    }
    match path {
        "/probe" if routes.probes.is_empty() => text(
            StatusCode::NOT_FOUND,
            "/probe serves the instances of --config.file, and none is configured\n",
        ),
        "/probe" => match query_param(req.uri().query(), "target") {
            None => text(StatusCode::BAD_REQUEST, "missing parameter: target\n"),
            Some(name) => match routes.probes.get(name.as_ref()) {
                Some(t) => scrape(t, format, gzip).await,
                None => text(
                    StatusCode::NOT_FOUND,
                    "unknown target: not an instance of --config.file\n",
                ),
            },
        },
        "/" => landing(routes),
        "/-/healthy" => text(StatusCode::OK, "Healthy\n"),
        "/-/ready" if routes.ready() => text(StatusCode::OK, "Ready\n"),
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
pub async fn serve(
    listener: TcpListener,
    routes: Routes,
    max_connections: usize,
    shutdown: CancellationToken,
) {
    let tls = routes
        .web
        .as_ref()
        .and_then(|w| w.tls.clone())
        .map(tokio_rustls::TlsAcceptor::from);
    let routes = Arc::new(routes);
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
        // A scrape body goes out in several writes; with Nagle's algorithm a kept-alive
        // connection (Prometheus keeps its connections) stalls ~40 ms on delayed ACKs.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "TCP_NODELAY not set");
        }
        let routes = routes.clone();
        let acceptor = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let timeout = routes.read_header_timeout;
            // The TLS handshake is bounded by the same timeout as a request's headers.
            let stream = match acceptor {
                None => Either::Left(stream),
                Some(acceptor) => {
                    match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
                        Ok(Ok(s)) => Either::Right(s),
                        Ok(Err(e)) => {
                            tracing::debug!(%peer, error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!(%peer, "TLS handshake timed out");
                            return;
                        }
                    }
                }
            };
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .keep_alive(true)
                .serve_connection(
                    TokioIo::new(stream),
                    hyper::service::service_fn(move |req| handle(routes.clone(), req)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Small writes fill chunks of at most [`CHUNK`] bytes (a write that would overflow the
    /// buffer sends it first, so it never grows past its one allocation), and the chunks carry
    /// every byte in order.
    #[test]
    fn small_writes_never_grow_a_chunk_past_its_size() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let mut sink = ChunkSink {
            buf: Vec::with_capacity(CHUNK),
            tx,
            rt: rt.handle().clone(),
        };
        // 100-byte and 7-byte lines, like samples of a scrape: neither divides CHUNK.
        let mut sent = Vec::new();
        for i in 0..10_000u32 {
            let line = if i % 3 == 0 {
                format!("{:0>99}\n", i).into_bytes()
            } else {
                b"x 1.5\n\n".to_vec()
            };
            sink.write_all(&line).unwrap();
            sent.extend_from_slice(&line);
        }
        sink.flush().unwrap();
        drop(sink);
        let mut got = Vec::new();
        let mut chunks = 0;
        while let Ok(frame) = rx.try_recv() {
            let data = frame.unwrap().into_data().unwrap();
            assert!(data.len() <= CHUNK, "a chunk of {} bytes", data.len());
            got.extend_from_slice(&data);
            chunks += 1;
        }
        assert!(chunks > 5, "{chunks} chunks");
        assert_eq!(got, sent);
    }
}
