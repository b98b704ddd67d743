//! Stage 8 (beside query, export and explain): `vnkg graph`. Projects the RDF store into a
//! property graph (petgraph) for network analysis and exports.
//!
//! The projection reads the store only through SPARQL ([`crate::query`]). It turns the n-ary
//! relations of the documents (agreements, events, awards, donations, legal documents, posts)
//! and the hierarchy into plain edges between entities, one edge per (source, target, relation
//! type), each carrying the documents that support it and their dates. The graph is undirected
//! for analysis; an edge keeps the direction of its relation in its source and target (a unit
//! to its parent, a donor to the recipient, a person to the body of his post, ...).
//!
//! Modules: [`project`] (store -> [`Projection`]), [`metrics`] (degree, PageRank,
//! betweenness), [`communities`] (Louvain), [`path`] (shortest chains of relations),
//! [`export`] (GraphML, GEXF, DOT, Cytoscape.js JSON, CSV, HTML), [`assets`] (the interactive
//! viewer), [`cli`] (the `vnkg graph` subcommands).

pub mod assets;
pub mod cli;
pub mod communities;
pub mod export;
pub mod metrics;
pub mod path;
pub mod project;
mod rng;

use crate::explain::Candidate;
use crate::query::QueryError;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

pub use export::cytoscape;
pub use metrics::Metrics;
pub use project::project;

/// Which entities and relations a projection keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum View {
    /// Organisations, provinces and the legal documents they issue or cite: agreements,
    /// hierarchy, location, co-participation in events, donations, awards, legal documents.
    #[default]
    Institutions,
    /// Persons and organisations: posts (with titles and dates).
    People,
    /// Every entity kind (persons, organisations, places of every level, legal documents) and
    /// every relation.
    Full,
}

impl View {
    /// The view's name as the command line writes it.
    pub fn name(self) -> &'static str {
        match self {
            View::Institutions => "institutions",
            View::People => "people",
            View::Full => "full",
        }
    }
}

/// What to project: the view, an optional neighbourhood and an optional period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Which entities and relations.
    pub view: View,
    /// Keep only the neighbourhood of this entity (a name as `vnkg explain` takes it, or an
    /// IRI).
    pub focus: Option<String>,
    /// The radius of the neighbourhood, in edges (with `focus`).
    pub hops: usize,
    /// Keep only support from documents (or relation dates) on or after this ISO date
    /// (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Keep only support dated on or before this ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`;
    /// a shorter date includes its whole year or month).
    pub until: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            view: View::Institutions,
            focus: None,
            hops: 2,
            since: None,
            until: None,
        }
    }
}

/// Why a projection (or an analysis on it) failed.
#[derive(Debug)]
pub enum GraphError {
    /// A SPARQL query on the store failed.
    Query(QueryError),
    /// A date option is not an ISO date.
    BadDate {
        /// The option (`--since`, `--until`).
        option: &'static str,
        /// What was given.
        value: String,
    },
    /// No person, body or place has this name.
    NotFound(String),
    /// The name means several entities.
    Ambiguous {
        /// The name as given.
        name: String,
        /// The entities it may mean.
        candidates: Vec<Candidate>,
    },
    /// The entity exists but has no relation in the view (and period).
    NotInView {
        /// Its label.
        label: String,
        /// Its IRI.
        iri: String,
        /// The view.
        view: View,
    },
    /// Any other bad input (an unknown metric, a graph too large for DOT, ...).
    Invalid(String),
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Query(e) => write!(f, "{e}"),
            GraphError::BadDate { option, value } => write!(
                f,
                "{option} {value:?} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ),
            GraphError::NotFound(name) => {
                write!(f, "no person, body or place named {name:?} in the store")
            }
            GraphError::Ambiguous { name, candidates } => write!(
                f,
                "{name:?} names {} entities; give a longer name or one of their IRIs",
                candidates.len()
            ),
            GraphError::NotInView { label, iri, view } => write!(
                f,
                "{label} <{iri}> has no relation in the {} view{}",
                view.name(),
                match view {
                    View::Full => " (and period)",
                    _ => " (and period); try --view full",
                }
            ),
            GraphError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for GraphError {}

impl From<QueryError> for GraphError {
    fn from(e: QueryError) -> Self {
        GraphError::Query(e)
    }
}

/// An entity of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its IRI.
    pub iri: String,
    /// Its label: the preferred label most documents use (ties: the first in order); for a
    /// province, its reference name.
    pub label: String,
    /// Its class: `person`, `organization`, `place` or `legal_document`.
    pub class: &'static str,
    /// Its kind: an organisation's classification (`hospital`, `ministry`, ...; plain
    /// `organization` when none), a place's level (`province`, `city`, `district`,
    /// `commune`), `person` or `legal_document`.
    pub kind: String,
    /// The province it lies in (an organisation's location, a place's province), or empty.
    pub province: String,
    /// How many documents name it.
    pub documents: usize,
}

/// An edge of the projection: one relation type between two entities, summed over the
/// documents that state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The relation type: `agreement`, `part_of`, `located_in`, `event`, `donation`, `award`,
    /// `issued`, `cited` or `post`.
    pub rel: &'static str,
    /// What the relation says, one value per spelling: the agreement's topic, the event's kind,
    /// the award's name, the post's title, the legal document's number.
    pub labels: Vec<String>,
    /// The supporting documents: document id -> date (the relation's own date, else the
    /// document's date; empty when neither is known).
    pub docs: BTreeMap<String, String>,
}

