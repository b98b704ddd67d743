#!/usr/bin/env python3
"""Checks the exports of `vnkg graph` with independent readers (networkx, the csv and json
modules): node and edge counts against `vnkg graph stats --json`, and the metrics vnkg writes
(degree, PageRank, betweenness) against networkx's own on the same GraphML.

Usage: check_graph.py OUTDIR VIEW...
Reads, for each VIEW, OUTDIR/stats-VIEW.json, graph-VIEW.graphml, graph-VIEW.gexf,
csv-VIEW/{nodes,edges}.csv and graph-VIEW.cytoscape.json. Exits 1 on the first mismatch.
"""
import csv
import json
import math
import sys

import networkx as nx


def fail(msg):
    print(f"check_graph: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def same(what, got, want):
    if got != want:
        fail(f"{what}: {got} != {want}")


def pagerank(g):
    """networkx's PageRank; its pure-Python version where numpy and scipy are missing."""
    args = dict(alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    try:
        return nx.pagerank(g, **args)
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g, **args)


def check_view(out, view):
    stats = json.load(open(f"{out}/stats-{view}.json"))
    n, m = stats["nodes"], stats["edges"]
    if n == 0:
        fail(f"{view}: the projection is empty")

    g = nx.read_graphml(f"{out}/graph-{view}.graphml")
    same(f"{view} graphml nodes", g.number_of_nodes(), n)
    same(f"{view} graphml edges", g.number_of_edges(), m)
    if g.is_directed():
        fail(f"{view} graphml: expected an undirected graph")

    x = nx.read_gexf(f"{out}/graph-{view}.gexf")
    same(f"{view} gexf nodes", x.number_of_nodes(), n)
    same(f"{view} gexf edges", x.number_of_edges(), m)
    dated = [d for _, _, d in x.edges(data=True) if d.get("start")]
    if not dated:
        fail(f"{view} gexf: no edge has a time interval")

    with open(f"{out}/csv-{view}/nodes.csv", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(f"{out}/csv-{view}/edges.csv", newline="") as f:
        edges = list(csv.DictReader(f))
    same(f"{view} csv nodes", len(nodes), n)
    same(f"{view} csv edges", len(edges), m)
    ids = {r["id"] for r in nodes}
    for e in edges:
        if e["source"] not in ids or e["target"] not in ids:
            fail(f"{view} csv: edge {e['id']} joins unknown nodes")
        if int(e["weight"]) != len(e["docs"].split(" | ")):
            fail(f"{view} csv: edge {e['id']} weight {e['weight']} is not its number of documents")

    cy = json.load(open(f"{out}/graph-{view}.cytoscape.json"))
    same(f"{view} cytoscape nodes", len(cy["elements"]["nodes"]), n)
    same(f"{view} cytoscape edges", len(cy["elements"]["edges"]), m)

    # metrics, recomputed by networkx on the GraphML: degree (distinct neighbours), weighted
    # PageRank (weights = supporting documents), betweenness (hop counts, normalised)
    for v, d in g.nodes(data=True):
        same(f"{view} degree of {d['label']}", d["degree"], len(set(g.neighbors(v))))
    pr = pagerank(g)
    worst = max(abs(pr[v] - d["pagerank"]) for v, d in g.nodes(data=True))
    if worst > 1e-6:
        fail(f"{view}: PageRank differs from networkx's by {worst}")
    if n <= 5000:
        bc = nx.betweenness_centrality(g, normalized=True)
        worst_b = max(abs(bc[v] - d["betweenness"]) for v, d in g.nodes(data=True))
        if worst_b > 1e-6:
            fail(f"{view}: betweenness differs from networkx's by {worst_b}")
    else:
        worst_b = math.nan
    communities = {}
    for v, d in g.nodes(data=True):
        communities.setdefault(d["community"], set()).add(v)
    q = nx.community.modularity(nx.Graph(g), communities.values(), weight=None)
    print(
        f"check_graph: {view}: {n} nodes, {m} edges read back by networkx (GraphML, GEXF), csv "
        f"and json; PageRank within {worst:.1e} and betweenness within {worst_b:.1e} of "
        f"networkx's; {len(communities)} communities (unweighted modularity {q:.3f})"
    )


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    for view in sys.argv[2:]:
        check_view(sys.argv[1], view)


if __name__ == "__main__":
    main()
