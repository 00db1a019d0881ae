//! The integration tests: one binary, one module per area (`cargo test --test it`). They need
//! Rust alone; the tests that run external programs are the `tools` target (tests/tools/).

mod monitoring;
mod support;

mod attention;
mod capacity;
mod captures;
mod classes;
mod classify_cmd;
mod cli;
mod dashboards;
mod dashboards_fleet;
mod docs;
mod docs_for_users;
mod exposition;
mod faults;
mod generate;
mod golden;
mod hostile;
mod landing;
mod porla_tls;
mod props;
mod reload;
mod rules;
mod scheduled;
mod web;
