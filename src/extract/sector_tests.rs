//! Recognisers of names beyond health news: name extent by words and capitalisation, joiners,
//! compound abbreviations, heads inside ordinary words, runaway names. Sentences written for
//! these tests (never corpus text).

use crate::resolve;
use crate::text::prepare;

/// The entities of a kind in a text of a date, sorted.
fn labels(text: &str, date: Option<&str>, kind: resolve::Kind) -> Vec<String> {
    let p = prepare(text);
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, date);
    let mut v: Vec<String> = r
        .entities
        .iter()
        .filter(|e| e.kind == kind && !e.inferred)
        .map(|e| e.label.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The organisations of a text, sorted.
fn orgs(text: &str) -> Vec<String> {
    labels(text, None, resolve::Kind::Organization)
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

#[test]
fn a_local_body_of_several_provinces_is_one_body_in_each() {
    let o =
        orgs("Bộ Nội vụ đề nghị Sở Nội vụ các tỉnh Nghệ An, Hà Tĩnh và Quảng Bình rà soát hồ sơ.");
    for name in [
        "Sở Nội vụ tỉnh Nghệ An",
        "Sở Nội vụ tỉnh Hà Tĩnh",
        "Sở Nội vụ tỉnh Quảng Bình",
    ] {
        assert!(o.contains(&name.to_string()), "{name:?} not in {o:?}");
    }
    // a single province after "các tỉnh" is no list
    let o = orgs("Sở Nội vụ các tỉnh miền núi đã báo cáo.");
    assert!(o.iter().all(|x| !x.starts_with("Sở Nội vụ tỉnh")), "{o:?}");
}

#[test]
fn a_renamed_province_keeps_its_name_of_the_time() {
    let text = "Sở Tư pháp tỉnh Thừa Thiên Huế tổ chức tập huấn cho cán bộ hộ tịch.";
    let before = labels(text, Some("2021-04-20"), resolve::Kind::Place);
    assert_eq!(before, vec!["Thừa Thiên Huế".to_string()]);
    assert!(labels(text, Some("2021-04"), resolve::Kind::Organization)
        .contains(&"Sở Tư pháp tỉnh Thừa Thiên Huế".to_string()));
    // from 2025-01-01 the city of Huế; without a date, today's name
    assert_eq!(
        labels(text, Some("2025-03-01"), resolve::Kind::Place),
        vec!["Huế".to_string()]
    );
    assert_eq!(
        labels(text, None, resolve::Kind::Place),
        vec!["Huế".to_string()]
    );
}

#[test]
fn bodies_of_two_countries_are_told_apart() {
    let o =
        orgs("Bản ghi nhớ giữa Chính phủ Việt Nam và Chính phủ Vương quốc Anh được ký năm 2004.");
    assert!(o.contains(&"Chính phủ Việt Nam".to_string()), "{o:?}");
    assert!(o.contains(&"Chính phủ Anh".to_string()), "{o:?}");
    // alone, Việt Nam's body is the body itself
    assert_eq!(
        orgs("Chính phủ Việt Nam luôn bảo hộ công dân ở nước ngoài."),
        vec!["Chính phủ".to_string()]
    );
    has("Bộ Y tế Lào cử đoàn công tác sang học tập.", "Bộ Y tế Lào");
}

#[test]
fn a_mission_abroad_keeps_its_host_country() {
    has(
        "Công dân cần hỗ trợ liên hệ Đại sứ quán Việt Nam ở Nhật Bản qua đường dây nóng.",
        "Đại sứ quán Việt Nam tại Nhật Bản",
    );
}

#[test]
fn a_capitalised_function_word_starts_no_name() {
    has("Với Cục Thú y, Bộ trưởng giao nhiệm vụ mới.", "Cục Thú y");
    has(
        "Theo Viện Dinh dưỡng Quốc gia, trẻ em cần ngủ đủ giấc.",
        "Viện Dinh dưỡng Quốc gia",
    );
}

#[test]
fn a_unit_named_in_capitals_takes_its_lower_case_words() {
    has(
        "Cục Công Thương địa phương được giao phối hợp với các sở.",
        "Cục Công Thương địa phương",
    );
    // a proper name that is also a word of the dictionary takes none
    has(
        "Bệnh viện Bạch Mai tiếp nhận 20 ca bệnh.",
        "Bệnh viện Bạch Mai",
    );
}

#[test]
fn fields_enumerated_with_commas_stay_in_the_name() {
    has(
        "Cục Hộ tịch, quốc tịch, chứng thực đã gửi công văn hướng dẫn.",
        "Cục Hộ tịch, quốc tịch, chứng thực",
    );
    has(
        "Ý kiến của Cục Hộ tịch, quốc tịch và chứng thực được gửi đi.",
        "Cục Hộ tịch, quốc tịch và chứng thực",
    );
    // one item after a comma, not closed by "và", is no enumeration
    let o = orgs("Cục Xuất nhập khẩu, đơn vị này được giao chủ trì.");
    assert_eq!(o, vec!["Cục Xuất nhập khẩu".to_string()]);
}

#[test]
fn a_school_council_is_of_its_school() {
    has(
        "Hội đồng trường Trường Đại học Sông Hồng đã họp phiên đầu tiên.",
        "Hội đồng trường Trường Đại học Sông Hồng",
    );
}

#[test]
fn a_dash_for_and_in_a_ministry_name() {
    assert_eq!(
        orgs("Bộ Khoa học - Công nghệ đã có ý kiến về đề xuất này."),
        vec!["Bộ Khoa học và Công nghệ".to_string()]
    );
    has(
        "Sở Tài nguyên - Môi trường tỉnh Nghệ An kiểm tra mỏ cát.",
        "Sở Tài nguyên và Môi trường tỉnh Nghệ An",
    );
}

#[test]
fn an_abbreviation_in_brackets_before_the_locality() {
    has(
        "Văn phòng Đăng ký đất đai (VPĐKĐĐ) Nam Định đã tuyển dụng 10 viên chức.",
        "Văn phòng Đăng ký đất đai tỉnh Nam Định",
    );
    // the brackets, not the province the document names most, give the locality
    has(
        "Sau hai ca bệnh ở Hà Nam, tỉnh Hà Nam đã phong tỏa. Thông tin từ Trung tâm Kiểm soát bệnh tật tỉnh (CDC) Nam Định cho biết có thêm 2 ca bệnh.",
        "Trung tâm Kiểm soát bệnh tật tỉnh Nam Định",
    );
    has(
        "Sau hai ca bệnh ở Hà Nam, tỉnh Hà Nam đã phong tỏa. Văn phòng Đăng ký đất đai (VPĐKĐĐ) Nam Định đã tuyển dụng 10 viên chức.",
        "Văn phòng Đăng ký đất đai tỉnh Nam Định",
    );
}

#[test]
fn a_body_without_its_province_takes_the_one_named_most() {
    // Nghệ An named twice, Hà Tĩnh once: "Công an tỉnh" is of Nghệ An
    has(
        "Tỉnh Nghệ An giáp Hà Tĩnh. Công an tỉnh đã phối hợp với huyện Nghi Lộc, Nghệ An.",
        "Công an tỉnh Nghệ An",
    );
    // two provinces named as often: no province is implied
    let o = orgs("Sở Tư pháp đề nghị Nghệ An và Hà Tĩnh rà soát; Công an tỉnh phối hợp.");
    assert!(o.iter().all(|x| !x.starts_with("Công an tỉnh")), "{o:?}");
}

#[test]
fn a_bare_name_that_reads_as_a_person_is_no_place() {
    let places = |t: &str| labels(t, None, resolve::Kind::Place);
    assert!(places("Cán bộ học tập và làm theo tư tưởng Hồ Chí Minh.").is_empty());
    assert_eq!(
        places("Đoàn công tác đến TP Hồ Chí Minh ngày 5/5."),
        vec!["Hồ Chí Minh".to_string()]
    );
}

#[test]
fn places_listed_after_one_with_its_level_are_of_that_level() {
    let p = prepare("Tuyến đường đi qua xã Ia Grai, Ia Dêr, thị trấn Đak Pơ và các huyện Đức Cơ, Chư Prông và Chư Sê.");
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, None);
    let mut got: Vec<(String, &str)> = r
        .entities
        .iter()
        .filter(|e| e.kind == resolve::Kind::Place)
        .map(|e| (e.label.clone(), e.level.map_or("", |l| l.as_str())))
        .collect();
    got.sort();
    let want: Vec<(String, &str)> = [
        ("Chư Prông", "district"),
        ("Chư Sê", "district"),
        ("Ia Dêr", "commune"),
        ("Ia Grai", "commune"),
        ("Đak Pơ", "commune"),
        ("Đức Cơ", "district"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), *b))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn an_adverb_after_a_name_is_not_part_of_it() {
    assert_eq!(
        orgs("Học viện Kỹ thuật Quân sự chính thức khai giảng năm học mới."),
        vec!["Học viện Kỹ thuật Quân sự".to_string()]
    );
}

#[test]
fn fixed_compounds_written_with_a_comma_stay_in_the_name() {
    has(
        "Sáng 14-3, Cục Quản lý Khám, chữa bệnh tổ chức tập huấn cho các bệnh viện.",
        "Cục Quản lý Khám, chữa bệnh",
    );
    has(
        "Đại diện Cục Phòng, chống HIV/AIDS trình bày báo cáo.",
        "Cục Phòng, chống HIV/AIDS",
    );
    has(
        "Ban Chỉ huy Phòng cháy, chữa cháy và cứu nạn, cứu hộ huyện Kỳ Anh họp sáng nay.",
        "Ban Chỉ huy Phòng cháy, chữa cháy và cứu nạn, cứu hộ huyện Kỳ Anh",
    );
    has(
        "Sở Lao động, Thương binh và Xã hội tỉnh Bắc Kạn phối hợp thực hiện.",
        "Sở Lao động - Thương binh và Xã hội tỉnh Bắc Kạn",
    );
    // a comma that ends the name still ends it
    let o = orgs("Cục Quản lý Dược, Bộ Y tế cho biết danh sách đã được cập nhật.");
    assert!(o.iter().any(|x| x == "Cục Quản lý Dược"), "{o:?}");
}

#[test]
fn a_word_glued_by_a_hyphen_or_slash_is_one_word_of_the_name() {
    has(
        "Ban Chỉ đạo phòng, chống dịch Covid-19 tỉnh Ninh Thuận họp trực tuyến.",
        "Ban Chỉ đạo Phòng, chống dịch Covid-19 tỉnh Ninh Thuận",
    );
    has(
        "Bệnh nhân được chuyển đến Bệnh viện 19-8 để điều trị.",
        "Bệnh viện 19-8",
    );
    // spaced, the dash still separates a body from its parent
    let o = orgs("Ông Lê Văn An, Vụ trưởng Vụ Pháp chế - Bộ Tư pháp, phát biểu.");
    assert!(o.iter().any(|x| x == "Bộ Tư pháp"), "{o:?}");
}

/// The parent and the IRI of the first non-inferred body of a label in a text.
fn parent_of(text: &str, label: &str) -> (Option<String>, String) {
    let p = prepare(text);
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, None);
    let e = r
        .entities
        .iter()
        .find(|e| e.label == label && !e.inferred)
        .unwrap_or_else(|| panic!("{label:?} not found"));
    (e.parent.map(|p| r.entities[p].label.clone()), e.id.clone())
}

