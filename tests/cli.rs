//! Integration tests of the `vnkg` command line: build, exports, idempotence, bad inputs,
//! queries, store errors and statistics. Every test builds its own store in its own temporary
//! directory from the short, made-up articles in `tests/fixtures/articles`.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

mod common;
use common::{build, query, vnkg, vnkg_in};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
}

/// Copies the fixture articles into `dir` (created) and returns it.
fn copy_articles(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    dir.to_path_buf()
}

/// The raw text of every document under `dir`, by id: `.txt` files by file stem, `.jsonl`
/// records by `id`.
fn document_texts(dir: &Path) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        match p.extension().and_then(OsStr::to_str) {
            Some("txt") => {
                let id = p.file_stem().unwrap().to_str().unwrap().to_string();
                docs.insert(id, std::fs::read_to_string(&p).unwrap());
            }
            Some("jsonl") => {
                for line in std::fs::read_to_string(&p).unwrap().lines() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let v: Value = serde_json::from_str(line).unwrap();
                    docs.insert(
                        v["id"].as_str().unwrap().to_string(),
                        v["text"].as_str().unwrap().to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    docs
}

/// `vnkg export --format FORMAT --store STORE` to standard output; must succeed.
fn export(format: &str, store: &Path) -> String {
    let run = vnkg([
        "export".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(0, &format!("export --format {format}"));
    run.stdout
}

/// Facts export parsed, by document id.
fn facts(store: &Path) -> BTreeMap<String, Value> {
    export("facts", store)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["doc"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

/// The `name`s of a facts array (persons, organizations).
fn names(doc: &Value, key: &str) -> BTreeSet<String> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array in {doc}"))
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

fn has_position(doc: &Value, person: &str, title: &str, org: Option<&str>, former: bool) -> bool {
    let want = serde_json::json!({"person": person, "title": title, "org": org, "former": former});
    doc["positions"].as_array().unwrap().contains(&want)
}

/// Builds the fixture articles into `<tmp>/store`; returns the store.
fn built_store(tmp: &Path) -> PathBuf {
    let store = tmp.join("store");
    build(&[&fixtures()], &store).expect_code(0, "build fixtures");
    store
}

#[test]
fn build_directory_of_txt_and_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let run = build(&[&fixtures()], &store);
    run.expect_code(0, "build");
    let summary = run
        .stderr
        .lines()
        .find(|l| l.starts_with("vnkg: built "))
        .unwrap_or_else(|| panic!("no summary line in stderr:\n{}", run.stderr));
    assert!(
        summary.starts_with("vnkg: built 4 documents"),
        "summary: {summary}"
    );
    assert!(
        !summary.contains("input problems"),
        "unexpected input problems: {summary}"
    );
    // nothing else was reported but the linking summary: no warnings, no errors
    assert!(
        run.stderr
            .contains("vnkg: linked 8 person records in the store into 8 persons"),
        "stderr:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().filter(|l| !l.trim().is_empty()).count(),
        2,
        "stderr:\n{}",
        run.stderr
    );
    assert!(store.join("CURRENT").exists(), "no RocksDB store created");
    // the four documents are in the store
    let ids: Vec<String> = facts(&store).into_keys().collect();
    assert_eq!(ids, ["ha-tinh", "nghe-an", "quang-binh-1", "thanh-hoa-1"]);
}

#[test]
fn facts_export_format_and_content() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built_store(tmp.path());
    let out_file = tmp.path().join("facts.jsonl");
    // `vnkg export --format facts --output OUT`, run in the temporary folder
    let export_to = |out: &std::ffi::OsStr| {
        vnkg_in(
            tmp.path(),
            [
                "export".as_ref(),
                "--format".as_ref(),
                "facts".as_ref(),
                "--store".as_ref(),
                store.as_os_str(),
                "--output".as_ref(),
                out,
            ],
        )
    };
    export_to(out_file.as_os_str()).expect_code(0, "export --output");
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.ends_with('\n'));
    // no temporary file left beside the output
    assert!(!tmp.path().join("facts.vnkg-partial").exists());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "one line per document:\n{text}");
    // `--output -` is standard output, and writes no file named "-"
    let run = export_to("-".as_ref());
    run.expect_code(0, "export --output -");
    assert_eq!(run.stdout, text);
    assert!(!tmp.path().join("-").exists());

    const KEYS: [&str; 11] = [
        "doc",
        "date",
        "persons",
        "organizations",
        "places",
        "positions",
        "events",
        "agreements",
        "awards",
        "donations",
        "legal_documents",
    ];
    let mut by_doc = BTreeMap::new();
    for line in &lines {
        let v: Value = serde_json::from_str(line).unwrap();
        let obj = v.as_object().expect("a JSON object per line");
        let keys: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(KEYS), "keys of {line}");
        // key order, from the raw text (serde_json's Map does not keep it)
        let at: Vec<usize> = KEYS
            .iter()
            .map(|k| {
                line.find(&format!("\"{k}\":"))
                    .unwrap_or_else(|| panic!("no key {k} in {line}"))
            })
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "keys out of order in {line}"
        );
        assert!(line.starts_with("{\"doc\":"), "{line}");
        for k in &KEYS[2..] {
            assert!(v[k].is_array(), "{k} is not an array in {line}");
        }
        by_doc.insert(v["doc"].as_str().unwrap().to_string(), v);
    }
    // the same facts on standard output
    assert_eq!(export("facts", &store), text);

    let na = &by_doc["nghe-an"];
    // a .txt is dated by its lead ("Sáng 12/3/2023, ...")
    assert_eq!(na["date"], "2023-03-12");
    assert_eq!(by_doc["ha-tinh"]["date"], "2023-04-05");
    assert_eq!(
        names(na, "persons"),
        BTreeSet::from(["Nguyễn Văn Bình".to_string(), "Lê Thị Hoa".to_string()])
    );
    let orgs = names(na, "organizations");
    assert!(orgs.contains("Sở Y tế tỉnh Nghệ An"), "{orgs:?}");
    assert!(orgs.contains("Ủy ban nhân dân tỉnh Nghệ An"), "{orgs:?}");
    assert!(
        na["places"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"name": "Nghệ An", "level": "province"})),
        "{}",
        na["places"]
    );
    // "Giám đốc Sở Y tế" in an article about Nghệ An: the implicit locality
    assert!(
        has_position(
            na,
            "Nguyễn Văn Bình",
            "Giám đốc",
            Some("Sở Y tế tỉnh Nghệ An"),
            false
        ),
        "{}",
        na["positions"]
    );
    // "Phó Chủ tịch UBND tỉnh Lê Thị Hoa": UBND expanded, the province implicit
    assert!(
        has_position(
            na,
            "Lê Thị Hoa",
            "Phó Chủ tịch",
            Some("Ủy ban nhân dân tỉnh Nghệ An"),
            false
        ),
        "{}",
        na["positions"]
    );

    let ht = &by_doc["ha-tinh"];
    assert!(
        has_position(
            ht,
            "Phạm Minh Quân",
            "Chủ tịch",
            Some("Ủy ban nhân dân tỉnh Hà Tĩnh"),
            false
        ),
        "{}",
        ht["positions"]
    );
    // "nguyên Chủ tịch": a former post
    assert!(
        has_position(
            ht,
            "Lê Đình Khang",
            "Chủ tịch",
            Some("Ủy ban nhân dân tỉnh Hà Tĩnh"),
            true
        ),
        "{}",
        ht["positions"]
    );
    assert!(!has_position(
        ht,
        "Lê Đình Khang",
        "Chủ tịch",
        Some("Ủy ban nhân dân tỉnh Hà Tĩnh"),
        false
    ));

    // JSON Lines records keep their date
    let qb = &by_doc["quang-binh-1"];
    assert_eq!(qb["date"], "2023-05-20");
    assert!(
        has_position(
            qb,
            "Hoàng Văn Thắng",
            "Giám đốc",
            Some("Sở Giáo dục và Đào tạo tỉnh Quảng Bình"),
            false
        ),
        "{}",
        qb["positions"]
    );
    let th = &by_doc["thanh-hoa-1"];
    assert_eq!(th["date"], "2023-06-03");
    assert!(
        has_position(th, "Đào Thu Hằng", "Bộ trưởng", Some("Bộ Y tế"), false),
        "{}",
        th["positions"]
    );
    assert!(
        has_position(
            th,
            "Đỗ Văn Hiếu",
            "Chủ tịch",
            Some("Ủy ban nhân dân tỉnh Thanh Hóa"),
            false
        ),
        "{}",
        th["positions"]
    );
}

