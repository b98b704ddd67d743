//! Stage 6b: link. Identity and time across the whole store, after the documents are written.
//!
//! Each document graph states what it knows about who its persons are (a
//! `vnkg:IdentityEvidence`: the name, the anchors of their posts, the bodies around them) and
//! when a post was seen (`org:Membership` with `vnkg:observedOn`). Linking reads these back
//! from every document in the store, decides which records are one person
//! ([`resolve::identity::link`]), renames the persons of the documents whose records joined
//! another's, and rewrites the corpus graph: the rule behind each merge, and one
//! `vnkg:Tenure` per person and post with the first and last dates it is seen.
//!
//! It runs over the whole store, so a build that adds documents re-links the old ones too,
//! and the result does not depend on the order documents were built in.

use crate::curate;
use crate::query::{self, plain_or_empty as text, QueryError};
use crate::rdf;
use crate::resolve::bodies;
use crate::resolve::identity::{self, Assignment, PersonRecord, Rule};
use crate::resolve::name_key;
use crate::store::{self, StoreError};
use crate::text::Signature;
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What linking did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Person records (one per person and document).
    pub records: usize,
    /// Distinct persons after linking.
    pub persons: usize,
    /// Records renamed to join another document's person.
    pub renamed: usize,
    /// Persons seen in more than one document.
    pub shared: usize,
    /// Tenures (person, title, body) written.
    pub tenures: usize,
    /// Records a user's decision moved.
    pub curated: usize,
    /// Records a user's decision rejected, removed from their documents.
    pub rejected: usize,
    /// Bodies found to be another body (see [`bodies`]).
    pub body_variants: usize,
    /// Bodies a user's decision rejected, removed from their documents (one per document).
    pub bodies_rejected: usize,
}

const Q_RECORDS: &str = "SELECT ?g ?ev ?p ?local ?name ?full ?label ?date WHERE { GRAPH ?g { ?ev a vnkg:IdentityEvidence ; vnkg:identifies ?p ; vnkg:localId ?local ; vnkg:nameKey ?name ; vnkg:fullName ?full . OPTIONAL { ?p skos:prefLabel ?label } OPTIONAL { ?g prov:wasDerivedFrom ?d . ?d schema:datePublished ?date } } }";
/// A record's anchors and context bodies, each as its document minted it (a body linking
/// renamed keeps that IRI as `vnkg:localId`), so that persons link the same in any order of
/// builds.
const Q_ANCHORS: &str = "SELECT ?g ?ev ?a ?minted WHERE { GRAPH ?g { ?ev a vnkg:IdentityEvidence ; vnkg:anchor ?a OPTIONAL { ?a vnkg:localId ?minted } } }";
const Q_CONTEXT: &str = "SELECT ?g ?ev ?a ?minted WHERE { GRAPH ?g { ?ev a vnkg:IdentityEvidence ; vnkg:context ?a OPTIONAL { ?a vnkg:localId ?minted } } }";
const Q_SIGNATURES: &str = "SELECT ?g ?sig WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph ; prov:wasDerivedFrom ?d . ?d vnkg:textSignature ?sig } }";
/// Every label of every node of every graph, and the class of every person, body, place and
/// cited document: two scans by predicate, joined in [`label_rows`] (a join in SPARQL took
/// four times as long), and the document graphs.
const Q_LABELS: &str =
    "SELECT ?g ?e ?p ?l WHERE { VALUES ?p { skos:prefLabel skos:altLabel } GRAPH ?g { ?e ?p ?l } }";
