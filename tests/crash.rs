//! Crash safety: `vnkg build` killed (SIGKILL, no chance to clean up) at several points of a
//! long build leaves a store that opens, holds whole documents only (each with its text and
//! every mention a finished build gives it), and that a new build of the same input turns
//! into exactly the store of a build that was never interrupted.

mod common;

use common::{query, vnkg};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SURNAMES: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Hữu", "Quang", "Thanh"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Lan", "Long", "Nam", "Phúc", "Sơn",
];
const PROVINCES: &[&str] = &[
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Thanh Hóa",
    "Nam Định",
    "Thái Bình",
    "Ninh Bình",
];
const BODIES: &[&str] = &[
    "Sở Y tế",
    "Sở Tư pháp",
    "Sở Giáo dục và Đào tạo",
    "Sở Xây dựng",
];

fn name(i: usize) -> String {
    format!(
        "{} {} {}",
        SURNAMES[i % SURNAMES.len()],
        MIDDLE[(i / 3) % MIDDLE.len()],
        GIVEN[(i / 7) % GIVEN.len()]
    )
}

/// `n` short articles of year-end conferences: a few hundred officials of a few provinces,
/// each named in several articles, so that linking has work to do.
fn corpus(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let prov = PROVINCES[i % PROVINCES.len()];
        let body = BODIES[(i / 2) % BODIES.len()];
        let text = format!(
            "{body} {prov} tổng kết công tác năm\nSáng {d}/{m}, {body} tỉnh {prov} tổ chức hội nghị tổng kết công tác năm 2024. Ông {a}, Giám đốc {body} tỉnh {prov}, chủ trì hội nghị. Dự hội nghị có bà {b}, Phó Chủ tịch UBND tỉnh {prov}. Dịp này, {body} tỉnh {prov} trao Bằng khen cho {k} tập thể và ủng hộ {k}0 triệu đồng cho Quỹ Vì người nghèo.",
            d = 1 + i % 28,
            m = 1 + (i / 28) % 12,
            a = name(i % 97),
            b = name(3 + i % 89),
            k = 2 + i % 9,
        );
        let line = serde_json::json!({
            "id": format!("tin-{i:05}"),
            "date": format!("2024-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28),
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Each document graph's mentions and contexts: graph IRI -> (mentions, contexts with text).
fn documents(store: &Path) -> BTreeMap<String, (usize, usize)> {
    let run = query(
        "SELECT ?g (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?c) AS ?contexts) WHERE { \
           GRAPH ?g { ?d vnkg:docId ?id } \
           OPTIONAL { GRAPH ?g { ?m a nif:Phrase } } \
           OPTIONAL { GRAPH ?g { ?c a nif:Context ; nif:isString ?s } } \
         } GROUP BY ?g",
        Some("tsv"),
        store,
    );
    run.expect_code(0, "query the documents");
    run.stdout
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let n = |s: &str| s.split('"').nth(1).unwrap_or(s).parse::<usize>().unwrap();
            (f[0].to_string(), (n(f[1]), n(f[2])))
        })
        .collect()
}

fn nquads(store: &Path) -> String {
    let run = vnkg([
        "export".as_ref(),
        "--format".as_ref(),
        "nquads".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(0, "export --format nquads");
    run.stdout
}

fn build_args<'a>(input: &'a Path, store: &'a Path) -> Vec<&'a std::ffi::OsStr> {
    vec![
        "build".as_ref(),
        input.as_os_str(),
        "--store".as_ref(),
        store.as_os_str(),
        "--batch-quads".as_ref(),
        "6000".as_ref(),
    ]
}

fn sorted_lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort_unstable();
    v
}

#[test]
fn a_build_killed_anywhere_leaves_whole_documents_and_a_rebuild_equals_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("tin.jsonl");
    let docs = 1000;
    std::fs::write(&input, corpus(docs)).unwrap();

    // the build that is never interrupted
    let clean = tmp.path().join("clean");
    let started = Instant::now();
    vnkg(build_args(&input, &clean)).expect_code(0, "clean build");
    let took = started.elapsed();
    let expected = documents(&clean);
    assert_eq!(expected.len(), docs, "the clean build holds every document");
    assert!(
        expected.values().all(|&(m, c)| m >= 5 && c == 1),
        "{expected:?}"
    );
    let clean_export = nquads(&clean);
    let clean_quads = sorted_lines(&clean_export);

    // one store, built again and again and killed each time at a later point of the build's
    // length (as this run measured it): a kill lands in a bulk load of new documents, in a
    // transaction that replaces documents already there, or in the linking
    let store = tmp.path().join("killed");
    let mut partial = 0;
    for fraction in [0.15, 0.35, 0.55, 0.75, 0.95] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vnkg"))
            .args(build_args(&input, &store))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_secs_f64(took.as_secs_f64() * fraction));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !store.join("CURRENT").exists() {
            continue; // killed before the store was made: nothing to check
        }
        // the store opens, and holds whole documents only
        let probe = query("ASK {}", None, &store);
        if probe.code == Some(1) && probe.stderr.contains("holds no vnkg data") {
            continue; // killed before the first write
        }
        probe.expect_code(0, "the killed build's store opens");
        let found = documents(&store);
        for (g, counts) in &found {
            assert_eq!(
                Some(counts),
                expected.get(g),
                "killed at {fraction}: document {g} is not whole"
            );
        }
        if !found.is_empty() && found.len() < docs {
            partial += 1;
        }
    }
    assert!(
        partial >= 1,
        "no kill landed between two bulk loads (the clean build took {took:?})"
    );
    // a build that runs to its end gives the store of the clean build
    vnkg(build_args(&input, &store)).expect_code(0, "the build after the kills");
    let again = nquads(&store);
    let again = sorted_lines(&again);
    assert!(
        again == clean_quads,
        "the rebuilt store differs from the clean build ({} and {} quads)",
        again.len(),
        clean_quads.len()
    );
}
