//! The Porla JSON-RPC client.
//!
//! One `POST <base>/api/v1/jsonrpc` per call, `params` always present, never a batch (a batch
//! can crash Porla, docs/porla.md §2.4). Errors are read the way the daemon sends them: HTTP 200
//! with a top-level `error` object that may lack `id` and `jsonrpc` (§2.3), HTTP 401 with a
//! plain-text body for a bad token (§3), and HTTP 200 `{"error":"invalid_auth"}` for a rejected
//! login. Credentials never appear in an [`Error`], a log line or a `Debug` output.

pub mod tls;
pub mod types;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::{fmt, path::PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::{Mutex, RwLock};
use url::Url;

pub use tls::{PorlaTls, TlsOptions};
pub use types::*;

/// A secret string: its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How the exporter authenticates to Porla.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Auth disabled on the Porla side (`PORLA_HTTP_AUTH_DISABLED_YES_REALLY`).
    None,
    /// A JWT (from `porla auth:token`), given directly.
    Token(Secret),
    /// A JWT read from a file at start ([`Auth::token_file`]): `token` is that read, which the
    /// client uses; the file is read again only when Porla answers 401, so a rotated token is
    /// picked up.
    TokenFile { path: PathBuf, token: Secret },
    /// Username and password for `/api/v1/auth/login`; logs in again on 401.
    Login { username: String, password: Secret },
}

impl Auth {
    /// Reads the token file now (a missing or empty file is an error at start, not a loop of
    /// 401s) and carries its content.
    pub fn token_file(path: PathBuf) -> Result<Auth, Error> {
        let token = read_token_file(&path)?;
        Ok(Auth::TokenFile { path, token })
    }
}

/// Why a call to Porla failed. Display texts carry no secret and no raw tracker URL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot connect to Porla: {0}")]
    Connect(String),
    #[error("Porla did not answer within {0:?}")]
    Timeout(Duration),
    #[error("Porla refused the credentials (HTTP 401 Unauthorized)")]
    Unauthorized,
    #[error("Porla rejected the login: invalid username or password")]
    LoginRejected,
    /// The token file cannot be read, is empty, or holds more than a token (at start, or read
    /// again after a 401). `reason` never quotes the file.
    #[error("token file {path}: {reason}")]
    TokenFile { path: String, reason: String },
    /// A request that could not be built (an `Authorization` header that is no valid header
    /// value, a body that does not serialise): never sent, so not a failure of the connection.
    #[error("cannot build the request to Porla: {0}")]
    Request(String),
    #[error("Porla answered HTTP {0}")]
    Http(u16),
    #[error("cannot decode Porla's answer: {0}")]
    Decode(String),
    #[error("Porla answered JSON-RPC error {code}: {message}")]
    Rpc { code: i64, message: String },
    #[error("Porla's answer {how} the limit of {limit} bytes (--porla.max-response-size, or max_response_size in --config.file); the connection was dropped")]
    TooLarge { limit: u64, how: &'static str },
    #[error("Porla's address answered HTTP {status} redirecting to {location}; redirects are not followed (point --porla.url at Porla itself, or at the redirect's target)")]
    Redirect { status: u16, location: String },
    #[error("TLS to Porla failed: {0}")]
    Tls(String),
}

impl Error {
    /// The bounded class used in metrics labels and logs.
    pub fn class(&self) -> &'static str {
        match self {
            Error::Connect(_) => "connection",
            Error::Timeout(_) => "timeout",
            Error::Unauthorized => "unauthorized",
            Error::TokenFile { .. } => "token_file",
            Error::Request(_) => "request",
            Error::LoginRejected => "login_rejected",
            Error::Http(s) if *s >= 500 => "http_5xx",
            Error::Http(_) => "http_other",
            Error::Decode(_) => "decode",
            Error::Rpc { .. } if self.is_not_found() => "not_found",
            Error::Rpc { .. } => "rpc_error",
            Error::TooLarge { .. } => "too_large",
            Error::Redirect { .. } => "redirect",
            Error::Tls(_) => "tls",
        }
    }

    /// `-1` (not found) and `-2` (handle no longer valid): the torrent was removed.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Rpc { code: -1 | -2, .. })
    }

    /// An error of Porla's answer to one call (JSON-RPC error, an undecodable result or an
    /// answer over the size limit), as opposed to a failure of Porla itself (transport, HTTP,
    /// auth, TLS, redirect).
    pub fn is_call_level(&self) -> bool {
        matches!(
            self,
            Error::Rpc { .. } | Error::Decode(_) | Error::TooLarge { .. }
        )
    }
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL, possibly with a base path (`http://host:1337/porla`).
    pub url: Url,
    pub auth: Auth,
    /// Timeout of one HTTP request: connecting, headers and the whole body.
    pub timeout: Duration,
    /// Largest answer read, in bytes; a longer one is cut off and fails as `too_large`.
    pub max_response_size: u64,
    /// TLS set-up for an https:// URL (`None`: reqwest's own, on the webpki roots).
    pub tls: Option<PorlaTls>,
}

