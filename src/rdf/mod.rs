//! Stage 5: rdf. Turns a resolved document into quads of its own named graph, and the
//! reference data and ontology into theirs.
//!
//! Everything is named by IRIs derived from stable keys (no blank nodes), so building the same
//! document twice gives the same quads.

pub mod vocab;

use crate::reference::{self, Level};
use crate::resolve::{Kind, Resolved, Role};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;
use vocab::*;

/// What the RDF stage needs to know about a document besides what was resolved in it.
#[derive(Debug, Clone)]
pub struct DocMeta<'a> {
    /// Document identifier.
    pub id: &'a str,
    /// Publication URL.
    pub url: Option<&'a str>,
    /// Date of the document: `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<&'a str>,
    /// Headline.
    pub title: Option<&'a str>,
    /// The NFC text (mention offsets refer to it).
    pub text: &'a str,
    /// Its MinHash signature ([`crate::text::Signature::to_hex`]), by which linking finds
    /// copies of one article.
    pub signature: &'a str,
    /// For a page of a WARC archive: `FILE RECORD-ID`.
    pub record: Option<&'a str>,
}

fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn t(prefix: &str, local: &str) -> NamedNode {
    nn(format!("{prefix}{local}"))
}

fn vi(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "vi")
}

/// A count, as `xsd:integer`: the type Oxigraph keeps for every integer type (an
/// `xsd:nonNegativeInteger` would read back as one), so what is written is what is read.
fn int(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), t(XSD, "integer"))
}

/// A date literal: `xsd:date` for `YYYY-MM-DD`, `xsd:gYearMonth` for `YYYY-MM`, `xsd:gYear`.
pub fn date_literal(d: &str) -> Literal {
    let dt = match d.len() {
        10 => "date",
        7 => "gYearMonth",
        _ => "gYear",
    };
    Literal::new_typed_literal(d, t(XSD, dt))
}

/// Percent-encodes a document id for use in an IRI path.
pub fn encode_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The IRI of a document's named graph.
pub fn graph_iri(id: &str) -> NamedNode {
    nn(format!("{ID}graph/{}", encode_id(id)))
}

/// The IRI of a document.
pub fn doc_iri(id: &str) -> NamedNode {
    nn(format!("{ID}doc/{}", encode_id(id)))
}

/// The IRI of an entity from its id path (see [`crate::resolve::Entity::id`]).
pub fn entity_iri(path: &str) -> NamedNode {
    nn(format!("{ID}{path}"))
}

fn hash_hex(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

struct Writer {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Writer {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(s, p, o, self.graph.clone()));
    }

    fn a(&mut self, s: &NamedNode, class: NamedNode) {
        self.add(s.clone(), t(RDF, "type"), class);
    }

    /// The label of `s`: `skos:prefLabel` only (a sub-property of `rdfs:label`, as the
    /// ontology says, so a client that shows `rdfs:label` finds it with RDFS inference); the
    /// same string twice would cost six index entries a quad for nothing.
    fn label(&mut self, s: &NamedNode, label: &str) {
        self.add(s.clone(), t(SKOS, "prefLabel"), vi(label));
    }

    /// The nif:Sentence of the characters `span` of `text`, written the first time `done`
    /// sees it.
    fn sentence(
        &mut self,
        done: &mut HashSet<(usize, usize)>,
        doc: &NamedNode,
        ctx: &NamedNode,
        text: &str,
        span: (usize, usize),
    ) -> NamedNode {
        if done.insert(span) {
            let s = self.span(doc, ctx, span, "Sentence");
            let anchor = Literal::new_simple_literal(char_span(text, span));
            self.add(s.clone(), t(NIF, "anchorOf"), anchor);
            s
        } else {
            nn(format!("{}#char={},{}", doc.as_str(), span.0, span.1))
        }
    }

    /// The org:Role a title names.
    fn role(&mut self, title: &str) -> NamedNode {
        let role = entity_iri(&format!("role/{}", crate::text::ascii_slug(title)));
        self.a(&role, t(ORG, "Role"));
        self.label(&role, title);
        role
    }

    /// An org:Post for `title` in a body (IRI and label), with its org:Role; returns the post.
    fn post(&mut self, title: &str, body: Option<(&NamedNode, &str)>) -> NamedNode {
        let role = self.role(title);
        let post = post_iri(body.map(|(o, _)| o), title);
        self.a(&post, t(ORG, "Post"));
        self.add(post.clone(), t(ORG, "role"), role);
        let label = match body {
            Some((o, org_label)) => {
                self.add(post.clone(), t(ORG, "postIn"), o.clone());
                format!("{title} {org_label}")
            }
            None => title.to_string(),
        };
        self.label(&post, &label);
        post
    }

    /// A NIF string: a span of the document's text, named by its offsets into the context's
    /// `nif:isString` in the RFC 5147 form `<doc>#char=a,b`. Sentences, which queries filter
    /// and print, also carry them as `nif:beginIndex`/`nif:endIndex` and their characters as
    /// `nif:anchorOf`; a phrase (a mention) carries neither, its IRI says them (see
    /// [`crate::query::span_binds`]), and a mention is three quads instead of five.
    fn span(
        &mut self,
        doc: &NamedNode,
        ctx: &NamedNode,
        (a, b): (usize, usize),
        class: &str,
    ) -> NamedNode {
        let s = nn(format!("{}#char={a},{b}", doc.as_str()));
        self.a(&s, t(NIF, class));
        self.add(s.clone(), t(NIF, "referenceContext"), ctx.clone());
        if class != "Phrase" {
            self.add(s.clone(), t(NIF, "beginIndex"), int(a));
            self.add(s.clone(), t(NIF, "endIndex"), int(b));
        }
        s
    }
}

