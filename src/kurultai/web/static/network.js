// Network: who meets whom, drawn with d3-force. Container:
// <div id="network" data-src="/api/graph?nodes=country&..." data-country-href="/countries/{id}"
//      data-person-href="/people/{id}">; the JSON is {nodes: [{id, label, type, events, country?, role?}],
// edges: [{source, target, weight}]}. Node area follows events, edge width follows weight; nodes are
// links to their country or person page, can be dragged; the view zooms (buttons, pinch, ctrl + wheel).
// Needs window.d3 (static/vendor/vendor.js). Every string from the data goes in with .text()/.attr().
// Sets data-rendered="true" on the container once drawn (also when showing the "no data" message).
(function () {
  "use strict";
  var d3 = window.d3;
  var CENTRAL_ASIA = { KAZ: 1, KGZ: 1, TJK: 1, TKM: 1, UZB: 1 };
  var PALETTE = ["#1f5fa8", "#e07b00", "#2e7d32", "#c62828", "#7b4fa0", "#00838f", "#8d6e63", "#d4a017", "#5c6bc0", "#ad1457"];
  var MAX_LABELS = 45;

  var message = window.KurultaiChart.message;

  function hrefFor(el, node) {
    var tpl = el.getAttribute(node.type === "person" ? "data-person-href" : "data-country-href");
    return tpl ? tpl.split("{id}").join(encodeURIComponent(node.id)) : null;
  }

  function nodeColor(nodes) {
    // States: Central Asian five in the accent colour, the others in slate. People: by their country.
    var countries = [];
    nodes.forEach(function (n) {
      if (n.type === "person" && n.country && countries.indexOf(n.country) < 0) { countries.push(n.country); }
    });
    var byCountry = d3.scaleOrdinal().domain(countries).range(PALETTE);
    return function (n) {
      if (n.type === "person") { return n.country ? byCountry(n.country) : "#8a93a3"; }
      return CENTRAL_ASIA[n.id] ? "#1f5fa8" : "#6f8fb5";
    };
  }

  function draw(el, data) {
    var root = d3.select(el);
    root.selectAll("*").remove();
    var nodes = ((data && data.nodes) || []).map(function (n) {
      return { id: String(n.id), label: String(n.label == null ? n.id : n.label), type: n.type || "country",
        events: +n.events || 0, country: n.country || null, role: n.role || null };
    });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = ((data && data.edges) || []).filter(function (e) {
      return byId[String(e.source)] && byId[String(e.target)] && String(e.source) !== String(e.target);
    }).map(function (e) { return { source: String(e.source), target: String(e.target), weight: +e.weight || 1 }; });
    if (!nodes.length) {
      message(el, "No participants match these filters.", "no-data");
      el.setAttribute("data-empty", "true");
      return;
    }
    el.removeAttribute("data-empty");

    var width = Math.max(300, Math.round(el.clientWidth || 800));
    var narrow = width < 560;
    var height = narrow ? Math.round(Math.max(380, width * 1.05)) : Math.round(Math.min(640, Math.max(460, width * 0.6)));
    var color = nodeColor(nodes);
    var r = d3.scaleSqrt().domain([0, d3.max(nodes, function (n) { return n.events; }) || 1])
      .range([0, narrow ? 18 : 26]);
    var radius = function (n) { return Math.max(4, r(n.events)); };
    var w = d3.scaleSqrt().domain([1, d3.max(edges, function (e) { return e.weight; }) || 1]).range([1, narrow ? 6 : 9]);
    var maxW = d3.max(edges, function (e) { return e.weight; }) || 1;

    // Static layout: run the simulation to rest before drawing (no jiggling, stable screenshots);
    // dragging a node wakes it up again.
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).id(function (n) { return n.id; })
        .distance(function (e) { return 60 + 50 * (1 - e.weight / maxW) + radius(e.source) + radius(e.target); })
        .strength(function (e) { return 0.15 + 0.6 * e.weight / maxW; }))
      .force("charge", d3.forceManyBody().strength(function (n) { return -120 - 12 * radius(n); }).distanceMax(400))
      .force("collide", d3.forceCollide(function (n) { return radius(n) + 3; }))
      .force("x", d3.forceX(width / 2).strength(narrow ? 0.09 : 0.05))
      .force("y", d3.forceY(height / 2).strength(narrow ? 0.05 : 0.08))
      .stop();
    var ticks = Math.ceil(Math.log(sim.alphaMin()) / Math.log(1 - sim.alphaDecay()));
    for (var i = 0; i < ticks; i += 1) { sim.tick(); }

    var svg = root.append("svg")
      .attr("viewBox", "0 0 " + width + " " + height)
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet")
      .attr("role", "img")
      .attr("aria-label", "Network of " + (nodes[0].type === "person" ? "people" : "states"))
      .style("font", (narrow ? 11 : 12) + "px system-ui, sans-serif")
      .style("touch-action", "none");
    var view = svg.append("g").attr("class", "view");

    var link = view.append("g").attr("class", "edges").attr("stroke", "#8a93a3").attr("stroke-linecap", "round")
      .selectAll("line").data(edges).join("line")
      .attr("stroke-width", function (e) { return w(e.weight); })
      .attr("stroke-opacity", function (e) { return 0.25 + 0.45 * e.weight / maxW; });
    link.append("title").text(function (e) {
      return e.source.label + " \u2013 " + e.target.label + ": " + e.weight + (e.weight === 1 ? " event" : " events") + " together";
    });

    var node = view.append("g").attr("class", "nodes").selectAll("a").data(nodes, function (n) { return n.id; }).join("a")
      .attr("class", "node")
      .attr("data-id", function (n) { return n.id; })
      .attr("data-type", function (n) { return n.type; })
      .each(function (n) {
        var href = hrefFor(el, n);
        if (href) { d3.select(this).attr("href", href); }
      })
      .style("cursor", "pointer");
    node.append("circle")
      .attr("r", radius)
      .attr("fill", color)
      .attr("fill-opacity", 0.88)
      .attr("stroke", "#fff").attr("stroke-width", 1.5);
    node.append("title").text(function (n) {
      var extra = [];
      if (n.type === "person" && n.role) { extra.push(n.role); }
      if (n.type === "person" && n.country) { extra.push(n.country); }
      return n.label + (extra.length ? " (" + extra.join(", ") + ")" : "") + ": " + n.events + (n.events === 1 ? " event" : " events");
    });
    // Labels for the biggest nodes (all of them when few); the rest show theirs on hover via <title>.
    var labelled = {};
    nodes.slice().sort(function (a, b) { return b.events - a.events; }).slice(0, MAX_LABELS)
      .forEach(function (n) { labelled[n.id] = true; });
    node.filter(function (n) { return labelled[n.id]; }).append("text")
      .attr("class", "label")
      .attr("dy", "0.32em")
      .attr("fill", "#1d2330")
      .attr("stroke", "#fff").attr("stroke-width", 3).attr("stroke-linejoin", "round").attr("paint-order", "stroke")
      .style("pointer-events", "none")
      .text(function (n) { return n.type === "country" && narrow && n.label.length > 14 ? n.id : n.label; });

    function place() {
      link.attr("x1", function (e) { return e.source.x; }).attr("y1", function (e) { return e.source.y; })
        .attr("x2", function (e) { return e.target.x; }).attr("y2", function (e) { return e.target.y; });
      node.attr("transform", function (n) { return "translate(" + n.x + "," + n.y + ")"; });
      node.select("text.label")
        .attr("x", function (n) { return n.x > width * 0.72 ? -(radius(n) + 4) : radius(n) + 4; })
        .attr("text-anchor", function (n) { return n.x > width * 0.72 ? "end" : "start"; });
    }
    place();
    sim.on("tick", place);

    // Hover: highlight a node's neighbours.
    var neighbours = {};
    edges.forEach(function (e) {
      neighbours[e.source.id + "\u0000" + e.target.id] = true;
      neighbours[e.target.id + "\u0000" + e.source.id] = true;
    });
    node.on("mouseenter focus", function (event, n) {
      node.attr("opacity", function (m) { return m === n || neighbours[n.id + "\u0000" + m.id] ? 1 : 0.3; });
      link.attr("stroke", function (e) { return e.source === n || e.target === n ? "#1f5fa8" : "#8a93a3"; })
        .attr("opacity", function (e) { return e.source === n || e.target === n ? 1 : 0.25; });
    }).on("mouseleave blur", function () {
      node.attr("opacity", 1);
      link.attr("stroke", "#8a93a3").attr("opacity", 1);
    });

    // Drag (a drag that moved suppresses the click, so it doesn't follow the link).
    node.call(d3.drag()
      .on("start", function (event, n) {
        if (!event.active) { sim.alphaTarget(0.2).restart(); }
        n.fx = n.x; n.fy = n.y;
      })
      .on("drag", function (event, n) { n.fx = event.x; n.fy = event.y; })
      .on("end", function (event, n) {
        if (!event.active) { sim.alphaTarget(0); }
        n.fx = null; n.fy = null;
      }));

    // Zoom and pan: pinch / drag on the background, ctrl + wheel (a plain wheel scrolls the page), buttons.
    var zoom = d3.zoom().scaleExtent([0.3, 8])
      .filter(function (event) {
        if (event.type === "wheel") { return event.ctrlKey || event.metaKey; }
        return (!event.ctrlKey || event.type === "wheel") && !event.button;
      })
      .on("zoom", function (event) { view.attr("transform", event.transform); });
    svg.call(zoom).on("dblclick.zoom", null);
    // Fit everything in view.
    var x0 = d3.min(nodes, function (n) { return n.x - radius(n); }), x1 = d3.max(nodes, function (n) { return n.x + radius(n); });
    var y0 = d3.min(nodes, function (n) { return n.y - radius(n); }), y1 = d3.max(nodes, function (n) { return n.y + radius(n); });
    var pad = 16, labelRoom = narrow ? 40 : 80;
    var k = Math.min(1.6, (width - 2 * pad - labelRoom) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0));
    var fit = d3.zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
    svg.call(zoom.transform, fit);

    var controls = root.append("div").attr("class", "chart-controls")
      .style("position", "absolute").style("top", ".4rem").style("right", ".4rem")
      .style("display", "flex").style("gap", ".25rem");
    [["+", "Zoom in", function () { svg.call(zoom.scaleBy, 1.4); }],
      ["\u2212", "Zoom out", function () { svg.call(zoom.scaleBy, 1 / 1.4); }],
      ["\u27f2", "Fit", function () { svg.call(zoom.transform, fit); }]].forEach(function (b) {
      controls.append("button").attr("type", "button").attr("title", b[1]).attr("aria-label", b[1])
        .style("font", "inherit").style("width", "2rem").style("height", "2rem").style("cursor", "pointer")
        .style("border", "1px solid #d9dee7").style("border-radius", "4px").style("background", "#fff")
        .text(b[0]).on("click", b[2]);
    });
    root.append("p").attr("class", "chart-note")
      .style("margin", "0").style("padding", "0 .8rem .5rem").style("font-size", ".8rem").style("color", "#5b6475")
      .text(nodes.length + (nodes[0].type === "person" ? " people" : " states") + ", " + edges.length +
        (edges.length === 1 ? " link" : " links") + ". Size: events; line width: events together. Click a node to open its page.");
  }

  window.KurultaiChart.mount("network", "the network", {
    libs: ["d3"],
    load: function (el) { return window.KurultaiChart.fetchJSON(el.getAttribute("data-src")); },
    draw: draw,
    redrawAfter: 60,
  });
})();
