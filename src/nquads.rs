//! The N-Quads that `vnkg extract` writes and `vnkg load` reads: documents extracted on any
//! number of machines (a map engine such as Spark runs `vnkg extract`), loaded into one store.
//!
//! The format is plain N-Quads, readable by any RDF tool, with comment lines that let `load`
//! tell a whole output from a cut one:
//!
//! ```text
//! <s> <p> <o> <https://w3id.org/vnkg/id/graph/doc-1> .
//! ...
//! # vnkg document <https://w3id.org/vnkg/id/graph/doc-1> 152 quads
//! # vnkg extract: 1 documents
//! ```
//!
//! Each document's quads come together, all in its named graph, followed by a mark with their
//! count; each run of `extract` ends with a mark of its document count. A file cut anywhere
//! (in a quad, before a document's mark, between documents) lacks a mark or breaks a count,
//! and is refused with its file and line before anything is written.

use crate::rdf::vocab;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

const DOC_MARK: &str = "# vnkg document ";
const RUN_MARK: &str = "# vnkg extract: ";

/// Writes one document's quads (all in `graph`) and its mark.
pub fn write_document(
    out: &mut impl Write,
    graph: &NamedNode,
    quads: &[Quad],
) -> std::io::Result<()> {
    let mut ser = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(&mut *out);
    for q in quads {
        ser.serialize_quad(q)?;
    }
    ser.finish()?;
    writeln!(out, "{DOC_MARK}{graph} {} quads", quads.len())
}

/// Writes the mark that ends a run of `documents` documents.
pub fn write_end(out: &mut impl Write, documents: usize) -> std::io::Result<()> {
    writeln!(out, "{RUN_MARK}{documents} documents")
}

/// What is wrong with an N-Quads file, and where.
#[derive(Debug)]
pub struct LoadError {
    /// The file.
    pub file: PathBuf,
    /// Its line (1-based), when the fault has one.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// One document read back: its graph, its quads, and where it began.
#[derive(Debug)]
pub struct LoadedDocument {
    /// The document's named graph.
    pub graph: NamedNode,
    /// Its quads.
    pub quads: Vec<Quad>,
    /// The line of its first quad (1-based).
    pub line: u64,
}

/// True for the named graph of a document (not the ontology, reference, corpus or curation
/// graph, which a store makes itself).
pub fn is_document_graph(iri: &str) -> bool {
    iri.strip_prefix(vocab::ID)
        .and_then(|rest| rest.strip_prefix("graph/"))
        .is_some_and(|id| !id.is_empty())
        && ![
            vocab::ONTOLOGY_GRAPH,
            vocab::REFERENCE_GRAPH,
            vocab::CORPUS_GRAPH,
            vocab::CURATION_GRAPH,
        ]
        .contains(&iri)
}

/// Reads `file` document by document, calling `each` with every whole document in order, and
/// checks the marks: the first fault ends the reading with an error naming the line. Returns
/// the number of documents.
///
/// To load all or nothing, read every file once with an `each` that keeps nothing, then again
/// to write.
pub fn read_file(
    file: &Path,
    mut each: impl FnMut(LoadedDocument) -> Result<(), LoadError>,
) -> Result<usize, LoadError> {
    let fail = |line: Option<u64>, message: String| LoadError {
        file: file.to_path_buf(),
        line,
        message,
    };
    let f = std::fs::File::open(file).map_err(|e| fail(None, format!("cannot open: {e}")))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, f);
    // the lines of the document being read, and the line it began on
    let mut chunk: Vec<u8> = Vec::new();
    let mut chunk_start = 0u64;
    let (mut line_no, mut documents, mut in_run, mut ended) = (0u64, 0usize, 0usize, false);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| fail(Some(line_no + 1), format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.last() != Some(&b'\n') {
            return Err(fail(
                Some(line_no),
                "the file is cut: its last line has no end of line".into(),
            ));
        }
        let text = std::str::from_utf8(&buf)
            .map_err(|_| fail(Some(line_no), "not UTF-8".into()))?
            .trim_end_matches(['\n', '\r']);
        if let Some(rest) = text.strip_prefix(DOC_MARK) {
            let (graph, count) = parse_doc_mark(rest)
                .ok_or_else(|| fail(Some(line_no), format!("a malformed mark: {text:?}")))?;
            if chunk.is_empty() {
                return Err(fail(
                    Some(line_no),
                    format!("the mark of {graph} follows no quads"),
                ));
            }
            let quads = parse_chunk(&chunk, chunk_start).map_err(|(l, m)| fail(Some(l), m))?;
            chunk.clear();
            if quads.len() != count {
                return Err(fail(
                    Some(line_no),
                    format!(
                        "{graph} has {} quads where its mark says {count}",
                        quads.len()
                    ),
                ));
            }
            for (i, q) in quads.iter().enumerate() {
                let ok = matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph);
                if !ok {
                    return Err(fail(
                        Some(chunk_start + i as u64),
                        format!("a quad outside the graph of its document {graph}: {q}"),
                    ));
                }
            }
            let graph = NamedNode::new(graph)
                .map_err(|e| fail(Some(line_no), format!("a bad graph IRI: {e}")))?;
            if !is_document_graph(graph.as_str()) {
                return Err(fail(
                    Some(chunk_start),
                    format!("{graph} is not the graph of a document"),
                ));
            }
            each(LoadedDocument {
                graph,
                quads,
                line: chunk_start,
            })?;
            documents += 1;
            in_run += 1;
            ended = false;
        } else if let Some(rest) = text.strip_prefix(RUN_MARK) {
            let count: usize = rest
                .strip_suffix(" documents")
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| fail(Some(line_no), format!("a malformed mark: {text:?}")))?;
            if !chunk.is_empty() {
                return Err(fail(
                    Some(chunk_start),
                    "these quads have no document mark: their document is cut".into(),
                ));
            }
            if count != in_run {
                return Err(fail(
                    Some(line_no),
                    format!(
                        "{in_run} documents before this mark, which says {count}: some are missing"
                    ),
                ));
            }
            in_run = 0;
            ended = true;
        } else if text.trim().is_empty() || text.starts_with('#') {
            // blank lines and other comments are N-Quads too
        } else {
            if chunk.is_empty() {
                chunk_start = line_no;
            }
            chunk.extend_from_slice(&buf);
        }
    }
    if !chunk.is_empty() {
        return Err(fail(
            Some(chunk_start),
            "the file is cut: these quads have no document mark".into(),
        ));
    }
    if !ended {
        return Err(fail(
            Some(line_no.max(1)),
            if line_no == 0 {
                "empty: no output of vnkg extract".into()
            } else {
                "the file is cut: it does not end with the mark of vnkg extract".into()
            },
        ));
    }
    Ok(documents)
}

