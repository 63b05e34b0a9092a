// Timeline: events per month as stacked bars, one colour per series (the top 8, the rest as "Other").
// Container: <div id="timeline" data-src="/api/timeline?by=country&...">; the JSON is
// {by, months: ["YYYY-MM", ...], years: ["YYYY", ...], series: [{key, label, total, counts: [...], year_counts: [...]}]}:
// an event whose date is known only by its year is in `years`, never in a month; it is listed under the chart.
// Needs window.d3 (static/vendor/vendor.js). Every string from the data goes in with .text()/.attr().
// Sets data-rendered="true" on the container once drawn (also when showing the "no data" message).
(function () {
  "use strict";
  var d3 = window.d3;
  var TOP = 8;
  var OTHER = "Other";
  var COLORS = ["#1f5fa8", "#e07b00", "#2e7d32", "#c62828", "#7b4fa0", "#00838f", "#8d6e63", "#d4a017"];
  var OTHER_COLOR = "#b0b7c3";

  var message = window.KurultaiChart.message;

  function monthRange(months) {
    // Fill the gaps so the time axis is continuous: the API lists only months that have events.
    if (!months.length) { return []; }
    var sorted = months.slice().sort();
    var out = [];
    var y = +sorted[0].slice(0, 4), m = +sorted[0].slice(5, 7);
    var endY = +sorted[sorted.length - 1].slice(0, 4), endM = +sorted[sorted.length - 1].slice(5, 7);
    if (!(y && m && endY && endM) || (endY - y) * 12 + endM - m > 1200) { return sorted; }
    while (y < endY || (y === endY && m <= endM)) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function prepare(data) {
    var months = (data && data.months) || [];
    var series = ((data && data.series) || []).filter(function (s) { return s && s.counts; });
    var all = monthRange(months);
    var index = {};
    all.forEach(function (m, i) { index[m] = i; });
    function expand(counts) {
      var out = all.map(function () { return 0; });
      months.forEach(function (m, i) { if (m in index) { out[index[m]] += +counts[i] || 0; } });
      return out;
    }
    series = series.slice().sort(function (a, b) { return (b.total || 0) - (a.total || 0); });
    var top = series.slice(0, TOP).map(function (s) {
      return { key: String(s.key), label: String(s.label == null ? s.key : s.label), counts: expand(s.counts) };
    });
    var rest = series.slice(TOP);
    if (rest.length) {
      var other = all.map(function () { return 0; });
      rest.forEach(function (s) { expand(s.counts).forEach(function (v, i) { other[i] += v; }); });
      top.push({ key: "\u0000other", label: OTHER + " (" + rest.length + ")", counts: other, other: true });
    }
    top.forEach(function (s) { s.total = d3.sum(s.counts); });
    return { months: all, series: top.filter(function (s) { return s.total > 0; }) };
  }

  function monthLabel(m) {
    var d = d3.timeParse("%Y-%m")(m);
    return d ? d3.timeFormat("%b %Y")(d) : m;
  }

  function yearsOnly(root, data) {
    // Events known only by their year: one line per year, with its series, never drawn in a month.
    var years = (data && data.years) || [];
    var series = ((data && data.series) || []).filter(function (s) { return s && s.year_counts; });
    if (!years.length) { return; }
    var box = root.append("div").attr("class", "years-only")
      .style("padding", ".2rem .8rem .6rem").style("font-size", ".85rem");
    box.append("div").style("color", "#5b6475").text("Known only by year (not counted in any month):");
    years.forEach(function (y, i) {
      var parts = series.filter(function (s) { return +s.year_counts[i] > 0; })
        .map(function (s) { return String(s.label == null ? s.key : s.label) + " " + s.year_counts[i]; });
      box.append("div").attr("class", "year").attr("data-year", y).text(y + ": " + parts.join(", "));
    });
  }

  function draw(el, data) {
    var prep = prepare(data);
    var root = d3.select(el);
    root.selectAll("*").remove();
    if (!prep.months.length || !prep.series.length) {
      message(el, "No events dated to the month or day match these filters.", "no-data");
      yearsOnly(root, data);
      el.setAttribute("data-empty", "true");
      return;
    }
    el.removeAttribute("data-empty");
    var width = Math.max(300, Math.round(el.clientWidth || 800));
    var narrow = width < 560;
    var height = narrow ? 300 : 360;
    var margin = { top: 14, right: 14, bottom: 46, left: 40 };
    var innerW = width - margin.left - margin.right;
    var innerH = height - margin.top - margin.bottom;

    var color = d3.scaleOrdinal().domain(prep.series.map(function (s) { return s.key; }))
      .range(prep.series.map(function (s, i) { return s.other ? OTHER_COLOR : COLORS[i % COLORS.length]; }));
    var stackInput = prep.months.map(function (m, i) {
      var row = { month: m };
      prep.series.forEach(function (s) { row[s.key] = s.counts[i]; });
      return row;
    });
    var layers = d3.stack().keys(prep.series.map(function (s) { return s.key; }))(stackInput);
    var totals = stackInput.map(function (row) { return d3.sum(prep.series, function (s) { return row[s.key]; }); });
    var x = d3.scaleBand().domain(prep.months).range([0, innerW]).paddingInner(prep.months.length > 40 ? 0.08 : 0.2).paddingOuter(0.1);
    var maxY = d3.max(totals) || 1;
    var y = d3.scaleLinear().domain([0, maxY]).nice().range([innerH, 0]);

    var svg = root.append("svg")
      .attr("viewBox", "0 0 " + width + " " + height)
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet")
      .attr("role", "img")
      .attr("aria-label", "Events per month")
      .style("font", (narrow ? 11 : 12) + "px system-ui, sans-serif");
    var g = svg.append("g").attr("transform", "translate(" + margin.left + "," + margin.top + ")");

    // Horizontal grid + y axis with whole-number ticks.
    var yTicks = y.ticks(Math.min(6, maxY)).filter(function (t) { return Number.isInteger(t); });
    g.append("g").attr("class", "grid").selectAll("line").data(yTicks).join("line")
      .attr("x1", 0).attr("x2", innerW).attr("y1", y).attr("y2", y)
      .attr("stroke", "#e6e9ef").attr("shape-rendering", "crispEdges");
    var yAxis = g.append("g").attr("class", "axis y")
      .call(d3.axisLeft(y).tickValues(yTicks).tickFormat(d3.format("d")).tickSize(0).tickPadding(6));
    yAxis.select(".domain").remove();
    yAxis.selectAll("text").attr("fill", "#5b6475");

    // x axis: thin the month labels to what fits.
    var labelW = narrow ? 56 : 64;
    var every = Math.max(1, Math.ceil(prep.months.length / Math.max(1, Math.floor(innerW / labelW))));
    // Prefer starting a year on January when thinning by 12 or more.
    var shown = prep.months.filter(function (m, i) { return every >= 12 ? m.slice(5) === "01" || i === 0 : i % every === 0; });
    if (every >= 12 && shown.length > innerW / labelW) {
      var step = Math.ceil(shown.length / Math.max(1, Math.floor(innerW / labelW)));
      shown = shown.filter(function (m, i) { return i % step === 0; });
    }
    var xAxis = g.append("g").attr("class", "axis x").attr("transform", "translate(0," + innerH + ")")
      .call(d3.axisBottom(x).tickValues(shown).tickFormat(every >= 12 ? function (m) { return m.slice(0, 4); } : monthLabel)
        .tickSizeOuter(0));
    xAxis.select(".domain").attr("stroke", "#9aa3b2");
    xAxis.selectAll("line").attr("stroke", "#9aa3b2");
    xAxis.selectAll("text").attr("fill", "#5b6475");

    // Stacked bars; each segment carries a <title> tooltip.
    var bars = g.append("g").attr("class", "bars");
    var seriesByKey = {};
    prep.series.forEach(function (s) { seriesByKey[s.key] = s; });
    bars.selectAll("g.layer").data(layers).join("g")
      .attr("class", "layer")
      .attr("data-key", function (l) { return l.key; })
      .attr("fill", function (l) { return color(l.key); })
      .selectAll("rect").data(function (l) {
        return l.filter(function (d) { return d[1] - d[0] > 0; }).map(function (d) { d.key = l.key; return d; });
      }).join("rect")
      .attr("x", function (d) { return x(d.data.month); })
      .attr("y", function (d) { return y(d[1]); })
      .attr("width", x.bandwidth())
      .attr("height", function (d) { return Math.max(0.5, y(d[0]) - y(d[1])); })
      .append("title").text(function (d) {
        var n = d[1] - d[0];
        var i = prep.months.indexOf(d.data.month);
        return monthLabel(d.data.month) + " \u00b7 " + seriesByKey[d.key].label + ": " + n + (n === 1 ? " event" : " events") +
          " (" + totals[i] + " in all)";
      });

    // Month totals above the bars when there is room.
    if (x.bandwidth() >= 18) {
      g.append("g").attr("class", "totals").selectAll("text")
        .data(prep.months.filter(function (m, i) { return totals[i] > 0; })).join("text")
        .attr("x", function (m) { return x(m) + x.bandwidth() / 2; })
        .attr("y", function (m) { return y(totals[prep.months.indexOf(m)]) - 4; })
        .attr("text-anchor", "middle").attr("fill", "#5b6475").attr("font-size", "10px")
        .text(function (m) { return totals[prep.months.indexOf(m)]; });
    }

    // Legend (HTML, wraps on a phone). Hovering an entry fades the other series.
    var legend = root.append("div").attr("class", "legend")
      .style("display", "flex").style("flex-wrap", "wrap").style("gap", ".25rem 1rem")
      .style("padding", ".4rem .8rem .6rem").style("font-size", ".85rem");
    var items = legend.selectAll("span.item").data(prep.series).join("span")
      .attr("class", "item").attr("data-key", function (s) { return s.key; })
      .style("display", "inline-flex").style("align-items", "center").style("gap", ".35rem").style("cursor", "default")
      .attr("title", function (s) { return s.label + ": " + s.total + " events"; });
    items.append("span").style("display", "inline-block").style("width", ".8rem").style("height", ".8rem")
      .style("border-radius", "2px").style("background", function (s) { return color(s.key); });
    items.append("span").text(function (s) { return s.label; });
    items.append("span").style("color", "#5b6475").text(function (s) { return s.total; });
    items.on("mouseenter", function (event, s) {
      bars.selectAll("g.layer").attr("opacity", function (l) { return l.key === s.key ? 1 : 0.25; });
    }).on("mouseleave", function () { bars.selectAll("g.layer").attr("opacity", 1); });
    yearsOnly(root, data);
  }

  window.KurultaiChart.mount("timeline", "the timeline", {
    libs: ["d3"],
    load: function (el) {
      // data-labels: {series key: words} (the formats as the KB names them), over the API's labels
      var names = {};
      try { names = JSON.parse(el.getAttribute("data-labels") || "{}") || {}; } catch (e) { names = {}; }
      return window.KurultaiChart.fetchJSON(el.getAttribute("data-src")).then(function (d) {
        ((d && d.series) || []).forEach(function (s) {
          if (Object.prototype.hasOwnProperty.call(names, s.key)) { s.label = String(names[s.key]); }
        });
        return d;
      });
    },
    draw: draw,
    redrawAfter: 30,
  });
})();
