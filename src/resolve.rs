//! Stage 4: resolve. Canonical names and identities for what one document mentions.
//!
//! The document's own locality (its main province and district, from what it names most)
//! completes bodies whose locality is implicit: "Sở Y tế" in an article about Thanh Hóa is the
//! `Sở Y tế tỉnh Thanh Hóa`. Every entity gets an identity key that is the same in every
//! document for the same canonical name, so the RDF stage mints one IRI for it.

mod relations;

pub use relations::{Agreement, Award, Donation, Event, Legal, Relations, Role};

use crate::extract::{Extraction, Locality, OrgMention};
use crate::reference::{self, Level, Scope};
use crate::text::{ascii_slug, fold, CharIndex, Prepared};
use std::collections::{BTreeSet, HashMap};

/// The kind of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A named person.
    Person,
    /// An organisation.
    Organization,
    /// An administrative place.
    Place,
}

impl Kind {
    /// The type name used in the mentions export.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "Person",
            Kind::Organization => "Organization",
            Kind::Place => "Place",
        }
    }
}

/// An entity as one document presents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Its kind.
    pub kind: Kind,
    /// The path of its IRI below the vnkg resource base ("person/do-xuan-tuyen-7c1f0a").
    pub id: String,
    /// Canonical name.
    pub label: String,
    /// Other names the document uses for it.
    pub alt_labels: BTreeSet<String>,
    /// For places: the level.
    pub level: Option<Level>,
    /// For organisations: the kind of body (a concept of the ontology's `kind:` scheme).
    pub org_kind: Option<String>,
    /// The body it is a unit of, or the place it lies in: index into [`Resolved::entities`].
    pub parent: Option<usize>,
    /// For places and local bodies: the province (index into the reference provinces).
    pub province: Option<usize>,
}

/// A mention of an entity: a span of the NFC text in Unicode characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// Index into [`Resolved::entities`].
    pub entity: usize,
}

/// A post held by a person, as one document states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// Index of the person entity.
    pub person: usize,
    /// Canonical title.
    pub title: String,
    /// Index of the organisation entity, when known.
    pub org: Option<usize>,
    /// Held before the document's date ("nguyên").
    pub former: bool,
    /// The sentence that states it, in characters.
    pub sentence: (usize, usize),
}

/// What one document says, resolved.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Entities, each once.
    pub entities: Vec<Entity>,
    /// Mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Positions, each once.
    pub positions: Vec<Position>,
    /// The document's main province (index into the reference provinces).
    pub province: Option<usize>,
    /// Events, agreements, awards, donations and legal documents.
    pub relations: Relations,
}

/// A short stable hash (FNV-1a, 24 bits shown) that keeps IRIs of different names apart when
/// their ASCII slugs coincide ("Cường" and "Cương").
fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:06x}", h & 0xff_ffff)
}

