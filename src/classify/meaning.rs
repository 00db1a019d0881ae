//! The matcher of the built-in patterns: families of *subject × verdict* over a message reduced
//! to its words.
//!
//! A [`Family`] names a class, the things a message may be about (its *subjects*: a client, an
//! account class, a credit, an interval, a peer store, a connection id, the torrent) and what it
//! says of them (its *verdicts*: not allowed, required, failed, unknown, too many). A message is
//! in the family when a subject and a verdict occur near each other, in the order the family
//! allows; a family without subjects needs a verdict alone. The first family that matches
//! decides.
//!
//! Matching runs on the message *reduced to words* ([`words`]): lowercased with Unicode rules,
//! every run of characters that are neither letters nor digits turned into one space, apostrophes
//! dropped ("doesn't" → "doesnt"), a number standing alone turned into `#`, and the whole framed
//! as `^ … $`. An identifier written in hexadecimal (a word of at least four hex digits, one of
//! them a digit: an info hash, a passkey, each group of a UUID) is a value like a number and
//! turns into `#` too, so that it does not push a verdict out of its subject's reach ("Torrent z
//! info_hash 4c9e… ne obstaja" reads "torrent z info hash # ne obstaja"). A word of hex letters
//! alone ("dead", "added") stays a word. A stem is a plain substring of that text: `" ban "` is the word *ban*, `" ban"`
//! a word starting with it, `"^ dead $"` the whole message "Dead!". Chinese has no spaces, so its
//! stems match inside a run of ideographs.
//!
//! Nothing is compiled and nothing is cached: the families are static text, and a message costs
//! one lowercased copy of at most [`super::MESSAGE_HEAD`] bytes and a substring search per stem
//! (docs/benchmarks.md, *The classifier's memory*).

use super::ErrorClass;

/// Where a verdict may stand relative to its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Near {
    /// A verdict alone decides (the family has no subjects).
    Alone,
    /// The verdict starts at most this many characters after the subject ends.
    After(usize),
    /// The verdict ends at most this many characters before the subject starts.
    Before(usize),
    /// Either of the two.
    Either(usize),
}

/// A subject × verdict family of one class (see the module docs).
#[derive(Debug)]
pub(super) struct Family {
    pub class: ErrorClass,
    /// What the family means, shown as the deciding rule (`porla-exporter classify`).
    pub name: &'static str,
    pub subjects: &'static [&'static str],
    pub verdicts: &'static [&'static str],
    pub near: Near,
}

/// The message reduced to words (module docs): `^ word word … $`.
pub(super) fn words(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 4);
    out.push('^');
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        out.push(' ');
        if word.bytes().all(|b| b.is_ascii_digit()) || is_hex_id(word) {
            out.push('#');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in message.chars() {
        if c.is_alphanumeric() || c == '&' {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '`' | '´') {
            // Dropped: "doesn't" reads "doesnt", "IP's" reads "ips".
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out.push_str(" $");
    out
}

/// A word that is an identifier written in hexadecimal (module docs): at least four hex digits,
/// one of them a decimal digit.
fn is_hex_id(word: &str) -> bool {
    word.len() >= 4
        && word.bytes().all(|b| b.is_ascii_hexdigit())
        && word.bytes().any(|b| b.is_ascii_digit())
}

impl Family {
    /// Whether the words `w` (from [`words`]) are in this family.
    pub fn matches(&self, w: &str) -> bool {
        if self.near == Near::Alone {
            return self.verdicts.iter().any(|v| w.contains(v));
        }
        let (after, before) = match self.near {
            Near::After(n) => (Some(n), None),
            Near::Before(n) => (None, Some(n)),
            Near::Either(n) => (Some(n), Some(n)),
            Near::Alone => (None, None),
        };
        for s in self.subjects {
            for (start, _) in w.match_indices(s) {
                let end = start + s.len();
                for v in self.verdicts {
                    // Only the text a verdict within `gap` characters can occupy is searched
                    // (a character is at most 4 bytes), which bounds the work of a long
                    // message full of subjects.
                    if let Some(gap) = after {
                        let to = ceil_boundary(w, end + 4 * gap + v.len());
                        if let Some(at) = w[end..to].find(v) {
                            if w[end..end + at].chars().count() <= gap {
                                return true;
                            }
                        }
                    }
                    if let Some(gap) = before {
                        let from = floor_boundary(w, start.saturating_sub(4 * gap + v.len()));
                        if let Some(at) = w[from..start].rfind(v) {
                            let at = from + at;
                            if w[at + v.len()..start].chars().count() <= gap {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        false
    }
}

/// The first char boundary of `s` at or after `i` (or its length).
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The last char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first family of `families` the message is in.
pub(super) fn first<'a>(families: &'a [Family], message: &str) -> Option<&'a Family> {
    let w = words(message);
    families.iter().find(|f| f.matches(&w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass::*;

    #[test]
    fn words_are_lowercase_framed_and_numbers_stand_as_hash() {
        assert_eq!(
            words("Invalid 'peer_id': -qB4250- (20 bytes)"),
            "^ invalid peer id qb4250 # bytes $"
        );
        assert_eq!(words("You can't: IP's"), "^ you cant ips $");
        assert_eq!(words("ТОРРЕНТ НЕ НАЙДЕН"), "^ торрент не найден $");
        assert_eq!(words("错误：种子不存在"), "^ 错误 种子不存在 $");
        assert_eq!(words(""), "^ $");
        // Hexadecimal identifiers read as values; hex letters alone, short ones and other
        // letters stay words.
        assert_eq!(
            words("User 3f2b8c1e-7a4d-4e2b-9c1a-5d6e7f809a1b: dead, added, 0x1f, a1, e621, x264"),
            "^ user # # # # # dead added 0x1f a1 # x264 $"
        );
    }

    #[test]
    fn a_family_needs_subject_and_verdict_near_in_its_order() {
        let f = Family {
            class: Unregistered,
            name: "t",
            subjects: &[" torrent"],
            verdicts: &["not found", "unknown"],
            near: Near::After(10),
        };
        assert!(f.matches(&words("Torrent not found")));
        assert!(f.matches(&words("torrent is NOT FOUND")));
        assert!(!f.matches(&words("unknown torrent")), "wrong order");
        assert!(!f.matches(&words("torrent was announced as complete, but not found")));
        let f = Family {
            near: Near::Before(1),
            ..f
        };
        assert!(f.matches(&words("Unknown torrent!")));
        assert!(!f.matches(&words("torrent not found")));
        let f = Family {
            near: Near::Either(10),
            ..f
        };
        assert!(f.matches(&words("Unknown torrent!")) && f.matches(&words("torrent not found")));
        let alone = Family {
            class: Unregistered,
            name: "t",
            subjects: &[],
            verdicts: &["^ dead $"],
            near: Near::Alone,
        };
        assert!(alone.matches(&words("Dead!")));
        assert!(!alone.matches(&words("dead torrent")));
    }
}
