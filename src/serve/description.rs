//! The SPARQL 1.1 Service Description of the endpoint, answered to a GET without a query.

use crate::rdf::vocab::{DCTERMS, RDF};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

/// Writes the description of the endpoint at `endpoint` in `format`.
pub fn write(endpoint: &str, allow_update: bool, format: RdfFormat) -> Result<Vec<u8>, String> {
    let service = iri(endpoint);
    let sd = |local: &str| iri(&format!("{SD}{local}"));
    let a = iri(&format!("{RDF}type"));
    let mut triples = Vec::new();
    let mut add = |s: NamedOrBlankNode, p: NamedNode, o: Term| triples.push(Triple::new(s, p, o));
    let s: NamedOrBlankNode = service.clone().into();
    add(s.clone(), a.clone(), sd("Service").into());
    add(s.clone(), sd("endpoint"), service.clone().into());
    add(
        s.clone(),
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    if allow_update {
        add(
            s.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update").into(),
        );
    }
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ] {
        add(
            s.clone(),
            sd("resultFormat"),
            iri(&format!("{FORMATS}{f}")).into(),
        );
    }
    add(s.clone(), sd("feature"), sd("UnionDefaultGraph").into());
    add(
        s.clone(),
        iri(&format!("{DCTERMS}description")),
        Literal::new_language_tagged_literal_unchecked(
            "vnkg: officials, bodies, places, meetings, agreements, awards, donations and legal documents read from Vietnamese news. Each document's facts are a named graph; the default graph is the union of all graphs.",
            "en",
        )
        .into(),
    );
    let dataset: NamedOrBlankNode = BlankNode::default().into();
    let default_graph: NamedOrBlankNode = BlankNode::default().into();
    add(s, sd("defaultDataset"), dataset.clone().into());
    add(dataset.clone(), a.clone(), sd("Dataset").into());
    add(dataset, sd("defaultGraph"), default_graph.clone().into());
    add(default_graph, a.clone(), sd("Graph").into());
    let mut ser = RdfSerializer::from_format(format);
    if format == RdfFormat::Turtle {
        ser = ser
            .with_prefix("sd", SD)
            .and_then(|s| s.with_prefix("formats", FORMATS))
            .and_then(|s| s.with_prefix("dcterms", DCTERMS))
            .map_err(|e| e.to_string())?;
    }
    let mut w = ser.for_writer(Vec::new());
    for t in &triples {
        w.serialize_triple(t).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(|e| e.to_string())
}
