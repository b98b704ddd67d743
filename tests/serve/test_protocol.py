"""`vnkg serve` spoken to by independent SPARQL clients: SPARQLWrapper and rdflib (PyPI).

Usage: python3 tests/serve/test_protocol.py BIN
  BIN: the vnkg binary. The store is built from examples/ (articles written for the project).
Checks SELECT, ASK and CONSTRUCT in every result format, GET and both POSTs, the protocol's
dataset parameters, the service description, every error case (400, 403, 404, 406, 413, 415,
503) while the server keeps answering, CORS, the browser pages, and `vnkg build` on a store
that is being served.
"""

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, build_store  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = None
ID = "https://w3id.org/vnkg/id/"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")

OFFICIALS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?person ?title ?organization WHERE {
  ?m a org:Membership ; org:member ?p ; org:role ?r ; org:organization ?o .
  ?p skos:prefLabel ?person . ?r skos:prefLabel ?title . ?o skos:prefLabel ?organization .
} ORDER BY ?person ?title
"""
# without PREFIX lines: vnkg's prefixes are predeclared by the server
ORGS = "CONSTRUCT { ?o a org:Organization ; skos:prefLabel ?l } WHERE { ?o a org:Organization ; skos:prefLabel ?l }"
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http(url, data=None, headers=None, method=None):
    """(status, headers, body text) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def get(server, query, accept=None, **params):
    q = urllib.parse.urlencode({"query": query, **params})
    return http(f"{server.endpoint}?{q}", headers={"Accept": accept} if accept else {})


class Protocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.store = build_store(BIN, [os.path.join(ROOT, "examples")], os.path.join(cls.tmp.name, "store"))
        cls.server = Server(BIN, cls.store, "--timeout", "2", "--max-body", "20000").__enter__()
        # the ministry's IRI, found by its label
        _, _, body = get(cls.server, 'SELECT ?o WHERE { ?o a org:Organization ; skos:prefLabel "Bộ Y tế"@vi }')
        cls.moh = json.loads(body)["results"]["bindings"][0]["o"]["value"]

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()

    def wrapper(self, query, fmt, method=GET, direct=False):
        sw = SPARQLWrapper(self.server.endpoint)
        sw.setQuery(query)
        sw.setReturnFormat(fmt)
        sw.setMethod(method)
        if direct:
            sw.setRequestMethod(POSTDIRECTLY)
        return sw.query()

    # --- SELECT -----------------------------------------------------------------------------
    def test_select_in_every_format_gives_the_same_rows(self):
        js = self.wrapper(OFFICIALS, JSON).convert()
        rows = [(b["person"]["value"], b["title"]["value"], b["organization"]["value"]) for b in js["results"]["bindings"]]
        self.assertIn(("Phạm Văn Lộc", "Thứ trưởng", "Bộ Y tế"), rows)
        self.assertIn(("Trần Thị Thu Hà", "Giám đốc", "Sở Y tế tỉnh Nghệ An"), rows)
        self.assertGreaterEqual(len(rows), 12)

        doc = self.wrapper(OFFICIALS, XML).convert()
        xml_rows = []
        for result in doc.getElementsByTagName("result"):
            cells = {b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data for b in result.getElementsByTagName("binding")}
            xml_rows.append((cells["person"], cells["title"], cells["organization"]))
        self.assertEqual(xml_rows, rows)

        text = self.wrapper(OFFICIALS, CSV).convert().decode("utf-8")
        csv_rows = [tuple(r) for r in csv.reader(io.StringIO(text))]
        self.assertEqual(csv_rows[0], ("person", "title", "organization"))
        self.assertEqual(csv_rows[1:], rows)

        text = self.wrapper(OFFICIALS, TSV).convert().decode("utf-8")
        tsv_rows = [tuple(c.removesuffix("@vi").strip('"') for c in line.split("\t")) for line in text.strip().split("\n")]
        self.assertEqual(tsv_rows[0], ("?person", "?title", "?organization"))
        self.assertEqual(tsv_rows[1:], rows)

    def test_get_post_form_and_post_direct_agree(self):
        answers = [
            self.wrapper(OFFICIALS, JSON, GET).convert(),
            self.wrapper(OFFICIALS, JSON, POST).convert(),
            self.wrapper(OFFICIALS, JSON, POST, direct=True).convert(),
        ]
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0], answers[2])

    def test_rdflib_sparqlstore_reads_the_endpoint(self):
        g = rdflib.Graph(store=SPARQLStore(self.server.endpoint))
        rows = list(g.query(OFFICIALS))
        self.assertIn("Phạm Văn Lộc", {str(r[0]) for r in rows})

    # --- ASK --------------------------------------------------------------------------------
    def test_ask_in_every_format(self):
        yes = 'ASK { ?p skos:prefLabel "Phạm Văn Lộc"@vi }'
        no = 'ASK { ?p skos:prefLabel "Nobody Here"@vi }'
        self.assertIs(self.wrapper(yes, JSON).convert()["boolean"], True)
        self.assertIs(self.wrapper(no, JSON).convert()["boolean"], False)
        doc = self.wrapper(yes, XML).convert()
        self.assertEqual(doc.getElementsByTagName("boolean")[0].firstChild.data, "true")
        for fmt, media in [(CSV, "text/csv"), (TSV, "text/tab-separated-values")]:
            for query, answer in [(yes, "true"), (no, "false")]:
                res = self.wrapper(query, fmt)
                self.assertTrue(res.info()["content-type"].startswith(media))
                self.assertIn(answer, res.convert().decode("utf-8"))

    # --- CONSTRUCT --------------------------------------------------------------------------
    def test_construct_in_every_graph_format_gives_the_same_graph(self):
        turtle = self.wrapper(ORGS, TURTLE).convert()
        g_ttl = rdflib.Graph().parse(data=turtle, format="turtle")
        self.assertGreater(len(g_ttl), 40)
        g_xml = self.wrapper(ORGS, RDFXML).convert()  # SPARQLWrapper parses RDF/XML with rdflib
        g_jsonld = self.wrapper(ORGS, JSONLD).convert()
        status, headers, nt = get(self.server, ORGS, "application/n-triples")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/n-triples")
        g_nt = rdflib.Graph().parse(data=nt, format="nt")
        for other in (g_xml, g_jsonld, g_nt):
            self.assertEqual(set(other), set(g_ttl))
        self.assertIn(
            (rdflib.URIRef(self.moh), rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), rdflib.Literal("Bộ Y tế", lang="vi")),
            g_ttl,
        )

    def test_describe_is_a_graph(self):
        status, headers, body = get(self.server, f"DESCRIBE <{self.moh}>", "text/turtle")
        self.assertEqual(status, 200)
        g = rdflib.Graph().parse(data=body, format="turtle")
        self.assertIn((rdflib.URIRef(self.moh), None, None), g)

    # --- dataset ----------------------------------------------------------------------------
    def test_default_and_named_graph_parameters_choose_the_dataset(self):
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        one = ID + "graph/tin-ngan-01"
        sw = SPARQLWrapper(self.server.endpoint)
        sw.setQuery(count)
        sw.setReturnFormat(JSON)
        sw.addDefaultGraph(one)
        n_one = int(sw.query().convert()["results"]["bindings"][0]["n"]["value"])
        expected = self.wrapper(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}", JSON).convert()
        self.assertEqual(n_one, int(expected["results"]["bindings"][0]["n"]["value"]))
        union = int(self.wrapper(count, JSON).convert()["results"]["bindings"][0]["n"]["value"])
        self.assertGreater(union, n_one)

        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        sw = SPARQLWrapper(self.server.endpoint)
        sw.setQuery(graphs)
        sw.setReturnFormat(JSON)
        sw.addNamedGraph(one)
        sw.addNamedGraph(ID + "graph/tin-ngan-02")
        seen = {b["g"]["value"] for b in sw.query().convert()["results"]["bindings"]}
        self.assertEqual(seen, {one, ID + "graph/tin-ngan-02"})
        # the protocol's dataset replaces the query's whole dataset: with named graphs only,
        # the default graph is empty
        sw.setQuery(count)
        self.assertEqual(int(sw.query().convert()["results"]["bindings"][0]["n"]["value"]), 0)

    # --- service description ----------------------------------------------------------------
    def test_service_description(self):
        status, headers, body = http(self.server.endpoint, headers={"Accept": "text/turtle"})
        self.assertEqual(status, 200)
        g = rdflib.Graph().parse(data=body, format="turtle")
        svc = rdflib.URIRef(self.server.endpoint)
        self.assertIn((svc, rdflib.RDF.type, SD.Service), g)
        self.assertIn((svc, SD.endpoint, svc), g)
        self.assertIn((svc, SD.supportedLanguage, SD.SPARQL11Query), g)
        self.assertNotIn((svc, SD.supportedLanguage, SD.SPARQL11Update), g)
        self.assertIn((svc, SD.feature, SD.UnionDefaultGraph), g)
        status, headers, body = http(self.server.endpoint, headers={"Accept": "application/rdf+xml"})
        self.assertEqual(len(rdflib.Graph().parse(data=body, format="xml")), len(g))

    # --- errors -----------------------------------------------------------------------------
    def test_malformed_query_is_400_with_the_position(self):
        status, _, body = get(self.server, "SELECT ?x WHERE { ?x ")
        self.assertEqual(status, 400)
        self.assertIn("1:", body)
        self.assertIn("syntax error", body)

    def test_unsupported_accept_is_406(self):
        status, _, body = get(self.server, "ASK {}", "image/png")
        self.assertEqual(status, 406)
        self.assertIn("application/sparql-results+json", body)
        status, _, _ = get(self.server, ORGS, "text/csv")
        self.assertEqual(status, 406)

    def test_body_over_the_limit_is_413(self):
        body = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 30000).encode()
        status, _, text = http(self.server.endpoint, data=body, headers={"Content-Type": "application/sparql-query"})
        self.assertEqual(status, 413)
        self.assertIn("20000", text)

    def test_unknown_content_type_is_415(self):
        status, _, _ = http(self.server.endpoint, data=b"ASK {}", headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 415)

    def test_update_is_403_when_read_only(self):
        sw = SPARQLWrapper(self.server.endpoint)
        sw.setMethod(POST)
        sw.setQuery('INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }')
        with self.assertRaises(Exception) as ctx:
            sw.query()
        self.assertIn("403", str(ctx.exception) + repr(ctx.exception.__dict__))
        status, _, body = http(self.server.endpoint, data=b"DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"})
        self.assertEqual(status, 403)
        self.assertIn("--allow-update", body)
        # nothing was deleted
        self.assertIs(self.wrapper('ASK { ?p skos:prefLabel "Phạm Văn Lộc"@vi }', JSON).convert()["boolean"], True)

    def test_a_foreign_host_is_refused_on_loopback(self):
        # a page of another site whose name was rebound to 127.0.0.1 sends its own Host
        status, _, body = http(self.server.endpoint + "?query=ASK%7B%7D", headers={"Host": "attacker.example"})
        self.assertEqual(status, 403)
        self.assertIn("attacker.example", body)
        status, _, _ = http(self.server.endpoint + "?query=ASK%7B%7D", headers={"Host": "localhost"})
        self.assertEqual(status, 200)

    def test_answers_carry_nosniff_and_a_content_security_policy(self):
        _, headers, _ = http(self.server.url + "/")
        lower = {k.lower(): v for k, v in headers.items()}
        self.assertEqual(lower["x-content-type-options"], "nosniff")
        self.assertIn("default-src 'self'", lower["content-security-policy"])

    def test_unknown_paths_are_404_and_no_file_is_reachable(self):
        for path in ["/nothing", "/etc/passwd", "/assets/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                     "/assets/%2e%2e%2f%2e%2e%2fCargo.toml", "/assets/missing.js", "/file:///etc/passwd"]:
            status, _, body = http(self.server.url + path)
            self.assertEqual(status, 404, path)
            self.assertNotIn("root:", body)
            self.assertNotIn("[package]", body)

    def test_query_over_the_timeout_is_503_and_others_are_still_answered(self):
        answers = {}

        def slow():
            answers["slow"] = get(self.server, SLOW)

        t = threading.Thread(target=slow)
        started = time.time()
        t.start()
        time.sleep(0.3)
        quick = self.wrapper('ASK { ?p skos:prefLabel "Phạm Văn Lộc"@vi }', JSON).convert()
        quick_done = time.time() - started
        t.join()
        status, _, body = answers["slow"]
        self.assertEqual(status, 503)
        self.assertIn("cancelled", body)
        self.assertIs(quick["boolean"], True)
        self.assertLess(quick_done, 2.0, "a quick query waited for the slow one")
        # and the server goes on
        self.assertIs(self.wrapper("ASK { ?s ?p ?o }", JSON).convert()["boolean"], True)

    # --- browser view -----------------------------------------------------------------------
    def test_pages_and_canned_queries(self):
        status, headers, body = http(self.server.url + "/")
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["content-type"])
        self.assertIn('id="canned"', body)
        status, _, body = http(self.server.url + "/api/queries")
        names = {q["name"] for q in json.loads(body)}
        on_disk = {f for f in os.listdir(os.path.join(ROOT, "queries")) if f.endswith(".rq")}
        self.assertEqual(names, on_disk)
        for asset in ["app.js", "style.css", "entity.js", "viewer.js", "viewer.css"]:
            self.assertEqual(http(self.server.url + "/assets/" + asset)[0], 200, asset)

    def test_entity_page(self):
        iri = urllib.parse.quote(self.moh, safe="")
        status, _, body = http(f"{self.server.url}/entity?iri={iri}")
        self.assertEqual(status, 200)
        self.assertIn("<h1>Bộ Y tế</h1>", body)
        self.assertIn("<mark>", body)
        status, _, body = http(self.server.url + "/entity?q=" + urllib.parse.quote("Phạm Văn Lộc"))
        self.assertEqual(status, 200)
        self.assertIn("Thứ trưởng", body)
        status, _, _ = http(self.server.url + "/entity?iri=" + urllib.parse.quote(ID + "person/nobody"))
        self.assertEqual(status, 404)

    def test_neighbourhood_graph(self):
        iri = urllib.parse.quote(self.moh, safe="")
        status, headers, body = http(f"{self.server.url}/api/graph?iri={iri}&depth=1")
        self.assertEqual(status, 200)
        elements = json.loads(body)["elements"]
        labels = {n["data"]["label"] for n in elements["nodes"]}
        self.assertIn("Bộ Y tế", labels)
        self.assertIn("Phạm Văn Lộc", labels, "the deputy minister holds a post in the ministry")
        self.assertTrue(all(e["data"]["docs"] for e in elements["edges"]), "every edge names its documents")
        wider = json.loads(http(f"{self.server.url}/api/graph?iri={iri}&depth=2")[2])["elements"]
        self.assertGreaterEqual(len(wider["nodes"]), len(elements["nodes"]))
        self.assertEqual(http(f"{self.server.url}/api/graph?iri={iri}&depth=5")[0], 400)
        self.assertEqual(http(f"{self.server.url}/api/graph")[0], 400)
        missing = urllib.parse.quote(ID + "org/nothing-here", safe="")
        self.assertEqual(http(f"{self.server.url}/api/graph?iri={missing}")[0], 404)


