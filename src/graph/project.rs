//! The store -> property graph projection: a handful of SPARQL queries, one per relation, whose
//! rows are mapped onto the entities the view keeps and summed into one edge per (source,
//! target, relation type).
//!
//! Every relation is read inside its document's named graph (`GRAPH ?g { ... }`), so a
//! statement is counted once per document that states it, and each support carries that
//! document's id and a date: the relation's own date when it has one (an agreement's or its
//! signing event's, an event's, a post's observation date, a legal document's date), else the
//! document's date of publication.
//!
//! How relations become edges:
//! - `agreement`: every two parties of one agreement (symmetric; label: its topic);
//! - `part_of`: a body to its parent (`org:subOrganizationOf`, inferred parents included);
//! - `located_in`: a body to its province (`schema:location`), a place to the place it lies
//!   in (`schema:containedInPlace`, full view);
//! - `event`: every two participants of one event: organisers, chairs, attendees and the place
//!   it was held (symmetric; label: its kind);
//! - `donation`: donor to recipient (label: the amount);
//! - `award`: grantor, and presenter, to recipient (label: the award);
//! - `issued`: a body to the legal document it issued (label: its number);
//! - `cited`: a body acting in a document (an organiser, chair or attendee of its event, a
//!   party of an agreement recorded in the legal document) to the legal document the document
//!   cites;
//! - `post`: a person to the body of his post (label: the title; "nguyên ..." when held
//!   before).
//!
//! An office (`org:Post`, e.g. "Thủ tướng Chính phủ" as a grantor) counts as the body it is
//! in. In the institutions view a person is dropped and a place counts as its province; in the
//! people view only persons and bodies remain. An entity is a node when it has at least one
//! edge in the view and period.

use super::{Edge, GraphError, Node, Options, Projection, View};
use crate::explain::{self, Found};
use crate::query::{self, plain_or_empty as text};
use crate::rdf::vocab::{ID, KIND, LEVEL};
use oxigraph::store::Store;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// The relation types, in the order the documentation lists them.
pub const RELATIONS: [&str; 9] = [
    "agreement",
    "part_of",
    "located_in",
    "event",
    "donation",
    "award",
    "issued",
    "cited",
    "post",
];

const PERSON: &str = "https://schema.org/Person";
const ORGANIZATION: &str = "http://www.w3.org/ns/org#Organization";
const PLACE: &str = "https://schema.org/AdministrativeArea";
const LEGISLATION: &str = "https://schema.org/Legislation";

const Q_DOCS: &str = "SELECT ?g ?id ?date WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph ; prov:wasDerivedFrom ?d . ?d vnkg:docId ?id . OPTIONAL { ?d schema:datePublished ?date } } }";
const Q_ENTITIES: &str = "SELECT ?e ?t ?l (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?e a ?t ; skos:prefLabel ?l } VALUES ?t { schema:Person org:Organization schema:AdministrativeArea schema:Legislation } } GROUP BY ?e ?t ?l";
const Q_REFERENCE_LABELS: &str = "SELECT ?e ?l WHERE { GRAPH <https://w3id.org/vnkg/id/graph/reference> { ?e a schema:AdministrativeArea ; skos:prefLabel ?l } }";
const Q_KINDS: &str = "SELECT ?o ?k (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?o org:classification ?k } } GROUP BY ?o ?k";
const Q_LEVELS: &str = "SELECT DISTINCT ?p ?l WHERE { GRAPH ?g { ?p vnkg:adminLevel ?l } }";
const Q_CONTAINED: &str = "SELECT ?p ?w (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?p schema:containedInPlace ?w } } GROUP BY ?p ?w";
const Q_LOCATIONS: &str = "SELECT ?o ?p (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?o a org:Organization ; schema:location ?p } } GROUP BY ?o ?p";
const Q_POSTS_IN: &str =
    "SELECT DISTINCT ?post ?o WHERE { GRAPH ?g { ?post a org:Post ; org:postIn ?o } }";

