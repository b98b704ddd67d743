//! GraphML, plain: keys declared once (ids `v_*` for nodes, `e_*` for edges, never equal to a
//! node or edge id), one `<data>` per attribute.

use super::{edge_id, node_id, score, xml_escape};
use crate::graph::Projection;
use petgraph::visit::EdgeRef;
use std::io::Write;

/// Node attributes: (key id, name, GraphML type).
const NODE_KEYS: [(&str, &str, &str); 11] = [
    ("v_label", "label", "string"),
    ("v_iri", "iri", "string"),
    ("v_class", "class", "string"),
    ("v_kind", "kind", "string"),
    ("v_province", "province", "string"),
    ("v_documents", "documents", "int"),
    ("v_degree", "degree", "int"),
    ("v_strength", "strength", "double"),
    ("v_pagerank", "pagerank", "double"),
    ("v_betweenness", "betweenness", "double"),
    ("v_community", "community", "int"),
];

/// Edge attributes: (key id, name, GraphML type).
const EDGE_KEYS: [(&str, &str, &str); 6] = [
    ("e_relation", "relation", "string"),
    ("e_label", "label", "string"),
    ("e_weight", "weight", "double"),
    ("e_first", "first", "string"),
    ("e_last", "last", "string"),
    ("e_docs", "docs", "string"),
];

/// Writes the projection as GraphML (undirected; an edge's source and target keep its
/// relation's direction).
pub fn graphml(p: &Projection, out: &mut dyn Write) -> std::io::Result<()> {
    let g = &p.graph;
    let m = p.metrics();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, name, ty) in NODE_KEYS {
        writeln!(
            out,
            r#"  <key id="{id}" for="node" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    for (id, name, ty) in EDGE_KEYS {
        writeln!(
            out,
            r#"  <key id="{id}" for="edge" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="vnkg-{}" edgedefault="undirected">"#,
        p.view.name()
    )?;
    for i in g.node_indices() {
        let n = &g[i];
        let v = i.index();
        let values = [
            xml_escape(&n.label),
            xml_escape(&n.iri),
            n.class.to_string(),
            xml_escape(&n.kind),
            xml_escape(&n.province),
            n.documents.to_string(),
            m.degree[v].to_string(),
            m.strength[v].to_string(),
            score(m.pagerank[v]),
            score(m.betweenness[v]),
            m.community[v].to_string(),
        ];
        write!(out, r#"    <node id="{}">"#, node_id(v))?;
        for ((key, _, _), value) in NODE_KEYS.iter().zip(values) {
            if !value.is_empty() {
                write!(out, r#"<data key="{key}">{value}</data>"#)?;
            }
        }
        writeln!(out, "</node>")?;
    }
    for e in g.edge_references() {
        let w = e.weight();
        let docs: Vec<&str> = w.docs.keys().map(String::as_str).collect();
        let values = [
            w.rel.to_string(),
            xml_escape(&w.labels.join(" | ")),
            w.weight().to_string(),
            w.first().to_string(),
            w.last().to_string(),
            xml_escape(&docs.join(" | ")),
        ];
        write!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            edge_id(e.id().index()),
            node_id(e.source().index()),
            node_id(e.target().index())
        )?;
        for ((key, _, _), value) in EDGE_KEYS.iter().zip(values) {
            if !value.is_empty() {
                write!(out, r#"<data key="{key}">{value}</data>"#)?;
            }
        }
        writeln!(out, "</edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}
