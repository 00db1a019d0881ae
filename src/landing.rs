//! The landing page `/`: "is it working?" for a person with a browser.
//!
//! Rendered from the latest snapshot of each instance only (it never calls Porla), from
//! aggregates only (per tracker host, never per torrent), so it stays small whatever the
//! number of torrents. Every value it shows is HTML-escaped; the Porla address is shown
//! without user info, query or fragment, so no credential reaches the page.

use std::fmt::Write;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use crate::classify::{Decider, ErrorClass, Status};
use crate::snapshot::{HostRow, Snapshot};

/// Tracker hosts listed per instance at most (a note says how many more there are).
pub const MAX_HOSTS: usize = 500;

/// Host rows shown before the healthy and single-torrent hosts are folded away: about a
/// screenful.
pub const SCREENFUL_HOSTS: usize = 20;

/// Where the documentation lives.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#readme");

/// One Porla instance as the page shows it.
pub struct Section<'a> {
    /// The `--config.file` instance name; `None` for the `--porla.*` instance.
    pub name: Option<&'a str>,
    /// Porla's address, as [`crate::porla::display_url`] made it.
    pub porla: Option<&'a str>,
    /// Where this instance's metrics are served (`/metrics` or `/probe?target=<name>`).
    pub metrics_link: String,
    /// The latest snapshot; `None` for a target without a poller.
    pub snapshot: Option<Arc<Snapshot>>,
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn timestamp(unix: f64) -> String {
    if !unix.is_finite() || unix < 0.0 {
        return "?".into();
    }
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs_f64(unix)).to_string()
}

const STYLE: &str = "body{font-family:sans-serif;max-width:72em;margin:1em auto;padding:0 1em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}\
td:first-child,th:first-child,.errors,.class,.message{text-align:left}.unmatched{color:#a60}.up{color:#060}.down{color:#a00}";

/// The whole page.
pub fn render(telemetry_path: &str, sections: &[Section<'_>]) -> String {
    let mut h = String::with_capacity(4096);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>porla-exporter</title>\
         <style>{STYLE}</style></head><body>\n<h1>porla-exporter</h1>\n\
         <p>Prometheus exporter for the tracker announce state of a Porla BitTorrent daemon. Version {}.</p>\n\
         <ul id=\"links\">\n<li><a href=\"{p}\">{p}</a>: metrics</li>\n\
         <li><a href=\"/-/healthy\">/-/healthy</a>: liveness</li>\n\
         <li><a href=\"/-/ready\">/-/ready</a>: ready once a first poll (of every instance) has finished</li>\n\
         <li><a href=\"{docs}\">documentation</a></li>\n</ul>\n",
        escape(env!("CARGO_PKG_VERSION")),
        p = escape(telemetry_path),
        docs = escape(DOCS_URL),
    );
    for s in sections {
        section(&mut h, s);
    }
    h.push_str("</body></html>\n");
    h
}

fn section(h: &mut String, s: &Section<'_>) {
    let title = match s.name {
        Some(n) => format!("Instance {}", escape(n)),
        None => "Porla".to_owned(),
    };
    let id = s.name.map(escape).unwrap_or_else(|| "porla".into());
    let _ = writeln!(h, "<section id=\"instance-{id}\">\n<h2>{title}</h2>");
    if let Some(p) = s.porla {
        let _ = writeln!(h, "<p>Porla address: <code>{}</code></p>", escape(p));
    }
    let link = escape(&s.metrics_link);
    let _ = writeln!(h, "<p>Metrics: <a href=\"{link}\">{link}</a></p>");
    let Some(snap) = &s.snapshot else {
        h.push_str("</section>\n");
        return;
    };
    h.push_str("<p class=\"last-poll\">Last poll: ");
    match (snap.polls, snap.last_poll_at) {
        (0, _) | (_, None) => h.push_str("no poll has finished yet."),
        (_, Some(at)) => {
            let duration = snap.last_poll_duration.unwrap_or(0.0);
            let _ = write!(h, "at {}, took {duration:.3} s: ", timestamp(at));
            match (&snap.view, &snap.last_error) {
                (Some(v), _) if snap.up => {
                    let _ = write!(
                        h,
                        "<strong class=\"up\">succeeded</strong>, {} torrents seen.",
                        v.torrents
                    );
                }
                (_, Some(e)) => {
                    let _ = write!(
                        h,
                        "<strong class=\"down\">failed</strong> (class <code>{}</code>): {}",
                        escape(e.class),
                        escape(&e.message)
                    );
                }
                _ => h.push_str("<strong class=\"down\">failed</strong>."),
            }
        }
    }
    h.push_str("</p>\n");
    if !snap.up {
        let _ = writeln!(
            h,
            "<p>Last successful poll: {}. <code>porla_up</code> is 0 and no tracker series are served until a poll succeeds.</p>",
            snap.last_success_at
                .map(timestamp)
                .unwrap_or_else(|| "never".into())
        );
    }
    if let Some(view) = snap.view.as_ref().filter(|_| snap.up) {
        let ordered = trouble_first(&view.hosts);
        hosts(h, &ordered);
        messages(h, &ordered, snap.last_success_at.unwrap_or(0.0));
        if view.dropped_series > 0 {
            let _ = writeln!(
                h,
                "<p>{} per-torrent series were left out by <code>--collector.max-series</code>.</p>",
                view.dropped_series
            );
        }
    }
    h.push_str("</section>\n");
}

