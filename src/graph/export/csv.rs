//! CSV, two tables: nodes (`id,label,iri,class,kind,province,documents,degree,strength,
//! pagerank,betweenness,community`) and edges (`id,source,target,relation,label,weight,first,
//! last,docs`). `source` and `target` are node ids; labels and documents are joined with
//! ` | `. Gephi's spreadsheet import, pandas and R read them as they are.

use super::{edge_id, node_id, node_values, NODE_ATTRIBUTES};
use crate::graph::Projection;
use petgraph::visit::EdgeRef;
use std::io::Write;

/// A CSV field, quoted when it must be (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut dyn Write, fields: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    writeln!(out, "{}", line.join(","))
}

/// Writes the node table to `nodes` and the edge table to `edges`.
pub fn csv(p: &Projection, nodes: &mut dyn Write, edges: &mut dyn Write) -> std::io::Result<()> {
    let g = &p.graph;
    let names: Vec<&str> = NODE_ATTRIBUTES.iter().map(|(n, _)| *n).collect();
    writeln!(nodes, "id,{}", names.join(","))?;
    for i in p.graph.node_indices() {
        let v = i.index();
        let mut cells = vec![node_id(v)];
        cells.extend(node_values(p, v));
        row(nodes, &cells)?;
    }
    writeln!(
        edges,
        "id,source,target,relation,label,weight,first,last,docs"
    )?;
    for e in g.edge_references() {
        let w = e.weight();
        let docs: Vec<&str> = w.docs.keys().map(String::as_str).collect();
        row(
            edges,
            &[
                edge_id(e.id().index()),
                node_id(e.source().index()),
                node_id(e.target().index()),
                w.rel.to_string(),
                w.labels.join(" | "),
                w.weight().to_string(),
                w.first().to_string(),
                w.last().to_string(),
                docs.join(" | "),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("Sở Y tế"), "Sở Y tế");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
