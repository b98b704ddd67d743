//! The SPARQL 1.1 Protocol, without the network: which operation a request asks for, over
//! which dataset, and which result format answers its `Accept` header.
//!
//! Everything here is a pure function of the request's parts, so it is tested without a
//! server.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// The operation a protocol request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// A query (`query=` or an `application/sparql-query` body).
    Query {
        /// The query text.
        text: String,
        /// The protocol's dataset, which replaces the query's own FROM / FROM NAMED.
        dataset: Dataset,
    },
    /// An update (`update=` or an `application/sparql-update` body).
    Update {
        /// The update text.
        text: String,
    },
    /// Neither: a GET without a query asks for the service description.
    Describe,
}

/// A request read: its operation, and the `format=` (or `output=`) parameter that overrides
/// `Accept`, wherever it was written (URL or form body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What to do.
    pub operation: Operation,
    /// The format asked for by parameter, if any.
    pub format: Option<String>,
}

/// The dataset of a query given by the protocol's `default-graph-uri` and `named-graph-uri`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// `default-graph-uri` values: the default graph is their merge. Empty: the query's own
    /// FROM, else the union of all graphs.
    pub default: Vec<String>,
    /// `named-graph-uri` values: the graphs GRAPH can see. Empty: the query's own FROM NAMED,
    /// else every graph.
    pub named: Vec<String>,
}

/// A request the protocol refuses, with the HTTP status and a plain message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status code.
    pub status: u16,
    /// What was wrong, for the client.
    pub message: String,
}

fn refuse(status: u16, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

/// Reads a protocol request: the URL's query-string parameters, and for a POST its content
/// type and body.
///
/// GET takes `query=` from the URL; POST takes `query=` or `update=` from a form body, or the
/// whole body as `application/sparql-query` or `application/sparql-update` (the dataset then
/// comes from the URL). A request with two operations, or with a body of another type, is
/// refused.
pub fn request(
    url_params: &[(String, String)],
    post: Option<(&str, &[u8])>,
) -> Result<Request, Refusal> {
    let mut params: Vec<(String, String)> = url_params.to_vec();
    let mut body_text = None;
    if let Some((content_type, body)) = post {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let text = || {
            String::from_utf8(body.to_vec())
                .map_err(|_| refuse(400, "the request body is not UTF-8 text"))
        };
        match media.as_str() {
            "application/x-www-form-urlencoded" => {
                params.extend(form_urlencoded(body));
            }
            "application/sparql-query" => body_text = Some(("query", text()?)),
            "application/sparql-update" => body_text = Some(("update", text()?)),
            "" => return Err(refuse(415, "a POST needs a Content-Type: application/x-www-form-urlencoded, application/sparql-query or application/sparql-update")),
            other => {
                return Err(refuse(
                    415,
                    format!("unsupported Content-Type {other}: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"),
                ))
            }
        }
    }
    let values = |name: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut queries = values("query");
    let mut updates = values("update");
    match body_text {
        Some(("query", t)) => queries.push(t),
        Some((_, t)) => updates.push(t),
        None => {}
    }
    if post.is_none() && !updates.is_empty() {
        return Err(refuse(400, "an update must be sent with POST, not GET"));
    }
    let dataset = Dataset {
        default: values("default-graph-uri"),
        named: values("named-graph-uri"),
    };
    if !updates.is_empty()
        && params
            .iter()
            .any(|(k, _)| k == "using-graph-uri" || k == "using-named-graph-uri")
    {
        return Err(refuse(
            400,
            "using-graph-uri and using-named-graph-uri are not supported: write USING in the update",
        ));
    }
    let format = params
        .iter()
        .find(|(k, _)| k == "format" || k == "output")
        .map(|(_, v)| v.clone());
    let operation = match (queries.len(), updates.len()) {
        (0, 0) if post.is_none() => Ok(Operation::Describe),
        (0, 0) => Err(refuse(400, "the request holds no query= and no update=")),
        (1, 0) => Ok(Operation::Query {
            text: queries.remove(0),
            dataset,
        }),
        (0, 1) => Ok(Operation::Update {
            text: updates.remove(0),
        }),
        (q, 0) => Err(refuse(
            400,
            format!("the request holds {q} queries; send one"),
        )),
        (0, u) => Err(refuse(
            400,
            format!("the request holds {u} updates; send one"),
        )),
        _ => Err(refuse(400, "the request holds both a query and an update")),
    }?;
    Ok(Request { operation, format })
}

/// Decodes an `application/x-www-form-urlencoded` string (invalid UTF-8 is replaced, a stray
/// `%` kept as it is).
pub fn form_urlencoded(input: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(input).unwrap_or_default()
}

/// A format the server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// SELECT and ASK results.
    Results(QueryResultsFormat),
    /// CONSTRUCT and DESCRIBE graphs, and the service description.
    Graph(RdfFormat),
}