/// `<iri> N quads` of a document mark.
fn parse_doc_mark(rest: &str) -> Option<(&str, usize)> {
    let rest = rest.strip_prefix('<')?;
    let (iri, rest) = rest.split_once("> ")?;
    let count = rest.strip_suffix(" quads")?.parse().ok()?;
    Some((iri, count))
}

/// The quads of a document's lines, or the line and message of the first fault.
fn parse_chunk(chunk: &[u8], first_line: u64) -> Result<Vec<Quad>, (u64, String)> {
    let mut quads = Vec::new();
    for q in RdfParser::from_format(RdfFormat::NQuads).for_slice(chunk) {
        match q {
            Ok(q) => quads.push(q),
            Err(e) => {
                let line = e.location().map_or(0, |r| r.start.line);
                return Err((first_line + line, format!("not N-Quads: {e}")));
            }
        }
    }
    Ok(quads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn doc(id: &str, n: usize) -> (NamedNode, Vec<Quad>) {
        let g = crate::rdf::graph_iri(id);
        let quads = (0..n)
            .map(|i| {
                Quad::new(
                    crate::rdf::doc_iri(id),
                    NamedNode::new(format!("{}p{i}", vocab::VNKG)).unwrap(),
                    Literal::new_simple_literal(format!("Sở Y tế \"{i}\"\nTP")),
                    g.clone(),
                )
            })
            .collect();
        (g, quads)
    }

    fn written(docs: &[(NamedNode, Vec<Quad>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (g, q) in docs {
            write_document(&mut out, g, q).unwrap();
        }
        write_end(&mut out, docs.len()).unwrap();
        out
    }

    fn read(bytes: &[u8]) -> Result<Vec<LoadedDocument>, LoadError> {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), bytes).unwrap();
        let mut docs = Vec::new();
        read_file(tmp.path(), |d| {
            docs.push(d);
            Ok(())
        })?;
        Ok(docs)
    }

    #[test]
    fn documents_come_back_whole() {
        let docs = [doc("bai-1", 3), doc("bai 2/x", 2)];
        let back = read(&written(&docs)).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].graph, docs[0].0);
        assert_eq!(back[0].quads, docs[0].1);
        assert_eq!(back[1].quads, docs[1].1);
        assert_eq!((back[0].line, back[1].line), (1, 5));
    }

    #[test]
    fn two_runs_in_one_file_load() {
        let mut bytes = written(&[doc("a", 2)]);
        bytes.extend(written(&[doc("b", 1), doc("c", 1)]));
        assert_eq!(read(&bytes).unwrap().len(), 3);
    }

    #[test]
    fn a_cut_anywhere_is_refused_with_its_line() {
        let bytes = written(&[doc("a", 2), doc("b", 2)]);
        let text = String::from_utf8(bytes.clone()).unwrap();
        // every cut at a line end but the whole file, and a cut inside a quad
        let mut cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        cuts.pop();
        cuts.push(20);
        for cut in cuts {
            let e = read(&bytes[..cut]).expect_err(&format!("cut at {cut} accepted"));
            assert!(e.line.is_some(), "cut at {cut}: {e}");
        }
    }

    #[test]
    fn a_malformed_quad_names_its_line() {
        let text = String::from_utf8(written(&[doc("a", 3)])).unwrap();
        let broken = text.replacen("<https://w3id.org/vnkg/id/doc/a>", "<not an iri>", 2);
        let e = read(broken.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.message.starts_with("not N-Quads"), "{e}");
    }

    #[test]
    fn quads_outside_a_document_graph_are_refused() {
        let (_, quads) = doc("a", 1);
        let mut out = Vec::new();
        write_document(
            &mut out,
            &NamedNode::new(vocab::CORPUS_GRAPH).unwrap(),
            &quads
                .iter()
                .map(|q| {
                    Quad::new(
                        q.subject.clone(),
                        q.predicate.clone(),
                        q.object.clone(),
                        NamedNode::new(vocab::CORPUS_GRAPH).unwrap(),
                    )
                })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        write_end(&mut out, 1).unwrap();
        let e = read(&out).unwrap_err();
        assert!(e.message.contains("not the graph of a document"), "{e}");
        // a quad of another graph among a document's
        let text = String::from_utf8(written(&[doc("a", 2)])).unwrap();
        let moved = text.replacen("graph/a> .", "graph/b> .", 1);
        let e = read(moved.as_bytes()).unwrap_err();
        assert!(e.message.contains("outside the graph"), "{e}");
        assert_eq!(e.line, Some(1));
    }
}