#[test]
fn a_unit_every_ministry_has_is_of_the_ministry_the_article_names() {
    let (justice, a) = parent_of(
        "Ông Lê Văn Bình, Vụ trưởng Vụ Pháp chế, cho biết Bộ Tư pháp sẽ trình dự thảo luật. \
         Bộ Tư pháp lấy ý kiến các địa phương.",
        "Vụ Pháp chế",
    );
    assert_eq!(justice.as_deref(), Some("Bộ Tư pháp"));
    let (health, b) = parent_of(
        "Vụ Pháp chế đã gửi hồ sơ thẩm định. Bộ Y tế cho biết thông tư có hiệu lực từ tháng 7.",
        "Vụ Pháp chế",
    );
    assert_eq!(health.as_deref(), Some("Bộ Y tế"));
    // two ministries' units are two bodies; written with its ministry, the same one
    assert_ne!(a, b);
    let (_, c) = parent_of(
        "Vụ Pháp chế Bộ Tư pháp chủ trì buổi làm việc.",
        "Vụ Pháp chế Bộ Tư pháp",
    );
    assert_eq!(a, c);
    // no ministry named: no parent guessed
    let (none, _) = parent_of("Vụ Pháp chế tổ chức tập huấn cho cán bộ.", "Vụ Pháp chế");
    assert_eq!(none, None);
}

