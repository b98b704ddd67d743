//! The browser view: the query editor at `/`, entity pages at `/entity`, and the small JSON
//! API they use. Pages and assets are compiled in; nothing is read from disk.

use super::{plain, App};
use crate::explain::{self, Found, Link, Report};
use crate::graph::export::xml_escape as escape;
use crate::graph::{self, GraphError, View};
use crate::rdf::vocab::ID;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

include!(concat!(env!("OUT_DIR"), "/queries.rs"));

/// The compiled-in assets: path under `/assets/`, content type, content.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("assets/style.css"),
    ),
    (
        "entity.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/entity.js"),
    ),
    (
        "viewer.js",
        "text/javascript; charset=utf-8",
        graph::assets::VIEWER_JS,
    ),
    (
        "viewer.css",
        "text/css; charset=utf-8",
        graph::assets::VIEWER_CSS,
    ),
];

const INDEX: &str = include_str!("assets/index.html");

/// The routes of the browser view.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{name}", get(asset))
        .route("/api/queries", get(queries))
        .route("/entity", get(entity))
        .route("/api/graph", get(neighbourhood))
}

async fn index() -> Html<&'static str> {
    Html(INDEX)
}

async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ty, body)) => ([(header::CONTENT_TYPE, *ty)], *body).into_response(),
        None => plain(StatusCode::NOT_FOUND, format!("no such asset: {name}")),
    }
}

/// A canned query's title: its first comment line, up to the first colon.
fn title(text: &str) -> String {
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('#')
        .trim();
    first.split(':').next().unwrap_or(first).trim().to_string()
}

/// A canned query's description: its leading comment lines, joined.
fn description(text: &str) -> String {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .filter(|l| !l.starts_with("Run:"))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn queries() -> Json<serde_json::Value> {
    let list: Vec<serde_json::Value> = QUERIES
        .iter()
        .map(|(name, text)| {
            serde_json::json!({
                "name": name,
                "title": title(text),
                "description": description(text),
                "query": text,
            })
        })
        .collect();
    Json(serde_json::Value::Array(list))
}

/// The most nodes a neighbourhood graph shows: the nearest, then the most central.
const MAX_NEIGHBOURHOOD: usize = 400;

/// `/api/graph?iri=IRI&depth=1|2`: the entity's neighbourhood in the full view (persons,
/// bodies, places, legal documents), at most [`MAX_NEIGHBOURHOOD`] nodes, with the metrics of
/// the whole graph, as Cytoscape.js JSON for the viewer.
async fn neighbourhood(
    State(app): State<App>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(iri) = params.get("iri").filter(|i| !i.trim().is_empty()).cloned() else {
        return plain(
            StatusCode::BAD_REQUEST,
            "give /api/graph?iri=IRI&depth=1 or 2",
        );
    };
    let depth = match params.get("depth").map(|d| d.parse::<usize>()) {
        None => 1,
        Some(Ok(d @ 1..=2)) => d,
        Some(_) => return plain(StatusCode::BAD_REQUEST, "depth is 1 or 2"),
    };
    let app2 = app.clone();
    let projected = tokio::task::spawn_blocking(move || {
        let full = app2.full_graph()?;
        let centre = graph::project::locate(&app2.store, &full.graph, &iri, View::Full)?;
        let around = full.around(centre, depth, MAX_NEIGHBOURHOOD);
        Ok::<_, GraphError>(graph::cytoscape(&around))
    })
    .await;
    match projected {
        Ok(Ok(json)) => Json(json).into_response(),
        Ok(Err(e @ (GraphError::NotFound(_) | GraphError::NotInView { .. }))) => {
            plain(StatusCode::NOT_FOUND, e.to_string())
        }
        Ok(Err(e @ GraphError::Ambiguous { .. })) => plain(StatusCode::BAD_REQUEST, e.to_string()),
        Ok(Err(e)) => plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Percent-encodes a query-string value.
fn encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Whether an IRI is an entity with a page: a person, body, place or legal document.
fn has_page(iri: &str) -> bool {
    iri.strip_prefix(ID).is_some_and(|rest| {
        ["person/", "org/", "place/", "legislation/"]
            .iter()
            .any(|p| rest.starts_with(p))
    })
}

/// A link to an entity page, or to an outside item, or plain text.
fn link(l: &Link) -> String {
    match &l.iri {
        Some(i) if has_page(i) => format!(
            "<a href=\"/entity?iri={}\">{}</a>",
            encode(i),
            escape(&l.label)
        ),
        Some(i) if i.starts_with("http://") || i.starts_with("https://") => format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            escape(i),
            escape(&l.label)
        ),
        _ => escape(&l.label),
    }
}

/// A page in the common frame.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · vnkg</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
         <body><header><a class=\"brand\" href=\"/\">vnkg</a>\
         <form action=\"/entity\" method=\"get\" class=\"search\"><input name=\"q\" placeholder=\"Tìm: tên người, cơ quan, địa danh…\" aria-label=\"entity name\"></form>\
         <a href=\"/sparql\">service description</a></header>\n<main>{body}</main></body></html>\n",
        escape(title)
    )
}

fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        Html(page(
            title,
            &format!(
                "<h1>{}</h1><p class=\"error\">{}</p>",
                escape(title),
                escape(message)
            ),
        )),
    )
        .into_response()
}

/// `/entity?iri=IRI` (or `?q=NAME`): an entity's labels, kind, hierarchy and facts.
async fn entity(State(app): State<App>, Query(params): Query<HashMap<String, String>>) -> Response {
    let given = |k: &str| params.get(k).filter(|v| !v.trim().is_empty());
    let wanted = match given("iri").or_else(|| given("q")) {
        Some(w) => w.trim().to_string(),
        _ => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "No entity asked for",
                "give /entity?iri=IRI or /entity?q=NAME",
            )
        }
    };
    let store = app.store.clone();
    let w = wanted.clone();
    let found = tokio::task::spawn_blocking(move || -> Result<Found, String> {
        explain::find(&store, &w).map_err(|e| e.to_string())
    })
    .await;
    let found = match found {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Query failed", &e),
        Err(e) => {
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Query failed",
                &e.to_string(),
            )
        }
    };
    match found {
        Found::Nothing => error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            &format!("no person, body or place named {wanted:?} in this store"),
        ),
        Found::Several(cands) => {
            let mut body = format!(
                "<h1>{} entities match “{}”</h1><ul class=\"candidates\">",
                cands.len(),
                escape(&wanted)
            );
            for c in cands.iter().take(explain::HINTED) {
                let labels: Vec<&str> = c.labels.iter().map(String::as_str).collect();
                let _ = write!(
                    body,
                    "<li><a href=\"/entity?iri={}\">{}</a> <span class=\"kind\">{}</span> {} document(s){}</li>",
                    encode(&c.iri),
                    escape(&labels.join(" / ")),
                    escape(&c.kind),
                    c.documents,
                    if c.hint.is_empty() { String::new() } else { format!(" — {}", escape(&c.hint)) }
                );
            }
            body.push_str("</ul>");
            if cands.len() > explain::HINTED {
                let _ = write!(
                    body,
                    "<p>… and {} more: give a longer name.</p>",
                    cands.len() - explain::HINTED
                );
            }
            Html(page(&wanted, &body)).into_response()
        }
        Found::One(c) => {
            let store = app.store.clone();
            let r = tokio::task::spawn_blocking(move || {
                explain::report(&store, &c).map(|r| render(&r))
            })
            .await;
            match r {
                Ok(Ok(html)) => Html(html).into_response(),
                Ok(Err(e)) => error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Query failed",
                    &e.to_string(),
                ),
                Err(e) => error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Query failed",
                    &e.to_string(),
                ),
            }
        }
    }
}

/// A sentence with the mention in `<mark>`.
fn marked(f: &explain::Fact) -> String {
    let chars: Vec<char> = f.sentence.chars().collect();
    match f.mark {
        Some((a, b)) if a < b && b <= chars.len() => {
            let part = |x: usize, y: usize| escape(&chars[x..y].iter().collect::<String>());
            format!(
                "{}<mark>{}</mark>{}",
                part(0, a),
                part(a, b),
                part(b, chars.len())
            )
        }
        _ => escape(&f.sentence),
    }
}

