import { describe, expect, it } from "vitest";
import { batchGroups, isoDuration, metricWindow, requestsFilter, toRequestCounts, type SeriesLike } from "../../src/collect/read-metrics";
import type { ServiceInstance } from "../../src/domain/snapshot";

const window = metricWindow(new Date("2026-11-27T10:07:42Z"), 120, 5);

/** A series as the ARM metrics API returns it: LocalizableString names, sometimes lower case. */
function series(dims: Record<string, string>, points: [string, number | undefined][]): SeriesLike {
  return {
    metadatavalues: Object.entries(dims).map(([name, value]) => ({ name: { value: name, localizedValue: name }, value })),
    data: points.map(([t, total]) => ({ timeStamp: new Date(t), ...(total === undefined ? {} : { total }) })),
  };
}

describe("metricWindow", () => {
  it("ends at the last complete minute and spans whole grains", () => {
    expect(window.to.toISOString()).toBe("2026-11-27T10:07:00.000Z");
    expect(window.from.toISOString()).toBe("2026-11-27T08:07:00.000Z");
    const odd = metricWindow(new Date("2026-11-27T10:07:00Z"), 7, 5);
    expect((odd.to.getTime() - odd.from.getTime()) / 60_000).toBe(10);
  });

  it("names grains as ISO 8601 durations", () => {
    expect(isoDuration(1)).toBe("PT1M");
    expect(isoDuration(5)).toBe("PT5M");
    expect(isoDuration(60)).toBe("PT1H");
  });
});

describe("requestsFilter", () => {
  it("splits by every dimension the detectors need", () => {
    expect(requestsFilter()).toBe("ApiId eq '*' and GatewayResponseCodeCategory eq '*' and GatewayResponseCode eq '*' and BackendResponseCode eq '*' and LastErrorReason eq '*'");
  });

  it("narrows to one plain API id, and never puts a quoted value into the filter", () => {
    expect(requestsFilter("orders-api")).toContain("ApiId eq 'orders-api' and");
    expect(requestsFilter("x' or ApiId eq '*")).toContain("ApiId eq '*' and");
  });
});

describe("toRequestCounts", () => {
  it("flattens split series, telling backend 5xx from gateway-made 5xx", () => {
    const counts = toRequestCounts(
      [
        series({ apiid: "orders", gatewayresponsecodecategory: "5xx", gatewayresponsecode: "502", backendresponsecode: "", lasterrorreason: "BackendConnectionFailure" }, [
          ["2026-11-27T09:57:00Z", 14],
          ["2026-11-27T10:02:00Z", 31],
        ]),
        series({ ApiId: "orders", GatewayResponseCodeCategory: "5xx", GatewayResponseCode: "500", BackendResponseCode: "500", LastErrorReason: "None" }, [["2026-11-27T10:02:00Z", 6]]),
        series({ ApiId: "orders", GatewayResponseCodeCategory: "2xx", GatewayResponseCode: "200", BackendResponseCode: "200", LastErrorReason: "None" }, [
          ["2026-11-27T10:02:00Z", 940],
          ["2026-11-27T10:07:00Z", 12],
        ]),
      ],
      window,
    );
    expect(counts).toEqual([
      { time: "2026-11-27T09:57:00.000Z", apiId: "orders", gatewayResponseCodeCategory: "5xx", gatewayResponseCode: "502", backendResponseCode: "", lastErrorReason: "BackendConnectionFailure", count: 14 },
      { time: "2026-11-27T10:02:00.000Z", apiId: "orders", gatewayResponseCodeCategory: "5xx", gatewayResponseCode: "502", backendResponseCode: "", lastErrorReason: "BackendConnectionFailure", count: 31 },
      { time: "2026-11-27T10:02:00.000Z", apiId: "orders", gatewayResponseCodeCategory: "5xx", gatewayResponseCode: "500", backendResponseCode: "500", lastErrorReason: "None", count: 6 },
      // The 10:07 grain is the incomplete one and is left out.
      { time: "2026-11-27T10:02:00.000Z", apiId: "orders", gatewayResponseCodeCategory: "2xx", gatewayResponseCode: "200", backendResponseCode: "200", lastErrorReason: "None", count: 940 },
    ]);
  });

  it("skips empty grains, reads string names (batch client) and derives a missing category", () => {
    const counts = toRequestCounts(
      [
        {
          metadatavalues: [
            { name: "ApiId", value: "payments" },
            { name: "GatewayResponseCode", value: "401" },
            { name: "LastErrorReason", value: "TokenExpired" },
          ],
          data: [
            { timeStamp: "2026-11-27T10:02:00Z", total: 40 },
            { timeStamp: "2026-11-27T09:57:00Z" },
            { timeStamp: "2026-11-27T09:52:00Z", total: 0 },
            { timeStamp: "2026-11-27T06:00:00Z", total: 5 },
          ],
        },
      ],
      window,
    );
    expect(counts).toEqual([
      { time: "2026-11-27T10:02:00.000Z", apiId: "payments", gatewayResponseCodeCategory: "4xx", gatewayResponseCode: "401", backendResponseCode: "", lastErrorReason: "TokenExpired", count: 40 },
    ]);
  });

  it("keeps only the asked API when the filter could not narrow server-side", () => {
    const s = [series({ ApiId: "a" }, [["2026-11-27T10:02:00Z", 1]]), series({ ApiId: "B" }, [["2026-11-27T10:02:00Z", 2]])];
    expect(toRequestCounts(s, window, "b").map((c) => c.count)).toEqual([2]);
  });
});

describe("batchGroups", () => {
  const inst = (name: string, sub: string, location: string) => ({ id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`, name, subscriptionId: sub, location }) as ServiceInstance;

  it("groups by subscription and normalised region, 50 per call", () => {
    const many = Array.from({ length: 120 }, (_, i) => inst(`apim-${i}`, "sub-a", i % 2 === 0 ? "West Europe" : "westeurope"));
    const groups = batchGroups([...many, inst("other-sub", "sub-b", "westeurope"), inst("other-region", "sub-a", "North Europe")]);
    expect(groups.map((g) => [g.subscriptionId, g.region, g.instances.length])).toEqual([
      ["sub-a", "westeurope", 50],
      ["sub-a", "westeurope", 50],
      ["sub-a", "westeurope", 20],
      ["sub-b", "westeurope", 1],
      ["sub-a", "northeurope", 1],
    ]);
  });
});
