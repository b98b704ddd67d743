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
//! - full names with no post anywhere are one person when the bodies their documents both
//!   name weigh enough (rule `shared-context`): each body weighs ln(A / df), A the distinct
//!   articles of the corpus and df those naming it, so a body every article names counts for
//!   nothing, several uncommon ones add up, and one body named by at most a twentieth of the
//!   articles (two, in a small corpus) is enough;
//! - a bare given name ("ông Nam") that the document never writes in full, and two people of
//!   one name in unrelated bodies, stay apart (rule `alone`);
//! - before all of these, the records of one name in copies of one article (documents whose
//!   text signatures mostly agree: republished, syndicated, under another id or byline) are
//!   one record, and so one person (rule `same-text`). [`copy_groups`] finds the copies by
//!   locality-sensitive hashing of the signatures, so the work grows with the number of
//!   documents, not with its square, and a corpus repeated twenty times links like one copy.
//!
//! Every link carries a score, the weight of the anchors or bodies it rests on (the same
//! ln(A / df)), and links are made strongest first. Clusters stay consistent: two records of
//! one name with posts in different provinces on the same date are two people (no one holds
//! posts in two provinces on one day), so no chain of links may join them; a link that would
//! is refused, and each side records the person it was kept apart from.
//!
//! Candidate pairs are blocked: only records of one name key are compared, and only those
//! that share an anchor or a body (an index from each anchor to its records; an anchor held
//! by more than [`STAR_ABOVE`] records links each to the first instead of to every other), so
//! the work grows with the records times the log of their number, not with its square.
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
    /// The document's date (`YYYY-MM-DD`, or shorter), when it has one.
    pub date: Option<String>,
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
    /// The weight of the evidence of its link, in thousandths (see the module's doc); 0 for
    /// a record alone, a copy or a user's decision.
    pub score: u32,
    /// The ids of the persons of its name it was kept apart from: posts in another province
    /// on the same date.
    pub apart: BTreeSet<String>,
}

impl Assignment {
    fn new(record: usize, id: String, rule: Rule) -> Self {
        Assignment {
            record,
            id,
            rule,
            shared: BTreeSet::new(),
            same_text: None,
            curated: None,
            score: 0,
            apart: BTreeSet::new(),
        }
    }
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
    let mut dates: Vec<BTreeSet<&str>> = Vec::with_capacity(groups.len());
    for mut group in groups.into_values() {
        group.sort_by(|&a, &b| records[a].graph.cmp(&records[b].graph).then(a.cmp(&b)));
        let mut m = records[group[0]].clone();
        for &i in &group[1..] {
            m.anchors.extend(records[i].anchors.iter().cloned());
            m.context.extend(records[i].context.iter().cloned());
        }
        merged.push(m);
        dates.push(
            group
                .iter()
                .filter_map(|&i| records[i].date.as_deref())
                .collect(),
        );
        members.push(group);
    }
    let mut out = Vec::with_capacity(records.len());
    for a in link_distinct(&merged, &dates) {
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
                rule: if alone && copy.is_some() {
                    Rule::SameText
                } else {
                    a.rule
                },
                same_text: copy.filter(|_| alone),
                ..a.clone()
            });
        }
    }
    out.sort_by_key(|a| a.record);
    out
}

/// An anchor or body held by more records of one name than this links each of them to the
/// first rather than to every other (blocking stays linear in the records).
pub const STAR_ABOVE: usize = 64;

/// How much naming an anchor or body says about who a person is, over a corpus: ln(A / df),
/// A the distinct articles (copy groups), df those whose records name it (among their anchors
/// or bodies). A body every article names weighs nothing.
struct Weights<'a> {
    ln_articles: f64,
    df: HashMap<&'a str, usize>,
}

impl<'a> Weights<'a> {
    fn new(records: &'a [PersonRecord]) -> Self {
        let mut articles: HashSet<&str> = HashSet::new();
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for r in records {
            articles.insert(&r.copies);
            for a in r.anchors.iter().chain(&r.context) {
                if seen.insert((a, &r.copies)) {
                    *df.entry(a).or_default() += 1;
                }
            }
        }
        Weights {
            ln_articles: (articles.len().max(1) as f64).ln(),
            df,
        }
    }

    fn of(&self, a: &str) -> f64 {
        let df = self.df.get(a).copied().unwrap_or(1).max(1) as f64;
        (self.ln_articles - df.ln()).max(0.0)
    }

    fn sum<'s>(&self, shared: impl Iterator<Item = &'s String>) -> f64 {
        shared.map(|a| self.of(a)).sum()
    }

    /// The weight from which shared bodies alone make two postless records one person: that
    /// of one body named by a twentieth of the articles, or by two in a corpus of fewer than
    /// forty.
    fn context_threshold(&self) -> f64 {
        let articles = self.ln_articles.exp();
        (articles / (articles / 20.0).max(2.0)).ln().max(0.0)
    }
}

