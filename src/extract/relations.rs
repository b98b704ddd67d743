//! Relations between the mentions of a document: the event it reports, agreements, awards,
//! donations and the legal documents it cites.
//!
//! Cue words come from `ontology/lexicon/relation_cues.tsv`; the roles around a cue are read
//! from the order of the mentions in its clause (a sentence cut at `;`):
//! - the article's event is the first of its opening sentences that names a meeting and gives
//!   a date or an organiser, else the meeting a later sentence reports from ("Phát biểu tại
//!   buổi lễ, ..."); organisers are the subject of `tổ chức` (or of the event verb),
//!   or the body after `đoàn công tác (của)`; participants come from every sentence that
//!   refers to the event (`tại hội nghị`, `nhân dịp này`, `dự`, `cùng đi có`, `về phía ... có`,
//!   awards handed over there);
//! - an agreement is `quy chế phối hợp giữa A và B` or `A, B và C ký kết <topic>`;
//! - an award is `trao <award> [của G] cho R`, `R được G tặng <award>`, `R nhận <award> của G`,
//!   with `thừa ủy quyền của G` naming the grantor;
//! - a donation is an amount in đồng after a giving verb, with the giver before the verb;
//! - a legal document is a number (`2348/QĐ-TTg`) with its kind, date and issuer.
//!
//! A person's post (the title and body around a name) is not a role of its own: "Phó Chủ tịch
//! UBND tỉnh Đầu Thanh Tùng dự" makes the person a participant, not the UBND.

use super::forms::{self, AmountForm};
use super::{
    Agent, AgreementMention, AwardMention, DateMention, DonationMention, EventMention, Extraction,
    LegalMention, Locality, OrgMention,
};
use crate::reference::{self, Cue, CueRole, Issuer, Reference};
use crate::text::{LineKind, Prepared, Token};
use std::collections::{HashMap, HashSet};

/// What starts at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ann {
    Person(usize),
    Org(usize),
    Place(usize),
    Title(usize),
    Date(usize),
    Number(usize),
    Amount(usize),
}

/// How many opening sentences may hold the article's event.
const LEAD_SENTENCES: usize = 8;

/// Words that may stand between "cho" and an award's recipient ("cho 5 tập thể và 10 cá nhân
/// thuộc Công an tỉnh", "cho 4 học sinh gồm: em ...", "cho 2 cán bộ, chiến sĩ"): the syllables
/// of collective nouns, of honorifics and of the words that open a list, as token keys (new
/// tone placement: "đòan").
const COLLECTIVE: [&str; 28] = [
    "và", ",", "các", "tập", "thể", "cá", "nhân", "đơn", "vị", "thuộc", "của", "trong", "ông",
    "bà", "đồng", "chí", "gồm", ":", "em", "đội", "viên", "đòan", "học", "sinh", "cán", "bộ",
    "chiến", "sĩ",
];

/// Lower-case words that refer back to a body named before ("bệnh viện đã gửi tặng").
const BACK_REFERENCES: [&str; 7] = [
    "bệnh viện",
    "đơn vị",
    "hội",
    "công ty",
    "trung tâm",
    "sở",
    "quỹ",
];

/// Words that end a list of parties or a recipient.
const LIST_END: [&str; 12] = [
    "về", "số", "ngày", "giai", "nhằm", "để", "trong", "theo", "tại", "năm", "đã", "có",
];

struct Finder<'a> {
    doc: &'a Prepared,
    t: &'a [Token],
    r: &'static Reference,
    ann: Vec<Option<(Ann, usize)>>,
    post_titles: HashSet<usize>,
    post_orgs: HashSet<usize>,
    amounts: Vec<AmountForm>,
    /// Org mentions by first token (those inside numbers included).
    org_at: HashMap<usize, usize>,
}

/// Index of the token holding byte `b`, or the first token after it.
fn token_at(t: &[Token], b: usize) -> usize {
    t.partition_point(|tok| tok.end <= b)
}

/// Token range of a byte range.
fn token_span(t: &[Token], (s, e): (usize, usize)) -> (usize, usize) {
    (token_at(t, s), t.partition_point(|tok| tok.start < e))
}

/// Index of the sentence holding token `tok` (the last sentence for a token past the end).
fn sentence_of(doc: &Prepared, tok: usize) -> usize {
    doc.sentences
        .partition_point(|s| s.last <= tok)
        .min(doc.sentences.len().saturating_sub(1))
}

