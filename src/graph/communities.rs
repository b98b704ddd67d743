//! Communities by the Louvain method (Blondel et al. 2008): move single nodes to the
//! neighbouring community that gains the most modularity until none gains, fold each community
//! into one node, repeat. Nodes are visited in an order shuffled with a fixed seed, ties go to
//! the community met first, and communities are numbered by size (largest first, then by
//! their smallest node), so the same graph always gives the same communities.

use super::metrics::Adjacency;
use super::rng::Rng;
use std::collections::BTreeMap;

/// Communities of a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// The community of each node: 0 is the largest.
    pub membership: Vec<usize>,
    /// The modularity of this partition (weighted, resolution 1).
    pub modularity: f64,
}

/// A weighted graph with self-loops, as Louvain folds it.
struct Level {
    /// Neighbours (no self-loops) with weights.
    adj: Vec<Vec<(usize, f64)>>,
    /// Weight of each node's self-loop (edges folded inside it).
    inner: Vec<f64>,
}

impl Level {
    fn degree(&self, v: usize) -> f64 {
        self.adj[v].iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * self.inner[v]
    }
}

/// The Louvain communities of `adj`, seeded with `seed`.
pub fn louvain(adj: &Adjacency, seed: u64) -> Communities {
    let n = adj.len();
    let mut level = Level {
        adj: (0..n).map(|v| adj.neighbours(v).collect()).collect(),
        inner: vec![0.0; n],
    };
    let two_m: f64 = (0..n).map(|v| level.degree(v)).sum();
    // membership of the original nodes in the current level's nodes
    let mut membership: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(seed);
    if two_m > 0.0 {
        loop {
            let (moved, comm) = one_level(&level, two_m, &mut rng);
            if !moved {
                break;
            }
            let (renum, count) = renumber(&comm);
            for m in membership.iter_mut() {
                *m = renum[comm[*m]];
            }
            level = fold(&level, &comm, &renum, count);
        }
    }
    let membership = by_size(&membership);
    let modularity = modularity(adj, &membership);
    Communities {
        membership,
        modularity,
    }
}

/// One Louvain pass over `level`: returns whether any node moved and each node's community.
fn one_level(level: &Level, two_m: f64, rng: &mut Rng) -> (bool, Vec<usize>) {
    let n = level.adj.len();
    let k: Vec<f64> = (0..n).map(|v| level.degree(v)).collect();
    let mut comm: Vec<usize> = (0..n).collect();
    let mut tot: Vec<f64> = k.clone();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut moved_any = false;
    // weights from the node being moved to each neighbouring community
    let mut to: Vec<f64> = vec![0.0; n];
    let mut seen: Vec<usize> = Vec::new();
    let mut is_seen: Vec<bool> = vec![false; n];
    loop {
        let mut moved = 0usize;
        for &v in &order {
            let own = comm[v];
            seen.clear();
            for &(w, wt) in &level.adj[v] {
                let c = comm[w];
                if !is_seen[c] {
                    is_seen[c] = true;
                    seen.push(c);
                }
                to[c] += wt;
            }
            // take v out of its community
            tot[own] -= k[v];
            let gain = |c: usize, links: f64| links - tot[c] * k[v] / two_m;
            let mut best = own;
            let mut best_gain = gain(own, to[own]);
            for &c in &seen {
                let g = gain(c, to[c]);
                if g > best_gain + 1e-12 {
                    best = c;
                    best_gain = g;
                }
            }
            tot[best] += k[v];
            if best != own {
                comm[v] = best;
                moved += 1;
            }
            for &c in &seen {
                to[c] = 0.0;
                is_seen[c] = false;
            }
            to[own] = 0.0;
        }
        if moved == 0 {
            break;
        }
        moved_any = true;
    }
    (moved_any, comm)
}

/// Community ids made dense (0..count), in order of first appearance.
fn renumber(comm: &[usize]) -> (Vec<usize>, usize) {
    let mut map = vec![usize::MAX; comm.len()];
    let mut next = 0;
    for &c in comm {
        if map[c] == usize::MAX {
            map[c] = next;
            next += 1;
        }
    }
    (map, next)
}

