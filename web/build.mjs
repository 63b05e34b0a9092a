// Bundle the dashboard's front-end libraries (from the npm registry, pinned by package-lock.json) into
// src/kurultai/web/static/vendor/: vendor.js (an IIFE setting window.d3 and window.topojson) and
// countries-50m.json (Natural Earth 1:50m country boundaries as TopoJSON, from world-atlas), and
// swagger-ui/ (swagger-ui-dist's bundle and stylesheet, for the API's interactive docs at /docs).
// Nothing is loaded from a CDN at run time. Usage: `node web/build.mjs` (runs `npm ci` first unless
// --no-install is given or node_modules already matches the lock file).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, "..", "src", "kurultai", "web", "static", "vendor");
const args = new Set(process.argv.slice(2));

function installed() {
  // npm writes node_modules/.package-lock.json on install; if it is newer than the lock, skip `npm ci`.
  const hidden = join(here, "node_modules", ".package-lock.json");
  return existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(join(here, "package-lock.json")).mtimeMs;
}

if (!args.has("--no-install") && (args.has("--ci") || !installed())) {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: here, stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, SCARF_ANALYTICS: "false" },  // swagger-ui-dist's dependency @scarf/scarf: no install telemetry
  });
}

const { build } = await import("esbuild");

// The d3 modules the chart scripts use, merged into one `d3` namespace like the d3 umbrella package.
const d3Modules = [
  "d3-array", "d3-axis", "d3-drag", "d3-force", "d3-format", "d3-geo", "d3-scale", "d3-scale-chromatic",
  "d3-selection", "d3-shape", "d3-time", "d3-time-format", "d3-zoom",
];
const entry = [
  ...d3Modules.map((m, i) => `import * as m${i} from "${m}";`),
  `import * as topojson from "topojson-client";`,
  `window.d3 = Object.assign({}, ${d3Modules.map((_, i) => `m${i}`).join(", ")});`,
  `window.topojson = topojson;`,
].join("\n");

mkdirSync(outDir, { recursive: true });
const versions = Object.fromEntries(
  [...d3Modules, "topojson-client", "world-atlas", "swagger-ui-dist"].map((m) => [m, JSON.parse(readFileSync(join(here, "node_modules", m, "package.json"), "utf8")).version]),
);
await build({
  stdin: { contents: entry, resolveDir: here, sourcefile: "vendor-entry.js", loader: "js" },
  bundle: true,
  format: "iife",
  minify: true,
  target: ["es2019"],
  legalComments: "eof",
  banner: { js: `/* Kurultai vendor bundle (built by web/build.mjs): ${Object.entries(versions).map(([k, v]) => `${k}@${v}`).join(" ")} */` },
  outfile: join(outDir, "vendor.js"),
  logLevel: "warning",
});
copyFileSync(join(here, "node_modules", "world-atlas", "countries-50m.json"), join(outDir, "countries-50m.json"));
copyFileSync(join(here, "node_modules", "world-atlas", "LICENSE"), join(outDir, "LICENSE.world-atlas.txt"));
// Swagger UI as its package ships it (already built and minified): the page /docs loads these two files
// and static/docs.js, which starts it on /openapi.json.
const swaggerDir = join(outDir, "swagger-ui");
mkdirSync(swaggerDir, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copyFileSync(join(here, "node_modules", "swagger-ui-dist", f), join(swaggerDir, f === "LICENSE" || f === "NOTICE" ? `${f}.txt` : f));
}
writeFileSync(join(outDir, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`built ${join(outDir, "vendor.js")} (${statSync(join(outDir, "vendor.js")).size} bytes) countries-50m.json and swagger-ui/`);
