import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..");

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)) {
    found.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return found;
}

/** Pure libraries (no I/O, no clock) the pure layers may use. */
const PURE_LIBRARIES = new Set(["saxes", "date-fns"]);

/** The pure layers: no SDK, no node:*, no clock, no environment. */
const PURE = ["src/domain", "src/detect", "src/hygiene", "src/triage", "src/playbook"];
/** Pure card builders live in notify next to delivery, which is an adapter. */
const PURE_FILES = (f: string) => /^src\/notify\/.*-card\.ts$|^src\/notify\/report-html\.ts$/.test(f);

describe("layering", () => {
  const pure = [...PURE.flatMap(files), ...files("src/notify").filter(PURE_FILES)];

  it("finds the pure layers", () => {
    expect(pure.length).toBeGreaterThan(5);
  });

  it.each(pure)("%s imports no SDK and no node:* module (pure libraries only)", (file) => {
    const bad = imports(file).filter((spec) => !spec.startsWith(".") && !PURE_LIBRARIES.has(spec));
    expect(bad, `${file} imports ${bad.join(", ")}`).toEqual([]);
  });

  it.each(pure)("%s reads neither the clock nor the environment", (file) => {
    const text = readFileSync(join(root, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "");
    expect(text, `${file} reads the clock`).not.toMatch(/Date\.now\(|new Date\(\s*\)|performance\.now\(/);
    expect(text, `${file} reads process.env`).not.toMatch(/process\.env/);
  });

  it.each(files("src/domain"))("%s imports only from src/domain", (file) => {
    const outside = imports(file).filter((spec) => !spec.startsWith("./"));
    expect(outside).toEqual([]);
  });

  it.each(pure)("%s does not import adapters (collect, store, teams, app)", (file) => {
    const bad = imports(file).filter((spec) => /(^|\/)(collect|store|teams|app|dev|cli|emulator)(\/|$)/.test(spec));
    expect(bad, `${file} imports ${bad.join(", ")}`).toEqual([]);
  });

  it.each(files("src/emulator"))("%s knows nothing of the product's internals", (file) => {
    const bad = imports(file).filter((spec) => /(^|\/)(collect|detect|triage|notify|teams|app|hygiene|playbook|store)(\/|$)/.test(spec));
    expect(bad, `${file} imports ${bad.join(", ")}`).toEqual([]);
  });

  it.each(files("functions"))("%s is thin: it registers a trigger and delegates to src/app", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const code = text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//") && !l.trim().startsWith("*") && !l.trim().startsWith("/*"));
    expect(code.length, `${relative(root, file)} has ${code.length} lines of code`).toBeLessThanOrEqual(25);
    const local = imports(file).filter((s) => s.startsWith("."));
    expect(local.every((s) => s.startsWith("../src/app/")), `${file} imports ${local.join(", ")}`).toBe(true);
  });
});
