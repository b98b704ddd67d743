//! Stage 6c: curation. Users' corrections of who is who, kept in the store and applied by
//! every linking, so that a rebuild never undoes them.
//!
//! A decision says that two persons are one (`same`), that they are two (`distinct`), or that
//! one is no person (`reject`). It names each side by its *records* as they were when the
//! decision was taken: the document graph and the id the document gave the person (see
//! [`crate::resolve::identity::PersonRecord::local`]). Both stay the same however the corpus
//! grows or is rebuilt, where a person's IRI may change as new documents join it. Decisions
//! live in their own named graph ([`vocab::CURATION_GRAPH`]), numbered from 1, with their date
//! and an optional note; [`crate::link`] reads them and [`identity::curate`] applies them.
//! They travel as TSV ([`to_tsv`], [`from_tsv`]) so that a team can keep them in git.

pub mod cli;

use crate::query::{self, plain_or_empty as text, QueryError};
use crate::rdf::{self, vocab};
use crate::resolve::identity::{self, CurationKind, RecordRef};
use crate::store::StoreError;
use oxigraph::model::{NamedNodeRef, Quad};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// One side of a decision: the entity as it was named, and its records then.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Side {
    /// The entity's IRI when the decision was taken.
    pub iri: String,
    /// Its label then.
    pub label: String,
    /// Its records then.
    pub records: BTreeSet<RecordRef>,
}

/// A user's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Its number (from 1, never reused).
    pub number: u64,
    /// When it was taken (`YYYY-MM-DDThh:mm:ssZ`).
    pub date: String,
    /// What was decided.
    pub kind: CurationKind,
    /// A (the entity rejected, for `reject`).
    pub first: Side,
    /// B (empty for `reject`).
    pub second: Side,
    /// The user's note.
    pub note: String,
}

/// The word of a kind on the command line, in the store and in TSV.
pub fn kind_word(k: CurationKind) -> &'static str {
    match k {
        CurationKind::Same => "same",
        CurationKind::Distinct => "distinct",
        CurationKind::Reject => "reject",
    }
}

fn parse_kind(w: &str) -> Option<CurationKind> {
    match w {
        "same" => Some(CurationKind::Same),
        "distinct" => Some(CurationKind::Distinct),
        "reject" => Some(CurationKind::Reject),
        _ => None,
    }
}

impl Decision {
    /// Its IRI.
    pub fn iri(&self) -> String {
        rdf::decision_iri(self.number)
    }

    /// The decision as linking applies it.
    pub fn curation(&self) -> identity::Curation {
        identity::Curation {
            iri: self.iri(),
            kind: self.kind,
            first: self.first.records.clone(),
            second: self.second.records.clone(),
        }
    }

    fn quads(&self) -> Vec<Quad> {
        rdf::decision_quads(&rdf::DecisionFacts {
            number: self.number,
            date: &self.date,
            kind: kind_word(self.kind),
            entities: [
                (&self.first.iri, &self.first.label),
                (&self.second.iri, &self.second.label),
            ],
            records: [&self.first.records, &self.second.records],
            note: &self.note,
        })
    }
}

impl fmt::Display for Decision {
    /// `#3 2026-12-04T10:00:00Z same "A" = "B" (note)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.date;
        match self.kind {
            CurationKind::Reject => {
                write!(f, "#{} {d} reject {:?}", self.number, self.first.label)?
            }
            k => write!(
                f,
                "#{} {d} {} {:?} {} {:?}",
                self.number,
                kind_word(k),
                self.first.label,
                if k == CurationKind::Same { "=" } else { "≠" },
                self.second.label
            )?,
        }
        if !self.note.is_empty() {
            write!(f, " ({})", self.note)?;
        }
        Ok(())
    }
}

