//! Build throughput: the dantri health corpus, repeated to 20 MB of text, through
//! (a) the text baseline (`text::prepare`: NFC + segmentation), (b) extraction only
//! (`pipeline::process`: text -> quads, no store) and (c) end to end (a fresh on-disk store,
//! `write_reference`, then `process` + `DocWriter::write` per document, then `finish`, then
//! `link::link` over the store: what `vnkg build` does). Single-threaded. Timings are reported, never asserted. A further pass
//! times the steps of `process` one by one (prepare, extract, resolve, rdf) and, with (c), the
//! store writes, to show where the time goes.
//!
//! Run: `cargo bench --bench build`. Environment:
//! - `VNKG_BENCH_CORPUS`: the JSON Lines corpus (default
//!   `../shared/corpus/dantri-health/articles.jsonl` next to the crate);
//! - `VNKG_BENCH_MB`: megabytes of text to reach by repeating the corpus (default 20);
//! - `VNKG_BENCH_STAGE=extract`: run only (a) and (b), no store (for profiling the extractor).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vnkg::corpus::{self, Document};
use vnkg::{extract, pipeline, rdf, resolve, store, text};

/// What one measured pass did.
struct Run {
    name: &'static str,
    time: Duration,
    quads: Option<usize>,
}

/// The time of each stage, summed over the documents.
#[derive(Default)]
struct Stages {
    nfc: Duration,
    prepare: Duration,
    extract: Duration,
    resolve: Duration,
    rdf: Duration,
    store_write: Duration,
    flush: Duration,
    link: Duration,
}

fn main() -> ExitCode {
    let corpus_path = match std::env::var_os("VNKG_BENCH_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/dantri-health/articles.jsonl"),
    };
    let mb = match std::env::var("VNKG_BENCH_MB") {
        Ok(v) => match v.trim().parse::<f64>() {
            Ok(mb) if mb > 0.0 && mb.is_finite() => mb,
            _ => {
                eprintln!("bench build: VNKG_BENCH_MB={v:?} is not a positive number of megabytes");
                return ExitCode::from(2);
            }
        },
        Err(_) => 20.0,
    };
    let with_store = match std::env::var("VNKG_BENCH_STAGE").as_deref() {
        Err(_) | Ok("" | "all") => true,
        Ok("extract") => false,
        Ok(other) => {
            eprintln!("bench build: VNKG_BENCH_STAGE={other:?}: expected `extract` or `all`");
            return ExitCode::from(2);
        }
    };
    if !corpus_path.is_file() {
        println!(
            "bench build: no corpus at {}; skipped (set VNKG_BENCH_CORPUS to a JSON Lines file)",
            corpus_path.display()
        );
        return ExitCode::SUCCESS;
    }

    let (base, errors) = corpus::read_inputs(std::slice::from_ref(&corpus_path));
    for e in errors.iter().take(5) {
        eprintln!("bench build: input problem: {e}");
    }
    if base.is_empty() {
        println!(
            "bench build: no documents in {}; skipped",
            corpus_path.display()
        );
        return ExitCode::SUCCESS;
    }
    let base_bytes: usize = base.iter().map(|d| d.text.len()).sum();
    let docs = repeat_to(&base, (mb * 1e6) as usize);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let n = docs.len();
    println!(
        "corpus: {} ({} documents, {:.2} MB of text)",
        corpus_path.display(),
        base.len(),
        base_bytes as f64 / 1e6
    );
    println!(
        "input:  {n} documents, {:.2} MB of text ({:.1} copies), one thread{}",
        bytes as f64 / 1e6,
        bytes as f64 / base_bytes as f64,
        if with_store {
            ""
        } else {
            "; VNKG_BENCH_STAGE=extract: no store"
        }
    );

    // One-time setup (compiling the reference lexicons and regexes) is kept out of the
    // measured passes.
    let t = Instant::now();
    black_box(pipeline::process(&docs[0]));
    println!(
        "warm-up: first document (one-time setup) in {:.3} s",
        secs(t.elapsed())
    );

    let mut runs = Vec::new();

    // (a) baseline: NFC + segmentation.
    let t = Instant::now();
    for d in &docs {
        black_box(text::prepare(black_box(&d.text)));
    }
    runs.push(Run {
        name: "(a) baseline: text::prepare",
        time: t.elapsed(),
        quads: None,
    });

    // (b) extraction only: text -> quads.
    let t = Instant::now();
    let mut quads = 0usize;
    for d in &docs {
        let p = pipeline::process(black_box(d));
        quads += p.quads.len();
        black_box(p);
    }
    runs.push(Run {
        name: "(b) extract: pipeline::process",
        time: t.elapsed(),
        quads: Some(quads),
    });

    // The stages of (b) timed one by one (the same steps as `pipeline::process`).
    let mut stages = Stages::default();
    for d in &docs {
        stage_times(d, &mut stages);
    }

    // (c) end to end, into a fresh on-disk store.
    let mut store_info = None;
    if with_store {
        match end_to_end(&docs, &mut stages) {
            Ok((run, info)) => {
                runs.push(run);
                store_info = Some(info);
            }
            Err(e) => {
                eprintln!("bench build: end to end: {e}");
                return ExitCode::from(1);
            }
        }
    }

    print_table(&runs, bytes, n);
    print_stages(&stages, with_store, bytes);
    if let Some(info) = store_info {
        println!("{info}");
    }
    println!();
    let main = runs.last().expect("at least two runs");
    if with_store {
        println!(
            "end-to-end: {:.2} MB/s (target >= 2 MB/s on one core)",
            mbps(bytes, main.time)
        );
    } else {
        println!(
            "extract-only: {:.2} MB/s (end to end not run: VNKG_BENCH_STAGE=extract)",
            mbps(bytes, main.time)
        );
    }
    ExitCode::SUCCESS
}