/// Torrents of `row` in error (each once, whatever its classes).
fn in_error(row: &HostRow) -> u64 {
    row.by_status[Status::Error as usize]
}

fn torrents(row: &HostRow) -> u64 {
    row.by_status.iter().sum()
}

/// The hosts in trouble first: the most torrents in error, then the most torrents overdue for
/// an announce; then the biggest hosts; then by name.
fn trouble_first(hosts: &[HostRow]) -> Vec<&HostRow> {
    let mut ordered: Vec<&HostRow> = hosts.iter().collect();
    ordered.sort_by(|a, b| {
        (in_error(b), b.overdue, torrents(b))
            .cmp(&(in_error(a), a.overdue, torrents(a)))
            .then_with(|| a.host.cmp(&b.host))
    });
    ordered
}

/// A host whose row may be folded away once a screenful is shown: nothing in error or overdue,
/// or a single torrent.
fn foldable(row: &HostRow) -> bool {
    (in_error(row) == 0 && row.overdue == 0) || torrents(row) <= 1
}

fn host_table(h: &mut String, rows: &[&HostRow]) {
    h.push_str("<table class=\"trackers\">\n<tr><th>tracker host</th>");
    for s in Status::ALL {
        let _ = write!(h, "<th>{}</th>", s.as_str());
    }
    h.push_str("<th title=\"torrents whose next announce is overdue\">overdue</th><th class=\"errors\">errors by class</th></tr>\n");
    for row in rows {
        let _ = write!(h, "<tr><td>{}</td>", escape(&row.host));
        for s in Status::ALL {
            let _ = write!(h, "<td>{}</td>", row.by_status[s as usize]);
        }
        let _ = write!(h, "<td>{}</td>", row.overdue);
        let errors: Vec<String> = ErrorClass::ALL
            .iter()
            .filter(|c| row.errors[c.index()] > 0)
            .map(|c| format!("{} {}", c.as_str(), row.errors[c.index()]))
            .collect();
        let _ = writeln!(h, "<td class=\"errors\">{}</td></tr>", errors.join(", "));
    }
    h.push_str("</table>\n");
}

/// The host table, in trouble first. Past a screenful, the healthy and single-torrent hosts
/// fold into a `<details>` that says how many (no script: the browser opens it); hosts in
/// trouble with more than one torrent always stay in sight.
fn hosts(h: &mut String, hosts: &[&HostRow]) {
    if hosts.is_empty() {
        h.push_str("<p>No tracker hosts.</p>\n");
        return;
    }
    let listed = &hosts[..hosts.len().min(MAX_HOSTS)];
    let (mut shown, mut folded) = (Vec::new(), Vec::new());
    for (i, &row) in listed.iter().enumerate() {
        if i < SCREENFUL_HOSTS || !foldable(row) {
            shown.push(row);
        } else {
            folded.push(row);
        }
    }
    host_table(h, &shown);
    if !folded.is_empty() {
        let _ = writeln!(
            h,
            "<details class=\"more-hosts\"><summary>{} more hosts (healthy, or a single torrent)</summary>",
            folded.len()
        );
        host_table(h, &folded);
        h.push_str("</details>\n");
    }
    if hosts.len() > MAX_HOSTS {
        let _ = writeln!(
            h,
            "<p>{} more tracker hosts are in the metrics.</p>",
            hosts.len() - MAX_HOSTS
        );
    }
}

