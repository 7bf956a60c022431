/**
 * `npm run bench:bundle`: builds the Functions bundle and prints its size and its cold import time, against
 * the unbundled tree loaded through tsx. Each sample is a fresh `node` process, as a cold worker is; the
 * figure is the time spent in `require`, the part of a cold start the app controls. Target: under 300 ms.
 * CPU time is printed beside wall time because a busy machine inflates wall time.
 *
 * Options: --entry <file> (default src/app/functions-entry.ts), --runs <n> (default 9).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildApp } from "./build";

const TARGET_MS = 300;

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One cold `require`: wall-clock and CPU milliseconds (CPU time shows less of other load on the machine). */
interface Sample {
  wall: number;
  cpu: number;
}

/** Loads `file` in a new node process `runs` times and measures each `require`. */
function coldRequire(file: string, runs: number, nodeArgs: string[], cwd: string): Sample[] {
  const script = [
    "const c=process.cpuUsage(),t=process.hrtime.bigint();",
    `require(${JSON.stringify(file)});`,
    "const u=process.cpuUsage(c);",
    "process.stdout.write(JSON.stringify({wall:Number(process.hrtime.bigint()-t)/1e6,cpu:(u.user+u.system)/1e3}))",
  ].join("");
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    // The @azure/functions "test mode" warnings go to stderr; only the figures come back on stdout.
    const out = execFileSync(process.execPath, [...nodeArgs, "-e", script], { cwd, stdio: ["ignore", "pipe", "ignore"] }).toString();
    samples.push(JSON.parse(out) as Sample);
  }
  return samples;
}

function line(label: string, samples: Sample[]): string {
  const wall = samples.map((s) => s.wall);
  const sorted = [...wall].sort((a, b) => a - b);
  const ms = (n: number | undefined) => `${(n ?? 0).toFixed(0).padStart(5)} ms`;
  return `${label.padEnd(24)} median ${ms(median(wall))}   min ${ms(sorted[0])}   max ${ms(sorted[sorted.length - 1])}   cpu median ${ms(median(samples.map((s) => s.cpu)))}`;
}

async function main(args: string[]): Promise<void> {
  const root = resolve(dirname(process.argv[1] ?? "."), "..");
  const entry = resolve(option(args, "--entry") ?? join(root, "src", "app", "functions-entry.ts"));
  const runs = Number(option(args, "--runs") ?? 9);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: "${option(args, "--runs")}" is not a whole number above 0`);

  const outDir = mkdtempSync(join(tmpdir(), "apimbot-bench-"));
  try {
    const built = await buildApp(root, entry, outDir);
    const kib = (file: string) => (statSync(file).size / 1024).toFixed(0);
    process.stdout.write(`entry      ${entry}\n`);
    process.stdout.write(`bundle     ${kib(built.bundle)} KiB (functions/index.js), zip ${kib(built.zip)} KiB\n`);
    process.stdout.write(`node       ${process.version}, ${runs} cold processes each\n`);

    const bundled = coldRequire(built.bundle, runs, [], outDir);
    const unbundled = coldRequire(entry, runs, ["--require", "tsx/cjs"], root);
    process.stdout.write(`${line("bundle (node)", bundled)}\n`);
    process.stdout.write(`${line("unbundled tree (tsx)", unbundled)}\n`);
    const m = median(bundled.map((s) => s.wall));
    const speedup = median(unbundled.map((s) => s.wall)) / Math.max(m, 1);
    process.stdout.write(`target     < ${TARGET_MS} ms: ${m < TARGET_MS ? "met" : "missed"} (bundle median ${m.toFixed(0)} ms, ${speedup.toFixed(1)}x faster than unbundled)\n`);
    const core = join(dirname(built.bundle), "app-core.js");
    if (existsSync(core)) {
      // What the first invocation adds: the handlers load the SDKs and the app on first use.
      process.stdout.write(`${line("first use (app-core.js)", coldRequire(core, runs, [], outDir))}\n`);
    }
    process.stdout.write(`load       ${loadavg().map((n) => n.toFixed(1)).join(" ")} (1/5/15 min; figures from a busy machine run high)\n`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
