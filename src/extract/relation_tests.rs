//! Relation tests on sentences written for them (never corpus text): events, agreements,
//! awards, donations and legal documents, through extraction and resolution.

use crate::resolve::{self, Relations, Resolved, Role};
use crate::text::prepare;

fn run(text: &str, date: Option<&str>) -> Resolved {
    let p = prepare(text);
    let ex = super::extract(&p);
    resolve::resolve(&p, &ex, date)
}

fn name(r: &Resolved, role: &Role) -> String {
    match role {
        Role::Entity(e) => r.entities[*e].label.clone(),
        Role::Office { title, org } => match org {
            Some(o) => format!("{title} {}", r.entities[*o].label),
            None => title.clone(),
        },
    }
}

fn names(r: &Resolved, roles: &[Role]) -> Vec<String> {
    let mut v: Vec<String> = roles.iter().map(|x| name(r, x)).collect();
    v.sort();
    v
}

/// A legal document as (number, kind, issuers, date).
type LegalRow = (String, Option<String>, Vec<String>, Option<String>);

fn rel(r: &Resolved) -> &Relations {
    &r.relations
}

#[test]
fn a_conference_has_its_date_organiser_and_participants() {
    let r = run(
        "Sáng 27/12, Sở Y tế tỉnh Thanh Hóa tổ chức hội nghị tổng kết công tác năm 2023. \
         Đồng chí Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh dự và phát biểu chỉ đạo. \
         Tại hội nghị, Giám đốc Sở Y tế Lê Thị Hạnh trao Giấy khen cho 3 tập thể thuộc Trung tâm Y tế huyện Cẩm Thủy.",
        Some("2023-12"),
    );
    let e = &rel(&r).events[0];
    assert_eq!(e.kind, "conference");
    assert_eq!(e.date.as_deref(), Some("2023-12-27"));
    assert_eq!(names(&r, &e.organizers), ["Sở Y tế tỉnh Thanh Hóa"]);
    // the people who spoke and handed awards took part; the body of a person's post did not
    assert_eq!(
        names(&r, &e.participants),
        [
            "Lê Thị Hạnh",
            "Nguyễn Văn Bình",
            "Trung tâm Y tế huyện Cẩm Thủy"
        ]
    );
}

#[test]
fn a_year_end_event_reported_in_january_is_of_the_year_before() {
    let r = run(
        "Chiều 30/12, Bệnh viện Đa khoa tỉnh Nghệ An tổ chức hội nghị viên chức.",
        Some("2024-01-03"),
    );
    assert_eq!(rel(&r).events[0].date.as_deref(), Some("2023-12-30"));
}

#[test]
fn a_working_visit_is_organised_by_the_visiting_body() {
    let r = run(
        "Ngày 5/3/2022, đoàn công tác của Bộ Y tế do Thứ trưởng Trần Minh Quang dẫn đầu đã có buổi làm việc với UBND tỉnh Lai Châu. \
         Cùng đi có đại diện Bệnh viện Bạch Mai và Bệnh viện Nhi Trung ương. \
         Về phía tỉnh có ông Hoàng Văn Lực - Phó Chủ tịch UBND tỉnh; lãnh đạo Sở Y tế.",
        None,
    );
    let e = &rel(&r).events[0];
    assert_eq!(e.kind, "working_visit");
    assert_eq!(e.date.as_deref(), Some("2022-03-05"));
    assert_eq!(names(&r, &e.organizers), ["Bộ Y tế"]);
    assert_eq!(
        names(&r, &e.participants),
        [
            "Bệnh viện Bạch Mai",
            "Bệnh viện Nhi Trung ương",
            "Hoàng Văn Lực",
            "Sở Y tế tỉnh Lai Châu",
            "Trần Minh Quang",
            "Ủy ban nhân dân tỉnh Lai Châu",
        ]
    );
}