/// Finds the relations of a document whose mentions and positions are in `ex`.
pub(crate) fn find(doc: &Prepared, titles: &[(usize, (usize, usize))], ex: &mut Extraction) {
    let r = reference::get();
    let t = &doc.tokens[..];
    let sentence_of = |tok: usize| sentence_of(doc, tok);
    let usable = |si: usize| {
        doc.sentences.get(si).is_some_and(|s| {
            !matches!(
                s.kind,
                LineKind::Noise | LineKind::Shouting | LineKind::Byline
            )
        })
    };
    // numbers of legal documents, over the whole text (a line break may cut one)
    let mut numbers = Vec::new();
    for n in forms::numbers(&doc.text) {
        let tokens = token_span(t, n.span);
        if tokens.0 >= tokens.1 || !usable(sentence_of(tokens.0)) {
            continue;
        }
        numbers.push((n, tokens));
    }
    // dates and amounts, sentence by sentence, outside document numbers
    let mut amounts = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        if !usable(si) || s.first >= s.last {
            continue;
        }
        if !(s.first..s.last).any(|k| t[k].key.bytes().any(|b| b.is_ascii_digit())) {
            continue; // dates and amounts are written with digits
        }
        let (bs, be) = (t[s.first].start, t[s.last - 1].end);
        for d in forms::dates(&doc.text, bs, be) {
            let tokens = token_span(t, d.span);
            if numbers
                .iter()
                .any(|(_, n)| n.0 < tokens.1 && tokens.0 < n.1)
            {
                continue;
            }
            ex.dates.push(DateMention {
                tokens,
                form: d,
                sentence: si,
            });
        }
        amounts.extend(forms::amounts(&doc.text, bs, be));
    }

    let mut f = Finder {
        doc,
        t,
        r,
        ann: vec![None; t.len() + 1],
        post_titles: ex.positions.iter().map(|p| p.title_tokens.0).collect(),
        post_orgs: ex.positions.iter().filter_map(|p| p.org).collect(),
        amounts: Vec::new(),
        org_at: HashMap::new(),
    };
    // annotations: spans claimed first win; longer spans first at one token
    let mut spans: Vec<(usize, usize, Ann)> = Vec::new();
    for (i, (_, tk)) in numbers.iter().enumerate() {
        spans.push((tk.0, tk.1, Ann::Number(i)));
    }
    for (i, d) in ex.dates.iter().enumerate() {
        spans.push((d.tokens.0, d.tokens.1, Ann::Date(i)));
    }
    for a in amounts {
        let tk = token_span(t, a.span);
        spans.push((tk.0, tk.1, Ann::Amount(f.amounts.len())));
        f.amounts.push(a);
    }
    let fixed = spans.len();
    for (i, p) in ex.persons.iter().enumerate() {
        spans.push((p.tokens.0, p.tokens.1, Ann::Person(i)));
    }
    for (i, o) in ex.orgs.iter().enumerate() {
        if !o.implied {
            f.org_at.entry(o.tokens.0).or_insert(i);
            spans.push((o.tokens.0, o.tokens.1, Ann::Org(i)));
        }
    }
    for (i, p) in ex.places.iter().enumerate() {
        if !p.in_org {
            spans.push((p.tokens.0, p.tokens.1, Ann::Place(i)));
        }
    }
    for &(ti, (a, b)) in titles {
        spans.push((a, b, Ann::Title(ti)));
    }
    spans[fixed..].sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut claimed = vec![false; t.len() + 1];
    for (a, b, ann) in spans {
        if a >= b || b > t.len() || claimed[a..b].iter().any(|&c| c) {
            continue;
        }
        claimed[a..b].iter_mut().for_each(|c| *c = true);
        f.ann[a] = Some((ann, b));
    }

    // legal documents first: agreements and events refer to them
    f.legal(&numbers, sentence_of, ex);

    let main = f.main_event(ex);
    // the sentences that report the event, with their cues (no cue spans a ";", so a
    // sentence's cues are those of its clauses)
    let mut scope: HashMap<usize, Vec<(usize, usize, &'static Cue)>> = HashMap::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        if !usable(si) || s.first >= s.last {
            continue;
        }
        let mut sentence_cues = Vec::new();
        for (a, b) in f.clauses(s.first, s.last) {
            let cues = f.cues(a, b);
            if cues.is_empty() {
                continue;
            }
            let has = |role| cues.iter().any(|(_, _, c)| c.has(role));
            if has(CueRole::Give) || has(CueRole::Receive) {
                f.awards(a, b, &cues, si, ex);
            }
            if has(CueRole::Donate) {
                f.donations(a, b, &cues, si, ex);
            }
            if has(CueRole::Agreement) || has(CueRole::Sign) {
                f.agreements(a, b, &cues, si, ex);
            }
            sentence_cues.extend(cues);
        }
        if main.is_some() && refers_to_event(&sentence_cues, si, ex) {
            scope.insert(si, sentence_cues);
        }
    }
    let Some(mut event) = main else {
        implied_bodies(ex);
        return;
    };
    let main_sentence = &doc.sentences[event.sentence];
    scope
        .entry(event.sentence)
        .or_insert_with(|| f.cues(main_sentence.first, main_sentence.last));
    for a in ex.awards.iter_mut() {
        a.at_event = scope.contains_key(&a.sentence);
    }
    for d in ex.donations.iter_mut() {
        d.at_event = scope.contains_key(&d.sentence);
    }
    for g in ex.agreements.iter_mut() {
        g.at_event = g.at_event && scope.contains_key(&g.sentence);
    }
    let mut sentences: Vec<usize> = scope.keys().copied().collect();
    sentences.sort_unstable();
    for &si in &sentences {
        let s = &doc.sentences[si];
        f.event_roles(s.first, s.last, &scope[&si], &mut event, ex);
    }
    for a in ex.awards.iter().filter(|a| a.at_event) {
        event.participants.push(a.recipient);
        if let Some(p) = a.presenter {
            event.participants.push(p);
        }
    }
    // the parties of an agreement signed there take part; at a signing ceremony that names no
    // organiser, they are its hosts ("lễ ký kết giữa A và B", "Sáng 22/4, A và B đã ký kết")
    let hosts = event.kind == "signing" && event.organizers.is_empty();
    for g in ex.agreements.iter().filter(|g| g.at_event) {
        if hosts {
            event.organizers.extend(g.parties.iter().copied());
        } else {
            event.participants.extend(g.parties.iter().copied());
        }
    }
    // presenters of awards whose recipient is not named ("trao Bằng khen cho các cán bộ")
    for &si in &sentences {
        let s = &doc.sentences[si];
        for (a, b) in f.clauses(s.first, s.last) {
            if let Some(p) = f.unnamed_award_presenter(a, b) {
                event.participants.push(p);
            }
        }
    }
    let organizers = event.organizers.clone();
    let chairs = event.chairs.clone();
    dedup(&mut event.organizers);
    dedup(&mut event.chairs);
    event
        .participants
        .retain(|p| !organizers.contains(p) && !chairs.contains(p));
    dedup(&mut event.participants);
    event.sentences = sentences
        .into_iter()
        .filter(|&si| si != event.sentence)
        .collect();
    ex.events.insert(0, event);
    implied_bodies(ex);
}

