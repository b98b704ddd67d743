//! `vnkg explain NAME`: one entity and everything the store says about it, each fact with the
//! document, the date and the sentence that states it.
//!
//! The name is matched on its folded form (case, tone placement, `Đắk`/`Đăk`), against every
//! label of every person, body and place; an IRI (full, or `id:...`) names one entity
//! directly. When several entities match, they are listed as candidates instead.

use crate::query::{self, plain_or_empty as text, short, QueryError};
use crate::rdf::vocab::{self, CORPUS_GRAPH, ID};
use crate::resolve::name_key;
use oxigraph::model::{Literal, NamedNode};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// An entity that a name may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its IRI.
    pub iri: String,
    /// Its kind: Person, Organization or AdministrativeArea.
    pub kind: String,
    /// Its preferred labels (one per spelling the documents use).
    pub labels: BTreeSet<String>,
    /// How many documents name it.
    pub documents: usize,
    /// What tells it apart: a person's posts, a body's or a place's parent.
    pub hint: String,
}

/// What `explain` found for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing of that name.
    Nothing,
    /// One entity.
    One(Candidate),
    /// Several: the name is ambiguous.
    Several(Vec<Candidate>),
}

/// The rows of the corpus graph's name index (IRI, class, label, documents, one name key per
/// row) for the entities a name can find: those of `key` (one lookup), or of IRI `iri`, or,
/// with neither, the whole index (one row per entity and spelling, never the documents).
fn index_rows(
    store: &Store,
    key: Option<&str>,
    iri: Option<&NamedNode>,
) -> Result<Vec<Vec<Option<oxigraph::model::Term>>>, QueryError> {
    let (bind, key_term) = match (key, iri) {
        (Some(k), _) => {
            let k = Literal::new_simple_literal(k).to_string();
            (format!("BIND({k} AS ?key)"), k)
        }
        (None, Some(i)) => (format!("VALUES ?e {{ {i} }}"), "?key".to_string()),
        (None, None) => (String::new(), "?key".to_string()),
    };
    let sparql = format!(
        "SELECT ?e ?type ?label ?docs ?key WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ \
         ?e skos:hiddenLabel {key_term} ; a ?type ; skos:prefLabel ?label . \
         OPTIONAL {{ ?e vnkg:documentCount ?docs }} {bind} }} \
         VALUES ?type {{ schema:Person org:Organization schema:AdministrativeArea schema:Legislation }} }}"
    );
    Ok(query::select(store, &sparql)?.1)
}

/// SPARQL binding `?x` to the label of the place or body `?p`: the corpus graph's summary of
/// it, else the reference graph's (a 2025 province no article names). Labels are read from
/// these graphs, one per entity, never from the documents, which repeat them once each.
const REFERENCE_OR_CORPUS_LABEL: &str = "OPTIONAL { GRAPH <https://w3id.org/vnkg/id/graph/corpus> { ?p skos:prefLabel ?corpus_label } } OPTIONAL { GRAPH <https://w3id.org/vnkg/id/graph/reference> { ?p skos:prefLabel ?reference_label } } BIND(COALESCE(?corpus_label, ?reference_label) AS ?x) FILTER(BOUND(?x))";

/// How many candidates of an ambiguous name get their preferred labels and hints (the most
/// named first); the others are listed by the labels that matched.
pub const HINTED: usize = 50;