/// The identity key of a name: folded, punctuation dropped, and a level word before a proper
/// name dropped ("Sở Y tế tỉnh Thanh Hóa" = "Sở Y tế Thanh Hoá").
pub fn name_key(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let cap = |w: Option<&&str>| {
        w.and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let lw = fold(words[i]);
        let pair = words.get(i + 1).map(|n| format!("{lw} {}", fold(n)));
        if matches!(pair.as_deref(), Some("thành phố" | "thị xã" | "thị trấn"))
            && cap(words.get(i + 2))
        {
            i += 2;
            continue;
        }
        if matches!(
            lw.as_str(),
            "tỉnh" | "huyện" | "quận" | "xã" | "phường" | "tp" | "tp."
        ) && cap(words.get(i + 1))
            && fold(words[i + 1]) != "ủy"
        {
            i += 1;
            continue;
        }
        out.push(lw);
        i += 1;
    }
    out.join(" ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn entity_id(kind: &str, label: &str, key: &str) -> String {
    let slug: String = ascii_slug(label).chars().take(60).collect();
    format!("{kind}/{slug}-{}", short_hash(key))
}

/// The level word written before a place ("huyện", "thị xã", "thành phố"), canonical; the
/// usual word of its level when none is written.
fn level_word(doc: &Prepared, p: &crate::extract::PlaceMention) -> String {
    match reference::get().level_lex.longest(&doc.tokens, p.tokens.0) {
        Some((_, (_, word))) => word.clone(),
        None => match p.level {
            Level::Province => "tỉnh",
            Level::City => "thành phố",
            Level::District => "huyện",
            Level::Commune => "xã",
        }
        .to_string(),
    }
}

/// The document's place of a level: its main province, or its main district.
struct Context {
    province: Option<usize>,
    district: Option<(String, String)>, // (level word, name)
}

fn context(ex: &Extraction, doc: &Prepared) -> Context {
    let mut provinces: HashMap<usize, (usize, usize)> = HashMap::new(); // idx -> (count, first)
    let mut districts: HashMap<String, (usize, usize, String)> = HashMap::new();
    for (n, p) in ex.places.iter().enumerate() {
        if let Some(pi) = p.province {
            let e = provinces.entry(pi).or_insert((0, n));
            e.0 += 1;
        } else if p.level == Level::District {
            let word = level_word(doc, p);
            let e = districts.entry(p.name.clone()).or_insert((0, n, word));
            e.0 += 1;
        }
    }
    let province = provinces
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(p, _)| p);
    let district = districts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(name, (_, _, word))| (word, name));
    Context { province, district }
}

struct Builder<'a> {
    doc: &'a Prepared,
    ex: &'a Extraction,
    ctx: Context,
    chars: CharIndex,
    out: Resolved,
    by_id: HashMap<String, usize>,
}