/// Gives each office that takes a role the body its title implies, when none is written
/// ("Thủ tướng" -> Chính phủ).
fn implied_bodies(ex: &mut Extraction) {
    let r = reference::get();
    let mut made: HashMap<usize, usize> = HashMap::new();
    let mut fill = |agent: &mut Agent, orgs: &mut Vec<OrgMention>| {
        if let Agent::Office {
            title,
            org: org @ None,
        } = agent
        {
            if let Some(h) = r.titles[*title].implied_org {
                *org = Some(*made.entry(h).or_insert_with(|| {
                    orgs.push(OrgMention::implied((0, 1), h, Locality::Unstated, 0));
                    orgs.len() - 1
                }));
            }
        }
    };
    let Extraction {
        orgs,
        events,
        agreements,
        awards,
        donations,
        legal,
        ..
    } = ex;
    for e in events.iter_mut() {
        for a in e
            .organizers
            .iter_mut()
            .chain(e.chairs.iter_mut())
            .chain(e.participants.iter_mut())
        {
            fill(a, orgs);
        }
    }
    for g in agreements.iter_mut() {
        g.parties.iter_mut().for_each(|a| fill(a, orgs));
    }
    for w in awards.iter_mut() {
        fill(&mut w.recipient, orgs);
        w.grantor.iter_mut().for_each(|a| fill(a, orgs));
        w.presenter.iter_mut().for_each(|a| fill(a, orgs));
    }
    for d in donations.iter_mut() {
        fill(&mut d.donor, orgs);
        d.recipient.iter_mut().for_each(|a| fill(a, orgs));
    }
    for l in legal.iter_mut() {
        l.issuers.iter_mut().for_each(|a| fill(a, orgs));
    }
}