/// The corpus repeated, each copy after the first with ids `ID#rN`, until the text reaches
/// `target` bytes.
fn repeat_to(base: &[Document], target: usize) -> Vec<Document> {
    let mut out = Vec::new();
    let mut total = 0usize;
    for round in 0.. {
        for d in base {
            if total >= target {
                return out;
            }
            let mut d = d.clone();
            if round > 0 {
                d.id = format!("{}#r{round}", d.id);
                d.source = format!("{}#r{round}", d.source);
            }
            total += d.text.len();
            out.push(d);
        }
    }
    out
}

/// Runs the steps of `pipeline::process` on one document, adding each one's time.
fn stage_times(d: &Document, st: &mut Stages) {
    let t = Instant::now();
    black_box(text::nfc(black_box(&d.text)));
    st.nfc += t.elapsed();
    let t = Instant::now();
    let prepared = text::prepare(&d.text);
    let t1 = Instant::now();
    let ex = extract::extract(&prepared);
    let t2 = Instant::now();
    let resolved = resolve::resolve(&prepared, &ex, None);
    let t3 = Instant::now();
    let title = d.title.clone().or_else(|| prepared.header_title.clone());
    let signature = text::Signature::of(&prepared.tokens).to_hex();
    let meta = rdf::DocMeta {
        id: &d.id,
        url: d.url.as_deref(),
        date: d.date.as_deref().or(prepared.header_date.as_deref()),
        title: title.as_deref(),
        text: &prepared.text,
        signature: &signature,
        record: d.record.as_deref(),
    };
    let quads = rdf::document_quads(&meta, &resolved);
    black_box(rdf::graph_iri(&d.id));
    black_box(prepared.text.chars().count());
    let t4 = Instant::now();
    black_box((quads, resolved, ex));
    st.prepare += t1 - t;
    st.extract += t2 - t1;
    st.resolve += t3 - t2;
    st.rdf += t4 - t3;
}

