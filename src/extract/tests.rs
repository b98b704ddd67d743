//! Recogniser tests on sentences written for them (never corpus text).

use crate::resolve::{self, Kind};
use crate::text::prepare;

struct Out {
    persons: Vec<String>,
    orgs: Vec<String>,
    places: Vec<(String, &'static str)>,
    positions: Vec<(String, String, Option<String>, bool)>,
}

fn run(text: &str) -> Out {
    let p = prepare(text);
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, None);
    let label = |i: usize| r.entities[i].label.clone();
    let of = |k: Kind| -> Vec<String> {
        let mut v: Vec<String> = r
            .entities
            .iter()
            .filter(|e| e.kind == k && !e.inferred)
            .map(|e| e.label.clone())
            .collect();
        v.sort();
        v
    };
    Out {
        persons: of(Kind::Person),
        orgs: of(Kind::Organization),
        places: r
            .entities
            .iter()
            .filter(|e| e.kind == Kind::Place)
            .map(|e| (e.label.clone(), e.level.map_or("", |l| l.as_str())))
            .collect(),
        positions: r
            .positions
            .iter()
            .map(|p| (label(p.person), p.title.clone(), p.org.map(label), p.former))
            .collect(),
    }
}

fn pos(person: &str, title: &str, org: Option<&str>) -> (String, String, Option<String>, bool) {
    (person.into(), title.into(), org.map(String::from), false)
}

#[test]
fn honorifics_introduce_names_and_are_not_part_of_them() {
    let o = run("Ông Trần Văn Hùng và bà Lê Thị Mai đã đến thăm. GS.TS Phạm Quốc Bảo cùng BS. Hoàng Minh Tú tham gia.");
    assert_eq!(
        o.persons,
        [
            "Hoàng Minh Tú",
            "Lê Thị Mai",
            "Phạm Quốc Bảo",
            "Trần Văn Hùng"
        ]
    );
}

#[test]
fn weak_honorifics_need_a_surname() {
    // "anh Hà Nội" is not a person; "chị Nguyễn Thị Lan" is
    let o = run("Chị Nguyễn Thị Lan kể lại. Anh Thành Công Minh không đến, em Sáng Tạo cũng vậy.");
    assert_eq!(o.persons, ["Nguyễn Thị Lan"]);
}

#[test]
fn title_before_name_with_its_organisation() {
    let o = run("Thứ trưởng Bộ Y tế Trần Quốc Khánh phát biểu tại hội nghị.");
    assert_eq!(
        o.positions,
        [pos("Trần Quốc Khánh", "Thứ trưởng", Some("Bộ Y tế"))]
    );
}

#[test]
fn ministry_domain_after_title_names_the_ministry() {
    let o = run("Bộ trưởng Y tế Đinh Văn Sơn đã ký văn bản.");
    assert_eq!(
        o.positions,
        [pos("Đinh Văn Sơn", "Bộ trưởng", Some("Bộ Y tế"))]
    );
}

#[test]
fn apposition_after_a_dash_with_several_posts() {
    let o = run("Về phía tỉnh Lào Cai có ông Hoàng Văn Tâm - Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh; bà Vi Thị Hạnh - Giám đốc Sở Y tế.");
    assert_eq!(
        o.positions,
        [
            pos("Hoàng Văn Tâm", "Tỉnh ủy viên", Some("Tỉnh ủy Lào Cai")),
            pos(
                "Hoàng Văn Tâm",
                "Phó Chủ tịch",
                Some("Ủy ban nhân dân tỉnh Lào Cai")
            ),
            pos("Vi Thị Hạnh", "Giám đốc", Some("Sở Y tế tỉnh Lào Cai")),
        ]
    );
    // the implied and the abbreviated bodies are organisations of the document
    assert!(
        o.orgs.contains(&"Tỉnh ủy Lào Cai".to_string()),
        "{:?}",
        o.orgs
    );
}

#[test]
fn apposition_in_parentheses_and_after_a_comma() {
    let o = run("(Bà Đoàn Thị Nga, Phó Giám đốc Bệnh viện Đa khoa Phú Hưng chủ trì buổi họp)");
    assert_eq!(
        o.positions,
        [pos(
            "Đoàn Thị Nga",
            "Phó Giám đốc",
            Some("Bệnh viện Đa khoa Phú Hưng")
        )]
    );
}

