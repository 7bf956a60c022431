import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCollector, type CollectPlan, type CollectResult } from "../../src/collect/index";
import { loadSettings, type Settings } from "../../src/config/settings";
import { ManualClock } from "../../src/domain/clock";
import { memoryLogger } from "../../src/domain/logger";
import type { InstanceSnapshot } from "../../src/domain/snapshot";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index";
import { startForbiddingProxy } from "./forbidding-proxy";

const SCENARIO = join(__dirname, "fixtures", "estate.json");
const NOW = new Date("2026-11-27T10:00:30Z");
const FAST = { baseDelayMs: 5, maxDelayMs: 40, maxRetries: 3 };

const fullPlan: CollectPlan = {
  readConfig: true,
  readSubscriptions: () => true,
  readLogDestinations: () => true,
  telemetryWindowMinutes: 120,
  intervalMinutes: 5,
  readLogs: true,
};

let emu: RunningEmulator;
let settings: Settings;

function collector(over: { settings?: Partial<Settings>; tlsCa?: string; retry?: object } = {}) {
  const log = memoryLogger();
  const c = createCollector({
    settings: { ...settings, ...over.settings },
    clock: new ManualClock(NOW),
    tlsCa: over.tlsCa ?? emu.caCertPem,
    log,
    retry: { ...FAST, ...over.retry },
  });
  return { c, log };
}

const byName = (r: CollectResult, name: string): InstanceSnapshot => {
  const s = r.estate.instances.find((i) => i.instance.name === name);
  if (!s) throw new Error(`instance ${name} was not collected`);
  return s;
};

beforeAll(async () => {
  emu = await startEmulator({ scenario: SCENARIO, frozenClock: true, now: NOW });
  settings = loadSettings({ ...emu.env, AzureWebJobsStorage: "UseDevelopmentStorage=true", APIMBOT_CONCURRENCY: "4" });
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  emu.clearFaults();
  emu.resetStats();
});

