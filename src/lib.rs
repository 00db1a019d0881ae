//! porla-exporter: Porla's tracker announce state as Prometheus metrics.
//!
//! Data flows one way:
//!
//! [`porla`] (JSON-RPC client) → [`poller`] (background loop, bounded concurrency) →
//! [`snapshot`] (immutable, redacted, folded view; capped by [`metrics`], the contract) →
//! [`collector`] + [`exposition`] (the snapshot as text, and its gzip parts) → [`published`]
//! (the snapshot with its pre-compressed parts, built by the poller after each poll) →
//! [`server`] (hyper 1: `/metrics`, `/-/healthy`, `/-/ready`).
//!
//! Beside it, [`telemetry`] holds the exporter's own counters and build info: the live part of
//! each scrape. [`config`] turns flags (defaults in [`defaults`]) into a validated
//! [`config::Config`]; [`app`] wires it all. Only the poller talks to Porla; a scrape never
//! does, and never compresses what the poller already did. No module imports one further
//! down the chain.

pub mod app;
pub mod classify;
pub mod collector;
pub mod config;
pub mod defaults;
pub mod exposition;
pub mod landing;
pub mod metrics;
pub mod poller;
pub mod porla;
pub mod published;
pub mod redact;
pub mod server;
pub mod snapshot;
pub mod telemetry;
pub mod webconfig;
