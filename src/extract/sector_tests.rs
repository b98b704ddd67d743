//! Recognisers of names beyond health news: name extent by words and capitalisation, joiners,
//! compound abbreviations, heads inside ordinary words, runaway names. Sentences written for
//! these tests (never corpus text).

use crate::resolve;
use crate::text::prepare;

/// The organisations of a text, sorted.
fn orgs(text: &str) -> Vec<String> {
    let p = prepare(text);
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, None);
    let mut v: Vec<String> = r
        .entities
        .iter()
        .filter(|e| e.kind == resolve::Kind::Organization && !e.inferred)
        .map(|e| e.label.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn has(text: &str, name: &str) {
    let o = orgs(text);
    assert!(o.iter().any(|x| x == name), "{name:?} not in {o:?}");
}

#[test]
fn a_name_runs_over_words_not_syllables() {
    has(
        "Hội Nông dân thành phố Cần Thơ tổ chức hội nghị tổng kết.",
        "Hội Nông dân thành phố Cần Thơ",
    );
    has(
        "Ban Dân vận Trung ương vừa ban hành hướng dẫn.",
        "Ban Dân vận Trung ương",
    );
    has(
        "Đoàn học sinh của Trường Cao đẳng Kỹ thuật Phú Lâm đạt giải nhất.",
        "Trường Cao đẳng Kỹ thuật Phú Lâm",
    );
}

#[test]
fn joiners_between_capitalised_words_stay_in_the_name() {
    has(
        "Sở Văn hóa và Thể thao thành phố Hà Nội khai mạc triển lãm.",
        "Sở Văn hóa và Thể thao thành phố Hà Nội",
    );
    has(
        "Tập đoàn Sao&Biển Holdings công bố kết quả kinh doanh.",
        "Tập đoàn Sao&Biển Holdings",
    );
    // "và" before another body, or a person, ends the name
    let o = orgs("Bệnh viện Hữu Nghị và Bệnh viện Phổi Trung ương ký kết hợp tác.");
    assert!(o.contains(&"Bệnh viện Hữu Nghị".to_string()), "{o:?}");
}

#[test]
fn a_number_after_a_word_of_the_name_belongs_to_it() {
    has(
        "Bộ Tư lệnh Quân khu 3 tổ chức diễn tập phòng thủ.",
        "Bộ Tư lệnh Quân khu 3",
    );
}

#[test]
fn a_head_that_begins_an_ordinary_word_is_no_body() {
    // "Viện dẫn", "Bộ phận", "Hội thao": the head syllable starts a word of the dictionary
    assert!(orgs("Viện dẫn số liệu mới, ông Lâm cho biết tình hình đã ổn định.").is_empty());
    assert!(orgs("Bộ phận một cửa đã tiếp nhận 300 hồ sơ.").is_empty());
}

#[test]
fn a_title_case_headline_gives_no_runaway_name() {
    for label in orgs("Hội Doanh Nhân Trẻ Tỉnh Nhà Tổ Chức Gặp Mặt Đầu Xuân Với Các Thành Viên Mới Năm Nay Tại Hội Trường Lớn")
    {
        let words = label.split_whitespace().count();
        assert!(words <= 14, "runaway name {label:?}");
    }
}