/// The entities `name` may mean: those with a label equal to it once folded, else those with a
/// label that contains it. An IRI names its entity.
pub fn find(store: &Store, name: &str) -> Result<Found, QueryError> {
    let name = name.trim();
    let iri = match name.strip_prefix("id:") {
        Some(rest) => Some(format!("{ID}{rest}")),
        None if name.starts_with("http://") || name.starts_with("https://") => {
            Some(name.to_string())
        }
        None => None,
    };
    let wanted = name_key(name);
    let exact_rows = match &iri {
        Some(i) => match NamedNode::new(i.as_str()) {
            Ok(node) => index_rows(store, None, Some(&node))?,
            Err(_) => Vec::new(),
        },
        None if wanted.is_empty() => Vec::new(),
        None => index_rows(store, Some(&wanted), None)?,
    };
    let partial_rows = if exact_rows.is_empty() && iri.is_none() && !wanted.is_empty() {
        index_rows(store, None, None)?
    } else {
        Vec::new()
    };
    let mut exact: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut partial: BTreeMap<String, Candidate> = BTreeMap::new();
    let needle = format!(" {wanted} ");
    for (rows, whole) in [(&exact_rows, true), (&partial_rows, false)] {
        for r in rows {
            if !whole && !format!(" {} ", text(&r[4])).contains(&needle) {
                continue;
            }
            let e = text(&r[0]);
            let target = if whole { &mut exact } else { &mut partial };
            let c = target.entry(e.clone()).or_insert_with(|| Candidate {
                iri: e.clone(),
                kind: short(r[1].as_ref().expect("bound"))
                    .replace("schema:", "")
                    .replace("org:", ""),
                labels: BTreeSet::new(),
                documents: text(&r[3]).parse().unwrap_or(0),
                hint: String::new(),
            });
            c.labels.insert(text(&r[2]));
        }
    }
    let pick = if exact.is_empty() { partial } else { exact };
    let mut all: Vec<Candidate> = pick.into_values().collect();
    all.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.iri.cmp(&b.iri)));
    // labels and hints for the most named candidates only: a short name may match thousands
    for c in all.iter_mut().take(HINTED) {
        // preferred labels only, when the entity has any
        let pref = pref_labels(store, &c.iri)?;
        if !pref.is_empty() {
            c.labels = pref;
        }
        let hints = lines(
            store,
            &format!(
                "SELECT DISTINCT ?h WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ {{ ?m org:member <{0}> ; org:role/skos:prefLabel ?t . OPTIONAL {{ ?m org:organization/skos:prefLabel ?o }} BIND(IF(BOUND(?o), CONCAT(?t, \" \", ?o), ?t) AS ?h) }} UNION {{ <{0}> org:subOrganizationOf|schema:containedInPlace|schema:location ?p . ?p skos:prefLabel ?h }} }} }} ORDER BY ?h LIMIT 3",
                c.iri
            ),
        )?;
        c.hint = hints
            .iter()
            .map(|r| r[0].as_str())
            .collect::<Vec<_>>()
            .join("; ");
    }
    Ok(match all.len() {
        0 => Found::Nothing,
        1 => Found::One(all.remove(0)),
        _ => Found::Several(all),
    })
}

fn pref_labels(store: &Store, iri: &str) -> Result<BTreeSet<String>, QueryError> {
    let (_, rows) = query::select(
        store,
        &format!("SELECT DISTINCT ?l WHERE {{ <{iri}> skos:prefLabel ?l }}"),
    )?;
    Ok(rows.iter().map(|r| text(&r[0])).collect())
}

fn lines(store: &Store, sparql: &str) -> Result<Vec<Vec<String>>, QueryError> {
    let (_, rows) = query::select(store, sparql)?;
    Ok(rows.iter().map(|r| r.iter().map(text).collect()).collect())
}

/// A value that may be another entity: its label, and its IRI when it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What to show.
    pub label: String,
    /// The entity's IRI, when the value is an entity of the store or an outside item.
    pub iri: Option<String>,
}

/// How one document's record of a person was linked to the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityLink {
    /// The document id.
    pub doc: String,
    /// The rule that linked it (`shared-body`, ...), or `None` when it stands alone.
    pub rule: Option<String>,
    /// The bodies or places the link rests on, joined with commas.
    pub via: String,
    /// The weight of that evidence (`vnkg:linkScore`), or empty.
    pub score: String,
    /// The persons of the same name it was kept apart from (IRIs written short), joined with
    /// commas, or empty.
    pub apart: String,
}

