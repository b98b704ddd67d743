/* vnkg graph viewer: an interactive view of a vnkg graph projection, written for vnkg (no
 * library, no network). One global function:
 *
 *   vnkgGraph(container, data, options)
 *
 * data: Cytoscape.js elements JSON as `vnkg graph export --format cytoscape` writes it:
 *   {"elements": {"nodes": [{"data": {id, label, kind, iri, province, pagerank, ...}}],
 *                 "edges": [{"data": {id, source, target, type, weight, first, last, docs}}]}}
 * options (all optional):
 *   title       a heading shown in the toolbar;
 *   onOpen(iri) called when the reader opens an entity (button in the details, double click);
 *   labelShare  share of the nodes labelled at the initial zoom (default 0.12; more appear
 *               as one zooms in);
 *   iterations  force-layout steps (default: by graph size).
 * Returns {select(iri), fit(), redraw()}. Once drawn, the container carries
 * data-vnkg-nodes and data-vnkg-edges (the counts drawn) and data-vnkg-ready="true".
 */
(function (global) {
  "use strict";

  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#17a2b8", "#d37295"];

  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(x) {
    if (typeof x !== "number") return String(x);
    if (Math.abs(x) >= 1 || x === 0) return String(Math.round(x * 1000) / 1000);
    return x.toPrecision(3);
  }

  /* Force-directed layout: degree-scaled repulsion (exact for small graphs, on a grid of cells
   * for large ones), linear attraction along edges (stronger for better supported ones),
   * constant gravity towards the centre so that separate components stay near, and a
   * temperature that caps each step and cools down. Starts from a sunflower spiral, ordered
   * by degree, so the result is the same on every run. */
  function layout(nodes, edges, iterations) {
    var n = nodes.length, i, j, it;
    var x = new Float64Array(n), y = new Float64Array(n);
    var dx = new Float64Array(n), dy = new Float64Array(n), mass = new Float64Array(n);
    var order = nodes.map(function (_, k) { return k; });
    order.sort(function (a, b) { return nodes[b].deg - nodes[a].deg || a - b; });
    var golden = Math.PI * (3 - Math.sqrt(5));
    for (i = 0; i < n; i++) {
      var r = 12 * Math.sqrt(i + 0.5), t = i * golden, v = order[i];
      x[v] = r * Math.cos(t);
      y[v] = r * Math.sin(t);
      mass[v] = 1 + nodes[v].deg;
    }
    var kr = 30, ka = 0.08, kg = 1;
    var temp = 10 + 4 * Math.sqrt(n), cool = Math.pow(0.02, 1 / Math.max(1, iterations));
    var exact = n <= 1500, cell = 120;
    for (it = 0; it < iterations; it++) {
      dx.fill(0);
      dy.fill(0);
      if (exact) {
        for (i = 0; i < n; i++) {
          for (j = i + 1; j < n; j++) {
            var ex = x[i] - x[j], ey = y[i] - y[j], d2 = ex * ex + ey * ey + 0.01;
            var f = kr * mass[i] * mass[j] / d2;
            dx[i] += ex * f / mass[i]; dy[i] += ey * f / mass[i];
            dx[j] -= ex * f / mass[j]; dy[j] -= ey * f / mass[j];
          }
        }
      } else {
        var grid = new Map();
        for (i = 0; i < n; i++) {
          var key = Math.floor(x[i] / cell) + "," + Math.floor(y[i] / cell);
          var list = grid.get(key);
          if (!list) { list = []; grid.set(key, list); }
          list.push(i);
        }
        for (i = 0; i < n; i++) {
          var cx = Math.floor(x[i] / cell), cy = Math.floor(y[i] / cell);
          for (var gx = cx - 1; gx <= cx + 1; gx++) {
            for (var gy = cy - 1; gy <= cy + 1; gy++) {
              var cellNodes = grid.get(gx + "," + gy);
              if (!cellNodes) continue;
              for (var q = 0; q < cellNodes.length; q++) {
                j = cellNodes[q];
                if (j === i) continue;
                var fx = x[i] - x[j], fy = y[i] - y[j], e2 = fx * fx + fy * fy + 0.01;
                var g2 = kr * mass[j] / e2;
                dx[i] += fx * g2; dy[i] += fy * g2;
              }
            }
          }
        }
      }
      for (var e = 0; e < edges.length; e++) {
        var s = edges[e].s, u = edges[e].t;
        var ax = x[u] - x[s], ay = y[u] - y[s], w = ka * (1 + Math.log(edges[e].weight || 1));
        dx[s] += ax * w / Math.sqrt(mass[s]); dy[s] += ay * w / Math.sqrt(mass[s]);
        dx[u] -= ax * w / Math.sqrt(mass[u]); dy[u] -= ay * w / Math.sqrt(mass[u]);
      }
      for (i = 0; i < n; i++) {
        var dist = Math.sqrt(x[i] * x[i] + y[i] * y[i]) + 1e-9;
        dx[i] -= kg * Math.sqrt(mass[i]) * x[i] / Math.sqrt(dist);
        dy[i] -= kg * Math.sqrt(mass[i]) * y[i] / Math.sqrt(dist);
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > temp) { dx[i] *= temp / len; dy[i] *= temp / len; }
        x[i] += dx[i];
        y[i] += dy[i];
      }
      temp *= cool;
    }
    for (i = 0; i < n; i++) { nodes[i].x = x[i]; nodes[i].y = y[i]; }
  }

  function vnkgGraph(container, data, options) {
    options = options || {};
    var els = (data && data.elements) || {};
    var nodes = (els.nodes || []).map(function (d, k) {
      var n = Object.assign({}, d.data || d);
      n.index = k; n.deg = 0; n.edges = [];
      return n;
    });
    var byId = new Map();
    nodes.forEach(function (n) { byId.set(n.id, n); });
    var edges = [];
    (els.edges || []).forEach(function (d) {
      var e = Object.assign({}, d.data || d);
      var a = byId.get(e.source), b = byId.get(e.target);
      if (!a || !b) return;
      e.s = a.index; e.t = b.index; e.a = a; e.b = b;
      a.edges.push(e); b.edges.push(e);
      edges.push(e);
    });
    var neighbourSets = nodes.map(function () { return new Set(); });
    edges.forEach(function (e) { neighbourSets[e.s].add(e.t); neighbourSets[e.t].add(e.s); });
    nodes.forEach(function (n) { n.deg = neighbourSets[n.index].size; });

    // colours by kind, with the colour the data gives when it gives one
    var kinds = new Map();
    nodes.forEach(function (n) {
      var k = n.kind || "other";
      if (!kinds.has(k)) kinds.set(k, { kind: k, count: 0, colour: n.color, hidden: false });
      kinds.get(k).count++;
    });
    var kindList = Array.from(kinds.values()).sort(function (a, b) {
      return b.count - a.count || (a.kind < b.kind ? -1 : 1);
    });
    kindList.forEach(function (k, i) { if (!k.colour) k.colour = PALETTE[i % PALETTE.length]; });

    // size by PageRank (else degree); label the most central first
    var maxPr = 0;
    nodes.forEach(function (n) {
      n.score = typeof n.pagerank === "number" ? n.pagerank : n.deg;
      maxPr = Math.max(maxPr, n.score);
    });
    nodes.forEach(function (n) {
      n.r = 3 + 13 * Math.sqrt(maxPr > 0 ? n.score / maxPr : 0);
      n.fold = fold(n.label);
    });
    var byScore = nodes.slice().sort(function (a, b) {
      return b.score - a.score || a.index - b.index;
    });
    byScore.forEach(function (n, k) { n.rank = k; });

    var iterations = options.iterations ||
      Math.max(60, Math.min(400, Math.round(300000 / Math.max(1, nodes.length))));
    layout(nodes, edges, iterations);

    // ---- DOM
    container.innerHTML = "";
    container.classList.add("vnkg-graph");
    var canvas = el("canvas", "vnkg-canvas");
    var bar = el("div", "vnkg-toolbar");
    if (options.title) bar.appendChild(el("div", "vnkg-title", options.title));
    var search = el("input", "vnkg-search");
    search.type = "search";
    search.placeholder = "Search (" + nodes.length + " nodes)";
    search.setAttribute("aria-label", "Search entities");
    bar.appendChild(search);
    var results = el("ul", "vnkg-results");
    bar.appendChild(results);
    var counts = el("div", "vnkg-counts", nodes.length + " nodes, " + edges.length + " edges");
    bar.appendChild(counts);
    var legend = el("div", "vnkg-legend");
    var details = el("div", "vnkg-details");
    details.hidden = true;
    container.appendChild(canvas);
    container.appendChild(bar);
    container.appendChild(legend);
    container.appendChild(details);

    var view = { scale: 1, tx: 0, ty: 0, fitScale: 1 };
    var selected = null, hovered = null, matches = new Set();
    var ctx = canvas.getContext("2d");
    var labelShare = typeof options.labelShare === "number" ? options.labelShare : 0.12;

    function size() {
      var w = container.clientWidth || 800, h = container.clientHeight || 600;
      var dpr = global.devicePixelRatio || 1;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      return { w: w, h: h, dpr: dpr };
    }
    var dims = size();

    function fit() {
      var shown = nodes.filter(visible);
      if (!shown.length) shown = nodes;
      if (!shown.length) return;
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      shown.forEach(function (n) {
        x0 = Math.min(x0, n.x - n.r); x1 = Math.max(x1, n.x + n.r);
        y0 = Math.min(y0, n.y - n.r); y1 = Math.max(y1, n.y + n.r);
      });
      // keep clear of the toolbar and legend on the left when there is room
      var left = dims.w > 900 ? 200 : 30, pad = 30;
      var s = Math.min((dims.w - left - pad) / Math.max(1, x1 - x0), (dims.h - 2 * pad) / Math.max(1, y1 - y0));
      view.scale = Math.max(0.02, Math.min(4, s));
      view.fitScale = view.scale;
      view.tx = left + (dims.w - left - pad) / 2 - view.scale * (x0 + x1) / 2;
      view.ty = dims.h / 2 - view.scale * (y0 + y1) / 2;
    }

    function visible(n) { return !kinds.get(n.kind || "other").hidden; }
    function toScreen(n) { return [n.x * view.scale + view.tx, n.y * view.scale + view.ty]; }
    function colour(n) { return kinds.get(n.kind || "other").colour; }
    function radius(n) { return n.r * Math.sqrt(Math.max(0.35, Math.min(view.scale, 3))); }

    function draw() {
      ctx.setTransform(dims.dpr, 0, 0, dims.dpr, 0, 0);
      ctx.clearRect(0, 0, dims.w, dims.h);
      var focus = selected && selected.edges ? selected : null;
      var near = focus ? neighbourSets[focus.index] : null;
      // edges
      ctx.lineCap = "round";
      edges.forEach(function (e) {
        if (!visible(e.a) || !visible(e.b)) return;
        var p = toScreen(e.a), q = toScreen(e.b);
        var on = focus && (e.a === focus || e.b === focus) || selected === e;
        ctx.strokeStyle = on ? "rgba(30,30,30,0.85)" : (focus ? "rgba(120,120,120,0.12)" : "rgba(110,110,110,0.35)");
        ctx.lineWidth = Math.min(on ? 6 : 4, (on ? 1.6 : 0.8) * (1 + Math.log(e.weight || 1)));
        ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
      });
      // nodes, small first so that hubs stay on top
      for (var k = byScore.length - 1; k >= 0; k--) {
        var n = byScore[k];
        if (!visible(n)) continue;
        var s = toScreen(n), r = radius(n);
        if (s[0] < -r || s[1] < -r || s[0] > dims.w + r || s[1] > dims.h + r) continue;
        var dim = focus && n !== focus && !near.has(n.index);
        ctx.globalAlpha = dim ? 0.25 : 1;
        ctx.fillStyle = colour(n);
        ctx.beginPath(); ctx.arc(s[0], s[1], r, 0, 2 * Math.PI); ctx.fill();
        ctx.lineWidth = n === selected || matches.has(n) ? 3 : 1;
        ctx.strokeStyle = n === selected ? "#111" : (matches.has(n) ? "#d62728" : "#fff");
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      drawLabels(focus, near);
    }

    function drawLabels(focus, near) {
      // the most central nodes are labelled; zooming in labels more; labels never overlap
      var zoom = view.scale / (view.fitScale || 1);
      var budget = Math.max(8, Math.round(nodes.length * labelShare * zoom * zoom));
      var boxes = [];
      ctx.font = "12px system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      var wanted = [];
      if (selected && selected.edges) wanted.push(selected);
      if (hovered) wanted.push(hovered);
      matches.forEach(function (n) { wanted.push(n); });
      if (focus) near.forEach(function (i) { wanted.push(nodes[i]); });
      for (var k = 0; k < byScore.length && k < budget; k++) wanted.push(byScore[k]);
      var done = new Set();
      wanted.forEach(function (n, idx) {
        if (done.has(n) || !visible(n)) return;
        done.add(n);
        var s = toScreen(n), r = radius(n);
        var text = n.label || n.id;
        if (text.length > 42) text = text.slice(0, 40) + "…";
        var w = ctx.measureText(text).width, x = s[0] + r + 3, y = s[1];
        if (x + w < 0 || x > dims.w || y < -10 || y > dims.h + 10) return;
        var box = [x - 2, y - 8, x + w + 2, y + 8];
        var forced = n === selected || n === hovered || matches.has(n);
        if (!forced && boxes.some(function (b) {
          return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1];
        })) return;
        boxes.push(box);
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.lineWidth = 3;
        ctx.strokeText(text, x, y);
        ctx.fillStyle = "#222";
        ctx.fillText(text, x, y);
      });
    }

    // ---- legend: colour by kind; a click hides or shows a kind
    function buildLegend() {
      legend.innerHTML = "";
      legend.appendChild(el("div", "vnkg-legend-title", "Kinds"));
      kindList.forEach(function (k) {
        var row = el("div", "vnkg-legend-row" + (k.hidden ? " vnkg-off" : ""));
        var sw = el("span", "vnkg-swatch");
        sw.style.background = k.colour;
        row.appendChild(sw);
        row.appendChild(el("span", "vnkg-legend-kind", k.kind.replace(/_/g, " ")));
        row.appendChild(el("span", "vnkg-legend-count", String(k.count)));
        row.title = "Show or hide " + k.kind;
        row.addEventListener("click", function () { k.hidden = !k.hidden; buildLegend(); draw(); });
        legend.appendChild(row);
      });
    }

    // ---- details of a node or an edge
    function row(table, key, value) {
      if (value === undefined || value === null || value === "") return;
      var tr = el("tr");
      tr.appendChild(el("th", null, key));
      var td = el("td");
      if (value instanceof Node) td.appendChild(value); else td.textContent = String(value);
      tr.appendChild(td);
      table.appendChild(tr);
    }

    function showDetails(item) {
      details.innerHTML = "";
      if (!item) { details.hidden = true; return; }
      details.hidden = false;
      var close = el("button", "vnkg-close", "×");
      close.title = "Close";
      close.addEventListener("click", function () { select(null); });
      details.appendChild(close);
      var table = el("table");
      if (item.edges) {
        details.appendChild(el("h3", null, item.label || item.id));
        row(table, "kind", (item.kind || "").replace(/_/g, " "));
        row(table, "province", item.province);
        row(table, "IRI", item.iri);
        ["documents", "degree", "strength", "pagerank", "betweenness", "community"].forEach(function (k) {
          if (item[k] !== undefined) row(table, k, fmt(item[k]));
        });
        details.appendChild(table);
        if (options.onOpen && item.iri) {
          var open = el("button", "vnkg-open", "Open");
          open.addEventListener("click", function () { options.onOpen(item.iri); });
          details.appendChild(open);
        }
        var rel = el("ul", "vnkg-relations");
        item.edges.slice().sort(function (a, b) { return (b.weight || 0) - (a.weight || 0); })
          .slice(0, 40).forEach(function (e) {
            var other = e.a === item ? e.b : e.a;
            var li = el("li");
            var a = el("a", null, other.label || other.id);
            a.href = "#";
            a.addEventListener("click", function (ev) { ev.preventDefault(); select(other, true); });
            li.appendChild(el("span", "vnkg-rel", e.type + (e.weight > 1 ? " ×" + e.weight : "") + " "));
            li.appendChild(a);
            rel.appendChild(li);
          });
        if (item.edges.length) details.appendChild(el("div", "vnkg-sub", item.edges.length + " relation(s)"));
        details.appendChild(rel);
        if (item.edges.length > 40) details.appendChild(el("div", "vnkg-sub", "… and " + (item.edges.length - 40) + " more"));
      } else {
        details.appendChild(el("h3", null, item.type));
        row(table, "from", item.a.label);
        row(table, "to", item.b.label);
        row(table, "what", item.label);
        row(table, "weight", item.weight);
        row(table, "first", item.first);
        row(table, "last", item.last);
        details.appendChild(table);
        var docs = el("ul", "vnkg-docs");
        (item.docs || []).forEach(function (d, k) {
          var date = item.dates && item.dates[k] ? " (" + item.dates[k] + ")" : "";
          docs.appendChild(el("li", null, d + date));
        });
        details.appendChild(el("div", "vnkg-sub", "documents"));
        details.appendChild(docs);
      }
    }

    function select(item, centre) {
      selected = item;
      showDetails(item);
      if (item && item.edges && centre) {
        view.scale = Math.max(view.scale, 1.2);
        view.tx = dims.w / 2 - item.x * view.scale;
        view.ty = dims.h / 2 - item.y * view.scale;
      }
      draw();
    }

    // ---- search
    search.addEventListener("input", function () {
      var q = fold(search.value.trim());
      matches = new Set();
      results.innerHTML = "";
      if (q.length >= 2) {
        var found = byScore.filter(function (n) { return n.fold.indexOf(q) >= 0; });
        found.forEach(function (n) { matches.add(n); });
        found.slice(0, 12).forEach(function (n) {
          var li = el("li", null, n.label);
          li.appendChild(el("span", "vnkg-kind", " " + (n.kind || "").replace(/_/g, " ")));
          li.addEventListener("click", function () { select(n, true); });
          results.appendChild(li);
        });
      }
      draw();
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var first = byScore.find(function (n) { return matches.has(n); });
        if (first) select(first, true);
      } else if (ev.key === "Escape") {
        search.value = ""; matches = new Set(); results.innerHTML = ""; draw();
      }
    });

    // ---- pointer: drag a node, pan the background, click, hover; wheel zoom
    function at(px, py) {
      for (var k = 0; k < byScore.length; k++) {
        var n = byScore[k];
        if (!visible(n)) continue;
        var s = toScreen(n), r = radius(n) + 2;
        if ((s[0] - px) * (s[0] - px) + (s[1] - py) * (s[1] - py) <= r * r) return n;
      }
      var best = null, bestD = 5;
      edges.forEach(function (e) {
        if (!visible(e.a) || !visible(e.b)) return;
        var p = toScreen(e.a), q = toScreen(e.b);
        var vx = q[0] - p[0], vy = q[1] - p[1], l2 = vx * vx + vy * vy;
        var t = l2 ? Math.max(0, Math.min(1, ((px - p[0]) * vx + (py - p[1]) * vy) / l2)) : 0;
        var cx = p[0] + t * vx - px, cy = p[1] + t * vy - py, d = Math.sqrt(cx * cx + cy * cy);
        if (d < bestD) { bestD = d; best = e; }
      });
      return best;
    }
    function point(ev) {
      var b = canvas.getBoundingClientRect();
      return [ev.clientX - b.left, ev.clientY - b.top];
    }
    var drag = null;
    canvas.addEventListener("pointerdown", function (ev) {
      var p = point(ev), hit = at(p[0], p[1]);
      drag = { x: p[0], y: p[1], node: hit && hit.edges ? hit : null, hit: hit, moved: false,
        tx: view.tx, ty: view.ty };
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener("pointermove", function (ev) {
      var p = point(ev);
      if (!drag) {
        var h = at(p[0], p[1]);
        var node = h && h.edges ? h : null;
        canvas.style.cursor = h ? "pointer" : "grab";
        if (node !== hovered) { hovered = node; draw(); }
        return;
      }
      if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 3) drag.moved = true;
      if (!drag.moved) return;
      if (drag.node) {
        drag.node.x = (p[0] - view.tx) / view.scale;
        drag.node.y = (p[1] - view.ty) / view.scale;
      } else {
        view.tx = drag.tx + p[0] - drag.x;
        view.ty = drag.ty + p[1] - drag.y;
        canvas.style.cursor = "grabbing";
      }
      draw();
    });
    canvas.addEventListener("pointerup", function () {
      if (drag && !drag.moved) select(drag.hit || null);
      drag = null;
    });
    canvas.addEventListener("dblclick", function (ev) {
      var p = point(ev), hit = at(p[0], p[1]);
      if (hit && hit.edges && options.onOpen) options.onOpen(hit.iri);
    });
    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = point(ev);
      var factor = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
      var s = Math.max(0.02, Math.min(20, view.scale * factor));
      view.tx = p[0] - (p[0] - view.tx) * s / view.scale;
      view.ty = p[1] - (p[1] - view.ty) * s / view.scale;
      view.scale = s;
      draw();
    }, { passive: false });
    global.addEventListener("resize", function () { dims = size(); draw(); });

    buildLegend();
    fit();
    draw();
    container.setAttribute("data-vnkg-nodes", String(nodes.length));
    container.setAttribute("data-vnkg-edges", String(edges.length));
    container.setAttribute("data-vnkg-ready", "true");
    return {
      select: function (iri) {
        var n = nodes.find(function (m) { return m.iri === iri; });
        select(n || null, true);
      },
      fit: function () { fit(); draw(); },
      redraw: draw
    };
  }

  global.vnkgGraph = vnkgGraph;
})(typeof window !== "undefined" ? window : this);
