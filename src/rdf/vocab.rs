//! IRIs of the vocabularies vnkg uses (declared in `ontology/vnkg.ttl`).

/// vnkg's own terms.
pub const VNKG: &str = "https://w3id.org/vnkg/ns#";
/// Base of vnkg's resources (entities, documents, graphs).
pub const ID: &str = "https://w3id.org/vnkg/id/";
/// W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// schema.org, in its `https` form throughout.
pub const SCHEMA: &str = "https://schema.org/";
/// W3C PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// W3C SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// NLP Interchange Format core.
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
/// ITS 2.0 in RDF (entity links of NIF phrases).
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// OWL (owl:sameAs links to Wikidata).
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// Wikidata entities.
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Concepts of the organisation-kind scheme.
pub const KIND: &str = "https://w3id.org/vnkg/ns/kind#";
/// Concepts of the administrative-level scheme.
pub const LEVEL: &str = "https://w3id.org/vnkg/ns/level#";
/// Concepts of the event-kind scheme.
pub const EVENT_KIND: &str = "https://w3id.org/vnkg/ns/event#";

/// The named graph holding the ontology (`ontology/vnkg.ttl`).
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/vnkg/id/graph/ontology";
/// The named graph holding reference data (provinces and their 2025 successors).
pub const REFERENCE_GRAPH: &str = "https://w3id.org/vnkg/id/graph/reference";
/// The named graph of what holds across documents: identity links and tenures.
pub const CORPUS_GRAPH: &str = "https://w3id.org/vnkg/id/graph/corpus";
/// The named graph of users' identity decisions (`vnkg curate`), kept across builds.
pub const CURATION_GRAPH: &str = "https://w3id.org/vnkg/id/graph/curation";
/// Concepts of the identity-rule scheme.
pub const RULE: &str = "https://w3id.org/vnkg/ns/rule#";
/// The resource that marks a store as a vnkg store.
pub const STORE_MARKER: &str = "https://w3id.org/vnkg/id/store";
/// Version of the store's layout, written with the marker (2: labels are `skos:prefLabel`
/// alone, mentions carry no `nif:anchorOf`; 3: mentions carry no `nif:beginIndex` and
/// `nif:endIndex`, their IRI's `#char=a,b` says them).
pub const STORE_VERSION: i64 = 3;

/// Prefixes for SPARQL queries and Turtle output.
pub const PREFIXES: [(&str, &str); 18] = [
    ("vnkg", VNKG),
    ("id", ID),
    ("org", ORG),
    ("schema", SCHEMA),
    ("prov", PROV),
    ("skos", SKOS),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("dcterms", DCTERMS),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("kind", KIND),
    ("level", LEVEL),
    ("event", EVENT_KIND),
    ("rule", RULE),
    ("owl", OWL),
    ("wd", WIKIDATA),
];

/// The SPARQL `PREFIX` lines for [`PREFIXES`].
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n"))
        .collect()
}
