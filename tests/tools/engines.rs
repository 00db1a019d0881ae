//! What the end-to-end tests through the real engines share: processes this test starts (and
//! kills when dropped), a Prometheus HTTP API client that waits for conditions with a deadline,
//! a webhook receiver recording every Alertmanager notification, and the mixin rendered with
//! `_config` overrides (never by editing its output).

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::monitoring::{files, json, panel_exprs, variables};
use crate::support::binary::Binary;
use crate::support::fake_porla::{FakePorla, FakeTorrent};
use crate::support::process::Process;
use crate::support::tools;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Starts `program` with `args` in `dir` (a [`Process`]: killed when dropped), and returns once
/// it listens, with the address it bound, from the `msg="Listening on" address=…` line that
/// Prometheus and Alertmanager log through exporter-toolkit (prometheus/exporter-toolkit,
/// web/tls_config.go): both start on port 0, so no port is reserved and released before they
/// start.
pub fn listening(name: &str, program: &Path, args: &[String], dir: &Path) -> (Process, String) {
    let mut process = Process::spawn(name, Command::new(program).args(args).current_dir(dir));
    let address = process.wait_for_output("the `Listening on` line", listening_on);
    (process, address)
}

/// A Prometheus server on a loopback port of its own with `config` (YAML text) and its own storage.
pub fn prometheus(name: &str, config: &str, dir: &Path, extra: &[&str]) -> (Process, Prom) {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let file = sub.join("prometheus.yml");
    std::fs::write(&file, config).unwrap();
    let check = Command::new(tools::promtool())
        .args(["check", "config", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "promtool check config {name}: {}\n{config}",
        String::from_utf8_lossy(&check.stdout)
    );
    let mut args = vec![
        format!("--config.file={}", file.display()),
        format!("--storage.tsdb.path={}", sub.join("data").display()),
        "--web.listen-address=127.0.0.1:0".to_owned(),
        // info: the `Listening on` line names the bound port.
        "--log.level=info".to_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let (process, address) = listening(name, &tools::prometheus(), &args, &sub);
    let prom = Prom {
        name: name.to_owned(),
        url: format!("http://{address}"),
        client: reqwest::Client::new(),
    };
    (process, prom)
}

/// The exporter binary polling `porla` every second.
pub fn exporter(porla: &FakePorla) -> Binary {
    Binary::start(
        &[
            "--porla.url",
            &porla.url(),
            "--poll.interval",
            "1s",
            "--poll.mode",
            "full",
        ],
        &[],
    )
}

/// `host:port` of a URL `http://host:port`.
pub fn address(url: &str) -> String {
    url.trim_start_matches("http://").to_owned()
}

pub struct Prom {
    pub name: String,
    pub url: String,
    pub client: reqwest::Client,
}

impl Prom {
    pub fn address(&self) -> String {
        address(&self.url)
    }

    /// An instant query: the result vector, or the error Prometheus gave.
    pub async fn query(&self, q: &str) -> Result<Vec<Value>, String> {
        self.query_at(q, None).await
    }

    /// An instant query evaluated at Unix time `at` (now when `None`).
    pub async fn query_at(&self, q: &str, at: Option<f64>) -> Result<Vec<Value>, String> {
        let mut params = vec![("query", q.to_string())];
        if let Some(at) = at {
            params.push(("time", at.to_string()));
        }
        let r: Value = self
            .client
            .get(format!("{}/api/v1/query", self.url))
            .query(&params)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        if r["status"] != "success" {
            return Err(format!("{}: {}", r["errorType"], r["error"]));
        }
        Ok(r["data"]["result"].as_array().cloned().unwrap_or_default())
    }

    /// Waits until `q` returns at least one series (`deadline` from now); returns them.
    pub async fn wait_for(&self, q: &str, within: Duration, what: &str) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let last = self.query(q).await;
            match &last {
                Ok(v) if !v.is_empty() => return v.clone(),
                _ => {}
            }
            assert!(
                Instant::now() < deadline,
                "{}: timed out after {within:?} waiting for {what} ({q}); last answer {last:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// The value of the first series `q` returns (None when it returns nothing).
    pub async fn scalar(&self, q: &str) -> Option<f64> {
        let v = self.query(q).await.ok()?;
        v.first()
            .and_then(|s| s["value"][1].as_str())
            .and_then(|s| s.parse().ok())
    }
}

/// Every notification Alertmanager posted to the webhook, in arrival order.
#[derive(Clone, Default)]
pub struct Notifications(Arc<Mutex<Vec<Value>>>);

impl Notifications {
    pub fn all(&self) -> Vec<Value> {
        self.0.lock().unwrap().clone()
    }
}

/// A webhook receiver on a free loopback port: records each POSTed JSON body. Returns its URL.
pub async fn webhook() -> (String, Notifications) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let seen = Notifications::default();
    let recorder = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let recorder = recorder.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let recorder = recorder.clone();
                    async move {
                        let body = req.into_body().collect().await?.to_bytes();
                        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        recorder.0.lock().unwrap().push(v);
                        Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from_static(b"ok"))))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, seen)
}

