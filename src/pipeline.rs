//! The whole pipeline for one document: corpus -> text -> extract -> resolve -> rdf.

use crate::corpus::Document;
use crate::rdf::{self, DocMeta};
use crate::resolve::{Kind, Resolved};
use crate::{extract, resolve, text};
use oxigraph::model::{NamedNode, Quad};

/// One document processed into the quads of its graph.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The document's graph IRI.
    pub graph: NamedNode,
    /// The graph's quads.
    pub quads: Vec<Quad>,
    /// What was resolved (entities, mentions, positions).
    pub resolved: Resolved,
    /// Characters of text.
    pub chars: usize,
}

/// The date of a document: its record's date, else its ` date YYYY-MM` header, else a
/// dateline in its first lines.
fn doc_date(doc: &Document, prepared: &text::Prepared) -> Option<String> {
    doc.date
        .as_deref()
        .map(str::trim)
        .filter(|d| text::is_iso_date(d))
        .map(String::from)
        .or_else(|| prepared.header_date.clone())
        .or_else(|| prepared.dateline.clone())
}

/// Runs every stage on one document.
pub fn process(doc: &Document) -> Processed {
    let prepared = text::prepare(&doc.text);
    let ex = extract::extract(&prepared);
    let date = doc_date(doc, &prepared);
    let mut resolved = resolve::resolve(&prepared, &ex, date.as_deref());
    resolved.identify(&doc.id);
    let title = doc.title.clone().or_else(|| prepared.header_title.clone());
    let signature = text::Signature::of(&prepared.tokens).to_hex();
    let meta = DocMeta {
        id: &doc.id,
        url: doc.url.as_deref(),
        date: date.as_deref(),
        title: title.as_deref(),
        text: &prepared.text,
        signature: &signature,
        record: doc.record.as_deref(),
    };
    let quads = rdf::document_quads(&meta, &resolved);
    Processed {
        graph: rdf::graph_iri(&doc.id),
        quads,
        chars: prepared.text.chars().count(),
        resolved,
    }
}

impl Processed {
    /// Entity IRIs of one kind.
    pub fn entities(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.resolved
            .entities
            .iter()
            .filter(move |e| e.kind == kind)
            .map(|e| e.id.as_str())
    }
}