impl Builder<'_> {
    fn entity(&mut self, e: Entity) -> usize {
        if let Some(&i) = self.by_id.get(&e.id) {
            let have = &mut self.out.entities[i];
            have.alt_labels.extend(e.alt_labels);
            if have.parent.is_none() {
                have.parent = e.parent;
            }
            return i;
        }
        self.by_id.insert(e.id.clone(), self.out.entities.len());
        self.out.entities.push(e);
        self.out.entities.len() - 1
    }

    fn span(&self, tokens: (usize, usize)) -> (usize, usize, String) {
        let (a, b) = (
            self.doc.tokens[tokens.0].start,
            self.doc.tokens[tokens.1 - 1].end,
        );
        (
            self.chars.char_at(a),
            self.chars.char_at(b),
            self.doc.text[a..b].to_string(),
        )
    }

    fn mention(&mut self, tokens: (usize, usize), entity: usize) {
        let (start, end, text) = self.span(tokens);
        if text != self.out.entities[entity].label {
            self.out.entities[entity].alt_labels.insert(text.clone());
        }
        self.out.mentions.push(Mention {
            start,
            end,
            text,
            entity,
        });
    }

    fn province_entity(&mut self, p: usize) -> usize {
        let r = reference::get();
        let prov = &r.provinces[p];
        self.entity(Entity {
            kind: Kind::Place,
            id: format!("place/{}", prov.slug),
            label: prov.name.clone(),
            alt_labels: BTreeSet::new(),
            level: Some(Level::Province),
            org_kind: None,
            parent: None,
            province: Some(p),
        })
    }

    fn place_entity(&mut self, pi: usize) -> usize {
        let p = &self.ex.places[pi];
        if let Some(prov) = p.province {
            return self.province_entity(prov);
        }
        let within = self.ctx.province;
        let key = format!(
            "{}|{}|{}",
            p.level.as_str(),
            name_key(&p.name),
            within
                .map(|w| reference::get().provinces[w].slug.as_str())
                .unwrap_or("")
        );
        let parent = within.map(|w| self.province_entity(w));
        self.entity(Entity {
            kind: Kind::Place,
            id: entity_id(&format!("place/{}", p.level.as_str()), &p.name, &key),
            label: p.name.clone(),
            alt_labels: BTreeSet::new(),
            level: Some(p.level),
            org_kind: None,
            parent,
            province: within,
        })
    }

    /// Level word, name and province of a locality, explicit or from the document.
    fn locality(
        &self,
        o: &OrgMention,
        default: Level,
    ) -> Option<(String, String, Option<usize>, Level)> {
        let r = reference::get();
        let of_level = |level: Level| -> Option<(String, String, Option<usize>, Level)> {
            match level {
                Level::Province => self.ctx.province.map(|p| {
                    let prov = &r.provinces[p];
                    (
                        prov.level_word().to_string(),
                        prov.name.clone(),
                        Some(p),
                        Level::Province,
                    )
                }),
                Level::District | Level::City => self
                    .ctx
                    .district
                    .clone()
                    .map(|(w, n)| (w, n, self.ctx.province, Level::District)),
                Level::Commune => None,
            }
        };
        match &o.locality {
            Locality::Place(pi) => {
                let p = &self.ex.places[*pi];
                match p.province {
                    Some(prov) => {
                        let pr = &r.provinces[prov];
                        Some((
                            pr.level_word().to_string(),
                            pr.name.clone(),
                            Some(prov),
                            Level::Province,
                        ))
                    }
                    None => {
                        let word = level_word(self.doc, p);
                        Some((word, p.name.clone(), self.ctx.province, p.level))
                    }
                }
            }
            Locality::LevelOnly(level) => of_level(*level),
            Locality::Unstated => of_level(default),
        }
    }

    /// The canonical name of an organisation mention, or None when it names no particular body.
    fn org_label(
        &mut self,
        oi: usize,
        depth: usize,
    ) -> Option<(String, Option<usize>, Option<usize>)> {
        let r = reference::get();
        let o = &self.ex.orgs[oi];
        if o.generic || depth > 3 {
            return None;
        }
        let head = &r.heads[o.head];
        let parent = match o.parent {
            Some(p) => self.org_entity(p, depth + 1),
            None => None,
        };
        match head.scope {
            Scope::None => None,
            Scope::National => Some((head.canonical.clone(), None, parent)),
            Scope::Province | Scope::Admin => {
                let default = if head.scope == Scope::Province {
                    Level::Province
                } else {
                    head.default_level
                };
                let (word, name, prov, _) = self.locality(o, default)?;
                let label = if head.level_in_head() {
                    format!("{} {}", head.canonical, name)
                } else {
                    format!("{} {} {}", head.canonical, word, name)
                };
                Some((label, prov, parent))
            }
            Scope::Named => {
                let has_place = matches!(o.locality, Locality::Place(_));
                if o.descriptor.is_empty() && parent.is_none() && !has_place {
                    return None; // a bare "Sở", "Bệnh viện": resolved against the document later
                }
                if head.sub && o.descriptor.is_empty() && parent.is_none() {
                    return None;
                }
                let mut label = head.canonical.clone();
                if !o.descriptor.is_empty() {
                    label.push(' ');
                    label.push_str(&o.descriptor);
                }
                let mut prov = None;
                if has_place
                    || (!o.descriptor.is_empty() && matches!(o.locality, Locality::LevelOnly(_)))
                {
                    if let Some((word, name, p, _)) = self.locality(o, Level::Province) {
                        label = format!("{label} {word} {name}");
                        prov = p;
                    }
                }
                if let Some(pe) = parent {
                    label = format!("{label} {}", self.out.entities[pe].label);
                }
                Some((label, prov, parent))
            }
        }
    }

    fn org_entity(&mut self, oi: usize, depth: usize) -> Option<usize> {
        let r = reference::get();
        if r.heads[self.ex.orgs[oi].head].kind == "board" {
            // a board speaks for its body: "Ban Chấp hành Hiệp hội X" stands for Hiệp hội X
            let parent = self.ex.orgs[oi].parent?;
            return self.org_entity(parent, depth + 1);
        }
        let (label, province, parent) = self.org_label(oi, depth)?;
        let kind = r.heads[self.ex.orgs[oi].head].kind.clone();
        let key = name_key(&label);
        Some(self.entity(Entity {
            kind: Kind::Organization,
            id: entity_id("org", &label, &key),
            label,
            alt_labels: BTreeSet::new(),
            level: None,
            org_kind: Some(kind).filter(|k| !k.is_empty()),
            parent,
            province,
        }))
    }

    /// A bare named head ("Giám đốc Sở", "Bệnh viện") refers to the body of that head the
    /// document names most.
    fn bare_org(&self, oi: usize, counts: &HashMap<usize, usize>) -> Option<usize> {
        let r = reference::get();
        let o = &self.ex.orgs[oi];
        if o.generic || !o.descriptor.is_empty() || o.parent.is_some() {
            return None;
        }
        let prefix = format!("{} ", r.heads[o.head].canonical);
        self.most_named(counts, |e| {
            e.kind == Kind::Organization && e.label.starts_with(&prefix)
        })
    }

    /// Of the organisations counted in `counts`, the one the document names most that `pred`
    /// accepts (ties: the one resolved first).
    fn most_named(
        &self,
        counts: &HashMap<usize, usize>,
        pred: impl Fn(&Entity) -> bool,
    ) -> Option<usize> {
        counts
            .iter()
            .filter(|(&e, _)| pred(&self.out.entities[e]))
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(&e, _)| e)
    }
}

