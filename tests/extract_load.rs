//! `vnkg extract` and `vnkg load`: a corpus extracted in parts, as a map engine runs it, and
//! loaded into one store gives the store `vnkg build` gives; a cut or malformed file changes
//! nothing; a bad document is reported and the others extracted.

mod common;

use common::{build, sorted_nquads, vnkg};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn extract(inputs: &[&Path], out: &Path) -> common::Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["extract".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    let run = vnkg(args);
    std::fs::write(out, &run.stdout).unwrap();
    run
}

fn load(files: &[&Path], store: &Path) -> common::Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["load".as_ref()];
    args.extend(files.iter().map(|p| p.as_os_str()));
    args.extend(["--store".as_ref(), store.as_os_str()]);
    vnkg(args)
}

#[test]
fn a_corpus_extracted_in_parts_and_loaded_equals_its_build() {
    let tmp = tempfile::tempdir().unwrap();
    let articles = fixtures().join("articles");
    let identity = fixtures().join("identity/articles.jsonl");
    let whole = tmp.path().join("built");
    build(&[&articles, &identity], &whole).expect_code(0, "build");

    // two parts, as two partitions of a map job; loaded in the other order
    let (a, b) = (tmp.path().join("a.nq"), tmp.path().join("b.nq"));
    extract(&[&articles], &a).expect_code(0, "extract part a");
    let run = extract(&[&identity], &b);
    run.expect_code(0, "extract part b");
    assert!(run.stderr.contains("vnkg: extracted "), "{}", run.stderr);
    let loaded = tmp.path().join("loaded");
    let run = load(&[&b, &a], &loaded);
    run.expect_code(0, "load");
    assert!(run.stderr.contains("vnkg: loaded "), "{}", run.stderr);
    assert!(run.stderr.contains("vnkg: linked "), "{}", run.stderr);

    let (built, got) = (sorted_nquads(&whole), sorted_nquads(&loaded));
    assert!(built.len() > 500, "{} quads", built.len());
    if built != got {
        let only_built: Vec<_> = built.iter().filter(|l| !got.contains(l)).take(5).collect();
        let only_loaded: Vec<_> = got.iter().filter(|l| !built.contains(l)).take(5).collect();
        panic!(
            "the loaded store differs:\nonly built: {only_built:#?}\nonly loaded: {only_loaded:#?}"
        );
    }

    // the two runs joined in one file, as a map engine's collected output, load the same
    let joined = tmp.path().join("joined.nq");
    let mut bytes = std::fs::read(&a).unwrap();
    bytes.extend(std::fs::read(&b).unwrap());
    std::fs::write(&joined, bytes).unwrap();
    let again = tmp.path().join("joined-store");
    load(&[&joined], &again).expect_code(0, "load joined");
    assert_eq!(sorted_nquads(&again), built);
}

#[test]
fn a_cut_or_malformed_file_is_refused_and_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let articles = fixtures().join("articles");
    let identity = fixtures().join("identity/articles.jsonl");
    let store = tmp.path().join("store");
    build(&[&identity], &store).expect_code(0, "build");
    let before = sorted_nquads(&store);

    let good = tmp.path().join("good.nq");
    extract(&[&articles], &good).expect_code(0, "extract");
    let text = std::fs::read_to_string(&good).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mark = lines
        .iter()
        .position(|l| l.starts_with("# vnkg document "))
        .expect("a document mark");

    let cases: Vec<(&str, String)> = vec![
        // inside a quad
        ("cut in a quad", {
            let half = (0..=text.len() / 2)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text[..half].to_string()
        }),
        // after the first document, before the end of the run
        ("cut between documents", lines[..=mark].join("\n") + "\n"),
        // the last document without its mark
        ("cut before a mark", lines[..mark].join("\n") + "\n"),
        // a quad that is not N-Quads
        // the second quad not N-Quads (a space in its graph's IRI)
        ("malformed", {
            let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            broken[1] = broken[1].replacen("/id/graph/", "/id/graph /", 1);
            broken.join("\n") + "\n"
        }),
    ];
    for (what, bytes) in cases {
        let bad = tmp.path().join(format!("{}.nq", what.replace(' ', "-")));
        std::fs::write(&bad, bytes).unwrap();
        // a good file beside it is not loaded either: all or nothing
        let run = load(&[&good, &bad], &store);
        run.expect_code(1, what);
        let named = format!("{}:", bad.display());
        assert!(
            run.stderr.contains(&named) && run.stderr.contains("nothing loaded"),
            "{what}: {}",
            run.stderr
        );
        let line: u64 = run.stderr[run.stderr.find(&named).unwrap() + named.len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{what}: no line in {}", run.stderr));
        assert!(
            line >= 1 && line as usize <= lines.len(),
            "{what}: line {line}"
        );
        if what == "malformed" {
            assert_eq!(line, 2, "{}", run.stderr);
        }
        assert_eq!(sorted_nquads(&store), before, "{what}: the store changed");
    }
    // into a store that does not exist, nothing is created
    let fresh = tmp.path().join("fresh");
    let cut = tmp.path().join("cut-in-a-quad.nq");
    load(&[&cut], &fresh).expect_code(1, "load into a fresh store");
    assert!(
        !fresh.exists(),
        "a refused load created {}",
        fresh.display()
    );
    // and the good file alone loads
    load(&[&good], &store).expect_code(0, "load the good file");
    assert!(sorted_nquads(&store).len() > before.len());
}

#[test]
fn extract_reports_a_bad_document_and_writes_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("tin.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "tin-1", "text": "Sáng 3-2, Giám đốc Sở Y tế tỉnh Hà Tĩnh Nguyễn Thị Lan làm việc với Bệnh viện Đa khoa tỉnh."}"#,
            "\n",
            r#"{"id": "tin-2", "text": "thiếu dấu ngoặc"#,
            "\n",
            r#"{"id": "tin-3", "text": "Chủ tịch UBND tỉnh Nghệ An Trần Văn Hùng dự hội nghị."}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = tmp.path().join("out.nq");
    let run = extract(&[&input], &out);
    run.expect_code(1, "extract with a bad line");
    assert!(
        run.stderr.contains(&format!("{}:2:", input.display())),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("graph/tin-1>"), "{}", run.stdout);
    assert!(run.stdout.contains("graph/tin-3>"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with("# vnkg extract: 2 documents\n"),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(200)..]
    );
    // what was written loads, and holds the persons of both documents
    let store = tmp.path().join("store");
    load(&[&out], &store).expect_code(0, "load");
    let run = common::query(
        "SELECT DISTINCT ?n WHERE { ?p a schema:Person ; skos:prefLabel ?n } ORDER BY ?n",
        Some("csv"),
        &store,
    );
    run.expect_code(0, "query");
    assert!(run.stdout.contains("Nguyễn Thị Lan"), "{}", run.stdout);
    assert!(run.stdout.contains("Trần Văn Hùng"), "{}", run.stdout);
}
