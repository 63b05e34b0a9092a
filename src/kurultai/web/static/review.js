// Event page, edit mode: correct fields with values picked from the knowledge base (GET /api/kb), mark
// a span of a source as the evidence of a corrected field, confirm or reject, merge, split sources off.
// Writes go to the review API with the analyst's token, typed once and kept in sessionStorage. Every
// element is built with DOM calls and textContent: no markup is ever made from article text or values.
(function () {
  "use strict";
  var panel = document.getElementById("review");
  if (!panel) { return; }
  var data = JSON.parse(document.getElementById("rv-data").textContent);
  var ev = data.event;
  var id = ev.id;
  var KEY = "kurultai-token";
  var $ = function (x) { return document.getElementById(x); };
  var msg = $("rv-msg");
  var tokenInput = $("rv-token");
  var kb = null;
  var evidence = {};  // field key ("date", "location", "visit", "participants.0") -> [[start, end], ...]
  var evidenceDocs = {};  // the same key -> the sources its spans are in
  var initial = null;

  function say(text, bad) { msg.textContent = text; msg.classList.toggle("bad", !!bad); }
  function token() {
    var t = sessionStorage.getItem(KEY) || tokenInput.value.trim();
    if (t) { sessionStorage.setItem(KEY, t); }
    return t;
  }
  function showToken() {
    var kept = !!sessionStorage.getItem(KEY);
    tokenInput.closest("label").hidden = kept;
    $("rv-forget").hidden = !kept;
  }
  $("rv-forget").addEventListener("click", function () { sessionStorage.removeItem(KEY); showToken(); });
  showToken();

  function problem(body, status) {
    var d = body && body.detail;
    if (d && typeof d === "object" && d.field) { return d.field + ": " + d.message; }
    return (typeof d === "string" ? d : "error") + " (" + status + ")";
  }
  function send(method, url, body) {
    var t = token();
    if (!t) { say("Type your token first.", true); return Promise.reject(new Error("no token")); }
    say("Saving…");
    return fetch(url, {
      method: method, body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + t }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok) {
          if (r.status === 401) { sessionStorage.removeItem(KEY); showToken(); }
          say(problem(b, r.status), true);
          throw new Error("refused");
        }
        return b;
      });
    });
  }
  function reason() { return $("rv-reason").value.trim(); }
  function reload() { window.location.reload(); }

  // -- small builders ---------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function datalist(name, values) {
    if ($("rv-list-" + name)) { return "rv-list-" + name; }
    var dl = el("datalist", { id: "rv-list-" + name });
    values.forEach(function (v) { var o = el("option", { value: v[0] }); o.textContent = v[1] || ""; dl.appendChild(o); });
    panel.appendChild(dl);
    return "rv-list-" + name;
  }
  function select(name, options, value, blank) {
    var s = el("select", { name: name, id: "rv-" + name.replace(/\./g, "-") });
    if (blank) { s.appendChild(el("option", { value: "" }, blank)); }
    options.forEach(function (o) { var x = el("option", { value: o }, o); if (o === value) { x.selected = true; } s.appendChild(x); });
    return s;
  }
  function input(name, value, attrs) {
    var i = el("input", Object.assign({ name: name, id: "rv-" + name.replace(/\./g, "-") }, attrs || {}));
    i.value = value === null || value === undefined ? "" : value;
    return i;
  }
  function row(label, control) {  // a label element only around a single control (never around labels)
    var p = el("div", { "class": "rv-row" });
    var simple = /^(INPUT|SELECT)$/.test(control.tagName);
    var l = el(simple ? "label" : "span", { "class": "rv-label" }, label + " ");
    if (simple) { l.appendChild(control); p.appendChild(l); } else { p.appendChild(l); p.appendChild(control); }
    return p;
  }

  // a set of ids (countries, organisations) as removable chips and a searchable input to add one
  function chips(name, values, listId) {
    var box = el("div", { "class": "chips", id: "rv-" + name });
    var list = el("span", { "class": "chip-list" });
    function add(v) {
      v = v.trim();
      if (!v || box.values.indexOf(v) >= 0) { return; }
      box.values.push(v);
      var c = el("span", { "class": "chip" }, v + " ");
      var x = el("button", { type: "button", "aria-label": "remove " + v }, "×");
      x.addEventListener("click", function () { box.values.splice(box.values.indexOf(v), 1); list.removeChild(c); });
      c.appendChild(x);
      list.appendChild(c);
    }
    box.values = [];
    values.forEach(add);
    var inp = el("input", { list: listId, id: "rv-" + name + "-add", size: "10", placeholder: "search…" });
    var b = el("button", { type: "button", id: "rv-" + name + "-plus" }, "add");
    function take() { add(inp.value.split(" ")[0].toUpperCase()); inp.value = ""; }
    b.addEventListener("click", take);
    inp.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); take(); } });
    box.appendChild(list); box.appendChild(inp); box.appendChild(b);
    return box;
  }

  function participantRow(p, i) {
    var r = el("div", { "class": "rv-participant", "data-i": String(i) });
    var name = input("participants." + i + ".name", p.name, { size: "14", "aria-label": "name as written" });
    var en = input("participants." + i + ".name_en", p.name_en, { size: "14", list: datalist("people", kb.people.map(function (x) {
      return [x.name_en, (x.country || "") + " " + x.roles.join(", ")]; })), "aria-label": "English name" });
    var role = select("participants." + i + ".role", kb.roles, p.role);
    var country = input("participants." + i + ".country", p.country, { size: "4", list: "rv-list-countries", "aria-label": "state" });
    en.addEventListener("change", function () {  // a KB person brings their state
      var known = kb.people.filter(function (x) { return x.name_en === en.value; })[0];
      if (known && !country.value) { country.value = known.country || ""; }
      if (known && !name.value) { name.value = known.name_en; }
    });
    var x = el("button", { type: "button", "aria-label": "remove participant" }, "×");
    x.addEventListener("click", function () { r.parentNode.removeChild(r); evidenceChoices(); });
    [name, en, role, country, x].forEach(function (c) { r.appendChild(c); });
    return r;
  }

  function build() {
    var box = $("rv-fields");
    box.textContent = "";
    datalist("countries", kb.countries.map(function (c) { return [c.id, c.name]; }));
    datalist("orgs", kb.organizations.map(function (o) { return [o.id, o.name]; }));
    datalist("formats", kb.formats.map(function (f) { return [f, ""]; }));
    datalist("places", kb.places.map(function (p) { return [p.name, p.country]; }));
    box.appendChild(row("status", select("status", kb.statuses, ev.status)));
    box.appendChild(row("mode", select("mode", kb.modes, ev.mode)));
    box.appendChild(row("format", select("format", kb.kinds, ev.format)));
    box.appendChild(row("named format", input("named_format", ev.named_format, { list: "rv-list-formats", size: "12" })));
    var d = ev.date || {};
    var date = el("span", { "class": "rv-date" });
    date.appendChild(input("date.start", d.start, { type: "date", "aria-label": "first day" }));
    date.appendChild(document.createTextNode(" – "));
    date.appendChild(input("date.end", d.end, { type: "date", "aria-label": "last day" }));
    date.appendChild(select("date.precision", kb.precisions, d.precision || "day"));
    box.appendChild(row("date", date));
    var l = ev.location || {};
    var place = el("span");
    place.appendChild(input("location.name", l.name, { list: "rv-list-places", size: "12", "aria-label": "place" }));
    place.appendChild(input("location.country", l.country, { list: "rv-list-countries", size: "4", "aria-label": "its state" }));
    box.appendChild(row("place", place));
    box.appendChild(row("countries", chips("countries", ev.countries, "rv-list-countries")));
    box.appendChild(row("organisations", chips("organizations", ev.organizations, "rv-list-orgs")));
    var v = ev.visit || {};
    var visit = el("span");
    visit.appendChild(select("visit.type", kb.visit_types, v.type, "no visit"));
    visit.appendChild(input("visit.visitor", v.visitor, { list: "rv-list-countries", size: "4", "aria-label": "visitor" }));
    visit.appendChild(document.createTextNode(" → "));
    visit.appendChild(input("visit.host", v.host, { list: "rv-list-countries", size: "4", "aria-label": "host" }));
    box.appendChild(row("visit", visit));
    var topics = el("span", { "class": "rv-topics" });
    kb.topics.forEach(function (t) {
      var lab = el("label");
      var c = el("input", { type: "checkbox", name: "topic", value: t });
      c.checked = ev.topics.indexOf(t) >= 0;
      lab.appendChild(c); lab.appendChild(document.createTextNode(" " + t + " "));
      topics.appendChild(lab);
    });
    box.appendChild(row("topics", topics));
    var people = el("div", { id: "rv-participants" });
    ev.participants.forEach(function (p, i) { people.appendChild(participantRow(p, i)); });
    box.appendChild(el("p", { "class": "rv-row" }, "participants (as written · English · role · state)"));
    box.appendChild(people);
    var more = el("button", { type: "button", id: "rv-add-participant" }, "add participant");
    more.addEventListener("click", function () {
      people.appendChild(participantRow({ name: "", name_en: "", role: "other", country: "" }, people.children.length + 1000));
      evidenceChoices();
    });
    box.appendChild(more);
    evidence = {}; evidenceDocs = {};
    evidenceChoices();
    showEvidence();
    initial = collect();
  }

  function val(name) { var e = $("rv-" + name.replace(/\./g, "-")); return e ? e.value.trim() : ""; }
  function spans(key) { return (evidence[key] || []).slice(); }

  // the form's values in the contract's form, one per field of the guide
  function collect() {
    var out = {
      status: val("status"), mode: val("mode"), format: val("format"), named_format: val("named_format") || null,
      date: val("date.start") ? { start: val("date.start"), end: val("date.end") || val("date.start"),
                                 precision: val("date.precision"), evidence: spans("date") } : null,
      countries: $("rv-countries").values.slice().sort(), organizations: $("rv-organizations").values.slice().sort(),
      topics: Array.prototype.filter.call(document.querySelectorAll("#rv-fields input[name=topic]"), function (c) { return c.checked; })
        .map(function (c) { return c.value; }).sort(),
      participants: Array.prototype.map.call(document.querySelectorAll(".rv-participant"), function (r, k) {
        var f = function (x) { return r.querySelector("[name$='." + x + "']").value.trim(); };
        return { name: f("name") || f("name_en"), name_en: f("name_en"), role: f("role"), country: f("country") || null,
                 evidence: spans("participants." + k) };
      })
    };
    var place = val("location.name");
    var known = kb.places.filter(function (p) { return p.name === place && (!val("location.country") || p.country === val("location.country")); })[0];
    out.location = place ? { name: place, country: val("location.country") || (known ? known.country : ""),
                             lat: known ? known.lat : null, lon: known ? known.lon : null, evidence: spans("location") } : null;
    out.visit = val("visit.type") ? { type: val("visit.type"), visitor: val("visit.visitor"), host: val("visit.host"),
                                      evidence: spans("visit") } : null;
    return out;
  }

  function evidenceChoices() {
    var s = $("rv-ev-field");
    s.textContent = "";
    ["date", "location", "visit"].forEach(function (f) { s.appendChild(el("option", { value: f }, f)); });
    document.querySelectorAll(".rv-participant").forEach(function (r, k) {
      var en = r.querySelector("[name$='.name_en']").value || "participant " + (k + 1);
      s.appendChild(el("option", { value: "participants." + k }, "participant: " + en));
    });
  }
  function showEvidence() {
    var ul = $("rv-ev-list");
    ul.textContent = "";
    Object.keys(evidence).forEach(function (k) {
      evidence[k].forEach(function (sp, j) {
        var li = el("li", { "class": "rv-ev" }, k + ": source " + evidenceDocs[k][j] + " [" + sp[0] + ":" + sp[1] + "] «" + sp[2] + "» ");
        var x = el("button", { type: "button", "aria-label": "remove evidence" }, "×");
        x.addEventListener("click", function () { evidence[k].splice(j, 1); evidenceDocs[k].splice(j, 1); showEvidence(); });
        li.appendChild(x);
        ul.appendChild(li);
      });
    });
  }
  // the selection as a [start, end) span of code points in its source's text (the guide's span form)
  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    var text = range.startContainer.parentElement && range.startContainer.parentElement.closest(".source .text");
    if (!text || !text.contains(range.endContainer)) { return null; }
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = Array.from(before.toString()).length;
    var quote = range.toString();
    return { doc: text.closest(".source").id.replace("doc-", ""), start: start, end: start + Array.from(quote).length, quote: quote };
  }
  var lastSpan = null;  // a click on the button may clear the selection: the last one made counts
  document.addEventListener("selectionchange", function () { lastSpan = selectedSpan() || lastSpan; });
  $("rv-mark").addEventListener("click", function () {
    var sp = selectedSpan() || lastSpan;
    lastSpan = null;
    if (!sp) { say("Select words inside one source's text first.", true); return; }
    var k = $("rv-ev-field").value;
    (evidence[k] = evidence[k] || []).push([sp.start, sp.end, sp.quote.slice(0, 60)]);
    (evidenceDocs[k] = evidenceDocs[k] || []).push(sp.doc);
    showEvidence();
    say("Marked as the evidence of " + k + ".");
  });

  function strip(v) {  // the spans without the quotes shown beside them
    return JSON.parse(JSON.stringify(v, function (k, x) {
      return k === "evidence" ? x.map(function (s) { return [s[0], s[1]]; }) : x;
    }));
  }

  $("rv-edit").addEventListener("click", function () {
    var open = function () { build(); $("rv-form").hidden = false; $("rv-edit").hidden = true; };
    if (kb) { open(); return; }
    fetch("/api/kb").then(function (r) { return r.json(); }).then(function (b) { kb = b; open(); });
  });
  $("rv-cancel").addEventListener("click", function () { $("rv-form").hidden = true; $("rv-edit").hidden = false; });
  $("rv-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var now = collect();
    var changes = {};
    var marked = Object.keys(evidence).filter(function (k) { return evidence[k].length; })
      .map(function (k) { return k.split(".")[0]; });
    Object.keys(now).forEach(function (f) {
      if (JSON.stringify(now[f]) !== JSON.stringify(initial[f]) || marked.indexOf(f) >= 0) { changes[f] = strip(now[f]); }
    });
    if (!Object.keys(changes).length) { say("Nothing changed.", true); return; }
    var why = reason();
    var docs = Object.keys(evidenceDocs).map(function (k) { return k + " in source " + evidenceDocs[k].join(", "); });
    if (docs.length) { why = (why ? why + "; " : "") + "evidence: " + docs.join("; "); }
    send("PATCH", "/api/events/" + id, { changes: changes, reason: why }).then(reload, function () {});
  });
  $("rv-confirm").addEventListener("click", function () {
    send("POST", "/api/events/" + id + "/review", { decision: "confirm", reason: reason() }).then(reload, function () {});
  });
  $("rv-reject").addEventListener("click", function () {
    send("POST", "/api/events/" + id + "/review", { decision: "reject", reason: reason() }).then(reload, function () {});
  });
  $("rv-merge").addEventListener("click", function () {
    var other = parseInt($("rv-merge-id").value, 10);
    if (!(other > 0) || other === id) { say("The id of another event.", true); return; }
    send("POST", "/api/events/merge", { ids: [id, other], reason: reason() }).then(function (b) {
      window.location.assign("/events/" + b.id);
    }, function () {});
  });
  var split = $("rv-split");
  if (split) {
    split.addEventListener("click", function () {
      var docs = Array.prototype.filter.call(document.querySelectorAll(".rv-split-doc"), function (c) { return c.checked; })
        .map(function (c) { return parseInt(c.value, 10); });
      if (!docs.length) { say("Tick the sources to split off.", true); return; }
      send("POST", "/api/events/" + id + "/split", { documents: docs, reason: reason() }).then(reload, function () {});
    });
  }
})();
