//! Resident memory of a process, from /proc/<pid>/status (Linux).

/// VmHWM (peak resident set) and VmRSS (resident set now) of a process, in bytes.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    pub peak: u64,
    pub now: u64,
}

impl Memory {
    pub fn of(pid: u32) -> Memory {
        let path = format!("/proc/{pid}/status");
        let status = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let kib = |key: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().strip_suffix("kB"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no {key} in {path}"))
        };
        Memory {
            peak: kib("VmHWM:") * 1024,
            now: kib("VmRSS:") * 1024,
        }
    }

    pub fn peak_mib(&self) -> f64 {
        self.peak as f64 / (1024.0 * 1024.0)
    }
}

#[test]
fn reads_this_process() {
    let m = Memory::of(std::process::id());
    assert!(m.now > 0 && m.peak >= m.now, "{m:?}");
}
