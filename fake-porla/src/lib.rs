//! A fake Porla daemon speaking the real shapes of docs/porla.md.
//!
//! It serves `POST /api/v1/jsonrpc` and `POST /api/v1/auth/login` on 127.0.0.1 (under an
//! optional base path) and behaves like the daemon where an exporter can tell:
//! - HTTP 200 for every JSON-RPC answer, errors included; method errors are full JSON-RPC
//!   objects with `id`, dispatcher errors (-32700, -32601, -32603) have no `id`/`jsonrpc`;
//! - HTTP 401 with the plain-text body `Unauthorized` and no Content-Type for a missing or
//!   wrong token; the token is read from `X-Porla-Token` then `Authorization`, dropping the
//!   first 7 characters whatever they are;
//! - a failed login is HTTP 200 `{"error":"invalid_auth"}`;
//! - `torrents.list` pages (`page`, `page_size`, error -2 past the end), keys in alphabetical
//!   order, `category` absent when unset;
//! - `torrents.trackers.list` matches the exact (v1, v2) pair: a hybrid torrent asked for by
//!   its v1 hash alone is "not found" (-1), a malformed hash too;
//! - a batch (JSON array body) "crashes" it: the connection is dropped and the fake counts it.
//!
//! Faults can be switched on at run time ([`Faults`]) and every call is recorded.
//! Shared by the integration tests and the benchmark (`benches/scale.rs`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// One torrent: its `torrents.list` item and its `torrents.trackers.list` result.
#[derive(Clone, Debug)]
pub struct FakeTorrent {
    pub item: Value,
    pub trackers: Value,
}

impl FakeTorrent {
    pub fn info_hash(&self) -> &Value {
        &self.item["info_hash"]
    }
}

/// How the fake authenticates.
#[derive(Clone, Debug)]
pub enum FakeAuth {
    /// `PORLA_HTTP_AUTH_DISABLED_YES_REALLY=true`.
    Disabled,
    /// Tokens accepted (after dropping 7 characters of the header).
    Tokens(Vec<String>),
    /// Username/password for the login endpoint, which hands out `issued` tokens.
    Login {
        username: String,
        password: String,
        issued: String,
    },
}

/// Faults to inject; all off by default.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Answer every JSON-RPC call with this HTTP status and a text body.
    pub http_status: Option<u16>,
    /// Answer every JSON-RPC call with this raw body (HTTP 200).
    pub raw_body: Option<String>,
    /// Accept the request, then never answer.
    pub hang: bool,
    /// Answer after this delay.
    pub delay: Duration,
    /// Torrents (by v1-or-v2 key) removed after `torrents.list`: their trackers call says -1.
    pub vanish: Vec<String>,
    /// Torrents whose trackers call answers -2 "Torrent not valid".
    pub invalid: Vec<String>,
    /// Torrents whose trackers call fails like an unencodable tracker message (-32603).
    pub internal_error: Vec<String>,
    /// Drop this many torrents from the list after the first `torrents.list` page is served.
    pub shrink_after_first_page: usize,
    /// Answer `torrents.trackers.list` with a truncated body.
    pub truncate_trackers: bool,
}

/// Simulated announces: at virtual time `now`, every scheduled announce that has passed was
/// made and the next one is `interval` seconds later, like libtorrent re-scheduling.
#[derive(Clone, Copy, Debug)]
pub struct Announces {
    pub now: i64,
    pub interval: i64,
}

fn roll_announces(trackers: &mut Value, a: Announces) {
    let Some(list) = trackers["trackers"].as_array_mut() else {
        return;
    };
    for slot in list
        .iter_mut()
        .filter_map(|t| t["endpoints"].as_array_mut())
        .flatten()
        .filter_map(|e| e["info_hashes"].as_array_mut())
        .flatten()
    {
        if let Some(next) = slot["next_announce"]
            .as_i64()
            .filter(|n| *n != i32::MIN as i64)
        {
            if next <= a.now {
                let k = (a.now - next) / a.interval + 1;
                slot["next_announce"] = json!(next + k * a.interval);
                slot["min_announce"] = json!(next + k * a.interval - a.interval / 2);
            }
        }
    }
}