impl ClientConfig {
    /// Settings with the default size limit and TLS set-up.
    pub fn new(url: Url, auth: Auth, timeout: Duration) -> Self {
        ClientConfig {
            url,
            auth,
            timeout,
            max_response_size: crate::defaults::default_max_response_size(),
            tls: None,
        }
    }
}

/// Observes every HTTP call (method name and outcome class) for the exporter's own metrics.
pub trait CallObserver: Send + Sync {
    fn observe(&self, method: &str, outcome: &str, seconds: f64);
}

/// A Porla JSON-RPC client. Cheap to share behind an `Arc`; calls may run concurrently.
pub struct Client {
    http: reqwest::Client,
    rpc_url: Url,
    login_url: Url,
    auth: Auth,
    timeout: Duration,
    max_response_size: u64,
    token: RwLock<Option<Secret>>,
    /// Serialises re-authentication so that N concurrent 401s cause one login.
    reauth: Mutex<()>,
    next_id: AtomicU64,
    observer: Option<Box<dyn CallObserver>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("rpc_url", &self.rpc_url.as_str())
            .finish_non_exhaustive()
    }
}

/// Joins `path` under the base URL's path, keeping a base path such as `/porla`.
pub fn endpoint_url(base: &Url, path: &str) -> Url {
    let mut u = base.clone();
    let joined = format!("{}/{}", base.path().trim_end_matches('/'), path);
    u.set_path(&joined);
    u.set_query(None);
    u.set_fragment(None);
    u
}

/// The URL without anything that could be a credential (user info, query and fragment), for
/// logs, errors and the landing page.
pub fn display_url(u: &Url) -> String {
    let mut u = u.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default = "Option::default")]
    result: Option<T>,
    #[serde(default)]
    error: Option<Value>,
}

