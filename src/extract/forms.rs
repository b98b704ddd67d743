//! Written forms read by pattern rather than by lexicon: dates, amounts of money and the numbers
//! of legal documents. Each function works on the NFC text and returns byte ranges into it.

use regex::Regex;
use std::sync::OnceLock;

/// A date as written: a day and month, with the year when the text gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateForm {
    /// Byte range of the whole expression, time-of-day word included ("Sáng 8-1").
    pub span: (usize, usize),
    /// Day of the month.
    pub day: u32,
    /// Month.
    pub month: u32,
    /// Year, when written.
    pub year: Option<i32>,
}

/// An amount of money in đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountForm {
    /// Byte range, unit included.
    pub span: (usize, usize),
    /// The amount in đồng.
    pub vnd: u64,
}

/// The number of a legal or administrative document ("2348/QĐ-TTg", "02/2022/NQ-HĐND").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberForm {
    /// Byte range of the number.
    pub span: (usize, usize),
    /// The number with whitespace (a line break inside it) removed.
    pub number: String,
    /// The year written inside the number, if any.
    pub year: Option<i32>,
    /// The letter codes after the serial and year, in order ("QĐ", "TTg").
    pub codes: Vec<String>,
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?:\b(sáng|chiều|tối|trưa|đêm|ngày|hôm|từ|đến|tới|vào|trước|sau)\s+(?:(?:ngày|hôm)\s+|(?:nay|qua)\s*\(?\s*)?)?(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*([/.\-])\s*(\d{4}))?",
        )
        .expect("date regex")
    })
}

fn long_date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?")
            .expect("long date regex")
    })
}

fn amount_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(\d+(?:[.,]\d+)*)\s*(tỷ|tỉ|triệu|nghìn|ngàn)?(?:\s+(\d{1,3})\s*(triệu|nghìn|ngàn))?\s*(đồng|vnđ|vnd|đ)\b",
        )
        .expect("amount regex")
    })
}

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // a line break may cut the number after a slash or around a hyphen
    RE.get_or_init(|| {
        Regex::new(
            r"(\d{1,5}[a-z]?)(?:-(?P<pre>\p{Lu}[\p{L}&]*))?/(?:[ \t]*\r?\n[ \t]*)?(?:(\d{4})/(?:[ \t]*\r?\n[ \t]*)?)?(\p{Lu}[\p{L}&]*(?:(?:-[ \t]*\r?\n[ \t]*|[ \t]*\r?\n[ \t]*-|-)\p{Lu}[\p{L}&]*|-[ \t]+\p{Lu}[\p{Lu}&]+)*)",
        )
        .expect("document number regex")
    })
}

/// The character before byte `at`, if any.
fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// A date that exists in the calendar: day and month valid, in a leap year when no year is
/// written (so that 29/2 is kept).
fn valid(day: u32, month: u32, year: Option<i32>) -> bool {
    crate::text::iso_date(day, month, year.unwrap_or(2024)).is_some()
}