/// "Bà Trần Thị Mai được bổ nhiệm giữ chức Giám đốc Sở Tài chính tỉnh Hà Tĩnh": an
/// appointment names the post the person now holds.
#[test]
fn facts_position_from_appointment() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built_store(tmp.path());
    let ht = &facts(&store)["ha-tinh"];
    assert!(names(ht, "persons").contains("Trần Thị Mai"));
    assert!(
        has_position(
            ht,
            "Trần Thị Mai",
            "Giám đốc",
            Some("Sở Tài chính tỉnh Hà Tĩnh"),
            false
        ),
        "{}",
        ht["positions"]
    );
}

#[test]
fn mentions_offsets_are_characters_of_the_nfc_text() {
    let tmp = tempfile::tempdir().unwrap();
    let input = copy_articles(&tmp.path().join("in"));
    // one article in NFD: every precomposed letter decomposed into base + combining marks
    let nfc_text = "Chiều 15/8/2023, Ủy ban nhân dân tỉnh Quảng Trị tổ chức phiên họp thường kỳ. \
        Ông Trương Quang Hải, Chủ tịch UBND tỉnh Quảng Trị chủ trì phiên họp. \
        Giám đốc Sở Kế hoạch và Đầu tư Lương Thế Dũng báo cáo tình hình kinh tế.\n";
    let nfd_text: String = nfc_text.nfd().collect();
    assert_ne!(nfd_text, nfc_text);
    assert!(nfd_text.chars().count() > nfc_text.chars().count());
    std::fs::write(input.join("quang-tri-nfd.txt"), &nfd_text).unwrap();

    let store = tmp.path().join("store");
    build(&[&input], &store).expect_code(0, "build");
    let texts: BTreeMap<String, Vec<char>> = document_texts(&input)
        .into_iter()
        .map(|(id, t)| (id, t.nfc().collect()))
        .collect();
    assert_eq!(texts.len(), 5);

    let out = export("mentions", &store);
    let mut per_doc: BTreeMap<String, usize> = BTreeMap::new();
    let mut types = BTreeSet::new();
    for line in out.lines() {
        let m: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        for k in ["doc", "start", "end", "text", "type", "entity"] {
            assert!(m.get(k).is_some(), "no {k} in {line}");
        }
        let doc = m["doc"].as_str().unwrap();
        let (start, end) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        let text = m["text"].as_str().unwrap();
        let ty = m["type"].as_str().unwrap();
        assert!(["Person", "Organization", "Place"].contains(&ty), "{line}");
        assert!(
            m["entity"].as_str().unwrap().starts_with("https://"),
            "{line}"
        );
        let chars = texts
            .get(doc)
            .unwrap_or_else(|| panic!("unknown doc in {line}"));
        assert!(start < end && end <= chars.len(), "{line}");
        let slice: String = chars[start..end].iter().collect();
        assert_eq!(slice, text, "{line}");
        *per_doc.entry(doc.to_string()).or_default() += 1;
        types.insert(ty.to_string());
    }
    assert_eq!(
        per_doc.keys().collect::<Vec<_>>(),
        [
            "ha-tinh",
            "nghe-an",
            "quang-binh-1",
            "quang-tri-nfd",
            "thanh-hoa-1"
        ],
        "every document has mentions"
    );
    assert_eq!(
        types.len(),
        3,
        "persons, organisations and places: {types:?}"
    );

    // the NFD article: its mentions are NFC, found at their NFC (not NFD) offsets
    let nfd_chars: Vec<char> = nfd_text.chars().collect();
    let mentions: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|m| m["doc"] == "quang-tri-nfd")
        .collect();
    let person = mentions
        .iter()
        .find(|m| m["text"] == "Trương Quang Hải")
        .unwrap_or_else(|| panic!("no NFC mention of Trương Quang Hải: {mentions:?}"));
    assert_eq!(person["type"], "Person");
    let differs = mentions.iter().any(|m| {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        nfd_chars.get(s..e).map(|c| c.iter().collect::<String>())
            != m["text"].as_str().map(String::from)
    });
    assert!(
        differs,
        "offsets would fit the NFD text too: the test proves nothing"
    );
    let f = &facts(&store)["quang-tri-nfd"];
    assert!(names(f, "persons").contains("Trương Quang Hải"), "{f}");
    assert!(
        has_position(
            f,
            "Lương Thế Dũng",
            "Giám đốc",
            Some("Sở Kế hoạch và Đầu tư tỉnh Quảng Trị"),
            false
        ),
        "{}",
        f["positions"]
    );
}

