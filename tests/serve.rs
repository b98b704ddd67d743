//! `vnkg serve` over a real socket, from Rust: the server starts on a free loopback port,
//! answers the protocol, refuses what it must, and holds its store against a concurrent build.
//! (The independent clients, SPARQLWrapper and rdflib, are in tests/serve/test_protocol.py,
//! which `.ci/run` runs.)

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server, killed when dropped.
struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(store: &Path, flags: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vnkg"))
        .args(["serve", "--bind", "127.0.0.1:0", "--store"])
        .arg(store)
        .args(flags)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("cannot start vnkg serve");
    let mut line = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("read the start line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Served { child, addr }
}

/// One HTTP/1.1 request; returns the status and the body.
fn http(addr: &str, request_head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let head = format!(
        "{request_head}\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn examples_store(dir: &Path) -> std::path::PathBuf {
    let store = dir.join("store");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tin-ngan.jsonl");
    common::build(&[&examples], &store).expect_code(0, "build the examples");
    store
}

#[test]
fn answers_queries_and_refuses_updates_and_unknown_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let store = examples_store(tmp.path());
    let s = serve(&store, &[]);
    let q = "query=SELECT+%3Fl+WHERE+%7B+%3Fo+a+org%3AOrganization+%3B+skos%3AprefLabel+%3Fl+%7D";
    let (status, body) = http(
        &s.addr,
        &format!("GET /sparql?{q} HTTP/1.1\r\nAccept: text/csv"),
        b"",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("l\r\n"), "{body}");
    assert!(body.contains("Sở Y tế tỉnh Đắk Nông"), "{body}");

    let (status, body) = http(
        &s.addr,
        "POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-update",
        b"CLEAR ALL",
    );
    assert_eq!(status, 403, "{body}");
    let (status, _) = http(
        &s.addr,
        "POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query",
        b"SELECT ?x WHERE { ?x",
    );
    assert_eq!(status, 400);
    let (status, _) = http(&s.addr, "GET /../Cargo.toml HTTP/1.1", b"");
    assert_eq!(status, 404);
    // the update was refused: the data is still there
    let (_, body) = http(
        &s.addr,
        "GET /sparql?query=ASK+%7B+%3Fs+a+org%3AOrganization+%7D HTTP/1.1",
        b"",
    );
    assert!(body.contains("true"), "{body}");
}

#[test]
fn a_build_on_a_served_store_stops_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let store = examples_store(tmp.path());
    let _s = serve(&store, &[]);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let run = common::build(&[&examples], &store);
    run.expect_code(1, "build while serving");
    assert!(
        run.stderr.contains("in use by another vnkg process"),
        "{}",
        run.stderr
    );
    drop(_s);
    // with updates allowed the server holds the store for writing
    let _s = serve(&store, &["--allow-update"]);
    let run = common::build(&[&examples], &store);
    run.expect_code(1, "build while serving with updates");
    assert!(run.stderr.contains("in use"), "{}", run.stderr);
    drop(_s);
    // and a second server is refused too
    let _s = serve(&store, &[]);
    let run = common::vnkg([
        "serve".as_ref(),
        "--bind".as_ref(),
        "127.0.0.1:0".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(1, "a second server");
    assert!(run.stderr.contains("in use"), "{}", run.stderr);
}

/// The query processes of a server (`vnkg serve-worker` children) and their states (the
/// third field of /proc/PID/stat: R running, S sleeping, T stopped, Z zombie).
#[cfg(target_os = "linux")]
fn query_processes(server: u32) -> Vec<(u32, char)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut f = rest.split_whitespace();
        let state = f.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid: u32 = f.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        if ppid == server {
            out.push((pid, state));
        }
    }
    out
}

const PRODUCT: &str = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o";

fn post_query(addr: &str, query: &str) -> (u16, String) {
    http(
        addr,
        "POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query",
        query.as_bytes(),
    )
}

#[test]
#[cfg(target_os = "linux")]
fn a_query_over_the_timeout_is_stopped_for_good() {
    // a COUNT over a cartesian product reads the store once and then loops in memory, where
    // oxigraph's cancellation is never checked: its process must be killed
    let tmp = tempfile::tempdir().unwrap();
    let store = examples_store(tmp.path());
    let s = serve(&store, &["--timeout", "1"]);
    let (status, body) = post_query(
        &s.addr,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {PRODUCT} }}"),
    );
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("time limit of 1 s"), "{body}");
    // the query's process is gone; the others wait for queries
    let procs = query_processes(s.child.id());
    assert!(!procs.is_empty(), "no query process: {procs:?}");
    assert!(
        procs.iter().all(|(_, state)| *state == 'S'),
        "a query process still runs: {procs:?}"
    );
    let (status, body) = post_query(&s.addr, "ASK { ?s a org:Organization }");
    assert_eq!((status, body.contains("true")), (200, true), "{body}");
}

#[test]
#[cfg(target_os = "linux")]
fn a_query_over_its_memory_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let store = examples_store(tmp.path());
    let s = serve(&store, &["--timeout", "60", "--query-memory", "64"]);
    let (status, body) = post_query(&s.addr, &format!("SELECT * WHERE {{ {PRODUCT} }}"));
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("more than 64 MB of memory"), "{body}");
}

#[test]
fn expensive_queries_beyond_the_cap_and_the_queue_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = examples_store(tmp.path());
    let s = serve(
        &store,
        &[
            "--timeout",
            "3",
            "--max-expensive",
            "1",
            "--max-waiting",
            "0",
        ],
    );
    let count = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {PRODUCT} }}");
    let answers: Vec<(u16, String)> = std::thread::scope(|sc| {
        let a = sc.spawn(|| post_query(&s.addr, &count));
        let b = sc.spawn(|| post_query(&s.addr, &count));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    let busy = answers
        .iter()
        .filter(|(st, b)| *st == 503 && b.contains("the server is busy"))
        .count();
    let timed_out = answers
        .iter()
        .filter(|(st, b)| *st == 503 && b.contains("time limit"))
        .count();
    assert_eq!((busy, timed_out), (1, 1), "{answers:?}");
}

#[test]
fn serve_needs_a_built_store() {
    let tmp = tempfile::tempdir().unwrap();
    let run = common::vnkg([
        "serve".as_ref(),
        "--store".as_ref(),
        tmp.path().join("missing").as_os_str(),
    ]);
    run.expect_code(1, "serve a missing store");
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}