#[test]
fn former_post_after_nguyen() {
    let o = run("Bà Cao Thị Yến, Phó Giám đốc Sở Y tế tỉnh Gia Lai nguyên Giám đốc Trung tâm Y tế huyện Chư Sê.");
    assert_eq!(
        o.positions,
        [
            pos("Cao Thị Yến", "Phó Giám đốc", Some("Sở Y tế tỉnh Gia Lai")),
            (
                "Cao Thị Yến".into(),
                "Giám đốc".into(),
                Some("Trung tâm Y tế huyện Chư Sê".into()),
                true
            ),
        ]
    );
}

#[test]
fn a_title_list_after_a_preposition_is_not_the_persons() {
    let o = run(
        "Thừa ủy quyền của Chủ tịch nước, Phó Chủ tịch UBND tỉnh Mạc Văn Lực trao huân chương.",
    );
    assert_eq!(o.positions.len(), 1, "{:?}", o.positions);
    assert_eq!(o.positions[0].1, "Phó Chủ tịch");
}

#[test]
fn titles_joined_by_commas_before_a_name_are_all_his() {
    let o = run("Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Nông Văn Chí dự lễ tại Cao Bằng.");
    assert_eq!(
        o.positions,
        [
            pos(
                "Nông Văn Chí",
                "Chủ tịch",
                Some("Ủy ban nhân dân tỉnh Cao Bằng")
            ),
            pos("Nông Văn Chí", "Phó Bí thư", Some("Tỉnh ủy Cao Bằng")),
        ]
    );
}

#[test]
fn implicit_locality_comes_from_the_document() {
    let o = run("Sở Y tế tỉnh Thanh Hoá họp. UBND tỉnh giao Sở Y tế và BHXH tỉnh phối hợp với Công an tỉnh.");
    assert_eq!(
        o.orgs,
        [
            "Bảo hiểm xã hội tỉnh Thanh Hóa",
            "Công an tỉnh Thanh Hóa",
            "Sở Y tế tỉnh Thanh Hóa",
            "Ủy ban nhân dân tỉnh Thanh Hóa",
        ]
    );
}

#[test]
fn abbreviations_are_expanded_and_generic_uses_dropped() {
    let o = run("BV Hòa Bình Xanh và HĐND tỉnh Quảng Trị đã làm việc. Các bệnh viện tuyến huyện và UBND cấp xã cũng tham gia.");
    assert_eq!(
        o.orgs,
        [
            "Bệnh viện Hòa Bình Xanh",
            "Hội đồng nhân dân tỉnh Quảng Trị"
        ]
    );
}

#[test]
fn lower_case_heads_need_a_name_or_place() {
    let o = run("Trao quà cho trạm y tế xã Tân Lập, huyện Mộc Châu và bệnh viện Nội tiết Trung ương; nhiệm vụ Nghị quyết đề ra.");
    assert!(
        o.orgs.contains(&"Trạm Y tế xã Tân Lập".to_string()),
        "{:?}",
        o.orgs
    );
    assert!(
        o.orgs
            .contains(&"Bệnh viện Nội tiết Trung ương".to_string()),
        "{:?}",
        o.orgs
    );
    assert_eq!(o.orgs.len(), 2, "{:?}", o.orgs);
    let places: Vec<&str> = o.places.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        places.contains(&"Tân Lập") && places.contains(&"Mộc Châu"),
        "{places:?}"
    );
}

#[test]
fn a_unit_names_its_parent_body() {
    let o = run("Cục Quản lý Dược Bộ Y tế cấp phép. Ban Thường vụ Hội Nông dân tỉnh Yên Bái họp.");
    // a ministry's unit is one nationwide: named alone, whether its ministry is written or not
    assert!(
        o.orgs.contains(&"Cục Quản lý Dược".to_string()),
        "{:?}",
        o.orgs
    );
    assert!(o.orgs.contains(&"Bộ Y tế".to_string()), "{:?}", o.orgs);
    // a board speaks for its body
    assert!(
        o.orgs.contains(&"Hội Nông dân tỉnh Yên Bái".to_string()),
        "{:?}",
        o.orgs
    );
    assert!(!o.orgs.iter().any(|x| x.starts_with("Ban")), "{:?}", o.orgs);
}