impl IdentityLink {
    /// How the record was linked, as `explain` prints it: `shared-body via Bộ Y tế (score
    /// 2.310); kept apart from id:person/...`.
    pub fn summary(&self) -> String {
        let mut s = self.rule.as_deref().unwrap_or("alone").to_string();
        if !self.via.is_empty() {
            s.push_str(&format!(" via {}", self.via));
        }
        if !self.score.is_empty() {
            s.push_str(&format!(" (score {})", self.score));
        }
        if !self.apart.is_empty() {
            s.push_str(&format!(
                "; kept apart from {} (posts in another province on the same date)",
                self.apart
            ));
        }
        s
    }
}

/// A post a person held, over the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The title.
    pub title: String,
    /// The body, when the post names one.
    pub organization: String,
    /// First and last dates it is stated as held (empty when only reported as former).
    pub first: String,
    /// See `first`.
    pub last: String,
    /// The first date a report shows it had ended, or empty.
    pub former_by: String,
    /// How many documents state it.
    pub documents: String,
}

/// A fact about the entity: a node of a document graph that names it, with its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The fact's own date, else its document's, else empty.
    pub date: String,
    /// The document id.
    pub doc: String,
    /// The kind of fact and the entity's part in it: `Membership (member)`, `Event (attendee)`.
    pub relation: String,
    /// The fact's other values: `role=Giám đốc; organization=Sở Y tế tỉnh Nghệ An`.
    pub detail: String,
    /// The sentence that states it.
    pub sentence: String,
    /// The mention of the entity in the sentence, as character offsets into `sentence`.
    pub mark: Option<(usize, usize)>,
}

impl Fact {
    /// The fact on one line: relation and detail.
    pub fn what(&self) -> String {
        format!("{} {}", self.relation, self.detail)
            .trim_end()
            .to_string()
    }

    /// The sentence with the mention in [brackets].
    pub fn highlighted(&self) -> String {
        match self.mark {
            Some((a, b)) => highlight(&self.sentence, a, b),
            None => self.sentence.clone(),
        }
    }
}

/// Everything the store says about one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The entity.
    pub entity: Candidate,
    /// Its other spellings (`skos:altLabel`).
    pub also_written: Vec<String>,
    /// Kind, hierarchy and reference links, each a heading and its values, in a fixed order;
    /// headings without values are left out.
    pub details: Vec<(&'static str, Vec<Link>)>,
    /// For a person: one record per document and the rule that linked it.
    pub identity: Vec<IdentityLink>,
    /// For a body: the other bodies linked to it (`doc` holds the variant's name and how
    /// many documents name it so).
    pub variants: Vec<IdentityLink>,
    /// For a person: the posts over time.
    pub posts: Vec<Post>,
    /// Every fact, ordered by date, document and fact.
    pub facts: Vec<Fact>,
    /// The documents that name it (at most [`MAX_DOCUMENTS`], by date and id), each with the
    /// sentence of its first mention (`relation` is `named`), or, where it is only the implied
    /// parent of a body the document names, no sentence (`relation` is `implied`).
    pub documents: Vec<Fact>,
}

/// The most documents `explain` lists by name; `named in N document(s)` counts them all.
pub const MAX_DOCUMENTS: usize = 50;

/// The sentence of `text` (its characters) around the characters `a..b`: from after the last
/// sentence end or line break before `a` to the first after `b`.
fn sentence_around(text: &str, a: usize, b: usize) -> Option<(String, (usize, usize))> {
    let chars: Vec<char> = text.chars().collect();
    if a >= b || b > chars.len() {
        return None;
    }
    let ends = |i: usize| {
        chars[i] == '\n'
            || (matches!(chars[i], '.' | '!' | '?')
                && chars.get(i + 1).is_none_or(|c| c.is_whitespace()))
    };
    let start = (0..a).rev().find(|&i| ends(i)).map_or(0, |i| i + 1);
    let end = (b..chars.len())
        .find(|&i| ends(i))
        .map_or(chars.len(), |i| if chars[i] == '\n' { i } else { i + 1 });
    let raw: String = chars[start..end].iter().collect();
    let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
    let sentence: String = raw.trim().to_string();
    Some((sentence, (a - start - lead, b - start - lead)))
}

