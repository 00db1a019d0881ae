//! Wiring: client → poller → latest snapshot → server, for each Porla instance. The pollers
//! run on a runtime of their own, at a lower CPU priority than the server (see [`POLL_NICE`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context as _;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::classify::Classes;
use crate::config::{self, Config, Instances};
use crate::poller::{unix_now, PollConfig, Poller};
use crate::porla::{display_url, Client, ClientConfig};
use crate::published::LatestSnapshot;
use crate::server::{self, Routes, Target};
use crate::telemetry::{self, SelfMetrics};

/// One Porla instance: its poller and what the server needs to serve its metrics.
pub struct Instance {
    pub poller: Poller,
    pub target: Target,
    self_metrics: Arc<SelfMetrics>,
}

impl Instance {
    pub fn new(client: ClientConfig, poll: PollConfig) -> anyhow::Result<Instance> {
        Instance::with_classes(client, poll, None)
    }

    /// An instance whose tracker errors are classified with `classes` (a classes file, read
    /// again by [`reload`]); `None`: the built-in patterns.
    pub fn with_classes(
        client: ClientConfig,
        poll: PollConfig,
        classes: Option<Arc<Classes>>,
    ) -> anyhow::Result<Instance> {
        let self_metrics = Arc::new(SelfMetrics::default());
        let latest = Arc::new(LatestSnapshot::default());
        let porla = client.url.clone();
        let client = Arc::new(Client::new(client, Some(Box::new(self_metrics.clone())))?);
        let has_file = classes.as_ref().is_some_and(|c| c.file().is_some());
        if has_file {
            self_metrics.classes_loaded(true, unix_now());
        }
        let registry = telemetry::live_registry(&self_metrics, has_file);
        let mut poller = Poller::new(client, poll, self_metrics.clone(), latest.clone());
        if let Some(c) = classes {
            poller = poller.with_classes(c);
        }
        Ok(Instance {
            poller,
            target: Target::new(registry, latest).with_porla(&porla),
            self_metrics,
        })
    }

    /// The instance's own counters (and the reload gauges of its classes file).
    pub fn self_metrics(&self) -> &Arc<SelfMetrics> {
        &self.self_metrics
    }
}

/// Requests to read the tracker classes files again: the binary makes one on SIGHUP.
#[derive(Debug, Clone, Default)]
pub struct Reloads(Arc<tokio::sync::Notify>);

impl Reloads {
    /// Asks for a reload; requests made while one runs are served by one more reload.
    pub fn request(&self) {
        self.0.notify_one();
    }

    async fn requested(&self) {
        self.0.notified().await;
    }
}

/// An instance's classes and, per instance using them, its name (`""` without
/// `--config.file`) and the metrics that report their loads.
type Reloadable = (Arc<Classes>, Vec<(String, Arc<SelfMetrics>)>);

/// Reads every classes file again (each file once, however many instances use it). A file
/// that loads replaces the rules in use (an info line with the rule count; its instances
/// classify their known tracker errors again at their next poll); one that does not leaves
/// them (a warn line naming the file and line), and its instances'
/// `porla_exporter_classes_reload_success` drops to 0 until a reload succeeds. Each line names
/// the instances that use the file in `target_name` (comma-separated when several share it;
/// absent in single-instance mode, whose one instance has no name).
pub fn reload(classes: &[Reloadable]) {
    if classes.is_empty() {
        tracing::info!("no tracker classes file to read again (--collector.tracker.classes-file)");
        return;
    }
    for (c, instances) in classes {
        let file = c
            .file()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let names = instances
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(",");
        // No field at all in single-instance mode, whose one instance has no name.
        let names = (!names.is_empty()).then_some(names);
        let result = c.reload();
        let at = unix_now();
        for (_, m) in instances {
            m.classes_loaded(result.is_ok(), at);
        }
        match result {
            Ok(rules) => tracing::info!(
                target_name = names.as_deref(),
                file = file.as_str(),
                rules,
                "tracker classes file reloaded; known tracker errors are classified again at the next poll"
            ),
            Err(e) => tracing::warn!(
                target_name = names.as_deref(),
                file = file.as_str(),
                error = %e,
                "tracker classes file not reloaded, the rules loaded before stay in use"
            ),
        }
    }
}

/// How much lower the pollers' CPU priority is than the server's (a nice increment, Linux).
pub const POLL_NICE: i32 = 10;

/// Name of the pollers' threads (workers and blocking pool).
pub const POLL_THREAD_NAME: &str = "porla-poll";

/// The nice value of the pollers' threads: the calling thread's plus [`POLL_NICE`], at most 19.
/// Absolute, not an increment: a thread inherits the nice value of the thread that starts it,
/// and the pollers' blocking threads are started by their workers.
#[cfg(target_os = "linux")]
fn poll_nice() -> i32 {
    // SAFETY: getpriority(2) reads the calling thread's nice value (on Linux the nice value is
    // per thread); it touches no memory of ours.
    let own = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    (own + POLL_NICE).min(19)
}

