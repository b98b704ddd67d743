//! Pages as researchers save them: an HTML news page (menu, breadcrumb, the article with a
//! caption and a byline, a share bar, a "related" list, comments, a footer, JSON-LD) gives
//! the facts of the same article as plain text, in UTF-8, UTF-16 or a declared legacy
//! charset; news scrapers' JSON Lines (news-please, trafilatura) give them too; and pages
//! with no article, or in an undeclared legacy encoding, are refused with their file while
//! the rest is built. Written for this project: `tests/fixtures/web/`.

mod common;

use common::{build, vnkg};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/web")
        .join(name)
}

/// The facts of each document, without its id and date (which a page states and a .txt
/// file does not), by id.
fn facts(store: &Path) -> Vec<(String, Value)> {
    let run = vnkg([
        "export".as_ref(),
        "--format".as_ref(),
        "facts".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(0, "export facts");
    let mut out: Vec<(String, Value)> = run
        .stdout
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            let id = o.remove("doc").and_then(|d| d.as_str().map(String::from));
            o.remove("date");
            (id.unwrap_or_default(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn one_fact(store: &Path) -> Value {
    let f = facts(store);
    assert_eq!(f.len(), 1, "{f:?}");
    f.into_iter().next().unwrap().1
}

const MENU_WORDS: &[&str] = &[
    "Bộ Công an",
    "Bộ Giáo dục",
    "Công an tỉnh Hà Giang",
    "Tòa án",
    "Hội Nhà báo",
    "Trần Văn Bình",
    "Thông tin và Truyền thông",
    "Tăng tương phản",
];

#[test]
fn a_news_page_gives_the_facts_of_its_article_as_plain_text() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    build(&[&fixture("lao-cai-kham-benh.txt")], &plain).expect_code(0, "build the .txt");
    let expected = one_fact(&plain);
    assert!(
        expected["donations"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{expected}"
    );

    let page = tmp.path().join("page");
    build(&[&fixture("lao-cai-kham-benh.html")], &page).expect_code(0, "build the .html");
    let got = facts(&page);
    assert_eq!(
        got[0].0, "suckhoevungcao.example.vn/y-te/bach-mai-kham-benh-lao-cai-20240412",
        "the id comes from the canonical URL"
    );
    assert_eq!(got[0].1, expected);
    let text = got[0].1.to_string();
    for w in MENU_WORDS {
        assert!(
            !text.contains(w),
            "{w:?} of the menu or footer became a fact: {text}"
        );
    }
    // the page's metadata: date from JSON-LD, the headline, the URL
    let run = vnkg([
        "query".as_ref(),
        "-e".as_ref(),
        "SELECT ?date ?url ?h WHERE { ?d vnkg:docId ?id ; schema:datePublished ?date ; schema:url ?url ; schema:headline ?h }".as_ref(),
        "--format".as_ref(),
        "tsv".as_ref(),
        "--store".as_ref(),
        page.as_os_str(),
    ]);
    run.expect_code(0, "the page's metadata");
    assert!(run.stdout.contains("2024-04-12"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "https://suckhoevungcao.example.vn/y-te/bach-mai-kham-benh-lao-cai-20240412.html"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("khám bệnh miễn phí"), "{}", run.stdout);
}

#[test]
fn charsets_are_read_from_the_page_and_bad_pages_are_refused_with_their_file() {
    let tmp = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(fixture("lao-cai-kham-benh.html")).unwrap();
    let dir = tmp.path().join("pages");
    std::fs::create_dir(&dir).unwrap();
    // UTF-16 with a byte-order mark
    let mut utf16 = vec![0xFF, 0xFE];
    for u in html.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.join("utf16.html"), &utf16).unwrap();
    // Windows-1258, declared (what it cannot hold is written as character references)
    let legacy = html
        .replace(
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">",
        )
        .replace("-20240412.html\"", "-ban-cu.html\"");
    let (bytes, _, _) = encoding_rs::WINDOWS_1258.encode(&legacy);
    std::fs::write(dir.join("cp1258.htm"), &bytes).unwrap();
    // the same bytes with no declaration: refused, not read wrong
    let undeclared = legacy.replace(
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">",
        "",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1258.encode(&undeclared);
    std::fs::write(dir.join("undeclared.html"), &bytes).unwrap();
    // an index page of links, a page of scripts only
    let links: String = (0..30)
        .map(|i| format!("<li><a href=\"/tin-{i}.html\">Tin số {i} về y tế</a></li>"))
        .collect();
    std::fs::write(
        dir.join("index.html"),
        format!("<html><head><title>Trang chủ</title></head><body><ul>{links}</ul></body></html>"),
    )
    .unwrap();
    std::fs::write(
        dir.join("scripts.html"),
        "<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>",
    )
    .unwrap();
    let store = tmp.path().join("store");
    let run = build(&[&dir], &store);
    run.expect_code(1, "a directory with bad pages");
    for (file, why) in [
        (
            "undeclared.html",
            "not UTF-8, and the page declares no charset",
        ),
        ("index.html", "no article text in the page"),
        ("scripts.html", "no article text in the page"),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(why)),
            "{file}: {why}\n{}",
            run.stderr
        );
    }
    // the two good pages (their ids from their canonical URLs) give the facts of the text
    let plain = tmp.path().join("plain");
    build(&[&fixture("lao-cai-kham-benh.txt")], &plain).expect_code(0, "build the .txt");
    let expected = one_fact(&plain);
    let got = facts(&store);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|(id, _)| id.ends_with("-ban-cu")), "{got:?}");
    for (id, f) in &got {
        assert_eq!(f, &expected, "{id}");
    }

    // a page over the limit
    let big = tmp.path().join("big.html");
    std::fs::write(&big, &html).unwrap();
    let run = vnkg([
        "build".as_ref(),
        big.as_os_str(),
        "--store".as_ref(),
        tmp.path().join("big-store").as_os_str(),
        "--max-doc-bytes".as_ref(),
        "1000".as_ref(),
    ]);
    run.expect_code(1, "a page over the limit");
    assert!(run.stderr.contains("big.html: page of"), "{}", run.stderr);
}

#[test]
fn news_scrapers_json_lines_give_the_facts_of_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("lao-cai-kham-benh.txt")).unwrap();
    let url = "https://suckhoevungcao.example.vn/y-te/bach-mai-kham-benh-lao-cai-20240412.html";
    let news_please = serde_json::json!({
        "url": url, "title": text.lines().next(), "maintext": text,
        "date_publish": "2024-04-12 09:30:00", "authors": ["Minh Châu"], "language": "vi",
        "source_domain": "suckhoevungcao.example.vn",
    });
    let trafilatura = serde_json::json!({
        "source": url, "title": text.lines().next(), "text": text, "date": "2024-04-12",
        "hostname": "suckhoevungcao.example.vn", "author": "Minh Châu",
    });
    let own = serde_json::json!({ "ma_bai": "bai-1", "noi_dung": text });
    let plain = tmp.path().join("plain");
    build(&[&fixture("lao-cai-kham-benh.txt")], &plain).expect_code(0, "build the .txt");
    let expected = one_fact(&plain);
    for (name, rec, flags) in [
        ("news-please", news_please, vec![]),
        ("trafilatura", trafilatura, vec![]),
        (
            "own",
            own,
            vec!["--id-field", "ma_bai", "--text-field", "noi_dung"],
        ),
    ] {
        let input = tmp.path().join(format!("{name}.jsonl"));
        std::fs::write(&input, format!("{rec}\n")).unwrap();
        let store = tmp.path().join(name);
        let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref(), input.as_os_str()];
        args.extend(flags.iter().map(std::ffi::OsStr::new));
        args.extend(["--store".as_ref(), store.as_os_str()]);
        vnkg(args).expect_code(0, name);
        let got = facts(&store);
        assert_eq!(got.len(), 1, "{name}");
        assert_eq!(got[0].1, expected, "{name}");
        let id = if name == "own" {
            "bai-1"
        } else {
            "suckhoevungcao.example.vn/y-te/bach-mai-kham-benh-lao-cai-20240412"
        };
        assert_eq!(got[0].0, id, "{name}");
    }
}