const Q_DECISIONS: &str = "SELECT ?d ?n ?kind ?date ?note ?p ?v WHERE { GRAPH <https://w3id.org/vnkg/id/graph/curation> { ?d a vnkg:CurationDecision ; vnkg:decisionNumber ?n ; vnkg:decision ?kind ; prov:endedAtTime ?date . OPTIONAL { ?d rdfs:comment ?note } OPTIONAL { ?d ?p ?v VALUES ?p { vnkg:firstEntity vnkg:firstLabel vnkg:firstRecord vnkg:secondEntity vnkg:secondLabel vnkg:secondRecord } } } }";

/// Every decision in the store, by number, as linking applies them.
pub fn curations(st: &Store) -> Result<Vec<identity::Curation>, QueryError> {
    Ok(read(st)?.iter().map(Decision::curation).collect())
}

/// Every decision in the store, by number.
pub fn read(st: &Store) -> Result<Vec<Decision>, QueryError> {
    let (_, rows) = query::select(st, Q_DECISIONS)?;
    let mut out: BTreeMap<u64, Decision> = BTreeMap::new();
    for r in rows {
        let Ok(n) = text(&r[1]).parse::<u64>() else {
            continue;
        };
        let Some(kind) = parse_kind(&text(&r[2])) else {
            continue;
        };
        let d = out.entry(n).or_insert_with(|| Decision {
            number: n,
            date: text(&r[3]),
            kind,
            first: Side::default(),
            second: Side::default(),
            note: text(&r[4]),
        });
        let p = text(&r[5]);
        let v = text(&r[6]);
        let Some(local) = p.strip_prefix(vocab::VNKG) else {
            continue;
        };
        let (side, what) = match local.strip_prefix("first") {
            Some(w) => (&mut d.first, w),
            None => match local.strip_prefix("second") {
                Some(w) => (&mut d.second, w),
                None => continue,
            },
        };
        match what {
            "Entity" => side.iri = v,
            "Label" => side.label = v,
            "Record" => {
                if let Some((g, l)) = v.split_once(' ') {
                    side.records.insert((g.to_string(), l.to_string()));
                }
            }
            _ => {}
        }
    }
    Ok(out.into_values().collect())
}