const Q_AGREEMENTS: &str = "SELECT ?g ?a ?x ?topic ?date WHERE { GRAPH ?g { ?a a org:OrganizationalCollaboration ; vnkg:party ?x . OPTIONAL { ?a vnkg:topic ?topic } OPTIONAL { ?a dcterms:date ?d1 } OPTIONAL { ?a vnkg:signedAt ?ev . ?ev dcterms:date ?d2 } BIND(COALESCE(?d1, ?d2) AS ?date) } }";
const Q_PART_OF: &str = "SELECT ?g ?o ?p WHERE { GRAPH ?g { ?o org:subOrganizationOf ?p } }";
const Q_LOCATED: &str =
    "SELECT ?g ?o ?p WHERE { GRAPH ?g { ?o a org:Organization ; schema:location ?p } }";
const Q_CONTAINED_IN: &str = "SELECT ?g ?o ?p WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?o schema:containedInPlace ?p } }";
const Q_EVENTS: &str = "SELECT ?g ?e ?x ?kind ?date WHERE { GRAPH ?g { ?e a schema:Event ; schema:organizer|vnkg:chair|schema:attendee|schema:location ?x . OPTIONAL { ?e vnkg:eventKind ?kind } OPTIONAL { ?e dcterms:date ?date } } }";
const Q_DONATIONS: &str = "SELECT ?g ?a ?r ?amount ?date WHERE { GRAPH ?g { ?x a schema:DonateAction ; schema:agent ?a ; schema:recipient ?r . OPTIONAL { ?x vnkg:amountVnd ?amount } OPTIONAL { ?x dcterms:date ?date } } }";
const Q_AWARDS: &str = "SELECT ?g ?x ?r ?name ?date WHERE { GRAPH ?g { ?w a vnkg:AwardConferral ; schema:recipient ?r ; vnkg:grantor|vnkg:presenter ?x . OPTIONAL { ?w schema:name ?name } OPTIONAL { ?w dcterms:date ?date } } }";
const Q_ISSUED: &str = "SELECT ?g ?o ?l ?number ?date WHERE { GRAPH ?g { ?l a schema:Legislation ; schema:legislationPassedBy ?o . OPTIONAL { ?l schema:legislationIdentifier ?number } OPTIONAL { ?l schema:legislationDate ?date } } }";
const Q_CITED: &str = "SELECT DISTINCT ?g ?x ?l ?number WHERE { GRAPH ?g { ?d schema:citation ?l . { ?d schema:about ?e . ?e schema:organizer|vnkg:chair|schema:attendee ?x } UNION { ?a vnkg:recordedIn ?l ; vnkg:party ?x } OPTIONAL { ?l schema:legislationIdentifier ?number } } }";
const Q_POSTS: &str = "SELECT ?g ?p ?o ?title ?former ?date WHERE { GRAPH ?g { ?m a org:Membership ; org:member ?p ; org:organization|vnkg:post/org:postIn ?o . OPTIONAL { ?m org:role ?r . ?r skos:prefLabel ?title } OPTIONAL { ?m vnkg:former ?former } OPTIONAL { ?m vnkg:observedOn ?date } } }";

/// An entity's class, from its RDF type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Person,
    Organization,
    Place,
    Legislation,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Person => "person",
            Class::Organization => "organization",
            Class::Place => "place",
            Class::Legislation => "legal_document",
        }
    }
}

/// Counts of values, for picking the most frequent one (ties: the smallest).
#[derive(Default)]
struct Votes(BTreeMap<String, usize>);

impl Votes {
    fn add(&mut self, v: String, n: usize) {
        *self.0.entry(v).or_default() += n;
    }
    fn best(&self) -> Option<&str> {
        let mut best: Option<(&String, usize)> = None;
        for (v, &n) in &self.0 {
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((v, n));
            }
        }
        best.map(|(v, _)| v.as_str())
    }
}

/// What the store says about the entities: classes, labels, kinds, places.
#[derive(Default)]
struct Entities {
    class: HashMap<String, Class>,
    labels: HashMap<String, Votes>,
    documents: HashMap<String, usize>,
    reference_label: HashMap<String, String>,
    kind: HashMap<String, Votes>,
    level: HashMap<String, String>,
    contained: HashMap<String, Votes>,
    location: HashMap<String, Votes>,
    post_in: HashMap<String, BTreeSet<String>>,
}

