//! Exports computed from the store with SPARQL, so they show what a user's queries see:
//! facts (the scorer's format), mentions, statistics, and RDF dumps.

use crate::query::{plain, plain_or_empty as s, select, write_table, QueryError};
use crate::rdf::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;

/// A named entity in the facts format.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct NamedFact {
    /// Canonical name.
    pub name: String,
}

/// A place in the facts format.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlaceFact {
    /// Bare name.
    pub name: String,
    /// province, city, district or commune.
    pub level: String,
}

/// A position in the facts format.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PositionFact {
    /// Person's name.
    pub person: String,
    /// Title without its organisation.
    pub title: String,
    /// Organisation's name, or null.
    pub org: Option<String>,
    /// True for a former post.
    pub former: bool,
}

/// What the graph knows about one document, in the format of `shared/gold/README.md`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Facts {
    /// Document id.
    pub doc: String,
    /// Document date.
    pub date: Option<String>,
    /// Persons.
    pub persons: Vec<NamedFact>,
    /// Organisations.
    pub organizations: Vec<NamedFact>,
    /// Places.
    pub places: Vec<PlaceFact>,
    /// Positions.
    pub positions: Vec<PositionFact>,
    /// Events (filled by the relations stage).
    pub events: Vec<serde_json::Value>,
    /// Agreements (filled by the relations stage).
    pub agreements: Vec<serde_json::Value>,
    /// Awards (filled by the relations stage).
    pub awards: Vec<serde_json::Value>,
    /// Donations (filled by the relations stage).
    pub donations: Vec<serde_json::Value>,
    /// Legal documents (filled by the relations stage).
    pub legal_documents: Vec<serde_json::Value>,
}

fn local(t: &Option<Term>) -> String {
    let v = s(t);
    v.rsplit(['#', '/']).next().unwrap_or("").to_string()
}

const Q_DOCS: &str = "SELECT ?g ?id ?date ?event_date WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph ; prov:wasDerivedFrom ?d . ?d vnkg:docId ?id . OPTIONAL { ?d schema:datePublished ?date } OPTIONAL { ?d schema:about ?e . ?e schema:startDate ?event_date } } }";
const Q_EVENTS: &str = "SELECT ?g ?e ?kind ?date WHERE { GRAPH ?g { ?e a schema:Event ; vnkg:eventKind ?kind . OPTIONAL { ?e schema:startDate ?date } } }";
const Q_EVENT_ROLES: &str = "SELECT ?g ?e ?role ?name WHERE { GRAPH ?g { ?e a schema:Event ; ?role ?x . ?x skos:prefLabel ?name } VALUES ?role { schema:organizer vnkg:chair schema:attendee } }";
const Q_AGREEMENTS: &str = "SELECT ?g ?a ?topic ?date ?number WHERE { GRAPH ?g { ?a a org:OrganizationalCollaboration ; vnkg:topic ?topic . OPTIONAL { ?a dcterms:date ?date } OPTIONAL { ?a schema:identifier ?number } } }";
const Q_PARTIES: &str = "SELECT ?g ?a ?name WHERE { GRAPH ?g { ?a a org:OrganizationalCollaboration ; vnkg:party ?p . ?p skos:prefLabel ?name } }";
const Q_AWARDS: &str = "SELECT ?g ?award ?recipient ?grantor WHERE { GRAPH ?g { ?a a vnkg:AwardConferral ; schema:name ?award ; schema:recipient ?r . ?r skos:prefLabel ?recipient . OPTIONAL { ?a vnkg:grantor ?x . ?x skos:prefLabel ?grantor } } }";
const Q_DONATIONS: &str = "SELECT ?g ?donor ?recipient ?amount WHERE { GRAPH ?g { ?a a schema:DonateAction ; schema:agent ?d ; vnkg:amountVnd ?amount . ?d skos:prefLabel ?donor . OPTIONAL { ?a schema:recipient ?r . ?r skos:prefLabel ?recipient } } }";
const Q_LEGAL: &str = "SELECT ?g ?l ?number ?kind ?date WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?d . ?d schema:citation ?l . ?l schema:legislationIdentifier ?number . OPTIONAL { ?l schema:legislationType ?kind } OPTIONAL { ?l schema:legislationDate ?date } } }";
const Q_ISSUERS: &str = "SELECT ?g ?l ?name WHERE { GRAPH ?g { ?l a schema:Legislation ; schema:legislationPassedBy ?i . ?i skos:prefLabel ?name } }";
const Q_ENTITIES: &str = "SELECT ?g ?type ?name ?level WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?e a ?type ; skos:prefLabel ?name . OPTIONAL { ?e vnkg:adminLevel ?level } FILTER NOT EXISTS { ?e vnkg:inferred true } } VALUES ?type { schema:Person org:Organization schema:AdministrativeArea } }";
const Q_POSITIONS: &str = "SELECT ?g ?person ?title ?org ?former WHERE { GRAPH ?g { ?m a org:Membership ; org:member ?p ; org:role ?r ; vnkg:former ?former . ?p skos:prefLabel ?person . ?r skos:prefLabel ?title . OPTIONAL { ?m org:organization ?o . ?o skos:prefLabel ?org } } }";