/// A tracker host going down and coming back the way a real outage does: each torrent's
/// announce to the host fails at its own moment, spread over `spread` from `down_at` (its own
/// announce time within the announce interval), and recovers at its own moment, spread over
/// `spread` from `up_at` (its own retry). While down, every used slot of the host's trackers
/// carries libtorrent's `error` and no tracker message (libtorrent clears it), with its
/// failures counted; before and after, the slot is the torrent's own (a tracker that said
/// "Unregistered torrent" says it again once reachable).
#[derive(Clone, Debug)]
pub struct Outage {
    /// The tracker host, as in the tracker URL.
    pub host: String,
    /// libtorrent's text for the failure, e.g. "Connection refused".
    pub error: String,
    pub down_at: std::time::Instant,
    /// `None` while the host stays down.
    pub up_at: Option<std::time::Instant>,
    pub spread: Duration,
}

impl Outage {
    /// The torrent `key`'s share (0..1) of the spread, in an order of its own for the failure
    /// (`salt` 0) and the recovery (`salt` 1): FNV-1a of the key.
    fn share(key: &str, salt: u8) -> f64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes().chain([salt]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether the host is down for torrent `key` at `now`, and since how long.
    fn down_for(&self, key: &str, now: std::time::Instant) -> Option<Duration> {
        let down = self.down_at + self.spread.mul_f64(Self::share(key, 0));
        let up = self
            .up_at
            .map(|u| u + self.spread.mul_f64(Self::share(key, 1)));
        (now >= down && up.is_none_or(|u| now < u)).then(|| now - down)
    }

    /// The torrent `key`'s trackers as they are at `now`.
    fn apply(&self, key: &str, trackers: &mut Value, now: std::time::Instant) {
        let Some(down_for) = self.down_for(key, now) else {
            return;
        };
        let Some(list) = trackers["trackers"].as_array_mut() else {
            return;
        };
        let on_host = |t: &Value| {
            t["url"].as_str().is_some_and(|u| {
                u.split("://")
                    .nth(1)
                    .and_then(|r| r.split(['/', ':', '?']).next())
                    == Some(self.host.as_str())
            })
        };
        for slot in list
            .iter_mut()
            .filter(|t| on_host(t))
            .filter_map(|t| t["endpoints"].as_array_mut())
            .flatten()
            .filter_map(|e| e["info_hashes"].as_array_mut())
            .flatten()
            .filter(|s| s["next_announce"].as_i64() != Some(i64::from(i32::MIN)))
        {
            // libtorrent retries with a growing delay: about one failure per spread's tenth.
            let fails =
                1 + (down_for.as_secs_f64() / self.spread.as_secs_f64().max(0.001) * 10.0) as i64;
            slot["fails"] = json!(fails);
            slot["last_error"] = json!(self.error);
            slot["message"] = json!("");
            slot["updating"] = json!(false);
        }
    }
}

#[derive(Default)]
struct State {
    torrents: Vec<FakeTorrent>,
    outage: Option<Outage>,
    /// Position of each torrent by its (v1, v2) pair, for Porla's exact-pair lookup.
    index: HashMap<(Option<String>, Option<String>), usize>,
    announces: Option<Announces>,
    faults: Faults,
    calls: Vec<(String, Value)>,
    /// Calls by method, always counted (the list above can be switched off).
    counts: HashMap<String, u64>,
    not_recording: bool,
    logins: u64,
}

impl State {
    fn set_torrents(&mut self, torrents: Vec<FakeTorrent>) {
        self.index = torrents
            .iter()
            .enumerate()
            .map(|(i, t)| (parse_ih(t.info_hash()), i))
            .collect();
        self.torrents = torrents;
    }
}

/// A running fake Porla.
pub struct FakePorla {
    pub addr: SocketAddr,
    pub base_path: String,
    state: Arc<Mutex<State>>,
    auth: Arc<Mutex<FakeAuth>>,
    service_time: Arc<Mutex<Duration>>,
    pub batches_seen: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

fn key_of(item: &Value) -> String {
    let ih = &item["info_hash"];
    ih[0].as_str().or(ih[1].as_str()).unwrap_or("").to_owned()
}

/// Parses an `info_hash` param the way Porla does: a 40- or 64-hex string, or a pair;
/// anything malformed becomes the all-zero hash (and so "not found").
fn parse_ih(v: &Value) -> (Option<String>, Option<String>) {
    let hex = |v: &Value, len: usize| {
        v.as_str()
            .filter(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|s| s.to_ascii_lowercase())
    };
    match v {
        Value::String(s) if s.len() == 40 => (hex(v, 40), None),
        Value::String(s) if s.len() == 64 => (None, hex(v, 64)),
        Value::Array(a) if a.len() == 2 => (hex(&a[0], 40), hex(&a[1], 64)),
        _ => (Some("0".repeat(40)), None),
    }
}

fn ok(id: &Value, result: Value) -> Value {
    json!({"id": id, "jsonrpc": "2.0", "result": result})
}

fn method_error(id: &Value, code: i64, message: &str) -> Value {
    json!({"error": {"code": code, "data": null, "message": message}, "id": id, "jsonrpc": "2.0"})
}

fn json_response(v: &Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(200)
        .header("Content-Type", "application/json")
        .header("uWebSockets", "20")
        .body(Full::new(Bytes::from(v.to_string())))
        .unwrap()
}

/// Real answers the fake sends as captured (tests/fixtures/porla/samples, docs/porla.md §3).
pub mod captured {
    /// The body of every refused token (missing, malformed, signed with another key).
    pub const UNAUTHORIZED: &str =
        include_str!("../../tests/fixtures/porla/samples/error-no-token.json.txt");
    /// A successful login; `<jwt>` stands for the token.
    pub const LOGIN: &str = include_str!("../../tests/fixtures/porla/samples/auth-login.json");
    /// A login with a wrong username or password (HTTP 200 too).
    pub const LOGIN_REFUSED: &str =
        include_str!("../../tests/fixtures/porla/samples/auth-login-wrong-password.json");
}

fn unauthorized() -> Response<Full<Bytes>> {
    // Porla sets no Content-Type on its 401.
    Response::builder()
        .status(401)
        .header("uWebSockets", "20")
        .body(Full::new(Bytes::from_static(
            captured::UNAUTHORIZED.as_bytes(),
        )))
        .unwrap()
}

/// A captured JSON answer, HTTP 200, as Porla sends it.
fn captured_json(body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(200)
        .header("Content-Type", "application/json")
        .header("uWebSockets", "20")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

impl FakePorla {
    /// Starts a fake on 127.0.0.1 with a random port.
    pub async fn start(torrents: Vec<FakeTorrent>, auth: FakeAuth) -> FakePorla {
        Self::start_on("127.0.0.1:0".parse().unwrap(), "", torrents, auth).await
    }

    /// Starts a fake on `addr` (port 0 = random) under `base_path` (e.g. `/porla`).
    pub async fn start_on(
        addr: SocketAddr,
        base_path: &str,
        torrents: Vec<FakeTorrent>,
        auth: FakeAuth,
    ) -> FakePorla {
        let listener = TcpListener::bind(addr).await.expect("bind fake porla");
        Self::serve(listener, base_path, torrents, auth)
    }

    /// Starts a fake on a listener the caller bound (e.g. on a port it reserved while Porla was
    /// "down"), under `base_path`.
    pub fn serve(
        listener: TcpListener,
        base_path: &str,
        torrents: Vec<FakeTorrent>,
        auth: FakeAuth,
    ) -> FakePorla {
        let addr = listener.local_addr().unwrap();
        let mut state = State::default();
        state.set_torrents(torrents);
        let state = Arc::new(Mutex::new(state));
        let auth = Arc::new(Mutex::new(auth));
        let event_loop = Arc::new(tokio::sync::Mutex::new(()));
        let service_time = Arc::new(Mutex::new(Duration::ZERO));
        let batches_seen = Arc::new(AtomicU64::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let ctx = Ctx {
            base: base_path.trim_end_matches('/').to_owned(),
            state: state.clone(),
            auth: auth.clone(),
            event_loop: event_loop.clone(),
            service_time: service_time.clone(),
            busy_nanos: Arc::new(AtomicU64::new(0)),
            batches_seen: batches_seen.clone(),
            stopped: stopped.clone(),
        };
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let ctx = ctx.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        let ctx = ctx.clone();
                        async move {
                            // A stopped Porla drops open connections too.
                            if ctx.stopped.load(Ordering::SeqCst) {
                                return Err(std::io::Error::other("porla is down"));
                            }
                            Ok::<_, std::io::Error>(ctx.handle(req).await.unwrap())
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        FakePorla {
            addr,
            base_path: base_path.to_owned(),
            state,
            auth,
            service_time,
            batches_seen,
            stopped,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.base_path)
    }

    pub fn set_faults(&self, f: Faults) {
        self.state.lock().unwrap().faults = f;
    }

    pub fn set_auth(&self, a: FakeAuth) {
        *self.auth.lock().unwrap() = a;
    }

    /// Simulates announces up to virtual time `a.now` (see [`Announces`]).
    pub fn set_announces(&self, a: Option<Announces>) {
        self.state.lock().unwrap().announces = a;
    }

    /// Takes a tracker host down (or back: `up_at`) torrent by torrent (see [`Outage`]);
    /// `None` ends it at once.
    pub fn set_outage(&self, o: Option<Outage>) {
        self.state.lock().unwrap().outage = o;
    }

    pub fn set_torrents(&self, t: Vec<FakeTorrent>) {
        self.state.lock().unwrap().set_torrents(t);
    }

    pub fn torrents(&self) -> Vec<FakeTorrent> {
        self.state.lock().unwrap().torrents.clone()
    }

    /// Simulated time Porla's event loop spends on each call.
    pub fn set_service_time(&self, d: Duration) {
        *self.service_time.lock().unwrap() = d;
    }

    /// Calls received so far: (method, params).
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.state.lock().unwrap().calls.clone()
    }

    pub fn count_calls(&self, method: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, _)| m == method)
            .count()
    }

    pub fn clear_calls(&self) {
        self.state.lock().unwrap().calls.clear();
    }

    /// Stops keeping every call's params (long benchmarks); counts are still kept.
    pub fn stop_recording(&self) {
        let mut st = self.state.lock().unwrap();
        st.not_recording = true;
        st.calls.clear();
    }

    pub fn logins(&self) -> u64 {
        self.state.lock().unwrap().logins
    }

    /// Stops listening (Porla goes down); existing connections are dropped.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

impl Drop for FakePorla {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Ctx {
    base: String,
    state: Arc<Mutex<State>>,
    auth: Arc<Mutex<FakeAuth>>,
    event_loop: Arc<tokio::sync::Mutex<()>>,
    service_time: Arc<Mutex<Duration>>,
    busy_nanos: Arc<AtomicU64>,
    batches_seen: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
}

impl Ctx {
    fn authorised(&self, req: &Request<Incoming>) -> bool {
        let tokens = match &*self.auth.lock().unwrap() {
            FakeAuth::Disabled => return true,
            FakeAuth::Tokens(t) => t.clone(),
            FakeAuth::Login { issued, .. } => vec![issued.clone()],
        };
        let header = req
            .headers()
            .get("X-Porla-Token")
            .or_else(|| req.headers().get("Authorization"))
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // Porla drops the first 7 characters without looking at them.
        let token = header.get(7..).unwrap_or("");
        tokens.iter().any(|t| t == token)
    }

    async fn handle(&self, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
        let path = req.uri().path().to_owned();
        if path == format!("{}/api/v1/auth/login", self.base) {
            return Ok(self.login(&body_of(req).await));
        }
        if path != format!("{}/api/v1/jsonrpc", self.base) || req.method() != hyper::Method::POST {
            return Ok(Response::builder()
                .status(404)
                .body(Full::new(Bytes::from_static(b"Not found")))
                .unwrap());
        }
        if !self.authorised(&req) {
            return Ok(unauthorized());
        }
        let body = body_of(req).await;
        let faults = self.state.lock().unwrap().faults.clone();
        if faults.hang {
            std::future::pending::<()>().await;
        }
        if !faults.delay.is_zero() {
            tokio::time::sleep(faults.delay).await;
        }
        if let Some(status) = faults.http_status {
            let text = StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            return Ok(Response::builder()
                .status(status)
                .body(Full::new(Bytes::from(text)))
                .unwrap());
        }
        if let Some(raw) = faults.raw_body {
            return Ok(Response::builder()
                .status(200)
                .header("Content-Type", "application/json")
                .body(Full::new(Bytes::from(raw)))
                .unwrap());
        }
        // One call at a time, like Porla's event loop. The service time blocks the thread, as
        // a synchronous libtorrent call blocks Porla's loop; the benchmark's simulator runs on
        // a current-thread runtime, so nothing else is served meanwhile.
        let _turn = self.event_loop.lock().await;
        let start = std::time::Instant::now();
        let service = *self.service_time.lock().unwrap();
        if !service.is_zero() {
            std::thread::sleep(service);
            SLEPT_NS.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
        let answer = self.rpc(&body, &faults);
        let sim_call = answer.as_ref().is_some_and(|v| v.get("sim").is_some());
        let encoded = answer.as_ref().map(|v| v.to_string());
        if !service.is_zero() && !sim_call {
            self.busy_nanos
                .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
        match encoded {
            Some(text) => {
                if faults.truncate_trackers && text.contains("\"trackers\"") {
                    return Ok(json_response(&Value::Null)
                        .map(|_| Full::new(Bytes::from(text[..text.len() / 2].to_owned()))));
                }
                Ok(json_response(&Value::Null).map(|_| Full::new(Bytes::from(text))))
            }
            None => {
                // The real daemon terminates on a batch: the client sees the connection drop.
                self.batches_seen.fetch_add(1, Ordering::Relaxed);
                Ok(Response::builder()
                    .status(500)
                    .body(Full::new(Bytes::new()))
                    .unwrap())
            }
        }
    }

    fn login(&self, body: &[u8]) -> Response<Full<Bytes>> {
        let Ok(v) = serde_json::from_slice::<Value>(body) else {
            return Response::builder()
                .status(400)
                .body(Full::new(Bytes::from_static(b"parse error")))
                .unwrap();
        };
        let (Some(u), Some(p)) = (v["username"].as_str(), v["password"].as_str()) else {
            return Response::builder()
                .status(400)
                .body(Full::new(Bytes::from_static(b"Invalid request")))
                .unwrap();
        };
        self.state.lock().unwrap().logins += 1;
        match &*self.auth.lock().unwrap() {
            FakeAuth::Login {
                username,
                password,
                issued,
            } if username == u && password == p => {
                captured_json(captured::LOGIN.replace("<jwt>", issued))
            }
            _ => captured_json(captured::LOGIN_REFUSED.to_owned()),
        }
    }

    /// Answers one JSON-RPC body; `None` for a batch.
    fn rpc(&self, body: &[u8], faults: &Faults) -> Option<Value> {
        let req: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                return Some(
                    json!({"error": {"code": -32700, "data": format!("[json.exception.parse_error.101] {e}"), "message": "Parse error"}}),
                )
            }
        };
        if !req.is_object() || !req["method"].is_string() {
            return None;
        }
        let id = req.get("id").cloned().unwrap_or(Value::Null);
        let method = req["method"].as_str().unwrap().to_owned();
        let Some(params) = req.get("params").cloned() else {
            return Some(
                json!({"error": {"code": -32603, "data": "[json.exception.out_of_range.403] key 'params' not found", "message": "Internal error"}}),
            );
        };
        let mut st = self.state.lock().unwrap();
        *st.counts.entry(method.clone()).or_default() += 1;
        if !st.not_recording {
            st.calls.push((method.clone(), params.clone()));
        }
        Some(match method.as_str() {
            "torrents.list" => {
                let page = params["page"].as_u64().unwrap_or(0) as usize;
                let size = params["page_size"].as_u64().unwrap_or(50) as usize;
                let total = st.torrents.len();
                if page * size > total {
                    return Some(method_error(&id, -2, "Invalid page - too large."));
                }
                let items: Vec<Value> = st
                    .torrents
                    .iter()
                    .skip(page * size)
                    .take(size)
                    .map(|t| t.item.clone())
                    .collect();
                if page == 0 && faults.shrink_after_first_page > 0 {
                    let n = faults.shrink_after_first_page.min(st.torrents.len());
                    let rest = st.torrents.split_off(n);
                    st.set_torrents(rest);
                }
                ok(
                    &id,
                    json!({
                        "order_by": "queue_position", "order_by_dir": "asc", "page": page, "page_size": size,
                        "torrents": items, "torrents_total": total, "torrents_total_unfiltered": total
                    }),
                )
            }
            "torrents.trackers.list" => {
                let Some(ih) = params.get("info_hash") else {
                    return Some(
                        json!({"error": {"code": -32603, "data": "[json.exception.out_of_range.403] key 'info_hash' not found", "message": "Internal error"}}),
                    );
                };
                let want = parse_ih(ih);
                let found = st.index.get(&want).map(|&i| &st.torrents[i]).cloned();
                match found {
                    Some(t) => {
                        let key = key_of(&t.item);
                        if faults.vanish.contains(&key) {
                            method_error(&id, -1, "Torrent not found in any session")
                        } else if faults.invalid.contains(&key) {
                            method_error(&id, -2, "Torrent not valid")
                        } else if faults.internal_error.contains(&key) {
                            json!({"error": {"code": -32603, "data": "[json.exception.type_error.316] invalid UTF-8 byte at index 3: 0xFF", "message": "Internal error"}})
                        } else {
                            let mut trackers = t.trackers.clone();
                            if let Some(a) = st.announces {
                                roll_announces(&mut trackers, a);
                            }
                            if let Some(o) = &st.outage {
                                o.apply(&key, &mut trackers, std::time::Instant::now());
                            }
                            ok(&id, trackers)
                        }
                    }
                    None => method_error(&id, -1, "Torrent not found in any session"),
                }
            }
            // Benchmark controls; answers carry a "sim" key so they are not counted as busy.
            "sim.stats" => json!({"sim": true, "id": id, "result": {
                "busy_ns": self.busy_nanos.load(Ordering::Relaxed),
                "slept_ns": SLEPT_NS.load(Ordering::Relaxed),
                "thread_cpu_ns": thread_cpu_ns(),
                "trackers_calls": st.counts.get("torrents.trackers.list").copied().unwrap_or(0),
                "list_calls": st.counts.get("torrents.list").copied().unwrap_or(0),
            }}),
            "sim.announces" => {
                st.announces = Some(Announces {
                    now: params["now"].as_i64().unwrap_or(0),
                    interval: params["interval"].as_i64().unwrap_or(1800),
                });
                json!({"sim": true, "id": id, "result": null})
            }
            "sys.versions" => ok(
                &id,
                json!({"porla": {"branch": "main", "commitish": "5a5ccd8", "version": "0.0.0-fake"}}),
            ),
            _ => json!({"error": {"code": -32601, "message": "Method not found"}}),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Fixtures

pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The real daemon's answers (tests/fixtures/porla/samples): the four torrents of its
/// `torrents.list` with their trackers, plus the checking and paused torrents, whose list
/// items are built from the same shape.
pub fn sample_torrents() -> Vec<FakeTorrent> {
    let dir = fixtures_dir().join("porla/samples");
    let list = read_json(&dir.join("torrents.list.json"));
    let mut by_name: HashMap<String, Value> = HashMap::new();
    for t in list["result"]["torrents"].as_array().unwrap() {
        by_name.insert(t["name"].as_str().unwrap().to_owned(), t.clone());
    }
    let mut out = Vec::new();
    for case in ["good", "fail", "denied", "mixed", "checking", "paused"] {
        let req = read_json(&dir.join(format!("torrents.trackers.list-{case}.request.json")));
        let trackers =
            read_json(&dir.join(format!("torrents.trackers.list-{case}.json")))["result"].clone();
        let hash = req["params"]["info_hash"].as_str().unwrap().to_owned();
        let name = format!("sample-{case}.bin");
        let mut item = by_name.get(&name).cloned().unwrap_or_else(|| {
            // Same shape as the real items; checking and paused were captured separately.
            let mut t = by_name["sample-good.bin"].clone();
            t["name"] = json!(name);
            if case == "checking" {
                t["state"] = json!(1);
            }
            if case == "paused" {
                t["flags"] = json!(["apply_ip_filter", "paused"]);
            }
            t
        });
        item["info_hash"] = json!([hash, null]);
        out.push(FakeTorrent { item, trackers });
    }
    out
}

/// Synthetic torrents in the real shapes that exercise the traps: a hybrid v1+v2 torrent,
/// a v2-only torrent, passkeys in every style, hostile names and categories, a tracker whose
/// `last_error` is an object (the rewrite's shape), nulls and absent keys.
pub fn hostile_torrents() -> Vec<FakeTorrent> {
    let v: Value = read_json(&fixtures_dir().join("porla/hostile.json"));
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| FakeTorrent {
            item: t["item"].clone(),
            trackers: t["trackers"].clone(),
        })
        .collect()
}

/// A template list item for synthetic torrents.
pub fn list_item(v1: Option<&str>, v2: Option<&str>, name: &str) -> Value {
    let mut t = sample_torrents()[0].item.clone();
    t["info_hash"] = json!([v1, v2]);
    t["name"] = json!(name);
    t
}

/// A per-protocol announce state in the real shape.
pub fn slot(
    fails: i64,
    last_error: Option<&str>,
    start_sent: bool,
    seeds: i64,
    leechers: i64,
    next: i64,
) -> Value {
    json!({
        "complete_sent": false, "fails": fails, "last_error": last_error, "message": "",
        "min_announce": if next == i32::MIN as i64 { next } else { next - 600 },
        "next_announce": next, "scrape_complete": seeds, "scrape_downloaded": -1,
        "scrape_incomplete": leechers, "start_sent": start_sent, "updating": false
    })
}

/// The never-announced slot libtorrent keeps for a protocol the torrent does not have.
pub fn unused_slot() -> Value {
    slot(0, None, false, -1, -1, i32::MIN as i64)
}

/// A tracker entry with one endpoint.
pub fn tracker(url: &str, tier: i64, v1: Value, v2: Value) -> Value {
    json!({
        "endpoints": [{"enabled": true, "info_hashes": [v1, v2], "local_endpoint": ["192.168.1.10", 6881]}],
        "fail_limit": 0, "source": 1, "tier": tier, "trackerid": "", "url": url, "verified": true
    })
}

/// `n` synthetic torrents with realistic mixes: 80 % v1, 10 % v2-only, 10 % hybrid; 1–3
/// trackers on a handful of hosts; 1–2 endpoints; next announces spread over the next
/// `spread` seconds from `now`; some failing. Deterministic for a given `seed`.
pub fn synthetic_torrents(n: usize, seed: u64, now: i64, spread: i64) -> Vec<FakeTorrent> {
    let mut x = seed | 1;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let hosts = [
        "tracker.alpha.example",
        "tracker.beta.example",
        "t.gamma.example",
        "open.delta.example",
        "udp.epsilon.example",
    ];
    (0..n)
        .map(|i| {
            let r = rnd();
            let v1 = format!("{:040x}", (i as u128) << 8 | 1);
            let v2 = format!("{:064x}", (i as u128) << 8 | 2);
            let (h1, h2) = match r % 10 {
                0 => (None, Some(v2.as_str())),
                1 => (Some(v1.as_str()), Some(v2.as_str())),
                _ => (Some(v1.as_str()), None),
            };
            let mut item = list_item(h1, h2, &format!("synthetic torrent {i}"));
            if r % 3 == 0 {
                item["category"] = json!("linux");
            }
            let ntrackers = 1 + (rnd() % 3) as usize;
            let trackers: Vec<Value> = (0..ntrackers)
                .map(|k| {
                    let host = hosts[(i + k) % hosts.len()];
                    let next = now + (rnd() % spread.max(1) as u64) as i64;
                    let failing = rnd() % 20 == 0;
                    let (seeds, leechers) = ((rnd() % 50) as i64, (rnd() % 10) as i64);
                    let state = |has: bool| {
                        if !has {
                            unused_slot()
                        } else if failing {
                            slot(3, Some("Connection refused"), false, -1, -1, next)
                        } else {
                            slot(0, None, true, seeds, leechers, next)
                        }
                    };
                    let key = rnd();
                    let mut t = tracker(&format!("https://{host}/announce/{key:032x}"), k as i64, state(h1.is_some()), state(h2.is_some()));
                    if rnd() % 4 == 0 {
                        let ep = json!({"enabled": true, "info_hashes": [state(h1.is_some()), state(h2.is_some())], "local_endpoint": ["2001:db8::10", 6881]});
                        t["endpoints"].as_array_mut().unwrap().push(ep);
                    }
                    t
                })
                .collect();
            FakeTorrent { item, trackers: json!({"trackers": trackers}) }
        })
        .collect()
}

/// Measured service sleeps of every fake in this process (the benchmark's simulator runs one).
static SLEPT_NS: AtomicU64 = AtomicU64::new(0);

/// CPU time of the calling thread in ns (`sum_exec_runtime` of /proc/thread-self/schedstat,
/// ns resolution; 0 where unavailable). Read in a handler of the simulator's single thread,
/// it is that thread's own CPU: its HTTP handling, answer building and runtime included.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The whole request body (empty if the client went away).
async fn body_of(req: Request<Incoming>) -> Bytes {
    req.into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default()
}
