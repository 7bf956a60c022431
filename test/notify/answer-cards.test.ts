import { describe, expect, it } from "vitest";
import { diagnosisCard } from "../../src/notify/diagnosis-card";
import { statusCard } from "../../src/notify/status-card";
import { cardBytes, CARD_BYTE_LIMIT } from "../../src/notify/card-types";
import { authFinding, expiringFinding, spikeFinding } from "./findings-fixture";
import { cardProblems, walk } from "./card-validation";

const text = (card: unknown) => walk(card).filter((e) => e.type === "TextBlock").map((e) => String(e.text)).join("\n");

describe("diagnosis card", () => {
  const diagnosis = {
    api: "orders-api",
    instance: "pay-apim-prod",
    layer: "gateway" as const,
    verdict: "Tokens for orders-api carry audience api://orders-v2, which the validate-jwt policy at API scope does not allow.",
    findings: [authFinding()],
    evidence: {
      unauthorizedByReason: [{ reason: "TokenAudienceNotAllowed", count: 412 }, { reason: "TokenExpired", count: 9 }],
      policyChain: "global: base → product gold: rate-limit → API: validate-jwt (audiences: api://orders) ← problem",
      subscriptionRequired: true,
      diagnostics: "on (applicationinsights, 100% sampling)",
    },
  };

  it("names the layer, the verdict, the evidence and the fix, and validates", () => {
    const card = diagnosisCard(diagnosis);
    expect(cardProblems(card)).toEqual([]);
    const all = text(card);
    expect(all).toContain("Layer at fault: Gateway");
    expect(all).toContain("api://orders-v2");
    expect(all).toContain("1. Add api://orders-v2 to the audiences");
    const facts = walk(card).filter((e) => e.type === "FactSet").flatMap((e) => e.facts as { title: string; value: string }[]);
    expect(facts).toContainEqual({ title: "Unauthorized by reason", value: "reason=TokenAudienceNotAllowed, count=412; reason=TokenExpired, count=9" });
  });

  it("stays under the size limit with thousands of evidence records", () => {
    const big = { ...diagnosis, evidence: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`operation${i}`, `GET /orders/${i} returned 401 TokenAudienceNotAllowed ${"x".repeat(40)}`])) };
    const card = diagnosisCard(big);
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    expect(text(card)).toMatch(/and \d+ more/);
  });
});

describe("status card", () => {
  it("lists open alerts worst first and when each instance was last read", () => {
    const card = statusCard({
      lastSweepAt: "2026-11-27T14:00:00Z",
      open: [expiringFinding(), spikeFinding({ status: "acknowledged" }), authFinding()],
      instances: [
        { instance: "pay-apim-prod", lastReadOk: "2026-11-27T14:00:00Z", openAlerts: 2 },
        { instance: "partner-apim", lastReadOk: "2026-11-27T13:55:00Z", lastFailureAt: "2026-11-27T14:00:00Z", openAlerts: 1 },
      ],
    });
    expect(cardProblems(card)).toEqual([]);
    const all = text(card);
    expect(all).toContain("3 open alerts");
    expect(all.indexOf(spikeFinding().title)).toBeLessThan(all.indexOf(authFinding().title));
    expect(all).toContain("Acknowledged · id");
    const facts = walk(card).filter((e) => e.type === "FactSet").flatMap((e) => e.facts as { title: string; value: string }[]);
    expect(facts).toContainEqual({ title: "partner-apim", value: "read 13:55 UTC on 27 Nov 2026 · last failure 14:00 UTC on 27 Nov 2026 · 1 open" });
  });
});