#[test]
fn places_with_level_words_variants_and_merged_provinces() {
    let o = run("Đoàn công tác đến xã Lũng Phìn, huyện Đồng Văn, tỉnh Hà Giang rồi về TP.HCM và thành phố Pleiku, tỉnh Đăk Lăk.");
    let mut places = o.places.clone();
    places.sort();
    assert_eq!(
        places,
        [
            ("Hà Giang".to_string(), "province"),
            ("Hồ Chí Minh".to_string(), "province"),
            ("Lũng Phìn".to_string(), "commune"),
            ("Pleiku".to_string(), "city"),
            ("Đắk Lắk".to_string(), "province"),
            ("Đồng Văn".to_string(), "district"),
        ]
    );
}

#[test]
fn a_name_is_not_swallowed_by_the_body_before_it() {
    let o = run("Giám đốc Bệnh viện Việt Đức Trần Bình Giang và Chủ tịch UBND huyện Bảo Lâm Nguyễn Văn Phúc dự họp.");
    assert_eq!(
        o.positions,
        [
            pos("Trần Bình Giang", "Giám đốc", Some("Bệnh viện Việt Đức")),
            pos(
                "Nguyễn Văn Phúc",
                "Chủ tịch",
                Some("Ủy ban nhân dân huyện Bảo Lâm")
            ),
        ]
    );
}

#[test]
fn a_short_form_of_a_name_is_the_same_person() {
    let o = run("BS Nguyễn Hữu Phước, Trưởng khoa Nhi cho biết bé đã ổn. Theo BS Hữu Phước, bé cần theo dõi thêm.");
    assert_eq!(o.persons, ["Nguyễn Hữu Phước"]);
}

#[test]
fn nfd_text_gives_the_same_facts() {
    use unicode_normalization::UnicodeNormalization;
    let nfc = "Phó Giám đốc Sở Y tế tỉnh Đắk Nông Lò Văn Thành dự họp.";
    let nfd: String = nfc.nfd().collect();
    let (a, b) = (run(nfc), run(&nfd));
    assert_eq!(a.positions, b.positions);
    assert_eq!(
        a.positions,
        [pos(
            "Lò Văn Thành",
            "Phó Giám đốc",
            Some("Sở Y tế tỉnh Đắk Nông")
        )]
    );
}

#[test]
fn crawl_noise_is_skipped() {
    let o = run("A- A A+ | Tăng tương phản Giảm tương phản\nÔng Vũ Đình Hải dự họp tại Sở Y tế tỉnh Nam Định.\nẢnh: Trần Hùng");
    assert_eq!(o.persons, ["Vũ Đình Hải"]);
}

#[test]
fn appointments_give_positions() {
    let o = run("Ông Lý Văn Tài được bổ nhiệm giữ chức Phó Giám đốc Sở Y tế tỉnh Sơn La. Bà Hà Thị Nhung được bầu làm Chủ tịch HĐND tỉnh. Ông Tô Văn Nam được khen thưởng.");
    assert_eq!(
        o.positions,
        [
            pos("Lý Văn Tài", "Phó Giám đốc", Some("Sở Y tế tỉnh Sơn La")),
            pos(
                "Hà Thị Nhung",
                "Chủ tịch",
                Some("Hội đồng nhân dân tỉnh Sơn La")
            ),
        ]
    );
}

#[test]
fn heads_of_units_hold_posts_in_their_body() {
    let o = run("TS.BS Vương Thị Nga - Trưởng khoa Hồi sức tích cực Bệnh viện Đa khoa Thái Bình cho biết. Trưởng khoa Nội Lê Minh Quân cũng có mặt.");
    assert_eq!(
        o.positions,
        [
            pos(
                "Vương Thị Nga",
                "Trưởng khoa",
                Some("Bệnh viện Đa khoa Thái Bình")
            ),
            pos(
                "Lê Minh Quân",
                "Trưởng khoa",
                Some("Bệnh viện Đa khoa Thái Bình")
            ),
        ]
    );
}

/// (child, parent) labels of the organisations and places of a text.
fn parents(text: &str) -> Vec<(String, String)> {
    let p = prepare(text);
    let ex = super::extract(&p);
    let r = resolve::resolve(&p, &ex, None);
    let mut v: Vec<(String, String)> = r
        .entities
        .iter()
        .filter_map(|e| Some((e.label.clone(), r.entities[e.parent?].label.clone())))
        .collect();
    v.sort();
    v
}