impl Client {
    pub fn new(cfg: ClientConfig, observer: Option<Box<dyn CallObserver>>) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout)
            .pool_max_idle_per_host(32)
            // Following a redirect turns the POST into a GET somewhere else: refuse instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("porla-exporter/", env!("CARGO_PKG_VERSION")));
        if let Some(tls) = cfg.tls {
            if tls.options.insecure_skip_verify {
                tracing::warn!(
                    porla = %display_url(&cfg.url),
                    "TLS certificate of Porla is not verified (--porla.tls.insecure-skip-verify): the connection is encrypted but anyone on the path can impersonate Porla"
                );
            }
            builder = builder.use_preconfigured_tls(tls.config);
        }
        let http = builder.build()?;
        let token = match &cfg.auth {
            Auth::Token(t) | Auth::TokenFile { token: t, .. } => Some(t.clone()),
            _ => None,
        };
        Ok(Client {
            http,
            rpc_url: endpoint_url(&cfg.url, "api/v1/jsonrpc"),
            login_url: endpoint_url(&cfg.url, "api/v1/auth/login"),
            auth: cfg.auth,
            timeout: cfg.timeout,
            max_response_size: cfg.max_response_size,
            token: RwLock::new(token),
            reauth: Mutex::new(()),
            next_id: AtomicU64::new(1),
            observer,
        })
    }

    fn observe(&self, method: &str, outcome: &str, started: std::time::Instant) {
        if let Some(o) = &self.observer {
            o.observe(method, outcome, started.elapsed().as_secs_f64());
        }
    }

    /// `torrents.list`, one page.
    pub async fn torrents_page(&self, page: u64, page_size: u64) -> Result<TorrentsPage, Error> {
        #[derive(Serialize)]
        struct Params {
            page: u64,
            page_size: u64,
        }
        self.call("torrents.list", &Params { page, page_size })
            .await
    }

    /// `torrents.trackers.list` for the exact `info_hash` value `torrents.list` gave.
    pub async fn trackers(&self, info_hash: &Value) -> Result<TrackerList, Error> {
        #[derive(Serialize)]
        struct Params<'a> {
            info_hash: &'a Value,
        }
        self.call("torrents.trackers.list", &Params { info_hash })
            .await
    }

    /// One JSON-RPC call, re-authenticating once on HTTP 401.
    pub async fn call<T: DeserializeOwned + Send + 'static, P: Serialize + Sync>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<T, Error> {
        let started = std::time::Instant::now();
        let result = self.call_inner(method, params).await;
        self.observe(method, outcome(&result), started);
        result
    }

    async fn call_inner<T: DeserializeOwned + Send + 'static, P: Serialize + Sync>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<T, Error> {
        if self.token.read().await.is_none() {
            self.authenticate(None).await?;
        }
        let used = self.token.read().await.clone();
        match self.post_rpc(method, params, used.as_ref()).await {
            Err(Error::Unauthorized) if !matches!(self.auth, Auth::Token(_) | Auth::None) => {
                tracing::info!(method, "Porla answered 401; authenticating again");
                self.authenticate(used.as_ref()).await?;
                let token = self.token.read().await.clone();
                self.post_rpc(method, params, token.as_ref()).await
            }
            r => r,
        }
    }

    /// Obtains a fresh token, unless another task already replaced `stale` meanwhile.
    async fn authenticate(&self, stale: Option<&Secret>) -> Result<(), Error> {
        let _guard = self.reauth.lock().await;
        {
            let current = self.token.read().await;
            if current.is_some() && current.as_ref() != stale {
                return Ok(());
            }
        }
        let token = match &self.auth {
            Auth::None => return Ok(()),
            Auth::Token(t) => t.clone(),
            Auth::TokenFile { path, .. } => read_token_file(path)?,
            Auth::Login { username, password } => {
                let started = std::time::Instant::now();
                let r = self.login(username, password).await;
                self.observe("auth.login", outcome(&r), started);
                r?
            }
        };
        *self.token.write().await = Some(token);
        Ok(())
    }

    async fn login(&self, username: &str, password: &Secret) -> Result<Secret, Error> {
        let body = json!({"username": username, "password": password.expose()});
        let resp = self
            .http
            .post(self.login_url.clone())
            .json(&body)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        self.refuse_redirect(&resp)?;
        let bytes = self.read_body(resp).await?;
        if status == 401 || status == 403 {
            return Err(Error::LoginRejected);
        }
        if status != 200 {
            return Err(Error::Http(status));
        }
        let v: Value = serde_json::from_str(&String::from_utf8_lossy(&bytes))
            .map_err(|e| Error::Decode(format!("login answer: {e}")))?;
        if let Some(t) = v.get("token").and_then(Value::as_str) {
            // Sent back in an `Authorization` header: a token that cannot be is Porla's fault,
            // not the connection's.
            if let Some(what) = token_problem(t) {
                return Err(Error::Decode(format!(
                    "login answer: its token holds {what}, which no Authorization header can carry"
                )));
            }
            return Ok(Secret::new(t));
        }
        if v.get("error").is_some() {
            return Err(Error::LoginRejected);
        }
        Err(Error::Decode(
            "login answer has neither token nor error".into(),
        ))
    }

    async fn post_rpc<T: DeserializeOwned + Send + 'static, P: Serialize + Sync>(
        &self,
        method: &str,
        params: &P,
        token: Option<&Secret>,
    ) -> Result<T, Error> {
        /// A JSON-RPC request, serialised from borrowed parts.
        #[derive(Serialize)]
        struct Request<'a, P> {
            jsonrpc: &'static str,
            id: u64,
            method: &'a str,
            params: &'a P,
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = Request {
            jsonrpc: "2.0",
            id,
            method,
            params,
        };
        let mut req = self.http.post(self.rpc_url.clone()).json(&body);
        if let Some(t) = token {
            req = req.header(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", t.expose()),
            );
        }
        let resp = req.send().await.map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        if status == 401 {
            return Err(Error::Unauthorized);
        }
        self.refuse_redirect(&resp)?;
        let bytes = self.read_body(resp).await?;
        if status != 200 {
            return Err(Error::Http(status));
        }
        if bytes.len() < DECODE_INLINE_MAX {
            return decode_envelope(&bytes);
        }
        // A large answer (a torrents.list page) is decoded off the runtime's threads, so
        // scrapes served meanwhile never wait for it.
        tokio::task::spawn_blocking(move || decode_envelope(&bytes))
            .await
            .unwrap_or_else(|e| Err(Error::Decode(format!("decoding the answer failed: {e}"))))
    }

    /// Refuses a redirect, naming where it pointed (without query string or user info).
    fn refuse_redirect(&self, resp: &reqwest::Response) -> Result<(), Error> {
        let status = resp.status();
        if !status.is_redirection() {
            return Ok(());
        }
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .map(
                |l| match self.rpc_url.join(&String::from_utf8_lossy(l.as_bytes())) {
                    Ok(u) => display_url(&u),
                    Err(_) => "an unreadable Location".to_owned(),
                },
            )
            .unwrap_or_else(|| "no Location".to_owned());
        Err(Error::Redirect {
            status: status.as_u16(),
            location,
        })
    }

    /// Reads the body up to the size limit, chunk by chunk: an answer over the limit is cut
    /// off there (the connection is dropped with the response) and never held whole. The
    /// client's timeout keeps covering the body.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, Error> {
        let limit = self.max_response_size;
        let declared = resp.content_length();
        if declared.is_some_and(|n| n > limit) {
            return Err(Error::TooLarge {
                limit,
                how: "declares a Content-Length over",
            });
        }
        // One allocation of the announced size on the normal path.
        let mut buf = Vec::with_capacity(declared.unwrap_or(8 * 1024) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(e))? {
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(Error::TooLarge {
                    limit,
                    how: "went over",
                });
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf)
    }

    fn transport_error(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::Timeout(self.timeout);
        }
        if e.is_builder() {
            // Never sent: the request itself was wrong (the tokens are checked before they
            // get here, so this is a bug rather than anything Porla or the network did).
            return Error::Request(error_chain(&e.without_url()));
        }
        if let Some(t) = tls::find_tls_error(&e) {
            return Error::Tls(tls::describe(t));
        }
        // Refused, reset, or a body cut short: all failures of the connection.
        Error::Connect(error_chain(&e.without_url()))
    }
}