#[test]
fn an_article_without_a_meeting_has_no_event() {
    let r = run(
        "Bệnh nhân 45 tuổi ở Hà Nội nhập viện ngày 3/4/2021 vì sốt cao. Các bác sĩ đã hội chẩn.",
        None,
    );
    assert!(rel(&r).events.is_empty());
}

#[test]
fn signed_support_deals_list_every_party() {
    let r = run(
        "Ngày 12/6/2021, Sở Y tế tỉnh Gia Lai tổ chức hội nghị. \
         Nhân dịp này, Bệnh viện Chợ Rẫy, Bệnh viện Trung ương Huế và Sở Y tế tỉnh Gia Lai đã ký kết hỗ trợ chuyên môn cho các bệnh viện tuyến huyện.",
        None,
    );
    let a = &rel(&r).agreements;
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(
        names(&r, &a[0].parties),
        [
            "Bệnh viện Chợ Rẫy",
            "Bệnh viện Trung ương Huế",
            "Sở Y tế tỉnh Gia Lai"
        ]
    );
    assert_eq!(a[0].topic, "hỗ trợ chuyên môn");
    // signed at the event: dated by it
    assert_eq!(a[0].date.as_deref(), Some("2021-06-12"));
    // the parties took part in the event
    let e = &rel(&r).events[0];
    assert!(names(&r, &e.participants).contains(&"Bệnh viện Chợ Rẫy".to_string()));
}

#[test]
fn a_cooperation_rule_has_its_parties_number_date_and_period() {
    let r = run(
        "Hai bên thực hiện Quy chế phối hợp giữa Bộ Y tế và Bộ Quốc phòng số 15/QC-BYT-BQP ngày 20/5/2021 về chăm sóc sức khỏe bộ đội giai đoạn 2021-2025.",
        None,
    );
    let a = &rel(&r).agreements[0];
    assert_eq!(names(&r, &a.parties), ["Bộ Quốc phòng", "Bộ Y tế"]);
    assert_eq!(a.date.as_deref(), Some("2021-05-20"));
    assert_eq!(a.period, Some((2021, 2025)));
    let l = &rel(&r).legal[a.number.expect("number")];
    assert_eq!(l.number, "15/QC-BYT-BQP");
    assert_eq!(l.kind.as_deref(), Some("Quy chế phối hợp"));
    assert_eq!(names(&r, &l.issuers), ["Bộ Quốc phòng", "Bộ Y tế"]);
}

#[test]
fn a_cooperation_agreement_with_another_body() {
    let r = run(
        "Bệnh viện Đa khoa tỉnh Nghệ An ký kết thỏa thuận hợp tác với Bệnh viện Việt Đức.",
        None,
    );
    let a = &rel(&r).agreements[0];
    assert_eq!(
        names(&r, &a.parties),
        ["Bệnh viện Việt Đức", "Bệnh viện Đa khoa tỉnh Nghệ An"]
    );
}

#[test]
fn registering_with_a_body_or_one_signer_is_no_agreement() {
    let r = run(
        "Người dân đăng ký với Trung tâm Y tế huyện Quỳnh Lưu. Giám đốc Bệnh viện Bạch Mai cùng các bệnh viện ký kết hỗ trợ chuyên môn.",
        None,
    );
    assert!(rel(&r).agreements.is_empty(), "{:?}", rel(&r).agreements);
}

#[test]
fn an_award_on_behalf_of_the_president() {
    let r = run(
        "Thừa ủy quyền của Chủ tịch nước, ông Lê Quang Vinh - Phó Chủ tịch UBND tỉnh Nghệ An trao Huân chương Lao động hạng Ba cho Bệnh viện Đa khoa tỉnh Nghệ An.",
        None,
    );
    let a = &rel(&r).awards[0];
    assert_eq!(a.name, "Huân chương Lao động hạng Ba");
    assert_eq!(name(&r, &a.recipient), "Bệnh viện Đa khoa tỉnh Nghệ An");
    assert_eq!(
        a.grantor.as_ref().map(|g| name(&r, g)).as_deref(),
        Some("Chủ tịch nước")
    );
    assert_eq!(
        a.presenter.as_ref().map(|g| name(&r, g)).as_deref(),
        Some("Lê Quang Vinh")
    );
}

