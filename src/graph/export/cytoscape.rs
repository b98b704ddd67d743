//! Cytoscape.js elements JSON, also the data of the HTML view and of `vnkg serve`.

use super::{edge_id, kind_colour, node_id, rounded};
use crate::graph::Projection;
use petgraph::visit::EdgeRef;
use serde_json::{json, Value};

/// The projection as Cytoscape.js elements:
/// `{"elements": {"nodes": [{"data": {id, label, kind, class, province, iri, documents, degree,
/// strength, pagerank, betweenness, community, color}}], "edges": [{"data": {id, source,
/// target, type, label, weight, first, last, docs: [ids], dates: [dates of docs]}}]}}`, plus
/// `"view"` and, under `"data"`, the graph's modularity and whether betweenness is exact.
/// Keys are sorted, so the JSON is byte-identical for the same store.
pub fn cytoscape(p: &Projection) -> Value {
    let g = &p.graph;
    let m = p.metrics();
    let nodes: Vec<Value> = g
        .node_indices()
        .map(|i| {
            let n = &g[i];
            let v = i.index();
            json!({"data": {
                "id": node_id(v),
                "label": n.label,
                "kind": n.kind,
                "class": n.class,
                "province": n.province,
                "iri": n.iri,
                "documents": n.documents,
                "degree": m.degree[v],
                "strength": m.strength[v],
                "pagerank": rounded(m.pagerank[v]),
                "betweenness": rounded(m.betweenness[v]),
                "community": m.community[v],
                "color": kind_colour(&n.kind),
            }})
        })
        .collect();
    let edges: Vec<Value> = g
        .edge_references()
        .map(|e| {
            let w = e.weight();
            json!({"data": {
                "id": edge_id(e.id().index()),
                "source": node_id(e.source().index()),
                "target": node_id(e.target().index()),
                "type": w.rel,
                "label": w.labels.join(" | "),
                "weight": w.weight(),
                "first": w.first(),
                "last": w.last(),
                "docs": w.docs.keys().collect::<Vec<_>>(),
                "dates": w.docs.values().collect::<Vec<_>>(),
                "directed": !w.symmetric(),
            }})
        })
        .collect();
    json!({
        "view": p.view.name(),
        "data": {
            "modularity": rounded(m.modularity),
            "betweenness_exact": m.betweenness_exact,
        },
        "elements": {"nodes": nodes, "edges": edges},
    })
}
