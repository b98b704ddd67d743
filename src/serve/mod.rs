//! Stage 8: serve. The store over HTTP: a SPARQL 1.1 Protocol endpoint for any SPARQL client,
//! and a browser view (query editor, entity pages, a neighbourhood graph).
//!
//! The server holds the store, so a `vnkg build` on the same store while it runs stops at once
//! with a message (see [`crate::store::open_served`]). A read-only server runs the clients'
//! queries in query processes it can kill at the timeout or over their memory budget (see
//! [`workers`]); with updates allowed they run on blocking threads with a cancellation
//! token. Updates are refused (403) unless the server was started with them allowed. Every
//! page and asset is compiled into the binary; no URL reaches a file of the machine.

mod description;
mod pages;
pub mod protocol;
pub mod workers;

use crate::graph;
use crate::query::{self, QueryError};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter,
    SparqlEvaluator,
};
use oxigraph::store::Store;
use protocol::{Answer, Dataset, Operation, Refusal};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// How long a query or update may run before it is cancelled.
    pub timeout: Duration,
    /// The origin allowed to read answers from a browser page of another site (`*` for any);
    /// `None` sends no CORS headers.
    pub cors: Option<String>,
    /// Whether SPARQL Update is accepted.
    pub allow_update: bool,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// Query processes for the clients' SPARQL queries, under a budget; `None` runs them in
    /// the server's own process (with updates allowed, where a read-only process beside the
    /// writer would not be safe).
    pub workers: Option<workers::Setup>,
}

/// Why the server could not start or stopped.
#[derive(Debug)]
pub struct ServeError(pub String);

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

#[derive(Clone)]
struct App {
    store: Store,
    config: Arc<Config>,
    /// The full-view projection of the store, made at the first graph request: neighbourhoods
    /// are cut from it instead of projecting the whole store again for each page. Only kept
    /// while the store cannot change (no --allow-update).
    full: Arc<Mutex<Option<Arc<graph::Projection>>>>,
    /// The query processes, when the clients' queries run in them.
    pool: Option<Arc<workers::Pool>>,
}

impl App {
    /// The full-view projection of the store (cached unless updates are allowed).
    fn full_graph(&self) -> Result<Arc<graph::Projection>, graph::GraphError> {
        let project = || {
            let opts = graph::Options {
                view: graph::View::Full,
                ..graph::Options::default()
            };
            graph::project(&self.store, &opts).map(Arc::new)
        };
        if self.config.allow_update {
            return project();
        }
        // held while projecting: concurrent first requests wait for one projection
        let mut cached = self
            .full
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(p) = cached.as_ref() {
            return Ok(Arc::clone(p));
        }
        let p = project()?;
        *cached = Some(Arc::clone(&p));
        Ok(p)
    }
}

/// Serves `store` until the process is interrupted (Ctrl-C or SIGTERM). `ready` is called
/// with the address actually bound, once the server accepts connections.
pub fn run(store: Store, config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError(format!("cannot start the server's runtime: {e}")))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| ServeError(format!("cannot listen on {}: {e}", config.bind)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServeError(format!("cannot read the bound address: {e}")))?;
        let app = router(store, config)?;
        ready(addr);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| ServeError(format!("the server stopped: {e}")))
    });
    // a cancelled query that oxigraph has not noticed yet must not hold the process open
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The routes: the protocol at `/sparql` and `/query` (and `/update`), the browser view, and
/// a plain 404 for anything else.
fn router(store: Store, config: Config) -> Result<Router, ServeError> {
    let cors = config.cors.clone();
    let pool = match &config.workers {
        Some(setup) => {
            let pool = workers::Pool::new(setup.clone());
            pool.warm().map_err(|r| ServeError(r.message))?;
            Some(Arc::new(pool))
        }
        None => None,
    };
    let app = App {
        store,
        config: Arc::new(config),
        full: Arc::new(Mutex::new(None)),
        pool,
    };
    let mut router = Router::new()
        .route("/sparql", any(sparql))
        .route("/query", any(sparql))
        .route("/update", any(sparql))
        .merge(pages::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app);
    if let Some(origin) = cors {
        use tower_http::cors::{AllowOrigin, CorsLayer};
        let allow = if origin == "*" {
            AllowOrigin::any()
        } else {
            let v = HeaderValue::from_str(&origin)
                .map_err(|_| ServeError(format!("--cors {origin:?} is not a valid origin")))?;
            AllowOrigin::exact(v)
        };
        router = router.layer(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::ACCEPT]),
        );
    }
    Ok(router)
}

