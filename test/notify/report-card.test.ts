import { describe, expect, it } from "vitest";
import { checkEstate } from "../../src/hygiene/catalog";
import { buildReport, type ReportSnapshot } from "../../src/hygiene/report";
import { buildReportCard } from "../../src/notify/report-card";
import { cardBytes, CARD_BYTE_LIMIT } from "../../src/notify/card-types";
import { ESTATE, largeEstate, NOW, PLANTED_SECRETS } from "../hygiene/fixture";
import { cardProblems, walk } from "./card-validation";

const detections = checkEstate(ESTATE, NOW);
const previous: ReportSnapshot = {
  generatedAt: new Date(NOW.getTime() - 7 * 86_400_000).toISOString(),
  findings: detections.slice(5).map((d) => ({ id: d.id, severity: d.severity, rule: d.rule as string, resourceId: d.resourceId, instance: d.instance })),
  trend: [],
};

describe("buildReportCard", () => {
  const model = buildReport(detections, previous, [{ rule: "APIM.Product.NoTerms", resourceId: detections.find((d) => d.rule === "APIM.Product.NoTerms")?.resourceId ?? "", reason: "Terms are in the contract", expiresAt: "2027-01-31T00:00:00Z" }], NOW, { instancesChecked: 5 });
  const card = buildReportCard(model, { reportUrl: "https://reports.contoso.com/apim/2026-11-23.html" });
  const json = JSON.stringify(card);

  it("is a valid Adaptive Card 1.5", () => {
    expect(card.version).toBe("1.5");
    expect(cardProblems(card)).toEqual([]);
  });

  it("shows counts, the change since last week and the top five", () => {
    expect(json).toContain("Weekly APIM hygiene report");
    expect(json).toContain(`"text":"${model.totals.critical}"`);
    expect(json).toContain('"title":"New","value":"5"');
    expect(json).toContain('"title":"Still open"');
    for (const t of model.topFive) expect(json).toContain(t.title);
    expect(json).toContain("Expiring within 30 days");
    expect(json).toContain("Suppressed: 1 active (hiding 1 finding(s))");
  });

  it("has one collapsed section per area that a toggle opens", () => {
    const elements = walk(card);
    const toggles = elements.filter((e) => e.type === "Action.ToggleVisibility");
    const sections = elements.filter((e) => e.type === "Container" && e.isVisible === false);
    expect(sections.map((s) => s.id)).toEqual(model.sections.map((s) => `section-${s.area}`));
    expect(toggles.map((t) => (t.targetElements as string[])[0])).toEqual(sections.map((s) => s.id));
    expect(json).toContain("API inventory policy does not parse");
  });

  it("never shows a planted secret", () => {
    for (const secret of PLANTED_SECRETS) expect(json).not.toContain(secret);
  });

  it("stays under 28 KB with 500+ findings, cutting sections with 'and N more'", () => {
    const many = checkEstate(largeEstate(20), NOW);
    expect(many.length).toBeGreaterThan(500);
    const big = buildReportCard(buildReport(many, previous, [], NOW));
    expect(cardBytes(big)).toBeLessThan(CARD_BYTE_LIMIT);
    expect(cardProblems(big)).toEqual([]);
    const text = JSON.stringify(big);
    expect(text).toMatch(/and \d+ more/);
    const policy = buildReport(many, previous, [], NOW).sections.find((s) => s.area === "Policy");
    expect(text).toContain(`Policies (every scope): ${policy?.counts.total ?? -1}`);
  });

  it("says when there is nothing to compare yet", () => {
    const first = JSON.stringify(buildReportCard(buildReport(detections, undefined, [], NOW)));
    expect(first).toContain("This is the first report");
  });
});