/// The characters `a..b` of `text`.
fn char_span(text: &str, (a, b): (usize, usize)) -> String {
    text.chars().skip(a).take(b.saturating_sub(a)).collect()
}

fn level_iri(level: Level) -> NamedNode {
    t(LEVEL, level.as_str())
}

/// The quads of one document's named graph.
pub fn document_quads(meta: &DocMeta<'_>, res: &Resolved) -> Vec<Quad> {
    let g = graph_iri(meta.id);
    let d = doc_iri(meta.id);
    let mut w = Writer {
        graph: GraphName::NamedNode(g.clone()),
        quads: Vec::new(),
    };
    w.a(&g, t(VNKG, "DocumentGraph"));
    w.add(g.clone(), t(PROV, "wasDerivedFrom"), d.clone());
    w.a(&d, t(SCHEMA, "NewsArticle"));
    w.add(
        d.clone(),
        t(VNKG, "docId"),
        Literal::new_simple_literal(meta.id),
    );
    if let Some(url) = meta
        .url
        .filter(|u| oxigraph::model::NamedNode::new(*u).is_ok())
    {
        w.add(d.clone(), t(SCHEMA, "url"), nn(url));
    }
    if let Some(date) = meta.date {
        w.add(d.clone(), t(SCHEMA, "datePublished"), date_literal(date));
    }
    if let Some(title) = meta.title {
        w.add(d.clone(), t(SCHEMA, "headline"), vi(title));
    }
    w.add(
        d.clone(),
        t(VNKG, "textSignature"),
        Literal::new_simple_literal(meta.signature),
    );
    if let Some(r) = meta.record {
        w.add(
            d.clone(),
            t(VNKG, "sourceRecord"),
            Literal::new_simple_literal(r),
        );
    }
    let chars = meta.text.chars().count();
    let ctx = nn(format!("{}#char=0,{chars}", d.as_str()));
    w.a(&ctx, t(NIF, "Context"));
    w.add(
        ctx.clone(),
        t(NIF, "isString"),
        Literal::new_simple_literal(meta.text),
    );
    w.add(ctx.clone(), t(NIF, "beginIndex"), int(0));
    w.add(ctx.clone(), t(NIF, "endIndex"), int(chars));
    w.add(ctx.clone(), t(NIF, "sourceUrl"), d.clone());

    let iris: Vec<NamedNode> = res.entities.iter().map(|e| entity_iri(&e.id)).collect();
    for (e, iri) in res.entities.iter().zip(&iris) {
        let class = match e.kind {
            Kind::Person => t(SCHEMA, "Person"),
            Kind::Organization => t(ORG, "Organization"),
            Kind::Place => t(SCHEMA, "AdministrativeArea"),
        };
        w.a(iri, class);
        w.label(iri, &e.label);
        for alt in &e.alt_labels {
            w.add(iri.clone(), t(SKOS, "altLabel"), vi(alt));
        }
        if let Some(level) = e.level {
            w.add(iri.clone(), t(VNKG, "adminLevel"), level_iri(level));
        }
        if let Some(kind) = &e.org_kind {
            w.add(iri.clone(), t(ORG, "classification"), t(KIND, kind));
        }
        if e.inferred {
            w.add(iri.clone(), t(VNKG, "inferred"), Literal::from(true));
        }
        if let Some(p) = e.parent {
            let rel = match e.kind {
                Kind::Place => t(SCHEMA, "containedInPlace"),
                _ => t(ORG, "subOrganizationOf"),
            };
            w.add(iri.clone(), rel, iris[p].clone());
        }
        if e.kind == Kind::Organization {
            if let Some(p) = e.province {
                let prov = &reference::get().provinces[p];
                w.add(
                    iri.clone(),
                    t(SCHEMA, "location"),
                    entity_iri(&format!("place/{}", prov.slug)),
                );
            }
        }
    }
    for m in &res.mentions {
        let s = w.span(&d, &ctx, (m.start, m.end), "Phrase");
        w.add(s, t(ITSRDF, "taIdentRef"), iris[m.entity].clone());
    }
    let mut sentences_done = HashSet::new();
    for p in &res.positions {
        let person = &iris[p.person];
        let role = w.role(&p.title);
        let org = p.org.map(|o| &iris[o]);
        let m = nn(format!(
            "{ID}membership/{}/{}",
            encode_id(meta.id),
            hash_hex(&format!(
                "{}|{}|{}|{}",
                person.as_str(),
                p.title,
                org.map_or("", |o| o.as_str()),
                p.former
            ))
        ));
        w.a(&m, t(ORG, "Membership"));
        w.add(m.clone(), t(ORG, "member"), person.clone());
        w.add(m.clone(), t(ORG, "role"), role.clone());
        w.add(m.clone(), t(VNKG, "former"), Literal::from(p.former));
        if let Some(date) = meta.date {
            w.add(m.clone(), t(VNKG, "observedOn"), date_literal(date));
        }
        if let Some(o) = org {
            w.add(m.clone(), t(ORG, "organization"), o.clone());
            let org_label = res.entities[p.org.unwrap_or_default()].label.as_str();
            let post = w.post(&p.title, Some((o, org_label)));
            w.add(m.clone(), t(VNKG, "post"), post.clone());
            if !p.former {
                w.add(person.clone(), t(ORG, "holds"), post);
            }
        }
        let s = w.sentence(&mut sentences_done, &d, &ctx, meta.text, p.sentence);
        w.add(m, t(PROV, "wasDerivedFrom"), s);
    }
    for p in &res.identities {
        let person = &iris[p.entity];
        let ev = nn(format!(
            "{ID}identity/{}/{}",
            encode_id(meta.id),
            hash_hex(&res.entities[p.entity].id)
        ));
        w.a(&ev, t(VNKG, "IdentityEvidence"));
        w.add(ev.clone(), t(VNKG, "identifies"), person.clone());
        w.add(
            ev.clone(),
            t(VNKG, "localId"),
            Literal::new_simple_literal(&res.entities[p.entity].id),
        );
        w.add(
            ev.clone(),
            t(VNKG, "nameKey"),
            Literal::new_simple_literal(&p.name_key),
        );
        w.add(ev.clone(), t(VNKG, "fullName"), Literal::from(p.full));
        for a in &p.anchors {
            w.add(ev.clone(), t(VNKG, "anchor"), entity_iri(a));
        }
        for a in &p.context {
            w.add(ev.clone(), t(VNKG, "context"), entity_iri(a));
        }
        if let Some(span) = p.sentence {
            let s = w.sentence(&mut sentences_done, &d, &ctx, meta.text, span);
            w.add(ev, t(PROV, "wasDerivedFrom"), s);
        }
    }
    let mut rel = RelationWriter {
        w: &mut w,
        res,
        iris: &iris,
        doc: &d,
        ctx: &ctx,
        text: meta.text,
        id: meta.id,
        sentences: sentences_done,
    };
    rel.write();
    w.quads
}

