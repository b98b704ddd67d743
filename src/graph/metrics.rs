//! Node metrics on the projection, each in O(edges) per pass: degree, PageRank (a weighted
//! power iteration) and betweenness (Brandes, on hop counts), plus the communities of
//! [`super::communities`].
//!
//! They run on [`Adjacency`], a compressed adjacency list of the simple undirected graph under
//! the projection: parallel edges (two relation types between the same two entities) are one
//! neighbour whose weight is the sum of their weights (supporting documents).
//!
//! petgraph's own `page_rank` visits every pair of nodes (quadratic: 180 ms at 2,000 nodes),
//! and petgraph has no betweenness, hence these.

use super::communities;
use super::rng::Rng;
use super::{Edge, Node};
use petgraph::graph::UnGraph;
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, VecDeque};

/// PageRank's damping factor.
pub const DAMPING: f64 = 0.85;
/// PageRank stops after this many iterations at most...
pub const PAGERANK_MAX_ITERATIONS: usize = 200;
/// ... or once the scores move by less than this in total (L1).
pub const PAGERANK_TOLERANCE: f64 = 1e-10;
/// Betweenness is exact up to this many nodes; above, it is estimated from
/// [`BETWEENNESS_SAMPLES`] source nodes drawn with a fixed seed.
pub const BETWEENNESS_EXACT_MAX_NODES: usize = 5_000;
/// How many sources the betweenness estimate uses on larger graphs.
pub const BETWEENNESS_SAMPLES: usize = 64;
/// The seed of every random choice (betweenness sources, Louvain's node order).
pub const SEED: u64 = 42;