fn milli(score: f64) -> u32 {
    (score * 1000.0).round() as u32
}

/// The candidate pairs of `members` (indices into `records`) that share a key of `keys`
/// weighing more than nothing, each with the keys they share; blocked by an index from each
/// key to its records (a key of more than [`STAR_ABOVE`] records pairs each with the first).
fn candidate_pairs<'r>(
    records: &'r [PersonRecord],
    members: &[usize],
    keys: impl Fn(&'r PersonRecord) -> BTreeSet<&'r str>,
    w: &Weights<'_>,
) -> BTreeMap<(usize, usize), BTreeSet<&'r str>> {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let keyed: HashMap<usize, BTreeSet<&str>> =
        members.iter().map(|&i| (i, keys(&records[i]))).collect();
    for &i in members {
        for &k in &keyed[&i] {
            if w.of(k) > 0.0 {
                by_key.entry(k).or_default().push(i);
            }
        }
    }
    let mut pairs: BTreeMap<(usize, usize), BTreeSet<&str>> = BTreeMap::new();
    for list in by_key.values() {
        let star = list.len() > STAR_ABOVE;
        for (n, &i) in list.iter().enumerate() {
            let others = if star { &list[..n.min(1)] } else { &list[..n] };
            for &j in others {
                let pair = (j.min(i), j.max(i));
                if let std::collections::btree_map::Entry::Vacant(e) = pairs.entry(pair) {
                    let shared = keyed[&pair.0]
                        .intersection(&keyed[&pair.1])
                        .copied()
                        .filter(|k| w.of(k) > 0.0)
                        .collect();
                    e.insert(shared);
                }
            }
        }
    }
    pairs
}

/// Union-find over the records of one name that never joins two clusters holding records
/// known to be two people: posts in different provinces on the same date.
struct Clusters<'a> {
    parent: HashMap<usize, usize>,
    /// Per root: date -> the provincial anchors of each of its records with posts that day.
    posts: HashMap<usize, BTreeMap<&'a str, Vec<BTreeSet<&'a str>>>>,
}

