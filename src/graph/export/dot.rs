//! Graphviz DOT, for small graphs: an org chart (`--focus BODY --view institutions`), an ego
//! network. Directed relations point up (a unit to its parent, a person to his body: `rankdir
//! = BT`), symmetric ones have no arrow; nodes are coloured by kind.

use super::{kind_colour, node_id};
use crate::graph::{GraphError, Projection};
use petgraph::visit::EdgeRef;
use std::io::Write;

/// DOT is refused above this many nodes (Graphviz layouts become unreadable and slow).
pub const DOT_MAX_NODES: usize = 500;

/// A DOT string literal.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Checks the projection is small enough for DOT.
pub fn check_size(p: &Projection) -> Result<(), GraphError> {
    if p.node_count() > DOT_MAX_NODES {
        return Err(GraphError::Invalid(format!(
            "the graph has {} nodes; DOT is for small graphs (at most {DOT_MAX_NODES}): narrow it with --focus ENTITY --hops N or --since/--until, or export graphml or gexf",
            p.node_count()
        )));
    }
    Ok(())
}

/// Writes the projection as a Graphviz digraph. Errors when it has more than
/// [`DOT_MAX_NODES`] nodes (nothing is written then).
pub fn dot(p: &Projection, out: &mut dyn Write) -> Result<(), GraphError> {
    check_size(p)?;
    write_dot(p, out).map_err(|e| GraphError::Invalid(format!("cannot write: {e}")))
}

fn write_dot(p: &Projection, out: &mut dyn Write) -> std::io::Result<()> {
    let g = &p.graph;
    writeln!(
        out,
        "digraph {} {{",
        quoted(&format!("vnkg {}", p.view.name()))
    )?;
    writeln!(
        out,
        "  graph [rankdir=BT, fontname=\"sans-serif\", overlap=false, splines=true];"
    )?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\", fontsize=10];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"sans-serif\", fontsize=8, color=\"#777777\"];"
    )?;
    for i in g.node_indices() {
        let n = &g[i];
        writeln!(
            out,
            "  {} [label={}, fillcolor={}, tooltip={}];",
            node_id(i.index()),
            quoted(&format!("{}\n{}", n.label, n.kind)),
            quoted(&kind_colour(&n.kind)),
            quoted(&n.iri)
        )?;
    }
    for e in g.edge_references() {
        let w = e.weight();
        let label = if w.weight() > 1 {
            format!("{} ({})", w.rel, w.weight())
        } else {
            w.rel.to_string()
        };
        let dir = if w.symmetric() { ", dir=none" } else { "" };
        writeln!(
            out,
            "  {} -> {} [label={}, penwidth={:.1}{dir}];",
            node_id(e.source().index()),
            node_id(e.target().index()),
            quoted(&label),
            1.0 + (w.weight() as f64).ln()
        )?;
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quoted("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
    }
}