/// What the corpus says about one person's post: the documents that state it and when.
#[derive(Debug, Clone, Copy)]
pub struct TenureFacts<'a> {
    /// The person's IRI.
    pub person: &'a str,
    /// The org:Role's IRI.
    pub role: &'a str,
    /// The title.
    pub title: &'a str,
    /// The body's IRI.
    pub org: Option<&'a str>,
    /// The org:Post's IRI.
    pub post: Option<&'a str>,
    /// The first date a document states it held.
    pub first_seen: Option<&'a str>,
    /// The last date a document states it held.
    pub last_seen: Option<&'a str>,
    /// The first date a document reports it held before ("nguyên").
    pub former_by: Option<&'a str>,
    /// The documents (IRIs) that state it.
    pub docs: &'a std::collections::BTreeSet<String>,
    /// The memberships (IRIs) it sums up.
    pub memberships: &'a std::collections::BTreeSet<String>,
}

/// What the corpus graph holds of one body or place (see `link`): IRIs as strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitySummary {
    /// The entity.
    pub iri: String,
    /// Its class (`org:Organization`, `schema:AdministrativeArea`).
    pub class: String,
    /// Its label: the one most of its documents give it (ties: the smallest).
    pub label: String,
    /// How many documents hold it.
    pub documents: usize,
    /// Its kind, parent, location, level and containing place: (property, entity) IRIs.
    pub values: Vec<(String, String)>,
}