#[test]
fn awards_received_given_and_passive() {
    let r = run(
        "Bác sĩ Phan Thị Lan nhận Bằng khen của Thủ tướng Chính phủ. \
         Hội Điều dưỡng tỉnh Hà Tĩnh đã được Ban Chấp hành Hội Điều dưỡng Việt Nam tặng Bằng khen. \
         Giám đốc Sở Y tế Võ Thành Nam trao Giấy khen cho 4 tập thể và 7 cá nhân thuộc Công an tỉnh Hà Tĩnh.",
        None,
    );
    let got: Vec<(String, String, Option<String>)> = rel(&r)
        .awards
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                name(&r, &a.recipient),
                a.grantor.as_ref().map(|g| name(&r, g)),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Bằng khen".to_string(),
                "Phan Thị Lan".to_string(),
                Some("Thủ tướng Chính phủ".to_string())
            ),
            (
                "Bằng khen".to_string(),
                "Hội Điều dưỡng tỉnh Hà Tĩnh".to_string(),
                Some("Hội Điều dưỡng Việt Nam".to_string())
            ),
            (
                "Giấy khen".to_string(),
                "Công an tỉnh Hà Tĩnh".to_string(),
                // no "của": the body of the presenter's post grants it
                Some("Sở Y tế tỉnh Hà Tĩnh".to_string())
            ),
        ]
    );
}

#[test]
fn a_badge_named_in_quotes_goes_to_each_person_listed() {
    let r = run(
        "Ban Thường vụ Tỉnh Đoàn Nghệ An đã trao tặng huy hiệu \"Tuổi trẻ dũng cảm\" cho 3 đoàn viên gồm: \
         em Lê Văn Hùng, Phạm Minh Khoa và Bùi Trường Sơn. \
         Ông Đặng Quốc Việt được trao Huy hiệu 50 năm tuổi Đảng.",
        None,
    );
    let mut got: Vec<(String, String)> = rel(&r)
        .awards
        .iter()
        .map(|a| (a.name.clone(), name(&r, &a.recipient)))
        .collect();
    got.sort();
    let want = |a: &str, p: &str| (a.to_string(), p.to_string());
    assert_eq!(
        got,
        [
            want("Huy hiệu 50 năm tuổi Đảng", "Đặng Quốc Việt"),
            want("Huy hiệu Tuổi trẻ dũng cảm", "Bùi Trường Sơn"),
            want("Huy hiệu Tuổi trẻ dũng cảm", "Lê Văn Hùng"),
            want("Huy hiệu Tuổi trẻ dũng cảm", "Phạm Minh Khoa"),
        ]
    );
}

#[test]
fn an_award_to_unnamed_people_has_no_recipient() {
    let r = run(
        "Công đoàn Y tế Việt Nam trao Bằng khen cho các y bác sĩ có thành tích xuất sắc.",
        None,
    );
    assert!(rel(&r).awards.is_empty());
}

#[test]
fn donations_have_donor_recipient_and_amount() {
    let r = run(
        "Bệnh viện Đa khoa Hoàn Mỹ hỗ trợ 300.000.000 đồng cho Ủy ban MTTQ tỉnh Quảng Nam; \
         Công ty Cổ phần Dược Hậu Giang ủng hộ 1,5 tỷ đồng cho Sở Y tế tỉnh Quảng Nam.\n\
         Bệnh viện Đa khoa Hoàn Mỹ là đơn vị tích cực. Nhân dịp này, bệnh viện còn trao 50 triệu đồng tiền mua thiết bị cho Trạm Y tế xã Tam Xuân.",
        None,
    );
    let got: Vec<(String, Option<String>, u64)> = rel(&r)
        .donations
        .iter()
        .map(|d| {
            (
                name(&r, &d.donor),
                d.recipient.as_ref().map(|x| name(&r, x)),
                d.amount,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Bệnh viện Đa khoa Hoàn Mỹ".to_string(),
                Some("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Nam".to_string()),
                300_000_000
            ),
            (
                "Công ty Cổ phần Dược Hậu Giang".to_string(),
                Some("Sở Y tế tỉnh Quảng Nam".to_string()),
                1_500_000_000
            ),
            // "bệnh viện" refers back to the hospital named before
            (
                "Bệnh viện Đa khoa Hoàn Mỹ".to_string(),
                Some("Trạm Y tế xã Tam Xuân".to_string()),
                50_000_000
            ),
        ]
    );
    assert_eq!(
        rel(&r).donations[2].purpose.as_deref(),
        Some("tiền mua thiết bị")
    );
}

