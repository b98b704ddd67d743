//! Stage 6: store. Opens the on-disk Oxigraph (RocksDB) store and writes documents into it.
//!
//! Each document is replaced in one transaction (its graph removed, its new quads added), so
//! the store never holds half a document, and rebuilding a document gives the same store.

use crate::rdf::{self, vocab};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad};
use oxigraph::store::Store;
use std::fmt;
use std::path::{Path, PathBuf};

/// A store that could not be opened or written, with the reason.
#[derive(Debug)]
pub struct StoreError {
    /// The store directory.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "store {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for StoreError {}

fn err(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// How to open a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Create it if missing (for `build`).
    Create,
    /// It must exist already (for `query`, `export`, `stats`).
    Existing,
}

/// Opens the vnkg store at `path`, checking that it is one.
pub fn open(path: &Path, mode: Mode) -> Result<Store, StoreError> {
    recover_repack(path)?;
    if path.exists() {
        if !path.is_dir() {
            return Err(err(path, "is not a directory"));
        }
        let empty = std::fs::read_dir(path)
            .map_err(|e| err(path, format!("cannot read the directory: {e}")))?
            .next()
            .is_none();
        if !empty && !path.join("CURRENT").exists() {
            return Err(err(
                path,
                "is not a vnkg store: the directory holds other files and no Oxigraph database",
            ));
        }
        prune_info_logs(path);
        if empty && mode == Mode::Existing {
            return Err(err(path, "is empty: run `vnkg build` first"));
        }
    } else if mode == Mode::Existing {
        return Err(err(
            path,
            "does not exist: run `vnkg build INPUT --store DIR` first",
        ));
    }
    let store = Store::open(path).map_err(|e| {
        let msg = e.to_string();
        if msg.to_lowercase().contains("lock") {
            err(path, IN_USE)
        } else {
            err(path, format!("cannot open: {msg}"))
        }
    })?;
    let marker = NamedNode::new_unchecked(vocab::STORE_MARKER);
    let marked = store
        .quads_for_pattern(Some(marker.as_ref().into()), None, None, None)
        .next()
        .is_some();
    let empty = store.is_empty().map_err(|e| err(path, e.to_string()))?;
    if !marked && !empty {
        return Err(err(
            path,
            "is an Oxigraph store but not a vnkg store (no vnkg marker in it)",
        ));
    }
    if !marked && mode == Mode::Existing {
        return Err(err(path, "holds no vnkg data: run `vnkg build` first"));
    }
    // a read-only server holds no RocksDB lock, but its lock file: checked after taking
    // RocksDB's, so that a server starting now sees this process (see `open_served`)
    if let Ok(f) = std::fs::File::open(path.join(SERVE_LOCK)) {
        if f.try_lock().is_err() {
            return Err(err(path, IN_USE));
        }
    }
    Ok(store)
}

/// RocksDB's diagnostic logs of earlier opens kept when the store is opened (which sets the
/// current one aside too: two are left).
const KEPT_INFO_LOGS: usize = 1;

/// Removes all but the newest [`KEPT_INFO_LOGS`] of RocksDB's diagnostic logs of earlier
/// opens (`LOG.old.<microseconds>`): every open of the store starts a new log and keeps the
/// old one, up to a thousand of them (about 124 KB each, the options dump), so that a store
/// queried from the command line grew by that much a query. They hold no data; a failure to
/// remove one is ignored.
fn prune_info_logs(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut old: Vec<(u128, PathBuf)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name();
            let stamp = name.to_str()?.strip_prefix("LOG.old.")?.parse().ok()?;
            Some((stamp, e.path()))
        })
        .collect();
    old.sort_unstable();
    let extra = old.len().saturating_sub(KEPT_INFO_LOGS);
    for (_, file) in old.into_iter().take(extra) {
        let _ = std::fs::remove_file(file);
    }
}

/// The file a read-only `vnkg serve` keeps locked in the store directory.
const SERVE_LOCK: &str = "vnkg-serve.lock";

const IN_USE: &str =
    "is in use by another vnkg process (a build or a server); wait for it to finish or stop it";

