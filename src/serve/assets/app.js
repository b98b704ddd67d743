// vnkg query editor: canned queries, results as a table with entity links, downloads.
// No library and no network beyond this server.
(function () {
  'use strict';
  var ID = 'https://w3id.org/vnkg/id/';
  // the entities that have a page: persons, bodies, places, legal documents
  var ENTITY = /^https:\/\/w3id\.org\/vnkg\/id\/(person|org|place|legislation)\//;
  var PREFIXES = [
    ['id:', ID],
    ['vnkg:', 'https://w3id.org/vnkg/ns#'],
    ['org:', 'http://www.w3.org/ns/org#'],
    ['schema:', 'https://schema.org/'],
    ['skos:', 'http://www.w3.org/2004/02/skos/core#'],
    ['prov:', 'http://www.w3.org/ns/prov#'],
    ['xsd:', 'http://www.w3.org/2001/XMLSchema#']
  ];
  var $ = function (id) { return document.getElementById(id); };
  var editor = $('query'), select = $('canned'), results = $('results'), status = $('status');
  var canned = [];

  function short(iri) {
    for (var i = 0; i < PREFIXES.length; i++) {
      if (iri.indexOf(PREFIXES[i][1]) === 0) return PREFIXES[i][0] + iri.slice(PREFIXES[i][1].length);
    }
    return iri;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function cell(b) {
    var td = el('td');
    if (!b) return td;
    if (b.type === 'uri') {
      // an entity links to its page, a web address to itself; anything else (urn:,
      // javascript:, ...) is only text
      var a = null;
      if (ENTITY.test(b.value)) {
        a = el('a', { href: '/entity?iri=' + encodeURIComponent(b.value), title: b.value, 'class': 'entity' }, short(b.value));
      } else if (/^https?:\/\//i.test(b.value)) {
        a = el('a', { href: b.value, title: b.value, rel: 'noopener' }, short(b.value));
      }
      td.appendChild(a || document.createTextNode(short(b.value)));
    } else if (b.type === 'bnode') {
      td.textContent = '_:' + b.value;
    } else {
      td.textContent = b.value;
      if (b['xml:lang']) td.title = '@' + b['xml:lang'];
      else if (b.datatype) td.title = short(b.datatype);
    }
    return td;
  }

  function table(json) {
    var vars = json.head.vars || [], rows = json.results.bindings;
    var t = el('table', { 'class': 'results', 'data-rows': String(rows.length) });
    var tr = el('tr');
    vars.forEach(function (v) { tr.appendChild(el('th', {}, v)); });
    t.appendChild(el('thead')).appendChild(tr);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var row = el('tr');
      vars.forEach(function (v) { row.appendChild(cell(r[v])); });
      body.appendChild(row);
    });
    return t;
  }

  function downloads(q, graph) {
    var base = '/sparql?query=' + encodeURIComponent(q) + '&format=';
    var a = $('dl-1'), b = $('dl-2');
    if (graph) {
      a.href = base + 'turtle'; a.textContent = 'Turtle'; a.download = 'results.ttl';
      b.href = base + 'jsonld'; b.textContent = 'JSON-LD'; b.download = 'results.jsonld';
    } else {
      a.href = base + 'csv'; a.textContent = 'CSV'; a.download = 'results.csv';
      b.href = base + 'json'; b.textContent = 'JSON'; b.download = 'results.json';
    }
  }

  function run() {
    var q = editor.value;
    var started = performance.now();
    status.textContent = 'running…';
    status.className = '';
    results.textContent = '';
    fetch('/sparql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Accept': 'application/sparql-results+json, text/turtle;q=0.9'
      },
      body: 'query=' + encodeURIComponent(q)
    }).then(function (res) {
      var type = res.headers.get('Content-Type') || '';
      return res.text().then(function (text) {
        var ms = Math.round(performance.now() - started);
        if (!res.ok) {
          status.textContent = 'error ' + res.status;
          status.className = 'error';
          results.appendChild(el('pre', { 'class': 'error' }, text));
          return;
        }
        if (type.indexOf('sparql-results+json') >= 0) {
          var json = JSON.parse(text);
          downloads(q, false);
          if (typeof json.boolean === 'boolean') {
            results.appendChild(el('p', { 'class': 'boolean' }, 'ASK: ' + json.boolean));
            status.textContent = 'answered in ' + ms + ' ms';
          } else {
            results.appendChild(table(json));
            var n = json.results.bindings.length;
            status.textContent = n + ' row' + (n === 1 ? '' : 's') + ' in ' + ms + ' ms';
          }
        } else {
          downloads(q, true);
          results.appendChild(el('pre', { 'class': 'graph' }, text));
          status.textContent = 'graph in ' + ms + ' ms';
        }
      });
    }).catch(function (e) {
      status.textContent = 'the server did not answer: ' + e;
      status.className = 'error';
    });
  }

  function choose(name) {
    var q = canned.filter(function (c) { return c.name === name; })[0];
    $('canned-desc').textContent = q ? q.description : '';
    if (q) editor.value = q.query;
  }

  select.addEventListener('change', function () {
    choose(select.value);
    var url = new URL(location.href);
    if (select.value) url.searchParams.set('query', select.value); else url.searchParams.delete('query');
    history.replaceState(null, '', url);
  });
  $('run').addEventListener('click', run);
  editor.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    if (e.key === 'Tab') {
      e.preventDefault();
      var s = editor.selectionStart;
      editor.value = editor.value.slice(0, s) + '  ' + editor.value.slice(editor.selectionEnd);
      editor.selectionStart = editor.selectionEnd = s + 2;
    }
  });
  downloads(editor.value, false);

  fetch('/api/queries').then(function (r) { return r.json(); }).then(function (list) {
    canned = list;
    list.forEach(function (c) {
      select.appendChild(el('option', { value: c.name, title: c.description }, c.title + ' (' + c.name + ')'));
    });
    var params = new URLSearchParams(location.search);
    var wanted = params.get('query');
    if (wanted && list.some(function (c) { return c.name === wanted; })) {
      select.value = wanted;
      choose(wanted);
      downloads(editor.value, false);
    }
    if (params.get('run')) run();
  });
})();
