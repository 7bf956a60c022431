import { request } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { generateScenario, startEmulator, type RunningEmulator } from "../../src/emulator";
import { all, apim, monitor } from "./sdk-clients";

const started: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function start(extra: Record<string, unknown> = {}, opts: { now?: Date; frozenClock?: boolean } = {}) {
  const scenario = { ...generateScenario({ instances: 3, subscriptions: 1, apisPerInstance: 3, seed: 7 }), ...extra };
  const emu = await startEmulator({ scenario, ...opts });
  started.push(emu);
  const sub = emu.env.APIMBOT_SUBSCRIPTION_IDS ?? "";
  const instances = (scenario.instances as { name: string; resourceGroup: string }[]).map((i) => ({ name: i.name, rg: i.resourceGroup }));
  return { emu, sub, instances };
}

function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${path}`, { method, ca: emu.caCertPem, headers: { authorization: `Bearer ${emu.token}`, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe("fault injection", () => {
  it("throttles with 429 and Retry-After; the SDK waits, retries and succeeds", async () => {
    const { emu, sub, instances } = await start();
    const target = instances[0]!;
    emu.injectFault({ path: "/subscriptions/*/resourceGroups/*/providers/Microsoft.ApiManagement/service/*/apis", count: 1, status: 429, retryAfterSeconds: 1 });
    const began = Date.now();
    const apis = await all(apim(emu, sub).api.listByService(target.rg, target.name));
    expect(apis).toHaveLength(3);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(emu.stats()["faults.injected"]).toBe(1);
    expect(emu.stats()["arm.apis.list"]).toBe(2);
  });

  it("fails one instance permanently with 500 while the others are served", async () => {
    const { emu, sub, instances } = await start();
    const [broken, healthy] = [instances[1]!, instances[2]!];
    emu.injectFault({ pathRegex: `/service/${broken.name}(/|$)`, count: "always", status: 500 });
    const client = apim(emu, sub, 1);
    await expect(client.apiManagementService.get(broken.rg, broken.name)).rejects.toMatchObject({ statusCode: 500, code: "InternalServerError" });
    await expect(all(client.subscription.list(broken.rg, broken.name))).rejects.toMatchObject({ statusCode: 500 });
    expect((await client.apiManagementService.get(healthy.rg, healthy.name)).name).toBe(healthy.name);
    expect(await all(client.subscription.list(healthy.rg, healthy.name))).toHaveLength(12);
    emu.clearFaults();
    expect((await client.apiManagementService.get(broken.rg, broken.name)).name).toBe(broken.name);
  });

  it("can send a malformed body, reset the connection, or hang past the client's timeout", async () => {
    const { emu, sub, instances } = await start();
    const t = instances[0]!;
    const client = apim(emu, sub, 0);
    emu.injectFault({ path: "**/users", malformed: true });
    await expect(all(client.user.listByService(t.rg, t.name))).rejects.toThrow();
    emu.injectFault({ path: "**/backends", method: "GET", timeout: "reset" });
    await expect(all(client.backend.listByService(t.rg, t.name))).rejects.toMatchObject({ code: "ECONNRESET" });
    emu.injectFault({ path: "**/products", timeout: "hang", holdMs: 60_000 });
    await expect(all(client.product.listByService(t.rg, t.name, { abortSignal: AbortSignal.timeout(300) }))).rejects.toMatchObject({ name: "AbortError" });
    // Consumed: the next calls are answered normally.
    expect(await all(client.user.listByService(t.rg, t.name))).toHaveLength(6);
    expect(await all(client.product.listByService(t.rg, t.name))).toHaveLength(1);
  });

  it("adds latency without changing the answer", async () => {
    const { emu, sub, instances } = await start();
    const t = instances[0]!;
    emu.injectFault({ path: "**/service/*", latencyMs: 400 });
    const began = Date.now();
    expect((await apim(emu, sub).apiManagementService.get(t.rg, t.name)).name).toBe(t.name);
    expect(Date.now() - began).toBeGreaterThanOrEqual(380);
  });

  it("takes faults from the scenario file and over the control API, and reports stats", async () => {
    const { emu, sub, instances } = await start({ faults: [{ path: "**/subscriptions", count: 2, status: 503, retryAfterSeconds: 0 }] });
    const t = instances[0]!;
    expect(await all(apim(emu, sub, 3).subscription.list(t.rg, t.name))).toHaveLength(12);
    expect(emu.stats()["faults.injected"]).toBe(2);

    const added = await control(emu, "POST", "/_emulator/faults", { path: "**/apis", count: 1, status: 500 });
    expect(added).toEqual({ status: 200, json: { added: 1 } });
    await expect(all(apim(emu, sub, 0).api.listByService(t.rg, t.name))).rejects.toMatchObject({ statusCode: 500 });
    const stats = await control(emu, "GET", "/_emulator/stats");
    expect(stats.json).toMatchObject({ "faults.injected": 3, "arm.apis.list": 1, "arm.subscriptions.list": 4 });
    expect((await control(emu, "POST", "/_emulator/faults", { path: "**", status: 418 })).status).toBe(400);
    await control(emu, "DELETE", "/_emulator/stats");
    expect((await control(emu, "GET", "/_emulator/stats")).json).toEqual({});
  });
});

describe("clock", () => {
  it("resolves relative times at load; set and advance move now, not what was planted", async () => {
    const start0 = new Date("2026-05-01T08:00:00Z");
    const scenario = generateScenario({ instances: 1, seed: 3 });
    const first = (scenario.instances as { subscriptions: { expirationDate: string }[] }[])[0]!.subscriptions[0]!;
    first.expirationDate = "+5d";
    const emu = await startEmulator({ scenario, now: start0, frozenClock: true });
    started.push(emu);
    expect(emu.clock.now().toISOString()).toBe(start0.toISOString());
    emu.clock.advance(90 * 60_000);
    expect(emu.clock.now().toISOString()).toBe("2026-05-01T09:30:00.000Z");
    const inst = (scenario.instances as { name: string; resourceGroup: string }[])[0]!;
    const contracts = await all(apim(emu, emu.env.APIMBOT_SUBSCRIPTION_IDS ?? "").subscription.list(inst.resourceGroup, inst.name));
    expect(contracts[0]?.expirationDate?.toISOString()).toBe("2026-05-06T08:00:00.000Z");

    const set = await control(emu, "POST", "/_emulator/clock", { set: "2026-06-01T00:00:00Z" });
    expect(set.json).toEqual({ now: "2026-06-01T00:00:00.000Z" });
    const advanced = await control(emu, "POST", "/_emulator/clock", { advanceMinutes: 45 });
    expect(advanced.json).toEqual({ now: "2026-06-01T00:45:00.000Z" });
    expect((await control(emu, "POST", "/_emulator/clock", { advance: 1 })).status).toBe(400);
  });

  it("follows real time unless frozen", async () => {
    const { emu } = await start({}, { now: new Date("2026-01-01T00:00:00Z") });
    const a = emu.clock.now().getTime();
    await new Promise((r) => setTimeout(r, 60));
    expect(emu.clock.now().getTime() - a).toBeGreaterThanOrEqual(50);
  });
});

describe("scenarios/test/failures.json", () => {
  it("serves the failed operation's ARM error and isolates the unreadable instance", async () => {
    const emu = await startEmulator({ scenario: "scenarios/test/failures.json" });
    started.push(emu);
    const sub = "c41d7e09-2a5f-4b38-8e61-9f0a3d2c7b54";
    const client = apim(emu, sub, 0);
    const failed = await client.apiManagementService.get("rg-apim-fabrikam", "apim-fabrikam-failed");
    expect(failed.provisioningState).toBe("Failed");
    const since = new Date(emu.clock.now().getTime() - 3 * 3_600_000).toISOString();
    const events = await all(monitor(emu, sub).activityLogs.list(`eventTimestamp ge '${since}' and resourceUri eq '${failed.id ?? ""}'`));
    const failure = events.find((e) => e.status?.value === "Failed");
    expect(JSON.parse(String(failure?.properties?.statusMessage))).toMatchObject({ error: { code: "InvalidSubnetConfiguration" } });
    await expect(all(client.api.listByService("rg-apim-fabrikam", "apim-fabrikam-unreadable"))).rejects.toMatchObject({ statusCode: 500 });
    expect((await all(client.api.listByService("rg-apim-fabrikam", "apim-fabrikam-healthy"))).map((a) => a.name)).toEqual(["echo-api"]);
  });
});