/// (c): a fresh store in a temporary directory, filled as `vnkg build` fills it.
fn end_to_end(docs: &[Document], stages: &mut Stages) -> Result<(Run, String), String> {
    let tmp =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let dir = tmp.path().join("store");
    let t = Instant::now();
    let st = store::open(&dir, store::Mode::Create).map_err(|e| e.to_string())?;
    store::write_reference(&st, &dir).map_err(|e| e.to_string())?;
    let setup = t.elapsed();
    let mut quads = 0usize;
    let mut process = Duration::ZERO;
    let mut write = Duration::ZERO;
    // one thread for the bulk loader too: the target is speed on one core
    let mut writer = store::DocWriter::new(&st, &dir).with_threads(1);
    for d in docs {
        let t0 = Instant::now();
        let p = pipeline::process(d);
        let t1 = Instant::now();
        quads += p.quads.len();
        writer
            .write(&p.graph, p.quads)
            .map_err(|e| format!("{}: {e}", d.source))?;
        write += t1.elapsed();
        process += t1 - t0;
    }
    let t_flush = Instant::now();
    writer.finish().map_err(|e| e.to_string())?;
    let flush = t_flush.elapsed();
    let t_link = Instant::now();
    vnkg::link::link(&st, &dir).map_err(|e| e.to_string())?;
    let link = t_link.elapsed();
    let time = t.elapsed();
    stages.store_write = write;
    stages.flush = flush;
    stages.link = link;
    drop(st);
    let size = dir_size(&dir);
    let info = format!(
        "(c) in detail: open + write_reference {:.3} s, process {:.2} s, store writes {:.2} s, bulk load + flush {:.3} s, link {:.3} s; store on disk {:.1} MB",
        secs(setup),
        secs(process),
        secs(write),
        secs(flush),
        secs(link),
        size as f64 / 1e6
    );
    Ok((
        Run {
            name: "(c) end to end: process + store",
            time,
            quads: Some(quads),
        },
        info,
    ))
}

fn print_table(runs: &[Run], bytes: usize, docs: usize) {
    let base = runs[0].time;
    println!();
    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>11} {:>12}",
        "pass", "seconds", "MB/s", "docs/s", "quads/s", "x baseline"
    );
    println!("{}", "-".repeat(90));
    for r in runs {
        let s = secs(r.time);
        let quads = r
            .quads
            .map_or_else(|| "-".to_string(), |q| format!("{:.0}", q as f64 / s));
        let ratio = if std::ptr::eq(r, &runs[0]) {
            "1.00".to_string()
        } else {
            format!("{:.2}", s / secs(base))
        };
        println!(
            "{:<34} {:>9.3} {:>9.2} {:>10.0} {:>11} {:>12}",
            r.name,
            s,
            mbps(bytes, r.time),
            docs as f64 / s,
            quads,
            ratio
        );
    }
    if let Some(q) = runs.iter().find_map(|r| r.quads) {
        println!(
            "quads per pass: {q} ({:.1} per document)",
            q as f64 / docs as f64
        );
    }
}

fn print_stages(st: &Stages, with_store: bool, bytes: usize) {
    let mut rows = vec![
        ("text::prepare", st.prepare),
        ("extract::extract", st.extract),
        ("resolve::resolve", st.resolve),
        ("rdf::document_quads", st.rdf),
    ];
    if with_store {
        rows.push(("store::DocWriter::write (c)", st.store_write));
        rows.push(("store flush (c)", st.flush));
        rows.push(("link::link (c)", st.link));
    }
    let total: Duration = rows.iter().map(|r| r.1).sum();
    println!();
    println!("where the time goes (each stage timed alone, summed over the documents; the store rows are from (c)):");
    let row = |name: &str, d: Duration| {
        println!(
            "  {:<32} {:>8.3} s {:>6.1} % {:>10.2} MB/s",
            name,
            secs(d),
            100.0 * secs(d) / secs(total),
            mbps(bytes, d)
        )
    };
    for (i, (name, d)) in rows.into_iter().enumerate() {
        row(name, d);
        if i == 0 {
            row("  of which NFC alone (text::nfc)", st.nfc);
        }
    }
}

fn dir_size(p: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(p) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}
