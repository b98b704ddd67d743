//! GEXF 1.2 (the version Gephi and networkx both read), a dynamic graph: each edge lives from
//! its first to its last supporting date and each node from the first to the last date of its
//! edges, so Gephi's timeline can play the network. Colours and sizes (by PageRank) in the
//! `viz` namespace.

use super::{
    day_end, day_start, edge_id, kind_colour, node_id, node_values, rgb, xml_escape,
    NODE_ATTRIBUTES,
};
use crate::graph::Projection;
use petgraph::visit::EdgeRef;
use std::io::Write;

const EDGE_ATTRS: [(&str, &str); 3] = [
    ("relation", "string"),
    ("labels", "string"),
    ("docs", "string"),
];

fn spell(first: &str, last: &str) -> String {
    let mut s = String::new();
    if !first.is_empty() {
        s.push_str(&format!(r#" start="{}""#, day_start(first)));
    }
    if !last.is_empty() {
        s.push_str(&format!(r#" end="{}""#, day_end(last)));
    }
    s
}

/// Writes the projection as GEXF 1.2 (undirected, dynamic, dates as days).
pub fn gexf(p: &Projection, out: &mut dyn Write) -> std::io::Result<()> {
    let g = &p.graph;
    let m = p.metrics();
    let n = g.node_count().max(1) as f64;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">"#
    )?;
    writeln!(
        out,
        "  <meta>\n    <creator>vnkg</creator>\n    <description>vnkg graph, {} view: Vietnamese public institutions in the news</description>\n  </meta>",
        p.view.name()
    )?;
    writeln!(
        out,
        r#"  <graph mode="dynamic" defaultedgetype="undirected" timeformat="date">"#
    )?;
    writeln!(out, r#"    <attributes class="node" mode="static">"#)?;
    // the label is the node's own; GEXF calls GraphML's int integer
    for (name, ty) in &NODE_ATTRIBUTES[1..] {
        let ty = if *ty == "int" { "integer" } else { ty };
        writeln!(
            out,
            r#"      <attribute id="{name}" title="{name}" type="{ty}"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge" mode="static">"#)?;
    for (name, ty) in EDGE_ATTRS {
        writeln!(
            out,
            r#"      <attribute id="{name}" title="{name}" type="{ty}"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    // a node lives from its edges' first date to their last; a node with an undated edge
    // lives always, like that edge
    let mut first: Vec<&str> = vec![""; g.node_count()];
    let mut last: Vec<&str> = vec![""; g.node_count()];
    let mut always = vec![false; g.node_count()];
    for e in g.edge_references() {
        for v in [e.source().index(), e.target().index()] {
            let (f, l) = (e.weight().first(), e.weight().last());
            if f.is_empty() || l.is_empty() {
                always[v] = true;
            }
            if !f.is_empty() && (first[v].is_empty() || day_start(f) < day_start(first[v])) {
                first[v] = f;
            }
            if !l.is_empty() && (last[v].is_empty() || day_end(l) > day_end(last[v])) {
                last[v] = l;
            }
        }
    }
    writeln!(out, "    <nodes>")?;
    for i in g.node_indices() {
        let node = &g[i];
        let v = i.index();
        writeln!(
            out,
            r#"      <node id="{}" label="{}"{}>"#,
            node_id(v),
            xml_escape(&node.label),
            if always[v] {
                String::new()
            } else {
                spell(first[v], last[v])
            }
        )?;
        writeln!(out, "        <attvalues>")?;
        let values = node_values(p, v);
        for ((name, _), value) in NODE_ATTRIBUTES.iter().zip(&values).skip(1) {
            let value = xml_escape(value);
            writeln!(out, r#"          <attvalue for="{name}" value="{value}"/>"#)?;
        }
        writeln!(out, "        </attvalues>")?;
        let (r, gr, b) = rgb(&kind_colour(&node.kind));
        writeln!(out, r#"        <viz:color r="{r}" g="{gr}" b="{b}"/>"#)?;
        // size: 4 for an average node, growing with the square root of PageRank
        let size = 4.0 * (m.pagerank[v] * n).sqrt().max(0.5);
        writeln!(out, r#"        <viz:size value="{size:.3}"/>"#)?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for e in g.edge_references() {
        let w = e.weight();
        let docs: Vec<&str> = w.docs.keys().map(String::as_str).collect();
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" label="{}" weight="{}"{}>"#,
            edge_id(e.id().index()),
            node_id(e.source().index()),
            node_id(e.target().index()),
            w.rel,
            w.weight(),
            spell(w.first(), w.last())
        )?;
        writeln!(out, "        <attvalues>")?;
        for (name, value) in [
            ("relation", w.rel.to_string()),
            ("labels", xml_escape(&w.labels.join(" | "))),
            ("docs", xml_escape(&docs.join(" | "))),
        ] {
            writeln!(out, r#"          <attvalue for="{name}" value="{value}"/>"#)?;
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}