#[test]
fn money_without_a_giver_verb_or_a_unit_is_no_donation() {
    let r = run(
        "Tổng kinh phí đầu tư của Bệnh viện Bạch Mai là 20 tỷ đồng. Bệnh viện Bạch Mai hỗ trợ 50 triệu cho bệnh nhân.",
        None,
    );
    assert!(rel(&r).donations.is_empty(), "{:?}", rel(&r).donations);
}

#[test]
fn legal_documents_have_kind_date_and_issuer() {
    let r = run(
        "Sở Y tế tỉnh Quảng Bình thực hiện Quyết định số 1125/QĐ-TTg ngày 9/8/2022 của Thủ tướng Chính phủ và Kế hoạch số 77/KH-UBND của UBND tỉnh; theo Thông tư 08/2019/TT-BYT.",
        None,
    );
    let got: Vec<LegalRow> = rel(&r)
        .legal
        .iter()
        .map(|l| {
            (
                l.number.clone(),
                l.kind.clone(),
                names(&r, &l.issuers),
                l.date.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "1125/QĐ-TTg".to_string(),
                Some("Quyết định".to_string()),
                vec!["Thủ tướng Chính phủ".to_string()],
                Some("2022-08-09".to_string())
            ),
            (
                "77/KH-UBND".to_string(),
                Some("Kế hoạch".to_string()),
                // the UBND of the article's province
                vec!["Ủy ban nhân dân tỉnh Quảng Bình".to_string()],
                None
            ),
            (
                "08/2019/TT-BYT".to_string(),
                Some("Thông tư".to_string()),
                // no "của": the issuer the number's code stands for
                vec!["Bộ Y tế".to_string()],
                None
            ),
        ]
    );
}

#[test]
fn a_date_and_issuer_after_a_list_of_documents_apply_to_each() {
    let r = run(
        "Trung tâm Y tế huyện Krông Nô triển khai Quyết định số 12/QĐ-UBND, Quyết định số13/QĐ-UBND ngày 2/3/2021 của UBND tỉnh Đắk Nông.",
        None,
    );
    let l = &rel(&r).legal;
    assert_eq!(l.len(), 2);
    for d in l {
        assert_eq!(d.date.as_deref(), Some("2021-03-02"), "{}", d.number);
        assert_eq!(names(&r, &d.issuers), ["Ủy ban nhân dân tỉnh Đắk Nông"]);
    }
}

#[test]
fn a_document_number_cut_by_a_line_break_is_one_document() {
    let r = run(
        "Các đơn vị thực hiện Quyết định 1125/QĐ-\nTTg của Thủ tướng Chính phủ về y tế cơ sở.",
        None,
    );
    let l = &rel(&r).legal;
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].number, "1125/QĐ-TTg");
    assert_eq!(l[0].kind.as_deref(), Some("Quyết định"));
}

