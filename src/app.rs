//! Wiring: client → poller → snapshot → server, for one Porla instance.

use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics::{self, SelfMetrics};
use crate::poller::Poller;
use crate::porla::{display_url, Client};
use crate::server::{self, App, Target};
use crate::snapshot::Snapshot;

/// Runs the exporter on an already bound listener until `shutdown` is cancelled.
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let self_metrics = Arc::new(SelfMetrics::default());
    let shared = Arc::new(ArcSwap::from_pointee(Snapshot::default()));
    let client = Arc::new(Client::new(
        config.client.clone(),
        Some(Box::new(self_metrics.clone())),
    )?);
    tracing::info!(
        porla = %display_url(&config.client.url),
        listen = %listener.local_addr()?,
        interval = ?config.poll.interval,
        mode = ?config.poll.mode,
        "porla-exporter starting"
    );
    let registry = metrics::registry(shared.clone(), &self_metrics);
    let poller = Poller::new(client, config.poll.clone(), self_metrics, shared.clone());
    let poll_task = tokio::spawn(poller.run(shutdown.clone()));
    let app = App {
        target: Target::new(registry, shared),
        telemetry_path: config.telemetry_path.clone(),
    };
    server::serve(listener, app, config.max_connections, shutdown).await;
    let _ = poll_task.await;
    tracing::info!("porla-exporter stopped");
    Ok(())
}