/// The entity page.
fn render(r: &Report) -> String {
    let c = &r.entity;
    let labels: Vec<&str> = c.labels.iter().map(String::as_str).collect();
    let name = labels.join(" / ");
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"meta\"><span class=\"kind\">{}</span> <code>{}</code> · named in {} document(s)</p>",
        escape(&name),
        escape(&c.kind),
        escape(&c.iri),
        c.documents
    );
    b.push_str("<section class=\"about\"><dl>");
    if !r.also_written.is_empty() {
        let _ = write!(
            b,
            "<dt>also written</dt><dd>{}</dd>",
            escape(&r.also_written.join(" | "))
        );
    }
    for (label, links) in &r.details {
        let v: Vec<String> = links.iter().map(link).collect();
        let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", escape(label), v.join(", "));
    }
    b.push_str("</dl></section>");
    if !r.posts.is_empty() {
        b.push_str("<section><h2>Posts over time</h2><ul>");
        for p in &r.posts {
            let _ = write!(b, "<li>{}</li>", escape(&p.summary()));
        }
        b.push_str("</ul></section>");
    }
    if r.identity
        .iter()
        .any(|l| l.rule.is_some() || !l.apart.is_empty())
    {
        b.push_str("<section><h2>Identity across documents</h2><ul>");
        for l in &r.identity {
            let _ = write!(
                b,
                "<li><code>{}</code>: {}</li>",
                escape(&l.doc),
                escape(&l.summary())
            );
        }
        b.push_str("</ul></section>");
    }
    if !r.variants.is_empty() {
        b.push_str("<section><h2>Linked variants</h2><ul>");
        for l in &r.variants {
            let _ = write!(b, "<li>{}: {}</li>", escape(&l.doc), escape(&l.summary()));
        }
        b.push_str("</ul></section>");
    }
    let _ = write!(
        b,
        "<section><h2>Neighbourhood</h2><div class=\"graph-controls\">depth \
         <label><input type=\"radio\" name=\"depth\" value=\"1\" checked> 1</label> \
         <label><input type=\"radio\" name=\"depth\" value=\"2\"> 2</label></div>\
         <div id=\"graph\" class=\"graph\" data-iri=\"{}\"></div></section>",
        escape(&c.iri)
    );
    let mut groups: BTreeMap<&str, Vec<&explain::Fact>> = BTreeMap::new();
    for f in &r.facts {
        groups.entry(f.relation.as_str()).or_default().push(f);
    }
    let _ = write!(b, "<section><h2>Facts ({})</h2>", r.facts.len());
    for (relation, facts) in groups {
        let _ = write!(
            b,
            "<h3>{} <span class=\"count\">{}</span></h3><ul class=\"facts\">",
            escape(relation),
            facts.len()
        );
        for f in facts {
            let date = if f.date.is_empty() {
                "undated"
            } else {
                &f.date
            };
            let _ = write!(
                b,
                "<li class=\"fact\"><div class=\"fact-head\"><span class=\"date\">{}</span> <code class=\"doc\">{}</code> {}</div><blockquote class=\"sentence\">{}</blockquote></li>",
                escape(date),
                escape(&f.doc),
                escape(&f.detail),
                marked(f)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str(
        "</section><link rel=\"stylesheet\" href=\"/assets/viewer.css\">\
         <script src=\"/assets/viewer.js\"></script><script src=\"/assets/entity.js\"></script>",
    );
    page(&name, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_file_is_compiled_in_with_a_title() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "rq")
            })
            .count();
        assert_eq!(QUERIES.len(), on_disk);
        let officials = QUERIES.iter().find(|(n, _)| *n == "officials.rq").unwrap();
        assert_eq!(title(officials.1), "Officials");
        assert!(description(officials.1).contains("nguyên"));
    }

    #[test]
    fn html_is_escaped_and_the_mention_marked() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
        let f = explain::Fact {
            date: "2024-01-08".into(),
            doc: "d1".into(),
            relation: "Membership (member)".into(),
            detail: String::new(),
            sentence: "Ông Lê Văn <B> dự họp.".into(),
            mark: Some((4, 14)),
        };
        assert_eq!(marked(&f), "Ông <mark>Lê Văn &lt;B&gt;</mark> dự họp.");
    }

    #[test]
    fn entity_links_stay_inside_the_server() {
        let l = Link {
            label: "Sở Y tế".into(),
            iri: Some(format!("{ID}org/so-y-te-nghe-an")),
        };
        assert_eq!(
            link(&l),
            "<a href=\"/entity?iri=https%3A%2F%2Fw3id.org%2Fvnkg%2Fid%2Forg%2Fso-y-te-nghe-an\">Sở Y tế</a>"
        );
        let plain = Link {
            label: "VN-40".into(),
            iri: None,
        };
        assert_eq!(link(&plain), "VN-40");
    }
}
