//! Query processes. A SPARQL query of a client runs in a child process of the server
//! (`vnkg serve-worker`, the store opened read-only), so that the server can stop it for good:
//! oxigraph checks its cancellation token only as it reads the store, and a join or a `COUNT`
//! over data already in memory runs on, holding a core and its memory, long after its 503.
//! A child process is killed at the timeout, and its memory is measured while it runs.
//!
//! The budget of the pool:
//! - every query starts as a *cheap* one: at most [`Limits::cheap`] run at once, the others wait
//!   their turn (first come, first served);
//! - a query still running after [`Limits::cheap_for`] is *expensive*: at most
//!   [`Limits::expensive`] of those run at once; the others are paused (SIGSTOP) in a queue
//!   and resumed in turn, and their process runs at a lower priority, so cheap queries keep a
//!   core;
//! - beyond [`Limits::waiting`] queries waiting (for a cheap turn or paused), a query is refused
//!   at once with 503;
//! - a query whose process grows over [`Limits::query_memory`] is stopped (503), and when all
//!   query processes together hold more than [`Limits::memory`], the largest is stopped;
//! - the timeout counts from the request's arrival, waiting included.
//!
//! A process whose query turned expensive, or grew, is not reused: it is killed, and a fresh
//! one takes its place on demand.

use super::protocol::{Dataset, Refusal};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Semaphore;

/// What the query processes may hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Queries in their first [`Limits::cheap_for`] running at once.
    pub cheap: usize,
    /// Queries past [`Limits::cheap_for`] running at once.
    pub expensive: usize,
    /// Queries waiting (for a turn, or paused) before new ones are refused with 503.
    pub waiting: usize,
    /// How long a query runs before it counts as expensive.
    pub cheap_for: Duration,
    /// The most memory (resident bytes) one query process may hold.
    pub query_memory: u64,
    /// The most memory all query processes together may hold.
    pub memory: u64,
}

impl Limits {
    /// The defaults for a machine with `cores` cores: two cheap queries per core, one
    /// expensive query per core, 64 waiting, 0.1 s, 512 MB per query and 1.5 GB in all.
    pub fn for_cores(cores: usize) -> Limits {
        let cores = cores.max(1);
        Limits {
            cheap: 2 * cores,
            expensive: cores,
            waiting: 64,
            cheap_for: Duration::from_millis(100),
            query_memory: 512 << 20,
            memory: 1024 << 20,
        }
    }
}

/// A query for a worker: the text, the protocol's dataset and the negotiation inputs.
#[derive(Debug, Serialize, Deserialize)]
pub struct Job {
    /// The SPARQL query.
    pub query: String,
    /// `default-graph-uri` values.
    pub default: Vec<String>,
    /// `named-graph-uri` values.
    pub named: Vec<String>,
    /// The request's Accept header.
    pub accept: Option<String>,
    /// The `format` parameter.
    pub format: Option<String>,
}

/// A worker's answer header; `len` bytes of answer follow it when `status` is 200.
#[derive(Debug, Serialize, Deserialize)]
struct Reply {
    status: u16,
    /// The media type of an answer, or the message of a refusal.
    text: String,
    len: usize,
}

/// An answer from a worker: its media type and bytes.
pub struct Answered {
    /// The Content-Type.
    pub media_type: String,
    /// The serialised results.
    pub bytes: Vec<u8>,
}

/// The loop of `vnkg serve-worker`: one [`Job`] per line of standard input, each answered on
/// standard output by a header line and the answer's bytes. Ends at the end of the input.
pub fn worker_main(store: &Path) -> Result<(), String> {
    use std::io::{BufRead, Write};
    die_with_parent();
    let st = oxigraph::store::Store::open_read_only(store)
        .map_err(|e| format!("store {}: cannot open read-only: {e}", store.display()))?;
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("cannot read a query: {e}"))?;
        let (reply, bytes) = match serde_json::from_str::<Job>(&line) {
            Err(e) => (
                Reply {
                    status: 500,
                    text: format!("a query process got a request it cannot read: {e}"),
                    len: 0,
                },
                Vec::new(),
            ),
            Ok(job) => {
                let dataset = Dataset {
                    default: job.default,
                    named: job.named,
                };
                let token = oxigraph::sparql::CancellationToken::new();
                match super::evaluate(
                    &st,
                    &job.query,
                    &dataset,
                    job.accept.as_deref(),
                    job.format.as_deref(),
                    token,
                ) {
                    Ok((a, bytes)) => (
                        Reply {
                            status: 200,
                            text: a.media_type().to_string(),
                            len: bytes.len(),
                        },
                        bytes,
                    ),
                    Err(r) => (
                        Reply {
                            status: r.status,
                            text: r.message,
                            len: 0,
                        },
                        Vec::new(),
                    ),
                }
            }
        };
        let header = serde_json::to_string(&reply).map_err(|e| e.to_string())?;
        let written = writeln!(out, "{header}")
            .and_then(|()| out.write_all(&bytes))
            .and_then(|()| out.flush());
        if written.is_err() {
            // the server went away
            return Ok(());
        }
    }
    Ok(())
}

