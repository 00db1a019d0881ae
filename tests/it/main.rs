//! The integration tests: one binary, one module per area (`cargo test --test it`).

mod monitoring;
mod support;

mod browser;
mod captures;
mod cli;
mod dashboards;
mod docs;
mod e2e_prometheus;
mod exposition;
mod faults;
mod generate;
mod golden;
mod hostile;
mod porla_tls;
mod props;
mod rules;
mod scheduled;
mod web;