const Q_CLASSES: &str = "SELECT ?g ?e ?type WHERE { VALUES ?type { schema:Person org:Organization schema:AdministrativeArea schema:Legislation } GRAPH ?g { ?e a ?type } }";
const Q_DOCUMENT_GRAPHS: &str = "SELECT ?g WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph } }";
/// The bodies a document only implies (parents it does not name), and the id path a
/// document minted for a body that linking renamed.
const Q_BODY_MARKS: &str = "SELECT ?g ?e ?p ?o WHERE { GRAPH ?g { ?e ?p ?o . ?e a org:Organization } VALUES ?p { vnkg:inferred vnkg:localId } }";
/// The posts held in each body: body, person, title.
const Q_BODY_OFFICIALS: &str = "SELECT DISTINCT ?o ?minted ?p ?t WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?m a org:Membership ; org:member ?p ; org:organization ?o ; org:role ?r . ?r skos:prefLabel ?t . OPTIONAL { ?o vnkg:localId ?minted } } }";
const Q_ENTITY_ATTRS: &str = "SELECT DISTINCT ?e ?p ?v WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?e ?p ?v } VALUES ?p { org:classification org:subOrganizationOf schema:location vnkg:adminLevel schema:containedInPlace } }";
const Q_MEMBERSHIPS: &str = "SELECT ?g ?d ?m ?p ?role ?title ?org ?post ?former ?date WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph ; prov:wasDerivedFrom ?d . ?m a org:Membership ; org:member ?p ; org:role ?role ; vnkg:former ?former . ?role skos:prefLabel ?title . OPTIONAL { ?m org:organization ?org } OPTIONAL { ?m vnkg:post ?post } OPTIONAL { ?m vnkg:observedOn ?date } } }";

/// The id path of an entity IRI (below the vnkg resource base).
fn path_of(iri: &str) -> String {
    iri.strip_prefix(rdf::vocab::ID).unwrap_or(iri).to_string()
}

/// The person records of every document in the store, with their evidence IRIs and the
/// person's label in each.
type Records = (Vec<PersonRecord>, Vec<String>, Vec<String>);

fn records(st: &Store) -> Result<Records, QueryError> {
    let (_, rows) = query::select(st, Q_RECORDS)?;
    let mut by_ev: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut out = Vec::new();
    let mut evidence = Vec::new();
    let mut labels = Vec::new();
    for r in rows {
        let key = (text(&r[0]), text(&r[1]));
        if by_ev.contains_key(&key) {
            continue;
        }
        labels.push(text(&r[6]));
        by_ev.insert(key.clone(), out.len());
        out.push(PersonRecord {
            graph: key.0,
            person: text(&r[2]),
            local: text(&r[3]),
            name_key: text(&r[4]),
            full: text(&r[5]) == "true",
            anchors: BTreeSet::new(),
            context: BTreeSet::new(),
            copies: String::new(),
            date: r[7].as_ref().map(query::plain),
        });
        evidence.push(key.1);
    }
    // copies of one article: by the documents' text signatures (a document without one, from
    // an older store, is its own group)
    let (_, rows) = query::select(st, Q_SIGNATURES)?;
    let docs: Vec<(String, Signature)> = rows
        .iter()
        .filter_map(|r| Some((text(&r[0]), Signature::from_hex(&text(&r[1]))?)))
        .collect();
    let groups = identity::copy_groups(&docs);
    for r in &mut out {
        r.copies = groups
            .get(&r.graph)
            .cloned()
            .unwrap_or_else(|| r.graph.clone());
    }
    for (q, context) in [(Q_ANCHORS, false), (Q_CONTEXT, true)] {
        let (_, rows) = query::select(st, q)?;
        for r in rows {
            if let Some(&i) = by_ev.get(&(text(&r[0]), text(&r[1]))) {
                let a = minted_or_path(text(&r[3]), &text(&r[2]));
                if context {
                    out[i].context.insert(a);
                } else {
                    out[i].anchors.insert(a);
                }
            }
        }
    }
    Ok((out, evidence, labels))
}

/// The id path of an entity IRI (below the vnkg resource base), or the id path a document
/// minted for it (`vnkg:localId`, where linking renamed it) when `minted` is not empty.
fn minted_or_path(minted: String, iri: &str) -> String {
    if minted.is_empty() {
        path_of(iri)
    } else {
        minted
    }
}

/// One label of one entity in one document graph.
#[derive(Debug, Clone)]
struct LabelRow {
    graph: String,
    entity: String,
    class: String,
    preferred: bool,
    label: String,
}

