//! Stage 3: extract. Mentions of persons, organisations, places and titles, and the positions
//! that link them, found sentence by sentence in a [`Prepared`] text.
//!
//! Each sentence is cut into chunks ([`chunk`]) by the reference lexicons, longest match first;
//! positions come from the order of chunks ([`positions`]): a title before a name, a name then a
//! dash, comma or parenthesis and a chain of posts, `nguyên` for a former post.
//! Nothing here knows about canonical names across documents: that is [`crate::resolve`].

mod chunk;
pub mod forms;
mod positions;
mod relations;

use crate::reference::Level;
use crate::text::{LineKind, Prepared};

/// A place named in the text, or the locality of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    /// Token range of the name (and its level word, if written).
    pub tokens: (usize, usize),
    /// The bare name, abbreviations expanded ("Lũng Cú", "Hồ Chí Minh").
    pub name: String,
    /// The level the text gives it.
    pub level: Level,
    /// Index of the province in the reference data, for a known province.
    pub province: Option<usize>,
    /// True when it stands inside an organisation's name as its locality.
    pub in_org: bool,
}

/// Where an organisation is, as the text says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locality {
    /// Nothing written: the document's locality applies, if the head takes one.
    Unstated,
    /// A level word without a name ("UBND tỉnh"): the document's place of that level.
    LevelOnly(Level),
    /// A named place: index into [`Extraction::places`].
    Place(usize),
}

/// An organisation mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    /// Token range; for an organisation implied by a title, the title's range.
    pub tokens: (usize, usize),
    /// Index of the head in the reference data.
    pub head: usize,
    /// The proper name after the head, abbreviations expanded; empty for complete heads.
    pub descriptor: String,
    /// Its locality.
    pub locality: Locality,
    /// The body it is a unit of, written right after it: index into [`Extraction::orgs`].
    pub parent: Option<usize>,
    /// A generic use ("các Sở", "UBND cấp huyện"): not a particular body.
    pub generic: bool,
    /// Not written: implied by a title ("Tỉnh ủy viên" implies the Tỉnh ủy).
    pub implied: bool,
    /// The sentence it stands in.
    pub sentence: usize,
}

impl OrgMention {
    /// A body not written as such but implied: by a title ("Tỉnh ủy viên" -> the Tỉnh ủy),
    /// by "Chủ tịch tỉnh X", or by an issuer code in a document number ("QĐ-TTg").
    pub fn implied(
        tokens: (usize, usize),
        head: usize,
        locality: Locality,
        sentence: usize,
    ) -> Self {
        OrgMention {
            tokens,
            head,
            descriptor: String::new(),
            locality,
            parent: None,
            generic: false,
            implied: true,
            sentence,
        }
    }
}

/// A person mention: a full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMention {
    /// Token range of the name (honorifics and titles excluded).
    pub tokens: (usize, usize),
    /// The name, each syllable capitalised.
    pub name: String,
}

/// A person seen holding a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionMention {
    /// Index into [`Extraction::persons`].
    pub person: usize,
    /// Index of the title in the reference data.
    pub title: usize,
    /// Token range of the title as written.
    pub title_tokens: (usize, usize),
    /// Index into [`Extraction::orgs`].
    pub org: Option<usize>,
    /// A post held before ("nguyên Giám đốc").
    pub former: bool,
    /// The sentence that states it.
    pub sentence: usize,
}

/// A date written in the text; the year may be missing ("Sáng 8-1").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    /// Token range.
    pub tokens: (usize, usize),
    /// The date as written.
    pub form: forms::DateForm,
    /// The sentence it stands in.
    pub sentence: usize,
}

/// Who takes a role in a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agent {
    /// A person: index into [`Extraction::persons`].
    Person(usize),
    /// A body: index into [`Extraction::orgs`].
    Org(usize),
    /// A post named without its holder ("Thủ tướng Chính phủ", "Chủ tịch UBND tỉnh"): index of
    /// the title in the reference data and the body, written or implied.
    Office {
        /// Title index.
        title: usize,
        /// Index into [`Extraction::orgs`].
        org: Option<usize>,
    },
}

/// A meeting, conference, working visit or ceremony the article reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMention {
    /// Kind: a concept of the event-kind scheme (conference, working_visit, ...).
    pub kind: String,
    /// Token range of the word that names it.
    pub cue: (usize, usize),
    /// The sentence that reports it.
    pub sentence: usize,
    /// Its date: index into [`Extraction::dates`].
    pub date: Option<usize>,
    /// Where it took place: index into [`Extraction::places`].
    pub place: Option<usize>,
    /// Who held it; for a working visit, the visiting bodies.
    pub organizers: Vec<Agent>,
    /// Who chaired it.
    pub chairs: Vec<Agent>,
    /// Who took part (chairs and organisers excluded).
    pub participants: Vec<Agent>,
    /// The other sentences that report what happened there.
    pub sentences: Vec<usize>,
}

/// An agreement, a cooperation rule or a signed support deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementMention {
    /// Token range of the word that names it.
    pub cue: (usize, usize),
    /// The sentence that states it.
    pub sentence: usize,
    /// The parties.
    pub parties: Vec<Agent>,
    /// What it is about, as written ("hỗ trợ chuyên môn", "quy chế phối hợp về ...").
    pub topic: String,
    /// Its number: index into [`Extraction::legal`].
    pub number: Option<usize>,
    /// Its date: index into [`Extraction::dates`].
    pub date: Option<usize>,
    /// Signed at the article's event (its date is the event's when none is written).
    pub at_event: bool,
    /// The period it covers ("giai đoạn 2020-2023").
    pub period: Option<(i32, i32)>,
}

