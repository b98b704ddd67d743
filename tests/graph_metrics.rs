//! The library on graphs built by hand, with answers known in advance: degree, PageRank,
//! betweenness and communities of two triangles joined by a bridge, its shortest chains, a
//! neighbourhood, and the exports' node attributes.

use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::BTreeMap;
use vnkg::graph::{self, path, project::neighbourhood, Edge, Node, Projection, View};

fn node(i: usize) -> Node {
    Node {
        iri: format!("https://w3id.org/vnkg/id/org/n{i}"),
        label: format!("Body {i}"),
        class: "organization",
        kind: if i < 3 {
            "hospital".into()
        } else {
            "department".into()
        },
        province: String::new(),
        documents: 1,
    }
}

fn edge(rel: &'static str, docs: &[(&str, &str)]) -> Edge {
    Edge {
        rel,
        labels: Vec::new(),
        docs: docs
            .iter()
            .map(|(d, t)| (d.to_string(), t.to_string()))
            .collect(),
    }
}

/// Two triangles {0,1,2} and {3,4,5} joined by the bridge 2 - 3 (IRIs sort as n0 .. n5);
/// 3 - 5 is an event two documents report, every other edge an agreement of one.
fn barbell() -> Projection {
    let mut g = UnGraph::new_undirected();
    let n: Vec<NodeIndex> = (0..6).map(|i| g.add_node(node(i))).collect();
    for (a, b) in [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5)] {
        g.add_edge(n[a], n[b], edge("agreement", &[("d1", "2021-01-01")]));
    }
    g.add_edge(
        n[3],
        n[5],
        edge("event", &[("d2", "2021-02-01"), ("d3", "2021-03-01")]),
    );
    Projection::new(View::Institutions, g)
}

#[test]
fn metrics_of_two_triangles_and_a_bridge() {
    let p = barbell();
    let m = p.metrics();
    assert_eq!(m.degree, [2, 2, 3, 3, 2, 2]);
    assert_eq!(m.strength, [2.0, 2.0, 3.0, 4.0, 2.0, 3.0]);
    // node 2 is on the shortest paths from 0 and 1 to 3, 4 and 5 (6 pairs), node 3 likewise:
    // 6 / ((6-1)(6-2)/2) = 0.6; the others on none
    assert!(m.betweenness_exact);
    let want = [0.0, 0.0, 0.6, 0.6, 0.0, 0.0];
    for (got, want) in m.betweenness.iter().zip(want) {
        assert!((got - want).abs() < 1e-12, "{:?}", m.betweenness);
    }
    // PageRank: sums to 1, equal for the two symmetric nodes 0 and 1, highest at the bridge
    // end with the heaviest edges, and the doubly reported 5 above its plain neighbour 4
    let pr = &m.pagerank;
    assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!((pr[0] - pr[1]).abs() < 1e-12);
    assert!(pr[2] > pr[0] && pr[5] > pr[4]);
    assert_eq!(vnkg::graph::metrics::ranking(pr)[0], 3);
    // the two triangles
    assert_eq!(m.community, [0, 0, 0, 1, 1, 1]);
    assert!(m.modularity > 0.3);
}

#[test]
fn shortest_chain_across_the_bridge_with_its_documents() {
    // 0 - 2 - 3 - 5: the last step is the event of two documents
    let p = barbell();
    let chains = path::shortest(&p.graph, NodeIndex::new(0), NodeIndex::new(5), 10);
    assert_eq!(chains.len(), 1);
    let c = &chains[0];
    assert_eq!(
        c.nodes.iter().map(|n| n.index()).collect::<Vec<_>>(),
        [0, 2, 3, 5]
    );
    let bridge = &p.graph[c.steps[2][0]];
    assert_eq!(bridge.rel, "event");
    assert_eq!(bridge.weight(), 2);
    assert_eq!(
        (bridge.first(), bridge.last()),
        ("2021-02-01", "2021-03-01")
    );
    let mut out = Vec::new();
    path::write_chains(&p, &chains, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("-- event: 2 document(s): d2 (2021-02-01), d3 (2021-03-01)"),
        "{text}"
    );
}