/// Every label of every entity a name can find, in every document graph (one scan, which
/// the summaries, the name index and the linking of bodies share).
fn label_rows(st: &Store) -> Result<Vec<LabelRow>, QueryError> {
    let (_, rows) = query::select(st, Q_DOCUMENT_GRAPHS)?;
    let documents: BTreeSet<String> = rows.iter().map(|r| text(&r[0])).collect();
    let (_, rows) = query::select(st, Q_CLASSES)?;
    let mut class_of: HashMap<(String, String), String> = HashMap::new();
    for r in &rows {
        let g = text(&r[0]);
        if documents.contains(&g) {
            class_of.insert((g, text(&r[1])), text(&r[2]));
        }
    }
    let (_, rows) = query::select(st, Q_LABELS)?;
    let pref = format!("{}prefLabel", rdf::vocab::SKOS);
    let mut out = Vec::new();
    for r in &rows {
        let (graph, entity) = (text(&r[0]), text(&r[1]));
        if let Some(class) = class_of.get(&(graph.clone(), entity.clone())) {
            out.push(LabelRow {
                class: class.clone(),
                preferred: text(&r[2]) == pref,
                label: text(&r[3]),
                graph,
                entity,
            });
        }
    }
    // one order whatever the store's
    out.sort_by(|a, b| (&a.graph, &a.entity, &a.label).cmp(&(&b.graph, &b.entity, &b.label)));
    Ok(out)
}

/// What the corpus graph says of each body, place and cited document: its class, the label
/// most documents give it (ties: the smallest), the documents that name it, and its kind,
/// parent, location, level and containing place, so that listing bodies or places reads one
/// summary per entity instead of every document.
fn entity_summaries(
    labels: &[LabelRow],
    attrs: &[(String, String, String)],
) -> Vec<rdf::EntitySummary> {
    let person = format!("{}Person", rdf::vocab::SCHEMA);
    let mut docs: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
    for r in labels.iter().filter(|r| r.preferred && r.class != person) {
        docs.entry((&r.entity, &r.class))
            .or_default()
            .insert(&r.graph);
        counts
            .entry(&r.entity)
            .or_default()
            .entry(&r.label)
            .or_default()
            .insert(&r.graph);
    }
    let mut out: BTreeMap<String, rdf::EntitySummary> = BTreeMap::new();
    for ((e, class), graphs) in docs {
        let label = counts[e]
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
            .map(|(l, _)| l.to_string())
            .unwrap_or_default();
        out.insert(
            e.to_string(),
            rdf::EntitySummary {
                iri: e.to_string(),
                class: class.to_string(),
                documents: graphs.len(),
                label,
                values: Vec::new(),
            },
        );
    }
    let mut seen = BTreeSet::new();
    for (e, p, v) in attrs {
        if let Some(s) = out.get_mut(e) {
            if seen.insert((e, p, v)) {
                s.values.push((p.clone(), v.clone()));
            }
        }
    }
    out.into_values().collect()
}

/// The kind, parent, location, level and containing place of every entity of the document
/// graphs: (entity, property, value) IRIs.
fn entity_attrs(st: &Store) -> Result<Vec<(String, String, String)>, QueryError> {
    let (_, rows) = query::select(st, Q_ENTITY_ATTRS)?;
    Ok(rows
        .iter()
        .map(|r| (text(&r[0]), text(&r[1]), text(&r[2])))
        .collect())
}

/// The name keys of every entity a name can find: the folded forms of all its labels.
fn name_keys(labels: &[LabelRow]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in labels {
        let key = name_key(&r.label);
        if !key.is_empty() {
            out.entry(r.entity.clone()).or_default().insert(key);
        }
    }
    out
}

/// A body variant linked to another, as the corpus graph records it.
pub struct VariantLink {
    /// The id path the documents minted for the variant.
    pub variant: String,
    /// Its label (the first of its spellings).
    pub label: String,
    /// The id path of the body it is.
    pub kept: String,
    /// The link's rule, score and evidence (see [`bodies::BodyLink`]).
    pub link: bodies::BodyLink,
    /// The documents that name the variant.
    pub docs: BTreeSet<String>,
}

/// What linking decides about bodies, before anything is written.
#[derive(Default)]
pub struct BodyPlan {
    /// Bodies a user rejected: (document graph, IRI there), to remove.
    pub doomed: Vec<(String, String)>,
    /// (document graph, IRI there, IRI it becomes, id path the document minted).
    pub renames: Vec<(String, String, String, String)>,
    /// The links.
    pub variants: Vec<VariantLink>,
    /// Each rejected body's label and how many documents name it.
    pub rejected: Vec<(String, usize)>,
    /// The bodies (the records the links' indices point into), and their labels by id path.
    pub records: Vec<bodies::BodyRecord>,
    /// The first of each body's labels, by id path.
    pub labels: BTreeMap<String, String>,
}

