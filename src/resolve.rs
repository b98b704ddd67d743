//! Stage 4: resolve. Canonical names and identities for what one document mentions.
//!
//! The document's own locality (its main province and district, from what it names most)
//! completes bodies whose locality is implicit: "Sở Y tế" in an article about Thanh Hóa is the
//! `Sở Y tế tỉnh Thanh Hóa`. Every entity gets an identity key that is the same in every
//! document for the same canonical name, so the RDF stage mints one IRI for it.

pub mod bodies;
pub mod identity;
mod relations;

pub use identity::PersonIdentity;
pub use relations::{Agreement, Award, Donation, Event, Legal, Relations, Role};

use crate::extract::{Extraction, Locality, OrgMention};
use crate::reference::{self, Level, Scope};
use crate::text::{ascii_slug, fold, CharIndex, Prepared};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// Not named by the document: only the parent of a body it names, by the reference
    /// hierarchy (the Ủy ban nhân dân of a Sở).
    pub inferred: bool,
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
    /// What the document says about who each person is, for linking across documents.
    pub identities: Vec<PersonIdentity>,
}

impl Resolved {
    /// Gives each person the id of [`identity::local_id`] for the document `doc_id`: by the
    /// anchors of a full name's posts, else by the document. Call once, before the RDF stage.
    pub fn identify(&mut self, doc_id: &str) {
        for p in &self.identities {
            self.entities[p.entity].id = identity::local_id(p, doc_id);
        }
    }
}

/// A short stable hash (FNV-1a, 24 bits shown) that keeps IRIs of different names apart when
/// their ASCII slugs coincide ("Cường" and "Cương").
pub(crate) fn short_hash(s: &str) -> String {
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
    /// The main province is named at least twice as often as any other: a district or commune
    /// named without its province is taken to lie in it.
    dominant: bool,
    /// The main province is named more often than any other: a provincial body named without
    /// its province is taken to be of it.
    leading: bool,
    district: Option<(String, String)>, // (level word, name)
}

impl Context {
    /// The province of a district or commune named without one.
    fn local_province(&self) -> Option<usize> {
        self.province.filter(|_| self.dominant)
    }

    /// The province of a provincial body named without one ("Công an tỉnh", "Sở Y tế"): the
    /// main province, when the document names it more often than any other.
    fn body_province(&self) -> Option<usize> {
        self.province.filter(|_| self.leading)
    }
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
    let mut ranked: Vec<(usize, (usize, usize))> = provinces.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    let province = ranked.first().map(|(p, _)| *p);
    let dominant = match ranked.as_slice() {
        [] | [_] => true,
        [a, b, ..] => a.1 .0 >= 2 * b.1 .0,
    };
    let leading = match ranked.as_slice() {
        [] | [_] => true,
        [a, b, ..] => a.1 .0 > b.1 .0,
    };
    let district = districts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(name, (_, _, word))| (word, name));
    Context {
        province,
        dominant,
        leading,
        district,
    }
}

/// A district or a provincial city.
fn is_district(q: &crate::extract::PlaceMention) -> bool {
    matches!(q.level, Level::District | Level::City)
}

/// The first district (or provincial city) named without a province, when every such one is
/// of one name: the district a commune lies in when nothing is written after it.
fn lone_district(ex: &Extraction) -> Option<usize> {
    let mut names = ex
        .places
        .iter()
        .enumerate()
        .filter(|(_, q)| is_district(q) && q.province.is_none());
    let (first, q) = names.next()?;
    let key = name_key(&q.name);
    names
        .all(|(_, o)| name_key(&o.name) == key)
        .then_some(first)
}

/// Where a local body is: the level word, the place's name, its province, its level.
type Place = (String, String, Option<usize>, Level);

/// The hierarchy rules that name one body, by the body's name key.
fn named_rules() -> &'static HashMap<String, usize> {
    static RULES: std::sync::OnceLock<HashMap<String, usize>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, rule) in reference::get().hierarchy.iter().enumerate() {
            if let reference::ChildMatch::Name(n) = &rule.child {
                m.entry(name_key(n)).or_insert(i);
            }
        }
        m
    })
}