/// A distinction conferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardMention {
    /// The award's name as conferred, class included ("Huân chương Lao động hạng Nhì").
    pub name: String,
    /// Index of the award in the reference data.
    pub award: usize,
    /// Token range of the award's name.
    pub tokens: (usize, usize),
    /// The sentence that states it.
    pub sentence: usize,
    /// Who received it.
    pub recipient: Agent,
    /// The authority that grants it ("của Thủ tướng Chính phủ", "thừa ủy quyền của ...").
    pub grantor: Option<Agent>,
    /// Who handed it over.
    pub presenter: Option<Agent>,
    /// Its date: index into [`Extraction::dates`].
    pub date: Option<usize>,
    /// Conferred at the article's event.
    pub at_event: bool,
}

/// Money given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationMention {
    /// Token range of the amount.
    pub tokens: (usize, usize),
    /// The amount in đồng.
    pub amount: u64,
    /// The sentence that states it.
    pub sentence: usize,
    /// Who gave it.
    pub donor: Agent,
    /// Who received it.
    pub recipient: Option<Agent>,
    /// What it is for, as written.
    pub purpose: Option<String>,
    /// Its date: index into [`Extraction::dates`].
    pub date: Option<usize>,
    /// Given at the article's event.
    pub at_event: bool,
}

/// A numbered legal or administrative document cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalMention {
    /// Token range of the number.
    pub tokens: (usize, usize),
    /// The number, whitespace removed ("2348/QĐ-TTg").
    pub number: String,
    /// Index of its kind in the reference data (Quyết định, Nghị quyết, ...).
    pub kind: Option<usize>,
    /// Its kind as the text names it, when that is more precise than the table ("Quy chế phối hợp").
    pub kind_name: Option<String>,
    /// Who issued it.
    pub issuers: Vec<Agent>,
    /// Its date: index into [`Extraction::dates`].
    pub date: Option<usize>,
    /// The year written in the number.
    pub year: Option<i32>,
    /// The sentence that cites it.
    pub sentence: usize,
}

/// Everything found in one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Person mentions.
    pub persons: Vec<PersonMention>,
    /// Organisation mentions (with implied ones).
    pub orgs: Vec<OrgMention>,
    /// Place mentions (with organisation localities).
    pub places: Vec<PlaceMention>,
    /// Positions.
    pub positions: Vec<PositionMention>,
    /// Dates written in the text.
    pub dates: Vec<DateMention>,
    /// The events reported; the first is the article's main event.
    pub events: Vec<EventMention>,
    /// Agreements.
    pub agreements: Vec<AgreementMention>,
    /// Awards.
    pub awards: Vec<AwardMention>,
    /// Donations.
    pub donations: Vec<DonationMention>,
    /// Legal documents cited.
    pub legal: Vec<LegalMention>,
    /// Every title written, as (title index, token range), in text order.
    pub titles: Vec<(usize, (usize, usize))>,
}

/// Extracts mentions and positions from a prepared document.
pub fn extract(doc: &Prepared) -> Extraction {
    let mut ex = Extraction::default();
    let mut titles = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        if matches!(
            s.kind,
            LineKind::Noise | LineKind::Shouting | LineKind::Byline
        ) {
            continue;
        }
        let mut chunks =
            chunk::chunk_sentence(&doc.text, &doc.tokens, s.first, s.last, si, &mut ex);
        chunk::listed_persons(&doc.text, &doc.tokens, &mut chunks, &mut ex);
        share_list_locality(&chunks, &mut ex);
        positions::link(&doc.text, &doc.tokens, &chunks, si, &mut ex);
        titles.extend(chunks.iter().filter_map(|c| match c {
            chunk::Chunk::Title(t, span) => Some((*t, *span)),
            _ => None,
        }));
    }
    chunk::find_repeated_names(&doc.tokens, &doc.sentences, &mut ex);
    relations::find(doc, &titles, &mut ex);
    ex.titles = titles;
    ex
}

/// In a list of bodies, a level written once applies to those before it: "Huyện ủy, HĐND,
/// UBND huyện" are all of the district.
fn share_list_locality(chunks: &[chunk::Chunk], ex: &mut Extraction) {
    use chunk::Chunk;
    let r = crate::reference::get();
    let admin = |ex: &Extraction, o: usize| {
        r.heads[ex.orgs[o].head].scope == crate::reference::Scope::Admin
    };
    for (i, c) in chunks.iter().enumerate() {
        let Chunk::Org(o) = c else { continue };
        if ex.orgs[*o].locality != Locality::Unstated || !admin(ex, *o) {
            continue;
        }
        let mut j = i + 1;
        while j + 1 < chunks.len() {
            let joined = matches!(&chunks[j], Chunk::Sep(s) if s == ",")
                || matches!(&chunks[j], Chunk::Word(w) if w == "và");
            let Chunk::Org(next) = &chunks[j + 1] else {
                break;
            };
            if !joined || !admin(ex, *next) {
                break;
            }
            if ex.orgs[*next].locality != Locality::Unstated {
                ex.orgs[*o].locality = ex.orgs[*next].locality.clone();
                break;
            }
            j += 2;
        }
    }
}

#[cfg(test)]
mod relation_tests;
#[cfg(test)]
mod sector_tests;
#[cfg(test)]
mod tests;