/// Decides which bodies of the store are one (see [`bodies`]) under the users' `decisions`
/// about bodies (their records are `org/...` id paths as the documents minted them), writing
/// nothing.
pub fn plan_bodies(st: &Store, decisions: &[identity::Curation]) -> Result<BodyPlan, QueryError> {
    plan_bodies_from(st, decisions, &label_rows(st)?, &entity_attrs(st)?)
}

/// [`plan_bodies`] from the label rows and attributes of the store ([`label_rows`],
/// [`entity_attrs`]).
fn plan_bodies_from(
    st: &Store,
    decisions: &[identity::Curation],
    labels_of: &[LabelRow],
    attrs: &[(String, String, String)],
) -> Result<BodyPlan, QueryError> {
    let organization = format!("{}Organization", rdf::vocab::ORG);
    // per (graph, body IRI): whether the document only implies it, and what it minted
    let (_, marks) = query::select(st, Q_BODY_MARKS)?;
    let mut implied: BTreeSet<(String, String)> = BTreeSet::new();
    let mut minted_as: BTreeMap<(String, String), String> = BTreeMap::new();
    for r in &marks {
        let key = (text(&r[0]), text(&r[1]));
        if text(&r[2]).ends_with("#inferred") {
            if text(&r[3]) == "true" {
                implied.insert(key);
            }
        } else {
            minted_as.insert(key, text(&r[3]));
        }
    }
    // kind and province of each body IRI
    let mut kind_of: BTreeMap<&str, &str> = BTreeMap::new();
    let mut location_of: BTreeMap<&str, &str> = BTreeMap::new();
    let location = format!("{}location", rdf::vocab::SCHEMA);
    for (e, p, v) in attrs {
        if p.ends_with("#classification") {
            kind_of.entry(e).or_insert(v);
        } else if *p == location {
            location_of.entry(e).or_insert(v);
        }
    }
    let rows: Vec<&LabelRow> = labels_of
        .iter()
        .filter(|r| r.class == organization)
        .collect();
    let minted_of = |r: &LabelRow| {
        minted_or_path(
            minted_as
                .get(&(r.graph.clone(), r.entity.clone()))
                .cloned()
                .unwrap_or_default(),
            &r.entity,
        )
    };
    // bodies a user rejected leave their documents first
    let rejected: BTreeSet<&str> = decisions
        .iter()
        .filter(|d| d.kind == identity::CurationKind::Reject)
        .flat_map(|d| d.first.iter().map(|(_, local)| local.as_str()))
        .filter(|l| l.starts_with("org/"))
        .collect();
    let mut doomed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut gone: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for r in &rows {
        let m = minted_of(r);
        if rejected.contains(m.as_str()) {
            doomed.insert((r.graph.clone(), r.entity.clone()));
            let e = gone.entry(m).or_default();
            if r.preferred && (e.0.is_empty() || r.label < e.0) {
                e.0 = r.label.clone();
            }
            e.1.insert(r.graph.clone());
        }
    }
    // by the id path each document minted: its record, and where it stands now
    let mut records: BTreeMap<String, bodies::BodyRecord> = BTreeMap::new();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut placed: BTreeSet<(String, String, String)> = BTreeSet::new();
    for r in &rows {
        let minted = minted_of(r);
        if rejected.contains(minted.as_str()) {
            continue;
        }
        placed.insert((r.graph.clone(), r.entity.clone(), minted.clone()));
        let rec = records
            .entry(minted.clone())
            .or_insert_with(|| bodies::BodyRecord {
                iri: minted.clone(),
                ..Default::default()
            });
        if rec.kind.is_none() {
            rec.kind = kind_of.get(r.entity.as_str()).map(|k| k.to_string());
        }
        if rec.location.is_none() {
            rec.location = location_of.get(r.entity.as_str()).map(|l| l.to_string());
        }
        if !implied.contains(&(r.graph.clone(), r.entity.clone())) {
            rec.names.insert(name_key(&r.label));
            rec.docs.insert(r.graph.clone());
            if r.preferred {
                let l = labels.entry(minted).or_insert_with(|| r.label.clone());
                if r.label < *l {
                    *l = r.label.clone();
                }
            }
        }
    }
    let (_, rows) = query::select(st, Q_BODY_OFFICIALS)?;
    for r in &rows {
        let minted = minted_or_path(text(&r[1]), &text(&r[0]));
        if let Some(rec) = records.get_mut(&minted) {
            rec.officials.insert((text(&r[2]), text(&r[3])));
        }
    }
    // bodies only implied (parents no document names) are no candidates
    let records: Vec<bodies::BodyRecord> = records
        .into_values()
        .filter(|r| !r.docs.is_empty())
        .collect();
    let index: BTreeMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.iri.as_str(), i))
        .collect();
    let side = |refs: &BTreeSet<identity::RecordRef>| -> BTreeSet<usize> {
        refs.iter()
            .filter_map(|(_, local)| index.get(local.as_str()).copied())
            .collect()
    };
    let body_decisions: Vec<bodies::BodyDecision> = decisions
        .iter()
        .filter(|d| d.kind != identity::CurationKind::Reject)
        .map(|d| bodies::BodyDecision {
            iri: d.iri.clone(),
            same: d.kind == identity::CurationKind::Same,
            first: side(&d.first),
            second: side(&d.second),
        })
        .filter(|d| !d.first.is_empty() && !d.second.is_empty())
        .collect();
    let links = bodies::link_curated(&records, &body_decisions);
    let kept_of: BTreeMap<&str, &str> = links
        .iter()
        .map(|l| {
            (
                records[l.variant].iri.as_str(),
                records[l.kept].iri.as_str(),
            )
        })
        .collect();
    let renames: Vec<(String, String, String, String)> = placed
        .into_iter()
        .filter_map(|(g, current, minted)| {
            let to = rdf::entity_iri(kept_of.get(minted.as_str()).copied().unwrap_or(&minted))
                .into_string();
            (to != current).then_some((g, current, to, minted))
        })
        .collect();
    let variants = links
        .into_iter()
        .map(|l| {
            let v = &records[l.variant];
            VariantLink {
                variant: v.iri.clone(),
                label: labels.get(&v.iri).cloned().unwrap_or_default(),
                kept: records[l.kept].iri.clone(),
                docs: v.docs.clone(),
                link: l,
            }
        })
        .collect();
    Ok(BodyPlan {
        doomed: doomed.into_iter().collect(),
        renames,
        variants,
        rejected: gone.into_values().map(|(l, d)| (l, d.len())).collect(),
        records,
        labels,
    })
}