/// A duration for a person: "45s", "12m", "3h 5m", "2d 4h".
fn age(seconds: f64) -> String {
    let s = seconds.max(0.0) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86400, s % 86400 / 3600),
    }
}

/// Where the format of a classes file is documented.
const CLASSES_DOCS_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/docs/metrics.md#your-own-patterns"
);

/// What the trackers in error said, per host: the most frequent messages (at most
/// [`crate::snapshot::data::MAX_HOST_MESSAGES`] per host, already redacted and cut when the
/// view was assembled), each with its torrents and class; the ones no pattern matched are
/// marked, with a hint how to add a pattern.
fn messages(h: &mut String, hosts: &[&HostRow], now: f64) {
    let shown: Vec<_> = hosts
        .iter()
        .take(MAX_HOSTS)
        .filter(|r| !r.messages.is_empty())
        .collect();
    if shown.is_empty() {
        return;
    }
    h.push_str(
        "<h3>What the trackers said</h3>\n<p>The most frequent errors of the torrents in error, per tracker host (passkeys and other secrets redacted).</p>\n\
         <table class=\"messages\">\n<tr><th>tracker host</th><th>torrents</th><th class=\"class\">class</th><th class=\"message\">message</th></tr>\n",
    );
    let mut unmatched = false;
    for row in shown {
        for m in &row.messages {
            let from = if m.by_message {
                ""
            } else {
                " <small>(libtorrent)</small>"
            };
            let class = match m.verdict.by {
                Decider::UserRule => {
                    format!("{} <small>(your rule)</small>", m.verdict.class.as_str())
                }
                _ => m.verdict.class.as_str().to_owned(),
            };
            let mark = if m.verdict.by == Decider::NoPattern {
                unmatched = true;
                " <span class=\"unmatched\" title=\"no pattern matched this message\">(no pattern matched)</span>"
            } else {
                ""
            };
            // How long the tracker has said it, and whether it is only what it said last.
            let age = m
                .since
                .map(|s| {
                    format!(
                        " <small class=\"age\">(for {})</small>",
                        age(now - s as f64)
                    )
                })
                .unwrap_or_default();
            let kept = if m.kept {
                " <small class=\"kept\">(its last answer; the tracker fails otherwise since)</small>"
            } else {
                ""
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"class\">{class}</td><td class=\"message\">{}{from}{age}{kept}{mark}</td></tr>",
                escape(&row.host),
                m.torrents,
                escape(&m.text),
            );
        }
    }
    h.push_str("</table>\n");
    if unmatched {
        let _ = writeln!(
            h,
            "<p class=\"hint\">A message marked <em>no pattern matched</em> counts as <code>tracker_failure</code>. \
             To give it its class, add a line <code>class regex</code> (e.g. <code>unregistered this upload was removed</code>) \
             to the file of <code>--collector.tracker.classes-file</code> and send the exporter SIGHUP \
             (<code>systemctl reload porla-exporter</code>): see <a href=\"{}\">your own patterns</a>.</p>",
            escape(CLASSES_DOCS_URL)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{HostRow, PollFailure, View};

    /// The page of the `--porla.*` instance alone, with `snap`.
    fn render_one(snap: Snapshot) -> String {
        render(
            "/metrics",
            &[Section {
                name: None,
                porla: None,
                metrics_link: "/metrics".into(),
                snapshot: Some(Arc::new(snap)),
            }],
        )
    }

    fn ok_snapshot() -> Snapshot {
        let mut host = HostRow {
            host: "tracker.<b>evil</b>.example".into(),
            ..HostRow::default()
        };
        host.by_status[Status::Working as usize] = 7;
        host.by_status[Status::Error as usize] = 2;
        host.errors[ErrorClass::Unregistered.index()] = 2;
        Snapshot {
            up: true,
            polls: 3,
            last_poll_duration: Some(0.25),
            last_poll_at: Some(1_795_683_205.0),
            last_success_at: Some(1_795_683_205.0),
            view: Some(Arc::new(View {
                torrents: 9,
                hosts: vec![host],
                ..View::default()
            })),
            ..Snapshot::default()
        }
    }

    #[test]
    fn shows_the_last_poll_and_escapes_everything() {
        let url: url::Url = "http://user:s3cret@porla.example:1337/porla?token=t0k#f"
            .parse()
            .unwrap();
        let addr = crate::porla::display_url(&url);
        assert_eq!(addr, "http://porla.example:1337/porla");
        let ok = Arc::new(ok_snapshot());
        let failed = Arc::new(Snapshot {
            polls: 1,
            last_poll_at: Some(1_795_683_205.0),
            last_poll_duration: Some(2.0),
            last_error: Some(PollFailure {
                class: "connection",
                message: "cannot connect to Porla: <refused> & gone".into(),
            }),
            ..Snapshot::default()
        });
        let page = render(
            "/metrics",
            &[
                Section {
                    name: Some("a"),
                    porla: Some(&addr),
                    metrics_link: "/probe?target=a".into(),
                    snapshot: Some(ok),
                },
                Section {
                    name: Some("b<x>"),
                    porla: Some("http://h/"),
                    metrics_link: "/probe?target=b<x>".into(),
                    snapshot: Some(failed),
                },
            ],
        );
        assert!(!page.contains("s3cret") && !page.contains("t0k"), "{page}");
        assert!(page.contains("http://porla.example:1337/porla"));
        assert!(
            page.contains("at 2026-11-26T08:53:25Z, took 0.250 s"),
            "{page}"
        );
        assert!(
            page.contains("succeeded</strong>, 9 torrents seen"),
            "{page}"
        );
        assert!(page.contains("tracker.&lt;b&gt;evil&lt;/b&gt;.example"));
        assert!(page.contains("<td>7</td>") && page.contains("unregistered 2"));
        assert!(page.contains("class <code>connection</code>"), "{page}");
        assert!(page.contains("&lt;refused&gt; &amp; gone"), "{page}");
        assert!(page.contains("Instance b&lt;x&gt;"));
        assert!(!page.contains("<x>") && !page.contains("<b>evil"));
        for link in ["/metrics", "/-/healthy", "/-/ready", DOCS_URL] {
            assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
        }
    }

    /// The words of the trackers: per host, with torrents and class, escaped, never a passkey;
    /// a message no pattern matched is marked and the hint says how to add a pattern.
    #[test]
    fn shows_what_the_trackers_said() {
        use crate::classify::Classifier;
        use crate::snapshot::{HostMessage, Interner};
        let key = "0123456789abcdef0123456789abcdef";
        let mut interner = Interner::default();
        let builtin = Classifier::builtin();
        let failure = "tracker sent a failure message";
        let mut message = |error: &str, text: &str, torrents: u64| {
            let said = interner.said(error, text);
            HostMessage {
                text: said.shown.clone(),
                by_message: said.by_message,
                verdict: said.verdict(&builtin),
                torrents,
                since: None,
                kept: false,
            }
        };
        let mut snap = ok_snapshot();
        let view = Arc::make_mut(snap.view.as_mut().unwrap());
        view.hosts[0].messages = vec![
            message(
                failure,
                &format!("<b>Unregistered</b> torrent, see https://t.example/announce/{key}"),
                2,
            ),
            message(failure, &format!("Swim <script>x</script> {key}"), 1),
            message("Connection refused", "", 5),
            HostMessage {
                since: Some(1_795_683_205 - 2 * 86_400 - 3 * 3600 - 59),
                kept: true,
                ..message(failure, "Torrent banned", 3)
            },
        ];
        view.hosts[0].messages[0].since = Some(1_795_683_205 - 3 * 3600 - 5 * 60 - 7);
        let page = render_one(snap.clone());
        // The tracker's own messages with their age; the one kept through a network failure
        // says so.
        assert!(
            page.contains("REDACTED <small class=\"age\">(for 3h 5m)</small></td>"),
            "{page}"
        );
        assert!(
            page.contains("Torrent banned <small class=\"age\">(for 2d 3h)</small> <small class=\"kept\">(its last answer; the tracker fails otherwise since)</small>"),
            "{page}"
        );
        assert!(!page.contains(&key[..12]), "{page}");
        assert!(page.contains(
            "<td>2</td><td class=\"class\">unregistered</td><td class=\"message\">&lt;b&gt;Unregistered&lt;/b&gt; torrent, see https://t.example/announce/REDACTED <small class=\"age\">(for 3h 5m)</small></td>"
        ), "{page}");
        assert!(page.contains(
            "<td>1</td><td class=\"class\">tracker_failure</td><td class=\"message\">Swim &lt;script&gt;x&lt;/script&gt; REDACTED <span class=\"unmatched\""
        ), "{page}");
        assert!(
            page.contains("Connection refused <small>(libtorrent)</small>"),
            "{page}"
        );
        assert!(!page.contains("<script>") && !page.contains("<b>Unreg"));
        assert!(page.contains("--collector.tracker.classes-file"), "{page}");
        assert!(page.contains(&format!("href=\"{CLASSES_DOCS_URL}\"")));
        assert_eq!(page.matches("(no pattern matched)</span>").count(), 1);

        // Without an unmatched message, no hint; without messages, no table.
        let view = Arc::make_mut(snap.view.as_mut().unwrap());
        view.hosts[0].messages.remove(1);
        let page = render_one(snap.clone());
        assert!(!page.contains("class=\"hint\""), "{page}");
        assert!(page.contains("What the trackers said"));
        let view = Arc::make_mut(snap.view.as_mut().unwrap());
        view.hosts[0].messages.clear();
        let page = render_one(snap);
        assert!(!page.contains("What the trackers said"));
    }

    /// Most torrents in error first, then most overdue, then the biggest host, then by name.
    #[test]
    fn orders_hosts_in_trouble_first() {
        let row = |host: &str, working: u64, error: u64, overdue: u64| {
            let mut r = HostRow {
                host: host.into(),
                overdue,
                ..HostRow::default()
            };
            r.by_status[Status::Working as usize] = working;
            r.by_status[Status::Error as usize] = error;
            r
        };
        let hosts = vec![
            row("a.example", 90, 0, 0),
            row("b.example", 1, 0, 0),
            row("c.example", 0, 1, 0),
            row("d.example", 5, 1, 0),
            row("e.example", 0, 1, 2),
            row("f.example", 3, 0, 3),
            row("g.example", 0, 9, 0),
        ];
        let order: Vec<&str> = trouble_first(&hosts)
            .iter()
            .map(|r| r.host.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "g.example",
                "e.example",
                "d.example",
                "c.example",
                "f.example",
                "a.example",
                "b.example"
            ]
        );
        assert!(foldable(&hosts[0]) && foldable(&hosts[2]) && !foldable(&hosts[3]));
        assert!(!foldable(&hosts[5]) && !foldable(&hosts[6]));
    }

    #[test]
    fn before_the_first_poll() {
        let page = render(
            "/metrics",
            &[Section {
                name: None,
                porla: Some("http://127.0.0.1:1337/"),
                metrics_link: "/metrics".into(),
                snapshot: Some(Arc::new(Snapshot::default())),
            }],
        );
        assert!(page.contains("no poll has finished yet"), "{page}");
    }

    #[test]
    fn stays_small_with_many_hosts() {
        let mut snap = ok_snapshot();
        let view = Arc::make_mut(snap.view.as_mut().unwrap());
        view.torrents = 50_000;
        view.hosts = (0..2_000)
            .map(|i| HostRow {
                host: format!("tracker{i}.example"),
                ..HostRow::default()
            })
            .collect();
        let page = render_one(snap);
        assert!(page.contains("1500 more tracker hosts"), "{}", page.len());
        assert!(page.len() < 200_000, "{} bytes", page.len());
    }

    /// Messages stay bounded too: ten per host, for the hosts listed.
    #[test]
    fn messages_are_bounded_by_the_hosts_listed() {
        use crate::classify::Verdict;
        use crate::snapshot::HostMessage;
        let mut snap = ok_snapshot();
        let view = Arc::make_mut(snap.view.as_mut().unwrap());
        let text: Arc<str> = "m".repeat(200).into();
        view.hosts = (0..2_000)
            .map(|i| HostRow {
                host: format!("tracker{i}.example"),
                messages: (0..10)
                    .map(|n| HostMessage {
                        text: text.clone(),
                        by_message: true,
                        verdict: Verdict {
                            class: ErrorClass::TrackerFailure,
                            by: Decider::NoPattern,
                        },
                        torrents: n,
                        since: None,
                        kept: false,
                    })
                    .collect(),
                ..HostRow::default()
            })
            .collect();
        let page = render_one(snap);
        assert_eq!(
            page.matches("<td class=\"message\">").count(),
            MAX_HOSTS * 10
        );
        assert!(page.len() < MAX_HOSTS * 10 * 500, "{} bytes", page.len());
    }
}