/// The lock of a read-only server on its store: while it lives, [`open`] refuses the store.
#[derive(Debug)]
pub struct ServeLock(#[allow(dead_code)] std::fs::File);

/// Opens the vnkg store at `path` read-only for a server whose queries run in other
/// read-only processes, and locks it against writers: a `vnkg build` (or any [`open`]) of the
/// same store stops with a message while the lock lives. Refused when a writer has it open.
pub fn open_served(path: &Path) -> Result<(Store, ServeLock), StoreError> {
    // open for writing first: checks the store, and fails while a writer holds it; the lock
    // is taken while RocksDB's is held, so every writer after it sees the lock
    let writable = open(path, Mode::Existing)?;
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.join(SERVE_LOCK))
        .map_err(|e| {
            err(
                path,
                format!("cannot create the lock file {SERVE_LOCK}: {e}"),
            )
        })?;
    file.try_lock().map_err(|_| err(path, IN_USE))?;
    drop(writable);
    let store = Store::open_read_only(path)
        .map_err(|e| err(path, format!("cannot open read-only: {e}")))?;
    Ok((store, ServeLock(file)))
}

/// Replaces the ontology and reference graphs (and the store marker) with the compiled-in ones.
pub fn write_reference(store: &Store, path: &Path) -> Result<(), StoreError> {
    let mut quads = rdf::ontology_quads().map_err(|e| err(path, e))?;
    quads.extend(rdf::reference_quads());
    let graphs = [vocab::ONTOLOGY_GRAPH, vocab::REFERENCE_GRAPH];
    replace_graphs(store, path, &graphs, &quads)
}

/// `quads` as the store gives them back: Oxigraph keeps literals of the numeric types by value
/// (`"1.520"^^xsd:decimal` reads back as `"1.52"`, `xsd:nonNegativeInteger` as `xsd:integer`),
/// so a quad is compared with what the store holds in that form (a round trip through a store
/// in memory, which encodes terms as the one on disk does).
fn canonical(quads: &[Quad]) -> Result<Vec<Quad>, oxigraph::store::StorageError> {
    let memory = Store::new()?;
    let mut tx = memory.start_transaction()?;
    for q in quads {
        tx.insert(q);
    }
    tx.commit()?;
    memory.iter().collect()
}

