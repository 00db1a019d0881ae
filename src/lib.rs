//! porla-exporter: Porla's tracker announce state as Prometheus metrics.
//!
//! Data flow: [`porla`] (JSON-RPC client) → [`poller`] (background loop, bounded concurrency)
//! → [`snapshot`] (immutable, redacted, folded view) → [`metrics`] (encodes the latest snapshot
//! at each scrape) → [`server`] (hyper 1: `/metrics`, `/-/healthy`, `/-/ready`). Only the poller
//! talks to Porla; a scrape never does.

pub mod app;
pub mod classify;
pub mod config;
pub mod landing;
pub mod metrics;
pub mod poller;
pub mod porla;
pub mod redact;
pub mod server;
pub mod snapshot;
pub mod webconfig;
