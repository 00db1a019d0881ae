//! The tests that run external programs (chromium, curl, jsonnet, prometheus, promtool,
//! prometheus-alertmanager, amtool, lintian, dpkg-deb, systemd-analyze, man, node with the npm
//! packages of tests/tools/grafana-schema/, hadolint): one binary, built only with the `external-tools` feature
//! (`scripts/test` turns it on): `cargo test --features external-tools --test tools`. A missing
//! program fails its test with one line naming the Debian package. The support code is the `it`
//! target's, shared by path.

#![allow(dead_code)]

#[path = "../it/support/mod.rs"]
mod support;

mod mixin;
#[path = "../it/monitoring/mod.rs"]
mod monitoring;

mod alertmanager;
mod attention;
mod browser;
mod dashboards;
mod e2e_prometheus;
mod engines;
mod exposition;
mod fleet;
mod grafana_schema;
mod hadolint;
mod package;
mod rules;