/// The longer name of the document that `name` is the end of, when exactly one such exists.
fn full_name(name: &str, all: &[String]) -> String {
    let key = format!(" {}", name_key(name));
    let mut longer: Vec<&String> = all
        .iter()
        .filter(|other| {
            let k = name_key(other);
            k.len() > key.len() && k.ends_with(&key)
        })
        .collect();
    longer.sort();
    longer.dedup();
    match longer.as_slice() {
        [one] => (*one).clone(),
        _ => name.to_string(),
    }
}

/// Resolves one document's extraction; `date` is the document's date (`YYYY-MM-DD` or
/// `YYYY-MM`), which completes dates written without a year.
pub fn resolve(doc: &Prepared, ex: &Extraction, date: Option<&str>) -> Resolved {
    let ctx = context(ex, doc);
    let mut b = Builder {
        doc,
        ex,
        ctx,
        chars: CharIndex::new(&doc.text),
        out: Resolved::default(),
        by_id: HashMap::new(),
    };
    b.out.province = b.ctx.province;

    // places
    let mut place_of = Vec::with_capacity(ex.places.len());
    for pi in 0..ex.places.len() {
        let e = b.place_entity(pi);
        place_of.push(e);
        b.mention(ex.places[pi].tokens, e);
    }
    // organisations
    let mut org_of: Vec<Option<usize>> = vec![None; ex.orgs.len()];
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for (oi, slot) in org_of.iter_mut().enumerate() {
        *slot = b.org_entity(oi, 0);
        if let Some(e) = *slot {
            *counts.entry(e).or_default() += 1;
        }
    }
    for (oi, slot) in org_of.iter_mut().enumerate() {
        if slot.is_none() {
            *slot = b.bare_org(oi, &counts);
        }
        if let (Some(e), false) = (*slot, ex.orgs[oi].implied) {
            b.mention(ex.orgs[oi].tokens, e);
        }
    }
    // persons; a short form ("BS Tuấn Như") is the one person whose full name ends with it
    let full: Vec<String> = ex.persons.iter().map(|p| p.name.clone()).collect();
    let mut person_of: Vec<usize> = Vec::with_capacity(ex.persons.len());
    for p in &ex.persons {
        let name = full_name(&p.name, &full);
        let key = name_key(&name);
        let e = b.entity(Entity {
            kind: Kind::Person,
            id: entity_id("person", &name, &key),
            label: name,
            alt_labels: BTreeSet::new(),
            level: None,
            org_kind: None,
            parent: None,
            province: None,
        });
        person_of.push(e);
        b.mention(p.tokens, e);
    }
    // a minister's title without a ministry ("Thứ trưởng Lê An dẫn đầu đoàn của Bộ Y tế") is of
    // the ministry the document names most; the head of a unit without a body ("Trưởng khoa Nội
    // cho biết") works in the hospital the document names most
    let of_kind = |kind: &str| b.most_named(&counts, |e| e.org_kind.as_deref() == Some(kind));
    let (ministry, hospital) = (of_kind("ministry"), of_kind("hospital"));
    // positions: one per (person, title, org, former); an org-less one only where the same
    // person and title have no organisation anywhere in the document
    let mut seen = BTreeSet::new();
    let mut positions = Vec::new();
    for pm in &ex.positions {
        let person = person_of[pm.person];
        let t = &reference::get().titles[pm.title];
        let org = match pm.org.and_then(|o| org_of[o]) {
            None if t.ministry => ministry,
            None if t.unit => hospital,
            org => org,
        };
        let title = t.canonical.clone();
        if seen.insert((person, title.clone(), org, pm.former)) {
            let s = &doc.sentences[pm.sentence];
            let span = (
                b.chars.char_at(doc.tokens[s.first].start),
                b.chars.char_at(doc.tokens[s.last - 1].end),
            );
            positions.push(Position {
                person,
                title,
                org,
                former: pm.former,
                sentence: span,
            });
        }
    }
    let with_org: BTreeSet<(usize, String, bool)> = positions
        .iter()
        .filter(|p| p.org.is_some())
        .map(|p| (p.person, p.title.clone(), p.former))
        .collect();
    positions
        .retain(|p| p.org.is_some() || !with_org.contains(&(p.person, p.title.clone(), p.former)));
    b.out.positions = positions;
    let chars = &b.chars;
    let sentence_span = |si: usize| {
        let s = &doc.sentences[si];
        (
            chars.char_at(doc.tokens[s.first].start),
            chars.char_at(doc.tokens[s.last - 1].end),
        )
    };
    let token_span = |(a, z): (usize, usize)| {
        (
            chars.char_at(doc.tokens[a].start),
            chars.char_at(doc.tokens[z - 1].end),
        )
    };
    let maps = relations::Maps {
        org_of: &org_of,
        person_of: &person_of,
        place_of: &place_of,
        sentence_span: &sentence_span,
        token_span: &token_span,
        doc_date: date,
    };
    b.out.relations = relations::resolve(ex, &maps);
    b.out.mentions.sort_by_key(|m| (m.start, m.end));
    b.out.mentions.dedup_by_key(|m| (m.start, m.end, m.entity));
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_key_drops_level_words_and_folds() {
        assert_eq!(
            name_key("Sở Y tế tỉnh Thanh Hóa"),
            name_key("Sở Y tế Thanh Hoá")
        );
        assert_eq!(
            name_key("Trung tâm Y tế huyện Đắk Song"),
            name_key("Trung tâm y tế Đăk Song")
        );
        assert_ne!(name_key("Tỉnh ủy Hà Giang"), name_key("Hà Giang"));
        assert_eq!(
            name_key("Ủy ban nhân dân thành phố Hà Nội"),
            name_key("Ủy ban nhân dân Hà Nội")
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = entity_id("person", "Lê Văn Cường", &name_key("Lê Văn Cường"));
        let b = entity_id("person", "Lê Văn Cương", &name_key("Lê Văn Cương"));
        assert!(a.starts_with("person/le-van-cuong-"));
        assert_ne!(a, b);
        assert_eq!(
            a,
            entity_id("person", "Lê Văn Cường", &name_key("lê văn cường"))
        );
    }
}
