//! Identity and time across documents, on a corpus written with traps
//! (`tests/fixtures/identity/articles.jsonl`): two officials of one name in unrelated
//! provinces, one official promoted between two articles, an abbreviation and its expansion,
//! tone placement, a province merged in 2025, a name without a post, a bare given name.

mod common;

use common::{build, query, vnkg};
use std::path::{Path, PathBuf};

/// `vnkg ARGS... --store STORE`.
fn on_store(args: &[&str], store: &Path) -> common::Run {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    all.extend(["--store".as_ref(), store.as_os_str()]);
    vnkg(all)
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity")
}

fn built(tmp: &Path) -> PathBuf {
    let store = tmp.join("store");
    build(&[corpus().as_path()], &store).expect_code(0, "build");
    store
}

/// The rows of a SELECT (TSV, header and IRIs' brackets dropped), sorted.
fn rows(sparql: &str, store: &Path) -> Vec<String> {
    let run = query(sparql, Some("tsv"), store);
    run.expect_code(0, sparql);
    let mut v: Vec<String> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.replace(['<', '>'], ""))
        .collect();
    v.sort();
    v
}

/// Person nodes of a label, with the documents that name each (sorted, space-separated).
fn persons_named(name: &str, store: &Path) -> Vec<String> {
    rows(
        &format!(
            "SELECT ?p (GROUP_CONCAT(DISTINCT ?d; separator=\" \") AS ?docs) WHERE {{ \
             {{ SELECT DISTINCT ?p ?d WHERE {{ GRAPH ?g {{ ?p a schema:Person ; skos:prefLabel \"{name}\"@vi . \
             ?g prov:wasDerivedFrom/vnkg:docId ?d }} }} ORDER BY ?d }} }} GROUP BY ?p"
        ),
        store,
    )
    .into_iter()
    .map(|r| r.split('\t').nth(1).unwrap_or("").trim_matches('"').to_string())
    .collect()
}

#[test]
fn one_name_in_unrelated_provinces_is_two_people_and_a_promotion_is_one() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    let mut hung = persons_named("Nguyễn Văn Hùng", &store);
    hung.sort();
    // Lạng Sơn (Phó Giám đốc in 2023, Giám đốc in 2024) is one person; Cà Mau is another
    assert_eq!(hung, ["cm-2023", "ls-2023 ls-2024"], "{hung:?}");
    // the merge keeps its evidence: the rule and the shared anchor
    let ev = rows(
        "SELECT ?d ?rule ?a WHERE { GRAPH ?g { ?ev vnkg:identifies ?p ; vnkg:nameKey \"nguyễn văn hùng\" . \
         ?g prov:wasDerivedFrom/vnkg:docId ?d } ?ev vnkg:linkRule ?rule ; vnkg:sharedAnchor ?a }",
        &store,
    );
    assert_eq!(ev.len(), 2, "{ev:?}");
    for r in &ev {
        assert!(
            r.contains("rule#shared-body") && r.ends_with("id/place/lang-son"),
            "{r}"
        );
    }
    // time: the first post's first and last dates, and the date it is reported as former
    let t = rows(
        "SELECT ?title ?first ?last ?former WHERE { ?t a vnkg:Tenure ; org:member ?p ; org:role/skos:prefLabel ?title . \
         ?p skos:prefLabel \"Nguyễn Văn Hùng\"@vi ; ^org:member/org:organization/skos:prefLabel \"Sở Y tế tỉnh Lạng Sơn\"@vi . \
         OPTIONAL { ?t vnkg:firstSeen ?first } OPTIONAL { ?t vnkg:lastSeen ?last } OPTIONAL { ?t vnkg:formerBy ?former } }",
        &store,
    );
    let t: Vec<String> = t
        .iter()
        .map(|r| r.replace("^^http://www.w3.org/2001/XMLSchema#date", ""))
        .collect();
    assert!(
        t.contains(&"\"Giám đốc\"@vi\t\"2024-08-15\"\t\"2024-08-15\"\t".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(
            &"\"Phó Giám đốc\"@vi\t\"2023-03-10\"\t\"2023-03-10\"\t\"2024-08-15\"".to_string()
        ),
        "{t:?}"
    );
}

