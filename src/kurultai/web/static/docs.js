// /docs: Swagger UI (swagger-ui-dist, bundled into static/vendor/swagger-ui/ by web/build.mjs) on the
// app's own OpenAPI schema. No CDN, no inline script: the CSP's script-src 'self' holds here too.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    if (root) { root.textContent = "Swagger UI is not bundled (run `make vendor`); the schema is at /openapi.json."; }
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-spec") || "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,  // no badge fetched from validator.swagger.io
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () { root.setAttribute("data-rendered", "true"); },
  });
})();