/// Sets the calling thread's nice value. Failing to is harmless: the thread keeps the
/// priority it inherited.
#[cfg(target_os = "linux")]
fn set_nice(nice: i32) {
    // SAFETY: setpriority(2) with who = 0 changes only the calling thread's scheduling
    // priority; it touches no memory of ours.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) };
}

#[cfg(not(target_os = "linux"))]
fn poll_nice() -> i32 {
    0
}

#[cfg(not(target_os = "linux"))]
fn set_nice(_: i32) {}

/// The pollers' runtime. Its threads (workers, and the blocking pool that assembles views and
/// compresses snapshot parts) run at a lower CPU priority than the server's runtime, so when
/// both want the CPU, a scrape goes first: a poll never makes a scrape wait. A poll only
/// takes longer while scrapes keep the CPU busy.
struct PollRuntime(Option<tokio::runtime::Runtime>);

impl PollRuntime {
    fn start() -> anyhow::Result<PollRuntime> {
        let nice = poll_nice();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .thread_name(POLL_THREAD_NAME)
            .on_thread_start(move || set_nice(nice))
            .enable_all()
            .build()
            .context("cannot start the pollers' runtime")?;
        Ok(PollRuntime(Some(rt)))
    }

    fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match &self.0 {
            Some(rt) => rt.spawn(task),
            None => unreachable!("the pollers' runtime lives until dropped"),
        }
    }
}

impl Drop for PollRuntime {
    /// Shuts down without waiting: it is dropped inside the server's runtime, where blocking
    /// is not allowed, and what its blocking pool may still run (freeing a view) needs no
    /// waiting for.
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Runs the exporter on an already bound listener until `shutdown` is cancelled, reading the
/// tracker classes files again at each of `reloads`' requests (`Reloads::default()`, never
/// asked: no reload). Each instance has its own client, poller and snapshot: one sick Porla
/// never slows another.
pub async fn run(
    mut config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
    reloads: Reloads,
) -> anyhow::Result<()> {
    let web = config.web_config.take();
    tracing::info!(
        listen = %listener.local_addr()?,
        tls = web.as_ref().is_some_and(|w| w.tls.is_some()),
        basic_auth = web.as_ref().is_some_and(|w| w.auth.is_some()),
        interval = ?config.poll.interval,
        // As the flag spells it (`scheduled`, `full`).
        mode = config::poll_mode_name(config.poll.mode),
        version = env!("CARGO_PKG_VERSION"),
        "porla-exporter starting"
    );
    let polls = PollRuntime::start()?;
    let mut tasks = Vec::new();
    let mut reloadable: Vec<Reloadable> = Vec::new();
    let mut start = |name: &str, client: &ClientConfig| -> anyhow::Result<Target> {
        let poll = config.poll_of(name);
        tracing::info!(
            target_name = name,
            porla = %display_url(&client.url),
            // As the flag spells it (`true`, `attention`, `false`).
            per_torrent = config::per_torrent_name(poll.view.per_torrent_mode()),
            "polling Porla"
        );
        let classes = config.classes.get(name).cloned();
        if let Some(c) = &classes {
            tracing::info!(
                target_name = name,
                file = %c.file().map(|f| f.display().to_string()).unwrap_or_default(),
                rules = c.rules(),
                "tracker classes file loaded"
            );
        }
        let instance = Instance::with_classes(client.clone(), poll, classes.clone())?;
        if let Some(c) = classes {
            match reloadable.iter_mut().find(|(r, _)| Arc::ptr_eq(r, &c)) {
                Some((_, m)) => m.push((name.to_owned(), instance.self_metrics().clone())),
                None => {
                    reloadable.push((c, vec![(name.to_owned(), instance.self_metrics().clone())]))
                }
            }
        }
        tasks.push(polls.spawn(instance.poller.run(shutdown.clone())));
        Ok(instance.target)
    };
    let mut probes = BTreeMap::new();
    let metrics_target = match &config.instances {
        Instances::Single(client) => start("", client)?,
        Instances::Named(named) => {
            for (name, client) in named {
                probes.insert(name.clone(), start(name, client)?);
            }
            Target::without_poller(telemetry::own_registry())
        }
    };
    let routes = Routes {
        metrics: metrics_target,
        probes,
        telemetry_path: config.telemetry_path.clone(),
        web,
        read_header_timeout: config.read_header_timeout,
    };
    let reloading = {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = reloads.requested() => reload(&reloadable),
                    _ = shutdown.cancelled() => return,
                }
            }
        })
    };
    server::serve(listener, routes, config.max_connections, shutdown).await;
    reloading.abort();
    for t in tasks {
        let _ = t.await;
    }
    drop(polls);
    tracing::info!("porla-exporter stopped");
    Ok(())
}
