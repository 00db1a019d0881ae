//! Wiring: client → poller → published snapshot → server, for each Porla instance.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::poller::{PollConfig, Poller};
use crate::porla::{display_url, Client, ClientConfig};
use crate::published::SharedSnapshot;
use crate::server::{self, App, Target};
use crate::telemetry::{self, SelfMetrics};

/// One Porla instance: its poller and what the server needs to serve its metrics.
pub struct Instance {
    pub poller: Poller,
    pub target: Target,
}

impl Instance {
    pub fn new(client: ClientConfig, poll: PollConfig) -> anyhow::Result<Instance> {
        let self_metrics = Arc::new(SelfMetrics::default());
        let shared = SharedSnapshot::default();
        let porla = client.url.clone();
        let client = Arc::new(Client::new(client, Some(Box::new(self_metrics.clone())))?);
        let registry = telemetry::live_registry(&self_metrics);
        Ok(Instance {
            poller: Poller::new(client, poll, self_metrics, shared.clone()),
            target: Target::new(registry, shared).with_porla(&porla),
        })
    }
}

/// Runs the exporter on an already bound listener until `shutdown` is cancelled. Each
/// instance has its own client, poller and snapshot: one sick Porla never slows another.
pub async fn run(
    mut config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let web = config.web_config.take();
    tracing::info!(
        listen = %listener.local_addr()?,
        tls = web.as_ref().is_some_and(|w| w.tls.is_some()),
        basic_auth = web.as_ref().is_some_and(|w| w.auth.is_some()),
        interval = ?config.poll.interval,
        // As the flag spells it (`scheduled`, `full`).
        mode = clap::ValueEnum::to_possible_value(&config.poll.mode)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default(),
        version = env!("CARGO_PKG_VERSION"),
        "porla-exporter starting"
    );
    let mut tasks = Vec::new();
    let mut start = |name: &str, client: &ClientConfig| -> anyhow::Result<Target> {
        tracing::info!(target_name = name, porla = %display_url(&client.url), "polling Porla");
        let instance = Instance::new(client.clone(), config.poll.clone())?;
        tasks.push(tokio::spawn(instance.poller.run(shutdown.clone())));
        Ok(instance.target)
    };
    let metrics_target = match &config.client {
        Some(c) => start("", c)?,
        None => Target::fixed(telemetry::own_registry()),
    };
    let mut probes = BTreeMap::new();
    for (name, client) in &config.targets {
        probes.insert(name.clone(), start(name, client)?);
    }
    let app = App {
        metrics: metrics_target,
        probes,
        telemetry_path: config.telemetry_path.clone(),
        web,
        read_header_timeout: config.read_header_timeout,
    };
    server::serve(listener, app, config.max_connections, shutdown).await;
    for t in tasks {
        let _ = t.await;
    }
    tracing::info!("porla-exporter stopped");
    Ok(())
}
