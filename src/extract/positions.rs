//! Links persons to titles and organisations from the order of a sentence's chunks.
//!
//! Patterns, with `G` a post group (`[nguyên] Title [Org | Place]`):
//! - `G Name`: the title before the name ("Thứ trưởng Bộ Y tế Đỗ Xuân Tuyên"), with earlier
//!   groups joined by commas ("Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh Đầu Thanh Tùng");
//! - `Name (-|,|(|:) G ((,|kiêm|và) G | G)*`: apposition after the name;
//! - `G , Honorific Name`: "Giám đốc Sở Y tế, ông Lê Văn An".
//!
//! A group written right before a name belongs to that name, not to the chain of the name
//! before it.

use super::chunk::Chunk;
use super::{Extraction, Locality, OrgMention, PersonMention, PositionMention};
use crate::reference;
use crate::text::{title_case, Token};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy)]
struct Group {
    title: usize,
    title_tokens: (usize, usize),
    org: Option<usize>,
    former: bool,
    start: usize,
    end: usize,
}

fn group_at(chunks: &[Chunk], mut q: usize, ex: &mut Extraction, sentence: usize) -> Option<Group> {
    let start = q;
    let former = matches!(chunks.get(q), Some(Chunk::Former));
    if former {
        q += 1;
    }
    let Some(Chunk::Title(title, span)) = chunks.get(q) else {
        return None;
    };
    let (title, span) = (*title, *span);
    q += 1;
    let r = reference::get();
    let mut org = None;
    match chunks.get(q) {
        Some(Chunk::Org(o)) => {
            org = Some(*o);
            q += 1;
        }
        Some(Chunk::Place(p)) if r.titles[title].canonical.contains("Chủ tịch") => {
            // "Chủ tịch tỉnh Hà Giang": the chair of that place's people's committee
            let ubnd = r.head_lex.get("Ủy ban nhân dân").copied();
            if let Some(h) = ubnd {
                ex.orgs.push(OrgMention::implied(
                    ex.places[*p].tokens,
                    h,
                    Locality::Place(*p),
                    sentence,
                ));
                org = Some(ex.orgs.len() - 1);
            }
            q += 1;
        }
        _ => {}
    }
    if org.is_none() {
        if let Some(h) = r.titles[title].implied_org {
            ex.orgs
                .push(OrgMention::implied(span, h, Locality::Unstated, sentence));
            org = Some(ex.orgs.len() - 1);
        }
    }
    Some(Group {
        title,
        title_tokens: span,
        org,
        former,
        start,
        end: q,
    })
}

/// Words after which a list of titles names other people ("của", "quyền" of "thừa ủy quyền").
const GOVERNING: [&str; 6] = ["của", "quyền", "cho", "với", "và", "tới"];

/// Words between a name and a post that say the post was given to him.
const APPOINTMENT: [&str; 16] = [
    "được", "bổ", "nhiệm", "bầu", "giữ", "chức", "vụ", "làm", "tiếp", "tục", "tái", "điều", "động",
    "kiêm", "đảm", "nhận",
];
/// Of [`APPOINTMENT`], the words without which there is no appointment.
const APPOINTMENT_CORE: [&str; 5] = ["nhiệm", "bầu", "chức", "làm", "nhận"];

fn is_sep(c: Option<&Chunk>, marks: &[&str]) -> bool {
    matches!(c, Some(Chunk::Sep(s)) if marks.contains(&s.as_str()))
}

fn is_connector(c: Option<&Chunk>) -> bool {
    is_sep(c, &[","]) || matches!(c, Some(Chunk::Word(w)) if w == "kiêm" || w == "và")
}

