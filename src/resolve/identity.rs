//! Who a person is, across documents.
//!
//! One document cannot say on its own whether its "Nguyễn Văn An" is the one of another
//! article. It records what it knows instead, a [`PersonIdentity`]: the name, whether it is a
//! full name, the bodies of the person's posts (each reduced to its *anchor*, the province or
//! national body at the top of its hierarchy) and the bodies the document names around them.
//! [`link`] then decides over the whole corpus:
//!
//! - records of one full name whose anchors meet are one person (rule `shared-body`): a
//!   Giám đốc Sở Y tế and a Phó Chủ tịch UBND of one province, a Thứ trưởng Bộ Y tế and a
//!   Giám đốc of a hospital of the Bộ Y tế;
//! - a full name with no post joins the one person of that name whose anchors the document
//!   names (rule `document-context`), and stays alone when there are none or several;
//! - full names with no post anywhere are one person when their documents name one body that
//!   few documents name (rule `shared-context`: the same doctor quoted on his hospital twice);
//! - a bare given name ("ông Nam") that the document never writes in full, and two people of
//!   one name in unrelated bodies, stay apart (rule `alone`);
//! - before all of these, the records of one name in copies of one article (documents whose
//!   text signatures mostly agree: republished, syndicated, under another id or byline) are
//!   one record, and so one person (rule `same-text`). [`copy_groups`] finds the copies by
//!   locality-sensitive hashing of the signatures, so the work grows with the number of
//!   documents, not with its square, and a corpus repeated twenty times links like one copy.
//!
//! A province's anchor is its successor of 2025-07-01, so an official of Hà Giang before the
//! merger and of Tuyên Quang after it can be one person.

use super::{name_key, short_hash};
use crate::text::{ascii_slug, Signature, SIGNATURE_LEN};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What one document says about who one of its persons is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonIdentity {
    /// Index into [`super::Resolved::entities`].
    pub entity: usize,
    /// The identity key of the name ([`name_key`]).
    pub name_key: String,
    /// A full name: a known surname and at least two syllables.
    pub full: bool,
    /// Anchors of the bodies of the person's posts: entity id paths of provinces (2025
    /// successors) or of the national bodies at the top of their hierarchy.
    pub anchors: BTreeSet<String>,
    /// Anchors of every body the document names, and its province.
    pub context: BTreeSet<String>,
    /// The sentence of the person's first post, in characters.
    pub sentence: Option<(usize, usize)>,
}

/// The id path of a person of `name_key` identified by `scope` (an anchor, or a document).
pub fn person_id(name_key: &str, scope: &str) -> String {
    let slug: String = ascii_slug(name_key).chars().take(60).collect();
    format!(
        "person/{slug}-{}",
        short_hash(&format!("{name_key}@{scope}"))
    )
}

/// The id a document gives its person before linking: by the smallest anchor of a full name
/// with a post, else by the document alone.
pub fn local_id(p: &PersonIdentity, doc_id: &str) -> String {
    match p.anchors.first() {
        Some(a) if p.full => person_id(&p.name_key, a),
        _ => person_id(&p.name_key, &format!("doc:{doc_id}")),
    }
}

/// True for a full name: at least two syllables, the first a surname of `surnames` (folded).
pub fn is_full_name(name: &str, surnames: &HashSet<String>) -> bool {
    let key = name_key(name);
    let mut words = key.split(' ');
    let first = words.next().unwrap_or("");
    words.next().is_some() && surnames.contains(first)
}

/// One person of one document, as the store keeps it for linking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    /// The document's graph IRI.
    pub graph: String,
    /// The person's IRI in that graph now.
    pub person: String,
    /// The id path the document gave it ([`local_id`]).
    pub local: String,
    /// The identity key of the name.
    pub name_key: String,
    /// A full name.
    pub full: bool,
    /// Anchors of its posts (id paths).
    pub anchors: BTreeSet<String>,
    /// Anchors the document names (id paths).
    pub context: BTreeSet<String>,
    /// The copy group of its document ([`copy_groups`]): the smallest graph IRI among the
    /// copies of its article; its own graph when it has none.
    pub copies: String,
}

