//! A Porla worth watching, for the tests of `--collector.tracker.per-torrent=attention`: the
//! real samples and the hostile torrents (trackers in error with several classes, one
//! unregistered, one refusing the account, paused and checking torrents, announces overdue
//! at the real clock), healthy synthetic torrents, one with few seeders and one overdue.

use super::fake_porla::{hostile_torrents, sample_torrents, synthetic_torrents, FakeTorrent};
use serde_json::{json, Value};

/// Every usable slot of `t`.
fn slots(t: &mut FakeTorrent) -> impl Iterator<Item = &mut Value> {
    t.trackers["trackers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|tr| tr["endpoints"].as_array_mut().unwrap().iter_mut())
        .flat_map(|e| e["info_hashes"].as_array_mut().unwrap().iter_mut())
        .filter(|s| s["next_announce"] != json!(i32::MIN))
}

/// `t` with every tracker working, `seeders` seeders and its next announce at `next`.
pub fn working(mut t: FakeTorrent, seeders: i64, next: i64) -> FakeTorrent {
    for s in slots(&mut t) {
        s["fails"] = json!(0);
        s["last_error"] = Value::Null;
        s["message"] = json!("");
        s["start_sent"] = json!(true);
        s["updating"] = json!(false);
        s["scrape_complete"] = json!(seeders);
        s["scrape_incomplete"] = json!(3);
        s["scrape_downloaded"] = json!(40);
        s["next_announce"] = json!(next);
        s["min_announce"] = json!(next - 900);
    }
    t
}

/// `t` with its first tracker in error ("Connection refused", `fails` failures in a row).
pub fn failing(mut t: FakeTorrent, fails: i64) -> FakeTorrent {
    let first = &mut t.trackers["trackers"][0];
    for e in first["endpoints"].as_array_mut().unwrap() {
        for s in e["info_hashes"].as_array_mut().unwrap() {
            if s["next_announce"] != json!(i32::MIN) {
                s["fails"] = json!(fails);
                s["last_error"] = json!("Connection refused");
                s["start_sent"] = json!(false);
                s["scrape_complete"] = json!(-1);
            }
        }
    }
    t
}

/// The key (`info_hash` label) of `t`: v1 hex, else v2 hex.
pub fn key(t: &FakeTorrent) -> String {
    t.info_hash()[0]
        .as_str()
        .or(t.info_hash()[1].as_str())
        .unwrap()
        .to_owned()
}

/// The scenario at Unix time `now`, and the keys of its plainly healthy torrents (every tracker
/// working, 12 seeders, announces ahead).
pub struct Scenario {
    pub torrents: Vec<FakeTorrent>,
    pub healthy: Vec<String>,
    pub few_seeders: String,
    pub overdue: String,
}

pub fn scenario(now: i64, healthy: usize) -> Scenario {
    let mut torrents = sample_torrents();
    torrents.extend(hostile_torrents());
    let synthetic: Vec<FakeTorrent> = synthetic_torrents(healthy + 2, 7, now + 600, 1200)
        .into_iter()
        .map(|t| working(t, 12, now + 600))
        .collect();
    let mut synthetic = synthetic.into_iter();
    let few = working(synthetic.next().unwrap(), 1, now + 600);
    let overdue = working(synthetic.next().unwrap(), 12, now - 1200);
    let healthy: Vec<FakeTorrent> = synthetic.collect();
    let out = Scenario {
        healthy: healthy.iter().map(key).collect(),
        few_seeders: key(&few),
        overdue: key(&overdue),
        torrents: Vec::new(),
    };
    torrents.push(few);
    torrents.push(overdue);
    torrents.extend(healthy);
    Scenario { torrents, ..out }
}