/// Finds positions in one sentence's chunks and adds them (and the persons they need) to `ex`.
pub(crate) fn link(
    text: &str,
    tokens: &[Token],
    chunks: &[Chunk],
    sentence: usize,
    ex: &mut Extraction,
) {
    let r = reference::get();
    // the post groups, left to right
    let mut groups: HashMap<usize, Group> = HashMap::new(); // by start chunk
    let mut ending_at: HashMap<usize, usize> = HashMap::new(); // end chunk -> start chunk
    let mut q = 0;
    while q < chunks.len() {
        match group_at(chunks, q, ex, sentence) {
            Some(g) => {
                groups.insert(g.start, g);
                ending_at.insert(g.end, g.start);
                q = g.end;
            }
            None => q += 1,
        }
    }
    if groups.is_empty() {
        return;
    }
    let is_person = |c: Option<&Chunk>| match c {
        Some(Chunk::Person(_)) => true,
        Some(Chunk::Name((a, _))) => r.surnames.contains(&tokens[*a].key),
        _ => false,
    };
    let mut claimed: Vec<bool> = vec![false; chunks.len()];
    for p in 0..chunks.len() {
        if !is_person(chunks.get(p)) {
            continue;
        }
        let mut mine: Vec<Group> = Vec::new();
        // apposition after the name
        let mut q = p + 1;
        if is_sep(chunks.get(q), &["-", "–", "—", ",", "(", ":"]) {
            q += 1;
        } else {
            // an appointment: "X được bổ nhiệm giữ chức Giám đốc ...", "X được bầu làm Chủ tịch"
            let mut b = q;
            let mut appointed = false;
            while let Some(Chunk::Word(w)) = chunks.get(b) {
                if !APPOINTMENT.contains(&w.as_str()) {
                    break;
                }
                appointed |= APPOINTMENT_CORE.contains(&w.as_str());
                b += 1;
            }
            if appointed && groups.contains_key(&b) {
                q = b;
            }
        }
        while let Some(g) = groups.get(&q).copied() {
            if claimed[g.start] || is_person(chunks.get(g.end)) {
                break;
            }
            claimed[g.start] = true;
            mine.push(g);
            q = g.end;
            if is_connector(chunks.get(q)) && groups.contains_key(&(q + 1)) {
                q += 1;
            }
        }
        // titles before the name
        let honorific = matches!(chunks.get(p), Some(Chunk::Person(_)));
        let mut before = ending_at.get(&p).copied();
        if before.is_none() && honorific && p >= 1 && is_sep(chunks.get(p - 1), &[","]) {
            // "Giám đốc Sở Y tế, ông X" but not "thừa ủy quyền của Chủ tịch nước, ông X"
            before = ending_at.get(&(p - 1)).copied().filter(|&s| {
                !(s >= 1
                    && matches!(chunks.get(s - 1), Some(Chunk::Word(w)) if GOVERNING.contains(&w.as_str())))
            });
        }
        let mut chain: Vec<usize> = Vec::new();
        while let Some(s) = before {
            if claimed[s] {
                break;
            }
            chain.push(s);
            before = if s >= 1 && is_connector(chunks.get(s - 1)) {
                ending_at.get(&(s - 1)).copied()
            } else {
                None
            };
        }
        // "thừa ủy quyền của Chủ tịch nước, Thủ tướng Chính phủ, Phó Chủ tịch UBND tỉnh X":
        // a chain governed by a preposition names other people's posts; only the title right
        // before the name is his
        if chain.len() > 1 {
            let first = *chain.last().unwrap_or(&0);
            if first >= 1
                && matches!(chunks.get(first - 1), Some(Chunk::Word(w)) if GOVERNING.contains(&w.as_str()))
            {
                chain.truncate(1);
            }
        }
        for s in chain {
            claimed[s] = true;
            mine.push(groups[&s]);
        }
        if mine.is_empty() {
            continue;
        }
        let person = match &chunks[p] {
            Chunk::Person(i) => *i,
            Chunk::Name((a, b)) => {
                let name = title_case(&text[tokens[*a].start..tokens[*b - 1].end]);
                ex.persons.push(PersonMention {
                    tokens: (*a, *b),
                    name,
                });
                ex.persons.len() - 1
            }
            _ => continue,
        };
        for g in mine {
            ex.positions.push(PositionMention {
                person,
                title: g.title,
                title_tokens: g.title_tokens,
                org: g.org,
                former: g.former,
                sentence,
            });
        }
    }
}