#[test]
fn neighbourhood_keeps_the_order_and_the_edges_inside() {
    let p = barbell();
    let g = neighbourhood(&p.graph, NodeIndex::new(2), 1);
    let iris: Vec<&str> = g.node_weights().map(|n| n.iri.as_str()).collect();
    assert_eq!(iris.len(), 4);
    assert!(iris.windows(2).all(|w| w[0] < w[1]), "sorted: {iris:?}");
    // 0-1, 0-2, 1-2 and the bridge 2-3, not 3-4 or 3-5
    assert_eq!(g.edge_count(), 4);
    let small = Projection::new(View::Institutions, g);
    assert!(small.find("https://w3id.org/vnkg/id/org/n3").is_some());
    assert!(small.find("https://w3id.org/vnkg/id/org/n4").is_none());
}

#[test]
fn exports_carry_the_metrics() {
    let p = barbell();
    let cy = graph::cytoscape(&p);
    let nodes = cy["elements"]["nodes"].as_array().unwrap();
    let by_id: BTreeMap<String, &serde_json::Value> = nodes
        .iter()
        .map(|n| (n["data"]["id"].as_str().unwrap().to_string(), &n["data"]))
        .collect();
    assert_eq!(by_id["n2"]["betweenness"], 0.6);
    assert_eq!(by_id["n2"]["degree"], 3);
    assert_eq!(by_id["n5"]["community"], by_id["n4"]["community"]);
    assert_ne!(by_id["n5"]["community"], by_id["n0"]["community"]);
    assert_eq!(by_id["n0"]["color"], "#4e79a7");
    let bridge = cy["elements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["data"]["type"] == "event")
        .unwrap();
    assert_eq!(bridge["data"]["docs"], serde_json::json!(["d2", "d3"]));
    assert_eq!(bridge["data"]["source"], "n3");

    let mut out = Vec::new();
    graph::export::graphml(&p, &mut out).unwrap();
    let graphml = String::from_utf8(out).unwrap();
    assert!(graphml.contains(r#"<data key="v_betweenness">0.600000000</data>"#));

    // DOT refuses large graphs
    let mut g = UnGraph::new_undirected();
    for i in 0..=graph::export::DOT_MAX_NODES {
        g.add_node(node(i));
    }
    let big = Projection::new(View::Institutions, g);
    let mut out = Vec::new();
    let err = graph::export::dot(&big, &mut out).unwrap_err();
    assert!(err.to_string().contains("--focus"), "{err}");
    assert!(out.is_empty());
}

#[test]
fn a_part_keeps_the_metrics_of_the_whole_and_its_nearest_nodes() {
    let p = barbell();
    let whole = p.metrics().clone();
    // one hop around the bridge end 2: nodes 0, 1, 2, 3, with the whole graph's scores
    let part = p.around(NodeIndex::new(2), 1, 100);
    let iris: Vec<&str> = part.graph.node_weights().map(|n| n.iri.as_str()).collect();
    assert_eq!(iris.len(), 4);
    assert!(iris[3].ends_with("/n3"));
    assert_eq!(part.metrics().betweenness[..], whole.betweenness[..4]);
    assert!(
        (part.metrics().betweenness[2] - 0.6).abs() < 1e-9,
        "the bridge end keeps its 0.6"
    );
    assert_eq!(part.metrics().pagerank[..], whole.pagerank[..4]);
    assert_eq!(part.metrics().community[..], whole.community[..4]);
    assert_eq!(part.edge_count(), 4, "0-1, 0-2, 1-2 and the bridge");
    // capped at 3 nodes: the centre, then its neighbours by PageRank (3 is the bridge's other
    // end, the most central of them)
    let small = p.around(NodeIndex::new(2), 2, 3);
    let iris: Vec<&str> = small.graph.node_weights().map(|n| n.iri.as_str()).collect();
    assert_eq!(iris.len(), 3);
    assert!(iris.iter().any(|i| i.ends_with("/n2")));
    assert!(iris.iter().any(|i| i.ends_with("/n3")));
}