/// A body linked to another across documents, as the corpus graph records it (see `link`):
/// IRIs as strings.
#[derive(Debug, Clone)]
pub struct BodyVariantFacts<'a> {
    /// The body it is.
    pub kept: &'a str,
    /// The IRI the documents minted for the variant.
    pub variant: &'a str,
    /// The variant's label.
    pub label: &'a str,
    /// The rule (`name-variant`, `shared-official`).
    pub rule: &'a str,
    /// The weight of the name's words shared, in thousandths.
    pub score: u32,
    /// The head words that differ, or the IRIs of the officials held in both.
    pub evidence: &'a std::collections::BTreeSet<String>,
    /// The documents (graph IRIs) that name the variant.
    pub docs: &'a std::collections::BTreeSet<String>,
    /// For rule `curated`: the user's decision (IRI).
    pub curated: Option<&'a str>,
}

/// A user's identity decision as the store keeps it (see `crate::curate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFacts<'a> {
    /// Its number, from 1, never reused.
    pub number: u64,
    /// When it was taken (`xsd:dateTime`).
    pub date: &'a str,
    /// `same`, `distinct` or `reject`.
    pub kind: &'a str,
    /// The entities as they were named (IRIs), with their labels then.
    pub entities: [(&'a str, &'a str); 2],
    /// The records of each side (`GRAPH LOCAL-ID`).
    pub records: [&'a std::collections::BTreeSet<(String, String)>; 2],
    /// The user's note.
    pub note: &'a str,
}

/// The IRI of decision number `n`.
pub fn decision_iri(n: u64) -> String {
    format!("{ID}curation/{n}")
}

/// The quads of a decision, in the curation graph.
pub fn decision_quads(d: &DecisionFacts<'_>) -> Vec<Quad> {
    let mut w = Writer {
        graph: GraphName::NamedNode(nn(CURATION_GRAPH)),
        quads: Vec::new(),
    };
    let s = nn(decision_iri(d.number));
    w.a(&s, t(VNKG, "CurationDecision"));
    w.add(
        s.clone(),
        t(VNKG, "decisionNumber"),
        Literal::new_typed_literal(d.number.to_string(), t(XSD, "positiveInteger")),
    );
    w.add(
        s.clone(),
        t(VNKG, "decision"),
        Literal::new_simple_literal(d.kind),
    );
    w.add(
        s.clone(),
        t(PROV, "endedAtTime"),
        Literal::new_typed_literal(d.date, t(XSD, "dateTime")),
    );
    if !d.note.is_empty() {
        w.add(
            s.clone(),
            t(RDFS, "comment"),
            Literal::new_simple_literal(d.note),
        );
    }
    for (side, ((iri, label), records)) in ["first", "second"]
        .iter()
        .zip(d.entities.iter().zip(d.records))
    {
        if iri.is_empty() {
            continue;
        }
        w.add(s.clone(), t(VNKG, &format!("{side}Entity")), nn(*iri));
        w.add(
            s.clone(),
            t(VNKG, &format!("{side}Label")),
            Literal::new_simple_literal(*label),
        );
        for (g, local) in records {
            w.add(
                s.clone(),
                t(VNKG, &format!("{side}Record")),
                Literal::new_simple_literal(format!("{g} {local}")),
            );
        }
    }
    w.quads
}

/// Writes the corpus graph: identity links between documents and tenures.
pub struct CorpusWriter {
    w: Writer,
}

impl Default for CorpusWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CorpusWriter {
    /// An empty corpus graph.
    pub fn new() -> Self {
        let mut w = Writer {
            graph: GraphName::NamedNode(nn(CORPUS_GRAPH)),
            quads: Vec::new(),
        };
        w.a(&nn(CORPUS_GRAPH), t(VNKG, "CorpusGraph"));
        CorpusWriter { w }
    }

