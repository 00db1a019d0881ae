//! Wiring: client → poller → snapshot → server, for one Porla instance.

use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics::{self, SelfMetrics};
use crate::poller::{PollConfig, Poller};
use crate::porla::{display_url, Client, ClientConfig};
use crate::server::{self, App, Target};
use crate::snapshot::Snapshot;

/// One Porla instance: its poller and what the server needs to serve its metrics.
pub struct Instance {
    pub poller: Poller,
    pub target: Target,
}

impl Instance {
    pub fn new(client: ClientConfig, poll: PollConfig) -> anyhow::Result<Instance> {
        let self_metrics = Arc::new(SelfMetrics::default());
        let shared = Arc::new(ArcSwap::from_pointee(Snapshot::default()));
        let client = Arc::new(Client::new(client, Some(Box::new(self_metrics.clone())))?);
        let registry = metrics::registry(shared.clone(), &self_metrics);
        Ok(Instance {
            poller: Poller::new(client, poll, self_metrics, shared.clone()),
            target: Target::new(registry, shared),
        })
    }
}

/// Runs the exporter on an already bound listener until `shutdown` is cancelled.
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    tracing::info!(
        porla = %display_url(&config.client.url),
        listen = %listener.local_addr()?,
        interval = ?config.poll.interval,
        mode = ?config.poll.mode,
        version = env!("CARGO_PKG_VERSION"),
        "porla-exporter starting"
    );
    let instance = Instance::new(config.client.clone(), config.poll.clone())?;
    let poll_task = tokio::spawn(instance.poller.run(shutdown.clone()));
    let app = App {
        target: instance.target,
        telemetry_path: config.telemetry_path.clone(),
    };
    server::serve(listener, app, config.max_connections, shutdown).await;
    let _ = poll_task.await;
    tracing::info!("porla-exporter stopped");
    Ok(())
}