/// Why a record is the person it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// No other document's record is the same person.
    Alone,
    /// Same full name, and posts in bodies of one hierarchy.
    SharedBody,
    /// Same full name without a post, in a document that names the bodies of the one person
    /// of that name.
    DocumentContext,
    /// Same full name, no post anywhere, in documents that name one body few others name.
    SharedContext,
    /// Same name in copies of one article.
    SameText,
    /// A user's decision (`vnkg curate same` or `distinct`).
    Curated,
    /// A user's decision that the record is no person (`vnkg curate reject`).
    Rejected,
}

impl Rule {
    /// The local name of the rule's concept in the ontology (`rule:`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Alone => "alone",
            Rule::SharedBody => "shared-body",
            Rule::DocumentContext => "document-context",
            Rule::SharedContext => "shared-context",
            Rule::SameText => "same-text",
            Rule::Curated => "curated",
            Rule::Rejected => "rejected",
        }
    }
}

/// The person a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Index into the records.
    pub record: usize,
    /// The person's id path.
    pub id: String,
    /// The rule.
    pub rule: Rule,
    /// The anchors that tie it to the other records of the person.
    pub shared: BTreeSet<String>,
    /// For rule `same-text`: the graph of a copy of its article that holds the person too.
    pub same_text: Option<String>,
    /// For rules `curated` and `rejected`: the IRI of the user's decision.
    pub curated: Option<String>,
}

/// Groups `items` so that two items with a key in common are in one group (union-find);
/// groups come in the order of their first item.
fn cluster_by<'a, I: Iterator<Item = &'a str>>(
    items: &[usize],
    keys: impl Fn(usize) -> I,
) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..items.len()).collect();
    let mut first_with: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, &i) in items.iter().enumerate() {
        for a in keys(i) {
            match first_with.get(a) {
                Some(&j) => {
                    let (x, y) = (find(&mut parent, k), find(&mut parent, j));
                    parent[x.max(y)] = x.min(y);
                }
                None => {
                    first_with.insert(a, k);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, &i) in items.iter().enumerate() {
        let root = find(&mut parent, k);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The share of agreeing signature positions from which two documents are copies of one
/// article (an estimated Jaccard similarity of their word 3-shingles of 0.8).
pub const COPY_AGREEMENT: f64 = 0.8;

/// Bands of the locality-sensitive hashing: documents that agree on every position of one
/// band are compared. With 8 bands of 4 positions, two copies that agree at 80 % of the
/// positions share a band with a probability above 0.98.
const BANDS: usize = 8;

/// Groups the documents (graph IRI, signature) that are copies of one article: two are when
/// their signatures agree at [`COPY_AGREEMENT`] of the positions or more, and copies of copies
/// are copies. Candidates are the documents that agree on a whole band of the signature
/// (locality-sensitive hashing); each is compared with the first document of its bucket, so
/// the work is linear in the documents. Returns each graph's group: the smallest graph IRI of
/// it. The same documents in any order give the same groups.
pub fn copy_groups(docs: &[(String, Signature)]) -> BTreeMap<String, String> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].0.cmp(&docs[b].0));
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    let rows = SIGNATURE_LEN / BANDS;
    let mut first_in: HashMap<(usize, &[u32]), usize> = HashMap::new();
    for &i in &order {
        for band in 0..BANDS {
            let key = (band, &docs[i].1 .0[band * rows..(band + 1) * rows]);
            match first_in.get(&key) {
                Some(&j) => {
                    if docs[i].1.agreement(&docs[j].1) >= COPY_AGREEMENT {
                        let (x, y) = (find(&mut parent, i), find(&mut parent, j));
                        // the root is the document that sorts first
                        let (lo, hi) = if docs[x].0 <= docs[y].0 {
                            (x, y)
                        } else {
                            (y, x)
                        };
                        parent[hi] = lo;
                    }
                }
                None => {
                    first_in.insert(key, i);
                }
            }
        }
    }
    (0..docs.len())
        .map(|i| {
            let root = find(&mut parent, i);
            (docs[i].0.clone(), docs[root].0.clone())
        })
        .collect()
}

/// Decides which records are one person. Deterministic: the same records, in any order,
/// give the same ids.
///
/// The records of one name in one copy group are first merged into one (their anchors and
/// context together; one name key, so one fullness); the merged records are linked by the
/// rules of the module, and every record takes the person of its merged record.
pub fn link(records: &[PersonRecord]) -> Vec<Assignment> {
    // (name, copy group) -> the records, the first (smallest graph) representing them
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        groups.entry((&r.name_key, &r.copies)).or_default().push(i);
    }
    let mut merged: Vec<PersonRecord> = Vec::with_capacity(groups.len());
    let mut members: Vec<Vec<usize>> = Vec::with_capacity(groups.len());
    for mut group in groups.into_values() {
        group.sort_by(|&a, &b| records[a].graph.cmp(&records[b].graph).then(a.cmp(&b)));
        let mut m = records[group[0]].clone();
        for &i in &group[1..] {
            m.anchors.extend(records[i].anchors.iter().cloned());
            m.context.extend(records[i].context.iter().cloned());
        }
        merged.push(m);
        members.push(group);
    }
    let mut out = Vec::with_capacity(records.len());
    for a in link_distinct(&merged) {
        let group = &members[a.record];
        for (n, &i) in group.iter().enumerate() {
            // a copy that holds the person too: for the representative the next copy, for
            // the others the representative
            let copy = if group.len() > 1 {
                Some(records[group[usize::from(n == 0)]].graph.clone())
            } else {
                None
            };
            let alone = a.rule == Rule::Alone;
            out.push(Assignment {
                record: i,
                id: a.id.clone(),
                rule: if alone && copy.is_some() {
                    Rule::SameText
                } else {
                    a.rule
                },
                shared: a.shared.clone(),
                same_text: copy.filter(|_| alone),
                curated: None,
            });
        }
    }
    out.sort_by_key(|a| a.record);
    out
}