/// Links the bodies of every document (see [`plan_bodies`]): removes the rejected ones from
/// their documents, renames each variant, in every document graph that holds it, to the body
/// it is (keeping the IRI the document minted as `vnkg:localId`, and renaming back a body no
/// longer linked), and returns the links and how many bodies it removed.
/// `labels` and `attrs` are the store's before; they are changed to say what it says after.
fn link_bodies(
    st: &Store,
    path: &Path,
    decisions: &[identity::Curation],
    labels: &mut Vec<LabelRow>,
    attrs: &mut [(String, String, String)],
) -> Result<(Vec<VariantLink>, usize), StoreError> {
    let plan = plan_bodies_from(st, decisions, labels, attrs).map_err(|e| StoreError {
        path: path.to_path_buf(),
        message: format!("cannot link bodies: {e}"),
    })?;
    store::remove_entities(st, path, &plan.doomed)?;
    store::rename_bodies(st, path, &plan.renames)?;
    let doomed: BTreeSet<(&str, &str)> = plan
        .doomed
        .iter()
        .map(|(g, e)| (g.as_str(), e.as_str()))
        .collect();
    labels.retain(|r| !doomed.contains(&(r.graph.as_str(), r.entity.as_str())));
    let renamed: BTreeMap<(&str, &str), &str> = plan
        .renames
        .iter()
        .map(|(g, from, to, _)| ((g.as_str(), from.as_str()), to.as_str()))
        .collect();
    for r in labels.iter_mut() {
        if let Some(to) = renamed.get(&(r.graph.as_str(), r.entity.as_str())) {
            r.entity = to.to_string();
        }
    }
    let by_iri: BTreeMap<&str, &str> = plan
        .renames
        .iter()
        .map(|(_, from, to, _)| (from.as_str(), to.as_str()))
        .collect();
    for (e, _, _) in attrs.iter_mut() {
        if let Some(to) = by_iri.get(e.as_str()) {
            *e = to.to_string();
        }
    }
    Ok((plan.variants, plan.doomed.len()))
}