impl Entities {
    fn read(store: &Store) -> Result<Self, GraphError> {
        let mut e = Entities::default();
        let (_, rows) = query::select(store, Q_ENTITIES)?;
        for r in &rows {
            let iri = text(&r[0]);
            let class = match text(&r[1]).as_str() {
                PERSON => Class::Person,
                ORGANIZATION => Class::Organization,
                PLACE => Class::Place,
                LEGISLATION => Class::Legislation,
                _ => continue,
            };
            e.class.entry(iri.clone()).or_insert(class);
            let n: usize = text(&r[3]).parse().unwrap_or(0);
            e.labels.entry(iri.clone()).or_default().add(text(&r[2]), n);
            let d = e.documents.entry(iri).or_default();
            *d = (*d).max(n);
        }
        for r in query::select(store, Q_REFERENCE_LABELS)?.1 {
            let iri = text(&r[0]);
            e.class.entry(iri.clone()).or_insert(Class::Place);
            e.reference_label.entry(iri).or_insert_with(|| text(&r[1]));
        }
        for r in query::select(store, Q_KINDS)?.1 {
            let k = text(&r[1]);
            let k = k.strip_prefix(KIND).unwrap_or(&k).to_string();
            let n = text(&r[2]).parse().unwrap_or(0);
            e.kind.entry(text(&r[0])).or_default().add(k, n);
        }
        for r in query::select(store, Q_LEVELS)?.1 {
            let l = text(&r[1]);
            let l = l.strip_prefix(LEVEL).unwrap_or(&l).to_string();
            // the highest level wins when sources disagree
            let slot = e.level.entry(text(&r[0])).or_insert_with(|| l.clone());
            if level_rank(&l) < level_rank(slot) {
                *slot = l;
            }
        }
        for r in query::select(store, Q_CONTAINED)?.1 {
            let n = text(&r[2]).parse().unwrap_or(0);
            e.contained
                .entry(text(&r[0]))
                .or_default()
                .add(text(&r[1]), n);
        }
        for r in query::select(store, Q_LOCATIONS)?.1 {
            let n = text(&r[2]).parse().unwrap_or(0);
            e.location
                .entry(text(&r[0]))
                .or_default()
                .add(text(&r[1]), n);
        }
        for r in query::select(store, Q_POSTS_IN)?.1 {
            e.post_in
                .entry(text(&r[0]))
                .or_default()
                .insert(text(&r[1]));
        }
        Ok(e)
    }

    /// The class of an entity; an office (`org:Post`) is not one (see [`Self::map`]).
    fn class_of(&self, iri: &str) -> Option<Class> {
        if let Some(c) = self.class.get(iri) {
            return Some(*c);
        }
        // entities named only outside the document graphs: guess from the IRI
        let rest = iri.strip_prefix(ID)?;
        match rest.split('/').next()? {
            "person" => Some(Class::Person),
            "org" => Some(Class::Organization),
            "place" => Some(Class::Place),
            "legislation" => Some(Class::Legislation),
            _ => None,
        }
    }

    /// The province a place lies in (itself for a province), following
    /// `schema:containedInPlace` a few steps up.
    fn province_of_place(&self, place: &str) -> Option<String> {
        let mut p = place.to_string();
        for _ in 0..4 {
            if self.level.get(&p).map(String::as_str) == Some("province") {
                return Some(p);
            }
            p = self.contained.get(&p)?.best()?.to_string();
        }
        None
    }

    /// The province of a body (its location's province) or of a place.
    fn province(&self, iri: &str) -> Option<String> {
        match self.class_of(iri)? {
            Class::Organization => self
                .location
                .get(iri)?
                .best()
                .and_then(|p| self.province_of_place(p)),
            Class::Place => self.province_of_place(iri),
            _ => None,
        }
    }