/// [`link`] over records that are no copies of each other.
fn link_distinct(records: &[PersonRecord]) -> Vec<Assignment> {
    let rare = rare_context(records);
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        by_name.entry(&r.name_key).or_default().push(i);
    }
    let mut out = Vec::with_capacity(records.len());
    let alone = |i: usize| Assignment {
        record: i,
        id: records[i].local.clone(),
        rule: Rule::Alone,
        shared: BTreeSet::new(),
        same_text: None,
        curated: None,
    };
    for (name, group) in by_name {
        let anchored: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| records[i].full && !records[i].anchors.is_empty())
            .collect();
        // the records that share an anchor are one person
        let clusters = cluster_by(&anchored, |i| records[i].anchors.iter().map(String::as_str));
        let clusters: Vec<(BTreeSet<String>, Vec<usize>)> = clusters
            .into_iter()
            .map(|members| {
                let anchors = members
                    .iter()
                    .flat_map(|&i| records[i].anchors.iter().cloned())
                    .collect();
                (anchors, members)
            })
            .collect();
        for (anchors, members) in &clusters {
            let id = person_id(name, anchors.first().map_or("", String::as_str));
            let docs: BTreeSet<&str> = members.iter().map(|&i| records[i].graph.as_str()).collect();
            for &i in members {
                // the anchors this record shares with another document's record of the person
                let shared: BTreeSet<String> = records[i]
                    .anchors
                    .iter()
                    .filter(|a| {
                        members.iter().any(|&j| {
                            records[j].graph != records[i].graph && records[j].anchors.contains(*a)
                        })
                    })
                    .cloned()
                    .collect();
                out.push(Assignment {
                    record: i,
                    id: id.clone(),
                    rule: if docs.len() > 1 {
                        Rule::SharedBody
                    } else {
                        Rule::Alone
                    },
                    shared,
                    same_text: None,
                    curated: None,
                });
            }
        }
        let mut unplaced = Vec::new();
        for &i in &group {
            let r = &records[i];
            if r.full && !r.anchors.is_empty() {
                continue;
            }
            if !r.full {
                out.push(alone(i));
                continue;
            }
            let candidates: Vec<&(BTreeSet<String>, Vec<usize>)> = clusters
                .iter()
                .filter(|(anchors, _)| anchors.iter().any(|a| r.context.contains(a)))
                .collect();
            match candidates.as_slice() {
                [(anchors, _)] => out.push(Assignment {
                    record: i,
                    id: person_id(name, anchors.first().map_or("", String::as_str)),
                    rule: Rule::DocumentContext,
                    shared: anchors.intersection(&r.context).cloned().collect(),
                    same_text: None,
                    curated: None,
                }),
                [] => unplaced.push(i),
                _ => out.push(alone(i)),
            }
        }
        out.extend(shared_context(records, &unplaced, name, &rare));
    }
    out.sort_by_key(|a| a.record);
    out
}

