//! `vnkg compact` and `build --compact`: the store rewritten by one bulk load is smaller on
//! disk and holds the same quads; a compaction killed between its two renames is repaired by
//! the next command that opens the store.

mod common;

use common::{query, sorted_nquads, vnkg};
use std::path::{Path, PathBuf};

/// `n` short articles of provincial departments' conferences, each naming two officials.
fn corpus(n: usize) -> String {
    const PROVINCES: &[&str] = &["Nghệ An", "Hà Tĩnh", "Quảng Trị", "Lạng Sơn", "Cà Mau"];
    const BODIES: &[&str] = &["Sở Tư pháp", "Sở Nội vụ", "Sở Công Thương"];
    const NAMES: &[&str] = &[
        "Nguyễn Văn Toàn",
        "Trần Thị Mai",
        "Lê Quang Huy",
        "Phạm Minh Đức",
        "Hoàng Thị Thu",
        "Vũ Đình Khang",
    ];
    let mut out = String::new();
    for i in 0..n {
        let prov = PROVINCES[i % PROVINCES.len()];
        let body = BODIES[(i / 5) % BODIES.len()];
        let text = format!(
            "{body} {prov} triển khai nhiệm vụ năm 2025\nChiều {d}-3, {body} tỉnh {prov} tổ chức hội nghị triển khai nhiệm vụ năm 2025. Ông {a}, Giám đốc {body} tỉnh {prov}, phát biểu khai mạc. Bà {b}, Phó Chủ tịch UBND tỉnh {prov}, đề nghị ngành tập trung cải cách thủ tục hành chính.",
            d = 1 + i % 28,
            a = NAMES[i % NAMES.len()],
            b = NAMES[(i + 2) % NAMES.len()],
        );
        let line = serde_json::json!({"id": format!("hn-{i:04}"), "text": text});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

/// `n` articles written to `hn.jsonl` in `tmp` and built into `tmp/store`: the input, the
/// store and its sorted N-Quads.
fn built_store(tmp: &Path, n: usize) -> (PathBuf, PathBuf, Vec<String>) {
    let input = tmp.join("hn.jsonl");
    std::fs::write(&input, corpus(n)).unwrap();
    let store = tmp.join("store");
    vnkg([
        "build".as_ref(),
        input.as_os_str(),
        "--store".as_ref(),
        store.as_os_str(),
    ])
    .expect_code(0, "build");
    let built = sorted_nquads(&store);
    (input, store, built)
}

#[test]
fn compact_keeps_every_quad_in_a_smaller_store_and_survives_a_kill_in_its_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, store, built) = built_store(tmp.path(), 400);
    assert!(built.len() > 10_000, "{} quads", built.len());
    let before = size(&store);

    let run = vnkg(["compact".as_ref(), "--store".as_ref(), store.as_os_str()]);
    run.expect_code(0, "compact");
    assert!(run.stderr.contains("vnkg: compacted "), "{}", run.stderr);
    let after = size(&store);
    assert!(
        after * 3 < before * 2,
        "compacted {after} bytes, built {before} bytes"
    );
    assert!(sorted_nquads(&store) == built, "compact changed the quads");
    let siblings: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        siblings.iter().all(|n| !n.contains("vnkg-")),
        "left behind: {siblings:?}"
    );

    // killed after the old store was moved aside and before the new one took its place:
    // the next command puts the old (whole) store back
    let previous = tmp.path().join("store.vnkg-previous");
    std::fs::rename(&store, &previous).unwrap();
    std::fs::create_dir(tmp.path().join("store.vnkg-repack")).unwrap();
    query("ASK {}", None, &store).expect_code(0, "the store opens after the kill");
    assert!(!previous.exists());
    assert!(sorted_nquads(&store) == built, "the repaired store differs");
    // and a compaction after it clears what the killed one left
    vnkg(["compact".as_ref(), "--store".as_ref(), store.as_os_str()])
        .expect_code(0, "compact again");
    assert!(!tmp.path().join("store.vnkg-repack").exists());

    // build --compact gives the compacted store at once
    let direct = tmp.path().join("direct");
    let run = vnkg([
        "build".as_ref(),
        input.as_os_str(),
        "--compact".as_ref(),
        "--store".as_ref(),
        direct.as_os_str(),
    ]);
    run.expect_code(0, "build --compact");
    assert!(
        run.stderr.contains("store written compressed"),
        "{}",
        run.stderr
    );
    assert!(sorted_nquads(&direct) == built);
    assert!(size(&direct) * 3 < before * 2);
}

#[test]
fn compact_refuses_a_directory_that_is_not_a_store() {
    let tmp = tempfile::tempdir().unwrap();
    let run = vnkg([
        "compact".as_ref(),
        "--store".as_ref(),
        tmp.path().join("none").as_os_str(),
    ]);
    run.expect_code(1, "compact of no store");
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

/// Bytes of the store's tables (its `.sst` files; the log files change with every open).
fn table_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".sst"))
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

#[test]
fn a_store_compacted_in_one_part_keeps_its_size_while_read_or_relinked_and_one_in_parts_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, store, built) = built_store(tmp.path(), 300);
    let parts = tmp.path().join("parts");
    copy_dir(&store, &parts);

    // the default memory holds these quads: one part, no warning, and no compaction after it
    let run = vnkg(["compact".as_ref(), "--store".as_ref(), store.as_os_str()]);
    run.expect_code(0, "compact");
    assert!(!run.stderr.contains("parts"), "{}", run.stderr);
    let compacted = table_bytes(&store);
    for q in [
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?name WHERE { ?p a schema:Person ; skos:prefLabel ?name }",
    ] {
        query(q, None, &store).expect_code(0, q);
    }
    assert_eq!(
        table_bytes(&store),
        compacted,
        "reading the store rewrote it"
    );
    // nor does a build that changes nothing (it links again, and writes only what differs)
    let nothing = tmp.path().join("nothing.jsonl");
    std::fs::write(&nothing, "").unwrap();
    for _ in 0..2 {
        vnkg([
            "build".as_ref(),
            nothing.as_os_str(),
            "--store".as_ref(),
            store.as_os_str(),
        ])
        .expect_code(0, "build of nothing");
    }
    assert_eq!(
        table_bytes(&store),
        compacted,
        "a build of nothing rewrote the store"
    );
    assert!(
        sorted_nquads(&store) == built,
        "a build of nothing changed the quads"
    );
    // every open starts a RocksDB diagnostic log: the store keeps two of the earlier ones
    let logs = std::fs::read_dir(&store)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("LOG.old.")
        })
        .count();
    assert!(logs <= 2, "{logs} old diagnostic logs kept");

    // one MB of memory: the quads are loaded in many parts, and the warning names the memory
    // that would load them in one
    let run = vnkg([
        "compact".as_ref(),
        "--memory".as_ref(),
        "1".as_ref(),
        "--store".as_ref(),
        parts.as_os_str(),
    ]);
    run.expect_code(0, "compact --memory 1");
    assert!(
        run.stderr.contains("parts, as --memory 1 allows") && run.stderr.contains("in one part"),
        "{}",
        run.stderr
    );
    assert!(
        sorted_nquads(&parts) == built,
        "compact in parts changed the quads"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}