/// True for a unit every ministry has (a hierarchy rule gives it the document's ministry):
/// its name alone does not say which ministry's it is.
fn per_ministry(label: &str, head: usize) -> bool {
    let key = name_key(label);
    reference::get().hierarchy.iter().any(|rule| {
        rule.parent_kind.is_some()
            && match &rule.child {
                reference::ChildMatch::Name(n) => name_key(n) == key,
                reference::ChildMatch::Head(h) => *h == head,
                reference::ChildMatch::Kind(_) => false,
            }
    })
}

/// A body's canonical name, province, parent entity and place.
type OrgName = (String, Option<usize>, Option<usize>, Option<Place>);

/// A provincial city ("thành phố Thanh Hóa") is of district rank.
fn level_of(l: Level) -> Level {
    match l {
        Level::City => Level::District,
        l => l,
    }
}

/// The canonical name of a body of `head` in `place`: "Sở Y tế tỉnh Thanh Hóa", "Tỉnh ủy Hà
/// Giang" (a party committee carries its level in its head).
fn local_label(head: &reference::Head, place: &Place) -> String {
    if head.level_in_head() {
        format!("{} {}", head.canonical, place.1)
    } else {
        format!("{} {} {}", head.canonical, place.0, place.1)
    }
}

struct Builder<'a> {
    doc: &'a Prepared,
    ex: &'a Extraction,
    ctx: Context,
    chars: CharIndex,
    out: Resolved,
    by_id: HashMap<String, usize>,
    /// Organisation entities: their head and place, for the hierarchy.
    org_place: HashMap<usize, (usize, Option<Place>)>,
    /// The document's date: a province renamed since is called by its name of then.
    date: Option<String>,
    /// The places starting at each token.
    place_starting: HashMap<usize, Vec<usize>>,
    /// See [`lone_district`].
    lone_district: Option<usize>,
}