/// The documents that name entity `e`, each with its first mention's sentence.
fn naming_documents(
    store: &Store,
    e: &str,
    mentions: &BTreeMap<String, Vec<(usize, usize)>>,
) -> Result<Vec<Fact>, QueryError> {
    let rows = lines(
        store,
        &format!(
            "SELECT ?doc ?pub ?g (SAMPLE(?inf) AS ?implied) WHERE {{ GRAPH ?g {{ \
             ?g a vnkg:DocumentGraph ; prov:wasDerivedFrom ?d . ?d vnkg:docId ?doc . <{e}> skos:prefLabel ?l \
             OPTIONAL {{ ?d schema:datePublished ?pub }} \
             OPTIONAL {{ <{e}> vnkg:inferred ?inf }} }} }} \
             GROUP BY ?doc ?pub ?g ORDER BY ?pub ?doc LIMIT {MAX_DOCUMENTS}"
        ),
    )?;
    let mut out = Vec::new();
    for r in rows {
        let (doc, date, g) = (&r[0], &r[1], &r[2]);
        let first = mentions.get(g).and_then(|m| m.first());
        // no mention: the document names a unit of it, and it is implied as the parent
        let implied = first.is_none() && r[3] == "true";
        let (sentence, mark) = match first {
            Some(&span) => first_mention(store, g, span)?,
            None => (String::new(), None),
        };
        out.push(Fact {
            date: date.clone(),
            doc: doc.clone(),
            relation: if implied { "implied" } else { "named" }.into(),
            detail: String::new(),
            sentence,
            mark,
        });
    }
    Ok(out)
}

/// Every mention of entity `e`: graph IRI -> its character spans, in order (read from the
/// mentions' IRIs, `<doc>#char=a,b`).
fn mentions_of(
    store: &Store,
    e: &str,
) -> Result<BTreeMap<String, Vec<(usize, usize)>>, QueryError> {
    let rows = lines(
        store,
        &format!("SELECT ?g ?m WHERE {{ GRAPH ?g {{ ?m itsrdf:taIdentRef <{e}> }} }}"),
    )?;
    let mut out: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for r in rows {
        if let Some(span) = char_span_of(&r[1]) {
            out.entry(r[0].clone()).or_default().push(span);
        }
    }
    for spans in out.values_mut() {
        spans.sort_unstable();
    }
    Ok(out)
}

