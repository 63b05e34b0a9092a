// Every page with filters: on a phone the filter form starts folded (details/summary), so the results
// come first; its summary says how many filters are active. Without JavaScript the form stays open.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 760px)").matches) { return; }
  document.querySelectorAll("details.filter-box").forEach(function (d) { d.open = false; });
})();
