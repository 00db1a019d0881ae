//! The error classes against real texts: tracker failure messages from the public source of
//! tracker software and seedbox tools, and libtorrent's own error texts
//! (tests/fixtures/classes/*.tsv, each row with its source), plus the user's rules file.

use std::collections::BTreeSet;
use std::io::Write;

use porla_exporter::classify::{Classifier, ErrorClass, UserRules};

use crate::support::fake_porla::fixtures_dir;

/// libtorrent's text when the tracker answered with a failure reason (the captured
/// tests/fixtures/porla/samples/torrents.trackers.list-denied.json).
const FAILURE: &str = "tracker sent a failure message";

struct Row {
    line: usize,
    class: ErrorClass,
    lang: String,
    text: String,
    source: String,
}

/// Rows of a fixture: `class<TAB>[lang<TAB>]text<TAB>source`; `#` lines are comments.
fn rows(file: &str, with_lang: bool) -> Vec<Row> {
    let path = fixtures_dir().join("classes").join(file);
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let want = if with_lang { 4 } else { 3 };
        assert_eq!(
            cols.len(),
            want,
            "{file}:{}: {want} columns: {line:?}",
            i + 1
        );
        let class = ErrorClass::from_name(cols[0])
            .unwrap_or_else(|| panic!("{file}:{}: unknown class {:?}", i + 1, cols[0]));
        let (lang, text, source) = if with_lang {
            (cols[1], cols[2], cols[3])
        } else {
            ("", cols[1], cols[2])
        };
        assert!(!source.trim().is_empty(), "{file}:{}: no source", i + 1);
        out.push(Row {
            line: i + 1,
            class,
            lang: lang.to_string(),
            text: text.to_string(),
            source: source.to_string(),
        });
    }
    out
}

fn report(file: &str, wrong: &[(&Row, ErrorClass)]) -> String {
    wrong
        .iter()
        .map(|(r, got)| {
            format!(
                "{file}:{}: {:?} ({}) is {}, want {}",
                r.line,
                r.text,
                r.source,
                got.as_str(),
                r.class.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tracker_messages_from_the_field_classify_by_meaning() {
    let rows = rows("tracker-messages.tsv", true);
    let c = Classifier::builtin();
    let wrong: Vec<(&Row, ErrorClass)> = rows
        .iter()
        .map(|r| (r, c.classify(FAILURE, &r.text)))
        .filter(|(r, got)| *got != r.class)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        rows.len(),
        report("tracker-messages.tsv", &wrong)
    );
    // The table is broad: many messages, every tracker-message class, every language.
    assert!(rows.len() >= 150, "{} rows", rows.len());
    let classes: BTreeSet<ErrorClass> = rows.iter().map(|r| r.class).collect();
    for c in ErrorClass::FROM_TRACKER_MESSAGE {
        assert!(classes.contains(&c), "no {} row", c.as_str());
    }
    let langs: BTreeSet<&str> = rows.iter().map(|r| r.lang.as_str()).collect();
    for l in ["en", "zh", "ru", "de", "fr", "pt"] {
        assert!(langs.contains(l), "no {l} row");
    }
}

#[test]
fn a_credential_or_address_refusal_wins_over_unregistered() {
    let c = Classifier::builtin();
    // OlafvdSpek/xbt misc/bt_strings.h: an unknown passkey and a refused address.
    for m in [
        "unregistered torrent pass",
        "unregistered IP address",
        "Unregistered torrent pass",
    ] {
        assert_eq!(c.classify(FAILURE, m), ErrorClass::AccessDenied, "{m}");
    }
    assert_eq!(
        c.classify(FAILURE, "unregistered torrent"),
        ErrorClass::Unregistered
    );
}

#[test]
fn matching_ignores_case_in_every_script() {
    let c = Classifier::builtin();
    for m in [
        "UNREGISTERED TORRENT",
        "Torrent Not Registered With This Tracker",
        "ТОРРЕНТ НЕ ЗАРЕГИСТРИРОВАН НА ТРЕКЕРЕ",
        "торрент не зарегистрирован на трекере",
        "TORRENT INTROUVABLE",
    ] {
        assert_eq!(c.classify(FAILURE, m), ErrorClass::Unregistered, "{m}");
    }
}

#[test]
fn libtorrent_texts_stay_in_the_network_classes() {
    let rows = rows("libtorrent-errors.tsv", false);
    let c = Classifier::builtin();
    let wrong: Vec<(&Row, ErrorClass)> = rows
        .iter()
        .map(|r| (r, c.classify(&r.text, "")))
        .filter(|(r, got)| *got != r.class)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        rows.len(),
        report("libtorrent-errors.tsv", &wrong)
    );
    for r in &rows {
        assert!(
            !r.class.is_from_tracker_message(),
            "libtorrent-errors.tsv:{}: {} is a tracker-message class",
            r.line,
            r.class.as_str()
        );
    }
    let classes: BTreeSet<ErrorClass> = rows.iter().map(|r| r.class).collect();
    for c in ErrorClass::ALL {
        if !c.is_from_tracker_message() {
            assert!(classes.contains(&c), "no {} row", c.as_str());
        }
    }
}

#[test]
fn the_users_file_wins_and_bad_files_name_the_line() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        f,
        "# my tracker's wording\n\
         unregistered\tthis upload was (removed|replaced)\n\
         access_denied  ^unregistered torrent$"
    )
    .unwrap();
    let rules = UserRules::load(f.path()).unwrap();
    assert_eq!(rules.len(), 2);
    let c = Classifier::with_rules(rules);
    // A wording no built-in pattern knows.
    assert_eq!(
        Classifier::builtin().classify(FAILURE, "This upload was REPLACED by a proper"),
        ErrorClass::TrackerFailure
    );
    assert_eq!(
        c.classify(FAILURE, "This upload was REPLACED by a proper"),
        ErrorClass::Unregistered
    );
    // The user's rule comes before the built-in one.
    assert_eq!(
        c.classify(FAILURE, "Unregistered torrent"),
        ErrorClass::AccessDenied
    );
    // libtorrent's text is not the user's to reclassify.
    assert_eq!(c.classify("timed out", ""), ErrorClass::Timeout);

    let path = f.path().display().to_string();
    for (body, line, says) in [
        ("unregistered ok\nunregistered (a|\n", 2, "bad pattern"),
        ("\n# x\n\nnot_a_class foo\n", 4, "unknown class"),
        ("timeout foo\n", 1, "libtorrent"),
        ("access_denied\n", 1, "no pattern"),
    ] {
        std::fs::write(f.path(), body).unwrap();
        let e = UserRules::load(f.path()).unwrap_err();
        assert_eq!(e.line, line, "{body:?}: {e}");
        let text = e.to_string();
        assert!(
            text.starts_with(&format!("{path}:{line}: ")) && text.contains(says),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1, "one line: {text}");
    }
    let e = UserRules::load(&f.path().with_extension("missing")).unwrap_err();
    assert!(e.to_string().contains("cannot read"), "{e}");
}