    /// The rule that made an identity record (IRI `evidence`) one person with another
    /// document's, the anchors (id paths) they share, and for rule `same-text` the graph of a
    /// copy of its article.
    pub fn link_rule(
        &mut self,
        evidence: &str,
        rule: &str,
        shared: &std::collections::BTreeSet<String>,
        same_text: Option<&str>,
        score: u32,
    ) {
        let ev = nn(evidence);
        self.w.add(ev.clone(), t(VNKG, "linkRule"), t(RULE, rule));
        if score > 0 {
            self.w.add(
                ev.clone(),
                t(VNKG, "linkScore"),
                Literal::new_typed_literal(
                    format!("{}.{:03}", score / 1000, score % 1000),
                    t(XSD, "decimal"),
                ),
            );
        }
        for a in shared {
            self.w
                .add(ev.clone(), t(VNKG, "sharedAnchor"), entity_iri(a));
        }
        if let Some(g) = same_text {
            self.w.add(ev.clone(), t(VNKG, "sameTextAs"), nn(g));
        }
    }

    /// An identity record (IRI) kept apart from a person (id path) of its name: posts in
    /// another province on the same date.
    pub fn kept_apart(&mut self, evidence: &str, person: &str) {
        self.w
            .add(nn(evidence), t(VNKG, "keptApartFrom"), entity_iri(person));
    }

    /// The user's decision (IRI) that made or unmade an identity record's link.
    pub fn curated_by(&mut self, evidence: &str, decision: &str) {
        self.w.add(nn(evidence), t(VNKG, "curatedBy"), nn(decision));
    }

    /// A summary of an entity (IRI) in the corpus graph: its label, so that lookups need
    /// not read the documents.
    pub fn summary(&mut self, iri: &str, label: &str) {
        self.w.label(&nn(iri), label);
    }

    /// A person's summary: class, label and the number of documents that name it.
    pub fn person_summary(&mut self, iri: &str, label: &str, documents: usize) {
        let s = nn(iri);
        self.w.a(&s, t(SCHEMA, "Person"));
        self.w.label(&s, label);
        self.w.add(s, t(VNKG, "documentCount"), int(documents));
    }

    /// The name keys of an entity (IRI): every label and alternative label any document gives
    /// it, folded ([`crate::resolve::name_key`]), as `skos:hiddenLabel`: the index by which
    /// `explain`, the server's search and `graph --focus` find an entity by name.
    pub fn name_keys<'k>(&mut self, iri: &str, keys: impl IntoIterator<Item = &'k str>) {
        let s = nn(iri);
        for k in keys {
            self.w.add(
                s.clone(),
                t(SKOS, "hiddenLabel"),
                Literal::new_simple_literal(k),
            );
        }
    }

    /// The summary of a body, place or cited document.
    pub fn entity_summary(&mut self, e: &EntitySummary) {
        let s = nn(e.iri.as_str());
        self.w.a(&s, nn(e.class.as_str()));
        self.w.label(&s, &e.label);
        self.w
            .add(s.clone(), t(VNKG, "documentCount"), int(e.documents));
        for (p, v) in &e.values {
            self.w.add(s.clone(), nn(p.as_str()), nn(v.as_str()));
        }
    }

    /// One person's post across the corpus.
    pub fn tenure(&mut self, f: &TenureFacts<'_>) {
        let s = nn(format!(
            "{ID}tenure/{}",
            hash_hex(&format!("{}|{}|{}", f.person, f.title, f.org.unwrap_or("")))
        ));
        let w = &mut self.w;
        w.a(&s, t(VNKG, "Tenure"));
        w.add(s.clone(), t(ORG, "member"), nn(f.person));
        w.add(s.clone(), t(ORG, "role"), nn(f.role));
        if let Some(o) = f.org {
            w.add(s.clone(), t(ORG, "organization"), nn(o));
        }
        if let Some(p) = f.post {
            w.add(s.clone(), t(VNKG, "post"), nn(p));
        }
        for (p, d) in [
            ("firstSeen", f.first_seen),
            ("lastSeen", f.last_seen),
            ("formerBy", f.former_by),
        ] {
            if let Some(d) = d {
                w.add(s.clone(), t(VNKG, p), date_literal(d));
            }
        }
        w.add(s.clone(), t(VNKG, "documentCount"), int(f.docs.len()));
        for d in f.docs {
            w.add(s.clone(), t(VNKG, "seenIn"), nn(d.as_str()));
        }
        for m in f.memberships {
            w.add(s.clone(), t(PROV, "wasDerivedFrom"), nn(m.as_str()));
        }
    }

    /// A body variant: `kept vnkg:bodyVariant v`, `v` a `vnkg:BodyVariant` with the
    /// variant's label and minted IRI (`vnkg:mintedAs`), the rule, score and evidence of the
    /// link (`vnkg:sharedAnchor` an official, `vnkg:differsBy` a head word) and the documents
    /// that name it (`vnkg:seenIn`).
    pub fn body_variant(&mut self, f: &BodyVariantFacts<'_>) {
        let v = nn(format!(
            "{ID}variant/{}",
            hash_hex(&format!("{}|{}", f.variant, f.kept))
        ));
        let w = &mut self.w;
        w.add(nn(f.kept), t(VNKG, "bodyVariant"), v.clone());
        w.a(&v, t(VNKG, "BodyVariant"));
        w.label(&v, f.label);
        w.add(v.clone(), t(VNKG, "mintedAs"), nn(f.variant));
        w.add(v.clone(), t(VNKG, "linkRule"), t(RULE, f.rule));
        if f.score > 0 {
            w.add(
                v.clone(),
                t(VNKG, "linkScore"),
                Literal::new_typed_literal(
                    format!("{}.{:03}", f.score / 1000, f.score % 1000),
                    t(XSD, "decimal"),
                ),
            );
        }
        for e in f.evidence {
            if e.contains('/') {
                w.add(v.clone(), t(VNKG, "sharedAnchor"), nn(e.as_str()));
            } else {
                w.add(
                    v.clone(),
                    t(VNKG, "differsBy"),
                    Literal::new_simple_literal(e),
                );
            }
        }
        if let Some(d) = f.curated {
            w.add(v.clone(), t(VNKG, "curatedBy"), nn(d));
        }
        w.add(v.clone(), t(VNKG, "documentCount"), int(f.docs.len()));
        for d in f.docs {
            w.add(v.clone(), t(VNKG, "seenIn"), nn(d.as_str()));
        }
    }

    /// The quads written.
    pub fn finish(self) -> Vec<Quad> {
        self.w.quads
    }
}