/// Makes the named `graphs` hold `quads` (which are in them) and nothing else, in one
/// transaction that removes and inserts only the difference: a rebuild that changes nothing
/// writes nothing, which keeps a compacted store compact (see [`repack`]).
fn replace_graphs(
    store: &Store,
    path: &Path,
    graphs: &[&str],
    quads: &[Quad],
) -> Result<(), StoreError> {
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let wanted = canonical(quads)?;
        let wanted: std::collections::HashSet<&Quad> = wanted.iter().collect();
        let mut held = std::collections::HashSet::new();
        let mut stale = Vec::new();
        for g in graphs {
            let g = NamedNodeRef::new_unchecked(g);
            for q in store.quads_for_pattern(None, None, None, Some(g.into())) {
                let q = q?;
                if wanted.contains(&q) {
                    held.insert(q);
                } else {
                    stale.push(q);
                }
            }
        }
        if stale.is_empty() && held.len() == wanted.len() {
            return Ok(());
        }
        let mut tx = store.start_transaction()?;
        for q in &stale {
            tx.remove(q);
        }
        for q in wanted {
            if !held.contains(q) {
                tx.insert(q);
            }
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot write: {e}")))
}

/// Renames entities inside document graphs, in one transaction: each `(graph, from, to)`
/// replaces the IRI `from` by `to` wherever it stands in that graph.
pub fn rename(
    store: &Store,
    path: &Path,
    renames: &[(String, String, String)],
) -> Result<(), StoreError> {
    if renames.is_empty() {
        return Ok(());
    }
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let mut tx = store.start_transaction()?;
        for (graph, from, to) in renames {
            move_entity(store, &mut tx, graph, from, to)?;
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot rename linked persons: {e}")))
}

/// Renames bodies inside document graphs, in one transaction, keeping the IRI the document
/// gave each: `(graph, from, to, minted)` replaces `from` by `to` in that graph and states
/// `to vnkg:localId "minted"` there (the id path the document minted), unless `to` is that
/// IRI again, so that every later linking starts from what the documents said.
pub fn rename_bodies(
    store: &Store,
    path: &Path,
    renames: &[(String, String, String, String)],
) -> Result<(), StoreError> {
    if renames.is_empty() {
        return Ok(());
    }
    let local_id = NamedNode::new_unchecked(format!("{}localId", vocab::VNKG));
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let mut tx = store.start_transaction()?;
        for (graph, from, to, minted) in renames {
            move_entity(store, &mut tx, graph, from, to)?;
            let mark = Quad::new(
                NamedNode::new_unchecked(to.as_str()),
                local_id.clone(),
                oxigraph::model::Literal::new_simple_literal(minted),
                NamedNode::new_unchecked(graph.as_str()),
            );
            // written only when it changes: a relink that changes nothing writes nothing
            let marked = store.contains(&mark)?;
            if rdf::entity_iri(minted).as_str() == to {
                if marked {
                    tx.remove(&mark);
                }
            } else if !marked {
                tx.insert(&mark);
            }
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot rename linked bodies: {e}")))
}

/// Moves every quad of graph `graph` with the IRI `from` (as subject or object) to `to`.
fn move_entity(
    store: &Store,
    tx: &mut oxigraph::store::Transaction<'_>,
    graph: &str,
    from: &str,
    to: &str,
) -> Result<(), oxigraph::store::StorageError> {
    use oxigraph::model::{NamedOrBlankNode, Term};
    if from == to {
        return Ok(());
    }
    let g = NamedNodeRef::new_unchecked(graph);
    let from = NamedNodeRef::new_unchecked(from);
    let to = NamedNode::new_unchecked(to);
    let mut found: Vec<Quad> = store
        .quads_for_pattern(Some(from.into()), None, None, Some(g.into()))
        .collect::<Result<_, _>>()?;
    for q in store.quads_for_pattern(None, None, Some(from.into()), Some(g.into())) {
        let q = q?;
        if q.subject.as_ref() != from.into() {
            found.push(q);
        }
    }
    for q in found {
        tx.remove(&q);
        let subject: NamedOrBlankNode = if q.subject.as_ref() == from.into() {
            to.clone().into()
        } else {
            q.subject.clone()
        };
        let object: Term = if q.object.as_ref() == from.into() {
            to.clone().into()
        } else {
            q.object.clone()
        };
        tx.insert(&Quad::new(
            subject,
            q.predicate.clone(),
            object,
            q.graph_name.clone(),
        ));
    }
    Ok(())
}

/// Removes entities from document graphs, in one transaction: for each `(graph, iri)`,
/// every quad of that graph about the entity or pointing at it, and the whole of its
/// mentions, posts and identity evidence there (the nodes that point at it and are a
/// `nif:Phrase`, an `org:Membership` or a `vnkg:IdentityEvidence`).
pub fn remove_entities(
    store: &Store,
    path: &Path,
    entities: &[(String, String)],
) -> Result<(), StoreError> {
    if entities.is_empty() {
        return Ok(());
    }
    use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
    let rdf_type = NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let owned = [
        format!("{}Phrase", vocab::NIF),
        "http://www.w3.org/ns/org#Membership".to_string(),
        format!("{}IdentityEvidence", vocab::VNKG),
    ];
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let mut doomed: Vec<Quad> = Vec::new();
        for (graph, iri) in entities {
            let g = NamedNodeRef::new_unchecked(graph);
            let e = NamedNodeRef::new_unchecked(iri);
            doomed.extend(
                store
                    .quads_for_pattern(Some(e.into()), None, None, Some(g.into()))
                    .collect::<Result<Vec<_>, _>>()?,
            );
            let pointing: Vec<Quad> = store
                .quads_for_pattern(None, None, Some(e.into()), Some(g.into()))
                .collect::<Result<_, _>>()?;
            for q in pointing {
                let s: NamedOrBlankNodeRef<'_> = q.subject.as_ref();
                let owned_node = owned.iter().any(|c| {
                    store
                        .quads_for_pattern(
                            Some(s),
                            Some(rdf_type),
                            Some(TermRef::from(NamedNodeRef::new_unchecked(c))),
                            Some(g.into()),
                        )
                        .next()
                        .is_some()
                });
                if owned_node {
                    doomed.extend(
                        store
                            .quads_for_pattern(Some(s), None, None, Some(g.into()))
                            .collect::<Result<Vec<_>, _>>()?,
                    );
                }
                doomed.push(q);
            }
        }
        let mut tx = store.start_transaction()?;
        for q in &doomed {
            tx.remove(q);
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot remove rejected persons: {e}")))
}

/// Replaces the corpus graph (identity links and tenures) with `quads`.
pub fn replace_corpus_graph(store: &Store, path: &Path, quads: &[Quad]) -> Result<(), StoreError> {
    replace_graphs(store, path, &[vocab::CORPUS_GRAPH], quads)
}

/// Writes processed documents into the store.
///
/// New documents are gathered and loaded with Oxigraph's bulk loader (about three times faster
/// than transactions), which commits atomically; documents already in the store are gathered
/// too and replaced in one transaction. After a failure, or a kill, the store holds whole
/// documents only, never part of one.
pub struct DocWriter<'a> {
    store: &'a Store,
    path: PathBuf,
    pending: Vec<Quad>,
    pending_graphs: std::collections::HashSet<NamedNode>,
    threads: Option<usize>,
    batch: usize,
    /// Documents already in the store, with their new quads.
    replaced: Vec<(NamedNode, Vec<Quad>)>,
    replaced_quads: usize,
}

/// New documents' quads gathered before one bulk load, by default.
pub const BATCH_QUADS: usize = 500_000;

impl<'a> DocWriter<'a> {
    /// A writer into `store` (at `path`, for messages).
    pub fn new(store: &'a Store, path: &Path) -> Self {
        DocWriter {
            store,
            path: path.to_path_buf(),
            pending: Vec::new(),
            pending_graphs: std::collections::HashSet::new(),
            threads: None,
            batch: BATCH_QUADS,
            replaced: Vec::new(),
            replaced_quads: 0,
        }
    }

    /// Loads new documents once `quads` quads are gathered (at least one document a load).
    pub fn with_batch(mut self, quads: usize) -> Self {
        self.batch = quads.max(1);
        self
    }

    /// Limits the bulk loader to `n` threads (by default it uses every core).
    pub fn with_threads(mut self, n: usize) -> Self {
        self.threads = Some(n.max(1));
        self
    }

    /// Writes one document's graph (replacing what the store held for it).
    pub fn write(&mut self, graph: &NamedNode, quads: Vec<Quad>) -> Result<(), StoreError> {
        if self.pending_graphs.contains(graph) {
            self.flush()?; // the same document twice in one run: the later one replaces it
        }
        if has_document(self.store, graph) {
            // replaced in one transaction with the other replaced documents of the batch
            self.pending_graphs.insert(graph.clone());
            self.replaced_quads += quads.len();
            self.replaced.push((graph.clone(), quads));
            if self.replaced_quads >= self.batch {
                self.flush_replaced()?;
            }
            return Ok(());
        }
        self.pending_graphs.insert(graph.clone());
        self.pending.extend(quads);
        if self.pending.len() >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    /// Replaces the gathered documents that were in the store already, in one transaction.
    fn flush_replaced(&mut self) -> Result<(), StoreError> {
        if self.replaced.is_empty() {
            return Ok(());
        }
        let replaced = std::mem::take(&mut self.replaced);
        self.replaced_quads = 0;
        let write = || -> Result<(), oxigraph::store::StorageError> {
            let mut tx = self.store.start_transaction()?;
            for (g, _) in &replaced {
                tx.remove_named_graph(g.as_ref())?;
            }
            for (_, quads) in &replaced {
                for q in quads {
                    tx.insert(q);
                }
            }
            tx.commit()
        };
        write().map_err(|e| err(&self.path, format!("cannot write: {e}")))
    }

    /// Loads the gathered new documents, and replaces the gathered old ones.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.flush_replaced()?;
        if self.pending.is_empty() {
            return Ok(());
        }
        let quads = std::mem::take(&mut self.pending);
        self.pending_graphs.clear();
        let mut loader = self.store.bulk_loader();
        if let Some(n) = self.threads {
            loader = loader.with_num_threads(n);
        }
        loader
            .load_quads(quads)
            .and_then(|()| loader.commit())
            .map_err(|e| err(&self.path, format!("cannot write: {e}")))
    }

    /// Loads what is gathered and flushes the store to disk.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.flush()?;
        self.store
            .flush()
            .map_err(|e| err(&self.path, format!("cannot flush: {e}")))
    }
}

/// The sibling directory a repack writes the new store into.
fn repack_dir(path: &Path) -> PathBuf {
    sibling(path, "vnkg-repack")
}

/// The sibling directory the old store is moved to while the repacked one takes its place.
fn previous_dir(path: &Path) -> PathBuf {
    sibling(path, "vnkg-previous")
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

/// Finishes what a repack stopped between its two renames left: when the store directory is
/// missing and the previous one is there, the previous (whole) store is put back.
fn recover_repack(path: &Path) -> Result<(), StoreError> {
    let previous = previous_dir(path);
    if !path.exists() && previous.join("CURRENT").exists() {
        std::fs::rename(&previous, path).map_err(|e| {
            err(
                path,
                format!(
                    "is missing and {} holds the store of an interrupted repack, but it cannot be moved back: {e}",
                    previous.display()
                ),
            )
        })?;
    }
    Ok(())
}

/// What [`repack`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repacked {
    /// The store's size on disk afterwards, in bytes.
    pub bytes: u64,
    /// The quads rewritten.
    pub quads: usize,
    /// The parts they were loaded in (one when the memory allowed).
    pub parts: usize,
}

impl Repacked {
    /// The memory, in MB, that would have loaded the quads in one part.
    pub fn one_part_mb(&self) -> usize {
        self.quads.div_ceil(QUADS_PER_MB)
    }
}

/// Quads the bulk loader takes in one part for each MB of memory (measured: 2.86 million quads
/// in one part peaked at 2.7 GB).
const QUADS_PER_MB: usize = 1_000;

/// The memory a repack may take by default: half of what the system has available (from
/// `/proc/meminfo`), at least 1 GB; 2 GB where that cannot be read.
pub fn default_repack_memory_mb() -> usize {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        })
        .map_or(2048, |kb| (kb / 1024 / 2).max(1024))
}