fn sorted_lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort_unstable();
    v
}

#[test]
fn rebuild_is_idempotent_and_replaces_a_changed_document() {
    let tmp = tempfile::tempdir().unwrap();
    let input = copy_articles(&tmp.path().join("in"));
    let store = tmp.path().join("store");

    build(&[&input], &store).expect_code(0, "first build");
    let first = export("nquads", &store);
    assert!(first.contains("Nguyễn Văn Bình"));
    build(&[&input], &store).expect_code(0, "second build");
    let second = export("nquads", &store);
    assert!(!first.is_empty());
    assert_eq!(
        sorted_lines(&first),
        sorted_lines(&second),
        "a rebuild changed the store"
    );
    // also when the document is built on its own
    build(&[&input.join("nghe-an.txt")], &store).expect_code(0, "third build");
    assert_eq!(
        sorted_lines(&first),
        sorted_lines(&export("nquads", &store))
    );

    // a new version of nghe-an: another director
    let path = input.join("nghe-an.txt");
    let old = std::fs::read_to_string(&path).unwrap();
    assert!(old.contains("Nguyễn Văn Bình"));
    std::fs::write(&path, old.replace("Nguyễn Văn Bình", "Phan Đức Long")).unwrap();
    build(&[&path], &store).expect_code(0, "build changed document");

    let all = facts(&store);
    assert_eq!(all.len(), 4, "still four documents");
    let na = &all["nghe-an"];
    let persons = names(na, "persons");
    assert!(persons.contains("Phan Đức Long"), "{persons:?}");
    assert!(!persons.contains("Nguyễn Văn Bình"), "{persons:?}");
    assert!(has_position(
        na,
        "Phan Đức Long",
        "Giám đốc",
        Some("Sở Y tế tỉnh Nghệ An"),
        false
    ));
    assert!(
        !na["positions"].to_string().contains("Nguyễn Văn Bình"),
        "{}",
        na["positions"]
    );
    let nq = export("nquads", &store);
    assert!(
        !nq.contains("Nguyễn Văn Bình"),
        "the old person is still in the store"
    );
    let ask = query(
        "ASK { ?p skos:prefLabel \"Nguyễn Văn Bình\"@vi }",
        None,
        &store,
    );
    ask.expect_code(0, "ask");
    assert_eq!(ask.stdout.trim(), "false");
    // the other documents are untouched
    let others = |s: &str| -> Vec<String> {
        sorted_lines(s)
            .into_iter()
            // the corpus graph (links and tenures) is derived again from every document
            .filter(|l| !l.contains("/graph/nghe-an>") && !l.contains("/graph/corpus>"))
            .map(String::from)
            .collect()
    };
    assert_eq!(others(&first), others(&nq));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(fixtures().join("nghe-an.txt"), input.join("good.txt")).unwrap();
    let mut bytes = "Sáng 1/2/2023, Sở Nội vụ tỉnh Nghệ An họp.\nÔng Trần Văn "
        .as_bytes()
        .to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(" Nam phát biểu.\n".as_bytes());
    std::fs::write(input.join("latin.txt"), bytes).unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    let jsonl = [
        r#"{"id":"j1","text":"Ông Nguyễn Văn Bình, Giám đốc Sở Y tế tỉnh Nghệ An dự hội nghị.","date":"2023-03-12"}"#,
        "đây không phải JSON",
        r#"{"id":"j3","title":"Không có nội dung"}"#,
        r#"{"id":"j4","text":"Bà Lê Thị Hoa, Phó Chủ tịch UBND tỉnh Nghệ An làm việc với Sở Y tế."}"#,
    ]
    .join("\n");
    std::fs::write(input.join("bad.jsonl"), jsonl + "\n").unwrap();

    let store = tmp.path().join("store");
    let run = build(&[&input], &store);
    run.expect_code(1, "build with bad inputs");
    let err = &run.stderr;
    let line_with = |needle: &str| -> &str {
        err.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in stderr:\n{err}"))
    };
    assert!(line_with("latin.txt").contains("UTF-8"), "{err}");
    assert!(line_with("latin.txt").contains("latin.txt:2:"), "{err}");
    assert!(line_with("empty.txt").contains("empty"), "{err}");
    assert!(line_with("bad.jsonl:2:").contains("JSON"), "{err}");
    assert!(line_with("bad.jsonl:3:").contains("text"), "{err}");
    for good in ["good.txt", "bad.jsonl:1:", "bad.jsonl:4:"] {
        assert!(!err.contains(good), "{good} reported as bad:\n{err}");
    }
    assert!(
        line_with("vnkg: built ").starts_with("vnkg: built 3 documents"),
        "{err}"
    );
    assert!(
        line_with("vnkg: built ").contains("4 input problems"),
        "{err}"
    );

    let all = facts(&store);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["good", "j1", "j4"],
        "the good documents are built"
    );
    assert!(names(&all["good"], "persons").contains("Nguyễn Văn Bình"));
    assert_eq!(all["j1"]["date"], "2023-03-12");
    assert!(names(&all["j4"], "persons").contains("Lê Thị Hoa"));
}