/// The facts of every document in the store, ordered by document id.
pub fn facts(store: &Store) -> Result<Vec<Facts>, QueryError> {
    let mut by_graph: BTreeMap<String, Facts> = BTreeMap::new();
    let (_, rows) = select(store, Q_DOCS)?;
    for r in rows {
        by_graph.insert(
            s(&r[0]),
            Facts {
                doc: s(&r[1]),
                // the date of the main event reported, else the publication date
                date: r[3].as_ref().or(r[2].as_ref()).map(plain),
                ..Facts::default()
            },
        );
    }
    let mut persons: BTreeMap<String, BTreeSet<NamedFact>> = BTreeMap::new();
    let mut orgs: BTreeMap<String, BTreeSet<NamedFact>> = BTreeMap::new();
    let mut places: BTreeMap<String, BTreeSet<PlaceFact>> = BTreeMap::new();
    let (_, rows) = select(store, Q_ENTITIES)?;
    for r in rows {
        let g = s(&r[0]);
        let name = s(&r[2]);
        match local(&r[1]).as_str() {
            "Person" => {
                persons.entry(g).or_default().insert(NamedFact { name });
            }
            "Organization" => {
                orgs.entry(g).or_default().insert(NamedFact { name });
            }
            _ => {
                places.entry(g).or_default().insert(PlaceFact {
                    name,
                    level: local(&r[3]),
                });
            }
        }
    }
    let mut positions: BTreeMap<String, BTreeSet<PositionFact>> = BTreeMap::new();
    let (_, rows) = select(store, Q_POSITIONS)?;
    for r in rows {
        positions.entry(s(&r[0])).or_default().insert(PositionFact {
            person: s(&r[1]),
            title: s(&r[2]),
            org: r[3].as_ref().map(plain),
            former: s(&r[4]) == "true",
        });
    }
    let mut relations = relation_facts(store)?;
    let mut out: Vec<Facts> = by_graph
        .into_iter()
        .map(|(g, mut f)| {
            if let Some(r) = relations.remove(&g) {
                f.events = r.events;
                f.agreements = r.agreements;
                f.awards = r.awards;
                f.donations = r.donations;
                f.legal_documents = r.legal_documents;
            }
            f.persons = persons.remove(&g).unwrap_or_default().into_iter().collect();
            f.organizations = orgs.remove(&g).unwrap_or_default().into_iter().collect();
            f.places = places.remove(&g).unwrap_or_default().into_iter().collect();
            f.positions = positions
                .remove(&g)
                .unwrap_or_default()
                .into_iter()
                .collect();
            f
        })
        .collect();
    out.sort_by(|a, b| a.doc.cmp(&b.doc));
    Ok(out)
}

/// The relation sections of the facts of one graph.
#[derive(Default)]
struct RelationFacts {
    events: Vec<serde_json::Value>,
    agreements: Vec<serde_json::Value>,
    awards: Vec<serde_json::Value>,
    donations: Vec<serde_json::Value>,
    legal_documents: Vec<serde_json::Value>,
}

/// Groups `(graph, node) -> names` from rows of `?g ?node ?name`.
fn names_by_node(
    store: &Store,
    query: &str,
) -> Result<BTreeMap<(String, String), BTreeSet<String>>, QueryError> {
    let (_, rows) = select(store, query)?;
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        out.entry((s(&r[0]), s(&r[1])))
            .or_default()
            .insert(s(&r[2]));
    }
    Ok(out)
}

