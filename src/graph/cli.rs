//! The `vnkg graph` subcommands: their arguments and what they print. `main.rs` only
//! dispatches to [`run`].

use super::communities::louvain;
use super::export::{self, Format};
use super::metrics::{self, Adjacency};
use super::{path, GraphError, Options, Projection, View};
use crate::explain;
use crate::query::QueryError;
use crate::rdf::vocab::ID;
use crate::store;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_STORE: &str = "vnkg-store";

/// `vnkg graph`: network exports and analysis.
#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(subcommand)]
    command: GraphCommand,
}

/// What to project: shared by every `vnkg graph` subcommand.
#[derive(Args, Debug, Clone)]
pub struct ProjectArgs {
    /// The store directory.
    #[arg(long, default_value = DEFAULT_STORE)]
    store: PathBuf,
    /// institutions: bodies, provinces and legal documents; people: persons and bodies
    /// (posts); full: everything.
    #[arg(long, value_enum, default_value_t = View::Institutions)]
    view: View,
    /// Keep only the neighbourhood of this entity (a name as `vnkg explain` takes it, or an
    /// IRI).
    #[arg(long, value_name = "ENTITY")]
    focus: Option<String>,
    /// The radius of the --focus neighbourhood, in relations.
    #[arg(long, default_value_t = 2, value_name = "N")]
    hops: usize,
    /// Keep only relations dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep only relations dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

impl ProjectArgs {
    fn options(&self) -> Options {
        Options {
            view: self.view,
            focus: self.focus.clone(),
            hops: self.hops,
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }
}

/// The metrics `vnkg graph rank` ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Metric {
    /// Distinct neighbours (ties: more supporting documents first).
    Degree,
    /// Weighted PageRank (damping 0.85, weights = supporting documents).
    Pagerank,
    /// Betweenness on hop counts (exact up to 5,000 nodes, else estimated from 64 sources).
    Betweenness,
}

#[derive(Subcommand, Debug)]
enum GraphCommand {
    /// Counts: nodes and edges, by kind and by relation type, connected components.
    Stats {
        #[command(flatten)]
        project: ProjectArgs,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export the graph for Gephi, Cytoscape, networkx, igraph, R or a browser.
    ///
    /// Node attributes: iri, label, class, kind, province, documents and the metrics (degree,
    /// strength, pagerank, betweenness, community); edge attributes: relation type, label,
    /// weight (supporting documents), first and last date, documents.
    Export {
        #[command(flatten)]
        project: ProjectArgs,
        /// graphml, gexf, dot, cytoscape, csv (a folder) or html.
        #[arg(long, value_enum)]
        format: Format,
        /// Write here (for csv: a folder, which gets nodes.csv and edges.csv) instead of
        /// standard output (`-`: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The title of the HTML view.
        #[arg(long)]
        title: Option<String>,
    },
    /// The most central entities by degree, PageRank or betweenness.
    Rank {
        #[command(flatten)]
        project: ProjectArgs,
        /// What to rank by.
        #[arg(long, value_enum, default_value_t = Metric::Pagerank)]
        metric: Metric,
        /// How many to list.
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Groups of entities more related to each other than to the rest (Louvain, seeded).
    Communities {
        #[command(flatten)]
        project: ProjectArgs,
        /// The seed of Louvain's node order: the same seed gives the same communities.
        #[arg(long, default_value_t = metrics::SEED)]
        seed: u64,
        /// How many communities to list (largest first).
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// How many members to name per community (most central first).
        #[arg(long, default_value_t = 12, value_name = "N")]
        members: usize,
        /// JSON (every node with its community) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The shortest chains of relations between two entities, each step with its documents.
    ///
    /// A and B are names as `vnkg explain` takes them (or IRIs). Chains are shortest in number
    /// of steps; all of them are listed, up to --max.
    Path {
        /// Where the chains start.
        a: String,
        /// Where they end.
        b: String,
        #[command(flatten)]
        project: ProjectArgs,
        /// List at most this many chains.
        #[arg(long, default_value_t = 10, value_name = "N")]
        max: usize,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Why a command failed: what to print, and whether to list candidates.
enum Failure {
    Graph(GraphError),
    Message(String),
}

impl From<GraphError> for Failure {
    fn from(e: GraphError) -> Self {
        Failure::Graph(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Message(format!("cannot write: {e}"))
    }
}

impl From<store::StoreError> for Failure {
    fn from(e: store::StoreError) -> Self {
        Failure::Message(e.to_string())
    }
}

/// Runs a `vnkg graph` subcommand.
pub fn run(args: GraphArgs) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let res = dispatch(args.command, &mut out).and_then(|()| out.flush().map_err(Failure::from));
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Graph(GraphError::Ambiguous { name, candidates })) => {
            eprintln!(
                "vnkg: {name:?} names {} entities; give a longer name or one of these IRIs:",
                candidates.len()
            );
            let _ = explain::write_candidates(&candidates, &mut out);
            let _ = out.flush();
            ExitCode::from(1)
        }
        Err(Failure::Graph(GraphError::Query(QueryError::Output(e))))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(Failure::Message(m)) if m.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(Failure::Graph(e)) => {
            crate::term::warn(&e);
            ExitCode::from(1)
        }
        Err(Failure::Message(m)) => {
            crate::term::warn(&m);
            ExitCode::from(1)
        }
    }
}

fn open_and_project(a: &ProjectArgs) -> Result<(oxigraph::store::Store, Projection), Failure> {
    let st = store::open(&a.store, store::Mode::Existing)?;
    let p = super::project(&st, &a.options())?;
    Ok((st, p))
}

fn dispatch(cmd: GraphCommand, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        GraphCommand::Stats { project, json } => {
            let (_, p) = open_and_project(&project)?;
            stats(&p, json, &mut *text_out(json, out))
        }
        GraphCommand::Export {
            project,
            format,
            output,
            title,
        } => {
            let (_, p) = open_and_project(&project)?;
            let title = title.unwrap_or_else(|| {
                let name = project
                    .store
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "store".into());
                format!("vnkg: {} view of {name}", p.view.name())
            });
            // `--output -` is standard output
            let output = output.filter(|o| o.as_os_str() != "-");
            export_to(&p, format, output.as_deref(), &title, out)
        }
        GraphCommand::Rank {
            project,
            metric,
            top,
            json,
        } => {
            let (_, p) = open_and_project(&project)?;
            rank(&p, metric, top, json, &mut *text_out(json, out))
        }
        GraphCommand::Communities {
            project,
            seed,
            top,
            members,
            json,
        } => {
            let (_, p) = open_and_project(&project)?;
            communities(&p, seed, top, members, json, &mut *text_out(json, out))
        }
        GraphCommand::Path {
            a,
            b,
            project,
            max,
            json,
        } => {
            let (st, p) = open_and_project(&project)?;
            let ia = super::project::locate(&st, &p.graph, &a, p.view)?;
            let ib = super::project::locate(&st, &p.graph, &b, p.view)?;
            let chains = path::shortest(&p.graph, ia, ib, max);
            if json {
                writeln!(out, "{}", path::chains_json(&p, &chains))?;
            } else if chains.is_empty() {
                return Err(Failure::Message(format!(
                    "no chain of relations joins {} and {} in the {} view{}",
                    p.graph[ia].label,
                    p.graph[ib].label,
                    p.view.name(),
                    if p.view == View::Full {
                        ""
                    } else {
                        " (try --view full)"
                    }
                )));
            } else {
                path::write_chains(&p, &chains, &mut crate::term::SafeWriter::new(&mut *out))?;
            }
            Ok(())
        }
    }
}

fn short(iri: &str) -> String {
    match iri.strip_prefix(ID) {
        Some(rest) => format!("id:{rest}"),
        None => iri.to_string(),
    }
}

/// Counts of the projection, as text or one JSON object.
/// Where a command's report goes: text for people through [`crate::term::SafeWriter`] (names
/// come from the documents), JSON as it is.
fn text_out<'a>(json: bool, out: &'a mut dyn Write) -> Box<dyn Write + 'a> {
    if json {
        Box::new(out)
    } else {
        Box::new(crate::term::SafeWriter::new(out))
    }
}