#[test]
fn a_units_parent_after_a_dash_or_in_brackets_is_its_parent() {
    // in brackets and after a dash: the ministry is the parent, and the unit is named alone
    // (a Cục of a Bộ is one nationwide), so the bare name later is the same body
    let text = "Cục Bổ trợ tư pháp (Bộ Tư pháp) tổ chức hội nghị tập huấn. \
                Đại diện Cục Bổ trợ tư pháp cho biết sẽ sửa quy trình.";
    let (parent, id) = parent_of(text, "Cục Bổ trợ tư pháp");
    assert_eq!(parent.as_deref(), Some("Bộ Tư pháp"));
    let o = orgs(text);
    assert_eq!(o, ["Bộ Tư pháp", "Cục Bổ trợ tư pháp"], "{o:?}");
    let (parent, other) = parent_of(
        "Cục Quản lý Dược - Bộ Y tế vừa có văn bản gửi các Sở Y tế.",
        "Cục Quản lý Dược",
    );
    assert_eq!(parent.as_deref(), Some("Bộ Y tế"));
    let (_, bare) = parent_of(
        "Cục Bổ trợ tư pháp ban hành kế hoạch.",
        "Cục Bổ trợ tư pháp",
    );
    assert_eq!(
        id, bare,
        "the unit with and without its ministry is one body"
    );
    assert_ne!(id, other);
    // a hospital's department is named with its hospital
    let (parent, _) = parent_of(
        "Khoa Hồi sức tích cực (Bệnh viện Đa khoa tỉnh Nghệ An) tiếp nhận bệnh nhân.",
        "Khoa Hồi sức tích cực Bệnh viện Đa khoa tỉnh Nghệ An",
    );
    assert_eq!(parent.as_deref(), Some("Bệnh viện Đa khoa tỉnh Nghệ An"));
    // a title after the dash is no parent; an unclosed bracket neither
    let (parent, _) = parent_of(
        "Cục Hàng hải - Bộ trưởng Bộ Giao thông vận tải giao nhiệm vụ mới.",
        "Cục Hàng hải",
    );
    assert_eq!(parent, None);
    let o = orgs("Cục Bổ trợ tư pháp (Bộ Tư pháp cho biết");
    assert!(o.iter().any(|x| x == "Bộ Tư pháp"), "{o:?}");
}