impl Edge {
    /// The number of supporting documents.
    pub fn weight(&self) -> usize {
        self.docs.len()
    }

    /// The earliest date of the support, or empty.
    pub fn first(&self) -> &str {
        self.docs
            .values()
            .filter(|d| !d.is_empty())
            .min()
            .map_or("", String::as_str)
    }

    /// The latest date of the support, or empty.
    pub fn last(&self) -> &str {
        self.docs
            .values()
            .filter(|d| !d.is_empty())
            .max()
            .map_or("", String::as_str)
    }

    /// Whether the relation has no direction (its source is the smaller IRI).
    pub fn symmetric(&self) -> bool {
        matches!(self.rel, "agreement" | "event")
    }
}

/// A projected graph: nodes sorted by IRI, edges sorted by (source, target, type), so that
/// every export of the same store is byte-identical.
#[derive(Debug)]
pub struct Projection {
    /// The view it was projected with.
    pub view: View,
    /// The graph (undirected for analysis; an edge's endpoints keep its relation's direction).
    pub graph: UnGraph<Node, Edge>,
    /// Its metrics, computed on first use.
    metrics: OnceLock<Metrics>,
}

impl Projection {
    /// A projection of `graph`, whose nodes and edges must already be in their canonical order.
    pub fn new(view: View, graph: UnGraph<Node, Edge>) -> Self {
        Projection {
            view,
            graph,
            metrics: OnceLock::new(),
        }
    }

    /// The metrics of every node (degree, PageRank, betweenness, community), computed once.
    pub fn metrics(&self) -> &Metrics {
        self.metrics.get_or_init(|| Metrics::compute(&self.graph))
    }

    /// The node with this IRI.
    pub fn find(&self, iri: &str) -> Option<NodeIndex> {
        // nodes are sorted by IRI
        let n = self.graph.node_count();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.graph[NodeIndex::new(mid)].iri.as_str().cmp(iri) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(NodeIndex::new(mid)),
            }
        }
        None
    }

    /// The part of the projection within `hops` edges of `centre`, at most `max_nodes` of it
    /// (the nearest first, then the highest PageRank), carrying the metrics of the whole
    /// projection rather than metrics recomputed on the part: a node's PageRank or community
    /// in a neighbourhood is the one `vnkg graph rank` and `communities` report.
    pub fn around(&self, centre: NodeIndex, hops: usize, max_nodes: usize) -> Projection {
        let g = &self.graph;
        let m = self.metrics();
        let dist = project::distances(g, centre, hops);
        let mut near: Vec<usize> = (0..g.node_count())
            .filter(|&v| dist[v] != usize::MAX)
            .collect();
        near.sort_by(|&a, &b| {
            dist[a]
                .cmp(&dist[b])
                .then(m.pagerank[b].total_cmp(&m.pagerank[a]))
                .then(a.cmp(&b))
        });
        near.truncate(max_nodes.max(1));
        near.sort_unstable();
        let mut keep = vec![false; g.node_count()];
        for &v in &near {
            keep[v] = true;
        }
        let part = g.filter_map(
            |i, n| keep[i.index()].then(|| n.clone()),
            |_, e| Some(e.clone()),
        );
        let pick = |x: &[f64]| near.iter().map(|&v| x[v]).collect::<Vec<f64>>();
        let metrics = Metrics {
            degree: near.iter().map(|&v| m.degree[v]).collect(),
            strength: pick(&m.strength),
            pagerank: pick(&m.pagerank),
            betweenness: pick(&m.betweenness),
            betweenness_exact: m.betweenness_exact,
            community: near.iter().map(|&v| m.community[v]).collect(),
            modularity: m.modularity,
        };
        Projection {
            view: self.view,
            graph: part,
            metrics: OnceLock::from(metrics),
        }
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
