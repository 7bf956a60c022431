import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";

const ROOT = join(__dirname, "../..");
const BIN = join(ROOT, "bin/apimbot.cjs");
const DEMO = join(ROOT, "scenarios/demo.json");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would, with only the environment given. */
function apimbot(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const storage = () => ({ AzureWebJobsStorage: inject("storageConnectionString") });

describe("apimbot CLI", () => {
  it("sweep --json prints only a JSON array of the planted findings", async () => {
    const run = await apimbot(["sweep", "--scenario", DEMO, "--json", "--no-post"], storage());
    expect(run.code, run.stderr).toBe(0);
    const findings = JSON.parse(run.stdout) as { kind: string; id: string; remediation: string[] }[];
    expect(Array.isArray(findings)).toBe(true);
    expect(findings.map((f) => f.kind)).toContain("gateway-5xx-spike");
    expect(findings.every((f) => /^[0-9a-f]{16}$/.test(f.id) && f.remediation.length >= 2)).toBe(true);
  });

  it("refuses an unknown flag with exit 2 and names it", async () => {
    const run = await apimbot(["sweep", "--bogus"], storage());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--bogus");
  });

  it("refuses to run without storage settings, naming the setting", async () => {
    const run = await apimbot(["sweep", "--scenario", DEMO, "--no-post"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("AzureWebJobsStorage");
  });

  it("refuses a malformed scenario with exit 2, naming the file and the path inside it", async () => {
    const run = await apimbot(["sweep", "--scenario", join(ROOT, "package.json"), "--no-post"], storage());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("package.json");
  });

  it("diagnose names the gateway and the cause for the demo's 5xx API", async () => {
    const run = await apimbot(["diagnose", "orders-api", "--scenario", DEMO, "--json"], storage());
    expect(run.code, run.stderr).toBe(0);
    const d = JSON.parse(run.stdout) as { api: string; instance: string; layer: string; findings: { kind: string; cause?: string }[]; evidence: Record<string, unknown> };
    expect(d).toMatchObject({ api: "orders-api", instance: "apim-contoso-prod-weu", layer: "gateway" });
    expect(d.findings.find((f) => f.kind === "gateway-5xx-spike")?.cause).toBe("BackendConnectionFailure");
    expect(d.evidence.policyChain).toBeInstanceOf(Array);
  });

  it("diagnose names the auth cause for the demo's auth-burst API", async () => {
    const run = await apimbot(["diagnose", "payments-api", "--scenario", DEMO, "--json"], storage());
    expect(run.code, run.stderr).toBe(0);
    const d = JSON.parse(run.stdout) as { layer: string; findings: { kind: string; cause?: string }[] };
    expect(d.layer).toBe("gateway");
    expect(d.findings.find((f) => f.kind === "auth-failure-burst")?.cause).toBe("TokenAudienceNotAllowed");
  });

  it("diagnose suggests the closest names for a typo", async () => {
    const run = await apimbot(["diagnose", "ordrs-api", "--scenario", DEMO], storage());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("orders-api");
  });

  it("report --html writes a self-contained page", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "apimbot-")), "report.html");
    const run = await apimbot(["report", "--scenario", DEMO, "--no-post", "--html", file], storage());
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
    expect(run.stdout).toMatch(/Hygiene report: \d+ findings/);
  });

  it("suppresses a hygiene rule on one resource with a reason and an expiry, and refuses an unknown rule", async () => {
    const resource = "/subscriptions/c41d7e09-2a5f-4b38-8e61-9f0a3d2c7b54/resourceGroups/rg-apim-dev/providers/Microsoft.ApiManagement/service/apim-contoso-dev/apis/echo-api";
    const bad = await apimbot(["suppress", "APIM.Api.NoDescriptio", resource, "--reason", "internal", "--for", "30d"], storage());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("APIM.Api.NoDescription");
    const noEnd = await apimbot(["suppress", "APIM.Api.NoDescription", resource, "--reason", "internal"], storage());
    expect(noEnd.code).toBe(2);
    expect(noEnd.stderr).toContain("--for");
    const ok = await apimbot(["suppress", "APIM.Api.NoDescription", resource, "--reason", "internal test API", "--for", "30d", "--by", "ada"], storage());
    expect(ok.code, ok.stderr).toBe(0);
    const list = await apimbot(["suppressions", "--json"], storage());
    const entries = JSON.parse(list.stdout) as { rule: string; resourceId: string; reason: string; createdBy: string; expiresAt: string }[];
    expect(entries).toContainEqual(expect.objectContaining({ rule: "APIM.Api.NoDescription", resourceId: resource, reason: "internal test API", createdBy: "ada" }));
  });
});
