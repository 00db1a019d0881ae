//! The user's own `class pattern` rules for tracker messages (docs/metrics.md, "Your own
//! patterns").
//!
//! One rule per line: a class, whitespace, then a regular expression (Rust `regex` syntax) that
//! runs on the tracker's message, case-insensitively (Unicode). Blank lines and lines starting with
//! `#` are ignored; the pattern is the rest of the line, without trailing whitespace. Rules are
//! tried in file order and the first match wins, before the built-in patterns. Only the classes
//! that come from a tracker's message are allowed, so a rule can never add a label value.

use std::fmt;
use std::path::Path;

use regex::{RegexBuilder, RegexSet, RegexSetBuilder};

use super::ErrorClass;

/// Compiled size limit of one rule and of the whole set: a pattern that needs more is refused
/// when the file is read, not when a message arrives.
const SIZE_LIMIT: usize = 4 << 20;

/// The user's rules, compiled into one `RegexSet`.
#[derive(Debug, Clone)]
pub struct UserRules {
    origin: String,
    set: RegexSet,
    classes: Vec<ErrorClass>,
    lines: Vec<usize>,
}

/// A rules file that cannot be used: names the file and, for a bad rule, the line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    pub origin: String,
    /// 0 when the problem is the file as a whole (unreadable, too large).
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.origin, self.problem)
        } else {
            write!(f, "{}:{}: {}", self.origin, self.line, self.problem)
        }
    }
}

impl std::error::Error for RulesError {}

impl UserRules {
    /// Reads and compiles the rules file at `path`; errors name the path.
    pub fn load(path: &Path) -> Result<UserRules, RulesError> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| RulesError {
            origin: origin.clone(),
            line: 0,
            problem: format!("cannot read the tracker classes file: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| RulesError {
            origin: origin.clone(),
            line: text_line(&e),
            problem: "not UTF-8 text".into(),
        })?;
        UserRules::parse(&origin, &text)
    }

    /// Compiles rules from `text`; `origin` names the text in errors (usually the file's path).
    pub fn parse(origin: &str, text: &str) -> Result<UserRules, RulesError> {
        let err = |line: usize, problem: String| RulesError {
            origin: origin.to_string(),
            line,
            problem,
        };
        let mut patterns = Vec::new();
        let mut classes = Vec::new();
        let mut lines = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, pattern) = match line.split_once(char::is_whitespace) {
                Some((name, rest)) => (name, rest.trim()),
                None => (line, ""),
            };
            let class = ErrorClass::from_name(name).ok_or_else(|| {
                err(
                    n,
                    format!("unknown class \"{name}\" (allowed: {})", allowed()),
                )
            })?;
            if !class.is_from_tracker_message() {
                return Err(err(
                    n,
                    format!(
                        "class \"{name}\" comes from libtorrent's error text, not from a tracker's message (allowed: {})",
                        allowed()
                    ),
                ));
            }
            if pattern.is_empty() {
                return Err(err(
                    n,
                    format!("no pattern after the class \"{name}\" (a rule is: class pattern)"),
                ));
            }
            RegexBuilder::new(pattern)
                .case_insensitive(true)
                .size_limit(SIZE_LIMIT)
                .build()
                .map_err(|e| err(n, format!("bad pattern: {}", one_line(&e))))?;
            patterns.push(pattern.to_string());
            classes.push(class);
            lines.push(n);
        }
        let set = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| {
                err(
                    0,
                    format!("the rules together are too large: {}", one_line(&e)),
                )
            })?;
        Ok(UserRules {
            origin: origin.to_string(),
            set,
            classes,
            lines,
        })
    }

    /// What names the rules in messages: the file's path (or the origin given to [`UserRules::parse`]).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The class and line of the first rule that matches the message.
    pub fn decide(&self, message: &str) -> Option<(ErrorClass, usize)> {
        self.first_match(message)
            .map(|i| (self.classes[i], self.lines[i]))
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The class of the first rule (in file order) whose pattern matches the message.
    pub fn classify(&self, message: &str) -> Option<ErrorClass> {
        self.first_match(message).map(|i| self.classes[i])
    }

    /// The line of the first rule that matches the message (for showing which rule decided).
    pub fn matching_line(&self, message: &str) -> Option<usize> {
        self.first_match(message).map(|i| self.lines[i])
    }

    fn first_match(&self, message: &str) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        self.set.matches(message).iter().next()
    }
}

fn allowed() -> String {
    ErrorClass::FROM_TRACKER_MESSAGE
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The regex crate's message without its multi-line excerpt of the pattern: the "error: …" line.
fn one_line(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with("error:"));
    match last {
        Some(l) => l.trim_start_matches("error:").trim().to_string(),
        None => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The 1-based line where invalid UTF-8 starts.
fn text_line(e: &std::string::FromUtf8Error) -> usize {
    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
    1 + valid.iter().filter(|b| **b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass::*;

    #[test]
    fn rules_in_file_order_case_insensitive() {
        let r = UserRules::parse(
            "f",
            "# comment\n\naccess_denied\tyour seedbox ip\ntracker_failure .*\r\nunregistered\t^gone$\n",
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r.classify("YOUR SEEDBOX IP is refused"), Some(AccessDenied));
        assert_eq!(r.matching_line("YOUR SEEDBOX IP is refused"), Some(3));
        // The catch-all on line 4 comes before line 5.
        assert_eq!(r.classify("gone"), Some(TrackerFailure));
        // Unicode case folding: Cyrillic capitals match a lowercase pattern.
        let r = UserRules::parse("f", "unregistered торрент удалён").unwrap();
        assert_eq!(r.classify("ТОРРЕНТ УДАЛЁН"), Some(Unregistered));
        assert!(UserRules::parse("f", "").unwrap().classify("x").is_none());
    }

    #[test]
    fn bad_rules_name_the_file_and_line() {
        let e = UserRules::parse("/etc/x.rules", "# ok\nunregistered (unclosed\n").unwrap_err();
        assert_eq!(e.line, 2);
        let text = e.to_string();
        assert!(text.starts_with("/etc/x.rules:2: bad pattern: "), "{text}");
        assert!(!text.contains('\n'), "one line: {text}");

        let e = UserRules::parse("f", "\n\nderegistered foo").unwrap_err();
        assert_eq!(e.to_string().lines().count(), 1);
        assert!(
            e.to_string()
                .starts_with("f:3: unknown class \"deregistered\""),
            "{e}"
        );

        let e = UserRules::parse("f", "http_4xx foo").unwrap_err();
        assert!(e.to_string().starts_with("f:1: class \"http_4xx\""), "{e}");
        assert!(e.to_string().contains("unregistered, access_denied"), "{e}");

        let e = UserRules::parse("f", "unregistered").unwrap_err();
        assert!(e.to_string().starts_with("f:1: no pattern"), "{e}");
    }
}
