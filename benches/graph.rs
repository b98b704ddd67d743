//! `vnkg graph` speed: the projection of a real store and every metric on a large generated
//! graph, each reported as a ratio to a baseline measured in the same run, so that numbers
//! from different machines compare. Timings are reported, never asserted.
//!
//! (a) generated: 100,000 nodes and 500,000 edges (a ring of 200 dense groups with random
//!     links between them, seeded), as a projection; times building the adjacency, degree,
//!     PageRank, betweenness (sampled above 5,000 nodes), Louvain, a focus neighbourhood and a
//!     shortest chain, against a plain scan of the edges (baseline 1); and petgraph's
//!     `page_rank` against ours on a 2,000-node graph (the routine the issue measured).
//! (b) store: the seeds and the dantri corpus built into a temporary store (or the store at
//!     `VNKG_BENCH_STORE`), then `project` for each view, metrics and the Cytoscape JSON,
//!     against one `SELECT (COUNT(*) ...)` over the document graphs (baseline 1).
//!
//! Run: `cargo bench --bench graph`. Environment: `VNKG_BENCH_NODES` and `VNKG_BENCH_EDGES`
//! (generated size), `VNKG_BENCH_STORE` (an existing store), `VNKG_SHARED` (the shared folder
//! holding `corpus/`, default `../shared` next to the crate).

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vnkg::graph::communities::louvain;
use vnkg::graph::metrics::{self, Adjacency};
use vnkg::graph::{self, path, project::neighbourhood, Edge, Node, Options, Projection, View};

/// SplitMix64, for a reproducible graph.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(name: &str, d: Duration, base: Duration) {
    println!(
        "  {name:<38} {:>10.1} ms  {:>9.1} x baseline",
        ms(d),
        d.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
}

/// A projection of `n` nodes and about `m` edges: groups of 500 nodes, 80 % of edges inside a
/// group, the rest anywhere; each edge with one to three supporting documents.
fn generated(n: usize, m: usize) -> Projection {
    let mut rng = Rng(42);
    let mut g = UnGraph::with_capacity(n, m);
    for i in 0..n {
        g.add_node(Node {
            iri: format!("https://w3id.org/vnkg/id/org/{i:08}"),
            label: format!("Body {i}"),
            class: "organization",
            kind: "hospital".into(),
            province: String::new(),
            documents: 1,
        });
    }
    let group = 500.min(n);
    for _ in 0..m {
        let a = rng.below(n);
        let b = if rng.below(10) < 8 {
            (a / group) * group + rng.below(group)
        } else {
            rng.below(n)
        };
        if a == b || b >= n {
            continue;
        }
        let docs = (0..1 + rng.below(3))
            .map(|k| {
                (
                    format!("doc{}", rng.below(100_000) + k),
                    "2021-04-01".to_string(),
                )
            })
            .collect();
        g.add_edge(
            NodeIndex::new(a.min(b)),
            NodeIndex::new(a.max(b)),
            Edge {
                rel: "agreement",
                labels: Vec::new(),
                docs,
            },
        );
    }
    Projection::new(View::Institutions, g)
}

