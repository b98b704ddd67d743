//! Which bodies are one, across documents.
//!
//! A document names a body by its canonical key (kind, name, locality), so the same body
//! written the same way is one IRI everywhere. Written two ways it is two: the press drops a
//! word of the head ("Bệnh viện Nhiệt đới Trung ương" for the Bệnh viện Bệnh Nhiệt đới Trung
//! ương, "Đại học Y Hà Nội" for the Trường Đại học Y Hà Nội), repeats one, or shortens a name
//! ("Bệnh viện 108" for the Bệnh viện Trung ương Quân đội 108). [`link`] decides over the
//! whole corpus, with evidence it records:
//!
//! - rule `name-variant`: two bodies of one kind and one locality whose names differ only by
//!   words of their own head (the head's words repeated, or a head written with or without a
//!   word: "Trường Đại học" / "Đại học", "Bệnh viện Đa khoa" / "Bệnh viện") and share a word
//!   beside the head that few body names have ("Xanh Pôn", not "Trung ương");
//! - rule `shared-official`: two bodies of one kind and compatible localities whose names
//!   share a word that few body names have (at most a twentieth of them, or two below forty
//!   bodies) and in which one person (as linked across documents) holds the same title: the director
//!   of "Bệnh viện 108" and of "Bệnh viện Trung ương Quân đội 108";
//! - never two bodies one document names both: its reader told them apart.
//!
//! Candidates are blocked by kind and by the words of the names (an index from each word of
//! few names to its bodies), so the work grows with the bodies, not with their square. Each
//! group of linked bodies keeps the IRI of the one most documents name.

use super::name_key;
use crate::reference;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One body of the corpus, as the documents give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyRecord {
    /// Its IRI.
    pub iri: String,
    /// The name keys of its labels ([`name_key`]).
    pub names: BTreeSet<String>,
    /// Its kind (`org:classification`), when it has one.
    pub kind: Option<String>,
    /// Its province (`schema:location`), when it has one.
    pub location: Option<String>,
    /// The document graphs that name it.
    pub docs: BTreeSet<String>,
    /// The posts held in it: (person IRI, title).
    pub officials: BTreeSet<(String, String)>,
}

/// Why a body is another's variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyRule {
    /// A user's decision (`vnkg curate same`).
    Curated,
    /// Names that differ only by words of their head.
    NameVariant,
    /// A rare word of the name and an official with the same title in both.
    SharedOfficial,
}

impl BodyRule {
    /// The local name of the rule's concept in the ontology (`rule:`).
    pub fn as_str(self) -> &'static str {
        match self {
            BodyRule::Curated => "curated",
            BodyRule::NameVariant => "name-variant",
            BodyRule::SharedOfficial => "shared-official",
        }
    }
}

/// A user's decision about bodies (`vnkg curate`), by the records (indices) of each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyDecision {
    /// The decision's IRI.
    pub iri: String,
    /// `true` for `same` (one body), `false` for `distinct` (never one).
    pub same: bool,
    /// The records of the first side.
    pub first: BTreeSet<usize>,
    /// The records of the second side.
    pub second: BTreeSet<usize>,
}

/// A body found to be another: the variant's IRI gives way to the kept one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The variant (index into the records).
    pub variant: usize,
    /// The body it is (index into the records): the one of its group most documents name.
    pub kept: usize,
    /// The rule of the link that joined it to its group.
    pub rule: BodyRule,
    /// What the link rests on: the head words that differ, or the officials (person IRIs).
    pub evidence: BTreeSet<String>,
    /// The weight of the name's rare words shared, in thousandths.
    pub score: u32,
    /// For rule `curated`: the IRI of the user's decision.
    pub curated: Option<String>,
}

/// The organisation heads of `ontology/lexicon/org_heads.tsv`, as name keys.
fn heads() -> &'static [String] {
    static HEADS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    HEADS.get_or_init(|| {
        reference::get()
            .heads
            .iter()
            .map(|h| name_key(&h.canonical))
            .collect()
    })
}