#[test]
fn a_merged_province_links_its_officials_and_its_history() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    // Giám đốc Sở Y tế Hà Giang in 2024 and of Tuyên Quang in 2025; named without a post in a
    // third article about Tuyên Quang's Sở Y tế
    assert_eq!(
        persons_named("Trần Thị Lan", &store),
        ["hg-2024 tq-2025 tq-2025b"]
    );
    let rules = rows(
        "SELECT DISTINCT ?rule WHERE { GRAPH ?g { ?ev vnkg:nameKey \"trần thị lan\" } ?ev vnkg:linkRule ?rule }",
        &store,
    );
    assert_eq!(
        rules,
        [
            "https://w3id.org/vnkg/ns/rule#document-context",
            "https://w3id.org/vnkg/ns/rule#shared-body"
        ]
    );
    // the canned query for a 2025 province includes what was said about the old one
    let q = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries/province_history.rq");
    let run = vnkg([
        "query".as_ref(),
        q.as_os_str(),
        "--store".as_ref(),
        store.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    run.expect_code(0, "province_history.rq");
    assert!(
        run.stdout
            .contains("Hà Giang,Sở Y tế tỉnh Hà Giang,Trần Thị Lan,Giám đốc,2024-02-10,hg-2024"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("Tuyên Quang,Sở Y tế tỉnh Tuyên Quang,Trần Thị Lan"));
    // reference data: the old province is replaced by the new one, with Wikidata and ISO
    let hg = rows(
        "SELECT ?next ?wd ?iso WHERE { <https://w3id.org/vnkg/id/place/ha-giang> dcterms:isReplacedBy ?next ; owl:sameAs ?wd ; vnkg:iso3166Code ?iso }",
        &store,
    );
    assert_eq!(
        hg,
        ["https://w3id.org/vnkg/id/place/tuyen-quang\thttp://www.wikidata.org/entity/Q36685\t\"VN-03\""]
    );
}

#[test]
fn abbreviations_tone_placement_and_level_words_give_one_body() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    let bodies = |label: &str| {
        rows(
            &format!("SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?o a org:Organization ; skos:prefLabel \"{label}\"@vi }} }}"),
            &store,
        )
        .len()
    };
    // "BV Bạch Mai" (two articles) and "Bệnh viện Bạch Mai"
    assert_eq!(bodies("Bệnh viện Bạch Mai"), 1);
    let docs = rows(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?o skos:prefLabel \"Bệnh viện Bạch Mai\"@vi } }",
        &store,
    );
    assert_eq!(docs.len(), 2, "{docs:?}");
    // "Sở Y tế Lạng Sơn" = "Sở Y tế tỉnh Lạng Sơn"; "Thanh Hoá" = "Thanh Hóa"
    assert_eq!(bodies("Sở Y tế tỉnh Lạng Sơn"), 1);
    let ls = rows(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?o skos:prefLabel \"Sở Y tế tỉnh Lạng Sơn\"@vi } }",
        &store,
    );
    assert_eq!(ls.len(), 4, "{ls:?}");
    // the corpus graph sums it up once: label, kind and the documents that hold it
    let summary = rows(
        "SELECT ?n ?k WHERE { GRAPH <https://w3id.org/vnkg/id/graph/corpus> { ?o skos:prefLabel \"Sở Y tế tỉnh Lạng Sơn\"@vi ; a org:Organization ; vnkg:documentCount ?n ; org:classification ?k } }",
        &store,
    );
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(
        summary[0].starts_with("4\t") || summary[0].starts_with("\"4\""),
        "{summary:?}"
    );
    assert_eq!(bodies("Sở Y tế tỉnh Thanh Hóa"), 1);
    assert_eq!(
        bodies("Sở Y tế Thanh Hoá"),
        0,
        "the variant is an altLabel only"
    );
    // the hierarchy: the central hospital under the ministry, the Sở under the province's UBND
    let parents = rows(
        "SELECT DISTINCT ?c ?p WHERE { ?x org:subOrganizationOf ?y . ?x skos:prefLabel ?c . ?y skos:prefLabel ?p }",
        &store,
    );
    for pair in [
        "\"Bệnh viện Bạch Mai\"@vi\t\"Bộ Y tế\"@vi",
        "\"Sở Y tế tỉnh Lạng Sơn\"@vi\t\"Ủy ban nhân dân tỉnh Lạng Sơn\"@vi",
        "\"Ủy ban nhân dân huyện Tràng Định\"@vi\t\"Ủy ban nhân dân tỉnh Lạng Sơn\"@vi",
        "\"Bộ Y tế\"@vi\t\"Chính phủ\"@vi",
    ] {
        assert!(
            parents.contains(&pair.to_string()),
            "{pair} not in {parents:?}"
        );
    }
    // a parent the articles never name is marked inferred and kept out of the facts
    let facts = on_store(&["export", "--format", "facts"], &store);
    facts.expect_code(0, "facts");
    assert!(
        !facts.stdout.contains("Chính phủ"),
        "inferred parent in facts"
    );
}

#[test]
fn bare_names_and_titles_refer_back_only_inside_their_document() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    // "Bà Lan" in an unrelated article is not the Trần Thị Lan of the others
    let qn = rows(
        "SELECT ?p WHERE { GRAPH <https://w3id.org/vnkg/id/graph/qn-2024> { ?p a schema:Person } }",
        &store,
    );
    assert!(qn.iter().all(|p| !p.contains("tran-thi-lan")), "{qn:?}");
    // "Phó Giám đốc cho biết" is a mention of the one Phó Giám đốc of its article
    let m = rows(
        "SELECT ?text WHERE { GRAPH <https://w3id.org/vnkg/id/graph/ls-2023> { ?m itsrdf:taIdentRef ?p ; nif:referenceContext/nif:isString ?s . ?p a schema:Person BIND(STRAFTER(STR(?m), \"#char=\") AS ?span) BIND(xsd:integer(STRBEFORE(?span, \",\")) AS ?b) BIND(xsd:integer(STRAFTER(?span, \",\")) AS ?e) BIND(SUBSTR(?s, ?b + 1, ?e - ?b) AS ?text) } }",
        &store,
    );
    assert!(m.contains(&"\"Phó Giám đốc\"".to_string()), "{m:?}");
    // explain: an ambiguous name lists its candidates; an IRI or a full label explains one
    let amb = on_store(&["explain", "nguyễn văn hùng"], &store);
    amb.expect_code(1, "ambiguous explain");
    assert_eq!(amb.stdout.lines().count(), 2, "{}", amb.stdout);
    assert!(
        amb.stdout.contains("Bệnh viện Đa khoa tỉnh Cà Mau"),
        "{}",
        amb.stdout
    );
    let one = on_store(&["explain", "TRẦN THỊ LAN"], &store);
    one.expect_code(0, "explain");
    for want in [
        "hg-2024: shared-body via Tuyên Quang",
        "tq-2025b: document-context via Tuyên Quang",
        "Giám đốc, Sở Y tế tỉnh Hà Giang: seen 2024-02-10",
        "\"Giám đốc Sở Y tế Hà Giang [Trần Thị Lan] chủ trì hội nghị.\"",
    ] {
        assert!(one.stdout.contains(want), "{want:?} not in\n{}", one.stdout);
    }
    let none = on_store(&["explain", "Không Có Ai"], &store);
    none.expect_code(1, "explain nothing");
    assert!(
        none.stderr.contains("no person, body or place named"),
        "{}",
        none.stderr
    );
}