fn err(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Adds decisions to the store, in one transaction.
pub fn add(st: &Store, path: &Path, decisions: &[Decision]) -> Result<(), StoreError> {
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let mut tx = st.start_transaction()?;
        for d in decisions {
            for q in d.quads() {
                tx.insert(&q);
            }
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot write the decisions: {e}")))
}

/// Removes decision number `n` from the store, in one transaction.
pub fn remove(st: &Store, path: &Path, n: u64) -> Result<(), StoreError> {
    let iri = rdf::decision_iri(n);
    let s = NamedNodeRef::new_unchecked(&iri);
    let g = NamedNodeRef::new_unchecked(vocab::CURATION_GRAPH);
    let write = || -> Result<(), oxigraph::store::StorageError> {
        let quads: Vec<Quad> = st
            .quads_for_pattern(Some(s.into()), None, None, Some(g.into()))
            .collect::<Result<_, _>>()?;
        let mut tx = st.start_transaction()?;
        for q in &quads {
            tx.remove(q);
        }
        tx.commit()
    };
    write().map_err(|e| err(path, format!("cannot remove decision {n}: {e}")))
}

/// Why `new` contradicts a decision of `existing`, if it does: `same` and `distinct` of two
/// sides that share records both ways, either way round.
pub fn contradiction(existing: &[Decision], new: &Decision) -> Option<String> {
    let meets = |a: &BTreeSet<RecordRef>, b: &BTreeSet<RecordRef>| !a.is_disjoint(b);
    for d in existing {
        let opposite = matches!(
            (d.kind, new.kind),
            (CurationKind::Same, CurationKind::Distinct)
                | (CurationKind::Distinct, CurationKind::Same)
        );
        if !opposite {
            continue;
        }
        let straight = meets(&d.first.records, &new.first.records)
            && meets(&d.second.records, &new.second.records);
        let crossed = meets(&d.first.records, &new.second.records)
            && meets(&d.second.records, &new.first.records);
        if straight || crossed {
            return Some(format!(
                "it contradicts decision {d}; undo that one first (vnkg curate undo {})",
                d.number
            ));
        }
    }
    None
}

/// True when `new` says again what a decision of `existing` says.
pub fn repeats(existing: &[Decision], new: &Decision) -> Option<u64> {
    existing
        .iter()
        .find(|d| {
            d.kind == new.kind
                && ((d.first.records == new.first.records
                    && d.second.records == new.second.records)
                    || (d.kind != CurationKind::Reject
                        && d.first.records == new.second.records
                        && d.second.records == new.first.records))
        })
        .map(|d| d.number)
}

const TSV_HEADER: &str = "number\tdate\tdecision\tfirst\tfirst_label\tsecond\tsecond_label\tnote\tfirst_records\tsecond_records";

fn records_field(rs: &BTreeSet<RecordRef>) -> String {
    rs.iter()
        .map(|(g, l)| format!("{g} {l}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// A TSV field: tabs, line breaks and backslashes escaped.
fn field(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unfield(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The decisions as TSV: a header line, then one line per decision.
pub fn to_tsv(decisions: &[Decision]) -> String {
    let mut out = String::from(TSV_HEADER);
    out.push('\n');
    for d in decisions {
        let cols = [
            d.number.to_string(),
            d.date.clone(),
            kind_word(d.kind).to_string(),
            d.first.iri.clone(),
            d.first.label.clone(),
            d.second.iri.clone(),
            d.second.label.clone(),
            d.note.clone(),
            records_field(&d.first.records),
            records_field(&d.second.records),
        ];
        let cols: Vec<String> = cols.iter().map(|c| field(c)).collect();
        out.push_str(&cols.join("\t"));
        out.push('\n');
    }
    out
}

/// Reads decisions from TSV written by [`to_tsv`]; `file` names the input in errors
/// (`file:line: what is wrong`).
pub fn from_tsv(tsv: &str, file: &str) -> Result<Vec<Decision>, String> {
    let mut out = Vec::new();
    let mut lines = tsv.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_end_matches('\r') == TSV_HEADER => {}
        Some(_) => {
            return Err(format!(
                "{file}:1: not a decisions file of vnkg curate export (the first line must be the header {TSV_HEADER:?})"
            ))
        }
        None => return Err(format!("{file}: empty: no header line")),
    }
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let at = |m: String| format!("{file}:{}: {m}", i + 1);
        let cols: Vec<String> = line.split('\t').map(unfield).collect();
        if cols.len() != 10 {
            return Err(at(format!("{} columns, 10 expected", cols.len())));
        }
        let number = cols[0]
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| at(format!("number {:?} is not a positive integer", cols[0])))?;
        let kind = parse_kind(&cols[2]).ok_or_else(|| {
            at(format!(
                "decision {:?}: same, distinct or reject expected",
                cols[2]
            ))
        })?;
        if !is_date_time(&cols[1]) {
            return Err(at(format!(
                "date {:?} is not YYYY-MM-DDThh:mm:ssZ",
                cols[1]
            )));
        }
        let records = |s: &str, what: &str| -> Result<BTreeSet<RecordRef>, String> {
            s.split(';')
                .filter(|r| !r.is_empty())
                .map(|r| {
                    r.split_once(' ')
                        .filter(|(g, l)| g.starts_with("http") && !l.is_empty())
                        .map(|(g, l)| (g.to_string(), l.to_string()))
                        .ok_or_else(|| at(format!("{what} {r:?} is not 'GRAPH-IRI LOCAL-ID'")))
                })
                .collect()
        };
        let first = Side {
            iri: cols[3].clone(),
            label: cols[4].clone(),
            records: records(&cols[8], "first record")?,
        };
        let second = Side {
            iri: cols[5].clone(),
            label: cols[6].clone(),
            records: records(&cols[9], "second record")?,
        };
        if first.records.is_empty() || (kind != CurationKind::Reject && second.records.is_empty()) {
            return Err(at("a side without records".into()));
        }
        out.push(Decision {
            number,
            date: cols[1].clone(),
            kind,
            first,
            second,
            note: cols[7].clone(),
        });
    }
    Ok(out)
}

/// `YYYY-MM-DDThh:mm:ssZ`.
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && s.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            19 => c == 'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Now, as `YYYY-MM-DDThh:mm:ssZ` (UTC).
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_time(secs)
}

/// A Unix time as `YYYY-MM-DDThh:mm:ssZ`.
fn date_time(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // civil from days (Howard Hinnant's algorithm)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(iri: &str, label: &str, recs: &[(&str, &str)]) -> Side {
        Side {
            iri: iri.into(),
            label: label.into(),
            records: recs
                .iter()
                .map(|(g, l)| (g.to_string(), l.to_string()))
                .collect(),
        }
    }

    fn decision(n: u64, kind: CurationKind, a: Side, b: Side) -> Decision {
        Decision {
            number: n,
            date: "2026-12-04T09:30:00Z".into(),
            kind,
            first: a,
            second: b,
            note: String::new(),
        }
    }

    #[test]
    fn decisions_round_trip_through_tsv_and_bad_lines_say_where() {
        let a = side(
            "https://w3id.org/vnkg/id/person/a",
            "Nguyễn Văn An",
            &[("https://w3id.org/vnkg/id/graph/d1", "person/a-1")],
        );
        let b = side(
            "https://w3id.org/vnkg/id/person/b",
            "Nguyễn Văn An",
            &[
                ("https://w3id.org/vnkg/id/graph/d2", "person/a-2"),
                ("https://w3id.org/vnkg/id/graph/d3", "person/a-3"),
            ],
        );
        let mut d1 = decision(1, CurationKind::Same, a.clone(), b.clone());
        d1.note = "cùng một người\tđã kiểm tra".into();
        let d2 = decision(2, CurationKind::Reject, a.clone(), Side::default());
        let tsv = to_tsv(&[d1.clone(), d2.clone()]);
        assert_eq!(tsv.lines().count(), 3);
        assert_eq!(from_tsv(&tsv, "q.tsv").unwrap(), vec![d1, d2]);
        let bad = tsv.replacen("\tsame\t", "\tsame-ish\t", 1);
        let e = from_tsv(&bad, "q.tsv").unwrap_err();
        assert!(e.starts_with("q.tsv:2: decision \"same-ish\""), "{e}");
        let e = from_tsv("id\tx\n", "q.tsv").unwrap_err();
        assert!(e.starts_with("q.tsv:1: not a decisions file"), "{e}");
        let short = format!("{TSV_HEADER}\n1\t2026-12-04T09:30:00Z\tsame\n");
        assert!(from_tsv(&short, "q.tsv")
            .unwrap_err()
            .contains(":2: 3 columns"));
    }

    #[test]
    fn same_after_distinct_of_the_same_records_is_a_contradiction() {
        let a = side("a", "A", &[("g1", "p1")]);
        let b = side("b", "B", &[("g2", "p2")]);
        let c = side("c", "C", &[("g3", "p3")]);
        let distinct = decision(1, CurationKind::Distinct, a.clone(), b.clone());
        let same_ba = decision(2, CurationKind::Same, b.clone(), a.clone());
        let why = contradiction(std::slice::from_ref(&distinct), &same_ba).unwrap();
        assert!(why.contains("vnkg curate undo 1"), "{why}");
        let same_ac = decision(2, CurationKind::Same, a.clone(), c);
        assert_eq!(
            contradiction(std::slice::from_ref(&distinct), &same_ac),
            None
        );
        let again = decision(3, CurationKind::Distinct, b, a);
        assert_eq!(repeats(std::slice::from_ref(&distinct), &again), Some(1));
    }

    #[test]
    fn unix_times_are_written_in_utc() {
        assert_eq!(date_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(date_time(951_825_600), "2000-02-29T12:00:00Z");
        assert_eq!(date_time(1_796_377_800), "2026-12-04T09:50:00Z");
        assert!(is_date_time(&now()));
    }
}
