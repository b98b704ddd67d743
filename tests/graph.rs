//! Integration tests of `vnkg graph`: projections, period and neighbourhood, shortest chains,
//! ambiguous names, every export (consistent counts, byte-identical across runs, written
//! whole or not at all), rank and communities. The store is built from two short articles
//! written for these tests (`tests/fixtures/graph`): a support agreement in Lai Châu with a
//! donation, and a conference in Điện Biên with an award.

use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

mod common;
use common::{build, vnkg, Run};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graph")
}

/// Builds the fixture store in `dir/store` and returns its path.
fn store(dir: &Path) -> PathBuf {
    let st = dir.join("store");
    build(&[&fixtures()], &st).expect_code(0, "build");
    st
}

/// `vnkg graph ARGS... --store STORE`.
fn graph(store: &Path, args: &[&str]) -> Run {
    let mut a: Vec<&OsStr> = vec!["graph".as_ref()];
    a.extend(args.iter().map(OsStr::new));
    a.extend([OsStr::new("--store"), store.as_os_str()]);
    vnkg(a)
}

/// `vnkg graph stats --json ARGS...`, parsed.
fn stats(store: &Path, args: &[&str]) -> Value {
    let mut a = vec!["stats", "--json"];
    a.extend_from_slice(args);
    let run = graph(store, &a);
    run.expect_code(0, "graph stats");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn count(v: &Value, section: &str, key: &str) -> u64 {
    v[section][key].as_u64().unwrap_or(0)
}

#[test]
fn each_view_keeps_its_entities_and_relations() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());

    let inst = stats(&st, &[]);
    assert_eq!(inst["view"], "institutions");
    // three parties of one agreement: three agreement edges
    assert_eq!(count(&inst, "relations", "agreement"), 3, "{inst}");
    assert_eq!(count(&inst, "relations", "donation"), 1);
    assert_eq!(count(&inst, "relations", "award"), 1);
    assert!(count(&inst, "relations", "event") > 0);
    assert!(count(&inst, "relations", "part_of") > 0);
    assert_eq!(
        count(&inst, "relations", "post"),
        0,
        "no posts without persons"
    );
    assert_eq!(count(&inst, "classes", "person"), 0);
    // a city and a district count as their province: only provinces remain
    assert_eq!(
        count(&inst, "kinds", "city") + count(&inst, "kinds", "district"),
        0
    );
    assert_eq!(count(&inst, "kinds", "province"), 2);

    let people = stats(&st, &["--view", "people"]);
    assert_eq!(people["relations"], serde_json::json!({"post": 3}));
    assert_eq!(count(&people, "classes", "person"), 3);
    assert_eq!(count(&people, "classes", "organization"), 3);

    let full = stats(&st, &["--view", "full"]);
    assert_eq!(count(&full, "relations", "post"), 3);
    assert_eq!(count(&full, "relations", "agreement"), 3);
    assert!(count(&full, "kinds", "district") == 2 && count(&full, "kinds", "city") == 1);
    assert!(full["nodes"].as_u64() > inst["nodes"].as_u64());
}

