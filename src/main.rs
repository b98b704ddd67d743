//! The `vnkg` command line.

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use vnkg::resolve::Kind;
use vnkg::term::warn;
use vnkg::{corpus, export, pipeline, query, store};

const DEFAULT_STORE: &str = "vnkg-store";

#[derive(Parser)]
#[command(
    name = "vnkg",
    version,
    about = "Turn Vietnamese news about public institutions into an RDF knowledge graph",
    long_about = "Turn Vietnamese news about public institutions into an RDF knowledge graph.\n\n\
        vnkg reads articles, finds officials and their posts, organisations and places, and writes them \
        into an embedded Oxigraph store (on disk, RocksDB) that SPARQL queries and exports read. \
        Every command takes --store DIR; the default store is ./vnkg-store."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build (or update) the store from articles.
    ///
    /// INPUT is a .txt file (one article; its id is the file name without extension), an .html
    /// or .htm page (the article found in it, its id from the canonical URL or the file name),
    /// a .warc or .warc.gz archive (every HTML response of status 200 a page),
    /// a .jsonl file (one JSON object per line: id, text, and optional url, date, title; the
    /// fields of news-please and trafilatura are read too), a directory (every such file below
    /// it), or - for JSON Lines on standard input. A document
    /// already in the store is replaced. A bad document is reported with its file and line and
    /// skipped; the others are built, and the exit code is 1.
    Build {
        /// Articles to read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The store directory (an on-disk Oxigraph store, created if missing).
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// Threads that extract documents (0: one per core). The store is written by one, in
        /// input order: any number gives the same store.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// The largest document read, in bytes of text; a larger one is refused and the
        /// others are built (exit code 1).
        #[arg(long, default_value_t = 20_000_000)]
        max_doc_bytes: usize,
        /// Quads of new documents gathered before one bulk load into the store (memory
        /// against speed). Each load commits whole documents at once: a build stopped midway
        /// keeps the documents of every load before, and a new build finishes the rest.
        #[arg(long, default_value_t = store::BATCH_QUADS, value_name = "N")]
        batch_quads: usize,
        /// Rewrite the store compressed once built (see `vnkg compact`, whose default memory it
        /// takes): about half the size on disk, for about as long again as the store writes
        /// took.
        #[arg(long)]
        compact: bool,
        /// The JSON Lines field that holds a record's id (default: `id`, else one made from
        /// its `url`).
        #[arg(long, value_name = "FIELD")]
        id_field: Option<String>,
        /// The JSON Lines field that holds a record's text (default: `text`, else
        /// news-please's `maintext`).
        #[arg(long, value_name = "FIELD")]
        text_field: Option<String>,
    },
    /// Extract articles to N-Quads on standard output, without a store: each document's named
    /// graph, then a mark with its count, and a mark that ends the run.
    ///
    /// Takes the inputs of `build` (`-` for JSON Lines on standard input), so a map engine
    /// (Spark's RDD.pipe, GNU parallel, a batch job) can run it on parts of a corpus; `vnkg
    /// load` then loads the parts into one store and links them, giving the store `vnkg build`
    /// gives. A bad document is reported on standard error and the others are written (exit
    /// code 1).
    Extract {
        /// Articles to read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Threads that extract documents (0: one per core); the output is in input order
        /// whatever the number.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// The largest document read, in bytes of text.
        #[arg(long, default_value_t = 20_000_000)]
        max_doc_bytes: usize,
        /// The JSON Lines field that holds a record's id.
        #[arg(long, value_name = "FIELD")]
        id_field: Option<String>,
        /// The JSON Lines field that holds a record's text.
        #[arg(long, value_name = "FIELD")]
        text_field: Option<String>,
    },
    /// Load the N-Quads of `vnkg extract` into the store, then link as `build` does.
    ///
    /// Every file is checked whole first (N-Quads syntax, each document whole and in its own
    /// graph, each run of extract ended): a cut or malformed file is refused with its file and
    /// line, and the store is left unchanged.
    Load {
        /// N-Quads files written by `vnkg extract` (several runs may be joined in one file).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The store directory (created if missing).
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// Quads gathered before one bulk load into the store.
        #[arg(long, default_value_t = store::BATCH_QUADS, value_name = "N")]
        batch_quads: usize,
        /// Rewrite the store compressed once built (see `vnkg compact`, whose default memory it
        /// takes): about half the size on disk, for about as long again as the store writes
        /// took.
        #[arg(long)]
        compact: bool,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the store.
    ///
    /// The default graph is the union of all graphs; vnkg's prefixes (vnkg:, org:, schema:,
    /// skos:, prov:, nif:, ...) are predeclared. A syntax error is reported with its position
    /// and exit code 2.
    Query {
        /// A file holding the query (e.g. queries/officials.rq).
        #[arg(required_unless_present = "execute", conflicts_with = "execute")]
        file: Option<PathBuf>,
        /// The query text itself.
        #[arg(short = 'e', long = "execute", value_name = "SPARQL")]
        execute: Option<String>,
        /// Output: table (default for SELECT), csv, tsv, json, xml; turtle (default) or ntriples
        /// for CONSTRUCT and DESCRIBE.
        #[arg(long, value_enum, default_value_t = query::Format::Table)]
        format: query::Format,
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
    },
    /// Export the store: facts or mentions (JSON Lines), or RDF (nquads, trig, turtle).
    Export {
        /// What to write.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// Write to this file instead of standard output (`-`: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// One entity and every fact about it, each with its document, date and sentence.
    ///
    /// NAME is matched against every label of every person, body and place, whatever its case
    /// or tone placement ("Sở Y tế Thanh Hoá" finds "Sở Y tế tỉnh Thanh Hóa"); an IRI
    /// (`id:person/...` or in full) names one entity. When several entities match, they are
    /// listed with what tells them apart, and the exit code is 1.
    Explain {
        /// A name or an IRI.
        name: String,
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
    },
    /// Serve the store over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql (and /query) for
    /// any SPARQL client, and a browser view at / (query editor, entity pages, graph view).
    ///
    /// Read-only unless --allow-update is given; listens on loopback unless --bind says
    /// otherwise. The server holds the store: a `vnkg build` on the same store while it runs
    /// stops at once with a message. Stop it with Ctrl-C.
    Serve {
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// The address and port to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: std::net::SocketAddr,
        /// Seconds a query may run before it is cancelled and answered 503.
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        timeout: f64,
        /// Let browser pages of this origin (or * for any) read the answers (CORS); by default
        /// no CORS headers are sent.
        #[arg(long, value_name = "ORIGIN")]
        cors: Option<String>,
        /// Accept SPARQL Update (POST update= or application/sparql-update); by default
        /// updates are refused with 403.
        #[arg(long)]
        allow_update: bool,
        /// The largest request body accepted, in bytes (larger: 413).
        #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
        max_body: usize,
        /// Queries running over 0.1 s allowed at once (default: one per core); more wait,
        /// paused, for their turn.
        #[arg(long, value_name = "N")]
        max_expensive: Option<usize>,
        /// Queries allowed to wait for their turn; beyond, a query is answered 503 at once.
        #[arg(long, default_value_t = 64, value_name = "N")]
        max_waiting: usize,
        /// Memory one query may hold, in MB; a query needing more is stopped (503).
        #[arg(long, default_value_t = 512, value_name = "MB")]
        query_memory: u64,
        /// Memory all running queries together may hold, in MB; beyond, the largest is stopped.
        #[arg(long, default_value_t = 1024, value_name = "MB")]
        memory: u64,
    },
    /// A query process of `vnkg serve` (internal): runs the queries it reads on standard input
    /// over the store opened read-only.
    #[command(hide = true)]
    ServeWorker {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
    },
    /// Network exports and analysis: a property-graph projection of the store (institutions,
    /// people or full view) exported to GraphML, GEXF, DOT, Cytoscape.js JSON, CSV or an HTML
    /// view, ranked by centrality, split into communities, searched for shortest chains.
    Graph(vnkg::graph::cli::GraphArgs),
    /// Corrections of who is who that every later build keeps: `same A B`, `distinct A B`,
    /// `reject A` (A, B: IRIs or unambiguous names of persons or bodies), `list`, `undo N`,
    /// `export FILE`, `import FILE`, `candidates` (pairs worth a look), `--dry-run` to preview.
    Curate(vnkg::curate::cli::CurateArgs),
    /// Rewrite the store compressed: about half its size on disk, with the same quads.
    ///
    /// Oxigraph's bulk loader writes compressed tables, but the transactions of linking,
    /// curation and replaced documents end in RocksDB compactions that, in a store smaller
    /// than half a gigabyte a column family, write their output uncompressed. This bulk-loads
    /// every quad into a fresh store beside it, which then takes the old one's place; the old
    /// store is untouched until the new one is whole, and a kill during the swap is repaired
    /// by the next command that opens the store. Loaded in one part (when `--memory` allows)
    /// the store keeps that size while it is only read; the next build, link or curation
    /// starts RocksDB's compactions again, so compact after the last of them.
    Compact {
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// Memory for the rewrite, in MB (about 1,000 quads a MB loads the store in one part;
        /// default: half of the available memory).
        #[arg(long, value_name = "MB")]
        memory: Option<usize>,
    },
    /// Counts per class and per document.
    Stats {
        /// The store directory.
        #[arg(long, default_value = DEFAULT_STORE)]
        store: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One JSON object per document: persons, organizations, places, positions, ... (the
    /// format of the gold annotations).
    Facts,
    /// One JSON object per mention: doc, start, end (Unicode characters of the NFC text),
    /// text, type, entity.
    Mentions,
    /// Every quad, N-Quads.
    Nquads,
    /// Every quad, TriG.
    Trig,
    /// The union of all graphs, Turtle.
    Turtle,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            inputs,
            store,
            threads,
            max_doc_bytes,
            batch_quads,
            compact,
            id_field,
            text_field,
        } => {
            let fields = corpus::Fields {
                id: id_field,
                text: text_field,
                max_page_bytes: Some(max_doc_bytes),
            };
            build(
                &inputs,
                &store,
                threads,
                max_doc_bytes,
                batch_quads,
                compact,
                &fields,
            )
        }
        Command::Extract {
            inputs,
            threads,
            max_doc_bytes,
            id_field,
            text_field,
        } => {
            let fields = corpus::Fields {
                id: id_field,
                text: text_field,
                max_page_bytes: Some(max_doc_bytes),
            };
            run_extract(&inputs, threads, max_doc_bytes, &fields)
        }
        Command::Load {
            files,
            store,
            batch_quads,
            compact,
        } => run_load(&files, &store, batch_quads, compact),
        Command::Compact { store, memory } => run_compact(&store, memory),
        Command::Query {
            file,
            execute,
            format,
            store,
        } => run_query(file, execute, format, &store),
        Command::Export {
            format,
            store,
            output,
        } => run_export(format, &store, output),
        Command::Explain { name, store } => run_explain(&name, &store),
        Command::Serve {
            store,
            bind,
            timeout,
            cors,
            allow_update,
            max_body,
            max_expensive,
            max_waiting,
            query_memory,
            memory,
        } => {
            let timeout = match std::time::Duration::try_from_secs_f64(timeout) {
                Ok(t) if !t.is_zero() => t,
                _ => {
                    return fail(&format!(
                        "--timeout {timeout}: give a number of seconds above 0"
                    ))
                }
            };
            // read-only: the clients' queries run in query processes the server can stop;
            // with updates, in the server (a reader beside a writer is not safe)
            let (st, lock, workers) = if allow_update {
                match store::open(&store, store::Mode::Existing) {
                    Ok(s) => (s, None, None),
                    Err(e) => return fail(&e),
                }
            } else {
                let (st, lock) = match store::open_served(&store) {
                    Ok(s) => s,
                    Err(e) => return fail(&e),
                };
                let exe = match std::env::current_exe() {
                    Ok(p) => p,
                    Err(e) => return fail(&format!("cannot find the vnkg binary: {e}")),
                };
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                let mut limits = vnkg::serve::workers::Limits::for_cores(cores);
                limits.expensive = max_expensive.unwrap_or(limits.expensive).max(1);
                limits.waiting = max_waiting;
                limits.query_memory = query_memory << 20;
                limits.memory = memory << 20;
                let setup = vnkg::serve::workers::Setup {
                    exe,
                    store: store.clone(),
                    limits,
                };
                (st, Some(lock), Some(setup))
            };
            let config = vnkg::serve::Config {
                bind,
                timeout,
                cors,
                allow_update,
                max_body,
                workers,
            };
            let mode = if allow_update {
                "updates allowed"
            } else {
                "read-only"
            };
            let result = vnkg::serve::run(st, config, |addr| {
                eprintln!(
                    "vnkg: serving {} at http://{addr}/ (SPARQL endpoint http://{addr}/sparql; {mode}); Ctrl-C stops",
                    store.display()
                )
            });
            drop(lock);
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Graph(args) => vnkg::graph::cli::run(args),
        Command::Curate(args) => vnkg::curate::cli::run(args),
        Command::ServeWorker { store } => match vnkg::serve::workers::worker_main(&store) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Stats { store } => {
            let st = match store::open(&store, store::Mode::Existing) {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match export::write_stats(&st, &mut out)
                .and_then(|()| out.flush().map_err(query::QueryError::Output))
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
    }
}

fn run_explain(name: &str, dir: &Path) -> ExitCode {
    use vnkg::explain::{self, Found};
    let st = match store::open(dir, store::Mode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let stdout = std::io::stdout();
    let mut out = vnkg::term::SafeWriter::new(BufWriter::new(stdout.lock()));
    let result = match explain::find(&st, name) {
        Err(e) => Err(e),
        Ok(Found::Nothing) => {
            return fail(&format!(
                "no person, body or place named {name:?} in {}",
                dir.display()
            ))
        }
        Ok(Found::Several(cands)) => {
            eprintln!(
                "vnkg: {name:?} names {} entities; give a longer name or one of these IRIs:",
                cands.len()
            );
            let r = explain::write_candidates(&cands, &mut out)
                .and_then(|()| out.flush().map_err(query::QueryError::Output));
            return match r {
                Err(e) if !broken_pipe(&e) => fail(&e),
                _ => ExitCode::from(1),
            };
        }
        Ok(Found::One(c)) => explain::explain(&st, &c, &mut out)
            .and_then(|()| out.flush().map_err(query::QueryError::Output)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// A reader that stopped reading (`vnkg query ... | head`) is not an error.
fn broken_pipe(e: &query::QueryError) -> bool {
    matches!(e, query::QueryError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    warn(e);
    ExitCode::from(1)
}

/// Documents extracted at once before their graphs are written, in input order.
const BATCH: usize = 64;

/// Reads the inputs, reporting bad ones, and refuses documents over `max_doc_bytes`: the
/// documents to build and the number of problems.
fn read_documents(
    inputs: &[PathBuf],
    fields: &corpus::Fields,
    max_doc_bytes: usize,
) -> (Vec<corpus::Document>, usize) {
    let (docs, errors, notes) = corpus::read_inputs_with(inputs, fields);
    for e in &errors {
        warn(e);
    }
    for n in &notes {
        warn(n);
    }
    // a document beyond the limit is refused, the others built
    let (docs, too_big): (Vec<_>, Vec<_>) = docs
        .into_iter()
        .partition(|d| d.text.len() <= max_doc_bytes);
    let size = |n: usize| {
        if n >= 1_000_000 {
            format!("{:.1} MB", n as f64 / 1e6)
        } else {
            format!("{n} bytes")
        }
    };
    for d in &too_big {
        warn(&format!(
            "{}: document of {} exceeds the limit of {} (--max-doc-bytes)",
            d.source,
            size(d.text.len()),
            size(max_doc_bytes)
        ));
    }
    (docs, errors.len() + too_big.len())
}

/// Extracts `docs` on `pool`, a batch at a time on a thread of its own, and hands each
/// document and its result to `each` on this thread, in input order, while the next batches
/// are extracted (up to 16 ahead, so that extraction goes on while a bulk load runs).
/// `each` returning false stops.
fn process_in_order(
    pool: &rayon::ThreadPool,
    docs: &[corpus::Document],
    mut each: impl FnMut(&corpus::Document, pipeline::Processed) -> bool,
) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<pipeline::Processed>>(16);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for batch in docs.chunks(BATCH) {
                let processed = pool.install(|| batch.par_iter().map(pipeline::process).collect());
                if tx.send(processed).is_err() {
                    break; // the consumer stopped
                }
            }
        });
        'batches: for (batch, processed) in docs.chunks(BATCH).zip(rx.iter()) {
            for (doc, p) in batch.iter().zip(processed) {
                if !each(doc, p) {
                    break 'batches;
                }
            }
        }
        // a consumer that stopped early lets the extracting thread end
        drop(rx);
    });
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, ExitCode> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| fail(&format!("cannot start {threads} threads: {e}")))
}

fn build(
    inputs: &[PathBuf],
    dir: &Path,
    threads: usize,
    max_doc_bytes: usize,
    batch_quads: usize,
    compact: bool,
    fields: &corpus::Fields,
) -> ExitCode {
    let started = Instant::now();
    let pool = match thread_pool(threads) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // open the store first: a bad store is reported before any reading
    let st = match store::open(dir, store::Mode::Create) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    if let Err(e) = store::write_reference(&st, dir) {
        return fail(&e);
    }
    let (docs, problems) = read_documents(inputs, fields, max_doc_bytes);
    let bar = ProgressBar::new(docs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {pos}/{len} documents [{elapsed_precise}] {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let (mut persons, mut orgs, mut places) = (HashSet::new(), HashSet::new(), HashSet::new());
    let (mut positions, mut quads, mut built, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    let mut failed = problems > 0;
    let mut writer = store::DocWriter::new(&st, dir).with_batch(batch_quads);
    process_in_order(&pool, &docs, |doc, p| {
        if let Some(prev) = seen_ids.insert(doc.id.clone(), doc.source.clone()) {
            bar.suspend(|| warn(&duplicate(doc, &prev)));
        }
        persons.extend(p.entities(Kind::Person).map(String::from));
        orgs.extend(p.entities(Kind::Organization).map(String::from));
        places.extend(p.entities(Kind::Place).map(String::from));
        positions += p.resolved.positions.len();
        quads += p.quads.len();
        if let Err(e) = writer.write(&p.graph, p.quads) {
            bar.finish_and_clear();
            warn(&format!("{}: {e}", doc.source));
            failed = true;
            return false;
        }
        bytes += doc.text.len();
        built += 1;
        bar.inc(1);
        true
    });
    bar.finish_and_clear();
    if let Err(e) = writer.finish() {
        warn(&e);
        failed = true;
    }
    let linked = link_store(&st, dir, &mut failed);
    let packed = if compact {
        repack_store(st, dir, None, &mut failed)
    } else {
        None
    };
    let secs = started.elapsed().as_secs_f64();
    let persons = linked.as_ref().map_or(persons.len(), |r| r.persons);
    eprintln!(
        "vnkg: built {built} document{} ({:.1} MB) into {}: {} persons, {} organisations, {} places, {positions} positions, {quads} quads in {secs:.2} s{}",
        if built == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        dir.display(),
        persons,
        orgs.len(),
        places.len(),
        if problems == 0 { String::new() } else { format!("; {problems} input problems") },
    );
    report_link(linked.as_ref());
    report_repack(packed);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The store rewritten compressed (see [`store::repack`]) with `memory` MB (by default
/// half of what is available): what it did and the time it took.
fn repack_store(
    st: oxigraph::store::Store,
    dir: &Path,
    memory: Option<usize>,
    failed: &mut bool,
) -> Option<(store::Repacked, f64)> {
    let started = Instant::now();
    let memory = memory.unwrap_or_else(store::default_repack_memory_mb);
    match store::repack(st, dir, memory) {
        Ok(r) => {
            if r.parts > 1 {
                warn(&format!(
                    "{}: {} quads compacted in {} parts, as --memory {memory} allows; RocksDB will merge the parts on later opens and write what it merges uncompressed (--memory {} loads them in one part)",
                    dir.display(),
                    r.quads,
                    r.parts,
                    r.one_part_mb()
                ));
            }
            Some((r, started.elapsed().as_secs_f64()))
        }
        Err(e) => {
            warn(&e);
            *failed = true;
            None
        }
    }
}

fn run_compact(dir: &Path, memory: Option<usize>) -> ExitCode {
    let st = match store::open(dir, store::Mode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let before = store::dir_size(dir);
    let mut failed = false;
    let packed = repack_store(st, dir, memory, &mut failed);
    if let Some((after, secs)) = packed {
        eprintln!(
            "vnkg: compacted {}: {:.1} MB to {:.1} MB on disk in {secs:.2} s",
            dir.display(),
            before as f64 / 1e6,
            after.bytes as f64 / 1e6
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report_repack(packed: Option<(store::Repacked, f64)>) {
    if let Some((r, secs)) = packed {
        eprintln!(
            "vnkg: store written compressed: {:.1} MB on disk ({secs:.2} s)",
            r.bytes as f64 / 1e6
        );
    }
}

fn duplicate(doc: &corpus::Document, prev: &str) -> String {
    format!(
        "{}: document id {:?} was also read from {prev}; the later one is kept",
        doc.source, doc.id
    )
}

/// Identity and time across every document of the store, old and new.
fn link_store(
    st: &oxigraph::store::Store,
    dir: &Path,
    failed: &mut bool,
) -> Option<vnkg::link::Report> {
    match vnkg::link::link(st, dir) {
        Ok(r) => Some(r),
        Err(e) => {
            warn(&e);
            *failed = true;
            None
        }
    }
}

fn report_link(linked: Option<&vnkg::link::Report>) {
    if let Some(r) = linked {
        eprintln!(
            "vnkg: linked {} person records in the store into {} persons ({} named in more than one document, {} renamed); {} tenures; {} bodies written two ways found to be others",
            r.records, r.persons, r.shared, r.renamed, r.tenures, r.body_variants
        );
    }
}

fn run_extract(
    inputs: &[PathBuf],
    threads: usize,
    max_doc_bytes: usize,
    fields: &corpus::Fields,
) -> ExitCode {
    let started = Instant::now();
    let pool = match thread_pool(threads) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (docs, problems) = read_documents(inputs, fields, max_doc_bytes);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let (mut written, mut quads, mut error) = (0usize, 0usize, None);
    process_in_order(&pool, &docs, |doc, p| {
        if let Some(prev) = seen_ids.insert(doc.id.clone(), doc.source.clone()) {
            warn(&duplicate(doc, &prev));
        }
        if let Err(e) = vnkg::nquads::write_document(&mut out, &p.graph, &p.quads) {
            error = Some(e);
            return false;
        }
        written += 1;
        quads += p.quads.len();
        true
    });
    let result = match error {
        Some(e) => Err(e),
        None => vnkg::nquads::write_end(&mut out, written).and_then(|()| out.flush()),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::from(1),
        Err(e) => return fail(&format!("cannot write to standard output: {e}")),
        Ok(()) => {}
    }
    eprintln!(
        "vnkg: extracted {written} document{}, {quads} quads, in {:.2} s{}",
        if written == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64(),
        if problems == 0 {
            String::new()
        } else {
            format!("; {problems} input problems")
        },
    );
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_load(files: &[PathBuf], dir: &Path, batch_quads: usize, compact: bool) -> ExitCode {
    let started = Instant::now();
    // every file checked whole before anything is written: a bad one leaves the store as it was
    let mut bad = 0;
    let (mut documents, mut quads) = (0usize, 0usize);
    for f in files {
        let checked = vnkg::nquads::read_file(f, |d| {
            quads += d.quads.len();
            Ok(())
        });
        match checked {
            Ok(n) => documents += n,
            Err(e) => {
                warn(&e);
                bad += 1;
            }
        }
    }
    if bad > 0 {
        return fail(&format!(
            "{bad} of {} file{} refused; nothing loaded into {}",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            dir.display()
        ));
    }
    let st = match store::open(dir, store::Mode::Create) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    if let Err(e) = store::write_reference(&st, dir) {
        return fail(&e);
    }
    let mut failed = false;
    let mut writer = store::DocWriter::new(&st, dir).with_batch(batch_quads);
    let mut seen: HashMap<oxigraph::model::NamedNode, String> = HashMap::new();
    for f in files {
        let loaded = vnkg::nquads::read_file(f, |d| {
            let here = format!("{}:{}", f.display(), d.line);
            if let Some(prev) = seen.insert(d.graph.clone(), here.clone()) {
                warn(&format!(
                    "{here}: {} was also given at {prev}; the later one is kept",
                    d.graph
                ));
            }
            writer
                .write(&d.graph, d.quads)
                .map_err(|e| vnkg::nquads::LoadError {
                    file: f.clone(),
                    line: Some(d.line),
                    message: e.to_string(),
                })
        });
        if let Err(e) = loaded {
            // the file changed since it was checked, or the store failed: what is written is
            // whole documents, and the message says where it stopped
            warn(&e);
            failed = true;
            break;
        }
    }
    if let Err(e) = writer.finish() {
        warn(&e);
        failed = true;
    }
    let linked = link_store(&st, dir, &mut failed);
    let packed = if compact {
        repack_store(st, dir, None, &mut failed)
    } else {
        None
    };
    eprintln!(
        "vnkg: loaded {documents} document{} ({quads} quads) from {} file{} into {} in {:.2} s",
        if documents == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    report_link(linked.as_ref());
    report_repack(packed);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_query(
    file: Option<PathBuf>,
    execute: Option<String>,
    format: query::Format,
    dir: &Path,
) -> ExitCode {
    let sparql = match (file, execute) {
        (_, Some(q)) => q,
        (Some(f), None) if f.as_os_str() == "-" => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                return fail(&format!("standard input: {e}"));
            }
            s
        }
        (Some(f), None) => match std::fs::read_to_string(&f) {
            Ok(s) => s,
            Err(e) => return fail(&format!("{}: {e}", f.display())),
        },
        (None, None) => return fail(&"give a query file or -e 'SPARQL'"),
    };
    // a syntax error is reported before the store is opened
    if let Err(e) = query::prepare(&sparql) {
        warn(&e);
        return ExitCode::from(2);
    }
    let st = match store::open(dir, store::Mode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let res = query::run(&st, &sparql, format, &mut out);
    let flushed = out.flush();
    match (res, flushed) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(e), _) if broken_pipe(&e) => ExitCode::SUCCESS,
        (Ok(()), Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Err(e), _) => fail(&e),
        (_, Err(e)) => fail(&e),
    }
}

fn run_export(format: ExportFormat, dir: &Path, output: Option<PathBuf>) -> ExitCode {
    // `--output -` is standard output, as for the inputs of `vnkg build`
    let output = output.filter(|p| p.as_os_str() != "-");
    let st = match store::open(dir, store::Mode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    // write to a temporary file beside the target, then rename: no half-written export
    let (mut out, tmp): (Box<dyn Write>, Option<(PathBuf, PathBuf)>) = match &output {
        Some(path) => {
            let tmp = export::partial_path(path);
            match std::fs::File::create(&tmp) {
                Ok(f) => (Box::new(BufWriter::new(f)), Some((tmp, path.clone()))),
                Err(e) => return fail(&format!("{}: {e}", path.display())),
            }
        }
        None => (Box::new(BufWriter::new(std::io::stdout())), None),
    };
    let res = match format {
        ExportFormat::Facts => export::write_facts(&st, &mut out),
        ExportFormat::Mentions => export::write_mentions(&st, &mut out),
        ExportFormat::Nquads => export::write_dump(&st, export::Dump::NQuads, &mut out),
        ExportFormat::Trig => export::write_dump(&st, export::Dump::TriG, &mut out),
        ExportFormat::Turtle => export::write_dump(&st, export::Dump::Turtle, &mut out),
    };
    let flushed = out.flush();
    drop(out);
    match (res, flushed) {
        (Ok(_), Ok(())) => {
            if let Some((tmp, path)) = tmp {
                if let Err(e) = std::fs::rename(&tmp, &path) {
                    return fail(&format!("{}: {e}", path.display()));
                }
            }
            ExitCode::SUCCESS
        }
        (Err(e), _) => {
            if let Some((tmp, _)) = tmp {
                let _ = std::fs::remove_file(tmp);
                fail(&e)
            } else if broken_pipe(&e) {
                // standard output closed early (`vnkg export ... | head`): not an error
                ExitCode::SUCCESS
            } else {
                fail(&e)
            }
        }
        (_, Err(e)) if tmp.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        (_, Err(e)) => fail(&e),
    }
}
