//! The exports of a projection: GraphML, GEXF, DOT, Cytoscape.js JSON, CSV and a
//! self-contained HTML view. Every one writes nodes in IRI order and edges in (source, target,
//! type) order, with the same node ids (`n0`, `n1`, ... by IRI) and edge ids (`e0`, ...), and
//! the metrics of [`super::Metrics`] as node attributes, so that two exports of one store are
//! byte-identical.

mod csv;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod html;

use super::Projection;
use petgraph::graph::NodeIndex;

pub use self::csv::csv;
pub use cytoscape::cytoscape;
pub use dot::{check_size as check_dot_size, dot, DOT_MAX_NODES};
pub use gexf::gexf;
pub use graphml::graphml;
pub use html::html;

/// The export formats of `vnkg graph export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GraphML, plain (no tool dialect): node and edge attributes as `<data>`.
    Graphml,
    /// GEXF 1.2 for Gephi, with the dates as time intervals (Gephi's timeline) and colours.
    Gexf,
    /// Graphviz DOT, for small graphs (an org chart, an ego network: use --focus).
    Dot,
    /// Cytoscape.js elements JSON.
    Cytoscape,
    /// Two CSV files, nodes.csv and edges.csv, in the folder given by --output.
    Csv,
    /// One self-contained HTML file with an interactive view (no network needed).
    Html,
}

/// The attributes of a node in the GraphML, GEXF and CSV exports, in their order: name and
/// type (GraphML's names: `string`, `int`, `double`).
pub const NODE_ATTRIBUTES: [(&str, &str); 11] = [
    ("label", "string"),
    ("iri", "string"),
    ("class", "string"),
    ("kind", "string"),
    ("province", "string"),
    ("documents", "int"),
    ("degree", "int"),
    ("strength", "double"),
    ("pagerank", "double"),
    ("betweenness", "double"),
    ("community", "int"),
];

/// The values of node `v`'s attributes, in the order of [`NODE_ATTRIBUTES`], unescaped.
pub fn node_values(p: &Projection, v: usize) -> [String; 11] {
    let n = &p.graph[NodeIndex::new(v)];
    let m = p.metrics();
    [
        n.label.clone(),
        n.iri.clone(),
        n.class.to_string(),
        n.kind.clone(),
        n.province.clone(),
        n.documents.to_string(),
        m.degree[v].to_string(),
        m.strength[v].to_string(),
        score(m.pagerank[v]),
        score(m.betweenness[v]),
        m.community[v].to_string(),
    ]
}

/// The id of node `i` in every export.
pub fn node_id(i: usize) -> String {
    format!("n{i}")
}

/// The id of edge `i` in every export.
pub fn edge_id(i: usize) -> String {
    format!("e{i}")
}

/// A score written with a fixed precision (nine decimals), so that text exports are stable.
pub fn score(x: f64) -> String {
    let s = format!("{x:.9}");
    if s == "-0.000000000" {
        "0.000000000".to_string()
    } else {
        s
    }
}

/// A score rounded to nine decimals, for JSON.
pub fn rounded(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // as character references, which attribute values keep (a raw one becomes a space)
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The colour of a node kind (hex `#rrggbb`): families of kinds share a hue (health bodies
/// blue, central government orange, local government yellow, places green, persons red);
/// other kinds get a colour from their name.
pub fn kind_colour(kind: &str) -> String {
    let fixed = match kind {
        "person" => "#e15759",
        "province" => "#59a14f",
        "city" => "#6fbf73",
        "district" => "#8cd17d",
        "commune" => "#b6e3a1",
        "place" => "#8cd17d",
        "legal_document" => "#9c755f",
        "hospital" => "#4e79a7",
        "clinic" => "#a0cbe8",
        "health_center" => "#76b7b2",
        "health_station" => "#99d5cf",
        "cdc" => "#17a2b8",
        "institute" => "#5b8fd6",
        "university" => "#3c5a8a",
        "ministry" => "#f28e2b",
        "agency" => "#ffbe7d",
        "government" => "#d37295",
        "legislature" => "#fabfd2",
        "party" => "#c0392b",
        "people_committee" => "#edc948",
        "people_council" => "#d4b43a",
        "department" => "#b07aa1",
        "police" => "#79706e",
        "company" => "#ff9da7",
        "association" => "#9d7660",
        "center" => "#86bcb6",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    // FNV-1a of the name picks a hue; mid saturation and lightness keep it readable
    let mut h: u32 = 0x811c_9dc5;
    for b in kind.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    let hue = (h % 360) as f64;
    let (r, g, b) = hsl(hue, 0.35, 0.62);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The red, green and blue of a colour given as hue (degrees), saturation and lightness.
fn hsl(h: f64, s: f64, l: f64) -> (u8, u8, u8) {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (to(r), to(g), to(b))
}

/// The red, green and blue of a `#rrggbb` colour.
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let p = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    (p(1), p(3), p(5))
}

/// The first day of an ISO date prefix (`2021` -> `2021-01-01`).
pub fn day_start(d: &str) -> String {
    match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_string(),
    }
}

/// The last day of an ISO date prefix (`2021-02` -> `2021-02-28`).
pub fn day_end(d: &str) -> String {
    match d.len() {
        4 => format!("{d}-12-31"),
        7 => {
            let y: u32 = d[..4].parse().unwrap_or(2000);
            let m: u32 = d[5..7].parse().unwrap_or(1);
            let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
            let last = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            format!("{d}-{last:02}")
        }
        _ => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_dates_and_colours() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(day_start("2021"), "2021-01-01");
        assert_eq!(day_end("2020-02"), "2020-02-29");
        assert_eq!(day_end("2021-04"), "2021-04-30");
        assert_eq!(day_end("2021-04-03"), "2021-04-03");
        assert_eq!(kind_colour("hospital"), "#4e79a7");
        let c = kind_colour("some_new_kind");
        assert_eq!(c, kind_colour("some_new_kind"));
        assert_eq!(c.len(), 7);
        assert_eq!(rgb("#4e79a7"), (0x4e, 0x79, 0xa7));
        assert_eq!(score(-0.0), "0.000000000");
    }
}
