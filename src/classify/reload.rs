//! The classifier an instance uses, and its reload: [`Classes`] holds the rules of a tracker
//! classes file (`--collector.tracker.classes-file`, or an instance's `classes_file`) and swaps
//! them when the file is read again (SIGHUP). A file that no longer loads leaves the rules in
//! use as they were, as Prometheus does with its configuration.
//!
//! Each successful load is a new *generation*: the poller compares it with the one it
//! classified its known tracker errors with, and reclassifies them at its next poll.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use super::{Classifier, RulesError, UserRules};

/// An instance's classifier: the built-in patterns, or a classes file's rules before them.
#[derive(Debug)]
pub struct Classes {
    file: Option<PathBuf>,
    current: RwLock<Current>,
}

#[derive(Debug, Clone)]
struct Current {
    generation: u64,
    classifier: Classifier,
    rules: usize,
}

impl Classes {
    /// The built-in patterns only: nothing to reload.
    pub fn builtin() -> Classes {
        Classes {
            file: None,
            current: RwLock::new(Current {
                generation: 0,
                classifier: Classifier::builtin(),
                rules: 0,
            }),
        }
    }

    /// Reads the classes file at `path`; a bad file is an error naming the file and the line.
    pub fn load(path: &Path) -> Result<Classes, RulesError> {
        let rules = UserRules::load(path)?;
        Ok(Classes {
            file: Some(path.to_path_buf()),
            current: RwLock::new(Current {
                generation: 1,
                rules: rules.len(),
                classifier: Classifier::with_rules(rules),
            }),
        })
    }

    /// The classes file, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The classifier in use and its generation (cheap: the rules are shared).
    pub fn current(&self) -> (u64, Classifier) {
        let c = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (c.generation, c.classifier.clone())
    }

    /// The number of rules of the file in use (0 without a file).
    pub fn rules(&self) -> usize {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .rules
    }

    /// Reads the classes file again. On success its rules replace the ones in use (a new
    /// generation) and the number of rules is returned; on failure the rules in use stay.
    /// Without a file there is nothing to read: `Ok(0)`, the generation unchanged.
    pub fn reload(&self) -> Result<usize, RulesError> {
        let Some(path) = &self.file else {
            return Ok(0);
        };
        let rules = UserRules::load(path)?;
        let n = rules.len();
        let mut c = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *c = Current {
            generation: c.generation + 1,
            classifier: Classifier::with_rules(rules),
            rules: n,
        };
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::ErrorClass;

    const FAILURE: &str = "tracker sent a failure message";

    #[test]
    fn a_reload_swaps_the_rules_and_a_bad_file_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("classes");
        std::fs::write(&f, "# mine\nunregistered ^gone fishing$\n").unwrap();
        let c = Classes::load(&f).unwrap();
        let (g1, k) = c.current();
        assert_eq!(
            k.classify(FAILURE, "Gone fishing"),
            ErrorClass::Unregistered
        );
        assert_eq!(c.rules(), 1);

        std::fs::write(&f, "access_denied ^gone fishing$\nrate_limited slow down\n").unwrap();
        assert_eq!(c.reload(), Ok(2));
        let (g2, k) = c.current();
        assert!(g2 > g1);
        assert_eq!(
            k.classify(FAILURE, "gone fishing"),
            ErrorClass::AccessDenied
        );

        std::fs::write(&f, "rate_limited (unclosed\n").unwrap();
        let e = c.reload().unwrap_err();
        assert_eq!(e.line, 1);
        assert!(
            e.to_string().starts_with(&format!("{}:1: ", f.display())),
            "{e}"
        );
        let (g3, k) = c.current();
        assert_eq!(g3, g2, "a failed reload is no new generation");
        assert_eq!(
            k.classify(FAILURE, "gone fishing"),
            ErrorClass::AccessDenied
        );
        assert_eq!(c.rules(), 2);

        let b = Classes::builtin();
        assert_eq!(b.reload(), Ok(0));
        assert_eq!(b.current().0, 0);
        assert!(b.file().is_none());
    }
}
