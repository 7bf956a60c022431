import { describe, expect, it } from "vitest";
import { checkEstate } from "../../src/hygiene/catalog";
import { buildReport, TREND_WEEKS, type ReportSnapshot, type Suppression } from "../../src/hygiene/report";
import { ESTATE, NOW } from "./fixture";

const WEEK = 7 * 86_400_000;
const thisWeek = checkEstate(ESTATE, NOW);
const lastWeekTime = new Date(NOW.getTime() - WEEK);

function byRule(rule: string) {
  const d = thisWeek.find((x) => x.rule === rule);
  if (d === undefined) throw new Error(`fixture has no ${rule} finding`);
  return d;
}

/** Last week: the open-API finding did not exist yet, and a since-fixed CORS finding did. */
function lastWeek(): ReportSnapshot {
  const fixedCors = { id: "00000000deadbeef", severity: "warning" as const, rule: "APIM.Policy.CorsWildcard", resourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-contoso/apis/catalog/policies/policy", instance: "apim-contoso", title: "CORS allows any origin: API catalog policy" };
  const previous = thisWeek.filter((d) => d.rule !== "APIM.Api.Open").map((d) => ({ id: d.id, severity: d.severity, rule: d.rule as string, resourceId: d.resourceId, instance: d.instance }));
  return { generatedAt: lastWeekTime.toISOString(), findings: [...previous, fixedCors], trend: [{ at: lastWeekTime.toISOString(), critical: 9, warning: 20, info: 10 }] };
}

describe("buildReport", () => {
  it("counts open findings by severity and area", () => {
    const r = buildReport(thisWeek, undefined, [], NOW);
    expect(r.totals.total).toBe(thisWeek.length);
    expect(r.totals.critical + r.totals.warning + r.totals.info).toBe(r.totals.total);
    expect(r.totals.critical).toBe(thisWeek.filter((d) => d.severity === "critical").length);
    const policy = r.byArea.find((a) => a.area === "Policy");
    expect(policy?.counts.total).toBe(thisWeek.filter((d) => d.rule?.startsWith("APIM.Policy.")).length);
    expect(r.byArea.map((a) => a.area)).toEqual(["Policy", "Api", "Product", "Subscription", "Backend", "NamedValue", "Diagnostic", "Instance"]);
    expect(r.instances).toBe(3);
    expect(buildReport(thisWeek, undefined, [], NOW, { instancesChecked: ESTATE.instances.length }).instances).toBe(5);
  });

  it("on the first run, has nothing to compare and marks nothing new", () => {
    const r = buildReport(thisWeek, undefined, [], NOW);
    expect(r.change.previousAt).toBeUndefined();
    expect(r.change.newIds).toEqual([]);
    expect(r.sections.flatMap((s) => s.items).some((i) => i.isNew)).toBe(false);
    expect(r.trend).toHaveLength(1);
  });

  it("tells new, fixed and still open findings apart by id", () => {
    const r = buildReport(thisWeek, lastWeek(), [], NOW);
    const open = byRule("APIM.Api.Open");
    expect(r.change.newIds).toEqual([open.id]);
    expect(r.change.fixed.map((f) => f.id)).toEqual(["00000000deadbeef"]);
    expect(r.change.stillOpenIds).toHaveLength(thisWeek.length - 1);
    expect(r.sections.find((s) => s.area === "Api")?.items.find((i) => i.id === open.id)?.isNew).toBe(true);
    expect(r.trend.map((p) => p.at)).toEqual([lastWeekTime.toISOString(), NOW.toISOString()]);
  });

  it("puts the worst, broadest rules first", () => {
    const r = buildReport(thisWeek, undefined, [], NOW);
    expect(r.topFive).toHaveLength(5);
    expect(r.topFive.slice(0, 5).every((t) => t.severity === "critical")).toBe(true);
    const counts = r.topFive.map((t) => t.count);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    expect(r.topFive[0]?.count).toBeGreaterThanOrEqual(2);
    expect(r.topFive[0]?.firstStep.length).toBeGreaterThan(10);
  });

  it("lists expiring subscriptions and certificates in their own section, soonest first", () => {
    const r = buildReport(thisWeek, undefined, [], NOW);
    expect(r.expiring.map((i) => i.resourceName)).toEqual(["sub-expiring-soon", "apim-contoso", "sub-expiring"]);
    expect(r.expiring[0]?.severity).toBe("critical");
  });

  it("hides suppressed findings until the suppression expires, and lists every suppression", () => {
    const noTerms = byRule("APIM.Product.NoTerms");
    const sample = byRule("APIM.Product.SampleProduct");
    const suppressions: Suppression[] = [
      { rule: "APIM.Product.NoTerms", resourceId: noTerms.resourceId.toUpperCase(), reason: "Terms live in the partner contract", expiresAt: "2027-03-01T00:00:00Z", createdBy: "ana@contoso.com" },
      { rule: "APIM.Product.SampleProduct", resourceId: sample.resourceId, reason: "Removing after the Q4 freeze", expiresAt: "2026-11-01T00:00:00Z" },
      { rule: "APIM.Api.Open", resourceId: "/subscriptions/x/other", reason: "Unrelated", expiresAt: "2027-01-01T00:00:00Z" },
    ];
    const r = buildReport(thisWeek, lastWeek(), suppressions, NOW);
    const ids = r.sections.flatMap((s) => s.items.map((i) => i.id));
    expect(ids).not.toContain(noTerms.id);
    expect(ids).toContain(sample.id);
    expect(r.totals.total).toBe(thisWeek.length - 1);
    expect(r.change.fixed.map((f) => f.id)).not.toContain(noTerms.id);
    expect(r.suppressions.map((s) => [s.rule, s.expired, s.matched])).toEqual([
      ["APIM.Api.Open", false, 0],
      ["APIM.Product.NoTerms", false, 1],
      ["APIM.Product.SampleProduct", true, 0],
    ]);
    expect(r.snapshot.findings.map((f) => f.id)).toContain(noTerms.id);
  });

  it("keeps a bounded trend and a snapshot for next week", () => {
    const long: ReportSnapshot = { ...lastWeek(), trend: Array.from({ length: 40 }, (_, i) => ({ at: new Date(NOW.getTime() - (40 - i) * WEEK).toISOString(), critical: i, warning: 1, info: 1 })) };
    const r = buildReport(thisWeek, long, [], NOW);
    expect(r.trend).toHaveLength(TREND_WEEKS);
    expect(r.trend.at(-1)).toEqual({ at: NOW.toISOString(), critical: r.totals.critical, warning: r.totals.warning, info: r.totals.info });
    expect(r.snapshot.generatedAt).toBe(NOW.toISOString());
    expect(r.snapshot.findings).toHaveLength(thisWeek.length);
    expect(r.snapshot.trend).toEqual(r.trend);
  });

  it("ignores detections of other kinds", () => {
    const alert = { ...byRule("APIM.Api.Open"), kind: "gateway-5xx-spike" as const, rule: undefined, id: "ffff" };
    const r = buildReport([...thisWeek, alert], undefined, [], NOW);
    expect(r.totals.total).toBe(thisWeek.length);
  });
});
