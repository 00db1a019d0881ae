//! A process a test started (the exporter binary, Prometheus, Alertmanager): its output, stdout
//! and stderr, goes to a file the test can read at any time (a pipe nobody reads could block
//! it), and it is killed and reaped when the test drops it.

use std::fs::File;
use std::io::{Read, Seek};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

pub struct Process {
    child: Child,
    /// What the failures call it ("the exporter", "prometheus").
    pub name: String,
    log: File,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Spawns `cmd` with its stdin closed and its output in a temporary file.
    pub fn spawn(name: &str, cmd: &mut Command) -> Process {
        let log = tempfile::tempfile().unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log.try_clone().unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        Process {
            child,
            name: name.to_owned(),
            log,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// What the process printed so far (stdout and stderr).
    pub fn output(&mut self) -> String {
        let mut out = String::new();
        self.log.rewind().unwrap();
        self.log.read_to_string(&mut out).unwrap();
        out
    }

    /// Its exit status, once it has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }

    /// Fails at once, with its output, if the process has exited.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.exited() {
            let output = self.output();
            panic!("{} exited with {status}:\n{output}", self.name);
        }
    }

    /// Waits until `find` finds what it looks for in the output (30 s at most); fails at once
    /// if the process exits meanwhile.
    pub fn wait_for_output<T>(&mut self, what: &str, find: impl Fn(&str) -> Option<T>) -> T {
        super::wait_until(
            &format!("{what} in the output of {}", self.name),
            Duration::from_secs(30),
            || {
                self.assert_running();
                find(&self.output())
            },
        )
    }
}
