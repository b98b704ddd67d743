//! `vnkg graph path A B`: the shortest chains of relations between two entities (fewest steps,
//! whatever the weights), each step with the relations that make it and the documents that
//! support them.

use super::{Edge, Node, Projection};
use crate::rdf::vocab::ID;
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use std::collections::VecDeque;
use std::io::Write;

/// At most this many documents are listed per relation in the text output.
const DOCS_SHOWN: usize = 5;

/// A shortest chain: its nodes from A to B, and for each step the edges joining its two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// The nodes, A first.
    pub nodes: Vec<NodeIndex>,
    /// `steps[i]`: the edges between `nodes[i]` and `nodes[i + 1]`, in edge order.
    pub steps: Vec<Vec<EdgeIndex>>,
}

/// Hop distances from `from` to every node (`usize::MAX`: unreachable).
fn distances<N, E>(graph: &UnGraph<N, E>, from: NodeIndex) -> Vec<usize> {
    let mut dist = vec![usize::MAX; graph.node_count()];
    dist[from.index()] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for w in graph.neighbors(v) {
            if dist[w.index()] == usize::MAX {
                dist[w.index()] = dist[v.index()] + 1;
                queue.push_back(w);
            }
        }
    }
    dist
}

/// Distinct neighbours of `v` in index order.
fn sorted_neighbours<N, E>(graph: &UnGraph<N, E>, v: NodeIndex) -> Vec<NodeIndex> {
    let mut n: Vec<NodeIndex> = graph.neighbors(v).collect();
    n.sort_unstable();
    n.dedup();
    n
}

/// At most this many shortest chains are enumerated before the best are picked.
pub const CHAINS_ENUMERATED: usize = 10_000;

/// The shortest chains from `a` to `b`, at most `max`: the best supported first (the most
/// relations along the chain, see [`Chain::relations`]), then in the order of their nodes'
/// indices (i.e. of their IRIs). None when `b` cannot be reached; `a == b` gives the one-node
/// chain. Up to [`CHAINS_ENUMERATED`] chains are compared.
pub fn shortest<N, E>(graph: &UnGraph<N, E>, a: NodeIndex, b: NodeIndex, max: usize) -> Vec<Chain> {
    let mut all = enumerate(graph, a, b, CHAINS_ENUMERATED.max(max));
    // stable: equal chains keep their index order
    all.sort_by_key(|c| std::cmp::Reverse(c.relations()));
    all.truncate(max);
    all
}

impl Chain {
    /// How many relations (edges) make the chain: a step joined by an agreement and an event
    /// counts two.
    pub fn relations(&self) -> usize {
        self.steps.iter().map(Vec::len).sum()
    }
}

/// The first `max` shortest chains in index order.
fn enumerate<N, E>(graph: &UnGraph<N, E>, a: NodeIndex, b: NodeIndex, max: usize) -> Vec<Chain> {
    let to_b = distances(graph, b);
    if to_b[a.index()] == usize::MAX || max == 0 {
        return Vec::new();
    }
    // walk from a, always one step closer to b, depth first in index order
    let mut chains = Vec::new();
    let mut pending: Vec<Vec<NodeIndex>> = vec![vec![a]];
    while let Some(nodes) = pending.pop() {
        let v = *nodes.last().expect("a chain has a node");
        if v == b {
            chains.push(nodes);
            if chains.len() == max {
                break;
            }
            continue;
        }
        let d = to_b[v.index()];
        let next: Vec<NodeIndex> = sorted_neighbours(graph, v)
            .into_iter()
            .filter(|w| to_b[w.index()] + 1 == d)
            .collect();
        // pushed in reverse so that the smallest index is walked first
        for w in next.into_iter().rev() {
            let mut n = nodes.clone();
            n.push(w);
            pending.push(n);
        }
    }
    chains
        .into_iter()
        .map(|nodes| {
            let steps = nodes
                .windows(2)
                .map(|p| {
                    let mut e: Vec<EdgeIndex> = graph
                        .edges(p[0])
                        .filter(|e| {
                            let (s, t) = (e.source(), e.target());
                            (s == p[0] && t == p[1]) || (s == p[1] && t == p[0])
                        })
                        .map(|e| e.id())
                        .collect();
                    e.sort_unstable();
                    e
                })
                .collect();
            Chain { nodes, steps }
        })
        .collect()
}

/// An IRI written short (`id:org/...`).
fn short(iri: &str) -> String {
    match iri.strip_prefix(ID) {
        Some(rest) => format!("id:{rest}"),
        None => iri.to_string(),
    }
}

fn node_line(n: &Node) -> String {
    let province = if n.province.is_empty() || n.province == n.label {
        String::new()
    } else {
        format!(", {}", n.province)
    };
    format!("{}  ({}{province})  {}", n.label, n.kind, short(&n.iri))
}

fn edge_line(e: &Edge, forward: bool) -> String {
    let arrow = if e.symmetric() {
        "--"
    } else if forward {
        "->"
    } else {
        "<-"
    };
    let labels = if e.labels.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", e.labels.join("\" | \""))
    };
    let docs: Vec<String> = e
        .docs
        .iter()
        .take(DOCS_SHOWN)
        .map(|(d, date)| {
            if date.is_empty() {
                d.clone()
            } else {
                format!("{d} ({date})")
            }
        })
        .collect();
    let more = if e.docs.len() > DOCS_SHOWN {
        format!(" and {} more", e.docs.len() - DOCS_SHOWN)
    } else {
        String::new()
    };
    format!(
        "{arrow} {}{labels}: {} document(s): {}{more}",
        e.rel,
        e.weight(),
        docs.join(", ")
    )
}