#[test]
fn a_visit_led_by_a_minister_is_made_by_the_ministry() {
    let r = run(
        "Sáng nay (14/9), Bộ trưởng Bộ Y tế Đinh Thị Hương làm việc tại Bệnh viện Đa khoa tỉnh Phú Thọ. \
         Tham dự buổi làm việc có ông Bùi Văn Quý, Phó Chủ tịch UBND tỉnh Phú Thọ và đại diện Bảo hiểm xã hội tỉnh Phú Thọ.",
        Some("2023-09-14"),
    );
    let e = &rel(&r).events[0];
    assert_eq!(e.date.as_deref(), Some("2023-09-14"));
    assert_eq!(names(&r, &e.organizers), ["Bộ Y tế"]);
    assert_eq!(
        names(&r, &e.participants),
        [
            "Bùi Văn Quý",
            "Bảo hiểm xã hội tỉnh Phú Thọ",
            "Bệnh viện Đa khoa tỉnh Phú Thọ",
            "Đinh Thị Hương"
        ]
    );
}

#[test]
fn only_the_subject_right_before_the_verb_organises() {
    let r = run(
        "Ngày 19/4/2021, sau chuyến khảo sát của Bệnh viện Chợ Rẫy tại tỉnh Kiên Giang, các đơn vị đã tổ chức hội nghị trực tuyến.",
        None,
    );
    let e = &rel(&r).events[0];
    assert_eq!(e.date.as_deref(), Some("2021-04-19"));
    assert!(e.organizers.is_empty(), "{:?}", names(&r, &e.organizers));
}

#[test]
fn counted_earlier_or_signed_documents_are_not_the_event() {
    for text in [
        // meetings counted
        "Ngày 8/4, Viện Vật lý cho biết từ năm 2015 viện đã tổ chức 35 hội thảo chuyên đề.",
        // a document signed by an official is no signing ceremony
        "Ngày 8/4, Sở Tài chính nhận được văn bản do Phó Chủ tịch UBND tỉnh Lê Văn Sơn ký ngày 7/4.",
        // an earlier meeting with no date of its own
        "Trước đó, Hội đồng trường Trường Đại học Sông Hồng đã tổ chức hội nghị bầu hiệu trưởng.",
    ] {
        let r = run(text, Some("2024-04"));
        assert!(rel(&r).events.is_empty(), "{text}: {:?}", rel(&r).events);
    }
    // one meeting, the same words otherwise, is
    let r = run(
        "Ngày 8/4, Viện Vật lý tổ chức hội thảo chuyên đề.",
        Some("2024-04"),
    );
    assert_eq!(rel(&r).events.len(), 1);
    // a dated signing of an agreement is an event
    let r = run(
        "Sáng 22/4, Bệnh viện Bạch Mai và Sở Y tế tỉnh Sơn La đã ký kết hợp tác chuyên môn.",
        Some("2024-04"),
    );
    assert_eq!(rel(&r).events.len(), 1);
    assert_eq!(rel(&r).events[0].kind, "signing");
    // with no organiser named, the parties host it
    assert_eq!(
        names(&r, &rel(&r).events[0].organizers),
        ["Bệnh viện Bạch Mai", "Sở Y tế tỉnh Sơn La"]
    );
}

