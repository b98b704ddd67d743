//! `vnkg curate`: record, list, undo, export and import users' identity decisions, preview
//! them (`--dry-run`), and list the pairs of persons most worth a look (`candidates`).

use super::{contradiction, from_tsv, now, read, repeats, to_tsv, Decision, Side};
use crate::explain::{self, Found};
use crate::link::{self, Plan};
use crate::query::{self, plain_or_empty as text};
use crate::rdf::vocab;
use crate::resolve::identity::{CurationKind, RecordRef, Rule};
use crate::store;
use crate::term::{safe, SafeWriter};
use clap::{Args, Subcommand, ValueEnum};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_STORE: &str = "vnkg-store";

/// `vnkg curate` arguments.
#[derive(Args, Debug)]
pub struct CurateArgs {
    /// The store directory.
    #[arg(long, default_value = DEFAULT_STORE, global = true)]
    pub store: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: CurateCommand,
}

/// The decisions and reports of `vnkg curate`.
#[derive(Subcommand, Debug)]
pub enum CurateCommand {
    /// A and B (IRIs or unambiguous names of persons; NAME@DOC: the person as document DOC
    /// names it) are one person.
    Same {
        /// The first person.
        a: String,
        /// The second person.
        b: String,
        /// Why, for whoever reads the decision later.
        #[arg(long)]
        note: Option<String>,
        /// Print what would merge or split, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A and B are two persons: linking never joins them again. To split a person linked
    /// across documents, name its records by document: `"Nguyễn Văn An@doc-1"`.
    Distinct {
        /// The first person.
        a: String,
        /// The second person.
        b: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
        /// Print what would split, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A is no person (a misread name): linking removes it from its documents.
    Reject {
        /// The person.
        a: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
        /// Print what would be removed, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The decisions in force, by number.
    List,
    /// Withdraws decision N and links again.
    Undo {
        /// The decision's number (see `vnkg curate list`).
        n: u64,
        /// Print what would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the decisions as TSV (a file a team can keep in git; `-`: standard output).
    Export {
        /// The file.
        file: PathBuf,
    },
    /// Adds the decisions of a TSV file of `vnkg curate export`, all or none.
    Import {
        /// The file.
        file: PathBuf,
        /// Print what would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The pairs of persons of one name that linking keeps apart, most alike first: the
    /// bodies their documents both name, weighted by how few documents name them.
    Candidates {
        /// Persons (namesakes) or organisations (bodies whose names share rare words).
        #[arg(long, value_enum, default_value_t = Kind::Person)]
        kind: Kind,
        /// How many pairs.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// A table for people, or CSV.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// What candidates are about.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Kind {
    /// Persons of one full name kept apart.
    Person,
    /// Bodies of one kind kept apart whose names share words beside their heads.
    Organization,
}

/// How candidates are printed.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned lines.
    Table,
    /// CSV with a header.
    Csv,
}

/// A failure of a curate command: its message, printed as `vnkg: MESSAGE`.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Runs `vnkg curate`.
pub fn run(args: CurateArgs) -> ExitCode {
    match dispatch(args) {
        Ok(code) => code,
        Err(Failure(m)) => {
            crate::term::warn(&m);
            ExitCode::from(1)
        }
    }
}

fn dispatch(args: CurateArgs) -> Result<ExitCode, Failure> {
    let path = args.store.as_path();
    let st = store::open(path, store::Mode::Existing)?;
    let stdout = std::io::stdout();
    let mut out = SafeWriter::new(std::io::BufWriter::new(stdout.lock()));
    match args.command {
        CurateCommand::Same {
            a,
            b,
            note,
            dry_run,
        } => decide(
            &st,
            path,
            CurationKind::Same,
            &a,
            Some(&b),
            note,
            dry_run,
            &mut out,
        ),
        CurateCommand::Distinct {
            a,
            b,
            note,
            dry_run,
        } => decide(
            &st,
            path,
            CurationKind::Distinct,
            &a,
            Some(&b),
            note,
            dry_run,
            &mut out,
        ),
        CurateCommand::Reject { a, note, dry_run } => decide(
            &st,
            path,
            CurationKind::Reject,
            &a,
            None,
            note,
            dry_run,
            &mut out,
        ),
        CurateCommand::List => {
            let ds = read(&st)?;
            if ds.is_empty() {
                writeln!(out, "no decisions in {}", path.display())?;
            }
            for d in &ds {
                let n = d.first.records.len() + d.second.records.len();
                writeln!(out, "{d}  [{n} record{}]", if n == 1 { "" } else { "s" })?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        CurateCommand::Undo { n, dry_run } => {
            let ds = read(&st)?;
            let Some(d) = ds.iter().find(|d| d.number == n) else {
                let known: Vec<String> = ds.iter().map(|d| d.number.to_string()).collect();
                return Err(Failure(format!(
                    "no decision {n} in {} (decisions: {})",
                    path.display(),
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            let rest: Vec<Decision> = ds.iter().filter(|x| x.number != n).cloned().collect();
            if dry_run {
                preview(&st, &ds, &rest, &mut out)?;
                return Ok(ExitCode::SUCCESS);
            }
            super::remove(&st, path, n)?;
            let r = link::link(&st, path)?;
            writeln!(out, "undone: {d}")?;
            if d.kind == CurationKind::Reject {
                writeln!(
                    out,
                    "the person comes back when its documents are built again (vnkg build)"
                )?;
            }
            linked(&mut out, &r)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        CurateCommand::Export { file } => {
            let tsv = to_tsv(&read(&st)?);
            if file.as_os_str() == "-" {
                // data, not text for a terminal: as it is
                let mut raw = std::io::stdout().lock();
                raw.write_all(tsv.as_bytes())?;
                raw.flush()?;
            } else {
                std::fs::write(&file, tsv)
                    .map_err(|e| Failure(format!("{}: cannot write: {e}", file.display())))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        CurateCommand::Import { file, dry_run } => import(&st, path, &file, dry_run, &mut out),
        CurateCommand::Candidates {
            kind,
            limit,
            format,
        } => {
            match kind {
                Kind::Person => candidates(&st, limit, format, &mut out)?,
                Kind::Organization => body_candidates(&st, limit, format, &mut out)?,
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The one person `name` names, or a failure listing the candidates. `NAME@DOC` (or
/// `IRI@DOC`) is the person as document DOC names it: its records there only, so that a
/// person linked across documents can be split.
fn person(st: &Store, name: &str, out: &mut dyn Write) -> Result<Side, Failure> {
    if let Some((who, doc)) = name.rsplit_once('@') {
        let graph = crate::rdf::graph_iri(doc.trim()).into_string();
        if store::has_document(st, &oxigraph::model::NamedNode::new_unchecked(&graph)) {
            let mut side = person_in(st, who, Some(&graph), out)?;
            side.records.retain(|(g, _)| *g == graph);
            if side.records.is_empty() {
                return Err(Failure(format!(
                    "document {:?} does not name {:?}",
                    safe(doc),
                    safe(who)
                )));
            }
            side.label = format!("{}@{}", side.label, doc.trim());
            return Ok(side);
        }
    }
    person_in(st, name, None, out)
}

/// The one person `name` names (among those of document graph `within`, when given).
fn person_in(
    st: &Store,
    name: &str,
    within: Option<&str>,
    out: &mut dyn Write,
) -> Result<Side, Failure> {
    let found = match (explain::find(st, name)?, within) {
        (Found::Several(cands), Some(g)) => {
            let mut here = Vec::new();
            for c in &cands {
                if records_of(st, &c.iri)?.iter().any(|(cg, _)| cg == g) {
                    here.push(c.clone());
                }
            }
            match here.len() {
                0 => Found::Nothing,
                1 => Found::One(here.remove(0)),
                _ => Found::Several(here),
            }
        }
        (f, _) => f,
    };
    let c = match found {
        Found::Nothing => {
            return Err(Failure(format!(
                "no person named {:?} in this store{}",
                safe(name),
                if within.is_some() {
                    " and document"
                } else {
                    ""
                }
            )))
        }
        Found::Several(cands) => {
            explain::write_candidates(&cands, out)?;
            out.flush()?;
            return Err(Failure(format!(
                "{:?} names {} entities (listed above); give one of their IRIs. Nothing changed",
                safe(name),
                cands.len()
            )));
        }
        Found::One(c) => c,
    };
    if c.kind != "Person" && c.kind != "Organization" {
        return Err(Failure(format!(
            "{:?} is a {}: vnkg curate decides about persons and bodies",
            safe(name),
            c.kind
        )));
    }
    let records = records_of(st, &c.iri)?;
    if records.is_empty() {
        return Err(Failure(format!(
            "{:?} has no identity records in this store (built by an older vnkg?)",
            safe(name)
        )));
    }
    Ok(Side {
        label: c.labels.iter().next().cloned().unwrap_or_default(),
        iri: c.iri,
        records,
    })
}

/// The records (document graph, local id) of the person or body `iri`: a person's identity
/// evidence, or each document that names the body with the id path it minted for it (its
/// `vnkg:localId` where linking renamed it).
fn records_of(st: &Store, iri: &str) -> Result<BTreeSet<RecordRef>, Failure> {
    let q = format!(
        "SELECT ?g ?local WHERE {{ {{ GRAPH ?g {{ ?ev a vnkg:IdentityEvidence ; vnkg:identifies <{iri}> ; vnkg:localId ?local }} }} \
         UNION {{ GRAPH ?g {{ ?g a vnkg:DocumentGraph . <{iri}> a org:Organization . FILTER NOT EXISTS {{ <{iri}> vnkg:inferred true }} \
         OPTIONAL {{ <{iri}> vnkg:localId ?minted }} BIND(COALESCE(?minted, STRAFTER(\"{iri}\", \"{id}\")) AS ?local) }} }} }}",
        id = vocab::ID
    );
    let (_, rows) = query::select(st, &q)?;
    Ok(rows.iter().map(|r| (text(&r[0]), text(&r[1]))).collect())
}

#[allow(clippy::too_many_arguments)]
fn decide(
    st: &Store,
    path: &Path,
    kind: CurationKind,
    a: &str,
    b: Option<&str>,
    note: Option<String>,
    dry_run: bool,
    out: &mut SafeWriter<impl Write>,
) -> Result<ExitCode, Failure> {
    let first = person(st, a, out)?;
    let second = match b {
        Some(b) => person(st, b, out)?,
        None => Side::default(),
    };
    let existing = read(st)?;
    let d = Decision {
        number: existing.iter().map(|d| d.number).max().unwrap_or(0) + 1,
        date: now(),
        kind,
        first,
        second,
        note: note.unwrap_or_default(),
    };
    let overlap = !d.first.records.is_disjoint(&d.second.records);
    if kind != CurationKind::Reject
        && (overlap || (kind == CurationKind::Same && d.first.iri == d.second.iri))
    {
        let what = if kind == CurationKind::Same {
            "are one person already: nothing to do"
        } else {
            "are one and the same person: to split it, name it as two of its documents do (NAME@DOC, documents as `vnkg explain` lists them)"
        };
        writeln!(out, "{:?} and {:?} {what}", d.first.label, d.second.label)?;
        out.flush()?;
        return Ok(if kind == CurationKind::Same {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if let Some(n) = repeats(&existing, &d) {
        writeln!(out, "decision {n} says so already: nothing to do")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(why) = contradiction(&existing, &d) {
        return Err(Failure(format!("refused: {why}. Nothing changed")));
    }
    let mut after = existing.clone();
    after.push(d.clone());
    if dry_run {
        writeln!(out, "would record: {d}")?;
        preview(st, &existing, &after, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::add(st, path, std::slice::from_ref(&d))?;
    let r = link::link(st, path)?;
    writeln!(out, "recorded: {d}")?;
    linked(out, &r)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn linked(out: &mut dyn Write, r: &link::Report) -> std::io::Result<()> {
    writeln!(
        out,
        "linked {} person records into {} persons ({} moved by decisions, {} rejected); {} bodies found to be others, {} bodies rejected",
        r.records, r.persons, r.curated, r.rejected, r.body_variants, r.bodies_rejected
    )
}

fn import(
    st: &Store,
    path: &Path,
    file: &Path,
    dry_run: bool,
    out: &mut SafeWriter<impl Write>,
) -> Result<ExitCode, Failure> {
    let tsv = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("{}: cannot read: {e}", file.display())))?;
    let incoming = from_tsv(&tsv, &file.display().to_string()).map_err(Failure)?;
    let existing = read(st)?;
    let mut next = existing.iter().map(|d| d.number).max().unwrap_or(0);
    let mut accepted: Vec<Decision> = existing.clone();
    let mut new = Vec::new();
    let mut repeated = 0;
    for mut d in incoming {
        if repeats(&accepted, &d).is_some() {
            repeated += 1;
            continue;
        }
        if let Some(why) = contradiction(&accepted, &d) {
            return Err(Failure(format!(
                "{}: decision {} ({d}): {why}. Nothing imported",
                file.display(),
                d.number
            )));
        }
        next += 1;
        d.number = next;
        accepted.push(d.clone());
        new.push(d);
    }
    if dry_run {
        writeln!(
            out,
            "would import {} decisions ({repeated} already in force)",
            new.len()
        )?;
        preview(st, &existing, &accepted, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::add(st, path, &new)?;
    let r = link::link(st, path)?;
    writeln!(
        out,
        "imported {} decisions from {} ({repeated} already in force)",
        new.len(),
        file.display()
    )?;
    linked(out, &r)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints how the persons of the store would change from the decisions `before` to `after`.
fn preview(
    st: &Store,
    before: &[Decision],
    after: &[Decision],
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let curations = |ds: &[Decision]| ds.iter().map(Decision::curation).collect::<Vec<_>>();
    let old = link::plan(st, &curations(before))?;
    let new = link::plan(st, &curations(after))?;
    let mut lines = changes(&old, &new);
    let (old, new) = (
        link::plan_bodies(st, &curations(before))?,
        link::plan_bodies(st, &curations(after))?,
    );
    lines.extend(body_changes(&old, &new, &corpus_labels(st)?));
    if lines.is_empty() {
        writeln!(out, "no person or body would change")?;
    }
    for l in lines {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "(dry run: nothing written)")?;
    out.flush()?;
    Ok(())
}

/// What differs between two plans of one store: persons merged, split, or rejected.
fn changes(old: &Plan, new: &Plan) -> Vec<String> {
    let clusters = |p: &Plan| {
        let mut m: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for a in p.assignments.iter().filter(|a| a.rule != Rule::Rejected) {
            m.entry(a.id.clone()).or_default().insert(a.record);
        }
        m
    };
    let (before, after) = (clusters(old), clusters(new));
    // assignments are in record order
    fn id_of(p: &Plan, i: usize) -> Option<&String> {
        p.assignments.get(i).map(|a| &a.id)
    }
    let describe = |records: &BTreeSet<usize>| {
        let label = records
            .iter()
            .map(|&i| old.labels[i].as_str())
            .find(|l| !l.is_empty())
            .unwrap_or("?");
        let docs: BTreeSet<&str> = records
            .iter()
            .map(|&i| doc_of(&old.records[i].graph))
            .collect();
        format!(
            "{label:?} ({} document{}: {})",
            docs.len(),
            if docs.len() == 1 { "" } else { "s" },
            docs.into_iter().take(5).collect::<Vec<_>>().join(", ")
        )
    };
    let mut out = Vec::new();
    for records in after.values() {
        let from: BTreeSet<&String> = records.iter().filter_map(|&i| id_of(old, i)).collect();
        if from.len() > 1 {
            let parts: Vec<String> = from.iter().map(|id| describe(&before[*id])).collect();
            out.push(format!("merge: {} into one person", parts.join(" + ")));
        }
    }
    for records in before.values() {
        let to: BTreeSet<&String> = records
            .iter()
            .filter(|&&i| {
                new.assignments
                    .get(i)
                    .is_some_and(|a| a.rule != Rule::Rejected)
            })
            .filter_map(|&i| id_of(new, i))
            .collect();
        if to.len() > 1 {
            let parts: Vec<String> = to.iter().map(|id| describe(&after[*id])).collect();
            out.push(format!(
                "split: {} into {}",
                describe(records),
                parts.join(" and ")
            ));
        }
    }
    for a in &new.assignments {
        let was = old.assignments.get(a.record).map(|o| o.rule);
        if a.rule == Rule::Rejected && was != Some(Rule::Rejected) {
            out.push(format!(
                "remove: {} from its document",
                describe(&BTreeSet::from([a.record]))
            ));
        }
    }
    out
}

/// What differs between two plans of the bodies of one store: variants joined to another
/// body, parted from it, or bodies removed. `labels` names the bodies (the corpus graph's).
fn body_changes(
    old: &link::BodyPlan,
    new: &link::BodyPlan,
    labels: &BTreeMap<String, String>,
) -> Vec<String> {
    let kept = |p: &link::BodyPlan| -> BTreeMap<String, (String, String, usize)> {
        p.variants
            .iter()
            .map(|v| {
                (
                    v.variant.clone(),
                    (v.label.clone(), v.kept.clone(), v.docs.len()),
                )
            })
            .collect()
    };
    let name = |path: &str| {
        labels
            .get(&format!("{}{path}", vocab::ID))
            .cloned()
            .unwrap_or_else(|| path.to_string())
    };
    let (before, after) = (kept(old), kept(new));
    let mut out = Vec::new();
    for (v, (label, to, docs)) in &after {
        if before.get(v).map(|b| &b.1) != Some(to) {
            out.push(format!(
                "merge body: {label:?} ({docs} document{}) into {:?}",
                if *docs == 1 { "" } else { "s" },
                name(to)
            ));
        }
    }
    for (v, (label, from, docs)) in &before {
        if after.get(v).map(|a| &a.1) != Some(from) {
            out.push(format!(
                "split body: {label:?} ({docs} document{}) from {:?}",
                if *docs == 1 { "" } else { "s" },
                name(from)
            ));
        }
    }
    for (label, docs) in new.rejected.iter().filter(|r| !old.rejected.contains(r)) {
        out.push(format!(
            "remove body: {label:?} from its {docs} document{}",
            if *docs == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The document id part of a document graph IRI.
fn doc_of(graph: &str) -> &str {
    graph
        .strip_prefix(vocab::ID)
        .and_then(|g| g.strip_prefix("graph/"))
        .unwrap_or(graph)
}

/// One pair of persons for review.
struct Pair {
    score: f64,
    a: String,
    b: String,
    labels: [String; 2],
    docs: [usize; 2],
    shared: Vec<String>,
    posts: [Vec<String>; 2],
}

/// The pairs of persons of one name that linking keeps apart, scored by the bodies their
/// documents both name, each weighted by its inverse document frequency (ln N/df).
fn candidates(
    st: &Store,
    limit: usize,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let curations = super::curations(st)?;
    let p = link::plan(st, &curations)?;
    let labels = corpus_labels(st)?;
    let label = |path: &str| {
        labels
            .get(&format!("{}{path}", vocab::ID))
            .cloned()
            .unwrap_or_else(|| path.to_string())
    };
    // documents naming each body or place
    let mut df: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut docs = BTreeSet::new();
    for r in &p.records {
        docs.insert(r.graph.as_str());
        for a in &r.context {
            df.entry(a).or_default().insert(&r.graph);
        }
    }
    let n = docs.len().max(1) as f64;
    // each person: its name key, label, documents, context and post anchors
    #[derive(Default)]
    struct Person<'a> {
        key: &'a str,
        label: &'a str,
        docs: BTreeSet<&'a str>,
        context: BTreeSet<&'a str>,
        anchors: BTreeSet<&'a str>,
        full: bool,
    }
    let mut persons: BTreeMap<&str, Person<'_>> = BTreeMap::new();
    for a in p.assignments.iter().filter(|a| a.rule != Rule::Rejected) {
        let r = &p.records[a.record];
        let e = persons.entry(a.id.as_str()).or_default();
        e.key = &r.name_key;
        if e.label.is_empty() {
            e.label = &p.labels[a.record];
        }
        e.full |= r.full;
        e.docs.insert(&r.graph);
        e.context.extend(r.context.iter().map(String::as_str));
        e.anchors.extend(r.anchors.iter().map(String::as_str));
    }
    let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, e) in &persons {
        if e.full {
            by_key.entry(e.key).or_default().push(id);
        }
    }
    let mut pairs = Vec::new();
    for ids in by_key.values().filter(|v| v.len() > 1) {
        for (i, x) in ids.iter().enumerate() {
            for y in &ids[i + 1..] {
                let (px, py) = (&persons[x], &persons[y]);
                let shared: Vec<&str> = px.context.intersection(&py.context).copied().collect();
                let score: f64 = shared
                    .iter()
                    .map(|a| (n / df.get(a).map_or(1, |d| d.len()) as f64).ln())
                    .sum();
                let mut shared: Vec<(f64, String)> = shared
                    .iter()
                    .map(|a| ((n / df.get(a).map_or(1, |d| d.len()) as f64).ln(), label(a)))
                    .collect();
                shared.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                pairs.push(Pair {
                    score,
                    a: format!("{}{x}", vocab::ID),
                    b: format!("{}{y}", vocab::ID),
                    labels: [px.label.to_string(), py.label.to_string()],
                    docs: [px.docs.len(), py.docs.len()],
                    shared: shared.into_iter().map(|(_, l)| l).collect(),
                    posts: [
                        px.anchors.iter().map(|a| label(a)).collect(),
                        py.anchors.iter().map(|a| label(a)).collect(),
                    ],
                });
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.labels.cmp(&b.labels))
            .then(a.a.cmp(&b.a))
    });
    pairs.truncate(limit);
    match format {
        Format::Csv => {
            writeln!(
                out,
                "score,a,a_label,a_documents,a_posts_in,b,b_label,b_documents,b_posts_in,shared"
            )?;
            for p in &pairs {
                let cols = [
                    format!("{:.2}", p.score),
                    p.a.clone(),
                    p.labels[0].clone(),
                    p.docs[0].to_string(),
                    p.posts[0].join("; "),
                    p.b.clone(),
                    p.labels[1].clone(),
                    p.docs[1].to_string(),
                    p.posts[1].join("; "),
                    p.shared.join("; "),
                ];
                csv_row(out, &cols)?;
            }
        }
        Format::Table => {
            if pairs.is_empty() {
                writeln!(out, "no two persons of one full name in this store")?;
            }
            for p in &pairs {
                writeln!(
                    out,
                    "{:.2}  {:?} ({} doc) / {:?} ({} doc)",
                    p.score, p.labels[0], p.docs[0], p.labels[1], p.docs[1]
                )?;
                writeln!(out, "      {}\n      {}", p.a, p.b)?;
                let posts = |v: &[String]| {
                    if v.is_empty() {
                        "no post".to_string()
                    } else {
                        v.join(", ")
                    }
                };
                writeln!(
                    out,
                    "      posts in: {} / {}",
                    posts(&p.posts[0]),
                    posts(&p.posts[1])
                )?;
                let shared = if p.shared.is_empty() {
                    "nothing".to_string()
                } else {
                    p.shared.join(", ")
                };
                writeln!(out, "      both documents name: {shared}")?;
            }
        }
    }
    Ok(())
}

/// The pairs of bodies linking keeps apart whose names share words beside their heads, most
/// alike first (see [`crate::resolve::bodies::candidates`]).
fn body_candidates(
    st: &Store,
    limit: usize,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let curations = super::curations(st)?;
    let plan = link::plan_bodies(st, &curations)?;
    let links: Vec<_> = plan.variants.iter().map(|v| v.link.clone()).collect();
    let mut pairs = crate::resolve::bodies::candidates(&plan.records, &links);
    pairs.truncate(limit);
    let rec = |i: usize| {
        let r = &plan.records[i];
        (
            format!("{}{}", vocab::ID, r.iri),
            plan.labels.get(&r.iri).cloned().unwrap_or_default(),
            r.docs.len(),
            r.kind
                .as_deref()
                .and_then(|k| k.rsplit('#').next())
                .unwrap_or("")
                .to_string(),
        )
    };
    match format {
        Format::Csv => {
            writeln!(
                out,
                "score,a,a_label,a_documents,b,b_label,b_documents,kind,shared"
            )?;
            for p in &pairs {
                let (a, b) = (rec(p.pair.0), rec(p.pair.1));
                let cols = [
                    format!("{:.2}", p.score),
                    a.0,
                    a.1,
                    a.2.to_string(),
                    b.0,
                    b.1,
                    b.2.to_string(),
                    a.3,
                    p.shared.join("; "),
                ];
                csv_row(out, &cols)?;
            }
        }
        Format::Table => {
            if pairs.is_empty() {
                writeln!(
                    out,
                    "no two bodies of one kind whose names share a rare word"
                )?;
            }
            for p in &pairs {
                let (a, b) = (rec(p.pair.0), rec(p.pair.1));
                writeln!(
                    out,
                    "{:.2}  {:?} ({} doc) / {:?} ({} doc)",
                    p.score, a.1, a.2, b.1, b.2
                )?;
                writeln!(out, "      {}\n      {}", a.0, b.0)?;
                writeln!(
                    out,
                    "      kind: {}; both names have: {}",
                    a.3,
                    p.shared.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// One CSV line of `cols`, each quoted where it must be.
fn csv_row(out: &mut dyn Write, cols: &[String]) -> std::io::Result<()> {
    let cols: Vec<String> = cols.iter().map(|c| csv(c)).collect();
    writeln!(out, "{}", cols.join(","))
}

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The labels of the corpus graph's summaries, by IRI.
fn corpus_labels(st: &Store) -> Result<BTreeMap<String, String>, Failure> {
    let q = format!(
        "SELECT ?e (MIN(?l) AS ?label) WHERE {{ GRAPH <{}> {{ ?e skos:prefLabel ?l }} }} GROUP BY ?e",
        vocab::CORPUS_GRAPH
    );
    let (_, rows) = query::select(st, &q)?;
    Ok(rows.iter().map(|r| (text(&r[0]), text(&r[1]))).collect())
}