/// Answers up to this size are decoded where they arrive; larger ones on a blocking thread.
const DECODE_INLINE_MAX: usize = 64 * 1024;

/// Decodes a JSON-RPC answer: a top-level `error` wins, with or without `id` (§2.3).
pub fn decode_envelope<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Straight into the typed result: no intermediate JSON tree for a 50,000-torrent list.
    // The bytes are read as they are; only an answer that fails is looked at again, with
    // invalid UTF-8 repaired rather than losing the whole answer to one bad byte.
    let first = serde_json::from_slice::<Envelope<T>>(bytes);
    let text = match &first {
        Ok(_) => std::borrow::Cow::Borrowed(""),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let retried = match (first, &text) {
        (Ok(env), _) => Ok(env),
        (Err(e), std::borrow::Cow::Borrowed(_)) => Err(e),
        (Err(_), std::borrow::Cow::Owned(repaired)) => serde_json::from_str(repaired),
    };
    let env: Envelope<T> = match retried {
        Ok(env) => env,
        Err(e) => {
            // A shape we cannot type may still be an error answer.
            let env: Envelope<serde::de::IgnoredAny> =
                serde_json::from_str(&text).map_err(|_| decode_error(&e))?;
            return Err(env.error.map(rpc_error).unwrap_or_else(|| decode_error(&e)));
        }
    };
    if let Some(err) = env.error {
        return Err(rpc_error(err));
    }
    env.result
        .ok_or_else(|| Error::Decode("answer has neither result nor error".into()))
}

/// serde_json's message without the text it quotes from the answer (`string "…"`, `` `…` ``):
/// a tracker URL with its passkey must not reach a log line through a decode error.
fn decode_error(e: &serde_json::Error) -> Error {
    let mut text = e.to_string();
    for q in ['"', '`'] {
        if let (Some(a), Some(b)) = (text.find(q), text.rfind(q)) {
            if a < b {
                text.replace_range(a..=b, &format!("{q}…{q}"));
            }
        }
    }
    Error::Decode(text)
}

