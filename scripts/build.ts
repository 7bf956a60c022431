/**
 * `npm run build`: bundles the Functions app into dist/ and zips it into dist/apimbot.zip.
 *
 * dist/ after a build:
 *   functions/index.js (+ .map, LEGAL.txt)  one CommonJS bundle that registers every function
 *   host.json, package.json                 what the v4 Node programming model reads (`main`)
 *   .funcignore                             keeps zips out when azd packages dist/ itself
 *   apimbot.zip                             the same tree, for `az functionapp deployment source config-zip`
 *
 * Options: --entry <file> (default src/app/functions-entry.ts), --out <dir> (default dist).
 */
import { build, type BuildOptions, type Plugin } from "esbuild";
import { createRequire } from "node:module";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";

/** One file to put in a ZIP archive. */
export interface ZipEntry {
  /** Path inside the archive, with forward slashes. */
  name: string;
  data: Buffer;
}

// DOS date/time fields of 1980-01-01 00:00: a fixed stamp keeps two builds of the same code byte-identical.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const STORE = 0;
// "Made by" Unix (3) so that the external attributes below are read as a file mode: -rw-r--r--.
const MADE_BY_UNIX = (3 << 8) | 20;
const REGULAR_FILE_MODE = 0o100644;

/** Writes a ZIP archive (deflate, no ZIP64) holding the given files, in the given order. */
export function createZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const deflated = deflateRawSync(entry.data, { level: 9 });
    // Tiny or incompressible files are smaller stored as they are.
    const method = deflated.length < entry.data.length ? DEFLATE : STORE;
    const body = method === DEFLATE ? deflated : entry.data;
    const crc = crc32(entry.data);
    if (offset + 30 + name.length + body.length > 0xffffffff) throw new Error(`createZip: ${entry.name} would pass 4 GiB; ZIP64 is not supported`);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE((REGULAR_FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  if (entries.length > 0xffff) throw new Error(`createZip: ${entries.length} files; ZIP64 is not supported`);
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** What one build produced. */
export interface BuildOutput {
  outDir: string;
  bundle: string;
  zip: string;
  /** Archive paths, in archive order. */
  files: string[];
}

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
  return value;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function packageJsonAbove(dir: string, cache: Map<string, Record<string, unknown> | null>): Record<string, unknown> | null {
  if (cache.has(dir)) return cache.get(dir) ?? null;
  const file = join(dir, "package.json");
  let found: Record<string, unknown> | null = null;
  if (existsSync(file)) found = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  else if (dirname(dir) !== dir) found = packageJsonAbove(dirname(dir), cache);
  cache.set(dir, found);
  return found;
}

/**
 * Leaves out optional peer dependencies that are not installed (the Agents SDK's OpenTelemetry hooks):
 * their importers `require` them inside try/catch and carry on without, so they stay runtime requires.
 */
function optionalPeersPlugin(): Plugin {
  const cache = new Map<string, Record<string, unknown> | null>();
  return {
    name: "optional-peers",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!args.importer) return undefined;
        const pkg = packageJsonAbove(dirname(args.importer), cache);
        const meta = pkg?.peerDependenciesMeta as Record<string, { optional?: boolean }> | undefined;
        const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
        if (!name || !meta?.[name]?.optional) return undefined;
        try {
          createRequire(args.importer).resolve(args.path);
          return undefined;
        } catch {
          return { path: args.path, external: true };
        }
      });
    },
  };
}

/** The module the handlers load on first use; bundled on its own so the entry stays small. */
const LAZY_CORE = "./app-core";

/** Keeps the handlers' `import("./app-core")` a runtime load of the separately built `app-core.js`. */
function lazyCorePlugin(): Plugin {
  return {
    name: "lazy-core",
    setup(b) {
      b.onResolve({ filter: /^\.\/app-core$/ }, () => ({ path: "./app-core.js", external: true }));
    },
  };
}

/** Bundles `entry` into `outDir`, writes the host files beside it and zips the app. */
export async function buildApp(root: string, entry: string, outDir: string): Promise<BuildOutput> {
  if (!existsSync(entry)) {
    throw new Error(`build: entry ${relative(root, entry) || entry} does not exist; it imports every file under functions/ (pass --entry <file> to build another one)`);
  }
  const functionsDir = join(outDir, "functions");
  // Only our own outputs are cleared: other builds (the Teams app package) also write to dist/.
  rmSync(functionsDir, { recursive: true, force: true });
  for (const name of ["host.json", "package.json", ".funcignore", "apimbot.zip"]) rmSync(join(outDir, name), { force: true });
  mkdirSync(functionsDir, { recursive: true });

  const bundle = join(functionsDir, "index.js");
  const core = join(dirname(entry), `${LAZY_CORE}.ts`);
  const common: BuildOptions = {
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // The Functions host injects this module into the worker; it is not on npm.
    external: ["@azure/functions-core"],
    sourcemap: true,
    sourcesContent: false,
    minify: true,
    // Class and function names survive minifying, so stack traces and `err.name` stay readable.
    keepNames: true,
    legalComments: "linked",
    logLevel: "warning",
    plugins: [optionalPeersPlugin()],
  };
  if (existsSync(core)) {
    const coreResult = await build({ ...common, entryPoints: [core], outfile: join(functionsDir, "app-core.js") });
    if (coreResult.errors.length > 0) throw new Error(`build: esbuild reported ${coreResult.errors.length} error(s) in ${relative(root, core)}`);
  }
  const result = await build({
    ...common,
    entryPoints: [entry],
    outfile: bundle,
    plugins: existsSync(core) ? [lazyCorePlugin(), optionalPeersPlugin()] : [optionalPeersPlugin()],
  });
  if (result.errors.length > 0) throw new Error(`build: esbuild reported ${result.errors.length} error(s)`);

  const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; description?: string };
  const appPackage = {
    name: rootPackage.name,
    version: rootPackage.version,
    description: rootPackage.description,
    private: true,
    // The v4 programming model loads this file (or glob) to find the registered functions.
    main: "functions/index.js",
    engines: { node: ">=20" },
  };
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(appPackage, null, 2)}\n`);
  copyFileSync(join(root, "host.json"), join(outDir, "host.json"));
  writeFileSync(join(outDir, ".funcignore"), "*.zip\nappPackage/\n");

  const files = ["host.json", "package.json", ...listFiles(functionsDir).map((f) => relative(outDir, f).split(sep).join("/"))];
  const zip = join(outDir, "apimbot.zip");
  writeFileSync(zip, createZip(files.map((name) => ({ name, data: readFileSync(join(outDir, name)) }))));
  return { outDir, bundle, zip, files };
}

async function main(args: string[]): Promise<void> {
  const root = resolve(dirname(process.argv[1] ?? "."), "..");
  const entry = resolve(option(args, "--entry") ?? join(root, "src", "app", "functions-entry.ts"));
  const outDir = resolve(option(args, "--out") ?? join(root, "dist"));
  const started = performance.now();
  const out = await buildApp(root, entry, outDir);
  const kib = (file: string) => `${(statSync(file).size / 1024).toFixed(0)} KiB`;
  process.stdout.write(
    `built ${relative(root, out.bundle)} (${kib(out.bundle)}) and ${relative(root, out.zip)} (${kib(out.zip)}, ${out.files.length} files) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

// Run only as `tsx scripts/build.ts`, so that tests can import createZip and buildApp without building.
if (/[\\/]scripts[\\/]build\.ts$/.test(process.argv[1] ?? "")) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
