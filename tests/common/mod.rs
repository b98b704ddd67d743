//! Helpers shared by the integration tests: run the `vnkg` binary and read what it says.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// The outcome of one `vnkg` run.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the exit code is `code`.
    pub fn expect_code(&self, code: i32, what: &str) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: expected exit code {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Runs the binary with `args`.
pub fn vnkg<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    vnkg_in(Path::new("."), args)
}

/// Runs the binary with `args` in the working directory `dir`.
pub fn vnkg_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_vnkg"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("cannot run vnkg");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is not UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is not UTF-8"),
    }
}

/// `vnkg build INPUT... --store STORE`.
pub fn build(inputs: &[&Path], store: &Path) -> Run {
    let mut args: Vec<&OsStr> = vec!["build".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend([OsStr::new("--store"), store.as_os_str()]);
    vnkg(args)
}

/// `vnkg query -e SPARQL --store STORE [--format FORMAT]`.
pub fn query(sparql: &str, format: Option<&str>, store: &Path) -> Run {
    let mut args: Vec<&OsStr> = vec![
        "query".as_ref(),
        "-e".as_ref(),
        sparql.as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ];
    if let Some(f) = format {
        args.extend([OsStr::new("--format"), OsStr::new(f)]);
    }
    vnkg(args)
}

/// The store's quads as N-Quads lines, sorted (two stores are equal when these are).
pub fn sorted_nquads(store: &Path) -> Vec<String> {
    let run = vnkg([
        "export".as_ref(),
        "--format".as_ref(),
        "nquads".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(0, "export --format nquads");
    let mut lines: Vec<String> = run.stdout.lines().map(String::from).collect();
    lines.sort();
    lines
}