    /// The node an entity counts as in `view`: itself, its body (an office), its province (a
    /// place, institutions view), or none.
    fn map(&self, iri: &str, view: View) -> Option<String> {
        if let Some(bodies) = self.post_in.get(iri) {
            // an office counts as the body it is in
            return bodies.iter().next().and_then(|b| self.map(b, view));
        }
        match (self.class_of(iri)?, view) {
            (Class::Organization, _) => Some(iri.to_string()),
            (Class::Person, View::People | View::Full) => Some(iri.to_string()),
            (Class::Place, View::Full) => Some(iri.to_string()),
            (Class::Place, View::Institutions) => self.province_of_place(iri),
            (Class::Legislation, View::Institutions | View::Full) => Some(iri.to_string()),
            _ => None,
        }
    }

    fn node(&self, iri: &str) -> Node {
        let class = self.class_of(iri).unwrap_or(Class::Organization);
        let label = self
            .reference_label
            .get(iri)
            .cloned()
            .or_else(|| {
                self.labels
                    .get(iri)
                    .and_then(|v| v.best())
                    .map(String::from)
            })
            .unwrap_or_else(|| iri.rsplit('/').next().unwrap_or(iri).to_string());
        let kind = match class {
            Class::Person => "person".to_string(),
            Class::Legislation => "legal_document".to_string(),
            Class::Organization => self
                .kind
                .get(iri)
                .and_then(|v| v.best())
                .unwrap_or("organization")
                .to_string(),
            Class::Place => self
                .level
                .get(iri)
                .cloned()
                .unwrap_or_else(|| "place".to_string()),
        };
        let province = self
            .province(iri)
            .map(|p| {
                self.reference_label
                    .get(&p)
                    .cloned()
                    .or_else(|| self.labels.get(&p).and_then(|v| v.best()).map(String::from))
                    .unwrap_or(p)
            })
            .unwrap_or_default();
        Node {
            iri: iri.to_string(),
            label,
            class: class.name(),
            kind,
            province,
            documents: self.documents.get(iri).copied().unwrap_or(0),
        }
    }
}

fn level_rank(l: &str) -> usize {
    match l {
        "province" => 0,
        "city" => 1,
        "district" => 2,
        "commune" => 3,
        _ => 4,
    }
}

/// A period: inclusive bounds on ISO dates, each a prefix (`2021`, `2021-04`, `2021-04-30`).
struct Period {
    since: Option<String>,
    until: Option<String>,
}

impl Period {
    fn new(opts: &Options) -> Result<Self, GraphError> {
        let check =
            |option: &'static str, v: &Option<String>| -> Result<Option<String>, GraphError> {
                match v {
                    None => Ok(None),
                    Some(s) if iso_prefix(s.trim()) => Ok(Some(s.trim().to_string())),
                    Some(s) => Err(GraphError::BadDate {
                        option,
                        value: s.clone(),
                    }),
                }
            };
        Ok(Period {
            since: check("--since", &opts.since)?,
            until: check("--until", &opts.until)?,
        })
    }

    fn any(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether a support dated `date` counts; an undated support counts only without a period.
    fn contains(&self, date: &str) -> bool {
        if !self.any() {
            return true;
        }
        if date.is_empty() {
            return false;
        }
        if let Some(s) = &self.since {
            if date < s.as_str() {
                return false;
            }
        }
        if let Some(u) = &self.until {
            let cut = &date[..u.len().min(date.len())];
            if cut > u.as_str() {
                return false;
            }
        }
        true
    }
}

/// Whether `s` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn iso_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7) && (1..=12).contains(&num(&s[5..7])),
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && (1..=12).contains(&num(&s[5..7]))
                && (1..=31).contains(&num(&s[8..10]))
        }
        _ => false,
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// A date as `YYYY-MM-DD` (or shorter), from a literal's lexical form (`2021-04-30`,
/// `2021-04-30T08:00:00`), or empty.
fn date_of(s: &str) -> String {
    let s = s.trim();
    let cut = s.get(..10).unwrap_or(s);
    if iso_prefix(cut) {
        cut.to_string()
    } else {
        String::new()
    }
}