/// The character span an RFC 5147 IRI names (`...#char=a,b`).
fn char_span_of(iri: &str) -> Option<(usize, usize)> {
    let (_, span) = iri.rsplit_once("#char=")?;
    let (a, b) = span.split_once(',')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The sentence around the mention at characters `(a, b)` of graph `g`'s text, with the
/// mention's place in it.
fn first_mention(
    store: &Store,
    g: &str,
    (a, b): (usize, usize),
) -> Result<(String, Option<(usize, usize)>), QueryError> {
    let found = lines(
        store,
        &format!(
            "SELECT ?text WHERE {{ GRAPH <{g}> {{ ?c a nif:Context ; nif:isString ?text }} }} LIMIT 1"
        ),
    )?;
    let around = found.first().and_then(|f| sentence_around(&f[0], a, b));
    Ok(around.map_or((String::new(), None), |(s, m)| (s, Some(m))))
}

/// Wraps the characters `a..b` of `s` (offsets relative to `s`) in brackets.
fn highlight(s: &str, a: usize, b: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if a >= b || b > chars.len() {
        return s.to_string();
    }
    let part = |x: usize, y: usize| chars[x..y].iter().collect::<String>();
    format!("{}[{}]{}", part(0, a), part(a, b), part(b, chars.len()))
}

/// Collects what the store says about one entity.
pub fn report(store: &Store, c: &Candidate) -> Result<Report, QueryError> {
    let e = &c.iri;
    let also_written = lines(
        store,
        &format!("SELECT DISTINCT ?l WHERE {{ <{e}> skos:altLabel ?l }} ORDER BY ?l"),
    )?
    .into_iter()
    .map(|mut r| r.swap_remove(0))
    .collect();
    // kind, level, hierarchy, reference links: each query gives a label and, for an entity, its IRI
    let mut details = Vec::new();
    for (label, sparql) in [
        ("kind", format!("SELECT DISTINCT ?x ?i WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ <{e}> org:classification|vnkg:adminLevel ?k }} ?k skos:prefLabel ?x FILTER(lang(?x) = \"en\") }}")),
        ("part of", format!("SELECT DISTINCT ?x ?p WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ <{e}> (org:subOrganizationOf|schema:containedInPlace)+ ?p . ?p skos:prefLabel ?x }} }}")),
        ("units", format!("SELECT DISTINCT ?x ?c WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ ?c org:subOrganizationOf|schema:containedInPlace <{e}> . ?c skos:prefLabel ?x }} }} ORDER BY ?x")),
        ("located in", format!("SELECT DISTINCT ?x ?p WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ <{e}> schema:location ?p }} {REFERENCE_OR_CORPUS_LABEL} }}")),
        ("from 2025-07-01 part of", format!("SELECT DISTINCT ?x ?p WHERE {{ <{e}> dcterms:isReplacedBy ?p . ?p skos:prefLabel ?x }}")),
        ("merged into it on 2025-07-01", format!("SELECT DISTINCT ?x ?p WHERE {{ <{e}> dcterms:replaces ?p . ?p skos:prefLabel ?x }} ORDER BY ?x")),
        ("ISO 3166-2", format!("SELECT DISTINCT ?x ?i WHERE {{ <{e}> vnkg:iso3166Code ?x }}")),
        ("Wikidata", format!("SELECT DISTINCT ?x ?x2 WHERE {{ <{e}> owl:sameAs ?x BIND(?x AS ?x2) }}")),
    ] {
        let rows = lines(store, &sparql)?;
        if !rows.is_empty() {
            let links = rows
                .into_iter()
                .map(|mut r| {
                    let iri = r.pop().filter(|i| !i.is_empty());
                    Link { label: r.swap_remove(0), iri }
                })
                .collect();
            details.push((label, links));
        }
    }
    // identity: how its records in different documents were linked, and by which decisions
    let curation = crate::rdf::vocab::CURATION_GRAPH;
    let identity = lines(
        store,
        &format!(
            "SELECT ?doc ?rule (GROUP_CONCAT(DISTINCT ?al; separator=\", \") AS ?via) (SAMPLE(?s) AS ?score) \
             (GROUP_CONCAT(DISTINCT ?other; separator=\", \") AS ?apart) WHERE {{ \
             GRAPH ?g {{ ?ev vnkg:identifies <{e}> . ?g prov:wasDerivedFrom ?d . ?d vnkg:docId ?doc }} \
             OPTIONAL {{ ?ev vnkg:linkRule ?r . BIND(STRAFTER(STR(?r), \"#\") AS ?rule) }} \
             OPTIONAL {{ ?ev vnkg:linkScore ?s }} \
             OPTIONAL {{ ?ev vnkg:keptApartFrom ?o . BIND(CONCAT(\"id:\", STRAFTER(STR(?o), \"{ID}\")) AS ?other) }} \
             OPTIONAL {{ {{ ?ev vnkg:sharedAnchor ?p . {REFERENCE_OR_CORPUS_LABEL} BIND(?x AS ?al) }} \
               UNION {{ ?ev vnkg:sameTextAs ?g2 . GRAPH ?g2 {{ ?g2 prov:wasDerivedFrom ?d2 . ?d2 vnkg:docId ?copy }} \
               BIND(CONCAT(\"the copy \", ?copy) AS ?al) }} \
               UNION {{ ?ev vnkg:curatedBy ?dec . GRAPH <{curation}> {{ ?dec vnkg:decisionNumber ?n ; vnkg:decision ?k ; prov:endedAtTime ?t . OPTIONAL {{ ?dec rdfs:comment ?note }} }} \
               BIND(CONCAT(\"decision \", STR(?n), \" (\", ?k, \", \", SUBSTR(STR(?t), 1, 10), IF(BOUND(?note), CONCAT(\": \", ?note), \"\"), \")\") AS ?al) }} }} }} GROUP BY ?doc ?rule ORDER BY ?doc"
        ),
    )?
    .into_iter()
    .map(|r| {
        let [doc, rule, via, score, apart]: [String; 5] = r.try_into().unwrap_or_default();
        IdentityLink {
            doc,
            rule: Some(rule).filter(|r| !r.is_empty()),
            via,
            score,
            apart,
        }
    })
    .collect();
    // bodies found to be this one: the variant, its documents, the rule and its evidence
    let variants = lines(
        store,
        &format!(
            "SELECT ?name ?rule (GROUP_CONCAT(DISTINCT ?why; separator=\", \") AS ?via) (SAMPLE(?s) AS ?score) WHERE {{ \
             GRAPH <{CORPUS_GRAPH}> {{ <{e}> vnkg:bodyVariant ?v . ?v skos:prefLabel ?l ; vnkg:documentCount ?n ; vnkg:linkRule ?r . \
             BIND(CONCAT(\"\\\"\", STR(?l), \"\\\" (\", STR(?n), \" document(s))\") AS ?name) BIND(STRAFTER(STR(?r), \"#\") AS ?rule) \
             OPTIONAL {{ ?v vnkg:linkScore ?s }} \
             OPTIONAL {{ {{ ?v vnkg:differsBy ?d BIND(CONCAT(\"the word \", ?d) AS ?why) }} \
               UNION {{ ?v vnkg:sharedAnchor ?o . ?o skos:prefLabel ?ol BIND(CONCAT(\"the official \", ?ol) AS ?why) }} }} }} }} \
             GROUP BY ?name ?rule ORDER BY ?name"
        ),
    )?
    .into_iter()
    .map(|r| {
        let [doc, rule, via, score]: [String; 4] = r.try_into().unwrap_or_default();
        IdentityLink {
            doc,
            rule: Some(rule),
            via,
            score,
            apart: String::new(),
        }
    })
    .collect();
    // posts across the corpus
    let posts = lines(
        store,
        &format!(
            "SELECT DISTINCT ?title ?org ?first ?last ?former ?n WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ ?t a vnkg:Tenure ; org:member <{e}> ; org:role ?r ; vnkg:documentCount ?n . ?r skos:prefLabel ?title . \
             OPTIONAL {{ ?t org:organization ?o . ?o skos:prefLabel ?org }} OPTIONAL {{ ?t vnkg:firstSeen ?first }} OPTIONAL {{ ?t vnkg:lastSeen ?last }} OPTIONAL {{ ?t vnkg:formerBy ?former }} }} }} \
             ORDER BY COALESCE(?first, ?former) ?title"
        ),
    )?
    .into_iter()
    .map(|r| {
        let [title, organization, first, last, former_by, documents]: [String; 6] =
            r.try_into().unwrap_or_default();
        Post {
            title,
            organization,
            first,
            last,
            former_by,
            documents,
        }
    })
    .collect();
    // facts: every node of a document graph that names it and has a sentence
    let rows = lines(
        store,
        &format!(
            "SELECT ?doc ?x ?type ?p ?date ?pub ?sentence ?sb ?se ?g WHERE {{ GRAPH ?g {{ \
             ?x ?p <{e}> ; a ?type ; prov:wasDerivedFrom ?s . ?s a nif:Sentence ; nif:anchorOf ?sentence ; \
             nif:beginIndex ?sb ; nif:endIndex ?se . ?g prov:wasDerivedFrom ?d . ?d vnkg:docId ?doc . \
             OPTIONAL {{ ?x dcterms:date|vnkg:observedOn ?date }} OPTIONAL {{ ?d schema:datePublished ?pub }} \
             }} FILTER(?type != vnkg:IdentityEvidence) }}"
        ),
    )?;
    let mentions = mentions_of(store, e)?;
    let mut facts: BTreeMap<(String, String, String), Fact> = BTreeMap::new();
    // a fact node comes once per mention of the entity in its sentence: described once
    let mut described: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    for r in rows {
        let key = (r[1].clone(), r[3].clone(), r[2].clone());
        let (relation, detail) = match described.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = describe(store, &r[9], &r[1], &r[3], &r[2])?;
                described.insert(key, d.clone());
                d
            }
        };
        let date = if r[4].is_empty() {
            r[5].clone()
        } else {
            r[4].clone()
        };
        // the first mention of the entity inside the sentence
        let sentence_len = r[6].chars().count();
        let mark = match (r[7].parse::<usize>(), r[8].parse::<usize>()) {
            (Ok(sb), Ok(se)) => mentions.get(&r[9]).and_then(|spans| {
                spans
                    .iter()
                    .find(|&&(mb, me)| mb >= sb && me <= se && me > mb && me - sb <= sentence_len)
                    .map(|&(mb, me)| (mb - sb, me - sb))
            }),
            _ => None,
        };
        let fact = Fact {
            date,
            doc: r[0].clone(),
            relation,
            detail,
            sentence: r[6].clone(),
            mark,
        };
        let key = (fact.date.clone(), fact.doc.clone(), fact.what());
        let f = facts.entry(key).or_insert_with(|| fact.clone());
        if f.mark.is_none() {
            f.mark = fact.mark;
            f.sentence = fact.sentence;
        }
    }
    Ok(Report {
        entity: c.clone(),
        also_written,
        details,
        identity,
        variants,
        posts,
        facts: facts.into_values().collect(),
        documents: naming_documents(store, e, &mentions)?,
    })
}