#[test]
fn linking_does_not_depend_on_build_order() {
    // the same corpus built in two runs, in the other order, gives the same persons
    let tmp = tempfile::tempdir().unwrap();
    let all = built(tmp.path());
    let split = tmp.path().join("split");
    std::fs::create_dir(&split).unwrap();
    let text = std::fs::read_to_string(corpus().join("articles.jsonl")).unwrap();
    let (late, early): (Vec<&str>, Vec<&str>) = text
        .lines()
        .partition(|l| l.contains("\"tq-2025") || l.contains("\"ls-2024"));
    std::fs::write(split.join("a.jsonl"), late.join("\n")).unwrap();
    std::fs::write(split.join("b.jsonl"), early.join("\n")).unwrap();
    let store = tmp.path().join("store2");
    build(&[split.join("a.jsonl").as_path()], &store).expect_code(0, "first half");
    build(&[split.join("b.jsonl").as_path()], &store).expect_code(0, "second half");
    let persons = "SELECT DISTINCT ?p ?d WHERE { GRAPH ?g { ?p a schema:Person . ?g prov:wasDerivedFrom/vnkg:docId ?d } }";
    assert_eq!(rows(persons, &all), rows(persons, &store));
    let tenures = "SELECT ?t ?first ?last WHERE { ?t a vnkg:Tenure OPTIONAL { ?t vnkg:firstSeen ?first } OPTIONAL { ?t vnkg:lastSeen ?last } }";
    assert_eq!(rows(tenures, &all), rows(tenures, &store));
}

