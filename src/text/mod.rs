//! Stage 2: text. Unicode normalisation, matching keys, tokens, lines and sentences.
//!
//! Every offset here is a byte offset into the document's NFC text; [`CharIndex`] turns them
//! into the Unicode character offsets that exports and RDF use.

mod fingerprint;
mod lexicon;

pub use fingerprint::{Signature, SIGNATURE_LEN};
pub use lexicon::Lexicon;

use regex::Regex;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Returns `s` in Unicode NFC, the form every later stage works on.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Old ("hoà", "uỷ") to new ("hòa", "ủy") tone placement, the same pairs the scorer folds.
const OLD_TONES: [(&str, &str); 15] = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

/// The matching key of one word or phrase: NFC, lower case, new tone placement, `đăk` read as
/// `đắk`, the look-alike `Ð` (U+00D0) read as `Đ`, no-break spaces as spaces.
///
/// Two spellings of one name that differ only in these ways have equal keys.
pub fn fold(s: &str) -> String {
    fold_nfc(&nfc(s))
}

/// [`fold`] for text already in NFC (every token of a prepared document).
pub fn fold_nfc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{00D0}' | '\u{0110}' | '\u{00F0}' => 'đ',
            '\u{00A0}' => ' ',
            _ => c,
        };
        let lower = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        if lower == 'o' || lower == 'u' {
            if let Some(&n) = chars.peek() {
                let n_lower = n.to_lowercase().next().unwrap_or(n);
                if let Some((_, new)) = OLD_TONES.iter().find(|(old, _)| {
                    let mut o = old.chars();
                    o.next() == Some(lower) && o.next() == Some(n_lower)
                }) {
                    out.push_str(new);
                    chars.next();
                    continue;
                }
            }
        }
        if c.is_ascii() {
            out.push(lower);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.contains("đăk") {
        out = out
            .split(' ')
            .map(|w| if w == "đăk" { "đắk" } else { w })
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}

/// Turns a name into an ASCII slug for IRIs: diacritics dropped, `đ` as `d`, words joined by `-`.
pub fn ascii_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' | '\u{00D0}' | '\u{00F0}' => 'd',
            _ => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if !is_combining_mark(c) {
            dash = true;
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Capitalises the first letter of every space-separated syllable ("đỗ xuân tuyên" ->
/// "Đỗ Xuân Tuyên"), the canonical form of a person's name.
pub fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(|c| c.to_lowercase()))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Is `d` a date written `YYYY-MM-DD` or `YYYY-MM`?
pub fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    (d.len() == 10 || d.len() == 7)
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && (d.len() == 7 || (b[7] == b'-' && b[8..].iter().all(u8::is_ascii_digit)))
}

/// `s` with its first letter in upper case ("quy chế phối hợp" -> "Quy chế phối hợp").
pub fn title_case_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One token: a word (letters or digits, as Unicode word boundaries cut them: `913.379`,
/// `TP.HCM` and `GS.TS` stay whole) or one punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the NFC text.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// Matching key ([`fold`]).
    pub key: String,
    /// A word (contains a letter or digit), not punctuation.
    pub word: bool,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Two or more letters, all upper case (UBND, HĐND, BỆNH).
    pub upper: bool,
    /// Only digits and digit separators.
    pub number: bool,
}

/// Splits `text[start..end]` into tokens, pushing them onto `out`.
pub fn tokenize_into(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    for (off, seg) in text[start..end].split_word_bound_indices() {
        if seg.chars().all(char::is_whitespace) {
            continue;
        }
        let word = seg.chars().any(char::is_alphanumeric);
        if !word && seg.chars().count() > 1 {
            // a run of punctuation: one token per mark
            for (o, c) in seg.char_indices() {
                let s = start + off + o;
                out.push(punct(s, s + c.len_utf8(), c));
            }
            continue;
        }
        let s = start + off;
        let first = seg.chars().next().unwrap_or(' ');
        let letters = seg.chars().filter(|c| c.is_alphabetic()).count();
        out.push(Token {
            start: s,
            end: s + seg.len(),
            key: fold_nfc(seg),
            word,
            cap: first.is_uppercase(),
            upper: letters >= 2
                && seg
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase),
            number: word
                && seg
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ','),
        });
    }
}

fn punct(start: usize, end: usize, c: char) -> Token {
    Token {
        start,
        end,
        key: c.to_string(),
        word: false,
        cap: false,
        upper: false,
        number: false,
    }
}

/// Splits a phrase (a lexicon entry) into token keys.
pub fn phrase_keys(phrase: &str) -> Vec<String> {
    let text = nfc(phrase);
    let mut toks = Vec::new();
    tokenize_into(&text, 0, text.len(), &mut toks);
    toks.into_iter().map(|t| t.key).collect()
}

/// What a line of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Ordinary running text.
    Body,
    /// Site menu, share buttons, a photo credit: no facts.
    Noise,
    /// A headline in capitals: repeats the article, kept out of extraction.
    Shouting,
    /// A short last line naming the author or source.
    Byline,
    /// A short line without final punctuation between paragraphs: a photo caption or headline.
    Caption,
}