impl Answer {
    /// The Content-Type of the answer.
    pub fn media_type(self) -> &'static str {
        match self {
            Answer::Results(f) => f.media_type(),
            Answer::Graph(f) => f.media_type(),
        }
    }
}

/// Media types for SELECT and ASK results, the preferred first; a type may appear under
/// several names.
const RESULTS: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];

/// The short names of `format=` / `output=` for results.
const RESULTS_SHORT: &[(&str, QueryResultsFormat)] = &[
    ("json", QueryResultsFormat::Json),
    ("xml", QueryResultsFormat::Xml),
    ("csv", QueryResultsFormat::Csv),
    ("tsv", QueryResultsFormat::Tsv),
];

fn graphs() -> [(&'static str, RdfFormat); 8] {
    let jsonld = RdfFormat::JsonLd {
        profile: Default::default(),
    };
    [
        ("text/turtle", RdfFormat::Turtle),
        ("application/x-turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("text/plain", RdfFormat::NTriples),
        ("application/ld+json", jsonld),
        ("application/json", jsonld),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/xml", RdfFormat::RdfXml),
    ]
}

fn graphs_short(name: &str) -> Option<RdfFormat> {
    Some(match name {
        "turtle" | "ttl" => RdfFormat::Turtle,
        "ntriples" | "n-triples" | "nt" => RdfFormat::NTriples,
        // Turtle is N3 without N3's extensions: what N3 clients ask for, they can read
        "n3" => RdfFormat::Turtle,
        "jsonld" | "json-ld" | "json" => RdfFormat::JsonLd {
            profile: Default::default(),
        },
        "rdfxml" | "rdf+xml" | "xml" | "rdf" => RdfFormat::RdfXml,
        _ => return None,
    })
}

/// The formats a client may ask for, for results or for graphs, as a message.
fn offered(graph: bool) -> String {
    let names: Vec<&str> = if graph {
        vec![
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
        ]
    } else {
        vec![
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        ]
    };
    names.join(", ")
}

/// Picks the answer's format for results (`graph` false) or a graph (`graph` true).
///
/// A `format=` or `output=` parameter (`json`, `xml`, `csv`, `tsv`, `turtle`, `ntriples`,
/// `jsonld`, `rdfxml`, or a media type) wins over `Accept`. `Accept` is read with its
/// q-values: the highest that names a format of the right kind (or a wildcard) wins, ties in
/// the order written. No `Accept` gets JSON results or Turtle. Nothing acceptable is a 406.
pub fn negotiate(
    accept: Option<&str>,
    format: Option<&str>,
    graph: bool,
) -> Result<Answer, Refusal> {
    if let Some(f) = format.map(|f| f.trim().to_ascii_lowercase()) {
        let found = if graph {
            graphs_short(&f)
                .or_else(|| graphs().iter().find(|(m, _)| *m == f).map(|(_, g)| *g))
                .map(Answer::Graph)
        } else {
            RESULTS_SHORT
                .iter()
                .chain(RESULTS)
                .find(|(m, _)| *m == f)
                .map(|(_, r)| Answer::Results(*r))
        };
        return found.ok_or_else(|| {
            refuse(
                406,
                format!(
                    "format={f} is not offered for this query; offered: {}",
                    offered(graph)
                ),
            )
        });
    }
    let accept = match accept.map(str::trim) {
        None | Some("") => {
            return Ok(if graph {
                Answer::Graph(RdfFormat::Turtle)
            } else {
                Answer::Results(QueryResultsFormat::Json)
            })
        }
        Some(a) => a,
    };
    let mut ranges: Vec<(f32, usize, String)> = Vec::new();
    for (i, part) in accept.split(',').enumerate() {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let mut q = 1.0f32;
        for p in pieces {
            if let Some((k, v)) = p.split_once('=') {
                if k.trim().eq_ignore_ascii_case("q") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
        }
        if q > 0.0 {
            ranges.push((q, i, media));
        }
    }
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let candidates: Vec<(&str, Answer)> = if graph {
        graphs()
            .iter()
            .map(|(m, g)| (*m, Answer::Graph(*g)))
            .collect()
    } else {
        RESULTS
            .iter()
            .map(|(m, r)| (*m, Answer::Results(*r)))
            .collect()
    };
    for (_, _, media) in &ranges {
        let hit = candidates.iter().find(|(m, _)| {
            media == "*/*"
                || media == m
                || media
                    .strip_suffix("/*")
                    .is_some_and(|ty| m.split('/').next() == Some(ty))
        });
        if let Some((_, a)) = hit {
            return Ok(*a);
        }
    }
    Err(refuse(
        406,
        format!(
            "no format in Accept: {accept} is offered for this {}; offered: {}",
            if graph { "graph" } else { "result" },
            offered(graph)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn get_with_a_query_and_dataset() {
        let op = request(
            &p(&[
                ("query", "SELECT * { ?s ?p ?o }"),
                ("default-graph-uri", "http://a"),
                ("named-graph-uri", "http://b"),
                ("named-graph-uri", "http://c"),
            ]),
            None,
        )
        .unwrap()
        .operation;
        assert_eq!(
            op,
            Operation::Query {
                text: "SELECT * { ?s ?p ?o }".into(),
                dataset: Dataset {
                    default: vec!["http://a".into()],
                    named: vec!["http://b".into(), "http://c".into()],
                }
            }
        );
    }

    #[test]
    fn get_without_a_query_asks_for_the_description() {
        assert_eq!(request(&[], None).unwrap().operation, Operation::Describe);
    }

    #[test]
    fn post_forms_and_direct_bodies() {
        let form = b"query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&default-graph-uri=http%3A%2F%2Fa&format=xml";
        let read = request(&[], Some(("application/x-www-form-urlencoded", form))).unwrap();
        assert_eq!(read.format.as_deref(), Some("xml"));
        match request(
            &[],
            Some(("application/x-www-form-urlencoded; charset=UTF-8", form)),
        )
        .unwrap()
        .operation
        {
            Operation::Query { text, dataset } => {
                assert_eq!(text, "ASK { ?s ?p ?o }");
                assert_eq!(dataset.default, vec!["http://a".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        let body = "SELECT ?x WHERE { ?x skos:prefLabel \"Sở Y tế\" }";
        match request(
            &p(&[("named-graph-uri", "http://g")]),
            Some(("application/sparql-query", body.as_bytes())),
        )
        .unwrap()
        .operation
        {
            Operation::Query { text, dataset } => {
                assert_eq!(text, body);
                assert_eq!(dataset.named, vec!["http://g".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            request(&[], Some(("application/sparql-update", b"CLEAR ALL")))
                .unwrap()
                .operation,
            Operation::Update {
                text: "CLEAR ALL".into()
            }
        );
        assert_eq!(
            request(
                &[],
                Some(("application/x-www-form-urlencoded", b"update=CLEAR+ALL"))
            )
            .unwrap()
            .operation,
            Operation::Update {
                text: "CLEAR ALL".into()
            }
        );
    }

    #[test]
    fn bad_requests_are_refused_with_their_status() {
        let two = request(&p(&[("query", "ASK {}"), ("query", "ASK {}")]), None).unwrap_err();
        assert_eq!(two.status, 400);
        let both = request(
            &[],
            Some((
                "application/x-www-form-urlencoded",
                b"query=ASK+%7B%7D&update=CLEAR+ALL",
            )),
        )
        .unwrap_err();
        assert_eq!(both.status, 400);
        assert_eq!(
            request(&p(&[("update", "CLEAR ALL")]), None)
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            request(&[], Some(("text/plain", b"ASK {}")))
                .unwrap_err()
                .status,
            415
        );
        assert_eq!(
            request(&[], Some(("application/x-www-form-urlencoded", b"x=1")))
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            request(
                &p(&[("using-graph-uri", "http://g")]),
                Some(("application/sparql-update", b"CLEAR ALL"))
            )
            .unwrap_err()
            .status,
            400
        );
        assert_eq!(
            request(&[], Some(("application/sparql-query", &[0xff, 0xfe])))
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn form_decoding_handles_utf8_plus_and_stray_percent() {
        assert_eq!(
            form_urlencoded("q=S%E1%BB%9F+Y+t%E1%BA%BF&r=100%&s=%zz".as_bytes()),
            p(&[("q", "Sở Y tế"), ("r", "100%"), ("s", "%zz")])
        );
    }

    #[test]
    fn accept_headers_pick_by_quality_and_order() {
        use QueryResultsFormat as R;
        let r = |a: Option<&str>| negotiate(a, None, false);
        assert_eq!(r(None).unwrap(), Answer::Results(R::Json));
        assert_eq!(r(Some("text/csv")).unwrap(), Answer::Results(R::Csv));
        assert_eq!(
            r(Some("text/csv;q=0.5, application/sparql-results+xml")).unwrap(),
            Answer::Results(R::Xml)
        );
        assert_eq!(r(Some("text/*")).unwrap(), Answer::Results(R::Xml));
        assert_eq!(
            r(Some("text/tab-separated-values, */*;q=0.1")).unwrap(),
            Answer::Results(R::Tsv)
        );
        assert_eq!(r(Some("*/*")).unwrap(), Answer::Results(R::Json));
        assert_eq!(r(Some("image/png")).unwrap_err().status, 406);
        assert_eq!(r(Some("text/csv;q=0")).unwrap_err().status, 406);
        let g = |a: Option<&str>| negotiate(a, None, true);
        assert_eq!(g(None).unwrap(), Answer::Graph(RdfFormat::Turtle));
        assert_eq!(
            g(Some("application/rdf+xml")).unwrap(),
            Answer::Graph(RdfFormat::RdfXml)
        );
        assert_eq!(
            g(Some("application/n-triples")).unwrap(),
            Answer::Graph(RdfFormat::NTriples)
        );
        assert!(matches!(
            g(Some("application/ld+json")).unwrap(),
            Answer::Graph(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(g(Some("text/csv")).unwrap_err().status, 406);
    }

    #[test]
    fn a_format_parameter_wins_over_accept() {
        assert_eq!(
            negotiate(Some("application/json"), Some("csv"), false).unwrap(),
            Answer::Results(QueryResultsFormat::Csv)
        );
        assert_eq!(
            negotiate(None, Some("xml"), true).unwrap(),
            Answer::Graph(RdfFormat::RdfXml)
        );
        assert_eq!(
            negotiate(None, Some("yaml"), false).unwrap_err().status,
            406
        );
    }
}