/// A document of the mixin (`prometheusAlerts`, `prometheusRules`) as a rule file, rendered with
/// `overrides` merged into `_config` (jsonnet object fields, e.g. `trackerAlertsKeepFiringFor: '20s'`).
pub fn render_mixin(field: &str, overrides: &str) -> String {
    jsonnet_string(&format!(
        "local r = import 'render/lib.libsonnet'; r.yaml((r.mixin(null) + {{ _config+:: {{ {overrides} }} }}).{field})"
    ))
}

/// The string a jsonnet expression evaluates to (`jsonnet -S`, the mixin on the import path).
pub fn jsonnet_string(expr: &str) -> String {
    let out = Command::new(tools::jsonnet())
        .args(["-J", &format!("{ROOT}/mixin"), "-S", "-e", expr])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jsonnet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The address in a `msg="Listening on" address=127.0.0.1:41235` line, which Prometheus and
/// Alertmanager log through exporter-toolkit once they bound (prometheus/exporter-toolkit,
/// web/tls_config.go).
pub fn listening_on(log: &str) -> Option<String> {
    let line = log.lines().find(|l| l.contains("msg=\"Listening on\""))?;
    let (_, rest) = line.split_once(" address=")?;
    rest.split(' ').next().map(str::to_owned)
}

/// A dashboard query as Prometheus takes it: Grafana's interval variables become fixed windows,
/// `$job` the default job, `$instance` every instance, `$tracker_host` the given host.
pub fn substitute(q: &str, tracker_host: &str) -> String {
    q.replace("$__rate_interval", "30s")
        .replace("$__interval", "5s")
        .replace("$__range", "1m")
        .replace("${job}", "porla-exporter")
        .replace("$job", "porla-exporter")
        .replace("${instance}", ".*")
        .replace("$instance", ".*")
        .replace("${tracker_host}", tracker_host)
        .replace("$tracker_host", tracker_host)
}

/// A query variable as a query returning its series: `label_values(selector, label)` becomes
/// `group by (label) (selector)`.
pub fn variable_series(var: &serde_json::Value) -> String {
    let q = crate::monitoring::variable_query(var);
    match crate::monitoring::label_values_parts(&q) {
        Some((selector, label)) if !selector.contains('(') => {
            format!("group by ({label}) ({selector})")
        }
        Some((selector, _)) => selector,
        None => q,
    }
}

/// Every panel and variable query of every dashboard returns data on `prom`; the failures.
pub async fn dashboards_without_data(prom: &Prom) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rel in files("dashboards", ".json") {
        let d = json(&rel);
        let mut exprs = panel_exprs(&rel, &d);
        for v in variables(&d).iter().filter(|v| v["type"] == "query") {
            exprs.push((format!("{rel} variable {}", v["name"]), variable_series(v)));
        }
        for (what, expr) in exprs {
            checked += 1;
            let q = substitute(&expr, "127.0.0.1");
            match prom.query(&q).await {
                Ok(r) if r.is_empty() => failures.push(format!("{what}: no data for {q}")),
                Ok(_) => {}
                Err(e) => failures.push(format!("{what}: {e} in {q}")),
            }
        }
    }
    (checked, failures)
}

/// Every tracker healthy, announces scheduled in the future.
pub fn healthy(mut torrents: Vec<FakeTorrent>) -> Vec<FakeTorrent> {
    for t in &mut torrents {
        for tr in t.trackers["trackers"].as_array_mut().unwrap() {
            for ep in tr["endpoints"].as_array_mut().unwrap() {
                for s in ep["info_hashes"].as_array_mut().unwrap() {
                    if s["next_announce"] != serde_json::json!(i32::MIN) {
                        s["fails"] = serde_json::json!(0);
                        s["last_error"] = Value::Null;
                        s["start_sent"] = serde_json::json!(true);
                        s["scrape_complete"] = serde_json::json!(12);
                        s["scrape_incomplete"] = serde_json::json!(3);
                        s["scrape_downloaded"] = serde_json::json!(40);
                    }
                }
            }
        }
    }
    torrents
}

/// A fake Porla with the real samples and the hostile torrents (failing, rejected and overdue
/// trackers, odd names), answering HTTP 500 until the test clears its faults: a failed poll
/// first, so that the poll-error series exist too.
pub async fn sick_porla() -> FakePorla {
    use crate::support::fake_porla::{hostile_torrents, sample_torrents, FakeAuth, Faults};
    let mut torrents = sample_torrents();
    torrents.extend(hostile_torrents());
    let sick = FakePorla::start(torrents, FakeAuth::Disabled).await;
    sick.set_faults(Faults {
        http_status: Some(500),
        ..Faults::default()
    });
    sick
}