/// Writes the explanation of one entity.
pub fn explain(store: &Store, c: &Candidate, out: &mut dyn Write) -> Result<(), QueryError> {
    write_report(&report(store, c)?, out)
}

/// Writes a report as `vnkg explain` prints it.
pub fn write_report(r: &Report, out: &mut dyn Write) -> Result<(), QueryError> {
    let c = &r.entity;
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(QueryError::Output);
    let labels: Vec<&str> = c.labels.iter().map(String::as_str).collect();
    w(
        out,
        format!("{}  ({})  <{}>", labels.join(" / "), c.kind, c.iri),
    )?;
    w(out, format!("  named in {} document(s)", c.documents))?;
    if !r.also_written.is_empty() {
        w(
            out,
            format!("  also written: {}", r.also_written.join(" | ")),
        )?;
    }
    for (label, links) in &r.details {
        // several entities may share a label (three communes of one name): printed once
        let mut seen = BTreeSet::new();
        let v: Vec<&str> = links
            .iter()
            .map(|l| l.label.as_str())
            .filter(|l| seen.insert(*l))
            .collect();
        w(out, format!("  {label}: {}", v.join(", ")))?;
    }
    if r.identity
        .iter()
        .any(|l| l.rule.is_some() || !l.apart.is_empty())
    {
        w(out, "  identity (one record per document):".into())?;
        for l in &r.identity {
            w(out, format!("    {}: {}", l.doc, l.summary()))?;
        }
    }
    if !r.variants.is_empty() {
        w(
            out,
            "  linked variants (written so in other documents):".into(),
        )?;
        for l in &r.variants {
            w(out, format!("    {}: {}", l.doc, l.summary()))?;
        }
    }
    if !r.posts.is_empty() {
        w(out, "  posts:".into())?;
        for p in &r.posts {
            w(out, format!("    {}", p.summary()))?;
        }
    }
    if !r.documents.is_empty() {
        w(out, "  documents (the first mention in each):".into())?;
        for d in &r.documents {
            let date = if d.date.is_empty() {
                "undated"
            } else {
                &d.date
            };
            let what = match (d.relation.as_str(), d.sentence.is_empty()) {
                ("implied", _) => "(implied: the parent of a body it names)".to_string(),
                (_, true) => "(no mention)".to_string(),
                _ => format!("\"{}\"", d.highlighted().replace('\n', " ")),
            };
            w(out, format!("    {date}  {}  {what}", d.doc))?;
        }
        if c.documents > r.documents.len() {
            w(
                out,
                format!("    ... and {} more", c.documents - r.documents.len()),
            )?;
        }
    }
    if !r.facts.is_empty() {
        w(out, format!("  facts ({}):", r.facts.len()))?;
        for f in &r.facts {
            let date = if f.date.is_empty() {
                "undated"
            } else {
                &f.date
            };
            w(out, format!("    {date}  {}  {}", f.doc, f.what()))?;
            w(
                out,
                format!("        \"{}\"", f.highlighted().replace('\n', " ")),
            )?;
        }
    }
    Ok(())
}