/// An edge's key: source, target, relation type.
type EdgeKey = (String, String, &'static str);

/// What an edge sums: its labels, and its documents with their dates.
type EdgeSum = (BTreeSet<String>, BTreeMap<String, String>);

/// Edges being summed: (source, target, type) -> labels and support.
#[derive(Default)]
struct Acc {
    edges: BTreeMap<EdgeKey, EdgeSum>,
}

impl Acc {
    fn add(&mut self, a: String, b: String, rel: &'static str, label: &str, doc: &str, date: &str) {
        if a == b {
            return;
        }
        let symmetric = matches!(rel, "agreement" | "event");
        let key = if symmetric && b < a {
            (b, a, rel)
        } else {
            (a, b, rel)
        };
        let (labels, docs) = self.edges.entry(key).or_default();
        if !label.trim().is_empty() {
            labels.insert(label.trim().to_string());
        }
        let slot = docs.entry(doc.to_string()).or_default();
        if slot.is_empty() || (!date.is_empty() && date < slot.as_str()) {
            *slot = date.to_string();
        }
    }
}

/// The documents of the store: graph IRI -> (document id, date of publication).
fn documents(store: &Store) -> Result<HashMap<String, (String, String)>, GraphError> {
    let (_, rows) = query::select(store, Q_DOCS)?;
    let mut docs = HashMap::new();
    for r in &rows {
        let date = date_of(&text(&r[2]));
        let e = docs
            .entry(text(&r[0]))
            .or_insert_with(|| (text(&r[1]), date.clone()));
        if e.1.is_empty() || (!date.is_empty() && date < e.1) {
            e.1 = date;
        }
    }
    Ok(docs)
}

/// Projects the store into a property graph: the view's entities and relations, limited to a
/// period and to a neighbourhood when the options say so. Nodes are sorted by IRI, edges by
/// (source, target, type).
pub fn project(store: &Store, opts: &Options) -> Result<Projection, GraphError> {
    let period = Period::new(opts)?;
    let view = opts.view;
    let docs = documents(store)?;
    let ents = Entities::read(store)?;
    let mut acc = Acc::default();
    let institutions = matches!(view, View::Institutions | View::Full);
    let people = matches!(view, View::People | View::Full);

    // one support of one relation, after the period and the view
    let add = |acc: &mut Acc, g: &str, a: &str, b: &str, rel, label: &str, own: &str| {
        let Some((doc, published)) = docs.get(g) else {
            return;
        };
        let own = date_of(own);
        let date = if own.is_empty() { published } else { &own };
        if !period.contains(date) {
            return;
        }
        if let (Some(a), Some(b)) = (ents.map(a, view), ents.map(b, view)) {
            acc.add(a, b, rel, label, doc, date);
        }
    };
    let rows = |q: &str| -> Result<Vec<Vec<String>>, GraphError> {
        let (_, rows) = query::select(store, q)?;
        Ok(rows.iter().map(|r| r.iter().map(text).collect()).collect())
    };

    if institutions {
        // n-ary relations: group the rows of one relation node, then pair its members
        let mut groups: BTreeMap<(String, String), (BTreeSet<String>, String, String)> =
            BTreeMap::new();
        for r in rows(Q_AGREEMENTS)? {
            let e = groups
                .entry((r[0].clone(), r[1].clone()))
                .or_insert_with(|| (BTreeSet::new(), r[3].clone(), r[4].clone()));
            e.0.insert(r[2].clone());
        }
        pairs(&groups, &mut |g, a, b, label, date| {
            add(&mut acc, g, a, b, "agreement", label, date)
        });
        let mut groups: BTreeMap<(String, String), (BTreeSet<String>, String, String)> =
            BTreeMap::new();
        for r in rows(Q_EVENTS)? {
            let kind = r[3].rsplit('#').next().unwrap_or("").to_string();
            let e = groups
                .entry((r[0].clone(), r[1].clone()))
                .or_insert_with(|| (BTreeSet::new(), kind, r[4].clone()));
            // members are mapped first, so that two offices of one body are one participant
            if let Some(m) = ents.map(&r[2], view) {
                e.0.insert(m);
            }
        }
        pairs(&groups, &mut |g, a, b, label, date| {
            add(&mut acc, g, a, b, "event", label, date)
        });
        for r in rows(Q_PART_OF)? {
            add(&mut acc, &r[0], &r[1], &r[2], "part_of", "", "");
        }
        for r in rows(Q_LOCATED)? {
            add(&mut acc, &r[0], &r[1], &r[2], "located_in", "", "");
        }
        if view == View::Full {
            for r in rows(Q_CONTAINED_IN)? {
                add(&mut acc, &r[0], &r[1], &r[2], "located_in", "", "");
            }
        }
        for r in rows(Q_DONATIONS)? {
            let label = if r[3].is_empty() {
                String::new()
            } else {
                format!("{} đồng", r[3])
            };
            add(&mut acc, &r[0], &r[1], &r[2], "donation", &label, &r[4]);
        }
        for r in rows(Q_AWARDS)? {
            add(&mut acc, &r[0], &r[1], &r[2], "award", &r[3], &r[4]);
        }
        for r in rows(Q_ISSUED)? {
            add(&mut acc, &r[0], &r[1], &r[2], "issued", &r[3], &r[4]);
        }
        for r in rows(Q_CITED)? {
            add(&mut acc, &r[0], &r[1], &r[2], "cited", &r[3], "");
        }
    }
    if people {
        for r in rows(Q_POSTS)? {
            let title = if r[4] == "true" && !r[3].is_empty() {
                format!("nguyên {}", r[3])
            } else {
                r[3].clone()
            };
            add(&mut acc, &r[0], &r[1], &r[2], "post", &title, &r[5]);
        }
    }

    let mut graph = build(&ents, acc);
    if let Some(name) = &opts.focus {
        let centre = locate(store, &graph, name, view)?;
        graph = neighbourhood(&graph, centre, opts.hops);
    }
    Ok(Projection::new(view, graph))
}

/// Calls `f(graph, a, b, label, date)` for every two members of every group.
fn pairs(
    groups: &BTreeMap<(String, String), (BTreeSet<String>, String, String)>,
    f: &mut dyn FnMut(&str, &str, &str, &str, &str),
) {
    for ((g, _), (members, label, date)) in groups {
        let m: Vec<&String> = members.iter().collect();
        for i in 0..m.len() {
            for j in i + 1..m.len() {
                f(g, m[i], m[j], label, date);
            }
        }
    }
}

/// The graph of the summed edges: nodes sorted by IRI, edges by key.
fn build(ents: &Entities, acc: Acc) -> UnGraph<Node, Edge> {
    let mut iris: BTreeSet<&str> = BTreeSet::new();
    for (a, b, _) in acc.edges.keys() {
        iris.insert(a);
        iris.insert(b);
    }
    let mut graph = UnGraph::with_capacity(iris.len(), acc.edges.len());
    let mut index: HashMap<&str, NodeIndex> = HashMap::with_capacity(iris.len());
    for iri in &iris {
        index.insert(iri, graph.add_node(ents.node(iri)));
    }
    for ((a, b, rel), (labels, docs)) in &acc.edges {
        graph.add_edge(
            index[a.as_str()],
            index[b.as_str()],
            Edge {
                rel,
                labels: labels.iter().cloned().collect(),
                docs: docs.clone(),
            },
        );
    }
    graph
}

/// Finds the node an entity name (or IRI) means, as `vnkg explain` matches names.
pub fn locate(
    store: &Store,
    graph: &UnGraph<Node, Edge>,
    name: &str,
    view: View,
) -> Result<NodeIndex, GraphError> {
    let by_iri = |iri: &str| graph.node_indices().find(|&i| graph[i].iri == iri);
    // an IRI names its node directly (legal documents too, which explain does not list)
    let trimmed = name.trim();
    let iri = match trimmed.strip_prefix("id:") {
        Some(rest) => Some(format!("{ID}{rest}")),
        None if trimmed.starts_with("http://") || trimmed.starts_with("https://") => {
            Some(trimmed.to_string())
        }
        None => None,
    };
    if let Some(i) = iri.as_deref().and_then(by_iri) {
        return Ok(i);
    }
    match explain::find(store, name)? {
        Found::Nothing => Err(GraphError::NotFound(name.to_string())),
        Found::Several(candidates) => {
            // several entities, but only one of them in the view: that one
            let inside: Vec<_> = candidates.iter().filter_map(|c| by_iri(&c.iri)).collect();
            if inside.len() == 1 && graph.node_count() > 0 {
                return Ok(inside[0]);
            }
            Err(GraphError::Ambiguous {
                name: name.to_string(),
                candidates,
            })
        }
        Found::One(c) => by_iri(&c.iri).ok_or_else(|| GraphError::NotInView {
            label: c.labels.iter().next().cloned().unwrap_or_default(),
            iri: c.iri.clone(),
            view,
        }),
    }
}

/// The subgraph of the nodes within `hops` edges of `centre`, in the same order.
pub fn neighbourhood(
    graph: &UnGraph<Node, Edge>,
    centre: NodeIndex,
    hops: usize,
) -> UnGraph<Node, Edge> {
    let dist = distances(graph, centre, hops);
    graph.filter_map(
        |i, n| (dist[i.index()] != usize::MAX).then(|| n.clone()),
        |_, e| Some(e.clone()),
    )
}

/// Each node's distance in edges from `centre`, up to `hops`; `usize::MAX` beyond.
pub fn distances(graph: &UnGraph<Node, Edge>, centre: NodeIndex, hops: usize) -> Vec<usize> {
    let mut dist = vec![usize::MAX; graph.node_count()];
    dist[centre.index()] = 0;
    let mut queue = VecDeque::from([centre]);
    while let Some(v) = queue.pop_front() {
        if dist[v.index()] >= hops {
            continue;
        }
        for w in graph.neighbors(v) {
            if dist[w.index()] == usize::MAX {
                dist[w.index()] = dist[v.index()] + 1;
                queue.push_back(w);
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_compare_date_prefixes() {
        let p = |s: Option<&str>, u: Option<&str>| {
            Period::new(&Options {
                since: s.map(String::from),
                until: u.map(String::from),
                ..Options::default()
            })
        };
        let x = p(Some("2021-04"), Some("2021")).unwrap();
        assert!(x.contains("2021-04-01"));
        assert!(x.contains("2021-12-31"));
        assert!(!x.contains("2021-03-31"));
        assert!(!x.contains("2022-01-01"));
        assert!(!x.contains(""), "undated support drops out of a period");
        assert!(p(None, None).unwrap().contains(""));
        assert!(matches!(
            p(Some("April 2021"), None),
            Err(GraphError::BadDate {
                option: "--since",
                ..
            })
        ));
        assert!(p(None, Some("2021-13")).is_err());
    }

    #[test]
    fn dates_are_cut_to_iso_days() {
        assert_eq!(date_of("2021-04-30T08:00:00Z"), "2021-04-30");
        assert_eq!(date_of("2021"), "2021");
        assert_eq!(date_of("hôm qua"), "");
    }

    #[test]
    fn symmetric_edges_are_keyed_once_and_sum_documents() {
        let mut acc = Acc::default();
        acc.add("b".into(), "a".into(), "agreement", "x", "d1", "2021-01-02");
        acc.add("a".into(), "b".into(), "agreement", "y", "d1", "2021-01-01");
        acc.add("a".into(), "b".into(), "agreement", "", "d2", "");
        acc.add("b".into(), "a".into(), "part_of", "", "d1", "");
        acc.add("a".into(), "a".into(), "part_of", "", "d1", "");
        assert_eq!(acc.edges.len(), 2);
        let (labels, docs) = &acc.edges[&("a".to_string(), "b".to_string(), "agreement")];
        assert_eq!(labels.iter().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(docs["d1"], "2021-01-01");
        assert_eq!(docs["d2"], "");
        assert!(acc
            .edges
            .contains_key(&("b".to_string(), "a".to_string(), "part_of")));
    }
}
