//! GraphML, plain: keys declared once (ids `v_*` for nodes, `e_*` for edges, never equal to a
//! node or edge id), one `<data>` per attribute.

use super::{edge_id, node_id, node_values, xml_escape, NODE_ATTRIBUTES};
use crate::graph::Projection;
use petgraph::visit::EdgeRef;
use std::io::Write;

/// Node attributes: (key id, name, GraphML type).
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
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (name, ty) in NODE_ATTRIBUTES {
        writeln!(
            out,
            r#"  <key id="v_{name}" for="node" attr.name="{name}" attr.type="{ty}"/>"#
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
        let v = i.index();
        let values = node_values(p, v).map(|x| xml_escape(&x));
        write!(out, r#"    <node id="{}">"#, node_id(v))?;
        for ((name, _), value) in NODE_ATTRIBUTES.iter().zip(values) {
            if !value.is_empty() {
                write!(out, r#"<data key="v_{name}">{value}</data>"#)?;
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
