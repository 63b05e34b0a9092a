// Event page: a click on a field's evidence key highlights its spans in every source and scrolls to
// the first one. Keys and spans are linked by data attributes only (no markup is built from text).
(function () {
  "use strict";
  var keys = document.querySelectorAll(".ev-key");
  var marks = document.querySelectorAll("mark.ev");
  function select(key) {
    var first = null;
    marks.forEach(function (m) {
      var on = (" " + m.getAttribute("data-keys") + " ").indexOf(" " + key + " ") >= 0;
      m.classList.toggle("active", on);
      if (on && !first) { first = m; }
    });
    keys.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-key") === key)); });
    if (first) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }
  keys.forEach(function (b) { b.addEventListener("click", function () { select(b.getAttribute("data-key")); }); });
  marks.forEach(function (m) {
    if (!m.title) m.title = Array.prototype.map.call(m.getAttribute("data-keys").split(" "), function (k) {
      var b = document.querySelector('.ev-key[data-key="' + k + '"]');
      return b ? b.textContent.trim() : k;
    }).join("\n");
    m.addEventListener("click", function () { select(m.getAttribute("data-keys").split(" ")[0]); });
  });
})();