/// The words of the longest organisation head `name` (a name key) starts with.
fn head_words(name: &str) -> BTreeSet<&str> {
    let n = heads()
        .iter()
        .filter(|h| name == h.as_str() || name.starts_with(&format!("{h} ")))
        .map(|h| h.split(' ').count())
        .max()
        .unwrap_or(0);
    name.split(' ').take(n).collect()
}

/// The words `long` has beyond `short` when `short` is `long` with words left out (in order);
/// `None` when it is not.
fn left_out<'a>(short: &str, long: &'a str) -> Option<Vec<&'a str>> {
    let mut rest = short.split(' ').peekable();
    let mut out = Vec::new();
    for w in long.split(' ') {
        if rest.peek() == Some(&w) {
            rest.next();
        } else {
            out.push(w);
        }
    }
    (rest.next().is_none()).then_some(out)
}

/// The head words by which two names differ, when they differ only by words of their heads.
fn head_variant(a: &str, b: &str) -> Option<BTreeSet<String>> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let extra = left_out(short, long)?;
    if extra.is_empty() {
        return None;
    }
    let heads: BTreeSet<&str> = head_words(short)
        .union(&head_words(long))
        .copied()
        .collect();
    // a proper name must remain beside the head
    if short.split(' ').all(|w| heads.contains(w)) {
        return None;
    }
    extra
        .iter()
        .all(|w| heads.contains(w))
        .then(|| extra.iter().map(|w| w.to_string()).collect())
}

/// The words of each body's names and how many bodies' names have each.
struct Words<'a> {
    of: Vec<BTreeSet<&'a str>>,
    df: HashMap<&'a str, usize>,
    bodies: f64,
}

impl<'a> Words<'a> {
    fn new(records: &'a [BodyRecord]) -> Self {
        let of: Vec<BTreeSet<&str>> = records
            .iter()
            .map(|r| r.names.iter().flat_map(|n| n.split(' ')).collect())
            .collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for ws in &of {
            for w in ws {
                *df.entry(w).or_default() += 1;
            }
        }
        Words {
            of,
            df,
            bodies: records.len().max(1) as f64,
        }
    }

    /// ln(B / df): how much a word of a name says, over the B bodies.
    fn weight(&self, w: &str) -> f64 {
        (self.bodies / self.df.get(w).copied().unwrap_or(1).max(1) as f64).ln()
    }

    /// The pairs of bodies of one kind that share one of the words `block` gives each (an
    /// index from each word of at most 64 names to its bodies; with `informative`, only words
    /// that not every body has).
    fn pairs(
        &self,
        records: &[BodyRecord],
        block: &[BTreeSet<&str>],
        informative: bool,
    ) -> BTreeSet<(usize, usize)> {
        let mut by_word: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (i, ws) in block.iter().enumerate() {
            let kind = records[i].kind.as_deref().unwrap_or("");
            for &w in ws {
                if self.df.get(w).copied().unwrap_or(0) <= 64
                    && (!informative || self.weight(w) > 0.0)
                {
                    by_word.entry((kind, w)).or_default().push(i);
                }
            }
        }
        let mut pairs = BTreeSet::new();
        for list in by_word.values() {
            for (n, &i) in list.iter().enumerate() {
                for &j in &list[..n] {
                    pairs.insert((j.min(i), j.max(i)));
                }
            }
        }
        pairs
    }
}

/// Decides which bodies are one. Deterministic: the same records in any order give the same
/// links (by IRI).
pub fn link(records: &[BodyRecord]) -> Vec<BodyLink> {
    link_curated(records, &[])
}

