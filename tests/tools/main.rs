//! Tests that run external programs (prometheus, alertmanager, amtool, ...): the `tools` test
//! target, built with the `external-tools` feature (scripts/test turns it on):
//! `cargo test --features external-tools --test tools`.
#![allow(dead_code)]

#[path = "../it/monitoring/mod.rs"]
mod monitoring;
#[path = "../it/support/mod.rs"]
mod support;

mod alertmanager;
mod engines;
mod fleet;