#[test]
fn copies_of_one_article_link_every_person_and_explain_lists_each_document() {
    // the Cà Mau article, and an article about a man with no post and no body around him,
    // republished under new ids, one copy with a byline
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    let text = std::fs::read_to_string(corpus().join("articles.jsonl")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let rescue = serde_json::json!({
        "id": "cuu-nan",
        "date": "2024-03-03",
        "text": "Chiều 3/3, anh Lê Minh Đức (35 tuổi) đã kịp thời cứu hai em nhỏ bị đuối nước ở bãi sông. Người dân địa phương cho biết anh Lê Minh Đức thường giúp đỡ mọi người trong xóm.",
    });
    lines.push(rescue.to_string());
    for line in lines.clone() {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        if id == "cuu-nan" || id == "cm-2023" {
            for (n, byline) in [(1, ""), (2, "\nThu Hà")] {
                let mut c = v.clone();
                c["id"] = format!("{id}-copy{n}").into();
                c["text"] = format!("{}{byline}", v["text"].as_str().unwrap()).into();
                lines.push(c.to_string());
            }
        }
    }
    std::fs::write(dir.join("articles.jsonl"), lines.join("\n") + "\n").unwrap();
    let store = tmp.path().join("store");
    build(&[dir.as_path()], &store).expect_code(0, "build");
    // a full name with nothing else to go by: one person over the copies
    assert_eq!(
        persons_named("Lê Minh Đức", &store),
        ["cuu-nan cuu-nan-copy1 cuu-nan-copy2"]
    );
    // the Cà Mau director stays apart from the Lạng Sơn namesake, his copies together
    assert_eq!(
        persons_named("Nguyễn Văn Hùng", &store),
        ["cm-2023 cm-2023-copy1 cm-2023-copy2", "ls-2023 ls-2024"]
    );
    let run = on_store(&["explain", "Bệnh viện Đa khoa tỉnh Cà Mau"], &store);
    run.expect_code(0, "explain a body");
    for doc in ["cm-2023", "cm-2023-copy1", "cm-2023-copy2"] {
        let want = format!(
            "{doc}  \"Ông Nguyễn Văn Hùng, Giám đốc [Bệnh viện Đa khoa tỉnh Cà Mau], cho biết"
        );
        assert!(
            run.stdout.contains(&want),
            "{want:?} not in\n{}",
            run.stdout
        );
    }
    // found through the corpus graph's name index, whatever the case and tone placement,
    // with the documents of all its copies counted
    assert!(
        run.stdout.contains("named in 3 document(s)"),
        "{}",
        run.stdout
    );
    let folded = on_store(&["explain", "BỆNH VIỆN ĐA KHOA TỈNH CÀ MAU"], &store);
    folded.expect_code(0, "explain a body by its folded name");
    assert_eq!(folded.stdout, run.stdout);
    let duc = on_store(&["explain", "Lê Minh Đức"], &store);
    duc.expect_code(0, "explain the man");
    assert!(
        duc.stdout.contains("named in 3 document(s)"),
        "{}",
        duc.stdout
    );
    assert!(
        duc.stdout
            .contains("cuu-nan-copy1: same-text via the copy cuu-nan"),
        "{}",
        duc.stdout
    );
}

/// `vnkg curate ARGS... --store STORE`.
fn curate(args: &[&str], store: &Path) -> common::Run {
    let mut all = vec!["curate"];
    all.extend_from_slice(args);
    on_store(&all, store)
}

#[test]
fn corrections_last_across_rebuilds_and_travel_as_tsv() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    let apart = persons_named("Nguyễn Văn Hùng", &store);
    assert_eq!(apart, ["cm-2023", "ls-2023 ls-2024"]);

    // an ambiguous name lists the candidates and changes nothing
    let run = curate(&["same", "Nguyễn Văn Hùng", "Trịnh Văn Quang"], &store);
    run.expect_code(1, "an ambiguous name");
    assert!(run.stderr.contains("names 2 entities"), "{}", run.stderr);
    assert!(
        run.stdout.contains("Giám đốc"),
        "the candidates: {}",
        run.stdout
    );
    let run = curate(&["same", "Nguyễn Văn Hùng@cm-2023", "Ai Đó"], &store);
    run.expect_code(1, "an unknown name");
    assert!(
        run.stderr.contains("no person named \"Ai Đó\""),
        "{}",
        run.stderr
    );

    // a dry run says what would merge, and writes nothing
    let (cm, ls) = ("Nguyễn Văn Hùng@cm-2023", "Nguyễn Văn Hùng@ls-2024");
    let run = curate(&["same", cm, ls, "--dry-run"], &store);
    run.expect_code(0, "same --dry-run");
    assert!(
        run.stdout.contains("merge: \"Nguyễn Văn Hùng\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing written"), "{}", run.stdout);
    assert_eq!(persons_named("Nguyễn Văn Hùng", &store), apart);
    let run = curate(&["list"], &store);
    assert!(run.stdout.contains("no decisions"), "{}", run.stdout);

    // the decision: one person, which explain shows as curated, and a rebuild keeps it
    let run = curate(&["same", cm, ls, "--note", "cùng một người"], &store);
    run.expect_code(0, "same");
    let one = ["cm-2023 ls-2023 ls-2024"];
    assert_eq!(persons_named("Nguyễn Văn Hùng", &store), one);
    let run = on_store(&["explain", "Nguyễn Văn Hùng"], &store);
    run.expect_code(0, "explain");
    assert!(
        run.stdout
            .contains("cm-2023: curated via decision 1 (same, "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("cùng một người"), "{}", run.stdout);
    build(&[corpus().as_path()], &store).expect_code(0, "rebuild");
    assert_eq!(persons_named("Nguyễn Văn Hùng", &store), one);

    // a contradicting decision is refused; a repeated one changes nothing
    let run = curate(&["distinct", ls, cm], &store);
    run.expect_code(1, "distinct after same");
    assert!(
        run.stderr.contains("contradicts decision #1"),
        "{}",
        run.stderr
    );
    let run = curate(&["same", ls, cm], &store);
    run.expect_code(0, "the same decision again");
    assert!(run.stdout.contains("nothing to do"), "{}", run.stdout);

    // a rejection removes the person from its document, for good
    let run = curate(&["reject", "Trịnh Văn Quang", "--note", "thử"], &store);
    run.expect_code(0, "reject");
    assert!(persons_named("Trịnh Văn Quang", &store).is_empty());
    build(&[corpus().as_path()], &store).expect_code(0, "rebuild");
    assert!(persons_named("Trịnh Văn Quang", &store).is_empty());
    let listed = curate(&["list"], &store);
    assert_eq!(listed.stdout.lines().count(), 2, "{}", listed.stdout);

    // export, and import into a store built from scratch: the same persons, the same file
    let tsv = tmp.path().join("quyet-dinh.tsv");
    curate(&["export", tsv.to_str().unwrap()], &store).expect_code(0, "export");
    let other = tmp.path().join("other");
    build(&[corpus().as_path()], &other).expect_code(0, "build another");
    assert_eq!(persons_named("Nguyễn Văn Hùng", &other), apart);
    let run = curate(&["import", tsv.to_str().unwrap()], &other);
    run.expect_code(0, "import");
    assert!(
        run.stdout.contains("imported 2 decisions"),
        "{}",
        run.stdout
    );
    assert_eq!(persons_named("Nguyễn Văn Hùng", &other), one);
    assert!(persons_named("Trịnh Văn Quang", &other).is_empty());
    let again = tmp.path().join("again.tsv");
    curate(&["export", again.to_str().unwrap()], &other).expect_code(0, "export again");
    assert_eq!(
        std::fs::read_to_string(&tsv).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
    // importing again repeats nothing; a broken file says where and changes nothing
    let run = curate(&["import", tsv.to_str().unwrap()], &other);
    assert!(
        run.stdout.contains("imported 0 decisions") && run.stdout.contains("(2 already in force)"),
        "{}",
        run.stdout
    );
    let bad = tmp.path().join("bad.tsv");
    let text = std::fs::read_to_string(&tsv)
        .unwrap()
        .replace("\treject\t", "\tbỏ\t");
    std::fs::write(&bad, text).unwrap();
    let run = curate(&["import", bad.to_str().unwrap()], &other);
    run.expect_code(1, "a broken decisions file");
    assert!(
        run.stderr.contains("bad.tsv:3: decision \"bỏ\""),
        "{}",
        run.stderr
    );

    // undo: the two namesakes are two again
    let run = curate(&["undo", "1", "--dry-run"], &store);
    assert!(run.stdout.contains("split: "), "{}", run.stdout);
    curate(&["undo", "1"], &store).expect_code(0, "undo");
    assert_eq!(persons_named("Nguyễn Văn Hùng", &store), apart);
    let run = curate(&["undo", "7"], &store);
    run.expect_code(1, "undo of no decision");
    assert!(run.stderr.contains("no decision 7"), "{}", run.stderr);
}

#[test]
fn candidates_list_namesakes_kept_apart_with_their_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built(tmp.path());
    let run = curate(&["candidates", "--format", "csv"], &store);
    run.expect_code(0, "candidates");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("score,a,a_label"), "{}", run.stdout);
    let hung: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("Nguyễn Văn Hùng"))
        .collect();
    assert_eq!(hung.len(), 1, "{}", run.stdout);
    assert!(
        hung[0].contains("Sở Y tế tỉnh Lạng Sơn") || hung[0].contains("Lạng Sơn"),
        "{}",
        hung[0]
    );
    assert!(hung[0].contains("Cà Mau"), "{}", hung[0]);
}