#[test]
fn path_shows_each_step_with_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // the two are parties of one agreement, signed at a dated ceremony: one step, both
    // relations, each with its document and date
    let run = graph(
        &st,
        &[
            "path",
            "Bệnh viện Hữu nghị Việt Đức",
            "Sở Y tế tỉnh Lai Châu",
        ],
    );
    run.expect_code(0, "graph path");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "chain 1 of 1 (1 step):", "{}", run.stdout);
    assert!(lines[1].contains("Bệnh viện Hữu nghị Việt Đức"));
    assert!(
        lines[2].contains(
            "-- agreement \"hỗ trợ chuyên môn\": 1 document(s): ky-ket-lai-chau (2023-03-12)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        lines[3].contains("-- event \"signing\": 1 document(s): ky-ket-lai-chau (2023-03-12)"),
        "{}",
        run.stdout
    );
    assert!(lines[4].contains("Sở Y tế tỉnh Lai Châu"));

    // from the department to its province: the body's place, as a directed step
    let run = graph(&st, &["path", "Sở Y tế tỉnh Lai Châu", "Lai Châu"]);
    run.expect_code(0, "graph path to a place");
    assert!(run.stdout.contains("-> located_in"), "{}", run.stdout);
    assert!(run.stdout.contains("id:place/lai-chau"), "{}", run.stdout);

    // JSON: the same chain, with the documents and dates of each relation
    let run = graph(
        &st,
        &[
            "path",
            "Bệnh viện Hữu nghị Việt Đức",
            "Sở Y tế tỉnh Lai Châu",
            "--json",
        ],
    );
    run.expect_code(0, "graph path --json");
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let step = &v[0]["steps"][0]["relations"][0];
    assert_eq!(step["type"], "agreement");
    assert_eq!(step["docs"][0]["id"], "ky-ket-lai-chau");
    assert_eq!(step["docs"][0]["date"], "2023-03-12");

    // two entities no relation joins: said, exit 1
    let run = graph(
        &st,
        &["path", "Trần Quốc Bảo", "Vũ Minh Đức", "--view", "people"],
    );
    run.expect_code(1, "no chain");
    assert!(
        run.stderr.contains("no chain of relations joins"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_are_matched_like_explain_and_ambiguity_lists_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // in the full view "Lai Châu" is both the province and its city
    let run = graph(&st, &["path", "Lai Châu", "Điện Biên", "--view", "full"]);
    run.expect_code(1, "ambiguous");
    assert!(run.stderr.contains("names 2 entities"), "{}", run.stderr);
    assert!(run.stdout.contains("id:place/lai-chau"), "{}", run.stdout);
    assert!(
        run.stdout.contains("id:place/city/lai-chau"),
        "{}",
        run.stdout
    );
    // an IRI is never ambiguous; a name matches as `vnkg explain` matches it
    let run = graph(
        &st,
        &[
            "path",
            "id:place/lai-chau",
            "Sở Y tế Điện Biên",
            "--view",
            "full",
        ],
    );
    run.expect_code(0, "by IRI");
    // unknown, and known but outside the view
    let run = graph(&st, &["path", "Bệnh viện Không Có", "Lai Châu"]);
    run.expect_code(1, "unknown");
    assert!(
        run.stderr.contains("no person, body or place named"),
        "{}",
        run.stderr
    );
    let run = graph(&st, &["path", "Lò Thị Mai", "Lai Châu"]);
    run.expect_code(1, "person in the institutions view");
    assert!(
        run.stderr
            .contains("has no relation in the institutions view"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--view full"), "{}", run.stderr);
}

#[test]
fn period_and_neighbourhood_restrict_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // the agreement is of March, the conference of September
    let late = stats(&st, &["--since", "2023-06"]);
    assert_eq!(count(&late, "relations", "agreement"), 0, "{late}");
    assert!(count(&late, "relations", "event") > 0);
    let early = stats(&st, &["--until", "2023-03"]);
    assert_eq!(count(&early, "relations", "agreement"), 3, "{early}");
    // the March signing ceremony is an event too; the September conference is not in it
    let all = stats(&st, &[]);
    assert_eq!(
        count(&early, "relations", "event") + count(&late, "relations", "event"),
        count(&all, "relations", "event"),
        "{early} {late}"
    );
    assert!(count(&early, "relations", "event") < count(&all, "relations", "event"));
    let none = stats(&st, &["--since", "2024"]);
    assert_eq!(none["nodes"], 0);

    let run = graph(&st, &["stats", "--since", "2023-6"]);
    run.expect_code(1, "bad date");
    assert!(
        run.stderr.contains("--since \"2023-6\" is not an ISO date"),
        "{}",
        run.stderr
    );

    // one hop around the district health centre: its body, its province, the people's
    // committee that awarded it, the hospital at its conference
    let ego = stats(
        &st,
        &["--focus", "Trung tâm Y tế huyện Tuần Giáo", "--hops", "1"],
    );
    assert_eq!(ego["nodes"], 5, "{ego}");
    assert_eq!(ego["components"], 1);
    let two = stats(
        &st,
        &["--focus", "Trung tâm Y tế huyện Tuần Giáo", "--hops", "2"],
    );
    assert!(two["nodes"].as_u64() > ego["nodes"].as_u64());
    let zero = stats(
        &st,
        &["--focus", "Trung tâm Y tế huyện Tuần Giáo", "--hops", "0"],
    );
    assert_eq!(zero["nodes"], 1);
}

/// Exports every format to files in `dir` and returns their bytes by name.
fn export_all(st: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for (fmt, name) in [
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("dot", "g.dot"),
        ("cytoscape", "g.json"),
        ("html", "g.html"),
    ] {
        let path = dir.join(name);
        graph(
            st,
            &[
                "export",
                "--format",
                fmt,
                "--view",
                "full",
                "-o",
                path.to_str().unwrap(),
            ],
        )
        .expect_code(0, fmt);
        files.insert(name.to_string(), std::fs::read(&path).unwrap());
    }
    let csv = dir.join("csv");
    graph(
        st,
        &[
            "export",
            "--format",
            "csv",
            "--view",
            "full",
            "-o",
            csv.to_str().unwrap(),
        ],
    )
    .expect_code(0, "csv");
    for f in ["nodes.csv", "edges.csv"] {
        files.insert(f.to_string(), std::fs::read(csv.join(f)).unwrap());
    }
    files
}

#[test]
fn exports_agree_with_each_other_and_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    let full = stats(&st, &["--view", "full"]);
    let (n, m) = (
        full["nodes"].as_u64().unwrap() as usize,
        full["edges"].as_u64().unwrap() as usize,
    );
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let first = export_all(&st, &a);
    assert_eq!(
        first,
        export_all(&st, &b),
        "two exports of one store differ"
    );
    // no temporary file is left behind
    assert!(std::fs::read_dir(&a).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("partial")));

    let text = |k: &str| String::from_utf8(first[k].clone()).unwrap();
    let graphml = text("g.graphml");
    assert_eq!(graphml.matches("<node id=").count(), n);
    assert_eq!(graphml.matches("<edge id=").count(), m);
    assert!(graphml.contains(r#"edgedefault="undirected""#));
    assert!(graphml.contains(r#"<data key="e_docs">ky-ket-lai-chau</data>"#));

    let gexf = text("g.gexf");
    assert_eq!(gexf.matches("<node id=").count(), n);
    assert_eq!(gexf.matches("<edge id=").count(), m);
    assert!(
        gexf.contains(r#"start="2023-03-12" end="2023-03-12""#),
        "dated edges"
    );
    // a node lives from its first to its last relation: the hospital of both articles
    let hospital = gexf
        .lines()
        .find(|l| l.contains(r#"label="Bệnh viện Phổi Trung ương""#))
        .unwrap();
    assert!(
        hospital.contains(r#"start="2023-03-12" end="2023-09-20""#),
        "{hospital}"
    );

    let dot = text("g.dot");
    assert!(dot.starts_with("digraph \"vnkg full\" {"));
    assert_eq!(dot.matches(" -> ").count(), m);

    let cy: Value = serde_json::from_slice(&first["g.json"]).unwrap();
    let nodes = cy["elements"]["nodes"].as_array().unwrap();
    let edges = cy["elements"]["edges"].as_array().unwrap();
    assert_eq!((nodes.len(), edges.len()), (n, m));
    let node = &nodes[0]["data"];
    for key in [
        "id",
        "label",
        "kind",
        "province",
        "iri",
        "degree",
        "pagerank",
        "betweenness",
        "community",
    ] {
        assert!(node.get(key).is_some(), "node data lacks {key}: {node}");
    }
    let donation = edges
        .iter()
        .map(|e| &e["data"])
        .find(|e| e["type"] == "donation")
        .unwrap();
    assert_eq!(donation["weight"], 1);
    assert_eq!(donation["docs"], serde_json::json!(["ky-ket-lai-chau"]));
    assert_eq!(donation["first"], "2023-03-12");
    // the donor is the source: the hospital gives to the district health centre
    let label_of = |id: &Value| {
        nodes.iter().find(|x| x["data"]["id"] == *id).unwrap()["data"]["label"].clone()
    };
    assert_eq!(label_of(&donation["source"]), "Bệnh viện Phổi Trung ương");
    assert_eq!(label_of(&donation["target"]), "Trung tâm Y tế huyện Sìn Hồ");

    let nodes_csv = text("nodes.csv");
    let edges_csv = text("edges.csv");
    assert_eq!(nodes_csv.lines().count(), n + 1);
    assert_eq!(edges_csv.lines().count(), m + 1);
    assert!(nodes_csv.starts_with("id,label,iri,class,kind,province,documents,degree,"));

    let html = text("g.html");
    assert!(
        html.contains("function vnkgGraph("),
        "the viewer is inlined"
    );
    assert!(html.contains("vnkgGraph(document.getElementById(\"vnkg-graph\")"));
    assert!(
        !html.contains("<script src") && !html.contains("<link"),
        "nothing fetched"
    );
    let data = html
        .split("<script id=\"vnkg-data\" type=\"application/json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let data: Value = serde_json::from_str(data).unwrap();
    assert_eq!(data, cy, "the HTML view holds the Cytoscape JSON");
}

#[test]
fn exports_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // csv needs a folder
    let run = graph(&st, &["export", "--format", "csv"]);
    run.expect_code(1, "csv without --output");
    assert!(run.stderr.contains("--output DIR"), "{}", run.stderr);
    // an output that cannot be created: an error naming it, nothing written
    let bad = dir.path().join("missing/dir/g.graphml");
    let run = graph(
        &st,
        &["export", "--format", "graphml", "-o", bad.to_str().unwrap()],
    );
    run.expect_code(1, "unwritable output");
    assert!(
        run.stderr.contains("missing/dir/g.graphml"),
        "{}",
        run.stderr
    );
    // a store that is not there
    let run = vnkg([
        "graph",
        "stats",
        "--store",
        dir.path().join("nope").to_str().unwrap(),
    ]);
    run.expect_code(1, "missing store");
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn rank_and_communities() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    let run = graph(&st, &["rank", "--metric", "degree", "--top", "2", "--json"]);
    run.expect_code(0, "rank");
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    // the hospital of the agreement, the donation and the conference
    assert_eq!(v[0]["label"], "Bệnh viện Phổi Trung ương");
    assert_eq!(v[0]["rank"], 1);
    assert!(v[0]["score"].as_u64() >= v[1]["score"].as_u64());

    for metric in ["pagerank", "betweenness"] {
        let run = graph(&st, &["rank", "--metric", metric, "--top", "3"]);
        run.expect_code(0, metric);
        assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    }

    let one = graph(&st, &["communities", "--json"]);
    one.expect_code(0, "communities");
    assert_eq!(one.stdout, graph(&st, &["communities", "--json"]).stdout);
    let v: Value = serde_json::from_str(&one.stdout).unwrap();
    assert!(v["communities"].as_u64().unwrap() >= 2, "{v}");
    assert!(v["modularity"].as_f64().unwrap() > 0.0);
    // the two provinces' bodies are in different communities
    let community = |label: &str| {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["label"] == label)
            .unwrap()["community"]
            .clone()
    };
    assert_ne!(
        community("Ủy ban nhân dân tỉnh Lai Châu"),
        community("Ủy ban nhân dân tỉnh Điện Biên")
    );
    let text = graph(&st, &["communities"]);
    assert!(text.stdout.starts_with(&format!(
        "{} communities in the institutions view (Louvain, seed 42)",
        v["communities"]
    )));
}
