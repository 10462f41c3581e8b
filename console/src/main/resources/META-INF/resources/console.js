// The instance page's query panel: posts {query, variables, keyName | key} to the console, which forwards it to the
// instance through the Kubernetes API server, and shows the answer as it came.
(function () {
  var panel = document.getElementById('query-panel');
  if (!panel) return;
  var query = document.getElementById('query');
  var variables = document.getElementById('variables');
  var keyName = document.getElementById('key-name');
  var key = document.getElementById('key');
  var answer = document.getElementById('answer');
  var status = document.getElementById('status');
  if (!query.value) query.value = '{\n  __typename\n}\n';

  function run() {
    var body = { query: query.value };
    if (variables.value.trim()) {
      try { body.variables = JSON.parse(variables.value); } catch (e) {
        status.textContent = 'Variables are not JSON: ' + e.message; status.className = 'bad'; return;
      }
    }
    if (key.value.trim()) body.key = key.value.trim(); else body.keyName = keyName.value;
    status.textContent = 'running…'; status.className = 'muted';
    var started = performance.now();
    fetch(panel.dataset.url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (text) {
        var ms = Math.round(performance.now() - started);
        var shown;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {
          // a page of the console (not signed in, not found): its words, without the markup
          var doc = new DOMParser().parseFromString(text, 'text/html');
          var main = doc.querySelector('main') || doc.body;
          shown = (main ? main.textContent : text).replace(/\n\s*\n+/g, '\n').trim();
        }
        var request = r.headers.get('X-Request-Id');
        status.textContent = 'HTTP ' + r.status + ' in ' + ms + ' ms' + (request ? ' · request ' + request : '');
        status.className = r.ok ? 'ok' : 'bad';
        answer.textContent = shown;
        answer.dataset.status = String(r.status);
      });
    }).catch(function (e) {
      status.textContent = 'no answer: ' + e.message; status.className = 'bad';
    });
  }

  document.getElementById('run').addEventListener('click', run);
  panel.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); run(); }
  });
})();