#[test]
fn relations_of_other_sectors() {
    let r = run(
        "Sáng 12/5/2024, Tập đoàn Bưu chính Viễn thông Việt Nam và Trường Đại học Bách khoa Hà Nội đã ký biên bản ghi nhớ về hợp tác đào tạo nhân lực công nghệ.\n\
         Tại buổi lễ, Tổng công ty Điện lực miền Bắc ký thỏa thuận hợp tác chiến lược với Ngân hàng TMCP Đầu tư và Phát triển Việt Nam.\n\
         Nhân dịp này, Chủ tịch nước trao danh hiệu Anh hùng Lao động cho Tập đoàn Bưu chính Viễn thông Việt Nam. Ông Đỗ Văn Thành được tặng danh hiệu Nhà giáo Nhân dân.\n\
         Công ty cổ phần Sữa Hồng Hà trao tặng 300 triệu đồng tiền mặt cho Hội Chữ thập đỏ tỉnh Bắc Giang. Ngân hàng TMCP Ngoại thương Việt Nam tài trợ 2 tỷ đồng cho Trường Tiểu học Kim Đồng.\n\
         Hội nghị quán triệt Nghị quyết số 57-NQ/TW của Bộ Chính trị, Hướng dẫn 15-HD/BTCTW và Nghị định 100/2019/NĐ-CP.",
        Some("2024-05-12"),
    );
    // a memorandum and a strategic cooperation agreement, each between two bodies
    let parties: Vec<Vec<String>> = rel(&r)
        .agreements
        .iter()
        .map(|a| names(&r, &a.parties))
        .collect();
    assert_eq!(
        parties,
        [
            vec![
                "Trường Đại học Bách khoa Hà Nội".to_string(),
                "Tập đoàn Bưu chính Viễn thông Việt Nam".to_string()
            ],
            vec![
                "Ngân hàng Thương mại cổ phần Đầu tư và Phát triển Việt Nam".to_string(),
                "Tổng công ty Điện lực miền Bắc".to_string()
            ],
        ]
    );
    // honorary titles conferred
    let awards: Vec<(String, String)> = rel(&r)
        .awards
        .iter()
        .map(|a| (a.name.clone(), name(&r, &a.recipient)))
        .collect();
    assert_eq!(
        awards,
        [
            (
                "Danh hiệu Anh hùng Lao động".to_string(),
                "Tập đoàn Bưu chính Viễn thông Việt Nam".to_string()
            ),
            (
                "Danh hiệu Nhà giáo Nhân dân".to_string(),
                "Đỗ Văn Thành".to_string()
            ),
        ]
    );
    // money given in cash, and sponsorship
    let mut gifts: Vec<(String, u64)> = rel(&r)
        .donations
        .iter()
        .map(|d| (name(&r, &d.donor), d.amount))
        .collect();
    gifts.sort();
    assert_eq!(
        gifts,
        [
            ("Công ty Cổ phần Sữa Hồng Hà".to_string(), 300_000_000),
            (
                "Ngân hàng Thương mại cổ phần Ngoại thương Việt Nam".to_string(),
                2_000_000_000
            ),
        ]
    );
    // party documents take their issuer from the text or the code; a decree is the government's
    let mut docs: Vec<(String, Vec<String>)> = rel(&r)
        .legal
        .iter()
        .map(|l| (l.number.clone(), names(&r, &l.issuers)))
        .collect();
    docs.sort();
    assert_eq!(
        docs,
        [
            ("100/2019/NĐ-CP".to_string(), vec!["Chính phủ".to_string()]),
            (
                "15-HD/BTCTW".to_string(),
                vec!["Ban Tổ chức Trung ương".to_string()]
            ),
            ("57-NQ/TW".to_string(), vec!["Bộ Chính trị".to_string()]),
        ]
    );
}

#[test]
fn an_event_the_article_only_refers_to_is_its_event() {
    // the opening names no meeting; "tại buổi lễ" later says the article reports one
    let r = run(
        "Trường Đại học Luật Hà Nội đón nhận Huân chương Lao động hạng Nhất. \
         Trường được thành lập năm 1979 và đã đào tạo hàng chục nghìn cử nhân luật. \
         Phát biểu tại buổi lễ, Thứ trưởng Bộ Tư pháp Nguyễn Thanh Tịnh chúc mừng thầy và trò nhà trường.",
        Some("2024-11-08"),
    );
    let e = &rel(&r).events[0];
    assert_eq!(e.kind, "ceremony");
    assert!(e.organizers.is_empty(), "no organiser is said");
    assert!(
        names(&r, &e.participants).contains(&"Nguyễn Thanh Tịnh".to_string()),
        "{:?}",
        names(&r, &e.participants)
    );
    // a meeting named in passing, without "tại", is no event
    let r = run(
        "Bộ Tư pháp công bố kế hoạch năm. Kế hoạch sẽ được bàn tại hội nghị tới.",
        None,
    );
    assert!(rel(&r).events.is_empty(), "{:?}", rel(&r).events.len());
}
