// Map of meeting places, drawn from a bundled boundaries file (no tile server). Container:
// <div id="map" data-src="/api/places?..." data-boundaries="/static/vendor/countries-50m.json">;
// places JSON: {total, limit, offset, items: [{name, country, lat, lon, events, first, last}]}; boundaries: world-atlas TopoJSON
// (object "countries"). The map opens on Central Asia (the projection is fitted to it); places farther
// away are drawn too, and "All places" (or zooming out) shows them. One circle per place, area by events,
// with a <title> tooltip. Labels never collide: place names first (the busiest first, beside their circle,
// on the side with room), then country names only where they touch no place, no label and no other
// name. Zoom: buttons, pinch, ctrl + wheel.
// Needs window.d3 and window.topojson (static/vendor/vendor.js). Strings from the data go in with .text().
// Sets data-rendered="true" on the container once drawn (also when there is no place to show).
(function () {
  "use strict";
  var d3 = window.d3;
  var topojson = window.topojson;
  var REGION = { west: 45, east: 90, south: 30, north: 56 };
  // ISO 3166 numeric ids (world-atlas feature ids) of the five Central Asian states.
  var CENTRAL_ASIA = { "398": 1, "417": 1, "762": 1, "795": 1, "860": 1 };

  var fetchJSON = window.KurultaiChart.fetchJSON;

  function outline(ext) {
    // The box's edge, sampled, as a MultiPoint: fitExtent keeps all of it in view under any projection.
    var pts = [], n = 24, i;
    for (i = 0; i <= n; i += 1) {
      var lon = ext.west + (ext.east - ext.west) * i / n, lat = ext.south + (ext.north - ext.south) * i / n;
      pts.push([lon, ext.south], [lon, ext.north], [ext.west, lat], [ext.east, lat]);
    }
    return { type: "MultiPoint", coordinates: pts };
  }

  function projectionFor(ext) {
    var midLon = (ext.west + ext.east) / 2;
    if (ext.east - ext.west > 100 || ext.north - ext.south > 60) {
      return d3.geoEqualEarth().rotate([-midLon, 0]);
    }
    var p1 = ext.south + (ext.north - ext.south) / 6, p2 = ext.north - (ext.north - ext.south) / 6;
    return d3.geoConicEqualArea().rotate([-midLon, 0]).center([0, (ext.south + ext.north) / 2]).parallels([p1, p2]);
  }

  function draw(el, places, world) {
    var root = d3.select(el);
    var countryNames = {};  // data-names: {ISO3: name} for the tooltips
    try { countryNames = JSON.parse(el.getAttribute("data-names") || "{}") || {}; } catch (e) { countryNames = {}; }
    root.selectAll("*").remove();
    var width = Math.max(300, Math.round(el.clientWidth || 800));
    var narrow = width < 560;
    var height = narrow ? Math.round(width * 0.95) : Math.round(Math.min(620, Math.max(420, width * 0.58)));
    var pad = narrow ? 10 : 18;

    var ext = REGION;
    var projection = projectionFor(ext).fitExtent([[pad, pad], [width - pad, height - pad]], outline(ext));
    projection.clipExtent([[-4 * width, -4 * height], [5 * width, 5 * height]]);
    var path = d3.geoPath(projection);

    var svg = root.append("svg")
      .attr("viewBox", "0 0 " + width + " " + height)
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet")
      .attr("role", "img")
      .attr("aria-label", "Map of meeting places")
      .style("font", (narrow ? 10 : 11) + "px system-ui, sans-serif")
      .style("touch-action", "none")
      .style("background", "#dfeaf3");
    var clipId = "map-clip-" + Math.random().toString(36).slice(2);
    svg.append("clipPath").attr("id", clipId).append("rect").attr("width", width).attr("height", height);
    var frame = svg.append("g").attr("clip-path", "url(#" + clipId + ")");
    var view = frame.append("g").attr("class", "view");

    var countries = [];
    var nameCandidates = [], names = null;
    if (world && world.objects && world.objects.countries) {
      countries = topojson.feature(world, world.objects.countries).features;
      var land = view.append("g").attr("class", "countries");
      land.selectAll("path").data(countries).join("path")
        .attr("d", path)
        .attr("data-id", function (f) { return f.id; })
        .attr("fill", function (f) { return CENTRAL_ASIA[f.id] ? "#f6f1e3" : "#eceee9"; })
        .attr("stroke", "none")
        .append("title").text(function (f) { return (f.properties && f.properties.name) || ""; });
      view.append("path").attr("class", "borders")
        .datum(topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; }))
        .attr("d", path).attr("fill", "none").attr("stroke", "#9aa3b2").attr("stroke-width", 0.7)
        .attr("stroke-linejoin", "round").attr("vector-effect", "non-scaling-stroke");
      view.append("path").attr("class", "coast")
        .datum(topojson.mesh(world, world.objects.countries, function (a, b) { return a === b; }))
        .attr("d", path).attr("fill", "none").attr("stroke", "#8fb3cf").attr("stroke-width", 0.7)
        .attr("vector-effect", "non-scaling-stroke");
      // Country names where there is room, in light type beneath the places (placed after the places' labels).
      names = view.append("g").attr("class", "country-names").style("pointer-events", "none");
      countries.forEach(function (f) {
        var b = path.bounds(f), area = (b[1][0] - b[0][0]) * (b[1][1] - b[0][1]);
        var name = (f.properties && f.properties.name) || "";
        // The label goes where the country is: a planar centroid of a shape cut by the antimeridian or
        // the clip can fall in another country (Canada's over Russia), so the point must lie inside.
        var c = [path.centroid(f), projection(d3.geoCentroid(f)) || [NaN, NaN]].filter(function (p) {
          var ll = isFinite(p[0]) && isFinite(p[1]) ? projection.invert(p) : null;
          return ll && d3.geoContains(f, ll);
        })[0] || [NaN, NaN];
        if (!name || !isFinite(c[0]) || c[0] < 20 || c[0] > width - 20 || c[1] < 12 || c[1] > height - 12) { return; }
        if (area < (narrow ? 2500 : 4000) && !(CENTRAL_ASIA[f.id] && area > 600)) { return; }
        nameCandidates.push({ f: f, name: name, x: c[0], y: c[1], area: area });
      });
    }

    if (!names) { names = view.append("g").attr("class", "country-names"); }
    var r = d3.scaleSqrt().domain([0, d3.max(places, function (p) { return p.events; }) || 1]).range([0, narrow ? 16 : 22]);
    var radius = function (p) { return Math.max(3.5, r(p.events)); };
    var pts = places.map(function (p) {
      var xy = projection([p.lon, p.lat]);
      return { p: p, x: xy ? xy[0] : NaN, y: xy ? xy[1] : NaN };
    }).filter(function (d) { return isFinite(d.x) && isFinite(d.y); })
      .sort(function (a, b) { return b.p.events - a.p.events; });  // big circles under small ones

    var placesG = view.append("g").attr("class", "places");
    var dot = placesG.selectAll("g.place").data(pts).join("g").attr("class", "place")
      .attr("data-name", function (d) { return d.p.name; })
      .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; });
    dot.append("circle")
      .attr("r", function (d) { return radius(d.p); })
      .attr("fill", "#c62828").attr("fill-opacity", 0.62)
      .attr("stroke", "#fff").attr("stroke-width", 1.2).attr("vector-effect", "non-scaling-stroke");
    dot.append("title").text(function (d) {
      var p = d.p, span = "";
      if (p.first && p.last) { span = p.first === p.last ? " (" + p.first + ")" : " (" + p.first + " \u2013 " + p.last + ")"; }
      return p.name + (p.country ? " (" + (countryNames[p.country] || p.country) + ")" : "") + ": " + p.events + (p.events === 1 ? " event" : " events") + span;
    });
    // Name the busiest places in view, skipping labels that would collide with a label or a circle.
    var fontPx = narrow ? 10 : 11;
    var overlaps = function (a, b) { return !(a[2] <= b[0] || a[0] >= b[2] || a[3] <= b[1] || a[1] >= b[3]); };
    var inView = pts.filter(function (d) { return d.x >= 0 && d.x <= width && d.y >= 0 && d.y <= height; });
    var circles = inView.map(function (d) {
      var rr = radius(d.p);
      return { d: d, box: [d.x - rr, d.y - rr, d.x + rr, d.y + rr] };
    });
    var taken = [];
    var labels = placesG.append("g").attr("class", "place-names").style("pointer-events", "none");
    inView.slice(0, narrow ? 8 : 16).forEach(function (d) {
      var w = 0.62 * 1.1 * fontPx * d.p.name.length + 4, h = 1.1 * fontPx + 3;
      var rr = radius(d.p), y = d.y - h / 2, box = null, anchor = "start", x = 0;
      [["start", d.x + rr + 3], ["end", d.x - rr - 3 - w]].some(function (side) {
        var b = [side[1], y, side[1] + w, y + h];
        if (b[0] < 2 || b[2] > width - 2) { return false; }
        var hit = taken.some(function (t) { return overlaps(b, t); }) ||
          circles.some(function (c) { return c.d !== d && overlaps(b, c.box); });
        if (hit) { return false; }
        box = b; anchor = side[0]; x = side[1];
        return true;
      });
      if (!box) { return; }
      taken.push(box);
      labels.append("text").attr("class", "label")
        .attr("x", anchor === "start" ? x : x + w).attr("y", d.y).attr("dy", "0.32em").attr("text-anchor", anchor)
        .attr("data-x", d.x).attr("data-y", d.y)
        .attr("fill", "#1d2330").attr("stroke", "#fff").attr("stroke-width", 3).attr("stroke-linejoin", "round")
        .attr("paint-order", "stroke").attr("font-size", "1.1em")
        .text(d.p.name);
    });
    // Country names last: only where they touch no place label, no circle and no other name.
    nameCandidates.sort(function (a, b) { return (CENTRAL_ASIA[b.f.id] ? 1 : 0) - (CENTRAL_ASIA[a.f.id] ? 1 : 0) || b.area - a.area; });
    nameCandidates.forEach(function (c) {
      var size = (CENTRAL_ASIA[c.f.id] ? 1.1 : 1) * fontPx, text = c.name.toUpperCase();
      var w = (0.68 * size + 0.04 * size) * text.length, h = size + 2;
      var box = [c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2];
      if (box[0] < 2 || box[2] > width - 2 || box[1] < 2 || box[3] > height - 2) { return; }
      if (taken.some(function (t) { return overlaps(box, t); }) || circles.some(function (o) { return overlaps(box, o.box); })) { return; }
      taken.push(box);
      names.append("text").attr("x", c.x).attr("y", c.y).attr("text-anchor", "middle").attr("dy", "0.32em")
        .attr("fill", CENTRAL_ASIA[c.f.id] ? "#8a7a55" : "#9aa1ab")
        .attr("font-size", CENTRAL_ASIA[c.f.id] ? "1.1em" : "1em")
        .attr("letter-spacing", "0.04em")
        .text(text);
    });

    // Zoom: circles and labels keep their size on screen.
    var zoom = d3.zoom().scaleExtent([0.12, 12]).translateExtent([[-4 * width, -4 * height], [5 * width, 5 * height]])
      .filter(function (event) {
        if (event.type === "wheel") { return event.ctrlKey || event.metaKey; }
        return !event.ctrlKey && !event.button;
      })
      .on("zoom", function (event) {
        var t = event.transform;
        view.attr("transform", t);
        dot.attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ") scale(" + 1 / t.k + ")"; });
        labels.selectAll("text").attr("transform", function () {
          var x = +this.getAttribute("data-x"), y = +this.getAttribute("data-y");
          return "translate(" + x + "," + y + ") scale(" + 1 / t.k + ") translate(" + -x + "," + -y + ")";
        });
        names.attr("opacity", t.k > 3 ? 0.5 : 1);
      });
    svg.call(zoom).on("dblclick.zoom", null);
    // "All places": the view that holds every place (the map opens on Central Asia).
    var all = d3.zoomIdentity;
    if (pts.length) {
      var x0 = Math.min(0, d3.min(pts, function (d) { return d.x; })), x1 = Math.max(width, d3.max(pts, function (d) { return d.x; }));
      var y0 = Math.min(0, d3.min(pts, function (d) { return d.y; })), y1 = Math.max(height, d3.max(pts, function (d) { return d.y; }));
      var k = Math.max(0.12, Math.min(1, 0.9 * width / (x1 - x0), 0.9 * height / (y1 - y0)));
      all = d3.zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
    }
    var controls = root.append("div").attr("class", "chart-controls")
      .style("position", "absolute").style("top", ".4rem").style("right", ".4rem")
      .style("display", "flex").style("gap", ".25rem");
    [["+", "Zoom in", function () { svg.call(zoom.scaleBy, 1.5); }],
      ["\u2212", "Zoom out", function () { svg.call(zoom.scaleBy, 1 / 1.5); }],
      ["\u27f2", "Central Asia", function () { svg.call(zoom.transform, d3.zoomIdentity); }],
      ["\u2922", "All places", function () { svg.call(zoom.transform, all); }]].forEach(function (b) {
      controls.append("button").attr("type", "button").attr("title", b[1]).attr("aria-label", b[1])
        .style("font", "inherit").style("width", "2rem").style("height", "2rem").style("cursor", "pointer")
        .style("border", "1px solid #d9dee7").style("border-radius", "4px").style("background", "#fff")
        .text(b[0]).on("click", b[2]);
    });

    var note = root.append("p").attr("class", "chart-note")
      .style("margin", "0").style("padding", ".3rem .8rem .5rem").style("font-size", ".8rem").style("color", "#5b6475");
    if (!pts.length) {
      note.attr("class", "chart-note empty no-data").style("font-size", "").style("padding", ".6rem .8rem")
        .text("No meeting places with coordinates match these filters.");
      el.setAttribute("data-empty", "true");
    } else {
      el.removeAttribute("data-empty");
      var away = pts.length - inView.length;
      note.text(pts.length + (pts.length === 1 ? " place" : " places") + (away ? " (" + away + " beyond Central Asia: \u2922 shows all)" : "") +
        "; circle area: number of events. Boundaries: Natural Earth 1:50m.");
    }
    if (!countries.length) {
      root.append("p").attr("class", "chart-note error").style("margin", "0").style("padding", "0 .8rem .5rem")
        .style("font-size", ".8rem").style("color", "#b26a00").text("Country boundaries could not be loaded.");
    }
  }

  function load(el) {
    var boundaries = el.getAttribute("data-boundaries");
    return Promise.all([
      fetchJSON(el.getAttribute("data-src")),
      boundaries ? fetchJSON(boundaries).catch(function () { return null; }) : Promise.resolve(null),
    ]).then(function (res) {
      var places = ((res[0] && res[0].items) || []).map(function (p) {
        return { name: String(p.name == null ? "" : p.name), country: p.country == null ? "" : String(p.country),
          lat: +p.lat, lon: +p.lon, events: +p.events || 0, first: p.first || null, last: p.last || null };
      }).filter(function (p) {
        return isFinite(p.lat) && isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && p.events > 0;
      });
      return { places: places, world: res[1] };
    });
  }

  window.KurultaiChart.mount("map", "the map", {
    libs: ["d3", "topojson"],
    load: load,
    draw: function (el, data) { draw(el, data.places, data.world); },
    redrawAfter: 60,
  });
})();