fn relation_facts(store: &Store) -> Result<BTreeMap<String, RelationFacts>, QueryError> {
    use serde_json::{json, Value};
    let mut out: BTreeMap<String, RelationFacts> = BTreeMap::new();
    // events: organisers, and participants with the chairs
    let mut roles: BTreeMap<(String, String), (BTreeSet<String>, BTreeSet<String>)> =
        BTreeMap::new();
    let (_, rows) = select(store, Q_EVENT_ROLES)?;
    for r in rows {
        let e = roles.entry((s(&r[0]), s(&r[1]))).or_default();
        if local(&r[2]) == "organizer" {
            e.0.insert(s(&r[3]));
        } else {
            e.1.insert(s(&r[3]));
        }
    }
    let (_, rows) = select(store, Q_EVENTS)?;
    for r in rows {
        let key = (s(&r[0]), s(&r[1]));
        let (org, part) = roles.remove(&key).unwrap_or_default();
        out.entry(key.0).or_default().events.push(json!({
            "date": r[3].as_ref().map(plain),
            "kind": local(&r[2]),
            "organizers": org,
            "participants": part,
        }));
    }
    let mut parties = names_by_node(store, Q_PARTIES)?;
    let (_, rows) = select(store, Q_AGREEMENTS)?;
    for r in rows {
        let key = (s(&r[0]), s(&r[1]));
        let mut v = json!({
            "parties": parties.remove(&key).unwrap_or_default(),
            "date": r[3].as_ref().map(plain),
            "topic": s(&r[2]),
        });
        if let Some(n) = r[4].as_ref() {
            v["number"] = Value::from(plain(n));
        }
        out.entry(key.0).or_default().agreements.push(v);
    }
    let (_, rows) = select(store, Q_AWARDS)?;
    for r in rows {
        out.entry(s(&r[0])).or_default().awards.push(json!({
            "award": s(&r[1]),
            "recipient": s(&r[2]),
            "grantor": r[3].as_ref().map(plain),
        }));
    }
    let (_, rows) = select(store, Q_DONATIONS)?;
    for r in rows {
        out.entry(s(&r[0])).or_default().donations.push(json!({
            "donor": s(&r[1]),
            "recipient": r[2].as_ref().map(plain),
            "amount_vnd": s(&r[3]).parse::<u64>().ok(),
        }));
    }
    let mut issuers = names_by_node(store, Q_ISSUERS)?;
    let (_, rows) = select(store, Q_LEGAL)?;
    for r in rows {
        let key = (s(&r[0]), s(&r[1]));
        out.entry(key.0.clone())
            .or_default()
            .legal_documents
            .push(json!({
                "number": s(&r[2]),
                "kind": r[3].as_ref().map(plain),
                "issuers": issuers.remove(&key).unwrap_or_default(),
                "date": r[4].as_ref().map(plain),
            }));
    }
    for f in out.values_mut() {
        for v in [
            &mut f.events,
            &mut f.agreements,
            &mut f.awards,
            &mut f.donations,
            &mut f.legal_documents,
        ] {
            v.sort_by_key(|x| x.to_string());
        }
    }
    Ok(out)
}

/// Writes facts as JSON Lines.
pub fn write_facts(store: &Store, out: &mut dyn Write) -> Result<usize, QueryError> {
    let all = facts(store)?;
    for f in &all {
        let line = serde_json::to_string(f).map_err(|e| QueryError::Output(e.into()))?;
        writeln!(out, "{line}").map_err(QueryError::Output)?;
    }
    Ok(all.len())
}

/// One mention in the mentions export.
#[derive(Debug, Clone, Serialize)]
pub struct MentionRow {
    /// Document id.
    pub doc: String,
    /// First character (Unicode, NFC text).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The mention's text.
    pub text: String,
    /// Person, Organization or Place.
    #[serde(rename = "type")]
    pub kind: String,
    /// The entity's IRI.
    pub entity: String,
}

/// Every mention with its document, offsets (from its IRI), text, class and entity.
fn q_mentions() -> String {
    format!(
        "SELECT ?id ?b ?e ?text ?type ?ent WHERE {{ GRAPH ?g {{ ?g prov:wasDerivedFrom ?d . ?d vnkg:docId ?id . \
         ?m a nif:Phrase ; nif:referenceContext ?ctx ; itsrdf:taIdentRef ?ent . ?ent a ?type . ?ctx nif:isString ?str \
         {} BIND(SUBSTR(?str, ?b + 1, ?e - ?b) AS ?text) }} \
         VALUES ?type {{ schema:Person org:Organization schema:AdministrativeArea }} }} ORDER BY ?id ?b ?e",
        crate::query::span_binds("?m", "?b", "?e")
    )
}

/// Every mention in the store, by document and offset.
pub fn mentions(store: &Store) -> Result<Vec<MentionRow>, QueryError> {
    let (_, rows) = select(store, &q_mentions())?;
    Ok(rows
        .into_iter()
        .map(|r| MentionRow {
            doc: s(&r[0]),
            start: s(&r[1]).parse().unwrap_or(0),
            end: s(&r[2]).parse().unwrap_or(0),
            text: s(&r[3]),
            kind: match local(&r[4]).as_str() {
                "AdministrativeArea" => "Place".to_string(),
                other => other.to_string(),
            },
            entity: s(&r[5]),
        })
        .collect())
}