/// Full names without a post and without a person of that name in their documents' bodies:
/// records whose documents both name one body that few documents name are one person (rule
/// `shared-context`); the others stay alone.
fn shared_context(
    records: &[PersonRecord],
    group: &[usize],
    name: &str,
    rare: &BTreeSet<&str>,
) -> Vec<Assignment> {
    let clusters = cluster_by(group, |i| {
        records[i]
            .context
            .iter()
            .map(String::as_str)
            .filter(|a| rare.contains(a))
    });
    let mut out = Vec::new();
    for members in clusters {
        if members.len() == 1 {
            out.push(Assignment {
                record: members[0],
                id: records[members[0]].local.clone(),
                rule: Rule::Alone,
                shared: BTreeSet::new(),
                same_text: None,
                curated: None,
            });
            continue;
        }
        // the id of the cluster: by its smallest shared body
        let mut common: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &members {
            for a in records[i]
                .context
                .iter()
                .filter(|a| rare.contains(a.as_str()))
            {
                *common.entry(a).or_default() += 1;
            }
        }
        let shared: BTreeSet<String> = common
            .iter()
            .filter(|(_, &n)| n > 1)
            .map(|(a, _)| a.to_string())
            .collect();
        let id = person_id(
            name,
            &format!("context:{}", shared.first().map_or("", String::as_str)),
        );
        for &i in &members {
            out.push(Assignment {
                record: i,
                id: id.clone(),
                rule: Rule::SharedContext,
                shared: records[i].context.intersection(&shared).cloned().collect(),
                same_text: None,
                curated: None,
            });
        }
    }
    out
}

/// Bodies that few documents name: at most a twentieth of the documents, and at least two
/// (places and bodies every article names say little about who a person is).
fn rare_context(records: &[PersonRecord]) -> BTreeSet<&str> {
    let mut docs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut all = BTreeSet::new();
    for r in records {
        all.insert(r.graph.as_str());
        for a in r.context.iter().filter(|a| a.starts_with("org/")) {
            docs.entry(a).or_default().insert(&r.graph);
        }
    }
    let limit = (all.len() / 20).max(2);
    docs.into_iter()
        .filter(|(_, d)| d.len() <= limit)
        .map(|(a, _)| a)
        .collect()
}

/// A record as a decision names it: its document graph and the id its document gave it
/// ([`PersonRecord::local`]); both stay the same when the corpus grows or is rebuilt.
pub type RecordRef = (String, String);

/// What a user decided about persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurationKind {
    /// The records of `first` and of `second` are one person.
    Same,
    /// The records of `first` and of `second` are two persons.
    Distinct,
    /// The records of `first` are no person.
    Reject,
}

/// A user's decision, as [`curate`] applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curation {
    /// The decision's IRI (cited by the records it moves).
    pub iri: String,
    /// What was decided.
    pub kind: CurationKind,
    /// The records of the first entity when the decision was taken.
    pub first: BTreeSet<RecordRef>,
    /// The records of the second (empty for a rejection).
    pub second: BTreeSet<RecordRef>,
}

