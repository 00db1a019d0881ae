//! The real daemon's error and login answers (tests/fixtures/porla/samples), table by table,
//! against what docs/porla.md §2.3 and §3 say the exporter does with them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use porla_exporter::porla::{decode_envelope, Auth, Client, ClientConfig, Error, Secret};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::fake_porla::{captured, fixtures_dir, sample_torrents, FakeAuth, FakePorla};

fn samples() -> std::path::PathBuf {
    fixtures_dir().join("porla/samples")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(samples().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every captured file whose name starts with `prefix` and ends with `suffix`, sorted.
fn captures(prefix: &str, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix) && !n.ends_with(".request.json"))
        .collect();
    names.sort();
    names
}

/// §2.3: method errors (with `id`) and dispatcher errors (no `id`, no `jsonrpc`) both decode to
/// the JSON-RPC error with its code and message; `-1` is "not found", the rest `rpc_error`.
#[test]
fn captured_error_envelopes_decode_as_documented() {
    // (file, has id, code, message, class)
    let table: &[(&str, bool, i64, &str, &str)] = &[
        (
            "error-malformed-info-hash.json",
            true,
            -1,
            "Torrent not found in any session",
            "not_found",
        ),
        (
            "error-parse.json",
            false,
            -32700,
            "Parse error",
            "rpc_error",
        ),
        (
            "error-unknown-info-hash-properties.json",
            true,
            -1,
            "Torrent not found in any session",
            "not_found",
        ),
        (
            "error-unknown-info-hash.json",
            true,
            -1,
            "Torrent not found in any session",
            "not_found",
        ),
        (
            "error-unknown-method.json",
            false,
            -32601,
            "Method not found",
            "rpc_error",
        ),
    ];
    assert_eq!(
        captures("error-", ".json"),
        table.iter().map(|r| r.0.to_owned()).collect::<Vec<_>>(),
        "every captured JSON error envelope has a row"
    );
    for &(file, has_id, code, message, class) in table {
        let bytes = read(file);
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            raw.get("id").is_some(),
            has_id,
            "{file}: the capture's shape"
        );
        assert_eq!(
            raw.get("jsonrpc").is_some(),
            has_id,
            "{file}: the capture's shape"
        );
        // Whatever result type the call expected.
        for err in [
            decode_envelope::<Value>(&bytes).unwrap_err(),
            decode_envelope::<porla_exporter::porla::TorrentsPage>(&bytes).unwrap_err(),
            decode_envelope::<porla_exporter::porla::TrackerList>(&bytes).unwrap_err(),
        ] {
            match &err {
                Error::Rpc {
                    code: c,
                    message: m,
                } => {
                    assert_eq!((*c, m.as_str()), (code, message), "{file}")
                }
                other => panic!("{file}: {other:?}"),
            }
            assert_eq!(err.class(), class, "{file}");
            assert!(
                err.is_call_level(),
                "{file}: a call-level error, Porla itself is fine"
            );
        }
    }
}

/// Request heads a raw server saw.
type Heads = Arc<Mutex<Vec<String>>>;

/// Answers every HTTP request on a fresh loopback port with `status` and `body` (no
/// Content-Type, as Porla's 401), for the client's view of a captured answer.
async fn serve_raw(status: &'static str, body: Vec<u8>) -> (String, Heads) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Heads::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut got = Vec::new();
                // Headers, then the Content-Length bytes of the body.
                loop {
                    let n = sock.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if got.len() >= end + 4 + len {
                            seen.lock().unwrap().push(text[..end].to_owned());
                            break;
                        }
                    }
                }
                let head = format!(
                    "HTTP/1.1 {status}\r\nuWebSockets: 20\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    (format!("http://{addr}"), heads)
}

fn client(url: &str, auth: Auth) -> Client {
    Client::new(
        ClientConfig::new(url.parse().unwrap(), auth, Duration::from_secs(5)),
        None,
    )
    .unwrap()
}