/// A simple undirected weighted graph as compressed adjacency lists (no self-loops).
#[derive(Debug, Clone)]
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Adjacency {
    /// The graph of `n` nodes and these edges `(a, b, weight)`; parallel edges are summed and
    /// self-loops dropped. Neighbours are listed in increasing order.
    pub fn new(n: usize, edges: impl IntoIterator<Item = (usize, usize, f64)>) -> Self {
        let mut pairs: Vec<(u32, u32, f64)> = Vec::new();
        for (a, b, w) in edges {
            if a != b && a < n && b < n {
                pairs.push((a as u32, b as u32, w));
                pairs.push((b as u32, a as u32, w));
            }
        }
        pairs.sort_unstable_by_key(|x| (x.0, x.1));
        let mut offsets = vec![0usize; n + 1];
        let mut targets = Vec::with_capacity(pairs.len());
        let mut weights: Vec<f64> = Vec::with_capacity(pairs.len());
        let mut last: Option<(u32, u32)> = None;
        for (a, b, w) in pairs {
            if last == Some((a, b)) {
                *weights.last_mut().expect("a previous edge") += w;
                continue;
            }
            last = Some((a, b));
            targets.push(b);
            weights.push(w);
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Adjacency {
            offsets,
            targets,
            weights,
        }
    }

    /// The adjacency of a projection, weighted by supporting documents.
    pub fn of(graph: &UnGraph<Node, Edge>) -> Self {
        Adjacency::new(
            graph.node_count(),
            graph.edge_references().map(|e| {
                (
                    e.source().index(),
                    e.target().index(),
                    e.weight().weight() as f64,
                )
            }),
        )
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of (undirected) edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// The neighbours of `v` and the weights of the edges to them.
    pub fn neighbours(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[v]..self.offsets[v + 1];
        self.targets[r.clone()]
            .iter()
            .zip(&self.weights[r])
            .map(|(&t, &w)| (t as usize, w))
    }

    /// The number of distinct neighbours of `v`.
    pub fn degree(&self, v: usize) -> usize {
        self.offsets[v + 1] - self.offsets[v]
    }

    /// The sum of the weights of `v`'s edges.
    pub fn strength(&self, v: usize) -> f64 {
        self.weights[self.offsets[v]..self.offsets[v + 1]]
            .iter()
            .sum()
    }
}

/// Every metric of every node of a projection, by node index.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Distinct neighbours.
    pub degree: Vec<usize>,
    /// Weighted degree: the supporting documents of the node's edges, summed.
    pub strength: Vec<f64>,
    /// Weighted PageRank (sums to 1).
    pub pagerank: Vec<f64>,
    /// Betweenness on hop counts, normalised to 0..1 as networkx does for undirected graphs.
    pub betweenness: Vec<f64>,
    /// Whether the betweenness is exact (else estimated from sampled sources).
    pub betweenness_exact: bool,
    /// Community of each node (Louvain; 0 is the largest).
    pub community: Vec<usize>,
    /// Modularity of the communities.
    pub modularity: f64,
}

impl Metrics {
    /// Computes every metric of `graph`.
    pub fn compute(graph: &UnGraph<Node, Edge>) -> Self {
        let adj = Adjacency::of(graph);
        let (betweenness, betweenness_exact) = betweenness(&adj);
        let c = communities::louvain(&adj, SEED);
        Metrics {
            degree: (0..adj.len()).map(|v| adj.degree(v)).collect(),
            strength: (0..adj.len()).map(|v| adj.strength(v)).collect(),
            pagerank: pagerank(&adj),
            betweenness,
            betweenness_exact,
            community: c.membership,
            modularity: c.modularity,
        }
    }
}

/// Weighted PageRank by power iteration, O(edges) per iteration: each node passes `DAMPING` of
/// its score to its neighbours in proportion to the edge weights; an isolated node's score
/// is spread over all nodes; the rest is teleportation. Scores sum to 1.
pub fn pagerank(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = (0..n).map(|v| adj.strength(v)).collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let dangling: f64 = (0..n)
            .filter(|&v| strength[v] <= 0.0)
            .map(|v| rank[v])
            .sum();
        let base = (1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64;
        next.iter_mut().for_each(|x| *x = base);
        for v in 0..n {
            if strength[v] > 0.0 {
                let share = DAMPING * rank[v] / strength[v];
                for (w, wt) in adj.neighbours(v) {
                    next[w] += share * wt;
                }
            }
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < PAGERANK_TOLERANCE {
            break;
        }
    }
    rank
}

/// Betweenness centrality by Brandes' algorithm on hop counts (edge weights ignored: a chain
/// of relations is as short as its number of steps), normalised by (n-1)(n-2) like networkx's
/// `betweenness_centrality` on an undirected graph. Exact up to
/// [`BETWEENNESS_EXACT_MAX_NODES`] nodes; above, estimated from [`BETWEENNESS_SAMPLES`] sources
/// drawn with [`SEED`] and scaled by n / samples. Returns the scores and whether they are exact.
pub fn betweenness(adj: &Adjacency) -> (Vec<f64>, bool) {
    let n = adj.len();
    if n <= BETWEENNESS_EXACT_MAX_NODES {
        let all: Vec<usize> = (0..n).collect();
        (brandes(adj, &all, 1.0), true)
    } else {
        let mut order: Vec<usize> = (0..n).collect();
        Rng::new(SEED).shuffle(&mut order);
        order.truncate(BETWEENNESS_SAMPLES);
        order.sort_unstable();
        let scale = n as f64 / BETWEENNESS_SAMPLES as f64;
        (brandes(adj, &order, scale), false)
    }
}

/// Brandes' accumulation from `sources`, scaled by `scale` and normalised.
pub fn brandes(adj: &Adjacency, sources: &[usize], scale: f64) -> Vec<f64> {
    let n = adj.len();
    let mut bc = vec![0.0f64; n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![u32::MAX; n];
    let mut delta = vec![0.0f64; n];
    let mut stack: Vec<usize> = Vec::with_capacity(n);
    let mut queue = VecDeque::with_capacity(n);
    for &s in sources {
        for &v in &stack {
            sigma[v] = 0.0;
            dist[v] = u32::MAX;
            delta[v] = 0.0;
        }
        stack.clear();
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for (w, _) in adj.neighbours(v) {
                if dist[w] == u32::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        // predecessors are the neighbours one step closer: no lists needed
        for &w in stack.iter().rev() {
            let coeff = (1.0 + delta[w]) / sigma[w];
            for (v, _) in adj.neighbours(w) {
                if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] * coeff;
                }
            }
            if w != s {
                bc[w] += delta[w];
            }
        }
    }
    let norm = if n > 2 {
        scale / ((n - 1) as f64 * (n - 2) as f64)
    } else {
        0.0
    };
    bc.iter_mut().for_each(|x| *x *= norm);
    bc
}

/// The nodes ordered by a score, highest first (ties: lower index, i.e. smaller IRI).
pub fn ranking(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order
}

/// Counts how many nodes hold each value (for summaries).
pub fn histogram<T: std::hash::Hash + Eq + Clone>(values: &[T]) -> HashMap<T, usize> {
    let mut h = HashMap::new();
    for v in values {
        *h.entry(v.clone()).or_default() += 1;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// A path 0 - 1 - 2 - 3 - 4.
    fn path5() -> Adjacency {
        Adjacency::new(5, (0..4).map(|i| (i, i + 1, 1.0)))
    }

    /// A star: 0 in the middle of 1..=4.
    fn star() -> Adjacency {
        Adjacency::new(5, (1..5).map(|i| (0, i, 1.0)))
    }

    #[test]
    fn parallel_edges_are_one_neighbour_with_summed_weight() {
        let a = Adjacency::new(3, [(0, 1, 1.0), (1, 0, 2.0), (1, 2, 1.0), (2, 2, 5.0)]);
        assert_eq!(a.degree(0), 1);
        assert_eq!(a.degree(1), 2);
        assert_eq!(a.degree(2), 1, "the self-loop is dropped");
        assert!(close(a.strength(1), 4.0));
        assert_eq!(a.neighbours(1).collect::<Vec<_>>(), [(0, 3.0), (2, 1.0)]);
        assert_eq!(a.edge_count(), 2);
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // path: node 1 lies on the shortest paths of (0,2) (0,3) (0,4): 3 pairs; node 2 on
        // (0,3) (0,4) (1,3) (1,4): 4 pairs; normalised by (n-1)(n-2)/2 = 6
        let (b, exact) = betweenness(&path5());
        assert!(exact);
        let want = [0.0, 3.0 / 6.0, 4.0 / 6.0, 3.0 / 6.0, 0.0];
        for (x, y) in b.iter().zip(want) {
            assert!(close(*x, y), "{b:?}");
        }
        // star: the centre is on every one of the 6 leaf pairs
        let (b, _) = betweenness(&star());
        assert!(
            close(b[0], 1.0) && b[1..].iter().all(|&x| x == 0.0),
            "{b:?}"
        );
    }

    #[test]
    fn betweenness_splits_between_equal_shortest_paths() {
        // a square 0-1-2-3-0: 0 and 2 are joined by two paths, through 1 and through 3
        let sq = Adjacency::new(4, [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)]);
        let (b, _) = betweenness(&sq);
        // each node is on half of one pair's paths: 0.5 / ((3*2)/2)
        assert!(b.iter().all(|&x| close(x, 0.5 / 3.0)), "{b:?}");
    }

    #[test]
    fn sampled_betweenness_with_every_source_is_exact() {
        let a = path5();
        let all: Vec<usize> = (0..5).collect();
        assert_eq!(brandes(&a, &all, 1.0), betweenness(&a).0);
    }

    #[test]
    fn pagerank_of_a_star_and_symmetry() {
        // star with 4 leaves: centre c, leaves l; c = 0.15/5 + 0.85 * 4l, l = 0.15/5 + 0.85 c/4
        let pr = pagerank(&star());
        let l = (0.15 / 5.0) * (1.0 + 0.85 / 4.0) / (1.0 - 0.85 * 0.85);
        let c = 0.15 / 5.0 + 0.85 * 4.0 * l;
        assert!(close(pr[0], c), "{pr:?} {c}");
        assert!(pr[1..].iter().all(|&x| close(x, l)));
        assert!(close(pr.iter().sum::<f64>(), 1.0));
        // path: symmetric ends
        let pr = pagerank(&path5());
        assert!(close(pr[0], pr[4]) && close(pr[1], pr[3]) && pr[1] > pr[0]);
    }

    #[test]
    fn pagerank_follows_weights_and_spreads_isolated_nodes() {
        // 0 -(3)- 1 -(1)- 2, and 3 alone
        let a = Adjacency::new(4, [(0, 1, 3.0), (1, 2, 1.0)]);
        let pr = pagerank(&a);
        assert!(pr[0] > pr[2], "the heavier edge carries more: {pr:?}");
        assert!(close(pr.iter().sum::<f64>(), 1.0));
        // an undirected graph's PageRank without teleportation is proportional to strength;
        // with it, the isolated node still gets its teleport share and the dangling share
        assert!(pr[3] > 0.0 && pr[3] < pr[2]);
    }

    #[test]
    fn ranking_breaks_ties_by_index() {
        assert_eq!(ranking(&[1.0, 3.0, 3.0, 0.5]), [1, 2, 0, 3]);
    }
}