/// One post of one person as the corpus sees it: every document that states it.
#[derive(Debug, Default)]
struct Tenure {
    role: String,
    title: String,
    org: Option<String>,
    post: Option<String>,
    /// Dates it is seen held.
    held: BTreeSet<String>,
    /// Dates it is reported as held before ("nguyên").
    former: BTreeSet<String>,
    docs: BTreeSet<String>,
    memberships: BTreeSet<String>,
}

fn tenures(st: &Store) -> Result<BTreeMap<(String, String, String), Tenure>, QueryError> {
    let (_, rows) = query::select(st, Q_MEMBERSHIPS)?;
    let mut out: BTreeMap<(String, String, String), Tenure> = BTreeMap::new();
    for r in rows {
        let (person, title, org) = (text(&r[3]), text(&r[5]), text(&r[6]));
        let t = out.entry((person, title.clone(), org.clone())).or_default();
        t.role = text(&r[4]);
        t.title = title;
        t.org = Some(org).filter(|o| !o.is_empty());
        t.post = r[7].as_ref().map(query::plain);
        let date = text(&r[9]);
        if !date.is_empty() {
            if text(&r[8]) == "true" {
                t.former.insert(date);
            } else {
                t.held.insert(date);
            }
        }
        t.docs.insert(text(&r[1]));
        t.memberships.insert(text(&r[2]));
    }
    Ok(out)
}

/// What the corpus graph says of one person: its label, name key and how many documents
/// name it.
struct PersonSummary {
    label: String,
    key: String,
    documents: usize,
}

/// The quads of the corpus graph: merge rules on the evidence, and tenures.
fn corpus_quads(
    evidence: &[String],
    assignments: &[Assignment],
    persons: &BTreeMap<String, PersonSummary>,
    tenures: &BTreeMap<(String, String, String), Tenure>,
    entities: &[rdf::EntitySummary],
    mut keys: BTreeMap<String, BTreeSet<String>>,
) -> Vec<oxigraph::model::Quad> {
    let mut w = rdf::CorpusWriter::new();
    for e in entities {
        w.entity_summary(e);
    }
    // a summary of each person and of the role of each tenure (bodies have theirs above), so
    // that lookups read the corpus graph alone and not every document that names them
    for (iri, p) in persons {
        w.person_summary(iri, &p.label, p.documents);
        keys.entry(iri.clone()).or_default().insert(p.key.clone());
    }
    for (iri, k) in &keys {
        w.name_keys(iri, k.iter().map(String::as_str));
    }
    let mut summarised = BTreeSet::new();
    for t in tenures.values() {
        if summarised.insert(t.role.clone()) {
            w.summary(&t.role, &t.title);
        }
    }
    for a in assignments {
        for other in &a.apart {
            w.kept_apart(&evidence[a.record], other);
        }
        if a.rule != Rule::Alone {
            w.link_rule(
                &evidence[a.record],
                a.rule.as_str(),
                &a.shared,
                a.same_text.as_deref(),
                a.score,
            );
            if let Some(d) = &a.curated {
                w.curated_by(&evidence[a.record], d);
            }
        }
    }
    for ((person, _, _), t) in tenures {
        w.tenure(&rdf::TenureFacts {
            person,
            role: &t.role,
            title: &t.title,
            org: t.org.as_deref(),
            post: t.post.as_deref(),
            first_seen: t.held.first().map(String::as_str),
            last_seen: t.held.last().map(String::as_str),
            former_by: t.former.first().map(String::as_str),
            docs: &t.docs,
            memberships: &t.memberships,
        });
    }
    w.finish()
}

/// The corpus graph's record of each body variant linked to another.
fn variant_quads(variants: &[VariantLink]) -> Vec<oxigraph::model::Quad> {
    let mut w = rdf::CorpusWriter::new();
    for v in variants {
        w.body_variant(&rdf::BodyVariantFacts {
            kept: &rdf::entity_iri(&v.kept).into_string(),
            variant: &rdf::entity_iri(&v.variant).into_string(),
            label: &v.label,
            rule: v.link.rule.as_str(),
            score: v.link.score,
            evidence: &v.link.evidence,
            docs: &v.docs,
            curated: v.link.curated.as_deref(),
        });
    }
    // the corpus graph's own type is written once, by corpus_quads
    w.finish().into_iter().skip(1).collect()
}