/// §3: a missing, malformed or foreign-key token gets HTTP 401 with the plain-text body
/// `Unauthorized` and no Content-Type; the exporter classes the call `unauthorized`, for the
/// very request that was captured.
#[tokio::test]
async fn captured_token_refusals_are_unauthorized() {
    let table = [
        ("error-bad-token", Auth::Token(Secret::new("not-a-jwt"))),
        ("error-no-token", Auth::None),
        (
            "error-wrong-signature-token",
            Auth::Token(Secret::new("eyJ.other-key.sig")),
        ),
    ];
    assert_eq!(
        captures("error-", ".json.txt"),
        table
            .iter()
            .map(|r| format!("{}.json.txt", r.0))
            .collect::<Vec<_>>(),
        "every captured refusal has a row"
    );
    for (name, auth) in table {
        let body = read(&format!("{name}.json.txt"));
        assert_eq!(
            body,
            captured::UNAUTHORIZED.as_bytes(),
            "{name}: the fake's 401 body"
        );
        // The captured request for the no-token case is the one of the bad token.
        let request = samples().join(format!("{name}.request.json"));
        let req: Value = if request.exists() {
            serde_json::from_slice(&std::fs::read(request).unwrap()).unwrap()
        } else {
            json!({"method": "torrents.list", "params": {}})
        };
        let (url, _) = serve_raw("401 Unauthorized", body).await;
        let err = client(&url, auth)
            .call::<Value>(req["method"].as_str().unwrap(), req["params"].clone())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Unauthorized), "{name}: {err:?}");
        assert_eq!(err.class(), "unauthorized", "{name}");
        assert!(
            !err.is_call_level(),
            "{name}: Porla refused the exporter, not one call"
        );
    }
}

/// §3: a right login is HTTP 200 `{"token": …}` and the token is used; a wrong one is HTTP 200
/// `{"error": "invalid_auth"}`, classed `login_rejected`. Both through the fake Porla, which
/// sends the captured bodies, and straight from the capture.
#[tokio::test]
async fn captured_login_answers_log_in_or_are_rejected() {
    let porla = FakePorla::start(
        sample_torrents(),
        FakeAuth::Login {
            username: "porla".into(),
            password: "right".into(),
            issued: "jwt-from-login".into(),
        },
    )
    .await;
    // (password, outcome)
    let table: [(&str, Result<(), &str>); 2] =
        [("right", Ok(())), ("wrong", Err("login_rejected"))];
    for (password, outcome) in table {
        let auth = Auth::Login {
            username: "porla".into(),
            password: Secret::new(password),
        };
        let r = client(&porla.url(), auth)
            .call::<Value>("torrents.list", json!({"page": 0, "page_size": 1}))
            .await;
        match (r, outcome) {
            (Ok(v), Ok(())) => assert!(v["torrents"].is_array(), "{v}"),
            (Err(e), Err(class)) => {
                assert!(matches!(e, Error::LoginRejected), "{password}: {e:?}");
                assert_eq!(e.class(), class);
            }
            (r, o) => panic!("{password}: {r:?}, expected {o:?}"),
        }
    }
    assert_eq!(porla.logins(), 2);

    // The captured answers themselves, served as Porla sent them.
    let table: [(&str, Result<&str, &str>); 2] = [
        ("auth-login-wrong-password.json", Err("login_rejected")),
        ("auth-login.json", Ok("<jwt>")),
    ];
    assert_eq!(
        captures("auth-login", ".json"),
        table.iter().map(|r| r.0.to_owned()).collect::<Vec<_>>(),
        "every captured login answer has a row"
    );
    for (file, outcome) in table {
        let (url, heads) = serve_raw("200 OK", read(file)).await;
        let auth = Auth::Login {
            username: "porla".into(),
            password: Secret::new("x"),
        };
        // The login succeeds or not; the JSON-RPC call after it meets the same raw answer.
        let err = client(&url, auth)
            .call::<Value>("torrents.list", json!({}))
            .await
            .unwrap_err();
        match outcome {
            Ok(token) => {
                assert!(
                    matches!(err, Error::Decode(_)),
                    "{file}: logged in, then the login body is no JSON-RPC answer: {err:?}"
                );
                let heads = heads.lock().unwrap().clone();
                let rpc = heads
                    .iter()
                    .find(|h| h.starts_with("POST /api/v1/jsonrpc "))
                    .unwrap_or_else(|| {
                        panic!("{file}: no JSON-RPC call after the login: {heads:?}")
                    });
                assert!(
                    rpc.to_ascii_lowercase()
                        .contains(&format!("authorization: bearer {token}")),
                    "{file}: the call carries the login's token: {rpc}"
                );
            }
            Err(class) => assert_eq!(err.class(), class, "{file}: {err:?}"),
        }
    }
}