/// A running query process.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// What a pool runs: `exe serve-worker --store STORE`, under `limits`.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The vnkg binary.
    pub exe: PathBuf,
    /// The store directory.
    pub store: PathBuf,
    /// The budget.
    pub limits: Limits,
}

/// The query processes of one server.
pub struct Pool {
    exe: PathBuf,
    store: PathBuf,
    limits: Limits,
    idle: Mutex<Vec<Worker>>,
    cheap: Semaphore,
    expensive: Semaphore,
    waiting: AtomicUsize,
    /// Resident bytes of every running query's process, by process id.
    resident: Mutex<HashMap<u32, u64>>,
}

/// How a query's process is doing.
#[derive(PartialEq)]
enum Phase {
    Cheap,
    Paused,
    Expensive,
}

fn busy(why: &str) -> Refusal {
    Refusal {
        status: 503,
        message: format!("the server is busy: {why}; try again shortly"),
    }
}

fn broken(e: impl std::fmt::Display) -> Refusal {
    Refusal {
        status: 500,
        message: format!("the query process failed: {e}"),
    }
}

impl Pool {
    /// A pool as `setup` says; no process starts before [`Pool::warm`] or the first query.
    pub fn new(setup: Setup) -> Pool {
        let Setup { exe, store, limits } = setup;
        Pool {
            exe,
            store,
            cheap: Semaphore::new(limits.cheap.max(1)),
            expensive: Semaphore::new(limits.expensive.max(1)),
            limits,
            idle: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
            resident: Mutex::new(HashMap::new()),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn spawn(&self) -> Result<Worker, Refusal> {
        let mut child = Command::new(&self.exe)
            .arg("serve-worker")
            .arg("--store")
            .arg(&self.store)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| broken(format!("cannot start {}: {e}", self.exe.display())))?;
        let stdin = child.stdin.take().ok_or_else(|| broken("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| broken("no stdout"))?;
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    fn checkout(&self) -> Result<Worker, Refusal> {
        let reused = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match reused {
            Some(w) => Ok(w),
            None => self.spawn(),
        }
    }

    fn checkin(&self, w: Worker) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.limits.cheap {
            idle.push(w);
        }
    }

    /// Starts the processes of the first cheap queries, so the first requests do not wait for
    /// them.
    pub fn warm(&self) -> Result<(), Refusal> {
        for _ in 0..self.limits.cheap {
            let w = self.spawn()?;
            self.checkin(w);
        }
        Ok(())
    }

    /// Runs `job` within `timeout` of `arrived`, under the pool's limits.
    pub async fn run(
        &self,
        job: &Job,
        arrived: Instant,
        timeout: Duration,
    ) -> Result<Answered, Refusal> {
        let deadline = arrived + timeout;
        let cheap = match self.cheap.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.load(Ordering::SeqCst) >= self.limits.waiting {
                    return Err(busy(&format!(
                        "{} queries are waiting already",
                        self.limits.waiting
                    )));
                }
                let _waiting = Count::new(&self.waiting);
                match tokio::time::timeout_at(deadline.into(), self.cheap.acquire()).await {
                    Ok(Ok(p)) => p,
                    Ok(Err(_)) => return Err(broken("the pool is closed")),
                    Err(_) => return Err(super::over_time(timeout)),
                }
            }
        };
        let mut cheap = Some(cheap);
        let mut w = self.checkout()?;
        let line = serde_json::to_string(job).map_err(broken)? + "\n";
        if w.stdin.write_all(line.as_bytes()).await.is_err() {
            // a process that died while idle: one fresh try
            w = self.spawn()?;
            w.stdin.write_all(line.as_bytes()).await.map_err(broken)?;
        }
        let pid = w.child.id().unwrap_or(0);
        let _tracked = Tracked { pool: self, pid };
        let started = Instant::now();
        let mut phase = Phase::Cheap;
        let mut expensive = None;
        let mut waiting = None;
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        let outcome = {
            let Worker { stdout, .. } = &mut w;
            let read = read_reply(stdout);
            tokio::pin!(read);
            // one place in the queue of paused queries, kept while paused
            let turn = self.expensive.acquire();
            tokio::pin!(turn);
            loop {
                tokio::select! {
                    r = &mut read => break r,
                    p = &mut turn, if phase == Phase::Paused => {
                        expensive = p.ok();
                        waiting = None;
                        signal(pid, Signal::Resume);
                        phase = Phase::Expensive;
                    }
                    _ = tick.tick() => {
                        let now = Instant::now();
                        if now >= deadline {
                            break Err(super::over_time(timeout));
                        }
                        if phase == Phase::Cheap && now - started >= self.limits.cheap_for {
                            cheap = None;
                            lower_priority(pid);
                            match self.expensive.try_acquire() {
                                Ok(p) => {
                                    expensive = Some(p);
                                    phase = Phase::Expensive;
                                }
                                Err(_) => {
                                    if self.waiting.load(Ordering::SeqCst) >= self.limits.waiting {
                                        break Err(busy(&format!(
                                            "{} expensive queries are running and {} waiting",
                                            self.limits.expensive, self.limits.waiting
                                        )));
                                    }
                                    signal(pid, Signal::Pause);
                                    waiting = Some(Count::new(&self.waiting));
                                    phase = Phase::Paused;
                                }
                            }
                        }
                        if let Some(refused) = self.over_memory(pid) {
                            break Err(refused);
                        }
                    }
                }
            }
        };
        drop((cheap, expensive, waiting));
        match outcome {
            Ok((reply, bytes)) => {
                let small = resident(pid).is_none_or(|r| r < 64 << 20);
                if phase == Phase::Cheap && small {
                    self.checkin(w);
                } else {
                    let _ = w.child.start_kill();
                }
                if reply.status == 200 {
                    Ok(Answered {
                        media_type: reply.text,
                        bytes,
                    })
                } else {
                    Err(Refusal {
                        status: reply.status,
                        message: reply.text,
                    })
                }
            }
            Err(r) => {
                // stops the query for good: the process and everything it holds go
                let _ = w.child.start_kill();
                let _ = w.child.wait().await;
                Err(r)
            }
        }
    }

    /// Records the memory of `pid`'s process; a refusal when it holds more than a query may,
    /// or when it is the largest and all together hold more than the pool may.
    fn over_memory(&self, pid: u32) -> Option<Refusal> {
        let now = resident(pid)?;
        let mut all = self.resident.lock().unwrap_or_else(|p| p.into_inner());
        all.insert(pid, now);
        let mb = |b: u64| b >> 20;
        if now > self.limits.query_memory {
            return Some(Refusal {
                status: 503,
                message: format!(
                    "the query was stopped: it needed more than {} MB of memory; ask for less (LIMIT, a narrower pattern)",
                    mb(self.limits.query_memory)
                ),
            });
        }
        let total: u64 = all.values().sum();
        let largest = all.iter().max_by_key(|(_, r)| **r).map(|(p, _)| *p);
        if total > self.limits.memory && largest == Some(pid) {
            return Some(busy(&format!(
                "the running queries hold more than {} MB of memory, and this one the most",
                mb(self.limits.memory)
            )));
        }
        None
    }
}

/// Forgets a query process's memory when its query ends, however it ends (a client that
/// goes away drops the query's future, and the process is killed on drop).
struct Tracked<'a> {
    pool: &'a Pool,
    pid: u32,
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        self.pool
            .resident
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.pid);
    }
}