/// A sentence: a run of tokens within one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Index of the first token.
    pub first: usize,
    /// Index just past the last token.
    pub last: usize,
    /// Zero-based line number in the document.
    pub line: usize,
    /// The kind of line it stands on.
    pub kind: LineKind,
}

/// A document's text made ready for extraction.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The NFC text; every offset refers to it.
    pub text: String,
    /// All tokens of the text, in order.
    pub tokens: Vec<Token>,
    /// Sentences, in order; noise lines are present with their kind.
    pub sentences: Vec<Sentence>,
    /// The `YYYY-MM` or `YYYY-MM-DD` of a ` date ...` header line, if the crawl has one.
    pub header_date: Option<String>,
    /// The headline that follows the ` date ...` header.
    pub header_title: Option<String>,
    /// A full date (`YYYY-MM-DD`) written in the first lines: a dateline ("21/07/2017") or a
    /// lead ("Ngày 10/7/2020, ...").
    pub dateline: Option<String>,
}

fn header_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b\s*(.*)$").expect("header regex")
    })
}

fn dateline_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:(?:sáng|chiều|trưa|tối|ngày|hôm)\s+)*(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
            .expect("dateline regex")
    })
}

/// A `YYYY-MM-DD` date from day, month and year, if it exists in the calendar.
pub fn iso_date(day: u32, month: u32, year: i32) -> Option<String> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (day >= 1 && day <= days && (1900..=2100).contains(&year))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn noise_res() -> &'static [Regex] {
    static RES: OnceLock<Vec<Regex>> = OnceLock::new();
    RES.get_or_init(|| {
        include_str!("../../ontology/lexicon/noise.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| Regex::new(l).expect("noise pattern in ontology/lexicon/noise.txt"))
            .collect()
    })
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 16] = [
    "tp", "gs", "pgs", "ts", "ths", "bs", "ck", "cki", "ckii", "st", "mr", "ms", "dr", "tx", "tt",
    "q",
];

/// Normalises and segments a document's text.
pub fn prepare(raw: &str) -> Prepared {
    let text = nfc(raw);
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    let mut header_date = None;
    let mut header_title = None;
    let mut dateline = None;
    let mut seen_lines = 0;
    let mut line_start = 0;
    let lines: Vec<&str> = text.split('\n').collect();
    let last_nonempty = lines.iter().rposition(|l| !l.trim().is_empty());
    for (no, line) in lines.iter().enumerate() {
        let mut start = line_start;
        let end = line_start + line.len();
        line_start = end + 1;
        if line.trim().is_empty() {
            continue;
        }
        if no == 0 {
            if let Some(c) = header_re().captures(line) {
                header_date = Some(c[1].to_string());
                let t = c.get(2).map_or("", |m| m.as_str()).trim();
                if !t.is_empty() {
                    header_title = Some(t.to_string());
                }
                start += c.get(2).map_or(line.len(), |m| m.start());
            }
        }
        seen_lines += 1;
        if dateline.is_none() && seen_lines <= 4 {
            if let Some(c) = dateline_re().captures(line) {
                let num = |i: usize| c[i].parse::<u32>().unwrap_or(0);
                dateline = iso_date(num(1), num(2), num(3) as i32);
            }
        }
        let kind = line_kind(line, Some(no) == last_nonempty);
        let first_tok = tokens.len();
        tokenize_into(&text, start, end, &mut tokens);
        split_sentences(&tokens, first_tok, no, kind, &mut sentences);
    }
    Prepared {
        text,
        tokens,
        sentences,
        header_date,
        header_title,
        dateline,
    }
}

fn line_kind(line: &str, is_last: bool) -> LineKind {
    let l = line.trim();
    if noise_res().iter().any(|re| re.is_match(l)) {
        return LineKind::Noise;
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    let letters: Vec<char> = l.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 12 && letters.iter().all(|c| c.is_uppercase()) {
        return LineKind::Shouting;
    }
    let ends = l.ends_with(['.', '!', '?', ':', ';', '…', '"', '”']);
    if is_last
        && words.len() <= 8
        && !ends
        && words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
            .take(2)
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return LineKind::Byline;
    }
    if words.len() <= 25 && !ends || l.starts_with('(') && l.ends_with(')') {
        return LineKind::Caption;
    }
    LineKind::Body
}

fn split_sentences(
    tokens: &[Token],
    first: usize,
    line: usize,
    kind: LineKind,
    out: &mut Vec<Sentence>,
) {
    let mut s = first;
    let n = tokens.len();
    for i in first..n {
        let t = &tokens[i];
        let end_mark = matches!(t.key.as_str(), "." | "!" | "?" | "…");
        if !end_mark || i + 1 >= n {
            continue;
        }
        let next = &tokens[i + 1];
        // "./." and "..." stay with the sentence they close
        if !next.word && !matches!(next.key.as_str(), "\"" | "“" | "(" | "-" | "–") {
            continue;
        }
        if next.word && !(next.cap || next.number) {
            continue;
        }
        if i > first && t.key == "." && ABBREVIATIONS.contains(&tokens[i - 1].key.as_str()) {
            continue;
        }
        out.push(Sentence {
            first: s,
            last: i + 1,
            line,
            kind,
        });
        s = i + 1;
    }
    if s < n {
        out.push(Sentence {
            first: s,
            last: n,
            line,
            kind,
        });
    }
}

