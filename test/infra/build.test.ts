import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, createZip, type BuildOutput } from "../../scripts/build";

const root = join(__dirname, "..", "..");
const fixtureEntry = join(__dirname, "fixtures", "functions-entry.ts");

/** Reads an archive through its central directory, the way unzip tools do, checking every CRC. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("no end-of-central-directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (crc32(data) !== crc) throw new Error(`CRC mismatch for ${name}`);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

const hasUnzip = existsSync("/usr/bin/unzip");

describe("createZip", () => {
  it("writes an archive that unzip tools read back byte for byte", () => {
    const work = mkdtempSync(join(tmpdir(), "apimbot-zip-"));
    try {
      const entries = [
        { name: "host.json", data: Buffer.from('{ "version": "2.0" }\n') },
        { name: "functions/index.js", data: Buffer.from("module.exports = {};\n".repeat(500)) },
        { name: "empty.txt", data: Buffer.alloc(0) },
        { name: "notes/résumé ü.txt", data: Buffer.from("UTF-8 names survive\n") },
        { name: "random.bin", data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)) },
      ];
      const zip = createZip(entries);
      const back = readZip(zip);
      expect([...back.keys()]).toEqual(entries.map((e) => e.name));
      for (const e of entries) expect(back.get(e.name)?.equals(e.data), e.name).toBe(true);
      // The repeated source deflates; the archive is smaller than its content.
      expect(zip.length).toBeLessThan(entries.reduce((n, e) => n + e.data.length, 0));

      if (hasUnzip) {
        const file = join(work, "t.zip");
        writeFileSync(file, zip);
        execFileSync("unzip", ["-tq", file]);
        execFileSync("unzip", ["-q", file, "-d", join(work, "out")]);
        expect(readFileSync(join(work, "out", "functions", "index.js"), "utf8")).toBe(entries[1]?.data.toString());
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("is reproducible: the same files give the same bytes", () => {
    const entries = [{ name: "a.txt", data: Buffer.from("same input\n") }];
    expect(createZip(entries).equals(createZip(entries))).toBe(true);
  });
});

describe("npm run build (scripts/build.ts)", () => {
  let out: BuildOutput;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "apimbot-build-"));
    // Another build's file in dist/ must survive ours and stay out of the app package.
    writeFileSync(join(outDir, "appPackage.zip"), "teams app package");
    out = await buildApp(root, fixtureEntry, outDir);
  }, 120_000);

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it("writes the package.json the v4 programming model loads, with nothing to install", () => {
    const pkg = JSON.parse(readFileSync(join(outDir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.main).toBe("functions/index.js");
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.scripts).toBeUndefined();
    expect(readFileSync(join(outDir, "host.json"), "utf8")).toBe(readFileSync(join(root, "host.json"), "utf8"));
  });

  it("zips exactly the app, without other builds' files", () => {
    const files = readZip(readFileSync(out.zip));
    expect([...files.keys()].sort()).toEqual(["functions/index.js", "functions/index.js.LEGAL.txt", "functions/index.js.map", "host.json", "package.json"]);
    expect(files.get("functions/index.js")?.equals(readFileSync(out.bundle))).toBe(true);
    expect(readFileSync(join(outDir, "appPackage.zip"), "utf8")).toBe("teams app package");
    // azd zips dist/ itself; .funcignore keeps the zips out of that package.
    expect(readFileSync(join(outDir, ".funcignore"), "utf8")).toMatch(/^\*\.zip$/m);
  });

  it("bundles every dependency: the app loads from a folder with no node_modules", () => {
    const isolated = mkdtempSync(join(tmpdir(), "apimbot-isolated-"));
    try {
      mkdirSync(join(isolated, "functions"));
      copyFileSync(out.bundle, join(isolated, "functions", "index.js"));
      const script = `const m=require(${JSON.stringify(join(isolated, "functions", "index.js"))});process.stdout.write(JSON.stringify({handlers:["sweep","hygieneReport","messages","sweepInstance"].filter(n=>typeof m[n]==="function"),clients:m.sdkClients}))`;
      const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: isolated, stdio: ["ignore", "pipe", "pipe"] }).toString()) as {
        handlers: string[];
        clients: string[];
      };
      expect(result.handlers).toEqual(["sweep", "hygieneReport", "messages", "sweepInstance"]);
      expect(result.clients).toContain("ApiManagementClient");
      expect(result.clients).toContain("CloudAdapter");
    } finally {
      rmSync(isolated, { recursive: true, force: true });
    }
  });

  it("leaves only the host-provided module and optional peers as runtime requires", () => {
    const bundle = readFileSync(out.bundle, "utf8");
    const bare = new Set([...bundle.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1] ?? ""));
    const builtins = new Set(builtinModules);
    const outside = [...bare].filter((id) => !builtins.has(id) && !builtins.has(id.replace(/^node:/, "")));
    expect(outside.sort()).toEqual(["@azure/functions-core", "@opentelemetry/api-logs"]);
  });

  it("fails with a message naming the missing entry", async () => {
    await expect(buildApp(root, join(root, "src", "app", "no-such-entry.ts"), outDir)).rejects.toThrow(/no-such-entry\.ts does not exist/);
  });
});