/// What linking decides, before anything is written: every person record of the store and
/// the person it is.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The records.
    pub records: Vec<PersonRecord>,
    /// Each record's evidence IRI.
    pub evidence: Vec<String>,
    /// Each record's label in its document.
    pub labels: Vec<String>,
    /// The person of each record, in record order.
    pub assignments: Vec<Assignment>,
}

/// Decides who is who over the whole store, under the users' `decisions`, writing nothing.
pub fn plan(st: &Store, decisions: &[identity::Curation]) -> Result<Plan, QueryError> {
    let (records, evidence, labels) = records(st)?;
    let assignments = identity::curate(&records, identity::link(&records), decisions);
    Ok(Plan {
        records,
        evidence,
        labels,
        assignments,
    })
}

/// Links the persons of every document in the store, under the decisions of the curation
/// graph, and rewrites the corpus graph.
pub fn link(st: &Store, path: &Path) -> Result<Report, StoreError> {
    let qerr = |e: QueryError| StoreError {
        path: path.to_path_buf(),
        message: format!("cannot link documents: {e}"),
    };
    let decisions = curate::curations(st).map_err(qerr)?;
    let Plan {
        records,
        evidence,
        labels,
        assignments,
    } = plan(st, &decisions).map_err(qerr)?;
    let mut renames: Vec<(String, String, String)> = Vec::new();
    let mut rejected: Vec<(String, String)> = Vec::new();
    let mut persons = BTreeSet::new();
    let mut docs_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in &assignments {
        let r = &records[a.record];
        if a.rule == Rule::Rejected {
            rejected.push((r.graph.clone(), r.person.clone()));
            continue;
        }
        let iri = rdf::entity_iri(&a.id).into_string();
        if iri != r.person {
            renames.push((r.graph.clone(), r.person.clone(), iri.clone()));
        }
        docs_of.entry(&a.id).or_default().insert(&r.graph);
        persons.insert(a.id.clone());
    }
    store::remove_entities(st, path, &rejected)?;
    store::rename(st, path, &renames)?;
    let mut labels_of = label_rows(st).map_err(qerr)?;
    let mut attrs = entity_attrs(st).map_err(qerr)?;
    let (variants, bodies_rejected) =
        link_bodies(st, path, &decisions, &mut labels_of, &mut attrs)?;
    // each person's label: the one its records give most often (ties: the first in order)
    let mut counted: BTreeMap<String, (String, BTreeMap<&str, usize>)> = BTreeMap::new();
    for a in assignments.iter().filter(|a| a.rule != Rule::Rejected) {
        let r = &records[a.record];
        let iri = rdf::entity_iri(&a.id).into_string();
        let e = counted
            .entry(iri)
            .or_insert_with(|| (r.name_key.clone(), BTreeMap::new()));
        if !labels[a.record].is_empty() {
            *e.1.entry(labels[a.record].as_str()).or_default() += 1;
        }
    }
    let summaries: BTreeMap<String, PersonSummary> = counted
        .into_iter()
        .filter_map(|(iri, (key, ls))| {
            let label = ls
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.to_string())?;
            let documents = docs_of.get(path_of(&iri).as_str()).map_or(0, BTreeSet::len);
            Some((
                iri,
                PersonSummary {
                    label,
                    key,
                    documents,
                },
            ))
        })
        .collect();
    let tenures = tenures(st).map_err(qerr)?;
    let entities = entity_summaries(&labels_of, &attrs);
    let keys = name_keys(&labels_of);
    let mut quads = corpus_quads(
        &evidence,
        &assignments,
        &summaries,
        &tenures,
        &entities,
        keys,
    );
    quads.extend(variant_quads(&variants));
    store::replace_corpus_graph(st, path, &quads)?;
    Ok(Report {
        records: records.len(),
        persons: persons.len(),
        renamed: renames.len(),
        shared: docs_of.values().filter(|d| d.len() > 1).count(),
        tenures: tenures.len(),
        curated: assignments
            .iter()
            .filter(|a| a.rule == Rule::Curated)
            .count(),
        rejected: rejected.len(),
        body_variants: variants.len(),
        bodies_rejected,
    })
}
