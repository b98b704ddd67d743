//! vnkg: Vietnamese news about public institutions into an RDF knowledge graph.
//!
//! A one-way pipeline, one module per stage:
//! [`corpus`] (read documents) -> [`text`] (normalise, segment) -> [`extract`] (mentions,
//! positions) -> [`resolve`] (canonical names, identities) -> [`rdf`] (quads) -> [`store`]
//! (Oxigraph) -> [`link`] (identity and time across documents) -> [`query`] and [`export`]
//! (SPARQL), [`explain`] (one entity and its facts), [`graph`] (a property-graph projection
//! for network exports and analysis) and [`serve`] (SPARQL over HTTP and a browser view).
//! [`reference`] holds the compiled-in reference data of `ontology/`; [`pipeline`] chains the
//! stages for one document.

pub mod corpus;
pub mod curate;
pub mod explain;
pub mod export;
pub mod extract;
pub mod graph;
pub mod link;
pub mod nquads;
pub mod pipeline;
pub mod query;
pub mod rdf;
pub mod reference;
pub mod resolve;
pub mod serve;
pub mod store;
pub mod term;
pub mod text;
