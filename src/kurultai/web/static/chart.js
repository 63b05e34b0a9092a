// What the chart scripts (timeline.js, network.js, map.js) share: a message in place of a chart, JSON
// fetched from the page's own server, and the life of a chart container: "Loading...", the first
// drawing (data-rendered="true"), a redraw when the width changes, or an error (data-error="true").
// Every string from the data goes into the page with d3's .text()/.attr(), never as markup.
(function () {
  "use strict";

  function message(el, text, cls) {
    var d3 = window.d3;
    d3.select(el).selectAll("*").remove();
    d3.select(el).append("p").attr("class", "empty chart-message " + (cls || "")).style("margin", "0").text(text);
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status + " for " + url); }
      return r.json();
    });
  }

  // mount("timeline", "the timeline", {libs: ["d3"], load: function (el) -> Promise<data>,
  //        draw: function (el, data), redrawAfter: px})
  function mount(id, what, opts) {
    function init(el) {
      var missing = (opts.libs || ["d3"]).filter(function (name) { return !window[name]; });
      if (missing.length) {
        el.textContent = "Chart library missing (static/vendor/vendor.js).";
        el.setAttribute("data-error", "true");
        return;
      }
      if (!el.getAttribute("data-src")) {
        message(el, "No data source for " + what + ".", "error");
        el.setAttribute("data-error", "true");
        return;
      }
      message(el, "Loading\u2026", "loading");
      opts.load(el).then(function (data) {
        opts.draw(el, data);
        el.setAttribute("data-rendered", "true");
        var lastW = el.clientWidth;
        var timer = null;
        window.addEventListener("resize", function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            if (Math.abs(el.clientWidth - lastW) > (opts.redrawAfter || 30)) { lastW = el.clientWidth; opts.draw(el, data); }
          }, 150);
        });
      }).catch(function (err) {
        message(el, "Could not load " + what + " (" + err.message + ").", "error");
        el.setAttribute("data-error", "true");
      });
    }
    function start() {
      var el = document.getElementById(id);
      if (el) { init(el); }
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  }

  window.KurultaiChart = { message: message, fetchJSON: fetchJSON, mount: mount };
})();