/// One WARC record: its type, target and HTTP payload.
fn warc_record(kind: &str, n: usize, target: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\nWARC-Date: 2024-04-13T02:00:00Z\r\nWARC-Target-URI: {target}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn pages_in_a_warc_archive_give_the_facts_of_the_text_gzipped_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    let html = std::fs::read(fixture("lao-cai-kham-benh.html")).unwrap();
    let url = "https://suckhoevungcao.example.vn/y-te/bach-mai-kham-benh-lao-cai-20240412.html";
    // the page as a server sent it: chunked, then gzip-compressed
    let mut chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for part in html.chunks(700) {
        chunked.extend(format!("{:x}\r\n", part.len()).into_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let mut compressed =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    compressed.extend(gzip(&html));
    let request = "GET /y-te/a.html HTTP/1.1\r\nHost: suckhoevungcao.example.vn\r\n\r\n";
    let not_found = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body><h1>404</h1></body></html>";
    let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff";
    let records = [
        warc_record("warcinfo", 1, "", b"software: a crawler\r\n"),
        warc_record("request", 2, url, request.as_bytes()),
        warc_record("response", 3, url, &chunked),
        warc_record(
            "response",
            4,
            "https://suckhoevungcao.example.vn/khong-co",
            not_found,
        ),
        warc_record(
            "response",
            5,
            "https://suckhoevungcao.example.vn/anh.jpg",
            image,
        ),
    ];
    let plain = tmp.path().join("plain");
    build(&[&fixture("lao-cai-kham-benh.txt")], &plain).expect_code(0, "build the .txt");
    let expected = one_fact(&plain);
    // .warc, then .warc.gz with one gzip member per record (as crawlers write them)
    let warc = tmp.path().join("crawl.warc");
    std::fs::write(&warc, records.concat()).unwrap();
    let gz = tmp.path().join("crawl.warc.gz");
    let mut members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    members.extend(gzip(&warc_record("response", 6, url, &compressed)));
    std::fs::write(&gz, &members).unwrap();
    for (input, pages) in [(&warc, 1), (&gz, 2)] {
        let store = tmp.path().join(format!("store-{pages}"));
        let run = build(&[input], &store);
        run.expect_code(0, "build the archive");
        assert!(
            run.stderr.contains(&format!("{pages} page{} read; records skipped: 1 not HTML, 1 request, 1 status 404, 1 warcinfo", if pages == 1 { "" } else { "s" })),
            "{}",
            run.stderr
        );
        let got = facts(&store);
        assert_eq!(got.len(), 1, "one article (the later copy kept): {got:?}");
        assert_eq!(got[0].1, expected);
    }
    // the source: the archive and the record
    let store = tmp.path().join("store-1");
    let run = vnkg([
        "query".as_ref(),
        "-e".as_ref(),
        "SELECT ?src WHERE { ?d vnkg:sourceRecord ?src }".as_ref(),
        "--format".as_ref(),
        "tsv".as_ref(),
        "--store".as_ref(),
        store.as_os_str(),
    ]);
    run.expect_code(0, "the source record");
    assert!(
        run.stdout
            .contains("crawl.warc urn:uuid:00000000-0000-4000-8000-000000000003"),
        "{}",
        run.stdout
    );

    // a truncated archive: the records before the cut are built, the cut is reported
    let cut = tmp.path().join("cut.warc.gz");
    let whole: Vec<u8> = records[..3].iter().flat_map(|r| gzip(r)).collect();
    let mut truncated = whole.clone();
    truncated.extend_from_slice(&gzip(&records[3])[..20]);
    std::fs::write(&cut, &truncated).unwrap();
    let store = tmp.path().join("store-cut");
    let run = build(&[&cut], &store);
    run.expect_code(1, "a truncated archive");
    assert!(run.stderr.contains("cut.warc.gz"), "{}", run.stderr);
    assert!(
        run.stderr.contains("truncated") || run.stderr.contains("cannot"),
        "{}",
        run.stderr
    );
    assert_eq!(facts(&store).len(), 1, "the page before the cut is built");
}