class Modes(unittest.TestCase):
    """Servers started with other flags, and building while serving."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = build_store(BIN, [os.path.join(ROOT, "examples", "tin-ngan.jsonl")], os.path.join(self.tmp.name, "store"))

    def tearDown(self):
        self.tmp.cleanup()

    def test_updates_when_allowed(self):
        with Server(BIN, self.store, "--allow-update") as s:
            sw = SPARQLWrapper(s.endpoint)
            sw.setMethod(POST)
            sw.setQuery('INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> "c" } }')
            sw.query()
            status, _, body = get(s, 'ASK { <http://example.org/a> <http://example.org/b> "c" }')
            self.assertEqual(json.loads(body)["boolean"], True)
            status, _, body = http(s.endpoint, headers={"Accept": "text/turtle"})
            self.assertIn("SPARQL11Update", body)
            status, _, _ = http(s.endpoint + "?update=CLEAR+ALL")
            self.assertEqual(status, 400, "an update over GET is refused")
            # a form of another site cannot send an update, nor a page of an unknown origin
            status, _, body = http(s.endpoint, data=b"update=CLEAR+ALL", headers={
                "Content-Type": "application/x-www-form-urlencoded", "Origin": "https://attacker.example"})
            self.assertEqual(status, 403, body)
            status, _, _ = http(s.endpoint, data=b"update=CLEAR+ALL", headers={
                "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"})
            self.assertEqual(status, 403)
            status, _, body = get(s, 'ASK { <http://example.org/a> <http://example.org/b> "c" }')
            self.assertEqual(json.loads(body)["boolean"], True, "the refused updates changed nothing")

    def test_cors_only_when_asked(self):
        origin = {"Origin": "https://example.org"}
        with Server(BIN, self.store) as s:
            _, headers, _ = http(s.endpoint + "?query=ASK%7B%7D", headers=origin)
            self.assertNotIn("access-control-allow-origin", {k.lower() for k in headers})
        with Server(BIN, self.store, "--cors", "https://example.org") as s:
            _, headers, _ = http(s.endpoint + "?query=ASK%7B%7D", headers=origin)
            lower = {k.lower(): v for k, v in headers.items()}
            self.assertEqual(lower.get("access-control-allow-origin"), "https://example.org")

    def test_build_while_serving_stops_at_once_and_the_store_still_answers(self):
        with Server(BIN, self.store) as s:
            started = time.time()
            r = subprocess.run([BIN, "build", os.path.join(ROOT, "examples"), "--store", self.store], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("in use by another vnkg process", r.stderr)
            self.assertLess(time.time() - started, 10)
            status, _, body = get(s, 'ASK { ?p skos:prefLabel ?l }')
            self.assertEqual((status, json.loads(body)["boolean"]), (200, True))
        # once the server is stopped, the build works, and the new documents are there
        r = subprocess.run([BIN, "build", os.path.join(ROOT, "examples"), "--store", self.store], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with Server(BIN, self.store) as s:
            _, _, body = get(s, 'ASK { ?p skos:prefLabel "Phạm Văn Lộc"@vi }')
            self.assertIs(json.loads(body)["boolean"], True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