impl Builder<'_> {
    fn entity(&mut self, e: Entity) -> usize {
        if let Some(&i) = self.by_id.get(&e.id) {
            let have = &mut self.out.entities[i];
            have.alt_labels.extend(e.alt_labels);
            if have.parent.is_none() {
                have.parent = e.parent;
            }
            have.inferred &= e.inferred;
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
        self.mention_as(tokens, entity, true);
    }

    /// A mention; with `alias`, its text is another name of the entity.
    fn mention_as(&mut self, tokens: (usize, usize), entity: usize, alias: bool) {
        let (start, end, text) = self.span(tokens);
        if alias && text != self.out.entities[entity].label {
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
            label: prov.name_on(self.date.as_deref()).0.to_string(),
            alt_labels: BTreeSet::new(),
            level: Some(Level::Province),
            org_kind: None,
            parent: None,
            province: Some(p),
            inferred: false,
        })
    }

    fn place_entity(&mut self, pi: usize) -> usize {
        let p = &self.ex.places[pi];
        if let Some(prov) = p.province {
            return self.province_entity(prov);
        }
        let within = self.province_after(pi).or(self.ctx.local_province());
        let key = format!(
            "{}|{}|{}",
            p.level.as_str(),
            name_key(&p.name),
            within
                .map(|w| reference::get().provinces[w].slug.as_str())
                .unwrap_or("")
        );
        let parent = match self.district_of(pi) {
            Some(d) => Some(self.place_entity(d)),
            None => within.map(|w| self.province_entity(w)),
        };
        self.entity(Entity {
            kind: Kind::Place,
            id: entity_id(&format!("place/{}", p.level.as_str()), &p.name, &key),
            label: p.name.clone(),
            alt_labels: BTreeSet::new(),
            level: Some(p.level),
            org_kind: None,
            parent,
            province: within,
            inferred: false,
        })
    }

    /// The province written right after a place ("huyện B, tỉnh C").
    fn province_after(&self, pi: usize) -> Option<usize> {
        self.places_after(pi)
            .first()
            .and_then(|&q| self.ex.places[q].province)
    }

    /// The places written right after the place `pi`, or after it and a comma ("xã A, huyện
    /// B"), in the order of the extraction.
    fn places_after(&self, pi: usize) -> Vec<usize> {
        let end = self.ex.places[pi].tokens.1;
        let comma = self
            .doc
            .tokens
            .get(end)
            .is_some_and(|t| &self.doc.text[t.start..t.end] == ",");
        let at = |k: usize| self.place_starting.get(&k).into_iter().flatten().copied();
        let mut out: Vec<usize> = at(end).chain(at(end + 1).filter(|_| comma)).collect();
        out.sort_unstable();
        out
    }

    /// The district a commune lies in: the one written right after it ("xã A, huyện B"), else
    /// the document's district when it names only one.
    fn district_of(&self, pi: usize) -> Option<usize> {
        let p = &self.ex.places[pi];
        if p.level != Level::Commune {
            return None;
        }
        let next = self.places_after(pi).into_iter().find(|&q| {
            let q = &self.ex.places[q];
            is_district(q) && q.province.is_none()
        });
        next.or(self.lone_district)
    }

    /// Level word, name and province of a locality, explicit or from the document.
    fn locality(&self, o: &OrgMention, default: Level) -> Option<Place> {
        let of_level = |level: Level| -> Option<Place> {
            match level {
                Level::Province => self.province_place(self.ctx.body_province()),
                Level::District | Level::City => self.district_place(),
                Level::Commune => None,
            }
        };
        match &o.locality {
            Locality::Place(pi) => {
                let p = &self.ex.places[*pi];
                match p.province {
                    Some(prov) => self.province_place(Some(prov)),
                    None => {
                        let word = level_word(self.doc, p);
                        let within = self.province_after(*pi).or(self.ctx.local_province());
                        Some((word, p.name.clone(), within, p.level))
                    }
                }
            }
            Locality::LevelOnly(level) => of_level(*level),
            Locality::Unstated => of_level(default),
        }
    }

    /// The canonical name of an organisation mention, or None when it names no particular body.
    fn org_label(&mut self, oi: usize, depth: usize) -> Option<OrgName> {
        let r = reference::get();
        let o = &self.ex.orgs[oi];
        if o.generic || depth > 3 {
            return None;
        }
        let head = &r.heads[o.head];
        let parent_mention = o.parent.or_else(|| self.named_parent(oi));
        // a unit of a ministry (a Cục of a Bộ) is one nationwide: its name alone
        let of_nation = parent_mention.is_some_and(|p| {
            let pm = &self.ex.orgs[p];
            r.heads[pm.head].kind == "ministry" && pm.descriptor.is_empty()
        });
        let parent = match parent_mention {
            Some(p) => self.org_entity(p, depth + 1),
            None => None,
        };
        match head.scope {
            Scope::None => None,
            Scope::National => {
                // "Bộ Y tế Lào", "Chính phủ Anh"; "Chính phủ Việt Nam" is the bare "Chính phủ"
                // unless the document names another country's body of the same head
                let vietnam = |d: &str| fold(d) == fold("Việt Nam");
                let foreign = |x: &OrgMention| {
                    x.head == o.head && !x.descriptor.is_empty() && !vietnam(&x.descriptor)
                };
                let label = if o.descriptor.is_empty()
                    || (vietnam(&o.descriptor) && !self.ex.orgs.iter().any(foreign))
                {
                    head.canonical.clone()
                } else {
                    format!("{} {}", head.canonical, o.descriptor)
                };
                Some((label, None, parent, None))
            }
            Scope::Province | Scope::Admin => {
                let default = if head.scope == Scope::Province {
                    Level::Province
                } else {
                    head.default_level
                };
                let place = self.locality(o, default)?;
                let label = local_label(head, &place);
                Some((label, place.2, parent, Some(place)))
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
                let mut at = None;
                if has_place
                    || (!o.descriptor.is_empty() && matches!(o.locality, Locality::LevelOnly(_)))
                {
                    if let Some(place) = self.locality(o, Level::Province) {
                        label = format!("{label} {} {}", place.0, place.1);
                        prov = place.2;
                        at = Some(place);
                    }
                }
                // "Khoa Nội Bệnh viện X": a unit of a hospital, a Sở, a province is named with
                // it; a unit of a ministry only when every ministry has one ("Vụ Pháp chế"); a
                // body with a name of its own ("Công ty X (thuộc Tổng công ty Y)") never
                if let Some(pe) = parent {
                    if head.sub && (!of_nation || per_ministry(&label, o.head)) {
                        label = format!("{label} {}", self.out.entities[pe].label);
                    }
                }
                Some((label, prov, parent, at))
            }
        }
    }

    /// The parent a unit named without one has where the document names it with one: "Cục
    /// An toàn thực phẩm" after "Cục An toàn thực phẩm (Bộ Y tế)" is that Cục. Only when
    /// every such mention gives the same parent.
    fn named_parent(&self, oi: usize) -> Option<usize> {
        let ex = self.ex;
        let o = &ex.orgs[oi];
        if o.descriptor.is_empty() || !reference::get().heads[o.head].sub {
            return None;
        }
        let key = fold(&o.descriptor);
        let mut parents = ex.orgs.iter().filter_map(|x| {
            (x.head == o.head && !x.generic && fold(&x.descriptor) == key)
                .then_some(x.parent)
                .flatten()
        });
        let first = parents.next()?;
        let same = |p: usize| {
            let (a, b) = (&ex.orgs[first], &ex.orgs[p]);
            a.head == b.head && fold(&a.descriptor) == fold(&b.descriptor)
        };
        parents.all(same).then_some(first)
    }

    fn org_entity(&mut self, oi: usize, depth: usize) -> Option<usize> {
        let r = reference::get();
        if r.heads[self.ex.orgs[oi].head].kind == "board" {
            // a board speaks for its body: "Ban Chấp hành Hiệp hội X" stands for Hiệp hội X
            let parent = self.ex.orgs[oi].parent?;
            return self.org_entity(parent, depth + 1);
        }
        let (label, province, parent, place) = self.org_label(oi, depth)?;
        let head = self.ex.orgs[oi].head;
        let e = self.org(&label, head, province, parent, false);
        self.org_place.entry(e).or_insert((head, place));
        Some(e)
    }

    /// The organisation entity of a canonical name.
    fn org(
        &mut self,
        label: &str,
        head: usize,
        province: Option<usize>,
        parent: Option<usize>,
        inferred: bool,
    ) -> usize {
        let kind = reference::get().heads[head].kind.clone();
        let key = name_key(label);
        self.entity(Entity {
            kind: Kind::Organization,
            // by the key alone: "Bệnh viện Đa khoa Cà Mau" and "... tỉnh Cà Mau" are one IRI
            id: entity_id("org", &key, &key),
            label: label.to_string(),
            alt_labels: BTreeSet::new(),
            level: None,
            org_kind: Some(kind).filter(|k| !k.is_empty()),
            parent,
            province,
            inferred,
        })
    }

    /// Gives each body the document names without its parent the parent the reference
    /// hierarchy says, adding the parent (and its own parents) when the document does not
    /// name it: the Sở Y tế of a province belongs to its Ủy ban nhân dân, a district's Trung
    /// tâm Y tế to the province's Sở Y tế.
    fn hierarchy(&mut self, counts: &HashMap<usize, usize>) {
        let r = reference::get();
        let mut todo: Vec<usize> = self.org_place.keys().copied().collect();
        todo.sort_unstable();
        let mut done = BTreeSet::new();
        while let Some(e) = todo.pop() {
            if !done.insert(e) || self.out.entities[e].parent.is_some() {
                continue;
            }
            let Some((head, place)) = self.org_place.get(&e).cloned() else {
                continue;
            };
            let label = name_key(&self.out.entities[e].label);
            let kind = self.out.entities[e].org_kind.clone().unwrap_or_default();
            let applies = |rule: &reference::HierarchyRule| {
                let child = match &rule.child {
                    reference::ChildMatch::Head(h) => *h == head,
                    reference::ChildMatch::Kind(k) => *k == kind,
                    reference::ChildMatch::Name(_) => false,
                };
                child
                    && match &rule.when {
                        reference::When::Always => true,
                        reference::When::Local => place.is_some(),
                        reference::When::Level(l) => {
                            place.as_ref().map(|p| level_of(p.3)) == Some(*l)
                        }
                        reference::When::Contains(w) => {
                            format!(" {label} ").contains(&format!(" {w} "))
                        }
                    }
            };
            // a rule naming this very body first (looked up by key), then the general ones
            let named = named_rules().get(&label).map(|&i| &r.hierarchy[i]);
            let Some(rule) = named.or_else(|| {
                r.hierarchy
                    .iter()
                    .filter(|rule| !matches!(rule.child, reference::ChildMatch::Name(_)))
                    .find(|rule| applies(rule))
            }) else {
                continue;
            };
            if let Some(kind) = &rule.parent_kind {
                // the body of that kind the document names most; the unit's identity is of it
                // ("Vụ Pháp chế" of the Bộ Tư pháp is not the Bộ Y tế's)
                let pe = self.most_named(counts, |x| {
                    x.org_kind.as_deref() == Some(kind.as_str()) && !x.inferred
                });
                if let Some(pe) = pe.filter(|&pe| pe != e) {
                    let label = self.out.entities[e].label.clone();
                    let with_parent = format!("{label} {}", self.out.entities[pe].label);
                    // the IRI of the name written with its ministry ("Vụ Pháp chế Bộ Tư pháp")
                    let key = name_key(&with_parent);
                    self.out.entities[e].id = entity_id("org", &key, &key);
                    self.out.entities[e].parent = Some(pe);
                }
                continue;
            }
            let parent_place = match rule.at {
                reference::ParentAt::National | reference::ParentAt::Document => None,
                reference::ParentAt::Same => place.clone(),
                reference::ParentAt::Up => match place.as_ref().map(|p| level_of(p.3)) {
                    Some(Level::District) => place.as_ref().and_then(|p| self.province_place(p.2)),
                    Some(Level::Commune) => self.district_place(),
                    _ => None,
                },
                reference::ParentAt::Province => {
                    place.as_ref().and_then(|p| self.province_place(p.2))
                }
                reference::ParentAt::District => match place.as_ref().map(|p| level_of(p.3)) {
                    Some(Level::District) => place.clone(),
                    Some(Level::Commune) => self.district_place(),
                    _ => None,
                },
            };
            if rule.at != reference::ParentAt::National && parent_place.is_none() {
                continue;
            }
            let phead = &r.heads[rule.parent];
            let plabel = match &parent_place {
                Some(p) => local_label(phead, p),
                None => phead.canonical.clone(),
            };
            let province = parent_place.as_ref().and_then(|p| p.2);
            let pe = self.org(&plabel, rule.parent, province, None, true);
            if pe == e {
                continue;
            }
            self.org_place
                .entry(pe)
                .or_insert((rule.parent, parent_place));
            self.out.entities[e].parent = Some(pe);
            todo.push(pe);
        }
    }

    /// A title written alone ("Thứ trưởng cho biết", "Giám đốc nhấn mạnh") refers back to the
    /// one person the document gives that title: it becomes a mention of them. Titles of a
    /// post, and titles that two persons of the document hold, are left alone.
    fn title_mentions(&mut self) {
        let r = reference::get();
        let post_titles: BTreeSet<usize> =
            self.ex.positions.iter().map(|p| p.title_tokens.0).collect();
        let taken: BTreeSet<usize> = self
            .ex
            .persons
            .iter()
            .map(|p| p.tokens.0)
            .chain(
                self.ex
                    .orgs
                    .iter()
                    .filter(|o| !o.implied)
                    .map(|o| o.tokens.0),
            )
            .collect();
        for &(ti, (a, z)) in &self.ex.titles {
            if post_titles.contains(&a) {
                continue;
            }
            // alone: what follows is not a name or a body (nor a capitalised word)
            let next = self.doc.tokens.get(z);
            if taken.contains(&z) || next.is_some_and(|t| t.cap) {
                continue;
            }
            let title = &r.titles[ti].canonical;
            let holders: BTreeSet<usize> = self
                .out
                .positions
                .iter()
                .filter(|p| &p.title == title && !p.former)
                .map(|p| p.person)
                .collect();
            if let [one] = holders.iter().copied().collect::<Vec<_>>().as_slice() {
                self.mention_as((a, z), *one, false);
            }
        }
    }

    /// The anchor of a body: its province's 2025 successor, for a local body or one under
    /// a local body; else the national body at the top of its hierarchy (a ministry, the
    /// government, the legislature), or the body itself.
    fn anchor(&self, mut e: usize) -> String {
        let r = reference::get();
        for _ in 0..8 {
            let ent = &self.out.entities[e];
            if let Some(p) = ent.province {
                return format!("place/{}", r.provinces[r.provinces[p].successor].slug);
            }
            let top = matches!(
                ent.org_kind.as_deref(),
                Some("ministry" | "government" | "legislature")
            );
            match ent.parent {
                Some(p) if !top && p != e => e = p,
                _ => break,
            }
        }
        self.out.entities[e].id.clone()
    }

    /// The identity records of the document's persons.
    fn identities(&self, person_of: &[usize]) -> Vec<PersonIdentity> {
        let r = reference::get();
        let bodies: BTreeSet<usize> = self
            .out
            .mentions
            .iter()
            .map(|m| m.entity)
            .filter(|&e| self.out.entities[e].kind == Kind::Organization)
            .collect();
        let mut context: BTreeSet<String> = bodies.into_iter().map(|e| self.anchor(e)).collect();
        if let Some(p) = self.ctx.province {
            context.insert(format!(
                "place/{}",
                r.provinces[r.provinces[p].successor].slug
            ));
        }
        let mut persons: Vec<usize> = person_of.to_vec();
        persons.sort_unstable();
        persons.dedup();
        persons
            .into_iter()
            .map(|e| {
                let label = &self.out.entities[e].label;
                let posts: Vec<&Position> = self
                    .out
                    .positions
                    .iter()
                    .filter(|p| p.person == e)
                    .collect();
                PersonIdentity {
                    entity: e,
                    name_key: name_key(label),
                    full: identity::is_full_name(label, &r.surnames),
                    anchors: posts
                        .iter()
                        .filter_map(|p| p.org)
                        .map(|o| self.anchor(o))
                        .collect(),
                    context: context.clone(),
                    sentence: posts.first().map(|p| p.sentence),
                }
            })
            .collect()
    }

    /// The place of the province `p`, as a body's locality.
    fn province_place(&self, p: Option<usize>) -> Option<Place> {
        let p = p?;
        let (name, word) = reference::get().provinces[p].name_on(self.date.as_deref());
        Some((word.to_string(), name.to_string(), Some(p), Level::Province))
    }

    /// The document's main district, as a body's locality.
    fn district_place(&self) -> Option<Place> {
        self.ctx
            .district
            .clone()
            .map(|(w, n)| (w, n, self.ctx.local_province(), Level::District))
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

/// Names of the document that are a name written before with other tone marks and hold the
/// same title ("Bộ trưởng Huỳnh Thành Đạt", then "Bộ trưởng Huỳnh Thanh Đạt"): a typo, the
/// same person, called as first written. Names of three syllables or more only.
fn tone_typos(ex: &Extraction) -> HashMap<&str, &str> {
    let titles = |name: &str| -> BTreeSet<usize> {
        ex.positions
            .iter()
            .filter(|m| ex.persons[m.person].name == name)
            .map(|m| m.title)
            .collect()
    };
    let mut first: HashMap<String, &str> = HashMap::new();
    let mut out = HashMap::new();
    for p in &ex.persons {
        let name = p.name.as_str();
        if name.split_whitespace().count() < 3 || out.contains_key(name) {
            continue;
        }
        let plain = ascii_slug(name);
        match first.get(plain.as_str()) {
            None => {
                first.insert(plain, name);
            }
            Some(&earlier) if earlier != name => {
                if !titles(earlier).is_disjoint(&titles(name)) {
                    out.insert(name, earlier);
                }
            }
            Some(_) => {}
        }
    }
    out
}

/// The longer name of the document that `name` (one of `all`) is the end of, when exactly
/// one such exists; `all` holds the document's distinct names with their keys.
fn full_name(name: &str, all: &BTreeMap<&str, String>) -> String {
    let key = format!(
        " {}",
        all.get(name).map_or_else(|| name_key(name), String::clone)
    );
    let longer: Vec<&str> = all
        .iter()
        .filter(|(_, k)| k.len() > key.len() && k.ends_with(&key))
        .map(|(n, _)| *n)
        .collect();
    match longer.as_slice() {
        [one] => (*one).to_string(),
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
        org_place: HashMap::new(),
        date: date.map(String::from),
        place_starting: HashMap::new(),
        lone_district: lone_district(ex),
    };
    for (i, p) in ex.places.iter().enumerate() {
        b.place_starting.entry(p.tokens.0).or_default().push(i);
    }
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
    b.hierarchy(&counts);
    // persons; a short form ("BS Tuấn Như") is the one person whose full name ends with it
    let all: BTreeMap<&str, String> = ex
        .persons
        .iter()
        .map(|p| (p.name.as_str(), name_key(&p.name)))
        .collect();
    let mut full: HashMap<&str, String> = HashMap::new();
    let typos = tone_typos(ex);
    let mut person_of: Vec<usize> = Vec::with_capacity(ex.persons.len());
    for p in &ex.persons {
        let written = typos.get(p.name.as_str()).copied().unwrap_or(&p.name);
        let name = full
            .entry(p.name.as_str())
            .or_insert_with(|| full_name(written, &all))
            .clone();
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
            inferred: false,
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
    b.title_mentions();
    b.out.identities = b.identities(&person_of);
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
