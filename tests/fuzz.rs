//! A bounded fuzz test of the whole per-document pipeline (`pipeline::process`): news-like
//! Vietnamese sentences written for this test, cut, joined and mutated at random (combining
//! marks, NFD, direction marks, emoji, control characters, huge numbers and amounts, impossible
//! dates, unbalanced brackets and quotes, lone abbreviations). Every input must be processed
//! without a panic, and every mention must lie inside the text and equal its span.
//!
//! `VNKG_FUZZ_ITERS` sets the number of inputs (default 3,000; `.ci/run` keeps the default,
//! a long run is `VNKG_FUZZ_ITERS=1000000 cargo test --release --test fuzz`). A failing input
//! is printed with its seed; keep it in `REGRESSIONS` once fixed.

use unicode_normalization::UnicodeNormalization;
use vnkg::corpus::Document;
use vnkg::pipeline;

/// Sentences in the style of the news vnkg reads, written for this test.
const SENTENCES: &[&str] = &[
    "Sáng 8-1, Sở Y tế tỉnh Thanh Hoá tổ chức hội nghị tổng kết công tác năm 2023.",
    "Tham dự có ông Lê Văn An, Phó Chủ tịch UBND tỉnh; bà Trần Thị Bình - Giám đốc Sở Y tế.",
    "GS.TS Nguyễn Văn Cường (nguyên Giám đốc Bệnh viện Bạch Mai) trao 50 triệu đồng cho Trạm Y tế xã Lũng Cú.",
    "Thực hiện Quyết định số 2348/QĐ-TTg ngày 5/12/2016 của Thủ tướng Chính phủ và Nghị quyết 35-NQ/TW.",
    "Bệnh viện Hữu nghị Việt Đức và Sở Y tế tỉnh Đắk Nông đã ký kết hỗ trợ chuyên môn giai đoạn 2024-2026.",
    "Thừa ủy quyền của Chủ tịch nước, Phó Chủ tịch UBND tỉnh trao Huân chương Lao động hạng Nhì cho Trung tâm Y tế huyện Đăk Song.",
    "Công ty CP Sao&Biển Holdings tài trợ 200.000.000 đồng; Hội Nông dân TP.HCM ủng hộ 1,5 tỷ đồng.",
    "Đoàn công tác của Bộ Giáo dục - Đào tạo do Thứ trưởng Phạm Ngọc Thưởng dẫn đầu làm việc với UBND huyện Mường Lát.",
    "Đại sứ Việt Nam tại Nhật Bản, ông Đặng Minh Khôi, gặp mặt cộng đồng người Việt.",
    "Sở Tư pháp các tỉnh Nghệ An, Hà Tĩnh và Quảng Bình rà soát 913.379 hồ sơ hộ tịch.",
    "A- A A+ | Tăng tương phản | Trang chủ | Thời sự",
    "BỆNH VIỆN ĐA KHOA TỈNH TỔ CHỨC HỘI NGHỊ CÁN BỘ VIÊN CHỨC NĂM 2024",
    " date 2024-12 Hội nghị triển khai nhiệm vụ năm 2025",
    "Ảnh: Minh Anh",
];

/// Pieces the mutations insert.
const PIECES: &[&str] = &[
    "\u{0301}",
    "\u{0323}\u{0300}",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}[31m",
    "\t",
    "\r\n",
    "\n\n\n",
    "😀",
    "👨‍👩‍👧",
    "((",
    ")",
    "\"",
    "“",
    "”",
    "[",
    "«",
    "1/1/99999",
    "31/2/2024",
    "99/99",
    "Sáng 32-13",
    "999999999999999999999999 tỷ đồng",
    "1.2.3.4.5 đồng",
    "0 đồng",
    "số/QĐ-",
    "/QĐ-UBND",
    "35-NQ/",
    "-",
    "–",
    "&",
    "&&",
    "TP.",
    "UBND",
    "Sở",
    "ông",
    "bà",
    "nguyên",
    "Bộ",
    "Chủ tịch",
    "Đắk",
    "Đăk",
    "ĐĐ",
    "ǅ",
    "İ",
    "ß",
    "\u{10ffff}",
    "…",
    ".",
    "..",
    ",",
    ";",
    ":",
    "?",
    "!",
];

/// A small, fixed PRNG (SplitMix64): the same seed gives the same inputs everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random input.
fn input(seed: u64) -> String {
    let mut r = Rng(seed);
    let mut text = String::new();
    for _ in 0..1 + r.below(4) {
        let s = SENTENCES[r.below(SENTENCES.len())];
        text.push_str(s);
        text.push(if r.below(3) == 0 { '\n' } else { ' ' });
    }
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..r.below(12) {
        let at = r.below(chars.len() + 1);
        match r.below(6) {
            // insert a piece
            0..=2 => {
                let p: Vec<char> = PIECES[r.below(PIECES.len())].chars().collect();
                chars.splice(at..at, p);
            }
            // delete a run
            3 => {
                let end = (at + r.below(8)).min(chars.len());
                chars.drain(at..end);
            }
            // duplicate a run
            4 => {
                let end = (at + r.below(30)).min(chars.len());
                let run: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, run);
            }
            // change case
            _ => {
                let end = (at + r.below(20)).min(chars.len());
                for c in &mut chars[at..end] {
                    *c = if r.below(2) == 0 {
                        c.to_uppercase().next().unwrap_or(*c)
                    } else {
                        c.to_lowercase().next().unwrap_or(*c)
                    };
                }
            }
        }
    }
    let text: String = chars.into_iter().collect();
    // a third of the inputs in NFD
    if r.below(3) == 0 {
        text.nfd().collect()
    } else {
        text
    }
}

/// Inputs that once failed, kept as regressions.
const REGRESSIONS: &[&str] = &["", " ", "\u{0301}", "ông", "Sở Tư pháp các tỉnh", "xã A,"];

fn check(text: &str, what: &str) {
    let doc = Document {
        id: "fuzz".into(),
        text: text.to_string(),
        url: None,
        date: None,
        title: None,
        source: what.into(),
        record: None,
    };
    let p = std::panic::catch_unwind(|| pipeline::process(&doc))
        .unwrap_or_else(|_| panic!("{what}: panic on {text:?}"));
    let nfc: Vec<char> = vnkg::text::nfc(text).chars().collect();
    for m in &p.resolved.mentions {
        assert!(
            m.start < m.end && m.end <= nfc.len(),
            "{what}: mention {}..{} outside the text of {} characters: {text:?}",
            m.start,
            m.end,
            nfc.len()
        );
        let span: String = nfc[m.start..m.end].iter().collect();
        assert_eq!(
            span, m.text,
            "{what}: mention text is not its span: {text:?}"
        );
    }
}

#[test]
fn random_and_mutated_news_never_panics_and_mentions_match_their_spans() {
    for (i, r) in REGRESSIONS.iter().enumerate() {
        check(r, &format!("regression {i}"));
    }
    let iters: u64 = std::env::var("VNKG_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    for seed in 0..iters {
        check(&input(seed), &format!("seed {seed}"));
    }
}
