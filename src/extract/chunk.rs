//! Cuts a sentence into chunks: titles, organisations, places, persons, names, separators.

use super::{Extraction, Locality, OrgMention, PersonMention, PlaceMention};
use crate::reference::{self, CueRole, Level, Reference, Scope};
use crate::text::{title_case, title_case_first, Lexicon, LineKind, Sentence, Token};

/// One piece of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Chunk {
    /// A title of office: index into the reference titles, token range.
    Title(usize, (usize, usize)),
    /// An organisation: index into [`Extraction::orgs`].
    Org(usize),
    /// A place: index into [`Extraction::places`].
    Place(usize),
    /// A person named after an honorific: index into [`Extraction::persons`].
    Person(usize),
    /// A capitalised run of two to four syllables that may be a name.
    Name((usize, usize)),
    /// `nguyên`: the next post is a former one.
    Former,
    /// A punctuation mark (its key).
    Sep(String),
    /// Any other word (its key).
    Word(String),
}

/// Words before a head that make it generic ("các Sở", "cơ quan BHXH").
const GENERIC_BEFORE: [&str; 7] = ["các", "những", "mọi", "nhiều", "từng", "quan", "số"];
/// Words after a head that make it generic ("UBND cấp huyện", "UBND các huyện").
const GENERIC_AFTER: [&str; 4] = ["các", "cấp", "tuyến", "những"];

/// The most tokens a name takes after its head: where capitalisation is unreliable (a
/// headline in title case, a menu) a name stops there.
const MAX_NAME_TOKENS: usize = 12;

/// The most lower-case words a name takes after its last capitalised word ("Cục Thương mại
/// điện tử", "Vụ Hợp tác quốc tế").
const MAX_LOWER_WORDS: usize = 2;

/// Words after a number that make it a quantity, not part of a name ("Bệnh viện X 2 lần").
const NUMBER_UNITS: [&str; 24] = [
    "lần",
    "năm",
    "tháng",
    "ngày",
    "giờ",
    "ca",
    "người",
    "bệnh",
    "giường",
    "cơ",
    "khoa",
    "tuổi",
    "triệu",
    "tỷ",
    "nghìn",
    "ngàn",
    "lượt",
    "bác",
    "điểm",
    "%",
    "trường",
    "đơn",
    "tấn",
    "kg",
];

pub(crate) struct Chunker<'a> {
    text: &'a str,
    t: &'a [Token],
    end: usize,
    r: &'static Reference,
    sentence: usize,
}

/// Chunks the tokens `first..last` of sentence `sentence`, adding the mentions it finds to `ex`.
pub(crate) fn chunk_sentence(
    text: &str,
    tokens: &[Token],
    first: usize,
    last: usize,
    sentence: usize,
    ex: &mut Extraction,
) -> Vec<Chunk> {
    let c = Chunker {
        text,
        t: tokens,
        end: last,
        r: reference::get(),
        sentence,
    };
    c.run(first, ex)
}

enum Candidate {
    Title(usize),
    Head(usize),
    Honorific(bool),
    Place,
}