/// Counts a waiting query while it lives.
struct Count<'a>(&'a AtomicUsize);

impl<'a> Count<'a> {
    fn new(c: &'a AtomicUsize) -> Count<'a> {
        c.fetch_add(1, Ordering::SeqCst);
        Count(c)
    }
}

impl Drop for Count<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn read_reply(stdout: &mut BufReader<ChildStdout>) -> Result<(Reply, Vec<u8>), Refusal> {
    let mut header = String::new();
    let n = stdout.read_line(&mut header).await.map_err(broken)?;
    if n == 0 {
        return Err(broken("it ended without an answer"));
    }
    let reply: Reply = serde_json::from_str(header.trim_end()).map_err(broken)?;
    let mut bytes = vec![0; reply.len];
    stdout.read_exact(&mut bytes).await.map_err(broken)?;
    Ok((reply, bytes))
}

/// The resident memory of a process, in bytes (Linux; elsewhere unknown).
fn resident(pid: u32) -> Option<u64> {
    if pid == 0 {
        return None;
    }
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

fn page_size() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf reads a constant of the system and has no preconditions
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if n > 0 {
            return n as u64;
        }
    }
    4096
}

/// Makes the kernel kill this process when the server that started it dies, even killed: a
/// paused or busy query process would not see its input close.
fn die_with_parent() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(PR_SET_PDEATHSIG) sets a flag of this process; getppid has no
        // preconditions
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() == 1 {
                // the server died before the flag was set
                libc::_exit(0);
            }
        }
    }
}

enum Signal {
    Pause,
    Resume,
}

/// Pauses or resumes a query process.
fn signal(pid: u32, s: Signal) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        if pid > 0 {
            let sig = match s {
                Signal::Pause => libc::SIGSTOP,
                Signal::Resume => libc::SIGCONT,
            };
            // SAFETY: kill only sends a signal to our own child process; no memory is touched
            unsafe {
                libc::kill(pid, sig);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (pid, s);
}

/// Runs an expensive query's process at a lower priority, so cheap queries keep a core.
fn lower_priority(pid: u32) {
    #[cfg(unix)]
    if pid > 0 {
        // SAFETY: setpriority changes the nice value of our own child process only
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, pid as libc::id_t, 10);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_follow_the_cores() {
        let l = Limits::for_cores(2);
        assert_eq!((l.cheap, l.expensive), (4, 2));
        let l = Limits::for_cores(0);
        assert_eq!((l.cheap, l.expensive), (2, 1));
    }

    #[test]
    fn this_process_has_a_resident_size() {
        let r = resident(std::process::id());
        if cfg!(target_os = "linux") {
            let r = r.expect("Linux has /proc");
            assert!(r > 1 << 20 && r < 64 << 30, "{r}");
        }
        assert_eq!(resident(0), None);
    }
}