fn stats(p: &Projection, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let g = &p.graph;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for n in g.node_weights() {
        *kinds.entry(&n.kind).or_default() += 1;
        *classes.entry(n.class).or_default() += 1;
    }
    let mut relations: BTreeMap<&str, usize> = BTreeMap::new();
    let mut support = 0usize;
    for e in g.edge_weights() {
        *relations.entry(e.rel).or_default() += 1;
        support += e.weight();
    }
    let components = petgraph::algo::connected_components(g);
    let largest = largest_component(p);
    if json {
        let v = json!({
            "view": p.view.name(),
            "nodes": g.node_count(),
            "edges": g.edge_count(),
            "classes": classes,
            "kinds": kinds,
            "relations": relations,
            "supports": support,
            "components": components,
            "largest_component": largest,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} view: {} nodes, {} edges ({} supporting document links), {} connected components, the largest {} nodes",
        p.view.name(),
        g.node_count(),
        g.edge_count(),
        support,
        components,
        largest
    )?;
    let list = |m: &BTreeMap<&str, usize>| {
        let mut v: Vec<(&&str, &usize)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  nodes by class: {}", list(&classes))?;
    writeln!(out, "  nodes by kind: {}", list(&kinds))?;
    writeln!(out, "  edges by relation: {}", list(&relations))?;
    Ok(())
}

/// The size of the largest connected component.
fn largest_component(p: &Projection) -> usize {
    let mut uf = petgraph::unionfind::UnionFind::<usize>::new(p.node_count());
    for e in p.graph.raw_edges() {
        uf.union(e.source().index(), e.target().index());
    }
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for v in 0..p.node_count() {
        *size.entry(uf.find(v)).or_default() += 1;
    }
    size.values().copied().max().unwrap_or(0)
}

/// Writes an export to `output` (a temporary file beside it, renamed when complete) or to
/// standard output.
fn export_to(
    p: &Projection,
    format: Format,
    output: Option<&Path>,
    title: &str,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    if format == Format::Csv {
        let dir = output.ok_or_else(|| {
            Failure::Message(
                "--format csv writes two files (nodes.csv and edges.csv): give the folder with --output DIR".into(),
            )
        })?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Message(format!("{}: {e}", dir.display())))?;
        let nodes = dir.join("nodes.csv");
        let edges = dir.join("edges.csv");
        return atomic_pair(&nodes, &edges, |n, e| export::csv(p, n, e));
    }
    if format == Format::Dot {
        // refuse before creating any file
        export::check_dot_size(p)?;
    }
    let write = |w: &mut dyn Write| -> Result<(), Failure> {
        match format {
            Format::Graphml => export::graphml(p, w)?,
            Format::Gexf => export::gexf(p, w)?,
            Format::Dot => export::dot(p, w)?,
            Format::Cytoscape => {
                serde_json::to_writer_pretty(&mut *w, &export::cytoscape(p))
                    .map_err(|e| Failure::Message(format!("cannot write: {e}")))?;
                writeln!(w)?;
            }
            Format::Html => export::html(p, title, w)?,
            Format::Csv => unreachable!("handled above"),
        }
        Ok(())
    };
    match output {
        None => write(stdout),
        Some(path) => {
            let tmp = crate::export::partial_path(path);
            let file = std::fs::File::create(&tmp)
                .map_err(|e| Failure::Message(format!("{}: {e}", path.display())))?;
            let mut w = BufWriter::new(file);
            let res = write(&mut w).and_then(|()| w.flush().map_err(Failure::from));
            drop(w);
            match res {
                Ok(()) => std::fs::rename(&tmp, path)
                    .map_err(|e| Failure::Message(format!("{}: {e}", path.display()))),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        }
    }
}

/// Writes two files through temporary ones, renamed only when both are complete.
fn atomic_pair(
    a: &Path,
    b: &Path,
    f: impl FnOnce(&mut dyn Write, &mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let (ta, tb) = (
        crate::export::partial_path(a),
        crate::export::partial_path(b),
    );
    let open = |p: &Path, t: &Path| {
        std::fs::File::create(t)
            .map(BufWriter::new)
            .map_err(|e| Failure::Message(format!("{}: {e}", p.display())))
    };
    let mut wa = open(a, &ta)?;
    let mut wb = match open(b, &tb) {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_file(&ta);
            return Err(e);
        }
    };
    let res = f(&mut wa, &mut wb)
        .and_then(|()| wa.flush())
        .and_then(|()| wb.flush());
    drop((wa, wb));
    let res = res
        .map_err(Failure::from)
        .and_then(|()| {
            std::fs::rename(&ta, a).map_err(|e| Failure::Message(format!("{}: {e}", a.display())))
        })
        .and_then(|()| {
            std::fs::rename(&tb, b).map_err(|e| Failure::Message(format!("{}: {e}", b.display())))
        });
    if res.is_err() {
        let _ = std::fs::remove_file(&ta);
        let _ = std::fs::remove_file(&tb);
    }
    res
}

/// The top entities by a metric.
fn rank(
    p: &Projection,
    metric: Metric,
    top: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let g = &p.graph;
    let adj = Adjacency::of(g);
    let (scores, exact): (Vec<f64>, bool) = match metric {
        Metric::Degree => ((0..adj.len()).map(|v| adj.degree(v) as f64).collect(), true),
        Metric::Pagerank => (metrics::pagerank(&adj), true),
        Metric::Betweenness => metrics::betweenness(&adj),
    };
    let mut order = metrics::ranking(&scores);
    if metric == Metric::Degree {
        // equal degrees: more supporting documents first
        order.sort_by(|&a, &b| {
            adj.degree(b)
                .cmp(&adj.degree(a))
                .then(adj.strength(b).total_cmp(&adj.strength(a)))
                .then(a.cmp(&b))
        });
    }
    let shown = &order[..top.min(order.len())];
    let value = |v: usize| -> serde_json::Value {
        match metric {
            Metric::Degree => json!(adj.degree(v)),
            _ => json!(export::rounded(scores[v])),
        }
    };
    if json {
        let rows: Vec<serde_json::Value> = shown
            .iter()
            .enumerate()
            .map(|(r, &v)| {
                let n = &g[petgraph::graph::NodeIndex::new(v)];
                json!({"rank": r + 1, "score": value(v), "degree": adj.degree(v), "label": n.label, "kind": n.kind, "province": n.province, "iri": n.iri})
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(rows))?;
        return Ok(());
    }
    let name = match metric {
        Metric::Degree => "degree",
        Metric::Pagerank => "pagerank",
        Metric::Betweenness => {
            if exact {
                "betweenness"
            } else {
                "betweenness~"
            }
        }
    };
    // the third column: the degree, or for a ranking by degree the supporting documents
    let third = |v: usize| match metric {
        Metric::Degree => adj.strength(v).to_string(),
        _ => adj.degree(v).to_string(),
    };
    writeln!(
        out,
        "{:>4}  {:<12}  {:>9}  entity",
        "rank",
        name,
        if metric == Metric::Degree {
            "documents"
        } else {
            "degree"
        }
    )?;
    for (r, &v) in shown.iter().enumerate() {
        let n = &g[petgraph::graph::NodeIndex::new(v)];
        let s = match metric {
            Metric::Degree => adj.degree(v).to_string(),
            _ => format!("{:.6}", scores[v]),
        };
        let province = if n.province.is_empty() || n.province == n.label {
            String::new()
        } else {
            format!(", {}", n.province)
        };
        writeln!(
            out,
            "{:>4}  {:<12}  {:>9}  {}  ({}{province})  {}",
            r + 1,
            s,
            third(v),
            n.label,
            n.kind,
            short(&n.iri)
        )?;
    }
    if !exact {
        writeln!(
            out,
            "(~ betweenness estimated from {} sources drawn with seed {}: the graph has more than {} nodes)",
            metrics::BETWEENNESS_SAMPLES,
            metrics::SEED,
            metrics::BETWEENNESS_EXACT_MAX_NODES
        )?;
    }
    Ok(())
}

/// The communities, largest first, with their most central members.
fn communities(
    p: &Projection,
    seed: u64,
    top: usize,
    members: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let g = &p.graph;
    let adj = Adjacency::of(g);
    let c = louvain(&adj, seed);
    let pr = metrics::pagerank(&adj);
    let count = c.membership.iter().max().map_or(0, |m| m + 1);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for v in metrics::ranking(&pr) {
        groups[c.membership[v]].push(v);
    }
    if json {
        let nodes: Vec<serde_json::Value> = (0..g.node_count())
            .map(|v| {
                let n = &g[petgraph::graph::NodeIndex::new(v)];
                json!({"iri": n.iri, "label": n.label, "kind": n.kind, "community": c.membership[v]})
            })
            .collect();
        let v = json!({"seed": seed, "communities": count, "modularity": export::rounded(c.modularity), "nodes": nodes});
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} communities in the {} view (Louvain, seed {seed}), modularity {:.4}",
        count,
        p.view.name(),
        c.modularity
    )?;
    for (k, grp) in groups.iter().enumerate().take(top) {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for &v in grp {
            *kinds
                .entry(&g[petgraph::graph::NodeIndex::new(v)].kind)
                .or_default() += 1;
        }
        let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let kinds: Vec<String> = kinds
            .iter()
            .take(4)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(
            out,
            "community {k}: {} nodes ({})",
            grp.len(),
            kinds.join(", ")
        )?;
        for &v in grp.iter().take(members) {
            let n = &g[petgraph::graph::NodeIndex::new(v)];
            writeln!(out, "    {}  ({})", n.label, n.kind)?;
        }
        if grp.len() > members {
            writeln!(out, "    ... and {} more", grp.len() - members)?;
        }
    }
    if count > top {
        let rest: usize = groups[top..].iter().map(Vec::len).sum();
        writeln!(
            out,
            "... and {} smaller communities ({rest} nodes): --top N lists more",
            count - top
        )?;
    }
    Ok(())
}
