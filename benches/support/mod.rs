//! What both benchmarks share: what they measure of a text exposition, and a free port
//! (`#[path]`-included by each).

use std::io::Write;

/// Samples (non-comment lines) of a text exposition.
pub fn samples_of(body: &str) -> usize {
    body.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count()
}

/// Bytes of `body` gzipped at the fast level (what a gzip scrape sends).
pub fn gzip_len(body: &str) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(body.as_bytes()).unwrap();
    enc.finish().unwrap().len()
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
