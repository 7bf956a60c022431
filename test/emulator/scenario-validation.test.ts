import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateScenario, loadScenario, ScenarioError } from "../../src/emulator";

const SUB = "3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23";

function minimal(): { subscriptions: unknown[]; instances: Record<string, unknown>[] } {
  return {
    subscriptions: [{ id: SUB, displayName: "contoso-apim-prod" }],
    instances: [
      {
        name: "apim-contoso-test",
        subscriptionId: SUB,
        resourceGroup: "rg-apim-test",
        location: "West Europe",
        sku: { name: "Developer", capacity: 1 },
        users: [{ name: "amira-haddad", email: "amira.haddad@contoso-demo.example", firstName: "Amira", lastName: "Haddad" }],
        apis: [{ name: "orders-api", displayName: "Orders API", path: "orders", serviceUrl: "https://orders.example.test" }],
        products: [{ name: "starter", displayName: "Starter", apis: ["orders-api"] }],
        subscriptions: [{ name: "web-shop", scope: "/products/starter", owner: "amira-haddad", expirationDate: "+5d" }],
      },
    ],
  };
}

function refusal(mutate: (s: ReturnType<typeof minimal>) => void): ScenarioError {
  const s = minimal();
  mutate(s);
  try {
    loadScenario(s, "estate.json");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("the scenario was accepted");
}

const inst = (s: ReturnType<typeof minimal>) => s.instances[0] as Record<string, unknown> & { apis: Record<string, unknown>[]; subscriptions: Record<string, unknown>[] };

describe("scenario validation", () => {
  it("accepts the demo and generated estates", () => {
    const demo = loadScenario("scenarios/demo.json");
    expect(demo.instances.map((i) => i.sku.name)).toEqual(["Premium", "Developer", "StandardV2"]);
    expect(demo.instances.flatMap((i) => i.apis)).toHaveLength(12);
    expect(demo.instances.flatMap((i) => i.subscriptions)).toHaveLength(40);
    const big = loadScenario(generateScenario({ instances: 60, subscriptions: 3, apisPerInstance: 8 }));
    expect(big.instances).toHaveLength(60);
    expect(new Set(big.instances.map((i) => i.subscriptionId)).size).toBe(3);
    expect(loadScenario("scenarios/test/premium-updating.json").instances[0]?.provisioningState).toBe("Updating");
    const failures = loadScenario("scenarios/test/failures.json");
    expect(failures.instances.map((i) => i.provisioningState)).toEqual(["Failed", "Succeeded", "Succeeded"]);
    expect(failures.faults[0]).toMatchObject({ count: "always", status: 500 });
  });

  it("names file, path and problem for a wrong type", () => {
    const e = refusal((s) => {
      inst(s).apis[0]!.serviceUrl = 42;
    });
    expect(e.file).toBe("estate.json");
    expect(e.path).toBe("instances[0].apis[0].serviceUrl");
    expect(e.message).toBe("estate.json: instances[0].apis[0].serviceUrl: expected a string, got the number 42");
  });

  it("refuses unknown keys, naming the known ones", () => {
    const e = refusal((s) => {
      inst(s).apis[0]!.servceUrl = "https://typo.example.test";
    });
    expect(e.path).toBe("instances[0].apis[0].servceUrl");
    expect(e.message).toContain('unknown field "servceUrl"');
    expect(e.message).toContain("serviceUrl");
  });

  it("refuses a subscription whose scope names a missing product", () => {
    const e = refusal((s) => {
      inst(s).subscriptions[0]!.scope = "/products/gold";
    });
    expect(e.message).toBe(`estate.json: instances[0].subscriptions[0].scope: names product "gold", which is not in this instance's products[]`);
  });

  it("refuses dangling owners, API references, unknown Azure subscriptions and duplicates", () => {
    expect(refusal((s) => (inst(s).subscriptions[0]!.owner = "nobody")).path).toBe("instances[0].subscriptions[0].owner");
    expect(refusal((s) => ((inst(s).products as Record<string, unknown>[])[0]!.apis = ["orders-api", "ghost-api"])).message).toContain('instances[0].products[0].apis[1]: names API "ghost-api"');
    expect(refusal((s) => (inst(s).subscriptionId = "c41d7e09-2a5f-4b38-8e61-9f0a3d2c7b54")).message).toContain("instances[0].subscriptionId: names subscription");
    const dup = refusal((s) => inst(s).apis.push({ name: "Orders-API", displayName: "Again", path: "again" }));
    expect(dup.message).toContain("instances[0].apis[1].name: duplicate API");
  });

  it("refuses bad times and explains the accepted forms", () => {
    const e = refusal((s) => (inst(s).subscriptions[0]!.expirationDate = "in five days"));
    expect(e.path).toBe("instances[0].subscriptions[0].expirationDate");
    expect(e.message).toContain('"-45m"');
  });

  it("passes traffic errors through with their path", () => {
    const e = refusal((s) => (inst(s).apis[0]!.traffic = { requestsPerMinute: -3 }));
    expect(e.path).toBe("instances[0].apis[0].traffic.requestsPerMinute");
  });

  it("refuses unusable faults", () => {
    const s = { ...minimal(), faults: [{ path: "/subscriptions/**", status: 418 }] };
    expect(() => loadScenario(s, "estate.json")).toThrow("estate.json: faults[0].status: must be 429, 500 or 503, got 418");
  });

  it("names the file when it is missing or not JSON", () => {
    expect(() => loadScenario("scenarios/no-such-file.json")).toThrow(/^scenarios\/no-such-file\.json: \(root\): cannot read the file: ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), "scenario-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, '{ "subscriptions": [ }');
    expect(() => loadScenario(file)).toThrow(`${file}: (root): not valid JSON`);
  });
});