/// The IRI of the post a title names in a body (shared with memberships).
fn post_iri(org: Option<&NamedNode>, title: &str) -> NamedNode {
    nn(format!(
        "{ID}post/{}",
        hash_hex(&format!("{}|{title}", org.map_or("", |o| o.as_str())))
    ))
}

/// Writes the relations of a document: events, agreements, awards, donations, legal documents.
struct RelationWriter<'a> {
    w: &'a mut Writer,
    res: &'a Resolved,
    iris: &'a [NamedNode],
    doc: &'a NamedNode,
    ctx: &'a NamedNode,
    text: &'a str,
    id: &'a str,
    sentences: HashSet<(usize, usize)>,
}

impl RelationWriter<'_> {
    /// The node of a role: the entity, or the post an office names.
    fn role(&mut self, r: &Role) -> NamedNode {
        match r {
            Role::Entity(e) => self.iris[*e].clone(),
            Role::Office { title, org } => {
                let body = org.map(|o| (&self.iris[o], self.res.entities[o].label.as_str()));
                self.w.post(title, body)
            }
        }
    }

    /// The sentence `span` as a nif:Sentence (written once).
    fn sentence(&mut self, span: (usize, usize)) -> NamedNode {
        self.w
            .sentence(&mut self.sentences, self.doc, self.ctx, self.text, span)
    }

    fn node(&self, kind: &str, n: usize) -> NamedNode {
        nn(format!("{ID}{kind}/{}/{n}", encode_id(self.id)))
    }

    fn date(&mut self, s: &NamedNode, date: Option<&String>) {
        if let Some(d) = date {
            self.w.add(s.clone(), t(DCTERMS, "date"), date_literal(d));
        }
    }

    fn write(&mut self) {
        let rel = &self.res.relations;
        // legal documents first: agreements point at them
        let mut legal_iris = Vec::new();
        for l in &rel.legal {
            let first_issuer = l.issuers.first().map(|r| self.role(r));
            let key = format!(
                "{}|{}",
                l.number,
                first_issuer.as_ref().map_or("", |i| i.as_str())
            );
            let s = nn(format!(
                "{ID}legislation/{}-{}",
                crate::text::ascii_slug(&l.number),
                &hash_hex(&key)[..6]
            ));
            self.w.a(&s, t(SCHEMA, "Legislation"));
            self.w.label(
                &s,
                &match &l.kind {
                    Some(k) => format!("{k} {}", l.number),
                    None => l.number.clone(),
                },
            );
            self.w.add(
                s.clone(),
                t(SCHEMA, "legislationIdentifier"),
                Literal::new_simple_literal(&l.number),
            );
            if let Some(k) = &l.kind {
                self.w.add(s.clone(), t(SCHEMA, "legislationType"), vi(k));
            }
            if let Some(d) = &l.date {
                self.w
                    .add(s.clone(), t(SCHEMA, "legislationDate"), date_literal(d));
            }
            for i in &l.issuers {
                let node = self.role(i);
                self.w
                    .add(s.clone(), t(SCHEMA, "legislationPassedBy"), node);
            }
            self.w
                .add(self.doc.clone(), t(SCHEMA, "citation"), s.clone());
            let m = self.w.span(self.doc, self.ctx, l.span, "Phrase");
            self.w.add(m, t(ITSRDF, "taIdentRef"), s.clone());
            let sentence = self.sentence(l.sentence);
            self.w.add(s.clone(), t(PROV, "wasDerivedFrom"), sentence);
            legal_iris.push(s);
        }
        for (n, e) in rel.events.iter().enumerate() {
            let s = self.node("event", n);
            self.w.a(&s, t(SCHEMA, "Event"));
            self.w
                .add(s.clone(), t(VNKG, "eventKind"), t(EVENT_KIND, &e.kind));
            if let Some(d) = &e.date {
                self.w
                    .add(s.clone(), t(SCHEMA, "startDate"), date_literal(d));
            }
            self.date(&s, e.date.as_ref());
            if let Some(p) = e.place {
                self.w
                    .add(s.clone(), t(SCHEMA, "location"), self.iris[p].clone());
            }
            if n == 0 {
                self.w.add(self.doc.clone(), t(SCHEMA, "about"), s.clone());
            }
            for (roles, prop) in [
                (&e.organizers, t(SCHEMA, "organizer")),
                (&e.chairs, t(VNKG, "chair")),
                (&e.participants, t(SCHEMA, "attendee")),
            ] {
                for r in roles {
                    let node = self.role(r);
                    self.w.add(s.clone(), prop.clone(), node);
                }
            }
            for span in std::iter::once(e.sentence).chain(e.sentences.iter().copied()) {
                let sentence = self.sentence(span);
                self.w.add(s.clone(), t(PROV, "wasDerivedFrom"), sentence);
            }
        }
        for (n, g) in rel.agreements.iter().enumerate() {
            let s = self.node("agreement", n);
            self.w.a(&s, t(ORG, "OrganizationalCollaboration"));
            self.w.label(&s, &g.topic);
            self.w.add(s.clone(), t(VNKG, "topic"), vi(&g.topic));
            self.date(&s, g.date.as_ref());
            let parties: Vec<NamedNode> = g.parties.iter().map(|r| self.role(r)).collect();
            for p in &parties {
                self.w.add(s.clone(), t(VNKG, "party"), p.clone());
                for q in &parties {
                    if p != q {
                        self.w.add(p.clone(), t(VNKG, "agreementWith"), q.clone());
                    }
                }
            }
            if let Some(l) = g.number {
                let number = &rel.legal[l].number;
                self.w.add(
                    s.clone(),
                    t(SCHEMA, "identifier"),
                    Literal::new_simple_literal(number),
                );
                self.w
                    .add(s.clone(), t(VNKG, "recordedIn"), legal_iris[l].clone());
            }
            if let Some((a, b)) = g.period {
                self.w.add(
                    s.clone(),
                    t(SCHEMA, "temporalCoverage"),
                    Literal::new_simple_literal(format!("{a}/{b}")),
                );
            }
            if g.at_event && !rel.events.is_empty() {
                self.w
                    .add(s.clone(), t(VNKG, "signedAt"), self.node("event", 0));
            }
            let sentence = self.sentence(g.sentence);
            self.w.add(s, t(PROV, "wasDerivedFrom"), sentence);
        }
        for (n, a) in rel.awards.iter().enumerate() {
            let s = self.node("award", n);
            self.w.a(&s, t(VNKG, "AwardConferral"));
            self.w.add(s.clone(), t(SCHEMA, "name"), vi(&a.name));
            let award = entity_iri(&format!("award/{}", crate::text::ascii_slug(&a.name)));
            self.w.a(&award, t(SKOS, "Concept"));
            self.w.label(&award, &a.name);
            self.w
                .add(award.clone(), t(SKOS, "inScheme"), t(VNKG, "awards"));
            self.w.add(s.clone(), t(SCHEMA, "object"), award);
            let recipient = self.role(&a.recipient);
            self.w
                .add(s.clone(), t(SCHEMA, "recipient"), recipient.clone());
            self.w.add(recipient, t(SCHEMA, "award"), vi(&a.name));
            if let Some(g) = &a.grantor {
                let node = self.role(g);
                self.w.add(s.clone(), t(VNKG, "grantor"), node);
            }
            if let Some(p) = &a.presenter {
                let node = self.role(p);
                self.w.add(s.clone(), t(VNKG, "presenter"), node);
            }
            self.date(&s, a.date.as_ref());
            let sentence = self.sentence(a.sentence);
            self.w.add(s, t(PROV, "wasDerivedFrom"), sentence);
        }
        for (n, d) in rel.donations.iter().enumerate() {
            let s = self.node("donation", n);
            self.w.a(&s, t(SCHEMA, "DonateAction"));
            let donor = self.role(&d.donor);
            self.w.add(s.clone(), t(SCHEMA, "agent"), donor.clone());
            if let Some(r) = &d.recipient {
                let node = self.role(r);
                self.w.add(s.clone(), t(SCHEMA, "recipient"), node.clone());
                self.w.add(donor, t(VNKG, "donatedTo"), node);
            }
            self.w.add(
                s.clone(),
                t(VNKG, "amountVnd"),
                Literal::new_typed_literal(d.amount.to_string(), t(XSD, "integer")),
            );
            if let Some(p) = &d.purpose {
                self.w.add(s.clone(), t(SCHEMA, "description"), vi(p));
            }
            self.date(&s, d.date.as_ref());
            let sentence = self.sentence(d.sentence);
            self.w.add(s, t(PROV, "wasDerivedFrom"), sentence);
        }
    }
}

