// Event page, edit mode: correct fields with values picked from the knowledge base (GET /api/kb), shown
// in words (the codes are the values sent), add or remove outcomes and figures, mark a span of a source as
// the evidence of a corrected field (or take a marked one back), confirm or reject, merge, split sources off.
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
  var evidence = {};  // field key ("date", "location", "visit", "participants.3": a row's data-i) -> [[start, end, quote], ...]
  var evidenceDocs = {};  // the same key -> the sources its spans are in
  var unmark = {};  // ids of stored marked spans to take back on saving
  var initial = null;
  var serial = 1000;  // data-i of rows added in the form (those of the event's values are their index)

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
    if (d && typeof d === "object" && d.field) { showErrors([{ field: d.field, message: d.message }]); return "Not saved: " + d.field + " (see above)."; }
    if (Array.isArray(d) && d.length && d[0].loc) {  // FastAPI's own 422: the body's shape
      var f = d[0].loc.filter(function (x) { return x !== "body"; }).join(".");
      showErrors([{ field: f, message: d[0].msg }]);
      return f + ": " + d[0].msg;
    }
    return (typeof d === "string" ? d : "error") + " (" + status + ")";
  }
  // the form's errors listed above the save button, each field's control outlined ("figures.1.value":
  // the value of the form's second figure)
  var ROWS = { participants: ".rv-participant", outcomes: ".rv-outcome", figures: ".rv-figure" };
  function control(field) {
    var m = /^(participants|outcomes|figures)\.(\d+)\.(\w+)/.exec(field);
    if (m) {
      var r = document.querySelectorAll(ROWS[m[1]])[parseInt(m[2], 10)];
      return r ? r.querySelector("[name$='." + m[3] + "']") : null;
    }
    return $("rv-" + field.replace(/\./g, "-"));
  }
  function showErrors(list) {
    var ul = $("rv-errors");
    ul.textContent = "";
    document.querySelectorAll("#rv-form .rv-invalid").forEach(function (c) { c.classList.remove("rv-invalid"); c.removeAttribute("aria-invalid"); });
    (list || []).forEach(function (e) {
      var c = control(e.field);
      if (c) { c.classList.add("rv-invalid"); c.setAttribute("aria-invalid", "true"); }
      ul.appendChild(el("li", {}, describe(e.field) + ": " + e.message));
    });
    ul.hidden = !(list && list.length);
    if (list && list.length) { var first = control(list[0].field); if (first) { first.focus(); } }
  }
  function describe(field) {  // "figures.1.value" -> "figure 2, value"
    var m = /^(participants|outcomes|figures)\.(\d+)\.(\w+)$/.exec(field);
    return m ? m[1].replace(/s$/, "") + " " + (parseInt(m[2], 10) + 1) + ", " + m[3] : field;
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
  // a code typed or picked (a state's ISO code, a format id) with its name beside it, as it changes
  function coded(inp, name) {
    var box = el("span", { "class": "rv-coded" });
    var hint = el("small", { "class": "rv-hint", "aria-live": "polite" });
    function show() { var v = inp.value.trim(); hint.textContent = v ? (name(v) || "not in the KB") : ""; }
    inp.addEventListener("input", show);
    inp.addEventListener("change", show);
    show();
    box.appendChild(inp); box.appendChild(hint);
    return box;
  }
  var stateNames = {};
  function stateName(code) { return code ? stateNames[String(code).toUpperCase()] || "" : ""; }
  function formatName(id) { return kb.words && kb.words.formats ? kb.words.formats[id] || "" : ""; }
  function words(list, code) {  // a code's words (web/labels.py, through GET /api/kb); the code itself when none
    var w = kb && kb.words && kb.words[list];
    return (w && w[code]) || String(code).replace(/_/g, " ");
  }
  function select(name, options, value, blank, list) {  // options are codes, shown in the words of `list`
    var s = el("select", { name: name, id: "rv-" + name.replace(/\./g, "-") });
    if (blank) { s.appendChild(el("option", { value: "" }, blank)); }
    options.forEach(function (o) {
      var x = el("option", { value: o }, list ? words(list, o) : o);
      if (o === value) { x.selected = true; }
      s.appendChild(x);
    });
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
  function chips(name, values, listId, names) {
    var box = el("div", { "class": "chips", id: "rv-" + name });
    var list = el("span", { "class": "chip-list" });
    function add(v) {
      v = v.trim();
      if (!v || box.values.indexOf(v) >= 0) { return; }
      box.values.push(v);
      var c = el("span", { "class": "chip", title: v }, (names[v] ? names[v] + " (" + v + ")" : v) + " ");
      var x = el("button", { type: "button", "aria-label": "remove " + (names[v] || v) }, "×");
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
      return [x.name_en, [stateName(x.country), x.roles.map(function (r) { return words("roles", r); }).join(", ")]
        .filter(Boolean).join(" · ")]; })), "aria-label": "English name" });
    var role = select("participants." + i + ".role", kb.roles, p.role, null, "roles");
    var country = input("participants." + i + ".country", p.country, { size: "4", list: "rv-list-countries", "aria-label": "state" });
    var countryBox = coded(country, stateName);
    en.addEventListener("change", function () {  // a KB person brings their state
      var known = kb.people.filter(function (x) { return x.name_en === en.value; })[0];
      if (known && !country.value) { country.value = known.country || ""; country.dispatchEvent(new Event("input")); }
      if (known && !name.value) { name.value = known.name_en; }
    });
    var x = el("button", { type: "button", "aria-label": "remove participant" }, "×");
    x.addEventListener("click", function () { drop(r, "participants." + i); });
    [name, en, role, countryBox, x].forEach(function (c) { r.appendChild(c); });
    return r;
  }
  function drop(r, key) {  // a row taken out of the form, and the spans marked for it
    r.parentNode.removeChild(r);
    delete evidence[key]; delete evidenceDocs[key];
    evidenceChoices(); showEvidence();
  }

  // an outcome: the kind of document signed or adopted, and its title as written
  function outcomeRow(o, i) {
    var r = el("div", { "class": "rv-outcome", "data-i": String(i) });
    r.appendChild(select("outcomes." + i + ".type", kb.outcome_types, o.type || "agreement", null, "outcome_types"));
    r.appendChild(input("outcomes." + i + ".title", o.title, { size: "24", maxlength: "5000", "aria-label": "title as written",
                                                               placeholder: "title as written" }));
    var x = el("button", { type: "button", "aria-label": "remove outcome" }, "×");
    x.addEventListener("click", function () { drop(r, "outcomes." + i); });
    r.appendChild(x);
    r.querySelector("[name$='.title']").addEventListener("change", evidenceChoices);
    return r;
  }
  // a figure: what it measures, its value in units (2 bn USD is 2000000000), the unit, actual or target, the year
  function figureRow(f, i) {
    var r = el("div", { "class": "rv-figure", "data-i": String(i) });
    r.appendChild(select("figures." + i + ".indicator", kb.indicators, f.indicator || "trade_turnover", null, "indicators"));
    var value = input("figures." + i + ".value", f.value, { type: "number", step: "any", min: "0", size: "12",
                                                          "aria-label": "value in units", placeholder: "value" });
    var unit = input("figures." + i + ".unit", f.unit === undefined ? "USD" : f.unit, { size: "4", maxlength: "8",
                                                                                      "aria-label": "unit", placeholder: "unit" });
    var shown = el("small", { "class": "rv-figure-words" });
    function say() { shown.textContent = value.value === "" ? "" : "= " + figureWords(parseFloat(value.value), unit.value); evidenceChoices(); }
    value.addEventListener("input", say); unit.addEventListener("input", say);
    r.appendChild(value); r.appendChild(unit);
    r.appendChild(select("figures." + i + ".kind", kb.figure_kinds, f.kind || "actual", null, "figure_kinds"));
    r.appendChild(input("figures." + i + ".year", f.year, { type: "number", step: "1", min: "1900", max: "2100", size: "5",
                                                           "aria-label": "year", placeholder: "year" }));
    var x = el("button", { type: "button", "aria-label": "remove figure" }, "×");
    x.addEventListener("click", function () { drop(r, "figures." + i); });
    r.appendChild(x);
    r.appendChild(shown);
    if (f.value !== undefined && f.value !== null) { shown.textContent = "= " + figureWords(f.value, f.unit); }
    return r;
  }
  function figureWords(v, unit) {  // as web/labels.figure: 44000000000 USD -> "44 bn USD"
    if (!isFinite(v)) { return "not a number"; }
    unit = unit ? " " + unit : "";
    var sizes = [[1e12, "tn"], [1e9, "bn"], [1e6, "mn"]];
    for (var k = 0; k < sizes.length; k++) {
      if (Math.abs(v) >= sizes[k][0]) { return Number((v / sizes[k][0]).toPrecision(3)) + " " + sizes[k][1] + unit; }
    }
    return Math.round(v).toLocaleString("en") + unit;
  }
  function listBox(id, label, items, rowOf, blank, addLabel) {
    var box = $("rv-fields");
    var list = el("div", { id: id });
    items.forEach(function (x, i) { list.appendChild(rowOf(x, i)); });
    box.appendChild(el("p", { "class": "rv-row" }, label));
    box.appendChild(list);
    var more = el("button", { type: "button", id: id.replace(/s$/, "").replace("rv-", "rv-add-") }, addLabel);
    more.addEventListener("click", function () {
      var r = rowOf(blank, serial++);
      list.appendChild(r);
      evidenceChoices();
      var first = r.querySelector("input");
      if (first) { first.focus(); }
    });
    box.appendChild(more);
  }

  function build() {
    var box = $("rv-fields");
    box.textContent = "";
    datalist("countries", kb.countries.map(function (c) { return [c.id, c.name]; }));
    datalist("orgs", kb.organizations.map(function (o) { return [o.id, o.name]; }));
    datalist("formats", kb.formats.map(function (f) { return [f, words("formats", f)]; }));
    datalist("places", kb.places.map(function (p) { return [p.name, stateName(p.country)]; }));
    box.appendChild(row("status", select("status", kb.statuses, ev.status, null, "statuses")));
    box.appendChild(row("mode", select("mode", kb.modes, ev.mode, null, "modes")));
    box.appendChild(row("format", select("format", kb.kinds, ev.format, null, "kinds")));
    box.appendChild(row("named format", coded(input("named_format", ev.named_format, { list: "rv-list-formats", size: "12",
                                                                                       "aria-label": "named format" }), formatName)));
    var d = ev.date || {};
    var date = el("span", { "class": "rv-date" });
    date.appendChild(input("date.start", d.start, { type: "date", "aria-label": "first day" }));
    date.appendChild(document.createTextNode(" – "));
    date.appendChild(input("date.end", d.end, { type: "date", "aria-label": "last day" }));
    date.appendChild(select("date.precision", kb.precisions, d.precision || "day", null, "precisions"));
    box.appendChild(row("date", date));
    var l = ev.location || {};
    var place = el("span");
    place.appendChild(input("location.name", l.name, { list: "rv-list-places", size: "12", "aria-label": "place" }));
    place.appendChild(coded(input("location.country", l.country, { list: "rv-list-countries", size: "4", "aria-label": "its state" }), stateName));
    box.appendChild(row("place", place));
    var orgNames = {};
    kb.organizations.forEach(function (o) { orgNames[o.id] = o.name; });
    box.appendChild(row("countries", chips("countries", ev.countries, "rv-list-countries", stateNames)));
    box.appendChild(row("organisations", chips("organizations", ev.organizations, "rv-list-orgs", orgNames)));
    var v = ev.visit || {};
    var visit = el("span");
    visit.appendChild(select("visit.type", kb.visit_types, v.type, "no visit", "visit_types"));
    visit.appendChild(coded(input("visit.visitor", v.visitor, { list: "rv-list-countries", size: "4", "aria-label": "visitor" }), stateName));
    visit.appendChild(document.createTextNode(" → "));
    visit.appendChild(coded(input("visit.host", v.host, { list: "rv-list-countries", size: "4", "aria-label": "host" }), stateName));
    box.appendChild(row("visit", visit));
    var topics = el("span", { "class": "rv-topics" });
    kb.topics.forEach(function (t) {
      var lab = el("label");
      var c = el("input", { type: "checkbox", name: "topic", value: t });
      c.checked = ev.topics.indexOf(t) >= 0;
      lab.appendChild(c); lab.appendChild(document.createTextNode(" " + words("topics", t) + " "));
      topics.appendChild(lab);
    });
    box.appendChild(row("topics", topics));
    var people = el("div", { id: "rv-participants" });
    ev.participants.forEach(function (p, i) { people.appendChild(participantRow(p, i)); });
    box.appendChild(el("p", { "class": "rv-row" }, "participants (as written · English · role · state)"));
    box.appendChild(people);
    var more = el("button", { type: "button", id: "rv-add-participant" }, "add participant");
    more.addEventListener("click", function () {
      people.appendChild(participantRow({ name: "", name_en: "", role: "other", country: "" }, serial++));
      evidenceChoices();
    });
    box.appendChild(more);
    listBox("rv-outcomes", "outcomes (documents signed or adopted: kind · title as written)", ev.outcomes, outcomeRow,
            { type: "agreement", title: "" }, "add outcome");
    listBox("rv-figures", "figures (what it measures · value in units · unit · actual or target · year)", ev.figures, figureRow,
            { indicator: "trade_turnover", value: null, unit: "USD", kind: "actual", year: null }, "add figure");
    evidence = {}; evidenceDocs = {}; unmark = {};
    showErrors([]);
    evidenceChoices();
    showEvidence();
    initial = collect();
  }

  function rows(selector, make) {  // the form's rows of a list field, each made from its controls' values
    return Array.prototype.map.call(document.querySelectorAll(selector), function (r) {
      return make(function (x) { return r.querySelector("[name$='." + x + "']").value.trim(); }, r.getAttribute("data-i"));
    });
  }
  // what the page can tell before asking the server (which checks everything again)
  function check(now) {
    var errors = [];
    if (now.date && now.date.end < now.date.start) { errors.push({ field: "date.end", message: "the last day is before the first" }); }
    now.outcomes.forEach(function (o, k) {
      if (!o.title) { errors.push({ field: "outcomes." + k + ".title", message: "the title, as the text writes it" }); }
    });
    now.figures.forEach(function (f, k) {
      if (f.value === null || !isFinite(f.value)) { errors.push({ field: "figures." + k + ".value", message: "a number, in units (2 bn is 2000000000)" }); }
      if (!f.unit) { errors.push({ field: "figures." + k + ".unit", message: "a unit (USD, EUR, t, ...)" }); }
      if (f.year !== null && !(Number.isInteger(f.year) && f.year >= 1900 && f.year <= 2100)) {
        errors.push({ field: "figures." + k + ".year", message: "a year (1900-2100), or empty" });
      }
    });
    return errors;
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
      participants: rows(".rv-participant", function (f, key) {
        return { name: f("name") || f("name_en"), name_en: f("name_en"), role: f("role"), country: f("country") || null,
                 evidence: spans("participants." + key) };
      }),
      outcomes: rows(".rv-outcome", function (f, key) {
        return { type: f("type"), title: f("title"), evidence: spans("outcomes." + key) };
      }),
      figures: rows(".rv-figure", function (f, key) {
        var v = f("value"), y = f("year");
        return { indicator: f("indicator"), value: v === "" ? null : Number(v), unit: f("unit"), kind: f("kind"),
                 year: y === "" ? null : Number(y), evidence: spans("figures." + key) };
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
    var was = s.value;
    s.textContent = "";
    [["date", "date"], ["location", "place"], ["visit", "visit"], ["status", "status"], ["mode", "mode"], ["format", "format"],
     ["named_format", "named format"], ["countries", "countries"], ["organizations", "organisations"], ["topics", "topics"]]
      .forEach(function (f) { s.appendChild(el("option", { value: f[0] }, f[1])); });
    Object.keys(ROWS).forEach(function (field) {
      document.querySelectorAll(ROWS[field]).forEach(function (r) {
        var key = field + "." + r.getAttribute("data-i");
        s.appendChild(el("option", { value: key }, keyWords(key)));
      });
    });
    if (was && s.querySelector("option[value='" + was + "']")) { s.value = was; }
  }
  function rowOf(key) {
    var m = /^(participants|outcomes|figures)\.(\d+)$/.exec(key);
    return m ? document.querySelector(ROWS[m[1]] + "[data-i='" + m[2] + "']") : null;
  }
  function item(key) {  // which value of a list field a key's spans support: as the store's evidence names it
    var r = rowOf(key);
    if (!r) { return null; }
    var f = function (x) { return r.querySelector("[name$='." + x + "']").value.trim(); };
    if (r.classList.contains("rv-participant")) { return f("name_en") || f("name") || null; }
    if (r.classList.contains("rv-outcome")) { return f("title").slice(0, 500) || null; }
    return [f("indicator"), f("value"), f("unit")].join(" ").trim() || null;
  }
  function keyWords(key) {  // "participants.0" -> "participant: Sergey Lavrov"
    var r = rowOf(key);
    if (!r) { return key; }
    var k = Array.prototype.indexOf.call(document.querySelectorAll("." + r.className.split(" ")[0]), r) + 1;
    var f = function (x) { return r.querySelector("[name$='." + x + "']").value.trim(); };
    if (r.classList.contains("rv-participant")) { return "participant: " + (f("name_en") || f("name") || k); }
    if (r.classList.contains("rv-outcome")) { return "outcome: " + (f("title") || words("outcome_types", f("type")) + " " + k).slice(0, 60); }
    return "figure: " + words("indicators", f("indicator")) + (f("value") ? " " + figureWords(parseFloat(f("value")), f("unit")) : " " + k);
  }
  function showEvidence() {
    var ul = $("rv-ev-list");
    ul.textContent = "";
    (data.marks || []).forEach(function (m) {  // marked before (highlighted in the sources): can be taken back
      var li = el("li", { "class": "rv-ev rv-ev-stored" + (unmark[m.id] ? " gone" : ""), "data-mark": String(m.id) },
                  m.label + ": source " + m.document_id + " «" + m.quote + "» (" + m.actor + ") ");
      var x = el("button", { type: "button", "aria-label": (unmark[m.id] ? "keep" : "take back") + " evidence" }, unmark[m.id] ? "keep" : "×");
      x.addEventListener("click", function () { if (unmark[m.id]) { delete unmark[m.id]; } else { unmark[m.id] = true; } showEvidence(); });
      li.appendChild(x);
      ul.appendChild(li);
    });
    Object.keys(evidence).forEach(function (k) {
      evidence[k].forEach(function (sp, j) {
        var li = el("li", { "class": "rv-ev" }, keyLabel(k) + ": source " + evidenceDocs[k][j] + " «" + sp[2] + "» ");
        var x = el("button", { type: "button", "aria-label": "remove evidence" }, "×");
        x.addEventListener("click", function () { evidence[k].splice(j, 1); evidenceDocs[k].splice(j, 1); showEvidence(); });
        li.appendChild(x);
        ul.appendChild(li);
      });
    });
  }
  function keyLabel(k) {
    var o = $("rv-ev-field").querySelector("option[value='" + k + "']");
    return o ? o.textContent : keyWords(k);
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
    say("Marked as the evidence of " + keyLabel(k) + ".");
  });

  function strip(v) {  // the spans without the quotes shown beside them
    return JSON.parse(JSON.stringify(v, function (k, x) {
      return k === "evidence" ? x.map(function (s) { return [s[0], s[1]]; }) : x;
    }));
  }

  $("rv-edit").addEventListener("click", function () {
    var open = function () { build(); $("rv-form").hidden = false; $("rv-edit").hidden = true; };
    if (kb) { open(); return; }
    fetch("/api/kb").then(function (r) { return r.json(); }).then(function (b) {
      kb = b;
      kb.countries.forEach(function (c) { stateNames[c.id] = c.name; });
      open();
    });
  });
  $("rv-cancel").addEventListener("click", function () { $("rv-form").hidden = true; $("rv-edit").hidden = false; });
  $("rv-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var now = collect();
    var errors = check(now);
    showErrors(errors);
    if (errors.length) { say("Fix the marked fields first.", true); return; }
    var changes = {};
    var keys = Object.keys(evidence).filter(function (k) { return evidence[k].length; });
    var marked = keys.map(function (k) { return k.split(".")[0]; });
    Object.keys(now).forEach(function (f) {  // a field with spans marked is kept as it stands (reviewed)
      if (JSON.stringify(now[f]) !== JSON.stringify(initial[f]) || marked.indexOf(f) >= 0) { changes[f] = strip(now[f]); }
    });
    var marks = [];  // each span with the source it is in and the field (and value) it supports
    keys.forEach(function (k) {
      evidence[k].forEach(function (sp, j) {
        marks.push({ field: k.split(".")[0], item: item(k), document_id: parseInt(evidenceDocs[k][j], 10), span: [sp[0], sp[1]] });
      });
    });
    var gone = Object.keys(unmark).map(function (x) { return parseInt(x, 10); });
    if (!Object.keys(changes).length && !marks.length && !gone.length) { say("Nothing changed.", true); return; }
    send("PATCH", "/api/events/" + id, { changes: changes, evidence: marks, unmark: gone, reason: reason() }).then(reload, function () {});
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