impl Chunker<'_> {
    fn surface(&self, a: usize, b: usize) -> &str {
        &self.text[self.t[a].start..self.t[b - 1].end]
    }

    fn is_cap(&self, i: usize) -> bool {
        i < self.end && self.t[i].word && self.t[i].cap && !self.t[i].number && !self.t[i].upper
    }

    fn longest<'l, T>(&self, lex: &'l Lexicon<T>, i: usize) -> Option<(usize, &'l T)> {
        lex.longest(&self.t[..self.end], i)
    }

    /// Length of the word of the segmentation dictionary that starts at the capitalised token
    /// `k` and runs on over lower-case syllables ("Nông dân", "Tư lệnh", "Giáo dục"), or 1. A
    /// syllable that starts a level word ("tỉnh", "huyện") is never part of it.
    fn cap_word(&self, k: usize) -> usize {
        let Some((len, _)) = self.longest(&self.r.words, k) else {
            return 1;
        };
        let mut n = 1;
        while n < len {
            let t = &self.t[k + n];
            if t.cap || t.upper || self.longest(&self.r.level_lex, k + n).is_some() {
                break;
            }
            n += 1;
        }
        if n == len {
            len
        } else {
            1
        }
    }

    /// Does a dictionary word longer than the head of `len` tokens at `i` start there, its
    /// extra syllables in lower case ("Hội nghị", "Bộ phận", "Viện phí")? Then the head is
    /// part of an ordinary word, not the start of a name.
    fn head_in_word(&self, i: usize, len: usize) -> bool {
        matches!(self.longest(&self.r.words, i), Some((wl, _)) if wl > len
            && (i + len..i + wl).all(|x| !self.t[x].cap && !self.t[x].upper))
    }

    /// Does the token at `k` join two parts of one name ("Giáo dục và Đào tạo", "X&Y",
    /// "Lao động - Thương binh")? Only between two capitalised words, and not before another
    /// body, a title, a province or a person.
    fn joins_name(&self, k: usize) -> bool {
        if !matches!(self.t[k].key.as_str(), "và" | "&" | "-" | "–") || k + 1 >= self.end {
            return false;
        }
        let n = k + 1;
        let next = &self.t[n];
        if !next.word || !(next.cap || next.upper) || next.number {
            return false;
        }
        // "THCS Dương Đông 1 và THCS Dương Đông 2": after a number, or before an abbreviation
        // other than glued with "&" ("KH&CN"), the joiner starts a second name
        if (k > 0 && self.t[k - 1].number) || (next.upper && self.t[k].key != "&") {
            return false;
        }
        if self.starts_other(n) {
            return false;
        }
        // a person's name, unless the surname starts an ordinary word ("Đào tạo")
        !(self.is_surname(n) && self.cap_word(n) == 1 && self.is_cap(n + 1))
    }

    /// The chunk of the single token `k`: a word, or a separator.
    fn token_chunk(&self, k: usize) -> Chunk {
        if self.t[k].word {
            Chunk::Word(self.t[k].key.clone())
        } else {
            Chunk::Sep(self.t[k].key.clone())
        }
    }

    /// Is an abbreviation written in brackets at `k` ("(VPĐKĐĐ)", "(CDC)") before a
    /// capitalised word?
    fn bracketed_abbreviation(&self, k: usize) -> bool {
        k + 3 < self.end
            && self.t[k].key == "("
            && self.t[k + 1].upper
            && self.t[k + 2].key == ")"
            && (self.t[k + 3].cap || self.t[k + 3].upper)
    }

    /// "tại Nhật Bản", "ở Campuchia" at `k`: the host country of a mission abroad, and the
    /// tokens it takes.
    fn host_country(&self, k: usize) -> Option<(usize, &str)> {
        if k + 1 >= self.end || !matches!(self.t[k].key.as_str(), "tại" | "ở") {
            return None;
        }
        self.country_at(k + 1).map(|(cl, c)| (1 + cl, c))
    }

    /// Does a body, a title, an honorific, a province or a level word start at `n`?
    fn starts_other(&self, n: usize) -> bool {
        self.longest(&self.r.head_lex, n).is_some()
            || self.longest(&self.r.title_lex, n).is_some()
            || self.longest(&self.r.honorific_lex, n).is_some()
            || self.longest(&self.r.province_lex, n).is_some()
            || self.longest(&self.r.level_lex, n).is_some()
    }

    /// A country written at `k` (capitalised): its length and canonical name.
    fn country_at(&self, k: usize) -> Option<(usize, &str)> {
        if k >= self.end || !(self.t[k].cap || self.t[k].upper) {
            return None;
        }
        self.longest(&self.r.countries, k)
            .map(|(l, c)| (l, c.as_str()))
    }

    /// Does a lower-case word at `k` go on the name of a body whose last word was a
    /// capitalised field word ("Cục Phòng vệ thương mại", "Văn phòng Đăng ký đất đai")? A word
    /// of two or more syllables of the dictionary that is no cue of a relation, no title and no
    /// level word, nor a word of `name_stops.txt`. Returns its length.
    fn lower_name_word(&self, k: usize) -> Option<usize> {
        let t = &self.t[k];
        if !t.word || t.cap || t.upper || t.number {
            return None;
        }
        let (len, _) = self.longest(&self.r.words, k)?;
        if len < 2
            || (k..k + len).any(|x| self.t[x].cap || self.t[x].upper)
            || self
                .longest(&self.r.cue_lex, k)
                .is_some_and(|(_, c)| !c.has(CueRole::None))
            || self.longest(&self.r.name_stops, k).is_some()
            || self.longest(&self.r.title_lex, k).is_some()
            || self.longest(&self.r.level_lex, k).is_some()
            || self.longest(&self.r.award_lex, k).is_some()
        {
            return None;
        }
        Some(len)
    }

    /// The fields a name enumerates after a comma at `k` ("Cục Hộ tịch, quốc tịch, chứng
    /// thực", "Cục Hộ tịch, quốc tịch và chứng thực"): lower-case words of the dictionary
    /// (as [`Self::lower_name_word`], and no head of a body), one after each comma, closed by
    /// "và" and one more, or at least two of them; the name must end there. Returns where the
    /// enumeration ends.
    fn enumeration_at(&self, k: usize) -> Option<usize> {
        let field = |m: usize| {
            if m >= self.end || self.longest(&self.r.head_lex, m).is_some() {
                return None;
            }
            self.lower_name_word(m)
        };
        let (mut m, mut items, mut closed) = (k, 0, false);
        while m < self.end {
            match self.t[m].key.as_str() {
                "," => match field(m + 1) {
                    Some(len) => {
                        m += 1 + len;
                        items += 1;
                    }
                    None => break,
                },
                "và" if items >= 1 => {
                    if let Some(len) = field(m + 1) {
                        m += 1 + len;
                        closed = true;
                    }
                    break;
                }
                _ => break,
            }
        }
        // the name ends here: no further word of it
        let ends =
            m >= self.end || !self.t[m].word || self.longest(&self.r.name_stops, m).is_some();
        ((closed || items >= 2) && ends).then_some(m)
    }

    /// A place named after a comma or "và" at `k` in a list of places of one level ("xã A, B,
    /// thị trấn C", "các huyện A, B và C"): a capitalised name of up to four syllables that is no province, body, title,
    /// level word or person (no surname first), followed by a comma, "và", punctuation or a
    /// level word. Returns its tokens.
    fn listed_place(&self, k: usize) -> Option<(usize, usize)> {
        let n = k + 1;
        if n >= self.end
            || !matches!(self.t[k].key.as_str(), "," | "và")
            || !self.t[n].cap
            || self.t[n].upper
            || self.surface(n, n + 1).contains('.')
            || self.is_surname(n)
        {
            return None;
        }
        if self.starts_other(n) {
            return None;
        }
        let b = n + self.name_run(n, 4);
        let ends = b >= self.end
            || !self.t[b].word
            || self.t[b].key == "và"
            || self.longest(&self.r.level_lex, b).is_some();
        (b > n && ends).then_some((n, b))
    }

    fn is_surname(&self, i: usize) -> bool {
        i < self.end && self.r.surnames.contains(&self.t[i].key)
    }

    /// Does a word at `k`, inside a capitalised run, start something that is not a name?
    fn blocks_name(&self, k: usize) -> bool {
        if self.longest(&self.r.title_lex, k).is_some() {
            return true;
        }
        if let Some((len, _)) = self.longest(&self.r.head_lex, k) {
            if len >= 2 {
                return true;
            }
        }
        matches!(self.longest(&self.r.honorific_lex, k), Some((len, _)) if len >= 2)
    }

    /// Length of the capitalised run at `i` (at most `max`).
    fn name_run(&self, i: usize, max: usize) -> usize {
        let mut k = i;
        while k < self.end && k - i < max && self.is_cap(k) && (k == i || !self.blocks_name(k)) {
            k += 1;
        }
        k - i
    }

    /// Where to cut a capitalised run `a..b` so that its tail is a person's name (a surname
    /// and one to three more syllables), keeping at least `keep` tokens before it.
    fn person_tail(&self, a: usize, b: usize, keep: usize) -> Option<usize> {
        [3usize, 2, 4]
            .into_iter()
            .filter(|&l| b >= a + keep + l)
            .map(|l| b - l)
            .find(|&cut| self.is_surname(cut))
    }

    /// A name written with each syllable capitalised, the canonical form of a person's name.
    fn person_name(&self, a: usize, b: usize) -> String {
        title_case(self.surface(a, b))
    }

    fn run(&self, first: usize, ex: &mut Extraction) -> Vec<Chunk> {
        let mut out: Vec<Chunk> = Vec::new();
        let mut i = first;
        while i < self.end {
            let t = &self.t[i];
            if !t.word {
                out.push(self.token_chunk(i));
                i += 1;
                continue;
            }
            if t.key == "nguyên" && self.longest(&self.r.title_lex, i + 1).is_some() {
                out.push(Chunk::Former);
                i += 1;
                continue;
            }
            // after a title a name may follow, unless the title is itself in apposition to a
            // name before it ("Ông Y Lâm Niê - Giám đốc Bệnh viện ... Buôn Ma Thuột")
            let n = out.len();
            let person_next = matches!(out.last(), Some(Chunk::Title(..)))
                && !(n >= 3
                    && matches!(&out[n - 2], Chunk::Sep(s) if matches!(s.as_str(), "-" | "–" | "," | "(" | ":"))
                    && matches!(&out[n - 3], Chunk::Person(_) | Chunk::Name(_)));
            // the longest of title, head, honorific and province at i wins
            let mut best: Option<(usize, Candidate)> = None;
            let mut consider = |len: usize, c: Candidate| {
                if best.as_ref().is_none_or(|(l, _)| len > *l) {
                    best = Some((len, c));
                }
            };
            if let Some((len, &ti)) = self.longest(&self.r.title_lex, i) {
                consider(len, Candidate::Title(ti));
            }
            if let Some((len, &h)) = self.longest(&self.r.head_lex, i) {
                if !self.head_in_word(i, len) {
                    consider(len, Candidate::Head(h));
                }
            }
            if let Some((len, &strong)) = self.longest(&self.r.honorific_lex, i) {
                consider(len, Candidate::Honorific(strong));
            }
            if t.cap || t.upper {
                if let Some((len, _)) = self.longest(&self.r.province_lex, i) {
                    consider(len, Candidate::Place);
                }
            }
            match best {
                Some((len, Candidate::Title(ti))) => {
                    // a title that ends in a head ("Trưởng Ban", "Chánh Thanh tra", "Trưởng
                    // Công an") before the rest of that body's name: the head starts the body
                    if let Some(end) = self.title_into_body(i, len, ti, ex, &mut out) {
                        i = end;
                        continue;
                    }
                    out.push(Chunk::Title(ti, (i, i + len)));
                    i += len;
                    if self.r.titles[ti].ministry {
                        if let Some((mlen, &h)) = self.longest(&self.r.ministry_lex, i) {
                            if self.is_cap(i) {
                                let o = self.push_org(
                                    ex,
                                    (i, i + mlen),
                                    h,
                                    String::new(),
                                    Locality::Unstated,
                                    None,
                                );
                                out.push(Chunk::Org(o));
                                i += mlen;
                            }
                        }
                    }
                    if self.r.titles[ti].unit {
                        i = self.skip_unit_name(i);
                    }
                    // "Đại sứ Việt Nam tại Nhật Bản": an envoy's post is in the mission
                    if let Some(end) = self.envoy_mission(ti, i, ex, &mut out) {
                        i = end;
                    }
                    continue;
                }
                Some((len, Candidate::Head(h))) => {
                    if let Some(end) = self.org_at(i, len, h, person_next, ex, &mut out) {
                        i = end;
                        continue;
                    }
                }
                Some((len, Candidate::Honorific(strong))) => {
                    if let Some((a, b)) = self.name_after_honorific(i + len, strong) {
                        let name = self.person_name(a, b);
                        ex.persons.push(PersonMention {
                            tokens: (a, b),
                            name,
                        });
                        out.push(Chunk::Person(ex.persons.len() - 1));
                        i = b;
                        continue;
                    }
                }
                Some((_, Candidate::Place)) | None => {}
            }
            if let Some((Locality::Place(p), end)) = self.locality_at(i, person_next, false, ex) {
                out.push(Chunk::Place(p));
                i = end;
                // "xã Tân Lập, Tân Hòa": more places of its level listed after it
                let level = ex.places[p].level;
                if matches!(level, Level::District | Level::Commune) {
                    while let Some((a, b)) = self.listed_place(i) {
                        let name = self.place_name(a, b);
                        let q = self.push_place(ex, (a, b), name, level, None, false);
                        out.push(self.token_chunk(a - 1));
                        out.push(Chunk::Place(q));
                        i = b;
                    }
                }
                continue;
            }
            // a function word capitalised at the start of a sentence ("Với Cục X", "Theo Bộ
            // Y tế") starts no name
            let function_word =
                self.longest(&self.r.name_stops, i).is_some() && !self.is_surname(i);
            let n = if function_word {
                0
            } else {
                self.name_run(i, 4)
            };
            if n >= 2 {
                out.push(Chunk::Name((i, i + n)));
                i += n;
                continue;
            }
            out.push(self.token_chunk(i));
            i += 1;
        }
        out
    }

    /// For a title at `i..i + len` whose last words start an organisation head, followed by the
    /// rest of a name (a capitalised word that starts no body of its own, or a level word):
    /// pushes the title and the body it names, and returns where the body ends.
    fn title_into_body(
        &self,
        i: usize,
        len: usize,
        ti: usize,
        ex: &mut Extraction,
        out: &mut Vec<Chunk>,
    ) -> Option<usize> {
        let after = i + len;
        if after >= self.end || !self.t[after].word {
            return None;
        }
        let next = &self.t[after];
        let name_goes_on = ((next.cap || next.upper)
            && self.longest(&self.r.head_lex, after).is_none()
            && self.longest(&self.r.title_lex, after).is_none()
            && self.longest(&self.r.honorific_lex, after).is_none()
            && !self.is_surname(after))
            || self.longest(&self.r.level_lex, after).is_some();
        if !name_goes_on {
            return None;
        }
        let (p, hl, h) = (i + 1..after).find_map(|p| {
            let (hl, &h) = self.longest(&self.r.head_lex, p)?;
            (p + hl >= after && (self.t[p].cap || self.t[p].upper)).then_some((p, hl, h))
        })?;
        if self.r.heads[h].scope == Scope::None {
            return None;
        }
        let mut body = Vec::new();
        let end = self.org_at(p, hl, h, true, ex, &mut body)?;
        out.push(Chunk::Title(ti, (i, p)));
        out.extend(body);
        Some(end)
    }

    /// After an envoy's title (one whose implied body is a mission abroad: `Đại sứ`, `Tổng
    /// Lãnh sự`), the countries at `k` name that mission: "Đại sứ Việt Nam tại Nhật Bản" holds
    /// a post in the Đại sứ quán Việt Nam tại Nhật Bản. Pushes it and returns where it ends.
    fn envoy_mission(
        &self,
        ti: usize,
        k: usize,
        ex: &mut Extraction,
        out: &mut Vec<Chunk>,
    ) -> Option<usize> {
        let h = self.r.titles[ti].implied_org?;
        if self.r.heads[h].kind != "embassy" {
            return None;
        }
        let (cl, c) = self.country_at(k)?;
        let mut descriptor = c.to_string();
        let mut end = k + cl;
        if let Some((hl, host)) = self.host_country(end) {
            descriptor = format!("{descriptor} tại {host}");
            end += hl;
        }
        let o = self.push_org(ex, (k, end), h, descriptor, Locality::Unstated, None);
        out.push(Chunk::Org(o));
        Some(end)
    }

    /// Skips the name of a unit after its head's title ("Trưởng khoa Tai Mũi Họng", "Trưởng
    /// phòng Kế hoạch tổng hợp"), up to the body or the end of the name; a person's name at
    /// its end is left ("Trưởng khoa Nội Lê Văn An").
    fn skip_unit_name(&self, start: usize) -> usize {
        let mut k = start;
        let mut run_start = start;
        while k < self.end {
            let t = &self.t[k];
            if (t.cap || t.upper)
                && (self.longest(&self.r.head_lex, k).is_some()
                    || self.longest(&self.r.title_lex, k).is_some()
                    || self
                        .longest(&self.r.honorific_lex, k)
                        .is_some_and(|(l, _)| l >= 2))
            {
                return k; // the body (or another post) follows
            }
            if let Some((gl, _)) = self.longest(&self.r.org_words, k) {
                k += gl;
                run_start = k;
                continue;
            }
            if t.word && (t.cap || t.upper) && !t.number {
                k += 1;
                continue;
            }
            break;
        }
        // the run ends the name: leave a person's name at its end
        self.person_tail(run_start, k, 0).unwrap_or(k)
    }

    /// A name after an honorific (and any further honorifics: "PGS.TS, BS Lê Văn An").
    fn name_after_honorific(&self, mut s: usize, mut strong: bool) -> Option<(usize, usize)> {
        loop {
            while s < self.end && matches!(self.t[s].key.as_str(), "." | ",") {
                s += 1;
            }
            match self.longest(&self.r.honorific_lex, s) {
                Some((len, &st)) if !self.is_surname(s) || len > 1 => {
                    strong |= st;
                    s += len;
                }
                _ => break,
            }
        }
        let n = self.name_run(s, 4);
        if n < 2 || !(strong || self.is_surname(s)) {
            return None;
        }
        Some((s, s + n))
    }

    fn push_org(
        &self,
        ex: &mut Extraction,
        tokens: (usize, usize),
        head: usize,
        descriptor: String,
        locality: Locality,
        parent: Option<usize>,
    ) -> usize {
        ex.orgs.push(OrgMention {
            tokens,
            head,
            descriptor,
            locality,
            parent,
            generic: false,
            implied: false,
            sentence: self.sentence,
        });
        ex.orgs.len() - 1
    }

    /// Parses an organisation whose head (`len` tokens, head `h`) starts at `i`. Pushes its
    /// chunk and returns where it ends, or None when the head is not used as a name here.
    fn org_at(
        &self,
        i: usize,
        len: usize,
        h: usize,
        person_next: bool,
        ex: &mut Extraction,
        out: &mut Vec<Chunk>,
    ) -> Option<usize> {
        let head = &self.r.heads[h];
        let written_cap = self.t[i].cap || self.t[i].upper;
        let j = i + len;
        match head.scope {
            Scope::None => {
                for k in i..j {
                    out.push(Chunk::Word(self.t[k].key.clone()));
                }
                Some(j)
            }
            Scope::National => {
                if !written_cap {
                    return None;
                }
                // a country after a national head: that country's body ("Bộ Y tế Lào",
                // "Chính phủ Anh"); resolving tells whether "Việt Nam" is needed
                let (end, country) = match self.country_at(j) {
                    Some((cl, c)) => (j + cl, c.to_string()),
                    None => (j, String::new()),
                };
                let o = self.push_org(ex, (i, end), h, country, Locality::Unstated, None);
                out.push(Chunk::Org(o));
                Some(end)
            }
            Scope::Province | Scope::Admin => {
                if written_cap {
                    if let Some(end) = self.distributed(i, j, h, ex, out) {
                        return Some(end);
                    }
                }
                let (loc, end) = self
                    .locality_at(j, person_next, true, ex)
                    .unwrap_or((Locality::Unstated, j));
                // "Giám đốc sở Khoa học và Công nghệ": a lower-case head word before the
                // capitalised rest of a known name
                let rest_cap = len >= 2 && self.t[i + 1].cap;
                if !written_cap && !rest_cap && !matches!(loc, Locality::Place(_)) {
                    return None;
                }
                let generic = !matches!(loc, Locality::Place(_)) && self.generic_around(i, end);
                let o = self.push_org(ex, (i, end), h, String::new(), loc, None);
                ex.orgs[o].generic = generic;
                out.push(Chunk::Org(o));
                Some(end)
            }
            Scope::Named => self.named_org(i, j, h, person_next, ex, out),
        }
    }

    /// "Sở Tư pháp các tỉnh Hà Tĩnh, Quảng Bình và Quảng Trị": a local head (`i..j`, head `h`)
    /// before "các", a province level word and a list of two or more provinces names one body
    /// in each. The first body spans the head and its province, each further one its
    /// province's name. Pushes them and returns where the list ends.
    fn distributed(
        &self,
        i: usize,
        j: usize,
        h: usize,
        ex: &mut Extraction,
        out: &mut Vec<Chunk>,
    ) -> Option<usize> {
        if j >= self.end || self.t[j].key != "các" {
            return None;
        }
        let province_level = |k: usize| match self.longest(&self.r.level_lex, k) {
            Some((len, (Level::Province | Level::City, _))) => Some(len),
            _ => None,
        };
        let mut m = j + 1 + province_level(j + 1)?;
        // "các tỉnh, thành phố A, B"
        if m + 1 < self.end && self.t[m].key == "," {
            if let Some(len) = province_level(m + 1) {
                m += 1 + len;
            }
        }
        let province = |k: usize| {
            if k < self.end && (self.t[k].cap || self.t[k].upper) {
                self.longest(&self.r.province_lex, k)
                    .map(|(len, &p)| (k, k + len, p))
            } else {
                None
            }
        };
        let mut found = Vec::new();
        let mut joiners = Vec::new();
        let mut next = province(m);
        while let Some((a, b, p)) = next {
            found.push((a, b, p));
            next = None;
            if b < self.end && matches!(self.t[b].key.as_str(), "," | "và") {
                next = province(b + 1);
                if next.is_some() {
                    joiners.push(b);
                }
            }
        }
        if found.len() < 2 {
            return None;
        }
        for (n, &(a, b, p)) in found.iter().enumerate() {
            let name = self.r.provinces[p].name.clone();
            let pi = self.push_place(ex, (a, b), name, Level::Province, Some(p), true);
            let span = if n == 0 { (i, b) } else { (a, b) };
            let o = self.push_org(ex, span, h, String::new(), Locality::Place(pi), None);
            out.push(Chunk::Org(o));
            if let Some(&k) = joiners.get(n) {
                out.push(self.token_chunk(k));
            }
        }
        found.last().map(|&(_, b, _)| b)
    }

    fn generic_around(&self, i: usize, end: usize) -> bool {
        (i > 0 && GENERIC_BEFORE.contains(&self.t[i - 1].key.as_str()))
            || (end < self.end && GENERIC_AFTER.contains(&self.t[end].key.as_str()))
    }

    /// A head that needs a proper name: its descriptor, locality and parent.
    fn named_org(
        &self,
        i: usize,
        j: usize,
        h: usize,
        person_next: bool,
        ex: &mut Extraction,
        out: &mut Vec<Chunk>,
    ) -> Option<usize> {
        let head = &self.r.heads[h];
        let written_cap = self.t[i].cap || self.t[i].upper;
        if !written_cap && j - i < 2 {
            return None; // "nhiệm vụ", "đại hội": a lower-case one-word head is a plain word
        }
        let mut k = j;
        let mut words: Vec<(usize, usize)> = Vec::new(); // descriptor pieces (token ranges)
        let mut cap_run_start = j; // start of the trailing run of capitalised words
        let mut proper_seen = false;
        let mut parent_at = None;
        // the last word was a capitalised field word ("Phòng vệ"), and lower-case words since
        let mut field_word = false;
        let mut lower_words = 0;
        while k < self.end {
            let t = &self.t[k];
            if k - j >= MAX_NAME_TOKENS {
                break; // a headline or menu in title case: no runaway names
            }
            if t.word && self.longest(&self.r.level_lex, k).is_some() && (!t.cap || t.upper) {
                break; // a locality follows
            }
            if !words.is_empty() && self.longest(&self.r.award_lex, k).is_some() {
                break; // "trao Học viện X Huân chương ...": the award is not in the name
            }
            // "Cục Quản lý Khám, chữa bệnh", "Cục Phòng, chống HIV/AIDS": a fixed compound
            // written with a comma (org_words.txt) goes on in the name, before any head or
            // title its first word could start
            // ("... phòng cháy, chữa cháy và cứu nạn, cứu hộ": one after "và" too)
            let and = usize::from(t.key == "và" && !words.is_empty());
            if let Some((l, _)) = self
                .longest(&self.r.org_words, k + and)
                .filter(|&(l, _)| (k + and..k + and + l).any(|x| self.t[x].key == ","))
            {
                if t.cap || !proper_seen {
                    let l = l + and;
                    words.push((k, k + l));
                    k += l;
                    cap_run_start = k;
                    field_word = true;
                    lower_words = 0;
                    continue;
                }
            }
            // "Covid-19", "HIV/AIDS", "Bệnh viện 19-8": a word glued to the name's last word by
            // "-" or "/", with no space on either side, is one word with it
            if matches!(t.key.as_str(), "-" | "/")
                && k + 1 < self.end
                && self.t[k + 1].word
                && words.last().is_some_and(|&(_, e)| e == k)
                && self.t[k - 1].end == t.start
                && t.end == self.t[k + 1].start
            {
                words.push((k, k + 2));
                k += 2;
                cap_run_start = k;
                continue;
            }
            if t.cap || t.upper {
                // "Hội Điều dưỡng Việt Nam": a name word that is also an honorific goes on
                let name_word = self.longest(&self.r.org_words, k).map_or(0, |(l, _)| l);
                if self
                    .longest(&self.r.title_lex, k)
                    .is_some_and(|(l, _)| l > name_word)
                    || matches!(self.longest(&self.r.honorific_lex, k), Some((l, _)) if l >= 2 && l > name_word)
                {
                    break;
                }
                if let Some((hl, &h2)) = self.longest(&self.r.head_lex, k) {
                    let h2s = self.r.heads[h2].scope;
                    if head.sub
                        && h2s != Scope::None
                        && (hl >= 2 || h2s == Scope::National || self.is_cap(k + hl))
                    {
                        parent_at = Some(k);
                        break;
                    }
                    if matches!(h2s, Scope::National | Scope::Province | Scope::Admin)
                        && !words.is_empty()
                    {
                        break; // "Bệnh viện Bạch Mai Bộ Y tế": a second body, not part of the name
                    }
                }
            }
            // "Cục Hộ tịch, quốc tịch và chứng thực": fields enumerated after a field word
            if field_word && self.t[k].key == "," {
                if let Some(e) = self.enumeration_at(k) {
                    words.push((k, e));
                    k = e;
                    cap_run_start = k;
                    lower_words = MAX_LOWER_WORDS;
                    continue;
                }
            }
            // "Giáo dục và Đào tạo", "X&Y", "Lao động - Thương binh": a joiner between two
            // capitalised words of the name
            if !words.is_empty() && self.joins_name(k) {
                words.push((k, k + 1));
                k += 1;
                cap_run_start = k;
                continue;
            }
            // a capitalised word runs over its lower-case syllables ("Hội Nông dân", "Bộ Tư
            // lệnh", "Trường Cao đẳng"): the name goes on by words, not by syllables
            let cap_word = if self.is_cap(k) { self.cap_word(k) } else { 1 };
            let name_word = self.longest(&self.r.org_words, k).map(|(l, _)| l);
            if let Some(gl) = name_word.filter(|&l| l >= cap_word) {
                // a lower-case name word used as a verb after the name: "Tổng cục Quản lý thị
                // trường nghiên cứu"
                let verb =
                    !t.cap && !words.is_empty() && self.longest(&self.r.name_stops, k).is_some();
                if !verb && (t.cap || !proper_seen) {
                    words.push((k, k + gl));
                    k += gl;
                    cap_run_start = k;
                    if t.cap {
                        field_word = true;
                        lower_words = 0;
                    }
                    continue;
                }
                break;
            }
            if cap_word > 1 {
                words.push((k, k + cap_word));
                k += cap_word;
                cap_run_start = k;
                field_word = true;
                lower_words = 0;
                continue;
            }
            // lower-case words after a capitalised field word: "Cục Phòng vệ thương mại"
            if field_word && lower_words < MAX_LOWER_WORDS {
                if let Some(wl) = self.lower_name_word(k) {
                    words.push((k, k + wl));
                    k += wl;
                    cap_run_start = k;
                    lower_words += 1;
                    continue;
                }
            }
            if t.word && (t.cap || t.upper) && !t.number {
                // the first word of a unit's name, a word of the dictionary written with every
                // syllable capitalised ("Công Thương", "Kế Hoạch"), is a field word too: "Cục
                // Công Thương địa phương"; elsewhere such a word is as often a proper name
                // ("Bệnh viện Bạch Mai cơ sở 2")
                let dict_word = self.longest(&self.r.words, k).map(|(l, _)| l).filter(|&l| {
                    head.sub
                        && words.is_empty()
                        && l >= 2
                        && (k..k + l).all(|x| self.t[x].cap && !self.t[x].upper)
                });
                let len = dict_word.unwrap_or(1);
                words.push((k, k + len));
                k += len;
                if k - cap_run_start >= 2 {
                    proper_seen = true;
                }
                field_word = dict_word.is_some();
                lower_words = 0;
                continue;
            }
            // "Bệnh viện 108", "Bệnh viện Nhi Đồng 1", "Quân khu 3", not "Bệnh viện Bạch Mai
            // 2 lần"
            let numbered = t.number
                && t.key.len() <= 3
                && t.key.bytes().all(|b| b.is_ascii_digit())
                && words.last().is_none_or(|&(a, _)| self.t[a].cap)
                && !(k + 1 < self.end && NUMBER_UNITS.contains(&self.t[k + 1].key.as_str()));
            if numbered {
                words.push((k, k + 1));
                k += 1;
                cap_run_start = k;
                continue;
            }
            break;
        }
        // a descriptor of lower-case words alone ("Trung tâm nội soi") is a description, not a name
        if !words.is_empty()
            && words.iter().all(|&(a, b)| {
                (a..b).all(|x| !self.t[x].cap && !self.t[x].upper && !self.t[x].number)
            })
        {
            words.clear();
            k = j;
            cap_run_start = j;
        }
        // a person's name swallowed after a title: "Giám đốc Bệnh viện Bạch Mai Đào Văn An"
        if person_next && parent_at.is_none() && k > cap_run_start {
            if let Some(cut) = self.person_tail(cap_run_start, k, usize::from(cap_run_start == j)) {
                words.retain(|&(a, _)| a < cut);
                k = cut;
            }
        }
        let mut end = k;
        let mut locality = Locality::Unstated;
        // "Văn phòng Đăng ký đất đai (VPĐKĐĐ) Nam Định": its abbreviation in brackets
        // before its locality
        if parent_at.is_none() && !words.is_empty() && self.bracketed_abbreviation(k) {
            if let Some((loc @ Locality::Place(_), e)) =
                self.locality_at(k + 3, person_next, true, ex)
            {
                locality = loc;
                end = e;
            }
        }
        if parent_at.is_none() && end == k {
            if let Some((loc, e)) = self.locality_at(k, person_next, true, ex) {
                if matches!(loc, Locality::Place(_)) || !words.is_empty() {
                    locality = loc;
                    end = e;
                }
            }
        }
        // a lower-case head names a body only with a proper name or place after it, or right
        // after a title, where it is the body of the document ("Giám đốc bệnh viện cho biết")
        let names_a_body = written_cap
            || words.first().is_some_and(|&(a, _)| self.t[a].cap)
            || matches!(locality, Locality::Place(_))
            || (matches!(out.last(), Some(Chunk::Title(..))) && words.is_empty());
        if !names_a_body {
            return None;
        }
        let mut descriptor = self.descriptor(&words);
        // "Đại sứ quán Việt Nam tại Campuchia": a mission abroad, with its host country
        if head.kind == "embassy" && !words.is_empty() && parent_at.is_none() {
            if let Some((hl, host)) = self.host_country(end) {
                descriptor = format!("{descriptor} tại {host}");
                end += hl;
            }
        }
        let parent = match parent_at {
            Some(p) => {
                let mut sub_out = Vec::new();
                let (plen, &ph) = self.longest(&self.r.head_lex, p)?;
                match self.org_at(p, plen, ph, person_next, ex, &mut sub_out) {
                    Some(pe) => {
                        end = pe;
                        sub_out.iter().find_map(|c| match c {
                            Chunk::Org(o) => Some(*o),
                            _ => None,
                        })
                    }
                    None => None,
                }
            }
            None => None,
        };
        // "Cục Bổ trợ tư pháp (Bộ Tư pháp)", "Cục Quản lý Dược - Bộ Y tế", "Cục Việc làm
        // (trực thuộc Bộ ...)": a body's parent after a dash or in brackets, in the body's
        // mention as a parent right after it is
        let (parent, next) = match parent {
            None if locality == Locality::Unstated && (head.sub || !words.is_empty()) => {
                match self.bracketed_parent(end, head.sub, person_next, ex) {
                    Some((pe, next)) => (Some(pe), next),
                    None => (None, end),
                }
            }
            _ => (parent, end),
        };
        let mut org = OrgMention {
            tokens: (i, next),
            head: h,
            descriptor,
            locality,
            parent,
            generic: false,
            implied: false,
            sentence: self.sentence,
        };
        if org.descriptor.is_empty()
            && org.parent.is_none()
            && !matches!(org.locality, Locality::Place(_))
        {
            org.generic = self.generic_around(i, end);
        }
        ex.orgs.push(org);
        out.push(Chunk::Org(ex.orgs.len() - 1));
        Some(next)
    }

    /// The parent body a name ending at `k` is followed by. For a unit (`sub`): ` - ` and a
    /// body, or `(`, a body and `)`; for any body: `(thuộc` or `(trực thuộc`, a body and `)`,
    /// or a ministry in brackets ("Tổng công ty X (Bộ Quốc phòng)"). The parent must be one
    /// that has units (a national, provincial or local body, capitalised), not a title ("-
    /// Bộ trưởng ..."). Gives the parent's mention and where the text goes on after it.
    fn bracketed_parent(
        &self,
        k: usize,
        sub: bool,
        person_next: bool,
        ex: &mut Extraction,
    ) -> Option<(usize, usize)> {
        let open = &self.t.get(k)?.key;
        let bracket = open == "(";
        let dash = sub && matches!(open.as_str(), "-" | "–");
        if !(bracket || dash) {
            return None;
        }
        let mut p = k + 1;
        // "(thuộc Bộ X)", "(trực thuộc UBND tỉnh Y)": said in words
        let under = |x: usize| {
            self.t
                .get(x)
                .is_some_and(|t| t.key == crate::text::fold("thuộc"))
        };
        let marked = if bracket && under(p) {
            p += 1;
            true
        } else if bracket
            && self
                .t
                .get(p)
                .is_some_and(|t| t.key == crate::text::fold("trực"))
            && under(p + 1)
        {
            p += 2;
            true
        } else {
            false
        };
        if p >= self.end || !(self.t[p].cap || self.t[p].upper) {
            return None;
        }
        let (plen, &ph) = self.longest(&self.r.head_lex, p)?;
        let parent_head = &self.r.heads[ph];
        if parent_head.scope == Scope::None || parent_head.sub {
            return None;
        }
        if !sub && !marked && parent_head.kind != "ministry" {
            return None;
        }
        if self
            .longest(&self.r.title_lex, p)
            .is_some_and(|(l, _)| l >= plen)
        {
            return None;
        }
        let (orgs_before, places_before) = (ex.orgs.len(), ex.places.len());
        let mut sub_out = Vec::new();
        let undo = |ex: &mut Extraction| {
            ex.orgs.truncate(orgs_before);
            ex.places.truncate(places_before);
        };
        let Some(pe) = self.org_at(p, plen, ph, person_next, ex, &mut sub_out) else {
            undo(ex);
            return None;
        };
        let parent = sub_out.iter().find_map(|c| match c {
            Chunk::Org(o) => Some(*o),
            _ => None,
        });
        let next = if bracket {
            if self.t.get(pe).map(|t| t.key.as_str()) != Some(")") || pe >= self.end {
                undo(ex);
                return None;
            }
            pe + 1
        } else {
            pe
        };
        match parent {
            Some(o) => Some((o, next)),
            None => {
                undo(ex);
                None
            }
        }
    }

    /// Joins descriptor pieces, expanding abbreviations and capitalising the first letter.
    /// The pieces are contiguous; spacing is the text's ("X&Y" stays whole), and an
    /// abbreviation written as one or more tokens without spaces ("ĐK", "KH&CN") is expanded.
    fn descriptor(&self, words: &[(usize, usize)]) -> String {
        let (Some(&(a, _)), Some(&(_, b))) = (words.first(), words.last()) else {
            return String::new();
        };
        let mut joined = String::new();
        let mut k = a;
        while k < b {
            if k > a && self.t[k - 1].end < self.t[k].start {
                joined.push(' ');
            }
            let (len, piece) = self.abbreviation_at(k, b);
            joined.push_str(piece);
            k += len;
        }
        title_case_first(&joined.replace(" - ", "-"))
    }

    /// A locality at `k`: a level word and a name ("tỉnh Hà Giang", "xã Lũng Cú"), a level word
    /// alone ("UBND tỉnh"), or a known province ("Sở Y tế Hà Giang"). `in_org`: the locality
    /// of an organisation (its place mention is marked so).
    fn locality_at(
        &self,
        k: usize,
        person_next: bool,
        in_org: bool,
        ex: &mut Extraction,
    ) -> Option<(Locality, usize)> {
        if k >= self.end {
            return None;
        }
        if let Some((len, (level, _))) = self.longest(&self.r.level_lex, k) {
            let level = *level;
            let mut m = k + len;
            if m < self.end && self.t[m].key == "." {
                m += 1;
            }
            // "Trung tâm Kiểm soát bệnh tật tỉnh (CDC) Nam Định": the body's abbreviation in
            // brackets between the level word and the name
            if matches!(level, Level::Province | Level::City)
                && self.bracketed_abbreviation(m)
                && self.longest(&self.r.province_lex, m + 3).is_some()
            {
                m += 3;
            }
            // a province (or centrally-run city) by name
            if matches!(level, Level::Province | Level::City)
                && m < self.end
                && (self.t[m].cap || self.t[m].upper)
            {
                if let Some((pl, &p)) = self.longest(&self.r.province_lex, m) {
                    if level == Level::Province || self.r.provinces[p].is_city() {
                        let name = self.r.provinces[p].name.clone();
                        let pi = self.push_place(
                            ex,
                            (k, m + pl),
                            name,
                            Level::Province,
                            Some(p),
                            in_org,
                        );
                        return Some((Locality::Place(pi), m + pl));
                    }
                }
            }
            if level != Level::Province {
                // numbered wards and urban districts: "quận 1", "phường 5"
                let number_ok = matches!(self.t[k].key.as_str(), "quận" | "phường")
                    && m < self.end
                    && self.t[m].number
                    && self.t[m].key.len() <= 2;
                let mut n = if number_ok {
                    1
                } else {
                    self.name_run(m, if person_next { 7 } else { 4 })
                };
                // stop before a province named after it: "huyện Đồng Văn Hà Giang"
                if let Some(cut) = (m + 1..m + n).find(|&c| {
                    self.longest(&self.r.province_lex, c)
                        .is_some_and(|(l, _)| c + l <= m + n)
                }) {
                    n = cut - m;
                }
                if person_next && n >= 3 {
                    if let Some(cut) = self.person_tail(m, m + n, 1) {
                        n = cut - m;
                    }
                }
                if n >= 1 && !number_ok && n > 4 {
                    n = 4;
                }
                if n >= 1 {
                    let name = self.place_name(m, m + n);
                    let pi = self.push_place(ex, (k, m + n), name, level, None, in_org);
                    return Some((Locality::Place(pi), m + n));
                }
            }
            return Some((Locality::LevelOnly(level), m));
        }
        if self.t[k].cap || self.t[k].upper {
            if let Some((pl, &p)) = self.longest(&self.r.province_lex, k) {
                // a bare name that reads as a person's (a surname and two more syllables:
                // "tư tưởng Hồ Chí Minh") is a place only after its level word or a body
                if !in_org && pl >= 3 && self.is_surname(k) {
                    return None;
                }
                let name = self.r.provinces[p].name.clone();
                let pi = self.push_place(ex, (k, k + pl), name, Level::Province, Some(p), in_org);
                return Some((Locality::Place(pi), k + pl));
            }
        }
        None
    }

    /// The longest abbreviation of the table written at `k` (before `b`) as tokens with no
    /// space between them, and its expansion; else the token itself.
    fn abbreviation_at(&self, k: usize, b: usize) -> (usize, &str) {
        for y in (k + 1..=b.min(k + 5)).rev() {
            if (k + 1..y).any(|x| self.t[x - 1].end < self.t[x].start) {
                continue;
            }
            if let Some(e) = self.r.abbreviations.get(self.surface(k, y)) {
                return (y - k, e);
            }
        }
        (1, self.surface(k, k + 1))
    }

    fn place_name(&self, a: usize, b: usize) -> String {
        (a..b)
            .map(|k| {
                let s = self.surface(k, k + 1);
                self.r
                    .abbreviations
                    .get(s)
                    .cloned()
                    .unwrap_or_else(|| s.to_string())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn push_place(
        &self,
        ex: &mut Extraction,
        tokens: (usize, usize),
        name: String,
        level: Level,
        province: Option<usize>,
        in_org: bool,
    ) -> usize {
        ex.places.push(PlaceMention {
            tokens,
            name,
            level,
            province,
            in_org,
        });
        ex.places.len() - 1
    }
}

/// In a list of people whose first is named after an honorific ("em A, B và C", "các ông A,
/// B"), the names after it are people too: a capitalised run of two to four syllables that
/// starts with a surname, right after a person and a comma or "và".
pub(crate) fn listed_persons(
    text: &str,
    tokens: &[Token],
    chunks: &mut [Chunk],
    ex: &mut Extraction,
) {
    let r = reference::get();
    for q in 2..chunks.len() {
        let joined = match &chunks[q - 1] {
            Chunk::Sep(s) => s == ",",
            Chunk::Word(w) => w == "và",
            _ => false,
        };
        if !joined || !matches!(chunks[q - 2], Chunk::Person(_)) {
            continue;
        }
        let Chunk::Name((a, b)) = chunks[q] else {
            continue;
        };
        if b - a < 2 || !r.surnames.contains(&tokens[a].key) {
            continue;
        }
        ex.persons.push(PersonMention {
            tokens: (a, b),
            name: title_case(&text[tokens[a].start..tokens[b - 1].end]),
        });
        chunks[q] = Chunk::Person(ex.persons.len() - 1);
    }
}

/// Marks further occurrences of each person's full name in the document as mentions of them.
pub(crate) fn find_repeated_names(tokens: &[Token], sentences: &[Sentence], ex: &mut Extraction) {
    if ex.persons.is_empty() {
        return;
    }
    let mut lex: Lexicon<String> = Lexicon::new();
    for p in &ex.persons {
        lex.insert(&p.name, p.name.clone());
    }
    let mut seen: std::collections::HashSet<(usize, usize)> =
        ex.persons.iter().map(|p| p.tokens).collect();
    for s in sentences {
        if matches!(s.kind, LineKind::Noise | LineKind::Shouting) {
            continue;
        }
        let mut i = s.first;
        while i < s.last {
            match lex.longest(&tokens[..s.last], i) {
                Some((len, name)) if tokens[i].cap => {
                    let span = (i, i + len);
                    let ends_name =
                        i + len >= s.last || !(tokens[i + len].cap && tokens[i + len].word);
                    if ends_name && seen.insert(span) {
                        ex.persons.push(PersonMention {
                            tokens: span,
                            name: name.clone(),
                        });
                    }
                    i += len;
                }
                _ => i += 1,
            }
        }
    }
}