/// Dates written in `text[start..end]`: `10/7/2020`, `21/07/2017`, `Sáng 8-1`, `Chiều ngày
/// 3/1/2024`, `ngày 5 tháng 3 năm 2021`. A day and month without a year are taken only after a
/// time word (ngày, sáng, chiều, ...), so that "1-2 chuyến" is not a date; a date that cannot
/// exist (31/2) is not taken; nor is a fraction of a document number ("12/2020/TT-BYT").
pub fn dates(text: &str, start: usize, end: usize) -> Vec<DateForm> {
    if !(start <= end && text.is_char_boundary(start) && text.is_char_boundary(end)) {
        return Vec::new();
    }
    let hay = &text[..end];
    let mut out = Vec::new();
    for c in long_date_re().captures_iter(&hay[start..]) {
        let m = c.get(0).expect("whole match");
        let (day, month) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        if valid(day, month, year) {
            out.push(DateForm {
                span: (start + m.start(), start + m.end()),
                day,
                month,
                year,
            });
        }
    }
    for c in date_re().captures_iter(&hay[start..]) {
        let m = c.get(0).expect("whole match");
        let (s, e) = (start + m.start(), start + m.end());
        let digits = c.get(2).expect("day").start() + start;
        // inside a longer number, a fraction or a document number
        if char_before(text, digits).is_some_and(|ch| ch.is_alphanumeric() || ch == '/') {
            continue;
        }
        let after = text[e..].chars().next();
        // "Sáng nay (5/3)": the parenthesis closes the date
        if after.is_some_and(|ch| ch.is_alphanumeric() || ch == '/') {
            continue;
        }
        let year = c.get(6).and_then(|y| y.as_str().parse::<i32>().ok());
        if year.is_some() && c.get(3).map(|m| m.as_str()) != c.get(5).map(|m| m.as_str()) {
            continue;
        }
        if year.is_none() && (c.get(1).is_none() || &c[3] == ".") {
            continue;
        }
        let (day, month) = (c[2].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
        if !valid(day, month, year) {
            continue;
        }
        if out.iter().any(|d: &DateForm| d.span.0 < e && s < d.span.1) {
            continue;
        }
        out.push(DateForm {
            span: (s, e),
            day,
            month,
            year,
        });
    }
    out.sort_by_key(|d| d.span);
    out
}

/// The full date of a date form, in the context of a document dated `doc_date` (`YYYY-MM-DD`
/// or `YYYY-MM`): a day and month without a year take the document's year, or the year before
/// when that would put them after the document's date ("Sáng 28/12" in an article of
/// 2025-01-02 is 2024-12-28).
pub fn full_date(d: &DateForm, doc_date: Option<&str>) -> Option<String> {
    if let Some(y) = d.year {
        return crate::text::iso_date(d.day, d.month, y);
    }
    let doc = doc_date?;
    let year: i32 = doc.get(..4)?.parse().ok()?;
    let doc_month: u32 = doc.get(5..7)?.parse().ok()?;
    let doc_day: u32 = doc.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(31);
    let year = if (d.month, d.day) > (doc_month, doc_day) {
        year - 1
    } else {
        year
    };
    crate::text::iso_date(d.day, d.month, year)
}

/// Multiplier of a unit word.
fn unit(word: Option<&str>) -> u128 {
    match word.map(|w| w.to_lowercase()).as_deref() {
        Some("tỷ" | "tỉ") => 1_000_000_000,
        Some("triệu") => 1_000_000,
        Some("nghìn" | "ngàn") => 1_000,
        _ => 1,
    }
}

/// The value of a written number times `mult`: dots group thousands (`200.000.000`) unless a
/// group is not three digits long (`1.5`); a comma marks decimals (`1,5`).
fn scaled(number: &str, mult: u128) -> Option<u128> {
    let (int, frac) = if let Some((i, f)) = number.split_once(',') {
        (i.replace('.', ""), f.replace([',', '.'], ""))
    } else {
        let groups: Vec<&str> = number.split('.').collect();
        if groups[1..].iter().all(|g| g.len() == 3) {
            (groups.concat(), String::new())
        } else if groups.len() == 2 {
            (groups[0].to_string(), groups[1].to_string())
        } else {
            return None;
        }
    };
    let digits = format!("{int}{frac}");
    let mantissa: u128 = digits.parse().ok()?;
    let scale = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    mantissa.checked_mul(mult).map(|v| v / scale)
}

/// Amounts of money in `text[start..end]`: `200.000.000 đồng`, `50 triệu đồng`, `1,5 tỷ đồng`,
/// `2 tỷ 300 triệu đồng`, `500.000đ`. A number without a currency word is not an amount.
pub fn amounts(text: &str, start: usize, end: usize) -> Vec<AmountForm> {
    let mut out = Vec::new();
    if !(start <= end && text.is_char_boundary(start) && text.is_char_boundary(end)) {
        return out;
    }
    for c in amount_re().captures_iter(&text[start..end]) {
        let m = c.get(0).expect("whole match");
        let s = start + m.start();
        if char_before(text, s).is_some_and(|ch| ch.is_alphanumeric() || ch == '.' || ch == ',') {
            continue;
        }
        let Some(main) = scaled(&c[1], unit(c.get(2).map(|u| u.as_str()))) else {
            continue;
        };
        let extra = match (c.get(3), c.get(4)) {
            (Some(n), Some(u)) => scaled(n.as_str(), unit(Some(u.as_str()))).unwrap_or(0),
            _ => 0,
        };
        if let Ok(vnd) = u64::try_from(main + extra) {
            if vnd > 0 {
                out.push(AmountForm {
                    span: (s, start + m.end()),
                    vnd,
                });
            }
        }
    }
    out
}

/// Numbers of legal documents anywhere in `text`: `2348/QĐ-TTg`, `02/2022/NQ-HĐND`,
/// `số1038/QĐ-UBND`, `800/QC-TLĐ-BYT`, party documents (`35-NQ/TW`, `12-HD/BTCTW`: the kind
/// before the slash), and a number cut by a line break (`2348/QĐ-` at the end
/// of a line, `TTg` at the start of the next).
pub fn numbers(text: &str) -> Vec<NumberForm> {
    let mut out = Vec::new();
    for c in number_re().captures_iter(text) {
        let m = c.get(0).expect("whole match");
        // glued to a word ("F0/F1") or a longer number; "số1038/QĐ-UBND" is written glued
        let glued_so = ["số", "Số", "SỐ"]
            .iter()
            .any(|w| text[..m.start()].ends_with(w));
        if char_before(text, m.start()).is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
            && !glued_so
        {
            continue;
        }
        let number: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        // a party document writes its kind before the slash: "35-NQ/TW", "12-HD/BTCTW"
        let codes: Vec<String> = c
            .name("pre")
            .map(|p| p.as_str())
            .into_iter()
            .chain(c[4].split('-'))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        out.push(NumberForm {
            span: (m.start(), m.end()),
            number,
            year,
            codes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_date(text: &str) -> (u32, u32, Option<i32>) {
        let d = dates(text, 0, text.len());
        assert_eq!(d.len(), 1, "{text:?}: {d:?}");
        (d[0].day, d[0].month, d[0].year)
    }

    #[test]
    fn full_dates_in_every_written_form() {
        assert_eq!(
            one_date("Ngày 15/9/2021, đoàn đến xã."),
            (15, 9, Some(2021))
        );
        assert_eq!(one_date("Cập nhật 03/11/2019"), (3, 11, Some(2019)));
        assert_eq!(one_date("ký ngày 30/4/2018 tại Huế"), (30, 4, Some(2018)));
        assert_eq!(
            one_date("Chiều ngày 6/2/2023, hội nghị bế mạc."),
            (6, 2, Some(2023))
        );
        assert_eq!(one_date("ngày 9 tháng 3 năm 2022"), (9, 3, Some(2022)));
        assert_eq!(one_date("Sáng 02-10-2020, Sở họp."), (2, 10, Some(2020)));
    }

    #[test]
    fn day_and_month_need_a_time_word() {
        assert_eq!(one_date("Sáng 27/12, Sở Y tế họp."), (27, 12, None));
        assert_eq!(one_date("Sáng 9-1, Hội tổng kết."), (9, 1, None));
        assert_eq!(one_date("Tối ngày 4/6 có mưa."), (4, 6, None));
        assert_eq!(one_date("Sáng nay (5/3), Sở Y tế họp."), (5, 3, None));
        assert_eq!(one_date("Chiều qua (4/3), đoàn đến."), (4, 3, None));
        assert_eq!(
            one_date("Sáng nay 22/4 tại Hà Nội, hai bên ký kết."),
            (22, 4, None)
        );
        // a range of trips and a score are not dates
        let text = "tổ chức 1-2 chuyến, tỷ số 3/5";
        assert!(dates(text, 0, text.len()).is_empty());
    }

    #[test]
    fn dates_that_cannot_exist_are_refused() {
        let text = "Ngày 31/2/2021 và sáng 30/2, ngày 12/13/2020";
        assert!(dates(text, 0, text.len()).is_empty());
        // 29/2 exists in a leap year only
        let leap = "ngày 29/2/2024, ngày 29/2/2023";
        assert_eq!(dates(leap, 0, leap.len()).len(), 1);
    }

    #[test]
    fn document_numbers_are_not_dates() {
        let text = "theo Thông tư 12/2020/TT-BYT và tỷ lệ 500/604";
        assert!(dates(text, 0, text.len()).is_empty());
    }

    #[test]
    fn a_date_without_year_takes_the_documents_year_or_the_one_before() {
        let d = |day, month| DateForm {
            span: (0, 0),
            day,
            month,
            year: None,
        };
        assert_eq!(
            full_date(&d(27, 12), Some("2023-12")).as_deref(),
            Some("2023-12-27")
        );
        assert_eq!(
            full_date(&d(9, 1), Some("2022-01-10")).as_deref(),
            Some("2022-01-09")
        );
        // late December reported in an article of early January
        assert_eq!(
            full_date(&d(30, 12), Some("2025-01-02")).as_deref(),
            Some("2024-12-30")
        );
        assert_eq!(full_date(&d(30, 12), None), None);
        let written = DateForm {
            year: Some(2019),
            ..d(1, 6)
        };
        assert_eq!(
            full_date(&written, Some("2024-01")).as_deref(),
            Some("2019-06-01")
        );
    }

    fn vnd(text: &str) -> Vec<u64> {
        amounts(text, 0, text.len()).iter().map(|a| a.vnd).collect()
    }

    #[test]
    fn amounts_in_every_written_form() {
        assert_eq!(vnd("trao 300.000.000 đồng cho xã"), [300_000_000]);
        assert_eq!(vnd("ủng hộ 70 triệu đồng"), [70_000_000]);
        assert_eq!(vnd("tài trợ 2,5 tỷ đồng"), [2_500_000_000]);
        assert_eq!(vnd("gửi 1 tỷ 200 triệu đồng"), [1_200_000_000]);
        assert_eq!(vnd("mỗi suất 500.000đ"), [500_000]);
        assert_eq!(vnd("tổng 15 nghìn đồng"), [15_000]);
        assert_eq!(vnd("khoảng 1.5 tỷ VNĐ"), [1_500_000_000]);
    }

    #[test]
    fn a_number_without_a_currency_is_not_an_amount() {
        assert!(vnd("hỗ trợ 50 triệu cho 913.379 lượt người").is_empty());
        assert!(vnd("đạt 91,72% và 50 triệu người dân đến Đà Nẵng").is_empty());
    }

    fn numbers_of(text: &str) -> Vec<String> {
        numbers(text).into_iter().map(|n| n.number).collect()
    }

    #[test]
    fn document_numbers_in_every_written_form() {
        assert_eq!(numbers_of("Quyết định 1125/QĐ-TTg ngày"), ["1125/QĐ-TTg"]);
        assert_eq!(
            numbers_of("theo Nghị quyết 05/2023/NQ-HĐND tỉnh"),
            ["05/2023/NQ-HĐND"]
        );
        assert_eq!(
            numbers_of("Quyết định số4410/QĐ-UBND và Kế hoạch số 77/KH-UBND"),
            ["4410/QĐ-UBND", "77/KH-UBND"]
        );
        let n = &numbers("Quy chế số 312/QC-TLĐ-BYT")[0];
        assert_eq!(n.codes, ["QC", "TLĐ", "BYT"]);
        assert_eq!(numbers("Thông tư 08/2019/TT-BYT")[0].year, Some(2019));
    }

    #[test]
    fn a_space_after_the_hyphen_keeps_the_number_whole() {
        assert_eq!(numbers_of("Công văn 712/BNV- TCCB ngày"), ["712/BNV-TCCB"]);
        // a dash before an ordinary word ends the number
        assert_eq!(
            numbers_of("Quyết định 15/QĐ-UBND - Về việc"),
            ["15/QĐ-UBND"]
        );
    }

    #[test]
    fn party_documents_write_their_kind_before_the_slash() {
        let n = &numbers("thực hiện Nghị quyết số 18-NQ/TW và Chỉ thị 05-CT/TW")[..];
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].number, "18-NQ/TW");
        assert_eq!(n[0].codes, ["NQ", "TW"]);
        assert_eq!(n[1].codes, ["CT", "TW"]);
        assert_eq!(numbers("Hướng dẫn 27-HD/BTCTW")[0].codes, ["HD", "BTCTW"]);
        // a range of years or a score is no document
        assert!(numbers("giai đoạn 2021-2025/năm").is_empty());
    }

    #[test]
    fn a_number_cut_by_a_line_break_is_joined() {
        assert_eq!(
            numbers_of("thực hiện Quyết định 1125/QĐ-\nTTg của Thủ tướng"),
            ["1125/QĐ-TTg"]
        );
        assert_eq!(numbers_of("Kế hoạch 77/\nKH-UBND của tỉnh"), ["77/KH-UBND"]);
    }

    #[test]
    fn fractions_and_codes_glued_to_words_are_not_numbers() {
        assert!(numbers_of("tỷ lệ 2939/4431 kỹ thuật, F0/F1 và 24/7").is_empty());
        // a hyphen with spaces around it is a dash, not part of the number
        assert_eq!(
            numbers_of("Quyết định 15/QĐ-BYT - Bộ Y tế ban hành"),
            ["15/QĐ-BYT"]
        );
    }
}