/// Writes the chains as text: each node on its own line, each step between them with its
/// relations (type, direction, labels) and their documents.
pub fn write_chains(p: &Projection, chains: &[Chain], out: &mut dyn Write) -> std::io::Result<()> {
    let g = &p.graph;
    for (i, c) in chains.iter().enumerate() {
        writeln!(
            out,
            "chain {} of {} ({} step{}):",
            i + 1,
            chains.len(),
            c.steps.len(),
            if c.steps.len() == 1 { "" } else { "s" }
        )?;
        for (k, &v) in c.nodes.iter().enumerate() {
            writeln!(out, "  {}", node_line(&g[v]))?;
            if let Some(edges) = c.steps.get(k) {
                for &e in edges {
                    let (s, _) = g.edge_endpoints(e).expect("an edge of the graph");
                    writeln!(out, "      {}", edge_line(&g[e], s == v))?;
                }
            }
        }
    }
    Ok(())
}

/// The chains as JSON: a list of chains, each a list of nodes (iri, label, kind) and of steps
/// (the relations with type, direction, labels, weight, first, last, documents).
pub fn chains_json(p: &Projection, chains: &[Chain]) -> serde_json::Value {
    let g = &p.graph;
    let list: Vec<serde_json::Value> = chains
        .iter()
        .map(|c| {
            let nodes: Vec<serde_json::Value> = c
                .nodes
                .iter()
                .map(|&v| {
                    serde_json::json!({"iri": g[v].iri, "label": g[v].label, "kind": g[v].kind})
                })
                .collect();
            let steps: Vec<serde_json::Value> = c
                .steps
                .iter()
                .enumerate()
                .map(|(k, edges)| {
                    let rels: Vec<serde_json::Value> = edges
                        .iter()
                        .map(|&e| {
                            let (s, t) = g.edge_endpoints(e).expect("an edge of the graph");
                            let ed = &g[e];
                            serde_json::json!({
                                "type": ed.rel,
                                "source": g[s].iri,
                                "target": g[t].iri,
                                "labels": ed.labels,
                                "weight": ed.weight(),
                                "first": ed.first(),
                                "last": ed.last(),
                                "docs": ed.docs.iter().map(|(d, date)| serde_json::json!({"id": d, "date": date})).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    serde_json::json!({"from": g[c.nodes[k]].iri, "to": g[c.nodes[k + 1]].iri, "relations": rels})
                })
                .collect();
            serde_json::json!({"nodes": nodes, "steps": steps})
        })
        .collect();
    serde_json::Value::Array(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0 - 1 - 3, 0 - 2 - 3 (two shortest chains), 3 - 4, and 5 alone; 0 - 1 twice.
    fn diamond() -> UnGraph<(), &'static str> {
        let mut g = UnGraph::new_undirected();
        let n: Vec<NodeIndex> = (0..6).map(|_| g.add_node(())).collect();
        g.add_edge(n[0], n[1], "a");
        g.add_edge(n[1], n[0], "b");
        g.add_edge(n[1], n[3], "c");
        g.add_edge(n[0], n[2], "d");
        g.add_edge(n[2], n[3], "e");
        g.add_edge(n[3], n[4], "f");
        g
    }

    #[test]
    fn every_shortest_chain_in_index_order_with_parallel_edges() {
        let g = diamond();
        let c = shortest(&g, NodeIndex::new(0), NodeIndex::new(4), 10);
        let nodes: Vec<Vec<usize>> = c
            .iter()
            .map(|c| c.nodes.iter().map(|n| n.index()).collect())
            .collect();
        // the chain through 1 has two relations on its first step: it comes first
        assert_eq!(nodes, [vec![0, 1, 3, 4], vec![0, 2, 3, 4]]);
        assert_eq!((c[0].relations(), c[1].relations()), (4, 3));
        let first: Vec<Vec<&str>> = c[0]
            .steps
            .iter()
            .map(|s| s.iter().map(|&e| g[e]).collect())
            .collect();
        assert_eq!(first, [vec!["a", "b"], vec!["c"], vec!["f"]]);
        assert_eq!(
            shortest(&g, NodeIndex::new(0), NodeIndex::new(4), 1).len(),
            1
        );
    }

    #[test]
    fn better_supported_chains_come_first() {
        // 0 - 1 - 3 once, 0 - 2 - 3 with two relations on the last step
        let mut g: UnGraph<(), &str> = UnGraph::new_undirected();
        let n: Vec<NodeIndex> = (0..4).map(|_| g.add_node(())).collect();
        g.add_edge(n[0], n[1], "a");
        g.add_edge(n[1], n[3], "b");
        g.add_edge(n[0], n[2], "c");
        g.add_edge(n[2], n[3], "d");
        g.add_edge(n[3], n[2], "e");
        let c = shortest(&g, n[0], n[3], 10);
        assert_eq!(c[0].nodes, [n[0], n[2], n[3]]);
        assert_eq!(c[1].nodes, [n[0], n[1], n[3]]);
        assert_eq!(shortest(&g, n[0], n[3], 1)[0].nodes, [n[0], n[2], n[3]]);
    }

    #[test]
    fn unreachable_and_trivial_chains() {
        let g = diamond();
        assert!(shortest(&g, NodeIndex::new(0), NodeIndex::new(5), 10).is_empty());
        let c = shortest(&g, NodeIndex::new(2), NodeIndex::new(2), 10);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].nodes, [NodeIndex::new(2)]);
        assert!(c[0].steps.is_empty());
    }
}
