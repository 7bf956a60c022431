import { describe, expect, it } from "vitest";
import { checkEstate } from "../../src/hygiene/catalog";
import { buildReport, type ReportSnapshot } from "../../src/hygiene/report";
import type { Detection } from "../../src/domain/finding";
import { escapeHtml, renderReportHtml, trendSvg } from "../../src/notify/report-html";
import { ESTATE, NOW, PLANTED_SECRETS } from "../hygiene/fixture";

const detections = checkEstate(ESTATE, NOW);
const WEEK = 7 * 86_400_000;
const previous: ReportSnapshot = {
  generatedAt: new Date(NOW.getTime() - WEEK).toISOString(),
  findings: [{ id: "0123456789abcdef", severity: "critical", rule: "APIM.Backend.TlsValidationOff", resourceId: "/x/backends/old", instance: "apim-contoso", title: "Backend certificate validation turned off: backend old" }],
  trend: Array.from({ length: 8 }, (_, i) => ({ at: new Date(NOW.getTime() - (8 - i) * WEEK).toISOString(), critical: 12 - i, warning: 20, info: 9 + i })),
};

describe("renderReportHtml", () => {
  const html = renderReportHtml(buildReport(detections, previous, [], NOW));

  it("is one self-contained page: no script, no external resource", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b|\bsrc=|url\(|@import/i);
    expect(html).not.toMatch(/\shref=|<iframe|<object|<embed/i);
  });

  it("draws the trend of open findings per week by severity", () => {
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="trend"');
    // Eight earlier weeks and this one, each with its three severities stacked.
    expect(html.match(/class="bar-critical"/g)).toHaveLength(9);
    expect(html.match(/class="bar-info"/g)).toHaveLength(9);
  });

  it("lists findings per area, the change since last week and the fixed ones", () => {
    expect(html).toContain("Policies (every scope)");
    expect(html).toContain("Fixed (1)");
    expect(html).toContain("Backend certificate validation turned off: backend old");
    expect(html).toContain("line 5");
    expect(html).toContain("Fix these first");
  });

  it("escapes a hostile resource name", () => {
    const hostile: Detection = { ...(detections[0] as Detection), id: "feedfeedfeedfeed", resourceId: "/subscriptions/x/providers/Microsoft.ApiManagement/service/apim-contoso/apis/<script>alert(1)</script>", summary: 'API "<img src=x onerror=alert(2)>" is open.', instance: "apim-<b>bold</b>" };
    const page = renderReportHtml(buildReport([hostile], undefined, [{ rule: "APIM.Api.Open", resourceId: "/a/<script>", reason: "<script>x</script>", expiresAt: "2027-01-01T00:00:00Z" }], NOW));
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>bold");
    expect(page).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(page).toContain("&#60;img src=x onerror=alert(2)&#62;");
    expect(page).toContain("apim-&#60;b&#62;bold&#60;/b&#62;");
  });

  it("never shows a planted secret", () => {
    for (const secret of PLANTED_SECRETS) expect(html).not.toContain(secret);
  });

  it("draws an empty chart without dividing by zero", () => {
    expect(trendSvg([])).toContain("</svg>");
    expect(trendSvg([{ at: NOW.toISOString(), critical: 0, warning: 0, info: 0 }])).not.toContain("NaN");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});
