#!/usr/bin/env node
// Runs the TypeScript CLI directly; the Functions bundle is built separately (npm run build).
function fail(err) {
  process.stderr.write(`apimbot: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
try {
  require("tsx/cjs");
  require("../src/cli/main.ts")
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    }, fail);
} catch (err) {
  fail(err);
}
