//! The real daemon's error and login answers (tests/fixtures/porla/samples), table by table,
//! against what docs/porla.md §2.3 and §3 say the exporter does with them.

use std::time::Duration;

use porla_exporter::porla::{decode_envelope, Auth, Client, ClientConfig, Error, Secret};
use serde_json::{json, Value};

use crate::support::fake_porla::{fixtures_dir, sample_torrents, FakeAuth, FakePorla};

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

fn client(url: &str, auth: Auth) -> Client {
    Client::new(
        ClientConfig::new(url.parse().unwrap(), auth, Duration::from_secs(5)),
        None,
    )
    .unwrap()
}

/// §3: a missing, malformed or foreign-key token gets HTTP 401 with the plain-text body
/// `Unauthorized` and no Content-Type; the exporter classes the call `unauthorized`, for the
/// very request that was captured. Through the fake Porla, which answers as captured.
#[tokio::test]
async fn captured_token_refusals_are_unauthorized() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Tokens(vec!["the-jwt".into()])).await;
    // (capture, the token sent)
    let table = [
        ("error-bad-token", Some("not-a-jwt")),
        ("error-no-token", None),
        (
            "error-wrong-signature-token",
            Some("eyJ.signed-with-another-key.sig"),
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
    for (name, token) in table {
        let body = read(&format!("{name}.json.txt"));
        // The request captured with it (the no-token capture reused the bad token's).
        let request = samples().join(format!("{name}.request.json"));
        let req: Value = if request.exists() {
            serde_json::from_slice(&std::fs::read(request).unwrap()).unwrap()
        } else {
            json!({"jsonrpc": "2.0", "id": 1, "method": "torrents.list", "params": {}})
        };

        // The fake answers as the daemon did.
        let mut post = reqwest::Client::new()
            .post(format!("{}/api/v1/jsonrpc", porla.url()))
            .json(&req);
        if let Some(t) = token {
            post = post.header("Authorization", format!("Bearer {t}"));
        }
        let resp = post.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{name}");
        assert!(resp.headers().get("content-type").is_none(), "{name}");
        assert_eq!(
            resp.bytes().await.unwrap(),
            body,
            "{name}: the captured body"
        );

        // The client's reading of it.
        let auth = token.map_or(Auth::None, |t| Auth::Token(Secret::new(t)));
        let err = client(&porla.url(), auth)
            .call::<Value, Value>(req["method"].as_str().unwrap(), &req["params"])
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
/// `{"error": "invalid_auth"}`, classed `login_rejected`. The fake Porla sends the captured
/// bodies; the client logs in through it.
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
    // (capture, password, the fake's body, the client's outcome)
    let table: [(&str, &str, &str, Result<(), &str>); 2] = [
        (
            "auth-login-wrong-password.json",
            "wrong",
            "",
            Err("login_rejected"),
        ),
        ("auth-login.json", "right", "jwt-from-login", Ok(())),
    ];
    assert_eq!(
        captures("auth-login", ".json"),
        table.iter().map(|r| r.0.to_owned()).collect::<Vec<_>>(),
        "every captured login answer has a row"
    );
    for (file, password, token, outcome) in table {
        // The fake answers as the daemon did (the capture's `<jwt>` stands for the token).
        let resp = reqwest::Client::new()
            .post(format!("{}/api/v1/auth/login", porla.url()))
            .json(&json!({"username": "porla", "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{file}: HTTP 200 either way");
        let captured = String::from_utf8(read(file))
            .unwrap()
            .replace("<jwt>", token);
        assert_eq!(resp.text().await.unwrap(), captured, "{file}");

        // The client's reading of it.
        let auth = Auth::Login {
            username: "porla".into(),
            password: Secret::new(password),
        };
        let r = client(&porla.url(), auth)
            .call::<Value, Value>("torrents.list", &json!({"page": 0, "page_size": 1}))
            .await;
        match (r, outcome) {
            // The call after the login carried the login's token, or the fake would say 401.
            (Ok(v), Ok(())) => assert!(v["torrents"].is_array(), "{v}"),
            (Err(e), Err(class)) => {
                assert!(matches!(e, Error::LoginRejected), "{file}: {e:?}");
                assert_eq!(e.class(), class);
            }
            (r, o) => panic!("{file}: {r:?}, expected {o:?}"),
        }
    }
    assert_eq!(porla.logins(), 4);
}