/// Does a sentence, with these cues, report what happened at the article's event?
fn refers_to_event(cues: &[(usize, usize, &'static Cue)], si: usize, ex: &Extraction) -> bool {
    cues.iter().any(|(_, _, c)| {
        c.has(CueRole::Refer)
            || c.has(CueRole::Join)
            || c.has(CueRole::List)
            || c.has(CueRole::Chair)
            || c.has(CueRole::Lead)
    }) || ex.awards.iter().any(|w| w.sentence == si)
}

fn dedup(v: &mut Vec<Agent>) {
    let mut seen = HashSet::new();
    v.retain(|a| seen.insert(*a));
}

impl Finder<'_> {
    fn key(&self, i: usize) -> &str {
        self.t.get(i).map_or("", |t| t.key.as_str())
    }

    /// Cues in `a..b`, outside mentions, in order: (position, length, cue).
    fn cues(&self, a: usize, b: usize) -> Vec<(usize, usize, &'static Cue)> {
        let mut out = Vec::new();
        let mut i = a;
        while i < b {
            if let Some((_, end)) = self.ann[i] {
                i = end.max(i + 1);
                continue;
            }
            match self.r.cue_lex.longest(&self.t[..b], i) {
                Some((len, c)) => {
                    if !c.has(CueRole::None) {
                        out.push((i, len, c));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Clauses of `a..b`: cut at `;`.
    fn clauses(&self, a: usize, b: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = a;
        for i in a..b {
            if self.t[i].key == ";" {
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
        }
        if b > start {
            out.push((start, b));
        }
        out
    }

    /// The agents named in `a..b`, in order, with their token position. A title that is a
    /// person's post is skipped with its body (the person counts); a title without a holder
    /// is an office; generic bodies and places are not agents.
    fn agents(&self, a: usize, b: usize, ex: &mut Extraction) -> Vec<(usize, Agent)> {
        let mut out = Vec::new();
        let mut i = a;
        while i < b {
            let Some((ann, end)) = self.ann[i] else {
                i += 1;
                continue;
            };
            match ann {
                Ann::Person(p) => out.push((i, Agent::Person(p))),
                Ann::Org(o) if !ex.orgs[o].generic && !self.post_orgs.contains(&o) => {
                    out.push((i, Agent::Org(o)));
                }
                Ann::Title(ti) if !self.post_titles.contains(&i) => {
                    if let Some((Ann::Org(o), e2)) = self.ann[end.min(self.t.len())] {
                        if end < b {
                            out.push((
                                i,
                                Agent::Office {
                                    title: ti,
                                    org: Some(o),
                                },
                            ));
                            i = e2;
                            continue;
                        }
                    }
                    out.push((
                        i,
                        Agent::Office {
                            title: ti,
                            org: None,
                        },
                    ));
                }
                Ann::Title(_) => {
                    // a person's post: its body is the post's, not an agent
                    if let Some((Ann::Org(_), e2)) = self.ann[end.min(self.t.len())] {
                        i = e2;
                        continue;
                    }
                }
                _ => {}
            }
            i = end.max(i + 1);
        }
        out
    }

    /// The last agent in `a..b`.
    fn last_agent(&self, a: usize, b: usize, ex: &mut Extraction) -> Option<Agent> {
        self.agents(a, b, ex).last().map(|&(_, r)| r)
    }

    /// The first agent after `from`, with only collective words ("5 tập thể và 10 cá nhân
    /// thuộc") or honorifics before it; none when other words come first. Returns it and
    /// where it ends.
    fn recipient_after(
        &self,
        from: usize,
        b: usize,
        ex: &mut Extraction,
    ) -> Option<(Agent, usize)> {
        let mut i = from;
        while i < b {
            if let Some((ann, end)) = self.ann[i] {
                if let Some(&(_, agent)) = self.agents(i, end.max(i + 1), ex).first() {
                    let end = match (agent, self.ann[end.min(self.t.len())]) {
                        (Agent::Office { org: Some(_), .. }, Some((Ann::Org(_), e2))) => e2,
                        _ => end,
                    };
                    return Some((agent, end));
                }
                match ann {
                    // a post before its holder ("cho Phó Giám đốc Sở Y tế Lê Văn Cường")
                    Ann::Title(_) => {
                        i = match self.ann[end.min(self.t.len())] {
                            Some((Ann::Org(_), e2)) => e2,
                            _ => end,
                        };
                        continue;
                    }
                    _ => return None,
                }
            }
            let tok = &self.t[i];
            if !(tok.number || COLLECTIVE.contains(&tok.key.as_str())) {
                return None;
            }
            i += 1;
        }
        None
    }

    /// The recipients after `from`: the first as [`Self::recipient_after`] finds it, and
    /// those of its kind listed after it with "," or "và" ("cho 4 học sinh gồm: em A, B và
    /// C"; "cho Bệnh viện X và Trung tâm Y tế Z").
    fn recipients_after(&self, from: usize, b: usize, ex: &mut Extraction) -> Vec<Agent> {
        let Some((first, mut end)) = self.recipient_after(from, b, ex) else {
            return Vec::new();
        };
        let same_kind = |a: &Agent| {
            matches!(
                (a, &first),
                (Agent::Person(_), Agent::Person(_)) | (Agent::Org(_), Agent::Org(_))
            )
        };
        let mut out = vec![first];
        while end + 1 < b && matches!(self.key(end), "," | "và") {
            let Some((ann, e)) = self.ann[end + 1] else {
                break;
            };
            if !matches!(ann, Ann::Person(_) | Ann::Org(_)) {
                break;
            }
            match self.agents(end + 1, e, ex).first() {
                Some(&(_, a)) if same_kind(&a) => out.push(a),
                _ => break,
            }
            end = e;
        }
        out
    }

    /// Legal documents: kind, date, issuers; a date and issuer written after the last of a
    /// list apply to each.
    fn legal(
        &self,
        numbers: &[(forms::NumberForm, (usize, usize))],
        sentence_of: impl Fn(usize) -> usize,
        ex: &mut Extraction,
    ) {
        let first = ex.legal.len();
        for (n, (a, b)) in numbers {
            let (a, b) = (*a, *b);
            // the kind written before: "Quyết định số 1038/QĐ-UBND", "Kế hoạch số1038/..."
            let mut k = a;
            if self.t[a].start >= n.span.0 && a > 0 && self.key(a - 1) == "số" {
                k = a - 1;
            }
            let written = (1..=4).rev().filter(|&len| len <= k).find_map(|len| {
                self.r
                    .legal_kind_lex
                    .longest(&self.t[..k], k - len)
                    .filter(|(l, _)| *l == len)
                    .map(|(_, &kind)| kind)
            });
            let kind = written.or_else(|| {
                n.codes
                    .first()
                    .and_then(|c| self.r.legal_codes.get(c).copied())
            });
            // a date right after the number
            let date = ex
                .dates
                .iter()
                .position(|d| d.tokens.0 >= b && d.tokens.0 <= b + 1);
            let after = date.map_or(b, |d| ex.dates[d].tokens.1);
            let mut issuers = Vec::new();
            if self.key(after) == "của" {
                let end = (after + 12).min(self.sentence_end(after));
                if let Some(&(_, agent)) = self.agents(after + 1, end, ex).first() {
                    issuers.push(agent);
                }
            }
            ex.legal.push(LegalMention {
                tokens: (a, b),
                number: n.number.clone(),
                kind,
                kind_name: None,
                issuers,
                date,
                year: n.year,
                sentence: sentence_of(a),
            });
        }
        // a list "Quyết định số 1037/QĐ-UBND, Quyết định số 1038/QĐ-UBND ngày ... của ...":
        // the last one's date and issuer apply to those before it
        for i in (first..ex.legal.len().saturating_sub(1)).rev() {
            let (end, next_start) = (ex.legal[i].tokens.1, ex.legal[i + 1].tokens.0);
            if ex.legal[i].date.is_some() || next_start < end {
                continue;
            }
            let mut k = end;
            while k < next_start {
                if matches!(self.key(k), "," | "và" | "số") {
                    k += 1;
                } else if let Some((len, _)) = self.r.legal_kind_lex.longest(self.t, k) {
                    k += len;
                } else {
                    break;
                }
            }
            if k >= next_start && next_start - end <= 6 {
                ex.legal[i].date = ex.legal[i + 1].date;
                if ex.legal[i].issuers.is_empty() {
                    ex.legal[i].issuers = ex.legal[i + 1].issuers.clone();
                }
            }
        }
        // otherwise the issuers the number's codes stand for
        for (li, (n, (a, b))) in (first..).zip(numbers) {
            if !ex.legal[li].issuers.is_empty() {
                continue;
            }
            let level = self
                .r
                .level_lex
                .longest(self.t, *b)
                .map(|(_, (level, _))| *level);
            let mut issuers = Vec::new();
            for code in n.codes.iter().skip(1).chain(
                // "123/BYT-KCB": a number without a kind code starts with its issuer
                n.codes
                    .first()
                    .filter(|c| !self.r.legal_codes.contains_key(*c)),
            ) {
                let Some(&issuer) = self.r.issuer_codes.get(code) else {
                    continue;
                };
                // the body written inside the number ("NQ-HĐND tỉnh") when the chunker saw it
                let written = (*a..*b)
                    .filter(|&k| self.t[k].key == crate::text::fold(code))
                    .find_map(|k| self.org_at.get(&k).copied());
                let agent = match (issuer, written) {
                    (Issuer::Org(_), Some(o)) => Agent::Org(o),
                    (Issuer::Org(h), None) => {
                        let locality = match level {
                            Some(l) => Locality::LevelOnly(l),
                            None => Locality::Unstated,
                        };
                        ex.orgs.push(OrgMention::implied(
                            (*a, *b),
                            h,
                            locality,
                            ex.legal[li].sentence,
                        ));
                        Agent::Org(ex.orgs.len() - 1)
                    }
                    (Issuer::Office(ti), _) => Agent::Office {
                        title: ti,
                        org: None,
                    },
                };
                issuers.push(agent);
            }
            ex.legal[li].issuers = issuers;
        }
    }

    /// End of the sentence holding token `i`.
    fn sentence_end(&self, i: usize) -> usize {
        self.doc
            .sentences
            .get(sentence_of(self.doc, i))
            .filter(|s| s.first <= i && i < s.last)
            .map_or(i, |s| s.last)
    }

    /// The date mentions in `a..b`.
    fn date_in(&self, a: usize, b: usize) -> Option<usize> {
        (a..b).find_map(|i| match self.ann[i] {
            Some((Ann::Date(d), _)) => Some(d),
            _ => None,
        })
    }

    /// The article's event: the first opening sentence that names a meeting and gives a date
    /// or an organiser.
    fn main_event(&self, ex: &mut Extraction) -> Option<EventMention> {
        let lead = self
            .doc
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| matches!(s.kind, LineKind::Body | LineKind::Caption))
            .take(LEAD_SENTENCES);
        for (si, s) in lead {
            let cues = self.cues(s.first, s.last);
            let date = self.date_in(s.first, s.last);
            // a meeting named, or else a dated signing of an agreement ("Sáng 22/4, A và B đã
            // ký kết ..."; not a document "ký" by an official)
            let Some(&(pos, len, cue)) = cues
                .iter()
                .find(|(_, _, c)| c.has(CueRole::Event))
                .or_else(|| {
                    date.and(
                        cues.iter()
                            .find(|(_, l, c)| c.has(CueRole::Sign) && *l >= 2),
                    )
                })
            else {
                continue;
            };
            let organize = cues
                .iter()
                .find(|(p, _, c)| c.has(CueRole::Organize) && !self.noun_use(*p));
            if date.is_none() && organize.is_none() && !cue.has(CueRole::Delegation) {
                continue;
            }
            // "đã tổ chức 45 hội nghị", "các hội nghị": meetings counted, not one reported
            if pos > 0
                && (self.t[pos - 1].number
                    || matches!(
                        self.key(pos - 1),
                        "các" | "những" | "nhiều" | "mọi" | "hàng"
                    ))
            {
                continue;
            }
            // "Trước đó, X đã tổ chức hội nghị": an earlier meeting, not of the article's date
            if date.is_none()
                && self.key(s.first) == "trước"
                && matches!(self.key(s.first + 1), "đó" | "đây")
            {
                continue;
            }
            let kind = match &cue.event_kind {
                Some(k) => k.clone(),
                None if cue.has(CueRole::Sign) => "signing".to_string(),
                None => String::new(),
            };
            let mut event = EventMention {
                kind,
                cue: (pos, pos + len),
                sentence: si,
                date,
                place: None,
                organizers: Vec::new(),
                chairs: Vec::new(),
                participants: Vec::new(),
                sentences: Vec::new(),
            };
            // where: the place after "tại"
            for i in s.first..s.last {
                if self.key(i) == "tại" {
                    if let Some((Ann::Place(p), _)) = self.ann[i + 1] {
                        event.place = Some(p);
                        break;
                    }
                }
            }
            // who: the subject of "tổ chức", else of the event verb ("X đã tổng kết ...")
            let verb = organize.map(|&(p, _, _)| p).or_else(|| {
                (!cue.has(CueRole::Delegation)
                    && !cues[..cues.iter().position(|c| c.0 == pos).unwrap_or(0)]
                        .iter()
                        .any(|(_, _, c)| c.has(CueRole::Join)))
                .then_some(pos)
            });
            if let Some(v) = verb {
                let start = self.tight_subject(self.subject_start(s.first, v), v);
                let subject = self.agents(start, v, ex);
                for &(_, agent) in &subject {
                    if !matches!(agent, Agent::Person(_)) {
                        event.organizers.push(agent);
                    }
                }
                // "Bộ trưởng Bộ Y tế X làm việc với ...": a visit led by an official is
                // made by the body of his post
                if event.organizers.is_empty() && event.kind == "working_visit" {
                    for &(_, agent) in &subject {
                        if let Agent::Org(o) = self.office_body(agent, ex) {
                            event.organizers.push(Agent::Org(o));
                        }
                    }
                }
            }
            return Some(event);
        }
        self.referred_event()
    }

    /// The event a later sentence says it reports from when the opening names none: "Phát
    /// biểu tại buổi lễ, ...", "Tại hội nghị, ..." (a `tại` cue around a kind of meeting). It
    /// has no organiser (the article does not say one) and the sentence's date, if any.
    fn referred_event(&self) -> Option<EventMention> {
        for (si, s) in self.doc.sentences.iter().enumerate() {
            if !matches!(s.kind, LineKind::Body) {
                continue;
            }
            for (pos, len, cue) in self.cues(s.first, s.last) {
                if !cue.has(CueRole::Refer) || cue.has(CueRole::Event) || self.key(pos) != "tại" {
                    continue;
                }
                let inner = self.r.cue_lex.longest(&self.t[..pos + len], pos + 1);
                let Some((l, ev)) = inner.filter(|(l, c)| {
                    pos + 1 + l == pos + len && c.has(CueRole::Event) && c.event_kind.is_some()
                }) else {
                    continue;
                };
                // "tại hội nghị tới", "tại buổi lễ sắp tới": one to come
                if matches!(self.key(pos + len), "tới" | "sắp" | "sau" | "tiếp") {
                    continue;
                }
                return Some(EventMention {
                    kind: ev.event_kind.clone().unwrap_or_default(),
                    cue: (pos + 1, pos + 1 + l),
                    sentence: si,
                    date: self.date_in(s.first, s.last),
                    place: None,
                    organizers: Vec::new(),
                    chairs: Vec::new(),
                    participants: Vec::new(),
                    sentences: Vec::new(),
                });
            }
        }
        None
    }

    /// The subject right before a verb at `v`: mentions joined by commas, "và", "cùng",
    /// "phối hợp với", "do", with "đã", "vừa", "có" before the verb; nothing else between.
    fn tight_subject(&self, start: usize, v: usize) -> usize {
        const GLUE: [&str; 13] = [
            ",", "và", "cùng", "với", "phối", "hợp", "do", "đã", "vừa", "sẽ", "có", "(", ")",
        ];
        let mut spans: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, is mention)
        let mut i = start;
        while i < v {
            match self.ann[i] {
                Some((_, end)) => {
                    spans.push((i, end.min(v), true));
                    i = end.max(i + 1);
                }
                None => {
                    spans.push((i, i + 1, false));
                    i += 1;
                }
            }
        }
        let mut from = v;
        for &(a, _, mention) in spans.iter().rev() {
            if !mention && !GLUE.contains(&self.key(a)) {
                break;
            }
            from = a;
        }
        from
    }

    /// Is the cue at `p` a noun ("các tổ chức")?
    fn noun_use(&self, p: usize) -> bool {
        matches!(self.key(p.wrapping_sub(1)), "các" | "những" | "mọi" | "tổ")
    }

    /// Where the subject of a verb at `v` starts: after a leading date, place and "tại ..."
    /// phrase, at the last comma that is not inside a list of agents.
    fn subject_start(&self, first: usize, v: usize) -> usize {
        let mut start = first;
        let mut i = first;
        while i < v {
            match self.ann[i] {
                Some((_, end)) => i = end.max(i + 1),
                None => {
                    let k = self.key(i);
                    if k == "tại" || k == "ở" {
                        // skip the venue
                        if let Some((_, end)) = self.ann[i + 1] {
                            i = end;
                            start = i;
                            continue;
                        }
                    }
                    if k == "," {
                        // a comma before a lower-case word or a date ends a lead-in
                        let before_date =
                            matches!(self.ann[first], Some((Ann::Date(_), e)) if e >= i);
                        if before_date {
                            start = i + 1;
                        }
                    }
                    i += 1;
                }
            }
        }
        start
    }

    /// Organisers, chairs and participants named in one sentence of the event.
    fn event_roles(
        &self,
        a: usize,
        b: usize,
        cues: &[(usize, usize, &'static Cue)],
        event: &mut EventMention,
        ex: &mut Extraction,
    ) {
        // every person named there took part
        for (_, agent) in self.agents(a, b, ex) {
            if matches!(agent, Agent::Person(_)) {
                event.participants.push(agent);
            }
        }
        for (ci, &(p, len, cue)) in cues.iter().enumerate() {
            let end = p + len;
            if cue.has(CueRole::Delegation) {
                let mut k = end;
                if self.key(k) == "của" {
                    k += 1;
                }
                if let Some((Ann::Org(o), _)) = self.ann[k] {
                    if !ex.orgs[o].generic {
                        event.organizers.push(Agent::Org(o));
                    }
                }
            }
            if cue.has(CueRole::Host) {
                if let Some(&(_, agent)) =
                    self.agents(end, b, ex).first().filter(|(k, _)| *k == end)
                {
                    event.participants.push(agent);
                }
            }
            if cue.has(CueRole::List) {
                for (_, agent) in self.agents(end, b, ex) {
                    event.participants.push(agent);
                }
            }
            if cue.has(CueRole::Chair) || cue.has(CueRole::Lead) {
                // "do X chủ trì" / "X chủ trì"
                let prev = if ci > 0 {
                    cues[ci - 1].0 + cues[ci - 1].1
                } else {
                    a
                };
                let from = (prev..p)
                    .rev()
                    .find(|&k| self.key(k) == "do")
                    .map_or(prev, |k| k + 1);
                for (_, agent) in self.agents(from, p, ex) {
                    if cue.has(CueRole::Chair) {
                        event.chairs.push(agent);
                    } else {
                        event.participants.push(agent);
                    }
                }
            }
            if cue.has(CueRole::Join) && p == self.clause_start(a, p) {
                // "Dự hội nghị có ...", "Tham dự có ...": those listed after "có" took part
                let next_cue = cues[ci + 1..]
                    .iter()
                    .find(|c| !c.2.has(CueRole::Event) && !c.2.has(CueRole::Refer))
                    .map_or(b, |c| c.0);
                if let Some(co) =
                    (end..next_cue).find(|&k| self.ann[k].is_none() && self.key(k) == "có")
                {
                    for (_, agent) in self.agents(co + 1, b, ex) {
                        event.participants.push(agent);
                    }
                }
            }
            if cue.has(CueRole::Join) {
                let prev = if ci > 0 {
                    cues[ci - 1].0 + cues[ci - 1].1
                } else {
                    a
                };
                let from = self.clause_start(prev.max(a), p);
                for (_, agent) in self.agents(from, p, ex) {
                    event.participants.push(agent);
                }
            }
        }
    }

    /// The start of the clause that ends at `p`: after the last "," followed by a lower-case
    /// word that is not part of a list of agents.
    fn clause_start(&self, a: usize, p: usize) -> usize {
        let p = p.max(a);
        let mut start = a;
        for i in a..p {
            if self.ann[i].is_none() && matches!(self.key(i), "." | ":" | ";") {
                start = i + 1;
            }
        }
        // "Tại buổi làm việc, X phát biểu": a lead-in ending with a comma before the subject
        if let Some(c) = (start..p).find(|&i| self.key(i) == ",") {
            let lead_in = (start..c).all(|i| self.ann[i].is_none());
            if lead_in {
                start = c + 1;
            }
        }
        start
    }

    /// Awards in the clause `a..b`.
    fn awards(
        &self,
        a: usize,
        b: usize,
        cues: &[(usize, usize, &'static Cue)],
        si: usize,
        ex: &mut Extraction,
    ) {
        let mut i = a;
        while i < b {
            if let Some((_, end)) = self.ann[i] {
                i = end.max(i + 1);
                continue;
            }
            let Some((len, &award)) = self.r.award_lex.longest(&self.t[..b], i) else {
                i += 1;
                continue;
            };
            let (start, mut end) = (i, i + len);
            i = end;
            let mut name = self.r.awards[award].canonical.clone();
            if self.key(end) == "hạng" && matches!(self.key(end + 1), "nhất" | "nhì" | "ba") {
                name.push_str(" hạng ");
                name.push_str(&crate::text::title_case(self.key(end + 1)));
                end += 2;
            }
            // "Huy hiệu 50 năm tuổi Đảng"
            if self.r.awards[award].kind == "badge"
                && end + 3 < b
                && self.t[end].number
                && self.key(end + 1) == "năm"
                && self.key(end + 2) == "tuổi"
                && self.key(end + 3) == "đảng"
            {
                name = format!("Huy hiệu {} năm tuổi Đảng", self.key(end));
                end += 4;
            }
            // its own name in quotes: huy hiệu "Tuổi trẻ dũng cảm", danh hiệu "Công dân danh dự"
            if let Some((quoted, e)) = self.quoted_at(end, b) {
                name.push(' ');
                name.push_str(&quoted);
                end = e;
            }
            // the verb before it
            let Some(&(v, vlen, verb)) = cues
                .iter()
                .rev()
                .find(|(p, _, c)| *p < start && (c.has(CueRole::Give) || c.has(CueRole::Receive)))
            else {
                continue;
            };
            // "của G" after the award names the grantor
            let mut after = end;
            let mut grantor = None;
            if self.key(end) == "của" {
                let stop = (end + 1..b)
                    .find(|&k| self.ann[k].is_none() && matches!(self.key(k), "cho" | "vì" | ","))
                    .unwrap_or(b);
                if let Some(&(_, g)) = self.agents(end + 1, stop, ex).first() {
                    grantor = Some(g);
                }
                after = stop;
            }
            // "thừa ủy quyền của G"
            let behalf = cues
                .iter()
                .find(|(p, _, c)| *p < v && c.has(CueRole::Behalf));
            let mut subject_from = a;
            if let Some(&(p, l, _)) = behalf {
                let from = if self.key(p + l) == "của" {
                    p + l + 1
                } else {
                    p + l
                };
                let stop = (from..v).find(|&k| self.key(k) == ",").unwrap_or(v);
                if grantor.is_none() {
                    grantor = self.agents(from, stop, ex).first().map(|&(_, g)| g);
                }
                subject_from = stop;
            }
            let passive =
                (subject_from..v).find(|&k| self.ann[k].is_none() && self.key(k) == "được");
            let mut presenter = None;
            let recipients: Vec<Agent>;
            if verb.has(CueRole::Receive) && !verb.has(CueRole::Give) {
                recipients = self.last_agent(subject_from, v, ex).into_iter().collect();
            } else if let Some(d) = passive {
                // "R đã được G tặng Bằng khen"
                recipients = self.last_agent(subject_from, d, ex).into_iter().collect();
                presenter = self.agents(d + 1, v, ex).first().map(|&(_, g)| g);
            } else {
                presenter = self.last_agent(subject_from, v, ex);
                let cho = (after..b).find(|&k| self.ann[k].is_none() && self.key(k) == "cho");
                recipients = match cho {
                    Some(k) if k <= after + 1 => self.recipients_after(k + 1, b, ex),
                    _ => self
                        .agents(v + vlen, start, ex)
                        .first()
                        .map(|&(_, r)| r)
                        .into_iter()
                        .collect(),
                };
            }
            if grantor.is_none() {
                grantor = presenter.map(|p| self.office_body(p, ex));
            }
            let date = self.date_in(a, b);
            for recipient in recipients {
                ex.awards.push(AwardMention {
                    name: name.clone(),
                    award,
                    tokens: (start, end),
                    sentence: si,
                    recipient,
                    grantor,
                    presenter,
                    date,
                    at_event: false,
                });
            }
        }
    }

    /// A short quoted name at `k` (before `b`): its text with the first letter capitalised,
    /// and where the closing quote ends. At most 8 tokens, no sentence punctuation inside.
    fn quoted_at(&self, k: usize, b: usize) -> Option<(String, usize)> {
        const OPEN: [&str; 2] = ["\"", "“"];
        if k >= b || !OPEN.contains(&self.key(k)) {
            return None;
        }
        let close = (k + 1..b.min(k + 10)).find(|&x| matches!(self.key(x), "\"" | "”"))?;
        if close == k + 1 || (k + 1..close).any(|x| !self.t[x].word && self.key(x) != "-") {
            return None;
        }
        Some((
            crate::text::title_case_first(&self.surface(k + 1, close)),
            close + 1,
        ))
    }

    /// The presenter of an award handed over in `a..b` to no named recipient.
    fn unnamed_award_presenter(&self, a: usize, b: usize) -> Option<Agent> {
        let cues = self.cues(a, b);
        let &(v, _, _) = cues.iter().find(|(_, _, c)| c.has(CueRole::Give))?;
        let has_award = (v..b).any(|k| self.r.award_lex.longest(&self.t[..b], k).is_some());
        if !has_award {
            return None;
        }
        (a..v).rev().find_map(|k| match self.ann[k] {
            Some((Ann::Org(o), _)) if !self.post_orgs.contains(&o) => Some(Agent::Org(o)),
            _ => None,
        })
    }

    /// The body a person acts for: the body of his post in the document, else the person.
    fn office_body(&self, agent: Agent, ex: &Extraction) -> Agent {
        match agent {
            Agent::Person(p) => ex
                .positions
                .iter()
                .find(|pos| pos.person == p && pos.org.is_some() && !pos.former)
                .and_then(|pos| pos.org)
                .map_or(agent, Agent::Org),
            other => other,
        }
    }

    /// Donations in the clause `a..b`.
    fn donations(
        &self,
        a: usize,
        b: usize,
        cues: &[(usize, usize, &'static Cue)],
        si: usize,
        ex: &mut Extraction,
    ) {
        for i in a..b {
            let Some((Ann::Amount(ai), aend)) = self.ann[i] else {
                continue;
            };
            let Some(&(v, vlen, _)) = cues
                .iter()
                .rev()
                .find(|(p, _, c)| *p < i && c.has(CueRole::Donate))
            else {
                continue;
            };
            let subject = self.clause_start(a, v);
            let donor = self
                .agents(subject, v, ex)
                .last()
                .map(|&(_, d)| d)
                .or_else(|| self.back_reference(subject, v, ex));
            let Some(donor) = donor else {
                continue;
            };
            let recipient = self
                .agents(v + vlen, b, ex)
                .into_iter()
                .map(|(_, r)| r)
                .find(|&r| r != donor);
            let purpose = self.purpose(aend, b);
            ex.donations.push(DonationMention {
                tokens: (i, aend),
                amount: self.amounts[ai].vnd,
                sentence: si,
                donor,
                recipient,
                purpose,
                date: self.date_in(a, b),
                at_event: false,
            });
        }
    }

    /// "bệnh viện đã gửi tặng": the last body of that kind named before.
    fn back_reference(&self, a: usize, v: usize, ex: &Extraction) -> Option<Agent> {
        let words: Vec<&str> = (a..v)
            .filter(|&k| !matches!(self.key(k), "đã" | "cũng" | "đều" | "còn" | "," | "này"))
            .map(|k| self.key(k))
            .collect();
        let phrase = words.join(" ");
        let word = BACK_REFERENCES.iter().find(|w| phrase.ends_with(*w))?;
        let before = self.t.get(a).map_or(0, |t| t.start);
        ex.orgs
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.implied && !o.generic && self.t[o.tokens.0].start < before)
            .filter(|(_, o)| crate::text::fold(&self.r.heads[o.head].canonical).starts_with(word))
            .max_by_key(|(_, o)| o.tokens.0)
            .map(|(i, _)| Agent::Org(i))
    }

    /// What money is for: the words after the amount when they start with "tiền", "để",
    /// "nhằm" or "hỗ trợ", up to "cho", "tại" or a comma.
    fn purpose(&self, from: usize, b: usize) -> Option<String> {
        if !matches!(
            self.key(from),
            "tiền" | "để" | "nhằm" | "hỗ" | "xây" | "mua"
        ) {
            return None;
        }
        let end = (from..b)
            .find(|&k| {
                self.ann[k].is_some() || matches!(self.key(k), "cho" | "tại" | "," | "." | ";")
            })
            .unwrap_or(b);
        (end > from).then(|| self.doc.text[self.t[from].start..self.t[end - 1].end].to_string())
    }

    /// Agreements in the clause `a..b`.
    fn agreements(
        &self,
        a: usize,
        b: usize,
        cues: &[(usize, usize, &'static Cue)],
        si: usize,
        ex: &mut Extraction,
    ) {
        for (ci, &(p, len, cue)) in cues.iter().enumerate() {
            let end = p + len;
            let signed_before =
                ci > 0 && cues[ci - 1].2.has(CueRole::Sign) && cues[ci - 1].0 + cues[ci - 1].1 == p;
            if cue.has(CueRole::Agreement) {
                // "quy chế phối hợp giữa A và B", "giữa A và B có quy chế phối hợp"
                let list_end = |from: usize| {
                    (from..b)
                        .find(|&k| self.ann[k].is_none() && LIST_END.contains(&self.key(k)))
                        .unwrap_or(b)
                };
                let mut parties;
                let to;
                if self.key(end) == "giữa" {
                    to = list_end(end + 1);
                    parties = self.parties(end + 1, to, ex);
                } else if let Some(g) = (a..p).find(|&k| self.key(k) == "giữa") {
                    to = end;
                    parties = self.parties(g + 1, p, ex);
                } else if signed_before {
                    // "A ký kết thỏa thuận hợp tác với B"
                    let sign = cues[ci - 1].0;
                    parties = self.parties(self.clause_start(a, sign), sign, ex);
                    let with = (end..b).find(|&k| self.ann[k].is_none() && self.key(k) == "với");
                    to = match with {
                        Some(w) => {
                            let stop = list_end(w + 1);
                            parties.extend(self.parties(w + 1, stop, ex));
                            stop
                        }
                        None => end,
                    };
                } else {
                    continue;
                }
                dedup(&mut parties);
                if parties.len() < 2 {
                    continue;
                }
                let number = (to..b).find_map(|k| match self.ann[k] {
                    Some((Ann::Number(_), _)) => ex.legal.iter().position(|l| l.tokens.0 == k),
                    _ => None,
                });
                let noun = self.surface(p, end).to_lowercase();
                if let Some(n) = number {
                    ex.legal[n].kind_name = Some(crate::text::title_case_first(&noun));
                }
                let about = (to..b).find(|&k| self.key(k) == "về").map(|k| {
                    let stop = (k + 1..b)
                        .find(|&j| {
                            matches!(self.key(j), "," | "." | "(" | ";") || self.key(j) == "giai"
                        })
                        .unwrap_or(b);
                    self.surface(k, stop)
                });
                let topic = match about {
                    Some(s) if !s.is_empty() => format!("{noun} {s}"),
                    _ => noun,
                };
                ex.agreements.push(AgreementMention {
                    cue: (p, end),
                    sentence: si,
                    parties,
                    topic,
                    number,
                    date: number.and_then(|n| ex.legal[n].date).or(self.date_in(a, b)),
                    at_event: signed_before,
                    period: self.period(a, b),
                });
            } else if cue.has(CueRole::Sign) && !cue.has(CueRole::Event) {
                // "A, B và C (đã) ký kết <topic> (với D)"
                if cues
                    .get(ci + 1)
                    .is_some_and(|c| c.0 == end && c.2.has(CueRole::Agreement))
                {
                    continue;
                }
                let subject = self.clause_start(a, p);
                let mut parties = self.parties(subject, p, ex);
                let stop = (end..b)
                    .find(|&k| {
                        self.ann[k].is_some()
                            || matches!(
                                self.key(k),
                                "cho" | "với" | "giữa" | "tại" | "," | "." | ";" | "nhằm"
                            )
                    })
                    .unwrap_or(b);
                if self.key(stop) == "với" {
                    parties.extend(self.parties(stop + 1, b, ex));
                }
                dedup(&mut parties);
                if parties.len() < 2 {
                    continue;
                }
                let topic = if stop > end {
                    self.surface(end, stop)
                } else {
                    self.surface(p, end).to_lowercase()
                };
                ex.agreements.push(AgreementMention {
                    cue: (p, end),
                    sentence: si,
                    parties,
                    topic,
                    number: None,
                    date: self.date_in(a, b),
                    at_event: true,
                    period: self.period(a, b),
                });
            }
        }
    }

    /// The bodies (and offices) among the agents of `a..b`.
    fn parties(&self, a: usize, b: usize, ex: &mut Extraction) -> Vec<Agent> {
        self.agents(a, b, ex)
            .into_iter()
            .map(|(_, x)| x)
            .filter(|x| !matches!(x, Agent::Person(_)))
            .collect()
    }

    /// "giai đoạn 2020-2023", "2020 - 2023" in `a..b`.
    fn period(&self, a: usize, b: usize) -> Option<(i32, i32)> {
        let year = |k: usize| -> Option<i32> {
            let t = self.t.get(k)?;
            (t.number && t.key.len() == 4)
                .then(|| t.key.parse().ok())
                .flatten()
                .filter(|y| (1900..=2100).contains(y))
        };
        (a..b.saturating_sub(2)).find_map(|k| {
            let (y1, y2) = (year(k)?, year(k + 2)?);
            (matches!(self.key(k + 1), "-" | "–") && y2 > y1).then_some((y1, y2))
        })
    }

    fn surface(&self, a: usize, b: usize) -> String {
        if a >= b {
            return String::new();
        }
        self.doc.text[self.t[a].start..self.t[b - 1].end].to_string()
    }
}