describe("collecting an estate from the emulator with the real SDK clients", () => {
  it("reads every instance and its configuration, paging past the first page", async () => {
    const { c } = collector();
    const r = await c.collect(fullPlan);
    expect(r.estate.failures).toEqual([]);
    expect(r.estate.instances.map((i) => i.instance.name).sort()).toEqual(["apim-partner-gw", "apim-shop-dev", "apim-shop-prod"]);
    for (const i of r.estate.instances) expect(i.failures).toEqual([]);
    // Pages of 2: the instance list and the 3 APIs of apim-shop-prod each take a second page.
    expect(r.stats.resourcegraph).toBe(2);
    expect(r.stats["arm.apim.apis"]).toBe(4);

    const prod = byName(r, "apim-shop-prod");
    expect(prod.instance).toMatchObject({ subscriptionId: "3f6c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b", resourceGroup: "rg-shop", sku: { name: "Premium", capacity: 2 }, provisioningState: "Succeeded" });
    const cfg = prod.config!;
    expect(cfg.apis.map((a) => a.name).sort()).toEqual(["catalog-api", "orders-api", "payments-api"]);
    expect(cfg.operations.filter((o) => o.apiName === "orders-api").map((o) => o.name).sort()).toEqual(["create-order", "get-order", "list-orders"]);
    expect(cfg.products.find((p) => p.name === "retail")?.apiNames.sort()).toEqual(["catalog-api", "orders-api"]);
    expect(cfg.backends.find((b) => b.name === "orders-backend")).toMatchObject({ hasCredentials: true });
    expect(cfg.namedValues.find((n) => n.name === "signing-cert")?.keyVault?.lastStatus?.code).toBe("Forbidden");
    expect(cfg.users.map((u) => u.name).sort()).toEqual(["dana-kim", "li-wei", "sam-ortiz"]);
  });

  it("reads policies at global, product, API and operation scope as rawxml", async () => {
    const { c } = collector();
    const r = await c.collect({ ...fullPlan, readLogs: false, instanceFilter: (i) => i.name === "apim-shop-prod" });
    const policies = byName(r, "apim-shop-prod").config!.policies;
    const at = (scope: string) => policies.filter((p) => p.scope === scope);
    expect(at("global")).toHaveLength(1);
    expect(at("global")[0]!.xml).toContain("<cors");
    expect(at("product").map((p) => p.productName)).toEqual(["retail"]);
    expect(at("product")[0]!.xml).toContain('<rate-limit calls="100"');
    expect(at("api").map((p) => p.apiName)).toEqual(["orders-api"]);
    expect(at("api")[0]!.xml).toContain("<validate-jwt");
    const op = at("operation");
    expect(op.map((p) => [p.apiName, p.operationName])).toEqual([["orders-api", "get-order"]]);
    // rawxml keeps the C# expression as written (xml format would escape the `>`).
    expect(op[0]!.format).toBe("rawxml");
    expect(op[0]!.xml).toContain("Path.Length > 20");
    expect(op[0]!.xml).toContain("\r\n");
  });

  it("reads contracts with their owners, the activity of unfinished instances and the log workspace", async () => {
    const { c } = collector();
    const r = await c.collect(fullPlan);
    const prod = byName(r, "apim-shop-prod");
    const subs = new Map(prod.subscriptions!.map((s) => [s.name, s]));
    expect(subs.size).toBe(5);
    expect(subs.get("web-shop")).toMatchObject({ state: "active", scopeKind: "product", scopeName: "retail", ownerName: "Dana Kim", ownerEmail: "dana.kim@shop.example", expirationDate: "2026-12-02T10:00:30.000Z" });
    expect(subs.get("ops-tools")).toMatchObject({ state: "suspended", scopeKind: "all-apis" });
    expect(prod.subscriptionsReadAt).toBe(NOW.toISOString());
    // Succeeded: no Activity Log read. Updating and Failed: read, with the failed operation's error.
    expect(prod.activity).toBeUndefined();
    expect(byName(r, "apim-shop-dev").activity?.map((a) => a.status)).toEqual(["Started", "Accepted"]);
    const failed = byName(r, "apim-partner-gw").activity!.find((a) => a.status === "Failed");
    expect(failed).toMatchObject({ errorCode: "InvalidSubnetConfiguration", correlationId: "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910" });
    expect(r.stats.activitylog).toBe(2);
    expect(byName(r, "apim-shop-dev").health?.availabilityState).toBe("Available");
    expect(prod.logDestinations).toEqual([
      {
        workspaceResourceId: "/subscriptions/3f6c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-shop-ops/providers/Microsoft.OperationalInsights/workspaces/law-shop-ops",
        workspaceId: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
        destinationType: "Dedicated",
      },
    ]);
  });

  it("splits Requests so backend 5xx, gateway 5xx and 401s by reason can be told apart, and enriches 401s from logs", async () => {
    const { c } = collector();
    const r = await c.collect(fullPlan);
    const prod = byName(r, "apim-shop-prod");
    const t = r.telemetry.get(prod.instance.id)!;
    expect(t).toMatchObject({ source: "metrics-batch", intervalMinutes: 5, from: "2026-11-27T08:00:00.000Z", to: "2026-11-27T10:00:00.000Z" });
    const sum = (pred: (q: (typeof t.requests)[number]) => boolean) => t.requests.filter(pred).reduce((n, q) => n + q.count, 0);
    expect(sum((q) => q.apiId === "payments-api" && q.lastErrorReason === "BackendConnectionFailure" && q.backendResponseCode === "")).toBeGreaterThan(0);
    expect(sum((q) => q.apiId === "orders-api" && q.gatewayResponseCode === "500" && q.backendResponseCode === "500")).toBeGreaterThan(0);
    const burst = sum((q) => q.apiId === "orders-api" && q.gatewayResponseCode === "401" && q.lastErrorReason === "TokenAudienceNotAllowed");
    expect(burst).toBeGreaterThan(500);
    expect(t.requests.every((q) => q.time < t.to)).toBe(true);

    expect(t.authLogs?.table).toBe("ApiManagementGatewayLogs");
    const group = t.authLogs!.groups.find((g) => g.lastErrorReason === "TokenAudienceNotAllowed")!;
    expect(group).toMatchObject({ apiId: "orders-api", responseCode: 401, topCallerIps: [{ value: "192.0.2.77" }], topSubscriptions: [{ value: "partner-acme" }], topProducts: [{ value: "partners" }] });
    expect(group.sampleMessage).toContain("Audience api://wrong is not allowed");
    expect(group.sampleMessage).not.toContain("eyJ");
    // apim-shop-dev sends to the same workspace in legacy mode: a second query, on AzureDiagnostics.
    expect(r.stats["logs.query"]).toBe(2);
    const legacy = r.telemetry.get(byName(r, "apim-shop-dev").instance.id)!.authLogs!;
    expect(legacy.table).toBe("AzureDiagnostics");
    expect(legacy.groups).toHaveLength(1);
    expect(legacy.groups[0]).toMatchObject({ apiId: "orders-api", lastErrorReason: "TokenExpired", responseCode: 401, topCallerIps: [{ value: "203.0.113.99" }] });
    expect(legacy.groups[0]!.sampleMessage).toContain("Bearer [redacted]");
  });

  it("gets the same numbers from per-resource metrics when the batch API fails", async () => {
    const batch = await collector().c.collect({ ...fullPlan, readConfig: false, readLogs: false });
    emu.injectFault({ pathRegex: "metrics:getBatch", count: "always", status: 500 });
    const { c, log } = collector();
    const perResource = await c.collect({ ...fullPlan, readConfig: false, readLogs: false });
    expect(perResource.stats["metrics.arm"]).toBe(3);
    expect(log.lines.some((l) => l.message.includes("metrics batch call failed"))).toBe(true);
    for (const s of batch.estate.instances) {
      const a = batch.telemetry.get(s.instance.id)!;
      const b = perResource.telemetry.get(s.instance.id)!;
      expect(a.source).toBe("metrics-batch");
      expect(b.source).toBe("metrics-arm");
      const key = (q: (typeof a.requests)[number]) => JSON.stringify(q);
      expect(b.requests.map(key).sort()).toEqual(a.requests.map(key).sort());
      expect(a.requests.length).toBeGreaterThan(0);
    }
  });

  it("retries 429 (honouring Retry-After) and 500, and succeeds", async () => {
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop-prod/apis", count: 1, status: 429, retryAfterSeconds: 1 });
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/*/backends", count: 2, status: 500 });
    emu.injectFault({ pathRegex: "metrics:getBatch", count: 1, status: 503 });
    const { c } = collector();
    const started = Date.now();
    const r = await c.collect({ ...fullPlan, readLogs: false });
    expect(r.estate.instances.flatMap((i) => i.failures)).toEqual([]);
    expect(byName(r, "apim-shop-prod").config!.apis).toHaveLength(3);
    expect(byName(r, "apim-shop-prod").config!.backends).toHaveLength(2);
    expect(r.stats.throttled).toBe(1);
    expect(r.stats.retries).toBeGreaterThanOrEqual(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(r.telemetry.size).toBe(3);
    expect(emu.stats()["faults.injected"]).toBe(4);
  });

  it("isolates a permanently failing instance and still collects the others", async () => {
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/rg-partner/providers/Microsoft.ApiManagement/service/apim-partner-gw/**", count: "always", status: 500 });
    const { c } = collector({ retry: { maxRetries: 1 } });
    const r = await c.collect(fullPlan);
    const broken = byName(r, "apim-partner-gw");
    expect(broken.config?.apis ?? []).toEqual([]);
    expect(broken.failures.length).toBeGreaterThan(5);
    expect(new Set(broken.failures.map((f) => f.code))).toEqual(new Set(["ServerError"]));
    expect(broken.failures.every((f) => f.status === 500 && f.retryable && f.instance === "apim-partner-gw")).toBe(true);
    expect(broken.failures.map((f) => f.part)).toEqual(expect.arrayContaining(["apis", "backends", "subscriptions", "health", "logDestinations"]));
    for (const name of ["apim-shop-prod", "apim-shop-dev"]) {
      expect(byName(r, name).failures).toEqual([]);
      expect(r.telemetry.get(byName(r, name).instance.id)?.requests.length).toBeGreaterThan(0);
    }
    expect(byName(r, "apim-shop-prod").config!.apis).toHaveLength(3);
  });

  it("records a malformed body and a timeout as failures of that part only", async () => {
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop-prod/backends", count: "always", malformed: true });
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop-prod/loggers", count: "always", timeout: "hang", holdMs: 5_000 });
    const { c } = collector({ retry: { maxRetries: 1, timeoutMs: 400 } });
    const r = await c.collect({ ...fullPlan, readLogs: false, instanceFilter: (i) => i.name === "apim-shop-prod" });
    const prod = byName(r, "apim-shop-prod");
    expect(prod.failures.map((f) => [f.part, f.code]).sort()).toEqual([
      ["backends", "MalformedResponse"],
      ["loggers", "Timeout"],
    ]);
    expect(prod.config!.apis).toHaveLength(3);
    expect(prod.config!.backends).toEqual([]);
  });

  it("records a 403 as Forbidden, for that instance only", async () => {
    const proxy = await startForbiddingProxy(emu.url, emu.caCertPem, /\/service\/apim-shop-dev(\/|$)/i);
    try {
      const viaProxy = { armEndpoint: proxy.url, metricsEndpoint: `${proxy.url}/metrics/{region}`, logsEndpoint: `${proxy.url}/v1` };
      const { c } = collector({ settings: viaProxy, tlsCa: proxy.caCertPem });
      const r = await c.collect({ ...fullPlan, readLogs: false });
      const dev = byName(r, "apim-shop-dev");
      expect(dev.failures.length).toBeGreaterThan(0);
      expect(dev.failures.every((f) => f.code === "Forbidden" && f.status === 403 && !f.retryable)).toBe(true);
      expect(dev.failures[0]!.message).toContain("does not have authorization");
      expect(byName(r, "apim-shop-prod").failures).toEqual([]);
      expect(byName(r, "apim-partner-gw").failures).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("falls back to ARM per subscription when Resource Graph fails", async () => {
    emu.injectFault({ path: "/providers/Microsoft.ResourceGraph/resources", count: "always", status: 500 });
    const { c } = collector({ retry: { maxRetries: 1 } });
    const r = await c.collect({ ...fullPlan, readConfig: false, readLogs: false });
    expect(r.estate.instances.map((i) => i.instance.name).sort()).toEqual(["apim-partner-gw", "apim-shop-dev", "apim-shop-prod"]);
    expect(r.stats["arm.apim.service"]).toBeGreaterThanOrEqual(2);
    expect(byName(r, "apim-shop-prod").instance.location).toBe("West Europe");
  });

  it("resolves with the failures when nothing at all can be read", async () => {
    const { c } = collector({ settings: { staticBearerToken: "not-the-emulator-token" } });
    const r = await c.collect(fullPlan);
    expect(r.estate.instances).toEqual([]);
    expect(r.estate.failures.map((f) => [f.instanceId, f.code])).toEqual([
      ["/subscriptions/3f6c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "Unauthorized"],
      ["/subscriptions/8e7d6c5b-4a39-4281-b0c9-d8e7f6a5b4c3", "Unauthorized"],
    ]);
    expect(JSON.stringify(r)).not.toContain("not-the-emulator-token");
  });

  it("keeps the steady-state sweep to a handful of calls", async () => {
    const first = await collector().c.collect(fullPlan);
    const known = new Map(first.estate.instances.map((i) => [i.instance.id, i.logDestinations ?? []]));
    const { c } = collector();
    const r = await c.collect({ ...fullPlan, readConfig: false, readSubscriptions: () => false, readLogDestinations: () => false, knownLogDestinations: known });
    // Instances (2 pages), metrics (one batch per subscription and region), one log query per
    // workspace and table, and the
    // Activity Log and Resource Health of the two instances that are not Succeeded.
    expect(r.stats).toEqual({ resourcegraph: 2, "metrics.batch": 2, "logs.query": 2, activitylog: 2, health: 2 });
    expect(r.telemetry.get(byName(r, "apim-shop-prod").instance.id)?.authLogs?.groups.length).toBeGreaterThan(0);
    expect(byName(r, "apim-shop-prod").subscriptions).toBeUndefined();
  });

  it("collects one instance and one API for diagnose", async () => {
    const { c } = collector();
    const r = await c.collect({ ...fullPlan, instanceFilter: (i) => i.name === "apim-shop-prod", apiId: "payments-api" });
    expect(r.estate.instances).toHaveLength(1);
    const t = r.telemetry.get(byName(r, "apim-shop-prod").instance.id)!;
    expect(new Set(t.requests.map((q) => q.apiId))).toEqual(new Set(["payments-api"]));
  });

  it("never lets a secret or the bearer token reach the snapshot or the log", async () => {
    const { c, log } = collector();
    const r = await c.collect(fullPlan);
    const text = JSON.stringify({ estate: r.estate, telemetry: [...r.telemetry.values()], log: log.lines });
    expect(text).not.toContain(emu.token);
    expect(text).not.toContain("k9Q2mX7vR4tB8nL1pZ6wC3yD5fG0hJ2s");
    expect(text).not.toContain("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0");
  });
});