/// [`link`] under users' decisions: a `same` joins its sides first, whatever the evidence
/// (and whatever one document names); a `distinct` keeps its sides apart from any link.
pub fn link_curated(records: &[BodyRecord], decisions: &[BodyDecision]) -> Vec<BodyLink> {
    // the records in IRI order, so that the result does not depend on theirs
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| records[a].iri.cmp(&records[b].iri));
    let words = Words::new(records);
    let all_words = &words.of;
    let df = &words.df;
    let weight = |w: &str| words.weight(w);
    // a word few names have: at most a twentieth of them (two, below forty bodies)
    let few = (words.bodies / 20.0).max(2.0);
    let rare = |w: &str| df.get(w).copied().unwrap_or(0) as f64 <= few;
    // candidates: bodies of one kind sharing a word few names have
    let pairs = words.pairs(records, all_words, false);
    let mut edges: Vec<(u32, BodyRule, usize, usize, BTreeSet<String>)> = Vec::new();
    for (i, j) in pairs {
        let (a, b) = (&records[i], &records[j]);
        if !a.docs.is_disjoint(&b.docs) {
            continue;
        }
        let shared: BTreeSet<&str> = all_words[i].intersection(&all_words[j]).copied().collect();
        let score: f64 = shared.iter().map(|w| weight(w)).sum();
        let variant = a
            .names
            .iter()
            .find_map(|x| b.names.iter().find_map(|y| head_variant(x, y)));
        // a rare word beside the heads: "Bệnh viện Trung ương" names no one hospital
        let named = variant.is_some()
            && a.names.iter().chain(&b.names).any(|n| {
                let heads = head_words(n);
                n.split(' ')
                    .any(|w| !heads.contains(w) && shared.contains(w) && rare(w))
            });
        if let (Some(diff), true, true) = (variant, named, a.location == b.location) {
            edges.push((milli(score), BodyRule::NameVariant, i, j, diff));
            continue;
        }
        let compatible = a.location.is_none() || b.location.is_none() || a.location == b.location;
        let officials: BTreeSet<String> = a
            .officials
            .intersection(&b.officials)
            .map(|(p, _)| p.clone())
            .collect();
        if compatible && !officials.is_empty() && shared.iter().any(|w| rare(w)) {
            edges.push((milli(score), BodyRule::SharedOfficial, i, j, officials));
        }
    }
    // strongest first; ties in IRI order
    edges.sort_by(|x, y| {
        x.1.cmp(&y.1)
            .then(y.0.cmp(&x.0))
            .then(records[x.2].iri.cmp(&records[y.2].iri))
            .then(records[x.3].iri.cmp(&records[y.3].iri))
    });
    // groups that never hold two bodies of one document
    let mut parent: Vec<usize> = (0..records.len()).collect();
    let mut docs: Vec<BTreeSet<&str>> = records
        .iter()
        .map(|r| r.docs.iter().map(String::as_str).collect())
        .collect();
    type Joined = (BodyRule, BTreeSet<String>, u32, Option<String>);
    let mut joined_by: HashMap<usize, Joined> = HashMap::new();
    // the users' decisions: same first, then the rules' links unless a distinct forbids them
    let mut apart: Vec<(&BTreeSet<usize>, &BTreeSet<usize>)> = Vec::new();
    for d in decisions {
        if !d.same {
            apart.push((&d.first, &d.second));
            continue;
        }
        let all: Vec<usize> = d.first.iter().chain(&d.second).copied().collect();
        for w in all.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            if a != b {
                join(records, &mut parent, &mut docs, a, b);
            }
        }
        for &i in &all {
            joined_by.insert(
                i,
                (BodyRule::Curated, BTreeSet::new(), 0, Some(d.iri.clone())),
            );
        }
    }
    for (score, rule, i, j, evidence) in edges {
        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
        if a == b || !docs[a].is_disjoint(&docs[b]) {
            continue;
        }
        let mut on =
            |side: &BTreeSet<usize>, r: usize| side.iter().any(|&k| root(&mut parent, k) == r);
        let forbidden = apart
            .iter()
            .any(|(x, y)| (on(x, a) && on(y, b)) || (on(x, b) && on(y, a)));
        if forbidden {
            continue;
        }
        join(records, &mut parent, &mut docs, a, b);
        // each body joined records the link that brought it in
        joined_by
            .entry(i)
            .or_insert((rule, evidence.clone(), score, None));
        joined_by.entry(j).or_insert((rule, evidence, score, None));
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &order {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let kept = *members
            .iter()
            .max_by(|&&x, &&y| {
                records[x]
                    .docs
                    .len()
                    .cmp(&records[y].docs.len())
                    .then(records[y].iri.cmp(&records[x].iri))
            })
            .expect("a group has members");
        for &v in members.iter().filter(|&&v| v != kept) {
            let (rule, evidence, score, curated) = joined_by.get(&v).cloned().unwrap_or((
                BodyRule::NameVariant,
                BTreeSet::new(),
                0,
                None,
            ));
            out.push(BodyLink {
                variant: v,
                kept,
                rule,
                evidence,
                score,
                curated,
            });
        }
    }
    out.sort_by(|x, y| records[x.variant].iri.cmp(&records[y.variant].iri));
    out
}

