import { describe, expect, it } from "vitest";
import { authLogsQuery, toAuthLogGroups, workspacePlan } from "../../src/collect/read-auth-logs";
import type { ServiceInstance } from "../../src/domain/snapshot";
import { parseKql } from "../../src/emulator/kql";

const ID = "/subscriptions/6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop";
const from = new Date("2026-11-27T09:40:00Z");
const to = new Date("2026-11-27T10:10:00Z");
const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly93cm9uZyJ9.c2lnbmF0dXJl";

describe("authLogsQuery", () => {
  it("queries the dedicated table inside the supported KQL subset", () => {
    const q = authLogsQuery("ApiManagementGatewayLogs", [ID, "/subscriptions/x/resourceGroups/y/providers/Microsoft.ApiManagement/service/it's"], from, to);
    expect(q).toContain("TimeGenerated between (datetime(2026-11-27T09:40:00.000Z) .. datetime(2026-11-27T10:10:00.000Z))");
    expect(q).toContain("ResponseCode in (401, 403)");
    expect(q).toContain(`_ResourceId =~ '${ID}'`);
    expect(q).toContain("service/it\\'s'");
    const parsed = parseKql(q);
    expect(parsed.table).toBe("ApiManagementGatewayLogs");
    expect(parsed.ops.map((o) => o.op)).toEqual(["where", "where", "where", "summarize", "top"]);
  });

  it("uses the legacy column names for AzureDiagnostics", () => {
    const q = authLogsQuery("AzureDiagnostics", [ID], from, to);
    expect(q).toContain("Category == 'GatewayLogs'");
    expect(q).toContain("responseCode_d in (401, 403)");
    expect(q).toContain("by ResourceId, apiId_s, lastError_reason_s, responseCode_d, callerIpAddress_s, apimSubscriptionId_s, productId_s");
    expect(parseKql(q).ops.map((o) => o.op)).toEqual(["where", "where", "where", "where", "summarize", "top"]);
  });
});

describe("toAuthLogGroups", () => {
  it("groups by API, reason and code with top callers and a redacted sample", () => {
    const columns = ["_ResourceId", "ApiId", "LastErrorReason", "ResponseCode", "CallerIpAddress", "ApimSubscriptionId", "ProductId", "hits", "firstSeen", "lastSeen", "sample"];
    const row = (ip: string, sub: string, hits: number, reason = "TokenAudienceNotAllowed", code = 401, first = "2026-11-27T09:45:00Z", last = "2026-11-27T10:05:00Z") => [
      ID.toLowerCase(),
      "orders",
      reason,
      code,
      ip,
      sub,
      "partners",
      hits,
      new Date(first),
      new Date(last),
      `Audience validation failed for token ${jwt}`,
    ];
    const groups = toAuthLogGroups("ApiManagementGatewayLogs", {
      name: "PrimaryResult",
      columnDescriptors: columns.map((name) => ({ name, type: "string" })),
      rows: [
        row("203.0.113.7", "acme", 120, undefined, undefined, "2026-11-27T09:50:00Z"),
        row("203.0.113.8", "acme", 30),
        row("198.51.100.2", "globex", 55, undefined, undefined, "2026-11-27T09:42:00Z", "2026-11-27T10:01:00Z"),
        row("198.51.100.2", "globex", 9, "SubscriptionKeyInvalid", 401),
        ["", "x", "y", 401, "", "", "", 3, "", "", ""],
      ],
    });
    expect([...groups.keys()]).toEqual([ID.toLowerCase()]);
    const [audience, key] = groups.get(ID.toLowerCase())!;
    expect(audience).toMatchObject({
      apiId: "orders",
      lastErrorReason: "TokenAudienceNotAllowed",
      responseCode: 401,
      count: 205,
      topCallerIps: [
        { value: "203.0.113.7", count: 120 },
        { value: "198.51.100.2", count: 55 },
        { value: "203.0.113.8", count: 30 },
      ],
      topSubscriptions: [
        { value: "acme", count: 150 },
        { value: "globex", count: 55 },
      ],
      topProducts: [{ value: "partners", count: 205 }],
      firstSeen: "2026-11-27T09:42:00.000Z",
      lastSeen: "2026-11-27T10:05:00.000Z",
    });
    expect(audience!.sampleMessage).toBe("Audience validation failed for token [redacted-jwt]");
    expect(key).toMatchObject({ lastErrorReason: "SubscriptionKeyInvalid", count: 9 });
  });
});

describe("workspacePlan", () => {
  const a = { id: `${ID}-a`, name: "a" } as ServiceInstance;
  const b = { id: `${ID}-b`, name: "b" } as ServiceInstance;
  const c = { id: `${ID}-c`, name: "c" } as ServiceInstance;

  it("asks each workspace once about all its instances, falling back to configured workspaces", () => {
    const plan = workspacePlan(
      [a, b, c],
      new Map([
        [a.id, [{ workspaceResourceId: "/ws/law", workspaceId: "11111111-0000-0000-0000-000000000001", destinationType: "Dedicated" as const }]],
        [b.id, [{ workspaceResourceId: "/ws/law", workspaceId: "11111111-0000-0000-0000-000000000001", destinationType: "Dedicated" as const }]],
        [c.id, [{ workspaceResourceId: "/ws/unresolved", destinationType: "AzureDiagnostics" as const }]],
      ]),
      ["22222222-0000-0000-0000-000000000002"],
    );
    expect(plan.map((p) => [p.workspaceId, p.table, p.instances.map((i) => i.name)])).toEqual([
      ["11111111-0000-0000-0000-000000000001", "ApiManagementGatewayLogs", ["a", "b"]],
      ["22222222-0000-0000-0000-000000000002", "ApiManagementGatewayLogs", ["c"]],
    ]);
  });
});