/// Applies users' decisions to the rules' assignments (one per record, in record order):
/// every `same` first, in order, joining the persons of its two sides under the id of the one
/// with the most records;
/// then every `distinct`, moving the records of its second side off a person they share
/// with the first to a person of their own; then every `reject`. A record a decision moves
/// cites it (rule `curated` or `rejected`). Decisions whose records are no longer in the
/// store do nothing. Deterministic: ids come from ids and decision IRIs.
pub fn curate(
    records: &[PersonRecord],
    mut assignments: Vec<Assignment>,
    decisions: &[Curation],
) -> Vec<Assignment> {
    let index: HashMap<(&str, &str), usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.graph.as_str(), r.local.as_str()), i))
        .collect();
    let of = |side: &BTreeSet<RecordRef>| -> Vec<usize> {
        side.iter()
            .filter_map(|(g, l)| index.get(&(g.as_str(), l.as_str())).copied())
            .collect()
    };
    fn mark(a: &mut Assignment, rule: Rule, iri: &str) {
        a.rule = rule;
        a.curated = Some(iri.to_string());
        a.shared.clear();
        a.same_text = None;
    }
    for d in decisions.iter().filter(|d| d.kind == CurationKind::Same) {
        let (a, b) = (of(&d.first), of(&d.second));
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let ids: BTreeSet<String> = a
            .iter()
            .chain(&b)
            .map(|&i| assignments[i].id.clone())
            .collect();
        // the person with the most records keeps its id (ties: the smaller id)
        let mut size: BTreeMap<&str, usize> = BTreeMap::new();
        for x in &assignments {
            if ids.contains(&x.id) {
                *size.entry(x.id.as_str()).or_default() += 1;
            }
        }
        let Some(target) = size
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
            .map(|(id, _)| id.to_string())
        else {
            continue;
        };
        for x in assignments.iter_mut() {
            if x.id != target && ids.contains(&x.id) {
                x.id = target.clone();
                mark(x, Rule::Curated, &d.iri);
            }
        }
        // the records that were there already cite the decision too when they were alone
        for &i in a.iter().chain(&b) {
            if assignments[i].rule == Rule::Alone {
                mark(&mut assignments[i], Rule::Curated, &d.iri);
            }
        }
    }
    for d in decisions
        .iter()
        .filter(|d| d.kind == CurationKind::Distinct)
    {
        let (a, b) = (of(&d.first), of(&d.second));
        let first: BTreeSet<&str> = a.iter().map(|&i| assignments[i].id.as_str()).collect();
        let moved: Vec<usize> = b
            .iter()
            .copied()
            .filter(|&i| first.contains(assignments[i].id.as_str()))
            .collect();
        for i in moved {
            let id = person_id(&records[i].name_key, &format!("curated:{}", d.iri));
            assignments[i].id = id;
            mark(&mut assignments[i], Rule::Curated, &d.iri);
        }
    }
    for d in decisions.iter().filter(|d| d.kind == CurationKind::Reject) {
        for i in of(&d.first) {
            mark(&mut assignments[i], Rule::Rejected, &d.iri);
        }
    }
    assignments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(graph: &str, name: &str, anchors: &[&str], context: &[&str]) -> PersonRecord {
        let p = PersonIdentity {
            entity: 0,
            name_key: name_key(name),
            full: name.split(' ').count() > 1,
            anchors: anchors.iter().map(|s| s.to_string()).collect(),
            context: context.iter().map(|s| s.to_string()).collect(),
            sentence: None,
        };
        PersonRecord {
            graph: graph.into(),
            person: String::new(),
            local: local_id(&p, graph),
            name_key: p.name_key,
            full: p.full,
            anchors: p.anchors,
            context: p.context,
            copies: graph.into(),
        }
    }

    #[test]
    fn shared_anchors_merge_and_unrelated_bodies_do_not() {
        let rs = vec![
            rec("a", "Nguyễn Văn An", &["place/ha-giang"], &[]),
            rec("b", "Nguyễn Văn An", &["place/ca-mau"], &[]),
            rec(
                "c",
                "Nguyễn văn An",
                &["place/ha-giang", "org/bo-y-te"],
                &[],
            ),
            rec("d", "Nguyễn Văn An", &["org/bo-y-te"], &[]),
        ];
        let a = link(&rs);
        assert_eq!(a[0].id, a[2].id);
        assert_eq!(a[2].id, a[3].id, "linked through the record that has both");
        assert_ne!(a[0].id, a[1].id);
        assert_eq!(a[0].rule, Rule::SharedBody);
        assert_eq!(a[1].rule, Rule::Alone);
        assert!(a[3].shared.contains("org/bo-y-te"));
    }

    #[test]
    fn a_name_without_a_post_joins_only_an_unambiguous_person() {
        let rs = vec![
            rec("a", "Trần Thị Bình", &["place/lao-cai"], &[]),
            rec("b", "Trần Thị Bình", &[], &["place/lao-cai", "org/bo-y-te"]),
            rec("c", "Trần Thị Bình", &[], &["place/ca-mau"]),
            rec("d", "Bình", &[], &["place/lao-cai"]),
        ];
        let a = link(&rs);
        assert_eq!(a[1].id, a[0].id);
        assert_eq!(a[1].rule, Rule::DocumentContext);
        assert_ne!(a[2].id, a[0].id, "a document about another province");
        assert_eq!(a[2].rule, Rule::Alone);
        assert_ne!(a[3].id, a[0].id, "a bare given name is never merged");
        // two candidates: ambiguous, so alone
        let mut rs2 = rs.clone();
        rs2.push(rec("e", "Trần Thị Bình", &["org/bo-y-te"], &[]));
        let a2 = link(&rs2);
        assert_eq!(a2[1].rule, Rule::Alone);
    }

    #[test]
    fn ids_do_not_depend_on_record_order() {
        let rs = vec![
            rec("a", "Lê Văn Cường", &["place/ha-giang"], &[]),
            rec("b", "Lê Văn Cường", &["place/ha-giang", "place/hue"], &[]),
        ];
        let mut rev = rs.clone();
        rev.reverse();
        let (x, y) = (link(&rs), link(&rev));
        assert_eq!(x[0].id, y[1].id);
        assert_eq!(
            x[0].id,
            person_id(&name_key("Lê Văn Cường"), "place/ha-giang")
        );
    }

    fn sig(seed: u32) -> Signature {
        let mut v = [0u32; SIGNATURE_LEN];
        for (i, x) in v.iter_mut().enumerate() {
            *x = seed.wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 97);
        }
        Signature(v)
    }

    #[test]
    fn copies_are_grouped_in_any_order_and_other_texts_are_not() {
        let a = sig(1);
        let mut near = a;
        near.0[0] ^= 1; // a copy with another byline: 31 of 32 positions agree
        near.0[9] ^= 1;
        let docs = vec![
            ("g/c".to_string(), near),
            ("g/a".to_string(), a),
            ("g/b".to_string(), sig(2)),
            ("g/d".to_string(), a),
        ];
        let groups = copy_groups(&docs);
        assert_eq!(groups["g/a"], "g/a");
        assert_eq!(groups["g/c"], "g/a");
        assert_eq!(groups["g/d"], "g/a");
        assert_eq!(groups["g/b"], "g/b");
        let mut rev = docs.clone();
        rev.reverse();
        assert_eq!(copy_groups(&rev), groups);
    }

    #[test]
    fn copies_of_one_article_link_every_name_even_a_bare_one() {
        let mut rs = Vec::new();
        for g in ["a", "b", "c"] {
            let mut full = rec(g, "Trần Thị Bình", &[], &["place/ca-mau"]);
            let mut bare = rec(g, "Bình", &[], &[]);
            full.copies = "a".into();
            bare.copies = "a".into();
            rs.push(full);
            rs.push(bare);
        }
        // the same name in another article stays apart
        rs.push(rec("z", "Trần Thị Bình", &[], &["place/ha-giang"]));
        let a = link(&rs);
        assert!(a[0].id == a[2].id && a[2].id == a[4].id);
        assert!(a[1].id == a[3].id && a[3].id == a[5].id);
        assert_ne!(a[0].id, a[1].id, "a bare name is not its full namesake");
        assert_ne!(a[6].id, a[0].id);
        assert_eq!(a[0].rule, Rule::SameText);
        assert_eq!(a[2].same_text.as_deref(), Some("a"));
        assert_eq!(a[0].same_text.as_deref(), Some("b"));
        assert_eq!(a[6].rule, Rule::Alone);
        // copies and a post elsewhere: the post's rule, for every copy
        let mut rs2 = rs.clone();
        rs2[0].anchors.insert("place/ca-mau".into());
        rs2.push(rec("y", "Trần Thị Bình", &["place/ca-mau"], &[]));
        let a2 = link(&rs2);
        assert_eq!(a2[0].id, a2[7].id);
        assert_eq!(a2[2].id, a2[7].id);
        assert_eq!(a2[2].rule, Rule::SharedBody);
    }

    fn decision(
        kind: CurationKind,
        n: u32,
        first: &[&PersonRecord],
        second: &[&PersonRecord],
    ) -> Curation {
        let refs = |rs: &[&PersonRecord]| {
            rs.iter()
                .map(|r| (r.graph.clone(), r.local.clone()))
                .collect()
        };
        Curation {
            iri: format!("curation/{n}"),
            kind,
            first: refs(first),
            second: refs(second),
        }
    }

    #[test]
    fn a_users_decisions_join_split_and_reject_and_are_cited() {
        let rs = vec![
            rec("a", "Nguyễn Văn An", &["place/ha-giang"], &[]),
            rec("b", "Nguyễn Văn An", &["place/ca-mau"], &[]),
            rec("c", "Nguyễn Văn An", &["place/ha-giang"], &[]),
            rec("d", "Trần Văn Bình", &[], &[]),
        ];
        let auto = link(&rs);
        assert_ne!(auto[0].id, auto[1].id);
        assert_eq!(auto[0].id, auto[2].id);
        // same: the two provinces' records are one person, under the smaller id
        let same = decision(CurationKind::Same, 1, &[&rs[0]], &[&rs[1]]);
        let a = curate(&rs, auto.clone(), std::slice::from_ref(&same));
        assert!(a[0].id == a[1].id && a[1].id == a[2].id, "{a:?}");
        assert_eq!(
            a[0].id, auto[0].id,
            "the person of two records keeps its id"
        );
        assert_eq!(a[1].rule, Rule::Curated);
        assert_eq!(a[0].rule, Rule::SharedBody);
        let moved: Vec<&Assignment> = a.iter().filter(|x| x.rule == Rule::Curated).collect();
        assert!(!moved.is_empty());
        assert!(moved
            .iter()
            .all(|x| x.curated.as_deref() == Some("curation/1")));
        // distinct: the record of document c leaves the person of document a
        let distinct = decision(CurationKind::Distinct, 2, &[&rs[0]], &[&rs[2]]);
        let a = curate(&rs, auto.clone(), std::slice::from_ref(&distinct));
        assert_ne!(a[0].id, a[2].id);
        assert_eq!(a[2].rule, Rule::Curated);
        assert_eq!(a[0].rule, Rule::SharedBody, "the first side keeps its rule");
        // distinct wins over same, whatever their order
        let a = curate(&rs, auto.clone(), &[distinct.clone(), same.clone()]);
        assert_ne!(a[0].id, a[2].id);
        // reject
        let reject = decision(CurationKind::Reject, 3, &[&rs[3]], &[]);
        let a = curate(&rs, auto.clone(), &[reject]);
        assert_eq!(a[3].rule, Rule::Rejected);
        assert_eq!(a[3].curated.as_deref(), Some("curation/3"));
        // a decision about records no longer in the store changes nothing
        let gone = decision(
            CurationKind::Same,
            4,
            &[&rec("x", "Lê An", &[], &[])],
            &[&rs[1]],
        );
        assert_eq!(curate(&rs, auto.clone(), &[gone]), auto);
        // in any order of the records, the same persons
        let mut rev = rs.clone();
        rev.reverse();
        let b = curate(&rev, link(&rev), std::slice::from_ref(&same));
        let a = curate(&rs, auto, &[same]);
        assert_eq!(a[0].id, b[3].id);
        assert_eq!(a[1].id, b[2].id);
    }

    #[test]
    fn full_names_need_a_surname() {
        let surnames: HashSet<String> = ["nguyễn".to_string()].into();
        assert!(is_full_name("Nguyễn Nam", &surnames));
        assert!(!is_full_name("Nam", &surnames));
        assert!(!is_full_name("Tuấn Như", &surnames));
    }
}
