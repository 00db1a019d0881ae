#![allow(dead_code)]
#[path = "../it/support/mod.rs"]
mod support;

mod package;