#[test]
fn the_reference_hierarchy_gives_bodies_their_parents() {
    let v = parents(
        "Trạm Y tế xã Tân Lập, huyện Mộc Châu được Trung tâm Y tế huyện Mộc Châu hỗ trợ. \
         Sở Y tế tỉnh Sơn La và Cục Quản lý Dược làm việc với Bệnh viện Nhi Trung ương.",
    );
    let has = |c: &str, p: &str| v.contains(&(c.to_string(), p.to_string()));
    assert!(
        has("Trạm Y tế xã Tân Lập", "Trung tâm Y tế huyện Mộc Châu"),
        "{v:?}"
    );
    assert!(
        has("Trung tâm Y tế huyện Mộc Châu", "Sở Y tế tỉnh Sơn La"),
        "{v:?}"
    );
    assert!(
        has("Sở Y tế tỉnh Sơn La", "Ủy ban nhân dân tỉnh Sơn La"),
        "{v:?}"
    );
    assert!(has("Cục Quản lý Dược", "Bộ Y tế"), "{v:?}");
    assert!(has("Bệnh viện Nhi Trung ương", "Bộ Y tế"), "{v:?}");
    assert!(has("Bộ Y tế", "Chính phủ"), "{v:?}");
    // places: the commune in the district written after it, the district in the province
    assert!(has("Tân Lập", "Mộc Châu"), "{v:?}");
    assert!(has("Mộc Châu", "Sơn La"), "{v:?}");
}

#[test]
fn a_district_of_another_province_is_not_given_the_documents_province() {
    // two provinces named equally often: a district named alone lies in neither for sure
    let v = parents(
        "Đoàn của tỉnh Lạng Sơn và tỉnh Cao Bằng thăm Trung tâm Y tế huyện Tràng Định. \
         Lạng Sơn và Cao Bằng cùng ký kết.",
    );
    assert!(
        !v.iter()
            .any(|(c, _)| c == "Trung tâm Y tế huyện Tràng Định"),
        "{v:?}"
    );
}

#[test]
fn posts_of_other_sectors() {
    let o = run("Dự hội nghị có ông Trần Quang Phúc, Phó Chủ tịch Quốc hội; ông Nguyễn Văn Quang, Ủy viên Trung ương Đảng, Bí thư Thành ủy Đà Nẵng; bà Lê Thị Hà, Thành ủy viên, Giám đốc Sở Y tế thành phố Đà Nẵng; Thượng tướng Lê Văn Dũng, Chính ủy Bộ đội Biên phòng; ông Nguyễn Hòa An, Chánh án Tòa án nhân dân tối cao; ông Phạm Minh Tuấn, Phó Tổng Giám đốc Tổng công ty Hàng không Việt Nam; PGS.TS Hoàng Minh Sang, Hiệu trưởng Trường Đại học Bách khoa Hà Nội; Trung tướng Nguyễn Văn Nam, Tư lệnh Quân khu 5; ông Đặng Minh Khôi, Đại sứ Việt Nam tại Nhật Bản.");
    let mut got = o.positions.clone();
    got.sort();
    let mut want = vec![
        pos("Trần Quang Phúc", "Phó Chủ tịch Quốc hội", Some("Quốc hội")),
        pos(
            "Nguyễn Văn Quang",
            "Ủy viên",
            Some("Ban Chấp hành Trung ương Đảng"),
        ),
        pos("Nguyễn Văn Quang", "Bí thư", Some("Thành ủy Đà Nẵng")),
        pos("Lê Thị Hà", "Thành ủy viên", Some("Thành ủy Đà Nẵng")),
        pos("Lê Thị Hà", "Giám đốc", Some("Sở Y tế thành phố Đà Nẵng")),
        pos("Lê Văn Dũng", "Chính ủy", Some("Bộ đội Biên phòng")),
        pos("Nguyễn Hòa An", "Chánh án", Some("Tòa án nhân dân tối cao")),
        pos(
            "Phạm Minh Tuấn",
            "Phó Tổng Giám đốc",
            Some("Tổng công ty Hàng không Việt Nam"),
        ),
        pos(
            "Hoàng Minh Sang",
            "Hiệu trưởng",
            Some("Trường Đại học Bách khoa Hà Nội"),
        ),
        pos("Nguyễn Văn Nam", "Tư lệnh", Some("Quân khu 5")),
        // an envoy's post is in the mission
        pos(
            "Đặng Minh Khôi",
            "Đại sứ",
            Some("Đại sứ quán Việt Nam tại Nhật Bản"),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
}
