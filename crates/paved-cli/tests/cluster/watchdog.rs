//! Servers the tests start, stopped whatever becomes of the test.
//!
//! Each server runs under a small `sh` watchdog, in a process group of its own. The
//! watchdog's standard input is a pipe whose only writer is the test process (Rust opens
//! pipes close-on-exec, so no other child holds it). When the test process ends, whether
//! it returns, panics, is interrupted (SIGINT, SIGTERM) or killed (SIGKILL), the kernel
//! closes that end: the watchdog reads end-of-file, sends the server SIGTERM, and ten
//! seconds later at most kills its whole group. Dropping a [`Watched`] closes the pipe
//! itself and waits. No signal handler and no `unsafe` (the workspace forbids it): the
//! kernel does the noticing, for every way a process can end.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The watchdog: starts the server (`$@`) in the background with its output in the log
/// (the watchdog's stderr), prints its pid, waits for end-of-file on stdin, then stops it.
/// It ignores SIGTERM, SIGINT and SIGHUP only after the server has started, so the server
/// keeps the default dispositions; `kill -KILL 0` ends everything left in the group,
/// including the timer and the watchdog itself.
const WATCHDOG: &str = r#"
"$@" </dev/null >&2 &
server=$!
trap '' TERM INT HUP
echo "$server"
while read -r _; do :; done
kill -TERM "$server" 2>/dev/null
( sleep 10; kill -KILL 0 ) &
wait "$server"
kill -KILL 0
"#;

/// A server running under a watchdog.
#[derive(Debug)]
pub struct Watched {
    name: String,
    watchdog: Child,
    /// The test's end of the watchdog's stdin: closing it stops the server.
    lifeline: Option<ChildStdin>,
    /// The server's process id.
    pub pid: u32,
    /// The server's output.
    pub log: PathBuf,
}

impl Watched {
    /// Start `program` with `args`, its output in `log`.
    pub fn start(name: &str, program: &Path, args: &[impl AsRef<OsStr>], log: &Path) -> Watched {
        let output = File::create(log).expect("log file");
        let mut watchdog = Command::new("/bin/sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg(format!("{name}-watchdog"))
            .arg(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(output)
            // Its own group: a Ctrl-C at the terminal reaches the test, not the servers,
            // which stop through the watchdog once the test has ended.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let mut line = String::new();
        let stdout = watchdog.stdout.take().expect("watchdog stdout");
        BufReader::new(stdout).read_line(&mut line).expect("the watchdog prints the pid");
        let pid = line.trim().parse().unwrap_or_else(|_| panic!("{name}: no pid from the watchdog: {line:?}"));
        let lifeline = watchdog.stdin.take();
        Watched { name: name.to_owned(), watchdog, lifeline, pid, log: log.to_path_buf() }
    }

    /// Whether the server is still running (a zombie is not).
    pub fn is_running(&self) -> bool {
        is_running(self.pid)
    }

    /// The last lines of the server's output, for a failure message.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        format!(
            "{} (last lines of {}):\n{}",
            self.name,
            self.log.display(),
            lines[lines.len().saturating_sub(30)..].join("\n")
        )
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        drop(self.lifeline.take());
        let _ = self.watchdog.wait();
    }
}

/// Whether process `pid` exists and is not a zombie.
pub fn is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `pid (comm) state ...`: the state follows the last `)`.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}