fn bench_generated() {
    let n = env_usize("VNKG_BENCH_NODES", 100_000);
    let m = env_usize("VNKG_BENCH_EDGES", 500_000);
    let (p, built) = time(|| generated(n, m));
    println!(
        "(a) generated graph: {} nodes, {} edges (built in {:.0} ms)",
        p.node_count(),
        p.edge_count(),
        ms(built)
    );
    // baseline: one pass over the edges, summing weights per node
    let (_, base) = time(|| {
        let mut s = vec![0usize; p.node_count()];
        for e in p.graph.edge_references() {
            s[e.source().index()] += e.weight().weight();
            s[e.target().index()] += e.weight().weight();
        }
        black_box(s)
    });
    report("edge scan (baseline)", base, base);
    let (adj, t) = time(|| Adjacency::of(&p.graph));
    report("adjacency (CSR) from the projection", t, base);
    let (_, t) = time(|| black_box((0..adj.len()).map(|v| adj.degree(v)).sum::<usize>()));
    report("degree", t, base);
    let (pr, t) = time(|| metrics::pagerank(&adj));
    report("pagerank (power iteration)", t, base);
    let (_, t) = time(|| metrics::betweenness(&adj));
    report(
        &format!(
            "betweenness ({})",
            if adj.len() > metrics::BETWEENNESS_EXACT_MAX_NODES {
                format!("{} sampled sources", metrics::BETWEENNESS_SAMPLES)
            } else {
                "exact".into()
            }
        ),
        t,
        base,
    );
    let (c, t) = time(|| louvain(&adj, metrics::SEED));
    report(
        &format!(
            "louvain ({} communities)",
            c.membership.iter().max().map_or(0, |x| x + 1)
        ),
        t,
        base,
    );
    let hub = NodeIndex::new(metrics::ranking(&pr)[0]);
    let (sub, t) = time(|| neighbourhood(&p.graph, hub, 2));
    report(
        &format!("focus, 2 hops ({} nodes)", sub.node_count()),
        t,
        base,
    );
    let (_, t) = time(|| {
        path::shortest(
            &p.graph,
            NodeIndex::new(0),
            NodeIndex::new(p.node_count() - 1),
            10,
        )
    });
    report("shortest chains between two nodes", t, base);

    // petgraph's page_rank against ours, on 2,000 nodes and 10,000 edges
    let small = generated(2_000, 10_000);
    let sadj = Adjacency::of(&small.graph);
    let (_, ours) = time(|| metrics::pagerank(&sadj));
    let plain: UnGraph<(), f64> = small.graph.map(|_, _| (), |_, e| e.weight() as f64);
    let (_, theirs) = time(|| petgraph::algo::page_rank(&plain, 0.85_f64, 100));
    println!(
        "  pagerank on 2,000 nodes: ours {:.2} ms (to convergence), petgraph::algo::page_rank {:.1} ms (100 iterations): {:.0} x",
        ms(ours),
        ms(theirs),
        theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    );
}

/// Builds the seeds and the dantri corpus into `dir` as `vnkg build` does.
fn build_store(dir: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    use vnkg::{corpus, pipeline, store};
    let st = store::open(dir, store::Mode::Create).map_err(|e| e.to_string())?;
    store::write_reference(&st, dir).map_err(|e| e.to_string())?;
    let (docs, _) = corpus::read_inputs(inputs);
    let mut writer = store::DocWriter::new(&st, dir);
    for doc in &docs {
        let p = pipeline::process(doc);
        writer.write(&p.graph, p.quads).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    vnkg::link::link(&st, dir).map_err(|e| e.to_string())?;
    Ok(())
}

fn bench_store() {
    let tmp;
    let dir = match std::env::var_os("VNKG_BENCH_STORE") {
        Some(d) => PathBuf::from(d),
        None => {
            let shared = std::env::var_os("VNKG_SHARED")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
            let inputs = vec![
                shared.join("corpus/seeds"),
                shared.join("corpus/dantri-health"),
            ];
            if !inputs.iter().all(|p| p.exists()) {
                println!(
                    "(b) no corpus under {}; skipped (set VNKG_SHARED or VNKG_BENCH_STORE)",
                    shared.display()
                );
                return;
            }
            tmp = std::env::temp_dir().join(format!("vnkg-bench-graph-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&tmp);
            if let Err(e) = build_store(&tmp, &inputs) {
                println!("(b) cannot build the store: {e}; skipped");
                return;
            }
            tmp.clone()
        }
    };
    let st = match vnkg::store::open(&dir, vnkg::store::Mode::Existing) {
        Ok(s) => s,
        Err(e) => {
            println!("(b) {e}; skipped");
            return;
        }
    };
    println!("(b) store {}", dir.display());
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    // warm up the store's caches once, then measure the baseline
    let _ = vnkg::query::select(&st, count);
    let (r, base) = time(|| vnkg::query::select(&st, count));
    let quads = r
        .ok()
        .and_then(|(_, rows)| rows.first().and_then(|r| r[0].clone()))
        .map(|t| vnkg::query::plain(&t))
        .unwrap_or_default();
    report(&format!("COUNT(*) of {quads} quads (baseline)"), base, base);
    for view in [View::Institutions, View::People, View::Full] {
        let opts = Options {
            view,
            ..Options::default()
        };
        let (p, t) = time(|| graph::project(&st, &opts));
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                println!("  project {}: {e}", view.name());
                continue;
            }
        };
        report(
            &format!(
                "project {} ({} nodes, {} edges)",
                view.name(),
                p.node_count(),
                p.edge_count()
            ),
            t,
            base,
        );
        let (_, t) = time(|| black_box(p.metrics().modularity));
        report("  every metric", t, base);
        let (_, t) = time(|| black_box(graph::cytoscape(&p).to_string().len()));
        report("  cytoscape JSON", t, base);
    }
    if std::env::var_os("VNKG_BENCH_STORE").is_none() {
        drop(st);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn main() {
    bench_generated();
    bench_store();
}