/// The graph of the communities: one node each, edges summed, inner edges as self-loops.
/// `comm` is each node's community, `renum` its dense number.
fn fold(level: &Level, comm: &[usize], renum: &[usize], count: usize) -> Level {
    let mut inner = vec![0.0; count];
    let mut maps: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); count];
    for (v, edges) in level.adj.iter().enumerate() {
        let cv = renum[comm[v]];
        inner[cv] += level.inner[v];
        for &(w, wt) in edges {
            let cw = renum[comm[w]];
            if cv == cw {
                // each inner edge is seen from both ends
                inner[cv] += wt / 2.0;
            } else {
                *maps[cv].entry(cw).or_default() += wt;
            }
        }
    }
    Level {
        adj: maps.into_iter().map(|m| m.into_iter().collect()).collect(),
        inner,
    }
}

/// Renumbers communities by size, largest first, then by their smallest node.
fn by_size(membership: &[usize]) -> Vec<usize> {
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; count];
    let mut first = vec![usize::MAX; count];
    for (v, &c) in membership.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(v);
    }
    let mut order: Vec<usize> = (0..count).filter(|&c| size[c] > 0).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut rank = vec![0; count];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    membership.iter().map(|&c| rank[c]).collect()
}

/// The weighted modularity of a partition: the sum over communities of (inner weight / m) -
/// (total degree / 2m)^2.
pub fn modularity(adj: &Adjacency, membership: &[usize]) -> f64 {
    let n = adj.len();
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut inner = vec![0.0; count];
    let mut tot = vec![0.0; count];
    let mut two_m = 0.0;
    for v in 0..n {
        for (w, wt) in adj.neighbours(v) {
            two_m += wt;
            tot[membership[v]] += wt;
            if membership[v] == membership[w] {
                inner[membership[v]] += wt;
            }
        }
    }
    if two_m == 0.0 {
        return 0.0;
    }
    (0..count)
        .map(|c| inner[c] / two_m - (tot[c] / two_m).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two triangles 0-1-2 and 3-4-5 joined by the edge 2-3.
    fn barbell() -> Adjacency {
        Adjacency::new(
            6,
            [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)].map(|(a, b)| (a, b, 1.0)),
        )
    }

    #[test]
    fn two_triangles_are_two_communities() {
        let c = louvain(&barbell(), 42);
        assert_eq!(c.membership, [0, 0, 0, 1, 1, 1]);
        // m = 7; each side: 3 inner edges, degree sum 7: 2 * (3/7 - (7/14)^2) = 5/14
        assert!(
            (c.modularity - 5.0 / 14.0).abs() < 1e-12,
            "{}",
            c.modularity
        );
    }

    #[test]
    fn same_seed_same_communities_and_every_seed_finds_the_cliques() {
        // three 4-cliques in a ring, joined by single edges
        let mut edges = Vec::new();
        for k in 0..3 {
            let b = 4 * k;
            for i in 0..4 {
                for j in i + 1..4 {
                    edges.push((b + i, b + j, 1.0));
                }
            }
            edges.push((b + 3, (b + 4) % 12, 1.0));
        }
        let adj = Adjacency::new(12, edges);
        let first = louvain(&adj, 1);
        assert_eq!(first, louvain(&adj, 1));
        for seed in 0..20 {
            let c = louvain(&adj, seed);
            for k in 0..3 {
                let b = 4 * k;
                assert!(
                    (b..b + 4).all(|v| c.membership[v] == c.membership[b]),
                    "seed {seed}: {:?}",
                    c.membership
                );
            }
            assert_eq!(c.membership.iter().max(), Some(&2));
        }
    }

    #[test]
    fn heavy_edges_pull_nodes_together() {
        // a path 0-1-2-3 where 0-1 and 2-3 are heavy: {0,1} and {2,3}
        let adj = Adjacency::new(4, [(0, 1, 10.0), (1, 2, 1.0), (2, 3, 10.0)]);
        let c = louvain(&adj, 3);
        assert_eq!(c.membership, [0, 0, 1, 1]);
    }

    #[test]
    fn no_edges_no_communities_to_find() {
        let c = louvain(&Adjacency::new(3, []), 0);
        assert_eq!(c.membership, [0, 1, 2]);
        assert_eq!(c.modularity, 0.0);
    }
}