#[test]
fn a_parent_said_in_words_in_brackets_is_the_parent() {
    let (parent, _) = parent_of(
        "Cục Bảo trợ xã hội (trực thuộc Bộ LĐ-TB&XH) đã ký kết chương trình phối hợp.",
        "Cục Bảo trợ xã hội",
    );
    assert_eq!(
        parent.as_deref(),
        Some("Bộ Lao động - Thương binh và Xã hội")
    );
    // any body, with "thuộc" or under a ministry; not a place in brackets
    let (parent, _) = parent_of(
        "Công ty Xây dựng Hồng Hà (thuộc Tổng công ty Sông Hồng) trúng thầu.",
        "Công ty Xây dựng Hồng Hà",
    );
    assert_eq!(parent.as_deref(), Some("Tổng công ty Sông Hồng"));
    let (parent, _) = parent_of(
        "Tổng công ty Xây dựng Bến Hải (Bộ Quốc phòng) khởi công dự án.",
        "Tổng công ty Xây dựng Bến Hải",
    );
    assert_eq!(parent.as_deref(), Some("Bộ Quốc phòng"));
    let (parent, _) = parent_of(
        "Công ty Xây dựng Hồng Hà (Tổng công ty Sông Hồng) trúng thầu.",
        "Công ty Xây dựng Hồng Hà",
    );
    assert_eq!(
        parent, None,
        "a body in brackets without 'thuộc' may be another one"
    );
}

#[test]
fn a_name_written_again_with_other_tones_and_the_same_title_is_one_person() {
    let persons = |t: &str| labels(t, None, resolve::Kind::Person);
    assert_eq!(
        persons(
            "Bộ trưởng Bộ Tư pháp Trần Văn Thành dự hội nghị. \
             Phát biểu tại hội nghị, Bộ trưởng Trần Văn Thanh đề nghị các sở tăng cường kiểm tra."
        ),
        ["Trần Văn Thành"]
    );
    // other titles: two people, whatever the spelling
    assert_eq!(
        persons(
            "Giám đốc Sở Tư pháp Lê Thị Hà phát biểu. \
             Phó Giám đốc Sở Nội vụ Lê Thị Hạ báo cáo."
        ),
        ["Lê Thị Hà", "Lê Thị Hạ"]
    );
}
