/* The SPARQL editor: CodeMirror with the SPARQL mode, run with Ctrl+Enter against /sparql,
   results as a table with prefixed names that link to this server's resource pages.
   No inline script or style: the Content-Security-Policy forbids them. */
(function () {
  "use strict";

  var form = document.getElementById("sparql-form");
  if (!form) { return; }
  var endpoint = form.dataset.endpoint;
  var localLinks = JSON.parse(form.dataset.links);
  var projectPrefixes = JSON.parse(form.dataset.prefixes);
  var statusLine = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var examples = JSON.parse(document.getElementById("example-queries").textContent);
  var exampleNames = JSON.parse(document.getElementById("example-names").textContent);

  var editor = window.CodeMirror.fromTextArea(document.getElementById("query"), {
    mode: "application/sparql-query",
    lineNumbers: true,
    matchBrackets: true,
    indentUnit: 2,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
  });
  window.impactkgEditor = editor;  // for the browser tests

  function queryText() { return editor.getValue(); }

  /* Prefixes for shortening: the project's, then the ones the query declares itself. */
  function prefixesOf(query) {
    var all = Object.assign({}, projectPrefixes);
    var declaration = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gi;
    var match;
    while ((match = declaration.exec(query)) !== null) { all[match[1] || ""] = match[2]; }
    return all;
  }

  function shorten(iri, prefixes) {
    var best = "", bestName = null;
    Object.keys(prefixes).forEach(function (name) {
      var ns = prefixes[name];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && ns.length > best.length) {
        best = ns; bestName = name;
      }
    });
    return bestName === null ? iri : bestName + ":" + iri.slice(best.length);
  }

  /* IRIs under the project's root are pages of this server (the resource browser). */
  function linkFor(iri) {
    var keys = Object.keys(localLinks);
    for (var i = 0; i < keys.length; i++) {
      if (iri.indexOf(keys[i]) === 0) {
        var rest = iri.slice(keys[i].length);
        if (rest.indexOf("def#") === 0) { rest = "def/" + rest.slice(4); }
        return localLinks[keys[i]] + rest;
      }
    }
    return iri;
  }

  function cell(term, prefixes) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = linkFor(term.value);
      a.title = term.value;
      a.textContent = shorten(term.value, prefixes);
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      var note = term["xml:lang"] ? "@" + term["xml:lang"] :
        (term.datatype && term.datatype !== "http://www.w3.org/2001/XMLSchema#string" ?
          shorten(term.datatype, prefixes) : "");
      if (note) {
        var span = document.createElement("span");
        span.className = "note";
        span.textContent = " " + note;
        td.appendChild(span);
      }
    }
    return td;
  }

  function table(columns, rows, prefixes) {
    var element = document.createElement("table");
    element.className = "results-table";
    var head = element.createTHead().insertRow();
    columns.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = element.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      columns.forEach(function (name) { tr.appendChild(cell(row[name], prefixes)); });
    });
    return element;
  }

  /* One N-Triples term: IRI, blank node or literal (its escapes read as JSON string escapes). */
  function ntTerm(text) {
    if (text.charAt(0) === "<") { return { type: "uri", value: text.slice(1, -1) }; }
    if (text.indexOf("_:") === 0) { return { type: "bnode", value: text.slice(2) }; }
    var match = /^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?$/.exec(text);
    if (!match) { return { type: "literal", value: text }; }
    var term = { type: "literal", value: JSON.parse('"' + match[1].replace(/\\U([0-9A-Fa-f]{8})/g,
      function (_, hex) { return String.fromCodePoint(parseInt(hex, 16)); }) + '"') };
    if (match[2]) { term["xml:lang"] = match[2]; }
    if (match[3]) { term.datatype = match[3]; }
    return term;
  }

  function triples(text) {
    var line = /^(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(.+)\s+\.\s*$/;
    return text.split("\n").filter(Boolean).map(function (row) {
      var match = line.exec(row);
      return match ? { subject: ntTerm(match[1]), predicate: ntTerm(match[2]), object: ntTerm(match[3]) } : null;
    }).filter(Boolean);
  }

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? "error-text" : "";
  }

  function downloadLink(format) {
    return endpoint + "?" + new URLSearchParams({ query: queryText(), format: format }).toString();
  }

  function run() {
    var query = queryText();
    var started = performance.now();
    history.replaceState(null, "", location.pathname + "?" + new URLSearchParams({ query: query }).toString());
    document.getElementById("download-csv").href = downloadLink("csv");
    document.getElementById("download-json").href = downloadLink("json");
    downloads.hidden = false;
    say("Bezig… / running…");
    results.textContent = "";
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9"
      },
      body: new URLSearchParams({ query: query })
    }).then(function (response) {
      var truncated = response.headers.get("X-Impactkg-Truncated") === "true";
      var maxRows = response.headers.get("X-Impactkg-Max-Rows");
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.json().catch(function () { return { error: response.statusText }; })
          .then(function (body) { throw new Error(body.error || response.statusText); });
      }
      var reading = type.indexOf("application/n-triples") === 0 ? response.text() : response.json();
      return reading.then(function (body) {
        show(body, type, query);
        var count = results.querySelectorAll("tbody tr").length;
        var text = count + (count === 1 ? " rij / row" : " rijen / rows") + " in " +
          Math.round(performance.now() - started) + " ms";
        if (truncated) { text += " — afgekapt na " + maxRows + " rijen / truncated after " + maxRows + " rows"; }
        say(text);
      });
    }).catch(function (error) {
      say("Fout / error: " + error.message, true);
    });
  }

  function show(body, type, query) {
    var prefixes = prefixesOf(query);
    if (type.indexOf("application/n-triples") === 0) {
      results.appendChild(table(["subject", "predicate", "object"], triples(body), prefixes));
    } else if (typeof body.boolean === "boolean") {
      results.appendChild(table(["antwoord"], [{ antwoord: { type: "literal",
        value: body.boolean ? "ja (true)" : "nee (false)" } }], prefixes));
    } else {
      results.appendChild(table(body.head.vars, body.results.bindings, prefixes));
    }
  }

  function insertPrefix(name) {
    if (!name) { return; }
    var line = "PREFIX " + name + ": <" + projectPrefixes[name] + ">";
    var declared = new RegExp("PREFIX\\s+" + name + ":", "i");
    if (!declared.test(queryText())) { editor.replaceRange(line + "\n", { line: 0, ch: 0 }); }
    editor.focus();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  document.getElementById("prefix-select").addEventListener("change", function (event) {
    insertPrefix(event.target.value);
    event.target.value = "";
  });
  document.getElementById("example-select").addEventListener("change", function (event) {
    var index = exampleNames.indexOf(event.target.value);
    if (index >= 0) { editor.setValue(examples[index]); editor.focus(); }
  });
  if (new URLSearchParams(location.search).has("query")) { run(); }
}());