impl Post {
    /// The post on one line: `Giám đốc, Sở Y tế tỉnh Nghệ An: seen 2024-01-08 .. 2024-05-02 (2 document(s))`.
    pub fn summary(&self) -> String {
        let org = if self.organization.is_empty() {
            String::new()
        } else {
            format!(", {}", self.organization)
        };
        let span = match (self.first.as_str(), self.last.as_str()) {
            ("", _) => "held before".to_string(),
            (a, b) if a == b => format!("seen {a}"),
            (a, b) => format!("seen {a} .. {b}"),
        };
        let former = if self.former_by.is_empty() {
            String::new()
        } else {
            format!("; former by {}", self.former_by)
        };
        format!(
            "{}{org}: {span}{former} ({} document(s))",
            self.title, self.documents
        )
    }
}

/// The relation (`Membership (member)`) and the other values of a fact node `x` of the
/// document graph `g` that names the entity with `p`; the values' labels are those of the same
/// document (or of the ontology and reference data, for concepts and provinces).
fn describe(
    store: &Store,
    g: &str,
    x: &str,
    p: &str,
    ty: &str,
) -> Result<(String, String), QueryError> {
    let rows = lines(
        store,
        &format!(
            "SELECT ?p ?o ?l WHERE {{ GRAPH <{g}> {{ <{x}> ?p ?o }} \
             OPTIONAL {{ GRAPH ?lg {{ ?o skos:prefLabel ?l }} VALUES ?lg {{ <{g}> <{}> <{}> }} }} }}",
            vocab::ONTOLOGY_GRAPH,
            vocab::REFERENCE_GRAPH
        ),
    )?;
    let mut parts: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        let name = match r[0].rsplit(['#', '/']).next() {
            Some(n) => n,
            None => continue,
        };
        let keep = matches!(
            name,
            "role"
                | "organization"
                | "former"
                | "eventKind"
                | "organizer"
                | "name"
                | "topic"
                | "amountVnd"
                | "legislationIdentifier"
                | "legislationType"
                | "party"
                | "agent"
                | "recipient"
                | "grantor"
        );
        if keep {
            let v = if r[2].is_empty() {
                r[1].rsplit(['#', '/']).next().unwrap_or("").to_string()
            } else {
                r[2].clone()
            };
            parts.entry(name).or_default().insert(v);
        }
    }
    let kind = ty.rsplit(['#', '/']).next().unwrap_or(ty);
    let role = p.rsplit(['#', '/']).next().unwrap_or(p);
    let detail: Vec<String> = parts
        .iter()
        .filter(|(k, _)| **k != "former" || parts[*k].contains("true"))
        .map(|(k, v)| {
            let v: Vec<&str> = v.iter().map(String::as_str).collect();
            format!("{k}={}", v.join("+"))
        })
        .collect();
    Ok((format!("{kind} ({role})"), detail.join("; ")))
}

/// Lists candidates of an ambiguous name.
pub fn write_candidates(cands: &[Candidate], out: &mut dyn Write) -> Result<(), QueryError> {
    for c in cands {
        let labels: Vec<&str> = c.labels.iter().map(String::as_str).collect();
        let hint = if c.hint.is_empty() {
            String::new()
        } else {
            format!(": {}", c.hint)
        };
        writeln!(
            out,
            "  {}  ({}, {} document(s)){hint}  {}",
            labels.join(" / "),
            c.kind,
            c.documents,
            c.iri.replace(ID, "id:")
        )
        .map_err(QueryError::Output)?;
    }
    Ok(())
}
