import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { matching, properties, stripComments } from "./bicep-text";

// Bicep cannot be compiled here, so these checks stand in for the compiler's: every module gets the
// parameters it declares, every output read exists, and azd's parameter file matches main.bicep.

const root = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

interface ModuleUse {
  symbol: string;
  path: string;
  params: string[];
}

function moduleUses(file: string): ModuleUse[] {
  const text = stripComments(read(file));
  const out: ModuleUse[] = [];
  const decl = /^\s*module\s+(\w+)\s+'([^']+)'\s*=/gm;
  for (let m = decl.exec(text); m; m = decl.exec(text)) {
    const open = text.indexOf("{", decl.lastIndex);
    const body = text.slice(open + 1, matching(text, open));
    const params = properties(body).get("params") ?? "{}";
    out.push({ symbol: m[1] ?? "", path: join(dirname(file), m[2] ?? ""), params: [...properties(params.slice(1, -1)).keys()] });
  }
  return out;
}

/** Declared params of a Bicep file: name → whether it has a default. */
function declaredParams(file: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of stripComments(read(file)).matchAll(/^\s*param\s+(\w+)\s+\w+(\s*=)?/gm)) out.set(m[1] ?? "", Boolean(m[2]));
  return out;
}

function declaredOutputs(file: string): Set<string> {
  return new Set([...stripComments(read(file)).matchAll(/^\s*output\s+(\w+)\s/gm)].map((m) => m[1] ?? ""));
}

describe("infra/main.bicep wiring", () => {
  const uses = moduleUses("infra/main.bicep");

  it("finds the modules", () => {
    expect(uses.map((u) => u.symbol)).toEqual(["identity", "storage", "monitoring", "watched", "workspaceReaders", "functionApp", "bot", "selfAlerts"]);
  });

  it("passes each module exactly the parameters it declares, and every required one", () => {
    const problems: string[] = [];
    for (const use of uses) {
      if (!existsSync(join(root, use.path))) {
        problems.push(`${use.symbol}: ${use.path} does not exist`);
        continue;
      }
      const declared = declaredParams(use.path);
      for (const p of use.params) if (!declared.has(p)) problems.push(`${use.symbol}: passes ${p}, which ${use.path} does not declare`);
      for (const [p, hasDefault] of declared) if (!hasDefault && !use.params.includes(p)) problems.push(`${use.symbol}: ${use.path} requires ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it("reads only outputs the modules declare", () => {
    const text = stripComments(read("infra/main.bicep"));
    const bySymbol = new Map(uses.map((u) => [u.symbol, u.path]));
    const problems: string[] = [];
    for (const m of text.matchAll(/\b(\w+)(?:\[[^\]]+\])?\.outputs\.(\w+)/g)) {
      const path = bySymbol.get(m[1] ?? "");
      if (!path) problems.push(`${m[0]}: no module named ${m[1]}`);
      else if (!declaredOutputs(path).has(m[2] ?? "")) problems.push(`${m[0]}: ${path} has no output ${m[2]}`);
    }
    expect(problems).toEqual([]);
  });

  it("matches infra/main.parameters.json: nothing unknown, nothing required left out", () => {
    const declared = declaredParams("infra/main.bicep");
    const file = JSON.parse(read("infra/main.parameters.json")) as { parameters: Record<string, unknown> };
    const mapped = Object.keys(file.parameters);
    expect(mapped.filter((p) => !declared.has(p)), "in main.parameters.json but not a param of main.bicep").toEqual([]);
    expect([...declared].filter(([p, hasDefault]) => !hasDefault && !mapped.includes(p)).map(([p]) => p), "required by main.bicep but not in main.parameters.json").toEqual([]);
  });

  it("publishes the outputs the docs and the management-group hook rely on", () => {
    const outputs = declaredOutputs("infra/main.bicep");
    for (const name of ["APIMBOT_FUNCTION_APP_NAME", "APIMBOT_BOT_APP_ID", "APIMBOT_BOT_ENDPOINT", "APIMBOT_IDENTITY_PRINCIPAL_ID", "APIMBOT_APP_INSIGHTS_NAME", "AZURE_RESOURCE_GROUP"]) {
      expect(outputs, name).toContain(name);
    }
    const azureYaml = read("azure.yaml");
    expect(azureYaml).toContain("$APIMBOT_IDENTITY_PRINCIPAL_ID");
    expect(existsSync(join(root, "infra/watch-management-group.bicep"))).toBe(true);
  });
});

describe("azure.yaml", () => {
  it("deploys the build output of npm run build as a Functions app, without a remote build", () => {
    const yaml = read("azure.yaml");
    const field = (key: string) => new RegExp(`^\\s+${key}:\\s*(\\S+)\\s*$`, "m").exec(yaml)?.[1];
    // scripts/build.ts writes dist/ by default; azd zips that folder.
    expect(field("dist")).toBe("dist");
    expect(field("host")).toBe("function");
    expect(field("language")).toBe("ts");
    // The bundle carries its dependencies; a remote npm install would only slow deployments down.
    expect(field("remoteBuild")).toBe("false");
    expect(read("scripts/build.ts")).toContain('join(root, "dist")');
  });
});

describe("host.json and local.settings.json.example", () => {
  it("configures the v4 extension bundle, a bounded timeout and unsampled requests", () => {
    const host = JSON.parse(read("host.json")) as {
      version: string;
      functionTimeout: string;
      extensionBundle: { id: string; version: string };
      logging: { applicationInsights: { samplingSettings: { excludedTypes: string } } };
    };
    expect(host.version).toBe("2.0");
    expect(host.extensionBundle).toEqual({ id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" });
    const [h, m, s] = host.functionTimeout.split(":").map(Number);
    const minutes = (h ?? 0) * 60 + (m ?? 0) + (s ?? 0) / 60;
    // Long enough for a sweep of a large estate, short enough that a hung one is cut off before the next.
    expect(minutes).toBeGreaterThanOrEqual(5);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(host.logging.applicationInsights.samplingSettings.excludedTypes.split(";")).toContain("Request");
  });

  it("gives the local host settings that loadSettings accepts", async () => {
    const { loadSettings } = await import("../../src/config/settings");
    const example = JSON.parse(read("local.settings.json.example")) as { Values: Record<string, string> };
    expect(example.Values.FUNCTIONS_WORKER_RUNTIME).toBe("node");
    const settings = loadSettings(example.Values);
    expect(settings.storage).toEqual({ connectionString: "UseDevelopmentStorage=true" });
    expect(settings.sweepSchedule).toBe(example.Values.APIMBOT_SWEEP_SCHEDULE);
    expect(settings.reportSchedule).toBe(example.Values.APIMBOT_REPORT_SCHEDULE);
  });
});
