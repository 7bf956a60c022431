import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/emulator/scenario-error";
import { parseApiTraffic, readTraffic, resolveRelativeTime, resolveTraffic } from "../../src/emulator/traffic";
import { trafficMinute } from "../../src/emulator/traffic-generate";
import { MetricFilterError, matchesFilter, parseMetricFilter } from "../../src/emulator/metrics-filter";
import { type TelemetryInstance, handleTelemetry } from "../../src/emulator/telemetry-routes";

const NOW = new Date("2026-03-10T10:15:20Z");
const MIN = 60_000;
const minuteOf = (iso: string): number => new Date(iso).getTime();

function refusal(raw: unknown): ScenarioError {
  try {
    parseApiTraffic(raw, "scenarios/demo.json", "instances[1].apis[2].traffic", NOW);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("accepted");
}

describe("traffic blocks in a scenario", () => {
  it.each([
    [{}, "instances[1].apis[2].traffic.requestsPerMinute", "non-negative number"],
    [{ requestsPerMinute: 60, rate: 3 }, "instances[1].apis[2].traffic.rate", "unknown field"],
    [{ requestsPerMinute: 60, dailyShape: [1, 2] }, "instances[1].apis[2].traffic.dailyShape", "24 numbers"],
    [{ requestsPerMinute: 60, mix: [{ share: 1, code: 700 }] }, "instances[1].apis[2].traffic.mix[0].code", "HTTP status code"],
    [{ requestsPerMinute: 60, incidents: [{ start: "-20 minutes" }] }, "instances[1].apis[2].traffic.incidents[0].start", "not a time"],
    [{ requestsPerMinute: 60, incidents: [{ start: "-5m", end: "-20m", volume: 2 }] }, "instances[1].apis[2].traffic.incidents[0].end", "after start"],
    [{ requestsPerMinute: 60, incidents: [{ start: "-5m", kind: "signing-key-rollover" }] }, "instances[1].apis[2].traffic.incidents[0].end", "give it an end"],
    [
      { requestsPerMinute: 60, incidents: [{ start: "-5m", mix: [{ share: 60, code: 500 }] }] },
      "instances[1].apis[2].traffic.incidents[0].mix[0].share",
      "0 to 1",
    ],
    [{ requestsPerMinute: 60, incidents: [{ start: "-5m" }] }, "instances[1].apis[2].traffic.incidents[0]", "must change something"],
    [{ requestsPerMinute: 60, callers: [{ subscription: "a" }] }, "instances[1].apis[2].traffic.callers[0].ip", "required"],
  ])("refuses %j at %s", (raw, path, problem) => {
    const e = refusal(raw);
    expect(e.file).toBe("scenarios/demo.json");
    expect(e.path).toBe(path);
    expect(e.message).toContain(problem);
    expect(e.message).toContain(`scenarios/demo.json: ${path}`);
  });

  it("resolves incident times against the clock it is given", () => {
    expect(resolveRelativeTime("-20m", NOW)?.toISOString()).toBe("2026-03-10T09:55:20.000Z");
    expect(resolveRelativeTime("+1h", NOW)?.toISOString()).toBe("2026-03-10T11:15:20.000Z");
    expect(resolveRelativeTime("-1h30m", NOW)?.toISOString()).toBe("2026-03-10T08:45:20.000Z");
    expect(resolveRelativeTime("-2d", NOW)?.toISOString()).toBe("2026-03-08T10:15:20.000Z");
    expect(resolveRelativeTime("2026-01-01T00:00:00Z", NOW)?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(resolveRelativeTime("yesterday", NOW)).toBeUndefined();
    const t = parseApiTraffic({ requestsPerMinute: 10, incidents: [{ start: "-20m", end: "+1h", volume: 3 }] }, "f", "p", NOW);
    expect(t.incidents[0]!.start.toISOString()).toBe("2026-03-10T09:55:20.000Z");
  });
});

describe("reading traffic once", () => {
  it("keeps incident times relative until the emulator's clock resolves them", () => {
    const spec = readTraffic({ requestsPerMinute: 10, incidents: [{ start: "-20m", end: "2026-03-10T12:00:00Z", volume: 3 }] }, "f", "p");
    expect(spec.incidents[0]!.start).toEqual({ offsetMs: -20 * MIN });
    const later = new Date(NOW.getTime() + 60 * MIN);
    expect(resolveTraffic(spec, NOW).incidents[0]!.start.toISOString()).toBe("2026-03-10T09:55:20.000Z");
    expect(resolveTraffic(spec, later).incidents[0]!.start.toISOString()).toBe("2026-03-10T10:55:20.000Z");
  });

  it("refuses, once resolved, a relative start that falls after an absolute end", () => {
    const spec = readTraffic({ requestsPerMinute: 10, incidents: [{ start: "-20m", end: "2026-03-10T09:50:00Z", volume: 3 }] }, "scenarios/x.json", "instances[0].apis[0].traffic");
    expect(() => resolveTraffic(spec, NOW)).toThrow(/instances\[0\]\.apis\[0\]\.traffic\.incidents\[0\]\.end: must be after start/);
  });
});

describe("generated traffic", () => {
  const traffic = parseApiTraffic(
    {
      requestsPerMinute: 600,
      mix: [
        { share: 95, code: 200, backend: 200 },
        { share: 5, code: 500, backend: 500 },
      ],
      incidents: [
        { start: "-40m", end: "-30m", volume: 3 },
        { start: "-12m", end: "-2m", kind: "signing-key-rollover" },
      ],
    },
    "f",
    "p",
    NOW,
  );
  const count = (api: string, minute: number, now = NOW.getTime(), code?: number): number =>
    trafficMinute(api, traffic, minute, now)
      .cells.filter((c) => code === undefined || c.code === code)
      .reduce((s, c) => s + c.visible, 0);

  it("is the same for the same API and minute, and differs between APIs", () => {
    const m = minuteOf("2026-03-10T09:50:00Z");
    expect(trafficMinute("orders", traffic, m, NOW.getTime())).toEqual(trafficMinute("orders", traffic, m, NOW.getTime()));
    expect(count("orders", m)).toBeGreaterThanOrEqual(540);
    expect(count("orders", m)).toBeLessThanOrEqual(660);
    const series = (api: string) => Array.from({ length: 10 }, (_, i) => count(api, m - i * MIN));
    expect(series("orders")).not.toEqual(series("payments"));
  });

  it("counts only the requests before the clock in the newest minute", () => {
    const newest = minuteOf("2026-03-10T10:15:00Z");
    const at = (s: number) => count("orders", newest, newest + s * 1000);
    expect(at(0)).toBe(0);
    expect(at(20)).toBeGreaterThan(150);
    expect(at(20)).toBeLessThan(260);
    expect(at(40)).toBeGreaterThan(at(20));
    expect(at(60)).toBe(count("orders", newest, newest + 5 * MIN));
  });

  it("applies volume windows and a rollover burst that fades out by its end", () => {
    expect(count("orders", minuteOf("2026-03-10T09:38:00Z"))).toBeGreaterThan(1500);
    const burst = (iso: string) => count("orders", minuteOf(iso), NOW.getTime(), 401);
    expect(burst("2026-03-10T10:00:00Z")).toBe(0);
    expect(burst("2026-03-10T10:04:00Z")).toBeGreaterThan(200);
    expect(burst("2026-03-10T10:10:00Z")).toBeLessThan(burst("2026-03-10T10:05:00Z") / 2);
    expect(burst("2026-03-10T10:14:00Z")).toBe(0);
  });
});

describe("metrics $filter", () => {
  it("binds and tighter than or, and honours parentheses", () => {
    const loose = parseMetricFilter("ApiId eq 'orders' or ApiId eq 'billing' and GatewayResponseCode eq '500'");
    const tight = parseMetricFilter("(ApiId eq 'orders' or ApiId eq 'billing') and GatewayResponseCode eq '500'");
    const ordersOk = { apiid: "orders", gatewayresponsecode: "200" };
    expect(matchesFilter(loose, ordersOk)).toBe(true);
    expect(matchesFilter(tight, ordersOk)).toBe(false);
    expect(matchesFilter(parseMetricFilter("apiid EQ '*'"), ordersOk)).toBe(true);
    expect(matchesFilter(parseMetricFilter("LastErrorReason ne 'None'"), { lasterrorreason: "None" })).toBe(false);
    expect(matchesFilter(parseMetricFilter("ApiId eq 'o''brien'"), { apiid: "o'brien" })).toBe(true);
  });

  it.each([
    ["ApiId = 'orders'", /eq, ne or sw/],
    ["ApiId eq orders", /quoted value/],
    ["ApiId eq 'orders' and", /ends/],
    ["(ApiId eq 'orders'", /'\)'/],
    ["ApiId eq 'orders", /unterminated/],
  ])("refuses %s", (text, message) => {
    expect(() => parseMetricFilter(text)).toThrow(MetricFilterError);
    expect(() => parseMetricFilter(text)).toThrow(message);
  });
});

describe("telemetry routes, answered directly", () => {
  const id = "/subscriptions/3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a";
  const estate: TelemetryInstance[] = [
    {
      id,
      name: "apim-a",
      subscriptionId: "3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23",
      location: "West Europe",
      apis: [{ name: "orders", traffic: parseApiTraffic({ requestsPerMinute: 30 }, "f", "p", NOW) }],
    },
  ];
  const arm = (query: Record<string, string>) =>
    handleTelemetry({ method: "GET", path: `${id}/providers/Microsoft.Insights/metrics`, query: new URLSearchParams(query), body: undefined }, estate, NOW);

  it("refuses unknown metrics, grains, dimensions and filters with 400 and the reason", () => {
    expect(arm({ metricnames: "Requestz" })).toMatchObject({ status: 400, body: { code: "BadRequest" } });
    expect(JSON.stringify(arm({ metricnames: "Requestz" })!.body)).toContain("Valid metrics: Requests");
    expect(JSON.stringify(arm({ interval: "PT2M" })!.body)).toContain("PT2M");
    expect(JSON.stringify(arm({ metricnames: "Capacity", $filter: "ApiId eq '*'" })!.body)).toContain("apiid");
    expect(arm({ $filter: "ApiId eq orders" })!.status).toBe(400);
  });

  it("answers capacity and durations with the requested aggregations", () => {
    const res = arm({ metricnames: "Capacity,Duration", aggregation: "Average,Maximum", interval: "PT15M", timespan: "2026-03-10T09:15:00Z/2026-03-10T10:15:00Z" });
    const body = res!.body as { value: { name: { value: string }; unit: string; timeseries: { data: Record<string, number>[] }[] }[] };
    expect(body.value.map((m) => [m.name.value, m.unit])).toEqual([
      ["Capacity", "Percent"],
      ["Duration", "MilliSeconds"],
    ]);
    const point = body.value[1]!.timeseries[0]!.data[0]!;
    expect(point.average).toBeGreaterThan(0);
    expect(point.maximum).toBeGreaterThan(point.average!);
    expect(point.total).toBeUndefined();
  });

  it("refuses a batch of more than 50 resources or from another subscription", () => {
    const batch = (ids: string[]) =>
      handleTelemetry(
        {
          method: "POST",
          path: "/metrics/westeurope/subscriptions/3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23/metrics:getBatch",
          query: new URLSearchParams({ "api-version": "2024-02-01", metricnamespace: "Microsoft.ApiManagement/service", metricnames: "Requests" }),
          body: { resourceids: ids },
        },
        estate,
        NOW,
      );
    expect(batch(Array.from({ length: 51 }, () => id))).toMatchObject({ status: 400 });
    expect(batch([id.replace("3b9e2f71", "00000000")])).toMatchObject({ status: 400 });
    expect(batch([id])).toMatchObject({ status: 200 });
  });

  it("leaves other routes to the rest of the emulator", () => {
    expect(handleTelemetry({ method: "GET", path: id, query: new URLSearchParams(), body: undefined }, estate, NOW)).toBeUndefined();
  });
});
