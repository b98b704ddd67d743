//! Stage 7: query. SPARQL over the store, with vnkg's prefixes predeclared and the union of all
//! graphs as the default graph, and the output formats of `vnkg query`.

use crate::rdf::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{PreparedSparqlQuery, QueryResults, QuerySolutionIter, SparqlEvaluator};
use oxigraph::store::Store;
use std::fmt;
use std::io::Write;

/// Why a query failed.
#[derive(Debug)]
pub enum QueryError {
    /// The query does not parse; the message gives the line and column.
    Syntax(String),
    /// It parsed but could not be evaluated.
    Evaluation(String),
    /// Its results could not be written.
    Output(std::io::Error),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Syntax(m) => write!(f, "SPARQL syntax error: {m}"),
            QueryError::Evaluation(m) => write!(f, "query failed: {m}"),
            QueryError::Output(e) => write!(f, "cannot write the results: {e}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// How `vnkg query` prints results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people; IRIs shortened with vnkg's prefixes.
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON.
    Json,
    /// SPARQL 1.1 XML.
    Xml,
    /// Turtle, for CONSTRUCT and DESCRIBE.
    Turtle,
    /// N-Triples, for CONSTRUCT and DESCRIBE.
    Ntriples,
}

/// Parses a query with vnkg's prefixes, over the union of all graphs unless it names its own
/// dataset (FROM / FROM NAMED).
pub fn prepare(sparql: &str) -> Result<PreparedSparqlQuery, QueryError> {
    prepare_with(SparqlEvaluator::new(), sparql)
}

/// An evaluator that knows vnkg's prefixes, built on `ev` (which may carry a cancellation
/// token).
pub fn with_prefixes(mut ev: SparqlEvaluator) -> Result<SparqlEvaluator, QueryError> {
    for (p, iri) in PREFIXES {
        ev = ev
            .with_prefix(p, iri)
            .map_err(|e| QueryError::Evaluation(e.to_string()))?;
    }
    Ok(ev)
}

/// [`prepare`] on an evaluator of the caller's (e.g. one with a cancellation token).
pub fn prepare_with(ev: SparqlEvaluator, sparql: &str) -> Result<PreparedSparqlQuery, QueryError> {
    let mut q = with_prefixes(ev)?
        .parse_query(sparql)
        .map_err(|e| QueryError::Syntax(e.to_string()))?;
    if q.dataset().is_default_dataset() {
        q.dataset_mut().set_default_graph_as_union();
    }
    Ok(q)
}

/// The variables and rows of a SELECT query's results.
pub type Table = (Vec<String>, Vec<Vec<Option<Term>>>);

/// Runs a SELECT query and returns its variables and rows.
pub fn select(store: &Store, sparql: &str) -> Result<Table, QueryError> {
    let q = prepare(sparql)?;
    match q.on_store(store).execute() {
        Ok(QueryResults::Solutions(sols)) => table(sols),
        Ok(_) => Err(QueryError::Evaluation("not a SELECT query".into())),
        Err(e) => Err(QueryError::Evaluation(e.to_string())),
    }
}

/// Reads every solution: the variables and the rows.
fn table(sols: QuerySolutionIter<'_>) -> Result<Table, QueryError> {
    let vars: Vec<String> = sols
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let mut rows = Vec::new();
    for s in sols {
        rows.push(s.map_err(evaluation)?.values().to_vec());
    }
    Ok((vars, rows))
}

/// SPARQL that binds `begin` and `end` to the character offsets of the NIF string `span`
/// (a variable bound to a mention's IRI, `<doc>#char=a,b`), as integers: mentions carry their
/// offsets in their IRI only (RFC 5147, as NIF names strings). For example
/// `span_binds("?m", "?b", "?e")` gives `?b` and `?e` for `SUBSTR(?text, ?b + 1, ?e - ?b)`.
pub fn span_binds(span: &str, begin: &str, end: &str) -> String {
    format!(
        "BIND(STRAFTER(STR({span}), \"#char=\") AS {span}_offsets) \
         BIND(xsd:integer(STRBEFORE({span}_offsets, \",\")) AS {begin}) \
         BIND(xsd:integer(STRAFTER({span}_offsets, \",\")) AS {end})"
    )
}

/// The plain value of an optional term (an unbound variable is the empty string).
pub fn plain_or_empty(t: &Option<Term>) -> String {
    t.as_ref().map(plain).unwrap_or_default()
}

/// The plain value of a term: an IRI, a literal's lexical form, a blank node's id.
pub fn plain(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        #[allow(unreachable_patterns)]
        _ => t.to_string(),
    }
}

