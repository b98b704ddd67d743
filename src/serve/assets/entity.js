// vnkg entity page: the neighbourhood graph, drawn by the shared viewer (vnkgGraph).
(function () {
  'use strict';
  var box = document.getElementById('graph');
  if (!box) return;
  var latest = 0;
  function load(depth) {
    var asked = ++latest;
    box.textContent = 'loading the neighbourhood…';
    fetch('/api/graph?iri=' + encodeURIComponent(box.getAttribute('data-iri')) + '&depth=' + depth)
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error(t); });
        return r.json();
      })
      .then(function (data) {
        if (asked !== latest) return; // a later depth was asked for meanwhile
        box.textContent = '';
        if (typeof window.vnkgGraph !== 'function') {
          box.textContent = 'the graph viewer is missing';
          return;
        }
        var view = window.vnkgGraph(box, data, {
          onOpen: function (iri) { location.href = '/entity?iri=' + encodeURIComponent(iri); }
        });
        // the page's own entity starts selected, so the reader sees where it sits
        if (view && view.select) view.select(box.getAttribute('data-iri'));
      })
      .catch(function (e) { if (asked === latest) box.textContent = 'no graph: ' + e.message; });
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[name=depth]'), function (r) {
    r.addEventListener('change', function () { if (r.checked) load(r.value); });
  });
  load(1);
})();
