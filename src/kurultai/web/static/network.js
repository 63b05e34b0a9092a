// Network: who meets whom, drawn with d3-force. Container:
// <div id="network" data-src="/api/graph?nodes=country&..." data-country-href="/countries/{id}"
//      data-person-href="/people/{id}">; the JSON is {nodes: [{id, label, type, events, country?, role?}],
// edges: [{source, target, weight}]}. Node area follows events, edge width follows weight; nodes are
// links to their country or person page, can be dragged; the view zooms (buttons, pinch, ctrl + wheel).
// Needs window.d3 (static/vendor/vendor.js). Every string from the data goes in with .text()/.attr().
// Edges are drawn under the nodes; labels go to the biggest nodes only where they overlap no other label
// and no circle (the others show theirs on hover); a legend under the chart says what colour, size and
// line width mean (data-names on the container: {ISO3: name} for the people's states).
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
    // States: Central Asian five in the accent colour, the others in slate. People: by their country
    // (the states with most people first get the palette's colours; the rest are grey).
    var count = {};
    nodes.forEach(function (n) {
      if (n.type === "person" && n.country) { count[n.country] = (count[n.country] || 0) + n.events; }
    });
    var countries = Object.keys(count).sort(function (a, b) { return count[b] - count[a] || (a < b ? -1 : 1); });
    var coloured = countries.slice(0, PALETTE.length);
    var byCountry = d3.scaleOrdinal().domain(coloured).range(PALETTE);
    var fn = function (n) {
      if (n.type === "person") { return n.country && coloured.indexOf(n.country) >= 0 ? byCountry(n.country) : "#8a93a3"; }
      return CENTRAL_ASIA[n.id] ? "#1f5fa8" : "#6f8fb5";
    };
    fn.legend = coloured.map(function (c) { return [c, byCountry(c)]; });
    fn.others = countries.length > coloured.length || nodes.some(function (n) { return n.type === "person" && !n.country; });
    return fn;
  }

  function legend(el, nodes, color) {
    var names = wordsOf(el).names;
    var box = d3.select(el).append("div").attr("class", "legend").attr("aria-label", "Legend");
    function item(fill, text, title) {
      var it = box.append("span").attr("class", "legend-item");
      if (title) { it.attr("title", title); }
      it.append("span").attr("class", "legend-swatch").style("background", fill);
      it.append("span").text(text);
    }
    if (nodes[0].type === "person") {
      color.legend.forEach(function (c) { item(c[1], names[c[0]] || c[0], c[0]); });
      if (color.others) { item("#8a93a3", "other / unknown state"); }
    } else {
      item("#1f5fa8", "Central Asian state");
      item("#6f8fb5", "other state");
    }
    box.append("span").attr("class", "legend-item legend-size").text("circle: events \u00b7 line: events together");
  }

  function placeLabels(nodes, radius, fontPx, most) {
    // Greedy, biggest first: a label right of its circle, else left, where it overlaps no other label
    // and no circle; else none. Boxes in layout units (the zoom scales them all alike).
    var overlaps = function (a, b) { return !(a[2] <= b[0] || a[0] >= b[2] || a[3] <= b[1] || a[1] >= b[3]); };
    var circles = nodes.map(function (n) {
      var r = radius(n);
      return { n: n, box: [n.x - r, n.y - r, n.x + r, n.y + r] };
    });
    var taken = [];
    nodes.forEach(function (n) { n.labelSide = null; n.labelBox = null; });
    nodes.slice().sort(function (a, b) { return b.events - a.events; }).slice(0, most).forEach(function (n) {
      var w = 0.6 * fontPx * n.text.length + 2, h = fontPx + 2, r = radius(n);
      ["start", "end", "above", "below"].some(function (side) {
        var x0 = side === "start" ? n.x + r + 4 : side === "end" ? n.x - r - 4 - w : n.x - w / 2;
        var y0 = side === "above" ? n.y - r - 2 - h : side === "below" ? n.y + r + 2 : n.y - h / 2;
        var b = [x0, y0, x0 + w, y0 + h];
        if (taken.some(function (t) { return overlaps(b, t); }) ||
            circles.some(function (c) { return c.n !== n && overlaps(b, c.box); })) { return false; }
        taken.push(b);
        n.labelSide = side;
        n.labelBox = b;
        return true;
      });
    });
  }

  function wordsOf(el) {
    // data-names {ISO3: name} and data-roles {role: words} (web/labels.py), for tooltips and the legend
    function parse(name) {
      try { return JSON.parse(el.getAttribute(name) || "{}") || {}; } catch (e) { return {}; }
    }
    return { names: parse("data-names"), roles: parse("data-roles") };
  }

  function draw(el, data) {
    var root = d3.select(el);
    var words = wordsOf(el);
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

    var fontPx = narrow ? 11 : 12;
    nodes.forEach(function (n) { n.text = n.type === "country" && narrow && n.label.length > 14 ? n.id : n.label; });
    placeLabels(nodes, radius, fontPx, MAX_LABELS);
    // edges first, so every node is drawn over them
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
      .attr("fill-opacity", 1)
      .attr("stroke", "#fff").attr("stroke-width", 1.5);
    node.append("title").text(function (n) {
      var extra = [];
      if (n.type === "person" && n.role) { extra.push(words.roles[n.role] || n.role); }
      if (n.type === "person" && n.country) { extra.push(words.names[n.country] || n.country); }
      return n.label + (extra.length ? " (" + extra.join(", ") + ")" : "") + ": " + n.events + (n.events === 1 ? " event" : " events");
    });
    // Labels where placeLabels found room (the biggest nodes first); the rest show theirs on hover via <title>.
    node.filter(function (n) { return n.labelSide; }).append("text")
      .attr("class", "label")
      .attr("dy", "0.32em")
      .attr("fill", "#1d2330")
      .attr("stroke", "#fff").attr("stroke-width", 3).attr("stroke-linejoin", "round").attr("paint-order", "stroke")
      .style("pointer-events", "none")
      .text(function (n) { return n.text; });

    function place() {
      link.attr("x1", function (e) { return e.source.x; }).attr("y1", function (e) { return e.source.y; })
        .attr("x2", function (e) { return e.target.x; }).attr("y2", function (e) { return e.target.y; });
      node.attr("transform", function (n) { return "translate(" + n.x + "," + n.y + ")"; });
      node.select("text.label")
        .attr("x", function (n) {
          return n.labelSide === "end" ? -(radius(n) + 4) : n.labelSide === "start" ? radius(n) + 4 : 0;
        })
        .attr("y", function (n) {
          var h = fontPx + 2;
          return n.labelSide === "above" ? -(radius(n) + 2 + h / 2) : n.labelSide === "below" ? radius(n) + 2 + h / 2 : 0;
        })
        .attr("text-anchor", function (n) {
          return n.labelSide === "end" ? "end" : n.labelSide === "start" ? "start" : "middle";
        });
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
    // Fit everything in view: every circle and every label, below the zoom buttons.
    var boxes = nodes.map(function (n) { var r = radius(n); return [n.x - r, n.y - r, n.x + r, n.y + r]; })
      .concat(nodes.filter(function (n) { return n.labelBox; }).map(function (n) { return n.labelBox; }));
    var x0 = d3.min(boxes, function (b) { return b[0]; }), x1 = d3.max(boxes, function (b) { return b[2]; });
    var y0 = d3.min(boxes, function (b) { return b[1]; }), y1 = d3.max(boxes, function (b) { return b[3]; });
    var pad = 12, top = 44;
    var k = Math.min(1.6, (width - 2 * pad) / Math.max(1, x1 - x0), (height - pad - top) / Math.max(1, y1 - y0));
    var fit = d3.zoomIdentity.translate(width / 2, top + (height - pad - top) / 2).scale(k)
      .translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
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
    legend(el, nodes, color);
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
