//! Stage 3: extract. Mentions of persons, organisations, places and titles, and the positions
//! that link them, found sentence by sentence in a [`Prepared`] text.
//!
//! Each sentence is cut into chunks ([`chunk`]) by the reference lexicons, longest match first;
//! positions come from the order of chunks ([`positions`]): a title before a name, a name then a
//! dash, comma or parenthesis and a chain of posts, `nguyên` for a former post.
//! Nothing here knows about canonical names across documents: that is [`crate::resolve`].

mod chunk;
mod positions;

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
}

/// Extracts mentions and positions from a prepared document.
pub fn extract(doc: &Prepared) -> Extraction {
    let mut ex = Extraction::default();
    for (si, s) in doc.sentences.iter().enumerate() {
        if matches!(
            s.kind,
            LineKind::Noise | LineKind::Shouting | LineKind::Byline
        ) {
            continue;
        }
        let chunks = chunk::chunk_sentence(&doc.text, &doc.tokens, s.first, s.last, si, &mut ex);
        share_list_locality(&chunks, &mut ex);
        positions::link(&doc.text, &doc.tokens, &chunks, si, &mut ex);
    }
    chunk::find_repeated_names(&doc.tokens, &doc.sentences, &mut ex);
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
mod tests;