/// Whether `host` (a Host header) names this server when it listens on loopback: a page of
/// another site that rebinds its own name to 127.0.0.1 sends its own name, and is refused.
fn host_allowed(host: &str, bind: SocketAddr) -> bool {
    if !bind.ip().is_loopback() {
        return true;
    }
    let name = match host.rsplit_once(':') {
        Some((n, port)) if port.chars().all(|c| c.is_ascii_digit()) => n,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Every request: the Host check on loopback, then the answer with headers that keep a
/// browser from guessing types or running scripts from elsewhere.
async fn guard(State(app): State<App>, req: Request, next: axum::middleware::Next) -> Response {
    if let Some(host) = header_str(req.headers(), header::HOST) {
        if !host_allowed(&host, app.config.bind) {
            return plain(
                StatusCode::FORBIDDEN,
                format!("Host {host:?} does not name this server: on loopback it answers localhost and 127.0.0.1 only"),
            );
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    res
}

/// A plain-text answer.
fn plain(status: StatusCode, message: impl Into<String>) -> Response {
    let mut body = message.into();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn refusal(r: Refusal) -> Response {
    plain(
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST),
        r.message,
    )
}

async fn not_found(req: Request) -> Response {
    plain(
        StatusCode::NOT_FOUND,
        format!(
            "no such page: {}; the SPARQL endpoint is /sparql, the browser view /",
            req.uri().path()
        ),
    )
}

fn url_params(req: &Request) -> Vec<(String, String)> {
    protocol::form_urlencoded(req.uri().query().unwrap_or("").as_bytes())
}

/// The SPARQL 1.1 Protocol: query, update, or the service description.
async fn sparql(State(app): State<App>, req: Request) -> Response {
    let arrived = std::time::Instant::now();
    let method = req.method().clone();
    if method != Method::GET && method != Method::POST && method != Method::HEAD {
        let mut res = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed here: use GET or POST"),
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
        return res;
    }
    let params = url_params(&req);
    let headers = req.headers().clone();
    let path = req.uri().path().to_string();
    let body = if method == Method::POST {
        match read_body(req.into_body(), app.config.max_body).await {
            Ok(b) => Some(b),
            Err(r) => return r,
        }
    } else {
        None
    };
    let content_type = header_str(&headers, header::CONTENT_TYPE).unwrap_or_default();
    let read = protocol::request(
        &params,
        body.as_ref().map(|b| (content_type.as_str(), b.as_ref())),
    );
    let protocol::Request { operation, format } = match read {
        Ok(r) => r,
        Err(r) => return refusal(r),
    };
    let accept = header_str(&headers, header::ACCEPT);
    match operation {
        Operation::Describe => {
            let host = header_str(&headers, header::HOST).unwrap_or_default();
            // a Host that does not make an IRI falls back to the bound address
            let endpoint = NamedNode::new(format!("http://{host}{path}")).unwrap_or_else(|_| {
                NamedNode::new_unchecked(format!("http://{}{path}", app.config.bind))
            });
            match protocol::negotiate(accept.as_deref(), format.as_deref(), true) {
                Ok(Answer::Graph(f)) => {
                    match description::write(endpoint.as_str(), app.config.allow_update, f) {
                        Ok(bytes) => answer(Answer::Graph(f), bytes),
                        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, e),
                    }
                }
                Ok(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "no graph format"),
                Err(r) => refusal(r),
            }
        }
        Operation::Update { text } => {
            if !app.config.allow_update {
                return plain(
                    StatusCode::FORBIDDEN,
                    "this endpoint is read-only: SPARQL Update is refused unless vnkg serve is started with --allow-update",
                );
            }
            if let Some(why) = cross_site(&headers, app.config.cors.as_deref()) {
                return plain(StatusCode::FORBIDDEN, why);
            }
            let store = app.store.clone();
            let outcome = timed(&app, move |token| update(&store, &text, token)).await;
            match outcome {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(r) => refusal(r),
            }
        }
        Operation::Query { text, dataset } => {
            if path == "/update" {
                return plain(
                    StatusCode::BAD_REQUEST,
                    "/update takes updates; send queries to /sparql",
                );
            }
            if let Some(pool) = &app.pool {
                let job = workers::Job {
                    query: text,
                    default: dataset.default,
                    named: dataset.named,
                    accept,
                    format,
                };
                return match pool.run(&job, arrived, app.config.timeout).await {
                    Ok(a) => typed_answer(&a.media_type, a.bytes),
                    Err(r) => refusal(r),
                };
            }
            let store = app.store.clone();
            let outcome = timed(&app, move |token| {
                evaluate(
                    &store,
                    &text,
                    &dataset,
                    accept.as_deref(),
                    format.as_deref(),
                    token,
                )
            })
            .await;
            match outcome {
                Ok((a, bytes)) => answer(a, bytes),
                Err(r) => refusal(r),
            }
        }
    }
}

/// Why an update from a browser page of another site is refused, if it is: a form of any
/// site can POST `update=` without asking first, so an update must come from this server's
/// own pages, the `--cors` origin, or a client that is not a browser (no `Origin`).
fn cross_site(headers: &HeaderMap, cors: Option<&str>) -> Option<String> {
    let origin = header_str(headers, header::ORIGIN);
    let host = header_str(headers, header::HOST).unwrap_or_default();
    let site = header_str(headers, "sec-fetch-site".parse().ok()?);
    let allowed =
        |o: &str| o == format!("http://{host}") || cors.is_some_and(|c| c != "*" && c == o);
    match (origin.as_deref(), site.as_deref()) {
        (Some(o), _) if !allowed(o) => Some(format!(
            "an update from a page of {o} is refused: only this server's pages or the --cors origin may send updates"
        )),
        (None, Some("cross-site")) => {
            Some("an update from a page of another site is refused".into())
        }
        _ => None,
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, Response> {
    to_bytes(body, limit).await.map_err(|_| {
        plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over the limit of {limit} bytes"),
        )
    })
}

fn answer(a: Answer, bytes: Vec<u8>) -> Response {
    typed_answer(a.media_type(), bytes)
}

fn typed_answer(media_type: &str, bytes: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    res
}

/// Cancels its token when dropped.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `job` on a blocking thread, cancelling it when it runs over the timeout or when the
/// request is dropped.
async fn timed<T: Send + 'static>(
    app: &App,
    job: impl FnOnce(CancellationToken) -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    let token = CancellationToken::new();
    // a client that goes away drops this future: its query is cancelled too
    let _cancel_on_drop = CancelOnDrop(token.clone());
    let handle = {
        let token = token.clone();
        tokio::task::spawn_blocking(move || job(token))
    };
    let limit = app.config.timeout;
    match tokio::time::timeout(limit, handle).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(Refusal {
            status: 500,
            message: format!("the query stopped: {e}"),
        }),
        Err(_) => {
            token.cancel();
            Err(over_time(limit))
        }
    }
}

fn over_time(limit: Duration) -> Refusal {
    Refusal {
        status: 503,
        message: format!(
            "the query ran over the time limit of {} s and was cancelled; ask for less (LIMIT, a narrower pattern) or start vnkg serve with a longer --timeout",
            limit.as_secs_f64()
        ),
    }
}

fn evaluation_refusal(e: QueryError, token: &CancellationToken) -> Refusal {
    match e {
        _ if token.is_cancelled() => Refusal {
            status: 503,
            message: "the query was cancelled: it ran over the time limit".into(),
        },
        QueryError::Syntax(m) => Refusal {
            status: 400,
            message: format!("SPARQL syntax error: {m}"),
        },
        other => Refusal {
            status: 500,
            message: other.to_string(),
        },
    }
}

fn graph_names(iris: &[String], what: &str) -> Result<Vec<NamedNode>, Refusal> {
    iris.iter()
        .map(|i| {
            NamedNode::new(i.clone()).map_err(|e| Refusal {
                status: 400,
                message: format!("{what} {i:?} is not an IRI: {e}"),
            })
        })
        .collect()
}

/// Parses and runs a query over the protocol's dataset, and writes its results in the
/// negotiated format.
fn evaluate(
    store: &Store,
    text: &str,
    dataset: &Dataset,
    accept: Option<&str>,
    format: Option<&str>,
    token: CancellationToken,
) -> Result<(Answer, Vec<u8>), Refusal> {
    let ev = SparqlEvaluator::new().with_cancellation_token(token.clone());
    let mut q = query::prepare_with(ev, text).map_err(|e| evaluation_refusal(e, &token))?;
    // the protocol's dataset, when given, replaces the query's whole dataset: a default
    // graph of the default-graph-uri graphs (none: an empty one) and the named-graph-uri
    // graphs (none: no named graphs)
    if !dataset.default.is_empty() || !dataset.named.is_empty() {
        let default = graph_names(&dataset.default, "default-graph-uri")?;
        let named = graph_names(&dataset.named, "named-graph-uri")?;
        q.dataset_mut()
            .set_default_graph(default.into_iter().map(GraphName::from).collect());
        q.dataset_mut()
            .set_available_named_graphs(named.into_iter().map(NamedOrBlankNode::from).collect());
    }
    let results = q
        .on_store(store)
        .execute()
        .map_err(|e| evaluation_refusal(QueryError::Evaluation(e.to_string()), &token))?;
    let results = guarded(results, token.clone());
    let graph = matches!(results, QueryResults::Graph(_));
    let a = protocol::negotiate(accept, format, graph)?;
    let (solutions, rdf) = match a {
        Answer::Results(f) => (f, oxigraph::io::RdfFormat::Turtle),
        Answer::Graph(f) => (oxigraph::sparql::results::QueryResultsFormat::Json, f),
    };
    let mut out = Capped(Vec::new());
    query::write_results(results, solutions, rdf, &mut out).map_err(|e| match e {
        QueryError::Output(io) if io.kind() == std::io::ErrorKind::OutOfMemory => Refusal {
            status: 500,
            message: format!(
                "the answer is over {} MB; ask for less (LIMIT, OFFSET, fewer variables)",
                MAX_ANSWER >> 20
            ),
        },
        e => evaluation_refusal(e, &token),
    })?;
    Ok((a, out.0))
}

/// The largest answer the server builds, in bytes.
const MAX_ANSWER: usize = 256 << 20;

/// A buffer that refuses to grow past [`MAX_ANSWER`].
struct Capped(Vec<u8>);

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_ANSWER {
            return Err(std::io::Error::new(
                std::io::ErrorKind::OutOfMemory,
                "answer too large",
            ));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The results with the cancellation checked at every solution or triple: oxigraph checks it
/// as it reads the store, and this stops a query whose results stream from joins already in
/// memory.
fn guarded(results: QueryResults<'static>, token: CancellationToken) -> QueryResults<'static> {
    let alive = move || {
        if token.is_cancelled() {
            Err(QueryEvaluationError::Cancelled)
        } else {
            Ok(())
        }
    };
    match results {
        QueryResults::Solutions(sols) => {
            let vars = sols.variables().into();
            QueryResults::Solutions(QuerySolutionIter::new(
                vars,
                sols.map(move |s| alive().and(s)),
            ))
        }
        QueryResults::Graph(triples) => {
            QueryResults::Graph(QueryTripleIter::new(triples.map(move |t| alive().and(t))))
        }
        boolean => boolean,
    }
}

/// Parses and runs an update.
fn update(store: &Store, text: &str, token: CancellationToken) -> Result<(), Refusal> {
    let ev = query::with_prefixes(SparqlEvaluator::new().with_cancellation_token(token.clone()))
        .map_err(|e| evaluation_refusal(e, &token))?;
    let u = ev
        .parse_update(text)
        .map_err(|e| evaluation_refusal(QueryError::Syntax(e.to_string()), &token))?;
    u.on_store(store)
        .execute()
        .map_err(|e| evaluation_refusal(QueryError::Evaluation(e.to_string()), &token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_loopback_only_local_names_are_this_server() {
        let local: SocketAddr = "127.0.0.1:7878".parse().unwrap();
        for ok in [
            "127.0.0.1:7878",
            "localhost:7878",
            "LOCALHOST",
            "[::1]:7878",
            "127.0.0.1",
        ] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for no in ["attacker.example:7878", "attacker.example", "10.0.0.5:7878"] {
            assert!(!host_allowed(no, local), "{no}");
        }
        let open: SocketAddr = "0.0.0.0:7878".parse().unwrap();
        assert!(host_allowed("data.example.org", open));
    }

    #[test]
    fn updates_from_other_sites_are_refused() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_str(v).unwrap());
            }
            h
        };
        let own = headers(&[
            ("host", "127.0.0.1:7878"),
            ("origin", "http://127.0.0.1:7878"),
        ]);
        assert_eq!(cross_site(&own, None), None);
        let client = headers(&[("host", "127.0.0.1:7878")]);
        assert_eq!(
            cross_site(&client, None),
            None,
            "no Origin: not a browser page"
        );
        let other = headers(&[("host", "127.0.0.1:7878"), ("origin", "https://a.example")]);
        assert!(cross_site(&other, None).is_some());
        assert_eq!(cross_site(&other, Some("https://a.example")), None);
        assert!(
            cross_site(&other, Some("*")).is_some(),
            "--cors * does not allow updates"
        );
        let fetch = headers(&[("host", "127.0.0.1:7878"), ("sec-fetch-site", "cross-site")]);
        assert!(cross_site(&fetch, None).is_some());
    }
}
