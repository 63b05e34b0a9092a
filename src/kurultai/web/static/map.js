// Map of meeting places, drawn from a bundled boundaries file (no tile server). Container:
// <div id="map" data-src="/api/places?..." data-boundaries="/static/vendor/countries-50m.json">;
// places JSON: {total, limit, offset, items: [{name, country, lat, lon, events, first, last}]}; boundaries: world-atlas TopoJSON
// (object "countries"). The projection is fitted to Central Asia together with every place; one circle
// per place, area by events, with a <title> tooltip. Zoom: buttons, pinch, ctrl + wheel.
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

  function extentOf(places) {
    // Central Asia plus every place, with a margin (at least a few degrees) around the places.
    var west = REGION.west, east = REGION.east, south = REGION.south, north = REGION.north;
    if (places.length) {
      var lons = places.map(function (p) { return p.lon; }), lats = places.map(function (p) { return p.lat; });
      var padLon = Math.max(3, 0.08 * (d3.max(lons) - d3.min(lons)));
      var padLat = Math.max(2, 0.08 * (d3.max(lats) - d3.min(lats)));
      west = Math.min(west, d3.min(lons) - padLon); east = Math.max(east, d3.max(lons) + padLon);
      south = Math.min(south, d3.min(lats) - padLat); north = Math.max(north, d3.max(lats) + padLat);
    }
    return { west: Math.max(-180, west), east: Math.min(180, east), south: Math.max(-85, south), north: Math.min(85, north) };
  }

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
    root.selectAll("*").remove();
    var width = Math.max(300, Math.round(el.clientWidth || 800));
    var narrow = width < 560;
    var height = narrow ? Math.round(width * 0.95) : Math.round(Math.min(620, Math.max(420, width * 0.58)));
    var pad = narrow ? 10 : 18;

    var ext = extentOf(places);
    var projection = projectionFor(ext).fitExtent([[pad, pad], [width - pad, height - pad]], outline(ext));
    projection.clipExtent([[-width, -height], [2 * width, 2 * height]]);
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
      // Country names where there is room, in light type beneath the places.
      var names = view.append("g").attr("class", "country-names").style("pointer-events", "none");
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
        names.append("text").attr("x", c[0]).attr("y", c[1]).attr("text-anchor", "middle").attr("dy", "0.32em")
          .attr("fill", CENTRAL_ASIA[f.id] ? "#8a7a55" : "#9aa1ab")
          .attr("font-size", CENTRAL_ASIA[f.id] ? "1.1em" : "1em")
          .attr("letter-spacing", "0.04em")
          .text(name.toUpperCase());
      });
    }

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
      return p.name + (p.country ? " (" + p.country + ")" : "") + ": " + p.events + (p.events === 1 ? " event" : " events") + span;
    });
    // Name the busiest places, skipping labels that would collide.
    var taken = [];
    var labels = placesG.append("g").attr("class", "place-names").style("pointer-events", "none");
    pts.slice(0, narrow ? 8 : 16).forEach(function (d) {
      var w = 6.5 * d.p.name.length + 4, h = 14;
      var x = d.x + radius(d.p) + 3, y = d.y - h / 2;
      var anchor = "start";
      if (x + w > width - 4) { x = d.x - radius(d.p) - 3 - w; anchor = "end"; }
      var box = [x, y, x + w, y + h];
      if (taken.some(function (t) { return !(box[2] < t[0] || box[0] > t[2] || box[3] < t[1] || box[1] > t[3]); })) { return; }
      taken.push(box);
      labels.append("text").attr("class", "label")
        .attr("x", anchor === "start" ? x : x + w).attr("y", d.y).attr("dy", "0.32em").attr("text-anchor", anchor)
        .attr("data-x", d.x).attr("data-y", d.y)
        .attr("fill", "#1d2330").attr("stroke", "#fff").attr("stroke-width", 3).attr("stroke-linejoin", "round")
        .attr("paint-order", "stroke").attr("font-size", "1.1em")
        .text(d.p.name);
    });

    // Zoom: circles and labels keep their size on screen.
    var zoom = d3.zoom().scaleExtent([1, 12]).translateExtent([[-width, -height], [2 * width, 2 * height]])
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
    var names = view.select("g.country-names");
    svg.call(zoom).on("dblclick.zoom", null);
    var controls = root.append("div").attr("class", "chart-controls")
      .style("position", "absolute").style("top", ".4rem").style("right", ".4rem")
      .style("display", "flex").style("gap", ".25rem");
    [["+", "Zoom in", function () { svg.call(zoom.scaleBy, 1.5); }],
      ["\u2212", "Zoom out", function () { svg.call(zoom.scaleBy, 1 / 1.5); }],
      ["\u27f2", "Reset", function () { svg.call(zoom.transform, d3.zoomIdentity); }]].forEach(function (b) {
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
      note.text(pts.length + (pts.length === 1 ? " place" : " places") + "; circle area: number of events. Boundaries: Natural Earth 1:50m.");
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