/// Two bodies linking keeps apart that a reviewer may want to see: they share words of
/// their names beside their heads.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyCandidate {
    /// The two bodies (indices into the records).
    pub pair: (usize, usize),
    /// How alike their names are: the weight (ln(B / df)) of the words they share over that
    /// of all their words, from 0 to 1.
    pub score: f64,
    /// The words they share beside their heads, the rarest first.
    pub shared: Vec<String>,
}

/// The pairs of bodies of one kind that `links` leaves apart and whose names share a word
/// beside their heads that is not in every name (blocked as [`link`] blocks), most alike
/// first; never two bodies one document names both.
pub fn candidates(records: &[BodyRecord], links: &[BodyLink]) -> Vec<BodyCandidate> {
    let mut group: Vec<usize> = (0..records.len()).collect();
    for l in links {
        group[l.variant] = l.kept;
    }
    let all = Words::new(records);
    let beside: Vec<BTreeSet<&str>> = records
        .iter()
        .map(|r| {
            r.names
                .iter()
                .flat_map(|n| {
                    let heads = head_words(n);
                    n.split(' ').filter(move |w| !heads.contains(w))
                })
                .collect()
        })
        .collect();
    let weight = |w: &str| all.weight(w);
    let words = &all.of;
    let pairs = all.pairs(records, &beside, true);
    let mut out: Vec<BodyCandidate> = pairs
        .into_iter()
        .filter(|&(i, j)| group[i] != group[j] && group[i] != j && group[j] != i)
        .filter(|&(i, j)| records[i].docs.is_disjoint(&records[j].docs))
        .map(|(i, j)| {
            let union: f64 = words[i].union(&words[j]).map(|w| weight(w)).sum();
            let both: f64 = words[i].intersection(&words[j]).map(|w| weight(w)).sum();
            let mut shared: Vec<&str> = beside[i].intersection(&beside[j]).copied().collect();
            shared.sort_by(|a, b| weight(b).total_cmp(&weight(a)).then(a.cmp(b)));
            BodyCandidate {
                pair: (i, j),
                score: if union > 0.0 { both / union } else { 0.0 },
                shared: shared.into_iter().map(String::from).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(records[a.pair.0].iri.cmp(&records[b.pair.0].iri))
            .then(records[a.pair.1].iri.cmp(&records[b.pair.1].iri))
    });
    out
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins the groups of roots `a` and `b` under the one of the smaller IRI, which takes the
/// other's documents.
fn join(
    records: &[BodyRecord],
    parent: &mut [usize],
    docs: &mut [BTreeSet<&str>],
    a: usize,
    b: usize,
) {
    let (lo, hi) = if records[a].iri <= records[b].iri {
        (a, b)
    } else {
        (b, a)
    };
    parent[hi] = lo;
    let moved = std::mem::take(&mut docs[hi]);
    docs[lo].extend(moved);
}

fn milli(x: f64) -> u32 {
    (x * 1000.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(
        iri: &str,
        name: &str,
        kind: &str,
        location: Option<&str>,
        docs: &[&str],
    ) -> BodyRecord {
        BodyRecord {
            iri: iri.into(),
            names: [name_key(name)].into(),
            kind: Some(kind.into()),
            location: location.map(String::from),
            docs: docs.iter().map(|d| d.to_string()).collect(),
            officials: BTreeSet::new(),
        }
    }

    /// Filler bodies, so that words have the frequencies of a real corpus.
    fn filler() -> Vec<BodyRecord> {
        (0..40)
            .map(|n| {
                body(
                    &format!("org/f{n}"),
                    &format!("Bệnh viện Đa khoa số {n}"),
                    "hospital",
                    None,
                    &["f"],
                )
            })
            .collect()
    }

    /// The tropical-diseases hospital written with and without the "Bệnh" of its head, named
    /// by the documents `a` and `b`.
    fn tropical(a: &[&str], b: &[&str]) -> [BodyRecord; 2] {
        [
            body(
                "org/a",
                "Bệnh viện Bệnh Nhiệt đới Trung ương",
                "hospital",
                None,
                a,
            ),
            body(
                "org/b",
                "Bệnh viện Nhiệt đới Trung ương",
                "hospital",
                None,
                b,
            ),
        ]
    }

    /// The army's central hospital by its short name and its full one (named in `c`, `d`).
    fn hospital_108(c: &[&str], d: &[&str]) -> [BodyRecord; 2] {
        [
            body("org/c", "Bệnh viện 108", "hospital", None, c),
            body(
                "org/d",
                "Bệnh viện Trung ương Quân đội 108",
                "hospital",
                None,
                d,
            ),
        ]
    }

    #[test]
    fn head_words_repeated_or_left_out_are_one_body() {
        let mut rs = filler();
        let at = rs.len();
        rs.extend(tropical(&["d1", "d2"], &["d3"]));
        rs.push(body(
            "org/c",
            "Trường Đại học Y Hà Nội",
            "university",
            None,
            &["d4"],
        ));
        rs.push(body(
            "org/d",
            "Đại học Y Hà Nội",
            "university",
            None,
            &["d5"],
        ));
        // a word that is no head word: two hospitals
        rs.push(body(
            "org/e",
            "Bệnh viện Nhi Trung ương",
            "hospital",
            None,
            &["d6"],
        ));
        rs.push(body(
            "org/f",
            "Bệnh viện Trung ương",
            "hospital",
            None,
            &["d7"],
        ));
        // only common words beside the heads: no one hospital is named
        rs.push(body(
            "org/i",
            "Bệnh viện Đa khoa Trung ương",
            "hospital",
            None,
            &["d10"],
        ));
        for n in 0..4 {
            rs.push(body(
                &format!("org/tw{n}"),
                &format!("Viện Trung ương {n}"),
                "hospital",
                None,
                &["f"],
            ));
        }
        // a number: two hospitals
        rs.push(body(
            "org/g",
            "Bệnh viện Quân y 175",
            "hospital",
            None,
            &["d8"],
        ));
        rs.push(body("org/h", "Bệnh viện Quân y", "hospital", None, &["d9"]));
        let links = link(&rs);
        let pairs: Vec<(&str, &str, BodyRule)> = links
            .iter()
            .map(|l| (rs[l.variant].iri.as_str(), rs[l.kept].iri.as_str(), l.rule))
            .collect();
        assert_eq!(
            pairs,
            [
                ("org/b", "org/a", BodyRule::NameVariant),
                ("org/d", "org/c", BodyRule::NameVariant),
            ],
            "{links:?}"
        );
        assert_eq!(links[0].evidence, BTreeSet::from(["bệnh".to_string()]));
        assert_eq!(rs[at].iri, "org/a");
    }

    #[test]
    fn one_document_naming_both_keeps_them_apart_and_order_does_not_matter() {
        let mut rs = filler();
        rs.extend(tropical(&["d1"], &["d1", "d2"]));
        assert!(link(&rs).is_empty());
        rs.last_mut().unwrap().docs.remove("d1");
        let forward = link(&rs);
        let mut rev = rs.clone();
        rev.reverse();
        let backward = link(&rev);
        let iris = |rs: &[BodyRecord], l: &[BodyLink]| -> Vec<(String, String)> {
            l.iter()
                .map(|l| (rs[l.variant].iri.clone(), rs[l.kept].iri.clone()))
                .collect()
        };
        assert_eq!(iris(&rs, &forward), iris(&rev, &backward));
        assert_eq!(forward.len(), 1);
    }

    #[test]
    fn candidates_are_bodies_apart_whose_names_share_words_beside_their_heads() {
        let mut rs = filler();
        let at = rs.len();
        rs.extend(hospital_108(&["d3"], &["d4"]));
        rs.push(body(
            "org/e",
            "Trường Đại học 108",
            "university",
            None,
            &["d5"],
        ));
        let links = link(&rs);
        let c = candidates(&rs, &links);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].pair, (at, at + 1));
        assert_eq!(c[0].shared, ["108"]);
        assert!(c[0].score > 0.0 && c[0].score < 1.0);
        // once linked they are no candidates
        let same = BodyDecision {
            iri: "curation/1".into(),
            same: true,
            first: [at].into(),
            second: [at + 1].into(),
        };
        assert!(candidates(&rs, &link_curated(&rs, &[same])).is_empty());
    }

    #[test]
    fn users_decisions_join_and_part_bodies() {
        let mut rs = filler();
        let at = rs.len();
        rs.extend(tropical(&["d1"], &["d2"]));
        rs.extend(hospital_108(&["d3"], &["d4", "d5"]));
        assert_eq!(
            link(&rs).len(),
            1,
            "only the head-word variants link by themselves"
        );
        let decisions = [
            BodyDecision {
                iri: "curation/1".into(),
                same: true,
                first: [at + 3].into(),
                second: [at + 2].into(),
            },
            BodyDecision {
                iri: "curation/2".into(),
                same: false,
                first: [at].into(),
                second: [at + 1].into(),
            },
        ];
        let links = link_curated(&rs, &decisions);
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!((links[0].variant, links[0].kept), (at + 2, at + 3));
        assert_eq!(links[0].rule, BodyRule::Curated);
        assert_eq!(links[0].curated.as_deref(), Some("curation/1"));
    }

    #[test]
    fn a_rare_word_and_one_official_with_one_title_are_one_body() {
        let mut rs = filler();
        let mut short = body("org/bv108", "Bệnh viện 108", "hospital", None, &["d1"]);
        let mut long = body(
            "org/bvtwqd108",
            "Bệnh viện Trung ương Quân đội 108",
            "hospital",
            None,
            &["d2", "d3"],
        );
        let director = ("person/le-huu-song".to_string(), "Giám đốc".to_string());
        short.officials.insert(director.clone());
        long.officials.insert(director.clone());
        rs.push(short.clone());
        rs.push(long.clone());
        let links = link(&rs);
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(rs[links[0].kept].iri, "org/bvtwqd108");
        assert_eq!(links[0].rule, BodyRule::SharedOfficial);
        assert!(links[0].evidence.contains("person/le-huu-song"));
        // the same person with another title there: no evidence that it is one body
        let mut rs2 = filler();
        let mut other = short.clone();
        other.officials = [(director.0.clone(), "Phó Giám đốc".to_string())].into();
        rs2.push(other);
        rs2.push(long);
        assert!(link(&rs2).is_empty());
    }
}