fn rpc_error(err: Value) -> Error {
    let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| err.as_str())
        .unwrap_or("unknown error");
    Error::Rpc {
        code,
        message: redact_urls(message).chars().take(200).collect(),
    }
}

/// Porla's error message with every URL in it redacted like a tracker URL (an error about a
/// tracker may quote its announce URL, passkey included).
fn redact_urls(text: &str) -> String {
    if !text.contains("://") {
        return text.to_owned();
    }
    text.split(' ')
        .map(|w| {
            if w.contains("://") {
                crate::redact::redact_tracker_url(w).redacted
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command that writes a token file holding the token alone (docs/deployment.md, "Before
/// you start: a Porla token", explains each option). Porla writes its log to stdout, the same
/// stream as the token, so the log level keeps its info lines out.
pub const TOKEN_RECIPE: &str =
    "porla auth:token --config-file /etc/porla/porla.toml --db :memory: --log-level warning";

/// Reads a token file: the one place that does (at start through [`Auth::token_file`], and
/// again on HTTP 401). The JWT is trimmed and a leading `Bearer ` (a common copy-paste) is
/// dropped; an empty file, and one holding more than a token (Porla's log lines, which
/// `porla auth:token` writes to stdout beside the token), is an error that names the file and
/// how many lines it holds, never what they say.
pub fn read_token_file(path: &std::path::Path) -> Result<Secret, Error> {
    let err = |reason: String| Error::TokenFile {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let token = clean_token(&text).ok_or_else(|| err("the file is empty".into()))?;
    match token_problem(token.expose()) {
        None => Ok(token),
        Some(what) => Err(err(format!(
            "it holds {what}, not a token alone: `porla auth:token` writes its log to stdout, beside \
             the token (read those lines: a warning there may matter); write the file again with \
             `{TOKEN_RECIPE} > FILE` (docs/deployment.md)"
        ))),
    }
}

/// What makes `token` (already [`clean_token`]ed) more than a token, if anything: a JWT is one
/// word of base64url and dots, so a line break, a space or a control character inside means
/// something else came with it (and could not be sent in an `Authorization` header anyway).
/// Says how many lines it holds, never what they say.
pub fn token_problem(token: &str) -> Option<String> {
    let lines = token.lines().filter(|l| !l.trim().is_empty()).count();
    if lines > 1 {
        return Some(format!("{lines} lines"));
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("one line with spaces or control characters".to_owned());
    }
    None
}

/// A token as given in a file, a flag or the environment: trimmed, without a leading
/// `Bearer ` (any case); `None` when nothing is left.
pub fn clean_token(raw: &str) -> Option<Secret> {
    let t = raw.trim();
    let t = match (t.get(..6), t.get(6..).and_then(|r| r.chars().next())) {
        (Some(p), next)
            if p.eq_ignore_ascii_case("bearer") && next.is_none_or(char::is_whitespace) =>
        {
            t[6..].trim_start()
        }
        _ => t,
    };
    (!t.is_empty()).then(|| Secret::new(t))
}

/// The bounded outcome label of a call.
pub fn outcome<T>(r: &Result<T, Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.class(),
    }
}

/// `err: source: source` without URLs (reqwest errors are stripped of theirs by the caller).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatcher_error_without_id_is_an_rpc_error() {
        let e =
            decode_envelope::<Value>(br#"{"error":{"code":-32601,"message":"Method not found"}}"#)
                .unwrap_err();
        assert!(matches!(e, Error::Rpc { code: -32601, .. }), "{e:?}");
        assert_eq!(e.class(), "rpc_error");
    }

    #[test]
    fn not_found_codes_are_recognised() {
        let body = br#"{"error":{"code":-1,"data":null,"message":"Torrent not found in any session"},"id":7,"jsonrpc":"2.0"}"#;
        let e = decode_envelope::<Value>(body).unwrap_err();
        assert!(e.is_not_found());
        let e = decode_envelope::<Value>(br#"{"error":{"code":-2,"data":null,"message":"Torrent not valid"},"id":1,"jsonrpc":"2.0"}"#).unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(e.class(), "not_found");
    }

    #[test]
    fn garbage_is_a_decode_error() {
        let e = decode_envelope::<Value>(b"<html>bad gateway</html>").unwrap_err();
        assert_eq!(e.class(), "decode");
        let e = decode_envelope::<Value>(br#"{"id":1,"jsonrpc":"2.0"}"#).unwrap_err();
        assert_eq!(e.class(), "decode");
    }

    #[test]
    fn base_path_is_kept() {
        let base = Url::parse("http://h:1337/porla/").unwrap();
        assert_eq!(
            endpoint_url(&base, "api/v1/jsonrpc").as_str(),
            "http://h:1337/porla/api/v1/jsonrpc"
        );
        let base = Url::parse("http://h:1337").unwrap();
        assert_eq!(
            endpoint_url(&base, "api/v1/jsonrpc").as_str(),
            "http://h:1337/api/v1/jsonrpc"
        );
    }

    #[test]
    fn secrets_do_not_debug_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        let a = Auth::Login {
            username: "u".into(),
            password: s,
        };
        assert!(!format!("{a:?}").contains("hunter2"));
    }

    #[test]
    fn tokens_are_trimmed_and_lose_a_bearer_prefix() {
        for (raw, want) in [
            ("eyJ.a.b\n", Some("eyJ.a.b")),
            ("  Bearer eyJ.a.b \r\n", Some("eyJ.a.b")),
            ("bearer  eyJ.a.b", Some("eyJ.a.b")),
            ("Bearereyj", Some("Bearereyj")),
            ("aéééé", Some("aéééé")),
            ("Bearer", None),
            (" \n", None),
            ("Bearer ", None),
        ] {
            assert_eq!(
                clean_token(raw).as_ref().map(Secret::expose),
                want,
                "{raw:?}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("tok");
        std::fs::write(&f, "Bearer eyJ.x.y\n").unwrap();
        assert_eq!(read_token_file(&f).unwrap().expose(), "eyJ.x.y");
        std::fs::write(&f, "\n").unwrap();
        assert!(read_token_file(&f)
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn more_than_a_token_is_named_by_its_lines_never_its_text() {
        for (token, want) in [
            ("eyJ.a.b", None),
            ("aéééé", None),
            ("log line\neyJ.a.b", Some("2 lines")),
            ("a\n\n\nb\nc", Some("3 lines")),
            (
                "[fatal]  Failed to load configuration",
                Some("one line with spaces"),
            ),
            ("eyJ.a\tb", Some("one line with spaces")),
            ("eyJ.a\u{7}b", Some("one line with spaces")),
        ] {
            let got = token_problem(token);
            assert_eq!(
                got.as_deref().map(|g| g.split(" or ").next().unwrap()),
                want,
                "{token:?}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("tok");
        std::fs::write(&f, "[info] Migrating SECRETLOG\r\neyJ.SECRET.sig\r\n").unwrap();
        let e = read_token_file(&f).unwrap_err();
        assert_eq!(e.class(), "token_file");
        let text = e.to_string();
        assert!(
            text.contains("it holds 2 lines, not a token alone"),
            "{text}"
        );
        assert!(text.contains(TOKEN_RECIPE), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn error_texts_do_not_repeat_answer_text() {
        let e = decode_envelope::<TrackerList>(
            br#"{"result":{"trackers":[{"tier":"udp://t.example/announce?passkey=SEKRIT"}]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.class(), "decode");
        assert!(!e.to_string().contains("SEKRIT"), "{e}");
        assert!(e.to_string().contains("invalid type: string"), "{e}");
        let e = decode_envelope::<Value>(
            br#"{"error":{"code":-32603,"message":"announce to https://t.example/SEKRIT0123456789abcdef/announce failed"}}"#,
        )
        .unwrap_err();
        assert!(!e.to_string().contains("SEKRIT"), "{e}");
        assert!(
            e.to_string()
                .contains("https://t.example/REDACTED/announce failed"),
            "{e}"
        );
    }

    #[test]
    fn display_url_drops_user_info() {
        let u = Url::parse("http://user:pw@h:1337/x").unwrap();
        assert_eq!(display_url(&u), "http://h:1337/x");
        let u = Url::parse("http://h:1337/x?token=t0k#f").unwrap();
        assert_eq!(display_url(&u), "http://h:1337/x");
    }
}