#[test]
fn query_formats_ask_construct_and_syntax_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built_store(tmp.path());
    let select = "SELECT ?name WHERE { ?p a schema:Person ; skos:prefLabel ?name } ORDER BY ?name";

    let table = query(select, None, &store);
    table.expect_code(0, "table (default)");
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines[0].trim(), "name", "{}", table.stdout);
    assert!(
        lines.iter().any(|l| l.trim() == "Nguyễn Văn Bình"),
        "{}",
        table.stdout
    );
    assert_eq!(
        table.stdout,
        query(select, Some("table"), &store).stdout,
        "table is the default"
    );

    let csv = query(select, Some("csv"), &store);
    csv.expect_code(0, "csv");
    let rows: Vec<&str> = csv.stdout.lines().map(str::trim_end).collect();
    assert_eq!(rows[0], "name", "{}", csv.stdout);
    assert!(rows.contains(&"Nguyễn Văn Bình"), "{}", csv.stdout);
    assert!(rows.contains(&"Đào Thu Hằng"), "{}", csv.stdout);

    let tsv = query(select, Some("tsv"), &store);
    tsv.expect_code(0, "tsv");
    let rows: Vec<&str> = tsv.stdout.lines().map(str::trim_end).collect();
    assert_eq!(rows[0], "?name", "{}", tsv.stdout);
    assert!(rows.contains(&"\"Nguyễn Văn Bình\"@vi"), "{}", tsv.stdout);

    let json = query(select, Some("json"), &store);
    json.expect_code(0, "json");
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["head"]["vars"], serde_json::json!(["name"]));
    let values: Vec<&str> = v["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"]["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"Nguyễn Văn Bình"), "{values:?}");
    assert!(values.contains(&"Lê Đình Khang"), "{values:?}");

    let xml = query(select, Some("xml"), &store);
    xml.expect_code(0, "xml");
    assert!(xml.stdout.contains("sparql-results"), "{}", xml.stdout);
    assert!(
        xml.stdout.contains(">Nguyễn Văn Bình</literal>"),
        "{}",
        xml.stdout
    );

    // the document metadata of a JSON record is queryable
    let url = query(
        "SELECT ?url WHERE { ?d vnkg:docId \"thanh-hoa-1\" ; schema:url ?url }",
        Some("csv"),
        &store,
    );
    url.expect_code(0, "url");
    assert!(
        url.stdout.contains("https://example.vn/thanh-hoa-1"),
        "{}",
        url.stdout
    );

    let ask = query(
        "ASK { ?p skos:prefLabel \"Nguyễn Văn Bình\"@vi }",
        None,
        &store,
    );
    ask.expect_code(0, "ask");
    assert_eq!(ask.stdout.trim(), "true");
    let ask = query("ASK { ?p skos:prefLabel \"Không Có Ai\"@vi }", None, &store);
    ask.expect_code(0, "ask false");
    assert_eq!(ask.stdout.trim(), "false");

    let construct = query(
        "CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a schema:Person ; skos:prefLabel ?n }",
        None,
        &store,
    );
    construct.expect_code(0, "construct");
    assert!(construct.stdout.contains("@prefix"), "{}", construct.stdout);
    let triples: Vec<oxigraph::model::Triple> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(construct.stdout.as_bytes())
            .map(|t| t.map(oxigraph::model::Triple::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("not Turtle: {e}\n{}", construct.stdout));
    assert!(
        triples.iter().any(|t| {
            t.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#prefLabel"
                && matches!(&t.object, oxigraph::model::Term::Literal(l) if l.value() == "Nguyễn Văn Bình")
        }),
        "{}",
        construct.stdout
    );

    // a syntax error: exit code 2 and the position, before any store is opened
    let bad = query("SELECT ?x WHERE {", None, &store);
    bad.expect_code(2, "syntax error");
    assert!(bad.stdout.is_empty());
    let at = bad
        .stderr
        .find("1:")
        .unwrap_or_else(|| panic!("{}", bad.stderr));
    assert!(
        bad.stderr[at + 2..].starts_with(|c: char| c.is_ascii_digit()),
        "no line:column in {}",
        bad.stderr
    );
    let bad = query(
        "SELECT ?x\nWHERE {\n  ?x ?y }",
        None,
        &tmp.path().join("no-store"),
    );
    bad.expect_code(2, "syntax error on line 3");
    assert!(bad.stderr.contains("3:"), "{}", bad.stderr);
    assert!(!tmp.path().join("no-store").exists());
}

#[test]
fn store_errors() {
    let tmp = tempfile::tempdir().unwrap();

    // a directory holding something else
    let foreign = tmp.path().join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "ghi chú").unwrap();
    let run = build(&[&fixtures()], &foreign);
    run.expect_code(1, "build into a foreign directory");
    assert!(run.stderr.contains("not a vnkg store"), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(&foreign).unwrap().collect();
    assert_eq!(left.len(), 1, "files were written into a foreign directory");

    // a missing store
    let missing = tmp.path().join("missing");
    let run = query("ASK {}", None, &missing);
    run.expect_code(1, "query a missing store");
    assert!(run.stderr.contains("vnkg build"), "{}", run.stderr);
    assert!(!missing.exists(), "a query created the store");
    let run = vnkg([
        "export".as_ref(),
        "--format".as_ref(),
        "facts".as_ref(),
        "--store".as_ref(),
        missing.as_os_str(),
    ]);
    run.expect_code(1, "export a missing store");
    assert!(run.stderr.contains("vnkg build"), "{}", run.stderr);

    // a store held open by another process (this test)
    let store = built_store(tmp.path());
    {
        let _held = oxigraph::store::Store::open(&store).expect("open the store");
        let run = query("ASK {}", None, &store);
        run.expect_code(1, "query a locked store");
        assert!(run.stderr.contains("in use"), "{}", run.stderr);
        let run = build(&[&fixtures()], &store);
        run.expect_code(1, "build into a locked store");
        assert!(run.stderr.contains("in use"), "{}", run.stderr);
    }
    // released: usable again
    let run = query("ASK { ?d vnkg:docId \"nghe-an\" }", None, &store);
    run.expect_code(0, "query after release");
    assert_eq!(run.stdout.trim(), "true");
}

#[test]
fn stats_table() {
    let tmp = tempfile::tempdir().unwrap();
    let store = built_store(tmp.path());
    let run = vnkg(["stats".as_ref(), "--store".as_ref(), store.as_os_str()]);
    run.expect_code(0, "stats");
    let out = &run.stdout;
    let person = out
        .lines()
        .find(|l| l.starts_with("schema:Person"))
        .unwrap_or_else(|| panic!("no schema:Person row:\n{out}"));
    let n: usize = person
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no count in {person:?}"));
    assert_eq!(n, 8, "eight distinct persons in the fixtures:\n{out}");
    let articles = out
        .lines()
        .find(|l| l.starts_with("schema:NewsArticle"))
        .unwrap_or_else(|| panic!("no schema:NewsArticle row:\n{out}"));
    assert_eq!(articles.split_whitespace().nth(1), Some("4"), "{out}");
    for id in ["ha-tinh", "nghe-an", "quang-binh-1", "thanh-hoa-1"] {
        assert!(
            out.lines().any(|l| l.split_whitespace().next() == Some(id)),
            "no row for {id}:\n{out}"
        );
    }
    // missing store
    let run = vnkg([
        "stats".as_ref(),
        "--store".as_ref(),
        tmp.path().join("nowhere").as_os_str(),
    ]);
    run.expect_code(1, "stats on a missing store");
}

/// Relations reach the facts export and the store: the event dated from the document's own date
/// (header, record field or dateline), agreements, awards, donations and cited documents.
#[test]
fn relations_in_facts_and_queries() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // a crawl header gives the year of "Sáng 9-1"
    std::fs::write(
        input.join("quang-tri.txt"),
        " date 2024-01 Hội Dược học tỉnh Quảng Trị tổng kết năm 2023\n\n\
         Sáng 9-1, Hội Dược học tỉnh Quảng Trị tổng kết hoạt động năm 2023.\n\
         Tại hội nghị, Ban Chấp hành Hội Dược học Việt Nam đã tặng Bằng khen cho Hội Dược học tỉnh Quảng Trị.\n\
         Công ty Cổ phần Dược Hậu Giang hỗ trợ 150.000.000 đồng cho Ủy ban MTTQ tỉnh Quảng Trị.\n\
         Hội triển khai Kế hoạch số 120/KH-UBND ngày 5/6/2023 của UBND tỉnh.\n",
    )
    .unwrap();
    // a record's date gives the year of "Chiều 30/12": the year before
    std::fs::write(
        input.join("records.jsonl"),
        concat!(
            r#"{"id":"lao-cai-1","date":"2024-01-02","text":"Chiều 30/12, Sở Y tế tỉnh Lào Cai tổ chức hội nghị tổng kết. Nhân dịp này, Bệnh viện Bạch Mai và Sở Y tế tỉnh Lào Cai đã ký kết hỗ trợ chuyên môn."}"#,
            "\n"
        ),
    )
    .unwrap();
    // a dateline gives the year of "Ngày 18-7"
    std::fs::write(
        input.join("ninh-binh.txt"),
        "Ngành Y tế Ninh Bình sơ kết 6 tháng\n\n14/07/2022\n\nNgày 12-7, Sở Y tế tỉnh Ninh Bình tổ chức hội nghị sơ kết. Đồng chí Phạm Văn Sơn - Giám đốc Sở chủ trì hội nghị.\n",
    )
    .unwrap();
    let store = tmp.path().join("store");
    build(&[&input], &store).expect_code(0, "build");
    let all = facts(&store);

    let qt = &all["quang-tri"];
    assert_eq!(qt["date"], "2024-01-09", "the date of the main event");
    let event = &qt["events"][0];
    assert_eq!(event["kind"], "conference");
    assert_eq!(
        event["organizers"],
        serde_json::json!(["Hội Dược học tỉnh Quảng Trị"])
    );
    assert_eq!(
        event["participants"],
        serde_json::json!(["Hội Dược học Việt Nam"])
    );
    assert_eq!(
        qt["awards"],
        serde_json::json!([{"award": "Bằng khen", "recipient": "Hội Dược học tỉnh Quảng Trị", "grantor": "Hội Dược học Việt Nam"}])
    );
    assert_eq!(
        qt["donations"],
        serde_json::json!([{"donor": "Công ty Cổ phần Dược Hậu Giang", "recipient": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị", "amount_vnd": 150000000}])
    );
    assert_eq!(
        qt["legal_documents"],
        serde_json::json!([{"number": "120/KH-UBND", "kind": "Kế hoạch", "issuers": ["Ủy ban nhân dân tỉnh Quảng Trị"], "date": "2023-06-05"}])
    );

    let lc = &all["lao-cai-1"];
    assert_eq!(lc["date"], "2023-12-30");
    assert_eq!(
        lc["agreements"],
        serde_json::json!([{"parties": ["Bệnh viện Bạch Mai", "Sở Y tế tỉnh Lào Cai"], "date": "2023-12-30", "topic": "hỗ trợ chuyên môn"}])
    );

    let nb = &all["ninh-binh"];
    assert_eq!(nb["date"], "2022-07-12");
    assert_eq!(
        nb["events"][0]["participants"],
        serde_json::json!(["Phạm Văn Sơn"])
    );

    // the plain edge between the parties of an agreement, both ways
    let run = query(
        "SELECT ?b WHERE { GRAPH ?g { ?a vnkg:agreementWith ?b . ?a skos:prefLabel \"Bệnh viện Bạch Mai\"@vi . } }",
        Some("csv"),
        &store,
    );
    run.expect_code(0, "agreementWith");
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    // every relation keeps the sentence it came from
    let run = query(
        "SELECT ?r WHERE { ?r a ?c . FILTER NOT EXISTS { ?r prov:wasDerivedFrom ?s . ?s a nif:Sentence } VALUES ?c { schema:Event org:OrganizationalCollaboration vnkg:AwardConferral schema:DonateAction schema:Legislation } }",
        Some("csv"),
        &store,
    );
    run.expect_code(0, "provenance");
    assert_eq!(
        run.stdout.trim(),
        "r",
        "relations without a sentence:\n{}",
        run.stdout
    );
}

#[test]
fn any_number_of_threads_builds_the_same_store() {
    // every fixture corpus of the tests, built with one thread and with three
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let inputs = [
        root.join("articles"),
        root.join("identity"),
        root.join("graph"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut exports = Vec::new();
    for threads in ["1", "3"] {
        let store = tmp.path().join(format!("store-{threads}"));
        let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref()];
        args.extend(inputs.iter().map(|p| p.as_os_str()));
        args.extend([
            "--store".as_ref(),
            store.as_os_str(),
            "--threads".as_ref(),
            threads.as_ref(),
        ]);
        vnkg(args).expect_code(0, "build --threads");
        exports.push(export("nquads", &store));
    }
    assert!(exports[0].lines().count() > 1000, "{}", exports[0].len());
    assert!(exports[0] == exports[1], "the stores differ");
}

#[test]
fn a_document_beyond_the_limit_is_refused_and_the_others_built() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let sentence =
        "Sáng 3/5, Sở Y tế tỉnh Nam Định tổ chức hội nghị sơ kết công tác phòng chống dịch. ";
    std::fs::write(dir.join("nho.txt"), sentence).unwrap();
    std::fs::write(dir.join("lon.txt"), sentence.repeat(200)).unwrap();
    let store = tmp.path().join("store");
    let run = vnkg([
        "build".as_ref(),
        dir.as_os_str(),
        "--store".as_ref(),
        store.as_os_str(),
        "--max-doc-bytes".as_ref(),
        "10000".as_ref(),
    ]);
    run.expect_code(1, "build with a document too large");
    assert!(
        run.stderr
            .contains("lon.txt: document of 22200 bytes exceeds the limit of 10000 bytes"),
        "{}",
        run.stderr
    );
    let ids = query(
        "SELECT ?id WHERE { ?d vnkg:docId ?id } ORDER BY ?id",
        Some("tsv"),
        &store,
    );
    assert_eq!(ids.stdout.lines().skip(1).collect::<Vec<_>>(), ["\"nho\""]);
}

#[test]
fn controls_from_the_input_are_printed_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    let line = serde_json::json!({
        "id": "tin\u{1b}[31m\u{202e}do",
        "text": "Sáng 3/5, Sở Y tế tỉnh Nam Định tổ chức hội nghị sơ kết công tác phòng chống dịch.",
    })
    .to_string();
    // the same id twice: a warning that names it
    std::fs::write(&input, format!("{line}\n{line}\n")).unwrap();
    let store = tmp.path().join("store");
    let run = build(&[&input], &store);
    run.expect_code(0, "build");
    let raw = |s: &str| s.contains('\u{1b}') || s.contains('\u{202e}');
    assert!(!raw(&run.stderr), "{:?}", run.stderr);
    assert!(
        run.stderr.contains("\\u{1b}[31m\\u{202e}do"),
        "{}",
        run.stderr
    );
    // a table shows it escaped; CSV keeps the data as it is
    let table = query("SELECT ?id WHERE { ?d vnkg:docId ?id }", None, &store);
    assert!(!raw(&table.stdout), "{:?}", table.stdout);
    assert!(table.stdout.contains("tin\\u{1b}[31m"), "{}", table.stdout);
    let csv = query(
        "SELECT ?id WHERE { ?d vnkg:docId ?id }",
        Some("csv"),
        &store,
    );
    assert!(csv.stdout.contains('\u{1b}'), "{:?}", csv.stdout);
    // explain lists the document escaped
    let explain = vnkg([
        "explain".as_ref(),
        "Sở Y tế tỉnh Nam Định".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    explain.expect_code(0, "explain");
    assert!(!raw(&explain.stdout), "{:?}", explain.stdout);
    assert!(explain.stdout.contains("\\u{202e}do"), "{}", explain.stdout);
}

#[test]
fn every_canned_query_runs_and_the_bounded_lookups_answer_from_the_corpus_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    build(&[fixtures().as_path()], &store).expect_code(0, "build");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension() == Some(OsStr::new("rq")) {
            let run = vnkg([
                "query".as_ref(),
                p.as_os_str(),
                "--store".as_ref(),
                store.as_os_str(),
            ]);
            run.expect_code(0, &p.display().to_string());
            names.push(p.file_name().unwrap().to_string_lossy().to_string());
        }
    }
    assert!(names.iter().any(|n| n == "body_officials.rq"), "{names:?}");
    // one body's officials, by any spelling of its name, folded
    let body = std::fs::read_to_string(dir.join("body_officials.rq"))
        .unwrap()
        .replace("\"sở y tế thanh hóa\"", "\"ủy ban nhân dân hà tĩnh\"");
    let run = query(&body, Some("csv"), &store);
    run.expect_code(0, "body_officials.rq for Hà Tĩnh");
    let rows: BTreeSet<String> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        rows,
        BTreeSet::from([
            "Ủy ban nhân dân tỉnh Hà Tĩnh,Lê Đình Khang,Chủ tịch".to_string(),
            "Ủy ban nhân dân tỉnh Hà Tĩnh,Phạm Minh Quân,Chủ tịch".to_string(),
        ]),
        "{}",
        run.stdout
    );
}