/// A term written short: an IRI with its vnkg prefix (`org:Organization`), a literal's value.
pub fn short(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            // the longest matching namespace gives the shortest name
            PREFIXES
                .iter()
                .filter(|(_, ns)| iri.starts_with(ns))
                .max_by_key(|(_, ns)| ns.len())
                .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
                .unwrap_or_else(|| iri.to_string())
        }
        _ => plain(t),
    }
}

/// Runs a query and writes its results to `out` in `format`.
pub fn run(
    store: &Store,
    sparql: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), QueryError> {
    let results = prepare(sparql)?
        .on_store(store)
        .execute()
        .map_err(evaluation)?;
    let (solutions, graph) = match format {
        Format::Csv => (QueryResultsFormat::Csv, RdfFormat::Turtle),
        Format::Tsv => (QueryResultsFormat::Tsv, RdfFormat::Turtle),
        Format::Json => (QueryResultsFormat::Json, RdfFormat::Turtle),
        Format::Xml => (QueryResultsFormat::Xml, RdfFormat::Turtle),
        Format::Ntriples => (QueryResultsFormat::Json, RdfFormat::NTriples),
        Format::Turtle | Format::Table => (QueryResultsFormat::Json, RdfFormat::Turtle),
    };
    match results {
        QueryResults::Solutions(_) if matches!(format, Format::Turtle | Format::Ntriples) => {
            Err(QueryError::Evaluation(
                "--format turtle and ntriples are for CONSTRUCT and DESCRIBE; a SELECT prints table, csv, tsv, json or xml".into(),
            ))
        }
        QueryResults::Solutions(sols) if format == Format::Table => {
            let (names, rows) = table(sols)?;
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|v| v.as_ref().map(short).unwrap_or_default())
                        .collect()
                })
                .collect();
            write_table(&names, &rows, out).map_err(QueryError::Output)
        }
        QueryResults::Boolean(b)
            if matches!(format, Format::Table | Format::Turtle | Format::Ntriples) =>
        {
            writeln!(out, "{b}").map_err(QueryError::Output)
        }
        results => write_results(results, solutions, graph, out),
    }
}

fn evaluation(e: oxigraph::sparql::QueryEvaluationError) -> QueryError {
    QueryError::Evaluation(e.to_string())
}

/// Writes query results in a standard format: SELECT and ASK results in `solutions`,
/// CONSTRUCT and DESCRIBE graphs in `graph` (Turtle with vnkg's prefixes).
pub fn write_results(
    results: QueryResults<'_>,
    solutions: QueryResultsFormat,
    graph: RdfFormat,
    out: &mut dyn Write,
) -> Result<(), QueryError> {
    match results {
        QueryResults::Solutions(sols) => {
            let vars = sols.variables().to_vec();
            let mut ser = QueryResultsSerializer::from_format(solutions)
                .serialize_solutions_to_writer(out, vars)
                .map_err(QueryError::Output)?;
            for s in sols {
                let s = s.map_err(evaluation)?;
                ser.serialize(&s).map_err(QueryError::Output)?;
            }
            ser.finish().map_err(QueryError::Output)?;
        }
        QueryResults::Boolean(b) => {
            QueryResultsSerializer::from_format(solutions)
                .serialize_boolean_to_writer(out, b)
                .map_err(QueryError::Output)?;
        }
        QueryResults::Graph(triples) => {
            let mut ser = RdfSerializer::from_format(graph);
            if graph == RdfFormat::Turtle {
                for (p, iri) in PREFIXES {
                    ser = ser
                        .with_prefix(p, iri)
                        .map_err(|e| QueryError::Evaluation(e.to_string()))?;
                }
            }
            let mut w = ser.for_writer(out);
            for t in triples {
                let t = t.map_err(evaluation)?;
                w.serialize_triple(&t).map_err(QueryError::Output)?;
            }
            w.finish().map_err(QueryError::Output)?;
        }
    }
    Ok(())
}

/// Writes rows as aligned columns with a header and a count.
pub fn write_table(
    vars: &[String],
    rows: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // a table is for a terminal: controls in a value are shown escaped
    let vars: Vec<String> = vars
        .iter()
        .map(|v| crate::term::safe(v).into_owned())
        .collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| crate::term::safe(c).into_owned())
                .collect()
        })
        .collect();
    let (vars, rows) = (&vars[..], &rows[..]);
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = vars.iter().map(|v| width(v)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c)).min(60);
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, &w)| {
                let c: String = if width(c) > w {
                    c.chars().take(w - 1).chain(['…']).collect()
                } else {
                    c.clone()
                };
                format!("{c}{}", " ".repeat(w - width(&c)))
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(vars))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|&w| "-".repeat(w))
            .collect::<Vec<_>>()
            .join("  ")
    )?;
    for r in rows {
        writeln!(out, "{}", line(r))?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