impl<'a> Clusters<'a> {
    fn new(records: &'a [PersonRecord], members: &[usize], dates: &'a [BTreeSet<&'a str>]) -> Self {
        let mut posts = HashMap::new();
        for &i in members {
            let provinces: BTreeSet<&str> = records[i]
                .anchors
                .iter()
                .map(String::as_str)
                .filter(|a| a.starts_with("place/"))
                .collect();
            let mut by_date: BTreeMap<&str, Vec<BTreeSet<&str>>> = BTreeMap::new();
            if !provinces.is_empty() {
                for &d in &dates[i] {
                    by_date.entry(d).or_default().push(provinces.clone());
                }
            }
            posts.insert(i, by_date);
        }
        Clusters {
            parent: members.iter().map(|&i| (i, i)).collect(),
            posts,
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[&i] != i {
            let up = self.parent[&self.parent[&i]];
            self.parent.insert(i, up);
            i = up;
        }
        i
    }

    /// True when the clusters of `i` and `j` hold posts in different provinces on one date.
    fn conflict(&mut self, i: usize, j: usize) -> bool {
        let (a, b) = (self.root(i), self.root(j));
        let (pa, pb) = (&self.posts[&a], &self.posts[&b]);
        pa.iter().any(|(d, xs)| {
            pb.get(d)
                .is_some_and(|ys| xs.iter().any(|x| ys.iter().any(|y| x.is_disjoint(y))))
        })
    }

    /// Joins the clusters of `i` and `j` unless they conflict; the smaller root stays root.
    fn join(&mut self, i: usize, j: usize) -> bool {
        let (a, b) = (self.root(i), self.root(j));
        if a == b {
            return true;
        }
        if self.conflict(a, b) {
            return false;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        self.parent.insert(hi, lo);
        let moved = self.posts.remove(&hi).unwrap_or_default();
        let into = self.posts.entry(lo).or_default();
        for (d, sets) in moved {
            into.entry(d).or_default().extend(sets);
        }
        true
    }
}

/// [`link`] over records that are no copies of each other; `dates` holds the dates of each
/// record's documents.
fn link_distinct(records: &[PersonRecord], dates: &[BTreeSet<&str>]) -> Vec<Assignment> {
    let w = Weights::new(records);
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        by_name.entry(&r.name_key).or_default().push(i);
    }
    let mut out = Vec::with_capacity(records.len());
    for (name, group) in by_name {
        let anchored: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| records[i].full && !records[i].anchors.is_empty())
            .collect();
        // records that share an anchor are one person, strongest evidence first, unless a
        // chain would join posts in two provinces on one date
        let pairs = candidate_pairs(
            records,
            &anchored,
            |r| r.anchors.iter().map(String::as_str).collect(),
            &w,
        );
        let mut clusters = Clusters::new(records, &anchored, dates);
        let mut refused = Vec::new();
        for ((i, j), _) in by_score(&pairs, &w) {
            if !clusters.join(i, j) {
                refused.push((i, j));
            }
        }
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &anchored {
            let r = clusters.root(i);
            by_root.entry(r).or_default().push(i);
        }
        let mut id_of: HashMap<usize, String> = HashMap::new();
        let mut cluster_anchors: Vec<(BTreeSet<String>, String)> = Vec::new();
        for members in by_root.values() {
            let anchors: BTreeSet<String> = members
                .iter()
                .flat_map(|&i| records[i].anchors.iter().cloned())
                .collect();
            // by the smallest anchor; a person kept apart from another of the same smallest
            // anchor also by its first document
            let first = anchors.first().map_or("", String::as_str);
            let mut id = person_id(name, first);
            if cluster_anchors.iter().any(|(_, other)| *other == id) {
                id = person_id(name, &format!("{first}@{}", records[members[0]].graph));
            }
            let docs: BTreeSet<&str> = members.iter().map(|&i| records[i].graph.as_str()).collect();
            for &i in members {
                id_of.insert(i, id.clone());
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
                let mut a = Assignment::new(
                    i,
                    id.clone(),
                    if docs.len() > 1 {
                        Rule::SharedBody
                    } else {
                        Rule::Alone
                    },
                );
                a.score = milli(w.sum(shared.iter()));
                a.shared = shared;
                out.push(a);
            }
            cluster_anchors.push((anchors, id));
        }
        for (i, j) in refused {
            let (ii, jj) = (id_of[&i].clone(), id_of[&j].clone());
            if ii != jj {
                for a in out.iter_mut() {
                    if a.record == i {
                        a.apart.insert(jj.clone());
                    } else if a.record == j {
                        a.apart.insert(ii.clone());
                    }
                }
            }
        }
        let mut unplaced = Vec::new();
        for &i in &group {
            let r = &records[i];
            if r.full && !r.anchors.is_empty() {
                continue;
            }
            if !r.full {
                out.push(Assignment::new(i, r.local.clone(), Rule::Alone));
                continue;
            }
            let candidates: Vec<&(BTreeSet<String>, String)> = cluster_anchors
                .iter()
                .filter(|(anchors, _)| anchors.iter().any(|a| r.context.contains(a)))
                .collect();
            match candidates.as_slice() {
                [(anchors, id)] => {
                    let mut a = Assignment::new(i, id.clone(), Rule::DocumentContext);
                    a.shared = anchors.intersection(&r.context).cloned().collect();
                    a.score = milli(w.sum(a.shared.iter()));
                    out.push(a);
                }
                [] => unplaced.push(i),
                _ => out.push(Assignment::new(i, r.local.clone(), Rule::Alone)),
            }
        }
        out.extend(shared_context(records, &unplaced, name, &w));
    }
    out.sort_by_key(|a| a.record);
    out
}

/// The pairs, strongest first (ties in the order of the records): the order links are made.
fn by_score(
    pairs: &BTreeMap<(usize, usize), BTreeSet<&str>>,
    w: &Weights<'_>,
) -> Vec<((usize, usize), u32)> {
    let mut v: Vec<((usize, usize), u32)> = pairs
        .iter()
        .map(|(&p, shared)| (p, milli(shared.iter().map(|a| w.of(a)).sum())))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Full names without a post and without a person of that name in their documents' bodies:
/// records whose documents both name bodies weighing at least the threshold together are one
/// person (rule `shared-context`); the others stay alone.
fn shared_context(
    records: &[PersonRecord],
    group: &[usize],
    name: &str,
    w: &Weights<'_>,
) -> Vec<Assignment> {
    let threshold = milli(w.context_threshold());
    fn bodies(r: &PersonRecord) -> BTreeSet<&str> {
        r.context
            .iter()
            .map(String::as_str)
            .filter(|a| a.starts_with("org/"))
            .collect()
    }
    let pairs = candidate_pairs(records, group, bodies, w);
    let mut parent: HashMap<usize, usize> = group.iter().map(|&i| (i, i)).collect();
    fn root(parent: &mut HashMap<usize, usize>, mut i: usize) -> usize {
        while parent[&i] != i {
            i = parent[&i];
        }
        i
    }
    for ((i, j), score) in by_score(&pairs, w) {
        if score >= threshold && score > 0 {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent.insert(a.max(b), a.min(b));
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in group {
        let r = root(&mut parent, i);
        clusters.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in clusters.into_values() {
        if members.len() == 1 {
            out.push(Assignment::new(
                members[0],
                records[members[0]].local.clone(),
                Rule::Alone,
            ));
            continue;
        }
        // the bodies two or more members share; the id of the cluster by the smallest
        let mut common: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &members {
            for a in bodies(&records[i]).into_iter().filter(|a| w.of(a) > 0.0) {
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
            let mut a = Assignment::new(i, id.clone(), Rule::SharedContext);
            a.shared = records[i].context.intersection(&shared).cloned().collect();
            a.score = milli(w.sum(a.shared.iter()));
            out.push(a);
        }
    }
    out
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
            date: None,
        }
    }

    fn dated(mut r: PersonRecord, date: &str) -> PersonRecord {
        r.date = Some(date.into());
        r
    }

    #[test]
    fn no_chain_joins_posts_in_two_provinces_on_one_date() {
        // a and c hold posts in Hà Giang and Cà Mau on the same day: two people, although b
        // shares an anchor with each
        let rs = vec![
            dated(
                rec("a", "Phạm Văn Long", &["place/ha-giang"], &[]),
                "2024-05-02",
            ),
            rec(
                "b",
                "Phạm Văn Long",
                &["place/ha-giang", "org/bo-y-te"],
                &[],
            ),
            dated(
                rec("c", "Phạm Văn Long", &["place/ca-mau", "org/bo-y-te"], &[]),
                "2024-05-02",
            ),
            // other articles, so that the anchors weigh something
            rec("x", "Lê Thị Thu", &["org/bo-tai-chinh"], &[]),
            rec("y", "Đặng Văn Tú", &["place/hue"], &[]),
        ];
        let a = link(&rs);
        assert_ne!(a[0].id, a[2].id, "{a:?}");
        assert!(a[1].id == a[0].id || a[1].id == a[2].id);
        // each side names the person it was kept apart from
        let (joined, alone) = if a[1].id == a[0].id { (0, 2) } else { (2, 0) };
        assert!(a[alone].apart.contains(&a[joined].id), "{a:?}");
        // on different dates the same posts are one person's career
        let mut later = rs.clone();
        later[2].date = Some("2025-03-01".into());
        let b = link(&later);
        assert!(b[0].id == b[1].id && b[1].id == b[2].id, "{b:?}");
        assert!(b.iter().all(|x| x.apart.is_empty()));
        // in any order, the same persons
        let mut rev = rs.clone();
        rev.reverse();
        let r = link(&rev);
        assert_eq!(r[4].id, a[0].id);
        assert_eq!(r[2].id, a[2].id);
        assert_eq!(r[3].id, a[1].id);
    }

    #[test]
    fn shared_bodies_weigh_by_how_few_articles_name_them() {
        // 40 other articles all name the Bộ Y tế; two of them a clinic, two a commune station
        let mut rs = Vec::new();
        for n in 0..40 {
            let mut r = rec(
                &format!("o{n:02}"),
                &format!("Vũ Thị Nga {n}"),
                &[],
                &["org/bo-y-te"],
            );
            match n {
                0 | 1 => r.context.insert("org/phong-kham-an-binh".into()),
                2 | 3 => r.context.insert("org/tram-y-te-an-binh".into()),
                _ => false,
            };
            rs.push(r);
        }
        let first = rs.len();
        let both = [
            "org/bo-y-te",
            "org/phong-kham-an-binh",
            "org/tram-y-te-an-binh",
        ];
        rs.push(rec("p", "Đinh Văn Sáu", &[], &["org/bo-y-te"]));
        rs.push(rec("q", "Đinh Văn Sáu", &[], &["org/bo-y-te"]));
        rs.push(rec("s", "Đinh Văn Sáu", &[], &both));
        rs.push(rec("t", "Đinh Văn Sáu", &[], &both));
        rs.push(rec("u", "Ngô Thị Hằng", &[], &["org/phong-kham-an-binh"]));
        rs.push(rec("v", "Ngô Thị Hằng", &[], &["org/phong-kham-an-binh"]));
        let a = link(&rs);
        // a body every article names says nothing
        assert_ne!(a[first].id, a[first + 1].id);
        assert_eq!(a[first].rule, Rule::Alone);
        // one body named by 6 of 46 articles is not enough alone (ln 46/6 < ln 20) ...
        assert_ne!(a[first + 4].id, a[first + 5].id);
        // ... two such bodies together are, and the link says what it weighed
        assert_eq!(a[first + 2].id, a[first + 3].id);
        assert_eq!(a[first + 2].rule, Rule::SharedContext);
        assert!(a[first + 2].shared.contains("org/phong-kham-an-binh"));
        assert!(a[first + 2].shared.contains("org/tram-y-te-an-binh"));
        // the Bộ Y tế, named by 44 of the 46 articles, adds almost nothing
        let ln = |df: f64| (46.0f64 / df).ln();
        assert_eq!(a[first + 2].score, milli(ln(6.0) + ln(4.0) + ln(44.0)));
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