/// The ontology (`ontology/vnkg.ttl`) as quads of [`vocab::ONTOLOGY_GRAPH`], with the store marker.
pub fn ontology_quads() -> Result<Vec<Quad>, String> {
    let g = GraphName::NamedNode(nn(ONTOLOGY_GRAPH));
    let mut quads = Vec::new();
    for q in RdfParser::from_format(RdfFormat::Turtle)
        .without_named_graphs()
        .for_slice(ONTOLOGY_TTL.as_bytes())
    {
        let q = q.map_err(|e| format!("ontology/vnkg.ttl: {e}"))?;
        quads.push(Quad::new(q.subject, q.predicate, q.object, g.clone()));
    }
    let marker = nn(STORE_MARKER);
    quads.push(Quad::new(
        marker.clone(),
        t(RDF, "type"),
        t(VNKG, "Store"),
        g.clone(),
    ));
    quads.push(Quad::new(
        marker,
        t(VNKG, "formatVersion"),
        Literal::from(STORE_VERSION),
        g,
    ));
    Ok(quads)
}

/// The ontology file, compiled in.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/vnkg.ttl");

/// The reference data (provinces, their variants, codes and 2025 successors) as quads of
/// [`vocab::REFERENCE_GRAPH`].
pub fn reference_quads() -> Vec<Quad> {
    let r = reference::get();
    let mut w = Writer {
        graph: GraphName::NamedNode(nn(REFERENCE_GRAPH)),
        quads: Vec::new(),
    };
    let iri = |i: usize| entity_iri(&format!("place/{}", r.provinces[i].slug));
    for (i, p) in r.provinces.iter().enumerate() {
        let s = iri(i);
        w.a(&s, t(SCHEMA, "AdministrativeArea"));
        w.label(&s, &p.name);
        for v in &p.variants {
            w.add(s.clone(), t(SKOS, "altLabel"), vi(v));
        }
        w.add(s.clone(), t(VNKG, "adminLevel"), level_iri(Level::Province));
        w.add(
            s.clone(),
            t(VNKG, "iso3166Code"),
            Literal::new_simple_literal(&p.iso),
        );
        w.add(
            s.clone(),
            t(VNKG, "centrallyRun"),
            Literal::from(p.is_city()),
        );
        w.add(s.clone(), t(OWL, "sameAs"), t(WIKIDATA, &p.wikidata));
        if let Some(f) = &p.former {
            w.add(s.clone(), t(VNKG, "formerName"), vi(&f.name));
            w.add(s.clone(), t(VNKG, "renamedOn"), date_literal(&f.until));
        }
        if p.successor != i {
            w.add(s.clone(), t(DCTERMS, "isReplacedBy"), iri(p.successor));
            w.add(iri(p.successor), t(DCTERMS, "replaces"), s.clone());
            w.add(s.clone(), t(VNKG, "mergedOn"), date_literal("2025-07-01"));
        } else {
            w.a(&s, t(VNKG, "Province2025"));
        }
    }
    w.quads
}