/// Writes mentions as JSON Lines.
pub fn write_mentions(store: &Store, out: &mut dyn Write) -> Result<usize, QueryError> {
    let all = mentions(store)?;
    for m in &all {
        let line = serde_json::to_string(m).map_err(|e| QueryError::Output(e.into()))?;
        writeln!(out, "{line}").map_err(QueryError::Output)?;
    }
    Ok(all.len())
}

/// RDF dump formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dump {
    /// N-Quads: every graph.
    NQuads,
    /// TriG: every graph.
    TriG,
    /// Turtle: the union of all graphs, each triple once.
    Turtle,
}

/// Writes the store as RDF.
pub fn write_dump(store: &Store, format: Dump, out: &mut dyn Write) -> Result<usize, QueryError> {
    let io = |e: std::io::Error| QueryError::Output(e);
    let storage = |e: oxigraph::store::StorageError| QueryError::Evaluation(e.to_string());
    let mut n = 0;
    match format {
        Dump::NQuads | Dump::TriG => {
            let mut ser = RdfSerializer::from_format(if format == Dump::TriG {
                RdfFormat::TriG
            } else {
                RdfFormat::NQuads
            });
            if format == Dump::TriG {
                for (p, iri) in vocab::PREFIXES {
                    ser = ser
                        .with_prefix(p, iri)
                        .map_err(|e| QueryError::Evaluation(e.to_string()))?;
                }
            }
            let mut w = ser.for_writer(out);
            for q in store.iter() {
                w.serialize_quad(&q.map_err(storage)?).map_err(io)?;
                n += 1;
            }
            w.finish().map_err(io)?;
        }
        Dump::Turtle => {
            let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in vocab::PREFIXES {
                ser = ser
                    .with_prefix(p, iri)
                    .map_err(|e| QueryError::Evaluation(e.to_string()))?;
            }
            let mut w = ser.for_writer(out);
            let mut seen = HashSet::new();
            for q in store.iter() {
                let q = q.map_err(storage)?;
                let t = oxigraph::model::Triple::from(q);
                if seen.insert(t.clone()) {
                    w.serialize_triple(&t).map_err(io)?;
                    n += 1;
                }
            }
            w.finish().map_err(io)?;
        }
    }
    Ok(n)
}

const Q_STATS_CLASSES: &str = "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?e a ?type } VALUES ?type { schema:NewsArticle schema:Person org:Organization schema:AdministrativeArea org:Membership org:Post nif:Phrase nif:Sentence } } GROUP BY ?type ORDER BY ?type";
const Q_STATS_DOCS: &str = "SELECT ?id (COUNT(DISTINCT ?p) AS ?persons) (COUNT(DISTINCT ?o) AS ?organizations) (COUNT(DISTINCT ?l) AS ?places) (COUNT(DISTINCT ?m) AS ?positions) (COUNT(DISTINCT ?x) AS ?mentions) WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?d . ?d vnkg:docId ?id . OPTIONAL { { ?p a schema:Person } UNION { ?o a org:Organization } UNION { ?l a schema:AdministrativeArea } UNION { ?m a org:Membership } UNION { ?x a nif:Phrase } } } } GROUP BY ?id ORDER BY ?id";

/// Writes counts per class (distinct entities over all documents) and per document.
pub fn write_stats(store: &Store, out: &mut dyn Write) -> Result<(), QueryError> {
    let io = QueryError::Output;
    let (_, rows) = select(store, Q_STATS_CLASSES)?;
    let shortened: Vec<Vec<String>> = rows
        .iter()
        .map(|r| vec![short_class(&s(&r[0])), s(&r[1])])
        .collect();
    write_table(&["class".into(), "count".into()], &shortened, out).map_err(io)?;
    writeln!(out, "quads in store: {}", store.len().unwrap_or(0)).map_err(io)?;
    writeln!(out).map_err(io)?;
    let (vars, rows) = select(store, Q_STATS_DOCS)?;
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(s).collect()).collect();
    write_table(&vars, &rows, out).map_err(io)
}

fn short_class(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| iri.to_string())
}

/// The temporary file an output is written to before it is renamed to `path`: the file name
/// with `.vnkg-partial` appended (`g.gexf` and `g.graphml` get two different ones).
pub fn partial_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".vnkg-partial");
    path.with_file_name(name)
}