#[test]
fn a_body_written_two_ways_in_two_articles_is_one_in_any_build_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    let article = |id: &str, date: &str, text: &str| {
        serde_json::json!({ "id": id, "date": date, "text": text }).to_string()
    };
    let early = article(
        "nd-2023",
        "2023-04-02",
        "Sáng 2/4, Bệnh viện Bệnh Nhiệt đới Trung ương tiếp nhận 12 bệnh nhân sốt xuất huyết từ các tỉnh phía Bắc.",
    );
    let late = article(
        "nd-2024",
        "2024-07-09",
        "Bệnh viện Nhiệt đới Trung ương cho biết số ca sốt xuất huyết tăng gấp đôi so với cùng kỳ năm trước.",
    );
    // another hospital whose name is a head word away, but with no rare word beside the head
    let other = article(
        "nhi-2024",
        "2024-08-01",
        "Bệnh viện Nhi Trung ương vừa tiếp nhận thêm 20 máy thở từ các nhà tài trợ.",
    );
    std::fs::write(
        dir.join("all.jsonl"),
        [&early, &late, &other].map(|s| s.as_str()).join("\n") + "\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("late.jsonl"), late.clone() + "\n").unwrap();
    std::fs::write(
        tmp.path().join("early.jsonl"),
        [&early, &other].map(|s| s.as_str()).join("\n") + "\n",
    )
    .unwrap();
    let store = tmp.path().join("store");
    build(&[dir.as_path()], &store).expect_code(0, "build");
    let bodies = "SELECT DISTINCT ?d ?o WHERE { GRAPH ?g { ?o a org:Organization . FILTER NOT EXISTS { ?o vnkg:inferred true } ?g prov:wasDerivedFrom/vnkg:docId ?d } }";
    let all = rows(bodies, &store);
    let of = |doc: &str| -> String {
        all.iter()
            .find(|r| r.starts_with(&format!("\"{doc}\"")))
            .map(|r| r.split('\t').nth(1).unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(of("nd-2023"), of("nd-2024"), "{all:?}");
    assert_ne!(of("nd-2023"), of("nhi-2024"), "{all:?}");
    // explain finds it by either name and says why they are one
    for name in [
        "Bệnh viện Nhiệt đới Trung ương",
        "Bệnh viện Bệnh Nhiệt đới Trung ương",
    ] {
        let run = on_store(&["explain", name], &store);
        run.expect_code(0, name);
        assert!(
            run.stdout.contains("named in 2 document(s)"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("name-variant via the word bệnh"),
            "{}",
            run.stdout
        );
    }
    // built in two runs, the later article first: the same store
    let split = tmp.path().join("split");
    build(&[tmp.path().join("late.jsonl").as_path()], &split).expect_code(0, "late");
    build(&[tmp.path().join("early.jsonl").as_path()], &split).expect_code(0, "early");
    assert_eq!(common::sorted_nquads(&split), common::sorted_nquads(&store));
}

#[test]
fn users_decide_about_bodies_too_and_the_decisions_outlive_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    let article = |id: &str, date: &str, text: &str| {
        serde_json::json!({ "id": id, "date": date, "text": text }).to_string()
    };
    let lines = [
        article("nd-2023", "2023-04-02", "Sáng 2/4, Bệnh viện Bệnh Nhiệt đới Trung ương tiếp nhận 12 bệnh nhân sốt xuất huyết từ các tỉnh phía Bắc."),
        article("nd-2024", "2024-07-09", "Bệnh viện Nhiệt đới Trung ương cho biết số ca sốt xuất huyết tăng gấp đôi so với cùng kỳ năm trước."),
        article("qd-2023", "2023-09-12", "Các bác sĩ Bệnh viện 108 vừa ghép thành công lá gan cho một bệnh nhân 60 tuổi."),
        article("qd-2024", "2024-02-20", "Bệnh viện Trung ương Quân đội 108 khánh thành khu điều trị kỹ thuật cao."),
        article("nhi-2024", "2024-08-01", "Bệnh viện Nhi Trung ương vừa tiếp nhận thêm 20 máy thở từ các nhà tài trợ."),
    ];
    std::fs::write(dir.join("all.jsonl"), lines.join("\n") + "\n").unwrap();
    let store = tmp.path().join("store");
    build(&[dir.as_path()], &store).expect_code(0, "build");
    let body_of = |doc: &str, store: &Path| -> String {
        rows(
            &format!("SELECT ?o WHERE {{ GRAPH ?g {{ ?g prov:wasDerivedFrom/vnkg:docId \"{doc}\" . ?o a org:Organization . FILTER NOT EXISTS {{ ?o vnkg:inferred true }} }} }}"),
            store,
        )
        .join(" ")
    };
    assert_ne!(body_of("qd-2023", &store), body_of("qd-2024", &store));
    assert_eq!(body_of("nd-2023", &store), body_of("nd-2024", &store));

    // a dry run says what would merge, and writes nothing
    let before = common::sorted_nquads(&store);
    let run = curate(
        &[
            "same",
            "Bệnh viện Trung ương Quân đội 108",
            "Bệnh viện 108",
            "--dry-run",
        ],
        &store,
    );
    run.expect_code(0, "same --dry-run");
    assert!(
        run.stdout.contains(
            "merge body: \"Bệnh viện Trung ương Quân đội 108\" (1 document) into \"Bệnh viện 108\""
        ),
        "{}",
        run.stdout
    );
    let run = curate(&["reject", "Bệnh viện Nhi Trung ương", "--dry-run"], &store);
    assert!(
        run.stdout
            .contains("remove body: \"Bệnh viện Nhi Trung ương\" from its 1 document"),
        "{}",
        run.stdout
    );
    assert_eq!(common::sorted_nquads(&store), before);
    // same: a short name the rules cannot tell
    let run = curate(
        &[
            "same",
            "Bệnh viện Trung ương Quân đội 108",
            "Bệnh viện 108",
            "--note",
            "the army's central hospital",
        ],
        &store,
    );
    run.expect_code(0, "same bodies");
    assert_eq!(body_of("qd-2023", &store), body_of("qd-2024", &store));
    let explained = on_store(&["explain", "Bệnh viện 108"], &store);
    explained.expect_code(0, "explain the body");
    assert!(explained.stdout.contains("curated"), "{}", explained.stdout);
    // distinct: a variant the rules joined, split by naming each as its article does
    let run = curate(
        &[
            "distinct",
            "Bệnh viện Bệnh Nhiệt đới Trung ương@nd-2023",
            "Bệnh viện Nhiệt đới Trung ương@nd-2024",
        ],
        &store,
    );
    run.expect_code(0, "distinct bodies");
    assert_ne!(body_of("nd-2023", &store), body_of("nd-2024", &store));
    // reject: no body at all
    curate(&["reject", "Bệnh viện Nhi Trung ương"], &store).expect_code(0, "reject a body");
    assert_eq!(body_of("nhi-2024", &store), "");

    // a rebuild keeps every decision
    build(&[dir.as_path()], &store).expect_code(0, "rebuild");
    assert_eq!(body_of("qd-2023", &store), body_of("qd-2024", &store));
    assert_ne!(body_of("nd-2023", &store), body_of("nd-2024", &store));
    assert_eq!(body_of("nhi-2024", &store), "");
    // and a team's TSV gives a store built from scratch the same bodies
    let tsv = tmp.path().join("decisions.tsv");
    curate(&["export", tsv.to_str().unwrap()], &store).expect_code(0, "export");
    let fresh = tmp.path().join("fresh");
    build(&[dir.as_path()], &fresh).expect_code(0, "fresh build");
    curate(&["import", tsv.to_str().unwrap()], &fresh).expect_code(0, "import");
    for doc in ["nd-2023", "nd-2024", "qd-2023", "qd-2024", "nhi-2024"] {
        assert_eq!(body_of(doc, &fresh), body_of(doc, &store), "{doc}");
    }
}
