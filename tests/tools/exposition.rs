//! What other programs read of the exposition: `curl --compressed` sees every series, and
//! `promtool check metrics` accepts the live output (tests/it/exposition.rs checks the rest).

use crate::support;

use porla_exporter::porla::Auth;
use support::fake_porla::{hostile_torrents, sample_torrents, FakeAuth, FakePorla};
use support::*;

/// `curl --compressed` (which reads one gzip member) sees every series of the plain text,
/// in both formats.
#[tokio::test]
async fn curl_compressed_sees_everything() {
    let porla = FakePorla::start(sample_torrents(), FakeAuth::Disabled).await;
    let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
    exp.poller.cycle().await;
    let url = format!("{}/metrics", exp.url);
    for accept in ["text/plain", "application/openmetrics-text; version=1.0.0"] {
        let plain = get(&url, Some(accept)).await.body;
        let (u, a) = (url.clone(), format!("Accept: {accept}"));
        let curl =
            tokio::task::spawn_blocking(move || tools::curl_text(&["--compressed", "-H", &a, &u]))
                .await
                .unwrap();
        assert_eq!(stable(&curl), stable(&plain), "{accept}");
        assert!(!samples_of(&curl, "porla_tracker_status").is_empty());
    }
}

/// The hostile fixture and the real samples, each after one poll.
#[tokio::test]
async fn promtool_check_metrics_passes_on_live_output() {
    let promtool = tools::promtool();
    for torrents in [hostile_torrents(), sample_torrents()] {
        let porla = FakePorla::start(torrents, FakeAuth::Disabled).await;
        let mut exp = exporter(&porla.url(), Auth::None, poll_config()).await;
        exp.poller.cycle().await;
        let body = exp.metrics().await;
        let mut child = std::process::Command::new(&promtool)
            .args(["check", "metrics"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let msg = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && msg.trim().is_empty(),
            "promtool check metrics: {msg}"
        );
    }
}