/// Converts byte offsets of one text into Unicode character offsets.
pub struct CharIndex {
    /// Byte offset of every character boundary, plus the text's length.
    bounds: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bounds.push(text.len());
        CharIndex { bounds }
    }

    /// The character offset of byte offset `byte` (a character boundary).
    pub fn char_at(&self, byte: usize) -> usize {
        match self.bounds.binary_search(&byte) {
            Ok(i) | Err(i) => i,
        }
    }

    /// The text's length in characters.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// True for an empty text.
    pub fn is_empty(&self) -> bool {
        self.bounds.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_merges_tone_placement_case_and_dak() {
        assert_eq!(fold("Thanh Hoá"), fold("thanh hóa"));
        assert_eq!(fold("Uỷ ban"), fold("Ủy ban"));
        assert_eq!(fold("Đăk Song"), fold("Đắk Song"));
        assert_eq!(fold("\u{00D0}ỗ"), "đỗ");
        // NFD input folds like NFC
        let nfd: String = "Thanh Hóa".nfd().collect();
        assert_eq!(fold(&nfd), "thanh hóa");
        assert_ne!(fold("Hà Nam"), fold("Hà Năm"));
    }

    #[test]
    fn slug_is_ascii() {
        assert_eq!(ascii_slug("Đỗ Xuân Tuyên"), "do-xuan-tuyen");
        assert_eq!(
            ascii_slug("Sở Y tế tỉnh Thanh Hóa"),
            "so-y-te-tinh-thanh-hoa"
        );
    }

    #[test]
    fn tokens_keep_numbers_and_abbreviations_whole() {
        let p = prepare("Khám cho 913.379 lượt người tại TP.HCM, GS.TS Lê Văn An dự.");
        let keys: Vec<&str> = p.tokens.iter().map(|t| t.key.as_str()).collect();
        assert!(keys.contains(&"913.379"), "{keys:?}");
        assert!(keys.contains(&"tp.hcm"), "{keys:?}");
        assert!(keys.contains(&"gs.ts"), "{keys:?}");
        assert_eq!(p.sentences.len(), 1);
    }

    #[test]
    fn sentences_split_on_full_stop_not_after_abbreviation() {
        let p = prepare("Ông An dự họp. Bà Bình phát biểu tại TP. Hồ Chí Minh hôm qua./.");
        assert_eq!(p.sentences.len(), 2);
        let s = &p.sentences[1];
        assert_eq!(
            &p.text[p.tokens[s.first].start..p.tokens[s.last - 1].end],
            "Bà Bình phát biểu tại TP. Hồ Chí Minh hôm qua./."
        );
    }

    #[test]
    fn header_line_gives_date_and_title() {
        let p = prepare(" date 2023-05 Sở Y tế họp bàn\n\nNội dung bài viết ở đây.");
        assert_eq!(p.header_date.as_deref(), Some("2023-05"));
        assert_eq!(p.header_title.as_deref(), Some("Sở Y tế họp bàn"));
        // the header's own words are not tokens
        assert_eq!(p.tokens[0].key, "sở");
    }

    #[test]
    fn dateline_in_the_first_lines_dates_the_document() {
        assert_eq!(
            prepare("Tin y tế\n\n05/09/2019\n\nNội dung.")
                .dateline
                .as_deref(),
            Some("2019-09-05")
        );
        assert_eq!(
            prepare("Sáng ngày 3/1/2024, hội nghị khai mạc.")
                .dateline
                .as_deref(),
            Some("2024-01-03")
        );
        // 31/2 does not exist
        assert_eq!(prepare("Ngày 31/2/2020, hội nghị khai mạc.").dateline, None);
    }

    #[test]
    fn menu_and_shouting_lines_are_marked() {
        let p = prepare("A- A A+ | Tăng tương phản Giảm tương phản\nBỆNH VIỆN ĐA KHOA TỈNH TỔ CHỨC HỘI NGHỊ\nSở Y tế tổ chức hội nghị tổng kết công tác năm 2023 với sự tham dự của nhiều đại biểu đến từ các đơn vị trong toàn tỉnh và các địa phương lân cận.\nMai Lan");
        let kinds: Vec<LineKind> = p.sentences.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::Noise,
                LineKind::Shouting,
                LineKind::Body,
                LineKind::Byline
            ]
        );
    }

    #[test]
    fn char_index_counts_characters() {
        let text = "Đỗ A";
        let ci = CharIndex::new(text);
        assert_eq!(ci.char_at(text.find('A').unwrap()), 3);
        assert_eq!(ci.len(), 4);
    }
}
