import { describe, expect, inject, it } from "vitest";
import { checkEstate } from "../../src/hygiene/catalog";
import { buildReport, type ReportSnapshot, type Suppression } from "../../src/hygiene/report";
import { ReportStore } from "../../src/store/report-store";
import { ESTATE, largeEstate, NOW } from "../hygiene/fixture";

const WEEK = 7 * 86_400_000;

// Each test gets its own tables, so runs never see each other's rows.
let n = 0;
async function store(): Promise<ReportStore> {
  n++;
  const tag = `${Date.now().toString(36)}${n}`;
  return ReportStore.open({ connectionString: inject("storageConnectionString") }, { reports: `hygrep${tag}`, suppressions: `hygsup${tag}` });
}

describe("ReportStore against Azurite", () => {
  it("has no snapshot before the first report", async () => {
    const s = await store();
    expect(await s.latestSnapshot()).toBeUndefined();
    expect(await s.listSuppressions()).toEqual([]);
  });

  it("round-trips a week's snapshot, and next week's report compares with it", async () => {
    const s = await store();
    const lastWeek = new Date(NOW.getTime() - WEEK);
    const first = buildReport(checkEstate(ESTATE, lastWeek), undefined, [], lastWeek);
    await s.saveSnapshot(first.snapshot);

    const back = await s.latestSnapshot();
    expect(back?.generatedAt).toBe(first.snapshot.generatedAt);
    expect(back?.trend).toEqual(first.snapshot.trend);
    expect([...(back?.findings ?? [])].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...first.snapshot.findings].sort((a, b) => a.id.localeCompare(b.id)));

    // A week later the partners product policy was fixed.
    const fixedEstate = structuredClone(ESTATE);
    const contoso = fixedEstate.instances[0];
    contoso?.config?.policies.splice(contoso.config.policies.findIndex((p) => p.productName === "partners"), 1);
    const second = buildReport(checkEstate(fixedEstate, NOW), back, [], NOW);
    expect(second.change.fixed.map((f) => f.rule).sort()).toEqual(["APIM.Policy.MissingBase", "APIM.Policy.RateLimitOutsideInbound"]);
    expect(second.trend).toHaveLength(2);
    await s.saveSnapshot(second.snapshot);
    expect((await s.latestSnapshot())?.generatedAt).toBe(NOW.toISOString());
    expect((await s.latestSnapshot(NOW))?.generatedAt).toBe(lastWeek.toISOString());
  });

  it("deletes old runs and keeps the newer ones readable", async () => {
    const s = await store();
    const weeks = [3, 2, 1, 0].map((w) => new Date(NOW.getTime() - w * WEEK));
    let previous: ReportSnapshot | undefined;
    for (const at of weeks) {
      const r = buildReport(checkEstate(ESTATE, at), previous, [], at);
      await s.saveSnapshot(r.snapshot);
      previous = r.snapshot;
    }
    expect(await s.deleteSnapshotsBefore(weeks[2] as Date)).toBe(2);
    expect((await s.latestSnapshot(weeks[2]))?.generatedAt).toBeUndefined();
    const newest = await s.latestSnapshot();
    expect(newest?.generatedAt).toBe(NOW.toISOString());
    expect(newest?.trend).toHaveLength(4);
    expect(await s.deleteSnapshotsBefore(weeks[2] as Date)).toBe(0);
  });

  it("stores a run with hundreds of findings in batches", async () => {
    const s = await store();
    const report = buildReport(checkEstate(largeEstate(12), NOW), undefined, [], NOW);
    expect(report.snapshot.findings.length).toBeGreaterThan(300);
    await s.saveSnapshot(report.snapshot);
    expect((await s.latestSnapshot())?.findings).toHaveLength(report.snapshot.findings.length);
  });

  it("keeps suppressions, replaces one per rule and resource, and removes them", async () => {
    const s = await store();
    const resourceId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-contoso/products/starter";
    const first: Suppression = { rule: "APIM.Product.SampleProduct", resourceId, reason: "Removing after the freeze", expiresAt: "2026-12-31T00:00:00Z", createdBy: "ana@contoso.com", createdAt: NOW.toISOString() };
    await s.putSuppression(first);
    await s.putSuppression({ ...first, reason: "Freeze extended", expiresAt: "2027-01-31T00:00:00Z" });
    await s.putSuppression({ rule: "APIM.Product.NoTerms", resourceId, reason: "Terms in contract", expiresAt: "2027-06-30T00:00:00Z" });
    expect(await s.listSuppressions()).toEqual([
      { rule: "APIM.Product.NoTerms", resourceId, reason: "Terms in contract", expiresAt: "2027-06-30T00:00:00Z" },
      { ...first, reason: "Freeze extended", expiresAt: "2027-01-31T00:00:00Z" },
    ]);
    expect(await s.removeSuppression("APIM.Product.NoTerms", resourceId.toUpperCase())).toBe(true);
    expect(await s.removeSuppression("APIM.Product.NoTerms", resourceId)).toBe(false);
    expect((await s.listSuppressions()).map((x) => x.rule)).toEqual(["APIM.Product.SampleProduct"]);
  });
});