/// Rewrites the store at `path` as one bulk load into a fresh directory, which then takes the
/// old one's place.
///
/// Oxigraph opens RocksDB with level-style compaction tuned for a 512 MB base level and no
/// compression in the first levels, and with dynamically sized levels a column family smaller
/// than that base has its data in the first level: every compaction there writes its output
/// uncompressed. Tables bulk-loaded (ingested) are compressed, and stay so while no compaction
/// touches them; but the transactions of linking, curation and replaced documents, and
/// bulk-loaded parts that overlap each other, are compacted, so a built store is about twice
/// the size of the same quads ingested at once. The rewrite loads every quad in as few parts
/// as `memory_mb` allows (about 1,000 quads a MB): in one part the tables do not overlap, no
/// compaction follows, and the store keeps the compressed size while it is read; loaded in
/// several parts, RocksDB merges them on later opens, and what it merges grows uncompressed.
/// A later write (a build, a link, a curation) starts compactions again.
///
/// It is safe at any point: until the new store is whole the old one is untouched, the swap
/// is two renames, and [`open`] puts the old store back if a kill falls between them.
pub fn repack(store: Store, path: &Path, memory_mb: usize) -> Result<Repacked, StoreError> {
    // absolute, so that a store given as `.` has siblings too
    let path = &std::fs::canonicalize(path).map_err(|e| err(path, e.to_string()))?;
    let fresh = repack_dir(path);
    let previous = previous_dir(path);
    for leftover in [&fresh, &previous] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover)
                .map_err(|e| err(path, format!("cannot remove {}: {e}", leftover.display())))?;
        }
    }
    let quads = store.len().map_err(|e| err(path, e.to_string()))?;
    let budget = memory_mb.max(1).saturating_mul(QUADS_PER_MB);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // one part if it fits; else parts loaded `threads` at a time, within the budget together
    let per_part = if quads <= budget {
        quads.max(1)
    } else {
        (budget / threads).max(1)
    };
    let parts = quads.div_ceil(per_part).max(1);
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let new = Store::open(&fresh)?;
        // oxigraph's loader takes max_memory * 1000 / threads quads a part
        let mut loader = new
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes((per_part.saturating_mul(threads)).div_ceil(1000));
        loader.load_ok_quads::<oxigraph::store::StorageError, oxigraph::store::StorageError>(
            store.iter(),
        )?;
        loader.commit()?;
        new.flush()
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(err(
            path,
            format!("cannot repack into {}: {e}", fresh.display()),
        ));
    }
    drop(store);
    std::fs::rename(path, &previous).map_err(|e| {
        err(
            path,
            format!("cannot move aside for the repacked store: {e}"),
        )
    })?;
    std::fs::rename(&fresh, path).map_err(|e| {
        err(
            path,
            format!(
                "cannot move the repacked store {} in place (the old one is {}): {e}",
                fresh.display(),
                previous.display()
            ),
        )
    })?;
    std::fs::remove_dir_all(&previous)
        .map_err(|e| err(path, format!("cannot remove {}: {e}", previous.display())))?;
    Ok(Repacked {
        bytes: dir_size(path),
        quads,
        parts,
    })
}

/// Bytes of the files directly in `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Number of quads in the store.
pub fn quad_count(store: &Store) -> usize {
    store.len().unwrap_or(0)
}

/// True when the store holds a graph for this document.
pub fn has_document(store: &Store, graph: &NamedNode) -> bool {
    store
        .quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        )
        .next()
        .is_some()
}
